//! The only module that talks to Leaflet.
//!
//! The map is created once when its container mounts and removed on cleanup
//! ([`map`]). Effects keep it in step with the finder: one redraws the marks (pins
//! and clusters, computed in Rust by `cluster`, built by [`marks`]) whenever the
//! visible activities, the view or the selection change; only what is drawn crosses
//! to JavaScript. Clicks are handled by a single listener on the marks' layer group,
//! so redraws create no closures. Every Leaflet call goes through [`leaflet`]'s
//! typed bindings.

mod first;
mod leaflet;
mod map;
mod marks;
mod opening;

pub use self::first::FirstMap;
use self::leaflet::LatLng;
use self::map::{Leaflet, Reports, FOCUS_ZOOM};
use self::marks::{pins_of, plan};
use self::opening::Opening;
use super::answers::{Answer, SLICED_FROM};
use super::browser::{self, OrLog};
use super::host::Host;
use super::latest::Latest;
use super::state::Finder;
use super::words::words;
use crate::cluster::{Mark, Tally};
use crate::url_state::MapView as UrlView;
use leptos::prelude::*;
use std::sync::Arc;

/// Pins up to which new results are drawn in the task that found them (see
/// [`redraw_marks`]).
const DRAW_AT_ONCE_UP_TO: usize = 3_000;

/// The map. `settled`: the feed has been read, or could not be (the tiles wait for one
/// or the other when nothing says where the feed's pins are: see [`opening`]).
#[component]
pub fn MapView(tiles: String, #[prop(into)] settled: Signal<bool>) -> impl IntoView {
    let ctx = Ctx {
        finder: expect_context::<Finder>(),
        host: expect_context::<Host>(),
        leaflet: StoredValue::new_local(None),
        view_changed: RwSignal::new(0),
        from_map: StoredValue::new(false),
        fitted_preview: StoredValue::new(false),
        touched: StoredValue::new(false),
        opened_pack: StoredValue::new(false),
        started: RwSignal::new(false),
        tiles: StoredValue::new(Some(tiles)),
    };
    let container = NodeRef::<leptos::html::Div>::new();

    start_map(ctx, container);
    tiles_once_settled(ctx, settled);
    open_on_feed(ctx);
    follow_selection(ctx);
    report_view(ctx);
    follow_link(ctx);
    show_origin(ctx);
    show_preview(ctx);
    redraw_marks(ctx);
    name_controls(ctx);

    let touched = ctx.touched;
    let w = words();
    view! {
        <div class="am-map-wrap">
            <div class="am-map" node_ref=container data-testid="map" role="region" aria-label=w.now().get("map.label").to_string()
                on:pointerdown=move |_| touched.set_value(true)
                on:wheel=move |_| touched.set_value(true)
                on:keydown=move |_| touched.set_value(true)
            ></div>
        </div>
    }
}

/// What the map's effects share.
#[derive(Clone, Copy)]
struct Ctx {
    finder: Finder,
    host: Host,
    /// The map, once its container has mounted.
    leaflet: StoredValue<Option<Leaflet>, LocalStorage>,
    /// Bumped by Leaflet on every finished pan or zoom.
    view_changed: RwSignal<u32>,
    /// Set while a selection comes from the map itself, so the map does not jump.
    from_map: StoredValue<bool>,
    /// The view came from opening on the preview (not from the link or the person).
    fitted_preview: StoredValue<bool>,
    /// The person has pressed, scrolled or typed on the map.
    touched: StoredValue<bool>,
    /// The map has been created (in the task after the app mounted).
    started: RwSignal<bool>,
    /// The tiles' address, until they are put on the map.
    tiles: StoredValue<Option<String>>,
    /// A tiled feed has been opened on (once: then the map is the person's to move).
    opened_pack: StoredValue<bool>,
}

impl Ctx {
    /// Run `f` on the map, if it has started. An effect that calls this runs again
    /// once the map starts, so one that ran before it did catches up.
    fn with_map<T: Default>(&self, f: impl FnOnce(&Leaflet) -> T) -> T {
        self.started.track();
        self.leaflet
            .with_value(|l| l.as_ref().map(f).unwrap_or_default())
    }

    /// As [`with_map`](Self::with_map), from a task that may outlive the component.
    fn try_with_map(&self, f: impl FnOnce(&Leaflet)) {
        self.leaflet.try_with_value(|l| l.as_ref().map(f));
    }

