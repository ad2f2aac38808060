use std::path::Path;

use scrutiny::Result;

/// `scrutiny new`: a folder with no data, and what to do next.
pub(super) fn new(dir: &Path) -> Result<()> {
    scrutiny::starter::init::new(dir)?;
    super::say(format!(
        "created {} for a new inspection: inspection.toml (every setting explained, nothing filled in), \
         contacts.csv and population.csv (their first line only)",
        dir.display()
    ));
    super::say(format!(
        "next: run `scrutiny check {0}`, which says what to fill in first",
        dir.display()
    ));
    Ok(())
}

pub(super) fn run(dir: &Path) -> Result<()> {
    scrutiny::starter::init::init(dir)?;
    super::say(format!(
        "created {} with a worked example (synthetic data)",
        dir.display()
    ));
    super::say(format!(
        "next: edit its files, then run `scrutiny check {0}` and `scrutiny build {0}`",
        dir.display()
    ));
    Ok(())
}
