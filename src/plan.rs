//! The plan of a run, resolved once from the command line, as ripgrep resolves its
//! `HiArgs` from its `LowArgs`: which command, where the data comes from, the time it
//! may take, where output goes (a terminal, a pipe, a file), its format, width, colour
//! and language, the row shape, and which of the shared options were given. Nothing
//! after it asks again: the command runs with the `Ctx` it makes, and what the command
//! returns is checked against it (an option that output cannot honour is a usage error,
//! never ignored) before anything is written.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::ArgMatches;
use clap::parser::ValueSource;

use crate::args::{self, DataArgs};
use crate::command::{Data, Returns};
use crate::ctx::Ctx;
use crate::db::DataSource;
use crate::error::UsageError;
use crate::output::shape::{Chart, Shape};
use crate::output::{ColorChoice, Format, Lang};

/// What a command declares of itself, as far as the plan needs it.
#[derive(Debug, Clone, Copy)]
pub struct Declared {
    /// The command as typed after `aiinfra` (`chips`, `db export`).
    pub name: &'static str,
    pub returns: &'static [Returns],
    pub data: Data,
    pub inputs: &'static [&'static str],
    /// Whether its text is long enough to page on a terminal (`report`, `show`).
    pub pages: bool,
}

/// Every shared option (by argument id) and the kinds of output that honour it; a
/// command takes those its kinds of output honour (`cli.rs` attaches them from here).
const SHARED: &[(&str, &[Returns])] = {
    use Returns::{Query, Rows, Stream, Text};
    &[
        ("format", &[Query, Rows, Text]),
        ("output", &[Query, Rows, Text, Stream]),
        ("force", &[Query, Rows, Text, Stream]),
        ("excel", &[Query, Rows]),
        ("width", &[Query, Rows, Text]),
        ("wide", &[Query, Rows, Text]),
        ("lang", &[Query, Rows]),
        ("color", &[Query, Rows, Text]),
        ("columns", &[Query, Rows]),
        ("sort", &[Query, Rows]),
        ("desc", &[Query, Rows]),
        ("limit", &[Query, Rows]),
        ("count_by", &[Query, Rows]),
        ("chart", &[Query, Rows]),
        ("log", &[Query, Rows]),
        ("cumulative", &[Query, Rows]),
        ("show_sql", &[Query]),
    ]
};

/// The shared options a kind of output honours.
pub fn options_of(kind: Returns) -> Vec<&'static str> {
    SHARED
        .iter()
        .filter(|(_, kinds)| kinds.contains(&kind))
        .map(|(id, _)| *id)
        .collect()
}

/// The shared options a command takes: those of every kind of output it can return.
pub fn options(returns: &[Returns]) -> Vec<&'static str> {
    SHARED
        .iter()
        .filter(|(_, kinds)| kinds.iter().any(|k| returns.contains(k)))
        .map(|(id, _)| *id)
        .collect()
}

/// Where output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output; whether it is a terminal.
    Stdout { terminal: bool },
    /// A file, written whole.
    File(PathBuf),
}

/// The plan of one run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub command: Declared,
    /// The command's words as typed (`db export`).
    pub words: String,
    pub data: DataArgs,
    pub destination: Destination,
    /// `--format` as given.
    pub format: Option<Format>,
    pub excel: bool,
    pub force: bool,
    pub wide: bool,
    /// `--width` as given.
    pub width: Option<usize>,
    pub lang: Option<Lang>,
    pub shape: Shape,
    pub show_sql: bool,
    /// Files the command reads besides its data, which no output may replace.
    pub inputs: Vec<PathBuf>,
    /// The pager long text goes through: only on a terminal, for a command whose text
    /// pages, without `--no-pager`.
    pub pager: Option<crate::pager::Pager>,
    /// The shared options given on the command line (ids), to refuse those the output
    /// cannot honour.
    given: Vec<&'static str>,
}

