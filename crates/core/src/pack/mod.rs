//! A tiled feed ("pack"): a feed too large for one document, cut by place into
//! small documents any static host can serve, with an index that says where
//! everything is and how many activities of each category lie in every part.
//!
//! The layout and the reasons for it are in `docs/pack-format.md`. In short:
//!
//! - `pack.json`, the index: the feed's metadata, its categories, totals, and
//!   the tree of map tiles (Web Mercator, as the map's own tiles) that holds the
//!   activities. A tile is cut into its four quarters at the next zoom while it
//!   holds more than `leaf_max` activities, so a crowded city is cut small and an
//!   empty moor stays one large tile. Every tile in the tree, cut or not, has its
//!   count per category and the mean of its points: the zoomed-out map draws its
//!   clusters from these alone.
//! - `tiles/{z}/{x}/{y}.json`, one per tile left uncut (a leaf): an ordinary
//!   native feed document (`docs/feed-format.md`) with the activities whose pin
//!   lies in it, so one reader reads a pack and a single feed alike.
//! - `nodes/8/{x}/{y}.json`: the tree below zoom 8, one file per zoom-8 tile
//!   that is cut further. `pack.json` lists the tree only down to zoom 8 (a few
//!   dozen tiles for a national feed, the whole country's clusters); the parts
//!   below are fetched for the area in view when the map is zoomed in.
//! - `online.json`: the activities with no place (online only), if any.
//! - `words/{key}.json`: the words of the activities' names, and the tiles that
//!   hold them, for a search across the whole pack ([`words`]).
//!
//! Building is pure (this module); writing the files is `feedcheck --pack`.

pub mod plan;
mod read;
pub mod words;

pub use read::{read_index, read_subtree};

use crate::geo::{self, Bounds};
use crate::model::{builtin_categories, Activity, CategoryDef, Feed, FeedMeta, FORMAT_V1};
use serde::Serialize;

/// What `pack.json` says it is.
pub const PACK_FORMAT: &str = "activity-map-pack/1";

/// Cut a tile while it holds more than this many activities (`--leaf-max`).
/// About 150 KB of JSON, 15 KB gzipped, for the generated feeds.
pub const DEFAULT_LEAF_MAX: usize = 500;

/// Never cut below this zoom: the pins of a tile this small are a few metres
/// apart, and a tile holding many activities at one place stays whole.
pub const MAX_ZOOM: u8 = 18;

/// The deepest zoom `pack.json` lists; the tree below it is in `nodes/` files.
pub const INDEX_ZOOM: u8 = 8;

/// A map tile: zoom, column, row (as in `{z}/{x}/{y}` tile addresses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tile {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl Tile {
    /// The tile at zoom `z` holding the point (x, y) of the unit square.
    pub fn at(z: u8, (px, py): (f64, f64)) -> Tile {
        let n = 1u64 << z;
        let cell = |v: f64| ((v * n as f64).floor().max(0.0) as u64).min(n - 1) as u32;
        Tile {
            z,
            x: cell(px),
            y: cell(py),
        }
    }

    /// The path of its activities inside the pack, when it is a leaf.
    pub fn path(&self) -> String {
        format!("tiles/{}/{}/{}.json", self.z, self.x, self.y)
    }

    /// The path of the tree below it, when it is a cut tile at [`INDEX_ZOOM`].
    pub fn nodes_path(&self) -> String {
        format!("nodes/{}/{}/{}.json", self.z, self.x, self.y)
    }

    /// The tile that holds this one at zoom `z` (itself when `z` is its own zoom).
    pub fn ancestor(&self, z: u8) -> Tile {
        let up = self.z.saturating_sub(z);
        Tile {
            z: self.z.min(z),
            x: self.x >> up,
            y: self.y >> up,
        }
    }

    /// The lat/lng rectangle it covers.
    pub fn bounds(&self) -> Bounds {
        let n = (1u64 << self.z) as f64;
        let nw = geo::unproject(self.x as f64 / n, self.y as f64 / n);
        let se = geo::unproject((self.x + 1) as f64 / n, (self.y + 1) as f64 / n);
        Bounds {
            south: se.lat,
            west: nw.lng,
            north: nw.lat,
            east: se.lng,
        }
    }
}

