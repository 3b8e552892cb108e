//! For publishers: a quiet note of the listings that could not be shown, and why.

use super::state::Finder;
use crate::feed::Outcome;
use leptos::prelude::*;

#[component]
pub fn ProblemsNote() -> impl IntoView {
    let finder = expect_context::<Finder>();
    move || {
        let cat = finder.catalog.get()?;
        let problems = &cat.loaded.problems;
        let skipped = cat.loaded.skipped();
        let no_pin = problems
            .iter()
            .filter(|p| p.outcome == Outcome::NoPin)
            .count();
        if problems.is_empty() {
            return None;
        }
        let summary = match (skipped, no_pin) {
            (0, 0) => format!("{} small problems in this feed", problems.len()),
            (0, 1) => "1 listing has no place on the map".to_string(),
            (0, n) => format!("{n} listings have no place on the map"),
            (1, _) => "1 listing could not be shown".to_string(),
            (n, _) => format!("{n} listings could not be shown"),
        };
        let lines = problems
            .iter()
            .map(|p| view! { <li>{p.to_string()}</li> })
            .collect_view();
        Some(view! {
            <details class="am-problems" data-testid="problems">
                <summary class="am-problems-summary">{summary}</summary>
                <p class="am-hint">{format!("For the feed's publisher ({}):", cat.loaded.shape.label())}</p>
                <ul class="am-problems-list">{lines}</ul>
            </details>
        })
    }
}
