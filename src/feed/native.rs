//! Our own format, v1 (`docs/feed-format.md`). Also used by the GeoJSON adapter,
//! whose feature properties carry the same field names.

use super::check::{self, first, number, text};
use super::{Out, Outcome};
use crate::model::{
    Activity, AgeRange, CategoryDef, Cost, Feature, FeedMeta, Joining, OneOff, Slot, Time, Weekday,
};
use serde_json::{Map, Value};

pub fn read(doc: &Value, out: &mut Out) -> FeedMeta {
    let meta = read_meta(doc.get("feed"));
    if let Some(cats) = doc.get("categories").and_then(Value::as_array) {
        for (i, c) in cats.iter().enumerate() {
            match read_category(c) {
                Ok(def) => out.categories.push(def),
                Err(why) => out.problem(&format!("/categories/{i}"), None, why, Outcome::Skipped),
            }
        }
    }
    if let Some(list) = doc.get("activities").and_then(Value::as_array) {
        out.activities.reserve(list.len());
        for (i, v) in list.iter().enumerate() {
            let at = format!("/activities/{i}");
            if let Some(a) = record(v, None, &at, out) {
                out.activities.push((at, a));
            }
        }
    }
    meta
}

pub fn read_meta(v: Option<&Value>) -> FeedMeta {
    let obj = v.and_then(Value::as_object);
    let get = |k: &str| obj.and_then(|o| text(o.get(k)));
    FeedMeta {
        name: get("name").unwrap_or_else(|| "Activities".into()),
        publisher: get("publisher"),
        licence: get("licence").or_else(|| get("license")),
        updated: get("updated"),
    }
}

fn read_category(v: &Value) -> Result<CategoryDef, String> {
    let o = v.as_object().ok_or("a category must be an object with id, label and colour")?;
    let id = text(o.get("id")).ok_or("category has no id")?;
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("category id \"{id}\" may only use letters, digits and -"));
    }
    let label = text(o.get("label")).unwrap_or_else(|| id.clone());
    let colour = text(o.get("colour").or(o.get("color"))).unwrap_or_else(|| "#475569".into());
    let hex = colour.strip_prefix('#').unwrap_or("");
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("category \"{id}\" colour \"{colour}\" is not #rrggbb"));
    }
    Ok(CategoryDef { id, label, colour })
}

/// Read one activity record. `point` is given by GeoJSON geometry; otherwise it comes
/// from `location.lat/lng`. Returns `None` (with a problem) when the record is unusable.
pub fn record(v: &Value, point: Option<(f64, f64)>, at: &str, out: &mut Out) -> Option<Activity> {
    let Some(o) = v.as_object() else {
        out.problem(at, None, "an activity must be an object", Outcome::Skipped);
        return None;
    };
    let id = text(o.get("id"));
    let name = text(o.get("name"));
    let label = id.clone().or_else(|| name.clone());
    let (Some(id), Some(name)) = (id, name) else {
        let missing = if label.is_none() { "id and name" } else if o.get("id").is_none() { "id" } else { "name" };
        out.problem(at, label.as_deref(), format!("required field {missing} is missing"), Outcome::Skipped);
        return None;
    };
    let Some(category) = text(o.get("category")) else {
        out.problem(at, Some(&id), "required field category is missing", Outcome::Skipped);
        return None;
    };
    let mut a = Activity::new(id, name, category);
    a.tags = strings(o.get("tags")).into_iter().map(|t| t.to_lowercase()).collect();
    if let Some(d) = o.get("description").and_then(Value::as_str) {
        if check::looks_like_html(d) {
            out.problem(
                &format!("{at}/description"),
                Some(&a.id),
                "description contains HTML tags; shown as plain text with the tags removed",
                Outcome::FieldDropped,
            );
        }
        a.description = check::plain_text(d);
    }
    read_location(o.get("location"), point, &mut a, at, out);
    read_schedule(o, &mut a, at, out);
    a.cost = read_cost(o.get("cost"));
    for (i, f) in strings(o.get("accessibility")).iter().enumerate() {
        match Feature::parse(f) {
            Some(feat) if !a.accessibility.contains(&feat) => a.accessibility.push(feat),
            Some(_) => {}
            None => out.problem(
                &format!("{at}/accessibility/{i}"),
                Some(&a.id),
                format!("\"{f}\" is not in the accessibility vocabulary"),
                Outcome::FieldDropped,
            ),
        }
    }
    a.ages = o.get("ages").and_then(Value::as_object).map(|g| AgeRange {
        min: g.get("min").and_then(number).map(|n| n.clamp(0.0, 120.0) as u8),
        max: g.get("max").and_then(number).map(|n| n.clamp(0.0, 120.0) as u8),
    });
    for (i, j) in strings(o.get("joining")).iter().enumerate() {
        match Joining::parse(j) {
            Some(jn) if !a.joining.contains(&jn) => a.joining.push(jn),
            Some(_) => {}
            None => out.problem(
                &format!("{at}/joining/{i}"),
                Some(&a.id),
                format!("\"{j}\" is not one of self-referral, link-worker, booking"),
                Outcome::FieldDropped,
            ),
        }
    }
    if let Some(c) = o.get("contact").and_then(Value::as_object) {
        let s = |k: &str| c.get(k).and_then(Value::as_str);
        check::set_contact(&mut a, s("website"), s("email"), s("phone"), &format!("{at}/contact"), out);
    }
    a.organiser = text(o.get("organiser").or(o.get("organizer")));
    a.checked = o.get("checked").and_then(Value::as_str).and_then(|s| {
        let d = check::iso_date(s);
        if d.is_none() {
            out.problem(&format!("{at}/checked"), None, format!("\"{s}\" is not a date (YYYY-MM-DD)"), Outcome::FieldDropped);
        }
        d
    });
    Some(a)
}

