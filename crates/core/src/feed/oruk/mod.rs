//! Open Referral UK (HSDS) services. Reads:
//! - v3 pages of services, `{"contents":[service, …], "total_items": …}`;
//! - v3 pages of services at locations (`contents[]` items with `service` and `location`);
//! - a single service, or a single service at a location;
//! - v1 pages, `{"content":[service, …]}` (`physical_addresses`, `regular_schedules`,
//!   `eligibilitys`, `service_taxonomys`, `accessibility_for_disabilities`).
//!
//! A service at several locations becomes one activity per location, with the id
//! `{service id}@{location id}`; a service at one location keeps its own id, and one
//! with no location is listed without a pin.

use super::check::{
    self, age, features_in, first, money, number, push_tag, set_first, text, Reach,
};
use super::{Options, Out, Outcome};
use crate::model::{Activity, FeedMeta, Joining};
use serde_json::{Map, Value};

pub mod merge;
pub mod paging;
mod schedule;

use schedule::read_schedules;

pub fn read(doc: &Value, out: &mut Out, opts: &Options) -> FeedMeta {
    let page = ["contents", "content"]
        .into_iter()
        .find_map(|k| doc.get(k).and_then(Value::as_array).map(|list| (k, list)));
    match page {
        Some((key, list)) => {
            out.reserve(list.len());
            for (i, v) in list.iter().enumerate() {
                entry(v, &format!("/{key}/{i}"), out, opts);
            }
        }
        None => entry(doc, "", out, opts),
    }
    super::meta_named("Open Referral UK services")
}

/// Where one activity of a service takes place.
struct Site<'a> {
    /// The service_at_location record, which may carry its own schedules and phones.
    sal: Option<&'a Map<String, Value>>,
    /// Pointer of the record the activity comes from.
    at: String,
    location: Option<&'a Map<String, Value>>,
    location_at: String,
}

fn obj(v: Option<&Value>) -> Option<&Map<String, Value>> {
    v.and_then(Value::as_object)
}

fn list(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn entry(v: &Value, at: &str, out: &mut Out, opts: &Options) {
    let Some(o) = v.as_object() else {
        out.problem(
            at,
            None,
            "each entry must be a service object (or a service at a location, with \"service\" and \"location\")",
            Outcome::Skipped,
        );
        return;
    };
    match o.get("service") {
        Some(Value::Object(service)) => {
            // A service_at_location: one service at one location.
            let Some(base) = read_service(service, &format!("{at}/service"), out, opts) else {
                return;
            };
            let location = obj(o.get("location"));
            let key = location
                .and_then(|l| text(l.get("id")))
                .or_else(|| text(o.get("id")))
                .unwrap_or_else(|| "0".into());
            let site = Site {
                sal: Some(o),
                at: at.to_string(),
                location,
                location_at: format!("{at}/location"),
            };
            emit(base.clone(), format!("{}@{key}", base.id), &site, out);
        }
        Some(_) => out.problem(
            format!("{at}/service"),
            text(o.get("id")).as_deref(),
            "\"service\" is not an object, so this service at a location cannot be read",
            Outcome::Skipped,
        ),
        None => {
            let Some(base) = read_service(o, at, out, opts) else {
                return;
            };
            let sites = sites_of(o, at);
            match sites.as_slice() {
                [] => {
                    let site = Site {
                        sal: None,
                        at: at.to_string(),
                        location: None,
                        location_at: at.to_string(),
                    };
                    emit(base.clone(), base.id.clone(), &site, out);
                }
                [one] => emit(base.clone(), base.id.clone(), one, out),
                many => {
                    for (j, site) in many.iter().enumerate() {
                        let key = site
                            .location
                            .and_then(|l| text(l.get("id")))
                            .unwrap_or_else(|| j.to_string());
                        emit(base.clone(), format!("{}@{key}", base.id), site, out);
                    }
                }
            }
        }
    }
}

/// `service_at_locations[].location`, or else bare `locations[]`.
fn sites_of<'a>(s: &'a Map<String, Value>, at: &str) -> Vec<Site<'a>> {
    let mut sites = Vec::new();
    for (j, sal) in list(s.get("service_at_locations")).iter().enumerate() {
        let Some(sal) = sal.as_object() else { continue };
        let sat = format!("{at}/service_at_locations/{j}");
        sites.push(Site {
            sal: Some(sal),
            location: obj(sal.get("location")),
            location_at: format!("{sat}/location"),
            at: sat,
        });
    }
    if sites.is_empty() {
        for (j, loc) in list(s.get("locations")).iter().enumerate() {
            let Some(loc) = loc.as_object() else { continue };
            let lat = format!("{at}/locations/{j}");
            sites.push(Site {
                sal: None,
                location: Some(loc),
                location_at: lat.clone(),
                at: lat,
            });
        }
    }
    sites
}

