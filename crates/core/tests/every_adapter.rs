//! What every adapter must do alike: never panic on odd values in the published
//! examples, and read times, ages, entities, addresses, costs and ids the same way
//! whichever shape the feed has.

mod common;

use activity_map_core::feed::{Options, Outcome};
use common::*;

#[test]
fn odd_values_anywhere_in_the_fixtures_never_panic() {
    use serde_json::{json, Value};
    let odd = [
        json!(null),
        json!(-1),
        json!(1e308),
        json!(""),
        json!("x"),
        json!("2018-13-45T99:99:99+99:99"),
        json!("\u{0}"),
        json!([]),
        json!([null, 7]),
        json!({}),
        json!(true),
    ];
    let files = [
        "openactive/sessionseries_example_1.json",
        "openactive/scheduledsession_example_1.json",
        "openactive/facilityuse_example_1.json",
        "openactive/event_example_1.json",
        "oruk/service_list.json",
        "oruk/service_full.json",
        "oruk/service_at_location_full.json",
        "oruk/service_at_location_list.json",
    ];
    let mut runs = 0;
    for file in files {
        let doc: Value = serde_json::from_slice(&fixture(file)).unwrap();
        let mut paths = Vec::new();
        pointers(&doc, String::new(), &mut paths);
        for path in paths.iter().filter(|p| !p.is_empty()) {
            for v in &odd {
                let mut d = doc.clone();
                if let Some(slot) = d.pointer_mut(path) {
                    *slot = v.clone();
                }
                // Either a clean error (the shape is no longer recognised) or a load.
                let _ = activity_map_core::feed::load_value(&d, &Options::default());
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}

#[test]
fn an_id_that_is_not_text_is_named_as_such() {
    let l = load_str(&native(
        r#"{"id":true,"name":"Walk","category":"green","location":{"online":true}}"#,
    ));
    assert_eq!(l.problems.len(), 1);
    assert_eq!(l.problems[0].message, "id must be text or a number");
    assert_eq!(l.problems[0].record.as_deref(), Some("Walk"));
    let l = load_str(&native(r#"{"name":"Walk","category":"green"}"#));
    assert_eq!(l.problems[0].message, "required field id is missing");
    let l = load_str(&native(r#"{"category":"green"}"#));
    assert_eq!(
        l.problems[0].message,
        "required fields id and name are missing"
    );
    let l = load_str(r#"{"id":{"x":1},"name":"Club","status":"active"}"#);
    assert_eq!(
        l.problems[0].message,
        "service id must be text or a number, so it cannot be listed"
    );
}

#[test]
fn oruk_and_openactive_read_am_pm_and_report_bad_end_dates() {
    let l = load_str(
        r#"{"id":"s","name":"Club","status":"active","schedules":[{"freq":"WEEKLY","byday":"TU","opens_at":"9am","closes_at":"11.30am"}]}"#,
    );
    let a = only(&l);
    assert_eq!(
        (a.schedule[0].start, a.schedule[0].end),
        (t("9:00"), Some(t("11:30")))
    );
    let l = load_str(&rpde(
        r#"{"state":"updated","kind":"ScheduledSession","id":"e","data":{"@type":"ScheduledSession","name":"Talk",
            "location":{"name":"Hall","geo":{"latitude":52.6,"longitude":1.3}},
            "startDate":"2026-01-12T10:00:00Z","endDate":"2026-01-12T09:00:00Z"}},
           {"state":"updated","kind":"ScheduledSession","id":"f","data":{"@type":"ScheduledSession","name":"Talk",
            "location":{"name":"Hall","geo":{"latitude":52.6,"longitude":1.3}},
            "startDate":"2026-01-12T10:00:00Z","endDate":"2026-01-12T10:99"}}"#,
    ));
    assert_eq!(l.feed.activities.len(), 2);
    assert!(l.feed.activities.iter().all(|a| a.dates[0].end.is_none()));
    let at: Vec<&str> = l.problems.iter().map(|p| p.at.as_str()).collect();
    assert_eq!(at, ["/items/0/data/endDate", "/items/1/data/endDate"]);
}

#[test]
fn numeric_entities_and_impossible_ages() {
    let l = load_str(&native(&act(
        "e",
        r#""description":"Ages 8&#8211;12 &#x2013; &pound;2","ages":{"min":30,"max":20}"#,
    )));
    let a = only(&l);
    assert_eq!(&*a.description, "Ages 8–12 – £2");
    assert_eq!(a.ages, None);
    assert_eq!(l.problems.len(), 1);
    assert_eq!(
        (l.problems[0].at.as_str(), l.problems[0].outcome),
        ("/activities/0/ages", Outcome::FieldDropped)
    );
    let oa = load_str(&rpde(&series(
        "g",
        "SessionSeries",
        r#""ageRange":{"minValue":65,"maxValue":18}"#,
    )));
    assert_eq!(only(&oa).ages, None);
    assert_eq!(oa.problems[0].at, "/items/0/data/ageRange");
    let oruk = load_str(
        r#"{"id":"s","name":"Club","status":"active","eligibilitys":[{"minimum_age":40,"maximum_age":4}]}"#,
    );
    assert_eq!(only(&oruk).ages, None);
    assert!(oruk
        .problems
        .iter()
        .any(|p| p.at == "/eligibilitys/0" && p.outcome == Outcome::FieldDropped));
}

#[test]
fn addresses_do_not_repeat_the_place_name() {
    let l = load_str(&native(&act(
        "p",
        r#""location":{"lat":52.62,"lng":1.26,"place":"Eaton Park","address":"Eaton Park, Norwich","postcode":"NR4 7AU"}"#,
    )));
    let a = only(&l);
    assert_eq!(a.location.address.as_deref(), Some("Norwich"));
    assert_eq!(
        a.location
            .summary(activity_map_core::lang::Messages::english()),
        "Eaton Park, Norwich, NR4 7AU"
    );
    let oa = load_str(&rpde(
        r#"{"state":"updated","kind":"SessionSeries","id":"o","data":{"name":"Walk",
            "location":{"name":"Eaton Park","address":{"streetAddress":"Eaton Park","addressLocality":"Norwich"},
            "geo":{"latitude":52.62,"longitude":1.26}}}}"#,
    ));
    assert_eq!(
        only(&oa)
            .location
            .summary(activity_map_core::lang::Messages::english()),
        "Eaton Park, Norwich"
    );
}

#[test]
fn free_costs_start_with_free_everywhere() {
    let l = load_str(&native(&act("c", r#""cost":"Free, donations welcome""#)));
    assert!(only(&l).cost.free);
    assert_eq!(
        only(&l).cost.description.as_deref(),
        Some("Free, donations welcome")
    );
    let l = load_str(&native(&act("c", r#""cost":"Freedom Pass holders £2""#)));
    assert!(!only(&l).cost.free);
    let oruk = load_str(
        r#"{"id":"s","name":"Club","status":"active","cost_options":[{"option":"Not free: ask at the desk"}]}"#,
    );
    assert!(!only(&oruk).cost.free);
    let oruk = load_str(r#"{"id":"s","name":"Club","status":"active","fees":"FREE to members"}"#);
    assert!(only(&oruk).cost.free);
}
