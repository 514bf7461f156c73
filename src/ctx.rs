//! What every command runs with, built once from the plan before the command runs:
//! where the data comes from and how it was named, the time it may take, the rules
//! every write follows (the inputs it must not replace, `--force`), the root of the
//! command line (for the manual), and the knowledge base, opened when first needed.
//! Also the names a person may give a table, and a place or a record by name.

use std::cell::OnceCell;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use rusqlite::types::Value;

use crate::db::contract::{self, TABLES, Table};
use crate::db::{DataSource, Db};
use crate::error::UsageError;
use crate::query::Query;
use crate::resolve::Candidate;

/// What every command runs with.
pub struct Ctx {
    pub source: DataSource,
    /// How the source was named (`--db`, `$AIINFRA_DB`), for messages.
    pub source_name: &'static str,
    pub timeout: Duration,
    /// What every write of this command must not replace, and `--force`.
    pub rules: crate::write::Rules,
    /// The whole command line, for the manual pages.
    pub root: fn() -> clap::Command,
    db: OnceCell<Db>,
}

impl Ctx {
    /// A context reading `source`; `inputs` are files the command reads besides it.
    pub fn new(
        source: DataSource,
        source_name: &'static str,
        timeout: Duration,
        force: bool,
        inputs: Vec<PathBuf>,
        root: fn() -> clap::Command,
    ) -> Ctx {
        let mut inputs = inputs;
        match &source {
            DataSource::Embedded => {}
            DataSource::File(path) => inputs.push(path.clone()),
            DataSource::SeedDir(dir) => {
                inputs.extend(TABLES.iter().map(|t| dir.join(format!("{}.csv", t.name))));
                inputs.push(dir.clone());
            }
        }
        Ctx {
            source,
            source_name,
            timeout,
            rules: crate::write::Rules { inputs, force },
            root,
            db: OnceCell::new(),
        }
    }

    /// The knowledge base, opened on first use.
    pub fn db(&self) -> Result<&Db> {
        if let Some(db) = self.db.get() {
            return Ok(db);
        }
        let db = crate::db::open(&self.source, self.timeout)?;
        Ok(self.db.get_or_init(|| db))
    }

    /// Everything a name may resolve to in `tables`: each row's id and names.
    pub fn candidates(&self, tables: &[&'static Table]) -> Result<Vec<Candidate>> {
        let mut out = Vec::new();
        // The built-in rows' names were folded by the build.
        if self.source == crate::db::DataSource::Embedded {
            for table in tables {
                out.extend(
                    crate::prebuilt::CANDIDATES
                        .iter()
                        .filter(|c| c.0 == table.name)
                        .map(|(_, id, names, folded)| {
                            Candidate::prefolded(table.name, id, names, folded)
                        }),
                );
            }
            return Ok(out);
        }
        for table in tables {
            // Table and column names come from the contract, never from input.
            let sql = match table.label_columns() {
                Some((zh, en)) => {
                    format!("SELECT id, {zh}, {en} FROM {} ORDER BY rowid", table.name)
                }
                None => format!("SELECT id FROM {} ORDER BY rowid", table.name),
            };
            let rows = self.db()?.fetch(&Query::new(sql, Vec::new()))?;
            for (n, row) in rows.data.into_iter().enumerate() {
                if n % 1024 == 0 {
                    crate::guard::checkpoint("finding the names")?;
                }
                let mut texts = row.into_iter().filter_map(|v| match v {
                    Value::Text(s) => Some(s),
                    _ => None,
                });
                let Some(id) = texts.next() else { continue };
                out.push(Candidate::new(table.name, id, texts.collect()));
            }
        }
        Ok(out)
    }

    /// The region `key` names (an id, a name, an official name), or a usage error.
    pub fn region(&self, key: &str) -> Result<Candidate> {
        let regions = self.candidates(&[table("regions")?])?;
        Ok(crate::resolve::resolve(key, &regions, "region", "aiinfra regions")?.clone())
    }

    /// The id of the source a user names: its id (`table-3`) or its title.
    pub fn source_id(&self, key: &str) -> Result<String> {
        let sources = self.candidates(&[table("sources")?])?;
        Ok(
            crate::resolve::resolve(key, &sources, "source", "aiinfra sources")?
                .id
                .clone(),
        )
    }
}

/// A contract table the code names; its absence is a bug a test would catch.
pub fn table(name: &str) -> Result<&'static Table, UsageError> {
    contract::table(name).ok_or_else(|| UsageError(format!("no table {name}")))
}

/// The names a table may be given: every table's own name, and its short name.
/// The data tables come first, then the report's (`passages`).
pub fn table_names() -> impl Iterator<Item = &'static str> {
    contract::every_table().map(|t| t.name).chain(
        TABLES
            .iter()
            .filter_map(|t| t.short.filter(|s| *s != t.name)),
    )
}

/// Look a table up by a name the user gave for `what` (a flag or an argument): its
/// own name or its short name (`compute_centers` or `centers`).
pub fn table_named(name: &str, what: &str) -> Result<&'static Table, UsageError> {
    let name = name.trim();
    if let Some(t) = contract::every_table().find(|t| t.name == name || t.short == Some(name)) {
        return Ok(t);
    }
    Err(UsageError(format!(
        "unknown {what} '{name}'{} (expected a table, by its name or the command that lists it: {})",
        crate::text::suggest(name, table_names()),
        table_names().collect::<Vec<_>>().join(", ")
    )))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tables_are_named_by_table_or_short_name() {
        assert_eq!(
            table_named("centers", "--entity").unwrap().name,
            "compute_centers"
        );
        assert_eq!(
            table_named("compute_centers", "--entity").unwrap().name,
            "compute_centers"
        );
        let err = table_named("center", "--entity").unwrap_err().0;
        assert!(err.contains("did you mean centers?"), "{err}");
    }
}
