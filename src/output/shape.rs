//! The choices every command that prints rows shares, applied to its rows in one place:
//! `--count-by` (a facet), `--sort`/`--desc`, `--limit`, and which columns to show
//! (`--columns`, else the command's brief columns in a table, else all). Whatever made
//! the rows (a list query, `sql`, `search`, the contract), the same flags mean the same.

use std::cmp::Ordering;

use rusqlite::types::Value;

use super::{Column, Lang, Rows};
use crate::db::contract::Kind;
use crate::error::UsageError;
use crate::text::did_you_mean;

/// `--columns`, `--sort`, `--desc`, `--limit`, `--count-by`, `--chart` and `--lang`, as
/// plain values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    pub columns: Option<Vec<String>>,
    pub sort: Option<String>,
    pub desc: bool,
    pub limit: Option<u64>,
    pub count_by: Option<String>,
    pub chart: Option<Chart>,
    pub lang: Lang,
}

/// `--chart [FIELD]`, `--log`, `--cumulative`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chart {
    /// The column drawn; `None` with `--count-by`: the counts.
    pub field: Option<String>,
    pub log: bool,
    pub cumulative: bool,
}

impl Shape {
    /// Whether the shape needs every row before it can cut them to `--limit`, which
    /// otherwise goes into the query (only the first rows are read). Every field is
    /// named, with no `..`: a new row option does not compile until its push-down is
    /// decided here.
    pub fn needs_every_row(&self) -> bool {
        let Shape {
            columns: _,
            sort,
            desc: _,
            limit: _,
            count_by,
            chart,
            lang: _,
        } = self;
        sort.is_some() || count_by.is_some() || chart.is_some()
    }

    /// The field `--chart` draws: its own, or with `--count-by` the facet's; `rows` are
    /// what it would draw from (named in the error when no field is given).
    pub fn chart_field(&self, rows: &Rows) -> Option<Result<String, UsageError>> {
        let chart = self.chart.as_ref()?;
        Some(match (&chart.field, &self.count_by) {
            (Some(field), Some(facet)) if field != facet => Err(UsageError(format!(
                "with --count-by {facet}, --chart draws the counts: give --chart {facet}, or --chart alone"
            ))),
            (Some(field), _) => Ok(field.clone()),
            (None, Some(facet)) => Ok(facet.clone()),
            (None, None) => Err(UsageError(format!(
                "--chart needs a numeric column to draw (--chart FIELD) or --count-by FIELD to draw the counts; {}",
                numeric_choice(rows)
            ))),
        })
    }
}

/// Shape `rows`: facet or sort, limit, then choose the columns. `brief` names the
/// columns a table shows by default, separated by spaces (`*` stands for the `--lang`
/// suffix: `name_*`); `table` says the output is a table (brief columns, one language).
pub fn apply(
    rows: Rows,
    shape: &Shape,
    brief: Option<&str>,
    table: bool,
) -> Result<Rows, UsageError> {
    if let Some(field) = &shape.count_by {
        if shape.columns.is_some() || shape.sort.is_some() {
            return Err(UsageError(
                "--count-by lists a value and its count, ordered by count; it does not take --columns or --sort".into(),
            ));
        }
        let col = find(&rows, field, "--count-by", shape.lang)?;
        let mut facet = facet(&rows, col);
        limit(&mut facet, shape.limit);
        // The sources and pages of the counted rows are for a reader (a table shows
        // them, once under it when they are the same for every value); other formats
        // keep a value and its count (a chart still cites the sources).
        if !table {
            for column in facet.columns.iter_mut().filter(|c| c.extra) {
                column.hidden = true;
            }
        }
        return Ok(facet);
    }
    let mut rows = rows;
    match (&shape.sort, shape.desc) {
        (Some(name), desc) => {
            let col = find(&rows, name, "--sort", shape.lang)?;
            sort(&mut rows, col, desc);
        }
        (None, true) => return Err(UsageError("--desc needs --sort FIELD".into())),
        (None, false) => {}
    }
    limit(&mut rows, shape.limit);
    let chosen: Vec<usize> = match &shape.columns {
        Some(names) => {
            let names: Vec<&str> = names
                .iter()
                .map(|n| n.trim())
                .filter(|n| !n.is_empty())
                .collect();
            if names.is_empty() {
                return Err(UsageError("--columns needs at least one column".into()));
            }
            names
                .iter()
                .map(|n| find(&rows, n, "--columns", shape.lang))
                .collect::<Result<_, _>>()?
        }
        None if table => match brief {
            Some(brief) => brief
                .split_whitespace()
                .filter_map(|b| rows.index(&b.replace('*', &shape.lang.suffix()[1..])))
                .collect(),
            None => rows
                .visible()
                .filter(|&i| !is_other_language(&rows, i, shape.lang))
                .collect(),
        },
        None => rows.visible().filter(|&i| !rows.columns[i].extra).collect(),
    };
    Ok(project(rows, &chosen))
}

