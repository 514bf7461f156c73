use aiinfra::cli;

use crate::stdout;

/// Every subcommand, as `aiinfra <path...>`.
fn subcommands() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        // clap's own `help` subcommands are not ours to document.
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("{prefix} {}", sub.get_name()).trim().to_string();
            out.push((name.clone(), sub.clone()));
            walk(&name, sub, out);
        }
    }
    let mut out = Vec::new();
    // Build the whole tree: subcommands' arguments are deferred until built.
    let mut cli = cli::command();
    cli.build();
    walk("", &cli, &mut out);
    out
}

/// `aiinfra --help` lists every command with its line of help, before any
/// subcommand's (deferred) arguments are built.
#[test]
fn help_top_level_lists_every_command_with_its_help() {
    let cli = cli::command();
    for sub in cli.get_subcommands() {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        assert!(
            !about.is_empty(),
            "`aiinfra --help` shows no help for {}",
            sub.get_name()
        );
    }
    let help = stdout(&["--help"]);
    crate::assert_holds(
        &help,
        &["chips        AI chips and their performance figures"],
    );
}

#[test]
fn help_every_subcommand_has_help_and_examples() {
    for (name, cmd) in subcommands() {
        assert!(cmd.get_about().is_some(), "{name} has no help text");
        if cmd.get_subcommands().next().is_none() {
            let after = cmd
                .get_after_help()
                .map(|s| s.to_string())
                .unwrap_or_default();
            assert!(after.contains("Examples:"), "{name} has no examples");
        }
        for arg in cmd.get_arguments() {
            if arg.get_id() != "help" && arg.get_id() != "version" {
                assert!(
                    arg.get_help().is_some(),
                    "{name} --{} has no help",
                    arg.get_id()
                );
            }
        }
    }
}

#[test]
fn help_every_subcommand_is_in_the_readme() {
    let readme = include_str!("../../README.md");
    for (name, cmd) in subcommands() {
        if cmd.get_subcommands().next().is_none() {
            assert!(
                readme.contains(&format!("aiinfra {name}")),
                "README.md does not show `aiinfra {name}`"
            );
        }
    }
}

#[test]
fn help_and_version_succeed() {
    assert!(stdout(&["--help"]).contains("Examples:"));
    assert!(stdout(&["chips", "--help"]).contains("--min-int8 <TOPS>"));
    assert!(stdout(&["--version"]).starts_with("aiinfra "));
}

/// A list command's help names every column it can print, so `--columns`,
/// `--sort` and `--count-by` can be written without a trial run; at 80 columns
/// no line of that list is wider than the terminal.
#[test]
fn help_lists_every_column_a_list_command_prints() {
    use aiinfra::cmd::{COMMANDS, Def};
    for def in COMMANDS {
        let Def::List(spec) = def else { continue };
        let name = spec.name();
        let help = crate::testenv::Run::new(&[name, "--help"])
            .env("COLUMNS", "80")
            .ok();
        let (_, list) = help
            .split_once("Columns (for --columns, --sort, --count-by):")
            .unwrap_or_else(|| panic!("`{name} --help` lists no columns"));
        for column in spec.columns() {
            assert!(
                list.lines()
                    .any(|l| l.trim_start().starts_with(&format!("{column} "))),
                "`{name} --help` does not list column {column}:\n{list}"
            );
        }
        for line in list.lines() {
            assert!(
                line.chars().count() <= 80,
                "`{name} --help` line too wide: {line}"
            );
        }
        // A column said to name another's row follows a column that references one
        // (`sources` once said its count of citing rows was "the name of page's row").
        let table = aiinfra::db::contract::table(spec.table).unwrap();
        for (_, rest) in list
            .match_indices("the name of ")
            .map(|(i, _)| list.split_at(i))
        {
            let column = rest["the name of ".len()..].split('\'').next().unwrap();
            assert!(
                table.column(column).is_some_and(|c| c.references.is_some()),
                "`{name} --help` says a column names {column}'s row"
            );
        }
    }
}

/// `--help` fits the terminal at any width, Chinese counted double (clap measures
/// display width with its `unicode` feature; aiinfra wraps its own about text).
#[test]
fn help_fits_the_terminal_in_display_columns() {
    let mut commands: Vec<String> = subcommands().into_iter().map(|(name, _)| name).collect();
    commands.push(String::new());
    for width in ["60", "80", "100"] {
        for name in &commands {
            let mut args: Vec<&str> = name.split_whitespace().collect();
            args.push("--help");
            let help = crate::testenv::Run::new(&args).env("COLUMNS", width).ok();
            for line in help.lines() {
                assert!(
                    unicode_width::UnicodeWidthStr::width(line) <= width.parse().unwrap(),
                    "`aiinfra {name} --help` at {width} columns: {line}"
                );
            }
        }
    }
}
