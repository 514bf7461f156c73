//! `aiinfra show ID`: one record from any table, every field, then its citation; with
//! `--context`, the paragraph of the report that holds its quote.

use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use crate::command::{CommandDef, Output, View};
use crate::ctx::Ctx;
use crate::db::contract::TABLES;
use crate::query::Query;

const EXAMPLES: &str = "\
Examples:
  aiinfra show ascend-910
  aiinfra show \"Ascend 910\" --format json
  aiinfra show 盘古NLP --context
  aiinfra show table-3";

const ABOUT: &str = "One record from any table, with its citation: source, page and quote";

pub static CMD: CommandDef =
    CommandDef::new("show", ABOUT, EXAMPLES, Args::augment_args, exec)
    .columns(columns)
    .pages();

/// The columns a record may have: its table's (any table's), after `entity`, then its
/// source's label and page.
fn columns() -> Vec<&'static str> {
    let mut names = vec!["entity"];
    for c in TABLES.iter().flat_map(|t| t.columns) {
        if !names.contains(&c.name) {
            names.push(c.name);
        }
    }
    names.extend(["source_label_zh", "source_label_en", "page"]);
    names
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record: its id in any case, or its name in Chinese or English (ascend-910, 昇腾910, "Ascend 910")
    #[arg(value_name = "ID", add = crate::complete::ids(TABLES.iter().map(|t| t.name).collect()))]
    pub id: String,

    /// After the record, print the paragraph of the report that holds its quote, the quote marked, with its section and page
    #[arg(long)]
    pub context: bool,
}

fn exec(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    let all: Vec<_> = TABLES.iter().collect();
    let candidates = ctx.candidates(&all)?;
    let found = crate::resolve::resolve(&args.id, &candidates, "record", "aiinfra search TEXT")?;
    let table = crate::ctx::table(found.table)?;
    // Table names come from the contract, never from input.
    let sql = if table.column("source_id").is_some() {
        format!(
            "SELECT '{t}' AS entity, t.*, s.label_zh AS source_label_zh, s.label_en AS source_label_en, \
             s.page AS page FROM {t} AS t JOIN sources AS s ON s.id = t.source_id WHERE t.id = ?1",
            t = table.name
        )
    } else {
        format!(
            "SELECT '{t}' AS entity, t.* FROM {t} AS t WHERE t.id = ?1",
            t = table.name
        )
    };
    let mut query = Query::new(sql, vec![Value::Text(found.id.clone())]);
    query.tables = vec![table];
    let mut view = View {
        title: found.id.clone(),
        record: true,
        ..View::default()
    };
    if args.context {
        view.after = Some(context(ctx, table.name, &found.id)?);
    }
    Ok(Output::Query(query, view))
}

/// The paragraph of the corrected report that holds a record's quote, the quote marked
/// 【thus】, after a line naming its source and page.
fn context(ctx: &Ctx, table: &str, id: &str) -> Result<String> {
    let sql = format!(
        "SELECT t.quote, s.id, s.label_zh, s.label_en, s.page FROM {table} AS t \
         LEFT JOIN sources AS s ON s.id = {} WHERE t.id = ?1",
        if table == "sources" {
            "t.id"
        } else {
            "t.source_id"
        }
    );
    let rows = ctx
        .db()?
        .fetch(&Query::new(sql, vec![Value::Text(id.to_string())]))?;
    let row = rows.data.into_iter().next().unwrap_or_default();
    let text = |i: usize| match row.get(i) {
        Some(Value::Text(s)) => s.clone(),
        Some(Value::Integer(n)) => n.to_string(),
        _ => String::new(),
    };
    let heading = format!("{} {} ({}), p.{}", text(1), text(2), text(3), text(4));
    let quote = text(0);
    if quote.is_empty() {
        return Ok(format!("{heading}\n(this record has no quote)"));
    }
    let report = crate::report::corrected()?;
    Ok(match report.find(&quote) {
        Some(at) => {
            let para = report.paragraph(at.clone());
            let t = report.text();
            format!(
                "{heading}\n{}【{}】{}",
                &t[para.start..at.start],
                &t[at.clone()],
                &t[at.end..para.end]
            )
        }
        None => format!(
            "{heading}\n(the quote is not in the report: `aiinfra db check` lists such rows)"
        ),
    })
}
