//! Where a feed's memory goes once read: the bytes held after each step of what the
//! app does with a single-document feed (read it, build the catalog, prepare search),
//! the most held at once during each, and how many allocations hold them.
//!
//! Usage: cargo run --release -p activity-map-core --example memory -- FEED.json
//!
//! Native sizes: a `String` or `Vec` is 24 bytes here and 12 in the browser's wasm32,
//! a pointer 8 and 4; the text itself is the same. Issue 19 compares the app's memory
//! at 100k (JS heap + wasm memory) with the best plain-JS page's.

use activity_map_core::catalog::Catalog;
use activity_map_core::feed::{self, Options};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting what it holds.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
            LIVE.fetch_add(1, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Relaxed);
        LIVE.fetch_sub(1, Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn mb(n: usize) -> String {
    format!("{:.1} MB", n as f64 / 1_048_576.0)
}

/// Print what `step` left held, and the most held while it ran.
fn step(name: &str, since: usize) -> usize {
    let held = HELD.load(Relaxed);
    println!(
        "| {name} | {} | {} | {} | {} |",
        mb(held),
        mb(held.saturating_sub(since)),
        mb(PEAK.load(Relaxed)),
        LIVE.load(Relaxed)
    );
    PEAK.store(held, Relaxed);
    held
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: memory FEED.json");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("reading the feed");
    println!("{path}: {}\n", mb(bytes.len()));
    println!("| step | held after | added | most held during | allocations live |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let base = step("the document's bytes", 0);
    let loaded = feed::load(&bytes, &Options::default()).expect("a feed");
    let n = loaded.feed.activities.len();
    let text: usize = loaded
        .feed
        .activities
        .iter()
        .map(|a| a.name.len() + a.description.len())
        .sum();
    let after_read = step(&format!("read: {n} activities"), base);
    drop(bytes);
    let after_drop = step("the document's bytes let go", after_read);
    let cat = Catalog::new(loaded);
    let after_cat = step("the catalog built", after_drop);
    while !cat.prepare_search(usize::MAX) {}
    step("search text prepared", after_cat);
    println!(
        "\nNames and descriptions alone: {} ({} bytes an activity on average).",
        mb(text),
        text / n.max(1)
    );
    println!(
        "Activity struct: {} bytes here (of which Strings and Vecs 24 bytes each).",
        std::mem::size_of::<activity_map_core::model::Activity>()
    );
}
