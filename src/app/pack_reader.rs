//! Reading a tiled feed (a pack, docs/pack-format.md) for the area in view: its
//! index first, then, each time the map moves, the parts of its tree and the tiles
//! the view needs (`pack::plan` says which), fetched in parallel and kept in a
//! bounded cache. The finder's catalog holds the activities of the tiles drawn as
//! pins; the rest of the view is drawn as clusters from the index's counts. A search
//! looks through the names of the whole pack: its `words/` files say which tiles
//! hold them, and the nearest of those are read and listed too.

use super::browser;
use super::loader;
use super::state::Finder;
use crate::catalog::Catalog;
use crate::cluster::Mark;
use crate::feed::stream::{FeedStream, Finished};
use crate::feed::{Loaded, Options, Problem, Shape};
use crate::filter::Filters;
use crate::geo::Bounds;
use crate::model::{Activity, Feed, FORMAT_V1};
use crate::pack::plan::{evict, Tree, View};
use crate::pack::words::{self, Found, Shard};
use crate::pack::{read_subtree, Index, Tile};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Tiles of activities kept once out of view, the nearest first (about 170 KB of
/// JSON each for a generated national pack; 48 cost 2 MB more memory after the
/// benchmark's trip from London to Newcastle, bench/pack.mjs).
const KEEP_TILES: usize = 16;

/// Around the person's place: tiles read within this distance (or the distance
/// chosen, if less), at most this many, the nearest first.
const NEAR_KM: f64 = 3.0;
const NEAR_TILES: usize = 8;

/// Tiles a search across the pack reads at most, the nearest to the view first
/// (a town's name is in a handful; about 17 KB gzipped each).
const SEARCH_TILES: usize = 12;

/// A pack's index and where it was fetched from.
#[derive(Debug)]
pub struct PackSource {
    pub index: Index,
    /// What was wrong with its metadata or categories (shown as a feed's are).
    pub problems: Vec<Problem>,
    /// The index's absolute address: the pack's other files are beside it.
    pub base: String,
    /// The index is the copy saved on an earlier visit (there was no connection): a
    /// file that cannot be fetched is read from its kept copy, if there is one.
    pub saved: bool,
}

impl PackSource {
    /// A feed of these activities, with the pack's name and categories.
    pub fn loaded(&self, activities: Vec<Activity>) -> Loaded {
        Loaded {
            shape: Shape::Native,
            feed: Feed {
                format: FORMAT_V1.to_string(),
                feed: self.index.feed.clone(),
                categories: self.index.categories.clone(),
                activities,
            },
            problems: self.problems.clone(),
        }
    }

    /// The absolute address of one of the pack's files.
    fn address(&self, path: &str) -> Option<String> {
        Some(web_sys::Url::new_with_base(path, &self.base).ok()?.href())
    }

    /// Activities in the pack, all told.
    pub fn total(&self) -> usize {
        self.index.totals.iter().sum()
    }
}

/// What the map shows of a pack besides the catalog's pins.
#[derive(Clone)]
pub struct PackShown {
    pub source: Arc<PackSource>,
    /// Tiles drawn as one cluster each: where, how many (of the chosen categories).
    pub clusters: Vec<Mark>,
    /// Activities per category in the area in view (to the nearest tile), from the
    /// index's counts: what the category filters offer.
    pub in_view: Vec<(String, usize)>,
    /// Files the view needs that could not be fetched or read.
    pub missing: usize,
    /// What a search found across the whole pack.
    pub search: PackSearch,
}

/// What a search found across the whole pack, as the list tells it.
#[derive(Debug, Clone, PartialEq)]
pub enum PackSearch {
    /// No search (or the pack has no words index): the list holds the area on the map.
    Off,
    /// The words index for the search is on its way.
    Looking,
    /// The words index could not be fetched: only the area on the map is searched.
    Failed,
    /// No name in the pack has these words (a description in view still may).
    NotInNames,
    /// `word`, the rarest, is in too many names to read where they all are.
    TooMany { word: String, activities: usize },
    /// The names lie in `tiles` tiles; the `read` nearest are read and listed.
    Found { tiles: usize, read: usize },
}

impl PackShown {
    /// Before anything is drawn from it.
    pub fn new(source: Arc<PackSource>) -> PackShown {
        PackShown {
            source,
            clusters: Vec::new(),
            in_view: Vec::new(),
            missing: 0,
            search: PackSearch::Off,
        }
    }
}

/// What has been fetched so far.
#[derive(Default)]
struct Fetched {
    tree: Tree,
    tiles: HashMap<Tile, Arc<Vec<Activity>>>,
    /// Asked for and not yet here.
    asked: HashSet<Tile>,
    /// Could not be fetched or read; asked for again once the map moves.
    failed: HashSet<Tile>,
    /// The tiles the catalog was last built from, in order.
    in_catalog: Vec<Tile>,
    /// `words/` files by key: `None` when the pack has none (no word starts so).
    shards: HashMap<String, Option<Shard>>,
    /// `words/` files asked for and not here yet, and those that failed.
    shards_asked: HashSet<String>,
    shards_failed: HashSet<String>,
}

impl Fetched {
    /// Look `query` up in the words index, asking for its files as needed: what to
    /// tell, and the tiles to read (the nearest to the middle of `view` first).
    fn search(
        &mut self,
        source: &Arc<PackSource>,
        query: &str,
        view: &View,
        arrived: RwSignal<u32>,
        me: StoredValue<Fetched, LocalStorage>,
    ) -> (PackSearch, Vec<Tile>) {
        if !source.index.words {
            return (PackSearch::Off, Vec::new());
        }
        let found = words::find(query, |k| self.shards.get(k).map(Option::as_ref));
        match found {
            Found::Nothing => (PackSearch::Off, Vec::new()),
            Found::Needs(keys) => {
                if keys.iter().any(|k| self.shards_failed.contains(k)) {
                    return (PackSearch::Failed, Vec::new());
                }
                for k in keys {
                    if self.shards_asked.insert(k.clone()) {
                        fetch_shard(source.clone(), k, me, arrived);
                    }
                }
                (PackSearch::Looking, Vec::new())
            }
            Found::NotInNames => (PackSearch::NotInNames, Vec::new()),
            Found::TooMany { word, activities } => {
                (PackSearch::TooMany { word, activities }, Vec::new())
            }
            Found::Tiles { mut tiles, .. } => {
                let all = tiles.len();
                let nearest = view.nearest(&mut tiles, SEARCH_TILES);
                let read = nearest.len();
                (PackSearch::Found { tiles: all, read }, nearest)
            }
        }
    }
}

/// Which kind of file a tile stands for.
#[derive(Clone, Copy)]
enum Part {
    Nodes,
    Activities,
}

/// Follow the map with the pack's tiles, for as long as the finder shows this pack.
/// `linked`: the activity the link selected, selected once a tile brings it.
pub fn follow(finder: Finder, source: Arc<PackSource>, linked: Option<String>) {
    let linked = StoredValue::new(linked);
    let fetched: StoredValue<Fetched, LocalStorage> = StoredValue::new_local(Fetched {
        tree: Tree::new(&source.index),
        ..Fetched::default()
    });
    let arrived = RwSignal::new(0u32);
    let last_view = StoredValue::new(None::<View>);
    let last_query = StoredValue::new(String::new());
    Effect::new(move |_| {
        arrived.track();
        let chosen = finder.filters.with(|f| f.categories.clone());
        let (Some(bounds), zoom) = (finder.view_bounds.get(), finder.view_zoom.get()) else {
            return;
        };
        let view = View::new(bounds.padded(0.1), zoom);
        // A file that failed is asked for again once the map has moved.
        if last_view.get_value() != Some(view) {
            last_view.set_value(Some(view));
            fetched.update_value(|f| {
                f.failed.clear();
                f.shards_failed.clear();
            });
        }
        // …and a words file that failed, once the search changes.
        let query = finder.filters.with(|f| f.search.clone());
        if last_query.with_value(|q| *q != query) {
            last_query.set_value(query.clone());
            fetched.update_value(|f| f.shards_failed.clear());
        }
        // Around the person's place (near me, a place searched), the nearest tiles are
        // read whatever the zoom: the list starts with them.
        let origin = finder.origin.with(|o| o.as_ref().map(|o| o.at));
        let km = finder.radius.get().map_or(NEAR_KM, |r| r.km().min(NEAR_KM));
        let (near, near_files) = match origin {
            Some(at) => fetched.with_value(|f| f.tree.around(at, km, NEAR_TILES)),
            None => Default::default(),
        };
        let plan = fetched.with_value(|f| f.tree.plan_around(&view, &near));
        // A search looks through the names of the whole pack: the tiles holding them
        // are read and listed, wherever they are, the nearest to the person's place if
        // one is set, else to the view.
        let from = origin.map_or(view, |at| View::new(Bounds::of(at), zoom));
        let (search, found) = fetched
            .try_update_value(|f| f.search(&source, &query, &from, arrived, fetched))
            .unwrap_or((PackSearch::Off, Vec::new()));
        let wanted = plan
            .subtrees
            .iter()
            .chain(&near_files)
            .map(|t| (*t, Part::Nodes))
            .chain(
                plan.leaves
                    .iter()
                    .chain(&near)
                    .chain(&found)
                    .map(|t| (*t, Part::Activities)),
            );
        for (tile, part) in wanted {
            let ask = fetched.with_value(|f| {
                let here = matches!(part, Part::Activities) && f.tiles.contains_key(&tile);
                !(here || f.asked.contains(&tile) || f.failed.contains(&tile))
            });
            if ask {
                fetched.update_value(|f| {
                    f.asked.insert(tile);
                });
                fetch(source.clone(), tile, part, fetched, arrived);
            }
        }
        // Leaves not here yet are drawn as clusters meanwhile.
        let (mut here, waiting): (Vec<Tile>, Vec<Tile>) =
            fetched.with_value(|f| plan.leaves.iter().partition(|t| f.tiles.contains_key(t)));
        // The tiles near the place or found by a search, out of view: listed, and
        // drawn where they are.
        fetched.with_value(|f| {
            for t in near.iter().chain(&found) {
                if f.tiles.contains_key(t) && !here.contains(t) {
                    here.push(*t);
                }
            }
        });
        let counted = &source.index.counted;
        let chosen = source.index.chosen(&chosen);
        // The index counts categories, not words: while a search is on, its clusters
        // would count what it does not find, so only pins are drawn.
        let drawn: Vec<Tile> = match finder.filters.with(Filters::has_search_words) {
            false => plan.clusters.iter().chain(&waiting).copied().collect(),
            true => Vec::new(),
        };
        let clusters = fetched.with_value(|f| f.tree.cluster_marks(&drawn, &chosen, zoom));
        let in_view = fetched.with_value(|f| f.tree.counts(&plan));
        let in_view = counted.iter().cloned().zip(in_view).collect();
        let missing = fetched.with_value(|f| {
            plan.subtrees
                .iter()
                .chain(&plan.leaves)
                .filter(|t| f.failed.contains(t))
                .count()
        });
        finder.pack.set(Some(PackShown {
            source: source.clone(),
            clusters,
            in_view,
            missing,
            search,
        }));
        // The catalog: the activities of the tiles drawn as pins.
        if fetched.with_value(|f| f.in_catalog != here) {
            let activities = fetched.with_value(|f| {
                here.iter()
                    .flat_map(|t| f.tiles[t].iter().cloned())
                    .collect::<Vec<_>>()
            });
            let catalog = Arc::new(Catalog::new(source.loaded(activities)));
            let selected = finder.selected.get_untracked().and_then(|i| {
                let id = finder
                    .catalog
                    .with_untracked(|c| c.as_ref()?.get(i).map(|a| a.id.clone()))?;
                catalog.index_of(&id)
            });
            // The link's selection, once its tile is here (the map opens on it). Given
            // up once every tile in view is here without it.
            let from_link = linked.with_value(|w| w.as_deref().and_then(|id| catalog.index_of(id)));
            if from_link.is_some() || (waiting.is_empty() && plan.subtrees.is_empty()) {
                linked.set_value(None);
            }
            let selected = selected.or(from_link);
            finder.catalog.set(Some(catalog));
            finder.selected.set(selected);
            fetched.update_value(|f| f.in_catalog = here);
        }
        // Far tiles go, so memory stays bounded however far the map travels (never
        // those drawn or listed).
        let kept: Vec<Tile> = plan
            .leaves
            .iter()
            .chain(&near)
            .chain(&found)
            .copied()
            .collect();
        fetched.update_value(|f| {
            let cached: Vec<Tile> = f.tiles.keys().copied().collect();
            for t in evict(&cached, &kept, &view, KEEP_TILES) {
                f.tiles.remove(&t);
            }
        });
    });
}

/// Fetch and read one of the pack's files, then ask the view to look again.
fn fetch(
    source: Arc<PackSource>,
    tile: Tile,
    part: Part,
    fetched: StoredValue<Fetched, LocalStorage>,
    arrived: RwSignal<u32>,
) {
    leptos::task::spawn_local(async move {
        let path = match part {
            Part::Nodes => tile.nodes_path(),
            Part::Activities => tile.path(),
        };
        let bytes = match source.address(&path) {
            Some(url) => loader::fetch_pack_file(&url, source.saved).await.ok(),
            None => None,
        };
        // Read in a task of its own, apart from the download's.
        browser::yield_now().await;
        let taken = bytes.is_some_and(|bytes| match part {
            Part::Nodes => read_subtree(&bytes).is_some_and(|sub| {
                fetched
                    .try_update_value(|f| f.tree.add_subtree(tile, sub).is_ok())
                    .unwrap_or(false)
            }),
            // Read by the same streaming reader as a feed's first view (in the main
            // module already: the whole-document reader is the readers' part's).
            Part::Activities => match read_tile(&bytes) {
                Some(loaded) => {
                    let activities = Arc::new(loaded.feed.activities);
                    fetched
                        .try_update_value(|f| f.tiles.insert(tile, activities))
                        .is_some()
                }
                None => false,
            },
        });
        let gone = fetched
            .try_update_value(|f| {
                f.asked.remove(&tile);
                if !taken {
                    f.failed.insert(tile);
                }
            })
            .is_none();
        if !gone {
            arrived.try_update(|n| *n += 1);
        }
    });
}

/// Fetch and read one `words/` file, then ask the view to look again. A file the
/// pack does not have (404) is no word starting so; any other failure is asked for
/// again once the search or the map changes.
fn fetch_shard(
    source: Arc<PackSource>,
    key: String,
    fetched: StoredValue<Fetched, LocalStorage>,
    arrived: RwSignal<u32>,
) {
    leptos::task::spawn_local(async move {
        let got = match source.address(&words::shard_path(&key)) {
            Some(url) => loader::fetch_pack_file(&url, source.saved).await,
            None => Err(loader::PageError::Unreachable),
        };
        let read = match got {
            Ok(bytes) => words::read_shard(&bytes).map(Some),
            Err(loader::PageError::Status(404, _)) => Some(None),
            Err(_) => None,
        };
        let gone = fetched
            .try_update_value(|f| {
                f.shards_asked.remove(&key);
                match read {
                    Some(shard) => {
                        f.shards.insert(key, shard);
                    }
                    None => {
                        f.shards_failed.insert(key);
                    }
                }
            })
            .is_none();
        if !gone {
            arrived.try_update(|n| *n += 1);
        }
    });
}

/// A tile's activities: a native feed document, read whole.
fn read_tile(bytes: &[u8]) -> Option<Loaded> {
    let opts = Options::default();
    let mut stream = FeedStream::new(&opts);
    stream.push(bytes);
    match stream.finish(&opts) {
        Finished::Read(Ok(loaded)) => Some(loaded),
        _ => None,
    }
}
