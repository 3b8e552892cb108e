//! Services from an ORUK API's list pages put together with their places. A v3
//! `/services` list usually leaves out where a service is; that comes from the
//! `/service_at_locations` list (each entry a service with one location), or from
//! each service's own `/services/{id}` document. [`Merge`] takes pages of each, in any
//! order, and reads them as one feed with pins. Problems point into the page each
//! record came from: `{page URL}#/contents/4/location/latitude`.

use crate::feed::check::text;
use crate::feed::{load_value, FeedError, Loaded, Options};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// A record, with where it was read (`{page URL}#{pointer}`).
type Placed = (Map<String, Value>, String);

/// Services and locations gathered from several documents.
///
/// ```
/// use activity_map_core::feed::oruk::merge::Merge;
/// use activity_map_core::feed::Options;
/// use serde_json::json;
///
/// let mut m = Merge::default();
/// m.add_page("https://x.org/services?page=1",
///     &json!({"contents": [{"id": "s1", "name": "Walking group"}]}));
/// m.add_page("https://x.org/service_at_locations?page=1", &json!({"contents": [{"id": "sal1",
///     "service": {"id": "s1", "name": "Walking group"},
///     "location": {"id": "l1", "name": "Park gate", "latitude": 52.6, "longitude": 1.3}}]}));
/// assert!(m.without_location().is_empty());
/// let loaded = m.load(&Options::default()).unwrap();
/// assert_eq!(loaded.feed.activities.len(), 1);
/// assert!(loaded.feed.activities[0].point().is_some());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Merge {
    /// Services in the order first seen, each with where it was read.
    services: Vec<Placed>,
    by_id: HashMap<String, usize>,
    /// Service-at-location entries (`{id, location, ...}`) by service id, each with
    /// where it was read.
    sites: HashMap<String, Vec<Placed>>,
    /// Entries that are not services, or services with no id: passed on as they are,
    /// for the reader to report.
    others: Vec<(Value, String)>,
}

impl Merge {
    /// Add the document read from `url`: a page of `/services` or
    /// `/service_at_locations` (v3 `contents` or v1 `content`), or a single service or
    /// service-at-location document.
    pub fn add_page(&mut self, url: &str, doc: &Value) {
        let list = ["contents", "content"]
            .into_iter()
            .find_map(|k| doc.get(k).and_then(Value::as_array).map(|l| (k, l)));
        match list {
            Some((key, list)) => {
                for (j, e) in list.iter().enumerate() {
                    self.add_entry(e, format!("{url}#/{key}/{j}"));
                }
            }
            None => self.add_entry(doc, format!("{url}#")),
        }
    }

    fn add_entry(&mut self, e: &Value, origin: String) {
        let Some(o) = e.as_object() else {
            self.others.push((e.clone(), origin));
            return;
        };
        match o.get("service").and_then(Value::as_object) {
            Some(service) => {
                let Some(sid) = text(service.get("id")) else {
                    self.others.push((e.clone(), origin));
                    return;
                };
                if !self.by_id.contains_key(&sid) {
                    let mut bare = service.clone();
                    bare.remove("service_at_locations");
                    self.add_service(sid.clone(), bare, format!("{origin}/service"));
                }
                let mut site = o.clone();
                site.remove("service");
                let sites = self.sites.entry(sid).or_default();
                let key = site_key(&site);
                if key.is_none() || sites.iter().all(|(s, _)| site_key(s) != key) {
                    sites.push((site, origin));
                }
            }
            None => match text(o.get("id")) {
                Some(id) => self.add_service(id, o.clone(), origin),
                None => self.others.push((e.clone(), origin)),
            },
        }
    }

    /// A service; a later document with at least as many fields (a `/services/{id}`
    /// detail) replaces a list entry, but a shorter list entry never replaces a detail.
    fn add_service(&mut self, id: String, s: Map<String, Value>, origin: String) {
        match self.by_id.get(&id) {
            Some(&i) => {
                if s.len() >= self.services[i].0.len() {
                    self.services[i] = (s, origin);
                }
            }
            None => {
                self.by_id.insert(id, self.services.len());
                self.services.push((s, origin));
            }
        }
    }

