//! Workbooks, read back with a real reader (calamine) and, for what a reader does not
//! report (the frozen header, the filter, widths, the mark), from the file's XML.

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::aiinfra;

fn book(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap()
}

/// One part of the workbook's zip, as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn header(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

fn cell<'a>(range: &'a calamine::Range<Data>, row: usize, name: &str) -> &'a Data {
    let col = header(range).iter().position(|h| h == name).unwrap();
    range.get((row, col)).unwrap()
}

#[test]
fn xlsx_numbers_are_numbers_and_text_stays_text() {
    let (_env, path) = crate::Env::with_output(&["models"], "models.xlsx");
    let mut book = book(&path);
    assert_eq!(book.sheet_names(), ["models", "about"]);
    let range = book.worksheet_range("models").unwrap();
    assert_eq!(range.height(), 11, "a header and ten models");
    // Row 1 is GPT-3: 175 billion parameters as a number, its month as text, Chinese
    // names intact.
    assert_eq!(cell(&range, 1, "params"), &Data::Float(175_000_000_000.0));
    assert_eq!(cell(&range, 1, "released"), &Data::String("2020-06".into()));
    assert_eq!(
        cell(&range, 1, "source_id"),
        &Data::String("table-5".into())
    );
    assert_eq!(
        cell(&range, 3, "name_zh"),
        &Data::String("盘古 NLP 大模型".into())
    );
    assert_eq!(
        cell(&range, 3, "params_qualifier"),
        &Data::String("at_least".into())
    );
    // Unknown is an empty cell.
    assert_eq!(cell(&range, 1, "modality"), &Data::Empty);
    // Quotes stay in the data sheet.
    assert!(matches!(cell(&range, 1, "quote"), Data::String(q) if q.contains("1750 亿")));
    // Long notes wrap in their cells, and their rows are made tall enough to show them.
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"customHeight="1""#), "{sheet}");
    assert!(part(&path, "xl/styles.xml").contains(r#"wrapText="1""#));
}

#[test]
fn xlsx_never_writes_a_formula_and_keeps_big_integers_exact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.xlsx");
    crate::ok_with(
        &[
            "sql",
            "SELECT '=1+1' AS f, '@SUM(A1)' AS g, 9007199254740993 AS huge, 2.5 AS x, 1 = 1 AS yes, char(7) || 'bell' AS ctl",
            "-o",
        ],
        &path,
    );
    let mut book = book(&path);
    assert_eq!(book.sheet_names(), ["sql", "about"]);
    let range = book.worksheet_range("sql").unwrap();
    assert_eq!(cell(&range, 1, "f"), &Data::String("=1+1".into()));
    assert_eq!(cell(&range, 1, "g"), &Data::String("@SUM(A1)".into()));
    // Past 2^53 a spreadsheet's number is not exact: written as text.
    assert_eq!(
        cell(&range, 1, "huge"),
        &Data::String("9007199254740993".into())
    );
    assert_eq!(cell(&range, 1, "x"), &Data::Float(2.5));
    assert_eq!(cell(&range, 1, "ctl"), &Data::String("\u{7}bell".into()));
    let formulas = book.worksheet_formula("sql").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell holds a formula"
    );
    assert!(!part(&path, "xl/worksheets/sheet1.xml").contains("<f>"));
}

