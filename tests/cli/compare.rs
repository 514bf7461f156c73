//! Issue 20: `aiinfra compare ID ID …`, records of one table side by side, and places
//! as profiles. Expectations come from the program: each record's values from
//! `show`, a table's columns from `schema`, what a place holds from the lists.

use std::collections::BTreeMap;

use crate::{Env, assert_holds, csv_rows, fails, json, stdout};

/// `compare ARGS` as CSV, one row per attribute, by field.
fn compared(args: &[&str]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut all = vec!["compare"];
    all.extend(args);
    all.extend(["--format", "csv"]);
    csv_rows(&stdout(&all))
        .into_iter()
        .map(|r| {
            let field = r
                .get("field")
                .or_else(|| r.get("field_en"))
                .unwrap()
                .clone();
            (field, r)
        })
        .collect()
}

/// A record's fields as `show` gives them.
fn shown(id: &str) -> serde_json::Value {
    json(&["show", id]).remove(0)
}

#[test]
fn compare_records_side_by_side_in_the_contracts_order() {
    let out = stdout(&["compare", "昇腾910", "Ascend 310", "--format", "csv"]);
    let header = out.lines().next().unwrap();
    assert_eq!(
        header,
        "field,ascend-910,ascend-310,ascend-310/ascend-910,unit,meaning"
    );
    // Rows are the table's columns in the contract's order (as `schema` lists them),
    // then the page of each record's source.
    let fields: Vec<String> = csv_rows(&out)
        .into_iter()
        .map(|r| r["field"].clone())
        .collect();
    let mut columns: Vec<String> = csv_rows(&stdout(&["schema", "chips", "-f", "csv"]))
        .into_iter()
        .map(|r| r["column"].clone())
        .collect();
    columns.push("page".into());
    assert_eq!(fields, columns);
    // Each value is the record's own, and each number's ratio to the first record's.
    let rows = compared(&["ascend-910", "ascend-310"]);
    for (id, record) in [
        ("ascend-910", shown("ascend-910")),
        ("ascend-310", shown("ascend-310")),
    ] {
        for (field, value) in record.as_object().unwrap() {
            if let Some(row) = rows.get(field) {
                let want = match value {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                assert_eq!(row[id], want, "{id}.{field}");
            }
        }
    }
    let int8 = &rows["int8_tops"];
    let ratio: f64 = int8["ascend-310/ascend-910"].parse().unwrap();
    let exact =
        int8["ascend-310"].parse::<f64>().unwrap() / int8["ascend-910"].parse::<f64>().unwrap();
    assert!((ratio - exact).abs() / exact < 0.005, "{ratio} vs {exact}");
    assert_eq!(int8["unit"], "TOPS");
    assert!(!int8["meaning"].is_empty());
    // Text has no ratio; neither has the page.
    assert_eq!(rows["name_en"]["ascend-310/ascend-910"], "");
    assert_eq!(rows["page"]["ascend-310/ascend-910"], "");
    // Not even where the page is the table's own column (a source's).
    let rows = compared(&["table-3", "table-5"]);
    assert_eq!(rows["page"]["table-5/table-3"], "");
}

#[test]
fn compare_marks_qualifiers_and_writes_ratios_in_the_table() {
    let out = stdout(&[
        "compare", "gpt-3", "wudao-2", "m6", "--lang", "en", "--width", "80",
    ]);
    let rows = compared(&["gpt-3", "wudao-2", "m6"]);
    let params = &rows["params"];
    for id in ["wudao-2", "m6"] {
        let ratio = &params[&format!("{id}/gpt-3")];
        assert!(out.contains(&format!("×{ratio}")), "×{ratio}:\n{out}");
    }
    assert_holds(&out, &["175B", "1.75T ×10", "parameters"]);
    assert!(
        out.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80)
    );
    // A bound keeps its mark; csv keeps the number and the qualifier's own row. A
    // ratio of a bound is marked too: a lower bound against an exact number is a lower
    // bound (≥); a number against a lower bound is at most (≤); csv says so in the
    // qualifier's row, under the ratio.
    for (a, b, shown, qualifier) in [
        ("pangu-nlp", "gpt-3", "175B ×≤1.75", "at_most"),
        ("gpt-3", "pangu-nlp", "≥100B ×≥0.571", "at_least"),
    ] {
        let out = stdout(&["compare", a, b, "--lang", "en", "--width", "80"]);
        assert_holds(&out, &["≥100B", shown]);
        let rows = compared(&[a, b]);
        assert_eq!(rows["params_qualifier"]["pangu-nlp"], "at_least");
        assert_eq!(rows["params"]["pangu-nlp"], "100000000000");
        assert_eq!(rows["params_qualifier"][&format!("{b}/{a}")], qualifier);
    }
    // A unit given row by row: said once when shared, in each cell when not.
    let out = stdout(&[
        "compare",
        "eu-eurohpc-2018",
        "us-nsf-ai-institutes-2021",
        "--width",
        "100",
    ]);
    assert_holds(&out, &["80亿 EUR", "2.2亿 USD"]);
    let rows = compared(&["eu-eurohpc-2018", "us-nsf-ai-institutes-2021"]);
    assert_eq!(
        rows["amount"]["us-nsf-ai-institutes-2021/eu-eurohpc-2018"],
        ""
    );
}

