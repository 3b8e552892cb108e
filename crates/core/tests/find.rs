//! `Catalog::find` (one pass over precomputed traits) must give exactly what the
//! plain definitions give: `Filters::matches` for the results and `filter::facets`
//! for the live counts, for any combination of filters.

use activity_map_core::catalog::{Building, Catalog, Preview};
use activity_map_core::feed::{self, generate, Options};
use activity_map_core::filter::{facets, haystack, Filters, Radius, Today};
use activity_map_core::geo::{distance_km, project, Bounds};
use activity_map_core::model::{Feature, LatLng, Weekday};
use activity_map_core::schedule::DayPart;
use activity_map_core::search::{search_match, SearchMatch};
use proptest::prelude::*;
use std::sync::OnceLock;

/// The sample feed and a generated one, each with its search text built the plain way.
fn catalogs() -> &'static [(Catalog, Vec<String>)] {
    static C: OnceLock<Vec<(Catalog, Vec<String>)>> = OnceLock::new();
    C.get_or_init(|| {
        let sample = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/sample-feed.json"
        ))
        .unwrap();
        [sample, generate::feed_bytes(800, 7)]
            .iter()
            .map(|b| {
                let cat = Catalog::new(feed::load(b, &Options::default()).unwrap());
                let hays = cat.activities().iter().map(haystack).collect();
                (cat, hays)
            })
            .collect()
    })
}

const WORDS: &[&str] = &[
    "park", "PARKRUN", "garden", "café", "cafe", "walk", "yarmouth", "nr3", "heritage", "zzz",
    "com", "st", "5k", // One typo each: found, ranked after what is found as typed.
    "gardne", "herotage", "yarmuoth", "waling", "parkrnu",
];
const TAGS: &[&str] = &[
    "walking",
    "gardening",
    "5k",
    "museum",
    "crafts",
    "no-such-tag",
];
const CATS: &[&str] = &["green", "parkrun", "heritage", "hub", "nope"];
const PLACES: &[(f64, f64)] = &[(52.6, 1.72), (53.48, -2.24), (51.5, -0.12), (55.0, -6.0)];

fn filters() -> impl Strategy<Value = (Filters, Option<LatLng>)> {
    (
        proptest::sample::subsequence(CATS, 0..3),
        proptest::sample::subsequence(TAGS, 0..3),
        proptest::sample::subsequence(Weekday::ALL.to_vec(), 0..3),
        proptest::sample::subsequence(DayPart::ALL.to_vec(), 0..2),
        proptest::sample::subsequence(Feature::ALL.to_vec(), 0..2),
        any::<[bool; 3]>(),
        proptest::sample::subsequence(WORDS, 0..3),
        proptest::option::of((
            0..PLACES.len(),
            prop_oneof![Just(None), (1..200u32).prop_map(Some)],
        )),
    )
        .prop_map(|(c, t, d, p, a, [today, free, selfr], w, place)| {
            let mut f = Filters {
                categories: c.iter().map(|s| s.to_string()).collect(),
                tags: t.iter().map(|s| s.to_string()).collect(),
                days: d.into_iter().collect(),
                parts: p.into_iter().collect(),
                access: a.into_iter().collect(),
                today,
                free,
                self_referral: selfr,
                search: w.join(" "),
                radius: None,
            };
            let origin = place.map(|(i, km)| {
                let at = LatLng {
                    lat: PLACES[i].0,
                    lng: PLACES[i].1,
                };
                f.radius = km.map(|km| Radius {
                    centre: at,
                    km: f64::from(km),
                });
                at
            });
            (f, origin)
        })
}

