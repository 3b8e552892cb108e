//! The harvester against a mock publisher on 127.0.0.1 (no outside network).

mod common;

use common::*;
use std::time::Instant;

#[test]
fn an_rpde_feed_is_followed_merged_and_retried_politely() {
    let m = Mock::start();
    let b = m.base.clone();
    let (p2, p3) = ("/feed?afterId=s3", "/feed?afterId=s2");
    m.route(
        "/feed",
        Reply::ok(page(
            &m.url(p2),
            &[
                series("s1", 1, "Chair yoga", &b),
                series("s2", 2, "Walking football", &b),
                series("s3", 3, "Knit and natter", &b),
            ],
        )),
    );
    // Page 2: a new record, s1 updated onto a later page, s2 deleted.
    m.route(
        p2,
        Reply::ok(page(
            &m.url(p3),
            &[
                series("s4", 4, "Green gym", &b),
                series("s1", 5, "Chair yoga (seated)", &b),
                deleted("s2", "SessionSeries", 6),
            ],
        )),
    );
    // The last page: no items, `next` is itself.
    m.route(p3, Reply::ok(page(&m.url(p3), &[])));
    m.once(p2, Reply::status(429).header("Retry-After", "1"));
    m.once(p3, Reply::status(500));

    let dir = temp_dir("rpde");
    let (out, report) = (dir.join("feed.json"), dir.join("report.json"));
    let started = Instant::now();
    let (code, err) = harvest(&[
        &m.url("/feed"),
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--contact",
        "feeds@example.org",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        started.elapsed().as_secs_f64() >= 1.0,
        "Retry-After was honoured"
    );
    let feed = read_json(&out);
    assert_eq!(feed["format"], "activity-map/1");
    assert_eq!(
        names(&feed),
        ["Chair yoga (seated)", "Knit and natter", "Green gym"]
    );
    assert_eq!(m.take_log(), ["/feed", p2, p2, p3, p3]);
    assert!(m
        .user_agents()
        .iter()
        .all(|ua| ua.starts_with("activity-map-harvest/") && ua.contains("feeds@example.org")));
    let report = read_json(&report);
    assert_eq!(report["complete"], true);
    assert_eq!(report["requests"], 5);
    assert_eq!(report["sources"][0]["kind"], "openactive");
    assert_eq!(report["sources"][0]["status"], "complete");
    assert_eq!(report["sources"][0]["feeds"][0]["pages"], 3);
    assert_eq!(report["sources"][0]["feeds"][0]["live"], 3);
    assert!(err.contains("3 activities written"), "{err}");
}

#[test]
fn sessions_join_their_series_found_through_a_dataset_site() {
    let m = Mock::start();
    let b = m.base.clone();
    let site = format!(
        r#"<!doctype html><html><head><title>Dataset</title>
        <script type="application/ld+json">{{"@type": "Dataset", "distribution": [
          {{"@type": "DataDownload", "name": "SessionSeries",
            "additionalType": "https://openactive.io/SessionSeries", "contentUrl": "{b}/oa/series"}},
          {{"@type": "DataDownload", "name": "ScheduledSession",
            "additionalType": "https://openactive.io/ScheduledSession", "contentUrl": "{b}/oa/sessions"}}]}}
        </script></head><body>Our open data</body></html>"#
    );
    m.route("/dataset", Reply::ok(site));
    let last_series = "/oa/series?afterId=s1";
    m.route(
        "/oa/series",
        Reply::ok(page(
            &m.url(last_series),
            &[series("s1", 1, "Chair yoga", &b)],
        )),
    );
    m.route(last_series, Reply::ok(page(&m.url(last_series), &[])));
    let session = |id: &str, day: &str| {
        format!(
            r#"{{"state": "updated", "kind": "ScheduledSession", "id": "{id}", "modified": 1,
            "data": {{"@type": "ScheduledSession", "superEvent": "{b}/series/s1",
            "startDate": "{day}T10:00:00Z", "endDate": "{day}T11:00:00Z"}}}}"#
        )
    };
    let last_sessions = "/oa/sessions?afterId=b";
    m.route(
        "/oa/sessions",
        Reply::ok(page(
            &m.url(last_sessions),
            &[session("a", "2030-01-07"), session("b", "2030-01-14")],
        )),
    );
    m.route(last_sessions, Reply::ok(page(&m.url(last_sessions), &[])));

    let dir = temp_dir("dataset");
    let (out, report) = (dir.join("feed.json"), dir.join("report.json"));
    let (code, err) = harvest(&[
        &m.url("/dataset"),
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let feed = read_json(&out);
    assert_eq!(names(&feed), ["Chair yoga"]);
    let dates = feed["activities"][0]["dates"].as_array().unwrap();
    assert_eq!(dates.len(), 2, "{feed}");
    let report = read_json(&report);
    assert_eq!(report["sources"][0]["kind"], "openactive-dataset-site");
    assert_eq!(report["sources"][0]["feeds"][1]["kind"], "ScheduledSession");
    assert_eq!(m.take_log().len(), 5);
}

fn oruk_service(id: &str, name: &str) -> String {
    format!(
        r#"{{"id": "{id}", "name": "{name}", "description": "A group for everyone.", "status": "active"}}"#
    )
}

fn oruk_site(id: &str, name: &str, lat: f64) -> String {
    format!(
        r#"{{"id": "sal-{id}", "service": {}, "location": {{"id": "loc-{id}", "name": "Hall",
        "latitude": {lat}, "longitude": 1.29}}}}"#,
        oruk_service(id, name)
    )
}

