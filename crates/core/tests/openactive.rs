//! The OpenActive adapter: the real published examples in `tests/fixtures/openactive/`,
//! then hand-written edge cases and reviewed bugs.

mod common;

use activity_map_core::feed::{load, Options, Outcome, Shape};
use activity_map_core::model::{Feature, Joining, Weekday};
use common::*;

#[test]
fn openactive_session_series_fixture() {
    let l = load(
        &fixture("openactive/sessionseries_example_1.json"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(l.shape, Shape::OpenActive);
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(l.feed.feed.name, "OpenActive feed");
    assert_eq!(
        l.feed.feed.licence.as_deref(),
        Some("https://creativecommons.org/licenses/by/4.0/")
    );
    let a = only(&l);
    assert_eq!(a.id, "1402CBP20150217");
    assert_eq!(a.name, "Virtual BODYPUMP");
    assert_eq!(a.tags, ["bodypump™"]);
    assert!(a.description.starts_with("This is the virtual version"));
    let p = a.point().expect("a pin");
    assert_eq!((p.lat, p.lng), (54.543964, -1.20978500000001));
    assert_eq!(
        a.location.place.as_deref(),
        Some("Middlesbrough Sports Village")
    );
    assert_eq!(
        a.location.address.as_deref(),
        Some("Alan Peacock Way, Village East, Middlesbrough")
    );
    assert_eq!(a.location.postcode.as_deref(), Some("TS4 3AE"));
    // eventSchedule: every Tuesday 20:15–20:45.
    assert_eq!(a.schedule.len(), 1);
    assert_eq!(a.schedule[0].days, [Weekday::Tue]);
    assert_eq!(
        (a.schedule[0].start, a.schedule[0].end),
        (t("20:15"), Some(t("20:45")))
    );
    assert_eq!(a.schedule[0].note, None);
    // subEvent startDate 2018-10-02T19:15:00Z is 20:15 in British Summer Time.
    assert_eq!(a.dates.len(), 2);
    assert_eq!(a.dates[0].date, "2018-10-02");
    assert_eq!(
        (a.dates[0].start, a.dates[0].end),
        (Some(t("20:15")), Some(t("20:45")))
    );
    assert_eq!(a.dates[1].date, "2018-10-09");
    assert!(!a.cost.free);
    assert_eq!(a.cost.description.as_deref(), Some("£3.30"));
    assert_eq!(a.ages.map(|g| (g.min, g.max)), Some((Some(16), None)));
    assert_eq!(a.organiser.as_deref(), Some("Everyone Active"));
    assert_eq!(a.contact.email.as_deref(), Some("customerservices@gll.org"));
    assert_eq!(a.contact.phone.as_deref(), Some("01455 890508"));
    assert!(a
        .contact
        .website
        .as_deref()
        .unwrap_or("")
        .starts_with("https://profile.everyoneactive.com/booking"));
    assert_eq!(a.joining, [Joining::Booking]);
    // "Visual impairment" support is not a venue feature.
    assert!(a.accessibility.is_empty());
}

#[test]
fn openactive_scheduled_session_fixture_reads_its_super_event() {
    let l = load(
        &fixture("openactive/scheduledsession_example_1.json"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(l.shape, Shape::OpenActive);
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    let a = only(&l);
    assert_eq!(a.id, "C5EE1E55-2DE6-44F7-A865-42F268A82C63");
    assert_eq!(a.name, "Hot Yoga");
    // Venue, organiser and price come from the superEvent.
    assert_eq!(
        a.location.place.as_deref(),
        Some("Middlesbrough Sports Village")
    );
    assert!(a.point().is_some());
    assert_eq!(a.organiser.as_deref(), Some("Better"));
    assert_eq!(
        a.contact.website.as_deref(),
        Some("http://www.notyetimplemented.com")
    );
    assert_eq!(a.cost.description.as_deref(), Some("£3.30"));
    // A dated occurrence: its own date, not the series' weekly slots.
    assert_eq!(a.dates.len(), 1);
    assert_eq!(a.dates[0].date, "2018-10-03");
    assert_eq!(
        (a.dates[0].start, a.dates[0].end),
        (Some(t("20:15")), Some(t("21:15")))
    );
    assert!(a.schedule.is_empty());
}

#[test]
fn openactive_facility_use_fixture() {
    let l = load(
        &fixture("openactive/facilityuse_example_1.json"),
        &Options::default(),
    )
    .unwrap();
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    let a = only(&l);
    assert_eq!(a.name, "Outdoor Tennis");
    assert_eq!(a.category, "green");
    assert_eq!(a.tags, ["tennis court"]);
    assert_eq!(a.location.postcode.as_deref(), Some("BS1 4SD"));
    assert_eq!(a.point().map(|p| p.lat), Some(51.5282923438685));
    // hoursAvailable → four weekly slots.
    assert_eq!(a.schedule.len(), 4);
    assert_eq!(a.schedule[0].days, [Weekday::Sun]);
    assert_eq!(
        (a.schedule[0].start, a.schedule[0].end),
        (t("09:00"), Some(t("17:30")))
    );
    assert_eq!(
        a.schedule[1].days,
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu]
    );
    assert_eq!(a.cost.description.as_deref(), Some("£10"));
    assert_eq!(a.organiser.as_deref(), Some("Everyone Active"));
    assert_eq!(a.joining, [Joining::Booking]);
}

#[test]
fn openactive_event_fixture() {
    let l = load(
        &fixture("openactive/event_example_1.json"),
        &Options::default(),
    )
    .unwrap();
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    let a = only(&l);
    assert_eq!(a.id, "151175");
    assert_eq!(a.name, "Alan's social ride group Gorhambury House loop");
    assert_eq!(a.category, "green");
    assert_eq!(a.tags, ["road cycling"]);
    assert!(a.cost.free);
    assert_eq!(a.cost.description, None);
    assert_eq!(a.dates.len(), 1);
    assert_eq!(a.dates[0].date, "2019-08-25");
    assert_eq!(
        (a.dates[0].start, a.dates[0].end),
        (Some(t("10:00")), Some(t("12:40")))
    );
    assert_eq!(a.organiser.as_deref(), Some("Alan's social ride group"));
    assert_eq!(
        a.contact.website.as_deref(),
        Some("https://www.letsride.co.uk/rides/gorhambury-house-loop")
    );
    assert_eq!(a.joining, [Joining::Booking]);
}

#[test]
fn openactive_deleted_items_are_dropped_silently() {
    let doc = rpde(&format!(
        r#"{{"state":"deleted","kind":"SessionSeries","id":"gone","modified":2}},{},
           {{"state":"deleted","kind":"SessionSeries","id":"gone-too","modified":3,"data":null}}"#,
        series("kept", "SessionSeries", "")
    ));
    let l = load_str(&doc);
    assert_eq!(l.shape, Shape::OpenActive);
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(only(&l).id, "kept");
}

#[test]
fn openactive_plain_and_dotted_kinds_read_alike() {
    let plain = load_str(&rpde(&series("s1", "SessionSeries", "")));
    let dotted = load_str(&rpde(&series("s1", "SessionSeries.ScheduledSession", "")));
    assert_eq!(plain.feed.activities, dotted.feed.activities);
    let a = only(&plain);
    assert_eq!(a.name, "Chair yoga");
    // Coordinates written as strings are accepted.
    assert_eq!(a.point().map(|p| (p.lat, p.lng)), Some((52.63, 1.29)));
    assert_eq!(a.location.postcode.as_deref(), Some("NR1 1AA"));
    assert_eq!(
        a.location.address.as_deref(),
        Some("1 Church Lane, Norwich")
    );
    // A ScheduledSession whose superEvent is only a URL still needs a name of its own.
    let bare = load_str(&rpde(
        r#"{"state":"updated","kind":"ScheduledSession","id":"x","data":{"@type":"ScheduledSession",
            "superEvent":"https://example.org/series/1","startDate":"2026-01-05T10:00:00Z"}}"#,
    ));
    assert!(bare.feed.activities.is_empty());
    assert_eq!(bare.problems[0].outcome, Outcome::Skipped);
    assert!(
        bare.problems[0].message.contains("name"),
        "{}",
        bare.problems[0].message
    );
}

#[test]
fn openactive_items_without_usable_data_are_skipped() {
    let doc = rpde(&format!(
        r#"{{"state":"updated","kind":"SessionSeries","id":"no-data","modified":1}},
           {{"state":"updated","kind":"SessionSeries","id":"text-data","data":"oops"}},
           42,
           {}"#,
        series("good", "SessionSeries", "")
    ));
    let l = load_str(&doc);
    assert_eq!(only(&l).id, "good");
    assert_eq!(l.skipped(), 3);
    let at: Vec<&str> = l.problems.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(at, ["/items/0", "/items/1/data", "/items/2"]);
    assert_eq!(l.problems[0].record.as_deref(), Some("no-data"));
    assert!(
        l.problems[0].message.contains("no data"),
        "{}",
        l.problems[0].message
    );
    assert!(l.problems[1].message.contains("not an object"));
}

#[test]
fn openactive_offers_with_prices() {
    let paid = load_str(&rpde(&series(
        "p",
        "SessionSeries",
        r#""offers":[{"name":"Concession","price":"3.50","priceCurrency":"GBP"},
                    {"name":"Adult","price":5,"priceCurrency":"GBP"},
                    {"name":"Typo","price":"three pounds"}]"#,
    )));
    let a = only(&paid);
    assert!(!a.cost.free);
    assert_eq!(a.cost.description.as_deref(), Some("£3.50 to £5"));
    // No booking link and nothing else saying so: just come along.
    assert_eq!(a.joining, [Joining::SelfReferral]);
    assert_eq!(paid.problems.len(), 1, "{:#?}", paid.problems);
    assert_eq!(paid.problems[0].at, "/items/0/data/offers/2/price");
    assert_eq!(paid.problems[0].outcome, Outcome::FieldDropped);

    let free = load_str(&rpde(&series(
        "f",
        "SessionSeries",
        r#""offers":[{"price":0,"url":"https://example.org/book"}]"#,
    )));
    let a = only(&free);
    assert!(a.cost.free);
    assert_eq!(a.joining, [Joining::Booking]);

    let mixed = load_str(&rpde(&series(
        "m",
        "SessionSeries",
        r#""offers":[{"price":0},{"price":2,"priceCurrency":"EUR"}]"#,
    )));
    assert_eq!(only(&mixed).cost.description.as_deref(), Some("Free to €2"));
}

