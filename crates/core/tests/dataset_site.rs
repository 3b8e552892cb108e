//! Listing the feeds of an OpenActive dataset site (`feed::rpde::dataset_site`).

use activity_map_core::feed::rpde::dataset_site::{read, DatasetError};

const SITE: &str = r#"<!DOCTYPE html>
<html><head><title>Example Leisure open data</title>
<script src="/app.js"></script>
<SCRIPT TYPE="application/ld+json">
{"@context": ["https://schema.org/", "https://openactive.io/"], "@type": "Dataset",
 "name": "Example Leisure Sessions and Facilities",
 "distribution": [
   {"@type": "DataDownload", "name": "SessionSeries",
    "additionalType": "https://openactive.io/SessionSeries",
    "encodingFormat": "application/vnd.openactive.rpde+json; version=1",
    "contentUrl": "https://opendata.example.org/feeds/session-series"},
   {"@type": "DataDownload", "name": "ScheduledSession",
    "additionalType": "https://openactive.io/ScheduledSession",
    "contentUrl": "https://opendata.example.org/feeds/scheduled-sessions"},
   {"@type": "DataDownload", "name": "FacilityUse",
    "additionalType": "https://openactive.io/FacilityUse",
    "contentUrl": "https://opendata.example.org/feeds/facility-uses"},
   {"@type": "DataDownload", "name": "Slot for FacilityUse",
    "additionalType": "https://openactive.io/Slot",
    "contentUrl": "https://opendata.example.org/feeds/slots"},
   {"@type": "DataDownload", "name": "Broken", "contentUrl": "/feeds/relative"},
   {"@type": "DataDownload", "name": "NoUrl"},
   {"@type": "DataDownload", "name": "SessionSeries again",
    "contentUrl": "https://opendata.example.org/feeds/session-series"}
 ]}
</script></head><body><h1>Example Leisure</h1></body></html>"#;

#[test]
fn lists_each_feed_with_its_kind() {
    let site = read(SITE).unwrap();
    let got: Vec<(&str, &str)> = site
        .feeds
        .iter()
        .map(|f| (f.kind.as_str(), f.url.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "SessionSeries",
                "https://opendata.example.org/feeds/session-series"
            ),
            (
                "ScheduledSession",
                "https://opendata.example.org/feeds/scheduled-sessions"
            ),
            (
                "FacilityUse",
                "https://opendata.example.org/feeds/facility-uses"
            ),
            ("Slot", "https://opendata.example.org/feeds/slots"),
        ]
    );
    assert_eq!(site.feeds[3].name.as_deref(), Some("Slot for FacilityUse"));
    // The relative link and the entry with no URL are reported; the repeat is dropped.
    assert_eq!(site.problems.len(), 2, "{:?}", site.problems);
    assert!(site.problems[0].contains("/feeds/relative"));
    assert!(site.problems[1].contains("contentUrl"));
}

#[test]
fn reads_bare_json_ld_and_graphs() {
    let doc = r#"{"@graph": [{"@type": "Organization"}, {"@type": "Dataset",
        "distribution": {"contentUrl": "https://x.org/feed", "additionalType": "https://openactive.io/Event"}}]}"#;
    let site = read(doc).unwrap();
    assert_eq!(site.feeds.len(), 1);
    assert_eq!(site.feeds[0].kind, "Event");
}

#[test]
fn pages_that_are_not_dataset_sites_are_errors() {
    assert_eq!(
        read("<html><body>hi</body></html>"),
        Err(DatasetError::NoJsonLd)
    );
    assert!(matches!(
        read(r#"<script type="application/ld+json">{oops</script>"#),
        Err(DatasetError::NotJson(_))
    ));
    assert_eq!(
        read(r#"<script type="application/ld+json">{"@type":"Dataset"}</script>"#),
        Err(DatasetError::NoDistribution)
    );
    assert_eq!(read(""), Err(DatasetError::NoJsonLd));
    // An unterminated script is no JSON-LD, not a panic.
    assert_eq!(
        read(r#"<script type="application/ld+json">{"#),
        Err(DatasetError::NoJsonLd)
    );
}