/// One tile of the tree, as the index lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(into = "NodeRow")]
pub struct Node {
    pub tile: Tile,
    /// Left uncut: its activities are in `tile.path()`.
    pub leaf: bool,
    /// The mean position of its pins, where a cluster of them is drawn.
    pub lat: f64,
    pub lng: f64,
    /// Activities in it, per category, in the order of the index's `counted`.
    pub counts: Vec<usize>,
}

impl Node {
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// A node as written: `[z, x, y, leaf, lat, lng, [count per category]]`, short
/// because a national pack lists thousands.
#[derive(Serialize)]
struct NodeRow(u8, u32, u32, u8, f64, f64, Vec<usize>);

impl From<Node> for NodeRow {
    fn from(n: Node) -> NodeRow {
        NodeRow(
            n.tile.z,
            n.tile.x,
            n.tile.y,
            n.leaf as u8,
            n.lat,
            n.lng,
            n.counts,
        )
    }
}

/// `pack.json` (read by [`read_index`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Index {
    pub format: String,
    pub feed: FeedMeta,
    /// The categories the feed declares on top of the built-in ones (as in a feed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategoryDef>,
    /// The category ids the nodes' counts are for, in order.
    pub counted: Vec<String>,
    /// Every activity in the pack, per category (same order): the totals.
    pub totals: Vec<usize>,
    /// The activities with no place, in `online.json` (none: no such file).
    pub online: usize,
    /// South, west, north, east around every pin (absent when none has a place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounds: Option<[f64; 4]>,
    pub leaf_max: usize,
    /// The deepest zoom listed in `nodes` ([`INDEX_ZOOM`]).
    pub index_zoom: u8,
    /// The tree down to `index_zoom`, each tile before the tiles inside it.
    pub nodes: Vec<Node>,
    /// Whether the pack has `words/` files (a name search across the whole pack).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub words: bool,
}

impl Index {
    /// The area around every pin, if any has a place.
    pub fn area(&self) -> Option<Bounds> {
        let [south, west, north, east] = self.bounds?;
        Some(Bounds {
            south,
            west,
            north,
            east,
        })
    }

    /// For each of `counted`, whether it is among `categories` (all when none is).
    pub fn chosen(&self, categories: &std::collections::BTreeSet<String>) -> Vec<bool> {
        self.counted
            .iter()
            .map(|c| categories.is_empty() || categories.contains(c))
            .collect()
    }
}

/// `nodes/8/{x}/{y}.json`: the tree inside one zoom-8 tile, below it (read by
/// [`read_subtree`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subtree {
    /// Each tile before the tiles inside it, as in the index.
    pub nodes: Vec<Node>,
}

/// A pack built in memory, borrowing the feed's activities.
pub struct Pack<'a> {
    pub index: Index,
    /// The tree below [`INDEX_ZOOM`], per cut tile at that zoom.
    pub subtrees: Vec<(Tile, Subtree)>,
    /// The uncut tiles and their activities, in the order of `index.nodes`.
    pub leaves: Vec<(Tile, Vec<&'a Activity>)>,
    pub online: Vec<&'a Activity>,
}

/// A feed document of borrowed activities: what a leaf or `online.json` holds.
#[derive(Serialize)]
pub struct Document<'a> {
    pub format: &'static str,
    pub feed: &'a FeedMeta,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub categories: &'a [CategoryDef],
    pub activities: &'a [&'a Activity],
}

impl Pack<'_> {
    /// The document holding these activities, in the native format.
    pub fn document<'b>(&'b self, activities: &'b [&'b Activity]) -> Document<'b> {
        Document {
            format: FORMAT_V1,
            feed: &self.index.feed,
            categories: &self.index.categories,
            activities,
        }
    }
}

