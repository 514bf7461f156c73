//! The report ships with aiinfra (issue 9): its text and errata are in the repository,
//! quotes are checked against the corrected text with no file given, every row opens
//! onto its context, and the attribution travels with every export.

use crate::{assert_holds, fails, json, report_path, seeds_with, sh, sh_fails, stdout};

/// Whitespace folded to single spaces, as a reader sees text.
fn spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn report_prints_the_corrected_text_and_its_parts() {
    let all = sh("report");
    assert!(all.starts_with("CAICT 中国信通院"), "{}", &all[..100]);
    assert!(!all.contains("**") && !all.contains("<mark>") && !all.contains("毌"));
    assert_ne!(all, sh("report --raw"));
    let chips = sh("report sec-2.3.2");
    assert!(
        chips.starts_with("sec-2.3.2 2. 人工智能芯片算力性能大幅提升 (2.3.2 AI chip performance rises sharply), p.13\n"),
        "{chips}"
    );
    assert_holds(&chips, &["华为昇", "640 TOPS", "22TOPS"]);
    assert!(
        !chips.contains("3. 智能计算中心布局浪潮快速掀起"),
        "{chips}"
    );
    let table1 = sh("report table-1");
    assert_holds(
        &table1,
        &[
            "表1 八大先导区人工智能政策",
            "8\t济南-青岛\t2020年5月",
            "来源",
        ],
    );
    assert!(
        !table1.contains("40 AV") && !table1.contains("午"),
        "{table1}"
    );
    let rows = json(&["report", "footnote-2"]);
    assert_eq!(rows[0]["page"], serde_json::json!(8));
    assert!(rows[0]["text"].as_str().unwrap().starts_with('²'));
    let err = sh_fails("report table-7", 2);
    crate::assert_holds(
        &err,
        &["no source has the id \"table-7\"; did you mean table-6?"],
    );
}

#[test]
fn report_errata_are_listed_with_their_kinds() {
    let errata = json(&["report", "--errata"]);
    assert!(errata.len() >= 60, "{} errata", errata.len());
    for e in &errata {
        let kind = e["kind"].as_str().unwrap();
        assert!(
            [
                "misread",
                "table_cell",
                "split_number",
                "markup",
                "line_break",
                "restored"
            ]
            .contains(&kind),
            "{e}"
        );
        assert_ne!(e["raw"], e["corrected"], "{e}");
    }
    let kinds = sh("report --errata --count-by kind -f csv");
    assert!(kinds.lines().count() == 7, "{kinds}");
}

#[test]
fn report_no_quote_carries_an_extraction_error() {
    let quotes: Vec<String> = json(&["sql", "SELECT entity, id, quote FROM citations"])
        .iter()
        .map(|r| {
            format!(
                "{} {}: {}",
                r["entity"],
                r["id"],
                spaced(r["quote"].as_str().unwrap())
            )
        })
        .collect();
    assert!(quotes.len() > 300);
    // The garbage issue 9 names, and every erratum's raw text that differs from its
    // correction in more than spacing.
    let squeezed = |s: &str| s.split_whitespace().collect::<String>();
    let mut bad: Vec<String> = ["毌", "异腾", "干亿", "午 12 八", "**", "<mark>", "40 AV"]
        .map(String::from)
        .to_vec();
    for e in json(&["report", "--errata"]) {
        let (raw, corrected) = (e["raw"].as_str().unwrap(), e["corrected"].as_str().unwrap());
        if squeezed(raw) != squeezed(corrected) {
            bad.push(spaced(raw));
        }
    }
    for q in &quotes {
        for b in &bad {
            assert!(
                !q.contains(b.as_str()),
                "{q} carries the extraction's {b:?}"
            );
        }
        // A number split by a space inside it (`2. 6k`).
        let chars: Vec<char> = q.chars().collect();
        for w in chars.windows(3) {
            let split = w[0].is_ascii_digit() && w[1] == '.' && w[2] == ' ';
            assert!(!split, "{q} has a number split by a space");
        }
    }
}

#[test]
fn db_check_needs_no_file_and_names_a_row_whose_quote_is_not_there() {
    let out = sh("db check -f csv");
    for row in crate::csv_rows(&out) {
        assert_eq!(row["quoted"], row["found_in_report"], "{row:?}");
    }
    let (seeds, chips) = seeds_with("chips", "高达 640 TOPS", "高达 641 TOPS");
    let err = fails(
        &["--seed-dir", seeds.path().to_str().unwrap(), "db", "check"],
        1,
    );
    let shown = format!(
        "{}:2: chips ascend-910: quote not found in the report",
        chips.display()
    );
    assert!(err.contains(&shown), "{err}");
    // Another copy of the raw extraction gets the same errata; another text is refused.
    stdout(&["db", "check", "--report", report_path().to_str().unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "not the report").unwrap();
    let err = fails(&["db", "check", "--report", other.to_str().unwrap()], 1);
    assert!(err.contains("is not the text the errata correct"), "{err}");
}

#[test]
fn show_context_prints_the_paragraph_with_the_quote_marked() {
    let out = sh("show ascend-910 --context");
    assert_holds(
        &out,
        &[
            "sec-2.3.2 2. 人工智能芯片算力性能大幅提升 (2.3.2 AI chip performance rises sharply), p.13",
            "【华为昇",
            "640 TOPS】",
            "在训练芯片方面",
        ],
    );
    assert!(!out.contains('\x1b'), "no colour into a pipe");
    let coloured = sh("show ascend-910 --context --color always");
    assert!(coloured.contains("\x1b[1m【"), "{coloured}");
    let rows = json(&["show", "ascend-910", "--context"]);
    assert!(rows[0]["context"].as_str().unwrap().contains("【华为昇"));
}

#[test]
fn attribution_travels_with_the_data() {
    const SOURCE: &str = "来源:中国信息通信研究院和人工智能与经济社会研究中心";
    const TITLE: &str = "人工智能基础设施发展态势报告(2021年)";
    assert_holds(&sh("--version"), &[SOURCE]);
    assert_holds(&sh("--help"), &[SOURCE, TITLE]);
    for dialect in ["sqlite", "postgres"] {
        let dump = sh(&format!("db dump --dialect {dialect}"));
        let head: String = dump.lines().take(3).collect::<Vec<_>>().join("\n");
        assert_holds(&head, &[SOURCE, TITLE]);
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    stdout(&["db", "export", out.to_str().unwrap()]);
    assert_holds(
        &std::fs::read_to_string(out.join("README.md")).unwrap(),
        &[SOURCE, TITLE],
    );
    let db = dir.path().join("kb.db");
    stdout(&["db", "build", db.to_str().unwrap(), "--datasette"]);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("kb.db.metadata.json")).unwrap())
            .unwrap();
    assert_holds(meta["source"].as_str().unwrap(), &[SOURCE, TITLE]);
    assert_holds(meta["license"].as_str().unwrap(), &[SOURCE]);
    let svg = dir.path().join("chart.svg");
    stdout(&["chips", "--chart", "int8_tops", "-o", svg.to_str().unwrap()]);
    assert_holds(&std::fs::read_to_string(&svg).unwrap(), &[SOURCE, TITLE]);
}
