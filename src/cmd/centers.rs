//! `aiinfra centers`: supercomputing and AI computing centers, with their cities.

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "compute_centers",
    "Supercomputing and AI computing centers (sections 二(一), 二(三)3 and 三)",
)
.examples(
    "\
Examples:
  aiinfra centers --status operating
  aiinfra centers --region 深圳
  aiinfra centers --min-pflops 1000 --format json",
)
.named(&[("region_id", ["city_zh", "city_en"])])
.brief("id name_* city_* status ready_year pflops source_id page")
.order(&[
    "CASE t.status WHEN 'operating' THEN 0 WHEN 'under_construction' THEN 1 ELSE 2 END",
    "t.pflops DESC NULLS LAST",
    "t.ready_year NULLS LAST",
])
.filters(&[
    Filter::new("region", "region_id", Test::Place)
        .alias("city")
        .help(
            "In this city, or in a city of this province: an id or a name, in Chinese or English (深圳, shenzhen, 广东省)",
        ),
    Filter::new("year", "ready_year", Test::Year),
    Filter::new("status", "status", Test::Is),
    Filter::new("min-pflops", "pflops", Test::AtLeast(false)),
]);
