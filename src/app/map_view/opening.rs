//! Where the map opens before its feed has been read.
//!
//! The map's tiles are usually the page's largest paint, and the connection is shared:
//! tiles asked for where the feed's pins will sit load while the feed is still being
//! read, while tiles of all England, asked for and then replaced by the feed's area,
//! only took the connection from the ones that were wanted. So the map opens on, in
//! order:
//! 1. the view the link names (`map=`), or the one it already shows (a new language
//!    builds the map again);
//! 2. the feed's area as last read on this device (kept on the app's own page only:
//!    a widget keeps nothing on a partner's origin);
//! 3. for the app's own sample feed, its area, known when the app is built
//!    ([`crate::sample_feed::BOUNDS`]);
//!
//! and otherwise nowhere yet: its tiles wait until the feed's first pins say where to
//! look (or the feed cannot be read). The app's own page is the exception: there,
//! `assets/early-map.js` opens the first view on England with its tiles before the wasm
//! is here, and the first view opens on the feed once it is read ([`super::FirstMap`]'s
//! `settle`): measured under a phone's throttling with tiles of a real map's weight, the
//! person sees a map 1.5-2.5 s sooner, and the first pins 0.4-0.6 s later (BENCHMARKS.md).

use crate::app::browser;
use crate::geo::Bounds;
use crate::math::fixed;
use crate::url_state::MapView as UrlView;

/// Where the map first looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Opening {
    /// A view the link names (or the map showed before it was built again).
    View(UrlView),
    /// The feed's area, as last read or as built in: the feed's own pins replace it.
    Area(Bounds),
    /// Nothing known: the tiles wait for the feed.
    Unknown,
}

impl Opening {
    /// Where to open for the feed at `feed` (`None`: the app's own sample feed).
    /// `remembered`: look in what this device kept.
    pub fn find(view: Option<UrlView>, feed: Option<&str>, remembered: bool) -> Opening {
        if let Some(v) = view {
            return Opening::View(v);
        }
        let kept = remembered
            .then(|| browser::load(KEY))
            .flatten()
            .and_then(|text| Areas::parse(&text).get(key_of(feed)));
        match (kept, feed) {
            (Some(b), _) => Opening::Area(b),
            (None, None) => Opening::Area(crate::sample_feed::BOUNDS),
            (None, Some(_)) => Opening::Unknown,
        }
    }

    /// Whether the tiles can be asked for as soon as the map exists.
    pub fn knows_where(&self) -> bool {
        !matches!(self, Opening::Unknown)
    }
}

/// Keep the area of the feed at `feed` for the next visit.
pub fn remember(feed: Option<&str>, area: Bounds) {
    // A line each: an address that is more than one line is not kept.
    if key_of(feed).contains(['\n', '\r']) {
        return;
    }
    let mut areas = browser::load(KEY)
        .map(|text| Areas::parse(&text))
        .unwrap_or_default();
    if areas.get(key_of(feed)) == Some(area) {
        return;
    }
    areas.put(key_of(feed), area);
    browser::save(KEY, &areas.to_text());
}

const KEY: &str = "activity-map:feed-areas";
/// Feeds whose areas are kept: a link worker's few, not every feed ever opened.
const KEPT: usize = 8;

fn key_of(feed: Option<&str>) -> &str {
    feed.unwrap_or("")
}

/// The kept areas, newest first: a line each, `south west north east address`.
#[derive(Default, Debug, PartialEq)]
struct Areas(Vec<(String, Bounds)>);

impl Areas {
    /// Lines that cannot be read (an older or damaged entry) are left out.
    fn parse(text: &str) -> Areas {
        let read = |line: &str| {
            let mut parts = line.splitn(5, ' ');
            let mut num = || crate::math::parse_f64(parts.next()?).filter(|n| n.is_finite());
            let (south, west, north, east) = (num()?, num()?, num()?, num()?);
            let feed = parts.next().unwrap_or("").to_string();
            (south <= north && west <= east).then_some((
                feed,
                Bounds {
                    south,
                    west,
                    north,
                    east,
                },
            ))
        };
        Areas(text.lines().filter_map(read).take(KEPT).collect())
    }

    fn get(&self, feed: &str) -> Option<Bounds> {
        self.0.iter().find(|(f, _)| f == feed).map(|(_, b)| *b)
    }

    fn put(&mut self, feed: &str, area: Bounds) {
        self.0.retain(|(f, _)| f != feed);
        self.0.insert(0, (feed.to_string(), area));
        self.0.truncate(KEPT);
    }

    fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|(f, b)| {
                // To the metre (5 decimals): no float formatting in the first pins' module.
                let [s, w, n, e] = [b.south, b.west, b.north, b.east].map(|x| fixed(x, 5));
                format!("{s} {w} {n} {e} {f}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
