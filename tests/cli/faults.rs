//! Hostile files and faults: damaged databases, outputs that would destroy inputs,
//! concurrent and interrupted builds, many seed problems at once.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::{aiinfra, built_db, fails, listing, seed_copy, seeds_with, stdout};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aiinfra"));
    cmd.env_remove("AIINFRA_DB");
    cmd
}

#[test]
fn faults_damaged_databases_are_named_as_such() {
    let (dir, good) = built_db();
    let bytes = std::fs::read(&good).unwrap();

    let truncated = dir.path().join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let err = fails(&["--db", truncated.to_str().unwrap(), "chips"], 1);
    assert!(err.contains("is damaged"), "{err}");

    let random = dir.path().join("random.db");
    let noise: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&random, noise).unwrap();
    let err = fails(&["--db", random.to_str().unwrap(), "chips"], 1);
    assert!(err.contains("is not an SQLite database"), "{err}");

    let older = dir.path().join("older.db");
    std::fs::write(&older, &bytes).unwrap();
    rusqlite::Connection::open(&older)
        .unwrap()
        .pragma_update(None, "user_version", 1)
        .unwrap();
    let err = fails(&["--db", older.to_str().unwrap(), "chips"], 1);
    assert!(
        err.contains(&format!(
            "schema version 1, older than the version {}",
            aiinfra::db::migrate::latest_version()
        )),
        "{err}"
    );
    assert!(err.contains("aiinfra db build"), "{err}");
}

#[test]
fn faults_uri_like_paths_are_plain_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = aiinfra()
        .current_dir(dir.path())
        .args(["--db", "file:x.db?mode=rwc", "chips"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open file:x.db?mode=rwc"));
    assert!(listing(dir.path()).is_empty(), "nothing may be created");
}

#[test]
fn faults_outputs_never_overwrite_inputs() {
    let (dir, db) = built_db();
    let db = db.to_str().unwrap();
    let before = std::fs::read(db).unwrap();
    let err = fails(&["--db", db, "chips", "--output", db], 2);
    assert!(err.contains("is an input of this command"), "{err}");
    let dotted = format!("{}/./kb.db", dir.path().display());
    fails(&["--db", db, "sql", "SELECT 1", "-o", &dotted], 2);
    assert_eq!(std::fs::read(db).unwrap(), before);

    let seeds = seed_copy();
    let chips = seeds.path().join("chips.csv");
    let before = std::fs::read(&chips).unwrap();
    let s = seeds.path().to_str().unwrap();
    fails(
        &["--seed-dir", s, "chips", "-o", chips.to_str().unwrap()],
        2,
    );
    fails(
        &["--seed-dir", s, "db", "build", chips.to_str().unwrap()],
        2,
    );
    assert_eq!(std::fs::read(&chips).unwrap(), before);
}

#[test]
fn faults_concurrent_builds_end_with_one_valid_database() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.db");
    stdout(&["db", "build", reference.to_str().unwrap()]);
    let target = dir.path().join("kb.db");
    let children: Vec<_> = (0..6)
        .map(|_| {
            bin()
                .args(["db", "build", target.to_str().unwrap()])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Each either put its file in place, or found the file changed by another while it
    // was writing and left it as it was (issue 16, M2): never a file in between.
    let mut wrote = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => wrote += 1,
            Some(2) => assert!(
                err.contains("while aiinfra was writing it") || err.contains("cannot replace"),
                "{err}"
            ),
            other => panic!("{other:?}: {err}"),
        }
    }
    assert!(wrote >= 1);
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(&reference).unwrap()
    );
    assert_eq!(listing(dir.path()), ["kb.db", "reference.db"]);
}

/// Kill `db build` at moments spread over its run: the file is always the old
/// database or the new one, byte for byte, never something in between.
#[test]
fn faults_killed_builds_leave_the_old_file_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    // The "old" file: a database built from seeds with one changed row.
    let (seeds, _) = seeds_with("chips", ",640,", ",641,");
    let old = dir.path().join("old.db");
    let seeds = seeds.path().to_str().unwrap();
    stdout(&["--seed-dir", seeds, "db", "build", old.to_str().unwrap()]);
    let new = dir.path().join("new.db");
    stdout(&["db", "build", new.to_str().unwrap()]);
    let (old, new) = (std::fs::read(&old).unwrap(), std::fs::read(&new).unwrap());
    assert_ne!(old, new);

    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("kb.db");
    let mut outcomes = [0usize; 2];
    for i in 0..40u64 {
        std::fs::write(&target, &old).unwrap();
        let mut child = bin()
            .args(["db", "build", target.to_str().unwrap()])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the first ~20 ms, where the build does its work.
        std::thread::sleep(Duration::from_micros((i * 7919) % 20_000));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&target).unwrap();
        if now == old {
            outcomes[0] += 1;
        } else if now == new {
            outcomes[1] += 1;
        } else {
            panic!("after a kill at attempt {i} the file is neither the old nor the new database");
        }
    }
    assert_eq!(outcomes.iter().sum::<usize>(), 40);
}

#[test]
fn faults_many_seed_problems_are_reported_together() {
    let seeds = seed_copy();
    let chips = seeds.path().join("chips.csv");
    let text = std::fs::read_to_string(&chips).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1] = lines[1]
        .replacen(",640,", ",12O,", 1)
        .replacen(",training,", ",gpu,", 1);
    lines[2] = lines[2].replacen("sec-2.3.2", "sec-9.9", 1);
    std::fs::write(&chips, lines.join("\n") + "\n").unwrap();
    std::fs::write(seeds.path().join("models.csv"), "id;name_zh\n").unwrap();
    let err = fails(
        &["--seed-dir", seeds.path().to_str().unwrap(), "db", "check"],
        1,
    );
    assert!(
        err.starts_with("error: 4 problems in the seed data:"),
        "{err}"
    );
    for part in [
        "chips.csv:2: column kind: expected one of: training, inference; found \"gpu\"",
        "chips.csv:2: column int8_tops: expected a number, found \"12O\"",
        "models.csv:1: the header is separated by ';'",
        "chips.csv:3: column source_id: unknown id \"sec-9.9\"",
    ] {
        assert!(err.contains(part), "{part}\n{err}");
    }
}
