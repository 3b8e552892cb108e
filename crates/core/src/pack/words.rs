//! A pack's name search: which tiles hold the activities whose names carry a word,
//! so a search can look across the whole pack by fetching only those tiles.
//!
//! The words of each activity's name, organiser, place, area and postcode (as a
//! search sees them, [`normalise`]d) are listed in `words/{key}.json` files, one per
//! word start ([`shard_key`]: the first two letters), each word with how many
//! activities carry it and, when they lie in at most [`WORD_TILES_MAX`] tiles,
//! which. A word everywhere ("parkrun", "walk") lists no tiles: it would send a
//! phone to fetch the whole country; a search with it needs a rarer word beside it
//! ("truro parkrun") or the map zoomed in. Descriptions are not indexed: they hold
//! every common word, and the tiles found are searched in full anyway.

use super::Tile;
use crate::feed::json::{Json, Kind, Lite};
use crate::model::Activity;
use crate::search::normalise;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A word in more tiles than this lists none (see the module's comment).
pub const WORD_TILES_MAX: usize = 24;

/// One word of a `words/` file: the word, the activities carrying it, and their
/// tiles (none listed when more than [`WORD_TILES_MAX`]).
#[derive(Debug, Clone, PartialEq)]
pub struct WordRow {
    pub word: String,
    pub activities: usize,
    pub tiles: Option<Vec<Tile>>,
}

/// One `words/{key}.json` file: its words in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shard {
    pub words: Vec<WordRow>,
}

/// The `words/` file a word is listed in: its first two letters (`None` for a word of
/// one letter, which is not listed). Letters outside a–z and 0–9 are written as their
/// code points, so every host serves the name as written: "truro" → "tr", "اردو" →
/// "u627-631".
pub fn shard_key(word: &str) -> Option<String> {
    let mut chars = word.chars();
    let two = [chars.next()?, chars.next()?];
    if two
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return Some(two.iter().collect());
    }
    Some(format!("u{:x}-{:x}", two[0] as u32, two[1] as u32))
}

/// The path of the `words/` file for `key`.
pub fn shard_path(key: &str) -> String {
    format!("words/{key}.json")
}

/// The words an activity is found by in a whole-pack search: those of its name,
/// organiser, place, area and postcode, each once.
pub fn indexed_words(a: &Activity) -> BTreeSet<String> {
    let l = &a.location;
    [
        Some(&a.name),
        a.organiser.as_ref(),
        l.place.as_ref(),
        l.area.as_ref(),
        l.postcode.as_ref(),
    ]
    .into_iter()
    .flatten()
    .flat_map(|s| {
        normalise(s)
            .split_whitespace()
            .filter(|w| w.chars().nth(1).is_some())
            .map(String::from)
            .collect::<Vec<_>>()
    })
    .collect()
}

/// Build the `words/` files for the leaves of a pack: key → file.
pub fn build_words<'a>(
    leaves: impl IntoIterator<Item = (Tile, &'a [&'a Activity])>,
) -> BTreeMap<String, Shard> {
    // word → (activities, its tiles while there are few enough to list)
    let mut all: BTreeMap<String, (usize, Option<BTreeSet<Tile>>)> = BTreeMap::new();
    for (tile, acts) in leaves {
        for a in acts {
            for w in indexed_words(a) {
                let (n, tiles) = all.entry(w).or_insert_with(|| (0, Some(BTreeSet::new())));
                *n += 1;
                if let Some(t) = tiles {
                    t.insert(tile);
                    if t.len() > WORD_TILES_MAX {
                        *tiles = None;
                    }
                }
            }
        }
    }
    let mut shards: BTreeMap<String, Shard> = BTreeMap::new();
    for (word, (activities, tiles)) in all {
        let Some(key) = shard_key(&word) else {
            continue;
        };
        shards.entry(key).or_default().words.push(WordRow {
            word,
            activities,
            tiles: tiles.map(|t| t.into_iter().collect()),
        });
    }
    shards
}

/// How a `words/` file is written: `{"words": [["truro", 412, ["9/251/170", …]],
/// ["trust", 1203], …]}`.
#[derive(Serialize)]
struct ShardFile<'a> {
    words: Vec<RowOut<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum RowOut<'a> {
    Few(&'a str, usize, Vec<String>),
    Many(&'a str, usize),
}

impl Shard {
    /// The file's JSON.
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        let words = self
            .words
            .iter()
            .map(|r| match &r.tiles {
                Some(t) => RowOut::Few(
                    &r.word,
                    r.activities,
                    t.iter()
                        .map(|t| format!("{}/{}/{}", t.z, t.x, t.y))
                        .collect(),
                ),
                None => RowOut::Many(&r.word, r.activities),
            })
            .collect();
        serde_json::to_vec(&ShardFile { words })
    }
}

