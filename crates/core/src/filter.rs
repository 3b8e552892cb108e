//! What the person is looking for, as positive predicates over activities,
//! and live counts for every choice the filters offer.

use crate::geo::distance_km;
use crate::model::{Activity, Feature, Joining, LatLng, Weekday};
use crate::schedule::DayPart;
use std::collections::BTreeSet;

pub use crate::search::{haystack, normalise, search_matches};

/// The finder's filters. Empty sets mean "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Any of these categories.
    pub categories: BTreeSet<String>,
    /// Any of these subtype tags.
    pub tags: BTreeSet<String>,
    /// On any of these days.
    pub days: BTreeSet<Weekday>,
    /// In any of these parts of the day.
    pub parts: BTreeSet<DayPart>,
    /// On today (the caller says which day and date that is).
    pub today: bool,
    pub free: bool,
    /// All of these accessibility features.
    pub access: BTreeSet<Feature>,
    /// Can be joined without a GP or link worker.
    pub self_referral: bool,
    /// Words that must all appear (case- and accent-insensitive).
    pub search: String,
    /// Only within this distance of a place.
    pub radius: Option<Radius>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Radius {
    pub centre: LatLng,
    pub km: f64,
}

/// Today's weekday and ISO date, given by the caller (the core never reads a clock).
#[derive(Debug, Clone, PartialEq)]
pub struct Today {
    pub weekday: Weekday,
    pub date: String,
}

/// Which filter group a choice belongs to, for counting "what if I also picked this".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Category,
    Tag,
    Day,
    Part,
    Other,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self
            == Filters {
                radius: self.radius,
                ..Filters::default()
            }
    }

    /// Whether the search has a word to look for (not blank, nor punctuation alone).
    pub fn has_search_words(&self) -> bool {
        !normalise(&self.search).trim().is_empty()
    }

    /// Does the activity match every filter except those of group `skip`?
    pub fn matches_except(
        &self,
        a: &Activity,
        hay: &str,
        today: &Today,
        skip: Option<Group>,
    ) -> bool {
        let check = |g: Group| skip != Some(g);
        if check(Group::Category)
            && !self.categories.is_empty()
            && !self.categories.contains(&a.category)
        {
            return false;
        }
        if check(Group::Tag)
            && !self.tags.is_empty()
            && !a.tags.iter().any(|t| self.tags.contains(t))
        {
            return false;
        }
        if check(Group::Day)
            && !self.days.is_empty()
            && !self.days.iter().any(|d| runs_on_day(a, *d))
        {
            return false;
        }
        if check(Group::Part)
            && !self.parts.is_empty()
            && !self.parts.iter().any(|p| in_part(a, *p))
        {
            return false;
        }
        if self.today && !crate::schedule::runs_on(a, today.weekday, Some(&today.date)) {
            return false;
        }
        if self.free && !a.cost.free {
            return false;
        }
        if !self.access.iter().all(|f| a.accessibility.contains(f)) {
            return false;
        }
        if self.self_referral && !a.joining.contains(&Joining::SelfReferral) {
            return false;
        }
        if !self.search.trim().is_empty() && !search_matches(&self.search, hay) {
            return false;
        }
        if let Some(r) = self.radius {
            match a.point() {
                Some(p) if distance_km(r.centre, p) <= r.km => {}
                _ => return false,
            }
        }
        true
    }

    /// Does the activity match every filter? `hay` is its [`haystack`] (built once per
    /// activity, as searches are many); `today` is given by the caller. This is the
    /// definition of a match: [`Catalog::find`](crate::catalog::Catalog::find) answers
    /// the same, faster, for a whole feed.
    ///
    /// ```
    /// use activity_map_core::filter::{haystack, Filters, Today};
    /// use activity_map_core::model::{Activity, Weekday};
    ///
    /// let a = Activity::new("walk", "Health walk", "green");
    /// let today = Today { weekday: Weekday::Mon, date: "2026-11-23".into() };
    /// let mut f = Filters::default();
    /// assert!(f.matches(&a, &haystack(&a), &today)); // no filters: everything matches
    /// f.search = "WALK".into();
    /// assert!(f.matches(&a, &haystack(&a), &today)); // any case, at a word start
    /// f.categories.insert("heritage".into());
    /// assert!(!f.matches(&a, &haystack(&a), &today));
    /// ```
    pub fn matches(&self, a: &Activity, hay: &str, today: &Today) -> bool {
        self.matches_except(a, hay, today, None)
    }
}

fn runs_on_day(a: &Activity, d: Weekday) -> bool {
    a.schedule.iter().any(|s| s.days.contains(&d))
        || a.dates.iter().any(|o| {
            crate::calendar::parse_date(&o.date)
                .is_some_and(|(y, m, dd)| crate::calendar::weekday_of(y, m, dd) == d)
        })
}

