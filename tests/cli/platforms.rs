use crate::{column, fails, json, stdout};

/// Each `--year` reproduces one row of Table 3.
#[test]
fn platforms_year_reproduces_every_row_of_table_3() {
    for (year, count) in [
        (2015, 1),
        (2016, 4),
        (2017, 4),
        (2018, 9),
        (2019, 17),
        (2020, 21),
        (2021, 23),
    ] {
        let ids = column(&["platforms", "--year", &year.to_string()], "id");
        assert_eq!(ids.len(), count, "{year}");
    }
    let mut regions = column(&["platforms", "--year", "2016"], "region_zh");
    regions.sort();
    assert_eq!(regions, ["北京", "广东", "浙江", "贵州"]);
}

#[test]
fn platforms_launched_lists_one_year() {
    let mut regions = column(&["platforms", "--launched", "2020"], "region_en");
    regions.sort();
    assert_eq!(regions, ["Guangxi", "Hubei", "Hunan", "Qinghai"]);
    assert!(column(&["platforms", "--launched", "2017"], "id").is_empty());
}

#[test]
fn platforms_level_filters() {
    assert_eq!(
        column(&["platforms", "--level", "municipality"], "id").len(),
        4
    );
    assert_eq!(
        column(&["platforms", "--level", "autonomous_region"], "id").len(),
        3
    );
    assert_eq!(
        column(&["platforms", "--level", "province"], "id").len(),
        16
    );
    let err = fails(&["platforms", "--level", "city"], 2);
    crate::assert_holds(&err, &["province, autonomous_region, municipality"]);
}

#[test]
fn platforms_json_carries_region_names() {
    let rows = json(&["platforms", "--launched", "2015"]);
    assert_eq!(rows.len(), 1);
    let text = stdout(&["platforms", "--launched", "2015", "--format", "json"]);
    let keys = [
        "id",
        "region_id",
        "region_zh",
        "region_en",
        "level",
        "launched",
        "source_id",
        "quote",
        "note",
    ];
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(positions.is_sorted(), "keys out of order: {text}");
    assert_eq!(rows[0]["region_zh"], "浙江");
    assert_eq!(rows[0]["launched"], serde_json::json!(2015));
}

#[test]
fn platforms_bad_years_are_usage_errors() {
    for bad in ["20x9", "1800", "2101", "19"] {
        let err = fails(&["platforms", "--year", bad], 2);
        assert!(err.contains("--year"), "{err}");
        assert!(err.contains("between 1900 and 2100"), "{err}");
    }
}

#[test]
fn platforms_table_snapshot() {
    insta::assert_snapshot!(stdout(&["platforms", "--year", "2016"]));
}

/// "How many provincial-level platforms had launched by 2020" is one command that
/// shows the counts with their source and page (the table says them once under it);
/// CSV keeps a value and its count.
#[test]
fn platforms_count_by_cites_its_source_and_page() {
    let rows = stdout(&["platforms", "--year", "2020", "-f", "csv"])
        .lines()
        .count()
        - 1;
    let table = stdout(&[
        "platforms",
        "--year",
        "2020",
        "--count-by",
        "level",
        "--width",
        "80",
    ]);
    let counted: usize = table
        .lines()
        .filter_map(|l| l.split('┆').nth(1))
        .filter_map(|c| c.trim().trim_end_matches('│').trim().parse::<usize>().ok())
        .sum();
    assert_eq!(counted, rows, "{table}");
    let page = stdout(&["show", "table-3", "-f", "json"]);
    let page: serde_json::Value = serde_json::from_str(&page).unwrap();
    let page = page[0]["page"].as_i64().unwrap();
    assert!(
        table.contains(&format!("source_id: table-3 · page: {page}")),
        "{table}"
    );
    let csv = stdout(&[
        "platforms",
        "--year",
        "2020",
        "--count-by",
        "level",
        "-f",
        "csv",
    ]);
    assert_eq!(csv.lines().next(), Some("level,count"));
    // Rows of several sources list them, with spaces, so a narrow table wraps them.
    let facts = stdout(&["facts", "--count-by", "subject", "-f", "csv"]);
    assert_eq!(facts.lines().next(), Some("subject,count"));
    let wide = stdout(&["facts", "--count-by", "subject", "--wide"]);
    assert!(wide.contains("sec-2.1.3, sec-3.3"), "{wide}");
}
