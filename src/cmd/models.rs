//! `aiinfra models`: large pretrained models (Table 5 and section 二(四)3).

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "models",
    "Large pretrained models and their parameter counts (Table 5)",
)
.examples(
    "\
Examples:
  aiinfra models --min-params 1T                 # 1.6万亿, 1.75万亿 and 10万亿
  aiinfra models --country CN --max-params 3000亿 --format csv
  aiinfra models --from 2021-06 --modality nlp",
)
.brief("id name_* org_* country released params modality source_id page")
.order(&["t.released NULLS LAST", "t.params DESC"])
.filters(&[
    Filter::new("org", "org_zh", Test::Contains(&["org_zh", "org_en"]))
        .help("Developer contains TEXT, in Chinese or English, any case (华为, huawei)"),
    Filter::new("country", "country", Test::Is).help("Country of the developer, ISO code (CN, US)"),
    Filter::new("min-params", "params", Test::AtLeast(true))
        .help("At least P parameters: 1750, 1.75e12, 175B, 1.6T, 1750亿, 1.6万亿"),
    Filter::new("max-params", "params", Test::AtMost(true))
        .help("At most P parameters (same forms as --min-params)"),
    Filter::new("year", "released", Test::Year),
    Filter::new("from", "released", Test::From).alias("since"),
    Filter::new("to", "released", Test::To).alias("until"),
    Filter::new("modality", "modality", Test::Is),
]);
