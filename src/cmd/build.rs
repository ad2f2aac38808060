use std::path::{Path, PathBuf};

use scrutiny::build::{build, BuildOptions, BuildReport};
use scrutiny::docs::Kind;
use scrutiny::{Error, ErrorKind, Result};

pub fn run(dir: &Path, out: Option<PathBuf>, only: &[String]) -> Result<()> {
    let mut kinds = Vec::new();
    for name in only {
        match Kind::from_folder(name) {
            Some(k) => kinds.push(k),
            None => {
                let known: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
                return Err(Error::new(
                    ErrorKind::Refused,
                    format!("--only {name}: no such output folder; choose from {}", known.join(", ")),
                ));
            }
        }
    }
    let report = build(dir, &BuildOptions { out, only: kinds })?;
    print_report(&report);
    Ok(())
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
        "built {} file{} ({}) into {}",
        report.written,
        if report.written == 1 { "" } else { "s" },
        kinds.join(", "),
        report.out.display()
    ));
}
