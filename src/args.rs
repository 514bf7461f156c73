//! The options commands share, as clap argument groups, and their plain values: where
//! the data comes from and the guards (global), where output goes and in what form
//! (every command that prints), and how rows are shaped (every command that prints
//! rows). A leaf of the command layer: commands and `cli.rs` use it, nothing below
//! does.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::db::DataSource;
use crate::error::UsageError;
use crate::output::shape::Shape;
use crate::output::{ColorChoice, Format, Lang};
use crate::units;

// Where the data comes from, and the limits every command runs under. Taken before
// the command and after it (`aiinfra --db F chips` and `aiinfra chips --db F`): the root
// and every command carry these, rather than clap copying "global" options into all of
// them at every start. (Plain comments on flattened structs: a doc comment would become
// the help of every command that flattens them.)
#[derive(Debug, Args, Clone, Default)]
pub struct DataArgs {
    /// Query a database file written by `aiinfra db build` (default: $AIINFRA_DB, else the built-in data)
    #[arg(long, value_name = "FILE", help_heading = "Data")]
    pub db: Option<PathBuf>,

    /// Load the knowledge base from a directory of CSV files (one <table>.csv per table) instead of the built-in seeds
    #[arg(long, value_name = "DIR", conflicts_with = "db", help_heading = "Data")]
    pub seed_dir: Option<PathBuf>,

    /// Stop the command after this many seconds, whatever it is doing [default: 5]
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout, help_heading = "General")]
    pub timeout: Option<Duration>,

    /// When to use colour: on a terminal (auto, and never with NO_COLOR set or TERM=dumb), always or never [default: auto]
    #[arg(long, value_enum, value_name = "WHEN", help_heading = "General")]
    pub color: Option<ColorChoice>,
}

