//! Our own format, v1 (`docs/feed-format.md`). Also used by the GeoJSON adapter,
//! whose feature properties carry the same field names.

use super::check::{self, first_of, number, text};
use super::json::{Json, Kind, Lite};
use super::{Join, Out, Outcome};
use crate::model::{
    builtin_categories, Activity, CategoryDef, Cost, FeedMeta, OneOff, Slot, FORMAT_V1,
};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

pub fn read(doc: &Value, out: &mut Out) -> FeedMeta {
    let meta = read_head(doc, out);
    if let Some(list) = doc.get("activities").and_then(Value::as_array) {
        out.activities.reserve(list.len());
        for (i, v) in list.iter().enumerate() {
            let at = format!("/activities/{i}");
            if let Some(a) = record(v, &at, None, out) {
                out.activities.push((at, a));
            }
        }
    }
    meta
}

/// A top-level document as [`TopSeed`] reads it.
pub enum Top {
    /// An object whose `activities` is a list: our format. The activities have been read
    /// (into `records`) as they were parsed; `head` is the rest of the object.
    Native {
        head: Map<String, Value>,
        records: Out,
    },
    /// Any other document, parsed whole.
    Other(Value),
}

/// Parses a document, reading our format's activities one at a time as they are
/// parsed. The result is the same as parsing the whole document and calling [`read`].
pub struct TopSeed;

impl<'de> DeserializeSeed<'de> for TopSeed {
    type Value = Top;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(TopVisitor)
    }
}

/// What the value of a top-level `activities` key turned out to be.
enum ActivitiesValue {
    Read(Out),
    Other(Value),
}

struct TopVisitor;
struct ActivitiesSeed;

/// The visitor methods that turn anything other than the interesting case into a `Value`.
macro_rules! other_values {
    ($wrap:path) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Value::Bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v.to_string())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
    };
}

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON document")
    }

    other_values!(Top::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Top::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut head = Map::new();
        // As when parsing to a `Value`, a repeated key's last value wins.
        let mut records = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "activities" {
                match map.next_value_seed(ActivitiesSeed)? {
                    ActivitiesValue::Read(out) => {
                        head.remove("activities");
                        records = Some(out);
                    }
                    ActivitiesValue::Other(v) => {
                        head.insert(key, v);
                        records = None;
                    }
                }
            } else {
                let v = map.next_value()?;
                head.insert(key, v);
            }
        }
        Ok(match records {
            Some(records) => Top::Native { head, records },
            None => Top::Other(Value::Object(head)),
        })
    }
}

impl<'de> DeserializeSeed<'de> for ActivitiesSeed {
    type Value = ActivitiesValue;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ActivitiesValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ActivitiesSeed {
    type Value = ActivitiesValue;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of activities")
    }

    other_values!(ActivitiesValue::Other);

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ActivitiesValue, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(ActivitiesValue::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ActivitiesValue, A::Error> {
        let mut out = Out::default();
        let mut i = 0usize;
        // Each activity is read into a `Lite` tree borrowing from the document, which
        // makes far fewer allocations than a `Value`; `record` reads both alike.
        while let Some(v) = seq.next_element::<Lite>()? {
            let at = format!("/activities/{i}");
            if let Some(a) = record(&v, &at, None, &mut out) {
                out.activities.push((at, a));
            }
            i += 1;
        }
        Ok(ActivitiesValue::Read(out))
    }
}

/// Everything but the activities: `format`, `feed` and `categories`.
pub fn read_head(doc: &Value, out: &mut Out) -> FeedMeta {
    match doc.get("format") {
        None => {}
        Some(Value::String(f)) if f == FORMAT_V1 => {}
        Some(other) => {
            let shown = match other {
                Value::String(s) => format!("\"{}\"", check::truncate(s, 30)),
                v => check::truncate(&v.to_string(), 30),
            };
            out.problem(
                "/format",
                None,
                format!("format {shown} is not \"{FORMAT_V1}\"; the feed is read as {FORMAT_V1}"),
                Outcome::FieldDropped,
            );
        }
    }
    let meta = read_meta(doc.get("feed"));
    read_categories(doc.get("categories"), out);
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

/// Declared categories. A repeat of a built-in id, or of an id declared earlier, is
/// reported and ignored: the first definition stands.
fn read_categories(v: Option<&Value>, out: &mut Out) {
    let Some(cats) = v.and_then(Value::as_array) else {
        return;
    };
    let builtin = builtin_categories();
    for (i, c) in cats.iter().enumerate() {
        let at = format!("/categories/{i}");
        match read_category(c) {
            Ok(def) if builtin.iter().any(|b| b.id == def.id) => out.problem(
                at,
                None,
                format!("category \"{}\" is built in and cannot be declared again; this declaration is ignored", def.id),
                Outcome::Skipped,
            ),
            Ok(def) if out.categories.iter().any(|c| c.id == def.id) => out.problem(
                at,
                None,
                format!("category \"{}\" is already declared earlier in the list; this declaration is ignored", def.id),
                Outcome::Skipped,
            ),
            Ok(def) => out.categories.push(def),
            Err(why) => out.problem(at, None, why, Outcome::Skipped),
        }
    }
}

fn read_category(v: &Value) -> Result<CategoryDef, String> {
    let o = v
        .as_object()
        .ok_or("a category must be an object with id, label and colour")?;
    let id = text(o.get("id")).ok_or("category has no id")?;
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!(
            "category id \"{id}\" may only use letters, digits and -"
        ));
    }
    let label = text(o.get("label")).unwrap_or_else(|| id.clone());
    let colour =
        text(o.get("colour").or(o.get("color"))).unwrap_or_else(|| super::NEUTRAL_COLOUR.into());
    let hex = colour.strip_prefix('#').unwrap_or("");
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "category \"{id}\" colour \"{colour}\" is not #rrggbb"
        ));
    }
    Ok(CategoryDef { id, label, colour })
}

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
        a.description = plain;
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
    let mut days = Vec::new();
    for d in strings(o.get("days")) {
        let day = check::weekday(&d)
            .ok_or_else(|| format!("\"{}\" is not a day of the week", check::truncate(&d, 30)))?;
        if !days.contains(&day) {
            days.push(day);
        }
    }
    if days.is_empty() {
        return Err("schedule slot has no days".into());
    }
    days.sort();
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
    Ok(Slot {
        days,
        start,
        end,
        note: text(o.get("note")),
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

#[cfg(test)]
mod tests {
    use crate::feed::{load, Options, Outcome, Shape};

    fn doc(activities: &str) -> String {
        format!(
            r#"{{"format":"activity-map/1","feed":{{"name":"T"}},"activities":[{activities}]}}"#
        )
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
        let l = load(
            doc(&format!("{GOOD},{bad},{GOOD}")).as_bytes(),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(l.feed.activities.len(), 1);
        let at: Vec<&str> = l.problems.iter().map(|p| p.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "/activities/1",
                "/activities/2",
                "/activities/3",
                "/activities/4"
            ]
        );
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
        assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
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
