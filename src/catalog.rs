//! A loaded feed prepared for the finder: categories resolved, pins projected.
//! Built once per feed; the filters, list and map all read from it by index.

use crate::cluster::Projected;
use crate::feed::Loaded;
use crate::filter::{haystack, Filters, Today};
use crate::geo::{distance_km, Bounds};
use crate::model::{builtin_categories, Activity, CategoryDef, LatLng};
use std::collections::HashMap;

pub struct Catalog {
    pub loaded: Loaded,
    /// Built-in categories first, then those the feed declares.
    pub categories: Vec<CategoryDef>,
    /// One entry per activity that has a pin.
    pub points: Vec<Projected>,
    /// Normalised search text, one per activity (see `filter::haystack`).
    pub hays: Vec<String>,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    pub fn new(loaded: Loaded) -> Catalog {
        let mut categories = builtin_categories();
        for c in &loaded.feed.categories {
            if !categories.iter().any(|b| b.id == c.id) {
                categories.push(c.clone());
            }
        }
        let acts = &loaded.feed.activities;
        let points = acts
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.point().map(|p| Projected::new(i, p)))
            .collect();
        let by_id = acts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let hays = acts.iter().map(haystack).collect();
        Catalog {
            loaded,
            categories,
            points,
            hays,
            by_id,
        }
    }

    pub fn activities(&self) -> &[Activity] {
        &self.loaded.feed.activities
    }

    pub fn get(&self, index: usize) -> Option<&Activity> {
        self.loaded.feed.activities.get(index)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn category(&self, id: &str) -> Option<&CategoryDef> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The colour for a category, grey when unknown.
    pub fn colour(&self, id: &str) -> &str {
        self.category(id)
            .map(|c| c.colour.as_str())
            .unwrap_or("#475569")
    }

    pub fn label(&self, id: &str) -> String {
        self.category(id)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Indices of the activities matching `f`, nearest first when there is an origin
    /// (activities without a pin go last), otherwise in feed order.
    pub fn results(&self, f: &Filters, today: &Today, origin: Option<LatLng>) -> Vec<usize> {
        let acts = self.activities();
        let mut idx: Vec<usize> = (0..acts.len())
            .filter(|&i| f.matches(&acts[i], &self.hays[i], today))
            .collect();
        if let Some(o) = origin {
            let key = |i: &usize| {
                acts[*i]
                    .point()
                    .map(|p| distance_km(o, p))
                    .unwrap_or(f64::INFINITY)
            };
            idx.sort_by(|a, b| key(a).total_cmp(&key(b)));
        }
        idx
    }

    /// Bounds of every pin, to open the map on.
    pub fn bounds(&self) -> Option<Bounds> {
        Bounds::around(self.activities().iter().filter_map(Activity::point))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::{load, Options};
    use crate::model::Weekday;

    #[test]
    fn results_sort_by_distance_from_an_origin() {
        let doc = br#"{"activities":[
          {"id":"far","name":"Far","category":"green","location":{"lat":53.48,"lng":-2.24}},
          {"id":"none","name":"Online","category":"hub","location":{"online":true}},
          {"id":"near","name":"Near","category":"green","location":{"lat":52.61,"lng":1.73}}]}"#;
        let cat = Catalog::new(load(doc, &Options::default()).unwrap());
        let today = Today {
            weekday: Weekday::Mon,
            date: "2026-11-23".into(),
        };
        let f = Filters::default();
        assert_eq!(cat.results(&f, &today, None), vec![0, 1, 2]);
        let yarmouth = LatLng {
            lat: 52.6,
            lng: 1.72,
        };
        assert_eq!(cat.results(&f, &today, Some(yarmouth)), vec![2, 0, 1]);
        assert_eq!(cat.index_of("near"), Some(2));
        assert_eq!(cat.points.len(), 2);
    }
}
