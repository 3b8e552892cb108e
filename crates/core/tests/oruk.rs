//! The Open Referral UK adapter: the real published examples in `tests/fixtures/oruk/`,
//! then hand-written edge cases and reviewed bugs.

mod common;

use activity_map_core::feed::{load, Options, Outcome, Shape};
use activity_map_core::model::{Feature, Joining, Weekday};
use common::*;

#[test]
fn oruk_service_list_fixture_has_no_locations() {
    let l = load(&fixture("oruk/service_list.json"), &Options::default()).unwrap();
    assert_eq!(l.shape, Shape::Oruk);
    assert_eq!(l.feed.feed.name, "Open Referral UK services");
    let a = only(&l);
    assert_eq!(a.id, "ac148810-d857-441c-9679-408f346de14b");
    assert_eq!(a.name, "Community Counselling");
    assert!(a
        .description
        .starts_with("Counselling Services provided by trained professionals."));
    assert!(a.point().is_none());
    assert_eq!(a.organiser.as_deref(), Some("Example Organization Inc."));
    assert_eq!(
        a.contact.website.as_deref(),
        Some("http://example.com/counselling")
    );
    assert_eq!(a.contact.email.as_deref(), Some("email@example.com"));
    assert_eq!(a.ages.map(|g| (g.min, g.max)), Some((Some(12), Some(100))));
    assert_eq!(a.category, "hub");
    assert_eq!(l.problems.len(), 1);
    assert_eq!(l.problems[0].outcome, Outcome::NoPin);
    assert_eq!(l.problems[0].at, "/contents/0");
}

#[test]
fn oruk_service_full_fixture_latitude_100_is_listed_without_a_pin() {
    let l = load(&fixture("oruk/service_full.json"), &Options::default()).unwrap();
    assert_eq!(l.shape, Shape::Oruk);
    let a = only(&l);
    assert_eq!(a.id, "ac148810-d857-441c-9679-408f346de14b");
    assert!(a.point().is_none());
    assert_eq!(l.problems.len(), 1, "{:#?}", l.problems);
    let p = &l.problems[0];
    assert_eq!(p.outcome, Outcome::NoPin);
    assert_eq!(p.at, "/service_at_locations/0/location");
    assert!(p.message.contains("latitude"), "{}", p.message);
    // The rest of the record is still a usable listing.
    assert_eq!(a.location.place.as_deref(), Some("MyCity Civic Center"));
    assert_eq!(
        a.location.address.as_deref(),
        Some("1-30 Main Street, MyCity, MyState")
    );
    assert_eq!(a.location.postcode.as_deref(), Some("ABC 1234"));
    assert_eq!(a.schedule.len(), 1);
    assert_eq!(a.schedule[0].days, [Weekday::Thu, Weekday::Fri]);
    assert_eq!(
        (a.schedule[0].start, a.schedule[0].end),
        (t("10:00"), Some(t("18:00")))
    );
    assert!(!a.cost.free);
    assert_eq!(
        a.cost.description.as_deref(),
        Some("£35 per 1 hour session (Under 18s and Over 60s)")
    );
    assert_eq!(a.accessibility, [Feature::Wheelchair, Feature::HearingLoop]);
    assert_eq!(a.organiser.as_deref(), Some("Example Organization Inc."));
    assert_eq!(a.tags, ["name"]); // the example's taxonomy term is literally "name"
    assert_eq!(a.checked.as_deref(), Some("2005-01-01"));
}

