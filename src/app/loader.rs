//! The only module that does HTTP: fetching feeds (keeping the last good copy of
//! each in the browser's Cache Storage) and asking the place-search service.

use super::browser::{self, OrLog};
use super::on_demand::{self, PartMissing};
use crate::feed::stream::{FeedStream, Finished, Finishing};
use crate::feed::{self, FeedError, FirstRead, Loaded, Options};
use crate::geocode;
use crate::lang::Messages;
use crate::model::LatLng;
use gloo_net::http::Request;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const CACHE: &str = "activity-map-feeds";
const SAVED_HEADER: &str = "x-activity-map-saved";

/// Why a feed could not be shown, in words a person can act on (English here, for
/// the console; [`LoadError::in_words`] for people).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    #[error("We couldn't reach the activity feed. Check your internet connection and try again. ({url})")]
    Unreachable { url: String },
    /// A feed on another site: the browser says the same when it is offline and when
    /// the site does not allow other sites to read it (CORS).
    #[error("We couldn't reach the activity feed. Check your internet connection and try again. If you are online, the feed's site may not allow maps on other websites to read it: its publisher must allow that (CORS), or the feed can be harvested into a file hosted beside the map (see \"Harvesting publishers' feeds\" in the map's README). ({url})")]
    Refused { url: String },
    #[error("The activity feed's address must be a web address, starting with https:// or http://. ({url})")]
    NotWeb { url: String },
    #[error("The activity feed could not be loaded: the server answered {status} {text}. ({url})")]
    Status {
        url: String,
        status: u16,
        text: String,
    },
    #[error("The reader for this kind of activity feed could not be downloaded. Check your internet connection and try again.")]
    PartMissing,
    #[error("The activity feed could not be read. {0}")]
    Invalid(#[from] FeedError),
    #[error("The activity feed's list of services could not be fetched ({1}). ({0})")]
    Page(String, PageError),
}

impl LoadError {
    /// The message in the person's language.
    pub fn in_words(&self, m: &Messages) -> String {
        match self {
            LoadError::Unreachable { url } => m.fill("load.unreachable", &[("url", url)]),
            LoadError::Refused { url } => m.fill("load.refused", &[("url", url)]),
            LoadError::NotWeb { url } => m.fill("load.not_web", &[("url", url)]),
            LoadError::Status { url, status, text } => m.fill(
                "load.status",
                &[
                    ("url", url),
                    ("status", &status.to_string()),
                    ("text", text),
                ],
            ),
            LoadError::PartMissing => m.get("load.part_missing").to_string(),
            LoadError::Invalid(e) => m.fill("load.invalid", &[("why", &e.in_words(m))]),
            LoadError::Page(url, why) => m.fill(
                "load.page",
                &[("url", url), ("why", &super::paged::page_error(why, m))],
            ),
        }
    }
}

/// Why one page of a feed published as many pages could not be fetched.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PageError {
    #[error("the connection failed")]
    Unreachable,
    #[error("the publisher's site does not let other websites read it, or the connection failed")]
    Refused,
    #[error("the server answered {0} {1}")]
    Status(u16, String),
    #[error("it is not JSON")]
    NotJson,
}

/// What the first document turned out to be.
pub enum Got {
    /// A whole feed.
    Feed(Loaded),
    /// The first of many pages (see `paged`).
    Pages(super::paged::First),
    /// The index of a tiled feed (see `pack_reader`).
    Pack(std::sync::Arc<super::pack_reader::PackSource>),
}

/// A feed ready to show, and whether it is a saved copy.
pub struct Fetched {
    pub got: Got,
    /// When the fetch failed and a saved copy is shown: when it was saved, and why.
    pub stale: Option<(String, LoadError)>,
}

/// How a pack's index starts, as `feedcheck --pack` writes it (docs/pack-format.md).
const PACK_HEAD: &[u8] = b"{\"format\":\"activity-map-pack/";

