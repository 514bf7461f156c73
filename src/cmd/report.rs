//! `aiinfra report [ID]`: the report itself, as corrected by the errata: the whole
//! text, or the section, table, figure or footnote a source id names; `--errata` lists
//! the corrections; `--raw` shows the text as extracted.

use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use std::ops::Range;

use crate::command::{CommandDef, Output, Returns, View};
use crate::ctx::Ctx;
use crate::db::accounts::{self, Accounts, Number};
use crate::db::contract::Kind;
use crate::error::UsageError;
use crate::numbers::Value as Stating;
use crate::output::{Column, Rows};
use crate::passages::{self, Passage};
use crate::query::Query;
use crate::report::{self, Part};
use crate::units;

const EXAMPLES: &str = "\
Examples:
  aiinfra report sec-2.3.2                # the chips section, as the report reads
  aiinfra report table-1 --raw            # Table 1 as the PDF extraction left it
  aiinfra report --errata --format csv    # every correction of the extraction
  aiinfra report sec-2.1.3 --numbers      # each number marked with the rows that hold it
  aiinfra report --numbers --count-by account
  aiinfra report > report.txt";

const ABOUT: &str =
    "The report's text (corrected), or one section, table, figure or footnote of it";

pub static CMD: CommandDef = CommandDef {
    returns: &[Returns::Text, Returns::Rows],
    pages: true,
    columns,
    ..CommandDef::new("report", ABOUT, EXAMPLES, Args::augment_args, exec)
};

/// The columns `report` may print: a part's, the errata's, the numbers', each once.
fn columns() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    for c in [PART_COLUMNS, ERRATA_COLUMNS, NUMBER_COLUMNS].concat() {
        if !all.contains(&c) {
            all.push(c);
        }
    }
    all
}

/// The columns of a part of the report, of the errata, and of its numbers.
const PART_COLUMNS: &[&str] = &["id", "label_zh", "label_en", "page", "text"];
const ERRATA_COLUMNS: &[&str] = &["line", "kind", "raw", "corrected", "note"];
const NUMBER_COLUMNS: &[&str] = &[
    "passage",
    "number",
    "kind",
    "value",
    "date",
    "account",
    "why",
    "held_by",
    "reason",
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A source id: sec-2.3.2, table-4, figure-2, footnote-1 (aiinfra sources lists them); all of it without
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// The text as extracted from the PDF, before the errata
    #[arg(long, conflicts_with = "errata")]
    pub raw: bool,

    /// List the errata: each extraction error, what it was corrected to, its kind and a note
    #[arg(long, conflicts_with = "id")]
    pub errata: bool,

    /// Mark every number the report states with the ids of the rows that hold it, or `uncaptured` and why no row does (report/uncaptured.csv); csv and json, or --columns, --sort, --count-by, --limit: one row per number
    #[arg(long, conflicts_with_all = ["raw", "errata"])]
    pub numbers: bool,
}

fn exec(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    if args.errata {
        return errata();
    }
    if args.numbers {
        return numbers(ctx, m, args.id.as_deref());
    }
    // The corrected report and its parts were found by the build (prebuilt); the raw
    // text is read here, on the rare run that asks for it.
    let text: &str = if args.raw {
        report::RAW
    } else {
        crate::prebuilt::CORRECTED
    };
    let Some(id) = &args.id else {
        return Ok(document(None, text.to_string()));
    };
    let (row, range) = part_of(ctx, text, !args.raw, id)?;
    let body = text.get(range).unwrap_or_default().to_string();
    Ok(document(Some(&row), body))
}

/// The `sources` row (id, kind, label_zh, label_en, page) of the part `id` names, and
/// where it stands in `text` (the corrected report, where `corrected`, whose parts the
/// build found for the built-in sources; else the raw one).
fn part_of(
    ctx: &Ctx,
    report_text: &str,
    corrected: bool,
    id: &str,
) -> Result<(Vec<String>, Range<usize>)> {
    let sources = ctx.db()?.fetch(&Query::new(
        "SELECT id, kind, label_zh, label_en, page FROM sources ORDER BY rowid",
        Vec::new(),
    ))?;
    let text = |row: &[Value], i: usize| match &row[i] {
        Value::Text(s) => s.clone(),
        Value::Integer(n) => n.to_string(),
        _ => String::new(),
    };
    let all: Vec<Vec<String>> = sources
        .data
        .iter()
        .map(|r| (0..5).map(|i| text(r, i)).collect())
        .collect();
    let key = id.trim().to_ascii_lowercase();
    let Some(row) = all.iter().find(|r| r[0] == key) else {
        let hint = crate::text::suggest(&key, all.iter().map(|r| r[0].as_str()));
        return Err(UsageError(format!(
            "no source has the id {id:?}{hint} (aiinfra sources lists them)"
        ))
        .into());
    };
    let headings: Vec<Part<'_>> = all
        .iter()
        .filter(|r| r[1] == "section")
        .map(|r| Part {
            id: &r[0],
            label: &r[2],
        })
        .collect();
    let part = Part {
        id: &row[0],
        label: &row[2],
    };
    // The build found the built-in sources' parts; a source of a `--db` file or a
    // seed folder (its title may differ), or the raw text, is looked for here.
    let prebuilt = match &ctx.source {
        crate::db::DataSource::Embedded if corrected => crate::prebuilt::part(&row[0]),
        _ => None,
    };
    let found =
        prebuilt.or_else(|| report::Report::new(report_text.to_string()).part(part, &headings));
    match found {
        Some(range) => Ok((row.clone(), range)),
        None => Err(anyhow::anyhow!(
            "{} ({}) is not found in the report's text: its heading or caption is missing",
            row[0],
            row[2]
        )),
    }
}

