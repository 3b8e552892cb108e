//! A loaded feed prepared for the finder: categories resolved, pins projected, and
//! what the filters ask of each activity reduced to a few small numbers (`Traits`).
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
    hays: Mutex<Vec<String>>,
    /// The last search's words and the activities whose search text holds them all.
    last_search: Mutex<Option<(Vec<String>, Vec<u32>)>>,
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
            hays: Mutex::new(Vec::new()),
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
    fn with_hays<R>(&self, upto: usize, f: impl FnOnce(&[String]) -> R) -> R {
        let mut hays = self.hays.lock().unwrap_or_else(|e| e.into_inner());
        let (start, end) = (hays.len(), upto.min(self.activities().len()));
        if end > start {
            hays.extend(self.activities()[start..end].iter().map(haystack));
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
        let mut finding = self.finding(f, today, origin);
        while !finding.step(usize::MAX) {}
        finding.done()
    }

    /// [`find`](Self::find), to be run a slice at a time.
    pub fn finding(&self, f: &Filters, today: &Today, origin: Option<LatLng>) -> Finding<'_> {
        let words: Vec<String> = normalise(&f.search)
            .split_whitespace()
            .map(|w| format!(" {w}"))
            .collect();
        let search = if words.is_empty() {
            Search::Off
        } else {
            // Typing on ("ch", then "cho"): the last search's words all lie within these,
            // so only its matches can match now.
            let last = self.last_search.lock().unwrap_or_else(|e| e.into_inner());
            let within = last.as_ref().filter(|(old, _)| {
                old.iter()
                    .all(|o| words.iter().any(|w| w.contains(o.as_str())))
            });
            Search::Scanning {
                from: within.map(|(_, found)| found.clone()),
                at: 0,
                found: Vec::new(),
                words,
            }
        };
        Finding {
            cat: self,
            today: today.clone(),
            origin,
            cats: (!f.categories.is_empty()).then(|| {
                let chosen = |c: &CategoryDef| f.categories.contains(&c.id);
                self.categories.iter().map(chosen).collect()
            }),
            tags: (!f.tags.is_empty())
                .then(|| self.tag_names.iter().map(|t| f.tags.contains(t)).collect()),
            days: f.days.iter().fold(0u8, |m, d| m | 1 << d.index()),
            parts: f.parts.iter().fold(0u8, |m, p| m | 1 << part_index(*p)),
            access: f
                .access
                .iter()
                .fold(0u16, |m, a| m | 1 << feature_index(*a)),
            free: f.free,
            self_referral: f.self_referral,
            on_today: f.today,
            radius: f.radius,
            search,
            at: 0,
            out: Found::default(),
            cat_counts: vec![0; self.categories.len()],
            tag_counts: vec![0; self.tag_names.len()],
            day_sets: vec![0; 1 << Weekday::ALL.len()],
            part_sets: vec![0; 1 << DayPart::ALL.len()],
            access_sets: vec![0; 1 << Feature::ALL.len()],
        }
    }

    fn tags_of(&self, t: &Traits) -> &[u32] {
        &self.tag_of[t.tags_at as usize..][..t.tags_len as usize]
    }

    /// Bounds of every pin, to open the map on.
    pub fn bounds(&self) -> Option<Bounds> {
        self.bounds
    }
}

/// A filter change being answered, a slice at a time: [`step`](Self::step) until it
/// says all is done, then [`done`](Self::done). The same answer as [`Catalog::find`].
pub struct Finding<'c> {
    cat: &'c Catalog,
    today: Today,
    origin: Option<LatLng>,
    /// "Any of these", as a yes/no per category or tag index; `None` when nothing is chosen.
    cats: Option<Vec<bool>>,
    tags: Option<Vec<bool>>,
    days: u8,
    parts: u8,
    access: u16,
    free: bool,
    self_referral: bool,
    on_today: bool,
    radius: Option<crate::filter::Radius>,
    search: Search,
    /// How far the counting has got (into the activities, or the search's matches).
    at: usize,
    out: Found,
    cat_counts: Vec<usize>,
    tag_counts: Vec<usize>,
    /// Counted by pattern of bits as it goes, and by day (part, feature) at the end.
    day_sets: Vec<usize>,
    part_sets: Vec<usize>,
    access_sets: Vec<usize>,
}

/// The search words' part of a [`Finding`]. An activity that fails the search counts
/// towards nothing, so once the matches are known only they are looked at.
enum Search {
    Off,
    /// Looking for activities whose search text holds every word: among `from` (the
    /// last search's matches, when these words narrow it) or all.
    Scanning {
        words: Vec<String>,
        from: Option<Vec<u32>>,
        at: usize,
        found: Vec<u32>,
    },
    Found(Vec<u32>),
}

