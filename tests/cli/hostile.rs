//! Never lose a user's data, never run away (issue 11): one test per item of the issue,
//! numbered as there. Each ran wrong before: ran for minutes, filled memory or the
//! disk, replaced a file it did not write, wrote into a device, panicked, or let
//! control characters and formulas through.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::{aiinfra, assert_holds, built_db, fails, json, listing, seed_copy, sh, stdout};

/// A built database file changed afterwards by `sql`, run by SQLite directly.
fn built_db_changed_by(sql: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = built_db();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    (dir, db)
}

/// The binary as a plain process, for pipes and signals.
fn bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_aiinfra"));
    cmd.env_remove("AIINFRA_DB").env_remove("NO_COLOR");
    cmd
}

/// Run a command line written as a shell splits it; return what `timed` does.
fn timed_sh(line: &str) -> (Option<i32>, String, String) {
    let args = shlex::split(line).unwrap();
    timed(&args.iter().map(|s| s.as_str()).collect::<Vec<_>>())
}

/// Run with `args` (under the test environment's deadline, which only stops a hang:
/// no test asserts speed); return (exit code, stdout, stderr).
fn timed(args: &[&str]) -> (Option<i32>, String, String) {
    let out = crate::Run::new(args).outcome();
    (out.code, out.stdout, out.stderr)
}

#[test]
fn hostile_1_a_slow_function_call_ends_at_the_deadline() {
    let (code, _, err) = timed_sh(
        r#"sql "SELECT instr(zeroblob(900000) || 'a', zeroblob(450000) || 'b')" --timeout 1"#,
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("stopped after 1 s (--timeout)"), "{err}");
    // The issue's own example is refused at once: no value may be that long.
    let (code, _, err) = timed_sh(
        r#"sql "select instr(printf('%.*c',9999999,'a'), printf('%.*c',5000000,'a')||'b')" --timeout 1"#,
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("exceeds aiinfra's limits"), "{err}");
}

#[test]
fn hostile_2_rows_fetched_are_bounded() {
    let (code, out, err) = timed(&[
        "sql",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<400) SELECT zeroblob(900000) FROM c",
        "-f",
        "csv",
        "--timeout",
        crate::GENEROUS,
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("larger than 32 MiB") && err.contains("--limit"),
        "{err}"
    );
    assert!(out.is_empty());
}

#[test]
fn hostile_3_sorting_large_rows_never_touches_the_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let out = aiinfra()
        .env("TMPDIR", tmp.path())
        .args([
            "sql",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<2000) SELECT x, zeroblob(500000) FROM c ORDER BY random()",
            "-f",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        listing(tmp.path()).is_empty(),
        "a temporary file was written"
    );
}

#[test]
fn hostile_4_a_crafted_database_is_refused_before_anything_runs() {
    let (_dir, crafted) = built_db_changed_by(
        "DROP TABLE chips; CREATE VIEW chips AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x AS id FROM c;",
    );
    let path = crafted.to_str().unwrap();
    for args in [
        &["--db", path, "chips"][..],
        &["--db", path, "search", "华为"],
        &["--db", path, "db", "check"],
    ] {
        let (code, _, err) = timed(args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(
            err.contains("that aiinfra's schema does not have") || err.contains("lacks"),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn hostile_5_fifos_devices_and_endless_inputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let fifo = fifo.to_str().unwrap();
    let (code, _, err) = timed(&["--db", fifo, "chips"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("is a FIFO, not a database file"), "{err}");
    let (code, _, err) = timed(&["chips", "-o", fifo]);
    assert_eq!(code, Some(2));
    assert!(err.contains("it is a FIFO"), "{err}");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(fifo, &link).unwrap();
    let (code, _, err) = timed(&["chips", "-o", link.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("symbolic link"), "{err}");
    let seeds = seed_copy();
    let chips = seeds.path().join("chips.csv");
    std::fs::remove_file(&chips).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &chips).unwrap();
    let (code, _, err) = timed(&["--seed-dir", seeds.path().to_str().unwrap(), "chips"]);
    assert_eq!(code, Some(1));
    crate::assert_holds(&err, &["chips.csv: cannot read: it is a character device"]);
    let (code, _, err) = timed(&["db", "check", "--report", "/dev/urandom"]);
    assert_eq!(code, Some(1));
    crate::assert_holds(&err, &["a character device, not a regular file"]);
}

#[test]
fn hostile_6_db_build_replaces_only_an_aiinfra_database() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.db");
    let conn = rusqlite::Connection::open(&mine).unwrap();
    conn.execute_batch("CREATE TABLE important (x); INSERT INTO important VALUES (42);")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&mine).unwrap();
    let err = fails(&["db", "build", mine.to_str().unwrap()], 2);
    assert!(
        err.contains("another program's SQLite database") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(&mine).unwrap(), before);
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "my notes").unwrap();
    fails(&["db", "build", text.to_str().unwrap()], 2);
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "my notes");
    // Its own file it replaces; --force replaces anything.
    let ours = dir.path().join("ours.db");
    stdout(&["db", "build", ours.to_str().unwrap()]);
    stdout(&["db", "build", ours.to_str().unwrap()]);
    stdout(&["db", "build", mine.to_str().unwrap(), "--force"]);
    assert_eq!(listing(dir.path()), ["mine.db", "notes.db", "ours.db"]);
}

