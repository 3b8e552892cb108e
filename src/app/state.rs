//! The finder's shared state: signals for what the person chose, memos for what
//! follows from it, and the two-way binding with the page's link.

use super::browser;
use super::latest::Latest;
use crate::catalog::{Catalog, Found, Preview};
use crate::filter::{Facets, Filters, Radius, Today};
use crate::geo::Bounds;
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

#[derive(Clone, Copy)]
pub struct Finder {
    pub catalog: RwSignal<Option<Arc<Catalog>>>,
    /// The pins read so far while the feed still arrives (empty once it is read).
    pub preview: RwSignal<Preview>,
    pub filters: RwSignal<Filters>,
    pub origin: RwSignal<Option<Origin>>,
    /// `None`: any distance.
    pub radius: RwSignal<Option<RadiusChoice>>,
    pub miles: RwSignal<bool>,
    pub in_view_only: RwSignal<bool>,
    /// What the map shows now (set by the map).
    pub view_bounds: RwSignal<Option<Bounds>>,
    pub map_view: RwSignal<Option<MapView>>,
    pub selected: RwSignal<Option<usize>>,
    pub shortlist: RwSignal<Vec<String>>,
    pub show_shortlist: RwSignal<bool>,
    /// Matching activities, nearest first when there is an origin.
    pub results: Memo<Vec<usize>>,
    /// Whether `results` answers the current catalog yet (a large feed's first answer
    /// takes a moment).
    pub answered: Memo<bool>,
    /// `results`, limited to the map view when the person asks for that. Follows
    /// `results` one painted frame later, as `facets` does: the map's pins repaint
    /// first, then the list and the counts, so no single moment blocks for long.
    pub listed: Memo<Vec<usize>>,
    pub facets: RwSignal<Facets>,
    pub today: StoredValue<Today>,
    pub settings: StoredValue<FinderState>,
}

/// The filters with the distance limit around the origin, when there are both.
fn with_radius(mut f: Filters, origin: Option<Origin>, radius: Option<RadiusChoice>) -> Filters {
    f.radius = match (origin, radius) {
        (Some(o), Some(r)) => Some(Radius {
            centre: o.at,
            km: r.km(),
        }),
        _ => None,
    };
    f
}

/// Feeds of this many activities or more are searched and filtered a slice at a time.
pub const SLICED_FROM: usize = 20_000;

/// Whether `c` is answered a slice at a time (see [`SLICED_FROM`]).
fn sliced_for(c: &Catalog) -> bool {
    c.activities().len() >= SLICED_FROM
}
/// Activities looked at between looks at the clock.
const FIND_STEP: usize = 1024;

pub const SHORTLIST_KEY: &str = "activity-map:shortlist";

