//! The transcription held to the report's own totals and structure.

use std::collections::BTreeMap;

use crate::{csv_rows, stdout};

/// Rows of a SELECT, as CSV records.
fn sql(query: &str) -> Vec<BTreeMap<String, String>> {
    csv_rows(&stdout(&["sql", query, "--format", "csv"]))
}

fn one(query: &str) -> String {
    let rows = sql(query);
    assert_eq!(rows.len(), 1, "{query}");
    rows[0].values().next().unwrap().clone()
}

fn fact(id: &str) -> f64 {
    one(&format!("SELECT value FROM facts WHERE id = '{id}'"))
        .parse()
        .unwrap()
}

#[test]
fn data_platforms_are_19_provincial_and_4_municipal_as_the_text_says() {
    let provincial = one(
        "SELECT count(*) FROM open_data_platforms WHERE level IN ('province', 'autonomous_region')",
    );
    let municipal = one("SELECT count(*) FROM open_data_platforms WHERE level = 'municipality'");
    assert_eq!((provincial.as_str(), municipal.as_str()), ("19", "4"));
    assert_eq!(fact("fact-cn-provincial-open-data-platforms"), 19.0);
    assert_eq!(fact("fact-cn-municipal-open-data-platforms"), 4.0);
    // 179 = 19 + 4 + 156; 33 new = 2 provincial + 31 city.
    assert_eq!(
        fact("fact-cn-local-open-data-platforms"),
        fact("fact-cn-provincial-open-data-platforms")
            + fact("fact-cn-municipal-open-data-platforms")
            + fact("fact-cn-city-open-data-platforms")
    );
    assert_eq!(
        fact("fact-cn-new-open-data-platforms"),
        fact("fact-cn-new-provincial-open-data-platforms")
            + fact("fact-cn-new-city-open-data-platforms")
    );
    // The two provincial platforms new in 2021 are Table 3's last two.
    assert_eq!(
        one("SELECT count(*) FROM open_data_platforms WHERE launched = 2021"),
        "2"
    );
}

#[test]
fn data_pilot_zones_are_8_zones_with_9_policies() {
    let rows =
        sql("SELECT seq, zone_zh, published, policy_zh FROM pilot_zones ORDER BY seq, published");
    assert_eq!(rows.len(), 9);
    let seqs: Vec<&str> = rows.iter().map(|r| r["seq"].as_str()).collect();
    assert_eq!(seqs, ["1", "2", "3", "4", "4", "5", "6", "7", "8"]);
    let zones: Vec<&str> = rows.iter().map(|r| r["zone_zh"].as_str()).collect();
    assert_eq!(
        zones,
        [
            "北京",
            "天津(滨海新区)",
            "杭州",
            "广州",
            "广州",
            "成都",
            "上海(浦东)",
            "深圳",
            "济南-青岛"
        ]
    );
    for r in &rows {
        assert!(
            r["policy_zh"].starts_with('《') && r["policy_zh"].ends_with('》'),
            "{r:?}"
        );
    }
    assert_eq!(fact("fact-cn-ai-pilot-zones"), 8.0);
}

