//! What each fuzz target does with its input, in one place so the combined target
//! (`readers`) runs exactly what the single ones run.
//!
//! Beyond "never panics", each asserts only what the project already promises and its
//! tests rely on (tests/feed_robustness.rs): `load` and `load_value` agree, `FeedStream`
//! fed the document in any pieces agrees with `load`, every kept activity is valid, and a
//! link read and written again reads the same.

use activity_map_core::feed::stream::{FeedStream, Finished, Finishing};
use activity_map_core::feed::{self, load_value, FeedError, Loaded, Options, Shape};
use activity_map_core::url_state::{FinderState, Query};
use serde_json::{json, Value};

/// The combined target: the first byte picks the reader, the rest is its input.
pub fn readers(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    match pick % 8 {
        0 => load(rest),
        1 => shape(Shape::Native, rest),
        2 => shape(Shape::OpenActive, rest),
        3 => shape(Shape::Oruk, rest),
        4 => shape(Shape::GeoJson, rest),
        5 => shape(Shape::Parkrun, rest),
        6 => stream(rest),
        _ => link(rest),
    }
}

/// `feed::load` on any bytes: it agrees with `load_value` whenever the bytes are JSON,
/// and what it keeps is valid.
pub fn load(data: &[u8]) {
    let opts = options(data.len());
    let loaded = feed::load(data, &opts);
    if let Ok(doc) = serde_json::from_slice::<Value>(data) {
        assert_same(&loaded, &load_value(&doc, &opts), "load and load_value");
    }
    if let Ok(l) = &loaded {
        check_invariants(l);
    }
}

/// One shape's reader on any JSON document: one that is not of that shape is wrapped as
/// a record of it, so every parsed input reaches the reader. Bytes that are not JSON are
/// `load`'s business, not the readers'.
pub fn shape(shape: Shape, data: &[u8]) {
    let Ok(doc) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let doc = if feed::detect(&doc) == Some(shape) {
        doc
    } else {
        wrap(shape, doc)
    };
    let opts = options(data.len());
    let read = load_value(&doc, &opts);
    match &read {
        Ok(l) => {
            assert_eq!(l.shape, shape);
            check_invariants(l);
        }
        Err(e) => panic!("a {shape:?} document was refused: {e}"),
    }
    // The same document as bytes, through `load` (which reads our format as it parses)
    // and `load_value`. Both read the written bytes: serde_json (without its
    // `float_roundtrip` feature) may read a written float back one ulp off, so `doc`
    // itself is no fair comparison. Past serde_json's nesting limit (wrapping adds a
    // level or two) `load` says so, and there is nothing to compare.
    let bytes = serde_json::to_vec(&doc).expect("a Value always serialises");
    if let Ok(again) = serde_json::from_slice::<Value>(&bytes) {
        assert_same(
            &feed::load(&bytes, &opts),
            &load_value(&again, &opts),
            "load and load_value",
        );
    }
}

/// A document of `shape` whose one record is `v`.
fn wrap(shape: Shape, v: Value) -> Value {
    match shape {
        Shape::Native => json!({ "activities": [v] }),
        Shape::OpenActive => json!({ "items": [v] }),
        Shape::Oruk => json!({ "contents": [v] }),
        Shape::GeoJson => json!({ "type": "FeatureCollection", "features": [v] }),
        Shape::Parkrun => json!({ "events": { "features": [v] }, "countries": {} }),
    }
}

/// `FeedStream` on any bytes, cut into pieces and read in steps as the input's first two
/// bytes say: whatever it makes of them is what `load` makes of the whole.
///
/// Byte 0: bit 0 picks `push`/`finish` (the one-call path) or `add_with`/`read(n)`/
/// `finishing` (the browser's path); bits 1-2 give `n` (1 to 4); bits 3-4 pick the
/// options (default, a size limit the document just meets, one it just exceeds, a forced
/// category). Byte 1 seeds the piece sizes. The rest is the document.
pub fn stream(data: &[u8]) {
    let [mode, seed, doc @ ..] = data else {
        return;
    };
    let per_read = 1 + usize::from((mode >> 1) & 3);
    let opts = match (mode >> 3) & 3 {
        0 => Options::default(),
        1 => Options {
            max_bytes: doc.len(),
            ..Options::default()
        },
        2 => Options {
            max_bytes: doc.len().saturating_sub(1).max(1),
            ..Options::default()
        },
        _ => options(1),
    };
    let sizes = Pieces::new(*seed);
    let streamed = if mode & 1 == 0 {
        in_pieces(doc, sizes, &opts)
    } else {
        in_steps(doc, sizes, per_read, &opts)
    };
    let whole = feed::load(doc, &opts);
    assert_same(&whole, &streamed, "load and FeedStream");
    if let Ok(l) = &whole {
        check_invariants(l);
    }
}

