//! `aiinfra search TEXT`: every entity, both languages, in names, notes and quotes.
//! Names rank before other names (vendors, organisations), then notes, then quotes.

use std::fmt::Write as _;

use rusqlite::types::Value;

use crate::cli::OutputArgs;
use crate::db::contract::{Kind, TABLES, Table};
use crate::error::UsageError;
use crate::query::{Lang, Query};
use crate::units;

const EXAMPLES: &str = "\
Examples:
  aiinfra search 华为
  aiinfra search ascend --entity chips,facts
  aiinfra search 算力 --limit 20 --format csv";

/// The one-line help of `aiinfra search`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str = "Search every table, in Chinese or English, in names, notes and quotes";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Text to find, any case: a Chinese word of any length (华为, 鹏城) or English (huawei)
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// Only these tables (comma-separated: chips,models,...)
    #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
    pub entity: Option<Vec<String>>,

    /// Show at most N rows
    #[arg(long, short = 'n', value_name = "N", value_parser = units::parse_count, allow_hyphen_values = true)]
    pub limit: Option<u64>,

    /// Language of the name columns in table output
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// The columns that name a row, as (zh, en) SQL expressions.
fn names(table: &Table) -> (String, String) {
    if table.name == "open_data_platforms" {
        let sub = |c: &str| {
            format!(
                "(SELECT r.{c} FROM regions r WHERE r.id = {}.region_id)",
                table.name
            )
        };
        return (sub("name_zh"), sub("name_en"));
    }
    let first = table
        .columns
        .iter()
        .find(|c| c.name.ends_with("_zh"))
        .map(|c| c.name.trim_end_matches("_zh"));
    match first {
        Some(stem) => (format!("{stem}_zh"), format!("{stem}_en")),
        None => ("NULL".into(), "NULL".into()),
    }
}

/// Where to look in a table, with the rank of a hit there (lower ranks first).
fn fields(table: &Table) -> Vec<(&'static str, u8)> {
    let (primary, _) = names(table);
    table
        .columns
        .iter()
        .filter(|c| matches!(c.kind, Kind::Text | Kind::Slug) && !c.name.ends_with("_id"))
        .map(|c| {
            let rank = match c.name {
                "id" => 0,
                n if n == primary || n == primary.replace("_zh", "_en") => 0,
                "note" => 2,
                "quote" => 3,
                _ => 1,
            };
            (c.name, rank)
        })
        .collect()
}

pub fn query(args: &Args) -> Result<Query, UsageError> {
    if args.text.trim().is_empty() {
        return Err(UsageError("search needs some text to find".into()));
    }
    let tables: Vec<&Table> = match &args.entity {
        None => TABLES.to_vec(),
        Some(names) => names
            .iter()
            .map(|n| super::table_named(n, "--entity"))
            .collect::<Result<_, _>>()?,
    };
    let mut parts = Vec::new();
    for table in &tables {
        let order = TABLES
            .iter()
            .position(|t| t.name == table.name)
            .unwrap_or(0);
        let (zh, en) = names(table);
        for (field, rank) in fields(table) {
            // Names show whole; long text shows about 50 characters around the hit.
            let snippet = if rank <= 1 {
                field.to_string()
            } else {
                format!(
                    "CASE WHEN instr(lower({f}), ?1) > 21 THEN '…' ELSE '' END \
                     || substr({f}, max(1, instr(lower({f}), ?1) - 20), 50) \
                     || CASE WHEN length({f}) > max(1, instr(lower({f}), ?1) - 20) + 49 THEN '…' ELSE '' END",
                    f = field
                )
            };
            let mut part = String::new();
            let _ = write!(
                part,
                "SELECT '{t}' AS entity, id, {zh} AS name_zh, {en} AS name_en, '{field}' AS field, \
                 {snippet} AS snippet, {rank} AS rank, {order} AS t FROM {t} WHERE instr(lower({field}), ?1) > 0",
                t = table.name
            );
            parts.push(part);
        }
    }
    let mut sql = format!(
        "SELECT entity, id, name_zh, name_en, field, snippet FROM (\
         SELECT entity, id, name_zh, name_en, field, snippet, min(rank) AS rank, t FROM ({}) \
         GROUP BY entity, id) ORDER BY rank, t, id",
        parts.join(" UNION ALL ")
    );
    let mut params = vec![Value::Text(args.text.trim().to_ascii_lowercase())];
    if let Some(limit) = args.limit {
        params.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        sql.push_str(" LIMIT ?2");
    }
    Ok(Query {
        sql,
        params,
        kinds: vec![Some(Kind::Text); 6],
    })
}
