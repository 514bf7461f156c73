//! `aiinfra sources`: the report's tables, figures, sections and footnotes, with pages
//! and how many rows cite each; `sources ID`, one of them passage by passage, with the
//! rows whose quotes lie in each.

use anyhow::Result;
use rusqlite::types::Value;

use super::list::{Filter, ListSpec, One, Test};
use crate::command::{Output, View};
use crate::ctx::Ctx;
use crate::query::Query;

pub static SPEC: ListSpec = ListSpec::new(
    "sources",
    "The report's tables, figures, sections and footnotes: page and rows citing each",
)
.examples(
    "\
Examples:
  aiinfra sources
  aiinfra sources --kind table
  aiinfra sources --sort rows --desc --limit 5
  aiinfra sources table-3                 # its passages and the rows that quote each",
)
.derived(&[(
    "rows",
    "(SELECT count(*) FROM citations AS c WHERE c.source_id = t.id)",
    Some("page"),
    "how many rows of the knowledge base cite it",
)])
.brief("id kind label_* page rows")
.order(&["t.rowid"])
.filters(&[Filter::new("kind", "kind", Test::Is)])
.one(One {
    value_name: "ID",
    help: "A source's id (table-3, sec-2.3.2, figure-2, footnote-1): its passages, in order, each with the rows whose quotes lie in it",
    exec: passages,
});

/// One source's passages, in order, each with the rows its text supports (as
/// `row_passages` links them).
fn passages(ctx: &Ctx, key: &str) -> Result<Output> {
    let id = ctx.source_id(key)?;
    let sql = "SELECT p.id, p.kind, p.text, \
               (SELECT group_concat(r.row_id, ', ') FROM row_passages AS r WHERE r.passage_id = p.id) AS rows, \
               p.source_id, p.page FROM passages AS p WHERE p.source_id = ?1 ORDER BY p.position";
    let mut query = Query::new(sql, vec![Value::Text(id.clone())]);
    query.tables = vec![crate::ctx::table("passages")?];
    Ok(Output::Query(
        query,
        View {
            wrap: true,
            least: &[("text", 30)],
            priority: Some(&["id", "text", "rows", "kind", "page", "source_id"]),
            ..View::titled(format!("source {id}"))
        },
    ))
}
