//! The link parser: `Query::parse` and `FinderState::from_query`, given any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| activity_map_fuzz::link(data));
