//! The output folder OUT: one build at a time (a lock), a staging folder
//! beside it that becomes OUT in one step, recovery after a killed build that
//! touches only folders scrutiny marked as its own, and the manifest of what OUT
//! holds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::base::error::{Error, ErrorKind, Problem, Result};
use crate::base::text::slashed;

/// The manifest's name in OUT.
pub const MANIFEST: &str = "manifest.json";

/// One file of the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManifestEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
    /// Whether the file holds personal data (the marked letters, the sample):
    /// never in `pack/cpp.zip`.
    #[serde(default)]
    pub marked: bool,
    /// A hash of everything that makes a typeset document (see [`crate::build::reuse`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub reference: String,
    pub generator: String,
    pub files: Vec<ManifestEntry>,
}

/// What OUT holds now, as its manifest lists it and each file still is:
/// (path, entry). Filled by [`check_out_folder`], which hashes every file.
pub(crate) type Verified = BTreeMap<String, ManifestEntry>;

/// A build replaces OUT whole, so OUT must hold nothing but scrutiny's own
/// earlier output: never the inspection folder itself or a folder above it,
/// and no file that the last build's manifest does not list (or that has been
/// changed since). Such files are named, and nothing is written or deleted.
/// Gives back the files that are what the manifest says (all of them).
pub(crate) fn check_out_folder(root: &Path, out: &Path) -> Result<Verified> {
    if !out.is_dir() {
        return Ok(Verified::new());
    }
    let manifest = manifest(out);
    let has_manifest = manifest.is_some();
    let mut listed: BTreeMap<String, ManifestEntry> = manifest
        .map(|m| m.files.into_iter().map(|e| (e.path.clone(), e)).collect())
        .unwrap_or_default();
    let files: Vec<(String, PathBuf)> = files_below(out)?
        .into_iter()
        .filter(|(rel, _)| !(rel == MANIFEST && has_manifest))
        .collect();
    let hashes = sha256_files(
        files
            .iter()
            .filter(|(rel, _)| listed.contains_key(rel))
            .map(|(_, p)| p.as_path()),
    )?;
    let mut hashes = hashes.into_iter();
    let mut strays = Vec::new();
    let mut verified = Verified::new();
    for (rel, path) in &files {
        let why = match listed.remove(rel) {
            None => "not made by scrutiny",
            Some(entry) => {
                let (size, sha) = hashes.next().expect("one hash per listed file");
                if sha == entry.sha256 && size == entry.size {
                    verified.insert(rel.clone(), entry);
                    continue;
                }
                "changed since scrutiny made it"
            }
        };
        strays.push(
            Problem::new(shown(root, path), why.to_string())
                .help("move it out of this folder, e.g. next to the inspection folder, then build again"),
        );
    }
    if strays.is_empty() {
        return Ok(verified);
    }
    let n = strays.len();
    let files = crate::base::text::count(n, "file", "files");
    let what = if has_manifest {
        format!("{files} that scrutiny did not make")
    } else {
        format!("{files} and no {MANIFEST}, so it is not an earlier scrutiny output")
    };
    Err(Error::new(
        ErrorKind::Refused,
        format!(
            "{} holds {what}; a build replaces that folder, so it stopped before writing anything \
             (nothing was deleted). Move {} out, or build into another folder with --out",
            out.display(),
            if n == 1 { "it" } else { "them" }
        ),
    )
    .with_problems(strays))
}

/// A file's size and SHA-256 (hex).
type SizeAndHash = (u64, String);

/// Each file's size and SHA-256, in the order given, hashed on every core:
/// a build checks every file of OUT before it reuses any.
pub(crate) fn sha256_files<'a>(paths: impl Iterator<Item = &'a Path>) -> Result<Vec<SizeAndHash>> {
    let paths: Vec<&Path> = paths.collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<SizeAndHash>>>> =
        paths.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                *results[i].lock().expect("hash") = Some(sha256_file(path));
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().expect("hash").expect("every file hashed"))
        .collect()
}

