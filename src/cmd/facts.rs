//! `aiinfra facts`: every other figure the report states, one number per row.

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "facts",
    "Every other figure the report states, one number per row",
)
.examples(
    "\
Examples:
  aiinfra facts --subject 深圳
  aiinfra facts --metric 算力 --format csv
  aiinfra facts --source sec-2.3           # the section and its sub-sections",
)
.brief("metric_* value unit as_of subject id source_id page")
.order(&["t.rowid"])
.filters(&[
    Filter::new("subject", "subject", Test::Subject).help(
        "About this region, record or topic (and its sub-topics): an id or a name, in Chinese or English (深圳, shenzhen, apollo, M6)",
    ),
    Filter::new("metric", "metric_zh", Test::Contains(&["metric_zh", "metric_en"]))
        .help("What is measured contains TEXT, in Chinese or English, any case (算力, PUE)"),
    Filter::new("source", "source_id", Test::Source),
    Filter::new("year", "as_of", Test::Year),
    Filter::new("from", "as_of", Test::From),
    Filter::new("to", "as_of", Test::To),
]);