    /// Put the tiles under the marks, once the map knows where to look (the first call
    /// after the map has started; later ones do nothing).
    fn show_tiles(&self) {
        self.try_with_map(|l| self.show_tiles_on(l));
    }

    /// As [`show_tiles`](Self::show_tiles), given the map.
    fn show_tiles_on(&self, l: &Leaflet) {
        if let Some(t) = self.tiles.try_update_value(Option::take).flatten() {
            l.add_tiles(&t);
        }
    }

    /// The feed's address as the link gives it (`None`: the sample feed).
    fn feed(&self) -> Option<String> {
        self.finder.settings.with_value(|s| s.feed.clone())
    }
}

/// Create the map once its container mounts, where [`opening`] says; remove it on
/// cleanup.
fn start_map(ctx: Ctx, container: NodeRef<leptos::html::Div>) {
    let reports = Reports {
        view_changed: ctx.view_changed,
        selected: ctx.finder.selected,
        from_map: ctx.from_map,
    };
    // In a task of its own, just after the app has mounted: creating the map (Leaflet
    // lays out the page to measure its box, then places the tiles) is the largest step
    // of start-up, and in the same task as mounting the app it made one task of 340 ms
    // on a slow phone (BENCHMARKS.md, notes of 2026-12-02 afternoon).
    let asked = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(div) = container.get() else { return };
        if asked.get_value() {
            return;
        }
        asked.set_value(true);
        leptos::task::spawn_local(async move {
            // After a frame: the frame lays out the finder just built, so Leaflet does
            // not have to when it measures its box.
            browser::after_paint().await;
            // Gone meanwhile (a widget removed at once): nothing to start.
            if ctx.leaflet.try_with_value(Option::is_some) != Some(false) {
                return;
            }
            let view = ctx.finder.map_view.get_untracked();
            let opening = Opening::find(view, ctx.feed().as_deref(), ctx.host.owns_url());
            match Leaflet::create(&div, opening, ctx.host, reports) {
                Ok(l) => {
                    ctx.leaflet.set_value(Some(l));
                    // The page's first view goes once this map's tiles are in, and
                    // at the latest a moment after this map is here.
                    if ctx.host.owns_url() {
                        leptos::task::spawn_local(async {
                            browser::sleep(crate::app::first_view::HOLD_MS).await;
                            crate::app::first_view::remove();
                        });
                    }
                    // A guess at the feed's area: the feed's own pins replace it.
                    if matches!(opening, Opening::Area(_)) {
                        ctx.fitted_preview.set_value(true);
                    }
                    // The effects that were waiting for the map (the pins among them)
                    // run in the next task: with the map's creation they made one task
                    // of 100-140 ms on a slow phone.
                    browser::yield_now().await;
                    if ctx.started.try_set(true).is_some() {
                        return;
                    }
                }
                Err(e) => {
                    leptos::logging::error!("map could not start: {e:?}");
                    return;
                }
            }
            if opening.knows_where() {
                browser::yield_now().await;
                ctx.show_tiles();
            }
        });
    });
    on_cleanup(move || {
        if let Some(l) = ctx.leaflet.try_update_value(Option::take).flatten() {
            l.remove();
        }
    });
}

/// The tiles, at the latest once the feed has been read or has failed.
fn tiles_once_settled(ctx: Ctx, settled: Signal<bool>) {
    Effect::new(move |_| {
        ctx.started.track();
        if settled.get() {
            ctx.show_tiles();
        }
    });
}

