//! `scrutiny issue`: build, then record what was sent (or, with `--accept`,
//! that changed documents need no new version).

use std::path::{Path, PathBuf};

use scrutiny::{Error, ErrorKind, Result};

pub(super) fn run(
    dir: &Path,
    date: Option<&str>,
    only: &[String],
    accept: &[String],
    out: Option<PathBuf>,
) -> Result<()> {
    let issued = match date {
        Some(d) => super::date_argument(dir, "--date", d)?,
        None => chrono::Local::now().date_naive(),
    };
    let kinds = super::build::kinds(only)?;
    // The documents recorded are those OUT holds once it matches the folder;
    // a replacement is dated the day it is sent.
    let report = super::build::build_with_bar(dir, out, kinds.clone(), false, true, true, Some(issued))?;
    if !accept.is_empty() {
        return accept_changed(dir, issued, accept, report);
    }
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
    // Once its requests are sent, the sample is what was asked for: it is kept.
    let requests_sent = documents.iter().any(|d| d.path.starts_with("requests/"));
    if requests_sent && !dir.join(scrutiny::model::folder::SAMPLE).exists() {
        super::sample::keep(dir)?;
    }
    if !later.is_empty() {
        super::say(format!(
            "left out {} dated after {on}: record each with `scrutiny issue --date` on the day it is sent",
            scrutiny::base::text::count(later.len(), "document", "documents"),
        ));
    }
    Ok(())
}

/// Records that each document named, which differs from what was sent, needs
/// no new version; a path that is not listed in reissue.csv is refused.
fn accept_changed(
    dir: &Path,
    issued: chrono::NaiveDate,
    accept: &[String],
    report: scrutiny::build::BuildReport,
) -> Result<()> {
    let changed: Vec<&str> = report.reissued.iter().map(|r| r.document.as_str()).collect();
    let mut documents = Vec::new();
    for path in accept {
        let path = path.trim_start_matches("out/");
        let made = report.documents.iter().find(|d| d.path == path);
        match made.filter(|_| changed.contains(&path)) {
            Some(d) => documents.push(d.clone()),
            None => {
                return Err(Error::new(
                    ErrorKind::Refused,
                    format!(
                        "--accept {path}: not a sent document that differs; those listed in {} are: {}",
                        scrutiny::build::issue::REISSUE_CSV,
                        if changed.is_empty() {
                            "none".to_string()
                        } else {
                            changed.join(", ")
                        }
                    ),
                ))
            }
        }
    }
    let n = documents.len();
    let path = scrutiny::build::issue::accept(dir, issued, documents, &report.schedule)?;
    super::say(format!(
        "recorded in {} that {} as {} now {} no new version",
        path.display(),
        scrutiny::base::text::count(n, "document", "documents"),
        if n == 1 { "it stands" } else { "they stand" },
        if n == 1 { "needs" } else { "need" },
    ));
    Ok(())
}
