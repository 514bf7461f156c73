//! `aiinfra frameworks`: deep-learning frameworks and inference engines (Table 4 and
//! section 二(四)1).

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "frameworks",
    "Deep-learning frameworks and inference engines (Table 4 and the text)",
)
.examples(
    "\
Examples:
  aiinfra frameworks --min-stars 10k
  aiinfra frameworks --country CN --open-source
  aiinfra frameworks --count-by kind",
)
.brief("id name_* country org_* github_stars activity contributors open_source kind source_id page")
.order(&["t.github_stars DESC NULLS LAST"])
.filters(&[
    Filter::new("country", "country", Test::Is).help("Country of the developer, ISO code (CN, US)"),
    Filter::new("org", "org_zh", Test::Contains(&["org_zh", "org_en"]))
        .help("Developer contains TEXT, in Chinese or English, any case (百度, baidu)"),
    Filter::new("min-stars", "github_stars", Test::AtLeast(true))
        .help("At least N GitHub stars (Table 4's 关注度): 10000, 10k, 1万"),
    Filter::new("open-source", "open_source", Test::Set(1))
        .help("Only those the report says are open source"),
    Filter::new("closed-source", "open_source", Test::Set(0))
        .help("Only those the report says are not open source"),
    Filter::new("kind", "kind", Test::Is),
]);