thread_local! {
    /// Whether the first piece of a feed fetched looked like a pack's index (`None`:
    /// none has arrived yet).
    static FIRST_PIECE: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Whether the first feed fetched starts as a pack's index does, once its first
/// bytes are here (see `first_view::let_finder_start`).
pub fn looks_like_pack() -> Option<bool> {
    FIRST_PIECE.get()
}

/// Activities read (or checked) between looks at the clock.
const STEP: usize = 16;
/// How often `progress` hears about the activities read so far.
const PROGRESS_MS: f64 = 250.0;
/// Reading gets at least this many times the time showing progress takes.
const PROGRESS_SHARE: f64 = 20.0;

/// Fetch and read a feed. A good copy is saved for later, a few seconds after it is
/// shown (saving is not on the way to the first pins); when the fetch fails, the
/// saved copy is read instead. While the feed arrives, `progress` is given the stream
/// after each slice of reading, to take in what has been read so far, and told every
/// so often (`true`) to show it.
pub async fn fetch_feed(
    url: &str,
    opts: &Options,
    progress: impl FnMut(&FeedStream, bool),
) -> Result<Fetched, LoadError> {
    if !is_web_address(url) {
        return Err(LoadError::NotWeb {
            url: url.to_string(),
        });
    }
    match fetch_fresh(url, opts, progress).await {
        Ok((got, body)) => {
            let url = url.to_string();
            // A whole feed is saved, and a pack's index (its files are saved as they
            // come: `fetch_pack_file`). One page of many is not: it would be shown as
            // all of it.
            if let (Got::Feed(_) | Got::Pack(_), Some(body)) = (&got, body) {
                wasm_bindgen_futures::spawn_local(async move {
                    browser::sleep(1500).await;
                    save_copy(&url, body).await;
                });
            }
            Ok(Fetched { got, stale: None })
        }
        Err(e) => match saved_copy(url).await {
            Some((bytes, saved)) => {
                let got = match pack_source(url, &bytes, true) {
                    Some(pack) => pack,
                    None => load_bytes(bytes, opts).await.map(Got::Feed),
                };
                match got {
                    Ok(got) => Ok(Fetched {
                        got,
                        stale: Some((saved, e)),
                    }),
                    Err(_) => Err(e),
                }
            }
            None => Err(e),
        },
    }
}

/// The feed read, and a copy of the download (to save: the browser puts it into Cache
/// Storage itself, so saving never passes the bytes through the wasm).
async fn fetch_fresh(
    url: &str,
    opts: &Options,
    mut progress: impl FnMut(&FeedStream, bool),
) -> Result<(Got, Option<web_sys::Blob>), LoadError> {
    let unreachable = || LoadError::Unreachable {
        url: url.to_string(),
    };
    let refused = || match other_origin(url) {
        true => LoadError::Refused {
            url: url.to_string(),
        },
        false => unreachable(),
    };
    let raw: web_sys::Response = match early_download("activityMapEarlyFeed", url) {
        Some(started) => JsFuture::from(started)
            .await
            .ok()
            .and_then(|r| r.dyn_into().ok())
            .ok_or_else(refused)?,
        None => Request::get(url)
            .send()
            .await
            .map_err(|_| refused())?
            .into(),
    };
    if !raw.ok() {
        return Err(LoadError::Status {
            url: url.to_string(),
            status: raw.status(),
            text: raw.status_text(),
        });
    }
    // A copy of the download, made of the pieces as they are read: saved for later,
    // and read whole when the stream cannot read the document itself.
    let mut kept = Kept::default();
    // Read as it arrives: each activity is read as soon as its last byte is here, so
    // reading overlaps the download instead of following it. Reading goes in slices
    // that leave the page free to paint (the pins so far) and answer input.
    let mut stream = FeedStream::new(opts);
    if let Some(total) = content_length(&raw) {
        stream.expect(total);
    }
    let mut slices = browser::Slices::new();
    // When the pins so far were last shown, and how long showing them took.
    let mut shown: Option<f64> = None;
    let mut cost = 0.0;
    if let Some(body) = raw.body() {
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        loop {
            let next = JsFuture::from(reader.read())
                .await
                .map_err(|_| unreachable())?;
            let done = js_sys::Reflect::get(&next, &"done".into()).map_err(|_| unreachable())?;
            if done.is_truthy() {
                break;
            }
            let piece: js_sys::Uint8Array = js_sys::Reflect::get(&next, &"value".into())
                .map_err(|_| unreachable())?
                .unchecked_into();
            if FIRST_PIECE.get().is_none() {
                let head = piece.subarray(0, PACK_HEAD.len() as u32).to_vec();
                FIRST_PIECE.set(Some(head == PACK_HEAD));
            }
            kept.add(&piece);
            stream.add_with(piece.length() as usize, |into| piece.copy_to(into));
            // Read a slice at a time; at the end of each, what it read is taken in, and
            // every so often shown, in a task of its own. The same once all that has
            // arrived is read, before waiting for more.
            loop {
                let more = stream.read(STEP);
                if more && !slices.used_up() {
                    continue;
                }
                progress(&stream, false);
                browser::yield_now().await;
                let now = browser::now();
                let wait = PROGRESS_MS.max(cost * PROGRESS_SHARE);
                if stream.activities_read() > 0 && shown.is_none_or(|t| now - t >= wait) {
                    shown = Some(now);
                    progress(&stream, true);
                    browser::yield_now().await;
                    cost = browser::now() - now;
                }
                slices.restart();
                if !more {
                    break;
                }
            }
        }
    }
    browser::perf_mark("am-fetched");
    let keep = kept.whole();
    let got = match stream.finishing(opts) {
        Finishing::Check(mut checks) => {
            while !checks.step(STEP) {
                slices.pace().await;
            }
            Got::Feed(checks.done())
        }
        Finishing::Done(Finished::Read(read)) => Got::Feed(read?),
        Finishing::Done(Finished::Whole) => {
            // Another shape, or not JSON: read the whole document (from the copy kept,
            // which can be read again for saving).
            let whole = keep.as_ref().ok_or_else(unreachable)?;
            let buffer = JsFuture::from(whole.array_buffer())
                .await
                .map_err(|_| unreachable())?;
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            // A tiled feed's index (docs/pack-format.md): read here, so that its first
            // clusters need no part (the readers' part came with 61 KB of code it shares).
            // Many pages (or a site listing feeds), or another shape: told apart and
            // read by the readers' part.
            match pack_source(url, &bytes, false) {
                Some(pack) => pack?,
                None => match on_demand::read_whole(absolute(url), bytes, opts.clone()).await {
                    Ok(got) => got?,
                    Err(PartMissing) => return Err(LoadError::PartMissing),
                },
            }
        }
    };
    browser::perf_mark("am-parsed");
    Ok((got, keep))
}

/// A tiled feed's index (docs/pack-format.md), if `bytes` are one: `saved` when they
/// are the copy kept on an earlier visit.
fn pack_source(url: &str, bytes: &[u8], saved: bool) -> Option<Result<Got, LoadError>> {
    Some(match crate::pack::read_index(bytes)? {
        Ok((index, problems)) => Ok(Got::Pack(std::sync::Arc::new(
            super::pack_reader::PackSource {
                index,
                problems,
                base: absolute(url).unwrap_or_default(),
                saved,
            },
        ))),
        Err(e) => Err(e.into()),
    })
}

/// A copy of a download, kept from the pieces the page reads, as one blob at the end.
/// Not `Response::clone`: the clone's unread half cost one task of 84 ms when the body
/// ended (3k feed, slow phone; BENCHMARKS.md), where these pieces, already
/// in the page, cost nothing to keep.
#[derive(Default)]
struct Kept {
    /// The pieces since the last fold.
    pieces: Vec<js_sys::Uint8Array>,
    /// Their length.
    bytes: usize,
    /// The pieces before them, folded into one blob.
    folded: Option<web_sys::Blob>,
    /// A fold failed: the copy is not whole.
    broken: bool,
}

impl Kept {
    /// Pieces are folded into a blob (which refers to the blob before, not copies it)
    /// every this many bytes, so that no one step copies much.
    const FOLD_BYTES: usize = 1 << 20;

    fn add(&mut self, piece: &js_sys::Uint8Array) {
        self.bytes += piece.length() as usize;
        self.pieces.push(piece.clone());
        if self.bytes >= Self::FOLD_BYTES {
            self.fold();
        }
    }

    fn fold(&mut self) {
        let parts = js_sys::Array::new();
        if let Some(b) = self.folded.take() {
            parts.push(&b);
        }
        for p in self.pieces.drain(..) {
            parts.push(&p);
        }
        self.bytes = 0;
        self.folded = web_sys::Blob::new_with_blob_sequence(&parts).ok();
        self.broken |= self.folded.is_none();
    }

    /// The whole download (`None`: the browser would not keep it).
    fn whole(mut self) -> Option<web_sys::Blob> {
        self.fold();
        self.folded.filter(|_| !self.broken)
    }
}

/// A whole document read: our own format here, any other shape by its reader, which is
/// downloaded the first time one is needed.
async fn load_bytes(bytes: Vec<u8>, opts: &Options) -> Result<Loaded, LoadError> {
    match feed::load_native(&bytes, opts)? {
        FirstRead::Native(loaded) => Ok(loaded),
        FirstRead::Other => match on_demand::read_other(bytes, opts.clone()).await {
            Ok(read) => Ok(read?),
            Err(PartMissing) => Err(LoadError::PartMissing),
        },
    }
}

/// Whether `url` (relative to the page) is an http(s) address: nothing else is fetched.
fn is_web_address(url: &str) -> bool {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten());
    let Some(base) = base else {
        return false;
    };
    web_sys::Url::new_with_base(url, &base)
        .is_ok_and(|u| matches!(u.protocol().as_str(), "https:" | "http:"))
}

