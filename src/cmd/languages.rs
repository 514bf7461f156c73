//! `aiinfra languages`: data sets in Google Dataset Search by language (Table 2).

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "dataset_languages",
    "Data sets in Google Dataset Search by language, June 2019 to March 2020 (Table 2)",
)
.examples(
    "\
Examples:
  aiinfra languages
  aiinfra languages --min-datasets 1M
  aiinfra languages --sort growth_pct --desc --format csv",
)
.brief("id language_* datasets growth_pct source_id page")
.order(&["t.datasets DESC"])
.filters(
    &[Filter::new("min-datasets", "datasets", Test::AtLeast(true))
        .help("At least N data sets: 1000000, 1M, 100万")],
);
