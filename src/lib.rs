//! aiinfra: China's AI infrastructure, from the CAICT report, as a queryable knowledge
//! base. This file wires the pieces together and is the only place that does:
//! command line → plan → command (from the command table) → output (`present`:
//! query → rows → shape → renderer or chart) → stdout or a file.

pub mod args;
pub mod bigrams;
pub mod cli;
pub mod cmd;
pub mod command;
pub mod complete;
pub mod ctx;
pub mod db;
pub mod error;
pub mod export;
pub mod fold;
#[doc(hidden)]
pub mod fuzzing;
pub mod guard;
pub mod input;
pub mod message;
pub mod numbers;
pub mod output;
pub mod pager;
pub mod passages;
pub mod plan;
pub mod prebuilt;
pub mod present;
pub mod query;
pub mod report;
pub mod resolve;
pub mod rows;
pub mod text;
pub mod units;
pub mod write;

use anyhow::Result;
use clap::ArgMatches;

use args::DataArgs;
use cmd::{Def, LIST_RETURNS};
use command::{CommandDef, Exec};
use error::UsageError;
use plan::{Declared, Plan};

/// Run a parsed command line.
pub fn run(matches: &ArgMatches) -> Result<()> {
    if matches.get_flag("version") {
        return present::version(matches);
    }
    let (declared, words, leaf, exec) = command_of(matches)?;
    let plan = Plan::new(declared, words, matches, leaf)?;
    message::configure(plan.width, plan::stderr_color(plan.data.color()));
    guard::start(plan.timeout(), write::settle, |text| {
        message::error_text(text, false)
    });
    let ctx = plan.ctx(cli::command);
    // Where the output goes, then its format: usage errors come before any work, and
    // write nothing.
    present::check_destination(&plan, &ctx)?;
    let output = exec.run(&ctx, leaf)?;
    plan.check(output.kind())?;
    let result = present::output(&plan, &ctx, output);
    // The process ends right after this: closing the database would only free memory
    // the system frees anyway (a read-only connection has nothing to write back), at a
    // cost of a tenth of the run. Leaving it open is safe.
    std::mem::forget(ctx);
    result
}

/// What runs the command a command line names.
enum Run {
    List(&'static cmd::list::ListSpec),
    Cmd(Exec),
}

impl Run {
    fn run(&self, ctx: &ctx::Ctx, m: &ArgMatches) -> Result<command::Output> {
        match self {
            Run::List(spec) => spec.exec(ctx, m),
            Run::Cmd(exec) => exec(ctx, m),
        }
    }
}

/// The command a command line names: what it declares, its words as typed, its
/// matches, and what runs it.
fn command_of(matches: &ArgMatches) -> Result<(Declared, String, &ArgMatches, Run)> {
    let Some((name, sub)) = matches.subcommand() else {
        return Err(UsageError(
            "give a command, such as `aiinfra chips`; `aiinfra --help` lists them".into(),
        )
        .into());
    };
    let declared = |c: &'static CommandDef| Declared {
        name: c.name,
        returns: c.returns,
        data: c.data,
        inputs: c.inputs,
        pages: c.pages,
    };
    Ok(match cmd::find(name) {
        Some(Def::List(spec)) => (
            Declared {
                name: spec.name(),
                returns: LIST_RETURNS,
                data: command::Data::Any,
                inputs: &[],
                pages: false,
            },
            name.to_string(),
            sub,
            Run::List(spec),
        ),
        Some(Def::Cmd(c)) => (declared(c), name.to_string(), sub, Run::Cmd(c.exec)),
        Some(Def::Group(g)) => {
            let (inner, m) = sub.subcommand().ok_or_else(|| {
                UsageError(format!(
                    "give a subcommand of {name}; `aiinfra {name} --help` lists them"
                ))
            })?;
            let c = g
                .commands
                .iter()
                .find(|c| c.name == inner)
                .ok_or_else(|| UsageError(format!("unknown command {name} {inner}")))?;
            (declared(c), format!("{name} {inner}"), m, Run::Cmd(c.exec))
        }
        None => return Err(UsageError(format!("unknown command {name}")).into()),
    })
}

/// What was asked, for wording a failure: the command as typed, how the data was
/// named, and whether the command takes row options.
pub fn asked(matches: &ArgMatches) -> message::Asked {
    let mut words = Vec::new();
    let mut m = matches;
    while let Some((name, inner)) = m.subcommand() {
        words.push(name);
        m = inner;
    }
    let rows = m.try_contains_id("limit").is_ok();
    let source = DataArgs::merged(matches, leaf(matches)).source_name();
    message::Asked {
        command: words.join(" "),
        source,
        rows,
    }
}

/// The matches of the command that runs (`db build`'s, not `db`'s), if any.
pub fn leaf(matches: &ArgMatches) -> Option<&ArgMatches> {
    let mut found = matches.subcommand()?.1;
    while let Some((_, inner)) = found.subcommand() {
        found = inner;
    }
    Some(found)
}
