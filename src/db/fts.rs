//! The search index Datasette searches the report with: an FTS5 table over `passages`
//! (its `text`), with SQLite's built-in trigram tokenizer, so that any term of three or
//! more characters matches as a substring, Chinese included (the report has no spaces
//! between words to split on). Only the file `db build --datasette` writes holds it: a
//! plain build, the embedded database, exports and dumps do not, and aiinfra's own
//! `search` never uses it.
//!
//! It is an external-content table (`content="passages"`, keyed by the passages'
//! rowid), as Datasette detects one for a table and as its search queries it
//! (`rowid in (select rowid from passages_fts where passages_fts match …)`). A file's
//! schema may hold exactly these entries besides the version's own, or none of them
//! (`open.rs`); `db check` proves the index is sound and indexes exactly the passages.

use anyhow::Result;
use rusqlite::Connection;

use super::migrate::{self, Entry};

/// The index's virtual table.
pub const TABLE: &str = "passages_fts";

/// Every table the index is made of, the virtual table first, then the shadow tables
/// FTS5 makes for it (an external-content table has no `_content` one). Datasette
/// hides them all; the metadata says so too.
pub const NAMES: [&str; 5] = [
    "passages_fts",
    "passages_fts_data",
    "passages_fts_idx",
    "passages_fts_docsize",
    "passages_fts_config",
];

/// The index as `name`, over `passages`. Double quotes around the content table's name
/// are what Datasette looks for to find the index of a table.
fn create(name: &str) -> String {
    format!(
        r#"CREATE VIRTUAL TABLE {name} USING fts5(text, content="passages", tokenize="trigram")"#
    )
}

/// Add the index to a database just built (writable, its passages filled).
pub fn add(conn: &Connection) -> Result<()> {
    conn.execute_batch(&create(TABLE))?;
    conn.execute_batch(&format!("INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')"))?;
    Ok(())
}

/// The schema entries the index adds to a database, as this SQLite makes them.
pub fn entries() -> rusqlite::Result<Vec<Entry>> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(&create(TABLE))?;
    migrate::entries(&conn, "main")
}

/// Whether a schema holds the index's virtual table (and so must hold it all).
pub fn in_schema(found: &[Entry]) -> bool {
    found.iter().any(|e| e.0 == "table" && e.1 == TABLE)
}

/// The most differences between the index and the passages listed.
const MAX_LISTED: usize = 5;

/// What is wrong with the index of `conn`, a writable copy of a file whose schema holds
/// it, one line each; empty when the index is sound (FTS5's own integrity check) and
/// indexes exactly the passages: every passage and no other row, each with the very
/// terms an index made anew from it has.
pub fn problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    // The index's structure, and (rank 1: an external-content index is compared with
    // its content table only when asked) its checksum against the passages' text.
    if let Err(e) = conn.execute_batch(&format!(
        "INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('integrity-check', 1)"
    )) {
        problems.push(format!("FTS5's integrity check: {e}"));
    }
    // The rows indexed (one size record each) against the passages.
    let ids = |sql: &str| -> Result<Vec<(i64, Option<String>)>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let unindexed = ids(&format!(
        "SELECT rowid, id FROM passages WHERE rowid NOT IN (SELECT id FROM {TABLE}_docsize) ORDER BY rowid"
    ))?;
    let strays = ids(&format!(
        "SELECT id, NULL FROM {TABLE}_docsize WHERE id NOT IN (SELECT rowid FROM passages) ORDER BY id"
    ))?;
    for (rowid, id) in unindexed.iter().take(MAX_LISTED) {
        problems.push(format!(
            "passage {} (rowid {rowid}) is not in the index",
            crate::text::show(id.as_deref().unwrap_or(""))
        ));
    }
    for (rowid, _) in strays.iter().take(MAX_LISTED) {
        problems.push(format!(
            "the index holds rowid {rowid}, which no passage has"
        ));
    }
    // Each passage's terms against an index made anew from the passages.
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE aiinfra_fresh USING fts5(text, content=\"passages\", tokenize=\"trigram\");
         INSERT INTO aiinfra_fresh (aiinfra_fresh) VALUES ('rebuild');
         CREATE VIRTUAL TABLE temp.aiinfra_have USING fts5vocab(main, {TABLE}, instance);
         CREATE VIRTUAL TABLE temp.aiinfra_want USING fts5vocab(main, aiinfra_fresh, instance);"
    ))?;
    let differing = ids(
        "SELECT doc, (SELECT id FROM passages WHERE rowid = doc) FROM (
             SELECT * FROM (SELECT term, doc, col, offset FROM aiinfra_have
                            EXCEPT SELECT term, doc, col, offset FROM aiinfra_want)
             UNION ALL
             SELECT * FROM (SELECT term, doc, col, offset FROM aiinfra_want
                            EXCEPT SELECT term, doc, col, offset FROM aiinfra_have))
         GROUP BY doc ORDER BY doc",
    )?;
    for (rowid, id) in differing
        .iter()
        .filter(|(rowid, _)| !unindexed.iter().any(|(r, _)| r == rowid))
        .take(MAX_LISTED)
    {
        problems.push(match id {
            Some(id) => format!(
                "passage {} (rowid {rowid}) is indexed with other terms than its text has",
                crate::text::show(id)
            ),
            None => format!("the index holds terms for rowid {rowid}, which no passage has"),
        });
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The names the metadata hides are the tables FTS5 makes.
    #[test]
    fn names_are_the_tables_fts5_makes() {
        let mut made: Vec<String> = entries().unwrap().into_iter().map(|e| e.1).collect();
        made.sort();
        let mut named: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
        named.sort();
        assert_eq!(made, named);
        assert_eq!(NAMES[0], TABLE);
    }

    /// A built database with the index: sound; with a passage dropped from the index,
    /// or its text changed behind the index's back, not.
    #[test]
    fn problems_finds_an_index_that_disagrees_with_the_passages() {
        let (mut conn, _) = crate::db::open::build(&crate::db::seed::Seeds::Embedded).unwrap();
        add(&conn).unwrap();
        let bytes = conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec();
        let copy = |sql: &str| {
            let mut c = Connection::open_in_memory().unwrap();
            c.deserialize_read_exact(rusqlite::MAIN_DB, bytes.as_slice(), bytes.len(), false)
                .unwrap();
            c.execute_batch(sql).unwrap();
            c
        };
        assert_eq!(problems(&copy("")).unwrap(), Vec::<String>::new());
        let dropped = problems(&copy("DELETE FROM passages_fts WHERE rowid = 3")).unwrap();
        assert!(
            dropped
                .iter()
                .any(|p| p.contains("(rowid 3) is not in the index")),
            "{dropped:?}"
        );
        let changed = problems(&copy(
            "UPDATE passages SET text = text || '追加的文字' WHERE rowid = 5",
        ))
        .unwrap();
        assert!(
            changed
                .iter()
                .any(|p| p.contains("(rowid 5) is indexed with other terms")),
            "{changed:?}"
        );
    }
}
