//! For analysts: charts (terminal and SVG), human numbers, colour, export, dump,
//! Datasette metadata, completions, manual pages and the data version.

use std::collections::BTreeMap;

use unicode_width::UnicodeWidthStr;

use crate::{aiinfra, assert_holds, csv_rows, fails, json, listing, sh, stdout};

fn bar_lines(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.contains('│')).collect()
}

#[test]
fn chart_draws_one_aligned_bar_per_row() {
    let out = stdout(&["chips", "--chart", "int8_tops"]);
    assert!(out.starts_with("chips: int8_tops (TOPS)\n"), "{out}");
    let bars = bar_lines(&out);
    assert_eq!(bars.len(), 5);
    assert!(
        bars[0].starts_with("昇腾910 │") && bars[0].ends_with(" 640"),
        "{out}"
    );
    assert!(
        bars[4].ends_with(" —"),
        "a chip without the figure has no bar: {out}"
    );
    let w = bars[0].width();
    assert!(
        bars.iter().all(|l| l.width() == w),
        "labels and values line up:\n{out}"
    );
    crate::assert_holds(&out, &["source: 2.3.2 AI chip performance rises sharply"]);
    // Twice the value, twice the bar (to the eighth of a cell).
    let cells = |l: &str| l.matches('█').count() as f64;
    assert!((cells(bars[0]) / cells(bars[1]) - 640.0 / 256.0).abs() < 0.1);
    insta::assert_snapshot!(out);
}

#[test]
fn chart_log_scale_and_human_values() {
    let out = stdout(&["models", "--chart", "params", "--log"]);
    assert_holds(&out, &["models: params (parameters) (log scale)\n"]);
    assert!(
        out.contains("10万亿") && out.contains("30亿") && out.contains("≥1000亿"),
        "{out}"
    );
    let en = stdout(&["models", "--chart", "params", "--log", "--lang", "en"]);
    assert!(
        en.contains("10T") && en.contains("3B") && en.contains("≥100B"),
        "{en}"
    );
    assert!(en.contains("Switch Transformer"));
    let bars = bar_lines(&out);
    let cells = |l: &str| l.matches('█').count();
    // On a log scale 3e9 still gets a bar, and 1e13 the longest.
    let cv = bars.iter().find(|l| l.contains("盘古 CV")).unwrap();
    let m6 = bars.iter().find(|l| l.starts_with("M6")).unwrap();
    assert!(cells(cv) > 0 && cells(m6) > cells(cv));
    insta::assert_snapshot!(stdout(&["frameworks", "--chart", "github_stars", "--log"]));
}

#[test]
fn chart_of_a_facet_reads_as_table_3() {
    let out = stdout(&[
        "platforms",
        "--count-by",
        "launched",
        "--chart",
        "launched",
        "--cumulative",
    ]);
    let values: Vec<String> = bar_lines(&out)
        .iter()
        .map(|l| l.rsplit(' ').next().unwrap().to_string())
        .collect();
    // 2017 is in the chart although nothing launched that year: Table 3's rows.
    assert_eq!(values, ["1", "4", "4", "9", "17", "21", "23"]);
    assert!(bar_lines(&out)[2].starts_with("2017"));
    let counts = stdout(&["frameworks", "--count-by", "kind", "--chart", "kind"]);
    assert!(bar_lines(&counts)[0].starts_with("training"), "{counts}");
    // With --count-by, --chart needs no field: the issue's `platforms --count-by launched --chart`.
    let plain = stdout(&["platforms", "--count-by", "launched", "--chart"]);
    assert_eq!(
        plain,
        stdout(&["platforms", "--count-by", "launched", "--chart", "launched"])
    );
    assert_eq!(bar_lines(&plain).len(), 7);
    insta::assert_snapshot!(out);
}

