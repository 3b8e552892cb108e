//! The OpenActive reader, given any JSON document (one of another shape is wrapped as a record).
#![no_main]

use activity_map_core::feed::Shape;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| activity_map_fuzz::shape(Shape::OpenActive, data));
