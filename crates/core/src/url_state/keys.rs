//! Every key a link (or a widget's attributes) may carry, listed once: reading a link,
//! writing one, and turning a widget's attributes into settings all use these lists.

/// The keys [`FinderState`](super::FinderState) owns, in the order
/// [`FinderState::to_query`](super::FinderState::to_query) writes them.
pub const STATE_KEYS: [&str; 19] = [
    "feed", "tiles", "lang", "cat", "tag", "day", "part", "today", "free", "access", "self", "q",
    "r", "at", "place", "inview", "list", "sel", "map",
];

/// Settings read once when the app starts: the place-search service (`geocoder`), how
/// to read the feed (`category`, `rules`: see [`feed_options`](super::feed_options)),
/// and the most pages to read of a feed published as many pages (`pages`, never more
/// than the reader's own limit).
pub const SETTING_KEYS: [&str; 4] = ["geocoder", "category", "rules", "pages"];

/// Keys that describe an iframe embedding, not what the person sees: `embed=1` asks for
/// the compact view, `origin=` names the page it may talk to. Links to the full app
/// leave them out.
pub const EMBED_KEYS: [&str; 2] = ["embed", "origin"];

/// Friendlier names a widget's attributes may use: `categories` for `cat`, and `center`
/// (or `centre`) with `zoom` for `map`.
pub const ATTRIBUTE_ALIASES: [&str; 4] = ["categories", "center", "centre", "zoom"];

/// Every key the app reads from a link (or a widget's attributes, aliases aside).
pub fn app_keys() -> impl Iterator<Item = &'static str> {
    STATE_KEYS.into_iter().chain(SETTING_KEYS).chain(EMBED_KEYS)
}
