//! A loaded feed prepared for the finder: categories resolved, pins projected, and
//! what the filters ask of each activity reduced to a few small numbers (`Traits`).
//! Built once per feed; the filters, list and map all read from it by index.
//!
//! [`Catalog::find`] answers a filter change in one pass over those numbers: the
//! results and every live count together. It gives exactly what `Filters::matches`
//! and `filter::facets` define (a test checks the two against each other).

use crate::cluster::Projected;
use crate::feed::{id_hash, Loaded};
use crate::geo::Bounds;
use crate::lang::Messages;
use crate::model::{builtin_categories, category_label, Activity, CategoryDef, Feature, Joining};
use crate::schedule::DayPart;
use hashbrown::HashTable;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Mutex;

mod finding;
mod preview;
mod search_text;

pub use finding::{Finding, Found};
pub use preview::Preview;

/// A loaded feed ready to filter: build it once per feed, then ask
/// [`find`](Self::find) for each change of filters.
///
/// ```
/// use activity_map_core::catalog::{Building, Catalog};
/// use activity_map_core::feed::{load, Options};
/// use activity_map_core::filter::{Filters, Today};
/// use activity_map_core::model::Weekday;
///
/// let doc = r#"{"format": "activity-map/1", "feed": {"name": "T"}, "activities": [
///     {"id": "walk", "name": "Health walk", "category": "green", "location": {"online": true},
///      "schedule": [{"days": ["sat"], "start": "9:00"}]},
///     {"id": "choir", "name": "Community choir", "category": "heritage", "location": {"online": true},
///      "schedule": [{"days": ["tue"], "start": "19:00"}]}]}"#;
/// let loaded = load(doc.as_bytes(), &Options::default()).unwrap();
///
/// // All at once...
/// let catalog = Catalog::new(loaded.clone());
/// // ...or a slice at a time, so a page can draw in between.
/// let mut building = Building::new(loaded);
/// while !building.step(1) {}
/// let same = building.done();
/// assert_eq!(same.activities().len(), catalog.activities().len());
///
/// let today = Today { weekday: Weekday::Mon, date: "2026-11-23".into() };
/// let mut filters = Filters::default();
/// filters.days.insert(Weekday::Sat);
/// let found = catalog.find(&filters, &today, None);
/// assert_eq!(found.results, [catalog.index_of("walk").unwrap()]);
/// ```
pub struct Catalog {
    pub loaded: Loaded,
    /// Built-in categories first, then those the feed declares.
    pub categories: Vec<CategoryDef>,
    /// One entry per activity that has a pin.
    pub points: Vec<Projected>,
    /// Every subtype tag in the feed; `tag_of` indexes into it.
    tag_names: Vec<String>,
    /// Every activity's distinct tags in turn, as indices into `tag_names`.
    tag_of: Vec<u32>,
    traits: Vec<Traits>,
    /// Normalised search text (see `filter::haystack`), built on demand: the first
    /// search, or [`Catalog::prepare_search`] a slice at a time after the first draw.
    hays: Mutex<search_text::SearchText>,
    /// The last search's words and the activities whose search text holds them all.
    last_search: Mutex<Option<(crate::search::SearchWords, Vec<u32>)>>,
    /// Activities by id, as indices (hashed by the id they point at, so no id is copied).
    by_id: HashTable<u32>,
    /// Around every pin (worked out while building, so opening the map on a large feed
    /// does not go over every activity again in one long task).
    bounds: Option<Bounds>,
}

/// What the filters ask of one activity.
struct Traits {
    category: u16,
    /// Where its distinct tags are in `Catalog::tag_of` (`tags_len` of them from `tags_at`).
    tags_at: u32,
    tags_len: u32,
    /// Bit `d` for each weekday it runs on (weekly or on a date).
    days: u8,
    /// Bit `d` for each weekday it has a weekly session on.
    weekly: u8,
    /// Whether it has one-off dates (only then is the activity itself looked at for "today").
    dated: bool,
    /// Bit `i` for each `DayPart::ALL[i]` a session starts in.
    parts: u8,
    /// Bit `i` for each `Feature::ALL[i]` it offers.
    access: u16,
    free: bool,
    self_referral: bool,
}

