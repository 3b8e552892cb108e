//! The map's one door to Leaflet (1.9): the `leaflet` crate's typed bindings, and the
//! few calls and options it does not cover, bound here by name with a link to
//! Leaflet's reference. Nothing in `map_view` reaches Leaflet by a property name
//! in a string.

use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use ::leaflet::{
    Canvas, CanvasOptions, Circle, CircleMarker, CircleOptions, DivIconOptions, Event, Evented,
    EventedHandle, FeatureGroup, Icon, LatLng, LatLngBounds, MapOptions, Marker, MarkerOptions,
    MouseEvent, Point, TileLayer, TileLayerOptions,
};

#[wasm_bindgen]
extern "C" {
    /// A Leaflet map: [`leaflet::Map`](::leaflet::Map) (reached through `Deref`) and
    /// the calls the crate lacks.
    #[wasm_bindgen(extends = ::leaflet::Map, extends = Evented, extends = Object)]
    #[derive(Debug, Clone)]
    pub type Map;

    /// [`getBoundsZoom`](https://leafletjs.com/reference.html#map-getboundszoom): the
    /// zoom at which `bounds` fit the map less `padding` (`inside`: fill it instead).
    #[wasm_bindgen(method, catch, js_name = getBoundsZoom)]
    pub fn get_bounds_zoom(
        this: &Map,
        bounds: &LatLngBounds,
        inside: bool,
        padding: &Point,
    ) -> Result<f64, JsValue>;

    /// Whether a zoom animation is running: Leaflet's own `_animatingZoom`, not in the
    /// reference (set and cleared by `_animateZoom` and `_onZoomTransitionEnd` in
    /// [Map.js](https://github.com/Leaflet/Leaflet/blob/v1.9.4/src/map/Map.js)).
    #[wasm_bindgen(method, getter, js_name = _animatingZoom)]
    fn animating_zoom_flag(this: &Map) -> Option<bool>;

    /// [`L.divIcon`](https://leafletjs.com/reference.html#divicon-l-divicon). (The
    /// crate's `DivIcon::new` binds `L.Icon`, which needs an image URL.)
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    pub fn div_icon(options: &DivIconOptions) -> Icon;

    /// [`DivIcon` options](https://leafletjs.com/reference.html#divicon-option) whose
    /// `html` is an element of ours rather than a string of HTML.
    #[wasm_bindgen(extends = DivIconOptions, extends = Object)]
    #[derive(Debug, Clone)]
    pub type ElementIconOptions;

    /// [`html`](https://leafletjs.com/reference.html#divicon-html)
    #[wasm_bindgen(method, setter, js_name = html)]
    pub fn set_html(this: &ElementIconOptions, el: &web_sys::Element);

    /// [`Marker` options](https://leafletjs.com/reference.html#marker-option) and what
    /// the marker stands for, read back when it is clicked (Leaflet keeps unknown
    /// options on the marker's `options`): an activity (`amIndex`) or a cluster of
    /// them (`amBounds`).
    #[wasm_bindgen(extends = MarkerOptions, extends = Object)]
    #[derive(Debug, Clone)]
    pub type MarkOptions;

    #[wasm_bindgen(method, getter, js_name = amIndex)]
    pub fn am_index(this: &MarkOptions) -> Option<f64>;

    #[wasm_bindgen(method, setter, js_name = amIndex)]
    pub fn set_am_index(this: &MarkOptions, index: f64);

    #[wasm_bindgen(method, getter, js_name = amBounds)]
    pub fn am_bounds(this: &MarkOptions) -> Option<LatLngBounds>;

    #[wasm_bindgen(method, setter, js_name = amBounds)]
    pub fn set_am_bounds(this: &MarkOptions, bounds: &LatLngBounds);

    /// [`CircleMarker` options](https://leafletjs.com/reference.html#circlemarker-option)
    /// of a canvas pin, with the image that draws it (`amStamp`, see `marks::stamp_pins`).
    #[wasm_bindgen(extends = CircleOptions, extends = Object)]
    #[derive(Debug, Clone)]
    pub type PinOptions;

    #[wasm_bindgen(method, setter, js_name = amStamp)]
    pub fn set_am_stamp(this: &PinOptions, stamp: &web_sys::HtmlCanvasElement);

    /// A marker built with [`MarkOptions`].
    #[wasm_bindgen(extends = Marker, extends = Object)]
    #[derive(Debug, Clone)]
    pub type TaggedMarker;

    /// [`options`](https://leafletjs.com/reference.html#layer-option)
    #[wasm_bindgen(method, getter)]
    pub fn options(this: &TaggedMarker) -> Option<MarkOptions>;

    /// An event a group passes on from one of its markers: an
    /// [`Event`](https://leafletjs.com/reference.html#event-objects) with the
    /// `layer` it came from and, for a `keypress`, the browser's `originalEvent`
    /// ([`KeyboardEvent`](https://leafletjs.com/reference.html#keyboardevent)).
    #[wasm_bindgen(extends = Event, extends = Object)]
    #[derive(Debug, Clone)]
    pub type LayerEvent;

    #[wasm_bindgen(method, getter)]
    pub fn layer(this: &LayerEvent) -> Option<TaggedMarker>;

    #[wasm_bindgen(method, getter, js_name = originalEvent)]
    pub fn original_event(this: &LayerEvent) -> Option<KeyEvent>;

    /// The browser's keyboard event under a Leaflet `keypress`.
    #[wasm_bindgen(extends = Object)]
    #[derive(Debug, Clone)]
    pub type KeyEvent;

    /// [`key`](https://developer.mozilla.org/docs/Web/API/KeyboardEvent/key)
    #[wasm_bindgen(method, getter)]
    pub fn key(this: &KeyEvent) -> Option<String>;

    /// Options of `setView`, `panBy` and `fitBounds`: the
    /// [zoom/pan options](https://leafletjs.com/reference.html#zoom/pan-options) and
    /// the [`fitBounds` options](https://leafletjs.com/reference.html#fitbounds-options)
    /// we use.
    #[wasm_bindgen(extends = Object)]
    #[derive(Debug, Clone)]
    pub type ViewOptions;

    #[wasm_bindgen(method, setter, js_name = animate)]
    pub fn set_animate(this: &ViewOptions, animate: bool);

    #[wasm_bindgen(method, setter, js_name = paddingTopLeft)]
    pub fn set_padding_top_left(this: &ViewOptions, padding: &Point);

    #[wasm_bindgen(method, setter, js_name = paddingBottomRight)]
    pub fn set_padding_bottom_right(this: &ViewOptions, padding: &Point);

    #[wasm_bindgen(method, setter, js_name = maxZoom)]
    pub fn set_max_zoom(this: &ViewOptions, zoom: f64);
}

