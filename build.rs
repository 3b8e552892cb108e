//! For the browser app only: keep the linker's relocations in the wasm, so the build step
//! after Trunk's (tests/tools/split-wasm.mjs) can split it into lazily loaded parts.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=activity-map=--emit-relocs");
    }
}
