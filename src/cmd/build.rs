use std::path::{Path, PathBuf};

use scrutiny::build::{build, BuildOptions, BuildReport, Progress};
use scrutiny::docs::Kind;
use scrutiny::{Error, ErrorKind, Result};

pub(super) fn run(
    dir: &Path,
    out: Option<PathBuf>,
    only: &[String],
    (full, quiet): (bool, bool),
    date: Option<&str>,
) -> Result<()> {
    let date = date.map(|d| super::date_argument(dir, "--date", d)).transpose()?;
    let report = build_with_bar(dir, out, kinds(only)?, full, false, quiet, date)?;
    if !quiet {
        print_report(&report);
    }
    Ok(())
}

/// The kinds named by `--only`.
pub(super) fn kinds(only: &[String]) -> Result<Vec<Kind>> {
    let mut kinds = Vec::new();
    for name in only {
        match Kind::from_folder(name) {
            Some(k) => kinds.push(k),
            None => {
                let known: Vec<&str> = Kind::all().map(|k| k.folder()).collect();
                return Err(Error::new(
                    ErrorKind::Refused,
                    format!("--only {name}: no such output folder; choose from {}", known.join(", ")),
                ));
            }
        }
    }
    Ok(kinds)
}

/// Builds with a progress bar on a terminal, unless `quiet`.
pub(super) fn build_with_bar(
    dir: &Path,
    out: Option<PathBuf>,
    kinds: Vec<Kind>,
    full: bool,
    record: bool,
    quiet: bool,
    date: Option<chrono::NaiveDate>,
) -> Result<BuildReport> {
    let bar = (!quiet).then(progress_bar);
    let progress = bar.clone().map(|bar| {
        Progress(std::sync::Arc::new(move |done: usize, total: usize, doc: &str| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(doc.split('/').next().unwrap_or_default().to_string());
        }))
    });
    let result = build(
        dir,
        &BuildOptions {
            out,
            only: kinds,
            progress,
            full,
            record,
            preview: false,
            date,
            bounds: Some(super::bounds()?),
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// A progress bar on standard error; indicatif draws nothing when that is not
/// a terminal, so logs and pipes stay clean.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} documents ({msg})").expect("a valid template"),
    );
    bar
}

pub(super) fn print_report(report: &BuildReport) {
    for (document, w) in &report.warnings {
        if w.file == *document {
            super::complain(format!("warning: {w}"))
        } else {
            super::complain(format!("warning: {document}: {w}"))
        }
    }
    let kinds: Vec<String> = report.kinds.iter().map(|k| k.to_string()).collect();
    super::say(format!(
        "built {} ({}; {} typeset{}) into {}",
        scrutiny::base::text::count(report.written, "file", "files"),
        kinds.join(", "),
        scrutiny::base::text::thousands(report.typeset),
        match report.unchanged {
            0 => String::new(),
            n => format!(
                ", {} unchanged",
                scrutiny::base::text::count(n, "document", "documents")
            ),
        },
        report.out.display()
    ));
    print_reissued(report);
    if let Some(line) = waiting(report) {
        super::say(line);
    }
}

/// What the build could not make yet, one clause for each thing awaited:
/// "not made yet: sample and requests (waiting for ...); report (waiting for findings/)".
fn waiting(report: &BuildReport) -> Option<String> {
    let mut by_reason: Vec<(&str, Vec<String>)> = Vec::new();
    for (kind, waits) in &report.waiting {
        match by_reason.iter_mut().find(|(w, _)| w == waits) {
            Some((_, kinds)) => kinds.push(kind.to_string()),
            None => by_reason.push((waits, vec![kind.to_string()])),
        }
    }
    let clauses: Vec<String> = by_reason
        .iter()
        .map(|(waits, kinds)| format!("{} (waiting for {waits})", kinds.join(" and ")))
        .collect();
    (!clauses.is_empty()).then(|| format!("not made yet: {}", clauses.join("; ")))
}

/// The first of the changes, and how many more there are.
fn first_sentence(what: &str) -> String {
    let sentences: Vec<&str> = what.split_inclusive(". ").collect();
    match sentences.len() {
        0 | 1 => what.to_string(),
        n => format!(
            "{} (and {} more)",
            sentences[0].trim_end(),
            scrutiny::base::text::thousands(n - 1)
        ),
    }
}

/// How many documents shown by name before the rest are counted.
const SHOWN_REISSUED: usize = 10;

/// The sent documents that now differ, by the day they were sent; what changed
/// is said without naming a child (this summary carries no marking).
fn print_reissued(report: &BuildReport) {
    let mut by_date: std::collections::BTreeMap<chrono::NaiveDate, Vec<&scrutiny::build::issue::Reissue>> =
        Default::default();
    for r in &report.reissued {
        by_date.entry(r.issued).or_default().push(r);
    }
    for (date, rows) in by_date {
        super::say(format!(
            "{} issued on {} {} now: each new version says what changed and which letter it replaces \
             (listed in {})",
            scrutiny::base::text::count(rows.len(), "document", "documents"),
            scrutiny::base::text::date_words(date),
            if rows.len() == 1 { "differs" } else { "differ" },
            report.out.join(scrutiny::build::issue::REISSUE_CSV).display()
        ));
        for r in rows.iter().take(SHOWN_REISSUED) {
            super::say(format!(
                "  {} ({}): {}",
                r.document,
                r.recipient,
                first_sentence(&r.what_changed)
            ));
        }
        if rows.len() > SHOWN_REISSUED {
            super::say(format!(
                "  and {} more",
                scrutiny::base::text::thousands(rows.len() - SHOWN_REISSUED)
            ));
        }
    }
}
