//! The marks on the map: which to draw ([`plan`]), and the markers that draw them,
//! kept from one draw to the next so a redraw only adds and removes what changed.
//! Two sets: the live marks ([`Marks`]) and, while the feed still arrives, the
//! preview of what has been read so far ([`PreviewMarks`]).

use super::leaflet::{
    div_icon, Canvas, CanvasOptions, CircleMarker, CircleOptions, ElementIconOptions, FeatureGroup,
    LatLng, LatLngBounds, MarkOptions, Marker, PinOptions, Point,
};
use crate::app::browser::{self, OrLog};
use crate::catalog::{Catalog, Preview};
use crate::cluster::{cluster, CellKey, Mark, Projected, Tally};
use crate::feed::NEUTRAL_COLOUR;
use crate::geo::Bounds;
use crate::lang::Messages;
use crate::model::LatLng as ModelLatLng;
use leptos::prelude::document;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// New marks one preview draw builds at most; the rest wait for the next draw (a
/// moment later, with more read): on a slow phone, building the screen's marks for a
/// large feed at once made one long task.
const PREVIEW_NEW_MARKS: usize = 24;

/// The pins of the `visible` activities, in feed order.
pub fn pins_of(cat: &Catalog, visible: &[usize]) -> Vec<Projected> {
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

/// The marks for `pins` in `view` (grouped at `zoom`), the selected activity's pin on
/// its own.
pub fn plan(pins: &[Projected], selected: Option<usize>, view: Bounds, zoom: f64) -> Vec<Mark> {
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
    let mut marks = cluster(&points, view, zoom);
    if let Some(p) = selected_pin {
        marks.push(Mark::Pin {
            index: p.index,
            at: crate::geo::unproject(p.x, p.y),
        });
    }
    marks
}

// ---- the live marks ------------------------------------------------------------

/// A drawn mark, as far as its marker looks and behaves: a pin (and whether it is the
/// selected one), or a cluster of `count` at a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum MarkKey {
    Pin(u32, bool),
    Cluster(usize, u64, u64),
}

/// From this many single pins in one draw, they are drawn on one canvas ([`CanvasPins`])
/// rather than as an element each: with thousands of elements the browser restyles
/// every one of them in each frame of a pan or zoom (BENCHMARKS.md). Fewer stay
/// elements, each a tab stop named for screen readers; past this many, the list is the
/// way through them by keyboard (its rows select, and the selected pin is an element).
const CANVAS_FROM: usize = 100;

/// The marks people press: pins and clusters of the visible activities.
pub struct Marks {
    pub group: FeatureGroup,
    /// What `group` holds now.
    drawn: RefCell<HashMap<MarkKey, Marker>>,
    /// The catalog `drawn` was built from (its address): a pin stands for an index
    /// into it, so a new catalog (a tiled feed's next tile) builds its pins afresh.
    /// Clusters and the canvas's pins do not depend on it, and stay.
    built_from: Cell<usize>,
    /// Single pins on one canvas, when there are many.
    canvas: CanvasPins,
}

impl Marks {
    pub fn new(group: FeatureGroup, canvas: CanvasPins) -> Marks {
        Marks {
            group,
            drawn: RefCell::default(),
            built_from: Cell::new(0),
            canvas,
        }
    }

    /// Show `marks` in place of the marks drawn before, named in `words`' language.
    pub fn place(
        &self,
        cat: &Catalog,
        marks: Vec<Mark>,
        selected: Option<usize>,
        words: &Messages,
    ) {
        let doc = document();
        // Marks that are already on the map stay; only new ones are built, and only those
        // no longer wanted are taken off. Panning then touches just the edges of the view.
        let mut before = self.drawn.borrow_mut();
        let this_cat = cat as *const Catalog as usize;
        if self.built_from.replace(this_cat) != this_cat {
            before.retain(|key, m| {
                let pin = matches!(key, MarkKey::Pin(..));
                if pin {
                    self.group.remove_layer(m);
                }
                !pin
            });
        }
        let mut now = HashMap::with_capacity(marks.len());
        // Many single pins: on the canvas (the selected one stays an element).
        let alone =
            |m: &Mark| matches!(m, Mark::Pin { index, .. } if selected != Some(*index as usize));
        let on_canvas = marks.iter().filter(|m| alone(m)).count() >= CANVAS_FROM;
        let mut painted = Vec::new();
        for mark in marks {
            if let (true, Mark::Pin { index, at }) = (on_canvas && alone(&mark), &mark) {
                painted.push((*index, *at));
                continue;
            }
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
            if let Some(m) = build_marker(cat, &doc, mark, selected, words) {
                self.group.add_layer(&m);
                now.insert(key, m);
            }
        }
        for (_, m) in before.drain() {
            self.group.remove_layer(&m);
        }
        *before = now;
        self.canvas.place(cat, painted);
        browser::perf_mark("am-drawn");
    }
}