/// OUT's manifest, when it has one that reads.
pub fn manifest(out: &Path) -> Option<Manifest> {
    let text = fs::read(out.join(MANIFEST)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// A path as the user knows it: relative to the inspection folder when inside it.
pub(crate) fn shown(root: &Path, path: &Path) -> String {
    slashed(path.strip_prefix(root).unwrap_or(path))
}

/// A path with forward slashes, as the manifest writes it on every system.
/// Replaces `out` with the finished staging folder.
/// The folder OUT sits in.
pub(crate) fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub(crate) fn out_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Staging folders of builds of this OUT: `.scrutiny-build-out-XXXX`.
pub(crate) fn staging_prefix(out: &Path) -> String {
    format!(".scrutiny-build-{}-", out_name(out))
}

/// Holds the build lock of OUT for as long as the file lives: a second build of
/// the same folder is refused rather than racing the first. The lock is taken
/// on the folder OUT sits in, so that nothing is left behind.
/// (Where a folder cannot be opened as a file, as on Windows, there is no lock.)
pub(crate) fn lock_out(out: &Path) -> Result<Option<fs::File>> {
    let parent = parent_of(out);
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, "create", e))?;
    let Ok(file) = fs::File::open(&parent) else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Err(Error::new(
            ErrorKind::Refused,
            format!(
                "another scrutiny build of {} is running (or `scrutiny watch`); wait for it to finish and build again",
                out.display()
            ),
        )),
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// What killed builds of OUT left behind: their staging folders are removed,
/// and an OUT moved aside is put back if OUT is missing (else removed).
/// Called with the lock held, so no build of OUT is running.
pub(crate) fn recover(out: &Path) -> Result<()> {
    let parent = parent_of(out);
    let Ok(entries) = fs::read_dir(&parent) else {
        return Ok(());
    };
    // A build killed between swapping its tree into OUT and removing the
    // staging marker (or while marking the old OUT) leaves the marker in OUT:
    // OUT itself is whole (its manifest was written before the swap).
    let in_out = out.join(MARKER);
    if fs::symlink_metadata(&in_out).is_ok_and(|m| m.is_file()) {
        fs::remove_file(&in_out).map_err(|e| Error::io(&in_out, "remove a killed build's marker", e))?;
    }
    let aside = format!(".{}.old-", out_name(out));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        // Only folders that scrutiny marked as its own: a folder of the user's
        // that happens to have such a name is never touched.
        if name.starts_with(&staging_prefix(out)) && marked_by_scrutiny(&path, "staging") {
            remove_marked(&path).map_err(|e| Error::io(&path, "remove a killed build's folder", e))?;
        } else if name.starts_with(&staging_prefix(out)) && is_empty_dir(&path) {
            // A build killed between making its folder and marking it: an
            // empty folder holds nothing to lose (`remove_dir` refuses any other).
            let _ = fs::remove_dir(&path);
        } else if name.starts_with(&staging_prefix(out)) && holds_only_a_half_written_marker(&path, "staging") {
            // Killed while writing the marker: nothing else was made yet.
            let _ = fs::remove_file(path.join(MARKER));
            let _ = fs::remove_dir(&path);
        } else if name.starts_with(&aside) && marked_by_scrutiny(&path, "aside") {
            if out.exists() {
                remove_marked(&path).map_err(|e| Error::io(&path, "remove", e))?;
            } else {
                fs::rename(&path, out).map_err(|e| Error::io(out, "restore", e))?;
                let marker = out.join(MARKER);
                fs::remove_file(&marker).map_err(|e| Error::io(&marker, "remove", e))?;
            }
        }
    }
    Ok(())
}

