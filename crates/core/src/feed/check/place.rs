//! Where an activity happens: checked coordinates, one-line addresses, and a note
//! when a listing has no pin.

use crate::feed::{Out, Outcome};
use crate::model::{Activity, Location};
use std::fmt::Display;

pub fn lat_lng(lat: f64, lng: f64) -> Result<(), String> {
    if !lat.is_finite() || !lng.is_finite() {
        return Err("coordinates are not numbers".into());
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {} is outside -90..90", number_text(lat)));
    }
    if !(-180.0..=180.0).contains(&lng) {
        return Err(format!(
            "longitude {} is outside -180..180",
            number_text(lng)
        ));
    }
    if lat == 0.0 && lng == 0.0 {
        return Err("coordinates are 0,0 (in the ocean off Africa): probably missing".into());
    }
    Ok(())
}

/// A finite number as JSON writes it, without a trailing `.0`: `100`, `152.6`. (Not
/// Rust's `{}`: this is the only formatting of floats the first pins' module needs, and
/// serde_json's is there already.)
fn number_text(v: f64) -> String {
    let text = serde_json::Number::from_f64(v).map_or_else(String::new, |n| n.to_string());
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// Set an activity's point after checking it. A bad point keeps the listing without a
/// pin. Returns whether a problem was reported.
pub fn set_point(
    a: &mut Activity,
    lat: Option<f64>,
    lng: Option<f64>,
    at: impl Display,
    out: &mut Out,
) -> bool {
    match (lat, lng) {
        (Some(lat), Some(lng)) => match lat_lng(lat, lng) {
            Ok(()) => {
                a.location.lat = Some(lat);
                a.location.lng = Some(lng);
                false
            }
            Err(why) => {
                out.problem(
                    at,
                    Some(&a.id),
                    format!("{why}; listed without a pin"),
                    Outcome::NoPin,
                );
                true
            }
        },
        (None, None) => false,
        _ => {
            out.problem(
                at,
                Some(&a.id),
                "only one of latitude and longitude is given; listed without a pin",
                Outcome::NoPin,
            );
            true
        }
    }
}

/// A location with neither a pin nor an online/area marker gets a note, not a
/// rejection, unless a problem about its point was already `reported`.
pub fn note_missing_place(a: &Activity, at: impl Display, reported: bool, out: &mut Out) {
    let Location {
        lat, online, area, ..
    } = &a.location;
    if lat.is_none() && !online && area.is_none() && !reported {
        out.problem(
            at,
            Some(&a.id),
            "no coordinates: listed without a pin",
            Outcome::NoPin,
        );
    }
}

/// Build a one-line address from parts, skipping empty ones.
pub fn join_address(parts: &[Option<String>]) -> Option<String> {
    let s: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!s.is_empty()).then(|| s.join(", "))
}

/// An address without a leading repeat of the place name: place "Eaton Park" and
/// address "Eaton Park, Norwich" give "Norwich"; an address that is only the place
/// name gives none. ("Eaton Park Road, Norwich" is left alone.)
pub fn address_after_place(place: Option<&str>, address: Option<String>) -> Option<String> {
    let Some(place) = place.map(str::trim).filter(|p| !p.is_empty()) else {
        return address;
    };
    let address = address?;
    let head = address
        .get(..place.len())
        .filter(|h| h.eq_ignore_ascii_case(place));
    let rest = head
        .and_then(|_| address.get(place.len()..))
        .map(str::trim_start);
    match rest {
        Some("") => None,
        Some(r) if r.starts_with(',') => {
            let r = r.trim_start_matches([',', ' ']).trim();
            (!r.is_empty()).then(|| r.to_string())
        }
        _ => Some(address),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_in_range() {
        assert!(lat_lng(52.6, 1.7).is_ok());
        assert_eq!(
            lat_lng(100.0, 101.0).unwrap_err(),
            "latitude 100 is outside -90..90"
        );
        assert_eq!(
            lat_lng(52.5, -180.25).unwrap_err(),
            "longitude -180.25 is outside -180..180"
        );
        assert!(lat_lng(0.0, 0.0).is_err());
        assert!(lat_lng(f64::NAN, 1.0).is_err());
    }

    #[test]
    fn addresses_without_the_place_name() {
        let a = |p: &str, ad: &str| address_after_place(Some(p), Some(ad.to_string()));
        assert_eq!(
            a("Eaton Park", "Eaton Park, Norwich").as_deref(),
            Some("Norwich")
        );
        assert_eq!(
            a("Eaton Park", "eaton park,Norwich").as_deref(),
            Some("Norwich")
        );
        assert_eq!(a("Eaton Park", "Eaton Park"), None);
        assert_eq!(
            a("Eaton Park", "Eaton Park Road, Norwich").as_deref(),
            Some("Eaton Park Road, Norwich")
        );
        assert_eq!(a("Café", "Caf").as_deref(), Some("Caf"));
        assert_eq!(a("é", "éa, b").as_deref(), Some("éa, b"));
        assert_eq!(
            address_after_place(None, Some("x".into())).as_deref(),
            Some("x")
        );
    }
}