#[test]
fn openactive_bad_byday_is_reported_and_left_out() {
    let l = load_str(&rpde(&series(
        "b",
        "SessionSeries",
        r#""eventSchedule":[
            {"repeatFrequency":"P1W","byDay":["https://schema.org/Funday","https://schema.org/Monday"],"startTime":"10:00","endTime":"11:00"},
            {"repeatFrequency":"P1W","byDay":["https://schema.org/Caturday"],"startTime":"10:00"},
            {"repeatFrequency":"P1W","byDay":["https://schema.org/Friday"],"startTime":"ten"},
            {"repeatFrequency":"P1M","byMonthWeek":1,"byDay":["https://schema.org/Saturday"],"startTime":"14:00","endTime":"16:00"}]"#,
    )));
    let a = only(&l);
    assert_eq!(a.schedule.len(), 2, "{:#?}", a.schedule);
    assert_eq!(a.schedule[0].days, [Weekday::Mon]);
    assert_eq!(a.schedule[1].days, [Weekday::Sat]);
    assert_eq!(
        a.schedule[1].note.as_deref(),
        Some("1st Saturday of the month")
    );
    assert!(l
        .problems
        .iter()
        .all(|p| p.outcome == Outcome::FieldDropped));
    assert!(l.problems.iter().any(|p| p.message.contains("Funday")));
    assert!(l.problems.iter().any(|p| p.message.contains("Caturday")));
    assert!(l
        .problems
        .iter()
        .any(|p| p.at == "/items/0/data/eventSchedule/2/startTime"));
}

