//! What the map needs from a pack for the area in view: which tiles to draw as
//! one cluster from their counts, which tiles' activities to fetch and draw as
//! pins, and which parts of the tree to fetch first. Pure: the app does the
//! fetching and drawing, and asks again whenever the map moves or a file arrives.
//!
//! The rule (docs/pack-format.md): a tile 128 px or less on screen (zoom at least
//! the view's + 1) is one cluster; a larger tile left uncut is fetched; a larger
//! cut tile is looked into. So the map never draws more than about one cluster
//! per 128 px square, and never fetches a tile it would draw smaller than 256 px.
//! (With 64 and 128 px, a phone at zoom 13 held 8,000 activities and 41 MB of
//! memory after a trip from London to Newcastle; with these, 800 and 18 MB:
//! BENCHMARKS.md.)

use super::{Index, Node, Subtree, Tile};
use crate::cluster::{Mark, CELL_PX};
use crate::geo::{self, Bounds};
use crate::math;
use crate::model::LatLng;
use std::collections::{HashMap, HashSet};

/// The area in view: a rectangle of the unit square (Web Mercator, y southwards)
/// and the map's zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub west: f64,
    pub north: f64,
    pub east: f64,
    pub south: f64,
    pub zoom: f64,
}

impl View {
    pub fn new(bounds: Bounds, zoom: f64) -> View {
        let (west, north) = geo::project(LatLng {
            lat: bounds.north,
            lng: bounds.west,
        });
        let (east, south) = geo::project(LatLng {
            lat: bounds.south,
            lng: bounds.east,
        });
        View {
            west,
            north,
            east,
            south,
            zoom,
        }
    }

    fn meets(&self, t: Tile) -> bool {
        let n = (1u64 << t.z) as f64;
        let (x0, y0) = (t.x as f64 / n, t.y as f64 / n);
        let (x1, y1) = ((t.x + 1) as f64 / n, (t.y + 1) as f64 / n);
        x0 <= self.east && x1 >= self.west && y0 <= self.south && y1 >= self.north
    }

    /// Tiles at this zoom or deeper are drawn as a cluster.
    fn cluster_zoom(&self) -> u8 {
        (self.zoom.floor().clamp(0.0, 60.0) as u8).saturating_add(1)
    }

    /// Take the `n` tiles nearest to the view's centre out of `tiles`, nearest first.
    pub fn nearest(&self, tiles: &mut Vec<Tile>, n: usize) -> Vec<Tile> {
        pick(tiles, n, |t| -self.distance(t))
    }

    /// How far a tile's centre is from the view's, in the unit square.
    fn distance(&self, t: Tile) -> f64 {
        let n = (1u64 << t.z) as f64;
        let dx = (t.x as f64 + 0.5) / n - (self.west + self.east) / 2.0;
        let dy = (t.y as f64 + 0.5) / n - (self.north + self.south) / 2.0;
        math::hypot(dx, dy)
    }
}

/// What to draw and fetch for one view.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Plan {
    /// Tiles drawn as one cluster each, from their counts and mean position.
    pub clusters: Vec<Tile>,
    /// Tiles left uncut whose activities are drawn as pins (fetched if not yet).
    pub leaves: Vec<Tile>,
    /// Cut tiles at the index's zoom whose `nodes/` file is needed and not yet
    /// read; meanwhile each is drawn as a cluster (it is in `clusters` too).
    pub subtrees: Vec<Tile>,
}

/// Why a `nodes/` file was not taken.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SubtreeError {
    #[error("the pack has no cut tile {0:?} at its index zoom")]
    NotCut(Tile),
    #[error("the file for tile {top:?} lists tile {node:?}, which is not inside it")]
    Outside { top: Tile, node: Tile },
    #[error("the file for tile {top:?} lists tile {node:?}, whose parent it does not list")]
    Orphan { top: Tile, node: Tile },
}

/// The pack's tree as far as it has been read.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    nodes: HashMap<Tile, Node>,
    children: HashMap<Tile, Vec<Tile>>,
    index_zoom: u8,
    read: HashSet<Tile>,
}

impl Tree {
    pub fn new(index: &Index) -> Tree {
        let mut tree = Tree {
            index_zoom: index.index_zoom,
            ..Tree::default()
        };
        for n in &index.nodes {
            tree.insert(n.clone());
        }
        tree
    }

