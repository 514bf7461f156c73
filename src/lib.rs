//! aiinfra: China's AI infrastructure, from the CAICT report, as a queryable knowledge
//! base. This file wires the pieces together and is the only place that does:
//! command line → data source → command → rows → renderer or chart → stdout or file.

pub mod chart;
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
use std::path::Path;

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

use cli::{Cli, ColorChoice, Command, ListArgs, OutputArgs};
use cmd::db::DbCommand;
use db::DataSource;
use error::UsageError;
use output::{Format, Rows};
use query::{Lang, Query, Select};

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let source = cli.data.source()?;
    let ctx = Ctx {
        source: &source,
        color: cli.color,
    };
    if cli.version {
        let text = version(&source)?;
        return write_out(
            &OutputArgs::default(),
            |w| Ok(w.write_all(text.as_bytes())?),
        );
    }
    let Some(command) = &cli.command else {
        return Err(UsageError(
            "give a command, such as `aiinfra chips`; `aiinfra --help` lists them".into(),
        )
        .into());
    };
    if let Some(target) = command.output_path() {
        refuse_to_overwrite_inputs(&source, target)?;
    }
    match command {
        Command::Chips(a) => ctx.list(cmd::chips::select(a), &a.list, &a.output),
        Command::Platforms(a) => ctx.list(cmd::platforms::select(a), &a.list, &a.output),
        Command::Models(a) => ctx.list(cmd::models::select(a), &a.list, &a.output),
        Command::Frameworks(a) => ctx.list(cmd::frameworks::select(a), &a.list, &a.output),
        Command::PilotZones(a) => ctx.list(cmd::pilot_zones::select(a), &a.list, &a.output),
        Command::Centers(a) => ctx.list(cmd::centers::select(a), &a.list, &a.output),
        Command::Datasets(a) => ctx.list(cmd::tables::datasets(a), &a.list, &a.output),
        Command::Languages(a) => ctx.list(cmd::tables::languages(a), &a.list, &a.output),
        Command::Apollo(a) => ctx.list(cmd::tables::apollo(a), &a.list, &a.output),
        Command::Policies(a) => ctx.list(cmd::tables::policies(a), &a.list, &a.output),
        Command::Facts(a) => ctx.list(cmd::tables::facts(a), &a.list, &a.output),
        Command::Sources(a) => ctx.list(cmd::sources::select(a), &a.list, &a.output),
        Command::Regions(a) => match &a.region {
            None => ctx.list(cmd::regions::select(a), &a.list, &a.output),
            Some(key) => {
                let l = &a.list;
                if l.columns.is_some()
                    || l.sort.is_some()
                    || l.limit.is_some()
                    || l.count_by.is_some()
                    || l.chart.is_some()
                    || l.show_sql
                {
                    return Err(UsageError(
                        "a region's profile takes --format, --output and --lang; --columns, --sort, --limit, --count-by, --chart and --show-sql apply to the list (aiinfra regions without ID)".into(),
                    )
                    .into());
                }
                let rows = cmd::regions::profile(&db::open(&source)?, key)?;
                ctx.emit(rows, &a.output, l.lang, false)
            }
        },
        Command::Search(a) => {
            let query = cmd::search::query(a)?;
            let rows = fetch(&db::open(&source)?, &query)?;
            ctx.emit(rows, &a.output, a.lang, false)
        }
        Command::Show(a) => {
            let rows = cmd::show::run(&db::open(&source)?, a)?;
            ctx.emit(rows, &a.output, Lang::Zh, true)
        }
        Command::Schema(a) => ctx.emit(cmd::schema::run(a)?, &a.output, Lang::Zh, false),
        Command::Sql(a) => {
            a.output.format()?;
            let rows = cmd::sql::run(&mut db::open(&source)?, a)?;
            ctx.emit(rows, &a.output, Lang::Zh, false)
        }
        Command::Db(DbCommand::Build(a)) => {
            say(&cmd::db::build(&source, a)?);
            Ok(())
        }
        Command::Db(DbCommand::Check(a)) => {
            a.output.format()?;
            ctx.emit(cmd::db::check(&source, a)?, &a.output, Lang::Zh, false)
        }
        Command::Db(DbCommand::Export(a)) => {
            say(&cmd::db::export(&source, a)?);
            Ok(())
        }
        Command::Db(DbCommand::Dump(a)) => {
            let conn = db::open(&source)?;
            write_out(&a.output, |w| cmd::db::dump(&conn, a, w))
        }
        Command::Completions(a) => write_out(&OutputArgs::default(), |w| {
            cmd::docs::completions(a, w);
            Ok(())
        }),
        Command::Man(a) => match &a.dir {
            Some(dir) => {
                say(&cmd::docs::man_pages(dir)?);
                Ok(())
            }
            None => write_out(&OutputArgs::default(), |w| Ok(cmd::docs::man_page(w)?)),
        },
    }
}

