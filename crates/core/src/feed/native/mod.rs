//! Our own format, v1 (`docs/feed-format.md`). Also used by the GeoJSON adapter,
//! whose feature properties carry the same field names.

use super::check::{self, text};
use super::{Out, Outcome};
use crate::feed::json::Json;
use crate::model::{builtin_categories, CategoryDef, FeedMeta, FORMAT_V1};
use serde_json::Value;

mod record;
mod top;

pub use record::{record, strings, GeoFeature};
pub use top::{Head, Top, TopSeed};

pub fn read(doc: &Value, out: &mut Out) -> FeedMeta {
    let meta = read_head(
        doc.get("format"),
        doc.get("feed"),
        doc.get("categories"),
        out,
    );
    if let Some(list) = doc.get("activities").and_then(Value::as_array) {
        out.reserve(list.len());
        for (i, v) in list.iter().enumerate() {
            let at = format!("/activities/{i}");
            if let Some(a) = record(v, &at, None, out) {
                out.add(at, a);
            }
        }
    }
    meta
}

/// Everything but the activities: the top-level `format`, `feed` and `categories`.
pub fn read_head<J: Json>(
    format: Option<&J>,
    feed: Option<&J>,
    categories: Option<&J>,
    out: &mut Out,
) -> FeedMeta {
    match format {
        None => {}
        Some(f) if f.as_str() == Some(FORMAT_V1) => {}
        Some(other) => {
            let shown = match other.as_str() {
                Some(s) => format!("\"{}\"", check::truncate(s, 30)),
                None => check::truncate(&other.to_string(), 30),
            };
            out.problem(
                "/format",
                None,
                format!("format {shown} is not \"{FORMAT_V1}\"; the feed is read as {FORMAT_V1}"),
                Outcome::FieldDropped,
            );
        }
    }
    let meta = read_meta(feed, "/feed", out);
    read_categories(categories, out);
    meta
}

/// The feed's own details (`v`, found at `at`); a report address that is not an email
/// address is reported and left out.
pub fn read_meta<J: Json>(v: Option<&J>, at: &str, out: &mut Out) -> FeedMeta {
    let get = |k: &str| v.and_then(|o| text(o.get(k)));
    let report_email = get("report_email").and_then(|e| match check::email(&e) {
        Ok(e) => Some(e),
        Err(why) => {
            out.problem(
                format!("{at}/report_email"),
                None,
                format!("{why}; people cannot report problems with listings until it is fixed"),
                Outcome::FieldDropped,
            );
            None
        }
    });
    FeedMeta {
        name: get("name").unwrap_or_else(|| "Activities".into()),
        publisher: get("publisher"),
        licence: get("licence").or_else(|| get("license")),
        updated: get("updated"),
        report_email,
    }
}

/// Declared categories. A repeat of a built-in id, or of an id declared earlier, is
/// reported and ignored: the first definition stands.
pub fn read_categories<J: Json>(v: Option<&J>, out: &mut Out) {
    let Some(cats) = v.and_then(J::as_array) else {
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

fn read_category<J: Json>(o: &J) -> Result<CategoryDef, String> {
    if !o.is_object() {
        return Err("a category must be an object with id, label and colour".into());
    }
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
        assert_eq!(&*a.description, "Hello");
        assert!(a.contact.website.is_none());
        assert!(a.schedule.is_empty());
        assert_eq!(l.problems.len(), 3, "{:?}", l.problems);
    }

    #[test]
    fn a_repeated_description_is_kept_once_and_never_mixed_up() {
        let r = r#"{"id":"a","name":"A","category":"hub","description":"Tea after."},
            {"id":"b","name":"B","category":"hub","description":"Walk first."},
            {"id":"c","name":"C","category":"hub","description":"Tea after."}"#;
        let l = load(doc(r).as_bytes(), &Options::default()).unwrap();
        let a = &l.feed.activities;
        assert!(std::sync::Arc::ptr_eq(&a[0].description, &a[2].description));
        assert_eq!(&*a[1].description, "Walk first.");
        // Far more texts than the table has slots: each comes back as it went in.
        let mut out = crate::feed::Out::default();
        for round in 0..2 {
            for i in 0..5000 {
                let text = format!("text {i}");
                assert_eq!(&*out.share(text.clone()), text, "round {round}");
            }
        }
        assert_eq!(&*out.share(String::new()), "");
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

    #[test]
    fn report_email_is_checked_like_other_emails() {
        let with = |email: &str| {
            let d = format!(
                r#"{{"feed":{{"name":"T","report_email":"{email}"}},"activities":[{GOOD}]}}"#
            );
            load(d.as_bytes(), &Options::default()).unwrap()
        };
        let l = with("MAILTO:listings@example.org");
        assert_eq!(
            l.feed.feed.report_email.as_deref(),
            Some("listings@example.org")
        );
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let l = with("listings at example dot org");
        assert_eq!(l.feed.feed.report_email, None);
        assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
        assert_eq!(l.problems[0].at, "/feed/report_email");
        assert_eq!(l.problems[0].outcome, Outcome::FieldDropped);
        assert!(l.problems[0].message.contains("is not an email address"));
        // None given: nothing to report.
        let l = load(doc(GOOD).as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.feed.feed.report_email, None);
    }
}
