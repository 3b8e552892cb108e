//! Small wrappers over the browser APIs the app uses: history, storage,
//! geolocation, clipboard, the share sheet, downloads and printing. Each returns plain Rust values
//! so the components stay readable.

use crate::lang::Messages;
use crate::model::LatLng;
use crate::url_state::Query;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// ---- errors the page goes on without -------------------------------------------

/// For a browser call whose failure changes nothing the person sees (a storage write
/// in private mode, a performance mark, a timer that cannot be set): the error is
/// dropped, and in debug builds written to the console so a developer sees it.
pub trait OrLog {
    /// Drop the error, naming what was being done (`"saving the shortlist"`).
    fn or_log(self, doing: &str);
}

impl<T, E: std::fmt::Debug> OrLog for Result<T, E> {
    #[allow(unused_variables)]
    fn or_log(self, doing: &str) {
        #[cfg(debug_assertions)]
        if let Err(e) = self {
            web_sys::console::warn_1(&format!("activity-map: {doing} failed: {e:?}").into());
        }
    }
}

/// The page's element with this id, if it has one.
pub fn element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    document().get_element_by_id(id)?.dyn_into().ok()
}

/// A property of a JS object, if it is there and not null.
pub fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// What a script that runs before the app (`assets/early-feed.js`, `early-map.js`) left
/// at `window[name]`, taken once: the property is deleted, so a later call finds nothing.
pub fn take_global(name: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(name);
    let left = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(|v| !v.is_undefined())?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    Some(left)
}

// ---- the page's link -------------------------------------------------------

pub fn current_query() -> Query {
    Query::parse(&window().location().search().unwrap_or_default())
}

/// The page's address with this query, for sharing.
pub fn url_with(q: &Query) -> String {
    let loc = window().location();
    format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        q.to_query_string()
    )
}

/// Put a new query in the address bar: a new history entry (`push`) or in place.
pub fn set_query(q: &Query, push: bool) {
    let path = window().location().pathname().unwrap_or_default();
    let url = format!("{path}{}", q.to_query_string());
    if let Ok(h) = window().history() {
        let written = if push {
            h.push_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            h.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        };
        written.or_log("writing the link");
    }
}

/// Call `f` whenever the back or forward button changes the address, for as long as
/// the calling component lives.
pub fn on_popstate(f: impl Fn() + 'static) {
    listen(window().unchecked_into(), "popstate", move |_| f());
}

/// Listen for `event` on `target` until the calling component is cleaned up: the
/// listener is removed then, and its closure freed.
pub fn listen(
    target: web_sys::EventTarget,
    event: &'static str,
    f: impl Fn(web_sys::Event) + 'static,
) {
    let cb = Closure::<dyn Fn(web_sys::Event)>::new(f);
    target
        .add_event_listener_with_callback(event, cb.as_ref().unchecked_ref())
        .or_log("adding a listener");
    // Browser objects are not Send; cleanup runs on this thread.
    let held = send_wrapper::SendWrapper::new((target, cb));
    on_cleanup(move || {
        let (target, cb) = &*held;
        target
            .remove_event_listener_with_callback(event, cb.as_ref().unchecked_ref())
            .or_log("removing a listener");
    });
}

// ---- local storage -----------------------------------------------------------

pub fn load(key: &str) -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

pub fn save(key: &str, value: &str) {
    if let Some(s) = window().local_storage().ok().flatten() {
        s.set_item(key, value).or_log("saving to local storage");
    }
}

// ---- geolocation -----------------------------------------------------------------

/// Why the device's location could not be had, in words.
#[derive(Debug, Clone, PartialEq)]
pub enum LocateError {
    Denied,
    Unavailable,
    Timeout,
    Unsupported,
}

impl LocateError {
    pub fn message(&self, m: &Messages) -> String {
        m.get(match self {
            LocateError::Denied => "locate.denied",
            LocateError::Unavailable => "locate.unavailable",
            LocateError::Timeout => "locate.timeout",
            LocateError::Unsupported => "locate.unsupported",
        })
        .to_string()
    }
}

