//! Queries: SQL text with bound parameters, and the select builder list commands use.
//!
//! SQL text comes only from `&'static str` fragments written in this crate and names
//! from the contract; whatever a user types travels as a parameter. A list query
//! selects a contract table (as `t`) with its columns, a command's derived columns,
//! filters and default order; which columns to show, sorting and limits are applied to
//! the rows afterwards (`output::shape`), the same for every command. Nothing here
//! executes a query.

use rusqlite::types::Value;

use crate::db::contract::Table;

/// A query ready to run: SQL, its parameters, and the tables whose contract describes
/// its columns (by name).
#[derive(Debug, Clone)]
pub struct Query {
    pub sql: String,
    pub params: Vec<Value>,
    pub tables: Vec<&'static Table>,
    /// Columns added for the reader (a list's `page`), which formats other than a
    /// table show only when asked.
    pub extra: Vec<&'static str>,
}

impl Query {
    /// A query whose columns the contract does not describe.
    pub fn new(sql: impl Into<String>, params: Vec<Value>) -> Query {
        Query {
            sql: sql.into(),
            params,
            tables: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// The SQL with its parameters listed after it, as `--show-sql` prints it.
    pub fn explain(&self) -> String {
        let mut out = format!("{};\n", self.sql);
        for (i, p) in self.params.iter().enumerate() {
            let shown = match p {
                Value::Null => "NULL".to_string(),
                Value::Integer(n) => n.to_string(),
                Value::Real(x) => crate::units::shortest(*x),
                Value::Text(s) => format!("'{}'", s.replace('\'', "''")),
                Value::Blob(b) => format!("x'{}'", crate::text::hex(b)),
            };
            out.push_str(&format!("-- ?{} = {shown}\n", i + 1));
        }
        out
    }
}

/// A column a list command adds to its table's own, computed over the row (a count of
/// the rows citing a source): its name, its SQL expression over the row as `t`, the
/// table column it follows (`None`: at the end), and what it means in one line.
pub type Derived = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
);

/// A column added to a table's own: name, SQL, the column it follows, its meaning.
struct Added {
    name: &'static str,
    sql: String,
    after: Option<&'static str>,
    doc: String,
}

/// The names of the row a reference column points at, shown after that column under
/// two names of the command's choosing (`region_id` as `city_zh`, `city_en`): the
/// referenced table and its label columns come from the contract.
pub type Named = (&'static str, [&'static str; 2]);

/// The table `column` of `table` references and its label columns (Chinese, English),
/// for `Named`; or what is missing.
pub fn named_by(
    table: &Table,
    column: &str,
) -> Result<(&'static str, (&'static str, &'static str)), String> {
    let target = table
        .column(column)
        .and_then(|c| c.references)
        .and_then(crate::db::contract::table)
        .ok_or(format!("{column} does not reference a table"))?;
    let labels = target
        .label_columns()
        .ok_or(format!("{} has no names to show", target.name))?;
    Ok((target.name, labels))
}

/// A SELECT over one contract table (aliased `t`), the rows its references name, with
/// filters added one by one.
#[derive(Debug, Clone)]
pub struct Select {
    table: &'static Table,
    named: &'static [Named],
    derived: &'static [Derived],
    order: &'static [&'static str],
    filters: Vec<String>,
    params: Vec<Value>,
}

