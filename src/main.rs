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

fn main() -> ExitCode {
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
    let matches = match aiinfra::cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => {
            // --help and --version are "errors" that print to stdout and succeed; a
            // closed pipe while printing them is not worth reporting, a full disk or a
            // closed standard output is.
            let printed = err.print();
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
    match aiinfra::run(&matches) {
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
    }
}
