//! OpenActive RPDE pages: `{"items":[{"state","kind","id","modified","data"}],"next":…}`.
//!
//! Every item becomes one activity. A session's details may sit on the item's own
//! `data` or on its parent (`superEvent`, and for a Slot its `facilityUse`), so each
//! field is looked up along that chain, nearest first; this is what makes plain kinds
//! (`SessionSeries`) and dotted ones (`SessionSeries.ScheduledSession`) read alike.
//! Deleted items are dropped silently: that is how RPDE says "this no longer exists",
//! not a fault in the feed.
//!
//! Times with a zone (`2018-10-02T19:15:00Z`) are shown in UK time (Europe/London).

use super::check::{self, age, features_in, money, number, push_tag, set_first, text, Reach};
use super::{Join, Options, Out, Outcome};
use crate::model::{Activity, FeedMeta, Joining};
use serde_json::{Map, Value};

mod times;

use times::read_times;
pub(crate) use times::uk_local;

pub fn read(doc: &Value, out: &mut Out, opts: &Options) -> FeedMeta {
    let items = doc
        .get("items")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    out.reserve(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("/items/{i}");
        if let Some(a) = read_item(item, &at, out, opts) {
            out.add(at, a);
        }
    }
    let publisher = org_name(doc.get("publisher")).or_else(|| {
        items
            .iter()
            .find_map(|it| org_name(it.pointer("/data/publisher")))
    });
    FeedMeta {
        name: publisher
            .clone()
            .unwrap_or_else(|| "OpenActive feed".into()),
        publisher,
        licence: text(doc.get("license").or(doc.get("licence"))),
        updated: None,
        report_email: None,
    }
}

/// One object in the lookup chain, with its JSON Pointer.
struct Node<'a> {
    obj: &'a Map<String, Value>,
    at: String,
}

/// `data`, then `data.superEvent`, its own `superEvent`, then `data.facilityUse`.
fn chain<'a>(data: &'a Map<String, Value>, data_at: &str) -> Vec<Node<'a>> {
    let mut nodes = vec![Node {
        obj: data,
        at: data_at.to_string(),
    }];
    for key in ["superEvent", "facilityUse"] {
        if let Some(parent) = data.get(key).and_then(Value::as_object) {
            let pat = format!("{data_at}/{key}");
            let grand = parent.get("superEvent").and_then(Value::as_object);
            nodes.push(Node {
                obj: parent,
                at: pat.clone(),
            });
            if let Some(g) = grand {
                nodes.push(Node {
                    obj: g,
                    at: format!("{pat}/superEvent"),
                });
            }
        }
    }
    nodes
}

fn blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The nearest non-empty value of `key` along the chain, with the pointer of its owner.
fn find<'a, 'n>(nodes: &'n [Node<'a>], key: &str) -> Option<(&'a Value, &'n str)> {
    nodes.iter().find_map(|n| {
        n.obj
            .get(key)
            .filter(|v| !blank(v))
            .map(|v| (v, n.at.as_str()))
    })
}

/// The nearest object-valued `key` along the chain (a bare URL reference is passed over).
fn find_obj<'a, 'n>(nodes: &'n [Node<'a>], key: &str) -> Option<(&'a Map<String, Value>, &'n str)> {
    nodes.iter().find_map(|n| {
        n.obj
            .get(key)
            .and_then(Value::as_object)
            .map(|o| (o, n.at.as_str()))
    })
}

/// Types whose `startDate` starts a run of sessions rather than dating one session.
const SERIES_TYPES: &[&str] = &[
    "SessionSeries",
    "FacilityUse",
    "IndividualFacilityUse",
    "EventSeries",
    "Course",
];