/// Removes a folder scrutiny marked as its own, the marker last: a build
/// killed part way leaves the folder still marked (or empty), so the next
/// build recognises it and finishes the job.
pub(crate) fn remove_marked(dir: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)?.flatten() {
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(&path)?
        } else {
            fs::remove_file(&path)?
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// The file that marks a folder as scrutiny's own while it works on it.
pub(crate) const MARKER: &str = ".scrutiny-folder";

/// Marks `dir` as scrutiny's: what it is for, this process, and a random
/// token that the folder's name ends with.
pub(crate) fn write_marker(dir: &Path, what: &str) -> Result<()> {
    write_marker_named(dir, what, dir)
}

/// Marks `dir`, about to be renamed `to`, with the token `to`'s name ends with.
pub(crate) fn write_marker_named(dir: &Path, what: &str, to: &Path) -> Result<()> {
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let token = name.rsplit('-').next().unwrap_or("");
    let text = format!("scrutiny {what}\npid {}\ntoken {token}\n", std::process::id());
    let path = dir.join(MARKER);
    fs::write(&path, text).map_err(|e| Error::io(&path, "write", e))
}

/// A real folder (not a link) holding nothing but a marker that a killed
/// build began to write for `what` (empty, or cut short before its token).
fn holds_only_a_half_written_marker(dir: &Path, what: &str) -> bool {
    let real_dir = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    let names: Vec<_> = match fs::read_dir(dir) {
        Ok(d) => d.flatten().map(|e| e.file_name()).collect(),
        Err(_) => return false,
    };
    let marker = dir.join(MARKER);
    let only_marker =
        names.len() == 1 && names[0] == MARKER && fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file());
    let Ok(text) = fs::read_to_string(&marker) else {
        return false;
    };
    let head = format!("scrutiny {what}\n");
    let begun = head.starts_with(&text) || text.starts_with(&head) && !text.contains("token ");
    real_dir && only_marker && text.len() < 256 && begun
}

