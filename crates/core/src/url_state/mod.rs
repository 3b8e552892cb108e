//! The page's state as a query string, so a link reproduces what its sender saw.
//!
//! Pure: reading and writing `?feed=…&sel=…` happens here; the app only hands over
//! `location.search` and pushes the string this module writes.
//!
//! [`FinderState`] is everything the finder shows, as a link carries it:
//!
//! | key | meaning | example |
//! | --- | --- | --- |
//! | `feed` | feed URL | `feed=https://example.org/f.json` |
//! | `tiles` | tile template | `tiles=http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png` |
//! | `cat` | categories (any of) | `cat=green,parkrun` |
//! | `tag` | tags (any of) | `tag=walking,green%20gym` |
//! | `day` | days (any of) | `day=sat,sun` |
//! | `part` | parts of the day (any of) | `part=morning,evening` |
//! | `today` | on today | `today=1` |
//! | `free` | free only | `free=1` |
//! | `access` | accessibility features (all of) | `access=wheelchair,step-free` |
//! | `self` | no referral needed | `self=1` |
//! | `q` | search words | `q=tea%20and%20cake` |
//! | `r` | distance, with unit (miles if none) | `r=3mi`, `r=5km` |
//! | `at`, `place` | a place the person searched for | `at=52.62806,1.29731&place=Norwich` |
//! | `inview` | list only what the map shows | `inview=1` |
//! | `list` | shortlist, in order | `list=green-1,hub-4` |
//! | `sel` | the selected activity | `sel=green-1` |
//! | `map` | map centre and zoom | `map=52.6,1.3,12` |
//!
//! Lists are comma-separated. An element that itself holds a comma (or a `%`) is
//! percent-encoded inside the list (`,` → `%2C`, `%` → `%25`) before the whole value is
//! encoded again for the URL, so `tag=a%252Cb` is the one tag `a,b`.
//!
//! The device's own position is never part of this state: `place` is only ever a place
//! the person typed (postcode or town). The app enforces that when it builds the state.
//!
//! Besides that state, a link carries settings read once at start ([`SETTING_KEYS`]:
//! `geocoder`, `category`, `rules`, see [`feed_options`]) and, inside a partner's iframe,
//! [`EMBED_KEYS`] (`embed`, `origin`). A widget's attributes are the same keys plus a
//! few friendlier names ([`query_from_attributes`]).
//!
//! The parts: `query.rs` (the [`Query`] type and percent-encoding), `values.rs` (how each
//! kind of value is written), `state.rs` ([`FinderState`]), `settings.rs`, `embed.rs`
//! (widget attributes and the builder's snippets) and `keys.rs` (every key, listed once).

mod embed;
mod keys;
mod query;
mod settings;
mod state;
mod values;

pub use embed::{query_from_attributes, EmbedChoice};
pub use keys::{app_keys, ATTRIBUTE_ALIASES, EMBED_KEYS, SETTING_KEYS, STATE_KEYS};
pub use query::{decode, encode, Query};
pub use settings::{
    feed_options, full_app_query, host_origin, is_embed, parse_rule, parse_rules, rules_text,
    url_origin,
};
pub use state::FinderState;
pub use values::{MapView, Place, RadiusChoice, MAX_RADIUS, MAX_ZOOM};
