//! The `<activity-map>` element's Rust side: `assets/widget.js` defines the element,
//! loads this module when the element scrolls near, and calls [`mount_widget`] with
//! the element's attributes. Each element gets its own app, inside its own shadow root.

use super::host::Host;
use super::App;
use crate::url_state::query_from_attributes;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A mounted widget; `unmount` removes it (the element calls it when it is removed
/// or its attributes change).
#[wasm_bindgen]
pub struct WidgetHandle {
    mounted: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    pub fn unmount(&mut self) {
        // Dropping Leptos's handle disposes the app and removes its nodes.
        self.mounted.take();
    }
}

/// Mount an app into `root` (a `<div>` inside the element's shadow root).
/// `element` is the `<activity-map>` element, which receives the app's events;
/// `attributes` is a plain object of its attributes; `app_page` the full app's URL.
#[wasm_bindgen]
pub fn mount_widget(
    element: web_sys::HtmlElement,
    root: web_sys::HtmlElement,
    attributes: JsValue,
    app_page: String,
) -> WidgetHandle {
    console_error_panic_hook::set_once();
    let attrs: Vec<(String, String)> = js_sys::Object::entries(attributes.unchecked_ref())
        .iter()
        .filter_map(|pair| {
            let pair: js_sys::Array = pair.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect();
    let settings = query_from_attributes(&attrs);
    let root_el: web_sys::Element = root.clone().unchecked_into();
    let element = send_wrapper::SendWrapper::new(element);
    let handle = leptos::mount::mount_to(root, move || {
        let host = Host::widget(root_el.clone(), settings.clone(), app_page.clone());
        provide_context(super::embed::Channel::Element(element.clone()));
        view! { <App host=host /> }
    });
    WidgetHandle {
        mounted: Some(Box::new(handle)),
    }
}
