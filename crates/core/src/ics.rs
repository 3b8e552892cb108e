//! "Add to calendar": an activity's next session as an iCalendar file (RFC 5545).
//!
//! Pure: the caller says what today is and when "now" is (the core never reads a
//! clock) and hands the text to the browser to download. Times are local UK times
//! (`TZID=Europe/London`, defined in the file itself), so a 9:00 session stays at 9:00
//! whether it falls in GMT or BST.

use crate::calendar::{civil_from_days, days_from_civil, parse_date, weekday_of};
use crate::feed::check::truncate;
use crate::filter::normalise;
use crate::lang::Messages;
use crate::model::{Activity, Slot, Time};
use crate::schedule::{next_session, slot_in_words};

pub const PRODID: &str = "-//activity-map//EN";
pub const TZID: &str = "Europe/London";

/// Longest content line, in octets, before it is folded (RFC 5545 §3.1).
const MAX_OCTETS: usize = 75;

/// Europe/London: GMT, and BST (UTC+1) from 01:00 UTC on the last Sunday of March to
/// 01:00 UTC on the last Sunday of October. `DTSTART` is the local time of each change.
const VTIMEZONE: [&str; 16] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
];

/// The next session on or after `today` (`YYYY-MM-DD`) as a calendar file with one event,
/// or `None` when the activity has no upcoming date. `stamp` is now in UTC
/// (`YYYYMMDDTHHMMSSZ`); `page_url` links back to the activity.
///
/// A weekly session repeats (`RRULE:FREQ=WEEKLY`) on its slot's days, unless the slot has
/// a note ("first Saturday of the month"): then it is a single event and the note is in
/// the description. A one-off date without a time is an all-day event.
pub fn next_session_ics(
    a: &Activity,
    today: &str,
    stamp: &str,
    page_url: Option<&str>,
    m: &Messages,
) -> Option<String> {
    let next = next_event(a, today)?;
    let (y, mo, d) = civil_from_days(next.day);
    let mut ev: Vec<String> = vec![
        "BEGIN:VEVENT".into(),
        format!(
            "UID:{}",
            text(&format!("{}-{}@activity-map", a.id, next.date))
        ),
        format!(
            "DTSTAMP:{}",
            if is_utc_stamp(stamp) {
                stamp.to_string()
            } else {
                format!("{y:04}{mo:02}{d:02}T000000Z")
            }
        ),
    ];
    if next.all_day {
        ev.push(format!("DTSTART;VALUE=DATE:{}", ics_date(next.day)));
        ev.push(format!("DTEND;VALUE=DATE:{}", ics_date(next.day + 1)));
    } else {
        ev.push(format!(
            "DTSTART;TZID={TZID}:{}",
            ics_local(next.day, next.start)
        ));
        ev.push(format!(
            "DTEND;TZID={TZID}:{}",
            ics_local(next.end_day, next.end)
        ));
    }
    let (slot, start) = (next.slot, next.start);
    if let Some(s) = slot.filter(|s| s.note.is_none()) {
        let mut days = s.days.clone();
        days.sort();
        days.dedup();
        let codes: Vec<String> = days
            .iter()
            .map(|d| d.code()[..2].to_ascii_uppercase())
            .collect();
        ev.push(format!("RRULE:FREQ=WEEKLY;BYDAY={}", codes.join(",")));
        for except in &s.except {
            if let Some((y, mo, d)) = parse_date(except) {
                let day = days_from_civil(y, mo, d);
                ev.push(format!("EXDATE;TZID={TZID}:{}", ics_local(day, start)));
            }
        }
    }
    ev.push(format!("SUMMARY:{}", text(&a.name)));
    let place = a.location.summary(m);
    if !place.is_empty() {
        ev.push(format!("LOCATION:{}", text(&place)));
    }
    ev.push(format!(
        "DESCRIPTION:{}",
        text(&description(a, slot, page_url, usize::MAX, m))
    ));
    if let Some(p) = a.point() {
        ev.push(format!("GEO:{};{}", coord(p.lat), coord(p.lng)));
    }
    let url = page_url
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .or_else(|| {
            a.contact
                .website
                .as_deref()
                .map(str::trim)
                .filter(|w| is_http(w))
        });
    if let Some(u) = url {
        ev.push(format!(
            "URL:{}",
            u.chars().filter(|c| !c.is_control()).collect::<String>()
        ));
    }
    ev.push("END:VEVENT".into());

    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    lines.extend(VTIMEZONE.iter().map(|l| l.to_string()));
    lines.push("END:VTIMEZONE".into());
    lines.extend(ev);
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        out.push_str(&fold(l));
        out.push_str("\r\n");
    }
    Some(out)
}

