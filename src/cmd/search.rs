//! `aiinfra search TEXT`: every entity, both languages, in names, notes and quotes.
//! Names rank before other names (vendors, organisations), then notes, then quotes.

use std::fmt::Write as _;

use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use crate::command::{CommandDef, Output, View};
use crate::ctx::Ctx;
use crate::db::contract::{Kind, TABLES, Table};
use crate::error::UsageError;
use crate::query::Query;

const EXAMPLES: &str = "\
Examples:
  aiinfra search 华为
  aiinfra search ascend --entity chips,facts
  aiinfra search 算力 --entity centers --limit 20 --format csv";

const ABOUT: &str = "Search every table, in Chinese or English, in names, notes and quotes";

pub static CMD: CommandDef = CommandDef::new("search", ABOUT, EXAMPLES, Args::augment_args, exec)
    .columns(|| COLUMNS.to_vec());

/// The columns of its rows.
const COLUMNS: &[&str] = &["entity", "id", "name_zh", "name_en", "field", "snippet"];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text to find, any case: a Chinese word of any length (华为, 鹏城) or English (huawei)
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// Only these tables, by table or command name (comma-separated: chips,centers,facts)
    #[arg(long, value_delimiter = ',', value_name = "NAME,...", add = crate::complete::words(|| crate::ctx::table_names().collect()))]
    pub entity: Option<Vec<String>>,
}

fn exec(_ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    Ok(Output::Query(query(&args)?, View::titled("search")))
}

/// Where to look in a table, with the rank of a hit there (lower ranks first).
fn fields(table: &Table) -> Vec<(&'static str, u8)> {
    // The name columns as the table names them (`name_zh`, not `t.name_zh`).
    let (primary, _) = crate::query::name_exprs(table);
    let primary = primary.strip_prefix("t.").unwrap_or(&primary).to_string();
    let secondary = primary.replace("_zh", "_en");
    table
        .columns
        .iter()
        .filter(|c| matches!(c.kind, Kind::Text | Kind::Slug) && !c.name.ends_with("_id"))
        .map(|c| {
            let rank = match c.name {
                "id" => 0,
                n if n == primary || n == secondary => 0,
                "note" => 2,
                "quote" => 3,
                _ => 1,
            };
            (c.name, rank)
        })
        .collect()
}

pub fn query(args: &Args) -> Result<Query, UsageError> {
    let needle = crate::resolve::fold(&args.text);
    if needle.is_empty() {
        return Err(UsageError("search needs some text to find".into()));
    }
    let tables: Vec<&Table> = match &args.entity {
        None => TABLES.iter().collect(),
        Some(names) => names
            .iter()
            .map(|n| crate::ctx::table_named(n, "--entity"))
            .collect::<Result<_, _>>()?,
    };
    let mut parts = Vec::new();
    for table in &tables {
        let order = TABLES
            .iter()
            .position(|t| t.name == table.name)
            .unwrap_or(0);
        let (zh, en) = crate::query::name_exprs(table);
        for (field, rank) in fields(table) {
            // Names show whole; long text shows about 50 characters around the hit.
            let snippet = if rank <= 1 {
                field.to_string()
            } else {
                format!("aiinfra_snippet({field}, ?1)")
            };
            let mut part = String::new();
            let _ = write!(
                part,
                "SELECT '{t}' AS entity, id, {zh} AS name_zh, {en} AS name_en, '{field}' AS field, \
                 {snippet} AS snippet, {rank} AS rank, {order} AS k FROM {t} AS t WHERE instr(aiinfra_fold({field}), ?1) > 0",
                t = table.name
            );
            parts.push(part);
        }
    }
    let sql = format!(
        "SELECT {columns} FROM (SELECT {columns}, min(rank) AS rank, k FROM ({}) \
         GROUP BY entity, id) ORDER BY rank, k, id",
        parts.join(" UNION ALL "),
        columns = COLUMNS.join(", ")
    );
    Ok(Query::new(sql, vec![Value::Text(needle)]))
}
