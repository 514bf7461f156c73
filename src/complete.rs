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

/// An argument's completions: the ids of these tables' rows, each with its name as
/// help, read from the data a command would read by default ($AIINFRA_DB or the
/// built-in data).
pub fn ids(tables: Vec<&'static str>) -> ArgValueCandidates {
    ArgValueCandidates::new(move || {
        let data = crate::args::DataArgs::default();
        let ctx = Ctx::new(
            data.source(),
            data.source_name(),
            Duration::from_secs(2),
            false,
            Vec::new(),
            clap::Command::default,
        );
        let tables: Vec<&'static crate::db::contract::Table> = tables
            .iter()
            .filter_map(|t| crate::db::contract::table(t))
            .collect();
        ctx.candidates(&tables)
            .unwrap_or_default()
            .into_iter()
            // Only ids of the id grammar are offered: clap_complete matches a
            // candidate by the word typed so far, so a quoted one would never be
            // offered, and an unquoted crafted id (`ascend-910$(touch x)`) would be
            // inserted for the shell to run.
            .filter(|c| is_id(&c.id))
            .map(|c| {
                let help: String = c
                    .names
                    .join(" / ")
                    .chars()
                    .filter(|ch| !ch.is_control())
                    .collect();
                CompletionCandidate::new(c.id).help((!help.is_empty()).then(|| help.into()))
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

/// The width help is wrapped to: the terminal's, else `$COLUMNS`, at most 100.
pub fn help_width() -> usize {
    crate::plan::terminal_width().unwrap_or(100).min(100)
}

/// An argument's completions: these words (after a comma too, where the argument
/// takes a list).
pub fn words(words: impl Fn() -> Vec<&'static str> + Send + Sync + 'static) -> ArgValueCandidates {
    ArgValueCandidates::new(move || words().into_iter().map(CompletionCandidate::new).collect())
}
