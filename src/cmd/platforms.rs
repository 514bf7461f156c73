//! `aiinfra platforms`: provincial-level government open-data platforms and the year
//! each first appears in the report's Table 3.

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "open_data_platforms",
    "Provincial-level open-data platforms and their launch years (Table 3)",
)
.examples(
    "\
Examples:
  aiinfra platforms --year 2019            # Table 3's 2019 row: the 17 platforms online
  aiinfra platforms --from 2020 --to 2020 --format csv  # first launched in 2020
  aiinfra platforms --level municipality",
)
.named(&[("region_id", ["region_zh", "region_en"])])
.brief("id region_* level launched source_id page")
.order(&["t.launched"])
.filters(&[
    Filter::new("year", "launched", Test::Year),
    Filter::new("from", "launched", Test::From),
    Filter::new("to", "launched", Test::To),
    // Kept for scripts: --from Y --to Y says the same.
    Filter::new("launched", "launched", Test::Within).hidden(),
    Filter::new("level", "level", Test::Is),
    Filter::new("region", "region_id", Test::Place),
]);
