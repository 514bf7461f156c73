//! aiinfra: China's AI infrastructure, from the CAICT report, as a queryable knowledge
//! base. This file wires the pieces together and is the only place that does:
//! command line → command (from the command table) → output → (query → rows → shape →
//! renderer or chart) → stdout or a file.

pub mod args;
pub mod cli;
pub mod cmd;
pub mod db;
pub mod error;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod guard;
pub mod input;
pub mod message;
pub mod output;
pub mod query;
pub mod report;
pub mod resolve;
pub mod text;
pub mod units;
pub mod write;

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::Result;
use clap::{ArgMatches, FromArgMatches};
use rusqlite::types::Value;

use args::{DataArgs, FileArgs, OutputArgs, ShapeArgs};
use cmd::{COMMANDS, CommandDef, Ctx, Def, Output, Prints, View};
use error::UsageError;
use output::shape::{self, Shape};
use output::{ColorChoice, Format, Rows, chart};
use query::Query;

/// Run a parsed command line.
pub fn run(matches: &ArgMatches) -> Result<()> {
    let global = DataArgs::merged(matches, leaf(matches))?;
    guard::start(global.timeout());
    let ctx = Ctx::new(global.source(), global.timeout(), global.color());
    ctx.set_source_name(global.source_name());
    if matches.get_flag("version") {
        let text = version(&ctx)?;
        return write_out(&ctx, None, |w| Ok(w.write_all(text.as_bytes())?));
    }
    let Some((name, sub)) = matches.subcommand() else {
        return Err(UsageError(
            "give a command, such as `aiinfra chips`; `aiinfra --help` lists them".into(),
        )
        .into());
    };
    let (prints, sub, output) = match COMMANDS.iter().find(|d| d.name() == name) {
        Some(Def::List(spec)) => (Prints::Rows, sub, spec.exec(&ctx, sub)?),
        Some(Def::Cmd(c)) => (c.prints, sub, (c.exec)(&ctx, sub)?),
        Some(Def::Group(g)) => {
            let (inner, m) = sub.subcommand().ok_or_else(|| {
                UsageError(format!(
                    "give a subcommand of {name}; `aiinfra {name} --help` lists them"
                ))
            })?;
            let c: &CommandDef = g
                .commands
                .iter()
                .find(|c| c.name == inner)
                .ok_or_else(|| UsageError(format!("unknown command {name} {inner}")))?;
            (c.prints, m, (c.exec)(&ctx, m)?)
        }
        None => return Err(UsageError(format!("unknown command {name}")).into()),
    };
    let result = present(&ctx, prints, sub, output, leaf_name(matches));
    // The process ends right after this: closing the database would only free memory
    // the system frees anyway (a read-only connection has nothing to write back), at a
    // cost of a tenth of the run. Leaving it open is safe.
    std::mem::forget(ctx);
    result
}

/// What was asked, for wording a failure: the command as typed, how the data was
/// named, and whether the command takes row options.
pub fn asked(matches: &ArgMatches) -> message::Asked {
    let mut words = Vec::new();
    let mut m = matches;
    while let Some((name, inner)) = m.subcommand() {
        words.push(name);
        m = inner;
    }
    let rows = m.try_contains_id("limit").is_ok();
    let source = DataArgs::merged(matches, leaf(matches))
        .map(|d| d.source_name())
        .unwrap_or("the built-in data");
    message::Asked {
        command: words.join(" "),
        source,
        rows,
    }
}

/// The matches of the command that runs (`db build`'s, not `db`'s), if any.
pub fn leaf(matches: &ArgMatches) -> Option<&ArgMatches> {
    leaf_command(matches).map(|(_, m)| m)
}

/// The name of the command that runs (`check` for `db check`), or "".
fn leaf_name(matches: &ArgMatches) -> &str {
    leaf_command(matches).map_or("", |(name, _)| name)
}

