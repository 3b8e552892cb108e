//! `FeedStream`, the reader that reads a feed as it downloads, given any bytes cut anywhere.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| activity_map_fuzz::stream(data));
