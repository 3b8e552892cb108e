//! When an activity happens: dates, times of day, days of the week, and a note for
//! "1st Saturday of the month" schedules.

use super::plain::truncate;
use crate::calendar::days_in_month;
use crate::feed::{Out, Outcome};
use crate::model::{Activity, Time, Weekday};
use serde_json::Value;

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
    let y: i32 = d[..4].parse().ok()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            iso_date("2026-11-23T10:00:00Z").as_deref(),
            Some("2026-11-23")
        );
        assert_eq!(iso_date("2026-11-23 10:00").as_deref(), Some("2026-11-23"));
        assert_eq!(iso_date("2026-13-01"), None);
        assert_eq!(iso_date("23/11/2026"), None);
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
    fn days_with_plurals_and_short_forms_and_month_notes() {
        assert_eq!(weekday("Mondays"), Some(Weekday::Mon));
        assert_eq!(weekday("Weds"), Some(Weekday::Wed));
        assert_eq!(weekday("Tues"), Some(Weekday::Tue));
        assert_eq!(weekday("Thurs"), Some(Weekday::Thu));
        assert_eq!(weekday("thursdays"), Some(Weekday::Thu));
        assert_eq!(weekday("https://schema.org/Sunday"), Some(Weekday::Sun));
        assert_eq!(weekday("money"), None);
        assert_eq!(weekday("moss"), None);
        assert_eq!(weekday("s"), None);
        assert_eq!(month_note(1, &[Weekday::Sat]), "1st Saturday of the month");
        assert_eq!(month_note(-1, &[Weekday::Fri]), "last Friday of the month");
    }
}
