//! Bytes to text: a seed file must be UTF-8 (a byte-order mark and any line ends are
//! accepted), and its quotes must close. Each problem names the file and the line.

use std::borrow::Cow;

use super::parts::{Collector, SeedFile};

/// Decode a file to text with LF line ends, or say why it is not a UTF-8 CSV.
pub(super) fn decode<'a>(file: &'a SeedFile, problems: &mut Collector) -> Option<Cow<'a, str>> {
    const SAVE_AS: &str = "save it as \"CSV UTF-8\"";
    let bytes: &[u8] = &file.bytes;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        problems.push(format!("{}: the file is UTF-16; {SAVE_AS}", file.shown));
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = line_at(bytes, at);
        let hint = if bytes.iter().filter(|&&b| b == 0).count() * 4 > bytes.len() {
            format!(" (the file looks UTF-16; {SAVE_AS})")
        } else {
            String::new()
        };
        problems.push(format!("{}:{line}: NUL byte in the file{hint}", file.shown));
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            problems.push(format!(
                "{}:{}: not valid UTF-8 (byte 0x{:02X}); {SAVE_AS}",
                file.shown,
                line_at(bytes, at),
                bytes[at]
            ));
            return None;
        }
    };
    if text.trim().is_empty() {
        problems.push(format!(
            "{}: empty file; expected at least the header line: {}",
            file.shown,
            file.table.column_names().collect::<Vec<_>>().join(",")
        ));
        return None;
    }
    if text.contains('\r') {
        Some(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")))
    } else {
        Some(Cow::Borrowed(text))
    }
}

fn line_at(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The csv crate reads an unclosed quote to the end of the file without complaint,
/// silently swallowing every row after it. Follow its quoting rules (a quote opens a
/// field only at the field's start) and report the line where an unclosed one opened.
pub(super) fn unclosed_quote(text: &str) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut line = 1;
    let mut opened = 0;
    for c in text.chars() {
        state = match (state, c) {
            (State::FieldStart, '"') => {
                opened = line;
                State::Quoted
            }
            (State::Quoted, '"') => State::QuoteInQuoted,
            (State::QuoteInQuoted, '"') => State::Quoted,
            (State::Quoted, _) => State::Quoted,
            (_, ',' | '\n') => State::FieldStart,
            (_, _) => State::Unquoted,
        };
        if c == '\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened)
}
