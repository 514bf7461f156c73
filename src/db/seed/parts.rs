//! The pieces of a load, shared by the steps in this folder: a seed file's bytes, the
//! validated rows and tables, and the problems collected on the way.

use std::borrow::Cow;

use rusqlite::types::Value;

use super::super::contract::Table;

/// Stop collecting after this many problems: past it, the rest is noise.
pub(super) const MAX_PROBLEMS: usize = 50;

/// One seed file's bytes and the name to show in messages.
pub(super) struct SeedFile {
    pub(super) table: &'static Table,
    pub(super) shown: String,
    pub(super) bytes: Cow<'static, [u8]>,
}

/// A validated row: its line in the file and one value per contract column.
#[derive(Debug, Clone)]
pub struct SeedRow {
    pub line: u64,
    pub values: Vec<Value>,
}

/// A validated table.
#[derive(Debug)]
pub struct SeedTable {
    pub table: &'static Table,
    pub shown: String,
    pub rows: Vec<SeedRow>,
}

impl AsRef<[Value]> for SeedRow {
    fn as_ref(&self) -> &[Value] {
        &self.values
    }
}

impl SeedTable {
    /// The value of `column` in `row` (the column must belong to the table).
    pub fn get<'a>(&self, row: &'a SeedRow, column: &str) -> Option<&'a Value> {
        let i = self.table.columns.iter().position(|c| c.name == column)?;
        row.values.get(i)
    }
}

/// Collects problems up to MAX_PROBLEMS.
#[derive(Default)]
pub(super) struct Collector(pub(super) Vec<String>);

impl Collector {
    pub(super) fn push(&mut self, problem: String) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(problem);
        }
    }
    pub(super) fn full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }
}
