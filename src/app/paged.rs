//! Feeds published as many pages rather than one document: an OpenActive RPDE feed
//! followed to its last page, the feeds an OpenActive dataset site lists (harvested
//! one after another and joined: sessions to their series), and an Open Referral UK
//! API's services with their places. The core does the reading and merging without
//! I/O (`feed::rpde`, `feed::oruk::{paging, merge}`); this drives it with `loader`'s
//! fetches, shows the pins read so far while pages arrive, and says plainly when
//! only part of a feed could be read.

use super::browser;
use super::loader::{self, PageError};
use super::state::Finder;
use crate::feed::oruk::{merge::Merge, paging};
use crate::feed::rpde::{dataset_site, join, Harvest, Limits, Stop};
use crate::feed::{Loaded, Options};
use crate::lang::Messages;
use leptos::prelude::*;
use serde_json::Value;
use std::collections::{HashSet, VecDeque};

/// The most services looked up one by one for a place, when an ORUK API has no
/// `/service_at_locations` list: each is a request of its own.
const MAX_DETAILS: usize = 100;
/// The pins so far are rebuilt at most this often, and never for more than a tenth of
/// the time (a rebuild reads every record read so far again).
const PREVIEW_MS: f64 = 400.0;
const PREVIEW_SHARE: f64 = 10.0;
/// Past this many records the pins so far are no longer rebuilt (the count goes on):
/// a rebuild is one task, and on a large feed it would block the page for long.
const PREVIEW_MAX_RECORDS: usize = 5_000;

/// A first document that names more pages to read.
pub enum First {
    /// An RPDE page (its absolute URL, and its bytes) whose `next` leads on.
    Rpde(String, Vec<u8>),
    /// The first pages of the feeds an OpenActive dataset site lists.
    Site(Vec<String>),
    /// An ORUK list page (its absolute URL and document), or only the URL of the
    /// services list when the first document was the API's own description.
    Oruk(String, Option<Value>),
}

/// What the document fetched from `url` (absolute) says about the rest: `None` for a
/// document that is a whole feed by itself.
pub fn first(url: &str, bytes: &[u8]) -> Option<First> {
    let Ok(doc) = serde_json::from_slice::<Value>(bytes) else {
        // An HTML dataset site.
        return site(&String::from_utf8_lossy(bytes));
    };
    let obj = doc.as_object()?;
    if obj.get("items").is_some_and(Value::is_array) {
        // Only the last page (its `next` its own URL) is a whole feed by itself. Any
        // other is harvested, even when its `next` is missing, not absolute or on
        // another host (as in the standard's examples): the harvest then stops after
        // this page and says why, rather than the rest being left out unsaid.
        let next = obj.get("next").and_then(Value::as_str).map(str::trim);
        return (next != Some(url)).then(|| First::Rpde(url.to_string(), bytes.to_vec()));
    }
    if obj.contains_key("distribution") {
        return site(&String::from_utf8_lossy(bytes));
    }
    if obj.contains_key("openapi_url") {
        // The description an ORUK v3 API answers at its base URL.
        let base = url.split(['?', '#']).next().unwrap_or(url);
        return Some(First::Oruk(
            format!("{}/services", base.trim_end_matches('/')),
            None,
        ));
    }
    let more =
        paging::next_pages(url, &doc, paging::DEFAULT_MAX_PAGES).is_ok_and(|n| !n.urls.is_empty());
    (more || (paging::page_info(url, &doc).is_ok() && list_base(url).is_some()))
        .then(|| First::Oruk(url.to_string(), Some(doc)))
}

fn site(text: &str) -> Option<First> {
    // Series and facilities first: their pins show before their sessions' dates come.
    let (mut urls, rest): (Vec<_>, Vec<_>) = dataset_site::read(text)
        .ok()?
        .feeds
        .into_iter()
        .partition(|f| matches!(f.kind.as_str(), "SessionSeries" | "FacilityUse"));
    urls.extend(rest);
    (!urls.is_empty()).then(|| First::Site(urls.into_iter().map(|f| f.url).collect()))
}

