//! Every number accounted for: for each number the report states (by the grammar of
//! `numbers.rs`) in each passage (`passages.rs`), the rows of a database that hold it,
//! or its line in `report/uncaptured.csv` saying why no row does; and what `db check`
//! reports: a number neither held nor listed, and a listed one that is stale.
//!
//! The rules by which a row holds a number, all of them:
//!
//! 1. **Where.** The row's quote, located as `row_passages` locates it (in the part its
//!    `source_id` names first), covers the number's place in the corrected report. A
//!    quote is where a row stands, never a holder itself; nor is a note.
//! 2. **What.** A column of the row stores the number:
//!    - a numeric column (integer or decimal) its value after scale: `1750 亿` is
//!      175000000000, `52.2k` is 52200; in a column whose unit is a rate of operations
//!      the value may be in that unit ([`SCALES`]: `147 万亿次` is 147 TFLOPS,
//!      `百亿亿次` 1000 PFLOPS). A percent only in a `%` column (a fact whose `unit` is
//!      `%`; `三分之一` there as 33.3), and a number that counts years, folds, machines
//!      or kilometres ([`MEASURES`]: `10 年`, `10 倍`, `10 万台`, `40 亿公里`) only in a
//!      fact of that unit, nor any other number in one;
//!    - a year, month or period column its date: `2020 年上半年` is `2020-H1`, and a
//!      month printed without its year (`今年4月`) is any year's April;
//!    - a text column (not the quote, the note or a unit) a number printed in words,
//!      ranks and fractions (`三方面`, `第一`, `三分之一`), as printed: the report gives
//!      that number as words, and the row keeps the words.
//! 3. **Titles.** A number in a heading, a caption or a line of the contents is held by
//!    the `sources` row whose `label_zh` (the title as printed) stands there and covers
//!    it. A source stands only where its title does (its optional quote is not looked
//!    at).
//!
//! Qualifiers are not compared: `qualifier` columns say how the report bounds a number,
//! and the grammar reads only the words next to it.
//!
//! Every stated number no row holds is one line of `report/uncaptured.csv`:
//! `passage,number,kind,why,reason`: the passage id, the number as printed (whitespace
//! aside), the grammar's kind, why it is not a row in a word of [`WHY`], and in words.
//! Where a passage prints the same number more than once without a row, each has its
//! line, in the order they stand.

use std::collections::BTreeMap;
use std::ops::Range;

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::contract::{Kind as ColumnKind, TABLES, Table};
use crate::numbers::{self, Kind, Stated, Value as Stating};
use crate::passages::{self, Passage, Quoted, Source};
use crate::report::{Report, squeeze};

/// The list of numbers the report states that no row holds, each with its reason.
pub const UNCAPTURED: &str = include_str!("../../report/uncaptured.csv");

/// How `report/uncaptured.csv` is named in messages.
pub const UNCAPTURED_SHOWN: &str = "report/uncaptured.csv";

/// Why a number is not a row, in a word: each word and what it means.
pub const WHY: &[(&str, &str)] = &[
    (
        "restates",
        "it restates what a row holds elsewhere or in the same row (a number printed again; Table 3's 2017 row, which repeats its 2016 row); stored once",
    ),
    (
        "qualifies",
        "the base, period or group of a figure a row holds, which that row's metric names",
    ),
    (
        "frames",
        "it frames a sentence, counts rhetorically or states an aim: no figure to store",
    ),
    (
        "report",
        "it is about the report itself: its date, its outline",
    ),
    (
        "name",
        "part of a name, kept as text in the row that names it",
    ),
    (
        "slip",
        "printed otherwise than the figure a row holds from elsewhere, and kept as printed",
    ),
];

/// Units of rates of operations a column may keep its numbers in, and their size in
/// plain operations: `fp16_tflops` 147 holds `147 万亿次` (1.47e14).
pub const SCALES: &[(&str, f64)] = &[
    ("TOPS", 1e12),
    ("TFLOPS", 1e12),
    ("PFLOPS", 1e15),
    ("EFLOPS", 1e18),
];

/// Measures a number must agree on with the fact that holds it: the measure word the
/// report prints after the number, and the fact units that measure the same. `10 年`
/// (a span of years) is not `10 倍` (a ratio) and neither is a count of things.
pub const MEASURES: &[(&str, &[&str], &[&str])] = &[
    (
        "time",
        &["年", "月", "小时", "天", "周"],
        &["years", "year", "hours per day"],
    ),
    ("fold", &["倍"], &["fold increase", "times as much"]),
    ("machines", &["台", "辆"], &["vehicles"]),
    ("distance", &["公里"], &["km"]),
];