#[test]
fn an_oruk_v3_api_is_paged_and_its_services_placed() {
    let m = Mock::start();
    m.route(
        "/api",
        Reply::ok(r#"{"version": "3.0", "openapi_url": "https://example.org/openapi.json"}"#),
    );
    m.route(
        "/api/services?page=1&per_page=100",
        Reply::ok(format!(
            r#"{{"page_number": 1, "size": 2, "total_pages": 2, "total_items": 3, "first_page": true,
            "last_page": false, "contents": [{}, {}]}}"#,
            oruk_service("a", "Men's shed"),
            oruk_service("b", "Singing for the brain")
        )),
    );
    m.route(
        "/api/services?page=2&per_page=100",
        Reply::ok(format!(
            r#"{{"page_number": 2, "size": 2, "total_pages": 2, "total_items": 3, "last_page": true,
            "contents": [{}]}}"#,
            oruk_service("c", "Allotment club")
        )),
    );
    m.route(
        "/api/service_at_locations?page=1&per_page=100",
        Reply::ok(format!(
            r#"{{"page_number": 1, "size": 100, "total_pages": 2, "total_items": 3, "contents": [{}, {}]}}"#,
            oruk_site("a", "Men's shed", 52.1),
            oruk_site("b", "Singing for the brain", 52.2)
        )),
    );
    m.route(
        "/api/service_at_locations?page=2&per_page=100",
        Reply::ok(format!(
            r#"{{"page_number": 2, "size": 100, "total_pages": 2, "total_items": 3, "contents": [{}]}}"#,
            oruk_site("c", "Allotment club", 52.3)
        )),
    );
    let dir = temp_dir("oruk3");
    let out = dir.join("feed.json");
    let (code, err) = harvest(&[&m.url("/api"), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let feed = read_json(&out);
    assert_eq!(
        names(&feed),
        ["Men's shed", "Singing for the brain", "Allotment club"]
    );
    for a in feed["activities"].as_array().unwrap() {
        assert!(a["location"]["lat"].is_number(), "placed: {a}");
    }
    assert_eq!(m.take_log().len(), 5);
}

#[test]
fn an_oruk_v1_list_is_paged_and_details_fetched_for_places() {
    let m = Mock::start();
    let v1 = |number: u32, last: bool, content: &[String]| {
        format!(
            r#"{{"number": {number}, "size": 2, "totalPages": 2, "totalElements": 3,
            "first": {}, "last": {last}, "content": [{}]}}"#,
            number == 0,
            content.join(",")
        )
    };
    m.route(
        "/v1/services?page=1&per_page=100",
        Reply::ok(v1(
            0,
            false,
            &[oruk_service("a", "Men's shed"), oruk_service("b", "Choir")],
        )),
    );
    m.route(
        "/v1/services?page=2&per_page=100",
        Reply::ok(v1(1, true, &[oruk_service("c", "Allotment club")])),
    );
    for (id, name) in [("a", "Men's shed"), ("b", "Choir"), ("c", "Allotment club")] {
        m.route(
            &format!("/v1/services/{id}"),
            Reply::ok(format!(
                r#"{{"id": "{id}", "name": "{name}", "description": "A group for everyone.", "status": "active",
                "service_at_locations": [{{"id": "sal-{id}", "location": {{"id": "loc-{id}",
                "name": "Hall", "latitude": 52.5, "longitude": 1.3}}}}]}}"#
            )),
        );
    }
    let dir = temp_dir("oruk1");
    let out = dir.join("feed.json");
    let (code, err) = harvest(&[&m.url("/v1/services"), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let feed = read_json(&out);
    assert_eq!(names(&feed), ["Men's shed", "Choir", "Allotment club"]);
    for a in feed["activities"].as_array().unwrap() {
        assert!(a["location"]["lat"].is_number(), "placed: {a}");
    }
    // Two list pages, the missing /service_at_locations, three services' own documents.
    assert_eq!(m.take_log().len(), 6);
}

#[test]
fn bad_usage_exits_2_and_a_missing_source_exits_1() {
    assert_eq!(harvest(&["--out", "x.json"]).0, 2, "no source");
    assert_eq!(harvest(&["http://127.0.0.1:9/feed"]).0, 2, "no --out");
    assert_eq!(harvest(&["--delay", "soon"]).0, 2);
    let dir = temp_dir("missing");
    let out = dir.join("feed.json");
    let (code, err) = harvest(&[
        dir.join("nothing-here.json").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("FAILED"), "{err}");
    assert_eq!(
        names(&read_json(&out)).len(),
        0,
        "an empty feed is still written"
    );
}

#[test]
fn a_503_waits_as_told_and_a_page_that_never_comes_times_out() {
    let m = Mock::start();
    let b = m.base.clone();
    let p2 = "/feed?afterId=s1";
    m.route(
        "/feed",
        Reply::ok(page(&m.url(p2), &[series("s1", 1, "Chair yoga", &b)])),
    );
    m.once("/feed", Reply::status(503).header("Retry-After", "1"));
    // Page 2 never answers: each try gives up after --timeout, then the run stops there.
    m.route(p2, Reply::status(HANG));
    let dir = temp_dir("timeout");
    let (out, report) = (dir.join("feed.json"), dir.join("report.json"));
    let started = Instant::now();
    let (code, err) = harvest(&[
        &m.url("/feed"),
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--timeout",
        "1",
        "--retries",
        "1",
    ]);
    let took = started.elapsed().as_secs_f64();
    // Stopped early: exit 1, and what was read is still written.
    assert_eq!(code, 1, "{err}");
    assert_eq!(names(&read_json(&out)), ["Chair yoga"]);
    // The 503's Retry-After (1 s) and two timed-out tries (1 s each), not the mock's 60 s hang.
    assert!(took >= 3.0, "{took} s");
    assert!(took < 20.0, "{took} s");
    assert_eq!(m.take_log(), ["/feed", "/feed", p2, p2]);
    assert!(
        !read_json(&report)["complete"].as_bool().unwrap_or(true),
        "{err}"
    );
}
