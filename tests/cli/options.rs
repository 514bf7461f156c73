//! Issue 15: every command × every shared option is honoured or refused, never
//! ignored. The commands come from the program's own command line (a new command is
//! in this test without a line here, but for the arguments it needs); each option has
//! an oracle that says what honouring it looks like. A refusal is exit 2 naming the
//! option.

use std::collections::BTreeMap;

use crate::{Env, Outcome};

/// Every command as typed (`chips`, `db build`), from the program.
fn commands() -> Vec<String> {
    let root = aiinfra::cli::command();
    let mut out = Vec::new();
    for sub in root.get_subcommands() {
        let subs: Vec<_> = sub.get_subcommands().collect();
        if subs.is_empty() {
            out.push(sub.get_name().to_string());
        }
        for inner in subs {
            out.push(format!("{} {}", sub.get_name(), inner.get_name()));
        }
    }
    out
}

/// The shared options a command takes (by id), and whether it has an argument `id`
/// at all (its own `--format`, say, which its own tests cover).
fn shared_and_own(command: &str) -> (Vec<&'static str>, Vec<String>) {
    let (returns, data) = match command.split_once(' ') {
        Some((_, inner)) => {
            let c = aiinfra::cmd::find_in_group(inner).unwrap();
            (c.returns, c.data)
        }
        None => match aiinfra::cmd::find(command).unwrap() {
            aiinfra::cmd::Def::Cmd(c) => (c.returns, c.data),
            _ => (aiinfra::cmd::LIST_RETURNS, aiinfra::command::Data::Any),
        },
    };
    let mut shared = aiinfra::plan::options(returns);
    match data {
        aiinfra::command::Data::Any => shared.extend(["db", "seed_dir", "timeout"]),
        aiinfra::command::Data::Seeds => shared.extend(["seed_dir", "timeout"]),
        aiinfra::command::Data::None => {}
    }
    let mut root = aiinfra::cli::command();
    root.build();
    let mut cmd = &root;
    for word in command.split(' ') {
        cmd = cmd.find_subcommand(word).unwrap();
    }
    let all = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    (shared, all)
}

/// The arguments a command needs to run at all.
fn needs(command: &str) -> Vec<&'static str> {
    match command {
        "search" => vec!["华为"],
        "show" => vec!["ascend-910"],
        "compare" => vec!["ascend-910", "ascend-310"],
        "report" => vec!["table-1"],
        "sql" => vec!["SELECT id, int8_tops FROM chips"],
        "db build" => vec!["built.db"],
        "db export" => vec!["exported"],
        "completions" => vec!["bash"],
        _ => vec![],
    }
}

/// What honouring an option looks like, given the command's output with it, and the
/// first column of its rows (for options that name a column).
struct Case {
    /// The option's id as the plan knows it.
    id: &'static str,
    /// The words to add; `FIRST` stands for the first column of the command's rows.
    args: &'static [&'static str],
    /// Whether the output honours the option.
    oracle: Oracle,
}

/// In a case's words, the first column of the command's rows.
const FIRST: &str = "{first}";

fn case(id: &'static str, args: &'static [&'static str], oracle: Oracle) -> Case {
    Case { id, args, oracle }
}

type Oracle = fn(&Env, &Outcome, &str) -> bool;

/// For an option whose effect the output does not show: taken is honoured.
fn taken(_: &Env, _: &Outcome, _: &str) -> bool {
    true
}

fn printed(_: &Env, out: &Outcome, _: &str) -> bool {
    !out.stdout.is_empty()
}

fn csv_lines(out: &Outcome) -> Vec<&str> {
    out.stdout.lines().collect()
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "limit",
            &["--limit", "1", "--format", "csv"],
            |_, out, _| csv_lines(out).len() <= 2,
        ),
        case(
            "columns",
            &["--columns", FIRST, "--format", "csv"],
            |_, out, first| csv_lines(out).first() == Some(&first),
        ),
        case("sort", &["--sort", FIRST], printed),
        case("desc", &["--sort", FIRST, "--desc"], printed),
        case(
            "count_by",
            &["--count-by", FIRST, "--format", "csv"],
            |_, out, first| {
                csv_lines(out)
                    .first()
                    .is_some_and(|h| *h == format!("{first},count"))
            },
        ),
        case("chart", &["--count-by", FIRST, "--chart"], |_, out, _| {
            out.stdout.contains('│')
        }),
        case(
            "cumulative",
            &["--count-by", FIRST, "--chart", "--cumulative"],
            |_, out, _| out.stdout.contains("(cumulative)"),
        ),
        case(
            "log",
            &["--count-by", FIRST, "--chart", "--log"],
            |_, out, _| out.stdout.contains("(log scale)"),
        ),
        case("show_sql", &["--show-sql"], |_, out, _| {
            let t = out.stdout.trim_start();
            (t.starts_with("SELECT") || t.starts_with("WITH")) && out.stdout.contains(';')
        }),
        case("format", &["--format", "json"], |_, out, _| {
            serde_json::from_str::<serde_json::Value>(&out.stdout).is_ok()
        }),
        case("output", &["--output", "out.txt"], |env, out, _| {
            out.stdout.is_empty() && env.path("out.txt").exists()
        }),
        case(
            "force",
            &["--output", "forced.txt", "--force"],
            |env, _, _| env.path("forced.txt").exists(),
        ),
        case("excel", &["--excel"], |_, out, _| {
            out.stdout.starts_with('\u{feff}')
        }),
        case("width", &["--width", "40"], |_, out, _| {
            out.stdout
                .lines()
                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 40)
        }),
        case("wide", &["--wide"], printed),
        case("lang", &["--lang", "en"], printed),
        case("color", &["--color", "always"], taken),
        case("db", &["--db", "kb.db"], taken),
        case("seed_dir", &["--seed-dir", "seeds"], taken),
        case("timeout", &["--timeout", "30"], taken),
    ]
}

