//! How fresh a listing is: "checked 3 months ago", and whether it is old enough that
//! people should check with the organiser before they go.
//!
//! Pure: the caller says what today is (`YYYY-MM-DD`, the person's own date).

use crate::calendar::{days_from_civil, months_between, parse_date};
use crate::lang::Messages;

/// When a listing was last checked, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    /// "today", "yesterday", "3 days ago", "1 week ago", "5 months ago", "2 years ago".
    pub ago: String,
    /// Checked more than a year before today.
    pub stale: bool,
}

/// How long before `today` the listing was checked (`checked` an ISO date, or a
/// date-time whose date is used), or `None` when either is not a date. A date after
/// today (a publisher's clock ahead of the person's) counts as today.
///
/// ```
/// use activity_map_core::freshness::checked_ago;
/// use activity_map_core::lang::Messages;
/// let en = Messages::english();
/// let f = checked_ago("2026-09-02", "2026-12-02", en).unwrap();
/// assert_eq!(f.ago, "3 months ago");
/// assert!(!f.stale);
/// assert!(checked_ago("2025-11-30", "2026-12-02", en).unwrap().stale);
/// ```
pub fn checked_ago(checked: &str, today: &str, m: &Messages) -> Option<Freshness> {
    let from = parse_date(checked)?;
    let to = parse_date(today)?;
    let days = days_from_civil(to.0, to.1, to.2) - days_from_civil(from.0, from.1, from.2);
    let months = months_between(from, to);
    let (key, n) = if days <= 0 {
        ("ago.today", 0)
    } else if days == 1 {
        ("ago.yesterday", 1)
    } else if days < 7 {
        ("ago.days", days)
    } else if months < 1 {
        ("ago.weeks", days / 7)
    } else if months < 12 {
        ("ago.months", months)
    } else {
        ("ago.years", months / 12)
    };
    let ago = match n {
        0 | 1 if days <= 1 => m.get(key).to_string(),
        n => m.count(key, n as u64, &[]),
    };
    // More than a year: past the day a year on from the check.
    let stale = months > 12 || (months == 12 && to.2 != from.2);
    Some(Freshness { ago, stale })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ago(checked: &str, today: &str) -> String {
        checked_ago(checked, today, Messages::english())
            .unwrap()
            .ago
    }

    #[test]
    fn days_weeks_months_years() {
        assert_eq!(ago("2026-12-02", "2026-12-02"), "today");
        assert_eq!(ago("2026-12-05", "2026-12-02"), "today");
        assert_eq!(ago("2026-12-01", "2026-12-02"), "yesterday");
        assert_eq!(ago("2026-11-30", "2026-12-02"), "2 days ago");
        assert_eq!(ago("2026-11-26", "2026-12-02"), "6 days ago");
        assert_eq!(ago("2026-11-25", "2026-12-02"), "1 week ago");
        assert_eq!(ago("2026-11-18", "2026-12-02"), "2 weeks ago");
        // Weeks until a whole calendar month has passed.
        assert_eq!(ago("2026-11-04", "2026-12-03"), "4 weeks ago");
        assert_eq!(ago("2026-11-03", "2026-12-03"), "1 month ago");
        assert_eq!(ago("2026-01-31", "2026-02-28"), "4 weeks ago");
        assert_eq!(ago("2026-11-02", "2026-12-02"), "1 month ago");
        assert_eq!(ago("2026-09-02", "2026-12-02"), "3 months ago");
        assert_eq!(ago("2026-09-03", "2026-12-02"), "2 months ago");
        assert_eq!(ago("2025-12-03", "2026-12-02"), "11 months ago");
        assert_eq!(ago("2025-12-02", "2026-12-02"), "1 year ago");
        assert_eq!(ago("2024-12-03", "2026-12-02"), "1 year ago");
        assert_eq!(ago("2024-12-02", "2026-12-02"), "2 years ago");
        // A date-time is read as its date.
        assert_eq!(ago("2026-11-18T09:30:00Z", "2026-12-02"), "2 weeks ago");
    }

    #[test]
    fn stale_after_a_year() {
        let stale = |c: &str| {
            checked_ago(c, "2026-12-02", Messages::english())
                .unwrap()
                .stale
        };
        assert!(!stale("2026-12-01"));
        assert!(!stale("2025-12-03"));
        assert!(!stale("2025-12-02"));
        assert!(stale("2025-12-01"));
        assert!(stale("2020-06-30"));
        // Leap day: a year on is 1 March.
        assert!(
            !checked_ago("2024-02-29", "2025-02-28", Messages::english())
                .unwrap()
                .stale
        );
        assert!(
            checked_ago("2024-02-29", "2025-03-01", Messages::english())
                .unwrap()
                .stale
        );
    }

    #[test]
    fn not_dates() {
        assert_eq!(
            checked_ago("last spring", "2026-12-02", Messages::english()),
            None
        );
        assert_eq!(checked_ago("2026-12-02", "", Messages::english()), None);
    }
}
