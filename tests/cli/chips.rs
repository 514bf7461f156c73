use crate::{aiinfra, column, csv_rows, fails, json, stdout};

#[test]
fn chips_min_int8_200_lists_the_three_big_training_chips() {
    let mut names = column(&["chips", "--min-int8", "200"], "name_zh");
    names.sort();
    assert_eq!(names, ["思元370", "昆仑芯2", "昇腾910"]);
}

#[test]
fn chips_bounds_are_inclusive() {
    assert_eq!(
        column(&["chips", "--min-int8", "256"], "id"),
        ["ascend-910", "kunlun-2", "siyuan-370"]
    );
    assert_eq!(column(&["chips", "--max-power", "8"], "id"), ["ascend-310"]);
    assert_eq!(
        column(&["chips", "--min-fp16", "147"], "id"),
        ["iluvatar-bi"]
    );
    assert!(column(&["chips", "--min-fp16", "147.5"], "id").is_empty());
}

#[test]
fn chips_vendor_matches_either_language_in_any_case() {
    let zh = column(&["chips", "--vendor", "华为"], "id");
    assert_eq!(zh, ["ascend-910", "ascend-310"]);
    assert_eq!(column(&["chips", "--vendor", "huawei"], "id"), zh);
    assert_eq!(column(&["chips", "--vendor", "HUAWEI"], "id"), zh);
    assert_eq!(column(&["chips", "--vendor", "Hua"], "id"), zh);
}

#[test]
fn chips_kind_filters() {
    assert_eq!(
        column(&["chips", "--kind", "inference"], "id"),
        ["ascend-310"]
    );
    assert_eq!(column(&["chips", "--kind", "training"], "id").len(), 3);
}

#[test]
fn chips_text_filters_match_literally() {
    for needle in ["%", "_", "\\", "'", "\"", "' OR 1=1 --", "华为%"] {
        assert!(
            column(&["chips", "--vendor", needle], "id").is_empty(),
            "{needle}"
        );
    }
}

#[test]
fn chips_csv_carries_the_contract_columns() {
    let out = stdout(&["chips", "--format", "csv"]);
    assert_eq!(
        out.lines().next().unwrap(),
        "id,name_zh,name_en,vendor_zh,vendor_en,kind,process_nm,int8_tops,fp16_tflops,power_w,architecture,source_id,quote,note"
    );
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 5);
    for row in &rows {
        assert_eq!(row["source_id"], "sec-2.3.2");
        assert!(!row["quote"].is_empty());
    }
}

#[test]
fn chips_json_has_numbers_and_nulls() {
    let rows = json(&["chips", "--vendor", "huawei", "--kind", "training"]);
    assert_eq!(rows.len(), 1);
    let chip = &rows[0];
    assert_eq!(chip["id"], "ascend-910");
    assert_eq!(chip["int8_tops"], serde_json::json!(640));
    assert_eq!(chip["fp16_tflops"], serde_json::Value::Null);
    assert_eq!(chip["name_zh"], "昇腾910");
}

#[test]
fn chips_empty_result_is_success_in_every_format() {
    let args = ["chips", "--min-int8", "100000"];
    assert_eq!(json(&args), Vec::<serde_json::Value>::new());
    let csv = stdout(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(csv.lines().count(), 1);
    let out = aiinfra().args(args).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "no rows\n");
    assert!(String::from_utf8_lossy(&out.stdout).contains("int8_tops"));
}

#[test]
fn chips_bad_flag_values_are_usage_errors_naming_flag_and_forms() {
    let err = fails(&["chips", "--min-int8", "abc"], 2);
    assert!(err.contains("--min-int8"), "{err}");
    assert!(err.contains("a number such as 200 or 1.5"), "{err}");
    for bad in ["NaN", "inf", "1e999", "-1", "12O", "1,200"] {
        let err = fails(&["chips", "--min-fp16", bad], 2);
        assert!(err.contains("--min-fp16"), "{bad}: {err}");
    }
    let err = fails(&["chips", "--kind", "gpu"], 2);
    assert!(err.contains("training, inference"), "{err}");
}

#[test]
fn chips_table_snapshot() {
    insta::assert_snapshot!(stdout(&["chips"]));
}
