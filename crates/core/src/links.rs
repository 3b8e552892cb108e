//! Links from an activity to other services: its next session in Google Calendar or
//! Outlook, the way there on foot or by public transport, an email to the feed's
//! publisher about a listing that looks wrong, and what sharing an activity or a
//! shortlist says (the share sheet's text, "Email this list").
//!
//! Pure, like `ics`: the caller says what today is. Sessions are in UK local time
//! (Europe/London); both calendar services take UTC here, worked out by
//! [`uk_local_to_utc`], so a 9:00 session is 9:00 in the calendar in summer and winter.

use crate::calendar::{civil_from_days, date_of_day, uk_local_to_utc, MINUTES_PER_DAY};
use crate::ics::{description, ics_date, next_event};
use crate::lang::Messages;
use crate::model::{Activity, LatLng};
use crate::schedule::when_in_words;
use crate::url_state::encode;

/// How much of the activity's own description goes into a calendar link: the whole
/// link must stay short enough for phones and the services (a few thousand characters).
const OWN_TEXT_MAX: usize = 500;

/// "Add to" links for an activity's next session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarLinks {
    pub google: String,
    pub outlook: String,
}

/// Links that open Google Calendar and Outlook (outlook.live.com) with the activity's
/// next session on or after `today` (`YYYY-MM-DD`) filled in, or `None` when it has no
/// upcoming date. `page_url` links back to the activity from the event's notes.
///
/// Only the next session: a weekly activity is not added as a repeating event, since
/// neither link can say "except on these dates" or "first Saturday of the month".
pub fn calendar_links(
    a: &Activity,
    today: &str,
    page_url: Option<&str>,
    m: &Messages,
) -> Option<CalendarLinks> {
    let next = next_event(a, today)?;
    let notes = description(a, next.slot, page_url, OWN_TEXT_MAX, m);
    let place = a.location.summary(m);
    let (google_dates, outlook_times) = if next.all_day {
        // Both services end an all-day event on the day after (exclusive).
        let (start, end) = (next.day, next.day + 1);
        (
            format!("{}/{}", ics_date(start), ics_date(end)),
            format!(
                "startdt={}&enddt={}&allday=true",
                date_of_day(start),
                date_of_day(end)
            ),
        )
    } else {
        let start = uk_local_to_utc(next.day, i64::from(next.start.0));
        let end = uk_local_to_utc(next.end_day, i64::from(next.end.0));
        (
            format!("{}/{}", compact_utc(start), compact_utc(end)),
            format!("startdt={}&enddt={}", iso_utc(start), iso_utc(end)),
        )
    };
    let mut google = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={google_dates}&details={}",
        encode(&a.name),
        encode(&notes)
    );
    let mut outlook = format!(
        "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={}&{outlook_times}&body={}",
        encode(&a.name),
        encode(&notes)
    );
    if !place.is_empty() {
        let place = encode(&place);
        google.push_str(&format!("&location={place}"));
        outlook.push_str(&format!("&location={place}"));
    }
    Some(CalendarLinks { google, outlook })
}

/// Walking directions to `p` on OpenStreetMap (the person chooses where from there).
pub fn walking_directions(p: LatLng) -> String {
    format!(
        "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&to={:.5}%2C{:.5}#map=16/{:.5}/{:.5}",
        p.lat, p.lng, p.lat, p.lng
    )
}

/// Public transport directions to `p`, from wherever the person is.
///
/// Google Maps' cross-platform "Maps URLs" (`/maps/dir/?api=1`): one plain https link,
/// no key, that Android and iOS hand to the Google Maps app when it is installed (the
/// browser otherwise), with UK buses, trams and trains from Traveline. The alternatives
/// each fail somewhere: OpenStreetMap routes no public transport, Apple Maps links do
/// nothing useful off Apple devices, a `geo:` link cannot ask for public transport and
/// does nothing on a desktop, and the UK journey planners take no coordinates in a link.
pub fn transit_directions(p: LatLng) -> String {
    format!(
        "https://www.google.com/maps/dir/?api=1&destination={:.5}%2C{:.5}&travelmode=transit",
        p.lat, p.lng
    )
}

