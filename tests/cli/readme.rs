//! The README's examples are real: every `$ aiinfra …` line of a ```console block is
//! run, in order, in a scratch directory, and must print what the README shows
//! (stdout, then stderr). An example whose output has a line of just … is run but
//! only checked for success.

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
            assert_eq!(got.trim_end(), expected, "aiinfra {:?}", ex.args);
        }
    }
}
