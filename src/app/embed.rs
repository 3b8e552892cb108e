//! Embedding on partner sites: the compact iframe view, the messages it sends its
//! host page, and the builder page that writes the snippet. Reading the link and
//! writing the snippets is the core's (`url_state`); this is the browser side.

use super::browser::{self, OrLog};
use super::state::Finder;
use crate::model::builtin_categories;
use crate::url_state::{host_origin, EmbedChoice, Query};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How the app tells its host about changes: messages to the page around an
/// iframe (to that page's origin only), or DOM events on the `<activity-map>` element.
#[derive(Clone)]
pub enum Channel {
    Parent(String),
    Element(send_wrapper::SendWrapper<web_sys::HtmlElement>),
}

/// The iframe's channel: to the origin the host named (`?origin=`), else the
/// embedding page's own origin from the referrer. Without either, none.
pub fn parent_channel(q: &Query) -> Option<Channel> {
    host_origin(q, &document().referrer()).map(Channel::Parent)
}

/// Set a field of a message (on a plain object we made: it cannot fail).
fn put(message: &js_sys::Object, key: &str, value: &JsValue) {
    js_sys::Reflect::set(message, &key.into(), value).or_log("filling a message to the host");
}

impl Channel {
    /// Send `{source: "activity-map", type, ...}`: a message, or an `activity-map:TYPE` event.
    fn send(&self, kind: &str, fill: impl FnOnce(&js_sys::Object)) {
        let detail = js_sys::Object::new();
        put(&detail, "source", &"activity-map".into());
        put(&detail, "type", &kind.into());
        fill(&detail);
        match self {
            Channel::Parent(origin) => {
                let Ok(Some(parent)) = window().parent() else {
                    return;
                };
                if parent != window() {
                    parent
                        .post_message(&detail, origin)
                        .or_log("telling the host page");
                }
            }
            Channel::Element(el) => {
                let init = web_sys::CustomEventInit::new();
                init.set_detail(&detail);
                init.set_bubbles(true);
                init.set_composed(true);
                if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(
                    &format!("activity-map:{kind}"),
                    &init,
                ) {
                    el.dispatch_event(&ev).or_log("telling the host page");
                }
            }
        }
    }
}

/// Tell the host about selection, shortlist and height changes.
pub fn talk_to_host(finder: Finder, channel: Channel, root: Option<web_sys::Element>) {
    let c1 = channel.clone();
    Effect::new(move |prev: Option<Option<(String, String)>>| {
        let id = finder.selected.get().and_then(|i| {
            finder.catalog.with_untracked(|c| {
                c.as_ref()
                    .and_then(|c| c.get(i))
                    .map(|a| (a.id.clone(), a.name.clone()))
            })
        });
        // Say only what changed (and nothing before anything is chosen).
        if prev.clone().flatten() == id {
            return id;
        }
        let sent = id.clone();
        c1.send("select", |m| {
            let (id, name) = id.map_or((JsValue::NULL, JsValue::NULL), |(i, n)| {
                (i.into(), n.into())
            });
            put(m, "id", &id);
            put(m, "name", &name);
        });
        sent
    });
    let c2 = channel.clone();
    Effect::new(move |_| {
        let ids = finder.shortlist.get();
        c2.send("shortlist", |m| {
            let arr: js_sys::Array = ids.iter().map(|s| JsValue::from_str(s)).collect();
            put(m, "ids", &arr);
        });
    });
    // Report the content's height whenever it changes, so hosts can size the frame.
    let watched: Option<web_sys::Element> =
        root.or_else(|| document().body().map(JsCast::unchecked_into));
    let Some(watched) = watched else { return };
    let measured = watched.clone();
    let on_resize = Closure::<dyn Fn()>::new(move || {
        let h = measured.scroll_height();
        channel.send("height", |m| {
            put(m, "height", &JsValue::from_f64(h as f64));
        });
    });
    let observer = match web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        Ok(observer) => observer,
        // Only where ResizeObserver is missing: the host then sizes the frame itself.
        Err(_) => return,
    };
    observer.observe(&watched);
    // The observer calls the closure until it is disconnected, so both are kept until
    // the app is unmounted (a widget is remounted whenever its settings change), then
    // the observer is disconnected and the closure freed, in that order.
    let owned = send_wrapper::SendWrapper::new((observer, on_resize));
    on_cleanup(move || {
        let (observer, on_resize) = owned.take();
        observer.disconnect();
        drop(on_resize);
    });
}

