//! Opening a feed: fetched (by `loader`, the one module that does HTTP), shown as a
//! preview while it arrives, then built into the catalog the finder answers from, in
//! slices that leave the page free to paint and answer input.

use super::browser;
use super::loader::{self, Got, LoadError};
use super::on_demand::{self, PartMissing};
use super::state::Finder;
use crate::catalog::{Building, Catalog, Preview};
use crate::feed::stream::FeedStream;
use crate::feed::Options;
use leptos::prelude::*;
use std::sync::Arc;

/// Activities taken into the catalog between looks at the clock.
const CATALOG_STEP: usize = 64;

/// A feed ready to answer from.
#[derive(Clone)]
pub struct Opened {
    pub catalog: Arc<Catalog>,
    /// When the fetch failed and a saved copy is shown: when it was saved, and why.
    pub stale: Option<(String, LoadError)>,
    /// When only part of a feed published as many pages could be read: what and why.
    pub partial: Option<super::paged::PartNote>,
    /// A tiled feed: its catalog holds the activities of the tiles in view, fetched
    /// as the map moves (`pack_reader`).
    pub pack: Option<Arc<super::pack_reader::PackSource>>,
}

/// Fetch and read the feed at `url`, showing the activities read so far in
/// `finder.preview` while the rest arrives. A feed published as many pages is read
/// to its end, or to `max_pages` (never more than the reader's own limit).
pub async fn open(
    url: String,
    options: Options,
    max_pages: Option<usize>,
    finder: Finder,
) -> Result<Opened, LoadError> {
    finder.preview.set(Preview::default());
    let progress = move |stream: &FeedStream, show: bool| {
        let (filters, today) = (finder.filters_now(), finder.today.get_value());
        finder.preview.update_untracked(|p| {
            let from = p.read;
            p.add(stream.read_from(from), &filters, &today);
        });
        if show {
            finder.preview.notify();
        }
    };
    // Read by the page's first view already, or being read there: taken, not read again.
    let taken = super::first_view::take(&url, |p| finder.preview.set(p.clone())).await;
    let fetched = match taken {
        Some(fetched) => fetched,
        None => loader::fetch_feed(&url, &options, progress).await,
    };
    // Each step below is its own task, so none blocks the page for long.
    browser::yield_now().await;
    let fail = |e| {
        finder.preview.set(Preview::default());
        Err(e)
    };
    let fetched = match fetched {
        Ok(fetched) => fetched,
        Err(e) => return fail(e),
    };
    let (loaded, partial) = match fetched.got {
        Got::Feed(loaded) => (loaded, None),
        Got::Pack(source) => {
            return Ok(Opened {
                catalog: Arc::new(Catalog::new(source.loaded(Vec::new()))),
                stale: fetched.stale,
                partial: None,
                pack: Some(source),
            })
        }
        Got::Pages(first) => {
            let reading =
                match on_demand::read_pages(first, options.clone(), max_pages, finder).await {
                    Ok(reading) => reading,
                    Err(PartMissing) => return fail(LoadError::PartMissing),
                };
            match reading.await {
                Ok(read) => read,
                Err(e) => return fail(e),
            }
        }
    };
    let mut building = Building::new(loaded);
    let mut slices = browser::Slices::new();
    while !building.step(CATALOG_STEP) {
        slices.pace().await;
    }
    let catalog = Arc::new(building.done());
    browser::perf_mark("am-feed-ready");
    browser::yield_now().await;
    Ok(Opened {
        catalog,
        stale: fetched.stale,
        partial,
        pack: None,
    })
}

/// Build the search text in small slices once the pins are up, so neither the first
/// draw nor any later moment waits for all of it. A search typed before it is done
/// builds the rest at once.
pub fn prepare_search(cat: Arc<Catalog>) {
    leptos::task::spawn_local(async move {
        browser::sleep(300).await;
        let mut slices = browser::Slices::new();
        while !cat.prepare_search(64) {
            slices.pace().await;
        }
    });
}
