//! Reading each source whole: what a URL is (an RPDE feed, a dataset site, an ORUK
//! API or list, a single document), then every page of it. The core decides what
//! pages mean ([`Harvest`], ORUK paging and merging); this module only fetches.

use crate::http::{Failure, Fetcher};
use crate::state::{Saved, State};
use activity_map_core::feed::oruk::merge::Merge;
use activity_map_core::feed::oruk::paging::{first_page, next_pages, DEFAULT_MAX_PAGES};
use activity_map_core::feed::rpde::url::host;
use activity_map_core::feed::rpde::{dataset_site, Harvest, Limits};
use activity_map_core::feed::{self, Loaded, Options};
use serde::Serialize;
use serde_json::Value;
use std::time::{Duration, Instant};

/// How the sources are read.
pub struct Settings {
    pub opts: Options,
    pub limits: Limits,
    /// Read an RPDE feed whole again once its last full read is this old.
    pub full_after: Duration,
    /// Save an RPDE feed's state at least this often while reading it.
    pub checkpoint: Duration,
    /// Seconds since 1970, now.
    pub now: u64,
    /// The most `/services/{id}` documents fetched for one ORUK API.
    pub max_details: usize,
}

/// How reading a source went.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status", content = "reason")]
pub enum Status {
    /// Read to the end.
    Complete,
    /// Read in part: what was read is in the output.
    Stopped(String),
    /// Nothing could be read.
    Failed(String),
}

/// One RPDE feed read for a source.
#[derive(Debug, Clone, Serialize)]
pub struct FeedReport {
    pub url: String,
    /// What the dataset site says the feed holds, when a site listed it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Carried on from the state of an earlier run (else read from its first page).
    pub resumed: bool,
    /// Pages and items read in this run.
    pub pages: usize,
    pub items: usize,
    /// Records live after this run.
    pub live: usize,
    pub finished: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// What happened to one source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub source: String,
    /// `openactive`, `openactive-dataset-site`, `oruk`, `document` or `file`.
    pub kind: &'static str,
    #[serde(flatten)]
    pub status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feeds: Vec<FeedReport>,
    /// HTTP requests made for it, retries included.
    pub requests: usize,
}

/// Everything read: RPDE feeds (to be joined together) and other sources already loaded.
#[derive(Default)]
pub struct Harvested {
    pub reports: Vec<SourceReport>,
    pub rpde: Vec<Harvest>,
    pub loaded: Vec<(String, Loaded)>,
}

pub struct Reader<'a> {
    pub fetcher: &'a mut Fetcher,
    pub state: &'a State,
    pub settings: &'a Settings,
    pub out: Harvested,
}

