//! The only module that talks to Leaflet.
//!
//! The map is created once when its container mounts and removed on cleanup.
//! One effect redraws the marks (pins and clusters, computed in Rust by
//! `cluster`) whenever the visible activities, the view or the selection change;
//! only what is drawn crosses to JavaScript. Clicks are handled by a single
//! listener on the marks' layer group, so redraws create no closures.

use super::host::Host;
use super::state::Finder;
use crate::catalog::{Catalog, Preview};
use crate::cluster::{cluster, CellKey, Mark, Projected, Tally};
use crate::geo::Bounds;
use crate::url_state::MapView as UrlView;
use leaflet::{
    Circle, CircleMarker, DivIconOptions, FeatureGroup, LatLng, LatLngBounds, Map, MapOptions,
    Marker, MarkerOptions, PathOptions, TileLayer, TileLayerOptions,
};
use leptos::prelude::*;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `L.divIcon`. (leaflet 0.5's `DivIcon::new` binds `L.Icon`, which needs an image URL.)
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &DivIconOptions) -> leaflet::Icon;
}

/// Roughly England, for before the feed arrives.
const START: (f64, f64, f64) = (52.8, -1.6, 6.0);
/// Zoom used when the list asks the map to show one activity.
const FOCUS_ZOOM: f64 = 15.0;

const ATTRIBUTION: &str =
    "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors";

struct Leaflet {
    map: Map,
    marks: FeatureGroup,
    /// What `marks` holds now, so a redraw only adds and removes what changed.
    drawn: RefCell<HashMap<MarkKey, Marker>>,
    /// The pins read so far while the feed still arrives (replaced by `marks` once the
    /// catalog is built).
    preview: FeatureGroup,
    /// What `preview` holds now, by the cell each mark stands for.
    previewed: RefCell<HashMap<CellKey, PreviewMark>>,
    /// The searched place or device position, and the radius around it.
    origin: FeatureGroup,
    // Kept alive for as long as the map; dropped (unregistered) with it.
    _listeners: Vec<Closure<dyn Fn(JsValue)>>,
}