#[test]
fn hostile_7_db_export_writes_only_a_new_empty_or_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("README.md"), "my notes").unwrap();
    std::fs::write(notes.join("chips.csv"), "mine").unwrap();
    let err = fails(&["db", "export", notes.to_str().unwrap()], 2);
    crate::assert_holds(&err, &["no MANIFEST.sha256 of an aiinfra export"]);
    assert_eq!(
        std::fs::read_to_string(notes.join("README.md")).unwrap(),
        "my notes"
    );
    assert_eq!(
        std::fs::read_to_string(notes.join("chips.csv")).unwrap(),
        "mine"
    );
    // A new folder, then the same again (its own export), then --force.
    let out = dir.path().join("out");
    stdout(&["db", "export", out.to_str().unwrap()]);
    stdout(&["db", "export", out.to_str().unwrap(), "--format", "json"]);
    assert!(out.join("chips.json").exists() && !out.join("chips.csv").exists());
    stdout(&["db", "export", notes.to_str().unwrap(), "--force"]);
    // Its own input database inside the folder is never replaced.
    let (_keep, db) = built_db();
    let inside = out.join("README.md");
    std::fs::copy(&db, &inside).unwrap();
    let err = fails(
        &[
            "--db",
            inside.to_str().unwrap(),
            "db",
            "export",
            out.to_str().unwrap(),
            "--force",
        ],
        2,
    );
    assert!(err.contains("is an input of this command"), "{err}");
}

#[cfg(unix)]
#[test]
fn hostile_8_never_through_a_link_or_into_a_device_and_dash_is_stdout() {
    let env = crate::Env::new();
    std::fs::create_dir(env.path("out")).unwrap();
    std::os::unix::fs::symlink("/dev/null", env.path("out/chips.csv")).unwrap();
    let err = env.fails(&["db", "export", "out"], 2);
    crate::assert_holds(&err, &["chips.csv (a symbolic link", "never replaces"]);
    let err = fails(&["chips", "-o", "/dev/null"], 2);
    crate::assert_holds(&err, &["a character device, not a regular file"]);
    let expected = sh("chips -c id -f csv");
    assert_eq!(sh("chips -c id -f csv -o -"), expected);
    assert_eq!(sh("chips -c id -f csv -o /dev/stdout"), expected);
    assert!(!Path::new("-").exists());
}

#[test]
fn hostile_9_interrupts_and_stale_temporaries_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // A temporary file left by a run that was killed (its process is gone) is removed
    // by the next write to the same place.
    let stale = dir.path().join(".chips.csv.aiinfra-999999999-0.tmp");
    std::fs::write(&stale, "half").unwrap();
    let target = dir.path().join("chips.csv");
    stdout(&["chips", "-o", target.to_str().unwrap()]);
    assert_eq!(listing(dir.path()), ["chips.csv"]);
    // A message names the target, never a temporary file.
    let err = fails(
        &["chips", "-o", dir.path().join("no/x.csv").to_str().unwrap()],
        2,
    );
    assert!(
        err.contains("no/x.csv") && !err.contains(".aiinfra-"),
        "{err}"
    );
    // SIGTERM while a command runs: it stops, says so, and leaves no file.
    #[cfg(unix)]
    {
        let out = dir.path().join("slow.csv");
        let mut child = bin()
            .args([
                "sql",
                "SELECT instr(zeroblob(900000) || 'a', zeroblob(450000) || 'b')",
                "--timeout",
                "30",
                "-o",
                out.to_str().unwrap(),
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(500));
        std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130));
        assert_eq!(listing(dir.path()), ["chips.csv"]);
    }
}

