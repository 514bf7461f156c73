//! Any bytes, as every table's CSV: the loader must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| aiinfra::fuzzing::loader(data));