/// One page of a feed published as many pages.
pub async fn fetch_page(url: &str) -> Result<Vec<u8>, PageError> {
    let failed = || match other_origin(url) {
        true => PageError::Refused,
        false => PageError::Unreachable,
    };
    let resp = Request::get(url).send().await.map_err(|_| failed())?;
    if !resp.ok() {
        return Err(PageError::Status(resp.status(), resp.status_text()));
    }
    resp.binary().await.map_err(|_| failed())
}

/// One of a pack's files (a part of the tree, a tile, a words file). Each one fetched
/// is kept in Cache Storage, the latest [`PACK_FILES_KEPT`] of them, so that with no
/// connection a pack opened from its saved index (`from_saved`) still shows the parts
/// last seen. A pack opened from the network never mixes in a kept file: the host may
/// have written a new pack since.
pub async fn fetch_pack_file(url: &str, from_saved: bool) -> Result<Vec<u8>, PageError> {
    match fetch_page(url).await {
        Ok(bytes) => {
            let copy = js_sys::Uint8Array::from(bytes.as_slice());
            let url = url.to_string();
            wasm_bindgen_futures::spawn_local(async move { keep_pack_file(&url, copy).await });
            Ok(bytes)
        }
        Err(PageError::Unreachable) if from_saved => match kept_pack_file(url).await {
            Some(bytes) => Ok(bytes),
            None => Err(PageError::Unreachable),
        },
        Err(e) => Err(e),
    }
}

