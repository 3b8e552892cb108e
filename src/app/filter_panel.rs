//! The filters, each with a live count. Only choices that would leave something
//! are offered (a chosen one stays, so it can be unchosen).

use super::answers::Published;
use super::on_demand;
use super::state::{Finder, OnScreen};
use super::words::words;
use crate::filter::Filters;
use crate::model::{Feature, Weekday};
use crate::schedule::DayPart;
use leptos::prelude::*;

#[component]
pub fn FilterPanel() -> impl IntoView {
    let finder = expect_context::<Finder>();
    let open = expect_context::<OnScreen>().filters_open;
    let opened = Memo::new(move |before: Option<&bool>| before == Some(&true) || open.get());
    let facets = expect_context::<Published>().facets;
    // Built again in a new language (see App).
    let m = words().now();
    let t = super::words::lookup(&m);
    let count_text = {
        let m = m.clone();
        move || match finder.active_filter_count() {
            0 => m.get("filters.more").to_string(),
            n => m.count("filters.more_on", n as u64, &[]),
        }
    };

    // Every category and tag in the feed is drawn once per feed; counts and
    // visibility update in place, so a focused checkbox is never replaced.
    let categories = {
        let m = m.clone();
        move || {
            let Some(cat) = finder.catalog.get() else {
                return ().into_any();
            };
            // A tiled feed offers every category it holds, counted in the area in view
            // from its index (its catalog holds only the tiles drawn as pins).
            let pack_totals = finder.pack.with_untracked(|p| {
                p.as_ref().map(|p| {
                    (
                        p.source.index.counted.clone(),
                        p.source.index.totals.clone(),
                    )
                })
            });
            let held = |id: &str| match &pack_totals {
                Some((counted, totals)) => {
                    counted.iter().zip(totals).any(|(c, n)| c == id && *n > 0)
                }
                None => cat.activities().iter().any(|a| a.category == id),
            };
            let present: Vec<_> = cat
                .categories
                .iter()
                .filter(|c| held(&c.id))
                .cloned()
                .collect();
            present
                .into_iter()
                .map(|c| {
                    let (id1, id2, id3) = (c.id.clone(), c.id.clone(), c.id.clone());
                    chip(
                        format!("cat-{}", c.id),
                        crate::model::category_label(&c, &m).to_string(),
                        Some(c.colour),
                        move || {
                            // …except while a search is on: the index counts every
                            // name, the catalog holds what the search found.
                            let searching = finder.filters.with(Filters::has_search_words);
                            let in_pack = finder.pack.with(|p| {
                                let p = p.as_ref().filter(|_| !searching)?;
                                Some(p.in_view.iter().find(|(k, _)| *k == id1).map_or(0, |x| x.1))
                            });
                            in_pack.unwrap_or_else(|| {
                                facets.with(|fc| {
                                    fc.categories
                                        .iter()
                                        .find(|(k, _)| *k == id1)
                                        .map_or(0, |x| x.1)
                                })
                            })
                        },
                        move || finder.filters.with(|f| f.categories.contains(&id2)),
                        move |f: &mut Filters| toggle(&mut f.categories, id3.clone()),
                    )
                })
                .collect_view()
                .into_any()
        }
    };
    let clear_all = t("filters.clear_all");
    let shared = on_demand::Shared::here();
    view! {
        <div class="am-filters">
            <fieldset class="am-fieldset am-fieldset--cats">
                <legend class="am-sr">{t("filters.type")}</legend>
                <div class="am-chips" data-testid="category-filters">{categories}</div>
            </fieldset>
            <div class="am-filter-bar">
                <button
                    class="am-button am-button--secondary"
                    data-testid="filters-toggle"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    aria-controls="am-filter-panel"
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {count_text}
                </button>
                {move || (finder.active_filter_count() > 0 || finder.radius.get().is_some()).then(|| view! {
                    <button class="am-link-button" data-testid="clear-filters" on:click=move |_| finder.clear_filters()>
                        {clear_all.clone()}
                    </button>
                })}
            </div>
            <div id="am-filter-panel" class="am-filter-panel" data-testid="filter-panel" hidden=move || !open.get()>
                // Downloaded and built the first time it opens (then kept, so focus and
                // state stay put): the first view does not wait for choices no one has
                // asked to see.
                {move || opened.get().then(|| on_demand::when_here(move |el| on_demand::more_filters(el, shared)))}
            </div>
        </div>
    }
}

