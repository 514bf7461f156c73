//! The one execution path: every query of every command (a list, `search`, `show`,
//! `sql`, an export, the resolver's look-ups) is prepared, guarded and read into rows
//! here, and every SQLite error becomes one message here, so a damaged file or a
//! runaway query reads the same whatever command met it.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::contract::TABLES;
use super::error::Error;
use super::sandbox::{self, Refusal};
use crate::query::Query;
use crate::rows::Rows;

/// The most a result may hold in memory: the whole knowledge base is under a megabyte,
/// and what is fetched is also rendered, so this bounds both.
pub const MAX_RESULT_BYTES: usize = 32 * 1024 * 1024;

/// An open, locked-down knowledge base.
pub struct Db {
    conn: Connection,
    /// The `--db` file, named in messages about a damaged file.
    file: Option<PathBuf>,
    refusal: Refusal,
    timeout: Duration,
}

impl Db {
    pub(super) fn new(
        conn: Connection,
        file: Option<PathBuf>,
        refusal: Refusal,
        timeout: Duration,
    ) -> Db {
        Db {
            conn,
            file,
            refusal,
            timeout,
        }
    }

    /// A Db over a connection already locked down, for the fuzz targets.
    #[doc(hidden)]
    pub fn for_fuzzing(conn: Connection, refusal: Refusal) -> Db {
        Db::new(conn, None, refusal, Duration::from_millis(200))
    }

    /// The connection back, for the fuzz targets' checks.
    #[doc(hidden)]
    pub fn into_connection(self) -> Connection {
        self.conn
    }

    /// The connection, for what is not a query (serializing the database).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Run `query` and read all its rows: data a command works from (a result too
    /// large for the cap is the data's fault, not the command line's).
    pub fn fetch(&self, query: &Query) -> Result<Rows> {
        self.read(query, None, false)
    }

    /// Run the command's own query and read at most `max_rows` of its rows (all of
    /// them with `None`): a result too large for the cap can be narrowed.
    pub fn fetch_result(&self, query: &Query, max_rows: Option<u64>) -> Result<Rows> {
        self.read(query, max_rows, true)
    }

    /// Run `query` and keep only what `keep` makes of each row (nothing, or a row of
    /// its own): a scan of many rows holds what it finds, never every row it reads,
    /// under the same cap as a fetch.
    pub fn fetch_kept(
        &self,
        query: &Query,
        keep: impl FnMut(Vec<Value>) -> Result<Option<Vec<Value>>>,
    ) -> Result<Vec<Vec<Value>>> {
        Ok(self.read_kept(query, None, false, keep)?.data)
    }

    /// A result (or, with `result` false, the data a command works from) past
    /// `MAX_RESULT_BYTES` after `rows` rows.
    fn too_large(&self, rows: usize, result: bool) -> Error {
        Error::TooLarge {
            limit: MAX_RESULT_BYTES,
            rows,
            result,
            path: self.file.clone(),
        }
    }

    fn read(&self, query: &Query, max_rows: Option<u64>, result: bool) -> Result<Rows> {
        self.read_kept(query, max_rows, result, |values| Ok(Some(values)))
    }

    fn read_kept(
        &self,
        query: &Query,
        max_rows: Option<u64>,
        result: bool,
        mut keep: impl FnMut(Vec<Value>) -> Result<Option<Vec<Value>>>,
    ) -> Result<Rows> {
        let max = max_rows.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
        let mut budget = Budget::default();
        let start = |names| Rows::described_with(names, &query.tables, &query.extra);
        self.each(query, start, |rows: &mut Rows, values| {
            let Some(values) = keep(values)? else {
                return Ok(true);
            };
            budget.count(self, &values, result)?;
            rows.data.push(values);
            Ok(rows.data.len() < max)
        })
        .map_err(|e| match e.downcast_ref::<Error>() {
            // The deadline passed while reading what the command works from, which
            // its options do not make smaller.
            Some(Error::Timeout { .. }) if !result => {
                crate::guard::stopped("reading the data").into()
            }
            _ => e,
        })
    }