/// Where a pack's files are kept, apart from the feeds (many small files, dropped
/// oldest first).
const PACK_CACHE: &str = "activity-map-pack-files";
/// How many of a pack's files are kept: a few views' worth (a tile is about 160 KB
/// unzipped), far from the whole country. Map tiles are never kept.
const PACK_FILES_KEPT: u32 = 64;

async fn keep_pack_file(url: &str, bytes: js_sys::Uint8Array) {
    let Some(cache) = open_pack_cache().await else {
        return;
    };
    // A blob of the bytes (its constructor takes them as they are), as `save_copy`
    // answers with one.
    let Ok(blob) = web_sys::Blob::new_with_blob_sequence(&js_sys::Array::of1(&bytes)) else {
        return;
    };
    let init = web_sys::ResponseInit::new();
    let Ok(resp) = web_sys::Response::new_with_opt_blob_and_init(Some(&blob), &init) else {
        return;
    };
    if JsFuture::from(cache.put_with_str(url, &resp))
        .await
        .is_err()
    {
        return;
    }
    // Cache Storage lists its entries oldest first (a file put again counts as new).
    let Ok(keys) = JsFuture::from(cache.keys()).await else {
        return;
    };
    let keys: js_sys::Array = keys.unchecked_into();
    for old in keys
        .iter()
        .take(keys.length().saturating_sub(PACK_FILES_KEPT) as usize)
    {
        if let Some(old) = js_sys::Reflect::get(&old, &"url".into())
            .ok()
            .and_then(|u| u.as_string())
        {
            JsFuture::from(cache.delete_with_str(&old))
                .await
                .or_log("dropping an old pack file");
        }
    }
}

async fn kept_pack_file(url: &str) -> Option<Vec<u8>> {
    let cache = open_pack_cache().await?;
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let resp: web_sys::Response = found.dyn_into().ok()?;
    let buf = JsFuture::from(resp.array_buffer().ok()?).await.ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}

/// `url` made absolute against the page.
fn absolute(url: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    Some(web_sys::Url::new_with_base(url, &base).ok()?.href())
}

/// Whether `url` is on another origin than the page: a fetch the browser refuses
/// there may be the site not allowing it (CORS), which a page cannot tell from a
/// failed connection.
fn other_origin(url: &str) -> bool {
    let here = web_sys::window().and_then(|w| w.location().origin().ok());
    let there = absolute(url).and_then(|u| web_sys::Url::new(&u).ok().map(|u| u.origin()));
    here != there
}

/// How many bytes the response says its body has (before any decompression).
fn content_length(r: &web_sys::Response) -> Option<usize> {
    r.headers().get("content-length").ok()??.trim().parse().ok()
}

