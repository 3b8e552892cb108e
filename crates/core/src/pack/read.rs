//! Reading a pack's index and `nodes/` files. The index's metadata and categories
//! go through the native reader's own checks (a category's colour ends up in the
//! page's styles); the nodes are read by hand from the JSON tree, which in the
//! browser cost less code than serde's derived readers (measured: README, Size).

use super::{Index, Node, Subtree, Tile, MAX_ZOOM, PACK_FORMAT};
use crate::feed::json::{Json, Lite};
use crate::feed::native::{read_categories, read_meta};
use crate::feed::{FeedError, Out, Problem};

/// Read `pack.json`: `None` when the document is not a pack's index at all (another
/// feed), else the index (with any problems its metadata or categories had) or why
/// it cannot be used.
pub fn read_index(bytes: &[u8]) -> Option<Result<(Index, Vec<Problem>), FeedError>> {
    let doc: Lite = serde_json::from_slice(bytes).ok()?;
    let format = doc.get("format")?.as_str()?;
    if !format.starts_with("activity-map-pack/") {
        return None;
    }
    let bad = |detail: String| Some(Err(FeedError::Pack { detail }));
    if format != PACK_FORMAT {
        return bad(format!(
            "its format is {format}, and this map reads {PACK_FORMAT}"
        ));
    }
    let mut out = Out::default();
    let feed = read_meta(doc.get("feed"), "/feed", &mut out);
    read_categories(doc.get("categories"), &mut out);
    let Some(counted) = doc.get("counted").and_then(Lite::as_array) else {
        return bad("it has no list of the categories it counts (counted)".into());
    };
    let counted: Option<Vec<String>> = counted.iter().map(|c| Some(c.as_str()?.into())).collect();
    let (Some(counted), Some(totals)) = (counted, numbers(doc.get("totals"))) else {
        return bad("its counted categories or totals are not lists of names and numbers".into());
    };
    let Some(nodes) = doc.get("nodes").and_then(Lite::as_array) else {
        return bad("it has no tree of tiles (nodes)".into());
    };
    let Some(nodes) = nodes.iter().map(node).collect::<Option<Vec<Node>>>() else {
        return bad("a tile in its tree (nodes) is not [z, x, y, leaf, lat, lng, [counts]]".into());
    };
    let whole = |k: &str| doc.get(k).and_then(Lite::as_u64).map(|n| n as usize);
    let bounds = doc.get("bounds").and_then(|b| {
        let b: Vec<f64> = b.as_array()?.iter().filter_map(Lite::as_f64).collect();
        <[f64; 4]>::try_from(b).ok()
    });
    let index = Index {
        format: PACK_FORMAT.into(),
        feed,
        categories: out.categories,
        totals,
        online: whole("online").unwrap_or(0),
        bounds,
        leaf_max: whole("leaf_max").unwrap_or(0),
        index_zoom: whole("index_zoom")
            .map_or(super::INDEX_ZOOM, |z| z.min(MAX_ZOOM as usize) as u8),
        nodes,
        counted,
        words: doc.get("words").and_then(Lite::as_bool).unwrap_or(false),
    };
    let columns = index.counted.len();
    if index.totals.len() != columns || index.nodes.iter().any(|n| n.counts.len() != columns) {
        return bad("its counts do not match its list of categories".into());
    }
    match index.nodes.first() {
        Some(n) if n.tile != (Tile { z: 0, x: 0, y: 0 }) => {
            bad("its tree does not start with the whole world (tile 0/0/0)".into())
        }
        _ => Some(Ok((index, out.problems))),
    }
}

/// Read a `nodes/` file; `None` when it is not one.
pub fn read_subtree(bytes: &[u8]) -> Option<Subtree> {
    let doc: Lite = serde_json::from_slice(bytes).ok()?;
    let nodes = doc.get("nodes")?.as_array()?;
    Some(Subtree {
        nodes: nodes.iter().map(node).collect::<Option<_>>()?,
    })
}

/// `[z, x, y, leaf, lat, lng, [counts]]`, with a tile that exists at its zoom.
fn node<V: Json>(v: &V) -> Option<Node> {
    let [z, x, y, leaf, lat, lng, counts] = v.as_array()? else {
        return None;
    };
    let z = u8::try_from(z.as_u64()?).ok().filter(|z| *z <= MAX_ZOOM)?;
    let side = 1u64 << z;
    let (x, y) = (x.as_u64()?, y.as_u64()?);
    if x >= side || y >= side {
        return None;
    }
    Some(Node {
        tile: Tile {
            z,
            x: x as u32,
            y: y as u32,
        },
        leaf: leaf.as_u64()? != 0,
        lat: lat.as_f64()?,
        lng: lng.as_f64()?,
        counts: counts
            .as_array()?
            .iter()
            .map(|c| c.as_u64().map(|n| n as usize))
            .collect::<Option<_>>()?,
    })
}

fn numbers<V: Json>(v: Option<&V>) -> Option<Vec<usize>> {
    v?.as_array()?
        .iter()
        .map(|n| n.as_u64().map(|n| n as usize))
        .collect()
}
