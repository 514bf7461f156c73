//! Errors as a person reads them: each cause from below (a typed `db::Error`, an I/O
//! error) worded once here, knowing what the lower layers cannot: which flag or
//! variable named the file, which command ran and which options it takes. Also which
//! exit code a failure gets: 2 when what the user typed is at fault, else 1.

use std::path::Path;

use crate::db;
use crate::error::{UsageError, io_reason};
use crate::text::shell_quote;

/// What was asked, as far as wording a failure needs it.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The command, as typed after `aiinfra` (`chips`, `db dump`, `sql`).
    pub command: String,
    /// How the data source was named: `--db`, `$AIINFRA_DB`, `--seed-dir` or "the
    /// built-in data".
    pub source: &'static str,
    /// Whether the command takes row options (`--limit`, `--columns`, filters).
    pub rows: bool,
}

impl Default for Asked {
    fn default() -> Self {
        Asked {
            command: String::new(),
            source: "the built-in data",
            rows: false,
        }
    }
}

/// Whether a failure is the user's to correct (exit 2): a usage error, or SQL they
/// wrote, anywhere in its chain.
pub fn is_usage(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.is::<UsageError>()
            || e.downcast_ref::<db::Error>()
                .is_some_and(db::Error::is_usage)
    })
}

/// The whole message of a failure, outer context first (`cannot write x.csv: …`),
/// each typed cause worded for this command line.
pub fn word(err: &anyhow::Error, asked: &Asked) -> String {
    let mut parts: Vec<String> = Vec::new();
    // A stage stopped at the deadline is the whole story: not "cannot write standard
    // output", which is only where the stop surfaced.
    let is_stopped = |cause: &(dyn std::error::Error + 'static)| {
        cause.is::<crate::guard::Stopped>()
            || cause
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .is_some_and(|e| e.is::<crate::guard::Stopped>())
    };
    let skip = err.chain().position(is_stopped).unwrap_or(0);
    for cause in err.chain().skip(skip) {
        let stopped = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|e| e.downcast_ref::<crate::guard::Stopped>())
            .or_else(|| cause.downcast_ref::<crate::guard::Stopped>());
        let text = match (stopped, cause.downcast_ref::<db::Error>()) {
            (Some(stopped), _) => format!(
                "{stopped} (--timeout); {}allow more time with --timeout",
                if asked.rows && stopped.on_the_result() {
                    "narrow the command (--limit, a filter), or "
                } else {
                    ""
                }
            ),
            (None, Some(e)) => database(e, asked),
            (None, None) => match cause.downcast_ref::<std::io::Error>() {
                Some(io) => io_reason(io),
                None => cause.to_string(),
            },
        };
        // anyhow repeats a cause's own text when it was given as context: keep one.
        if parts.last().is_none_or(|last| !last.ends_with(&text)) {
            parts.push(text);
        }
        if cause.is::<db::Error>() || stopped.is_some() {
            break;
        }
    }
    parts.join(": ")
}

/// Where the path came from, after its name: "(named by $AIINFRA_DB)".
fn named_by(asked: &Asked) -> String {
    match asked.source {
        "--db" | "the built-in data" | "" => String::new(),
        source => format!(" (named by {source})"),
    }
}

/// How to make the file again: with `--datasette` where its Datasette metadata is
/// beside it (it was built for Datasette, and a plain build would drop its index).
fn rebuild(path: &Path) -> String {
    let datasette = crate::export::datasette::metadata_path(path).is_file();
    format!(
        "rebuild it with `aiinfra db build {}{}`",
        shell_quote(&path.to_string_lossy()),
        if datasette { " --datasette" } else { "" }
    )
}