// ---- pins on a canvas ----------------------------------------------------------

/// Single pins drawn on one canvas by Leaflet's canvas renderer: one element for all
/// of them, moved as one while the map pans and scaled as one while it zooms. They
/// look as the element pins do (30 px, a white ring); a tap on the map presses the
/// nearest within 22 px (`cluster::pressed`, in the map's click handler). The map's element
/// carries their number (`data-canvas-pins`), for tests and tools.
pub struct CanvasPins {
    group: FeatureGroup,
    renderer: Canvas,
    /// The map's element.
    container: web_sys::HtmlElement,
    /// The pins drawn, by where they stand, each with its colour. A canvas pin is only
    /// its place and colour, so it is kept by those rather than by its index into the
    /// catalog: when a tiled feed's next tile builds a new catalog, the pins still in
    /// view stay drawn rather than all being taken off and drawn again (a long task at
    /// the end of each pan in a dense view: BENCHMARKS.md).
    drawn: RefCell<HashMap<Spot, Vec<(String, CircleMarker)>>>,
    /// Where each pin drawn stands (for taps, shared with the map's click handler).
    pub at: Rc<RefCell<Vec<(u32, ModelLatLng)>>>,
    /// One pin drawn per colour, each pin on the canvas a copy (see [`stamp_pins`]).
    stamps: RefCell<HashMap<String, web_sys::HtmlCanvasElement>>,
    /// How the renderer draws each pin, kept while it draws.
    _stamp: Option<Closure<dyn Fn(JsValue)>>,
}

impl CanvasPins {
    pub fn new(group: FeatureGroup, container: web_sys::HtmlElement) -> CanvasPins {
        let opts = CanvasOptions::new();
        // Drawn a little beyond the view, so a short pan shows no bare edge.
        opts.set_padding(0.3);
        let renderer = Canvas::with_options(&opts);
        CanvasPins {
            group,
            _stamp: stamp_pins(&renderer),
            renderer,
            container,
            drawn: RefCell::default(),
            at: Rc::default(),
            stamps: RefCell::default(),
        }
    }

    /// Show these pins (index into `cat`, place) in place of those drawn before.
    fn place(&self, cat: &Catalog, pins: Vec<(u32, ModelLatLng)>) {
        let mut before = self.drawn.borrow_mut();
        let mut now: HashMap<Spot, Vec<(String, CircleMarker)>> =
            HashMap::with_capacity(pins.len());
        for (index, at) in &pins {
            let Some(a) = cat.get(*index as usize) else {
                continue;
            };
            let colour = cat.colour(&a.category);
            let spot = (at.lat.to_bits(), at.lng.to_bits());
            let kept = before.get_mut(&spot).and_then(|here| {
                let i = here.iter().position(|(c, _)| c == colour)?;
                Some(here.swap_remove(i))
            });
            let pin = kept.unwrap_or_else(|| (colour.to_string(), self.pin(at, colour)));
            now.entry(spot).or_default().push(pin);
        }
        for (_, m) in before.drain().flat_map(|(_, here)| here) {
            self.group.remove_layer(&m);
        }
        *before = now;
        self.container
            .set_attribute("data-canvas-pins", &pins.len().to_string())
            .or_log("counting the canvas pins");
        *self.at.borrow_mut() = pins;
    }

