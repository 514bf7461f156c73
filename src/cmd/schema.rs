//! `aiinfra schema [TABLE]`: every table's columns with type, unit and meaning, read
//! from the contract (src/db/contract.rs), where each meaning is written once.

use rusqlite::types::Value;

use crate::cli::OutputArgs;
use crate::db::contract::{self, TABLES};
use crate::error::UsageError;
use crate::output::Rows;

const EXAMPLES: &str = "\
Examples:
  aiinfra schema
  aiinfra schema chips
  aiinfra schema models --format markdown";

/// The one-line help of `aiinfra schema`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str =
    "Tables and columns: type, unit, links and a one-line meaning of each column";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Only this table
    #[arg(value_name = "TABLE")]
    pub table: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: &Args) -> Result<Rows, UsageError> {
    let tables: Vec<&contract::Table> = match &args.table {
        None => TABLES.to_vec(),
        Some(name) => vec![super::table_named(name, "table")?],
    };
    let text = |s: &str| Value::Text(s.to_string());
    let opt = |s: Option<&str>| s.map_or(Value::Null, text);
    let mut data = Vec::new();
    for table in tables {
        for c in table.columns {
            data.push(vec![
                text(table.name),
                text(c.name),
                text(c.kind.sql_type()),
                text(&c.kind.describe()),
                opt(c.unit),
                Value::Integer(i64::from(c.required)),
                opt(c.references),
                text(c.doc),
            ]);
        }
    }
    let columns = [
        "table",
        "column",
        "sql_type",
        "accepts",
        "unit",
        "required",
        "references",
        "meaning",
    ];
    let mut kinds = vec![Some(contract::Kind::Text); columns.len()];
    kinds[5] = Some(contract::Kind::Bool);
    Ok(Rows {
        columns: columns.map(String::from).to_vec(),
        kinds,
        data,
    })
}
