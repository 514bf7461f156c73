use crate::{aiinfra, csv_rows, fails, listing, sh, stdout};

#[test]
fn output_formats_parse_back_to_the_same_rows() {
    let csv = csv_rows(&stdout(&["chips", "--format", "csv"]));
    let tsv = stdout(&["chips", "--format", "tsv"]);
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(header.len(), 14);
    for (line, row) in lines.zip(&csv) {
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), 14);
        assert_eq!(cells[0], row["id"]);
    }
    let jsonl = stdout(&["chips", "--format", "jsonl"]);
    let ids: Vec<String> = jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let csv_ids: Vec<String> = csv.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, csv_ids);
    let md = stdout(&["chips", "--format", "markdown", "--columns", "id,int8_tops"]);
    assert_eq!(
        md,
        "| id | int8_tops |\n| --- | ---: |\n| ascend-910 | 640 |\n| kunlun-2 | 256 |\n| siyuan-370 | 256 |\n| ascend-310 | 22 |\n| iluvatar-bi |  |\n"
    );
}

#[test]
fn output_excel_csv_has_bom_and_crlf() {
    let out = aiinfra()
        .args(["chips", "--format", "csv", "--excel", "--columns", "id"])
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFid\r\nascend-910\r\n"));
    let err = fails(&["chips", "--format", "json", "--excel"], 2);
    assert!(err.contains("--excel works with --format csv"), "{err}");
    let plain = stdout(&["chips", "--format", "csv"]);
    assert!(!plain.contains('\r') && !plain.starts_with('\u{feff}'));
}

#[test]
fn output_columns_sort_desc_limit() {
    let out = sh("chips --columns id,power_w --sort power_w --desc --limit 2 --format csv");
    assert_eq!(out, "id,power_w\nsiyuan-370,150\nkunlun-2,120\n");
    let out = sh("chips --columns id,power_w --sort power_w --format csv");
    // Ascending, unknown values last.
    assert_eq!(
        out,
        "id,power_w\nascend-310,8\nkunlun-2,120\nsiyuan-370,150\nascend-910,\niluvatar-bi,\n"
    );
    assert_eq!(
        stdout(&["chips", "--limit", "0", "--format", "csv", "-c", "id"]),
        "id\n"
    );
}

#[test]
fn output_unknown_columns_and_sort_fields_are_usage_errors() {
    let err = fails(&["chips", "--sort", "int8"], 2);
    crate::assert_holds(
        &err,
        &["unknown column 'int8' for --sort; did you mean int8_tops?"],
    );
    let err = fails(&["chips", "--columns", "id,tops"], 2);
    assert!(err.contains("for --columns"), "{err}");
    assert!(err.contains("int8_tops"), "{err}");
    let err = fails(&["chips", "--desc"], 2);
    assert!(err.contains("--sort"), "{err}");
    let err = fails(&["chips", "--limit", "-1"], 2);
    assert!(err.contains("--limit"), "{err}");
    let err = fails(&["chips", "--format", "xml"], 2);
    assert!(err.contains("csv"), "{err}");
}

#[test]
fn output_show_sql_prints_the_query_and_its_parameters() {
    let out = stdout(&[
        "chips",
        "--min-int8",
        "200",
        "--vendor",
        "华为",
        "--show-sql",
        "--format",
        "csv",
    ]);
    assert_eq!(
        out,
        "SELECT t.id, t.name_zh, t.name_en, t.vendor_zh, t.vendor_en, t.kind, t.process_nm, t.int8_tops, t.fp16_tflops, t.power_w, t.architecture, t.source_id, t.quote, t.note, (SELECT s.page FROM sources AS s WHERE s.id = t.source_id) AS page FROM chips AS t WHERE (instr(aiinfra_fold(t.vendor_zh), ?1) > 0 OR instr(aiinfra_fold(t.vendor_en), ?1) > 0) AND t.int8_tops >= ?2 ORDER BY t.int8_tops DESC NULLS LAST, t.fp16_tflops DESC NULLS LAST, t.id;\n-- ?1 = '华为'\n-- ?2 = 200\n"
    );
}

