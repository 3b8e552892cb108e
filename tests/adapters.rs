//! The adapters (OpenActive and Open Referral UK against the real published examples in
//! `tests/fixtures/`, and every shape against hand-written edge cases and reviewed bugs).

use activity_map::feed::{load, Options, Outcome, Shape};
use activity_map::model::{Activity, Feature, Joining, Time, Weekday};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

fn load_str(doc: &str) -> activity_map::feed::Loaded {
    load(doc.as_bytes(), &Options::default()).expect("document loads")
}

fn only(l: &activity_map::feed::Loaded) -> &Activity {
    assert_eq!(l.feed.activities.len(), 1, "{:#?}", l.feed.activities);
    &l.feed.activities[0]
}

fn t(s: &str) -> Time {
    Time::parse(s).expect("a time")
}

/// An RPDE page with these items.
fn rpde(items: &str) -> String {
    format!(r#"{{"next":"https://example.org/feed?afterId=9","items":[{items}]}}"#)
}

/// An updated SessionSeries item with a located venue; `extra` adds fields to `data`.
fn series(id: &str, kind: &str, extra: &str) -> String {
    let sep = if extra.is_empty() { "" } else { "," };
    format!(
        r#"{{"state":"updated","kind":"{kind}","id":"{id}","modified":1,"data":{{
            "@type":"SessionSeries","name":"Chair yoga",
            "location":{{"name":"Village Hall","geo":{{"latitude":"52.63","longitude":"1.29"}},
                "address":{{"streetAddress":"1 Church Lane","addressLocality":"Norwich","postalCode":"nr1 1aa"}}}}{sep}{extra}}}}}"#
    )
}

// ---------------------------------------------------------------- OpenActive fixtures

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

// ---------------------------------------------------------------- OpenActive edge cases

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
    assert_eq!(a.description, "A gentle walk & talk. alert(1)");
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

// ---------------------------------------------------------------- ORUK fixtures

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

// ---------------------------------------------------------------- ORUK edge cases

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
    assert_eq!(a.description, "Friendly walks & a cuppa");
    // The address repeated the place name ("Market Place, Market Place, Norwich"): not any more.
    assert_eq!(a.location.address.as_deref(), Some("Norwich, Norfolk"));
    assert_eq!(
        a.location.summary(),
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

// ---------------------------------------------------------------- robustness

/// Every value of `v`, by JSON Pointer.
fn pointers(v: &serde_json::Value, at: String, into: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                pointers(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    into,
                );
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), into);
            }
        }
        _ => {}
    }
    into.push(at);
}

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
                let _ = activity_map::feed::load_value(&d, &Options::default());
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}

// ---------------------------------------------------------------- reviewed loader fixes

/// A native feed with these activities.
fn native(activities: &str) -> String {
    format!(r#"{{"format":"activity-map/1","feed":{{"name":"T"}},"activities":[{activities}]}}"#)
}

/// A native activity with a pin; `extra` adds fields.
fn act(id: &str, extra: &str) -> String {
    let sep = if extra.is_empty() { "" } else { "," };
    format!(
        r#"{{"id":"{id}","name":"Walk","category":"green","location":{{"lat":52.6,"lng":1.3}}{sep}{extra}}}"#
    )
}

#[test]
fn a_bare_less_than_keeps_the_rest_of_the_text() {
    let l = load_str(&native(&act(
        "lt",
        r#""description":"Walk lasts <1 hour, then tea""#,
    )));
    assert!(l.problems.is_empty(), "{:#?}", l.problems);
    assert_eq!(only(&l).description, "Walk lasts <1 hour, then tea");
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
    // Quadratic matching took seconds even in release builds; linear is far below this.
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
fn numeric_entities_and_impossible_ages() {
    let l = load_str(&native(&act(
        "e",
        r#""description":"Ages 8&#8211;12 &#x2013; &pound;2","ages":{"min":30,"max":20}"#,
    )));
    let a = only(&l);
    assert_eq!(a.description, "Ages 8–12 – £2");
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
fn addresses_do_not_repeat_the_place_name() {
    let l = load_str(&native(&act(
        "p",
        r#""location":{"lat":52.62,"lng":1.26,"place":"Eaton Park","address":"Eaton Park, Norwich","postcode":"NR4 7AU"}"#,
    )));
    let a = only(&l);
    assert_eq!(a.location.address.as_deref(), Some("Norwich"));
    assert_eq!(a.location.summary(), "Eaton Park, Norwich, NR4 7AU");
    let oa = load_str(&rpde(
        r#"{"state":"updated","kind":"SessionSeries","id":"o","data":{"name":"Walk",
            "location":{"name":"Eaton Park","address":{"streetAddress":"Eaton Park","addressLocality":"Norwich"},
            "geo":{"latitude":52.62,"longitude":1.26}}}}"#,
    ));
    assert_eq!(only(&oa).location.summary(), "Eaton Park, Norwich");
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
