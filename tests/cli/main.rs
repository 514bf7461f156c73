//! Integration tests: each runs the built binary as a user would and checks what they
//! see: stdout parsed back to rows, stderr, the exit code, and files on disk. One test
//! binary, a module per command. Snapshots of table output sit in `snapshots/`.

// A test that cannot run its setup should stop loudly, so helpers unwrap.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analyst;
mod bounds;
mod chips;
mod compare;
mod complete;
mod data;
mod db;
mod entities;
mod faults;
mod fit;
mod help;
mod hostile;
mod model;
mod numbers;
mod options;
mod output;
mod platforms;
mod readme;
mod report;
mod sql;
mod testenv;
mod timeline;
mod xlsx;

pub use testenv::{Env, GENEROUS, Outcome, Run};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The report's raw extraction, as the repository ships it.
pub fn report_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("report/caict-ai-infrastructure-2021.txt")
}

/// The binary, with the environment scrubbed of anything that changes its behaviour
/// and an explicit, generous deadline (see `testenv`).
pub fn aiinfra() -> assert_cmd::Command {
    scrubbed(env!("CARGO_BIN_EXE_aiinfra"))
}

/// A program run as `aiinfra()` runs the binary: scrubbed, with a deadline.
pub fn scrubbed(program: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(program);
    for var in [
        "AIINFRA_DB",
        "AIINFRA_COMPLETE",
        "AIINFRA_PAGER",
        "PAGER",
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "COLUMNS",
        "LINES",
    ] {
        cmd.env_remove(var);
    }
    cmd.timeout(testenv::DEADLINE);
    cmd
}

/// Run with `args`; expect success; return stdout.
pub fn stdout(args: &[&str]) -> String {
    Run::new(args).ok()
}

/// Run with `args` and then `last` (a path); expect success; return stdout.
pub fn ok_with(args: &[&str], last: impl AsRef<std::ffi::OsStr>) -> String {
    let mut all: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    all.push(last.as_ref().to_os_string());
    Run::new(&all).ok()
}

/// Run with `args`; expect exit `code`; return stderr.
pub fn fails(args: &[&str], code: i32) -> String {
    Run::new(args).fails(code)
}

/// Run a command line written as a shell would split it; expect success; return stdout.
pub fn sh(line: &str) -> String {
    let args = shlex::split(line).unwrap();
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    stdout(&args)
}

/// Run a command line written as a shell would split it; expect exit `code`; return stderr.
pub fn sh_fails(line: &str, code: i32) -> String {
    let args = shlex::split(line).unwrap();
    let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    fails(&args, code)
}

/// Assert that `text` holds every one of `parts`, showing the text if not.
pub fn assert_holds(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} is missing from:\n{text}");
    }
}

/// A database file written by `aiinfra db build` in a scratch directory.
pub fn built_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kb.db");
    stdout(&["db", "build", file.to_str().unwrap()]);
    (dir, file)
}

/// A copy of the seeds with `from` replaced by `to` (the first time) in `table`.csv.
pub fn seeds_with(table: &str, from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    let seeds = seed_copy();
    let file = seeds.path().join(format!("{table}.csv"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{from:?} is not in {table}.csv");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    (seeds, file)
}

/// Parse CSV output into rows of column → value.
pub fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Run a command with `--format csv` and return one column of its rows.
pub fn column(args: &[&str], name: &str) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["--format", "csv"]);
    csv_rows(&stdout(&all))
        .into_iter()
        .map(|r| r[name].clone())
        .collect()
}

/// Run a command with `--format json` and parse the array.
pub fn json(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout(&all)).unwrap()
}

/// A copy of the seed directory to change in a test.
pub fn seed_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
    for entry in std::fs::read_dir(seed).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Files in `dir`, sorted, for checking that nothing was left behind.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
