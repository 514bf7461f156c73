//! Long text on a terminal goes through a pager, as git's does: `$AIINFRA_PAGER`, else
//! `$PAGER`, else `less -FRX`. Never when standard output is not a terminal, never for
//! text that fits the screen; `--no-pager` or an empty `$AIINFRA_PAGER` turns it off.
//! A pager that cannot be started means printing directly. The text is made whole
//! before the pager starts, and the time the reader spends in it is theirs: the
//! deadline no longer ends the run, and a signal ends it only once the pager has ended
//! (`guard::paging`).

use std::io::{self, Write};
use std::process::{Command, Stdio};

use anyhow::Result;

/// The pager when nothing is set: quit at once if the text fits (`-F`), pass colour
/// through (`-R`), leave the text on the screen when it ends (`-X`).
const DEFAULT: &str = "less -FRX";

/// The pager a person chose, as a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager(String);

impl Pager {
    /// The pager the environment names: `$AIINFRA_PAGER` (empty: none), else `$PAGER`
    /// (empty or `cat`: none), else `less -FRX`.
    pub fn from_env() -> Option<Pager> {
        let chosen = match std::env::var("AIINFRA_PAGER") {
            Ok(own) => own,
            Err(_) => std::env::var("PAGER").unwrap_or_else(|_| DEFAULT.to_string()),
        };
        let chosen = chosen.trim();
        if chosen.is_empty() || chosen == "cat" {
            None
        } else {
            Some(Pager(chosen.to_string()))
        }
    }

    /// The command line.
    pub fn command(&self) -> &str {
        &self.0
    }

    /// Show `text` on the terminal: directly when it fits the screen, else through the
    /// pager; directly too when the pager cannot be started or fails (`direct`
    /// prints). What the reader should be told (a pager that failed), if anything.
    pub fn show(
        &self,
        text: &[u8],
        direct: impl FnOnce(&[u8]) -> Result<()>,
    ) -> Result<Option<String>> {
        if fits(text, screen_rows()) {
            return direct(text).map(|()| None);
        }
        // From here the reader reads at their own pace (set before the pager exists,
        // so that a signal it passes on at once is already the pager's to wait for).
        crate::guard::paging();
        let Ok(mut child) = self.spawn() else {
            let printed = direct(text).map(|()| None);
            crate::guard::end_if_signalled();
            return printed;
        };
        let written = match child.stdin.take() {
            Some(mut stdin) => stdin.write_all(text).and_then(|()| stdin.flush()),
            None => Ok(()),
        };
        let status = child.wait();
        crate::guard::end_if_signalled();
        match (written, status) {
            // A pager that failed (a shell that could not find or run it, 127 or 126; a
            // command line it could not parse; `false`) may have shown nothing: the
            // text is printed directly, and the failure said.
            (_, Ok(status)) if status.code().is_some_and(|c| c != 0) => {
                let printed = direct(text);
                crate::guard::end_if_signalled();
                printed?;
                Ok(Some(format!(
                    "the pager ({}) ended with exit code {}: the text was printed without it",
                    self.0,
                    status.code().unwrap_or_default()
                )))
            }
            // The reader quit before the end: that is the end.
            (Err(e), _) if e.kind() == io::ErrorKind::BrokenPipe => Ok(None),
            (Err(e), _) => Err(anyhow::Error::from(e).context("cannot write to the pager")),
            (Ok(()), _) => Ok(None),
        }
    }

    /// Start the pager with a pipe for its input. A command line with no shell syntax
    /// is run directly (so a missing program is known at once); otherwise through
    /// `sh -c`, as git does.
    fn spawn(&self) -> io::Result<std::process::Child> {
        const SHELL: &[char] = &[
            '|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '"', '\'', '*', '?', '[', '#', '~',
            '=', '%', '{', '}', '\n',
        ];
        let mut cmd = if self.0.contains(SHELL) {
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(&self.0);
            cmd
        } else {
            let mut words = self.0.split_whitespace();
            let mut cmd = Command::new(words.next().unwrap_or("less"));
            cmd.args(words);
            cmd
        };
        // less with no options of its own behaves as git sets it: quit if the text
        // fits, colour passed through, the screen not cleared.
        if std::env::var_os("LESS").is_none() {
            cmd.env("LESS", "FRX");
        }
        if std::env::var_os("LV").is_none() {
            cmd.env("LV", "-c");
        }
        cmd.stdin(Stdio::piped()).spawn()
    }
}

/// Whether text of these lines fits a screen of `rows` rows (one is left for the
/// shell's prompt). The text is already fitted to the terminal's width.
fn fits(text: &[u8], rows: usize) -> bool {
    let ends = text.is_empty() || text.ends_with(b"\n");
    let lines = text.split(|&b| b == b'\n').count() - usize::from(ends);
    lines < rows
}

/// The terminal's height: as the terminal reports it, else `$LINES`, else 24.
fn screen_rows() -> usize {
    crossterm::terminal::size()
        .ok()
        .map(|(_, rows)| usize::from(rows))
        .filter(|&r| r > 0)
        .or_else(|| crate::text::env_count("LINES"))
        .unwrap_or(24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fits_when_it_leaves_a_row_for_the_prompt() {
        assert!(fits(b"a\nb\n", 3));
        assert!(!fits(b"a\nb\nc\n", 3));
        assert!(!fits(b"a\nb\nc", 3));
        assert!(fits(b"", 1));
    }
}