/// A `mailto:` link to the feed's publisher (`to`, a checked address) about one listing:
/// the subject and body name it by id and name, and link back to it (`page_url`).
pub fn report_problem_mailto(
    to: &str,
    a: &Activity,
    page_url: Option<&str>,
    m: &Messages,
) -> String {
    // The address's two halves are encoded apart: the `@` between them stays as it is.
    let address = match to.trim().rsplit_once('@') {
        Some((who, domain)) => format!("{}@{}", encode(who), encode(domain)),
        None => encode(to.trim()),
    };
    let (name, id) = (a.name.as_str(), a.id.as_str());
    let subject = m.fill("report.subject", &[("name", name), ("id", id)]);
    let mut body = format!(
        "{}\r\n\r\n{}\r\n\r\n{}\r\n{}\r\n",
        m.get("report.hello"),
        m.get("report.intro"),
        m.fill("report.listing", &[("name", name)]),
        m.fill("report.id", &[("id", id)]),
    );
    if let Some(u) = page_url.map(str::trim).filter(|u| !u.is_empty()) {
        body.push_str(&format!("{}\r\n", m.fill("report.link", &[("link", u)])));
    }
    body.push_str(&format!("\r\n{}\r\n\r\n", m.get("report.what")));
    format!(
        "mailto:{address}?subject={}&body={}",
        encode(&subject),
        encode(&body)
    )
}