/// The measure a measure word or a fact's unit belongs to, if any of [`MEASURES`].
fn measure(word: Option<&str>, of_unit: bool) -> Option<&'static str> {
    let word = word?;
    MEASURES
        .iter()
        .find(|(_, words, units)| {
            if of_unit {
                units.contains(&word)
            } else {
                words.contains(&word)
            }
        })
        .map(|(name, _, _)| *name)
}

/// One row that holds a number, and the column that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub table: &'static str,
    pub id: String,
    pub column: &'static str,
}

/// One line of the list of uncaptured numbers.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Its line in the file.
    pub line: usize,
    pub passage: String,
    pub number: String,
    pub kind: String,
    /// A word of [`WHY`].
    pub why: String,
    pub reason: String,
}

/// One number the report states, and its account.
#[derive(Debug, Clone)]
pub struct Number {
    /// The passage it stands in (an index into [`Accounts::passages`]).
    pub passage: usize,
    /// What the grammar reads; its span is in the whole corrected text.
    pub stated: Stated,
    /// The rows that hold it.
    pub held_by: Vec<Holder>,
    /// Its line in the list (an index into [`Accounts::listed`]), when no row holds it.
    pub listed: Option<usize>,
}

/// Every stated number of the report, each with its account, and what is wrong.
#[derive(Debug)]
pub struct Accounts {
    pub passages: Vec<Passage>,
    pub numbers: Vec<Number>,
    pub listed: Vec<Listed>,
    /// A number neither held nor listed, a stale or doubled line of the list: one line
    /// each, naming the passage and the number.
    pub problems: Vec<String>,
}