#[test]
fn output_file_is_written_whole_with_its_format_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chips.json");
    let path = file.to_str().unwrap();
    let out = aiinfra()
        .args(["chips", "--output", path])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(rows.len(), 5);
    // Replacing it leaves no temporary file behind.
    aiinfra()
        .args(["chips", "--output", path, "--limit", "1"])
        .assert()
        .success();
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(listing(dir.path()), ["chips.json"]);
}

#[test]
fn output_failures_leave_the_old_file_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(
        &[
            "chips",
            "--output",
            dir.path().join("no/such/dir/x.csv").to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("cannot write"), "{err}");
    let err = fails(&["chips", "--output", dir.path().to_str().unwrap()], 2);
    assert!(err.contains("is a directory"), "{err}");
    assert!(listing(dir.path()).is_empty());
    // Issue 11: never into a device; a full disk through a redirect is an error.
    if std::path::Path::new("/dev/full").exists() {
        let err = fails(&["chips", "--output", "/dev/full"], 2);
        crate::assert_holds(&err, &["a character device, not a regular file"]);
    }
}

#[test]
fn output_format_comes_from_the_file_name_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let starts = [
        ("chips.csv", "id,name_zh"),
        ("chips.tsv", "id\tname_zh"),
        ("chips.json", "[{\"id\":"),
        ("chips.jsonl", "{\"id\":"),
        ("chips.md", "| id |"),
        ("chips.txt", "┌"),
        ("chips.TSV", "id\tname_zh"),
    ];
    for (name, start) in starts {
        stdout(&["chips", "-o", &at(name)]);
        let text = std::fs::read_to_string(at(name)).unwrap();
        assert!(text.starts_with(start), "{name}: {text}");
    }
    // A chart's SVG, by name or by --format.
    stdout(&["chips", "--chart", "int8_tops", "-o", &at("chips.svg")]);
    assert!(
        std::fs::read_to_string(at("chips.svg"))
            .unwrap()
            .contains("<svg")
    );
    assert!(stdout(&["chips", "--chart", "int8_tops", "-f", "svg"]).contains("<svg"));
    // .txt takes any text format.
    stdout(&["chips", "-f", "csv", "-o", &at("plain.txt")]);
    assert!(
        std::fs::read_to_string(at("plain.txt"))
            .unwrap()
            .starts_with("id,")
    );
    let before = listing(dir.path());

    // An extension that names no format, or none: a usage error, and nothing written.
    for name in ["chips.parquet", "chips"] {
        let err = fails(&["chips", "-o", &at(name)], 2);
        assert!(
            err.contains("cannot tell the format") && err.contains(".xlsx"),
            "{err}"
        );
    }
    // …unless --format says.
    stdout(&["chips", "-f", "csv", "-o", &at("chips.data")]);
    std::fs::remove_file(at("chips.data")).unwrap();
    // --format that contradicts the name.
    let err = fails(&["chips", "-f", "json", "-o", &at("x.csv")], 2);
    assert!(
        err.contains("contradicts") && err.contains(".json"),
        "{err}"
    );
    let err = fails(&["chips", "-f", "xlsx", "-o", &at("x.txt")], 2);
    assert!(err.contains("contradicts"), "{err}");
    // An SVG holds a chart; a chart is not a csv.
    let err = fails(&["chips", "-o", &at("x.svg")], 2);
    assert!(err.contains("add --chart"), "{err}");
    let err = fails(&["chips", "--chart", "int8_tops", "-o", &at("x.csv")], 2);
    assert!(err.contains("--format svg"), "{err}");
    let err = fails(&["chips", "--excel", "-o", &at("x.xlsx")], 2);
    assert!(err.contains("needs no --excel"), "{err}");
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn output_text_commands_refuse_workbook_and_svg_names_and_messages_say_what() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let err = fails(&["chips", "--show-sql", "-o", &at("q.xlsx")], 2);
    assert!(err.contains("--show-sql prints the SQL as text"), "{err}");
    let err = fails(&["chips", "--show-sql", "-f", "svg"], 2);
    assert!(err.contains("drop --format svg"), "{err}");
    let err = fails(&["db", "dump", "-o", &at("d.xlsx")], 2);
    assert!(err.contains("writes text, not a workbook"), "{err}");
    assert!(listing(dir.path()).is_empty());
    // SQL text takes any other name.
    stdout(&["chips", "--show-sql", "-o", &at("q.sql")]);
    assert!(
        std::fs::read_to_string(at("q.sql"))
            .unwrap()
            .starts_with("SELECT")
    );
    let err = fails(&["sql", ""], 2);
    assert!(err.contains("the SQL is empty"), "{err}");
    let err = fails(&["db", "build", "-"], 2);
    assert!(err.contains("not standard output"), "{err}");
    if std::path::Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aiinfra"))
            .arg("chips")
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write standard output"));
    }
    // A text command's rows in a workbook take its name.
    stdout(&["report", "table-5", "-o", &at("r.xlsx")]);
    let book: calamine::Xlsx<_> = calamine::open_workbook(at("r.xlsx")).unwrap();
    assert_eq!(calamine::Reader::sheet_names(&book), ["report", "about"]);
}

