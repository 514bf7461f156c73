//! Rows: what every command that lists something produces, whatever made them (a
//! query, the contract, a check). Each column knows how to show itself: its kind from
//! the contract, its unit, and the column that qualifies its numbers.

use rusqlite::types::Value;

use crate::db::contract::{self, Kind};

/// The hidden column of a transposed record that says which values are kept whole
/// (an id, a number) when the table must fit a width.
pub const WHOLE: &str = "whole";

/// The name of the column list commands add with the page of each row's source.
pub const PAGE: &str = "page";

/// One column of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// The contract's kind, where the column is a contract column; `None` for
    /// anything computed (shown by its value's own type).
    pub kind: Option<Kind>,
    pub unit: Option<&'static str>,
    /// What the column means, where it is a contract column.
    pub doc: Option<&'static str>,
    /// The column, in the same rows, that says this number is a bound or an
    /// approximation (`params_qualifier` for `params`).
    pub qualifier: Option<usize>,
    /// Carried for another column's sake (a qualifier the user did not ask to see);
    /// no format shows it.
    pub hidden: bool,
    /// The column, in the same rows, that holds this number's unit row by row (a
    /// policy's `currency` for its `amount`).
    pub unit_from: Option<usize>,
    /// Added for the reader (the page of a row's source): a table shows it, other
    /// formats only when `--columns` names it, so that their columns stay the table's.
    pub extra: bool,
    /// The column, in the same rows, that holds this number's ratio to the first
    /// record's (`compare`): a table writes it after the number (`22 ×0.0344`).
    pub ratio: Option<usize>,
}

impl Column {
    /// A column known only by its name.
    pub fn plain(name: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            kind: None,
            unit: None,
            doc: None,
            qualifier: None,
            hidden: false,
            unit_from: None,
            extra: false,
            ratio: None,
        }
    }

    /// A column of the given kind.
    pub fn of_kind(name: impl Into<String>, kind: Kind) -> Column {
        Column {
            kind: Some(kind),
            ..Column::plain(name)
        }
    }

    /// Text columns of these names, with some of another kind: `Column::list(&["line",
    /// "kind"], &[("line", Kind::Integer)])`.
    pub fn list(names: &[&str], kinds: &[(&str, Kind)]) -> Vec<Column> {
        names
            .iter()
            .map(|name| {
                let kind = kinds
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(Kind::Text, |k| k.1);
                Column::of_kind(*name, kind)
            })
            .collect()
    }

    pub fn is_bool(&self) -> bool {
        self.kind == Some(Kind::Bool)
    }

    /// Whether the column is an id or a link by its name (for columns the contract
    /// does not describe: a query's `entity`, `field`, `source_id`).
    fn is_id_like(&self) -> bool {
        let name = self.name.as_str();
        name == "id" || name.ends_with("_id") || matches!(name, "entity" | "field")
    }
}

/// A result: columns and the values of each row, one value per column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub columns: Vec<Column>,
    pub data: Vec<Vec<Value>>,
}

impl Rows {
    /// Rows with columns named `names`, each described by the contract where one of
    /// `tables` has a column of that name, and qualifiers linked by name.
    pub fn described(names: Vec<String>, tables: &[&contract::Table]) -> Rows {
        Rows::described_with(names, tables, &[])
    }

    /// `described`, with the columns of `extra` added for the reader (see `extra`).
    pub fn described_with(names: Vec<String>, tables: &[&contract::Table], extra: &[&str]) -> Rows {
        let mut columns: Vec<Column> = names
            .into_iter()
            .map(|name| {
                let found = tables.iter().find_map(|t| t.column(&name));
                Column {
                    kind: found.map(|c| c.kind),
                    unit: found.and_then(|c| c.unit),
                    doc: found.map(|c| c.doc),
                    ..Column::plain(name)
                }
            })
            .collect();
        for i in 0..columns.len() {
            let contract = tables.iter().find_map(|t| t.column(&columns[i].name));
            let at =
                |name: Option<&str>| name.and_then(|n| columns.iter().position(|c| c.name == n));
            let qualifier = at(contract.and_then(|c| c.qualifier));
            let unit_from = at(contract.and_then(|c| c.unit_column));
            columns[i].qualifier = qualifier;
            columns[i].unit_from = unit_from;
        }
        // The page of a row's source, which list commands add for the reader, and
        // any other column a query adds for the reader (a timeline's flag).
        for column in &mut columns {
            if extra.contains(&column.name.as_str()) {
                column.extra = true;
            }
            if column.name == PAGE && tables.iter().all(|t| t.column(PAGE).is_none()) {
                column.extra = extra.contains(&PAGE);
                column.kind = Some(contract::Kind::Integer);
                column.unit = Some("page");
                column.doc = Some("the page of the row's source in the report");
            }
        }
        Rows {
            columns,
            data: Vec::new(),
        }
    }

