//! The link worker's shortlist: starred activities, kept in this browser only,
//! shown in a dialog, shared as a link and printed as a clean page.

use super::browser;
use super::state::Finder;
use crate::model::Activity;
use crate::schedule::when_in_words;
use leptos::prelude::*;

fn starred(finder: Finder) -> Vec<Activity> {
    let Some(cat) = finder.catalog.get() else {
        return Vec::new();
    };
    finder
        .shortlist
        .get()
        .iter()
        .filter_map(|id| cat.index_of(id).and_then(|i| cat.get(i)).cloned())
        .collect()
}

#[component]
pub fn ShortlistDialog() -> impl IntoView {
    let finder = expect_context::<Finder>();
    let host = expect_context::<super::host::Host>();
    let close = move || {
        finder.show_shortlist.set(false);
        host.focus("am-open-shortlist");
    };
    // Escape closes the dialog wherever focus is (for as long as the dialog is mounted:
    // the app mounts it on opening, src/app/on_demand.rs).
    let esc = window_event_listener(leptos::ev::keydown, move |e| {
        if e.key() == "Escape" && finder.show_shortlist.get_untracked() {
            close();
        }
    });
    on_cleanup(move || esc.remove());
    Effect::new(move |_| {
        if finder.show_shortlist.get() {
            request_animation_frame(move || host.focus("am-shortlist-title"));
        }
    });
    move || {
        finder.show_shortlist.get().then(|| {
            // Made with the dialog and dropped with it (see relay.rs), so each opening
            // starts without a message.
            let status: RwSignal<Option<String>> = RwSignal::new(None);
            let share = move |_| {
                let link = super::state::share_link(finder, &[("show", Some("shortlist")), ("sel", None)]);
                browser::copy_text(&link.clone(), move |ok| {
                    status.set(Some(if ok {
                        "Link to this shortlist copied.".to_string()
                    } else {
                        format!("Copy this link: {link}")
                    }))
                });
            };
            let items = starred(finder);
            let empty = items.is_empty();
            view! {
                <div class="am-dialog-backdrop" on:click=move |_| close()></div>
                <div
                    class="am-dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="am-shortlist-title"
                    data-testid="shortlist"
                >
                    <div class="am-details-top">
                        <h2 id="am-shortlist-title" class="am-details-title" tabindex="-1">"Your shortlist"</h2>
                        <button class="am-close" aria-label="Close shortlist" data-testid="close-shortlist" on:click=move |_| close()>
                            <span aria-hidden="true">"×"</span>
                        </button>
                    </div>
                    <p class="am-hint">"Kept in this browser only. Nothing is sent anywhere."</p>
                    {empty.then(|| view! { <p data-testid="shortlist-empty">"Nothing here yet. Tap ☆ beside an activity to add it."</p> })}
                    <ol class="am-short-list">
                        {items.into_iter().map(|a| {
                            let id = a.id.clone();
                            let name = a.name.clone();
                            view! {
                                <li class="am-short-item" data-testid="shortlist-item">
                                    <div>
                                        <strong>{a.name.clone()}</strong>
                                        <span class="am-fact-line">{when_in_words(&a).join("; ")}</span>
                                        <span class="am-fact-line">{a.location.summary()}</span>
                                    </div>
                                    <button class="am-link-button" aria-label=format!("Remove {name}") on:click=move |_| finder.toggle_shortlist(&id)>
                                        "Remove"
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    {(!empty).then(|| view! {
                        <div class="am-actions">
                            <button class="am-button" data-testid="print-shortlist" on:click=move |_| browser::print()>"Print"</button>
                            <button class="am-button am-button--secondary" data-testid="share-shortlist" on:click=share>"Copy link"</button>
                        </div>
                    })}
                    <p class="am-hint" role="status">{move || status.get()}</p>
                </div>
            }
        })
    }
}

/// The printed page: only the shortlist, every detail written out. Hidden on screen.
#[component]
pub fn PrintShortlist() -> impl IntoView {
    let finder = expect_context::<Finder>();
    view! {
        <section class="am-print" data-testid="print-view" aria-hidden="true">
            <h1>"Activities for you"</h1>
            {move || starred(finder).into_iter().map(|a| {
                let c = a.contact.clone();
                view! {
                    <article class="am-print-item">
                        <h2>{a.name.clone()}</h2>
                        <p>{a.description.clone()}</p>
                        <p><strong>"When: "</strong>{when_in_words(&a).join("; ")}</p>
                        <p><strong>"Where: "</strong>{a.location.summary()}</p>
                        <p><strong>"Cost: "</strong>{a.cost.summary()}</p>
                        <p><strong>"How to join: "</strong>{a.joining.iter().map(|j| j.label()).collect::<Vec<_>>().join("; ")}</p>
                        <p>
                            <strong>"Contact: "</strong>
                            {[c.phone.clone(), c.email.clone(), c.website.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}
                        </p>
                    </article>
                }
            }).collect_view()}
        </section>
    }
}
