//! The browser app: page layout, loading the feed, and the state the components share.
//!
//! `state::Finder` holds the signals; components read the slices they need.
//! `map_view` is the only module that talks to Leaflet and `loader` the only one
//! that does HTTP; `browser` wraps the other browser APIs.

mod answers;
mod browser;
mod details;
mod embed;
mod filter_panel;
mod first_view;
mod host;
mod latest;
mod loader;
mod loading;
mod map_view;
mod on_demand;
mod pack_reader;
mod paged;
mod problems;
mod relay;
mod result_list;
mod search_bar;
mod shortlist;
mod state;
mod widget;
mod words;

use crate::catalog::Preview;
use crate::url_state::FinderState;
use browser::OrLog;
use latest::Latest;
use leptos::prelude::*;
use state::Finder;
use wasm_bindgen::JsCast;

pub use map_view::MapView;

/// Where the app reads its feed when the link names none.
pub const DEFAULT_FEED: &str = crate::sample_feed::FILE;
/// The map's tiles when the link names none (assets/early-feed.js connects to their host
/// early: keep the two in step).
pub const DEFAULT_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

pub fn start() {
    console_error_panic_hook::set_once();
    // Loaded by the widget script: it mounts each `<activity-map>` element itself.
    if browser::get(&js_sys::global(), "__activityMapWidget").is_some_and(|v| v.is_truthy()) {
        return;
    }
    // The static "Loading…" line in index.html covers the time the wasm takes to arrive
    // (and, for the builder, its own part).
    let boot = document().get_element_by_id("am-boot");
    if browser::current_query().get("builder").is_some() {
        wasm_bindgen_futures::spawn_local(async move {
            let mounted = on_demand::mount_builder().await;
            if let Some(boot) = boot {
                match mounted {
                    Ok(()) => first_view::remove(),
                    Err(_) => boot.set_text_content(Some(
                        "The embed builder could not be downloaded. Check your internet connection and reload the page.",
                    )),
                }
            }
        });
    } else {
        // In a task of its own, after the one that started the wasm: together they made
        // one long task on a slow phone (BENCHMARKS.md, 2026-12-03 notes). The first
        // view draws the feed's first pins while the finder downloads. Its tiles are
        // asked for first: on an HTTP/1.1 host the finder's files would
        // otherwise take all six connections, and the tiles (the page's largest paint)
        // wait for them (BENCHMARKS.md, notes of 2026-12-03).
        wasm_bindgen_futures::spawn_local(async move {
            browser::yield_now().await;
            first_view::start().await;
            first_view::let_finder_start().await;
            match on_demand::mount_page().await {
                Ok(mounting) => mounting.await,
                Err(_) => {
                    if let Some(boot) = boot {
                        boot.set_text_content(Some(
                            "The activity map could not be downloaded. Check your internet connection and reload the page.",
                        ));
                    }
                }
            }
        });
    }
}

#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Failed(loader::LoadError),
    Ready,
}

/// How tall the list sheet stands over the map on a phone.
#[derive(Clone, Copy, PartialEq)]
pub enum Sheet {
    Low,
    Half,
    Full,
}

