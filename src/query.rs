//! The select builder: every list command describes its columns and filters here and
//! gets back one SQL string with bound parameters.
//!
//! SQL text comes only from `&'static str` fragments written in this crate; whatever a
//! user types travels as a parameter. Sorting and column choice are checked against the
//! command's own column list. Nothing here executes a query.

use rusqlite::types::Value;

use crate::db::contract::{self, Kind};
use crate::error::UsageError;

/// A SQL expression with the id and both languages' names of the region whose id is
/// the column `$id`, and of its parent, for text filters (`--city 广东` finds Shenzhen).
/// A macro, so that the expression stays a `&'static str` like every SQL fragment.
#[macro_export]
macro_rules! region_names {
    ($id:literal) => {
        concat!(
            "(SELECT r.id || ' ' || r.name_zh || ' ' || r.name_en || ' ' || coalesce(p.name_zh || ' ' || p.name_en, '') ",
            "FROM regions r LEFT JOIN regions p ON p.id = r.parent_id WHERE r.id = ",
            $id,
            ")"
        )
    };
}

/// One output column of a list command.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    /// The name users see and pass to `--columns`, `--sort` and `--count-by`.
    pub name: &'static str,
    /// The SQL expression that produces it.
    pub expr: &'static str,
    /// How to show it (booleans); `None` for computed text.
    pub kind: Option<Kind>,
    /// The boolean column saying this number is only a lower bound, and how tables and
    /// charts mark it; sorting and filtering use the number itself.
    pub bound: Option<(&'static str, Bound)>,
}

/// How a lower bound is marked: `≥100000000000` (千亿) or Table 4's `121320+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    AtLeast,
    Plus,
}

impl Bound {
    /// The table expression showing `expr` with the mark its qualifier column `flag` asks for.
    fn marked(self, expr: &str, flag: &str) -> String {
        let _ = self;
        format!(
            "CASE {flag} WHEN 'at_least' THEN '≥' || {expr} WHEN 'over' THEN '>' || {expr} WHEN 'nearly' THEN '<' || {expr} WHEN 'about' THEN '~' || {expr} ELSE {expr} END"
        )
    }
}

impl Col {
    /// Column `name` of the contract table `table`, selected as `expr`.
    pub fn at(table: &str, expr: &'static str, name: &'static str) -> Col {
        let kind = contract::table(table)
            .and_then(|t| t.column(name))
            .map(|c| c.kind);
        Col {
            name,
            expr,
            kind,
            bound: None,
        }
    }

    /// Column `name` of the contract table `table`, selected as itself.
    pub fn of(table: &str, name: &'static str) -> Col {
        Col::at(table, name, name)
    }

    /// Computed text.
    pub fn text(name: &'static str, expr: &'static str) -> Col {
        Col {
            name,
            expr,
            kind: Some(Kind::Text),
            bound: None,
        }
    }

    /// This number is a lower bound where the boolean column `flag` is set.
    pub fn bounded_by(mut self, flag: &'static str, mark: Bound) -> Col {
        self.bound = Some((flag, mark));
        self
    }
}

/// Every column of a contract table, in contract order, selected as-is.
pub fn all_columns(table: &'static contract::Table) -> Vec<Col> {
    table
        .columns
        .iter()
        .map(|c| Col {
            name: c.name,
            expr: c.name,
            kind: Some(c.kind),
            bound: None,
        })
        .collect()
}

/// The language of the name columns in table output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Chinese, as the report writes it
    #[default]
    Zh,
    /// English
    En,
}

