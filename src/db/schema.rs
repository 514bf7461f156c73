//! The schema, generated from the contract: the SQLite DDL every database aiinfra builds
//! is made with, and the PostgreSQL DDL of `db dump --dialect postgres`. Types, required
//! columns, links, enumerations, the forms of ids, dates and codes, and the bounds of
//! numbers are all read from `contract.rs`, so a column is typed in one place.
//! `migrations/NNNN_schema.sql` holds the SQLite text for people and sqlite3 (a test
//! holds it to this; `AIINFRA_REGENERATE=1 cargo test --lib schema` writes it anew).
//! Nothing here opens a database.

use std::fmt::Write as _;

use super::contract::{Column, Kind, Min, REPORT_TABLES, TABLES, Table};

/// The schema version this build writes and reads, kept in `PRAGMA user_version`.
/// Raise it when the generated DDL changes, and keep the previous version's file in
/// `migrations/` so that its databases can still be read (see `migrate.rs`).
pub const VERSION: i32 = 6;

/// The SQL dialects the DDL is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// The table of where a database came from (`aiinfra --version` shows it for a file).
const META: &str = "aiinfra_meta";

/// The whole SQLite schema: every contract table (STRICT, with its checks, links and
/// a comment of each column's meaning), the meta table, and the citations view.
pub fn sqlite() -> String {
    let mut out = String::new();
    for table in TABLES.iter().chain(REPORT_TABLES) {
        out.push_str(&create_table(table, Dialect::Sqlite));
        out.push('\n');
    }
    out.push_str(&meta_table(Dialect::Sqlite));
    out.push('\n');
    out.push_str(&citations_view());
    out.push_str(";\n");
    out
}

/// The schema of the built-in database alone, which a run parses at every start: the
/// same tables, columns and types, the citations view's rows as a table, and none of
/// the keys, NOT NULLs, CHECKs, links and comments (the build loaded every row into the full schema first, so none can
/// fail them). Files, dumps, `schema` and the check of a `--db` file use the full one.
pub fn sqlite_lean() -> String {
    let mut out = String::new();
    for table in TABLES.iter().chain(REPORT_TABLES) {
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("{} {}", c.name, c.kind.sql_type()))
            .collect();
        let _ = writeln!(
            out,
            "CREATE TABLE {} ({}) STRICT;",
            table.name,
            columns.join(", ")
        );
    }
    let _ = writeln!(out, "CREATE TABLE {META} (key TEXT, value TEXT) STRICT;");
    // The citations view's rows, kept as a table: a view of thirteen SELECTs costs
    // every start a tenth of the chips query to parse; its rows cost nothing until read.
    out.push_str(
        "CREATE TABLE citations (entity TEXT, id TEXT, source_id TEXT, quote TEXT) STRICT;\n",
    );
    out
}

/// The PostgreSQL tables and the meta table (the citations view comes after the rows).
pub fn postgres_tables() -> String {
    let mut out = String::new();
    for table in TABLES.iter().chain(REPORT_TABLES) {
        out.push_str(&create_table(table, Dialect::Postgres));
    }
    out.push_str(&meta_table(Dialect::Postgres));
    out
}

/// `migrations/NNNN_schema.sql` for this version: a header, then `sqlite()`.
pub fn migration_file() -> String {
    format!(
        "-- aiinfra schema version {VERSION}, generated from src/db/contract.rs (do not edit:\n\
         -- `AIINFRA_REGENERATE=1 cargo test --lib schema` writes it anew). Apply it with\n\
         -- sqlite3 to make an empty knowledge base; then PRAGMA user_version = {VERSION}.\n\n{}",
        sqlite()
    )
}

