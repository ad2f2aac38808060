use std::path::Path;

use scrutiny::Result;

pub fn run(dir: &Path) -> Result<()> {
    scrutiny::init::init(dir)?;
    println!("created {} with a worked example (synthetic data)", dir.display());
    println!(
        "next: edit its files, then run `scrutiny check {0}` and `scrutiny build {0}`",
        dir.display()
    );
    Ok(())
}
