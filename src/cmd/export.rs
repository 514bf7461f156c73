//! `aiinfra db export DIR` (every table as CSV or JSON, with a README of its columns),
//! `aiinfra db dump` (SQL for SQLite or PostgreSQL) and the Datasette metadata of
//! `db build --datasette`. All of them read the open knowledge base and describe it
//! from the contract, where each column's meaning and unit are written once.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::cli::OutputArgs;
use crate::db::contract::{Kind, TABLES, Table};
use crate::db::{self, DataSource};
use crate::fsutil;
use crate::output::{self, Format, Rows};

pub const EXPORT_EXAMPLES: &str = "\
Examples:
  aiinfra db export out/                  # out/chips.csv … out/facts.csv, out/README.md
  aiinfra db export out/ --format json
  aiinfra db export out/ --excel          # CSV with a byte-order mark and CRLF, for Excel
  aiinfra --seed-dir out/ chips           # an export loads back as seeds";

pub const DUMP_EXAMPLES: &str = "\
Examples:
  aiinfra db dump > aiinfra.sql && sqlite3 copy.db < aiinfra.sql
  aiinfra db dump --dialect postgres | psql aiinfra
  aiinfra db dump --dialect postgres --output aiinfra.pg.sql";

/// `db export` options.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The directory to write into (created if missing)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// File format of the tables
    #[arg(long, short = 'f', value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,

    /// CSV for Excel: UTF-8 byte-order mark and CRLF line ends
    #[arg(long)]
    pub excel: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// `db dump` options.
#[derive(Debug, clap::Args)]
pub struct DumpArgs {
    /// The SQL dialect to write
    #[arg(long, value_enum, default_value_t = Dialect::Sqlite)]
    pub dialect: Dialect,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// Every row of a table, in the order it was loaded (the report's order).
fn table_rows(conn: &Connection, table: &Table) -> Result<Rows> {
    // Table names come from the contract, never from input.
    let query = crate::query::Query {
        sql: format!("SELECT * FROM {} ORDER BY rowid", table.name),
        params: Vec::new(),
        kinds: table.columns.iter().map(|c| Some(c.kind)).collect(),
    };
    crate::fetch(conn, &query)
}

/// Write every table and a README into `args.dir`; return a summary line.
pub fn export(source: &DataSource, args: &ExportArgs) -> Result<String> {
    let conn = db::open(source)?;
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    let (format, ext) = match args.format {
        ExportFormat::Csv => (Format::Csv, "csv"),
        ExportFormat::Json => (Format::Json, "json"),
    };
    if args.excel && args.format != ExportFormat::Csv {
        return Err(crate::error::UsageError("--excel works with --format csv".into()).into());
    }
    let opts = output::Options {
        format,
        excel: args.excel,
        ..output::Options::default()
    };
    let mut rows = 0;
    for table in TABLES {
        let data = table_rows(&conn, table)?;
        rows += data.data.len();
        let path = args.dir.join(format!("{}.{ext}", table.name));
        fsutil::write_atomic(&path, |w| Ok(output::render(&data, &opts, w)?))?;
    }
    let readme = readme(&conn, ext)?;
    fsutil::write_atomic(&args.dir.join("README.md"), |w| {
        Ok(w.write_all(readme.as_bytes())?)
    })?;
    Ok(format!(
        "wrote {} tables ({rows} rows) as {ext} and README.md to {}",
        TABLES.len(),
        args.dir.display()
    ))
}

fn column_meaning(c: &crate::db::contract::Column) -> String {
    let mut text = c.doc.to_string();
    if let Some(unit) = c.unit {
        text.push_str(&format!(" (unit: {unit})"));
    }
    if let Some(t) = c.references {
        text.push_str(&format!(" → {t}.id"));
    }
    text
}

/// The README of an export: what the files are and what every column means.
fn readme(conn: &Connection, ext: &str) -> Result<String> {
    let meta: std::collections::BTreeMap<String, String> =
        db::open::meta(conn)?.into_iter().collect();
    let get = |k: &str| meta.get(k).cloned().unwrap_or_default();
    let mut out = format!(
        "# aiinfra export\n\n\
         The knowledge base of aiinfra {}: {}, transcribed into one {ext} file per table. \
         Every row names its source in the report (`source_id`, see sources.{ext}) and quotes it (`quote`).\n\n\
         Data checksum (SHA-256 of the seeds): `{}`.\n\n\
         CSV files have a header row; an empty cell is unknown; numbers are plain (no units, no separators); \
         booleans are true or false. A CSV export loads back with `aiinfra --seed-dir DIR`.\n",
        get("aiinfra_version"),
        get("data_edition"),
        get("data_checksum"),
    );
    for table in TABLES {
        out.push_str(&format!(
            "\n## {}.{ext}\n\n{}.\n\n| column | type | unit | meaning |\n|---|---|---|---|\n",
            table.name, table.doc
        ));
        for c in table.columns {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                c.name,
                c.kind.describe().replace('|', "\\|"),
                c.unit.unwrap_or(""),
                column_meaning(c).replace('|', "\\|")
            ));
        }
    }
    Ok(out)
}

