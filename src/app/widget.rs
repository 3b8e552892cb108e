//! The `<activity-map>` element's Rust side: `assets/widget.js` defines the element,
//! loads this module when the element scrolls near, and calls [`mount_widget`] with
//! the element's attributes. Each element gets its own app, inside its own shadow root.
//! Which attributes count, and what they mean, is the core's
//! ([`query_from_attributes`]); the element asks [`widget_settings`] whether a change
//! matters, so it keeps no list of its own.

use super::on_demand;
use crate::url_state::query_from_attributes;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A mounted widget. The element calls `free()` (wasm-bindgen's) when it is removed or
/// its settings change: that drops Leptos's handle, which disposes the app (running its
/// `on_cleanup`s) and removes its nodes, and frees the handle itself.
#[wasm_bindgen]
pub struct WidgetHandle {
    _mounted: on_demand::Mounted,
}

/// The settings these attributes (a plain object of name → value) stand for, as a
/// query string. `widget.js` remounts the app only when this changes, so attributes
/// the app does not read (`class`, `style`, `height`, …) never remount it.
#[wasm_bindgen]
pub fn widget_settings(attributes: JsValue) -> String {
    query_from_attributes(&attribute_list(&attributes)).to_query_string()
}

fn attribute_list(attributes: &JsValue) -> Vec<(String, String)> {
    js_sys::Object::entries(attributes.unchecked_ref())
        .iter()
        .filter_map(|pair| {
            let pair: js_sys::Array = pair.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Mount an app into `root` (a `<div>` inside the element's shadow root).
/// `element` is the `<activity-map>` element, which receives the app's events;
/// `attributes` is a plain object of its attributes; `app_page` the full app's URL.
/// The finder is a part of its own (downloaded for the first element, then kept): the
/// answer is a promise, rejected with a message when the part cannot be downloaded.
#[wasm_bindgen]
pub async fn mount_widget(
    element: web_sys::HtmlElement,
    root: web_sys::HtmlElement,
    attributes: JsValue,
    app_page: String,
) -> Result<WidgetHandle, JsValue> {
    console_error_panic_hook::set_once();
    let settings = query_from_attributes(&attribute_list(&attributes));
    match on_demand::mount_widget(element, root, settings, app_page).await {
        Ok(mounted) => Ok(WidgetHandle { _mounted: mounted }),
        Err(_) => Err(JsValue::from_str("its code could not be downloaded")),
    }
}
