//! What can go wrong in the database layer, as causes, not sentences for a command
//! line: a file that is not ours, damaged, of another version, locked; a query past
//! its deadline or too large; SQL that is wrong. The top level words each one once,
//! knowing which flag or variable named the file and which command ran (see
//! `message.rs`); `Display` here is the plain cause, for a library user.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A failure of the database layer.
#[derive(Debug)]
pub enum Error {
    /// The file cannot be opened or read (missing, no permission).
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A directory, a FIFO or a device where a database file was expected.
    NotAFile { path: PathBuf, what: &'static str },
    /// Not an SQLite database at all.
    NotSqlite { path: PathBuf },
    /// An SQLite database of another program, or an empty file.
    NotOurs { path: PathBuf, why: String },
    /// Truncated or overwritten, or its integrity check failed.
    Damaged { path: PathBuf, detail: String },
    /// A rollback journal left by an interrupted write.
    Journal { path: PathBuf, journal: PathBuf },
    /// A write-ahead log beside the file, whose transactions a read-only open without
    /// side files would miss.
    Wal { path: PathBuf, wal: PathBuf },
    /// A schema version this build cannot read.
    Version {
        path: PathBuf,
        found: i32,
        latest: i32,
    },
    /// A schema entry that this version's schema does not have, or has otherwise.
    Schema { path: PathBuf, what: String },
    /// Its rows differ from what was built into it (a content checksum).
    Changed { path: PathBuf },
    /// Its search index for Datasette (`fts.rs`) is unsound or does not index exactly
    /// its passages: what is wrong, one line each.
    Index {
        path: PathBuf,
        problems: Vec<String>,
    },
    /// Another program holds a lock on it.
    Locked { path: PathBuf },
    /// The deadline passed.
    Timeout { after: Duration },
    /// What a query read is larger than the cap: the command's own result (`result`,
    /// which its row options can narrow), or data the command reads to work from.
    TooLarge {
        limit: usize,
        rows: usize,
        result: bool,
        /// The file read, where it is one.
        path: Option<PathBuf>,
    },
    /// SQLite's heap limit was reached.
    OutOfMemory,
    /// A value or the SQL exceeds SQLite's limits.
    TooBig { detail: String },
    /// The sandbox refused something only a write or an extension would do.
    Refused { what: String },
    /// The statement would write.
    Writes,
    /// The SQL is wrong (found while preparing it): its message and where.
    Sql { message: String },
    /// No statement, or only a comment.
    Empty,
    /// More than one statement.
    Several,
    /// The SQL text is longer than the limit.
    SqlTooLong { length: usize, limit: usize },
    /// Anything else SQLite said.
    Other(String),
}

impl Error {
    /// Whether the cause is in what the user typed (exit 2) rather than in the
    /// machine or a file (exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Refused { .. }
                | Error::Writes
                | Error::Sql { .. }
                | Error::Empty
                | Error::Several
                | Error::SqlTooLong { .. }
        )
    }

    /// The file the failure is about, if it is about one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Error::Io { path, .. }
            | Error::NotAFile { path, .. }
            | Error::NotSqlite { path }
            | Error::NotOurs { path, .. }
            | Error::Damaged { path, .. }
            | Error::Journal { path, .. }
            | Error::Wal { path, .. }
            | Error::Version { path, .. }
            | Error::Schema { path, .. }
            | Error::Changed { path }
            | Error::Index { path, .. }
            | Error::Locked { path } => Some(path),
            _ => None,
        }
    }

    /// A SQLite error met while reading `path` (a file) or running a statement.
    pub fn from_sqlite(err: &rusqlite::Error, path: Option<&std::path::Path>) -> Error {
        use rusqlite::ffi::ErrorCode;
        let code = err.sqlite_error_code();
        let message = match err {
            rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
            other => other.to_string(),
        };
        if let Some(path) = path {
            let path = path.to_path_buf();
            match code {
                Some(ErrorCode::NotADatabase) => return Error::NotSqlite { path },
                Some(ErrorCode::DatabaseCorrupt) => {
                    return Error::Damaged {
                        path,
                        detail: "truncated or overwritten".into(),
                    };
                }
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                    return Error::Locked { path };
                }
                Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
                    return Error::Io {
                        path,
                        error: std::io::Error::other(message),
                    };
                }
                _ => {}
            }
        }
        match code {
            Some(ErrorCode::OutOfMemory) => Error::OutOfMemory,
            Some(ErrorCode::TooBig) => Error::TooBig { detail: message },
            _ => Error::Other(message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |p: &PathBuf| p.display().to_string();
        match self {
            Error::Io { path, error } => write!(f, "cannot open {}: {error}", shown(path)),
            Error::NotAFile { path, what } => {
                write!(f, "{} is {what}, not a database file", shown(path))
            }
            Error::NotSqlite { path } => write!(f, "{} is not an SQLite database", shown(path)),
            Error::NotOurs { path, why } => {
                write!(f, "{} is not an aiinfra database ({why})", shown(path))
            }
            Error::Damaged { path, detail } => write!(f, "{} is damaged ({detail})", shown(path)),
            Error::Journal { path, journal } => write!(
                f,
                "{} has a journal left by an interrupted write ({})",
                shown(path),
                shown(journal)
            ),
            Error::Wal { path, wal } => write!(
                f,
                "{} is in write-ahead-log mode and has a log beside it ({})",
                shown(path),
                shown(wal)
            ),
            Error::Version {
                path,
                found,
                latest,
            } => write!(
                f,
                "{} has schema version {found}; this aiinfra reads version {latest}",
                shown(path)
            ),
            Error::Schema { path, what } => write!(f, "{} has {what}", shown(path)),
            Error::Changed { path } => write!(
                f,
                "{} does not hold what was built into it (its content checksum differs)",
                shown(path)
            ),
            Error::Index { path, problems } => write!(
                f,
                "{}: its search index (passages_fts) does not agree with its passages: {}",
                shown(path),
                problems.join("; ")
            ),
            Error::Locked { path } => write!(f, "{} is locked by another program", shown(path)),
            Error::Timeout { after } => {
                write!(f, "stopped after {} s", after.as_secs_f64())
            }
            Error::TooLarge { limit, rows, .. } => write!(
                f,
                "the result is larger than {} MiB ({rows} rows so far)",
                limit >> 20
            ),
            Error::OutOfMemory => f.write_str("the query needs more memory than allowed"),
            Error::TooBig { detail } => {
                write!(f, "{detail}: a value or the SQL exceeds the limits")
            }
            Error::Refused { what } => {
                write!(f, "{what} is not allowed: the database is read-only")
            }
            Error::Writes => f.write_str("the statement would write: the database is read-only"),
            Error::Sql { message } => f.write_str(message),
            Error::Empty => f.write_str("the SQL is empty (or only a comment)"),
            Error::Several => f.write_str("more than one SQL statement"),
            Error::SqlTooLong { length, limit } => {
                write!(f, "the SQL is {length} bytes long; the limit is {limit}")
            }
            Error::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}
