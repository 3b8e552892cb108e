//! The browser entry point: install the panic hook and mount the app.

/// Talc instead of the default dlmalloc: reading a large feed is mostly allocation,
/// and talc is both faster and smaller (measured in BENCHMARKS.md).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    activity_map::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "activity-map runs in the browser: build it with `trunk build --release` (see README.md)."
    );
    eprintln!("To check a feed from the command line, use `cargo run --bin feedcheck -- FILE`.");
    std::process::exit(2);
}
