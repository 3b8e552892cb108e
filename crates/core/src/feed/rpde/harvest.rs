//! Reading an RPDE feed page by page: a state machine that does no I/O. Its driver
//! fetches the URL it is told, hands the bytes back, and repeats until it is told the
//! feed is finished or has stopped.

use super::records::{Merge, Modified, Record, Records};
use super::url::host;
use crate::feed::check::{text, truncate};
use crate::feed::{Outcome, Problem};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// When a harvest gives up and says the feed is larger than it will read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Pages read before stopping (default 2,000).
    pub max_pages: usize,
    /// Items read, counting every version and delete (default 250,000).
    pub max_items: usize,
    /// The largest page accepted, in bytes (default 16 MiB).
    pub max_page_bytes: usize,
}

impl Default for Limits {
    /// Enough for the 100,000 live activities the app plans for, each updated a
    /// couple of times, at the usual 500 items a page; a page of 16 MiB is far above
    /// any real publisher's and still small enough to parse in the browser.
    fn default() -> Self {
        Limits {
            max_pages: 2_000,
            max_items: 250_000,
            max_page_bytes: 16 * 1024 * 1024,
        }
    }
}

/// What the driver does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Fetch this URL and pass it to [`Harvest::read_page`].
    Fetch(String),
    /// The last page was read: the feed is complete.
    Finished,
    /// Reading stopped early ([`Harvest::stopped`] says why). Everything read before
    /// is kept and usable.
    Stopped,
}

/// Why a harvest stopped before the feed's last page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Stop {
    #[error("The feed's first URL \"{url}\" is not an absolute http(s) URL.")]
    BadStart { url: String },
    #[error("The page {url} links back to page {page} already read ({next}): the feed loops, so reading stopped there.")]
    Loop {
        url: String,
        next: String,
        page: usize,
    },
    #[error("The page {url} gives its next page as {next}, which is on another host; a feed's pages must all be on {expected}, so reading stopped there.")]
    OtherHost {
        url: String,
        next: String,
        expected: String,
    },
    #[error("The page {url} gives its next page as \"{next}\", which is not an absolute http(s) address (as RPDE requires), so reading stopped there.")]
    NotAbsolute { url: String, next: String },
    #[error("The page {url} has no \"next\" URL, so it cannot tell whether more pages follow; reading stopped there.")]
    NoNext { url: String },
    #[error("The page {url} is not an RPDE page ({detail}), so reading stopped there.")]
    Malformed { url: String, detail: String },
    #[error("The page {url} is {size} bytes, over the limit of {limit} bytes a page, so reading stopped there.")]
    TooLarge {
        url: String,
        size: usize,
        limit: usize,
    },
    #[error("The page {url} could not be fetched ({reason}), so reading stopped there.")]
    Fetch { url: String, reason: String },
    #[error("{url} was given, but the page to read next is {expected}.")]
    WrongPage { url: String, expected: String },
    #[error("The feed is larger than this reader takes: it stopped after {pages} pages (its limit); the records read so far are shown.")]
    PageLimit { pages: usize },
    #[error("The feed is larger than this reader takes: it stopped after {items} items (its limit); the records read so far are shown.")]
    ItemLimit { items: usize },
}

/// How far a harvest has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Pages read and merged.
    pub pages: usize,
    /// Items read, every version and delete counted.
    pub items: usize,
    /// Records live now (read and not deleted).
    pub live: usize,
}

/// A harvest saved to carry on later ([`Harvest::snapshot`], [`Harvest::resume`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The page to read next; once finished, the feed's last page.
    pub next: String,
    pub finished: bool,
    /// Why reading stopped, when it did (for people; resuming reads `next` again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Every record, tombstones included, in the order first read.
    pub records: Vec<SavedRecord>,
    /// Items that could not be merged.
    #[serde(default)]
    pub problems: Vec<SavedProblem>,
}

/// One record of a [`Snapshot`]: a [`Record`] with its `modified` as RPDE writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRecord {
    pub kind: String,
    pub id: String,
    pub modified: Value,
    /// `None` for a deleted record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    pub at: String,
}

/// One item problem of a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedProblem {
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Reading,
    Finished,
    Stopped(Stop),
}

