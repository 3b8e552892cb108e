//! Feed text made safe to show: tags removed, entities decoded, white space folded,
//! and long text cut.

/// Longest text kept from any one field; longer text is cut with an ellipsis.
const MAX_TEXT: usize = 4000;

/// Turn feed text into plain text: tags removed, entities decoded, white space
/// folded. The result is only ever shown as text, never as HTML.
pub fn plain_text(s: &str) -> String {
    clean_text(s).0
}

/// [`plain_text`], and whether any HTML tags were removed.
pub fn clean_text(s: &str) -> (String, bool) {
    if is_plain(s) {
        return (s.to_string(), false);
    }
    let (stripped, tags) = strip_tags(s);
    let decoded = decode_entities(&stripped);
    let mut folded = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    if folded.len() > MAX_TEXT && folded.chars().count() > MAX_TEXT {
        folded = folded.chars().take(MAX_TEXT).collect::<String>() + "…";
    }
    (folded, tags)
}

/// Text that [`plain_text`] would return unchanged: no `<` or `&`, single spaces
/// only between words, and short enough. Most feed text is like this.
fn is_plain(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > MAX_TEXT || b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut prev_space = false;
    let mut non_ascii = false;
    for &c in b {
        match c {
            b'<' | b'&' | b'\t'..=b'\r' => return false,
            b' ' if prev_space => return false,
            b' ' => prev_space = true,
            _ => {
                prev_space = false;
                non_ascii |= c >= 0x80;
            }
        }
    }
    !non_ascii || !s.chars().any(|c| !c.is_ascii() && c.is_whitespace())
}

/// Where the next tag starting at or after `from` is: `<` followed by a letter, `/`
/// or `!`, up to the next `>`. A `<` with no `>` after it is not a tag.
fn next_tag(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(off) = b.get(i..)?.iter().position(|&c| c == b'<') {
        let lt = i + off;
        if b.get(lt + 1)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/' || c == b'!')
        {
            // No `>` anywhere after this means no later `<` can start a tag either.
            let gt = b[lt + 1..].iter().position(|&c| c == b'>')?;
            return Some((lt, lt + 1 + gt + 1));
        }
        i = lt + 1;
    }
    None
}

/// Remove tags, leaving a space where each was. A bare `<` ("lasts <1 hour") is text.
fn strip_tags(s: &str) -> (String, bool) {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut any = false;
    while let Some((start, end)) = next_tag(b, copied) {
        // `<` and `>` are ASCII, so these are character boundaries.
        out.push_str(&s[copied..start]);
        out.push(' ');
        copied = end;
        any = true;
    }
    out.push_str(&s[copied..]);
    (out, any)
}

/// Named entities we decode; numeric ones (`&#8211;`, `&#x2013;`) are decoded too.
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("pound", '£'),
    ("euro", '€'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("copy", '©'),
    ("eacute", 'é'),
];

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if (1..=6).contains(&hex.len()) => u32::from_str_radix(hex, 16).ok()?,
            Some(_) => return None,
            None if (1..=7).contains(&num.len()) && num.bytes().all(|c| c.is_ascii_digit()) => {
                num.parse().ok()?
            }
            None => return None,
        };
        // Control characters (other than white space) are not text.
        return char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace());
    }
    ENTITIES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// Decode entities in one pass, so `&amp;lt;` becomes `&lt;`, not `<`. Unknown
/// entities are left as written.
fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.bytes().take(10).position(|c| c == b';');
        if let Some(c) = semi.and_then(|i| entity(&after[..i])) {
            out.push(c);
            rest = &after[semi.unwrap_or(0) + 1..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
    out.into()
}

/// `s` cut to `n` characters, with an ellipsis when anything was cut.
pub fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n || s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Does this contain HTML tags (which [`plain_text`] removes)?
    fn looks_like_html(s: &str) -> bool {
        next_tag(s.as_bytes(), 0).is_some()
    }

    #[test]
    fn plain_text_strips_tags_and_decodes() {
        assert_eq!(
            plain_text("<p>Tea &amp; <b>cake</b></p>\n\n  here"),
            "Tea & cake here"
        );
        assert_eq!(plain_text("<script>alert(1)</script>"), "alert(1)");
        assert_eq!(plain_text("<!-- note -->Hi"), "Hi");
        assert_eq!(plain_text("plain words"), "plain words");
        assert_eq!(plain_text("  spaced\u{a0} out  "), "spaced out");
    }

    #[test]
    fn a_bare_less_than_is_text() {
        assert_eq!(
            plain_text("Walk lasts <1 hour, then tea"),
            "Walk lasts <1 hour, then tea"
        );
        assert_eq!(plain_text("a < b"), "a < b");
        assert_eq!(plain_text("a <b and no close"), "a <b and no close");
        assert_eq!(plain_text("<3 our <i>volunteers</i>"), "<3 our volunteers");
        assert!(!looks_like_html("ages <16 welcome"));
        assert!(!looks_like_html("x <y"));
        assert!(looks_like_html("a <br> b"));
    }

    #[test]
    fn entities_named_and_numeric() {
        assert_eq!(
            plain_text("10&#8211;12 &#x2013; &#X2014; &pound;3 &ndash;"),
            "10–12 – — £3 –"
        );
        assert_eq!(plain_text("&amp;lt;b&amp;gt;"), "&lt;b&gt;");
        assert_eq!(plain_text("&lt;b&gt; stays"), "<b> stays");
        assert_eq!(
            plain_text("&#0; &#xD800; &#99999999; &bogus; AT&T"),
            "&#0; &#xD800; &#99999999; &bogus; AT&T"
        );
    }
}
