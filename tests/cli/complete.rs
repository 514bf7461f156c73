//! Completions: the script a shell sources asks aiinfra for each word. These tests ask
//! the way fish's script does (one candidate a line), and once through real bash.

use crate::stdout;

/// What aiinfra offers for the last word of `words` (which start with `aiinfra`).
fn complete(words: &[&str]) -> Vec<String> {
    let mut args = vec!["--"];
    args.extend_from_slice(words);
    crate::Run::new(&args)
        .env("AIINFRA_COMPLETE", "fish")
        .ok()
        .lines()
        // fish's lines are `value<TAB>help`.
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

/// The columns of a command's rows, from its CSV header, and the page of a row's
/// source, which lists add for --columns to name (CSV leaves it out unless asked).
fn header(args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.extend(["-f", "csv"]);
    let mut columns: Vec<String> = stdout(&args)
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    if columns.iter().any(|c| c == "source_id") && !columns.iter().any(|c| c == "page") {
        columns.push("page".into());
    }
    columns
}

#[test]
fn complete_columns_are_each_commands_own() {
    let mut cli = aiinfra::cli::command();
    cli.build();
    let mut checked = 0;
    for cmd in cli.get_subcommands() {
        if !cmd.get_arguments().any(|a| a.get_id() == "columns") {
            continue;
        }
        let name = cmd.get_name();
        let offered = complete(&["aiinfra", name, "--columns", ""]);
        // What each command needs to print rows; its completions are exactly its
        // columns, except where the rows' columns depend on what is asked.
        let (args, exact): (Vec<&str>, bool) = match name {
            "search" => (vec!["search", "鹏城"], true),
            "show" => (vec!["show", "ascend-910"], false),
            "compare" => (vec!["compare", "ascend-910", "ascend-310"], false),
            "report" => (vec!["report"], false),
            "sql" => {
                assert!(offered.is_empty(), "sql's columns are its query's");
                continue;
            }
            other => (vec![other], true),
        };
        let columns = header(&args);
        if exact {
            // Besides its CSV columns, a command offers those it adds for the reader
            // (a timeline's flag), which CSV gives when --columns names them.
            let (shared, extra): (Vec<String>, Vec<String>) =
                offered.iter().cloned().partition(|c| columns.contains(c));
            assert_eq!(shared, columns, "{name}");
            for c in &extra {
                let named = header(&[name, "--columns", c]);
                assert_eq!(named, std::slice::from_ref(c), "{name}: {c} is offered");
            }
        } else {
            // (A comparison's columns named after the records it is given are not
            // known before it runs.)
            let records = |c: &String| args[1..].iter().any(|a| c.contains(a));
            for c in columns.iter().filter(|c| !records(c)) {
                assert!(offered.contains(c), "{name}: {c} is not offered");
            }
        }
        for flag in ["--sort", "--count-by"] {
            assert_eq!(
                complete(&["aiinfra", name, flag, ""]),
                offered,
                "{name} {flag}"
            );
        }
        // --chart offers the numeric ones among them (its value is optional: the
        // flags that may follow come after them).
        let chart: Vec<String> = complete(&["aiinfra", name, "--chart", ""])
            .into_iter()
            .filter(|c| !c.starts_with('-'))
            .collect();
        // (With none, the command's own argument comes next: a region's id.)
        assert!(
            !chart
                .iter()
                .any(|c| c == "id" || c == "source_id" || c == "page"),
            "{name} --chart: {chart:?}"
        );
        checked += 1;
    }
    assert!(checked >= 15, "{checked} commands checked");
    let errata = header(&["report", "--errata"]);
    let offered = complete(&["aiinfra", "report", "--columns", ""]);
    assert!(errata.iter().all(|c| offered.contains(c)));
    let numbers = header(&["report", "--numbers"]);
    assert!(numbers.iter().all(|c| offered.contains(c)), "{numbers:?}");
    // db check is a subcommand of a group.
    assert_eq!(
        complete(&["aiinfra", "db", "check", "--columns", ""]),
        header(&["db", "check"])
    );
}

#[test]
fn complete_after_a_comma_tables_and_values() {
    assert_eq!(
        complete(&["aiinfra", "chips", "--columns", "id,na"]),
        ["id,name_zh", "id,name_en"]
    );
    assert_eq!(
        complete(&["aiinfra", "models", "--sort", "pa"]),
        ["params", "params_qualifier", "page"]
    );
    assert_eq!(
        complete(&["aiinfra", "search", "x", "--entity", "chips,ce"]),
        ["chips,centers"]
    );
    assert!(
        complete(&["aiinfra", "search", "x", "--entity", ""])
            .contains(&"compute_centers".to_string())
    );
    // Enumerations: the contract's values, and the formats.
    assert_eq!(
        complete(&["aiinfra", "chips", "--kind", ""]),
        ["training", "inference"]
    );
    let formats = complete(&["aiinfra", "chips", "--format", ""]);
    assert!(formats.contains(&"xlsx".to_string()) && formats.contains(&"csv".to_string()));
    assert_eq!(complete(&["aiinfra", "ch"]), ["chips"]);
    // Ids of the records a command takes, from the data.
    assert_eq!(
        complete(&["aiinfra", "show", "ascend"]),
        ["ascend-910", "ascend-310"]
    );
    assert!(complete(&["aiinfra", "regions", "shen"]).contains(&"shenzhen".to_string()));
    assert_eq!(complete(&["aiinfra", "schema", "fr"]), ["frameworks"]);
    // Files for --output.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chips.csv"), "").unwrap();
    let prefix = format!("{}/ch", dir.path().display());
    assert_eq!(
        complete(&["aiinfra", "chips", "--output", &prefix]),
        [format!("{}/chips.csv", dir.path().display())]
    );
}

#[test]
fn complete_through_bash() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let script = stdout(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aiinfra.bash");
    std::fs::write(&path, script).unwrap();
    let run = format!(
        "source {}; COMP_WORDS=(aiinfra chips --columns id,na); COMP_CWORD=3; COMP_TYPE=9; \
         _clap_complete_aiinfra aiinfra id,na --columns; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    // The script calls aiinfra back as it was called: here, by its full path.
    let out = std::process::Command::new("bash")
        .args(["-c", &run])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "id,name_zh\nid,name_en\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Issue 16 (H5): an id from a crafted file (`ascend-910$(touch PWNED)`) is never
/// offered (only ids of the id grammar are), so that the command line TAB makes, run,
/// never runs what the id holds. Through real bash, as a person's TAB and Enter would go.
#[test]
fn complete_quotes_an_id_the_shell_would_run() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: bash is not installed");
        return;
    }
    let env = crate::Env::new();
    let db = env.built_db("kb.db");
    env.sqlite(
        "kb.db",
        "PRAGMA ignore_check_constraints = 1; UPDATE chips SET id = 'ascend-910$(touch PWNED)' WHERE id = 'ascend-910';",
    );
    let script = env.write("aiinfra.bash", stdout(&["completions", "bash"]));
    let run = format!(
        "source {}; COMP_WORDS=(aiinfra show ascend-); COMP_CWORD=2; COMP_TYPE=9; \
         _clap_complete_aiinfra aiinfra ascend- show; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"; eval \"echo ran ${{COMPREPLY[*]}}\"",
        script.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &run])
        .current_dir(env.root())
        .env("AIINFRA_DB", &db)
        .env_remove("AIINFRA_COMPLETE")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!said.contains("PWNED"), "{said}");
    assert!(said.contains("ran"), "{said}");
    assert!(!env.path("PWNED").exists(), "TAB ran code from the data");
    // The other ids are still offered.
    assert!(said.contains("ascend-310"), "{said}");
    // zsh and fish, where installed, are asked the same way through the protocol.
    for shell in ["zsh", "fish"] {
        if std::process::Command::new(shell)
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("SKIPPED: {shell} is not installed");
        }
    }
}