fn today() -> Today {
    Today {
        weekday: Weekday::Sat,
        date: "2026-11-28".into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn find_agrees_with_the_definitions((f, origin) in filters()) {
        for (cat, hays) in catalogs() {
            let acts = cat.activities();
            let order: Vec<String> = cat.categories.iter().map(|c| c.id.clone()).collect();
            let found = cat.find(&f, &today(), origin);
            // The same a slice at a time.
            let mut finding = cat.finding(&f, &today(), origin);
            while !finding.step(13) {}
            prop_assert_eq!(&finding.done(), &found);
            let expected_facets = facets(acts, hays, &f, &today(), &order);
            prop_assert_eq!(&found.facets, &expected_facets);
            let mut expected: Vec<usize> = (0..acts.len())
                .filter(|&i| f.matches(&acts[i], &hays[i], &today()))
                .collect();
            // Found as typed first, then with a typo forgiven; stable, so feed order within.
            let rank = |i: &usize| search_match(&f.search, &hays[*i]).unwrap_or(SearchMatch::Exact);
            expected.sort_by_key(rank);
            if let Some(o) = origin {
                let d = |i: &usize| acts[*i].point().map(|p| distance_km(o, p)).unwrap_or(f64::INFINITY);
                expected.sort_by(|a, b| rank(a).cmp(&rank(b)).then(d(a).total_cmp(&d(b))));
            }
            prop_assert_eq!(found.results, expected);
        }
    }

    /// The pins shown while a feed arrives are those the finder shows once it is all
    /// read (whole-feed checks aside), however the reading is split.
    #[test]
    fn the_preview_shows_what_the_finder_will((f, _) in filters(), cut in 0.0..1.0f64) {
        for (cat, _) in catalogs() {
            let acts = cat.activities();
            let at = (acts.len() as f64 * cut) as usize;
            let mut preview = Preview::default();
            preview.add(&acts[..at], &f, &today());
            preview.add(&acts[at..], &f, &today());
            prop_assert_eq!(preview.read, acts.len());
            let found = cat.find(&f, &today(), None);
            // The preview draws in feed order (the finder lists typo matches last).
            let mut shown: Vec<usize> = found.results.iter().copied().filter(|&i| acts[i].point().is_some()).collect();
            shown.sort_unstable();
            let expected: Vec<(f64, f64)> = shown.iter().map(|&i| project(acts[i].point().unwrap())).collect();
            let got: Vec<(f64, f64)> = preview.points.iter().map(|p| (p.x, p.y)).collect();
            prop_assert_eq!(got, expected);
            for (p, &i) in preview.points.iter().zip(&shown) {
                prop_assert_eq!(preview.colours[p.index as usize], cat.colour(&acts[i].category));
            }
        }
    }
}

#[test]
fn the_generated_feed_gives_every_kind_of_choice_something_to_count() {
    // Guards the property above against a vacuous pass: the feeds it runs on do have
    // matches, tags, days, parts and accessibility to count.
    let cat = &catalogs()[1].0;
    let f = Filters::default();
    let found = cat.find(&f, &today(), None);
    assert_eq!(found.results.len(), cat.activities().len());
    assert!(found.facets.tags.len() > 5);
    assert!(found.facets.days.iter().all(|&n| n > 0));
    assert!(found.facets.parts.iter().all(|&n| n > 0));
    assert!(found.facets.access.iter().any(|&(_, n)| n > 0));
    assert!(found.facets.free > 0 && found.facets.today > 0);
    let g = Filters {
        search: "park".into(),
        ..Filters::default()
    };
    let n = cat.find(&g, &today(), None).results.len();
    assert!(n > 0 && n < cat.activities().len());
    // ...and typos to forgive: "gardne" finds the gardens only with one.
    let typo = Filters {
        search: "gardne".into(),
        ..Filters::default()
    };
    let found = cat.find(&typo, &today(), None);
    assert!(found.facets.near > 0);
    assert_eq!(found.facets.near, found.results.len());
}

#[test]
fn search_text_is_built_in_slices_and_then_complete() {
    // Its own catalog: the shared ones may have built their search text already.
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/sample-feed.json"
    ))
    .unwrap();
    let cat = &Catalog::new(feed::load(&sample, &Options::default()).unwrap());
    let hays = &catalogs()[0].1;
    let n = cat.activities().len();
    assert!(!cat.prepare_search(10) || n <= 10);
    let f = Filters {
        search: "parkrun".into(),
        ..Filters::default()
    };
    // A search before the slices are done builds the rest and still finds everything.
    let early = cat.find(&f, &today(), None).results;
    assert!(cat.prepare_search(10));
    let expected: Vec<usize> = (0..n)
        .filter(|&i| f.matches(&cat.activities()[i], &hays[i], &today()))
        .collect();
    assert_eq!(early, expected);
    assert!(!early.is_empty());
}

/// A catalog built a few activities at a time is the one built at once.
#[test]
fn a_catalog_built_in_slices_is_the_same() {
    let bytes = generate::feed_bytes(800, 7);
    let whole = Catalog::new(feed::load(&bytes, &Options::default()).unwrap());
    let mut building = Building::new(feed::load(&bytes, &Options::default()).unwrap());
    let mut steps = 1;
    while !building.step(7) {
        steps += 1;
    }
    assert_eq!(steps, 800usize.div_ceil(7));
    let sliced = building.done();
    let at = |c: &Catalog| {
        c.points
            .iter()
            .map(|p| (p.index, p.x, p.y))
            .collect::<Vec<_>>()
    };
    assert_eq!(at(&sliced), at(&whole));
    assert_eq!(sliced.tags(), whole.tags());
    for (i, a) in whole.activities().iter().enumerate() {
        assert_eq!(sliced.index_of(&a.id), Some(i));
    }
    assert_eq!(sliced.index_of("no-such-id"), None);
    // Around every activity's pin, exactly.
    let around = Bounds::around(whole.activities().iter().filter_map(|a| a.point()));
    assert!(around.is_some());
    assert_eq!(sliced.bounds(), around);
    assert_eq!(whole.bounds(), around);
    let mut f = Filters::default();
    f.categories.insert("green".into());
    f.tags.insert("walking".into());
    assert_eq!(
        sliced.find(&f, &today(), None),
        whole.find(&f, &today(), None)
    );
}

/// Typing on narrows the last search's matches; any other change searches afresh.
/// Either way the answer is the one a fresh catalog gives.
#[test]
fn searches_typed_in_turn_agree_with_a_fresh_search() {
    let bytes = generate::feed_bytes(800, 7);
    let typed = Catalog::new(feed::load(&bytes, &Options::default()).unwrap());
    let steps = [
        "c",
        "ch",
        "cho",
        "cho ",
        "cho p",
        "choir",
        "ch",
        "park",
        "park run",
        "parkrun",
        "run",
        "café",
        "cafe",
        "",
        "zz",
        "zzz",
        "walk",
        "walking gr",
    ];
    for q in steps {
        let f = Filters {
            search: q.to_string(),
            ..Filters::default()
        };
        let fresh = Catalog::new(feed::load(&bytes, &Options::default()).unwrap());
        assert_eq!(
            typed.find(&f, &today(), None),
            fresh.find(&f, &today(), None),
            "after typing {q:?}"
        );
    }
}