impl Reader<'_> {
    /// Read one source whole.
    pub fn source(&mut self, source: &str) {
        let before = self.fetcher.requests;
        let mut report = SourceReport {
            source: source.to_string(),
            kind: "document",
            status: Status::Complete,
            feeds: Vec::new(),
            requests: 0,
        };
        if host(source).is_none() {
            report.kind = "file";
            report.status = match std::fs::read(source) {
                Ok(bytes) => self.document(source, &bytes),
                Err(e) => Status::Failed(format!("cannot read {source}: {e}")),
            };
        } else if self.state.has(source) {
            // Read before: an RPDE feed, carried on from where it was left.
            report.kind = "openactive";
            report.status = self.rpde(source, "", None, &mut report.feeds);
        } else if path_of(source).ends_with("/services") {
            report.kind = "oruk";
            report.status = self.oruk(source, None);
        } else {
            report.status = self.sniff(source, &mut report);
        }
        report.requests = self.fetcher.requests - before;
        self.out.reports.push(report);
    }

    /// Fetch a URL of unknown kind and read it as what it turns out to be.
    fn sniff(&mut self, url: &str, report: &mut SourceReport) -> Status {
        let bytes = match self.fetcher.get(url) {
            Ok(b) => b,
            Err(f) => return Status::Failed(format!("{url} could not be fetched ({})", f.reason)),
        };
        let text = String::from_utf8_lossy(&bytes);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with('<') {
            report.kind = "openactive-dataset-site";
            return self.dataset_site(url, &text, &mut report.feeds);
        }
        let doc: Value = match serde_json::from_str(trimmed) {
            Ok(d) => d,
            Err(e) => {
                return Status::Failed(format!("{url} is neither JSON nor an HTML page ({e})"))
            }
        };
        let list = |k: &str| doc.get(k).is_some_and(Value::is_array);
        if list("items") {
            report.kind = "openactive";
            self.rpde(url, "", Some(bytes), &mut report.feeds)
        } else if list("contents") || list("content") {
            report.kind = "oruk";
            self.oruk(url, Some(doc))
        } else if doc.get("distribution").is_some() {
            report.kind = "openactive-dataset-site";
            self.dataset_site(url, trimmed, &mut report.feeds)
        } else if feed::detect(&doc).is_none()
            && (doc.get("openapi_url").is_some() || doc.get("version").is_some())
        {
            // An ORUK API's base answers with what it is; its services are one level down.
            report.kind = "oruk";
            let services = format!("{}/services", path_of(url).trim_end_matches('/'));
            self.oruk(&services, None)
        } else {
            self.document(url, &bytes)
        }
    }

    /// A single document of any shape the core reads (our format, GeoJSON, parkrun).
    fn document(&mut self, name: &str, bytes: &[u8]) -> Status {
        match feed::load(bytes, &self.settings.opts) {
            Ok(l) => {
                self.out.loaded.push((name.to_string(), l));
                Status::Complete
            }
            Err(e) => Status::Failed(format!("{name}: {e}")),
        }
    }

    /// Every feed an OpenActive dataset site lists.
    fn dataset_site(&mut self, url: &str, page: &str, feeds: &mut Vec<FeedReport>) -> Status {
        let site = match dataset_site::read(page) {
            Ok(s) => s,
            Err(e) => return Status::Failed(format!("{url}: {e}")),
        };
        let mut status = if site.feeds.is_empty() {
            Status::Failed(format!("{url} lists no feeds"))
        } else {
            Status::Complete
        };
        for p in site.problems {
            status = worse(status, Status::Stopped(format!("{url}: {p}")));
        }
        for f in site.feeds {
            let s = self.rpde(&f.url, &f.kind, None, feeds);
            status = worse(status, s);
        }
        status
    }

    /// One RPDE feed: carried on from its saved state (unless a full read is due),
    /// else read from `first`, whose page may already be in hand.
    fn rpde(
        &mut self,
        first: &str,
        kind: &str,
        mut page: Option<Vec<u8>>,
        feeds: &mut Vec<FeedReport>,
    ) -> Status {
        let s = self.settings;
        let saved = self.state.load(first).unwrap_or_else(|e| {
            eprintln!("harvest: {e}; reading {first} whole");
            None
        });
        let fresh =
            saved.filter(|sv| s.now.saturating_sub(sv.full_read_began) < s.full_after.as_secs());
        let (resumed, began, harvest) = match fresh {
            Some(sv) => (
                true,
                sv.full_read_began,
                Harvest::resume(sv.harvest, s.limits),
            ),
            None => (false, s.now, Harvest::new(first, s.limits)),
        };
        let mut h = match harvest {
            Ok(h) => h,
            Err(e) => return Status::Failed(e.to_string()),
        };
        if resumed {
            page = None;
        }
        h.poll();
        let mut saved_at = Instant::now();
        while let Some(url) = h.next_url().map(str::to_owned) {
            match page.take().map_or_else(|| self.fetcher.get(&url), Ok) {
                Ok(bytes) => h.read_page(&url, &bytes),
                Err(f) => h.fetch_failed(&url, &f.reason),
            };
            let p = h.progress();
            if p.pages % 50 == 0 && p.pages > 0 {
                eprintln!(
                    "harvest: {first}: {} pages, {} records so far",
                    p.pages, p.live
                );
            }
            if saved_at.elapsed() >= s.checkpoint {
                self.save(first, began, &h);
                saved_at = Instant::now();
            }
        }
        self.save(first, began, &h);
        let p = h.progress();
        let stopped = h.stopped().map(ToString::to_string);
        feeds.push(FeedReport {
            url: first.to_string(),
            kind: kind.to_string(),
            resumed,
            pages: p.pages,
            items: p.items,
            live: p.live,
            finished: h.is_finished(),
            stopped: stopped.clone(),
        });
        self.out.rpde.push(h);
        match stopped {
            Some(why) => Status::Stopped(why),
            None => Status::Complete,
        }
    }

    fn save(&self, first: &str, began: u64, h: &Harvest) {
        let saved = Saved {
            first: first.to_string(),
            full_read_began: began,
            harvest: h.snapshot(),
        };
        if let Err(e) = self.state.save(&saved) {
            eprintln!("harvest: cannot save the state of {first}: {e}");
        }
    }

    /// An ORUK API: every page of `/services`, then where each service is, from
    /// `/service_at_locations` or, where the API has none, each `/services/{id}`.
    /// `list` is the `/services` URL, or a list page already read (`doc`).
    fn oruk(&mut self, list: &str, doc: Option<Value>) -> Status {
        let mut merge = Merge::default();
        let first = match doc {
            Some(d) => (list.to_string(), d),
            None => {
                let url = first_page(list, 100);
                match self.json(&url) {
                    Ok(d) => (url, d),
                    Err(f) => {
                        return Status::Failed(format!("{url} could not be read ({})", f.reason))
                    }
                }
            }
        };
        let mut status = self.oruk_list(first, &mut merge);
        let services = path_of(list).trim_end_matches('/').to_string();
        let base = services.strip_suffix("/services").map(str::to_string);
        let mut sites_listed = false;
        if let Some(base) = &base {
            let url = first_page(&format!("{base}/service_at_locations"), 100);
            match self.json(&url) {
                Ok(d) => {
                    sites_listed = true;
                    status = worse(status, self.oruk_list((url, d), &mut merge));
                }
                // No such list in this API (v1, or a v3 that leaves it out).
                Err(f) if f.not_found || f.reason.starts_with("not JSON") => {}
                Err(f) => {
                    status = worse(
                        status,
                        Status::Stopped(format!("{url} could not be read ({})", f.reason)),
                    );
                }
            }
        }
        if !sites_listed {
            let ids = merge.without_location();
            let base = base.unwrap_or_else(|| {
                services
                    .rsplit_once('/')
                    .map_or(String::new(), |(b, _)| b.to_string())
            });
            let mut failed = 0;
            for id in ids.iter().take(self.settings.max_details) {
                let url = format!("{base}/services/{}", encode_segment(id));
                match self.json(&url) {
                    Ok(d) => merge.add_page(&url, &d),
                    Err(_) => failed += 1,
                }
            }
            if failed > 0 {
                status = worse(status, Status::Stopped(format!(
                    "{failed} of {} services' own documents ({base}/services/{{id}}) could not be read, so those services may have no place",
                    ids.len().min(self.settings.max_details)
                )));
            }
            if ids.len() > self.settings.max_details {
                status = worse(status, Status::Stopped(format!(
                    "{} services have no place in the list; only the first {} were fetched one by one",
                    ids.len(),
                    self.settings.max_details
                )));
            }
        }
        match merge.load(&self.settings.opts) {
            Ok(l) => self.out.loaded.push((list.to_string(), l)),
            Err(e) => status = worse(status, Status::Failed(format!("{list}: {e}"))),
        }
        status
    }

    /// Every page of one ORUK list, from its first page (already read).
    fn oruk_list(&mut self, (url, doc): (String, Value), merge: &mut Merge) -> Status {
        let mut at = (url, doc);
        loop {
            let next = match next_pages(&at.0, &at.1, DEFAULT_MAX_PAGES) {
                Ok(n) => n,
                Err(e) => return Status::Stopped(format!("{}: {e}", at.0)),
            };
            merge.add_page(&at.0, &at.1);
            let mut last = None;
            for url in next.urls {
                match self.json(&url) {
                    Ok(d) => {
                        if !next.count_unknown {
                            merge.add_page(&url, &d);
                        }
                        last = Some((url, d));
                    }
                    Err(f) => {
                        return Status::Stopped(format!(
                            "{url} could not be read ({}); the pages after it were not read",
                            f.reason
                        ))
                    }
                }
            }
            if next.more_than_limit {
                return Status::Stopped(format!(
                    "the list has more than {DEFAULT_MAX_PAGES} pages; only those were read"
                ));
            }
            match last {
                // The page count is unknown: ask again from the page just read.
                Some(page) if next.count_unknown => at = page,
                _ => return Status::Complete,
            }
        }
    }

    fn json(&mut self, url: &str) -> Result<Value, Failure> {
        let bytes = self.fetcher.get(url)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        serde_json::from_slice(bytes).map_err(|e| Failure {
            reason: format!("not JSON: {e}"),
            not_found: false,
        })
    }
}

/// The more serious of two outcomes (a later reason of the same weight is dropped).
fn worse(a: Status, b: Status) -> Status {
    let rank = |s: &Status| match s {
        Status::Complete => 0,
        Status::Stopped(_) => 1,
        Status::Failed(_) => 2,
    };
    if rank(&b) > rank(&a) {
        b
    } else {
        a
    }
}

/// A URL without its query and fragment.
fn path_of(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// An id as one URL path segment: unreserved characters kept, the rest %-encoded.
fn encode_segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
