//! Full-text search over the report's passages: an FTS5 index (SQLite's built-in
//! `unicode61` tokenizer over text written as `bigrams` makes it) built in a private
//! in-memory database from the passages of whatever database is open. A `--db` file's
//! own index, if it had one, is never trusted: this one is made from its `passages`
//! each time, under the same deadline and heap limit as every query (the passages are
//! read through the same capped fetch).

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::Db;
use crate::query::Query;

/// A passage that holds every term: its id and its bm25 score (lower is better; 0 when
/// no term could use the index).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub score: f64,
    pub text: String,
}

/// The passages of `db` that hold every one of `terms` (each as the user typed one
/// word, matched wherever it stands, case, width and spacing aside), best first.
/// `prebuilt` is the index the build made of the same passages (the built-in data
/// only); without it the index is made here.
pub fn passages(db: &Db, terms: &[String], prebuilt: Option<&'static [u8]>) -> Result<Vec<Hit>> {
    let all = db.fetch(&Query::new(
        "SELECT position, id, text FROM passages ORDER BY position",
        Vec::new(),
    ))?;
    let text = |v: &Value| match v {
        Value::Text(s) => s.clone(),
        _ => String::new(),
    };
    let texts: HashMap<i64, (String, String)> = all
        .data
        .into_iter()
        .filter_map(|row| match row[0] {
            Value::Integer(position) => Some((position, (text(&row[1]), text(&row[2])))),
            _ => None,
        })
        .collect();
    let folded: Vec<String> = terms.iter().map(|t| crate::fold::fold(t)).collect();
    let holds_all = |text: &str| {
        let text = crate::fold::fold(text);
        folded.iter().all(|t| text.contains(t.as_str()))
    };
    let phrases: Vec<String> = terms
        .iter()
        .filter_map(|t| crate::bigrams::phrase(t))
        .collect();
    if phrases.is_empty() {
        // Nothing the index can look up (one-character terms): every passage is read.
        let mut positions: Vec<&i64> = texts.keys().collect();
        positions.sort();
        let mut hits = Vec::new();
        for (i, position) in positions.into_iter().enumerate() {
            if i % 1024 == 0 {
                crate::guard::checkpoint("searching the report")?;
            }
            let (id, text) = &texts[position];
            if holds_all(text) {
                hits.push(Hit {
                    id: id.clone(),
                    score: 0.0,
                    text: text.clone(),
                });
            }
        }
        return Ok(hits);
    }
    let mut conn = Connection::open_in_memory()?;
    if let Some(deadline) = crate::guard::deadline() {
        conn.progress_handler(10_000, Some(move || std::time::Instant::now() > deadline))?;
    }
    match prebuilt {
        // Read-only and zero-copy: SQLite reads the image where the binary holds it.
        Some(image) => conn.deserialize_bytes(rusqlite::MAIN_DB, image)?,
        None => {
            conn.execute_batch(crate::bigrams::INDEX_DDL)?;
            let tx = conn.unchecked_transaction()?;
            let mut insert = tx.prepare("INSERT INTO idx (rowid, body) VALUES (?1, ?2)")?;
            for (i, (position, (_, text))) in texts.iter().enumerate() {
                if i % 1024 == 0 {
                    crate::guard::checkpoint("indexing the report")?;
                }
                insert.execute(rusqlite::params![position, crate::bigrams::indexed(text)])?;
            }
            drop(insert);
            tx.commit()?;
        }
    }
    // Every phrase must match: AND, each phrase of quoted tokens (no user syntax).
    let expression = phrases.join(" AND ");
    let mut stmt = conn
        .prepare("SELECT rowid, bm25(idx) FROM idx WHERE idx MATCH ?1 ORDER BY bm25(idx), rowid")?;
    let found = stmt.query_map([&expression], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?))
    })?;
    let mut hits = Vec::new();
    for row in found {
        let (position, score) = row?;
        let Some((id, text)) = texts.get(&position) else {
            continue;
        };
        // The index finds the pairs of a term in a row; the text must hold the term.
        if holds_all(text) {
            hits.push(Hit {
                id: id.clone(),
                score,
                text: text.clone(),
            });
        }
    }
    Ok(hits)
}