#[test]
fn chart_errors_name_what_is_valid() {
    let err = fails(&["chips", "--chart", "name_zh"], 2);
    assert!(
        err.contains("--chart needs a numeric column") && err.contains("int8_tops"),
        "{err}"
    );
    let err = fails(&["chips", "--chart", "int8_tops", "--format", "csv"], 2);
    assert!(err.contains("--chart draws instead of the table"), "{err}");
    fails(&["chips", "--log"], 2);
    let err = fails(
        &["platforms", "--count-by", "level", "--chart", "launched"],
        2,
    );
    assert!(err.contains("--chart level"), "{err}");
    // --chart alone, or a misspelt field, names what these rows can draw: their own
    // numeric columns (never another table's), or that they have none.
    let err = fails(&["chips", "--chart"], 2);
    assert_holds(
        &err,
        &["numeric: process_nm, int8_tops, fp16_tflops, power_w"],
    );
    let err = fails(&["chips", "--chart", "int8"], 2);
    assert_holds(&err, &["did you mean int8_tops?", "numeric: process_nm"]);
    let err = fails(&["models", "--chart"], 2);
    assert!(
        err.contains("params") && !err.contains("int8_tops"),
        "{err}"
    );
    let err = fails(&["report", "--errata", "--chart"], 2);
    assert!(!err.contains("int8_tops"), "{err}");
    // --columns with --chart is said first, before which column to draw.
    let err = fails(&["chips", "--columns", "id,name_en", "--chart"], 2);
    assert_holds(&err, &["takes no --columns"]);
    // A computed column with no number in it is not offered.
    let err = fails(&["sql", "SELECT 'a' AS x WHERE 0", "--chart"], 2);
    assert_holds(&err, &["these rows have no numeric column"]);
    let err = fails(&["sql", "SELECT 'a' AS x", "--chart"], 2);
    assert_holds(
        &err,
        &[
            "these rows have no numeric column",
            "--count-by FIELD --chart",
        ],
    );
}

#[test]
fn chart_svg_has_a_bar_per_row_labels_in_both_languages_and_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("models.svg");
    stdout(&[
        "models",
        "--chart",
        "params",
        "--log",
        "-o",
        file.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&file).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("class") == Some("bar"))
        .collect();
    assert_eq!(bars.len(), 10);
    let texts = |class: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("class") == Some(class))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    };
    let labels = texts("label");
    assert!(
        labels.contains(&"悟道 2.0 WuDao 2.0".to_string()),
        "{labels:?}"
    );
    assert!(labels.contains(&"GPT-3".to_string()), "{labels:?}");
    assert!(texts("value").contains(&"≥100B".to_string()));
    let sources = texts("source").join("\n");
    crate::assert_holds(&sources, &["人工智能基础设施发展态势报告(2021年)"]);
    assert!(sources.contains("p.20"), "{sources}");
    assert_eq!(listing(dir.path()), ["models.svg"]);
    let err = fails(
        &[
            "chips",
            "--output",
            dir.path().join("x.svg").to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("add --chart"), "{err}");
}

#[test]
fn tables_show_human_numbers_and_csv_raw_ones() {
    assert_holds(&sh("models --min-params 1T"), &["1.75万亿", "10万亿"]);
    assert_holds(&sh("models --min-params 1T --lang en"), &["1.75T", "10T"]);
    assert_holds(
        &sh("frameworks --lang en --limit 1"),
        &["161,000", "≥121,320"],
    );
    let csv = stdout(&[
        "models",
        "--min-params",
        "1T",
        "--format",
        "csv",
        "-c",
        "params",
    ]);
    assert_eq!(
        csv,
        "params\n1600000000000\n1750000000000\n10000000000000\n"
    );
    // Years stay years.
    assert!(stdout(&["platforms", "--launched", "2015"]).contains(" 2015 "));
}

#[test]
fn colour_follows_the_flag() {
    let always = stdout(&["--color", "always", "chips", "--limit", "1"]);
    assert!(always.contains("\x1b["), "{always}");
    let never = stdout(&["--color", "never", "chips", "--limit", "1"]);
    assert!(!never.contains('\x1b'));
    // Piped output (as here) is plain by default.
    assert!(!stdout(&["chips", "--limit", "1"]).contains('\x1b'));
    let chart = stdout(&["chips", "--chart", "int8_tops", "--color", "always"]);
    assert!(chart.contains("\x1b[36m"), "{chart}");
    fails(&["--color", "sometimes", "chips"], 2);
}

