//! The aiinfra binary: parse the command line, run it, print any error on one line (or
//! one line per problem), and pick the exit code: 0 on success and on a closed pipe, 2
//! for usage errors, 1 for everything else.

use std::process::ExitCode;

use aiinfra::error::is_broken_pipe;
use aiinfra::message;

/// Whether a shell is asking for completions: the variable is set (and not empty or
/// `0`), and the command line is the script's (`aiinfra -- WORDS`, or nothing, for the
/// script itself). A variable left set by accident does not take over other commands.
fn completion_request() -> bool {
    let set = std::env::var_os(aiinfra::complete::COMPLETE_VAR)
        .is_some_and(|v| !v.is_empty() && v != "0");
    if !set {
        return false;
    }
    let mut args = std::env::args_os().skip(1);
    match args.next() {
        None => true,
        Some(first) => first == "--",
    }
}

/// Whether file descriptor 1 was closed when the process began: looked at before main,
/// because the Rust runtime opens /dev/null on a closed standard descriptor, after
/// which a closed standard output and `> /dev/null` look the same. Linux only (an ELF
/// constructor); elsewhere a closed standard output is not told apart.
#[cfg(target_os = "linux")]
mod closed_stdout {
    use std::sync::atomic::{AtomicBool, Ordering};

    pub static CLOSED: AtomicBool = AtomicBool::new(false);

    extern "C" fn check() {
        // SAFETY: fcntl with F_GETFD only reads the flags of descriptor 1 from the
        // process's descriptor table; it touches no memory of ours, needs nothing of
        // the Rust runtime (not started yet), and is async-signal-safe. It is the
        // crate's only `unsafe`: no safe interface can see the descriptor table before
        // std rewrites it.
        let flags = unsafe { libc::fcntl(1, libc::F_GETFD) };
        if flags == -1 {
            CLOSED.store(true, Ordering::Relaxed);
        }
    }

    // Run by the C runtime before main, as every ELF constructor is.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static CHECK: extern "C" fn() = check;

    pub fn was_closed() -> bool {
        CLOSED.load(Ordering::Relaxed)
    }
}

#[cfg(not(target_os = "linux"))]
mod closed_stdout {
    pub fn was_closed() -> bool {
        false
    }
}

/// The pager `--help` goes through: on a terminal, unless `--no-pager` is among the
/// arguments (the command line did not parse far enough to say where).
fn help_pager(err: &clap::Error) -> Option<aiinfra::pager::Pager> {
    use std::io::IsTerminal;
    let help = err.kind() == clap::error::ErrorKind::DisplayHelp;
    let off = std::env::args_os().any(|a| a == "--no-pager");
    if !help || off || !std::io::stdout().is_terminal() {
        return None;
    }
    aiinfra::pager::Pager::from_env()
}

/// Whether help is coloured (paged, or printed to a `terminal` or not): `--color`
/// among the arguments (they did not parse far enough to say more), else on a
/// terminal unless NO_COLOR or TERM=dumb: the rule of every other output, not clap's
/// own (which also reads CI and CLICOLOR).
fn help_colour(terminal: bool) -> bool {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let given = args
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--color") {
            Some("") => args.get(i + 1).cloned(),
            Some(value) => value.strip_prefix('=').map(str::to_string),
            None => None,
        });
    let choice = given
        .and_then(|v| <aiinfra::output::ColorChoice as clap::ValueEnum>::from_str(&v, true).ok())
        .unwrap_or(aiinfra::output::ColorChoice::Auto);
    choice.enabled(terminal)
}

fn main() -> ExitCode {
    aiinfra::write::stdout_closed_at_start(closed_stdout::was_closed());
    // A shell asking for completions (the script `aiinfra completions SHELL` prints
    // sets the variable): answer and exit. Otherwise this only reads the variable.
    // (Checked here first: CompleteEnv would read the arguments and the working
    // directory on every run.)
    if completion_request() {
        clap_complete::CompleteEnv::with_factory(aiinfra::cli::command)
            .var(aiinfra::complete::COMPLETE_VAR)
            .bin("aiinfra")
            .complete();
    }
    // The command line is kept, not dropped, until the process ends: dropping clap's
    // tree costs a run a few percent of its time, and the process frees it anyway.
    let mut cli = aiinfra::cli::command();
    let parsed = cli.try_get_matches_from_mut(std::env::args_os());
    std::mem::forget(cli);
    let matches = match parsed {
        Ok(matches) => matches,
        Err(err) => {
            // --help and --version are "errors" that print to stdout and succeed; a
            // closed pipe while printing them is not worth reporting, a full disk or a
            // closed standard output is.
            let printed = if closed_stdout::was_closed() && !err.use_stderr() {
                Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
                    .map_err(|_| std::io::Error::other("standard output is closed"))
            } else if let Some(pager) = help_pager(&err) {
                // Help longer than the screen pages, as git's does.
                let help = if help_colour(true) {
                    err.render().ansi().to_string()
                } else {
                    err.render().to_string()
                };
                pager
                    .show(help.as_bytes(), |text| {
                        use std::io::Write;
                        let mut out = std::io::stdout().lock();
                        out.write_all(text)?;
                        Ok(out.flush()?)
                    })
                    .map(|note| {
                        if let Some(note) = note {
                            message::say(&note);
                        }
                    })
                    .map_err(|e| match e.downcast::<std::io::Error>() {
                        Ok(io) => io,
                        Err(other) => std::io::Error::other(other.to_string()),
                    })
            } else if err.use_stderr() {
                // A usage error echoes what was typed: said as every message is,
                // through the sanitiser (an escape sequence or a reordering mark in an
                // argument never reaches the terminal raw) and fitted to the terminal.
                let text = err.render().to_string();
                message::say(text.trim_end_matches('\n'));
                Ok(())
            } else {
                // --help and --version, on standard output.
                use std::io::{IsTerminal, Write};
                let text = if help_colour(std::io::stdout().is_terminal()) {
                    err.render().ansi().to_string()
                } else {
                    err.render().to_string()
                };
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|()| out.flush())
            };
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                match printed {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        message::error(
                            &format!(
                                "cannot write standard output: {}",
                                aiinfra::error::io_reason(&e)
                            ),
                            false,
                        );
                        ExitCode::from(1)
                    }
                    _ => ExitCode::SUCCESS,
                }
            };
        }
    };
    let ran = aiinfra::run(&matches);
    // The outcome is settled: an interrupt or the deadline from now on would only make
    // the exit code disagree with what was said (and one that came first ends the run
    // its own way: this waits for it).
    aiinfra::guard::finish();
    let code = match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Before a plan existed (a usage error in making it), stderr follows --color.
            let colour = aiinfra::plan::stderr_color(
                aiinfra::args::DataArgs::merged(&matches, aiinfra::leaf(&matches)).color(),
            );
            message::configure(None, colour);
            let usage = message::is_usage(&err);
            message::error(&message::word(&err, &aiinfra::asked(&matches)), usage);
            if usage {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    };
    // As the command line's tree: the process frees it.
    std::mem::forget(matches);
    code
}
