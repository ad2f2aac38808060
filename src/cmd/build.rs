use std::path::{Path, PathBuf};

use scrutiny::build::{build, BuildOptions, BuildReport, Progress};
use scrutiny::docs::Kind;
use scrutiny::{Error, ErrorKind, Result};

pub fn run(dir: &Path, out: Option<PathBuf>, only: &[String], full: bool, quiet: bool) -> Result<()> {
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
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = result?;
    if !quiet {
        print_report(&report);
    }
    Ok(())
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

pub fn print_report(report: &BuildReport) {
    for (document, w) in &report.warnings {
        match w.file == *document {
            true => super::complain(format!("warning: {w}")),
            false => super::complain(format!("warning: {document}: {w}")),
        }
    }
    let kinds: Vec<String> = report.kinds.iter().map(|k| k.to_string()).collect();
    super::say(format!(
        "built {} ({}; {} typeset, the rest unchanged) into {}",
        scrutiny::text::count(report.written, "file", "files"),
        kinds.join(", "),
        scrutiny::text::thousands(report.typeset),
        report.out.display()
    ));
}