/// The row options that make `--numbers` list its rows rather than mark the text.
const ROW_OPTIONS: &[&str] = &[
    "columns", "sort", "desc", "limit", "count_by", "chart", "excel",
];

/// `--numbers`: the part (or all) of the report with every stated number marked by the
/// rows that hold it or its line in the list of uncaptured numbers; the same as one
/// row per number for csv, json and the row options.
fn numbers(ctx: &Ctx, m: &ArgMatches, id: Option<&str>) -> Result<Output> {
    let report = report::corrected()?;
    let (head, range) = match id {
        Some(id) => {
            let (row, range) = part_of(ctx, report.text(), true, id)?;
            (Some(row), range)
        }
        None => (None, 0..report.text().len()),
    };
    let listed = accounts::parse_list(accounts::UNCAPTURED, accounts::UNCAPTURED_SHOWN)
        .map_err(|p| anyhow::anyhow!("{}", p.join("\n  ")))?;
    let accounts = accounts::account(
        ctx.db()?.connection(),
        report,
        listed,
        accounts::UNCAPTURED_SHOWN,
    )?;
    let inside = |p: &Passage| range.start <= p.span.start && p.span.end <= range.end;
    let columns = Column::list(
        NUMBER_COLUMNS,
        &[("value", Kind::Real)],
    );
    let mut data = Vec::new();
    for n in &accounts.numbers {
        let passage = &accounts.passages[n.passage];
        if !inside(passage) {
            continue;
        }
        let (value, date) = match n.stated.value {
            Stating::Number(v) => (Value::Real(v), Value::Null),
            Stating::Range(a, b) => (
                Value::Null,
                Value::Text(format!("{}-{}", units::shortest(a), units::shortest(b))),
            ),
            Stating::Date(d) => (Value::Null, Value::Text(d.period())),
            Stating::Dates(a, b) => (Value::Null, Value::Text(format!("{}/{}", a.period(), b.period()))),
        };
        let listed = n.listed.map(|k| &accounts.listed[k]);
        let account = match (n.held_by.is_empty(), listed) {
            (false, _) => "held",
            (true, Some(_)) => "uncaptured",
            (true, None) => "unaccounted",
        };
        let held_by: Vec<&str> = n.held_by.iter().map(|h| h.id.as_str()).collect();
        let optional = |s: String| if s.is_empty() { Value::Null } else { Value::Text(s) };
        data.push(vec![
            Value::Text(passage.id.clone()),
            Value::Text(n.stated.printed.clone()),
            Value::Text(n.stated.kind.word().to_string()),
            value,
            date,
            Value::Text(account.to_string()),
            match (account, listed) {
                ("held", _) => Value::Text("held".into()),
                (_, Some(l)) => Value::Text(l.why.clone()),
                _ => Value::Null,
            },
            optional(held_by.join(", ")),
            optional(listed.map(|l| l.reason.clone()).unwrap_or_default()),
        ]);
    }
    let rows = Rows { columns, data };
    let asked_rows = ROW_OPTIONS
        .iter()
        .any(|id| m.try_contains_id(id).unwrap_or(false) && m.value_source(id) == Some(clap::parser::ValueSource::CommandLine));
    if asked_rows {
        return Ok(Output::Rows(rows, View::titled("numbers")));
    }
    let text = marked(&accounts, head.as_ref(), &inside);
    Ok(Output::Text { text, rows })
}

