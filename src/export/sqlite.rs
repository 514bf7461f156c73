//! SQL that recreates the knowledge base in SQLite: the schema as `db build` writes it, every
//! row, the version and the application id.

use std::io::Write;

use anyhow::Result;

use super::{Dialect, dump_header, inserts, meta_inserts};
use crate::db::Db;
use crate::db::contract::every_table;

pub fn dump(db: &Db, out: &mut dyn Write) -> Result<()> {
    out.write_all(dump_header("SQLite", "sqlite3 NEW.db < this file").as_bytes())?;
    writeln!(out, "PRAGMA foreign_keys = OFF;\nBEGIN TRANSACTION;")?;
    // The schema as `db build` writes it, generated from the contract (the built-in
    // database holds a lean copy; a `--db` file's was checked to be this one, and the
    // search index a file built for Datasette adds is left out): a dump recreates the
    // knowledge base as a plain `db build` writes it.
    out.write_all(crate::db::schema::sqlite().as_bytes())?;
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
