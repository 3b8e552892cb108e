//! The loader must never panic, whatever it is given, and whatever it keeps must be
//! valid. Property tests over arbitrary bytes, arbitrary JSON, and random mutations
//! of a skeleton document of every shape; plus the generated load-test feed.

use activity_map_core::feed::stream::{FeedStream, Finished, Finishing};
use activity_map_core::feed::{generate, load, load_value, FeedError, Loaded, Options, Shape};
use activity_map_core::model::builtin_categories;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::HashSet;

const CASES: u32 = 256;

/// Strings that reach interesting branches of the adapters.
const WORDS: &[&str] = &[
    "",
    " ",
    "x",
    "green",
    "parkrun",
    "hub",
    "heritage",
    "activity-map/1",
    "activity-map/2",
    "2026-11-23",
    "2026-02-31",
    "2026-02-29",
    "2026-11-23T10:00:00Z",
    "2018-10-28T00:30:00+01:00",
    "2026-13-45T99:99",
    "9:00",
    "09:00:00",
    "23:59",
    "24:00",
    "7pm",
    "7.30pm",
    "12am",
    "noon",
    "T09:00Z",
    "mon",
    "Mondays",
    "Weds",
    "https://schema.org/Monday",
    "1SA",
    "-1FR",
    "MO,TU",
    "P1W",
    "P14D",
    "P1M",
    "WEEKLY",
    "MONTHLY",
    "DAILY",
    "Free",
    "free, donations welcome",
    "£3.50",
    "3.50",
    "52.6",
    "-1.3",
    "NaN",
    "1e400",
    "wheelchair",
    "step free",
    "self-referral",
    "booking",
    "https://example.org/a",
    "www.example.org",
    "www.example.org/a b",
    "javascript:alert(1)",
    "MAILTO:a@example.org",
    "a@example.org",
    "tel:01632 960000",
    "01632 960000",
    "<p>Hi <b>there</b></p>",
    "lasts <1 hour",
    "a <b",
    "&amp;lt; &#8211; &#x2013; &#0; &#xD800; &bogus;",
    "deleted",
    "updated",
    "Point",
    "LineString",
    "Feature",
    "FeatureCollection",
    "SessionSeries",
    "ScheduledSession",
    "FacilityUse",
    "Slot",
    "https://schema.org/EventCancelled",
    "https://schema.org/OnlineEventAttendanceMode",
    "VirtualLocation",
    "inactive",
    "virtual",
    "physical",
    "Eaton Park",
    "Eaton Park, Norwich",
    "\u{0}",
    "é\u{a0}\u{2028}",
];

/// Field names the adapters look for (so random objects reach real code paths).
const KEYS: &[&str] = &[
    "format",
    "feed",
    "name",
    "categories",
    "id",
    "label",
    "colour",
    "activities",
    "category",
    "tags",
    "description",
    "location",
    "lat",
    "lng",
    "place",
    "address",
    "postcode",
    "online",
    "area",
    "schedule",
    "days",
    "start",
    "end",
    "note",
    "dates",
    "date",
    "cost",
    "free",
    "accessibility",
    "ages",
    "min",
    "max",
    "joining",
    "contact",
    "website",
    "email",
    "phone",
    "organiser",
    "checked",
    "type",
    "features",
    "geometry",
    "coordinates",
    "properties",
    "countries",
    "events",
    "url",
    "eventname",
    "EventLongName",
    "EventShortName",
    "EventLocation",
    "countrycode",
    "seriesid",
    "items",
    "state",
    "kind",
    "data",
    "@type",
    "superEvent",
    "facilityUse",
    "startDate",
    "endDate",
    "eventSchedule",
    "byDay",
    "startTime",
    "endTime",
    "repeatFrequency",
    "byMonthWeek",
    "hoursAvailable",
    "dayOfWeek",
    "opens",
    "closes",
    "offers",
    "price",
    "priceCurrency",
    "geo",
    "latitude",
    "longitude",
    "ageRange",
    "minValue",
    "maxValue",
    "organizer",
    "provider",
    "subEvent",
    "eventStatus",
    "contents",
    "content",
    "service",
    "service_at_locations",
    "locations",
    "schedules",
    "regular_schedules",
    "byday",
    "opens_at",
    "closes_at",
    "freq",
    "interval",
    "weekday",
    "dtstart",
    "valid_from",
    "cost_options",
    "amount",
    "option",
    "fees",
    "eligibilitys",
    "minimum_age",
    "maximum_age",
    "status",
    "organization",
    "phones",
    "number",
    "contacts",
    "physical_addresses",
    "address_1",
    "city",
    "postal_code",
    "attending_access",
    "taxonomy_terms",
    "service_taxonomys",
    "taxonomy",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(WORDS).prop_map(String::from),
        1 => ".{0,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(String::from),
        1 => "[a-z@_]{1,8}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-200i32..200).prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        (-100.0f64..100.0).prop_map(Value::from),
        word().prop_map(Value::String),
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Every value in `v`, by JSON Pointer (the root is "").
fn pointers(v: &Value, at: String, into: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    into,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), into);
            }
        }
        _ => {}
    }
    into.push(at);
}

