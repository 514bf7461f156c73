//! The guard every command runs under: one wall-clock deadline for the whole command,
//! and clean-up on an interrupt.
//!
//! SQLite's progress handler stops a statement at the deadline between steps, but one
//! slow function call (`instr` over megabytes) never reaches a step. So a watchdog
//! thread interrupts SQLite at the deadline and, if the command has not ended a moment
//! later, removes the temporary files it made and ends the process with a clear message.
//! SIGINT and SIGTERM remove them too.

use std::sync::Mutex;
use std::time::Duration;

use rusqlite::InterruptHandle;

/// How long after the deadline the watchdog waits for the command to stop by itself.
pub const GRACE: Duration = Duration::from_millis(1500);

/// The open database's interrupt handle, for the watchdog.
static INTERRUPT: Mutex<Option<InterruptHandle>> = Mutex::new(None);

/// Let the watchdog interrupt this database at the deadline.
pub fn watch(handle: InterruptHandle) {
    if let Ok(mut slot) = INTERRUPT.lock() {
        *slot = Some(handle);
    }
}

/// When the run must end, and the time it was allowed (set once by `start`).
static DEADLINE: std::sync::OnceLock<(std::time::Instant, Duration)> = std::sync::OnceLock::new();

/// When the run must end, if the guard was started.
pub fn deadline() -> Option<std::time::Instant> {
    DEADLINE.get().map(|(at, _)| *at)
}

/// Whether the text is with the pager: the reader's time, not the command's.
static PAGING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The run's work is done and its text is with a pager: from now on the deadline does
/// not end the run, and a signal (Ctrl-C, which less uses to stop a search, or
/// SIGTERM) ends it only when the pager ends (`end_if_signalled`), as git does.
/// Nothing is left to clean up: a pager is only used for standard output.
pub fn paging() {
    PAGING.store(true, std::sync::atomic::Ordering::SeqCst);
}

fn is_paging() -> bool {
    PAGING.load(std::sync::atomic::Ordering::SeqCst)
}

/// A signal (SIGINT, SIGTERM, SIGHUP) came while the pager was open.
static SIGNALLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// After the pager ends: a signal that came while it was open ends the run now, with
/// the exit code of an interrupted one (130) and nothing more said, as git does (it
/// waits for its pager, then dies of the signal). Waiting first leaves the terminal to
/// the pager until it has restored it; the signal is not lost.
pub fn end_if_signalled() {
    if SIGNALLED.load(std::sync::atomic::Ordering::SeqCst) {
        std::process::exit(130);
    }
}

/// A stage of the run stopped at the deadline: which stage, and the time allowed.
#[derive(Debug, Clone, Copy)]
pub struct Stopped {
    pub stage: &'static str,
    pub after: Duration,
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stopped after {} s while {}",
            self.after.as_secs_f64(),
            self.stage
        )
    }
}

impl std::error::Error for Stopped {}

impl Stopped {
    /// Whether the stage works on the command's result (laying it out, writing it,
    /// drawing it), which `--limit` or a filter makes smaller; every other stage
    /// (reading the data, finding names, indexing or searching the report, comparing)
    /// works on what the command reads, whatever its options.
    pub fn on_the_result(&self) -> bool {
        matches!(
            self.stage,
            "laying out the table"
                | "writing the table"
                | "writing the rows"
                | "drawing the chart"
                | "laying out the workbook"
                | "writing the workbook"
        )
    }
}

/// The error of a stage stopped at the deadline (for work the guard's checkpoints do
/// not see: a private SQLite connection's interrupted statement).
pub fn stopped(stage: &'static str) -> std::io::Error {
    let after = DEADLINE.get().map_or(Duration::ZERO, |(_, after)| *after);
    std::io::Error::other(Stopped { stage, after })
}

/// Where a long stage after the query (laying out a table, drawing, grouping, writing)
/// looks at the clock: past the deadline it stops with `Stopped`, as an I/O error, so
/// that it leaves by the same way a failed write does.
pub fn checkpoint(stage: &'static str) -> std::io::Result<()> {
    match DEADLINE.get() {
        Some((deadline, after)) if std::time::Instant::now() > *deadline => {
            Err(std::io::Error::other(Stopped {
                stage,
                after: *after,
            }))
        }
        _ => Ok(()),
    }
}

/// Start the watchdog for a command allowed `timeout`, and the interrupt handler.
/// `settle` is what must happen before the process ends early (the writer removes its
/// temporary files); it says what was left ("nothing was written"). `error` says why
/// the run ended, as every error is said (fitted to the terminal, sanitised).
pub fn start(timeout: Duration, settle: fn() -> &'static str, error: fn(&str)) {
    let _ = DEADLINE.set((std::time::Instant::now() + timeout, timeout));
    // Failing to install the handler (another one is there) only loses the clean-up on
    // Ctrl-C; the command itself is unaffected.
    let _ = ctrlc::set_handler(move || {
        if is_paging() {
            // The pager has the terminal: the run ends when it does.
            SIGNALLED.store(true, std::sync::atomic::Ordering::SeqCst);
            return;
        }
        let left = settle();
        error(&format!("interrupted; {left}"));
        std::process::exit(130);
    });
    let spawned = std::thread::Builder::new()
        .name("aiinfra-watchdog".into())
        .spawn(move || {
            std::thread::sleep(timeout);
            if is_paging() {
                return;
            }
            if let Ok(slot) = INTERRUPT.lock()
                && let Some(handle) = slot.as_ref()
            {
                handle.interrupt();
            }
            std::thread::sleep(GRACE);
            if is_paging() {
                return;
            }
            let left = settle();
            error(&format!(
                "stopped after {} s (--timeout); {left}. Allow more time with --timeout",
                timeout.as_secs_f64(),
            ));
            std::process::exit(1);
        });
    // Without a thread the statements still stop at their deadline (the progress
    // handler); only a single slow function call could run on.
    drop(spawned);
}
