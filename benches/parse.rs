//! Loader throughput on generated native feeds: `cargo bench --bench parse`.
//!
//! No framework: each size is generated once in memory (`feed::generate`), then
//! `feed::load` is timed over several runs and the median and best are printed.

use activity_map::feed::{self, generate, Options};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // `cargo bench` passes `--bench`; a further argument filters sizes by name (e.g. `10k`).
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let sizes: [(&str, usize, usize); 3] =
        [("1k", 1_000, 7), ("10k", 10_000, 7), ("100k", 100_000, 5)];
    println!(
        "{:>5} {:>9} {:>11} {:>9} {:>9} {:>8} {:>12} {:>13}",
        "feed", "MB", "activities", "median ms", "min ms", "MB/s", "activities/s", "Value-only ms"
    );
    for (label, count, runs) in sizes {
        if filter.as_deref().is_some_and(|f| f != label) {
            continue;
        }
        let bytes = generate::feed_bytes(count, 1);
        let opts = Options::default();
        // One untimed run to warm caches and check the feed is clean.
        let first = feed::load(&bytes, &opts).expect("generated feed loads");
        assert_eq!(first.feed.activities.len(), count);
        assert!(
            first.problems.is_empty(),
            "{:?}",
            &first.problems[..first.problems.len().min(5)]
        );
        drop(first);
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let loaded = feed::load(black_box(&bytes), &opts).expect("loads");
                let d = t.elapsed();
                black_box(&loaded);
                drop(loaded);
                d
            })
            .collect();
        times.sort();
        // For comparison: parsing into a serde_json::Value (and dropping it) alone.
        let mut json: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let v: serde_json::Value = serde_json::from_slice(black_box(&bytes)).expect("json");
                black_box(&v);
                drop(v);
                t.elapsed()
            })
            .collect();
        json.sort();
        let median = times[times.len() / 2];
        let min = times[0];
        let mb = bytes.len() as f64 / 1e6;
        let secs = median.as_secs_f64();
        println!(
            "{:>5} {:>9.2} {:>11} {:>9.1} {:>9.1} {:>8.1} {:>12.0} {:>13.1}",
            label,
            mb,
            count,
            ms(median),
            ms(min),
            mb / secs,
            count as f64 / secs,
            ms(json[json.len() / 2])
        );
    }
}
