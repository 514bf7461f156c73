//! What a shell's TAB offers for an argument's value: a fixed list of words (a
//! command's columns, table names), or the ids of records read from the data a command
//! would read by default. Completion never fails loudly: what cannot be read offers
//! nothing.

use std::time::Duration;

use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::ctx::Ctx;

/// The environment variable through which a shell asks aiinfra to complete a word
/// (the script `aiinfra completions SHELL` prints sets it).
pub const COMPLETE_VAR: &str = "AIINFRA_COMPLETE";

/// The context completion reads with: the data a command would read by default
/// ($AIINFRA_DB or the built-in data), a short deadline.
fn default_ctx() -> Ctx {
    let data = crate::args::DataArgs::default();
    Ctx::new(
        data.source(),
        data.source_name(),
        Duration::from_secs(2),
        false,
        Vec::new(),
        clap::Command::default,
    )
}

/// A candidate for an id, its names as help. Only ids of the id grammar are offered:
/// clap_complete matches a candidate by the word typed so far, so a quoted one would
/// never be offered, and an unquoted crafted id (`ascend-910$(touch x)`) would be
/// inserted for the shell to run.
fn candidate(id: String, names: &[String]) -> Option<CompletionCandidate> {
    if !is_id(&id) {
        return None;
    }
    let help: String = names
        .join(" / ")
        .chars()
        .filter(|ch| !ch.is_control())
        .collect();
    Some(CompletionCandidate::new(id).help((!help.is_empty()).then(|| help.into())))
}

/// An argument's completions: the ids of these tables' rows, each with its names as
/// help.
pub fn ids(tables: Vec<&'static str>) -> ArgValueCandidates {
    ArgValueCandidates::new(move || {
        let ctx = default_ctx();
        let tables: Vec<&'static crate::db::contract::Table> = tables
            .iter()
            .filter_map(|t| crate::db::contract::table(t))
            .collect();
        ctx.candidates(&tables)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| candidate(c.id, &c.names))
            .collect()
    })
}

/// `--subject`'s completions: what facts are about (a region, a record or a topic),
/// with the names of those that are regions or records.
pub fn subjects() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let ctx = default_ctx();
        let Ok(db) = ctx.db() else {
            return Vec::new();
        };
        let query = crate::query::Query::new(
            "SELECT DISTINCT subject FROM facts ORDER BY subject",
            Vec::new(),
        );
        let Ok(rows) = db.fetch(&query) else {
            return Vec::new();
        };
        let tables: Vec<_> = crate::db::contract::TABLES
            .iter()
            .filter(|t| t.label.is_some())
            .collect();
        let named = ctx.candidates(&tables).unwrap_or_default();
        rows.data
            .into_iter()
            .filter_map(|row| match row.into_iter().next() {
                Some(rusqlite::types::Value::Text(id)) => Some(id),
                _ => None,
            })
            .filter_map(|id| {
                let names = named
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.names.clone())
                    .unwrap_or_default();
                candidate(id, &names)
            })
            .collect()
    })
}

/// Whether a value is an id of the id grammar: `a-z` and `0-9`, then also `-` and `.`.
pub fn is_id(value: &str) -> bool {
    value
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// Help texts are made whole (the manual pages are being written).
static ALL_HELP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Make every help text whole from now on, whatever the arguments (`man`).
pub fn want_all_help() {
    ALL_HELP.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether this run may show help (`--help`, `-h`, `help`, a shell asking for
/// completions, or the manual pages): help that takes work to make (wrapping the
/// about text, listing a command's columns) is made only then.
pub fn help_wanted() -> bool {
    ALL_HELP.load(std::sync::atomic::Ordering::Relaxed)
        || std::env::args_os()
            .skip(1)
            .any(|a| a == "--help" || a == "-h" || a == "help" || a == "--")
}

/// The width help is wrapped to: the terminal's, else `$COLUMNS`, at most 100.
pub fn help_width() -> usize {
    crate::plan::terminal_width().unwrap_or(100).min(100)
}

/// An argument's completions: these words (after a comma too, where the argument
/// takes a list), less those already given before the comma being completed
/// (`--columns id,name_zh,` offers neither again).
pub fn words(words: impl Fn() -> Vec<&'static str> + Send + Sync + 'static) -> ArgValueCandidates {
    ArgValueCandidates::new(move || {
        let given = listed_before_the_cursor();
        words()
            .into_iter()
            .filter(|w| !given.iter().any(|g| g == w))
            .map(CompletionCandidate::new)
            .collect()
    })
}

/// The values of a list already typed in the word being completed, before its last
/// comma: `id,name_zh,na` gives `id` and `name_zh`. The shell's script passes the
/// words after `--`, and (bash, zsh, elvish) the index of the word being completed in
/// `_CLAP_COMPLETE_INDEX`; other shells complete the last word.
fn listed_before_the_cursor() -> Vec<String> {
    let words: Vec<String> = std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let index = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(words.len().saturating_sub(1));
    let Some(word) = words.get(index) else {
        return Vec::new();
    };
    // `--columns=id,` as well as `--columns id,`.
    let value = match word.split_once('=') {
        Some((flag, value)) if flag.starts_with('-') => value,
        _ => word.as_str(),
    };
    match value.rsplit_once(',') {
        Some((before, _)) => before.split(',').map(|v| v.trim().to_string()).collect(),
        None => Vec::new(),
    }
}
