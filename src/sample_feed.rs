//! The feed the app opens when its link names none: `sample-feed.json`, beside the app
//! (copied there from `assets/` by the build).

use crate::geo::Bounds;

/// The file's name, beside the app.
pub const FILE: &str = "sample-feed.json";

/// The area of the sample feed's pins, so the map can ask for its tiles before the file
/// has been read (`src/app/map_view/opening.rs`). `tests/sample_feed.rs` checks it
/// against the file: change the two together.
pub const BOUNDS: Bounds = Bounds {
    south: 50.3747,
    west: -4.1404,
    north: 54.9885,
    east: 1.7392,
};
