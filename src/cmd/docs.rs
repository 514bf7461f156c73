//! `aiinfra completions SHELL` and `aiinfra man [DIR]`: shell completion scripts and
//! manual pages, one per subcommand (clap_mangen), both from the same command table as
//! `--help`, so they cannot drift from it. A completion script asks aiinfra itself for
//! each word (clap_complete's dynamic engine, through `cli::COMPLETE_VAR`), so it knows
//! every command's columns and values. Both are made in memory first, then written
//! through the one writer (a closed pipe or a full disk is an error like any other,
//! never a panic).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use clap_complete::Shell;
use clap_complete::env::Shells;

use crate::error::UsageError;
use crate::command::{CommandDef, Data, Output, Returns};
use crate::ctx::Ctx;

pub static COMPLETIONS: CommandDef = CommandDef {
    returns: &[Returns::Stream],
    data: Data::None,
    ..CommandDef::new(
        "completions",
        "Print a shell completion script",
        COMPLETIONS_EXAMPLES,
        CompletionsArgs::augment_args,
        completions,
    )
};

pub static MAN: CommandDef = CommandDef {
    returns: &[Returns::Stream, Returns::Files],
    data: Data::None,
    ..CommandDef::new(
        "man",
        "Print the manual page, or write one page per subcommand into DIR",
        MAN_EXAMPLES,
        ManArgs::augment_args,
        man,
    )
};

const COMPLETIONS_EXAMPLES: &str = "\
The script asks aiinfra for each completion, so it completes every command's columns
(--columns id,na<TAB>), table names and values; print it again after an upgrade.

Examples:
  aiinfra completions bash > ~/.local/share/bash-completion/completions/aiinfra
  echo 'source <(aiinfra completions zsh)' >> ~/.zshrc
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
    // Refused with --output when the line is parsed, before any page is written: with
    // DIR the pages are the output.
    #[arg(value_name = "DIR", conflicts_with = "output")]
    pub dir: Option<PathBuf>,
}

fn completions(_ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = CompletionsArgs::from_arg_matches(m)?;
    let name = args.shell.to_string();
    let shells = Shells::builtins();
    let shell = shells
        .completer(&name)
        .ok_or_else(|| anyhow!("no completion script for {name}"))?;
    let mut script = Vec::new();
    shell.write_registration(
        crate::complete::COMPLETE_VAR,
        "aiinfra",
        "aiinfra",
        &completer(),
        &mut script,
    )?;
    Ok(Output::Stream(Box::new(move |w| Ok(w.write_all(&script)?))))
}

/// How the script calls aiinfra back: as it was called (a bare name is looked up in
/// PATH), a relative path made absolute. A path with characters a script cannot be
/// trusted to quote (a space, `$`, a quote) is not written into it: the script calls
/// `aiinfra` from PATH instead, and says so.
fn completer() -> String {
    let Some(called) = std::env::args_os().next().map(PathBuf::from) else {
        return "aiinfra".into();
    };
    let path = if called.components().count() > 1 && called.is_relative() {
        std::env::current_dir().map_or(called.clone(), |d| d.join(&called))
    } else {
        called
    };
    let path = path.to_string_lossy().into_owned();
    let plain = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._+-".contains(c));
    if plain {
        path
    } else {
        let _ = writeln!(
            std::io::stderr(),
            "note: this aiinfra's path ({}) has characters a completion script cannot safely hold; the script calls `aiinfra` from your PATH",
            crate::text::safe(&path)
        );
        "aiinfra".into()
    }
}

fn man(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = ManArgs::from_arg_matches(m)?;
    // A page holds every help text whole (the columns of each list command).
    crate::complete::want_all_help();
    match &args.dir {
        Some(dir) => Ok(Output::Said(man_pages(ctx, dir)?)),
        None => {
            let page = page((ctx.root)())?;
            Ok(Output::Stream(Box::new(move |w| Ok(w.write_all(&page)?))))
        }
    }
}

