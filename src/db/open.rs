//! Opening the knowledge base: an in-memory database built from the embedded seeds or
//! from `--seed-dir`, or a file written by `aiinfra db build`, opened read-only.
//!
//! Every connection handed out is locked down (see `sandbox`), carries the `aiinfra_fold`
//! function text filters use, and is read through `exec::Db`; nothing here renders.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags};

use super::error::Error;
use super::exec::Db;
use super::migrate::{self, APPLICATION_ID};
use super::sandbox::{self, Refusal};
use super::seed::{self, Seeds};

/// Where the knowledge base comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// The seeds compiled into the binary (the default).
    Embedded,
    /// A directory of CSVs (`--seed-dir`).
    SeedDir(PathBuf),
    /// A database file written by `aiinfra db build` (`--db`).
    File(PathBuf),
}

impl DataSource {
    pub fn seeds(&self) -> Option<Seeds> {
        match self {
            DataSource::Embedded => Some(Seeds::Embedded),
            DataSource::SeedDir(dir) => Some(Seeds::Dir(dir.clone())),
            DataSource::File(_) => None,
        }
    }
}

/// The database built from migrations/ and seed/ at compile time (see build.rs).
pub static IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/aiinfra.db"));

/// Open the knowledge base, read-only and locked down; every statement run on it stops
/// `timeout` from now.
pub fn open(source: &DataSource, timeout: Duration) -> Result<Db> {
    let deadline = Instant::now() + timeout;
    let (mut conn, file): (Connection, Option<PathBuf>) = match source {
        DataSource::File(path) => (open_file(path)?, Some(path.clone())),
        DataSource::Embedded => {
            let mut conn = Connection::open_in_memory()?;
            // Read-only and zero-copy: SQLite reads the image where the binary holds it.
            conn.deserialize_bytes(rusqlite::MAIN_DB, IMAGE)?;
            (conn, None)
        }
        DataSource::SeedDir(dir) => (build(&Seeds::Dir(dir.clone()))?.0, None),
    };
    add_functions(&conn)?;
    let refusal = Refusal::default();
    sandbox::lock_down(&mut conn, deadline, &refusal)?;
    Ok(Db::new(conn, file, refusal, timeout))
}

/// The current version's schema, as `migrate::entries` lists it (made by build.rs).
fn current_entries() -> Vec<migrate::Entry> {
    super::embedded::SCHEMA
        .iter()
        .map(|(t, n, tb, sql)| {
            (
                t.to_string(),
                n.to_string(),
                tb.to_string(),
                sql.map(str::to_string),
            )
        })
        .collect()
}

/// Whether a file of the current version has exactly its schema: the version's own
/// entries, and with them either all of the search index `db build --datasette` adds
/// (`fts.rs`) or none of it. Anything else (another table, view or trigger, an index
/// made otherwise) is refused.
fn check_schema(found: &[migrate::Entry], path: &Path) -> Result<(), Error> {
    let mut expected = current_entries();
    if super::fts::in_schema(found) {
        expected.extend(super::fts::entries().map_err(sqlite_error(path))?);
    }
    match migrate::difference(found, &expected) {
        Some(what) => Err(Error::Schema {
            path: path.to_path_buf(),
            what,
        }),
        None => Ok(()),
    }
}

/// A writable in-memory copy of a database file of the current version, its schema
/// checked again (the file may have changed since it was opened), for the checks that
/// SQLite runs only as a write: FTS5's integrity check of the search index. The file
/// itself is never written. Every statement run on it stops `timeout` from now.
pub fn writable_copy(path: &Path, timeout: Duration) -> Result<Connection, Error> {
    let deadline = Instant::now() + timeout;
    let mut bytes = crate::input::read(path, MAX_UPGRADE_BYTES).map_err(|why| Error::Io {
        path: path.to_path_buf(),
        error: std::io::Error::other(why),
    })?;
    // A file in write-ahead-log mode (opened only with no log beside it) is copied as
    // one in rollback mode: a database in memory cannot keep a log.
    if bytes.len() >= 20 && bytes[18] == 2 && bytes[19] == 2 {
        bytes[18] = 1;
        bytes[19] = 1;
    }
    let mut conn = Connection::open_in_memory().map_err(sqlite_error(path))?;
    conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes.as_slice(), bytes.len(), false)
        .map_err(sqlite_error(path))?;
    let fail = |e: anyhow::Error| as_cause(e, path);
    let (app, version) = (
        migrate::application_id(&conn).map_err(fail)?,
        migrate::user_version(&conn).map_err(fail)?,
    );
    if app != APPLICATION_ID {
        return Err(Error::NotOurs {
            path: path.to_path_buf(),
            why: format!("application id {app:#x}"),
        });
    }
    if version != migrate::latest_version() {
        return Err(Error::Version {
            path: path.to_path_buf(),
            found: version,
            latest: migrate::latest_version(),
        });
    }
    check_schema(
        &migrate::entries(&conn, "main").map_err(sqlite_error(path))?,
        path,
    )?;
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(sqlite_error(path))?;
    conn.pragma_update(None, "hard_heap_limit", sandbox::HEAP_LIMIT)
        .map_err(sqlite_error(path))?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(sqlite_error(path))?;
    conn.progress_handler(10_000, Some(move || Instant::now() > deadline))
        .map_err(sqlite_error(path))?;
    Ok(conn)
}

