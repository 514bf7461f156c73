//! The command line, built from the command table (`cmd::COMMANDS`): the root with its
//! global options, and each command with its own arguments plus the shared ones its
//! kind of output takes. A command's arguments are built only when it runs (`defer`),
//! so parsing stays fast however many commands there are.

use clap::{Arg, ArgAction, Args as _, Command};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::args::{DataArgs, FileArgs, OutputArgs, ShapeArgs};
use crate::cmd::{self, COMMANDS, Def, Prints};

const ABOUT: &str = "China's AI infrastructure, from the CAICT report 人工智能基础设施发展态势报告(2021年), as a queryable knowledge base";

const LONG_ABOUT: &str = "\
China's AI infrastructure, from the CAICT report 人工智能基础设施发展态势报告(2021年)
(\"AI Infrastructure Development Report 2021\"), as a queryable knowledge base.

Every row names the table, figure, section or footnote of the report it comes from
(source_id) and carries a verbatim quote that supports it. The data is built in: no
set-up, no files. Output is a table, or csv, tsv, json, jsonl, markdown or an
.xlsx workbook.

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
    let root = Command::new("aiinfra")
        .about(ABOUT)
        .long_about(LONG_ABOUT)
        .after_help(EXAMPLES)
        .version(env!("CARGO_PKG_VERSION"))
        .disable_version_flag(true)
        .max_term_width(100)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::SetTrue)
                .help("Print the version of aiinfra and of its data (with --db, also the file's)")
                .help_heading("General"),
        );
    let root = DataArgs::augment_args(root);
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
fn group_examples(commands: &[cmd::CommandDef]) -> String {
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
        Some(Def::List(spec)) => shared(spec.augment(cmd), Prints::Rows, spec.columns()),
        Some(Def::Cmd(c)) => shared(
            (c.args)(cmd).after_help(c.examples),
            c.prints,
            (c.columns)(),
        ),
        _ => cmd,
    }
}

/// A grouped command's arguments (`db build`), built when it runs.
fn deferred_in_group(cmd: Command) -> Command {
    let found = COMMANDS.iter().find_map(|d| match d {
        Def::Group(g) => g.commands.iter().find(|c| c.name == cmd.get_name()),
        _ => None,
    });
    match found {
        Some(c) => shared(
            (c.args)(cmd).after_help(c.examples),
            c.prints,
            (c.columns)(),
        ),
        None => cmd,
    }
}

/// The options every command takes, and those its kind of output takes; the options
/// that name a column complete the command's `columns`.
fn shared(cmd: Command, prints: Prints, columns: Vec<&'static str>) -> Command {
    let cmd = DataArgs::augment_args(cmd);
    match prints {
        Prints::Rows => {
            let cmd = ShapeArgs::augment_args(OutputArgs::augment_args(cmd));
            if columns.is_empty() {
                return cmd;
            }
            ["columns", "sort", "count_by", "chart"]
                .into_iter()
                .fold(cmd, |cmd, id| {
                    let columns = columns.clone();
                    cmd.mut_arg(id, |a| a.add(complete_with(move || columns.clone())))
                })
        }
        Prints::Text => OutputArgs::augment_args(cmd),
        Prints::Stream => FileArgs::augment_args(cmd),
        Prints::Nothing => cmd,
    }
}

/// The environment variable through which a shell asks aiinfra to complete a word
/// (the script `aiinfra completions SHELL` prints sets it).
pub const COMPLETE_VAR: &str = "AIINFRA_COMPLETE";

/// An argument's completions: the ids of these tables' rows, each with its name as
/// help, read from the data a command would read by default ($AIINFRA_DB or the
/// built-in data). Nothing when that cannot be read: completion never fails loudly.
pub fn complete_ids(tables: Vec<&'static str>) -> ArgValueCandidates {
    ArgValueCandidates::new(move || {
        let ctx = crate::cmd::Ctx::new(
            crate::args::DataArgs::default().source(),
            std::time::Duration::from_secs(2),
            crate::output::ColorChoice::Never,
        );
        let tables: Vec<&'static crate::db::contract::Table> = tables
            .iter()
            .filter_map(|t| crate::db::contract::table(t))
            .collect();
        ctx.candidates(&tables)
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                let help = c.names.join(" / ");
                CompletionCandidate::new(c.id).help((!help.is_empty()).then(|| help.into()))
            })
            .collect()
    })
}

/// An argument's completions: these words (after a comma too, where the argument
/// takes a list).
pub fn complete_with(
    words: impl Fn() -> Vec<&'static str> + Send + Sync + 'static,
) -> ArgValueCandidates {
    ArgValueCandidates::new(move || words().into_iter().map(CompletionCandidate::new).collect())
}
