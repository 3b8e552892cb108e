//! Runs that carry on from the last: only new pages are fetched, an interrupted run
//! resumes, and the result is the same as reading everything at once.

mod common;

use common::*;

/// A feed of pages `/feed`, `/feed?after=2`, `/feed?after=4`, ... with two series a
/// page (ids 1..=2n, a later page updating id 1), ending on an empty page.
fn publish(m: &Mock, pages: usize) {
    let b = m.base.clone();
    let url = |after: usize| {
        if after == 0 {
            "/feed".to_string()
        } else {
            format!("/feed?after={after}")
        }
    };
    for p in 0..pages {
        let (x, y) = (2 * p + 1, 2 * p + 2);
        let mut items = vec![
            series(&format!("s{x}"), x as i64, &format!("Group {x}"), &b),
            series(&format!("s{y}"), y as i64, &format!("Group {y}"), &b),
        ];
        if p == pages - 1 && p > 0 {
            items.push(series(
                "s1",
                100 + p as i64,
                &format!("Group 1, as of page {p}"),
                &b,
            ));
        }
        m.route(
            &url(2 * p),
            Reply::ok(page(&m.url(&url(2 * p + 2)), &items)),
        );
    }
    let last = url(2 * pages);
    m.route(&last, Reply::ok(page(&m.url(&last), &[])));
}

fn run(m: &Mock, out: &std::path::Path, state: Option<&std::path::Path>) -> (i32, String) {
    let mut args = vec![m.url("/feed"), "--out".into(), out.display().to_string()];
    if let Some(s) = state {
        args.extend(["--state".into(), s.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    harvest(&args)
}

#[test]
fn a_second_run_fetches_only_the_new_pages_and_matches_a_full_read() {
    let m = Mock::start();
    let dir = temp_dir("incremental");
    let state = dir.join("state");
    publish(&m, 3);
    let (code, err) = run(&m, &dir.join("first.json"), Some(&state));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        m.take_log(),
        ["/feed", "/feed?after=2", "/feed?after=4", "/feed?after=6"]
    );

    // The publisher adds two pages: the old last page now has items.
    publish(&m, 5);
    let (code, err) = run(&m, &dir.join("second.json"), Some(&state));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("carried on from the last run"), "{err}");
    assert_eq!(
        m.take_log(),
        ["/feed?after=6", "/feed?after=8", "/feed?after=10"],
        "only the old last page and the new ones"
    );

    // Nothing new: one request, the last page.
    let (code, _) = run(&m, &dir.join("third.json"), Some(&state));
    assert_eq!(code, 0);
    assert_eq!(m.take_log(), ["/feed?after=10"]);

    let (code, err) = run(&m, &dir.join("full.json"), None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(m.take_log().len(), 6);
    let full = std::fs::read_to_string(dir.join("full.json")).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("second.json")).unwrap(),
        full
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("third.json")).unwrap(),
        full
    );
    assert!(full.contains("Group 1, as of page 4"));
    assert_eq!(names(&read_json(&dir.join("full.json"))).len(), 10);
}

#[test]
fn a_full_read_is_due_after_full_after() {
    let m = Mock::start();
    let dir = temp_dir("full-after");
    let state = dir.join("state");
    publish(&m, 2);
    let out = dir.join("feed.json");
    let args = |full_after: &str| {
        vec![
            m.url("/feed"),
            "--out".into(),
            out.display().to_string(),
            "--state".into(),
            state.display().to_string(),
            "--full-after".into(),
            full_after.to_string(),
        ]
    };
    let a = args("7d");
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    assert_eq!(harvest(&a).0, 0);
    assert_eq!(m.take_log().len(), 3);
    let a = args("0s");
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    assert_eq!(harvest(&a).0, 0);
    assert_eq!(m.take_log().len(), 3, "read whole again");
}

#[test]
fn an_interrupted_run_keeps_what_it_read_and_the_next_resumes() {
    let m = Mock::start();
    let dir = temp_dir("interrupted");
    let state = dir.join("state");
    publish(&m, 4);
    // The publisher's server breaks down at the third page.
    let broken = "/feed?after=4";
    m.route(broken, Reply::status(500));
    let report = dir.join("report.json");
    let out = dir.join("part.json");
    let args = [
        m.url("/feed"),
        "--out".into(),
        out.display().to_string(),
        "--state".into(),
        state.display().to_string(),
        "--report".into(),
        report.display().to_string(),
    ];
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, err) = harvest(&a);
    assert_eq!(code, 1, "a source stopped early: {err}");
    assert!(err.contains("STOPPED EARLY"), "{err}");
    assert!(err.contains("HTTP 500"), "{err}");
    assert_eq!(names(&read_json(&out)).len(), 4, "what was read is written");
    let r = read_json(&report);
    assert_eq!(r["complete"], false);
    assert_eq!(r["sources"][0]["status"], "stopped");
    // Two pages, then the broken one tried three times (--retries 2).
    assert_eq!(m.take_log().len(), 5);

    publish(&m, 4);
    let (code, err) = harvest(&a);
    assert_eq!(code, 0, "{err}");
    assert_eq!(m.take_log(), [broken, "/feed?after=6", "/feed?after=8"]);
    let resumed = std::fs::read_to_string(&out).unwrap();

    let full = dir.join("full.json");
    let (code, _) = run(&m, &full, None);
    assert_eq!(code, 0);
    assert_eq!(resumed, std::fs::read_to_string(&full).unwrap());
}

