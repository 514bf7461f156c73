//! The entity commands of the knowledge base: filters in both languages, inclusive
//! bounds, empty results, formats and errors; one table snapshot per command.

use crate::{aiinfra, column, fails, json, stdout};

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn models_params_bounds_accept_every_unit_form() {
    let trillion = ["m6", "switch-transformer", "wudao-2"];
    for p in ["1T", "1e12", "1000000000000", "1万亿", "10000亿", "1000B"] {
        assert_eq!(
            sorted(column(&["models", "--min-params", p], "id")),
            trillion,
            "{p}"
        );
    }
    // Inclusive at both ends: exactly 1750亿 and exactly 1.6万亿.
    let ids = sorted(column(
        &["models", "--min-params", "1750亿", "--max-params", "1.6T"],
        "id",
    ));
    assert_eq!(
        ids,
        ["gpt-3", "mt-nlg", "switch-transformer", "wenxin", "yuan-1"]
    );
    // A lower bound (千亿) is compared by that bound.
    assert!(column(&["models", "--max-params", "100B"], "id").contains(&"pangu-nlp".to_string()));
    assert!(
        !column(&["models", "--min-params", "100.1B"], "id").contains(&"pangu-nlp".to_string())
    );
}

#[test]
fn models_refuse_bad_quantities_quoting_the_value() {
    for bad in [
        "5Q",
        "-1T",
        "1.6万万",
        "1,6T",
        "1.6 TB",
        "NaN",
        "inf",
        "1e999",
    ] {
        let err = fails(&["models", "--min-params", bad], 2);
        assert!(err.contains("--min-params"), "{bad}: {err}");
        assert!(err.contains(&format!("{bad:?}")), "{bad}: {err}");
        assert!(err.contains("175B, 1.6T"), "{bad}: {err}");
    }
}

#[test]
fn models_other_filters() {
    assert_eq!(
        sorted(column(&["models", "--country", "us"], "id")),
        ["gpt-3", "mt-nlg", "switch-transformer"]
    );
    assert_eq!(
        column(&["models", "--org", "huawei"], "id"),
        column(&["models", "--org", "华为"], "id")
    );
    assert_eq!(
        sorted(column(&["models", "--org", "华为"], "id")),
        ["pangu-cv", "pangu-nlp"]
    );
    assert_eq!(
        column(
            &["models", "--since", "2021-10", "--until", "2021-10"],
            "id"
        ),
        ["mt-nlg"]
    );
    assert_eq!(column(&["models", "--since", "2021-11"], "id").len(), 2);
    assert_eq!(column(&["models", "--until", "2020"], "id"), ["gpt-3"]);
    assert_eq!(column(&["models", "--modality", "cv"], "id"), ["pangu-cv"]);
    fails(&["models", "--since", "2021-13"], 2);
    fails(&["models", "--country", "CHN"], 2);
    fails(&["models", "--modality", "audio"], 2);
}

#[test]
fn models_table_marks_lower_bounds() {
    let out = stdout(&["models", "--org", "华为"]);
    assert!(out.contains("≥1000亿"), "{out}");
    let rows = json(&["models", "--org", "华为"]);
    let pangu = rows.iter().find(|r| r["id"] == "pangu-nlp").unwrap();
    assert_eq!(pangu["params"], serde_json::json!(100000000000_i64));
    assert_eq!(pangu["params_qualifier"], serde_json::json!("at_least"));
    insta::assert_snapshot!(stdout(&["models"]));
}

#[test]
fn frameworks_filters() {
    let ten_k = column(&["frameworks", "--min-stars", "10k"], "id");
    assert_eq!(ten_k, ["tensorflow", "pytorch", "paddlepaddle"]);
    assert_eq!(column(&["frameworks", "--min-stars", "1万"], "id"), ten_k);
    assert_eq!(
        column(&["frameworks", "--min-stars", "17000"], "id").len(),
        3,
        "inclusive"
    );
    assert_eq!(
        column(&["frameworks", "--closed-source"], "id"),
        ["senseparrots"]
    );
    assert_eq!(
        column(
            &["frameworks", "--kind", "inference", "--open-source"],
            "id"
        )
        .len(),
        4
    );
    assert_eq!(column(&["frameworks", "--country", "US"], "id").len(), 2);
    assert_eq!(
        column(&["frameworks", "--org", "tencent"], "id"),
        column(&["frameworks", "--org", "腾讯"], "id")
    );
    fails(&["frameworks", "--open-source", "--closed-source"], 2);
    let out = stdout(&["frameworks", "--count-by", "country", "--format", "csv"]);
    assert_eq!(out, "country,count\nCN,12\nUS,2\n");
    insta::assert_snapshot!(stdout(&["frameworks", "--lang", "en"]));
}