/// The page partners use to make their snippet: choose, preview, copy.
#[component]
pub fn Builder() -> impl IntoView {
    // The app's own page (`…/index.html`) and the folder it is served from, where the
    // sample feed and the widget script live too.
    let page = browser::url_with(&Query::default());
    let dir = page
        .rsplit_once('/')
        .map_or(page.clone(), |(dir, _)| dir.to_string());
    let feed = RwSignal::new(format!("{dir}/{}", super::DEFAULT_FEED));
    let dir = StoredValue::new(dir);
    let cats: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let centre = RwSignal::new(String::new());
    let zoom = RwSignal::new("11".to_string());
    let height = RwSignal::new("480".to_string());
    let copied: RwSignal<Option<String>> = RwSignal::new(None);

    let choice = move || EmbedChoice {
        feed: feed.get(),
        categories: cats.get(),
        centre: centre.get(),
        zoom: zoom.get(),
        height: height.get(),
    };
    let src = move || browser::url_with(&choice().iframe_query());
    let snippet = move || choice().iframe_snippet(&src());
    let widget_snippet = move || dir.with_value(|dir| choice().widget_snippet(dir));
    let copy_text = move |text: String| {
        browser::copy_text(&text, move |ok| {
            copied.set(Some(if ok {
                "Snippet copied.".into()
            } else {
                "Select the snippet and copy it.".into()
            }))
        });
    };
    let copy_widget = move |_| copy_text(widget_snippet());
    let copy = move |_| copy_text(snippet());
    let cat_box = move |id: String, label: String| {
        let (on, checked, id_for_change) = (id.clone(), id.clone(), id.clone());
        view! {
            <label class="am-chip" class:am-chip--on=move || cats.with(|c| c.contains(&on))>
                <input
                    class="am-chip-input"
                    type="checkbox"
                    data-testid=format!("builder-cat-{id}")
                    prop:checked=move || cats.with(|c| c.contains(&checked))
                    on:change=move |_| cats.update(|c| match c.iter().position(|x| *x == id_for_change) {
                        Some(i) => { c.remove(i); }
                        None => c.push(id_for_change.clone()),
                    })
                />
                {label}
            </label>
        }
    };
    view! {
        <div class="am-app am-builder">
            <header class="am-header">
                <h1 class="am-title">"Put the activity map on your website"</h1>
            </header>
            <main class="am-builder-main">
                <form class="am-builder-form" on:submit=|e| e.prevent_default()>
                    <label class="am-label" for="am-b-feed">"Feed address"</label>
                    <input id="am-b-feed" class="am-input" data-testid="builder-feed" prop:value=move || feed.get() on:change=move |e| feed.set(event_target_value(&e)) />
                    <fieldset class="am-fieldset">
                        <legend class="am-legend">"Show only these (leave all unticked for everything)"</legend>
                        <div class="am-chips">
                            {builtin_categories().into_iter().map(|c| cat_box(c.id, c.label)).collect_view()}
                        </div>
                    </fieldset>
                    <label class="am-label" for="am-b-centre">"Centre of your area (latitude, longitude)"</label>
                    <input id="am-b-centre" class="am-input" data-testid="builder-centre" placeholder="53.48, -2.24" prop:value=move || centre.get() on:change=move |e| centre.set(event_target_value(&e)) />
                    <label class="am-label" for="am-b-zoom">"Zoom (6 = region, 11 = town, 14 = streets)"</label>
                    <input id="am-b-zoom" class="am-input" type="number" min="3" max="18" prop:value=move || zoom.get() on:change=move |e| zoom.set(event_target_value(&e)) />
                    <label class="am-label" for="am-b-height">"Height in pixels"</label>
                    <input id="am-b-height" class="am-input" type="number" min="240" max="2000" prop:value=move || height.get() on:change=move |e| height.set(event_target_value(&e)) />
                    <label class="am-label" for="am-b-widget">"Paste this into your page (recommended)"</label>
                    <textarea id="am-b-widget" class="am-input am-snippet" data-testid="builder-widget-snippet" readonly rows="4" prop:value=widget_snippet></textarea>
                    <button class="am-button" type="button" data-testid="builder-copy-widget" on:click=copy_widget>"Copy widget snippet"</button>
                    <label class="am-label" for="am-b-snippet">"…or, where scripts are not allowed, this iframe"</label>
                    <textarea id="am-b-snippet" class="am-input am-snippet" data-testid="builder-snippet" readonly rows="5" prop:value=snippet></textarea>
                    <button class="am-button" type="button" data-testid="builder-copy" on:click=copy>"Copy iframe snippet"</button>
                    <p class="am-hint" role="status">{move || copied.get()}</p>
                </form>
                <section class="am-builder-preview" aria-label="Preview">
                    <iframe
                        data-testid="builder-preview"
                        title="Preview of the activity map"
                        src=src
                        allow="geolocation"
                        style:height=move || format!("{}px", choice().height_px())
                    ></iframe>
                </section>
            </main>
        </div>
    }
}