#[test]
fn bad_pages_are_reported_and_what_was_read_kept() {
    let m = Mock::start();
    let b = m.base.clone();
    let cases = [
        (
            "otherhost",
            "https://elsewhere.example/feed?p=2".to_string(),
            "another host",
        ),
        ("relative", "/feed?p=2".to_string(), "not an absolute"),
    ];
    for (name, next, says) in cases {
        let first = format!("/{name}");
        m.route(
            &first,
            Reply::ok(page(&next, &[series("s1", 1, "Chair yoga", &b)])),
        );
        let dir = temp_dir(name);
        let (out, report) = (dir.join("feed.json"), dir.join("report.json"));
        let (code, err) = harvest(&[
            &m.url(&first),
            "--out",
            out.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert_eq!(names(&read_json(&out)), ["Chair yoga"]);
        assert!(read_json(&report).to_string().contains(says));
    }

    // A malformed second page; an id that changes kind; a page over the size limit.
    m.route(
        "/mixed",
        Reply::ok(page(
            &m.url("/mixed?p=2"),
            &[
                series("s1", 1, "Chair yoga", &b),
                deleted("s1", "ScheduledSession", 2),
            ],
        )),
    );
    m.route("/mixed?p=2", Reply::ok("{\"next\": "));
    m.route(
        "/big",
        Reply::ok(page(
            &m.url("/big"),
            &[series("s1", 1, &"x".repeat(5000), &b)],
        )),
    );
    let dir = temp_dir("bad");
    let (out, report) = (dir.join("feed.json"), dir.join("report.json"));
    let (code, err) = harvest(&[
        &m.url("/mixed"),
        &m.url("/big"),
        "--max-page-bytes",
        "4000",
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is not an RPDE page (not JSON"), "{err}");
    assert!(err.contains("over the limit of 4000 bytes"), "{err}");
    let r = read_json(&report).to_string();
    assert!(r.contains("keeps its kind"), "{r}");
    assert_eq!(names(&read_json(&out)), ["Chair yoga"]);
}

#[test]
fn files_and_documents_join_one_feed_and_duplicate_ids_are_reported() {
    let m = Mock::start();
    let ours = r#"{"format": "activity-map/1", "feed": {"name": "Walks"}, "activities": [
        {"id": "w1", "name": "Health walk", "category": "green", "location": {"lat": 52.6, "lng": 1.3}}]}"#;
    m.route("/walks.json", Reply::ok(ours));
    let geojson = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
        "geometry": {"type": "Point", "coordinates": [1.3, 52.6]},
        "properties": {"id": "g1", "name": "Community garden", "category": "green"}}]}"#;
    let dir = temp_dir("docs");
    let file = dir.join("gardens.geojson");
    std::fs::write(&file, geojson).unwrap();
    let out = dir.join("feed.json");
    let (code, err) = harvest(&[
        &m.url("/walks.json"),
        file.to_str().unwrap(),
        &m.url("/walks.json"),
        "--out",
        out.to_str().unwrap(),
        "--name",
        "Norfolk",
    ]);
    assert_eq!(code, 0, "{err}");
    let feed = read_json(&out);
    assert_eq!(feed["feed"]["name"], "Norfolk");
    assert_eq!(names(&feed), ["Health walk", "Community garden"]);
    assert!(err.contains("came from an earlier source"), "{err}");
}

#[test]
fn a_run_killed_mid_feed_resumes_from_its_last_page() {
    let m = Mock::start();
    let dir = temp_dir("killed");
    let state = dir.join("state");
    publish(&m, 4);
    // The third page never comes: the run is killed while it waits.
    m.route("/feed?after=4", Reply::status(HANG));
    let out = dir.join("feed.json");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_harvest"))
        .args(TEST_MANNERS)
        .args([
            "--out",
            out.to_str().unwrap(),
            "--state",
            state.to_str().unwrap(),
        ])
        .arg(m.url("/feed"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let began = std::time::Instant::now();
    while m.requests() < 3 {
        assert!(
            began.elapsed().as_secs() < 20,
            "the harvester got to page 3"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !out.exists(),
        "killed before writing anything but its state"
    );
    assert_eq!(m.take_log(), ["/feed", "/feed?after=2", "/feed?after=4"]);

    publish(&m, 4);
    let (code, err) = run(&m, &out, Some(&state));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        m.take_log(),
        ["/feed?after=4", "/feed?after=6", "/feed?after=8"],
        "the two pages read before the kill are not fetched again"
    );
    assert_eq!(names(&read_json(&out)).len(), 8);
}
