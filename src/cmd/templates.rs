use std::path::Path;

use scrutiny::{Error, Result};

pub(super) fn run(dir: &Path) -> Result<()> {
    let (written, kept) = scrutiny::starter::init::copy_templates(dir)?;
    for p in &written {
        super::say(format!("wrote {}", p.display()));
    }
    for p in &kept {
        super::say(format!("kept  {} (already there)", p.display()));
    }
    // The reference describes this version of scrutiny, so it is always rewritten.
    let reference = dir
        .join(scrutiny::model::folder::TEMPLATES)
        .join(scrutiny::starter::init::REFERENCE);
    std::fs::write(
        &reference,
        scrutiny::starter::reference::reference_with(&scrutiny::programme::build::templates())?,
    )
    .map_err(|e| Error::io(&reference, "write", e))?;
    super::say(format!(
        "wrote {} (every template's variables and filters)",
        reference.display()
    ));
    super::say("edit any of them, delete the ones you do not change, and run `scrutiny build`");
    Ok(())
}