#[test]
fn hostile_10_a_database_and_its_metadata_are_written_together() {
    let (dir, db) = built_db();
    let before = std::fs::read(&db).unwrap();
    std::fs::create_dir(dir.path().join("kb.db.metadata.json")).unwrap();
    let err = fails(&["db", "build", db.to_str().unwrap(), "--datasette"], 2);
    crate::assert_holds(&err, &["kb.db.metadata.json: it is a directory"]);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database was replaced"
    );
    assert_eq!(listing(dir.path()), ["kb.db", "kb.db.metadata.json"]);
}

#[test]
fn hostile_11_db_check_finds_a_file_changed_after_it_was_built() {
    let (_dir, db) = built_db();
    let path = db.to_str().unwrap();
    stdout(&["--db", path, "db", "check"]);
    let mut bytes = std::fs::read(&db).unwrap();
    let at = bytes.windows(10).position(|w| w == b"Ascend 910").unwrap();
    bytes[at + 9] = b'1';
    std::fs::write(&db, &bytes).unwrap();
    let err = fails(&["--db", path, "db", "check"], 1);
    assert!(err.contains("content checksum differs"), "{err}");
    // Damage the b-tree itself: the integrity check names it.
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(4096 * 3).take(64) {
        *b = 0xff;
    }
    std::fs::write(&db, &bytes).unwrap();
    let err = fails(&["--db", path, "db", "check"], 1);
    assert!(err.contains("is damaged"), "{err}");
}

#[test]
fn hostile_12_no_panic_on_a_closed_pipe_or_a_full_disk() {
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["db", "dump"],
        &["report"],
        &["facts", "-f", "csv"],
        &["chips", "--chart", "int8_tops"],
    ] {
        let mut child = bin()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the pipe before it is read: the writer meets a broken pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        if Path::new("/dev/full").exists() {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = bin().args(args).stdout(full).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(
                err.contains("No space left") && !err.contains("panicked"),
                "{args:?}: {err}"
            );
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn hostile_13_a_closed_stdout_is_an_error() {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{} facts >&-", env!("CARGO_BIN_EXE_aiinfra")))
        .env_remove("AIINFRA_DB")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard output is closed"));
    // A redirect to /dev/null is a choice, not a mistake; so is /dev/null opened
    // read-write, as Python's DEVNULL, Node's 'ignore' and daemon(3) give it (M1).
    for redirect in ["> /dev/null", "1<>/dev/null"] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "{} facts {redirect}",
                env!("CARGO_BIN_EXE_aiinfra")
            ))
            .env_remove("AIINFRA_DB")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{redirect}");
    }
    let status = bin().arg("chips").stdout(Stdio::null()).status().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// A copy of the seeds where the Apollo partners' names are `values`, one per row.
fn seeds_with_partners(values: &[&str]) -> tempfile::TempDir {
    let seeds = seed_copy();
    let file = seeds.path().join("apollo_products.csv");
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == "partner_en").unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers).unwrap();
    for (record, value) in reader.records().zip(values.iter().cycle()) {
        let mut record: Vec<String> = record.unwrap().iter().map(String::from).collect();
        record[at] = value.to_string();
        w.write_record(&record).unwrap();
    }
    std::fs::write(&file, w.into_inner().unwrap()).unwrap();
    seeds
}

#[test]
fn hostile_14_spreadsheet_output_never_holds_a_formula() {
    let evil = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd",
        "@SUM(A1)",
        "\tx",
    ];
    let seeds = seeds_with_partners(&evil);
    let dir = seeds.path().to_str().unwrap();
    let excel = sh(&format!(
        "--seed-dir {dir} apollo -c partner_en -f csv --excel"
    ));
    for value in &evil[..4] {
        assert!(
            excel.contains(&format!("'{value}")) || excel.contains(&format!("\"'{}", &value[..3])),
            "{value}: {excel}"
        );
    }
    let tsv = sh(&format!(
        "--seed-dir {dir} apollo -c partner_en -f tsv --excel"
    ));
    assert!(tsv.contains("\r\n'=HYPERLINK"), "{tsv}");
    // Numbers stay numbers, and plain CSV stays byte-exact for programs.
    let plain = sh(&format!("--seed-dir {dir} apollo -c partner_en -f csv"));
    crate::assert_holds(&plain, &["\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""]);
    assert!(!plain.contains("'="), "{plain}");
    let numbers = sh("facts -c value -f csv --excel --limit 3");
    assert!(!numbers.contains('\''), "{numbers}");
}

#[test]
fn hostile_15_control_characters_never_reach_the_terminal() {
    let seeds = seeds_with_partners(&["\u{1b}]0;pwned\u{7}", "\u{1b}[2J"]);
    let dir = seeds.path().to_str().unwrap();
    for args in [
        format!("--seed-dir {dir} apollo --lang en"),
        format!("--seed-dir {dir} show apollo-apolong"),
        format!("--seed-dir {dir} search pwned"),
        format!("--seed-dir {dir} apollo --count-by partner_en --chart"),
    ] {
        let out = sh(&args);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{args}: {out}"
        );
        assert!(out.contains('␛'), "{args}: {out}");
    }
}