impl Plan {
    /// The plan of `declared`, run with `leaf` (its matches) under `root`.
    pub fn new(
        declared: Declared,
        words: String,
        root: &ArgMatches,
        leaf: &ArgMatches,
    ) -> Result<Plan, UsageError> {
        let data = DataArgs::merged(root, Some(leaf));
        let shared = options(declared.returns);
        let mut given: Vec<&'static str> = shared
            .iter()
            .copied()
            .filter(|id| leaf.try_contains_id(id).unwrap_or(false) && from_command_line(leaf, id))
            .collect();
        // The data options may come before the command or after it.
        for id in ["db", "seed_dir", "timeout", "color"] {
            let here = [root, leaf]
                .iter()
                .any(|m| m.try_contains_id(id).unwrap_or(false) && from_command_line(m, id));
            if here {
                given.push(id);
            }
        }
        if data.db.is_some() && data.seed_dir.is_some() {
            return Err(UsageError(
                "--db and --seed-dir name two sources of data; give one".into(),
            ));
        }
        let refused = |id: &&str| match declared.data {
            Data::None => matches!(*id, "db" | "seed_dir" | "timeout"),
            Data::Seeds => *id == "db",
            Data::Any => false,
        };
        if let Some(id) = given.iter().find(|id| refused(id)) {
            let why = match declared.data {
                Data::None => "reads no data",
                _ => "writes from seeds (--seed-dir DIR, or the built-in ones)",
            };
            return Err(UsageError(format!(
                "aiinfra {words} {why}: it takes no {}",
                flag_name(id)
            )));
        }
        let output: Option<PathBuf> = args::value(leaf, "output");
        let destination = match output {
            Some(path) if !crate::write::to_stdout(Some(&path)) => Destination::File(path),
            _ => Destination::Stdout {
                terminal: std::io::stdout().is_terminal(),
            },
        };
        let no_pager = args::flag(root, "no_pager") || args::flag(leaf, "no_pager");
        let pager = match destination {
            Destination::Stdout { terminal: true } if declared.pages && !no_pager => {
                crate::pager::Pager::from_env()
            }
            _ => None,
        };
        let chart = args::value::<String>(leaf, "chart").map(|field| Chart {
            field: (!field.is_empty()).then_some(field),
            log: args::flag(leaf, "log"),
            cumulative: args::flag(leaf, "cumulative"),
        });
        let lang: Option<Lang> = args::value(leaf, "lang");
        let shape = Shape {
            columns: args::value::<String>(leaf, "columns").map(|_| {
                leaf.get_many::<String>("columns")
                    .map(|v| v.cloned().collect())
                    .unwrap_or_default()
            }),
            sort: args::value(leaf, "sort"),
            desc: args::flag(leaf, "desc"),
            limit: args::value(leaf, "limit"),
            count_by: args::value(leaf, "count_by"),
            chart,
            lang: lang.unwrap_or_default(),
        };
        let mut inputs = Vec::new();
        for id in declared.inputs {
            if let Some(path) = args::value::<PathBuf>(leaf, id) {
                inputs.push(path);
            }
        }
        Ok(Plan {
            command: declared,
            words,
            data,
            destination,
            format: args::value(leaf, "format"),
            excel: args::flag(leaf, "excel"),
            force: args::flag(leaf, "force"),
            wide: args::flag(leaf, "wide"),
            width: args::value(leaf, "width"),
            lang,
            shape,
            show_sql: args::flag(leaf, "show_sql"),
            inputs,
            pager,
            given,
        })
    }

    /// The context the command runs with.
    pub fn ctx(&self, root: fn() -> clap::Command) -> Ctx {
        Ctx::new(
            self.source(),
            self.source_name(),
            self.timeout(),
            self.force,
            self.inputs.clone(),
            root,
        )
    }

    /// Where the data comes from (the built-in data for a command that reads none;
    /// `--seed-dir` or the built-in seeds for one that reads seeds).
    pub fn source(&self) -> DataSource {
        match (self.command.data, &self.data.seed_dir) {
            (Data::Any, _) => self.data.source(),
            (Data::Seeds, Some(dir)) => DataSource::SeedDir(dir.clone()),
            _ => DataSource::Embedded,
        }
    }