/// One RPDE feed being read: the pages so far merged into [`Records`].
///
/// ```
/// use activity_map_core::feed::rpde::{Harvest, Limits, Step};
///
/// let first = "https://feeds.example.org/session-series";
/// let mut h = Harvest::new(first, Limits::default()).unwrap();
/// let page1 = br#"{"next": "https://feeds.example.org/session-series?afterId=a1",
///     "items": [{"state": "updated", "kind": "SessionSeries", "id": "a1", "modified": 3,
///                "data": {"@type": "SessionSeries", "name": "Chair yoga"}}]}"#;
/// let next = h.read_page(first, page1);
/// assert_eq!(next, Step::Fetch("https://feeds.example.org/session-series?afterId=a1".into()));
/// // The last page: no items, and `next` is its own URL.
/// let url = "https://feeds.example.org/session-series?afterId=a1";
/// let last = br#"{"next": "https://feeds.example.org/session-series?afterId=a1", "items": []}"#;
/// assert_eq!(h.read_page(url, last), Step::Finished);
/// assert_eq!(h.progress().live, 1);
/// assert_eq!(h.records().get("a1").unwrap().kind, "SessionSeries");
/// ```
#[derive(Debug, Clone)]
pub struct Harvest {
    host: String,
    limits: Limits,
    /// The page to read next, while reading.
    next: String,
    /// Every page URL read, with its number (1-based), to catch a loop.
    read: HashMap<String, usize>,
    /// Pages read (a page polled again counts again).
    pages: usize,
    records: Records,
    problems: Vec<Problem>,
    items: usize,
    state: State,
}

impl Harvest {
    /// Start reading the feed whose first page is `first_url`.
    pub fn new(first_url: &str, limits: Limits) -> Result<Harvest, Stop> {
        let first = first_url.trim();
        let host = host(first).ok_or_else(|| Stop::BadStart {
            url: truncate(first, 200),
        })?;
        Ok(Harvest {
            host,
            limits,
            next: first.to_string(),
            read: HashMap::new(),
            pages: 0,
            records: Records::default(),
            problems: Vec::new(),
            items: 0,
            state: State::Reading,
        })
    }

    /// What this harvest needs to carry on later, in another run of the driver: the page
    /// to read next (or, once finished, the last page, which [`poll`](Self::poll) reads
    /// again), every record with its tombstones, and the item problems. The driver
    /// stores it as it likes (it is serde data; a native harvester writes it as JSON).
    pub fn snapshot(&self) -> Snapshot {
        let records = self
            .records
            .all()
            .map(|r| SavedRecord {
                kind: r.kind.clone(),
                id: r.id.clone(),
                modified: match &r.modified {
                    Modified::Number(n) => i64::try_from(*n)
                        .map(Value::from)
                        .unwrap_or_else(|_| Value::String(n.to_string())),
                    Modified::Text(t) => Value::String(t.clone()),
                },
                data: r.data.clone(),
                at: r.at.clone(),
            })
            .collect();
        Snapshot {
            next: self.next.clone(),
            finished: self.state == State::Finished,
            stopped: self.stopped().map(ToString::to_string),
            records,
            problems: self
                .problems
                .iter()
                .map(|p| SavedProblem {
                    at: p.at.clone(),
                    record: p.record.clone(),
                    message: p.message.clone(),
                })
                .collect(),
        }
    }

