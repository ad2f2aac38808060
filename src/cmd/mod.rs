//! One file per subcommand. Each returns a result; only `main` prints errors.

mod build;
mod check;
mod init;
mod sample;
mod schedule;
mod templates;

use crate::cli::Command;
use scrutiny::Result;

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Init { dir } => init::run(&dir),
        Command::Templates { dir } => templates::run(&dir),
        Command::Check { dir } => check::run(&dir),
        Command::Schedule { dir, json } => schedule::run(&dir, json),
        Command::Sample { dir, out } => sample::run(&dir, out),
        Command::Build { dir, out, only } => build::run(&dir, out, &only),
    }
}
