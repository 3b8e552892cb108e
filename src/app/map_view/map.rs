//! The Leaflet map a `MapView` owns: created when its container mounts, moved by its
//! [`Camera`], and removed on cleanup with every handler we gave it.

use super::leaflet::{
    listen, Circle, CircleMarker, CircleOptions, FeatureGroup, LatLng, LatLngBounds, LayerEvent,
    Listener, Map, MapOptions, MouseEvent, Point, TileLayer, TileLayerOptions, ViewOptions,
};
use super::marks::{CanvasPins, Marks, PreviewMarks};
use super::opening::Opening;
use crate::app::host::Host;
use crate::geo::Bounds;
use crate::model::LatLng as ModelLatLng;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Roughly England, for before the feed arrives when nothing says where it is.
pub(super) const START: (f64, f64, f64) = (52.8, -1.6, 6.0);
/// Zoom used when the list asks the map to show one activity.
pub const FOCUS_ZOOM: f64 = 15.0;
/// The searched place or device position, and the circle of the distance around it.
const ORIGIN_COLOUR: &str = "#1d4ed8";

const ATTRIBUTION: &str =
    "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors";

/// The map and what we keep on it.
pub struct Leaflet {
    pub map: Map,
    pub camera: Camera,
    /// The pins and clusters of the visible activities.
    pub marks: Marks,
    /// The pins read so far while the feed still arrives.
    pub preview: PreviewMarks,
    /// The searched place or device position, and the radius around it.
    origin: FeatureGroup,
    /// Our handlers on the map and the marks; dropping them takes them off.
    listeners: Vec<Listener>,
}

/// What the map tells the rest of the finder.
#[derive(Clone, Copy)]
pub struct Reports {
    /// Bumped on every finished pan or zoom.
    pub view_changed: RwSignal<u32>,
    /// Set to the activity whose pin is pressed.
    pub selected: RwSignal<Option<usize>>,
    /// Set while a selection comes from the map itself, so the map does not jump.
    pub from_map: StoredValue<bool>,
}

impl Leaflet {
    pub fn create(
        div: &web_sys::HtmlElement,
        opening: Opening,
        host: Host,
        reports: Reports,
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
        let map = Map::new(div, &opts)?;
        match opening {
            Opening::View(v) => map.set_view(&LatLng::new(v.lat, v.lng), v.zoom),
            _ => map.set_view(&LatLng::new(START.0, START.1), START.2),
        };
        let origin = FeatureGroup::new();
        origin.add_to(&map);
        let canvas = FeatureGroup::new();
        canvas.add_to(&map);
        let marks = FeatureGroup::new();
        marks.add_to(&map);
        let preview = FeatureGroup::new();
        preview.add_to(&map);

        let camera = Camera {
            map: map.clone(),
            host,
            after_zoom: Rc::default(),
        };
        if let Opening::Area(b) = opening {
            camera.open_on(b);
        }
        let view_changed = reports.view_changed;
        let on_move = listen(&map, "moveend", move |_| {
            view_changed.update(|n| *n = n.wrapping_add(1))
        });
        let waiting = camera.clone();
        // Not inside Leaflet's `zoomend`: moving the map there fires `zoomend` again
        // while this handler still runs (a closure cannot be entered twice), and the
        // `moveend` after it would be lost.
        let on_zoom = listen(&map, "zoomend", move |_| {
            let waiting = waiting.clone();
            leptos::task::spawn_local(async move { waiting.centre_waiting() });
        });
        // One listener for the whole group. Leaflet turns Enter on a focused marker into
        // a `keypress` event, so that opens a pin or cluster just as a click does.
        let pressed = camera.clone();
        let on_press = listen(&marks, "click keypress", move |ev| {
            pressed.on_mark_pressed(ev.unchecked_ref(), reports)
        });
        // A tap on the map may be on a pin drawn on the canvas (an element pin or a
        // cluster takes its own clicks, which do not reach the map).
        let canvas = CanvasPins::new(canvas, map.get_container());
        let (tapped, pins) = (camera.clone(), canvas.at.clone());
        let on_tap = listen(&map, "click", move |ev| {
            let ev: &MouseEvent = ev.unchecked_ref();
            let tap = ev.container_point();
            let on_screen = |&(i, at): &(u32, ModelLatLng)| {
                let p = tapped
                    .map
                    .lat_lng_to_container_point(&LatLng::new(at.lat, at.lng));
                (i, (p.x(), p.y()))
            };
            let hit =
                crate::cluster::pressed(pins.borrow().iter().map(on_screen), (tap.x(), tap.y()));
            if let Some(i) = hit {
                tapped.select_from_map(i as usize, reports);
            }
        });
        Ok(Leaflet {
            map,
            camera,
            marks: Marks::new(marks, canvas),
            preview: PreviewMarks::new(preview),
            origin,
            listeners: vec![on_move, on_zoom, on_press, on_tap],
        })
    }

