//! SQL that recreates the knowledge base in PostgreSQL: tables from the contract (types,
//! NOT NULL, CHECKs for enumerations and dates, deferred foreign keys, comments with each
//! column's meaning), every row, and the citations view.

use std::io::Write;

use anyhow::Result;
use rusqlite::types::Value;

use super::{Dialect, column_meaning, dump_header, inserts, literal, meta_inserts};
use crate::db::Db;
use crate::db::contract::{Kind, TABLES};
use crate::query::Query;

fn pg_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer => "bigint",
        Kind::Year => "integer",
        Kind::Real => "double precision",
        Kind::Bool => "boolean",
        _ => "text",
    }
}

fn pg_check(name: &str, kind: Kind) -> Option<String> {
    match kind {
        Kind::Enum(values) => Some(format!(
            "CHECK ({name} IN ({}))",
            values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Kind::Year => Some(format!("CHECK ({name} BETWEEN 1900 AND 2100)")),
        Kind::Month => Some(format!(
            "CHECK ({name} ~ '^[12][0-9]{{3}}-(0[1-9]|1[0-2])$')"
        )),
        Kind::Period => Some(format!(
            "CHECK ({name} ~ '^[12][0-9]{{3}}(-(0[1-9]|1[0-2]|H[12]))?$')"
        )),
        Kind::Country => Some(format!("CHECK ({name} ~ '^[A-Z]{{2}}$')")),
        Kind::Currency => Some(format!("CHECK ({name} ~ '^[A-Z]{{3}}$')")),
        _ => None,
    }
}

pub fn dump(db: &Db, out: &mut dyn Write) -> Result<()> {
    out.write_all(dump_header("PostgreSQL", "psql DB < this file").as_bytes())?;
    writeln!(out, "BEGIN;\nSET client_encoding = 'UTF8';")?;
    for table in TABLES {
        let mut lines = Vec::new();
        for c in table.columns {
            let mut line = format!("    {} {}", c.name, pg_type(c.kind));
            if c.name == "id" {
                line.push_str(" PRIMARY KEY");
            } else if c.required {
                line.push_str(" NOT NULL");
            }
            if let Some(check) = pg_check(c.name, c.kind) {
                line.push(' ');
                line.push_str(&check);
            }
            if let Some(t) = c.references {
                // Deferred, so rows may name a parent that comes later in the dump.
                line.push_str(&format!(
                    " REFERENCES {t} (id) DEFERRABLE INITIALLY DEFERRED"
                ));
            }
            lines.push(line);
        }
        writeln!(
            out,
            "CREATE TABLE {} (\n{}\n);",
            table.name,
            lines.join(",\n")
        )?;
        writeln!(
            out,
            "COMMENT ON TABLE {} IS {};",
            table.name,
            literal(&Value::Text(table.doc.into()), None, Dialect::Postgres)
        )?;
        for c in table.columns {
            writeln!(
                out,
                "COMMENT ON COLUMN {}.{} IS {};",
                table.name,
                c.name,
                literal(&Value::Text(column_meaning(c)), None, Dialect::Postgres)
            )?;
        }
    }
    writeln!(
        out,
        "CREATE TABLE aiinfra_meta (\n    key text PRIMARY KEY,\n    value text NOT NULL\n);"
    )?;
    for table in TABLES {
        inserts(db, table, Dialect::Postgres, out)?;
    }
    meta_inserts(db, out)?;
    let view = db.fetch(&Query::new(
        "SELECT sql FROM sqlite_schema WHERE type = 'view' AND name = 'citations'",
        Vec::new(),
    ))?;
    if let Some(Value::Text(view)) = view.data.first().and_then(|r| r.first()) {
        writeln!(out, "{view};")?;
    }
    writeln!(out, "COMMIT;")?;
    Ok(())
}