/// Ask the browser for the device's position once. It stays in this page: it is
/// never sent anywhere and never written into the link.
pub fn locate(done: impl Fn(Result<LatLng, LocateError>) + 'static) {
    let Ok(geo) = window().navigator().geolocation() else {
        done(Err(LocateError::Unsupported));
        return;
    };
    let done = std::rc::Rc::new(done);
    let ok_done = done.clone();
    let ok = Closure::once_into_js(move |pos: JsValue| {
        let coords = get(&pos, "coords");
        let read = |k| {
            coords
                .as_ref()
                .and_then(|c| get(c, k))
                .and_then(|v| v.as_f64())
        };
        match (read("latitude"), read("longitude")) {
            (Some(lat), Some(lng)) => ok_done(Ok(LatLng { lat, lng })),
            _ => ok_done(Err(LocateError::Unavailable)),
        }
    });
    let err = Closure::once_into_js(move |e: JsValue| {
        let code = get(&e, "code").and_then(|v| v.as_f64()).unwrap_or(2.0) as u32;
        done(Err(match code {
            1 => LocateError::Denied,
            3 => LocateError::Timeout,
            _ => LocateError::Unavailable,
        }))
    });
    let opts = web_sys::PositionOptions::new();
    opts.set_enable_high_accuracy(false);
    opts.set_timeout(10_000);
    opts.set_maximum_age(300_000);
    geo.get_current_position_with_error_callback_and_options(
        ok.unchecked_ref(),
        Some(err.unchecked_ref()),
        &opts,
    )
    .or_log("asking for the location");
}

// ---- clipboard, downloads, printing --------------------------------------------

/// Copy text; the promise's outcome is reported to `done`.
pub fn copy_text(text: &str, done: impl Fn(bool) + 'static) {
    let clipboard = window().navigator().clipboard();
    let promise = clipboard.write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// What became of a share through the phone's share sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    Done,
    /// The person closed the sheet without sharing: nothing to say.
    Cancelled,
    /// The browser refused or failed (not allowed here, data it would not take).
    Failed,
}

/// The browser's `navigator.share`, where it has one (most phones; few desktops).
fn share_fn() -> Option<js_sys::Function> {
    get(&window().navigator(), "share")?.dyn_into().ok()
}

/// Whether this browser has a share sheet (`navigator.share`) to offer.
pub fn can_share() -> bool {
    share_fn().is_some()
}

/// Open the share sheet with a title, a short text and a link; the outcome is
/// reported to `done` (`Failed` at once where there is no share sheet).
pub fn share(title: &str, text: &str, url: &str, done: impl FnOnce(Shared) + 'static) {
    let nav: JsValue = window().navigator().into();
    let data = js_sys::Object::new();
    for (k, v) in [("title", title), ("text", text), ("url", url)] {
        js_sys::Reflect::set(&data, &JsValue::from_str(k), &JsValue::from_str(v))
            .or_log("filling in what to share");
    }
    let Some(promise) = share_fn()
        .and_then(|f| f.call1(&nav, &data).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        done(Shared::Failed);
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        done(match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => Shared::Done,
            Err(e)
                if get(&e, "name").and_then(|n| n.as_string()).as_deref() == Some("AbortError") =>
            {
                Shared::Cancelled
            }
            Err(_) => Shared::Failed,
        });
    });
}

/// Send a link on: through the share sheet where there is one, else (and when sharing
/// fails) copied, with `copied` or the link itself on the status line. A share the
/// person cancels says nothing.
pub fn share_or_copy(
    title: &str,
    text: &str,
    link: String,
    copied: &str,
    status: RwSignal<Option<String>>,
    m: &Messages,
) {
    let (copied, copy_this) = (
        copied.to_string(),
        m.fill("share.copy_this", &[("link", &link)]),
    );
    let copy = move |link: String| {
        let (copied, copy_this) = (copied.clone(), copy_this.clone());
        copy_text(&link, move |ok| {
            status.try_set(Some(if ok {
                copied.clone()
            } else {
                copy_this.clone()
            }));
        })
    };
    if !can_share() {
        copy(link);
        return;
    }
    status.set(None);
    share(title, text, &link.clone(), move |outcome| {
        if outcome == Shared::Failed {
            copy(link);
        }
    });
}

/// Offer `text` as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let Ok(a) = document().create_element("a") else {
        web_sys::Url::revoke_object_url(&url).or_log("releasing the download");
        return;
    };
    let a: web_sys::HtmlAnchorElement = a.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.set_class_name("am-sr");
    let Some(body) = document().body() else {
        web_sys::Url::revoke_object_url(&url).or_log("releasing the download");
        return;
    };
    body.append_child(&a).or_log("adding the download link");
    a.click();
    // Firefox and Safari start the download after `click` returns, reading the blob
    // through its URL then: revoked now, the download fails or is empty. So the link
    // and its URL go a minute later, long after any download has started.
    let release = Closure::once_into_js(move || {
        a.remove();
        web_sys::Url::revoke_object_url(&url).or_log("releasing the download");
    });
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            release.unchecked_ref(),
            DOWNLOAD_KEPT_MS,
        )
        .or_log("setting a timer");
}