    /// The index of the visible column named `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| !c.hidden && c.name == name)
    }

    /// Indices of the columns a format shows, in order.
    pub fn visible(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.columns.len()).filter(|&i| !self.columns[i].hidden)
    }

    /// The names a format shows, made unique: a second `a` becomes `a_2`, so that a
    /// JSON object never has the same key twice.
    pub fn shown_names(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for i in self.visible() {
            let base = &self.columns[i].name;
            let mut name = base.clone();
            let mut n = 2;
            while seen.contains(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            seen.push(name.clone());
            out.push(name);
        }
        out
    }

    /// The mark (≥ > < ~) a row's qualifier puts before the number in column `col`.
    pub fn mark(&self, row: &[Value], col: usize) -> &'static str {
        match self.columns[col].qualifier.and_then(|q| row.get(q)) {
            Some(Value::Text(word)) => contract::qualifier_mark(word),
            _ => "",
        }
    }

    /// Whether a column's cells are free text, which may be cut or wrapped to fit a
    /// width; ids, numbers, codes and dates are kept whole. (The contract's kind
    /// decides; a column it does not describe is text if it holds text and is not
    /// named like an id.)
    pub fn is_free_text(&self, col: usize) -> bool {
        let column = &self.columns[col];
        match column.kind {
            Some(kind) => kind == Kind::Text,
            None if column.is_id_like() => false,
            None => self.data.iter().any(|r| matches!(r[col], Value::Text(_))),
        }
    }

    /// One record as `field | value` rows, for reading a single wide row in a table.
    /// A qualified number keeps its qualifier (in a hidden column), so it is shown
    /// marked and human-sized like any other.
    pub fn transposed(&self) -> Rows {
        let mut data = Vec::new();
        let free: Vec<bool> = (0..self.columns.len())
            .map(|i| self.is_free_text(i))
            .collect();
        for row in &self.data {
            for i in self.visible() {
                let value = self.as_field(row, i);
                let qualifier = self.columns[i]
                    .qualifier
                    .map_or(Value::Null, |q| row[q].clone());
                data.push(vec![
                    Value::Text(self.columns[i].name.clone()),
                    value,
                    qualifier,
                    Value::Integer(i64::from(!free[i])),
                ]);
            }
        }
        let mut value = Column::plain("value");
        value.qualifier = Some(2);
        value.doc = Some("the record's value");
        let mut qualifier = Column::plain("qualifier");
        qualifier.hidden = true;
        let mut whole = Column::of_kind(WHOLE, Kind::Bool);
        whole.hidden = true;
        Rows {
            columns: vec![
                Column::of_kind("field", Kind::Slug),
                value,
                qualifier,
                whole,
            ],
            data,
        }
    }

    /// A value of column `i` as a field of a record shows it, among values of other
    /// kinds: a flag as `true` or `false`, a year as its digits (never `2,019`).
    fn as_field(&self, row: &[Value], i: usize) -> Value {
        match (&row[i], self.columns[i].kind) {
            (Value::Integer(n), Some(Kind::Bool)) => Value::Text((*n != 0).to_string()),
            (Value::Integer(n), Some(Kind::Year)) => Value::Text(n.to_string()),
            (other, _) => other.clone(),
        }
    }

    /// Whether column `i` holds a quantity whose ratios mean something: a number with
    /// a unit (or a unit column) or a qualifier; not a count in a list (a pilot zone's
    /// number), nor a page.
    fn is_measure(&self, i: usize) -> bool {
        let c = &self.columns[i];
        matches!(c.kind, Some(Kind::Integer | Kind::Real))
            && !c.extra
            && c.name != PAGE
            && (c.unit.is_some() || c.unit_from.is_some() || c.qualifier.is_some())
    }

    /// Records side by side (`compare`): these rows, one per record, turned so that
    /// each of their columns is a row (`field`) and each record a column named by
    /// `names`, in order. A number keeps its qualifier (a table marks it ≥) and, where
    /// the records give it in different units, its unit; for each record after the
    /// first, a column `b/a` holds the ratio of its numbers to the first's, which a
    /// table writes after the number (`×0.0344`). Each row ends with the column's unit
    /// and meaning. Ids, numbers and dates are kept whole in a table; text may wrap.
    pub fn side_by_side(&self, names: &[String]) -> Rows {
        let n = names.len().min(self.data.len());
        // Visible: field, then each record (and its ratio), then unit and meaning;
        // hidden after them: each record's qualifier and unit, and the whole flag.
        let mut columns = vec![{
            let mut field = Column::of_kind("field", Kind::Slug);
            field.doc = Some("the column of the records compared");
            field
        }];
        let mut value_at = Vec::new();
        let mut ratio_at = vec![None];
        for (k, name) in names.iter().take(n).enumerate() {
            value_at.push(columns.len());
            let mut value = Column::plain(name.clone());
            value.doc = Some("the record's value");
            columns.push(value);
            if k > 0 {
                ratio_at.push(Some(columns.len()));
                let mut ratio = Column::of_kind(format!("{name}/{}", names[0]), Kind::Real);
                ratio.doc = Some(
                    "the record's number divided by the first record's, to three figures; a bound (at_least, over, nearly, or at_most: no more than) or about where either number is qualified",
                );
                columns.push(ratio);
            }
        }
        let unit_at = columns.len();
        let mut unit = Column::of_kind("unit", Kind::Text);
        unit.doc = Some("the unit of the column's numbers, or the form of its dates");
        columns.push(unit);
        let mut meaning = Column::of_kind("meaning", Kind::Text);
        meaning.doc = Some("what the column means");
        columns.push(meaning);
        let hidden_at = columns.len();
        for k in 0..n {
            for what in ["qualifier", "unit"] {
                let mut c = Column::plain(format!("{}:{what}", names[k]));
                c.hidden = true;
                columns.push(c);
            }
            let at = value_at[k];
            columns[at].qualifier = Some(hidden_at + 2 * k);
            columns[at].unit_from = Some(hidden_at + 2 * k + 1);
            columns[at].ratio = ratio_at[k];
        }
        // Each ratio's own qualifier: a ratio of a bound or an approximation is one.
        let mut ratio_qualifier_at = vec![None; n];
        for k in 1..n {
            if let Some(at) = ratio_at[k] {
                let mut c = Column::plain(format!("{}:qualifier", columns[at].name));
                c.hidden = true;
                ratio_qualifier_at[k] = Some(columns.len());
                columns[at].qualifier = Some(columns.len());
                columns.push(c);
            }
        }
        let whole_at = columns.len();
        let mut whole = Column::of_kind(WHOLE, Kind::Bool);
        whole.hidden = true;
        columns.push(whole);

        let records = &self.data[..n];
        let mut data = Vec::new();
        // The ratios' qualifiers, for the rows of the qualifier columns (so that csv
        // and json, which show no marks, say them too): (qualifier column, ratio, word).
        let mut qualified: Vec<(usize, usize, &'static str)> = Vec::new();
        let mut row_of = std::collections::HashMap::new();
        for i in self.visible() {
            row_of.insert(i, data.len());
            let column = &self.columns[i];
            let mut row = vec![Value::Null; columns.len()];
            row[0] = Value::Text(column.name.clone());
            // A unit given row by row is said once when the records share it.
            let units: Vec<Value> = match column.unit_from {
                Some(u) => records.iter().map(|r| r[u].clone()).collect(),
                None => vec![Value::Null; n],
            };
            let given: Vec<&Value> = units
                .iter()
                .zip(records)
                .filter(|(_, r)| !matches!(r[i], Value::Null))
                .map(|(u, _)| u)
                .collect();
            let shared = given.windows(2).all(|w| w[0] == w[1]);
            row[unit_at] = match (column.unit, given.first()) {
                (Some(u), _) => Value::Text(u.to_string()),
                (None, Some(u)) if shared => (*u).clone(),
                _ => Value::Null,
            };
            row[unit_at + 1] = column
                .doc
                .map_or(Value::Null, |d| Value::Text(d.to_string()));
            let number = |v: &Value| match v {
                Value::Integer(x) => Some(*x as f64),
                Value::Real(x) => Some(*x),
                _ => None,
            };
            let first = records.first().and_then(|r| number(&r[i]));
            for (k, record) in records.iter().enumerate() {
                row[value_at[k]] = self.as_field(record, i);
                if let Some(q) = column.qualifier {
                    row[hidden_at + 2 * k] = record[q].clone();
                }
                if !shared {
                    row[hidden_at + 2 * k + 1] = units[k].clone();
                }
                let ratio = match (ratio_at[k], first, number(&record[i])) {
                    (Some(at), Some(a), Some(b))
                        if self.is_measure(i) && a != 0.0 && units[k] == units[0] =>
                    {
                        Some((at, three_figures(b / a)))
                    }
                    _ => None,
                };
                if let Some((at, x)) = ratio {
                    row[at] = Value::Real(x);
                    fn word(r: &[Value], q: Option<usize>) -> Option<&str> {
                        match q.map(|q| &r[q]) {
                            Some(Value::Text(w)) if !w.is_empty() => Some(w.as_str()),
                            _ => None,
                        }
                    }
                    if let (Some(q), Some(w)) = (
                        ratio_qualifier_at[k],
                        ratio_qualifier(
                            word(&records[0], column.qualifier),
                            word(record, column.qualifier),
                        ),
                    ) {
                        row[q] = Value::Text(w.to_string());
                        if let Some(of) = column.qualifier {
                            qualified.push((of, at, w));
                        }
                    }
                }
            }
            row[whole_at] = Value::Integer(i64::from(!self.is_free_text(i)));
            data.push(row);
        }
        for (of, at, word) in qualified {
            if let Some(&r) = row_of.get(&of) {
                let row: &mut Vec<Value> = &mut data[r];
                row[at] = Value::Text(word.to_string());
            }
        }
        Rows { columns, data }
    }
}

