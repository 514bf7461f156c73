//! `aiinfra completions SHELL` and `aiinfra man [DIR]`: shell completion scripts
//! (clap_complete) and manual pages, one per subcommand (clap_mangen), both generated
//! from the same command table as `--help`, so they cannot drift from it. Both are made
//! in memory first, then written through the one writer (a closed pipe or a full disk
//! is an error like any other, never a panic).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use clap_complete::Shell;

use super::{CommandDef, Ctx, Output, Prints};

pub static COMPLETIONS: CommandDef = CommandDef::new(
    "completions",
    "Print a shell completion script",
    COMPLETIONS_EXAMPLES,
    CompletionsArgs::augment_args,
    completions,
)
.prints(Prints::Stream);

pub static MAN: CommandDef = CommandDef::new(
    "man",
    "Print the manual page, or write one page per subcommand into DIR",
    MAN_EXAMPLES,
    ManArgs::augment_args,
    man,
)
.prints(Prints::Stream);

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  aiinfra completions bash > ~/.local/share/bash-completion/completions/aiinfra
  aiinfra completions zsh > ~/.zfunc/_aiinfra
  aiinfra completions fish > ~/.config/fish/completions/aiinfra.fish";

const MAN_EXAMPLES: &str = "\
Examples:
  aiinfra man | man -l -
  aiinfra man ~/.local/share/man/man1    # aiinfra.1, aiinfra-chips.1, …";

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write aiinfra.1 and aiinfra-<command>.1 pages into this directory
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

fn completions(_ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = CompletionsArgs::from_arg_matches(m)?;
    let mut cmd = crate::cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "aiinfra", &mut script);
    Ok(Output::Stream(Box::new(move |w| Ok(w.write_all(&script)?))))
}

fn man(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = ManArgs::from_arg_matches(m)?;
    match &args.dir {
        Some(dir) => Ok(Output::Said(man_pages(ctx, dir)?)),
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(crate::cli::command()).render(&mut page)?;
            Ok(Output::Stream(Box::new(move |w| Ok(w.write_all(&page)?))))
        }
    }
}

/// Every page into `dir`, each written whole; a summary line.
fn man_pages(ctx: &Ctx, dir: &Path) -> Result<String> {
    let mut cmd = crate::cli::command();
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, "aiinfra", &mut pages);
    let count = pages.len();
    let mut rendered = Vec::new();
    for (name, page) in &pages {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(page.clone()).render(&mut bytes)?;
        rendered.push((format!("{name}.1"), bytes));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let rules = ctx.rules();
    let pages = rendered
        .into_iter()
        .map(|(name, bytes)| (dir.join(name), crate::write::Kind::Text, bytes))
        .collect();
    crate::write::files(pages, &rules)?;
    Ok(format!("wrote {count} manual pages to {}", dir.display()))
}

/// The page of `cmd`, named `name`, then its subcommands' as `name-sub`.
fn collect(cmd: &clap::Command, name: &str, pages: &mut Vec<(String, clap::Command)>) {
    pages.push((name.to_string(), cmd.clone().name(name.to_string())));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        collect(sub, &format!("{name}-{}", sub.get_name()), pages);
    }
}
