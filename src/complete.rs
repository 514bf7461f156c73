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
            .map(|c| {
                let help = c.names.join(" / ");
                CompletionCandidate::new(c.id).help((!help.is_empty()).then(|| help.into()))
            })
            .collect()
    })
}

/// An argument's completions: these words (after a comma too, where the argument
/// takes a list).
pub fn words(words: impl Fn() -> Vec<&'static str> + Send + Sync + 'static) -> ArgValueCandidates {
    ArgValueCandidates::new(move || words().into_iter().map(CompletionCandidate::new).collect())
}
