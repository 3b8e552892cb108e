//! The list of matching activities: the map's text alternative.

use super::answers::Published;
use super::latest::Latest;
use super::pack_reader::PackSearch;
use super::relay::{Around, Relay, Relays};
use super::state::Finder;
use super::words::words;
use crate::schedule::when_in_words;
use leptos::prelude::*;

/// Rows drawn at first; more are added as the person asks for them.
const PAGE: usize = 60;
/// Rows drawn in the same moment as the map: the top of the list; the rest of the
/// first page follows a step per frame, so a filter change never blocks for long.
const FIRST: usize = 3;
/// Rows added per frame on the way to what is wanted: each row costs about as much
/// to build as the browser then spends laying it out (rows out of sight are skipped,
/// see the stylesheet), so a few a frame keep every step short on a slow phone
/// (BENCHMARKS.md, notes: "The list").
const STEP: usize = 6;

/// Rows added per frame after "Show more" (the person asked for them): larger steps, so
/// the button below the rows moves for fewer frames.
const STEP_MORE: usize = 30;

#[component]
pub fn ResultList() -> impl IntoView {
    let finder = expect_context::<Finder>();
    let Published { listed, facets } = expect_context::<Published>();
    let shown = RwSignal::new(FIRST);
    // How many rows are wanted: `shown` catches up a step per frame.
    let goal = StoredValue::new(FIRST);
    // Each call of `grow_to` starts a new catching-up loop: only the newest goes on.
    let growing = Latest::new();
    // Draw `n` rows at once.
    let jump_to = move |n: usize| {
        goal.set_value(n);
        shown.set(n);
    };
    // Want at least `n` rows, drawn `step` a frame.
    let grow_to = move |n: usize, step: usize| {
        goal.update_value(|g| *g = (*g).max(n));
        let ticket = growing.start();
        leptos::task::spawn_local(async move {
            while ticket.current() {
                let (Some(now), Some(want)) = (shown.try_get_untracked(), goal.try_get_value())
                else {
                    break;
                };
                if now >= want {
                    break;
                }
                shown.set((now + step).min(want));
                super::browser::after_paint().await;
            }
        });
    };
    let relays = expect_context::<Relays>();
    let resets = Latest::new();
    // A new result set starts from the top again: a screenful at once (drawn by the
    // set's own `For`, below), the page soon after.
    Effect::new(move |_| {
        listed.track();
        let ticket = resets.start();
        leptos::task::spawn_local(async move {
            super::browser::sleep(60).await;
            if ticket.current() {
                grow_to(PAGE, STEP);
            }
        });
    });
    // A pin chosen on the map must have its row drawn, however far down it is.
    Effect::new(move |_| {
        if let Some(sel) = finder.selected.get() {
            if let Some(pos) = listed.with_untracked(|l| l.iter().position(|&i| i == sel)) {
                if pos >= shown.get_untracked() {
                    jump_to(pos + PAGE);
                }
            }
        }
    });
    // Built again in a new language (see App).
    let m = words().now();
    let count = {
        let m = m.clone();
        move || {
            let n = listed.with(Vec::len) as u64;
            match finder.origin.get() {
                Some(o) if o.device => m.count("results.count_near_you", n, &[]),
                Some(o) => m.count("results.count_near", n, &[("place", &o.label)]),
                None => m.count("results.count", n, &[]),
            }
        }
    };
    // Typo matches come last; say they are there, so none looks like a mistake.
    let near = {
        let m = m.clone();
        move || match (facets.with(|f| f.near), listed.with(Vec::len)) {
            (0, _) => None,
            (n, all) if n >= all => Some(m.count("results.near_all", n as u64, &[])),
            (n, _) => Some(m.count("results.near_last", n as u64, &[])),
        }
    };
    let t = super::words::lookup(&m);
    let more_text = {
        let m = m.clone();
        move |n: usize| m.fill("results.more", &[("n", &super::paged::grouped(n))])
    };
    // Rows read `shown` through a copy too (see below).
    let shown_relay = Relay::new(move || shown.get());
    let more = move || listed.with(Vec::len).saturating_sub(shown.get());
    let has_more = Memo::new(move |_| more() > 0);
    let show_more = move |_| {
        grow_to(
            goal.get_value().max(shown.get_untracked()) + PAGE * 2,
            STEP_MORE,
        )
    };
    let near_shown = near.clone();
    // A tiled feed lists only the tiles in view, and what a search found across it:
    // say so, and say what is missing.
    let pack_note = {
        let m = m.clone();
        move || {
            finder.pack.with(|p| {
                p.as_ref().map(|p| {
                    let total = super::paged::grouped(p.source.total());
                    let total = ("total", total.as_str());
                    match &p.search {
                        PackSearch::Off => m.fill("pack.in_area", &[total]),
                        PackSearch::Looking => m.fill("pack.search_looking", &[total]),
                        PackSearch::Failed => m.fill("pack.search_failed", &[]),
                        PackSearch::NotInNames => m.fill("pack.search_none", &[total]),
                        PackSearch::TooMany { word, activities } => {
                            let n = super::paged::grouped(*activities);
                            m.fill("pack.search_too_many", &[("word", word), ("n", &n)])
                        }
                        PackSearch::Found { tiles, read } if read >= tiles => {
                            m.fill("pack.search_found", &[total])
                        }
                        PackSearch::Found { tiles, read } => m.fill(
                            "pack.search_nearest",
                            &[
                                total,
                                ("tiles", &tiles.to_string()),
                                ("read", &read.to_string()),
                            ],
                        ),
                    }
                })
            })
        }
    };
    // The index counts categories only: while a choice other than a category narrows the
    // pins, the clusters still count every activity of the chosen categories. Said, so a
    // "48" that opens into 5 pins is no surprise.
    let pack_counts_all = {
        let m = m.clone();
        move || {
            let clustered = finder
                .pack
                .with(|p| p.as_ref().is_some_and(|p| !p.clusters.is_empty()));
            let narrowed = finder.filters.with(|f| {
                let mut rest = f.clone();
                rest.categories.clear();
                rest.search.clear();
                !rest.is_empty() || rest.radius.is_some()
            });
            (clustered && narrowed).then(|| m.get("pack.clusters_count_all").to_string())
        }
    };
    let pack_missing = {
        let m = m.clone();
        move || {
            finder.pack.with(|p| match p.as_ref().map(|p| p.missing) {
                Some(n) if n > 0 => Some(m.count("pack.missing", n as u64, &[])),
                _ => None,
            })
        }
    };
    view! {
        <div class="am-results">
            <div class="am-results-head">
                <h2 class="am-results-count" data-testid="result-count" aria-live="polite">{count}</h2>
                <label class="am-toggle">
                    <input
                        type="checkbox"
                        data-testid="in-view-only"
                        prop:checked=move || finder.in_view_only.get()
                        on:change=move |e| finder.in_view_only.set(event_target_checked(&e))
                    />
                    " "{t("results.in_view")}
                </label>
            </div>
            <p class="am-hint am-near-note" data-testid="near-note" hidden=move || near_shown().is_none()>{near}</p>
            {move || pack_note().map(|note| view! { <p class="am-hint" data-testid="pack-note">{note}</p> })}
            {move || pack_counts_all().map(|note| view! { <p class="am-hint" data-testid="pack-counts-all">{note}</p> })}
            {move || pack_missing().map(|note| view! { <p class="am-note" role="status" data-testid="pack-missing">{note}</p> })}
            {move || (listed.with(Vec::is_empty)).then(|| view! {
                <div class="am-empty" data-testid="empty">
                    <p>{t("results.none")}</p>
                    <button class="am-button" on:click=move |_| { finder.clear_filters(); finder.in_view_only.set(false); }>
                        {t("results.clear")}
                    </button>
                </div>
            })}
            <ul class="am-list" data-testid="result-list">
                // Each result set gets a scope of its own, dropped with the set: its rows,
                // and the copies they read (see relay.rs).
                {move || {
                    listed.track();
                    // From the top, set here rather than in an effect, which might run
                    // after this: the new `For` would draw as many rows as the old set
                    // had shown, only to drop all but the first few a moment later.
                    untrack(|| jump_to(FIRST));
                    let around = relays.around();
                    let shown = shown_relay.copy();
                    // A new result set is drawn by a new `For`, so only `shown` is followed here.
                    let visible = move || {
                        let n = shown.get();
                        listed.with_untracked(|l| l.iter().take(n).copied().collect::<Vec<_>>())
                    };
                    view! { <For each=visible key=|i| *i children=move |i| view! { <ResultItem index=i around /> } /> }
                }}
            </ul>
            // Always the same element, hidden when there is no more (only its words
            // change), so a press or focus is never lost to a redraw, and nothing is
            // left behind as it comes and goes (see relay.rs).
            <button class="am-button am-button--secondary am-more" data-testid="show-more" on:click=show_more hidden=move || !has_more.get()>
                {move || more_text(more())}
            </button>
        </div>
    }
}

