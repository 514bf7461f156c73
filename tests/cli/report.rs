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

/// `aiinfra ARGS` on a terminal (a pseudo-terminal made by `script`, 80 columns wide
/// and `lines` tall) with `pager` as $AIINFRA_PAGER (None: unset); its exit code
/// and what the terminal showed.
fn on_terminal(args: &str, pager: Option<&str>, lines: usize) -> (Option<i32>, String) {
    let bin = env!("CARGO_BIN_EXE_aiinfra");
    let mut run = crate::testenv::Run::shell(&format!(
        "command -v script >/dev/null || {{ echo 'script (util-linux) is needed' >&2; exit 99; }}; \
         exec script -qec \"{bin} {args}\" /dev/null"
    ))
    .env("COLUMNS", "80")
    .env("LINES", lines.to_string())
    .env("TERM", "dumb")
    // As CI runs it, locally too: clap's own colour rule colours help for CI=true even
    // with TERM=dumb; aiinfra's (the one for all its output) does not.
    .env("CI", "true");
    if let Some(pager) = pager {
        run = run.env("AIINFRA_PAGER", pager);
    }
    let out = run.outcome();
    assert_ne!(out.code, Some(99), "{}", out.stderr);
    (out.code, out.stdout.replace("\r\n", "\n"))
}

const MARKING: &str = "sed s/^/PAGED:/";

/// Long text on a terminal goes through $AIINFRA_PAGER, as git's does; never text
/// that fits the screen, never with --no-pager (before or after the command), an
/// empty AIINFRA_PAGER or a pipe; a pager that cannot start means printing directly.
#[test]
fn report_pages_long_text_on_a_terminal_only() {
    let (code, paged) = on_terminal("report", Some(MARKING), 40);
    assert_eq!(code, Some(0));
    assert!(
        paged.lines().filter(|l| l.starts_with("PAGED:")).count() > 100,
        "{paged}"
    );
    let direct = sh("report --no-pager --width 80");
    for args in ["report --no-pager", "--no-pager report", "report | cat"] {
        let (code, shown) = on_terminal(args, Some(MARKING), 40);
        assert_eq!(code, Some(0), "{args}");
        assert!(!shown.contains("PAGED:"), "{args} paged");
        assert!(shown.contains("版权声明"), "{args}: {shown}");
    }
    let (_, unset) = on_terminal("report", Some(""), 40);
    assert!(
        !unset.contains("PAGED:") && unset.contains("版权声明"),
        "{unset}"
    );
    // The terminal shows what --no-pager prints to a pipe at the same width.
    let (_, shown) = on_terminal("report --no-pager", Some(MARKING), 40);
    assert_eq!(spaced(&shown), spaced(&direct));
    for missing in [
        "/nonexistent/pager",
        "nonexistent-pager \"--x\"",
        "false",
        "\"unterminated",
    ] {
        let (code, shown) = on_terminal("report", Some(missing), 40);
        assert_eq!(code, Some(0), "{missing}");
        // (The shell's own "not found", and aiinfra's word that the pager failed, are
        // on the terminal too.)
        // (aiinfra's word comes last, wrapped to the terminal.)
        let shown = shown.split("the pager (").next().unwrap_or_default();
        let shown: String = shown
            .lines()
            .filter(|l| !l.starts_with("sh: "))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(spaced(&shown), spaced(&direct), "{missing}");
    }
    // A part that fits the screen is printed directly.
    let (_, short) = on_terminal("report table-4", Some(MARKING), 60);
    assert!(
        !short.contains("PAGED:") && short.contains("TENSORFLOW"),
        "{short}"
    );
    // Help longer than the screen pages too.
    let (code, help) = on_terminal("chips --help", Some(MARKING), 40);
    assert_eq!(code, Some(0));
    assert!(help.contains("PAGED:Usage: aiinfra chips"), "{help}");
    let (_, help) = on_terminal("--no-pager chips --help", Some(MARKING), 40);
    assert!(
        !help.contains("PAGED:") && help.contains("Usage: aiinfra chips"),
        "{help}"
    );
}