/// Read a `words/` file; `None` when it is not one.
pub fn read_shard(bytes: &[u8]) -> Option<Shard> {
    let doc: Lite = serde_json::from_slice(bytes).ok()?;
    let rows = doc.get("words")?.as_array()?;
    let words = rows
        .iter()
        .map(|r| {
            let r = r.as_array()?;
            let word = r.first()?.as_str()?.to_string();
            let activities = match r.get(1)?.kind() {
                Kind::Number(n) => n.as_u64()? as usize,
                _ => return None,
            };
            let tiles = match r.get(2) {
                None => None,
                Some(t) => Some(
                    t.as_array()?
                        .iter()
                        .map(|t| tile_of(t.as_str()?))
                        .collect::<Option<Vec<Tile>>>()?,
                ),
            };
            Some(WordRow {
                word,
                activities,
                tiles,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Shard { words })
}

/// "z/x/y", a tile that exists at its zoom.
fn tile_of(s: &str) -> Option<Tile> {
    let mut parts = s.split('/').map(|p| p.parse::<u32>().ok());
    let (z, x, y) = (parts.next()??, parts.next()??, parts.next()??);
    let z = u8::try_from(z).ok().filter(|z| *z <= super::MAX_ZOOM)?;
    let side = 1u32 << z;
    (parts.next().is_none() && x < side && y < side).then_some(Tile { z, x, y })
}

/// What the words index says about a search.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// No word of two letters or more: nothing to look up.
    Nothing,
    /// These `words/` files are needed first.
    Needs(Vec<String>),
    /// No word of the search starts a word of any name: the pack holds no match
    /// by name.
    NotInNames,
    /// Every word is too common to list where it is: `word` (the rarest) is in
    /// `activities` names.
    TooMany { word: String, activities: usize },
    /// The names with `word` (the one in fewest tiles) are in these tiles: a match
    /// by name is in one of them.
    Tiles {
        word: String,
        activities: usize,
        tiles: Vec<Tile>,
    },
}

/// Look `query` up in the words index. `shard(key)`: `None` while that file is not
/// here, `Some(None)` when the pack has no such file (no word starts so).
pub fn find<'s>(query: &str, shard: impl Fn(&str) -> Option<Option<&'s Shard>>) -> Found {
    let words: Vec<String> = normalise(query)
        .split_whitespace()
        .filter(|w| w.chars().nth(1).is_some())
        .map(String::from)
        .collect();
    if words.is_empty() {
        return Found::Nothing;
    }
    let mut needs = Vec::new();
    // Per word: the activities its names hold, and their tiles if few enough.
    let mut looked: Vec<(&str, usize, Option<BTreeSet<Tile>>)> = Vec::new();
    for w in &words {
        let key = shard_key(w).unwrap_or_default();
        match shard(&key) {
            None => {
                if !needs.contains(&key) {
                    needs.push(key);
                }
            }
            Some(None) => {}
            Some(Some(s)) => {
                let mut activities = 0;
                let mut tiles = Some(BTreeSet::new());
                let mut any = false;
                // Sorted: the words starting with `w` come together from its place.
                let from = s.words.partition_point(|r| r.word.as_str() < w.as_str());
                for r in s.words[from..]
                    .iter()
                    .take_while(|r| r.word.starts_with(w.as_str()))
                {
                    any = true;
                    activities += r.activities;
                    tiles = match (tiles, &r.tiles) {
                        (Some(mut all), Some(t)) => {
                            all.extend(t.iter().copied());
                            (all.len() <= WORD_TILES_MAX).then_some(all)
                        }
                        _ => None,
                    };
                }
                if any {
                    looked.push((w, activities, tiles));
                }
            }
        }
    }
    if !needs.is_empty() {
        return Found::Needs(needs);
    }
    let listed = looked
        .iter()
        .filter_map(|(w, n, t)| Some((*w, *n, t.as_ref()?)))
        .min_by_key(|(_, _, t)| t.len());
    if let Some((word, activities, tiles)) = listed {
        return Found::Tiles {
            word: word.to_string(),
            activities,
            tiles: tiles.iter().copied().collect(),
        };
    }
    match looked.iter().min_by_key(|(_, n, _)| *n) {
        Some((word, activities, _)) => Found::TooMany {
            word: word.to_string(),
            activities: *activities,
        },
        None => Found::NotInNames,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::generate;
    use crate::pack::build;
    use crate::search::{haystack, SearchWords};
    use std::collections::HashMap;

    fn tile(z: u8, x: u32, y: u32) -> Tile {
        Tile { z, x, y }
    }

    #[test]
    fn keys_are_two_letters_or_their_code_points() {
        assert_eq!(shard_key("truro").as_deref(), Some("tr"));
        assert_eq!(shard_key("5k").as_deref(), Some("5k"));
        assert_eq!(shard_key("a"), None);
        assert_eq!(shard_key("اردو").as_deref(), Some("u627-631"));
        assert_eq!(shard_key("éa").as_deref(), Some("ue9-61"));
        assert_eq!(shard_path("tr"), "words/tr.json");
    }

    #[test]
    fn a_shard_reads_back_as_written() {
        let shard = Shard {
            words: vec![
                WordRow {
                    word: "truro".into(),
                    activities: 3,
                    tiles: Some(vec![tile(9, 251, 170), tile(12, 2010, 1363)]),
                },
                WordRow {
                    word: "trust".into(),
                    activities: 900,
                    tiles: None,
                },
            ],
        };
        let bytes = shard.to_json().unwrap();
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            r#"{"words":[["truro",3,["9/251/170","12/2010/1363"]],["trust",900]]}"#
        );
        assert_eq!(read_shard(&bytes), Some(shard));
        for bad in [
            &br#"{"words":[["truro",3,["9/512/170"]]]}"#[..],
            br#"{"words":[["truro",3,["9/1/2/3"]]]}"#,
            br#"{"words":[["truro","3"]]}"#,
            br#"{"words":[[]]}"#,
            br#"{"word":[]}"#,
            b"[",
        ] {
            assert_eq!(read_shard(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    type Leaves = Vec<(Tile, Vec<Activity>)>;

    /// Shards of a generated pack, looked up as the app does.
    fn generated(count: usize, leaf_max: usize) -> (Leaves, BTreeMap<String, Shard>) {
        let feed = crate::model::Feed {
            format: crate::model::FORMAT_V1.into(),
            feed: generate::meta(count, 1),
            categories: Vec::new(),
            activities: generate::activities(count, 1),
        };
        let pack = build(&feed, leaf_max);
        let shards = build_words(pack.leaves.iter().map(|(t, a)| (*t, a.as_slice())));
        let leaves = pack
            .leaves
            .iter()
            .map(|(t, a)| (*t, a.iter().map(|a| (*a).clone()).collect()))
            .collect();
        (leaves, shards)
    }

    #[test]
    fn every_name_match_is_in_a_tile_found() {
        let (leaves, shards) = generated(6000, 100);
        let here = |k: &str| Some(shards.get(k));
        let by_tile: HashMap<Tile, &Vec<Activity>> = leaves.iter().map(|(t, a)| (*t, a)).collect();
        // Words of names from across the feed, whole and cut short, one and two at a time.
        let mut queries: Vec<String> = Vec::new();
        for (_, acts) in leaves.iter().step_by(7) {
            let words: Vec<String> = indexed_words(&acts[0]).into_iter().collect();
            queries.push(words[0].clone());
            queries.push(words[words.len() - 1].chars().take(3).collect());
            if words.len() > 1 {
                queries.push(format!("{} {}", words[1], words[0]));
            }
        }
        let mut listed = 0;
        for q in &queries {
            let typed: Vec<&str> = q.split_whitespace().collect();
            match find(q, here) {
                Found::Tiles {
                    tiles, activities, ..
                } => {
                    listed += 1;
                    assert!(tiles.len() <= WORD_TILES_MAX);
                    // Every activity with each word starting a word of its names is in
                    // those tiles.
                    for (t, acts) in &leaves {
                        let by_name = acts.iter().filter(|a| {
                            let names = indexed_words(a);
                            typed.iter().all(|w| names.iter().any(|n| n.starts_with(w)))
                        });
                        if by_name.count() > 0 {
                            assert!(
                                tiles.contains(t),
                                "{q}: {t:?} has a match and was not found"
                            );
                        }
                    }
                    let n: usize = tiles.iter().map(|t| by_tile[t].len()).sum();
                    assert!(activities <= n, "{q}: {activities} named, {n} in its tiles");
                }
                Found::TooMany { activities, .. } => assert!(activities > 0),
                other => panic!("{q}: {other:?}"),
            }
        }
        assert!(listed > 0, "some words are rare enough to list");
        // And the full search of those tiles finds what a search of the whole feed finds by name.
        let q = "truro";
        let Found::Tiles { tiles, .. } = find(q, here) else {
            panic!("a town is in a few tiles");
        };
        let search = SearchWords::new(q);
        let in_tiles = tiles
            .iter()
            .flat_map(|t| by_tile[t].iter())
            .filter(|a| search.rank(&haystack(a)).is_some())
            .count();
        let everywhere = leaves
            .iter()
            .flat_map(|(_, a)| a)
            .filter(|a| search.rank(&haystack(a)).is_some())
            .count();
        assert!(in_tiles > 0);
        assert_eq!(in_tiles, everywhere);
    }

    #[test]
    fn what_is_needed_first_and_what_is_not_there() {
        let (_, shards) = generated(2000, 100);
        assert_eq!(find("  a  ", |_| None), Found::Nothing);
        assert_eq!(
            find("Truro parkrun", |_| None),
            Found::Needs(vec!["tr".into(), "pa".into()])
        );
        assert_eq!(find("zzqx", |k| Some(shards.get(k))), Found::NotInNames);
        match find("parkrun", |k| Some(shards.get(k))) {
            Found::TooMany { word, activities } => {
                assert_eq!(word, "parkrun");
                assert!(activities > 100);
            }
            other => panic!("{other:?}"),
        }
        // A rare word beside a common one: the rare one's tiles.
        match find("parkrun truro", |k| Some(shards.get(k))) {
            Found::Tiles { word, .. } => assert_eq!(word, "truro"),
            other => panic!("{other:?}"),
        }
    }
}