/// Rows of every table, as JSON text, from the given data source arguments.
fn everything(source: &[&str]) -> BTreeMap<String, String> {
    aiinfra::db::contract::TABLES
        .iter()
        .map(|t| {
            let sql = format!("SELECT * FROM {} ORDER BY id", t.name);
            let mut args = source.to_vec();
            args.extend(["sql", &sql, "--format", "json"]);
            (t.name.to_string(), stdout(&args))
        })
        .collect()
}

#[test]
fn export_csv_loads_back_as_the_same_knowledge_base() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let said = aiinfra()
        .args(["db", "export", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(said.status.success());
    assert!(String::from_utf8_lossy(&said.stderr).starts_with(&format!(
        "wrote {} tables",
        aiinfra::db::contract::TABLES.len()
    )));
    let mut files = listing(&out);
    files.retain(|f| f != "README.md" && f != "MANIFEST.sha256");
    assert_eq!(files.len(), aiinfra::db::contract::every_table().count());
    assert_eq!(
        everything(&["--seed-dir", out.to_str().unwrap()]),
        everything(&[])
    );
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains("## chips.csv") && readme.contains("| int8_tops |"),
        "{readme}"
    );
    assert!(readme.contains("TOPS"));
}

#[test]
fn export_json_and_excel() {
    let dir = tempfile::tempdir().unwrap();
    let json_dir = dir.path().join("json");
    stdout(&["db", "export", json_dir.to_str().unwrap(), "-f", "json"]);
    let chips: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(json_dir.join("chips.json")).unwrap())
            .unwrap();
    assert_eq!(chips.len(), 5);
    assert_eq!(chips[0]["int8_tops"], serde_json::json!(640));
    let frameworks: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(json_dir.join("frameworks.json")).unwrap())
            .unwrap();
    assert_eq!(frameworks[0]["open_source"], serde_json::json!(true));
    let excel = dir.path().join("excel");
    stdout(&["db", "export", excel.to_str().unwrap(), "--excel"]);
    let bytes = std::fs::read(excel.join("chips.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFid,") && bytes.windows(2).any(|w| w == b"\r\n"));
    fails(
        &[
            "db",
            "export",
            excel.to_str().unwrap(),
            "--format",
            "json",
            "--excel",
        ],
        2,
    );
}

/// `db build NAME --datasette` in a new folder: the folder, and what it said.
fn built_for_datasette(name: &str) -> (crate::Env, String) {
    let env = crate::Env::new();
    let said = env.run(&["db", "build", name, "--datasette"]).outcome();
    assert_eq!(said.code, Some(0), "{}", said.stderr);
    (env, said.stderr)
}

#[test]
fn datasette_metadata_describes_every_table_and_column() {
    let (env, _) = built_for_datasette("kb.db");
    let meta: serde_json::Value = serde_json::from_str(&env.read("kb.db.metadata.json")).unwrap();
    assert!(meta["title"].as_str().unwrap().contains("aiinfra"));
    assert!(
        meta["source"]
            .as_str()
            .unwrap()
            .contains("人工智能基础设施发展态势报告")
    );
    assert!(meta["license"].as_str().is_some());
    let tables = &meta["databases"]["kb"]["tables"];
    for t in aiinfra::db::contract::TABLES {
        assert!(tables[t.name]["description"].is_string(), "{}", t.name);
        for c in t.columns {
            assert!(
                tables[t.name]["columns"][c.name].is_string(),
                "{}.{}",
                t.name,
                c.name
            );
        }
    }
    assert!(
        tables["chips"]["columns"]["int8_tops"]
            .as_str()
            .unwrap()
            .contains("TOPS")
    );
}

