//! The page's state as a query string, so a link reproduces what its sender saw.
//!
//! Pure: reading and writing `?feed=…&sel=…` happens here; the app only hands over
//! `location.search` and pushes the string this module writes.
//!
//! [`FinderState`] is everything the finder shows, as a link carries it:
//!
//! | key | meaning | example |
//! | --- | --- | --- |
//! | `feed` | feed URL | `feed=https://example.org/f.json` |
//! | `tiles` | tile template | `tiles=http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png` |
//! | `cat` | categories (any of) | `cat=green,parkrun` |
//! | `tag` | tags (any of) | `tag=walking,green%20gym` |
//! | `day` | days (any of) | `day=sat,sun` |
//! | `part` | parts of the day (any of) | `part=morning,evening` |
//! | `today` | on today | `today=1` |
//! | `free` | free only | `free=1` |
//! | `access` | accessibility features (all of) | `access=wheelchair,step-free` |
//! | `self` | no referral needed | `self=1` |
//! | `q` | search words | `q=tea%20and%20cake` |
//! | `r` | distance, with unit (miles if none) | `r=3mi`, `r=5km` |
//! | `at`, `place` | a place the person searched for | `at=52.62806,1.29731&place=Norwich` |
//! | `inview` | list only what the map shows | `inview=1` |
//! | `list` | shortlist, in order | `list=green-1,hub-4` |
//! | `sel` | the selected activity | `sel=green-1` |
//! | `map` | map centre and zoom | `map=52.6,1.3,12` |
//!
//! Lists are comma-separated. An element that itself holds a comma (or a `%`) is
//! percent-encoded inside the list (`,` → `%2C`, `%` → `%25`) before the whole value is
//! encoded again for the URL, so `tag=a%252Cb` is the one tag `a,b`.
//!
//! The device's own position is never part of this state: `place` is only ever a place
//! the person typed (postcode or town). The app enforces that when it builds the state.

use crate::filter::Filters;
use crate::geo::KM_PER_MILE;
use crate::model::{Feature, LatLng, Weekday};
use crate::schedule::DayPart;

