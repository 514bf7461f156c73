//! The command table: every command aiinfra has, what it prints, how its arguments are
//! built and what runs it. A list command is one declaration (`list::ListSpec`) in its
//! own file; the others are a `CommandDef` beside their code. Commands never print:
//! they return an `Output`, and `lib.rs` runs, shapes and renders it.

pub mod apollo;
pub mod centers;
pub mod chips;
pub mod datasets;
pub mod db;
pub mod docs;
pub mod facts;
pub mod frameworks;
pub mod languages;
pub mod list;
pub mod models;
pub mod pilot_zones;
pub mod platforms;
pub mod policies;
pub mod regions;
pub mod report;
pub mod schema;
pub mod search;
pub mod show;
pub mod sources;
pub mod sql;

use std::cell::{Cell, OnceCell, RefCell};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;
use clap::ArgMatches;
use rusqlite::types::Value;

use crate::db::contract::{self, TABLES, Table};
use crate::db::{DataSource, Db};
use crate::error::UsageError;
use crate::output::{ColorChoice, Rows};
use crate::query::Query;
use crate::resolve::Candidate;

/// Every command, in the order `aiinfra --help` lists them.
pub static COMMANDS: &[Def] = &[
    Def::List(&chips::SPEC),
    Def::List(&platforms::SPEC),
    Def::List(&models::SPEC),
    Def::List(&frameworks::SPEC),
    Def::List(&pilot_zones::SPEC),
    Def::List(&centers::SPEC),
    Def::List(&regions::SPEC),
    Def::List(&datasets::SPEC),
    Def::List(&languages::SPEC),
    Def::List(&apollo::SPEC),
    Def::List(&policies::SPEC),
    Def::List(&facts::SPEC),
    Def::Cmd(&search::CMD),
    Def::Cmd(&show::CMD),
    Def::List(&sources::SPEC),
    Def::Cmd(&report::CMD),
    Def::Cmd(&schema::CMD),
    Def::Cmd(&sql::CMD),
    Def::Group(&db::GROUP),
    Def::Cmd(&docs::COMPLETIONS),
    Def::Cmd(&docs::MAN),
];

/// One entry of the command table.
pub enum Def {
    /// A list over one contract table.
    List(&'static list::ListSpec),
    /// Any other command.
    Cmd(&'static CommandDef),
    /// A command with subcommands (`db`).
    Group(&'static GroupDef),
}

/// What a command prints, which decides the options it takes: rows take the output
/// and row options, text the output options, a stream `--output` alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prints {
    Rows,
    Text,
    Stream,
    /// Only a summary line on stderr (it writes files of its own).
    Nothing,
}

/// A command that is not a list.
pub struct CommandDef {
    pub name: &'static str,
    pub about: &'static str,
    /// The examples that end its help.
    pub examples: &'static str,
    pub prints: Prints,
    /// Its own arguments (the shared options are added from `prints`).
    pub args: fn(clap::Command) -> clap::Command,
    pub exec: Exec,
    /// The columns of the rows it prints, for completing `--columns` and `--sort`
    /// (none where they are not known before it runs, as for `sql`). A test holds
    /// them to the command's output.
    pub columns: fn() -> Vec<&'static str>,
}

/// What runs a command.
pub type Exec = fn(&Ctx, &ArgMatches) -> Result<Output>;

/// A command's own arguments.
pub type Arguments = fn(clap::Command) -> clap::Command;

impl CommandDef {
    /// A command that prints rows; `prints` says otherwise.
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
            prints: Prints::Rows,
            args,
            exec,
            columns: Vec::new,
        }
    }

    /// The columns of the rows it prints.
    pub const fn columns(mut self, columns: fn() -> Vec<&'static str>) -> CommandDef {
        self.columns = columns;
        self
    }

    /// What the command prints.
    pub const fn prints(mut self, prints: Prints) -> CommandDef {
        self.prints = prints;
        self
    }
}

/// A command with subcommands.
pub struct GroupDef {
    pub name: &'static str,
    pub about: &'static str,
    pub commands: &'static [CommandDef],
}

impl Def {
    pub fn name(&self) -> &'static str {
        match self {
            Def::List(s) => s.name,
            Def::Cmd(c) => c.name,
            Def::Group(g) => g.name,
        }
    }

    pub fn about(&self) -> &'static str {
        match self {
            Def::List(s) => s.about,
            Def::Cmd(c) => c.about,
            Def::Group(g) => g.about,
        }
    }
}

/// Find a command by name.
pub fn find(name: &str) -> Option<&'static Def> {
    COMMANDS.iter().find(|d| d.name() == name)
}

/// The list command over `table`, if there is one.
pub fn list_of(table: &str) -> Option<&'static list::ListSpec> {
    COMMANDS.iter().find_map(|d| match d {
        Def::List(s) if s.table == table => Some(*s),
        _ => None,
    })
}

/// What a command produced; `lib.rs` turns it into output.
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
}

impl View {
    pub fn titled(title: impl Into<String>) -> View {
        View {
            title: title.into(),
            ..View::default()
        }
    }
}