/// What the phone's share sheet says about one activity, beside its link: its name,
/// when it is (in words) and where, one to a line.
pub fn share_text(a: &Activity, m: &Messages) -> String {
    [a.name.clone(), when_line(a, m), a.location.summary(m)]
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What sharing a shortlist says: "3 activities from Norfolk activities".
pub fn shortlist_share_text(count: usize, feed_name: &str, m: &Messages) -> String {
    match feed_name.trim() {
        "" => m.count("share.activities", count as u64, &[]),
        name => m.count("share.activities_from", count as u64, &[("feed", name)]),
    }
}

/// When an activity is, on one line ("Saturdays 9:00–10:00; 4 Jul 2026 10:00–12:00").
fn when_line(a: &Activity, m: &Messages) -> String {
    when_in_words(a, m).join(&format!("{} ", m.get("list.semicolon")))
}

/// The longest "Email this list" link made: some mail apps cut longer `mailto:` links
/// short (and with them the link to the list at the end).
pub const MAILTO_MAX: usize = 1800;

/// An "Email this list" link: a `mailto:` with no address (the person picks who it goes
/// to in their mail app) whose body lists each activity, given with its own link, by
/// name, when, where and link, then the link to the whole list (`list_link`). When they
/// would not all fit in [`MAILTO_MAX`] characters, the body lists as many as fit and
/// says how many more there are, with the list's link.
pub fn shortlist_mailto(
    items: &[(&Activity, String)],
    list_link: &str,
    feed_name: &str,
    m: &Messages,
) -> String {
    let subject = shortlist_share_text(items.len(), feed_name, m);
    let link = |body: &str| format!("mailto:?subject={}&body={}", encode(&subject), encode(body));
    let mut body = format!("{}\r\n", m.get("email.intro"));
    let list_link = list_link.trim();
    for (n, (a, own)) in items.iter().enumerate() {
        let when = match when_line(a, m) {
            w if w.is_empty() => m.get("email.ask_when").to_string(),
            w => w,
        };
        let entry = format!(
            "\r\n{}. {}\r\n{}\r\n{}\r\n{}\r\n",
            n + 1,
            a.name.trim(),
            m.fill("email.when", &[("when", &when)]),
            m.fill("email.where", &[("where", &a.location.summary(m))]),
            m.fill("email.link", &[("link", own.trim())]),
        );
        let last = n + 1 == items.len();
        let end = if last {
            whole_list(list_link, m)
        } else {
            more(items.len() - n - 1, list_link, m)
        };
        // This one fits only if what must follow it still does.
        let with = format!("{body}{entry}{end}");
        if link(&with).len() > MAILTO_MAX {
            return link(&format!("{body}{}", more(items.len() - n, list_link, m)));
        }
        body.push_str(&entry);
    }
    link(&format!("{body}{}", whole_list(list_link, m)))
}

fn whole_list(list_link: &str, m: &Messages) -> String {
    format!(
        "\r\n{}\r\n",
        m.fill("email.whole_list", &[("link", list_link)])
    )
}

fn more(left: usize, list_link: &str, m: &Messages) -> String {
    let more = m.count("email.more", left as u64, &[("link", list_link)]);
    format!("\r\n{more}\r\n")
}

/// Year, month, day, hours and minutes of a UTC moment (minutes since 1970).
fn utc_parts(minutes: i64) -> (i32, u32, u32, i64, i64) {
    let (y, m, d) = civil_from_days(minutes.div_euclid(MINUTES_PER_DAY));
    let minute = minutes.rem_euclid(MINUTES_PER_DAY);
    (y, m, d, minute / 60, minute % 60)
}

/// `20260704T080000Z`
fn compact_utc(minutes: i64) -> String {
    let (y, m, d, h, min) = utc_parts(minutes);
    format!("{y:04}{m:02}{d:02}T{h:02}{min:02}00Z")
}

/// `2026-07-04T08:00:00Z`
fn iso_utc(minutes: i64) -> String {
    let (y, m, d, h, min) = utc_parts(minutes);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> &'static Messages {
        Messages::english()
    }
    use crate::model::{OneOff, Slot, Time, Weekday};
    use crate::url_state::decode;

    fn walk() -> Activity {
        let mut a = Activity::new("walk-1", "Café walk & talk #3 — Żółć", "green");
        a.description = "A gentle walk, then tea.".into();
        a.location.place = Some("Eaton Park".into());
        a.location.postcode = Some("NR4 7AU".into());
        a.location.lat = Some(52.6215);
        a.location.lng = Some(1.2556);
        a.schedule = vec![Slot {
            days: vec![Weekday::Sat],
            start: Time::hm(9, 0),
            end: Some(Time::hm(10, 30)),
            note: None,
            except: Vec::new(),
        }];
        a
    }

    /// The decoded value of `key` in a link's query.
    fn param(link: &str, key: &str) -> Option<String> {
        let query = link.split_once('?')?.1;
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == key).then(|| decode(v))
        })
    }

    #[test]
    fn summer_time_session_is_an_hour_earlier_in_utc() {
        // Saturday 4 July 2026, 9:00–10:30 BST = 8:00–9:30 UTC.
        let l = calendar_links(
            &walk(),
            "2026-07-01",
            Some("https://example.org/?sel=walk-1"),
            en(),
        )
        .unwrap();
        assert_eq!(
            param(&l.google, "dates").as_deref(),
            Some("20260704T080000Z/20260704T093000Z")
        );
        assert_eq!(
            param(&l.outlook, "startdt").as_deref(),
            Some("2026-07-04T08:00:00Z")
        );
        assert_eq!(
            param(&l.outlook, "enddt").as_deref(),
            Some("2026-07-04T09:30:00Z")
        );
        assert!(l
            .google
            .starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&text="));
        assert!(l
            .outlook
            .starts_with("https://outlook.live.com/calendar/0/deeplink/compose?"));
        assert_eq!(param(&l.outlook, "rru").as_deref(), Some("addevent"));
        let notes = param(&l.google, "details").unwrap();
        assert!(notes.starts_with("A gentle walk, then tea."), "{notes}");
        assert!(
            notes.ends_with("More details: https://example.org/?sel=walk-1"),
            "{notes}"
        );
        assert_eq!(param(&l.outlook, "body").unwrap(), notes);
    }

    #[test]
    fn winter_session_is_the_same_in_utc() {
        // Saturday 5 December 2026, GMT.
        let l = calendar_links(&walk(), "2026-12-02", None, en()).unwrap();
        assert_eq!(
            param(&l.google, "dates").as_deref(),
            Some("20261205T090000Z/20261205T103000Z")
        );
        assert_eq!(
            param(&l.outlook, "startdt").as_deref(),
            Some("2026-12-05T09:00:00Z")
        );
        assert_eq!(
            param(&l.outlook, "enddt").as_deref(),
            Some("2026-12-05T10:30:00Z")
        );
    }

    #[test]
    fn the_weekend_the_clocks_go_back_and_a_session_past_midnight() {
        let mut a = walk();
        a.schedule[0].days = vec![Weekday::Sun];
        a.schedule[0].start = Time::hm(23, 0);
        a.schedule[0].end = Some(Time::hm(1, 0));
        // Saturday 24 October 2026 23:00 BST is 22:00 UTC; Sunday 25th 23:00 GMT is 23:00 UTC.
        let l = calendar_links(&a, "2026-10-25", None, en()).unwrap();
        assert_eq!(
            param(&l.google, "dates").as_deref(),
            Some("20261025T230000Z/20261026T010000Z")
        );
        a.schedule[0].days = vec![Weekday::Sat];
        let l = calendar_links(&a, "2026-10-24", None, en()).unwrap();
        // Ends at 01:00 on the 25th, the first (BST) one: 00:00 UTC.
        assert_eq!(
            param(&l.google, "dates").as_deref(),
            Some("20261024T220000Z/20261025T000000Z")
        );
    }

    #[test]
    fn text_is_percent_encoded() {
        let l = calendar_links(&walk(), "2026-07-01", None, en()).unwrap();
        // &, #, spaces and every non-ASCII byte are encoded; nothing breaks the query.
        assert!(
            l.google.contains(
                "text=Caf%C3%A9%20walk%20%26%20talk%20%233%20%E2%80%94%20%C5%BB%C3%B3%C5%82%C4%87&"
            ),
            "{}",
            l.google
        );
        assert!(l
            .outlook
            .contains("subject=Caf%C3%A9%20walk%20%26%20talk%20%233"));
        assert_eq!(param(&l.google, "text").unwrap(), walk().name);
        assert_eq!(
            param(&l.google, "location").as_deref(),
            Some("Eaton Park, NR4 7AU")
        );
        assert_eq!(
            param(&l.outlook, "location").as_deref(),
            Some("Eaton Park, NR4 7AU")
        );
        for link in [&l.google, &l.outlook] {
            assert!(
                link.is_ascii() && !link.contains(' ') && !link.contains('#'),
                "{link}"
            );
            // Exactly the parameters written: no stray `&` from the text.
            assert!(link.split('&').all(|kv| kv.contains('=')), "{link}");
        }
    }

    #[test]
    fn all_day_dates_and_no_dates() {
        let mut a = Activity::new("fair", "Fair", "hub");
        a.dates = vec![OneOff {
            date: "2026-08-01".into(),
            start: None,
            end: None,
        }];
        let l = calendar_links(&a, "2026-07-01", None, en()).unwrap();
        assert_eq!(
            param(&l.google, "dates").as_deref(),
            Some("20260801/20260802")
        );
        assert_eq!(param(&l.outlook, "startdt").as_deref(), Some("2026-08-01"));
        assert_eq!(param(&l.outlook, "enddt").as_deref(), Some("2026-08-02"));
        assert_eq!(param(&l.outlook, "allday").as_deref(), Some("true"));
        // Nowhere given: no location.
        assert_eq!(param(&l.google, "location"), None);
        assert_eq!(calendar_links(&a, "2026-09-01", None, en()), None);
        assert_eq!(
            calendar_links(
                &Activity::new("x", "Drop-in", "hub"),
                "2026-07-01",
                None,
                en()
            ),
            None
        );
    }

    #[test]
    fn long_descriptions_are_shortened() {
        let mut a = walk();
        a.description = "word ".repeat(1000).into();
        let l = calendar_links(&a, "2026-07-01", None, en()).unwrap();
        let notes = param(&l.google, "details").unwrap();
        assert!(
            notes.chars().count() < OWN_TEXT_MAX + 200,
            "{}",
            notes.len()
        );
        assert!(notes.contains("…\n\nCost:"), "{notes}");
    }

    #[test]
    fn directions() {
        let p = LatLng {
            lat: 52.621_54,
            lng: -1.255_61,
        };
        assert_eq!(
            transit_directions(p),
            "https://www.google.com/maps/dir/?api=1&destination=52.62154%2C-1.25561&travelmode=transit"
        );
        assert_eq!(
            walking_directions(p),
            "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&to=52.62154%2C-1.25561#map=16/52.62154/-1.25561"
        );
    }

    #[test]
    fn report_a_problem_email() {
        let link = report_problem_mailto(
            "listings+map@example.org",
            &walk(),
            Some("https://example.org/?sel=walk-1"),
            en(),
        );
        assert!(
            link.starts_with("mailto:listings%2Bmap@example.org?subject="),
            "{link}"
        );
        assert_eq!(
            param(&link, "subject").as_deref(),
            Some("Problem with a listing: Café walk & talk #3 — Żółć (walk-1)")
        );
        let body = param(&link, "body").unwrap();
        assert!(
            body.contains("Listing: Café walk & talk #3 — Żółć\r\nId: walk-1\r\n"),
            "{body}"
        );
        assert!(
            body.contains("Link: https://example.org/?sel=walk-1\r\n"),
            "{body}"
        );
        assert!(link.is_ascii() && !link.contains(' ') && !link.contains('#'));
        // No page: no link line.
        let link = report_problem_mailto("a@example.org", &walk(), None, en());
        assert!(!param(&link, "body").unwrap().contains("Link:"));
    }

    fn numbered(n: usize) -> Activity {
        let mut a = walk();
        a.id = format!("walk-{n}");
        a.name = format!("Walk number {n} & a cuppa at the Community Centre by the Green");
        a
    }

    #[test]
    fn share_text_names_the_activity_when_and_where() {
        assert_eq!(
            share_text(&walk(), en()),
            "Café walk & talk #3 — Żółć\nSaturdays 9:00–10:30\nEaton Park, NR4 7AU"
        );
        let mut bare = Activity::new("x", "Choir", "hub");
        bare.location = Default::default();
        assert_eq!(share_text(&bare, en()), "Choir");
        assert_eq!(
            shortlist_share_text(1, "Norfolk", en()),
            "1 activity from Norfolk"
        );
        assert_eq!(shortlist_share_text(3, " ", en()), "3 activities");
    }

    #[test]
    fn email_this_list_lists_each_activity_then_the_whole_list() {
        let (a, b) = (walk(), numbered(2));
        let items = [
            (
                &a,
                "https://example.org/?list=walk-1,walk-2&sel=walk-1".to_string(),
            ),
            (
                &b,
                "https://example.org/?list=walk-1,walk-2&sel=walk-2".to_string(),
            ),
        ];
        let list = "https://example.org/?list=walk-1,walk-2&show=shortlist";
        let m = shortlist_mailto(&items, list, "Norfolk activities", en());
        assert!(m.starts_with("mailto:?subject="), "{m}");
        // Nothing in the feed's text breaks the link: every & # ? and line break is encoded.
        assert_eq!(m.matches('&').count(), 1, "{m}");
        assert!(!m.contains(['#', '\n', '\r', ' ']), "{m}");
        assert_eq!(
            param(&m, "subject").as_deref(),
            Some("2 activities from Norfolk activities")
        );
        let body = param(&m, "body").unwrap();
        let first = body.find("1. Café walk & talk #3 — Żółć\r\nWhen: Saturdays 9:00–10:30\r\nWhere: Eaton Park, NR4 7AU\r\nLink: https://example.org/?list=walk-1,walk-2&sel=walk-1\r\n");
        let second = body.find("2. Walk number 2 & a cuppa");
        let whole = body.find(&format!("The whole list: {list}"));
        assert!(
            first.is_some() && first < second && second < whole,
            "{body}"
        );
        assert!(body.contains("Link: https://example.org/?list=walk-1,walk-2&sel=walk-2"));
        assert!(!body.contains("more"), "{body}");
    }

    #[test]
    fn a_long_list_stays_under_the_limit_and_says_how_many_more() {
        let all: Vec<Activity> = (1..=40).map(numbered).collect();
        let items: Vec<(&Activity, String)> = all
            .iter()
            .map(|a| {
                (
                    a,
                    format!("https://example.org/finder/?list=many&sel={}", a.id),
                )
            })
            .collect();
        let list = "https://example.org/finder/?list=many&show=shortlist";
        let m = shortlist_mailto(&items, list, "Norfolk activities", en());
        assert!(m.len() <= MAILTO_MAX, "{} characters", m.len());
        let body = param(&m, "body").unwrap();
        let shown = body.matches("\r\nWhen: ").count();
        assert!(shown >= 3, "{body}");
        assert!(
            body.contains(&format!(
                "...and {} more — open the list: {list}",
                40 - shown
            )),
            "{body}"
        );
        assert!(body.contains(&format!("{shown}. Walk number {shown} ")));
        assert_eq!(
            param(&m, "subject").as_deref(),
            Some("40 activities from Norfolk activities")
        );
        // Every count of activities up to 40 stays under it too.
        for n in 1..=40 {
            let m = shortlist_mailto(&items[..n], list, "Norfolk activities", en());
            assert!(m.len() <= MAILTO_MAX, "{n}: {} characters", m.len());
            assert!(param(&m, "body").unwrap().contains(list), "{n}");
        }
    }
}
