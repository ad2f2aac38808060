//! Nothing is read from outside the inspection folder: a symbolic link that
//! leads out of it, to a folder (which could lead round in a loop) or nowhere
//! is an error naming it, and only regular files are read.

use std::fs;
use std::path::Path;

use walkdir::WalkDir;

use crate::base::error::Problem;

/// Every link, special file or unreadable entry among what scrutiny reads
/// from `root`, each a problem naming it. Walks never follow links.
pub fn scan(root: &Path) -> Vec<Problem> {
    let Ok(base) = root.canonicalize() else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let top = fs::read_dir(root).into_iter().flatten().flatten().map(|e| e.path());
    for path in top {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if crate::model::folder::folders().any(|f| f == name) {
            for entry in WalkDir::new(&path) {
                match entry {
                    Ok(e) => problems.extend(check(root, &base, e.path())),
                    Err(e) => problems.push(
                        Problem::new(
                            shown(root, e.path().unwrap_or(&path)),
                            format!("could not be read ({e})"),
                        )
                        .help("check the folder's permissions"),
                    ),
                }
            }
        } else if is_input(&name) {
            problems.extend(check(root, &base, &path));
        }
    }
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    problems
}

/// A file at the top of the folder that scrutiny reads.
fn is_input(name: &str) -> bool {
    name.ends_with(".toml") || name.ends_with(".csv")
}

/// A problem when `path` is a link that leads out of the folder, to a folder
/// or nowhere, or is neither a file nor a folder.
fn check(root: &Path, base: &Path, path: &Path) -> Option<Problem> {
    let meta = fs::symlink_metadata(path).ok()?;
    let shown = shown(root, path);
    if meta.file_type().is_symlink() {
        let why = match path.canonicalize() {
            Err(_) => "is a link that leads nowhere (or round in a loop)".to_string(),
            Ok(t) if !t.starts_with(base) => {
                format!("is a link to {}, outside the inspection folder", t.display())
            }
            Ok(t) if t.is_dir() => "is a link to a folder; scrutiny does not follow links to folders".to_string(),
            Ok(t) if !t.is_file() => format!("is a link to {}, which is not a file", t.display()),
            Ok(_) => return None,
        };
        return Some(
            Problem::new(shown, why)
                .help("scrutiny reads only files inside the inspection folder: put a copy of the file itself there"),
        );
    }
    if !meta.is_file() && !meta.is_dir() {
        return Some(
            Problem::new(shown, "is not a regular file (a pipe, socket or device)")
                .help("put an ordinary file there, or remove it"),
        );
    }
    None
}

fn shown(root: &Path, path: &Path) -> String {
    crate::base::text::slashed(path.strip_prefix(root).unwrap_or(path))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_folder_to_folders_and_loops_are_named() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("insp");
        fs::create_dir_all(root.join("findings/images")).unwrap();
        fs::create_dir_all(root.join("templates")).unwrap();
        fs::write(root.join("inspection.toml"), "").unwrap();
        fs::write(root.join("findings/a.md"), "").unwrap();
        let link = |a: &Path, b: &Path| std::os::unix::fs::symlink(a, b);
        link(Path::new("/etc/passwd"), &root.join("templates/notice.typ")).unwrap();
        link(&root.join("findings"), &root.join("findings/images/loop")).unwrap();
        link(&root.join("findings/a.md"), &root.join("findings/b.md")).unwrap();
        link(&root.join("nowhere"), &root.join("contacts.csv")).unwrap();
        let p = scan(&root);
        let named: Vec<String> = p.iter().map(|p| p.file.clone()).collect();
        assert_eq!(
            named,
            ["contacts.csv", "findings/images/loop", "templates/notice.typ"].map(String::from),
            "{p:?}"
        );
        assert!(crate::base::files::inside(&root, Path::new("findings/b.md")).is_ok());
        assert!(crate::base::files::inside(&root, Path::new("templates/notice.typ")).is_err());
    }
}
