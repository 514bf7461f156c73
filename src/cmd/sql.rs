//! `aiinfra sql`: one read-only SELECT over the knowledge base, rendered like any list.

use std::time::Duration;

use anyhow::Result;
use rusqlite::Connection;

use crate::cli::OutputArgs;
use crate::db::sandbox;
use crate::output::Rows;

const EXAMPLES: &str = "\
Examples:
  aiinfra sql \"SELECT count(*) AS n FROM open_data_platforms\" --format json
  aiinfra sql \"SELECT launched, count(*) AS n FROM open_data_platforms GROUP BY launched\"
  aiinfra sql \"SELECT name, type FROM pragma_table_info('chips')\"

Tables: sources, regions, open_data_platforms, chips, frameworks, models, pilot_zones,
policies, compute_centers, datasets, dataset_languages, apollo_products, facts.
Writes, DDL, ATTACH, VACUUM, state-changing PRAGMAs and extensions are refused.";

/// The one-line help of `aiinfra sql`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str = "Run one read-only SQL SELECT over the knowledge base";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// One SELECT statement (WITH … SELECT and schema PRAGMAs such as table_info also work)
    #[arg(value_name = "QUERY")]
    pub query: String,

    /// Stop the query after this many seconds
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_timeout)]
    pub timeout: Duration,

    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    let secs = crate::units::parse_number(s).map_err(|e| e.to_string())?;
    if secs <= 0.0 || secs > 3600.0 {
        return Err(format!(
            "expected a number of seconds between 0 and 3600, found {s:?}"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

pub fn run(conn: &mut Connection, args: &Args) -> Result<Rows> {
    sandbox::run(conn, &args.query, args.timeout)
}
