//! One file per subcommand. Each returns a result; only `main` prints errors.

mod action_plan;
mod build;
mod check;
mod comments;
mod init;
mod issue;
mod population;
mod sample;
mod schedule;
mod templates;
mod typeset;

use std::fmt::Display;
use std::io::Write;

use crate::cli::Command;
use scrutiny::Result;

/// Prints a line on standard output. A closed pipe (`scrutiny schedule | head`)
/// is not an error: the reader has had all it wanted.
pub fn say(line: impl Display) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Prints a line on standard error, whether or not anyone is reading it.
pub fn complain(line: impl Display) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The limits a build's own templates are typeset within: in a child process
/// that is this program itself (see `scrutiny::render::bounded`).
pub fn bounds() -> Result<scrutiny::render::bounded::Bounds> {
    let program = std::env::current_exe().map_err(|e| {
        scrutiny::Error::new(
            scrutiny::ErrorKind::Io,
            "could not find the scrutiny program itself, which typesets the folder's own templates",
        )
        .with_source(e)
    })?;
    Ok(scrutiny::render::bounded::Bounds::new(program))
}

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Init { dir } => init::run(&dir),
        Command::Templates { dir } => templates::run(&dir),
        Command::Check { dir } => check::run(&dir),
        Command::Schedule { dir, json } => schedule::run(&dir, json),
        Command::Sample { dir, out } => sample::run(&dir, out),
        Command::Build {
            dir,
            out,
            only,
            full,
            quiet,
        } => build::run(&dir, out, &only, full, quiet),
        Command::Issue { dir, date, only, out } => issue::run(&dir, date.as_deref(), &only, out),
        Command::Watch { dir, port } => scrutiny::watch::watch(&dir, port, Some(bounds()?), say),
        Command::Typeset { dir } => typeset::run(&dir),
        Command::ActionPlan(crate::cli::ActionPlanCommand::Import {
            file,
            dir,
            received,
            replace,
        }) => action_plan::import(&file, &dir, received.as_deref(), replace),
        Command::Comments(crate::cli::CommentsCommand::Import {
            file,
            dir,
            received,
            replace,
        }) => comments::import(&file, &dir, received.as_deref(), replace),
        Command::Population(crate::cli::PopulationCommand::Import { file, dir, replace }) => {
            population::import(&file, &dir, replace)
        }
    }
}
