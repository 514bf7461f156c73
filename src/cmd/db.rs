//! `aiinfra db build` and `aiinfra db check`: write the knowledge base to a file, and
//! validate the seeds and their quotes. `db export` and `db dump` live in export.rs.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use rusqlite::types::Value;

use crate::cli::OutputArgs;
use crate::db::contract::TABLES;
use crate::db::{self, DataSource};
use crate::error::UsageError;
use crate::fsutil;
use crate::output::Rows;
use crate::report::Report;

const BUILD_EXAMPLES: &str = "\
Examples:
  aiinfra db build aiinfra.db
  aiinfra db build aiinfra.db --datasette && datasette aiinfra.db --metadata aiinfra.db.metadata.json
  aiinfra --seed-dir my-seeds db build corrected.db";

const CHECK_EXAMPLES: &str = "\
Examples:
  aiinfra db check
  aiinfra db check --report caict-ai-infrastructure-2021.txt
  aiinfra --seed-dir my-seeds db check";

/// Build, check, export or dump the knowledge base
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Write the knowledge base to a standalone SQLite file (sqlite3 and Datasette open it)
    #[command(after_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Validate the seeds: types, enumerations, required fields, unique ids, links, and every quote against the report
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Write every table as a file (CSV or JSON) plus a README of its columns and units
    #[command(after_help = super::export::EXPORT_EXAMPLES)]
    Export(super::export::ExportArgs),
    /// Print SQL that recreates the knowledge base in SQLite or PostgreSQL
    #[command(after_help = super::export::DUMP_EXAMPLES)]
    Dump(super::export::DumpArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The database file to write (replaced whole if it exists)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Also write FILE.metadata.json for Datasette: titles, descriptions, column meanings and units
    #[arg(long)]
    pub datasette: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Check the quotes against this copy of the report's raw extraction (the errata are applied to it) instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Write the database to `args.file`; return a one-line summary.
pub fn build(source: &DataSource, args: &BuildArgs) -> Result<String> {
    let Some(seeds) = source.seeds() else {
        return Err(UsageError(
            "db build writes a database from seeds; use --seed-dir DIR or the built-in data, not --db".into(),
        )
        .into());
    };
    let (mut conn, loaded) = db::open::build(&seeds)?;
    let tables = &loaded.tables;
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    let image = conn.serialize(rusqlite::MAIN_DB)?;
    fsutil::write_atomic(&args.file, |w| Ok(w.write_all(&image)?))?;
    let mut summary = format!(
        "wrote {}: {} tables, {rows} rows, schema version {}",
        args.file.display(),
        tables.len(),
        db::migrate::latest_version()
    );
    if args.datasette {
        let meta = super::export::metadata_path(&args.file);
        let json = super::export::datasette_metadata(&args.file, &conn)?;
        fsutil::write_atomic(&meta, |w| Ok(w.write_all(json.as_bytes())?))?;
        summary.push_str(&format!("; and {}", meta.display()));
    }
    Ok(summary)
}

pub use super::export::{dump, export};

/// One row to check: where it is, its table and id, and its quote.
struct Quoted {
    place: String,
    table: &'static str,
    id: String,
    quote: Option<String>,
}

/// Validate, then check quotes; return a summary per table, or every problem.
pub fn check(source: &DataSource, args: &CheckArgs) -> Result<Rows> {
    // The built-in corrected report, or another copy of the raw extraction with the
    // same errata applied.
    let owned;
    let report: &Report = match &args.report {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the report {}", path.display()))?;
            let errata = crate::report::errata()?;
            let shown = path.display().to_string();
            owned = Report::new(crate::report::apply(&text, &errata, &shown).map_err(|p| {
                anyhow::anyhow!(
                    "{shown} is not the text the errata correct (is it the report's extraction?):\n  {p}"
                )
            })?);
            &owned
        }
        None => crate::report::corrected()?,
    };
    let quoted = match source.seeds() {
        Some(seeds) => from_seeds(&seeds)?,
        None => from_database(source)?,
    };
    let mut problems = Vec::new();
    let mut data = Vec::new();
    for table in TABLES {
        let rows: Vec<&Quoted> = quoted.iter().filter(|q| q.table == table.name).collect();
        let with_quote = rows.iter().filter(|q| q.quote.is_some()).count();
        let mut found = 0;
        for row in &rows {
            match &row.quote {
                None if table.quoted() => problems.push(format!(
                    "{}: {} {}: no quote",
                    row.place, table.name, row.id
                )),
                Some(quote) => {
                    if report.contains(quote) {
                        found += 1;
                    } else {
                        problems.push(format!(
                            "{}: {} {}: quote not found in the report: {}",
                            row.place,
                            table.name,
                            row.id,
                            db::seed::show(quote)
                        ));
                    }
                }
                _ => {}
            }
        }
        let count = |n: usize| Value::Integer(n as i64);
        data.push(vec![
            Value::Text(table.name.to_string()),
            count(rows.len()),
            count(with_quote),
            count(found),
        ]);
    }
    if !problems.is_empty() {
        let n = problems.len();
        bail!(
            "{n} row{} with a missing or unfound quote:\n  {}",
            if n == 1 { "" } else { "s" },
            problems.join("\n  ")
        );
    }
    Ok(Rows {
        columns: ["table", "rows", "quoted", "found_in_report"]
            .map(String::from)
            .to_vec(),
        kinds: vec![None; 4],
        data,
    })
}

fn from_seeds(seeds: &db::seed::Seeds) -> Result<Vec<Quoted>> {
    // Building runs every check, SQLite's own constraints included.
    let (_conn, loaded) = db::open::build(seeds)?;
    let mut out = Vec::new();
    for seed in &loaded.tables {
        for row in &seed.rows {
            let text = |c| match seed.get(row, c) {
                Some(Value::Text(s)) => Some(s.clone()),
                _ => None,
            };
            out.push(Quoted {
                place: format!("{}:{}", seed.shown, row.line),
                table: seed.table.name,
                id: text("id").unwrap_or_default(),
                quote: text("quote"),
            });
        }
    }
    Ok(out)
}

fn from_database(source: &DataSource) -> Result<Vec<Quoted>> {
    let conn = db::open(source)?;
    let place = match source {
        DataSource::File(path) => path.display().to_string(),
        _ => "database".to_string(),
    };
    let mut out = Vec::new();
    for table in TABLES {
        // Table names come from the contract, never from input.
        let sql = format!("SELECT id, quote FROM {} ORDER BY id", table.name);
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        for row in rows {
            let (id, quote) = row?;
            out.push(Quoted {
                place: place.clone(),
                table: table.name,
                id,
                quote,
            });
        }
    }
    Ok(out)
}