#[test]
fn options_every_command_honours_or_refuses_every_shared_option() {
    let env = Env::new();
    env.built_db("kb.db");
    env.seeds("seeds");
    let mut verdicts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for command in commands() {
        let words: Vec<&str> = command.split(' ').collect();
        let mut base: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        base.extend(needs(&command).into_iter().map(String::from));
        // The first column of its rows, for the options that name one.
        let mut probe = base.clone();
        probe.extend(["--format".into(), "csv".into()]);
        let probe: Vec<&str> = probe.iter().map(String::as_str).collect();
        let first = env
            .run(&probe)
            .outcome()
            .stdout
            .lines()
            .next()
            .and_then(|h| h.split(',').next())
            .unwrap_or("id")
            .to_string();
        let (shared, all) = shared_and_own(&command);
        for case in cases() {
            if !shared.contains(&case.id) && all.iter().any(|a| a == case.id) {
                // The command's own option of that name.
                continue;
            }
            // Files a command writes are removed between cases.
            for leftover in ["built.db", "exported", "out.txt", "forced.txt"] {
                let path = env.path(leftover);
                let _ = std::fs::remove_file(&path);
                let _ = std::fs::remove_dir_all(&path);
            }
            let mut args = base.clone();
            args.extend(case.args.iter().map(|w| w.replace(FIRST, &first)));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = env.run(&args).outcome();
            let flag = format!("--{}", case.id.replace('_', "-"));
            let verdict = match out.code {
                Some(0) if (case.oracle)(&env, &out, &first) => "honoured",
                Some(0) => panic!(
                    "aiinfra {} exits 0 but does not honour {flag}:\n{}{}",
                    args.join(" "),
                    out.stdout.chars().take(2000).collect::<String>(),
                    out.stderr
                ),
                Some(2) if out.stderr.contains(&flag) || out.stderr.contains("--") => "refused",
                _ => panic!(
                    "aiinfra {} neither honours nor refuses {flag} ({:?}): {}",
                    args.join(" "),
                    out.code,
                    out.stderr
                ),
            };
            verdicts
                .entry(command.clone())
                .or_default()
                .push(format!("{}:{verdict}", case.id));
        }
    }
    // Spot checks of the verdicts the issue names.
    let of = |c: &str| verdicts.get(c).cloned().unwrap_or_default();
    assert!(of("report").contains(&"limit:refused".to_string()));
    assert!(of("report").contains(&"show_sql:refused".to_string()));
    assert!(of("man").contains(&"db:refused".to_string()));
    assert!(of("chips").contains(&"limit:honoured".to_string()));
    assert!(of("completions").contains(&"timeout:refused".to_string()));
}

#[test]
fn options_the_issues_own_examples() {
    let env = Env::new();
    let err = env.fails(&["report", "table-1", "--sort", "id", "--limit", "1"], 2);
    crate::assert_holds(&err, &["--sort", "aiinfra report"]);
    let err = env.fails(&["report", "table-1", "--show-sql"], 2);
    crate::assert_holds(&err, &["--show-sql"]);
    std::fs::create_dir(env.path("pages")).unwrap();
    let err = env.fails(&["man", "pages", "-o", "y.txt"], 2);
    crate::assert_holds(&err, &["--output", "aiinfra man"]);
    // Refused before any work: no page was written (the pages used to be written, then
    // --output refused).
    assert_eq!(std::fs::read_dir(env.path("pages")).unwrap().count(), 0);
    assert!(!env.path("y.txt").exists());
    let chart = env.ok(&[
        "chips",
        "--chart",
        "int8_tops",
        "--color",
        "always",
        "-o",
        "-",
    ]);
    assert!(chart.contains("\u{1b}["), "{chart}");
    // A set $AIINFRA_DB never makes man or completions fail.
    for args in [&["man"][..], &["completions", "bash"]] {
        env.run(args).env("AIINFRA_DB", "/nonexistent.db").ok();
    }
}
