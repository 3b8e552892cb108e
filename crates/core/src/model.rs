//! The activity model every feed shape is mapped into.
//!
//! Pure data: no browser, no Leaflet. Serialises to our native feed format v1
//! (`docs/feed-format.md`), which is also what `feedcheck --convert` writes.

use crate::lang::Messages;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A whole feed after loading: metadata, declared categories and valid activities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    pub format: String,
    pub feed: FeedMeta,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategoryDef>,
    pub activities: Vec<Activity>,
}

pub const FORMAT_V1: &str = "activity-map/1";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedMeta {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// ISO date (or date-time) the publisher last updated the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Where people write to report a listing that is wrong: an email address the
    /// publisher reads (checked when the feed is read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_email: Option<String>,
}

/// A category a feed declares on top of the four built-in ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryDef {
    pub id: String,
    pub label: String,
    /// CSS hex colour, `#rrggbb`.
    pub colour: String,
}

/// The built-in categories: id, label, colour.
const BUILTIN: [(&str, &str, &str); 4] = [
    ("green", "Green & outdoors", "#2e7d32"),
    ("parkrun", "parkrun", "#c2410c"),
    ("heritage", "Heritage & culture", "#6d28d9"),
    ("hub", "Community hubs", "#0369a1"),
];

/// The colour of a built-in category, or `None` for any other id.
pub fn builtin_colour(id: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(b, ..)| *b == id).map(|(_, _, c)| *c)
}

/// A category's name in the person's language: a built-in category that the feed did
/// not rename is translated; a feed's own names are the publisher's words.
pub fn category_label<'a>(def: &'a CategoryDef, m: &'a Messages) -> &'a str {
    match BUILTIN
        .iter()
        .any(|(id, label, _)| *id == def.id && *label == def.label)
    {
        true => m.get(&format!("category.{}", def.id)),
        false => &def.label,
    }
}

/// The built-in categories, in the order the filters show them.
pub fn builtin_categories() -> Vec<CategoryDef> {
    BUILTIN
        .into_iter()
        .map(|(id, label, colour)| CategoryDef {
            id: id.into(),
            label: label.into(),
            colour: colour.into(),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: String,
    pub name: String,
    pub category: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Shared, not copied, between activities with the same description (feeds repeat
    /// them: a series' sessions, a publisher's template), when the reader interns it
    /// (`feed::Out::intern`).
    #[serde(default)]
    pub description: Arc<str>,
    pub location: Location,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<Slot>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<OneOff>,
    #[serde(default)]
    pub cost: Cost,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accessibility: Vec<Feature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ages: Option<AgeRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joining: Vec<Joining>,
    #[serde(default, skip_serializing_if = "Contact::is_empty")]
    pub contact: Contact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organiser: Option<String>,
    /// ISO date the listing was last checked by its publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<String>,
}

impl Activity {
    /// A minimal activity; adapters fill in the rest.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        category: impl Into<String>,
    ) -> Self {
        Activity {
            id: id.into(),
            name: name.into(),
            category: category.into(),
            tags: Vec::new(),
            description: Arc::default(),
            location: Location::default(),
            schedule: Vec::new(),
            dates: Vec::new(),
            cost: Cost::default(),
            accessibility: Vec::new(),
            ages: None,
            joining: Vec::new(),
            contact: Contact::default(),
            organiser: None,
            checked: None,
        }
    }

    /// Where the pin goes, if the activity has one.
    pub fn point(&self) -> Option<LatLng> {
        match (self.location.lat, self.location.lng) {
            (Some(lat), Some(lng)) => Some(LatLng { lat, lng }),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLng {
    pub lat: f64,
    pub lng: f64,
}

/// Where an activity happens. A venue has a point; online and area-wide ones do not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Takes place online: no pin.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub online: bool,
    /// Covers an area (e.g. "Norfolk") rather than one venue: no pin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
}

impl Location {
    /// One line a person can read: place, address, postcode.
    pub fn summary(&self, m: &Messages) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for part in [&self.place, &self.address, &self.postcode]
            .into_iter()
            .flatten()
        {
            if !part.is_empty() && !parts.iter().any(|p| p.contains(part.as_str())) {
                parts.push(part);
            }
        }
        if parts.is_empty() {
            if self.online {
                return m.get("where.online").to_string();
            }
            if let Some(area) = &self.area {
                return m.fill("where.area", &[("area", area)]);
            }
        }
        parts.join(", ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// 0 = Monday.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Option<Weekday> {
        Self::ALL.get(i).copied()
    }

    /// Reads `mon`, `Monday`, `MO`, `https://schema.org/Monday` and the like.
    pub fn parse(s: &str) -> Option<Weekday> {
        let s = s.trim();
        let s = s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
        let day = match s.get(..2)? {
            "mo" => Weekday::Mon,
            "tu" => Weekday::Tue,
            "we" => Weekday::Wed,
            "th" => Weekday::Thu,
            "fr" => Weekday::Fri,
            "sa" => Weekday::Sat,
            "su" => Weekday::Sun,
            _ => return None,
        };
        // Reject words that merely start like a day ("money").
        let full = day.name().to_ascii_lowercase();
        (full.starts_with(&s) || s.len() == 2 || s == day.code()).then_some(day)
    }

    pub fn code(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self.index()]
    }

    pub fn name(self) -> &'static str {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][self.index()]
    }

    pub fn short(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self.index()]
    }
}

/// A time of day, as minutes after midnight. Written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub u16);

impl Time {
    pub fn hm(h: u16, m: u16) -> Time {
        Time(h * 60 + m)
    }

    /// Reads `9:00`, `09:00`, `09:00:00`, `T09:00` (ignores a trailing zone).
    pub fn parse(s: &str) -> Option<Time> {
        let s = s.trim().trim_start_matches('T');
        let mut it = s.split(':');
        let h: u16 = it.next()?.trim().parse().ok()?;
        let m_part = it.next()?;
        let m: u16 = m_part.get(..2)?.parse().ok()?;
        if let Some(sec) = it.next() {
            let digits: String = sec.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.len() != 2 {
                return None;
            }
        }
        (h < 24 && m < 60).then(|| Time::hm(h, m))
    }

    pub fn hour(self) -> u16 {
        self.0 / 60
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:02}:{:02}", self.0 / 60, self.0 % 60))
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Time::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a time: {s}")))
    }
}

