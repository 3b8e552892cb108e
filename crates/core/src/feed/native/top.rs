//! Parsing a whole document in one go, reading our format's activities one at a time
//! as the parser reaches them (so no tree of the whole list is ever built); any other
//! document is parsed whole into a `Value` for its adapter.

use crate::feed::json::Lite;
use crate::feed::Out;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::record;

/// A top-level document as [`TopSeed`] reads it.
pub enum Top {
    /// An object whose `activities` is a list: our format. The activities have been read
    /// (into `records`) as they were parsed; `head` is the rest of the object.
    Native {
        head: Map<String, Value>,
        records: Out,
    },
    /// Any other document, parsed whole.
    Other(Value),
}

/// Parses a document, reading our format's activities one at a time as they are
/// parsed. The result is the same as parsing the whole document and calling [`read`](super::read).
pub struct TopSeed;

impl<'de> DeserializeSeed<'de> for TopSeed {
    type Value = Top;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(TopVisitor)
    }
}

/// What the value of a top-level `activities` key turned out to be.
enum ActivitiesValue {
    Read(Out),
    Other(Value),
}

struct TopVisitor;
struct ActivitiesSeed;

/// The visitor methods that turn anything other than the interesting case into a `Value`.
macro_rules! other_values {
    ($wrap:path) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Value::Bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v.to_string())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
    };
}

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON document")
    }

    other_values!(Top::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Top::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut head = Map::new();
        // As when parsing to a `Value`, a repeated key's last value wins.
        let mut records = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "activities" {
                match map.next_value_seed(ActivitiesSeed)? {
                    ActivitiesValue::Read(out) => {
                        head.remove("activities");
                        records = Some(out);
                    }
                    ActivitiesValue::Other(v) => {
                        head.insert(key, v);
                        records = None;
                    }
                }
            } else {
                let v = map.next_value()?;
                head.insert(key, v);
            }
        }
        Ok(match records {
            Some(records) => Top::Native { head, records },
            None => Top::Other(Value::Object(head)),
        })
    }
}

impl<'de> DeserializeSeed<'de> for ActivitiesSeed {
    type Value = ActivitiesValue;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ActivitiesValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ActivitiesSeed {
    type Value = ActivitiesValue;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of activities")
    }

    other_values!(ActivitiesValue::Other);

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ActivitiesValue, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(ActivitiesValue::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ActivitiesValue, A::Error> {
        let mut out = Out::default();
        let mut i = 0usize;
        // Each activity is read into a `Lite` tree borrowing from the document, which
        // makes far fewer allocations than a `Value`; `record` reads both alike.
        while let Some(v) = seq.next_element::<Lite>()? {
            let at = format!("/activities/{i}");
            if let Some(a) = record(&v, &at, None, &mut out) {
                out.activities.push((at, a));
            }
            i += 1;
        }
        Ok(ActivitiesValue::Read(out))
    }
}