    /// Put the map tiles under the marks: a step of its own (the tiles' elements are
    /// the most of what the map puts in the page), so start-up is no single long task.
    /// On the app's own page, the page's first view (`first_view`) goes once they
    /// have loaded: they cover its map by then.
    pub fn add_tiles(&self, tiles: &str) {
        let layer = add_tiles(&self.map, tiles);
        if self.camera.host.owns_url() {
            // Kept for the map's life: later loads find the first view gone.
            std::mem::forget(listen(layer.unchecked_ref(), "load", |_| {
                crate::app::first_view::remove()
            }));
        }
    }

    /// Take our handlers off, then remove the map: Leaflet takes off its own DOM
    /// listeners (on the container, the window and each marker) and its layers.
    pub fn remove(self) {
        drop(self.listeners);
        self.map.remove();
    }

    /// What the map shows now.
    pub fn bounds(&self) -> Bounds {
        bounds_of(&self.map)
    }

    /// Mark the searched place (or the device's position) and the circle within `km`
    /// of it; `None` clears them.
    pub fn show_origin(&self, at: Option<crate::model::LatLng>, km: Option<f64>) {
        self.origin.clear_layers();
        let Some(at) = at else { return };
        let centre = LatLng::new(at.lat, at.lng);
        let dot = CircleMarker::new_with_options(&centre, &origin_style(1.0, 7.0));
        self.origin.add_layer(&dot);
        match km {
            Some(km) => {
                let circle = Circle::new_with_options(&centre, &origin_style(0.06, km * 1000.0));
                self.origin.add_layer(&circle);
                self.camera.show(&circle.get_bounds());
            }
            None => {
                self.map.set_view(&centre, self.map.get_zoom().max(12.0));
            }
        }
    }
}

fn origin_style(fill_opacity: f64, radius: f64) -> CircleOptions {
    let o = CircleOptions::new();
    o.set_color(ORIGIN_COLOUR.to_string());
    o.set_fill_color(ORIGIN_COLOUR.to_string());
    o.set_fill_opacity(fill_opacity);
    o.set_weight(2.0);
    o.set_interactive(false);
    o.set_radius(radius);
    o
}