#[test]
fn pilot_zones_in_the_reports_order() {
    let seq = column(&["pilot-zones"], "seq");
    assert_eq!(seq, ["1", "2", "3", "4", "4", "5", "6", "7", "8"]);
    assert_eq!(column(&["pilot-zones", "--city", "广州"], "id").len(), 2);
    assert_eq!(
        column(&["pilot-zones", "--city", "tianjin"], "id"),
        ["pz-tianjin-binhai"]
    );
    assert_eq!(
        column(&["pilot-zones", "--city", "济南"], "id"),
        ["pz-jinan-qingdao"]
    );
    assert_eq!(column(&["pilot-zones", "--year", "2021"], "id").len(), 3);
    assert!(column(&["pilot-zones", "--year", "2018"], "id").is_empty());
    insta::assert_snapshot!(stdout(&["pilot-zones"]));
}

#[test]
fn centers_filters_and_city_names() {
    let rows = json(&["centers", "--city", "shenzhen"]);
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r["city_zh"] == "深圳" && r["city_en"] == "Shenzhen")
    );
    assert_eq!(column(&["centers", "--city", "深圳"], "id").len(), 3);
    // A province finds its cities' centers.
    assert_eq!(column(&["centers", "--city", "广东"], "id").len(), 5);
    assert_eq!(column(&["centers", "--min-pflops", "1000"], "id").len(), 3);
    assert_eq!(
        column(&["centers", "--status", "under_construction"], "id").len(),
        2
    );
    assert_eq!(
        column(&["centers", "--status", "operating"], "id").len(),
        10
    );
    fails(&["centers", "--status", "built"], 2);
    insta::assert_snapshot!(stdout(&["centers", "--status", "operating"]));
}

#[test]
fn regions_list_and_profile_by_id_or_name() {
    assert_eq!(
        column(&["regions", "--level", "country"], "id"),
        ["cn", "jp", "kr", "us"]
    );
    let by_zh = stdout(&["regions", "深圳", "--format", "csv"]);
    assert_eq!(by_zh, stdout(&["regions", "shenzhen", "--format", "csv"]));
    assert_eq!(by_zh, stdout(&["regions", "Shenzhen", "--format", "csv"]));
    let rows = crate::csv_rows(&by_zh);
    assert_eq!(rows[0]["entity"], "regions");
    assert_eq!(rows[0]["id"], "shenzhen");
    let entities: Vec<&str> = rows.iter().map(|r| r["entity"].as_str()).collect();
    for e in ["pilot_zones", "compute_centers", "frameworks", "facts"] {
        assert!(entities.contains(&e), "{e} missing from {entities:?}");
    }
    assert!(
        rows.iter()
            .all(|r| !r["source_id"].is_empty() && !r["page"].is_empty())
    );
    // Issue 10: one name resolver, and the same exit code (2) for the same mistake.
    for official in ["广东省", "Guangdong Province", "GUANGDONG"] {
        assert_eq!(
            stdout(&["regions", official, "--format", "csv"]),
            stdout(&["regions", "guangdong", "--format", "csv"]),
            "{official}"
        );
    }
    stdout(&["regions", "上海市"]);
    stdout(&["regions", "新疆维吾尔自治区"]);
    let err = fails(&["regions", "广"], 2);
    crate::assert_holds(
        &err,
        &["\"广\" matches 3 regions: guangdong (广东, Guangdong, regions)"],
    );
    let err = fails(&["regions", "shenzen"], 2);
    crate::assert_holds(&err, &["did you mean shenzhen (深圳, Shenzhen, regions)?"]);
    assert!(fails(&["regions", " "], 2).contains("give a region's id or name"));
    insta::assert_snapshot!(stdout(&["regions", "zhejiang"]));
}

#[test]
fn datasets_languages_apollo() {
    assert_eq!(
        sorted(column(&["datasets", "--publisher", "知乎"], "id")),
        ["zhihu-link-prediction", "zhihurec"]
    );
    assert_eq!(column(&["datasets", "--publisher", "zhihu"], "id").len(), 2);
    assert_eq!(
        column(&["datasets", "--released", "2019"], "id"),
        ["objects365"]
    );
    assert_eq!(column(&["languages"], "language_en").len(), 10);
    assert_eq!(
        column(&["languages", "--min-datasets", "1M"], "id"),
        ["lang-english", "lang-chinese", "lang-spanish"]
    );
    assert_eq!(
        column(&["languages", "--min-datasets", "185.1万"], "id").len(),
        2,
        "inclusive"
    );
    assert_eq!(
        column(&["apollo"], "partner_zh"),
        ["金龙客车", "狮桥集团", "华能伊敏", "新石器", "智行者科技"]
    );
    assert_eq!(
        column(&["apollo", "--partner", "neolix"], "id"),
        ["apollo-neolix"]
    );
    insta::assert_snapshot!(stdout(&["languages"]));
    insta::assert_snapshot!(stdout(&["apollo", "--columns", "id,product_zh,partner_zh"]));
}

