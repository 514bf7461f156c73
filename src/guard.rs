//! The guard every command runs under: one wall-clock deadline for the whole command,
//! and clean-up on an interrupt.
//!
//! SQLite's progress handler stops a statement at the deadline between steps, but one
//! slow function call (`instr` over megabytes) never reaches a step. So a watchdog
//! thread interrupts SQLite at the deadline and, if the command has not ended a moment
//! later, removes the temporary files it made and ends the process with a clear message.
//! SIGINT and SIGTERM remove them too.

use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::InterruptHandle;

/// What an interrupted run leaves: nothing, or files already put in place whole.
fn written() -> &'static str {
    if crate::write::put_in_place() {
        "the files already written are complete, and nothing else was written"
    } else {
        "nothing was written"
    }
}

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

/// Start the watchdog for a command allowed `timeout`, and the interrupt handler.
pub fn start(timeout: Duration) {
    // Failing to install the handler (another one is there) only loses the clean-up on
    // Ctrl-C; the command itself is unaffected.
    let _ = ctrlc::set_handler(|| {
        crate::write::settle();
        let _ = writeln!(std::io::stderr(), "error: interrupted; {}", written());
        std::process::exit(130);
    });
    let spawned = std::thread::Builder::new()
        .name("aiinfra-watchdog".into())
        .spawn(move || {
            std::thread::sleep(timeout);
            if let Ok(slot) = INTERRUPT.lock()
                && let Some(handle) = slot.as_ref()
            {
                handle.interrupt();
            }
            std::thread::sleep(GRACE);
            crate::write::settle();
            let _ = writeln!(
                std::io::stderr(),
                "error: stopped after {} s (--timeout); {}. Narrow the command (--limit, a filter), or allow more time with --timeout",
                timeout.as_secs_f64(),
                written()
            );
            std::process::exit(1);
        });
    // Without a thread the statements still stop at their deadline (the progress
    // handler); only a single slow function call could run on.
    drop(spawned);
}