fn prefers_reduced_motion() -> bool {
    // A browser that cannot answer the query has no preference to honour.
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Moves the view, keeping what it shows clear of the phone's list sheet.
#[derive(Clone)]
pub struct Camera {
    map: Map,
    host: Host,
    /// A centring asked for while a zoom animation ran, done when it ends: Leaflet
    /// drops a new zoom asked for meanwhile (a tap on a cluster while the map was
    /// still opening on the feed did nothing). Only the newest waits.
    after_zoom: Rc<Cell<Option<(f64, f64, f64)>>>,
}

impl Camera {
    /// Centre a point in the part of the map the sheet leaves uncovered.
    pub fn centre_on(&self, lat: f64, lng: f64, zoom: f64) {
        if self.map.animating_zoom() {
            self.after_zoom.set(Some((lat, lng, zoom)));
            return;
        }
        let below = self.covered_below();
        if below == 0.0 {
            self.map.set_view(&LatLng::new(lat, lng), zoom);
            return;
        }
        // Jump without animation so the nudge below is not lost in a running zoom.
        let opts = ViewOptions::at_once();
        self.map
            .set_view_with_options(&LatLng::new(lat, lng), zoom, &opts);
        self.map
            .pan_by_with_options(&Point::new(0.0, below / 2.0), &opts);
    }

    fn centre_waiting(&self) {
        if let Some((lat, lng, zoom)) = self.after_zoom.take() {
            self.centre_on(lat, lng, zoom);
        }
    }

    /// Open the map on `b`: at once, not animated. It happens while the feed is still
    /// being read, where each frame of a zoom animation would lengthen a slice of
    /// reading into a long task.
    pub fn open_on(&self, b: Bounds) {
        open_on(&self.map, b, self.covered_below());
    }

    /// Bring `bounds` into view (a place and the circle around it).
    fn show(&self, bounds: &LatLngBounds) {
        self.map
            .fit_bounds_with_options(bounds, &self.fit_options(8.0, FOCUS_ZOOM));
    }

    /// How much of the map's foot the phone's list sheet covers, in pixels.
    fn covered_below(&self) -> f64 {
        self.host.sheet_height()
    }

    /// Fit options that keep what is fitted clear of the list sheet.
    fn fit_options(&self, pad: f64, max_zoom: f64) -> ViewOptions {
        fit_options(pad, self.covered_below(), max_zoom)
    }

    /// A pin or cluster was clicked, or Enter or Space pressed on it: select the pin's
    /// activity, or zoom into the cluster.
    fn on_mark_pressed(&self, ev: &LayerEvent, reports: Reports) {
        if ev.event_type() == "keypress" {
            let key = ev.original_event().and_then(|o| o.key());
            if !matches!(key.as_deref(), Some("Enter" | " ")) {
                return;
            }
        }
        let Some(options) = ev.layer().and_then(|l| l.options()) else {
            return;
        };
        if let Some(i) = options.am_index() {
            self.select_from_map(i as usize, reports);
        } else if let Some(b) = options.am_bounds() {
            self.open_cluster(&b);
        }
    }

    /// A pin was pressed: select its activity and bring its row into view, without
    /// moving the map.
    fn select_from_map(&self, i: usize, reports: Reports) {
        reports.from_map.set_value(true);
        reports.selected.set(Some(i));
        self.host.scroll_to(&format!("am-item-{i}"));
    }

    /// Zoom to what a cluster holds: to the zoom that shows all of it in the part of the
    /// map the sheet leaves free, and at least one step in, so a tap always opens it up.
    fn open_cluster(&self, b: &LatLngBounds) {
        let zoom = self.map.get_zoom();
        let max = crate::cluster::MAX_CLUSTER_ZOOM.max(zoom + 2.0);
        let (pad, below) = (40.0, self.covered_below());
        let room = Point::new(2.0 * pad, 2.0 * pad + below);
        // Should Leaflet fail to answer, the one step in still opens the cluster.
        let fits = self
            .map
            .get_bounds_zoom(b, false, &room)
            .unwrap_or(zoom + 1.0);
        let target = fits.clamp(zoom + 1.0, max);
        let (sw, ne) = (b.get_south_west(), b.get_north_east());
        let (lat, lng) = ((sw.lat() + ne.lat()) / 2.0, (sw.lng() + ne.lng()) / 2.0);
        self.centre_on(lat, lng, target);
    }
}

// ---- shared with the page's first view (first.rs) ---------------------------------

/// The map's tiles (with their credit), added to `map`.
pub(super) fn add_tiles(map: &Map, tiles: &str) -> TileLayer {
    let opts = TileLayerOptions::default();
    opts.set_attribution(ATTRIBUTION.to_string());
    opts.set_max_zoom(19.0);
    let layer = TileLayer::new_options(tiles, &opts);
    layer.add_to(map);
    layer
}

/// What `map` shows now.
pub(super) fn bounds_of(map: &Map) -> Bounds {
    let b = map.get_bounds();
    let (sw, ne) = (b.get_south_west(), b.get_north_east());
    Bounds {
        south: sw.lat(),
        west: sw.lng(),
        north: ne.lat(),
        east: ne.lng(),
    }
}

/// Open `map` on `b`, clear of a sheet `below` pixels high: at once, not animated. It
/// happens while the feed is still being read, where each frame of a zoom animation
/// would lengthen a slice of reading into a long task.
pub(super) fn open_on(map: &Map, b: Bounds, below: f64) {
    let bounds = LatLngBounds::new(&LatLng::new(b.south, b.west), &LatLng::new(b.north, b.east));
    let opts = fit_options(24.0, below, FOCUS_ZOOM);
    opts.set_animate(false);
    map.fit_bounds_with_options(&bounds, &opts);
}

/// Fit options that keep what is fitted clear of a sheet `below` pixels high.
fn fit_options(pad: f64, below: f64, max_zoom: f64) -> ViewOptions {
    let opts = ViewOptions::new();
    opts.set_padding_top_left(&Point::new(pad, pad));
    opts.set_padding_bottom_right(&Point::new(pad, pad + below));
    opts.set_max_zoom(max_zoom);
    opts
}