/// A signal while the pager is open is not lost: the run ends with 130 once the
/// pager has ended (here a pager that sends SIGTERM to aiinfra, then reads on).
#[test]
fn report_a_signal_while_paging_ends_the_run_after_the_pager() {
    let (code, shown) = on_terminal(
        "report",
        Some("kill -TERM $PPID; sleep 1; sed s/^/PAGED:/"),
        40,
    );
    assert_eq!(code, Some(130), "{shown}");
    assert!(shown.contains("PAGED:版权声明"), "{shown}");
}

/// The time a reader spends in the pager is theirs: a run whose work took less than
/// its --timeout is not stopped while the pager is open.
#[test]
fn report_time_in_the_pager_does_not_count() {
    let (code, shown) = on_terminal(
        "report --timeout 2",
        Some(&format!("sleep 5; {MARKING}")),
        40,
    );
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("PAGED:版权声明"), "{shown}");
    assert!(!shown.contains("stopped after"), "{shown}");
}

/// The report's tables are laid out in aligned columns on a terminal, a long cell
/// wrapped inside its column; `show --context` prints Table 5's row so.
#[test]
fn report_tables_print_aligned() {
    let table = sh("report table-5 --width 80");
    assert!(!table.contains('\t'));
    let header = table.lines().find(|l| l.starts_with("企业")).unwrap();
    let at = |line: &str, word: &str| {
        let byte = line.find(word).unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..byte])
    };
    let column = at(header, "模型名称");
    for (line, name) in [("OpenAI", "GPT-3"), ("浪潮", "源 1.0"), ("阿里巴巴", "M6")] {
        let row = table.lines().find(|l| l.starts_with(line)).unwrap();
        assert_eq!(at(row, name), column, "{row}");
    }
    for line in table.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{line}");
    }
    let shown = sh("show pangu-nlp --context --width 80");
    let header = shown.lines().find(|l| l.starts_with("企业")).unwrap();
    let row = shown.lines().find(|l| l.starts_with("【华为")).unwrap();
    assert_eq!(
        at(row, "盘古 NLP 大模型"),
        at(header, "模型名称"),
        "{shown}"
    );
    // A pipe with no width keeps the tabs, for programs.
    assert!(sh("report table-5").contains("OpenAI\t2020年6月\tGPT-3"));
}

/// At any width a report table keeps each number and Latin word whole and stays
/// within the width: its columns narrow to their longest word, and where even that
/// does not fit, each row is printed as a record (a cell a line, beside its header).
#[test]
fn report_tables_keep_numbers_whole_at_any_width() {
    let tabbed = sh("report table-4");
    let words: Vec<String> = tabbed
        .lines()
        .filter(|l| l.contains('\t'))
        .flat_map(|l| {
            l.split('\t')
                .map(str::trim)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty() && c.is_ascii() && !c.contains(' '))
        .collect();
    assert!(words.iter().any(|w| w == "121320+"), "{words:?}");
    for width in [20, 30, 44, 60, 80, 120] {
        let shown = sh(&format!("report table-4 --width {width}"));
        for line in shown.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= width,
                "at {width}: {line}"
            );
        }
        for word in &words {
            assert!(
                shown
                    .lines()
                    .any(|l| l.split_whitespace().any(|w| w == word)),
                "at {width}, {word} is broken:\n{shown}"
            );
        }
    }
    // A trailing tab's empty cell makes no line of its own: records are one blank
    // line apart.
    let records = sh("report table-2 --width 20");
    assert!(!records.contains("\n\n\n"), "{records}");
    // Narrow: records, each value beside its header.
    let narrow = sh("report table-4 --width 30");
    assert!(
        narrow
            .lines()
            .any(|l| l.starts_with("活跃度") && l.ends_with("121320+")),
        "{narrow}"
    );
}

