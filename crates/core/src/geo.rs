//! Geometry on the sphere and on the Web Mercator plane. Pure, DOM-free.

use crate::lang::Messages;
use crate::math::{asin, atan, cos, ln, sin, sinh, tan};
use crate::model::LatLng;

const EARTH_RADIUS_KM: f64 = 6371.0088;
pub const KM_PER_MILE: f64 = 1.609_344;

/// Great-circle distance in kilometres.
pub fn distance_km(a: LatLng, b: LatLng) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlng = (b.lng - a.lng).to_radians();
    let h = sin(dlat / 2.0).powi(2) + cos(la1) * cos(la2) * sin(dlng / 2.0).powi(2);
    2.0 * EARTH_RADIUS_KM * asin(h.sqrt().min(1.0))
}

/// Web Mercator position in the unit square: x, y in 0..1 (y grows southwards).
pub fn project(p: LatLng) -> (f64, f64) {
    let lat = p.lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (p.lng + 180.0) / 360.0;
    let y = (1.0 - ln(tan(lat) + 1.0 / cos(lat)) / std::f64::consts::PI) / 2.0;
    (x, y)
}

/// Inverse of [`project`].
pub fn unproject(x: f64, y: f64) -> LatLng {
    let n = std::f64::consts::PI * (1.0 - 2.0 * y);
    LatLng {
        lat: atan(sinh(n)).to_degrees(),
        lng: x * 360.0 - 180.0,
    }
}

/// A lat/lng rectangle (south-west and north-east corners).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Bounds {
    pub fn contains(&self, p: LatLng) -> bool {
        p.lat >= self.south && p.lat <= self.north && p.lng >= self.west && p.lng <= self.east
    }

    /// The smallest bounds holding every point, if there are any.
    pub fn around(points: impl IntoIterator<Item = LatLng>) -> Option<Bounds> {
        let mut it = points.into_iter();
        let mut b = Bounds::of(it.next()?);
        for p in it {
            b = b.with(p);
        }
        Some(b)
    }

    /// Just the one point.
    pub fn of(p: LatLng) -> Bounds {
        Bounds {
            south: p.lat,
            west: p.lng,
            north: p.lat,
            east: p.lng,
        }
    }

    /// Grown just enough to hold `p` too.
    pub fn with(self, p: LatLng) -> Bounds {
        Bounds {
            south: self.south.min(p.lat),
            north: self.north.max(p.lat),
            west: self.west.min(p.lng),
            east: self.east.max(p.lng),
        }
    }

    /// Grown by `frac` of its size on every side (to draw just past the edges).
    pub fn padded(&self, frac: f64) -> Bounds {
        let dh = (self.north - self.south) * frac;
        let dw = (self.east - self.west) * frac;
        Bounds {
            south: self.south - dh,
            west: self.west - dw,
            north: self.north + dh,
            east: self.east + dw,
        }
    }
}

/// Distance in words, in miles or kilometres: "0.4 miles", "12 km".
pub fn format_distance(km: f64, miles: bool, m: &Messages) -> String {
    let (v, key) = match miles {
        true => (km / KM_PER_MILE, "distance.miles"),
        false => (km, "distance.km"),
    };
    let d = match v < 10.0 {
        true => format!("{v:.1}"),
        false => format!("{v:.0}"),
    };
    match (miles, d.as_str()) {
        (true, "1.0") => m.get("distance.one_mile").to_string(),
        _ => m.fill(key, &[("d", &d)]),
    }
}

/// Walking pace for rough walking times: 5 km/h, 12 minutes a kilometre.
const WALK_MIN_PER_KM: f64 = 12.0;

/// Beyond this (10 km as the crow flies) a walking time is no help: none is given.
const WALK_MAX_MINUTES: f64 = 120.0;

/// A rough walking time for a distance as the crow flies, at 5 km/h: "about 15 min
/// walk", "about 1 hr 20 min walk". To the minute under 10 minutes, then to 5 minutes;
/// `None` past two hours.
///
/// ```
/// use activity_map_core::geo::walk_in_words;
/// use activity_map_core::lang::Messages;
/// let en = Messages::english();
/// assert_eq!(walk_in_words(1.2, en).as_deref(), Some("about 15 min walk"));
/// assert_eq!(walk_in_words(25.0, en), None);
/// ```
pub fn walk_in_words(km: f64, words: &Messages) -> Option<String> {
    let minutes = km * WALK_MIN_PER_KM;
    if !(0.0..=WALK_MAX_MINUTES).contains(&minutes) {
        return None;
    }
    let m = if minutes < 9.5 {
        (minutes.round() as u32).max(1)
    } else {
        (minutes / 5.0).round() as u32 * 5
    };
    let (h, m) = ((m / 60).to_string(), (m % 60).to_string());
    Some(match (h.as_str(), m.as_str()) {
        ("0", _) => words.fill("walk.minutes", &[("m", &m)]),
        (_, "0") => words.fill("walk.hours", &[("h", &h)]),
        _ => words.fill("walk.hours_minutes", &[("h", &h), ("m", &m)]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ll(lat: f64, lng: f64) -> LatLng {
        LatLng { lat, lng }
    }

    #[test]
    fn distance_london_to_manchester() {
        // Charing Cross to Manchester Piccadilly is about 262 km as the crow flies.
        let d = distance_km(ll(51.5074, -0.1278), ll(53.4808, -2.2426));
        assert!((d - 262.0).abs() < 3.0, "{d}");
        assert_eq!(distance_km(ll(52.0, 1.0), ll(52.0, 1.0)), 0.0);
    }

    #[test]
    fn projection_round_trips() {
        for p in [ll(52.6, 1.73), ll(-33.9, 151.2), ll(0.0, 0.0)] {
            let (x, y) = project(p);
            let q = unproject(x, y);
            assert!((p.lat - q.lat).abs() < 1e-9 && (p.lng - q.lng).abs() < 1e-9);
        }
        assert_eq!(project(ll(0.0, 0.0)), (0.5, 0.5));
    }

    #[test]
    fn bounds_and_format() {
        let b = Bounds::around([ll(52.0, 1.0), ll(53.0, -1.0)]).unwrap();
        assert!(b.contains(ll(52.5, 0.0)));
        assert!(!b.contains(ll(54.0, 0.0)));
        assert!(Bounds::around([]).is_none());
        assert_eq!(
            format_distance(1.609_344, true, Messages::english()),
            "1 mile"
        );
        assert_eq!(format_distance(4.0, true, Messages::english()), "2.5 miles");
        assert_eq!(format_distance(25.0, false, Messages::english()), "25 km");
    }

    #[test]
    fn walking_times() {
        let walk = |km: f64| walk_in_words(km, Messages::english());
        assert_eq!(walk(0.0).as_deref(), Some("about 1 min walk"));
        assert_eq!(walk(0.3).as_deref(), Some("about 4 min walk"));
        assert_eq!(walk(0.75).as_deref(), Some("about 9 min walk"));
        assert_eq!(walk(0.8).as_deref(), Some("about 10 min walk"));
        assert_eq!(walk(1.2).as_deref(), Some("about 15 min walk"));
        assert_eq!(walk(4.9).as_deref(), Some("about 1 hr walk"));
        assert_eq!(walk(6.7).as_deref(), Some("about 1 hr 20 min walk"));
        assert_eq!(walk(10.0).as_deref(), Some("about 2 hr walk"));
        assert_eq!(walk(10.1), None);
        assert_eq!(walk(f64::NAN), None);
    }
}
