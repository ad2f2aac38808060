//! `scrutiny programme`: many inspections side by side, their clashes, and
//! the programme's documents.

use std::path::Path;

use scrutiny::base::error::Problem;
use scrutiny::programme::clashes::{Clash, Severity};
use scrutiny::programme::{self as prog, Programme};
use scrutiny::{Error, ErrorKind, Result};

/// What `scrutiny programme` prints.
pub(super) enum Show<'a> {
    Table,
    Json,
    Ics(Option<&'a str>),
}

pub(super) fn run(dir: &Path, show: Show) -> Result<()> {
    let p = prog::load(dir)?;
    let found = p.clashes();
    let rows = prog::timeline::rows(&p);
    match show {
        Show::Json => {
            let json = serde_json::json!({
                "name": p.name(),
                "inspections": rows,
                "clashes": found,
            });
            super::say_json(&serde_json::to_string_pretty(&json).expect("serialisable programme"));
        }
        Show::Ics(None) => print_raw(&prog::timeline::programme_ics(&p)),
        Show::Ics(Some(name)) => {
            let calendars = prog::timeline::inspector_ics(&p);
            let file = format!("{}.ics", scrutiny::base::text::slug(name));
            let Some((_, text)) = calendars.iter().find(|(f, _)| *f == file) else {
                let known: Vec<&str> = calendars.iter().map(|(f, _)| f.trim_end_matches(".ics")).collect();
                return Err(Error::new(
                    ErrorKind::Refused,
                    format!(
                        "--inspector {name}: no inspector of the programme has that name; the programme's are {}",
                        known.join(", ")
                    ),
                ));
            };
            print_raw(text);
        }
        Show::Table => {
            super::say(format!(
                "{}: {}\n",
                p.name(),
                scrutiny::base::text::count(p.members.len(), "inspection", "inspections")
            ));
            super::say(prog::timeline::table(&rows).trim_end());
        }
    }
    report(&p, found)
}

pub(super) fn build(dir: &Path, date: Option<&str>, full: bool) -> Result<()> {
    let today = match date {
        Some(d) => d.parse::<chrono::NaiveDate>().map_err(|_| {
            Error::new(
                ErrorKind::Refused,
                format!("--date {d}: not a date; write it as YYYY-MM-DD, e.g. 2013-03-04"),
            )
        })?,
        None => scrutiny::returns::today(),
    };
    let p = prog::load(dir)?;
    let found = p.clashes();
    let built = prog::build::build(&p, today, full)?;
    super::say(format!(
        "built {}: {} ({} typeset, {} unchanged)",
        built.out.display(),
        scrutiny::base::text::count(built.written, "file", "files"),
        built.typeset,
        built.unchanged
    ));
    // The documents are made whatever the clashes: the timeline shows them.
    for c in &found {
        let word = match c.severity {
            Severity::Error => "clash",
            Severity::Warning => "warning",
        };
        super::complain(format!("{word}: {}", problem(&p, c).to_string().replace('\n', "\n  ")));
    }
    Ok(())
}

/// The warnings on standard error; the errors as the command's error (exit 1).
fn report(p: &Programme, found: Vec<Clash>) -> Result<()> {
    let (errors, warnings): (Vec<Clash>, Vec<Clash>) = found.into_iter().partition(|c| c.severity == Severity::Error);
    for w in &warnings {
        super::complain(format!("warning: {}", problem(p, w).to_string().replace('\n', "\n  ")));
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidInput,
        format!(
            "the programme has {}",
            scrutiny::base::text::count(errors.len(), "clash", "clashes")
        ),
    )
    .with_problems(errors.iter().map(|c| problem(p, c)).collect()))
}

/// A clash where it is to be resolved: at its line of programme.toml, or
/// in the first inspection's inspection.toml.
fn problem(_p: &Programme, c: &Clash) -> Problem {
    let at = match (c.line, c.inspections.first()) {
        (Some(_), _) | (None, None) => scrutiny::model::programme::PROGRAMME.to_string(),
        (None, Some(folder)) => format!("{folder}/{}", scrutiny::model::folder::INSPECTION),
    };
    let p = Problem::new(at, c.message.clone());
    match c.line {
        Some(line) => p.line(line),
        None => p,
    }
}

fn print_raw(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
