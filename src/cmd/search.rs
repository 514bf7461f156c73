//! `aiinfra search TEXT`: the rows of every table and the passages of the report,
//! ranked: rows whose id or name holds the text first, then rows whose other fields
//! do (notes, then quotes, last), then the report's passages, best match first (bm25).
//!
//! Every word of the text must be found (in any field of a row, or in a passage), as
//! written: nothing the user types is query syntax (`"`, `*`, `-`, `OR`, parentheses
//! and `C++` are searched for as they are); case, width and spacing aside, as names
//! compare. A row is found by scanning: a quick test in SQL narrows the rows (the
//! word as LIKE would find it, by a vectorised search), then the fold that names use
//! decides. A passage is found through a full-text index of the report
//! (`db/fulltext.rs`); a one-character word has no entry there and is found by
//! scanning the passages.


use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use crate::command::{CommandDef, Output, Returns, View};
use crate::ctx::Ctx;
use crate::db::contract::{Kind, TABLES, Table};
use crate::error::UsageError;
use crate::output::{Column, Rows};
use crate::query::Query;

const EXAMPLES: &str = "\
Examples:
  aiinfra search 华为
  aiinfra search \"华为 芯片\"                  # both words
  aiinfra search 知识图谱 --entity passages    # only the report's text
  aiinfra search ascend --entity chips,facts
  aiinfra search 算力 --entity centers --limit 20 --format csv";

const ABOUT: &str = "Search every table and the report's text, in Chinese or English, ranked: names first, then other fields, then the report";

pub static CMD: CommandDef = CommandDef {
    returns: &[Returns::Rows],
    columns: || COLUMNS.to_vec(),
    ..CommandDef::new("search", ABOUT, EXAMPLES, Args::augment_args, exec)
};

/// The columns of its rows.
const COLUMNS: &[&str] = &[
    "entity",
    "id",
    "name_zh",
    "name_en",
    "field",
    "snippet",
    "source_id",
    "page",
];

/// The report's passages, as `--entity` names them.
const PASSAGES: &str = "passages";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text to find, any case: Chinese words of any length (算力, 华为 昇腾) or English (huawei); every word must be found
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// Only these tables, by table or command name, or `passages` for the report's text (comma-separated: chips,centers,passages)
    #[arg(long, value_delimiter = ',', value_name = "NAME,...", add = crate::complete::words(|| crate::ctx::table_names().collect()))]
    pub entity: Option<Vec<String>>,
}

fn exec(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    let terms = terms(&args.text)?;
    let (tables, passages) = scope(&args.entity)?;
    let db = ctx.db()?;
    let mut data = Vec::new();
    if !tables.is_empty() {
        data.extend(rows_holding(db, &tables, &terms)?);
    }
    if passages {
        // The build indexed the built-in passages; another database's are indexed now,
        // unless they are the very same.
        let prebuilt = crate::db::fulltext::Prebuilt {
            image: crate::prebuilt::PASSAGE_INDEX,
            digest: crate::prebuilt::PASSAGE_DIGEST,
        };
        let builtin = ctx.source == crate::db::DataSource::Embedded;
        let hits = crate::db::fulltext::passages(db, &terms, prebuilt, builtin)?;
        let first = crate::resolve::fold(&terms[0]);
        for hit in hits {
            let snippet = crate::resolve::snippet(&hit.text, &first, 60).unwrap_or(hit.text);
            let text = |s: Option<String>| s.filter(|s| !s.is_empty()).map_or(Value::Null, Value::Text);
            data.push(vec![
                Value::Text(PASSAGES.to_string()),
                Value::Text(hit.id),
                text(hit.label_zh),
                text(hit.label_en),
                Value::Text("text".to_string()),
                Value::Text(snippet),
                text(hit.source_id),
                hit.page.map_or(Value::Null, Value::Integer),
            ]);
        }
    }
    let kinds = [
        ("entity", Kind::Slug),
        ("id", Kind::Slug),
        ("source_id", Kind::Slug),
        ("page", Kind::Integer),
    ];
    Ok(Output::Rows(
        Rows {
            columns: Column::list(COLUMNS, &kinds),
            data,
        },
        View {
            // A snippet is read whole: it wraps in the table rather than being cut.
            wrap: true,
            least: &[("snippet", 30)],
            priority: Some(&["id", "snippet", "page", "entity", "field", "name_*", "source_id"]),
            ..View::titled("search")
        },
    ))
}

/// The most words a search takes, and the longest word: a query is a word or a few,
/// a name or a phrase; past these the search would only take time.
const MAX_WORDS: usize = 20;
const MAX_WORD: usize = 500;

