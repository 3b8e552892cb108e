//! The parts of the app that are downloaded only when first needed, each its own wasm
//! file: the first view of a feed in our own format needs none of them, so the page
//! downloads less before its first pins. tests/tools/split-wasm.mjs splits them off at
//! build time; each function here becomes `async`, fetching its part on first use.
//!
//! Every part's function is `fallible`: a part that cannot be downloaded (offline with
//! no copy kept) is a [`PartMissing`] to tell the person about, never a crash.

use crate::feed::{self, FeedError, Loaded, Options};
use crate::model::Activity;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

/// A part of the app could not be downloaded.
#[derive(Debug, Clone, Copy)]
pub struct PartMissing;

impl From<SplitLoaderError> for PartMissing {
    fn from(_: SplitLoaderError) -> Self {
        PartMissing
    }
}

/// The readers of the other feed shapes (OpenActive, ORUK, GeoJSON, parkrun) and the
/// checks only they use.
#[wasm_split(readers, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn read_other(
    doc: serde_json::Value,
    opts: Options,
) -> Result<Result<Loaded, FeedError>, PartMissing> {
    Ok(feed::load_value(&doc, &opts))
}

/// The calendar file (.ics) of an activity's next session, with its file name; `None`
/// when it has no date to give.
#[wasm_split(calendar, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn calendar_file(
    a: Activity,
    today: String,
    stamp: String,
    page: String,
) -> Result<Option<(String, String)>, PartMissing> {
    Ok(
        crate::ics::next_session_ics(&a, &today, &stamp, Some(&page))
            .map(|text| (crate::ics::ics_file_name(&a), text)),
    )
}

/// The embed builder page (`?builder`), mounted on the page's body.
#[wasm_split(builder, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn mount_builder() -> Result<(), PartMissing> {
    leptos::mount::mount_to_body(super::embed::Builder);
    Ok(())
}