/// The report is data (issue 18): `passages` holds every piece of the corrected
/// report once, in order, in every database aiinfra builds and every export: joined,
/// they give back the text `aiinfra report` prints, whitespace aside.
#[test]
fn passages_give_back_the_corrected_report_everywhere() {
    let report = spaced(&sh("report")).replace(' ', "");
    let joined = |args: &[&str]| -> String {
        let mut all = args.to_vec();
        all.extend([
            "sql",
            "SELECT text FROM passages ORDER BY position",
            "-f",
            "jsonl",
        ]);
        stdout(&all)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect::<String>()
            .split_whitespace()
            .collect()
    };
    assert_eq!(joined(&[]), report, "the built-in data");
    let env = crate::testenv::Env::new();
    let seeds = env.seeds("seeds");
    let seeds = seeds.to_str().unwrap();
    assert_eq!(joined(&["--seed-dir", seeds]), report, "--seed-dir");
    env.ok(&["db", "build", "kb.db"]);
    assert_eq!(joined(&["--db", &env.arg("kb.db")]), report, "db build");
    // An export carries them (and loads back, deriving them again).
    env.ok(&["db", "export", "out"]);
    let csv = env.read("out/passages.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let text_at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "text")
        .unwrap();
    let exported: String = reader
        .records()
        .map(|r| r.unwrap()[text_at].to_string())
        .collect::<String>()
        .split_whitespace()
        .collect();
    assert_eq!(exported, report, "the export's passages.csv");
    assert_eq!(
        joined(&["--seed-dir", &env.arg("out")]),
        report,
        "an export loaded back"
    );
    assert!(stdout(&["db", "dump"]).contains("INSERT INTO passages"));
    let postgres = stdout(&["db", "dump", "--dialect", "postgres"]);
    assert!(
        postgres.contains("CREATE TABLE passages") && postgres.contains("INSERT INTO passages")
    );
    // Counted apart from the data tables.
    let said = env.run(&["db", "build", "kb2.db"]).outcome().stderr;
    let passages = stdout(&["sql", "SELECT count(*) AS n FROM passages", "-f", "csv"]);
    let n = passages.lines().nth(1).unwrap();
    assert!(
        said.contains(&format!("and {n} passages of the report")),
        "{said}"
    );
}

/// Every quoted row links to the passages its quote lies in, in the part its
/// source_id names; `db check` proves the links and the passages of a file, and names
/// what a changed file gets wrong.
#[test]
fn passages_link_every_row_and_db_check_proves_them() {
    let unlinked = stdout(&[
        "sql",
        "SELECT c.entity, c.id FROM citations AS c WHERE NOT EXISTS (SELECT 1 FROM row_passages AS r \
         WHERE r.entity = c.entity AND r.row_id = c.id)",
        "-f",
        "csv",
    ]);
    assert_eq!(
        unlinked.lines().count(),
        1,
        "rows with no passage: {unlinked}"
    );
    let elsewhere = stdout(&[
        "sql",
        "SELECT r.entity, r.row_id FROM row_passages AS r JOIN passages AS p ON p.id = r.passage_id \
         JOIN citations AS c ON c.entity = r.entity AND c.id = r.row_id WHERE p.source_id IS NOT c.source_id",
        "-f",
        "csv",
    ]);
    assert_eq!(
        elsewhere.lines().count(),
        1,
        "links outside the cited part: {elsewhere}"
    );
    let env = crate::testenv::Env::new();
    env.built_db("kb.db");
    let path = env.arg("kb.db");
    env.sqlite(
        "kb.db",
        "UPDATE passages SET text = 'changed' WHERE id = 'sec-2.3.2.p2';
         DELETE FROM row_passages WHERE row_id = 'ascend-910';",
    );
    let err = env.fails(&["--db", &path, "db", "check"], 1);
    assert!(
        err.contains("sec-2.3.2.p2") && err.contains("ascend-910"),
        "{err}"
    );
}

/// `sources ID` lists one part of the report passage by passage, each with the rows
/// whose quotes lie in it; `show ID --context` prints a table row after its table's
/// header.
#[test]
fn passages_show_where_each_row_stands() {
    let listed = stdout(&[
        "sources",
        "table-5",
        "--columns",
        "id,kind,rows",
        "-f",
        "csv",
    ]);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("table-5.p4,row,") && l.contains("pangu-nlp")),
        "{listed}"
    );
    let shown = sh("show pangu-nlp --context --width 80");
    let header = shown.lines().position(|l| l.starts_with("企业")).unwrap();
    assert!(
        shown.lines().nth(header + 1).unwrap().starts_with("【华为"),
        "{shown}"
    );
    let err = crate::sh_fails("sources table-99", 2);
    assert!(err.contains("table-99"), "{err}");
}

/// The passages that hold a word, as `sql` finds them (case, width and spacing aside).
fn passages_holding(word: &str) -> Vec<String> {
    let csv = stdout(&[
        "sql",
        &format!(
            "SELECT id FROM passages WHERE instr(aiinfra_fold(text), aiinfra_fold('{word}')) > 0 ORDER BY id"
        ),
        "-f",
        "csv",
    ]);
    csv.lines().skip(1).map(String::from).collect()
}