#[test]
fn openactive_non_http_url_is_dropped() {
    let l = load_str(&rpde(&series(
        "u",
        "SessionSeries",
        r#""url":"javascript:alert(1)","organizer":{"name":"Parish Council","url":"https://parish.example.org","email":"not an email"}"#,
    )));
    let a = only(&l);
    // The unusable link is left out and the organiser's site is used instead.
    assert_eq!(
        a.contact.website.as_deref(),
        Some("https://parish.example.org")
    );
    assert_eq!(a.contact.email, None);
    assert_eq!(a.organiser.as_deref(), Some("Parish Council"));
    let dropped: Vec<(&str, Outcome)> = l
        .problems
        .iter()
        .map(|p| (p.at.as_str(), p.outcome))
        .collect();
    assert_eq!(
        dropped,
        [
            ("/items/0/data/url", Outcome::FieldDropped),
            ("/items/0/data/organizer/email", Outcome::FieldDropped)
        ]
    );
    assert!(l.problems[0].message.contains("javascript:alert(1)"));
}

#[test]
fn openactive_html_description_becomes_plain_text() {
    let l = load_str(&rpde(&series(
        "h",
        "SessionSeries",
        r#""description":"<p>A gentle <b>walk</b> &amp; talk.</p><script>alert(1)</script>""#,
    )));
    let a = only(&l);
    assert_eq!(&*a.description, "A gentle walk & talk. alert(1)");
    assert_eq!(a.category, "green");
}

