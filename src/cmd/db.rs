//! `aiinfra db build|check|export|dump`: write the knowledge base to a SQLite file,
//! validate the seeds and every quote against the report, write every table as files,
//! or print SQL that recreates it. The formats themselves live in `export/`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use super::{CommandDef, Ctx, GroupDef, Output, Prints, View};
use crate::db::contract::{Kind, TABLES};
use crate::db::{self, DataSource};
use crate::error::UsageError;
use crate::export::{self, Dialect};
use crate::fsutil;
use crate::output::{Column, Format, Rows};
use crate::report::Report;

pub static GROUP: GroupDef = GroupDef {
    name: "db",
    about: "Build, check, export or dump the knowledge base",
    commands: &[
        CommandDef::new(
            "build",
            BUILD,
            BUILD_EXAMPLES,
            BuildArgs::augment_args,
            build,
        )
        .prints(Prints::Nothing),
        CommandDef::new(
            "check",
            CHECK,
            CHECK_EXAMPLES,
            CheckArgs::augment_args,
            check,
        ),
        CommandDef::new(
            "export",
            EXPORT,
            EXPORT_EXAMPLES,
            ExportArgs::augment_args,
            export_files,
        )
        .prints(Prints::Nothing),
        CommandDef::new("dump", DUMP, DUMP_EXAMPLES, DumpArgs::augment_args, dump)
            .prints(Prints::Stream),
    ],
};

const BUILD: &str =
    "Write the knowledge base to a standalone SQLite file (sqlite3 and Datasette open it)";
const CHECK: &str = "Validate the seeds: types, enumerations, required fields, unique ids, links, and every quote against the report";
const EXPORT: &str =
    "Write every table as a file (CSV or JSON) plus a README of its columns and units";
const DUMP: &str = "Print SQL that recreates the knowledge base in SQLite or PostgreSQL";

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

const EXPORT_EXAMPLES: &str = "\
Examples:
  aiinfra db export out/                  # out/chips.csv … out/facts.csv, out/README.md
  aiinfra db export out/ --format json
  aiinfra db export out/ --excel          # CSV with a byte-order mark and CRLF, for Excel
  aiinfra --seed-dir out/ chips           # an export loads back as seeds";

const DUMP_EXAMPLES: &str = "\
Examples:
  aiinfra db dump > aiinfra.sql && sqlite3 copy.db < aiinfra.sql
  aiinfra db dump --dialect postgres | psql aiinfra
  aiinfra db dump --dialect postgres --output aiinfra.pg.sql";

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The database file to write (replaced whole if it exists)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Also write FILE.metadata.json for Datasette: titles, source, licence, column meanings and units
    #[arg(long)]
    pub datasette: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Check the quotes against this copy of the report's raw extraction (the errata are applied to it) instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

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

#[derive(Debug, clap::Args)]
pub struct DumpArgs {
    /// The SQL dialect to write
    #[arg(long, value_enum, default_value_t = Dialect::Sqlite)]
    pub dialect: Dialect,
}

/// Write the database to `args.file`.
fn build(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = BuildArgs::from_arg_matches(m)?;
    let Some(seeds) = ctx.source.seeds() else {
        return Err(UsageError(
            "db build writes a database from seeds; use --seed-dir DIR or the built-in data, not --db".into(),
        )
        .into());
    };
    ctx.refuse_to_overwrite_inputs(&args.file)?;
    let (mut conn, loaded) = db::open::build(&seeds)?;
    let rows: usize = loaded.tables.iter().map(|t| t.rows.len()).sum();
    let image = conn.serialize(rusqlite::MAIN_DB)?.to_vec();
    let built = db::open::locked(conn, ctx.timeout)?;
    fsutil::write_atomic(&args.file, |w| Ok(w.write_all(&image)?))?;
    let mut summary = format!(
        "wrote {}: {} tables, {rows} rows, schema version {}",
        args.file.display(),
        loaded.tables.len(),
        db::migrate::latest_version()
    );
    if args.datasette {
        let meta = export::datasette::metadata_path(&args.file);
        ctx.refuse_to_overwrite_inputs(&meta)?;
        let json = export::datasette::metadata(&args.file, &built)?;
        fsutil::write_atomic(&meta, |w| Ok(w.write_all(json.as_bytes())?))?;
        summary.push_str(&format!("; and {}", meta.display()));
    }
    Ok(Output::Said(summary))
}

/// Write every table and a README into the directory.
fn export_files(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = ExportArgs::from_arg_matches(m)?;
    if args.excel && args.format != ExportFormat::Csv {
        return Err(UsageError("--excel works with --format csv".into()).into());
    }
    ctx.refuse_to_overwrite_inputs(&args.dir)?;
    let (format, ext) = match args.format {
        ExportFormat::Csv => (Format::Csv, "csv"),
        ExportFormat::Json => (Format::Json, "json"),
    };
    let (files, rows) = export::files::files(ctx.db()?, format, args.excel)?;
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    for (name, bytes) in &files {
        let path = args.dir.join(name);
        ctx.refuse_to_overwrite_inputs(&path)?;
        fsutil::write_atomic(&path, |w| Ok(w.write_all(bytes)?))?;
    }
    Ok(Output::Said(export::files::summary(
        files.len() - 1,
        rows,
        ext,
        &args.dir,
    )))
}

/// SQL that recreates the knowledge base.
fn dump(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = DumpArgs::from_arg_matches(m)?;
    let mut bytes = Vec::new();
    match args.dialect {
        Dialect::Sqlite => export::sqlite::dump(ctx.db()?, &mut bytes)?,
        Dialect::Postgres => export::postgres::dump(ctx.db()?, &mut bytes)?,
    }
    Ok(Output::Stream(Box::new(move |w| Ok(w.write_all(&bytes)?))))
}

/// One row to check: where it is, its table and id, and its quote.
struct Quoted {
    place: String,
    table: &'static str,
    id: String,
    quote: Option<String>,
}

/// Validate, then check quotes; a summary per table, or every problem.
fn check(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = CheckArgs::from_arg_matches(m)?;
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
    let quoted = match ctx.source.seeds() {
        Some(seeds) => from_seeds(&seeds)?,
        None => from_database(ctx)?,
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
                            crate::text::show(quote)
                        ));
                    }
                }
                None => {}
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
        anyhow::bail!(
            "{n} row{} with a missing or unfound quote:\n  {}",
            if n == 1 { "" } else { "s" },
            problems.join("\n  ")
        );
    }
    let counts = [
        ("rows", Kind::Integer),
        ("quoted", Kind::Integer),
        ("found_in_report", Kind::Integer),
    ];
    let columns = Column::list(&["table", "rows", "quoted", "found_in_report"], &counts);
    Ok(Output::Rows(
        Rows { columns, data },
        View::titled("db check"),
    ))
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

fn from_database(ctx: &Ctx) -> Result<Vec<Quoted>> {
    let place = match &ctx.source {
        DataSource::File(path) => path.display().to_string(),
        _ => "database".to_string(),
    };
    let mut out = Vec::new();
    for table in TABLES {
        // Table names come from the contract, never from input.
        let sql = format!("SELECT id, quote FROM {} ORDER BY id", table.name);
        let rows = ctx
            .db()?
            .fetch(&crate::query::Query::new(sql, Vec::new()))?;
        for row in rows.data {
            let text = |v: &Value| match v {
                Value::Text(s) => Some(s.clone()),
                _ => None,
            };
            out.push(Quoted {
                place: place.clone(),
                table: table.name,
                id: text(&row[0]).unwrap_or_default(),
                quote: text(&row[1]),
            });
        }
    }
    Ok(out)
}