/// CSV, TSV and JSON Lines are written a part at a time as the rows are read: a result
/// of many parts is what the whole would be (one header, one byte-order mark, every
/// row in order), the same as the rows sorted first (which are held whole), in a file
/// too; and a result refused for its size writes nothing, on standard output as in a
/// file.
#[test]
fn output_rows_written_as_they_are_read_are_the_whole_result() {
    let env = crate::testenv::Env::new();
    let n = 5000;
    let sql = format!(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < {n}) \
         SELECT x, 'row ' || x AS label, x * 0.5 AS half FROM c"
    );
    for format in ["csv", "tsv", "jsonl"] {
        for excel in [false, true] {
            if excel && format == "jsonl" {
                continue;
            }
            let mut args = vec!["sql", &sql, "-f", format];
            if excel {
                args.push("--excel");
            }
            let streamed = env.run(&args).outcome();
            assert_eq!(streamed.code, Some(0), "{}", streamed.stderr);
            let sorted: Vec<&str> = args.iter().copied().chain(["--sort", "x"]).collect();
            let held = env.run(&sorted).outcome();
            assert_eq!(streamed.stdout, held.stdout, "{format} --excel {excel}");
            let lines = streamed.stdout.lines().count();
            let header = usize::from(format != "jsonl");
            assert_eq!(lines, n + header, "{format}");
            assert_eq!(
                streamed.stdout.matches('\u{feff}').count(),
                usize::from(excel)
            );
            let file = format!("out-{excel}.{format}");
            let to_file: Vec<&str> = args.iter().copied().chain(["-o", &file]).collect();
            env.ok(&to_file);
            assert_eq!(env.read(&file), streamed.stdout, "{format} -o");
        }
    }
    // --limit stops the reading, whatever is left.
    let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c";
    let first = env.ok(&["sql", endless, "-f", "csv", "--limit", "3000"]);
    assert_eq!(first.lines().count(), 3001);
    assert_eq!(first.lines().last(), Some("3000"));
    // Past the result's cap: an error, and nothing written anywhere.
    let big = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100) \
               SELECT printf('%.*c', 500000, 'a') FROM c";
    let out = env.run(&["sql", big, "-f", "csv"]).outcome();
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stdout.is_empty() && out.stderr.contains("larger than 32 MiB"),
        "{}",
        out.stderr
    );
    env.fails(&["sql", big, "-o", "big.csv"], 1);
    assert!(!env.path("big.csv").exists());
    assert!(env.listing(".").iter().all(|n| !n.contains(".aiinfra-")));
}