/// A download `early-feed.js` started before the app loaded (the feed, or the words
/// of a language other than English), left at `window[name]`, if it is of `url`.
/// Taken once: a retry fetches afresh.
fn early_download(name: &str, url: &str) -> Option<js_sys::Promise> {
    // Taken once: if it cannot be deleted, the URL check below still guards a retry.
    let early = super::browser::take_global(name)?;
    let window = web_sys::window()?;
    let started = js_sys::Reflect::get(&early, &"url".into())
        .ok()?
        .as_string()?;
    let wanted = web_sys::Url::new_with_base(url, &window.document()?.base_uri().ok()??).ok()?;
    if started != wanted.href() {
        return None;
    }
    js_sys::Reflect::get(&early, &"response".into())
        .ok()?
        .dyn_into()
        .ok()
}

fn cache_storage() -> Option<web_sys::CacheStorage> {
    web_sys::window()?.caches().ok()
}

async fn open_cache() -> Option<web_sys::Cache> {
    let p = cache_storage()?.open(CACHE);
    JsFuture::from(p).await.ok()?.dyn_into().ok()
}

/// The pack files' cache. (Apart from [`open_cache`], which the first module has: a
/// shared one taking the name cost that module 0.2 KB.)
async fn open_pack_cache() -> Option<web_sys::Cache> {
    let p = cache_storage()?.open(PACK_CACHE);
    JsFuture::from(p).await.ok()?.dyn_into().ok()
}

async fn save_copy(url: &str, fetched: web_sys::Blob) {
    let Some(cache) = open_cache().await else {
        return;
    };
    let headers = web_sys::Headers::new().ok();
    if let Some(h) = &headers {
        h.set("content-type", "application/json")
            .or_log("labelling the saved feed");
        h.set(
            SAVED_HEADER,
            &String::from(js_sys::Date::new_0().to_iso_string()),
        )
        .or_log("dating the saved feed");
    }
    let init = web_sys::ResponseInit::new();
    if let Some(h) = &headers {
        init.set_headers(h);
    }
    let Ok(resp) = web_sys::Response::new_with_opt_blob_and_init(Some(&fetched), &init) else {
        return;
    };
    JsFuture::from(cache.put_with_str(url, &resp))
        .await
        .or_log("saving the feed for later");
}

async fn saved_copy(url: &str) -> Option<(Vec<u8>, String)> {
    let cache = open_cache().await?;
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let resp: web_sys::Response = found.dyn_into().ok()?;
    let saved = resp
        .headers()
        .get(SAVED_HEADER)
        .ok()
        .flatten()
        .unwrap_or_default();
    let buf = JsFuture::from(resp.array_buffer().ok()?).await.ok()?;
    Some((js_sys::Uint8Array::new(&buf).to_vec(), saved))
}

/// A small text file (a language's messages).
/// Taken over from `early-feed.js` when it started the same download.
pub async fn fetch_text(url: &str) -> Result<String, PageError> {
    if let Some(text) = early_download("activityMapEarlyWords", url) {
        // A failed early download is fetched again below.
        if let Some(text) = text_of(text).await {
            return Ok(text);
        }
    }
    let resp = Request::get(url)
        .send()
        .await
        .map_err(|_| PageError::Unreachable)?;
    if !resp.ok() {
        return Err(PageError::Status(resp.status(), resp.status_text()));
    }
    resp.text().await.map_err(|_| PageError::Unreachable)
}

/// The text of a successful response, when `response` gives one.
async fn text_of(response: js_sys::Promise) -> Option<String> {
    let resp: web_sys::Response = JsFuture::from(response).await.ok()?.dyn_into().ok()?;
    if !resp.ok() {
        return None;
    }
    JsFuture::from(resp.text().ok()?).await.ok()?.as_string()
}

/// Look up a postcode or place name. Only what the person typed is sent.
pub async fn geocode(base: &str, input: &str, m: &Messages) -> Result<(LatLng, String), String> {
    let lookup = geocode::lookup_for(input).ok_or_else(|| m.get("place.type").to_string())?;
    let url = geocode::url(base, &lookup);
    let resp = Request::get(&url)
        .send()
        .await
        .map_err(|_| m.get("place.unreachable").to_string())?;
    let body = resp
        .text()
        .await
        .map_err(|_| m.get("place.bad_answer").to_string())?;
    if resp.status() == 404 {
        // The service says "not found" with a 404: read it the same way.
        return geocode::parse(&lookup, &body, m);
    }
    if !resp.ok() {
        return Err(m.fill(
            "place.not_working",
            &[("status", &resp.status().to_string())],
        ));
    }
    geocode::parse(&lookup, &body, m)
}