/// Issue 18: the file built for Datasette holds a trigram FTS5 index over the
/// passages, as Datasette finds one (`content="passages"`, the passages' rowid), sound
/// and indexing every passage: a term of three or more characters finds the passages
/// that hold it, a shorter one nothing. A plain build, a dump and an export have none.
#[test]
fn datasette_file_holds_a_search_index_of_the_passages() {
    let (env, said) = built_for_datasette("kb.db");
    assert!(said.contains("a search index of the passages"), "{said}");
    let conn = rusqlite::Connection::open(env.path("kb.db")).unwrap();
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'passages_fts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_holds(&sql, &["fts5", "content=\"passages\"", "trigram"]);
    conn.execute_batch(
        "INSERT INTO passages_fts (passages_fts, rank) VALUES ('integrity-check', 1)",
    )
    .unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let found = |term: &str| {
        count(&format!(
            "SELECT count(*) FROM passages WHERE rowid IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH '\"{term}\"')"
        ))
    };
    let holding = |term: &str| {
        count(&format!(
            "SELECT count(*) FROM passages WHERE instr(text, '{term}') > 0"
        ))
    };
    assert!(holding("智能计算") > 0);
    assert_eq!(found("智能计算"), holding("智能计算"));
    assert_eq!(found("TOPS"), holding("TOPS"));
    assert!(holding("算力") > 0);
    assert_eq!(found("算力"), 0, "a two-character term finds nothing");
    // aiinfra reads the file, and db check proves the index.
    env.ok(&["--db", "kb.db", "chips", "--vendor", "华为"]);
    env.ok(&["--db", "kb.db", "db", "check"]);
    // In write-ahead-log mode too (its index is checked in a copy in memory).
    let wal = env.path("wal.db");
    std::fs::copy(env.path("kb.db"), &wal).unwrap();
    let mode: String = rusqlite::Connection::open(&wal)
        .unwrap()
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    env.ok(&["--db", "wal.db", "db", "check"]);
    // Nowhere else: a plain build, a dump and an export of this file.
    let plain = env.built_db("plain.db");
    let none = rusqlite::Connection::open(&plain)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%fts%'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    assert_eq!(none, 0);
    let dump = env.ok(&["--db", "kb.db", "db", "dump"]);
    assert!(!dump.contains("passages_fts"), "the dump holds the index");
    let copy = rusqlite::Connection::open_in_memory().unwrap();
    copy.execute_batch(&dump).unwrap();
    env.ok(&["--db", "kb.db", "db", "export", "out"]);
    assert!(!env.listing("out").iter().any(|f| f.contains("fts")));
}