/// The command that runs, innermost: its name and matches.
fn leaf_command(matches: &ArgMatches) -> Option<(&str, &ArgMatches)> {
    let mut found = matches.subcommand()?;
    while let Some(inner) = found.1.subcommand() {
        found = inner;
    }
    Some(found)
}

/// Turn what a command produced into output, with the options its kind of output took.
/// Rows are named after the command that made them (a workbook's sheet, a chart's
/// title) unless the command named them.
fn present(ctx: &Ctx, prints: Prints, m: &ArgMatches, output: Output, name: &str) -> Result<()> {
    let out = match prints {
        Prints::Rows | Prints::Text => OutputArgs::from_arg_matches(m)?,
        Prints::Stream => {
            let file = FileArgs::from_arg_matches(m)?;
            OutputArgs {
                output: file.output,
                force: file.force,
                ..OutputArgs::default()
            }
        }
        Prints::Nothing => OutputArgs::default(),
    };
    let shape = match prints {
        Prints::Rows => ShapeArgs::from_arg_matches(m)?,
        _ => ShapeArgs::default(),
    };
    ctx.set_force(out.force);
    // Where the output goes, then its format: usage errors come before any work, and
    // write nothing.
    if let Some(path) = out.output.as_deref().filter(|p| !write::to_stdout(Some(p))) {
        write::check_place(path, &ctx.rules())?;
    }
    match prints {
        Prints::Rows if shape.show_sql => text_only(&out, "--show-sql prints the SQL as text")?,
        Prints::Rows | Prints::Text => {
            out.format()?;
        }
        Prints::Stream => text_only(&out, "this command writes text")?,
        Prints::Nothing => {}
    }
    let titled = |view: View| {
        if view.title.is_empty() {
            View {
                title: name.to_string(),
                ..view
            }
        } else {
            view
        }
    };
    match output {
        Output::Query(query, view) => {
            let view = titled(view);
            if shape.show_sql {
                let text = query.explain();
                return write_out(ctx, out.output.as_deref(), |w| {
                    Ok(w.write_all(text.as_bytes())?)
                });
            }
            // Without sorting, counting or drawing, only the first --limit rows are needed.
            let plain = shape.sort.is_none() && shape.count_by.is_none() && shape.chart.is_none();
            let rows = ctx
                .db()?
                .fetch_at_most(&query, if plain { shape.limit } else { None })?;
            rows_out(ctx, rows, &view, &out, &shape)
        }
        Output::Rows(rows, view) => {
            let view = titled(view);
            if shape.show_sql {
                return Err(UsageError("--show-sql: this command runs no SQL".into()).into());
            }
            rows_out(ctx, rows, &view, &out, &shape)
        }
        Output::Text { text, rows } => match out.format()? {
            Format::Table => {
                let safe = output::render::terminal_safe(&text);
                let to_terminal =
                    write::to_stdout(out.output.as_deref()) && io::stdout().is_terminal();
                // On a terminal (or with --width) lines wrap, table rows' tabs as spaces.
                let shown = match fit_width(&out, to_terminal) {
                    Some(width) => {
                        let mut wrapped = output::table::wrap(&safe.replace('\t', "  "), width);
                        wrapped.push('\n');
                        wrapped
                    }
                    None => safe.into_owned(),
                };
                write_out(ctx, out.output.as_deref(), |w| {
                    Ok(w.write_all(shown.as_bytes())?)
                })
            }
            _ => rows_out(ctx, rows, &titled(View::default()), &out, &shape),
        },
        Output::Said(line) => {
            say(&line);
            Ok(())
        }
        Output::Stream(fill) => write_out(ctx, out.output.as_deref(), fill),
    }
}