impl Lang {
    fn suffix(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// A query ready to run: SQL, its parameters, and how to show each column.
#[derive(Debug, Clone)]
pub struct Query {
    pub sql: String,
    pub params: Vec<Value>,
    pub kinds: Vec<Option<Kind>>,
}

impl Query {
    /// The SQL with its parameters listed after it, as `--show-sql` prints it.
    pub fn explain(&self) -> String {
        let mut out = format!("{};\n", self.sql);
        for (i, p) in self.params.iter().enumerate() {
            let shown = match p {
                Value::Null => "NULL".to_string(),
                Value::Integer(n) => n.to_string(),
                Value::Real(x) => x.to_string(),
                Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
                Value::Blob(b) => format!(
                    "x'{}'",
                    b.iter().map(|b| format!("{b:02x}")).collect::<String>()
                ),
            };
            out.push_str(&format!("-- ?{} = {shown}\n", i + 1));
        }
        out
    }
}

/// The choices every list command shares: which columns, in what order, how many.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub columns: Option<Vec<String>>,
    pub sort: Option<String>,
    pub desc: bool,
    pub limit: Option<u64>,
    pub count_by: Option<String>,
    pub lang: Lang,
}

/// A SELECT over one FROM clause, with filters added one by one.
#[derive(Debug, Clone)]
pub struct Select {
    from: &'static str,
    cols: Vec<Col>,
    /// Columns shown by default in table output; `*` in a name stands for the
    /// `--lang` suffix (`name_*` is `name_zh` or `name_en`).
    brief: Vec<&'static str>,
    order: Vec<&'static str>,
    filters: Vec<String>,
    params: Vec<Value>,
}

impl Select {
    /// `order` is the default ordering (SQL fragments); `id` is always appended last.
    pub fn new(from: &'static str, cols: Vec<Col>, order: &[&'static str]) -> Select {
        Select {
            from,
            brief: cols.iter().map(|c| c.name).collect(),
            cols,
            order: order.to_vec(),
            filters: Vec::new(),
            params: Vec::new(),
        }
    }

    /// The columns table output shows when `--columns` is not given.
    pub fn brief(mut self, names: &[&'static str]) -> Select {
        self.brief = names.to_vec();
        self
    }

    pub fn columns(&self) -> &[Col] {
        &self.cols
    }

    /// The table the rows come from (the first name of the FROM clause).
    pub fn entity(&self) -> &'static str {
        self.from.split_whitespace().next().unwrap_or(self.from)
    }

    /// Add a condition with `?` placeholders, all bound to `value`.
    pub fn filter(&mut self, condition: &'static str, value: impl Into<Value>) -> &mut Self {
        self.params.push(value.into());
        let n = self.params.len();
        self.filters.push(condition.replace('?', &format!("?{n}")));
        self
    }

