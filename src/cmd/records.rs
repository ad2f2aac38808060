use std::path::{Path, PathBuf};

use scrutiny::returns::records;
use scrutiny::workspace::Workspace;
use scrutiny::Result;

/// The workbooks, then the folder when the last path is one.
pub(super) fn import(paths: &[PathBuf], replace: bool) -> Result<()> {
    let (dir, files) = match paths.split_last() {
        Some((last, rest)) if last.is_dir() && !rest.is_empty() => (last.as_path(), rest),
        _ => (Path::new("."), paths),
    };
    let ws = Workspace::load(dir)?;
    let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let done = records::import(&ws, &files, replace)?;
    super::say(format!(
        "wrote {}: {} from {}",
        done.path.display(),
        scrutiny::base::text::count(done.children, "child read", "children read"),
        scrutiny::base::text::count(done.workbooks, "workbook", "workbooks")
    ));
    super::say(format!(
        "{} of the sample's {} children now read",
        done.read, done.sampled
    ));
    Ok(())
}
