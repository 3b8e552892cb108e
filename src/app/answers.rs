//! What follows from the person's choices: the matching activities (what the map
//! shows at once) and, a painted frame later, the list and the live counts.
//!
//! A large feed is answered a slice at a time so the page stays free meanwhile: until
//! the answer is in, the last one stays on show, and a newer change drops an older
//! one under way.

use super::browser;
use super::latest::Latest;
use super::state::Finder;
use crate::catalog::{Catalog, Found};
use crate::filter::Facets;
use leptos::prelude::*;
use std::sync::Arc;

/// Feeds of this many activities or more are searched and filtered a slice at a time:
/// one pass over about 5,000 fits in one slice on a slow phone, and answering 10,000
/// at once made every filter click and keystroke a long task there (BENCHMARKS.md,
/// notes of 2026-12-02 afternoon).
pub const SLICED_FROM: usize = 5_000;

/// Activities looked at between looks at the clock.
const FIND_STEP: usize = 1024;

/// The answer to the filters as they are now: what the map draws.
#[derive(Clone, Copy)]
pub struct Answer {
    /// Matching activities, nearest first when there is an origin.
    pub results: Memo<Vec<usize>>,
    /// Whether `results` answers the current catalog yet (a large feed's first answer
    /// takes a moment).
    pub answered: Memo<bool>,
}

/// The answer as the list and the filter panel show it, published a painted frame
/// after [`Answer`]: the map's pins repaint first, then the list and the counts, so
/// no single moment blocks for long.
#[derive(Clone, Copy)]
pub struct Published {
    /// The results, limited to the map view when the person asks for that.
    pub listed: Memo<Vec<usize>>,
    /// How many results each filter choice would give.
    pub facets: RwSignal<Facets>,
}

/// Whether `c` is answered a slice at a time (see [`SLICED_FROM`]).
fn sliced_for(c: &Catalog) -> bool {
    c.activities().len() >= SLICED_FROM
}

/// Work out the answers to `finder`'s choices, for as long as the calling component lives.
pub fn answer(finder: Finder) -> (Answer, Published) {
    let catalog = finder.catalog;
    // A large feed's answer, once worked out, for the catalog it answers.
    let sliced: RwSignal<Option<(Arc<Catalog>, Arc<Found>)>> = RwSignal::new(None);
    // One pass gives the results and every live count together.
    let found = Memo::new(move |_| {
        catalog.with(|c| match c {
            None => Arc::default(),
            Some(c) if !sliced_for(c) => {
                let o = finder.origin.get().map(|o| o.at);
                Arc::new(c.find(&finder.effective_filters(), &finder.today.get_value(), o))
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
    find_in_slices(finder, sliced);
    let answer = Answer {
        results: Memo::new(move |_| found.with(|f| f.results.clone())),
        answered,
    };
    (answer, publish(finder, found))
}

/// Answer a large feed a slice at a time, into `sliced`.
fn find_in_slices(finder: Finder, sliced: RwSignal<Option<(Arc<Catalog>, Arc<Found>)>>) {
    let asked = Latest::new();
    Effect::new(move |_| {
        let Some(cat) = finder.catalog.get().filter(|c| sliced_for(c)) else {
            return;
        };
        let f = finder.effective_filters();
        let o = finder.origin.get().map(|o| o.at);
        let ticket = asked.start();
        leptos::task::spawn_local(async move {
            // Not in the task that asked: that one has its own work.
            browser::yield_now().await;
            let Some(today) = finder.today.try_get_value() else {
                return;
            };
            let mut finding = cat.finding(&f, &today, o);
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
}

/// Publish `found` to the list and the counts a painted frame later, each in a task
/// of its own.
fn publish(finder: Finder, found: Memo<Arc<Found>>) -> Published {
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
        if !finder.in_view_only.get() {
            return all;
        }
        let Some(b) = finder.view_bounds.get() else {
            return all;
        };
        finder.catalog.with(|c| match c {
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
    Published { listed, facets }
}