    /// A pin on the canvas, drawn.
    fn pin(&self, at: &ModelLatLng, colour: &str) -> CircleMarker {
        let opts: PinOptions = CircleOptions::new().unchecked_into();
        // Its size sets where Leaflet redraws it and what it counts as in view.
        opts.set_radius(PIN_RADIUS);
        opts.set_weight(PIN_RING);
        opts.set_color(RING_COLOUR.into());
        opts.set_opacity(1.0);
        let mut stamps = self.stamps.borrow_mut();
        let stamp = match stamps.get(colour) {
            Some(s) => Some(s),
            None => stamp(colour).map(|s| &*stamps.entry(colour.to_string()).or_insert(s)),
        };
        if let Some(stamp) = stamp {
            opts.set_am_stamp(stamp);
        }
        opts.set_fill_color(colour.to_string());
        opts.set_fill_opacity(1.0);
        opts.set_interactive(false);
        opts.set_renderer(self.renderer.clone().into());
        let m = CircleMarker::new_with_options(&LatLng::new(at.lat, at.lng), &opts);
        self.group.add_layer(&m);
        m
    }
}

/// Where a canvas pin stands (its latitude's and longitude's bits).
type Spot = (u64, u64);

/// A pin: 30 px across with its 3 px white ring, as `.am-pin`.
const PIN_RADIUS: f64 = 13.5;
const PIN_RING: f64 = 3.0;
const RING_COLOUR: &str = "#ffffff";

/// A canvas pin's stamp, in CSS pixels: the pin with its ring, and room for the ring's
/// smoothed edge.
const STAMP: f64 = 2.0 * (PIN_RADIUS + PIN_RING / 2.0) + 3.0;

/// Make `renderer` draw each pin as a copy of one drawn once per colour, rather than
/// as a path (a circle filled, then ringed) that the browser rasterises anew for every
/// pin at every redraw: on a slow phone without the GPU's help, a redraw of 490 pins
/// took 189 ms to the next frame, copies 80 ms (BENCHMARKS.md, notes on the pack's
/// pan). It replaces the renderer's `_updateCircle`, the one step of Leaflet 1.9's
/// canvas renderer that draws a circle marker; `None` (the paths stay) if it cannot.
/// Each pin carries its stamp in its options ([`CanvasPins::pin`]).
fn stamp_pins(renderer: &Canvas) -> Option<Closure<dyn Fn(JsValue)>> {
    let target: JsValue = renderer.clone().into();
    let draw = Closure::<dyn Fn(JsValue)>::new({
        let target = target.clone();
        move |layer: JsValue| {
            // Called to draw only while the renderer draws (as Leaflet's own does).
            if !browser::get(&target, "_drawing").is_some_and(|d| d.is_truthy()) {
                return;
            }
            let (Some(ctx), Some(point), Some(stamp)) = (
                browser::get(&target, "_ctx"),
                browser::get(&layer, "_point"),
                browser::get(&layer, "options").and_then(|o| browser::get(&o, "amStamp")),
            ) else {
                return;
            };
            let (Some(x), Some(y)) = (
                browser::get(&point, "x").and_then(|v| v.as_f64()),
                browser::get(&point, "y").and_then(|v| v.as_f64()),
            ) else {
                return;
            };
            let ctx: &web_sys::CanvasRenderingContext2d = ctx.unchecked_ref();
            let half = STAMP / 2.0;
            ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                stamp.unchecked_ref(),
                x - half,
                y - half,
                STAMP,
                STAMP,
            )
            .or_log("drawing a pin");
        }
    });
    js_sys::Reflect::set(&target, &"_updateCircle".into(), draw.as_ref())
        .ok()
        .filter(|set| *set)
        .map(|_| draw)
}