fn read_location(v: Option<&Value>, point: Option<(f64, f64)>, a: &mut Activity, at: &str, out: &mut Out) {
    let lat_at = format!("{at}/location");
    let o = v.and_then(Value::as_object);
    if let Some(o) = o {
        a.location.place = text(o.get("place"));
        a.location.address = text(o.get("address"));
        a.location.postcode = text(o.get("postcode")).map(|p| p.to_uppercase());
        a.location.online = o.get("online").and_then(Value::as_bool).unwrap_or(false);
        a.location.area = text(o.get("area"));
    }
    let (lat, lng) = match point {
        Some((lat, lng)) => (Some(lat), Some(lng)),
        None => (
            o.and_then(|o| first(o, &["lat", "latitude"])).and_then(number),
            o.and_then(|o| first(o, &["lng", "lon", "longitude"])).and_then(number),
        ),
    };
    check::set_point(a, lat, lng, &lat_at, out);
    check::note_missing_place(a, &lat_at, out);
}

fn read_schedule(o: &Map<String, Value>, a: &mut Activity, at: &str, out: &mut Out) {
    if let Some(slots) = o.get("schedule").and_then(Value::as_array) {
        for (i, s) in slots.iter().enumerate() {
            let sat = format!("{at}/schedule/{i}");
            match read_slot(s) {
                Ok(slot) => a.schedule.push(slot),
                Err(why) => out.problem(&sat, Some(&a.id), why, Outcome::FieldDropped),
            }
        }
    }
    if let Some(dates) = o.get("dates").and_then(Value::as_array) {
        for (i, d) in dates.iter().enumerate() {
            let dat = format!("{at}/dates/{i}");
            let date = d.get("date").and_then(Value::as_str).and_then(check::iso_date);
            match date {
                Some(date) => a.dates.push(OneOff {
                    date,
                    start: d.get("start").and_then(Value::as_str).and_then(Time::parse),
                    end: d.get("end").and_then(Value::as_str).and_then(Time::parse),
                }),
                None => out.problem(&dat, Some(&a.id), "date is missing or not YYYY-MM-DD", Outcome::FieldDropped),
            }
        }
    }
}

fn read_slot(v: &Value) -> Result<Slot, String> {
    let o = v.as_object().ok_or("a schedule slot must be an object with days, start and end")?;
    let mut days = Vec::new();
    for d in strings(o.get("days")) {
        let day = Weekday::parse(&d).ok_or_else(|| format!("\"{d}\" is not a day of the week"))?;
        if !days.contains(&day) {
            days.push(day);
        }
    }
    if days.is_empty() {
        return Err("schedule slot has no days".into());
    }
    days.sort();
    let start_s = o.get("start").and_then(Value::as_str).ok_or("schedule slot has no start time")?;
    let start = Time::parse(start_s).ok_or_else(|| format!("start \"{start_s}\" is not a time (HH:MM)"))?;
    let end = match o.get("end").and_then(Value::as_str) {
        Some(e) => Some(Time::parse(e).ok_or_else(|| format!("end \"{e}\" is not a time (HH:MM)"))?),
        None => None,
    };
    if end.is_some_and(|e| e <= start) {
        return Err(format!("end {} is not after start {}", end.unwrap_or(start), start));
    }
    Ok(Slot {
        days,
        start,
        end,
        note: text(o.get("note")),
    })
}