/// Every successful load keeps the core's guarantees (`Loaded::broken_guarantee`).
fn check_invariants(l: &Loaded) {
    assert_eq!(l.broken_guarantee(), None);
}

/// `load` (which streams our format) and `load_value` (which reads a parsed `Value`)
/// must agree on every document, and so must `FeedStream` fed it in pieces of any size.
fn same_result(bytes: &[u8]) -> Result<Loaded, FeedError> {
    let streamed = load(bytes, &Options::default());
    for piece in [1, 2, 7, 64, bytes.len().max(1)] {
        let sizes = std::iter::repeat(piece);
        assert_same(&streamed, &in_pieces(bytes, sizes, &Options::default()));
    }
    // Read a few items at a time, as the browser does between paints, with pieces
    // left waiting while more arrive.
    for (piece, per_read) in [(64, 1), (301, 2), (bytes.len().max(1), 3)] {
        assert_same(&streamed, &in_steps(bytes, piece, per_read));
    }
    if let Ok(doc) = serde_json::from_slice::<Value>(bytes) {
        let whole = load_value(&doc, &Options::default());
        match (&streamed, &whole) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.shape, b.shape);
                assert_eq!(a.feed, b.feed);
                assert_eq!(a.problems, b.problems);
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            _ => panic!("load and load_value disagree: {streamed:?} / {whole:?}"),
        }
    }
    if let Ok(l) = &streamed {
        check_invariants(l);
    }
    streamed
}

/// Read `bytes` through a `FeedStream` in pieces of `piece` bytes, reading at most
/// `per_read` items after each piece arrives and the rest once all have.
fn in_steps(bytes: &[u8], piece: usize, per_read: usize) -> Result<Loaded, FeedError> {
    let opts = Options::default();
    let mut stream = FeedStream::new(&opts);
    let mut seen = 0;
    for chunk in bytes.chunks(piece) {
        stream.add_with(chunk.len(), |into| into.copy_from_slice(chunk));
        stream.read(per_read);
        // What has been read so far can be shown, and only grows.
        let now = stream.activities_read();
        assert!(now >= seen && now - seen <= per_read);
        assert_eq!(stream.read_from(seen).count(), now - seen);
        seen = now;
    }
    while stream.read(per_read) {}
    // The whole-feed checks a few records at a time too.
    match stream.finishing(&opts) {
        Finishing::Check(mut checks) => {
            while !checks.step(per_read) {}
            Ok(checks.done())
        }
        Finishing::Done(Finished::Read(read)) => read,
        Finishing::Done(Finished::Whole) => load(bytes, &opts),
    }
}

