//! A loaded feed prepared for the finder: categories resolved, pins projected, and
//! what the filters ask of each activity reduced to a few small numbers ([`Traits`]).
//! Built once per feed; the filters, list and map all read from it by index.
//!
//! [`Catalog::find`] answers a filter change in one pass over those numbers: the
//! results and every live count together. It gives exactly what `Filters::matches`
//! and `filter::facets` define (a test checks the two against each other).

use crate::cluster::Projected;
use crate::feed::{id_hash, Loaded};
use crate::filter::{haystack, normalise, Facets, Filters, Today};
use crate::geo::{distance_km, unproject, Bounds};
use crate::model::{
    builtin_categories, builtin_colour, Activity, CategoryDef, Feature, Joining, LatLng, Weekday,
};
use crate::schedule::DayPart;
use hashbrown::HashTable;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Mutex;

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
    hays: Mutex<Vec<String>>,
    /// Activities by id, as indices (hashed by the id they point at, so no id is copied).
    by_id: HashTable<u32>,
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

/// Which filter groups an activity fails, as bits. Matching activities fail none; one
/// that fails only its own group still counts towards that group's choices.
const FAIL_CATEGORY: u8 = 1;
const FAIL_TAG: u8 = 2;
const FAIL_DAY: u8 = 4;
const FAIL_PART: u8 = 8;
const FAIL_OTHER: u8 = 16;

/// The answer to a filter change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    /// Matching activities, nearest first when there is an origin, else in feed order.
    pub results: Vec<usize>,
    pub facets: Facets,
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
            hays: Mutex::new(Vec::new()),
            by_id: self.by_id,
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
        let acts = self.activities();
        let mut hays = self.hays.lock().unwrap_or_else(|e| e.into_inner());
        let end = hays.len().saturating_add(n).min(acts.len());
        let start = hays.len();
        hays.extend(acts[start..end].iter().map(haystack));
        hays.len() == acts.len()
    }

    /// Run `f` over every activity's search text, building what is missing first.
    fn with_hays<R>(&self, f: impl FnOnce(&[String]) -> R) -> R {
        self.prepare_search(usize::MAX);
        let hays = self.hays.lock().unwrap_or_else(|e| e.into_inner());
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

    pub fn label(&self, id: &str) -> String {
        self.category(id)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Indices of the activities matching `f`, nearest first when there is an origin
    /// (activities without a pin go last), otherwise in feed order.
    pub fn results(&self, f: &Filters, today: &Today, origin: Option<LatLng>) -> Vec<usize> {
        self.find(f, today, origin).results
    }

    /// The results and the live count of every choice, in one pass.
    pub fn find(&self, f: &Filters, today: &Today, origin: Option<LatLng>) -> Found {
        let words: Vec<String> = normalise(&f.search)
            .split_whitespace()
            .map(|w| format!(" {w}"))
            .collect();
        if words.is_empty() {
            self.find_with(f, today, origin, &[], &[])
        } else {
            self.with_hays(|hays| self.find_with(f, today, origin, &words, hays))
        }
    }

    fn find_with(
        &self,
        f: &Filters,
        today: &Today,
        origin: Option<LatLng>,
        words: &[String],
        hays: &[String],
    ) -> Found {
        let acts = self.activities();
        // "Any of these", as a yes/no per category or tag index; `None` when nothing is chosen.
        let cats: Option<Vec<bool>> = (!f.categories.is_empty()).then(|| {
            self.categories
                .iter()
                .map(|c| f.categories.contains(&c.id))
                .collect()
        });
        let tags: Option<Vec<bool>> = (!f.tags.is_empty())
            .then(|| self.tag_names.iter().map(|t| f.tags.contains(t)).collect());
        let days = f.days.iter().fold(0u8, |m, d| m | 1 << d.index());
        let parts = f.parts.iter().fold(0u8, |m, p| m | 1 << part_index(*p));
        let access = f
            .access
            .iter()
            .fold(0u16, |m, a| m | 1 << feature_index(*a));

        // As `schedule::runs_on`, from the traits: the activity itself is only looked
        // at for its one-off dates.
        let runs_today = |a: &Activity, t: &Traits| {
            t.weekly >> today.weekday.index() & 1 == 1
                || (t.dated && a.dates.iter().any(|o| o.date == today.date))
        };
        let mut out = Found::default();
        let fc = &mut out.facets;
        let mut cat_counts = vec![0usize; self.categories.len()];
        let mut tag_counts = vec![0usize; self.tag_names.len()];
        let mut day_sets = vec![0usize; 1 << Weekday::ALL.len()];
        let mut part_sets = vec![0usize; 1 << DayPart::ALL.len()];
        let mut access_sets = vec![0usize; 1 << Feature::ALL.len()];
        for (i, (a, t)) in acts.iter().zip(&self.traits).enumerate() {
            let mut fails = 0u8;
            let cat = usize::from(t.category);
            if cats
                .as_ref()
                .is_some_and(|c| !c.get(cat).copied().unwrap_or(false))
            {
                fails |= FAIL_CATEGORY;
            }
            if tags
                .as_ref()
                .is_some_and(|c| !self.tags_of(t).iter().any(|&g| c[g as usize]))
            {
                fails |= FAIL_TAG;
            }
            if days != 0 && t.days & days == 0 {
                fails |= FAIL_DAY;
            }
            if parts != 0 && t.parts & parts == 0 {
                fails |= FAIL_PART;
            }
            if (f.free && !t.free)
                || (f.self_referral && !t.self_referral)
                || t.access & access != access
                || (f.today && !runs_today(a, t))
                || !words.iter().all(|w| hays[i].contains(w.as_str()))
                || f.radius
                    .is_some_and(|r| a.point().is_none_or(|p| distance_km(r.centre, p) > r.km))
            {
                fails |= FAIL_OTHER;
            }
            // A group's choices are counted as if that group had nothing chosen.
            let counts_for = |g: u8| fails & !g == 0;
            if counts_for(FAIL_CATEGORY) {
                if let Some(n) = cat_counts.get_mut(cat) {
                    *n += 1;
                }
            }
            if counts_for(FAIL_TAG) {
                for &g in self.tags_of(t) {
                    tag_counts[g as usize] += 1;
                }
            }
            // Counted by pattern here, and by day (part, feature) once at the end.
            if counts_for(FAIL_DAY) {
                day_sets[usize::from(t.days)] += 1;
            }
            if counts_for(FAIL_PART) {
                part_sets[usize::from(t.parts)] += 1;
            }
            if fails == 0 {
                out.results.push(i);
                fc.total += 1;
                fc.today += usize::from(runs_today(a, t));
                fc.free += usize::from(t.free);
                fc.self_referral += usize::from(t.self_referral);
                access_sets[usize::from(t.access)] += 1;
            }
        }
        fc.categories = self
            .categories
            .iter()
            .zip(cat_counts)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (c.id.clone(), n))
            .collect();
        let mut tag_list: Vec<(String, usize)> = self
            .tag_names
            .iter()
            .zip(tag_counts)
            .filter(|(_, n)| *n > 0)
            .map(|(t, n)| (t.clone(), n))
            .collect();
        tag_list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        fc.tags = tag_list;
        spread(&day_sets, &mut fc.days);
        spread(&part_sets, &mut fc.parts);
        let mut access_counts = [0usize; Feature::ALL.len()];
        spread(&access_sets, &mut access_counts);
        fc.access = Feature::ALL.into_iter().zip(access_counts).collect();
        let mut idx = std::mem::take(&mut out.results);
        if let Some(o) = origin {
            let key = |i: &usize| {
                acts[*i]
                    .point()
                    .map(|p| distance_km(o, p))
                    .unwrap_or(f64::INFINITY)
            };
            idx.sort_by(|a, b| key(a).total_cmp(&key(b)));
        }
        out.results = idx;
        out
    }

    fn tags_of(&self, t: &Traits) -> &[u32] {
        &self.tag_of[t.tags_at as usize..][..t.tags_len as usize]
    }

    /// Bounds of every pin, to open the map on.
    pub fn bounds(&self) -> Option<Bounds> {
        Bounds::around(self.activities().iter().filter_map(Activity::point))
    }
}

