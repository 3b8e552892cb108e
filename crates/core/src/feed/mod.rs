//! Reading a feed: detect its shape, map every record into the model, and report
//! what could not be used without losing what could.
//!
//! Every adapter works record by record on `serde_json::Value`, so one broken
//! record becomes a [`Problem`] while the rest of the feed still loads.

pub mod check;
pub mod generate;
pub mod geojson;
mod guarantees;
pub mod json;
pub mod native;
pub mod openactive;
pub mod oruk;
pub mod parkrun;
pub mod report;
pub mod rpde;
pub mod stream;

use crate::model::{builtin_categories, Feed, FeedMeta, FORMAT_V1};
use hashbrown::HashTable;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Feeds larger than this are refused before parsing. It leaves room to spare above a
/// feed of 100,000 activities, the most we plan for.
pub const DEFAULT_MAX_BYTES: usize = 128 * 1024 * 1024;

/// The document shapes we can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    Native,
    GeoJson,
    Parkrun,
    OpenActive,
    Oruk,
}

impl Shape {
    pub fn label(self) -> &'static str {
        match self {
            Shape::Native => "activity-map feed v1",
            Shape::GeoJson => "GeoJSON FeatureCollection",
            Shape::Parkrun => "parkrun events.json",
            Shape::OpenActive => "OpenActive RPDE page",
            Shape::Oruk => "Open Referral UK services",
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What happened to a record that had a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The record could not be used at all.
    Skipped,
    /// The record is listed, but without a pin on the map.
    NoPin,
    /// The record is listed; one field was left out.
    FieldDropped,
}

/// One thing a publisher should fix, with where it is in their document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// JSON Pointer to the record or field, e.g. `/activities/3/location/lat`. In a
    /// feed read from several pages (RPDE), the page's URL comes first:
    /// `https://example.org/feed?afterId=9#/items/3/data/name`.
    pub at: String,
    /// The record's id or name, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    pub message: String,
    pub outcome: Outcome,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.outcome {
            Outcome::Skipped => "skipped",
            Outcome::NoPin => "listed without a pin",
            Outcome::FieldDropped => "field left out",
        };
        write!(f, "{}", self.at)?;
        if let Some(r) = &self.record {
            write!(f, " ({r})")?;
        }
        if self.message.contains(what) {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {} [{what}]", self.message)
        }
    }
}

/// Why a whole document could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeedError {
    #[error("The feed is too large: {size} bytes, and the limit is {limit} bytes.")]
    TooLarge { size: usize, limit: usize },
    #[error("The feed is empty.")]
    Empty,
    #[error("The feed is not valid JSON (line {line}, column {column}: {detail}).")]
    NotJson {
        line: usize,
        column: usize,
        detail: String,
    },
    #[error(
        "The feed is JSON but not a shape we know ({found}). Expected an activity-map feed \
         (\"activities\": [...]), a GeoJSON FeatureCollection, parkrun's events.json, an \
         OpenActive RPDE page (\"items\": [...]) or Open Referral UK services (\"contents\": [...])."
    )]
    UnknownShape { found: String },
    #[error("The feed is a tiled feed (pack) whose index cannot be read: {detail}.")]
    Pack { detail: String },
}

impl FeedError {
    /// The message in the person's language (the JSON reader's own detail stays as
    /// it is: it names a place in the file, for the publisher).
    pub fn in_words(&self, m: &crate::lang::Messages) -> String {
        match self {
            FeedError::TooLarge { size, limit } => m.fill(
                "feed_error.too_large",
                &[
                    ("size", &crate::lang::grouped(*size as u64)),
                    ("limit", &crate::lang::grouped(*limit as u64)),
                ],
            ),
            FeedError::Empty => m.get("feed_error.empty").to_string(),
            FeedError::NotJson {
                line,
                column,
                detail,
            } => m.fill(
                "feed_error.not_json",
                &[
                    ("line", &line.to_string()),
                    ("column", &column.to_string()),
                    ("detail", detail),
                ],
            ),
            FeedError::UnknownShape { found } => {
                m.fill("feed_error.unknown_shape", &[("found", found)])
            }
            FeedError::Pack { detail } => m.fill("feed_error.pack", &[("detail", detail)]),
        }
    }
}