/// Read every page, showing the pins so far in `finder.preview`. Besides the feed,
/// a note in plain words when only part of it could be read.
pub async fn read(
    first: First,
    opts: &Options,
    max_pages: Option<usize>,
    finder: Finder,
) -> Result<(Loaded, Option<PartNote>), loader::LoadError> {
    let mut pins = Pins::new(finder);
    match first {
        First::Rpde(url, bytes) => {
            Ok(harvest(vec![(url, Some(bytes))], opts, max_pages, &mut pins).await)
        }
        First::Site(urls) => {
            let feeds = urls.into_iter().map(|u| (u, None)).collect();
            Ok(harvest(feeds, opts, max_pages, &mut pins).await)
        }
        First::Oruk(url, doc) => oruk(url, doc, opts, max_pages, &mut pins).await,
    }
}

/// Progress on the status line and the pins read so far.
struct Pins {
    finder: Finder,
    /// Activities already among the preview's pins (the preview only grows).
    seen: HashSet<String>,
    last: Option<f64>,
    cost: f64,
}

impl Pins {
    fn new(finder: Finder) -> Pins {
        Pins {
            finder,
            seen: HashSet::new(),
            last: None,
            cost: 0.0,
        }
    }

    /// Whether it is time to rebuild the pins so far, from `records` records.
    fn due(&self, records: usize) -> bool {
        records <= PREVIEW_MAX_RECORDS
            && self
                .last
                .is_none_or(|t| browser::now() - t >= PREVIEW_MS.max(self.cost * PREVIEW_SHARE))
    }

    /// Count a page, and add the pins of `loaded` not shown yet, if given. A record
    /// deleted or moved by a later page keeps its faded pin until the end: the preview
    /// only grows, and the finished feed replaces it.
    async fn page(&mut self, pages: usize, read: usize, loaded: Option<Loaded>) {
        let start = browser::now();
        let (filters, today) = (self.finder.filters_now(), self.finder.today.get_value());
        let seen = &mut self.seen;
        self.finder.preview.update(|p| {
            if let Some(l) = &loaded {
                let new = l
                    .feed
                    .activities
                    .iter()
                    .filter(|a| seen.insert(a.id.clone()));
                p.add(new, &filters, &today);
            }
            p.pages = pages;
            p.read = read;
        });
        if loaded.is_some() {
            self.last = Some(browser::now());
            self.cost = browser::now() - start;
        }
        browser::yield_now().await;
    }
}

/// Follow each RPDE feed to its end, one after another, within one page limit for
/// all; then join them.
async fn harvest(
    feeds: Vec<(String, Option<Vec<u8>>)>,
    opts: &Options,
    max_pages: Option<usize>,
    pins: &mut Pins,
) -> (Loaded, Option<PartNote>) {
    let limit = Limits::default();
    let max = max_pages.map_or(limit.max_pages, |m| m.clamp(1, limit.max_pages));
    let today = pins.finder.today.get_value().date;
    let mut done: Vec<Harvest> = Vec::new();
    let (mut pages, mut items) = (0, 0);
    let mut note = None;
    for (url, mut bytes) in feeds {
        if pages >= max {
            note.get_or_insert(PartNote::Larger { pages, read: items });
            break;
        }
        let limits = Limits {
            max_pages: max - pages,
            ..limit
        };
        let Ok(mut h) = Harvest::new(&url, limits) else {
            continue;
        };
        while let Some(next) = h.next_url().map(str::to_owned) {
            match bytes.take() {
                Some(b) => h.read_page(&next, &b),
                None => match loader::fetch_page(&next).await {
                    Ok(b) => h.read_page(&next, &b),
                    Err(e) => {
                        let read = pages + h.progress().pages;
                        note = Some(PartNote::Broken {
                            read,
                            error: e.clone(),
                        });
                        h.fetch_failed(&next, &e.to_string())
                    }
                },
            };
            let p = h.progress();
            let live = done.iter().chain([&h]).map(|h| h.progress().live).sum();
            let joined = pins.due(live).then(|| {
                let all: Vec<&Harvest> = done.iter().chain([&h]).collect();
                join::load_upcoming(&all, opts, &today)
            });
            pins.page(pages + p.pages, items + p.items, joined).await;
        }
        pages += h.progress().pages;
        items += h.progress().items;
        match h.stopped() {
            Some(Stop::PageLimit { .. } | Stop::ItemLimit { .. }) => {
                note.get_or_insert(PartNote::Larger { pages, read: items });
            }
            Some(Stop::Fetch { .. }) | None => {}
            Some(other) => {
                note.get_or_insert_with(|| PartNote::Stopped {
                    read: pages,
                    why: other.to_string(),
                });
            }
        }
        done.push(h);
    }
    let all: Vec<&Harvest> = done.iter().collect();
    let mut loaded = join::load_upcoming(&all, opts, &today);
    // Where reading stopped is said by the note, not counted as a listing not shown.
    let stops: Vec<String> = done
        .iter()
        .filter_map(|h| Some(h.stopped()?.to_string()))
        .collect();
    loaded
        .problems
        .retain(|p| !stops.iter().any(|s| p.message.starts_with(s.as_str())));
    (loaded, note)
}

