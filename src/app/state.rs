//! The finder's shared state: signals for what the person chose, memos for what
//! follows from it, and the two-way binding with the page's link.

use super::browser;
use crate::catalog::{Catalog, Preview};
use crate::filter::{Filters, Radius, Today};
use crate::geo::Bounds;
use crate::lang::Lang;
use crate::model::LatLng;
use crate::url_state::{FinderState, MapView, Place, Query, RadiusChoice};
use leptos::prelude::*;
use std::sync::Arc;

/// Where distances are measured from.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub at: LatLng,
    pub label: String,
    /// The device's own position: shown, never written into a link.
    pub device: bool,
}

/// What the person chose, and the feed it applies to. What follows from it (the
/// results, the list, the counts) is in [`super::answers`].
#[derive(Clone, Copy)]
pub struct Finder {
    pub catalog: RwSignal<Option<Arc<Catalog>>>,
    /// The pins read so far while the feed still arrives (empty once it is read).
    pub preview: RwSignal<Preview>,
    pub filters: RwSignal<Filters>,
    pub origin: RwSignal<Option<Origin>>,
    /// The distance limit as the person typed it, in the unit `miles` says; `None`:
    /// any distance.
    pub distance: RwSignal<Option<f64>>,
    /// The unit distances are shown and chosen in (stored once: `radius` follows it).
    pub miles: RwSignal<bool>,
    /// `distance` in `miles`' unit, as one choice.
    pub radius: Memo<Option<RadiusChoice>>,
    pub in_view_only: RwSignal<bool>,
    /// What the map shows now (set by the map).
    pub view_bounds: RwSignal<Option<Bounds>>,
    /// The map's zoom (set by the map with `view_bounds`).
    pub view_zoom: RwSignal<f64>,
    /// For a tiled feed (pack): what the map draws from its index, and what could not
    /// be fetched (`pack_reader`); `None` for a feed of one document.
    pub pack: RwSignal<Option<super::pack_reader::PackShown>>,
    pub map_view: RwSignal<Option<MapView>>,
    pub selected: RwSignal<Option<usize>>,
    pub shortlist: RwSignal<Vec<String>>,
    pub show_shortlist: RwSignal<bool>,
    /// The shortlist's QR code has been asked for (shown, or the list printed): from
    /// then on the printed page carries it (its part is here by then).
    pub qr_wanted: RwSignal<bool>,
    pub today: StoredValue<Today>,
    pub settings: StoredValue<FinderState>,
    /// A language chosen (by the link, the widget's attribute or the switcher): it goes
    /// in the link. None: the browser's (see `words::wanted`), which does not.
    pub lang: RwSignal<Option<Lang>>,
}

/// The filters with the distance limit around the origin, when there are both.
pub fn with_radius(f: Filters, origin: Option<Origin>, radius: Option<RadiusChoice>) -> Filters {
    with_radius_at(f, origin.map(|o| o.at), radius)
}

/// As [`with_radius`], from where distances are measured.
pub fn with_radius_at(mut f: Filters, at: Option<LatLng>, radius: Option<RadiusChoice>) -> Filters {
    f.radius = match (at, radius) {
        (Some(centre), Some(r)) => Some(Radius { centre, km: r.km() }),
        _ => None,
    };
    f
}

/// What the person has on screen that is not in the link, kept when the finder is built
/// again in another language (see App): "More filters" open, a half-typed postcode or town.
#[derive(Clone, Copy)]
pub struct OnScreen {
    pub filters_open: RwSignal<bool>,
    pub place_typed: RwSignal<String>,
}

impl OnScreen {
    pub fn new() -> OnScreen {
        OnScreen {
            filters_open: RwSignal::new(false),
            place_typed: RwSignal::new(String::new()),
        }
    }
}

pub const SHORTLIST_KEY: &str = "activity-map:shortlist";