/// One RPDE item as an activity (also used for a series with its sessions joined in,
/// by [`crate::feed::rpde::join`]).
pub(crate) fn read_item(item: &Value, at: &str, out: &mut Out, opts: &Options) -> Option<Activity> {
    let Some(item) = item.as_object() else {
        out.problem(
            at,
            None,
            "each entry in \"items\" must be an object with state, kind, id and data",
            Outcome::Skipped,
        );
        return None;
    };
    let state = item
        .get("state")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase());
    if state.as_deref() == Some("deleted") {
        return None;
    }
    let item_id = text(item.get("id"));
    let data_at = format!("{at}/data");
    let data = match item.get("data") {
        Some(Value::Object(d)) => d,
        None | Some(Value::Null) => {
            out.problem(
                at,
                item_id.as_deref(),
                "item has no data: an item that is not deleted must describe the session in \"data\"",
                Outcome::Skipped,
            );
            return None;
        }
        Some(_) => {
            out.problem(
                &data_at,
                item_id.as_deref(),
                "item \"data\" is not an object, so the session cannot be read",
                Outcome::Skipped,
            );
            return None;
        }
    };
    let nodes = chain(data, &data_at);
    let kind = item.get("kind").and_then(Value::as_str).unwrap_or("");
    let ty = data
        .get("@type")
        .or(data.get("type"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| kind.split(['.', '/']).next().unwrap_or(""));
    let id = item_id
        .or_else(|| text(data.get("@id")))
        .or_else(|| text(data.get("identifier")))
        .or_else(|| text(data.get("id")));
    let Some(id) = id else {
        out.problem(
            at,
            None,
            "item has no id: give the item an \"id\" (or its data an \"@id\" or \"identifier\")",
            Outcome::Skipped,
        );
        return None;
    };

    let activities = labels(find(&nodes, "activity").map(|(v, _)| v));
    let facilities = labels(find(&nodes, "facilityType").map(|(v, _)| v));
    let name = find(&nodes, "name")
        .and_then(|(v, _)| text(Some(v)))
        .or_else(|| activities.first().cloned())
        .or_else(|| facilities.first().cloned());
    let Some(name) = name else {
        out.problem(
            at,
            Some(&id),
            "item has no name: give its data (or its superEvent) a \"name\"",
            Outcome::Skipped,
        );
        return None;
    };

    let status = data
        .get("eventStatus")
        .and_then(Value::as_str)
        .unwrap_or("");
    if status.ends_with("EventCancelled") || status.ends_with("EventPostponed") {
        out.problem(
            at,
            Some(&id),
            format!(
                "eventStatus is {}, so it is not listed",
                status.rsplit('/').next().unwrap_or(status)
            ),
            Outcome::Skipped,
        );
        return None;
    }

    let mut a = Activity::new(id, name, String::new());
    for label in activities.iter().chain(&facilities) {
        push_tag(&mut a.tags, label);
    }
    a.description = find(&nodes, "description")
        .and_then(|(v, _)| text(Some(v)))
        .unwrap_or_default()
        .into();
    let categories = labels(find(&nodes, "category").map(|(v, _)| v));
    let words = format!(
        "{} {} {} {}",
        a.name,
        activities
            .iter()
            .chain(&facilities)
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
        categories.join(" "),
        a.description
    );
    a.category = check::category_for(&words, &opts.category_rules);

    read_location(&nodes, &data_at, &mut a, out);
    let occurrence =
        !SERIES_TYPES.contains(&ty) && data.get("startDate").is_some_and(|v| !blank(v));
    read_times(data, occurrence, &nodes, &data_at, &mut a, out);
    let offer_link = read_offers(&nodes, &mut a, out);

    for label in labels(find(&nodes, "accessibilitySupport").map(|(v, _)| v))
        .iter()
        .chain(&labels(
            find(&nodes, "accessibilityInformation").map(|(v, _)| v),
        ))
    {
        features_in(label, &mut a.accessibility);
    }
    a.accessibility.sort();

    if let Some((r, owner)) = find_obj(&nodes, "ageRange") {
        let min = r.get("minValue").and_then(age);
        let max = r.get("maxValue").and_then(age);
        check::set_ages(&mut a, min, max, Join(owner, "/ageRange"), out);
    }

    read_organiser(&nodes, &mut a, out);
    // When the listing was last changed (schema.org `dateModified`, on the session or its
    // series). The RPDE item's own `modified` is not used: it is a change number, which
    // publishers may make a timestamp but need not.
    a.checked = find(&nodes, "dateModified")
        .and_then(|(v, _)| v.as_str())
        .and_then(check::iso_date);

    let hired = [kind, ty]
        .iter()
        .any(|k| k.contains("FacilityUse") || k.split('.').any(|p| p == "Slot"));
    let open_booking =
        find(&nodes, "isOpenBookingAllowed").and_then(|(v, _)| v.as_bool()) == Some(true);
    let instructions_say_book = find(&nodes, "attendeeInstructions")
        .and_then(|(v, _)| text(Some(v)))
        .is_some_and(|t| t.to_lowercase().contains("book"));
    a.joining = vec![
        if offer_link || open_booking || instructions_say_book || hired {
            Joining::Booking
        } else {
            Joining::SelfReferral
        },
    ];
    Some(a)
}

