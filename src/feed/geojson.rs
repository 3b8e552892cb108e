//! GeoJSON `FeatureCollection` of points whose properties use our field names.

use super::native;
use super::{Out, Outcome};
use crate::model::FeedMeta;
use serde_json::Value;

pub fn read(doc: &Value, out: &mut Out) -> FeedMeta {
    // A collection may carry our feed metadata as a foreign member.
    let meta = native::read_meta(doc.get("feed").or(doc.get("properties")));
    let Some(features) = doc.get("features").and_then(Value::as_array) else {
        out.problem("/features", None, "a FeatureCollection needs a \"features\" list", Outcome::Skipped);
        return meta;
    };
    for (i, f) in features.iter().enumerate() {
        let at = format!("/features/{i}");
        let Some(props) = f.get("properties").filter(|p| p.is_object()) else {
            out.problem(&at, None, "feature has no properties object", Outcome::Skipped);
            continue;
        };
        let point = match f.get("geometry") {
            None | Some(Value::Null) => None,
            Some(g) => match point_of(g) {
                Ok(p) => Some(p),
                Err(why) => {
                    out.problem(&format!("{at}/geometry"), None, why, Outcome::NoPin);
                    None
                }
            },
        };
        // GeoJSON puts the id beside the properties; accept it there too.
        let mut props = props.clone();
        if let (Some(obj), Some(id)) = (props.as_object_mut(), f.get("id")) {
            obj.entry("id").or_insert_with(|| match id {
                Value::Number(n) => Value::String(n.to_string()),
                other => other.clone(),
            });
        }
        if let Some(a) = native::record(&props, point, &at, out) {
            out.activities.push((at, a));
        }
    }
    meta
}

/// `[lon, lat]` of a Point geometry.
fn point_of(g: &Value) -> Result<(f64, f64), String> {
    if g.get("type").and_then(Value::as_str) != Some("Point") {
        return Err("geometry is not a Point; listed without a pin".into());
    }
    let c = g.get("coordinates").and_then(Value::as_array).ok_or("Point has no coordinates")?;
    match (c.first().and_then(Value::as_f64), c.get(1).and_then(Value::as_f64)) {
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
        assert_eq!(l.problems.iter().filter(|p| p.outcome == Outcome::Skipped).count(), 1);
    }
}