/// Everything that does not depend on the location. Problems here are reported once,
/// under the service id.
fn read_service(
    s: &Map<String, Value>,
    at: &str,
    out: &mut Out,
    opts: &Options,
) -> Option<Activity> {
    let id = text(s.get("id"));
    let name = text(s.get("name"));
    let (Some(id), Some(name)) = (id.clone(), name.clone()) else {
        let not_text = |k: &str| {
            matches!(
                s.get(k),
                Some(Value::Bool(_) | Value::Array(_) | Value::Object(_))
            )
        };
        let message = match (&id, &name) {
            (None, _) if not_text("id") => {
                "service id must be text or a number, so it cannot be listed"
            }
            (_, None) if not_text("name") => {
                "service name must be text or a number, so it cannot be listed"
            }
            (None, None) => "service has no id or name, so it cannot be listed",
            (None, _) => "service has no id, so it cannot be listed",
            _ => "service has no name, so it cannot be listed",
        };
        out.problem(at, id.or(name).as_deref(), message, Outcome::Skipped);
        return None;
    };
    if let Some(status) = s.get("status").and_then(Value::as_str) {
        let st = status.trim().to_ascii_lowercase();
        if st == "inactive" || st == "defunct" {
            out.problem(
                at,
                Some(&id),
                format!(
                    "service status is \"{}\", so it is not listed",
                    check::truncate(status, 30)
                ),
                Outcome::Skipped,
            );
            return None;
        }
    }

    let mut a = Activity::new(id, name, String::new());
    a.description = text(s.get("description")).unwrap_or_default().into();
    for term in taxonomy_terms(s) {
        push_tag(&mut a.tags, &term);
    }
    let words = format!("{} {} {}", a.name, a.tags.join(" "), a.description);
    a.category = check::category_for(&words, &opts.category_rules);

    let org = obj(s.get("organization"));
    a.organiser = org.and_then(|o| text(o.get("name")));

    let org_at = format!("{at}/organization");
    let website = field_str(s, at, &["url", "website"]);
    let org_website = org.and_then(|o| field_str(o, &org_at, &["website", "url"]));
    set_first(&mut a, Reach::Website, [website, org_website], out);
    let email = field_str(s, at, &["email"]);
    let contact_email = contacts_field(s, at, "email");
    let org_email = org.and_then(|o| field_str(o, &org_at, &["email"]));
    set_first(&mut a, Reach::Email, [email, contact_email, org_email], out);
    let phone = phone_in(s, at);
    let org_phone = org.and_then(|o| phone_in(o, &org_at));
    set_first(&mut a, Reach::Phone, [phone, org_phone], out);

    for key in ["schedules", "regular_schedules"] {
        read_schedules(s.get(key), &format!("{at}/{key}"), &mut a, out);
    }
    read_cost(s, at, &mut a, out);
    read_ages(s, at, &mut a, out);
    a.joining = s
        .get("attending_access")
        .and_then(Value::as_str)
        .and_then(joining_from)
        .into_iter()
        .collect();
    a.checked = ["assured_date", "last_modified"]
        .into_iter()
        .find_map(|k| s.get(k).and_then(Value::as_str).and_then(check::iso_date));
    Some(a)
}

