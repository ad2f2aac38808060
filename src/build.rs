//! The build pipeline: load → validate → plan → render → write.
//!
//! Everything is written to a temporary folder beside OUT, which replaces OUT only
//! when the whole build has succeeded: a failed build leaves OUT as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::docs::{Kind, Needs, Plan};
use crate::error::{Error, ErrorKind, Problem, Result};
use crate::render::Engine;
use crate::workspace::Workspace;

pub const MANIFEST: &str = "manifest.json";

/// A function told of each document made: (documents done, documents in all, the document).
pub type Tell = dyn Fn(usize, usize, &str) + Send + Sync;

/// Told of each document made.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<Tell>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Told of each document as it is made (the CLI draws a progress bar).
    pub progress: Option<Progress>,
    /// Output folder; default `DIR/out`.
    pub out: Option<PathBuf>,
    /// Rebuild only these kinds (and what they depend on); empty means all.
    pub only: Vec<Kind>,
}

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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub reference: String,
    pub generator: String,
    pub files: Vec<ManifestEntry>,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub out: PathBuf,
    pub kinds: Vec<Kind>,
    pub written: usize,
    pub manifest: Manifest,
    /// Typst's warnings: the document and the warning.
    pub warnings: Vec<(String, crate::error::Problem)>,
}

/// The kinds a build makes: all, or the requested ones with their dependencies.
pub fn selected_kinds(only: &[Kind]) -> Vec<Kind> {
    if only.is_empty() {
        return Kind::all().collect();
    }
    let set: BTreeSet<Kind> = only.iter().flat_map(|k| k.with_dependencies()).collect();
    Kind::all().filter(|k| set.contains(k)).collect()
}

/// Builds the documents of the inspection folder `dir`.
pub fn build(dir: &Path, opts: &BuildOptions) -> Result<BuildReport> {
    let ws = Workspace::load(dir)?;
    let engine = Engine::new(Some(dir))?;
    build_with(&ws, &engine, opts)
}