#[component]
fn ResultItem(index: usize, around: Around) -> impl IntoView {
    let finder = expect_context::<Finder>();
    let Some(cat) = finder.catalog.get_untracked() else {
        return ().into_any();
    };
    let Some(a) = cat.get(index) else {
        return ().into_any();
    };
    // Rows are built again in a new language with the list (see App).
    let m = words().now();
    let colour = cat.colour(&a.category).to_string();
    let label = cat.label(&a.category, &m);
    let when = when_in_words(a, &m)
        .into_iter()
        .next()
        .unwrap_or_else(|| m.get("results.ask_times").to_string());
    let place = a.location.summary(&m);
    let cost = a.cost.summary(&m);
    let star_label = m.fill("results.star", &[("name", &a.name)]);
    let name = a.name.clone();
    let id = a.id.clone();
    let point = a.point();
    // "1.2 km · about 15 min walk": one closure, reading the row's copies (no signal
    // or effect of its own).
    let distance = move || {
        let (d, walk) = around.distance_to(point, &m)?;
        Some(match walk {
            Some(w) => format!("{d} · {w}"),
            None => m.fill("results.away", &[("distance", &d)]),
        })
    };
    let is_selected = move || around.is_selected(index);
    let id = StoredValue::new(id);
    let starred = move || id.with_value(|id| around.is_starred(id));
    view! {
        <li class="am-item" id=format!("am-item-{index}") class:am-item--selected=is_selected>
            <button
                class="am-item-button"
                data-testid="result-item"
                aria-current=move || if is_selected() { "true" } else { "false" }
                on:click=move |_| finder.selected.set(Some(index))
            >
                <span class="am-item-name" dir="auto">{name}</span>
                <span class="am-item-meta">
                    <span class="am-dot" style:background-color=colour aria-hidden="true"></span>
                    {label}
                </span>
                {move || distance().map(|d| view! { <span class="am-item-line am-distance" data-testid="distance">{d}</span> })}
                <span class="am-item-line">{when}</span>
                <span class="am-item-line" dir="auto">{place}</span>
                <span class="am-item-line am-item-cost">{cost}</span>
            </button>
            <button
                class="am-star"
                class:am-star--on=starred
                data-testid="star"
                aria-label=star_label
                aria-pressed=move || if starred() { "true" } else { "false" }
                on:click=move |_| id.with_value(|id| finder.toggle_shortlist(id))
            >
                // Drawn, not a ★ character: the character sent the browser looking
                // for a font that has it, half the list's first layout on a slow phone.
                <svg class="am-star-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M12 2.6l2.8 6 6.6.7-4.9 4.5 1.4 6.5L12 17l-5.9 3.3 1.4-6.5L2.6 9.8l6.6-.7z" />
                </svg>
            </button>
        </li>
    }
    .into_any()
}
