//! `aiinfra db build|check|export|dump`: write the knowledge base to a SQLite file,
//! validate the seeds and every quote against the report, write every table as files,
//! or print SQL that recreates it. The formats themselves live in `export/`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use crate::command::{CommandDef, Data, GroupDef, Output, Returns, View};
use crate::ctx::Ctx;
use crate::db::contract::{Kind, TABLES};
use crate::db::{self, DataSource};
use crate::error::UsageError;
use crate::export::{self, Dialect};
use crate::output::{Column, Format, Rows};
use crate::report::Report;
use crate::write;

pub static GROUP: GroupDef = GroupDef {
    name: "db",
    about: "Build, check, export or dump the knowledge base",
    commands: &[
        CommandDef {
            returns: &[Returns::Files],
            data: Data::Seeds,
            ..CommandDef::new("build", BUILD, BUILD_EXAMPLES, build_args, build)
        },
        CommandDef {
            returns: &[Returns::Rows],
            inputs: &["report", "uncaptured"],
            columns: || CHECK_COLUMNS.to_vec(),
            ..CommandDef::new("check", CHECK, CHECK_EXAMPLES, CheckArgs::augment_args, check)
        },
        CommandDef {
            returns: &[Returns::Files],
            ..CommandDef::new("export", EXPORT, EXPORT_EXAMPLES, export_args, export_files)
        },
        CommandDef {
            returns: &[Returns::Stream],
            ..CommandDef::new("dump", DUMP, DUMP_EXAMPLES, DumpArgs::augment_args, dump)
        },
    ],
};

/// The columns of `db check`'s rows.
const CHECK_COLUMNS: &[&str] = &["table", "rows", "quoted", "found_in_report"];

const BUILD: &str =
    "Write the knowledge base to a standalone SQLite file (sqlite3 and Datasette open it)";
const CHECK: &str = "Validate the seeds: types, enumerations, required fields, unique ids, links, every quote against the report, and that every number the report states is held by a row or listed as uncaptured";
const EXPORT: &str = "Write every table as a file (CSV or JSON) or a workbook sheet (xlsx), plus a README of its columns and units";
const DUMP: &str = "Print SQL that recreates the knowledge base in SQLite or PostgreSQL";

const BUILD_EXAMPLES: &str = "\
Examples:
  aiinfra db build aiinfra.db
  aiinfra db build aiinfra.db --datasette && sh aiinfra.db.datasette.sh
  aiinfra --seed-dir my-seeds db build corrected.db";

const CHECK_EXAMPLES: &str = "\
Examples:
  aiinfra db check
  aiinfra db check --report caict-ai-infrastructure-2021.txt
  aiinfra --seed-dir my-seeds db check
  aiinfra --seed-dir my-seeds db check --uncaptured my-uncaptured.csv";

const EXPORT_EXAMPLES: &str = "\
Examples:
  aiinfra db export out/                  # out/chips.csv … out/facts.csv, out/README.md
  aiinfra db export out/ --format json
  aiinfra db export out/ --excel          # CSV with a byte-order mark and CRLF, for Excel
  aiinfra db export aiinfra.xlsx          # one workbook: a sheet per table, and a README
  aiinfra --seed-dir out/ chips           # an export loads back as seeds";

const DUMP_EXAMPLES: &str = "\
Examples:
  aiinfra db dump > aiinfra.sql && sqlite3 copy.db < aiinfra.sql
  aiinfra db dump --dialect postgres | psql aiinfra
  aiinfra db dump --dialect postgres --output aiinfra.pg.sql";

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The database file to write (it may replace only a database aiinfra wrote)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Also write FILE.metadata.json for Datasette (titles, source, licence, column meanings and units) and FILE.datasette.sh, which serves the two
    #[arg(long)]
    pub datasette: bool,
}

/// `db build`'s arguments, and the shared `--force`.
fn build_args(cmd: clap::Command) -> clap::Command {
    BuildArgs::augment_args(cmd).arg(crate::args::force())
}

