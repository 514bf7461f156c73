//! `aiinfra pilot-zones`: the AI pilot zones' policies (Table 1), in the report's order.

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "pilot_zones",
    "The eight AI pilot zones and their nine policies (Table 1)",
)
.examples(
    "\
Examples:
  aiinfra pilot-zones
  aiinfra pilot-zones --region 广州
  aiinfra pilot-zones --year 2021 --format csv",
)
.brief("seq zone_* published policy_* source_id page")
.order(&["t.seq", "t.published"])
.filters(&[
    Filter::new("region", "region_id", Test::PlaceOr(&["zone_zh", "zone_en"]))
        .alias("city")
        .help(
            "The zone in this place or a place inside it: an id or a name, in Chinese or English (天津, tianjin, 山东省)",
        ),
    Filter::new("year", "published", Test::Year),
    Filter::new("from", "published", Test::From),
    Filter::new("to", "published", Test::To),
]);