    fn insert(&mut self, n: Node) {
        if n.tile.z > 0 {
            let parent = n.tile.ancestor(n.tile.z - 1);
            self.children.entry(parent).or_default().push(n.tile);
        }
        self.nodes.insert(n.tile, n);
    }

    pub fn node(&self, t: Tile) -> Option<&Node> {
        self.nodes.get(&t)
    }

    /// Take in a `nodes/` file: the tree below `top`. A file that does not fit
    /// (a node outside `top`, or whose parent is missing) is refused whole, so
    /// the map keeps drawing `top` as one cluster.
    pub fn add_subtree(&mut self, top: Tile, sub: Subtree) -> Result<(), SubtreeError> {
        match self.nodes.get(&top) {
            Some(n) if !n.leaf && top.z == self.index_zoom => {}
            _ => return Err(SubtreeError::NotCut(top)),
        }
        let mut known: HashSet<Tile> = HashSet::from([top]);
        for n in &sub.nodes {
            let node = n.tile;
            if node.z <= top.z || node.ancestor(top.z) != top {
                return Err(SubtreeError::Outside { top, node });
            }
            if !known.contains(&node.ancestor(node.z - 1)) {
                return Err(SubtreeError::Orphan { top, node });
            }
            known.insert(node);
        }
        if self.read.insert(top) {
            for n in sub.nodes {
                self.insert(n);
            }
        }
        Ok(())
    }

    /// What to draw and fetch for `view`.
    pub fn plan(&self, view: &View) -> Plan {
        self.plan_around(view, &[])
    }

    /// As [`plan`](Self::plan), with the leaves `forced` drawn as pins wherever they
    /// are in view, however small on screen (the tiles around the person's place,
    /// which the list needs): the tiles holding them are looked into, not clustered.
    pub fn plan_around(&self, view: &View, forced: &[Tile]) -> Plan {
        let mut plan = Plan::default();
        let root = Tile { z: 0, x: 0, y: 0 };
        if self.nodes.contains_key(&root) {
            self.walk(root, view, forced, &mut plan);
        }
        plan
    }

    fn walk(&self, t: Tile, view: &View, forced: &[Tile], plan: &mut Plan) {
        if !view.meets(t) {
            return;
        }
        let Some(node) = self.nodes.get(&t) else {
            return;
        };
        let holds_forced = || forced.iter().any(|f| f.z >= t.z && f.ancestor(t.z) == t);
        if t.z >= view.cluster_zoom() && !holds_forced() {
            plan.clusters.push(t);
        } else if node.leaf {
            plan.leaves.push(t);
        } else if t.z == self.index_zoom && !self.read.contains(&t) {
            plan.subtrees.push(t);
            plan.clusters.push(t);
        } else {
            for &c in self.children.get(&t).into_iter().flatten() {
                self.walk(c, view, forced, plan);
            }
        }
    }

    /// The leaves within `km` of `at`, the `max` nearest (their activities are what
    /// "near me" and a place search list first), and the `nodes/` files still needed
    /// to know them all.
    pub fn around(&self, at: LatLng, km: f64, max: usize) -> (Vec<Tile>, Vec<Tile>) {
        let dlat = km / 111.0;
        let dlng = km / (111.0 * math::cos(at.lat.to_radians()).max(0.01));
        let area = Bounds {
            south: at.lat - dlat,
            west: at.lng - dlng,
            north: at.lat + dlat,
            east: at.lng + dlng,
        };
        // Deeper than any tile: nothing is clustered, every leaf is listed.
        let plan = self.plan(&View::new(area, 64.0));
        let centre = View::new(Bounds::of(at), 64.0);
        let mut leaves = plan.leaves;
        let nearest = pick(&mut leaves, max, |t| -centre.distance(t));
        (nearest, plan.subtrees)
    }

    /// Activities per category (the index's `counted` order) in the tiles the
    /// plan draws: the area in view, to the nearest tile.
    pub fn counts(&self, plan: &Plan) -> Vec<usize> {
        let mut sum: Vec<usize> = Vec::new();
        for t in plan.clusters.iter().chain(&plan.leaves) {
            if let Some(n) = self.nodes.get(t) {
                sum.resize(sum.len().max(n.counts.len()), 0);
                for (s, c) in sum.iter_mut().zip(&n.counts) {
                    *s += c;
                }
            }
        }
        sum
    }