/// An ORUK API's services, page by page, then their places.
async fn oruk(
    url: String,
    doc: Option<Value>,
    opts: &Options,
    max_pages: Option<usize>,
    pins: &mut Pins,
) -> Result<(Loaded, Option<PartNote>), loader::LoadError> {
    let max = max_pages.map_or(paging::DEFAULT_MAX_PAGES, |m| {
        (m as u64).clamp(1, paging::DEFAULT_MAX_PAGES)
    });
    let mut merge = Merge::default();
    let mut list = List::default();
    let doc = match doc {
        Some(doc) => doc,
        None => page_doc(&url)
            .await
            .map_err(|e| loader::LoadError::Page(url.clone(), e))?,
    };
    let mut note = list.read(&url, doc, max, &mut merge, opts, pins).await;
    let wanted = merge.without_location();
    if let (false, Some(base)) = (wanted.is_empty(), list_base(&url)) {
        let sites = format!("{base}/service_at_locations");
        match page_doc(&sites).await {
            Ok(doc) if paging::page_info(&sites, &doc).is_ok() => {
                let more = list.read(&sites, doc, max, &mut merge, opts, pins).await;
                note = note.or(more);
            }
            // Not reachable at all: neither would each service's own document be.
            Err(e @ (PageError::Refused | PageError::Unreachable)) => {
                note = note.or(Some(PartNote::NoPlaces(e)));
            }
            // No such list: each service's own document, for a few.
            _ => {
                for id in wanted.iter().take(MAX_DETAILS) {
                    let one = format!("{base}/services/{id}");
                    match page_doc(&one).await {
                        Ok(doc) => merge.add_page(&one, &doc),
                        Err(PageError::Refused | PageError::Unreachable) => break,
                        Err(_) => {}
                    }
                    list.pages += 1;
                    pins.page(list.pages, list.read, None).await;
                }
                if wanted.len() > MAX_DETAILS {
                    note = note.or(Some(PartNote::TooManyUnplaced {
                        count: wanted.len(),
                    }));
                }
            }
        }
    }
    Ok((merge.load(opts)?, note))
}

/// Pages read from ORUK lists so far.
#[derive(Default)]
struct List {
    pages: usize,
    read: usize,
}

