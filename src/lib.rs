//! activity-map: social-prescribing activities from a published feed, on a map.
//!
//! The pure core (`model`, `feed`, `filter`, `geo`, `schedule`, `url_state`, ...) lives
//! in the `activity-map-core` crate (`crates/core`) and is re-exported here under the
//! same paths; it has no browser dependencies (but for JavaScript's `Math`, in `math`) and
//! is tested natively with `cargo test`.
//! The browser app (`app` and its components) is only compiled for wasm32.

pub use activity_map_core::{
    calendar, catalog, cluster, feed, filter, freshness, geo, geocode, ics, lang, links, math,
    model, pack, schedule, url_state,
};

pub mod qr;
pub mod sample_feed;

#[cfg(target_arch = "wasm32")]
pub mod app;