    /// The clusters to draw for these tiles (see [`cluster_marks`]).
    pub fn cluster_marks(&self, tiles: &[Tile], chosen: &[bool], zoom: f64) -> Vec<Mark> {
        cluster_marks(tiles.iter().filter_map(|t| self.nodes.get(t)), chosen, zoom)
    }
}

/// What the index alone draws for `view` (the page's first view of a pack, before
/// the finder's tree and tiles): the nodes the plan would draw, with any leaf or
/// tile cut below the index's zoom drawn as a cluster. The index is in tree order,
/// so no tree needs building (and none is in the page's first module).
pub fn index_marks(index: &Index, view: &View, chosen: &[bool]) -> Vec<Mark> {
    let cz = view.cluster_zoom();
    let drawn = index.nodes.iter().filter(|n| {
        let z = n.tile.z;
        view.meets(n.tile) && (z == cz || (z < cz && (n.leaf || z == index.index_zoom)))
    });
    cluster_marks(drawn, chosen, view.zoom)
}

/// The clusters to draw for these nodes: each one's activities of the chosen
/// columns (`chosen[i]` for the index's `counted[i]`) at the mean of its pins, and
/// clusters that would overlap on screen at `zoom` (closer than [`CELL_PX`]) drawn
/// as one, at their weighted mean, zooming to all their tiles.
pub fn cluster_marks<'a>(
    nodes: impl Iterator<Item = &'a Node>,
    chosen: &[bool],
    zoom: f64,
) -> Vec<Mark> {
    let scale = 256.0 * math::exp2(zoom);
    // Each kept cluster: its count, its position (unit square, weighted sum) and bounds.
    let mut kept: Vec<(usize, (f64, f64), Bounds)> = Vec::new();
    for node in nodes {
        let t = node.tile;
        let count: usize = node
            .counts
            .iter()
            .zip(chosen)
            .filter(|(_, on)| **on)
            .map(|(n, _)| n)
            .sum();
        if count == 0 {
            continue;
        }
        let at = geo::project(LatLng {
            lat: node.lat,
            lng: node.lng,
        });
        let near = kept.iter_mut().find(|(n, (sx, sy), _)| {
            let (x, y) = (sx / *n as f64, sy / *n as f64);
            math::hypot(x - at.0, y - at.1) * scale < CELL_PX
        });
        match near {
            Some((n, (sx, sy), b)) => {
                *n += count;
                *sx += at.0 * count as f64;
                *sy += at.1 * count as f64;
                let tb = t.bounds();
                *b = b
                    .with(LatLng {
                        lat: tb.south,
                        lng: tb.west,
                    })
                    .with(LatLng {
                        lat: tb.north,
                        lng: tb.east,
                    });
            }
            None => kept.push((
                count,
                (at.0 * count as f64, at.1 * count as f64),
                t.bounds(),
            )),
        }
    }
    kept.into_iter()
        .map(|(count, (sx, sy), bounds)| Mark::Cluster {
            count,
            at: geo::unproject(sx / count as f64, sy / count as f64),
            bounds,
            members: Vec::new(),
        })
        .collect()
}

/// Which of the `cached` leaves to drop so that at most `keep` remain: never one
/// of `drawn`, and the farthest from the view first.
pub fn evict(cached: &[Tile], drawn: &[Tile], view: &View, keep: usize) -> Vec<Tile> {
    let mut others: Vec<Tile> = cached
        .iter()
        .filter(|t| !drawn.contains(t))
        .copied()
        .collect();
    let over = cached.len().saturating_sub(keep);
    pick(&mut others, over, |t| view.distance(t))
}

