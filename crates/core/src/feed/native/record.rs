//! One activity record of our format (or a GeoJSON feature's properties, which carry
//! the same field names): every field checked, a bad one reported and left out, and
//! the record turned away only when it cannot be listed at all.

use crate::calendar;
use crate::feed::check::{self, first_of, number, text};
use crate::feed::json::{Json, Kind};
use crate::feed::{Join, Out, Outcome};
use crate::model::{Activity, Cost, OneOff, Slot, Weekday};

/// What a GeoJSON feature adds to the properties it wraps.
pub struct GeoFeature<'a, V> {
    /// Pointer of the feature; its geometry is at `{at}/geometry`.
    pub at: &'a str,
    /// The geometry's point, or why it could not be used; `None` when there is no geometry.
    pub point: Option<Result<(f64, f64), String>>,
    /// The feature's own `id`, used when the properties have none.
    pub id: Option<&'a V>,
}

/// Read one activity record at `at`. For GeoJSON, `feature` carries the geometry and
/// id; otherwise the point comes from `location.lat/lng`. Returns `None` (with a
/// problem) when the record is unusable.
pub fn record<V: Json>(
    v: &V,
    at: &str,
    feature: Option<GeoFeature<V>>,
    out: &mut Out,
) -> Option<Activity> {
    if !v.is_object() {
        out.problem(at, None, "an activity must be an object", Outcome::Skipped);
        return None;
    }
    let o = v;
    let id_value = o
        .get("id")
        .filter(|v| !v.is_null())
        .or_else(|| feature.as_ref().and_then(|f| f.id));
    let (id, name) = match (
        check::required_text(id_value, "id"),
        check::required_text(o.get("name"), "name"),
    ) {
        (Ok(id), Ok(name)) => (id, name),
        (id, name) => {
            let label = id.as_ref().ok().or(name.as_ref().ok());
            let why: Vec<&str> = [id.as_ref().err(), name.as_ref().err()]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            let message = if why.len() == 2 && why.iter().all(|w| w.ends_with("missing")) {
                "required fields id and name are missing".to_string()
            } else {
                why.join("; ")
            };
            out.problem(at, label.map(String::as_str), message, Outcome::Skipped);
            return None;
        }
    };
    let category = match check::required_text(o.get("category"), "category") {
        Ok(c) => c,
        Err(why) => {
            out.problem(at, Some(&id), why, Outcome::Skipped);
            return None;
        }
    };
    let mut a = Activity::new(id, name, category);
    a.tags = strings(o.get("tags"))
        .into_iter()
        .map(|t| t.to_lowercase())
        .collect();
    if let Some(d) = o.get("description").and_then(Json::as_str) {
        let (plain, had_tags) = check::clean_text(d);
        if had_tags {
            out.problem(
                Join(at, "/description"),
                Some(&a.id),
                "description contains HTML tags; shown as plain text with the tags removed",
                Outcome::FieldDropped,
            );
        }
        a.description = out.share(plain);
    }
    read_location(o.get("location"), feature, &mut a, at, out);
    read_schedule(o, &mut a, at, out);
    a.cost = read_cost(o.get("cost"));
    for (i, item) in items(o.get("accessibility")) {
        let at = || item_at(at, "/accessibility", i);
        match item {
            Some(f) => match check::feature(&f) {
                Some(feat) if !a.accessibility.contains(&feat) => a.accessibility.push(feat),
                Some(_) => {}
                None => out.problem(
                    at(),
                    Some(&a.id),
                    format!(
                        "\"{}\" is not in the accessibility vocabulary",
                        check::truncate(&f, 40)
                    ),
                    Outcome::FieldDropped,
                ),
            },
            None => out.problem(
                at(),
                Some(&a.id),
                "accessibility entry is not text",
                Outcome::FieldDropped,
            ),
        }
    }
    if let Some(g) = o.get("ages").filter(|g| g.is_object()) {
        let min = g
            .get("min")
            .and_then(number)
            .map(|n| n.clamp(0.0, 120.0) as u8);
        let max = g
            .get("max")
            .and_then(number)
            .map(|n| n.clamp(0.0, 120.0) as u8);
        check::set_ages(&mut a, min, max, Join(at, "/ages"), out);
    }
    for (i, item) in items(o.get("joining")) {
        let at = || item_at(at, "/joining", i);
        match item {
            Some(j) => match check::joining(&j) {
                Some(jn) if !a.joining.contains(&jn) => a.joining.push(jn),
                Some(_) => {}
                None => out.problem(
                    at(),
                    Some(&a.id),
                    format!(
                        "\"{}\" is not one of self-referral, link-worker, booking",
                        check::truncate(&j, 40)
                    ),
                    Outcome::FieldDropped,
                ),
            },
            None => out.problem(
                at(),
                Some(&a.id),
                "joining entry is not text",
                Outcome::FieldDropped,
            ),
        }
    }
    if let Some(c) = o.get("contact").filter(|c| c.is_object()) {
        let s = |k: &str| c.get(k).and_then(Json::as_str);
        check::set_contact(
            &mut a,
            s("website"),
            s("email"),
            s("phone"),
            Join(at, "/contact"),
            out,
        );
    }
    a.organiser = text(o.get("organiser").or(o.get("organizer")));
    if let Some(s) = o.get("checked").and_then(Json::as_str) {
        match check::iso_date(s) {
            Some(d) => a.checked = Some(d),
            None => out.problem(
                Join(at, "/checked"),
                Some(&a.id),
                format!("\"{}\" is not a date (YYYY-MM-DD)", check::truncate(s, 30)),
                Outcome::FieldDropped,
            ),
        }
    }
    Some(a)
}

