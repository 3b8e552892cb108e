//! Helpers shared by the adapter tests: fixtures, loading a document, and small
//! documents of each shape to build edge cases from.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use activity_map_core::feed::{load, Loaded, Options};
use activity_map_core::model::{Activity, Time};

pub fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

pub fn load_str(doc: &str) -> Loaded {
    load(doc.as_bytes(), &Options::default()).expect("document loads")
}

pub fn only(l: &Loaded) -> &Activity {
    assert_eq!(l.feed.activities.len(), 1, "{:#?}", l.feed.activities);
    &l.feed.activities[0]
}

pub fn t(s: &str) -> Time {
    Time::parse(s).expect("a time")
}

/// An RPDE page with these items.
pub fn rpde(items: &str) -> String {
    format!(r#"{{"next":"https://example.org/feed?afterId=9","items":[{items}]}}"#)
}

/// An updated SessionSeries item with a located venue; `extra` adds fields to `data`.
pub fn series(id: &str, kind: &str, extra: &str) -> String {
    let sep = if extra.is_empty() { "" } else { "," };
    format!(
        r#"{{"state":"updated","kind":"{kind}","id":"{id}","modified":1,"data":{{
            "@type":"SessionSeries","name":"Chair yoga",
            "location":{{"name":"Village Hall","geo":{{"latitude":"52.63","longitude":"1.29"}},
                "address":{{"streetAddress":"1 Church Lane","addressLocality":"Norwich","postalCode":"nr1 1aa"}}}}{sep}{extra}}}}}"#
    )
}

/// A native feed with these activities.
pub fn native(activities: &str) -> String {
    format!(r#"{{"format":"activity-map/1","feed":{{"name":"T"}},"activities":[{activities}]}}"#)
}

/// A native activity with a pin; `extra` adds fields.
pub fn act(id: &str, extra: &str) -> String {
    let sep = if extra.is_empty() { "" } else { "," };
    format!(
        r#"{{"id":"{id}","name":"Walk","category":"green","location":{{"lat":52.6,"lng":1.3}}{sep}{extra}}}"#
    )
}

/// Every value of `v`, by JSON Pointer.
pub fn pointers(v: &serde_json::Value, at: String, into: &mut Vec<String>) {
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