/// Put the location on a copy of the service and hand it to the loader.
fn emit(mut a: Activity, id: String, site: &Site, out: &mut Out) {
    a.id = id;
    let mut reported = false;
    if let Some(loc) = site.location {
        let lat_at = &site.location_at;
        a.location.place = text(loc.get("name"));
        let addresses = list(loc.get("physical_addresses"))
            .iter()
            .chain(list(loc.get("addresses")))
            .filter_map(Value::as_object)
            .collect::<Vec<_>>();
        let address = addresses
            .iter()
            .find(|ad| {
                ad.get("address_type")
                    .and_then(Value::as_str)
                    .is_none_or(|t| t == "physical")
            })
            .or(addresses.first());
        if let Some(ad) = address {
            let address = check::join_address(&[
                text(ad.get("address_1")),
                text(ad.get("address_2")),
                text(ad.get("city")),
                text(first(ad, &["state_province", "region"])),
            ]);
            a.location.address = check::address_after_place(a.location.place.as_deref(), address);
            a.location.postcode = text(ad.get("postal_code")).map(|p| p.to_uppercase());
        }
        if loc.get("location_type").and_then(Value::as_str) == Some("virtual") {
            a.location.online = true;
        }
        let lat = first(loc, &["latitude", "lat"]).and_then(number);
        let lng = first(loc, &["longitude", "lng", "lon"]).and_then(number);
        reported = check::set_point(&mut a, lat, lng, lat_at, out);
        if a.location.lat.is_some() {
            a.location.online = false;
        }
        for key in [
            "accessibility",
            "accessibilities",
            "accessibility_for_disabilities",
        ] {
            for item in list(loc.get(key)) {
                let texts: Vec<String> = match item {
                    Value::Object(o) => ["accessibility", "description", "details"]
                        .iter()
                        .filter_map(|k| text(o.get(*k)))
                        .collect(),
                    other => text(Some(other)).into_iter().collect(),
                };
                for t in texts {
                    features_in(&t, &mut a.accessibility);
                }
            }
        }
        a.accessibility.sort();
        if a.contact.phone.is_none() {
            set_first(&mut a, Reach::Phone, [phone_in(loc, lat_at)], out);
        }
    }
    if let Some(sal) = site.sal {
        for key in ["schedules", "regular_schedules"] {
            read_schedules(sal.get(key), &format!("{}/{key}", site.at), &mut a, out);
        }
        if a.contact.phone.is_none() {
            set_first(&mut a, Reach::Phone, [phone_in(sal, &site.at)], out);
        }
    }
    check::note_missing_place(&a, &site.location_at, reported, out);
    out.add(site.at.clone(), a);
}

/// The first non-empty string among these keys, with its pointer.
fn field_str<'a>(o: &'a Map<String, Value>, at: &str, keys: &[&str]) -> Option<(&'a str, String)> {
    keys.iter().find_map(|k| {
        let s = o.get(*k)?.as_str().filter(|s| !s.trim().is_empty())?;
        Some((s, format!("{at}/{k}")))
    })
}

fn contacts_field<'a>(o: &'a Map<String, Value>, at: &str, key: &str) -> Option<(&'a str, String)> {
    list(o.get("contacts"))
        .iter()
        .enumerate()
        .find_map(|(k, c)| field_str(c.as_object()?, &format!("{at}/contacts/{k}"), &[key]))
}

/// `phones[].number` (or plain strings), then `contacts[].phones[].number`.
fn phone_in<'a>(o: &'a Map<String, Value>, at: &str) -> Option<(&'a str, String)> {
    let from_list = |phones: &'a [Value], pat: String| {
        phones.iter().enumerate().find_map(|(j, p)| match p {
            Value::String(s) if !s.trim().is_empty() => Some((s.as_str(), format!("{pat}/{j}"))),
            Value::Object(po) => field_str(po, &format!("{pat}/{j}"), &["number"]),
            _ => None,
        })
    };
    from_list(list(o.get("phones")), format!("{at}/phones")).or_else(|| {
        list(o.get("contacts"))
            .iter()
            .enumerate()
            .find_map(|(k, c)| {
                from_list(list(c.get("phones")), format!("{at}/contacts/{k}/phones"))
            })
    })
}

