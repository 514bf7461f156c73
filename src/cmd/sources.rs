//! `aiinfra sources`: the report's tables, figures, sections and footnotes, with pages
//! and how many rows cite each.

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "sources",
    "The report's tables, figures, sections and footnotes: page and rows citing each",
)
.examples(
    "\
Examples:
  aiinfra sources
  aiinfra sources --kind table
  aiinfra sources --sort rows --desc --limit 5
  aiinfra report table-3                  # the text of one of them",
)
.joins(
    "",
    &[(
        "rows",
        "(SELECT count(*) FROM citations AS c WHERE c.source_id = t.id)",
        Some("page"),
    )],
)
.brief("id kind label_* page rows")
.order(&["t.rowid"])
.filters(&[Filter::new("kind", "kind", Test::Is)]);
