//! Issue 20: `aiinfra timeline`, every dated row of every dated table in one
//! chronology. Expectations come from the program: the dated tables and their date
//! columns from the contract, the rows from `aiinfra sql`.

use std::collections::BTreeMap;

use aiinfra::db::contract::{Dated, TABLES, Table};
use aiinfra::units::period_month;

use crate::{Env, assert_holds, csv_rows, fails, sh_fails, stdout};

fn dated() -> Vec<(&'static Table, Dated)> {
    TABLES
        .iter()
        .filter_map(|t| t.date.map(|d| (t, d)))
        .collect()
}

/// One number from `aiinfra sql`.
fn count(sql: &str) -> usize {
    let out = stdout(&["sql", sql, "--format", "csv"]);
    out.lines().nth(1).unwrap().parse().unwrap()
}

/// The timeline's events as CSV rows.
fn events(args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut all = vec!["timeline"];
    all.extend(args);
    all.extend(["--format", "csv"]);
    csv_rows(&stdout(&all))
}

/// How an event sorts: its period's first month, a year before its half-years before
/// its months, then its table in the contract's order, then its id.
fn order_key(e: &BTreeMap<String, String>) -> (String, u8, usize, String) {
    let precision = match e["precision"].as_str() {
        "year" => 0,
        "half-year" => 1,
        _ => 2,
    };
    let table = TABLES.iter().position(|t| t.name == e["entity"]).unwrap();
    (
        period_month(&e["date"], true).unwrap(),
        precision,
        table,
        e["id"].clone(),
    )
}