#[component]
pub fn App(host: host::Host) -> impl IntoView {
    let query = host.initial();
    let owns_url = host.owns_url();
    provide_context(host);
    let initial = FinderState::from_query(&query);
    let feed_url = initial
        .feed
        .clone()
        .unwrap_or_else(|| host.beside_app(DEFAULT_FEED));
    let tiles = initial
        .tiles
        .clone()
        .unwrap_or_else(|| DEFAULT_TILES.to_string());
    let geocoder = query
        .get("geocoder")
        .map(str::to_string)
        .unwrap_or_else(|| crate::geocode::DEFAULT_GEOCODER.to_string());
    let wanted = initial.selected.clone();
    let options = crate::url_state::feed_options(&query);
    let max_pages = query.get("pages").and_then(|p| p.trim().parse().ok());
    let embedded = crate::url_state::is_embed(&query);
    let finder = Finder::new(initial);
    provide_context(finder);
    provide_context(state::OnScreen::new());
    // The words: shown once they are in (English at once; another language is a small
    // file, fetched while the feed is). A later choice switches them where they stand.
    let words = words::Words::new();
    provide_context(words);
    let ready = RwSignal::new(words::wanted(finder.lang.get_untracked()) == crate::lang::Lang::En);
    // Only the newest choice is taken (two quick choices: the second wins, whichever
    // file arrives last). A language whose words cannot be had leaves the finder in
    // the one it speaks, and a choice of it is taken back (so the link and the picker
    // say what is shown).
    let switching = Latest::new();
    // At start, set only when it changes: set again to `true`, it built the whole
    // finder again in the task that mounted it.
    let now_ready = move || {
        if ready.try_get_untracked() == Some(false) {
            ready.set(true);
        }
    };
    Effect::new(move |_| {
        let chosen = finder.lang.get();
        let lang = words::wanted(chosen);
        let ticket = switching.start();
        if lang == words.now().lang() {
            now_ready();
            return;
        }
        leptos::task::spawn_local(async move {
            let got = words::load(lang, host).await;
            if !ticket.current() {
                return;
            }
            match got {
                Some(m) => words.set(m),
                None => {
                    words.refocus.try_set_value(false);
                    if chosen.is_some() {
                        let _ = finder.lang.try_set(Some(words.now().lang()));
                    }
                }
            }
            // Set even when already `true`: that builds the finder again, in the
            // words it has (a picker left on a language that could not be had).
            let _ = ready.try_set(true);
        });
    });
    if owns_url {
        in_next_task(move || {
            Effect::new(move |_| {
                // In the page's first view, the line goes with it (`first_view::remove`).
                if ready.get() {
                    if let Some(boot) = document().get_element_by_id("am-boot") {
                        if boot.closest("#am-first").ok().flatten().is_none() {
                            boot.remove();
                        }
                    }
                }
            });
            Effect::new(move |_| {
                let Some(html) = document().document_element() else {
                    return;
                };
                document().set_title(words.now().get("app.page_title"));
                // Set only when changed: a change restyles the whole page.
                for (name, value) in [("lang", words.lang().tag()), ("dir", words.dir())] {
                    if html.get_attribute(name).as_deref() != Some(value) {
                        html.set_attribute(name, value)
                            .or_log("the page's language");
                    }
                }
            });
        });
    }
    if query.get("show") == Some("shortlist") {
        finder.show_shortlist.set(true);
    }
    // The details are downloaded when an activity is first selected (and stay mounted
    // while one is: the part follows the selection itself).
    // The details and the shortlist dialog are downloaded when first opened, then kept:
    // mounted again on each opening, they would leave a little memory behind each time
    // (see relay.rs).
    let details_wanted = Memo::new(move |before: Option<&bool>| {
        before == Some(&true) || finder.selected.get().is_some()
    });
    let shortlist_wanted = Memo::new(move |before: Option<&bool>| {
        before == Some(&true) || finder.show_shortlist.get()
    });
    // The publisher's note is downloaded only for a feed with problems.
    let has_problems = move || {
        finder
            .catalog
            .with(|c| c.as_ref().is_some_and(|c| !c.loaded.problems.is_empty()))
    };
    let channel = use_context::<embed::Channel>()
        .or_else(|| embedded.then(|| embed::parent_channel(&query)).flatten());
    if let Some(channel) = channel {
        embed::talk_to_host(finder, channel, host.root());
    }

    let (answer, published) = answers::answer(finder);
    provide_context(answer);
    provide_context(published);
    provide_context(relay::Relays::new(finder));
    let shared = on_demand::Shared::here();

    // The feed, read into a catalog by one function the app awaits; "Try again" loads
    // it afresh, and only the newest load's answer is taken. (Leptos's `LocalResource`
    // does the same, but its async machinery added 10 KB gzip to the wasm: measured.)
    let opened: RwSignal<Option<Result<loading::Opened, loader::LoadError>>> = RwSignal::new(None);
    let loads = Latest::new();
    let source = StoredValue::new((feed_url, options, max_pages));
    let load = move || {
        let ticket = loads.start();
        opened.set(None);
        let (url, options, max_pages) = source.get_value();
        leptos::task::spawn_local(async move {
            let result = loading::open(url, options, max_pages, finder).await;
            if ticket.current() {
                opened.set(Some(result));
            }
        });
    };
    load();
    // Once it is in, the finder answers from it (with the pin the link asked for).
    // A tiled feed's activities are then fetched for the area in view, as it moves.
    Effect::new(move |_| {
        if let Some(Ok(o)) = opened.get() {
            let sel = wanted.as_deref().and_then(|id| o.catalog.index_of(id));
            match o.pack {
                Some(source) => {
                    // Its own code is in the finder: as a part of its own it cost the
                    // finder 5 more files (code both use), slower on a slow connection
                    // than the 12 KB it saved (measured: docs/pack-format.md).
                    finder
                        .pack
                        .set(Some(pack_reader::PackShown::new(source.clone())));
                    pack_reader::follow(finder, source, wanted.clone());
                }
                None => finder.pack.set(None),
            }
            finder.catalog.set(Some(o.catalog));
            finder.preview.set(Preview::default());
            finder.selected.set(sel);
        }
    });
    // Ready once the first answer is in: the map's pins come first (a large feed's first
    // answer is worked out in slices), then the rest of the finder.
    let status = Memo::new(move |_| match opened.get() {
        None => Status::Loading,
        Some(Err(e)) => Status::Failed(e),
        Some(Ok(_)) if answer.answered.get() => Status::Ready,
        Some(Ok(_)) => Status::Loading,
    });
    let stale = move || opened.get().and_then(|o| o.ok()?.stale);
    let partial = move || opened.get().and_then(|o| o.ok()?.partial);
    // Once ready, the finder is shown in steps a frame apart: the search, then the
    // filters, then the list, so no step is one long task (each is mostly the browser
    // laying out what is new). Each part watches only whether it is shown, so a later
    // step never builds an earlier part again.
    let shown_parts = RwSignal::new(0u8);
    let shown = move |part: u8| Memo::new(move |_| shown_parts.get() >= part);
    let (show_search, show_filters, show_list) = (shown(1), shown(2), shown(3));
    let showing = Latest::new();
    Effect::new(move |_| {
        let ticket = showing.start();
        if status.get() != Status::Ready {
            shown_parts.set(0);
            return;
        }
        leptos::task::spawn_local(async move {
            for part in 1..=3 {
                browser::after_paint().await;
                if !ticket.current() {
                    return;
                }
                shown_parts.set(part);
            }
            if let Some(cat) = finder.catalog.get_untracked() {
                loading::prepare_search(cat);
            }
        });
    });
    let sheet = RwSignal::new(Sheet::Half);

    in_next_task(move || {
        // Inside a partner's iframe, new history entries would hijack the host page's
        // back button, so the link is only ever replaced there.
        if owns_url {
            state::bind_to_link(finder, !embedded);
        } else {
            state::keep_shortlist(finder);
        }
        // Selecting something raises the sheet so its details can be read.
        Effect::new(move |_| {
            if finder.selected.get().is_some() && sheet.get_untracked() == Sheet::Low {
                sheet.set(Sheet::Half);
            }
        });
    });

    let feed_name = move || {
        finder
            .feed_name()
            .unwrap_or_else(|| words.t("app.default_feed_name"))
    };
    let shortlist_count = move || finder.shortlist.with(Vec::len);

    let full_map = move || host.link(&finder.snapshot().to_query(&host.initial()));
    let w = words;
    let geocoder = StoredValue::new(geocoder);
    // Keyboard focus stays on the language picker through a change of language.
    Effect::new(move |before: Option<crate::lang::Lang>| {
        let now = w.lang();
        if before.is_some_and(|b| b != now) && w.refocus.get_value() {
            w.refocus.set_value(false);
            request_animation_frame(move || host.focus("am-lang-select"));
        }
        now
    });
    // The finder is built in steps a task apart: its state and effects, then its
    // frame, the header, the map, and the panel. Built at once, they made one task of
    // 131-176 ms on a slow phone (BENCHMARKS.md). On the page, its first view covers
    // the finder until the finder's map has its tiles, so the steps are not seen. Each
    // part watches only whether it is built, so a later step never builds an earlier
    // part again (and a change of language builds all of them at once).
    let built = RwSignal::new(0u8);
    let built_to = move |step: u8| Memo::new(move |_| built.get() >= step);
    let (build_shell, build_header, build_map, build_panel) =
        (built_to(1), built_to(2), built_to(3), built_to(4));
    leptos::task::spawn_local(async move {
        for step in 1..=4 {
            browser::yield_now().await;
            if built.try_set(step).is_some() {
                return;
            }
        }
    });
    // A new language builds the finder again, in it (what the person chose is kept:
    // it is in `finder`, outside). Each text is then plain text, not a closure of its own.
    move || {
        let m = w.current();
        (ready.get() && build_shell.get()).then(|| view! {
        <div class="am-app" class:am-app--embed=embedded lang=m.lang().tag() dir=w.dir()>
            {let m = m.clone(); move || build_header.get().then(|| { let m = m.clone(); view! {
            <header class="am-header">
                <div class="am-header-text">
                    <h1 class="am-title">{m.get("app.title").to_string()}</h1>
                    <p class="am-subtitle" data-testid="feed-name" dir="auto">{feed_name}</p>
                </div>
                <LanguagePicker />
                {embedded.then(|| view! {
                    <a class="am-header-button" data-testid="full-map" href=full_map target="_blank" rel="noopener">
                        {m.get("app.view_full_map").to_string()}<span class="am-sr">" "{m.get("app.new_tab").to_string()}</span>
                    </a>
                })}
                <button
                    class="am-header-button"
                    id="am-open-shortlist"
                    data-testid="open-shortlist"
                    aria-haspopup="dialog"
                    on:click=move |_| finder.show_shortlist.set(true)
                >
                    <span aria-hidden="true">"★ "</span>
                    {let m = m.clone(); move || m.fill("app.shortlist_button", &[("n", &shortlist_count().to_string())])}
                </button>
            </header>
            }})}
            <main class="am-main">
                {let tiles = tiles.clone(); move || build_map.get().then(|| view! {
                    <MapView tiles=tiles.clone() settled=move || status.get() != Status::Loading />
                })}
                {let m = m.clone(); move || build_panel.get().then(|| { let m = m.clone(); view! {
                <section
                    class="am-panel"
                    aria-label=m.get("app.panel_label").to_string()
                    class:am-panel--low=move || sheet.get() == Sheet::Low
                    class:am-panel--full=move || sheet.get() == Sheet::Full
                >
                    <SheetHandle sheet=sheet />
                    <div class="am-panel-body" id="am-panel-body">
                        {let m = m.clone(); move || match status.get() {
                            Status::Loading => view! {
                                <div class="am-status" role="status" data-testid="loading">
                                    <span class="am-spinner" aria-hidden="true"></span>
                                    {m.get("status.loading").to_string()}
                                    // Counted on screen, not announced at every step.
                                    <span class="am-status-count" aria-hidden="true" data-testid="loading-count">
                                        {let m = m.clone(); move || match finder.preview.with(|p| (p.pages, p.read)) {
                                            (0, 0) => String::new(),
                                            (0, n) => format!(" {}", m.count("status.read_so_far", n as u64, &[])),
                                            (pages, n) => format!(" {}", m.fill("status.pages_read", &[("pages", &paged::grouped(pages)), ("read", &paged::grouped(n))])),
                                        }}
                                    </span>
                                </div>
                            }.into_any(),
                            Status::Failed(e) => view! {
                                <div class="am-status am-status--error" role="alert" data-testid="feed-error">
                                    <h2 class="am-status-title">{m.get("status.failed").to_string()}</h2>
                                    <p>{e.in_words(&m)}</p>
                                    <button class="am-button" on:click=move |_| load()>{m.get("status.try_again").to_string()}</button>
                                </div>
                            }.into_any(),
                            Status::Ready => view! {
                                {stale().map(|(saved, why)| view! {
                                    <div class="am-note" role="status" data-testid="stale-note">
                                        <strong>{m.get("stale.title").to_string()}</strong>" "
                                        {m.fill("stale.from", &[("when", &saved_when(&saved, &m))])}" "
                                        {m.get("stale.detail").to_string()}" "
                                        <span class="am-note-why">{why.in_words(&m)}</span>
                                    </div>
                                })}
                                {partial().map(|why| view! {
                                    <div class="am-note" role="status" data-testid="partial-note">
                                        <strong>{m.get("partial.title").to_string()}</strong>" "{why.in_words(&m)}
                                    </div>
                                })}
                                {move || has_problems().then(|| on_demand::when_here(move |el| on_demand::problems_note(el, shared)))}
                                {move || show_search.get().then(|| view! { <search_bar::SearchBar geocoder=geocoder.get_value() /> })}
                                {move || show_filters.get().then(|| view! { <filter_panel::FilterPanel /> })}
                                {move || details_wanted.get().then(|| on_demand::when_here(move |el| on_demand::details(el, shared)))}
                                {move || show_list.get().then(|| view! { <result_list::ResultList /> })}
                            }.into_any(),
                        }}
                    </div>
                </section>
                }})}
            </main>
            // Downloaded when first opened (then kept), and (the printed page) once anything
            // is starred; built again in a new language.
            {move || shortlist_wanted.get().then(|| on_demand::when_here(move |el| on_demand::shortlist_dialog(el, shared)))}
            {move || finder.shortlist.with(|s| !s.is_empty()).then(|| on_demand::when_here(move |el| on_demand::print_shortlist(el, shared)))}
        </div>
    }
    // One type for whatever was built: its "build again" is then a plain replace, not
    // code of its own for every element of the page (14 KB of wasm, measured).
    .into_any())
    }
}