/// The pins to show while a feed is still arriving, before the catalog can be built:
/// each activity read so far that the current filters keep, in its built-in
/// category's colour (grey for any other; the feed's own categories come with the
/// rest of the document).
#[derive(Debug, Default, Clone)]
pub struct Preview {
    /// Where each pin goes; `index` is its place in `colours`, not an activity index.
    pub points: Vec<Projected>,
    pub colours: Vec<&'static str>,
    /// How many activities have been read, shown or not.
    pub read: usize,
}

impl Preview {
    /// Take in the next activities read.
    pub fn add<'a>(
        &mut self,
        read: impl IntoIterator<Item = &'a Activity>,
        filters: &Filters,
        today: &Today,
    ) {
        let searching = !filters.search.trim().is_empty();
        for a in read {
            self.read += 1;
            let Some(p) = a.point() else { continue };
            let hay = if searching {
                haystack(a)
            } else {
                String::new()
            };
            if !filters.matches(a, &hay, today) {
                continue;
            }
            self.points.push(Projected::new(self.colours.len(), p));
            self.colours
                .push(builtin_colour(&a.category).unwrap_or(crate::feed::NEUTRAL_COLOUR));
        }
    }

    /// The area the pins so far cover.
    pub fn bounds(&self) -> Option<Bounds> {
        Bounds::around(self.points.iter().map(|p| unproject(p.x, p.y)))
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
        if let Some((y, m, d)) = crate::schedule::parse_date(&o.date) {
            days |= 1 << crate::schedule::weekday_of(y, m, d).index();
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

/// Counts per bit from counts per pattern of bits.
fn spread(sets: &[usize], per_bit: &mut [usize]) {
    for (set, &n) in sets.iter().enumerate().filter(|(_, &n)| n > 0) {
        for (b, count) in per_bit.iter_mut().enumerate() {
            *count += n * (set >> b & 1);
        }
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
    use crate::model::Weekday;

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
