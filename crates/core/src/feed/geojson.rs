//! GeoJSON `FeatureCollection` of points whose properties use our field names.

use super::check;
use super::native::{self, GeoFeature};
use super::{Out, Outcome};
use crate::model::FeedMeta;
use serde_json::Value;

pub fn read(doc: &Value, out: &mut Out) -> FeedMeta {
    // A collection may carry our feed metadata as a foreign member.
    let (head, head_at) = match doc.get("feed") {
        Some(f) => (Some(f), "/feed"),
        None => (doc.get("properties"), "/properties"),
    };
    let meta = native::read_meta(head, head_at, out);
    let Some(features) = doc.get("features").and_then(Value::as_array) else {
        out.problem(
            "/features",
            None,
            "a FeatureCollection needs a \"features\" list",
            Outcome::Skipped,
        );
        return meta;
    };
    out.reserve(features.len());
    for (i, f) in features.iter().enumerate() {
        let at = format!("/features/{i}");
        let Some(props) = f.get("properties").filter(|p| p.is_object()) else {
            out.problem(
                &at,
                None,
                "feature has no properties object",
                Outcome::Skipped,
            );
            continue;
        };
        let point = match f.get("geometry") {
            None | Some(Value::Null) => None,
            Some(g) => Some(point_of(g)),
        };
        // The properties' fields are reported under `/features/i/properties`; the
        // geometry's problems under `/features/i/geometry`.
        let props_at = format!("{at}/properties");
        // GeoJSON puts the id beside the properties; it is used when they have none.
        let feature = GeoFeature {
            at: &at,
            point,
            id: f.get("id"),
        };
        if let Some(a) = native::record(props, &props_at, Some(feature), out) {
            out.add(at, a);
        }
    }
    meta
}

/// `[lon, lat]` of a Point geometry (numbers, or numbers written as strings).
fn point_of(g: &Value) -> Result<(f64, f64), String> {
    if g.get("type").and_then(Value::as_str) != Some("Point") {
        return Err("geometry is not a Point".into());
    }
    let c = g
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or("Point has no coordinates")?;
    match (
        c.first().and_then(check::number),
        c.get(1).and_then(check::number),
    ) {
        (Some(lon), Some(lat)) => Ok((lat, lon)),
        _ => Err("Point coordinates must be [longitude, latitude] numbers".into()),
    }
}

#[cfg(test)]
mod tests {
    use crate::feed::{load, Options, Outcome, Shape};

    #[test]
    fn reads_points_with_our_properties() {
        let d = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[1.73,52.61]},
           "properties":{"name":"Beach walk","category":"green","cost":"Free"}},
          {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},
           "properties":{"id":"l","name":"Route","category":"green"}},
          {"type":"Feature","geometry":null}
        ]}"#;
        let l = load(d.as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.shape, Shape::GeoJson);
        assert_eq!(l.feed.activities.len(), 2);
        let a = &l.feed.activities[0];
        assert_eq!(a.id, "7");
        assert_eq!(a.point().unwrap().lat, 52.61);
        assert!(a.cost.free);
        assert!(l.feed.activities[1].point().is_none());
        assert_eq!(
            l.problems
                .iter()
                .filter(|p| p.outcome == Outcome::Skipped)
                .count(),
            1
        );
    }

    #[test]
    fn a_bad_geometry_is_reported_once_with_the_record_id() {
        let d = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},
           "properties":{"id":"l","name":"Route","category":"green"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":["x",1]},
           "properties":{"id":"m","name":"Meet","category":"green","location":{"lat":52.6,"lng":1.3}}}
        ]}"#;
        let l = load(d.as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.feed.activities.len(), 2);
        assert_eq!(l.problems.len(), 2, "{:#?}", l.problems);
        let p = &l.problems[0];
        assert_eq!(
            (p.at.as_str(), p.record.as_deref(), p.outcome),
            ("/features/0/geometry", Some("l"), Outcome::NoPin)
        );
        assert!(p.message.contains("not a Point"), "{}", p.message);
        // With a usable location.lat/lng the listing keeps its pin from there.
        let q = &l.problems[1];
        assert_eq!(
            (q.at.as_str(), q.record.as_deref(), q.outcome),
            ("/features/1/geometry", Some("m"), Outcome::FieldDropped)
        );
        assert_eq!(l.feed.activities[1].point().map(|p| p.lat), Some(52.6));
    }

    #[test]
    fn coordinates_written_as_strings_are_read() {
        let d = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","id":"s","geometry":{"type":"Point","coordinates":["1.73"," 52.61"]},
           "properties":{"name":"Beach walk","category":"green"}}]}"#;
        let l = load(d.as_bytes(), &Options::default()).unwrap();
        assert!(l.problems.is_empty(), "{:#?}", l.problems);
        let p = l.feed.activities[0].point().unwrap();
        assert_eq!((p.lat, p.lng), (52.61, 1.73));
    }

    #[test]
    fn field_problems_point_into_properties() {
        let d = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[1.73,52.61]},
           "properties":{"name":"Walk","category":"green","checked":"soon"}},
          {"type":"Feature","id":true,"geometry":null,"properties":{"name":"Walk","category":"green"}}]}"#;
        let l = load(d.as_bytes(), &Options::default()).unwrap();
        assert_eq!(l.problems[0].at, "/features/0/properties/checked");
        assert_eq!(l.problems[0].record.as_deref(), Some("1"));
        assert_eq!(l.problems[1].message, "id must be text or a number");
    }
}
