//! Words in messages: the closest of several names ("did you mean …?"), a value quoted
//! safely (control characters escaped, long values cut), and the one sanitiser of what
//! reaches a terminal (`safe`). A leaf: it knows
//! nothing of the database or the command line, and the build script uses it too.

/// "; did you mean X?" for the closest candidate, or nothing.
pub fn suggest<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    did_you_mean(input, candidates)
        .map(|s| format!("; did you mean {s}?"))
        .unwrap_or_default()
}

/// The closest candidate to `input`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // Jaro-Winkler favours a shared prefix (int8 → int8_tops); one edit catches short
    // ids (cm → cn) that it scores low.
    candidates
        .map(|c| {
            (
                strsim::jaro_winkler(input, c),
                strsim::levenshtein(input, c),
                c,
            )
        })
        .filter(|(score, edits, _)| *score > 0.8 || *edits <= 1)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, _, c)| c)
}

/// The longest value a message quotes; past it, the value is cut.
const MAX_SHOWN: usize = 60;

/// Show a value in a message: quoted, control characters escaped, long ones cut.
pub fn show(value: &str) -> String {
    let count = value.chars().count();
    if count > MAX_SHOWN {
        let cut: String = value.chars().take(MAX_SHOWN).collect();
        format!("{cut:?}… ({count} characters)")
    } else {
        format!("{value:?}")
    }
}

/// Characters that reorder or break the text around them without being control
/// characters: bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069),
/// and the line and paragraph separators (U+2028, U+2029), and the directional marks
/// (U+200E, U+200F, U+061C). In a terminal they can
/// reverse a table's borders; in a file name they disguise it.
pub fn is_reordering(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}'
    )
}

/// A word for sh: as it is when it is plain, else in single quotes; a name that
/// begins with `-` gets `./`, so that no command reads it as an option.
pub fn shell_quote(word: &str) -> String {
    let word = if word.starts_with('-') {
        format!("./{word}")
    } else {
        word.to_string()
    };
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '+' | ','));
    if plain {
        word
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Text for a terminal: control characters from the data (an escape sequence, a bell)
/// are shown as their symbols (␛, ␇) and never reach the terminal; line breaks and
/// tabs stay.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_reordering(c);
    // The quick test, a byte at a time: every such character's UTF-8 begins with a
    // byte below 0x20, 0x7f, 0xc2 (U+0080-U+009F), 0xd8 (U+061C) or 0xe2 (U+200E-U+2069).
    let may_be_unsafe =
        |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2);
    if !s.bytes().any(may_be_unsafe) || !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{0}'..='\u{1f}' if unsafe_char(c) => {
                    char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')
                }
                '\u{7f}' => '\u{2421}',
                c if unsafe_char(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// Bytes as lowercase hex digits, two a byte (a blob in SQL, a digest): written a
/// byte at a time into one string, for a blob of a megabyte as for a hash.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// A count an environment variable gives (`COLUMNS`, `LINES`): a whole number above 0.
pub fn env_count(name: &str) -> Option<usize> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lowercase_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn suggestions_take_prefixes_and_single_edits() {
        let names = ["int8_tops", "fp16_tflops", "cn", "us"];
        assert_eq!(did_you_mean("int8", names.into_iter()), Some("int8_tops"));
        assert_eq!(did_you_mean("cm", names.into_iter()), Some("cn"));
        assert_eq!(did_you_mean("zzzz", names.into_iter()), None);
        assert_eq!(
            suggest("fp16", names.into_iter()),
            "; did you mean fp16_tflops?"
        );
    }

    #[test]
    fn shown_values_are_escaped_and_cut() {
        assert_eq!(show("a\u{1b}]0;x\u{7}"), "\"a\\u{1b}]0;x\\u{7}\"");
        let long = "x".repeat(1000);
        assert!(show(&long).ends_with("… (1000 characters)"));
        assert!(show(&long).len() < 100);
    }
}
