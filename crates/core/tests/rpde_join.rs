//! Joining harvested OpenActive records into activities (`feed::rpde::join`):
//! sessions to their series, slots to their facility use, one activity per parent.

use activity_map_core::feed::rpde::{join, Harvest, Limits};
use activity_map_core::feed::{load, Options, Outcome, Shape};
use activity_map_core::model::{Time, Weekday};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

/// A finished one-page feed at `url` with these items.
fn feed(url: &str, items: &[String]) -> Harvest {
    let mut h = Harvest::new(url, Limits::default()).unwrap();
    let last = format!("{url}?afterId=end");
    let p = format!(r#"{{"next":"{last}","items":[{}]}}"#, items.join(","));
    h.read_page(url, p.as_bytes());
    h.read_page(
        &last,
        format!(r#"{{"next":"{last}","items":[]}}"#).as_bytes(),
    );
    assert!(h.is_finished(), "{:?}", h.stopped());
    h
}

/// A fixture page, read as the first page of a feed (it is the only page).
fn fixture_feed(url: &str, path: &str) -> Harvest {
    let mut h = Harvest::new(url, Limits::default()).unwrap();
    h.read_page(url, &fixture(path));
    h
}

fn series(id: &str, extra: &str) -> String {
    format!(
        r#"{{"state":"updated","kind":"SessionSeries","id":"{id}","modified":1,"data":{{
            "@type":"SessionSeries","@id":"https://x.org/series/{id}","name":"Series {id}",
            "location":{{"name":"Hall","geo":{{"latitude":52.6,"longitude":1.3}}}}{extra}}}}}"#
    )
}

fn session(id: &str, parent: &str, start: &str, extra: &str) -> String {
    format!(
        r#"{{"state":"updated","kind":"ScheduledSession","id":"{id}","modified":1,"data":{{
            "@type":"ScheduledSession","superEvent":{parent},
            "startDate":"{start}"{extra}}}}}"#
    )
}

fn dates(a: &activity_map_core::model::Activity) -> Vec<&str> {
    a.dates.iter().map(|d| d.date.as_str()).collect()
}

