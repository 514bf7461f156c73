//! `aiinfra show ID`: one record from any table, every field, then its citation.

use anyhow::{Result, bail};
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::cli::OutputArgs;
use crate::db::contract::{Kind, TABLES};
use crate::db::seed::suggest;
use crate::output::Rows;
use crate::query::Query;

const EXAMPLES: &str = "\
Examples:
  aiinfra show ascend-910
  aiinfra show gpt-3 --format json
  aiinfra show table-3";

/// The one-line help of `aiinfra show`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str = "One record from any table, with its citation: source, page and quote";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The record's id (ids are unique across the knowledge base)
    #[arg(value_name = "ID")]
    pub id: String,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(conn: &Connection, args: &Args) -> Result<Rows> {
    let id = args.id.trim();
    for table in TABLES {
        // Table names come from the contract, never from input.
        let found: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {} WHERE id = ?1", table.name),
            [id],
            |r| r.get(0),
        )?;
        if found == 0 {
            continue;
        }
        let cited = table.column("source_id").is_some();
        let citation = if cited {
            ", s.label_zh AS source_label_zh, s.label_en AS source_label_en, s.page AS source_page \
             FROM {t} AS x JOIN sources AS s ON s.id = x.source_id"
        } else {
            " FROM {t} AS x"
        };
        let sql = format!(
            "SELECT '{t}' AS entity, x.*{} WHERE x.id = ?1",
            citation.replace("{t}", table.name),
            t = table.name
        );
        let mut kinds: Vec<Option<Kind>> = vec![Some(Kind::Text)];
        kinds.extend(table.columns.iter().map(|c| Some(c.kind)));
        if cited {
            kinds.extend([Some(Kind::Text), Some(Kind::Text), None]);
        }
        let query = Query {
            sql,
            params: vec![Value::Text(id.to_string())],
            kinds,
        };
        return crate::fetch(conn, &query);
    }
    let mut ids = Vec::new();
    for table in TABLES {
        let mut stmt = conn.prepare(&format!("SELECT id FROM {}", table.name))?;
        let found = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for i in found {
            ids.push(i?);
        }
    }
    let hint = suggest(id, ids.iter().map(|s| s.as_str()));
    bail!("no record has the id {id:?}{hint} (aiinfra search TEXT finds ids)")
}
