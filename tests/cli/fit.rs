//! Tables that fit (issue 12): with a width to fit (a terminal, or --width), no line of
//! any command's output is wider; ids and numbers are never broken, long text is cut or
//! wrapped, and columns that cannot fit are dropped with a word on stderr. Piped output
//! stays whole.

use unicode_width::UnicodeWidthStr;

use crate::{aiinfra, column, sh};

/// Every command's output worth fitting, as a shell would write it.
const COMMANDS: &[&str] = &[
    "chips",
    "platforms",
    "models",
    "frameworks",
    "pilot-zones",
    "centers",
    "regions",
    "regions zhejiang",
    "regions shenzhen",
    "datasets",
    "languages",
    "apollo",
    "policies",
    "facts",
    "facts --subject shenzhen",
    "search 华为",
    "show ascend-910 --context",
    "show m6",
    "compare 昇腾910 昇腾310",
    "compare gpt-3 wudao-2 m6",
    "compare 深圳 北京 上海",
    "timeline",
    "timeline --from 2020 --to 2020",
    "timeline --chart",
    "sources",
    "schema",
    "sql 'SELECT * FROM facts'",
    "db check",
    "report sec-2.3.2",
    "report --errata",
    "chips --chart int8_tops",
    "models --chart params --log",
    "platforms --count-by launched --chart --cumulative",
];

fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

#[test]
fn fit_every_command_fits_80_columns_in_both_languages() {
    for command in COMMANDS {
        // Text takes no --lang: the report is in Chinese.
        let langs: &[&str] = if command.starts_with("report sec") {
            &[""]
        } else {
            &[" --lang zh", " --lang en"]
        };
        for lang in langs {
            let out = sh(&format!("{command} --width 80{lang}"));
            assert!(
                widest(&out) <= 80,
                "{command}{lang} is {} wide:\n{out}",
                widest(&out)
            );
        }
    }
}

#[test]
fn fit_ids_and_numbers_are_never_broken() {
    let out = sh("facts --subject shenzhen --width 80");
    for id in column(&["facts", "--subject", "shenzhen"], "id") {
        assert!(out.contains(&id), "{id} is broken or missing:\n{out}");
    }
    let out = sh("models --width 60 --lang en");
    for value in ["1.75T", "≥100B", "245.7B", "10T"] {
        assert!(out.contains(value), "{value}:\n{out}");
    }
    // A long name takes a second line before it is cut.
    assert!(
        out.contains("Megatron-Turing") && out.contains("(MT-NLG)"),
        "long names wrap:\n{out}"
    );
}