#[test]
fn compare_places_as_profiles() {
    let places = ["shenzhen", "beijing", "shanghai"];
    let rows = compared(&["深圳", "北京", "上海"]);
    // What each place holds per table, as the lists count it with --region.
    for (list, field) in [
        ("centers", "centers"),
        ("pilot-zones", "pilot-zones"),
        ("platforms", "platforms"),
        ("policies", "policies"),
    ] {
        for place in places {
            let n = csv_rows(&stdout(&[list, "--region", place, "-f", "csv"])).len();
            assert_eq!(rows[field][place], n.to_string(), "{list} in {place}");
        }
    }
    // Each fact about a place is in its column once, with its citation.
    for place in places {
        let facts = csv_rows(&stdout(&[
            "sql",
            &format!("SELECT id, value FROM facts WHERE subject = '{place}'"),
            "-f",
            "csv",
        ]));
        assert_eq!(rows["facts"][place], facts.len().to_string());
        for fact in facts {
            let holding: Vec<_> = rows
                .values()
                .filter(|r| {
                    r["meaning"]
                        .strip_prefix("the facts ")
                        .is_some_and(|ids| ids.split(", ").any(|id| id == fact["id"]))
                })
                .collect();
            assert_eq!(holding.len(), 1, "{}", fact["id"]);
            assert_eq!(holding[0][place], fact["value"], "{}", fact["id"]);
            assert!(!holding[0]["page"].is_empty());
        }
    }
    // Places that share a metric share its row, with the ratio to the first.
    let items = &rows["Data items on the platform"];
    assert!(!items["shenzhen"].is_empty() && !items["shanghai"].is_empty());
    assert!(!items["shanghai/shenzhen"].is_empty());
    // A province counts what its cities hold.
    let rows = compared(&["广东", "浙江"]);
    let n = csv_rows(&stdout(&["centers", "--region", "广东", "-f", "csv"])).len();
    assert_eq!(rows["centers"]["guangdong"], n.to_string());
    assert!(n > 0);
    // The table shows the field in the language asked for.
    let zh = stdout(&["compare", "深圳", "北京", "上海", "--width", "80"]);
    let en = stdout(&[
        "compare", "深圳", "北京", "上海", "--width", "80", "--lang", "en",
    ]);
    assert_holds(&zh, &["field_zh", "开放数据项数量"]);
    assert_holds(&en, &["field_en", "Open data items"]);
}

#[test]
fn compare_in_every_format_keeps_one_row_per_attribute() {
    let csv = csv_rows(&stdout(&["compare", "gpt-3", "m6", "-f", "csv"]));
    let records = json(&["compare", "gpt-3", "m6"]);
    assert_eq!(records.len(), csv.len());
    assert_eq!(records[0]["field"], "id");
    let params = records.iter().find(|r| r["field"] == "params").unwrap();
    assert!(params["gpt-3"].is_number() && params["m6/gpt-3"].is_number());
    let jsonl = stdout(&["compare", "gpt-3", "m6", "-f", "jsonl"]);
    assert_eq!(jsonl.lines().count(), csv.len());
    let md = stdout(&["compare", "gpt-3", "m6", "-f", "markdown"]);
    assert_eq!(md.lines().count(), csv.len() + 2);
    // A workbook's first sheet holds the same rows, numbers as numbers.
    use calamine::Reader;
    let args = ["compare", "深圳", "北京", "上海"];
    let (_env, path) = Env::with_output(&args, "c.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let mut all = args.to_vec();
    all.extend(["-f", "csv"]);
    let csv = stdout(&all);
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header.join(","), csv.lines().next().unwrap());
    assert_eq!(range.rows().count(), csv_rows(&csv).len() + 1);
    let centers = range.rows().find(|r| r[1] == "centers").unwrap();
    assert!(matches!(
        centers[2],
        calamine::Data::Float(_) | calamine::Data::Int(_)
    ));
}

#[test]
fn compare_refuses_what_it_cannot_compare() {
    let err = fails(&["compare", "ascend-910"], 2);
    assert_holds(
        &err,
        &[
            "two records or more",
            "another record of chips",
            "aiinfra chips",
        ],
    );
    let err = fails(&["compare", "ascend-91", "ascend-310"], 2);
    assert_holds(&err, &["no record matches", "did you mean ascend-910"]);
    let err = fails(&["compare", "ascend-910", "昇腾910"], 2);
    assert_holds(&err, &["same record (ascend-910)", "two different records"]);
    let err = fails(&["compare", "ascend-910", "gpt-3", "深圳"], 2);
    assert_holds(
        &err,
        &[
            "one table",
            "ascend-910 (chips)",
            "gpt-3 (models)",
            "shenzhen (regions)",
        ],
    );
    fails(&["compare"], 2);
}
