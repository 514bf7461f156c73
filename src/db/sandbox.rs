//! The sandbox: a connection that can read the knowledge base and nothing else. Every
//! connection is locked down this way, for `sql` and for every other command.
//!
//! A read-only flag alone is not enough (`PRAGMA query_only=0` acts while the statement
//! is prepared; `VACUUM INTO` writes a new file even from a read-only connection), so
//! the layers are: an authorizer that allows only reads, selects, functions other than
//! load_extension, recursive CTEs and a few read-only PRAGMAs; DEFENSIVE mode; no
//! ATTACH; size limits; exactly one read-only statement; and a time limit.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::config::DbConfig;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::limits::Limit;

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
    // FTS5 reads it while PRAGMA integrity_check checks a search index (fts.rs).
    "data_version",
];

/// The largest string or blob a query may build: the largest value in the knowledge
/// base is a few KB (randomblob(2e9) and a ten-megabyte printf are refused).
pub const MAX_LENGTH: i32 = super::contract::MAX_VALUE_BYTES as i32;
/// How deep an expression may nest.
pub const MAX_EXPR_DEPTH: i32 = 200;
/// The longest SQL text accepted.
pub const MAX_SQL_LENGTH: i32 = 100_000;
/// SQLite's heap may not grow past this while the query runs.
pub const HEAP_LIMIT: i64 = 512 * 1024 * 1024;

/// Why the authorizer said no, for the error message.
pub type Refusal = Arc<Mutex<Option<String>>>;

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

/// Lock a connection down: every connection aiinfra reads through is treated as if
/// it ran untrusted SQL, so `sql` and every other command share one guard. The
/// progress handler stops any statement after `deadline`.
pub fn lock_down(conn: &mut Connection, deadline: Instant, refusal: &Refusal) -> Result<()> {
    // Sorts and temporary tables stay in memory, under the heap limit: no query fills
    // the disk's temporary folder.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "query_only", true)?;
    conn.pragma_update(None, "hard_heap_limit", HEAP_LIMIT)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_LENGTH)?;
    conn.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_LENGTH)?;
    conn.set_limit(Limit::SQLITE_LIMIT_EXPR_DEPTH, MAX_EXPR_DEPTH)?;
    conn.progress_handler(10_000, Some(move || Instant::now() > deadline))?;
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

/// What the authorizer refused, in words (`DELETE on chips`, `CREATE (it changes the
/// schema)`).
pub fn refused_what(sql: &str, what: &str) -> String {
    if is_schema_table(what) {
        let word = sql.split_whitespace().next().unwrap_or("it").to_uppercase();
        format!("{word} (it changes the schema)")
    } else {
        what.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(sql: &str) -> Option<String> {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE chips (id TEXT); CREATE TABLE facts (id TEXT)")
            .unwrap();
        let refusal: Refusal = Arc::default();
        lock_down(
            &mut conn,
            Instant::now() + std::time::Duration::from_secs(5),
            &refusal,
        )
        .unwrap();
        let _ = conn.prepare(sql);
        let what = refusal.lock().unwrap().take();
        what.map(|w| refused_what(sql, &w))
    }

    #[test]
    fn writes_are_refused_with_what_was_refused() {
        for (sql, what) in [
            ("DELETE FROM chips", "DELETE from chips"),
            ("DROP TABLE chips", "DROP (it changes the schema)"),
            ("INSERT INTO facts (id) VALUES ('x')", "INSERT into facts"),
            ("PRAGMA query_only = 0", "PRAGMA query_only = 0"),
            ("SELECT load_extension('x')", "load_extension()"),
            ("CREATE TEMP TABLE t (x)", "CREATE (it changes the schema)"),
        ] {
            let err = refused(sql).unwrap_or_else(|| panic!("{sql} was allowed"));
            assert_eq!(err, what, "{sql}");
        }
        assert_eq!(refused("SELECT id FROM chips"), None);
        assert_eq!(refused("PRAGMA table_info(chips)"), None);
    }
}
