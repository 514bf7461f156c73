//! The README's examples are real: every `$ aiinfra …` line of a ```console block is
//! run, in order, in a scratch directory, and must print what the README shows
//! (stdout, then stderr). A … in the README's output stands for any text within its
//! line (a count, a version or a checksum that changes with the data), and a line of
//! just … for any lines: such an example is run and checked around it.

use crate::{aiinfra, report_path};

struct Example {
    args: Vec<String>,
    expected: String,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_console = false;
    let mut current: Option<Example> = None;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            out.extend(current.take());
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            out.extend(current.take());
            if let Some(rest) = cmd.strip_prefix("aiinfra ") {
                let report = report_path();
                let rest = rest.replace(
                    "report/caict-ai-infrastructure-2021.txt",
                    report.to_str().unwrap(),
                );
                current = Some(Example {
                    args: shlex::split(&rest).unwrap(),
                    expected: String::new(),
                });
            }
        } else if let Some(ex) = current.as_mut() {
            ex.expected.push_str(line);
            ex.expected.push('\n');
        }
    }
    out.extend(current);
    out
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let readme = include_str!("../../README.md");
    let examples = examples(readme);
    assert!(
        examples.len() >= 8,
        "found only {} examples",
        examples.len()
    );
    let dir = tempfile::tempdir().unwrap();
    for ex in examples {
        let out = aiinfra()
            .args(&ex.args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let mut got = String::from_utf8(out.stdout).unwrap();
        got.push_str(&String::from_utf8(out.stderr).unwrap());
        let expected = ex.expected.trim_end();
        if expected.lines().any(|l| l == "…") {
            assert!(out.status.success(), "aiinfra {:?}: {got}", ex.args);
        } else {
            let got = got.trim_end();
            let same = got.lines().count() == expected.lines().count()
                && got
                    .lines()
                    .zip(expected.lines())
                    .all(|(g, e)| matches(g, e));
            assert!(
                same,
                "aiinfra {:?} printed:\n{got}\nthe README shows:\n{expected}",
                ex.args
            );
        }
    }
}

/// Whether a line of output matches a line of the README, where … stands for any text.
fn matches(line: &str, pattern: &str) -> bool {
    let mut parts = pattern.split('…');
    let Some(first) = parts.next() else {
        return line.is_empty();
    };
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[test]
fn readme_wildcards_stand_for_any_text_within_a_line() {
    assert!(matches("schema version 5", "schema version …"));
    assert!(matches(
        "wrote 13 tables (361 rows)",
        "wrote … tables (… rows)"
    ));
    assert!(!matches(
        "wrote 13 tables (361 rows)",
        "wrote … tables (… files)"
    ));
    assert!(matches("WITH … SELECT", "WITH … SELECT"));
    assert!(!matches("schema version 5 and more", "schema version"));
}
