//! Incremental builds: each document's inputs have a hash, recorded in the
//! manifest; a build typesets only the documents whose hash changed and takes
//! the others' bytes from the current OUT, after checking them against the
//! manifest's SHA-256 (any doubt, and the document is typeset).
//!
//! A document's inputs are everything that can change its bytes: the program's
//! version, the templates (bundled and the folder's own), the document's
//! context as data, its date and form fields, the folder's other files a
//! template could read (pictures), and, for what the partnership receives, the
//! files the disclosure guard is made from (so that a guard that now refuses
//! an old document is asked again).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::build::out::{ManifestEntry, Verified};
use crate::render::{Engine, Job};
use crate::workspace::Workspace;

/// What a build may reuse, and the hashes shared by every document.
pub struct Reuse<'a> {
    /// The current OUT and its files as checked against its manifest;
    /// nothing is reused with `full`.
    out: PathBuf,
    verified: &'a Verified,
    full: bool,
    /// The templates (bundled and the folder's own) and the fonts.
    templates: String,
    /// The folder's files that templates may read besides the data, outside
    /// `findings/`, and (for the documents made from the findings) in it.
    folder: String,
    findings: String,
    /// What the disclosure guard is made from.
    guard: String,
}

impl<'a> Reuse<'a> {
    /// Nothing is reused with `full`, or when OUT has no readable manifest.
    pub fn new(ws: &Workspace, engine: &Engine, out: &Path, verified: &'a Verified, full: bool) -> Reuse<'a> {
        Reuse {
            out: out.to_path_buf(),
            verified,
            full,
            templates: hex(Sha256::new().chain_update(engine.fingerprint())),
            folder: folder_fingerprint(&ws.root, out, false),
            findings: folder_fingerprint(&ws.root, out, true),
            guard: guard_fingerprint(ws),
        }
    }

    /// The hash of what makes what `job`'s document says: its templates, the
    /// folder's files they read, its data, its date and its fields. The same
    /// across versions of scrutiny, so that a document is compared with what
    /// was sent by what it says (see [`crate::build::issue`]).
    pub fn content(&self, job: &Job) -> String {
        let mut h = Sha256::new();
        for part in [
            self.templates.as_str(),
            self.folder.as_str(),
            job.template,
            job.output.as_str(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        match job.digest {
            Some(d) => h.update(d),
            None => h.update(serde_json::to_vec(&job.context).unwrap_or_default()),
        }
        h.update(job.date.to_string().as_bytes());
        if let Some(fields) = &job.fields {
            h.update(format!("{fields:?}").as_bytes());
        }
        let shows_pictures =
            crate::docs::Kind::of_output(&job.output).is_some_and(|k| k.doc().pictures.contains(&job.template));
        if shows_pictures {
            h.update(self.findings.as_bytes());
        }
        hex(h)
    }

    /// The hash of everything that makes `job`'s bytes: what it says, the
    /// program's version, and for what the partnership receives, the guard.
    pub fn inputs(&self, job: &Job) -> String {
        let mut h = Sha256::new();
        h.update(self.content(job));
        h.update(env!("CARGO_PKG_VERSION"));
        h.update([u8::from(job.published)]);
        if job.published {
            h.update(self.guard.as_bytes());
            h.update(crate::guard::RULES.to_le_bytes());
        }
        hex(h)
    }

    /// The file of the current OUT that `rel` can keep, when its recorded
    /// inputs are `inputs` (and, as every file of OUT, it is still what the
    /// manifest says): its path and its entry.
    pub fn kept(&self, rel: &str, inputs: &str) -> Option<(PathBuf, &'a ManifestEntry)> {
        if self.full {
            return None;
        }
        let entry = self.verified.get(rel)?;
        (entry.inputs.as_deref() == Some(inputs)).then(|| (self.out.join(rel), entry))
    }

    /// The entry of `rel` in the current OUT, whatever its inputs.
    pub fn current(&self, rel: &str) -> Option<&'a ManifestEntry> {
        self.verified.get(rel)
    }

    /// The current OUT.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The current OUT's files, for the packs to copy from; none with `full`.
    pub fn previous(&self) -> Option<crate::build::pack::Previous<'a>> {
        (!self.full).then(|| crate::build::pack::Previous {
            out: self.out.clone(),
            files: self.verified,
        })
    }
}

/// What the disclosure guard is made from: every child (population.csv) and
/// the names of the people the letters concern. A contact's new e-mail
/// address does not change it, so it does not make every published document again.
pub fn guard_fingerprint(ws: &Workspace) -> String {
    let mut h = Sha256::new();
    h.update(std::fs::read(ws.root.join("population.csv")).unwrap_or_default());
    for name in ws.people().chain(ws.contacts.iter().map(|c| c.name.as_str())) {
        h.update([0]);
        h.update(name);
    }
    hex(h)
}

fn hex(h: Sha256) -> String {
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The names and bytes of `paths` (a missing one counts as empty).
fn hash_files(paths: impl IntoIterator<Item = PathBuf>) -> String {
    let mut h = Sha256::new();
    for path in paths {
        h.update(path.to_string_lossy().as_bytes());
        h.update(std::fs::read(&path).unwrap_or_default());
    }
    hex(h)
}

/// The folder's files other than its data, OUT and hidden entries: the
/// pictures and anything else a template may read; those in `findings/`, or
/// those outside it.
fn folder_fingerprint(root: &Path, out: &Path, findings: bool) -> String {
    let files = crate::base::files::files_below(root).unwrap_or_default();
    let out = out.strip_prefix(root).map(crate::base::text::slashed).ok();
    let readable = files.into_iter().filter(|(rel, _)| {
        let first = rel.split('/').next().unwrap_or_default();
        let in_findings = first == "findings";
        // The findings' text reaches documents through their context.
        let data = crate::model::folder::entry(rel).is_some_and(|e| e.through_context)
            || (in_findings && [".md", ".toml", ".csv"].iter().any(|e| rel.ends_with(e)));
        let elsewhere = first.starts_with('.')
            || first == "issued"
            || first == "out"
            || out.as_deref().is_some_and(|o| rel.starts_with(&format!("{o}/")));
        in_findings == findings && !data && !elsewhere
    });
    hash_files(readable.map(|(_, path)| path))
}