/// Builds with an already loaded workspace and engine (benchmarks reuse them).
pub fn build_with(ws: &Workspace, engine: &Engine, opts: &BuildOptions) -> Result<BuildReport> {
    let out = opts.out.clone().unwrap_or_else(|| ws.root.join("out"));
    refuse_out(&ws.root, &out)?;
    // One build of an OUT at a time; then clear what killed builds left behind.
    let _lock = lock_out(&out)?;
    recover(&out)?;
    check_out_folder(&ws.root, &out)?;
    if let Some(k) = opts.only.iter().find(|k| k.doc().needs != Needs::Nothing) {
        if ws.report.is_none() {
            return Err(Error::new(
                ErrorKind::Refused,
                format!(
                    "there is nothing to build for {k}: {} has no findings/ folder",
                    ws.root.display()
                ),
            )
            .with_problems(vec![Problem::new("findings/", "the folder is missing").help(
                "the report writers' findings/ folder holds findings.toml and the Markdown prose; \
                 `scrutiny init NEW-FOLDER` makes a worked example with a complete one",
            )]));
        }
    }
    let mut kinds = selected_kinds(&opts.only);
    kinds.retain(|k| k.doc().can_make(ws));
    let mut plans: Vec<Plan> = Vec::new();
    for k in &kinds {
        plans.push(crate::docs::plan(*k, ws)?);
    }

    let parent = parent_of(&out);
    let tmp = tempfile::Builder::new()
        .prefix(&staging_prefix(&out))
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, "create a temporary folder in", e))?;
    let stage = tmp.path();
    write_marker(stage, "staging")?;

    // With --only, the other folders are carried over unchanged.
    if !opts.only.is_empty() && out.is_dir() {
        let rebuilt: BTreeSet<&str> = kinds.iter().map(|k| k.folder()).collect();
        for entry in fs::read_dir(&out).map_err(|e| Error::io(&out, "read", e))? {
            let entry = entry.map_err(|e| Error::io(&out, "read", e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == MANIFEST || name == MARKER || rebuilt.contains(name.as_str()) {
                continue;
            }
            copy_tree(&entry.path(), &stage.join(&name))?;
        }
    }

    let written = AtomicUsize::new(0);
    let write = |rel: &str, bytes: &[u8]| -> Result<()> {
        let path = stage.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, "write", e))?;
        written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    };
    for k in &kinds {
        // An empty folder still says "this kind was built, and had nothing to make".
        fs::create_dir_all(stage.join(k.folder())).map_err(|e| Error::io(stage, "create", e))?;
    }
    // Everything the partnership receives is published: the guard reads it all
    // before it is written (a template or the data can print what the findings do not).
    let i = &ws.inspection;
    let people = [i.lead.name.as_str(), i.depute.name.as_str()]
        .into_iter()
        .chain(i.team.iter().map(|t| t.name.as_str()))
        .chain(i.addressees.iter().map(|a| a.name.as_str()));
    let guard = ws.guard.clone().with_contacts(&ws.contacts, people);
    let warnings = Mutex::new(Vec::new());
    let published = |rel: &str, bytes: &[u8], pages: Option<&crate::guard::published::PageText>| -> Result<()> {
        if !crate::pack::for_cpp(rel) {
            return Ok(());
        }
        let reading = crate::guard::published::read(rel, bytes, pages);
        let mut problems = crate::error::Problems::default();
        // The report and the action plan are the writers' words; the rest are
        // letters and briefings made from the folder's people and dates.
        let prose = Kind::of_output(rel).is_some_and(|k| k.doc().prose);
        guard.check_output(rel, &reading, !prose, &mut problems);
        if Kind::of_output(rel).is_some_and(|k| k.doc().names_contacts_warned.contains(&rel)) {
            let named = guard.contact_warnings(rel, &reading);
            let mut w = warnings.lock().expect("warnings");
            w.extend(named.into_iter().map(|p| (rel.to_string(), p)));
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{rel} would identify a child or link outside the web; nothing was written"),
        )
        .with_problems(problems.into_vec()))
    };
    for plan in &plans {
        for (rel, bytes) in &plan.files {
            published(rel, bytes, None)?;
            write(rel, bytes)?;
        }
    }
    let mut jobs: Vec<_> = plans.into_iter().flat_map(|p| p.jobs).collect();
    for job in &mut jobs {
        job.published = crate::pack::for_cpp(&job.output);
    }
    let done = AtomicUsize::new(0);
    let total = jobs.len();
    engine.render_all(&jobs, |job, r| {
        if let Some(Progress(tell)) = &opts.progress {
            tell(done.fetch_add(1, Ordering::Relaxed) + 1, total, &job.output);
        }
        warnings
            .lock()
            .expect("warnings")
            .extend(r.warnings.into_iter().map(|w| (job.output.clone(), w)));
        let pdf = match &job.fields {
            Some(fields) => crate::form::add_fields(&r.pdf, fields).map_err(|e| {
                Error::template(format!("could not make the form {}", job.output)).with_source(crate::render::Detail(e))
            })?,
            None => r.pdf,
        };
        // Read as it is written: the form's tooltips and values included.
        published(&job.output, &pdf, r.pages.as_ref())?;
        write(&job.output, &pdf)
    })?;
    let mut warnings = warnings.into_inner().expect("warnings");
    warnings.sort_by(|a, b| a.0.cmp(&b.0));

    // The packs hold what the stage holds now, so they are remade with every
    // build; the manifest is made from the bytes read for them (each file read once).
    let outputs: Vec<(String, PathBuf)> = files_below(stage)?
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with("pack/"))
        .collect();
    let mut files: Vec<ManifestEntry> = Vec::with_capacity(outputs.len() + 2);
    crate::pack::write_packs(stage, &outputs, &ws.root, |rel, bytes| {
        files.push(manifest_entry(rel, bytes))
    })?;
    for rel in [crate::pack::CPP, crate::pack::ARCHIVE] {
        let (size, sha256) = sha256_file(&stage.join(rel))?;
        files.push(ManifestEntry {
            marked: crate::pack::marked(rel),
            path: rel.to_string(),
            size,
            sha256,
        });
        written.fetch_add(1, Ordering::Relaxed);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        reference: ws.inspection.reference.clone(),
        generator: format!("scrutiny {}", env!("CARGO_PKG_VERSION")),
        files,
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("serialisable manifest");
    fs::write(stage.join(MANIFEST), json).map_err(|e| Error::io(&stage.join(MANIFEST), "write", e))?;

    swap_into_place(tmp, &out)?;
    // The marker said the folder was scrutiny's while it was made; OUT's
    // manifest says what it holds now.
    let _ = fs::remove_file(out.join(MARKER));
    Ok(BuildReport {
        out,
        kinds,
        written: written.into_inner(),
        manifest,
        warnings,
    })
}