fn read_cost(v: Option<&Value>) -> Cost {
    match v {
        Some(Value::Object(c)) => Cost {
            free: c.get("free").and_then(Value::as_bool).unwrap_or(false),
            description: text(c.get("description")),
        },
        Some(Value::String(s)) => Cost {
            free: s.trim().eq_ignore_ascii_case("free"),
            description: Some(check::plain_text(s)),
        },
        Some(Value::Bool(free)) => Cost {
            free: *free,
            description: None,
        },
        _ => Cost::default(),
    }
}

/// A list of strings; a single string is a list of one.
pub fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(|x| text(Some(x))).collect(),
        Some(Value::String(s)) => s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::feed::{load, Options, Outcome, Shape};

    fn doc(activities: &str) -> String {
        format!(r#"{{"format":"activity-map/1","feed":{{"name":"T"}},"activities":[{activities}]}}"#)
    }

    const GOOD: &str = r#"{"id":"a1","name":"Garden","category":"green","location":{"lat":52.6,"lng":1.7,"postcode":"nr30 1aa"},
        "schedule":[{"days":["sat","Sunday"],"start":"9:00","end":"11:30"}],"cost":{"free":true},
        "accessibility":["wheelchair","step free"],"joining":["self-referral"],
        "contact":{"website":"https://example.org","email":"a@example.org","phone":"01493 123456"},"checked":"2026-10-01"}"#;

    #[test]
    fn reads_a_full_record() {
        let l = load(doc(GOOD).as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.shape, Shape::Native);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let a = &l.feed.activities[0];
        assert_eq!(a.location.postcode.as_deref(), Some("NR30 1AA"));
        assert_eq!(a.schedule[0].days.len(), 2);
        assert_eq!(a.schedule[0].start.to_string(), "9:00");
        assert!(a.cost.free);
        assert_eq!(a.accessibility.len(), 2);
    }

    #[test]
    fn broken_records_are_reported_and_skipped_good_ones_kept() {
        let bad = r#"{"name":"no id","category":"green"}, 7, {"id":"a2","name":"X","category":"sparkly","location":{"online":true}}"#;
        let l = load(doc(&format!("{GOOD},{bad},{GOOD}")).as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.feed.activities.len(), 1);
        let at: Vec<&str> = l.problems.iter().map(|p| p.at.as_str()).collect();
        assert_eq!(at, ["/activities/1", "/activities/2", "/activities/3", "/activities/4"]);
        assert!(l.problems[0].message.contains("id"));
        assert!(l.problems[2].message.contains("sparkly"));
        assert!(l.problems[3].message.contains("duplicate id"));
        assert!(l.problems.iter().all(|p| p.outcome == Outcome::Skipped));
    }

    #[test]
    fn bad_location_keeps_listing_without_pin() {
        let r = r#"{"id":"b","name":"B","category":"hub","location":{"lat":100,"lng":101}}"#;
        let l = load(doc(r).as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.feed.activities.len(), 1);
        assert!(l.feed.activities[0].point().is_none());
        assert_eq!(l.problems[0].outcome, Outcome::NoPin);
        assert!(l.problems[0].message.contains("latitude 100"));
    }

    #[test]
    fn unsafe_links_and_html_are_dropped_not_fatal() {
        let r = r#"{"id":"c","name":"C","category":"hub","description":"<img src=x onerror=alert(1)>Hello","location":{"area":"Norfolk"},
            "contact":{"website":"javascript:alert(1)"},"schedule":[{"days":["someday"],"start":"9"}]}"#;
        let l = load(doc(r).as_bytes(), &Options::default()).unwrap();
        let a = &l.feed.activities[0];
        assert_eq!(a.description, "Hello");
        assert!(a.contact.website.is_none());
        assert!(a.schedule.is_empty());
        assert_eq!(l.problems.len(), 3, "{:?}", l.problems);
    }

    #[test]
    fn declared_categories_are_accepted() {
        let d = r##"{"feed":{"name":"T"},"categories":[{"id":"arts","label":"Arts","colour":"#aa00aa"},{"id":"bad id"}],
            "activities":[{"id":"x","name":"Choir","category":"arts","location":{"online":true}}]}"##;
        let l = load(d.as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.feed.categories.len(), 1);
        assert_eq!(l.feed.activities.len(), 1);
        assert_eq!(l.problems.len(), 1);
    }
}
