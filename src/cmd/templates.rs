use std::path::Path;

use scrutiny::Result;

pub fn run(dir: &Path) -> Result<()> {
    let (written, kept) = scrutiny::init::copy_templates(dir)?;
    for p in &written {
        super::say(format!("wrote {}", p.display()));
    }
    for p in &kept {
        super::say(format!("kept  {} (already there)", p.display()));
    }
    super::say("edit any of them, delete the ones you do not change, and run `scrutiny build`");
    Ok(())
}
