//! Paged Open Referral UK lists: which pages come next (`feed::oruk::paging`), and
//! services merged with their places from other endpoints (`feed::oruk::merge`).

use activity_map_core::feed::oruk::merge::Merge;
use activity_map_core::feed::oruk::paging::{first_page, next_pages, page_info, PagingError};
use activity_map_core::feed::Options;
use serde_json::{json, Value};

const SERVICES: &str = "https://api.example.org/services?page=1";
const SALS: &str = "https://api.example.org/service_at_locations?page=1";

fn fixture(path: &str) -> Value {
    let full = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(&full).unwrap()).unwrap()
}

#[test]
fn v3_pages_name_every_page_after_the_first() {
    let doc = fixture("oruk/service_list.json");
    let url = first_page("https://api.example.org/services", 1);
    let next = next_pages(&url, &doc, 500).unwrap();
    assert_eq!(next.urls.len(), 9);
    assert_eq!(
        next.urls[0],
        "https://api.example.org/services?page=2&per_page=1"
    );
    assert_eq!(
        next.urls[8],
        "https://api.example.org/services?page=10&per_page=1"
    );
    assert!(!next.more_than_limit && !next.count_unknown);
}

#[test]
fn a_later_page_names_only_the_rest_and_the_last_names_none() {
    let doc = json!({"page_number": 9, "total_pages": 10, "contents": [{}]});
    let next = next_pages("https://x.org/services?page=9", &doc, 500).unwrap();
    assert_eq!(next.urls, ["https://x.org/services?page=10"]);
    let doc = json!({"page_number": 10, "total_pages": 10, "last_page": true, "contents": [{}]});
    assert!(next_pages("https://x.org/services?page=10", &doc, 500)
        .unwrap()
        .urls
        .is_empty());
}

#[test]
fn the_count_is_worked_out_from_items_and_size() {
    let doc = json!({"total_items": 101, "size": 50, "contents": [{}]});
    let info = page_info("https://x.org/services", &doc).unwrap();
    assert_eq!(
        (info.page, info.total_pages, info.last),
        (1, Some(3), false)
    );
}

#[test]
fn v1_pages_use_last_and_total_elements() {
    let doc = json!({"totalElements": 250, "size": 100, "number": 0, "first": true,
                     "last": false, "content": [{}]});
    let next = next_pages("https://x.org/services?per_page=100", &doc, 500).unwrap();
    assert_eq!(
        next.urls,
        [
            "https://x.org/services?per_page=100&page=2",
            "https://x.org/services?per_page=100&page=3"
        ]
    );
    let doc = json!({"totalElements": 250, "size": 100, "last": true, "content": [{}]});
    assert!(next_pages("https://x.org/services?page=3", &doc, 500)
        .unwrap()
        .urls
        .is_empty());
}

#[test]
fn a_page_without_a_count_names_only_the_next() {
    let doc = json!({"contents": [{"id": "a"}]});
    let next = next_pages("https://x.org/services?page=4", &doc, 500).unwrap();
    assert_eq!(next.urls, ["https://x.org/services?page=5"]);
    assert!(next.count_unknown);
    // An empty page with no count ends the list.
    let doc = json!({"contents": []});
    assert!(next_pages("https://x.org/services?page=5", &doc, 500)
        .unwrap()
        .urls
        .is_empty());
}

#[test]
fn the_page_limit_caps_the_list_and_says_so() {
    let doc = json!({"page_number": 1, "total_pages": 100000, "contents": [{}]});
    let next = next_pages("https://x.org/services?page=1", &doc, 5).unwrap();
    assert_eq!(next.urls.len(), 4);
    assert!(next.more_than_limit);
}

#[test]
fn bad_pages_and_urls_are_errors() {
    let doc = json!({"contents": []});
    assert!(matches!(
        next_pages("/services?page=1", &doc, 500),
        Err(PagingError::NotAbsolute(_))
    ));
    assert_eq!(
        next_pages("https://x.org/services", &json!({"items": []}), 500),
        Err(PagingError::NotAPage)
    );
}

