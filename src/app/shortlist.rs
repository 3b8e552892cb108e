//! The link worker's shortlist: starred activities, kept in this browser only,
//! shown in a dialog, shared (share sheet or link), emailed, shown as a QR code and
//! printed as a clean page that carries the QR code.

use super::browser;
use super::on_demand::{self, PartMissing};
use super::state::Finder;
use super::words::words;
use crate::lang::Messages;
use crate::links::{shortlist_mailto, shortlist_share_text};
use crate::model::Activity;
use crate::qr::QrSvg;
use crate::schedule::when_in_words;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The link to the whole shortlist, opening on it: what Copy link, Share, the email and
/// the QR code give. Read untracked: the views that show it are not redrawn as the map
/// moves behind them.
fn list_link(finder: Finder) -> String {
    untrack(|| super::state::share_link(finder, &[("show", Some("shortlist")), ("sel", None)]))
}

fn feed_name(finder: Finder) -> String {
    untrack(|| finder.feed_name()).unwrap_or_default()
}

/// "Email this list": each activity with its own link (opening on it; without the
/// list, which would make each as long as the list's), then the list's.
fn email_link(finder: Finder, items: &[Activity], m: &Messages) -> String {
    let own: Vec<(&Activity, String)> = items
        .iter()
        .map(|a| {
            let link = untrack(|| {
                super::state::share_link(
                    finder,
                    &[("sel", Some(&a.id)), ("show", None), ("list", None)],
                )
            });
            (a, link)
        })
        .collect();
    shortlist_mailto(&own, &list_link(finder), &feed_name(finder), m)
}

/// A link as a QR code, drawn once its part is here.
#[component]
fn QrCode(link: String) -> impl IntoView {
    let made: RwSignal<Option<Result<Option<QrSvg>, PartMissing>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        made.try_set(Some(on_demand::qr_code(link).await));
    });
    let m = words().now();
    move || drawn(made.get(), &m)
}