    /// How the source was named.
    pub fn source_name(&self) -> &'static str {
        match self.source() {
            DataSource::Embedded => "the built-in data",
            _ => self.data.source_name(),
        }
    }

    pub fn timeout(&self) -> Duration {
        self.data.timeout()
    }

    /// Refuse an option the output the command returned cannot honour, naming the
    /// option and the command.
    pub fn check(&self, kind: Returns) -> Result<(), UsageError> {
        let honoured = options_of(kind);
        let not = self
            .given
            .iter()
            // The data options were checked when the plan was made; --color also colours
            // the messages on stderr, which every command may print.
            .find(|id| {
                !matches!(**id, "db" | "seed_dir" | "timeout" | "color") && !honoured.contains(*id)
            });
        let Some(id) = not else {
            return Ok(());
        };
        let (verb, what) = match kind {
            Returns::Query => ("prints", "rows"),
            Returns::Rows => ("prints", "rows made without SQL"),
            Returns::Text => ("prints", "text"),
            Returns::Stream => (
                "prints",
                "text that is not a table (a script, SQL or a page)",
            ),
            Returns::Files => ("writes", "files of its own"),
        };
        let other = match (self.command.name, kind) {
            ("report", Returns::Text) => " (report --errata lists rows)",
            ("man", Returns::Files) => " (man without DIR prints one page)",
            _ => "",
        };
        Err(UsageError(format!(
            "{} does not apply to aiinfra {}, which {verb} {what}{other}",
            flag_name(id),
            self.words,
        )))
    }

    /// Whether output goes to standard output on a terminal.
    pub fn to_terminal(&self) -> bool {
        self.destination == Destination::Stdout { terminal: true }
    }

    /// The file output goes to, if not standard output.
    pub fn file(&self) -> Option<&std::path::Path> {
        match &self.destination {
            Destination::File(path) => Some(path),
            Destination::Stdout { .. } => None,
        }
    }

    /// The format asked for: `--format`, else what the `--output` file's extension
    /// says, else table (csv with `--excel`). A file name that says no format needs
    /// `--format`; `--format` that contradicts the name is refused (a `.txt` file takes
    /// any text format).
    pub fn format(&self) -> Result<Format, UsageError> {
        let named = self.file().map(|p| (p, Format::from_extension(p)));
        let format = match (self.format, named) {
            (Some(given), Some((path, Some(by_name))))
                if given != by_name && !(by_name == Format::Table && given.is_text()) =>
            {
                return Err(UsageError(format!(
                    "--format {} contradicts the file name {}, which says {}: drop --format, or name the file .{}",
                    given.name(),
                    path.display(),
                    by_name.name(),
                    given.extension()
                )));
            }
            (Some(given), _) => given,
            (None, Some((_, Some(by_name)))) => by_name,
            (None, Some((path, None))) => {
                return Err(UsageError(format!(
                    "cannot tell the format of {} from its name: end it with {}, or give --format",
                    path.display(),
                    Format::known_extensions()
                )));
            }
            (None, None) if self.excel => Format::Csv,
            (None, None) => Format::Table,
        };
        if self.excel && !matches!(format, Format::Csv | Format::Tsv) {
            return Err(UsageError(format!(
                "--excel works with --format csv or tsv{}",
                if format == Format::Xlsx {
                    " (an .xlsx workbook needs no --excel)"
                } else {
                    ""
                }
            )));
        }
        Ok(format)
    }

    /// For output that is text whatever is asked (SQL, a script, a page): refuse a
    /// workbook or an SVG by the file's name; any other name will do.
    pub fn text_only(&self, what: &str) -> Result<(), UsageError> {
        let named = self.file().and_then(Format::from_extension);
        match (self.format, named) {
            (Some(f @ (Format::Xlsx | Format::Svg)), _) => Err(UsageError(format!(
                "{what}, not {}: drop --format {}",
                f.article(),
                f.name()
            ))),
            (_, Some(f @ (Format::Xlsx | Format::Svg))) => Err(UsageError(format!(
                "{what}, not {}: name the file .sql or .txt (any name but .xlsx or .svg)",
                f.article()
            ))),
            _ => Ok(()),
        }
    }

    /// The width tables, text and charts fit: `--width N`, else the terminal's (unless
    /// `--wide`); none when piped or written to a file, where every cell is whole.
    pub fn fit_width(&self) -> Option<usize> {
        if self.wide {
            return None;
        }
        self.width
            .or_else(|| self.to_terminal().then(terminal_width).flatten())
    }

    /// Whether what goes to standard output or the file is coloured: always with
    /// `--color always`, never with `never`; with `auto`, on a terminal only (and not
    /// with NO_COLOR or TERM=dumb).
    pub fn color(&self) -> bool {
        self.data.color().enabled(self.to_terminal())
    }

    /// The language of name columns and number suffixes.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_default()
    }
}

/// Whether an option's value came from the command line (not a default or the
/// environment).
fn from_command_line(m: &ArgMatches, id: &str) -> bool {
    m.value_source(id) == Some(ValueSource::CommandLine)
}

/// `--seed-dir` for the id `seed_dir`.
pub fn flag_name(id: &str) -> String {
    format!("--{}", id.replace('_', "-"))
}

/// The terminal's width: as the terminal reports it, or, where it reports none (0, as
/// some containers' terminals do), `$COLUMNS`; `None` if neither says.
pub fn terminal_width() -> Option<usize> {
    comfy_table::Table::new()
        .width()
        .map(usize::from)
        .filter(|&w| w > 0)
        .or_else(|| crate::text::env_count("COLUMNS"))
        .map(|w| w.clamp(args::MIN_WIDTH, args::MAX_WIDTH))
}

/// The colour of what goes to standard error: `--color`, NO_COLOR and TERM, as for
/// standard output, but asked of standard error.
pub fn stderr_color(choice: ColorChoice) -> bool {
    choice.enabled(std::io::stderr().is_terminal())
}
