//! When an ORUK service runs: its schedules, read as iCalendar-like rules (`freq`,
//! `interval`, `byday` with `1SA` / `-1FR` ordinals) with opening and closing times, or
//! as one-off dates (`dtstart`). A rule on dates of the month (`bymonthday`) cannot be
//! shown as days of the week, so it is reported and left out.

use super::list;
use crate::feed::check::{self, end_time, first, month_note, number};
use crate::feed::native::strings;
use crate::feed::{Join, Out, Outcome};
use crate::model::{Activity, OneOff, Slot, Weekday};
use serde_json::{Map, Value};

pub(super) fn read_schedules(v: Option<&Value>, at: &str, a: &mut Activity, out: &mut Out) {
    for (j, s) in list(v).iter().enumerate() {
        let sat = format!("{at}/{j}");
        match s.as_object() {
            Some(s) => read_schedule(s, &sat, a, out),
            None => out.problem(
                &sat,
                Some(&a.id),
                "a schedule must be an object; it is left out",
                Outcome::FieldDropped,
            ),
        }
    }
}

/// `1SA` → (Some(1), Saturday); `TH` → (None, Thursday); `-1FR` → (Some(-1), Friday).
fn byday_token(t: &str) -> Option<(Option<i64>, Weekday)> {
    let t = t.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic())?;
    let (prefix, day) = (t.get(..split)?, t.get(split..)?);
    let week = if prefix.is_empty() {
        None
    } else {
        Some(
            prefix
                .parse::<i64>()
                .ok()
                .filter(|w| *w != 0 && (-5..=5).contains(w))?,
        )
    };
    Some((week, check::weekday(day)?))
}

fn read_schedule(s: &Map<String, Value>, at: &str, a: &mut Activity, out: &mut Out) {
    let freq = s
        .get("freq")
        .and_then(Value::as_str)
        .map(|f| f.trim().to_ascii_uppercase())
        .filter(|f| !f.is_empty());
    let interval = s
        .get("interval")
        .and_then(number)
        .filter(|n| *n >= 1.0 && *n <= 52.0)
        .map_or(1, |n| n as u32);

    // Days, grouped by week of the month (None = every week).
    let mut groups: Vec<(Option<i64>, Vec<Weekday>)> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    let mut tokens = strings(s.get("byday"));
    if tokens.is_empty() {
        match s.get("weekday") {
            Some(Value::Number(n)) => match n.as_u64().and_then(|n| usize::try_from(n).ok()) {
                Some(n @ 1..=7) => {
                    tokens.extend(Weekday::from_index(n - 1).map(|d| d.code().to_string()))
                }
                _ => bad.push(n.to_string()),
            },
            other => tokens = strings(other),
        }
    }
    for t in tokens {
        match byday_token(&t) {
            Some((week, day)) => match groups.iter_mut().find(|(w, _)| *w == week) {
                Some((_, days)) if !days.contains(&day) => days.push(day),
                Some(_) => {}
                None => groups.push((week, vec![day])),
            },
            None => bad.push(t),
        }
    }
    for (_, days) in &mut groups {
        days.sort();
    }
    if groups.is_empty() && bad.is_empty() && freq.as_deref() == Some("DAILY") {
        groups.push((None, Weekday::ALL.to_vec()));
    }
    if !bad.is_empty() {
        let what = if groups.is_empty() {
            "this schedule is"
        } else {
            "those days are"
        };
        out.problem(
            format!("{at}/byday"),
            Some(&a.id),
            format!(
                "byday \"{}\" is not a list of day codes (MO, TU, WE, TH, FR, SA, SU, or with a week of the month such as 1SA); {what} left out",
                check::truncate(&bad.join(","), 40)
            ),
            Outcome::FieldDropped,
        );
    }

    let opens = s
        .get("opens_at")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty());
    if groups.is_empty() {
        if !bad.is_empty() {
            return;
        }
        let date = first(s, &["dtstart", "valid_from"])
            .and_then(Value::as_str)
            .and_then(check::iso_date);
        match (freq.as_deref(), date) {
            (None, Some(date)) => {
                let start = opens.and_then(|raw| match check::time(raw) {
                    Ok(t) => Some(t),
                    Err(why) => {
                        out.problem(
                            Join(at, "/opens_at"),
                            Some(&a.id),
                            format!("opens_at {why}; the date is kept without a time"),
                            Outcome::FieldDropped,
                        );
                        None
                    }
                });
                let end = start.and_then(|st| end_time(s.get("closes_at"), st, &format!("{at}/closes_at"), "closes_at", a, out));
                let d = OneOff { date, start, end };
                if !a.dates.contains(&d) {
                    a.dates.push(d);
                }
            }
            (Some("MONTHLY"), _) if s.get("bymonthday").is_some() => out.problem(
                at,
                Some(&a.id),
                "schedule repeats on dates of the month (bymonthday), which cannot be shown as days of the week; it is left out",
                Outcome::FieldDropped,
            ),
            _ => out.problem(
                at,
                Some(&a.id),
                "schedule has no byday (days of the week) and no single date (dtstart), so it cannot be shown; it is left out",
                Outcome::FieldDropped,
            ),
        }
        return;
    }

    let Some(raw) = opens else {
        out.problem(
            at,
            Some(&a.id),
            "schedule has days but no opens_at time; it is left out",
            Outcome::FieldDropped,
        );
        return;
    };
    let start = match check::time(raw) {
        Ok(t) => t,
        Err(why) => {
            out.problem(
                Join(at, "/opens_at"),
                Some(&a.id),
                format!("opens_at {why}; this schedule is left out"),
                Outcome::FieldDropped,
            );
            return;
        }
    };
    let end = end_time(
        s.get("closes_at"),
        start,
        &format!("{at}/closes_at"),
        "closes_at",
        a,
        out,
    );
    for (week, days) in groups {
        let note = match week {
            Some(w) => Some(month_note(w, &days)),
            None if interval > 1 && freq.as_deref() == Some("WEEKLY") => {
                Some(format!("Every {interval} weeks"))
            }
            None => None,
        };
        let slot = Slot {
            days,
            start,
            end,
            note,
            except: Vec::new(),
        };
        if !a.schedule.contains(&slot) {
            a.schedule.push(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byday_tokens() {
        assert_eq!(byday_token("TH"), Some((None, Weekday::Thu)));
        assert_eq!(byday_token("1SA"), Some((Some(1), Weekday::Sat)));
        assert_eq!(byday_token("-1FR"), Some((Some(-1), Weekday::Fri)));
        assert_eq!(byday_token("Monday"), Some((None, Weekday::Mon)));
        assert_eq!(byday_token("9SA"), None);
        assert_eq!(byday_token("XX"), None);
        assert_eq!(byday_token("12"), None);
        assert_eq!(byday_token(""), None);
    }
}