#[test]
fn a_series_alone_reads_as_the_openactive_reader_reads_it() {
    let h = fixture_feed(
        "https://www.example.com/api/rpde/sessions",
        "openactive/sessionseries_example_1.json",
    );
    let joined = join::load(&[&h], &Options::default());
    let direct = load(
        &fixture("openactive/sessionseries_example_1.json"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(joined.shape, Shape::OpenActive);
    assert_eq!(joined.feed.activities, direct.feed.activities);
    assert_eq!(joined.problems, direct.problems);
}

#[test]
fn a_session_with_its_series_embedded_is_one_activity() {
    let h = fixture_feed(
        "https://www.example.com/api/rpde/scheduled-sessions",
        "openactive/scheduledsession_example_1.json",
    );
    let l = join::load(&[&h], &Options::default());
    assert_eq!(l.feed.activities.len(), 1);
    let a = &l.feed.activities[0];
    assert_eq!(a.name, "Virtual BODYPUMP");
    assert_eq!(
        a.id,
        "https://opensessions.io/api/session-series/1402CBP20150217"
    );
    assert_eq!(dates(a), ["2018-10-03"]);
    assert_eq!(a.dates[0].start, Time::parse("20:15"));
    assert!(a.point().is_some());
}

#[test]
fn sessions_join_their_series_in_a_second_feed_by_url() {
    let series_feed = feed(
        "https://x.org/series",
        &[series(
            "s1",
            r#","eventSchedule":[{"byDay":["https://schema.org/Monday"],"startTime":"10:00","endTime":"11:00","repeatFrequency":"P1W"}]"#,
        )],
    );
    let sessions = feed(
        "https://x.org/sessions",
        &[
            session(
                "b",
                r#""https://x.org/series/s1""#,
                "2027-01-11T10:00:00Z",
                "",
            ),
            session(
                "a",
                r#""https://x.org/series/s1""#,
                "2027-01-04T10:00:00Z",
                "",
            ),
        ],
    );
    // Either order of feeds gives the same.
    for feeds in [[&sessions, &series_feed], [&series_feed, &sessions]] {
        let l = join::load(&feeds, &Options::default());
        assert!(l.problems.is_empty(), "{:#?}", l.problems);
        assert_eq!(l.feed.activities.len(), 1);
        let a = &l.feed.activities[0];
        assert_eq!(a.id, "s1");
        assert_eq!(a.name, "Series s1");
        // Sorted by date, whatever order the sessions came in.
        assert_eq!(dates(a), ["2027-01-04", "2027-01-11"]);
        assert_eq!(a.schedule.len(), 1);
        assert_eq!(a.schedule[0].days, [Weekday::Mon]);
    }
}

#[test]
fn sessions_join_by_rpde_id_or_identifier_in_the_same_feed() {
    let h = feed(
        "https://x.org/all",
        &[
            series("s1", r#","identifier":"SER-1""#),
            session("a", r#""s1""#, "2027-02-01T10:00:00Z", ""),
            session("b", r#""SER-1""#, "2027-02-08T10:00:00Z", ""),
            session(
                "c",
                r#"{"@id":"https://x.org/series/s1","name":"stale copy"}"#,
                "2027-02-15T10:00:00Z",
                "",
            ),
        ],
    );
    let l = join::load(&[&h], &Options::default());
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(l.feed.activities.len(), 1);
    let a = &l.feed.activities[0];
    // The full record wins over the copy embedded in a session.
    assert_eq!(a.name, "Series s1");
    assert_eq!(dates(a), ["2027-02-01", "2027-02-08", "2027-02-15"]);
}

#[test]
fn except_dates_and_cancelled_sessions_add_no_date() {
    let h = feed(
        "https://x.org/all",
        &[
            series(
                "s1",
                r#","eventSchedule":{"byDay":["https://schema.org/Monday"],"startTime":"10:00",
                    "repeatFrequency":"P1W","exceptDate":["2027-12-27T10:00:00Z"]}"#,
            ),
            session("a", r#""s1""#, "2027-12-20T10:00:00Z", ""),
            session("b", r#""s1""#, "2027-12-27T10:00:00Z", ""),
            session(
                "c",
                r#""s1""#,
                "2028-01-03T10:00:00Z",
                r#","eventStatus":"https://schema.org/EventCancelled""#,
            ),
            session("d", r#""s1""#, "2028-01-10T10:00:00Z", ""),
        ],
    );
    let l = join::load(&[&h], &Options::default());
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(dates(&l.feed.activities[0]), ["2027-12-20", "2028-01-10"]);
}

#[test]
fn sessions_whose_series_is_missing_are_reported_once() {
    let h = feed(
        "https://x.org/sessions",
        &[
            session(
                "a",
                r#""https://x.org/series/gone""#,
                "2027-01-04T10:00:00Z",
                "",
            ),
            session(
                "b",
                r#""https://x.org/series/gone""#,
                "2027-01-11T10:00:00Z",
                "",
            ),
            session(
                "c",
                r#""https://x.org/series/other""#,
                "2027-01-11T10:00:00Z",
                "",
            ),
        ],
    );
    let l = join::load(&[&h], &Options::default());
    assert!(l.feed.activities.is_empty());
    assert_eq!(l.problems.len(), 2, "{:#?}", l.problems);
    assert!(
        l.problems[0].message.starts_with("2 sessions"),
        "{}",
        l.problems[0]
    );
    assert!(l.problems[0].message.contains("series/gone"));
    assert_eq!(l.problems[0].at, "https://x.org/sessions#/items/0");
    assert_eq!(l.problems[0].outcome, Outcome::Skipped);
}

#[test]
fn a_deleted_series_takes_its_sessions_with_it() {
    let mut h = Harvest::new("https://x.org/all", Limits::default()).unwrap();
    let items = [
        series("s1", ""),
        session("a", r#""s1""#, "2027-01-04T10:00:00Z", ""),
        r#"{"state":"deleted","kind":"SessionSeries","id":"s1","modified":2}"#.to_string(),
    ];
    let p = format!(
        r#"{{"next":"https://x.org/all?p=2","items":[{}]}}"#,
        items.join(",")
    );
    h.read_page("https://x.org/all", p.as_bytes());
    let l = join::load(&[&h], &Options::default());
    assert!(l.feed.activities.is_empty());
    assert!(l.problems.iter().any(|p| p.message.contains("neither")));
}

#[test]
fn a_session_with_no_parent_stands_alone() {
    let alone = r#"{"state":"updated","kind":"ScheduledSession","id":"x","modified":1,"data":{
        "@type":"ScheduledSession","name":"Drop-in","startDate":"2027-03-01T09:00:00Z",
        "location":{"name":"Hall","geo":{"latitude":52.6,"longitude":1.3}}}}"#;
    let h = feed("https://x.org/s", &[alone.to_string()]);
    let l = join::load(&[&h], &Options::default());
    assert_eq!(l.feed.activities.len(), 1);
    assert_eq!(dates(&l.feed.activities[0]), ["2027-03-01"]);
}

#[test]
fn sessions_sharing_an_embedded_series_are_one_activity() {
    let parent = r#"{"@type":"SessionSeries","@id":"https://x.org/series/e1","name":"Tai chi",
        "location":{"name":"Hall","geo":{"latitude":52.6,"longitude":1.3}}}"#;
    let h = feed(
        "https://x.org/s",
        &[
            session("a", parent, "2027-03-01T09:00:00Z", ""),
            session("b", parent, "2027-03-08T09:00:00Z", ""),
        ],
    );
    let l = join::load(&[&h], &Options::default());
    assert_eq!(l.feed.activities.len(), 1);
    assert_eq!(l.feed.activities[0].name, "Tai chi");
    assert_eq!(dates(&l.feed.activities[0]), ["2027-03-01", "2027-03-08"]);
}

#[test]
fn slots_join_their_facility_use() {
    let fu = fixture_feed(
        "http://www.example.org/feeds/facility-uses",
        "openactive/facilityuse_example_1.json",
    );
    let slot = |id: &str, fu: &str, start: &str| {
        format!(
            r#"{{"state":"updated","kind":"Slot","id":"{id}","modified":1,"data":{{
                "@type":"Slot","facilityUse":"{fu}","startDate":"{start}","endDate":"{start}"}}}}"#
        )
    };
    let slots = feed(
        "http://www.example.org/feeds/slots",
        &[
            slot(
                "1",
                "http://www.example.org/facility-uses/1",
                "2027-04-01T18:00:00Z",
            ),
            slot(
                "2",
                "http://www.example.org/facility-uses/1/individual-facility-uses/1",
                "2027-04-02T18:00:00Z",
            ),
        ],
    );
    let l = join::load(&[&slots, &fu], &Options::default());
    assert_eq!(l.feed.activities.len(), 1, "{:#?}", l.problems);
    let a = &l.feed.activities[0];
    assert_eq!(a.id, "009SQUASH2018-07-17T06:20:00Z");
    assert_eq!(dates(a), ["2027-04-01", "2027-04-02"]);
}

#[test]
fn a_feed_that_stopped_early_says_so_and_keeps_its_records() {
    let mut h = Harvest::new("https://x.org/all", Limits::default()).unwrap();
    let p = format!(
        r#"{{"next":"https://evil.example.com/all","items":[{}]}}"#,
        series("s1", "")
    );
    h.read_page("https://x.org/all", p.as_bytes());
    let l = join::load(&[&h], &Options::default());
    assert_eq!(l.feed.activities.len(), 1);
    assert_eq!(l.problems.len(), 1);
    assert_eq!(l.problems[0].at, "https://x.org/all");
    assert!(l.problems[0].message.contains("evil.example.com"));
    assert!(l.problems[0].message.contains("not read"));
}

mod any_records {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(r#""s1""#.to_string()),
            Just(r#""https://x.org/series/s2""#.to_string()),
            Just(r#""https://x.org/series/none""#.to_string()),
            Just(r#"{"@id":"https://x.org/series/s1"}"#.to_string()),
            Just(
                r#"{"name":"Embedded","location":{"geo":{"latitude":91,"longitude":1}}}"#
                    .to_string()
            ),
            Just("42".to_string()),
            Just("null".to_string()),
            Just("[]".to_string()),
            Just(r#"["s1"]"#.to_string()),
            "[a-z:/.]{0,12}".prop_map(|s| format!("{s:?}")),
        ]
    }

    fn item() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just("ScheduledSession"), Just("SessionSeries"), Just("Slot"), Just("FacilityUse"), Just("Event")],
            0u8..6,
            value(),
            prop_oneof![Just("2027-01-04T10:00:00Z"), Just("not a date"), Just(""), Just("2027-01-04")],
            any::<bool>(),
            prop_oneof![Just(""), Just(r#","exceptDate":"2027-01-04T10:00:00Z""#), Just(r#","exceptDate":[1,null]"#)],
        )
            .prop_map(|(ty, id, parent, start, deleted, except)| {
                if deleted {
                    return format!(r#"{{"state":"deleted","kind":"{ty}","id":"s{id}","modified":2}}"#);
                }
                format!(
                    r#"{{"state":"updated","kind":"{ty}","id":"s{id}","modified":1,"data":{{
                        "@type":"{ty}","@id":"https://x.org/series/s{id}","name":"N{id}",
                        "superEvent":{parent},"facilityUse":{parent},"startDate":"{start}",
                        "eventSchedule":[{{"byDay":["https://schema.org/Monday"],"startTime":"10:00"{except}}}]}}}}"#
                )
            })
    }

    proptest! {
        /// Whatever records two feeds hold, the join keeps every load guarantee and
        /// never lists more activities than there are live records.
        #[test]
        fn joins_keep_every_guarantee(
            a in prop::collection::vec(item(), 0..12),
            b in prop::collection::vec(item(), 0..12),
        ) {
            let fa = feed("https://x.org/a", &a);
            let fb = feed("https://x.org/b", &b);
            let l = join::load(&[&fa, &fb], &Options::default());
            prop_assert_eq!(l.broken_guarantee(), None);
            prop_assert!(l.feed.activities.len() <= fa.progress().live + fb.progress().live);
        }
    }
}

