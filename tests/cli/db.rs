use crate::{
    aiinfra, assert_holds, column, fails, listing, report_path, seed_copy, seeds_with, stdout,
};

#[test]
fn db_build_writes_a_file_that_db_and_env_query() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kb.db");
    let path = file.to_str().unwrap();
    let out = aiinfra().args(["db", "build", path]).output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.starts_with(&format!(
            "wrote {path}: {} tables, ",
            aiinfra::db::contract::TABLES.len()
        )),
        "{said}"
    );
    let embedded = column(&["chips", "--min-int8", "200"], "id");
    assert_eq!(
        column(&["--db", path, "chips", "--min-int8", "200"], "id"),
        embedded
    );
    assert_eq!(
        column(&["chips", "--min-int8", "200", "--db", path], "id"),
        embedded
    );
    let out = aiinfra()
        .env("AIINFRA_DB", path)
        .args(["sql", "SELECT count(*) AS n FROM chips", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "n\n5\n");
    // An explicit --seed-dir wins over the environment.
    let seeds = seed_copy();
    let seeds_path = seeds.path().to_str().unwrap();
    crate::Run::new(&["--seed-dir", seeds_path, "chips", "-f", "csv", "-c", "id"])
        .env("AIINFRA_DB", "/nonexistent.db")
        .ok();
    // Rebuilding replaces the file whole and leaves nothing else.
    stdout(&["db", "build", path]);
    assert_eq!(listing(dir.path()), ["kb.db"]);
    let conn = rusqlite::Connection::open(&file).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM open_data_platforms", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 23);
}

#[test]
fn db_refuses_files_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    let err = fails(&["--db", missing.to_str().unwrap(), "chips"], 1);
    assert!(
        err.contains("cannot open") && err.contains("No such file"),
        "{err}"
    );
    assert!(!missing.exists(), "a missing --db must not be created");

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "hello, this is not a database, it is long enough to have a header or not",
    )
    .unwrap();
    let err = fails(&["--db", text.to_str().unwrap(), "chips"], 1);
    assert!(err.contains("is not an SQLite database"), "{err}");

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let err = fails(&["--db", empty.to_str().unwrap(), "chips"], 1);
    assert!(err.contains("is not an aiinfra database"), "{err}");
    assert!(err.contains("aiinfra db build"), "{err}");

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); PRAGMA application_id = 42;")
        .unwrap();
    let err = fails(&["--db", other.to_str().unwrap(), "chips"], 1);
    assert!(err.contains("application id 0x2a"), "{err}");

    let newer = dir.path().join("newer.db");
    stdout(&["db", "build", newer.to_str().unwrap()]);
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = fails(&["--db", newer.to_str().unwrap(), "chips"], 1);
    assert!(err.contains("schema version 99"), "{err}");
    assert!(
        err.contains(&format!(
            "newer than the version {}",
            aiinfra::db::migrate::latest_version()
        )),
        "{err}"
    );

    let err = fails(&["--db", dir.path().to_str().unwrap(), "chips"], 1);
    assert!(err.contains("is a directory"), "{err}");

    let err = fails(&["--db", "x.db", "--seed-dir", "seed", "chips"], 2);
    assert!(err.contains("--seed-dir"), "{err}");
}

