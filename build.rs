//! Builds the embedded database image: migrations/ and seed/ loaded by the same code the
//! binary uses (src/db/{contract,migrate,seed,derived}, src/units.rs, src/text.rs, and
//! src/{report,passages}.rs for the report tables), then
//! serialized into OUT_DIR. The binary deserializes it at start, which is faster than
//! parsing the CSVs every run. Invalid seeds fail the build with the loader's own
//! messages. It also lists the seed files to embed, one per table of the contract.

#[allow(dead_code)]
#[path = "src/bigrams.rs"]
mod bigrams;
#[allow(dead_code)]
#[path = "src/db/contract.rs"]
mod contract;
#[allow(dead_code)]
#[path = "src/db/derived.rs"]
mod derived;
#[allow(dead_code)]
#[path = "src/db/error.rs"]
mod error;
#[allow(dead_code)]
#[path = "src/fold.rs"]
mod fold;
#[allow(dead_code)]
#[path = "src/input.rs"]
mod input;
#[allow(dead_code)]
#[path = "src/db/migrate.rs"]
mod migrate;
#[allow(dead_code)]
#[path = "src/passages.rs"]
mod passages;
#[allow(dead_code)]
#[path = "src/report.rs"]
mod report;
#[allow(dead_code)]
#[path = "src/db/schema.rs"]
mod schema;
#[allow(dead_code)]
#[path = "src/db/seed/mod.rs"]
mod seed;
#[allow(dead_code)]
#[path = "src/text.rs"]
mod text;
#[allow(dead_code)]
#[path = "src/units.rs"]
mod units;

/// The build script reads the seeds from seed/; the binary's list of embedded files
/// is what this script writes.
mod embedded {
    pub static EMBEDDED: &[(&str, &[u8])] = &[];
}

use std::fmt::Write as _;
use std::path::PathBuf;

/// A copy of `full` (every table and the meta rows) under the lean schema, stamped
/// with the same version and application id.
fn lean_copy(full: &rusqlite::Connection) -> anyhow::Result<rusqlite::Connection> {
    let lean = rusqlite::Connection::open_in_memory()?;
    lean.execute_batch(&schema::sqlite_lean())?;
    let tables: Vec<&str> = contract::every_table()
        .map(|t| t.name)
        .chain(["aiinfra_meta", "citations"])
        .collect();
    let tx = lean.unchecked_transaction()?;
    for table in tables {
        // (A view has no rowid: its rows come in the view's own order.)
        let order = if table == "citations" {
            ""
        } else {
            " ORDER BY rowid"
        };
        let mut read = full.prepare(&format!("SELECT * FROM {table}{order}"))?;
        let width = read.column_count();
        let marks = (1..=width)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut write = tx.prepare(&format!("INSERT INTO {table} VALUES ({marks})"))?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let values: Vec<rusqlite::types::Value> = (0..width)
                .map(|i| row.get(i))
                .collect::<rusqlite::Result<_>>()?;
            write.execute(rusqlite::params_from_iter(values))?;
        }
    }
    tx.commit()?;
    lean.pragma_update(None, "user_version", schema::VERSION)?;
    lean.pragma_update(None, "application_id", migrate::APPLICATION_ID)?;
    Ok(lean)
}

