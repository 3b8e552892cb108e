//! The pure core of activity-map: the feed model, reading feeds of every shape,
//! filtering, geometry, clustering and the page state as a link. No browser
//! dependencies; tested natively with `cargo test --workspace`.
//!
//! It is a crate of its own so that it can be compiled for speed (`opt-level = 2`,
//! generic code such as serde_json's parser included, since that is instantiated
//! here) while the browser app around it is compiled for size: a large feed shows
//! noticeably sooner that way (the numbers are in BENCHMARKS.md).

pub mod calendar;
pub mod catalog;
pub mod cluster;
pub mod feed;
pub mod filter;
pub mod freshness;
pub mod geo;
pub mod geocode;
pub mod ics;
pub mod lang;
pub mod links;
pub mod math;
pub mod model;
pub mod pack;
pub mod schedule;
pub mod search;
pub mod url_state;
