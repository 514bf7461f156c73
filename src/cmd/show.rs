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

pub static CMD: CommandDef = CommandDef {
    columns,
    pages: true,
    ..CommandDef::new("show", ABOUT, EXAMPLES, Args::augment_args, exec)
};

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

/// The passages of the report a record's quote lies in (as `row_passages` links
/// them), the quote marked 【thus】, after a line naming their part and page; a table
/// row comes after its table's header row, so that it prints as a table.
fn context(ctx: &Ctx, table: &str, id: &str) -> Result<String> {
    let db = ctx.db()?;
    let text = |row: &[Value], i: usize| match row.get(i) {
        Some(Value::Text(s)) => s.clone(),
        Some(Value::Integer(n)) => n.to_string(),
        _ => String::new(),
    };
    let quote = db.fetch(&Query::new(
        format!("SELECT quote FROM {table} WHERE id = ?1"),
        vec![Value::Text(id.to_string())],
    ))?;
    let quote = quote.data.first().map(|r| text(r, 0)).unwrap_or_default();
    if quote.is_empty() {
        return Ok("(this record has no quote)".to_string());
    }
    let linked = db.fetch(&Query::new(
        "SELECT p.id, p.kind, p.text, coalesce(p.source_id, ''), coalesce(s.label_zh, ''), \
         coalesce(s.label_en, ''), p.page FROM row_passages AS r JOIN passages AS p ON p.id = r.passage_id \
         LEFT JOIN sources AS s ON s.id = p.source_id WHERE r.entity = ?1 AND r.row_id = ?2 \
         ORDER BY p.position",
        vec![Value::Text(table.to_string()), Value::Text(id.to_string())],
    ))?;
    let Some(first) = linked.data.first() else {
        // No passage is linked: the quote is not in the report, or this database's
        // passages or links are missing.
        let in_report = crate::report::corrected().is_ok_and(|r| r.contains(&quote));
        return Ok(if in_report {
            "(no passage of this database holds the quote, which is in the report: its passages or links are missing; `aiinfra db check` says which)"
        } else {
            "(the quote is not in the report: `aiinfra db check` lists such rows)"
        }
        .to_string());
    };
    let heading = match text(first, 3) {
        source if source.is_empty() => "the report's front matter".to_string(),
        source => format!(
            "{source} {} ({}), p.{}",
            text(first, 4),
            text(first, 5),
            text(first, 6)
        ),
    };
    let mut lines: Vec<String> = Vec::new();
    if text(first, 1) == "row" {
        let header = db.fetch(&Query::new(
            "SELECT id, text FROM passages WHERE source_id = ?1 AND kind = 'row' ORDER BY position LIMIT 1",
            vec![Value::Text(text(first, 3))],
        ))?;
        if let Some(h) = header.data.first()
            && text(h, 0) != text(first, 0)
        {
            lines.push(text(h, 1));
        }
    }
    let start = lines.len();
    lines.extend(linked.data.iter().map(|r| text(r, 2)));
    // The quote marked where it stands in the linked passages, whitespace aside.
    let body = lines[start..].join("\n");
    let found = crate::report::Report::new(body.clone()).find(&quote);
    let marked = match found {
        Some(at) => format!("{}【{}】{}", &body[..at.start], &body[at.clone()], &body[at.end..]),
        None => format!(
            "{body}\n(the passages linked to this record do not hold its quote: this database's passages differ from the report's; `aiinfra db check` says how)"
        ),
    };
    lines.truncate(start);
    lines.push(marked);
    Ok(format!("{heading}\n{}", lines.join("\n")))
}