/// Whether column `i` is the other language's twin of a column in `lang`
/// (`name_en` beside `name_zh` when `lang` is zh).
fn is_other_language(rows: &Rows, i: usize, lang: Lang) -> bool {
    let name = &rows.columns[i].name;
    name.strip_suffix(lang.other().suffix())
        .is_some_and(|stem| rows.index(&format!("{stem}{}", lang.suffix())).is_some())
}

/// The visible column `name` is, or a usage error naming the flag, the valid names
/// and the likeliest one (in `lang`, where a name has both languages).
fn find(rows: &Rows, name: &str, flag: &str, lang: Lang) -> Result<usize, UsageError> {
    let name = name.trim();
    if let Some(i) = rows.index(name) {
        return Ok(i);
    }
    let all: Vec<&str> = rows
        .visible()
        .map(|i| rows.columns[i].name.as_str())
        .collect();
    let likely = rows
        .visible()
        .filter(|&i| !is_other_language(rows, i, lang))
        .map(|i| rows.columns[i].name.as_str());
    let hint = did_you_mean(name, likely)
        .map(|s| format!("; did you mean {s}?"))
        .unwrap_or_default();
    Err(UsageError(format!(
        "unknown column '{name}' for {flag}{hint} (expected one of: {})",
        all.join(", ")
    )))
}

fn limit(rows: &mut Rows, limit: Option<u64>) {
    if let Some(n) = limit {
        rows.data.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    }
}

/// Keep `chosen` columns in that order, and any qualifier, unit or ratio they need as a
/// hidden column.
fn project(rows: Rows, chosen: &[usize]) -> Rows {
    let mut take: Vec<usize> = chosen.to_vec();
    let mut columns: Vec<Column> = chosen.iter().map(|&i| rows.columns[i].clone()).collect();
    for n in 0..chosen.len() {
        let carry = |of: Option<usize>, take: &mut Vec<usize>, columns: &mut Vec<Column>| {
            of.map(|q| match take.iter().position(|&t| t == q) {
                Some(at) => at,
                None => {
                    take.push(q);
                    let mut hidden = rows.columns[q].clone();
                    hidden.hidden = true;
                    columns.push(hidden);
                    take.len() - 1
                }
            })
        };
        let qualifier = carry(rows.columns[chosen[n]].qualifier, &mut take, &mut columns);
        let unit = carry(rows.columns[chosen[n]].unit_from, &mut take, &mut columns);
        let ratio = carry(rows.columns[chosen[n]].ratio, &mut take, &mut columns);
        columns[n].qualifier = qualifier;
        columns[n].unit_from = unit;
        columns[n].ratio = ratio;
    }
    // Values move to their new places (a column taken twice is cloned the second
    // time); every column in its place already keeps each row as it is.
    let width = rows.columns.len();
    let data = if take.iter().copied().eq(0..width) {
        rows.data
    } else if take.windows(2).all(|w| w[0] < w[1]) {
        // Columns kept in their order (some dropped): each row is compacted where it
        // is, with no new allocation.
        let mut data = rows.data;
        for row in &mut data {
            for (n, &i) in take.iter().enumerate() {
                row.swap(n, i);
            }
            row.truncate(take.len());
        }
        data
    } else {
        let mut taken = vec![false; width];
        let twice: Vec<bool> = take
            .iter()
            .map(|&i| std::mem::replace(&mut taken[i], true))
            .collect();
        rows.data
            .into_iter()
            .map(|mut row| {
                let mut out = Vec::with_capacity(take.len());
                // Clones first (the value is still in place), then the moves.
                for (n, &i) in take.iter().enumerate() {
                    out.push(if twice[n] {
                        row[i].clone()
                    } else {
                        Value::Null
                    });
                }
                for (n, &i) in take.iter().enumerate() {
                    if !twice[n] {
                        out[n] = std::mem::replace(&mut row[i], Value::Null);
                    }
                }
                out
            })
            .collect()
    };
    Rows { columns, data }
}

/// Order two values as SQLite does (numbers before text before blobs; numbers by
/// value, text by its bytes); NULLs are placed by the caller.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Integer(_) | Value::Real(_) => 1,
            Value::Text(_) => 2,
            Value::Blob(_) => 3,
        }
    }
    let number = |v: &Value| match v {
        Value::Integer(n) => *n as f64,
        Value::Real(x) => *x,
        _ => 0.0,
    };
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Text(x), Value::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Blob(x), Value::Blob(y)) => x.cmp(y),
        _ if rank(a) == 1 && rank(b) == 1 => number(a).total_cmp(&number(b)),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Sort by column `col`, empty values last in either direction; ties keep their order.
