//! SQL that recreates the knowledge base in PostgreSQL: tables from the contract (types,
//! NOT NULL, CHECKs for enumerations and dates, deferred foreign keys, comments with each
//! column's meaning), every row, and the citations view.

use std::io::Write;

use anyhow::Result;

use super::{Dialect, dump_header, inserts, meta_inserts};
use crate::db::Db;
use crate::db::contract::every_table;

pub fn dump(db: &Db, out: &mut dyn Write) -> Result<()> {
    out.write_all(dump_header("PostgreSQL", "psql DB < this file").as_bytes())?;
    writeln!(
        out,
        "-- passages holds the report's text as a plain table: no full-text index (SQLite's\n         -- FTS5 has no PostgreSQL equivalent here; add one with to_tsvector if you need it)."
    )?;
    writeln!(out, "BEGIN;\nSET client_encoding = 'UTF8';")?;
    out.write_all(crate::db::schema::postgres_tables().as_bytes())?;
    for table in every_table() {
        inserts(db, table, Dialect::Postgres, out)?;
    }
    meta_inserts(db, out)?;
    // The view as the contract makes it (the built-in data keeps its rows as a table).
    writeln!(out, "{};", crate::db::schema::citations_view())?;
    writeln!(out, "COMMIT;")?;
    Ok(())
}