#[component]
pub fn MapView(tiles: String) -> impl IntoView {
    let finder = expect_context::<Finder>();
    let host = expect_context::<Host>();
    let answer = expect_context::<super::answers::Answer>();
    let (catalog, visible, selected) = (finder.catalog, answer.results, finder.selected);
    let container = NodeRef::<leptos::html::Div>::new();
    let leaflet: StoredValue<Option<Leaflet>, LocalStorage> = StoredValue::new_local(None);
    // Bumped by Leaflet on every finished pan or zoom.
    let view_changed = RwSignal::new(0u32);
    // Set while a selection comes from the map itself, so the map does not jump.
    let from_map = StoredValue::new(false);

    Effect::new(move |_| {
        let Some(div) = container.get() else { return };
        if leaflet.with_value(Option::is_some) {
            return;
        }
        match create(
            &div,
            &tiles,
            view_changed,
            selected,
            from_map,
            finder.map_view.get_untracked(),
            host,
        ) {
            Ok(l) => leaflet.set_value(Some(l)),
            Err(e) => leptos::logging::error!("map could not start: {e:?}"),
        }
    });
    on_cleanup(move || {
        leaflet.update_value(|l| {
            if let Some(l) = l.take() {
                l.map.remove();
            }
        })
    });

    // The view came from opening on the preview (not from the link or the person).
    let fitted_preview = StoredValue::new(false);
    // The person has pressed, scrolled or typed on the map.
    let touched = StoredValue::new(false);

    // Open on the feed's pins (or the shared selection) once the feed arrives,
    // unless the link says where to look or the person has moved the map meanwhile.
    Effect::new(move |_| {
        let Some(cat) = catalog.get() else { return };
        let ours = fitted_preview.get_value() && !touched.get_value();
        if finder.map_view.get_untracked().is_some() && !ours {
            return;
        }
        // In a task of its own: Leaflet redraws the whole view for it, which together
        // with the catalog's other news came to one long task (69 ms, 10k, throttled).
        leptos::task::spawn_local(async move {
            super::browser::yield_now().await;
            let target = selected
                .try_get_untracked()
                .flatten()
                .and_then(|i| cat.get(i))
                .and_then(|a| a.point());
            leaflet.try_with_value(|l| {
                let Some(l) = l else { return };
                match (target, cat.bounds()) {
                    (Some(p), _) => {
                        centre_on(&l.map, p.lat, p.lng, FOCUS_ZOOM, host);
                    }
                    (None, Some(b)) => fit(&l.map, b, host),
                    (None, None) => {}
                }
            });
        });
    });

    // When the list selects an activity, bring its pin into view.
    Effect::new(move |prev: Option<Option<usize>>| {
        let sel = selected.get();
        if prev.is_some() && sel.is_some() && !from_map.get_value() {
            let point = catalog.with_untracked(|c| {
                c.as_ref()
                    .and_then(|c| sel.and_then(|i| c.get(i)))
                    .and_then(|a| a.point())
            });
            leaflet.with_value(|l| {
                if let (Some(l), Some(p)) = (l, point) {
                    let zoom = l.map.get_zoom().max(FOCUS_ZOOM);
                    centre_on(&l.map, p.lat, p.lng, zoom, host);
                }
            });
        }
        from_map.set_value(false);
        sel
    });

    // Report what the map shows, for the list and the link.
    Effect::new(move |_| {
        view_changed.track();
        leaflet.with_value(|l| {
            if let Some(l) = l {
                let c = l.map.get_center();
                let zoom = l.map.get_zoom();
                finder.view_bounds.set(Some(current_bounds(&l.map)));
                if view_changed.get_untracked() > 0 {
                    finder.map_view.set(Some(UrlView {
                        lat: round5(c.lat()),
                        lng: round5(c.lng()),
                        zoom,
                    }));
                }
            }
        });
    });

    // Back/forward to a link with another view moves the map there.
    Effect::new(move |_| {
        let Some(v) = finder.map_view.get() else {
            return;
        };
        leaflet.with_value(|l| {
            if let Some(l) = l {
                let c = l.map.get_center();
                let same = (round5(c.lat()) - v.lat).abs() < 1e-4
                    && (round5(c.lng()) - v.lng).abs() < 1e-4
                    && l.map.get_zoom() == v.zoom;
                if !same {
                    l.map.set_view(&LatLng::new(v.lat, v.lng), v.zoom);
                }
            }
        });
    });

    // A chosen place (or the device's position) brings its surroundings into view.
    Effect::new(move |_| {
        let origin = finder.origin.get();
        let radius = finder.radius.get();
        leaflet.with_value(|l| {
            let Some(l) = l else { return };
            l.origin.clear_layers();
            let Some(o) = origin else { return };
            let centre = LatLng::new(o.at.lat, o.at.lng);
            let dot =
                CircleMarker::new_with_options(&centre, path_options("#1d4ed8", 1.0, 7.0).as_ref());
            l.origin.add_layer(&dot);
            match radius {
                Some(r) => {
                    let circle = Circle::new_with_options(
                        &centre,
                        path_options("#1d4ed8", 0.06, r.km() * 1000.0).unchecked_ref(),
                    );
                    l.origin.add_layer(&circle);
                    l.map.fit_bounds_with_options(
                        &circle.get_bounds(),
                        &fit_options(8.0, FOCUS_ZOOM, host),
                    );
                }
                None => {
                    l.map.set_view(&centre, l.map.get_zoom().max(12.0));
                }
            }
        });
    });

    // While the feed arrives, show what has been read so far; the first of these opens
    // the map on them (unless the link says where to look).
    let fitted = StoredValue::new(finder.map_view.get_untracked().is_some());
    let tally: StoredValue<Tally, LocalStorage> = StoredValue::new_local(Tally::default());
    Effect::new(move |_| {
        view_changed.track();
        if catalog.with(Option::is_some) {
            return;
        }
        finder.preview.with(|p| {
            leaflet.with_value(|l| {
                let Some(l) = l else { return };
                if p.points.is_empty() {
                    clear_preview(l);
                    return;
                }
                if !fitted.get_value() {
                    fitted.set_value(true);
                    fitted_preview.set_value(true);
                    if let Some(b) = p.bounds() {
                        fit(&l.map, b, host);
                    }
                }
                tally.update_value(|t| draw_preview(l, p, t));
            })
        });
    });

    // Where the visible activities' pins go: worked out once per change of results,
    // not on every pan and zoom.
    let pins = Memo::new_with_compare(
        move |_| {
            catalog.with(|c| {
                visible
                    .with(|vis| Arc::new(c.as_ref().map(|c| pins_of(c, vis)).unwrap_or_default()))
            })
        },
        |a, b| !matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    );

    // Redraw the marks, in tasks of their own (see below).
    let all_drawn = StoredValue::new(false);
    let draws = StoredValue::new(0u32);
    Effect::new(move |seen: Option<u32>| {
        let view = view_changed.get();
        let moved = seen != Some(view);
        let sel = selected.get();
        // Until the catalog's first answer is in, the preview stays.
        let Some(cat) = catalog.get().filter(|_| answer.answered.get()) else {
            return view;
        };
        let planned = pins.get();
        let large = planned.len() >= super::answers::SLICED_FROM;
        let few = planned.len() < DRAW_AT_ONCE_UP_TO;
        draws.update_value(|n| *n = n.wrapping_add(1));
        let mine = draws.get_value();
        let current = move || draws.try_get_value() == Some(mine);
        let paint = move |marks: Vec<Mark>| {
            leaflet.with_value(|l| {
                if let Some(l) = l {
                    place(l, &cat, marks, sel);
                }
            });
            if !all_drawn.get_value() {
                all_drawn.set_value(true);
                super::browser::perf_mark("am-drawn-all");
            }
        };
        let plan_now = move || {
            leaflet.with_value(|l| {
                l.as_ref()
                    .map(|l| plan(l, &planned, sel))
                    .unwrap_or_default()
            })
        };
        if !moved && few && all_drawn.get_value() {
            // New results or a new selection among few pins: drawn at once. A task later
            // costs a frame: a keystroke's repaint at 1,000 took 51-75 ms that way against
            // 22-34 ms at once, a category at 10,000 (2,480 pins) 83-91 ms against 50-60.
            paint(plan_now());
            return view;
        }
        // Otherwise in a task of its own, apart from the change that asked for it. A
        // zoom's end in Leaflet's task moves every mark and prunes tiles; with the redraw,
        // 60-140 ms at 10,000 on a throttled phone. A filter or search at 10,000 works out
        // the results first: with the redraw, 50-66 ms. For a large feed, grouping the pins
        // and building the marks each get a task. So does the first draw of a whole feed.
        leptos::task::spawn_local(async move {
            super::browser::yield_now().await;
            if !current() {
                return;
            }
            let marks = plan_now();
            if large || !all_drawn.get_value() {
                super::browser::yield_now().await;
            }
            if current() {
                paint(marks);
            }
        });
        view
    });

    view! {
        <div class="am-map-wrap">
            <div class="am-map" node_ref=container data-testid="map" role="region" aria-label="Map of activities"
                on:pointerdown=move |_| touched.set_value(true)
                on:wheel=move |_| touched.set_value(true)
                on:keydown=move |_| touched.set_value(true)
            ></div>
        </div>
    }
}

