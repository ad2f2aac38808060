//! The `scrutiny` binary: parse arguments, run a command, print, map to an exit code.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;
use scrutiny::ErrorKind;

use cmd::complain;

fn main() -> ExitCode {
    // The documented exit codes hold even for a bug: a panic is reported as an
    // internal error (exit 2), never as Rust's 101.
    std::panic::set_hook(Box::new(|info| {
        complain(format!(
            "error: scrutiny stopped on an internal fault (a bug; please report it with the command you ran)\n\
             caused by: {info}\n\
             note: a build that stops this way leaves the documents of earlier builds as they were"
        ));
    }));
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(2))
}

fn run() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            complain(format!("error: {e}"));
            for p in e.problems() {
                complain(format!("  {}", p.to_string().replace('\n', "\n  ")));
            }
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                complain(format!("caused by: {s}"));
                source = s.source();
            }
            ExitCode::from(match e.kind() {
                ErrorKind::InvalidInput | ErrorKind::Template => 1,
                _ => 2,
            })
        }
    }
}