/// Read `bytes` through a `FeedStream`, in pieces of the given sizes (the last
/// size repeats until the document is used up).
fn in_pieces(
    bytes: &[u8],
    sizes: impl IntoIterator<Item = usize>,
    opts: &Options,
) -> Result<Loaded, FeedError> {
    let mut stream = FeedStream::new(opts);
    let mut rest = bytes;
    let mut last = 1;
    let mut sizes = sizes.into_iter();
    while !rest.is_empty() {
        let n = sizes.next().unwrap_or(last).clamp(1, rest.len());
        last = n;
        stream.push(&rest[..n]);
        rest = &rest[n..];
    }
    match stream.finish(opts) {
        Finished::Read(read) => read,
        Finished::Whole => load(bytes, opts),
    }
}

fn assert_same(a: &Result<Loaded, FeedError>, b: &Result<Loaded, FeedError>) {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.shape, b.shape);
            assert_eq!(a.feed, b.feed);
            assert_eq!(a.problems, b.problems);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("load and FeedStream disagree: {a:?} / {b:?}"),
    }
}

/// One small document of each shape, with every value's pointer (built once).
fn skeletons() -> &'static [(Shape, Value, Vec<String>)] {
    static SKELETONS: std::sync::OnceLock<Vec<(Shape, Value, Vec<String>)>> =
        std::sync::OnceLock::new();
    SKELETONS.get_or_init(|| {
        skeleton_docs()
            .into_iter()
            .map(|(shape, doc)| {
                let mut paths = Vec::new();
                pointers(&doc, String::new(), &mut paths);
                (shape, doc, paths)
            })
            .collect()
    })
}

