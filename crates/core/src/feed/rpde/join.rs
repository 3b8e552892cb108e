//! Harvested OpenActive records as activities: one activity per series, with its
//! sessions' dates.
//!
//! Publishers usually split a timetable in two feeds: `SessionSeries` (name, place,
//! organiser, `eventSchedule`) and `ScheduledSession` (one dated occurrence, whose
//! `superEvent` is the series' URL or id). `Slot` and `FacilityUse` pair the same way
//! through `facilityUse`. Each session is joined to its parent — the parent embedded in
//! it, or found by `@id`, `id`, `identifier` or RPDE id in any of the feeds given — and
//! each parent is read once by the OpenActive reader with its sessions' dates as its
//! `subEvent`s, so one series with 300 sessions is one pin, not 300.
//!
//! A session whose start is one of its series schedule's `exceptDate`s, or which is
//! cancelled or postponed, adds no date. Problem pointers are the item's page URL and
//! position (`{page}#/items/3/data/...`); under `subEvent` the index counts the joined
//! sessions, not a list in the feed.

use super::{Harvest, Record, Stop};
use crate::feed::check::text;
use crate::feed::openactive::{org_name, read_item, uk_local};
use crate::feed::{assemble, Loaded, Options, Out, Outcome, Shape};
use crate::model::{FeedMeta, Time};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Activities from the records of these feeds (in any order: sessions, series, or one
/// feed holding both), with every feed's problems and early stops. A harvest still
/// reading gives what it has read so far, so a driver can show a feed as it arrives.
///
/// ```
/// use activity_map_core::feed::rpde::{join, Harvest, Limits};
/// use activity_map_core::feed::Options;
///
/// let page = |items: &str, url: &str| format!(r#"{{"next":"{url}","items":[{items}]}}"#);
/// let series_url = "https://x.org/series";
/// let mut series = Harvest::new(series_url, Limits::default()).unwrap();
/// series.read_page(series_url, page(r#"{"state":"updated","kind":"SessionSeries",
///     "id":"s1","modified":1,"data":{"@type":"SessionSeries","@id":"https://x.org/series/s1",
///     "name":"Chair yoga","location":{"name":"Hall","geo":{"latitude":52.6,"longitude":1.3}}}}"#,
///     series_url).as_bytes());
/// let sessions_url = "https://x.org/sessions";
/// let mut sessions = Harvest::new(sessions_url, Limits::default()).unwrap();
/// let item = |id: &str, day: &str| format!(r#"{{"state":"updated","kind":"ScheduledSession",
///     "id":"{id}","modified":1,"data":{{"@type":"ScheduledSession",
///     "superEvent":"https://x.org/series/s1","startDate":"{day}T10:00:00Z"}}}}"#);
/// let items = format!("{},{}", item("a", "2027-01-04"), item("b", "2027-01-11"));
/// sessions.read_page(sessions_url, page(&items, sessions_url).as_bytes());
///
/// let loaded = join::load(&[&sessions, &series], &Options::default());
/// assert_eq!(loaded.feed.activities.len(), 1);
/// let yoga = &loaded.feed.activities[0];
/// assert_eq!(yoga.name, "Chair yoga");
/// assert_eq!(yoga.dates.len(), 2);
/// ```
pub fn load(feeds: &[&Harvest], opts: &Options) -> Loaded {
    load_inner(feeds, opts, None)
}

/// [`load`], keeping only the sessions on or after `today` (an ISO date, in UK time):
/// a feed keeps sessions for a while after they happen, and a series' past dates are
/// of no use on a map of what to go to.
///
/// ```
/// # use activity_map_core::feed::rpde::{join, Harvest, Limits};
/// # use activity_map_core::feed::Options;
/// let url = "https://x.org/all";
/// let mut h = Harvest::new(url, Limits::default()).unwrap();
/// let session = |id: &str, day: &str| format!(r#"{{"state":"updated","kind":"ScheduledSession",
///     "id":"{id}","modified":1,"data":{{"@type":"ScheduledSession","superEvent":"s1",
///     "startDate":"{day}T10:00:00Z"}}}}"#);
/// let page = format!(r#"{{"next":"{url}?p=2","items":[{},{},{}]}}"#,
///     r#"{"state":"updated","kind":"SessionSeries","id":"s1","modified":1,
///         "data":{"@type":"SessionSeries","name":"Chair yoga"}}"#,
///     session("a", "2026-11-30"), session("b", "2026-12-07"));
/// h.read_page(url, page.as_bytes());
/// let loaded = join::load_upcoming(&[&h], &Options::default(), "2026-12-02");
/// let dates: Vec<&str> = loaded.feed.activities[0].dates.iter().map(|d| d.date.as_str()).collect();
/// assert_eq!(dates, ["2026-12-07"]);
/// ```
pub fn load_upcoming(feeds: &[&Harvest], opts: &Options, today: &str) -> Loaded {
    load_inner(feeds, opts, Some(today))
}

fn load_inner(feeds: &[&Harvest], opts: &Options, since: Option<&str>) -> Loaded {
    let mut out = Out::default();
    for h in feeds {
        out.problems.extend_from_slice(h.problems());
        if let Some(stop) = h.stopped() {
            out.problem(
                stop_at(stop),
                None,
                format!("{stop} Items after it were not read."),
                Outcome::Skipped,
            );
        }
    }
    let records: Vec<Live> = feeds
        .iter()
        .flat_map(|h| h.records().live())
        .filter_map(Live::new)
        .collect();
    for j in items(&records, since, &mut out) {
        let before = out.problems.len();
        let read = read_item(&j.item, &j.at, &mut out, opts);
        // The reader places problems under the item's `data`; a parent embedded in a
        // session sits deeper, under the session's `superEvent` or `facilityUse`.
        let synthetic = format!("{}/data", j.at);
        if synthetic != j.data_at {
            for p in &mut out.problems[before..] {
                if let Some(rest) = p.at.strip_prefix(&synthetic) {
                    p.at = format!("{}{rest}", j.data_at);
                }
            }
        }
        if let Some(a) = read {
            out.add(j.at, a);
        }
    }
    assemble(Shape::OpenActive, meta(&records), out, opts)
}

/// The page a stop happened at, as a problem's pointer.
fn stop_at(stop: &Stop) -> String {
    match stop {
        Stop::BadStart { url }
        | Stop::Loop { url, .. }
        | Stop::OtherHost { url, .. }
        | Stop::NotAbsolute { url, .. }
        | Stop::NoNext { url }
        | Stop::Malformed { url, .. }
        | Stop::TooLarge { url, .. }
        | Stop::Fetch { url, .. }
        | Stop::WrongPage { url, .. } => url.clone(),
        Stop::PageLimit { .. } | Stop::ItemLimit { .. } => String::new(),
    }
}

fn meta(records: &[Live]) -> FeedMeta {
    let publisher = records
        .iter()
        .find_map(|l| org_name(l.data.get("publisher")));
    FeedMeta {
        name: publisher
            .clone()
            .unwrap_or_else(|| "OpenActive feed".into()),
        publisher,
        licence: None,
        updated: None,
        report_email: None,
    }
}

/// A live record with its data (always an object: a harvest keeps no other kind) and
/// its schema type: the data's `@type`, else the first part of its kind.
#[derive(Clone, Copy)]
struct Live<'a> {
    r: &'a Record,
    data: &'a Map<String, Value>,
    ty: &'a str,
}

