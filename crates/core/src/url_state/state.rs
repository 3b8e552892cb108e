//! [`FinderState`]: everything the finder shows, read from and written to a query.

use super::keys::STATE_KEYS;
use super::values::{
    is_yes, join_list, norm_point, norm_radius, norm_view, parse_point, parse_radius, parse_view,
    point_text, radius_text, split_list, view_text, yes, MapView, Place, RadiusChoice,
};
use super::Query;
use crate::filter::Filters;
use crate::lang::Lang;
use crate::model::{Feature, Weekday};
use crate::schedule::DayPart;
use std::collections::BTreeSet;

/// Everything the finder shows, as a link carries it (see the module docs for the keys).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FinderState {
    /// `?feed=`
    pub feed: Option<String>,
    /// `?tiles=`
    pub tiles: Option<String>,
    /// `?lang=cy`: a language the person (or the link) chose; none: the browser's.
    pub lang: Option<Lang>,
    /// Every filter except `radius` (which lives in [`FinderState::radius`] and
    /// [`FinderState::place`]); always `None` here.
    pub filters: Filters,
    /// `?sel=ID`
    pub selected: Option<String>,
    /// `?map=lat,lng,zoom`
    pub view: Option<MapView>,
    /// `?list=id1,id2`: order kept, duplicates dropped.
    pub shortlist: Vec<String>,
    /// `?r=3mi` or `?r=5km`.
    pub radius: Option<RadiusChoice>,
    /// `?at=lat,lng&place=Label`: only a place the person searched for, never the
    /// device's own location.
    pub place: Option<Place>,
    /// `?inview=1`
    pub in_view_only: bool,
}

/// The set of these values, each put in in turn. (`collect()` into a `BTreeSet` sorts
/// first, with a stable sort compiled for each type: 5 KB of wasm a type, in the module
/// that draws the first pins, for lists of a few words.)
fn set_of<T: Ord>(values: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for v in values {
        set.insert(v);
    }
    set
}

impl FinderState {
    /// Read the state from a query. Lenient: unknown keys and unknown list values are
    /// ignored, out-of-range numbers are dropped, and nothing panics.
    pub fn from_query(q: &Query) -> FinderState {
        // Every key read here is in STATE_KEYS, which `to_query` and the widget's
        // attributes rely on; the tests run this check on every key.
        let get = |k: &str| {
            debug_assert!(STATE_KEYS.contains(&k), "`{k}` is missing from STATE_KEYS");
            q.get(k)
        };
        let text = |k: &str| get(k).map(str::to_string);
        let list = |k: &str| get(k).map(split_list).unwrap_or_default();
        let flag = |k: &str| get(k).is_some_and(is_yes);
        let filters = Filters {
            categories: set_of(list("cat")),
            tags: set_of(list("tag")),
            days: set_of(list("day").iter().filter_map(|d| Weekday::parse(d))),
            parts: set_of(
                list("part")
                    .iter()
                    .filter_map(|p| DayPart::parse(&p.to_ascii_lowercase())),
            ),
            today: flag("today"),
            free: flag("free"),
            access: set_of(list("access").iter().filter_map(|f| Feature::parse(f))),
            self_referral: flag("self"),
            search: get("q")
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_default()
                .to_string(),
            radius: None,
        };
        let mut shortlist: Vec<String> = Vec::new();
        for id in list("list") {
            if !shortlist.contains(&id) {
                shortlist.push(id);
            }
        }
        let place = get("at").and_then(parse_point).map(|at| {
            let label = get("place").map(str::trim).filter(|l| !l.is_empty());
            Place {
                label: label.map_or_else(|| point_text(at, ", "), str::to_string),
                at,
            }
        });
        FinderState {
            feed: text("feed"),
            tiles: text("tiles"),
            lang: get("lang").and_then(Lang::parse),
            filters,
            selected: text("sel"),
            view: get("map").and_then(parse_view),
            shortlist,
            radius: get("r").and_then(parse_radius),
            place,
            in_view_only: flag("inview"),
        }
    }

