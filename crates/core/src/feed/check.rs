//! Field checks shared by every adapter: plain text, safe links, coordinates, dates,
//! times and days, plus the small readers more than one adapter needs (ages, prices,
//! accessibility words, contact details tried in order).

use super::json::{Json, Kind};
use super::{Out, Outcome};
use crate::model::{Activity, AgeRange, Feature, Joining, Location, Time, Weekday};
use serde_json::{Map, Value};
use std::fmt::Display;

/// Longest text kept from any one field; longer text is cut with an ellipsis.
const MAX_TEXT: usize = 4000;

// ---------------------------------------------------------------- text

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

/// Does this contain HTML tags (which [`plain_text`] removes)?
pub fn looks_like_html(s: &str) -> bool {
    next_tag(s.as_bytes(), 0).is_some()
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

pub fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n || s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

/// A non-empty string field as plain text (a number becomes text).
pub fn text<V: Json>(v: Option<&V>) -> Option<String> {
    match v?.kind() {
        Kind::Str(s) => {
            let t = plain_text(s);
            (!t.is_empty()).then_some(t)
        }
        Kind::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A required text field: `Ok(text)`, or why it cannot be used.
pub fn required_text<V: Json>(v: Option<&V>, name: &str) -> Result<String, String> {
    match v.map(Json::kind) {
        None | Some(Kind::Null) | Some(Kind::Str(_)) => {
            text(v).ok_or(format!("required field {name} is missing"))
        }
        Some(Kind::Number(_)) => Ok(text(v).unwrap_or_default()),
        Some(_) => Err(format!("{name} must be text or a number")),
    }
}

/// A number that may have been written as a string (common in real feeds).
pub fn number<V: Json>(v: &V) -> Option<f64> {
    match v.kind() {
        Kind::Number(n) => n.as_f64(),
        Kind::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Read a field from an object by trying several names (a null counts as missing).
pub fn first_of<'a, V: Json>(obj: &'a V, keys: &[&str]) -> Option<&'a V> {
    keys.iter()
        .find_map(|k| obj.get(k).filter(|v| !v.is_null()))
}

/// Read a field from an object by trying several names.
pub fn first<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .find_map(|k| obj.get(*k).filter(|v| !v.is_null()))
}

/// Add a tag, lowercased, unless it is already there.
pub fn push_tag(tags: &mut Vec<String>, label: &str) {
    let t = label.trim().to_lowercase();
    if !t.is_empty() && !tags.contains(&t) {
        tags.push(t);
    }
}

/// Does a cost written in words say it is free? It must start with the word "free"
/// ("Free", "free, donations welcome"; not "Freedom Pass holders £2").
pub fn says_free(s: &str) -> bool {
    let t = s.trim_start().as_bytes();
    t.len() >= 4
        && t[..4].eq_ignore_ascii_case(b"free")
        && t.get(4).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// An address without a leading repeat of the place name: place "Eaton Park" and
/// address "Eaton Park, Norwich" give "Norwich"; an address that is only the place
/// name gives none. ("Eaton Park Road, Norwich" is left alone.)
pub fn address_after_place(place: Option<&str>, address: Option<String>) -> Option<String> {
    let Some(place) = place.map(str::trim).filter(|p| !p.is_empty()) else {
        return address;
    };
    let address = address?;
    let head = address
        .get(..place.len())
        .filter(|h| h.eq_ignore_ascii_case(place));
    let rest = head
        .and_then(|_| address.get(place.len()..))
        .map(str::trim_start);
    match rest {
        Some("") => None,
        Some(r) if r.starts_with(',') => {
            let r = r.trim_start_matches([',', ' ']).trim();
            (!r.is_empty()).then(|| r.to_string())
        }
        _ => Some(address),
    }
}

// ---------------------------------------------------------------- links

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

// ---------------------------------------------------------------- places

pub fn lat_lng(lat: f64, lng: f64) -> Result<(), String> {
    if !lat.is_finite() || !lng.is_finite() {
        return Err("coordinates are not numbers".into());
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90..90"));
    }
    if !(-180.0..=180.0).contains(&lng) {
        return Err(format!("longitude {lng} is outside -180..180"));
    }
    if lat == 0.0 && lng == 0.0 {
        return Err("coordinates are 0,0 (in the ocean off Africa): probably missing".into());
    }
    Ok(())
}

/// Set an activity's point after checking it. A bad point keeps the listing without a
/// pin. Returns whether a problem was reported.
pub fn set_point(
    a: &mut Activity,
    lat: Option<f64>,
    lng: Option<f64>,
    at: impl Display,
    out: &mut Out,
) -> bool {
    match (lat, lng) {
        (Some(lat), Some(lng)) => match lat_lng(lat, lng) {
            Ok(()) => {
                a.location.lat = Some(lat);
                a.location.lng = Some(lng);
                false
            }
            Err(why) => {
                out.problem(
                    at,
                    Some(&a.id),
                    format!("{why}; listed without a pin"),
                    Outcome::NoPin,
                );
                true
            }
        },
        (None, None) => false,
        _ => {
            out.problem(
                at,
                Some(&a.id),
                "only one of latitude and longitude is given; listed without a pin",
                Outcome::NoPin,
            );
            true
        }
    }
}

/// A location with neither a pin nor an online/area marker gets a note, not a
/// rejection, unless a problem about its point was already `reported`.
pub fn note_missing_place(a: &Activity, at: impl Display, reported: bool, out: &mut Out) {
    let Location {
        lat, online, area, ..
    } = &a.location;
    if lat.is_none() && !online && area.is_none() && !reported {
        out.problem(
            at,
            Some(&a.id),
            "no coordinates: listed without a pin",
            Outcome::NoPin,
        );
    }
}

/// Build a one-line address from parts, skipping empty ones.
pub fn join_address(parts: &[Option<String>]) -> Option<String> {
    let s: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!s.is_empty()).then(|| s.join(", "))
}

// ---------------------------------------------------------------- dates and times

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD`, optionally followed by a time (`T10:00…`, or a space and a time).
/// The date must exist: 31 February is not a date.
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let d = s.get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return None;
    }
    let rest = &s.as_bytes()[10..];
    let time_follows = matches!(rest.first(), Some(b'T' | b't' | b' '))
        && rest.get(1).is_some_and(u8::is_ascii_digit);
    if !rest.is_empty() && !time_follows {
        return None;
    }
    let y: u32 = d[..4].parse().ok()?;
    let m: u32 = d[5..7].parse().ok()?;
    let day: u32 = d[8..10].parse().ok()?;
    ((1..=12).contains(&m) && day >= 1 && day <= days_in_month(y, m)).then(|| d.to_string())
}

/// `MM` at the start of `s` (exactly two digits), under 60.
fn minutes(s: &str) -> Option<(u16, &str)> {
    let m = s.get(..2)?;
    if !m.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let m: u16 = m.parse().ok()?;
    (m < 60).then(|| (m, &s[2..]))
}

/// One or two digits of hour at the start of `s`.
fn hours(s: &str) -> Option<(u16, &str)> {
    let n = s.bytes().take(2).take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// A time zone after a time (ignored, as all times are UK clock time): `Z`, `+01:00`, `-0500`.
fn is_zone(z: &str) -> bool {
    let b = z.as_bytes();
    match b.first() {
        None => true,
        Some(b'z' | b'Z') => b.len() == 1,
        Some(b'+' | b'-') => {
            let rest: Vec<u8> = b[1..].iter().copied().filter(|c| *c != b':').collect();
            (rest.len() == 2 || rest.len() == 4) && rest.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// A time of day: 24-hour `9:00`, `09:00`, `09:00:00`, `T09:00`, `9.30` (a zone after
/// it is ignored), or with am/pm: `7pm`, `7:30pm`, `7.30 p.m.`, `12am` (midnight);
/// `noon` and `midday` are 12:00. Anything else is refused, never guessed.
pub fn time(raw: &str) -> Result<Time, String> {
    let s = raw.trim();
    // The common case, `HH:MM` or `H:MM`, without allocating.
    if let [h @ .., b':', m1, m2] = s.as_bytes() {
        if (1..=2).contains(&h.len()) && h.iter().chain([m1, m2]).all(u8::is_ascii_digit) {
            let h = h.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
            let m = u16::from(m1 - b'0') * 10 + u16::from(m2 - b'0');
            if h < 24 && m < 60 {
                return Ok(Time::hm(h, m));
            }
        }
    }
    let bad = || {
        format!(
            "\"{}\" is not a time (write 24-hour HH:MM such as 19:30, or with am/pm such as 7:30pm)",
            truncate(s, 20)
        )
    };
    let lower = s.to_ascii_lowercase();
    if lower == "noon" || lower == "midday" {
        return Ok(Time::hm(12, 0));
    }
    let meridiem = ["pm", "p.m.", "p.m", "am", "a.m.", "a.m"]
        .iter()
        .find_map(|suffix| {
            lower
                .strip_suffix(suffix)
                .map(|body| (body.trim_end(), suffix.starts_with('p')))
        });
    if let Some((body, pm)) = meridiem {
        let (h, rest) = hours(body).ok_or_else(bad)?;
        let (m, rest) = match rest.strip_prefix([':', '.']) {
            Some(r) => minutes(r).ok_or_else(bad)?,
            None => (0, rest),
        };
        if !rest.is_empty() || !(1..=12).contains(&h) {
            return Err(bad());
        }
        return Ok(Time::hm(h % 12 + if pm { 12 } else { 0 }, m));
    }
    let body = lower.strip_prefix('t').unwrap_or(&lower);
    let (h, rest) = hours(body).ok_or_else(bad)?;
    let (sep, rest) = match rest.strip_prefix(':') {
        Some(r) => (':', r),
        None => ('.', rest.strip_prefix('.').ok_or_else(bad)?),
    };
    let (m, mut rest) = minutes(rest).ok_or_else(bad)?;
    if sep == ':' {
        if let Some(r) = rest.strip_prefix(':') {
            let (_, r) = minutes(r).ok_or_else(bad)?; // seconds, ignored
            rest = r
                .strip_prefix('.')
                .map_or(r, |f| f.trim_start_matches(|c: char| c.is_ascii_digit()));
        }
        if !is_zone(rest) {
            return Err(bad());
        }
    } else if !rest.is_empty() {
        return Err(bad());
    }
    if h >= 24 {
        return Err(format!(
            "\"{}\" is not a time: hours run from 0 to 23",
            truncate(s, 20)
        ));
    }
    Ok(Time::hm(h, m))
}

/// A day of the week: anything [`Weekday::parse`] reads, plus plurals and common
/// short forms (`Mondays`, `Weds`, `Tues`, `Thurs`).
pub fn weekday(s: &str) -> Option<Weekday> {
    if let Some(day) = Weekday::ALL.into_iter().find(|d| d.code() == s) {
        return Some(day);
    }
    Weekday::parse(s).or_else(|| {
        let t = s.trim();
        let t = t.rsplit('/').next().unwrap_or(t);
        let singular = t.strip_suffix(['s', 'S'])?;
        (singular.len() >= 3)
            .then(|| Weekday::parse(singular))
            .flatten()
    })
}

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

/// An end time after `start`, or `None` (reporting a bad one; midnight means "until late").
pub fn end_time(
    v: Option<&Value>,
    start: Time,
    at: &str,
    key: &str,
    a: &Activity,
    out: &mut Out,
) -> Option<Time> {
    let raw = v.and_then(Value::as_str).filter(|s| !s.trim().is_empty())?;
    match time(raw) {
        Ok(Time(0)) => None,
        Ok(e) if e > start => Some(e),
        Ok(e) => {
            out.problem(
                at,
                Some(&a.id),
                format!("{key} {e} is not after the start time {start}; shown without an end time"),
                Outcome::FieldDropped,
            );
            None
        }
        Err(why) => {
            out.problem(
                at,
                Some(&a.id),
                format!("{key} {why}; shown without an end time"),
                Outcome::FieldDropped,
            );
            None
        }
    }
}

/// "1st Saturday of the month", "last Friday of the month".
pub fn month_note(week: i64, days: &[Weekday]) -> String {
    let nth = |n: i64| {
        let suffix = match (n % 10, n % 100) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        format!("{n}{suffix}")
    };
    let which = match week {
        -1 => "last".to_string(),
        w if w < 0 => format!("{} to last", nth(-w)),
        w => nth(w),
    };
    let names: Vec<&str> = days.iter().map(|d| d.name()).collect();
    format!("{which} {} of the month", names.join(" and "))
}

// ---------------------------------------------------------------- ages and money

/// An age in years from a number (or numeric string), capped at 120.
pub fn age<V: Json>(v: &V) -> Option<u8> {
    number(v)
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map(|n| n.min(120.0) as u8)
}

/// Set the activity's ages, unless `min` is above `max` (reported; ages left out).
pub fn set_ages(
    a: &mut Activity,
    min: Option<u8>,
    max: Option<u8>,
    at: impl Display,
    out: &mut Out,
) {
    match (min, max) {
        (None, None) => {}
        (Some(lo), Some(hi)) if lo > hi => out.problem(
            at,
            Some(&a.id),
            format!("minimum age {lo} is above maximum age {hi}; ages are left out"),
            Outcome::FieldDropped,
        ),
        _ => a.ages = Some(AgeRange { min, max }),
    }
}

/// `£3.50`, `£10`, `€4`; unknown currencies are written after the amount.
pub fn money(amount: f64, currency: &str) -> String {
    let n = if amount.fract() == 0.0 {
        format!("{amount:.0}")
    } else {
        format!("{amount:.2}")
    };
    match currency.trim().to_ascii_uppercase().as_str() {
        "" | "GBP" => format!("£{n}"),
        "EUR" => format!("€{n}"),
        "USD" => format!("${n}"),
        other => format!("{n} {}", truncate(other, 3)),
    }
}

// ---------------------------------------------------------------- words

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
    fn mailto_and_tel_in_any_case() {
        assert_eq!(email("MAILTO:a@example.org").unwrap(), "a@example.org");
        assert_eq!(email("Mailto:a@example.org").unwrap(), "a@example.org");
        assert_eq!(phone("TEL:01632 960000").unwrap(), "01632 960000");
    }

    #[test]
    fn coordinates_in_range() {
        assert!(lat_lng(52.6, 1.7).is_ok());
        assert!(lat_lng(100.0, 101.0).unwrap_err().contains("latitude 100"));
        assert!(lat_lng(0.0, 0.0).is_err());
        assert!(lat_lng(f64::NAN, 1.0).is_err());
    }

    #[test]
    fn dates_and_contacts() {
        assert_eq!(
            iso_date("2026-11-23T10:00:00Z").as_deref(),
            Some("2026-11-23")
        );
        assert_eq!(iso_date("2026-11-23 10:00").as_deref(), Some("2026-11-23"));
        assert_eq!(iso_date("2026-13-01"), None);
        assert_eq!(iso_date("23/11/2026"), None);
        assert!(email("someone@example.org").is_ok());
        assert!(email("not an email").is_err());
        assert!(phone("01493 123456").is_ok());
        assert!(phone("call us").is_err());
    }

    #[test]
    fn impossible_dates_and_trailing_junk_are_refused() {
        assert_eq!(iso_date("2026-02-31"), None);
        assert_eq!(iso_date("2026-02-29"), None);
        assert_eq!(iso_date("2028-02-29").as_deref(), Some("2028-02-29"));
        assert_eq!(iso_date("2000-02-29").as_deref(), Some("2000-02-29"));
        assert_eq!(iso_date("2100-02-29"), None);
        assert_eq!(iso_date("2026-04-31"), None);
        assert_eq!(iso_date("2026-04-30").as_deref(), Some("2026-04-30"));
        assert_eq!(iso_date("2026-04-300"), None);
        assert_eq!(iso_date("2026-04-30 and May"), None);
        assert_eq!(iso_date("2026-04-30T"), None);
        assert_eq!(iso_date("2026-04-30Tea"), None);
        assert_eq!(iso_date("2026-04-00"), None);
    }

    #[test]
    fn times_with_am_pm_and_refusals() {
        let t = |s: &str| time(s).map(|t| t.to_string());
        assert_eq!(t("7:00pm").as_deref(), Ok("19:00"));
        assert_eq!(t("7pm").as_deref(), Ok("19:00"));
        assert_eq!(t("7.30pm").as_deref(), Ok("19:30"));
        assert_eq!(t("7.30 p.m.").as_deref(), Ok("19:30"));
        assert_eq!(t("7:30 AM").as_deref(), Ok("7:30"));
        assert_eq!(t("12pm").as_deref(), Ok("12:00"));
        assert_eq!(t("12am").as_deref(), Ok("0:00"));
        assert_eq!(t("12:15am").as_deref(), Ok("0:15"));
        assert_eq!(t("noon").as_deref(), Ok("12:00"));
        assert_eq!(t("09:00").as_deref(), Ok("9:00"));
        assert_eq!(t("9:00").as_deref(), Ok("9:00"));
        assert_eq!(t("T09:00").as_deref(), Ok("9:00"));
        assert_eq!(t("09:00:00").as_deref(), Ok("9:00"));
        assert_eq!(t("09:00:00.000Z").as_deref(), Ok("9:00"));
        assert_eq!(t("20:15:00+01:00").as_deref(), Ok("20:15"));
        assert_eq!(t("9.30").as_deref(), Ok("9:30"));
        for bad in [
            "13pm",
            "0am",
            "19:00pm",
            "7:3pm",
            "7:60pm",
            "10:00 tea",
            "24:00",
            "9",
            "ten",
            "",
            "7:00p",
            "9:00:0",
            "1:00 pm please",
        ] {
            assert!(time(bad).is_err(), "{bad} should be refused");
        }
        assert!(time("7:00pmx").unwrap_err().contains("7:00pmx"));
    }

    #[test]
    fn days_with_plurals_and_short_forms() {
        assert_eq!(weekday("Mondays"), Some(Weekday::Mon));
        assert_eq!(weekday("Weds"), Some(Weekday::Wed));
        assert_eq!(weekday("Tues"), Some(Weekday::Tue));
        assert_eq!(weekday("Thurs"), Some(Weekday::Thu));
        assert_eq!(weekday("thursdays"), Some(Weekday::Thu));
        assert_eq!(weekday("https://schema.org/Sunday"), Some(Weekday::Sun));
        assert_eq!(weekday("money"), None);
        assert_eq!(weekday("moss"), None);
        assert_eq!(weekday("s"), None);
    }

    #[test]
    fn free_and_addresses() {
        assert!(says_free("Free"));
        assert!(says_free("FREE, donations welcome"));
        assert!(says_free(" free"));
        assert!(!says_free("Freedom Pass holders £2"));
        assert!(!says_free("£2, free for under 5s"));
        let a = |p: &str, ad: &str| address_after_place(Some(p), Some(ad.to_string()));
        assert_eq!(
            a("Eaton Park", "Eaton Park, Norwich").as_deref(),
            Some("Norwich")
        );
        assert_eq!(
            a("Eaton Park", "eaton park,Norwich").as_deref(),
            Some("Norwich")
        );
        assert_eq!(a("Eaton Park", "Eaton Park"), None);
        assert_eq!(
            a("Eaton Park", "Eaton Park Road, Norwich").as_deref(),
            Some("Eaton Park Road, Norwich")
        );
        assert_eq!(a("Café", "Caf").as_deref(), Some("Caf"));
        assert_eq!(a("é", "éa, b").as_deref(), Some("éa, b"));
        assert_eq!(
            address_after_place(None, Some("x".into())).as_deref(),
            Some("x")
        );
    }

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
    fn money_and_notes() {
        assert_eq!(money(3.5, "GBP"), "£3.50");
        assert_eq!(money(10.0, ""), "£10");
        assert_eq!(month_note(1, &[Weekday::Sat]), "1st Saturday of the month");
        assert_eq!(month_note(-1, &[Weekday::Fri]), "last Friday of the month");
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