fn create(
    div: &web_sys::HtmlDivElement,
    tiles: &str,
    view_changed: RwSignal<u32>,
    selected: RwSignal<Option<usize>>,
    from_map: StoredValue<bool>,
    start: Option<UrlView>,
    host: Host,
) -> Result<Leaflet, JsValue> {
    let opts = MapOptions::default();
    opts.set_zoom_control(true);
    opts.set_max_zoom(19.0);
    if prefers_reduced_motion() {
        opts.set_zoom_animation(false);
        opts.set_fade_animation(false);
        opts.set_marker_zoom_animation(false);
        opts.set_inertia(false);
    }
    let map = Map::new_with_element(div, &opts)?;
    match start {
        Some(v) => map.set_view(&LatLng::new(v.lat, v.lng), v.zoom),
        None => map.set_view(&LatLng::new(START.0, START.1), START.2),
    };
    let tile_opts = TileLayerOptions::default();
    tile_opts.set_attribution(ATTRIBUTION.to_string());
    tile_opts.set_max_zoom(19.0);
    TileLayer::new_options(tiles, &tile_opts).add_to(&map);
    let origin = FeatureGroup::new();
    origin.add_to(&map);
    let marks = FeatureGroup::new();
    marks.add_to(&map);
    let preview = FeatureGroup::new();
    preview.add_to(&map);

    let on_move =
        Closure::<dyn Fn(JsValue)>::new(move |_| view_changed.update(|n| *n = n.wrapping_add(1)));
    map.on("moveend", on_move.as_ref());

    let map_for_click = map.clone();
    // One listener for the whole group. Leaflet turns Enter on a focused marker into
    // a `keypress` event, so that opens a pin or cluster just as a click does.
    let on_click = Closure::<dyn Fn(JsValue)>::new(move |ev: JsValue| {
        if get(&ev, "type").and_then(|t| t.as_string()).as_deref() == Some("keypress") {
            let key = get(&ev, "originalEvent")
                .and_then(|o| get(&o, "key"))
                .and_then(|k| k.as_string());
            if !matches!(key.as_deref(), Some("Enter" | " ")) {
                return;
            }
        }
        let Some(options) = get(&ev, "layer").and_then(|l| get(&l, "options")) else {
            return;
        };
        if let Some(i) = get(&options, "amIndex").and_then(|v| v.as_f64()) {
            from_map.set_value(true);
            selected.set(Some(i as usize));
            host.scroll_to(&format!("am-item-{}", i as usize));
        } else if let Some(b) = get(&options, "amBounds") {
            let b: LatLngBounds = b.unchecked_into();
            let zoom = map_for_click.get_zoom();
            let max = crate::cluster::MAX_CLUSTER_ZOOM.max(zoom + 2.0);
            // The zoom that shows all the cluster holds in the part of the map the sheet
            // leaves free; at least one step in, so a tap always opens it up.
            let (pad, below) = (40.0, covered_below(host));
            let room = leaflet::Point::new(2.0 * pad, 2.0 * pad + below);
            let fits = js_sys::Reflect::get(&map_for_click, &"getBoundsZoom".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call3(&map_for_click, &b, &JsValue::FALSE, &room).ok())
                .and_then(|z| z.as_f64())
                .unwrap_or(zoom + 1.0);
            let target = fits.clamp(zoom + 1.0, max);
            let (sw, ne) = (b.get_south_west(), b.get_north_east());
            let (lat, lng) = ((sw.lat() + ne.lat()) / 2.0, (sw.lng() + ne.lng()) / 2.0);
            centre_on(&map_for_click, lat, lng, target, host);
        }
    });
    marks.on("click keypress", on_click.as_ref());
    Ok(Leaflet {
        map,
        marks,
        drawn: RefCell::default(),
        preview,
        previewed: RefCell::default(),
        origin,
        _listeners: vec![on_move, on_click],
    })
}

