//! Our own format (`activity-map/1`): hand-written edge cases and reviewed loader bugs.

mod common;

use activity_map_core::feed::{load, Options, Outcome};
use activity_map_core::model::{Feature, Joining, Weekday};
use common::*;

#[test]
fn a_bare_less_than_keeps_the_rest_of_the_text() {
    let l = load_str(&native(&act(
        "lt",
        r#""description":"Walk lasts <1 hour, then tea""#,
    )));
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(&*only(&l).description, "Walk lasts <1 hour, then tea");
}

#[test]
fn many_unpinned_records_load_in_linear_time() {
    let one = r#"{"id":"u{}","name":"Club","category":"hub"}"#;
    let list: Vec<String> = (0..40_000)
        .map(|i| one.replace("{}", &i.to_string()))
        .collect();
    let doc = native(&list.join(","));
    let t = std::time::Instant::now();
    let l = load_str(&doc);
    let took = t.elapsed();
    assert_eq!(l.problems.len(), 40_000);
    assert!(l
        .problems
        .iter()
        .all(|p| p.outcome == Outcome::NoPin && p.message.starts_with("no coordinates")));
    // Quadratic matching was slow even in release builds; linear is far below this.
    assert!(took < std::time::Duration::from_secs(8), "{took:?}");
}

#[test]
fn missing_place_notes_are_per_record_not_per_id() {
    // Two records share an id: the first has a bad point, the second none at all.
    // Each is told about its own location (and the second is then a duplicate).
    let doc = native(&format!(
        "{},{}",
        r#"{"id":"d","name":"A","category":"hub","location":{"lat":100,"lng":1}}"#,
        r#"{"id":"d","name":"B","category":"hub"}"#
    ));
    let l = load_str(&doc);
    let got: Vec<(&str, Outcome)> = l
        .problems
        .iter()
        .map(|p| (p.at.as_str(), p.outcome))
        .collect();
    assert_eq!(
        got,
        [
            ("/activities/0/location", Outcome::NoPin),
            ("/activities/1/location", Outcome::NoPin),
            ("/activities/1", Outcome::Skipped)
        ]
    );
}

#[test]
fn list_problems_point_at_the_true_entry() {
    let l = load_str(&native(&act(
        "pos",
        r#""accessibility":[7, {"x":1}, "wheelchair", "lift"],"joining":"self-referral, by magic""#,
    )));
    let got: Vec<(&str, &str)> = l
        .problems
        .iter()
        .map(|p| (p.at.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "/activities/0/accessibility/0",
                "\"7\" is not in the accessibility vocabulary"
            ),
            (
                "/activities/0/accessibility/1",
                "accessibility entry is not text"
            ),
            (
                "/activities/0/accessibility/3",
                "\"lift\" is not in the accessibility vocabulary"
            ),
            (
                "/activities/0/joining",
                "\"by magic\" is not one of self-referral, link-worker, booking"
            ),
        ]
    );
    let a = only(&l);
    assert_eq!(a.accessibility, [Feature::Wheelchair]);
    assert_eq!(a.joining, [Joining::SelfReferral]);
}

#[test]
fn am_pm_times_plural_days_and_checked_one_off_dates() {
    let l = load_str(&native(&act(
        "t",
        r#""schedule":[{"days":"Mondays, Weds","start":"7pm","end":"8.30pm"},
                       {"days":["Tues","Thurs"],"start":"10:00am","end":"12pm"},
                       {"days":["sat"],"start":"7:00pmish"}],
           "dates":[{"date":"2026-12-05","start":"7.30pm","end":"9pm"},
                    {"date":"2026-12-06","start":"ten","end":"soon"},
                    {"date":"2026-12-07","start":"11:00","end":"10:00"},
                    {"date":"2026-02-31"},
                    {"date":"2026-12-08junk"}]"#,
    )));
    let a = only(&l);
    assert_eq!(a.schedule.len(), 2, "{:#?}", a.schedule);
    assert_eq!(a.schedule[0].days, [Weekday::Mon, Weekday::Wed]);
    assert_eq!(
        (a.schedule[0].start, a.schedule[0].end),
        (t("19:00"), Some(t("20:30")))
    );
    assert_eq!(a.schedule[1].days, [Weekday::Tue, Weekday::Thu]);
    assert_eq!(
        (a.schedule[1].start, a.schedule[1].end),
        (t("10:00"), Some(t("12:00")))
    );
    assert_eq!(a.dates.len(), 3);
    assert_eq!(
        (a.dates[0].start, a.dates[0].end),
        (Some(t("19:30")), Some(t("21:00")))
    );
    assert_eq!((a.dates[1].start, a.dates[1].end), (None, None));
    assert_eq!((a.dates[2].start, a.dates[2].end), (Some(t("11:00")), None));
    let at: Vec<&str> = l.problems.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "/activities/0/schedule/2",
            "/activities/0/dates/1/start",
            "/activities/0/dates/1/end",
            "/activities/0/dates/2/end",
            "/activities/0/dates/3",
            "/activities/0/dates/4",
        ]
    );
    assert!(l
        .problems
        .iter()
        .all(|p| p.outcome == Outcome::FieldDropped && p.record.as_deref() == Some("t")));
    assert!(
        l.problems[0].message.contains("7:00pmish"),
        "{}",
        l.problems[0].message
    );
}

