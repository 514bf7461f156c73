//! Issue 15: every stage after the query is bounded, whatever the input. Scaled-down
//! cases of `bench/bounds.sh`, each run under an address-space cap (2 GB: a cap on
//! address space, not RSS, so with room), asserting only what memory and bytes decide:
//! the exit code, the message, the bytes written, nothing left behind. No case asserts
//! time; each gives a generous --timeout so that a loaded machine cannot fail it.

use crate::{GENEROUS, Run, assert_holds};

/// The address-space cap, in KiB.
const CAP_KIB: u64 = 2 * 1024 * 1024;

/// Run `aiinfra ARGS --timeout GENEROUS` under the cap, in `dir`.
fn capped(dir: &std::path::Path, args: &[&str]) -> Run {
    let mut words = vec![env!("CARGO_BIN_EXE_aiinfra").to_string()];
    words.extend(args.iter().map(|a| a.to_string()));
    words.extend(["--timeout".into(), GENEROUS.into()]);
    let quoted: Vec<String> = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect();
    let script = format!("ulimit -v {CAP_KIB} && exec {}", quoted.join(" "));
    Run::shell(&script).dir(dir)
}

/// `select`, over a table `c` of the numbers 1 to `n` in column `x`.
fn over(n: u64, select: &str) -> String {
    format!("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < {n}) {select}")
}

/// `printed` is no more than a table of `rows` rows and a result of `result` bytes (as
/// the result cap counts it: 16 a value and the text's length) may write on a pipe.
fn assert_bounded(printed: &str, result: u64, rows: u64) {
    let bound = 8 * result + (1 << 20) + rows * 4 * 120;
    assert!(printed.len() as u64 <= bound, "{} bytes", printed.len());
}

/// A long cell in a table and a huge label in a chart are printed once, not as the
/// width every other row or bar is padded to.
#[test]
fn bounds_a_long_value_never_pads_every_row_to_its_width() {
    let dir = tempfile::tempdir().unwrap();
    // (the rows, the result's bytes as the cap counts them: 16 a value and its text,
    // the SQL, what else to ask)
    for (n, result, select, args) in [
        (
            2000,
            70_016 + 2000 * 17,
            "SELECT printf('%.*c', 70000, 'a') AS id UNION ALL SELECT 'b' FROM c",
            &[][..],
        ),
        (
            10_000,
            1_000_016 + 10_000 * (17 + 16),
            "SELECT printf('%.*c', 1000000, 'a') AS name, 1 AS n UNION ALL SELECT 'b', x FROM c",
            &["--chart", "n"][..],
        ),
    ] {
        let sql = over(n, select);
        let out = capped(dir.path(), &[&["sql", sql.as_str()][..], args].concat()).succeeds();
        assert_bounded(&out.stdout, result, n + 1);
        if args.is_empty() {
            assert!(out.stdout.contains(&"a".repeat(70_000)), "the id is whole");
        }
    }
}

#[test]
fn bounds_a_cell_of_many_lines_is_cut_in_a_table_and_whole_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    let sql = over(3, "SELECT printf('%.*c', 200000, char(10)) AS t FROM c");
    let out = capped(dir.path(), &["sql", &sql]).succeeds();
    assert_holds(&out.stdout, &["(199002 more lines)"]);
    assert_holds(&out.stderr, &["3 cells", "more than 1000 lines"]);
    assert!(out.stdout.len() < 100_000, "{} bytes", out.stdout.len());
    let csv = capped(dir.path(), &["sql", &sql, "-f", "csv"]).succeeds();
    assert!(csv.stdout.len() > 600_000);
}

#[test]
fn bounds_a_year_far_off_draws_one_bar_not_the_years_between() {
    let dir = tempfile::tempdir().unwrap();
    let out = capped(
        dir.path(),
        &[
            "sql",
            "SELECT 1 AS launched UNION ALL SELECT 9000000000000000000",
            "--count-by",
            "launched",
            "--chart",
        ],
    )
    .succeeds();
    assert!(out.stdout.lines().count() < 10, "{}", out.stdout);
}

#[test]
fn bounds_counting_many_distinct_values_groups_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let sql = over(
        40_000,
        "SELECT x % 20000 AS v, 'src-' || x AS source_id FROM c",
    );
    let out = capped(dir.path(), &["sql", &sql, "--count-by", "v", "-f", "csv"]).succeeds();
    assert_eq!(out.stdout.lines().count(), 20_001);
    capped(dir.path(), &["sql", &sql, "--count-by", "v", "--chart"]).succeeds();
    capped(dir.path(), &["sql", &sql, "-o", "cited.xlsx"]).succeeds();
}

