//! The parts of the app that are downloaded only when first needed, each its own wasm
//! file: the first view of a feed in our own format needs none of them, so the page
//! downloads less before its first pins. tests/tools/split-wasm.mjs splits them off at
//! build time; each function here becomes `async`, fetching its part on first use.
//!
//! Every part's function is `fallible`: a part that cannot be downloaded (offline with
//! no copy kept) is a [`PartMissing`] to tell the person about, never a crash.

use super::host::Host;
use super::loader::{Got, LoadError};
use super::relay::Relays;
use super::state::Finder;
use crate::feed::{self, FeedError, Loaded, Options};
use crate::model::Activity;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use std::future::Future;

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
pub fn read_other(bytes: Vec<u8>, opts: Options) -> Result<Result<Loaded, FeedError>, PartMissing> {
    Ok(feed::load_other(&bytes, &opts))
}

/// A whole document that is not a feed in our format as it streamed (see
/// `loader::fetch_feed`), fetched from `at` (absolute): the first of many pages or a site
/// listing feeds, else a feed of any shape, read whole. (Telling the pages apart reads
/// RPDE, ORUK and dataset sites: none of it is needed for a feed in our format.)
#[wasm_split(readers, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn read_whole(
    at: Option<String>,
    bytes: Vec<u8>,
    opts: Options,
) -> Result<Result<Got, LoadError>, PartMissing> {
    if let Some(first) = at.and_then(|at| super::paged::first(&at, &bytes)) {
        return Ok(Ok(Got::Pages(first)));
    }
    Ok(feed::load(&bytes, &opts)
        .map(Got::Feed)
        .map_err(LoadError::from))
}

/// What reading a feed published as many pages gives: the feed, and a note when only
/// part of it could be read.
pub type PagesRead = std::pin::Pin<
    Box<dyn Future<Output = Result<(Loaded, Option<super::paged::PartNote>), LoadError>>>,
>;

/// Reading a feed published as many pages (RPDE feeds, a dataset site's feeds, a paged
/// ORUK API): following the pages, joining sessions to their series, merging places.
/// (A part's function cannot be `async` itself; the work it returns is its part's code.)
#[wasm_split(paged, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn read_pages(
    first: super::paged::First,
    opts: Options,
    max_pages: Option<usize>,
    finder: Finder,
) -> Result<PagesRead, PartMissing> {
    Ok(Box::pin(async move {
        super::paged::read(first, &opts, max_pages, finder).await
    }))
}

/// The calendar file (.ics) of an activity's next session, with its file name; `None`
/// when it has no date to give.
pub async fn calendar_file(
    a: Activity,
    today: String,
    stamp: String,
    page: String,
    m: std::sync::Arc<crate::lang::Messages>,
) -> Result<Option<(String, String)>, PartMissing> {
    Ok(
        crate::ics::next_session_ics(&a, &today, &stamp, Some(&page), &m)
            .map(|text| (crate::ics::ics_file_name(&a), text)),
    )
}

/// The embed builder page (`?builder`), mounted on the page's body.
#[wasm_split(builder, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn mount_builder() -> Result<(), PartMissing> {
    leptos::mount::mount_to_body(super::embed::Builder);
    Ok(())
}

/// The finder itself, mounted on the page's body: everything built with Leptos is in
/// this part, so the main module is only what the first pins need (see `start`).
/// (Mounted in the task after the part's arrival: together they made one long task on a
/// slow phone.)
#[wasm_split(finder, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn mount_page() -> Result<std::pin::Pin<Box<dyn Future<Output = ()>>>, PartMissing> {
    Ok(Box::pin(async {
        super::browser::yield_now().await;
        leptos::mount::mount_to_body(|| leptos::view! { <super::App host=Host::page() /> });
    }))
}

/// The finder inside a widget's `root` (see `widget.rs`).
#[wasm_split(finder, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn mount_widget(
    element: web_sys::HtmlElement,
    root: web_sys::HtmlElement,
    settings: crate::url_state::Query,
    app_page: String,
) -> Result<Mounted, PartMissing> {
    // The element's "Loading…" line goes as the app comes.
    root.set_text_content(None);
    let root_el: web_sys::Element = root.clone().into();
    let element = send_wrapper::SendWrapper::new(element);
    Ok(Box::new(leptos::mount::mount_to(root, move || {
        let host = Host::widget(root_el.clone(), settings.clone(), app_page.clone());
        provide_context(super::embed::Channel::Element(element.clone()));
        leptos::view! { <super::App host=host /> }
    })))
}