fn skeleton_docs() -> Vec<(Shape, Value)> {
    vec![
        (
            Shape::Native,
            json!({"format":"activity-map/1","feed":{"name":"T","publisher":"P","licence":"CC0","updated":"2026-11-23"},
              "categories":[{"id":"arts","label":"Arts","colour":"#aa00aa"}],
              "activities":[
                {"id":"a","name":"Garden","category":"green","tags":["gardening"],"description":"<p>Hi</p>",
                 "location":{"lat":52.6,"lng":1.7,"place":"Eaton Park","address":"Eaton Park, Norwich","postcode":"nr4 7au"},
                 "schedule":[{"days":["sat","Sunday"],"start":"9:00","end":"11:30","note":"term time"}],
                 "dates":[{"date":"2026-12-05","start":"10:00","end":"12:00"}],
                 "cost":{"free":true,"description":"Free"},"accessibility":["wheelchair"],"ages":{"min":4,"max":14},
                 "joining":["self-referral"],"contact":{"website":"https://example.org","email":"a@example.org","phone":"01632 960000"},
                 "organiser":"Friends","checked":"2026-10-01"},
                {"id":"b","name":"Choir","category":"arts","location":{"online":true},"cost":"Free"}]}),
        ),
        (
            Shape::GeoJson,
            json!({"type":"FeatureCollection","feed":{"name":"G"},"features":[
              {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[1.73,52.61]},
               "properties":{"name":"Beach walk","category":"green","cost":"Free","schedule":[{"days":"mon","start":"10:00"}]}},
              {"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},
               "properties":{"id":"l","name":"Route","category":"green","location":{"lat":52.0,"lng":1.0}}}]}),
        ),
        (
            Shape::Parkrun,
            json!({"countries":{"97":{"url":"www.parkrun.org.uk","bounds":[-8,49,2,61]}},
              "events":{"type":"FeatureCollection","features":[
                {"id":1,"type":"Feature","geometry":{"type":"Point","coordinates":[-0.335791,51.410992]},
                 "properties":{"eventname":"bushy","EventLongName":"Bushy parkrun","EventShortName":"Bushy Park",
                 "LocalisedEventLongName":null,"countrycode":97,"seriesid":1,"EventLocation":"Bushy Park, Teddington"}},
                {"id":2,"type":"Feature","geometry":{"type":"Point","coordinates":[-0.33,51.41]},
                 "properties":{"eventname":"bushy-juniors","EventLongName":"Bushy junior parkrun","countrycode":97,"seriesid":2}}]}}),
        ),
        (
            Shape::OpenActive,
            json!({"next":"https://example.org/feed?afterId=9","license":"https://creativecommons.org/licenses/by/4.0/","items":[
              {"state":"updated","kind":"SessionSeries","id":"s1","modified":1,"data":{
                "@type":"SessionSeries","name":"Chair yoga","description":"Gentle","activity":[{"prefLabel":"Yoga"}],
                "location":{"name":"Village Hall","geo":{"latitude":"52.63","longitude":"1.29"},
                  "address":{"streetAddress":"1 Church Lane","addressLocality":"Norwich","postalCode":"nr1 1aa"}},
                "eventSchedule":[{"repeatFrequency":"P1W","byDay":["https://schema.org/Monday"],"startTime":"10:00","endTime":"11:00"}],
                "subEvent":[{"startDate":"2026-01-05T10:00:00Z","endDate":"2026-01-05T11:00:00Z"}],
                "offers":[{"price":3.5,"priceCurrency":"GBP","url":"https://example.org/book"}],
                "ageRange":{"minValue":18,"maxValue":65},"accessibilitySupport":[{"prefLabel":"Wheelchair user"}],
                "organizer":{"name":"Parish","url":"https://example.org","email":"p@example.org","telephone":"01632 960001"}}},
              {"state":"updated","kind":"ScheduledSession","id":"s2","data":{"@type":"ScheduledSession",
                "startDate":"2026-01-12T10:00:00Z","endDate":"2026-01-12T11:00:00Z",
                "superEvent":{"@type":"SessionSeries","name":"Tai chi","location":{"name":"Hall","geo":{"latitude":52.6,"longitude":1.3}}}}},
              {"state":"deleted","kind":"SessionSeries","id":"gone","modified":3}]}),
        ),
        (
            Shape::Oruk,
            json!({"total_items":1,"contents":[{"id":"s1","name":"Gardening club","status":"active","description":"Dig",
              "url":"https://example.org","email":"g@example.org","fees":"Free",
              "schedules":[{"freq":"WEEKLY","byday":"MO,1SA","opens_at":"10:00","closes_at":"12:00"},{"valid_from":"2026-12-05","opens_at":"11:00"}],
              "cost_options":[{"option":"Adults","amount":"2.5","currency":"GBP"}],
              "eligibilitys":[{"minimum_age":18}],"attending_access":"drop-in",
              "organization":{"name":"Org","website":"https://org.example.org"},
              "service_at_locations":[
                {"id":"sal1","location":{"id":"L1","name":"Allotments","latitude":52.1,"longitude":1.1,
                  "physical_addresses":[{"address_1":"Field Lane","city":"Cromer","postal_code":"nr27 9aa"}],
                  "accessibility":[{"description":"Wheelchair access"}]},
                 "schedules":[{"freq":"WEEKLY","byday":"SA","opens_at":"09:00"}]},
                {"id":"sal2","location":{"name":"Garden","latitude":"52.2","longitude":"1.2"}}]}]}),
        ),
    ]
}

/// Apply `(pointer index, value)` replacements to a copy of `doc`.
fn mutate(doc: &Value, paths: &[String], edits: &[(usize, Value)]) -> Value {
    let mut d = doc.clone();
    for (i, v) in edits {
        let path = &paths[i % paths.len()];
        if path.is_empty() {
            continue; // replacing the root is the arbitrary-JSON test's job
        }
        if let Some(slot) = d.pointer_mut(path) {
            *slot = v.clone();
        }
    }
    d
}