/// A cause of the database layer, as this command line should read it.
fn database(e: &db::Error, asked: &Asked) -> String {
    use db::Error as E;
    let by = named_by(asked);
    let takes = "--db takes a file written by `aiinfra db build FILE`";
    match e {
        E::Io { path, error } => format!("cannot open {}{by}: {}", path.display(), io_reason(error)),
        E::NotAFile { path, what } => format!("{}{by} is {what}, not a database file; {takes}", path.display()),
        E::NotSqlite { path } => format!("{}{by} is not an SQLite database; {takes}", path.display()),
        E::NotOurs { path, why } => {
            format!("{}{by} is not an aiinfra database ({why}); {takes}", path.display())
        }
        E::Damaged { path, detail } => {
            format!("{}{by} is damaged ({detail}); {}", path.display(), rebuild(path))
        }
        E::Journal { path, journal } => format!(
            "{}{by} has a journal left by an interrupted write ({}); aiinfra opens databases read-only and cannot roll it back: open the file once with sqlite3, or {}",
            path.display(),
            journal.display(),
            rebuild(path)
        ),
        E::Wal { path, wal } => format!(
            "{}{by} is in write-ahead-log mode and has a log beside it ({}), which only a writer can fold in; run `sqlite3 {} 'PRAGMA journal_mode=DELETE'` once, or {}",
            path.display(),
            wal.display(),
            shell_quote(&path.to_string_lossy()),
            rebuild(path)
        ),
        E::Version {
            path,
            found,
            latest,
        } if found > latest => format!(
            "{}{by} has schema version {found}, newer than the version {latest} this aiinfra reads; upgrade aiinfra, or {}",
            path.display(),
            rebuild(path)
        ),
        E::Version {
            path,
            found,
            latest,
        } => format!(
            "{}{by} has schema version {found}, older than the version {latest} this aiinfra reads{}; {}",
            path.display(),
            if db::migrate::KEPT.iter().any(|(v, _)| v == found) {
                " (and too large to read through an upgrade)"
            } else {
                ""
            },
            rebuild(path)
        ),
        E::Schema { path, what } => format!(
            "{}{by} has {what} (schema version {}): it is not a file aiinfra wrote, or it was changed; {}",
            path.display(),
            db::migrate::latest_version(),
            rebuild(path)
        ),
        E::Changed { path } => format!(
            "{}{by} does not hold what `db build` wrote into it (its content checksum differs: the file was changed after it was built); {}",
            path.display(),
            rebuild(path)
        ),
        E::Index { path, problems } => format!(
            "{}{by}: its search index for Datasette (passages_fts) does not agree with its passages; rebuild both with `aiinfra db build {} --datasette`:\n  {}",
            path.display(),
            shell_quote(&path.to_string_lossy()),
            problems.join("\n  ")
        ),
        E::Locked { path } => format!(
            "{}{by} is locked by another program that is writing it; try again when it is done",
            path.display()
        ),
        E::Timeout { after } => format!(
            "stopped after {} s (--timeout); {}allow more time with --timeout",
            after.as_secs_f64(),
            if asked.rows {
                "narrow the command (--limit, a filter), or "
            } else {
                ""
            }
        ),
        E::TooLarge {
            limit,
            rows,
            result: true,
            ..
        } => format!(
            "the result is larger than {} MiB ({rows} rows so far){}",
            limit >> 20,
            if asked.rows {
                "; narrow it with a filter, or --limit where no --sort, --count-by or --chart needs every row"
            } else {
                ""
            }
        ),
        E::TooLarge {
            limit,
            rows,
            result: false,
            path,
        } => format!(
            "{} is larger than the {} MiB aiinfra reads of a table at once ({rows} rows so far), and this command reads it whole whatever its options",
            match path {
                Some(path) => format!("{}{by}", path.display()),
                None => format!("the data ({})", asked.source),
            },
            limit >> 20,
        ),
        E::OutOfMemory => format!(
            "the query needs more memory than aiinfra allows ({} MiB)",
            db::sandbox::HEAP_LIMIT >> 20
        ),
        E::TooBig { detail } => format!(
            "{detail}: a value or the SQL exceeds aiinfra's limits ({} bytes per value, expression depth {})",
            db::sandbox::MAX_LENGTH,
            db::sandbox::MAX_EXPR_DEPTH
        ),
        E::Refused { what } => format!(
            "aiinfra sql is read-only: {what} is not allowed (SELECT, WITH … SELECT and schema PRAGMAs such as table_info are)"
        ),
        E::Writes => "aiinfra sql is read-only: only SELECT statements run".into(),
        E::Sql { message } => message.clone(),
        E::Empty => "the SQL is empty (or only a comment): give one SELECT, such as aiinfra sql \"SELECT * FROM chips\"".into(),
        E::Several => {
            "aiinfra sql runs exactly one statement; remove everything after the first ';'".into()
        }
        E::SqlTooLong { length, limit } => {
            format!("the SQL is {length} bytes long; the limit is {limit}")
        }
        E::Other(message) => message.clone(),
    }
}

