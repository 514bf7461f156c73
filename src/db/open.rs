//! Opening the knowledge base: an in-memory database built from the embedded seeds or
//! from `--seed-dir`, or a file written by `aiinfra db build`, opened read-only.
//!
//! Every connection handed out is locked down (see `sandbox`), carries the `aiinfra_fold`
//! function text filters use, and is read through `exec::Db`; nothing here renders.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags};

use super::exec::Db;
use super::migrate::{self, APPLICATION_ID};
use super::sandbox::{self, Refusal};
use super::seed::{self, Seeds};

/// Where the knowledge base comes from.
#[derive(Debug, Clone)]
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
    let db = Db::new(conn, file, refusal, timeout);
    if let DataSource::File(path) = source {
        verify_schema(&db, path)?;
    }
    Ok(db)
}

/// A file's schema must be exactly this version's, entry for entry: a table, view or
/// trigger more or different (a crafted view that never ends, a trigger) is refused
/// before anything of it runs.
fn verify_schema(db: &Db, path: &Path) -> Result<()> {
    let rows = db.fetch(&crate::query::Query::new(
        super::embedded::SCHEMA_QUERY,
        Vec::new(),
    ))?;
    fn text(v: &rusqlite::types::Value) -> Option<&str> {
        match v {
            rusqlite::types::Value::Text(s) => Some(s.as_str()),
            _ => None,
        }
    }
    // type, name, table, sql
    let found: Vec<[Option<&str>; 4]> = rows
        .data
        .iter()
        .map(|r| [text(&r[0]), text(&r[1]), text(&r[2]), text(&r[3])])
        .collect();
    let expected = super::embedded::SCHEMA;
    let shown = path.display();
    for [kind, name, _, sql] in &found {
        let want = expected
            .iter()
            .find(|e| Some(e.0) == *kind && Some(e.1) == *name);
        let differs = match want {
            None => Some("that aiinfra's schema does not have"),
            Some(e) if e.3 != *sql => Some("that differs from aiinfra's"),
            Some(_) => None,
        };
        if let Some(how) = differs {
            bail!(
                "{shown} has a {} {} {how} (schema version {}); it is not a file aiinfra wrote, or it was changed: rebuild it with `aiinfra db build`",
                kind.unwrap_or("?"),
                crate::text::show(name.unwrap_or("?")),
                migrate::latest_version()
            );
        }
    }
    if let Some(missing) = expected
        .iter()
        .find(|e| !found.iter().any(|f| f[0] == Some(e.0) && f[1] == Some(e.1)))
    {
        bail!(
            "{shown} lacks the {} {} of aiinfra's schema; rebuild it with `aiinfra db build`",
            missing.0,
            missing.1
        );
    }
    Ok(())
}

/// A database just built from seeds, locked down like any other for reading.
pub fn locked(mut conn: Connection, timeout: Duration) -> Result<Db> {
    add_functions(&conn)?;
    let refusal = Refusal::default();
    sandbox::lock_down(&mut conn, Instant::now() + timeout, &refusal)?;
    Ok(Db::new(conn, None, refusal, timeout))
}

/// `aiinfra_fold(text)`: text as the name resolver compares it (case, width and
/// separators folded), for text filters; `aiinfra_snippet(text, needle)`: about 50
/// characters around a hit, for `search`; `aiinfra_mark(qualifier)`: the mark (≥ > < ~)
/// a qualifier puts before its number, the same as table output's.
fn add_functions(conn: &Connection) -> Result<()> {
    /// The text of an argument: numbers as written, NULL as none.
    fn text(ctx: &rusqlite::functions::Context<'_>, i: usize) -> Option<String> {
        use rusqlite::types::ValueRef;
        match ctx.get_raw(i) {
            ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Integer(n) => Some(n.to_string()),
            ValueRef::Real(x) => Some(x.to_string()),
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
    conn.create_scalar_function("aiinfra_mark", 1, flags, |ctx| {
        Ok(text(ctx, 0).map_or("", |q| super::contract::qualifier_mark(&q)))
    })?;
    Ok(())
}

/// Build a writable in-memory database from seeds; return it with the validated tables.
pub fn build(seeds: &Seeds) -> Result<(Connection, seed::Loaded)> {
    let mut conn = Connection::open_in_memory()?;
    migrate::migrate(&mut conn)?;
    let loaded = seed::load(&mut conn, seeds)?;
    Ok((conn, loaded))
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

/// Explain a SQLite error met while reading a database file's header.
fn damaged(path: &Path, err: &rusqlite::Error) -> anyhow::Error {
    let shown = path.display();
    let rebuild = format!("write a new one with `aiinfra db build {shown}`");
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            anyhow::anyhow!("{shown} is not an SQLite database; {rebuild}")
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            anyhow::anyhow!("{shown} is damaged (truncated or overwritten); {rebuild}")
        }
        _ => anyhow::anyhow!("cannot read {shown}: {}", sqlite_message(err)),
    }
}

/// SQLite's own message for an error, without rusqlite's code suffix.
fn sqlite_message(err: &rusqlite::Error) -> String {
    match err {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        other => other.to_string(),
    }
}

/// Open a database file read-only, refusing anything that is not an aiinfra database
/// of the schema version this build knows.
fn open_file(path: &Path) -> Result<Connection> {
    let shown = path.display();
    let meta = std::fs::metadata(path).with_context(|| format!("cannot open database {shown}"))?;
    if meta.is_dir() {
        bail!("{shown} is a directory, not a database file");
    }
    // A FIFO would block and a device never end: a database is a regular file.
    if !meta.is_file() {
        bail!(
            "{shown} is {}, not a database file: --db takes a file written by `aiinfra db build`",
            crate::input::kind_name(&meta.file_type())
        );
    }
    // A journal left by an interrupted write would have to be rolled back, which a
    // read-only open cannot do; say so rather than SQLite's "readonly database".
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    if std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0) {
        bail!(
            "{shown} has a journal left by an interrupted write ({}); aiinfra opens databases read-only and cannot roll it back: open the file once with sqlite3, or rebuild it with `aiinfra db build {shown}`",
            std::path::Path::new(&journal).display()
        );
    }
    // No SQLITE_OPEN_CREATE (a missing file is an error, not a new empty database) and
    // no SQLITE_OPEN_URI (a name like `file:x?mode=rwc` is a plain file name).
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .with_context(|| format!("cannot open database {shown}"))?;
    let not_ours = |why: String| {
        anyhow::anyhow!(
            "{shown} is not an aiinfra database ({why}); write one with `aiinfra db build {shown}`"
        )
    };
    let header =
        migrate::application_id(&conn).and_then(|app| Ok((app, migrate::user_version(&conn)?)));
    let (app, version) = match header {
        Ok(pair) => pair,
        Err(e) => match e.downcast_ref::<rusqlite::Error>() {
            Some(sqlite) => return Err(damaged(path, sqlite)),
            None => return Err(e),
        },
    };
    if meta.len() == 0 {
        return Err(not_ours("the file is empty".into()));
    }
    if app != APPLICATION_ID {
        return Err(not_ours(format!("application id {app:#x}")));
    }
    let latest = migrate::latest_version();
    if version > latest {
        bail!(
            "{shown} has schema version {version}, newer than the version {latest} this aiinfra reads; upgrade aiinfra, or rebuild the file with `aiinfra db build {shown}`"
        );
    }
    if version < latest {
        bail!(
            "{shown} has schema version {version}, older than the version {latest} this aiinfra reads; rebuild it with `aiinfra db build {shown}`"
        );
    }
    Ok(conn)
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