/// Ordered key/value pairs of a query string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// Parse `?a=1&b=x%20y` (leading `?` optional; `+` is a space).
    pub fn parse(s: &str) -> Query {
        let s = s.strip_prefix('?').unwrap_or(s);
        Query(
            s.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Set (or with `None`/empty, remove) a key, keeping the others' order.
    pub fn set(&mut self, key: &str, value: Option<&str>) {
        let value = value.filter(|v| !v.is_empty());
        match (self.0.iter().position(|(k, _)| k == key), value) {
            (Some(i), Some(v)) => self.0[i].1 = v.to_string(),
            (Some(i), None) => {
                self.0.remove(i);
            }
            (None, Some(v)) => self.0.push((key.to_string(), v.to_string())),
            (None, None) => {}
        }
    }

    /// `?a=1&b=2`, or the empty string when there is nothing to say.
    pub fn to_query_string(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encode everything but unreserved characters and a few that read well in links.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b','
            | b':'
            | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Everything the finder shows, as a link carries it (see the module docs for the keys).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FinderState {
    /// `?feed=`
    pub feed: Option<String>,
    /// `?tiles=`
    pub tiles: Option<String>,
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

/// Map centre and zoom. In a link: 5 decimals (about a metre), zoom whole or to 1 decimal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapView {
    pub lat: f64,
    pub lng: f64,
    pub zoom: f64,
}

/// A distance choice as the person made it: a value in miles or kilometres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadiusChoice {
    pub value: f64,
    pub miles: bool,
}

impl RadiusChoice {
    /// The distance in kilometres.
    pub fn km(&self) -> f64 {
        if self.miles {
            self.value * KM_PER_MILE
        } else {
            self.value
        }
    }
}

/// A place the person searched for (postcode or town), with the words to show for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub label: String,
    pub at: LatLng,
}

/// The keys [`FinderState`] owns, in the order [`FinderState::to_query`] writes them.
pub const STATE_KEYS: [&str; 18] = [
    "feed", "tiles", "cat", "tag", "day", "part", "today", "free", "access", "self", "q", "r",
    "at", "place", "inview", "list", "sel", "map",
];

/// Largest distance a link may ask for, in its own unit.
pub const MAX_RADIUS: f64 = 500.0;
/// Highest map zoom a link may ask for.
pub const MAX_ZOOM: f64 = 22.0;

impl FinderState {
    /// Read the state from a query. Lenient: unknown keys and unknown list values are
    /// ignored, out-of-range numbers are dropped, and nothing panics.
    pub fn from_query(q: &Query) -> FinderState {
        let text = |k: &str| q.get(k).map(str::to_string);
        let list = |k: &str| q.get(k).map(split_list).unwrap_or_default();
        let flag = |k: &str| q.get(k).is_some_and(is_yes);
        let filters = Filters {
            categories: list("cat").into_iter().collect(),
            tags: list("tag").into_iter().collect(),
            days: list("day")
                .iter()
                .filter_map(|d| Weekday::parse(d))
                .collect(),
            parts: list("part")
                .iter()
                .filter_map(|p| DayPart::parse(&p.to_ascii_lowercase()))
                .collect(),
            today: flag("today"),
            free: flag("free"),
            access: list("access")
                .iter()
                .filter_map(|f| Feature::parse(f))
                .collect(),
            self_referral: flag("self"),
            search: q
                .get("q")
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
        let place = q.get("at").and_then(parse_point).map(|at| {
            let label = q.get("place").map(str::trim).filter(|l| !l.is_empty());
            Place {
                label: label.map_or_else(|| point_text(at, ", "), str::to_string),
                at,
            }
        });
        FinderState {
            feed: text("feed"),
            tiles: text("tiles"),
            filters,
            selected: text("sel"),
            view: q.get("map").and_then(parse_view),
            shortlist,
            radius: q.get("r").and_then(parse_radius),
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

fn is_yes(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

fn yes(b: bool) -> String {
    if b {
        "1".into()
    } else {
        String::new()
    }
}

/// `a,b%2Cc` → `["a", "b,c"]`: elements trimmed, empty ones dropped.
fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|e| decode_element(e).trim().to_string())
        .filter(|e| !e.is_empty())
        .collect()
}

fn join_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .filter(|i| !i.trim().is_empty())
        .map(encode_element)
        .collect::<Vec<_>>()
        .join(",")
}

/// Inside a list element, only `%` and `,` are encoded.
fn encode_element(s: &str) -> String {
    s.replace('%', "%25").replace(',', "%2C")
}

/// Undo `%XX` escapes (and only those: `+` stays a plus).
fn decode_element(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Rounded to `places` decimals, with `-0` made `0`.
fn round_to(v: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v * k).round() / k + 0.0
}

/// Shortest text for a value already rounded to `places` decimals: `52.6`, `12`.
fn decimal_text(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

fn norm_point(p: LatLng) -> Option<LatLng> {
    let (lat, lng) = (round_to(p.lat, 5), round_to(p.lng, 5));
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng))
        .then_some(LatLng { lat, lng })
}

fn parse_point(s: &str) -> Option<LatLng> {
    let mut it = s.split(',');
    let (lat, lng) = (number(it.next()?)?, number(it.next()?)?);
    if it.next().is_some() {
        return None;
    }
    norm_point(LatLng { lat, lng })
}

fn point_text(p: LatLng, sep: &str) -> String {
    format!("{}{sep}{}", decimal_text(p.lat, 5), decimal_text(p.lng, 5))
}

fn norm_view(v: MapView) -> Option<MapView> {
    let p = norm_point(LatLng {
        lat: v.lat,
        lng: v.lng,
    })?;
    let zoom = round_to(v.zoom, 1);
    (0.0..=MAX_ZOOM).contains(&zoom).then_some(MapView {
        lat: p.lat,
        lng: p.lng,
        zoom,
    })
}

fn parse_view(s: &str) -> Option<MapView> {
    let parts: Vec<&str> = s.split(',').collect();
    let [lat, lng, zoom] = parts.as_slice() else {
        return None;
    };
    norm_view(MapView {
        lat: number(lat)?,
        lng: number(lng)?,
        zoom: number(zoom)?,
    })
}

fn view_text(v: MapView) -> String {
    format!(
        "{},{},{}",
        decimal_text(v.lat, 5),
        decimal_text(v.lng, 5),
        decimal_text(v.zoom, 1)
    )
}

fn norm_radius(r: RadiusChoice) -> Option<RadiusChoice> {
    let value = round_to(r.value, 2);
    (value > 0.0 && value <= MAX_RADIUS).then_some(RadiusChoice {
        value,
        miles: r.miles,
    })
}

/// `3mi`, `3 miles`, `5km`, `5 kilometres`, or a bare number (miles).
fn parse_radius(s: &str) -> Option<RadiusChoice> {
    let s = s.trim().to_ascii_lowercase();
    const UNITS: [(&str, bool); 9] = [
        ("miles", true),
        ("mile", true),
        ("mi", true),
        ("kilometres", false),
        ("kilometers", false),
        ("kilometre", false),
        ("kilometer", false),
        ("kms", false),
        ("km", false),
    ];
    let (num, miles) = UNITS
        .iter()
        .find_map(|(unit, miles)| s.strip_suffix(unit).map(|n| (n, *miles)))
        .unwrap_or((s.as_str(), true));
    norm_radius(RadiusChoice {
        value: number(num)?,
        miles,
    })
}

fn radius_text(r: RadiusChoice) -> String {
    format!(
        "{}{}",
        decimal_text(r.value, 2),
        if r.miles { "mi" } else { "km" }
    )
}

/// Settings given as a widget's attributes, as the query the full app would take.
/// Attribute names are the link's keys (`cat`, `q`, `r`, …) plus a few friendlier
/// ones: `categories` for `cat`, and `center` + `zoom` for `map`. Others are ignored.
pub fn query_from_attributes(attrs: &[(String, String)]) -> Query {
    const PASSED: [&str; 23] = [
        "feed", "tiles", "cat", "tag", "day", "part", "today", "free", "access", "self", "q", "r",
        "at", "place", "inview", "list", "sel", "map", "geocoder", "category", "rules", "origin",
        "embed",
    ];
    let get = |k: &str| {
        attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.trim())
    };
    let mut q = Query::default();
    for key in PASSED {
        if let Some(v) = get(key) {
            q.set(key, Some(v));
        }
    }
    if let Some(c) = get("categories") {
        q.set("cat", Some(c));
    }
    if let Some(centre) = get("center").or(get("centre")) {
        let zoom = get("zoom").unwrap_or("11");
        q.set("map", Some(&format!("{},{zoom}", centre.replace(' ', ""))));
    }
    q
}

#[cfg(test)]
mod attribute_tests {
    use super::*;

    fn attrs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn widget_attributes_become_the_apps_settings() {
        let q = query_from_attributes(&attrs(&[
            ("feed", "https://example.org/f.json"),
            ("categories", "green,parkrun"),
            ("center", "53.48, -2.24"),
            ("zoom", "12"),
            ("height", "480px"),
            ("class", "x"),
        ]));
        assert_eq!(q.get("feed"), Some("https://example.org/f.json"));
        assert_eq!(q.get("cat"), Some("green,parkrun"));
        assert_eq!(q.get("map"), Some("53.48,-2.24,12"));
        assert_eq!(q.get("height"), None);
        let state = FinderState::from_query(&q);
        assert_eq!(state.filters.categories.len(), 2);
        assert_eq!(state.view.map(|v| v.zoom), Some(12.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filters;

    #[test]
    fn round_trip() {
        let mut q = Query::parse("?feed=https%3A%2F%2Fexample.org%2Ff.json&q=tea+%26+cake");
        assert_eq!(q.get("feed"), Some("https://example.org/f.json"));
        assert_eq!(q.get("q"), Some("tea & cake"));
        q.set("sel", Some("green-1"));
        q.set("q", None);
        let s = q.to_query_string();
        assert_eq!(s, "?feed=https://example.org/f.json&sel=green-1");
        assert_eq!(Query::parse(&s), q);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["%", "%4", "%zz", "a=%E2%82", "==", "&&&", "?"] {
            let _ = Query::parse(s).to_query_string();
        }
        assert_eq!(decode("%E2%82%AC"), "€");
        assert_eq!(decode("100%"), "100%");
    }

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