/// An activity's next session, as the calendar file and the calendar links give it.
#[derive(Debug, Clone, PartialEq)]
pub struct NextEvent<'a> {
    /// Its date, `YYYY-MM-DD`, and that date's day number.
    pub date: String,
    pub day: i64,
    /// Local UK start; the end, on `end_day` (the next day for a session past midnight).
    /// With no end given, an hour after the start.
    pub start: Time,
    pub end_day: i64,
    pub end: Time,
    /// A one-off date with no time: the whole day (`start` and `end` then mean nothing).
    pub all_day: bool,
    /// The weekly slot it comes from, if any.
    pub slot: Option<&'a Slot>,
}

/// The next session on or after `today` (`YYYY-MM-DD`), or `None` without one.
pub fn next_event<'a>(a: &'a Activity, today: &str) -> Option<NextEvent<'a>> {
    let (date, start, end) = next_session(a, today)?;
    let (y, m, d) = parse_date(&date)?;
    if !(1..=9999).contains(&y) {
        return None;
    }
    let day = days_from_civil(y, m, d);
    let weekday = weekday_of(y, m, d);
    // The slot `next_session` chose: the first with this day and time (it prefers slots).
    let slot: Option<&Slot> = a
        .schedule
        .iter()
        .find(|s| s.days.contains(&weekday) && s.start == start && s.end == end);
    let all_day = slot.is_none()
        && a.dates
            .iter()
            .find(|o| {
                parse_date(&o.date) == Some((y, m, d))
                    && o.start.unwrap_or(Time(0)) == start
                    && o.end == end
            })
            .is_some_and(|o| o.start.is_none());
    let (end_day, end) = match end {
        Some(e) if e > start => (day, e),
        Some(e) if e < start => (day + 1, e),
        _ => {
            let mins = start.0 + 60;
            (day + i64::from(mins / 1440), Time(mins % 1440))
        }
    };
    Some(NextEvent {
        date,
        day,
        start,
        end_day,
        end,
        all_day,
        slot,
    })
}

/// What to call the downloaded file: `norwich-parkrun.ics`. ASCII only.
pub fn ics_file_name(a: &Activity) -> String {
    let mut slug = String::new();
    for c in normalise(&a.name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    format!("{}.ics", if slug.is_empty() { "activity" } else { slug })
}

/// The event's description: the activity's own words, then when (if the slot has a
/// qualifier), cost, how to join and the link back. At most `own_max` characters of the
/// activity's own words are taken (an ellipsis marks the cut).
pub(crate) fn description(
    a: &Activity,
    slot: Option<&Slot>,
    page_url: Option<&str>,
    own_max: usize,
    m: &Messages,
) -> String {
    let mut details: Vec<String> = Vec::new();
    if let Some(s) = slot.filter(|s| s.note.is_some()) {
        details.push(m.fill("about.when", &[("when", &slot_in_words(s, m))]));
    }
    details.push(m.fill("about.cost", &[("cost", &a.cost.summary(m))]));
    if !a.joining.is_empty() {
        let how: Vec<&str> = a.joining.iter().map(|j| j.label(m)).collect();
        let sep = format!("{} ", m.get("list.semicolon"));
        details.push(m.fill("about.join", &[("how", &how.join(&sep))]));
    }
    if let Some(u) = page_url.map(str::trim).filter(|u| !u.is_empty()) {
        details.push(m.fill("about.more", &[("link", u)]));
    }
    let own = truncate(a.description.trim(), own_max);
    let details = details.join("\n");
    if own.is_empty() {
        details
    } else {
        format!("{own}\n\n{details}")
    }
}

/// TEXT value escaping (RFC 5545 §3.3.11): `\` `;` `,` and newlines; other control
/// characters (except tab) are dropped.
pub fn text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Split a content line into lines of at most 75 octets, never inside a UTF-8
/// character; each continuation starts with a space (RFC 5545 §3.1).
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3);
    let mut octets = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if octets + n > MAX_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += n;
    }
    out
}