impl<'a> Live<'a> {
    fn new(r: &'a Record) -> Option<Live<'a>> {
        let data = r.object()?;
        let ty = data
            .get("@type")
            .or(data.get("type"))
            .and_then(Value::as_str)
            .unwrap_or_else(|| r.kind.split(['.', '/']).next().unwrap_or(""));
        Some(Live { r, data, ty })
    }
}

/// For a session type, the field naming its parent.
fn parent_field(ty: &str) -> Option<&'static str> {
    match ty {
        "ScheduledSession" => Some("superEvent"),
        "Slot" => Some("facilityUse"),
        _ => None,
    }
}

/// The identifiers a parent can be referred to by.
fn keys_of(o: &Map<String, Value>) -> impl Iterator<Item = String> + '_ {
    ["@id", "id", "identifier"]
        .into_iter()
        .filter_map(|k| text(o.get(k)))
}

/// Where a group's parent comes from.
enum Parent<'a> {
    /// A record of the feeds.
    Record(Live<'a>),
    /// Embedded in a session (which lends its own fields the parent lacks).
    Embedded {
        obj: &'a Map<String, Value>,
        session: Live<'a>,
        /// The session's field it is embedded in.
        field: &'static str,
        kind: &'static str,
    },
}

struct Group<'a> {
    parent: Parent<'a>,
    sessions: Vec<&'a Map<String, Value>>,
}

