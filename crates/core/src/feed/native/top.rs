//! Parsing a whole document in one go, reading our format's activities one at a time
//! as the parser reaches them (so no tree of the whole list is ever built). Any other
//! document is only checked to be JSON here: its adapter parses it again into a `Value`
//! (in the browser, in the readers' part, so the first pins' module has no `Value`).

use crate::feed::json::{Key, Lite};
use crate::feed::Out;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::record;

/// A top-level document as [`TopSeed`] reads it.
#[allow(
    clippy::large_enum_variant,
    reason = "made once per document and taken apart at once: boxing would only add an allocation"
)]
pub enum Top<'de> {
    /// An object whose `activities` is a list: our format. The activities have been read
    /// (into `records`) as they were parsed; `head` is what else our format reads.
    Native { head: Head<'de>, records: Out },
    /// Any other document (it is JSON; what it holds was not kept).
    Other,
}

/// The top-level fields of our format other than `activities` (any other key is
/// checked to be JSON and let go). As when parsing to a `Value`, a repeated key's last
/// value wins.
#[derive(Default)]
pub struct Head<'de> {
    pub format: Option<Lite<'de>>,
    pub feed: Option<Lite<'de>>,
    pub categories: Option<Lite<'de>>,
}

/// Parses a document, reading our format's activities one at a time as they are
/// parsed. The result is the same as parsing the whole document and calling [`read`](super::read).
pub struct TopSeed;

impl<'de> DeserializeSeed<'de> for TopSeed {
    type Value = Top<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top<'de>, D::Error> {
        d.deserialize_any(TopVisitor)
    }
}

/// What the value of a top-level `activities` key turned out to be.
enum ActivitiesValue {
    Read(Out),
    Other,
}

struct TopVisitor;
struct ActivitiesSeed;

/// Any JSON value, parsed and let go. Unlike serde's `IgnoredAny`, it goes through
/// `deserialize_any`, so serde_json's depth limit applies as it does to a `Value`
/// (a document too deeply nested is refused the same way whichever reader sees it).
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(LetGo(Skip))
    }
}

/// The visitor methods that let a scalar go, giving `$other` for it.
macro_rules! let_go {
    ($other:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($other)
        }
    };
}

/// Lets any value go, giving `T` for it.
struct LetGo<T>(T);

impl<'de, T> Visitor<'de> for LetGo<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(self.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(self.0)
    }
}

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON document")
    }

    let_go!(Top::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top<'de>, A::Error> {
        LetGo(Top::Other).visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<'de>, A::Error> {
        let mut head = Head::default();
        // As when parsing to a `Value`, a repeated key's last value wins.
        let mut records = None;
        while let Some(Key(key)) = map.next_key::<Key>()? {
            match key.as_ref() {
                "activities" => match map.next_value_seed(ActivitiesSeed)? {
                    ActivitiesValue::Read(out) => records = Some(out),
                    ActivitiesValue::Other => records = None,
                },
                "format" => head.format = Some(map.next_value()?),
                "feed" => head.feed = Some(map.next_value()?),
                "categories" => head.categories = Some(map.next_value()?),
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(match records {
            Some(records) => Top::Native { head, records },
            None => Top::Other,
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

    let_go!(ActivitiesValue::Other);

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ActivitiesValue, A::Error> {
        LetGo(ActivitiesValue::Other).visit_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ActivitiesValue, A::Error> {
        let mut out = Out::default();
        let mut i = 0usize;
        // Each activity is read into a `Lite` tree borrowing from the document, which
        // makes far fewer allocations than a `Value`; `record` reads both alike.
        while let Some(v) = seq.next_element::<Lite>()? {
            let at = format!("/activities/{i}");
            if let Some(a) = record(&v, &at, None, &mut out) {
                out.add(at, a);
            }
            i += 1;
        }
        Ok(ActivitiesValue::Read(out))
    }
}