/// `db export`'s arguments, and the shared `--force`, `--format` (the formats an export
/// writes) and `--excel`.
fn export_args(cmd: clap::Command) -> clap::Command {
    ExportArgs::augment_args(cmd).args([
        crate::args::force(),
        crate::args::format(EXPORT_FORMATS),
        crate::args::excel(),
    ])
}

/// The formats `db export` writes: a file per table, or one workbook.
const EXPORT_FORMATS: &[Format] = &[Format::Csv, Format::Json, Format::Xlsx];

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Check the quotes against this copy of the report's raw extraction (the errata are applied to it) instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Account for the report's numbers with this list of the numbers no row holds (passage,number,kind,why,reason) instead of the built-in report/uncaptured.csv
    #[arg(long, value_name = "FILE")]
    pub uncaptured: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The folder to write (new, empty, or an earlier export, which it replaces whole); a name ending in .xlsx writes that one workbook instead
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct DumpArgs {
    /// The SQL dialect to write
    #[arg(long, value_enum, default_value_t = Dialect::Sqlite)]
    pub dialect: Dialect,
}

/// `db export out.json` would make a folder named like a file: a name whose extension
/// is a file format's (other than .xlsx, one workbook) or a database's is refused,
/// saying what writes that file. An existing folder of that name is the user's choice.
fn refuse_a_file_name(dir: &std::path::Path) -> Result<(), UsageError> {
    if dir.is_dir() {
        return Ok(());
    }
    let ext = dir
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let shown = crate::text::show(&dir.display().to_string());
    let instead = match Format::from_extension(dir) {
        Some(Format::Xlsx) | None => match ext.as_str() {
            "db" | "sqlite" | "sqlite3" => format!(
                "a database file is written by `aiinfra db build {}`",
                dir.display()
            ),
            _ => return Ok(()),
        },
        Some(format) => format!(
            "for one table as {} use `aiinfra TABLE -o {}`; for every table, a folder (`aiinfra db export DIR --format {}`) or one workbook (`aiinfra db export FILE.xlsx`)",
            format.article(),
            dir.display(),
            if matches!(format, Format::Json | Format::Jsonl) { "json" } else { "csv" },
        ),
    };
    Err(UsageError(format!(
        "db export writes a folder of files, and {shown} is named like a .{ext} file: {instead}"
    )))
}