#[test]
fn skeletons_load_as_their_shape() {
    for (shape, doc, _) in skeletons() {
        let l = same_result(&serde_json::to_vec(doc).unwrap()).unwrap();
        assert_eq!(l.shape, *shape);
        assert!(!l.feed.activities.is_empty(), "{shape:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = same_result(&bytes);
    }

    #[test]
    fn json_looking_text_never_panics(text in "[\\[\\]{}\":,0-9a-z .\\\\-]{0,120}") {
        let _ = same_result(text.as_bytes());
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        let _ = load_value(&v, &Options::default()).map(|l| check_invariants(&l));
        let _ = same_result(&serde_json::to_vec(&v).unwrap());
        // And as the activities of a native feed, or the items of an RPDE page, and so on.
        for key in ["activities", "features", "items", "contents", "content"] {
            let mut doc = Map::new();
            doc.insert(key.into(), Value::Array(vec![v.clone(), v.clone()]));
            if key == "features" {
                doc.insert("type".into(), json!("FeatureCollection"));
            }
            let _ = same_result(&serde_json::to_vec(&Value::Object(doc)).unwrap());
        }
    }

    #[test]
    fn mutated_skeletons_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<usize>(), json_value()), 1..5),
    ) {
        let (_, doc, paths) = &skeletons()[which];
        let d = mutate(doc, paths, &edits);
        let _ = same_result(&serde_json::to_vec(&d).unwrap());
    }

    #[test]
    fn mutated_skeleton_leaves_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec((any::<usize>(), leaf()), 1..8),
    ) {
        let (_, doc, paths) = &skeletons()[which];
        let d = mutate(doc, paths, &edits);
        let _ = same_result(&serde_json::to_vec(&d).unwrap());
    }

}

proptest! {
    // Generating is the slow part in a debug build: fewer, smaller feeds.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn generated_feeds_load_clean_for_any_seed(seed in any::<u64>()) {
        let bytes = generate::feed_bytes(30, seed);
        let l = load(&bytes, &Options::default()).unwrap();
        prop_assert!(l.problems.is_empty(), "{:?}", l.problems);
        prop_assert_eq!(l.feed.activities.len(), 30);
    }

    /// A feed read as it downloads, cut anywhere and with any one byte changed, reads
    /// exactly as the whole document does (problems, errors and their places included).
    #[test]
    fn feed_read_in_pieces_equals_whole(
        seed in any::<u64>(),
        sizes in proptest::collection::vec(1usize..4000, 1..40),
        edit in proptest::option::of((any::<proptest::sample::Index>(), any::<u8>())),
    ) {
        let mut bytes = generate::feed_bytes(12, seed);
        if let Some((at, b)) = edit {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let opts = Options::default();
        assert_same(&load(&bytes, &opts), &in_pieces(&bytes, sizes, &opts));
    }
}

#[test]
fn generated_feed_of_1000_loads_with_no_problems() {
    let bytes = generate::feed_bytes(1000, 1);
    let l = same_result(&bytes).unwrap();
    assert_eq!(l.shape, Shape::Native);
    assert!(
        l.problems.is_empty(),
        "{:#?}",
        &l.problems[..l.problems.len().min(10)]
    );
    assert_eq!(l.feed.activities.len(), 1000);
    // What was generated is exactly what is loaded (coordinates to within rounding).
    let made = generate::activities(1000, 1);
    for (got, want) in l.feed.activities.iter().zip(&made) {
        let mut got = got.clone();
        if let (Some(p), Some(q)) = (got.point(), want.point()) {
            assert!((p.lat - q.lat).abs() < 1e-9 && (p.lng - q.lng).abs() < 1e-9);
            got.location.lat = want.location.lat;
            got.location.lng = want.location.lng;
        }
        assert_eq!(&got, want);
    }
    // All four categories, every field filled, spread over England.
    for cat in builtin_categories() {
        let n = l
            .feed
            .activities
            .iter()
            .filter(|a| a.category == cat.id)
            .count();
        assert!(n > 150, "{n} in {}", cat.id);
    }
    let pinned: Vec<_> = l.feed.activities.iter().filter_map(|a| a.point()).collect();
    assert!(pinned.len() > 950);
    assert!(
        pinned
            .iter()
            .all(|p| (49.8..55.9).contains(&p.lat) && (-6.5..1.8).contains(&p.lng)),
        "outside England"
    );
    let towns: HashSet<&str> = l
        .feed
        .activities
        .iter()
        .filter_map(|a| a.id.split('-').nth(1))
        .collect();
    assert!(towns.len() > 40, "{} towns", towns.len());
    for a in &l.feed.activities {
        assert!(
            !a.tags.is_empty() && !a.description.is_empty() && !a.schedule.is_empty(),
            "{}",
            a.id
        );
        assert!(
            a.cost.description.is_some() && !a.accessibility.is_empty() && a.ages.is_some(),
            "{}",
            a.id
        );
        assert!(
            !a.joining.is_empty() && a.organiser.is_some() && a.checked.is_some(),
            "{}",
            a.id
        );
        let c = &a.contact;
        assert!(
            c.website
                .as_deref()
                .is_some_and(|w| w.starts_with("https://example.org/")),
            "{}",
            a.id
        );
        assert!(
            c.phone
                .as_deref()
                .is_some_and(|p| p.starts_with("01632 960")),
            "{}",
            a.id
        );
        assert!(
            c.email
                .as_deref()
                .is_some_and(|e| e.ends_with("@example.org")),
            "{}",
            a.id
        );
    }
    assert!(
        l.feed
            .activities
            .iter()
            .filter(|a| !a.dates.is_empty())
            .count()
            > 100
    );
    // The same seed gives the same bytes; another seed does not.
    assert_eq!(generate::feed_bytes(200, 1), generate::feed_bytes(200, 1));
    assert_ne!(generate::feed_bytes(200, 2), generate::feed_bytes(200, 1));
}

