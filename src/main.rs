//! The aiinfra binary: parse the command line, run it, print any error on one line (or
//! one line per problem), and pick the exit code: 0 on success and on a closed pipe, 2
//! for usage errors, 1 for everything else.

use std::io::Write;
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
            // closed pipe while printing them is not worth reporting.
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Colour "error:" on a terminal, following --color, NO_COLOR and TERM as output does.
    let colour = aiinfra::plan::stderr_color(
        aiinfra::args::DataArgs::merged(&matches, aiinfra::leaf(&matches)).color(),
    );
    match aiinfra::run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let usage = message::is_usage(&err);
            let text = message::word(&err, &aiinfra::asked(&matches));
            let mut stderr = std::io::stderr().lock();
            let prefix = if colour {
                "\x1b[1;31merror:\x1b[0m"
            } else {
                "error:"
            };
            let _ = writeln!(stderr, "{prefix} {text}");
            if usage {
                let _ = writeln!(stderr, "\nFor more information, try '--help'.");
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