/// What every command's output shares: where the data comes from, and colour.
struct Ctx<'a> {
    source: &'a DataSource,
    color: ColorChoice,
}

impl Ctx<'_> {
    /// A list command: build its query, then print the SQL, draw a chart, or run it
    /// and render the rows.
    fn list(&self, select: Select, list: &ListArgs, output: &OutputArgs) -> Result<()> {
        let format = output.format()?;
        let shape = list.shape();
        if let Some(field) = list.chart_field() {
            return self.chart(&select, &shape, &field?, list, output);
        }
        let query = select.build(&shape, format == Format::Table)?;
        if list.show_sql {
            let text = query.explain();
            return write_out(output, |w| Ok(w.write_all(text.as_bytes())?));
        }
        let rows = self.fetch(&db::open(self.source)?, &query)?;
        self.emit(rows, output, list.lang, false)
    }

    /// Run a query, naming a damaged --db file as such.
    fn fetch(&self, conn: &Connection, query: &Query) -> Result<Rows> {
        fetch(conn, query).map_err(|e| match (self.source, e.downcast_ref()) {
            (DataSource::File(path), Some(sqlite)) => db::open::damaged(path, sqlite),
            _ => e,
        })
    }

    /// `--chart FIELD`: bars in the terminal, or an SVG for `--output FILE.svg`.
    fn chart(
        &self,
        select: &Select,
        shape: &query::Shape,
        field: &str,
        list: &ListArgs,
        output: &OutputArgs,
    ) -> Result<()> {
        let svg = output
            .output
            .as_deref()
            .and_then(Path::extension)
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        if output.format.is_some_and(|f| f != Format::Table) || output.excel {
            return Err(UsageError(
                "--chart draws instead of the table; it takes no --format or --excel (--output FILE.svg writes an SVG)".into(),
            )
            .into());
        }
        let (query, by_year) = select.chart(shape, field)?;
        if list.show_sql {
            let text = query.explain();
            return write_out(output, |w| Ok(w.write_all(text.as_bytes())?));
        }
        // One connection for the bars and their sources: with --seed-dir, opening
        // means loading every CSV.
        let conn = db::open(self.source)?;
        let rows = self.fetch(&conn, &query)?;
        let mut chart = chart_of(&rows, by_year, &conn)?;
        let entity = select.entity();
        let unit = db::contract::table(entity)
            .and_then(|t| t.column(field))
            .and_then(|c| c.unit)
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        chart.title = match &shape.count_by {
            Some(facet) => format!("{entity} by {facet}: rows"),
            None => format!("{entity}: {field}{unit}"),
        };
        chart.log = list.log;
        if list.cumulative {
            chart = chart.cumulative();
        }
        let style = numbers(list.lang);
        if svg {
            return write_out(output, |w| Ok(chart::svg(&chart, w)?));
        }
        let to_terminal = output.output.is_none() && io::stdout().is_terminal();
        let width = if to_terminal {
            comfy_table::Table::new().width().map_or(80, usize::from)
        } else {
            80
        };
        let color = to_terminal && self.color.enabled(true)
            || output.output.is_none() && self.color == ColorChoice::Always;
        write_out(output, |w| Ok(chart::text(&chart, width, style, color, w)?))
    }

    /// Render rows to stdout or the `--output` file. `record` shows a single record
    /// as field/value lines in table output.
    fn emit(&self, rows: Rows, output: &OutputArgs, lang: Lang, record: bool) -> Result<()> {
        let format = output.format()?;
        let svg = output.output.as_deref().and_then(Path::extension);
        if svg.is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
            return Err(UsageError(
                "an .svg file holds a chart: add --chart FIELD (list commands)".into(),
            )
            .into());
        }
        let rows = match format {
            Format::Table if record => rows.transposed(),
            Format::Table => rows.one_language(lang),
            _ => rows,
        };
        let to_terminal = output.output.is_none() && io::stdout().is_terminal();
        let opts = output::Options {
            format,
            excel: output.excel,
            width: if to_terminal && format == Format::Table {
                comfy_table::Table::new().width()
            } else {
                None
            },
            numbers: numbers(lang),
            color: output.output.is_none() && self.color.enabled(to_terminal),
        };
        write_out(output, |w| Ok(output::render(&rows, &opts, w)?))?;
        if rows.data.is_empty() && format == Format::Table {
            say("no rows");
        }
        Ok(())
    }
}

fn numbers(lang: Lang) -> units::Style {
    match lang {
        Lang::Zh => units::Style::Chinese,
        Lang::En => units::Style::Si,
    }
}