#[test]
fn policies_and_facts() {
    assert_eq!(column(&["policies", "--region", "欧盟"], "id").len(), 4);
    assert_eq!(column(&["policies", "--region", "eu"], "id").len(), 4);
    assert_eq!(column(&["policies", "--region", "European"], "id").len(), 4);
    assert_eq!(
        column(&["policies", "--region", "us", "--year", "2021"], "id"),
        ["us-nsf-ai-institutes-2021"]
    );
    let sec23 = column(&["facts", "--source", "sec-2.3"], "source_id");
    assert!(sec23.len() > 10);
    assert!(sec23.iter().all(|s| s.starts_with("sec-2.3.")), "{sec23:?}");
    let sec2 = column(&["facts", "--source", "sec-2"], "id");
    assert!(
        sec2.len() > sec23.len(),
        "a section includes its sub-sections"
    );
    let exact = column(&["facts", "--source", "sec-2.1.1"], "source_id");
    assert!(exact.iter().all(|s| s == "sec-2.1.1"), "{exact:?}");
    assert!(column(&["facts", "--source", "sec-2.3.1"], "id").len() >= 8);
    assert_eq!(column(&["facts", "--metric", "PUE"], "id").len(), 2);
    assert_eq!(column(&["facts", "--metric", "pue"], "id").len(), 2);
    assert_eq!(
        column(&["facts", "--metric", "算力规模"], "id"),
        ["fact-cn-compute-2020"]
    );
    assert!(column(&["facts", "--subject", "apollo"], "id").len() >= 10);
    assert!(
        column(&["facts", "--metric", "%"], "id").is_empty(),
        "% matches literally"
    );
}

#[test]
fn count_by_on_list_commands() {
    let out = stdout(&["platforms", "--count-by", "launched", "--format", "csv"]);
    assert_eq!(
        out,
        "launched,count\n2019,8\n2018,5\n2020,4\n2016,3\n2021,2\n2015,1\n"
    );
    let rows = json(&["centers", "--count-by", "status"]);
    assert_eq!(rows[0]["status"], "operating");
    assert_eq!(rows[0]["count"], serde_json::json!(10));
    let err = fails(&["chips", "--count-by", "maker"], 2);
    assert!(err.contains("for --count-by"), "{err}");
    fails(&["chips", "--count-by", "kind", "--sort", "id"], 2);
    // A number whose unit is in another column (an amount's currency) counts too: the
    // counts' rows have no such column.
    let table = stdout(&["policies", "--count-by", "amount", "--width", "80"]);
    let amounts = column(&["policies"], "amount");
    let given = amounts.iter().filter(|a| !a.is_empty()).count();
    let counted: usize = column(&["policies", "--count-by", "amount"], "count")
        .iter()
        .map(|n| n.parse::<usize>().unwrap())
        .sum();
    assert_eq!(counted, amounts.len(), "{table}");
    assert!(given > 0);
}

#[test]
fn lang_picks_name_columns_in_tables_only() {
    let zh = stdout(&["chips", "--min-int8", "200"]);
    assert!(zh.contains("昇腾910") && !zh.contains("Ascend 910"));
    let en = stdout(&["chips", "--min-int8", "200", "--lang", "en"]);
    assert!(en.contains("Ascend 910") && !en.contains("昇腾910"));
    let csv = stdout(&[
        "chips",
        "--min-int8",
        "200",
        "--lang",
        "en",
        "--format",
        "csv",
    ]);
    assert!(csv.contains("Ascend 910") && csv.contains("昇腾910"));
}

