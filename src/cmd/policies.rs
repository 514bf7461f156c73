//! `aiinfra policies`: national and international policy documents and programmes.

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "policies",
    "National and international AI policy documents and programmes",
)
.examples(
    "\
Examples:
  aiinfra policies --region 欧盟
  aiinfra policies --region us --year 2021
  aiinfra policies --columns id,title_en,amount,currency --format csv",
)
.brief("id region_id published title_* amount currency source_id page")
.order(&["t.published NULLS LAST"])
.filters(&[
    Filter::new("region", "region_id", Test::Place).help(
        "Of this region or a region inside it: an id or a name, in Chinese or English (欧盟, eu, 美国)",
    ),
    Filter::new("year", "published", Test::Year),
    Filter::new("from", "published", Test::From),
    Filter::new("to", "published", Test::To),
]);
