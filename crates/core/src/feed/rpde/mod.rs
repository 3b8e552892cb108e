//! Whole OpenActive feeds: RPDE pages followed to the end and merged
//! ([`Harvest`]), sessions joined to their series ([`join`]), and the feeds an
//! OpenActive dataset site lists ([`dataset_site`]).
//!
//! Nothing here does I/O, so the browser and a native harvester drive the same code.
//! The driving loop, for each feed:
//!
//! ```text
//! let mut h = Harvest::new(first_url, Limits::default())?;
//! while let Some(url) = h.next_url().map(str::to_owned) {
//!     match fetch(&url) {                        // the driver's own HTTP
//!         Ok(bytes) => { h.read_page(&url, &bytes); }
//!         Err(e) => { h.fetch_failed(&url, &e.to_string()); }
//!     }
//!     show(h.progress());                        // pages, items, live records
//! }
//! // h.is_finished(), or h.stopped() says why not; either way the records are usable.
//! let loaded = join::load(&[&sessions, &series], &Options::default());
//! ```
//!
//! A driver may wait between pages. A long-lived one (a native harvester) keeps a
//! finished harvest and calls [`Harvest::poll`] now and then, which reads the last
//! page again for what changed since, as RPDE intends. Loops are caught by exact URL;
//! a feed whose links differ on every page without ending is caught by the page
//! limit ([`Limits`]). A driver that runs now and then (a scheduled job) saves a
//! [`Snapshot`] between runs and resumes from it, so each run reads only new pages.

pub mod dataset_site;
mod harvest;
pub mod join;
pub mod records;
pub mod url;

pub use harvest::{Harvest, Limits, Progress, SavedProblem, SavedRecord, Snapshot, Step, Stop};
pub use records::{Merge, Modified, Record, Records};