/// Where `db build FILE --datasette` writes the metadata.
pub fn metadata_path(file: &Path) -> PathBuf {
    let mut name = file
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".metadata.json");
    file.with_file_name(name)
}

/// Datasette's metadata.json: titles, source, licence note, and per table a
/// description and each column's meaning and unit.
pub fn datasette_metadata(file: &Path, conn: &Connection) -> Result<String> {
    use serde_json::{Map, Value as J, json};
    let database = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "aiinfra".into());
    let meta: std::collections::BTreeMap<String, String> =
        db::open::meta(conn)?.into_iter().collect();
    let mut tables = Map::new();
    for table in TABLES {
        let columns: Map<String, J> = table
            .columns
            .iter()
            .map(|c| (c.name.to_string(), J::String(column_meaning(c))))
            .collect();
        tables.insert(
            table.name.to_string(),
            json!({ "description": table.doc, "columns": columns }),
        );
    }
    tables.insert(
        "citations".into(),
        json!({ "description": "every cited row: its table, id, source and quote (a view)" }),
    );
    tables.insert(
        "aiinfra_meta".into(),
        json!({ "description": "where this file came from: aiinfra version, data edition, seed checksum" }),
    );
    let doc = json!({
        "title": "aiinfra: China's AI infrastructure",
        "description": format!(
            "The CAICT report {} as a queryable knowledge base. Every row has a source_id (a table, figure, section or footnote of the report, with its page in sources) and a verbatim quote. Data checksum {}.",
            meta.get("data_edition").map_or("", |s| s.as_str()),
            meta.get("data_checksum").map_or("", |s| s.as_str()),
        ),
        "source": "中国信息通信研究院 (CAICT), 人工智能基础设施发展态势报告(2021年), January 2022",
        "source_url": "http://www.caict.ac.cn/",
        "license": "Report © 中国信息通信研究院 and 人工智能与经济社会研究中心; reuse must credit 来源:中国信息通信研究院和人工智能与经济社会研究中心 (the report's 版权声明)",
        "databases": { database: { "tables": tables } },
    });
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// A value as a SQL literal.
fn literal(v: &Value, kind: Option<Kind>, dialect: Dialect) -> String {
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
        // {:?} keeps a decimal point or exponent, so the value stays a REAL.
        Value::Real(x) => format!("{x:?}"),
        Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Blob(b) => match dialect {
            Dialect::Sqlite => format!(
                "x'{}'",
                b.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
            Dialect::Postgres => format!(
                "'\\x{}'",
                b.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
        },
    }
}

fn inserts(conn: &Connection, table: &Table, dialect: Dialect, out: &mut dyn Write) -> Result<()> {
    let rows = table_rows(conn, table)?;
    let names = table.column_names().collect::<Vec<_>>().join(", ");
    for row in &rows.data {
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

fn meta_inserts(conn: &Connection, out: &mut dyn Write) -> Result<()> {
    for (key, value) in db::open::meta(conn)? {
        writeln!(
            out,
            "INSERT INTO aiinfra_meta (key, value) VALUES ({}, {});",
            literal(&Value::Text(key), None, Dialect::Sqlite),
            literal(&Value::Text(value), None, Dialect::Sqlite)
        )?;
    }
    Ok(())
}

/// SQL that recreates the knowledge base.
pub fn dump(conn: &Connection, args: &DumpArgs, out: &mut dyn Write) -> Result<()> {
    match args.dialect {
        Dialect::Sqlite => dump_sqlite(conn, out),
        Dialect::Postgres => dump_postgres(conn, out),
    }
}

fn dump_sqlite(conn: &Connection, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "-- aiinfra {} knowledge base, for SQLite (sqlite3 NEW.db < this file)",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, "PRAGMA foreign_keys = OFF;\nBEGIN TRANSACTION;")?;
    let mut stmt = conn.prepare(
        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type = 'view', rowid",
    )?;
    let ddl: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for statement in ddl {
        writeln!(out, "{statement};")?;
    }
    for table in TABLES {
        inserts(conn, table, Dialect::Sqlite, out)?;
    }
    meta_inserts(conn, out)?;
    writeln!(
        out,
        "PRAGMA user_version = {};\nPRAGMA application_id = {};\nCOMMIT;",
        db::migrate::latest_version(),
        db::migrate::APPLICATION_ID
    )?;
    Ok(())
}

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

fn dump_postgres(conn: &Connection, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "-- aiinfra {} knowledge base, for PostgreSQL (psql DB < this file)",
        env!("CARGO_PKG_VERSION")
    )?;
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
        inserts(conn, table, Dialect::Postgres, out)?;
    }
    meta_inserts(conn, out)?;
    let view: String = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'view' AND name = 'citations'",
        [],
        |r| r.get(0),
    )?;
    writeln!(out, "{view};\nCOMMIT;")?;
    Ok(())
}
