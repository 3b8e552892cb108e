//! The browser entry point: install the panic hook and mount the app.

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