fn path_options(colour: &str, fill_opacity: f64, radius: f64) -> PathOptions {
    let o = PathOptions::new();
    o.set_color(colour.to_string());
    o.set_fill_color(colour.to_string());
    o.set_fill_opacity(fill_opacity);
    o.set_weight(2.0);
    o.set_interactive(false);
    set(&o, "radius", &JsValue::from_f64(radius));
    o
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// Open the map on `b`: at once, not animated. It happens while the feed is still being
/// read, where each frame of a zoom animation added to a slice of reading made a task
/// of over 50 ms at 100,000 (throttled).
fn fit(map: &Map, b: Bounds, host: Host) {
    let bounds = LatLngBounds::new(&LatLng::new(b.south, b.west), &LatLng::new(b.north, b.east));
    let opts = fit_options(24.0, FOCUS_ZOOM, host);
    set(&opts, "animate", &JsValue::FALSE);
    map.fit_bounds_with_options(&bounds, &opts);
}

/// How much of the map's foot the phone's list sheet covers, in pixels.
fn covered_below(host: Host) -> f64 {
    host.sheet_height()
}

/// Fit options that keep what is fitted clear of the list sheet.
fn fit_options(pad: f64, max_zoom: f64, host: Host) -> js_sys::Object {
    let opts = js_sys::Object::new();
    set(
        &opts,
        "paddingTopLeft",
        &js_sys::Array::of2(&pad.into(), &pad.into()),
    );
    set(
        &opts,
        "paddingBottomRight",
        &js_sys::Array::of2(&pad.into(), &(pad + covered_below(host)).into()),
    );
    set(&opts, "maxZoom", &JsValue::from_f64(max_zoom));
    opts
}

/// Centre a point in the part of the map the sheet leaves uncovered.
fn centre_on(map: &Map, lat: f64, lng: f64, zoom: f64, host: Host) {
    // Leaflet drops a new zoom asked for while a zoom animation runs (a tap on a
    // cluster while the map is still opening on the feed did nothing): wait for it.
    if get(map, "_animatingZoom").is_some_and(|v| v.is_truthy()) {
        let later = map.clone();
        let again = Closure::once_into_js(move || centre_on(&later, lat, lng, zoom, host));
        if let Some(once) = get(map, "once").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            let _ = once.call2(map, &"zoomend".into(), &again);
        }
        return;
    }
    let below = covered_below(host);
    if below == 0.0 {
        map.set_view(&LatLng::new(lat, lng), zoom);
        return;
    }
    // Jump without animation so the nudge below is not lost in a running zoom.
    let opts = js_sys::Object::new();
    set(&opts, "animate", &JsValue::FALSE);
    map.set_view_with_options(&LatLng::new(lat, lng), zoom, &opts);
    map.pan_by_with_options(&leaflet::Point::new(0.0, below / 2.0), &opts);
}

