//! Reading a feed while it downloads.
//!
//! [`FeedStream`] takes the document in pieces as the network delivers them and reads
//! each of our format's activities as soon as its last byte has arrived, so reading
//! overlaps the download instead of following it, and an activity's bytes can be let go
//! once it is read. The result is always exactly what [`load`](super::load) gives for
//! the whole document. Anything the stream does not read itself (another shape, a
//! document that is not JSON, an odd top level) ends as [`Finished::Whole`]: the caller
//! then reads the whole document with `load` (the browser keeps a copy of the download
//! for that, and for saving).
//!
//! serde_json parses each activity straight from the bytes received (an activity that
//! has not all arrived yet is tried again with more); a small byte scan follows strings
//! and brackets only to step over the other top-level values. At the end the top-level
//! object is parsed with the activities list replaced by `[]`. If that parses, the
//! original did too, so JSON errors are never missed; their line and column come from
//! `load`.

use super::json::Lite;
use super::{native, Checks, FeedError, Loaded, Options, Out};

/// What a finished stream made of its document.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "made once per feed read and taken apart at once: boxing would only add an allocation"
)]
pub enum Finished {
    /// Read (or refused, with the reason) exactly as [`load`](super::load) would.
    Read(Result<Loaded, FeedError>),
    /// Not something the stream reads itself (another shape, a document that is not
    /// JSON, an odd top level): read the whole document with `load`, which also says
    /// exactly what is wrong and where. The stream kept no copy of it.
    Whole,
}

/// What [`FeedStream::finishing`] made of its document.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "made once per feed read and taken apart at once: boxing would only add an allocation"
)]
pub enum Finishing {
    /// Read, with the whole-feed checks still to run, a slice at a time.
    Check(Box<Checks>),
    /// Already known: as [`FeedStream::finish`] says.
    Done(Finished),
}

/// Records nested deeper than this are left to `load`, so serde_json's depth limit
/// (128, counted from the document's top) gives the same answer as for the whole.
const MAX_RECORD_DEPTH: u32 = 100;

/// A feed document arriving in pieces. [`push`](Self::push) each piece, then
/// [`finish`](Self::finish).
///
/// Only what is still needed is kept: the document before the activities list, the
/// activity being received, and what follows the list. An activity's bytes are let go
/// as soon as it has been read, so a large feed is never held whole in memory here.
pub struct FeedStream {
    /// The part of the document still needed, from the start or from the first
    /// activity not yet read.
    bytes: Vec<u8>,
    /// Bytes received, kept or not (over the size limit they are only counted).
    received: usize,
    limit: usize,
    /// Where the scan has got to in `bytes`.
    pos: usize,
    state: State,
    /// The document before the activities list, once the list has started.
    before_list: Option<Vec<u8>>,
    /// Where the list ended in `bytes` (nothing is let go after that).
    list_end: Option<usize>,
    /// Activities read so far, and their problems.
    out: Out,
    /// How many list items have been read (each gets `/activities/{i}`).
    items: usize,
    /// How long the whole document is said to be (its Content-Length), if known.
    expected: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Before the top-level `{` (a byte-order mark and whitespace may come first).
    Start,
    /// In the top object, where a key (or, when `first`, the closing `}`) comes next.
    Key { first: bool },
    /// Inside a key string that started at `start` (just after its quote).
    InKey { start: usize },
    /// After a key; `activities` says whether it was that one.
    Colon { activities: bool },
    /// Where the key's value starts.
    Value { activities: bool },
    /// Skipping over a top-level value other than the activities list.
    Skip(Skip),
    /// After a top-level value: `,` or `}`.
    AfterValue,
    /// In the activities list, where an item (or, when `first`, the closing `]`) comes.
    Item { first: bool },
    /// After a list item: `,` or `]`.
    AfterItem,
    /// After the top-level object: nothing but whitespace may follow.
    End,
    /// Not something the stream reads itself: `load` reads the whole document at the end.
    Whole,
}

/// How far into one JSON value the scan has got.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Skip {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// A number or literal: it ends at the first byte that cannot belong to it.
    scalar: bool,
}