#[test]
fn another_format_is_read_as_v1_with_a_warning() {
    let doc = native(&act("f", "")).replace("activity-map/1", "activity-map/2");
    let l = load_str(&doc);
    assert_eq!(l.feed.activities.len(), 1);
    assert_eq!(l.problems.len(), 1);
    let p = &l.problems[0];
    assert_eq!(
        (p.at.as_str(), p.outcome, p.record.as_deref()),
        ("/format", Outcome::FieldDropped, None)
    );
    assert!(
        p.message.contains("\"activity-map/2\"") && p.message.contains("read as activity-map/1"),
        "{}",
        p.message
    );
    // Missing is fine; not text is reported too.
    assert!(
        load_str(&native(&act("f", "")).replace(r#""format":"activity-map/1","#, ""))
            .problems
            .is_empty()
    );
    assert_eq!(
        load_str(&native(&act("f", "")).replace(r#""activity-map/1""#, "2"))
            .problems
            .len(),
        1
    );
}

#[test]
fn a_bad_checked_date_names_its_record() {
    let l = load_str(&native(&act("c", r#""checked":"last week""#)));
    assert_eq!(l.problems.len(), 1);
    assert_eq!(l.problems[0].record.as_deref(), Some("c"));
    assert_eq!(l.problems[0].at, "/activities/0/checked");
}

#[test]
fn repeated_categories_are_reported_and_ignored() {
    let doc = r##"{"format":"activity-map/1","feed":{"name":"T"},"categories":[
        {"id":"arts","label":"Arts","colour":"#aa00aa"},
        {"id":"arts","label":"Arts again","colour":"#000000"},
        {"id":"green","label":"My green","colour":"#00ff00"}],
        "activities":[{"id":"x","name":"Choir","category":"arts","location":{"online":true}}]}"##;
    let l = load_str(doc);
    assert_eq!(l.feed.categories.len(), 1);
    assert_eq!(l.feed.categories[0].label, "Arts");
    let got: Vec<(&str, Outcome)> = l
        .problems
        .iter()
        .map(|p| (p.at.as_str(), p.outcome))
        .collect();
    assert_eq!(
        got,
        [
            ("/categories/1", Outcome::Skipped),
            ("/categories/2", Outcome::Skipped)
        ]
    );
    assert!(l.problems[0].message.contains("already declared"));
    assert!(l.problems[1].message.contains("built in"));
}

#[test]
fn forcing_an_unknown_category_declares_it() {
    let opts = Options {
        force_category: Some("wellbeing".into()),
        ..Options::default()
    };
    let l = load(
        native(&format!("{},{}", act("a", ""), act("b", ""))).as_bytes(),
        &opts,
    )
    .unwrap();
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(l.feed.activities.len(), 2);
    assert!(l.feed.activities.iter().all(|a| a.category == "wellbeing"));
    assert_eq!(l.feed.categories.len(), 1);
    let c = &l.feed.categories[0];
    assert_eq!(
        (c.id.as_str(), c.label.as_str(), c.colour.as_str()),
        ("wellbeing", "wellbeing", "#475569")
    );
    // A built-in one is not declared again.
    let opts = Options {
        force_category: Some("green".into()),
        ..Options::default()
    };
    assert!(load(native(&act("a", "")).as_bytes(), &opts)
        .unwrap()
        .feed
        .categories
        .is_empty());
}

#[test]
fn www_links_are_checked_and_mailto_any_case_is_an_email() {
    let l = load_str(&native(&act(
        "w",
        r#""contact":{"website":"www.example.org/a b","email":"MAILTO:walks@example.org"}"#,
    )));
    let a = only(&l);
    assert_eq!(a.contact.website, None);
    assert_eq!(a.contact.email.as_deref(), Some("walks@example.org"));
    assert_eq!(l.problems.len(), 1);
    assert_eq!(l.problems[0].at, "/activities/0/contact/website");
}

#[test]
fn a_slot_names_the_dates_it_does_not_run_on() {
    let l = load_str(&native(&act(
        "x",
        r#""schedule":[{"days":["tue"],"start":"10:00","end":"12:00","except":["2026-12-22","2026-12-29"]}]"#,
    )));
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    let a = only(&l);
    assert_eq!(a.schedule[0].except, ["2026-12-22", "2026-12-29"]);
    // The next session skips both; "on today" is false on them.
    let next = activity_map_core::schedule::next_session(a, "2026-12-21").unwrap();
    assert_eq!(next.0, "2027-01-05");
    assert!(!activity_map_core::schedule::runs_on(
        a,
        Weekday::Tue,
        Some("2026-12-22")
    ));
    assert!(activity_map_core::schedule::runs_on(
        a,
        Weekday::Tue,
        Some("2027-01-05")
    ));
    assert!(activity_map_core::schedule::runs_on(a, Weekday::Tue, None));
    assert_eq!(
        activity_map_core::schedule::when_in_words(a, activity_map_core::lang::Messages::english()),
        ["Tuesdays 10:00–12:00 (not on Tue 22 Dec 2026 and Tue 29 Dec 2026)"]
    );
}

#[test]
fn a_slot_with_an_exception_that_is_not_a_date_is_reported() {
    let l = load_str(&native(&act(
        "x",
        r#""schedule":[{"days":["tue"],"start":"10:00","except":["Christmas"]}]"#,
    )));
    assert!(only(&l).schedule.is_empty());
    assert!(
        l.problems
            .iter()
            .any(|p| p.message.contains("except \"Christmas\" is not a date")),
        "{:#?}",
        l.problems
    );
}
