//! Chinese text for a full-text index that has no Chinese tokenizer: SQLite's built-in
//! tokenizers split on spaces and punctuation, so a run of Chinese characters would be
//! one token and `算力` would never match `智能算力`. As Lucene's CJK analyzer does,
//! text is indexed as overlapping pairs of characters (`智能 能算 算力`), and a word of
//! two characters or more is searched as the phrase of its pairs, which matches it
//! wherever it stands. Latin letters and digits are words of their own (`22TOPS` is
//! `22 tops`). Everything is folded first, as the name resolver folds (case, width,
//! spaces, dashes, dots), so `Ascend-910` and `ascend 910` index alike.
//!
//! A single Chinese character has no pair: a one-character term is not looked up in
//! the index but found by scanning (see `cmd/search.rs`).

use crate::fold::fold;

/// The index, as the build and a search make it: one column of text written by
/// `indexed`, SQLite's built-in tokenizer (no custom one: sqlite3 and Datasette
/// could not read it).
pub const INDEX_DDL: &str = "CREATE VIRTUAL TABLE idx USING fts5(body, tokenize = 'unicode61')";

/// What an index was made of: the passages' positions and texts, taken in order of
/// position, as a SHA-256 in hex. The build records it beside the built-in passages'
/// index, so that a database holding the very same passages (a file aiinfra built) is
/// searched through that index instead of indexing its text again.
pub fn digest<'a>(passages: impl IntoIterator<Item = (i64, &'a str)>) -> String {
    use sha2::{Digest as _, Sha256};
    let mut passages: Vec<(i64, &str)> = passages.into_iter().collect();
    passages.sort_unstable();
    let mut hash = Sha256::new();
    for (position, text) in passages {
        hash.update(position.to_le_bytes());
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    }
    crate::text::hex(&hash.finalize())
}

/// What a character is to the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A Chinese, Japanese or Korean character (or another wide one): paired.
    Wide,
    /// A letter (any script but the wide ones).
    Letter,
    Digit,
    /// Punctuation and anything else: a break.
    Other,
}

fn class(c: char) -> Class {
    use unicode_width::UnicodeWidthChar;
    if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_alphanumeric() && c.width().unwrap_or(1) >= 2 {
        Class::Wide
    } else if c.is_alphanumeric() {
        Class::Letter
    } else {
        Class::Other
    }
}

/// The runs of `chars` that are of one class, in order: each class and where it runs.
fn runs(chars: &[char]) -> Vec<(Class, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let kind = class(chars[i]);
        let mut j = i + 1;
        while j < chars.len() && class(chars[j]) == kind {
            j += 1;
        }
        out.push((kind, i..j));
        i = j;
    }
    out
}

/// The overlapping pairs of a run of wide characters.
fn pairs(run: &[char]) -> impl Iterator<Item = String> + '_ {
    run.windows(2).map(|pair| pair.iter().collect())
}

/// The tokens of `text` (folded): each run of wide characters as its overlapping pairs
/// (a run of one, as itself), each run of letters or of digits whole.
pub fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = fold(text).chars().collect();
    let mut out = Vec::new();
    for (kind, run) in runs(&chars) {
        let run = &chars[run];
        match kind {
            Class::Wide if run.len() == 1 => out.push(run.iter().collect()),
            Class::Wide => out.extend(pairs(run)),
            Class::Letter | Class::Digit => out.push(run.iter().collect()),
            Class::Other => {}
        }
    }
    out
}

/// `text` as the index's column holds it: its tokens, space-separated.
pub fn indexed(text: &str) -> String {
    tokens(text).join(" ")
}

/// The FTS5 query that narrows the passages to those that may hold a term (as the
/// user typed one word of it): for each run of two or more Chinese characters in it,
/// the phrase of its pairs, each quoted, so that nothing the user typed is read as
/// query syntax (`AND`, `*`, `"`, `-`, parentheses). Latin words and numbers are left
/// to the scan that follows (the index holds them whole, and a word is found inside
/// another: `Luojia` in `LuojiaNet`). `None` when the term has no such run.
pub fn phrase(term: &str) -> Option<String> {
    let chars: Vec<char> = fold(term).chars().collect();
    let phrases: Vec<String> = runs(&chars)
        .into_iter()
        .filter(|(kind, run)| *kind == Class::Wide && run.len() >= 2)
        .map(|(_, run)| {
            pairs(&chars[run])
                .map(|pair| format!("\"{}\"", pair.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_paired_latin_and_digits_are_words() {
        assert_eq!(indexed("智能算力"), "智能 能算 算力");
        assert_eq!(indexed("华为昇腾 910 芯片"), "华为 为昇 昇腾 910 芯片");
        assert_eq!(indexed("22TOPS, Ascend-910"), "22 tops ascend 910");
        assert_eq!(indexed("云"), "云");
    }

    #[test]
    fn a_term_is_the_phrase_of_its_pairs_and_never_syntax() {
        assert_eq!(phrase("算力").as_deref(), Some("\"算力\""));
        assert_eq!(
            phrase("数据要素").as_deref(),
            Some("\"数据\" \"据要\" \"要素\"")
        );
        assert_eq!(
            phrase("华为NLP大模型").as_deref(),
            Some("\"华为\" AND \"大模\" \"模型\"")
        );
        // Latin words, numbers and syntax are left to the scan.
        assert_eq!(phrase("C++"), None);
        assert_eq!(phrase("OR"), None);
        assert_eq!(phrase("\"x\""), None);
        assert_eq!(phrase("云"), None);
        assert_eq!(phrase("*()"), None);
    }
}
