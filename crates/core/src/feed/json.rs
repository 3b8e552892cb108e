//! A read-only view of a JSON value, so the record readers work the same on
//! `serde_json::Value` and on [`Lite`], a lighter tree for reading our own format fast.
//!
//! `Lite` borrows its strings and keys from the document wherever they have no escapes,
//! and keeps an object's fields in a short list instead of a sorted map: reading a large
//! feed this way makes far fewer allocations (in the browser, building `Value`s was a
//! large share of the time a feed took to load). Both give the same answers to every question the readers ask,
//! including "last key wins" for a repeated key, which the load-equals-load_value tests check.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

/// What a JSON value is, as far as the readers need to know.
pub enum Kind<'a, V> {
    Null,
    Bool(bool),
    Number(&'a Number),
    Str(&'a str),
    Array(&'a [V]),
    Object,
}

/// A JSON value the readers can look into. `Display` writes it as compact JSON (for
/// messages that quote a value that could not be used).
pub trait Json: fmt::Display + Sized {
    fn kind(&self) -> Kind<'_, Self>;
    /// A field of an object; `None` for a missing key or when this is not an object.
    fn get(&self, key: &str) -> Option<&Self>;

    fn as_str(&self) -> Option<&str> {
        match self.kind() {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match self.kind() {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }
    fn as_array(&self) -> Option<&[Self]> {
        match self.kind() {
            Kind::Array(a) => Some(a),
            _ => None,
        }
    }
    fn as_f64(&self) -> Option<f64> {
        match self.kind() {
            Kind::Number(n) => n.as_f64(),
            _ => None,
        }
    }
    fn as_u64(&self) -> Option<u64> {
        match self.kind() {
            Kind::Number(n) => n.as_u64(),
            _ => None,
        }
    }
    fn is_null(&self) -> bool {
        matches!(self.kind(), Kind::Null)
    }
    fn is_object(&self) -> bool {
        matches!(self.kind(), Kind::Object)
    }
}

impl Json for Value {
    fn kind(&self) -> Kind<'_, Self> {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(b) => Kind::Bool(*b),
            Value::Number(n) => Kind::Number(n),
            Value::String(s) => Kind::Str(s),
            Value::Array(a) => Kind::Array(a),
            Value::Object(_) => Kind::Object,
        }
    }
    fn get(&self, key: &str) -> Option<&Self> {
        self.as_object()?.get(key)
    }
}

/// A JSON value that borrows from the document it was read from.
#[derive(Debug, Clone, PartialEq)]
pub enum Lite<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'a, str>),
    Array(Vec<Lite<'a>>),
    /// Fields in document order; a repeated key's last value is the one that counts.
    Object(Vec<(Cow<'a, str>, Lite<'a>)>),
}

impl Json for Lite<'_> {
    fn kind(&self) -> Kind<'_, Self> {
        match self {
            Lite::Null => Kind::Null,
            Lite::Bool(b) => Kind::Bool(*b),
            Lite::Number(n) => Kind::Number(n),
            Lite::Str(s) => Kind::Str(s),
            Lite::Array(a) => Kind::Array(a),
            Lite::Object(_) => Kind::Object,
        }
    }
    fn get(&self, key: &str) -> Option<&Self> {
        match self {
            Lite::Object(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

#[cfg(test)]
impl Lite<'_> {
    /// The same value as a `serde_json::Value` (for the tests: `Lite` reads as it does).
    fn to_value(&self) -> Value {
        match self {
            Lite::Null => Value::Null,
            Lite::Bool(b) => Value::Bool(*b),
            Lite::Number(n) => Value::Number(n.clone()),
            Lite::Str(s) => Value::String(s.to_string()),
            Lite::Array(a) => Value::Array(a.iter().map(Lite::to_value).collect()),
            Lite::Object(fields) => {
                let mut map = serde_json::Map::new();
                for (k, v) in fields {
                    map.insert(k.to_string(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

/// Written exactly as `Value` writes the same value (compact JSON, an object's keys in
/// sorted order, a repeated key's last value), without building one: going through
/// `Value` put its tree, its parser and its writer in the first pins' module (about
/// 28 KB of wasm, BENCHMARKS.md).
impl fmt::Display for Lite<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lite::Null => f.write_str("null"),
            Lite::Bool(b) => write!(f, "{b}"),
            Lite::Number(n) => write!(f, "{n}"),
            Lite::Str(s) => write_str(f, s),
            Lite::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Lite::Object(fields) => {
                // Each key once, smallest first: the next key is the smallest one
                // greater than the last written (objects here are small; no sort is
                // compiled for them).
                f.write_str("{")?;
                let mut last: Option<&str> = None;
                while let Some(key) = fields
                    .iter()
                    .map(|(k, _)| k.as_ref())
                    .filter(|k| last.is_none_or(|l| *k > l))
                    .min()
                {
                    if last.is_some() {
                        f.write_str(",")?;
                    }
                    write_str(f, key)?;
                    f.write_str(":")?;
                    if let Some(v) = self.get(key) {
                        write!(f, "{v}")?;
                    }
                    last = Some(key);
                }
                f.write_str("}")
            }
        }
    }
}

/// A JSON string, escaped as serde_json escapes it.
fn write_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        f.write_str(&s[run..i])?;
        if escape.is_empty() {
            write!(f, "\\u{b:04x}")?;
        } else {
            f.write_str(escape)?;
        }
        run = i + 1;
    }
    f.write_str(&s[run..])?;
    f.write_str("\"")
}

impl<'de> Deserialize<'de> for Lite<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LiteVisitor)
    }
}

struct LiteVisitor;

/// Fields an object is given room for before its size is known.
const OBJECT_ROOM: usize = 16;

impl<'de> Visitor<'de> for LiteVisitor {
    type Value = Lite<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Lite::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Lite::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Lite::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // As `Value` does: a number that is not finite becomes null.
        Ok(Number::from_f64(v).map_or(Lite::Null, Lite::Number))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Lite::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Lite::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Lite::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Lite::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Lite::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Deserialize::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Lite::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // An activity has about 17 fields: room for them from the start saves the
        // three or four copies of growing one at a time (a tree lives for one record).
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(OBJECT_ROOM));
        while let Some(k) = map.next_key::<Key<'de>>()? {
            fields.push((k.0, map.next_value()?));
        }
        Ok(Lite::Object(fields))
    }
}