/// A build replaces OUT whole, so OUT must hold nothing but scrutiny's own
/// earlier output: never the inspection folder itself or a folder above it,
/// and no file that the last build's manifest does not list (or that has been
/// changed since). Such files are named, and nothing is written or deleted.
fn check_out_folder(root: &Path, out: &Path) -> Result<()> {
    if !out.is_dir() {
        return Ok(());
    }
    let listed = read_manifest(out);
    let mut strays = Vec::new();
    for (rel, path) in files_below(out)? {
        if rel == MANIFEST && listed.is_some() {
            continue;
        }
        let why = match listed.as_ref().and_then(|m| m.get(&rel)) {
            None => "not made by scrutiny",
            Some(sha) => {
                if sha256_file(&path)?.1 == *sha {
                    continue;
                }
                "changed since scrutiny made it"
            }
        };
        strays.push(
            Problem::new(shown(root, &path), why.to_string())
                .help("move it out of this folder, e.g. next to the inspection folder, then build again"),
        );
    }
    if strays.is_empty() {
        return Ok(());
    }
    let n = strays.len();
    let what = if listed.is_some() {
        format!("{n} file{} that scrutiny did not make", if n == 1 { "" } else { "s" })
    } else {
        format!(
            "{n} file{} and no {MANIFEST}, so it is not an earlier scrutiny output",
            if n == 1 { "" } else { "s" }
        )
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

/// The files the manifest in `out` lists, by path, with their SHA-256; `None`
/// when there is no readable manifest.
fn read_manifest(out: &Path) -> Option<BTreeMap<String, String>> {
    let text = fs::read(out.join(MANIFEST)).ok()?;
    let m: Manifest = serde_json::from_slice(&text).ok()?;
    Some(m.files.into_iter().map(|e| (e.path, e.sha256)).collect())
}

/// A path as the user knows it: relative to the inspection folder when inside it.
fn shown(root: &Path, path: &Path) -> String {
    slashed(path.strip_prefix(root).unwrap_or(path))
}

/// A path with forward slashes, as the manifest writes it on every system.
pub(crate) fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Replaces `out` with the finished staging folder.
/// The folder OUT sits in.
fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn out_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Staging folders of builds of this OUT: `.scrutiny-build-out-XXXX`.
fn staging_prefix(out: &Path) -> String {
    format!(".scrutiny-build-{}-", out_name(out))
}

/// Holds the build lock of OUT for as long as the file lives: a second build of
/// the same folder is refused rather than racing the first. The lock is taken
/// on the folder OUT sits in, so that nothing is left behind.
/// (Where a folder cannot be opened as a file, as on Windows, there is no lock.)
fn lock_out(out: &Path) -> Result<Option<fs::File>> {
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
fn recover(out: &Path) -> Result<()> {
    let parent = parent_of(out);
    let Ok(entries) = fs::read_dir(&parent) else {
        return Ok(());
    };
    let aside = format!(".{}.old-", out_name(out));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        // Only folders that scrutiny marked as its own: a folder of the user's
        // that happens to have such a name is never touched.
        if name.starts_with(&staging_prefix(out)) && marked_by_scrutiny(&path, "staging") {
            fs::remove_dir_all(&path).map_err(|e| Error::io(&path, "remove a killed build's folder", e))?;
        } else if name.starts_with(&aside) && marked_by_scrutiny(&path, "aside") {
            if out.exists() {
                fs::remove_dir_all(&path).map_err(|e| Error::io(&path, "remove", e))?;
            } else {
                fs::rename(&path, out).map_err(|e| Error::io(out, "restore", e))?;
                let marker = out.join(MARKER);
                fs::remove_file(&marker).map_err(|e| Error::io(&marker, "remove", e))?;
            }
        }
    }
    Ok(())
}

/// The file that marks a folder as scrutiny's own while it works on it.
const MARKER: &str = ".scrutiny-folder";

/// Marks `dir` as scrutiny's: what it is for, this process, and a random
/// token that the folder's name ends with.
fn write_marker(dir: &Path, what: &str) -> Result<()> {
    write_marker_named(dir, what, dir)
}

/// Marks `dir`, about to be renamed `to`, with the token `to`'s name ends with.
fn write_marker_named(dir: &Path, what: &str, to: &Path) -> Result<()> {
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let token = name.rsplit('-').next().unwrap_or("");
    let text = format!("scrutiny {what}\npid {}\ntoken {token}\n", std::process::id());
    let path = dir.join(MARKER);
    fs::write(&path, text).map_err(|e| Error::io(&path, "write", e))
}

/// Whether `dir` holds the marker scrutiny wrote for `what`, with the token
/// its name ends with.
fn marked_by_scrutiny(dir: &Path, what: &str) -> bool {
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
fn refuse_out(root: &Path, out: &Path) -> Result<()> {
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
fn exchange(stage: &Path, out: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, stage, CWD, out, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_stage: &Path, _out: &Path) -> bool {
    false
}

fn swap_into_place(tmp: tempfile::TempDir, out: &Path) -> Result<()> {
    let stage = tmp.keep();
    if out.exists() && exchange(&stage, out) {
        // `stage` now holds the old OUT.
        let _ = fs::remove_dir_all(&stage);
        return Ok(());
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
            let _ = fs::remove_dir_all(&old);
        }
        // Marked first, so that a build killed now finds it and puts it back.
        write_marker_named(out, "aside", &old)?;
        fs::rename(out, &old).map_err(|e| Error::io(out, "move aside", e))?;
        if let Err(e) = fs::rename(&stage, out) {
            let _ = fs::rename(&old, out);
            let _ = fs::remove_file(out.join(MARKER));
            let _ = fs::remove_dir_all(&stage);
            return Err(Error::io(out, "replace", e));
        }
        let _ = fs::remove_dir_all(&old);
    } else if let Err(e) = fs::rename(&stage, out) {
        let _ = fs::remove_dir_all(&stage);
        return Err(Error::io(out, "create", e));
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to).map_err(|e| Error::io(to, "create", e))?;
        for entry in fs::read_dir(from).map_err(|e| Error::io(from, "read", e))? {
            let entry = entry.map_err(|e| Error::io(from, "read", e))?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else {
        fs::copy(from, to).map_err(|e| Error::io(from, "copy", e))?;
    }
    Ok(())
}

/// A file's line in the manifest.
fn manifest_entry(rel: &str, bytes: &[u8]) -> ManifestEntry {
    ManifestEntry {
        marked: crate::pack::marked(rel),
        path: rel.to_string(),
        size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
    }
}

/// Every file (not folder) below `root`, sorted by path: (path relative to
/// `root` with forward slashes, as the manifest writes it; full path).
fn files_below(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(root).to_path_buf();
            Error::io(&path, "read", e.into())
        })?;
        if entry.file_type().is_dir() || (entry.depth() == 1 && entry.file_name() == MARKER) {
            continue;
        }
        let rel = slashed(entry.path().strip_prefix(root).expect("below root"));
        out.push((rel, entry.into_path()));
    }
    out.sort();
    Ok(out)
}

/// A file's size and SHA-256, read as a stream: a pack can be larger than
/// all the letters together.
fn sha256_file(path: &Path) -> Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let size = fs::File::open(path)
        .and_then(|mut f| std::io::copy(&mut f, &mut hasher))
        .map_err(|e| Error::io(path, "read", e))?;
    Ok((size, format!("{:x}", hasher.finalize())))
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}
