use std::path::Path;

use scrutiny::Result;

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
