//! `aiinfra completions SHELL` and `aiinfra man [DIR]`: shell completion scripts
//! (clap_complete) and manual pages, one per subcommand (clap_mangen), both generated
//! from the same clap definitions as `--help`, so they cannot drift from it.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::fsutil;

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  aiinfra completions bash > ~/.local/share/bash-completion/completions/aiinfra
  aiinfra completions zsh > ~/.zfunc/_aiinfra
  aiinfra completions fish > ~/.config/fish/completions/aiinfra.fish";

/// The one-line help of `aiinfra completions`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const COMPLETIONS_ABOUT: &str = "Print a shell completion script";

#[derive(Debug, clap::Args)]
#[command(after_help = COMPLETIONS_EXAMPLES)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

const MAN_EXAMPLES: &str = "\
Examples:
  aiinfra man | man -l -
  aiinfra man ~/.local/share/man/man1    # aiinfra.1, aiinfra-chips.1, …";

/// The one-line help of `aiinfra man`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const MAN_ABOUT: &str = "Print the manual page, or write one page per subcommand into DIR";

#[derive(Debug, clap::Args)]
#[command(after_help = MAN_EXAMPLES)]
pub struct ManArgs {
    /// Write aiinfra.1 and aiinfra-<command>.1 pages into this directory
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "aiinfra", out);
}

/// The top-level page.
pub fn man_page(out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// Every page into `dir`, each written whole; return a summary line.
pub fn man_pages(dir: &Path) -> Result<String> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut cmd = Cli::command();
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, "aiinfra", &mut pages);
    for (name, page) in &pages {
        let path = dir.join(format!("{name}.1"));
        fsutil::write_atomic(
            &path,
            |w| Ok(clap_mangen::Man::new(page.clone()).render(w)?),
        )?;
    }
    Ok(format!(
        "wrote {} manual pages to {}",
        pages.len(),
        dir.display()
    ))
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
