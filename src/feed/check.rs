//! Field checks shared by every adapter: plain text, safe links, coordinates, dates.

use super::{Out, Outcome};
use crate::model::{Activity, Location};
use serde_json::{Map, Value};

/// Longest text kept from any one field; longer text is cut with an ellipsis.
const MAX_TEXT: usize = 4000;

/// Turn feed text into plain text: tags removed, common entities decoded,
/// white space folded. The result is only ever shown as text, never as HTML.
pub fn plain_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' if !in_tag => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            _ => out.push(c),
        }
    }
    let decoded = decode_entities(&out);
    let mut folded = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    if folded.chars().count() > MAX_TEXT {
        folded = folded.chars().take(MAX_TEXT).collect::<String>() + "…";
    }
    folded
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&pound;", "£")
        .replace("&amp;", "&")
}

/// Does this look like it was written as HTML?
pub fn looks_like_html(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}

/// Accept only links a person can safely follow: http(s), mailto and tel.
pub fn safe_link(s: &str) -> Result<String, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let ok_scheme = ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p));
    if !ok_scheme {
        if lower.starts_with("www.") {
            return Ok(format!("https://{t}"));
        }
        return Err(format!(
            "link \"{}\" is not http(s), mailto or tel",
            truncate(t, 60)
        ));
    }
    if t.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>') {
        return Err(format!("link \"{}\" contains spaces or quotes", truncate(t, 60)));
    }
    if (lower.starts_with("http")) && t.split("://").nth(1).is_none_or(|rest| rest.is_empty()) {
        return Err(format!("link \"{}\" has no address after the scheme", truncate(t, 60)));
    }
    Ok(t.to_string())
}

/// An email address, as a bare address (a `mailto:` prefix is removed).
pub fn email(s: &str) -> Result<String, String> {
    let t = s.trim().trim_start_matches("mailto:");
    let ok = t.split_once('@').is_some_and(|(a, b)| {
        !a.is_empty() && b.contains('.') && !t.chars().any(|c| c.is_whitespace() || "<>\"'(),;:".contains(c))
    });
    if ok {
        Ok(t.to_string())
    } else {
        Err(format!("email \"{}\" is not an email address", truncate(t, 60)))
    }
}

/// A phone number as written, if it has enough digits to dial.
pub fn phone(s: &str) -> Result<String, String> {
    let t = s.trim().trim_start_matches("tel:");
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let allowed = t.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if (6..=16).contains(&digits) && allowed {
        Ok(t.to_string())
    } else {
        Err(format!("phone \"{}\" is not a phone number", truncate(t, 40)))
    }
}

pub fn lat_lng(lat: f64, lng: f64) -> Result<(), String> {
    if !lat.is_finite() || !lng.is_finite() {
        return Err("coordinates are not numbers".into());
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90..90"));
    }
    if !(-180.0..=180.0).contains(&lng) {
        return Err(format!("longitude {lng} is outside -180..180"));
    }
    if lat == 0.0 && lng == 0.0 {
        return Err("coordinates are 0,0 (in the ocean off Africa): probably missing".into());
    }
    Ok(())
}

/// `YYYY-MM-DD`, optionally followed by a time (`T…`).
pub fn iso_date(s: &str) -> Option<String> {
    let d = s.trim().get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return None;
    }
    let m: u32 = d[5..7].parse().ok()?;
    let day: u32 = d[8..10].parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&day)).then(|| d.to_string())
}

pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

/// A number that may have been written as a string (common in real feeds).
pub fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-empty string field as plain text.
pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => {
            let t = plain_text(s);
            (!t.is_empty()).then_some(t)
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Read a field from an object by trying several names.
pub fn first<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| obj.get(*k).filter(|v| !v.is_null()))
}

/// Set an activity's point after checking it. A bad point keeps the listing without a pin.
pub fn set_point(a: &mut Activity, lat: Option<f64>, lng: Option<f64>, at: &str, out: &mut Out) {
    match (lat, lng) {
        (Some(lat), Some(lng)) => match lat_lng(lat, lng) {
            Ok(()) => {
                a.location.lat = Some(lat);
                a.location.lng = Some(lng);
            }
            Err(why) => out.problem(at, Some(&a.id), format!("{why}; listed without a pin"), Outcome::NoPin),
        },
        (None, None) => {}
        _ => out.problem(
            at,
            Some(&a.id),
            "only one of latitude and longitude is given; listed without a pin",
            Outcome::NoPin,
        ),
    }
}

