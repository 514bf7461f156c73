//! Any text, as `aiinfra sql`'s query: the database must stay unchanged and read-only.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sql) = std::str::from_utf8(data) {
        aiinfra::fuzzing::sql_guard(sql);
    }
});
