//! The options commands share, each built by one function, with one wording, one value
//! type and one id, as cargo's `command_prelude.rs` builds its shared flags; which
//! command takes which follows from what it returns (`cli.rs`), and the plan reads
//! their values (`plan.rs`). A command that takes one of them for its own purpose
//! (`db export --format`) attaches the same builder, with the subset of values it
//! takes. A leaf of the command layer: it never touches the database.

use std::path::PathBuf;
use std::time::Duration;

use clap::ValueEnum as _;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
use clap::{Arg, ArgAction, ArgMatches};

use crate::db::DataSource;
use crate::output::{ColorChoice, Format, Lang};
use crate::units;

/// The default of `--timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest `--timeout` allowed.
pub const MAX_TIMEOUT: f64 = 3600.0;

/// The narrowest and widest a table is fitted to (`--width`, a terminal).
pub const MIN_WIDTH: usize = 20;
pub const MAX_WIDTH: usize = 10_000;

const DATA: &str = "Data";
const GENERAL: &str = "General";
const OUTPUT: &str = "Output";
const ROWS: &str = "Rows";

fn parse_width(s: &str) -> Result<usize, String> {
    match units::parse_count(s) {
        Ok(n) if (MIN_WIDTH as u64..=MAX_WIDTH as u64).contains(&n) => Ok(n as usize),
        _ => Err(format!(
            "expected a width in columns between {MIN_WIDTH} and {MAX_WIDTH}, found {s:?}"
        )),
    }
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    let secs = units::parse_number(s).map_err(|e| e.to_string())?;
    if secs <= 0.0 || secs > MAX_TIMEOUT {
        return Err(format!(
            "expected a number of seconds more than 0 and at most {MAX_TIMEOUT}, found {s:?}"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

// Data: where the data comes from, and the limit every command that reads it runs
// under. Taken before the command and after it (`aiinfra --db F chips` and
// `aiinfra chips --db F`).

pub fn db() -> Arg {
    Arg::new("db")
        .long("db")
        .value_name("FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .help("Query a database file written by `aiinfra db build` (default: $AIINFRA_DB, else the built-in data)")
        .help_heading(DATA)
}

pub fn seed_dir() -> Arg {
    Arg::new("seed_dir")
        .long("seed-dir")
        .value_name("DIR")
        .value_parser(clap::value_parser!(PathBuf))
        .help("Load the knowledge base from a directory of CSV files (one <table>.csv per table) instead of the built-in seeds")
        .help_heading(DATA)
}

pub fn timeout() -> Arg {
    Arg::new("timeout")
        .long("timeout")
        .value_name("SECONDS")
        .value_parser(parse_timeout)
        .help("Stop the command after this many seconds, whatever it is doing [default: 5]")
        .help_heading(GENERAL)
}

pub fn color() -> Arg {
    Arg::new("color")
        .long("color")
        .value_name("WHEN")
        .value_parser(clap::value_parser!(ColorChoice))
        .help("When to use colour: on a terminal (auto, and never with NO_COLOR set or TERM=dumb), always or never [default: auto]")
        .help_heading(GENERAL)
}

/// `--no-pager`: long text on a terminal is printed, not paged.
pub fn no_pager() -> Arg {
    Arg::new("no_pager")
        .long("no-pager")
        .action(ArgAction::SetTrue)
        .help("Print long text directly instead of through the pager ($AIINFRA_PAGER, else $PAGER, else `less -FRX`; an empty AIINFRA_PAGER also turns it off)")
        .help_heading(GENERAL)
}

// Output: where output goes and in what form.

/// `--format`, taking these formats.
pub fn format(formats: &'static [Format]) -> Arg {
    let values: Vec<PossibleValue> = formats
        .iter()
        .filter_map(|f| f.to_possible_value())
        .collect();
    Arg::new("format")
        .long("format")
        .short('f')
        .value_name("FORMAT")
        .value_parser(
            PossibleValuesParser::new(values)
                .try_map(|s| <Format as clap::ValueEnum>::from_str(&s, false)),
        )
        .help("Output format [default: table, or what the --output file's extension says]")
        .help_heading(OUTPUT)
}

pub fn output() -> Arg {
    Arg::new("output")
        .long("output")
        .short('o')
        .value_name("FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .help("Write to FILE instead of standard output: all of it, or nothing if anything fails")
        .help_heading(OUTPUT)
}

pub fn force() -> Arg {
    Arg::new("force")
        .long("force")
        .action(ArgAction::SetTrue)
        .help("Replace what aiinfra did not write, or what was changed since it wrote it")
        .help_heading(OUTPUT)
}

pub fn excel() -> Arg {
    Arg::new("excel")
        .long("excel")
        .action(ArgAction::SetTrue)
        .help("Make CSV friendly to Excel: UTF-8 byte-order mark, CRLF line ends, and cells that begin like a formula (= + - @) kept as text")
        .help_heading(OUTPUT)
}

pub fn width() -> Arg {
    Arg::new("width")
        .long("width")
        .value_name("N")
        .value_parser(parse_width)
        .conflicts_with("wide")
        .help("Fit tables and text to N columns [default: the terminal's width on a terminal; none when piped]")
        .help_heading(OUTPUT)
}

pub fn wide() -> Arg {
    Arg::new("wide")
        .long("wide")
        .action(ArgAction::SetTrue)
        .help("Print every cell whole, even on a narrow terminal")
        .help_heading(OUTPUT)
}

pub fn lang() -> Arg {
    Arg::new("lang")
        .long("lang")
        .value_parser(clap::value_parser!(Lang))
        .help("Language of the name columns in table output, and of number suffixes (csv and json carry both languages) [default: zh; a single record shows both]")
        .help_heading(OUTPUT)
}

// Rows: which rows and columns, in what order; or a chart of them.

pub fn columns() -> Arg {
    Arg::new("columns")
        .long("columns")
        .short('c')
        .value_delimiter(',')
        .value_name("A,B,C")
        .help("Show only these columns, in this order [default: every column; a table shows the main ones]")
        .help_heading(ROWS)
}

pub fn sort() -> Arg {
    Arg::new("sort")
        .long("sort")
        .short('s')
        .value_name("FIELD")
        .help("Sort by this column (empty values last)")
        .help_heading(ROWS)
}

pub fn desc() -> Arg {
    Arg::new("desc")
        .long("desc")
        .action(ArgAction::SetTrue)
        .help("Sort in descending order (with --sort)")
        .help_heading(ROWS)
}

pub fn limit() -> Arg {
    Arg::new("limit")
        .long("limit")
        .short('n')
        .value_name("N")
        .value_parser(|s: &str| units::parse_count(s))
        .allow_hyphen_values(true)
        .help("Show at most N rows")
        .help_heading(ROWS)
}

pub fn count_by() -> Arg {
    Arg::new("count_by")
        .long("count-by")
        .value_name("FIELD")
        .help("Count rows by the values of FIELD instead of listing them (a facet), most common first")
        .help_heading(ROWS)
}

pub fn chart() -> Arg {
    Arg::new("chart")
        .long("chart")
        .value_name("FIELD")
        .num_args(0..=1)
        .default_missing_value("")
        .help("Draw a horizontal bar chart of FIELD instead of the table; with --count-by, FIELD may be left out and the counts are drawn; --output FILE.svg writes it as SVG")
        .help_heading(ROWS)
}

pub fn log() -> Arg {
    Arg::new("log")
        .long("log")
        .action(ArgAction::SetTrue)
        .requires("chart")
        .help("Chart lengths on a log scale, for values that span orders of magnitude")
        .help_heading(ROWS)
}

pub fn cumulative() -> Arg {
    Arg::new("cumulative")
        .long("cumulative")
        .action(ArgAction::SetTrue)
        .requires("chart")
        .help("Chart running totals (with --count-by over a year: how many by each year)")
        .help_heading(ROWS)
}

pub fn show_sql() -> Arg {
    Arg::new("show_sql")
        .long("show-sql")
        .action(ArgAction::SetTrue)
        .help("Print the SQL and its parameters instead of running it")
        .help_heading(ROWS)
}

/// The data options: where the data comes from and the time a command may take.
pub fn data_args() -> [Arg; 3] {
    [db(), seed_dir(), timeout()]
}

/// A flag's value, if the command has the flag and it was given.
pub fn flag(m: &ArgMatches, id: &str) -> bool {
    matches!(m.try_get_one::<bool>(id), Ok(Some(true)))
}

/// An option's value, if the command has the option and it was given.
pub fn value<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Option<T> {
    m.try_get_one::<T>(id).ok().flatten().cloned()
}

/// Where the data comes from and how it was named, from the root's options and the
/// command's (the command's win).
#[derive(Debug, Clone, Default)]
pub struct DataArgs {
    pub db: Option<PathBuf>,
    pub seed_dir: Option<PathBuf>,
    pub timeout: Option<Duration>,
    pub color: Option<ColorChoice>,
}

impl DataArgs {
    /// These options as given before the command, overridden by those given after it.
    pub fn merged(root: &ArgMatches, command: Option<&ArgMatches>) -> DataArgs {
        let read = |m: &ArgMatches| DataArgs {
            db: value(m, "db"),
            seed_dir: value(m, "seed_dir"),
            timeout: value(m, "timeout"),
            color: value(m, "color"),
        };
        let before = read(root);
        let after = command.map(read).unwrap_or_default();
        DataArgs {
            db: after.db.or(before.db),
            seed_dir: after.seed_dir.or(before.seed_dir),
            timeout: after.timeout.or(before.timeout),
            color: after.color.or(before.color),
        }
    }

    /// `--db`, else `--seed-dir`, else `$AIINFRA_DB`, else the built-in seeds.
    pub fn source(&self) -> DataSource {
        if let Some(db) = &self.db {
            return DataSource::File(db.clone());
        }
        if let Some(dir) = &self.seed_dir {
            return DataSource::SeedDir(dir.clone());
        }
        match std::env::var_os("AIINFRA_DB") {
            Some(path) if !path.is_empty() => DataSource::File(path.into()),
            _ => DataSource::Embedded,
        }
    }

    /// How the source was named, for messages: `--db`, `$AIINFRA_DB`, `--seed-dir`.
    pub fn source_name(&self) -> &'static str {
        if self.db.is_some() {
            "--db"
        } else if self.seed_dir.is_some() {
            "--seed-dir"
        } else if std::env::var_os("AIINFRA_DB").is_some_and(|p| !p.is_empty()) {
            "$AIINFRA_DB"
        } else {
            "the built-in data"
        }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }

    pub fn color(&self) -> ColorChoice {
        self.color.unwrap_or(ColorChoice::Auto)
    }
}