/// How to assign categories to records from feeds that do not use ours.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Put every activity in this category, whatever the adapter would choose.
    pub force_category: Option<String>,
    /// Extra keyword → category rules, checked before the built-in ones.
    pub category_rules: Vec<(String, String)>,
    /// Refuse documents larger than this; `0` means [`DEFAULT_MAX_BYTES`].
    pub max_bytes: usize,
}

/// A loaded feed and what was wrong with it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub shape: Shape,
    pub feed: Feed,
    pub problems: Vec<Problem>,
}

impl Loaded {
    pub fn skipped(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.outcome == Outcome::Skipped)
            .count()
    }
}

/// Read a feed document of any known shape: our own format, GeoJSON, parkrun's
/// events, OpenActive or Open Referral UK. A record that cannot be used is left out
/// and reported in [`Loaded::problems`]; only a document that is not a feed at all is
/// an error.
///
/// ```
/// use activity_map_core::feed::{load, Options, Outcome, Shape};
///
/// let doc = r#"{"format": "activity-map/1", "feed": {"name": "Norfolk walks"},
///     "activities": [
///         {"id": "w1", "name": "Health walk", "category": "green",
///          "location": {"lat": 52.63, "lng": 1.29},
///          "schedule": [{"days": ["sat"], "start": "9:00", "end": "10:00"}]},
///         {"id": "w2", "name": "Riverside walk", "category": "green"}
///     ]}"#;
/// let loaded = load(doc.as_bytes(), &Options::default()).unwrap();
/// assert_eq!(loaded.shape, Shape::Native);
/// assert_eq!(loaded.feed.activities.len(), 2);
/// // The second walk has no coordinates: it is kept, listed without a pin, and said so.
/// assert_eq!(loaded.problems.len(), 1);
/// assert_eq!(loaded.problems[0].outcome, Outcome::NoPin);
///
/// assert!(load(b"[1, 2, 3]", &Options::default()).is_err());
/// ```
pub fn load(bytes: &[u8], opts: &Options) -> Result<Loaded, FeedError> {
    match load_native(bytes, opts)? {
        FirstRead::Native(loaded) => Ok(loaded),
        FirstRead::Other => load_other(bytes, opts),
    }
}

/// [`load`] for a document [`load_native`] found is not in our format: parsed whole
/// into a `Value` for its shape's reader.
pub fn load_other(bytes: &[u8], opts: &Options) -> Result<Loaded, FeedError> {
    let doc: Value = serde_json::from_slice(without_bom(bytes)).map_err(not_json)?;
    load_value(&doc, opts)
}

/// What [`load_native`] made of a document.
#[allow(
    clippy::large_enum_variant,
    reason = "made once per feed read and taken apart at once, as `stream::Finished`"
)]
pub enum FirstRead {
    /// Our own format, loaded.
    Native(Loaded),
    /// Any other document (it is JSON), for [`load`] or [`load_value`] to read whole.
    Other,
}

/// [`load`] for our own format only: any other document is only checked to be JSON, so
/// a caller can keep the other shapes' readers (and `serde_json::Value`) apart (the
/// browser app loads them only for a feed that needs them).
pub fn load_native(bytes: &[u8], opts: &Options) -> Result<FirstRead, FeedError> {
    let limit = limit(opts);
    if bytes.len() > limit {
        return Err(FeedError::TooLarge {
            size: bytes.len(),
            limit,
        });
    }
    let bytes = without_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FeedError::Empty);
    }
    Ok(match parse_top(bytes)? {
        native::Top::Native { head, records } => {
            FirstRead::Native(native_loaded(head, records, opts))
        }
        native::Top::Other => FirstRead::Other,
    })
}