    /// Write the state into `base`: the state's keys go in a fixed order, as one block
    /// where `base` had the first of them (or at the end), and every other key of `base`
    /// stays where it was. Empty and default values are left out, so the default state
    /// adds nothing.
    pub fn to_query(&self, base: &Query) -> Query {
        let mut block: Vec<(String, String)> = Vec::new();
        let mut put = |key: &str, value: String| {
            if !value.is_empty() {
                block.push((key.to_string(), value));
            }
        };
        let f = &self.filters;
        put("feed", self.feed.clone().unwrap_or_default());
        put("tiles", self.tiles.clone().unwrap_or_default());
        put(
            "lang",
            self.lang.map(|l| l.code().to_string()).unwrap_or_default(),
        );
        put("cat", join_list(f.categories.iter().map(String::as_str)));
        put("tag", join_list(f.tags.iter().map(String::as_str)));
        put("day", join_list(f.days.iter().map(|d| d.code())));
        put("part", join_list(f.parts.iter().map(|p| p.id())));
        put("today", yes(f.today));
        put("free", yes(f.free));
        put("access", join_list(f.access.iter().map(|a| a.id())));
        put("self", yes(f.self_referral));
        put(
            "q",
            if f.search.trim().is_empty() {
                String::new()
            } else {
                f.search.clone()
            },
        );
        put(
            "r",
            self.radius
                .and_then(norm_radius)
                .map(radius_text)
                .unwrap_or_default(),
        );
        if let Some((at, label)) = self
            .place
            .as_ref()
            .and_then(|p| norm_point(p.at).map(|at| (at, p.label.trim())))
        {
            put("at", point_text(at, ","));
            put("place", label.to_string());
        }
        put("inview", yes(self.in_view_only));
        let mut seen: Vec<&str> = Vec::new();
        for id in &self.shortlist {
            if !seen.contains(&id.as_str()) {
                seen.push(id);
            }
        }
        put("list", join_list(seen.into_iter()));
        put("sel", self.selected.clone().unwrap_or_default());
        put(
            "map",
            self.view
                .and_then(norm_view)
                .map(view_text)
                .unwrap_or_default(),
        );

        let mut out = Vec::with_capacity(base.0.len() + block.len());
        let mut block = Some(block);
        for (k, v) in &base.0 {
            if STATE_KEYS.contains(&k.as_str()) {
                if let Some(b) = block.take() {
                    out.extend(b);
                }
            } else {
                out.push((k.clone(), v.clone()));
            }
        }
        out.extend(block.into_iter().flatten());
        Query(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filters;
    use crate::model::LatLng;

    fn norwich() -> Place {
        Place {
            label: "Norwich".into(),
            at: LatLng {
                lat: 52.62806,
                lng: 1.29731,
            },
        }
    }

    fn full_state() -> FinderState {
        let f = Filters {
            categories: ["green".to_string(), "parkrun".into()].into(),
            tags: [
                "walking".to_string(),
                "green gym".into(),
                "tea, cake & 100%".into(),
            ]
            .into(),
            days: [Weekday::Sat, Weekday::Sun].into(),
            parts: [DayPart::Morning, DayPart::Evening].into(),
            today: true,
            free: true,
            access: [Feature::Wheelchair, Feature::StepFree].into(),
            self_referral: true,
            search: "tea & cake + café".into(),
            radius: None,
        };
        FinderState {
            feed: Some("https://example.org/feed.json?x=1&y=2".into()),
            tiles: Some("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png".into()),
            lang: Some(Lang::Cy),
            filters: f,
            selected: Some("green-1".into()),
            view: Some(MapView {
                lat: 52.6,
                lng: -1.73125,
                zoom: 12.5,
            }),
            shortlist: vec!["hub-4".into(), "green-1".into(), "a,b".into()],
            radius: Some(RadiusChoice {
                value: 2.5,
                miles: false,
            }),
            place: Some(norwich()),
            in_view_only: true,
        }
    }

    fn through_string(s: &FinderState) -> FinderState {
        let text = s.to_query(&Query::default()).to_query_string();
        FinderState::from_query(&Query::parse(&text))
    }

    #[test]
    fn the_key_list_is_every_key_read_and_written() {
        // `to_query` writes each key of the full state, in the list's order; reading it
        // back touches every key `from_query` reads (checked against the list there).
        let q = full_state().to_query(&Query::default());
        let written: Vec<&str> = q.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(written, STATE_KEYS);
        assert_eq!(FinderState::from_query(&q), full_state());
    }

    #[test]
    fn full_state_round_trips() {
        let s = full_state();
        assert_eq!(through_string(&s), s);
    }

    #[test]
    fn default_state_is_the_bare_url() {
        let s = FinderState::default();
        assert_eq!(s.to_query(&Query::default()).to_query_string(), "");
        assert_eq!(through_string(&s), s);
        assert_eq!(FinderState::from_query(&Query::parse("")), s);
    }

    #[test]
    fn the_issue_example() {
        // Free, wheelchair-accessible green activities on Saturday within 3 miles of Norwich.
        let mut s = FinderState::default();
        s.filters.categories.insert("green".into());
        s.filters.days.insert(Weekday::Sat);
        s.filters.free = true;
        s.filters.access.insert(Feature::Wheelchair);
        s.radius = Some(RadiusChoice {
            value: 3.0,
            miles: true,
        });
        s.place = Some(norwich());
        let text = s.to_query(&Query::default()).to_query_string();
        assert_eq!(
            text,
            "?cat=green&day=sat&free=1&access=wheelchair&r=3mi&at=52.62806,1.29731&place=Norwich"
        );
        assert_eq!(FinderState::from_query(&Query::parse(&text)), s);
        assert!((s.radius.unwrap().km() - 4.828_032).abs() < 1e-9);
        assert_eq!(
            RadiusChoice {
                value: 5.0,
                miles: false
            }
            .km(),
            5.0
        );
    }

    #[test]
    fn specific_strings() {
        let s = full_state();
        assert_eq!(
            s.to_query(&Query::default()).to_query_string(),
            "?feed=https://example.org/feed.json%3Fx%3D1%26y%3D2\
             &tiles=http://127.0.0.1:8080/tiles/%7Bz%7D/%7Bx%7D/%7By%7D.png\
             &lang=cy\
             &cat=green,parkrun&tag=green%20gym,tea%252C%20cake%20%26%20100%2525,walking\
             &day=sat,sun&part=morning,evening&today=1&free=1&access=wheelchair,step-free&self=1\
             &q=tea%20%26%20cake%20%2B%20caf%C3%A9&r=2.5km&at=52.62806,1.29731&place=Norwich&inview=1\
             &list=hub-4,green-1,a%252Cb&sel=green-1&map=52.6,-1.73125,12.5"
        );
        let q = Query::parse(
            "?tag=walking,green%20gym&day=sat,sun&part=morning,evening&map=51.5,-0.12,13",
        );
        let s = FinderState::from_query(&q);
        assert_eq!(
            s.filters.tags,
            ["walking".to_string(), "green gym".into()].into()
        );
        assert_eq!(s.filters.days, [Weekday::Sat, Weekday::Sun].into());
        assert_eq!(s.filters.parts, [DayPart::Morning, DayPart::Evening].into());
        assert_eq!(
            s.view,
            Some(MapView {
                lat: 51.5,
                lng: -0.12,
                zoom: 13.0
            })
        );
        // A hand-written `%2C` is decoded by the URL layer, so it separates elements.
        let s = FinderState::from_query(&Query::parse("?tag=a%2Cb"));
        assert_eq!(s.filters.tags, ["a".to_string(), "b".into()].into());
        let s = FinderState::from_query(&Query::parse("?tag=a%252Cb"));
        assert_eq!(s.filters.tags, ["a,b".to_string()].into());
    }

    #[test]
    fn unrelated_keys_stay_in_place() {
        let base = Query::parse("?embed=1&cat=heritage&height=400&sel=old&show=shortlist");
        let mut s = FinderState::from_query(&base);
        assert_eq!(s.selected.as_deref(), Some("old"));
        s.selected = None;
        s.filters.free = true;
        let q = s.to_query(&base);
        assert_eq!(
            q.to_query_string(),
            "?embed=1&cat=heritage&free=1&height=400&show=shortlist"
        );
        // No state keys before: the state goes at the end.
        let base = Query::parse("?embed=1");
        assert_eq!(
            s.to_query(&base).to_query_string(),
            "?embed=1&cat=heritage&free=1"
        );
        // Clearing everything leaves only the unrelated keys.
        assert_eq!(
            FinderState::default().to_query(&q).to_query_string(),
            "?embed=1&height=400&show=shortlist"
        );
    }

    #[test]
    fn lenient_reading() {
        let q = Query::parse(
            "?wat=1&cat=,green,,green&day=sat,funday,SUNDAY,mo&part=Morning,night&access=wheelchair,jetpack,Step%20Free\
             &today=yes&free=0&self=true&inview=2&q=%20%20&list=a,b,a,,c&sel=&feed=",
        );
        let s = FinderState::from_query(&q);
        assert_eq!(s.filters.categories, ["green".to_string()].into());
        assert_eq!(
            s.filters.days,
            [Weekday::Mon, Weekday::Sat, Weekday::Sun].into()
        );
        assert_eq!(s.filters.parts, [DayPart::Morning].into());
        assert_eq!(
            s.filters.access,
            [Feature::Wheelchair, Feature::StepFree].into()
        );
        assert!(s.filters.today && !s.filters.free && s.filters.self_referral && !s.in_view_only);
        assert_eq!(s.filters.search, "");
        assert_eq!(s.shortlist, vec!["a".to_string(), "b".into(), "c".into()]);
        assert_eq!((s.selected, s.feed), (None, None));
        // Unknown keys survive a write.
        assert!(FinderState::default()
            .to_query(&q)
            .to_query_string()
            .starts_with("?wat=1"));

        let view = |m: &str| FinderState::from_query(&Query::parse(&format!("?map={m}"))).view;
        assert_eq!(view("91,0,5"), None);
        assert_eq!(view("0,-180.5,5"), None);
        assert_eq!(view("0,0,23"), None);
        assert_eq!(view("0,0,-1"), None);
        assert_eq!(view("0,0"), None);
        assert_eq!(view("0,0,5,6"), None);
        assert_eq!(view("NaN,0,5"), None);
        assert_eq!(view("inf,0,5"), None);
        assert_eq!(view("x,y,z"), None);
        assert_eq!(
            view("52.1234567,1.000001,12.34"),
            Some(MapView {
                lat: 52.12346,
                lng: 1.0,
                zoom: 12.3
            })
        );
        assert_eq!(
            view("90,180,0"),
            Some(MapView {
                lat: 90.0,
                lng: 180.0,
                zoom: 0.0
            })
        );

        let r = |v: &str| FinderState::from_query(&Query::parse(&format!("?r={v}"))).radius;
        assert_eq!(
            r("3"),
            Some(RadiusChoice {
                value: 3.0,
                miles: true
            })
        );
        assert_eq!(
            r("3mi"),
            Some(RadiusChoice {
                value: 3.0,
                miles: true
            })
        );
        assert_eq!(
            r("3%20Miles"),
            Some(RadiusChoice {
                value: 3.0,
                miles: true
            })
        );
        assert_eq!(
            r("5km"),
            Some(RadiusChoice {
                value: 5.0,
                miles: false
            })
        );
        assert_eq!(
            r("0.5KM"),
            Some(RadiusChoice {
                value: 0.5,
                miles: false
            })
        );
        assert_eq!(
            r("500mi"),
            Some(RadiusChoice {
                value: 500.0,
                miles: true
            })
        );
        for bad in [
            "0",
            "0mi",
            "-3km",
            "501mi",
            "1e9",
            "NaN",
            "infmi",
            "3 furlongs",
            "km",
            "0.001km",
        ] {
            assert_eq!(r(bad), None, "{bad}");
        }

        let place = |v: &str| FinderState::from_query(&Query::parse(v)).place;
        assert_eq!(place("?place=Norwich"), None);
        assert_eq!(
            place("?at=52.62806,1.29731&place=%20Norwich%20"),
            Some(norwich())
        );
        assert_eq!(place("?at=95,1&place=Nowhere"), None);
        let unnamed = place("?at=52.5,-1.25").unwrap();
        assert_eq!(unnamed.label, "52.5, -1.25");
    }

    #[test]
    fn values_written_are_normalised() {
        let s = FinderState {
            view: Some(MapView {
                lat: 52.123456789,
                lng: -0.0000001,
                zoom: 11.96,
            }),
            radius: Some(RadiusChoice {
                value: 2.34567,
                miles: true,
            }),
            place: Some(Place {
                label: "  ".into(),
                at: LatLng {
                    lat: 52.1,
                    lng: 1.2,
                },
            }),
            shortlist: vec!["x".into(), "x".into(), " ".into()],
            ..FinderState::default()
        };
        let text = s.to_query(&Query::default()).to_query_string();
        assert_eq!(text, "?r=2.35mi&at=52.1,1.2&list=x&map=52.12346,0,12");
        // Out-of-range values are not written at all.
        let s = FinderState {
            view: Some(MapView {
                lat: f64::NAN,
                lng: 0.0,
                zoom: 3.0,
            }),
            radius: Some(RadiusChoice {
                value: 0.0,
                miles: true,
            }),
            place: Some(Place {
                label: "Mars".into(),
                at: LatLng {
                    lat: 100.0,
                    lng: 0.0,
                },
            }),
            ..FinderState::default()
        };
        assert_eq!(s.to_query(&Query::default()).to_query_string(), "");
    }

    mod props {
        use super::super::*;
        use crate::filter::Filters;
        use crate::model::LatLng;
        use proptest::prelude::*;

        /// `f(q) = to_query(from_query(q), q)`
        fn rewrite(q: &Query) -> Query {
            FinderState::from_query(q).to_query(q)
        }

        fn check_idempotent(s: &str) -> Result<(), TestCaseError> {
            let q = Query::parse(s);
            let state = FinderState::from_query(&q);
            let once = state.to_query(&q);
            prop_assert_eq!(&FinderState::from_query(&once), &state);
            prop_assert_eq!(&rewrite(&once), &once);
            // ...and through the text of the link.
            let text = once.to_query_string();
            prop_assert_eq!(&Query::parse(&text), &once);
            prop_assert_eq!(rewrite(&Query::parse(&text)).to_query_string(), text);
            Ok(())
        }

        fn key() -> impl Strategy<Value = String> {
            prop_oneof![
                proptest::sample::select(STATE_KEYS.to_vec()).prop_map(str::to_string),
                "[a-z]{0,4}",
            ]
        }

        fn value() -> impl Strategy<Value = String> {
            prop_oneof![
                "[-a-zA-Z0-9,.%+ ]{0,16}",
                "(-?[0-9]{1,3}(\\.[0-9]{0,8})?,){0,3}-?[0-9]{1,3}(\\.[0-9]{0,8})?",
                "[0-9]{1,3}(\\.[0-9]{1,4})? ?(mi|km|miles|m|)",
                "(sat|sun|mon|morning|evening|wheelchair|step-free|green|%2C|%25|%|,){0,5}",
                any::<String>(),
            ]
        }

        fn query_text() -> impl Strategy<Value = String> {
            prop::collection::vec((key(), value()), 0..8).prop_map(|kv| {
                let pairs: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("?{}", pairs.join("&"))
            })
        }

        fn coord(max: i64) -> impl Strategy<Value = f64> {
            (-max * 100_000..=max * 100_000).prop_map(|v| v as f64 / 100_000.0)
        }

        fn word() -> impl Strategy<Value = String> {
            "[a-z][-a-z ,%&+=?é]{0,8}[a-z]".prop_map(|s| s)
        }

        fn state() -> impl Strategy<Value = FinderState> {
            let filters = (
                prop::collection::btree_set(word(), 0..3),
                prop::collection::btree_set(word(), 0..3),
                prop::collection::btree_set(proptest::sample::select(Weekday::ALL.to_vec()), 0..3),
                prop::collection::btree_set(proptest::sample::select(DayPart::ALL.to_vec()), 0..3),
                prop::collection::btree_set(proptest::sample::select(Feature::ALL.to_vec()), 0..3),
                any::<(bool, bool, bool)>(),
                prop_oneof![Just(String::new()), word()],
            )
                .prop_map(
                    |(
                        categories,
                        tags,
                        days,
                        parts,
                        access,
                        (today, free, self_referral),
                        search,
                    )| Filters {
                        categories,
                        tags,
                        days,
                        parts,
                        today,
                        free,
                        access,
                        self_referral,
                        search,
                        radius: None,
                    },
                );
            (
                prop::option::of(word()),
                filters,
                prop::option::of(word()),
                prop::option::of((
                    coord(90),
                    coord(180),
                    (0..=220i64).prop_map(|z| z as f64 / 10.0),
                )),
                prop::collection::vec(word(), 0..4),
                prop::option::of((
                    (1..=50_000i64).prop_map(|v| v as f64 / 100.0),
                    any::<bool>(),
                )),
                prop::option::of((word(), coord(90), coord(180))),
                any::<bool>(),
            )
                .prop_map(
                    |(feed, filters, selected, view, list, radius, place, in_view_only)| {
                        let mut shortlist: Vec<String> = Vec::new();
                        for id in list {
                            if !shortlist.contains(&id) {
                                shortlist.push(id);
                            }
                        }
                        FinderState {
                            feed,
                            tiles: None,
                            lang: if in_view_only { Some(Lang::Ur) } else { None },
                            filters,
                            selected,
                            view: view.map(|(lat, lng, zoom)| MapView { lat, lng, zoom }),
                            shortlist,
                            radius: radius.map(|(value, miles)| RadiusChoice { value, miles }),
                            place: place.map(|(label, lat, lng)| Place {
                                label,
                                at: LatLng { lat, lng },
                            }),
                            in_view_only,
                        }
                    },
                )
        }

        proptest! {
            #[test]
            fn any_string_is_read_without_panic_and_rewriting_is_idempotent(s in any::<String>()) {
                check_idempotent(&s)?;
            }

            #[test]
            fn query_like_strings_rewrite_idempotently(s in query_text()) {
                check_idempotent(&s)?;
            }

            #[test]
            fn states_round_trip(s in state()) {
                let text = s.to_query(&Query::default()).to_query_string();
                prop_assert_eq!(FinderState::from_query(&Query::parse(&text)), s);
            }
        }
    }
}
