//! Schedules in words ("Saturdays 9:00–10:00") and the part of the day they fall in.

use crate::calendar::{date_of_day, days_from_civil, days_until, parse_date, weekday_of};
use crate::model::{Activity, Slot, Time, Weekday};

/// Part of the day, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
}

impl DayPart {
    pub const ALL: [DayPart; 3] = [DayPart::Morning, DayPart::Afternoon, DayPart::Evening];

    /// Before noon, noon to 5pm, from 5pm.
    pub fn of(t: Time) -> DayPart {
        match t.hour() {
            0..=11 => DayPart::Morning,
            12..=16 => DayPart::Afternoon,
            _ => DayPart::Evening,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DayPart::Morning => "Morning",
            DayPart::Afternoon => "Afternoon",
            DayPart::Evening => "Evening",
        }
    }

    pub fn parse(s: &str) -> Option<DayPart> {
        DayPart::ALL.into_iter().find(|p| p.id() == s)
    }
}

/// "Saturdays 9:00–10:00", "Mondays and Thursdays 10:00–12:00", "Monday to Friday 9:00–17:00".
pub fn slot_in_words(s: &Slot) -> String {
    let days = days_in_words(&s.days);
    let time = match s.end {
        Some(end) => format!("{}–{}", s.start, end),
        None => format!("from {}", s.start),
    };
    let mut asides: Vec<String> = s.note.iter().cloned().collect();
    if !s.except.is_empty() {
        let named: Vec<String> = s.except.iter().take(3).map(|d| date_in_words(d)).collect();
        let more = match s.except.len().saturating_sub(3) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        asides.push(format!("not on {}{more}", named.join(", ")));
    }
    match asides.is_empty() {
        true => format!("{days} {time}"),
        false => format!("{days} {time} ({})", asides.join("; ")),
    }
}

pub fn days_in_words(days: &[Weekday]) -> String {
    let mut d: Vec<Weekday> = days.to_vec();
    d.sort();
    d.dedup();
    let plural = |w: Weekday| format!("{}s", w.name());
    match d.len() {
        0 => String::new(),
        7 => "Every day".into(),
        1 => plural(d[0]),
        2 => format!("{} and {}", plural(d[0]), plural(d[1])),
        n if d[n - 1].index() - d[0].index() == n - 1 => {
            format!("{} to {}", d[0].name(), d[n - 1].name())
        }
        n => {
            let head: Vec<String> = d[..n - 1].iter().map(|w| plural(*w)).collect();
            format!("{} and {}", head.join(", "), plural(d[n - 1]))
        }
    }
}

/// Every way this activity's timing can be put in words, one line each.
pub fn when_in_words(a: &Activity) -> Vec<String> {
    let mut lines: Vec<String> = a.schedule.iter().map(slot_in_words).collect();
    for d in &a.dates {
        let time = match (d.start, d.end) {
            (Some(s), Some(e)) => format!(" {s}–{e}"),
            (Some(s), None) => format!(" from {s}"),
            _ => String::new(),
        };
        lines.push(format!("{}{}", date_in_words(&d.date), time));
    }
    lines
}

/// "Sat 5 Dec 2026" from "2026-12-05".
pub fn date_in_words(iso: &str) -> String {
    let Some((y, m, d)) = parse_date(iso) else {
        return iso.to_string();
    };
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!("{} {d} {month} {y}", weekday_of(y, m, d).short())
}

/// Does the activity run on this weekday (weekly slot) or on this date (one-off)?
/// A weekly slot on a date it says it does not run on does not count.
pub fn runs_on(a: &Activity, day: Weekday, date: Option<&str>) -> bool {
    a.schedule
        .iter()
        .any(|s| s.days.contains(&day) && !date.is_some_and(|d| s.except.iter().any(|e| e == d)))
        || date.is_some_and(|d| a.dates.iter().any(|o| o.date == d))
}

/// The next session on or after `today` (ISO date) as (date, start, end), looking a year ahead.
pub fn next_session(a: &Activity, today: &str) -> Option<(String, Time, Option<Time>)> {
    let (y, m, d) = parse_date(today)?;
    let t0 = days_from_civil(y, m, d);
    let mut best: Option<(i64, Time, Option<Time>)> = None;
    for s in &a.schedule {
        for day in &s.days {
            let mut first = t0 + days_until(t0, *day);
            // Past the dates it does not run on (a year's worth at most).
            for _ in 0..53 {
                if !s.except.contains(&date_of_day(first)) {
                    break;
                }
                first += 7;
            }
            let cand = (first, s.start, s.end);
            if best.is_none_or(|b| (cand.0, cand.1) < (b.0, b.1)) {
                best = Some(cand);
            }
        }
    }
    for o in &a.dates {
        let Some((y, m, d)) = parse_date(&o.date) else {
            continue;
        };
        let day = days_from_civil(y, m, d);
        let start = o.start.unwrap_or(Time::hm(0, 0));
        if day >= t0 && best.is_none_or(|b| (day, start) < (b.0, b.1)) {
            best = Some((day, start, o.end));
        }
    }
    best.map(|(day, s, e)| (date_of_day(day), s, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OneOff;

    fn slot(days: &[Weekday], s: (u16, u16), e: Option<(u16, u16)>) -> Slot {
        Slot {
            days: days.to_vec(),
            start: Time::hm(s.0, s.1),
            end: e.map(|e| Time::hm(e.0, e.1)),
            note: None,
            except: Vec::new(),
        }
    }

    #[test]
    fn slots_in_words() {
        use Weekday::*;
        assert_eq!(
            slot_in_words(&slot(&[Sat], (9, 0), Some((9, 45)))),
            "Saturdays 9:00–9:45"
        );
        assert_eq!(
            slot_in_words(&slot(&[Thu, Mon], (10, 0), Some((12, 0)))),
            "Mondays and Thursdays 10:00–12:00"
        );
        assert_eq!(
            slot_in_words(&slot(&[Mon, Tue, Wed, Thu, Fri], (9, 0), Some((17, 0)))),
            "Monday to Friday 9:00–17:00"
        );
        assert_eq!(
            slot_in_words(&slot(&[Mon, Wed, Fri], (18, 30), None)),
            "Mondays, Wednesdays and Fridays from 18:30"
        );
        assert_eq!(days_in_words(&Weekday::ALL), "Every day");
        assert_eq!(date_in_words("2026-12-05"), "Sat 5 Dec 2026");
    }

    #[test]
    fn next_session_picks_the_soonest() {
        let mut a = Activity::new("a", "A", "green");
        a.schedule = vec![slot(&[Weekday::Sat], (9, 0), Some((10, 0)))];
        // Monday 23 Nov 2026 -> Saturday 28 Nov.
        assert_eq!(next_session(&a, "2026-11-23").unwrap().0, "2026-11-28");
        // On the day itself it is today.
        assert_eq!(next_session(&a, "2026-11-28").unwrap().0, "2026-11-28");
        a.dates = vec![OneOff {
            date: "2026-11-25".into(),
            start: Some(Time::hm(14, 0)),
            end: None,
        }];
        assert_eq!(next_session(&a, "2026-11-23").unwrap().0, "2026-11-25");
        assert_eq!(DayPart::of(Time::hm(11, 59)), DayPart::Morning);
        assert_eq!(DayPart::of(Time::hm(17, 0)), DayPart::Evening);
    }
}
