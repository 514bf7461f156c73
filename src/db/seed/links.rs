//! Across files: ids unique in the whole knowledge base, and every link (`source_id`,
//! `region_id`, `parent_id`) naming a row of the table it points to.

use std::collections::HashMap;

use rusqlite::types::Value;

use super::parts::{Collector, SeedTable};
use crate::text::{show, suggest};

/// Ids must be unique across the whole knowledge base, and every link must name an id
/// of the table it points to.
pub(super) fn check_ids(tables: &[SeedTable], problems: &mut Collector) {
    let mut ids: HashMap<&str, (&str, u64, &str)> = HashMap::new();
    for seed in tables {
        for row in &seed.rows {
            let Some(Value::Text(id)) = seed.get(row, "id") else {
                continue;
            };
            if let Some((file, line, _)) = ids.get(id.as_str()) {
                problems.push(format!(
                    "{}:{}: column id: {} is already used at {file}:{line}; ids are unique across the knowledge base",
                    seed.shown,
                    row.line,
                    show(id)
                ));
            } else {
                ids.insert(id, (&seed.shown, row.line, seed.table.name));
            }
        }
    }
    for seed in tables {
        for (index, column) in seed.table.columns.iter().enumerate() {
            let Some(target) = column.references else {
                continue;
            };
            for row in &seed.rows {
                let Value::Text(value) = &row.values[index] else {
                    continue;
                };
                let found = ids
                    .get(value.as_str())
                    .is_some_and(|(_, _, t)| *t == target);
                if found {
                    continue;
                }
                let in_target = ids
                    .iter()
                    .filter(|(_, (_, _, t))| *t == target)
                    .map(|(id, _)| *id);
                let hint = suggest(value, in_target);
                let missing = if tables.iter().any(|t| t.table.name == target) {
                    format!("no row of {target}.csv has this id")
                } else {
                    format!("{target}.csv did not load")
                };
                problems.push(format!(
                    "{}:{}: column {}: unknown id {} ({missing}{hint})",
                    seed.shown,
                    row.line,
                    column.name,
                    show(value)
                ));
            }
        }
    }
}
