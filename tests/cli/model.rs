//! One command model (issue 10): every command takes the same options, resolves names
//! the same way, and meets the same mistake with the same message and exit code. One
//! test per row of the table, then the options every printing command shares.

use crate::{assert_holds, built_db, column, csv_rows, fails, json, sh, stdout};

#[test]
fn model_subject_takes_chinese_or_english_names() {
    let zh = column(&["facts", "--subject", "深圳"], "id");
    assert!(zh.len() >= 10, "{zh:?}");
    assert_eq!(column(&["facts", "--subject", "shenzhen"], "id"), zh);
    assert_eq!(column(&["facts", "--subject", "Shenzhen"], "id"), zh);
    let err = fails(&["facts", "--subject", "深证"], 2);
    assert!(err.contains("no subject matches"), "{err}");
}

#[test]
fn model_regions_take_official_names() {
    let want = stdout(&["regions", "guangdong", "-f", "csv"]);
    assert_eq!(stdout(&["regions", "广东省", "-f", "csv"]), want);
    assert_eq!(
        stdout(&["regions", "Guangdong Province", "-f", "csv"]),
        want
    );
    assert_eq!(
        stdout(&["regions", "上海市", "-f", "csv"]),
        stdout(&["regions", "Shanghai Municipality", "-f", "csv"])
    );
    let xj = csv_rows(&stdout(&["regions", "新疆维吾尔自治区", "-f", "csv"]));
    assert_eq!(xj[0]["id"], "xinjiang");
    // The same resolver serves filters: --city takes an official name too.
    assert_eq!(
        column(&["centers", "--city", "广东省"], "id"),
        column(&["centers", "--city", "guangdong"], "id")
    );
}

#[test]
fn model_show_takes_ids_in_any_case_and_names() {
    for key in ["ASCEND-910", "昇腾910", "Ascend 910"] {
        assert_eq!(json(&["show", key])[0]["id"], "ascend-910", "{key}");
    }
    let err = fails(&["show", "kunlun2x"], 2);
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn model_show_takes_lang() {
    let out = stdout(&["show", "m6", "--lang", "en"]);
    assert!(out.contains("org_en") && !out.contains("org_zh"), "{out}");
}

#[test]
fn model_entity_takes_a_command_or_a_table_name() {
    let by_command = column(&["search", "算力", "--entity", "centers"], "id");
    assert!(!by_command.is_empty());
    assert_eq!(
        column(&["search", "算力", "--entity", "compute_centers"], "id"),
        by_command
    );
    let err = fails(&["search", "算力", "--entity", "center"], 2);
    assert!(err.contains("did you mean centers?"), "{err}");
}

#[test]
fn model_sql_takes_the_row_options() {
    assert_eq!(
        stdout(&[
            "sql",
            "SELECT id FROM chips ORDER BY id DESC",
            "--limit",
            "1",
            "-f",
            "csv"
        ]),
        "id\nsiyuan-370\n"
    );
    let out = stdout(&[
        "sql",
        "SELECT id, int8_tops FROM chips",
        "--sort",
        "int8_tops",
        "--desc",
        "--columns",
        "int8_tops",
        "-f",
        "csv",
    ]);
    assert_eq!(out, "int8_tops\n640\n256\n256\n22\n\"\"\n");
    let facet = stdout(&[
        "sql",
        "SELECT kind FROM chips",
        "--count-by",
        "kind",
        "-f",
        "csv",
    ]);
    assert_eq!(facet, "kind,count\ntraining,3\ninference,1\n,1\n");
    let chart = stdout(&[
        "sql",
        "SELECT id, int8_tops FROM chips",
        "--chart",
        "int8_tops",
    ]);
    assert!(chart.starts_with("sql: int8_tops (TOPS)\n"), "{chart}");
}

#[test]
fn model_sql_suggests_tables() {
    let err = fails(&["sql", "SELECT * FROM chip"], 2);
    crate::assert_holds(&err, &["no such table: chip; did you mean chips?"]);
}

#[test]
fn model_columns_keep_exactly_the_columns_asked_for() {
    assert_holds(
        &sh("chips --columns id,name_zh,name_en --limit 1"),
        &["name_zh", "name_en"],
    );
    assert_holds(
        &sh("apollo --columns id,partner_en --lang zh"),
        &["partner_en", "King Long"],
    );
}

#[test]
fn model_suggestions_follow_lang() {
    let zh = fails(&["chips", "--count-by", "vendor"], 2);
    assert!(zh.contains("did you mean vendor_zh?"), "{zh}");
    let en = fails(&["chips", "--count-by", "vendor", "--lang", "en"], 2);
    assert!(en.contains("did you mean vendor_en?"), "{en}");
}

#[test]
fn model_the_same_mistake_exits_the_same_way() {
    for args in [
        &["regions", " "][..],
        &["search", " "],
        &["show", " "],
        &["centers", "--city", " "],
        &["chips", "--vendor", " "],
    ] {
        fails(args, 2);
    }
}

#[test]
fn model_a_damaged_file_reads_the_same_in_every_command() {
    let (dir, good) = built_db();
    let bytes = std::fs::read(&good).unwrap();
    let damaged = dir.path().join("damaged.db");
    // Keep the header and the schema page; damage the pages that hold the rows.
    let mut broken = bytes.clone();
    for b in broken.iter_mut().skip(4096 * 2).step_by(7) {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &broken).unwrap();
    let db = damaged.to_str().unwrap();
    let mut messages = Vec::new();
    for args in [
        &["--db", db, "chips"][..],
        &["--db", db, "search", "华为"],
        &["--db", db, "show", "ascend-910"],
        &["--db", db, "sql", "SELECT * FROM facts"],
    ] {
        let err = fails(args, 1);
        assert!(err.contains("is damaged"), "{args:?}: {err}");
        assert!(!err.contains("Error code"), "{args:?}: {err}");
        messages.push(err);
    }
    assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
}

#[test]
fn model_every_printing_command_takes_format_output_and_lang() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["show", "m6"][..],
        &["search", "华为"],
        &["regions", "深圳"],
        &["sources"],
        &["schema", "chips"],
        &["db", "check"],
        &["report", "--errata"],
        &["sql", "SELECT 1 AS one"],
    ] {
        let file = dir.path().join("out.json");
        let mut with = args.to_vec();
        let path = file.to_str().unwrap();
        with.extend(["--lang", "en", "--output", path]);
        stdout(&with);
        let parsed: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert!(parsed.is_array(), "{args:?}");
        let mut limited = args.to_vec();
        limited.extend(["--limit", "1", "-f", "jsonl"]);
        assert_eq!(stdout(&limited).lines().count(), 1, "{args:?}");
    }
}
