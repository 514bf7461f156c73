//! What the build script made for the binary: the seed CSVs (one `include_bytes!` per
//! table of the contract, so a new table's CSV needs no line here) and the schema this
//! version's databases have, entry for entry.

include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
include!(concat!(env!("OUT_DIR"), "/schema.rs"));