/// The passages `inside` picks, each number marked `[n]` after it and listed under its
/// passage with the rows that hold it, or `uncaptured` and why.
fn marked(accounts: &Accounts, head: Option<&Vec<String>>, inside: &dyn Fn(&Passage) -> bool) -> String {
    let mut out = String::new();
    if let Some(r) = head {
        out.push_str(&format!("{} {} ({}), p.{}\n", r[0], r[2], r[3], r[4]));
    }
    let picked: Vec<&Number> = accounts
        .numbers
        .iter()
        .filter(|n| inside(&accounts.passages[n.passage]))
        .collect();
    let count = |account: fn(&Number) -> bool| picked.iter().filter(|n| account(n)).count();
    let held = count(|n| !n.held_by.is_empty());
    let listed = count(|n| n.held_by.is_empty() && n.listed.is_some());
    let neither = picked.len() - held - listed;
    out.push_str(&format!(
        "{} number{} stated: {held} held by rows, {listed} listed uncaptured ({})",
        picked.len(),
        if picked.len() == 1 { "" } else { "s" },
        accounts::UNCAPTURED_SHOWN
    ));
    if neither > 0 {
        out.push_str(&format!(", {neither} neither (db check fails)"));
    }
    out.push('\n');
    // A paragraph's legend comes right under it; a table's under its last row, its
    // marks counted through the table.
    let mut pending: Vec<String> = Vec::new();
    let mut previous_row = false;
    let mut mark = 0;
    for (i, p) in accounts.passages.iter().enumerate() {
        if !inside(p) {
            continue;
        }
        let is_row = matches!(p.kind, passages::Kind::Row | passages::Kind::Contents);
        if !(is_row && previous_row) {
            flush(&mut out, &mut pending);
            out.push('\n');
            mark = 0;
        }
        previous_row = is_row;
        let numbers: Vec<&Number> = accounts.numbers.iter().filter(|n| n.passage == i).collect();
        let local = |r: Range<usize>| &p.text[r.start - p.span.start..r.end - p.span.start];
        let mut text = String::new();
        let mut at = p.span.start;
        for (k, n) in numbers.iter().enumerate() {
            let span = &n.stated.span;
            text.push_str(local(at..span.end));
            text.push_str(&format!("[{}]", mark + k + 1));
            at = span.end;
        }
        text.push_str(local(at..p.span.end));
        out.push_str(&joined(&text, is_row));
        out.push('\n');
        for (k, n) in numbers.iter().enumerate() {
            let account = if !n.held_by.is_empty() {
                n.held_by
                    .iter()
                    .map(|h| h.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else if let Some(l) = n.listed {
                let l = &accounts.listed[l];
                format!("uncaptured ({}): {}", l.why, l.reason)
            } else {
                "neither held by a row nor listed (db check fails)".to_string()
            };
            let id = if k == 0 { p.id.as_str() } else { "" };
            pending.push(format!(
                "{id}\t[{}]\t{}\t{account}",
                mark + k + 1,
                n.stated.printed
            ));
        }
        mark += numbers.len();
        if !is_row {
            flush(&mut out, &mut pending);
        }
    }
    flush(&mut out, &mut pending);
    out
}

/// Write the pending legend lines after a blank line when they follow a table's rows
/// (so that the rows align apart from them), else right under their passage.
fn flush(out: &mut String, pending: &mut Vec<String>) {
    if pending.is_empty() {
        return;
    }
    if out.ends_with('\n') && !out.ends_with("\n\n") && last_line_is_row(out) {
        out.push('\n');
    }
    for line in pending.drain(..) {
        out.push_str(&line);
        out.push('\n');
    }
}

fn last_line_is_row(out: &str) -> bool {
    out.trim_end_matches('\n')
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.contains('\t'))
}

/// A paragraph's lines as one line (the PDF's line breaks are not the report's): lines
/// join without a space between Chinese characters, with one otherwise. A table row
/// stays as it is.
fn joined(text: &str, row: bool) -> String {
    if row {
        return text.to_string();
    }
    let mut out = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
        let cjk_join = wide(out.chars().next_back()) && wide(line.chars().next());
        if !out.is_empty() && !cjk_join {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The text as output, with the same as one row for formats other than a table.
fn document(source: Option<&Vec<String>>, body: String) -> Output {
    let (text, values) = match source {
        Some(r) => (
            format!("{} {} ({}), p.{}\n\n{body}\n", r[0], r[2], r[3], r[4]),
            vec![
                Value::Text(r[0].clone()),
                Value::Text(r[2].clone()),
                Value::Text(r[3].clone()),
                r[4].parse::<i64>().map_or(Value::Null, Value::Integer),
                Value::Text(body),
            ],
        ),
        None => (
            format!("{}\n", body.trim_end()),
            vec![
                Value::Null,
                Value::Text(report::TITLE.into()),
                Value::Text(report::TITLE_EN.into()),
                Value::Null,
                Value::Text(body),
            ],
        ),
    };
    let columns = Column::list(PART_COLUMNS, &[("page", Kind::Integer)]);
    Output::Text {
        text,
        rows: Rows {
            columns,
            data: vec![values],
        },
    }
}

/// The errata as rows.
fn errata() -> Result<Output> {
    let errata = report::errata()?;
    let columns = Column::list(ERRATA_COLUMNS, &[("line", Kind::Integer)]);
    let data = errata
        .into_iter()
        .map(|e| {
            vec![
                Value::Integer(e.line as i64),
                Value::Text(e.kind.word().into()),
                Value::Text(e.raw),
                Value::Text(e.corrected),
                Value::Text(e.note),
            ]
        })
        .collect();
    Ok(Output::Rows(Rows { columns, data }, View::titled("errata")))
}