/// An object key, borrowed when it has no escapes.
pub(crate) struct Key<'a>(pub(crate) Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lite_reads_like_value() {
        let doc = r#"{"a":"x\"y","b":[1,-2,3.5,true,null],"a2":{"k":1},"a":"last","n":18446744073709551615}"#;
        let lite: Lite = serde_json::from_str(doc).unwrap();
        let value: Value = serde_json::from_str(doc).unwrap();
        assert_eq!(lite.to_value(), value);
        assert_eq!(lite.get("a").and_then(Json::as_str), Some("last"));
        assert_eq!(
            lite.get("b").and_then(Json::as_array).map(<[_]>::len),
            Some(5)
        );
        assert!(lite.get("a2").is_some_and(Json::is_object));
        assert_eq!(lite.get("a2").unwrap().to_string(), r#"{"k":1}"#);
        assert!(lite.get("zz").is_none());
        // Strings without escapes are borrowed from the document.
        let s: Lite = serde_json::from_str(r#""plain""#).unwrap();
        assert!(matches!(s, Lite::Str(Cow::Borrowed("plain"))));
    }

    /// A JSON document as text, which may repeat an object's keys.
    fn doc() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just("null".to_string()),
            any::<bool>().prop_map(|b| b.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<u64>().prop_map(|n| n.to_string()),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| serde_json::to_string(&f).unwrap()),
            "[a\\x00-\\x1f\"\\\\/\\x7f\\u{e9}\\u{2028}\\u{1f600}]{0,12}"
                .prop_map(|t| serde_json::to_string(&t).unwrap()),
        ];
        leaf.prop_recursive(4, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[ab\\x01\"]{0,2}", inner), 0..5).prop_map(|fields| {
                    let fields: Vec<String> = fields
                        .into_iter()
                        .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                        .collect();
                    format!("{{{}}}", fields.join(","))
                }),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]
        /// A quoted value reads the same whichever tree it was read into.
        #[test]
        fn lite_writes_as_value_does(text in doc()) {
            let lite: Lite = serde_json::from_str(&text).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(lite.to_string(), value.to_string());
        }
    }
}