/// Bars from a chart query's rows (label_zh, label_en, value, sources, at_least), with the
/// sources' labels and pages looked up. A facet over years gets a bar for every
/// year between the first and the last, so gaps show as gaps.
fn chart_of(rows: &Rows, by_year: bool, conn: &Connection) -> Result<chart::Chart> {
    let text = |v: &Value| match v {
        Value::Text(s) => s.clone(),
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => x.to_string(),
        _ => String::new(),
    };
    let number = |v: &Value| match v {
        Value::Integer(n) => Some(*n as f64),
        Value::Real(x) => Some(*x),
        _ => None,
    };
    let mut bars = Vec::new();
    let mut source_ids: Vec<String> = Vec::new();
    let mut last_year: Option<i64> = None;
    for row in &rows.data {
        if by_year && let Value::Integer(year) = &row[0] {
            if let Some(last) = last_year {
                for gap in last + 1..*year {
                    bars.push(chart::Bar {
                        label_zh: gap.to_string(),
                        label_en: gap.to_string(),
                        value: Some(0.0),
                        mark: "",
                    });
                }
            }
            last_year = Some(*year);
        }
        let value = number(&row[2]);
        bars.push(chart::Bar {
            label_zh: text(&row[0]),
            label_en: text(&row[1]),
            value,
            mark: match &row[4] {
                Value::Text(q) => db::contract::qualifier_mark(q),
                _ => "",
            },
        });
        // Cite only the rows that draw a bar.
        let cited = if value.is_some() {
            text(&row[3])
        } else {
            String::new()
        };
        for id in cited.split(',').filter(|s| !s.is_empty()) {
            if !source_ids.iter().any(|s| s == id) {
                source_ids.push(id.to_string());
            }
        }
    }
    let mut sources = Vec::new();
    let mut stmt =
        conn.prepare("SELECT kind, label_en, label_zh, page FROM sources WHERE id = ?1")?;
    for id in &source_ids {
        let found = stmt.query_row([id], |r| {
            let kind: String = r.get(0)?;
            // Sections' labels carry their number; tables, figures and footnotes
            // are named by theirs ("table-5" → "Table 5").
            let word = match kind.as_str() {
                "table" => "Table",
                "figure" => "Figure",
                "footnote" => "Footnote",
                _ => "",
            };
            let name = match id.split_once('-') {
                Some((_, n)) if !word.is_empty() => format!("{word} {n}: "),
                _ => String::new(),
            };
            Ok(format!(
                "{name}{} ({}), p.{}",
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?
            ))
        });
        sources.push(found.unwrap_or_else(|_| id.clone()));
    }
    Ok(chart::Chart {
        title: String::new(),
        bars,
        log: false,
        sources,
    })
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
            values.push(row.get::<_, Value>(i)?);
        }
        data.push(values);
    }
    Ok(Rows {
        columns,
        kinds: query.kinds.clone(),
        data,
    })
}

/// `--version`: the binary, the data compiled into it, and with --db the file's.
fn version(source: &DataSource) -> Result<String> {
    let mut text = format!(
        "aiinfra {}\ndata: {}; built-in seeds sha256:{}\nschema version {}\n",
        env!("CARGO_PKG_VERSION"),
        db::seed::DATA_EDITION,
        &db::seed::embedded_checksum()[..16],
        db::migrate::latest_version()
    );
    if let DataSource::File(path) = source {
        let conn = db::open(source)?;
        let meta: std::collections::BTreeMap<String, String> =
            db::open::meta(&conn)?.into_iter().collect();
        let get = |k: &str| meta.get(k).map_or("unknown", |v| v.as_str());
        let sum = get("data_checksum");
        text.push_str(&format!(
            "{}: written by aiinfra {} from {} seeds sha256:{}\n",
            path.display(),
            get("aiinfra_version"),
            get("seeds"),
            &sum[..sum.len().min(16)]
        ));
    }
    Ok(text)
}

/// Writing a result over the database or a seed it was read from would destroy the
/// input; refuse before reading anything.
fn refuse_to_overwrite_inputs(source: &DataSource, target: &Path) -> Result<()> {
    let inputs: Vec<std::path::PathBuf> = match source {
        DataSource::Embedded => Vec::new(),
        DataSource::File(path) => vec![path.clone()],
        DataSource::SeedDir(dir) => {
            let mut files: Vec<std::path::PathBuf> = db::contract::TABLES
                .iter()
                .map(|t| dir.join(format!("{}.csv", t.name)))
                .collect();
            files.push(dir.clone());
            files
        }
    };
    match inputs.iter().find(|input| fsutil::same_file(input, target)) {
        Some(input) => Err(UsageError(format!(
            "{} is an input of this command ({}); write the output to another file",
            target.display(),
            input.display()
        ))
        .into()),
        None => Ok(()),
    }
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
