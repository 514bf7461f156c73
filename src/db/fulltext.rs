//! Full-text search over the report's passages: an FTS5 index (SQLite's built-in
//! `unicode61` tokenizer over text written as `bigrams` makes it) in a private
//! in-memory database. The build made one of the built-in passages; for another
//! database, whose passages are read (through the same capped fetch as every query),
//! that one serves when they are exactly the passages it indexes (the same digest of
//! positions and texts: a file aiinfra built), else one is made from them, under the
//! same deadline and heap limit. A `--db` file's own index, if it has one, is never
//! used.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::Db;
use crate::query::Query;

/// A passage that holds every term: its id, bm25 score (lower is better; 0 when no
/// term could use the index), text, and its part: source id, page and titles.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hit {
    pub id: String,
    pub score: f64,
    pub text: String,
    pub source_id: Option<String>,
    pub page: Option<i64>,
    pub label_zh: Option<String>,
    pub label_en: Option<String>,
}

/// The passages' columns a hit carries, by position (`?1`: a JSON array of positions,
/// or NULL for every passage).
const PASSAGES: &str = "SELECT p.position, p.id, p.text, p.source_id, p.page, s.label_zh, s.label_en \
    FROM passages AS p LEFT JOIN sources AS s ON s.id = p.source_id \
    WHERE ?1 IS NULL OR p.position IN (SELECT value FROM json_each(?1)) ORDER BY p.position";

/// The passages at these positions (all of them with `None`), by position.
fn read(db: &Db, positions: Option<&[i64]>) -> Result<HashMap<i64, Hit>> {
    let which = match positions {
        Some(p) => Value::Text(format!(
            "[{}]",
            p.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        )),
        None => Value::Null,
    };
    let rows = db.fetch(&Query::new(PASSAGES, vec![which]))?;
    let text = |v: &Value| match v {
        Value::Text(s) => Some(s.clone()),
        _ => None,
    };
    Ok(rows
        .data
        .into_iter()
        .filter_map(|row| {
            let Value::Integer(position) = row[0] else {
                return None;
            };
            let hit = Hit {
                id: text(&row[1]).unwrap_or_default(),
                score: 0.0,
                text: text(&row[2]).unwrap_or_default(),
                source_id: text(&row[3]),
                page: match row[4] {
                    Value::Integer(n) => Some(n),
                    _ => None,
                },
                label_zh: text(&row[5]),
                label_en: text(&row[6]),
            };
            Some((position, hit))
        })
        .collect())
}

/// An interrupted statement of the private index is the run's deadline passing, in
/// `stage` (indexing or searching the report).
fn stopped(stage: &'static str) -> impl Fn(rusqlite::Error) -> anyhow::Error {
    move |e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::OperationInterrupted) => crate::guard::stopped(stage).into(),
        _ => e.into(),
    }
}

/// Whether `text` holds every term: as typed (the quick test), else folded.
fn holds_all(text: &str, terms: &[String], folded: &[String]) -> bool {
    let mut text_folded: Option<String> = None;
    terms.iter().zip(folded).all(|(term, f)| {
        text.contains(term.as_str())
            || text_folded
                .get_or_insert_with(|| crate::fold::fold(text))
                .contains(f.as_str())
    })
}

/// The index the build made of the built-in passages, and what it was made of.
#[derive(Debug, Clone, Copy)]
pub struct Prebuilt {
    pub image: &'static [u8],
    /// `bigrams::digest` of the passages it indexes.
    pub digest: &'static str,
}

/// The passages of `db` that hold every one of `terms` (each as the user typed one
/// word, matched wherever it stands, case, width and spacing aside), best first.
/// With `builtin`, `db` is the built-in data and `prebuilt` its index; otherwise the
/// passages are read, and searched through `prebuilt` only where they are exactly the
/// ones it indexes (a file aiinfra built), else indexed here.
pub fn passages(db: &Db, terms: &[String], prebuilt: Prebuilt, builtin: bool) -> Result<Vec<Hit>> {
    let folded: Vec<String> = terms.iter().map(|t| crate::fold::fold(t)).collect();
    let phrases: Vec<String> = terms
        .iter()
        .filter_map(|t| crate::bigrams::phrase(t))
        .collect();
    if phrases.is_empty() {
        // Nothing the index can look up (one-character terms): every passage is read.
        let all = read(db, None)?;
        let mut positions: Vec<i64> = all.keys().copied().collect();
        positions.sort_unstable();
        let mut hits = Vec::new();
        for (i, position) in positions.iter().enumerate() {
            if i % 1024 == 0 {
                crate::guard::checkpoint("searching the report")?;
            }
            if let Some(hit) = all.get(position)
                && holds_all(&hit.text, terms, &folded)
            {
                hits.push(hit.clone());
            }
        }
        return Ok(hits);
    }
    let mut conn = Connection::open_in_memory()?;
    if let Some(deadline) = crate::guard::deadline() {
        conn.progress_handler(10_000, Some(move || std::time::Instant::now() > deadline))?;
    }
    // The passages of a database other than the built-in one, read to be indexed;
    // the built-in index serves them too when they are exactly what it indexes.
    let known = match builtin {
        true => None,
        false => Some(read(db, None)?),
    };
    let unlike = known.as_ref().filter(|all| {
        crate::bigrams::digest(all.iter().map(|(p, hit)| (*p, hit.text.as_str())))
            != prebuilt.digest
    });
    match unlike {
        // Read-only and zero-copy: SQLite reads the image where the binary holds it.
        None => conn.deserialize_bytes(rusqlite::MAIN_DB, prebuilt.image)?,
        Some(all) => {
            let indexing = stopped("indexing the report");
            conn.execute_batch(crate::bigrams::INDEX_DDL)
                .map_err(&indexing)?;
            let tx = conn.unchecked_transaction().map_err(&indexing)?;
            let mut insert = tx
                .prepare("INSERT INTO idx (rowid, body) VALUES (?1, ?2)")
                .map_err(&indexing)?;
            for (i, (position, hit)) in all.iter().enumerate() {
                if i % 1024 == 0 {
                    crate::guard::checkpoint("indexing the report")?;
                }
                insert
                    .execute(rusqlite::params![
                        position,
                        crate::bigrams::indexed(&hit.text)
                    ])
                    .map_err(&indexing)?;
            }
            drop(insert);
            tx.commit().map_err(&indexing)?;
        }
    }
    // Every phrase must match: AND, each phrase of quoted tokens (no user syntax).
    let expression = phrases.join(" AND ");
    let found: Vec<(i64, f64)> = {
        let searching = stopped("searching the report");
        let mut stmt = conn
            .prepare(
                "SELECT rowid, bm25(idx) FROM idx WHERE idx MATCH ?1 ORDER BY bm25(idx), rowid",
            )
            .map_err(&searching)?;
        let rows = stmt
            .query_map([&expression], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(&searching)?;
        rows.collect::<rusqlite::Result<_>>().map_err(&searching)?
    };
    // Only the passages the index found are read (all of them were, to index them).
    let texts = match known {
        Some(all) => all,
        None => read(db, Some(&found.iter().map(|(p, _)| *p).collect::<Vec<_>>()))?,
    };
    let mut hits = Vec::new();
    for (position, score) in found {
        let Some(hit) = texts.get(&position) else {
            continue;
        };
        // The index finds the pairs of a term in a row; the text must hold the term.
        if holds_all(&hit.text, terms, &folded) {
            hits.push(Hit {
                score,
                ..hit.clone()
            });
        }
    }
    Ok(hits)
}
