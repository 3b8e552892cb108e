//! Search text: how feed text and what people type are made comparable
//! ([`normalise`], [`haystack`]), and when a search finds an activity ([`SearchWords`]):
//! every word at the start of a word, forgiving one typo in a long word.

use crate::model::Activity;

/// Lower-case, accents removed, punctuation turned to spaces: "Café-Bar" → "cafe bar".
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalise_into(s, &mut out);
    out
}

/// [`normalise`], appended to `out`, never starting a second space after one already there.
fn normalise_into(s: &str, out: &mut String) {
    for c in s.chars() {
        // Most text is ASCII: no case table or accent folding needed.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if c != '\'' && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        for c in c.to_lowercase() {
            // Accents typed as separate marks ("e" + U+0301), and the dot that "İ"
            // lower-cases to, go: "cafe\u{301}" is "cafe".
            if is_combining_mark(c) {
                continue;
            }
            match fold(c) {
                Some(f) => out.push_str(f),
                None if c.is_alphanumeric() => out.push(c),
                None if c == '’' => {}
                None => {
                    if !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
            }
        }
    }
}

/// Combining diacritical marks (the blocks Latin-script accents are typed from).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// Latin letters with accents, as the plain letters people type for them: the
/// languages of the UK's larger communities and of its place and people's names
/// (Welsh, Irish, French, German, Polish, Czech, Slovak, Romanian, Turkish, Hungarian,
/// Croatian, the Baltic and Nordic languages). A table of a few hundred bytes, where
/// full Unicode decomposition would add tens of kilobytes to the wasm.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'ė' => "e",
        'ğ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ķ' => "k",
        'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' | 'ŕ' => "r",
        'ß' => "ss",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' | 'ẁ' | 'ẃ' | 'ẅ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// The text a search looks through: name, description, organiser, place, address,
/// postcode, area and tags, normalised, with single spaces and a space at each end
/// (so " word" finds a word start).
pub fn haystack(a: &Activity) -> String {
    // Room for all of it at once (normalising seldom lengthens text).
    let mut s = String::with_capacity(own_haystack_room(a) + a.description.len() + 1);
    let parts = [&*a.name, &*a.description]
        .into_iter()
        .chain(own_parts(a).map(String::as_str));
    push_haystack(parts, &mut s);
    s
}

/// What [`own_haystack`] holds: all of [`haystack`] but the name and description.
fn own_parts(a: &Activity) -> impl Iterator<Item = &String> {
    let l = &a.location;
    [
        a.organiser.as_ref(),
        l.place.as_ref(),
        l.address.as_ref(),
        l.postcode.as_ref(),
        l.area.as_ref(),
    ]
    .into_iter()
    .flatten()
    .chain(&a.tags)
}

/// An activity's [`haystack`] without its description, appended to `out`: what is its
/// own. A search looks through this and [`description_haystack`] as it would through
/// the whole (no word is found across the two: each has a space at each end).
pub fn own_haystack(a: &Activity, out: &mut String) {
    let parts = std::iter::once(&a.name).chain(own_parts(a));
    push_haystack(parts.map(String::as_str), out);
}

/// How long [`own_haystack`] will be, or a little more: room to make for it.
pub fn own_haystack_room(a: &Activity) -> usize {
    std::iter::once(&a.name)
        .chain(own_parts(a))
        .map(|p| p.len() + 1)
        .sum::<usize>()
        + 1
}

/// An activity's description as a search looks through it, appended to `out`.
pub fn description_haystack(description: &str, out: &mut String) {
    push_haystack(std::iter::once(description), out);
}

/// `parts`, normalised, each followed by a space, after a space.
fn push_haystack<'a>(parts: impl Iterator<Item = &'a str>, out: &mut String) {
    out.push(' ');
    for part in parts {
        normalise_into(part, out);
        if !out.ends_with(' ') {
            out.push(' ');
        }
    }
}

/// How a search found an activity: every word as typed, or with a typo forgiven in at
/// least one (listed after the exact ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SearchMatch {
    Exact,
    Near,
}

/// Words of this many letters or more forgive one typo (a letter wrong, missing, extra,
/// or two swapped); shorter ones would find too much.
pub const TYPO_FROM: usize = 5;

/// A search, ready to be tried on many haystacks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchWords {
    words: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq)]
struct Word {
    /// The word with a space before it: found at a word start of a haystack.
    spaced: String,
    /// Its letters, when it is long enough to forgive a typo.
    forgiving: Option<Vec<char>>,
    ascii: bool,
}