#[test]
fn search_chinese_words_of_any_length_and_english_words() {
    let hits = |args: &[&str]| -> Vec<(String, String)> {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.extend(["--format", "csv"]);
        crate::csv_rows(&stdout(&all))
            .into_iter()
            .map(|r| (r["entity"].clone(), r["id"].clone()))
            .collect()
    };
    let huawei = hits(&["华为"]);
    assert!(huawei.contains(&("chips".into(), "ascend-910".into())));
    assert!(huawei.contains(&("models".into(), "pangu-nlp".into())));
    assert!(huawei.contains(&("frameworks".into(), "mindspore".into())));
    let pengcheng = hits(&["鹏城"]);
    assert!(pengcheng.contains(&("compute_centers".into(), "pengcheng-cloud-brain".into())));
    assert!(pengcheng.contains(&("models".into(), "wenxin".into())));
    assert!(hits(&["算力"]).len() > 20);
    assert!(hits(&["ascend"]).contains(&("chips".into(), "ascend-310".into())));
    let en = hits(&["HUAWEI"]);
    assert!(en.contains(&("chips".into(), "ascend-910".into())));
    // Names rank before notes and quotes.
    let rows = crate::csv_rows(&stdout(&["search", "Ascend", "--format", "csv"]));
    let first_quote = rows
        .iter()
        .position(|r| r["field"] == "quote" || r["field"] == "note");
    let last_name = rows.iter().rposition(|r| r["field"] == "name_en");
    assert!(last_name < first_quote, "{rows:?}");
    // --entity narrows, and is checked.
    assert!(
        hits(&["华为", "--entity", "chips"])
            .iter()
            .all(|(e, _)| e == "chips")
    );
    let err = fails(&["search", "华为", "--entity", "chip"], 2);
    assert!(err.contains("did you mean chips?"), "{err}");
    assert!(hits(&["no-such-words-anywhere"]).is_empty());
    // `%` matches only a literal percent sign, marked in each snippet.
    let percent = crate::csv_rows(&stdout(&["search", "%", "--format", "csv"]));
    assert!(!percent.is_empty());
    assert!(
        percent.iter().all(|r| r["snippet"].contains("【%】")),
        "{percent:?}"
    );
    fails(&["search", " "], 2);
    insta::assert_snapshot!(stdout(&["search", "昇腾"]));
}

#[test]
fn show_any_record_with_its_citation() {
    let rows = json(&["show", "ascend-910"]);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["entity"], "chips");
    assert_eq!(r["int8_tops"], serde_json::json!(640));
    assert_eq!(r["source_label_zh"], "2. 人工智能芯片算力性能大幅提升");
    assert_eq!(r["page"], serde_json::json!(13));
    assert!(r["quote"].as_str().unwrap().contains("640 TOPS"));
    let table = stdout(&["show", "gpt-3"]);
    assert!(
        table.contains("page") && table.contains("1750 亿"),
        "{table}"
    );
    let err = fails(&["show", "ascend-91"], 2);
    crate::assert_holds(
        &err,
        &["did you mean ascend-910 (昇腾910, Ascend 910, chips)?"],
    );
    // Issue 10: any case, either language's name, and --lang.
    for key in ["ASCEND-910", "昇腾910", "Ascend 910", "ascend910"] {
        assert_eq!(json(&["show", key])[0]["id"], "ascend-910", "{key}");
    }
    let en = stdout(&["show", "m6", "--lang", "en"]);
    assert!(en.contains("name_en") && !en.contains("name_zh"), "{en}");
    let err = fails(&["show", "盘古"], 2);
    assert!(
        err.contains("pangu-nlp") && err.contains("pangu-cv"),
        "{err}"
    );
    insta::assert_snapshot!(stdout(&["show", "table-3"]));
}

#[test]
fn sources_count_the_rows_citing_them() {
    let rows = crate::csv_rows(&stdout(&["sources", "--kind", "table", "--format", "csv"]));
    let rows: Vec<(String, String, String)> = rows
        .into_iter()
        .map(|r| (r["id"].clone(), r["page"].clone(), r["rows"].clone()))
        .collect();
    assert_eq!(rows[2].0, "table-3");
    assert_eq!(rows[2].1, "10");
    // Its rows: the models of Table 5, and the facts that quote it.
    let citing = column(
        &[
            "sql",
            "SELECT count(*) AS n FROM citations WHERE source_id = 'table-5'",
        ],
        "n",
    );
    assert_eq!(rows[4], ("table-5".into(), "20".into(), citing[0].clone()));
    assert_eq!(column(&["sources"], "id").len(), 50);
    insta::assert_snapshot!(stdout(&["sources", "--kind", "footnote"]));
}

#[test]
fn schema_lists_columns_with_units_and_meanings() {
    let rows = crate::csv_rows(&stdout(&["schema", "chips", "--format", "csv"]));
    let int8 = rows.iter().find(|r| r["column"] == "int8_tops").unwrap();
    assert_eq!(int8["unit"], "TOPS");
    assert_eq!(int8["sql_type"], "REAL");
    assert!(!int8["meaning"].is_empty());
    let all = crate::csv_rows(&stdout(&["schema", "--format", "csv"]));
    assert!(all.len() > 120);
    assert!(all.iter().all(|r| !r["meaning"].is_empty()));
    let err = fails(&["schema", "chip"], 2);
    assert!(err.contains("did you mean chips?"), "{err}");
    let out = aiinfra()
        .args(["schema", "models", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(out.status.success());
}
