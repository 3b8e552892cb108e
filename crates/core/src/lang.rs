//! The languages the finder speaks, and its words in each: message files (`locales/`),
//! plural rules, and filling in a message's blanks.
//!
//! A message file is plain text, one message per line, `key = text`; `#` starts a
//! comment line. A `{name}` in the text is a blank the app fills in. A message that
//! depends on a number has one line per plural form, `key[one] = …`, `key[other] = …`,
//! with the forms of that language (Unicode CLDR's: zero, one, two, few, many, other);
//! `other` is the one every language must have. English is built into the app; the
//! others are files fetched when chosen (so each person downloads only their own),
//! and a message missing from one falls back to English. `locales/README.md` says how
//! to add a language.
//!
//! ```
//! use activity_map_core::lang::{Lang, Messages};
//! let cy = Messages::parse(Lang::Cy, "found[one] = {n} gweithgaredd\nfound[two] = {n} weithgaredd\nfound[other] = {n} gweithgaredd\n").unwrap();
//! assert_eq!(cy.count("found", 2, &[]), "2 weithgaredd");
//! assert_eq!(Messages::english().count("results.count", 1_200, &[]), "1,200 activities");
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

/// The English messages, built in: every other language falls back to them.
const ENGLISH: &str = include_str!("../../../locales/en.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Cy,
    Ur,
}

/// A plural form (Unicode CLDR's categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Plural {
    fn name(self) -> &'static str {
        match self {
            Plural::Zero => "zero",
            Plural::One => "one",
            Plural::Two => "two",
            Plural::Few => "few",
            Plural::Many => "many",
            Plural::Other => "other",
        }
    }
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Cy, Lang::Ur];

    /// The code in links (`?lang=cy`) and the message file's name (`locales/cy.txt`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
            Lang::Ur => "ur",
        }
    }

    /// The page's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Cy => "cy-GB",
            Lang::Ur => "ur",
        }
    }

    /// The language's own name for itself, as the switcher lists it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
            Lang::Ur => "اردو",
        }
    }

    pub fn right_to_left(self) -> bool {
        self == Lang::Ur
    }

    /// `cy`, `CY`, `cy-GB`, `ur_PK` … (only the language counts); none for one we lack.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first of the browser's languages (most wanted first) that we have; English
    /// when none is.
    pub fn from_browser<S: AsRef<str>>(wanted: &[S]) -> Lang {
        wanted
            .iter()
            .find_map(|w| Lang::parse(w.as_ref()))
            .unwrap_or(Lang::En)
    }

    /// Which plural form a count takes (whole numbers; CLDR's rules).
    pub fn plural(self, n: u64) -> Plural {
        match self {
            Lang::En | Lang::Ur => match n {
                1 => Plural::One,
                _ => Plural::Other,
            },
            Lang::Cy => match n {
                0 => Plural::Zero,
                1 => Plural::One,
                2 => Plural::Two,
                3 => Plural::Few,
                6 => Plural::Many,
                _ => Plural::Other,
            },
        }
    }
}

/// One language's messages.
#[derive(Debug, Clone)]
pub struct Messages {
    lang: Lang,
    texts: HashMap<String, String>,
}