/// A view mounted by a part, kept mounted while it is held.
pub type Mounted = Box<dyn std::any::Any>;

/// An empty element where this is placed, which a part fills once it is here (or, if
/// the part cannot be downloaded, a line that says so). What the part mounted is taken
/// down with the element. (Leptos's `Suspend` would do this with async machinery that
/// costs the main module more than these parts weigh.)
pub fn when_here<F>(mount: impl FnOnce(web_sys::HtmlElement) -> F + 'static) -> impl IntoView
where
    F: Future<Output = Result<Mounted, PartMissing>> + 'static,
{
    let place = NodeRef::<leptos::html::Div>::new();
    let held = StoredValue::new_local(None::<Mounted>);
    let missing = super::words::words().now().get("part.missing").to_string();
    place.on_load(move |el| {
        let el: web_sys::HtmlElement = el.into();
        leptos::task::spawn_local(async move {
            match mount(el.clone()).await {
                // Kept until this place is taken down (then dropped at once).
                Ok(mounted) => drop(held.try_set_value(Some(mounted))),
                Err(PartMissing) => el.set_text_content(Some(&missing)),
            }
        });
    });
    view! { <div class="am-part" node_ref=place></div> }
}

/// What a part's views read from the app: the context they would have in it.
#[derive(Clone, Copy)]
pub struct Shared {
    pub finder: Finder,
    pub host: Host,
    pub relays: Relays,
    pub words: super::words::Words,
    pub published: super::answers::Published,
}

impl Shared {
    /// The app's shared state, from the current context.
    pub fn here() -> Shared {
        Shared {
            finder: expect_context(),
            host: expect_context(),
            relays: expect_context(),
            words: expect_context(),
            published: expect_context(),
        }
    }
}

/// Mounts `view` in `el` with the app's shared state, which the part's components read
/// from context as they would in the app.
fn mount_with<N: IntoView + 'static>(
    el: web_sys::HtmlElement,
    shared: Shared,
    view: impl FnOnce() -> N + 'static,
) -> Mounted {
    Box::new(leptos::mount::mount_to(el, move || {
        provide_context(shared.finder);
        provide_context(shared.host);
        provide_context(shared.relays);
        provide_context(shared.words);
        provide_context(shared.published);
        view()
    }))
}

/// The selected activity's details (the calendar file is a part of its own).
pub async fn details(el: web_sys::HtmlElement, shared: Shared) -> Result<Mounted, PartMissing> {
    Ok(mount_with(el, shared, super::details::Details))
}

/// What "More filters" holds, downloaded when it is first opened.
pub async fn more_filters(
    el: web_sys::HtmlElement,
    shared: Shared,
) -> Result<Mounted, PartMissing> {
    Ok(mount_with(el, shared, super::filter_panel::MoreFilters))
}

/// The note for the feed's publisher of what could not be shown.
pub async fn problems_note(
    el: web_sys::HtmlElement,
    shared: Shared,
) -> Result<Mounted, PartMissing> {
    Ok(mount_with(el, shared, super::problems::ProblemsNote))
}

/// The shortlist dialog.
pub async fn shortlist_dialog(
    el: web_sys::HtmlElement,
    shared: Shared,
) -> Result<Mounted, PartMissing> {
    Ok(mount_with(el, shared, super::shortlist::ShortlistDialog))
}

/// The shortlist's printed page.
pub async fn print_shortlist(
    el: web_sys::HtmlElement,
    shared: Shared,
) -> Result<Mounted, PartMissing> {
    Ok(mount_with(el, shared, super::shortlist::PrintShortlist))
}

/// A link as a QR code, drawn from its modules (the printed shortlist and the dialog's
/// "Show QR code"): `None` when the link is too long for one.
pub async fn qr_code(link: String) -> Result<Option<crate::qr::QrSvg>, PartMissing> {
    Ok(crate::qr::qr_svg(&link))
}