/// Put a checked link, email or phone on the activity; report and drop a bad one.
pub fn set_contact(a: &mut Activity, website: Option<&str>, email_: Option<&str>, phone_: Option<&str>, at: &str, out: &mut Out) {
    if let Some(w) = website.filter(|s| !s.trim().is_empty()) {
        match safe_link(w) {
            Ok(w) => a.contact.website = Some(w),
            Err(why) => out.problem(&format!("{at}/website"), Some(&a.id), why, Outcome::FieldDropped),
        }
    }
    if let Some(e) = email_.filter(|s| !s.trim().is_empty()) {
        match email(e) {
            Ok(e) => a.contact.email = Some(e),
            Err(why) => out.problem(&format!("{at}/email"), Some(&a.id), why, Outcome::FieldDropped),
        }
    }
    if let Some(p) = phone_.filter(|s| !s.trim().is_empty()) {
        match phone(p) {
            Ok(p) => a.contact.phone = Some(p),
            Err(why) => out.problem(&format!("{at}/phone"), Some(&a.id), why, Outcome::FieldDropped),
        }
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

/// A location with neither a pin nor an online/area marker gets a note, not a rejection.
pub fn note_missing_place(a: &Activity, at: &str, out: &mut Out) {
    let Location { lat, online, area, .. } = &a.location;
    if lat.is_none() && !online && area.is_none() && !out.problems.iter().any(|p| p.record.as_deref() == Some(&a.id) && p.outcome == Outcome::NoPin) {
        out.problem(at, Some(&a.id), "no coordinates: listed without a pin", Outcome::NoPin);
    }
}

/// Assign a category from keywords found in a record's text, using the caller's
/// rules first and then the documented defaults.
pub fn category_for(words: &str, rules: &[(String, String)]) -> String {
    let w = words.to_lowercase();
    for (kw, cat) in rules {
        if w.contains(&kw.to_lowercase()) {
            return cat.clone();
        }
    }
    for (kw, cat) in DEFAULT_CATEGORY_RULES {
        if w.contains(kw) {
            return (*cat).to_string();
        }
    }
    "hub".into()
}

/// The documented keyword → category mapping used by adapters (first match wins).
pub const DEFAULT_CATEGORY_RULES: &[(&str, &str)] = &[
    ("parkrun", "parkrun"),
    ("walk", "green"),
    ("garden", "green"),
    ("allotment", "green"),
    ("conservation", "green"),
    ("nature", "green"),
    ("green gym", "green"),
    ("swim", "green"),
    ("outdoor", "green"),
    ("cycling", "green"),
    ("history", "heritage"),
    ("museum", "heritage"),
    ("heritage", "heritage"),
    ("archaeolog", "heritage"),
    ("archive", "heritage"),
    ("craft", "heritage"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_strips_tags_and_decodes() {
        assert_eq!(plain_text("<p>Tea &amp; <b>cake</b></p>\n\n  here"), "Tea & cake here");
        assert_eq!(plain_text("<script>alert(1)</script>"), "alert(1)");
        assert_eq!(plain_text("a < b"), "a");
    }

    #[test]
    fn links_are_only_http_mailto_tel() {
        assert!(safe_link("https://example.org/a").is_ok());
        assert!(safe_link("mailto:a@b.org").is_ok());
        assert!(safe_link("tel:01234567890").is_ok());
        assert_eq!(safe_link("www.parkrun.org.uk/bushy").unwrap(), "https://www.parkrun.org.uk/bushy");
        assert!(safe_link("javascript:alert(1)").is_err());
        assert!(safe_link("data:text/html,hi").is_err());
        assert!(safe_link("https://").is_err());
        assert!(safe_link("https://a b").is_err());
    }

    #[test]
    fn coordinates_in_range() {
        assert!(lat_lng(52.6, 1.7).is_ok());
        assert!(lat_lng(100.0, 101.0).unwrap_err().contains("latitude 100"));
        assert!(lat_lng(0.0, 0.0).is_err());
        assert!(lat_lng(f64::NAN, 1.0).is_err());
    }

    #[test]
    fn dates_and_contacts() {
        assert_eq!(iso_date("2026-11-23T10:00:00Z").as_deref(), Some("2026-11-23"));
        assert_eq!(iso_date("2026-13-01"), None);
        assert_eq!(iso_date("23/11/2026"), None);
        assert!(email("someone@example.org").is_ok());
        assert!(email("not an email").is_err());
        assert!(phone("01493 123456").is_ok());
        assert!(phone("call us").is_err());
    }

    #[test]
    fn categories_from_keywords() {
        assert_eq!(category_for("Health Walk", &[]), "green");
        assert_eq!(category_for("Local History Society", &[]), "heritage");
        assert_eq!(category_for("Benefits advice", &[]), "hub");
        let rules = vec![("advice".to_string(), "support".to_string())];
        assert_eq!(category_for("Benefits advice", &rules), "support");
    }
}
