//! Everything about one activity: what, when, where (and the way there), cost,
//! access, how to join, contact, how fresh the listing is and where to report a
//! problem with it, and ways to keep it: star, share, add to a calendar.

use super::browser;
use super::on_demand;
use super::relay::{Around, Relays};
use super::state::Finder;
use crate::freshness::checked_ago;
use crate::ics::next_event;
use crate::links::{
    calendar_links, report_problem_mailto, share_text, transit_directions, walking_directions,
};
use crate::model::Activity;
use crate::schedule::{date_in_words, when_in_words};
use leptos::prelude::*;

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
    move || {
        let i = finder.selected.get()?;
        // Read through copies dropped with these details (see relay.rs).
        let around = relays.around();
        let cat = finder.catalog.get()?;
        let a = cat.get(i)?.clone();
        let colour = cat.colour(&a.category).to_string();
        let border = colour.clone();
        let label = cat.label(&a.category);
        let report_to = cat.loaded.feed.feed.report_email.clone();
        let today = finder.today.get_value().date;
        // The link back to this view, as it is when the details open (read untracked: the
        // details are not redrawn as the finder changes).
        let page = untrack(|| super::state::share_link(finder, &[]));
        let fresh = a
            .checked
            .as_deref()
            .and_then(|c| Some((checked_ago(c, &today)?, date_in_words(c))));
        let stale = fresh.as_ref().is_some_and(|(f, _)| f.stale);
        let report = report_to.map(|to| report_problem_mailto(&to, &a, Some(&page)));
        Some(view! {
            <article class="am-details" data-testid="details" aria-labelledby="am-details-title">
                <div class="am-details-top">
                    <span class="am-badge" style:border-color=border>
                        <span class="am-dot" style:background-color=colour aria-hidden="true"></span>
                        {label}
                    </span>
                    <button class="am-close" aria-label="Close details" data-testid="close-details" on:click=move |_| finder.selected.set(None)>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
                <h2 id="am-details-title" class="am-details-title" tabindex="-1">{a.name.clone()}</h2>
                {stale.then(|| view! {
                    <p class="am-stale" data-testid="stale-note">
                        "This listing was last checked over a year ago — check with the organiser before you go."
                    </p>
                })}
                <Actions a=a.clone() around today page />
                <DetailsBody a=a around />
                <div class="am-freshness">
                    {fresh.map(|(f, on)| view! {
                        <p class="am-hint" data-testid="checked">{format!("Listing checked {} ({on}).", f.ago)}</p>
                    })}
                    {report.map(|href| view! {
                        <p class="am-hint">
                            "Something wrong or out of date? "
                            <a class="am-link" href=href data-testid="report-problem">"Report a problem with this listing"</a>
                        </p>
                    })}
                </div>
            </article>
        })
    }
}

#[component]
fn Actions(a: Activity, around: Around, today: String, page: String) -> impl IntoView {
    let finder = expect_context::<Finder>();
    let status: RwSignal<Option<String>> = RwSignal::new(None);
    let id = StoredValue::new(a.id.clone());
    let starred = move || id.with_value(|id| around.is_starred(id));
    // The phone's share sheet where there is one, else the link copied.
    let sheet = browser::can_share();
    let share = {
        let (title, text) = (a.name.clone(), share_text(&a));
        move |_| {
            let link = super::state::share_link(finder, &[]);
            browser::share_or_copy(
                &title,
                &text,
                link,
                "Link copied. Paste it into a message or email.",
                status,
            );
        }
    };
    let next = next_event(&a, &today).map(|n| {
        let at = if n.all_day {
            String::new()
        } else {
            format!(", {}", n.start)
        };
        format!("{}{at}", date_in_words(&n.date))
    });
    let links = calendar_links(&a, &today, Some(&page));
    let calendar = {
        let a = a.clone();
        move |_| {
            let today = finder.today.get_value().date;
            let page = super::state::share_link(finder, &[]);
            let made = on_demand::calendar_file(a.clone(), today, browser::utc_stamp(), page);
            leptos::task::spawn_local(async move {
                status.set(Some(match made.await {
                    Ok(Some((name, text))) => {
                        browser::download(&name, "text/calendar", &text);
                        "Calendar file downloaded: open it to add the next session.".into()
                    }
                    Ok(None) => "There's no date for the next session: ask the organiser.".into(),
                    Err(_) => "The calendar file could not be made: check your internet connection and try again.".into(),
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
                {move || if starred() { "★ On your shortlist" } else { "☆ Add to shortlist" }}
            </button>
            <button class="am-button am-button--secondary" data-testid="share" on:click=share>{if sheet { "Share" } else { "Copy link" }}</button>
        </div>
        {next.map(|when| view! {
            <div class="am-calendars" role="group" aria-labelledby="am-calendars-title">
                <p id="am-calendars-title" class="am-calendars-title">
                    <strong>{format!("Next session: {when}.")}</strong>
                    " Add it to your calendar:"
                </p>
                <div class="am-calendars-links">
                    <button class="am-button am-button--secondary" data-testid="add-to-calendar" on:click=calendar>"Calendar file (.ics)"</button>
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
fn DetailsBody(a: Activity, around: Around) -> impl IntoView {
    let when = when_in_words(&a);
    let place = a.location.summary();
    let point = a.point();
    let directions = point.map(|p| (walking_directions(p), transit_directions(p)));
    let distance = move || {
        let (away, walk) = around.distance_to(point)?;
        let from = around.origin.get()?.label;
        Some(match walk {
            Some(w) => format!("{away} from {from} · {w}"),
            None => format!("{away} from {from}"),
        })
    };
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
                {move || distance().map(|d| view! { <span class="am-fact-line">{d}</span> })}
                {directions.map(|(walking, transit)| view! {
                    <span class="am-directions">
                        <a class="am-link" href=walking target="_blank" rel="noopener noreferrer" data-testid="walking-directions">"Walking directions"</a>
                        <a class="am-link" href=transit target="_blank" rel="noopener noreferrer" data-testid="transit-directions">"Directions by bus or train"</a>
                    </span>
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
                {if joining.is_empty() {
                    vec!["Ask the organiser how to join"]
                } else {
                    joining
                }.into_iter().map(|j| view! { <span class="am-fact-line">{j}</span> }).collect_view()}
            </dd>
            {a.organiser.clone().map(|o| view! { <dt>"Run by"</dt><dd>{o}</dd> })}
            <dt>"Contact"</dt>
            <dd class="am-contact">
                {c.website.clone().map(|w| view! { <a class="am-link" href=w target="_blank" rel="noopener noreferrer">"Website"</a> })}
                {c.phone.clone().map(|p| view! { <a class="am-link" href=format!("tel:{}", p.replace(' ', ""))>{format!("Call {p}")}</a> })}
                {c.email.clone().map(|e| view! { <a class="am-link" href=format!("mailto:{e}")>{format!("Email {e}")}</a> })}
                {c.is_empty().then(|| view! { <span class="am-fact-line">"No contact details given"</span> })}
            </dd>
        </dl>
    }
}
