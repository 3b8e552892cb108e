//! The finder's words, in the person's language (`crate::lang` has the message files
//! and plural rules; this is their place in the app).
//!
//! Every component reads its text through [`Words`] (from the context): `w.t("key")`,
//! `w.fill(…)`, `w.count(…)`. Each read is tracked, so text written in a closure
//! follows a change of language. The language is the link's (`?lang=`, or a widget's
//! `lang` attribute) or the one the person picks, else the first of the browser's
//! languages that we have; English is built in and the others are fetched from
//! `locales/` beside the app when wanted, so each person downloads only their own.

use super::browser;
use super::host::Host;
use super::loader;
use crate::lang::{Lang, Messages};
use leptos::prelude::*;
use std::sync::Arc;

/// The messages in use (a cheap `Copy` handle).
#[derive(Clone, Copy)]
pub struct Words {
    messages: RwSignal<Arc<Messages>>,
    /// Set when the person picks a language: keyboard focus goes back to the picker
    /// once the finder has been built again in it.
    pub refocus: StoredValue<bool>,
}

impl Words {
    /// Starts in English.
    pub fn new() -> Words {
        Words {
            messages: RwSignal::new(english()),
            refocus: StoredValue::new(false),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.messages.with(|m| m.get(key).to_string())
    }

    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.messages.with(|m| m.fill(key, args))
    }

    pub fn count(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        self.messages.with(|m| m.count(key, n as u64, args))
    }

    /// The messages themselves, shared (tracked).
    pub fn current(&self) -> Arc<Messages> {
        self.messages.get()
    }

    /// The same, not tracked (in event handlers, tasks, and views built again in a
    /// new language).
    pub fn now(&self) -> Arc<Messages> {
        self.messages.get_untracked()
    }

    pub fn lang(&self) -> Lang {
        self.messages.with(|m| m.lang())
    }

    /// "ltr" or "rtl", for `dir` attributes.
    pub fn dir(&self) -> &'static str {
        match self.lang().right_to_left() {
            true => "rtl",
            false => "ltr",
        }
    }
}

/// The app's words, from the context.
pub fn words() -> Words {
    expect_context()
}

/// The built-in English, shared (not copied for each app or widget, nor at each switch).
fn english() -> Arc<Messages> {
    static EN: std::sync::OnceLock<Arc<Messages>> = std::sync::OnceLock::new();
    EN.get_or_init(|| Arc::new(Messages::english().clone()))
        .clone()
}

/// A message's text by key, from `m`: for views built once per language, which read
/// their words untracked.
pub fn lookup(m: &Arc<Messages>) -> impl Fn(&str) -> String + Clone + 'static {
    let m = m.clone();
    move |key| m.get(key).to_string()
}

/// Text that reads left to right whatever the language around it (a phone number, an
/// address): isolated, so right-to-left text does not reorder its groups.
pub fn ltr(text: &str) -> String {
    format!("\u{2066}{text}\u{2069}")
}

/// The language to show: the one chosen (link, attribute or switcher), else the
/// browser's first that we have.
pub fn wanted(chosen: Option<Lang>) -> Lang {
    chosen.unwrap_or_else(|| Lang::from_browser(&browser::languages()))
}

/// The words of `lang`: English at once, another language once its file has arrived;
/// `None` (and a line in the console) when the file cannot be fetched or read.
pub async fn load(lang: Lang, host: Host) -> Option<Arc<Messages>> {
    if lang == Lang::En {
        return Some(english());
    }
    let url = host.beside_app(&format!("locales/{}.txt", lang.code()));
    match loader::fetch_text(&url).await {
        Ok(text) => match Messages::parse(lang, &text) {
            Ok(m) => Some(Arc::new(m)),
            Err(e) => {
                leptos::logging::warn!("{url}: {e}");
                None
            }
        },
        Err(e) => {
            leptos::logging::warn!("{url} could not be fetched ({e})");
            None
        }
    }
}

impl Words {
    /// Use these words (the finder is built again in them).
    pub fn set(&self, m: Arc<Messages>) {
        let _ = self.messages.try_set(m);
    }
}
