//! `aiinfra sources`: the report's tables, figures, sections and footnotes, with pages
//! and how many rows cite each.

use crate::cli::{ListArgs, OutputArgs};
use crate::query::{Col, Select};

const EXAMPLES: &str = "\
Examples:
  aiinfra sources
  aiinfra sources --kind table
  aiinfra sources --sort rows --desc --limit 5";

/// The one-line help of `aiinfra sources`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str =
    "The report's tables, figures, sections and footnotes: page and rows citing each";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Only sources of this kind
    #[arg(long, value_enum)]
    pub kind: Option<SourceKind>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceKind {
    Table,
    Figure,
    Section,
    Footnote,
}

pub fn select(args: &Args) -> Select {
    let s_ = |name, expr| Col::at("sources", expr, name);
    let mut s = Select::new(
        "sources AS s",
        vec![
            s_("id", "s.id"),
            s_("kind", "s.kind"),
            s_("label_zh", "s.label_zh"),
            s_("label_en", "s.label_en"),
            s_("page", "s.page"),
            Col {
                kind: None,
                ..Col::text(
                    "rows",
                    "(SELECT count(*) FROM citations AS c WHERE c.source_id = s.id)",
                )
            },
            s_("quote", "s.quote"),
            s_("note", "s.note"),
        ],
        &["s.rowid"],
    )
    .brief(&["id", "kind", "label_*", "page", "rows"]);
    if let Some(kind) = &args.kind {
        s.filter("s.kind = ?", super::word(kind));
    }
    s
}
