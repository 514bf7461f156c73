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
    for cause in err.chain() {
        let stopped = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|e| e.downcast_ref::<crate::guard::Stopped>())
            .or_else(|| cause.downcast_ref::<crate::guard::Stopped>());
        let text = match (stopped, cause.downcast_ref::<db::Error>()) {
            (Some(stopped), _) => format!(
                "{stopped} (--timeout); {}allow more time with --timeout",
                if asked.rows {
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

fn rebuild(path: &Path) -> String {
    format!(
        "rebuild it with `aiinfra db build {}`",
        shell_quote(&path.to_string_lossy())
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
        E::TooLarge { limit, rows } if asked.rows => format!(
            "the result is larger than {} MiB ({rows} rows so far); narrow it with --limit, --columns or a filter",
            limit >> 20
        ),
        E::TooLarge { limit, rows } => format!(
            "the data is larger than the {} MiB aiinfra reads at once ({rows} rows of a table so far): it is not what `aiinfra db build` writes",
            limit >> 20
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

/// A line for the user on stderr; a closed stderr is not worth failing for.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
