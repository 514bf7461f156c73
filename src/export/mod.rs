//! The knowledge base written out for other tools: every table as files (`files`), the
//! Datasette metadata (`datasette`), and SQL that recreates it in SQLite (`sqlite`) or
//! PostgreSQL (`postgres`). All of them read the open knowledge base through the one
//! execution path and describe it from the contract, where each column's meaning and
//! unit are written once; every one carries the report's attribution.

pub mod datasette;
pub mod files;
pub mod postgres;
pub mod sqlite;

use anyhow::Result;
use rusqlite::types::Value;

use crate::db::Db;
use crate::db::contract::{Kind, Table};
use crate::output::Rows;
use crate::query::Query;

/// Every row of a table, in the order it was loaded (the report's order).
pub fn table_rows(db: &Db, table: &'static Table) -> Result<Rows> {
    // Table names come from the contract, never from input.
    let mut query = Query::new(
        format!("SELECT * FROM {} ORDER BY rowid", table.name),
        Vec::new(),
    );
    query.tables = vec![table];
    db.fetch(&query)
}

/// The SQL dialect of a dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A value as a SQL literal.
pub fn literal(v: &Value, kind: Option<Kind>, dialect: Dialect) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(n) if kind == Some(Kind::Bool) && dialect == Dialect::Postgres => {
            if *n != 0 {
                "TRUE".into()
            } else {
                "FALSE".into()
            }
        }
        Value::Integer(n) => n.to_string(),
        // Infinity has no literal: SQLite reads 9e999 as it, PostgreSQL 'Infinity'.
        Value::Real(x) if x.is_infinite() => match (dialect, *x > 0.0) {
            (Dialect::Sqlite, true) => "9e999".into(),
            (Dialect::Sqlite, false) => "-9e999".into(),
            (Dialect::Postgres, true) => "'Infinity'".into(),
            (Dialect::Postgres, false) => "'-Infinity'".into(),
        },
        // {:?} keeps a decimal point or exponent, so the value stays a REAL.
        Value::Real(x) => format!("{x:?}"),
        // A NUL ends a string for the sqlite3 shell's reader: such text is written as
        // its bytes, cast back to text. (PostgreSQL text cannot hold a NUL at all;
        // `inserts` refuses it.)
        Value::Text(s) if s.contains('\0') && dialect == Dialect::Sqlite => {
            format!("CAST(x'{}' AS TEXT)", crate::text::hex(s.as_bytes()))
        }
        Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Blob(b) => {
            let hex = crate::text::hex(b);
            match dialect {
                Dialect::Sqlite => format!("x'{hex}'"),
                Dialect::Postgres => format!("'\\x{hex}'"),
            }
        }
    }
}

/// `INSERT` statements for every row of `table`.
pub fn inserts(
    db: &Db,
    table: &'static Table,
    dialect: Dialect,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let rows = table_rows(db, table)?;
    let names = table.column_names().collect::<Vec<_>>().join(", ");
    for row in &rows.data {
        if dialect == Dialect::Postgres
            && let Some((value, column)) = row
                .iter()
                .zip(table.columns)
                .find(|(v, _)| matches!(v, Value::Text(s) if s.contains('\0')))
        {
            let id = match &row[0] {
                Value::Text(id) => id.clone(),
                _ => String::new(),
            };
            let _ = value;
            anyhow::bail!(
                "{}.{} of {id:?} holds a NUL character, which PostgreSQL text cannot hold; the file was not written by `aiinfra db build` from valid seeds",
                table.name,
                column.name
            );
        }
        let values: Vec<String> = row
            .iter()
            .zip(table.columns)
            .map(|(v, c)| literal(v, Some(c.kind), dialect))
            .collect();
        writeln!(
            out,
            "INSERT INTO {} ({names}) VALUES ({});",
            table.name,
            values.join(", ")
        )?;
    }
    Ok(())
}

/// `INSERT` statements for the `aiinfra_meta` rows.
pub fn meta_inserts(db: &Db, out: &mut dyn std::io::Write) -> Result<()> {
    for (key, value) in crate::db::open::meta(db)? {
        writeln!(
            out,
            "INSERT INTO aiinfra_meta (key, value) VALUES ({}, {});",
            literal(&Value::Text(key), None, Dialect::Sqlite),
            literal(&Value::Text(value), None, Dialect::Sqlite)
        )?;
    }
    Ok(())
}

/// A comment line for the head of a dump: what it is and the report's attribution.
pub fn dump_header(dialect: &str, load: &str) -> String {
    format!(
        "-- aiinfra {} knowledge base, for {dialect} ({load})\n-- {}\n",
        env!("CARGO_PKG_VERSION"),
        crate::report::credit()
    )
}