#[test]
fn openactive_accessibility_ages_and_online() {
    let l = load_str(&rpde(&series(
        "acc",
        "SessionSeries",
        r#""accessibilitySupport":[{"prefLabel":"Wheelchair user"},{"prefLabel":"Visual impairment"}],
           "accessibilityInformation":"Hearing loop in the main hall; accessible toilet on the ground floor.",
           "ageRange":{"minValue":18,"maxValue":"65"}"#,
    )));
    let a = only(&l);
    assert_eq!(
        a.accessibility,
        [
            Feature::Wheelchair,
            Feature::AccessibleToilet,
            Feature::HearingLoop
        ]
    );
    assert_eq!(a.ages.map(|g| (g.min, g.max)), Some((Some(18), Some(65))));

    let online = load_str(&rpde(
        r#"{"state":"updated","kind":"SessionSeries","id":"o","data":{"name":"Online choir",
            "eventAttendanceMode":"https://schema.org/OnlineEventAttendanceMode"}}"#,
    ));
    assert!(online.problems.is_empty(), "{:#?}", online.problems);
    assert!(only(&online).location.online);
}

#[test]
fn openactive_bad_coordinates_keep_the_listing_without_a_pin() {
    let l = load_str(&rpde(
        r#"{"state":"updated","kind":"SessionSeries","id":"g","data":{"name":"Walk",
            "location":{"name":"Park","geo":{"latitude":91,"longitude":1.2}}}}"#,
    ));
    let a = only(&l);
    assert!(a.point().is_none());
    assert_eq!(a.location.place.as_deref(), Some("Park"));
    assert_eq!(l.problems.len(), 1);
    assert_eq!(l.problems[0].at, "/items/0/data/location/geo");
    assert_eq!(l.problems[0].outcome, Outcome::NoPin);
    assert!(l.problems[0].message.contains("latitude 91"));
}

#[test]
fn openactive_series_start_cancelled_sessions_and_url_references() {
    // A series' own startDate starts the run; it is not a session date.
    let l = load_str(&rpde(&series(
        "s",
        "SessionSeries",
        r#""startDate":"2026-01-05","eventSchedule":[{"repeatFrequency":"P1W","byDay":["https://schema.org/Monday"],"startTime":"10:00"}]"#,
    )));
    let a = only(&l);
    assert!(a.dates.is_empty(), "{:#?}", a.dates);
    assert_eq!(a.schedule[0].days, [Weekday::Mon]);

    // A session whose own location and organizer are only URL references uses the
    // superEvent's objects.
    let l = load_str(&rpde(
        r#"{"state":"updated","kind":"ScheduledSession","id":"ss","data":{"@type":"ScheduledSession",
            "startDate":"2026-01-12T10:00:00Z","endDate":"2026-01-12T11:00:00Z",
            "location":"https://example.org/places/1","organizer":"https://example.org/orgs/1",
            "superEvent":{"@type":"SessionSeries","name":"Tai chi",
              "organizer":{"@type":"Person","givenName":"Ada","familyName":"Lovelace","telephone":"01603 000000"},
              "location":{"name":"Hall","geo":{"latitude":52.6,"longitude":1.3}}}}},
           {"state":"updated","kind":"ScheduledSession","id":"cx","data":{"@type":"ScheduledSession","name":"Tai chi",
            "eventStatus":"https://schema.org/EventCancelled","startDate":"2026-01-19T10:00:00Z"}}"#,
    ));
    let a = only(&l);
    assert_eq!(a.name, "Tai chi");
    assert_eq!(a.location.place.as_deref(), Some("Hall"));
    assert!(a.point().is_some());
    assert_eq!(a.organiser.as_deref(), Some("Ada Lovelace"));
    assert_eq!(a.contact.phone.as_deref(), Some("01603 000000"));
    // January: GMT, so 10:00Z is 10:00 in the UK.
    assert_eq!(
        (a.dates[0].date.as_str(), a.dates[0].start),
        ("2026-01-12", Some(t("10:00")))
    );
    // The cancelled session is not listed, and the publisher is told why.
    assert_eq!(l.problems.len(), 1, "{:#?}", l.problems);
    assert_eq!(l.problems[0].outcome, Outcome::Skipped);
    assert!(l.problems[0].message.contains("EventCancelled"));
}

