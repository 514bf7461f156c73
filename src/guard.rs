//! The guard every command runs under: one wall-clock deadline for the whole command,
//! and clean-up on an interrupt.
//!
//! The run watches the deadline itself: SQLite's progress handler stops a statement
//! between steps, and each stage after the query looks at the clock (`checkpoint`). But
//! one slow function call (`instr` over megabytes) never reaches a step, and a write to
//! a reader that does not read never returns; so a moment (`GRACE`) after the deadline
//! the guard ends the run with a clear message, removing first the temporary files it
//! made. SIGINT, SIGTERM and SIGHUP end it the same way.
//!
//! No thread is started for this until the run makes its first temporary file
//! (`arm`): until then there is nothing to remove, and a signal handler (on Unix: a
//! SIGALRM timer for the deadline) writes the message made at the start and ends the
//! process, which is all async-signal-safe. From then on, a helper thread does it,
//! told by the handler through a pipe, because removing files waits on the writer's
//! locks. Two threads at every start were a tenth of a short command's time.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long after the deadline the run is ended, if it has not stopped by itself.
pub const GRACE: Duration = Duration::from_millis(1500);

/// When the run must end, and the time it was allowed (set once by `start`).
static DEADLINE: OnceLock<(std::time::Instant, Duration)> = OnceLock::new();

/// When the run must end, if the guard was started.
pub fn deadline() -> Option<std::time::Instant> {
    DEADLINE.get().map(|(at, _)| *at)
}

/// Whether the text is with the pager: the reader's time, not the command's.
static PAGING: AtomicBool = AtomicBool::new(false);

/// The run's work is done and its text is with a pager: from now on the deadline does
/// not end the run, and a signal (Ctrl-C, which less uses to stop a search, or
/// SIGTERM) ends it only when the pager ends (`end_if_signalled`), as git does.
/// Nothing is left to clean up: a pager is only used for standard output.
pub fn paging() {
    PAGING.store(true, Ordering::SeqCst);
}

fn is_paging() -> bool {
    PAGING.load(Ordering::SeqCst)
}

/// A signal (SIGINT, SIGTERM, SIGHUP) came while the pager was open.
static SIGNALLED: AtomicBool = AtomicBool::new(false);