/// One pin of `colour`, drawn as `.am-pin` looks (a 3 px white ring), at the
/// resolution Leaflet's canvas uses (twice on a high-density screen).
fn stamp(colour: &str) -> Option<web_sys::HtmlCanvasElement> {
    let scale = if leptos::prelude::window().device_pixel_ratio() > 1.0 {
        2.0
    } else {
        1.0
    };
    let canvas: web_sys::HtmlCanvasElement =
        document().create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width((STAMP * scale) as u32);
    canvas.set_height((STAMP * scale) as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.scale(scale, scale).ok()?;
    ctx.begin_path();
    ctx.arc(
        STAMP / 2.0,
        STAMP / 2.0,
        PIN_RADIUS,
        0.0,
        std::f64::consts::TAU,
    )
    .ok()?;
    ctx.set_fill_style_str(colour);
    ctx.fill();
    ctx.set_line_width(PIN_RING);
    ctx.set_stroke_style_str(RING_COLOUR);
    ctx.stroke();
    Some(canvas)
}

fn build_marker(
    cat: &Catalog,
    doc: &web_sys::Document,
    mark: Mark,
    selected: Option<usize>,
    m: &Messages,
) -> Option<Marker> {
    let opts = MarkOptions::new();
    Some(match mark {
        Mark::Pin { index, at } => {
            let a = cat.get(index as usize)?;
            let is_sel = selected == Some(index as usize);
            let colour = cat.colour(&a.category);
            let label = format!("{}, {}", a.name, cat.label(&a.category, m));
            let el = pin_element(doc, colour, Some(&label), is_sel);
            let size = if is_sel { 40.0 } else { 30.0 };
            opts.set_am_index(index as f64);
            let m = marker(at.lat, at.lng, &el, size, "am-pin-icon", true, opts);
            if is_sel {
                m.set_z_index_offset(1000.0);
            }
            m
        }
        Mark::Cluster {
            count, at, bounds, ..
        } => {
            let name = m.count("map.cluster", count as u64, &[]);
            let el = cluster_element(doc, count, Some(&name));
            opts.set_am_bounds(&LatLngBounds::new(
                &LatLng::new(bounds.south, bounds.west),
                &LatLng::new(bounds.north, bounds.east),
            ));
            let size = cluster_size(count);
            marker(at.lat, at.lng, &el, size, "am-cluster-icon", true, opts)
        }
    })
}

// ---- the preview ---------------------------------------------------------------

/// A mark of the preview: its marker, its element, and its size (`None` for a pin).
struct PreviewMark {
    marker: Marker,
    el: web_sys::Element,
    size: Option<f64>,
}

/// The pins read so far while the feed still arrives, not yet interactive (replaced
/// by [`Marks`] once the catalog is built).
pub struct PreviewMarks {
    group: FeatureGroup,
    /// What `group` holds now, by the cell each mark stands for.
    shown: RefCell<HashMap<CellKey, PreviewMark>>,
}

impl PreviewMarks {
    pub fn new(group: FeatureGroup) -> PreviewMarks {
        PreviewMarks {
            group,
            shown: RefCell::default(),
        }
    }

    /// Show the pins of `p` in `view` at `zoom`. Each cell's mark is kept from one draw
    /// to the next and only moved and recounted as more arrive: building every mark
    /// afresh made each draw of a large feed a long task on a slow phone.
    /// Whether every mark was drawn (else the rest wait for the next draw).
    pub fn draw(&self, p: &Preview, tally: &mut Tally, view: Bounds, zoom: f64) -> bool {
        let doc = document();
        let mut before = self.shown.borrow_mut();
        let mut now = HashMap::with_capacity(before.len());
        let mut built = 0;
        let mut all = true;
        for (key, mark) in tally.keyed_marks(&p.points, view, zoom) {
            let (at, size) = match &mark {
                Mark::Pin { at, .. } => (*at, None),
                Mark::Cluster { count, at, .. } => (*at, Some(cluster_size(*count))),
            };
            let kept = before.remove(&key);
            let pm = match kept {
                Some(pm) if pm.size == size => {
                    pm.marker.set_lat_lng(&LatLng::new(at.lat, at.lng));
                    if let Mark::Cluster { count, .. } = mark {
                        let count = count.to_string();
                        pm.el.set_text_content(Some(&count));
                        pm.el
                            .set_attribute("data-count", &count)
                            .or_log("counting a cluster");
                    }
                    pm
                }
                gone => {
                    if let Some(old) = gone {
                        self.group.remove_layer(&old.marker);
                    }
                    if built == PREVIEW_NEW_MARKS {
                        all = false;
                        continue;
                    }
                    built += 1;
                    let el = match mark {
                        Mark::Pin { index, .. } => {
                            let colour = p
                                .colours
                                .get(index as usize)
                                .copied()
                                .unwrap_or(NEUTRAL_COLOUR);
                            pin_element(&doc, colour, None, false)
                        }
                        Mark::Cluster { count, .. } => cluster_element(&doc, count, None),
                    };
                    let (px, class) = match size {
                        Some(px) => (px, "am-cluster-icon"),
                        None => (30.0, "am-pin-icon"),
                    };
                    let opts = MarkOptions::new();
                    let marker = marker(at.lat, at.lng, &el, px, class, false, opts);
                    self.group.add_layer(&marker);
                    PreviewMark { marker, el, size }
                }
            };
            now.insert(key, pm);
        }
        for (_, old) in before.drain() {
            self.group.remove_layer(&old.marker);
        }
        *before = now;
        browser::perf_mark("am-drawn");
        all
    }

    pub fn clear(&self) {
        self.group.clear_layers();
        self.shown.borrow_mut().clear();
    }

    /// Show these clusters (a tiled feed's, from its index) in place of any marks.
    pub fn draw_clusters(&self, marks: &[Mark]) {
        self.clear();
        let doc = document();
        for mark in marks {
            if let Mark::Cluster { count, at, .. } = mark {
                let el = cluster_element(&doc, *count, None);
                let px = cluster_size(*count);
                let opts = MarkOptions::new();
                let m = marker(at.lat, at.lng, &el, px, "am-cluster-icon", false, opts);
                self.group.add_layer(&m);
            }
        }
        browser::perf_mark("am-drawn");
    }
}

// ---- building one mark ---------------------------------------------------------

fn cluster_size(count: usize) -> f64 {
    if count < 10 {
        36.0
    } else if count < 100 {
        42.0
    } else {
        50.0
    }
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
    opts: MarkOptions,
) -> Marker {
    let icon_opts = ElementIconOptions::new();
    icon_opts.set_class_name(class.to_string());
    icon_opts.set_icon_size(Point::new(size, size));
    icon_opts.set_icon_anchor(Point::new(size / 2.0, size / 2.0));
    // `html` may be an element; ours is built with text nodes only, so feed text is never HTML.
    icon_opts.set_html(el);
    opts.set_icon(div_icon(&icon_opts));
    opts.set_interactive(interactive);
    opts.set_keyboard(interactive);
    opts.set_rise_on_hover(interactive);
    Marker::new_with_options(&LatLng::new(lat, lng), &opts)
}

/// A cluster's count; a live one is named for screen readers in the person's language
/// ("12 activities: zoom in to see them"), the count on screen being hidden from them.
fn cluster_element(doc: &web_sys::Document, count: usize, name: Option<&str>) -> web_sys::Element {
    let el = doc.create_element("span").expect("span");
    el.set_class_name("am-cluster");
    el.set_attribute("data-count", &count.to_string())
        .or_log("counting a cluster");
    match name {
        Some(name) => {
            let shown = doc.create_element("span").expect("span");
            shown.set_text_content(Some(&count.to_string()));
            shown
                .set_attribute("aria-hidden", "true")
                .or_log("a cluster's count");
            el.append_child(&shown).or_log("a cluster's count");
            el.set_attribute("data-testid", "cluster")
                .or_log("marking a cluster");
            el.append_child(&sr_text(doc, name))
                .or_log("labelling a cluster");
        }
        None => {
            el.set_text_content(Some(&count.to_string()));
            preview_only(&el);
        }
    }
    el
}

/// A mark shown while the feed arrives: seen, but not announced or focusable (the
/// list says what is loading; the real marks follow).
fn preview_only(el: &web_sys::Element) {
    el.set_class_name(&format!("{} am-preview", el.class_name()));
    el.set_attribute("aria-hidden", "true")
        .or_log("hiding a preview mark");
    el.set_attribute("data-testid", "preview-mark")
        .or_log("marking a preview mark");
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
    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
        h.style()
            .set_property("background-color", colour)
            .or_log("colouring a pin");
    }
    match name {
        Some(name) => {
            el.set_attribute("data-testid", "pin")
                .or_log("marking a pin");
            el.append_child(&sr_text(doc, name))
                .or_log("labelling a pin");
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
