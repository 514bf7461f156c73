//! Every number accounted for (issue 18, item 5): each number the report states is held
//! by a row or listed in `report/uncaptured.csv` with why it is not a row; `db check`
//! fails, naming passage and number, on one that is neither and on a stale line of the
//! list; `report ID --numbers` marks each number with its holders.

use std::collections::BTreeMap;
use std::path::Path;

use unicode_width::UnicodeWidthStr;

use crate::{Run, assert_holds, csv_rows, fails, seed_copy, stdout};

/// Every stated number as `report --numbers` lists it, one row each.
fn numbers(args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut all = args.to_vec();
    all.extend(["report", "--numbers", "--format", "csv"]);
    csv_rows(&stdout(&all))
}

/// The built-in list of uncaptured numbers.
fn list() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("report/uncaptured.csv"))
        .unwrap()
}

/// `--seed-dir DIR db check …`: expect exit 1; stderr.
fn check_fails(seeds: &Path, extra: &[&str]) -> String {
    let mut args = vec!["--seed-dir", seeds.to_str().unwrap(), "db", "check"];
    args.extend(extra);
    fails(&args, 1)
}

#[test]
fn numbers_every_stated_number_is_held_or_listed_once() {
    let rows = numbers(&[]);
    assert!(rows.len() > 300, "{} numbers", rows.len());
    let listed = csv_rows(&list());
    let mut uncaptured = 0;
    for r in &rows {
        match r["account"].as_str() {
            "held" => assert!(
                !r["held_by"].is_empty() && r["why"] == "held" && r["reason"].is_empty(),
                "{r:?}"
            ),
            "uncaptured" => {
                uncaptured += 1;
                assert!(r["held_by"].is_empty() && !r["reason"].is_empty(), "{r:?}");
                // Its line in the list: the same passage, number and kind.
                assert!(
                    listed.iter().any(|l| l["passage"] == r["passage"]
                        && l["number"] == r["number"]
                        && l["kind"] == r["kind"]
                        && l["why"] == r["why"]
                        && l["reason"] == r["reason"]),
                    "{r:?}"
                );
            }
            other => panic!("{other}: {r:?}"),
        }
        // A number has a value, or a date, or (a range) neither, never both.
        assert!(r["value"].is_empty() || r["date"].is_empty(), "{r:?}");
    }
    // Each line of the list stands for one number.
    assert_eq!(uncaptured, listed.len());
    // db check agrees, and json carries the same numbers.
    stdout(&["db", "check"]);
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&["report", "--numbers", "--format", "json"])).unwrap();
    assert_eq!(json.len(), rows.len());
    let gpt3 = json
        .iter()
        .find(|r| r["held_by"] == "gpt-3" && r["kind"] == "quantity")
        .unwrap();
    assert_eq!(gpt3["value"], serde_json::json!(175_000_000_000_u64));
    assert_eq!(gpt3["date"], serde_json::Value::Null);
    // The row options list the rows: a count by account is the same count.
    let counted = csv_rows(&stdout(&[
        "report",
        "--numbers",
        "--count-by",
        "account",
        "-f",
        "csv",
    ]));
    let held = rows.iter().filter(|r| r["account"] == "held").count();
    let want: BTreeMap<String, String> = [
        ("held".to_string(), held.to_string()),
        ("uncaptured".to_string(), uncaptured.to_string()),
    ]
    .into();
    let got: BTreeMap<String, String> = counted
        .into_iter()
        .map(|r| (r["account"].clone(), r["count"].clone()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn numbers_db_check_names_a_number_no_row_holds_any_more() {
    // Where 25087 stands, and the row that holds it.
    let rows = numbers(&[]);
    let items = rows
        .iter()
        .find(|r| r["number"] == "25087")
        .expect("the report states 25087");
    assert_eq!(items["held_by"], "fact-shenzhen-open-data-items");
    let seeds = seed_copy();
    let facts = seeds.path().join("facts.csv");
    let text = std::fs::read_to_string(&facts).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("fact-shenzhen-open-data-items,"))
        .collect();
    assert_eq!(kept.len() + 1, text.lines().count());
    std::fs::write(&facts, kept.join("\n") + "\n").unwrap();
    let err = check_fails(seeds.path(), &[]);
    assert_holds(
        &err,
        &[
            "1 problem accounting for the report's numbers",
            &format!(
                "{}: 25087 (quantity) is neither held by a row nor listed in report/uncaptured.csv",
                items["passage"]
            ),
        ],
    );
    // Every other command still reads the copy; report --numbers marks the number.
    let marked = numbers(&["--seed-dir", seeds.path().to_str().unwrap()]);
    let now = marked.iter().find(|r| r["number"] == "25087").unwrap();
    assert_eq!(now["account"], "unaccounted");
}

#[test]
fn numbers_a_listed_number_a_row_now_holds_is_stale() {
    // The first number listed as written in words, and its passage's text: a fact
    // quoting the passage with those words in its metric holds it.
    let rows = numbers(&[]);
    let listed = rows
        .iter()
        .find(|r| r["account"] == "uncaptured" && r["kind"] == "words")
        .unwrap();
    let passage = csv_rows(&stdout(&[
        "sql",
        &format!(
            "SELECT text, coalesce(source_id, 'sec-1') AS source_id FROM passages WHERE id = '{}'",
            listed["passage"]
        ),
        "-f",
        "csv",
    ]))
    .remove(0);
    let seeds = seed_copy();
    let facts = seeds.path().join("facts.csv");
    let mut text = std::fs::read_to_string(&facts).unwrap();
    let mut row = csv::Writer::from_writer(Vec::new());
    row.write_record([
        "fact-test-words",
        "cn",
        &listed["number"],
        "a test",
        &listed["value"],
        "things",
        "",
        "",
        "false",
        &passage["source_id"],
        &passage["text"],
        "",
    ])
    .unwrap();
    text.push_str(&String::from_utf8(row.into_inner().unwrap()).unwrap());
    std::fs::write(&facts, text).unwrap();
    let err = check_fails(seeds.path(), &[]);
    assert_holds(
        &err,
        &[
            &format!(
                "{} in {} is held by facts fact-test-words (metric_zh) (stale: drop the line)",
                listed["number"], listed["passage"]
            ),
            "report/uncaptured.csv:",
        ],
    );
}

#[test]
fn numbers_db_check_takes_another_list_and_names_its_stale_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("uncaptured.csv");
    let built_in = list();
    let mut lines: Vec<&str> = built_in.lines().collect();
    // Drop the first number listed: it is then neither held nor listed.
    let dropped = csv_rows(&built_in).remove(0);
    lines.remove(1);
    let mut text = lines.join("\n");
    text.push_str("\nsec-9.9.p1,5,quantity,frames,no such passage\n");
    text.push_str(&format!(
        "{},123456789,quantity,frames,no such number there\n",
        dropped["passage"]
    ));
    std::fs::write(&path, &text).unwrap();
    let n = text.lines().count();
    let err = fails(&["db", "check", "--uncaptured", path.to_str().unwrap()], 1);
    let shown = path.display().to_string();
    assert_holds(
        &err,
        &[
            "3 problems accounting for the report's numbers",
            &format!(
                "{shown}:{}: \"sec-9.9.p1\" is not a passage of the report (stale",
                n - 1
            ),
            &format!(
                "{shown}:{n}: {} states no number 123456789 (stale",
                dropped["passage"]
            ),
            &format!(
                "{}: {} ({}) is neither held by a row nor listed in {shown}",
                dropped["passage"], dropped["number"], dropped["kind"]
            ),
        ],
    );
    // A line without its reason is refused as such.
    std::fs::write(
        &path,
        "passage,number,kind,why,reason\nfront.p3,2022年1月,month,report,\n",
    )
    .unwrap();
    let err = fails(&["db", "check", "--uncaptured", path.to_str().unwrap()], 1);
    assert!(
        err.contains(&format!("{shown}:2: every field is needed")),
        "{err}"
    );
}