/// After the pager ends: a signal that came while it was open ends the run now, with
/// the exit code of an interrupted one (130) and nothing more said, as git does (it
/// waits for its pager, then dies of the signal). Waiting first leaves the terminal to
/// the pager until it has restored it; the signal is not lost.
pub fn end_if_signalled() {
    if SIGNALLED.load(Ordering::SeqCst) {
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

/// Why the run is ended early: an interrupt (SIGINT, SIGTERM, SIGHUP) or the deadline.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Interrupt = 0,
    Deadline = 1,
}

impl End {
    fn code(self) -> i32 {
        match self {
            End::Interrupt => 130,
            End::Deadline => 1,
        }
    }

    /// The message, saying what the run leaves (`left`).
    fn message(self, left: &str) -> String {
        match self {
            End::Interrupt => format!("interrupted; {left}"),
            End::Deadline => {
                let after = DEADLINE.get().map_or(0.0, |(_, after)| after.as_secs_f64());
                format!(
                    "stopped after {after} s (--timeout); {left}. Allow more time with --timeout"
                )
            }
        }
    }
}

/// What `start` was told: what settles the writer, and how a message is worded.
struct Told {
    settle: fn() -> &'static str,
    render: fn(&str) -> String,
    /// The messages of an end with nothing to settle, worded at the start, for a
    /// signal handler to write: an interrupt's, then the deadline's.
    quick: [String; 2],
}

static TOLD: OnceLock<Told> = OnceLock::new();

/// Start the guard for a command allowed `timeout`. `settle` is what must happen
/// before the process ends early once it has made temporary files (the writer removes
/// them); it says what was left ("nothing was written"). `render` words a message as
/// every error is worded (fitted to the terminal, sanitised).
pub fn start(timeout: Duration, settle: fn() -> &'static str, render: fn(&str) -> String) {
    let _ = DEADLINE.set((std::time::Instant::now() + timeout, timeout));
    let nothing = "nothing was written";
    let quick = [End::Interrupt, End::Deadline].map(|end| render(&end.message(nothing)));
    let _ = TOLD.set(Told {
        settle,
        render,
        quick,
    });
    platform::start(timeout + GRACE);
}

/// Before the run makes its first temporary file: from now on an early end settles
/// the writer first, on a helper thread. Without one (it could not be started), an
/// early end still ends the run, leaving the temporaries to the next run's clean-up.
pub fn arm() {
    static ARMED: std::sync::Once = std::sync::Once::new();
    ARMED.call_once(platform::arm);
}

/// Held by whoever ends the run: an early end (`settle_and_end`) or the run's own
/// (`finish`); never released, so that the other waits until the process is gone and
/// the exit code and the last message are the same end's.
static ENDING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The run has ended by itself (`finish`): a signal no longer ends it early.
static FINISHED: AtomicBool = AtomicBool::new(false);

/// Hold `ENDING` until the process ends.
fn hold_ending() {
    let held = ENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    std::mem::forget(held);
}

/// The run's work is over and its outcome is about to be said: from now on an
/// interrupt or the deadline no longer ends it early (it ends by itself in a moment),
/// so that its exit code and its last message agree. If an early end has begun, this
/// waits for it: the process ends there.
pub fn finish() {
    hold_ending();
    FINISHED.store(true, Ordering::SeqCst);
}

/// End the run early, settling the writer first; on the helper thread.
fn settle_and_end(end: End) -> ! {
    hold_ending();
    if let Some(told) = TOLD.get() {
        let left = (told.settle)();
        let text = (told.render)(&end.message(left));
        use std::io::Write;
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
    std::process::exit(end.code());
}

#[cfg(unix)]
mod platform {
    //! Signal handlers and a SIGALRM timer; after `arm`, a helper thread reading a pipe
    //! that the handlers write to.

    use super::{DEADLINE, End, FINISHED, GRACE, SIGNALLED, TOLD, is_paging, settle_and_end};
    use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
    use std::time::{Duration, Instant};

    /// The pipe's end the handlers write to, once the helper thread reads the other.
    static HELPER: AtomicI32 = AtomicI32::new(-1);

    /// A handler has begun to end the run (another signal then changes nothing).
    static ENDED: AtomicBool = AtomicBool::new(false);

    /// The signals that end a run early.
    const INTERRUPTS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    pub(super) fn start(end_at: Duration) {
        // SAFETY: installing handlers that only read atomics and the clock, and call
        // write(2) and _exit(2) (all async-signal-safe), and arming the process's one
        // real-time timer, which nothing else in aiinfra uses. A failure leaves the
        // default action (the process ends, nothing said) or no timer (the checks in
        // the run remain).
        unsafe {
            for signal in INTERRUPTS {
                // A signal ignored when the run began (nohup, a background job) stays
                // ignored.
                let mut before: libc::sigaction = std::mem::zeroed();
                libc::sigaction(signal, std::ptr::null(), &mut before);
                if before.sa_sigaction != libc::SIG_IGN {
                    install(signal, on_interrupt);
                }
            }
            install(libc::SIGALRM, on_deadline);
            // The timer is the run's own: a SIGALRM blocked by whatever started it
            // would leave the run unbounded.
            let mut alarm: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut alarm);
            libc::sigaddset(&mut alarm, libc::SIGALRM);
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &alarm, std::ptr::null_mut());
            let timer = libc::itimerval {
                it_interval: libc::timeval {
                    tv_sec: 0,
                    tv_usec: 0,
                },
                it_value: libc::timeval {
                    tv_sec: end_at.as_secs().try_into().unwrap_or(libc::time_t::MAX),
                    tv_usec: end_at.subsec_micros().into(),
                },
            };
            libc::setitimer(libc::ITIMER_REAL, &timer, std::ptr::null_mut());
        }
    }

    /// SAFETY (caller): `handler` must be async-signal-safe.
    unsafe fn install(signal: libc::c_int, handler: extern "C" fn(libc::c_int)) {
        // SAFETY: a zeroed sigaction is a valid value to fill in. While a handler
        // runs, the others wait (so that two signals at once say one thing);
        // SA_RESTART resumes the system call a signal arrived in.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = handler as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            for other in INTERRUPTS.into_iter().chain([libc::SIGALRM]) {
                libc::sigaddset(&mut action.sa_mask, other);
            }
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }

    extern "C" fn on_interrupt(_: libc::c_int) {
        end(End::Interrupt);
    }

    extern "C" fn on_deadline(_: libc::c_int) {
        // A SIGALRM before the timer's time is not the deadline (`kill -ALRM`): the
        // timer is still set. Reading the clock is async-signal-safe.
        let due = DEADLINE.get().map(|(at, _)| *at + GRACE);
        if due.is_some_and(|due| Instant::now() + Duration::from_millis(10) < due) {
            return;
        }
        end(End::Deadline);
    }

    /// In a signal handler: only atomics, write(2) and _exit(2).
    fn end(end: End) {
        if FINISHED.load(Ordering::SeqCst) {
            // The run is ending by itself.
            return;
        }
        if is_paging() {
            // The pager has the terminal: the run ends when it does.
            if end == End::Interrupt {
                SIGNALLED.store(true, Ordering::SeqCst);
            }
            return;
        }
        let byte = [end as u8];
        let helper = HELPER.load(Ordering::SeqCst);
        // SAFETY: write(2) and _exit(2) are async-signal-safe; the message is a
        // String made before the handler was installed and never changed. The pipe
        // does not block: a full one has the helper's word already.
        unsafe {
            if helper >= 0 {
                libc::write(helper, byte.as_ptr().cast(), 1);
                return;
            }
            if ENDED.swap(true, Ordering::SeqCst) {
                return;
            }
            if let Some(told) = TOLD.get() {
                let text = &told.quick[end as usize];
                libc::write(2, text.as_ptr().cast(), text.len());
            }
            libc::_exit(end.code());
        }
    }

    pub(super) fn arm() {
        let mut fds = [0; 2];
        // SAFETY: pipe(2) fills the two descriptors it is given; fcntl(2) sets flags
        // on them. Neither end is inherited by a program started later, and the
        // handlers' end never blocks.
        let piped = unsafe {
            libc::pipe(fds.as_mut_ptr()) == 0
                && fds
                    .iter()
                    .all(|fd| libc::fcntl(*fd, libc::F_SETFD, libc::FD_CLOEXEC) == 0)
                && libc::fcntl(fds[1], libc::F_SETFL, libc::O_NONBLOCK) == 0
        };
        if !piped {
            return;
        }
        let [read, write] = fds;
        let spawned = std::thread::Builder::new()
            .name("aiinfra-guard".into())
            .spawn(move || {
                loop {
                    let mut byte = [0u8];
                    // SAFETY: reading one byte into a one-byte buffer.
                    let n = unsafe { libc::read(read, byte.as_mut_ptr().cast(), 1) };
                    match n {
                        1 if byte[0] == End::Deadline as u8 => settle_and_end(End::Deadline),
                        1 => settle_and_end(End::Interrupt),
                        -1 if std::io::Error::last_os_error().kind()
                            == std::io::ErrorKind::Interrupted => {}
                        // The pipe closed or failed: nothing more will come.
                        _ => return,
                    }
                }
            });
        if spawned.is_ok() {
            HELPER.store(write, Ordering::SeqCst);
        }
    }
}

#[cfg(not(unix))]
mod platform {
    //! Elsewhere, a handler thread (ctrlc) and a thread that sleeps until the end.

    use super::{End, FINISHED, SIGNALLED, is_paging, settle_and_end};
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    pub(super) fn start(end_at: Duration) {
        let _ = ctrlc::set_handler(|| {
            if FINISHED.load(Ordering::SeqCst) {
                return;
            }
            if is_paging() {
                SIGNALLED.store(true, Ordering::SeqCst);
                return;
            }
            settle_and_end(End::Interrupt);
        });
        let _ = std::thread::Builder::new()
            .name("aiinfra-watchdog".into())
            .spawn(move || {
                std::thread::sleep(end_at);
                if !is_paging() {
                    settle_and_end(End::Deadline);
                }
            });
    }

    /// The handler thread settles the writer from the start.
    pub(super) fn arm() {}
}
