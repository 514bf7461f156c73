//! aiinfra: China's AI infrastructure, from the CAICT report, as a queryable knowledge
//! base. This file wires the pieces together and is the only place that does:
//! command line → data source → command → rows → renderer → stdout or file.

pub mod cli;
pub mod cmd;
pub mod db;
pub mod error;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub mod output;
pub mod query;
pub mod report;
pub mod units;

use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::Result;
use rusqlite::Connection;

use cli::{Cli, Command, ListArgs, OutputArgs};
use cmd::db::DbCommand;
use output::{Format, Rows};
use query::{Query, Select};

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let source = cli.data.source()?;
    let data = &source;
    if let Some(target) = cli.command.output_path() {
        refuse_to_overwrite_inputs(data, target)?;
    }
    match &cli.command {
        Command::Chips(a) => list(data, cmd::chips::select(a), &a.list, &a.output),
        Command::Platforms(a) => list(data, cmd::platforms::select(a), &a.list, &a.output),
        Command::Models(a) => list(data, cmd::models::select(a), &a.list, &a.output),
        Command::Frameworks(a) => list(data, cmd::frameworks::select(a), &a.list, &a.output),
        Command::PilotZones(a) => list(data, cmd::pilot_zones::select(a), &a.list, &a.output),
        Command::Centers(a) => list(data, cmd::centers::select(a), &a.list, &a.output),
        Command::Datasets(a) => list(data, cmd::tables::datasets(a), &a.list, &a.output),
        Command::Languages(a) => list(data, cmd::tables::languages(a), &a.list, &a.output),
        Command::Apollo(a) => list(data, cmd::tables::apollo(a), &a.list, &a.output),
        Command::Policies(a) => list(data, cmd::tables::policies(a), &a.list, &a.output),
        Command::Facts(a) => list(data, cmd::tables::facts(a), &a.list, &a.output),
        Command::Sources(a) => list(data, cmd::sources::select(a), &a.list, &a.output),
        Command::Regions(a) => match &a.region {
            None => list(data, cmd::regions::select(a), &a.list, &a.output),
            Some(key) => {
                if a.list.columns.is_some()
                    || a.list.sort.is_some()
                    || a.list.limit.is_some()
                    || a.list.count_by.is_some()
                    || a.list.show_sql
                {
                    return Err(error::UsageError(
                        "a region's profile takes --format, --output and --lang; --columns, --sort, --limit, --count-by and --show-sql apply to the list (aiinfra regions without ID)".into(),
                    )
                    .into());
                }
                let format = a.output.format()?;
                let conn = db::open(data)?;
                let rows = cmd::regions::profile(&conn, key)?;
                let rows = for_table(rows, format, a.list.lang);
                emit(&rows, format, &a.output)
            }
        },
        Command::Search(a) => {
            let format = a.output.format()?;
            let query = cmd::search::query(a)?;
            let rows = fetch(&db::open(data)?, &query)?;
            emit(&for_table(rows, format, a.lang), format, &a.output)
        }
        Command::Show(a) => {
            let format = a.output.format()?;
            let rows = cmd::show::run(&db::open(data)?, a)?;
            let rows = if format == Format::Table {
                rows.transposed()
            } else {
                rows
            };
            emit(&rows, format, &a.output)
        }
        Command::Schema(a) => {
            let format = a.output.format()?;
            let rows = cmd::schema::run(a)?;
            emit(&rows, format, &a.output)
        }
        Command::Sql(args) => {
            let format = args.output.format()?;
            let mut conn = db::open(data)?;
            let rows = cmd::sql::run(&mut conn, args)?;
            emit(&rows, format, &args.output)
        }
        Command::Db(DbCommand::Build(args)) => {
            let summary = cmd::db::build(data, args)?;
            say(&summary);
            Ok(())
        }
        Command::Db(DbCommand::Check(args)) => {
            let format = args.output.format()?;
            let rows = cmd::db::check(data, args)?;
            emit(&rows, format, &args.output)
        }
    }
}

/// Writing a result over the database or a seed it was read from would destroy the
/// input; refuse before reading anything.
fn refuse_to_overwrite_inputs(source: &db::DataSource, target: &std::path::Path) -> Result<()> {
    let inputs: Vec<std::path::PathBuf> = match source {
        db::DataSource::Embedded => Vec::new(),
        db::DataSource::File(path) => vec![path.clone()],
        db::DataSource::SeedDir(dir) => db::contract::TABLES
            .iter()
            .map(|t| dir.join(format!("{}.csv", t.name)))
            .collect(),
    };
    match inputs.iter().find(|input| fsutil::same_file(input, target)) {
        Some(input) => Err(error::UsageError(format!(
            "{} is an input of this command ({}); write the output to another file",
            target.display(),
            input.display()
        ))
        .into()),
        None => Ok(()),
    }
}

/// In table output, keep the name columns of one language; csv and json keep both.
fn for_table(rows: Rows, format: Format, lang: query::Lang) -> Rows {
    if format == Format::Table {
        rows.one_language(lang)
    } else {
        rows
    }
}

/// A list command: build its query, then print the SQL or run and render it.
fn list(
    source: &db::DataSource,
    select: Select,
    list: &ListArgs,
    output: &OutputArgs,
) -> Result<()> {
    let format = output.format()?;
    let query = select.build(&list.shape(), format == Format::Table)?;
    if list.show_sql {
        let text = query.explain();
        return write_out(output, |w| Ok(w.write_all(text.as_bytes())?));
    }
    let conn = db::open(source)?;
    let rows = fetch(&conn, &query).map_err(|e| match (source, e.downcast_ref()) {
        (db::DataSource::File(path), Some(sqlite)) => db::open::damaged(path, sqlite),
        _ => e,
    })?;
    emit(&rows, format, output)
}

/// Run a query built by a command.
pub fn fetch(conn: &Connection, query: &Query) -> Result<Rows> {
    let mut stmt = conn.prepare(&query.sql)?;
    let columns: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let width = columns.len();
    let mut rows = stmt.query(rusqlite::params_from_iter(query.params.iter()))?;
    let mut data = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(row.get::<_, rusqlite::types::Value>(i)?);
        }
        data.push(values);
    }
    Ok(Rows {
        columns,
        kinds: query.kinds.clone(),
        data,
    })
}

/// Render rows to stdout or the `--output` file.
fn emit(rows: &Rows, format: Format, output: &OutputArgs) -> Result<()> {
    let width = match (&output.output, format) {
        (None, Format::Table) if io::stdout().is_terminal() => comfy_table::Table::new().width(),
        _ => None,
    };
    let opts = output::Options {
        format,
        excel: output.excel,
        width,
    };
    write_out(output, |w| Ok(output::render(rows, &opts, w)?))?;
    if rows.data.is_empty() && format == Format::Table {
        say("no rows");
    }
    Ok(())
}

/// Write to `--output` (atomically) or to stdout.
fn write_out(output: &OutputArgs, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    match &output.output {
        Some(path) => fsutil::write_atomic(path, fill),
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            fill(&mut w)?;
            w.flush()?;
            Ok(())
        }
    }
}

/// A line for the user on stderr; a closed stderr is not worth failing for.
fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}