/// What writing a pack made: files and their bytes (uncompressed).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// `pack.json` alone.
    pub index_bytes: u64,
    /// The largest tile document.
    pub largest_tile: u64,
}

impl Pack<'_> {
    /// Write the pack into `dir` (made if missing): the tiles and `online.json`
    /// first, `pack.json` last, so the index never names a tile not yet there.
    /// A pack written there before is replaced; a folder holding anything else
    /// is refused, so a mistyped path cannot empty someone's folder.
    pub fn write_dir(&self, dir: &std::path::Path) -> std::io::Result<Written> {
        use std::fs;
        use std::io::{Error, ErrorKind};
        if dir.exists() {
            for entry in fs::read_dir(dir)? {
                let name = entry?.file_name();
                if !matches!(
                    name.to_str(),
                    Some("pack.json" | "online.json" | "tiles" | "nodes" | "words")
                ) {
                    return Err(Error::new(
                        ErrorKind::AlreadyExists,
                        format!(
                            "{} holds other files ({}): give a new or empty folder, or one holding a pack",
                            dir.display(),
                            name.to_string_lossy()
                        ),
                    ));
                }
            }
            for sub in ["tiles", "nodes", "words"] {
                if dir.join(sub).exists() {
                    fs::remove_dir_all(dir.join(sub))?;
                }
            }
            let online = dir.join("online.json");
            if online.exists() {
                fs::remove_file(online)?;
            }
        }
        fs::create_dir_all(dir)?;
        let mut w = Written::default();
        let mut put = |path: std::path::PathBuf, bytes: Vec<u8>| -> std::io::Result<u64> {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &bytes)?;
            w.files += 1;
            w.bytes += bytes.len() as u64;
            Ok(bytes.len() as u64)
        };
        for (tile, acts) in &self.leaves {
            let n = put(
                dir.join(tile.path()),
                serde_json::to_vec(&self.document(acts))?,
            )?;
            w.largest_tile = w.largest_tile.max(n);
        }
        for (tile, sub) in &self.subtrees {
            put(dir.join(tile.nodes_path()), serde_json::to_vec(sub)?)?;
        }
        if self.index.words {
            let leaves = self.leaves.iter().map(|(t, a)| (*t, a.as_slice()));
            for (key, shard) in words::build_words(leaves) {
                put(dir.join(words::shard_path(&key)), shard.to_json()?)?;
            }
        }
        if !self.online.is_empty() {
            put(
                dir.join("online.json"),
                serde_json::to_vec(&self.document(&self.online))?,
            )?;
        }
        w.index_bytes = put(dir.join("pack.json"), serde_json::to_vec(&self.index)?)?;
        Ok(w)
    }
}

/// Cut a feed into a pack: leaves of at most `leaf_max` activities (more only at
/// [`MAX_ZOOM`]). Activities keep the feed's order inside each document.
pub fn build(feed: &Feed, leaf_max: usize) -> Pack<'_> {
    let leaf_max = leaf_max.max(1);
    let mut counted: Vec<String> = builtin_categories().into_iter().map(|c| c.id).collect();
    counted.extend(feed.categories.iter().map(|c| c.id.clone()));
    // A category no one declared (a reader keeps only declared ones, but a
    // hand-made feed may not): counted all the same, after the rest.
    for a in &feed.activities {
        if !counted.contains(&a.category) {
            counted.push(a.category.clone());
        }
    }
    let column = |a: &Activity| counted.iter().position(|c| *c == a.category).unwrap_or(0);

    let mut placed = Vec::new();
    let mut online = Vec::new();
    let mut totals = vec![0; counted.len()];
    for a in &feed.activities {
        totals[column(a)] += 1;
        match a.point() {
            Some(p) => placed.push(Placed {
                activity: a,
                column: column(a),
                at: geo::project(p),
            }),
            None => online.push(a),
        }
    }
    let bounds = Bounds::around(feed.activities.iter().filter_map(Activity::point))
        .map(|b| [b.south, b.west, b.north, b.east]);

    let mut cutter = Cutter {
        leaf_max,
        columns: counted.len(),
        nodes: Vec::new(),
        leaves: Vec::new(),
    };
    if !placed.is_empty() {
        cutter.cut(Tile { z: 0, x: 0, y: 0 }, placed);
    }
    // The nodes are in tree order, so each subtree's nodes come together.
    let (mut nodes, mut subtrees) = (Vec::new(), Vec::<(Tile, Subtree)>::new());
    for node in cutter.nodes {
        if node.tile.z <= INDEX_ZOOM {
            nodes.push(node);
            continue;
        }
        let top = node.tile.ancestor(INDEX_ZOOM);
        match subtrees.last_mut() {
            Some((t, sub)) if *t == top => sub.nodes.push(node),
            _ => subtrees.push((top, Subtree { nodes: vec![node] })),
        }
    }
    Pack {
        subtrees,
        index: Index {
            format: PACK_FORMAT.to_string(),
            feed: feed.feed.clone(),
            categories: feed.categories.clone(),
            counted,
            totals,
            online: online.len(),
            bounds,
            leaf_max,
            index_zoom: INDEX_ZOOM,
            nodes,
            words: !cutter.leaves.is_empty(),
        },
        leaves: cutter.leaves,
        online,
    }
}