#[test]
fn report_numbers_marks_each_number_with_the_rows_that_hold_it() {
    let part = "sec-2.1.3";
    let rows: Vec<_> = numbers(&[])
        .into_iter()
        .filter(|r| r["passage"].starts_with(&format!("{part}.p")))
        .collect();
    assert!(!rows.is_empty());
    let text = Run::new(&["report", part, "--numbers", "--width", "80"]).ok();
    for line in text.lines() {
        assert!(line.width() <= 80, "wider than 80: {line}");
    }
    let held = rows.iter().filter(|r| r["account"] == "held").count();
    assert_holds(
        &text,
        &[
            &format!("{part} "),
            &format!(
                "{} numbers stated: {held} held by rows, {} listed uncaptured",
                rows.len(),
                rows.len() - held
            ),
        ],
    );
    // Each number is marked, and its holders named, in the order the passage prints
    // them (the marks count from 1 in each passage of running text).
    let mut at = 0;
    let mut k = 0;
    for (i, r) in rows.iter().enumerate() {
        k = if i > 0 && rows[i - 1]["passage"] == r["passage"] {
            k + 1
        } else {
            1
        };
        let mark = format!("[{k}]");
        let found = text[at..]
            .find(&mark)
            .unwrap_or_else(|| panic!("{mark}: {text}"));
        at += found + mark.len();
        for id in r["held_by"].split(", ").filter(|s| !s.is_empty()) {
            assert!(text.contains(id), "{id} is not named:\n{text}");
        }
    }
    // A number no row holds is marked uncaptured, with why.
    let all = numbers(&[]);
    let listed = all
        .iter()
        .find(|r| r["account"] == "uncaptured" && !r["passage"].starts_with("front."))
        .unwrap();
    let (part, _) = listed["passage"].rsplit_once(".p").unwrap();
    let text = stdout(&["report", part, "--numbers", "--wide"]);
    assert_holds(
        &text,
        &[&format!(
            "{}\tuncaptured ({}): {}",
            listed["number"], listed["why"], listed["reason"]
        )],
    );
    // A table's legend comes after its rows, which stay a table when piped.
    let table = stdout(&["report", "table-4", "--numbers"]);
    assert_holds(&table, &["ONEFLOW\t中\t一流科技\t2.8k[", "tensorflow"]);
    let legend = table.find("\ntable-4.p").unwrap();
    assert!(table[..legend].contains("ONEFLOW"), "{table}");
}