/// Each parent with its sessions, as one item for the OpenActive reader.
fn items(records: &[Live], since: Option<&str>, out: &mut Out) -> Vec<Joined> {
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, l) in records.iter().enumerate() {
        if parent_field(l.ty).is_some() {
            continue;
        }
        let d = l.data;
        let mut keys: Vec<String> = std::iter::once(l.r.id.clone()).chain(keys_of(d)).collect();
        // A Slot may name one of a FacilityUse's individual facilities.
        for sub in d
            .get("individualFacilityUse")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
        {
            keys.extend(keys_of(sub));
        }
        for k in keys {
            index.entry(k).or_insert(i);
        }
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut group_of_record: HashMap<usize, usize> = HashMap::new();
    for (i, l) in records.iter().enumerate() {
        if parent_field(l.ty).is_none() {
            group_of_record.insert(i, groups.len());
            groups.push(Group {
                parent: Parent::Record(*l),
                sessions: Vec::new(),
            });
        }
    }
    let mut embedded: HashMap<String, usize> = HashMap::new();
    // Unresolved references, with how many sessions use each, reported once each.
    let mut missing: Vec<(String, String, usize)> = Vec::new();
    for &l in records {
        let (r, d) = (l.r, l.data);
        let Some(field) = parent_field(l.ty) else {
            continue;
        };
        let reference = match d.get(field) {
            Some(Value::Array(list)) => list.first(),
            other => other,
        };
        let kind = if field == "facilityUse" {
            "FacilityUse"
        } else {
            "SessionSeries"
        };
        let found = |key: &str| index.get(key).and_then(|i| group_of_record.get(i)).copied();
        let group = match reference {
            Some(Value::Object(o)) => match keys_of(o).find_map(|k| found(&k)) {
                Some(g) => g,
                None => {
                    let key = keys_of(o).next().unwrap_or_else(|| format!("\0{}", r.id));
                    *embedded.entry(key).or_insert_with(|| {
                        groups.push(Group {
                            parent: Parent::Embedded {
                                obj: o,
                                session: l,
                                field,
                                kind,
                            },
                            sessions: Vec::new(),
                        });
                        groups.len() - 1
                    })
                }
            },
            Some(v) => match text(Some(v)).and_then(|k| found(&k)) {
                Some(g) => g,
                None => {
                    let key = text(Some(v)).unwrap_or_else(|| v.to_string());
                    match missing.iter_mut().find(|m| m.0 == key) {
                        Some(m) => m.2 += 1,
                        None => missing.push((key, r.at.clone(), 1)),
                    }
                    continue;
                }
            },
            // No parent at all: the session stands alone.
            None => {
                groups.push(Group {
                    parent: Parent::Record(l),
                    sessions: Vec::new(),
                });
                continue;
            }
        };
        groups[group].sessions.push(d);
    }
    for (key, at, n) in missing {
        let many = if n == 1 {
            "this session".to_string()
        } else {
            format!("{n} sessions (this is the first)")
        };
        out.problem(
            at,
            None,
            format!(
                "{many} belong to \"{}\", which is in neither this feed nor the parent feed read with it, so they are not listed",
                crate::feed::check::truncate(&key, 120)
            ),
            Outcome::Skipped,
        );
    }
    groups.into_iter().map(|g| joined(g, since)).collect()
}

