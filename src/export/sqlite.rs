//! SQL that recreates the knowledge base in SQLite: the schema as SQLite holds it, every
//! row, the version and the application id.

use std::io::Write;

use anyhow::Result;
use rusqlite::types::Value;

use super::{Dialect, dump_header, inserts, meta_inserts};
use crate::db::Db;
use crate::db::contract::every_table;
use crate::query::Query;

pub fn dump(db: &Db, out: &mut dyn Write) -> Result<()> {
    out.write_all(dump_header("SQLite", "sqlite3 NEW.db < this file").as_bytes())?;
    writeln!(out, "PRAGMA foreign_keys = OFF;\nBEGIN TRANSACTION;")?;
    // The schema, without the search index a file built for Datasette adds (fts.rs):
    // a dump recreates the knowledge base, as a plain `db build` writes it.
    let index = crate::db::fts::NAMES
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let ddl = db.fetch(&Query::new(
        format!("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT IN ({index}) ORDER BY type = 'view', rowid"),
        Vec::new(),
    ))?;
    for row in ddl.data {
        if let Some(Value::Text(statement)) = row.first() {
            writeln!(out, "{statement};")?;
        }
    }
    for table in every_table() {
        inserts(db, table, Dialect::Sqlite, out)?;
    }
    meta_inserts(db, out)?;
    writeln!(
        out,
        "PRAGMA user_version = {};\nPRAGMA application_id = {};\nCOMMIT;",
        crate::db::migrate::latest_version(),
        crate::db::migrate::APPLICATION_ID
    )?;
    Ok(())
}