#[test]
fn hostile_16_svg_and_dumps_hold_whatever_the_text_holds() {
    let seeds = seeds_with_partners(&["a\u{1}b\u{1f}c"]);
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("chart.svg");
    let seed_dir = seeds.path().to_str().unwrap();
    let svg_path = svg.to_str().unwrap();
    sh(&format!(
        "--seed-dir {seed_dir} apollo --count-by partner_en --chart -o {svg_path}"
    ));
    let text = std::fs::read_to_string(&svg).unwrap();
    roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    // A NUL in a text field (a file changed after it was built): the SQLite dump
    // keeps it, the PostgreSQL dump refuses with the row's name.
    let (_keep, db) = built_db_changed_by(
        "UPDATE chips SET note = 'a' || char(0) || 'b' WHERE id = 'ascend-910'",
    );
    let path = db.to_str().unwrap();
    let dump = stdout(&["--db", path, "db", "dump"]);
    let copy = rusqlite::Connection::open_in_memory().unwrap();
    copy.execute_batch(&dump).unwrap();
    let note: Vec<u8> = copy
        .query_row(
            "SELECT CAST(note AS BLOB) FROM chips WHERE id = 'ascend-910'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(note, b"a\0b");
    let err = fails(&["--db", path, "db", "dump", "--dialect", "postgres"], 1);
    crate::assert_holds(
        &err,
        &["chips.note of \"ascend-910\" holds a NUL character"],
    );
}

#[test]
fn hostile_17_json_keys_are_unique() {
    let rows = json(&["chips", "-c", "id,id", "--limit", "1"]);
    assert_eq!(rows[0]["id"], rows[0]["id_2"]);
    let rows = json(&["sql", "SELECT 1 AS a, 2 AS a"]);
    assert_eq!(
        (rows[0]["a"].as_i64(), rows[0]["a_2"].as_i64()),
        (Some(1), Some(2))
    );
}

#[test]
fn hostile_18_messages_say_what_happened() {
    let err = fails(&["--db", "/dev/zero", "chips"], 1);
    assert_holds(
        &err,
        &["/dev/zero is a character device, not a database file"],
    );
    assert!(!err.contains("empty"), "{err}");
    let (_dir, db) = built_db();
    let mut journal = db.clone().into_os_string();
    journal.push("-journal");
    std::fs::write(&journal, "left over").unwrap();
    let err = fails(&["--db", db.to_str().unwrap(), "chips"], 1);
    crate::assert_holds(&err, &["has a journal left by an interrupted write"]);
    let out = aiinfra()
        .env("AIINFRA_DB", db.to_str().unwrap())
        .args(["chips"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(named by $AIINFRA_DB)"), "{err}");
    // A seed linked to some other file is not quoted back.
    let seeds = seed_copy();
    let chips = seeds.path().join("chips.csv");
    std::fs::write(&chips, "root:x:0:0:root:/root:/bin/bash\nsecond line\n").unwrap();
    let err = fails(&["--seed-dir", seeds.path().to_str().unwrap(), "chips"], 1);
    assert!(err.contains("is not the header of chips.csv"), "{err}");
    assert!(!err.contains("root:"), "{err}");
}

#[test]
fn hostile_every_command_ends_in_time_under_a_hostile_query() {
    // The deadline holds for every command, not only sql: a command that runs many
    // queries (db check, search) stops at its --timeout too.
    for args in [
        &["search", "华为", "--timeout", "0.001"][..],
        &["db", "check", "--timeout", "0.001"],
    ] {
        let (code, _, err) = timed(args);
        assert!(code == Some(1) || code == Some(0), "{args:?}: {err}");
    }
    assert_holds(&fails(&["chips", "--timeout", "0"], 2), &["--timeout"]);
}

#[test]
fn hostile_19_reordering_marks_infinity_and_a_stray_completion_variable() {
    // A right-to-left override in the data would reverse the table's borders.
    let out = crate::sh("sql \"SELECT char(8238) || 'abc' AS t, 1e999 AS x\"");
    assert!(
        !out.contains('\u{202e}') && out.contains("\u{fffd}abc"),
        "{out}"
    );
    assert!(out.contains('∞'), "{out}");
    // AIINFRA_COMPLETE left set in the environment does not take over a command.
    let out = crate::aiinfra()
        .env("AIINFRA_COMPLETE", "bash")
        .args(["chips", "--format", "csv", "--limit", "1"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("id,name_zh"));
}

#[cfg(unix)]
#[test]
fn hostile_20_a_completion_script_never_holds_a_path_it_cannot_quote() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("d $(touch PWNED) x");
    std::fs::create_dir(&odd).unwrap();
    let bin = odd.join("aiinfra");
    std::fs::copy(env!("CARGO_BIN_EXE_aiinfra"), &bin).unwrap();
    let out = std::process::Command::new(&bin)
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        !script.contains("PWNED") && script.contains("\"aiinfra\" --"),
        "{script}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("from your PATH"));
}

/// Issue 16 (H6): an export folder or a Datasette sidecar a person edited is never
/// replaced without --force: each file's digest is recorded when it is written
/// (MANIFEST.sha256 in the folder; aiinfra_meta in the database beside the sidecars).
#[test]
fn hostile_h6_edited_exports_and_sidecars_are_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("edexp");
    let path = out.to_str().unwrap();
    stdout(&["db", "export", path]);
    stdout(&["db", "export", path]);
    let chips = out.join("chips.csv");
    let edited = std::fs::read_to_string(&chips)
        .unwrap()
        .replace("640", "641");
    std::fs::write(&chips, &edited).unwrap();
    let err = fails(&["db", "export", path], 2);
    crate::assert_holds(&err, &["chips.csv, changed since aiinfra exported it"]);
    assert_eq!(std::fs::read_to_string(&chips).unwrap(), edited);
    // The export's README is guarded the same way.
    stdout(&["db", "export", path, "--force"]);
    std::fs::write(out.join("README.md"), "my notes on the export\n").unwrap();
    let err = fails(&["db", "export", path], 2);
    assert!(err.contains("README.md, changed since"), "{err}");

    let db = dir.path().join("kb.db");
    let db_path = db.to_str().unwrap();
    stdout(&["db", "build", db_path, "--datasette"]);
    stdout(&["db", "build", db_path, "--datasette"]);
    let meta = dir.path().join("kb.db.metadata.json");
    let mine = std::fs::read_to_string(&meta)
        .unwrap()
        .replace("\"databases\"", "\"queries\": {},\n  \"databases\"");
    std::fs::write(&meta, &mine).unwrap();
    let err = fails(&["db", "build", db_path, "--datasette"], 2);
    assert!(err.contains("changed since aiinfra wrote it"), "{err}");
    assert_eq!(std::fs::read_to_string(&meta).unwrap(), mine);
    stdout(&["db", "build", db_path, "--datasette", "--force"]);
}

/// Issue 16 (L4): man DIR writes through the one writer, into a folder that exists.
#[test]
fn hostile_l4_man_writes_into_an_existing_folder_only() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/man1");
    let err = fails(&["man", missing.to_str().unwrap()], 2);
    assert!(err.contains("make the folder first"), "{err}");
    assert!(!dir.path().join("no").exists());
    let err = fails(&["man", "/dev/null"], 2);
    assert!(err.contains("is not a folder"), "{err}");
}

/// Issue 16 (M3): SIGTERM while an export or a build is being written leaves nothing
/// behind: the handler stops the writer, then removes its temporaries, so none is made
/// after. Each run is killed the moment its first temporary appears (mid-write); the
/// test counts the kills that landed so (exit 130 with a temporary seen), and fails if
/// fewer than 30 of 100 did, so that a loop killing only before or after the write
/// proves nothing.
#[cfg(unix)]
#[test]
fn hostile_m3_interrupted_writes_leave_nothing_behind() {
    for args in [
        &["db", "export", "ex"][..],
        &["db", "build", "kb.db", "--datasette"],
    ] {
        let env = crate::Env::new();
        let mut landed = 0;
        for _ in 0..100 {
            for leftover in ["ex", "kb.db", "kb.db.metadata.json", "kb.db.datasette.sh"] {
                let path = env.path(leftover);
                let _ = std::fs::remove_dir_all(&path);
                let _ = std::fs::remove_file(&path);
            }
            let (mut child, seen) = until_temporary(&env, args, Stdio::null());
            if seen {
                // SAFETY (test): a signal to our own child, whose pid we hold.
                unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
            }
            let status = child.wait().unwrap();
            if seen && status.code() == Some(130) {
                landed += 1;
            }
            let left = temporaries(&env);
            assert!(left.is_empty(), "{args:?} left {left:?}");
            // What is there is whole: the export's manifest checks, the database opens.
            if env.path("ex").exists() {
                crate::Run::new(&["--seed-dir", "ex", "db", "check"])
                    .dir(env.root())
                    .ok();
            }
            if env.path("kb.db").exists() {
                crate::Run::new(&["--db", "kb.db", "chips", "--limit", "1"])
                    .dir(env.root())
                    .ok();
            }
        }
        assert!(
            landed >= 30,
            "{args:?}: only {landed} of 100 kills landed mid-write"
        );
    }
}

/// `aiinfra ARGS` started in `env`'s folder, and whether one of its temporary files
/// appeared there while it ran (it is still running when this says yes).
fn until_temporary(env: &crate::Env, args: &[&str], stderr: Stdio) -> (std::process::Child, bool) {
    let mut child = bin()
        .args(args)
        .current_dir(env.root())
        .stderr(stderr)
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if !temporaries(env).is_empty() {
            return (child, true);
        }
    }
    (child, false)
}