fn current_bounds(map: &Map) -> Bounds {
    let b = map.get_bounds();
    let (sw, ne) = (b.get_south_west(), b.get_north_east());
    Bounds {
        south: sw.lat(),
        west: sw.lng(),
        north: ne.lat(),
        east: ne.lng(),
    }
}

fn prefers_reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// A drawn mark, as far as its marker looks and behaves: a pin (and whether it is the
/// selected one), or a cluster of `count` at a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum MarkKey {
    Pin(u32, bool),
    Cluster(usize, u64, u64),
}

/// A mark of the preview: its marker, its element, and its size (`None` for a pin).
struct PreviewMark {
    marker: Marker,
    el: web_sys::Element,
    size: Option<f64>,
}

/// Pins up to which new results are drawn in the task that found them (see the redraw).
const DRAW_AT_ONCE_UP_TO: usize = 3_000;

/// New marks one preview draw builds at most; the rest wait for the next draw (a
/// moment later, with more read). The second draw of a 100,000 feed built most of the
/// screen's marks at once: one task of 51-65 ms on a throttled phone; 48 at a time
/// still made tasks of about 45 ms (each new mark costs about 1 ms there).
const PREVIEW_NEW_MARKS: usize = 24;

/// The pins read so far, while the feed still arrives, not yet interactive. Each cell's
/// mark is kept from one draw to the next and only moved and recounted as more arrive;
/// building every mark afresh took over 50 ms a draw at 100,000 on a throttled phone.
fn draw_preview(l: &Leaflet, p: &Preview, tally: &mut Tally) {
    let view = current_bounds(&l.map).padded(0.2);
    let doc = document();
    let mut before = l.previewed.borrow_mut();
    let mut now = HashMap::with_capacity(before.len());
    let mut built = 0;
    for (key, mark) in tally.keyed_marks(&p.points, view, l.map.get_zoom()) {
        let (at, size) = match &mark {
            Mark::Pin { at, .. } => (*at, None),
            Mark::Cluster { count, at, .. } => (*at, Some(cluster_size(*count))),
        };
        let kept = before.remove(&key);
        let pm = match kept {
            Some(pm) if pm.size == size => {
                pm.marker.set_lat_lng(&LatLng::new(at.lat, at.lng));
                if let Mark::Cluster { count, .. } = mark {
                    pm.el.set_text_content(Some(&count.to_string()));
                }
                pm
            }
            gone => {
                if let Some(old) = gone {
                    l.preview.remove_layer(&old.marker);
                }
                if built == PREVIEW_NEW_MARKS {
                    continue;
                }
                built += 1;
                let el = match mark {
                    Mark::Pin { index, .. } => {
                        let colour = p.colours.get(index as usize).copied().unwrap_or("#475569");
                        pin_element(&doc, colour, None, false)
                    }
                    Mark::Cluster { count, .. } => cluster_element(&doc, count, false),
                };
                let (px, class) = match size {
                    Some(px) => (px, "am-cluster-icon"),
                    None => (30.0, "am-pin-icon"),
                };
                let marker = marker(at.lat, at.lng, &el, px, class, false);
                l.preview.add_layer(&marker);
                PreviewMark { marker, el, size }
            }
        };
        now.insert(key, pm);
    }
    for (_, old) in before.drain() {
        l.preview.remove_layer(&old.marker);
    }
    *before = now;
    super::browser::perf_mark("am-drawn");
}