/// The pointer of a list entry, or of the field itself when it was written as one string.
fn item_at(at: &str, field: &str, i: Option<usize>) -> String {
    match i {
        Some(i) => format!("{at}{field}/{i}"),
        None => format!("{at}{field}"),
    }
}

/// Entries of a list field with their index: an array gives `(Some(i), text)` for each
/// entry (`None` text for an entry that is not text; empty ones are passed over); a
/// single string is split at commas and its entries have no index of their own.
fn items<V: Json>(v: Option<&V>) -> Vec<(Option<usize>, Option<String>)> {
    match v.map(Json::kind) {
        Some(Kind::Array(list)) => list
            .iter()
            .enumerate()
            .filter_map(|(i, x)| match x.kind() {
                Kind::Str(_) | Kind::Number(_) => text(Some(x)).map(|t| (Some(i), Some(t))),
                Kind::Null => None,
                _ => Some((Some(i), None)),
            })
            .collect(),
        Some(Kind::Str(s)) => s
            .split(',')
            .map(check::plain_text)
            .filter(|p| !p.is_empty())
            .map(|p| (None, Some(p)))
            .collect(),
        _ => Vec::new(),
    }
}

fn read_location<V: Json>(
    v: Option<&V>,
    feature: Option<GeoFeature<V>>,
    a: &mut Activity,
    at: &str,
    out: &mut Out,
) {
    let o = v.filter(|o| o.is_object());
    if let Some(o) = o {
        a.location.place = text(o.get("place"));
        a.location.address =
            check::address_after_place(a.location.place.as_deref(), text(o.get("address")));
        a.location.postcode = text(o.get("postcode")).map(|p| p.to_uppercase());
        a.location.online = o.get("online").and_then(Json::as_bool).unwrap_or(false);
        a.location.area = text(o.get("area"));
    }
    let lat = o
        .and_then(|o| first_of(o, &["lat", "latitude"]))
        .and_then(number);
    let lng = o
        .and_then(|o| first_of(o, &["lng", "lon", "longitude"]))
        .and_then(number);
    let location_at = Join(at, "/location");
    let reported = match feature {
        None | Some(GeoFeature { point: None, .. }) => {
            check::set_point(a, lat, lng, location_at, out)
        }
        Some(GeoFeature {
            at: fat,
            point: Some(Ok((lat, lng))),
            ..
        }) => check::set_point(a, Some(lat), Some(lng), Join(fat, "/geometry"), out),
        Some(GeoFeature {
            at: fat,
            point: Some(Err(why)),
            ..
        }) => {
            // The geometry is ignored; location.lat/lng are used if present.
            check::set_point(a, lat, lng, location_at, out);
            let (message, outcome) = if a.point().is_some() {
                (
                    format!("{why}; the pin comes from location.lat/lng instead"),
                    Outcome::FieldDropped,
                )
            } else {
                (format!("{why}; listed without a pin"), Outcome::NoPin)
            };
            out.problem(Join(fat, "/geometry"), Some(&a.id), message, outcome);
            true
        }
    };
    check::note_missing_place(a, location_at, reported, out);
}

