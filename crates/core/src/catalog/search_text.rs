//! Every activity's search text, as compact as it can be kept: what a search looks
//! through ([`crate::search::haystack`]) in two parts. An activity's own words (name,
//! organiser, place, address, postcode, area, tags) sit end to end in one string; its
//! description's are kept once for every activity that has the same description.
//! Feeds repeat descriptions (a series' sessions, a chain's venues, a publisher's
//! template): the 100,000 feed of `genfeed` has 72 different ones. At 100,000 activities
//! this holds 12 MB where a `String` per activity held 31 MB (BENCHMARKS.md).

use crate::model::Activity;
use crate::search::{
    description_haystack, own_haystack, own_haystack_room, SearchMatch, SearchWords,
};
use hashbrown::HashTable;

/// No description (an empty one has no words to find).
const NONE: u32 = u32::MAX;

#[derive(Default)]
pub(super) struct SearchText {
    /// The activities' own search text, end to end; activity `i`'s ends at `own_ends[i]`.
    own: String,
    own_ends: Vec<u32>,
    /// Each different description's search text, end to end, ending at `desc_ends[d]`.
    descs: String,
    desc_ends: Vec<u32>,
    /// Each activity's description, as its `d` (or [`NONE`]).
    desc_of: Vec<u32>,
    /// The descriptions so far, by the hash of their text: `(d, an activity that has it)`.
    by_desc: HashTable<(u32, u32)>,
}

impl SearchText {
    /// How many activities' search text is here (the first ones, in feed order).
    pub(super) fn len(&self) -> usize {
        self.own_ends.len()
    }

    /// Add the search text of `acts[self.len()..end]`.
    pub(super) fn extend(&mut self, acts: &[Activity], end: usize) {
        let start = self.len();
        if start == 0 && end > 0 {
            // Room for all of the activities' own text at once: grown by doubling, the
            // string would for a moment be held twice over.
            let room = acts.iter().map(own_haystack_room).sum::<usize>();
            self.own.reserve_exact(room);
            self.own_ends.reserve_exact(acts.len());
            self.desc_of.reserve_exact(acts.len());
        }
        for (i, a) in acts.iter().enumerate().take(end).skip(start) {
            own_haystack(a, &mut self.own);
            self.own_ends.push(self.own.len() as u32);
            let d = self.description(acts, i as u32, &a.description);
            self.desc_of.push(d);
        }
    }

    /// The `d` of `text` (activity `i`'s description), added if it is new.
    fn description(&mut self, acts: &[Activity], i: u32, text: &str) -> u32 {
        if text.trim().is_empty() {
            return NONE;
        }
        let hash = crate::feed::id_hash(text);
        let same = |&(_, j): &(u32, u32)| &*acts[j as usize].description == text;
        if let Some(&(d, _)) = self.by_desc.find(hash, same) {
            return d;
        }
        description_haystack(text, &mut self.descs);
        let d = self.desc_ends.len() as u32;
        self.desc_ends.push(self.descs.len() as u32);
        let rehash = |&(_, j): &(u32, u32)| crate::feed::id_hash(&acts[j as usize].description);
        self.by_desc.insert_unique(hash, (d, i), rehash);
        d
    }

    /// How `words` find activity `i` (whose search text must be here).
    pub(super) fn rank(&self, words: &SearchWords, i: usize) -> Option<SearchMatch> {
        let own = slice(&self.own, &self.own_ends, i);
        let desc = match self.desc_of[i] {
            NONE => "",
            d => slice(&self.descs, &self.desc_ends, d as usize),
        };
        words.rank_parts([own, desc])
    }
}

/// Part `i` of `text`, whose parts end at `ends`.
fn slice<'a>(text: &'a str, ends: &[u32], i: usize) -> &'a str {
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::haystack;

    fn act(id: &str, name: &str, description: &str) -> Activity {
        let mut a = Activity::new(id, name, "green");
        a.description = description.into();
        a.location.place = Some("St. Mary's Hall".into());
        a.tags = vec!["wild-swimming".into()];
        a
    }

    #[test]
    fn each_activity_ranks_as_its_whole_haystack_does() {
        let acts = vec![
            act("a", "Walk", "A gentle walk. Café after."),
            act("b", "Choir", "A gentle walk. Café after."),
            act("c", "Łódź club", ""),
            act("d", "Swim", "  "),
            act("e", "Garden", "Dig, plant, chat"),
        ];
        let mut text = SearchText::default();
        text.extend(&acts, 2);
        text.extend(&acts, acts.len());
        assert_eq!(text.len(), acts.len());
        // The same description is kept once.
        assert_eq!(text.desc_ends.len(), 2);
        for query in [
            "walk",
            "gentle cafe",
            "choir after",
            "lodz",
            "marys",
            "swimming",
            "wild",
            "chta",
            "gardne",
            "plant walk",
            "xyz",
            "",
        ] {
            let words = SearchWords::new(query);
            for (i, a) in acts.iter().enumerate() {
                assert_eq!(
                    text.rank(&words, i),
                    words.rank(&haystack(a)),
                    "{query:?} on {}",
                    a.id
                );
            }
        }
    }
}
