//! `scrutiny issue`: build, then record what was sent.

use std::path::{Path, PathBuf};

use scrutiny::{Error, ErrorKind, Result};

pub(super) fn run(dir: &Path, date: Option<&str>, only: &[String], out: Option<PathBuf>) -> Result<()> {
    let issued = match date {
        Some(d) => d.parse::<chrono::NaiveDate>().map_err(|_| {
            Error::new(
                ErrorKind::Refused,
                format!("--date {d}: not a date; write it as YYYY-MM-DD, e.g. 2012-12-10"),
            )
        })?,
        None => chrono::Local::now().date_naive(),
    };
    // A date given is one of the inspection's years (checked before the build).
    if let (Some(_), Some(schedule)) = (date, scrutiny::workspace::schedule_of(dir)) {
        schedule.date_argument("--date", issued)?;
    }
    let kinds = super::build::kinds(only)?;
    // The documents recorded are those OUT holds once it matches the folder.
    let report = super::build::build_with_bar(dir, out, kinds.clone(), false, true, true)?;
    let documents: Vec<_> = report
        .documents
        .into_iter()
        .filter(|d| kinds.is_empty() || scrutiny::docs::Kind::of_output(&d.path).is_some_and(|k| kinds.contains(&k)))
        .collect();
    let n = documents.len();
    let path = scrutiny::build::issue::record(dir, issued, documents)?;
    super::say(format!(
        "recorded {} issued on {} in {}",
        scrutiny::base::text::count(n, "document", "documents"),
        scrutiny::base::text::date_words(issued),
        path.display()
    ));
    Ok(())
}
