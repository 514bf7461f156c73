//! Entry points shared by the cargo-fuzz targets (fuzz/) and the corpus replay test
//! (tests/fuzz_replay.rs), so that whatever the fuzzer finds is replayed in `cargo
//! test` on stable. Each function asserts an invariant; a panic here is a finding.

// These functions exist to panic when an invariant breaks; they run only under the
// fuzzer and the replay test, never in the aiinfra binary.
#![allow(clippy::expect_used)]

use std::sync::OnceLock;
use std::time::Duration;

use rusqlite::Connection;

use crate::db::{contract::TABLES, open, seed};
use crate::query::Query;

/// The CSV loader never panics, whatever the bytes, for every table.
pub fn loader(data: &[u8]) {
    for table in TABLES {
        let _ = seed::parse_table(table, "fuzz.csv", data);
    }
}

/// The serialized knowledge base, built once.
fn image() -> &'static [u8] {
    static IMAGE: OnceLock<Vec<u8>> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let (mut conn, _) = open::build(&seed::Seeds::Embedded).expect("embedded seeds load");
        let data = conn.serialize(rusqlite::MAIN_DB).expect("serialize");
        data.to_vec()
    })
}

/// Untrusted SQL through the `sql` sandbox on a *writable* copy of the knowledge base
/// (so the sandbox alone stands between the SQL and the data): it ends in time and
/// returns a bounded result; afterwards the bytes are unchanged, no other database is
/// attached, and `query_only` is still on.
pub fn sql_guard(sql: &str) {
    let before = image();
    let mut conn = Connection::open_in_memory().expect("in-memory database");
    conn.deserialize_read_exact(rusqlite::MAIN_DB, before, before.len(), false)
        .expect("deserialize");
    let refusal = crate::db::sandbox::Refusal::default();
    crate::db::sandbox::lock_down(
        &mut conn,
        std::time::Instant::now() + Duration::from_millis(200),
        &refusal,
    )
    .expect("lock down");
    let db = crate::db::Db::for_fuzzing(conn, refusal);
    let start = std::time::Instant::now();
    let result = db.fetch(&Query::new(sql, Vec::new()));
    // Time: the progress handler stops a statement at its deadline; only a single
    // slow function call runs past it, and the binary's watchdog ends those a grace
    // period later, so past that is a finding.
    let limit = Duration::from_millis(200) + crate::guard::GRACE;
    assert!(start.elapsed() < limit, "{sql:?} ran {:?}", start.elapsed());
    // Memory: what a query may hand back is bounded (SQLite's own heap has its limit).
    if let Ok(rows) = &result {
        let bytes: usize = rows
            .data
            .iter()
            .flatten()
            .map(|v| match v {
                rusqlite::types::Value::Text(s) => s.len(),
                rusqlite::types::Value::Blob(b) => b.len(),
                _ => 8,
            })
            .sum();
        assert!(
            bytes <= crate::db::exec::MAX_RESULT_BYTES,
            "{sql:?} returned {bytes} bytes"
        );
    }
    let mut conn = db.into_connection();
    conn.authorizer(None::<fn(rusqlite::hooks::AuthContext<'_>) -> rusqlite::hooks::Authorization>)
        .expect("remove authorizer");
    conn.progress_handler(0, None::<fn() -> bool>)
        .expect("remove progress handler");
    let query_only: i64 = conn
        .pragma_query_value(None, "query_only", |r| r.get(0))
        .expect("read query_only");
    assert_eq!(query_only, 1, "query_only was switched off by {sql:?}");
    let attached: i64 = conn
        .query_row("SELECT count(*) FROM pragma_database_list", [], |r| {
            r.get(0)
        })
        .expect("database list");
    assert_eq!(attached, 1, "{sql:?} attached a database");
    let after = conn.serialize(rusqlite::MAIN_DB).expect("serialize");
    assert!(&*after == before, "{sql:?} changed the database");
}
