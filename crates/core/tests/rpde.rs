//! Reading whole RPDE feeds page by page (`feed::rpde::Harvest`): the merge rules,
//! the end of a feed, every way a feed can go wrong, and a property test against a
//! plain model of the rules.

use activity_map_core::feed::rpde::url::{host, query_param, with_param};
use activity_map_core::feed::rpde::{Harvest, Limits, Modified, Step, Stop};
use proptest::prelude::*;
use std::collections::HashMap;

const BASE: &str = "https://feeds.example.org/rpde";

fn url(n: usize) -> String {
    format!("{BASE}?afterId={n}")
}

fn page(next: &str, items: &[String]) -> Vec<u8> {
    format!(r#"{{"next":"{next}","items":[{}]}}"#, items.join(",")).into_bytes()
}

fn upd(id: &str, modified: i64, name: &str) -> String {
    format!(
        r#"{{"state":"updated","kind":"SessionSeries","id":"{id}","modified":{modified},
            "data":{{"@type":"SessionSeries","name":"{name}"}}}}"#
    )
}

fn del(id: &str, modified: i64) -> String {
    format!(r#"{{"state":"deleted","kind":"SessionSeries","id":"{id}","modified":{modified}}}"#)
}

fn name_of(h: &Harvest, id: &str) -> Option<String> {
    let r = h.records().get(id)?;
    Some(r.data.as_ref()?["name"].as_str()?.to_string())
}

/// Read `pages` (each a list of items) as a feed whose pages are `url(0)`, `url(1)`, ...
/// with a proper last page after them.
fn harvest(pages: &[Vec<String>]) -> Harvest {
    let mut h = Harvest::new(&url(0), Limits::default()).unwrap();
    for (i, items) in pages.iter().enumerate() {
        let step = h.read_page(&url(i), &page(&url(i + 1), items));
        assert_eq!(step, Step::Fetch(url(i + 1)));
    }
    let n = pages.len();
    assert_eq!(h.read_page(&url(n), &page(&url(n), &[])), Step::Finished);
    h
}

#[test]
fn pages_are_followed_to_the_last_page() {
    let h = harvest(&[
        vec![upd("a", 1, "Yoga"), upd("b", 1, "Pilates")],
        vec![upd("c", 2, "Walk")],
    ]);
    assert!(h.is_finished());
    assert_eq!(h.stopped(), None);
    let p = h.progress();
    assert_eq!((p.pages, p.items, p.live), (3, 3, 3));
    assert_eq!(h.next_url(), None);
    let ids: Vec<&str> = h.records().live().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[test]
fn an_empty_page_alone_is_not_the_end() {
    let h = harvest(&[vec![upd("a", 1, "Yoga")], vec![], vec![upd("b", 2, "Walk")]]);
    assert_eq!(h.progress().live, 2);
    assert_eq!(h.progress().pages, 4);
}

#[test]
fn the_newest_modified_wins_whatever_the_order() {
    let h = harvest(&[
        vec![upd("a", 5, "Yoga v5")],
        vec![upd("a", 3, "Yoga v3"), upd("a", 7, "Yoga v7")],
    ]);
    assert_eq!(name_of(&h, "a").as_deref(), Some("Yoga v7"));
    assert_eq!(h.progress().live, 1);
    // Equal modified: the item read later wins (RPDE orders items by modified, then id).
    let h = harvest(&[vec![upd("a", 5, "first")], vec![upd("a", 5, "second")]]);
    assert_eq!(name_of(&h, "a").as_deref(), Some("second"));
}

#[test]
fn deletes_remove_and_are_not_undone_by_older_updates() {
    let h = harvest(&[
        vec![upd("a", 1, "Yoga"), upd("b", 1, "Walk")],
        vec![del("a", 2), upd("a", 1, "Yoga again, but older")],
    ]);
    assert_eq!(name_of(&h, "a"), None);
    assert_eq!(h.progress().live, 1);
    // A newer update after a delete brings the record back.
    let h = harvest(&[
        vec![upd("a", 1, "Yoga")],
        vec![del("a", 2), upd("a", 3, "Back")],
    ]);
    assert_eq!(name_of(&h, "a").as_deref(), Some("Back"));
    // A delete of a record never seen is not a problem.
    let h = harvest(&[vec![del("zz", 4)]]);
    assert!(h.problems().is_empty());
    assert_eq!(h.progress().live, 0);
}

#[test]
fn modified_as_text_digits_is_a_number() {
    assert_eq!(
        Modified::read(&serde_json::json!("12")),
        Some(Modified::Number(12))
    );
    assert!(Modified::Number(99) < Modified::Text("2020-01-01T00:00Z".into()));
    assert!(Modified::Number(2) < Modified::Number(10));
    assert_eq!(Modified::read(&serde_json::json!(1.5)), None);
    assert_eq!(Modified::read(&serde_json::json!("")), None);
}

#[test]
fn an_id_that_changes_kind_is_refused_and_reported() {
    let other = r#"{"state":"updated","kind":"ScheduledSession","id":"a","modified":9,
        "data":{"@type":"ScheduledSession","name":"x"}}"#
        .to_string();
    let h = harvest(&[vec![upd("a", 1, "Yoga")], vec![other]]);
    assert_eq!(name_of(&h, "a").as_deref(), Some("Yoga"));
    assert_eq!(h.records().get("a").unwrap().kind, "SessionSeries");
    assert_eq!(h.problems().len(), 1);
    let p = &h.problems()[0];
    assert!(p.message.contains("kind"), "{p}");
    assert_eq!(p.at, format!("{}#/items/0", url(1)));
    assert_eq!(p.record.as_deref(), Some("a"));
}

#[test]
fn broken_items_are_reported_and_the_rest_still_merge() {
    let items = vec![
        "42".to_string(),
        r#"{"state":"updated","kind":"SessionSeries","modified":1,"data":{}}"#.into(),
        r#"{"state":"changed","kind":"SessionSeries","id":"b","modified":1,"data":{}}"#.into(),
        r#"{"state":"updated","id":"c","modified":1,"data":{}}"#.into(),
        r#"{"state":"updated","kind":"SessionSeries","id":"d","data":{}}"#.into(),
        r#"{"state":"updated","kind":"SessionSeries","id":"e","modified":1,"data":"x"}"#.into(),
        r#"{"state":"updated","kind":"SessionSeries","id":"f","modified":1}"#.into(),
        upd("good", 1, "Yoga"),
    ];
    let h = harvest(&[items]);
    assert_eq!(h.problems().len(), 7, "{:#?}", h.problems());
    for (i, p) in h.problems().iter().enumerate() {
        assert_eq!(p.at, format!("{}#/items/{i}", url(0)));
    }
    assert_eq!(h.progress().live, 1);
    assert_eq!(h.progress().items, 8);
}

fn stopped_after(pages: &[(&str, Vec<u8>)]) -> Harvest {
    let mut h = Harvest::new(pages[0].0, Limits::default()).unwrap();
    for (u, bytes) in pages {
        h.read_page(u, bytes);
    }
    h
}

#[test]
fn a_next_that_loops_back_stops_with_what_was_read() {
    let p0 = page(&url(1), &[upd("a", 1, "Yoga")]);
    let p1 = page(&url(0), &[upd("b", 2, "Walk")]);
    let h = stopped_after(&[(&url(0), p0), (&url(1), p1)]);
    assert!(
        matches!(h.stopped(), Some(Stop::Loop { page: 1, .. })),
        "{:?}",
        h.stopped()
    );
    assert_eq!(h.progress().live, 2);
    assert_eq!(h.next_url(), None);
    // A page with items that names itself as next would be read forever.
    let p0 = page(&url(0), &[upd("a", 1, "Yoga")]);
    let h = stopped_after(&[(&url(0), p0)]);
    assert!(matches!(h.stopped(), Some(Stop::Loop { .. })));
    assert_eq!(h.progress().live, 1);
}

#[test]
fn a_next_on_another_host_stops() {
    let p0 = page(
        "https://elsewhere.example.com/rpde?afterId=1",
        &[upd("a", 1, "Yoga")],
    );
    let h = stopped_after(&[(&url(0), p0)]);
    let stop = h.stopped().unwrap();
    assert!(matches!(stop, Stop::OtherHost { .. }));
    assert!(stop.to_string().contains("elsewhere.example.com"), "{stop}");
    assert_eq!(h.progress().live, 1);
    // The host is compared without case, port or user information.
    let p0 = page("https://FEEDS.example.org:443/rpde?afterId=1", &[]);
    let mut h = Harvest::new(&url(0), Limits::default()).unwrap();
    assert!(matches!(h.read_page(&url(0), &p0), Step::Fetch(_)));
}

#[test]
fn a_relative_next_is_reported_not_guessed() {
    let p0 = page("/rpde?afterId=1", &[upd("a", 1, "Yoga")]);
    let h = stopped_after(&[(&url(0), p0)]);
    assert!(matches!(h.stopped(), Some(Stop::NotAbsolute { .. })));
    assert!(h.stopped().unwrap().to_string().contains("absolute"));
    assert_eq!(h.progress().live, 1);
}

#[test]
fn a_page_with_no_next_stops() {
    let h = stopped_after(&[(&url(0), br#"{"items":[]}"#.to_vec())]);
    assert!(matches!(h.stopped(), Some(Stop::NoNext { .. })));
}

#[test]
fn malformed_pages_stop_and_keep_earlier_pages() {
    for bad in [
        &b"{not json"[..],
        b"[1,2]",
        br#"{"items": 3, "next": "x"}"#,
        b"",
    ] {
        let p0 = page(&url(1), &[upd("a", 1, "Yoga")]);
        let h = stopped_after(&[(&url(0), p0), (&url(1), bad.to_vec())]);
        assert!(
            matches!(h.stopped(), Some(Stop::Malformed { .. })),
            "{:?}",
            h.stopped()
        );
        assert_eq!(h.progress().live, 1);
        assert_eq!(h.progress().pages, 1);
    }
}

#[test]
fn a_page_over_the_size_limit_stops() {
    let limits = Limits {
        max_page_bytes: 100,
        ..Limits::default()
    };
    let mut h = Harvest::new(&url(0), limits).unwrap();
    let big = page(&url(1), &[upd("a", 1, &"x".repeat(200))]);
    assert_eq!(h.read_page(&url(0), &big), Step::Stopped);
    assert!(matches!(
        h.stopped(),
        Some(Stop::TooLarge { limit: 100, .. })
    ));
}

#[test]
fn the_page_and_item_limits_say_the_feed_is_larger() {
    let limits = Limits {
        max_pages: 2,
        ..Limits::default()
    };
    let mut h = Harvest::new(&url(0), limits).unwrap();
    h.read_page(&url(0), &page(&url(1), &[upd("a", 1, "A")]));
    assert_eq!(
        h.read_page(&url(1), &page(&url(2), &[upd("b", 1, "B")])),
        Step::Stopped
    );
    let stop = h.stopped().unwrap();
    assert_eq!(stop, &Stop::PageLimit { pages: 2 });
    assert!(stop.to_string().contains("larger"));
    assert_eq!(h.progress().live, 2);

    let limits = Limits {
        max_items: 3,
        ..Limits::default()
    };
    let mut h = Harvest::new(&url(0), limits).unwrap();
    let items: Vec<String> = (0..5).map(|i| upd(&format!("r{i}"), 1, "R")).collect();
    assert_eq!(h.read_page(&url(0), &page(&url(1), &items)), Step::Stopped);
    assert_eq!(h.stopped(), Some(&Stop::ItemLimit { items: 3 }));
    assert_eq!(h.progress().live, 3);
}

#[test]
fn the_driver_is_held_to_the_page_it_was_given() {
    let mut h = Harvest::new(&url(0), Limits::default()).unwrap();
    assert_eq!(h.next_url(), Some(url(0).as_str()));
    assert_eq!(h.read_page(&url(5), &page(&url(6), &[])), Step::Stopped);
    assert!(matches!(h.stopped(), Some(Stop::WrongPage { .. })));

    let mut h = Harvest::new(&url(0), Limits::default()).unwrap();
    h.read_page(&url(0), &page(&url(1), &[upd("a", 1, "A")]));
    assert_eq!(h.fetch_failed(&url(1), "HTTP 503"), Step::Stopped);
    assert!(h.stopped().unwrap().to_string().contains("HTTP 503"));
    assert_eq!(h.progress().live, 1);
    // Nothing changes once stopped.
    assert_eq!(h.read_page(&url(1), &page(&url(1), &[])), Step::Stopped);
}

#[test]
fn a_finished_feed_can_be_polled_for_changes() {
    let mut h = harvest(&[vec![upd("a", 1, "Yoga"), upd("b", 1, "Walk")]]);
    // Not finished yet: polling changes nothing.
    let mut unfinished = Harvest::new(&url(0), Limits::default()).unwrap();
    assert_eq!(unfinished.poll(), Step::Fetch(url(0)));
    assert_eq!(h.poll(), Step::Fetch(url(1)));
    // The publisher has since deleted a and added c.
    let step = h.read_page(&url(1), &page(&url(2), &[del("a", 2), upd("c", 2, "Swim")]));
    assert_eq!(step, Step::Fetch(url(2)));
    assert_eq!(h.read_page(&url(2), &page(&url(2), &[])), Step::Finished);
    let ids: Vec<&str> = h.records().live().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["b", "c"]);
    assert_eq!(h.progress().pages, 4);
    // Nothing new: the last page again, and finished again.
    assert_eq!(h.poll(), Step::Fetch(url(2)));
    assert_eq!(h.read_page(&url(2), &page(&url(2), &[])), Step::Finished);
}

#[test]
fn a_first_url_must_be_absolute_http() {
    assert!(matches!(
        Harvest::new("/rpde", Limits::default()),
        Err(Stop::BadStart { .. })
    ));
    assert!(Harvest::new("file:///etc/passwd", Limits::default()).is_err());
}

#[test]
fn the_published_example_pages_merge() {
    let bytes = std::fs::read(format!(
        "{}/../../tests/fixtures/openactive/sessionseries_example_1.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let first = "https://www.example.com/api/rpde/sessions";
    let mut h = Harvest::new(first, Limits::default()).unwrap();
    let step = h.read_page(first, &bytes);
    assert_eq!(
        step,
        Step::Fetch(
            "https://www.example.com/api/rpde/sessions?afterTimestamp=1521565719&afterId=1402CBP20150217"
                .into()
        )
    );
    assert!(h.problems().is_empty());
    assert_eq!(
        h.records().get("1402CBP20150217").unwrap().modified,
        Modified::Number(1521565719)
    );
}

#[test]
fn urls_are_read_for_their_host_only_when_absolute_http() {
    assert_eq!(
        host("HTTP://user:pw@Example.org:8080/x"),
        Some("example.org".into())
    );
    assert_eq!(
        host("https://[2001:db8::1]:443/feed"),
        Some("[2001:db8::1]".into())
    );
    assert_eq!(
        host("https://example.org?afterId=1"),
        Some("example.org".into())
    );
    for bad in [
        "",
        "//example.org/x",
        "example.org/x",
        "javascript://x",
        "https://",
        "https:// x",
    ] {
        assert_eq!(host(bad), None, "{bad}");
    }
    assert_eq!(
        query_param("https://x.org/s?a=1&page=7#f", "page"),
        Some("7")
    );
    assert_eq!(query_param("https://x.org/s?pages=7", "page"), None);
    assert_eq!(
        with_param("https://x.org/s?page=1&page=2#top", "page", "3"),
        "https://x.org/s?page=3#top"
    );
}

/// One item of a generated feed.
#[derive(Debug, Clone)]
struct Op {
    id: u8,
    deleted: bool,
    modified: i64,
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        (0u8..6, any::<bool>(), 0i64..8).prop_map(|(id, deleted, modified)| Op {
            id,
            deleted,
            modified,
        }),
        0..60,
    )
}

proptest! {
    /// Any sequence of upserts and deletes, split into any pages (empty ones too),
    /// ends as the plain model of RPDE says: per id, the last item read among those
    /// with the highest `modified` decides whether it lives and what it holds.
    #[test]
    fn any_paging_of_any_items_matches_the_model(
        ops in ops(),
        cuts in prop::collection::vec(0usize..60, 0..8),
    ) {
        let items: Vec<String> = ops
            .iter()
            .enumerate()
            .map(|(i, op)| {
                let id = format!("r{}", op.id);
                if op.deleted { del(&id, op.modified) } else { upd(&id, op.modified, &format!("v{i}")) }
            })
            .collect();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(items.len())).collect();
        cuts.sort_unstable();
        let mut pages = Vec::new();
        let mut from = 0;
        for c in cuts.into_iter().chain([items.len()]) {
            pages.push(items[from..c].to_vec());
            from = c;
        }
        let h = harvest(&pages);

        let mut model: HashMap<String, (i64, Option<String>)> = HashMap::new();
        for (i, op) in ops.iter().enumerate() {
            let id = format!("r{}", op.id);
            let value = (!op.deleted).then(|| format!("v{i}"));
            match model.get(&id) {
                Some((m, _)) if op.modified < *m => {}
                _ => { model.insert(id, (op.modified, value)); }
            }
        }
        let expected: HashMap<String, String> = model
            .into_iter()
            .filter_map(|(id, (_, v))| Some((id, v?)))
            .collect();
        let got: HashMap<String, String> = h
            .records()
            .live()
            .map(|r| (r.id.clone(), r.data.as_ref().unwrap()["name"].as_str().unwrap().to_string()))
            .collect();
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(h.progress().live, expected.len());
        prop_assert_eq!(h.progress().items, ops.len());
        prop_assert_eq!(h.progress().pages, pages.len() + 1);
        prop_assert!(h.problems().is_empty());
    }
}

proptest! {
    /// Any bytes as a page: no panic, and a page that stops the harvest merges nothing.
    #[test]
    fn any_bytes_as_a_page_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut h = Harvest::new(&url(0), Limits::default()).unwrap();
        h.read_page(&url(0), &page(&url(1), &[upd("a", 1, "Yoga")]));
        let step = h.read_page(&url(1), &bytes);
        prop_assert!(step == Step::Stopped || matches!(step, Step::Fetch(_) | Step::Finished));
        prop_assert!(h.records().get("a").is_some());
    }

    /// Pages of JSON items of any shape: each item is merged or reported, never lost
    /// without a word.
    #[test]
    fn any_items_are_merged_or_reported(items in prop::collection::vec(
        prop_oneof![
            Just("{}".to_string()),
            Just("null".to_string()),
            "[a-z0-9]{1,3}".prop_map(|id| upd(&id, 1, "x")),
            "[a-z0-9]{1,3}".prop_map(|id| del(&id, 2)),
            ("[a-z0-9]{1,3}", "[A-Za-z]{0,6}", "[0-9a-z]{0,4}").prop_map(|(id, kind, m)|
                format!(r#"{{"state":"updated","kind":"{kind}","id":"{id}","modified":"{m}","data":{{}}}}"#)),
        ], 0..30)) {
        let h = harvest(std::slice::from_ref(&items));
        prop_assert_eq!(h.progress().items, items.len());
        prop_assert!(h.problems().len() <= items.len());
        prop_assert!(h.progress().live <= items.len() - h.problems().len());
    }
}

/// A harvest saved and resumed is the same harvest: records, tombstones, problems,
/// where it was, and whether it had finished.
#[test]
fn a_snapshot_resumes_the_same_harvest() {
    use activity_map_core::feed::rpde::Snapshot;
    let roundtrip = |h: &Harvest| -> Harvest {
        let text = serde_json::to_string(&h.snapshot()).unwrap();
        let back: Snapshot = serde_json::from_str(&text).unwrap();
        Harvest::resume(back, Limits::default()).unwrap()
    };
    let mut h = Harvest::new(BASE, Limits::default()).unwrap();
    let big = r#"{"state":"updated","kind":"SessionSeries","id":"big","modified":"170141183460469231731687303715884105727",
        "data":{"name":"Big"}}"#;
    let odd = r#"{"state":"updated","kind":"SessionSeries","id":"odd","modified":"v2","data":{"name":"Odd"}}"#;
    let items = [
        upd("a", 1, "A"),
        upd("b", 2, "B"),
        del("b", 3),
        big.into(),
        odd.into(),
        "7".into(),
    ];
    h.read_page(BASE, &page(&url(1), &items));
    let mut r = roundtrip(&h);
    assert_eq!(r.next_url(), Some(url(1).as_str()));
    assert_eq!(r.progress().live, 3);
    assert_eq!(r.problems(), h.problems());
    let ids = |h: &Harvest| {
        h.records()
            .all()
            .map(|x| (x.id.clone(), x.modified.clone(), x.is_live()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&r), ids(&h));
    // The tombstone holds: an older update of "b" read after resuming stays out.
    assert_eq!(
        r.read_page(&url(1), &page(&url(2), &[upd("b", 2, "B again")])),
        Step::Fetch(url(2))
    );
    assert!(r.records().get("b").is_none());
    assert_eq!(r.read_page(&url(2), &page(&url(2), &[])), Step::Finished);

    // A finished harvest stays finished, and polls its last page.
    let mut f = roundtrip(&r);
    assert!(f.is_finished());
    assert_eq!(f.poll(), Step::Fetch(url(2)));

    // A stopped harvest reads the page it stopped at again.
    let mut s = Harvest::new(BASE, Limits::default()).unwrap();
    s.read_page(BASE, &page(&url(2), &[upd("a", 1, "A")]));
    s.fetch_failed(&url(2), "HTTP 500");
    assert!(s.snapshot().stopped.unwrap().contains("HTTP 500"));
    let s = roundtrip(&s);
    assert_eq!(s.next_url(), Some(url(2).as_str()));
    assert_eq!(s.progress().pages, 0, "counts start again");
    assert_eq!(s.progress().live, 1);
}