/// A catalog being built, a slice at a time ([`step`](Self::step)), so a large feed
/// never blocks a page for long; then [`done`](Self::done).
pub struct Building {
    loaded: Loaded,
    categories: Vec<CategoryDef>,
    cat_index: HashMap<String, u16>,
    tag_index: HashMap<String, u32>,
    tag_names: Vec<String>,
    tag_of: Vec<u32>,
    points: Vec<Projected>,
    traits: Vec<Traits>,
    by_id: HashTable<u32>,
    bounds: Option<Bounds>,
}

impl Building {
    pub fn new(loaded: Loaded) -> Building {
        let mut categories = builtin_categories();
        for c in &loaded.feed.categories {
            if !categories.iter().any(|b| b.id == c.id) {
                categories.push(c.clone());
            }
        }
        let cat_index = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i as u16))
            .collect();
        let n = loaded.feed.activities.len();
        Building {
            loaded,
            categories,
            cat_index,
            tag_index: HashMap::default(),
            tag_names: Vec::new(),
            tag_of: Vec::with_capacity(n),
            points: Vec::with_capacity(n),
            traits: Vec::with_capacity(n),
            by_id: HashTable::with_capacity(n),
            bounds: None,
        }
    }

    /// Take in up to `n` more activities. True when all are in.
    pub fn step(&mut self, n: usize) -> bool {
        let acts = &self.loaded.feed.activities;
        let start = self.traits.len();
        let end = start.saturating_add(n).min(acts.len());
        for (i, a) in acts.iter().enumerate().take(end).skip(start) {
            if let Some(p) = a.point() {
                self.points.push(Projected::new(i, p));
                self.bounds = Some(self.bounds.map_or(Bounds::of(p), |b| b.with(p)));
            }
            // Ids are unique by now (the feed's checks turned duplicates away).
            let rehash = |&j: &u32| id_hash(&acts[j as usize].id);
            self.by_id.insert_unique(id_hash(&a.id), i as u32, rehash);
            let at = self.tag_of.len();
            for t in &a.tags {
                let k = match self.tag_index.get(t.as_str()) {
                    Some(&k) => k,
                    None => {
                        let k = self.tag_names.len() as u32;
                        self.tag_names.push(t.clone());
                        self.tag_index.insert(t.clone(), k);
                        k
                    }
                };
                if !self.tag_of[at..].contains(&k) {
                    self.tag_of.push(k);
                }
            }
            let tags = (at as u32, (self.tag_of.len() - at) as u32);
            let category = self.cat_index.get(a.category.as_str()).copied();
            self.traits.push(traits_of(a, category, tags));
        }
        end == acts.len()
    }

    /// The catalog, once [`step`](Self::step) has said all are in.
    pub fn done(self) -> Catalog {
        debug_assert_eq!(self.traits.len(), self.loaded.feed.activities.len());
        Catalog {
            loaded: self.loaded,
            categories: self.categories,
            points: self.points,
            tag_names: self.tag_names,
            tag_of: self.tag_of,
            traits: self.traits,
            hays: Mutex::new(search_text::SearchText::default()),
            last_search: Mutex::new(None),
            by_id: self.by_id,
            bounds: self.bounds,
        }
    }
}

impl Catalog {
    pub fn new(loaded: Loaded) -> Catalog {
        let mut building = Building::new(loaded);
        while !building.step(usize::MAX) {}
        building.done()
    }

    /// Build the search text of up to `n` more activities; true once all are built.
    /// Lets the app spread the work over idle moments instead of delaying the first pins.
    pub fn prepare_search(&self, n: usize) -> bool {
        let have = self.hays.lock().unwrap_or_else(|e| e.into_inner()).len();
        let all = self.activities().len();
        self.with_hays(have.saturating_add(n), |hays| hays.len() == all)
    }