/// Open on the feed's pins (or the shared selection) once the feed arrives, unless the
/// link says where to look or the person has moved the map meanwhile. The feed's area
/// is kept for the next visit (see [`opening`]).
fn open_on_feed(ctx: Ctx) {
    let Ctx { finder, .. } = ctx;
    Effect::new(move |_| {
        // Runs again once the map starts: the catalog may come first.
        if !ctx.started.get() {
            return;
        }
        let Some(cat) = finder.catalog.get() else {
            return;
        };
        // A tiled feed opens once, on the whole of it; its catalog changes as the map
        // moves, and the map follows the person, not the catalog.
        let pack_area = finder
            .pack
            .with_untracked(|p| p.as_ref().map(|p| p.source.index.area()));
        if let Some(area) = pack_area {
            if ctx.opened_pack.get_value() {
                return;
            }
            ctx.opened_pack.set_value(true);
            if finder.map_view.get_untracked().is_none() {
                ctx.try_with_map(|l| {
                    if let Some(b) = area {
                        l.camera.open_on(b);
                    }
                    ctx.show_tiles_on(l);
                });
            }
            return;
        }
        if let (Some(area), true) = (cat.bounds(), ctx.host.owns_url()) {
            opening::remember(ctx.feed().as_deref(), area);
        }
        let ours = ctx.fitted_preview.get_value() && !ctx.touched.get_value();
        if finder.map_view.get_untracked().is_some() && !ours {
            return;
        }
        // In a task of its own: Leaflet redraws the whole view for it, which together
        // with the catalog's other news came to one long task.
        leptos::task::spawn_local(async move {
            browser::yield_now().await;
            let target = finder
                .selected
                .try_get_untracked()
                .flatten()
                .and_then(|i| cat.get(i))
                .and_then(|a| a.point());
            ctx.try_with_map(|l| {
                match (target, cat.bounds()) {
                    (Some(p), _) => l.camera.centre_on(p.lat, p.lng, FOCUS_ZOOM),
                    (None, Some(b)) => l.camera.open_on(b),
                    (None, None) => {}
                }
                ctx.show_tiles_on(l);
            });
        });
    });
}

/// When the list selects an activity, bring its pin into view.
fn follow_selection(ctx: Ctx) {
    let Ctx { finder, .. } = ctx;
    Effect::new(move |prev: Option<Option<usize>>| {
        let sel = finder.selected.get();
        if prev.is_some() && sel.is_some() && !ctx.from_map.get_value() {
            let point = finder.catalog.with_untracked(|c| {
                c.as_ref()
                    .and_then(|c| sel.and_then(|i| c.get(i)))
                    .and_then(|a| a.point())
            });
            if let Some(p) = point {
                ctx.with_map(|l| {
                    let zoom = l.map.get_zoom().max(FOCUS_ZOOM);
                    l.camera.centre_on(p.lat, p.lng, zoom);
                });
            }
        }
        ctx.from_map.set_value(false);
        sel
    });
}

/// Report what the map shows, for the list and the link.
fn report_view(ctx: Ctx) {
    let Ctx { finder, .. } = ctx;
    Effect::new(move |_| {
        ctx.view_changed.track();
        ctx.with_map(|l| {
            let c = l.map.get_center();
            let zoom = l.map.get_zoom();
            finder.view_zoom.set(zoom);
            finder.view_bounds.set(Some(l.bounds()));
            if ctx.view_changed.get_untracked() > 0 {
                finder.map_view.set(Some(UrlView {
                    lat: round5(c.lat()),
                    lng: round5(c.lng()),
                    zoom,
                }));
            }
        });
    });
}

/// Back/forward to a link with another view moves the map there.
fn follow_link(ctx: Ctx) {
    Effect::new(move |_| {
        let Some(v) = ctx.finder.map_view.get() else {
            return;
        };
        ctx.with_map(|l| {
            let c = l.map.get_center();
            let same = (round5(c.lat()) - v.lat).abs() < 1e-4
                && (round5(c.lng()) - v.lng).abs() < 1e-4
                && l.map.get_zoom() == v.zoom;
            if !same {
                l.map.set_view(&LatLng::new(v.lat, v.lng), v.zoom);
            }
        });
    });
}

/// A chosen place (or the device's position) brings its surroundings into view.
fn show_origin(ctx: Ctx) {
    Effect::new(move |_| {
        let at = ctx.finder.origin.with(|o| o.as_ref().map(|o| o.at));
        let km = ctx.finder.radius.get().map(|r| r.km());
        ctx.with_map(|l| l.show_origin(at, km));
    });
}

/// While the feed arrives, show what has been read so far; the first of these opens
/// the map on them (unless the link says where to look).
fn show_preview(ctx: Ctx) {
    let Ctx { finder, .. } = ctx;
    let fitted = StoredValue::new(finder.map_view.get_untracked().is_some());
    let tally: StoredValue<Tally, LocalStorage> = StoredValue::new_local(Tally::default());
    Effect::new(move |_| {
        ctx.view_changed.track();
        if finder.catalog.with(Option::is_some) {
            return;
        }
        finder.preview.with(|p| {
            ctx.with_map(|l| {
                if p.points.is_empty() {
                    l.preview.clear();
                    return;
                }
                if !fitted.get_value() {
                    fitted.set_value(true);
                    ctx.fitted_preview.set_value(true);
                    if let Some(b) = p.bounds() {
                        l.camera.open_on(b);
                    }
                    ctx.show_tiles_on(l);
                }
                let (view, zoom) = (l.bounds().padded(0.2), l.map.get_zoom());
                tally.update_value(|t| {
                    l.preview.draw(p, t, view, zoom);
                });
            })
        });
    });
}