/// `search` finds the report's passages (issue 18): every passage that holds the
/// word, with its section and page and the word marked; rows before passages, names
/// first; every word needed; nothing the user types is query syntax.
#[test]
fn search_finds_every_passage_ranked_after_rows() {
    for word in ["知识图谱", "数据要素", "智慧医疗", "算力", "云", "TOPS"] {
        let rows = crate::csv_rows(&stdout(&[
            "search", word, "--entity", "passages", "-f", "csv",
        ]));
        let mut found: Vec<String> = rows.iter().map(|r| r["id"].clone()).collect();
        found.sort();
        let want = passages_holding(word);
        assert!(!want.is_empty(), "{word} is in the report");
        assert_eq!(found, want, "{word}");
        for r in &rows {
            assert!(r["snippet"].contains('【'), "{word}: {r:?}");
            assert!(!r["page"].is_empty() || r["source_id"].is_empty(), "{r:?}");
        }
    }
    // 算力: rows and passages, rows first.
    let all = crate::csv_rows(&stdout(&["search", "算力", "-f", "csv"]));
    let first_passage = all.iter().position(|r| r["entity"] == "passages").unwrap();
    assert!(first_passage > 0);
    assert!(
        all[first_passage..]
            .iter()
            .all(|r| r["entity"] == "passages")
    );
    // 昇腾: the chips named 昇腾 come before any passage, names before other fields.
    let ascend = crate::csv_rows(&stdout(&["search", "昇腾", "-f", "csv"]));
    let named: Vec<usize> = ascend
        .iter()
        .enumerate()
        .filter(|(_, r)| r["entity"] == "chips" && r["field"] == "name_zh")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(named, [0, 1], "{ascend:?}");
    // Both words: every result holds both, and fewer than one word alone.
    let both = crate::csv_rows(&stdout(&[
        "search",
        "华为 芯片",
        "--entity",
        "passages",
        "-f",
        "csv",
    ]));
    let one = stdout(&["search", "华为", "--entity", "passages", "-f", "csv"]);
    assert!(!both.is_empty() && both.len() < one.lines().count() - 1);
    let holding_both: Vec<String> = passages_holding("华为")
        .into_iter()
        .filter(|id| passages_holding("芯片").contains(id))
        .collect();
    let mut ids: Vec<String> = both.iter().map(|r| r["id"].clone()).collect();
    ids.sort();
    assert_eq!(ids, holding_both);
    // Query syntax is text: no error, and the words are looked for as written.
    for text in ["C++ \"x\" OR", "AND", "NEAR(a b)", "*", "a -b", "\"", "(("] {
        let out = crate::testenv::Run::new(&["search", text, "-f", "csv"]).ok();
        for row in crate::csv_rows(&out) {
            assert!(row["snippet"].contains('【'), "{text}: {row:?}");
        }
    }
    let err = crate::sh_fails("search '   '", 2);
    assert!(err.contains("search needs some text"), "{err}");
    let err = crate::sh_fails("search 华为 --entity row_passages", 2);
    assert!(err.contains("passages"), "{err}");
}

/// A `--db` file's passages are searched through an index made from them, never its
/// own: passages holding FTS syntax, or a file with many of them, search as text. A
/// file whose passages are the built-in ones finds what the built-in data finds.
#[test]
fn search_indexes_a_files_passages_itself() {
    let env = crate::testenv::Env::new();
    env.ok(&["db", "build", "kb.db"]);
    let path = env.arg("kb.db");
    for word in ["知识图谱", "华为 芯片", "算力"] {
        let args = ["search", word, "--entity", "passages", "-f", "csv"];
        let builtin = stdout(&args);
        assert!(crate::csv_rows(&builtin).len() > 1, "{word}: {builtin}");
        let file: Vec<&str> = ["--db", &path].into_iter().chain(args).collect();
        assert_eq!(stdout(&file), builtin, "{word}");
    }
    env.sqlite(
        "kb.db",
        "UPDATE passages SET text = 'NEAR(\"x\" OR *) 智能计算 \"' WHERE id = 'sec-1.p2'",
    );
    let rows = crate::csv_rows(&stdout(&[
        "--db",
        &path,
        "search",
        "智能计算",
        "--entity",
        "passages",
        "-f",
        "csv",
    ]));
    assert!(rows.iter().any(|r| r["id"] == "sec-1.p2"), "{rows:?}");
    let rows = crate::csv_rows(&stdout(&[
        "--db",
        &path,
        "search",
        "NEAR(\"x\"",
        "--entity",
        "passages",
        "-f",
        "csv",
    ]));
    assert_eq!(rows.len(), 1, "{rows:?}");
}