impl Select {
    /// Every column of `table`, the names `named` adds and then `derived`; `order` is
    /// the default ordering (SQL fragments), and `t.id` always comes last so that
    /// output is deterministic.
    pub fn new(
        table: &'static Table,
        named: &'static [Named],
        derived: &'static [Derived],
        order: &'static [&'static str],
    ) -> Select {
        Select {
            table,
            named,
            derived,
            order,
            filters: Vec::new(),
            params: Vec::new(),
        }
    }

    /// The columns added to the table's own, and the joins the names need.
    fn added(&self) -> (Vec<Added>, String) {
        let mut added = Vec::new();
        let mut joins = String::new();
        for (column, names) in self.named {
            // `ListSpec::check` (run by a test for every command) proves a reference
            // with label columns; a name that is not one is shown empty.
            let sql = match named_by(self.table, column).ok() {
                Some((target, (zh, en))) => {
                    // Named after the column (`region` for `region_id`), to read well
                    // in `--show-sql`.
                    let alias = column.strip_suffix("_id").unwrap_or(column);
                    joins.push_str(&format!(
                        " LEFT JOIN {target} AS {alias} ON {alias}.id = t.{column}"
                    ));
                    [format!("{alias}.{zh}"), format!("{alias}.{en}")]
                }
                None => ["NULL".into(), "NULL".into()],
            };
            for ((name, sql), language) in names.iter().zip(sql).zip(["Chinese", "English"]) {
                added.push(Added {
                    name,
                    sql,
                    after: Some(column),
                    doc: format!("the name of {column}'s row, in {language}"),
                });
            }
        }
        for (name, sql, after, doc) in self.derived {
            added.push(Added {
                name,
                sql: sql.to_string(),
                after: *after,
                doc: doc.to_string(),
            });
        }
        (added, joins)
    }

    /// What an added column means (`None`: it is not one).
    pub fn meaning(&self, name: &str) -> Option<String> {
        let (added, _) = self.added();
        added.into_iter().find(|a| a.name == name).map(|a| a.doc)
    }

    /// Add a condition with `?` placeholders, all bound to `value`.
    pub fn filter(&mut self, condition: &str, value: impl Into<Value>) -> &mut Self {
        self.params.push(value.into());
        let n = self.params.len();
        self.filters.push(condition.replace('?', &format!("?{n}")));
        self
    }

    /// Add a condition with placeholders `?1`, `?2`, … bound to `values` in order.
    pub fn filter_with(&mut self, condition: &str, values: Vec<Value>) -> &mut Self {
        let base = self.params.len();
        let mut condition = condition.to_string();
        // Highest first, so that ?1 does not rewrite the start of ?10.
        for i in (1..=values.len()).rev() {
            condition = condition.replace(&format!("?{i}"), &format!("?#{}", base + i));
        }
        self.filters.push(condition.replace("?#", "?"));
        self.params.extend(values);
        self
    }

    /// Match `needle` as a substring of any of `exprs`, both folded the same way
    /// (`aiinfra_fold`: case, width and spacing); `instr` takes the text literally,
    /// so `%`, `_` and quotes mean themselves.
    pub fn filter_text(&mut self, exprs: &[&str], needle: &str) -> &mut Self {
        self.params.push(Value::Text(crate::resolve::fold(needle)));
        let n = self.params.len();
        let any = exprs
            .iter()
            .map(|e| format!("instr(aiinfra_fold({e}), ?{n}) > 0"))
            .collect::<Vec<_>>()
            .join(" OR ");
        self.filters.push(format!("({any})"));
        self
    }

    /// The names of the columns the query returns, in order (what completion offers
    /// for `--columns`).
    pub fn column_names(&self) -> Vec<&'static str> {
        let (added, _) = self.added();
        let after = |column: Option<&'static str>| {
            added
                .iter()
                .filter(move |a| a.after == column)
                .map(|a| a.name)
        };
        let mut names = Vec::new();
        for c in self.table.columns {
            names.push(c.name);
            names.extend(after(Some(c.name)));
        }
        names.extend(after(None));
        if self.cites() {
            names.push(crate::rows::PAGE);
        }
        names
    }

    /// Whether its rows cite the report through `source_id` (and so get the page).
    fn cites(&self) -> bool {
        self.table.column("source_id").is_some() && self.table.column("page").is_none()
    }

    /// The final query.
    pub fn build(&self) -> Query {
        let (added, joins) = self.added();
        let after = |column: Option<&'static str>| {
            added
                .iter()
                .filter(move |a| a.after == column)
                .map(|a| format!("{} AS {}", a.sql, a.name))
        };
        let mut select: Vec<String> = Vec::new();
        for c in self.table.columns {
            select.push(format!("t.{}", c.name));
            select.extend(after(Some(c.name)));
        }
        select.extend(after(None));
        // The page of each row's source, for the reader (rows.rs marks it extra).
        if self.cites() {
            select.push(format!(
                "(SELECT s.page FROM sources AS s WHERE s.id = t.source_id) AS {}",
                crate::rows::PAGE
            ));
        }
        let mut sql = format!(
            "SELECT {} FROM {} AS t{}",
            select.join(", "),
            self.table.name,
            joins
        );
        if !self.filters.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&self.filters.join(" AND "));
        }
        let mut order: Vec<&str> = self.order.to_vec();
        order.push("t.id");
        sql.push_str(" ORDER BY ");
        sql.push_str(&order.join(", "));
        Query {
            sql,
            params: self.params.clone(),
            tables: vec![self.table],
            extra: if self.cites() {
                vec![crate::rows::PAGE]
            } else {
                Vec::new()
            },
        }
    }
}