/// Labels from a list of Concepts (`prefLabel`) or plain strings; bare URLs are not labels.
fn labels(v: Option<&Value>) -> Vec<String> {
    let one = |x: &Value| match x {
        Value::String(s) if !s.contains("://") => text(Some(x)),
        Value::Object(o) => text(o.get("prefLabel")).or_else(|| text(o.get("name"))),
        _ => None,
    };
    match v {
        Some(Value::Array(list)) => list.iter().filter_map(one).collect(),
        Some(x) => one(x).into_iter().collect(),
        None => Vec::new(),
    }
}

/// An organisation's or person's name; a string that is not a URL is a name too.
pub(crate) fn org_name(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Object(o) => named(o),
        Value::String(s) if !s.contains("://") => text(v),
        Value::Array(list) => org_name(list.first()),
        _ => None,
    }
}

/// `name`, or a Person's `givenName familyName`.
fn named(o: &Map<String, Value>) -> Option<String> {
    text(o.get("name")).or_else(|| {
        let parts: Vec<String> = [text(o.get("givenName")), text(o.get("familyName"))]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}

fn read_location(nodes: &[Node], data_at: &str, a: &mut Activity, out: &mut Out) {
    let mut pin_at = format!("{data_at}/location");
    let mut reported = false;
    let place = find_obj(nodes, "location").map(|(o, at)| (o, format!("{at}/location")));
    let has_place = place.is_some();
    if let Some((loc, loc_at)) = place {
        a.location.place = text(loc.get("name"));
        let address = match loc.get("address") {
            Some(Value::Object(ad)) => {
                a.location.postcode = text(ad.get("postalCode")).map(|p| p.to_uppercase());
                check::join_address(&[
                    text(ad.get("streetAddress")),
                    text(ad.get("addressLocality")),
                    text(ad.get("addressRegion")),
                ])
            }
            other => text(other),
        };
        a.location.address = check::address_after_place(a.location.place.as_deref(), address);
        let geo = loc.get("geo").and_then(Value::as_object);
        let lat = geo.and_then(|g| g.get("latitude")).and_then(number);
        let lng = geo.and_then(|g| g.get("longitude")).and_then(number);
        pin_at = format!("{loc_at}/geo");
        reported = check::set_point(a, lat, lng, &pin_at, out);
        if loc.get("@type").and_then(Value::as_str) == Some("VirtualLocation")
            && a.location.lat.is_none()
        {
            a.location.online = true;
        }
    }
    let online_mode = find(nodes, "eventAttendanceMode")
        .and_then(|(v, _)| v.as_str())
        .is_some_and(|m| m.ends_with("OnlineEventAttendanceMode"));
    let virtual_only = !has_place && find(nodes, "virtualLocation").is_some();
    if a.location.lat.is_none() && (online_mode || virtual_only) {
        a.location.online = true;
    }
    check::note_missing_place(a, &pin_at, reported, out);
}

/// The objects of a list (or a single object), with `/index` suffixes for pointers.
fn objects(v: &Value) -> Vec<(String, &Map<String, Value>)> {
    match v {
        Value::Array(list) => list
            .iter()
            .enumerate()
            .filter_map(|(j, x)| x.as_object().map(|o| (format!("/{j}"), o)))
            .collect(),
        Value::Object(o) => vec![(String::new(), o)],
        _ => Vec::new(),
    }
}

/// Price and whether an offer links to booking.
fn read_offers(nodes: &[Node], a: &mut Activity, out: &mut Out) -> bool {
    let free_flag = find(nodes, "isAccessibleForFree").and_then(|(v, _)| v.as_bool()) == Some(true);
    let mut prices: Vec<(f64, String)> = Vec::new();
    let mut booking = false;
    if let Some((v, owner)) = find(nodes, "offers") {
        for (j, o) in objects(v) {
            let at = format!("{owner}/offers{j}");
            if o.get("url")
                .and_then(Value::as_str)
                .is_some_and(|u| check::safe_link(u).is_ok())
            {
                booking = true;
            }
            let currency = o
                .get("priceCurrency")
                .and_then(Value::as_str)
                .unwrap_or("GBP");
            match o.get("price") {
                None | Some(Value::Null) => {}
                Some(p) => match number(p) {
                    Some(x) if x.is_finite() && x >= 0.0 => prices.push((x, currency.to_string())),
                    _ => out.problem(
                        format!("{at}/price"),
                        Some(&a.id),
                        format!(
                            "price {} is not an amount such as 3.50; this price is left out",
                            check::truncate(&p.to_string(), 30)
                        ),
                        Outcome::FieldDropped,
                    ),
                },
            }
        }
    }
    let lowest = prices.iter().min_by(|x, y| x.0.total_cmp(&y.0));
    let highest = prices.iter().max_by(|x, y| x.0.total_cmp(&y.0));
    match (lowest, highest) {
        (Some(lo), Some(hi)) if hi.0 > 0.0 => {
            a.cost.free = false;
            a.cost.description = Some(if lo.0 == hi.0 {
                money(hi.0, &hi.1)
            } else if lo.0 == 0.0 {
                format!("Free to {}", money(hi.0, &hi.1))
            } else {
                format!("{} to {}", money(lo.0, &lo.1), money(hi.0, &hi.1))
            });
        }
        (Some(_), Some(_)) => a.cost.free = true,
        _ => a.cost.free = free_flag,
    }
    booking
}

fn read_organiser(nodes: &[Node], a: &mut Activity, out: &mut Out) {
    // The nearest organiser (or provider) object, or the first of a list of them.
    let org = ["organizer", "provider"].into_iter().find_map(|key| {
        nodes.iter().find_map(|n| match n.obj.get(key)? {
            Value::Object(o) => Some((o, format!("{}/{key}", n.at))),
            Value::Array(list) => list
                .first()?
                .as_object()
                .map(|o| (o, format!("{}/{key}/0", n.at))),
            _ => None,
        })
    });
    a.organiser = match org {
        Some((o, _)) => named(o),
        // Only a name (or a URL reference, which is no name).
        None => org_name(
            find(nodes, "organizer")
                .or_else(|| find(nodes, "provider"))
                .map(|(v, _)| v),
        ),
    };
    let org_field = |key: &str| {
        let (o, at) = org.as_ref()?;
        Some((o.get(key)?.as_str()?, format!("{at}/{key}")))
    };
    let website =
        find(nodes, "url").and_then(|(v, at)| v.as_str().map(|s| (s, format!("{at}/url"))));
    set_first(a, Reach::Website, [website, org_field("url")], out);
    set_first(a, Reach::Email, [org_field("email")], out);
    let venue_phone = find_obj(nodes, "location").and_then(|(loc, at)| {
        Some((
            loc.get("telephone")?.as_str()?,
            format!("{at}/location/telephone"),
        ))
    });
    set_first(a, Reach::Phone, [org_field("telephone"), venue_phone], out);
}