/// Write the database to `args.file`.
fn build(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = BuildArgs::from_arg_matches(m)?;
    let Some(seeds) = ctx.source.seeds() else {
        return Err(UsageError(format!(
            "db build writes a database from seeds; use --seed-dir DIR or the built-in data, not a database file ({} names one)",
            ctx.source_name
        ))
        .into());
    };
    if write::to_stdout(Some(&args.file)) {
        return Err(UsageError(format!(
            "db build writes a database file, not standard output ({}): give a file name (`aiinfra db dump` prints SQL)",
            args.file.display()
        ))
        .into());
    }
    let rules = &ctx.rules;
    write::check(&args.file, write::Kind::Owned(db::migrate::recognise), rules)?;
    let (mut conn, loaded) = db::open::build(&seeds)?;
    let rows: usize = loaded.tables.iter().map(|t| t.rows.len()).sum();
    let passages = db::derived::passage_count(&conn)?;
    let mut summary = format!(
        "wrote {}: {}, schema version {}",
        args.file.display(),
        db::derived::counted(loaded.tables.len(), rows, passages),
        db::migrate::latest_version()
    );
    let mut sidecars = Vec::new();
    if args.datasette {
        let name = args.file.to_str().unwrap_or("\u{fffd}");
        if name.contains('\u{fffd}')
            || name
                .chars()
                .any(|c| c.is_control() || crate::text::is_reordering(c))
        {
            return Err(UsageError(
                "--datasette: the file name holds a control character, a reordering mark or bytes that are not UTF-8, which a launcher script cannot name safely; choose another name".into(),
            )
            .into());
        }
        let meta = export::datasette::metadata_path(&args.file);
        let json = export::datasette::metadata(&args.file, &db::open::meta_rows(&conn)?)?;
        let launcher = export::datasette::launcher_path(&args.file);
        let script = export::datasette::launcher(&args.file);
        summary.push_str(&format!(
            ", a search index of the passages for Datasette (terms of 3 or more characters), {} and {}; serve them with: sh {}",
            meta.display(),
            launcher.display(),
            crate::text::shell_quote(&launcher.to_string_lossy())
        ));
        // The database records the digest of each, so that a later build replaces
        // them only if nobody changed them since.
        for (bytes, (_, key)) in [json.as_bytes(), script.as_bytes()]
            .iter()
            .zip(export::datasette::DIGESTS)
        {
            conn.execute(
                "INSERT INTO aiinfra_meta (key, value) VALUES (?1, ?2)",
                (key, crate::input::sha256_hex(bytes)),
            )?;
        }
        let recognise = export::datasette::recognise;
        sidecars.push((meta, write::Kind::Owned(recognise), json.into_bytes()));
        sidecars.push((launcher, write::Kind::Script(recognise), script.into_bytes()));
    }
    if !args.datasette {
        // A Datasette metadata file and launcher that an earlier `--datasette` build
        // wrote beside this file stay recorded (so a later `--datasette` build may
        // replace them), and the reader is told they describe what this build dropped.
        let kept = export::datasette::unchanged_beside(&args.file);
        for (_, key, digest) in &kept {
            conn.execute(
                "INSERT INTO aiinfra_meta (key, value) VALUES (?1, ?2)",
                (key, digest),
            )?;
        }
        if !kept.is_empty() {
            let names: Vec<String> = kept.iter().map(|(p, _, _)| p.display().to_string()).collect();
            let (they, are, them) = if kept.len() == 1 { ("it", "is", "it") } else { ("them", "are", "them") };
            summary.push_str(&format!(
                "; {} beside it {are} from an earlier --datasette build, and this file has no search index for {they}: build with --datasette to serve it in Datasette, or delete {them}",
                names.join(" and ")
            ));
        }
    }
    if args.datasette {
        // Datasette's search box over the report's passages.
        db::fts::add(&conn)?;
    }
    let image = conn.serialize(rusqlite::MAIN_DB)?.to_vec();
    let mut outputs = vec![(
        args.file.clone(),
        write::Kind::Owned(db::migrate::recognise),
        image,
    )];
    outputs.extend(sidecars);
    // The database and its metadata are written together, or neither is.
    write::files(outputs, rules)?;
    Ok(Output::Said(summary))
}