    /// Carry on from a [`snapshot`](Self::snapshot). A finished harvest stays finished
    /// (call [`poll`](Self::poll) to read on); one that was reading or had stopped reads
    /// `next` again, so a page that failed is tried once more. The counts in
    /// [`progress`](Self::progress), and so the [`Limits`], start again from zero: they
    /// measure one run's work, while the records are the feed's.
    ///
    /// ```
    /// use activity_map_core::feed::rpde::{Harvest, Limits, Snapshot, Step};
    ///
    /// let first = "https://x.org/feed";
    /// let mut h = Harvest::new(first, Limits::default()).unwrap();
    /// h.read_page(first, br#"{"next": "https://x.org/feed?after=1", "items": [{"state": "updated",
    ///     "kind": "SessionSeries", "id": "a", "modified": 1, "data": {"name": "Yoga"}}]}"#);
    /// let saved: String = serde_json::to_string(&h.snapshot()).unwrap();
    ///
    /// let back: Snapshot = serde_json::from_str(&saved).unwrap();
    /// let h = Harvest::resume(back, Limits::default()).unwrap();
    /// assert_eq!(h.next_url(), Some("https://x.org/feed?after=1"));
    /// assert_eq!(h.records().get("a").unwrap().kind, "SessionSeries");
    /// ```
    pub fn resume(saved: Snapshot, limits: Limits) -> Result<Harvest, Stop> {
        let mut h = Harvest::new(&saved.next, limits)?;
        for r in saved.records {
            let Some(modified) = Modified::read(&r.modified) else {
                continue;
            };
            h.records.apply(Record {
                kind: r.kind,
                id: r.id,
                modified,
                data: r.data,
                at: r.at,
            });
        }
        h.problems = saved
            .problems
            .into_iter()
            .map(|p| Problem {
                at: p.at,
                record: p.record,
                message: p.message,
                outcome: Outcome::Skipped,
            })
            .collect();
        if saved.finished {
            h.state = State::Finished;
        }
        Ok(h)
    }

    /// The URL to fetch next, or `None` once finished or stopped.
    pub fn next_url(&self) -> Option<&str> {
        (self.state == State::Reading).then_some(self.next.as_str())
    }

    /// The step the driver is at now.
    pub fn step(&self) -> Step {
        match &self.state {
            State::Reading => Step::Fetch(self.next.clone()),
            State::Finished => Step::Finished,
            State::Stopped(_) => Step::Stopped,
        }
    }

    /// Read the page fetched from `url` and merge its items. `url` is the one
    /// [`next_url`](Self::next_url) gave (not where redirects led), since a page's
    /// `next` is compared with it. Calling it after the end changes nothing.
    pub fn read_page(&mut self, url: &str, bytes: &[u8]) -> Step {
        if self.state != State::Reading {
            return self.step();
        }
        if url != self.next {
            return self.stop(Stop::WrongPage {
                url: truncate(url, 200),
                expected: self.next.clone(),
            });
        }
        if bytes.len() > self.limits.max_page_bytes {
            return self.stop(Stop::TooLarge {
                url: url.to_string(),
                size: bytes.len(),
                limit: self.limits.max_page_bytes,
            });
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut page: Value = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => {
                return self.stop(Stop::Malformed {
                    url: url.to_string(),
                    detail: format!("not JSON: {e}"),
                })
            }
        };
        // Taken out of the page, so each item's data moves into the records uncopied.
        let items = match page.get_mut("items") {
            Some(Value::Array(items)) => std::mem::take(items),
            _ => {
                return self.stop(Stop::Malformed {
                    url: url.to_string(),
                    detail: "it has no \"items\" list".into(),
                })
            }
        };
        self.pages += 1;
        self.read.insert(url.to_string(), self.pages);
        let empty = items.is_empty();
        for (i, item) in items.into_iter().enumerate() {
            if self.items >= self.limits.max_items {
                return self.stop(Stop::ItemLimit { items: self.items });
            }
            self.items += 1;
            self.merge(item, &format!("{url}#/items/{i}"));
        }
        self.follow(url, empty, page.get("next"))
    }

    /// Once finished, read the last page again for what has changed since: RPDE's
    /// way of keeping up with a feed. A driver that keeps a harvest calls this after a
    /// wait, then drives it as before. Does nothing unless finished.
    pub fn poll(&mut self) -> Step {
        if self.state == State::Finished {
            // The last page is read again on purpose; it is no loop.
            self.read.remove(&self.next);
            self.state = State::Reading;
        }
        self.step()
    }

    /// Tell the harvest the page at `url` could not be fetched (a network error or an
    /// HTTP status); it stops, keeping what it has.
    pub fn fetch_failed(&mut self, url: &str, reason: &str) -> Step {
        if self.state != State::Reading {
            return self.step();
        }
        self.stop(Stop::Fetch {
            url: truncate(url, 200),
            reason: truncate(reason, 200),
        })
    }

