//! Calendar arithmetic, in one place. A date is turned into a day number (days since
//! 1970-01-01 in the proleptic Gregorian calendar), so "the next Saturday", "the day
//! after" or "the last Sunday of March" is integer arithmetic, and turned back into a
//! date to show it. The core never reads a clock: callers say what today is.
//!
//! ```
//! use activity_map_core::calendar::{civil_from_days, days_from_civil, parse_date, weekday_of};
//! use activity_map_core::model::Weekday;
//!
//! let (y, m, d) = parse_date("2026-11-23").unwrap();
//! assert_eq!(weekday_of(y, m, d), Weekday::Mon);
//! // A week later, across the end of the month.
//! assert_eq!(civil_from_days(days_from_civil(y, m, d) + 7), (2026, 11, 30));
//! ```

use crate::model::Weekday;

/// Minutes in a day, for times counted in minutes since a day number's midnight.
pub const MINUTES_PER_DAY: i64 = 1440;

/// Days in month `m` (1–12) of year `y`, leap years included.
///
/// ```
/// use activity_map_core::calendar::days_in_month;
/// assert_eq!(days_in_month(2028, 2), 29);
/// assert_eq!(days_in_month(2100, 2), 28); // a century is a leap year only every 400 years
/// assert_eq!(days_in_month(2026, 4), 30);
/// ```
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Year, month and day from the first ten characters of an ISO date (`2026-12-05`,
/// `2026-12-05T10:00`). Lenient, for dates the feed readers have already checked: any
/// day from 1 to 31 is taken (use `feed::check::iso_date` to check a date exists).
///
/// ```
/// use activity_map_core::calendar::parse_date;
/// assert_eq!(parse_date("2026-12-05"), Some((2026, 12, 5)));
/// assert_eq!(parse_date("5 Dec 2026"), None);
/// ```
pub fn parse_date(iso: &str) -> Option<(i32, u32, u32)> {
    let y = iso.get(0..4)?.parse().ok()?;
    let m = iso.get(5..7)?.parse().ok()?;
    let d = iso.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Days since 1970-01-01 (proleptic Gregorian): the day number of a date.
///
/// ```
/// use activity_map_core::calendar::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// assert_eq!(days_from_civil(2026, 3, 1) - days_from_civil(2026, 2, 28), 1);
/// ```
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    // Years are counted from March, so the leap day is the last day of the year, and
    // in eras of 400 years, which repeat exactly.
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (i64::from(m) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(d) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date (year, month, day) of a day number: the inverse of [`days_from_civil`].
///
/// ```
/// use activity_map_core::calendar::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(20_415), (2025, 11, 23));
/// ```
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let d = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let m = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let y = year_of_era + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// A day number as an ISO date, `YYYY-MM-DD`.
///
/// ```
/// use activity_map_core::calendar::{date_of_day, days_from_civil};
/// assert_eq!(date_of_day(days_from_civil(2026, 2, 28) + 1), "2026-03-01");
/// ```
pub fn date_of_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day of the week of a day number.
pub fn weekday_of_day(day: i64) -> Weekday {
    // 1970-01-01 (day 0) was a Thursday, index 3 counting from Monday.
    let index = (day + 3).rem_euclid(7) as usize;
    Weekday::from_index(index).unwrap_or(Weekday::Mon)
}

/// The day of the week of a date.
///
/// ```
/// use activity_map_core::calendar::weekday_of;
/// use activity_map_core::model::Weekday;
/// assert_eq!(weekday_of(2026, 12, 5), Weekday::Sat);
/// ```
pub fn weekday_of(y: i32, m: u32, d: u32) -> Weekday {
    weekday_of_day(days_from_civil(y, m, d))
}

/// How many days from day number `from` to the next `day` of the week (0 when `from`
/// is one).
///
/// ```
/// use activity_map_core::calendar::{days_from_civil, days_until};
/// use activity_map_core::model::Weekday;
/// let monday = days_from_civil(2026, 11, 23);
/// assert_eq!(days_until(monday, Weekday::Sat), 5);
/// assert_eq!(days_until(monday, Weekday::Mon), 0);
/// ```
pub fn days_until(from: i64, day: Weekday) -> i64 {
    (day.index() as i64 - weekday_of_day(from).index() as i64).rem_euclid(7)
}

/// Whether UK clocks are on British Summer Time at a moment given in minutes since
/// 1970-01-01 00:00 UTC. They go forward at 01:00 UTC on the last Sunday of March and
/// back at 01:00 UTC on the last Sunday of October (the rule `ics::VTIMEZONE` writes).
///
/// ```
/// use activity_map_core::calendar::{british_summer_time, days_from_civil, MINUTES_PER_DAY};
/// let noon = |y, m, d| days_from_civil(y, m, d) * MINUTES_PER_DAY + 12 * 60;
/// assert!(british_summer_time(noon(2026, 7, 1)));
/// assert!(!british_summer_time(noon(2026, 12, 1)));
/// ```
pub fn british_summer_time(utc_minutes: i64) -> bool {
    let (y, _, _) = civil_from_days(utc_minutes.div_euclid(MINUTES_PER_DAY));
    let last_sunday = |m: u32| {
        let day31 = days_from_civil(y, m, 31);
        day31 - (weekday_of_day(day31).index() as i64 + 1) % 7
    };
    let starts = last_sunday(3) * MINUTES_PER_DAY + 60;
    let ends = last_sunday(10) * MINUTES_PER_DAY + 60;
    (starts..ends).contains(&utc_minutes)
}

/// The moment a local UK time happens, in minutes since 1970-01-01 00:00 UTC: `minute`
/// minutes after midnight on day number `day`, on the clocks of Europe/London. In summer
/// time that is an hour earlier in UTC. A time the clocks skip when they go forward
/// (01:00–01:59 on the last Sunday of March) is read as GMT, so it lands an hour into
/// summer time; a time they pass twice when they go back is the first, in summer time.
///
/// ```
/// use activity_map_core::calendar::{days_from_civil, uk_local_to_utc, MINUTES_PER_DAY};
/// let day = days_from_civil(2026, 7, 4);
/// // 9:00 in July (BST) is 8:00 UTC; in December (GMT) 9:00 UTC.
/// assert_eq!(uk_local_to_utc(day, 9 * 60), day * MINUTES_PER_DAY + 8 * 60);
/// let day = days_from_civil(2026, 12, 5);
/// assert_eq!(uk_local_to_utc(day, 9 * 60), day * MINUTES_PER_DAY + 9 * 60);
/// ```
pub fn uk_local_to_utc(day: i64, minute: i64) -> i64 {
    let local = day * MINUTES_PER_DAY + minute;
    if british_summer_time(local - 60) {
        local - 60
    } else {
        local
    }
}

/// Whole calendar months from one date to a later one (year, month, day each): 2026-01-31
/// to 2026-02-28 is 0, to 2026-03-01 is 1. Negative when `to` is earlier.
///
/// ```
/// use activity_map_core::calendar::months_between;
/// assert_eq!(months_between((2026, 1, 15), (2026, 4, 15)), 3);
/// assert_eq!(months_between((2026, 1, 15), (2026, 4, 14)), 2);
/// assert_eq!(months_between((2025, 11, 2), (2026, 11, 2)), 12);
/// ```
pub fn months_between(from: (i32, u32, u32), to: (i32, u32, u32)) -> i64 {
    let index = |(y, m, _): (i32, u32, u32)| i64::from(y) * 12 + i64::from(m);
    let months = index(to) - index(from);
    if months > 0 && to.2 < from.2 {
        months - 1
    } else if months < 0 && to.2 > from.2 {
        months + 1
    } else {
        months
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(weekday_of(2026, 11, 23), Weekday::Mon);
        assert_eq!(weekday_of(2000, 2, 29), Weekday::Tue);
        for z in [-1000, 0, 20_000, 20_415] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn calendar_round_trips() {
        for days in [-800_000, -1, 0, 1, 17_800, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn uk_local_times_across_the_clock_changes() {
        let at =
            |y, m, d, h: i64, min: i64| days_from_civil(y, m, d) * MINUTES_PER_DAY + h * 60 + min;
        let local =
            |y, m, d, h: i64, min: i64| uk_local_to_utc(days_from_civil(y, m, d), h * 60 + min);
        // 2026: clocks go forward on 29 March and back on 25 October.
        assert_eq!(local(2026, 3, 29, 0, 30), at(2026, 3, 29, 0, 30));
        assert_eq!(local(2026, 3, 29, 2, 0), at(2026, 3, 29, 1, 0));
        assert_eq!(local(2026, 3, 28, 9, 0), at(2026, 3, 28, 9, 0));
        assert_eq!(local(2026, 3, 30, 9, 0), at(2026, 3, 30, 8, 0));
        // 01:30 on the night the clocks go back happens twice: the first (BST) is taken.
        assert_eq!(local(2026, 10, 25, 1, 30), at(2026, 10, 25, 0, 30));
        assert_eq!(local(2026, 10, 25, 2, 0), at(2026, 10, 25, 2, 0));
        assert_eq!(local(2026, 10, 24, 23, 0), at(2026, 10, 24, 22, 0));
        // The skipped hour is read as GMT.
        assert_eq!(local(2026, 3, 29, 1, 30), at(2026, 3, 29, 1, 30));
    }

    #[test]
    fn months_between_counts_whole_months() {
        assert_eq!(months_between((2026, 1, 31), (2026, 2, 28)), 0);
        assert_eq!(months_between((2026, 1, 31), (2026, 3, 1)), 1);
        assert_eq!(months_between((2026, 5, 1), (2026, 5, 31)), 0);
        assert_eq!(months_between((2024, 12, 2), (2026, 12, 2)), 24);
        assert_eq!(months_between((2026, 4, 15), (2026, 1, 15)), -3);
        assert_eq!(months_between((2026, 4, 15), (2026, 1, 16)), -2);
    }
}
