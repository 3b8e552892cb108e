//! Everything about one activity: what, when, where (and the way there), cost,
//! access, how to join, contact, how fresh the listing is and where to report a
//! problem with it, and ways to keep it: star, share, add to a calendar.

use super::browser;
use super::on_demand;
use super::relay::{Around, Relays};
use super::state::Finder;
use super::words::{ltr, words};
use crate::freshness::checked_ago;
use crate::ics::next_event;
use crate::lang::Messages;
use crate::links::{
    calendar_links, report_problem_mailto, share_text, transit_directions, walking_directions,
};
use crate::model::Activity;
use crate::schedule::{date_in_words, when_in_words};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn Details() -> impl IntoView {
    let finder = expect_context::<Finder>();
    // Move focus to the details when they open, so keyboard and screen reader users land on them.
    Effect::new(move |_| {
        if finder.selected.get().is_some() {
            let host = expect_context::<super::host::Host>();
            request_animation_frame(move || host.focus("am-details-title"));
        }
    });
    let relays = expect_context::<Relays>();
    let w = words();
    move || {
        let i = finder.selected.get()?;
        // Built again in a new language; what is inside reads these words untracked.
        let m = w.current();
        // Read through copies dropped with these details (see relay.rs).
        let around = relays.around();
        let cat = finder.catalog.get()?;
        let a = cat.get(i)?.clone();
        let colour = cat.colour(&a.category).to_string();
        let border = colour.clone();
        let label = cat.label(&a.category, &m);
        let report_to = cat.loaded.feed.feed.report_email.clone();
        let today = finder.today.get_value().date;
        // The link back to this view, as it is when the details open (read untracked: the
        // details are not redrawn as the finder changes).
        let page = untrack(|| super::state::share_link(finder, &[]));
        let fresh = a
            .checked
            .as_deref()
            .and_then(|c| Some((checked_ago(c, &today, &m)?, date_in_words(c, &m))));
        let stale = fresh.as_ref().is_some_and(|(f, _)| f.stale);
        let report = report_to.map(|to| report_problem_mailto(&to, &a, Some(&page), &m));
        Some(view! {
            <article class="am-details" data-testid="details" aria-labelledby="am-details-title">
                <div class="am-details-top">
                    <span class="am-badge" style:border-color=border>
                        <span class="am-dot" style:background-color=colour aria-hidden="true"></span>
                        {label}
                    </span>
                    <button class="am-close" aria-label=m.get("details.close").to_string() data-testid="close-details" on:click=move |_| finder.selected.set(None)>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
                <h2 id="am-details-title" class="am-details-title" tabindex="-1" dir="auto">{a.name.clone()}</h2>
                {stale.then(|| view! {
                    <p class="am-stale" data-testid="stale-note">
                        {m.get("details.stale").to_string()}
                    </p>
                })}
                <Actions a=a.clone() around today page m=m.clone() />
                <DetailsBody a=a around m=m.clone() />
                <div class="am-freshness">
                    {fresh.map(|(f, on)| view! {
                        <p class="am-hint" data-testid="checked">{m.fill("details.checked", &[("ago", &f.ago), ("date", &on)])}</p>
                    })}
                    {report.map(|href| view! {
                        <p class="am-hint">
                            {m.get("details.wrong").to_string()}" "
                            <a class="am-link" href=href data-testid="report-problem">{m.get("details.report").to_string()}</a>
                        </p>
                    })}
                </div>
            </article>
        })
    }
}

#[component]
fn Actions(
    a: Activity,
    around: Around,
    today: String,
    page: String,
    m: Arc<Messages>,
) -> impl IntoView {
    let finder = expect_context::<Finder>();
    let status: RwSignal<Option<String>> = RwSignal::new(None);
    let id = StoredValue::new(a.id.clone());
    let starred = move || id.with_value(|id| around.is_starred(id));
    // The phone's share sheet where there is one, else the link copied.
    let sheet = browser::can_share();
    let share = {
        let (title, text) = (a.name.clone(), share_text(&a, &m));
        let m = m.clone();
        move |_| {
            let link = super::state::share_link(finder, &[]);
            browser::share_or_copy(&title, &text, link, m.get("details.copied"), status, &m);
        }
    };
    let next = next_event(&a, &today).map(|n| {
        let at = if n.all_day {
            String::new()
        } else {
            format!(", {}", n.start)
        };
        format!("{}{at}", date_in_words(&n.date, &m))
    });
    let links = calendar_links(&a, &today, Some(&page), &m);
    let calendar = {
        let a = a.clone();
        let m = m.clone();
        move |_| {
            let m = m.clone();
            let today = finder.today.get_value().date;
            let page = super::state::share_link(finder, &[]);
            let made =
                on_demand::calendar_file(a.clone(), today, browser::utc_stamp(), page, m.clone());
            leptos::task::spawn_local(async move {
                status.set(Some(match made.await {
                    Ok(Some((name, text))) => {
                        browser::download(&name, "text/calendar", &text);
                        m.get("calendar.downloaded").to_string()
                    }
                    Ok(None) => m.get("calendar.no_date").to_string(),
                    Err(_) => m.get("calendar.failed").to_string(),
                }));
            });
        }
    };
    view! {
        <div class="am-actions">
            <button
                class="am-button am-button--secondary"
                data-testid="details-star"
                aria-pressed=move || if starred() { "true" } else { "false" }
                on:click=move |_| id.with_value(|id| finder.toggle_shortlist(id))
            >
                {
                    let (on, off) = (m.get("details.starred").to_string(), m.get("details.star").to_string());
                    move || if starred() { format!("★ {on}") } else { format!("☆ {off}") }
                }
            </button>
            <button class="am-button am-button--secondary" data-testid="share" on:click=share>{m.get(if sheet { "share.button" } else { "share.copy_link" }).to_string()}</button>
        </div>
        {next.map(|when| view! {
            <div class="am-calendars" role="group" aria-labelledby="am-calendars-title">
                <p id="am-calendars-title" class="am-calendars-title">
                    <strong>{m.fill("calendar.next", &[("when", &when)])}</strong>" "
                    {m.get("calendar.add").to_string()}
                </p>
                <div class="am-calendars-links">
                    <button class="am-button am-button--secondary" data-testid="add-to-calendar" on:click=calendar>{m.get("calendar.file").to_string()}</button>
                    {links.map(|l| view! {
                        <a class="am-button am-button--secondary" data-testid="google-calendar" href=l.google target="_blank" rel="noopener noreferrer">"Google Calendar"</a>
                        <a class="am-button am-button--secondary" data-testid="outlook-calendar" href=l.outlook target="_blank" rel="noopener noreferrer">"Outlook"</a>
                    })}
                </div>
            </div>
        })}
        <p class="am-hint" role="status" data-testid="action-status">{move || status.get()}</p>
    }
}