#[test]
fn xlsx_header_is_bold_frozen_and_filtered_with_widths_from_content() {
    let (_env, path) = crate::Env::with_output(
        &["chips", "--columns", "id,name_zh,int8_tops"],
        "chips.xlsx",
    );
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"ySplit="1""#), "frozen header: {sheet}");
    assert!(sheet.contains(r#"<autoFilter ref="A1:C6"/>"#), "{sheet}");
    // Widths: the widest cell plus two; 天数智芯 is four CJK characters, counted
    // double, but its name 昇腾910 (7 columns wide) is the widest name_zh.
    let widths: Vec<f64> = sheet
        .split("<col ")
        .skip(1)
        .map(|c| {
            let w = c.split("width=\"").nth(1).unwrap();
            w[..w.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(widths.len(), 3, "{sheet}");
    // id: "iluvatar-bi" is 11 wide → 13 (a column width has a little padding).
    assert!((13.0..14.0).contains(&widths[0]), "{widths:?}");
    // name_zh: "昇腾910" is 7 wide (two CJK characters counted double), the header 7.
    assert!((9.0..10.0).contains(&widths[1]), "{widths:?}");
    let styles = part(&path, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "a bold font: {styles}");
    // The mark the writer reads to know the workbook is aiinfra's.
    assert!(part(&path, "docProps/custom.xml").contains(r#"name="aiinfra""#));
}

#[test]
fn xlsx_notes_sheet_carries_the_citation_units_and_pages() {
    let (_env, path) = crate::Env::with_output(&["chips", "--min-int8", "200"], "chips.xlsx");
    let mut book = book(&path);
    let about = book.worksheet_range("about").unwrap();
    let text: Vec<String> = about
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    let all = text.join("\n");
    crate::assert_holds(
        &all,
        &["来源:中国信息通信研究院和人工智能与经济社会研究中心"],
    );
    crate::assert_holds(&all, &["人工智能基础设施发展态势报告(2021年)"]);
    crate::assert_holds(&all, &["Asked: aiinfra chips --min-int8 200 -o "]);
    assert!(all.contains("int8_tops|number|TOPS|"), "units: {all}");
    // The section the chips come from, with its page.
    assert!(
        text.iter()
            .any(|l| l.starts_with("sec-2.3.2|") && l.ends_with("|13")),
        "{all}"
    );
}

#[test]
fn xlsx_export_is_one_workbook_with_a_sheet_per_table_and_a_readme() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    crate::ok_with(&["db", "export", "--format", "xlsx"], &out);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["MANIFEST.sha256", "README.md", "aiinfra.xlsx"]);
    let mut book = book(&out.join("aiinfra.xlsx"));
    let sheets = book.sheet_names();
    assert_eq!(sheets[0], "README");
    let schema = crate::stdout(&["schema", "-f", "csv", "-c", "table"]);
    let mut tables: Vec<&str> = Vec::new();
    for t in schema.lines().skip(1) {
        if !tables.contains(&t) {
            tables.push(t);
        }
    }
    assert_eq!(&sheets[1..], tables.as_slice());
    // Every row of every table is there.
    for t in &tables {
        let count = crate::stdout(&[
            "sql",
            &format!("SELECT count(*) AS n FROM {t}"),
            "-f",
            "csv",
        ]);
        let count: usize = count.lines().nth(1).unwrap().parse().unwrap();
        assert_eq!(book.worksheet_range(t).unwrap().height(), count + 1, "{t}");
    }
    let readme = book.worksheet_range("README").unwrap();
    assert!(
        readme
            .cells()
            .any(|(_, _, c)| *c == Data::String("int8_tops".into()))
    );

    // DIR.xlsx is that workbook alone; written again, it is replaced (it is ours).
    let one = dir.path().join("kb.xlsx");
    for _ in 0..2 {
        crate::ok_with(&["db", "export"], &one);
    }
    assert_eq!(book_names(&one), sheets);
}

fn book_names(path: &Path) -> Vec<String> {
    book(path).sheet_names()
}

#[test]
fn xlsx_is_not_shown_on_a_terminal_and_goes_down_a_pipe() {
    let out = aiinfra().args(["chips", "-f", "xlsx"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"PK"), "a pipe takes the workbook");
    // On a terminal it is refused (script(1) gives the binary a terminal).
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok()
    {
        let bin = env!("CARGO_BIN_EXE_aiinfra");
        let out = std::process::Command::new("script")
            .args(["-qec", &format!("{bin} chips -f xlsx"), "/dev/null"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("is binary"), "{text}");
        assert!(!text.contains("PK"), "{text}");
    }
}

#[test]
fn xlsx_replaces_only_its_own_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("theirs.xlsx");
    // A workbook another program wrote (a zip without aiinfra's mark).
    std::fs::write(&path, b"PK\x03\x04 not ours").unwrap();
    let err = crate::fails(&["chips", "-o", path.to_str().unwrap()], 2);
    assert!(err.contains("not a workbook aiinfra wrote"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"PK\x03\x04 not ours");
    crate::ok_with(&["chips", "--force", "-o"], &path);
    // A text output never replaces a workbook.
    let err = crate::fails(
        &[
            "chips",
            "-f",
            "csv",
            "--force",
            "-o",
            path.to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("contradicts"), "{err}");
}

#[test]
fn xlsx_what_a_spreadsheet_cannot_hold_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xlsx");
    let p = path.to_str().unwrap();
    let err = crate::fails(
        &["sql", "SELECT printf('%.40000c', 'x') AS big", "-o", p],
        1,
    );
    assert!(
        err.contains("at most 32767") && err.contains("--format csv"),
        "{err}"
    );
    let err = crate::fails(
        &[
            "sql",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1048576) SELECT x FROM c",
            "-o",
            p,
            "--timeout",
            crate::GENEROUS,
        ],
        1,
    );
    assert!(err.contains("at most 1048575"), "{err}");
    assert!(crate::listing(dir.path()).is_empty());
}

/// A copy of an aiinfra workbook with one part replaced, as a program saving it would.
fn resaved(from: &Path, to: &Path, part: &str, change: impl Fn(String) -> String) {
    use std::io::Write;
    let mut source = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        if name == part {
            text = change(String::from_utf8(text).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn xlsx_a_workbook_saved_since_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("chips.xlsx");
    crate::ok_with(&["chips", "-o"], &ours);
    // Edited and saved (a cell changed), the mark still there: not replaced.
    let edited = dir.path().join("edited.xlsx");
    resaved(&ours, &edited, "xl/worksheets/sheet1.xml", |x| {
        x.replacen("昇腾910", "昇腾910 (my note)", 1)
    });
    let before = std::fs::read(&edited).unwrap();
    let err = crate::fails(&["chips", "-o", edited.to_str().unwrap()], 2);
    assert!(err.contains("saved since"), "{err}");
    assert_eq!(std::fs::read(&edited).unwrap(), before);
    // Saved unchanged by another program that keeps the parts as they are: still ours.
    let copy = dir.path().join("copy.xlsx");
    resaved(&ours, &copy, "docProps/app.xml", |x| {
        x.replace("Microsoft Excel", "Other")
    });
    crate::ok_with(&["chips", "-o"], &copy);
    // A workbook written by an earlier aiinfra (its strings shared, not inline) is
    // still recognised as aiinfra's, and replaced.
    let earlier = dir.path().join("earlier.xlsx");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/chips-0.1.0-shared-strings.xlsx"),
        &earlier,
    )
    .unwrap();
    assert!(part(&earlier, "xl/sharedStrings.xml").contains("昇腾910"));
    crate::ok_with(&["chips", "-o"], &earlier);
    // A zip of a thousand parts is not looked into.
    let many = dir.path().join("many.xlsx");
    {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(std::fs::File::create(&many).unwrap());
        for i in 0..1001 {
            out.start_file(format!("p{i}"), zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(b"x").unwrap();
        }
        out.finish().unwrap();
    }
    let err = crate::fails(&["chips", "-o", many.to_str().unwrap()], 2);
    assert!(err.contains("not a workbook aiinfra wrote"), "{err}");
}

#[test]
fn xlsx_booleans_are_boolean_cells_that_read_true_or_false_everywhere() {
    let (_env, path) = crate::Env::with_output(&["facts", "--subject", "shenzhen"], "facts.xlsx");
    let mut book = book(&path);
    let range = book.worksheet_range("facts").unwrap();
    assert_eq!(cell(&range, 1, "as_of_inferred"), &Data::Bool(false));
    // LibreOffice shows a boolean cell as 0 or 1 unless its format says TRUE/FALSE.
    let styles = part(&path, "xl/styles.xml");
    crate::assert_holds(
        &styles,
        &["formatCode=\"&quot;TRUE&quot;;&quot;TRUE&quot;;&quot;FALSE&quot;\""],
    );
}

/// The scale (per cent) a sheet prints at, from its XML: `scale` when set, else, when
/// it is fitted one page wide, the scale its column widths need on the narrowest
/// landscape page (US Letter, 0.7 inch margins: 921.6 px at 96 dpi, a column of width
/// w taking 7w + 5 px).
fn printed_scale(sheet: &str) -> f64 {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = sheet.find(&format!("<{tag} "))?;
        let rest = &sheet[at..];
        let end = rest.find('>')?;
        let key = format!(" {name}=\"");
        let from = rest[..end].find(&key)? + key.len();
        Some(rest[from..].split('"').next()?.to_string())
    };
    if let Some(scale) = attr("pageSetup", "scale") {
        return scale.parse().unwrap();
    }
    assert_eq!(
        attr("pageSetUpPr", "fitToPage").as_deref(),
        Some("1"),
        "{sheet}"
    );
    assert_eq!(attr("pageSetup", "fitToHeight").as_deref(), Some("0"));
    let mut px = 0.0;
    let mut rest = sheet;
    while let Some(at) = rest.find("<col ") {
        let tag = &rest[at..at + rest[at..].find('>').unwrap()];
        let get = |k: &str| -> f64 {
            let key = format!(" {k}=\"");
            let from = tag.find(&key).unwrap() + key.len();
            tag[from..].split('"').next().unwrap().parse().unwrap()
        };
        let (min, max, width) = (get("min"), get("max"), get("width"));
        px += (max - min + 1.0) * (width * 7.0 + 5.0);
        rest = &rest[at + 5..];
    }
    (100.0 * 921.6 / px).min(100.0)
}

/// Workbooks that print (issue 17): every sheet, a table's or a README's, prints at a
/// scale that keeps its 11 pt text at 8 pt or more, one page wide when that allows
/// it; a table's header row is repeated on every page, a README's first line is not.
#[test]
fn xlsx_every_sheet_prints_at_8_points_or_more() {
    let env = crate::testenv::Env::new();
    env.ok(&["db", "export", "all.xlsx"]);
    let mut books = vec![env.path("all.xlsx")];
    for table in ["models", "facts", "chips"] {
        let name = format!("{table}.xlsx");
        env.ok(&[table, "-o", &name]);
        books.push(env.path(&name));
    }
    for book in &books {
        let names = book_names(book);
        let workbook = part(book, "xl/workbook.xml");
        for (i, name) in names.iter().enumerate() {
            let sheet = part(book, &format!("xl/worksheets/sheet{}.xml", i + 1));
            let scale = printed_scale(&sheet);
            assert!(
                scale * 11.0 / 100.0 >= 8.0 - 1e-9,
                "{} sheet {name} prints at {scale:.0}%: {:.1} pt",
                book.display(),
                scale * 0.11
            );
            assert!(sheet.contains("orientation=\"landscape\""));
            let titles = format!("_xlnm.Print_Titles\" localSheetId=\"{i}\"");
            let notes = name == "README" || name == "about";
            assert_eq!(
                workbook.contains(&titles),
                !notes,
                "{} sheet {name}: header repeated: {}",
                book.display(),
                !notes
            );
        }
    }
}