pub fn sort(rows: &mut Rows, col: usize, desc: bool) {
    rows.data.sort_by(|a, b| match (&a[col], &b[col]) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (x, y) if desc => compare(y, x),
        (x, y) => compare(x, y),
    });
}

/// A value as a key that groups as `compare` orders: a whole real is its integer (1.0
/// and 1 are one group), text by its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Null,
    Integer(i64),
    Real(u64),
    Text(String),
    Blob(Vec<u8>),
}

fn key(value: &Value) -> Key {
    match value {
        Value::Null => Key::Null,
        Value::Integer(n) => Key::Integer(*n),
        Value::Real(x) if x.fract() == 0.0 && x.abs() < 9.2e18 => Key::Integer(*x as i64),
        Value::Real(x) => Key::Real(x.to_bits()),
        Value::Text(s) => Key::Text(s.clone()),
        Value::Blob(b) => Key::Blob(b.clone()),
    }
}

/// One row per value of column `col` with how many rows have it, most common first.
/// The sources of each group ride along hidden, for a chart to cite. Grouped by hash,
/// so a hundred thousand distinct values take as long as a hundred thousand rows.
fn facet(rows: &Rows, col: usize) -> Rows {
    use std::collections::{HashMap, HashSet};
    let source = rows.columns.iter().position(|c| c.name == "source_id");
    let page = rows
        .columns
        .iter()
        .position(|c| c.name == crate::rows::PAGE);
    let mut at: HashMap<Key, usize> = HashMap::new();
    // A value, its count, and the distinct sources and pages of its rows, in order.
    type Group = (Value, i64, Vec<String>, HashSet<String>, Vec<String>);
    let mut groups: Vec<Group> = Vec::new();
    for row in &rows.data {
        let value = &row[col];
        let i = *at.entry(key(value)).or_insert_with(|| {
            groups.push((value.clone(), 0, Vec::new(), HashSet::new(), Vec::new()));
            groups.len() - 1
        });
        let group = &mut groups[i];
        group.1 += 1;
        if let Some(Value::Text(s)) = source.map(|s| &row[s])
            && group.3.insert(s.clone())
        {
            group.2.push(s.clone());
            let page_text = |v: &Value| match v {
                Value::Integer(n) => n.to_string(),
                Value::Text(t) => t.clone(),
                _ => String::new(),
            };
            if let Some(p) = page.map(|p| page_text(&row[p]))
                && !p.is_empty()
                && !group.4.contains(&p)
            {
                group.4.push(p);
            }
        }
    }
    groups.sort_by(|a, b| {
        let by_value = match (&a.0, &b.0) {
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) => Ordering::Greater,
            (_, Value::Null) => Ordering::Less,
            (x, y) => compare(x, y),
        };
        b.1.cmp(&a.1).then(by_value)
    });
    // The facet's rows have none of the other columns: a qualifier, a unit column or
    // a ratio the field pointed to is not theirs.
    let mut field = rows.columns[col].clone();
    field.qualifier = None;
    field.unit_from = None;
    field.ratio = None;
    let mut columns = vec![field, Column::of_kind("count", Kind::Integer)];
    if source.is_some() {
        let mut sources = Column::of_kind("source_id", Kind::Text);
        sources.extra = true;
        columns.push(sources);
    }
    if page.is_some() {
        let mut pages = Column::of_kind(crate::rows::PAGE, Kind::Text);
        pages.extra = true;
        columns.push(pages);
    }
    Rows {
        columns,
        data: groups
            .into_iter()
            .map(|(value, n, src, _, pages)| {
                // Listed with spaces, so a table wraps between them.
                let mut row = vec![value, Value::Integer(n)];
                if source.is_some() {
                    row.push(Value::Text(src.join(", ")));
                }
                if page.is_some() {
                    row.push(Value::Text(pages.join(", ")));
                }
                row
            })
            .collect(),
    }
}

/// Whether column `i` of `rows` holds numbers: by its declared kind, else (a column
/// of `aiinfra sql`) by every value.
pub fn numeric(rows: &Rows, i: usize) -> bool {
    match rows.columns[i].kind {
        Some(Kind::Integer | Kind::Real) => true,
        Some(_) => false,
        // A computed column: numbers in every row that has a value, and at least one.
        None => {
            rows.data
                .iter()
                .all(|r| matches!(r[i], Value::Integer(_) | Value::Real(_) | Value::Null))
                && rows
                    .data
                    .iter()
                    .any(|r| matches!(r[i], Value::Integer(_) | Value::Real(_)))
        }
    }
}

/// The visible numeric columns of `rows`, which `--chart` can draw.
pub fn numeric_names(rows: &Rows) -> Vec<&str> {
    rows.visible()
        .filter(|&i| !rows.columns[i].extra && numeric(rows, i))
        .map(|i| rows.columns[i].name.as_str())
        .collect()
}