/// The words of the text, each to be found; a usage error when there are none, or
/// more or longer ones than a search takes.
fn terms(text: &str) -> Result<Vec<String>, UsageError> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|w| !crate::resolve::fold(w).is_empty())
        .map(str::to_string)
        .collect();
    if terms.is_empty() {
        return Err(UsageError(
            "search needs some text to find: a word in Chinese or English (aiinfra search 算力)"
                .into(),
        ));
    }
    if terms.len() > MAX_WORDS {
        return Err(UsageError(format!(
            "search takes at most {MAX_WORDS} words (every one must be found), not {}: give the few that matter",
            terms.len()
        )));
    }
    if let Some(long) = terms.iter().find(|t| t.chars().count() > MAX_WORD) {
        return Err(UsageError(format!(
            "search takes words of at most {MAX_WORD} characters, not {}: give a shorter part of it",
            long.chars().count()
        )));
    }
    Ok(terms)
}

/// The tables whose rows are searched, and whether the report's passages are.
fn scope(entity: &Option<Vec<String>>) -> Result<(Vec<&'static Table>, bool), UsageError> {
    let Some(names) = entity else {
        return Ok((TABLES.iter().collect(), true));
    };
    let mut tables: Vec<&'static Table> = Vec::new();
    let mut passages = false;
    // A trailing comma (chips,) names nothing more; a list of nothing is refused as an
    // unknown name is (table_named says so).
    let given: Vec<&str> = names.iter().map(|n| n.trim()).collect();
    let named: Vec<&str> = match given.iter().all(|n| n.is_empty()) {
        true => vec![""],
        false => given.into_iter().filter(|n| !n.is_empty()).collect(),
    };
    for name in named {
        if name == PASSAGES {
            passages = true;
            continue;
        }
        let table = crate::ctx::table_named(name, "--entity")?;
        // A table named twice (chips,chips or centers,compute_centers) is searched once.
        if tables.iter().any(|t| t.name == table.name) {
            continue;
        }
        if !TABLES.iter().any(|t| t.name == table.name) {
            return Err(UsageError(format!(
                "--entity {name}: the report's text is searched as `passages`; {name} holds no text to search"
            )));
        }
        tables.push(table);
    }
    Ok((tables, passages))
}