/// For output that is text whatever is asked (SQL, a script, a manual page): refuse a
/// workbook or an SVG, by `--format` or by the file's name; any other name will do.
fn text_only(out: &OutputArgs, what: &str) -> Result<(), UsageError> {
    let named = out
        .output
        .as_deref()
        .filter(|p| !write::to_stdout(Some(p)))
        .and_then(Format::from_extension);
    let not = |f: Format| {
        if f == Format::Xlsx {
            "a workbook"
        } else {
            "an SVG"
        }
    };
    match (out.format, named) {
        (Some(f @ (Format::Xlsx | Format::Svg)), _) => Err(UsageError(format!(
            "{what}, not {}: drop --format {}",
            not(f),
            f.name()
        ))),
        (_, Some(f @ (Format::Xlsx | Format::Svg))) => Err(UsageError(format!(
            "{what}, not {}: name the file .sql or .txt (any name but .xlsx or .svg)",
            not(f)
        ))),
        _ => Ok(()),
    }
}

/// Rows to a chart, or shaped and rendered.
fn rows_out(ctx: &Ctx, rows: Rows, view: &View, out: &OutputArgs, args: &ShapeArgs) -> Result<()> {
    let format = out.format()?;
    let shape = args.shape(out.lang());
    if let Some(field) = args.chart_field() {
        return chart_out(ctx, rows, view, out, args, &field?, &shape);
    }
    if format == Format::Svg {
        return Err(UsageError("an SVG holds a chart: add --chart FIELD".into()).into());
    }
    let table = format == Format::Table;
    // A table shows one language's names; a single record shows both unless --lang
    // picks one.
    let one_language = table && !(view.record && out.lang.is_none());
    let mut shaped = shape::apply(rows, &shape, view.brief, one_language)?;
    if view.record && table {
        shaped = shaped.transposed();
    } else if let Some(after) = &view.after {
        // Formats for programs carry the context as a field of the record.
        shaped
            .columns
            .push(output::Column::of_kind("context", db::contract::Kind::Text));
        for row in &mut shaped.data {
            row.push(Value::Text(after.clone()));
        }
    }
    let to_terminal = write::to_stdout(out.output.as_deref()) && io::stdout().is_terminal();
    if format == Format::Xlsx {
        return workbook_out(ctx, &shaped, view, out, to_terminal);
    }
    let color = write::to_stdout(out.output.as_deref()) && ctx.color.enabled(to_terminal);
    let width = fit_width(out, to_terminal);
    let opts = output::Options {
        format,
        excel: out.excel,
        width: if table { width } else { None },
        wrap: view.record || view.wrap,
        numbers: out.lang().numbers(),
        color,
        priority: view.priority,
    };
    let mut shown = output::render::Shown::default();
    write_out(ctx, out.output.as_deref(), |w| {
        shown = output::render(&shaped, &opts, w)?;
        if let (true, Some(after)) = (table, &view.after) {
            let safe = output::render::terminal_safe(after);
            let fitted = match width {
                Some(width) => output::table::wrap(&safe, width),
                None => safe.into_owned(),
            };
            let shown = if color {
                fitted.replace('【', "\x1b[1m【").replace('】', "】\x1b[0m")
            } else {
                fitted
            };
            writeln!(w, "\n{shown}")?;
        }
        Ok(())
    })?;
    let hidden = &shown.hidden;
    if !hidden.is_empty() {
        say(&format!(
            "{} column{} hidden to fit the width ({}); --wide shows all, --columns picks",
            hidden.len(),
            if hidden.len() == 1 { "" } else { "s" },
            hidden.join(", ")
        ));
    }
    if shown.squeezed {
        say("ids and numbers cut (…) to fit the width; --wide shows them whole");
    }
    if shaped.data.is_empty() && table {
        say("no rows");
    }
    Ok(())
}

/// The width output fits: `--width N`, else the terminal's (unless `--wide`); none when
/// piped or written to a file, where every cell is whole.
fn fit_width(out: &OutputArgs, to_terminal: bool) -> Option<usize> {
    if out.wide {
        return None;
    }
    out.width
        .or_else(|| to_terminal.then(terminal_width).flatten())
}

/// The terminal's width: as the terminal reports it, or, where it reports none (0, as
/// some containers' terminals do), `$COLUMNS`; `None` if neither says.
fn terminal_width() -> Option<usize> {
    comfy_table::Table::new()
        .width()
        .map(usize::from)
        .filter(|&w| w > 0)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<usize>().ok())
                .filter(|&w| w > 0)
        })
        .map(|w| w.clamp(args::MIN_WIDTH, args::MAX_WIDTH))
}

