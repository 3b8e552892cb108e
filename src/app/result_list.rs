//! The list of matching activities: the map's text alternative.

use crate::catalog::Catalog;
use crate::schedule::when_in_words;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ResultList(
    catalog: RwSignal<Option<Arc<Catalog>>>,
    visible: Memo<Vec<usize>>,
    selected: RwSignal<Option<usize>>,
) -> impl IntoView {
    let count = move || {
        let n = visible.with(Vec::len);
        if n == 1 { "1 activity".to_string() } else { format!("{n} activities") }
    };
    view! {
        <div class="am-results">
            <h2 class="am-results-count" data-testid="result-count" aria-live="polite">{count}</h2>
            <ul class="am-list" data-testid="result-list">
                <For
                    each=move || visible.get()
                    key=|i| *i
                    children=move |i| view! { <ResultItem catalog=catalog index=i selected=selected /> }
                />
            </ul>
        </div>
    }
}

#[component]
fn ResultItem(catalog: RwSignal<Option<Arc<Catalog>>>, index: usize, selected: RwSignal<Option<usize>>) -> impl IntoView {
    let Some(cat) = catalog.get_untracked() else { return ().into_any() };
    let Some(a) = cat.get(index) else { return ().into_any() };
    let colour = cat.colour(&a.category).to_string();
    let label = cat.label(&a.category);
    let when = when_in_words(a).into_iter().next().unwrap_or_else(|| "Ask for times".into());
    let place = a.location.summary();
    let cost = a.cost.summary();
    let name = a.name.clone();
    let is_selected = move || selected.get() == Some(index);
    view! {
        <li class="am-item" id=format!("am-item-{index}") class:am-item--selected=is_selected>
            <button
                class="am-item-button"
                data-testid="result-item"
                aria-current=move || if is_selected() { "true" } else { "false" }
                on:click=move |_| selected.set(Some(index))
            >
                <span class="am-item-name">{name}</span>
                <span class="am-item-meta">
                    <span class="am-dot" style:background-color=colour aria-hidden="true"></span>
                    {label}
                </span>
                <span class="am-item-line">{when}</span>
                <span class="am-item-line">{place}</span>
                <span class="am-item-line am-item-cost">{cost}</span>
            </button>
        </li>
    }
    .into_any()
}