fn read_schedule<V: Json>(o: &V, a: &mut Activity, at: &str, out: &mut Out) {
    if let Some(slots) = o.get("schedule").and_then(Json::as_array) {
        for (i, s) in slots.iter().enumerate() {
            match read_slot(s) {
                Ok(slot) => a.schedule.push(slot),
                Err(why) => out.problem(
                    format!("{at}/schedule/{i}"),
                    Some(&a.id),
                    why,
                    Outcome::FieldDropped,
                ),
            }
        }
    }
    if let Some(dates) = o.get("dates").and_then(Json::as_array) {
        for (i, d) in dates.iter().enumerate() {
            if let Some(one) = read_date(d, a, || format!("{at}/dates/{i}"), out) {
                a.dates.push(one);
            }
        }
    }
}

/// One `dates` entry. An unreadable start or end, or an end that is not after the
/// start, is reported and left out; the date itself is kept.
fn read_date<V: Json>(
    d: &V,
    a: &Activity,
    at: impl Fn() -> String,
    out: &mut Out,
) -> Option<OneOff> {
    let Some(date) = d
        .get("date")
        .and_then(Json::as_str)
        .and_then(check::iso_date)
    else {
        out.problem(
            at(),
            Some(&a.id),
            "date is missing or not a real date written YYYY-MM-DD",
            Outcome::FieldDropped,
        );
        return None;
    };
    let mut time_of = |key: &str| match d.get(key) {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) => {
            let parsed = match v.as_str() {
                Some(s) => check::time(s),
                None => Err(format!("{v} is not a time")),
            };
            match parsed {
                Ok(t) => Some(t),
                Err(why) => {
                    out.problem(
                        format!("{}/{key}", at()),
                        Some(&a.id),
                        format!("{key} {why}; the date is kept without it"),
                        Outcome::FieldDropped,
                    );
                    None
                }
            }
        }
    };
    let start = time_of("start");
    let mut end = time_of("end");
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            out.problem(
                format!("{}/end", at()),
                Some(&a.id),
                format!("end {e} is not after start {s}; the date is kept without an end time"),
                Outcome::FieldDropped,
            );
            end = None;
        }
    }
    Some(OneOff { date, start, end })
}

fn read_slot<V: Json>(v: &V) -> Result<Slot, String> {
    if !v.is_object() {
        return Err("a schedule slot must be an object with days, start and end".into());
    }
    let o = v;
    let mut found = Vec::new();
    for d in strings(o.get("days")) {
        let day = check::weekday(&d)
            .ok_or_else(|| format!("\"{}\" is not a day of the week", check::truncate(&d, 30)))?;
        found.push(day);
    }
    if found.is_empty() {
        return Err("schedule slot has no days".into());
    }
    // In the week's order, each once (rather than a sort: its code, compiled for this
    // type alone, was 5 KB of wasm in the module that draws the first pins).
    let days: Vec<Weekday> = Weekday::ALL
        .into_iter()
        .filter(|d| found.contains(d))
        .collect();
    let start_s = o
        .get("start")
        .and_then(Json::as_str)
        .ok_or("schedule slot has no start time")?;
    let start = check::time(start_s).map_err(|why| format!("start {why}"))?;
    let end = match o.get("end").and_then(Json::as_str) {
        Some(e) => Some(check::time(e).map_err(|why| format!("end {why}"))?),
        None => None,
    };
    if let Some(e) = end.filter(|e| *e <= start) {
        return Err(format!("end {e} is not after start {start}"));
    }
    let mut except = Vec::new();
    for d in strings(o.get("except")) {
        if calendar::parse_date(&d).is_none() {
            return Err(format!(
                "except \"{}\" is not a date (YYYY-MM-DD)",
                check::truncate(&d, 30)
            ));
        }
        except.push(d);
    }
    Ok(Slot {
        days,
        start,
        end,
        note: text(o.get("note")),
        except,
    })
}

fn read_cost<V: Json>(v: Option<&V>) -> Cost {
    match v.map(|c| (c, c.kind())) {
        Some((c, Kind::Object)) => Cost {
            free: c.get("free").and_then(Json::as_bool).unwrap_or(false),
            description: text(c.get("description")),
        },
        Some((_, Kind::Str(s))) => Cost {
            free: check::says_free(s),
            description: Some(check::plain_text(s)).filter(|d| !d.is_empty()),
        },
        Some((_, Kind::Bool(free))) => Cost {
            free,
            description: None,
        },
        _ => Cost::default(),
    }
}

/// A list of strings; a single string is a comma-separated list.
pub fn strings<V: Json>(v: Option<&V>) -> Vec<String> {
    match v.map(Json::kind) {
        Some(Kind::Array(a)) => a.iter().filter_map(|x| text(Some(x))).collect(),
        Some(Kind::Str(s)) => s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}
