//! `aiinfra sql`: one read-only SELECT over the knowledge base, run, shaped and
//! rendered like any list (the same path, guard and options).

use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};

use crate::command::{CommandDef, Output, View};
use crate::ctx::Ctx;
use crate::query::Query;

const EXAMPLES: &str = "\
Examples:
  aiinfra sql \"SELECT count(*) AS n FROM open_data_platforms\" --format json
  aiinfra sql \"SELECT launched, count(*) AS n FROM open_data_platforms GROUP BY launched\" --chart n
  aiinfra sql \"SELECT name, type FROM pragma_table_info('chips')\"

Writes, DDL, ATTACH, VACUUM, state-changing PRAGMAs and extensions are refused.";

const ABOUT: &str = "Run one read-only SQL SELECT over the knowledge base";

pub static CMD: CommandDef = CommandDef::new("sql", ABOUT, EXAMPLES, arguments, exec);

/// The query argument, and the tables it may read, named from the contract.
fn arguments(cmd: clap::Command) -> clap::Command {
    let tables: Vec<&str> = crate::db::contract::TABLES.iter().map(|t| t.name).collect();
    Args::augment_args(cmd).before_help(format!(
        "Tables: {}; the view citations; aiinfra_meta.",
        tables.join(", ")
    ))
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One SELECT statement (WITH … SELECT and schema PRAGMAs such as table_info also work)
    #[arg(value_name = "QUERY")]
    pub query: String,
}

fn exec(_ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    let mut query = Query::new(args.query, Vec::new());
    // Columns named as the contract names them show as the contract says (units,
    // booleans, qualifier marks).
    query.tables = crate::db::contract::TABLES.iter().collect();
    Ok(Output::Query(query, View::titled("sql")))
}