/// The largest file of an older version read into memory to be upgraded; a file
/// aiinfra writes is under a megabyte.
const MAX_UPGRADE_BYTES: u64 = 64 * 1024 * 1024;

/// A database just built from seeds, locked down like any other for reading.
pub fn locked(mut conn: Connection, timeout: Duration) -> Result<Db> {
    add_functions(&conn)?;
    let refusal = Refusal::default();
    sandbox::lock_down(&mut conn, Instant::now() + timeout, &refusal)?;
    Ok(Db::new(conn, None, refusal, timeout))
}

/// `aiinfra_fold(text)`: text as the name resolver compares it (case, width and
/// separators folded), for text filters; `aiinfra_snippet(text, needle)`: about 50
/// characters around a hit, for `search`; `aiinfra_holds(word, text, …)`: whether any
/// of the texts holds the word as it is, and `aiinfra_holds_spaced(word, text, …)` its
/// characters in order, for `search`'s scan (`resolve::Needle`);
/// `aiinfra_mark(qualifier)`: the mark (≥ > < ~) a qualifier puts before its number,
/// the same as table output's; `aiinfra_human(x)`: a number for reading (`1.75T`,
/// `25,087`), as an English table writes it, and `aiinfra_human_zh(x)` as a Chinese
/// one does (`1.75万亿`).
fn add_functions(conn: &Connection) -> Result<()> {
    /// The text of an argument: numbers as written, NULL as none.
    fn text(ctx: &rusqlite::functions::Context<'_>, i: usize) -> Option<String> {
        use rusqlite::types::ValueRef;
        match ctx.get_raw(i) {
            ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Integer(n) => Some(n.to_string()),
            ValueRef::Real(x) => Some(crate::units::shortest(x)),
            ValueRef::Null => None,
        }
    }
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("aiinfra_fold", 1, flags, |ctx| {
        Ok(text(ctx, 0).map(|t| crate::resolve::fold(&t)))
    })?;
    conn.create_scalar_function("aiinfra_snippet", 2, flags, |ctx| {
        let needle = text(ctx, 1).unwrap_or_default();
        Ok(text(ctx, 0).and_then(|t| crate::resolve::snippet(&t, &needle, 50)))
    })?;
    for (name, spaced) in [("aiinfra_holds", false), ("aiinfra_holds_spaced", true)] {
        // Any number of texts after the word: one call tests a row's fields.
        conn.create_scalar_function(name, -1, flags, move |ctx| {
            use crate::resolve::Needle;
            use rusqlite::types::ValueRef;
            if ctx.is_empty() {
                return Ok(None);
            }
            // The word is the same in every call of a search: its searcher is made
            // once and kept with the statement (SQLite's auxiliary data); none for a
            // NULL word.
            let needle = ctx.get_or_create_aux(0, |word| -> rusqlite::Result<Option<Needle>> {
                Ok(match word {
                    ValueRef::Null => None,
                    ValueRef::Text(word) => Some(Needle::new(word, spaced)),
                    _ => Some(Needle::new(
                        text(ctx, 0).unwrap_or_default().as_bytes(),
                        spaced,
                    )),
                })
            })?;
            let Some(needle) = needle.as_ref() else {
                return Ok(None);
            };
            Ok(Some((1..ctx.len()).any(|i| match ctx.get_raw(i) {
                ValueRef::Null => false,
                ValueRef::Text(t) => needle.in_text(t),
                _ => needle.in_text(text(ctx, i).unwrap_or_default().as_bytes()),
            })))
        })?;
    }
    conn.create_scalar_function("aiinfra_mark", 1, flags, |ctx| {
        Ok(text(ctx, 0).map_or("", |q| super::contract::qualifier_mark(&q)))
    })?;
    for (name, style) in [
        ("aiinfra_human", crate::units::Style::Si),
        ("aiinfra_human_zh", crate::units::Style::Chinese),
    ] {
        conn.create_scalar_function(name, 1, flags, move |ctx| {
            use rusqlite::types::ValueRef;
            Ok(match ctx.get_raw(0) {
                ValueRef::Integer(n) => Some(crate::units::human(n as f64, style)),
                ValueRef::Real(x) => Some(crate::units::human(x, style)),
                _ => text(ctx, 0),
            })
        })?;
    }
    Ok(())
}

