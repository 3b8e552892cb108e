//! Putting the app on a partner's page: a widget's attributes as the app's settings,
//! and the snippets the embed builder writes (a widget, or an iframe for pages that
//! allow no scripts). Both carry the same settings, so both are built from one list of
//! attributes.

use super::keys::app_keys;
use super::Query;
use crate::math::parse_f64;

/// Settings given as a widget's attributes, as the query the full app would take.
/// Attribute names are the link's keys ([`app_keys`]) plus the friendlier
/// [`ATTRIBUTE_ALIASES`](super::ATTRIBUTE_ALIASES): `categories` for `cat`, and
/// `center` + `zoom` for `map`. Others (`height`, `class`, …) are ignored.
pub fn query_from_attributes(attrs: &[(String, String)]) -> Query {
    let get = |k: &str| {
        attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.trim())
    };
    let mut q = Query::default();
    for key in app_keys() {
        if let Some(v) = get(key) {
            q.set(key, Some(v));
        }
    }
    if let Some(c) = get("categories") {
        q.set("cat", Some(c));
    }
    if let Some(centre) = get("center").or(get("centre")) {
        let zoom = get("zoom").unwrap_or("11");
        q.set("map", Some(&format!("{},{zoom}", centre.replace(' ', ""))));
    }
    q
}

/// What a partner chose in the embed builder, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedChoice {
    pub feed: String,
    pub categories: Vec<String>,
    /// `lat, lng`; left out of the snippets unless both are numbers.
    pub centre: String,
    pub zoom: String,
    /// Pixels.
    pub height: String,
}

impl EmbedChoice {
    /// The frame's height in pixels: 240 to 2000, 480 when unreadable.
    pub fn height_px(&self) -> u32 {
        self.height.trim().parse().unwrap_or(480).clamp(240, 2000)
    }

    /// The widget's attributes for this choice, in the snippet's order (the height,
    /// which only sizes the element, aside).
    pub fn attributes(&self) -> Vec<(String, String)> {
        let mut attrs = vec![("feed".to_string(), self.feed.clone())];
        if !self.categories.is_empty() {
            attrs.push(("categories".into(), self.categories.join(",")));
        }
        if let Some((lat, lng)) = self.centre.split_once(',') {
            if let (Some(lat), Some(lng)) = (parse_f64(lat.trim()), parse_f64(lng.trim())) {
                attrs.push(("center".into(), format!("{lat},{lng}")));
                attrs.push(("zoom".into(), self.zoom.trim().to_string()));
            }
        }
        attrs
    }

    /// The iframe's query: `embed=1`, then the settings the widget's attributes stand for.
    pub fn iframe_query(&self) -> Query {
        let mut q = Query::default();
        q.set("embed", Some("1"));
        q.0.extend(query_from_attributes(&self.attributes()).0);
        q
    }

    /// The `<iframe>` snippet, given the iframe's address (the app page with
    /// [`EmbedChoice::iframe_query`]).
    pub fn iframe_snippet(&self, src: &str) -> String {
        format!(
            "<iframe src=\"{}\" title=\"Activities near you\" width=\"100%\" height=\"{}\" style=\"border:0\" allow=\"geolocation\" loading=\"lazy\"></iframe>",
            attribute_text(src),
            self.height_px()
        )
    }

    /// The widget snippet: the script (from `app_dir`, the folder the app is served
    /// from) and the element.
    pub fn widget_snippet(&self, app_dir: &str) -> String {
        let attrs: String = self
            .attributes()
            .iter()
            .map(|(name, value)| format!(" {name}=\"{}\"", attribute_text(value)))
            .collect();
        format!(
            "<script type=\"module\" src=\"{app_dir}/widget.js\"></script>\n<activity-map{attrs} height=\"{}px\"></activity-map>",
            self.height_px()
        )
    }
}

/// Text safe inside a double-quoted HTML attribute.
fn attribute_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::{keys, FinderState};

    fn attrs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn widget_attributes_become_the_apps_settings() {
        let q = query_from_attributes(&attrs(&[
            ("feed", "https://example.org/f.json"),
            ("categories", "green,parkrun"),
            ("center", "53.48, -2.24"),
            ("zoom", "12"),
            ("height", "480px"),
            ("class", "x"),
        ]));
        assert_eq!(q.get("feed"), Some("https://example.org/f.json"));
        assert_eq!(q.get("cat"), Some("green,parkrun"));
        assert_eq!(q.get("map"), Some("53.48,-2.24,12"));
        assert_eq!(q.get("height"), None);
        let state = FinderState::from_query(&q);
        assert_eq!(state.filters.categories.len(), 2);
        assert_eq!(state.view.map(|v| v.zoom), Some(12.0));
    }

    #[test]
    fn every_key_the_app_reads_is_an_attribute() {
        for key in keys::app_keys() {
            let q = query_from_attributes(&attrs(&[(&key.to_ascii_uppercase(), " x ")]));
            assert_eq!(q.get(key), Some("x"), "{key}");
        }
        let q = query_from_attributes(&attrs(&[("centre", "1,2"), ("rules", "walk=green")]));
        assert_eq!(q.to_query_string(), "?rules=walk%3Dgreen&map=1,2,11");
    }

    fn choice() -> EmbedChoice {
        EmbedChoice {
            feed: "https://example.org/a.json?x=1&y=\"2\"".into(),
            categories: vec!["green".into(), "hub".into()],
            centre: " 52.60, 1.72 ".into(),
            zoom: " 11 ".into(),
            height: "9999".into(),
        }
    }

    #[test]
    fn the_builder_writes_both_snippets_from_one_choice() {
        let c = choice();
        assert_eq!(
            c.iframe_query().to_query_string(),
            "?embed=1&feed=https://example.org/a.json%3Fx%3D1%26y%3D%222%22&cat=green,hub&map=52.6,1.72,11"
        );
        assert_eq!(
            c.iframe_snippet("https://app.org/index.html?embed=1&cat=green"),
            "<iframe src=\"https://app.org/index.html?embed=1&amp;cat=green\" title=\"Activities near you\" width=\"100%\" height=\"2000\" style=\"border:0\" allow=\"geolocation\" loading=\"lazy\"></iframe>"
        );
        assert_eq!(
            c.widget_snippet("https://app.org"),
            "<script type=\"module\" src=\"https://app.org/widget.js\"></script>\n\
             <activity-map feed=\"https://example.org/a.json?x=1&amp;y=&quot;2&quot;\" categories=\"green,hub\" center=\"52.6,1.72\" zoom=\"11\" height=\"2000px\"></activity-map>"
        );
        // The widget and the iframe show the same thing.
        let widget = query_from_attributes(&c.attributes());
        let iframe = c.iframe_query();
        assert_eq!(
            FinderState::from_query(&widget),
            FinderState::from_query(&iframe)
        );
    }

    #[test]
    fn unreadable_choices_are_left_out() {
        let c = EmbedChoice {
            feed: String::new(),
            centre: "near Norwich".into(),
            zoom: "11".into(),
            height: "tall".into(),
            ..EmbedChoice::default()
        };
        assert_eq!(c.height_px(), 480);
        assert_eq!(c.attributes(), vec![("feed".to_string(), String::new())]);
        assert_eq!(c.iframe_query().to_query_string(), "?embed=1");
        assert!(c
            .widget_snippet("d")
            .ends_with("<activity-map feed=\"\" height=\"480px\"></activity-map>"));
        let low = EmbedChoice {
            height: " 100 ".into(),
            ..c
        };
        assert_eq!(low.height_px(), 240);
    }
}
