//! `aiinfra centers`: supercomputing and AI computing centers, with their cities.

use crate::cli::{ListArgs, OutputArgs};
use crate::query::{Col, Select};
use crate::units;

const EXAMPLES: &str = "\
Examples:
  aiinfra centers --status operating
  aiinfra centers --city 深圳
  aiinfra centers --min-pflops 1000 --format json";

/// The one-line help of `aiinfra centers`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str = "Supercomputing and AI computing centers (sections 二(一), 二(三)3 and 三)";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// City (or its province) contains TEXT, in Chinese or English, any case (深圳, shenzhen)
    #[arg(long, value_name = "TEXT")]
    pub city: Option<String>,

    /// Built, being built, or planned
    #[arg(long, value_enum)]
    pub status: Option<Status>,

    /// At least X PFLOPS of computing power
    #[arg(long, value_name = "X", value_parser = units::parse_number, allow_hyphen_values = true)]
    pub min_pflops: Option<f64>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Status {
    Operating,
    UnderConstruction,
    Planned,
}

pub fn select(args: &Args) -> Select {
    let c = |name, expr| Col::at("compute_centers", expr, name);
    let mut s = Select::new(
        "compute_centers AS c JOIN regions AS r ON r.id = c.region_id",
        vec![
            c("id", "c.id"),
            c("name_zh", "c.name_zh"),
            c("name_en", "c.name_en"),
            c("region_id", "c.region_id"),
            Col::text("city_zh", "r.name_zh"),
            Col::text("city_en", "r.name_en"),
            c("operator_zh", "c.operator_zh"),
            c("operator_en", "c.operator_en"),
            c("status", "c.status"),
            c("ready_year", "c.ready_year"),
            c("pflops", "c.pflops"),
            c("source_id", "c.source_id"),
            c("quote", "c.quote"),
            c("note", "c.note"),
        ],
        &[
            "CASE c.status WHEN 'operating' THEN 0 WHEN 'under_construction' THEN 1 ELSE 2 END",
            "c.pflops DESC NULLS LAST",
            "c.ready_year NULLS LAST",
        ],
    )
    .brief(&[
        "id",
        "name_*",
        "city_*",
        "status",
        "ready_year",
        "pflops",
        "source_id",
    ]);
    if let Some(city) = &args.city {
        s.filter_text(&[crate::region_names!("c.region_id")], city);
    }
    if let Some(status) = &args.status {
        s.filter("c.status = ?", super::word(status));
    }
    if let Some(x) = args.min_pflops {
        s.filter("c.pflops >= ?", x);
    }
    s
}