fn create_table(table: &Table, dialect: Dialect) -> String {
    let width = table
        .columns
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "-- {}: {}\nCREATE TABLE {} (\n",
        table.name, table.doc, table.name
    );
    let last = table.columns.len().saturating_sub(1);
    for (i, c) in table.columns.iter().enumerate() {
        let mut line = format!("    {:width$} {}", c.name, sql_type(c.kind, dialect));
        if c.name == "id" {
            line.push_str(" PRIMARY KEY NOT NULL");
        } else if c.required {
            line.push_str(" NOT NULL");
        }
        let checks = checks(c, dialect);
        if !checks.is_empty() {
            let _ = write!(line, " CHECK ({})", checks.join(" AND "));
        }
        if let Some(t) = c.references {
            let _ = write!(line, " REFERENCES {t} (id)");
            if dialect == Dialect::Postgres {
                // Deferred, so rows may name a parent that comes later in a dump.
                line.push_str(" DEFERRABLE INITIALLY DEFERRED");
            }
        }
        if i < last {
            line.push(',');
        }
        if dialect == Dialect::Sqlite {
            let _ = write!(line, " -- {}", meaning(c));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(match dialect {
        Dialect::Sqlite => ") STRICT;\n",
        Dialect::Postgres => ");\n",
    });
    if dialect == Dialect::Postgres {
        let _ = writeln!(
            out,
            "COMMENT ON TABLE {} IS {};",
            table.name,
            quoted(table.doc)
        );
        for c in table.columns {
            let _ = writeln!(
                out,
                "COMMENT ON COLUMN {}.{} IS {};",
                table.name,
                c.name,
                quoted(&meaning(c))
            );
        }
    }
    out
}

fn meta_table(dialect: Dialect) -> String {
    match dialect {
        Dialect::Sqlite => format!(
            "-- {META}: where the file came from (aiinfra_version, data_edition, data_checksum, seeds, content_sha256)\n\
             CREATE TABLE {META} (\n    key   TEXT PRIMARY KEY NOT NULL,\n    value TEXT NOT NULL\n) STRICT;\n"
        ),
        Dialect::Postgres => {
            format!(
                "CREATE TABLE {META} (\n    key text PRIMARY KEY,\n    value text NOT NULL\n);\n"
            )
        }
    }
}

/// `citations`: one row per row that cites the report (its table, id, source and
/// quote), over every table of the contract with a `source_id` column.
pub fn citations_view() -> String {
    let selects: Vec<String> = TABLES
        .iter()
        .filter(|t| t.column("source_id").is_some())
        .map(|t| {
            format!(
                "SELECT '{0}' AS entity, id, source_id, quote FROM {0}",
                t.name
            )
        })
        .collect();
    format!(
        "CREATE VIEW citations AS\n{}",
        selects.join("\nUNION ALL\n")
    )
}

/// A column's meaning, unit and link, in one line (a comment, a description).
pub fn meaning(c: &Column) -> String {
    let mut text = c.doc.to_string();
    if let Some(unit) = c.unit {
        let _ = write!(text, " (unit: {unit})");
    }
    if let Some(t) = c.references {
        let _ = write!(text, " → {t}.id");
    }
    // A line comment ends at a line break: the contract's meanings have none.
    text.replace('\n', " ")
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn sql_type(kind: Kind, dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => kind.sql_type(),
        Dialect::Postgres => match kind {
            Kind::Integer => "bigint",
            Kind::Year => "integer",
            Kind::Real => "double precision",
            Kind::Bool => "boolean",
            _ => "text",
        },
    }
}

/// What a column's values must be, as SQL conditions: the form its kind takes, and its
/// bound.
fn checks(c: &Column, dialect: Dialect) -> Vec<String> {
    let n = c.name;
    let sqlite = dialect == Dialect::Sqlite;
    let year = "[12][0-9][0-9][0-9]";
    let mut out = Vec::new();
    match c.kind {
        Kind::Enum(values) => out.push(format!(
            "{n} IN ({})",
            values
                .iter()
                .map(|v| quoted(v))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        // A link's form is its target's id's (a foreign key); an id or a subject is
        // checked here.
        Kind::Slug if c.references.is_some() => {}
        Kind::Slug if sqlite => {
            out.push(format!(
                "{n} GLOB '[a-z0-9]*' AND {n} NOT GLOB '*[^a-z0-9.-]*'"
            ));
        }
        Kind::Slug => out.push(format!("{n} ~ '^[a-z0-9][a-z0-9.-]*$'")),
        Kind::Year => out.push(format!("{n} BETWEEN 1900 AND 2100")),
        Kind::Month if sqlite => out.push(format!(
            "{n} GLOB '{year}-0[1-9]' OR {n} GLOB '{year}-1[0-2]'"
        )),
        Kind::Month => out.push(format!("{n} ~ '^[12][0-9]{{3}}-(0[1-9]|1[0-2])$'")),
        Kind::Period if sqlite => out.push(format!(
            "{n} GLOB '{year}' OR {n} GLOB '{year}-0[1-9]' OR {n} GLOB '{year}-1[0-2]' OR {n} GLOB '{year}-H[12]'"
        )),
        Kind::Period => out.push(format!(
            "{n} ~ '^[12][0-9]{{3}}(-(0[1-9]|1[0-2]|H[12]))?$'"
        )),
        Kind::Country if sqlite => out.push(format!("{n} GLOB '[A-Z][A-Z]'")),
        Kind::Country => out.push(format!("{n} ~ '^[A-Z]{{2}}$'")),
        Kind::Currency if sqlite => out.push(format!("{n} GLOB '[A-Z][A-Z][A-Z]'")),
        Kind::Currency => out.push(format!("{n} ~ '^[A-Z]{{3}}$'")),
        Kind::Bool if sqlite => out.push(format!("{n} IN (0, 1)")),
        Kind::Bool | Kind::Text | Kind::Integer | Kind::Real => {}
    }
    match c.min {
        Some(Min::AtLeast(m)) => out.push(format!("{n} >= {m}")),
        Some(Min::Above(m)) => out.push(format!("{n} > {m}")),
        None => {}
    }
    // Each condition is parenthesised when there are several, so OR stays inside it.
    if out.len() > 1 {
        out.iter().map(|c| format!("({c})")).collect()
    } else {
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The file in migrations/ for this version is exactly what the contract generates;
    /// `AIINFRA_REGENERATE=1 cargo test --lib schema` writes it.
    #[test]
    fn schema_file_is_generated_from_the_contract() {
        generated(VERSION, &migration_file());
    }

    /// `migrations/NNNN_schema.sql` of `version` holds `want`; with `AIINFRA_REGENERATE`
    /// set, it is written so first.
    pub(crate) fn generated(version: i32, want: &str) {
        let path = format!(
            "{}/migrations/{version:04}_schema.sql",
            env!("CARGO_MANIFEST_DIR")
        );
        if std::env::var_os("AIINFRA_REGENERATE").is_some() {
            std::fs::write(&path, want).unwrap();
        }
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            found == want,
            "{path} is not what aiinfra generates; run `AIINFRA_REGENERATE=1 cargo test --lib schema` to write it"
        );
    }

    /// Every number column's bound and every kind's form is a CHECK: a value outside
    /// it is refused by SQLite itself.
    #[test]
    fn bounds_and_forms_are_checks() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(&sqlite()).unwrap();
        let ddl: String = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'chips'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        for part in [
            "process_nm > 0",
            "int8_tops >= 0",
            "id NOT GLOB '*[^a-z0-9.-]*'",
            "REFERENCES sources (id)",
            "-- integer (INT8) throughput (unit: TOPS)",
        ] {
            assert!(ddl.contains(part), "{part} not in {ddl}");
        }
        let pg = postgres_tables()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            pg.contains("page bigint NOT NULL CHECK (page >= 1)"),
            "{pg}"
        );
        assert!(pg.contains("params bigint CHECK (params > 0)"), "{pg}");
    }
}