#[test]
fn bounds_a_large_workbook_is_written_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let sql = over(200_000, "SELECT x, 'row ' || x AS label FROM c");
    capped(dir.path(), &["sql", &sql, "-o", "big.xlsx"]).succeeds();
    assert_eq!(
        crate::listing(dir.path()),
        ["big.xlsx"],
        "no temporary file left"
    );
    // The digest it carries is its own: writing it again replaces it.
    capped(dir.path(), &["sql", &sql, "-o", "big.xlsx"]).succeeds();
}

/// A database built by `db build NAME` in a new folder, open for a test to change.
fn built(name: &str) -> (tempfile::TempDir, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    Run::new(&["db", "build", name]).dir(dir.path()).succeeds();
    let conn = rusqlite::Connection::open(dir.path().join(name)).unwrap();
    (dir, conn)
}

/// A file whose passages hold more than aiinfra reads at once: search says the data is
/// too large and that it reads it whole, never "narrow it with --limit" (no option of
/// search changes what it reads). And `sql` over the same passages, whose
/// result the user's query decides, says to narrow it.
#[test]
fn bounds_data_too_large_to_read_names_the_file_not_the_options() {
    let (dir, conn) = built("big.db");
    conn.execute_batch(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 40)
         INSERT INTO passages (id, source_id, page, kind, position, text)
         SELECT 'zz.p' || x, 'sec-1', 1, 'paragraph', 100000 + x, '华为' || printf('%.*c', 1000000, 'a') FROM c",
    )
    .unwrap();
    drop(conn);
    let out = capped(dir.path(), &["--db", "big.db", "search", "华为"]).outcome();
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_holds(
        &out.stderr,
        &[
            "big.db is larger than the 32 MiB aiinfra reads of a table at once",
            "reads it whole",
        ],
    );
    assert!(!out.stderr.contains("--limit"), "{}", out.stderr);
    // Stopped by the deadline wherever it falls (reading, indexing or searching the
    // passages; or, on a very quick machine, the size above), it names the stage in
    // words and offers no --limit either.
    let out = Run::new(&["--db", "big.db", "search", "华为", "--timeout", "0.001"])
        .dir(dir.path())
        .outcome();
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        !out.stderr.contains("--limit") && !out.stderr.contains("Error code"),
        "{}",
        out.stderr
    );
    let out = capped(
        dir.path(),
        &["--db", "big.db", "sql", "SELECT text FROM passages"],
    )
    .outcome();
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_holds(
        &out.stderr,
        &[
            "the result is larger than 32 MiB",
            "narrow it with a filter, or --limit",
        ],
    );
}

/// A value past aiinfra's limits in a file's rows: `report --numbers` (which reads
/// every row to account for the report's numbers) says so in words, as every other
/// command does, not SQLite's "Error code 18".
#[test]
fn bounds_a_value_past_the_limits_is_worded_by_every_command() {
    let (dir, conn) = built("v.db");
    conn.execute(
        "UPDATE chips SET quote = ?1 WHERE rowid = 1",
        ["芯".repeat(400_000)],
    )
    .unwrap();
    drop(conn);
    for args in [
        &["report", "--numbers"][..],
        &["chips"],
        &["search", "芯片"],
    ] {
        let mut all = vec!["--db", "v.db"];
        all.extend_from_slice(args);
        let out = capped(dir.path(), &all).outcome();
        assert_eq!(out.code, Some(1), "{args:?}: {}", out.stderr);
        assert_holds(&out.stderr, &["exceeds aiinfra's limits"]);
        assert!(
            !out.stderr.contains("Error code"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

/// The word `search` looks for is held once per place it is called, whatever its
/// length: a statement naming a million-character word a hundred times stays within
/// the address-space cap (it took 2.4 GB, 24 bytes a character a place, and aborted
/// under the cap).
#[test]
fn bounds_a_long_search_word_is_held_once() {
    let dir = tempfile::tempdir().unwrap();
    let calls: Vec<String> = (0..100)
        .map(|_| "aiinfra_holds_spaced(printf('%.*c', 1000000, 'a'), 'b')".to_string())
        .collect();
    let sql = format!("SELECT {}", calls.join(", "));
    let out = capped(dir.path(), &["sql", &sql, "-f", "csv"]).outcome();
    assert!(
        matches!(out.code, Some(0 | 1)),
        "{:?}: {}",
        out.code,
        out.stderr
    );
    assert!(!out.stderr.contains("memory allocation"), "{}", out.stderr);
}