/// `--chart FIELD`: bars in the terminal, or an SVG for `--output FILE.svg`.
fn chart_out(
    ctx: &Ctx,
    rows: Rows,
    view: &View,
    out: &OutputArgs,
    args: &ShapeArgs,
    field: &str,
    shape: &Shape,
) -> Result<()> {
    let svg = out.format()? == Format::Svg;
    if !matches!(out.format()?, Format::Table | Format::Svg) || out.excel {
        return Err(UsageError(
            "--chart draws instead of the table: it takes --format svg (or --output FILE.svg) and no other format, and no --excel".into(),
        )
        .into());
    }
    if args.columns.is_some() {
        return Err(UsageError("--chart draws one column; it takes no --columns".into()).into());
    }
    let unit = rows
        .index(field)
        .and_then(|i| rows.columns[i].unit)
        .map(|u| format!(" ({u})"))
        .unwrap_or_default();
    let shaped = shape::apply(rows, shape, None, false)?;
    let (mut chart, source_ids) = chart::from_rows(&shaped, field, shape.count_by.is_some())?;
    chart.sources = source_labels(ctx, &source_ids)?;
    chart.title = match &shape.count_by {
        Some(facet) => format!("{} by {facet}: rows", view.title),
        None => format!("{}: {field}{unit}", view.title),
    };
    chart.log = args.log;
    if args.cumulative {
        chart = chart.cumulative();
    }
    if svg {
        return write_out(ctx, out.output.as_deref(), |w| Ok(chart::svg(&chart, w)?));
    }
    let to_terminal = write::to_stdout(out.output.as_deref()) && io::stdout().is_terminal();
    let width = fit_width(out, to_terminal);
    let color = to_terminal && ctx.color.enabled(true)
        || out.output.is_none() && ctx.color == ColorChoice::Always;
    let style = out.lang().numbers();
    write_out(ctx, out.output.as_deref(), |w| {
        Ok(chart::text(&chart, width, style, color, w)?)
    })
}

/// Rows as a workbook: the data sheet, and a notes sheet with the citation, the
/// sources the rows cite (with their pages) and what each column means. Binary, so
/// never to a terminal.
fn workbook_out(
    ctx: &Ctx,
    rows: &Rows,
    view: &View,
    out: &OutputArgs,
    to_terminal: bool,
) -> Result<()> {
    if to_terminal {
        return Err(UsageError(
            "an .xlsx workbook is binary and is not shown on a terminal: give --output FILE.xlsx, or redirect it (> FILE.xlsx)".into(),
        )
        .into());
    }
    let title = view.title.as_str();
    let cited: Vec<String> = match rows.index("source_id") {
        Some(i) => {
            let mut ids: Vec<String> = Vec::new();
            for row in &rows.data {
                let id = output::render::plain(&row[i]);
                if !id.is_empty() && !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids
        }
        None => Vec::new(),
    };
    let mut lines = output::xlsx::citation_lines(title);
    // A cell holds at most 32,767 characters; a command line (an SQL query) may be longer.
    let asked = command_line();
    let asked = match asked.char_indices().nth(2000) {
        Some((at, _)) => format!("{}…", &asked[..at]),
        None => asked,
    };
    lines.insert(1, format!("Asked: {asked}"));
    let mut sections = vec![output::xlsx::columns_section("Columns", None, rows)];
    if !cited.is_empty() {
        sections.push(output::xlsx::Section {
            heading: "Sources cited".into(),
            header: ["source_id", "label_zh", "label_en", "page"]
                .map(String::from)
                .to_vec(),
            rows: sources(ctx, &cited)?
                .into_iter()
                .map(|s| vec![s.id, s.label_zh, s.label_en, s.page])
                .collect(),
        });
    }
    let notes = output::xlsx::Notes {
        name: "about".into(),
        lines,
        sections,
        first: false,
    };
    let bytes = output::xlsx::workbook(&[output::xlsx::Sheet { name: title, rows }], &notes)?;
    match out.output.as_deref() {
        Some(path) if !write::to_stdout(Some(path)) => {
            write::file(path, write::Kind::Workbook, &ctx.rules(), |w| {
                Ok(w.write_all(&bytes)?)
            })
        }
        _ => write::stdout(|w| Ok(w.write_all(&bytes)?)),
    }
}

/// The command line as typed, for a workbook's notes (control characters shown as
/// symbols).
fn command_line() -> String {
    let words: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| {
            let a = a.to_string_lossy().into_owned();
            let safe = output::render::terminal_safe(&a).into_owned();
            if safe.is_empty() || safe.contains([' ', '\'', '"']) {
                format!("'{}'", safe.replace('\'', "'\\''"))
            } else {
                safe
            }
        })
        .collect();
    format!("aiinfra {}", words.join(" "))
}

