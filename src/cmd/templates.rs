use std::path::Path;

use scrutiny::Result;

pub fn run(dir: &Path) -> Result<()> {
    let (written, kept) = scrutiny::init::copy_templates(dir)?;
    for p in &written {
        println!("wrote {}", p.display());
    }
    for p in &kept {
        println!("kept  {} (already there)", p.display());
    }
    println!("edit any of them, delete the ones you do not change, and run `scrutiny build`");
    Ok(())
}
