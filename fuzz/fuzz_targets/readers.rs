//! Every reader in one target, so that one long run covers them all: the first byte
//! picks the reader, the rest is its input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| activity_map_fuzz::readers(data));