#[test]
fn keyword_categories_match_word_starts() {
    let l = load_str(&rpde(
        r#"{"state":"updated","kind":"SessionSeries","id":"a","data":{"name":"Aircraft modelling","eventAttendanceMode":"https://schema.org/OnlineEventAttendanceMode"}},
           {"state":"updated","kind":"SessionSeries","id":"b","data":{"name":"Signature bakes","eventAttendanceMode":"https://schema.org/OnlineEventAttendanceMode"}},
           {"state":"updated","kind":"SessionSeries","id":"c","data":{"name":"Nature walk","eventAttendanceMode":"https://schema.org/OnlineEventAttendanceMode"}}"#,
    ));
    let cats: Vec<&str> = l
        .feed
        .activities
        .iter()
        .map(|a| a.category.as_str())
        .collect();
    assert_eq!(cats, ["hub", "hub", "green"]);
}

#[test]
fn an_event_schedule_keeps_its_except_dates() {
    let doc = rpde(&series(
        "s1",
        "SessionSeries",
        r#""eventSchedule":[{"@type":"PartialSchedule","repeatFrequency":"P1W",
            "byDay":["https://schema.org/Thursday"],"startTime":"10:00","endTime":"11:00",
            "exceptDate":["2026-12-24T10:00:00Z","2026-12-31T10:00:00Z","not a date"]}]"#,
    ));
    let l = load(doc.as_bytes(), &Options::default()).unwrap();
    let a = only(&l);
    assert_eq!(a.schedule.len(), 1);
    assert_eq!(a.schedule[0].except, ["2026-12-24", "2026-12-31"]);
    assert_eq!(
        activity_map_core::schedule::next_session(a, "2026-12-22")
            .unwrap()
            .0,
        "2027-01-07"
    );
    // The one that is not a date is reported, and only that one is left out.
    assert!(
        l.problems.iter().any(|p| p.at.ends_with("/exceptDate/2")),
        "{:#?}",
        l.problems
    );
    // The calendar file repeats weekly without those dates.
    let ics = activity_map_core::ics::next_session_ics(
        a,
        "2026-12-22",
        "20261222T090000Z",
        None,
        activity_map_core::lang::Messages::english(),
    )
    .unwrap();
    assert!(ics.contains("RRULE:FREQ=WEEKLY;BYDAY=TH"), "{ics}");
    assert!(
        ics.contains("EXDATE;TZID=Europe/London:20261224T100000"),
        "{ics}"
    );
    assert!(
        ics.contains("EXDATE;TZID=Europe/London:20261231T100000"),
        "{ics}"
    );
}

#[test]
fn openactive_date_modified_is_when_the_listing_was_checked() {
    let l = load_str(&rpde(&series(
        "m",
        "SessionSeries",
        r#""dateModified":"2026-09-14T10:20:00Z""#,
    )));
    assert_eq!(only(&l).checked.as_deref(), Some("2026-09-14"));
    // Not a date: left out quietly; the item's RPDE `modified` number is not a date either.
    let l = load_str(&rpde(&series(
        "m",
        "SessionSeries",
        r#""dateModified":"yesterday""#,
    )));
    assert_eq!(only(&l).checked, None);
    let l = load_str(&rpde(&series("m", "SessionSeries", "")));
    assert_eq!(only(&l).checked, None);
}
