//! The map of the first view (`app::first_view`): the feed's pins on a still map, drawn
//! by the main module before the finder's own code has arrived, then covered and
//! removed once the finder's map shows the same place (see [`FirstMap::remove`]).
//!
//! It opens where the finder's map will ([`Opening`]), keeps the same room for the
//! phone's list sheet, and draws the same preview marks ([`PreviewMarks`]), so the
//! finder's map takes its place without a jump. It cannot be moved or pressed: the
//! finder is a second or so behind it on a slow connection.

use super::leaflet::{FeatureGroup, LatLng, Map, MapOptions};
use super::map::{self, START};
use super::marks::PreviewMarks;
use super::opening::Opening;
use crate::app::browser;
use crate::app::host::sheet_over_map;
use crate::catalog::Preview;
use crate::cluster::Tally;
use crate::geo::Bounds;
use crate::pack::plan::{index_marks, View};
use crate::pack::Index;
use crate::url_state::MapView as UrlView;
use wasm_bindgen::JsCast;

/// Where `assets/early-map.js` leaves the map it opened.
const EARLY_MAP: &str = "activityMapEarlyMap";

/// The map `assets/early-map.js` opened on `el` while the wasm was downloading (when
/// it knew where to look), taken over once, and whether it has asked for its tiles.
/// It was made with the same options as [`FirstMap::open`]'s; its view is set again.
fn early_map(el: &web_sys::HtmlElement) -> Option<(Map, bool)> {
    // Taken once: the script adds no tiles to a map already taken.
    let early = browser::take_global(EARLY_MAP)?;
    let map: Map = browser::get(&early, "map")?
        .dyn_into::<js_sys::Object>()
        .ok()?
        .unchecked_into();
    let on: wasm_bindgen::JsValue = map.get_container().into();
    if on != wasm_bindgen::JsValue::from(el) {
        return None;
    }
    let tiles = browser::get(&early, "tiles").and_then(|t| t.as_bool()) == Some(true);
    Some((map, tiles))
}

pub struct FirstMap {
    map: Map,
    marks: PreviewMarks,
    /// The tiles' address, until they are put on the map.
    tiles: Option<String>,
    /// The list sheet of the page's first view (`index.html`).
    panel: Option<web_sys::HtmlElement>,
    /// Where to look is known (else the feed's pins say).
    known: bool,
    /// The map shows England, with tiles, until the feed says where it is
    /// ([`settle`](Self::settle)): the early map opened there for a feed never read here.
    provisional: bool,
}

impl FirstMap {
    /// A still map in `el`, where the finder's map will open for this link and feed
    /// (`None`: the sample feed). Its tiles come with [`show_tiles`](Self::show_tiles)
    /// when that place is known, else with the feed's pins.
    pub fn open(
        el: &web_sys::HtmlElement,
        view: Option<UrlView>,
        feed: Option<&str>,
        tiles: String,
    ) -> Option<FirstMap> {
        let opts = MapOptions::default();
        opts.set_zoom_control(false);
        opts.set_dragging(false);
        opts.set_touch_zoom(false);
        opts.set_scroll_wheel_zoom(false);
        opts.set_double_click_zoom(false.into());
        opts.set_box_zoom(false);
        opts.set_keyboard(false);
        opts.set_max_zoom(19.0);
        let (map, has_tiles) = match early_map(el) {
            Some(early) => early,
            None => (Map::new(el, &opts).ok()?, false),
        };
        let marks = FeatureGroup::new();
        marks.add_to(&map);
        let panel = el
            .closest(".am-first-main")
            .ok()
            .flatten()
            .and_then(|m| m.query_selector(".am-first-panel").ok().flatten())
            .and_then(|p| p.dyn_into().ok());
        let first = FirstMap {
            map,
            marks: PreviewMarks::new(marks),
            tiles: (!has_tiles).then_some(tiles),
            panel,
            known: true,
            provisional: false,
        };
        match Opening::find(view, feed, true) {
            Opening::View(v) => {
                first.map.set_view(&LatLng::new(v.lat, v.lng), v.zoom);
            }
            Opening::Area(b) => first.open_on(b),
            Opening::Unknown => {
                first.map.set_view(&LatLng::new(START.0, START.1), START.2);
                return Some(FirstMap {
                    known: has_tiles,
                    provisional: has_tiles,
                    ..first
                });
            }
        }
        Some(first)
    }

    /// Whether the map knows where to look (else the whole feed's pins will say).
    pub fn knows_where(&self) -> bool {
        self.known
    }

    /// Put the tiles under the pins, if the map knows where to look (a step of its own:
    /// see the finder's `Leaflet::add_tiles`).
    pub fn show_tiles(&mut self) {
        if self.known {
            self.add_tiles();
        }
    }

    /// Draw the pins read (the first time, opening on them if nothing said where):
    /// whether all are drawn (a draw builds a few dozen new marks at most).
    pub fn draw(&mut self, p: &Preview) -> bool {
        if p.points.is_empty() {
            return true;
        }
        if !self.known {
            self.known = true;
            if let Some(b) = p.bounds() {
                self.open_on(b);
            }
            self.add_tiles();
        }
        let view = map::bounds_of(&self.map).padded(0.2);
        self.marks
            .draw(p, &mut Tally::default(), view, self.map.get_zoom())
    }

    /// The whole feed is read: a map still on its provisional view opens on the pins.
    pub fn settle(&mut self, p: &Preview) {
        if std::mem::take(&mut self.provisional) {
            if let Some(b) = p.bounds() {
                self.open_on(b);
            }
        }
    }

    /// Draw a tiled feed from its index alone, as clusters (opening on all of it if
    /// nothing said where): the tiles of activities come with the finder. `chosen[i]`:
    /// whether the index's `counted[i]` is among the categories the link chose.
    pub fn draw_pack(&mut self, index: &Index, chosen: &[bool]) {
        if !self.known || std::mem::take(&mut self.provisional) {
            self.known = true;
            if let Some(area) = index.area() {
                self.open_on(area);
            }
            self.add_tiles();
        }
        let view = View::new(map::bounds_of(&self.map).padded(0.1), self.map.get_zoom());
        self.marks.draw_clusters(&index_marks(index, &view, chosen));
    }

    /// Take the map down (its element goes with the page's first view).
    pub fn remove(self) {
        self.map.remove();
    }

    fn add_tiles(&mut self) {
        if let Some(t) = self.tiles.take() {
            map::add_tiles(&self.map, &t);
        }
    }

    /// As the finder's camera opens on an area: clear of the list sheet, at once.
    fn open_on(&self, b: Bounds) {
        map::open_on(
            &self.map,
            b,
            self.panel.as_ref().map_or(0.0, sheet_over_map),
        );
    }
}