/// The small things a user trips on (issue 17): `--chart` offers only the columns
/// that hold numbers; a list does not offer again what it already names; `--subject`
/// and the place filters (`--region`, and its alias `--city`) complete.
#[test]
fn complete_offers_what_the_option_takes() {
    // The numeric columns, as `schema` says: sql type INTEGER or REAL, not a year.
    for table in ["chips", "models", "facts"] {
        let schema = stdout(&["schema", table, "-f", "csv"]);
        let mut numeric: Vec<String> = schema
            .lines()
            .skip(1)
            .filter_map(|l| {
                let cells: Vec<&str> = l.split(',').collect();
                let number = matches!(cells[2], "INTEGER" | "REAL")
                    && !cells[3].contains("year")
                    && !cells[3].contains("true");
                number.then(|| cells[1].to_string())
            })
            .collect();
        let command = table;
        // (--chart may be given without a value, so the options are offered too.)
        let mut offered: Vec<String> = complete(&["aiinfra", command, "--chart", ""])
            .into_iter()
            .filter(|c| !c.starts_with('-'))
            .collect();
        offered.sort();
        numeric.sort();
        assert!(!offered.is_empty(), "{command} --chart offers nothing");
        assert_eq!(offered, numeric, "{command} --chart");
    }
    // What the list names already is not offered again, after `--columns=` too.
    let all = complete(&["aiinfra", "chips", "--columns", ""]);
    let after = complete(&["aiinfra", "chips", "--columns", "id,name_zh,"]);
    assert_eq!(after.len(), all.len() - 2, "{after:?}");
    assert!(
        !after
            .iter()
            .any(|c| c == "id,name_zh,id" || c == "id,name_zh,name_zh")
    );
    assert!(after.contains(&"id,name_zh,name_en".to_string()));
    let after = complete(&["aiinfra", "chips", "--columns=id,name_zh,name"]);
    assert_eq!(after, ["--columns=id,name_zh,name_en"]);
    // Places and subjects, from the data.
    for words in [
        ["aiinfra", "centers", "--region", "shen"],
        ["aiinfra", "centers", "--city", "shen"],
        ["aiinfra", "pilot-zones", "--city", "shen"],
        ["aiinfra", "facts", "--subject", "shen"],
    ] {
        let offered = complete(&words);
        assert!(
            offered.contains(&"shenzhen".to_string()),
            "{words:?}: {offered:?}"
        );
        assert!(
            offered.iter().all(|o| o.starts_with("shen")),
            "{words:?}: {offered:?}"
        );
    }
    let subjects = stdout(&["facts", "--count-by", "subject", "-f", "csv"]);
    let offered = complete(&["aiinfra", "facts", "--subject", ""]);
    assert_eq!(offered.len(), subjects.lines().count() - 1, "{offered:?}");
}