/// The temporary files aiinfra has in `env`'s folder.
fn temporaries(env: &crate::Env) -> Vec<String> {
    listing(env.root())
        .into_iter()
        .filter(|n| n.contains(".aiinfra-"))
        .collect()
}

/// Issue 16 (M2): a file made at the target while aiinfra writes its output (after the
/// check, before the rename) is never replaced.
#[test]
fn hostile_m2_a_file_that_appears_meanwhile_is_left_alone() {
    let env = crate::Env::new();
    let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 1500000) SELECT x FROM c";
    // Once its temporary file is there, the check is behind it: make the target.
    let args = ["sql", sql, "-o", "out.csv", "--timeout", crate::GENEROUS];
    let (child, made) = until_temporary(&env, &args, Stdio::piped());
    if made {
        env.write("out.csv", "my analysis\n");
    }
    let out = child.wait_with_output().unwrap();
    if made {
        assert_eq!(out.status.code(), Some(2));
        crate::assert_holds(
            &String::from_utf8_lossy(&out.stderr),
            &["appeared while aiinfra was writing it"],
        );
        assert_eq!(env.read("out.csv"), "my analysis\n");
    }
    assert!(made, "the temporary file was never seen");
    let left = temporaries(&env);
    assert!(left.is_empty(), "{left:?}");
}