/// The document without a UTF-8 byte-order mark, if it starts with one.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The size limit in force.
fn limit(opts: &Options) -> usize {
    if opts.max_bytes == 0 {
        DEFAULT_MAX_BYTES
    } else {
        opts.max_bytes
    }
}

/// Parse a whole document. Our own format is read as it is parsed: each activity
/// becomes a tree only while it is being read, so a large feed never exists twice in
/// memory. Any other document is only checked to be JSON ([`load_other`] parses it).
fn parse_top(bytes: &[u8]) -> Result<native::Top<'_>, FeedError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde::de::DeserializeSeed::deserialize(native::TopSeed, &mut de)
        .and_then(|top| de.end().map(|()| top))
        .map_err(not_json)
}

/// Where and why a document is not JSON.
fn not_json(e: serde_json::Error) -> FeedError {
    FeedError::NotJson {
        line: e.line(),
        column: e.column(),
        detail: short_serde_message(&e),
    }
}

/// Our format, from the top-level object without its activities (`head`) and the
/// activities already read (`records`).
fn native_loaded(head: native::Head, records: Out, opts: &Options) -> Loaded {
    let mut checks = native_checks(head, records, opts);
    while !checks.step(usize::MAX) {}
    checks.done()
}

/// The same, with the whole-feed checks still to do.
fn native_checks(head: native::Head, records: Out, opts: &Options) -> Checks {
    // The head's problems come first, then the records'.
    let mut out = records;
    let problems = std::mem::take(&mut out.problems);
    let meta = native::read_head(
        head.format.as_ref(),
        head.feed.as_ref(),
        head.categories.as_ref(),
        &mut out,
    );
    out.problems.extend(problems);
    Checks::new(Shape::Native, meta, out, opts)
}

/// Read an already-parsed document.
pub fn load_value(doc: &Value, opts: &Options) -> Result<Loaded, FeedError> {
    let shape = detect(doc).ok_or_else(|| FeedError::UnknownShape {
        found: describe(doc),
    })?;
    let mut out = Out::default();
    let meta = match shape {
        Shape::Native => native::read(doc, &mut out),
        Shape::GeoJson => geojson::read(doc, &mut out),
        Shape::Parkrun => parkrun::read(doc, &mut out),
        Shape::OpenActive => openactive::read(doc, &mut out, opts),
        Shape::Oruk => oruk::read(doc, &mut out, opts),
    };
    Ok(assemble(shape, meta, out, opts))
}

/// The loaded feed from what an adapter read, after the whole-feed checks.
fn assemble(shape: Shape, meta: FeedMeta, out: Out, opts: &Options) -> Loaded {
    let mut checks = Checks::new(shape, meta, out, opts);
    while !checks.step(usize::MAX) {}
    checks.done()
}

/// What an adapter produces: activities, and where each came from (`at[i]` for
/// `activities[i]`). Kept apart so that the checks can hand the activities on as they
/// are, in the same list, rather than copy every one into a new one (at 100,000
/// activities, a second list of 32 MB held beside the first: BENCHMARKS.md).
#[derive(Default)]
pub struct Out {
    pub activities: Vec<crate::model::Activity>,
    /// Each activity's JSON Pointer in the document, for the checks' reports.
    pub at: Vec<String>,
    pub problems: Vec<Problem>,
    pub categories: Vec<crate::model::CategoryDef>,
    /// Descriptions read lately, by their hash (see [`share`](Self::share)).
    texts: Vec<Option<std::sync::Arc<str>>>,
}

/// How many descriptions [`Out::share`] remembers.
const SHARED_TEXTS: usize = 1024;