    /// Match `needle` as a case-insensitive substring of any of `exprs`: `instr` takes
    /// the text literally, so `%`, `_` and quotes mean themselves.
    pub fn filter_text(&mut self, exprs: &[&'static str], needle: &str) -> &mut Self {
        // SQLite's lower() folds ASCII only; fold the needle the same way.
        self.params.push(Value::Text(needle.to_ascii_lowercase()));
        let n = self.params.len();
        let any = exprs
            .iter()
            .map(|e| format!("instr(lower({e}), ?{n}) > 0"))
            .collect::<Vec<_>>()
            .join(" OR ");
        self.filters.push(format!("({any})"));
        self
    }

    fn find(&self, name: &str, flag: &str) -> Result<&Col, UsageError> {
        self.cols.iter().find(|c| c.name == name).ok_or_else(|| {
            let names = || self.cols.iter().map(|c| c.name);
            let hint = crate::db::seed::suggest(name, names());
            UsageError(format!(
                "unknown column '{name}' for {flag}{hint} (expected one of: {})",
                names().collect::<Vec<_>>().join(", ")
            ))
        })
    }

    fn where_clause(&self) -> String {
        if self.filters.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.filters.join(" AND "))
        }
    }

    fn limit(&self, shape: &Shape, sql: &mut String, params: &mut Vec<Value>) {
        if let Some(limit) = shape.limit {
            params.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
            sql.push_str(&format!(" LIMIT ?{}", params.len()));
        }
    }

    /// The final query. `table` says whether the output is a table (brief columns,
    /// `--lang`, table expressions).
    pub fn build(&self, shape: &Shape, table: bool) -> Result<Query, UsageError> {
        if let Some(field) = &shape.count_by {
            return self.facet(field, shape);
        }
        let chosen: Vec<&Col> = match &shape.columns {
            Some(names) => names
                .iter()
                .map(|n| self.find(n, "--columns"))
                .collect::<Result<_, _>>()?,
            None if table => self
                .brief
                .iter()
                .map(|n| self.find(&n.replace('*', shape.lang.suffix()), "the brief columns"))
                .collect::<Result<_, _>>()?,
            None => self.cols.iter().collect(),
        };
        if chosen.is_empty() {
            return Err(UsageError("--columns needs at least one column".into()));
        }
        let select = chosen
            .iter()
            .map(|c| {
                let expr = match c.bound {
                    Some((flag, mark)) if table => mark.marked(c.expr, flag),
                    _ => c.expr.to_string(),
                };
                if expr == c.name {
                    c.name.to_string()
                } else {
                    format!("{expr} AS {}", c.name)
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut sql = format!(
            "SELECT {select} FROM {}{}{}",
            self.from,
            self.where_clause(),
            self.order_clause(shape)?
        );
        let mut params = self.params.clone();
        self.limit(shape, &mut sql, &mut params);
        Ok(Query {
            sql,
            params,
            kinds: chosen.iter().map(|c| c.kind).collect(),
        })
    }

    /// ` ORDER BY …`: `--sort`, then the command's own order, then id.
    fn order_clause(&self, shape: &Shape) -> Result<String, UsageError> {
        let mut order: Vec<String> = Vec::new();
        if let Some(name) = &shape.sort {
            let col = self.find(name, "--sort")?;
            let dir = if shape.desc { "DESC" } else { "ASC" };
            order.push(format!("{} {dir} NULLS LAST", col.expr));
        } else if shape.desc {
            return Err(UsageError("--desc needs --sort FIELD".into()));
        }
        order.extend(self.order.iter().map(|o| o.to_string()));
        order.push(self.find("id", "ordering")?.expr.to_string());
        Ok(format!(" ORDER BY {}", order.join(", ")))
    }

    /// The (zh, en) expressions that name a row: the first `*_zh` column with an
    /// `*_en` twin, else the id.
    fn label_exprs(&self) -> (&'static str, &'static str) {
        for c in &self.cols {
            if let Some(stem) = c.name.strip_suffix("_zh")
                && let Some(en) = self
                    .cols
                    .iter()
                    .find(|e| e.name.strip_suffix("_en") == Some(stem))
            {
                return (c.expr, en.expr);
            }
        }
        let id = self
            .cols
            .iter()
            .find(|c| c.name == "id")
            .map_or("NULL", |c| c.expr);
        (id, id)
    }

    /// `--chart FIELD`: a label in both languages, the value, the source of each row
    /// and whether the value is a lower bound (`label_zh, label_en, value, sources,
    /// at_least`); with `--count-by`, one row per value
    /// of that field with its count. The second value says whether the facet's field is
    /// a year (ordered by year, so the chart reads as a time line).
    pub fn chart(&self, shape: &Shape, field: &str) -> Result<(Query, bool), UsageError> {
        let sources = self
            .cols
            .iter()
            .find(|c| c.name == "source_id")
            .map_or("NULL", |c| c.expr);
        let mut params = self.params.clone();
        if let Some(facet) = &shape.count_by {
            if facet != field {
                return Err(UsageError(format!(
                    "with --count-by {facet}, --chart draws the counts: give --chart {facet}"
                )));
            }
            let col = self.find(field, "--count-by")?;
            let by_year = col.kind == Some(Kind::Year);
            let order = if by_year { "1" } else { "3 DESC, 1" };
            let mut sql = format!(
                "SELECT {e} AS label_zh, {e} AS label_en, count(*) AS value, group_concat(DISTINCT {sources}) AS sources, NULL AS at_least FROM {}{} GROUP BY 1 ORDER BY {order}",
                self.from,
                self.where_clause(),
                e = col.expr
            );
            self.limit(shape, &mut sql, &mut params);
            return Ok((
                Query {
                    sql,
                    params,
                    kinds: vec![col.kind, col.kind, None, None, None],
                },
                by_year,
            ));
        }
        let col = self.find(field, "--chart")?;
        if !matches!(col.kind, Some(Kind::Integer | Kind::Real) | None) {
            let numeric: Vec<&str> = self
                .cols
                .iter()
                .filter(|c| matches!(c.kind, Some(Kind::Integer | Kind::Real) | None))
                .map(|c| c.name)
                .collect();
            return Err(UsageError(format!(
                "--chart needs a numeric column, and {field} is not one (numeric: {})",
                numeric.join(", ")
            )));
        }
        let (zh, en) = self.label_exprs();
        let at_least = col.bound.map_or("NULL", |(flag, _)| flag);
        let mut sql = format!(
            "SELECT {zh} AS label_zh, {en} AS label_en, {} AS value, {sources} AS sources, {at_least} AS at_least FROM {}{}{}",
            col.expr,
            self.from,
            self.where_clause(),
            self.order_clause(shape)?
        );
        self.limit(shape, &mut sql, &mut params);
        Ok((
            Query {
                sql,
                params,
                kinds: vec![None; 5],
            },
            false,
        ))
    }

    /// `--count-by FIELD`: each value of the field and how many rows have it, most
    /// common first.
    fn facet(&self, field: &str, shape: &Shape) -> Result<Query, UsageError> {
        if shape.columns.is_some() || shape.sort.is_some() {
            return Err(UsageError(
                "--count-by lists a value and its count, ordered by count; it does not take --columns or --sort".into(),
            ));
        }
        let col = self.find(field, "--count-by")?;
        let mut sql = format!(
            "SELECT {} AS {}, count(*) AS count FROM {}{} GROUP BY 1 ORDER BY count DESC, 1",
            col.expr,
            col.name,
            self.from,
            self.where_clause()
        );
        let mut params = self.params.clone();
        self.limit(shape, &mut sql, &mut params);
        Ok(Query {
            sql,
            params,
            kinds: vec![col.kind, None],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chips() -> Select {
        Select::new(
            "chips",
            vec![
                Col::of("chips", "id"),
                Col::of("chips", "int8_tops"),
                Col::of("chips", "vendor_zh"),
            ],
            &["int8_tops DESC NULLS LAST"],
        )
    }

    #[test]
    fn filters_are_numbered_parameters() {
        let mut s = chips();
        s.filter("int8_tops >= ?", 200.0);
        s.filter_text(&["vendor_zh", "vendor_en"], "Hua'wei%");
        let q = s
            .build(
                &Shape {
                    limit: Some(3),
                    ..Shape::default()
                },
                false,
            )
            .unwrap();
        assert_eq!(
            q.sql,
            "SELECT id, int8_tops, vendor_zh FROM chips WHERE int8_tops >= ?1 AND (instr(lower(vendor_zh), ?2) > 0 OR instr(lower(vendor_en), ?2) > 0) ORDER BY int8_tops DESC NULLS LAST, id LIMIT ?3"
        );
        assert_eq!(
            q.params,
            vec![
                Value::Real(200.0),
                Value::Text("hua'wei%".into()),
                Value::Integer(3)
            ]
        );
    }

    #[test]
    fn sort_and_columns_are_checked() {
        let s = chips();
        let shape = Shape {
            columns: Some(vec!["int8_tops".into(), "id".into()]),
            sort: Some("vendor_zh".into()),
            desc: true,
            ..Shape::default()
        };
        let q = s.build(&shape, true).unwrap();
        assert_eq!(
            q.sql,
            "SELECT int8_tops, id FROM chips ORDER BY vendor_zh DESC NULLS LAST, int8_tops DESC NULLS LAST, id"
        );
        let bad = Shape {
            sort: Some("int8".into()),
            ..Shape::default()
        };
        assert_eq!(
            s.build(&bad, false).unwrap_err().0,
            "unknown column 'int8' for --sort; did you mean int8_tops? (expected one of: id, int8_tops, vendor_zh)"
        );
        let bad = Shape {
            columns: Some(vec!["id; DROP TABLE chips".into()]),
            ..Shape::default()
        };
        assert!(s.build(&bad, false).is_err());
    }

    #[test]
    fn count_by_groups_and_orders_by_count() {
        let mut s = chips();
        s.filter("int8_tops >= ?", 1.0);
        let shape = Shape {
            count_by: Some("vendor_zh".into()),
            limit: Some(2),
            ..Shape::default()
        };
        let q = s.build(&shape, true).unwrap();
        assert_eq!(
            q.sql,
            "SELECT vendor_zh AS vendor_zh, count(*) AS count FROM chips WHERE int8_tops >= ?1 GROUP BY 1 ORDER BY count DESC, 1 LIMIT ?2"
        );
        let bad = Shape {
            count_by: Some("vendor".into()),
            ..Shape::default()
        };
        assert!(
            s.build(&bad, true)
                .unwrap_err()
                .0
                .contains("for --count-by")
        );
    }

    #[test]
    fn brief_columns_follow_lang() {
        let s = chips().brief(&["id", "vendor_*"]);
        let en = Shape {
            lang: Lang::En,
            ..Shape::default()
        };
        assert!(
            s.build(&en, true).is_err(),
            "vendor_en is not a column here"
        );
        let zh = s.build(&Shape::default(), true).unwrap();
        assert!(zh.sql.starts_with("SELECT id, vendor_zh FROM"));
    }
}
