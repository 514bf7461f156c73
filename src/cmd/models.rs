//! `aiinfra models`: large pretrained models (Table 5 and section 二(四)3).

use crate::cli::{ListArgs, OutputArgs};
use crate::db::contract;
use crate::query::{Bound, Col, Select, all_columns};
use crate::units;

const EXAMPLES: &str = "\
Examples:
  aiinfra models --min-params 1T                 # 1.6万亿, 1.75万亿 and 10万亿
  aiinfra models --country CN --max-params 3000亿 --format csv
  aiinfra models --since 2021-06 --modality nlp";

/// The one-line help of `aiinfra models`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str = "Large pretrained models and their parameter counts (Table 5)";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Developer contains TEXT, in Chinese or English, any case (华为, huawei)
    #[arg(long, value_name = "TEXT")]
    pub org: Option<String>,

    /// Country of the developer, ISO code (CN, US)
    #[arg(long, value_name = "CC", value_parser = super::parse_country)]
    pub country: Option<String>,

    /// At least P parameters: 1750, 1.75e12, 175B, 1.6T, 1750亿, 1.6万亿
    #[arg(long, value_name = "P", value_parser = units::parse_quantity, allow_hyphen_values = true)]
    pub min_params: Option<f64>,

    /// At most P parameters (same forms as --min-params)
    #[arg(long, value_name = "P", value_parser = units::parse_quantity, allow_hyphen_values = true)]
    pub max_params: Option<f64>,

    /// Released in or after this month (YYYY-MM, or YYYY for its January)
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_since)]
    pub since: Option<String>,

    /// Released in or before this month (YYYY-MM, or YYYY for its December)
    #[arg(long, value_name = "YYYY-MM", value_parser = super::parse_until)]
    pub until: Option<String>,

    /// What the model works on
    #[arg(long, value_enum)]
    pub modality: Option<Modality>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Modality {
    Nlp,
    Cv,
    Multimodal,
}

pub fn select(args: &Args) -> Select {
    let cols = all_columns(&contract::MODELS)
        .into_iter()
        .map(|c| match c.name {
            // A count known only as a lower bound (千亿) reads "≥100000000000".
            "params" => c.bounded_by("params_qualifier", Bound::AtLeast),
            _ => c,
        })
        .collect::<Vec<Col>>();
    let mut s = Select::new("models", cols, &["released NULLS LAST", "params DESC"]).brief(&[
        "id",
        "name_*",
        "org_*",
        "country",
        "released",
        "params",
        "modality",
        "source_id",
    ]);
    if let Some(org) = &args.org {
        s.filter_text(&["org_zh", "org_en"], org);
    }
    if let Some(cc) = &args.country {
        s.filter("country = ?", cc.clone());
    }
    if let Some(p) = args.min_params {
        s.filter("params >= ?", p);
    }
    if let Some(p) = args.max_params {
        s.filter("params <= ?", p);
    }
    if let Some(m) = &args.since {
        s.filter("released >= ?", m.clone());
    }
    if let Some(m) = &args.until {
        s.filter("released <= ?", m.clone());
    }
    if let Some(m) = &args.modality {
        s.filter("modality = ?", super::word(m));
    }
    s
}