/// The stream reads activities before the document has finished arriving (it is not
/// merely keeping the bytes for `load`), and the result is the whole document's.
#[test]
fn stream_reads_activities_as_they_arrive() {
    let bytes = generate::feed_bytes(200, 3);
    let opts = Options::default();
    let mut stream = FeedStream::new(&opts);
    let half = bytes.len() / 2;
    stream.push(&bytes[..half]);
    let early = stream.activities_read();
    assert!(
        (80..=110).contains(&early),
        "{early} read from half the feed"
    );
    stream.push(&bytes[half..]);
    assert_eq!(stream.activities_read(), 200);
    let Finished::Read(read) = stream.finish(&opts) else {
        panic!("our own format should be read by the stream, not left to load")
    };
    assert_same(&load(&bytes, &opts), &read);
}

/// The whole-feed checks give the same answer however they are sliced: categories
/// declared after the list, an id reused after a record turned away for its category
/// (not a duplicate: that record is not kept), a real duplicate, and a forced category.
#[test]
fn whole_feed_checks_in_slices_agree_with_load() {
    let rec = |id: &str, cat: &str| json!({"id": id, "name": "N", "category": cat, "location": {"online": true}});
    let doc = json!({
        "activities": [rec("a", "arts"), rec("b", "sparkly"), rec("b", "green"),
                       rec("a", "green"), rec("c", "hub"), rec("c", "hub")],
        "categories": [{"id": "arts", "label": "Arts"}],
        "feed": {"name": "Late categories"},
    });
    let bytes = serde_json::to_vec(&doc).unwrap();
    let whole = same_result(&bytes).unwrap();
    let kept: Vec<&str> = whole
        .feed
        .activities
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(kept, ["a", "b", "c"]);
    assert_eq!(whole.problems.len(), 3, "{:?}", whole.problems);
    let forced = Options {
        force_category: Some("walks".into()),
        ..Options::default()
    };
    for per in [1, 2, 5, usize::MAX] {
        let mut stream = FeedStream::new(&forced);
        stream.push(&bytes);
        let Finishing::Check(mut checks) = stream.finishing(&forced) else {
            panic!("the stream reads this document itself")
        };
        while !checks.step(per) {}
        assert_same(&load(&bytes, &forced), &Ok(checks.done()));
    }
}

