use std::io::Read;
use std::process::Stdio;

use crate::{aiinfra, built_db, fails, listing, sh, sh_fails, stdout};

#[test]
fn sql_count_as_json() {
    let out = sh(r#"sql "SELECT count(*) AS n FROM open_data_platforms" --format json"#);
    assert_eq!(out, "[{\"n\":23}]\n");
}

#[test]
fn sql_rows_go_through_the_same_renderer() {
    let out = sh(
        r#"sql "SELECT launched, count(*) AS n FROM open_data_platforms GROUP BY launched ORDER BY launched" -f csv"#,
    );
    assert_eq!(
        out,
        "launched,n\n2015,1\n2016,3\n2018,5\n2019,8\n2020,4\n2021,2\n"
    );
}

#[test]
fn sql_refuses_writes_and_leaves_the_database_as_it_was() {
    let (dir, db) = built_db();
    let db = db.to_str().unwrap();
    let before = std::fs::read(db).unwrap();
    for sql in [
        "DELETE FROM chips",
        "DROP TABLE chips",
        "INSERT INTO facts (id) VALUES ('x')",
        "UPDATE chips SET int8_tops = 0",
        "WITH x AS (SELECT 1) DELETE FROM chips",
        "CREATE TEMP TABLE t (x)",
        "PRAGMA query_only = 0",
        "PRAGMA writable_schema = 1",
        "PRAGMA journal_mode = WAL",
        "PRAGMA user_version = 7",
        "SELECT load_extension('libx')",
        "BEGIN",
        "SAVEPOINT s",
        "ATTACH 'evil.db' AS evil",
        "VACUUM INTO 'copy.db'",
    ] {
        for source in [&["--db", db][..], &[][..]] {
            let mut args = vec!["sql", sql];
            args.extend_from_slice(source);
            // Run inside the scratch directory: ATTACH and VACUUM INTO name files
            // relative to it, and none may appear.
            let out = aiinfra()
                .current_dir(dir.path())
                .args(&args)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            // The statement itself cannot be: a usage error, as everywhere (issue 10).
            assert_eq!(out.status.code(), Some(2), "{sql}: {err}");
            assert!(err.starts_with("error: aiinfra sql"), "{sql}: {err}");
        }
    }
    assert_eq!(std::fs::read(db).unwrap(), before);
    assert_eq!(listing(dir.path()), ["kb.db"]);
}

#[test]
fn sql_allows_reading_pragmas() {
    let out = stdout(&["sql", "PRAGMA user_version", "--format", "csv"]);
    assert_eq!(
        out,
        format!("user_version\n{}\n", aiinfra::db::migrate::latest_version())
    );
    let out = stdout(&[
        "sql",
        "SELECT name FROM pragma_table_info('chips') LIMIT 2",
        "--format",
        "csv",
    ]);
    assert_eq!(out, "name\nid\nname_zh\n");
}

#[test]
fn sql_runs_exactly_one_statement() {
    let err = fails(&["sql", "SELECT 1; SELECT 2"], 2);
    assert!(err.contains("exactly one statement"), "{err}");
    let err = fails(&["sql", "SELECT 1; DROP TABLE chips"], 2);
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(
        stdout(&[
            "sql",
            "SELECT 1 AS x; -- trailing comment",
            "--format",
            "csv"
        ]),
        "x\n1\n"
    );
}

#[test]
fn sql_syntax_errors_show_the_position() {
    let err = fails(&["sql", "SELEC * FROM chips"], 2);
    assert_eq!(
        err,
        "error: near \"SELEC\": syntax error (line 1, column 1)\n  SELEC * FROM chips\n  ^\n\nFor more information, try '--help'.\n"
    );
    // Issue 10: an unknown table gets a suggestion; sql takes the row options too.
    let err = fails(&["sql", "SELECT * FROM chip"], 2);
    crate::assert_holds(&err, &["no such table: chip; did you mean chips?"]);
    assert_eq!(
        stdout(&[
            "sql",
            "SELECT id, int8_tops FROM chips",
            "--sort",
            "int8_tops",
            "--limit",
            "1",
            "-c",
            "id",
            "--format",
            "csv"
        ]),
        "id\nascend-310\n"
    );
}

#[test]
fn sql_stops_runaway_queries() {
    let err = sh_fails(
        r#"sql "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c" --timeout 0.5"#,
        1,
    );
    assert!(err.contains("stopped after 0.5 s"), "{err}");
    let err = sh_fails(
        r#"sql "SELECT count(*) FROM sources a, sources b, sources c, sources d, sources e, sources f" --timeout 0.3"#,
        1,
    );
    assert!(err.contains("stopped after"), "{err}");
    let err = fails(&["sql", "SELECT length(randomblob(2e9))"], 1);
    assert!(err.contains("limits"), "{err}");
    // Too deep to prepare: the statement cannot be run at all, a usage error.
    let deep = format!("SELECT {}1{}", "abs(".repeat(500), ")".repeat(500));
    let err = fails(&["sql", &deep], 2);
    assert!(
        err.starts_with("error: Expression tree is too large (maximum depth 200)"),
        "{err}"
    );
    fails(&["sql", "SELECT 1", "--timeout", "0"], 2);
    fails(&["sql", "SELECT 1", "--timeout", "abc"], 2);
}

/// `aiinfra sql "SELECT * FROM chips" | head -c 1`, in every format, and output far
/// larger than a pipe's buffer: a quiet exit 0.
#[test]
fn sql_closed_pipe_exits_quietly() {
    let big = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT x, 'row ' || x AS label FROM c";
    for query in ["SELECT * FROM chips", big] {
        for format in ["table", "csv", "tsv", "json", "jsonl", "markdown"] {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aiinfra"))
                .args([
                    "sql",
                    query,
                    "--format",
                    format,
                    "--timeout",
                    crate::GENEROUS,
                ])
                .env_remove("AIINFRA_DB")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdout = child.stdout.take().unwrap();
            let mut first = [0u8; 1];
            let _ = stdout.read(&mut first);
            drop(stdout);
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            let status = child.wait().unwrap();
            assert_eq!(status.code(), Some(0), "{format}: {err}");
            assert_eq!(err, "", "{format}");
        }
    }
}

#[test]
fn sql_output_file_and_empty_results() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    aiinfra()
        .args([
            "sql",
            "SELECT id FROM chips WHERE 0",
            "--output",
            file.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "[]\n");
}
