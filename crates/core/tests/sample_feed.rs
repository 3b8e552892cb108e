//! The shipped sample feed and the documented example must load cleanly through the
//! real loader: no problems at all, and every record usable by a person on a phone.

use activity_map_core::feed::{load, Loaded, Options, Shape};
use activity_map_core::model::{builtin_categories, Activity};

const SAMPLE: &[u8] = include_bytes!("../../../assets/sample-feed.json");
const EXAMPLE: &[u8] = include_bytes!("../../../docs/example-feed.json");

/// England's rough bounds, generous enough for the Scilly Isles and Berwick.
const LAT: std::ops::Range<f64> = 49.8..55.9;
const LNG: std::ops::Range<f64> = -6.5..1.8;

fn load_clean(name: &str, bytes: &[u8]) -> Loaded {
    let loaded = load(bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(loaded.shape, Shape::Native, "{name}: wrong shape");
    let problems: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        problems.is_empty(),
        "{name}: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    loaded
}

/// Everything a listing needs to be useful, with the record named when it is not.
fn check_usable(name: &str, a: &Activity) {
    let who = format!("{name}: {}", a.id);
    match a.point() {
        Some(p) => assert!(
            LAT.contains(&p.lat) && LNG.contains(&p.lng),
            "{who}: {},{} is outside England",
            p.lat,
            p.lng
        ),
        None => assert!(
            a.location.online || a.location.area.is_some(),
            "{who}: no pin, and not marked online or area-wide"
        ),
    }
    assert!(!a.description.trim().is_empty(), "{who}: no description");
    assert!(
        !a.schedule.is_empty() || !a.dates.is_empty(),
        "{who}: no schedule slot or date"
    );
    let c = &a.contact;
    assert!(
        c.website.is_some() || c.phone.is_some() || c.email.is_some(),
        "{who}: no website, phone or email"
    );
}

#[test]
fn sample_feed_loads_with_no_problems() {
    let loaded = load_clean("sample-feed", SAMPLE);
    let acts = &loaded.feed.activities;
    assert!(acts.len() >= 48, "only {} activities", acts.len());
    for cat in builtin_categories() {
        let n = acts.iter().filter(|a| a.category == cat.id).count();
        assert!(n >= 10, "only {n} activities in category {}", cat.id);
    }
    for a in acts {
        check_usable("sample-feed", a);
    }
    assert!(acts.iter().any(|a| a.location.online), "no online activity");
    assert!(
        acts.iter()
            .any(|a| a.location.area.as_deref() == Some("Norfolk") && a.point().is_none()),
        "no Norfolk-wide activity"
    );
}

#[test]
fn example_feed_loads_with_no_problems() {
    let loaded = load_clean("example-feed", EXAMPLE);
    let acts = &loaded.feed.activities;
    assert!((3..=4).contains(&acts.len()), "{} activities", acts.len());
    for a in acts {
        check_usable("example-feed", a);
    }
}