/// Issue 16: the round's smaller defects, each as a user would meet it.
#[cfg(unix)]
#[test]
fn hostile_round_three_smaller_defects() {
    let env = crate::Env::new();
    // M4: what a crafted file or a path holds reaches the terminal as symbols.
    let db = env.built_db("kb.db");
    env.sqlite(
        "kb.db",
        "UPDATE aiinfra_meta SET value = char(27) || ']0;PWNED' || char(7) || char(27) || '[2J' WHERE key = 'aiinfra_version';
         UPDATE aiinfra_meta SET value = '数数数数数数数数数数数数数数数数数数' WHERE key = 'data_checksum';",
    );
    // M7: a checksum of wide characters is cut by characters, not bytes.
    let version = env.ok(&["--db", "kb.db", "--version"]);
    assert!(
        !version.contains('\u{1b}') && version.contains("␛]0;PWNED␇"),
        "{version}"
    );
    let err = env.fails(&["--db", "x\u{1b}]0;PWNED\u{7}", "chips"], 1);
    assert!(
        !err.contains('\u{1b}') && err.contains("x␛]0;PWNED␇"),
        "{err}"
    );
    let err = env.fails(&["db", "build", "k\u{1b}[2J.db", "--datasette"], 2);
    assert!(!err.contains('\u{1b}'), "{err}");
    // M7: no panic in a SQL function given nothing.
    env.ok(&["sql", "SELECT aiinfra_snippet('', '') AS s"]);
    // M10: invisible characters pasted with a name are not part of it.
    for args in [
        &["chips", "--vendor", "华为\u{200b}", "-f", "csv"][..],
        &["show", "ascend\u{2011}910", "-f", "csv"],
        &["show", "\u{feff}昇腾910", "-f", "csv"],
        &["show", "昇腾910\u{200f}", "-f", "csv"],
        &["search", "昇腾\u{ad}", "-f", "csv"],
    ] {
        let out = env.ok(args);
        assert!(out.contains("ascend-910"), "{args:?}: {out}");
    }
    // M8: a FIFO where an export's file would be is refused at once.
    std::fs::create_dir(env.path("fifo")).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(env.path("fifo/README.md"))
            .status()
            .unwrap()
            .success()
    );
    let err = env.fails(&["db", "export", "fifo", "--timeout", crate::GENEROUS], 2);
    crate::assert_holds(&err, &["README.md (a FIFO"]);
    // A name far longer than any gets 'no record matches' at once.
    let long = "x".repeat(131_000);
    let err = env.fails(&["show", &long], 2);
    crate::assert_holds(&err, &["no record matches", "(131000 characters)"]);
    // L3: --excel defuses header cells too.
    let out = env.ok(&["sql", "SELECT 1 AS \"=HYPERLINK(1)\"", "--excel"]);
    assert!(out.contains("'=HYPERLINK(1)"), "{out}");
    // L4: a file of another kind is not offered for rebuilding.
    let err = env.fails(&["--db", "/etc/passwd", "chips"], 1);
    assert!(!err.contains("db build /etc/passwd"), "{err}");
    // L6: a dump of an infinite number loads back.
    env.sqlite(
        "kb.db",
        "UPDATE chips SET int8_tops = 9e999 WHERE id = 'ascend-910';",
    );
    let dump = env.ok(&["--db", "kb.db", "db", "dump"]);
    assert!(dump.contains("9e999"), "the dump writes infinity as 9e999");
    let copy = rusqlite::Connection::open_in_memory().unwrap();
    copy.execute_batch(&dump).unwrap();
    let x: f64 = copy
        .query_row(
            "SELECT int8_tops FROM chips WHERE id = 'ascend-910'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(x.is_infinite());
    // A database another program is writing is said to be locked, at once.
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder
        .execute_batch("BEGIN EXCLUSIVE; UPDATE chips SET note = 'x';")
        .unwrap();
    let err = env.fails(&["--db", "kb.db", "chips", "--timeout", crate::GENEROUS], 1);
    crate::assert_holds(&err, &["is locked by another program"]);
    drop(holder);
}

