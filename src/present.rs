//! What happens after the command: its output under the plan. A query is run (only the
//! first `--limit` rows when the shape does not need them all), rows are shaped and
//! rendered as a table (fitted to the plan's width), text, a chart or a workbook (CSV,
//! TSV and JSON Lines a part at a time as the rows are read, where the shape needs no
//! other row), and the bytes go to standard output or a file through the one writer.
//! Every line for a person on stderr leaves through `message::say`.

use std::io::Write;

use anyhow::Result;
use clap::ArgMatches;
use rusqlite::types::Value;

use crate::command::{Output, View};
use crate::ctx::Ctx;
use crate::error::UsageError;
use crate::message::say;
use crate::output::shape;
use crate::output::{self, Format, Rows, chart};
use crate::plan::Plan;
use crate::query::Query;
use crate::{db, report, write};

/// The checks of where output goes, before any work: not an input, a link, a device
/// or a folder, in a folder that exists.
pub fn check_destination(plan: &Plan, ctx: &Ctx) -> Result<()> {
    if let Some(path) = plan.file() {
        write::check_place(path, &ctx.rules)?;
    }
    Ok(())
}

/// Turn what a command produced into output, as the plan says. Rows are named after
/// the command that made them (a workbook's sheet, a chart's title) unless the command
/// named them.
pub fn output(plan: &Plan, ctx: &Ctx, output: Output) -> Result<()> {
    let titled = |view: View| {
        if view.title.is_empty() {
            View {
                title: plan.command.name.to_string(),
                ..view
            }
        } else {
            view
        }
    };
    match output {
        Output::Query(query, view) => {
            if plan.show_sql {
                plan.text_only("--show-sql prints the SQL as text")?;
                let text = query.explain();
                return write_out(ctx, plan, |w| Ok(w.write_all(text.as_bytes())?));
            }
            let format = plan.format()?;
            let view = titled(view);
            if output::render::streams(format) && !plan.shape.needs_every_row() {
                stream_out(plan, ctx, &query, &view, format)?;
                for note in &view.notes {
                    say(note);
                }
                return Ok(());
            }
            // Without sorting, counting or drawing, only the first --limit rows are needed.
            let limit = if plan.shape.needs_every_row() {
                None
            } else {
                plan.shape.limit
            };
            let rows = ctx.db()?.fetch_result(&query, limit)?;
            rows_out(plan, ctx, rows, &view, format)
        }
        Output::Rows(rows, view) => {
            let format = plan.format()?;
            rows_out(plan, ctx, rows, &titled(view), format)
        }
        Output::Text { text, rows } => match plan.format()? {
            Format::Table => {
                let safe = crate::text::safe(&text);
                // On a terminal (or with --width) paragraphs wrap and the report's
                // tables are laid out in columns.
                let shown = match plan.fit_width() {
                    Some(width) => {
                        let mut fitted = output::table::fit_text(&safe, width);
                        fitted.push('\n');
                        fitted
                    }
                    None => safe.into_owned(),
                };
                write_out(ctx, plan, |w| Ok(w.write_all(shown.as_bytes())?))
            }
            format => rows_out(plan, ctx, rows, &titled(View::default()), format),
        },
        Output::Said(line) => {
            say(&line);
            Ok(())
        }
        Output::Stream(fill) => {
            plan.text_only("this command writes text")?;
            write_out(ctx, plan, fill)
        }
    }
}

/// Rows to a chart, or shaped and rendered; then the view's notes on stderr.
fn rows_out(plan: &Plan, ctx: &Ctx, rows: Rows, view: &View, format: Format) -> Result<()> {
    shown_out(plan, ctx, rows, view, format)?;
    for note in &view.notes {
        say(note);
    }
    Ok(())
}

/// The shape `--chart` draws with: where the view says what a chart of its rows counts
/// (a timeline's years), `--chart` alone (or naming that column) counts it.
fn chart_shape(plan: &Plan, view: &View) -> Option<shape::Shape> {
    let by = view.chart_by?;
    let chart = plan.shape.chart.as_ref()?;
    let counts = plan.shape.count_by.is_none() && chart.field.as_deref().is_none_or(|f| f == by);
    counts.then(|| shape::Shape {
        count_by: Some(by.to_string()),
        chart: Some(shape::Chart {
            field: None,
            ..chart.clone()
        }),
        ..plan.shape.clone()
    })
}

