//! The `sql` sandbox: a connection that can read the knowledge base and nothing else.
//!
//! A read-only flag alone is not enough (`PRAGMA query_only=0` acts while the statement
//! is prepared; `VACUUM INTO` writes a new file even from a read-only connection), so
//! the layers are: an authorizer that allows only reads, selects, functions other than
//! load_extension, recursive CTEs and a few read-only PRAGMAs; DEFENSIVE mode; no
//! ATTACH; size limits; exactly one read-only statement; and a time limit.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use rusqlite::Connection;
use rusqlite::config::DbConfig;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::limits::Limit;

use crate::output::Rows;

/// PRAGMAs that describe the schema; their argument is a table or index name.
const INTROSPECTION_PRAGMAS: &[&str] = &[
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
];

/// PRAGMAs that may be read (never set).
const READABLE_PRAGMAS: &[&str] = &[
    "user_version",
    "application_id",
    "schema_version",
    "page_count",
    "page_size",
    "encoding",
    "freelist_count",
    "collation_list",
    "function_list",
    "pragma_list",
    "compile_options",
];

/// The largest string or blob a query may build (randomblob(2e9) is refused).
const MAX_LENGTH: i32 = 10_000_000;
/// How deep an expression may nest.
const MAX_EXPR_DEPTH: i32 = 200;
/// The longest SQL text accepted.
const MAX_SQL_LENGTH: i32 = 100_000;
/// SQLite's heap may not grow past this while the query runs.
const HEAP_LIMIT: i64 = 512 * 1024 * 1024;

/// Why the authorizer said no, for the error message.
type Refusal = Arc<Mutex<Option<String>>>;

/// Whether a refusal names the schema table, which SQLite asks about before the
/// statement's own action (DROP TABLE first deletes from sqlite_master).
fn is_schema_table(what: &str) -> bool {
    [
        "sqlite_master",
        "sqlite_schema",
        "sqlite_temp_master",
        "sqlite_temp_schema",
    ]
    .iter()
    .any(|t| what.ends_with(t))
}

fn decide(ctx: &AuthContext<'_>) -> Result<(), String> {
    match ctx.action {
        AuthAction::Select | AuthAction::Read { .. } | AuthAction::Recursive => Ok(()),
        AuthAction::Function { function_name } => {
            if function_name.eq_ignore_ascii_case("load_extension") {
                Err("load_extension()".into())
            } else {
                Ok(())
            }
        }
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let name = pragma_name.to_ascii_lowercase();
            if INTROSPECTION_PRAGMAS.contains(&name.as_str())
                || (READABLE_PRAGMAS.contains(&name.as_str()) && pragma_value.is_none())
            {
                Ok(())
            } else {
                Err(match pragma_value {
                    Some(v) => format!("PRAGMA {pragma_name} = {v}"),
                    None => format!("PRAGMA {pragma_name}"),
                })
            }
        }
        other => Err(describe(other)),
    }
}

fn describe(action: AuthAction<'_>) -> String {
    use AuthAction as A;
    match action {
        A::Insert { table_name } => format!("INSERT into {table_name}"),
        A::Update { table_name, .. } => format!("UPDATE of {table_name}"),
        A::Delete { table_name } => format!("DELETE from {table_name}"),
        A::DropTable { table_name } | A::DropTempTable { table_name } => {
            format!("DROP TABLE {table_name}")
        }
        A::CreateTable { table_name } | A::CreateTempTable { table_name } => {
            format!("CREATE TABLE {table_name}")
        }
        A::Attach { filename } => format!("ATTACH {filename}"),
        A::Detach { database_name } => format!("DETACH {database_name}"),
        A::Transaction { operation } => format!("{operation:?} TRANSACTION"),
        A::Savepoint { operation, .. } => format!("SAVEPOINT ({operation:?})"),
        other => {
            let name = format!("{other:?}");
            let word = name.split([' ', '{']).next().unwrap_or("this statement");
            word.to_string()
        }
    }
}

/// Lock a connection down for untrusted SQL.
fn lock_down(conn: &mut Connection, timeout: Duration, refusal: &Refusal) -> Result<()> {
    conn.pragma_update(None, "query_only", true)?;
    conn.pragma_update(None, "hard_heap_limit", HEAP_LIMIT)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_LENGTH)?;
    conn.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_LENGTH)?;
    conn.set_limit(Limit::SQLITE_LIMIT_EXPR_DEPTH, MAX_EXPR_DEPTH)?;
    let start = Instant::now();
    conn.progress_handler(10_000, Some(move || start.elapsed() > timeout))?;
    let refusal = Arc::clone(refusal);
    conn.authorizer(Some(move |ctx: AuthContext<'_>| match decide(&ctx) {
        Ok(()) => Authorization::Allow,
        Err(why) => {
            if let Ok(mut slot) = refusal.lock() {
                // Keep the first refusal, unless a more telling one follows one about
                // the schema table.
                if slot.as_deref().is_none_or(is_schema_table) {
                    *slot = Some(why);
                }
            }
            Authorization::Deny
        }
    }))?;
    Ok(())
}

