//! How text compares, everywhere aiinfra compares names and searches: NFKC (full-width
//! letters and digits become plain), lowercase, and without whitespace, invisible
//! format characters or the separators `-`, `.`, `·`. Pure, with no other module: the
//! build script uses it too (the search index it prepares).

use unicode_normalization::UnicodeNormalization;

/// Text as names are compared: NFKC (full-width letters and digits become plain),
/// lowercase, and without whitespace or the separators `-`, `.`, `·`.
pub fn fold(s: &str) -> String {
    // Most text (ASCII, and Chinese with ASCII) is already in NFKC: it is folded a
    // character at a time, without normalizing; the rest goes through NFKC whole.
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        let mut out = String::with_capacity(s.len());
        for c in s.chars().flat_map(char::to_lowercase) {
            if kept(c) {
                out.push(c);
            }
        }
        return out;
    }
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| kept(*c))
        .collect()
}

/// Whether a (normalized, lowercased) character counts when names compare.
fn kept(c: char) -> bool {
    !c.is_whitespace() && !is_format(c) && !is_dash(c) && !matches!(c, '.' | '·' | '・')
}

/// `fold` of one character, appended to `out` (the snippet's fold, which remembers
/// where each folded character came from).
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&c) {
        for l in c.to_lowercase() {
            if kept(l) {
                out.push(l);
            }
        }
    } else {
        let mut buf = [0u8; 4];
        out.push_str(&fold(c.encode_utf8(&mut buf)));
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