impl Messages {
    /// The built-in English messages.
    pub fn english() -> &'static Messages {
        static EN: OnceLock<Messages> = OnceLock::new();
        EN.get_or_init(|| {
            Messages::parse(Lang::En, ENGLISH).expect("locales/en.txt is checked by the tests")
        })
    }

    /// Reads a message file; the error lists each line that is not `key = text`.
    pub fn parse(lang: Lang, text: &str) -> Result<Messages, String> {
        let mut texts = HashMap::new();
        let mut bad = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_start_matches('\u{feff}').trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once('=') {
                // A line left empty is a message not yet translated: English stands in.
                Some((key, value)) if !key.trim().is_empty() && value.trim().is_empty() => {}
                Some((key, value)) if !key.trim().is_empty() => {
                    let old = texts.insert(key.trim().to_string(), value.trim().to_string());
                    if old.is_some() {
                        bad.push(format!("{} (`{}` again)", i + 1, key.trim()));
                    }
                }
                _ => bad.push((i + 1).to_string()),
            }
        }
        match bad.is_empty() {
            true => Ok(Messages { lang, texts }),
            false => Err(format!(
                "line {} of the {} messages is not `key = text`",
                bad.join(", "),
                lang.code()
            )),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Every key, for the tests that compare languages.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    /// The message's own text, if this language has it (no fallback).
    pub fn own(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// A message: this language's, else English, else nothing (which the tests make
    /// sure never happens: every key the code uses is in English).
    pub fn get(&self, key: &str) -> &str {
        self.own(key)
            .or_else(|| Messages::english().own(key))
            .unwrap_or("")
    }

    /// A message with its blanks filled: `fill("saved", &[("when", "3 Dec")])`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill_in(self.get(key), args)
    }

    /// A message that depends on a count, in the form this language gives that count;
    /// `{n}` is the count, with thousands grouped ("1,200").
    pub fn count(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let form = format!("{key}[{}]", self.lang.plural(n).name());
        let other = format!("{key}[other]");
        let text = self
            .own(&form)
            .or_else(|| self.own(&other))
            .or_else(|| {
                let en = Messages::english();
                en.own(&format!("{key}[{}]", Lang::En.plural(n).name()))
                    .or_else(|| en.own(&other))
            })
            .unwrap_or("");
        let n = grouped(n);
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill_in(text, &all)
    }

    /// Items joined as a list: "A", "A and B", "A, B and C".
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [head @ .., last] => {
                let comma = format!("{} ", self.get("list.comma"));
                self.fill("list.and", &[("a", &head.join(&comma)), ("b", last)])
            }
        }
    }
}

