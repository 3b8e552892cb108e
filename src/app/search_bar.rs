//! Search words, "near me", a postcode or town, and how far to look.

use super::browser;
use super::loader;
use super::state::{Finder, Origin};
use leptos::prelude::*;

/// Distances offered, in the chosen unit.
const RADII: [f64; 6] = [1.0, 3.0, 5.0, 10.0, 25.0, 50.0];

#[component]
pub fn SearchBar(geocoder: String) -> impl IntoView {
    let finder = expect_context::<Finder>();
    let message: RwSignal<Option<String>> = RwSignal::new(None);
    let locating = RwSignal::new(false);
    let place_text = RwSignal::new(String::new());
    let geocoder_on = geocoder != "off";
    let geocoder = StoredValue::new(geocoder);

    let near_me = move |_| {
        message.set(None);
        locating.set(true);
        browser::locate(move |r| {
            locating.set(false);
            match r {
                Ok(at) => {
                    finder.go_near(Origin {
                        at,
                        label: "your location".into(),
                        device: true,
                    });
                }
                Err(e) => message.set(Some(e.message().to_string())),
            }
        });
    };
    let find_place = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = place_text.get_untracked();
        message.set(None);
        locating.set(true);
        let base = geocoder.get_value();
        leptos::task::spawn_local(async move {
            let r = loader::geocode(&base, &text).await;
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
    };
    let unit = move || if finder.miles.get() { "miles" } else { "km" };
    let radius_value = move || {
        finder
            .distance
            .get()
            .map(|v| format!("{v}"))
            .unwrap_or_else(|| "any".into())
    };

    view! {
        <div class="am-search">
            <label class="am-label" for="am-q">"Search"</label>
            <input
                id="am-q"
                class="am-input"
                type="search"
                data-testid="search"
                placeholder="e.g. walking, choir, Norwich"
                autocomplete="off"
                prop:value=move || finder.filters.with(|f| f.search.clone())
                on:input=move |e| {
                    let v = event_target_value(&e);
                    finder.filters.update(|f| f.search = v);
                }
            />
            <div class="am-near">
                <button class="am-button am-button--secondary" data-testid="near-me" on:click=near_me disabled=move || locating.get()>
                    <span aria-hidden="true">"◎ "</span>"Near me"
                </button>
                {geocoder_on.then(|| view! {
                    <form class="am-place-form" role="search" on:submit=find_place>
                        <label class="am-sr" for="am-place">"Postcode or town"</label>
                        <input
                            id="am-place"
                            class="am-input am-input--place"
                            data-testid="place-input"
                            placeholder="Postcode or town"
                            autocomplete="postal-code"
                            prop:value=move || place_text.get()
                            on:input=move |e| place_text.set(event_target_value(&e))
                        />
                        <button class="am-button am-button--secondary" type="submit" data-testid="place-go">"Go"</button>
                    </form>
                })}
            </div>
            {move || locating.get().then(|| view! { <p class="am-hint" role="status">"Finding the place…"</p> })}
            {move || message.get().map(|m| view! { <p class="am-message" role="alert" data-testid="locate-message">{m}</p> })}
            {move || finder.origin.get().map(|o| view! {
                <div class="am-origin" data-testid="origin">
                    <span>{format!("Near {}", o.label)}</span>
                    <label class="am-sr" for="am-radius">"Distance"</label>
                    <select
                        id="am-radius"
                        class="am-select"
                        data-testid="radius"
                        prop:value=radius_value
                        on:change=move |e| {
                            let v = event_target_value(&e);
                            finder.distance.set(v.parse::<f64>().ok());
                        }
                    >
                        <option value="any">"Any distance"</option>
                        {RADII.into_iter().map(|r| view! { <option value=r.to_string()>{move || format!("Within {r} {}", unit())}</option> }).collect_view()}
                    </select>
                    <label class="am-sr" for="am-unit">"Units"</label>
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
                        <option value="mi">"miles"</option>
                        <option value="km">"km"</option>
                    </select>
                    <button class="am-link-button" data-testid="clear-origin" on:click=move |_| { finder.origin.set(None); finder.distance.set(None); }>
                        "Clear"
                    </button>
                </div>
            })}
        </div>
    }
}
