//! The schema version, the application id, making a new database's schema (generated
//! from the contract by `schema.rs`), and reading a file of an older version: each
//! version kept in `migrations/` has its schema there, as schemas are compared
//! (`normalized`: comments and spacing dropped, a statement a line; `kept_file` writes
//! that form), so that such a file is recognised, checked, and copied into an in-memory
//! database of the current version (the file itself is never written).
//!
//! It owns the schema version and the file's application id; it never loads seeds.

use anyhow::Result;
use rusqlite::Connection;

use super::contract::TABLES;
use super::error::Error;
use super::schema;

/// `PRAGMA application_id` of every file aiinfra writes: "AINF" in ASCII.
pub const APPLICATION_ID: i32 = 0x4149_4e46;

/// Whether an existing file is a database aiinfra wrote (an SQLite header with its
/// application id), from its first bytes; if not, what it is.
pub fn recognise(_path: &std::path::Path, head: &[u8]) -> Result<(), &'static str> {
    let sqlite = head.starts_with(b"SQLite format 3\0");
    let ours = sqlite
        && head.len() >= 72
        && i32::from_be_bytes([head[68], head[69], head[70], head[71]]) == APPLICATION_ID;
    match (ours, sqlite) {
        (true, _) => Ok(()),
        (false, true) => Err("another program's SQLite database"),
        (false, false) => Err("not an aiinfra database"),
    }
}

/// The schemas of older versions whose files this build still reads, in the form
/// `kept_file` gives them (kept: compacted, never regenerated from the contract).
pub const KEPT: &[(i32, &str)] = &[
    (4, include_str!("../../migrations/0004_schema.sql")),
    (5, include_str!("../../migrations/0005_schema.sql")),
];

/// The schema version this build of aiinfra reads and writes.
pub fn latest_version() -> i32 {
    schema::VERSION
}

