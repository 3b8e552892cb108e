//! Search words, "near me", a postcode or town, and how far to look.

use super::browser;
use super::loader;
use super::state::{Finder, OnScreen, Origin};
use super::words::words;
use leptos::prelude::*;

/// Distances offered, in the chosen unit.
const RADII: [f64; 6] = [1.0, 3.0, 5.0, 10.0, 25.0, 50.0];

#[component]
pub fn SearchBar(geocoder: String) -> impl IntoView {
    let finder = expect_context::<Finder>();
    let message: RwSignal<Option<String>> = RwSignal::new(None);
    let locating = RwSignal::new(false);
    let place_text = expect_context::<OnScreen>().place_typed;
    let geocoder_on = geocoder != "off";
    let geocoder = StoredValue::new(geocoder);
    // Built again in a new language (see App).
    let m = words().now();
    let t = super::words::lookup(&m);

    let near_me = {
        let m = m.clone();
        move |_| {
            message.set(None);
            locating.set(true);
            let m = m.clone();
            browser::locate(move |r| {
                locating.set(false);
                match r {
                    Ok(at) => {
                        finder.go_near(Origin {
                            at,
                            label: String::new(),
                            device: true,
                        });
                    }
                    Err(e) => message.set(Some(e.message(&m))),
                }
            });
        }
    };
    let find_place = {
        let m = m.clone();
        move |ev: leptos::ev::SubmitEvent| {
            let m = m.clone();
            ev.prevent_default();
            let text = place_text.get_untracked();
            message.set(None);
            locating.set(true);
            let base = geocoder.get_value();
            leptos::task::spawn_local(async move {
                let r = loader::geocode(&base, &text, &m).await;
                locating.set(false);
                match r {
                    Ok((at, label)) => {
                        finder.go_near(Origin {
                            at,
                            label,
                            device: false,
                        });
                    }
                    Err(m) => message.set(Some(m)),
                }
            });
        }
    };
    let your_location = t("near.your_location");
    let fill = {
        let m = m.clone();
        move |key: &str, blank: &str, value: &str| m.fill(key, &[(blank, value)])
    };
    let radius_value = move || {
        finder
            .distance
            .get()
            .map(|v| format!("{v}"))
            .unwrap_or_else(|| "any".into())
    };

    view! {
        <div class="am-search">
            <label class="am-label" for="am-q">{t("search.label")}</label>
            <input
                id="am-q"
                class="am-input"
                type="search"
                data-testid="search"
                placeholder=t("search.placeholder")
                autocomplete="off"
                prop:value=move || finder.filters.with(|f| f.search.clone())
                on:input=move |e| {
                    let v = event_target_value(&e);
                    finder.filters.update(|f| f.search = v);
                }
            />
            <div class="am-near">
                <button class="am-button am-button--secondary" data-testid="near-me" on:click=near_me disabled=move || locating.get()>
                    <span aria-hidden="true">"◎ "</span>{t("near.button")}
                </button>
                {geocoder_on.then(|| view! {
                    <form class="am-place-form" role="search" on:submit=find_place>
                        <label class="am-sr" for="am-place">{t("near.place_label")}</label>
                        <input
                            id="am-place"
                            class="am-input am-input--place"
                            data-testid="place-input"
                            placeholder=t("near.place_label")
                            autocomplete="postal-code"
                            prop:value=move || place_text.get()
                            on:input=move |e| place_text.set(event_target_value(&e))
                        />
                        <button class="am-button am-button--secondary" type="submit" data-testid="place-go">{t("near.go")}</button>
                    </form>
                })}
            </div>
            {let finding = t("near.finding");
                move || locating.get().then(|| view! { <p class="am-hint" role="status">{finding.clone()}</p> })}
            {move || message.get().map(|m| view! { <p class="am-message" role="alert" data-testid="locate-message">{m}</p> })}
            {move || finder.origin.get().map(|o| view! {
                <div class="am-origin" data-testid="origin">
                    <span>{fill("near.near", "place", if o.device { &your_location } else { &o.label })}</span>
                    <label class="am-sr" for="am-radius">{t("near.distance")}</label>
                    <select
                        id="am-radius"
                        class="am-select"
                        data-testid="radius"
                        prop:value=radius_value
                        on:change=move |e| {
                            let v = event_target_value(&e);
                            finder.distance.set(crate::math::parse_f64(&v));
                        }
                    >
                        <option value="any" selected=move || finder.distance.get().is_none()>{t("near.any_distance")}</option>
                        {RADII.into_iter().map(|r| {
                            let (mi, km) = (fill("near.within_miles", "d", &r.to_string()), fill("near.within_km", "d", &r.to_string()));
                            // `selected` too: the select's value is set before its options exist.
                            view! { <option value=r.to_string() selected=move || finder.distance.get() == Some(r)>{move || if finder.miles.get() { mi.clone() } else { km.clone() }}</option> }
                        }).collect_view()}
                    </select>
                    <label class="am-sr" for="am-unit">{t("near.units")}</label>
                    <select
                        id="am-unit"
                        class="am-select"
                        data-testid="units"
                        prop:value=move || if finder.miles.get() { "mi" } else { "km" }
                        on:change=move |e| {
                            let miles = event_target_value(&e) == "mi";
                            finder.miles.set(miles);
                        }
                    >
                        <option value="mi" selected=move || finder.miles.get()>{t("near.miles")}</option>
                        <option value="km" selected=move || !finder.miles.get()>{t("near.km")}</option>
                    </select>
                    <button class="am-link-button" data-testid="clear-origin" on:click=move |_| { finder.origin.set(None); finder.distance.set(None); }>
                        {t("near.clear")}
                    </button>
                </div>
            })}
        </div>
    }
}