fn shown_out(plan: &Plan, ctx: &Ctx, rows: Rows, view: &View, format: Format) -> Result<()> {
    // Said first: which column to draw is the next question, and this one's answer.
    if plan.shape.chart.is_some() && plan.shape.columns.is_some() {
        return Err(UsageError("--chart draws one column; it takes no --columns".into()).into());
    }
    if let Some(counted) = chart_shape(plan, view) {
        let by = counted.count_by.clone().unwrap_or_default();
        return chart_out(plan, ctx, rows, view, format, &counted, &by);
    }
    let shape = &plan.shape;
    if let Some(field) = shape.chart_field(&rows) {
        return chart_out(plan, ctx, rows, view, format, shape, &field?);
    }
    if format == Format::Svg {
        return Err(UsageError("an SVG holds a chart: add --chart FIELD".into()).into());
    }
    let table = format == Format::Table;
    // A table shows one language's names; a single record shows both unless --lang
    // picks one.
    let one_language = table && !(view.record && plan.lang.is_none());
    let mut shaped = shape::apply(rows, shape, view.brief, one_language)?;
    if view.record && table {
        shaped = shaped.transposed();
    } else {
        with_context(&mut shaped, view);
    }
    if format == Format::Xlsx {
        return workbook_out(plan, ctx, &shaped, view);
    }
    let color = plan.color();
    let width = plan.fit_width();
    let opts = output::Options {
        format,
        excel: plan.excel,
        width: if table { width } else { None },
        wrap: view.record || view.wrap,
        numbers: plan.lang().numbers(),
        color,
        priority: view.priority,
        asked: asked(plan, view),
        least: view.least,
    };
    let mut shown = output::render::Shown::default();
    write_out(ctx, plan, |w| {
        shown = output::render(&shaped, &opts, w)?;
        if let (true, Some(after)) = (table, &view.after) {
            let safe = crate::text::safe(after);
            let fitted = match width {
                Some(width) => output::table::fit_text(&safe, width),
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
    if shown.cut_lines > 0 {
        say(&format!(
            "{} cell{} of more than {} lines cut in the table; csv and json carry them whole",
            shown.cut_lines,
            if shown.cut_lines == 1 { "" } else { "s" },
            output::render::MAX_CELL_LINES
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

/// Formats for programs carry a view's context (what a profile says after its record)
/// as a field of each record.
fn with_context(rows: &mut Rows, view: &View) {
    if let Some(after) = &view.after {
        rows.columns
            .push(output::Column::of_kind("context", db::contract::Kind::Text));
        for row in &mut rows.data {
            row.push(Value::Text(after.clone()));
        }
    }
}

/// The most rows, and bytes of values, read before a part is written.
const PART_ROWS: usize = 1024;
const PART_BYTES: usize = 1 << 20;

/// A query's rows in a format that streams (CSV, TSV, JSON Lines), shaped and rendered a
/// part at a time as they are read, so that memory holds one part of the rows, never
/// all of them: into the output file as they come (written whole or not at all, as
/// every file), or into the text that goes to standard output at the end, so that a
/// result refused for its size writes nothing there either. The same cap on the
/// result as every query's. Only for a shape that needs no other row (no sorting,
/// counting or drawing); `--limit` stops the reading.
fn stream_out(plan: &Plan, ctx: &Ctx, query: &Query, view: &View, format: Format) -> Result<()> {
    let db = ctx.db()?;
    // The limit is kept while reading; each part is shaped without it.
    let shape = shape::Shape {
        limit: None,
        ..plan.shape.clone()
    };
    let limit = plan
        .shape
        .limit
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let opts = output::Options {
        format,
        excel: plan.excel,
        ..output::Options::default()
    };
    let fill = |w: &mut dyn Write| -> Result<()> {
        let first = std::cell::Cell::new(true);
        let part = |rows: Rows, w: &mut dyn Write| -> Result<()> {
            crate::guard::checkpoint("writing the rows")?;
            let mut shaped = shape::apply(rows, &shape, view.brief, false)?;
            with_context(&mut shaped, view);
            output::render::render_part(&shaped, &opts, first.get(), w)?;
            first.set(false);
            Ok(())
        };
        let (mut read, mut bytes) = (0usize, 0usize);
        let mut budget = db::exec::Budget::default();
        let start = |names| Rows::described_with(names, &query.tables, &query.extra);
        let rest = db.each(query, start, |rows: &mut Rows, values| {
            if read == limit {
                return Ok(false);
            }
            read += 1;
            budget.count(db, &values, true)?;
            bytes += values.iter().map(db::exec::value_bytes).sum::<usize>();
            rows.data.push(values);
            if rows.data.len() >= PART_ROWS || bytes >= PART_BYTES {
                let columns = rows.columns.clone();
                let full = std::mem::replace(
                    rows,
                    Rows {
                        columns,
                        data: Vec::new(),
                    },
                );
                part(full, w)?;
                bytes = 0;
            }
            Ok(read < limit)
        })?;
        // The last rows; or, of a result with none, the header.
        if first.get() || !rest.data.is_empty() {
            part(rest, w)?;
        }
        Ok(())
    };
    if plan.file().is_some() {
        return write_out(ctx, plan, fill);
    }
    let mut text = Vec::new();
    fill(&mut text)?;
    write_out(ctx, plan, |w| Ok(w.write_all(&text)?))
}

/// The columns the question named: `--columns`, `--sort`, `--count-by`, `--chart`, and
/// the columns of the range filters the command was given.
fn asked(plan: &Plan, view: &View) -> Vec<String> {
    let shape = &plan.shape;
    let mut asked: Vec<String> = shape.columns.clone().unwrap_or_default();
    asked.extend(shape.sort.clone());
    asked.extend(shape.count_by.clone());
    asked.extend(shape.chart.as_ref().and_then(|c| c.field.clone()));
    asked.extend(view.asked.iter().map(|s| s.to_string()));
    asked
}

/// `--chart FIELD`: bars in the terminal, or an SVG for `--output FILE.svg`.
fn chart_out(
    plan: &Plan,
    ctx: &Ctx,
    rows: Rows,
    view: &View,
    format: Format,
    shape: &shape::Shape,
    field: &str,
) -> Result<()> {
    if !matches!(format, Format::Table | Format::Svg) || plan.excel {
        return Err(UsageError(
            "--chart draws instead of the table: it takes --format svg (or --output FILE.svg) and no other format, and no --excel".into(),
        )
        .into());
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
    if let Some(options) = &shape.chart {
        chart.log = options.log;
        if options.cumulative {
            chart = chart.cumulative();
        }
    }
    if format == Format::Svg {
        return write_out(ctx, plan, |w| Ok(chart::svg(&chart, w)?));
    }
    let width = plan.fit_width();
    let color = plan.color();
    let style = plan.lang().numbers();
    write_out(ctx, plan, |w| {
        Ok(chart::text(&chart, width, style, color, w)?)
    })
}

/// Rows as a workbook: the data sheet, and a notes sheet with the citation, the
/// sources the rows cite (with their pages) and what each column means. Binary, so
/// never to a terminal.
fn workbook_out(plan: &Plan, ctx: &Ctx, rows: &Rows, view: &View) -> Result<()> {
    if plan.to_terminal() {
        return Err(UsageError(
            "an .xlsx workbook is binary and is not shown on a terminal: give --output FILE.xlsx, or redirect it (> FILE.xlsx)".into(),
        )
        .into());
    }
    let title = view.title.as_str();
    let cited: Vec<String> = match rows.index("source_id") {
        Some(i) => {
            let mut seen = std::collections::HashSet::new();
            rows.data
                .iter()
                .map(|row| output::render::plain(&row[i]))
                .filter(|id| !id.is_empty() && seen.insert(id.clone()))
                .collect()
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
    match plan.file() {
        Some(path) => write::file(
            path,
            write::Kind::Owned(output::xlsx::recognise),
            &ctx.rules,
            |w| Ok(w.write_all(&bytes)?),
        ),
        None => write::stdout(|w| Ok(w.write_all(&bytes)?)),
    }
}

/// The command line as typed, for a workbook's notes (control characters shown as
/// symbols).
fn command_line() -> String {
    let words: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| {
            let a = a.to_string_lossy().into_owned();
            let safe = crate::text::safe(&a).into_owned();
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
    let by_id: std::collections::HashMap<String, &Vec<Value>> =
        all.data.iter().map(|r| (text(&r[0]), r)).collect();
    Ok(ids
        .iter()
        .map(|id| match by_id.get(id) {
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
pub fn version(matches: &ArgMatches) -> Result<()> {
    let data = crate::args::DataArgs::merged(matches, None);
    let ctx = Ctx::new(
        data.source(),
        data.source_name(),
        data.timeout(),
        false,
        Vec::new(),
        clap::Command::default,
    );
    let text = version_text(&ctx)?;
    write::stdout(|w| Ok(w.write_all(text.as_bytes())?))
}

fn version_text(ctx: &Ctx) -> Result<String> {
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
        // What the file says is data, shown safely (a crafted file's escape sequence is
        // shown, not obeyed) and cut by characters, never inside one.
        let get = |k: &str, most: usize| {
            let value = meta.get(k).map_or("unknown", |v| v.as_str());
            crate::text::safe(&value.chars().take(most).collect::<String>()).into_owned()
        };
        text.push_str(&format!(
            "{}: written by aiinfra {} from {} seeds sha256:{}\n",
            crate::text::safe(&path.display().to_string()),
            get("aiinfra_version", 40),
            get("seeds", 40),
            get("data_checksum", 16)
        ));
    }
    Ok(text)
}

/// Write to the plan's file (whole, by the writer's rules) or to standard output.
fn write_out(
    ctx: &Ctx,
    plan: &Plan,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match (plan.file(), &plan.pager) {
        (Some(path), _) => write::file(path, write::Kind::Text, &ctx.rules, fill),
        // The text is made whole (it is bounded: a part of the report, one record),
        // then paged if it is longer than the screen.
        (None, Some(pager)) => {
            let mut text = Vec::new();
            fill(&mut text)?;
            let note = pager.show(&text, |text| write::stdout(|w| Ok(w.write_all(text)?)))?;
            if let Some(note) = note {
                say(&note);
            }
            Ok(())
        }
        (None, None) => write::stdout(fill),
    }
}