/// Terms from `service_taxonomys`, `attributes` and `taxonomy_terms`.
fn taxonomy_terms(s: &Map<String, Value>) -> Vec<String> {
    let term_of = |v: &Value| match v {
        Value::Object(t) => text(first(t, &["name", "term"])),
        other => text(Some(other)),
    };
    let mut terms = Vec::new();
    for key in ["service_taxonomys", "attributes"] {
        for link in list(s.get(key)) {
            let term = ["taxonomy_term", "taxonomy"]
                .iter()
                .find_map(|k| link.get(*k).and_then(term_of));
            terms.extend(term);
        }
    }
    terms.extend(list(s.get("taxonomy_terms")).iter().filter_map(term_of));
    terms
}

/// Ages from the service, or else from the first eligibility record that gives any.
fn read_ages(s: &Map<String, Value>, at: &str, a: &mut Activity, out: &mut Out) {
    let pick = |o: &Map<String, Value>| {
        let min = first(o, &["minimum_age", "min_age"]).and_then(age);
        let max = first(o, &["maximum_age", "max_age"]).and_then(age);
        (min.is_some() || max.is_some()).then_some((min, max))
    };
    let found = pick(s).map(|r| (r, at.to_string())).or_else(|| {
        ["eligibilitys", "eligibility"].into_iter().find_map(|key| {
            list(s.get(key))
                .iter()
                .enumerate()
                .find_map(|(j, e)| pick(e.as_object()?).map(|r| (r, format!("{at}/{key}/{j}"))))
        })
    });
    if let Some(((min, max), owner)) = found {
        check::set_ages(a, min, max, owner, out);
    }
}

fn joining_from(access: &str) -> Option<Joining> {
    let a = access.to_ascii_lowercase();
    if a.contains("self") || a.contains("drop") {
        Some(Joining::SelfReferral)
    } else if a.contains("referral") {
        Some(Joining::LinkWorker)
    } else if a.contains("appointment") || a.contains("book") {
        Some(Joining::Booking)
    } else {
        None
    }
}

fn read_cost(s: &Map<String, Value>, at: &str, a: &mut Activity, out: &mut Out) {
    let options = list(s.get("cost_options"));
    if options.is_empty() {
        if let Some(fees) = text(first(s, &["fees_description", "fees"])) {
            a.cost.free = check::says_free(&fees);
            a.cost.description = Some(fees);
        }
        return;
    }
    let mut parts: Vec<String> = Vec::new();
    let mut all_free = true;
    for (j, c) in options.iter().enumerate() {
        let Some(c) = c.as_object() else { continue };
        let option = text(c.get("option"));
        let per = text(c.get("amount_description"));
        let amount = match c.get("amount") {
            None | Some(Value::Null) => None,
            Some(v) => match number(v) {
                Some(x) if x.is_finite() && x >= 0.0 => Some(x),
                _ => {
                    out.problem(
                        format!("{at}/cost_options/{j}/amount"),
                        Some(&a.id),
                        format!(
                            "amount {} is not a number such as 3.50; this price is left out",
                            check::truncate(&v.to_string(), 30)
                        ),
                        Outcome::FieldDropped,
                    );
                    None
                }
            },
        };
        let says_free = [&option, &per]
            .iter()
            .any(|t| t.as_deref().is_some_and(check::says_free));
        let free = amount == Some(0.0) || (amount.is_none() && says_free);
        all_free &= free;
        let part = match amount.filter(|x| *x > 0.0) {
            Some(x) => {
                let currency = c.get("currency").and_then(Value::as_str).unwrap_or("GBP");
                let mut p = money(x, currency);
                if let Some(per) = &per {
                    p = format!("{p} {per}");
                }
                if let Some(o) = &option {
                    p = format!("{p} ({o})");
                }
                Some(p)
            }
            None if free => option
                .filter(|o| !o.eq_ignore_ascii_case("free"))
                .map(|o| format!("Free ({o})")),
            None => option.or(per),
        };
        parts.extend(part);
    }
    a.cost.free = all_free;
    a.cost.description = (!parts.is_empty()).then(|| parts.join("; "));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_words() {
        assert_eq!(joining_from("Self-referral"), Some(Joining::SelfReferral));
        assert_eq!(
            joining_from("Professional referral"),
            Some(Joining::LinkWorker)
        );
        assert_eq!(joining_from("By appointment"), Some(Joining::Booking));
        assert_eq!(joining_from("other"), None);
    }
}