/// Parse the list (`shown` names it in messages): `passage,number,kind,why,reason`.
pub fn parse_list(text: &str, shown: &str) -> Result<Vec<Listed>, Vec<String>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let header = ["passage", "number", "kind", "why", "reason"];
    for (line, record) in crate::report::records(text, shown, &header, &mut problems) {
        if record.iter().any(|f| f.trim().is_empty()) {
            problems.push(format!(
                "{shown}:{line}: every field is needed (passage, number, kind, why and the reason it is not a row)"
            ));
            continue;
        }
        if !WHY.iter().any(|(w, _)| *w == &record[3]) {
            problems.push(format!(
                "{shown}:{line}: why is {:?}, not one of: {}",
                &record[3],
                WHY.iter().map(|(w, _)| *w).collect::<Vec<_>>().join(", ")
            ));
            continue;
        }
        out.push(Listed {
            line,
            passage: record[0].to_string(),
            number: squeeze(&record[1]),
            kind: record[2].to_string(),
            why: record[3].to_string(),
            reason: record[4].to_string(),
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A row of a table that quotes the report: its table, id, cited part, quote and every
/// cell.
struct Row {
    table: &'static Table,
    id: String,
    source_id: Option<String>,
    quote: Option<String>,
    cells: Vec<Value>,
}

impl Row {
    fn cell(&self, column: &str) -> Option<&Value> {
        let i = self.table.columns.iter().position(|c| c.name == column)?;
        self.cells.get(i)
    }

    fn text(&self, column: &str) -> Option<&str> {
        match self.cell(column) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }
}

/// Every row of the data tables, in order.
fn rows(conn: &Connection) -> Result<Vec<Row>> {
    let mut out: Vec<Row> = Vec::new();
    for table in TABLES {
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        // Names come from the contract, never from input.
        let sql = format!(
            "SELECT {} FROM {} ORDER BY rowid",
            names.join(", "),
            table.name
        );
        let cause = super::exec::reading_cause;
        let mut bytes = 0usize;
        let mut stmt = conn.prepare(&sql).map_err(cause)?;
        let read = stmt
            .query_map([], |r| {
                (0..names.len())
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<Value>>>()
            })
            .map_err(cause)?;
        for cells in read {
            let cells = cells.map_err(cause)?;
            // The cap of every query, on the text alone: a crafted file cannot fill
            // memory here, and a table built from a seed (at most 16 MiB of CSV, so
            // less text than that) never meets it.
            bytes += cells
                .iter()
                .map(|v| match v {
                    Value::Text(t) => t.len(),
                    Value::Blob(b) => b.len(),
                    _ => 0,
                })
                .sum::<usize>();
            if bytes > super::exec::MAX_RESULT_BYTES {
                return Err(super::Error::TooLarge {
                    limit: super::exec::MAX_RESULT_BYTES,
                    rows: out.iter().filter(|r| r.table.name == table.name).count(),
                    result: false,
                    path: conn.path().map(std::path::PathBuf::from),
                }
                .into());
            }
            let mut row = Row {
                table,
                id: String::new(),
                source_id: None,
                quote: None,
                cells,
            };
            row.id = row.text("id").unwrap_or_default().to_string();
            row.source_id = row.text("source_id").map(str::to_string);
            row.quote = row
                .text("quote")
                .filter(|q| !q.trim().is_empty())
                .map(str::to_string);
            out.push(row);
        }
    }
    Ok(out)
}

/// The account of every number `report` states, against the rows of `conn` and the
/// list `listed` (its problems too).
pub fn account(
    conn: &Connection,
    report: &Report,
    listed: Vec<Listed>,
    shown: &str,
) -> Result<Accounts> {
    let rows = rows(conn)?;
    let sources: Vec<Source> = rows
        .iter()
        .filter(|r| r.table.name == "sources")
        .map(|r| Source {
            id: r.id.clone(),
            label: r.text("label_zh").unwrap_or_default().to_string(),
            page: match r.cell("page") {
                Some(Value::Integer(n)) => Some(*n),
                _ => None,
            },
        })
        .collect();
    let parts = passages::Parts::new(report, &sources);
    let found = passages::derive(report, &parts);
    // Where each row stands: its quote; a source by its title in a heading, caption
    // or contents line instead.
    let titled = |p: &Passage| {
        matches!(
            p.kind,
            passages::Kind::Heading | passages::Kind::Caption | passages::Kind::Contents
        )
    };
    let mut standing: Vec<(usize, Range<usize>)> = Vec::new();
    // The deadline is looked at as the rows are placed and the numbers matched: a
    // file of many rows makes both long.
    const STAGE: &str = "accounting for the numbers";
    for (k, row) in rows.iter().enumerate() {
        if k % 256 == 0 {
            crate::guard::checkpoint(STAGE)?;
        }
        if row.table.name == "sources" {
            let label = row.text("label_zh").unwrap_or_default();
            if label.trim().is_empty() {
                continue;
            }
            for p in found.iter().filter(|p| titled(p)) {
                standing.extend(report.find_within(label, p.span.clone()).map(|at| (k, at)));
            }
        } else if let Some(quote) = &row.quote {
            let quoted = Quoted {
                entity: row.table.name,
                id: &row.id,
                source_id: row.source_id.as_deref(),
                quote,
            };
            standing.extend(passages::locate(report, &parts, &quoted).map(|at| (k, at)));
        }
    }
    let mut numbers = Vec::new();
    for (i, p) in found.iter().enumerate() {
        for mut s in numbers::stated(&p.text) {
            s.span = s.span.start + p.span.start..s.span.end + p.span.start;
            let mut held_by: Vec<Holder> = Vec::new();
            for (j, (k, at)) in standing.iter().enumerate() {
                if j % 4096 == 0 {
                    crate::guard::checkpoint(STAGE)?;
                }
                if !(at.start <= s.span.start && s.span.end <= at.end) {
                    continue;
                }
                let row = &rows[*k];
                if let Some(column) = holds(&s, row) {
                    let holder = Holder {
                        table: row.table.name,
                        id: row.id.clone(),
                        column,
                    };
                    if !held_by.contains(&holder) {
                        held_by.push(holder);
                    }
                }
            }
            numbers.push(Number {
                passage: i,
                stated: s,
                held_by,
                listed: None,
            });
        }
    }
    let mut accounts = Accounts {
        passages: found,
        numbers,
        listed,
        problems: Vec::new(),
    };
    settle(&mut accounts, shown);
    Ok(accounts)
}

/// Which column of `row` holds `s`, if one does. A source holds the numbers of its
/// title, where it stands by its title.
fn holds(s: &Stated, row: &Row) -> Option<&'static str> {
    if row.table.name == "sources" {
        return Some("label_zh");
    }
    let unit_columns: Vec<&str> = row
        .table
        .columns
        .iter()
        .filter_map(|c| c.unit_column)
        .collect();
    for (column, cell) in row.table.columns.iter().zip(&row.cells) {
        if matches!(column.name, "id" | "quote" | "note" | "source_id")
            || unit_columns.contains(&column.name)
        {
            continue;
        }
        let held = match column.kind {
            ColumnKind::Integer | ColumnKind::Real => {
                let unit = match column.unit_column {
                    Some(u) => row.text(u),
                    None => column.unit,
                };
                holds_number(s, cell, unit)
            }
            ColumnKind::Year | ColumnKind::Month | ColumnKind::Period => holds_date(s, cell),
            ColumnKind::Text => {
                matches!(s.kind, Kind::Words | Kind::Ordinal | Kind::Fraction)
                    && matches!(cell, Value::Text(t) if squeeze(t).contains(&s.printed))
            }
            _ => false,
        };
        if held {
            return Some(column.name);
        }
    }
    None
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// Whether a number cell in `unit` holds `s`.
fn holds_number(s: &Stated, cell: &Value, unit: Option<&str>) -> bool {
    let (Stating::Number(v), Some(c)) = (s.value, as_number(cell)) else {
        return false;
    };
    if measure(s.unit, false) != measure(unit, true) {
        return false;
    }
    let percent = unit == Some("%");
    match (percent, s.kind) {
        (true, Kind::Percent) => close(v, c),
        // 三分之一 in a % column: 33.3.
        (true, Kind::Fraction) => (v * 100.0 - c).abs() <= 0.05,
        (true, _) | (false, Kind::Percent) => false,
        (false, _) => {
            let scale = SCALES
                .iter()
                .find(|(u, _)| Some(*u) == unit)
                .map_or(1.0, |(_, f)| *f);
            close(v, c) || close(v, c * scale)
        }
    }
}

fn as_number(cell: &Value) -> Option<f64> {
    match cell {
        Value::Integer(n) => Some(*n as f64),
        Value::Real(x) => Some(*x),
        _ => None,
    }
}

/// Whether a year, month or period cell holds the date `s` states.
fn holds_date(s: &Stated, cell: &Value) -> bool {
    let Stating::Date(d) = s.value else {
        return false;
    };
    let cell = match cell {
        Value::Integer(n) => n.to_string(),
        Value::Text(t) => t.clone(),
        _ => return false,
    };
    let period = d.period();
    if d.year.is_none() {
        cell.ends_with(&period)
    } else {
        cell == period
    }
}

/// Match the list against the numbers no row holds, and say what is wrong: a number
/// neither held nor listed, a line whose number is held now or stated no more, a line
/// given twice.
fn settle(accounts: &mut Accounts, shown: &str) {
    let mut problems = Vec::new();
    let by_id: BTreeMap<&str, usize> = accounts
        .passages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    // The lines given so far for each passage and number, by line.
    let mut seen: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (k, l) in accounts.listed.iter().enumerate() {
        let at = format!("{shown}:{}", l.line);
        let earlier = seen
            .entry((l.passage.clone(), l.number.clone()))
            .or_default();
        let nth = earlier.len();
        earlier.push(l.line);
        let Some(&p) = by_id.get(l.passage.as_str()) else {
            problems.push(format!(
                "{at}: {} is not a passage of the report (stale: the passages have changed)",
                crate::text::show(&l.passage)
            ));
            continue;
        };
        let printed: Vec<usize> = (0..accounts.numbers.len())
            .filter(|&i| {
                let n = &accounts.numbers[i];
                n.passage == p && n.stated.printed == l.number
            })
            .collect();
        if printed.is_empty() {
            problems.push(format!(
                "{at}: {} states no number {} (stale: drop the line, or list the number where it stands now)",
                l.passage, l.number
            ));
            continue;
        }
        let unheld: Vec<usize> = printed
            .iter()
            .copied()
            .filter(|&i| accounts.numbers[i].held_by.is_empty())
            .collect();
        if unheld.is_empty() {
            let holders: Vec<String> = printed
                .iter()
                .flat_map(|&i| &accounts.numbers[i].held_by)
                .map(|h| format!("{} {} ({})", h.table, h.id, h.column))
                .collect();
            problems.push(format!(
                "{at}: {} in {} is held by {} (stale: drop the line)",
                l.number,
                l.passage,
                holders.join(", ")
            ));
            continue;
        }
        // The nth line of a passage and number stands for the nth such number no row
        // holds, in the order they are printed.
        let Some(&i) = unheld.get(nth) else {
            problems.push(format!(
                "{at}: {} in {} is listed already on line {}: the passage prints it {} without a row (stale: drop the line)",
                l.number,
                l.passage,
                earlier[0],
                match unheld.len() {
                    1 => "once".to_string(),
                    n => format!("{n} times"),
                }
            ));
            continue;
        };
        let kind = accounts.numbers[i].stated.kind.word();
        if kind != l.kind {
            problems.push(format!(
                "{at}: {} in {} is a {kind} by the grammar, not a {}",
                l.number, l.passage, l.kind
            ));
        }
        accounts.numbers[i].listed = Some(k);
    }
    for n in &accounts.numbers {
        if n.held_by.is_empty() && n.listed.is_none() {
            problems.push(format!(
                "{}: {} ({}) is neither held by a row nor listed in {shown}",
                accounts.passages[n.passage].id,
                n.stated.printed,
                n.stated.kind.word()
            ));
        }
    }
    accounts.problems = problems;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Stated {
        numbers::stated(text).remove(0)
    }

    #[test]
    fn a_number_column_holds_a_value_after_scale_and_in_its_measure() {
        let real = Value::Real;
        // (the stated number, the cell, the column's unit, whether it holds it)
        for (text, cell, unit, holds) in [
            ("1750 亿", Value::Integer(175_000_000_000), None, true),
            // A rate of operations in the column's unit.
            ("每秒 147 万亿次", real(147.0), Some("TFLOPS"), true),
            ("640 TOPS", real(640.0), Some("TOPS"), true),
            // A percent only in a % column, and a fraction there as a percent.
            ("55%", real(55.0), Some("%"), true),
            ("55%", real(55.0), Some("people"), false),
            ("55 个", real(55.0), Some("%"), false),
            ("的三分之一", real(33.3), Some("%"), true),
            // Years, folds, machines and kilometres only in a fact of that measure.
            ("过去 10 年中", real(10.0), Some("years"), true),
            ("过去 10 年中", real(10.0), Some("fold increase"), false),
            ("增长 10 倍", real(10.0), Some("projects"), false),
            ("增长 10 倍", real(10.0), Some("fold increase"), true),
            ("超过 10 个", real(10.0), Some("years"), false),
        ] {
            assert_eq!(
                holds_number(&one(text), &cell, unit),
                holds,
                "{text} in {cell:?} ({unit:?})"
            );
        }
    }

    #[test]
    fn a_date_column_holds_its_date_and_a_month_without_its_year() {
        assert!(holds_date(
            &one("2020 年上半年全球"),
            &Value::Text("2020-H1".into())
        ));
        assert!(holds_date(&one("截至2021年底"), &Value::Integer(2021)));
        assert!(!holds_date(
            &one("截至2021年底"),
            &Value::Text("2021-12".into())
        ));
        assert!(holds_date(
            &one("浪潮于 9 月发布"),
            &Value::Text("2021-09".into())
        ));
        assert!(!holds_date(&one("1750 亿"), &Value::Integer(2021)));
    }

    #[test]
    fn the_list_needs_its_header_and_every_field() {
        let listed = parse_list(
            "passage,number,kind,why,reason\nsec-1.p2,2008 年,year,frames,a frame\n",
            "u.csv",
        )
        .unwrap();
        assert_eq!((listed[0].line, listed[0].number.as_str()), (2, "2008年"));
        let header = "passage,number,kind,why,reason\n";
        for (list, says) in [
            (
                "passage,number,reason\n".to_string(),
                "u.csv:1: expected the header",
            ),
            (
                format!("{header}sec-1.p2,2008年,year,frames,\n"),
                "u.csv:2: every field is needed",
            ),
            (
                format!("{header}sec-1.p2,2008年,year,framed,a frame\n"),
                "u.csv:2: why is \"framed\", not one of: restates",
            ),
        ] {
            let err = parse_list(&list, "u.csv").unwrap_err();
            assert!(err[0].starts_with(says), "{err:?}");
        }
    }

    #[test]
    fn the_readme_says_what_each_why_means() {
        let readme = include_str!("../../README.md");
        for (why, _) in WHY {
            assert!(
                readme.contains(&format!("| `{why}` |")),
                "README.md does not say what `{why}` means"
            );
        }
    }

    #[test]
    fn the_built_in_list_parses() {
        let listed = parse_list(UNCAPTURED, UNCAPTURED_SHOWN).unwrap();
        assert!(!listed.is_empty());
    }
}