/// The default of `--timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The narrowest and widest a table is fitted to (`--width`, a terminal).
pub const MIN_WIDTH: usize = 20;
pub const MAX_WIDTH: usize = 10_000;

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
    if secs <= 0.0 || secs > 3600.0 {
        return Err(format!(
            "expected a number of seconds between 0 and 3600, found {s:?}"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

impl DataArgs {
    /// These options as given before the command, overridden by those given after it.
    pub fn merged(
        root: &clap::ArgMatches,
        command: Option<&clap::ArgMatches>,
    ) -> Result<DataArgs, UsageError> {
        use clap::FromArgMatches;
        let parse = |m: &clap::ArgMatches| DataArgs::from_arg_matches(m).unwrap_or_default();
        let before = parse(root);
        let after = command.map(parse).unwrap_or_default();
        let merged = DataArgs {
            db: after.db.or(before.db),
            seed_dir: after.seed_dir.or(before.seed_dir),
            timeout: after.timeout.or(before.timeout),
            color: after.color.or(before.color),
        };
        if merged.db.is_some() && merged.seed_dir.is_some() {
            return Err(UsageError(
                "--db and --seed-dir name two sources of data; give one".into(),
            ));
        }
        Ok(merged)
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

// Where output goes and in what form.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format [default: table, or what the --output file's extension says]
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Write to FILE instead of standard output: all of it, or nothing if anything fails
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Make CSV or TSV friendly to Excel: UTF-8 byte-order mark, CRLF line ends, and cells that begin like a formula (= + - @) kept as text
    #[arg(long)]
    pub excel: bool,

    /// Replace the --output file even if aiinfra did not write it
    #[arg(long)]
    pub force: bool,

    /// Fit tables to N columns [default: the terminal's width on a terminal; none when piped]
    #[arg(long, value_name = "N", value_parser = parse_width, conflicts_with = "wide")]
    pub width: Option<usize>,

    /// Print every cell whole, even on a narrow terminal
    #[arg(long)]
    pub wide: bool,

    /// Language of the name columns in table output, and of number suffixes (csv and json carry both languages) [default: zh; a single record shows both]
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

impl OutputArgs {
    /// The language asked for, Chinese if none was.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_default()
    }

    /// The format asked for: `--format`, else what the `--output` file's extension
    /// says, else table (csv with `--excel`). A file name that says no format needs
    /// `--format`; `--format` that contradicts the name is refused (a `.txt` file takes
    /// any text format).
    pub fn format(&self) -> Result<Format, UsageError> {
        let file = self
            .output
            .as_deref()
            .filter(|p| !crate::write::to_stdout(Some(p)));
        let named = file.map(|p| (p, Format::from_extension(p)));
        let format = match (self.format, named) {
            (Some(given), Some((path, Some(by_name))))
                if given != by_name && !(by_name == Format::Table && given.is_text()) =>
            {
                return Err(UsageError(format!(
                    "--format {} contradicts the file name {}, which says {}: drop --format, or name the file .{}",
                    given.name(),
                    path.display(),
                    by_name.name(),
                    extension_of(given)
                )));
            }
            (Some(given), _) => given,
            (None, Some((_, Some(by_name)))) => by_name,
            (None, Some((path, None))) => {
                return Err(UsageError(format!(
                    "cannot tell the format of {} from its name: end it with {}, or give --format",
                    path.display(),
                    known_extensions()
                )));
            }
            (None, None) if self.excel => Format::Csv,
            (None, None) => Format::Table,
        };
        if self.excel && !matches!(format, Format::Csv | Format::Tsv) {
            return Err(UsageError(format!(
                "--excel works with --format csv or --format tsv{}",
                if format == Format::Xlsx {
                    " (an .xlsx workbook needs no --excel)"
                } else {
                    ""
                }
            )));
        }
        Ok(format)
    }
}

/// The usual extension of a format (`txt` for the table).
fn extension_of(format: Format) -> &'static str {
    Format::EXTENSIONS
        .iter()
        .find(|(_, f)| *f == format)
        .map_or("txt", |(e, _)| e)
}

/// `.csv .tsv .json .jsonl .md .xlsx .svg or .txt`: the usual extension of each format.
fn known_extensions() -> String {
    let mut seen: Vec<Format> = Vec::new();
    let mut names = Vec::new();
    for &(ext, format) in Format::EXTENSIONS {
        if !seen.contains(&format) {
            seen.push(format);
            names.push(format!(".{ext}"));
        }
    }
    let last = names.pop().unwrap_or_default();
    format!("{} or {last}", names.join(" "))
}

// Which rows and columns, in what order; or a chart of them.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Rows")]
pub struct ShapeArgs {
    /// Show only these columns, in this order [default: every column; a table shows the main ones]
    #[arg(long, short = 'c', value_delimiter = ',', value_name = "A,B,C")]
    pub columns: Option<Vec<String>>,

    /// Sort by this column (empty values last)
    #[arg(long, short = 's', value_name = "FIELD")]
    pub sort: Option<String>,

    /// Sort in descending order (with --sort)
    #[arg(long)]
    pub desc: bool,

    /// Show at most N rows
    #[arg(long, short = 'n', value_name = "N", value_parser = units::parse_count, allow_hyphen_values = true)]
    pub limit: Option<u64>,

    /// Count rows by the values of FIELD instead of listing them (a facet), most common first
    #[arg(long, value_name = "FIELD")]
    pub count_by: Option<String>,

    /// Draw a horizontal bar chart of FIELD instead of the table; with --count-by, FIELD may be left out and the counts are drawn; --output FILE.svg writes it as SVG
    #[arg(long, value_name = "FIELD", num_args = 0..=1)]
    pub chart: Option<Option<String>>,

    /// Chart lengths on a log scale, for values that span orders of magnitude
    #[arg(long, requires = "chart")]
    pub log: bool,

    /// Chart running totals (with --count-by over a year: how many by each year)
    #[arg(long, requires = "chart")]
    pub cumulative: bool,

    /// Print the SQL and its parameters instead of running it
    #[arg(long)]
    pub show_sql: bool,
}

impl ShapeArgs {
    /// The field `--chart` draws: its own, or with `--count-by` the facet's.
    pub fn chart_field(&self) -> Option<Result<String, UsageError>> {
        let given = self.chart.as_ref()?;
        Some(match (given, &self.count_by) {
            (Some(field), Some(facet)) if field != facet => Err(UsageError(format!(
                "with --count-by {facet}, --chart draws the counts: give --chart {facet}, or --chart alone"
            ))),
            (Some(field), _) => Ok(field.clone()),
            (None, Some(facet)) => Ok(facet.clone()),
            (None, None) => Err(UsageError(
                "--chart needs a numeric column to draw (--chart int8_tops), or --count-by FIELD to draw the counts".into(),
            )),
        })
    }

    pub fn shape(&self, lang: Lang) -> Shape {
        Shape {
            columns: self.columns.clone(),
            sort: self.sort.clone(),
            desc: self.desc,
            limit: self.limit,
            count_by: self.count_by.clone(),
            lang,
        }
    }
}

// Where a stream (a dump, a script, a page) goes.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Output")]
pub struct FileArgs {
    /// Write to FILE instead of standard output: all of it, or nothing if anything fails
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace files aiinfra did not write
    #[arg(long)]
    pub force: bool,
}
