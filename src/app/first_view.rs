//! The first view: the feed's pins on a still map, before the finder is here.
//!
//! The finder (everything built with Leptos) is a part of its own
//! (`on_demand::mount_page`), so the page's main module is only what the first pins of
//! a feed need: reading the link, fetching and reading the feed, and drawing the pins
//! it has read on a map in the page's first view (`index.html`: a header bar, the map's
//! box and the list sheet with its "Loading…" line, laid out as the finder will be).
//! On a slow phone connection that is about half the bytes of the whole finder, so the
//! pins come that much sooner (BENCHMARKS.md).
//!
//! The finder's download starts with the first view, and the feed is read once: the
//! finder takes what the first view has read ([`take`]), showing the pins read so far
//! while it waits. The first view is covered by the finder, then removed ([`remove`])
//! once the finder's map has its tiles (or after [`HOLD_MS`]), so the swap shows no
//! blank map.

use super::browser;
use super::loader::{self, Fetched, Got, LoadError};
use super::map_view::FirstMap;
use super::state::with_radius_at;
use crate::catalog::Preview;
use crate::feed::stream::FeedStream;
use crate::url_state::FinderState;
use std::cell::RefCell;

/// The longest the first view stays over a finder that has mounted.
pub const HOLD_MS: i32 = 1500;

/// What the first view has read, for the finder to take over.
#[derive(Default)]
struct Slot {
    /// The feed being read (`None`: none, or already taken).
    url: Option<String>,
    /// The pins read so far.
    preview: Preview,
    /// The feed once fetched and read (or why it could not be).
    read: Option<Result<Fetched, LoadError>>,
    /// The finder waits for the feed ([`take`]) and shows the pins itself.
    finder_here: bool,
    map: Option<FirstMap>,
}

thread_local! {
    static SLOT: RefCell<Slot> = RefCell::default();
}

/// Start the first view, if the page has one (`index.html`'s `#am-first-map`): done
/// once its map is up and has asked for its tiles (when it knows where to look); the
/// feed is read in a task of its own.
pub async fn start() {
    let Some(el) = browser::element_by_id("am-first-map") else {
        return;
    };
    let query = browser::current_query();
    let state = FinderState::from_query(&query);
    let url = state
        .feed
        .clone()
        .unwrap_or_else(|| super::DEFAULT_FEED.to_string());
    let tiles = state
        .tiles
        .clone()
        .unwrap_or_else(|| super::DEFAULT_TILES.to_string());
    let options = crate::url_state::feed_options(&query);
    let filters = with_radius_at(
        state.filters.clone(),
        state.place.as_ref().map(|p| p.at),
        state.radius,
    );
    let today = browser::today();
    SLOT.with_borrow_mut(|s| s.url = Some(url.clone()));
    // Each step a task of its own on a slow phone: the wasm's start, the map (Leaflet
    // lays out the page to measure its box), its tiles, then reading the feed.
    browser::yield_now().await;
    let map = FirstMap::open(&el, state.view, state.feed.as_deref(), tiles);
    SLOT.with_borrow_mut(|s| s.map = map);
    browser::yield_now().await;
    SLOT.with_borrow_mut(|s| s.map.as_mut().map(FirstMap::show_tiles));
    wasm_bindgen_futures::spawn_local(async move {
        // The pins read so far are drawn as they arrive (a large feed's first pins come
        // long before its last), until the finder has come to show them itself; but only
        // where the map already looks. Opened on the first pins read, it moved again to
        // the whole feed once read: a parkrun-sized feed read over slow 4G showed its
        // first pins 0.9 s sooner, zoomed in on a corner, then the whole country 2.8 s
        // later, with new tiles (BENCHMARKS.md, notes of 2026-12-03).
        let progress = |stream: &FeedStream, show: bool| {
            SLOT.with_borrow_mut(|s| {
                let from = s.preview.read;
                s.preview.add(stream.read_from(from), &filters, &today);
                match &mut s.map {
                    Some(map) if show && !s.finder_here && map.knows_where() => {
                        map.draw(&s.preview);
                    }
                    _ => {}
                }
            })
        };
        let fetched = loader::fetch_feed(&url, &options, progress).await;
        // Drawn in a task of its own: reading the feed was one.
        browser::yield_now().await;
        let whole = matches!(
            &fetched,
            Ok(Fetched {
                got: Got::Feed(_),
                ..
            })
        );
        // A tiled feed: its clusters, from the index alone.
        if let Ok(Fetched {
            got: Got::Pack(source),
            ..
        }) = &fetched
        {
            let index = &source.index;
            let chosen = index.chosen(&filters.categories);
            SLOT.with_borrow_mut(|s| match &mut s.map {
                Some(map) if !s.finder_here => map.draw_pack(index, &chosen),
                _ => {}
            });
        }
        SLOT.with_borrow_mut(|s| s.read = Some(fetched));
        // All of its pins, in as many tasks as that takes, unless the finder has come.
        if whole {
            SLOT.with_borrow_mut(|s| match &mut s.map {
                Some(map) if !s.finder_here => map.settle(&s.preview),
                _ => {}
            });
            // The pins in a task after the map's move (a new view, new tiles): the
            // two made one task of 54 ms on a slow phone.
            browser::yield_now().await;
            while !SLOT.with_borrow_mut(|s| match &mut s.map {
                Some(map) if !s.finder_here => map.draw(&s.preview),
                _ => true,
            }) {
                browser::yield_now().await;
            }
        }
    });
}

