//! Answering a filter change over a [`Catalog`]: the matching activities and the live
//! count of every choice, in one pass over each activity's `Traits`, all at once
//! ([`Catalog::find`]) or a slice at a time ([`Finding`]).

use super::{feature_index, part_index, Catalog, Traits};
use crate::filter::{Facets, Filters, Today};
use crate::geo::distance_km;
use crate::model::{Activity, CategoryDef, Feature, LatLng, Weekday};
use crate::schedule::DayPart;
use crate::search::{SearchMatch, SearchWords};

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
    /// Matching activities: those a search found as typed before those it found with
    /// a typo forgiven; within each, nearest first when there is an origin, else in
    /// feed order.
    pub results: Vec<usize>,
    pub facets: Facets,
}

impl Catalog {
    /// Indices of the activities matching `f`, in the order of [`Found::results`]
    /// (activities without a pin go last of each part when there is an origin).
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
        let words = SearchWords::new(&f.search);
        let search = if words.is_empty() {
            Search::Off
        } else {
            // Typing on ("ch", then "cho"): only the last search's matches can match now.
            let last = self.last_search.lock().unwrap_or_else(|e| e.into_inner());
            let within = last.as_ref().filter(|(old, _)| words.within(old));
            Search::Scanning {
                from: within.map(|(_, found)| found.clone()),
                at: 0,
                found: Vec::new(),
                near: Vec::new(),
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
    /// last search's matches, when these words narrow it) or all. `found` as typed,
    /// `near` with a typo forgiven.
    Scanning {
        words: SearchWords,
        from: Option<Vec<u32>>,
        at: usize,
        found: Vec<u32>,
        near: Vec<u32>,
    },
    /// The matches, those found as typed (the first `exact`) before the others.
    Found {
        order: Vec<u32>,
        exact: usize,
    },
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
            near,
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
                    match hays.rank(words, i as usize) {
                        Some(SearchMatch::Exact) => found.push(i),
                        Some(SearchMatch::Near) => near.push(i),
                        None => {}
                    }
                }
            });
            *at = end;
            if end < total {
                return false;
            }
            let mut order = std::mem::take(found);
            let exact = order.len();
            order.append(near);
            // Kept in feed order, as the next search's `from` must be.
            let mut all = order.clone();
            all.sort_unstable();
            let mut last = cat.last_search.lock().unwrap_or_else(|e| e.into_inner());
            *last = Some((std::mem::take(words), all));
            self.search = Search::Found { order, exact };
            if n != usize::MAX {
                return false;
            }
        }
        let total = match &self.search {
            Search::Found { order, .. } => order.len(),
            _ => cat.activities().len(),
        };
        let end = self.at.saturating_add(n).min(total);
        for k in self.at..end {
            let (i, exact) = match &self.search {
                Search::Found { order, exact } => (order[k] as usize, k < *exact),
                _ => (k, true),
            };
            let before = self.out.results.len();
            self.visit(i);
            if !exact {
                self.out.facets.near += self.out.results.len() - before;
            }
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
            let (exact, near) = out.results.split_at_mut(fc.total - fc.near);
            exact.sort_by(|a, b| key(a).total_cmp(&key(b)));
            near.sort_by(|a, b| key(a).total_cmp(&key(b)));
        }
        out
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
