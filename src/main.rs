//! The `scrutiny` binary: parse arguments, run a command, print, map to an exit code.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;
use scrutiny::ErrorKind;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            for p in e.problems() {
                eprintln!("  {}", p.to_string().replace('\n', "\n  "));
            }
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("caused by: {s}");
                source = s.source();
            }
            ExitCode::from(match e.kind() {
                ErrorKind::InvalidInput | ErrorKind::Template => 1,
                _ => 2,
            })
        }
    }
}