/// Write every table and a README into the directory, or one workbook to DIR.xlsx.
fn export_files(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = ExportArgs::from_arg_matches(m)?;
    let one_workbook = Format::from_extension(&args.dir) == Some(Format::Xlsx);
    refuse_a_file_name(&args.dir)?;
    let given = crate::args::value::<Format>(m, "format");
    let excel = crate::args::flag(m, "excel");
    let format = match (given, one_workbook) {
        (None | Some(Format::Xlsx), true) => Format::Xlsx,
        (Some(other), true) => {
            return Err(UsageError(format!(
                "{} names a workbook, which --format {} contradicts: drop --format, or give a folder",
                args.dir.display(),
                other.name()
            ))
            .into());
        }
        (given, false) => given.unwrap_or(Format::Csv),
    };
    if excel && format != Format::Csv {
        return Err(UsageError(
            "--excel works with --format csv (an .xlsx workbook needs no --excel)".into(),
        )
        .into());
    }
    if one_workbook {
        let (bytes, rows) = export::files::workbook(ctx.db()?)?;
        write::file(&args.dir, write::Kind::Owned(crate::output::xlsx::recognise), &ctx.rules, |w| {
            Ok(w.write_all(&bytes)?)
        })?;
        let passages = db::derived::passage_count(ctx.db()?.connection())?;
        return Ok(Output::Said(format!(
            "wrote {}: {}, a sheet each, and a README sheet",
            args.dir.display(),
            db::derived::counted(db::contract::TABLES.len(), rows, passages)
        )));
    }
    let ext = format.extension();
    let (files, rows) = export::files::files(ctx.db()?, format, excel)?;
    let passages = db::derived::passage_count(ctx.db()?.connection())?;
    // Every file is made first, then the folder is put in place whole.
    write::directory(&args.dir, files, &ctx.rules, export::files::recognise)?;
    Ok(Output::Said(export::files::summary(
        &db::derived::counted(db::contract::TABLES.len(), rows, passages),
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
            let bytes =
                crate::input::read(path, crate::report::MAX_REPORT_BYTES).map_err(|why| {
                    anyhow::anyhow!("cannot read the report {}: {why}", path.display())
                })?;
            let text = String::from_utf8(bytes)
                .with_context(|| format!("the report {} is not UTF-8 text", path.display()))?;
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
    // The list of uncaptured numbers: the built-in one, or a file given.
    let list_text;
    let (list, list_shown): (&str, String) = match &args.uncaptured {
        Some(path) => {
            let bytes = crate::input::read(path, MAX_LIST_BYTES).map_err(|why| {
                anyhow::anyhow!("cannot read the list {}: {why}", path.display())
            })?;
            list_text = String::from_utf8(bytes)
                .with_context(|| format!("the list {} is not UTF-8 text", path.display()))?;
            (&list_text, path.display().to_string())
        }
        None => (
            db::accounts::UNCAPTURED,
            db::accounts::UNCAPTURED_SHOWN.to_string(),
        ),
    };
    let listed = db::accounts::parse_list(list, &list_shown)
        .map_err(|p| anyhow::anyhow!("{}", p.join("\n  ")))?;
    let built;
    let (quoted, conn) = match ctx.source.seeds() {
        Some(seeds) => {
            let (quoted, conn) = from_seeds(&seeds)?;
            built = conn;
            (quoted, &built)
        }
        None => {
            verify_file(ctx)?;
            (from_database(ctx)?, ctx.db()?.connection())
        }
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
    // A database's report tables are what its rows and the report derive: every
    // passage, and every row's link to the passages its quote lies in.
    if ctx.source.seeds().is_none() {
        let differences = db::derived::differences(ctx.db()?.connection(), 20)?;
        if !differences.is_empty() {
            let what = match &ctx.source {
                DataSource::File(path) => path.display().to_string(),
                _ => ctx.source_name.to_string(),
            };
            anyhow::bail!(
                "{what}: the report's passages are not what the report and the file's rows make (rebuild it with `aiinfra db build`):\n  {}",
                differences.join("\n  ")
            );
        }
    }
    // The search index `db build --datasette` adds, where the file has one.
    if let DataSource::File(path) = &ctx.source {
        verify_index(ctx, path)?;
    }
    // Every number the report states is held by a row or listed, and the list is
    // not stale.
    let accounts = db::accounts::account(conn, report, listed, &list_shown)?;
    if !accounts.problems.is_empty() {
        let n = accounts.problems.len();
        anyhow::bail!(
            "{n} problem{} accounting for the report's numbers (each number it states is held by a row, or listed in {list_shown} with why it is not a row; `aiinfra report ID --numbers` marks them):\n  {}",
            if n == 1 { "" } else { "s" },
            accounts.problems.join("\n  ")
        );
    }
    let counts = [
        ("rows", Kind::Integer),
        ("quoted", Kind::Integer),
        ("found_in_report", Kind::Integer),
    ];
    let columns = Column::list(CHECK_COLUMNS, &counts);
    Ok(Output::Rows(
        Rows { columns, data },
        View::titled("db check"),
    ))
}

/// The largest list of uncaptured numbers `db check --uncaptured` reads; the real one
/// is under 10 KB.
const MAX_LIST_BYTES: u64 = 1024 * 1024;

/// The rows of the seeds to check, and the database they make.
fn from_seeds(seeds: &db::seed::Seeds) -> Result<(Vec<Quoted>, rusqlite::Connection)> {
    // Building runs every check, SQLite's own constraints included.
    let (conn, loaded) = db::open::build(seeds)?;
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
    Ok((out, conn))
}

/// A database file is sound (SQLite's integrity check) and holds what `db build` wrote
/// into it (the content checksum it recorded).
fn verify_file(ctx: &Ctx) -> Result<()> {
    let db = ctx.db()?;
    let DataSource::File(path) = &ctx.source else {
        return Ok(());
    };
    // A statement that fails on the file (a search index in a format SQLite does not
    // read) is the file's damage, not a mistake on the command line.
    let damaged = |e: anyhow::Error| -> anyhow::Error {
        match e.downcast_ref::<db::Error>() {
            Some(db::Error::Timeout { .. }) => e,
            _ => db::Error::Damaged {
                path: path.clone(),
                detail: format!("SQLite cannot check it: {}", root_cause(&e)),
            }
            .into(),
        }
    };
    let integrity = db
        .fetch(&crate::query::Query::new("PRAGMA integrity_check", Vec::new()))
        .map_err(damaged)?;
    let problems: Vec<String> = integrity
        .data
        .iter()
        .filter_map(|r| match r.first() {
            Some(Value::Text(s)) if s != "ok" => Some(s.clone()),
            _ => None,
        })
        .collect();
    if !problems.is_empty() {
        return Err(db::Error::Damaged {
            path: path.clone(),
            detail: format!("SQLite's integrity check: {}", problems.join("; ")),
        }
        .into());
    }
    let meta: std::collections::BTreeMap<String, String> =
        db::open::meta(db)?.into_iter().collect();
    let mut tables = Vec::new();
    for table in TABLES {
        tables.push((table.name, export::table_rows(db, table)?.data));
    }
    let actual = db::seed::content_checksum(tables.iter().map(|(n, r)| (*n, r.as_slice())));
    if meta.get("content_sha256") != Some(&actual) {
        return Err(db::Error::Changed { path: path.clone() }.into());
    }
    Ok(())
}

/// A file's search index for Datasette, if it has one, is sound (FTS5's integrity
/// check, which SQLite runs only as a write: on a copy in memory) and indexes exactly
/// its passages.
/// The innermost cause of an error, in words.
fn root_cause(e: &anyhow::Error) -> String {
    e.chain().last().map(ToString::to_string).unwrap_or_default()
}

fn verify_index(ctx: &Ctx, path: &std::path::Path) -> Result<()> {
    let has = ctx.db()?.fetch(&crate::query::Query::new(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        vec![Value::Text(db::fts::TABLE.into())],
    ))?;
    if !matches!(has.data.first().and_then(|r| r.first()), Some(Value::Integer(n)) if *n > 0) {
        return Ok(());
    }
    let conn = db::open::writable_copy(path, ctx.timeout)?;
    let problems = db::fts::problems(&conn).map_err(|e| {
        let interrupted = e.downcast_ref::<rusqlite::Error>().is_some_and(|e| {
            e.sqlite_error_code() == Some(rusqlite::ffi::ErrorCode::OperationInterrupted)
        });
        let err: anyhow::Error = if interrupted {
            db::Error::Timeout { after: ctx.timeout }.into()
        } else {
            db::Error::Index {
                path: path.to_path_buf(),
                problems: vec![root_cause(&e)],
            }
            .into()
        };
        err
    })?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(db::Error::Index {
            path: path.to_path_buf(),
            problems,
        }
        .into())
    }
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
