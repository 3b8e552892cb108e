//! The publishers' checker, run as a person would run it.

use std::process::Command;

fn feedcheck(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_feedcheck"))
        .args(args)
        .output()
        .expect("feedcheck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_clean_feed_passes() {
    let (code, out) = feedcheck(&["assets/sample-feed.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("activity-map feed v1"));
    assert!(out.contains("No problems found."));
    assert!(out.contains("  parkrun: 15"), "{out}");
}

#[test]
fn problems_are_listed_with_their_place_and_exit_1() {
    let (code, out) = feedcheck(&["tests/fixtures/app/mixed.json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("3 activities usable"), "{out}");
    assert!(out.contains("/activities/1"), "{out}");
    assert!(out.contains("sparkly"), "{out}");
    assert!(out.contains("latitude 100"), "{out}");
}

#[test]
fn each_shape_is_named() {
    for (file, shape) in [
        (
            "tests/fixtures/app/geojson.json",
            "GeoJSON FeatureCollection",
        ),
        (
            "tests/fixtures/app/parkrun-events.json",
            "parkrun events.json",
        ),
        (
            "tests/fixtures/openactive/sessionseries_example_1.json",
            "OpenActive RPDE page",
        ),
        (
            "tests/fixtures/oruk/service_full.json",
            "Open Referral UK services",
        ),
    ] {
        let (_, out) = feedcheck(&[file]);
        assert!(out.contains(shape), "{file}: {out}");
    }
}

#[test]
fn json_report_for_machines() {
    let (code, out) = feedcheck(&["tests/fixtures/oruk/service_full.json", "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["shape"], "oruk");
    assert_eq!(v["activities"], 1);
    assert_eq!(v["problems"][0]["outcome"], "no-pin");
}

#[test]
fn unreadable_feeds_exit_2_with_one_clear_error() {
    let (code, out) = feedcheck(&["tests/fixtures/app/malformed.json"]);
    assert_eq!(code, 2);
    assert!(out.contains("not valid JSON (line 1"), "{out}");
    let dir = std::env::temp_dir().join(format!("feedcheck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("other.json");
    std::fs::write(&other, r#"{"hello":"world"}"#).unwrap();
    let (code, out) = feedcheck(&[other.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains("not a shape we know"), "{out}");
    let (code, _) = feedcheck(&["no/such/file.json"]);
    assert_eq!(code, 2);
}

#[test]
fn convert_writes_our_format_that_reads_back_the_same() {
    let dir = std::env::temp_dir().join(format!("feedcheck-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("converted.json");
    let (_, _) = feedcheck(&[
        "tests/fixtures/app/parkrun-events.json",
        "--convert",
        out_file.to_str().unwrap(),
    ]);
    let (code, out) = feedcheck(&[out_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("activity-map feed v1"));
    assert!(out.contains("3 activities usable (3 with a pin"), "{out}");
    let (_, forced) = feedcheck(&["tests/fixtures/app/geojson.json", "--category", "green"]);
    assert!(forced.contains("  green: 2"), "{forced}");
    // A keyword rule comes before the built-in ones (ORUK's counselling service is a hub by default).
    let (_, ruled) = feedcheck(&[
        "tests/fixtures/oruk/service_full.json",
        "--rule",
        "counselling=heritage",
    ]);
    assert!(ruled.contains("  heritage: 1"), "{ruled}");
}

#[test]
fn a_rule_is_written_as_the_app_link_writes_it() {
    // `KEYWORD=ID` is the documented form; the app's older `KEYWORD:ID` is read too.
    for rule in [
        "counselling=heritage",
        "counselling:heritage",
        " counselling = heritage ",
    ] {
        let (_, ruled) = feedcheck(&["tests/fixtures/oruk/service_full.json", "--rule", rule]);
        assert!(ruled.contains("  heritage: 1"), "{rule}: {ruled}");
    }
    for bad in ["counselling", "=heritage", "counselling="] {
        let (code, _) = feedcheck(&["tests/fixtures/oruk/service_full.json", "--rule", bad]);
        assert_eq!(code, 2, "{bad}");
    }
}

#[test]
fn a_report_email_that_is_not_an_email_is_a_problem() {
    let dir = std::env::temp_dir().join(format!("feedcheck-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let feed = |email: &str| {
        format!(
            r#"{{"format":"activity-map/1","feed":{{"name":"T","report_email":"{email}"}},
            "activities":[{{"id":"a","name":"Walk","category":"green","location":{{"online":true}}}}]}}"#
        )
    };
    let bad = dir.join("bad.json");
    std::fs::write(&bad, feed("listings at example.org")).unwrap();
    let (code, out) = feedcheck(&[bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("/feed/report_email"), "{out}");
    assert!(out.contains("is not an email address"), "{out}");
    let good = dir.join("good.json");
    std::fs::write(&good, feed("listings@example.org")).unwrap();
    let (code, out) = feedcheck(&[good.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn pack_writes_a_tiled_feed_of_the_usable_activities() {
    let dir = std::env::temp_dir().join(format!("feedcheck-pack-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let pack = dir.join("pack");
    // A feed with problems: the pack holds the usable records, and the report
    // (here as JSON, still one document on standard output) lists the rest.
    let (code, out) = feedcheck(&[
        "tests/fixtures/app/mixed.json",
        "--json",
        "--pack",
        pack.to_str().unwrap(),
        "--leaf-max",
        "1",
    ]);
    assert_eq!(code, 1, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON report");
    assert!(report["problems"].as_array().is_some_and(|p| !p.is_empty()));
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pack.join("pack.json")).unwrap()).unwrap();
    assert_eq!(index["format"], "activity-map-pack/1");
    let totals: u64 = index["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(totals, 3, "{index}");
    // Each tile is a feed feedcheck reads cleanly; together they hold both pins,
    // and online.json the one with no place.
    let mut files = vec![pack.join("online.json")];
    let mut dirs = vec![pack.join("tiles")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let path = e.unwrap().path();
            match path.is_dir() {
                true => dirs.push(path),
                false => files.push(path),
            }
        }
    }
    assert_eq!(files.len(), 3, "{files:?}");
    for file in &files[1..] {
        let (code, out) = feedcheck(&[file.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("1 activity usable (1 with a pin"), "{out}");
    }
    // The record with no place keeps the problem it had: no pin, still listed.
    let (_, out) = feedcheck(&[files[0].to_str().unwrap()]);
    assert!(out.contains("1 activity usable (0 with a pin"), "{out}");
    assert!(pack.join("nodes").exists());
    // Bad arguments are refused before anything is read.
    let (code, _) = feedcheck(&["assets/sample-feed.json", "--pack", "x", "--leaf-max", "0"]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
