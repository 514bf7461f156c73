//! The two kinds of failure a user sees: a usage error (exit 2: the command line asks
//! for something that cannot be) and everything else (exit 1).

use std::fmt;

/// A mistake in the command line found after parsing: an unknown column for
/// `--sort`, a flag that needs another. The message names the flag and what is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Whether an error, anywhere in its chain, is a usage error.
pub fn is_usage(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.is::<UsageError>())
}

/// Whether an error comes from writing to a closed pipe (`aiinfra ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// An I/O error's reason as the system words it, without " (os error N)": "No such
/// file or directory".
pub fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}
