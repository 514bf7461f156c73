//! The report tables (`passages`, `row_passages`), derived wherever a database is
//! built: from the built-in corrected report, the database's own `sources` rows and
//! its rows' quotes (`passages.rs` parses). The build script, `--seed-dir`, `db build`
//! and an older file read through an upgrade all fill them here; `db check` compares a
//! file's with what its rows derive.

use anyhow::Result;
use rusqlite::Connection;

use super::contract::TABLES;
use crate::passages::{self, Passage, Quoted, Source};

/// How a database's contents are counted for a person: the data tables and their
/// rows, and the report's passages apart ("13 tables, 361 rows and 212 passages of
/// the report").
pub fn counted(tables: usize, rows: usize, passages: usize) -> String {
    format!("{tables} tables, {rows} rows and {passages} passages of the report")
}

/// The number of passages a database holds.
pub fn passage_count(conn: &Connection) -> Result<usize> {
    Ok(conn.query_row("SELECT count(*) FROM passages", [], |r| r.get::<_, i64>(0))? as usize)
}

/// One row's link to a passage: table, row id, passage id.
pub type Link = (String, String, String);

/// The parts of the report a database's `sources` name, as the parser takes them.
pub fn sources(conn: &Connection) -> Result<Vec<Source>> {
    let mut stmt = conn.prepare("SELECT id, label_zh, page FROM sources ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| {
        Ok(Source {
            id: r.get(0)?,
            label: r.get(1)?,
            page: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the report tables of a database holding these rows must be.
pub fn expected(conn: &Connection) -> Result<(Vec<Passage>, Vec<Link>)> {
    let report = crate::report::corrected().map_err(|p| anyhow::anyhow!("{p}"))?;
    let sources = sources(conn)?;
    let parts = passages::Parts::new(report, &sources);
    let found = passages::derive(report, &parts);
    let mut links = Vec::new();
    for table in TABLES.iter().filter(|t| t.column("quote").is_some()) {
        let source = if table.column("source_id").is_some() {
            "source_id"
        } else {
            "NULL"
        };
        // Names come from the contract, never from input.
        let sql = format!(
            "SELECT id, {source}, quote FROM {} WHERE quote IS NOT NULL ORDER BY rowid",
            table.name
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (id, source_id, quote) = row?;
            let quoted = Quoted {
                entity: table.name,
                id: &id,
                source_id: source_id.as_deref(),
                quote: &quote,
            };
            for passage in passages::link(report, &found, &parts, &quoted) {
                links.push((table.name.to_string(), id.clone(), passage));
            }
        }
    }
    Ok((found, links))
}

/// Fill the (empty) report tables of a database that holds its rows; the number of
/// passages.
pub fn fill(conn: &Connection) -> Result<usize> {
    let (found, links) = expected(conn)?;
    let mut insert = conn.prepare(
        "INSERT INTO passages (id, source_id, page, kind, position, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for p in &found {
        insert.execute(rusqlite::params![
            p.id,
            p.source_id,
            p.page,
            p.kind.word(),
            p.position,
            p.text
        ])?;
    }
    let mut insert =
        conn.prepare("INSERT INTO row_passages (entity, row_id, passage_id) VALUES (?1, ?2, ?3)")?;
    for (entity, row, passage) in &links {
        insert.execute([entity, row, passage])?;
    }
    Ok(found.len())
}

/// What differs between a database's report tables and what its rows derive, one
/// line each (at most `max`, then how many more); empty when they agree.
pub fn differences(conn: &Connection, max: usize) -> Result<Vec<String>> {
    let (want, want_links) = expected(conn)?;
    let mut problems = Vec::new();
    /// A stored passage: id, source, page, kind, position, text.
    type Stored = (String, Option<String>, Option<i64>, String, i64, String);
    let have: Vec<Stored> = {
        let mut stmt = conn.prepare(
            "SELECT id, source_id, page, kind, position, text FROM passages ORDER BY position, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // By id: the passages missing, those the report does not make, and those whose
    // place, part or text differ (a missing passage does not make the rest differ).
    let by_id: std::collections::HashMap<&str, &Stored> =
        have.iter().map(|h| (h.0.as_str(), h)).collect();
    let wanted: std::collections::HashSet<&str> = want.iter().map(|w| w.id.as_str()).collect();
    for w in &want {
        match by_id.get(w.id.as_str()) {
            None => problems.push(format!("passages: {} is missing", w.id)),
            Some(h) => {
                let same = h.1 == w.source_id
                    && h.2 == w.page
                    && h.3 == w.kind.word()
                    && h.4 == w.position
                    && h.5 == w.text;
                if !same {
                    problems.push(format!(
                        "passages: {} differs from the report's (its text, place, part, page or kind)",
                        w.id
                    ));
                }
            }
        }
    }
    for h in &have {
        if !wanted.contains(h.0.as_str()) {
            problems.push(format!(
                "passages: {} (position {}) is no passage of the report",
                crate::text::show(&h.0),
                h.4
            ));
        }
    }
    let have_links: Vec<Link> = {
        let mut stmt =
            conn.prepare("SELECT entity, row_id, passage_id FROM row_passages ORDER BY rowid")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut sorted_have = have_links.clone();
    sorted_have.sort();
    let mut sorted_want = want_links.clone();
    sorted_want.sort();
    for w in &sorted_want {
        if sorted_have.binary_search(w).is_err() {
            problems.push(format!(
                "row_passages: {} {} has no link to {}, where its quote lies",
                w.0, w.1, w.2
            ));
        }
    }
    for h in &sorted_have {
        if sorted_want.binary_search(h).is_err() {
            problems.push(format!(
                "row_passages: {} {} is linked to {}, where its quote does not lie",
                crate::text::show(&h.0),
                crate::text::show(&h.1),
                crate::text::show(&h.2)
            ));
        }
    }
    // At most `max` lines, and how many more there are.
    if problems.len() > max {
        let more = problems.len() - max;
        problems.truncate(max);
        problems.push(format!("… and {more} more"));
    }
    Ok(problems)
}
