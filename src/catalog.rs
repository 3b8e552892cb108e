//! A loaded feed prepared for the finder: categories resolved, pins projected.
//! Built once per feed; the filters, list and map all read from it by index.

use crate::cluster::Projected;
use crate::feed::Loaded;
use crate::geo::Bounds;
use crate::model::{builtin_categories, Activity, CategoryDef};
use std::collections::HashMap;

pub struct Catalog {
    pub loaded: Loaded,
    /// Built-in categories first, then those the feed declares.
    pub categories: Vec<CategoryDef>,
    /// One entry per activity that has a pin.
    pub points: Vec<Projected>,
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
        let by_id = acts.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        Catalog { loaded, categories, points, by_id }
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
        self.category(id).map(|c| c.colour.as_str()).unwrap_or("#475569")
    }

    pub fn label(&self, id: &str) -> String {
        self.category(id).map(|c| c.label.clone()).unwrap_or_else(|| id.to_string())
    }

    /// Bounds of every pin, to open the map on.
    pub fn bounds(&self) -> Option<Bounds> {
        Bounds::around(self.activities().iter().filter_map(Activity::point))
    }
}
