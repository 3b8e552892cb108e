//! activity-map: social-prescribing activities from a published feed, on a map.
//!
//! The pure core (`model`, `feed`, `filter`, `geo`, `schedule`, `url_state`) has no
//! browser dependencies and is tested natively with `cargo test`. The browser app
//! (`app` and its components) is only compiled for wasm32.

pub mod catalog;
pub mod cluster;
pub mod feed;
pub mod filter;
pub mod geo;
pub mod geocode;
pub mod ics;
pub mod model;
pub mod schedule;
pub mod url_state;

#[cfg(target_arch = "wasm32")]
pub mod app;
