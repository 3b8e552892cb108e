//! The feeds an OpenActive dataset site lists. A dataset site is an HTML page whose
//! `<script type="application/ld+json">` holds a schema.org `Dataset`; its
//! `distribution` is one `DataDownload` per RPDE feed, with the feed's first page in
//! `contentUrl` and its kind in `additionalType` (`https://openactive.io/SessionSeries`).

use crate::feed::check::{text, truncate};
use serde_json::Value;

/// One feed a dataset site lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    /// The first page of the feed (absolute http(s)).
    pub url: String,
    /// The kind of record it carries, e.g. `SessionSeries`, `ScheduledSession`,
    /// `FacilityUse`, `Slot`; empty when the site does not say.
    pub kind: String,
    /// The site's name for the feed, when it gives one.
    pub name: Option<String>,
}

/// Why a dataset site gave no feeds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatasetError {
    #[error("The page has no JSON-LD (<script type=\"application/ld+json\">), so it is not an OpenActive dataset site.")]
    NoJsonLd,
    #[error("The page's JSON-LD is not valid JSON ({0}).")]
    NotJson(String),
    #[error("The page's JSON-LD has no \"distribution\" listing feeds.")]
    NoDistribution,
}

/// The feeds listed, and the entries that could not be used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatasetSite {
    pub feeds: Vec<FeedLink>,
    /// One message per `distribution` entry left out.
    pub problems: Vec<String>,
}

/// Read a dataset site, given as its HTML page or as the JSON-LD itself.
///
/// ```
/// use activity_map_core::feed::rpde::dataset_site::read;
///
/// let html = r#"<html><head><script type="application/ld+json">
///   {"@type": "Dataset", "distribution": [
///     {"@type": "DataDownload", "name": "SessionSeries",
///      "additionalType": "https://openactive.io/SessionSeries",
///      "contentUrl": "https://x.org/feeds/session-series"},
///     {"@type": "DataDownload", "name": "ScheduledSession",
///      "additionalType": "https://openactive.io/ScheduledSession",
///      "contentUrl": "https://x.org/feeds/scheduled-sessions"}]}
/// </script></head></html>"#;
/// let site = read(html).unwrap();
/// assert_eq!(site.feeds.len(), 2);
/// assert_eq!(site.feeds[0].kind, "SessionSeries");
/// assert_eq!(site.feeds[1].url, "https://x.org/feeds/scheduled-sessions");
/// ```
pub fn read(page: &str) -> Result<DatasetSite, DatasetError> {
    let page = page.trim_start_matches('\u{feff}').trim();
    let docs: Vec<Value> = if page.starts_with('{') || page.starts_with('[') {
        vec![serde_json::from_str(page).map_err(|e| DatasetError::NotJson(e.to_string()))?]
    } else {
        let blocks = json_ld_blocks(page);
        if blocks.is_empty() {
            return Err(DatasetError::NoJsonLd);
        }
        let mut docs = Vec::new();
        let mut first_error = None;
        for b in blocks {
            match serde_json::from_str(b) {
                Ok(v) => docs.push(v),
                Err(e) => {
                    first_error.get_or_insert(e.to_string());
                }
            }
        }
        if docs.is_empty() {
            return Err(DatasetError::NotJson(first_error.unwrap_or_default()));
        }
        docs
    };
    let mut entries: Vec<&Value> = Vec::new();
    for d in &docs {
        distributions(d, &mut entries);
    }
    if entries.is_empty() {
        return Err(DatasetError::NoDistribution);
    }
    let mut site = DatasetSite::default();
    for (i, e) in entries.into_iter().enumerate() {
        let url = text(e.get("contentUrl")).or_else(|| text(e.get("url")));
        let name = text(e.get("name"));
        match url {
            Some(u) if super::url::host(&u).is_some() => {
                if site.feeds.iter().all(|f| f.url != u) {
                    site.feeds.push(FeedLink {
                        url: u,
                        kind: kind_of(e),
                        name,
                    });
                }
            }
            Some(u) => site.problems.push(format!(
                "distribution {i}: \"{}\" is not an absolute http(s) URL, so this feed is left out",
                truncate(&u, 120)
            )),
            None => site.problems.push(format!(
                "distribution {i}: it has no \"contentUrl\", so this feed is left out"
            )),
        }
    }
    Ok(site)
}

/// The contents of each `<script type="application/ld+json">` element.
fn json_ld_blocks(html: &str) -> Vec<&str> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let mut blocks = Vec::new();
    let mut from = 0;
    while let Some(open) = lower[from..].find("<script").map(|i| i + from) {
        let Some(tag_end) = lower[open..].find('>').map(|i| i + open) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| i + tag_end) else {
            break;
        };
        if lower[open..tag_end].contains("application/ld+json") {
            blocks.push(html[tag_end + 1..close].trim());
        }
        from = close + "</script".len();
    }
    blocks
}

/// Every `distribution` entry in a JSON-LD document (top level, a list, or `@graph`).
fn distributions<'a>(v: &'a Value, into: &mut Vec<&'a Value>) {
    match v {
        Value::Array(list) => list.iter().for_each(|x| distributions(x, into)),
        Value::Object(o) => {
            match o.get("distribution") {
                Some(Value::Array(list)) => into.extend(list.iter().filter(|x| x.is_object())),
                Some(x @ Value::Object(_)) => into.push(x),
                _ => {}
            }
            if let Some(g) = o.get("@graph") {
                distributions(g, into);
            }
        }
        _ => {}
    }
}

/// `SessionSeries` from `https://openactive.io/SessionSeries` (or from the name).
fn kind_of(e: &Value) -> String {
    let from_type = text(e.get("additionalType"))
        .map(|t| t.rsplit(['/', '#']).next().unwrap_or("").to_string())
        .filter(|t| !t.is_empty());
    from_type
        .or_else(|| text(e.get("name")).filter(|n| !n.contains(' ')))
        .unwrap_or_default()
}