/// Run `f` in the next task, under the component running now (the effects it makes
/// are that component's, and end with it; not run if it has ended meanwhile). For
/// effects that the first paint of the finder does not need: made and first run in
/// the task that mounts it, they made it a long task on a slow phone (BENCHMARKS.md).
fn in_next_task(f: impl FnOnce() + 'static) {
    let owner = Owner::current();
    let alive = StoredValue::new(());
    leptos::task::spawn_local(async move {
        browser::yield_now().await;
        if alive.try_get_value().is_none() {
            return;
        }
        match owner {
            Some(owner) => owner.with(f),
            None => f(),
        }
    });
}

/// The languages the finder speaks, each named in its own language. A choice goes in
/// the link (`?lang=`) and the finder's words change where they stand.
#[component]
fn LanguagePicker() -> impl IntoView {
    let finder = expect_context::<Finder>();
    let w = words::words();
    view! {
        <label class="am-lang">
            <span class="am-sr">{w.now().get("app.language").to_string()}</span>
            // Drawn, not an emoji: no font to look for (see the list's star).
            <svg class="am-lang-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2">
                <circle cx="12" cy="12" r="9" />
                <path d="M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9s1.3-6.3 3.8-9z" />
            </svg>
            <select
                class="am-lang-select"
                id="am-lang-select"
                data-testid="language"
                prop:value=w.now().lang().code()
                on:change=move |e| {
                    w.refocus.set_value(true);
                    finder.lang.set(crate::lang::Lang::parse(&event_target_value(&e)));
                }
            >
                {crate::lang::Lang::ALL.into_iter().map(|l| view! {
                    <option value=l.code() lang=l.tag() selected=l == w.now().lang()>{l.name()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// "Mon 23 Nov 2026, 14:05 UTC" from an ISO timestamp; the raw text if it can't be read.
fn saved_when(iso: &str, m: &crate::lang::Messages) -> String {
    let date = crate::schedule::date_in_words(iso.get(..10).unwrap_or(iso), m);
    match iso.get(11..16) {
        Some(t) => m.fill("date.with_time_utc", &[("date", &date), ("time", t)]),
        None => date,
    }
}

/// The grip at the top of the phone sheet: a button for keyboards and screen
/// readers, and a drag handle for fingers.
#[component]
fn SheetHandle(sheet: RwSignal<Sheet>) -> impl IntoView {
    let drag_from = StoredValue::new(None::<f64>);
    // A drag ends with a click too; that click must not move the sheet again.
    let dragged = StoredValue::new(false);
    let m = words::words().now();
    let (show_map, show_list) = (
        m.get("sheet.show_map").to_string(),
        m.get("sheet.show_list").to_string(),
    );
    let label = move || match sheet.get() {
        Sheet::Full => show_map.clone(),
        _ => show_list.clone(),
    };
    view! {
        <button
            class="am-sheet-handle"
            data-testid="sheet-handle"
            aria-controls="am-panel-body"
            aria-expanded=move || if sheet.get() == Sheet::Full { "true" } else { "false" }
            on:click=move |_| {
                if dragged.get_value() {
                    dragged.set_value(false);
                    return;
                }
                sheet.update(|s| *s = match *s { Sheet::Low => Sheet::Half, Sheet::Half => Sheet::Full, Sheet::Full => Sheet::Low })
            }
            on:pointerdown=move |e| {
                drag_from.set_value(Some(e.client_y() as f64));
                // Keep receiving the pointer when the finger leaves the handle.
                if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    el.set_pointer_capture(e.pointer_id()).or_log("following the finger");
                }
            }
            on:pointerup=move |e| {
                if let Some(y0) = drag_from.get_value() {
                    let dy = e.client_y() as f64 - y0;
                    if dy.abs() > 30.0 {
                        dragged.set_value(true);
                        // Settle where the finger let go: high, middle or low.
                        let h = window().inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(800.0);
                        let at = e.client_y() as f64 / h;
                        sheet.set(if at < 0.3 { Sheet::Full } else if at < 0.7 { Sheet::Half } else { Sheet::Low });
                    }
                }
                drag_from.set_value(None);
            }
        >
            <span class="am-sheet-grip" aria-hidden="true"></span>
            <span class="am-sr">{label}</span>
        </button>
    }
}
