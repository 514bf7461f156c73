//! The aiinfra binary: parse the command line, run it, print any error on one line (or
//! one line per problem), and pick the exit code: 0 on success and on a closed pipe, 2
//! for usage errors, 1 for everything else.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use aiinfra::cli::Cli;
use aiinfra::error::{is_broken_pipe, is_usage};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
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
    match aiinfra::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let usage = is_usage(&err);
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {err:#}");
            if usage {
                let _ = writeln!(stderr, "\nFor more information, try '--help'.");
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