impl Finding<'_> {
    /// Look at up to `n` more activities. True when all is done.
    pub fn step(&mut self, n: usize) -> bool {
        let cat = self.cat;
        if let Search::Scanning {
            words,
            from,
            at,
            found,
        } = &mut self.search
        {
            let total = from.as_ref().map_or(cat.activities().len(), Vec::len);
            let end = at.saturating_add(n).min(total);
            // The search text is built as far as this slice needs (a search typed
            // before it is all built builds the rest a slice at a time too).
            let upto = match from {
                Some(f) => f[..end].last().map_or(0, |&i| i as usize + 1),
                None => end,
            };
            cat.with_hays(upto, |hays| {
                for k in *at..end {
                    let i = from.as_ref().map_or(k as u32, |f| f[k]);
                    if words.iter().all(|w| hays[i as usize].contains(w.as_str())) {
                        found.push(i);
                    }
                }
            });
            *at = end;
            if end < total {
                return false;
            }
            let found = std::mem::take(found);
            let mut last = cat.last_search.lock().unwrap_or_else(|e| e.into_inner());
            *last = Some((std::mem::take(words), found.clone()));
            self.search = Search::Found(found);
            if n != usize::MAX {
                return false;
            }
        }
        let total = match &self.search {
            Search::Found(found) => found.len(),
            _ => cat.activities().len(),
        };
        let end = self.at.saturating_add(n).min(total);
        for k in self.at..end {
            let i = match &self.search {
                Search::Found(found) => found[k] as usize,
                _ => k,
            };
            self.visit(i);
        }
        self.at = end;
        end == total
    }

    /// As `schedule::runs_on`, from the traits: the activity itself is only looked at
    /// for its one-off dates.
    fn runs_today(&self, a: &Activity, t: &Traits) -> bool {
        t.weekly >> self.today.weekday.index() & 1 == 1
            || (t.dated && a.dates.iter().any(|o| o.date == self.today.date))
    }

    fn visit(&mut self, i: usize) {
        let cat = self.cat;
        let (a, t) = (&cat.activities()[i], &cat.traits[i]);
        let mut fails = 0u8;
        let c = usize::from(t.category);
        if self
            .cats
            .as_ref()
            .is_some_and(|cs| !cs.get(c).copied().unwrap_or(false))
        {
            fails |= FAIL_CATEGORY;
        }
        if self
            .tags
            .as_ref()
            .is_some_and(|ts| !cat.tags_of(t).iter().any(|&g| ts[g as usize]))
        {
            fails |= FAIL_TAG;
        }
        if self.days != 0 && t.days & self.days == 0 {
            fails |= FAIL_DAY;
        }
        if self.parts != 0 && t.parts & self.parts == 0 {
            fails |= FAIL_PART;
        }
        if (self.free && !t.free)
            || (self.self_referral && !t.self_referral)
            || t.access & self.access != self.access
            || (self.on_today && !self.runs_today(a, t))
            || self
                .radius
                .is_some_and(|r| a.point().is_none_or(|p| distance_km(r.centre, p) > r.km))
        {
            fails |= FAIL_OTHER;
        }
        // A group's choices are counted as if that group had nothing chosen.
        let counts_for = |g: u8| fails & !g == 0;
        if counts_for(FAIL_CATEGORY) {
            if let Some(n) = self.cat_counts.get_mut(c) {
                *n += 1;
            }
        }
        if counts_for(FAIL_TAG) {
            for &g in cat.tags_of(t) {
                self.tag_counts[g as usize] += 1;
            }
        }
        if counts_for(FAIL_DAY) {
            self.day_sets[usize::from(t.days)] += 1;
        }
        if counts_for(FAIL_PART) {
            self.part_sets[usize::from(t.parts)] += 1;
        }
        if fails == 0 {
            let today = self.runs_today(a, t);
            let fc = &mut self.out.facets;
            self.out.results.push(i);
            fc.total += 1;
            fc.today += usize::from(today);
            fc.free += usize::from(t.free);
            fc.self_referral += usize::from(t.self_referral);
            self.access_sets[usize::from(t.access)] += 1;
        }
    }

    /// The answer, once [`step`](Self::step) has said all is done.
    pub fn done(self) -> Found {
        let cat = self.cat;
        let mut out = self.out;
        let fc = &mut out.facets;
        fc.categories = cat
            .categories
            .iter()
            .zip(self.cat_counts)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (c.id.clone(), n))
            .collect();
        let mut tag_list: Vec<(String, usize)> = cat
            .tag_names
            .iter()
            .zip(self.tag_counts)
            .filter(|(_, n)| *n > 0)
            .map(|(t, n)| (t.clone(), n))
            .collect();
        tag_list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        fc.tags = tag_list;
        spread(&self.day_sets, &mut fc.days);
        spread(&self.part_sets, &mut fc.parts);
        let mut access_counts = [0usize; Feature::ALL.len()];
        spread(&self.access_sets, &mut access_counts);
        fc.access = Feature::ALL.into_iter().zip(access_counts).collect();
        if let Some(o) = self.origin {
            let acts = cat.activities();
            let key = |i: &usize| {
                acts[*i]
                    .point()
                    .map(|p| distance_km(o, p))
                    .unwrap_or(f64::INFINITY)
            };
            out.results.sort_by(|a, b| key(a).total_cmp(&key(b)));
        }
        out
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
