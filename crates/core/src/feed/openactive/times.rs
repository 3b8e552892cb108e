//! When an OpenActive session happens: its own dates (and a series' `subEvent`
//! dates), weekly `eventSchedule` and `hoursAvailable` slots, ISO 8601 periods
//! (`P1W`), and zoned times shown in UK time.

use super::{blank, find, objects, Node};
use crate::calendar::{
    british_summer_time, date_of_day, days_from_civil, parse_date, MINUTES_PER_DAY,
};
use crate::feed::check::{self, end_time, month_note, number};
use crate::feed::native::strings;
use crate::feed::{Out, Outcome};
use crate::model::{Activity, OneOff, Slot, Time, Weekday};
use serde_json::{Map, Value};

/// Dates of this occurrence (or of a series' subEvents) and weekly slots. A dated
/// occurrence takes only its own schedule, not the series' one.
pub(super) fn read_times(
    data: &Map<String, Value>,
    occurrence: bool,
    nodes: &[Node],
    data_at: &str,
    a: &mut Activity,
    out: &mut Out,
) {
    if occurrence {
        if let Some(d) = one_off(data, data_at, a, out) {
            a.dates.push(d);
        }
    }
    if let Some(subs) = data.get("subEvent").and_then(Value::as_array) {
        for (j, s) in subs.iter().enumerate() {
            let Some(s) = s.as_object() else { continue };
            if s.get("startDate").is_some_and(|v| !blank(v)) {
                if let Some(d) = one_off(s, &format!("{data_at}/subEvent/{j}"), a, out) {
                    if !a.dates.contains(&d) {
                        a.dates.push(d);
                    }
                }
            }
        }
    }
    let own = [Node {
        obj: data,
        at: data_at.to_string(),
    }];
    let scope: &[Node] = if occurrence { &own } else { nodes };
    if let Some((v, owner)) = find(scope, "eventSchedule") {
        for (j, s) in objects(v) {
            let at = format!("{owner}/eventSchedule{j}");
            if let Some(slot) = event_schedule(s, &at, a, out) {
                push_slot(a, slot);
            }
        }
    }
    if let Some((v, owner)) = find(scope, "hoursAvailable") {
        for (j, s) in objects(v) {
            let at = format!("{owner}/hoursAvailable{j}");
            let days = days_of(s.get("dayOfWeek"), &format!("{at}/dayOfWeek"), a, out);
            let closed_all_day = s.get("opens").is_some() && s.get("opens") == s.get("closes");
            if days.is_empty() || closed_all_day {
                continue;
            }
            if let Some(slot) = make_slot(days, s, ("opens", "closes"), &at, a, out) {
                push_slot(a, slot);
            }
        }
    }
}

fn push_slot(a: &mut Activity, slot: Slot) {
    if !a.schedule.contains(&slot) {
        a.schedule.push(slot);
    }
}

fn one_off(o: &Map<String, Value>, at: &str, a: &Activity, out: &mut Out) -> Option<OneOff> {
    let raw = o.get("startDate").and_then(Value::as_str).unwrap_or("");
    let Some((date, start)) = uk_local(raw) else {
        out.problem(
            format!("{at}/startDate"),
            Some(&a.id),
            format!(
                "startDate \"{}\" is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm); that date is left out",
                check::truncate(raw, 40)
            ),
            Outcome::FieldDropped,
        );
        return None;
    };
    // An end on a later day (or with no time) gives no end time; an unreadable one,
    // or one before the start, is reported.
    let end = match o
        .get("endDate")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
    {
        None => None,
        Some(raw) => match uk_local(raw) {
            None => {
                out.problem(
                    format!("{at}/endDate"),
                    Some(&a.id),
                    format!(
                        "endDate \"{}\" is not an ISO 8601 date-time; shown without an end time",
                        check::truncate(raw, 40)
                    ),
                    Outcome::FieldDropped,
                );
                None
            }
            Some((d, Some(e))) if d == date => match start {
                Some(s) if e <= s => {
                    out.problem(
                        format!("{at}/endDate"),
                        Some(&a.id),
                        format!(
                            "endDate {e} is not after the start {s}; shown without an end time"
                        ),
                        Outcome::FieldDropped,
                    );
                    None
                }
                _ => Some(e),
            },
            Some(_) => None,
        },
    };
    Some(OneOff { date, start, end })
}

