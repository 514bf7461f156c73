//! Builds the embedded database image: migrations/ and seed/ loaded by the same code the
//! binary uses (src/db/{contract,migrate,seed}.rs), then serialized into OUT_DIR. The
//! binary deserializes it at start, which is faster than parsing the CSVs every run.
//! Invalid seeds fail the build with the loader's own messages.

#[allow(dead_code)]
#[path = "src/db/contract.rs"]
mod contract;
#[allow(dead_code)]
#[path = "src/db/migrate.rs"]
mod migrate;
#[allow(dead_code)]
#[path = "src/db/seed.rs"]
mod seed;

fn main() -> anyhow::Result<()> {
    println!("cargo::rerun-if-changed=migrations");
    println!("cargo::rerun-if-changed=seed");
    println!("cargo::rerun-if-changed=src/db/contract.rs");
    println!("cargo::rerun-if-changed=src/db/migrate.rs");
    println!("cargo::rerun-if-changed=src/db/seed.rs");
    let mut conn = rusqlite::Connection::open_in_memory()?;
    migrate::migrate(&mut conn)?;
    seed::load(&mut conn, &seed::Seeds::Embedded)?;
    let image = conn.serialize(rusqlite::MAIN_DB)?;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("aiinfra.db");
    std::fs::write(out, &*image)?;
    Ok(())
}