/// The expressions that name a row of `table` (aliased `t`) in Chinese and English:
/// its label columns, else its region's names, else its first pair of `_zh`/`_en`
/// columns (a fact's metric).
pub fn name_exprs(table: &Table) -> (String, String) {
    if let Some((zh, en)) = table.label_columns() {
        return (format!("t.{zh}"), format!("t.{en}"));
    }
    if table.column("region_id").is_some() {
        let sub = |c: &str| format!("(SELECT r.{c} FROM regions AS r WHERE r.id = t.region_id)");
        return (sub("name_zh"), sub("name_en"));
    }
    let first = table
        .columns
        .iter()
        .find_map(|c| c.name.strip_suffix("_zh"));
    match first {
        Some(stem) => (format!("t.{stem}_zh"), format!("t.{stem}_en")),
        None => ("NULL".into(), "NULL".into()),
    }
}

/// The first (or last) month of the period a date column holds, as `YYYY-MM`, in SQL:
/// a year's January (December), a half-year's January or July (June or December), a
/// month itself. Dates of every precision compare as periods this way.
pub fn period_month(column: &str, kind: crate::db::contract::Kind, first: bool) -> String {
    use crate::db::contract::Kind;
    let (jan, h1, h2) = if first {
        ("01", "01", "07")
    } else {
        ("12", "06", "12")
    };
    match kind {
        Kind::Year => format!("printf('%04d-{jan}', {column})"),
        Kind::Period => format!(
            "CASE WHEN length({column}) = 4 THEN {column} || '-{jan}' \
             WHEN substr({column}, 6, 1) = 'H' THEN substr({column}, 1, 4) || CASE substr({column}, 7, 1) WHEN '1' THEN '-{h1}' ELSE '-{h2}' END \
             ELSE {column} END"
        ),
        _ => column.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::contract;

    #[test]
    fn filters_are_numbered_parameters_and_text_is_folded() {
        let mut s = Select::new(
            contract::table("chips").unwrap(),
            &[],
            &[
                ("shout", "upper(t.id)", None, ""),
                ("loud", "lower(t.id)", Some("id"), ""),
            ],
            &["t.int8_tops DESC NULLS LAST"],
        );
        s.filter("t.int8_tops >= ?", 200.0);
        s.filter_text(&["t.vendor_zh", "t.vendor_en"], "Hua'wei %");
        let q = s.build();
        assert!(
            q.sql
                .starts_with("SELECT t.id, lower(t.id) AS loud, t.name_zh, "),
            "{}",
            q.sql
        );
        assert!(
            q.sql.ends_with(", upper(t.id) AS shout, (SELECT s.page FROM sources AS s WHERE s.id = t.source_id) AS page FROM chips AS t WHERE t.int8_tops >= ?1 AND (instr(aiinfra_fold(t.vendor_zh), ?2) > 0 OR instr(aiinfra_fold(t.vendor_en), ?2) > 0) ORDER BY t.int8_tops DESC NULLS LAST, t.id"),
            "{}",
            q.sql
        );
        assert_eq!(
            q.params,
            vec![Value::Real(200.0), Value::Text("hua'wei%".into())]
        );
    }
}