/// Where to look in a table, with the rank of a hit there (lower ranks first), in
/// rank order.
fn fields(table: &Table) -> Vec<(&'static str, u8)> {
    let (zh, en) = crate::query::name_exprs(table);
    let named = |n: &str| zh == format!("t.{n}") || en == format!("t.{n}");
    let mut fields: Vec<(&'static str, u8)> = table
        .columns
        .iter()
        .filter(|c| matches!(c.kind, Kind::Text | Kind::Slug) && !c.name.ends_with("_id"))
        .map(|c| {
            let rank = match c.name {
                "id" => 0,
                n if named(n) => 0,
                "note" => 2,
                "quote" => 3,
                _ => 1,
            };
            (c.name, rank)
        })
        .collect();
    fields.sort_by_key(|(_, rank)| *rank);
    fields
}

/// Long text (a quote, a note), where a search looks for a word as typed (case
/// aside) to keep the scan fast; in names and other short fields, also with spaces,
/// dashes or dots between its characters (`盘古NLP` finds `盘古 NLP`).
fn is_long(field: &str) -> bool {
    matches!(field, "quote" | "note")
}

/// Whether a column of this kind can hold a character of this term: ids, codes,
/// dates and enumerations hold no Chinese.
fn may_hold(kind: Kind, term: &str) -> bool {
    matches!(kind, Kind::Text) || term.is_ascii()
}

/// The rows of `tables` that hold every term, each as a result row: entity, id, names,
/// the first field (in rank order) that holds the first term, a snippet of it, source
/// and page; ranked (names first, then other fields, notes, quotes; then by table and
/// id). A quick test in SQL narrows the rows (`aiinfra_holds`), the fold decides.
fn rows_holding(db: &crate::db::Db, tables: &[&Table], terms: &[String]) -> Result<Vec<Vec<Value>>> {
    let folded: Vec<String> = terms.iter().map(|t| crate::resolve::fold(t)).collect();
    let mut found: Vec<((u8, usize, String), Vec<Value>)> = Vec::new();
    for (order, table) in tables.iter().enumerate() {
        let order = TABLES.iter().position(|t| t.name == table.name).unwrap_or(order);
        let fields = fields(table);
        if fields.is_empty() {
            continue;
        }
        let kind = |f: &str| table.column(f).map_or(Kind::Text, |c| c.kind);
        let mut params = Vec::new();
        let mut wheres = Vec::new();
        for fold in &folded {
            // The word folded (华-为 is 华为, ＨＵＡＷＥＩ is huawei): in long text
            // looked for as one run, in a short field with nothing but spaces, dashes
            // or dots between its characters; ASCII letters in either case, as LIKE
            // takes them, with a vectorised search (`resolve::Needle`) where LIKE
            // steps through the text a character at a time. One call a row for each.
            let mut any = Vec::new();
            for (holds, long) in [("aiinfra_holds", true), ("aiinfra_holds_spaced", false)] {
                let texts: Vec<String> = fields
                    .iter()
                    .filter(|(f, _)| is_long(f) == long && may_hold(kind(f), fold))
                    .map(|(f, _)| format!(", t.{f}"))
                    .collect();
                if texts.is_empty() {
                    continue;
                }
                params.push(Value::Text(fold.clone()));
                any.push(format!("{holds}(?{}{})", params.len(), texts.concat()));
            }
            if any.is_empty() {
                wheres.push("0".to_string());
            } else {
                wheres.push(format!("({})", any.join(" OR ")));
            }
        }
        let (zh, en) = crate::query::name_exprs(table);
        let (source, page) = if table.name == "sources" {
            ("t.id".to_string(), "t.page".to_string())
        } else if table.column("source_id").is_some() {
            (
                "t.source_id".to_string(),
                "(SELECT s.page FROM sources AS s WHERE s.id = t.source_id)".to_string(),
            )
        } else {
            ("NULL".to_string(), "NULL".to_string())
        };
        let values = fields
            .iter()
            .map(|(f, _)| format!("t.{f}"))
            .collect::<Vec<_>>()
            .join(", ");
        // Table and column names come from the contract, never from input.
        let sql = format!(
            "SELECT t.id, {zh}, {en}, {source}, {page}, {values} FROM {t} AS t WHERE {}",
            wheres.join(" AND "),
            t = table.name
        );
        // Each row is tested as it is read; only what a hit shows is kept.
        let mut read = 0usize;
        let kept = db.fetch_kept(&Query::new(sql, params), |row| {
            read += 1;
            if read.is_multiple_of(1024) {
                crate::guard::checkpoint("searching")?;
            }
            Ok(hit(&fields, terms, &folded, table, row))
        })?;
        for row in kept {
            // The field found is the fifth value, the id the second.
            let rank = fields
                .iter()
                .find(|(f, _)| matches!(&row[4], Value::Text(t) if t == f))
                .map_or(u8::MAX, |(_, rank)| *rank);
            let id = match &row[1] {
                Value::Text(id) => id.clone(),
                _ => String::new(),
            };
            found.push(((rank, order, id), row));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found.into_iter().map(|(_, row)| row).collect())
}

/// A row of `table` read by `rows_holding`'s query (id, names, source, page, then the
/// `fields`' values) as a result row, if it holds every term: entity, id, names, the
/// first field (in rank order) that holds the first term, a snippet of it, source
/// and page.
fn hit(
    fields: &[(&'static str, u8)],
    terms: &[String],
    folded: &[String],
    table: &Table,
    mut row: Vec<Value>,
) -> Option<Vec<Value>> {
    fn text(v: &Value) -> std::borrow::Cow<'_, str> {
        match v {
            Value::Text(s) => s.as_str().into(),
            Value::Integer(n) => n.to_string().into(),
            _ => "".into(),
        }
    }
    let texts: Vec<std::borrow::Cow<'_, str>> = row[5..].iter().map(text).collect();
    // A field holds a term as typed (the quick test, most hits), else folded (folded
    // once, when first needed).
    let mut folds: Vec<Option<String>> = vec![None; texts.len()];
    let mut holds = |at: usize, term: usize| -> bool {
        let raw = &texts[at];
        // A Chinese character the field does not have, the fold cannot make.
        if let Some(c) = folded[term].chars().next()
            && ('\u{4e00}'..='\u{9fff}').contains(&c)
            && !raw.contains(c)
        {
            return false;
        }
        if raw.contains(terms[term].as_str())
            || (terms[term].is_ascii()
                && raw.to_ascii_lowercase().contains(&terms[term].to_ascii_lowercase()))
        {
            return true;
        }
        folds[at]
            .get_or_insert_with(|| crate::resolve::fold(raw))
            .contains(folded[term].as_str())
    };
    let at = (0..texts.len()).find(|&at| holds(at, 0))?;
    if !(1..terms.len()).all(|term| (0..texts.len()).any(|at| holds(at, term))) {
        return None;
    }
    let (field, _) = fields[at];
    let snippet = crate::resolve::snippet(&texts[at], &folded[0], 60)
        .unwrap_or_else(|| texts[at].to_string());
    let id = text(&row[0]).into_owned();
    drop(texts);
    let mut take = |i: usize| std::mem::replace(&mut row[i], Value::Null);
    Some(vec![
        Value::Text(table.name.to_string()),
        Value::Text(id),
        take(1),
        take(2),
        Value::Text(field.to_string()),
        Value::Text(snippet),
        take(3),
        take(4),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_and_empty_text_is_refused() {
        assert_eq!(terms(" 华为　芯片 ").unwrap(), ["华为", "芯片"]);
        assert!(terms("  - ").is_err());
        assert!(terms(&"a ".repeat(MAX_WORDS)).is_ok());
        assert!(terms(&"a ".repeat(MAX_WORDS + 1)).is_err());
        assert!(terms(&"算".repeat(MAX_WORD + 1)).is_err());
    }
}