/// Build a writable in-memory database from seeds; return it with the validated tables.
pub fn build(seeds: &Seeds) -> Result<(Connection, seed::Loaded)> {
    let mut conn = Connection::open_in_memory()?;
    migrate::create(&mut conn)?;
    let loaded = seed::load(&mut conn, seeds)?;
    Ok((conn, loaded))
}

/// The `aiinfra_meta` rows of a database just built (not yet locked down).
pub fn meta_rows(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT key, value FROM aiinfra_meta ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where a database came from, as `aiinfra_meta` records it, in its order.
pub fn meta(db: &Db) -> Result<Vec<(String, String)>> {
    let rows = db.fetch(&crate::query::Query::new(
        "SELECT key, value FROM aiinfra_meta ORDER BY rowid",
        Vec::new(),
    ))?;
    Ok(rows
        .data
        .into_iter()
        .filter_map(|r| match (&r[0], &r[1]) {
            (rusqlite::types::Value::Text(k), rusqlite::types::Value::Text(v)) => {
                Some((k.clone(), v.clone()))
            }
            _ => None,
        })
        .collect())
}

/// A SQLite error met while opening a file, as a cause.
fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::from_sqlite(&e, Some(path))
}

/// Open a database file read-only, checked before anything of it runs: an aiinfra
/// database of this schema version, entry for entry (a table, view or trigger more or
/// different, such as a crafted view that never ends, is refused), or of a kept older
/// version, copied into memory as the current one. No side file is made beside it.
fn open_file(path: &Path) -> Result<Connection, Error> {
    let owned = || path.to_path_buf();
    let meta = std::fs::metadata(path).map_err(|error| Error::Io {
        path: owned(),
        error,
    })?;
    // A FIFO would block and a device never end: a database is a regular file.
    if !meta.is_file() {
        return Err(Error::NotAFile {
            path: owned(),
            what: crate::input::kind_name(&meta.file_type()),
        });
    }
    if meta.len() == 0 {
        return Err(Error::NotOurs {
            path: owned(),
            why: "the file is empty".into(),
        });
    }
    let side = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    // A journal beside the file is another program writing it (the file is locked),
    // or one that stopped mid-write (a hot journal, which only a writer can roll back);
    // SQLite tells which when the file is first read.
    let journal = side("-journal");
    let journal_there = std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0);
    let header = read_header(path).map_err(|error| Error::Io {
        path: owned(),
        error,
    })?;
    // A file in write-ahead-log mode (header bytes 18 and 19 are 2) would get -wal and
    // -shm files made beside it; with no log there, it is read as it stands
    // (immutable); a log there holds transactions only a writer may fold in.
    let wal_mode = header.len() >= 20 && header[18] == 2 && header[19] == 2;
    let wal = side("-wal");
    if wal_mode && std::fs::symlink_metadata(&wal).is_ok() {
        return Err(Error::Wal { path: owned(), wal });
    }
    // No SQLITE_OPEN_CREATE: a missing file is an error, not a new empty database.
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if wal_mode {
        Connection::open_with_flags(
            format!("file:{}?immutable=1", uri_path(path)),
            flags | OpenFlags::SQLITE_OPEN_URI,
        )
    } else {
        // Without SQLITE_OPEN_URI, a name like `file:x?mode=rwc` is a plain file name.
        Connection::open_with_flags(path, flags)
    }
    .map_err(sqlite_error(path))?;
    // Another program writing the file holds a lock: wait a moment for it, then say so
    // (not at the deadline, as a query that ran too long).
    conn.busy_timeout(std::time::Duration::from_millis(500))
        .map_err(sqlite_error(path))?;
    let first_read = |e: anyhow::Error| match as_cause(e, path) {
        Error::Locked { path } => Error::Locked { path },
        _ if journal_there => Error::Journal {
            path: owned(),
            journal: journal.clone(),
        },
        other => other,
    };
    let app = migrate::application_id(&conn).map_err(first_read)?;
    let version = migrate::user_version(&conn).map_err(first_read)?;
    if app != APPLICATION_ID {
        return Err(Error::NotOurs {
            path: owned(),
            why: format!("application id {app:#x}"),
        });
    }
    let found = migrate::entries(&conn, "main").map_err(sqlite_error(path))?;
    let latest = migrate::latest_version();
    if version == latest {
        check_schema(&found, path)?;
        return Ok(conn);
    }
    let Some(kept) = migrate::kept_entries(version) else {
        return Err(Error::Version {
            path: owned(),
            found: version,
            latest,
        });
    };
    if let Some(what) = migrate::difference(&found, &kept) {
        return Err(Error::Schema {
            path: owned(),
            what,
        });
    }
    drop(conn);
    upgraded(path, meta.len(), version)
}