/// The qualifier of b/a, given a's and b's (the report's words): b's where a is
/// exact (b ≥ B makes b/a ≥ B/a); where only a is qualified, the bound turned over: a
/// lower bound (`at_least`, `over`) makes b/a an upper one (`at_most`, a word of ratios
/// only, marked ≤), a just under A (`nearly`) makes b/a over b/A; otherwise, as for a
/// ratio of two qualified numbers, `about`.
fn ratio_qualifier(a: Option<&str>, b: Option<&str>) -> Option<&'static str> {
    match (a, b) {
        (None, None) => None,
        (None, Some("at_least")) => Some("at_least"),
        (None, Some("over")) => Some("over"),
        (None, Some("nearly")) => Some("nearly"),
        (Some("at_least" | "over"), None) => Some("at_most"),
        (Some("nearly"), None) => Some("over"),
        _ => Some("about"),
    }
}

/// `x` to three significant figures (0.034375 → 0.0344, 57.142 → 57.1).
fn three_figures(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(2 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_columns_take_kinds_units_and_qualifiers_from_the_contract() {
        let models = contract::table("models").unwrap();
        let rows = Rows::described(
            vec!["params".into(), "id".into(), "params_qualifier".into()],
            &[models],
        );
        assert_eq!(rows.columns[0].kind, Some(Kind::Integer));
        assert_eq!(rows.columns[0].unit, Some("parameters"));
        assert_eq!(rows.columns[0].qualifier, Some(2));
        let row = vec![
            Value::Integer(100_000_000_000),
            Value::Text("pangu-nlp".into()),
            Value::Text("at_least".into()),
        ];
        assert_eq!(rows.mark(&row, 0), "≥");
        assert_eq!(rows.mark(&row, 1), "");
    }

    #[test]
    fn records_side_by_side_keep_qualifiers_units_and_ratios() {
        let policies = contract::table("policies").unwrap();
        let mut rows = Rows::described(
            vec![
                "id".into(),
                "amount".into(),
                "amount_qualifier".into(),
                "currency".into(),
            ],
            &[policies],
        );
        let t = |s: &str| Value::Text(s.into());
        rows.data = vec![
            vec![t("a"), Value::Real(80.0), Value::Null, t("EUR")],
            vec![t("b"), Value::Real(20.0), t("over"), t("EUR")],
            vec![t("c"), Value::Real(7.0), Value::Null, t("USD")],
        ];
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let turned = rows.side_by_side(&names);
        assert_eq!(
            turned.shown_names(),
            ["field", "a", "b", "b/a", "c", "c/a", "unit", "meaning"]
        );
        let amount = &turned.data[1];
        let at = |name: &str| turned.index(name).unwrap();
        assert_eq!(amount[at("b/a")], Value::Real(0.25));
        // Another currency: no ratio, and the unit in each cell, not once.
        assert_eq!(amount[at("c/a")], Value::Null);
        assert_eq!(amount[at("unit")], Value::Null);
        assert_eq!(turned.mark(amount, at("b")), ">");
        let b = &turned.columns[at("b")];
        assert_eq!(amount[b.unit_from.unwrap()], t("EUR"));
        assert_eq!(b.ratio, Some(at("b/a")));
        assert_eq!(three_figures(22.0 / 640.0), 0.0344);
        assert_eq!(three_figures(10_000.0 / 175.0), 57.1);
    }

    #[test]
    fn shown_names_are_unique() {
        let rows = Rows {
            columns: vec![Column::plain("a"), Column::plain("a"), Column::plain("a_2")],
            data: Vec::new(),
        };
        assert_eq!(rows.shown_names(), ["a", "a_2", "a_2_2"]);
    }
}
