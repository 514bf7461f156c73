//! What a command is, and what it returns: the floor every file in `cmd/` stands on.
//! A command declares what it can return (rows of a query, rows, text, a stream of
//! bytes, files it writes itself) and whether it reads the knowledge base; the options
//! it takes follow from that (`cli.rs`), and the plan refuses any option the output it
//! did return cannot honour (`plan.rs`). Commands never print: they return an `Output`.

use std::io::Write;

use anyhow::Result;
use clap::ArgMatches;

use crate::ctx::Ctx;
use crate::output::Rows;
use crate::query::Query;

/// What a command can return; each kind takes its own options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// A query's rows: every output and row option, and `--show-sql`.
    Query,
    /// Rows made without SQL (the contract, a check): every output and row option.
    Rows,
    /// Text for reading (`report`): the output options a text takes.
    Text,
    /// Bytes for standard output or `--output` (a dump, a script, a page).
    Stream,
    /// Files it writes itself, and a line on stderr saying so (`db build`).
    Files,
}

/// What data a command reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// None (a completion script, a manual page): no data options.
    None,
    /// The knowledge base from any source: `--db`, `--seed-dir`, `$AIINFRA_DB`.
    Any,
    /// Seeds only (`db build` writes a database from them): `--seed-dir` or the
    /// built-in seeds; `--db` and `$AIINFRA_DB` do not apply.
    Seeds,
}

/// A command that is not a list.
pub struct CommandDef {
    pub name: &'static str,
    pub about: &'static str,
    /// The examples that end its help.
    pub examples: &'static str,
    /// What it can return, which decides the options it takes.
    pub returns: &'static [Returns],
    /// What data it reads, which decides the data options it takes.
    pub data: Data,
    /// Its own arguments (the shared options are added from `returns`).
    pub args: Arguments,
    pub exec: Exec,
    /// The columns of the rows it prints, for completing `--columns` and `--sort`
    /// (none where they are not known before it runs, as for `sql`). A test holds
    /// them to the command's output.
    pub columns: fn() -> Vec<&'static str>,
    /// The ids of its arguments that name files it reads, which no output may replace.
    pub inputs: &'static [&'static str],
    /// Whether its text may be longer than a screen, to page on a terminal (and take
    /// `--no-pager`).
    pub pages: bool,
}

/// What runs a command.
pub type Exec = fn(&Ctx, &ArgMatches) -> Result<Output>;

/// A command's own arguments.
pub type Arguments = fn(clap::Command) -> clap::Command;

impl CommandDef {
    /// A command that reads the knowledge base and returns a query's rows; what is
    /// otherwise is said in its entry: `CommandDef { returns: …, ..CommandDef::new(…) }`.
    pub const fn new(
        name: &'static str,
        about: &'static str,
        examples: &'static str,
        args: Arguments,
        exec: Exec,
    ) -> CommandDef {
        CommandDef {
            name,
            about,
            examples,
            returns: &[Returns::Query],
            data: Data::Any,
            args,
            exec,
            columns: Vec::new,
            inputs: &[],
            pages: false,
        }
    }

    /// Whether it can return this kind of output.
    pub fn can_return(&self, kind: Returns) -> bool {
        self.returns.contains(&kind)
    }
}

/// A command with subcommands.
pub struct GroupDef {
    pub name: &'static str,
    pub about: &'static str,
    pub commands: &'static [CommandDef],
}

/// What a command produced; the plan turns it into output.
pub enum Output {
    /// A query to run; its rows are shaped and rendered.
    Query(Query, View),
    /// Rows already made (from the contract, a check).
    Rows(Rows, View),
    /// Text for standard output or `--output` (`report`); `rows` is the same as one
    /// row, for formats other than a table.
    Text { text: String, rows: Rows },
    /// A summary line for stderr: the command wrote its own files.
    Said(String),
    /// Bytes for standard output or `--output` (a dump, a completion script).
    Stream(Fill),
}

impl Output {
    /// The kind of output this is.
    pub fn kind(&self) -> Returns {
        match self {
            Output::Query(..) => Returns::Query,
            Output::Rows(..) => Returns::Rows,
            Output::Text { .. } => Returns::Text,
            Output::Said(_) => Returns::Files,
            Output::Stream(_) => Returns::Stream,
        }
    }
}

/// What writes a stream's bytes.
pub type Fill = Box<dyn FnOnce(&mut dyn Write) -> Result<()>>;

/// How rows are meant to be read.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// What the rows are, for a chart's title ("chips").
    pub title: String,
    /// The columns a table shows when `--columns` is not given (`*`: the `--lang`
    /// suffix); all but the other language's names when `None`.
    pub brief: Option<&'static str>,
    /// One record: a table shows it as field/value lines.
    pub record: bool,
    /// Long text wraps inside its cell rather than being cut (a profile's quotes).
    pub wrap: bool,
    /// Text a table prints after the rows (the report's paragraph for `show --context`).
    pub after: Option<String>,
    /// Which columns a table keeps first when it must drop some to fit a width (most
    /// important first); `None`: by kind.
    pub priority: Option<&'static [&'static str]>,
    /// Columns the command's own arguments asked about (a range filter's): they stay.
    pub asked: Vec<&'static str>,
    /// Text columns a table keeps at least this wide (a profile's quotes).
    pub least: &'static [(&'static str, usize)],
    /// What `--chart` draws when given no column and no `--count-by` (or this column):
    /// the counts of this column (a timeline's events per year).
    pub chart_by: Option<&'static str>,
    /// Lines for a person on stderr after the rows: what was left out of them and why.
    pub notes: Vec<String>,
}

impl View {
    pub fn titled(title: impl Into<String>) -> View {
        View {
            title: title.into(),
            ..View::default()
        }
    }
}
