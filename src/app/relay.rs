//! Long-lived state read by short-lived views, without memory piling up.
//!
//! Leptos 0.8 (reactive_graph 0.2) keeps in every signal an entry for each reactive
//! closure that ever read it, and in every owner an entry for each child owner it ever
//! had, until the signal or owner itself goes: a dropped closure's entry stays, and
//! so does a little of its memory. List rows that read the finder's signals directly
//! therefore left about 250 bytes behind every time the list was redrawn (found by the
//! soak test, `tests/soak/soak.mjs`). So a view that comes and goes reads a *copy*
//! instead: a signal owned by the view's own scope, kept up to date by one effect
//! that lives as long as the state, so every entry pointing at the view goes with it.
//!
//! ```ignore
//! let selected = Relay::new(move || finder.selected.get()); // in a long-lived component
//! // ...in a scope that is dropped and made again:
//! let selected = selected.copy();
//! ```

use super::state::{Finder, Origin};
use crate::geo::{distance_km, format_distance, walk_in_words};
use crate::lang::Messages;
use crate::model::LatLng;
use leptos::prelude::*;
use std::sync::Arc;

/// Hands out copies of a long-lived value and keeps them current.
pub struct Relay<T: Send + Sync + 'static> {
    /// Reads the value now, for new copies: the source itself, so a copy made just
    /// after a change starts from the new value, whichever effect runs first.
    read: StoredValue<Arc<dyn Fn() -> T + Send + Sync>>,
    /// Every copy still alive (dropped ones are pruned as new ones are made and on
    /// every change).
    copies: StoredValue<Vec<RwSignal<T>>>,
}

impl<T: Send + Sync + 'static> Clone for Relay<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Relay<T> {}

impl<T: Clone + Send + Sync + 'static> Relay<T> {
    /// Follow `read` for as long as the calling owner lives: call it in a component
    /// that outlives the views using the copies.
    pub fn new(read: impl Fn() -> T + Send + Sync + 'static) -> Self {
        let read: Arc<dyn Fn() -> T + Send + Sync> = Arc::new(read);
        let copies = StoredValue::new(Vec::<RwSignal<T>>::new());
        let follow = read.clone();
        Effect::new(move |_| {
            let value = follow();
            // `try_set` gives the value back when the copy has been dropped.
            copies.update_value(|cs| cs.retain(|c| c.try_set(value.clone()).is_none()));
        });
        Relay {
            read: StoredValue::new(read),
            copies,
        }
    }

    /// A copy owned by the current owner, dropped with it.
    pub fn copy(&self) -> ReadSignal<T> {
        let now = self.read.with_value(|read| untrack(|| read()));
        let copy = RwSignal::new(now);
        self.copies.update_value(|cs| {
            cs.retain(|c| !c.is_disposed());
            cs.push(copy);
        });
        copy.read_only()
    }
}

/// The finder's state that views which come and go read: relayed once, for the
/// app's lifetime (a context).
#[derive(Clone, Copy)]
pub struct Relays {
    selected: Relay<Option<usize>>,
    shortlist: Relay<Vec<String>>,
    origin: Relay<Option<Origin>>,
    miles: Relay<bool>,
}

impl Relays {
    pub fn new(finder: Finder) -> Relays {
        Relays {
            selected: Relay::new(move || finder.selected.get()),
            shortlist: Relay::new(move || finder.shortlist.get()),
            origin: Relay::new(move || finder.origin.get()),
            miles: Relay::new(move || finder.miles.get()),
        }
    }

    /// Copies for a view made now, dropped with the current owner.
    pub fn around(&self) -> Around {
        Around {
            selected: self.selected.copy(),
            shortlist: self.shortlist.copy(),
            origin: self.origin.copy(),
            miles: self.miles.copy(),
        }
    }
}

/// What a short-lived view (a list row, the details) shows from outside its
/// activity, read from copies (tracked).
#[derive(Clone, Copy)]
pub struct Around {
    selected: ReadSignal<Option<usize>>,
    shortlist: ReadSignal<Vec<String>>,
    pub origin: ReadSignal<Option<Origin>>,
    miles: ReadSignal<bool>,
}

impl Around {
    pub fn is_selected(&self, index: usize) -> bool {
        self.selected.get() == Some(index)
    }

    pub fn is_starred(&self, id: &str) -> bool {
        self.shortlist.with(|l| l.iter().any(|x| x == id))
    }

    /// How far `p` is from the origin, in the person's unit ("1.2 km"), and a rough
    /// walking time when it is walkable ("about 15 min walk"); `None` without an origin
    /// or a point.
    pub fn distance_to(&self, p: Option<LatLng>, m: &Messages) -> Option<(String, Option<String>)> {
        let km = self
            .origin
            .with(|o| Some(distance_km(o.as_ref()?.at, p?)))?;
        Some((
            format_distance(km, self.miles.get(), m),
            walk_in_words(km, m),
        ))
    }
}