#[test]
fn db_check_passes_on_the_embedded_seeds_and_the_report() {
    let out = stdout(&["db", "check", "--format", "csv"]);
    assert_holds(&out, &["table,rows,quoted,found_in_report\nsources,"]);
    let report = report_path();
    let out = stdout(&[
        "db",
        "check",
        "--report",
        report.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    for row in crate::csv_rows(&out) {
        if row["table"] != "sources" {
            assert_eq!(row["rows"], row["found_in_report"], "{row:?}");
        }
    }
}

#[test]
fn db_check_lists_every_quote_not_in_the_report() {
    let (seeds, chips) = seeds_with("chips", "高达 640 TOPS", "高达 650 TOPS");
    let text = std::fs::read_to_string(&chips).unwrap();
    std::fs::write(&chips, text.replace("功耗仅为 150W", "功耗仅为 160W")).unwrap();
    let report = report_path();
    let err = fails(
        &[
            "--seed-dir",
            seeds.path().to_str().unwrap(),
            "db",
            "check",
            "--report",
            report.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        err.starts_with("error: 2 rows with a missing or unfound quote:"),
        "{err}"
    );
    let shown = format!("{}:2: chips ascend-910: quote not found", chips.display());
    assert!(err.contains(&shown), "{err}");
    assert!(err.contains("chips siyuan-370: quote not found"), "{err}");
}

#[test]
fn db_seed_dir_errors_name_file_line_column_and_value() {
    let (seeds, chips) = seeds_with("chips", ",640,", ",12O,");
    let dir = seeds.path().to_str().unwrap();
    for args in [
        vec!["--seed-dir", dir, "chips"],
        vec!["--seed-dir", dir, "db", "check"],
    ] {
        let err = fails(&args, 1);
        assert_eq!(
            err,
            format!(
                "error: {}:2: column int8_tops: expected a number, found \"12O\"\n",
                chips.display()
            )
        );
    }
    let out = tempfile::tempdir().unwrap();
    let db = out.path().join("x.db");
    fails(&["--seed-dir", dir, "db", "build", db.to_str().unwrap()], 1);
    assert!(!db.exists());
    assert!(listing(out.path()).is_empty());
}

#[test]
fn db_seed_dir_reports_misspelt_and_missing_files() {
    let seeds = seed_copy();
    std::fs::rename(
        seeds.path().join("chips.csv"),
        seeds.path().join("chps.csv"),
    )
    .unwrap();
    let err = fails(&["--seed-dir", seeds.path().to_str().unwrap(), "chips"], 1);
    crate::assert_holds(
        &err,
        &["chps.csv: not a table of aiinfra; did you mean chips.csv?"],
    );
    assert!(err.contains("chips.csv: missing"), "{err}");
    let err = fails(&["--seed-dir", "/nonexistent/seeds", "chips"], 1);
    assert!(err.contains("cannot read the seed directory"), "{err}");
}

#[test]
fn db_build_writes_from_seeds_whatever_aiinfra_db_says() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.db");
    stdout(&["db", "build", file.to_str().unwrap()]);
    let err = fails(&["--db", file.to_str().unwrap(), "db", "build", "b.db"], 2);
    assert!(
        err.contains("writes from seeds") && err.contains("no --db"),
        "{err}"
    );
    assert!(!dir.path().join("b.db").exists());
    // Issue 16 (M9): $AIINFRA_DB names what commands read by default; db build writes
    // from seeds, so it does not apply, and the file it names can be rebuilt in place.
    crate::Run::new(&["db", "build", "a.db"])
        .dir(dir.path())
        .env("AIINFRA_DB", file.to_str().unwrap())
        .ok();
}

#[test]
fn db_export_never_replaces_what_it_reads_or_a_tree_of_folders() {
    let env = crate::Env::new();
    // The --db file, then a seed folder, inside the folder an export would replace.
    std::fs::create_dir(env.path("out")).unwrap();
    env.ok(&["db", "build", "out/kb.db"]);
    env.seeds("out/seeds");
    for source in [["--db", "out/kb.db"], ["--seed-dir", "out/seeds"]] {
        let err = env.fails(&[source[0], source[1], "db", "export", "out", "--force"], 2);
        assert_holds(&err, &["holds an input"]);
    }
    assert!(env.path("out/kb.db").exists());
    // A folder that holds folders is never replaced, even with --force.
    std::fs::remove_file(env.path("out/kb.db")).unwrap();
    let err = env.fails(&["db", "export", "out", "--force"], 2);
    assert_holds(&err, &["holds a folder (seeds)"]);
    assert!(env.path("out/seeds/chips.csv").exists());
    // The current folder: named from its parent instead.
    std::fs::create_dir(env.path("here")).unwrap();
    let err = crate::Run::new(&["db", "export", "."])
        .dir(&env.path("here"))
        .fails(2);
    assert_holds(&err, &["the current folder"]);
}

#[test]
fn db_export_replaces_its_own_export_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let path = out.to_str().unwrap();
    for format in ["xlsx", "csv", "json", "xlsx"] {
        stdout(&["db", "export", path, "--format", format]);
    }
    assert_eq!(
        listing(&out),
        ["MANIFEST.sha256", "README.md", "aiinfra.xlsx"]
    );
    stdout(&["db", "export", path]);
    assert!(listing(&out).contains(&"chips.csv".to_string()));
    assert!(listing(dir.path()) == ["out"], "{:?}", listing(dir.path()));
}

#[test]
fn db_writes_under_a_long_name() {
    let dir = tempfile::tempdir().unwrap();
    // A name near the file system's 255 bytes (80 CJK characters are 240): its
    // temporary still fits.
    let long = dir.path().join(format!("{}.csv", "数".repeat(80)));
    stdout(&["chips", "-o", long.to_str().unwrap()]);
    assert!(long.exists());
    assert_eq!(listing(dir.path()).len(), 1, "{:?}", listing(dir.path()));
}

/// A file of the kept older schema version is read through an in-memory upgrade: the
/// same rows as the built-in data, the file itself untouched; one of a version with no
/// kept schema is refused with the command that rebuilds it.
/// A file of the kept older version `index` (of `migrate::KEPT`), holding the rows of
/// the tables that version has, with the checksum that version's build recorded.
fn kept_file(dir: &std::path::Path, index: usize) -> std::path::PathBuf {
    let (version, schema) = aiinfra::db::migrate::KEPT[index];
    let old = dir.join(format!("v{version}.db"));
    let conn = rusqlite::Connection::open(&old).unwrap();
    conn.execute_batch(schema).unwrap();
    // The rows of the tables that version has (a table added since is not in it).
    let has = |line: &str| {
        let table = line["INSERT INTO ".len()..].split(' ').next().unwrap_or("");
        conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    };
    for line in stdout(&["db", "dump"]).lines() {
        if line.starts_with("INSERT INTO") && has(line) {
            conn.execute_batch(line).unwrap();
        }
    }
    // Its content checksum is over the rows it holds, as that version's build recorded.
    let mut tables = Vec::new();
    for table in aiinfra::db::contract::TABLES {
        let Ok(mut stmt) = conn.prepare(&format!("SELECT * FROM {} ORDER BY rowid", table.name))
        else {
            continue;
        };
        let width = stmt.column_count();
        let rows: Vec<Vec<rusqlite::types::Value>> = stmt
            .query_map([], |r| (0..width).map(|i| r.get(i)).collect())
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        tables.push((table.name, rows));
    }
    let sum = aiinfra::db::seed::content_checksum(tables.iter().map(|(n, r)| (*n, r.as_slice())));
    conn.execute(
        "UPDATE aiinfra_meta SET value = ?1 WHERE key = 'content_sha256'",
        [sum],
    )
    .unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
    conn.pragma_update(None, "application_id", aiinfra::db::migrate::APPLICATION_ID)
        .unwrap();
    old
}

#[test]
fn db_reads_a_file_of_a_kept_older_version_through_an_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    // Every kept version's file reads as the current one, the report's passages and
    // the rows' links to them derived from its rows.
    for index in 1..aiinfra::db::migrate::KEPT.len() {
        let old = kept_file(dir.path(), index);
        let path = old.to_str().unwrap();
        for args in [
            &["chips", "--format", "csv"][..],
            &[
                "sql",
                "SELECT * FROM passages ORDER BY position",
                "--format",
                "csv",
            ],
            &[
                "sql",
                "SELECT * FROM row_passages ORDER BY rowid",
                "--format",
                "csv",
            ],
        ] {
            let mut with_db = vec!["--db", path];
            with_db.extend_from_slice(args);
            assert_eq!(stdout(&with_db), stdout(args), "{path} {args:?}");
        }
        stdout(&["--db", path, "db", "check"]);
        std::fs::remove_file(&old).unwrap();
    }
    let old = kept_file(dir.path(), 0);
    let before = std::fs::read(&old).unwrap();
    let path = old.to_str().unwrap();
    for args in [
        &["chips", "--format", "csv"][..],
        &["facts", "--format", "csv"],
        &["sql", "PRAGMA user_version", "--format", "csv"],
    ] {
        // (A table added since version 4 would be empty in the upgraded copy; these are
        // tables version 4 had.)
        let mut with_db = vec!["--db", path];
        with_db.extend_from_slice(args);
        assert_eq!(stdout(&with_db), stdout(args), "{args:?}");
    }
    stdout(&["--db", path, "db", "check"]);
    assert_eq!(
        std::fs::read(&old).unwrap(),
        before,
        "the file must not change"
    );
    assert_eq!(listing(dir.path()), ["v4.db"], "no side file may be made");

    let conn = rusqlite::Connection::open(&old).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    drop(conn);
    let err = fails(&["--db", path, "chips"], 1);
    assert!(
        err.contains("schema version 2, older than") && err.contains("aiinfra db build"),
        "{err}"
    );
}

/// `db export out.json` is named like a file: it is refused (exit 2) saying what writes
/// that file, and nothing is made; an .xlsx name writes the one workbook, and a folder
/// that already exists under such a name is the user's choice.
#[test]
fn db_export_refuses_a_file_name_for_a_folder() {
    let env = crate::testenv::Env::new();
    for (name, says) in [
        ("out.json", "aiinfra TABLE -o out.json"),
        ("out.csv", "aiinfra db export FILE.xlsx"),
        ("out.md", "--format csv"),
        ("out.db", "aiinfra db build out.db"),
    ] {
        let err = env.fails(&["db", "export", name], 2);
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
        assert!(
            env.listing(".").is_empty(),
            "{name} made {:?}",
            env.listing(".")
        );
    }
    env.ok(&["db", "export", "out.xlsx"]);
    assert!(env.path("out.xlsx").is_file());
    std::fs::create_dir(env.path("mine.json")).unwrap();
    env.ok(&["db", "export", "mine.json", "--format", "json"]);
    assert!(env.path("mine.json/chips.json").is_file());
    env.ok(&["db", "export", "export.2021"]);
    assert!(env.path("export.2021/chips.csv").is_file());
}