impl Out {
    /// `text`, shared with an earlier activity whose description is the same rather
    /// than kept again. Feeds repeat descriptions (a series' sessions, a chain's
    /// venues, a publisher's template): at 100,000 activities of `genfeed`, 72 of them,
    /// 17 MB kept once each (BENCHMARKS.md). The earlier ones are remembered in a table
    /// of [`SHARED_TEXTS`] slots by hash, one text a slot (a few lines of code in the
    /// first module, where a hash map's were 1.3 KB gzipped): two texts with the same
    /// slot take turns, so one may be kept more than once, never mixed up.
    pub fn share(&mut self, text: String) -> std::sync::Arc<str> {
        if text.is_empty() {
            return std::sync::Arc::default();
        }
        if self.texts.is_empty() {
            self.texts.resize(SHARED_TEXTS, None);
        }
        let slot = &mut self.texts[id_hash(&text) as usize % SHARED_TEXTS];
        match slot {
            Some(t) if **t == *text => t.clone(),
            _ => slot.insert(text.into()).clone(),
        }
    }

    /// An activity read, and where it was in the document.
    pub fn add(&mut self, at: String, a: crate::model::Activity) {
        self.activities.push(a);
        self.at.push(at);
    }

    /// Room for `n` more activities.
    pub fn reserve(&mut self, n: usize) {
        self.activities.reserve(n);
        self.at.reserve(n);
    }

    /// Report a problem. `at` is any displayable JSON Pointer (a `&str`, a `String`, or
    /// a [`Join`]), so callers need not build the pointer unless there is a problem.
    pub fn problem(
        &mut self,
        at: impl fmt::Display,
        record: Option<&str>,
        message: impl Into<String>,
        outcome: Outcome,
    ) {
        self.problems.push(Problem {
            at: at.to_string(),
            record: record.map(str::to_string),
            message: message.into(),
            outcome,
        });
    }
}

/// A JSON Pointer written as a base and a suffix (`Join("/activities/3", "/location")`),
/// joined only when it is displayed.
#[derive(Debug, Clone, Copy)]
pub struct Join<'a>(pub &'a str, pub &'a str);

impl fmt::Display for Join<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)?;
        f.write_str(self.1)
    }
}

/// The colour of a category that exists only because it was forced (`Options::force_category`).
pub const NEUTRAL_COLOUR: &str = "#475569";

/// The checks that need the whole feed (known categories, duplicate ids), done a
/// slice at a time ([`step`](Self::step)) so a large feed never blocks a page for long,
/// then [`done`](Self::done).
#[derive(Debug)]
pub struct Checks {
    shape: Shape,
    feed: Feed,
    problems: Vec<Problem>,
    /// Category ids that may be used.
    known: Vec<String>,
    force: Option<String>,
    /// The records, and where each was in the document.
    records: Vec<crate::model::Activity>,
    at: Vec<String>,
    /// Which records stay, decided so far.
    keep: Vec<bool>,
    /// The records kept so far, by id (as indices into `records`, so no id is copied).
    seen: HashTable<u32>,
}

impl Checks {
    fn new(shape: Shape, meta: FeedMeta, out: Out, opts: &Options) -> Checks {
        let mut feed = Feed {
            format: FORMAT_V1.into(),
            feed: meta,
            categories: out.categories,
            activities: Vec::new(),
        };
        let mut known: Vec<String> = builtin_categories().into_iter().map(|c| c.id).collect();
        known.extend(feed.categories.iter().map(|c| c.id.clone()));
        // A forced category that is neither built in nor declared is declared here, with
        // its id as its label, rather than turning every record away.
        if let Some(forced) = opts.force_category.as_ref().filter(|f| !known.contains(f)) {
            feed.categories.push(crate::model::CategoryDef {
                id: forced.clone(),
                label: forced.clone(),
                colour: NEUTRAL_COLOUR.into(),
            });
            known.push(forced.clone());
        }
        let n = out.activities.len();
        Checks {
            shape,
            feed,
            problems: out.problems,
            known,
            force: opts.force_category.clone(),
            records: out.activities,
            at: out.at,
            keep: Vec::with_capacity(n),
            seen: HashTable::with_capacity(n),
        }
    }

