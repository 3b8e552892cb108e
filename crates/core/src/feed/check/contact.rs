//! How to reach an activity's organisers: safe links, email addresses and phone
//! numbers, each checked before it is kept.

use super::plain::truncate;
use crate::feed::{Out, Outcome};
use crate::model::Activity;
use std::fmt::Display;

/// Accept only links a person can safely follow: http(s), mailto and tel.
/// A link starting `www.` gets `https://` added (and is then checked like any other).
pub fn safe_link(s: &str) -> Result<String, String> {
    let t = s.trim();
    let starts = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let ok_scheme = ["https://", "http://", "mailto:", "tel:"]
        .into_iter()
        .any(starts);
    let link = if ok_scheme {
        t.to_string()
    } else if starts("www.") {
        format!("https://{t}")
    } else {
        return Err(format!(
            "link \"{}\" is not http(s), mailto or tel",
            truncate(t, 60)
        ));
    };
    if link
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
    {
        return Err(format!(
            "link \"{}\" contains spaces or quotes",
            truncate(t, 60)
        ));
    }
    if starts("http") && link.split("://").nth(1).is_none_or(str::is_empty) {
        return Err(format!(
            "link \"{}\" has no address after the scheme",
            truncate(t, 60)
        ));
    }
    Ok(link)
}

/// `s` without a case-insensitive ASCII `prefix`.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> &'a str {
    match s.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &s[prefix.len()..],
        _ => s,
    }
}

/// An email address, as a bare address (a `mailto:` prefix, in any case, is removed).
pub fn email(s: &str) -> Result<String, String> {
    let t = strip_prefix_ci(s.trim(), "mailto:");
    let ok = t.split_once('@').is_some_and(|(a, b)| {
        !a.is_empty()
            && b.contains('.')
            && !t
                .bytes()
                .any(|c| c.is_ascii_whitespace() || b"\x0b<>\"'(),;:".contains(&c))
            && (t.is_ascii() || !t.chars().any(char::is_whitespace))
    });
    if ok {
        Ok(t.to_string())
    } else {
        Err(format!(
            "email \"{}\" is not an email address",
            truncate(t, 60)
        ))
    }
}

/// A phone number as written, if it has enough digits to dial.
pub fn phone(s: &str) -> Result<String, String> {
    let t = strip_prefix_ci(s.trim(), "tel:");
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let allowed = t.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if (6..=16).contains(&digits) && allowed {
        Ok(t.to_string())
    } else {
        Err(format!(
            "phone \"{}\" is not a phone number",
            truncate(t, 40)
        ))
    }
}

/// Put a checked link, email or phone on the activity; report and drop a bad one.
pub fn set_contact(
    a: &mut Activity,
    website: Option<&str>,
    email_: Option<&str>,
    phone_: Option<&str>,
    at: impl Display,
    out: &mut Out,
) {
    if let Some(w) = website.filter(|s| !s.trim().is_empty()) {
        match safe_link(w) {
            Ok(w) => a.contact.website = Some(w),
            Err(why) => out.problem(
                format!("{at}/website"),
                Some(&a.id),
                why,
                Outcome::FieldDropped,
            ),
        }
    }
    if let Some(e) = email_.filter(|s| !s.trim().is_empty()) {
        match email(e) {
            Ok(e) => a.contact.email = Some(e),
            Err(why) => out.problem(
                format!("{at}/email"),
                Some(&a.id),
                why,
                Outcome::FieldDropped,
            ),
        }
    }
    if let Some(p) = phone_.filter(|s| !s.trim().is_empty()) {
        match phone(p) {
            Ok(p) => a.contact.phone = Some(p),
            Err(why) => out.problem(
                format!("{at}/phone"),
                Some(&a.id),
                why,
                Outcome::FieldDropped,
            ),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Reach {
    Website,
    Email,
    Phone,
}

/// Like [`set_contact`] for one field, but reporting at the field's own pointer.
/// Returns whether the value was kept.
pub fn set_reach(a: &mut Activity, reach: Reach, value: &str, at: &str, out: &mut Out) -> bool {
    if value.trim().is_empty() {
        return false;
    }
    let (slot, checked) = match reach {
        Reach::Website => (&mut a.contact.website, safe_link(value)),
        Reach::Email => (&mut a.contact.email, email(value)),
        Reach::Phone => (&mut a.contact.phone, phone(value)),
    };
    match checked {
        Ok(v) => {
            *slot = Some(v);
            true
        }
        Err(why) => {
            out.problem(
                at,
                Some(&a.id),
                format!("{why}; it is left out"),
                Outcome::FieldDropped,
            );
            false
        }
    }
}

/// Try candidate values (value, pointer) in order; the first usable one is kept and
/// each unusable one before it is reported.
pub fn set_first<const N: usize>(
    a: &mut Activity,
    reach: Reach,
    candidates: [Option<(&str, String)>; N],
    out: &mut Out,
) {
    for (value, at) in candidates.into_iter().flatten() {
        if set_reach(a, reach, value, &at, out) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_only_http_mailto_tel() {
        assert!(safe_link("https://example.org/a").is_ok());
        assert!(safe_link("mailto:a@b.org").is_ok());
        assert!(safe_link("tel:01234567890").is_ok());
        assert_eq!(
            safe_link("www.parkrun.org.uk/bushy").unwrap(),
            "https://www.parkrun.org.uk/bushy"
        );
        assert!(safe_link("javascript:alert(1)").is_err());
        assert!(safe_link("data:text/html,hi").is_err());
        assert!(safe_link("https://").is_err());
        assert!(safe_link("https://a b").is_err());
    }

    #[test]
    fn www_links_are_checked_too() {
        assert!(safe_link("www.example.org/a b").is_err());
        assert!(safe_link("www.example.org/\"onmouseover=x").is_err());
        assert!(safe_link("www.example.org/<script>").is_err());
    }

    #[test]
    fn emails_and_phones_with_mailto_and_tel_in_any_case() {
        assert_eq!(email("MAILTO:a@example.org").unwrap(), "a@example.org");
        assert_eq!(email("Mailto:a@example.org").unwrap(), "a@example.org");
        assert_eq!(phone("TEL:01632 960000").unwrap(), "01632 960000");
        assert!(email("someone@example.org").is_ok());
        assert!(email("not an email").is_err());
        assert!(phone("01493 123456").is_ok());
        assert!(phone("call us").is_err());
    }
}
