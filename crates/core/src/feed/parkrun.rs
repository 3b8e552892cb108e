//! parkrun's public `events.json`: every event is a Point feature with
//! `eventname`, `EventLongName`, `countrycode` and `seriesid` properties.

use super::check;
use super::{Join, Out, Outcome};
use crate::model::{Activity, AgeRange, Cost, FeedMeta, Joining, Slot, Time, Weekday};
use serde_json::Value;

pub fn read(doc: &Value, out: &mut Out) -> FeedMeta {
    let countries = doc.get("countries");
    let features = doc
        .pointer("/events/features")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    out.reserve(features.len());
    for (i, f) in features.iter().enumerate() {
        let at = format!("/events/features/{i}");
        if let Some(a) = event(f, countries, &at, out) {
            out.add(at, a);
        }
    }
    FeedMeta {
        name: "parkrun events".into(),
        publisher: Some("parkrun".into()),
        licence: None,
        updated: None,
        report_email: None,
    }
}

/// When a parkrun is on: Saturdays 9:00–10:00 (5k), or Sundays 9:00–9:30 for a junior event (2k).
pub fn slot(junior: bool) -> Slot {
    if junior {
        Slot {
            days: vec![Weekday::Sun],
            start: Time::hm(9, 0),
            end: Some(Time::hm(9, 30)),
            note: None,
            except: Vec::new(),
        }
    } else {
        Slot {
            days: vec![Weekday::Sat],
            start: Time::hm(9, 0),
            end: Some(Time::hm(10, 0)),
            note: None,
            except: Vec::new(),
        }
    }
}

fn event(f: &Value, countries: Option<&Value>, at: &str, out: &mut Out) -> Option<Activity> {
    let p = f.get("properties").and_then(Value::as_object);
    let Some(p) = p else {
        out.problem(at, None, "event has no properties", Outcome::Skipped);
        return None;
    };
    let slug = check::text(p.get("eventname"));
    let long = check::text(p.get("LocalisedEventLongName"))
        .or_else(|| check::text(p.get("EventLongName")));
    let (Some(slug), Some(name)) = (slug, long) else {
        out.problem(
            at,
            None,
            "event has no eventname or EventLongName",
            Outcome::Skipped,
        );
        return None;
    };
    if !slug
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        out.problem(
            at,
            Some(&slug),
            "eventname must be letters, digits, - or _",
            Outcome::Skipped,
        );
        return None;
    }
    let junior = p.get("seriesid").and_then(Value::as_i64) == Some(2);
    let id = match f.get("id") {
        Some(Value::Number(n)) => format!("parkrun-{n}"),
        _ => format!("parkrun-{slug}"),
    };
    let mut a = Activity::new(id, name.clone(), "parkrun");
    a.tags = vec![
        if junior {
            "junior parkrun".into()
        } else {
            "5k".into()
        },
        "running".into(),
        "walking".into(),
    ];
    a.description = if junior {
        format!("{name} is a free, weekly 2k event for children aged 4 to 14, every Sunday morning. Walk, jog or run; register once with parkrun before your first time.")
    } else {
        format!("{name} is a free, weekly 5k event every Saturday morning. Walk, jog, run, volunteer or spectate; register once with parkrun before your first time.")
    }
    .into();
    a.location.place = check::text(p.get("EventShortName"));
    a.location.address = check::address_after_place(
        a.location.place.as_deref(),
        check::text(p.get("EventLocation")),
    );
    let coords = f.pointer("/geometry/coordinates").and_then(Value::as_array);
    let lon = coords.and_then(|c| c.first()).and_then(check::number);
    let lat = coords.and_then(|c| c.get(1)).and_then(check::number);
    let reported = check::set_point(&mut a, lat, lon, Join(at, "/geometry"), out);
    check::note_missing_place(&a, Join(at, "/geometry"), reported, out);
    a.schedule = vec![slot(junior)];
    a.cost = Cost {
        free: true,
        description: Some("Free (register once with parkrun)".into()),
    };
    a.ages = junior.then_some(AgeRange {
        min: Some(4),
        max: Some(14),
    });
    a.joining = vec![Joining::SelfReferral];
    a.organiser = Some("parkrun volunteers".into());
    let host = p
        .get("countrycode")
        .map(|c| c.to_string().trim_matches('"').to_string())
        .and_then(|code| {
            countries?
                .get(&code)?
                .get("url")?
                .as_str()
                .map(str::to_string)
        })
        .map(|h| h.trim().trim_end_matches('/').to_string())
        .filter(|h| !h.is_empty());
    if let Some(host) = host {
        // Every event's page, junior or not, is written with a trailing slash.
        let url = format!("https://{host}/{slug}/");
        check::set_contact(&mut a, Some(&url), None, None, at, out);
    }
    Some(a)
}

#[cfg(test)]
mod tests {
    use crate::feed::{load, Options, Shape};

    #[test]
    fn reads_events_with_country_urls() {
        let d = r#"{"countries":{"97":{"url":"www.parkrun.org.uk","bounds":[-8,49,2,61]}},
          "events":{"type":"FeatureCollection","features":[
            {"id":1,"type":"Feature","geometry":{"type":"Point","coordinates":[-0.335791,51.410992]},
             "properties":{"eventname":"bushy","EventLongName":"Bushy parkrun","EventShortName":"Bushy Park",
             "LocalisedEventLongName":null,"countrycode":97,"seriesid":1,"EventLocation":"Bushy Park, Teddington"}},
            {"id":2,"type":"Feature","geometry":{"type":"Point","coordinates":[-0.33,51.41]},
             "properties":{"eventname":"bushy-juniors","EventLongName":"Bushy junior parkrun","countrycode":97,"seriesid":2}},
            {"id":3,"type":"Feature","properties":{}}
          ]}}"#;
        let l = load(d.as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.shape, Shape::Parkrun);
        assert_eq!(l.feed.activities.len(), 2);
        let bushy = &l.feed.activities[0];
        assert_eq!(bushy.category, "parkrun");
        assert_eq!(
            bushy.contact.website.as_deref(),
            Some("https://www.parkrun.org.uk/bushy/")
        );
        // "Bushy Park, Teddington" does not repeat the place name.
        assert_eq!(bushy.location.address.as_deref(), Some("Teddington"));
        assert_eq!(
            bushy.location.summary(crate::lang::Messages::english()),
            "Bushy Park, Teddington"
        );
        assert_eq!(bushy.schedule[0].days[0].code(), "sat");
        let jr = &l.feed.activities[1];
        assert_eq!(jr.schedule[0].days[0].code(), "sun");
        assert_eq!(jr.ages.unwrap().max, Some(14));
        assert_eq!(
            jr.contact.website.as_deref(),
            Some("https://www.parkrun.org.uk/bushy-juniors/")
        );
        assert_eq!(l.skipped(), 1);
    }
}
