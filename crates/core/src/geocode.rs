//! Finding a place by UK postcode or town name through a postcodes.io-style service.
//! Pure: builds the request URL and reads the answer; the app does the fetching.

use crate::lang::Messages;
use crate::model::LatLng;
use crate::url_state::encode;
use serde_json::Value;

pub const DEFAULT_GEOCODER: &str = "https://api.postcodes.io";

#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// A full postcode, e.g. "NR30 1AA".
    Postcode(String),
    /// The first half of a postcode, e.g. "NR30".
    Outcode(String),
    /// A town or place name.
    Place(String),
}

/// What to ask for, from what the person typed.
pub fn lookup_for(input: &str) -> Option<Lookup> {
    let t = input.trim();
    if t.is_empty() {
        return None;
    }
    let compact: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if is_postcode(&compact) {
        let (out, inw) = compact.split_at(compact.len() - 3);
        return Some(Lookup::Postcode(format!("{out} {inw}")));
    }
    if is_outcode(&compact) {
        return Some(Lookup::Outcode(compact));
    }
    Some(Lookup::Place(t.to_string()))
}

fn is_outcode(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=4).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b.iter().all(u8::is_ascii_alphanumeric)
        && b.iter().any(u8::is_ascii_digit)
        && b.iter().take_while(|c| c.is_ascii_alphabetic()).count() <= 2
}

fn is_postcode(s: &str) -> bool {
    if !(5..=7).contains(&s.len()) || !s.is_ascii() {
        return false;
    }
    let (out, inw) = s.split_at(s.len() - 3);
    let i = inw.as_bytes();
    is_outcode(out)
        && i[0].is_ascii_digit()
        && i[1].is_ascii_alphabetic()
        && i[2].is_ascii_alphabetic()
}

pub fn url(base: &str, l: &Lookup) -> String {
    let base = base.trim_end_matches('/');
    match l {
        Lookup::Postcode(p) => format!("{base}/postcodes/{}", encode(p)),
        Lookup::Outcode(o) => format!("{base}/outcodes/{}", encode(o)),
        Lookup::Place(q) => format!("{base}/places?q={}&limit=1", encode(q)),
    }
}

/// Read the service's answer: the place's position and a label to show.
pub fn parse(l: &Lookup, body: &str, m: &Messages) -> Result<(LatLng, String), String> {
    let v: Value = serde_json::from_str(body).map_err(|_| m.get("place.unreadable").to_string())?;
    let r = v.get("result");
    let r = match l {
        Lookup::Place(_) => r.and_then(|r| r.get(0)),
        _ => r,
    };
    let not_found = || match l {
        Lookup::Postcode(p) | Lookup::Outcode(p) => m.fill("place.no_postcode", &[("postcode", p)]),
        Lookup::Place(q) => m.fill("place.no_place", &[("place", q)]),
    };
    let r = r.filter(|r| r.is_object()).ok_or_else(not_found)?;
    let lat = r.get("latitude").and_then(Value::as_f64);
    let lng = r.get("longitude").and_then(Value::as_f64);
    let (Some(lat), Some(lng)) = (lat, lng) else {
        return Err(not_found());
    };
    if crate::feed::check::lat_lng(lat, lng).is_err() {
        return Err(not_found());
    }
    let label = match l {
        Lookup::Postcode(p) => r
            .get("postcode")
            .and_then(Value::as_str)
            .unwrap_or(p)
            .to_string(),
        Lookup::Outcode(o) => r
            .get("outcode")
            .and_then(Value::as_str)
            .unwrap_or(o)
            .to_string(),
        Lookup::Place(q) => r
            .get("name_1")
            .and_then(Value::as_str)
            .unwrap_or(q)
            .to_string(),
    };
    Ok((LatLng { lat, lng }, label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_postcodes_outcodes_and_places() {
        assert_eq!(
            lookup_for("nr301aa"),
            Some(Lookup::Postcode("NR30 1AA".into()))
        );
        assert_eq!(
            lookup_for(" M25 2SW "),
            Some(Lookup::Postcode("M25 2SW".into()))
        );
        assert_eq!(
            lookup_for("sw1a 1aa"),
            Some(Lookup::Postcode("SW1A 1AA".into()))
        );
        assert_eq!(lookup_for("NR30"), Some(Lookup::Outcode("NR30".into())));
        assert_eq!(
            lookup_for("Great Yarmouth"),
            Some(Lookup::Place("Great Yarmouth".into()))
        );
        assert_eq!(lookup_for("Leeds"), Some(Lookup::Place("Leeds".into())));
        assert_eq!(lookup_for("   "), None);
    }

    #[test]
    fn builds_urls_and_reads_answers() {
        let pc = Lookup::Postcode("NR30 1AA".into());
        assert_eq!(
            url("https://api.postcodes.io/", &pc),
            "https://api.postcodes.io/postcodes/NR30%201AA"
        );
        let place = Lookup::Place("Great Yarmouth".into());
        assert_eq!(
            url("http://x", &place),
            "http://x/places?q=Great%20Yarmouth&limit=1"
        );
        let (p, label) = parse(
            &pc,
            r#"{"status":200,"result":{"postcode":"NR30 1AA","latitude":52.6,"longitude":1.73}}"#,
            Messages::english(),
        )
        .unwrap();
        assert_eq!((p.lat, label.as_str()), (52.6, "NR30 1AA"));
        let (_, label) = parse(
            &place,
            r#"{"result":[{"name_1":"Great Yarmouth","latitude":52.6,"longitude":1.72}]}"#,
            Messages::english(),
        )
        .unwrap();
        assert_eq!(label, "Great Yarmouth");
        assert!(parse(&place, r#"{"result":[]}"#, Messages::english())
            .unwrap_err()
            .contains("Great Yarmouth"));
        assert!(parse(
            &pc,
            r#"{"status":404,"error":"Postcode not found"}"#,
            Messages::english()
        )
        .unwrap_err()
        .contains("NR30 1AA"));
        assert!(parse(&pc, "<html>", Messages::english()).is_err());
    }
}
