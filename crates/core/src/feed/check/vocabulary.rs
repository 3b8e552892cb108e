//! Words mapped onto our vocabularies: accessibility features, ways of joining, tags,
//! and categories guessed from keywords.

use crate::model::{Feature, Joining};

/// An accessibility feature id ([`Feature::parse`], without allocating for the canonical form).
pub fn feature(s: &str) -> Option<Feature> {
    Feature::ALL
        .into_iter()
        .find(|f| f.id() == s)
        .or_else(|| Feature::parse(s))
}

/// A way of joining ([`Joining::parse`], without allocating for the canonical form).
pub fn joining(s: &str) -> Option<Joining> {
    Joining::ALL
        .into_iter()
        .find(|j| j.id() == s)
        .or_else(|| Joining::parse(s))
}

/// Add a tag, lowercased, unless it is already there.
pub fn push_tag(tags: &mut Vec<String>, label: &str) {
    let t = label.trim().to_lowercase();
    if !t.is_empty() && !tags.contains(&t) {
        tags.push(t);
    }
}

/// Does `word` occur in `hay` at the start of a word? (`walk` matches "walking" but
/// `craft` does not match "aircraft".) Both should be lower case.
pub fn at_word_start(hay: &str, word: &str) -> bool {
    !word.is_empty()
        && hay.match_indices(word).any(|(i, _)| {
            hay[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
}

/// Words that plainly name a feature of the accessibility vocabulary.
const FEATURE_WORDS: &[(&str, Feature)] = &[
    ("wheelchair", Feature::Wheelchair),
    ("step-free", Feature::StepFree),
    ("step free", Feature::StepFree),
    ("level access", Feature::StepFree),
    ("changing places", Feature::ChangingPlaces),
    ("accessible toilet", Feature::AccessibleToilet),
    ("disabled toilet", Feature::AccessibleToilet),
    ("toilet", Feature::AccessibleToilet),
    ("hearing loop", Feature::HearingLoop),
    ("induction loop", Feature::HearingLoop),
    ("audio loop", Feature::HearingLoop),
    ("accessible parking", Feature::Parking),
    ("disabled parking", Feature::Parking),
    ("blue badge", Feature::Parking),
    ("seating", Feature::Seating),
    ("quiet space", Feature::QuietSpace),
    ("quiet room", Feature::QuietSpace),
    ("quiet area", Feature::QuietSpace),
    ("assistance dog", Feature::AssistanceDogs),
    ("guide dog", Feature::AssistanceDogs),
    ("british sign language", Feature::Bsl),
    ("bsl", Feature::Bsl),
    ("public transport", Feature::PublicTransport),
    ("bus stop", Feature::PublicTransport),
];

/// Add the features a piece of text plainly mentions ("Wheelchair access",
/// "induction loops"), ignoring negated mentions such as "no wheelchair access".
pub fn features_in(text: &str, into: &mut Vec<Feature>) {
    let hay = text.to_lowercase();
    for (word, feature) in FEATURE_WORDS {
        if !into.contains(feature) && mentions(&hay, word) {
            into.push(*feature);
        }
    }
}

fn mentions(hay: &str, word: &str) -> bool {
    hay.match_indices(word).any(|(i, _)| {
        let before = hay.get(..i).unwrap_or("");
        let starts_word = before
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let clause = before
            .rsplit(['.', ';', ',', '!', '?'])
            .next()
            .unwrap_or("");
        let negated = clause
            .split_whitespace()
            .rev()
            .take(3)
            .any(|w| matches!(w, "no" | "not" | "without" | "isn't" | "non"));
        starts_word && !negated
    })
}

/// Assign a category from keywords found at word starts in a record's text, using the
/// caller's rules first and then the documented defaults.
pub fn category_for(words: &str, rules: &[(String, String)]) -> String {
    let w = words.to_lowercase();
    for (kw, cat) in rules {
        if at_word_start(&w, &kw.to_lowercase()) {
            return cat.clone();
        }
    }
    for (kw, cat) in DEFAULT_CATEGORY_RULES {
        if at_word_start(&w, kw) {
            return (*cat).to_string();
        }
    }
    "hub".into()
}

/// The documented keyword → category mapping used by adapters (first match wins).
pub const DEFAULT_CATEGORY_RULES: &[(&str, &str)] = &[
    ("parkrun", "parkrun"),
    ("walk", "green"),
    ("garden", "green"),
    ("allotment", "green"),
    ("conservation", "green"),
    ("nature", "green"),
    ("green gym", "green"),
    ("swim", "green"),
    ("outdoor", "green"),
    ("cycling", "green"),
    ("history", "heritage"),
    ("museum", "heritage"),
    ("heritage", "heritage"),
    ("archaeolog", "heritage"),
    ("archive", "heritage"),
    ("craft", "heritage"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_from_keywords() {
        assert_eq!(category_for("Health Walk", &[]), "green");
        assert_eq!(category_for("Local History Society", &[]), "heritage");
        assert_eq!(category_for("Benefits advice", &[]), "hub");
        let rules = vec![("advice".to_string(), "support".to_string())];
        assert_eq!(category_for("Benefits advice", &rules), "support");
    }

    #[test]
    fn keywords_match_at_word_starts_only() {
        assert_eq!(category_for("Aircraft enthusiasts", &[]), "hub");
        assert_eq!(category_for("Signature cooking club", &[]), "hub");
        assert_eq!(category_for("Crafts and chat", &[]), "heritage");
        assert_eq!(category_for("Nature-friendly gardening", &[]), "green");
        assert_eq!(category_for("Sunday walking group", &[]), "green");
        let rules = vec![("art".to_string(), "arts".to_string())];
        assert_eq!(category_for("Party at the hall", &rules), "hub");
        assert_eq!(category_for("Art club", &rules), "arts");
    }

    #[test]
    fn features_from_plain_words() {
        let mut f = Vec::new();
        features_in(
            "Induction loops for hearing aids. Wheelchair access on all levels.",
            &mut f,
        );
        assert_eq!(f, [Feature::Wheelchair, Feature::HearingLoop]);
        let mut g = Vec::new();
        features_in(
            "Sorry, there is no wheelchair access. Visual impairment",
            &mut g,
        );
        assert!(g.is_empty());
    }
}