/// `20260704`: a day as iCalendar and the calendar links write it.
pub(crate) fn ics_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}{m:02}{d:02}")
}

fn ics_local(day: i64, t: Time) -> String {
    format!("{}T{:02}{:02}00", ics_date(day), t.0 / 60, t.0 % 60)
}

fn is_utc_stamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
}

fn is_http(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://")) && !u.chars().any(char::is_whitespace)
}

/// Up to 6 decimals, trailing zeros dropped.
fn coord(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> &'static Messages {
        Messages::english()
    }
    use crate::model::{Cost, Joining, OneOff, Weekday};

    fn parkrun() -> Activity {
        let mut a = Activity::new("parkrun-norwich", "Norwich parkrun", "parkrun");
        a.description = "A free, timed 5k run, jog or walk.".into();
        a.location.place = Some("Eaton Park".into());
        a.location.postcode = Some("NR4 7AU".into());
        a.location.lat = Some(52.6215);
        a.location.lng = Some(1.2556);
        a.schedule = vec![Slot {
            days: vec![Weekday::Sat],
            start: Time::hm(9, 0),
            end: Some(Time::hm(10, 0)),
            note: None,
            except: Vec::new(),
        }];
        a.cost = Cost {
            free: true,
            description: None,
        };
        a.joining = vec![Joining::SelfReferral, Joining::Booking];
        a.contact.website = Some("https://www.parkrun.org.uk/norwich/".into());
        a
    }

    /// Lines of the file with folding undone.
    fn unfold(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .map(str::to_string)
            .collect()
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\\' {
                match it.next() {
                    Some('n') | Some('N') => out.push('\n'),
                    Some(o) => out.push(o),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A property of the event (not of the time zone).
    fn property<'a>(lines: &'a [String], name: &str) -> Option<&'a str> {
        lines
            .iter()
            .skip_while(|l| *l != "BEGIN:VEVENT")
            .find_map(|l| {
                l.strip_prefix(name)
                    .and_then(|r| r.strip_prefix([':', ';']))
            })
    }

    #[test]
    fn exact_output_for_a_weekly_session() {
        let ics = next_session_ics(
            &parkrun(),
            "2026-11-23",
            "20261123T101500Z",
            Some("https://example.org/map/?sel=parkrun-norwich"),
            en(),
        )
        .unwrap();
        let expected = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//activity-map//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/London",
            "BEGIN:DAYLIGHT",
            "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0100",
            "TZNAME:BST",
            "DTSTART:19700329T010000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0000",
            "TZNAME:GMT",
            "DTSTART:19701025T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "UID:parkrun-norwich-2026-11-28@activity-map",
            "DTSTAMP:20261123T101500Z",
            "DTSTART;TZID=Europe/London:20261128T090000",
            "DTEND;TZID=Europe/London:20261128T100000",
            "RRULE:FREQ=WEEKLY;BYDAY=SA",
            "SUMMARY:Norwich parkrun",
            "LOCATION:Eaton Park\\, NR4 7AU",
            // Folded at 75 octets: the continuation's leading space is not content, so
            // the last piece starts with two spaces (fold + the space after "details:").
            "DESCRIPTION:A free\\, timed 5k run\\, jog or walk.\\n\\nCost: Free\\nHow to join",
            " : Just come along or get in touch yourself\\; Booking needed\\nMore details:",
            "  https://example.org/map/?sel=parkrun-norwich",
            "GEO:52.6215;1.2556",
            "URL:https://example.org/map/?sel=parkrun-norwich",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
        .join("\r\n");
        assert_eq!(ics, expected);
        assert_eq!(ics_file_name(&parkrun()), "norwich-parkrun.ics");
    }

    #[test]
    fn escaping_and_folding() {
        let mut a = parkrun();
        a.name = "Café; Garden, \"Bees\" & 🐝 \\ club".into();
        let own = "Tea, cake; and a chat.\nBring boots\\wellies, please;\r\nOrchard → pond → 花園 → café. "
            .repeat(6)
            + "Ünïcödé 🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳🌳 end";
        a.description = own.clone().into();
        a.cost = Cost {
            free: false,
            description: Some("£2, or pay what you can; no one turned away".into()),
        };
        a.contact.website = Some("https://example.org/bees".into());
        let ics = next_session_ics(&a, "2026-11-23", "20261123T101500Z", None, en()).unwrap();
        assert!(ics.ends_with("\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        let lines = unfold(&ics);
        let want = format!(
            "{}\n\nCost: £2, or pay what you can; no one turned away\nHow to join: {}; {}",
            own.trim().replace("\r\n", "\n"),
            Joining::SelfReferral.label(en()),
            Joining::Booking.label(en())
        );
        assert_eq!(unescape(property(&lines, "DESCRIPTION").unwrap()), want);
        assert_eq!(unescape(property(&lines, "SUMMARY").unwrap()), a.name);
        assert_eq!(
            property(&lines, "SUMMARY").unwrap(),
            "Café\\; Garden\\, \"Bees\" & 🐝 \\\\ club"
        );
        // No page link: the website (http) is the URL, and there is no "More details".
        assert_eq!(property(&lines, "URL"), Some("https://example.org/bees"));
        assert!(!want.contains("More details"));
        assert_eq!(ics_file_name(&a), "cafe-garden-bees-club.ics");
    }

    #[test]
    fn folding_counts_octets_and_keeps_characters_whole() {
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold(&line);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75);
        }
        assert_eq!(folded.split("\r\n").next().unwrap().len(), 74); // 12 + 31 × 2; one more would be 76
        assert_eq!(folded.replace("\r\n ", ""), line);
        assert_eq!(fold("SHORT:line"), "SHORT:line");
        assert_eq!(fold(&"x".repeat(75)), "x".repeat(75));
        assert_eq!(fold(&"x".repeat(76)), format!("{}\r\n x", "x".repeat(75)));
    }

    #[test]
    fn one_off_dates_do_not_repeat() {
        let mut a = Activity::new("bat-walk", "Bat walk", "green");
        a.dates = vec![
            OneOff {
                date: "2026-11-20".into(),
                start: Some(Time::hm(19, 0)),
                end: None,
            },
            OneOff {
                date: "2027-06-12".into(),
                start: Some(Time::hm(21, 30)),
                end: None,
            },
        ];
        let lines =
            unfold(&next_session_ics(&a, "2026-11-23", "20261123T101500Z", None, en()).unwrap());
        assert_eq!(
            property(&lines, "DTSTART"),
            Some("TZID=Europe/London:20270612T213000")
        );
        // No end: an hour (in BST, still written as local time).
        assert_eq!(
            property(&lines, "DTEND"),
            Some("TZID=Europe/London:20270612T223000")
        );
        assert_eq!(
            property(&lines, "UID"),
            Some("bat-walk-2027-06-12@activity-map")
        );
        assert!(!lines.iter().any(|l| l.starts_with("RRULE:FREQ=WEEKLY")));
        // Nowhere to be: no LOCATION, GEO or URL.
        assert!(!lines
            .iter()
            .any(|l| l.starts_with("LOCATION") || l.starts_with("GEO") || l.starts_with("URL")));

        // A date with no time is an all-day event.
        a.dates = vec![OneOff {
            date: "2026-12-05".into(),
            start: None,
            end: None,
        }];
        let lines =
            unfold(&next_session_ics(&a, "2026-11-23", "20261123T101500Z", None, en()).unwrap());
        assert_eq!(property(&lines, "DTSTART"), Some("VALUE=DATE:20261205"));
        assert_eq!(property(&lines, "DTEND"), Some("VALUE=DATE:20261206"));
        assert!(!lines.iter().any(|l| l.starts_with("RRULE:FREQ=WEEKLY")));
    }

    #[test]
    fn no_schedule_no_file() {
        let a = Activity::new("x", "Drop-in", "hub");
        assert_eq!(
            next_session_ics(&a, "2026-11-23", "20261123T101500Z", None, en()),
            None
        );
        // Only past dates, or a today that is not a date: nothing either.
        let mut a = a;
        a.dates = vec![OneOff {
            date: "2026-01-01".into(),
            start: None,
            end: None,
        }];
        assert_eq!(
            next_session_ics(&a, "2026-11-23", "20261123T101500Z", None, en()),
            None
        );
        assert_eq!(
            next_session_ics(&parkrun(), "soon", "20261123T101500Z", None, en()),
            None
        );
    }

    #[test]
    fn weekly_slots_with_several_days_notes_and_odd_times() {
        let mut a = parkrun();
        a.schedule = vec![
            Slot {
                days: vec![Weekday::Fri, Weekday::Mon, Weekday::Wed],
                start: Time::hm(23, 30),
                end: None,
                note: None,
                except: Vec::new(),
            },
            Slot {
                days: vec![Weekday::Tue],
                start: Time::hm(22, 0),
                end: Some(Time::hm(1, 0)),
                note: None,
                except: Vec::new(),
            },
        ];
        // Monday: the Monday slot, repeating on all three of its days; no end → an hour later, past midnight.
        let lines = unfold(&next_session_ics(&a, "2026-11-23", "bad stamp", None, en()).unwrap());
        assert_eq!(
            property(&lines, "DTSTART"),
            Some("TZID=Europe/London:20261123T233000")
        );
        assert_eq!(
            property(&lines, "DTEND"),
            Some("TZID=Europe/London:20261124T003000")
        );
        assert_eq!(
            property(&lines, "RRULE"),
            Some("FREQ=WEEKLY;BYDAY=MO,WE,FR")
        );
        // A stamp that is not one is replaced by the session's date.
        assert_eq!(property(&lines, "DTSTAMP"), Some("20261123T000000Z"));
        // Tuesday: ends after midnight.
        let lines =
            unfold(&next_session_ics(&a, "2026-11-24", "20261124T080000Z", None, en()).unwrap());
        assert_eq!(
            property(&lines, "DTEND"),
            Some("TZID=Europe/London:20261125T010000")
        );
        assert_eq!(property(&lines, "RRULE"), Some("FREQ=WEEKLY;BYDAY=TU"));

        // A slot with a qualifier is not every week: one event, the qualifier in words.
        a.schedule = vec![Slot {
            days: vec![Weekday::Sat],
            start: Time::hm(10, 0),
            end: Some(Time::hm(12, 0)),
            note: Some("first Saturday of the month".into()),
            except: Vec::new(),
        }];
        let lines =
            unfold(&next_session_ics(&a, "2026-11-23", "20261123T101500Z", None, en()).unwrap());
        assert!(!lines.iter().any(|l| l.starts_with("RRULE:FREQ=WEEKLY")));
        let desc = unescape(property(&lines, "DESCRIPTION").unwrap());
        assert!(
            desc.contains("When: Saturdays 10:00–12:00 (first Saturday of the month)"),
            "{desc}"
        );
        // Non-http websites are not URLs.
        a.contact.website = Some("www.example.org".into());
        let lines =
            unfold(&next_session_ics(&a, "2026-11-23", "20261123T101500Z", None, en()).unwrap());
        assert!(!lines.iter().any(|l| l.starts_with("URL")));
    }

    #[test]
    fn file_names_are_ascii_slugs() {
        let named = |n: &str| ics_file_name(&Activity::new("x", n, "hub"));
        assert_eq!(
            named("St. Mary's Community Café"),
            "st-marys-community-cafe.ics"
        );
        assert_eq!(named("花園"), "activity.ics");
        assert_eq!(named("  --  "), "activity.ics");
        let long = named(&"walk ".repeat(40));
        assert!(
            long.len() <= 64 && long.is_ascii() && !long.contains("-.ics"),
            "{long}"
        );
    }
}