#[test]
fn listed_services_get_their_pins_from_service_at_locations() {
    let mut m = Merge::default();
    m.add_page(SERVICES, &fixture("oruk/service_list.json"));
    assert_eq!(
        m.without_location(),
        ["ac148810-d857-441c-9679-408f346de14b"]
    );
    m.add_page(SALS, &json!({"contents": [{
        "id": "sal-1",
        "service": {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "Community Counselling"},
        "location": {"id": "loc-1", "name": "Norwich Forum", "latitude": 52.628, "longitude": 1.292}
    }]}));
    assert!(m.without_location().is_empty());
    let l = m.load(&Options::default()).unwrap();
    assert_eq!(l.feed.activities.len(), 1);
    let a = &l.feed.activities[0];
    // The fuller list entry is kept, with the place from the other endpoint.
    assert_eq!(a.name, "Community Counselling");
    assert!(a.description.starts_with("Counselling Services"));
    assert_eq!(a.location.place.as_deref(), Some("Norwich Forum"));
    let p = a.point().unwrap();
    assert_eq!((p.lat, p.lng), (52.628, 1.292));
}

#[test]
fn a_service_at_two_locations_is_two_activities() {
    let mut m = Merge::default();
    m.add_page(
        SERVICES,
        &json!({"contents": [{"id": "s1", "name": "Walking group"}]}),
    );
    let sal = |id: &str, lat: f64| {
        json!({"id": format!("sal-{id}"), "service": {"id": "s1", "name": "Walking group"},
               "location": {"id": id, "name": format!("Park {id}"), "latitude": lat, "longitude": 1.3}})
    };
    m.add_page(SALS, &json!({"contents": [sal("a", 52.6), sal("b", 52.7)]}));
    // The same entry again (a page fetched twice) is not a third place.
    m.add_page(SALS, &json!({"contents": [sal("a", 52.6)]}));
    let l = m.load(&Options::default()).unwrap();
    let ids: Vec<&str> = l.feed.activities.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["s1@a", "s1@b"]);
}

#[test]
fn a_detail_document_fills_in_a_listed_service() {
    let mut m = Merge::default();
    m.add_page(SERVICES, &fixture("oruk/service_list.json"));
    m.add_page(
        "https://api.example.org/services/ac148810-d857-441c-9679-408f346de14b",
        &fixture("oruk/service_full.json"),
    );
    assert!(m.without_location().is_empty());
    let l = m.load(&Options::default()).unwrap();
    assert_eq!(l.feed.activities.len(), 1);
    // The detail's one location is the US example at latitude 100: listed without a
    // pin, and the problem points into the detail document.
    assert!(l.feed.activities[0].point().is_none());
    assert!(!l.problems.is_empty());
    for p in &l.problems {
        assert!(
            p.at.starts_with(
                "https://api.example.org/services/ac148810-d857-441c-9679-408f346de14b#/"
            ),
            "{p}"
        );
    }
    assert_eq!(l.broken_guarantee(), None);
}

#[test]
fn service_at_location_entries_for_unlisted_services_still_show() {
    let mut m = Merge::default();
    m.add_page(SALS, &fixture("oruk/service_at_location_list.json"));
    m.add_page(SALS, &json!({"contents": [42]}));
    let l = m.load(&Options::default()).unwrap();
    assert_eq!(l.feed.activities.len(), 1);
    assert_eq!(l.skipped(), 1);
    let skipped: Vec<&str> = l
        .problems
        .iter()
        .filter(|p| p.at.ends_with("/contents/0"))
        .map(|p| p.at.as_str())
        .collect();
    assert_eq!(skipped, [format!("{SALS}#/contents/0")]);
}

#[test]
fn a_bad_place_from_another_page_is_reported_where_it_was_read() {
    let mut m = Merge::default();
    m.add_page(
        SERVICES,
        &json!({"contents": [{"id": "s1", "name": "Walking group"}]}),
    );
    let sal = |id: &str, lat: f64| {
        json!({"id": format!("sal-{id}"), "service": {"id": "s1"},
               "location": {"id": id, "name": "Park", "latitude": lat, "longitude": 1.3}})
    };
    m.add_page(
        SALS,
        &json!({"contents": [sal("a", 52.6), sal("b", 152.7)]}),
    );
    let l = m.load(&Options::default()).unwrap();
    assert_eq!(l.feed.activities.len(), 2);
    let bad: Vec<&str> = l.problems.iter().map(|p| p.at.as_str()).collect();
    assert!(
        bad.iter()
            .all(|at| at.starts_with(&format!("{SALS}#/contents/1/location"))),
        "{bad:?}"
    );
    assert!(!bad.is_empty());
    assert_eq!(l.broken_guarantee(), None);
}