    /// Run `query`: `start` makes a state from its column names, then `row` takes each
    /// row into it until it says stop (`Ok(false)`) or the rows end. The one place a
    /// statement is prepared, bound and stepped.
    pub fn each<S>(
        &self,
        query: &Query,
        start: impl FnOnce(Vec<String>) -> S,
        mut row: impl FnMut(&mut S, Vec<Value>) -> Result<bool>,
    ) -> Result<S> {
        let sql = query.sql.as_str();
        if sql.len() > sandbox::MAX_SQL_LENGTH as usize {
            return Err(Error::SqlTooLong {
                length: sql.len(),
                limit: sandbox::MAX_SQL_LENGTH as usize,
            }
            .into());
        }
        let explain = |err: rusqlite::Error| self.explain(err, sql, false);
        let mut stmt = self
            .conn
            .prepare(sql)
            .map_err(|err| self.explain(err, sql, true))?;
        if !stmt.readonly() {
            return Err(Error::Writes.into());
        }
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let width = names.len();
        let mut state = start(names);
        let mut cursor = stmt
            .query(rusqlite::params_from_iter(query.params.iter()))
            .map_err(explain)?;
        while let Some(r) = cursor.next().map_err(explain)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(r.get::<_, Value>(i).map_err(explain)?);
            }
            if !row(&mut state, values)? {
                break;
            }
        }
        Ok(state)
    }

    /// One SQLite error as a cause: the SQL itself is wrong (found while `preparing`
    /// it), the sandbox refused it, the deadline passed, the file is damaged….
    fn explain(&self, err: rusqlite::Error, sql: &str, preparing: bool) -> anyhow::Error {
        use rusqlite::Error as E;
        use rusqlite::ffi::ErrorCode;
        if let Some(what) = self.refusal.lock().ok().and_then(|mut r| r.take()) {
            return Error::Refused {
                what: sandbox::refused_what(sql, &what),
            }
            .into();
        }
        let cause = Error::from_sqlite(&err, self.file.as_deref());
        if cause.path().is_some() {
            return cause.into();
        }
        match &err {
            E::Empty => Error::Empty.into(),
            E::MultipleStatement => Error::Several.into(),
            E::SqliteFailure(e, _) if e.code == ErrorCode::OperationInterrupted => Error::Timeout {
                after: self.timeout,
            }
            .into(),
            E::SqlInputError { msg, offset, .. } => Error::Sql {
                message: format!("{msg}{}{}", hint(msg), position(sql, *offset)),
            }
            .into(),
            E::InvalidQuery => Error::Empty.into(),
            E::SqliteFailure(_, Some(msg))
                if preparing && !matches!(cause, Error::TooBig { .. } | Error::OutOfMemory) =>
            {
                Error::Sql {
                    message: format!("{msg}{}", hint(msg)),
                }
                .into()
            }
            _ => cause.into(),
        }
    }
}

/// A SQLite error met while reading, with no path to blame, as a cause a reader can
/// act on: the deadline passing, a value past the limits, memory.
pub fn reading_cause(err: rusqlite::Error) -> anyhow::Error {
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::OperationInterrupted) => {
            crate::guard::stopped("reading the data").into()
        }
        _ => Error::from_sqlite(&err, None).into(),
    }
}

/// What a result has cost so far, against `MAX_RESULT_BYTES`: every reader of a
/// result counts its rows through one.
#[derive(Debug, Default)]
pub struct Budget {
    bytes: usize,
    rows: usize,
}

impl Budget {
    /// Count a row of `db`'s result (with `result` false, of the data a command works
    /// from); past the cap, the error that says so.
    pub fn count(&mut self, db: &Db, values: &[Value], result: bool) -> Result<(), Error> {
        self.bytes += values.iter().map(value_bytes).sum::<usize>();
        self.rows += 1;
        match self.bytes > MAX_RESULT_BYTES {
            true => Err(db.too_large(self.rows, result)),
            false => Ok(()),
        }
    }
}

