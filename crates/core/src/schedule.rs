//! Schedules in words ("Saturdays 9:00–10:00") and the part of the day they fall in.

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
    match &s.note {
        Some(n) => format!("{days} {time} ({n})"),
        None => format!("{days} {time}"),
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

pub fn parse_date(iso: &str) -> Option<(i32, u32, u32)> {
    let y = iso.get(0..4)?.parse().ok()?;
    let m = iso.get(5..7)?.parse().ok()?;
    let d = iso.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Days since 1970-01-01 (proleptic Gregorian).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

pub fn weekday_of(y: i32, m: u32, d: u32) -> Weekday {
    // 1970-01-01 was a Thursday (index 3).
    let idx = (days_from_civil(y, m, d) + 3).rem_euclid(7) as usize;
    Weekday::from_index(idx).unwrap_or(Weekday::Mon)
}

/// Does the activity run on this weekday (weekly slot) or on this date (one-off)?
pub fn runs_on(a: &Activity, day: Weekday, date: Option<&str>) -> bool {
    a.schedule.iter().any(|s| s.days.contains(&day))
        || date.is_some_and(|d| a.dates.iter().any(|o| o.date == d))
}

/// The next session on or after `today` (ISO date) as (date, start, end), looking a year ahead.
pub fn next_session(a: &Activity, today: &str) -> Option<(String, Time, Option<Time>)> {
    let (y, m, d) = parse_date(today)?;
    let t0 = days_from_civil(y, m, d);
    let mut best: Option<(i64, Time, Option<Time>)> = None;
    for s in &a.schedule {
        for day in &s.days {
            let wd0 = (t0 + 3).rem_euclid(7);
            let ahead = (day.index() as i64 - wd0).rem_euclid(7);
            let cand = (t0 + ahead, s.start, s.end);
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
    best.map(|(day, s, e)| {
        let (y, m, d) = civil_from_days(day);
        (format!("{y:04}-{m:02}-{d:02}"), s, e)
    })
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
    }

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(weekday_of(2026, 11, 23), Weekday::Mon);
        assert_eq!(weekday_of(2000, 2, 29), Weekday::Tue);
        for z in [-1000, 0, 20_000, 20_415] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
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