#[test]
fn timeline_2020_lists_every_dated_tables_events_in_order() {
    let events = events(&["--from", "2020", "--to", "2020"]);
    // Every dated table's rows whose date lies in 2020, and nothing else.
    let mut expected = 0;
    for (table, date) in dated() {
        let want = count(&format!(
            "SELECT count(*) FROM {} WHERE substr(CAST({c} AS TEXT), 1, 4) = '2020'",
            table.name,
            c = date.column
        ));
        let got = events.iter().filter(|e| e["entity"] == table.name).count();
        assert_eq!(got, want, "{}", table.name);
        expected += want;
    }
    assert_eq!(events.len(), expected);
    // Oldest first, as the issue orders them.
    let keys: Vec<_> = events.iter().map(order_key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for e in &events {
        // The date as the report gives it, its precision, its year, and its page.
        let date = &e["date"];
        let precision = match date.len() {
            4 => "year",
            _ if date.contains('H') => "half-year",
            _ => "month",
        };
        assert_eq!(e["precision"], precision, "{e:?}");
        assert_eq!(e["year"], "2020", "{e:?}");
        assert!(e["page"].parse::<u32>().is_ok(), "{e:?}");
        for field in ["what_zh", "what_en", "name_zh"] {
            assert!(!e[field].is_empty(), "{field}: {e:?}");
        }
    }
    // The inferred flag is the fact's own.
    let inferred: Vec<&str> = events
        .iter()
        .filter(|e| e["inferred"] == "true")
        .map(|e| e["id"].as_str())
        .collect();
    let want =
        count("SELECT count(*) FROM facts WHERE as_of_inferred AND substr(as_of, 1, 4) = '2020'");
    assert_eq!(inferred.len(), want, "{inferred:?}");
    // Each kind of precision is there, and a year sorts before the months of its year.
    let precisions: Vec<&str> = events.iter().map(|e| e["precision"].as_str()).collect();
    for p in ["year", "half-year", "month"] {
        assert!(precisions.contains(&p), "{precisions:?}");
    }
    assert_eq!(precisions[0], "year");
}

#[test]
fn timeline_every_dated_table_joins_and_undated_rows_are_counted() {
    let events = events(&[]);
    let out = crate::Run::new(&["timeline", "--format", "csv"]).outcome();
    for (table, date) in dated() {
        let dated_rows = count(&format!(
            "SELECT count(*) FROM {} WHERE {} IS NOT NULL",
            table.name, date.column
        ));
        let got = events.iter().filter(|e| e["entity"] == table.name).count();
        assert_eq!(got, dated_rows, "{}", table.name);
        let undated = count(&format!(
            "SELECT count(*) FROM {} WHERE {} IS NULL",
            table.name, date.column
        ));
        // stderr names each table's undated rows, by the command that lists them.
        let said = format!("{} {undated}", table.short_name());
        assert_eq!(
            out.stderr.replace('\n', " ").contains(&said),
            undated > 0,
            "{said}: {}",
            out.stderr
        );
    }
    // After the report's publication: a target or a forecast.
    let published = aiinfra::report::PUBLISHED;
    for e in &events {
        let after = period_month(&e["date"], false).unwrap().as_str() > published;
        assert_eq!(e["target"] == "true", after, "{e:?}");
    }
    assert!(events.iter().any(|e| e["target"] == "true"));
}

#[test]
fn timeline_count_by_year_sums_to_the_events_and_charts_them() {
    for range in [&["--from", "2020", "--to", "2020"][..], &[]] {
        let listed = events(range).len();
        let mut args = vec!["timeline", "--count-by", "year", "--format", "csv"];
        args.extend(range);
        let counts = csv_rows(&stdout(&args));
        let sum: usize = counts
            .iter()
            .map(|r| r["count"].parse::<usize>().unwrap())
            .sum();
        assert_eq!(sum, listed, "{range:?}");
    }
    // --chart alone draws the events per year, in the terminal and as an SVG.
    let bars = stdout(&["timeline", "--chart", "--width", "80"]);
    assert_eq!(
        bars,
        stdout(&["timeline", "--count-by", "year", "--chart", "--width", "80"])
    );
    assert_eq!(
        bars,
        stdout(&["timeline", "--chart", "year", "--width", "80"])
    );
    assert_holds(&bars, &["2015 │", "2021 │"]);
    let (_env, svg) = Env::with_output(&["timeline", "--chart"], "t.svg");
    let svg = std::fs::read_to_string(svg).unwrap();
    assert_holds(&svg, &[aiinfra::report::ATTRIBUTION, "<svg"]);
}

#[test]
fn timeline_filters_by_table_place_and_inference() {
    // --entity takes table and command names.
    let models = events(&["--entity", "models,pilot-zones"]);
    assert!(!models.is_empty());
    assert!(
        models
            .iter()
            .all(|e| e["entity"] == "models" || e["entity"] == "pilot_zones")
    );
    // --region: the place and the places in it (a province's cities).
    let inside: Vec<String> = csv_rows(&stdout(&["regions", "--region", "广东", "-f", "csv"]))
        .into_iter()
        .map(|r| r["id"].clone())
        .chain(["guangdong".to_string()])
        .collect();
    let guangdong = events(&["--region", "广东省"]);
    assert!(guangdong.iter().any(|e| e["region_id"] == "shenzhen"));
    assert!(guangdong.iter().all(|e| inside.contains(&e["region_id"])));
    // A model is placed by its country: --region 中国 has the Chinese models, each of
    // those `models --columns id,country` lists with CN, and no other.
    let chinese: Vec<String> =
        csv_rows(&stdout(&["models", "--columns", "id,country", "-f", "csv"]))
            .into_iter()
            .filter(|r| r["country"] == "CN")
            .map(|r| r["id"].clone())
            .collect();
    let in_china: Vec<String> = events(&["--region", "中国", "--entity", "models"])
        .into_iter()
        .map(|e| e["id"].clone())
        .collect();
    assert!(!in_china.is_empty());
    assert!(
        in_china.iter().all(|id| chinese.contains(id)),
        "{in_china:?}"
    );
    // --inferred and --stated split the events.
    let all = events(&[]).len();
    let inferred = events(&["--inferred"]);
    let stated = events(&["--stated"]);
    assert!(inferred.iter().all(|e| e["inferred"] == "true") && !inferred.is_empty());
    assert!(stated.iter().all(|e| e["inferred"] == "false"));
    assert_eq!(inferred.len() + stated.len(), all);
    // A range overlaps: 2021-H2 takes the year 2021 and its second half's months.
    let late = events(&["--from", "2021-H2", "--to", "2021"]);
    assert!(late.iter().any(|e| e["date"] == "2021"));
    assert!(
        late.iter()
            .all(|e| e["date"] == "2021" || e["date"].as_str() >= "2021-07")
    );
}

#[test]
fn timeline_refuses_bad_dates_and_undated_tables() {
    let err = fails(&["timeline", "--from", "2021", "--to", "2020"], 2);
    assert_holds(&err, &["--from 2021 comes after --to 2020", "earlier date"]);
    for bad in ["2020-13", "2020-H3", "20", "spring"] {
        let err = fails(&["timeline", "--from", bad], 2);
        assert_holds(&err, &["a half-year (2020-H1)", bad]);
    }
    let err = fails(&["timeline", "--entity", "chips"], 2);
    assert_holds(&err, &["chips", "no date", "models"]);
    let err = sh_fails("timeline --entity centre", 2);
    assert_holds(&err, &["did you mean centers?"]);
    sh_fails("timeline --inferred --stated", 2);
    let err = sh_fails("timeline --region atlantis", 2);
    assert_holds(&err, &["no region matches"]);
}

#[test]
fn timeline_table_at_80_columns_shows_date_name_what_and_page() {
    let out = stdout(&[
        "timeline", "--from", "2020", "--to", "2020", "--width", "80",
    ]);
    let header = out.lines().nth(1).unwrap();
    assert_holds(header, &["date", "name_zh", "what_zh", "flag", "page"]);
    assert_holds(&out, &["2020-H1", "inferred", "GPT-3", "发布，参数 1750亿"]);
    let en = stdout(&[
        "timeline", "--from", "2020", "--to", "2020", "--lang", "en", "--width", "80",
    ]);
    assert_holds(&en, &["name_en", "what_en", "released, 175B"]);
    assert!(!en.contains("发布"), "{en}");
}