/// Redraw the marks whenever the visible activities, the view or the selection
/// change: at once for a few new results, otherwise in tasks of their own.
fn redraw_marks(ctx: Ctx) {
    let Ctx { finder, .. } = ctx;
    let answer = expect_context::<Answer>();
    // Where the visible activities' pins go: worked out once per change of results,
    // not on every pan and zoom.
    let pins = Memo::new_with_compare(
        move |_| {
            finder.catalog.with(|c| {
                answer
                    .results
                    .with(|vis| Arc::new(c.as_ref().map(|c| pins_of(c, vis)).unwrap_or_default()))
            })
        },
        |a, b| !matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    );
    let all_drawn = StoredValue::new(false);
    let draws = Latest::new();
    // Marks are named in the person's language (the map is built again in a new one).
    let messages = words().now();
    Effect::new(move |seen: Option<u32>| {
        // Runs again once the map starts: the draw below happens in a task, where
        // the map's start is not tracked, and the results may come first.
        ctx.started.track();
        let view = ctx.view_changed.get();
        let messages = messages.clone();
        let moved = seen != Some(view);
        let sel = finder.selected.get();
        // Until the catalog's first answer is in, the preview stays.
        let Some(cat) = finder.catalog.get().filter(|_| answer.answered.get()) else {
            return view;
        };
        let planned = pins.get();
        let large = planned.len() >= SLICED_FROM;
        let few = planned.len() < DRAW_AT_ONCE_UP_TO;
        let ticket = draws.start();
        let paint = move |marks: Vec<Mark>| {
            let drawn = ctx.with_map(|l| {
                l.preview.clear();
                l.marks.place(&cat, marks, sel, &messages);
                true
            });
            if drawn && !all_drawn.get_value() {
                all_drawn.set_value(true);
                browser::perf_mark("am-drawn-all");
            }
        };
        // A tiled feed's tiles not read as pins are drawn as clusters from its counts.
        let from_pack: Vec<Mark> = finder
            .pack
            .with(|p| p.as_ref().map(|p| p.clusters.clone()))
            .unwrap_or_default();
        let plan_now = move || {
            ctx.with_map(|l| {
                let mut marks = plan(&planned, sel, l.bounds().padded(0.2), l.map.get_zoom());
                marks.extend(from_pack);
                marks
            })
        };
        if !moved && few && all_drawn.get_value() {
            // New results or a new selection among few pins: drawn at once. A task later
            // would cost a frame before they show.
            paint(plan_now());
            return view;
        }
        // Otherwise in a task of its own, apart from the change that asked for it: a
        // zoom's end, in Leaflet's task, moves every mark and prunes tiles; a filter or
        // search over a large feed works out the results first; each with the redraw
        // made a long task. For a large feed, grouping the pins and building the marks
        // each get a task. So does the first draw of a whole feed.
        leptos::task::spawn_local(async move {
            browser::yield_now().await;
            if !ticket.current() {
                return;
            }
            let marks = plan_now();
            if large || !all_drawn.get_value() {
                browser::yield_now().await;
            }
            if ticket.current() {
                paint(marks);
            }
        });
        view
    });
}

/// Leaflet's zoom buttons, named in the person's language.
fn name_controls(ctx: Ctx) {
    let w = words();
    Effect::new(move |_| {
        let names = [
            (".leaflet-control-zoom-in", w.t("map.zoom_in")),
            (".leaflet-control-zoom-out", w.t("map.zoom_out")),
        ];
        ctx.with_map(|l| {
            let box_ = l.map.get_container();
            for (selector, name) in &names {
                if let Ok(Some(button)) = box_.query_selector(selector) {
                    button
                        .set_attribute("title", name)
                        .or_log("naming a zoom button");
                    button
                        .set_attribute("aria-label", name)
                        .or_log("naming a zoom button");
                }
            }
        });
    });
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}