/// Every page into `dir`, each written whole; a summary line.
fn man_pages(ctx: &Ctx, dir: &Path) -> Result<String> {
    let mut cmd = (ctx.root)();
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, "aiinfra", &mut pages);
    let count = pages.len();
    let mut rendered = Vec::new();
    for (name, cmd) in &pages {
        rendered.push((format!("{name}.1"), page(cmd.clone())?));
    }
    // As --output, the folder must be there: nothing is made but the pages.
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(UsageError(format!("{} is not a folder", dir.display())).into());
        }
        Err(e) => {
            return Err(UsageError(format!(
                "cannot write into {}: {} (make the folder first: mkdir -p {})",
                dir.display(),
                crate::error::io_reason(&e),
                crate::text::shell_quote(&dir.to_string_lossy())
            ))
            .into());
        }
    }
    let rules = &ctx.rules;
    let pages = rendered
        .into_iter()
        .map(|(name, bytes)| (dir.join(name), crate::write::Kind::Text, bytes))
        .collect();
    crate::write::files(pages, rules)?;
    Ok(format!("wrote {count} manual pages to {}", dir.display()))
}

/// A command's manual page: clap_mangen's, with the examples of its help as an
/// EXAMPLES section of literal lines (clap_mangen would fill them into a paragraph
/// under "EXTRA").
fn page(cmd: clap::Command) -> Result<Vec<u8>> {
    let after = cmd.get_after_help().map(|h| h.to_string());
    let mut bytes = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut bytes)?;
    let Some(after) = after else {
        return Ok(bytes);
    };
    let page = String::from_utf8(bytes).context("a manual page that is not UTF-8")?;
    let Some(start) = page.find("\n.SH EXTRA\n") else {
        return Ok(page.into_bytes());
    };
    let rest = &page[start + 1..];
    let end = rest[1..]
        .find("\n.SH ")
        .map_or(page.len(), |i| start + 1 + i + 2);
    Ok(format!("{}\n{}{}", &page[..start], examples(&after), &page[end..]).into_bytes())
}

/// The EXAMPLES section of a page: prose as paragraphs, the example lines (those
/// after "Examples:") as they are.
fn examples(after_help: &str) -> String {
    let (before, lines) = match after_help.split_once("Examples:") {
        Some((prose, lines)) => (prose, lines),
        None => ("", after_help),
    };
    // The examples are the indented lines; text after them (not indented) is prose.
    let examples: Vec<&str> = lines
        .lines()
        .take_while(|l| l.trim().is_empty() || l.starts_with("  "))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let after: Vec<&str> = lines
        .lines()
        .skip_while(|l| l.trim().is_empty() || l.starts_with("  "))
        .collect();
    let paragraphs = |text: &str, out: &mut String| {
        for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            out.push_str(".PP\n");
            out.push_str(&roff_line(&paragraph.replace('\n', " ")));
            out.push('\n');
        }
    };
    let mut out = String::from(".SH EXAMPLES\n");
    paragraphs(before, &mut out);
    out.push_str(".PP\n.nf\n");
    for line in examples {
        out.push_str(&roff_line(line.strip_prefix("  ").unwrap_or(line)));
        out.push('\n');
    }
    out.push_str(".fi\n");
    paragraphs(&after.join("\n"), &mut out);
    out
}

/// A line of text for roff: backslashes and hyphens escaped, and a leading `.` or `'`
/// kept from reading as a request.
fn roff_line(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// The page of `cmd`, named `name`, then its subcommands' as `name-sub`.
fn collect(cmd: &clap::Command, name: &str, pages: &mut Vec<(String, clap::Command)>) {
    pages.push((
        name.to_string(),
        cmd.clone()
            .name(name.to_string())
            .version(env!("CARGO_PKG_VERSION")),
    ));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        collect(sub, &format!("{name}-{}", sub.get_name()), pages);
    }
}