#[test]
fn fit_hidden_columns_are_named_and_wide_shows_all() {
    let out = aiinfra().args(["facts", "--width", "80"]).output().unwrap();
    // The notice is fitted to the width too: read as one line.
    let err = String::from_utf8_lossy(&out.stderr).replace('\n', " ");
    assert!(
        err.contains("hidden to fit the width") && err.contains("--wide shows all"),
        "{err}"
    );
    let wide = sh("facts --wide");
    assert!(widest(&wide) > 80);
    let out = aiinfra().args(["facts", "--wide"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
    // Piped, nothing is cut: the same as --wide.
    assert_eq!(sh("facts"), wide);
    let err = crate::sh_fails("facts --width 10", 2);
    assert!(err.contains("between 20 and 10000"), "{err}");
}

#[test]
fn fit_records_and_profiles_wrap_their_text() {
    let out = sh("show ascend-910 --width 60");
    assert!(widest(&out) <= 60, "{out}");
    // The whole quote is there, wrapped, not cut.
    let squeezed: String = out
        .split_whitespace()
        .collect::<String>()
        .replace(['│', '┆'], "");
    assert!(squeezed.contains("算力高达640TOPS"), "{out}");
    insta::assert_snapshot!("fit_show_at_60_columns", out);
    insta::assert_snapshot!(
        "fit_regions_zhejiang_at_80_columns",
        sh("regions zhejiang --width 80")
    );
    insta::assert_snapshot!(
        "fit_models_en_at_80_columns",
        sh("models --lang en --width 80")
    );
}

#[test]
fn fit_every_command_fits_narrow_widths_too() {
    // Narrower than any id: columns go, down to two, then ids are cut (and stderr
    // says so) rather than the table overflowing.
    for command in COMMANDS {
        for width in [20, 33, 47] {
            let out = aiinfra()
                .args(shlex::split(command).unwrap())
                .args(["--width", &width.to_string()])
                .output()
                .unwrap();
            assert!(out.status.success(), "{command} --width {width}");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                widest(&text) <= width,
                "{command} --width {width} is {} wide:\n{text}",
                widest(&text)
            );
        }
    }
    let out = aiinfra().args(["facts", "--width", "30"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ids and numbers cut"), "{err}");
}

#[test]
fn fit_records_keep_ids_and_numbers_whole_and_profiles_keep_their_quotes() {
    // A record's id and its numbers are not wrapped or cut while they fit.
    let out = sh("show fact-cn-open-data-platforms-acceleration-start --width 70");
    crate::assert_holds(&out, &["fact-cn-open-data-platforms-acceleration-start"]);
    let out = sh("show fact-beijing-open-data-items --width 36");
    assert!(out.contains("44.4332万"), "{out}");
    // However narrow, a record shows its values.
    for width in [20, 25, 29] {
        let out = sh(&format!("show ascend-910 --width {width}"));
        assert!(
            out.contains("value") && out.contains("640"),
            "{width}:\n{out}"
        );
    }
    // A region's profile at 80 columns keeps each row's quote, wrapped.
    let out = aiinfra()
        .args(["regions", "shenzhen", "--width", "80"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().nth(1).unwrap().contains("quote"), "{text}");
    assert!(widest(&text) <= 80);
}

#[test]
fn fit_chart_labels_stay_on_their_row() {
    let out = sh("sql \"SELECT 'ab' || char(10) || 'cd' AS name_en, 5 AS v\" --chart v --width 40");
    let bars: Vec<&str> = out.lines().filter(|l| l.contains('│')).collect();
    assert_eq!(bars.len(), 1, "{out}");
    assert!(bars[0].starts_with("ab cd"), "{out}");
}

#[test]
fn fit_a_terminal_that_reports_no_width_uses_columns() {
    let script = std::process::Command::new("script")
        .arg("--version")
        .output();
    if script.is_err() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_aiinfra");
    let out = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("stty cols 0; {bin} chips --color never"),
            "/dev/null",
        ])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let table: String = text
        .lines()
        .filter(|l| l.starts_with('│'))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(table.contains("name_zh") && widest(&table) <= 100, "{text}");
}

/// Every chart command the README shows (any line with `aiinfra … --chart`), drawn
/// as an SVG in both languages, keeps its title, axis, labels and captions whole
/// inside the drawing: each text's width is measured as laid out (display columns, a
/// Chinese character two, at 7.5 px per column for 13 px text) against the drawing's
/// width, and the report's 来源 attribution is one whole line.
#[test]
fn fit_every_readme_chart_keeps_its_captions_inside_the_drawing() {
    let readme = include_str!("../../README.md");
    let commands: Vec<String> = readme
        .lines()
        .filter_map(|l| {
            l.trim_start_matches("$ ")
                .split_once("aiinfra ")
                .map(|(_, c)| c)
        })
        .filter(|c| c.contains("--chart"))
        .map(|c| {
            let c = c.split('#').next().unwrap_or(c);
            // The chart, not where the README saves it.
            let words = shlex::split(c).unwrap();
            let mut kept = Vec::new();
            let mut skip = false;
            for w in words {
                if skip {
                    skip = false;
                } else if w == "--output" || w == "-o" {
                    skip = true;
                } else if w != "--lang" && w != "en" && w != "zh" {
                    kept.push(w);
                }
            }
            shlex::try_join(kept.iter().map(String::as_str)).unwrap()
        })
        .collect();
    assert!(commands.len() >= 3, "the README shows {commands:?}");
    for command in &commands {
        for lang in ["zh", "en"] {
            let svg = sh(&format!("{command} --lang {lang} --format svg"));
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let root = doc.root_element();
            let width: f64 = root.attribute("width").unwrap().parse().unwrap();
            let font_of = |n: roxmltree::Node| -> f64 {
                n.ancestors()
                    .find_map(|a| a.attribute("font-size"))
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            let mut texts = Vec::new();
            for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
                let text = node.text().unwrap_or("");
                let x: f64 = node.attribute("x").unwrap().parse().unwrap();
                let w = UnicodeWidthStr::width(text) as f64 * 7.5 * font_of(node) / 13.0;
                let (from, to) = match node.attribute("text-anchor") {
                    Some("end") => (x - w, x),
                    Some("middle") => (x - w / 2.0, x + w / 2.0),
                    _ => (x, x + w),
                };
                assert!(
                    from >= 0.0 && to <= width,
                    "{command} --lang {lang}: {text:?} spans {from:.0}..{to:.0} px of a {width} px drawing"
                );
                texts.push(text.to_string());
            }
            assert!(
                texts
                    .iter()
                    .any(|t| t.contains("来源:中国信息通信研究院和人工智能与经济社会研究中心")),
                "{command} --lang {lang}: the attribution is not one whole line: {texts:?}"
            );
        }
    }
}

/// A column is hidden only when it could not fit: the room a fitted table leaves
/// is narrower than any hidden column's header (a column dropped early comes back
/// when a wider one went too).
#[test]
fn fit_hides_only_what_does_not_fit() {
    for command in COMMANDS {
        let words = shlex::split(&format!("{command} --width 80")).unwrap();
        let out = aiinfra().args(&words).output().unwrap();
        let table = String::from_utf8_lossy(&out.stdout);
        let err = String::from_utf8_lossy(&out.stderr).replace('\n', " ");
        let Some((_, hidden)) = err.split_once("hidden to fit the width (") else {
            continue;
        };
        let Some((hidden, _)) = hidden.split_once("); --wide") else {
            continue;
        };
        let room = 80 - widest(&table);
        for header in hidden.split(", ") {
            assert!(
                header.width() + 3 > room,
                "{command}: {header} is hidden but {room} columns are free:\n{table}"
            );
        }
    }
}