impl SearchWords {
    pub fn new(query: &str) -> SearchWords {
        let words = normalise(query)
            .split_whitespace()
            .map(|w| {
                let letters: Vec<char> = w.chars().collect();
                Word {
                    spaced: format!(" {w}"),
                    forgiving: (letters.len() >= TYPO_FROM).then_some(letters),
                    ascii: w.is_ascii(),
                }
            })
            .collect();
        SearchWords { words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// How `hay` (a [`haystack`]) matches: every word at a word start, exactly or,
    /// for long words, with one typo; `None` when a word is not there.
    pub fn rank(&self, hay: &str) -> Option<SearchMatch> {
        let mut how = SearchMatch::Exact;
        for w in &self.words {
            if hay.contains(w.spaced.as_str()) {
                continue;
            }
            match &w.forgiving {
                Some(letters)
                    if near_word(letters, w.ascii.then(|| &w.spaced.as_bytes()[1..]), hay) =>
                {
                    how = SearchMatch::Near;
                }
                _ => return None,
            }
        }
        Some(how)
    }

    /// [`rank`](Self::rank) for a haystack kept in parts (an activity's own and its
    /// description's): the same answer as for the parts joined.
    pub fn rank_parts(&self, parts: [&str; 2]) -> Option<SearchMatch> {
        let mut how = SearchMatch::Exact;
        for w in &self.words {
            if parts.iter().any(|p| p.contains(w.spaced.as_str())) {
                continue;
            }
            match &w.forgiving {
                Some(letters)
                    if parts.iter().any(|p| {
                        near_word(letters, w.ascii.then(|| &w.spaced.as_bytes()[1..]), p)
                    }) =>
                {
                    how = SearchMatch::Near;
                }
                _ => return None,
            }
        }
        Some(how)
    }

    /// Whether everything this search finds was found by `older` too (typing on: "walk"
    /// then "walki"), so only `older`'s matches need looking at. Each older word must
    /// start a word of this search, and forgive a typo if that word does.
    pub fn within(&self, older: &SearchWords) -> bool {
        older.words.iter().all(|o| {
            self.words.iter().any(|w| {
                w.spaced.starts_with(o.spaced.as_str())
                    && (o.forgiving.is_some() || w.forgiving.is_none())
            })
        })
    }
}

/// Longest word, in letters, that forgives a typo (a longer one must be typed exactly).
const NEAR_MAX: usize = 48;

/// Is `w` the start of the haystack word `h` with at most one typo? Letters compared
/// as bytes when `w` is ASCII (the usual case, and several times quicker: a search
/// compares it with every word of every activity it does not find as typed), as chars
/// otherwise.
fn near_word(w: &[char], ascii: Option<&[u8]>, hay: &str) -> bool {
    if let Some(w) = ascii {
        return near_ascii(w, hay.as_bytes());
    }
    hay.split(' ').any(|h| {
        if w.len() >= NEAR_MAX {
            return false;
        }
        let mut buf = ['\0'; NEAR_MAX];
        let mut n = 0;
        for c in h.chars().take(w.len() + 1) {
            buf[n] = c;
            n += 1;
        }
        near_prefix(w, &buf[..n])
    })
}

/// [`near_word`] for an ASCII word, in one pass over the haystack's bytes: only a word
/// whose first two letters could hold `w`'s after one typo is looked at further.
fn near_ascii(w: &[u8], hay: &[u8]) -> bool {
    let (w0, w1) = (w[0], w[1]);
    let mut at = 0;
    while at < hay.len() {
        let end = hay[at..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(hay.len(), |n| at + n);
        let h = &hay[at..end];
        if h.len() >= 2
            && (h[0] == w0 || h[1] == w1 || h[0] == w1 || h[1] == w0)
            && near_prefix(w, h)
        {
            return true;
        }
        at = end + 1;
    }
    false
}

/// Is `w` the start of `h` with at most one typo: a letter wrong, one extra, one
/// missing, or two next to each other swapped?
fn near_prefix<T: PartialEq>(w: &[T], h: &[T]) -> bool {
    // Too short to hold it; or neither of its first two letters where the typo would
    // leave them (the quick answer for nearly every word).
    if h.len() + 1 < w.len()
        || (w.len() >= 2
            && h.len() >= 2
            && w[0] != h[0]
            && w[1] != h[1]
            && w[1] != h[0]
            && w[0] != h[1])
    {
        return false;
    }
    let k = w.iter().zip(h).take_while(|(a, b)| a == b).count();
    if k == w.len() {
        return true;
    }
    // Does w[from_w..] start h[from_h..]?
    let rest = |from_w: usize, from_h: usize| {
        let (w, h) = (&w[from_w.min(w.len())..], &h[from_h.min(h.len())..]);
        h.starts_with(w)
    };
    (h.len() > k && rest(k + 1, k + 1))
        || rest(k + 1, k)
        || (h.len() > k && rest(k, k + 1))
        || (k + 1 < w.len()
            && h.len() > k + 1
            && w[k] == h[k + 1]
            && w[k + 1] == h[k]
            && rest(k + 2, k + 2))
}

/// Does the search find the activity whose [`haystack`] is `hay` (see [`SearchWords`])?
pub fn search_match(query: &str, hay: &str) -> Option<SearchMatch> {
    SearchWords::new(query).rank(hay)
}

/// [`search_match`] found it, exactly or not.
pub fn search_matches(query: &str, hay: &str) -> bool {
    search_match(query, hay).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hay(text: &str) -> String {
        format!(" {} ", normalise(text))
    }

    #[test]
    fn one_typo_in_a_long_word_is_forgiven_and_ranked_after() {
        let h = hay("Community choir at St Mary's, Walking netball");
        assert_eq!(search_match("choir", &h), Some(SearchMatch::Exact));
        // A letter wrong, missing, extra, two swapped.
        for typo in [
            "chiir",
            "choor walking",
            "chooir",
            "cohir",
            "walkign",
            "wlaking",
            "walkng",
            "nettball",
            "netbll",
        ] {
            assert_eq!(search_match(typo, &h), Some(SearchMatch::Near), "{typo}");
        }
        // Still the start of a word: a typo'd prefix of a longer word.
        assert_eq!(search_match("commu", &h), Some(SearchMatch::Exact));
        assert_eq!(search_match("comnu", &h), Some(SearchMatch::Near));
        // Two typos, or a typo in a short word, find nothing.
        assert_eq!(search_match("chiiir", &h), None);
        assert_eq!(search_match("wakkign", &h), None);
        assert_eq!(search_match("cjoi", &h), None);
        // Every word must be there.
        assert_eq!(search_match("choir garden", &h), None);
    }

    #[test]
    fn typed_accents_and_the_letters_of_many_languages_fold() {
        // Accents typed as combining marks, in the query or in the feed.
        let cafe = hay("Café Bar");
        assert_eq!(search_match("cafe\u{301}", &cafe), Some(SearchMatch::Exact));
        assert_eq!(
            search_match("cafe", &hay("Cafe\u{301} Bar")),
            Some(SearchMatch::Exact)
        );
        // Turkish dotted and dotless i, Polish, Czech, Romanian, Hungarian, Croatian,
        // Welsh and Icelandic letters.
        for (name, typed) in [
            ("İstanbul Kebab Club", "istanbul"),
            ("Işık Yoga", "isik"),
            ("Çağlar's Walk", "caglar"),
            ("Łódź Polish Club", "lodz"),
            ("Zażółć gęślą jaźń", "zazolc gesla jazn"),
            ("Dvořák Quartet, Brno", "dvorak"),
            (
                "Ďábelské Ťuky Ňadra Ěsky Ůdolí",
                "dabelske tuky nadra esky udoli",
            ),
            ("Ștefan and Țara, Brașov", "stefan tara brasov"),
            ("Şerban Ţepeş", "serban tepes"),
            ("Győr Hungarian Dance, Űrlap", "gyor urlap"),
            ("Đurđevac Croatian Club", "durdevac"),
            ("Ffordd y Ŵyr, Ỳr ẅyn", "wyr yr wyn"),
            ("Þórður", "thordur"),
        ] {
            assert_eq!(
                search_match(typed, &hay(name)),
                Some(SearchMatch::Exact),
                "{name}"
            );
            // Typed with the letters as they are, too.
            assert!(search_matches(name, &hay(name)), "{name}");
        }
    }

    #[test]
    fn narrowing_is_only_used_when_it_cannot_lose_a_match() {
        let w = |q| SearchWords::new(q);
        assert!(!w("walki").within(&w("walk"))); // "walk" was exact-only
        assert!(w("walkin").within(&w("walki")));
        assert!(w("cho").within(&w("ch")));
        assert!(w("cho walk").within(&w("cho")));
        assert!(!w("choir walk").within(&w("cho")));
        assert!(!w("cho").within(&w("choir")));
        // "xhoir" finds "choir" with a typo, which "xhoi" (too short to forgive) did not.
        assert!(!w("xhoir").within(&w("xhoi")));
        let h = hay("Choir");
        assert_eq!(search_match("xhoi", &h), None);
        assert_eq!(search_match("xhoir", &h), Some(SearchMatch::Near));
    }
}