fn clear_preview(l: &Leaflet) {
    l.preview.clear_layers();
    l.previewed.borrow_mut().clear();
}

/// The pins of the `visible` activities, in feed order.
fn pins_of(cat: &Catalog, visible: &[usize]) -> Vec<Projected> {
    let mut shown = vec![false; cat.activities().len()];
    for &i in visible {
        if let Some(s) = shown.get_mut(i) {
            *s = true;
        }
    }
    cat.points
        .iter()
        .filter(|p| shown[p.index as usize])
        .copied()
        .collect()
}

/// The marks for `pins` in the map's current view (grouped at its zoom), the selected
/// activity's pin on its own.
fn plan(l: &Leaflet, pins: &[Projected], selected: Option<usize>) -> Vec<Mark> {
    // The selected activity always stands on its own, never inside a cluster.
    let chosen = selected.and_then(|s| pins.iter().position(|p| p.index as usize == s));
    let (points, selected_pin) = match chosen {
        Some(k) => {
            let mut rest = pins.to_vec();
            let p = rest.remove(k);
            (Cow::Owned(rest), Some(p))
        }
        None => (Cow::Borrowed(pins), None),
    };
    let view = current_bounds(&l.map).padded(0.2);
    let zoom = l.map.get_zoom();
    let mut marks = cluster(&points, view, zoom);
    if let Some(p) = selected_pin {
        marks.push(Mark::Pin {
            index: p.index,
            at: crate::geo::unproject(p.x, p.y),
        });
    }
    marks
}

/// Put `marks` on the map in place of the preview and of the marks drawn before.
fn place(l: &Leaflet, cat: &Catalog, marks: Vec<Mark>, selected: Option<usize>) {
    clear_preview(l);
    let doc = document();
    // Marks that are already on the map stay; only new ones are built, and only those
    // no longer wanted are taken off. Panning then touches just the edges of the view.
    let mut before = l.drawn.borrow_mut();
    let mut now = HashMap::with_capacity(marks.len());
    for mark in marks {
        let key = match &mark {
            Mark::Pin { index, .. } => MarkKey::Pin(*index, selected == Some(*index as usize)),
            Mark::Cluster { count, at, .. } => {
                MarkKey::Cluster(*count, at.lat.to_bits(), at.lng.to_bits())
            }
        };
        if let Some(m) = before.remove(&key) {
            now.insert(key, m);
            continue;
        }
        if let Some(m) = build_marker(cat, &doc, mark, selected) {
            l.marks.add_layer(&m);
            now.insert(key, m);
        }
    }
    for (_, m) in before.drain() {
        l.marks.remove_layer(&m);
    }
    *before = now;
    super::browser::perf_mark("am-drawn");
}

