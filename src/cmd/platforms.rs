//! `aiinfra platforms`: provincial-level government open-data platforms and the year
//! each first appears in the report's Table 3.

use clap::ValueEnum;

use crate::cli::{ListArgs, OutputArgs};
use crate::query::{Col, Select};
use crate::units;

const EXAMPLES: &str = "\
Examples:
  aiinfra platforms --year 2019            # Table 3's 2019 row: the 17 platforms online
  aiinfra platforms --launched 2020 --format csv
  aiinfra platforms --level municipality";

/// The one-line help of `aiinfra platforms`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str = "Provincial-level open-data platforms and their launch years (Table 3)";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Platforms online in year Y: first launched in or before Y (one row of Table 3)
    #[arg(long, value_name = "Y", value_parser = units::parse_year)]
    pub year: Option<i64>,

    /// Platforms first launched in year Y
    #[arg(long, value_name = "Y", value_parser = units::parse_year)]
    pub launched: Option<i64>,

    /// Level of the government that runs the platform
    #[arg(long, value_enum)]
    pub level: Option<Level>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Level {
    Province,
    AutonomousRegion,
    Municipality,
}

pub fn select(args: &Args) -> Select {
    let p = |name, expr| Col::at("open_data_platforms", expr, name);
    let r = Col::text;
    let mut s = Select::new(
        "open_data_platforms AS p JOIN regions AS r ON r.id = p.region_id",
        vec![
            p("id", "p.id"),
            p("region_id", "p.region_id"),
            r("region_zh", "r.name_zh"),
            r("region_en", "r.name_en"),
            p("level", "p.level"),
            p("launched", "p.launched"),
            p("source_id", "p.source_id"),
            p("quote", "p.quote"),
            p("note", "p.note"),
        ],
        &["p.launched"],
    )
    .brief(&[
        "id",
        "region_zh",
        "region_en",
        "level",
        "launched",
        "source_id",
    ]);
    if let Some(year) = args.year {
        s.filter("p.launched <= ?", year);
    }
    if let Some(year) = args.launched {
        s.filter("p.launched = ?", year);
    }
    if let Some(level) = &args.level {
        s.filter("p.level = ?", super::word(level));
    }
    s
}
