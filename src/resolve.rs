//! The one name resolver: what `show ID`, `regions ID` and every flag that names a place
//! or a record (`--city`, `--region`, `--subject`) turn a user's words into. An id in
//! any case, a unique Chinese or English name in any spacing (`昇腾910`, `Ascend 910`,
//! `ascend-910`), a place's full official name (广东省, 新疆维吾尔自治区, "Guangdong
//! Province"), or a part of a name (in Chinese, or words with a space) that only one row
//! has. An ambiguous name lists the
//! candidates; a miss suggests the closest ids and names. Every text filter folds its
//! needle and its column with the same `fold`.

use crate::error::UsageError;

use crate::fold::fold_char;
pub use crate::fold::{fold, is_dash, is_format};

/// A word looked for in many texts (`search`'s scan, through `aiinfra_holds` and
/// `aiinfra_holds_spaced`), already folded: as it is (LIKE `'%word%'`: ASCII letters in
/// either case, every other character as it is), or `spaced`, as a name holds it: its
/// characters in order with nothing between them but what the fold drops (spaces,
/// dashes, dots, format characters), or, where it has full-width letters or digits,
/// the name folded holds it. Both are UTF-8, where a character's bytes are found only
/// at a character's start. Made once for a search, as memchr's searchers are meant to
/// be (making one costs more than a short scan); it holds the word once, whatever its
/// length.
pub struct Needle(Word);

enum Word {
    /// Without ASCII letters: memchr's searcher (boxed: a few hundred bytes).
    Exact(Box<memchr::memmem::Finder<'static>>),
    /// Lowercased; holds an ASCII letter.
    Caseless(Vec<u8>),
    /// Lowercased; found a character at a time. With `wide`, the word has an ASCII
    /// letter or digit, which a full-width one folds to.
    Spaced { word: String, wide: bool },
}

impl Needle {
    pub fn new(word: &[u8], spaced: bool) -> Needle {
        Needle(match spaced {
            true => Word::Spaced {
                word: String::from_utf8_lossy(word).to_ascii_lowercase(),
                wide: word.iter().any(u8::is_ascii_alphanumeric),
            },
            false if word.iter().any(u8::is_ascii_alphabetic) => {
                Word::Caseless(word.to_ascii_lowercase())
            }
            false => Word::Exact(Box::new(memchr::memmem::Finder::new(word).into_owned())),
        })
    }

    /// Whether `text` holds the word.
    pub fn in_text(&self, text: &[u8]) -> bool {
        match &self.0 {
            Word::Exact(finder) => finder.find(text).is_some(),
            Word::Caseless(word) => caseless_find(word, text).is_some(),
            Word::Spaced { word, wide } => {
                spaced_in(word, text)
                    || (*wide
                        && has_wide(text)
                        && fold(&String::from_utf8_lossy(text)).contains(word.as_str()))
            }
        }
    }
}

/// Where `word` (lowercased) first stands in `text`, ASCII letters in either case.
fn caseless_find(word: &[u8], text: &[u8]) -> Option<usize> {
    let first = *word.first()?;
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), text).find(|&at| {
        text.get(at..at + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// Whether `text` holds the characters of `word` (lowercased) in order, ASCII letters in
/// either case, with nothing between them but characters the fold drops.
fn spaced_in(word: &str, text: &[u8]) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    let mut first_buf = [0; 4];
    let first: &[u8] = first.encode_utf8(&mut first_buf).as_bytes();
    let mut buf = [0; 4];
    let rest = chars.as_str();
    let mut from = 0;
    // Each place the first character stands, until the rest follows it.
    while let Some(at) = caseless_find(first, &text[from..]) {
        let mut end = from + at + first.len();
        let follows = rest.chars().all(|c| {
            end += dropped_run(&text[end..]);
            let c = c.encode_utf8(&mut buf).as_bytes();
            let here = text
                .get(end..end + c.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(c));
            end += c.len();
            here
        });
        if follows {
            return true;
        }
        from += at + first.len();
    }
    false
}

/// Whether `text` holds a full-width letter or digit (U+FF10-FF19, U+FF21-FF3A,
/// U+FF41-FF5A: `ＴＰＵ`, `９１０`), which the fold makes ASCII: then a name is folded
/// whole to be tested, as the README promises width aside.
fn has_wide(text: &[u8]) -> bool {
    memchr::memchr_iter(0xef, text).any(|at| {
        matches!(
            (text.get(at + 1), text.get(at + 2)),
            (Some(0xbc), Some(0x90..=0x99 | 0xa1..=0xba)) | (Some(0xbd), Some(0x81..=0x9a))
        )
    })
}

/// How many bytes at the start of `text` are characters the fold drops (spaces,
/// dashes, dots, format characters); text that is not UTF-8 ends the run.
fn dropped_run(text: &[u8]) -> usize {
    let mut at = 0;
    while let Some(&lead) = text.get(at) {
        let len = match lead {
            0..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => break,
        };
        let Some(c) = text
            .get(at..at + len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.chars().next())
        else {
            break;
        };
        let mut folded = String::new();
        fold_char(c, &mut folded);
        if !folded.is_empty() {
            break;
        }
        at += len;
    }
    at
}

/// About `width` characters of `text` centred on the first place where it holds
/// `needle` (already folded), the match marked 【thus】, with `…` where it is cut;
/// `None` if it does not hold it.
pub fn snippet(text: &str, needle: &str, width: usize) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    if needle.is_empty() {
        return None;
    }
    // The text holds the needle as it is (most Chinese words): no need to fold it.
    if let Some(byte) = text.find(needle) {
        let from = text[..byte].chars().count();
        return Some(around(&chars, from, from + needle.chars().count(), width));
    }
    // Fold character by character, remembering where each folded character came from.
    let mut folded = String::new();
    let mut origin = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let before = folded.len();
        fold_char(*c, &mut folded);
        let added = folded[before..].chars().count();
        origin.extend(std::iter::repeat_n(i, added));
    }
    let byte = folded.find(needle)?;
    let first = folded[..byte].chars().count();
    let last = first + needle.chars().count() - 1;
    let (from, to) = (*origin.get(first)?, *origin.get(last)? + 1);
    Some(around(&chars, from, to, width))
}

