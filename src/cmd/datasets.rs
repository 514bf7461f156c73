//! `aiinfra datasets`: named data sets and dataset projects (section 二(二)3 and 三).

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "datasets",
    "Named data sets: Objects365, PANDA, ZhihuRec, 千言, LuojiaSet … (section 二(二)3)",
)
.examples(
    "\
Examples:
  aiinfra datasets
  aiinfra datasets --publisher 清华
  aiinfra datasets --year 2021 --format json",
)
.brief("id name_* publisher_* released size_note source_id page")
.order(&["t.rowid"])
.filters(&[
    Filter::new(
        "publisher",
        "publisher_zh",
        Test::Contains(&["publisher_zh", "publisher_en"]),
    )
    .help("Publisher contains TEXT, in Chinese or English, any case (知乎, zhihu)"),
    Filter::new("year", "released", Test::Year).alias("released"),
]);