/// Run one untrusted, read-only SQL statement and collect its rows.
pub fn run(conn: &mut Connection, sql: &str, timeout: Duration) -> Result<Rows> {
    if sql.len() > MAX_SQL_LENGTH as usize {
        bail!(
            "the SQL is {} bytes long; the limit is {MAX_SQL_LENGTH}",
            sql.len()
        );
    }
    let refusal: Refusal = Arc::default();
    lock_down(conn, timeout, &refusal)?;
    let explain = |err: rusqlite::Error| -> anyhow::Error {
        let refused = refusal.lock().ok().and_then(|mut r| r.take());
        explain_error(err, sql, refused, timeout)
    };
    let mut stmt = conn.prepare(sql).map_err(explain)?;
    if !stmt.readonly() {
        bail!("aiinfra sql is read-only: only SELECT statements run");
    }
    let columns: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let width = columns.len();
    let mut data = Vec::new();
    let mut rows = stmt.query([]).map_err(explain)?;
    while let Some(row) = rows.next().map_err(explain)? {
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(row.get::<_, rusqlite::types::Value>(i).map_err(explain)?);
        }
        data.push(values);
    }
    Ok(Rows {
        kinds: vec![None; width],
        columns,
        data,
    })
}

fn explain_error(
    err: rusqlite::Error,
    sql: &str,
    refused: Option<String>,
    timeout: Duration,
) -> anyhow::Error {
    use rusqlite::Error as E;
    use rusqlite::ffi::ErrorCode;
    if let Some(what) = refused {
        let what = if is_schema_table(&what) {
            let word = sql.split_whitespace().next().unwrap_or("it").to_uppercase();
            format!("{word} (it changes the schema)")
        } else {
            what
        };
        return anyhow!(
            "aiinfra sql is read-only: {what} is not allowed (SELECT, WITH … SELECT and schema PRAGMAs such as table_info are)"
        );
    }
    match &err {
        E::MultipleStatement => {
            anyhow!("aiinfra sql runs exactly one statement; remove everything after the first ';'")
        }
        E::SqliteFailure(e, _) if e.code == ErrorCode::OperationInterrupted => anyhow!(
            "the query was stopped after {} s (--timeout); narrow it, or allow more time with --timeout",
            timeout.as_secs_f64()
        ),
        E::SqliteFailure(e, msg) if e.code == ErrorCode::TooBig => anyhow!(
            "{}: a value or the SQL exceeds aiinfra sql's limits ({MAX_LENGTH} bytes per value, expression depth {MAX_EXPR_DEPTH})",
            msg.as_deref().unwrap_or("too big")
        ),
        E::SqliteFailure(e, _) if e.code == ErrorCode::OutOfMemory => {
            anyhow!(
                "the query needs more memory than aiinfra sql allows ({} MiB)",
                HEAP_LIMIT >> 20
            )
        }
        E::SqlInputError { msg, offset, .. } => {
            let at = usize::try_from(*offset).unwrap_or(0).min(sql.len());
            let line = sql[..at].matches('\n').count() + 1;
            let line_start = sql[..at].rfind('\n').map_or(0, |i| i + 1);
            let col = sql[line_start..at].chars().count() + 1;
            let text = sql[line_start..].lines().next().unwrap_or("");
            let caret = " ".repeat(unicode_width::UnicodeWidthStr::width(&sql[line_start..at]));
            anyhow!("{msg} (line {line}, column {col})\n  {text}\n  {caret}^")
        }
        E::InvalidQuery => anyhow!("no SQL statement given"),
        E::SqliteFailure(_, Some(msg)) => anyhow!("{msg}"),
        _ => anyhow!(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let (conn, _) = crate::db::open::build(&crate::db::seed::Seeds::Embedded).unwrap();
        conn
    }

    fn run_sql(sql: &str) -> Result<Rows> {
        run(&mut db(), sql, Duration::from_secs(2))
    }

    #[test]
    fn selects_run() {
        let rows = run_sql("SELECT count(*) AS n FROM sources").unwrap();
        assert_eq!(rows.columns, ["n"]);
        let rows = run_sql("PRAGMA table_info(chips)").unwrap();
        assert!(!rows.data.is_empty());
        let rows = run_sql("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c").unwrap();
        assert_eq!(rows.data.len(), 5);
    }

    #[test]
    fn writes_are_refused_with_what_was_refused() {
        for (sql, what) in [
            ("DELETE FROM chips", "DELETE from chips"),
            ("DROP TABLE chips", "DROP (it changes the schema)"),
            ("drop view if exists v", "only SELECT statements run"),
            ("INSERT INTO facts (id) VALUES ('x')", "INSERT into facts"),
            ("PRAGMA query_only = 0", "PRAGMA query_only = 0"),
            ("SELECT load_extension('x')", "load_extension()"),
            ("CREATE TEMP TABLE t (x)", "CREATE (it changes the schema)"),
        ] {
            let err = run_sql(sql).unwrap_err().to_string();
            assert!(err.contains(what), "{sql}: {err}");
            assert!(err.starts_with("aiinfra sql is read-only"), "{sql}: {err}");
        }
    }

    #[test]
    fn syntax_errors_point_at_the_position() {
        let err = run_sql("SELECT * FROM chips WHER x")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "near \"x\": syntax error (line 1, column 26)\n  SELECT * FROM chips WHER x\n                           ^"
        );
        let err = run_sql("SELECT 1,\n  名 FROM chips WHER x")
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(
                "(line 2, column 21)\n    名 FROM chips WHER x\n                       ^"
            ),
            "{err}"
        );
    }
}
