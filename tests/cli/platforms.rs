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