fn event_schedule(s: &Map<String, Value>, at: &str, a: &Activity, out: &mut Out) -> Option<Slot> {
    let freq = s
        .get("repeatFrequency")
        .and_then(Value::as_str)
        .unwrap_or("P1W");
    let (n, unit) = period(freq).unwrap_or((1, 'W'));
    let mut days = days_of(s.get("byDay"), &format!("{at}/byDay"), a, out);
    if days.is_empty() && unit == 'D' && n == 1 {
        days = Weekday::ALL.to_vec();
    }
    if days.is_empty() {
        out.problem(
            at,
            Some(&a.id),
            "eventSchedule has no usable byDay, so the days it runs on are unknown; this schedule is left out",
            Outcome::FieldDropped,
        );
        return None;
    }
    let mut slot = make_slot(days, s, ("startTime", "endTime"), at, a, out)?;
    slot.note = match unit {
        'W' if n > 1 => Some(format!("Every {n} weeks")),
        'D' if n > 1 => Some(format!("Every {n} days")),
        'M' => match s.get("byMonthWeek").and_then(number) {
            Some(w) if w.fract() == 0.0 && (-5.0..=5.0).contains(&w) && w != 0.0 => {
                Some(month_note(w as i64, &slot.days))
            }
            _ if n > 1 => Some(format!("Every {n} months")),
            _ => Some("Once a month".into()),
        },
        _ => None,
    };
    slot.except = except_dates(s, at, a, out);
    Some(slot)
}

/// The dates (UK) an `eventSchedule`'s `exceptDate` says it does not run on.
fn except_dates(s: &Map<String, Value>, at: &str, a: &Activity, out: &mut Out) -> Vec<String> {
    let listed: Vec<&Value> = match s.get("exceptDate") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    let mut dates = Vec::new();
    for (i, v) in listed.into_iter().enumerate() {
        match v.as_str().and_then(uk_local) {
            Some((date, _)) if !dates.contains(&date) => dates.push(date),
            Some(_) => {}
            None => out.problem(
                format!("{at}/exceptDate/{i}"),
                Some(&a.id),
                "exceptDate is not a date or date-time (e.g. 2026-12-25T10:00:00Z); this exception is left out",
                Outcome::FieldDropped,
            ),
        }
    }
    dates.sort();
    dates
}

/// `P1W` → (1, 'W'); `P7D` counts as a week.
fn period(s: &str) -> Option<(u32, char)> {
    let rest = s.trim().to_ascii_uppercase();
    let rest = rest.strip_prefix('P')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let unit = rest.chars().nth(digits.len())?;
    let n: u32 = digits.parse().ok().filter(|n| *n > 0)?;
    match unit {
        'D' if n.is_multiple_of(7) => Some((n / 7, 'W')),
        'D' | 'W' | 'M' | 'Y' => Some((n, unit)),
        _ => None,
    }
}

/// Days from schema.org day URLs or names; an unknown day is reported and left out.
fn days_of(v: Option<&Value>, at: &str, a: &Activity, out: &mut Out) -> Vec<Weekday> {
    let mut days = Vec::new();
    for d in strings(v) {
        if d.ends_with("PublicHolidays") {
            continue;
        }
        match check::weekday(&d) {
            Some(day) if !days.contains(&day) => days.push(day),
            Some(_) => {}
            None => out.problem(
                at,
                Some(&a.id),
                format!(
                    "\"{}\" is not a day of the week (use e.g. https://schema.org/Monday); that day is left out",
                    check::truncate(&d, 40)
                ),
                Outcome::FieldDropped,
            ),
        }
    }
    days.sort();
    days
}

