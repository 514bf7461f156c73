//! `aiinfra report [ID]`: the report itself, as corrected by the errata: the whole
//! text, or the section, table, figure or footnote a source id names; `--errata` lists
//! the corrections; `--raw` shows the text as extracted.

use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use crate::command::{CommandDef, Output, Returns, View};
use crate::ctx::Ctx;
use crate::db::contract::Kind;
use crate::error::UsageError;
use crate::output::{Column, Rows};
use crate::query::Query;
use crate::report::{self, Part};

const EXAMPLES: &str = "\
Examples:
  aiinfra report sec-2.3.2                # the chips section, as the report reads
  aiinfra report table-1 --raw            # Table 1 as the PDF extraction left it
  aiinfra report --errata --format csv    # every correction of the extraction
  aiinfra report > report.txt";

const ABOUT: &str =
    "The report's text (corrected), or one section, table, figure or footnote of it";

pub static CMD: CommandDef = CommandDef::new("report", ABOUT, EXAMPLES, Args::augment_args, exec)
    .returns(&[Returns::Text, Returns::Rows])
    .pages()
    .columns(|| [PART_COLUMNS, ERRATA_COLUMNS].concat());

/// The columns of a part of the report, and of the errata.
const PART_COLUMNS: &[&str] = &["id", "label_zh", "label_en", "page", "text"];
const ERRATA_COLUMNS: &[&str] = &["line", "kind", "raw", "corrected", "note"];

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
}

fn exec(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    if args.errata {
        return errata();
    }
    let report = if args.raw {
        report::Report::new(report::RAW.to_string())
    } else {
        report::Report::new(report::corrected()?.text().to_string())
    };
    let Some(id) = &args.id else {
        let text = report.text().to_string();
        return Ok(document(None, text));
    };
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
    let body = match report.part(part, &headings) {
        Some(range) => report.text()[range].to_string(),
        None => {
            return Err(anyhow::anyhow!(
                "{} ({}) is not found in the report's text: its heading or caption is missing",
                row[0],
                row[2]
            ));
        }
    };
    Ok(document(Some(row), body))
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