/// A file of a kept older version, copied into a new in-memory database of the
/// current version (its schema already checked).
fn upgraded(path: &Path, size: u64, version: i32) -> Result<Connection, Error> {
    if size > MAX_UPGRADE_BYTES {
        return Err(Error::Version {
            path: path.to_path_buf(),
            found: version,
            latest: migrate::latest_version(),
        });
    }
    let bytes = crate::input::read(path, MAX_UPGRADE_BYTES).map_err(|why| Error::Io {
        path: path.to_path_buf(),
        error: std::io::Error::other(why),
    })?;
    let fail = |e: anyhow::Error| as_cause(e, path);
    let mut conn = Connection::open_in_memory().map_err(sqlite_error(path))?;
    migrate::create(&mut conn).map_err(fail)?;
    conn.execute_batch("ATTACH ':memory:' AS old")
        .map_err(sqlite_error(path))?;
    conn.deserialize_read_exact("old", bytes.as_slice(), bytes.len(), true)
        .map_err(sqlite_error(path))?;
    migrate::upgrade(&mut conn, path).map_err(fail)?;
    conn.execute_batch("DETACH old")
        .map_err(sqlite_error(path))?;
    Ok(conn)
}

/// An error of the migration steps as a cause (a typed one passes through).
fn as_cause(e: anyhow::Error, path: &Path) -> Error {
    match e.downcast::<Error>() {
        Ok(cause) => cause,
        Err(e) => match e.downcast_ref::<rusqlite::Error>() {
            Some(sqlite) => Error::from_sqlite(sqlite, Some(path)),
            None => Error::Other(e.to_string()),
        },
    }
}

/// The first 100 bytes of a file (an SQLite header's size).
fn read_header(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(100);
    std::fs::File::open(path)?
        .take(100)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// A path as the path of a `file:` URI: every byte but letters, digits, `/`, `-`,
/// `.`, `_` and `~` percent-encoded (so `?`, `#` and `%` in a name stay a name).
fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        absolute.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = absolute.to_string_lossy().replace('\\', "/").into_bytes();
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        for table in super::super::contract::TABLES {
            let sql = format!("SELECT * FROM {} ORDER BY id", table.name);
            let mut stmt = conn.prepare(&sql).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap();
            for row in rows {
                out.push(format!("{}: {}", table.name, row.unwrap().join(" | ")));
            }
        }
        out
    }

    /// The image compiled in holds exactly what the seeds load to now.
    #[test]
    fn embedded_image_equals_a_fresh_load_of_the_seeds() {
        let db = open(&DataSource::Embedded, Duration::from_secs(5)).unwrap();
        let embedded = db.connection();
        let (fresh, _) = build(&Seeds::Embedded).unwrap();
        assert_eq!(dump(embedded), dump(&fresh));
        assert_eq!(
            migrate::user_version(embedded).unwrap(),
            migrate::latest_version()
        );
        assert_eq!(migrate::application_id(embedded).unwrap(), APPLICATION_ID);
    }
}
