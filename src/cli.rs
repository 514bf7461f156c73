//! The command line: the top-level `Cli`, the `Command` enum and the options every
//! list command shares. Clap types stop here and in each command's `Args`; below them
//! the code sees plain values (`Shape`, `output::Options`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::cmd;
use crate::db::DataSource;
use crate::error::UsageError;
use crate::output::Format;
use crate::query::{Lang, Shape};
use crate::units;

const ABOUT: &str = "China's AI infrastructure, from the CAICT report 人工智能基础设施发展态势报告(2021年), as a queryable knowledge base";

const LONG_ABOUT: &str = "\
China's AI infrastructure, from the CAICT report 人工智能基础设施发展态势报告(2021年)
(\"AI Infrastructure Development Report 2021\"), as a queryable knowledge base.

Every row names the table, figure, section or footnote of the report it comes from
(source_id) and carries a verbatim quote that supports it. The data is built in: no
set-up, no files. Output is a table, or csv, tsv, json, jsonl or markdown.";

const EXAMPLES: &str = "\
Examples:
  aiinfra chips --min-int8 200
  aiinfra platforms --year 2019 --format csv
  aiinfra models --min-params 1T
  aiinfra regions 深圳
  aiinfra search 鹏城
  aiinfra sql \"SELECT level, count(*) AS n FROM open_data_platforms GROUP BY level\"
  aiinfra db build aiinfra.db && aiinfra --db aiinfra.db chips";

#[derive(Debug, Parser)]
#[command(
    name = "aiinfra",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES,
    disable_version_flag = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub data: DataArgs,

    /// Print the version of aiinfra and of its data (with --db, also the file's)
    #[arg(short = 'V', long, global = true)]
    pub version: bool,

    /// When to use colour: on a terminal (auto, and never with NO_COLOR set or TERM=dumb), always or never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal, given NO_COLOR and
    /// TERM from the environment.
    pub fn enabled(self, terminal: bool) -> bool {
        self.enabled_with(
            terminal,
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var("TERM").ok().as_deref(),
        )
    }

    /// `enabled`, with the environment given (for tests).
    pub fn enabled_with(
        self,
        terminal: bool,
        no_color: Option<&std::ffi::OsStr>,
        term: Option<&str>,
    ) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && no_color.is_none_or(|v| v.is_empty()) && term != Some("dumb")
            }
        }
    }
}

/// The subcommands. Their arguments are built only for the subcommand that runs
/// (`defer`): parsing stays fast however many commands there are.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    #[command(about = cmd::chips::ABOUT)]
    Chips(cmd::chips::Args),
    #[command(about = cmd::platforms::ABOUT)]
    Platforms(cmd::platforms::Args),
    #[command(about = cmd::models::ABOUT)]
    Models(cmd::models::Args),
    #[command(about = cmd::frameworks::ABOUT)]
    Frameworks(cmd::frameworks::Args),
    #[command(about = cmd::pilot_zones::ABOUT)]
    PilotZones(cmd::pilot_zones::Args),
    #[command(about = cmd::centers::ABOUT)]
    Centers(cmd::centers::Args),
    #[command(about = cmd::regions::ABOUT)]
    Regions(cmd::regions::Args),
    #[command(about = cmd::tables::DATASETS_ABOUT)]
    Datasets(cmd::tables::DatasetsArgs),
    #[command(about = cmd::tables::LANGUAGES_ABOUT)]
    Languages(cmd::tables::LanguagesArgs),
    #[command(about = cmd::tables::APOLLO_ABOUT)]
    Apollo(cmd::tables::ApolloArgs),
    #[command(about = cmd::tables::POLICIES_ABOUT)]
    Policies(cmd::tables::PoliciesArgs),
    #[command(about = cmd::tables::FACTS_ABOUT)]
    Facts(cmd::tables::FactsArgs),
    #[command(about = cmd::search::ABOUT)]
    Search(cmd::search::Args),
    #[command(about = cmd::show::ABOUT)]
    Show(cmd::show::Args),
    #[command(about = cmd::sources::ABOUT)]
    Sources(cmd::sources::Args),
    #[command(about = cmd::schema::ABOUT)]
    Schema(cmd::schema::Args),
    #[command(about = cmd::sql::ABOUT)]
    Sql(cmd::sql::Args),
    #[command(subcommand)]
    Db(cmd::db::DbCommand),
    #[command(about = cmd::docs::COMPLETIONS_ABOUT)]
    Completions(cmd::docs::CompletionsArgs),
    #[command(about = cmd::docs::MAN_ABOUT)]
    Man(cmd::docs::ManArgs),
}

