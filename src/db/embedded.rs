//! The seed CSVs compiled into the binary: the build script writes one `include_bytes!`
//! per table of the contract, so a new table's CSV needs no line here.

include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
