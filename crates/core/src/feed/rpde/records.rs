//! The records of an RPDE feed as its pages are read, merged by the RPDE rules:
//! a record is known by its `id`; the item with the newest `modified` wins; a
//! `"deleted"` item removes the record (and is remembered, so an older update read
//! later cannot bring it back); an id that turns up under another `kind` is refused.

use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashMap;

/// An item's `modified`: RPDE sends an integer (a timestamp or a change number).
/// Some feeds send it as text; digits are still a number, and other text is compared
/// as text (after every number), so any feed gets one consistent order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modified {
    Number(i128),
    Text(String),
}

impl Modified {
    /// Read a `modified` value; `None` when it is missing, empty or not a whole number.
    pub fn read(v: &Value) -> Option<Modified> {
        match v {
            Value::Number(n) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .map(Modified::Number),
            Value::String(s) => {
                let s = s.trim();
                if s.is_empty() {
                    None
                } else if let Ok(n) = s.parse::<i128>() {
                    Some(Modified::Number(n))
                } else {
                    Some(Modified::Text(s.to_string()))
                }
            }
            _ => None,
        }
    }
}

impl PartialOrd for Modified {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Modified {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Modified::Number(a), Modified::Number(b)) => a.cmp(b),
            (Modified::Text(a), Modified::Text(b)) => a.cmp(b),
            (Modified::Number(_), Modified::Text(_)) => Ordering::Less,
            (Modified::Text(_), Modified::Number(_)) => Ordering::Greater,
        }
    }
}

/// One record as last read, or its tombstone.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: String,
    pub id: String,
    pub modified: Modified,
    /// The item's `data`; `None` once the record is deleted.
    pub data: Option<Value>,
    /// Where the item that set it was read: `{page URL}#/items/{i}`.
    pub at: String,
}

impl Record {
    pub fn is_live(&self) -> bool {
        self.data.is_some()
    }

    /// The record's data as an object (`None` once deleted).
    pub fn object(&self) -> Option<&serde_json::Map<String, Value>> {
        self.data.as_ref()?.as_object()
    }
}

/// What [`Records::apply`] did with an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merge {
    /// A record not seen before.
    Added,
    /// A newer version of a record (or a record brought back after a delete).
    Replaced,
    /// A live record removed.
    Deleted,
    /// A delete of a record that is not live (never seen, or already deleted).
    DeletedUnknown,
    /// Older than the version held, so ignored.
    Stale,
    /// The id is already used by a record of another kind; the item is refused.
    KindChanged { was: String },
}

/// Every record read so far, by id, tombstones included.
#[derive(Debug, Clone, Default)]
pub struct Records {
    by_id: HashMap<String, Record>,
    /// Ids in the order first seen, so activities come out in feed order.
    order: Vec<String>,
    live: usize,
}

impl Records {
    /// Merge one item. Ties on `modified` go to the item read later: RPDE orders items
    /// by `(modified, id)`, so an item read later is never the older one.
    pub fn apply(&mut self, rec: Record) -> Merge {
        let Some(held) = self.by_id.get_mut(&rec.id) else {
            let merge = if rec.is_live() {
                self.live += 1;
                Merge::Added
            } else {
                Merge::DeletedUnknown
            };
            self.order.push(rec.id.clone());
            self.by_id.insert(rec.id.clone(), rec);
            return merge;
        };
        if held.kind != rec.kind {
            return Merge::KindChanged {
                was: held.kind.clone(),
            };
        }
        if rec.modified < held.modified {
            return Merge::Stale;
        }
        let merge = match (held.is_live(), rec.is_live()) {
            (true, true) => Merge::Replaced,
            (true, false) => {
                self.live -= 1;
                Merge::Deleted
            }
            (false, true) => {
                self.live += 1;
                Merge::Replaced
            }
            (false, false) => Merge::DeletedUnknown,
        };
        *held = rec;
        merge
    }

    /// The live record with this id.
    pub fn get(&self, id: &str) -> Option<&Record> {
        self.by_id.get(id).filter(|r| r.is_live())
    }

    /// The live records, in the order their ids were first read.
    pub fn live(&self) -> impl Iterator<Item = &Record> + '_ {
        self.order
            .iter()
            .filter_map(|id| self.by_id.get(id))
            .filter(|r| r.is_live())
    }

    /// Every record held, tombstones included, in the order their ids were first
    /// read. Applying them in this order to empty [`Records`] gives these records back.
    pub fn all(&self) -> impl Iterator<Item = &Record> + '_ {
        self.order.iter().filter_map(|id| self.by_id.get(id))
    }

    /// How many records are live.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}
