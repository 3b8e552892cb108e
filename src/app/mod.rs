//! The browser app: page layout and the state the components share.
//!
//! State lives here as signals; the components read narrow slices of it.
//! `map_view` is the only module that talks to Leaflet and `loader` the only
//! one that does HTTP.

mod details;
mod loader;
mod map_view;
mod result_list;

use crate::catalog::Catalog;
use crate::feed::Options;
use crate::url_state::Query;
use leptos::prelude::*;
use std::sync::Arc;

pub use map_view::MapView;

/// Where the app reads its feed when the link names none.
pub const DEFAULT_FEED: &str = "sample-feed.json";
pub const DEFAULT_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

pub fn start() {
    console_error_panic_hook::set_once();
    // The static "Loading…" line in index.html covers the time the wasm takes to arrive.
    if let Some(boot) = document().get_element_by_id("am-boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

/// Settings the page takes from its link.
#[derive(Debug, Clone)]
pub struct Settings {
    pub feed: String,
    pub tiles: String,
    pub selected: Option<String>,
}

impl Settings {
    pub fn from_query(q: &Query) -> Settings {
        Settings {
            feed: q.get("feed").unwrap_or(DEFAULT_FEED).to_string(),
            tiles: q.get("tiles").unwrap_or(DEFAULT_TILES).to_string(),
            selected: q.get("sel").map(str::to_string),
        }
    }
}

fn current_query() -> Query {
    let search = window().location().search().unwrap_or_default();
    Query::parse(&search)
}

/// Rewrite one key of the page's link without reloading.
fn replace_query(key: &str, value: Option<&str>) {
    let mut q = current_query();
    q.set(key, value);
    let path = window().location().pathname().unwrap_or_default();
    let url = format!("{path}{}", q.to_query_string());
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Failed(String),
    Ready,
}

#[component]
pub fn App() -> impl IntoView {
    let settings = Settings::from_query(&current_query());
    let catalog: RwSignal<Option<Arc<Catalog>>> = RwSignal::new(None);
    let status = RwSignal::new(Status::Loading);
    let selected: RwSignal<Option<usize>> = RwSignal::new(None);
    let attempt = RwSignal::new(0u32);

    let feed_url = settings.feed.clone();
    let wanted = settings.selected.clone();
    Effect::new(move |_| {
        attempt.track();
        status.set(Status::Loading);
        let url = feed_url.clone();
        let wanted = wanted.clone();
        leptos::task::spawn_local(async move {
            match loader::fetch_feed(&url, &Options::default()).await {
                Ok(loaded) => {
                    let cat = Catalog::new(loaded);
                    let sel = wanted.as_deref().and_then(|id| cat.index_of(id));
                    catalog.set(Some(Arc::new(cat)));
                    selected.set(sel);
                    status.set(Status::Ready);
                }
                Err(e) => status.set(Status::Failed(e.to_string())),
            }
        });
    });

    // Every activity, in feed order, until the finder's filters arrive.
    let visible = Memo::new(move |_| {
        catalog.with(|c| c.as_ref().map(|c| (0..c.activities().len()).collect::<Vec<_>>()).unwrap_or_default())
    });

    // Keep the selection in the link so it can be shared.
    Effect::new(move |_| {
        let id = selected.get().and_then(|i| catalog.with_untracked(|c| c.as_ref().and_then(|c| c.get(i)).map(|a| a.id.clone())));
        if status.get_untracked() == Status::Ready {
            replace_query("sel", id.as_deref());
        }
    });

    let feed_name = move || {
        catalog.with(|c| c.as_ref().map(|c| c.loaded.feed.feed.name.clone())).unwrap_or_else(|| "Activities near you".into())
    };

    view! {
        <div class="am-app">
            <header class="am-header">
                <h1 class="am-title">"Activity map"</h1>
                <p class="am-subtitle" data-testid="feed-name">{feed_name}</p>
            </header>
            <main class="am-main">
                <MapView catalog=catalog visible=visible selected=selected tiles=settings.tiles.clone() />
                <section class="am-panel" aria-label="Activities">
                    {move || match status.get() {
                        Status::Loading => view! {
                            <div class="am-status" role="status" data-testid="loading">
                                <span class="am-spinner" aria-hidden="true"></span>
                                "Loading activities…"
                            </div>
                        }.into_any(),
                        Status::Failed(msg) => view! {
                            <div class="am-status am-status--error" role="alert" data-testid="feed-error">
                                <h2 class="am-status-title">"Sorry, we can't show activities right now"</h2>
                                <p>{msg}</p>
                                <button class="am-button" on:click=move |_| attempt.update(|n| *n += 1)>"Try again"</button>
                            </div>
                        }.into_any(),
                        Status::Ready => view! {
                            <details::Details catalog=catalog selected=selected />
                            <result_list::ResultList catalog=catalog visible=visible selected=selected />
                        }.into_any(),
                    }}
                </section>
            </main>
        </div>
    }
}