    /// Ids of services with no place so far: the ones whose `/services/{id}` is worth
    /// fetching when there is no `/service_at_locations` list.
    pub fn without_location(&self) -> Vec<String> {
        self.services
            .iter()
            .filter_map(|(s, _)| {
                let id = text(s.get("id"))?;
                let placed = self.sites.contains_key(&id)
                    || ["service_at_locations", "locations"].iter().any(|k| {
                        s.get(*k)
                            .and_then(Value::as_array)
                            .is_some_and(|l| !l.is_empty())
                    });
                (!placed).then_some(id)
            })
            .collect()
    }

    /// One v3 page holding every service, each with the places found for it, and
    /// where each entry (and each place added to it) was read.
    fn document(&self) -> (Value, Vec<Origin>) {
        let mut contents: Vec<Value> = Vec::with_capacity(self.services.len());
        let mut origins = Vec::with_capacity(self.services.len());
        for (s, origin) in &self.services {
            let mut s = s.clone();
            let mut origin = Origin {
                entry: origin.clone(),
                own_sites: 0,
                added_sites: Vec::new(),
            };
            if let Some(extra) = text(s.get("id")).and_then(|id| self.sites.get(&id)) {
                let list = s
                    .entry("service_at_locations")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !list.is_array() {
                    *list = Value::Array(Vec::new());
                }
                if let Value::Array(list) = list {
                    origin.own_sites = list.len();
                    for (site, at) in extra {
                        let key = site_key(site);
                        let known = key.is_some()
                            && list
                                .iter()
                                .filter_map(Value::as_object)
                                .any(|l| site_key(l) == key);
                        if !known {
                            list.push(Value::Object(site.clone()));
                            origin.added_sites.push(at.clone());
                        }
                    }
                }
            }
            contents.push(Value::Object(s));
            origins.push(origin);
        }
        for (e, at) in &self.others {
            contents.push(e.clone());
            origins.push(Origin {
                entry: at.clone(),
                own_sites: 0,
                added_sites: Vec::new(),
            });
        }
        (json!({ "contents": contents }), origins)
    }

    /// The merged services, read as a feed.
    pub fn load(&self, opts: &Options) -> Result<Loaded, FeedError> {
        let (doc, origins) = self.document();
        let mut loaded = load_value(&doc, opts)?;
        for p in &mut loaded.problems {
            if let Some(at) = placed(&p.at, &origins) {
                p.at = at;
            }
        }
        Ok(loaded)
    }
}

/// Where one entry of the merged document was read.
struct Origin {
    entry: String,
    /// Places the service carried itself, before those added from other pages.
    own_sites: usize,
    added_sites: Vec<String>,
}

/// A pointer into the merged document, as the same place in the page it came from.
fn placed(at: &str, origins: &[Origin]) -> Option<String> {
    let rest = at.strip_prefix("/contents/")?;
    let (i, rest) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let origin = origins.get(i.parse::<usize>().ok()?)?;
    if let Some(after) = rest.strip_prefix("/service_at_locations/") {
        let (k, tail) = after.split_at(after.find('/').unwrap_or(after.len()));
        if let Some(site) = k
            .parse::<usize>()
            .ok()
            .and_then(|k| k.checked_sub(origin.own_sites))
            .and_then(|k| origin.added_sites.get(k))
        {
            return Some(format!("{site}{tail}"));
        }
    }
    Some(format!("{}{rest}", origin.entry))
}

/// A site's identity: its location's id, else its own id.
fn site_key(site: &Map<String, Value>) -> Option<String> {
    site.get("location")
        .and_then(|l| text(l.get("id")))
        .or_else(|| text(site.get("id")))
}