/// Piece sizes from a seed: sizes up to a limit the seed picks (64 bytes to 64 KB), with
/// a tiny piece (1 to 7 bytes) one time in eight, so every kind of boundary comes up.
/// Never all pieces tiny: each activity not yet whole is parsed again with each piece,
/// so single bytes all through are slow enough to starve the fuzzer (the tests do that
/// on small documents).
struct Pieces {
    state: u32,
    most: u32,
}

impl Pieces {
    fn new(seed: u8) -> Pieces {
        const MOST: [u32; 8] = [64, 128, 301, 1024, 4096, 4096, 65536, 65536];
        Pieces {
            state: u32::from(seed) | 0x9e37_0000,
            most: MOST[usize::from(seed & 7)],
        }
    }
}

impl Iterator for Pieces {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        // xorshift32: cheap, and the same sizes for the same input.
        self.state ^= self.state << 13;
        self.state ^= self.state >> 17;
        self.state ^= self.state << 5;
        let r = self.state >> 3;
        let most = if self.state & 7 == 0 { 7 } else { self.most };
        Some((1 + r % most) as usize)
    }
}

/// The one-call path: `push` each piece, then `finish`.
fn in_pieces(doc: &[u8], mut sizes: Pieces, opts: &Options) -> Result<Loaded, FeedError> {
    let mut stream = FeedStream::new(opts);
    let mut rest = doc;
    while !rest.is_empty() {
        let n = sizes.next().unwrap_or(1).clamp(1, rest.len());
        stream.push(&rest[..n]);
        rest = &rest[n..];
        // Bounded by what arrived: at most the part before the activities list held
        // twice (kept aside, and still in the buffer until the list's bytes are let go).
        assert!(stream.bytes_held() <= 2 * (doc.len() - rest.len()));
    }
    match stream.finish(opts) {
        Finished::Read(read) => read,
        Finished::Whole => feed::load(doc, opts),
    }
}

/// The browser's path: add each piece, read at most `per_read` items after it, the rest
/// once all has arrived, and run the whole-feed checks `per_read` records at a time.
fn in_steps(
    doc: &[u8],
    mut sizes: Pieces,
    per_read: usize,
    opts: &Options,
) -> Result<Loaded, FeedError> {
    let mut stream = FeedStream::new(opts);
    let mut rest = doc;
    let mut seen = 0;
    while !rest.is_empty() {
        let n = sizes.next().unwrap_or(1).clamp(1, rest.len());
        let piece = &rest[..n];
        stream.add_with(n, |into| into.copy_from_slice(piece));
        rest = &rest[n..];
        stream.read(per_read);
        // What has been read so far can be shown, and only grows.
        let now = stream.activities_read();
        assert!(now >= seen && now - seen <= per_read);
        assert_eq!(stream.read_from(seen).count(), now - seen);
        seen = now;
    }
    while stream.read(per_read) {}
    match stream.finishing(opts) {
        Finishing::Check(mut checks) => {
            while !checks.step(per_read) {}
            Ok(checks.done())
        }
        Finishing::Done(Finished::Read(read)) => read,
        Finishing::Done(Finished::Whole) => feed::load(doc, opts),
    }
}

/// The link parser on any text: a query written out and read again is the same query,
/// and the finder's state is read from it (and written back) without a panic.
pub fn link(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let q = Query::parse(&text);
    let written = q.to_query_string();
    assert_eq!(Query::parse(&written), q, "{text:?} -> {written:?}");
    let state = FinderState::from_query(&q);
    let again = state.to_query(&q).to_query_string();
    let _ = FinderState::from_query(&Query::parse(&again));
}

/// Options chosen by a number taken from the input (its length), so the category
/// options are fuzzed without a byte of the document spent on them.
fn options(n: usize) -> Options {
    match n % 4 {
        0 | 1 => Options::default(),
        2 => Options {
            force_category: Some(if n % 8 == 2 { "green" } else { "fuzzed" }.into()),
            ..Options::default()
        },
        _ => Options {
            category_rules: vec![("walk".into(), "green".into()), ("a".into(), "new".into())],
            ..Options::default()
        },
    }
}

fn assert_same(a: &Result<Loaded, FeedError>, b: &Result<Loaded, FeedError>, what: &str) {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.shape, b.shape, "{what}");
            assert_eq!(a.feed, b.feed, "{what}");
            assert_eq!(a.problems, b.problems, "{what}");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "{what}"),
        _ => panic!("{what} disagree: {a:?} / {b:?}"),
    }
}

/// Every successful load keeps the core's guarantees (`Loaded::broken_guarantee`).
fn check_invariants(l: &Loaded) {
    assert_eq!(l.broken_guarantee(), None);
}
