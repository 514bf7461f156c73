//! What the build computed from the repository's files, so that a run does not: the
//! corrected report (the raw text with every erratum applied) and where each source
//! stands in it, the passages' search index (an SQLite image), and every row's id
//! and names folded for the resolver. They describe the built-in data only: a `--db`
//! file or `--seed-dir` is read and computed at run time. Made by build.rs.

/// The corrected report.
pub static CORRECTED: &str = include_str!(concat!(env!("OUT_DIR"), "/corrected.txt"));

/// The built-in passages' full-text index (`bigrams::INDEX_DDL`, rowid = position).
pub static PASSAGE_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/passages_index.db"));

/// What `PASSAGE_INDEX` indexes: `bigrams::digest` of the built-in passages.
pub static PASSAGE_DIGEST: &str = include_str!(concat!(env!("OUT_DIR"), "/passages_digest.txt"));

include!(concat!(env!("OUT_DIR"), "/prebuilt.rs"));

/// Where the source `id` stands in the corrected report, if the build found it.
pub fn part(id: &str) -> Option<std::ops::Range<usize>> {
    PARTS
        .iter()
        .find(|(p, _, _)| *p == id)
        .map(|(_, start, end)| *start..*end)
}
