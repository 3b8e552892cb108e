//! The app's own sample feed and what the app knows of it before reading it.

use activity_map::catalog::Catalog;
use activity_map::feed::{load, Options};
use activity_map::sample_feed;

#[test]
fn the_built_in_area_is_the_sample_feeds_own() {
    let bytes = std::fs::read(format!("assets/{}", sample_feed::FILE)).expect("the sample feed");
    let cat = Catalog::new(load(&bytes, &Options::default()).expect("the sample feed reads"));
    let area = cat.bounds().expect("the sample feed has pins");
    assert_eq!(
        sample_feed::BOUNDS,
        area,
        "src/sample_feed.rs's BOUNDS must be the sample feed's area"
    );
}

/// `assets/early-map.js` opens the first view's map on the sample's area before the app's
/// code is here: it must say the same area as the app.
#[test]
fn the_early_map_knows_the_same_area() {
    let js = std::fs::read_to_string("assets/early-map.js").expect("assets/early-map.js");
    let b = sample_feed::BOUNDS;
    let said = format!(
        "var SAMPLE = [{}, {}, {}, {}];",
        b.south, b.west, b.north, b.east
    );
    assert!(
        js.contains(&said),
        "assets/early-map.js should say `{said}` (src/sample_feed.rs's BOUNDS)"
    );
}