/// The OpenActive item for one parent and its sessions.
/// A parent with its sessions, as an item for the OpenActive reader.
struct Joined {
    /// Where the parent was read: its item, or the item of the session it is embedded in.
    at: String,
    item: Value,
    /// Where the parent's own fields are.
    data_at: String,
}

fn joined(g: Group, since: Option<&str>) -> Joined {
    let (mut data, kind, id, at, data_at) = match g.parent {
        Parent::Record(l) => (
            l.data.clone(),
            l.r.kind.clone(),
            l.r.id.clone(),
            l.r.at.clone(),
            format!("{}/data", l.r.at),
        ),
        Parent::Embedded {
            obj,
            session,
            field,
            kind,
        } => {
            let mut d = obj.clone();
            // The session's own description of the event fills what the parent leaves out.
            for (k, v) in session.data {
                const OWN: &[&str] = &[
                    "@type",
                    "@id",
                    "id",
                    "identifier",
                    "startDate",
                    "endDate",
                    "duration",
                    "superEvent",
                    "facilityUse",
                    "subEvent",
                    "eventStatus",
                    "@context",
                ];
                if !OWN.contains(&k.as_str()) && !d.contains_key(k) {
                    d.insert(k.clone(), v.clone());
                }
            }
            let id = keys_of(obj).next().unwrap_or_else(|| session.r.id.clone());
            d.entry("@type").or_insert_with(|| json!(kind));
            (
                d,
                kind.to_string(),
                id,
                session.r.at.clone(),
                format!("{}/data/{field}", session.r.at),
            )
        }
    };
    if !g.sessions.is_empty() {
        let except = except_dates(&data);
        let mut dated: Vec<((String, Option<Time>), Value)> = g
            .sessions
            .iter()
            .filter(|s| !cancelled(s))
            .filter_map(|s| {
                let start = s.get("startDate")?.as_str()?;
                let when = uk_local(start);
                let past = |(date, _): &(String, Option<Time>)| {
                    since.is_some_and(|today| date.as_str() < today)
                };
                // A date-only exception stands for every session that day.
                let excepted = |(date, time): &(String, Option<Time>)| {
                    except
                        .iter()
                        .any(|(d, t)| d == date && (t.is_none() || t == time))
                };
                if when.as_ref().is_some_and(|w| excepted(w) || past(w)) {
                    return None;
                }
                let mut sub = Map::new();
                for k in ["startDate", "endDate"] {
                    if let Some(v) = s.get(k) {
                        sub.insert(k.into(), v.clone());
                    }
                }
                Some((when.unwrap_or_default(), Value::Object(sub)))
            })
            .collect();
        dated.sort_by(|a, b| a.0.cmp(&b.0));
        let subs = data
            .entry("subEvent")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !subs.is_array() {
            *subs = Value::Array(Vec::new());
        }
        if let Value::Array(list) = subs {
            list.extend(dated.into_iter().map(|(_, v)| v));
        }
    }
    let item = json!({"state": "updated", "kind": kind, "id": id, "data": Value::Object(data)});
    Joined { at, item, data_at }
}

fn cancelled(s: &Map<String, Value>) -> bool {
    s.get("eventStatus")
        .and_then(Value::as_str)
        .is_some_and(|st| st.ends_with("EventCancelled") || st.ends_with("EventPostponed"))
}

/// The starts (UK date and time) the parent's `eventSchedule`s say do not happen.
fn except_dates(parent: &Map<String, Value>) -> Vec<(String, Option<Time>)> {
    let schedules: Vec<&Value> = match parent.get("eventSchedule") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for s in schedules {
        let dates: Vec<&Value> = match s.get("exceptDate") {
            Some(Value::Array(list)) => list.iter().collect(),
            Some(v) => vec![v],
            None => Vec::new(),
        };
        out.extend(
            dates
                .into_iter()
                .filter_map(Value::as_str)
                .filter_map(uk_local),
        );
    }
    out
}