/// A slot on these days from a start time field and an optional end time field.
fn make_slot(
    days: Vec<Weekday>,
    o: &Map<String, Value>,
    (start_key, end_key): (&str, &str),
    at: &str,
    a: &Activity,
    out: &mut Out,
) -> Option<Slot> {
    let Some(raw) = o.get(start_key).and_then(Value::as_str) else {
        out.problem(
            at,
            Some(&a.id),
            format!("schedule has days but no {start_key}; this schedule is left out"),
            Outcome::FieldDropped,
        );
        return None;
    };
    let start = match check::time(raw) {
        Ok(t) => t,
        Err(why) => {
            out.problem(
                format!("{at}/{start_key}"),
                Some(&a.id),
                format!("{start_key} {why}; this schedule is left out"),
                Outcome::FieldDropped,
            );
            return None;
        }
    };
    let end = end_time(
        o.get(end_key),
        start,
        &format!("{at}/{end_key}"),
        end_key,
        a,
        out,
    );
    Some(Slot {
        days,
        start,
        end,
        note: None,
        except: Vec::new(),
    })
}

/// Read a zoned or local ISO 8601 date-time as a UK date and time of day.
/// A date without a time gives no time; a time without a zone is taken as written.
pub(crate) fn uk_local(s: &str) -> Option<(String, Option<Time>)> {
    let s = s.trim();
    let date = check::iso_date(s)?;
    let rest = s.get(10..).unwrap_or("");
    let Some(rest) = rest.strip_prefix(['T', 't', ' ']) else {
        return Some((date, None));
    };
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let time_part = rest.get(..zone_at).unwrap_or(rest);
    let zone = rest.get(zone_at..).unwrap_or("");
    // A time that cannot be read makes the whole value unreadable, rather than
    // quietly becoming a date with no time.
    let time = check::time(time_part).ok()?;
    let Some(offset) = zone_offset(zone) else {
        return Some((date, Some(time)));
    };
    let (y, m, d) = parse_date(&date)?;
    let utc = days_from_civil(y, m, d) * MINUTES_PER_DAY + i64::from(time.0) - offset;
    let local = utc + if british_summer_time(utc) { 60 } else { 0 };
    let minutes = u16::try_from(local.rem_euclid(MINUTES_PER_DAY)).ok()?;
    Some((
        date_of_day(local.div_euclid(MINUTES_PER_DAY)),
        Some(Time(minutes)),
    ))
}

/// Minutes east of UTC from `Z`, `+01:00`, `+0100` or `-05`; `None` when there is no zone.
fn zone_offset(z: &str) -> Option<i64> {
    let z = z.trim();
    if z.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = match z.get(..1)? {
        "+" => 1,
        "-" => -1,
        _ => return None,
    };
    let digits: String = z.get(1..)?.chars().filter(char::is_ascii_digit).collect();
    let h: i64 = digits.get(..2)?.parse().ok()?;
    let m: i64 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoned_times_become_uk_time() {
        let t = |s: &str| {
            uk_local(s)
                .map(|(d, t)| format!("{d} {}", t.map(|t| t.to_string()).unwrap_or_default()))
        };
        assert_eq!(
            t("2018-10-02T19:15:00Z").as_deref(),
            Some("2018-10-02 20:15")
        );
        assert_eq!(
            t("2018-10-03T20:15:00+01:00").as_deref(),
            Some("2018-10-03 20:15")
        );
        assert_eq!(
            t("2018-12-03T20:15:00Z").as_deref(),
            Some("2018-12-03 20:15")
        );
        assert_eq!(
            t("2019-06-30T23:30:00Z").as_deref(),
            Some("2019-07-01 0:30")
        );
        // Clocks go back on 28 October 2018 at 01:00 UTC.
        assert_eq!(
            t("2018-10-28T00:30:00Z").as_deref(),
            Some("2018-10-28 1:30")
        );
        assert_eq!(
            t("2018-10-28T01:30:00Z").as_deref(),
            Some("2018-10-28 1:30")
        );
        assert_eq!(
            t("2018-10-03T20:15:00").as_deref(),
            Some("2018-10-03 20:15")
        );
        assert_eq!(t("2018-10-03").as_deref(), Some("2018-10-03 "));
        assert_eq!(t("03/10/2018"), None);
    }

    #[test]
    fn periods_money_and_notes() {
        assert_eq!(period("P1W"), Some((1, 'W')));
        assert_eq!(period("P14D"), Some((2, 'W')));
        assert_eq!(period("P1M"), Some((1, 'M')));
        assert_eq!(period("weekly"), None);
    }
}
