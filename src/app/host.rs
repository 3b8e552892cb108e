//! Where the app lives: its own page (settings from the link, which it keeps up to
//! date) or a widget inside a partner's page (settings from the element's attributes,
//! the partner's link left alone). Lookups go through the app's own root element,
//! so two widgets on one page, each in its own shadow root, never see each other.

use super::browser::{self, OrLog};
use crate::url_state::{full_app_query, Query};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A cheap handle (`Copy`) to where the app lives.
#[derive(Clone, Copy)]
pub struct Host {
    about: StoredValue<About>,
    root: StoredValue<Option<web_sys::Element>, LocalStorage>,
}

struct About {
    /// The settings the app started with.
    initial: Query,
    /// True on the app's own page: the link carries the state.
    owns_url: bool,
    /// The full app's page, for links that open it (`…/index.html`).
    app_page: String,
}

impl Host {
    pub fn page() -> Host {
        let loc = window().location();
        let app_page = format!(
            "{}{}",
            loc.origin().unwrap_or_default(),
            loc.pathname().unwrap_or_default()
        );
        Host {
            about: StoredValue::new(About {
                initial: browser::current_query(),
                owns_url: true,
                app_page,
            }),
            root: StoredValue::new_local(document().body().map(|b| b.unchecked_into())),
        }
    }

    pub fn widget(root: web_sys::Element, settings: Query, app_page: String) -> Host {
        Host {
            about: StoredValue::new(About {
                initial: settings,
                owns_url: false,
                app_page,
            }),
            root: StoredValue::new_local(Some(root)),
        }
    }

    pub fn initial(&self) -> Query {
        self.about.with_value(|a| a.initial.clone())
    }

    pub fn owns_url(&self) -> bool {
        self.about.with_value(|a| a.owns_url)
    }

    /// The widget's own root element (none on the app's own page).
    pub fn root(&self) -> Option<web_sys::Element> {
        if self.owns_url() {
            return None;
        }
        self.root.get_value()
    }

    /// A file that ships beside the app (like the sample feed), as a URL that works
    /// from the partner's page too.
    pub fn beside_app(&self, file: &str) -> String {
        self.about
            .with_value(|a| match a.app_page.rsplit_once('/') {
                Some((dir, _)) if !a.owns_url => format!("{dir}/{file}"),
                _ => file.to_string(),
            })
    }

    /// A link to the full app with these settings (an iframe's own keys left out, so
    /// the link opens the full app, not the compact view).
    pub fn link(&self, q: &Query) -> String {
        let q = full_app_query(q);
        self.about
            .with_value(|a| format!("{}{}", a.app_page, q.to_query_string()))
    }

    /// An element of this app by id.
    pub fn find(&self, id: &str) -> Option<web_sys::HtmlElement> {
        self.root
            .with_value(|r| {
                r.as_ref()
                    .and_then(|r| r.query_selector(&format!("#{id}")).ok().flatten())
            })
            .and_then(|e| e.dyn_into().ok())
    }

    pub fn focus(&self, id: &str) {
        if let Some(e) = self.find(id) {
            e.focus().or_log("moving focus");
        }
    }

    pub fn scroll_to(&self, id: &str) {
        if let Some(e) = self.find(id) {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
            e.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    }

    /// Height of the phone sheet over the map (0 when it is a side panel).
    pub fn sheet_height(&self) -> f64 {
        let panel = self
            .root
            .with_value(|r| {
                r.as_ref()
                    .and_then(|r| r.query_selector(".am-panel").ok().flatten())
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        panel.map_or(0.0, |p| sheet_over_map(&p))
    }
}

/// The height of `panel` over the map when it is the phone's sheet; 0 when it is a side
/// panel (narrower than what holds it), which covers none of the map. (Also for the
/// page's first view, before there is a `Host`.)
pub fn sheet_over_map(panel: &web_sys::HtmlElement) -> f64 {
    let width = panel.parent_element().map_or(0, |p| p.client_width());
    if panel.offset_width() < width - 8 {
        0.0
    } else {
        panel.offset_height() as f64
    }
}
