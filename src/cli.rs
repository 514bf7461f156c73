//! The command line, built from the command table (`cmd::COMMANDS`): the root with its
//! general options, and each command with its own arguments plus the shared options
//! that what it returns can honour (`plan::options`), each from its one builder in
//! `args.rs`. A command's arguments are built only when it runs (`defer`), so parsing
//! stays fast however many commands there are.

use clap::{Arg, ArgAction, Command};

use crate::args;
use crate::cmd::{self, COMMANDS, Def, LIST_RETURNS};
use crate::command::{CommandDef, Data, Returns};
use crate::output::Format;

const ABOUT: &str = "China's AI infrastructure, from the CAICT report 人工智能基础设施发展态势报告(2021年), as a queryable knowledge base";

const LONG_ABOUT: &str = "\
China's AI infrastructure, from the CAICT report 人工智能基础设施发展态势报告(2021年) (\"AI Infrastructure Development Report 2021\"), as a queryable knowledge base.

Every row names the table, figure, section or footnote of the report it comes from (source_id) and carries a verbatim quote that supports it. The data is built in: no set-up, no files. Output is a table, or csv, tsv, json, jsonl, markdown or an .xlsx workbook.

来源:中国信息通信研究院和人工智能与经济社会研究中心";

const EXAMPLES: &str = "\
Examples:
  aiinfra chips --min-int8 200
  aiinfra platforms --year 2019 --format csv
  aiinfra models --min-params 1T
  aiinfra regions 深圳
  aiinfra search 鹏城
  aiinfra show 昇腾910 --context
  aiinfra sql \"SELECT level, count(*) AS n FROM open_data_platforms GROUP BY level\"
  aiinfra db build aiinfra.db && aiinfra --db aiinfra.db chips";

/// The whole command line.
pub fn command() -> Command {
    // clap breaks lines only at spaces: the about text, which holds Chinese, is wrapped
    // here, at words and between Chinese characters, to the width help is shown at.
    let long_about: String = if crate::complete::help_wanted() {
        let width = crate::complete::help_width();
        LONG_ABOUT
            .split("\n\n")
            .map(|p| crate::output::table::wrap(p, width))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        LONG_ABOUT.to_string()
    };
    let root = Command::new("aiinfra")
        .about(ABOUT)
        .long_about(long_about)
        .after_help(EXAMPLES)
        .version(env!("CARGO_PKG_VERSION"))
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::SetTrue)
                .help("Print the version of aiinfra and of its data (with --db, also the file's)")
                .help_heading("General"),
        )
        .args(args::data_args())
        .arg(args::color())
        .arg(args::no_pager());
    // The width help fits: the terminal's, or $COLUMNS where there is none (asked of
    // the terminal only when help may show).
    let root = if crate::complete::help_wanted() {
        root.term_width(crate::complete::help_width())
    } else {
        root
    };
    COMMANDS
        .iter()
        .fold(root, |root, def| root.subcommand(sub(def)))
}

fn sub(def: &Def) -> Command {
    let cmd = Command::new(def.name()).about(def.about());
    match def {
        Def::Group(group) => cmd
            .subcommand_required(true)
            .after_help(group_examples(group.commands))
            .subcommands(
                group
                    .commands
                    .iter()
                    .map(|c| Command::new(c.name).about(c.about).defer(deferred_in_group)),
            ),
        _ => cmd.defer(deferred),
    }
}

/// A group's examples: the first of each of its commands'.
fn group_examples(commands: &[CommandDef]) -> String {
    let mut text = String::from("Examples:");
    for c in commands {
        let first = c
            .examples
            .split_once("Examples:")
            .and_then(|(_, lines)| lines.lines().find(|l| !l.trim().is_empty()));
        if let Some(line) = first {
            text.push('\n');
            text.push_str(line);
        }
    }
    text
}

/// A top-level command's arguments, built when it runs (or is completed).
fn deferred(cmd: Command) -> Command {
    match cmd::find(cmd.get_name()) {
        Some(Def::List(spec)) => shared(spec.augment(cmd), LIST_RETURNS, Data::Any, spec.columns()),
        Some(Def::Cmd(c)) => own(cmd, c),
        _ => cmd,
    }
}

/// A grouped command's arguments (`db build`), built when it runs.
fn deferred_in_group(cmd: Command) -> Command {
    match cmd::find_in_group(cmd.get_name()) {
        Some(c) => own(cmd, c),
        None => cmd,
    }
}

fn own(cmd: Command, c: &CommandDef) -> Command {
    let cmd = if c.pages {
        cmd.arg(args::no_pager())
    } else {
        cmd
    };
    shared(
        (c.args)(cmd).after_help(c.examples),
        c.returns,
        c.data,
        (c.columns)(),
    )
}

/// The shared options a command takes: the data options if it reads data, and those
/// its kinds of output honour; the options that name a column complete the command's
/// `columns`.
fn shared(
    cmd: Command,
    returns: &'static [Returns],
    data: Data,
    columns: Vec<&'static str>,
) -> Command {
    let mut cmd = match data {
        Data::Any => cmd.args(args::data_args()),
        Data::Seeds => cmd.args([args::seed_dir(), args::timeout()]),
        Data::None => cmd,
    };
    for id in crate::plan::options(returns) {
        let arg = match id {
            "format" => args::format(formats(returns)),
            "output" => args::output(),
            "force" => args::force(),
            "excel" => args::excel(),
            "width" => args::width(),
            "wide" => args::wide(),
            "lang" => args::lang(),
            "color" => args::color(),
            "columns" => args::columns(),
            "sort" => args::sort(),
            "desc" => args::desc(),
            "limit" => args::limit(),
            "count_by" => args::count_by(),
            "chart" => args::chart(),
            "log" => args::log(),
            "cumulative" => args::cumulative(),
            "show_sql" => args::show_sql(),
            _ => continue,
        };
        let arg = match id {
            "columns" | "sort" | "count_by" if !columns.is_empty() => {
                let columns = columns.clone();
                arg.add(crate::complete::words(move || columns.clone()))
            }
            // A chart draws quantities: only the numeric columns are offered (not the
            // page a row's source is on).
            "chart" if !columns.is_empty() => {
                let numeric: Vec<&'static str> = columns
                    .iter()
                    .copied()
                    .filter(|c| *c != crate::rows::PAGE && crate::db::contract::is_numeric(c))
                    .collect();
                arg.add(crate::complete::words(move || numeric.clone()))
            }
            _ => arg,
        };
        cmd = cmd.arg(arg);
    }
    cmd
}

/// The formats what a command returns can take.
fn formats(returns: &[Returns]) -> &'static [Format] {
    if returns
        .iter()
        .any(|r| matches!(r, Returns::Query | Returns::Rows))
    {
        Format::ALL
    } else {
        Format::TEXT
    }
}