    /// Run `f` over the search text of the first `upto` activities (or all there
    /// are), building what is missing first.
    fn with_hays<R>(&self, upto: usize, f: impl FnOnce(&search_text::SearchText) -> R) -> R {
        let mut hays = self.hays.lock().unwrap_or_else(|e| e.into_inner());
        let end = upto.min(self.activities().len());
        if end > hays.len() {
            hays.extend(self.activities(), end);
        }
        f(&hays)
    }

    /// Every distinct tag in the feed, in no particular order.
    pub fn tags(&self) -> &[String] {
        &self.tag_names
    }

    pub fn activities(&self) -> &[Activity] {
        &self.loaded.feed.activities
    }

    pub fn get(&self, index: usize) -> Option<&Activity> {
        self.loaded.feed.activities.get(index)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        let acts = self.activities();
        self.by_id
            .find(id_hash(id), |&j| acts[j as usize].id == id)
            .map(|&j| j as usize)
    }

    pub fn category(&self, id: &str) -> Option<&CategoryDef> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The colour for a category, grey when unknown.
    pub fn colour(&self, id: &str) -> &str {
        self.category(id)
            .map(|c| c.colour.as_str())
            .unwrap_or("#475569")
    }

    /// A category's name in the person's language (see [`category_label`]).
    pub fn label(&self, id: &str, m: &Messages) -> String {
        self.category(id)
            .map(|c| category_label(c, m).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    /// Bounds of every pin, to open the map on.
    pub fn bounds(&self) -> Option<Bounds> {
        self.bounds
    }
}

fn traits_of(a: &Activity, category: Option<u16>, (tags_at, tags_len): (u32, u32)) -> Traits {
    let mut days = 0u8;
    let mut parts = 0u8;
    for s in &a.schedule {
        for d in &s.days {
            days |= 1 << d.index();
        }
        parts |= 1 << part_index(DayPart::of(s.start));
    }
    let weekly = days;
    for o in &a.dates {
        if let Some((y, m, d)) = crate::calendar::parse_date(&o.date) {
            days |= 1 << crate::calendar::weekday_of(y, m, d).index();
        }
        if let Some(t) = o.start {
            parts |= 1 << part_index(DayPart::of(t));
        }
    }
    Traits {
        // The feed loader only keeps activities in a known category.
        category: category.unwrap_or(u16::MAX),
        tags_at,
        tags_len,
        days,
        weekly,
        dated: !a.dates.is_empty(),
        parts,
        access: a
            .accessibility
            .iter()
            .fold(0, |m, f| m | 1 << feature_index(*f)),
        free: a.cost.free,
        self_referral: a.joining.contains(&Joining::SelfReferral),
    }
}

fn part_index(p: DayPart) -> usize {
    DayPart::ALL.iter().position(|x| *x == p).unwrap_or(0)
}

fn feature_index(f: Feature) -> usize {
    Feature::ALL.iter().position(|x| *x == f).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::{load, Options};
    use crate::filter::{Filters, Today};
    use crate::model::{LatLng, Weekday};

    #[test]
    fn results_sort_by_distance_from_an_origin() {
        let doc = br#"{"activities":[
          {"id":"far","name":"Far","category":"green","location":{"lat":53.48,"lng":-2.24}},
          {"id":"none","name":"Online","category":"hub","location":{"online":true}},
          {"id":"near","name":"Near","category":"green","location":{"lat":52.61,"lng":1.73}}]}"#;
        let cat = Catalog::new(load(doc, &Options::default()).unwrap());
        let today = Today {
            weekday: Weekday::Mon,
            date: "2026-11-23".into(),
        };
        let f = Filters::default();
        assert_eq!(cat.results(&f, &today, None), vec![0, 1, 2]);
        let yarmouth = LatLng {
            lat: 52.6,
            lng: 1.72,
        };
        assert_eq!(cat.results(&f, &today, Some(yarmouth)), vec![2, 0, 1]);
        assert_eq!(cat.index_of("near"), Some(2));
        assert_eq!(cat.points.len(), 2);
    }
}