/// Take out of `tiles` the `n` scoring highest, highest first: one at a time, for a
/// few dozen tiles, with no sort compiled in.
fn pick(tiles: &mut Vec<Tile>, n: usize, score: impl Fn(Tile) -> f64) -> Vec<Tile> {
    let mut taken = Vec::with_capacity(n.min(tiles.len()));
    while taken.len() < n && !tiles.is_empty() {
        let mut best = 0;
        for (i, t) in tiles.iter().enumerate() {
            if score(*t) > score(tiles[best]) {
                best = i;
            }
        }
        taken.push(tiles.swap_remove(best));
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::generate;
    use crate::model::{Feed, FeedMeta, FORMAT_V1};
    use crate::pack::{build, Pack};
    use proptest::prelude::*;

    fn feed_of(count: usize, seed: u64) -> Feed {
        Feed {
            format: FORMAT_V1.into(),
            feed: FeedMeta::default(),
            categories: Vec::new(),
            activities: generate::activities(count, seed),
        }
    }

    /// The whole tree read: the index and every `nodes/` file.
    fn whole(pack: &Pack) -> Tree {
        let mut tree = Tree::new(&pack.index);
        for (top, sub) in &pack.subtrees {
            tree.add_subtree(*top, sub.clone()).unwrap();
        }
        tree
    }

    /// A phone's view (412 × 823 px) centred on a place.
    fn phone(lat: f64, lng: f64, zoom: f64) -> View {
        let (x, y) = geo::project(LatLng { lat, lng });
        let scale = 256.0 * math::exp2(zoom);
        View {
            west: x - 206.0 / scale,
            east: x + 206.0 / scale,
            north: y - 411.5 / scale,
            south: y + 411.5 / scale,
            zoom,
        }
    }

    /// What a plan must be, whatever the view: everything it draws meets the
    /// view; each activity in view is drawn exactly once (in a cluster or as a
    /// pin); nothing is fetched that would be drawn smaller than 256 px; and no
    /// more clusters than 128 px squares in view.
    fn check(feed: &Feed, tree: &Tree, view: &View) {
        check_around(feed, tree, view, &[]);
    }

    fn check_around(feed: &Feed, tree: &Tree, view: &View, forced: &[Tile]) {
        let plan = tree.plan_around(view, forced);
        // A forced leaf in view is drawn as pins.
        for f in forced {
            if view.meets(*f) && tree.node(*f).is_some() {
                assert!(plan.leaves.contains(f), "{f:?} forced, not drawn");
            }
        }
        let cz = view.cluster_zoom();
        for t in plan.clusters.iter().chain(&plan.leaves) {
            assert!(view.meets(*t));
        }
        for t in &plan.leaves {
            assert!((t.z < cz || forced.contains(t)) && tree.node(*t).unwrap().leaf);
        }
        let drawn: HashSet<Tile> = plan.clusters.iter().chain(&plan.leaves).copied().collect();
        assert_eq!(drawn.len(), plan.clusters.len() + plan.leaves.len());
        for a in &feed.activities {
            let Some(p) = a.point() else { continue };
            let at = geo::project(p);
            let inside =
                at.0 >= view.west && at.0 <= view.east && at.1 >= view.north && at.1 <= view.south;
            let holders = (0..=crate::pack::MAX_ZOOM)
                .filter(|z| drawn.contains(&Tile::at(*z, at)))
                .count();
            if inside {
                assert_eq!(holders, 1, "{p:?} in view, drawn {holders} times");
            }
        }
        let cols = ((view.east - view.west) * (1u64 << cz) as f64).ceil() + 1.0;
        let rows = ((view.south - view.north) * (1u64 << cz) as f64).ceil() + 1.0;
        // A tile at the clusters' zoom or deeper that holds a forced leaf is opened, not
        // drawn as one cluster: each level opened on the way down to the leaf puts up to
        // four smaller tiles where one was (proptest found one, near = 0.5 km at zoom 7).
        let opened: f64 = forced
            .iter()
            .filter(|f| view.meets(**f))
            .map(|f| 3.0 * f64::from(f.z.saturating_sub(cz)))
            .sum();
        assert!(plan.clusters.len() as f64 <= cols * rows + opened);
    }

    #[test]
    fn the_country_from_the_index_a_city_from_its_tiles() {
        let feed = feed_of(20_000, 1);
        let pack = build(&feed, 200);
        let mut tree = Tree::new(&pack.index);
        // England at zoom 6: clusters, drawn from the index alone.
        let england = phone(53.0, -1.5, 6.0);
        let plan = tree.plan(&england);
        assert!(plan.clusters.len() > 5, "{plan:?}");
        check(&feed, &tree, &england);
        let in_view: usize = tree.counts(&plan).iter().sum();
        assert!(in_view > 15_000, "{in_view}");
        // London at zoom 14: first the tree below zoom 8 is needed...
        let london = phone(51.5072, -0.1276, 14.0);
        let plan = tree.plan(&london);
        assert_eq!(plan.leaves, vec![]);
        assert_eq!(plan.subtrees.len(), 1);
        check(&feed, &tree, &london);
        let top = plan.subtrees[0];
        let sub = pack.subtrees.iter().find(|(t, _)| *t == top).unwrap();
        tree.add_subtree(top, sub.1.clone()).unwrap();
        // ... then the tiles in view, a handful, drawn as pins.
        let plan = tree.plan(&london);
        assert!(plan.subtrees.is_empty());
        assert!(
            !plan.leaves.is_empty() && plan.leaves.len() <= 16,
            "{plan:?}"
        );
        check(&feed, &tree, &london);
    }

    #[test]
    fn a_nodes_file_that_does_not_fit_is_refused_whole() {
        let feed = feed_of(5_000, 2);
        let pack = build(&feed, 100);
        let mut tree = Tree::new(&pack.index);
        // The most crowded zoom-8 tile (London's), cut further below it.
        let (top, sub) = pack
            .subtrees
            .iter()
            .max_by_key(|(_, s)| s.nodes.len())
            .cloned()
            .unwrap();
        // Another tile's file under this name.
        let (other, theirs) = pack
            .subtrees
            .iter()
            .find(|(t, _)| *t != top)
            .cloned()
            .unwrap();
        assert!(matches!(
            tree.add_subtree(top, theirs),
            Err(SubtreeError::Outside { .. })
        ));
        // A node whose parent is missing.
        let mut holed = sub.clone();
        let cut = holed
            .nodes
            .iter()
            .position(|n| !n.leaf)
            .expect("a cut tile below 8");
        holed.nodes.remove(cut);
        assert!(matches!(
            tree.add_subtree(top, holed),
            Err(SubtreeError::Orphan { .. })
        ));
        // Not a cut tile at zoom 8.
        let leaf = pack.index.nodes.iter().find(|n| n.leaf);
        if let Some(leaf) = leaf {
            assert!(tree.add_subtree(leaf.tile, sub.clone()).is_err());
        }
        // Nothing was taken: the view still waits for the file, and takes it.
        let before = tree.nodes.len();
        tree.add_subtree(top, sub).unwrap();
        assert!(tree.nodes.len() > before);
        assert_ne!(top, other);
    }

    #[test]
    fn clusters_never_overlap_and_keep_every_count() {
        let feed = feed_of(20_000, 4);
        let pack = build(&feed, 100);
        let tree = whole(&pack);
        let cols = pack.index.counted.len();
        for zoom in [5.0, 7.0, 9.0, 11.0, 13.0] {
            let view = phone(52.5, -1.5, zoom);
            let plan = tree.plan(&view);
            let all = vec![true; cols];
            let marks = tree.cluster_marks(&plan.clusters, &all, zoom);
            // Every activity of the tiles is in one cluster.
            let sum = |ms: &[Mark]| {
                ms.iter()
                    .map(|m| match m {
                        Mark::Cluster { count, .. } => *count,
                        Mark::Pin { .. } => 1,
                    })
                    .sum::<usize>()
            };
            let expected: usize = plan
                .clusters
                .iter()
                .map(|t| tree.node(*t).unwrap().total())
                .sum();
            assert_eq!(sum(&marks), expected);
            // No two closer than a cell on screen... mostly: a merge moves a cluster,
            // so only the ones kept apart from the start are checked exactly.
            let scale = 256.0 * f64::exp2(zoom);
            for (i, a) in marks.iter().enumerate() {
                for b in &marks[..i] {
                    let (Mark::Cluster { at: p, .. }, Mark::Cluster { at: q, .. }) = (a, b) else {
                        unreachable!()
                    };
                    let (pa, pb) = (geo::project(*p), geo::project(*q));
                    let d = math::hypot(pa.0 - pb.0, pa.1 - pb.1) * scale;
                    assert!(d > CELL_PX / 2.0, "{d} px apart at zoom {zoom}");
                }
            }
            // One category chosen: only its activities.
            let mut green = vec![false; cols];
            green[0] = true;
            let marks = tree.cluster_marks(&plan.clusters, &green, zoom);
            let expected: usize = plan
                .clusters
                .iter()
                .map(|t| tree.node(*t).unwrap().counts[0])
                .sum();
            assert_eq!(sum(&marks), expected);
        }
    }

    #[test]
    fn the_index_alone_draws_what_the_plan_would_before_any_file() {
        let feed = feed_of(20_000, 6);
        let pack = build(&feed, 150);
        let tree = Tree::new(&pack.index);
        let all = vec![true; pack.index.counted.len()];
        for (lat, lng, zoom) in [
            (53.0, -1.5, 5.0),
            (51.5, -0.12, 9.0),
            (51.5, -0.12, 14.0),
            (54.9, -1.6, 12.0),
        ] {
            let view = phone(lat, lng, zoom);
            let plan = tree.plan(&view);
            let tiles: Vec<Tile> = plan.clusters.iter().chain(&plan.leaves).copied().collect();
            // The same clusters (the plan lists its leaves last, the index in tree order).
            let sorted = |mut ms: Vec<Mark>| {
                ms.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
                ms
            };
            assert_eq!(
                sorted(index_marks(&pack.index, &view, &all)),
                sorted(tree.cluster_marks(&tiles, &all, zoom)),
                "at {lat}, {lng}, zoom {zoom}"
            );
        }
    }

    #[test]
    fn around_a_place_the_nearest_leaves_and_the_files_to_find_them() {
        let feed = feed_of(20_000, 1);
        let pack = build(&feed, 100);
        let mut tree = Tree::new(&pack.index);
        let leeds = LatLng {
            lat: 53.8008,
            lng: -1.5491,
        };
        // First the part of the tree there, then its leaves.
        let (leaves, files) = tree.around(leeds, 2.0, 6);
        assert!(
            leaves.is_empty() && files.len() == 1,
            "{leaves:?} {files:?}"
        );
        let sub = pack.subtrees.iter().find(|(t, _)| *t == files[0]).unwrap();
        tree.add_subtree(files[0], sub.1.clone()).unwrap();
        let (leaves, files) = tree.around(leeds, 2.0, 6);
        assert!(files.is_empty());
        assert!(!leaves.is_empty() && leaves.len() <= 6);
        // The one holding Leeds's centre comes first.
        assert_eq!(leaves[0], Tile::at(leaves[0].z, geo::project(leeds)));
        // Zoomed out over England, they are still drawn as pins, once.
        check_around(&feed, &tree, &phone(53.0, -1.5, 6.0), &leaves);
    }

    #[test]
    fn far_tiles_go_first_and_drawn_ones_never() {
        let feed = feed_of(20_000, 1);
        let pack = build(&feed, 200);
        let tree = whole(&pack);
        let london = phone(51.5072, -0.1276, 14.0);
        let plan = tree.plan(&london);
        let far: Vec<Tile> = pack
            .leaves
            .iter()
            .map(|(t, _)| *t)
            .filter(|t| !plan.leaves.contains(t))
            .collect();
        let cached: Vec<Tile> = plan.leaves.iter().chain(&far).copied().collect();
        let keep = plan.leaves.len() + 3;
        let dropped = evict(&cached, &plan.leaves, &london, keep);
        assert_eq!(dropped.len(), cached.len() - keep);
        assert!(dropped.iter().all(|t| !plan.leaves.contains(t)));
        // The three kept besides the view's are nearer than any dropped.
        let kept: Vec<&Tile> = far.iter().filter(|t| !dropped.contains(t)).collect();
        let nearest_dropped = dropped
            .iter()
            .map(|t| london.distance(*t))
            .fold(f64::MAX, f64::min);
        assert!(kept.iter().all(|t| london.distance(**t) <= nearest_dropped));
        // Asked to keep fewer than the view needs: only the others go.
        assert_eq!(evict(&cached, &plan.leaves, &london, 0).len(), far.len());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any pack, any view, the tree read or only its index.
        #[test]
        fn every_activity_in_view_drawn_once(
            seed in 0u64..1000,
            leaf_max in 5usize..300,
            lat in 49.0f64..59.0,
            lng in -7.0f64..2.5,
            zoom in 3.0f64..17.0,
            read_all in any::<bool>(),
            near in proptest::option::of((50.0f64..56.0, -4.0f64..1.0, 0.5f64..5.0)),
        ) {
            let feed = feed_of(3_000, seed);
            let pack = build(&feed, leaf_max);
            let tree = if read_all { whole(&pack) } else { Tree::new(&pack.index) };
            // With the leaves around a place forced in, as "near me" does.
            let forced = near
                .map(|(lat, lng, km)| tree.around(LatLng { lat, lng }, km, 12).0)
                .unwrap_or_default();
            check_around(&feed, &tree, &phone(lat, lng, zoom), &forced);
        }
    }
}
