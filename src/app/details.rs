//! Everything about one activity: what, when, where, cost, access, how to join, contact.

use crate::catalog::Catalog;
use crate::model::Activity;
use crate::schedule::{date_in_words, when_in_words};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn Details(catalog: RwSignal<Option<Arc<Catalog>>>, selected: RwSignal<Option<usize>>) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H2>::new();
    // Move focus to the details when they open, so keyboard and screen reader users land on them.
    Effect::new(move |_| {
        if selected.get().is_some() {
            if let Some(h) = heading.get() {
                let _ = h.focus();
            }
        }
    });
    move || {
        let i = selected.get()?;
        let cat = catalog.get()?;
        let a = cat.get(i)?.clone();
        let colour = cat.colour(&a.category).to_string();
        let border = colour.clone();
        let label = cat.label(&a.category);
        Some(view! {
            <article class="am-details" data-testid="details" aria-labelledby="am-details-title">
                <div class="am-details-top">
                    <span class="am-badge" style:border-color=border>
                        <span class="am-dot" style:background-color=colour aria-hidden="true"></span>
                        {label}
                    </span>
                    <button class="am-close" aria-label="Close details" data-testid="close-details" on:click=move |_| selected.set(None)>
                        "×"
                    </button>
                </div>
                <h2 id="am-details-title" class="am-details-title" tabindex="-1" node_ref=heading>{a.name.clone()}</h2>
                <DetailsBody a=a />
            </article>
        })
    }
}

#[component]
fn DetailsBody(a: Activity) -> impl IntoView {
    let when = when_in_words(&a);
    let place = a.location.summary();
    let directions = a.point().map(|p| {
        format!("https://www.openstreetmap.org/directions?to={:.5}%2C{:.5}#map=16/{:.5}/{:.5}", p.lat, p.lng, p.lat, p.lng)
    });
    let access: Vec<&'static str> = a.accessibility.iter().map(|f| f.label()).collect();
    let joining: Vec<&'static str> = a.joining.iter().map(|j| j.label()).collect();
    let c = a.contact.clone();
    view! {
        <p class="am-details-desc">{a.description.clone()}</p>
        <dl class="am-facts">
            <dt>"When"</dt>
            <dd>
                {if when.is_empty() { vec!["Ask the organiser for times".to_string()] } else { when }
                    .into_iter().map(|w| view! { <span class="am-fact-line">{w}</span> }).collect_view()}
            </dd>
            <dt>"Where"</dt>
            <dd>
                <span class="am-fact-line">{place}</span>
                {directions.map(|href| view! {
                    <a class="am-link" href=href target="_blank" rel="noopener noreferrer">"Directions"</a>
                })}
            </dd>
            <dt>"Cost"</dt>
            <dd>{a.cost.summary()}</dd>
            <dt>"Accessibility"</dt>
            <dd>
                {if access.is_empty() {
                    view! { <span class="am-fact-line">"No accessibility information given: ask the organiser"</span> }.into_any()
                } else {
                    view! { <ul class="am-tags">{access.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
                }}
            </dd>
            <dt>"Who can join"</dt>
            <dd>
                {a.ages.map(|g| view! { <span class="am-fact-line">{g.summary()}</span> })}
                {joining.into_iter().map(|j| view! { <span class="am-fact-line">{j}</span> }).collect_view()}
            </dd>
            {a.organiser.clone().map(|o| view! { <dt>"Run by"</dt><dd>{o}</dd> })}
            <dt>"Contact"</dt>
            <dd class="am-contact">
                {c.website.clone().map(|w| view! { <a class="am-link" href=w target="_blank" rel="noopener noreferrer">"Website"</a> })}
                {c.phone.clone().map(|p| view! { <a class="am-link" href=format!("tel:{}", p.replace(' ', ""))>{format!("Call {p}")}</a> })}
                {c.email.clone().map(|e| view! { <a class="am-link" href=format!("mailto:{e}")>{format!("Email {e}")}</a> })}
            </dd>
            {a.checked.clone().map(|d| view! { <dt>"Listing checked"</dt><dd>{date_in_words(&d)}</dd> })}
        </dl>
    }
}