/// `{name}` replaced by its value; a blank with no value is left as it is.
fn fill_in(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// "1,234,567".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanks(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// A file of the repository, by its path from the root.
    fn repo_file(path: &str) -> String {
        let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
    }

    /// Each file shipped beside the app, as text and parsed as the app reads it.
    fn shipped() -> Vec<(Messages, String)> {
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let text = repo_file(&format!("locales/{}.txt", lang.code()));
                (Messages::parse(lang, &text).unwrap(), text)
            })
            .collect()
    }

    fn base(key: &str) -> &str {
        key.split('[').next().unwrap()
    }

    #[test]
    fn every_language_is_complete_and_has_the_same_blanks() {
        let en = Messages::english();
        for (m, text) in shipped() {
            if m.lang() != Lang::En {
                assert!(
                    text.contains("native speaker"),
                    "{}.txt should say that a native speaker should review it",
                    m.lang().code()
                );
            }
            for key in en.keys() {
                let plural = key.contains('[');
                let has = match plural {
                    true => m.own(&format!("{}[other]", base(key))).is_some(),
                    false => m.own(key).is_some(),
                };
                assert!(has, "{}.txt lacks {key}", m.lang().code());
                if !plural {
                    assert_eq!(
                        blanks(m.get(key)),
                        blanks(en.get(key)),
                        "{} {key}",
                        m.lang().code()
                    );
                }
            }
            for key in m.keys() {
                let known =
                    en.own(key).is_some() || en.own(&format!("{}[other]", base(key))).is_some();
                assert!(
                    known,
                    "{}.txt has {key}, which English lacks",
                    m.lang().code()
                );
                let form = key.split_once('[').map(|(_, f)| f.trim_end_matches(']'));
                if let Some(form) = form {
                    let forms = ["zero", "one", "two", "few", "many", "other"];
                    assert!(forms.contains(&form), "{key}: no such plural form");
                    let mut in_en = blanks(en.own(&format!("{}[other]", base(key))).unwrap());
                    in_en.retain(|b| *b != "n");
                    let mut here = blanks(m.own(key).unwrap());
                    here.retain(|b| *b != "n");
                    assert_eq!(here, in_en, "{} {key}", m.lang().code());
                }
            }
        }
    }

    /// Every key the code asks for is in English (so no one ever sees a key).
    #[test]
    fn every_key_the_code_uses_is_in_english() {
        let en = Messages::english();
        let root = format!("{}/../..", env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["src", "crates/core/src"] {
            collect_rust(&std::path::Path::new(&root).join(dir), &mut files);
        }
        let mut used = 0;
        // This file's own tests use made-up keys.
        files.retain(|f| !f.ends_with("lang.rs"));
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            // Calls written as `.t("key")`, `.get("key")`, `.fill("key"`, `.count("key"`.
            for call in ["t(\"", ".get(\"", ".fill(\"", ".count(\""] {
                for piece in text.split(call).skip(1) {
                    let key = piece.split('"').next().unwrap();
                    let looks_like_key = key.contains('.')
                        && key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
                    if !looks_like_key {
                        continue;
                    }
                    used += 1;
                    let known = en.own(key).is_some() || en.own(&format!("{key}[other]")).is_some();
                    assert!(
                        known,
                        "{} asks for {key}, which locales/en.txt lacks",
                        file.display()
                    );
                }
            }
        }
        assert!(
            used > 100,
            "only {used} keys found: has the way messages are asked for changed?"
        );
    }

    fn collect_rust(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect_rust(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Keys made from ids (`feature.{id}`, `weekday.{code}` …) are in English too.
    #[test]
    fn every_named_thing_has_words() {
        use crate::model::{builtin_categories, category_label, Feature, Joining, Weekday};
        use crate::schedule::DayPart;
        let en = Messages::english();
        let mut words: Vec<String> = Vec::new();
        words.extend(Feature::ALL.iter().map(|f| f.label(en).to_string()));
        words.extend(Joining::ALL.iter().map(|j| j.label(en).to_string()));
        words.extend(DayPart::ALL.iter().map(|p| p.label(en).to_string()));
        words.extend(
            builtin_categories()
                .iter()
                .map(|c| category_label(c, en).to_string()),
        );
        for w in Weekday::ALL {
            for key in ["", ".every", ".short"] {
                words.push(en.get(&format!("weekday.{}{key}", w.code())).to_string());
            }
        }
        words.extend((1..=12).map(|m| en.get(&format!("month.{m}")).to_string()));
        assert!(words.iter().all(|w| !w.is_empty()), "{words:?}");
        assert_eq!(words.len(), 11 + 3 + 3 + 4 + 21 + 12);
    }

    /// The page starts fetching a language's words before the app has loaded
    /// (assets/early-feed.js), from its own list of the languages in `locales/`; the
    /// build (index.html) copies their files.
    #[test]
    fn the_early_download_knows_every_language() {
        let js = repo_file("assets/early-feed.js");
        let others: Vec<String> = Lang::ALL
            .into_iter()
            .filter(|l| *l != Lang::En)
            .map(|l| format!("'{}'", l.code()))
            .collect();
        let list = format!("var others = [{}];", others.join(", "));
        assert!(js.contains(&list), "assets/early-feed.js should say {list}");
        // It also sets the page's direction for a right-to-left language.
        let rtl: Vec<String> = Lang::ALL
            .into_iter()
            .filter(|l| l.right_to_left())
            .map(|l| format!("'{}'", l.code()))
            .collect();
        let list = format!("var rtl = [{}];", rtl.join(", "));
        assert!(js.contains(&list), "assets/early-feed.js should say {list}");
        // So does the widget loader, for its own lines before the app has loaded, which
        // in English are en.txt's.
        let widget = repo_file("assets/widget.js");
        let list = format!("const others = [{}];", others.join(", "));
        assert!(widget.contains(&list), "assets/widget.js should say {list}");
        for key in ["boot.loading", "widget.failed"] {
            let line = format!("'{key}': '{}',", Messages::english().get(key));
            assert!(widget.contains(&line), "assets/widget.js should say {line}");
        }
        // The page's title and its own "Loading…" line are the English ones.
        let title = format!(
            "<title>{}</title>",
            Messages::english().get("app.page_title")
        );
        let page = repo_file("index.html");
        assert!(
            page.contains(&title),
            "index.html's title should be locales/en.txt's app.page_title"
        );
        let boot = format!(
            r#"id="am-boot" role="status">{}<"#,
            Messages::english().get("boot.loading")
        );
        assert!(
            page.contains(&boot),
            "index.html's boot line should be locales/en.txt's boot.loading"
        );
        // And the build copies each one beside the app.
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let copy = format!(
                r#"href="locales/{}.txt" data-target-path="locales""#,
                lang.code()
            );
            assert!(
                page.contains(&copy),
                "index.html should copy locales/{}.txt into the build",
                lang.code()
            );
        }
    }

    #[test]
    fn welsh_plurals_follow_cldr() {
        let forms: Vec<Plural> = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 100]
            .into_iter()
            .map(|n| Lang::Cy.plural(n))
            .collect();
        use Plural::*;
        assert_eq!(
            forms,
            [Zero, One, Two, Few, Other, Other, Many, Other, Other, Other, Other]
        );
        assert_eq!(Lang::Ur.plural(1), One);
        assert_eq!(Lang::Ur.plural(0), Other);
        assert_eq!(Lang::En.plural(2), Other);
    }

    #[test]
    fn counts_choose_their_form_and_fall_back() {
        let cy = Messages::parse(
            Lang::Cy,
            "x[zero] = dim\nx[one] = un\nx[two] = dau {n}\nx[other] = {n} arall\n",
        )
        .unwrap();
        assert_eq!(cy.count("x", 0, &[]), "dim");
        assert_eq!(cy.count("x", 2, &[]), "dau 2");
        // No `few` line: `other` is used.
        assert_eq!(cy.count("x", 3, &[]), "3 arall");
        assert_eq!(cy.count("x", 12_345, &[]), "12,345 arall");
    }

    #[test]
    fn missing_messages_fall_back_to_english() {
        let cy = Messages::parse(Lang::Cy, "# nothing yet\n").unwrap();
        assert_eq!(cy.get("app.title"), Messages::english().get("app.title"));
        assert_eq!(cy.get("no.such.key"), "");
    }

    #[test]
    fn blanks_are_filled_and_others_left() {
        assert_eq!(fill_in("{a} and {b}", &[("a", "x"), ("b", "y")]), "x and y");
        assert_eq!(fill_in("{a} {missing} {", &[("a", "x")]), "x {missing} {");
        assert_eq!(fill_in("no blanks", &[]), "no blanks");
    }

    #[test]
    fn bad_lines_are_named() {
        let err =
            Messages::parse(Lang::Cy, "ok = yes\nthis line has no equals\n= no key\n").unwrap_err();
        assert!(err.contains("line 2, 3"), "{err}");
        let twice = Messages::parse(Lang::Cy, "a = 1\nb = 2\na = 3\n").unwrap_err();
        assert!(twice.contains("3 (`a` again)"), "{twice}");
        // A value may hold `=`; an empty one is a message not yet translated.
        let m = Messages::parse(Lang::Cy, "a = x = y\napp.title =\n").unwrap();
        assert_eq!(m.get("a"), "x = y");
        assert_eq!(m.get("app.title"), Messages::english().get("app.title"));
    }

    #[test]
    fn languages_from_links_and_browsers() {
        assert_eq!(Lang::parse("cy-GB"), Some(Lang::Cy));
        assert_eq!(Lang::parse("UR_pk"), Some(Lang::Ur));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::from_browser(&["fr-FR", "ur-PK", "en"]), Lang::Ur);
        assert_eq!(Lang::from_browser(&["de"]), Lang::En);
        assert_eq!(Lang::from_browser::<&str>(&[]), Lang::En);
    }

    #[test]
    fn lists() {
        let en = Messages::english();
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(en.list(&items(&["A"])), "A");
        assert_eq!(en.list(&items(&["A", "B"])), "A and B");
        assert_eq!(en.list(&items(&["A", "B", "C"])), "A, B and C");
    }
}
