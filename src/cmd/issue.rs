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
    // Without --only, what was sent by that day: the documents dated on or before it.
    let (documents, later): (Vec<_>, Vec<_>) = documents
        .into_iter()
        .partition(|d| !kinds.is_empty() || d.date.is_none_or(|own| own <= issued));
    let n = documents.len();
    let path = scrutiny::build::issue::record(dir, issued, documents.clone(), &report.schedule)?;
    scrutiny::build::issue::keep_copies(dir, &report.out, issued, &documents)?;
    let on = scrutiny::base::text::date_words(issued);
    super::say(format!(
        "recorded {} issued on {on} in {}, with a copy of each as sent in {}",
        scrutiny::base::text::count(n, "document", "documents"),
        path.display(),
        dir.join(scrutiny::model::folder::ISSUED)
            .join(issued.to_string())
            .display()
    ));
    if !later.is_empty() {
        super::say(format!(
            "left out {} dated after {on}: record each with `scrutiny issue --date` on the day it is sent",
            scrutiny::base::text::count(later.len(), "document", "documents"),
        ));
    }
    Ok(())
}