/// What `--chart` can draw from these rows, said for an error: their numeric columns,
/// or that they have none and `--count-by` counts.
pub fn numeric_choice(rows: &Rows) -> String {
    let names = numeric_names(rows);
    if names.is_empty() {
        "these rows have no numeric column: --count-by FIELD --chart draws how many rows hold each value".into()
    } else {
        format!("numeric: {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Rows {
        let mut rows = Rows::described(
            vec![
                "id".into(),
                "name_zh".into(),
                "name_en".into(),
                "int8_tops".into(),
                "kind".into(),
                "source_id".into(),
            ],
            &[crate::db::contract::table("chips").unwrap()],
        );
        let t = |s: &str| Value::Text(s.into());
        rows.data = vec![
            vec![
                t("a"),
                t("甲"),
                t("A"),
                Value::Real(640.0),
                t("training"),
                t("s1"),
            ],
            vec![
                t("b"),
                t("乙"),
                t("B"),
                Value::Null,
                t("inference"),
                t("s2"),
            ],
            vec![
                t("c"),
                t("丙"),
                t("C"),
                Value::Real(22.0),
                t("training"),
                t("s1"),
            ],
        ];
        rows
    }

    fn ids(rows: &Rows) -> Vec<String> {
        rows.data
            .iter()
            .map(|r| super::super::render::plain(&r[0]))
            .collect()
    }

    #[test]
    fn sort_puts_empty_values_last_either_way() {
        let shape = |desc| Shape {
            sort: Some("int8_tops".into()),
            desc,
            ..Shape::default()
        };
        for (desc, want) in [(false, ["c", "a", "b"]), (true, ["a", "c", "b"])] {
            assert_eq!(
                ids(&apply(rows(), &shape(desc), None, false).unwrap()),
                want
            );
        }
    }

    #[test]
    fn columns_keep_exactly_what_was_asked() {
        let shape = Shape {
            columns: Some(vec!["id".into(), "name_zh".into(), "name_en".into()]),
            ..Shape::default()
        };
        let shaped = apply(rows(), &shape, Some("id name_*"), true).unwrap();
        assert_eq!(shaped.shown_names(), ["id", "name_zh", "name_en"]);
        let brief = apply(
            rows(),
            &Shape {
                lang: Lang::En,
                ..Shape::default()
            },
            Some("id name_*"),
            true,
        )
        .unwrap();
        assert_eq!(brief.shown_names(), ["id", "name_en"]);
        let no_brief = apply(rows(), &Shape::default(), None, true).unwrap();
        assert_eq!(
            no_brief.shown_names(),
            ["id", "name_zh", "int8_tops", "kind", "source_id"]
        );
    }

    #[test]
    fn suggestions_follow_the_language() {
        let shape = |lang| Shape {
            count_by: Some("name".into()),
            lang,
            ..Shape::default()
        };
        let err = apply(rows(), &shape(Lang::Zh), None, true).unwrap_err().0;
        assert!(err.contains("did you mean name_zh?"), "{err}");
        let err = apply(rows(), &shape(Lang::En), None, true).unwrap_err().0;
        assert!(err.contains("did you mean name_en?"), "{err}");
    }

    #[test]
    fn facets_count_most_common_first_and_keep_sources() {
        let shape = Shape {
            count_by: Some("kind".into()),
            ..Shape::default()
        };
        let f = apply(rows(), &shape, None, false).unwrap();
        assert_eq!(f.shown_names(), ["kind", "count"]);
        assert_eq!(
            f.data[0],
            [
                Value::Text("training".into()),
                Value::Integer(2),
                Value::Text("s1".into())
            ]
        );
        assert!(
            apply(
                rows(),
                &Shape {
                    sort: Some("id".into()),
                    ..shape
                },
                None,
                false
            )
            .is_err()
        );
    }

    /// Projection moves values rather than copying them, by three paths (all columns
    /// in place, some dropped in order, reordered or repeated): each gives the same
    /// rows a plain copy would.
    #[test]
    fn project_gives_the_chosen_columns_by_every_path() {
        let copy = |chosen: &[usize]| -> Vec<Vec<Value>> {
            rows()
                .data
                .iter()
                .map(|r| chosen.iter().map(|&i| r[i].clone()).collect())
                .collect()
        };
        for chosen in [
            &[0, 1, 2, 3, 4, 5][..],
            &[0, 3, 5],
            &[3, 0],
            &[0, 0, 3, 0],
            &[5, 4, 3, 2, 1, 0],
        ] {
            let projected = project(rows(), chosen);
            let visible: Vec<Vec<Value>> = projected
                .data
                .iter()
                .map(|r| r[..chosen.len()].to_vec())
                .collect();
            assert_eq!(visible, copy(chosen), "{chosen:?}");
        }
    }
}