/// What a value costs in memory, as the result cap counts it.
pub fn value_bytes(value: &Value) -> usize {
    match value {
        Value::Text(s) => s.len() + 16,
        Value::Blob(b) => b.len() + 16,
        _ => 16,
    }
}

/// "; did you mean …?" for SQLite's "no such table: X" and "no such column: X".
fn hint(msg: &str) -> String {
    let tables = || {
        TABLES
            .iter()
            .map(|t| t.name)
            .chain(["citations", "aiinfra_meta"])
    };
    if let Some(name) = msg.strip_prefix("no such table: ") {
        let name = name.strip_prefix("main.").unwrap_or(name);
        return format!(
            "{} (tables: {})",
            crate::text::suggest(name, tables()),
            tables().collect::<Vec<_>>().join(", ")
        );
    }
    if let Some(name) = msg.strip_prefix("no such column: ") {
        let bare = name.rsplit('.').next().unwrap_or(name);
        let columns = TABLES.iter().flat_map(|t| t.column_names());
        return crate::text::suggest(bare, columns);
    }
    String::new()
}

/// Where in the SQL an error is: line, column, and the line with a caret under it.
fn position(sql: &str, offset: i32) -> String {
    let Ok(at) = usize::try_from(offset) else {
        return String::new();
    };
    let mut at = at.min(sql.len());
    while !sql.is_char_boundary(at) {
        at -= 1;
    }
    let line = sql[..at].matches('\n').count() + 1;
    let line_start = sql[..at].rfind('\n').map_or(0, |i| i + 1);
    let col = sql[line_start..at].chars().count() + 1;
    let text = sql[line_start..].lines().next().unwrap_or("");
    let caret = " ".repeat(unicode_width::UnicodeWidthStr::width(&sql[line_start..at]));
    format!(" (line {line}, column {col})\n  {text}\n  {caret}^")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{DataSource, open};

    fn run(sql: &str) -> Result<Rows> {
        let db = open(&DataSource::Embedded, Duration::from_secs(2))?;
        db.fetch(&Query::new(sql, Vec::new()))
    }

    #[test]
    fn selects_pragmas_and_recursive_ctes_run() {
        let rows = run("SELECT count(*) AS n FROM sources").unwrap();
        assert_eq!(rows.shown_names(), ["n"]);
        assert!(!run("PRAGMA table_info(chips)").unwrap().data.is_empty());
        let rows = run("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c").unwrap();
        assert_eq!(rows.data.len(), 5);
    }

    #[test]
    fn syntax_errors_point_at_the_position() {
        let err = run("SELECT * FROM chips WHER x").unwrap_err();
        assert!(err.downcast_ref::<Error>().is_some_and(Error::is_usage));
        assert_eq!(
            err.to_string(),
            "near \"x\": syntax error (line 1, column 26)\n  SELECT * FROM chips WHER x\n                           ^"
        );
        let err = run("SELECT 1,\n  名 FROM chips WHER x")
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(
                "(line 2, column 21)\n    名 FROM chips WHER x\n                       ^"
            ),
            "{err}"
        );
    }

    #[test]
    fn unknown_tables_and_columns_get_a_suggestion() {
        let err = run("SELECT * FROM chip").unwrap_err().to_string();
        assert!(
            err.starts_with("no such table: chip; did you mean chips?"),
            "{err}"
        );
        let err = run("SELECT int8 FROM chips").unwrap_err().to_string();
        assert!(
            err.starts_with("no such column: int8; did you mean int8_tops?"),
            "{err}"
        );
    }

    #[test]
    fn writes_and_two_statements_are_usage_errors() {
        for sql in [
            "DELETE FROM chips",
            "SELECT 1; SELECT 2",
            "drop view if exists v",
        ] {
            let err = run(sql).unwrap_err();
            assert!(
                err.downcast_ref::<Error>().is_some_and(Error::is_usage),
                "{sql}: {err}"
            );
        }
    }
}