/// About `width` characters of `chars` centred on `from..to`, that marked 【thus】,
/// with `…` where it is cut.
fn around(chars: &[char], from: usize, to: usize, width: usize) -> String {
    // The match in the middle, as much around it as the width leaves.
    let room = width.saturating_sub(to - from) / 2;
    let start = from.saturating_sub(room);
    let end = (to + room + (room - (from - start)))
        .min(chars.len())
        .max(to);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..from]);
    out.push('【');
    out.extend(&chars[from..to]);
    out.push('】');
    out.extend(&chars[to..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// The longest key a name is suggested for.
const MAX_SUGGESTED: usize = 200;

/// One thing a name can resolve to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The table it is a row of (or `facts.subject` for a topic).
    pub table: &'static str,
    pub id: String,
    /// Its names in Chinese and English, as the data writes them.
    pub names: Vec<String>,
    /// Its id, then its names, folded (once, when it is made).
    pub folded: Vec<String>,
}

impl Candidate {
    /// A candidate, its id and names folded.
    pub fn new(table: &'static str, id: String, names: Vec<String>) -> Candidate {
        let folded = std::iter::once(&id)
            .chain(&names)
            .map(|s| fold(s))
            .collect();
        Candidate {
            table,
            id,
            names,
            folded,
        }
    }

    /// A candidate whose id and names were folded already (by the build).
    pub fn prefolded(table: &'static str, id: &str, names: &[&str], folded: &[&str]) -> Candidate {
        Candidate {
            table,
            id: id.to_string(),
            names: names.iter().map(|s| s.to_string()).collect(),
            folded: folded.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Its names, folded.
    fn folded_names(&self) -> &[String] {
        self.folded.get(1..).unwrap_or(&[])
    }

    fn describe(&self) -> String {
        let names: Vec<&str> = self
            .names
            .iter()
            .map(|s| s.as_str())
            .filter(|n| *n != self.id)
            .collect();
        if names.is_empty() {
            format!("{} ({})", self.id, self.table)
        } else {
            format!("{} ({}, {})", self.id, names.join(", "), self.table)
        }
    }
}

/// Endings of official place names, longest first within each language: 广东省 is
/// 广东, "Shanghai Municipality" is Shanghai.
const PLACE_ENDINGS: &[&str] = &[
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
    "uygurautonomousregion",
    "uyghurautonomousregion",
    "zhuangautonomousregion",
    "huiautonomousregion",
    "specialadministrativeregion",
    "autonomousregion",
    "municipality",
    "province",
    "sar",
    "city",
];

/// What `key` names among `candidates`; `what` names the kind of thing in messages
/// ("region", "record") and `listing` the command that lists them all.
pub fn resolve<'a>(
    key: &str,
    candidates: &'a [Candidate],
    what: &str,
    listing: &str,
) -> Result<&'a Candidate, UsageError> {
    let k = fold(key);
    if k.is_empty() {
        return Err(UsageError(format!(
            "give a {what}'s id or name ({listing} lists them)"
        )));
    }
    let exact = |k: &str| -> Vec<&'a Candidate> {
        let mut found: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| c.folded.iter().any(|f| f == k))
            .collect();
        found.dedup_by(|a, b| a.id == b.id);
        found
    };
    let mut found = exact(&k);
    if found.is_empty()
        && let Some(stem) = PLACE_ENDINGS
            .iter()
            .find_map(|e| k.strip_suffix(e).filter(|s| !s.is_empty()))
    {
        found = exact(stem);
    }
    // A part of a name that only one row has; a key that looks like an id (ASCII
    // letters with digits or dashes: ascend-91) is taken whole, so a mistyped id is
    // not read as a part of a longer one.
    let key_chars = || key.trim().chars();
    let id_like = key_chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && key_chars().any(|c| c.is_ascii_digit() || c == '-');
    if found.is_empty() && !id_like {
        found = candidates
            .iter()
            .filter(|c| c.folded_names().iter().any(|n| n.contains(&k)))
            .collect();
        found.dedup_by(|a, b| a.id == b.id);
    }
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let folded: Vec<(String, &Candidate)> = candidates
                .iter()
                .flat_map(|c| c.folded.iter().map(move |f| (f.clone(), c)))
                .collect();
            // No name is anywhere near this long: a key past it gets no suggestion,
            // which would cost its length times every name's.
            let best = (k.chars().count() <= MAX_SUGGESTED)
                .then(|| crate::text::did_you_mean(&k, folded.iter().map(|(f, _)| f.as_str())))
                .flatten()
                .and_then(|f| folded.iter().find(|(g, _)| g == f))
                .map(|(_, c)| format!("; did you mean {}?", c.describe()))
                .unwrap_or_default();
            Err(UsageError(format!(
                "no {what} matches {}{best} ({listing} lists them)",
                crate::text::show(key)
            )))
        }
        many => {
            const SHOWN: usize = 12;
            let mut names: Vec<String> = many.iter().take(SHOWN).map(|c| c.describe()).collect();
            if many.len() > SHOWN {
                names.push(format!("and {} more", many.len() - SHOWN));
            }
            Err(UsageError(format!(
                "{} matches {} {what}s: {}; give one of these ids",
                crate::text::show(key),
                many.len(),
                names.join("; ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn holds_finds_a_run_or_its_characters_in_order() {
        let holds = |t: &str, n: &str, spaced| {
            super::Needle::new(n.as_bytes(), spaced).in_text(t.as_bytes())
        };
        let yes = |t: &str, n: &str, spaced| assert!(holds(t, n, spaced), "{t} {n}");
        let no = |t: &str, n: &str, spaced| assert!(!holds(t, n, spaced), "{t} {n}");
        yes("华为昇腾910", "华为", false);
        no("华 为", "华为", false);
        yes("华 为", "华为", true);
        yes("盘古 NLP", "盘古NLP", true);
        yes("盘古 NLP", "盘古nlp", true);
        yes("Huawei Ascend", "huawei", false);
        yes("HUAWEI", "hUaWeI", false);
        no("huawe", "huawei", false);
        yes("a-S-c-E-n-D 910", "ascend910", true);
        // Only ASCII letters fold, as in SQLite's LIKE.
        no("Ébène", "ébène", false);
        yes("xÉbène", "Ébène", false);
        no("为华", "华为", true);
        // Between the characters, only what the fold drops.
        no("华东为", "华为", true);
        yes("华-·\u{200b}　为", "华为", true);
        no("the top results", "tops", true);
        yes("TOP-S", "tops", true);
        // What the fold changes beyond ASCII case, a name holds folded.
        yes("ＴＰＵ v4", "tpu", true);
        yes("ａ-Ｂ", "ab", true);
        yes("昇腾９１０", "昇腾910", true);
        no("ＴＰＵ v4", "tpu", false);
        yes("华 华为", "华为", true);
        yes("a*?[c]", "*?[", true);
        no("a*b", "a?b", false);
        yes("anything", "", false);
        // A character is not found in the bytes of another: 卍 is e5 8d 8d, U+008D c2 8d.
        no("卍", "\u{8d}", false);
        no("", "华", true);
    }

    use super::*;

    fn c(table: &'static str, id: &str, names: &[&str]) -> Candidate {
        Candidate::new(
            table,
            id.into(),
            names.iter().map(|s| s.to_string()).collect(),
        )
    }

    fn places() -> Vec<Candidate> {
        vec![
            c("regions", "guangdong", &["广东", "Guangdong"]),
            c("regions", "guangzhou", &["广州", "Guangzhou"]),
            c("regions", "shanghai", &["上海", "Shanghai"]),
            c("regions", "xinjiang", &["新疆", "Xinjiang"]),
            c("regions", "shenzhen", &["深圳", "Shenzhen"]),
            c("chips", "ascend-910", &["昇腾910", "Ascend 910"]),
            c("chips", "ascend-310", &["昇腾310", "Ascend 310"]),
        ]
    }

    fn id(key: &str) -> Result<String, String> {
        let all = places();
        resolve(key, &all, "record", "aiinfra search")
            .map(|c| c.id.clone())
            .map_err(|e| e.0)
    }

    #[test]
    fn ids_names_and_official_names_in_any_case_and_spacing() {
        for (key, want) in [
            ("ASCEND-910", "ascend-910"),
            ("昇腾 910", "ascend-910"),
            ("Ascend 910", "ascend-910"),
            ("ascend910", "ascend-910"),
            ("广东省", "guangdong"),
            ("上海市", "shanghai"),
            ("新疆维吾尔自治区", "xinjiang"),
            ("Guangdong Province", "guangdong"),
            ("Shanghai Municipality", "shanghai"),
            ("ＳＨＥＮＺＨＥＮ", "shenzhen"),
            ("深", "shenzhen"),
        ] {
            assert_eq!(id(key).as_deref(), Ok(want), "{key}");
        }
    }

    #[test]
    fn ambiguous_names_list_candidates_and_misses_suggest() {
        let err = id("广").unwrap_err();
        assert!(
            err.starts_with(
                "\"广\" matches 2 records: guangdong (广东, Guangdong, regions); guangzhou"
            ),
            "{err}"
        );
        let err = id("昇腾").unwrap_err();
        assert!(
            err.contains("ascend-910") && err.contains("ascend-310"),
            "{err}"
        );
        let err = id("shenzen").unwrap_err();
        assert!(
            err.contains("did you mean shenzhen (深圳, Shenzhen, regions)?"),
            "{err}"
        );
        let err = id("ascend-91").unwrap_err();
        assert!(
            err.contains("did you mean ascend-910 (昇腾910, Ascend 910, chips)?"),
            "{err}"
        );
        let err = id(" ").unwrap_err();
        assert!(err.starts_with("give a record's id or name"), "{err}");
    }

    #[test]
    fn snippets_cut_around_the_hit() {
        let text = format!("{}华为昇腾{}", "甲".repeat(100), "乙".repeat(100));
        let s = snippet(&text, &fold("华为 昇腾"), 50).unwrap();
        assert!(
            s.starts_with('…') && s.ends_with('…') && s.contains("【华为昇腾】"),
            "{s}"
        );
        // Centred: as much before the match as after it.
        let (before, after) = s.split_once("【华为昇腾】").unwrap();
        assert_eq!(before.chars().count(), after.chars().count(), "{s}");
        assert_eq!(s.chars().count(), 54);
        assert_eq!(snippet("short text", "text", 50).unwrap(), "short 【text】");
        assert_eq!(
            snippet("Ascend 910 chip", "ascend910", 50).unwrap(),
            "【Ascend 910】 chip"
        );
        assert_eq!(snippet("short", "x", 50), None);
    }

    #[test]
    fn fold_ignores_case_width_and_separators() {
        assert_eq!(fold("Ascend-910"), "ascend910");
        assert_eq!(fold("ＡＢＣ　１２"), "abc12");
        assert_eq!(fold("华为 %"), "华为%");
    }
}