#[component]
fn DetailsBody(a: Activity, around: Around, m: Arc<Messages>) -> impl IntoView {
    let when = when_in_words(&a, &m);
    let place = a.location.summary(&m);
    let point = a.point();
    let directions = point.map(|p| (walking_directions(p), transit_directions(p)));
    let distance = {
        let m = m.clone();
        move || {
            let (away, walk) = around.distance_to(point, &m)?;
            let from = around.origin.get()?;
            // The device's own position is named in the person's language.
            let from = match from.device {
                true => m.get("near.your_location").to_string(),
                false => from.label,
            };
            let away = m.fill(
                "details.away_from",
                &[("distance", &away), ("place", &from)],
            );
            Some(match walk {
                Some(w) => format!("{away} · {w}"),
                None => away,
            })
        }
    };
    let access: Vec<String> = a
        .accessibility
        .iter()
        .map(|f| f.label(&m).to_string())
        .collect();
    let joining: Vec<String> = a.joining.iter().map(|j| j.label(&m).to_string()).collect();
    let c = a.contact.clone();
    let t = |key: &str| m.get(key).to_string();
    view! {
        <p class="am-details-desc" dir="auto">{a.description.clone()}</p>
        <dl class="am-facts">
            <dt>{t("details.when")}</dt>
            <dd>
                {if when.is_empty() { vec![t("details.ask_times")] } else { when }
                    .into_iter().map(|w| view! { <span class="am-fact-line">{w}</span> }).collect_view()}
            </dd>
            <dt>{t("details.where")}</dt>
            <dd>
                <span class="am-fact-line" dir="auto">{place}</span>
                {move || distance().map(|d| view! { <span class="am-fact-line">{d}</span> })}
                {directions.map(|(walking, transit)| view! {
                    <span class="am-directions">
                        <a class="am-link" href=walking target="_blank" rel="noopener noreferrer" data-testid="walking-directions">{t("details.walking")}</a>
                        <a class="am-link" href=transit target="_blank" rel="noopener noreferrer" data-testid="transit-directions">{t("details.transit")}</a>
                    </span>
                })}
            </dd>
            <dt>{t("details.cost")}</dt>
            <dd>{a.cost.summary(&m)}</dd>
            <dt>{t("details.access")}</dt>
            <dd>
                {if access.is_empty() {
                    view! { <span class="am-fact-line">{t("details.no_access")}</span> }.into_any()
                } else {
                    view! { <ul class="am-tags">{access.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
                }}
            </dd>
            <dt>{t("details.who")}</dt>
            <dd>
                {a.ages.map(|g| view! { <span class="am-fact-line">{g.summary(&m)}</span> })}
                {if joining.is_empty() {
                    vec![t("details.ask_join")]
                } else {
                    joining
                }.into_iter().map(|j| view! { <span class="am-fact-line">{j}</span> }).collect_view()}
            </dd>
            {a.organiser.clone().map(|o| view! { <dt>{t("details.run_by")}</dt><dd dir="auto">{o}</dd> })}
            <dt>{t("details.contact")}</dt>
            <dd class="am-contact">
                {c.website.clone().map(|w| view! { <a class="am-link" href=w target="_blank" rel="noopener noreferrer">{t("details.website")}</a> })}
                {c.phone.clone().map(|p| view! { <a class="am-link" href=format!("tel:{}", p.replace(' ', ""))>{m.fill("details.call", &[("phone", &ltr(&p))])}</a> })}
                {c.email.clone().map(|e| view! { <a class="am-link" href=format!("mailto:{e}")>{m.fill("details.email", &[("email", &ltr(&e))])}</a> })}
                {c.is_empty().then(|| view! { <span class="am-fact-line">{t("details.no_contact")}</span> })}
            </dd>
        </dl>
    }
}
