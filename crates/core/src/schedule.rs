//! Schedules in words ("Saturdays 9:00–10:00") and the part of the day they fall in.

use crate::calendar::{date_of_day, days_from_civil, days_until, parse_date, weekday_of};
use crate::lang::Messages;
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

    /// "Morning", in the person's language.
    pub fn label(self, m: &Messages) -> &str {
        m.get(match self {
            DayPart::Morning => "daypart.morning",
            DayPart::Afternoon => "daypart.afternoon",
            DayPart::Evening => "daypart.evening",
        })
    }

    pub fn parse(s: &str) -> Option<DayPart> {
        DayPart::ALL.into_iter().find(|p| p.id() == s)
    }
}

/// "Saturdays 9:00–10:00", "Mondays and Thursdays 10:00–12:00", "Monday to Friday 9:00–17:00".
pub fn slot_in_words(s: &Slot, m: &Messages) -> String {
    let days = days_in_words(&s.days, m);
    let time = times_in_words(Some(s.start), s.end, m);
    let mut asides: Vec<String> = s.note.iter().cloned().collect();
    if !s.except.is_empty() {
        let mut named: Vec<String> = s
            .except
            .iter()
            .take(3)
            .map(|d| date_in_words(d, m))
            .collect();
        let more = s.except.len().saturating_sub(3);
        if more > 0 {
            named.push(m.count("schedule.more_dates", more as u64, &[]));
        }
        asides.push(m.fill("schedule.not_on", &[("dates", &m.list(&named))]));
    }
    let slot = m.fill("schedule.slot", &[("days", &days), ("time", &time)]);
    match asides.is_empty() {
        true => slot,
        false => {
            let sep = format!("{} ", m.get("list.semicolon"));
            m.fill(
                "schedule.with_notes",
                &[("slot", &slot), ("notes", &asides.join(&sep))],
            )
        }
    }
}

/// "10:00–12:00", "from 18:30", or nothing when there is no start.
pub fn times_in_words(start: Option<Time>, end: Option<Time>, m: &Messages) -> String {
    match (start, end) {
        (Some(s), Some(e)) => m.fill(
            "schedule.times",
            &[("start", &s.to_string()), ("end", &e.to_string())],
        ),
        (Some(s), None) => m.fill("schedule.from", &[("start", &s.to_string())]),
        _ => String::new(),
    }
}

/// "Saturdays", "Mondays and Thursdays", "Monday to Friday", "Every day".
pub fn days_in_words(days: &[Weekday], m: &Messages) -> String {
    let mut d: Vec<Weekday> = days.to_vec();
    d.sort();
    d.dedup();
    let every = |w: Weekday| m.get(&format!("weekday.{}.every", w.code())).to_string();
    match d.len() {
        0 => String::new(),
        7 => m.get("schedule.every_day").to_string(),
        1 | 2 => m.list(&d.iter().map(|w| every(*w)).collect::<Vec<_>>()),
        n if d[n - 1].index() - d[0].index() == n - 1 => m.fill(
            "schedule.day_range",
            &[
                ("from", &weekday_name(d[0], m)),
                ("to", &weekday_name(d[n - 1], m)),
            ],
        ),
        _ => m.list(&d.iter().map(|w| every(*w)).collect::<Vec<_>>()),
    }
}

/// "Monday" in the person's language.
pub fn weekday_name(w: Weekday, m: &Messages) -> String {
    m.get(&format!("weekday.{}", w.code())).to_string()
}

/// Every way this activity's timing can be put in words, one line each.
pub fn when_in_words(a: &Activity, m: &Messages) -> Vec<String> {
    let mut lines: Vec<String> = a.schedule.iter().map(|s| slot_in_words(s, m)).collect();
    for d in &a.dates {
        let date = date_in_words(&d.date, m);
        lines.push(match times_in_words(d.start, d.end, m) {
            time if time.is_empty() => date,
            time => m.fill("schedule.slot", &[("days", &date), ("time", &time)]),
        });
    }
    lines
}

/// "Sat 5 Dec 2026" from "2026-12-05".
pub fn date_in_words(iso: &str, m: &Messages) -> String {
    let Some((y, mo, d)) = parse_date(iso) else {
        return iso.to_string();
    };
    let weekday = weekday_of(y, mo, d);
    m.fill(
        "date.short",
        &[
            (
                "weekday",
                m.get(&format!("weekday.{}.short", weekday.code())),
            ),
            ("day", &d.to_string()),
            ("month", m.get(&format!("month.{mo}"))),
            ("year", &y.to_string()),
        ],
    )
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

    fn en() -> &'static Messages {
        Messages::english()
    }

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
            slot_in_words(&slot(&[Sat], (9, 0), Some((9, 45))), en()),
            "Saturdays 9:00–9:45"
        );
        assert_eq!(
            slot_in_words(&slot(&[Thu, Mon], (10, 0), Some((12, 0))), en()),
            "Mondays and Thursdays 10:00–12:00"
        );
        assert_eq!(
            slot_in_words(
                &slot(&[Mon, Tue, Wed, Thu, Fri], (9, 0), Some((17, 0))),
                en()
            ),
            "Monday to Friday 9:00–17:00"
        );
        assert_eq!(
            slot_in_words(&slot(&[Mon, Wed, Fri], (18, 30), None), en()),
            "Mondays, Wednesdays and Fridays from 18:30"
        );
        assert_eq!(days_in_words(&Weekday::ALL, en()), "Every day");
        assert_eq!(date_in_words("2026-12-05", en()), "Sat 5 Dec 2026");
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
