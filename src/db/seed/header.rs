//! The header line: every contract column exactly once, in any order; a misspelt or
//! missing column, or a file separated by something other than commas, is named. A
//! first line that holds no column at all is not quoted back: it is not a header.

use std::collections::HashMap;

use super::parts::{Collector, SeedFile};
use crate::text::suggest;

/// Map each header field to its contract column; every column exactly once.
pub(super) fn map_header(
    file: &SeedFile,
    header: &csv::StringRecord,
    problems: &mut Collector,
) -> Option<Vec<usize>> {
    let table = file.table;
    let expected = table.column_names().collect::<Vec<_>>().join(",");
    if header.len() == 1 {
        let only = &header[0];
        for sep in [';', '\t', '|'] {
            if only.contains(sep) {
                problems.push(format!(
                    "{}:1: the header is separated by {sep:?}; aiinfra reads comma-separated files: {expected}",
                    file.shown
                ));
                return None;
            }
        }
    }
    // A first line with no column of the table at all is not a header of it: say so
    // without quoting it (it may be any file, a password file among them).
    if !header
        .iter()
        .any(|name| table.columns.iter().any(|c| c.name == name.trim()))
    {
        problems.push(format!(
            "{}:1: the first line is not the header of {}.csv (none of its {} fields is a column of {}); is it the right file? Expected: {expected}",
            file.shown,
            table.name,
            header.len(),
            table.name
        ));
        return None;
    }
    let mut order = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut ok = true;
    for (i, name) in header.iter().enumerate() {
        match table.columns.iter().position(|c| c.name == name) {
            Some(index) => {
                if let Some(first) = seen.insert(table.columns[index].name, i) {
                    problems.push(format!(
                        "{}:1: column {name} appears twice in the header (fields {} and {})",
                        file.shown,
                        first + 1,
                        i + 1
                    ));
                    ok = false;
                }
                order.push(index);
            }
            None => {
                let hint = suggest(name, table.column_names());
                problems.push(format!(
                    "{}:1: unknown column {name:?} in the header{hint} (expected: {expected})",
                    file.shown
                ));
                ok = false;
            }
        }
    }
    for column in table.columns {
        if !seen.contains_key(column.name) {
            problems.push(format!(
                "{}:1: the header lacks column {} (expected: {expected})",
                file.shown, column.name
            ));
            ok = false;
        }
    }
    ok.then_some(order)
}
