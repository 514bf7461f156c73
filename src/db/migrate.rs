//! Schema migrations: numbered SQL files from `migrations/`, compiled in and applied in
//! order; the number of the last one applied is kept in `PRAGMA user_version`.
//!
//! It owns the schema version and the file's application id; it never loads data.

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

use super::contract::TABLES;

/// `PRAGMA application_id` of every file aiinfra writes: "AINF" in ASCII.
pub const APPLICATION_ID: i32 = 0x4149_4e46;

/// The migrations, in order; the schema version is the number of the last one.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_schema.sql",
        include_str!("../../migrations/0001_schema.sql"),
    ),
    (
        "0002_citations.sql",
        include_str!("../../migrations/0002_citations.sql"),
    ),
    (
        "0003_meta.sql",
        include_str!("../../migrations/0003_meta.sql"),
    ),
    (
        "0004_qualifiers.sql",
        include_str!("../../migrations/0004_qualifiers.sql"),
    ),
];

/// The schema version this build of aiinfra reads and writes.
pub fn latest_version() -> i32 {
    // MIGRATIONS is a short constant list, so its length always fits an i32.
    MIGRATIONS.len() as i32
}

/// Apply every migration newer than the database's `user_version`, each in its own
/// transaction, make the views anew from the contract, and stamp the application id.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current = user_version(conn)?;
    if current > latest_version() {
        bail!(
            "the database has schema version {current}, newer than the {} this aiinfra knows",
            latest_version()
        );
    }
    // Views name tables that migrations may rebuild; they are made again at the end.
    conn.execute_batch("DROP VIEW IF EXISTS citations")?;
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .with_context(|| format!("migration {name} failed"))?;
        tx.pragma_update(None, "user_version", index as i32 + 1)?;
        tx.commit()?;
    }
    conn.execute_batch(&citations_view())?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(())
}

/// `citations`: one row per row that cites the report (its table, id, source and
/// quote), over every table of the contract with a `source_id` column.
pub fn citations_view() -> String {
    let selects: Vec<String> = TABLES
        .iter()
        .filter(|t| t.column("source_id").is_some())
        .map(|t| {
            format!(
                "SELECT '{0}' AS entity, id, source_id, quote FROM {0}",
                t.name
            )
        })
        .collect();
    format!(
        "CREATE VIEW citations AS\n{}",
        selects.join("\nUNION ALL\n")
    )
}

pub fn user_version(conn: &Connection) -> Result<i32> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

pub fn application_id(conn: &Connection) -> Result<i32> {
    Ok(conn.pragma_query_value(None, "application_id", |row| row.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrated() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn
    }

    #[test]
    fn every_file_in_migrations_is_listed_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(n, _)| *n).collect();
        assert_eq!(files, listed);
        for (i, name) in listed.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name}");
        }
    }

    #[test]
    fn migrate_records_version_and_application_id_and_is_idempotent() {
        let mut conn = migrated();
        assert_eq!(user_version(&conn).unwrap(), latest_version());
        assert_eq!(application_id(&conn).unwrap(), APPLICATION_ID);
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), latest_version());
    }

    #[test]
    fn migrate_refuses_a_newer_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = migrate(&mut conn).unwrap_err().to_string();
        assert!(err.contains("schema version 99"), "{err}");
    }

    /// The migrations and the contract describe the same tables, columns, types,
    /// required columns and links, in the same order.
    #[test]
    fn schema_matches_contract() {
        let conn = migrated();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name != 'aiinfra_meta' ORDER BY name")
            .unwrap();
        let tables: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut expected: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        expected.sort();
        assert_eq!(tables, expected);
        for table in TABLES {
            let mut stmt = conn
                .prepare("SELECT name, type, \"notnull\" FROM pragma_table_info(?1) ORDER BY cid")
                .unwrap();
            let cols: Vec<(String, String, bool)> = stmt
                .query_map([table.name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let want: Vec<(String, String, bool)> = table
                .columns
                .iter()
                .map(|c| {
                    (
                        c.name.to_string(),
                        c.kind.sql_type().to_string(),
                        c.required,
                    )
                })
                .collect();
            assert_eq!(cols, want, "table {}", table.name);
            let mut stmt = conn
                .prepare("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY \"from\"")
                .unwrap();
            let mut fks: Vec<(String, String, String)> = stmt
                .query_map([table.name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            fks.sort();
            let mut want: Vec<(String, String, String)> = table
                .columns
                .iter()
                .filter_map(|c| {
                    c.references
                        .map(|t| (c.name.to_string(), t.to_string(), "id".to_string()))
                })
                .collect();
            want.sort();
            assert_eq!(fks, want, "foreign keys of {}", table.name);
        }
    }

    /// The citations view covers every table that cites the report.
    #[test]
    fn citations_view_covers_every_cited_table() {
        let conn = migrated();
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'view' AND name = 'citations'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        for table in TABLES {
            let cites = table.column("source_id").is_some();
            let listed = sql.contains(&format!("FROM {}\n", table.name))
                || sql.ends_with(&format!("FROM {}", table.name));
            assert_eq!(cites, listed, "{}", table.name);
        }
    }

    /// Every enumeration of the contract is a CHECK in the schema: its values are
    /// accepted and another word is refused.
    #[test]
    fn schema_checks_match_contract_enums() {
        use crate::db::contract::Kind;
        let conn = migrated();
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
                    vals[0] = format!("'{}-{i}'", col.name);
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