impl Command {
    /// The file this command writes, if any.
    pub fn output_path(&self) -> Option<&std::path::Path> {
        let out = match self {
            Command::Chips(a) => &a.output,
            Command::Platforms(a) => &a.output,
            Command::Models(a) => &a.output,
            Command::Frameworks(a) => &a.output,
            Command::PilotZones(a) => &a.output,
            Command::Centers(a) => &a.output,
            Command::Regions(a) => &a.output,
            Command::Datasets(a) => &a.output,
            Command::Languages(a) => &a.output,
            Command::Apollo(a) => &a.output,
            Command::Policies(a) => &a.output,
            Command::Facts(a) => &a.output,
            Command::Search(a) => &a.output,
            Command::Show(a) => &a.output,
            Command::Sources(a) => &a.output,
            Command::Schema(a) => &a.output,
            Command::Sql(a) => &a.output,
            Command::Db(cmd::db::DbCommand::Check(a)) => &a.output,
            Command::Db(cmd::db::DbCommand::Dump(a)) => &a.output,
            Command::Db(cmd::db::DbCommand::Build(a)) => return Some(&a.file),
            Command::Db(cmd::db::DbCommand::Export(a)) => return Some(&a.dir),
            Command::Completions(_) | Command::Man(_) => return None,
        };
        out.output.as_deref()
    }
}

// Where the data comes from; global, so it may follow the subcommand. (Plain
// comments on flattened structs: a doc comment would become the help of every
// command that flattens them.)
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Data")]
pub struct DataArgs {
    /// Query a database file written by `aiinfra db build` (default: $AIINFRA_DB, else the built-in data)
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// Load the knowledge base from a directory of CSV files (one <table>.csv per table) instead of the built-in seeds
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "db")]
    pub seed_dir: Option<PathBuf>,
}

impl DataArgs {
    /// `--db`, else `--seed-dir`, else `$AIINFRA_DB`, else the built-in seeds.
    pub fn source(&self) -> Result<DataSource, UsageError> {
        if let Some(db) = &self.db {
            return Ok(DataSource::File(db.clone()));
        }
        if let Some(dir) = &self.seed_dir {
            return Ok(DataSource::SeedDir(dir.clone()));
        }
        match std::env::var_os("AIINFRA_DB") {
            Some(path) if !path.is_empty() => Ok(DataSource::File(path.into())),
            _ => Ok(DataSource::Embedded),
        }
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

    /// Make CSV or TSV friendly to Excel: UTF-8 byte-order mark and CRLF line ends
    #[arg(long)]
    pub excel: bool,
}

impl OutputArgs {
    /// The format asked for: `--format`, else the `--output` extension, else table
    /// (csv with `--excel`).
    pub fn format(&self) -> Result<Format, UsageError> {
        let format = self
            .format
            .or_else(|| self.output.as_deref().and_then(Format::from_extension))
            .unwrap_or(if self.excel {
                Format::Csv
            } else {
                Format::Table
            });
        if self.excel && !matches!(format, Format::Csv | Format::Tsv) {
            return Err(UsageError(
                "--excel works with --format csv or --format tsv".into(),
            ));
        }
        Ok(format)
    }
}

// What every list command shares: which columns and rows, in what order.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Rows")]
pub struct ListArgs {
    /// Show only these columns, in this order [default: every column; a table shows the main ones]
    #[arg(long, short = 'c', value_delimiter = ',', value_name = "A,B,C")]
    pub columns: Option<Vec<String>>,

    /// Sort by this column (empty values last)
    #[arg(long, short = 's', value_name = "FIELD")]
    pub sort: Option<String>,

    /// Sort in descending order (with --sort)
    #[arg(long, requires = "sort")]
    pub desc: bool,

    /// Show at most N rows
    #[arg(long, short = 'n', value_name = "N", value_parser = units::parse_count, allow_hyphen_values = true)]
    pub limit: Option<u64>,

    /// Count rows by the values of FIELD instead of listing them (a facet), most common first
    #[arg(long, value_name = "FIELD")]
    pub count_by: Option<String>,

    /// Language of the name columns in table output (csv and json carry both)
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,

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

impl ListArgs {
    /// The field `--chart` draws: its own, or with `--count-by` the facet's.
    pub fn chart_field(&self) -> Option<Result<String, UsageError>> {
        let given = self.chart.as_ref()?;
        Some(match (given, &self.count_by) {
            (Some(field), _) => Ok(field.clone()),
            (None, Some(facet)) => Ok(facet.clone()),
            (None, None) => Err(UsageError(
                "--chart needs a numeric column to draw (--chart int8_tops), or --count-by FIELD to draw the counts".into(),
            )),
        })
    }

    pub fn shape(&self) -> Shape {
        Shape {
            columns: self
                .columns
                .as_ref()
                .map(|cs| cs.iter().map(|c| c.trim().to_string()).collect()),
            sort: self.sort.clone(),
            desc: self.desc,
            limit: self.limit,
            count_by: self.count_by.clone(),
            lang: self.lang,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color_or_dumb_term() {
        let auto = ColorChoice::Auto;
        assert!(auto.enabled_with(true, None, Some("xterm")));
        assert!(!auto.enabled_with(false, None, Some("xterm")));
        assert!(!auto.enabled_with(true, Some(OsStr::new("1")), Some("xterm")));
        assert!(auto.enabled_with(true, Some(OsStr::new("")), None));
        assert!(!auto.enabled_with(true, None, Some("dumb")));
        assert!(ColorChoice::Always.enabled_with(false, Some(OsStr::new("1")), Some("dumb")));
        assert!(!ColorChoice::Never.enabled_with(true, None, None));
    }
}