impl Skip {
    fn starting(b: u8) -> Skip {
        let depth = u32::from(matches!(b, b'{' | b'['));
        Skip {
            depth,
            in_string: b == b'"',
            escaped: false,
            scalar: !matches!(b, b'{' | b'[' | b'"'),
        }
    }

    /// Scan `bytes` from `i` (the value's first byte already taken into account when
    /// `i` is past it). Returns where the value ends (one past its last byte), or
    /// `None` when it goes on past the end of `bytes`; `self` then holds where it was.
    fn run(&mut self, bytes: &[u8], mut i: usize) -> Option<usize> {
        while i < bytes.len() {
            if self.in_string {
                // The fast path: jump to the next quote or backslash.
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                match bytes[i..].iter().position(|&b| b == b'"' || b == b'\\') {
                    None => return None,
                    Some(k) => {
                        i += k;
                        if bytes[i] == b'\\' {
                            self.escaped = true;
                        } else {
                            self.in_string = false;
                            if self.depth == 0 {
                                return Some(i + 1);
                            }
                        }
                        i += 1;
                        continue;
                    }
                }
            }
            let b = bytes[i];
            if self.scalar {
                if matches!(b, b',' | b'}' | b']') || is_space(b) {
                    return Some(i);
                }
                i += 1;
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// JSON's whitespace (as serde_json reads it).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

impl FeedStream {
    pub fn new(opts: &Options) -> FeedStream {
        FeedStream {
            bytes: Vec::new(),
            received: 0,
            limit: super::limit(opts),
            pos: 0,
            state: State::Start,
            before_list: None,
            list_end: None,
            out: Out::default(),
            items: 0,
            expected: None,
        }
    }

    /// Say how many bytes the whole document has (a response's Content-Length), so the
    /// list of activities can be sized once for all of them instead of growing by
    /// doubling: each doubling copies every activity read so far, and with a large feed
    /// that one copy blocks the page long enough to notice on a slow phone.
    pub fn expect(&mut self, total: usize) {
        self.expected = Some(total).filter(|&t| t > 0);
    }

    /// Make room for the activities still to come once enough have been read to judge
    /// their size: the document's length over the bytes each has taken so far.
    fn make_room(&mut self) {
        const JUDGE_AFTER: usize = 64;
        let list = &mut self.out.activities;
        let Some(total) = self.expected.map(|t| t.min(self.limit)) else {
            return;
        };
        if list.len() != list.capacity() || self.items < JUDGE_AFTER {
            return;
        }
        // Only once: were the guess short, the list grows as usual from there.
        self.expected = None;
        let used = self.received - (self.bytes.len() - self.pos);
        let estimate = (total as f64 / used.max(1) as f64 * self.items as f64 * 1.05) as usize;
        let room = estimate.min(total / 32).saturating_sub(list.len());
        list.reserve_exact(room);
    }

    /// Add the next piece of the document, reading every activity it completes. (The
    /// browser uses [`add_with`](Self::add_with) and [`read`](Self::read) instead, to
    /// copy each network chunk in place and spread the reading out.)
    pub fn push(&mut self, piece: &[u8]) {
        self.add_with(piece.len(), |dst| dst.copy_from_slice(piece));
        self.read(usize::MAX);
    }

    /// Add the next `len` bytes without reading them yet: [`read`](Self::read) does, a
    /// few activities at a time, so a caller can spread the reading out and let the
    /// page paint and answer input in between.
    pub fn add_with(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) {
        self.received += len;
        if self.received > self.limit {
            // Too large: `finish` says so. Keep counting, keep nothing.
            self.state = State::Whole;
        }
        if self.state == State::Whole {
            self.bytes = Vec::new();
            return;
        }
        let at = self.bytes.len();
        self.bytes.resize(at + len, 0);
        fill(&mut self.bytes[at..]);
    }

    /// Read up to `max` more list items from what has arrived. True when it stopped
    /// at `max` (more may be ready); false when it needs more bytes (or the rest is
    /// left to `load`).
    pub fn read(&mut self, max: usize) -> bool {
        let more = self.scan(max);
        if self.state == State::Whole {
            self.bytes = Vec::new();
        } else if matches!(self.state, State::Item { .. } | State::AfterItem)
            && (!more || self.pos * 2 >= self.bytes.len())
        {
            // Inside the list: the activities read so far are no longer needed. (While
            // more are ready, only once they are half the buffer, so letting go stays
            // one copy per byte however small the steps.)
            self.bytes.drain(..self.pos);
            self.pos = 0;
        }
        more
    }

    /// How many bytes of the document the stream holds now (the fuzz target checks
    /// it stays bounded by what has arrived).
    pub fn bytes_held(&self) -> usize {
        self.bytes.len() + self.before_list.as_ref().map_or(0, Vec::len)
    }

    /// How many activities have been read so far (for progress).
    pub fn activities_read(&self) -> usize {
        self.out.activities.len()
    }

    /// The activities read so far, in feed order, from the `from`th on (to show them
    /// while the rest arrives). Whole-feed checks come at [`finish`](Self::finish), so a
    /// few of these may yet be turned away.
    pub fn read_from(&self, from: usize) -> impl Iterator<Item = &crate::model::Activity> {
        self.out.activities.get(from..).unwrap_or_default().iter()
    }

    /// The document is complete: the feed it holds, exactly as [`load`](super::load)
    /// reads it, or [`Finished::Whole`] when only `load` can say.
    pub fn finish(self, opts: &Options) -> Finished {
        match self.finishing(opts) {
            Finishing::Check(mut checks) => {
                while !checks.step(usize::MAX) {}
                Finished::Read(Ok(checks.done()))
            }
            Finishing::Done(finished) => finished,
        }
    }

    /// The same, with the whole-feed checks of a feed the stream has read left for the
    /// caller to run a slice at a time.
    pub fn finishing(mut self, opts: &Options) -> Finishing {
        if self.received > self.limit {
            return Finishing::Done(Finished::Read(Err(FeedError::TooLarge {
                size: self.received,
                limit: self.limit,
            })));
        }
        let (State::End, Some(before), Some(end)) =
            (self.state, self.before_list.take(), self.list_end)
        else {
            return Finishing::Done(Finished::Whole);
        };
        // The top-level object with an empty list where the activities were.
        let mut head = before;
        head.extend_from_slice(b"[]");
        head.extend_from_slice(&self.bytes[end..]);
        match super::parse_top(&head) {
            Ok(native::Top::Native { head, records })
                if records.activities.is_empty() && records.problems.is_empty() =>
            {
                let records = std::mem::take(&mut self.out);
                Finishing::Check(Box::new(super::native_checks(head, records, opts)))
            }
            _ => Finishing::Done(Finished::Whole),
        }
    }

    /// Move the scan as far as the bytes received allow, or until `max` list items
    /// have been read (then true).
    fn scan(&mut self, max: usize) -> bool {
        let start = self.items;
        loop {
            if self.items - start >= max {
                return true;
            }
            let Some(next) = self.step() else {
                return false;
            };
            self.state = next;
        }
    }

    /// One step of the scan: the next state, or `None` when more bytes are needed (or
    /// nothing more is to be done).
    fn step(&mut self) -> Option<State> {
        let bytes = &self.bytes;
        match self.state {
            State::Whole => None,
            State::InKey { start } => {
                let k = bytes[self.pos..].iter().position(|&b| b == b'"')?;
                let key = &bytes[start..self.pos + k];
                self.pos += k + 1;
                if key.contains(&b'\\') {
                    // An escaped key might spell "activities": leave it to `load`.
                    return Some(State::Whole);
                }
                Some(State::Colon {
                    activities: key == b"activities",
                })
            }
            State::Skip(mut skip) => match skip.run(bytes, self.pos) {
                Some(end) => {
                    self.pos = end;
                    Some(State::AfterValue)
                }
                None => {
                    self.pos = bytes.len();
                    self.state = State::Skip(skip);
                    None
                }
            },
            State::Start
                if self.pos == 0 && bytes.len() < 3 && b"\xEF\xBB\xBF".starts_with(bytes) =>
            {
                None // perhaps a byte-order mark: wait for more
            }
            State::Start if self.pos == 0 && bytes.starts_with(b"\xEF\xBB\xBF") => {
                self.pos = 3;
                Some(State::Start)
            }
            state => {
                // Every other state looks at the next byte that is not whitespace.
                let k = bytes[self.pos..].iter().position(|&b| !is_space(b))?;
                self.pos += k;
                let b = bytes[self.pos];
                self.pos += 1;
                Some(match (state, b) {
                    (State::Start, b'{') => State::Key { first: true },
                    (State::Key { first: true }, b'}') => State::End,
                    (State::Key { .. }, b'"') => State::InKey { start: self.pos },
                    (State::Colon { activities }, b':') => State::Value { activities },
                    (State::Value { activities: true }, b'[') => {
                        if self.before_list.is_some() {
                            // "activities" twice: the last one counts, and `load` knows how.
                            return Some(State::Whole);
                        }
                        self.before_list = Some(bytes[..self.pos - 1].to_vec());
                        State::Item { first: true }
                    }
                    // The value's first byte is taken: the scan goes on from the next.
                    (State::Value { .. }, b) => State::Skip(Skip::starting(b)),
                    (State::AfterValue, b',') => State::Key { first: false },
                    (State::AfterValue, b'}') => State::End,
                    (State::Item { first: true }, b']') | (State::AfterItem, b']') => {
                        self.list_end = Some(self.pos);
                        State::AfterValue
                    }
                    (State::Item { .. }, _) => {
                        self.pos -= 1;
                        return self.read_item();
                    }
                    (State::AfterItem, b',') => State::Item { first: false },
                    _ => State::Whole,
                })
            }
        }
    }

    /// Read the list item at `pos` as an activity, if all of it has arrived.
    fn read_item(&mut self) -> Option<State> {
        let bytes = &self.bytes[self.pos..];
        let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Lite>();
        // An error may only mean the item has not all arrived: try again with more
        // bytes. (Were it a real error, the item never ends and `load` reports it.)
        let Some(Ok(v)) = values.next() else {
            return None;
        };
        let end = values.byte_offset();
        if end == bytes.len() {
            return None; // a number could go on in the next piece
        }
        if depth(&v) > MAX_RECORD_DEPTH {
            return Some(State::Whole);
        }
        let at = format!("/activities/{}", self.items);
        self.items += 1;
        if let Some(a) = native::record(&v, &at, None, &mut self.out) {
            self.make_room();
            self.out.add(at, a);
        }
        self.pos += end;
        Some(State::AfterItem)
    }
}

/// How deeply arrays and objects nest in `v` (a scalar is 0).
fn depth(v: &Lite) -> u32 {
    match v {
        Lite::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Lite::Object(fields) => 1 + fields.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_length_sizes_the_list_once() {
        // Sized from the length, the list has room for every activity once room is
        // made: it is never moved (every activity read so far copied) after that.
        // (How a list grows without a length is std's business, not asserted here.)
        let bytes = crate::feed::generate::feed_bytes(1500, 7);
        let mut stream = FeedStream::new(&Options::default());
        stream.expect(bytes.len());
        let mut sized_at = None;
        for piece in bytes.chunks(4096) {
            stream.push(piece);
            let list = &stream.out.activities;
            if stream.expected.is_none() {
                let at = *sized_at.get_or_insert(list.as_ptr());
                assert_eq!(at, list.as_ptr(), "moved after {} activities", list.len());
            }
        }
        assert!(sized_at.is_some(), "room was never made");
        assert_eq!(stream.out.activities.len(), 1500);
    }

    #[test]
    fn a_length_that_lies_costs_nothing_but_room() {
        // Too short a length: the list grows as usual past the guess.
        let bytes = crate::feed::generate::feed_bytes(300, 7);
        let mut stream = FeedStream::new(&Options::default());
        stream.expect(bytes.len() / 10);
        stream.push(&bytes);
        assert_eq!(stream.out.activities.len(), 300);
        // Far too long: the room asked for is bounded by the size limit.
        let mut stream = FeedStream::new(&Options::default());
        stream.expect(usize::MAX);
        stream.push(&bytes);
        let per_item = bytes.len() / 300;
        assert!(
            stream.out.activities.capacity()
                <= super::super::limit(&Options::default()) / per_item * 2
        );
    }
}