/// How long a download's object URL is kept after the download is asked for.
const DOWNLOAD_KEPT_MS: i32 = 60_000;

pub fn print() {
    window().print().or_log("printing");
}

/// The languages the person set in their browser, most wanted first.
pub fn languages() -> Vec<String> {
    window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect()
}

/// Today's weekday and date in the browser's time zone.
pub fn today() -> crate::filter::Today {
    let d = js_sys::Date::new_0();
    let (y, m, day) = (d.get_full_year() as i32, d.get_month() + 1, d.get_date());
    crate::filter::Today {
        weekday: crate::calendar::weekday_of(y, m, day),
        date: format!("{y:04}-{m:02}-{day:02}"),
    }
}

/// Now as an iCalendar UTC stamp, `YYYYMMDDTHHMMSSZ`.
pub fn utc_stamp() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        d.get_utc_full_year(),
        d.get_utc_month() + 1,
        d.get_utc_date(),
        d.get_utc_hours(),
        d.get_utc_minutes(),
        d.get_utc_seconds()
    )
}

// ---- yielding to the browser ------------------------------------------------

/// Resolves after `ms` milliseconds, letting the browser paint and handle input
/// in between: how long work is cut into slices that never block for long.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .or_log("setting a timer");
    });
    // The promise only ever resolves (with nothing).
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Let the browser paint and handle input, then go on at once: `scheduler.yield()`
/// where there is one (it also puts the rest ahead of other waiting work), otherwise
/// a zero timeout.
pub async fn yield_now() {
    let yielded = get(&window(), "scheduler").and_then(|s| {
        let f: js_sys::Function = get(&s, "yield")?.dyn_into().ok()?;
        f.call0(&s).ok()?.dyn_into::<js_sys::Promise>().ok()
    });
    match yielded {
        Some(p) => {
            // A yield that fails has yielded all the same.
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        None => sleep(0).await,
    }
}

/// How long one slice of long work may run before the page gets to paint and answer
/// input (a "long task" is one over 50 ms).
pub const SLICE_MS: f64 = 20.0;

/// Long work cut into slices: call [`pace`](Self::pace) between small steps, and it
/// lets the browser in whenever the slice has run its time.
pub struct Slices {
    start: f64,
}

impl Slices {
    pub fn new() -> Slices {
        Slices { start: now() }
    }

    /// Whether the slice has run its time.
    pub fn used_up(&self) -> bool {
        now() - self.start > SLICE_MS
    }

    /// Yield to the browser if the slice has run its time.
    pub async fn pace(&mut self) {
        if self.used_up() {
            yield_now().await;
            self.restart();
        }
    }

    /// Start a new slice (after yielding some other way).
    pub fn restart(&mut self) {
        self.start = now();
    }
}

/// Milliseconds since the page started (for cutting work into slices).
pub fn now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Leave a mark on the page's performance timeline (read by the benchmark and
/// Lighthouse, and shown in the browser's own performance panel).
///
/// The browser keeps every mark for as long as the page lives, and the app marks each
/// redraw, so only the first and the latest mark of each name are kept: when it first
/// happened and when it last did.
pub fn perf_mark(name: &str) {
    let Some(p) = window().performance() else {
        return;
    };
    let marks = p.get_entries_by_name_with_entry_type(name, "mark");
    if marks.length() >= 2 {
        let first = marks
            .get(0)
            .unchecked_into::<web_sys::PerformanceEntry>()
            .start_time();
        p.clear_marks_with_mark_name(name);
        let at = MarkOptions::from(JsValue::from(js_sys::Object::new()));
        at.set_start_time(first);
        mark_at(name, &at).or_log("keeping the first mark");
    }
    p.mark(name).or_log("marking the timeline");
}

#[wasm_bindgen]
extern "C" {
    /// The options of `performance.mark` (web-sys has them only among its unstable APIs).
    #[wasm_bindgen(extends = js_sys::Object)]
    type MarkOptions;
    #[wasm_bindgen(method, setter = startTime)]
    fn set_start_time(this: &MarkOptions, ms: f64);
    /// `performance.mark(name, options)`.
    #[wasm_bindgen(catch, js_namespace = performance, js_name = mark)]
    fn mark_at(name: &str, options: &MarkOptions) -> Result<JsValue, JsValue>;
}

/// Resolves once the browser has painted the current changes: after the next animation
/// frame, in a task of its own.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let then = Closure::once_into_js(move || {
            window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 0)
                .or_log("setting a timer");
        });
        window()
            .request_animation_frame(then.unchecked_ref())
            .or_log("asking for a frame");
    });
    // The promise only ever resolves (with nothing).
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
