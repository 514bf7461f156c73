//! `aiinfra frameworks`: deep-learning frameworks and inference engines (Table 4 and
//! section 二(四)1).

use crate::cli::{ListArgs, OutputArgs};
use crate::db::contract;
use crate::query::{Bound, Col, Select, all_columns};
use crate::units;

const EXAMPLES: &str = "\
Examples:
  aiinfra frameworks --min-stars 10k
  aiinfra frameworks --country CN --open-source
  aiinfra frameworks --count-by kind";

/// The one-line help of `aiinfra frameworks`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str = "Deep-learning frameworks and inference engines (Table 4 and the text)";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Country of the developer, ISO code (CN, US)
    #[arg(long, value_name = "CC", value_parser = super::parse_country)]
    pub country: Option<String>,

    /// Developer contains TEXT, in Chinese or English, any case (百度, baidu)
    #[arg(long, value_name = "TEXT")]
    pub org: Option<String>,

    /// At least N GitHub stars (Table 4's 关注度): 10000, 10k, 1万
    #[arg(long, value_name = "N", value_parser = units::parse_quantity, allow_hyphen_values = true)]
    pub min_stars: Option<f64>,

    /// Only those the report says are open source
    #[arg(long, conflicts_with = "closed_source")]
    pub open_source: bool,

    /// Only those the report says are not open source
    #[arg(long)]
    pub closed_source: bool,

    /// Training framework, inference engine or domain framework
    #[arg(long, value_enum)]
    pub kind: Option<FrameworkKind>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FrameworkKind {
    Training,
    Inference,
    Domain,
}

pub fn select(args: &Args) -> Select {
    let cols = all_columns(&contract::FRAMEWORKS)
        .into_iter()
        .map(|c| match c.name {
            // Table 4 prints "121320+" where the activity is a lower bound.
            "activity" => c.bounded_by("activity_qualifier", Bound::Plus),
            _ => c,
        })
        .collect::<Vec<Col>>();
    let mut s = Select::new("frameworks", cols, &["github_stars DESC NULLS LAST"]).brief(&[
        "id",
        "name_*",
        "country",
        "org_*",
        "github_stars",
        "activity",
        "contributors",
        "open_source",
        "kind",
        "source_id",
    ]);
    if let Some(cc) = &args.country {
        s.filter("country = ?", cc.clone());
    }
    if let Some(org) = &args.org {
        s.filter_text(&["org_zh", "org_en"], org);
    }
    if let Some(n) = args.min_stars {
        s.filter("github_stars >= ?", n);
    }
    if args.open_source {
        s.filter("open_source = ?", 1);
    }
    if args.closed_source {
        s.filter("open_source = ?", 0);
    }
    if let Some(kind) = &args.kind {
        s.filter("kind = ?", super::word(kind));
    }
    s
}