/// The QR code once made, or what stands in for it.
fn drawn(made: Option<Result<Option<QrSvg>, PartMissing>>, m: &Messages) -> AnyView {
    let t = |key: &str| m.get(key).to_string();
    match made {
        None => view! { <p class="am-hint">{t("qr.making")}</p> }.into_any(),
        Some(Ok(Some(qr))) => view! {
            <svg
                class="am-qr-code"
                data-testid="qr-code"
                viewBox=format!("0 0 {0} {0}", qr.side)
                role="img"
                aria-label=t("qr.label")
                shape-rendering="crispEdges"
            >
                <rect width=qr.side height=qr.side fill="#ffffff"></rect>
                <path d=qr.path fill="#000000"></path>
            </svg>
        }
        .into_any(),
        Some(Ok(None)) => view! {
            <p class="am-hint">{t("qr.too_long")}</p>
        }
        .into_any(),
        Some(Err(PartMissing)) => view! {
            <p class="am-hint">{t("qr.missing")}</p>
        }
        .into_any(),
    }
}

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
    let w = words();
    move || {
        // Built again in a new language (see App).
        let m = w.current();
        finder.show_shortlist.get().then(|| {
            let t = |key: &str| m.get(key).to_string();
            // Made with the dialog and dropped with it (see relay.rs), so each opening
            // starts without a message.
            let status: RwSignal<Option<String>> = RwSignal::new(None);
            let show_qr = RwSignal::new(false);
            let share = {
                let m = m.clone();
                move |_| {
                    let n = finder.shortlist.with_untracked(Vec::len);
                    browser::share_or_copy(
                        m.get("shortlist.title_for_you"),
                        &shortlist_share_text(n, &feed_name(finder), &m),
                        list_link(finder),
                        m.get("shortlist.copied"),
                        status,
                        &m,
                    );
                }
            };
            let sheet = browser::can_share();
            let print = move |_| {
                // The printed page draws its QR code again, with the link as it is now;
                // printing waits for the code's part (downloaded the first time).
                finder.qr_wanted.update(|w| *w = true);
                let link = list_link(finder);
                leptos::task::spawn_local(async move {
                    let _ = on_demand::qr_code(link).await;
                    browser::after_paint().await;
                    browser::print();
                });
            };
            let items = starred(finder);
            let empty = items.is_empty();
            let email = email_link(finder, &items, &m);
            let (hide_qr, show_qr_text, scan) = (t("qr.hide"), t("qr.show"), t("qr.scan"));
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
                        <h2 id="am-shortlist-title" class="am-details-title" tabindex="-1">{t("shortlist.title")}</h2>
                        <button class="am-close" aria-label=t("shortlist.close") data-testid="close-shortlist" on:click=move |_| close()>
                            <span aria-hidden="true">"×"</span>
                        </button>
                    </div>
                    <p class="am-hint">{t("shortlist.private")}</p>
                    {empty.then(|| view! { <p data-testid="shortlist-empty">{t("shortlist.empty")}</p> })}
                    <ol class="am-short-list">
                        {items.into_iter().map(|a| {
                            let id = a.id.clone();
                            let remove_label = m.fill("shortlist.remove_name", &[("name", &a.name)]);
                            let sep = format!("{} ", m.get("list.semicolon"));
                            view! {
                                <li class="am-short-item" data-testid="shortlist-item">
                                    <div>
                                        <strong dir="auto">{a.name.clone()}</strong>
                                        <span class="am-fact-line">{when_in_words(&a, &m).join(&sep)}</span>
                                        <span class="am-fact-line">{a.location.summary(&m)}</span>
                                    </div>
                                    <button class="am-link-button" aria-label=remove_label on:click=move |_| finder.toggle_shortlist(&id)>
                                        {t("shortlist.remove")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    {(!empty).then(|| view! {
                        <div class="am-actions">
                            <button class="am-button" data-testid="print-shortlist" on:click=print>{t("shortlist.print")}</button>
                            <button class="am-button am-button--secondary" data-testid="share-shortlist" on:click=share>
                                {t(if sheet { "share.button" } else { "share.copy_link" })}
                            </button>
                            <a class="am-button am-button--secondary" data-testid="email-shortlist" href=email>{t("shortlist.email")}</a>
                            <button
                                class="am-button am-button--secondary"
                                data-testid="show-qr"
                                aria-expanded=move || if show_qr.get() { "true" } else { "false" }
                                aria-controls="am-shortlist-qr"
                                on:click=move |_| {
                                    finder.qr_wanted.set(true);
                                    let shown = !show_qr.get_untracked();
                                    show_qr.set(shown);
                                    if shown {
                                        // Below a long list the code is out of sight: brought
                                        // into view once drawn.
                                        let link = list_link(finder);
                                        leptos::task::spawn_local(async move {
                                            let _ = on_demand::qr_code(link).await;
                                            browser::after_paint().await;
                                            host.scroll_to("am-shortlist-qr");
                                        });
                                    }
                                }
                            >
                                {move || if show_qr.get() { hide_qr.clone() } else { show_qr_text.clone() }}
                            </button>
                        </div>
                        <div id="am-shortlist-qr">
                            {move || show_qr.get().then(|| view! {
                                <figure class="am-qr" data-testid="shortlist-qr">
                                    <QrCode link=list_link(finder) />
                                    <figcaption>{scan.clone()}</figcaption>
                                </figure>
                            })}
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
    // The browser's own Print menu asks for the code too; its part may still be on the
    // way then, so the first such print can lack it (the Print button waits for it).
    browser::listen(window().unchecked_into(), "beforeprint", move |_| {
        finder.qr_wanted.update(|w| *w = true)
    });
    // Built again in a new language (see App).
    let m = words().now();
    let t = super::words::lookup(&m);
    let scan = t("qr.scan");
    view! {
        <section class="am-print" data-testid="print-view" aria-hidden="true">
            <h1>{t("shortlist.title_for_you")}</h1>
            {move || {
                // Drawn again when the list changes or a print is asked for.
                finder.shortlist.track();
                finder.qr_wanted.get().then(|| view! {
                    <figure class="am-qr am-print-qr" data-testid="print-qr">
                        <QrCode link=list_link(finder) />
                        <figcaption>{scan.clone()}</figcaption>
                    </figure>
                })
            }}
            {move || starred(finder).into_iter().map(|a| {
                let c = a.contact.clone();
                let sep = format!("{} ", m.get("list.semicolon"));
                let how: Vec<&str> = a.joining.iter().map(|j| j.label(&m)).collect();
                view! {
                    <article class="am-print-item">
                        <h2>{a.name.clone()}</h2>
                        <p>{a.description.clone()}</p>
                        <p>{m.fill("about.when", &[("when", &when_in_words(&a, &m).join(&sep))])}</p>
                        <p>{m.fill("email.where", &[("where", &a.location.summary(&m))])}</p>
                        <p>{m.fill("about.cost", &[("cost", &a.cost.summary(&m))])}</p>
                        <p>{m.fill("about.join", &[("how", &how.join(&sep))])}</p>
                        <p>
                            <strong>{t("details.contact")}</strong>": "
                            {[c.phone.clone(), c.email.clone(), c.website.clone()].into_iter().flatten().map(|x| super::words::ltr(&x)).collect::<Vec<_>>().join(" · ")}
                        </p>
                    </article>
                }
            }).collect_view()}
        </section>
    }
}
