//! `aiinfra apollo`: robot vehicles built with Baidu Apollo's partners (Table 6).

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "apollo_products",
    "Robot vehicles built with Baidu Apollo's partners (Table 6), in the report's order",
)
.examples(
    "\
Examples:
  aiinfra apollo
  aiinfra apollo --partner 新石器
  aiinfra apollo --format json --columns product_en,partner_en,progress_en",
)
.brief("id product_* partner_* progress_* source_id page")
.order(&["t.rowid"])
.filters(&[Filter::new(
    "partner",
    "partner_zh",
    Test::Contains(&["partner_zh", "partner_en"]),
)
.help("Partner contains TEXT, in Chinese or English, any case")]);
