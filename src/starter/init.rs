//! `scrutiny init`: a new inspection folder holding the worked example;
//! `scrutiny new`: one holding no data, every file commented.

use std::fs;
use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::base::error::{Error, ErrorKind, Problem, Result};

/// The worked example (synthetic data), built into the binary.
pub static EXAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/example");

/// A folder holding no data: `inspection.toml` commented and empty,
/// `contacts.csv` and `population.csv` their first line only.
pub static BLANK: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures/blank");

/// Writes the worked example into `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<()> {
    write_new(dir, &EXAMPLE)
}

/// Writes a folder with no data into `dir`, which must not exist or be
/// empty: the start of a real inspection.
pub fn new(dir: &Path) -> Result<()> {
    write_new(dir, &BLANK)
}

fn write_new(dir: &Path, files: &Dir<'static>) -> Result<()> {
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
    write_dir(files, dir)
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
/// there. Returns the paths written and the paths kept. Nothing is written
/// through a link: a link where a template or `REFERENCE.md` goes is refused,
/// before anything is written.
pub fn copy_templates(dir: &Path) -> Result<(Vec<std::path::PathBuf>, Vec<std::path::PathBuf>)> {
    let target = dir.join(crate::model::folder::TEMPLATES);
    let paths: Vec<_> = crate::base::assets::BUNDLED
        .files()
        .map(|f| target.join(f.path()))
        .chain([target.clone(), target.join(REFERENCE)])
        .collect();
    let links: Vec<Problem> = paths
        .iter()
        .filter(|p| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()))
        .map(|p| {
            Problem::new(
                p.display().to_string(),
                "is a link: scrutiny never writes through a link",
            )
            .help("remove the link (or put an ordinary file there) and run `scrutiny templates` again")
        })
        .collect();
    if !links.is_empty() {
        return Err(Error::invalid(links));
    }
    fs::create_dir_all(&target).map_err(|e| Error::io(&target, "create", e))?;
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for f in crate::base::assets::BUNDLED.files() {
        let path = target.join(f.path());
        // create_new: never over a file, nor through a link made meanwhile.
        match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, f.contents()).map_err(|e| Error::io(&path, "write", e))?;
                written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept.push(path),
            Err(e) => return Err(Error::io(&path, "write", e)),
        }
    }
    Ok((written, kept))
}

/// The reference to the templates' variables, beside them.
pub const REFERENCE: &str = "REFERENCE.md";
