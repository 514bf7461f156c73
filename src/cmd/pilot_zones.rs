//! `aiinfra pilot-zones`: the AI pilot zones' policies (Table 1), in the report's order.

use crate::cli::{ListArgs, OutputArgs};
use crate::db::contract;
use crate::query::{Select, all_columns};
use crate::units;

const EXAMPLES: &str = "\
Examples:
  aiinfra pilot-zones
  aiinfra pilot-zones --city 广州
  aiinfra pilot-zones --year 2021 --format csv";

/// The one-line help of `aiinfra pilotzones`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str = "The eight AI pilot zones and their nine policies (Table 1)";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Zone or its city contains TEXT, in Chinese or English, any case (天津, tianjin)
    #[arg(long, value_name = "TEXT")]
    pub city: Option<String>,

    /// Policies published in year Y
    #[arg(long, value_name = "Y", value_parser = units::parse_year)]
    pub year: Option<i64>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn select(args: &Args) -> Select {
    let mut s = Select::new(
        "pilot_zones",
        all_columns(&contract::PILOT_ZONES),
        &["seq", "published"],
    )
    .brief(&["seq", "zone_*", "published", "policy_*", "source_id"]);
    if let Some(city) = &args.city {
        s.filter_text(
            &["zone_zh", "zone_en", crate::region_names!("region_id")],
            city,
        );
    }
    if let Some(year) = args.year {
        s.filter("CAST(substr(published, 1, 4) AS INTEGER) = ?", year);
    }
    s
}
