//! One cell against its column: the contract's kind (numbers, years, months and
//! periods in the grammar of `units.rs`, ids, enumerations, codes) and whether it may
//! be empty. Messages say what was expected and quote what was found.

use rusqlite::types::Value;

use super::super::contract::{Column, Kind, Table};
use crate::text::{did_you_mean, show};
use crate::units;

/// Validate one cell against its column and turn it into a SQLite value.
pub fn parse_cell(column: &Column, cell: &str) -> Result<Value, String> {
    if cell.len() > super::super::contract::MAX_VALUE_BYTES {
        return Err(format!(
            "the cell is {} bytes; a value may be at most {} (a cell this long is not the report's text)",
            cell.len(),
            super::super::contract::MAX_VALUE_BYTES
        ));
    }
    if cell.trim().is_empty() {
        return if column.required {
            Err("required, but the cell is empty".into())
        } else {
            Ok(Value::Null)
        };
    }
    if column.kind == Kind::Text {
        return Ok(Value::Text(cell.trim().to_string()));
    }
    if cell.trim() != cell {
        return Err(format!(
            "surrounding whitespace in {}; remove it",
            show(cell)
        ));
    }
    let expected = |what: &str| format!("expected {what}, found {}", show(cell));
    match column.kind {
        Kind::Text => Ok(Value::Text(cell.to_string())),
        Kind::Slug => {
            let ok = cell
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
                && cell
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphanumeric());
            if ok {
                Ok(Value::Text(cell.to_string()))
            } else {
                Err(expected("an id of lowercase letters, digits, - and ."))
            }
        }
        Kind::Integer => parse_integer(cell)
            .and_then(|n| within(column, cell, n as f64).map(|()| Value::Integer(n))),
        Kind::Real => {
            parse_real(cell).and_then(|x| within(column, cell, x).map(|()| Value::Real(x)))
        }
        Kind::Bool => match cell.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Value::Integer(1)),
            "false" | "0" => Ok(Value::Integer(0)),
            _ => Err(expected("true or false")),
        },
        Kind::Year => match units::year(cell) {
            Some(y) => Ok(Value::Integer(y)),
            None => Err(expected("a year between 1900 and 2100")),
        },
        Kind::Month => {
            if units::month(cell).is_some() {
                Ok(Value::Text(cell.to_string()))
            } else {
                Err(expected("a month as YYYY-MM"))
            }
        }
        Kind::Period => {
            if units::is_period(cell) {
                Ok(Value::Text(cell.to_string()))
            } else {
                Err(expected(
                    "a year (YYYY), a month (YYYY-MM) or a half-year (YYYY-H1, YYYY-H2)",
                ))
            }
        }
        Kind::Country | Kind::Currency => {
            let len = if column.kind == Kind::Country { 2 } else { 3 };
            if cell.len() == len && cell.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(Value::Text(cell.to_string()))
            } else {
                Err(expected(&format!(
                    "{len} capital letters ({})",
                    column.kind.describe()
                )))
            }
        }
        Kind::Enum(values) => {
            if values.contains(&cell) {
                Ok(Value::Text(cell.to_string()))
            } else {
                let hint = did_you_mean(cell, values.iter().copied())
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                Err(format!(
                    "expected one of: {}; found {}{hint}",
                    values.join(", "),
                    show(cell)
                ))
            }
        }
    }
}

/// A number within its column's bound (a page is at least 1).
fn within(column: &Column, cell: &str, x: f64) -> Result<(), String> {
    match column.min {
        Some(min) if !min.holds(x) => Err(format!(
            "expected a number {}, found {}",
            min.describe(),
            show(cell)
        )),
        _ => Ok(()),
    }
}

fn separator_hint(cell: &str) -> &'static str {
    if cell.contains(',') {
        "; write numbers without thousands separators"
    } else if !cell.is_ascii() {
        "; write plain ASCII digits, without units"
    } else {
        ""
    }
}

/// A number problem of the shared grammar, phrased for a seed cell.
fn number_problem(cell: &str, problem: units::Problem) -> String {
    match problem {
        units::Problem::OutOfRange => format!("number out of range: {}", show(cell)),
        units::Problem::NotWhole => format!("expected a whole number, found {}", show(cell)),
        _ => format!(
            "expected a number, found {}{}",
            show(cell),
            separator_hint(cell)
        ),
    }
}

fn parse_integer(cell: &str) -> Result<i64, String> {
    units::whole(cell, true).map_err(|p| number_problem(cell, p))
}

fn parse_real(cell: &str) -> Result<f64, String> {
    units::decimal(cell, true, false).map_err(|p| number_problem(cell, p))
}

/// What a row's cells say together: a qualifier needs the number it qualifies.
pub(super) fn check_row(table: &Table, values: &[Value]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, column) in table.columns.iter().enumerate() {
        let Some(q) = column.qualifier else { continue };
        let Some(qi) = table.columns.iter().position(|c| c.name == q) else {
            continue;
        };
        if values[i] == Value::Null && values[qi] != Value::Null {
            problems.push(format!(
                "column {q}: qualifies {}, which is empty; give the number or leave {q} empty",
                column.name
            ));
        }
    }
    problems
}