struct Placed<'a> {
    activity: &'a Activity,
    column: usize,
    /// Web Mercator, unit square.
    at: (f64, f64),
}

struct Cutter<'a> {
    leaf_max: usize,
    columns: usize,
    nodes: Vec<Node>,
    leaves: Vec<(Tile, Vec<&'a Activity>)>,
}

impl<'a> Cutter<'a> {
    /// Record `tile` (holding `items`, all inside it), then cut it if it is too full.
    fn cut(&mut self, tile: Tile, items: Vec<Placed<'a>>) {
        let mut counts = vec![0; self.columns];
        let (mut sx, mut sy) = (0.0, 0.0);
        for p in &items {
            counts[p.column] += 1;
            sx += p.at.0;
            sy += p.at.1;
        }
        let n = items.len() as f64;
        let mean = geo::unproject(sx / n, sy / n);
        let leaf = items.len() <= self.leaf_max || tile.z >= MAX_ZOOM;
        self.nodes.push(Node {
            tile,
            leaf,
            lat: round4(mean.lat),
            lng: round4(mean.lng),
            counts,
        });
        if leaf {
            self.leaves
                .push((tile, items.into_iter().map(|p| p.activity).collect()));
            return;
        }
        // The four quarters, in reading order; each keeps the feed's order.
        let mut quarters: [Vec<Placed<'a>>; 4] = Default::default();
        for p in items {
            let t = Tile::at(tile.z + 1, p.at);
            quarters[((t.y & 1) * 2 + (t.x & 1)) as usize].push(p);
        }
        for (i, q) in quarters.into_iter().enumerate() {
            if !q.is_empty() {
                let child = Tile {
                    z: tile.z + 1,
                    x: tile.x * 2 + (i as u32 & 1),
                    y: tile.y * 2 + (i as u32 >> 1),
                };
                self.cut(child, q);
            }
        }
    }
}

/// Four decimal places (about 10 m): enough for a cluster's place.
fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::generate;
    use crate::model::LatLng;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn feed_of(activities: Vec<Activity>) -> Feed {
        Feed {
            format: FORMAT_V1.into(),
            feed: FeedMeta {
                name: "Test".into(),
                ..FeedMeta::default()
            },
            categories: Vec::new(),
            activities,
        }
    }