/// How lines on stderr are fitted: to this many columns (`--width`, else the width
/// of the terminal stderr is), and whether they are coloured.
static STDERR: std::sync::OnceLock<(Option<usize>, bool)> = std::sync::OnceLock::new();

/// Fit stderr's lines to `width` (none: as `stderr_width` says) and colour them or not,
/// as the plan says; the first call wins.
pub fn configure(width: Option<usize>, color: bool) {
    let _ = STDERR.set((width.or_else(stderr_width), color));
}

fn settings() -> (Option<usize>, bool) {
    *STDERR.get_or_init(|| {
        (
            stderr_width(),
            crate::plan::stderr_color(crate::output::ColorChoice::Auto),
        )
    })
}

/// The width stderr's lines are fitted to without `--width`: the terminal's, where
/// stderr or stdout is one (stderr captured beside a terminal is read there), else
/// `$COLUMNS` where it is set; none otherwise (a log keeps its lines whole).
fn stderr_width() -> Option<usize> {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() || std::io::stdout().is_terminal() {
        crate::plan::terminal_width()
    } else {
        crate::text::env_count("COLUMNS")
            .map(|w| w.clamp(crate::args::MIN_WIDTH, crate::args::MAX_WIDTH))
    }
}

/// A message as a person reads it: control characters shown as symbols (the one
/// sanitiser), then each line wrapped at word and CJK boundaries to the width, an
/// indented line keeping its indent; an SQL excerpt and the caret under it stay as they
/// are, so that the caret points where it should.
pub fn fitted(text: &str, width: Option<usize>) -> String {
    let safe = crate::text::safe(text);
    let Some(width) = width else {
        return safe.into_owned();
    };
    let lines: Vec<&str> = safe.split('\n').collect();
    let caret = |l: &str| l.trim_end().ends_with('^') && l.trim() == "^";
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let keep = caret(line) || lines.get(i + 1).is_some_and(|next| caret(next));
        if keep || crate::output::table::cell_width(line) <= width {
            out.push(line.to_string());
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let hang = if indent > 0 { indent + 2 } else { 0 };
        let room = width.saturating_sub(hang.max(indent)).max(20);
        let wrapped = crate::output::table::wrap(line.trim_start(), room);
        for (n, part) in wrapped.split('\n').enumerate() {
            let pad = if n == 0 { indent } else { hang };
            out.push(format!("{}{part}", " ".repeat(pad)));
        }
    }
    out.join("\n")
}

/// A line for the user on stderr, fitted; a closed stderr is not worth failing for.
pub fn say(line: &str) {
    use std::io::Write;
    let (width, _) = settings();
    let _ = writeln!(std::io::stderr(), "{}", fitted(line, width));
}

/// An error on stderr: `error:` (red where colour is on), the message fitted, and for a
/// usage error the pointer to `--help`.
pub fn error(text: &str, usage: bool) {
    use std::io::Write;
    let _ = std::io::stderr()
        .lock()
        .write_all(error_text(text, usage).as_bytes());
}

/// What `error` writes: the message fitted and coloured as stderr takes it, each line
/// ended.
pub fn error_text(text: &str, usage: bool) -> String {
    let (width, color) = settings();
    let prefix = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    let body = fitted(&format!("error: {text}"), width);
    let body = body.strip_prefix("error:").unwrap_or(&body);
    let mut out = format!("{prefix}{body}\n");
    if usage {
        out.push_str("\nFor more information, try '--help'.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_wrap_at_words_keep_flags_whole_and_leave_sql_carets_alone() {
        let text = "3 columns hidden to fit the width (kind, power_w, source_id); --wide shows all, --columns picks";
        let out = fitted(text, Some(40));
        assert!(
            out.lines()
                .all(|l| crate::output::table::cell_width(l) <= 40),
            "{out}"
        );
        assert!(
            out.contains("--columns") && out.contains("source_id"),
            "{out}"
        );
        let sql = "near \"x\": syntax error (line 1, column 26)\n  SELECT * FROM chips WHER x and then a very long tail of text\n                           ^";
        let out = fitted(sql, Some(30));
        assert!(out.ends_with("                           ^"), "{out}");
        assert!(
            out.contains("  SELECT * FROM chips WHER x and then a very long tail of text"),
            "{out}"
        );
        assert_eq!(fitted("a\u{1b}]0;x\u{7}", None), "a␛]0;x␇");
    }
}