/// What the build computed for the built-in data (the corrected report and its parts,
/// the passages' index, the folded names) is what a run computes from the same seeds
/// (issue 21): every command that uses it prints the same from `--seed-dir seed`.
#[test]
fn prebuilt_data_is_what_a_run_computes() {
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seed");
    for args in [
        &["report"][..],
        &["report", "sec-2.3.2"],
        &["report", "table-5", "-f", "json"],
        &["report", "footnote-4"],
        &["search", "华为", "-f", "csv"],
        &["search", "数据要素 平台", "-f", "csv"],
        &["search", "云", "--entity", "passages", "-f", "csv"],
        &["show", "昇腾910", "-f", "json"],
        &["show", "Ascend 310", "--context"],
        &["regions", "广东省", "-f", "csv"],
        &["facts", "--subject", "深圳", "-f", "csv"],
        &["compare", "gpt-3", "M6", "-f", "csv"],
        &[
            "sql",
            "SELECT * FROM citations ORDER BY entity, id",
            "-f",
            "csv",
        ],
    ] {
        let mut seeded = vec!["--seed-dir", seeds];
        seeded.extend_from_slice(args);
        assert_eq!(stdout(args), stdout(&seeded), "{args:?}");
    }
}

/// Round four of the hostile probe (issue 18): a word is the same written with dashes,
/// dots or full width, in notes and quotes too; a table named twice is searched once
/// and a list of nothing is refused; too many or too long words are a usage error; an
/// English word is found inside a longer one in the report's text.
#[test]
fn search_round_four() {
    let ids = |text: &str| -> Vec<String> {
        let mut ids: Vec<String> = crate::csv_rows(&stdout(&["search", text, "-f", "csv"]))
            .into_iter()
            .map(|r| format!("{} {} {}", r["entity"], r["id"], r["field"]))
            .collect();
        ids.sort();
        ids
    };
    let huawei = ids("华为");
    assert!(huawei.iter().any(|r| r.ends_with(" quote")), "{huawei:?}");
    assert_eq!(ids("华-为"), huawei);
    assert_eq!(ids("华.为"), huawei);
    assert_eq!(ids("ＨＵＡＷＥＩ"), ids("huawei"));
    let once = stdout(&["search", "华为", "--entity", "chips", "-f", "csv"]);
    assert_eq!(
        stdout(&["search", "华为", "--entity", "chips,chips", "-f", "csv"]),
        once
    );
    assert_eq!(
        stdout(&[
            "search",
            "华为",
            "--entity",
            "centers,compute_centers",
            "-f",
            "csv"
        ]),
        stdout(&["search", "华为", "--entity", "centers", "-f", "csv"])
    );
    assert_eq!(
        stdout(&["search", "华为", "--entity", "chips,", "-f", "csv"]),
        once
    );
    for entity in ["", ",,"] {
        let err = crate::testenv::Run::new(&["search", "华为", "--entity", entity]).fails(2);
        assert!(err.contains("unknown --entity"), "{err}");
    }
    let many = (0..300)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let err = crate::testenv::Run::new(&["search", &many]).fails(2);
    assert!(err.contains("at most 20 words"), "{err}");
    let long = "算".repeat(30_000);
    let err = crate::testenv::Run::new(&["search", &long]).fails(2);
    assert!(err.contains("at most 500 characters"), "{err}");
    let luojia = crate::csv_rows(&stdout(&[
        "search", "Luojia", "--entity", "passages", "-f", "csv",
    ]));
    assert!(
        luojia
            .iter()
            .any(|r| r["snippet"].contains("【Luojia】Net")),
        "{luojia:?}"
    );
}

