//! The small list commands over one table each: `datasets`, `languages` (Table 2),
//! `apollo` (Table 6), `policies` and `facts`.

use crate::cli::{ListArgs, OutputArgs};
use crate::db::contract;
use crate::query::{Select, all_columns};
use crate::units;

const DATASETS_EXAMPLES: &str = "\
Examples:
  aiinfra datasets
  aiinfra datasets --publisher 清华
  aiinfra datasets --released 2021 --format json";

/// The one-line help of `aiinfra datasets`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const DATASETS_ABOUT: &str =
    "Named data sets: Objects365, PANDA, ZhihuRec, 千言, LuojiaSet … (section 二(二)3)";

#[derive(Debug, clap::Args)]
#[command(after_help = DATASETS_EXAMPLES)]
pub struct DatasetsArgs {
    /// Publisher contains TEXT, in Chinese or English, any case (知乎, zhihu)
    #[arg(long, value_name = "TEXT")]
    pub publisher: Option<String>,

    /// Released in year Y
    #[arg(long, value_name = "Y", value_parser = units::parse_year)]
    pub released: Option<i64>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn datasets(args: &DatasetsArgs) -> Select {
    let mut s = Select::new("datasets", all_columns(&contract::DATASETS), &["rowid"]).brief(&[
        "id",
        "name_*",
        "publisher_*",
        "released",
        "size_note",
        "source_id",
    ]);
    if let Some(p) = &args.publisher {
        s.filter_text(&["publisher_zh", "publisher_en"], p);
    }
    if let Some(y) = args.released {
        s.filter("released = ?", y);
    }
    s
}

const LANGUAGES_EXAMPLES: &str = "\
Examples:
  aiinfra languages
  aiinfra languages --min-datasets 1M
  aiinfra languages --sort growth_pct --desc --format csv";

/// The one-line help of `aiinfra languages`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const LANGUAGES_ABOUT: &str =
    "Data sets in Google Dataset Search by language, June 2019 to March 2020 (Table 2)";

#[derive(Debug, clap::Args)]
#[command(after_help = LANGUAGES_EXAMPLES)]
pub struct LanguagesArgs {
    /// At least N data sets: 1000000, 1M, 100万
    #[arg(long, value_name = "N", value_parser = units::parse_quantity, allow_hyphen_values = true)]
    pub min_datasets: Option<f64>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn languages(args: &LanguagesArgs) -> Select {
    let mut s = Select::new(
        "dataset_languages",
        all_columns(&contract::DATASET_LANGUAGES),
        &["datasets DESC"],
    )
    .brief(&["id", "language_*", "datasets", "growth_pct", "source_id"]);
    if let Some(n) = args.min_datasets {
        s.filter("datasets >= ?", n);
    }
    s
}

const APOLLO_EXAMPLES: &str = "\
Examples:
  aiinfra apollo
  aiinfra apollo --partner 新石器
  aiinfra apollo --format json --columns product_en,partner_en,progress_en";

/// The one-line help of `aiinfra apollo`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const APOLLO_ABOUT: &str =
    "Robot vehicles built with Baidu Apollo's partners (Table 6), in the report's order";

#[derive(Debug, clap::Args)]
#[command(after_help = APOLLO_EXAMPLES)]
pub struct ApolloArgs {
    /// Partner contains TEXT, in Chinese or English, any case
    #[arg(long, value_name = "TEXT")]
    pub partner: Option<String>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn apollo(args: &ApolloArgs) -> Select {
    let mut s = Select::new(
        "apollo_products",
        all_columns(&contract::APOLLO_PRODUCTS),
        &["rowid"],
    )
    .brief(&["id", "product_*", "partner_*", "progress_*", "source_id"]);
    if let Some(p) = &args.partner {
        s.filter_text(&["partner_zh", "partner_en"], p);
    }
    s
}

const POLICIES_EXAMPLES: &str = "\
Examples:
  aiinfra policies --region 欧盟
  aiinfra policies --region us --year 2021
  aiinfra policies --columns id,title_en,amount,currency --format csv";

/// The one-line help of `aiinfra policies`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const POLICIES_ABOUT: &str = "National and international AI policy documents and programmes";

#[derive(Debug, clap::Args)]
#[command(after_help = POLICIES_EXAMPLES)]
pub struct PoliciesArgs {
    /// Region id or name contains TEXT, in Chinese or English, any case (欧盟, eu, 美国)
    #[arg(long, value_name = "TEXT")]
    pub region: Option<String>,

    /// Published in year Y
    #[arg(long, value_name = "Y", value_parser = units::parse_year)]
    pub year: Option<i64>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn policies(args: &PoliciesArgs) -> Select {
    let mut s = Select::new(
        "policies",
        all_columns(&contract::POLICIES),
        &["published NULLS LAST"],
    )
    .brief(&[
        "id",
        "region_id",
        "published",
        "title_*",
        "amount",
        "currency",
        "source_id",
    ]);
    if let Some(region) = &args.region {
        s.filter_text(&[crate::region_names!("region_id")], region);
    }
    if let Some(year) = args.year {
        s.filter("CAST(substr(published, 1, 4) AS INTEGER) = ?", year);
    }
    s
}

const FACTS_EXAMPLES: &str = "\
Examples:
  aiinfra facts --subject shenzhen
  aiinfra facts --metric 算力 --format csv
  aiinfra facts --source sec-2.3           # the section and its sub-sections";

/// The one-line help of `aiinfra facts`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const FACTS_ABOUT: &str = "Every other figure the report states, one number per row";

#[derive(Debug, clap::Args)]
#[command(after_help = FACTS_EXAMPLES)]
pub struct FactsArgs {
    /// Subject (a region id or a topic) contains TEXT (beijing, apollo, m6)
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,

    /// What is measured contains TEXT, in Chinese or English, any case (算力, PUE)
    #[arg(long, value_name = "TEXT")]
    pub metric: Option<String>,

    /// Cited from this source or one of its sub-sections (sec-2.3, table-6, footnote-1)
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn facts(args: &FactsArgs) -> Select {
    let mut s = Select::new("facts", all_columns(&contract::FACTS), &["rowid"]).brief(&[
        "id",
        "subject",
        "metric_*",
        "value",
        "unit",
        "qualifier",
        "as_of",
        "source_id",
    ]);
    if let Some(subject) = &args.subject {
        s.filter_text(&["subject"], subject);
    }
    if let Some(metric) = &args.metric {
        s.filter_text(&["metric_zh", "metric_en"], metric);
    }
    if let Some(source) = &args.source {
        s.filter(
            "(source_id = ? OR substr(source_id, 1, length(?) + 1) = ? || '.')",
            source.clone(),
        );
    }
    s
}