/// A real folder (not a link) with nothing in it.
fn is_empty_dir(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Whether `dir` holds the marker scrutiny wrote for `what`, with the token
/// its name ends with.
pub(crate) fn marked_by_scrutiny(dir: &Path, what: &str) -> bool {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    if !meta.is_dir() {
        return false;
    }
    let Ok(text) = fs::read_to_string(dir.join(MARKER)) else {
        return false;
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let token = name.rsplit('-').next().unwrap_or("");
    let mut lines = text.lines();
    lines.next() == Some(&format!("scrutiny {what}"))
        && lines.next().is_some_and(|l| l.starts_with("pid "))
        && lines.next() == Some(&format!("token {token}"))
        && !token.is_empty()
}

/// An OUT that is a file, the current folder, the inspection folder or a
/// folder holding it is refused before anything is written.
pub(crate) fn refuse_out(root: &Path, out: &Path) -> Result<()> {
    let refuse = |why: String| {
        Err(Error::new(
            ErrorKind::Refused,
            format!(
                "--out {} {why}; nothing was written. Choose a folder of its own, e.g. {}",
                out.display(),
                root.join("out").display()
            ),
        ))
    };
    if out.file_name().is_none() || out.as_os_str().is_empty() {
        return refuse("is not a folder of its own".into());
    }
    if let Ok(meta) = fs::symlink_metadata(out) {
        if !meta.is_dir() {
            return refuse("is a file (or a link), not a folder".into());
        }
    }
    let (Ok(r), Ok(cwd)) = (root.canonicalize(), std::env::current_dir()) else {
        return Ok(());
    };
    let target = match out.canonicalize() {
        Ok(o) => o,
        Err(_) => cwd.join(out),
    };
    if r.starts_with(&target) {
        return refuse("is the inspection folder or holds it, and a build replaces its OUT whole".into());
    }
    if cwd.starts_with(&target) {
        return refuse("is the folder you are working in, or holds it".into());
    }
    Ok(())
}

/// Swaps OUT and the new tree in one step where Linux offers it.
#[cfg(target_os = "linux")]
pub(crate) fn exchange(stage: &Path, out: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, stage, CWD, out, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn exchange(_stage: &Path, _out: &Path) -> bool {
    false
}

/// A build's staging folder: removed, its marker last, when dropped before it
/// takes OUT's place (a failed build), so a kill part way leaves it marked.
pub(crate) struct Staging(Option<tempfile::TempDir>);

impl Staging {
    pub(crate) fn new(tmp: tempfile::TempDir) -> Staging {
        Staging(Some(tmp))
    }

    pub(crate) fn path(&self) -> &Path {
        self.0.as_ref().expect("a staging folder until it is kept").path()
    }

    fn keep(mut self) -> std::path::PathBuf {
        self.0.take().expect("a staging folder until it is kept").keep()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(tmp) = self.0.take() {
            let _ = remove_marked(&tmp.keep());
        }
    }
}

pub(crate) fn swap_into_place(tmp: Staging, out: &Path) -> Result<()> {
    let stage = tmp.keep();
    // The old OUT is marked with the staging folder's token before the two
    // change places: a build killed before it is removed leaves a folder the
    // next build recognises as its own and removes.
    if out.exists() && write_marker_named(out, "staging", &stage).is_ok() {
        if exchange(&stage, out) {
            // `stage` now holds the old OUT, marked.
            let _ = remove_marked(&stage);
            return Ok(());
        }
        let _ = fs::remove_file(out.join(MARKER));
    }
    if out.exists() {
        // Named with the staging folder's random token: no folder of the user's is in the way.
        let token = stage
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let token = token.rsplit('-').next().unwrap_or("");
        let old = out.with_file_name(format!(".{}.old-{}{token}", out_name(out), std::process::id()));
        if marked_by_scrutiny(&old, "aside") {
            let _ = remove_marked(&old);
        }
        // Marked first, so that a build killed now finds it and puts it back.
        write_marker_named(out, "aside", &old)?;
        fs::rename(out, &old).map_err(|e| Error::io(out, "move aside", e))?;
        if let Err(e) = fs::rename(&stage, out) {
            let _ = fs::rename(&old, out);
            let _ = fs::remove_file(out.join(MARKER));
            let _ = remove_marked(&stage);
            return Err(Error::io(out, "replace", e));
        }
        let _ = remove_marked(&old);
    } else if let Err(e) = fs::rename(&stage, out) {
        let _ = remove_marked(&stage);
        return Err(Error::io(out, "create", e));
    }
    Ok(())
}

/// Puts `from`'s file at `to` without copying its bytes where the system
/// allows (a hard link: OUT and the staging folder sit side by side), else a copy.
pub(crate) fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(p) = to.parent() {
        fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
    }
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to).map(|_| ()).map_err(|e| Error::io(from, "copy", e))
}

/// A file's line in the manifest.
pub(crate) fn manifest_entry(rel: &str, bytes: &[u8]) -> ManifestEntry {
    ManifestEntry {
        marked: crate::docs::holds_personal_data(rel),
        path: rel.to_string(),
        size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        inputs: None,
    }
}

/// Every file (not folder) below `root`, sorted by path: (path relative to
/// `root` with forward slashes, as the manifest writes it; full path).
pub(crate) fn files_below(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let files = crate::base::files::files_below(root).map_err(|(path, e)| Error::io(&path, "read", e))?;
    Ok(files.into_iter().filter(|(rel, _)| rel != MARKER).collect())
}

/// A file's size and SHA-256, read as a stream: a pack can be larger than
/// all the letters together.
pub(crate) fn sha256_file(path: &Path) -> Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let size = fs::File::open(path)
        .and_then(|mut f| std::io::copy(&mut f, &mut hasher))
        .map_err(|e| Error::io(path, "read", e))?;
    Ok((size, format!("{:x}", hasher.finalize())))
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_left_in_out_by_a_killed_build_is_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(out.join("notice")).unwrap();
        fs::write(out.join("notice/a.pdf"), b"%PDF").unwrap();
        write_marker(&out, "staging").unwrap();
        recover(&out).unwrap();
        assert!(!out.join(MARKER).exists());
        assert_eq!(fs::read(out.join("notice/a.pdf")).unwrap(), b"%PDF");
    }
}
