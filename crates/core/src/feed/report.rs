//! A loaded feed's report for people and for programs: what was read, per category,
//! and every problem with its place. The publishers' checker (`feedcheck`) prints it
//! for one document, the harvester for each source it read.

use super::Loaded;
use std::collections::BTreeMap;

/// Activities per category.
pub fn counts(l: &Loaded) -> BTreeMap<&str, usize> {
    let mut m = BTreeMap::new();
    for a in &l.feed.activities {
        *m.entry(a.category.as_str()).or_default() += 1;
    }
    m
}

/// The report as text: the shape read from `name`, activities per category, problems.
pub fn text(name: &str, l: &Loaded) -> String {
    let mut s = format!("{name}: {}\n", l.shape.label());
    let pinned = l
        .feed
        .activities
        .iter()
        .filter(|a| a.point().is_some())
        .count();
    s += &format!(
        "{} usable ({pinned} with a pin on the map)\n",
        plural(l.feed.activities.len(), "activity", "activities")
    );
    for (cat, n) in counts(l) {
        s += &format!("  {cat}: {n}\n");
    }
    if l.problems.is_empty() {
        s += "No problems found.\n";
    } else {
        s += &format!(
            "{} ({} skipped):\n",
            plural(l.problems.len(), "problem", "problems"),
            plural(l.skipped(), "record", "records")
        );
        for p in &l.problems {
            s += &format!("  {p}\n");
        }
    }
    s
}

/// The report as JSON: `{file, shape, activities, categories, skipped, problems}`.
pub fn json(name: &str, l: &Loaded) -> serde_json::Value {
    serde_json::json!({
        "file": name,
        "shape": l.shape,
        "activities": l.feed.activities.len(),
        "categories": counts(l),
        "skipped": l.skipped(),
        "problems": l.problems,
    })
}

/// `1 activity`, `2 activities`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