/// A file whose passages are missing: db check names the missing ones (not every
/// passage after them) and says to rebuild; show --context says the file lacks the
/// passage, not that the quote is not in the report (hostile round four, 11 and 12).
#[test]
fn passages_missing_from_a_file_are_named() {
    let env = crate::testenv::Env::new();
    env.built_db("kb.db");
    let path = env.arg("kb.db");
    env.sqlite(
        "kb.db",
        "PRAGMA foreign_keys = OFF;
         DELETE FROM row_passages WHERE passage_id LIKE 'sec-2.3.2.%';
         DELETE FROM passages WHERE source_id = 'sec-2.3.2';",
    );
    let err = env.fails(&["--db", &path, "db", "check"], 1);
    assert!(
        err.contains("sec-2.3.2.p2 is missing") && err.contains("aiinfra db build"),
        "{err}"
    );
    assert!(!err.contains("footnote-3.p1"), "{err}");
    let shown = env.ok(&["--db", &path, "show", "ascend-910", "--context"]);
    assert!(
        shown.contains("no passage of this database holds the quote"),
        "{shown}"
    );
}

/// A usage error clap finds (a value that is not a number), and the watchdog's word
/// when it ends a run, are fitted to the terminal as every other message is: no line
/// wider than 80 on an 80-column terminal.
#[test]
fn usage_errors_from_parsing_and_the_watchdog_fit_the_terminal() {
    for (args, exit) in [
        ("chips --min-int8 lots", 2),
        ("chips --min-int8 lots --width 80", 2),
        ("timeline --from someday", 2),
        // One slow function call, which only the watchdog stops.
        (
            "sql 'SELECT instr(zeroblob(900000) || char(97), zeroblob(450000) || char(98))' --timeout 0.5",
            1,
        ),
    ] {
        let (code, shown) = on_terminal(args, None, 40);
        assert_eq!(code, Some(exit), "{args}: {shown}");
        assert!(shown.contains("error:"), "{args}: {shown}");
        // Captured away from a terminal, stderr follows $COLUMNS where it is set.
        let words = shlex::split(args).unwrap();
        let piped = crate::testenv::Run::new(&words)
            .env("COLUMNS", "80")
            .outcome();
        assert_eq!(piped.code, Some(exit), "{args}: {}", piped.stderr);
        for line in shown.lines().chain(piped.stderr.lines()) {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= 80,
                "{args}: {line}"
            );
        }
    }
}

/// A row's short fields hold a word with only spaces, dashes or dots between its
/// characters (another character breaks it); ASCII letters match in either case, and
/// full-width ones as their ASCII.
#[test]
fn search_finds_a_word_spaced_in_names_and_whole_in_text() {
    let env = crate::testenv::Env::new();
    env.built_db("kb.db");
    env.sqlite(
        "kb.db",
        "UPDATE chips SET name_zh = '甲-乙 · 丙' WHERE id = (SELECT min(id) FROM chips);
         UPDATE chips SET name_zh = '甲丁乙丙', name_en = 'ＱＸＺ９ (quite x zone)' WHERE id = (SELECT max(id) FROM chips);
         UPDATE facts SET note = 'see ZzQqXx in the text' WHERE id = (SELECT min(id) FROM facts);",
    );
    let ids = |word: &str| -> Vec<String> {
        let out = env.ok(&[
            "--db",
            "kb.db",
            "search",
            word,
            "--entity",
            "chips,facts",
            "-f",
            "csv",
        ]);
        crate::csv_rows(&out)
            .into_iter()
            .map(|r| r["id"].clone())
            .collect()
    };
    let ends = env.ok(&[
        "--db",
        "kb.db",
        "sql",
        "SELECT min(id) AS a, max(id) AS b FROM chips",
        "-f",
        "csv",
    ]);
    let ends = &crate::csv_rows(&ends)[0];
    assert_ne!(ends["a"], ends["b"]);
    assert_eq!(ids("甲乙丙"), [ends["a"].clone()]);
    // Full width aside: the name holds the word folded.
    assert_eq!(ids("qxz9"), [ends["b"].clone()]);
    assert_eq!(ids("ＱＸＺ９"), [ends["b"].clone()]);
    assert_eq!(ids("zzqqxx").len(), 1);
    assert_eq!(ids("ZZQQXX"), ids("zzqqxx"));
    // The word typed is folded as names are: a dash in it is no part of it.
    assert_eq!(ids("zz-qq.xx"), ids("zzqqxx"));
}