impl Finder {
    pub fn new(initial: FinderState) -> Finder {
        let stored: Vec<String> = browser::load(SHORTLIST_KEY)
            .map(|s| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let shortlist = if initial.shortlist.is_empty() {
            stored
        } else {
            initial.shortlist.clone()
        };
        let distance = RwSignal::new(initial.radius.map(|r| r.value));
        let miles = RwSignal::new(initial.radius.map(|r| r.miles).unwrap_or(true));
        let radius = Memo::new(move |_| {
            distance.get().map(|value| RadiusChoice {
                value,
                miles: miles.get(),
            })
        });
        Finder {
            catalog: RwSignal::new(None),
            preview: RwSignal::new(Preview::default()),
            filters: RwSignal::new(initial.filters.clone()),
            origin: RwSignal::new(initial.place.as_ref().map(|p| Origin {
                at: p.at,
                label: p.label.clone(),
                device: false,
            })),
            distance,
            miles,
            radius,
            in_view_only: RwSignal::new(initial.in_view_only),
            view_bounds: RwSignal::new(None),
            view_zoom: RwSignal::new(0.0),
            pack: RwSignal::new(None),
            map_view: RwSignal::new(initial.view),
            selected: RwSignal::new(None),
            shortlist: RwSignal::new(shortlist),
            show_shortlist: RwSignal::new(false),
            qr_wanted: RwSignal::new(false),
            today: StoredValue::new(browser::today()),
            lang: RwSignal::new(initial.lang),
            settings: StoredValue::new(initial),
        }
    }

    /// The filters as they apply now, distance included (tracked).
    pub fn effective_filters(&self) -> Filters {
        with_radius(self.filters.get(), self.origin.get(), self.radius.get())
    }

    /// The filters as they apply now, distance included (read without tracking).
    pub fn filters_now(&self) -> Filters {
        untrack(|| self.effective_filters())
    }

    /// The state as a link would carry it.
    pub fn snapshot(&self) -> FinderState {
        let mut s = self.settings.get_value();
        s.filters = self.filters.get();
        s.filters.radius = None;
        s.selected = self.selected.get().and_then(|i| {
            self.catalog
                .with(|c| c.as_ref().and_then(|c| c.get(i)).map(|a| a.id.clone()))
        });
        // A map centred on the device would say where the person is: leave it out then.
        let device = self.origin.with(|o| o.as_ref().is_some_and(|o| o.device));
        s.view = if device { None } else { self.map_view.get() };
        s.shortlist = self.shortlist.get();
        s.radius = self.radius.get();
        // Only a place the person typed goes in a link; their own position never does.
        s.place = self.origin.get().filter(|o| !o.device).map(|o| Place {
            label: o.label,
            at: o.at,
        });
        s.in_view_only = self.in_view_only.get();
        s.lang = self.lang.get();
        s
    }

    /// Take on the state a link describes (on back/forward).
    pub fn apply_state(&self, s: FinderState) {
        self.filters.set(s.filters.clone());
        self.distance.set(s.radius.map(|r| r.value));
        if let Some(r) = s.radius {
            self.miles.set(r.miles);
        }
        match (&s.place, self.origin.get_untracked()) {
            (Some(p), _) => self.origin.set(Some(Origin {
                at: p.at,
                label: p.label.clone(),
                device: false,
            })),
            // Keep the device position: it was never in the link.
            (None, Some(o)) if o.device => {}
            (None, _) => self.origin.set(None),
        }
        self.in_view_only.set(s.in_view_only);
        self.lang.set(s.lang);
        self.shortlist.set(s.shortlist.clone());
        let sel = s.selected.as_deref().and_then(|id| {
            self.catalog
                .with_untracked(|c| c.as_ref().and_then(|c| c.index_of(id)))
        });
        self.selected.set(sel);
        if s.view.is_some() {
            self.map_view.set(s.view);
        }
    }

    /// Measure distances from `origin`, within the usual 3 (miles or km) unless the
    /// person already chose a distance.
    pub fn go_near(&self, origin: Origin) {
        self.origin.set(Some(origin));
        if self.distance.get_untracked().is_none() {
            self.distance.set(Some(3.0));
        }
    }

    /// The feed's own name, once it is loaded (tracked).
    pub fn feed_name(&self) -> Option<String> {
        self.catalog
            .with(|c| c.as_ref().map(|c| c.loaded.feed.feed.name.clone()))
    }

    pub fn toggle_shortlist(&self, id: &str) {
        self.shortlist
            .update(|l| match l.iter().position(|x| x == id) {
                Some(i) => {
                    l.remove(i);
                }
                None => l.push(id.to_string()),
            });
    }

    pub fn clear_filters(&self) {
        self.filters.set(Filters::default());
        self.distance.set(None);
    }

    /// Number of choices in force, for the "Filters (3)" button.
    pub fn active_filter_count(&self) -> usize {
        let f = self.filters.get();
        f.categories.len()
            + f.tags.len()
            + f.days.len()
            + f.parts.len()
            + f.access.len()
            + usize::from(f.today)
            + usize::from(f.free)
            + usize::from(f.self_referral)
    }
}

/// Keep the link and the state in step: every change writes the link (a new history
/// entry, except while typing a search or moving the map), and back/forward reads it.
pub fn bind_to_link(finder: Finder, may_push: bool) {
    let last_keys = StoredValue::new(Vec::<String>::new());
    // The first write waits for the feed's first paint: a page's first `replaceState`
    // is slow on a phone, and the link then only gains the map's opening view. Every
    // later change is written in the next task (not in the one that made it, which may
    // already be long, as a zoom's is), so a reload straight after it keeps it. Changes
    // in between are written together. Timings: BENCHMARKS.md, notes: "The link".
    let opened = StoredValue::new(false);
    let pending: StoredValue<Option<FinderState>> = StoredValue::new(None);
    let write = move |state: FinderState| {
        let current = browser::current_query();
        let next = state.to_query(&current);
        if next == current {
            return;
        }
        let keys = changed_keys(&current, &next);
        let quiet =
            keys.iter().all(|k| k == "map") || (keys == ["q"] && last_keys.get_value() == ["q"]);
        browser::set_query(&next, may_push && !quiet);
        if !keys.iter().all(|k| k == "map") {
            last_keys.set_value(keys);
        }
    };
    Effect::new(move |_| {
        let state = finder.snapshot();
        if finder.catalog.with(Option::is_none) {
            return;
        }
        if opened.get_value() {
            let scheduled = pending.with_value(Option::is_some);
            pending.set_value(Some(state));
            if !scheduled {
                leptos::task::spawn_local(async move {
                    browser::yield_now().await;
                    if let Some(state) = pending.try_update_value(Option::take).flatten() {
                        write(state);
                    }
                });
            }
            return;
        }
        leptos::task::spawn_local(async move {
            browser::after_paint().await;
            if opened.try_get_value() == Some(false) {
                opened.set_value(true);
                write(untrack(move || finder.snapshot()));
            }
        });
    });
    browser::on_popstate(move || {
        let state = FinderState::from_query(&browser::current_query());
        finder.apply_state(state);
    });
    keep_shortlist(finder);
}

/// The shortlist survives a reload (kept in this browser only).
pub fn keep_shortlist(finder: Finder) {
    Effect::new(move |_| {
        let list = finder.shortlist.get();
        browser::save(SHORTLIST_KEY, &list.join(","));
    });
}

/// A link to the full app showing what this finder shows now.
pub fn share_link(finder: Finder, extra: &[(&str, Option<&str>)]) -> String {
    let host = expect_context::<super::host::Host>();
    let mut q = finder.snapshot().to_query(&host.initial());
    for (k, v) in extra {
        q.set(k, *v);
    }
    host.link(&q)
}

fn changed_keys(a: &Query, b: &Query) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for (k, _) in a.0.iter().chain(b.0.iter()) {
        if a.get(k) != b.get(k) && !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    keys
}
