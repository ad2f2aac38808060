//! `scrutiny init`: a new inspection folder holding the worked example.

use std::fs;
use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::error::{Error, ErrorKind, Result};

/// The worked example (synthetic data), built into the binary.
pub static EXAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/example");

/// Writes the worked example into `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io(dir, "read", e))?;
        if entries.next().is_some() {
            return Err(Error::new(
                ErrorKind::Refused,
                format!(
                    "{} already exists and is not empty; choose a new folder name",
                    dir.display()
                ),
            ));
        }
    }
    write_dir(&EXAMPLE, dir)
}

fn write_dir(d: &Dir<'static>, root: &Path) -> Result<()> {
    fs::create_dir_all(root).map_err(|e| Error::io(root, "create", e))?;
    for f in d.files() {
        let path = root.join(f.path());
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        fs::write(&path, f.contents()).map_err(|e| Error::io(&path, "write", e))?;
    }
    for sub in d.dirs() {
        write_dir(sub, root)?;
    }
    Ok(())
}

/// Copies the built-in templates into `dir/templates`, keeping any file already
/// there. Returns the paths written and the paths kept.
pub fn copy_templates(dir: &Path) -> Result<(Vec<std::path::PathBuf>, Vec<std::path::PathBuf>)> {
    let target = dir.join(crate::render::world::OVERRIDE_DIR);
    fs::create_dir_all(&target).map_err(|e| Error::io(&target, "create", e))?;
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for f in crate::render::world::BUNDLED.files() {
        let path = target.join(f.path());
        if path.exists() {
            kept.push(path);
            continue;
        }
        fs::write(&path, f.contents()).map_err(|e| Error::io(&path, "write", e))?;
        written.push(path);
    }
    Ok((written, kept))
}