/// Wait before the finder's download starts, only for a tiled feed (a pack): until its
/// first view has drawn the index's clusters. The finder's files would otherwise share
/// the connection with the readers' part that tells the pack apart, and the first pins
/// came 0.36 s after the target over 1.6 Mbit/s (BENCHMARKS.md). A feed whose first bytes
/// are not here within [`KIND_WAIT_MS`] (and any other feed) lets the finder start at once.
pub async fn let_finder_start() {
    let mut waited = 0;
    loop {
        let drawn = SLOT.with_borrow(|s| s.read.is_some() || s.url.is_none());
        match loader::looks_like_pack() {
            Some(false) => return,
            None if waited >= KIND_WAIT_MS => return,
            Some(true) if drawn || waited >= PACK_WAIT_MS => return,
            _ => {}
        }
        browser::sleep(STEP_MS).await;
        waited += STEP_MS;
    }
}

/// How long the finder waits to know whether the feed is a pack, and then for a pack's
/// first clusters: never long, whatever happens to the feed.
const KIND_WAIT_MS: i32 = 300;
const PACK_WAIT_MS: i32 = 4000;
const STEP_MS: i32 = 20;

/// The feed at `url` as the first view fetched and read it, waited for if it is still
/// arriving (`show` is given the pins read so far meanwhile); `None` when the first
/// view did not read it (no first view, another feed, or already taken).
pub async fn take(url: &str, mut show: impl FnMut(&Preview)) -> Option<Result<Fetched, LoadError>> {
    let mut shown = None;
    loop {
        let done = SLOT.with_borrow_mut(|s| {
            if s.url.as_deref() != Some(url) {
                return Some(None);
            }
            s.finder_here = true;
            if shown != Some(s.preview.read) {
                shown = Some(s.preview.read);
                show(&s.preview);
            }
            let read = s.read.take()?;
            s.url = None;
            s.preview = Preview::default();
            Some(Some(read))
        });
        if let Some(done) = done {
            return done;
        }
        browser::sleep(100).await;
    }
}

/// Remove the first view (the finder covers it by now). Once; later calls do nothing.
pub fn remove() {
    if let Some(map) = SLOT.with_borrow_mut(|s| s.map.take()) {
        map.remove();
    }
    if let Some(first) = browser::element_by_id("am-first") {
        first.remove();
    }
}