/// The metadata makes what Datasette lists and counts what aiinfra counts: the data
/// tables and the passages; the rest is hidden, and the passages search the index.
#[test]
fn datasette_metadata_hides_what_aiinfra_does_not_count() {
    let (env, said) = built_for_datasette("kb.db");
    let meta: serde_json::Value = serde_json::from_str(&env.read("kb.db.metadata.json")).unwrap();
    let tables = meta["databases"]["kb"]["tables"].as_object().unwrap();
    let conn = rusqlite::Connection::open(env.path("kb.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap();
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut shown = Vec::new();
    let mut rows = 0;
    for name in &names {
        let hidden = tables[name.as_str()]["hidden"] == serde_json::Value::Bool(true);
        if !hidden {
            shown.push(name.as_str());
            rows += conn
                .query_row(&format!("SELECT count(*) FROM {name}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .unwrap();
        }
    }
    let mut counted: Vec<&str> = aiinfra::db::contract::TABLES
        .iter()
        .map(|t| t.name)
        .chain(["passages"])
        .collect();
    counted.sort();
    assert_eq!(shown, counted);
    // "13 tables, 361 rows and 212 passages of the report": Datasette's 14 tables and
    // their rows are those tables and the passages.
    let numbers: Vec<i64> = said
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .take(3)
        .collect();
    assert_eq!(shown.len() as i64, numbers[0] + 1, "{said}");
    assert_eq!(rows, numbers[1] + numbers[2], "{said}");
    // The README's example is these numbers.
    let readme = include_str!("../../README.md")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let (t, r, p) = (numbers[0], numbers[1], numbers[2]);
    assert_holds(
        &readme,
        &[
            &format!("aiinfra says \"{t} tables, {r} rows and {p} passages of the report\""),
            &format!(
                "Datasette's home page says \"{} rows in {} tables\"",
                r + p,
                t + 1
            ),
            &format!("({t} + 1 = {}; {r} + {p} = {})", t + 1, r + p),
        ],
    );
    for hidden in [
        "aiinfra_meta",
        "row_passages",
        "passages_fts",
        "passages_fts_data",
    ] {
        assert_eq!(tables[hidden]["hidden"], true, "{hidden}");
    }
    assert_eq!(tables["passages"]["fts_table"], "passages_fts");
    assert_holds(
        tables["passages"]["description"].as_str().unwrap(),
        &["3 or more characters"],
    );
}

/// A build without `--datasette` over a `--datasette` file says the metadata and
/// launcher beside it are from the build it replaced, and keeps them aiinfra's: a later
/// `--datasette` build replaces them without --force, unless someone edited one.
#[test]
fn a_plain_build_over_a_datasette_file_names_what_it_left_beside_it() {
    let (env, _) = built_for_datasette("kb.db");
    let said = env.run(&["db", "build", "kb.db"]).outcome();
    assert_eq!(said.code, Some(0), "{}", said.stderr);
    assert_holds(
        &said.stderr,
        &[
            "kb.db.metadata.json and kb.db.datasette.sh beside it are from an earlier --datasette build",
            "build with --datasette",
        ],
    );
    let again = env.run(&["db", "build", "kb.db", "--datasette"]).outcome();
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    // Once more plain, with the launcher edited: only the metadata is named, and the
    // edited launcher is not replaced.
    env.run(&["db", "build", "kb.db"]).ok();
    let launcher = env.path("kb.db.datasette.sh");
    let mut edited = std::fs::read_to_string(&launcher).unwrap();
    edited.push_str("# mine\n");
    std::fs::write(&launcher, &edited).unwrap();
    let said = env.run(&["db", "build", "kb.db"]).outcome();
    assert_eq!(said.code, Some(0), "{}", said.stderr);
    assert_holds(&said.stderr, &["kb.db.metadata.json beside it is from"]);
    assert!(!said.stderr.contains("datasette.sh"), "{}", said.stderr);
    env.fails(&["db", "build", "kb.db", "--datasette"], 2);
    assert_eq!(std::fs::read_to_string(&launcher).unwrap(), edited);
}

/// `--db` reads the file with its index, and only that: another table, a second
/// index, or the index made otherwise is refused before anything runs.
#[test]
fn a_datasette_file_changed_beside_its_index_is_refused() {
    for (change, what) in [
        (
            "CREATE TABLE extra (x)",
            "a table \"extra\" that aiinfra's schema does not have",
        ),
        (
            "CREATE VIRTUAL TABLE chips_fts USING fts5(name_zh, content=\"chips\")",
            "a table \"chips_fts\" that aiinfra's schema does not have",
        ),
        (
            "DROP TABLE passages_fts; CREATE VIRTUAL TABLE passages_fts USING fts5(text, content=\"passages\")",
            "a table \"passages_fts\" that differs from aiinfra's",
        ),
        (
            "CREATE TRIGGER t AFTER INSERT ON passages BEGIN DELETE FROM chips; END",
            "a trigger \"t\" that aiinfra's schema does not have",
        ),
    ] {
        let (env, _) = built_for_datasette("kb.db");
        rusqlite::Connection::open(env.path("kb.db"))
            .unwrap()
            .execute_batch(change)
            .unwrap();
        for args in [
            &["--db", "kb.db", "chips"][..],
            &["--db", "kb.db", "db", "check"],
        ] {
            let err = env.fails(args, 1);
            assert!(err.contains(what), "{change}: {err}");
            // The remedy makes the file again as it was made: for Datasette.
            assert!(
                err.contains("aiinfra db build kb.db --datasette"),
                "{change}: {err}"
            );
        }
    }
}

/// `db check` finds an index that no longer indexes exactly the passages, and says
/// which passage and how to rebuild.
#[test]
fn db_check_finds_a_search_index_that_disagrees_with_the_passages() {
    let (env, _) = built_for_datasette("kb.db");
    let conn = rusqlite::Connection::open(env.path("kb.db")).unwrap();
    let id: String = conn
        .query_row("SELECT id FROM passages WHERE rowid = 40", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch("DELETE FROM passages_fts WHERE rowid = 40")
        .unwrap();
    drop(conn);
    // Every other command still reads it: aiinfra's own search does not use the index.
    env.ok(&["--db", "kb.db", "search", "华为"]);
    let err = env.fails(&["--db", "kb.db", "db", "check"], 1);
    assert_holds(
        &err,
        &[
            "search index for Datasette (passages_fts) does not agree with its passages",
            &format!("passage \"{id}\" (rowid 40) is not in the index"),
            "aiinfra db build kb.db --datasette",
        ],
    );
}

#[test]
fn datasette_launcher_names_both_files_and_refuses_a_renamed_one() {
    use std::os::unix::fs::PermissionsExt;
    let (env, said) = built_for_datasette("my kb.db");
    let file = env.path("my kb.db");
    assert!(said.contains("serve them with: sh '"), "{said}");
    let script_path = env.path("my kb.db.datasette.sh");
    let script = std::fs::read_to_string(&script_path).unwrap();
    assert!(
        script
            .contains("exec datasette serve 'my kb.db' --metadata 'my kb.db.metadata.json' \"$@\""),
        "{script}"
    );
    let mode = std::fs::metadata(&script_path)
        .unwrap()
        .permissions()
        .mode();
    assert!(mode & 0o100 != 0, "executable: {mode:o}");
    // Renamed, the database would lose its descriptions: the launcher says so.
    std::fs::rename(&file, env.path("other.db")).unwrap();
    let out = std::process::Command::new("sh")
        .arg(&script_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("my kb.db is not beside this script"), "{err}");
    // A name that begins with '-' is given as ./-name, so no command takes it for an
    // option.
    let dash = env.path("-x.db");
    let out = crate::Run::new(&["db", "build", "--datasette", "--", "-x.db"])
        .dir(env.root())
        .outcome();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    crate::assert_holds(&out.stderr, &["sh ./-x.db.datasette.sh"]);
    let script = std::fs::read_to_string(env.path("-x.db.datasette.sh")).unwrap();
    crate::assert_holds(
        &script,
        &["datasette serve ./-x.db --metadata ./-x.db.metadata.json"],
    );
    assert!(dash.exists());
    // A name a script cannot hold safely is refused, and nothing is written.
    let bad = env.path("x\nrm -rf y\n.db");
    let err = crate::fails(&["db", "build", bad.to_str().unwrap(), "--datasette"], 2);
    assert!(err.contains("control character"), "{err}");
    assert!(!bad.exists());
}

#[test]
fn dump_for_sqlite_recreates_an_equal_database() {
    let sql = stdout(&["db", "dump"]);
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(&sql).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kb.db");
    stdout(&["db", "build", file.to_str().unwrap()]);
    let built = rusqlite::Connection::open(&file).unwrap();
    let dump_of = |c: &rusqlite::Connection, table: &str| -> Vec<String> {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            Ok((0..n)
                .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                .collect::<Vec<_>>()
                .join("|"))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
    };
    for t in aiinfra::db::contract::every_table()
        .map(|t| t.name)
        .chain(["aiinfra_meta"])
    {
        assert_eq!(dump_of(&conn, t), dump_of(&built, t), "{t}");
    }
    // The schema too, entry for entry, with its checks and links (the built-in data
    // holds a lean copy, which a dump must not carry).
    let schema = |c: &rusqlite::Connection| aiinfra::db::migrate::entries(c, "main").unwrap();
    assert_eq!(schema(&conn), schema(&built));
    assert!(sql.contains("CHECK (") && sql.contains("REFERENCES sources (id)"));
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, i64::from(aiinfra::db::migrate::latest_version()));
    let view: i64 = conn
        .query_row("SELECT count(*) FROM citations", [], |r| r.get(0))
        .unwrap();
    assert!(view > 300);
}

#[test]
fn dump_for_postgres_has_types_constraints_and_every_row() {
    let sql = stdout(&["db", "dump", "--dialect", "postgres"]);
    assert!(sql.starts_with("-- aiinfra") && sql.trim_end().ends_with("COMMIT;"));
    let squeezed = sql
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(squeezed.contains("CREATE TABLE chips (\n id text PRIMARY KEY NOT NULL"));
    assert!(squeezed.contains("int8_tops double precision CHECK (int8_tops >= 0)"));
    assert!(squeezed.contains("params bigint CHECK (params > 0)"));
    assert!(squeezed.contains("open_source boolean"));
    assert!(sql.contains("REFERENCES regions (id) DEFERRABLE INITIALLY DEFERRED"));
    assert!(sql.contains("CHECK (status IN ('operating', 'under_construction', 'planned'))"));
    let rows: usize = csv_rows(&stdout(&["db", "check", "--format", "csv"]))
        .iter()
        .map(|r| r["rows"].parse::<usize>().unwrap())
        .sum();
    let count = |table: &str| -> usize {
        stdout(&[
            "sql",
            &format!("SELECT count(*) AS n FROM {table}"),
            "-f",
            "csv",
        ])
        .lines()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
    };
    assert_eq!(
        sql.matches("\nINSERT INTO ").count(),
        rows + count("passages") + count("row_passages") + 5,
        "every row, passage and link, and the 5 meta rows"
    );
    assert!(sql.contains("TRUE") && !sql.contains("INSERT INTO frameworks (id, name_zh, name_en, country, org_zh, org_en, github_stars, activity, activity_lower_bound, contributors, open_source, kind, region_id, source_id, quote, note) VALUES ('tensorflow', 'TensorFlow', 'TensorFlow', 'US', '谷歌', 'Google', 161000, 121320, 1"));
}

#[test]
fn completions_and_manual_pages() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        // The script calls aiinfra back, which knows the commands and their columns.
        let out = stdout(&["completions", shell]);
        assert!(
            out.contains("AIINFRA_COMPLETE") && out.contains(env!("CARGO_BIN_EXE_aiinfra")),
            "{shell}: {out}"
        );
    }
    fails(&["completions", "tcsh"], 2);
    let page = stdout(&["man"]);
    assert!(
        page.contains(".TH aiinfra 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    let dir = tempfile::tempdir().unwrap();
    let out = aiinfra()
        .args(["man", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let pages = listing(dir.path());
    for p in [
        "aiinfra.1",
        "aiinfra-chips.1",
        "aiinfra-db.1",
        "aiinfra-db-build.1",
        "aiinfra-search.1",
    ] {
        assert!(pages.contains(&p.to_string()), "{p} missing from {pages:?}");
    }
    let chips = std::fs::read_to_string(dir.path().join("aiinfra-chips.1")).unwrap();
    assert!(chips.contains("min\\-int8"), "{chips}");
    // Every page ends with its examples as literal lines, none under "EXTRA".
    for p in &pages {
        let page = std::fs::read_to_string(dir.path().join(p)).unwrap();
        assert!(!page.contains(".SH EXTRA"), "{p}");
        let examples = page
            .split_once(".SH EXAMPLES\n")
            .unwrap_or_else(|| panic!("{p} has no EXAMPLES"))
            .1;
        assert!(examples.contains(".nf\naiinfra "), "{p}: {examples}");
    }
    crate::assert_holds(&chips, &[".nf\naiinfra chips \\-\\-min\\-int8 200\n"]);
    // Prose after the examples is a paragraph, not an example; every page has the version.
    let sql = std::fs::read_to_string(dir.path().join("aiinfra-sql.1")).unwrap();
    let after = sql.split_once(".fi\n").unwrap().1;
    assert!(after.starts_with(".PP\nWrites, DDL"), "{sql}");
    assert!(
        sql.contains(&format!("\"aiinfra-sql {}\"", env!("CARGO_PKG_VERSION"))),
        "{sql}"
    );
}

#[test]
fn version_names_the_data_and_a_files_origin() {
    let out = stdout(&["--version"]);
    assert!(
        out.starts_with(&format!("aiinfra {}\n", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    assert!(
        out.contains("人工智能基础设施发展态势报告(2021年)") && out.contains("seeds sha256:"),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kb.db");
    stdout(&["db", "build", file.to_str().unwrap()]);
    let with_db = stdout(&["--db", file.to_str().unwrap(), "--version"]);
    assert!(
        with_db.contains("written by aiinfra") && with_db.contains("from built-in seeds"),
        "{with_db}"
    );
    let sum = out
        .lines()
        .nth(1)
        .unwrap()
        .rsplit("sha256:")
        .next()
        .unwrap();
    assert!(with_db.lines().last().unwrap().ends_with(sum), "{with_db}");
    let meta = json(&[
        "--db",
        file.to_str().unwrap(),
        "sql",
        "SELECT key, value FROM aiinfra_meta",
    ]);
    assert_eq!(meta.len(), 5);
    assert!(fails(&[], 2).contains("give a command"));
}
