//! How text compares, everywhere aiinfra compares names and searches: NFKC (full-width
//! letters and digits become plain), lowercase, and without whitespace, invisible
//! format characters or the separators `-`, `.`, `·`. Pure, with no other module: the
//! build script uses it too (the search index it prepares).

use unicode_normalization::UnicodeNormalization;

/// Text as names are compared: NFKC (full-width letters and digits become plain),
/// lowercase, and without whitespace or the separators `-`, `.`, `·`.
pub fn fold(s: &str) -> String {
    use unicode_normalization::{IsNormalized, char::is_combining_mark, is_nfkc_quick};
    let mut out = String::with_capacity(s.len());
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        // Already normalized (ASCII, and Chinese with ASCII): a character at a time.
        for c in s.chars().flat_map(char::to_lowercase) {
            if kept(c) {
                out.push(c);
            }
        }
    } else if s.chars().any(is_combining_mark) {
        // A mark composes with the character before it: NFKC over the whole text.
        out.extend(s.nfkc().flat_map(char::to_lowercase).filter(|c| kept(*c)));
    } else {
        // Full-width punctuation and letters, and the like: each character on its own
        // normalizes as it would in the text.
        for c in s.chars() {
            fold_char(c, &mut out);
        }
    }
    out
}

/// Whether a (normalized, lowercased) character counts when names compare.
fn kept(c: char) -> bool {
    !c.is_whitespace() && !is_format(c) && !is_dash(c) && !matches!(c, '.' | '·' | '・')
}

/// `fold` of one character, appended to `out` (the snippet's fold, which remembers
/// where each folded character came from).
pub fn fold_char(c: char, out: &mut String) {
    let plain = if ('\u{ff01}'..='\u{ff5e}').contains(&c) {
        // A full-width form of ASCII (ＡＢＣ，１２): NFKC makes it ASCII.
        char::from_u32(c as u32 - 0xfee0)
    } else if c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&c) {
        Some(c)
    } else {
        None
    };
    match plain {
        Some(c) => {
            for l in c.to_lowercase() {
                if kept(l) {
                    out.push(l);
                }
            }
        }
        None => {
            for n in std::iter::once(c).nfkc() {
                for l in n.to_lowercase() {
                    if kept(l) {
                        out.push(l);
                    }
                }
            }
        }
    }
}

/// Characters of Unicode's category Cf (format) that text pasted from PDFs and web
/// pages carries unseen: the soft hyphen, zero-width spaces and joiners, direction
/// marks, embeddings and isolates, word joiners and invisible operators, the byte-order
/// mark. A name with one of them is the same name.
pub fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// A hyphen or a dash of any kind (-, U+2010 to U+2015, the minus sign U+2212), which a
/// name compares as a separator: `ascend‑910` (a non-breaking hyphen) is `ascend-910`.
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each way of folding gives what NFKC over the whole text gives.
    #[test]
    fn every_path_folds_as_nfkc_does() {
        let whole = |s: &str| -> String {
            s.nfkc()
                .flat_map(char::to_lowercase)
                .filter(|c| kept(*c))
                .collect()
        };
        for s in [
            "Ascend-910",
            "华为，昇腾 910。",
            "ＡＢＣ　１２",
            "ﬁ ligature ①",
            "e\u{301}te\u{301}",
            "（一）欧盟",
            "\u{200b}soft\u{ad}hyphen",
        ] {
            assert_eq!(fold(s), whole(s), "{s:?}");
        }
    }
}
