//! "Newest request wins": work that runs over several tasks (a sliced search, a
//! redraw, rows added a frame at a time) asks for a [`Ticket`] when it starts and
//! checks it between steps; a newer request makes every older ticket stale, so the
//! older work stops at its next check instead of overwriting the newer answer.
//!
//! ```ignore
//! let latest = Latest::new();
//! Effect::new(move |_| {
//!     let ticket = latest.start();
//!     spawn_local(async move {
//!         yield_now().await;
//!         if ticket.current() { /* still wanted: show it */ }
//!     });
//! });
//! ```

use leptos::prelude::*;

/// Hands out tickets; only the newest is current.
#[derive(Clone, Copy)]
pub struct Latest(StoredValue<u32>);

/// One request's claim. Stale once a newer one starts, or once the owner is disposed.
#[derive(Clone, Copy)]
pub struct Ticket {
    of: StoredValue<u32>,
    n: u32,
}

impl Latest {
    pub fn new() -> Latest {
        Latest(StoredValue::new(0))
    }

    /// Start a new request: every earlier ticket is stale from now on.
    pub fn start(&self) -> Ticket {
        self.0.update_value(|n| *n = n.wrapping_add(1));
        Ticket {
            of: self.0,
            n: self.0.get_value(),
        }
    }
}

impl Default for Latest {
    fn default() -> Self {
        Latest::new()
    }
}

impl Ticket {
    /// Whether no newer request has started (and the component is still mounted).
    pub fn current(&self) -> bool {
        self.of.try_get_value() == Some(self.n)
    }
}
