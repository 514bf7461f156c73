//! `aiinfra platforms`: provincial-level government open-data platforms and the year
//! each first appears in the report's Table 3.

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "platforms",
    "open_data_platforms",
    "Provincial-level open-data platforms and their launch years (Table 3)",
)
.examples(
    "\
Examples:
  aiinfra platforms --year 2019            # Table 3's 2019 row: the 17 platforms online
  aiinfra platforms --launched 2020 --format csv
  aiinfra platforms --level municipality",
)
.joins(
    " JOIN regions AS r ON r.id = t.region_id",
    &[
        ("region_zh", "r.name_zh", Some("region_id")),
        ("region_en", "r.name_en", Some("region_id")),
    ],
)
.brief("id region_* level launched source_id")
.order(&["t.launched"])
.filters(&[
    Filter::new("year", "launched", Test::UpTo)
        .help("Platforms online in year Y: first launched in or before Y (one row of Table 3)"),
    Filter::new("launched", "launched", Test::Year).help("Platforms first launched in year Y"),
    Filter::new("level", "level", Test::Is),
    Filter::new("region", "region_id", Test::Place),
])
.profile(
    "'launched ' || t.launched",
    Some(("'政府数据开放平台'", "'government open-data platform'")),
);
