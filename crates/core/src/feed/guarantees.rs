//! What every successful load guarantees, whatever its input: the property tests and
//! the fuzz targets check each load against this one definition.

use super::{check, Loaded};
use crate::model::builtin_categories;
use std::collections::HashSet;

impl Loaded {
    /// The first guarantee this load breaks, in words; `None` when it keeps them all:
    /// ids unique and non-empty, names non-empty, every category known, coordinates
    /// on the map and in pairs, schedules with days and ends after starts, dates
    /// written as ISO dates, age ranges in order, websites safe links, problems placed
    /// by a JSON Pointer (in a feed of several pages, `{page URL}#{pointer}`) and explained.
    pub fn broken_guarantee(&self) -> Option<String> {
        let mut known: Vec<String> = builtin_categories().into_iter().map(|c| c.id).collect();
        known.extend(self.feed.categories.iter().map(|c| c.id.clone()));
        let mut ids = HashSet::new();
        for a in &self.feed.activities {
            let broken = |what: &str| Some(format!("{what}: {a:?}"));
            if !ids.insert(a.id.as_str()) {
                return broken("duplicate id");
            }
            if a.id.is_empty() || a.name.is_empty() {
                return broken("empty id or name");
            }
            if !known.contains(&a.category) {
                return broken("unknown category");
            }
            if a.point()
                .is_some_and(|p| check::lat_lng(p.lat, p.lng).is_err())
            {
                return broken("a point off the map");
            }
            if a.location.lat.is_some() != a.location.lng.is_some() {
                return broken("a latitude without a longitude, or the reverse");
            }
            if a.schedule
                .iter()
                .any(|s| s.days.is_empty() || s.end.is_some_and(|e| e <= s.start))
            {
                return broken("a slot with no day, or ending before it starts");
            }
            for d in &a.dates {
                if check::iso_date(&d.date).as_deref() != Some(d.date.as_str()) {
                    return broken("a date not written as an ISO date");
                }
                if matches!((d.start, d.end), (Some(s), Some(e)) if e <= s) {
                    return broken("a date ending before it starts");
                }
            }
            if a.ages
                .is_some_and(|g| matches!((g.min, g.max), (Some(lo), Some(hi)) if lo > hi))
            {
                return broken("ages out of order");
            }
            if let Some(link) = &a.contact.website {
                if check::safe_link(link).as_deref() != Ok(link.as_str()) {
                    return broken("an unsafe website link");
                }
            }
        }
        // A problem in one of several documents (the pages of an RPDE feed) is placed
        // as `{page URL}#{pointer}`, the URI form of a JSON Pointer (RFC 6901).
        let placed = |at: &str| {
            let pointer = match at.split_once('#') {
                Some((url, fragment)) if crate::feed::rpde::url::host(url).is_some() => fragment,
                None if crate::feed::rpde::url::host(at).is_some() => "",
                _ => at,
            };
            pointer.is_empty() || pointer.starts_with('/')
        };
        self.problems
            .iter()
            .find(|p| !placed(&p.at) || p.message.is_empty())
            .map(|p| format!("a problem without a place or a message: {p:?}"))
    }
}
