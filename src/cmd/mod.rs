//! One module per subcommand: its clap `Args`, its help and examples, and the query
//! it asks for. Commands never print; `lib.rs` runs and renders what they return.

pub mod centers;
pub mod chips;
pub mod db;
pub mod docs;
pub mod export;
pub mod frameworks;
pub mod models;
pub mod pilot_zones;
pub mod platforms;
pub mod regions;
pub mod schema;
pub mod search;
pub mod show;
pub mod sources;
pub mod sql;
pub mod tables;

use clap::ValueEnum;

use crate::db::contract::{self, TABLES, Table};
use crate::error::UsageError;

/// Look a table up by a name the user gave for `what` (a flag or an argument).
pub fn table_named(name: &str, what: &str) -> Result<&'static Table, UsageError> {
    contract::table(name.trim()).ok_or_else(|| {
        let names = || TABLES.iter().map(|t| t.name);
        UsageError(format!(
            "unknown {what} '{name}'{} (expected one of: {})",
            crate::db::seed::suggest(name, names()),
            names().collect::<Vec<_>>().join(", ")
        ))
    })
}

/// The word a value enum stands for on the command line and in the data.
pub fn word<T: ValueEnum>(value: &T) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// `--country CC`: two letters, any case, as an ISO code in capitals.
pub fn parse_country(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(format!(
            "expected a two-letter ISO country code such as CN or US, found {s:?}"
        ))
    }
}

/// A month bound: `YYYY-MM`, or `YYYY` standing for its first (`since`) or last
/// (`until`) month.
fn parse_month(s: &str, year_month: &str) -> Result<String, String> {
    let t = s.trim();
    let bad = || format!("expected a month as YYYY-MM (or a year YYYY), found {s:?}");
    if let Ok(year) = crate::units::parse_year(t) {
        return Ok(format!("{year}-{year_month}"));
    }
    let (y, m) = t.split_once('-').ok_or_else(bad)?;
    crate::units::parse_year(y).map_err(|_| bad())?;
    let month: u32 = m.parse().map_err(|_| bad())?;
    if m.len() != 2 || !(1..=12).contains(&month) {
        return Err(bad());
    }
    Ok(t.to_string())
}

pub fn parse_since(s: &str) -> Result<String, String> {
    parse_month(s, "01")
}

pub fn parse_until(s: &str) -> Result<String, String> {
    parse_month(s, "12")
}
