//! A deterministic generator of large, realistic native-format feeds, for load tests
//! and benchmarks (`genfeed`, `benches/parse.rs`).
//!
//! Everything comes from a tiny seeded PRNG (splitmix64), so the same count and seed
//! always give the same bytes. Activities are spread over about sixty English towns
//! and cities, weighted by population, with a roughly gaussian scatter of a few
//! kilometres around each centre. Every field is filled with text the loader accepts
//! as it is, so a generated feed loads with no problems. Phone numbers are in the
//! 01632 960xxx range Ofcom keeps for drama; websites and emails use example.org.

use crate::model::{
    Activity, AgeRange, Contact, Cost, Feature, FeedMeta, Joining, Location, OneOff, Slot, Time,
    Weekday, FORMAT_V1,
};
use std::io::{self, Write};

/// splitmix64: tiny, fast and good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        // The bias of a plain modulo is far too small to matter here.
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A standard normal deviate (Box–Muller).
    pub fn gauss(&mut self) -> f64 {
        let u = 1.0 - self.unit(); // (0, 1]
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// A town centre: name, latitude, longitude, population (approximate), postcode area.
struct Town(&'static str, f64, f64, u32, &'static str);

const TOWNS: &[Town] = &[
    Town("London", 51.5072, -0.1276, 8_800_000, "SE"),
    Town("Birmingham", 52.4862, -1.8904, 1_140_000, "B"),
    Town("Leeds", 53.8008, -1.5491, 800_000, "LS"),
    Town("Sheffield", 53.3811, -1.4701, 580_000, "S"),
    Town("Manchester", 53.4808, -2.2426, 550_000, "M"),
    Town("Liverpool", 53.4084, -2.9916, 490_000, "L"),
    Town("Bristol", 51.4545, -2.5879, 470_000, "BS"),
    Town("Leicester", 52.6369, -1.1398, 370_000, "LE"),
    Town("Bradford", 53.7960, -1.7594, 350_000, "BD"),
    Town("Coventry", 52.4068, -1.5197, 345_000, "CV"),
    Town("Nottingham", 52.9548, -1.1581, 330_000, "NG"),
    Town("Newcastle upon Tyne", 54.9783, -1.6178, 300_000, "NE"),
    Town("Kingston upon Hull", 53.7676, -0.3274, 270_000, "HU"),
    Town("Plymouth", 50.3755, -4.1427, 265_000, "PL"),
    Town("Wolverhampton", 52.5862, -2.1288, 265_000, "WV"),
    Town("Stoke-on-Trent", 53.0027, -2.1794, 260_000, "ST"),
    Town("Derby", 52.9225, -1.4746, 260_000, "DE"),
    Town("Southampton", 50.9097, -1.4044, 250_000, "SO"),
    Town("Brighton", 50.8225, -0.1372, 230_000, "BN"),
    Town("Milton Keynes", 52.0406, -0.7594, 230_000, "MK"),
    Town("Northampton", 52.2405, -0.9027, 225_000, "NN"),
    Town("Luton", 51.8787, -0.4200, 225_000, "LU"),
    Town("Portsmouth", 50.8198, -1.0880, 210_000, "PO"),
    Town("Peterborough", 52.5695, -0.2405, 200_000, "PE"),
    Town("York", 53.9600, -1.0873, 200_000, "YO"),
    Town("Bolton", 53.5769, -2.4282, 195_000, "BL"),
    Town("Bournemouth", 50.7192, -1.8808, 190_000, "BH"),
    Town("Swindon", 51.5558, -1.7797, 185_000, "SN"),
    Town("Chelmsford", 51.7356, 0.4685, 180_000, "CM"),
    Town("Southend-on-Sea", 51.5459, 0.7077, 180_000, "SS"),
    Town("Sunderland", 54.9069, -1.3838, 175_000, "SR"),
    Town("Reading", 51.4543, -0.9781, 175_000, "RG"),
    Town("Oxford", 51.7520, -1.2577, 160_000, "OX"),
    Town("Huddersfield", 53.6458, -1.7850, 160_000, "HD"),
    Town("Norwich", 52.6309, 1.2974, 145_000, "NR"),
    Town("Cambridge", 52.2053, 0.1218, 145_000, "CB"),
    Town("Preston", 53.7632, -2.7031, 145_000, "PR"),
    Town("Middlesbrough", 54.5742, -1.2350, 140_000, "TS"),
    Town("Ipswich", 52.0567, 1.1482, 140_000, "IP"),
    Town("Blackpool", 53.8175, -3.0357, 140_000, "FY"),
    Town("Gloucester", 51.8642, -2.2382, 130_000, "GL"),
    Town("Exeter", 50.7184, -3.5339, 130_000, "EX"),
    Town("Colchester", 51.8959, 0.8919, 130_000, "CO"),
    Town("Cheltenham", 51.8994, -2.0783, 115_000, "GL"),
    Town("Maidstone", 51.2704, 0.5227, 110_000, "ME"),
    Town("Lincoln", 53.2307, -0.5406, 100_000, "LN"),
    Town("Worcester", 52.1920, -2.2200, 100_000, "WR"),
    Town("Bath", 51.3811, -2.3590, 95_000, "BA"),
    Town("Carlisle", 54.8925, -2.9329, 75_000, "CA"),
    Town("Shrewsbury", 52.7073, -2.7553, 75_000, "SY"),
    Town("Hereford", 52.0565, -2.7160, 60_000, "HR"),
    Town("Taunton", 51.0150, -3.1029, 60_000, "TA"),
    Town("Scarborough", 54.2831, -0.3998, 60_000, "YO"),
    Town("Canterbury", 51.2802, 1.0789, 55_000, "CT"),
    Town("Durham", 54.7761, -1.5733, 50_000, "DH"),
    Town("Lancaster", 54.0466, -2.8007, 50_000, "LA"),
    Town("Salisbury", 51.0688, -1.7945, 45_000, "SP"),
    Town("King's Lynn", 52.7517, 0.3956, 45_000, "PE"),
    Town("Great Yarmouth", 52.6083, 1.7305, 40_000, "NR"),
    Town("Kendal", 54.3280, -2.7463, 30_000, "LA"),
    Town("Barnstaple", 51.0800, -4.0580, 25_000, "EX"),
    Town("Penzance", 50.1186, -5.5371, 21_000, "TR"),
    Town("Truro", 50.2632, -5.0510, 20_000, "TR"),
    Town("Dorchester", 50.7154, -2.4367, 20_000, "DT"),
    Town("Berwick-upon-Tweed", 55.7710, -2.0070, 12_000, "TD"),
];

const CATEGORIES: [&str; 4] = ["green", "parkrun", "heritage", "hub"];

/// (name pattern, tags) per category; `{town}` is replaced.
const GREEN: &[(&str, &[&str])] = &[
    ("{town} health walk", &["walking", "health walk"]),
    ("{town} community garden", &["gardening", "growing"]),
    (
        "Conservation volunteers, {town}",
        &["conservation", "volunteering"],
    ),
    ("{town} green gym", &["green gym", "conservation"]),
    ("{town} allotment club", &["gardening", "allotment"]),
    (
        "Nature reserve volunteering near {town}",
        &["nature", "volunteering"],
    ),
    ("{town} wild swimming group", &["swimming", "outdoors"]),
    ("Tree planting in {town}", &["trees", "volunteering"]),
    ("Forest bathing, {town}", &["mindfulness", "outdoors"]),
    ("{town} cycling for health", &["cycling"]),
];
const HERITAGE: &[(&str, &[&str])] = &[
    ("{town} local history society", &["history", "talks"]),
    ("{town} museum volunteers", &["museum", "volunteering"]),
    ("Archive volunteering, {town}", &["archives", "history"]),
    ("{town} reminiscence group", &["reminiscence", "memory"]),
    ("Heritage crafts in {town}", &["crafts", "heritage"]),
    ("{town} archaeology group", &["archaeology", "history"]),
];
const HUB: &[(&str, &[&str])] = &[
    ("{town} community café", &["café", "warm space"]),
    ("{town} men's shed", &["men's shed", "making"]),
    ("{town} warm space", &["warm space", "café"]),
    ("{town} community choir", &["choir", "singing"]),
    ("{town} peer support group", &["peer support", "wellbeing"]),
    ("Knit and natter, {town}", &["crafts", "knitting"]),
    ("{town} arts club", &["arts", "crafts"]),
];
const PARKS: &[&str] = &[
    "Victoria Park",
    "Memorial Park",
    "Riverside Park",
    "Central Park",
    "Jubilee Park",
    "Castle Park",
    "Abbey Fields",
    "Common",
];
const VENUES: &[&str] = &[
    "St Mary's Church Hall",
    "Community Centre",
    "Central Library",
    "Methodist Church",
    "Village Hall",
    "Town Museum",
    "Riverside Gardens",
    "Allotments",
    "Friends Meeting House",
    "Scout Hut",
    "Quaker Meeting House",
    "Leisure Centre",
];
const STREETS: &[&str] = &[
    "High Street",
    "Church Lane",
    "Station Road",
    "Park Road",
    "Mill Lane",
    "Victoria Street",
    "London Road",
    "The Green",
    "Market Place",
    "Queen Street",
    "Chapel Walk",
    "Orchard Way",
];
const OPENINGS: &[&str] = &[
    "A friendly, welcoming group that meets every week.",
    "Everyone is welcome, whatever their experience.",
    "A relaxed session run by local volunteers.",
    "A small, sociable group where newcomers are looked after.",
];
const MIDDLES: &[&str] = &[
    "There is tea and a chat afterwards, and nobody minds if you just watch the first time.",
    "Come on your own or bring a friend; the group will show you what to do.",
    "Sessions last about two hours, with plenty of breaks.",
    "No experience is needed and any equipment is provided.",
];
const CLOSINGS: &[&str] = &[
    "Wear comfortable shoes and clothes you don't mind getting muddy.",
    "Let us know in advance if you have any access needs.",
    "Link workers are welcome to come along with the people they support.",
    "Just turn up, or get in touch first if you would like to ask anything.",
];
const PRICES: &[&str] = &[
    "£2 donation",
    "£3.50 per session",
    "£1 for tea and cake",
    "£5 per term",
    "Pay what you can",
];
const ORGANISERS: &[&str] = &[
    "Local volunteers",
    "The Conservation Volunteers",
    "Ramblers Wellbeing Walks",
    "Friends of the park",
    "Parish council",
    "Community trust",
    "Library service",
    "Museum learning team",
    "Age UK (local branch)",
    "Mind (local branch)",
];
const NOTES: &[&str] = &[
    "term time only",
    "every other week",
    "first Saturday of the month",
    "not on bank holidays",
];
const INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// The town list's cumulative population, for weighted picks.
fn cumulative() -> (Vec<u64>, u64) {
    let mut acc = 0u64;
    let cum = TOWNS
        .iter()
        .map(|t| {
            acc += u64::from(t.3);
            acc
        })
        .collect();
    (cum, acc)
}

fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// Generates activities one at a time.
pub struct Generator {
    rng: Rng,
    cum: Vec<u64>,
    total: u64,
    n: usize,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        let (cum, total) = cumulative();
        Generator {
            rng: Rng::new(seed),
            cum,
            total,
            n: 0,
        }
    }

    fn town(&mut self) -> &'static Town {
        let x = self.rng.next_u64() % self.total;
        let i = self.cum.partition_point(|&c| c <= x);
        &TOWNS[i.min(TOWNS.len() - 1)]
    }

    fn postcode(&mut self, area: &str) -> String {
        let district = 1 + self.rng.below(20);
        let sector = self.rng.below(10);
        let a = INWARD[self.rng.below(INWARD.len())] as char;
        let b = INWARD[self.rng.below(INWARD.len())] as char;
        format!("{area}{district} {sector}{a}{b}")
    }

    fn days(&mut self, count: usize) -> Vec<Weekday> {
        let mut days: Vec<Weekday> = Vec::with_capacity(count);
        while days.len() < count {
            let d = Weekday::ALL[self.rng.below(7)];
            if !days.contains(&d) {
                days.push(d);
            }
        }
        days.sort();
        days
    }

    /// A start between 08:00 and 19:30 on the half hour, and an end 1 to 3 hours later.
    fn times(&mut self) -> (Time, Time) {
        let start = Time(8 * 60 + 30 * self.rng.below(24) as u16);
        let end = Time(start.0 + 60 + 30 * self.rng.below(5) as u16);
        (start, end)
    }

    fn subset<T: Copy + PartialEq>(&mut self, all: &[T], max: usize) -> Vec<T> {
        let want = 1 + self.rng.below(max);
        let mut out = Vec::with_capacity(want);
        for _ in 0..want * 2 {
            let x = *self.rng.pick(all);
            if !out.contains(&x) {
                out.push(x);
            }
            if out.len() == want {
                break;
            }
        }
        out
    }

    /// The next activity.
    pub fn activity(&mut self) -> Activity {
        let n = self.n;
        self.n += 1;
        let town = self.town();
        let category = CATEGORIES[self.rng.below(4)];
        let junior = category == "parkrun" && self.rng.chance(0.3);
        let (name, tags): (String, Vec<String>) = match category {
            "parkrun" => {
                let park = *self.rng.pick(PARKS);
                let kind = if junior { "junior parkrun" } else { "parkrun" };
                let tags = if junior {
                    vec!["junior", "2k", "running"]
                } else {
                    vec!["5k", "running", "walking"]
                };
                (
                    format!("{} {park} {kind}", town.0),
                    tags.into_iter().map(String::from).collect(),
                )
            }
            _ => {
                let list = match category {
                    "green" => GREEN,
                    "heritage" => HERITAGE,
                    _ => HUB,
                };
                let (pattern, tags) = self.rng.pick(list);
                (
                    pattern.replace("{town}", town.0),
                    tags.iter().map(|t| t.to_string()).collect(),
                )
            }
        };
        let id = format!("{category}-{}-{n}", slug(town.0));
        let mut a = Activity::new(id, name, category);
        a.tags = tags;
        a.description = if category == "parkrun" {
            let (what, when) = if junior {
                ("2k for children aged 4 to 14", "Sunday")
            } else {
                ("5k", "Saturday")
            };
            format!(
                "A free, weekly {what} every {when} morning. Walk, jog, run, volunteer or spectate. {}",
                self.rng.pick(CLOSINGS)
            )
        } else {
            format!(
                "{} {} {}",
                self.rng.pick(OPENINGS),
                self.rng.pick(MIDDLES),
                self.rng.pick(CLOSINGS)
            )
        }
        .into();

        // Where: mostly a pin near the town centre, a few online or area-wide.
        let roll = self.rng.unit();
        let place = if category == "parkrun" {
            a.name
                .trim_end_matches(" junior parkrun")
                .trim_end_matches(" parkrun")
                .to_string()
        } else {
            format!("{} {}", town.0, self.rng.pick(VENUES))
        };
        a.location = if category != "parkrun" && roll < 0.01 {
            Location {
                online: true,
                ..Location::default()
            }
        } else if category != "parkrun" && roll < 0.02 {
            Location {
                area: Some(town.0.to_string()),
                ..Location::default()
            }
        } else {
            let sigma_km = 1.5 + f64::from(town.3).sqrt() / 250.0;
            let dy = (self.rng.gauss() * sigma_km).clamp(-3.0 * sigma_km, 3.0 * sigma_km);
            let dx = (self.rng.gauss() * sigma_km).clamp(-3.0 * sigma_km, 3.0 * sigma_km);
            let lat = town.1 + dy / 111.2;
            let lng = town.2 + dx / (111.2 * town.1.to_radians().cos());
            let number = 1 + self.rng.below(180);
            Location {
                lat: Some(round5(lat)),
                lng: Some(round5(lng)),
                place: Some(place),
                address: Some(format!("{number} {}, {}", self.rng.pick(STREETS), town.0)),
                postcode: Some(self.postcode(town.4)),
                online: false,
                area: None,
            }
        };

        // When.
        if category == "parkrun" {
            a.schedule = vec![super::parkrun::slot(junior)];
        } else {
            let slots = 1 + self.rng.below(2);
            for _ in 0..slots {
                let count = 1 + self.rng.below(3);
                let days = self.days(count);
                let (start, end) = self.times();
                let note = self
                    .rng
                    .chance(0.2)
                    .then(|| self.rng.pick(NOTES).to_string());
                let slot = Slot {
                    days,
                    start,
                    end: Some(end),
                    note,
                    except: Vec::new(),
                };
                if !a.schedule.contains(&slot) {
                    a.schedule.push(slot);
                }
            }
        }
        if self.rng.chance(0.25) {
            let count = 1 + self.rng.below(3);
            for _ in 0..count {
                let (start, end) = self.times();
                let d = OneOff {
                    date: format!(
                        "2027-{:02}-{:02}",
                        1 + self.rng.below(12),
                        1 + self.rng.below(28)
                    ),
                    start: Some(start),
                    end: Some(end),
                };
                if !a.dates.contains(&d) {
                    a.dates.push(d);
                }
            }
        }

        // Cost, access, ages, joining.
        let free = category == "parkrun" || self.rng.chance(0.6);
        a.cost = Cost {
            free,
            description: Some(if category == "parkrun" {
                "Free (register once with parkrun)".to_string()
            } else if free {
                (*self
                    .rng
                    .pick(&["Free", "Free, donations welcome", "Free, booking essential"]))
                .to_string()
            } else {
                self.rng.pick(PRICES).to_string()
            }),
        };
        a.accessibility = self.subset(&Feature::ALL, 4);
        a.ages = Some(if junior {
            AgeRange {
                min: Some(4),
                max: Some(14),
            }
        } else if category == "parkrun" {
            AgeRange {
                min: Some(4),
                max: None,
            }
        } else {
            match self.rng.below(4) {
                0 => AgeRange {
                    min: Some(18),
                    max: None,
                },
                1 => AgeRange {
                    min: Some(16),
                    max: Some(25),
                },
                2 => AgeRange {
                    min: Some(50),
                    max: None,
                },
                _ => AgeRange {
                    min: Some(8),
                    max: Some(99),
                },
            }
        });
        a.joining = if category == "parkrun" {
            vec![Joining::SelfReferral]
        } else {
            self.subset(&Joining::ALL, 2)
        };
        a.contact = Contact {
            website: Some(format!("https://example.org/{category}/{}", a.id)),
            email: Some(format!("{}@example.org", a.id)),
            phone: Some(format!("01632 960{:03}", self.rng.below(1000))),
        };
        a.organiser = Some(self.rng.pick(ORGANISERS).to_string());
        a.checked = Some(format!(
            "2026-{:02}-{:02}",
            1 + self.rng.below(11),
            1 + self.rng.below(28)
        ));
        a
    }
}