    /// Everything a pack must be, checked against the feed it came from.
    fn check(feed: &Feed, pack: &Pack, leaf_max: usize) {
        let index = &pack.index;
        // The index lists the tree down to its zoom, the subtree files the rest,
        // each below its own cut tile at that zoom.
        assert!(index.nodes.iter().all(|n| n.tile.z <= index.index_zoom));
        let mut all = index.nodes.clone();
        for (top, sub) in &pack.subtrees {
            assert_eq!(top.z, index.index_zoom);
            assert!(index.nodes.iter().any(|n| n.tile == *top && !n.leaf));
            assert!(sub
                .nodes
                .iter()
                .all(|n| n.tile.ancestor(top.z) == *top && n.tile.z > top.z));
        }
        let cut_at_index_zoom = index
            .nodes
            .iter()
            .filter(|n| n.tile.z == index.index_zoom && !n.leaf);
        assert_eq!(cut_at_index_zoom.count(), pack.subtrees.len());
        // In tree order, the subtrees' nodes follow their top's.
        let mut ordered = Vec::new();
        for n in all.drain(..) {
            let top = n.tile;
            ordered.push(n);
            if let Some((_, sub)) = pack.subtrees.iter().find(|(t, _)| *t == top) {
                ordered.extend(sub.nodes.iter().cloned());
            }
        }
        let nodes = &ordered;
        // Every activity in exactly one document: a leaf or online.json.
        let mut seen: HashMap<*const Activity, usize> = HashMap::new();
        for (tile, acts) in &pack.leaves {
            assert!(!acts.is_empty(), "an empty leaf {tile:?}");
            assert!(acts.len() <= leaf_max || tile.z == MAX_ZOOM);
            for a in acts {
                *seen.entry(*a as *const _).or_default() += 1;
                // ... the one whose tile holds its pin.
                let p = a.point().expect("a leaf holds placed activities");
                assert_eq!(Tile::at(tile.z, geo::project(p)), *tile);
            }
        }
        for a in &pack.online {
            assert!(a.point().is_none());
            *seen.entry(*a as *const _).or_default() += 1;
        }
        assert_eq!(seen.len(), feed.activities.len());
        assert!(feed
            .activities
            .iter()
            .all(|a| seen.get(&(a as *const _)) == Some(&1)));
        assert_eq!(index.online, pack.online.len());

        // The summaries are the counts: each node's counts are those of the
        // activities inside its tile, per category.
        let column = |a: &Activity| index.counted.iter().position(|c| *c == a.category);
        let mut by_tile: HashMap<Tile, Vec<usize>> = HashMap::new();
        for a in &feed.activities {
            if let Some(p) = a.point() {
                let at = geo::project(p);
                for z in 0..=MAX_ZOOM {
                    let counts = by_tile
                        .entry(Tile::at(z, at))
                        .or_insert_with(|| vec![0; index.counted.len()]);
                    counts[column(a).expect("every category counted")] += 1;
                }
            }
        }
        for node in nodes {
            assert_eq!(Some(&node.counts), by_tile.get(&node.tile), "{node:?}");
        }
        let mut totals = vec![0; index.counted.len()];
        for a in &feed.activities {
            totals[column(a).unwrap()] += 1;
        }
        assert_eq!(index.totals, totals);

        // The tree: the root first, every other node after its parent, which
        // is cut; leaves are exactly the uncut nodes, in the same order.
        let mut cut = std::collections::HashSet::new();
        for (i, node) in nodes.iter().enumerate() {
            if i == 0 {
                assert_eq!(node.tile, Tile { z: 0, x: 0, y: 0 });
            } else {
                assert!(cut.contains(&node.tile.ancestor(node.tile.z - 1)));
            }
            if !node.leaf {
                cut.insert(node.tile);
            }
        }
        let leaves: Vec<Tile> = nodes.iter().filter(|n| n.leaf).map(|n| n.tile).collect();
        assert_eq!(
            leaves,
            pack.leaves.iter().map(|(t, _)| *t).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_generated_feed_is_cut_where_it_is_crowded() {
        let feed = feed_of(generate::activities(5_000, 7));
        let pack = build(&feed, 200);
        check(&feed, &pack, 200);
        // London (the most crowded) is cut deeper than the emptiest leaf.
        let london = geo::project(LatLng {
            lat: 51.5072,
            lng: -0.1276,
        });
        let deepest_london = pack
            .leaves
            .iter()
            .filter(|(t, _)| Tile::at(t.z, london) == *t)
            .map(|(t, _)| t.z)
            .max();
        let shallowest = pack.leaves.iter().map(|(t, _)| t.z).min().unwrap();
        assert!(deepest_london.unwrap_or(0) > shallowest + 2);
        assert!(!pack.subtrees.is_empty());
    }

    #[test]
    fn written_as_files_and_written_again_over_itself() {
        let dir = std::env::temp_dir().join(format!("am-pack-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let feed = feed_of(generate::activities(2_000, 5));
        let pack = build(&feed, 100);
        let w = pack.write_dir(&dir).unwrap();
        let online = usize::from(!pack.online.is_empty());
        let leaves = pack.leaves.iter().map(|(t, a)| (*t, a.as_slice()));
        let shards = words::build_words(leaves);
        assert_eq!(
            w.files,
            1 + pack.leaves.len() + pack.subtrees.len() + online + shards.len()
        );
        for (key, shard) in &shards {
            let text = std::fs::read(dir.join(words::shard_path(key))).unwrap();
            assert_eq!(words::read_shard(&text).as_ref(), Some(shard));
        }
        let (index, problems) = read_index(&std::fs::read(dir.join("pack.json")).unwrap())
            .unwrap()
            .unwrap();
        assert!(problems.is_empty());
        assert_eq!(index, pack.index);
        for (tile, sub) in &pack.subtrees {
            let text = std::fs::read(dir.join(tile.nodes_path())).unwrap();
            assert_eq!(read_subtree(&text).unwrap(), *sub);
        }
        let mut read = 0;
        let online = (Tile { z: 0, x: 0, y: 0 }, pack.online.clone());
        for (tile, acts) in pack.leaves.iter().chain([&online]) {
            let path = match acts.iter().any(|a| a.point().is_some()) {
                true => dir.join(tile.path()),
                false => dir.join("online.json"),
            };
            let bytes = std::fs::read(path).unwrap();
            let loaded = crate::feed::load(&bytes, &crate::feed::Options::default()).unwrap();
            assert_eq!(loaded.feed.activities.len(), acts.len());
            read += acts.len();
        }
        assert_eq!(read, 2_000);
        // Written again with bigger leaves: none of the old tiles is left behind.
        let fewer = build(&feed, 1_000);
        let w = fewer.write_dir(&dir).unwrap();
        let mut on_disk = 0;
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    on_disk += 1;
                }
            }
        }
        assert_eq!(on_disk, w.files);
        // A folder holding anything else is left alone.
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        let err = fewer.write_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert!(dir.join("pack.json").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_index_reads_back_as_written() {
        let feed = feed_of(generate::activities(300, 3));
        let pack = build(&feed, 50);
        let text = serde_json::to_string(&pack.index).unwrap();
        assert!(text.contains(r#""format":"activity-map-pack/1""#));
        let (back, _) = read_index(text.as_bytes()).unwrap().unwrap();
        assert_eq!(back, pack.index);
        // A leaf is a feed the native reader takes.
        let (_, acts) = &pack.leaves[0];
        let doc = serde_json::to_vec(&pack.document(acts)).unwrap();
        let loaded = crate::feed::load(&doc, &crate::feed::Options::default()).unwrap();
        assert_eq!(loaded.feed.activities.len(), acts.len());
        assert!(loaded.problems.is_empty());
    }

    #[test]
    fn an_index_is_told_apart_from_a_feed_and_checked() {
        let feed = feed_of(generate::activities(300, 3));
        let pack = build(&feed, 50);
        let text = serde_json::to_vec(&pack.index).unwrap();
        assert_eq!(read_index(&text).unwrap().unwrap().0, pack.index);
        // A feed, or anything else, is not a pack.
        assert!(read_index(&generate::feed_bytes(3, 1)).is_none());
        assert!(read_index(b"[1, 2]").is_none());
        assert!(read_index(b"not json").is_none());
        // A pack of a version to come, or a broken one, is a pack with a problem.
        let later = String::from_utf8(text.clone())
            .unwrap()
            .replace("pack/1", "pack/2");
        let err = read_index(later.as_bytes()).unwrap().unwrap_err();
        assert!(err.to_string().contains("activity-map-pack/2"), "{err}");
        let mut short = pack.index.clone();
        short.nodes[0].counts.pop();
        let err = read_index(&serde_json::to_vec(&short).unwrap())
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("counts"), "{err}");
        let cut = br#"{"format": "activity-map-pack/1", "feed": {"name": "x"}}"#;
        assert!(read_index(cut).unwrap().is_err());
        // A tile that cannot exist at its zoom.
        let mut beyond = pack.index.clone();
        beyond.nodes[1].tile.x = 1 << beyond.nodes[1].tile.z;
        assert!(read_index(&serde_json::to_vec(&beyond).unwrap())
            .unwrap()
            .is_err());
        // A declared category is checked as in any feed: a colour that is not one
        // (it would end up in the page's styles) is reported and the category dropped.
        let mut odd = pack.index.clone();
        odd.categories.push(CategoryDef {
            id: "swim".into(),
            label: "Swim".into(),
            colour: "red;background:url(x)".into(),
        });
        let (read, problems) = read_index(&serde_json::to_vec(&odd).unwrap())
            .unwrap()
            .unwrap();
        assert!(read.categories.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn many_at_one_place_stay_in_one_leaf() {
        let mut acts = generate::activities(40, 1);
        for a in &mut acts {
            a.location.lat = Some(53.0);
            a.location.lng = Some(-1.0);
        }
        let feed = feed_of(acts);
        let pack = build(&feed, 10);
        check(&feed, &pack, 10);
        assert_eq!(pack.leaves.len(), 1);
        assert_eq!(pack.leaves[0].0.z, MAX_ZOOM);
    }

    #[test]
    fn online_only_and_the_edges_of_the_world() {
        let mut acts = generate::activities(6, 2);
        acts[0].location.lat = None;
        acts[0].location.lng = None;
        acts[0].location.online = true;
        (acts[1].location.lat, acts[1].location.lng) = (Some(90.0), Some(180.0));
        (acts[2].location.lat, acts[2].location.lng) = (Some(-90.0), Some(-180.0));
        let feed = feed_of(acts);
        let pack = build(&feed, 1);
        check(&feed, &pack, 1);
        assert_eq!(pack.index.online, 1);
        // No pins at all: an index with no tree.
        let mut none = feed_of(generate::activities(2, 2));
        for a in &mut none.activities {
            a.location.lat = None;
        }
        let pack = build(&none, 1);
        check(&none, &pack, 1);
        assert!(pack.index.nodes.is_empty() && pack.index.bounds.is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Any feed, any leaf size: every activity in exactly one document, and
        /// every summary equal to the counts.
        #[test]
        fn every_activity_once_and_summaries_are_counts(
            seed in 0u64..10_000,
            count in 0usize..400,
            leaf_max in 1usize..60,
            moved in proptest::collection::vec((-90.0f64..90.0, -180.0f64..180.0), 0..20),
            declared in any::<bool>(),
        ) {
            let mut acts = generate::activities(count, seed);
            // Some anywhere on earth, some online, some in a declared category.
            for (a, (lat, lng)) in acts.iter_mut().zip(&moved) {
                a.location.lat = Some(*lat);
                a.location.lng = Some(*lng);
            }
            for a in acts.iter_mut().skip(moved.len()).step_by(17) {
                a.location.lat = None;
            }
            let mut feed = feed_of(acts);
            if declared {
                feed.categories.push(CategoryDef {
                    id: "swim".into(),
                    label: "Swimming".into(),
                    colour: "#0000ff".into(),
                });
                for a in feed.activities.iter_mut().step_by(5) {
                    a.category = "swim".into();
                }
            }
            let pack = build(&feed, leaf_max);
            check(&feed, &pack, leaf_max);
        }
    }
}