/// What "More filters" holds: when, cost and joining, access, and the kind of activity
/// (a part of its own, src/app/on_demand.rs).
#[component]
pub fn MoreFilters() -> impl IntoView {
    let finder = expect_context::<Finder>();
    let facets = expect_context::<Published>().facets;
    let m = words().now();
    let t = super::words::lookup(&m);
    let tags = move || {
        let Some(cat) = finder.catalog.get() else {
            return ().into_any();
        };
        let mut all = cat.tags().to_vec();
        all.sort();
        all.into_iter()
            .map(|t| {
                let (t1, t2, t3) = (t.clone(), t.clone(), t.clone());
                chip(
                    format!("tag-{}", slug(&t)),
                    t,
                    None,
                    move || {
                        facets.with(|fc| fc.tags.iter().find(|(k, _)| *k == t1).map_or(0, |x| x.1))
                    },
                    move || finder.filters.with(|f| f.tags.contains(&t2)),
                    move |f: &mut Filters| toggle(&mut f.tags, t3.clone()),
                )
            })
            .collect_view()
            .into_any()
    };

    let (cost_joining, free, self_ref, access, kind) = (
        t("filters.cost_joining"),
        t("cost.free"),
        t("filters.self"),
        t("details.access"),
        t("filters.kind"),
    );
    view! {
        <WhenFilters />
        <fieldset class="am-fieldset">
            <legend class="am-legend">{cost_joining}</legend>
            <div class="am-chips">
                {chip("free".into(), free, None, move || facets.with(|fc| fc.free),
                    move || finder.filters.with(|f| f.free), |f: &mut Filters| f.free = !f.free)}
                {chip("self".into(), self_ref, None, move || facets.with(|fc| fc.self_referral),
                    move || finder.filters.with(|f| f.self_referral), |f: &mut Filters| f.self_referral = !f.self_referral)}
            </div>
        </fieldset>
        <fieldset class="am-fieldset">
            <legend class="am-legend">{access}</legend>
            <div class="am-chips">
                {Feature::ALL.into_iter().map(|feat| access_chip(finder, feat)).collect_view()}
            </div>
        </fieldset>
        <fieldset class="am-fieldset">
            <legend class="am-legend">{kind}</legend>
            <div class="am-chips">{tags}</div>
        </fieldset>
    }
}

#[component]
fn WhenFilters() -> impl IntoView {
    let finder = expect_context::<Finder>();
    let facets = expect_context::<Published>().facets;
    let m = words().now();
    view! {
        <fieldset class="am-fieldset">
            <legend class="am-legend">{m.get("details.when").to_string()}</legend>
            <div class="am-chips">
                {chip("today".into(), m.get("filters.today").to_string(), None, move || facets.with(|fc| fc.today),
                    move || finder.filters.with(|f| f.today), |f: &mut Filters| f.today = !f.today)}
            </div>
            <div class="am-chips" data-testid="day-filters">
                {Weekday::ALL.into_iter().map(|d| {
                    chip(format!("day-{}", d.code()), crate::schedule::weekday_name(d, &m), None, move || facets.with(|fc| fc.days[d.index()]),
                        move || finder.filters.with(|f| f.days.contains(&d)),
                        move |f: &mut Filters| toggle(&mut f.days, d))
                }).collect_view()}
            </div>
            <div class="am-chips">
                {DayPart::ALL.into_iter().enumerate().map(|(i, p)| {
                    chip(format!("part-{}", p.id()), p.label(&m).to_string(), None, move || facets.with(|fc| fc.parts[i]),
                        move || finder.filters.with(|f| f.parts.contains(&p)),
                        move |f: &mut Filters| toggle(&mut f.parts, p))
                }).collect_view()}
            </div>
        </fieldset>
    }
}

fn access_chip(finder: Finder, feat: Feature) -> AnyView {
    let facets = expect_context::<Published>().facets;
    chip(
        format!("access-{}", feat.id()),
        feat.label(&words().now()).to_string(),
        None,
        move || {
            facets.with(|fc| {
                fc.access
                    .iter()
                    .find(|(f, _)| *f == feat)
                    .map_or(0, |x| x.1)
            })
        },
        move || finder.filters.with(|f| f.access.contains(&feat)),
        move |f: &mut Filters| toggle(&mut f.access, feat),
    )
}

fn toggle<T: Ord>(set: &mut std::collections::BTreeSet<T>, v: T) {
    if !set.remove(&v) {
        set.insert(v);
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// A checkbox shaped like a chip, with its live count. Hidden while it would lead
/// nowhere (unless it is chosen, so it can be unchosen).
fn chip(
    key: String,
    label: String,
    colour: Option<String>,
    count: impl Fn() -> usize + Send + Sync + Clone + 'static,
    checked: impl Fn() -> bool + Send + Sync + Clone + 'static,
    flip: impl Fn(&mut Filters) + Send + Sync + 'static,
) -> AnyView {
    let finder = expect_context::<Finder>();
    let id = format!("am-f-{key}");
    let for_id = id.clone();
    let (count2, checked2, checked3) = (count.clone(), checked.clone(), checked.clone());
    view! {
        <label
            class="am-chip"
            class:am-chip--on=checked
            for=for_id
            data-testid=format!("filter-{key}")
            hidden=move || count2() == 0 && !checked2()
        >
            <input
                id=id
                class="am-chip-input"
                type="checkbox"
                prop:checked=checked3
                on:change=move |_| finder.filters.update(|f| flip(f))
            />
            {colour.map(|c| view! { <span class="am-dot" style:background-color=c aria-hidden="true"></span> })}
            <span class="am-chip-label" dir="auto">{label}</span>
            <span class="am-chip-count">{move || format!("({})", count())}</span>
        </label>
    }
    .into_any()
}
