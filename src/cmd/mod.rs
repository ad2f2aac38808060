//! One file per subcommand. Each returns a result; only `main` prints errors.

mod action_plan;
mod build;
mod check;
mod comments;
mod init;
mod issue;
mod population;
mod records;
mod sample;
mod schedule;
mod templates;
mod typeset;

use std::fmt::Display;
use std::io::Write;

use crate::cli::Command;
use scrutiny::base::text::printable;
use scrutiny::Result;

/// Prints a line on standard output. A closed pipe (`scrutiny schedule | head`)
/// is not an error: the reader has had all it wanted. A control character
/// from a file (a name, a form's field) is shown escaped, never sent to the
/// terminal.
pub(crate) fn say(line: impl Display) {
    let line = line.to_string();
    let _ = writeln!(std::io::stdout().lock(), "{}", printable(&line));
}

/// Prints JSON on standard output: the control characters JSON allows in a
/// string (DEL, C1, bidirectional) are written as JSON escapes, so the JSON
/// reads the same and the terminal shows it as it is.
pub(crate) fn say_json(json: &str) {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            // Outside strings JSON has only line breaks; inside, serde_json escapes every C0 control.
            '\n' => out.push(c),
            c if scrutiny::base::text::is_control(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    let _ = writeln!(std::io::stdout().lock(), "{out}");
}

/// Prints a line on standard error, whether or not anyone is reading it, with
/// control characters escaped as [`say`] does.
pub(crate) fn complain(line: impl Display) {
    let line = line.to_string();
    let _ = writeln!(std::io::stderr().lock(), "{}", printable(&line));
}

/// The limits a build's own templates are typeset within: in a child process
/// that is this program itself (see `scrutiny::render::bounded`).
pub(crate) fn bounds() -> Result<scrutiny::render::bounded::Bounds> {
    let program = std::env::current_exe().map_err(|e| {
        scrutiny::Error::new(
            scrutiny::ErrorKind::Io,
            "could not find the scrutiny program itself, which typesets the folder's own templates",
        )
        .with_source(e)
    })?;
    Ok(scrutiny::render::bounded::Bounds::new(program))
}

pub(crate) fn run(command: Command) -> Result<()> {
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
        Command::Watch { dir, port } => scrutiny::build::watch::watch(&dir, port, Some(bounds()?), say),
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
        Command::Records(crate::cli::RecordsCommand::Import { paths, replace }) => records::import(&paths, replace),
    }
}
