//! `feed::load`, the reader that detects the shape, given any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| activity_map_fuzz::load(data));
