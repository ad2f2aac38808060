//! One file per subcommand. Each returns a result; only `main` prints errors.

mod action_plan;
mod build;
mod check;
mod comments;
mod init;
mod issue;
mod population;
mod programme;
mod received;
mod records;
mod sample;
mod schedule;
mod status;
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

/// A date given on the command line as `argument`: YYYY-MM-DD, and one of
/// the inspection's years when its schedule can be computed.
pub(crate) fn date_argument(dir: &std::path::Path, argument: &str, value: &str) -> Result<chrono::NaiveDate> {
    let date = value.parse::<chrono::NaiveDate>().map_err(|_| {
        scrutiny::Error::new(
            scrutiny::ErrorKind::Refused,
            format!("{argument} {value}: not a date; write it as YYYY-MM-DD, e.g. 2012-12-10"),
        )
    })?;
    match scrutiny::workspace::schedule_of(dir) {
        Some(schedule) => schedule.date_argument(argument, date),
        None => Ok(date),
    }
}

pub(crate) fn run(command: Command) -> Result<()> {
    match command {
        Command::Init { dir } => init::run(&dir),
        Command::New { dir } => init::new(&dir),
        Command::Templates { dir } => templates::run(&dir),
        Command::Check { dir } => check::run(&dir),
        Command::Schedule { dir, json, ics } => schedule::run(&dir, json, ics),
        Command::Status { dir, date, json } => status::run(&dir, date.as_deref(), json),
        Command::Received { key, dir, from, date } => received::run(&dir, &key, from.as_deref(), date.as_deref()),
        Command::Sample {
            dir,
            out,
            keep,
            replace,
            redraw,
        } => sample::run(&dir, out, sample::Asked { keep, replace, redraw }),
        Command::Build {
            dir,
            out,
            only,
            full,
            quiet,
            date,
        } => build::run(&dir, out, &only, (full, quiet), date.as_deref()),
        Command::Issue {
            dir,
            date,
            only,
            accept,
            out,
        } => issue::run(&dir, date.as_deref(), &only, &accept, out),
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
        Command::Programme(a) => match a.command {
            Some(crate::cli::ProgrammeCommand::Build { dir, date, full }) => {
                programme::build(&dir, date.as_deref(), full)
            }
            None => programme::run(
                &a.dir,
                match (a.json, a.ics) {
                    (true, _) => programme::Show::Json,
                    (_, true) => programme::Show::Ics(a.inspector.as_deref()),
                    _ => programme::Show::Table,
                },
            ),
        },
        Command::Population(crate::cli::PopulationCommand::Import { file, dir, replace }) => {
            population::import(&file, &dir, replace)
        }
        Command::Records(crate::cli::RecordsCommand::Import { paths, replace }) => records::import(&paths, replace),
    }
}
