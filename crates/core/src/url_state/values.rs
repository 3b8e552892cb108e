//! How each kind of value is written in a link: lists, flags, numbers, points, the map
//! view and the distance. Reading is lenient (out-of-range values are dropped); writing
//! normalises, so reading what was written gives back the same value.

use crate::geo::KM_PER_MILE;
use crate::math::fixed;
use crate::model::LatLng;

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

/// Largest distance a link may ask for, in its own unit.
pub const MAX_RADIUS: f64 = 500.0;
/// Highest map zoom a link may ask for.
pub const MAX_ZOOM: f64 = 22.0;

pub(super) fn is_yes(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

pub(super) fn yes(b: bool) -> String {
    if b {
        "1".into()
    } else {
        String::new()
    }
}

/// `a,b%2Cc` → `["a", "b,c"]`: elements trimmed, empty ones dropped.
pub(super) fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|e| decode_element(e).trim().to_string())
        .filter(|e| !e.is_empty())
        .collect()
}

pub(super) fn join_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
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
    crate::math::parse_f64(s.trim()).filter(|v| v.is_finite())
}

/// Rounded to `places` decimals, with `-0` made `0`.
fn round_to(v: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v * k).round() / k + 0.0
}

pub(super) fn norm_point(p: LatLng) -> Option<LatLng> {
    let (lat, lng) = (round_to(p.lat, 5), round_to(p.lng, 5));
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng))
        .then_some(LatLng { lat, lng })
}

pub(super) fn parse_point(s: &str) -> Option<LatLng> {
    let mut it = s.split(',');
    let (lat, lng) = (number(it.next()?)?, number(it.next()?)?);
    if it.next().is_some() {
        return None;
    }
    norm_point(LatLng { lat, lng })
}

pub(super) fn point_text(p: LatLng, sep: &str) -> String {
    format!("{}{sep}{}", fixed(p.lat, 5), fixed(p.lng, 5))
}

pub(super) fn norm_view(v: MapView) -> Option<MapView> {
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

pub(super) fn parse_view(s: &str) -> Option<MapView> {
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

pub(super) fn view_text(v: MapView) -> String {
    format!(
        "{},{},{}",
        fixed(v.lat, 5),
        fixed(v.lng, 5),
        fixed(v.zoom, 1)
    )
}

pub(super) fn norm_radius(r: RadiusChoice) -> Option<RadiusChoice> {
    let value = round_to(r.value, 2);
    (value > 0.0 && value <= MAX_RADIUS).then_some(RadiusChoice {
        value,
        miles: r.miles,
    })
}

/// `3mi`, `3 miles`, `5km`, `5 kilometres`, or a bare number (miles).
pub(super) fn parse_radius(s: &str) -> Option<RadiusChoice> {
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

pub(super) fn radius_text(r: RadiusChoice) -> String {
    format!("{}{}", fixed(r.value, 2), if r.miles { "mi" } else { "km" })
}