    /// Where a page's `next` leads.
    fn follow(&mut self, url: &str, empty: bool, next: Option<&Value>) -> Step {
        let Some(next) = next.and_then(Value::as_str).map(str::trim) else {
            return self.stop(Stop::NoNext {
                url: url.to_string(),
            });
        };
        // The last page: nothing in it, and it points at itself. (An empty page that
        // points elsewhere is not the end: a publisher may page past filtered items.)
        if empty && next == url {
            self.state = State::Finished;
            return Step::Finished;
        }
        let next_host = match host(next) {
            Some(h) => h,
            None => {
                return self.stop(Stop::NotAbsolute {
                    url: url.to_string(),
                    next: truncate(next, 200),
                })
            }
        };
        if next_host != self.host {
            return self.stop(Stop::OtherHost {
                url: url.to_string(),
                next: truncate(next, 200),
                expected: self.host.clone(),
            });
        }
        if let Some(&page) = self.read.get(next) {
            return self.stop(Stop::Loop {
                url: url.to_string(),
                next: next.to_string(),
                page,
            });
        }
        if self.pages >= self.limits.max_pages {
            return self.stop(Stop::PageLimit { pages: self.pages });
        }
        self.next = next.to_string();
        Step::Fetch(self.next.clone())
    }

    fn stop(&mut self, why: Stop) -> Step {
        self.state = State::Stopped(why);
        Step::Stopped
    }

    /// Merge one item, or report why it cannot be.
    fn merge(&mut self, item: Value, at: &str) {
        let Value::Object(mut o) = item else {
            self.problem(
                at,
                None,
                "each item must be an object with state, kind, id, modified and data".into(),
            );
            return;
        };
        let id = text(o.get("id"));
        let Some(id) = id else {
            self.problem(at, None, "item has no id (text or a number)".into());
            return;
        };
        let state = o
            .get("state")
            .and_then(Value::as_str)
            .map(|s| s.trim().to_ascii_lowercase());
        let deleted = match state.as_deref() {
            Some("updated") => false,
            Some("deleted") => true,
            _ => {
                self.problem(
                    at,
                    Some(&id),
                    "item \"state\" must be \"updated\" or \"deleted\"".into(),
                );
                return;
            }
        };
        let Some(kind) = text(o.get("kind")) else {
            self.problem(at, Some(&id), "item has no \"kind\"".into());
            return;
        };
        let Some(modified) = o.get("modified").and_then(Modified::read) else {
            self.problem(
                at,
                Some(&id),
                "item has no usable \"modified\" (a whole number), so it cannot be ordered against other versions".into(),
            );
            return;
        };
        let data = if deleted {
            None
        } else {
            match o.remove("data") {
                Some(d @ Value::Object(_)) => Some(d),
                _ => {
                    self.problem(
                        at,
                        Some(&id),
                        "an \"updated\" item must carry its record as an object in \"data\"".into(),
                    );
                    return;
                }
            }
        };
        let merge = self.records.apply(Record {
            kind: kind.clone(),
            id: id.clone(),
            modified,
            data,
            at: at.to_string(),
        });
        if let Merge::KindChanged { was } = merge {
            self.problem(
                at,
                Some(&id),
                format!(
                    "id \"{}\" was read earlier as kind \"{}\" and now as \"{}\"; an RPDE id keeps its kind, so this item is left out",
                    truncate(&id, 60),
                    truncate(&was, 60),
                    truncate(&kind, 60)
                ),
            );
        }
    }

    fn problem(&mut self, at: &str, record: Option<&str>, message: String) {
        self.problems.push(Problem {
            at: at.to_string(),
            record: record.map(str::to_string),
            message,
            outcome: Outcome::Skipped,
        });
    }

    /// How far it has got.
    pub fn progress(&self) -> Progress {
        Progress {
            pages: self.pages,
            items: self.items,
            live: self.records.len(),
        }
    }

    /// The records merged so far.
    pub fn records(&self) -> &Records {
        &self.records
    }

    /// Items that could not be merged, with where they were.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Why reading stopped early, if it did.
    pub fn stopped(&self) -> Option<&Stop> {
        match &self.state {
            State::Stopped(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }
}