#[test]
fn oruk_service_at_location_fixtures() {
    let full = load(
        &fixture("oruk/service_at_location_full.json"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(full.shape, Shape::Oruk);
    let a = only(&full);
    assert_eq!(
        a.id,
        "ac148810-d857-441c-9679-408f346de14b@3a19ff88-4620-4d17-9830-ac1d859eb5d5"
    );
    assert_eq!(a.name, "Community Counselling");
    assert_eq!(a.schedule[0].days, [Weekday::Thu, Weekday::Fri]);
    assert_eq!(a.accessibility, [Feature::Wheelchair, Feature::HearingLoop]);
    assert_eq!(full.problems.len(), 1);
    assert_eq!(full.problems[0].at, "/location");
    assert_eq!(full.problems[0].outcome, Outcome::NoPin);

    let page = load(
        &fixture("oruk/service_at_location_list.json"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(page.shape, Shape::Oruk);
    let a = only(&page);
    assert_eq!(a.location.place.as_deref(), Some("MyCity Civic Center"));
    assert!(a.point().is_none());
    assert_eq!(page.problems.len(), 1);
    assert_eq!(page.problems[0].at, "/contents/0/location");
    assert!(page.problems[0].message.contains("latitude 100"));
}

#[test]
fn oruk_service_at_several_locations_gives_one_activity_each() {
    let doc = r#"{"contents":[{"id":"s1","name":"Gardening club","status":"active",
        "schedules":[{"freq":"WEEKLY","byday":"MO","opens_at":"10:00","closes_at":"12:00"}],
        "service_at_locations":[
          {"id":"sal1","location":{"id":"L1","name":"Allotments","latitude":52.1,"longitude":1.1,
             "addresses":[{"address_type":"postal","address_1":"PO Box 1","postal_code":"nr1 9zz"},
                          {"address_type":"physical","address_1":"Field Lane","city":"Cromer","postal_code":"nr27 9aa"}]},
           "schedules":[{"freq":"WEEKLY","byday":"SA","opens_at":"09:00"}]},
          {"id":"sal2","location":{"name":"Community garden","latitude":"52.2","longitude":"1.2"}}]}]}"#;
    let l = load_str(doc);
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    let ids: Vec<&str> = l.feed.activities.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["s1@L1", "s1@1"]);
    let (a, b) = (&l.feed.activities[0], &l.feed.activities[1]);
    assert_eq!(a.category, "green");
    assert_eq!(a.location.address.as_deref(), Some("Field Lane, Cromer"));
    assert_eq!(a.location.postcode.as_deref(), Some("NR27 9AA"));
    assert_eq!(a.point().map(|p| (p.lat, p.lng)), Some((52.1, 1.1)));
    // The service's Monday slot, plus this location's own Saturday one.
    let days: Vec<Vec<Weekday>> = a.schedule.iter().map(|s| s.days.clone()).collect();
    assert_eq!(days, [vec![Weekday::Mon], vec![Weekday::Sat]]);
    assert_eq!(b.schedule.len(), 1);
    assert_eq!(b.point().map(|p| p.lat), Some(52.2));
}

#[test]
fn oruk_schedules_ordinals_dates_and_bad_byday() {
    let doc = r#"{"id":"s2","name":"Repair cafe","organization":{"name":"Transition Town"},
        "schedules":[
          {"freq":"MONTHLY","byday":"1SA","opens_at":"10:00:00","closes_at":"13:00:00"},
          {"freq":"WEEKLY","byday":"MO,XX","opens_at":"18:00"},
          {"freq":"WEEKLY","byday":"ZZ","opens_at":"18:00"},
          {"freq":"WEEKLY","byday":"TU","opens_at":"9ish"},
          {"valid_from":"2026-12-05","opens_at":"11:00","closes_at":"15:00"},
          {"freq":"MONTHLY","bymonthday":"15","opens_at":"10:00"}]}"#;
    let l = load_str(doc);
    let a = only(&l);
    assert_eq!(a.schedule.len(), 2, "{:#?}", a.schedule);
    assert_eq!(a.schedule[0].days, [Weekday::Sat]);
    assert_eq!(
        a.schedule[0].note.as_deref(),
        Some("1st Saturday of the month")
    );
    assert_eq!(
        (a.schedule[0].start, a.schedule[0].end),
        (t("10:00"), Some(t("13:00")))
    );
    assert_eq!(a.schedule[1].days, [Weekday::Mon]);
    assert_eq!(a.dates.len(), 1);
    assert_eq!(a.dates[0].date, "2026-12-05");
    assert_eq!(
        (a.dates[0].start, a.dates[0].end),
        (Some(t("11:00")), Some(t("15:00")))
    );
    let at: Vec<&str> = l
        .problems
        .iter()
        .filter(|p| p.outcome == Outcome::FieldDropped)
        .map(|p| p.at.as_str())
        .collect();
    assert_eq!(
        at,
        [
            "/schedules/1/byday",
            "/schedules/2/byday",
            "/schedules/3/opens_at",
            "/schedules/5"
        ]
    );
    let bad = &l.problems[0];
    assert!(
        bad.message.contains("\"XX\"") && bad.message.contains("those days are left out"),
        "{}",
        bad.message
    );
    assert!(l.problems[1].message.contains("this schedule is left out"));
}

#[test]
fn oruk_cost_options() {
    let free = load_str(
        r#"{"id":"c1","name":"Coffee morning","status":"active","cost_options":[{"amount":0},{"option":"Free"}]}"#,
    );
    let a = only(&free);
    assert!(a.cost.free);
    assert_eq!(a.cost.description, None);

    let paid = load_str(
        r#"{"id":"c2","name":"Pottery","status":"active","cost_options":[
            {"option":"Adults","amount":"2.5","currency":"GBP"},{"option":"Under 16s","amount":0},{"amount":"lots"}]}"#,
    );
    let a = only(&paid);
    assert!(!a.cost.free);
    assert_eq!(
        a.cost.description.as_deref(),
        Some("£2.50 (Adults); Free (Under 16s)")
    );
    assert!(paid
        .problems
        .iter()
        .any(|p| p.at == "/cost_options/2/amount" && p.outcome == Outcome::FieldDropped));
}