/// Documents at the edges of what the stream reads itself, each read in pieces of
/// every size and compared with `load`.
#[test]
fn stream_edge_cases_read_as_whole() {
    let docs: &[&[u8]] = &[
        b"\xEF\xBB\xBF{\"activities\":[]}",
        b"\xEF\xBB",
        b"",
        b"   \n",
        b"{}",
        b"{\"activities\":[1, \"x\", null, true, -2.5e3, [], {}]}",
        b"{\"activities\" : [ {\"id\":\"a\",\"name\":\"A\",\"category\":\"green\"} , {\"id\":\"a\",\"name\":\"B\",\"category\":\"green\"} ] , \"categories\":[{\"id\":\"x\",\"label\":\"X\",\"colour\":\"#aabbcc\"}],\"format\":\"activity-map/2\"}",
        b"{\"activities\":[{\"id\":\"a\",\"name\":\"A\",\"category\":\"x\"}],\"categories\":[{\"id\":\"x\",\"label\":\"X\",\"colour\":\"#aabbcc\"}]}",
        b"{\"activities\":[{\"id\":\"a\",\"name\":\"A\",\"category\":\"green\"}],\"activities\":[]}",
        b"{\"activit\\u0069es\":[{\"id\":\"a\",\"name\":\"A\",\"category\":\"green\"}]}",
        b"{\"activities\":{\"id\":\"a\"}}",
        b"{\"activities\":[{\"id\":\"a\",\"name\":\"A\\\" ]}\",\"category\":\"green\"}]}",
        b"{\"activities\":[{\"id\":\"a\",\"name\":\"A\",\"category\":\"green\"},]}",
        b"{\"activities\":[{\"id\":\"a\",\"name\":\"A\",\"category\":\"green\"}]} x",
        b"{\"activities\":[{\"id\":\"a\",\"name\":\"A\",\"category\":\"green\"}]",
        b"{\"feed\":{\"name\":tru},\"activities\":[]}",
        b"{\"a\":{]},\"activities\":[]}",
        b"{\"activities\":[{\"id\":\"a\" \"name\":\"A\"}]}",
        b"{\"type\":\"FeatureCollection\",\"features\":[]}",
        b"[{\"activities\":[]}]",
    ];
    for doc in docs {
        let whole = load(doc, &Options::default());
        for piece in 1..=doc.len().max(1) {
            assert_same(
                &whole,
                &in_pieces(doc, std::iter::repeat(piece), &Options::default()),
            );
        }
    }
    // Nesting: serde_json's depth limit counts from the document's top.
    for depth in [90, 125, 126, 127, 200] {
        let mut doc = b"{\"activities\":[".to_vec();
        doc.extend(std::iter::repeat_n(b'[', depth));
        doc.extend(std::iter::repeat_n(b']', depth));
        doc.extend_from_slice(b"]}");
        let whole = load(&doc, &Options::default());
        assert_same(
            &whole,
            &in_pieces(&doc, std::iter::repeat(5), &Options::default()),
        );
    }
    // A key our format does not read is let go unread, but held to the same depth limit
    // as a `Value`: a document too deep for one is refused by `load` too.
    for depth in [100, 126, 127, 128, 200] {
        let mut doc = b"{\"extra\":".to_vec();
        doc.extend(std::iter::repeat_n(b'[', depth));
        doc.extend(std::iter::repeat_n(b']', depth));
        doc.extend_from_slice(b",\"activities\":[]}");
        let as_value = serde_json::from_slice::<Value>(&doc);
        let loaded = load(&doc, &Options::default());
        assert_eq!(loaded.is_ok(), as_value.is_ok(), "depth {depth}");
        assert_same(
            &loaded,
            &in_pieces(&doc, std::iter::repeat(7), &Options::default()),
        );
    }
    // Too large: the same error, with the whole size, whatever the pieces.
    let opts = Options {
        max_bytes: 100,
        ..Options::default()
    };
    let bytes = generate::feed_bytes(3, 1);
    let err = in_pieces(&bytes, std::iter::repeat(40), &opts).unwrap_err();
    assert_eq!(err, load(&bytes, &opts).unwrap_err());
    assert!(matches!(err, FeedError::TooLarge { size, .. } if size == bytes.len()));
}