/// One of our handlers on a Leaflet object: taken off (`off`) when dropped.
pub type Listener = EventedHandle<Event>;

/// Listen to `kind` on `target` (a map, a group) until the returned handle is dropped.
pub fn listen(target: &Evented, kind: &'static str, f: impl FnMut(Event) + 'static) -> Listener {
    Evented::on_leaflet_event(&target, kind, f)
}

impl Map {
    /// [`L.map`](https://leafletjs.com/reference.html#map-l-map) on `el`. Fails if
    /// `el` already holds a map.
    pub fn new(el: &web_sys::HtmlElement, options: &MapOptions) -> Result<Map, JsValue> {
        ::leaflet::Map::new_with_element(el, options).map(JsCast::unchecked_into)
    }

    pub fn animating_zoom(&self) -> bool {
        self.animating_zoom_flag().unwrap_or(false)
    }
}

impl ElementIconOptions {
    pub fn new() -> ElementIconOptions {
        Object::new().unchecked_into()
    }
}

impl MarkOptions {
    pub fn new() -> MarkOptions {
        Object::new().unchecked_into()
    }
}

impl ViewOptions {
    pub fn new() -> ViewOptions {
        Object::new().unchecked_into()
    }

    /// Jump there at once, without animation.
    pub fn at_once() -> ViewOptions {
        let o = ViewOptions::new();
        o.set_animate(false);
        o
    }
}