/// What every command runs with: where the data comes from, the time it may take, and
/// the knowledge base, opened once when first needed.
pub struct Ctx {
    pub source: DataSource,
    pub timeout: Duration,
    pub color: ColorChoice,
    db: OnceCell<Db>,
    /// How the source was named (`--db`, `$AIINFRA_DB`), for messages.
    source_name: Cell<&'static str>,
    /// Files read besides the source (`--report`), which no output may replace.
    inputs: RefCell<Vec<PathBuf>>,
    /// `--force`: outputs may replace files aiinfra did not write.
    force: Cell<bool>,
}

impl Ctx {
    pub fn new(source: DataSource, timeout: Duration, color: ColorChoice) -> Ctx {
        Ctx {
            source,
            timeout,
            color,
            db: OnceCell::new(),
            source_name: Cell::new("the built-in data"),
            inputs: RefCell::new(Vec::new()),
            force: Cell::new(false),
        }
    }

    pub fn set_source_name(&self, name: &'static str) {
        self.source_name.set(name);
    }

    pub fn source_name(&self) -> &'static str {
        self.source_name.get()
    }

    pub fn set_force(&self, force: bool) {
        self.force.set(self.force.get() || force);
    }

    /// A file this command reads, which no output may replace.
    pub fn add_input(&self, path: &Path) {
        self.inputs.borrow_mut().push(path.to_path_buf());
    }

    /// The rules a write follows: every input this command reads, and `--force`.
    pub fn rules(&self) -> crate::write::Rules {
        let mut inputs = self.inputs.borrow().clone();
        match &self.source {
            DataSource::Embedded => {}
            DataSource::File(path) => inputs.push(path.clone()),
            DataSource::SeedDir(dir) => {
                inputs.extend(TABLES.iter().map(|t| dir.join(format!("{}.csv", t.name))));
                inputs.push(dir.clone());
            }
        }
        crate::write::Rules {
            inputs,
            force: self.force.get(),
        }
    }

    /// The knowledge base, opened on first use.
    pub fn db(&self) -> Result<&Db> {
        if let Some(db) = self.db.get() {
            return Ok(db);
        }
        let db = crate::db::open(&self.source, self.timeout)?;
        Ok(self.db.get_or_init(|| db))
    }

    /// Everything a name may resolve to in `tables`: each row's id and names.
    pub fn candidates(&self, tables: &[&'static Table]) -> Result<Vec<Candidate>> {
        let mut out = Vec::new();
        for table in tables {
            // Table and column names come from the contract, never from input.
            let sql = match table.label_columns() {
                Some((zh, en)) => {
                    format!("SELECT id, {zh}, {en} FROM {} ORDER BY rowid", table.name)
                }
                None => format!("SELECT id FROM {} ORDER BY rowid", table.name),
            };
            let rows = self.db()?.fetch(&Query::new(sql, Vec::new()))?;
            for row in rows.data {
                let mut texts = row.into_iter().filter_map(|v| match v {
                    Value::Text(s) => Some(s),
                    _ => None,
                });
                let Some(id) = texts.next() else { continue };
                out.push(Candidate {
                    table: table.name,
                    id,
                    names: texts.collect(),
                });
            }
        }
        Ok(out)
    }

    /// The region `key` names (an id, a name, an official name), or a usage error.
    pub fn region(&self, key: &str) -> Result<Candidate> {
        let regions = self.candidates(&[table("regions")?])?;
        Ok(crate::resolve::resolve(key, &regions, "region", "aiinfra regions")?.clone())
    }
}

/// A contract table the code names; its absence is a bug a test would catch.
pub fn table(name: &str) -> Result<&'static Table, UsageError> {
    contract::table(name).ok_or_else(|| UsageError(format!("no table {name}")))
}

/// Look a table up by a name the user gave for `what` (a flag or an argument): a
/// table's name or the name of the command that lists it.
/// The names `table_named` takes: every table, and each command that lists one under
/// another name.
pub fn table_names() -> impl Iterator<Item = &'static str> {
    TABLES
        .iter()
        .map(|t| t.name)
        .chain(COMMANDS.iter().filter_map(|d| match d {
            Def::List(s) if s.name != s.table => Some(s.name),
            _ => None,
        }))
}

pub fn table_named(name: &str, what: &str) -> Result<&'static Table, UsageError> {
    let name = name.trim();
    if let Some(t) = contract::table(name) {
        return Ok(t);
    }
    if let Some(spec) = COMMANDS.iter().find_map(|d| match d {
        Def::List(s) if s.name == name => Some(*s),
        _ => None,
    }) {
        return table(spec.table);
    }
    let names = table_names;
    Err(UsageError(format!(
        "unknown {what} '{name}'{} (expected a table or the command that lists it: {})",
        crate::text::suggest(name, names()),
        names().collect::<Vec<_>>().join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_spec_names_real_columns() {
        for def in COMMANDS {
            if let Def::List(spec) = def {
                spec.check()
                    .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            }
        }
    }

    #[test]
    fn every_table_has_a_list_command() {
        for table in TABLES {
            assert!(
                list_of(table.name).is_some(),
                "{} has no list command",
                table.name
            );
        }
    }

    #[test]
    fn tables_are_named_by_table_or_command() {
        assert_eq!(
            table_named("centers", "--entity").unwrap().name,
            "compute_centers"
        );
        assert_eq!(
            table_named("compute_centers", "--entity").unwrap().name,
            "compute_centers"
        );
        let err = table_named("center", "--entity").unwrap_err().0;
        assert!(err.contains("did you mean centers?"), "{err}");
    }
}