    /// Check up to `n` more records. True when all are checked.
    pub fn step(&mut self, n: usize) -> bool {
        let start = self.keep.len();
        let end = start.saturating_add(n).min(self.records.len());
        for i in start..end {
            let ok = self.check(i);
            self.keep.push(ok);
        }
        end == self.records.len()
    }

    /// Whether record `i` stays; if not, why is reported.
    fn check(&mut self, i: usize) -> bool {
        if let Some(forced) = &self.force {
            self.records[i].category.clone_from(forced);
        }
        let records = &self.records;
        let a = &records[i];
        let message = if !self.known.contains(&a.category) {
            format!(
                "category \"{}\" is not one of {} (declare it in \"categories\" to use it)",
                a.category,
                self.known.join(", ")
            )
        } else {
            let hash = id_hash(&a.id);
            let same = |&j: &u32| records[j as usize].id == a.id;
            if self.seen.find(hash, same).is_none() {
                let rehash = |&j: &u32| id_hash(&records[j as usize].id);
                self.seen.insert_unique(hash, i as u32, rehash);
                return true;
            }
            format!(
                "duplicate id \"{}\": an earlier record already uses it",
                a.id
            )
        };
        self.problems.push(Problem {
            at: self.at[i].clone(),
            record: Some(a.id.clone()),
            message,
            outcome: Outcome::Skipped,
        });
        false
    }

    /// The loaded feed, once [`step`](Self::step) has said all are checked. The records
    /// that stay are the list the reader filled, not a copy: moved along in it past
    /// those turned away, if any were.
    pub fn done(mut self) -> Loaded {
        debug_assert_eq!(self.keep.len(), self.records.len());
        // Those that stay, moved up over those turned away (if any), in order.
        let mut kept = 0;
        for i in 0..self.records.len() {
            if self.keep[i] {
                self.records.swap(kept, i);
                kept += 1;
            }
        }
        self.records.truncate(kept);
        self.feed.activities = self.records;
        Loaded {
            shape: self.shape,
            feed: self.feed,
            problems: self.problems,
        }
    }
}

/// The hash of an id in the tables that find records by id.
pub(crate) fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

/// Decide which adapter reads this document.
pub fn detect(doc: &Value) -> Option<Shape> {
    let obj = doc.as_object()?;
    if obj.get("activities").is_some_and(Value::is_array) {
        return Some(Shape::Native);
    }
    if obj.get("events").and_then(|e| e.get("features")).is_some() && obj.contains_key("countries")
    {
        return Some(Shape::Parkrun);
    }
    if obj.get("type").and_then(Value::as_str) == Some("FeatureCollection") {
        return Some(Shape::GeoJson);
    }
    if obj.get("items").is_some_and(Value::is_array) {
        return Some(Shape::OpenActive);
    }
    if obj.get("contents").is_some_and(Value::is_array)
        || obj.get("content").is_some_and(Value::is_array)
        || (obj.contains_key("id")
            && obj.contains_key("name")
            && (obj.contains_key("service_at_locations")
                || obj.contains_key("status")
                || obj.contains_key("organization")))
        || (obj.contains_key("service") && obj.contains_key("location"))
    {
        return Some(Shape::Oruk);
    }
    None
}

fn describe(doc: &Value) -> String {
    match doc {
        Value::Object(m) if m.is_empty() => "an empty object".into(),
        Value::Object(m) => {
            let keys: Vec<&str> = m.keys().take(6).map(String::as_str).collect();
            format!("an object with keys {}", keys.join(", "))
        }
        Value::Array(a) => format!("a list of {} items", a.len()),
        Value::String(_) => "a string".into(),
        Value::Number(_) => "a number".into(),
        Value::Bool(_) => "true/false".into(),
        Value::Null => "null".into(),
    }
}

fn short_serde_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    // serde_json appends " at line L column C"; we say that ourselves.
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Feed metadata when a shape carries none of its own.
pub fn meta_named(name: &str) -> FeedMeta {
    FeedMeta {
        name: name.into(),
        ..FeedMeta::default()
    }
}