/// `count` activities from `seed`.
pub fn activities(count: usize, seed: u64) -> Vec<Activity> {
    let mut g = Generator::new(seed);
    (0..count).map(|_| g.activity()).collect()
}

/// The metadata of a generated feed.
pub fn meta(count: usize, seed: u64) -> FeedMeta {
    FeedMeta {
        name: format!("Generated activities ({count}, seed {seed})"),
        publisher: Some("genfeed".into()),
        licence: Some("CC0-1.0".into()),
        updated: Some("2026-11-23".into()),
        report_email: None,
    }
}

/// Write a whole native-format feed of `count` activities, one activity per line.
pub fn write_feed<W: Write>(w: &mut W, count: usize, seed: u64) -> io::Result<()> {
    write!(w, "{{\"format\":\"{FORMAT_V1}\",\"feed\":")?;
    serde_json::to_writer(&mut *w, &meta(count, seed)).map_err(io::Error::other)?;
    writeln!(w, ",\"activities\":[")?;
    let mut g = Generator::new(seed);
    for i in 0..count {
        if i > 0 {
            w.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *w, &g.activity()).map_err(io::Error::other)?;
    }
    w.write_all(b"\n]}\n")
}

/// A whole feed in memory.
pub fn feed_bytes(count: usize, seed: u64) -> Vec<u8> {
    let mut buf = Vec::with_capacity(count * 900 + 256);
    write_feed(&mut buf, count, seed).expect("writing to memory cannot fail");
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        assert_eq!(feed_bytes(50, 7), feed_bytes(50, 7));
        assert_ne!(feed_bytes(50, 7), feed_bytes(50, 8));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("King's Lynn"), "king-s-lynn");
        assert_eq!(slug("Stoke-on-Trent"), "stoke-on-trent");
    }
}