/// A weekly slot: these days, from `start` to `end`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    pub days: Vec<Weekday>,
    pub start: Time,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    /// Optional qualifier such as "first Saturday of the month".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Dates (`YYYY-MM-DD`) on which this weekly slot does not run (a bank holiday, a
    /// break): skipped by the next session, "on today" and the calendar file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
}

/// A one-off session on a date (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneOff {
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    pub free: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Cost {
    pub fn summary(&self, m: &Messages) -> String {
        match (&self.description, self.free) {
            (Some(d), _) if !d.is_empty() => d.clone(),
            (_, true) => m.get("cost.free").to_string(),
            _ => m.get("cost.ask").to_string(),
        }
    }
}

/// The accessibility vocabulary (documented in `docs/feed-format.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Feature {
    Wheelchair,
    StepFree,
    AccessibleToilet,
    ChangingPlaces,
    Parking,
    HearingLoop,
    Seating,
    QuietSpace,
    AssistanceDogs,
    Bsl,
    PublicTransport,
}

impl Feature {
    pub const ALL: [Feature; 11] = [
        Feature::Wheelchair,
        Feature::StepFree,
        Feature::AccessibleToilet,
        Feature::ChangingPlaces,
        Feature::Parking,
        Feature::HearingLoop,
        Feature::Seating,
        Feature::QuietSpace,
        Feature::AssistanceDogs,
        Feature::Bsl,
        Feature::PublicTransport,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Feature::Wheelchair => "wheelchair",
            Feature::StepFree => "step-free",
            Feature::AccessibleToilet => "accessible-toilet",
            Feature::ChangingPlaces => "changing-places",
            Feature::Parking => "parking",
            Feature::HearingLoop => "hearing-loop",
            Feature::Seating => "seating",
            Feature::QuietSpace => "quiet-space",
            Feature::AssistanceDogs => "assistance-dogs",
            Feature::Bsl => "bsl",
            Feature::PublicTransport => "public-transport",
        }
    }

    /// "Wheelchair accessible", in the person's language (English: locales/en.txt).
    pub fn label(self, m: &Messages) -> &str {
        m.get(&format!("feature.{}", self.id()))
    }

    pub fn parse(s: &str) -> Option<Feature> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Feature::ALL.into_iter().find(|f| f.id() == s)
    }
}

/// How someone joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Joining {
    /// Just turn up or get in touch yourself; no GP or referral needed.
    SelfReferral,
    /// Through a social prescribing link worker or GP.
    LinkWorker,
    /// A place must be booked first.
    Booking,
}

impl Joining {
    pub const ALL: [Joining; 3] = [Joining::SelfReferral, Joining::LinkWorker, Joining::Booking];

    pub fn id(self) -> &'static str {
        match self {
            Joining::SelfReferral => "self-referral",
            Joining::LinkWorker => "link-worker",
            Joining::Booking => "booking",
        }
    }

    /// "Booking needed", in the person's language.
    pub fn label(self, m: &Messages) -> &str {
        m.get(&format!("joining.{}", self.id()))
    }

    pub fn parse(s: &str) -> Option<Joining> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Joining::ALL.into_iter().find(|j| j.id() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeRange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u8>,
}

impl AgeRange {
    pub fn summary(&self, m: &Messages) -> String {
        let (min, max) = (
            self.min.map(|a| a.to_string()),
            self.max.map(|b| b.to_string()),
        );
        match (min, max) {
            (Some(a), Some(b)) => m.fill("ages.between", &[("min", &a), ("max", &b)]),
            (Some(a), None) => m.fill("ages.from", &[("min", &a)]),
            (None, Some(b)) => m.fill("ages.up_to", &[("max", &b)]),
            (None, None) => m.get("ages.all").to_string(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.website.is_none() && self.email.is_none() && self.phone.is_none()
    }
}