fn build_marker(
    cat: &Catalog,
    doc: &web_sys::Document,
    mark: Mark,
    selected: Option<usize>,
) -> Option<Marker> {
    Some(match mark {
        Mark::Pin { index, at } => {
            let a = cat.get(index as usize)?;
            let is_sel = selected == Some(index as usize);
            let colour = cat.colour(&a.category);
            let label = format!("{}, {}", a.name, cat.label(&a.category));
            let el = pin_element(doc, colour, Some(&label), is_sel);
            let size = if is_sel { 40.0 } else { 30.0 };
            let m = marker(at.lat, at.lng, &el, size, "am-pin-icon", true);
            if let Some(opts) = get(&m, "options") {
                set(&opts, "amIndex", &JsValue::from_f64(index as f64));
            }
            if is_sel {
                m.set_z_index_offset(1000.0);
            }
            m
        }
        Mark::Cluster {
            count, at, bounds, ..
        } => {
            let el = cluster_element(doc, count, true);
            let m = marker(
                at.lat,
                at.lng,
                &el,
                cluster_size(count),
                "am-cluster-icon",
                true,
            );
            let b = LatLngBounds::new(
                &LatLng::new(bounds.south, bounds.west),
                &LatLng::new(bounds.north, bounds.east),
            );
            if let Some(opts) = get(&m, "options") {
                set(&opts, "amBounds", &b);
            }
            m
        }
    })
}

fn cluster_element(doc: &web_sys::Document, count: usize, live: bool) -> web_sys::Element {
    let el = doc.create_element("span").expect("span");
    el.set_class_name("am-cluster");
    el.set_text_content(Some(&count.to_string()));
    if live {
        el.set_attribute("data-testid", "cluster").ok();
        let sr = sr_text(doc, " activities: zoom in to see them");
        el.append_child(&sr).ok();
    } else {
        preview_only(&el);
    }
    el
}

fn cluster_size(count: usize) -> f64 {
    if count < 10 {
        36.0
    } else if count < 100 {
        42.0
    } else {
        50.0
    }
}

/// A mark shown while the feed arrives: seen, but not announced or focusable (the
/// list says what is loading; the real marks follow).
fn preview_only(el: &web_sys::Element) {
    el.set_class_name(&format!("{} am-preview", el.class_name()));
    el.set_attribute("aria-hidden", "true").ok();
    el.set_attribute("data-testid", "preview-mark").ok();
}

/// A marker whose icon is our own element. An `interactive` one gets `role="button"`
/// and a tab stop from Leaflet.
fn marker(
    lat: f64,
    lng: f64,
    el: &web_sys::Element,
    size: f64,
    class: &str,
    interactive: bool,
) -> Marker {
    let icon_opts = DivIconOptions::new();
    icon_opts.set_class_name(class.to_string());
    icon_opts.set_icon_size(leaflet::Point::new(size, size));
    icon_opts.set_icon_anchor(leaflet::Point::new(size / 2.0, size / 2.0));
    // `html` may be an element; ours is built with text nodes only, so feed text is never HTML.
    set(&icon_opts, "html", el);
    let opts = MarkerOptions::new();
    opts.set_icon(div_icon(&icon_opts));
    opts.set_interactive(interactive);
    opts.set_keyboard(interactive);
    opts.set_rise_on_hover(interactive);
    Marker::new_with_options(&LatLng::new(lat, lng), &opts)
}

/// A pin's element; one with no `name` is a preview pin.
fn pin_element(
    doc: &web_sys::Document,
    colour: &str,
    name: Option<&str>,
    selected: bool,
) -> web_sys::Element {
    let el = doc.create_element("span").expect("span");
    el.set_class_name(if selected {
        "am-pin am-pin--selected"
    } else {
        "am-pin"
    });
    if let Ok(h) = el.clone().dyn_into::<web_sys::HtmlElement>() {
        h.style().set_property("background-color", colour).ok();
    }
    match name {
        Some(name) => {
            el.set_attribute("data-testid", "pin").ok();
            el.append_child(&sr_text(doc, name)).ok();
        }
        None => preview_only(&el),
    }
    el
}

/// Text for screen readers only.
fn sr_text(doc: &web_sys::Document, text: &str) -> web_sys::Element {
    let s = doc.create_element("span").expect("span");
    s.set_class_name("am-sr");
    s.set_text_content(Some(text));
    s
}

fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}
