//! Reading a file safely: only regular files, their size checked from their
//! metadata before a byte is read, and (inside a folder) never through a link
//! that leads out of it. Writing one whole or not at all, keeping the
//! permissions of the file it replaces.

use std::fs;
use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};

/// The canonical path of `rel` in `root`, when it is a regular file inside
/// the folder (reached through links or not); else what is wrong, in words.
pub fn inside(root: &Path, rel: &Path) -> Result<PathBuf, String> {
    let base = root
        .canonicalize()
        .map_err(|e| format!("the inspection folder cannot be opened ({e})"))?;
    let full = root.join(rel);
    let target = full
        .canonicalize()
        .map_err(|_| "it is not there (or is a link that leads nowhere)".to_string())?;
    if !target.starts_with(&base) {
        return Err("it is a link that leads outside the inspection folder".into());
    }
    let meta = fs::metadata(&target).map_err(|e| format!("it cannot be read ({e})"))?;
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    Ok(target)
}

/// The bytes of `rel`, a regular file inside `root` of at most `max` bytes
/// (its size read before the file is).
pub fn read_inside(root: &Path, rel: &Path, max: u64) -> Result<Vec<u8>, String> {
    read_regular(&inside(root, rel)?, max)
}

/// The largest returned plan (or `action-plan.toml`) read: far more than a
/// filled form or workbook.
pub const MAX_RETURNED: u64 = 20 << 20;

/// The bytes of `path` when it is a regular file of at most `max` bytes: the
/// size comes from its metadata before any byte is read (so a pipe or a device
/// is never waited on), and the read stops at `max` whatever the file grows to.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = fs::metadata(path).map_err(|e| format!("it cannot be read ({e})"))?;
    if !meta.is_file() {
        return Err("it is not a regular file (a folder, pipe, socket or device)".into());
    }
    let too_big = || format!("it is {}, more than the {} MiB allowed", mib(meta.len()), max >> 20);
    if meta.len() > max {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("it cannot be read ({e})"))?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Writes each of `files` (path, bytes) whole or not at all: its new
/// content goes to a file beside it, renamed over it once written. Each keeps
/// the permissions (and, where the user may set it, the group) it had, so
/// that colleagues who could read it still can; a new file gets the user's
/// usual permissions (their umask applied, e.g. 644). Every new file is made
/// before any is renamed, so a disk that fills up half-way leaves them all as
/// they were, not some old and some new.
pub fn write_all_replacing(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let staged = files
        .iter()
        .map(|(path, bytes)| stage(path, bytes).map(|tmp| (tmp, path)))
        .collect::<Result<Vec<_>>>()?;
    for (tmp, path) in staged {
        tmp.persist(path).map_err(|e| Error::io(path, "write", e.error))?;
    }
    Ok(())
}

/// The new content of `path` in a temporary file beside it (so that the
/// rename is within one file system), with the old file's group and mode.
fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    // What a program gets when it creates a file the ordinary way: read and
    // write for all, less what the umask takes away (the system applies it).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, "write in", e))?;
    if let Ok(old) = fs::metadata(path) {
        keep_owner_and_mode(tmp.as_file(), &old).map_err(|e| Error::io(path, "write", e))?;
    }
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| Error::io(path, "write", e))?;
    Ok(tmp)
}

/// Gives the new file the old one's group (when the user belongs to it; else
/// it keeps the user's own) and its permissions.
fn keep_owner_and_mode(file: &fs::File, old: &fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only a group the user belongs to can be given; otherwise the file is the user's group's.
        let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
    }
    file.set_permissions(old.permissions())
}

/// A size in MiB, in words: "21.3 MiB".
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
}

/// Every file below `root` (not the folders; links not followed), by its
/// slashed path relative to `root`, in name order; or the path that could not
/// be read and why.
pub fn files_below(root: &Path) -> Result<Vec<(String, PathBuf)>, (PathBuf, std::io::Error)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(|e| (e.path().unwrap_or(root).to_path_buf(), e.into()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = crate::base::text::slashed(entry.path().strip_prefix(root).unwrap_or(entry.path()));
        out.push((rel, entry.into_path()));
    }
    out.sort();
    Ok(out)
}