/// Issue 16 (L2): a database in write-ahead-log mode is read without making -wal and
/// -shm files beside it; one with a log beside it is refused, naming the way out.
#[test]
fn hostile_l2_a_wal_database_is_read_without_side_files() {
    let env = crate::Env::new();
    let db = env.built_db("kb.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    assert_eq!(env.listing(""), ["kb.db"]);
    env.ok(&["--db", "kb.db", "chips"]);
    assert_eq!(env.listing(""), ["kb.db"], "no side file may be made");
    env.write("kb.db-wal", "a log");
    let err = env.fails(&["--db", "kb.db", "chips"], 1);
    crate::assert_holds(
        &err,
        &["write-ahead-log mode", "PRAGMA journal_mode=DELETE"],
    );
}

/// A value clap refuses is echoed through the sanitiser: no escape sequence, control
/// character or reordering mark from an argument reaches the terminal (round four, 1).
#[test]
fn hostile_r4_refused_values_are_echoed_safely() {
    let evil = "x\u{1b}]0;PWN\u{7}\u{1b}[2J\u{202e}\u{200f}";
    for args in [
        vec!["chips", "--min-int8", evil],
        vec!["timeline", "--from", evil],
        vec!["compare", "ascend-910", "ascend-310", "--format", evil],
    ] {
        let err = crate::testenv::Run::new(&args)
            .env("CLICOLOR_FORCE", "1")
            .fails(2);
        assert!(
            !err.chars()
                .any(|c| c == '\u{1b}' || c == '\u{7}' || aiinfra::text::is_reordering(c)),
            "{args:?}: {err:?}"
        );
    }
}

/// Issue 16: the rule chosen for `--output` with text (README "Never over what you made
/// or edited"): it replaces a text file as the shell's `> FILE` does, and never a binary
/// one (a database, a workbook, anything with a NUL byte) unless --force is given.
#[test]
fn hostile_output_replaces_text_as_the_shell_does_and_never_a_binary_file() {
    let env = crate::Env::new();
    env.write("analysis.csv", "my analysis\n");
    env.ok(&["chips", "-o", "analysis.csv"]);
    assert!(env.read("analysis.csv").starts_with("id,"));
    env.ok(&["db", "build", "kb.db"]);
    let db = std::fs::read(env.path("kb.db")).unwrap();
    std::fs::write(env.path("x.csv"), &db).unwrap();
    let err = env.fails(&["chips", "-o", "x.csv"], 2);
    crate::assert_holds(&err, &["x.csv exists and is a binary file", "--force"]);
    assert_eq!(std::fs::read(env.path("x.csv")).unwrap(), db);
    env.ok(&["chips", "-o", "x.csv", "--force"]);
    assert!(env.read("x.csv").starts_with("id,"));
}

/// Issue 21: a run that makes no file starts no thread (the guard's timer and signal
/// handlers need none), and a signal still ends it at once with its message and 130;
/// one that writes a file starts one helper, which removes its temporary on a signal.
/// (SIGTERM: a background job inherits SIGINT ignored, and aiinfra keeps it so.)
#[cfg(target_os = "linux")]
#[test]
fn hostile_a_run_without_files_starts_no_thread_and_still_ends_on_a_signal() {
    let env = crate::Env::new();
    let slow = "SELECT instr(zeroblob(900000) || 'a', zeroblob(450000) || 'b')";
    let threads = |child: &std::process::Child| {
        std::fs::read_dir(format!("/proc/{}/task", child.id()))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    for (args, file) in [
        (vec!["sql", slow, "--timeout", crate::GENEROUS], false),
        (
            vec!["sql", slow, "--timeout", crate::GENEROUS, "-o", "out.csv"],
            true,
        ),
    ] {
        // Once it is busy with the slow call; writing a file, once its temporary is
        // there.
        let child = if file {
            let (child, seen) = until_temporary(&env, &args, Stdio::piped());
            assert!(seen, "{args:?}: no temporary file was seen");
            child
        } else {
            let child = bin()
                .args(&args)
                .current_dir(env.root())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(300));
            child
        };
        assert_eq!(threads(&child), if file { 2 } else { 1 }, "{args:?}");
        // SAFETY (test): a signal to our own child, whose pid we hold.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(130), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr)
                .matches("error: interrupted; nothing was written")
                .count(),
            1,
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(temporaries(&env).is_empty(), "{args:?}");
    }
}

/// The guard's signals as a hostile parent or sender would give them (a review of the
/// thread-free guard): a SIGALRM blocked by the parent still ends the run at its
/// deadline; a stray SIGALRM is not the deadline; a signal ignored at the start (nohup)
/// stays ignored; two signals at once are said once.
#[cfg(unix)]
#[test]
fn hostile_the_guard_holds_against_masks_strays_and_pairs_of_signals() {
    use std::os::unix::process::CommandExt;
    let slow = "SELECT instr(zeroblob(900000) || 'a', zeroblob(450000) || 'b')";
    let spawn = |args: &[&str], before: fn()| {
        let mut cmd = bin();
        cmd.args(args).stdout(Stdio::null()).stderr(Stdio::piped());
        // SAFETY (test): between fork and exec, only signal(2) and sigprocmask(2),
        // which are async-signal-safe.
        unsafe {
            cmd.pre_exec(move || {
                before();
                Ok(())
            });
        }
        cmd.spawn().unwrap()
    };
    let signal = |child: &std::process::Child, signal: libc::c_int| {
        // SAFETY (test): a signal to our own child, whose pid we hold.
        unsafe { libc::kill(child.id() as i32, signal) };
    };
    let running = |child: &mut std::process::Child| child.try_wait().unwrap().is_none();
    let said = |child: std::process::Child| {
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    // SIGALRM blocked by the parent: still stopped at the deadline.
    let child = spawn(&["sql", slow, "--timeout", "0.3"], || {
        // SAFETY (test): see above.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGALRM);
            libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        }
    });
    let (code, err) = said(child);
    assert_eq!(code, Some(1), "{err}");
    assert_holds(&err, &["stopped after 0.3 s (--timeout)"]);

    // A stray SIGALRM, and a SIGHUP ignored when the run began, change nothing.
    let mut child = spawn(&["sql", slow, "--timeout", crate::GENEROUS], || {
        // SAFETY (test): see above.
        unsafe { libc::signal(libc::SIGHUP, libc::SIG_IGN) };
    });
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, libc::SIGALRM);
    signal(&child, libc::SIGHUP);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        running(&mut child),
        "a stray SIGALRM or an ignored SIGHUP ended the run"
    );
    signal(&child, libc::SIGTERM);
    let (code, err) = said(child);
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");

    // Two signals at once: one message, the first one's exit code.
    for _ in 0..30 {
        let child = spawn(&["sql", slow, "--timeout", crate::GENEROUS], || {});
        std::thread::sleep(Duration::from_millis(50));
        signal(&child, libc::SIGTERM);
        signal(&child, libc::SIGHUP);
        let (code, err) = said(child);
        // Killed before the handlers were installed (a very slow start), nothing is
        // said; otherwise one message.
        if code.is_some() {
            assert_eq!(code, Some(130), "{err}");
            assert_eq!(err.matches("error:").count(), 1, "{err}");
        }
    }
}