#[test]
fn problems_in_an_embedded_parent_point_into_the_session() {
    let slot = r#"{"state":"updated","kind":"Slot","id":"x","modified":1,"data":{
        "@type":"Slot","startDate":"2027-03-01T09:00:00Z",
        "facilityUse":{"@type":"FacilityUse","name":"Court",
            "location":{"name":"Hall","geo":{"latitude":123,"longitude":1.3}}}}}"#;
    let h = feed("https://x.org/slots", &[slot.to_string()]);
    let l = join::load(&[&h], &Options::default());
    assert_eq!(l.feed.activities.len(), 1);
    assert!(l.feed.activities[0].point().is_none());
    assert!(!l.problems.is_empty());
    for p in &l.problems {
        assert!(
            p.at.starts_with("https://x.org/slots#/items/0/data/facilityUse/location"),
            "{p}"
        );
    }
}

#[test]
fn upcoming_keeps_sessions_from_today_on() {
    let h = feed(
        "https://x.org/all",
        &[
            series("s1", ""),
            session("a", r#""s1""#, "2026-12-01T10:00:00Z", ""),
            // 23:30 UTC on the 1st is already the 1st in UK winter time: still past.
            session("b", r#""s1""#, "2026-12-01T23:30:00Z", ""),
            session("c", r#""s1""#, "2026-12-02T08:00:00Z", ""),
            session("d", r#""s1""#, "2027-01-05T10:00:00Z", ""),
        ],
    );
    let l = join::load_upcoming(&[&h], &Options::default(), "2026-12-02");
    assert_eq!(dates(&l.feed.activities[0]), ["2026-12-02", "2027-01-05"]);
    // A summer session late in the evening UTC is the next day in UK time.
    let h = feed(
        "https://x.org/all",
        &[
            series("s1", ""),
            session("a", r#""s1""#, "2027-06-30T23:30:00Z", ""),
        ],
    );
    let l = join::load_upcoming(&[&h], &Options::default(), "2027-07-01");
    assert_eq!(dates(&l.feed.activities[0]), ["2027-07-01"]);
    // A series whose sessions are all past is still listed, with its schedule.
    let l = join::load_upcoming(&[&h], &Options::default(), "2028-01-01");
    assert_eq!(l.feed.activities.len(), 1);
    assert!(l.feed.activities[0].dates.is_empty());
}

#[test]
fn a_date_only_exception_drops_that_days_session_and_the_schedule_skips_it() {
    let h = feed(
        "https://x.org/all",
        &[
            series(
                "s1",
                r#","eventSchedule":{"byDay":["https://schema.org/Monday"],"startTime":"10:00",
                    "repeatFrequency":"P1W","exceptDate":["2027-12-27"]}"#,
            ),
            session("a", r#""s1""#, "2027-12-20T10:00:00Z", ""),
            session("b", r#""s1""#, "2027-12-27T10:00:00Z", ""),
            session("d", r#""s1""#, "2028-01-10T10:00:00Z", ""),
        ],
    );
    let l = join::load(&[&h], &Options::default());
    let a = &l.feed.activities[0];
    assert_eq!(dates(a), ["2027-12-20", "2028-01-10"]);
    // The weekly slot itself is not offered on the excepted Monday either.
    assert_eq!(a.schedule[0].except, ["2027-12-27"]);
    let next = activity_map_core::schedule::next_session(a, "2027-12-21").unwrap();
    assert_ne!(next.0, "2027-12-27");
}