impl List {
    /// Read the list whose first page is `doc` (from `url`) to its end, or to `max`
    /// pages; a note when it could not all be read.
    async fn read(
        &mut self,
        url: &str,
        doc: Value,
        max: u64,
        merge: &mut Merge,
        opts: &Options,
        pins: &mut Pins,
    ) -> Option<PartNote> {
        let mut queue = VecDeque::new();
        // Whether the pages give no count, so each names only the next.
        let mut ask = true;
        let mut larger_than_limit = false;
        let mut page = Some((url.to_string(), doc));
        while let Some((at, doc)) = page.take() {
            if ask {
                ask = false;
                if let Ok(n) = paging::next_pages(&at, &doc, max) {
                    ask = n.count_unknown;
                    larger_than_limit |= n.more_than_limit;
                    queue.extend(n.urls);
                }
            }
            self.pages += 1;
            self.read += list_len(&doc);
            merge.add_page(&at, &doc);
            let loaded = pins.due(self.read).then(|| merge.load(opts).ok()).flatten();
            pins.page(self.pages, self.read, loaded).await;
            let Some(next) = queue.pop_front() else { break };
            match page_doc(&next).await {
                Ok(doc) => page = Some((next, doc)),
                Err(e) => {
                    return Some(PartNote::Broken {
                        read: self.pages,
                        error: e,
                    })
                }
            }
        }
        larger_than_limit.then_some(PartNote::Larger {
            pages: self.pages,
            read: self.read,
        })
    }
}

/// A page fetched and parsed as JSON.
async fn page_doc(url: &str) -> Result<Value, PageError> {
    let bytes = loader::fetch_page(url).await?;
    serde_json::from_slice(&bytes).map_err(|_| PageError::NotJson)
}

fn list_len(doc: &Value) -> usize {
    ["contents", "content"]
        .iter()
        .find_map(|k| doc.get(k).and_then(Value::as_array))
        .map_or(0, Vec::len)
}

/// The API's base when `url` is its `/services` list (`https://x.org/api` for
/// `https://x.org/api/services?page=2`).
fn list_base(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next()?;
    path.trim_end_matches('/').strip_suffix("/services")
}

/// Why only part of a feed published as many pages is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum PartNote {
    /// Cut short by the page (or record) limit after `pages` pages of `read` records.
    Larger { pages: usize, read: usize },
    /// The pages stopped leading on (a `next` missing, not absolute, on another host,
    /// or looping) after `read` pages in all; `why` is the reader's own account (for
    /// the publisher, in English).
    Stopped { read: usize, why: String },
    /// A page could not be fetched after `read` pages were.
    Broken { read: usize, error: PageError },
    /// An ORUK directory's places could not be fetched.
    NoPlaces(PageError),
    /// Too many services without a place to look each one up.
    TooManyUnplaced { count: usize },
}

impl PartNote {
    pub fn in_words(&self, m: &Messages) -> String {
        match self {
            PartNote::Larger { pages, read } => m.fill(
                "partial.larger",
                &[("pages", &grouped(*pages)), ("read", &grouped(*read))],
            ),
            PartNote::Stopped { read, why } => {
                let shown = m.count("partial.pages_shown", *read as u64, &[]);
                format!("{why} {shown}")
            }
            PartNote::Broken { read, error } => {
                let mut s = m.fill(
                    "partial.broken",
                    &[
                        ("page", &grouped(read + 1)),
                        ("why", &page_error(error, m)),
                        ("read", &grouped(*read)),
                    ],
                );
                if *error == PageError::Refused {
                    s.push(' ');
                    s.push_str(m.get("partial.allow"));
                }
                s
            }
            PartNote::NoPlaces(e) => m.fill("partial.no_places", &[("why", &page_error(e, m))]),
            PartNote::TooManyUnplaced { count } => m.fill(
                "partial.unplaced",
                &[
                    ("count", &grouped(*count)),
                    ("max", &MAX_DETAILS.to_string()),
                ],
            ),
        }
    }
}

/// Why a page could not be fetched, in words.
pub fn page_error(e: &PageError, m: &Messages) -> String {
    match e {
        PageError::Unreachable => m.get("page_error.unreachable").to_string(),
        PageError::Refused => m.get("page_error.refused").to_string(),
        PageError::Status(code, text) => m.fill(
            "page_error.status",
            &[("status", &code.to_string()), ("text", text)],
        ),
        PageError::NotJson => m.get("page_error.not_json").to_string(),
    }
}

/// 12345 as "12,345".
pub fn grouped(n: usize) -> String {
    crate::lang::grouped(n as u64)
}
