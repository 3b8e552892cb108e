//! Reading loosely typed JSON fields: text that may be a number, numbers that may be
//! strings, and a field that goes by several names.

use super::plain::plain_text;
use crate::feed::json::{Json, Kind};
use serde_json::{Map, Value};

/// A non-empty string field as plain text (a number becomes text).
pub fn text<V: Json>(v: Option<&V>) -> Option<String> {
    match v?.kind() {
        Kind::Str(s) => {
            let t = plain_text(s);
            (!t.is_empty()).then_some(t)
        }
        Kind::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A required text field: `Ok(text)`, or why it cannot be used.
pub fn required_text<V: Json>(v: Option<&V>, name: &str) -> Result<String, String> {
    match v.map(Json::kind) {
        None | Some(Kind::Null) | Some(Kind::Str(_)) => {
            text(v).ok_or(format!("required field {name} is missing"))
        }
        Some(Kind::Number(_)) => Ok(text(v).unwrap_or_default()),
        Some(_) => Err(format!("{name} must be text or a number")),
    }
}

/// A number that may have been written as a string (common in real feeds).
pub fn number<V: Json>(v: &V) -> Option<f64> {
    match v.kind() {
        Kind::Number(n) => n.as_f64(),
        Kind::Str(s) => crate::math::parse_f64(s.trim()),
        _ => None,
    }
}

/// Read a field from an object by trying several names (a null counts as missing).
pub fn first_of<'a, V: Json>(obj: &'a V, keys: &[&str]) -> Option<&'a V> {
    keys.iter()
        .find_map(|k| obj.get(k).filter(|v| !v.is_null()))
}

/// Read a field from an object by trying several names.
pub fn first<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .find_map(|k| obj.get(*k).filter(|v| !v.is_null()))
}
