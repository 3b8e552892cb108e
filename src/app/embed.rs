//! Embedding on partner sites: the compact iframe view, the messages it sends its
//! host page, and the builder page that writes the snippet.

use super::browser;
use super::state::Finder;
use crate::url_state::Query;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Keys that describe the embedding itself, not what the person sees.
const EMBED_KEYS: [&str; 2] = ["embed", "origin"];

/// Is this page the compact view inside a partner's iframe?
pub fn is_embed(q: &Query) -> bool {
    q.get("embed").is_some_and(|v| v == "1" || v == "true")
}

/// The full app's address for what the embed shows now.
pub fn full_map_link(host: &super::host::Host, q: &Query) -> String {
    let mut q = q.clone();
    for k in EMBED_KEYS {
        q.set(k, None);
    }
    host.link(&q)
}

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
    let named = q.get("origin").map(str::to_string);
    let referrer = document().referrer();
    let from_referrer = web_sys::Url::new(&referrer)
        .ok()
        .map(|u| u.origin())
        .filter(|o| o != "null" && !o.is_empty());
    named.or(from_referrer).map(Channel::Parent)
}

impl Channel {
    /// Send `{source: "activity-map", type, ...}`: a message, or an `activity-map:TYPE` event.
    fn send(&self, kind: &str, fill: impl FnOnce(&js_sys::Object)) {
        let detail = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"source".into(), &"activity-map".into());
        let _ = js_sys::Reflect::set(&detail, &"type".into(), &kind.into());
        fill(&detail);
        match self {
            Channel::Parent(origin) => {
                let Ok(Some(parent)) = window().parent() else {
                    return;
                };
                if parent != window() {
                    let _ = parent.post_message(&detail, origin);
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
                    let _ = el.dispatch_event(&ev);
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
            let _ = js_sys::Reflect::set(m, &"id".into(), &id);
            let _ = js_sys::Reflect::set(m, &"name".into(), &name);
        });
        sent
    });
    let c2 = channel.clone();
    Effect::new(move |_| {
        let ids = finder.shortlist.get();
        c2.send("shortlist", |m| {
            let arr: js_sys::Array = ids.iter().map(|s| JsValue::from_str(s)).collect();
            let _ = js_sys::Reflect::set(m, &"ids".into(), &arr);
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
            let _ = js_sys::Reflect::set(m, &"height".into(), &JsValue::from_f64(h as f64));
        });
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&watched);
        let observer = send_wrapper::SendWrapper::new(observer);
        on_cleanup(move || observer.disconnect());
    }
    // The closure must outlive the observer; it is small and made once per app.
    on_resize.forget();
}

/// The page partners use to make their snippet: choose, preview, copy.
#[component]
pub fn Builder() -> impl IntoView {
    let here = browser::url_with(&Query::default());
    let default_feed = here
        .rsplit_once('/')
        .map(|(base, _)| format!("{base}/sample-feed.json"))
        .unwrap_or_default();
    let feed = RwSignal::new(default_feed);
    let cats: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let centre = RwSignal::new(String::new());
    let zoom = RwSignal::new("11".to_string());
    let height = RwSignal::new("480".to_string());
    let copied: RwSignal<Option<String>> = RwSignal::new(None);

    let src = move || {
        let mut q = Query::default();
        q.set("embed", Some("1"));
        q.set("feed", Some(&feed.get()));
        let c = cats.get().join(",");
        q.set("cat", Some(&c));
        let centre = centre.get();
        if let Some((lat, lng)) = centre.split_once(',') {
            if let (Ok(lat), Ok(lng)) = (lat.trim().parse::<f64>(), lng.trim().parse::<f64>()) {
                q.set("map", Some(&format!("{lat},{lng},{}", zoom.get().trim())));
            }
        }
        browser::url_with(&q)
    };
    let snippet = move || {
        let h: u32 = height.get().trim().parse().unwrap_or(480).clamp(240, 2000);
        format!(
            "<iframe src=\"{}\" title=\"Activities near you\" width=\"100%\" height=\"{h}\" style=\"border:0\" allow=\"geolocation\" loading=\"lazy\"></iframe>",
            src().replace('&', "&amp;").replace('"', "&quot;")
        )
    };
    let widget_snippet = move || {
        let base = browser::url_with(&Query::default());
        let dir = base
            .rsplit_once('/')
            .map_or(base.clone(), |(d, _)| d.to_string());
        let attr = |s: String| s.replace('&', "&amp;").replace('"', "&quot;");
        let mut tag = format!("<activity-map feed=\"{}\"", attr(feed.get()));
        let c = cats.get().join(",");
        if !c.is_empty() {
            tag += &format!(" categories=\"{c}\"");
        }
        let centre = centre.get();
        if let Some((lat, lng)) = centre.split_once(',') {
            if let (Ok(lat), Ok(lng)) = (lat.trim().parse::<f64>(), lng.trim().parse::<f64>()) {
                tag += &format!(
                    " center=\"{lat},{lng}\" zoom=\"{}\"",
                    attr(zoom.get().trim().to_string())
                );
            }
        }
        let h: u32 = height.get().trim().parse().unwrap_or(480).clamp(240, 2000);
        format!("<script type=\"module\" src=\"{dir}/widget.js\"></script>\n{tag} height=\"{h}px\"></activity-map>")
    };
    let copy_widget = move |_| {
        browser::copy_text(&widget_snippet(), move |ok| {
            copied.set(Some(if ok {
                "Snippet copied.".into()
            } else {
                "Select the snippet and copy it.".into()
            }))
        });
    };
    let copy = move |_| {
        browser::copy_text(&snippet(), move |ok| {
            copied.set(Some(if ok {
                "Snippet copied.".into()
            } else {
                "Select the snippet and copy it.".into()
            }))
        });
    };
    let cat_box = move |id: &'static str, label: &'static str| {
        view! {
            <label class="am-chip" class:am-chip--on=move || cats.with(|c| c.iter().any(|x| x == id))>
                <input
                    class="am-chip-input"
                    type="checkbox"
                    data-testid=format!("builder-cat-{id}")
                    prop:checked=move || cats.with(|c| c.iter().any(|x| x == id))
                    on:change=move |_| cats.update(|c| match c.iter().position(|x| x == id) {
                        Some(i) => { c.remove(i); }
                        None => c.push(id.to_string()),
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
                            {cat_box("green", "Green & outdoors")}
                            {cat_box("parkrun", "parkrun")}
                            {cat_box("heritage", "Heritage & culture")}
                            {cat_box("hub", "Community hubs")}
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
                        style:height=move || format!("{}px", height.get().trim().parse::<u32>().unwrap_or(480).clamp(240, 2000))
                    ></iframe>
                </section>
            </main>
        </div>
    }
}