/// A source of the report, as the notes and captions cite it.
struct Source {
    id: String,
    kind: String,
    label_en: String,
    label_zh: String,
    page: String,
}

/// The sources named by `ids`, in that order (an id the knowledge base does not hold
/// is given with no label).
fn sources(ctx: &Ctx, ids: &[String]) -> Result<Vec<Source>> {
    let all = ctx.db()?.fetch(&Query::new(
        "SELECT id, kind, label_en, label_zh, page FROM sources",
        Vec::new(),
    ))?;
    let text = |v: &Value| output::render::plain(v);
    Ok(ids
        .iter()
        .map(|id| match all.data.iter().find(|r| text(&r[0]) == *id) {
            Some(r) => Source {
                id: id.clone(),
                kind: text(&r[1]),
                label_en: text(&r[2]),
                label_zh: text(&r[3]),
                page: text(&r[4]),
            },
            None => Source {
                id: id.clone(),
                kind: String::new(),
                label_en: String::new(),
                label_zh: String::new(),
                page: String::new(),
            },
        })
        .collect())
}

/// The chart caption's line for each source: "Table 5: … (…), p.20".
fn source_labels(ctx: &Ctx, ids: &[String]) -> Result<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sources(ctx, ids)?
        .into_iter()
        .map(|s| {
            if s.kind.is_empty() {
                return s.id;
            }
            // Sections' labels carry their number; tables, figures and footnotes are
            // named by theirs ("table-5" → "Table 5").
            let word = match s.kind.as_str() {
                "table" => "Table",
                "figure" => "Figure",
                "footnote" => "Footnote",
                _ => "",
            };
            let name = match s.id.split_once('-') {
                Some((_, n)) if !word.is_empty() => format!("{word} {n}: "),
                _ => String::new(),
            };
            format!("{name}{} ({}), p.{}", s.label_en, s.label_zh, s.page)
        })
        .collect())
}

/// `--version`: the binary, the data compiled into it and whose it is, and with --db
/// the file's.
fn version(ctx: &Ctx) -> Result<String> {
    let mut text = format!(
        "aiinfra {}\ndata: {}; built-in seeds sha256:{}\nschema version {}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        db::seed::DATA_EDITION,
        &db::seed::embedded_checksum()[..16],
        db::migrate::latest_version(),
        report::ATTRIBUTION,
    );
    if let db::DataSource::File(path) = &ctx.source {
        let meta: std::collections::BTreeMap<String, String> =
            db::open::meta(ctx.db()?)?.into_iter().collect();
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

/// Write to `target` (whole, by the writer's rules) or to standard output.
fn write_out(
    ctx: &Ctx,
    target: Option<&Path>,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match target {
        Some(path) if !write::to_stdout(Some(path)) => {
            write::file(path, write::Kind::Text, &ctx.rules(), fill)
        }
        _ => write::stdout(fill),
    }
}

/// A line for the user on stderr; a closed stderr is not worth failing for.
fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}