/// Make the current schema in an empty database and stamp its version and id.
pub fn create(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(&schema::sqlite())?;
    tx.pragma_update(None, "user_version", schema::VERSION)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

/// How a database's schema is listed, to compare a file with a version's.
pub const SCHEMA_QUERY: &str =
    "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name";

/// One entry of a schema: type, name, table, SQL.
pub type Entry = (String, String, String, Option<String>);

/// The entries of the schema `conn` (or its attached `schema_name`) has.
pub fn entries(conn: &Connection, schema_name: &str) -> rusqlite::Result<Vec<Entry>> {
    let sql = SCHEMA_QUERY.replace("sqlite_schema", &format!("{schema_name}.sqlite_schema"));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// The schema entries a kept version's files have.
pub fn kept_entries(version: i32) -> Option<Vec<Entry>> {
    let (_, sql) = KEPT.iter().find(|(v, _)| *v == version)?;
    let conn = Connection::open_in_memory().ok()?;
    conn.execute_batch(sql).ok()?;
    entries(&conn, "main").ok()
}

/// `migrations/NNNN_schema.sql` of a kept older `version` whose schema `sql` makes: a
/// header, then each statement as schemas are compared, one a line, in the order the
/// schema holds them. What it keeps is exactly what a file of that version is checked
/// against, so that `diff` between versions shows a changed table as one line.
pub fn kept_file(version: i32, sql: &str) -> rusqlite::Result<String> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(sql)?;
    let mut stmt =
        conn.prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid")?;
    let statements = stmt.query_map([], |r| r.get::<_, Option<String>>(0))?;
    let mut out = format!(
        "-- aiinfra schema version {version}, kept so that files of that version are still\n\
         -- read: such a file is recognised by it and read through an in-memory upgrade to\n\
         -- the current version (see src/db/migrate.rs). It holds each statement as schemas\n\
         -- are compared (comments and spacing dropped), one a line. Apply it with sqlite3\n\
         -- to make an empty version-{version} database; then PRAGMA user_version = {version}.\n\n"
    );
    for statement in statements {
        if let Some(line) = normalized(&statement?) {
            out.push_str(&line);
            out.push_str(";\n");
        }
    }
    Ok(out)
}

/// SQL as compared between schemas: comments (outside quotes) removed and white space
/// squeezed, so that a meaning reworded in the contract does not make files built
/// before it unreadable, while any change to what the SQL does still shows.
fn normalized(sql: &Option<String>) -> Option<String> {
    let sql = sql.as_deref()?;
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '-' && chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                out.push(' ');
            }
            None if c.is_whitespace() => out.push(' '),
            None => out.push(c),
        }
    }
    Some(
        out.split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// "a table", "an index".
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// What differs between a file's schema and the one expected, in words ("a view
/// 'x' that aiinfra's schema does not have"), or `None` if they are the same.
pub fn difference(found: &[Entry], expected: &[Entry]) -> Option<String> {
    for (kind, name, _, sql) in found {
        match expected.iter().find(|e| &e.0 == kind && &e.1 == name) {
            None => {
                return Some(format!(
                    "{} {kind} {} that aiinfra's schema does not have",
                    article(kind),
                    crate::text::show(name)
                ));
            }
            Some(e) if normalized(&e.3) != normalized(sql) => {
                return Some(format!(
                    "{} {kind} {} that differs from aiinfra's",
                    article(kind),
                    crate::text::show(name)
                ));
            }
            Some(_) => {}
        }
    }
    expected
        .iter()
        .find(|e| !found.iter().any(|f| f.0 == e.0 && f.1 == e.1))
        .map(|e| format!("no {} {}, which aiinfra's schema has", e.0, e.1))
}

/// Copy the file attached as `old` (of a kept version, its schema already checked)
/// into `conn`, a new database of the current version: every contract table's
/// columns that both have, by name, and the meta rows. Values are checked again by
/// the current schema on the way in.
pub fn upgrade(conn: &mut Connection, path: &std::path::Path) -> Result<()> {
    let tx = conn.transaction()?;
    for table in TABLES {
        let old: Vec<String> = {
            let mut stmt = tx.prepare("SELECT name FROM pragma_table_info(?1, 'old')")?;
            let names = stmt.query_map([table.name], |r| r.get::<_, String>(0))?;
            names.collect::<rusqlite::Result<_>>()?
        };
        let common: Vec<&str> = table
            .column_names()
            .filter(|c| old.iter().any(|o| o == c))
            .collect();
        if common.is_empty() {
            continue;
        }
        // Names come from the contract, never from the file.
        let list = common.join(", ");
        tx.execute_batch(&format!(
            "INSERT INTO main.{t} ({list}) SELECT {list} FROM old.{t} ORDER BY rowid",
            t = table.name
        ))
        .map_err(|e| Error::Damaged {
            path: path.to_path_buf(),
            detail: format!("its {} rows do not fit the current schema: {e}", table.name),
        })?;
    }
    tx.execute_batch("INSERT INTO main.aiinfra_meta SELECT key, value FROM old.aiinfra_meta")?;
    // The report tables an older file lacks, derived from its rows.
    super::derived::fill(&tx)?;
    tx.commit()?;
    Ok(())
}

pub fn user_version(conn: &Connection) -> Result<i32> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

pub fn application_id(conn: &Connection) -> Result<i32> {
    Ok(conn.pragma_query_value(None, "application_id", |row| row.get(0))?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_file_in_migrations_is_the_current_schema_or_a_kept_one() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        let mut want: Vec<String> = KEPT
            .iter()
            .map(|(v, _)| format!("{v:04}_schema.sql"))
            .collect();
        want.push(format!("{:04}_schema.sql", schema::VERSION));
        assert_eq!(files, want);
    }

    /// Each kept file is in the form `kept_file` gives it, and that form makes the
    /// same schema; `AIINFRA_REGENERATE=1 cargo test --lib schema` compacts a file newly
    /// kept (the current version's generated file, once `schema::VERSION` is raised).
    #[test]
    fn kept_schema_files_are_compacted() {
        for (version, sql) in KEPT {
            let want = kept_file(*version, sql).unwrap();
            let conn = Connection::open_in_memory().unwrap();
            conn.execute_batch(&want).unwrap();
            let compacted = entries(&conn, "main").unwrap();
            assert_eq!(
                difference(&compacted, &kept_entries(*version).unwrap()),
                None
            );
            schema::tests::generated(*version, &want);
        }
    }

    #[test]
    fn create_records_version_and_application_id() {
        let mut conn = Connection::open_in_memory().unwrap();
        create(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), latest_version());
        assert_eq!(application_id(&conn).unwrap(), APPLICATION_ID);
    }

    #[test]
    fn kept_schemas_parse_and_differ_from_the_current_one() {
        let mut conn = Connection::open_in_memory().unwrap();
        create(&mut conn).unwrap();
        let current = entries(&conn, "main").unwrap();
        for (version, _) in KEPT {
            let kept = kept_entries(*version).unwrap();
            assert!(!kept.is_empty());
            assert!(difference(&kept, &current).is_some(), "version {version}");
        }
        assert_eq!(difference(&current, &current), None);
    }

    #[test]
    fn comments_and_spacing_do_not_make_a_schema_differ_but_sql_does() {
        let entry = |sql: &str| vec![("table".into(), "t".into(), "t".into(), Some(sql.into()))];
        let ours = entry("CREATE TABLE t (\n    a TEXT, -- what a is\n    b TEXT -- b\n)");
        let reworded = entry("CREATE TABLE t (\n    a  TEXT, -- what a means\n    b TEXT\n)");
        assert_eq!(difference(&reworded, &ours), None);
        let crafted = entry("CREATE TABLE t (a TEXT, b TEXT CHECK (b != '--'))");
        assert!(difference(&crafted, &ours).is_some());
    }

    /// Every enumeration, form and bound of the contract is a CHECK in the schema: its
    /// values are accepted and another is refused.
    #[test]
    fn schema_checks_match_contract_enums() {
        use crate::db::contract::Kind;
        let mut conn = Connection::open_in_memory().unwrap();
        create(&mut conn).unwrap();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        for table in TABLES {
            for col in table.columns {
                let Kind::Enum(values) = col.kind else {
                    continue;
                };
                let others: Vec<String> = table
                    .columns
                    .iter()
                    .filter(|c| c.required && c.name != col.name)
                    .map(|c| c.name.to_string())
                    .collect();
                let names = others
                    .iter()
                    .map(|s| s.as_str())
                    .chain([col.name])
                    .collect::<Vec<_>>()
                    .join(", ");
                let filler = |c: &str| match table.column(c).unwrap().kind {
                    Kind::Year => "2000".to_string(),
                    Kind::Integer | Kind::Bool => "1".to_string(),
                    Kind::Real => "1.0".to_string(),
                    Kind::Month => "'2020-01'".to_string(),
                    Kind::Enum(v) => format!("'{}'", v[0]),
                    _ => "'x'".to_string(),
                };
                for (i, value) in values.iter().chain(["bogus"].iter()).enumerate() {
                    let mut vals: Vec<String> = others.iter().map(|c| filler(c)).collect();
                    vals[0] = format!("'{}-{i}'", col.name.replace('_', "-"));
                    vals.push(format!("'{value}'"));
                    let sql = format!(
                        "INSERT INTO {} ({names}) VALUES ({})",
                        table.name,
                        vals.join(", ")
                    );
                    let result = conn.execute(&sql, []);
                    if *value == "bogus" {
                        assert!(result.is_err(), "{sql} should fail");
                    } else {
                        result.unwrap_or_else(|e| panic!("{sql}: {e}"));
                    }
                }
            }
        }
    }
}