impl Finder {
    pub fn new(initial: FinderState) -> Finder {
        let catalog: RwSignal<Option<Arc<Catalog>>> = RwSignal::new(None);
        let filters = RwSignal::new(initial.filters.clone());
        let origin = RwSignal::new(initial.place.as_ref().map(|p| Origin {
            at: p.at,
            label: p.label.clone(),
            device: false,
        }));
        let radius = RwSignal::new(initial.radius);
        let miles = RwSignal::new(initial.radius.map(|r| r.miles).unwrap_or(true));
        let in_view_only = RwSignal::new(initial.in_view_only);
        let view_bounds: RwSignal<Option<Bounds>> = RwSignal::new(None);
        let map_view = RwSignal::new(initial.view);
        let selected = RwSignal::new(None);
        let stored: Vec<String> = browser::load(SHORTLIST_KEY)
            .map(|s| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let shortlist = RwSignal::new(if initial.shortlist.is_empty() {
            stored
        } else {
            initial.shortlist.clone()
        });
        let show_shortlist = RwSignal::new(false);
        let today = StoredValue::new(browser::today());

        let effective = move || with_radius(filters.get(), origin.get(), radius.get());
        // One pass gives the results and every live count together. A large feed is
        // answered a slice at a time (the page stays free meanwhile): until the answer
        // is in, the last one stays on show; a newer change drops an older one under way.
        let sliced: RwSignal<Option<(Arc<Catalog>, Arc<Found>)>> = RwSignal::new(None);
        let found = Memo::new(move |_| {
            catalog.with(|c| match c {
                None => Arc::default(),
                Some(c) if !sliced_for(c) => {
                    let f = effective();
                    let o = origin.get().map(|o| o.at);
                    Arc::new(c.find(&f, &today.get_value(), o))
                }
                Some(c) => sliced.with(|s| match s {
                    Some((for_cat, found)) if Arc::ptr_eq(for_cat, c) => found.clone(),
                    _ => Arc::default(),
                }),
            })
        });
        let answered = Memo::new(move |_| {
            catalog.with(|c| match c {
                None => false,
                Some(c) if !sliced_for(c) => true,
                Some(c) => sliced.with(|s| s.as_ref().is_some_and(|(f, _)| Arc::ptr_eq(f, c))),
            })
        });
        let asked = Latest::new();
        Effect::new(move |_| {
            let Some(cat) = catalog.get().filter(|c| sliced_for(c)) else {
                return;
            };
            let f = effective();
            let o = origin.get().map(|o| o.at);
            let ticket = asked.start();
            leptos::task::spawn_local(async move {
                // Not in the task that asked: that one has its own work.
                browser::yield_now().await;
                let mut finding = cat.finding(&f, &today.get_value(), o);
                let mut slices = browser::Slices::new();
                while !finding.step(FIND_STEP) {
                    slices.pace().await;
                    if !ticket.current() {
                        return;
                    }
                }
                let found = Arc::new(finding.done());
                // What follows from the answer (the pins' places, the list) gets a task of its own.
                browser::yield_now().await;
                if ticket.current() {
                    sliced.set(Some((cat, found)));
                }
            });
        });
        let results = Memo::new(move |_| found.with(|f| f.results.clone()));
        let results_later = RwSignal::new(Vec::new());
        let facets = RwSignal::new(Facets::default());
        let publishing = Latest::new();
        Effect::new(move |_| {
            let found = found.get();
            let ticket = publishing.start();
            leptos::task::spawn_local(async move {
                browser::after_paint().await;
                // A newer change has already scheduled its own update.
                if !ticket.current() {
                    return;
                }
                results_later.set(found.results.clone());
                // The counts in a task of their own.
                browser::yield_now().await;
                if !ticket.current() {
                    return;
                }
                facets.set(found.facets.clone());
                // The list and the counts are drawn now (for the benchmark).
                browser::yield_now().await;
                browser::perf_mark("am-listed");
            });
        });
        let listed = Memo::new(move |_| {
            let all = results_later.get();
            if !in_view_only.get() {
                return all;
            }
            let Some(b) = view_bounds.get() else {
                return all;
            };
            catalog.with(|c| match c {
                Some(c) => all
                    .into_iter()
                    .filter(|&i| {
                        c.get(i)
                            .and_then(|a| a.point())
                            .is_some_and(|p| b.contains(p))
                    })
                    .collect(),
                None => all,
            })
        });
        Finder {
            catalog,
            preview: RwSignal::new(Preview::default()),
            filters,
            origin,
            radius,
            miles,
            in_view_only,
            view_bounds,
            map_view,
            selected,
            shortlist,
            show_shortlist,
            results,
            answered,
            listed,
            facets,
            today,
            settings: StoredValue::new(initial),
        }
    }

    /// The filters as they apply now, distance included (read without tracking).
    pub fn filters_now(&self) -> Filters {
        with_radius(
            self.filters.get_untracked(),
            self.origin.get_untracked(),
            self.radius.get_untracked(),
        )
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
        s.radius = self.radius.get().map(|r| RadiusChoice {
            value: r.value,
            miles: self.miles.get(),
        });
        // Only a place the person typed goes in a link; their own position never does.
        s.place = self.origin.get().filter(|o| !o.device).map(|o| Place {
            label: o.label,
            at: o.at,
        });
        s.in_view_only = self.in_view_only.get();
        s
    }

    /// Take on the state a link describes (on back/forward).
    pub fn apply_state(&self, s: FinderState) {
        self.filters.set(s.filters.clone());
        self.radius.set(s.radius);
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
        self.radius.set(None);
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
    // took 10-30 ms (throttled), and the link then only gains the map's opening view.
    // Every later change is written in the next task (not in the one that made it: a
    // write took 10-40 ms throttled, and with a zoom's own work came to over 50 ms), so
    // a reload straight after it keeps it. Changes in between are written together.
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