fn in_part(a: &Activity, p: DayPart) -> bool {
    a.schedule.iter().any(|s| DayPart::of(s.start) == p)
        || a.dates
            .iter()
            .any(|o| o.start.is_some_and(|t| DayPart::of(t) == p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::KM_PER_MILE;
    use crate::model::{Cost, Slot, Time};

    fn today() -> Today {
        Today {
            weekday: Weekday::Sat,
            date: "2026-11-28".into(),
        }
    }

    fn act(
        id: &str,
        cat: &str,
        day: Weekday,
        hour: u16,
        free: bool,
        access: &[Feature],
    ) -> Activity {
        let mut a = Activity::new(id, format!("Activity {id}"), cat);
        a.schedule = vec![Slot {
            days: vec![day],
            start: Time::hm(hour, 0),
            end: None,
            note: None,
            except: Vec::new(),
        }];
        a.cost = Cost {
            free,
            description: None,
        };
        a.accessibility = access.to_vec();
        a.location.lat = Some(52.6);
        a.location.lng = Some(1.73);
        a
    }

    #[test]
    fn each_filter_narrows() {
        let a = act(
            "a",
            "green",
            Weekday::Sat,
            9,
            true,
            &[Feature::Wheelchair, Feature::StepFree],
        );
        let h = haystack(&a);
        let t = today();
        let mut f = Filters::default();
        assert!(f.matches(&a, &h, &t));
        f.categories.insert("green".into());
        f.free = true;
        f.access.insert(Feature::Wheelchair);
        f.days.insert(Weekday::Sat);
        f.parts.insert(DayPart::Morning);
        f.today = true;
        assert!(f.matches(&a, &h, &t));
        let mut g = f.clone();
        g.access.insert(Feature::HearingLoop);
        assert!(!g.matches(&a, &h, &t));
        let mut g = f.clone();
        g.parts = [DayPart::Evening].into();
        assert!(!g.matches(&a, &h, &t));
        // ...but ignoring the part-of-day group, it matches (for live counts).
        assert!(g.matches_except(&a, &h, &t, Some(Group::Part)));
        let mut g = f.clone();
        g.self_referral = true;
        assert!(!g.matches(&a, &h, &t));
    }

    #[test]
    fn search_is_case_and_accent_insensitive_and_prefix_based() {
        let mut a = act("a", "hub", Weekday::Mon, 10, false, &[]);
        a.name = "Café Community Hub".into();
        a.organiser = Some("St. Mary's Trust".into());
        let h = haystack(&a);
        assert!(search_matches("cafe", &h));
        assert!(search_matches("CAFÉ comm", &h));
        assert!(search_matches("marys", &h));
        assert!(!search_matches("afe", &h));
        assert!(!search_matches("cafe garden", &h));
    }

    #[test]
    fn haystack_is_normalised_words_between_single_spaces() {
        let mut a = act("a", "hub", Weekday::Mon, 10, false, &[]);
        a.name = "  Café–Bar: St. Mary's  Ÿoga".into();
        a.description = "Łódź\u{a0}walk, 5k\tRUN ".into();
        a.location.postcode = Some("NR30 1AA".into());
        a.tags = vec!["wild-swimming".into()];
        assert_eq!(
            haystack(&a),
            " cafe bar st marys yoga lodz walk 5k run nr30 1aa wild swimming "
        );
        assert_eq!(normalise("Ÿ-’s"), "y s");
    }

    #[test]
    fn radius_uses_distance() {
        let a = act("a", "green", Weekday::Sat, 9, true, &[]);
        let h = haystack(&a);
        let mut f = Filters::default();
        // Norwich is about 29 km (18 miles) from Great Yarmouth.
        let norwich = LatLng {
            lat: 52.628,
            lng: 1.297,
        };
        f.radius = Some(Radius {
            centre: norwich,
            km: 10.0 * KM_PER_MILE,
        });
        assert!(!f.matches(&a, &h, &today()));
        f.radius = Some(Radius {
            centre: norwich,
            km: 20.0 * KM_PER_MILE,
        });
        assert!(f.matches(&a, &h, &today()));
        assert!(f.is_empty());
    }
}

/// How many activities each choice would give, with everything else as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    /// Matching everything.
    pub total: usize,
    /// Of those, found by the search only with a typo forgiven (listed last).
    pub near: usize,
    pub categories: Vec<(String, usize)>,
    pub tags: Vec<(String, usize)>,
    pub days: [usize; 7],
    pub parts: [usize; 3],
    pub today: usize,
    pub free: usize,
    pub access: Vec<(Feature, usize)>,
    pub self_referral: usize,
}

/// Count, for every choice the filters could offer, the activities it would leave.
/// Choices within a group are alternatives (any of), so a group's counts ignore that
/// group's own selection; the yes/no filters count "this and everything else".
///
/// This is the plain definition, one activity at a time; the app asks
/// [`Catalog::find`](crate::catalog::Catalog::find), which gives the same counts in one
/// pass, and the tests check the two against each other.
pub fn facets(
    acts: &[Activity],
    hays: &[String],
    f: &Filters,
    today: &Today,
    category_order: &[String],
) -> Facets {
    use std::collections::BTreeMap;
    let mut out = Facets::default();
    let mut cats: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    let mut access = [0usize; Feature::ALL.len()];
    for (a, h) in acts.iter().zip(hays) {
        if f.matches_except(a, h, today, Some(Group::Category)) {
            *cats.entry(&a.category).or_default() += 1;
        }
        if f.matches_except(a, h, today, Some(Group::Tag)) {
            for t in dedup(&a.tags) {
                *tags.entry(t).or_default() += 1;
            }
        }
        if f.matches_except(a, h, today, Some(Group::Day)) {
            for d in Weekday::ALL {
                if runs_on_day(a, d) {
                    out.days[d.index()] += 1;
                }
            }
        }
        if f.matches_except(a, h, today, Some(Group::Part)) {
            for (i, p) in DayPart::ALL.into_iter().enumerate() {
                if in_part(a, p) {
                    out.parts[i] += 1;
                }
            }
        }
        if f.matches(a, h, today) {
            out.total += 1;
            out.near += usize::from(
                crate::search::search_match(&f.search, h) == Some(crate::search::SearchMatch::Near),
            );
            out.today += usize::from(crate::schedule::runs_on(
                a,
                today.weekday,
                Some(&today.date),
            ));
            out.free += usize::from(a.cost.free);
            out.self_referral += usize::from(a.joining.contains(&Joining::SelfReferral));
            for (i, feat) in Feature::ALL.into_iter().enumerate() {
                access[i] += usize::from(a.accessibility.contains(&feat));
            }
        }
    }
    let mut ordered: Vec<(String, usize)> = category_order
        .iter()
        .filter_map(|id| cats.remove(id.as_str()).map(|n| (id.clone(), n)))
        .collect();
    ordered.extend(cats.into_iter().map(|(k, n)| (k.to_string(), n)));
    out.categories = ordered;
    let mut tags: Vec<(String, usize)> =
        tags.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.tags = tags;
    out.access = Feature::ALL.into_iter().zip(access).collect();
    out
}

fn dedup(tags: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = tags.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod facet_tests {
    use super::*;
    use crate::model::{Cost, Slot, Time};

    fn act(id: &str, cat: &str, day: Weekday, free: bool, tags: &[&str]) -> Activity {
        let mut a = Activity::new(id, id, cat);
        a.schedule = vec![Slot {
            days: vec![day],
            start: Time::hm(10, 0),
            end: None,
            note: None,
            except: Vec::new(),
        }];
        a.cost = Cost {
            free,
            description: None,
        };
        a.tags = tags.iter().map(|t| t.to_string()).collect();
        a
    }

    #[test]
    fn counts_ignore_their_own_group_but_respect_the_rest() {
        let acts = vec![
            act("a", "green", Weekday::Sat, true, &["walking"]),
            act("b", "green", Weekday::Sun, false, &["gardening"]),
            act("c", "parkrun", Weekday::Sat, true, &["5k"]),
            act("d", "hub", Weekday::Mon, false, &[]),
        ];
        let hays: Vec<String> = acts.iter().map(haystack).collect();
        let today = Today {
            weekday: Weekday::Mon,
            date: "2026-11-23".into(),
        };
        let order = vec![
            "green".to_string(),
            "parkrun".into(),
            "heritage".into(),
            "hub".into(),
        ];
        let mut f = Filters::default();
        f.categories.insert("green".into());
        let fc = facets(&acts, &hays, &f, &today, &order);
        assert_eq!(fc.total, 2);
        // Categories still offer the others, counted without the category filter.
        assert_eq!(
            fc.categories,
            vec![
                ("green".into(), 2),
                ("parkrun".into(), 1),
                ("hub".into(), 1)
            ]
        );
        assert_eq!(fc.days[Weekday::Sat.index()], 1);
        assert_eq!(fc.free, 1);
        assert_eq!(fc.today, 0);
        f.free = true;
        let fc = facets(&acts, &hays, &f, &today, &order);
        assert_eq!(
            fc.categories,
            vec![("green".into(), 1), ("parkrun".into(), 1)]
        );
        assert_eq!(fc.tags, vec![("walking".into(), 1)]);
    }
}