#[test]
fn data_table_2_has_its_10_languages() {
    let rows = sql(
        "SELECT language_en, datasets, growth_pct FROM dataset_languages ORDER BY datasets DESC",
    );
    let got: Vec<(String, String, String)> = rows
        .into_iter()
        .map(|r| {
            (
                r["language_en"].clone(),
                r["datasets"].clone(),
                r["growth_pct"].clone(),
            )
        })
        .collect();
    let want = [
        ("English", "18650000", "67"),
        ("Chinese", "1851000", "82"),
        ("Spanish", "1485000", "70"),
        ("German", "743000", "74"),
        ("French", "492000", "76"),
        ("Arabic", "435000", "75"),
        ("Japanese", "404000", "72"),
        ("Russian", "354000", "65"),
        ("Portuguese", "304000", "69"),
        ("Hindi", "288000", "70"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    // The text agrees with the table (185.1 万 Chinese data sets, +82%); the table's
    // row holds the figure once and its note cites the text.
    assert_eq!(
        one("SELECT datasets FROM dataset_languages WHERE id = 'lang-chinese'"),
        "1851000"
    );
    let note = one("SELECT note FROM dataset_languages WHERE id = 'lang-chinese'");
    assert!(note.contains("185.1"), "{note}");
}

#[test]
fn data_7_ai_computing_centers_built_in_7_cities() {
    let cities = sql(
        "SELECT DISTINCT region_id FROM compute_centers WHERE status = 'operating' \
         AND region_id IN ('shenzhen', 'hengqin', 'wuhan', 'nanjing', 'xian', 'xuchang', 'jincheng') ORDER BY 1",
    );
    assert_eq!(cities.len(), 7);
    assert_eq!(fact("fact-cn-ai-computing-centers-built"), 7.0);
    let listed = one(
        "SELECT count(*) FROM compute_centers WHERE instr(quote, '已建的人工智能算力中心有7个') > 0 \
         OR instr(note, 'one of the 7 AI computing centers built') > 0 OR instr(note, 'One of the 7 AI computing centers built') > 0",
    );
    // Six of the seven are rows of their own (Hengqin, Wuhan, Nanjing, Xi'an, Xuchang,
    // Jincheng); the report does not name the one built in Shenzhen or link it to any of
    // Shenzhen's centers it names, so no row claims it.
    assert_eq!(listed, "6", "one row per built center named, none twice");
    let shenzhen = one(
        "SELECT count(*) FROM compute_centers WHERE region_id = 'shenzhen' \
         AND (instr(quote, '已建的人工智能算力中心有7个') > 0 \
         OR instr(note, 'one of the 7 AI computing centers built') > 0 OR instr(note, 'One of the 7 AI computing centers built') > 0)",
    );
    assert_eq!(shenzhen, "0");
    let planned = sql(
        "SELECT region_id FROM compute_centers WHERE instr(quote, '在建和计划建设的中心有10个') > 0 ORDER BY 1",
    );
    let planned: Vec<&str> = planned.iter().map(|r| r["region_id"].as_str()).collect();
    assert_eq!(
        planned,
        ["chengdu", "dalian", "foshan", "shanghai", "shenyang"]
    );
}

#[test]
fn data_tables_4_5_and_6() {
    assert_eq!(
        one("SELECT count(*) FROM frameworks WHERE source_id = 'table-4'"),
        "7"
    );
    assert_eq!(
        one("SELECT count(*) FROM models WHERE source_id = 'table-5'"),
        "8"
    );
    assert_eq!(
        one("SELECT count(*) FROM apollo_products WHERE source_id = 'table-6'"),
        "5"
    );
    assert_eq!(
        one("SELECT github_stars FROM frameworks WHERE id = 'pytorch'"),
        "52200"
    );
    assert_eq!(
        one("SELECT country FROM frameworks WHERE id = 'mindspore'"),
        "CN"
    );
    assert_eq!(
        one("SELECT params FROM models WHERE id = 'gpt-3'"),
        "175000000000"
    );
    assert_eq!(
        one("SELECT params FROM models WHERE id = 'm6'"),
        "10000000000000"
    );
    assert_eq!(
        one("SELECT released FROM models WHERE id = 'wenxin'"),
        "2021-11"
    );
    assert_eq!(
        one("SELECT params_qualifier FROM models WHERE id = 'pangu-nlp'"),
        "at_least"
    );
    assert_eq!(
        one("SELECT params FROM models WHERE id = 'pangu-cv'"),
        "3000000000"
    );
}

#[test]
fn data_every_link_resolves_and_every_id_is_unique() {
    assert!(sql("SELECT * FROM pragma_foreign_key_check").is_empty());
    let tables = one(
        "SELECT group_concat(m.name, ',') FROM sqlite_schema AS m WHERE m.type = 'table' AND m.name NOT IN ('aiinfra_meta', 'citations') AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'id')",
    );
    let union = tables
        .split(',')
        .map(|t| format!("SELECT id FROM {t}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let dupes = sql(&format!(
        "SELECT id, count(*) AS n FROM ({union}) GROUP BY id HAVING n > 1"
    ));
    assert!(dupes.is_empty(), "{dupes:?}");
    // Every row cites a source with a page, and every cited row has a quote.
    assert_eq!(
        one(
            "SELECT count(*) FROM citations c LEFT JOIN sources s ON s.id = c.source_id WHERE s.page IS NULL OR c.quote = ''"
        ),
        "0"
    );
    // Every region a row points at has a parent chain ending in a country or bloc.
    assert_eq!(
        one(
            "SELECT count(*) FROM regions WHERE parent_id IS NULL AND level NOT IN ('country', 'bloc')"
        ),
        "0"
    );
}

#[test]
fn data_row_counts() {
    insta::assert_snapshot!(stdout(&["db", "check", "--format", "csv"]));
}
