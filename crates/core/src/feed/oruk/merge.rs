//! Services from an ORUK API's list pages put together with their places. A v3
//! `/services` list usually leaves out where a service is; that comes from the
//! `/service_at_locations` list (each entry a service with one location), or from
//! each service's own `/services/{id}` document. [`Merge`] takes pages of each, in any
//! order, and gives one document the ORUK reader reads with pins.

use crate::feed::check::text;
use crate::feed::{load_value, FeedError, Loaded, Options};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Services and locations gathered from several documents.
///
/// ```
/// use activity_map_core::feed::oruk::merge::Merge;
/// use activity_map_core::feed::Options;
/// use serde_json::json;
///
/// let mut m = Merge::default();
/// m.add_page(&json!({"contents": [{"id": "s1", "name": "Walking group"}]}));
/// m.add_page(&json!({"contents": [{"id": "sal1",
///     "service": {"id": "s1", "name": "Walking group"},
///     "location": {"id": "l1", "name": "Park gate", "latitude": 52.6, "longitude": 1.3}}]}));
/// assert!(m.without_location().is_empty());
/// let loaded = m.load(&Options::default()).unwrap();
/// assert_eq!(loaded.feed.activities.len(), 1);
/// assert!(loaded.feed.activities[0].point().is_some());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Merge {
    /// Services in the order first seen.
    services: Vec<Map<String, Value>>,
    by_id: HashMap<String, usize>,
    /// Service-at-location entries by service id, each `{id, location, ...}`.
    sites: HashMap<String, Vec<Map<String, Value>>>,
    /// Entries that are not services, or services with no id: passed on as they are,
    /// for the reader to report.
    others: Vec<Value>,
}

impl Merge {
    /// Add a page of `/services` or `/service_at_locations` (v3 `contents` or v1
    /// `content`), or a single service or service-at-location document.
    pub fn add_page(&mut self, doc: &Value) {
        let list = ["contents", "content"]
            .into_iter()
            .find_map(|k| doc.get(k).and_then(Value::as_array));
        match list {
            Some(list) => list.iter().for_each(|e| self.add_entry(e)),
            None => self.add_entry(doc),
        }
    }

    fn add_entry(&mut self, e: &Value) {
        let Some(o) = e.as_object() else {
            self.others.push(e.clone());
            return;
        };
        match o.get("service").and_then(Value::as_object) {
            Some(service) => {
                let Some(sid) = text(service.get("id")) else {
                    self.others.push(e.clone());
                    return;
                };
                if !self.by_id.contains_key(&sid) {
                    let mut bare = service.clone();
                    bare.remove("service_at_locations");
                    self.add_service(sid.clone(), bare);
                }
                let mut site = o.clone();
                site.remove("service");
                let sites = self.sites.entry(sid).or_default();
                let key = site_key(&site);
                if key.is_none() || sites.iter().all(|s| site_key(s) != key) {
                    sites.push(site);
                }
            }
            None => match text(o.get("id")) {
                Some(id) => self.add_service(id, o.clone()),
                None => self.others.push(e.clone()),
            },
        }
    }

    /// A service; a later, fuller document (a `/services/{id}` detail) replaces a
    /// list entry, but a list entry never replaces a detail.
    fn add_service(&mut self, id: String, s: Map<String, Value>) {
        match self.by_id.get(&id) {
            Some(&i) => {
                if s.len() >= self.services[i].len() {
                    self.services[i] = s;
                }
            }
            None => {
                self.by_id.insert(id, self.services.len());
                self.services.push(s);
            }
        }
    }

    /// Ids of services with no place so far: the ones whose `/services/{id}` is worth
    /// fetching when there is no `/service_at_locations` list.
    pub fn without_location(&self) -> Vec<String> {
        self.services
            .iter()
            .filter_map(|s| {
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

    /// One v3 page holding every service, each with the places found for it.
    pub fn document(&self) -> Value {
        let mut contents: Vec<Value> = Vec::with_capacity(self.services.len());
        for s in &self.services {
            let mut s = s.clone();
            if let Some(extra) = text(s.get("id")).and_then(|id| self.sites.get(&id)) {
                let list = s
                    .entry("service_at_locations")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !list.is_array() {
                    *list = Value::Array(Vec::new());
                }
                if let Value::Array(list) = list {
                    for site in extra {
                        let key = site_key(site);
                        let known = key.is_some()
                            && list
                                .iter()
                                .filter_map(Value::as_object)
                                .any(|l| site_key(l) == key);
                        if !known {
                            list.push(Value::Object(site.clone()));
                        }
                    }
                }
            }
            contents.push(Value::Object(s));
        }
        contents.extend(self.others.iter().cloned());
        json!({ "contents": contents })
    }

    /// The merged services, read as a feed.
    pub fn load(&self, opts: &Options) -> Result<Loaded, FeedError> {
        load_value(&self.document(), opts)
    }
}

/// A site's identity: its location's id, else its own id.
fn site_key(site: &Map<String, Value>) -> Option<String> {
    site.get("location")
        .and_then(|l| text(l.get("id")))
        .or_else(|| text(site.get("id")))
}
