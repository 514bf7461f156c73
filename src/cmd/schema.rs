//! `aiinfra schema [TABLE]`: every table's columns with type, unit and meaning, read
//! from the contract (src/db/contract.rs), where each meaning is written once.

use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use crate::command::{CommandDef, Output, Returns, View};
use crate::ctx::Ctx;
use crate::db::contract::{self, Kind};
use crate::output::{Column, Rows};

const EXAMPLES: &str = "\
Examples:
  aiinfra schema
  aiinfra schema chips
  aiinfra schema centers --format markdown";

const ABOUT: &str = "Tables and columns: type, unit, links and a one-line meaning of each column";

pub static CMD: CommandDef = CommandDef {
    returns: &[Returns::Rows],
    columns: || COLUMNS.to_vec(),
    ..CommandDef::new("schema", ABOUT, EXAMPLES, Args::augment_args, exec)
};

/// The columns of its rows.
const COLUMNS: &[&str] = &[
    "table",
    "column",
    "sql_type",
    "accepts",
    "unit",
    "required",
    "references",
    "meaning",
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this table (its name, or the command that lists it)
    #[arg(value_name = "TABLE", add = crate::complete::words(|| crate::ctx::table_names().collect()))]
    pub table: Option<String>,
}

fn exec(_ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    let tables: Vec<&contract::Table> = match &args.table {
        None => contract::every_table().collect(),
        Some(name) => vec![crate::ctx::table_named(name, "table")?],
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
    let columns = Column::list(COLUMNS, &[("required", Kind::Bool)]);
    Ok(Output::Rows(Rows { columns, data }, View::titled("schema")))
}
