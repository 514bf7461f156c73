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
        for lang in ["zh", "en"] {
            let out = sh(&format!("{command} --width 80 --lang {lang}"));
            assert!(
                widest(&out) <= 80,
                "{command} --lang {lang} is {} wide:\n{out}",
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
    assert!(out.contains('…'), "long names are cut with …:\n{out}");
}

#[test]
fn fit_hidden_columns_are_named_and_wide_shows_all() {
    let out = aiinfra().args(["facts", "--width", "80"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
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
