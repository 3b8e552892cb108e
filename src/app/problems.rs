//! For publishers: a quiet note of the listings that could not be shown, and why.

use super::state::Finder;
use super::words::words;
use crate::feed::Outcome;
use leptos::prelude::*;

#[component]
pub fn ProblemsNote() -> impl IntoView {
    let finder = expect_context::<Finder>();
    let w = words();
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
            (0, 0) => w.count("problems.small", problems.len(), &[]),
            (0, n) => w.count("problems.no_place", n, &[]),
            (n, _) => w.count("problems.not_shown", n, &[]),
        };
        let lines = problems
            .iter()
            .map(|p| view! { <li>{p.to_string()}</li> })
            .collect_view();
        Some(view! {
            <details class="am-problems" data-testid="problems">
                <summary class="am-problems-summary">{summary}</summary>
                // The problems themselves are the feed checker's, for the publisher: in English.
                <p class="am-hint">{w.fill("problems.for_publisher", &[("shape", cat.loaded.shape.label())])}</p>
                <ul class="am-problems-list">{lines}</ul>
            </details>
        })
    }
}