#[test]
fn oruk_v1_page() {
    let doc = r#"{"totalElements":1,"content":[{"id":"v1","name":"Health Walks","status":"active",
        "description":"<p>Friendly <em>walks</em> &amp; a cuppa</p>",
        "url":"ftp://files.example.org","email":"walks@example.org",
        "organization":{"name":"Ramblers","url":"https://ramblers.example.org"},
        "contacts":[{"name":"Sam","phones":[{"number":"01603 123456"}]}],
        "eligibilitys":[{"eligibility":"adult","minimum_age":18}],
        "service_taxonomys":[{"taxonomy":{"name":"Walking"}},{"taxonomy":{"name":"walking"}},{"taxonomy_term":{"term":"Physical Activity"}}],
        "attending_access":"drop-in",
        "regular_schedules":[{"weekday":"Wednesday","opens_at":"10:30","closes_at":"12:00"}],
        "service_at_locations":[{"location":{"id":"loc9","name":"Market Place",
            "latitude":52.628,"longitude":1.293,
            "physical_addresses":[{"address_1":"Market Place","city":"Norwich","state_province":"Norfolk","postal_code":"NR2 1NH"}],
            "accessibility_for_disabilities":[{"accessibility":"Step-free route; benches and seating along the way"}]}}]}]}"#;
    let l = load_str(doc);
    assert_eq!(l.shape, Shape::Oruk);
    let a = only(&l);
    assert_eq!(a.id, "v1");
    assert_eq!(a.category, "green");
    assert_eq!(a.tags, ["walking", "physical activity"]);
    assert_eq!(&*a.description, "Friendly walks & a cuppa");
    // The address repeated the place name ("Market Place, Market Place, Norwich"): not any more.
    assert_eq!(a.location.address.as_deref(), Some("Norwich, Norfolk"));
    assert_eq!(
        a.location
            .summary(activity_map_core::lang::Messages::english()),
        "Market Place, Norwich, Norfolk, NR2 1NH"
    );
    assert_eq!(a.point().map(|p| p.lng), Some(1.293));
    assert_eq!(a.schedule.len(), 1);
    assert_eq!(a.schedule[0].days, [Weekday::Wed]);
    assert_eq!(a.contact.phone.as_deref(), Some("01603 123456"));
    // ftp: is not a link a person can follow: dropped, and the organisation's site used.
    assert_eq!(
        a.contact.website.as_deref(),
        Some("https://ramblers.example.org")
    );
    assert_eq!(l.problems.len(), 1, "{:#?}", l.problems);
    assert_eq!(l.problems[0].at, "/content/0/url");
    assert_eq!(l.problems[0].outcome, Outcome::FieldDropped);
    assert_eq!(a.ages.map(|g| (g.min, g.max)), Some((Some(18), None)));
    assert_eq!(a.joining, [Joining::SelfReferral]);
    assert_eq!(a.accessibility, [Feature::StepFree, Feature::Seating]);
}

#[test]
fn oruk_unusable_services_are_skipped_and_the_rest_kept() {
    let doc = r#"{"contents":[
        {"id":"n1","status":"active"},
        {"id":"d1","name":"Closed club","status":"defunct"},
        "not a service",
        {"id":"ok","name":"Open club","status":"active"}]}"#;
    let l = load_str(doc);
    assert_eq!(only(&l).id, "ok");
    assert_eq!(l.skipped(), 3);
    assert!(l.problems[0].message == "service has no name, so it cannot be listed");
    assert_eq!(l.problems[0].record.as_deref(), Some("n1"));
    assert!(l.problems[1].message.contains("defunct"));
    assert_eq!(l.problems[2].at, "/contents/2");
}

#[test]
fn oruk_category_rules_come_first() {
    let opts = Options {
        category_rules: vec![("counselling".into(), "heritage".into())],
        ..Options::default()
    };
    let l = load(&fixture("oruk/service_list.json"), &opts).unwrap();
    assert_eq!(only(&l).category, "heritage");
    let forced = Options {
        force_category: Some("green".into()),
        ..Options::default()
    };
    let l = load(&fixture("oruk/service_full.json"), &forced).unwrap();
    assert_eq!(only(&l).category, "green");
}