fn main() -> anyhow::Result<()> {
    for watched in [
        "migrations",
        "seed",
        "src/db",
        "src/units.rs",
        "src/text.rs",
        "src/report.rs",
        "src/passages.rs",
        "src/fold.rs",
        "src/bigrams.rs",
        "report",
    ] {
        println!("cargo::rerun-if-changed={watched}");
    }
    // On Linux with glibc the binary is linked at a fixed address, not as a
    // position-independent executable: the loader then has none of its ~9,000 relative
    // relocations to apply at every start, nor the pages they would dirty (issue 21:
    // `chips --min-int8 200` 1.85M → 1.74M instructions, 269 → 227 page faults). Only
    // the binary is: tests and proc-macros link as before. What it gives up: the
    // executable's own code is not placed at a random address (libraries, stack and
    // heap still are).
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);

    let mut list = String::from(
        "/// Every table's seed CSV, in contract order.\npub static EMBEDDED: &[(&str, &[u8])] = &[\n",
    );
    for table in contract::TABLES {
        let path = root.join("seed").join(format!("{}.csv", table.name));
        writeln!(
            list,
            "    ({:?}, include_bytes!({:?})),",
            table.name,
            path.display().to_string()
        )?;
    }
    list.push_str("];\n");
    std::fs::write(out.join("seeds.rs"), list)?;

    let mut conn = rusqlite::Connection::open_in_memory()?;
    migrate::create(&mut conn)?;
    // The same files the binary embeds, read from seed/ (shown as seed/<table>.csv).
    let mut loaded = seed::read(&seed::Seeds::Dir(PathBuf::from("seed")))?;
    loaded.origin = "built-in";
    seed::insert(&mut conn, &loaded)?;
    // Every row went through the full schema's checks; the image a run opens holds
    // them under the lean one, which is quicker to parse at every start.
    let mut lean = lean_copy(&conn)?;
    let image = lean.serialize(rusqlite::MAIN_DB)?;
    std::fs::write(out.join("aiinfra.db"), &*image)?;

    // The schema a file of this version must have, entry for entry: a --db file with
    // another table, a view or a trigger is refused before any of it runs.
    let rows = migrate::entries(&conn, "main")?;
    let mut schema = String::from(
        "/// The schema of this version, as `SCHEMA_QUERY` lists it.\npub static SCHEMA: &[(&str, &str, &str, Option<&str>)] = &[\n",
    );
    for (kind, name, table, sql) in rows {
        writeln!(schema, "    ({kind:?}, {name:?}, {table:?}, {sql:?}),")?;
    }
    schema.push_str("];\n");
    std::fs::write(out.join("schema.rs"), schema)?;

    prebuild(&conn, &out)?;
    Ok(())
}

/// What a run would otherwise compute from the repository's files, computed once
/// here (see src/prebuilt.rs): the corrected report and where each source stands in
/// it, the passages' search index, and every name the resolver compares, folded.
fn prebuild(conn: &rusqlite::Connection, out: &std::path::Path) -> anyhow::Result<()> {
    let report = report::corrected().map_err(|p| anyhow::anyhow!("{p}"))?;
    std::fs::write(out.join("corrected.txt"), report.text())?;

    let mut code = String::new();
    let sources = derived::sources(conn)?;
    let parts = passages::Parts::new(report, &sources);
    code.push_str(
        "/// Where each source stands in the corrected report: id, start, end (bytes).\npub static PARTS: &[(&str, usize, usize)] = &[\n",
    );
    for s in &sources {
        if let Some(r) = parts.range(&s.id) {
            writeln!(code, "    ({:?}, {}, {}),", s.id, r.start, r.end)?;
        }
    }
    code.push_str("];\n");

    // Every name the resolver compares: table, id, names, and the id and names folded.
    code.push_str(
        "/// Every row's id and names, and the same folded: table, id, names, folded.\npub static CANDIDATES: &[(&str, &str, &[&str], &[&str])] = &[\n",
    );
    for table in contract::TABLES {
        let sql = match table.label_columns() {
            Some((zh, en)) => format!("SELECT id, {zh}, {en} FROM {} ORDER BY rowid", table.name),
            None => format!("SELECT id FROM {} ORDER BY rowid", table.name),
        };
        let mut stmt = conn.prepare(&sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let texts: Vec<String> = (0..width)
                .filter_map(|i| row.get::<_, Option<String>>(i).ok().flatten())
                .collect();
            let Some((id, names)) = texts.split_first() else {
                continue;
            };
            let folded: Vec<String> = texts.iter().map(|t| fold::fold(t)).collect();
            writeln!(
                code,
                "    ({:?}, {id:?}, &{names:?}, &{folded:?}),",
                table.name
            )?;
        }
    }
    code.push_str("];\n");
    std::fs::write(out.join("prebuilt.rs"), code)?;

    // The passages' search index, rowid = position, as db/fulltext.rs makes one.
    let (found, _) = derived::expected(conn)?;
    let mut index = rusqlite::Connection::open_in_memory()?;
    index.execute_batch(bigrams::INDEX_DDL)?;
    {
        let tx = index.transaction()?;
        let mut insert = tx.prepare("INSERT INTO idx (rowid, body) VALUES (?1, ?2)")?;
        for p in &found {
            insert.execute(rusqlite::params![p.position, bigrams::indexed(&p.text)])?;
        }
        let digest = bigrams::digest(found.iter().map(|p| (p.position, p.text.as_str())));
        std::fs::write(out.join("passages_digest.txt"), digest)?;
        drop(insert);
        tx.commit()?;
    }
    index.execute_batch("INSERT INTO idx (idx) VALUES ('optimize'); VACUUM;")?;
    let image = index.serialize(rusqlite::MAIN_DB)?;
    std::fs::write(out.join("passages_index.db"), &*image)?;
    Ok(())
}
