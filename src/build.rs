//! The build pipeline: load → validate → plan → render → write.
//!
//! Everything is written to a temporary folder beside OUT, which replaces OUT only
//! when the whole build has succeeded: a failed build leaves OUT as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::docs::{Kind, Plan};
use crate::error::{Error, ErrorKind, Problem, Result};
use crate::out::{
    check_out_folder, copy_tree, files_below, lock_out, manifest_entry, parent_of, recover, refuse_out, sha256_file,
    staging_prefix, swap_into_place, write_marker, MARKER,
};
pub use crate::out::{Manifest, ManifestEntry, MANIFEST};
use crate::render::Engine;
use crate::reuse::Reuse;
use crate::workspace::Workspace;

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
    /// Typeset every document, even those whose inputs have not changed.
    pub full: bool,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub out: PathBuf,
    pub kinds: Vec<Kind>,
    pub written: usize,
    /// How many documents were typeset (the rest were unchanged and kept).
    pub typeset: usize,
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

/// Builds with an already loaded workspace and engine (benchmarks reuse them):
/// plan, stage, guard and render, pack, then swap the staging folder into OUT.
pub fn build_with(ws: &Workspace, engine: &Engine, opts: &BuildOptions) -> Result<BuildReport> {
    let out = opts.out.clone().unwrap_or_else(|| ws.root.join("out"));
    refuse_out(&ws.root, &out)?;
    // One build of an OUT at a time; then clear what killed builds left behind.
    let _lock = lock_out(&out)?;
    recover(&out)?;
    check_out_folder(&ws.root, &out)?;
    let kinds = kinds_to_build(ws, &opts.only)?;
    let plans = kinds
        .iter()
        .map(|k| crate::docs::plan(*k, ws))
        .collect::<Result<Vec<Plan>>>()?;

    let previous = (!opts.full).then(|| crate::out::manifest(&out)).flatten();
    let reuse = Reuse::new(ws, engine, &out, previous);

    // The staging folder is marked as scrutiny's at once: a build killed
    // before the marker would leave a folder no later build may remove.
    let parent = parent_of(&out);
    let tmp = tempfile::Builder::new()
        .prefix(&staging_prefix(&out))
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, "create a temporary folder in", e))?;
    let stage = Stage::new(tmp.path(), &kinds)?;
    if !opts.only.is_empty() {
        stage.keep_others(&out, &kinds)?;
    }
    let warnings = stage.make(ws, engine, plans, &reuse, opts.progress.as_ref())?;
    let manifest = stage.finish(ws)?;
    let written = stage.written.into_inner();
    let typeset = stage.typeset.into_inner();

    swap_into_place(tmp, &out)?;
    // The marker said the folder was scrutiny's while it was made; OUT's
    // manifest says what it holds now.
    let _ = fs::remove_file(out.join(MARKER));
    Ok(BuildReport {
        out,
        kinds,
        written,
        typeset,
        manifest,
        warnings,
    })
}

/// The kinds this build makes: those asked for (all by default) that the
/// folder has what they need for. Asking for one it cannot make is refused.
fn kinds_to_build(ws: &Workspace, only: &[Kind]) -> Result<Vec<Kind>> {
    if let Some(k) = only.iter().find(|k| !k.doc().can_make(ws)) {
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "there is nothing to build for {k}: {} has no findings/ folder{}",
                ws.root.display(),
                if ws.report.is_some() {
                    " with recommendations"
                } else {
                    ""
                }
            ),
        )
        .with_problems(vec![Problem::new(
            "findings/",
            "the folder is missing or has no recommendations",
        )
        .help(
            "the report writers' findings/ folder holds findings.toml and the Markdown prose; \
             `scrutiny init NEW-FOLDER` makes a worked example with a complete one",
        )]));
    }
    let mut kinds = selected_kinds(only);
    kinds.retain(|k| k.doc().can_make(ws));
    Ok(kinds)
}

/// The staging folder a build writes into, and how many files it holds.
struct Stage<'a> {
    dir: &'a Path,
    written: AtomicUsize,
    typeset: AtomicUsize,
    /// Each typeset document's inputs, for the manifest.
    inputs: Mutex<BTreeMap<String, String>>,
}

/// Typst's warnings: the document and the warning.
type Warnings = Vec<(String, crate::error::Problem)>;

impl<'a> Stage<'a> {
    /// Marks `dir` as scrutiny's and makes a folder per kind (an empty folder
    /// still says "this kind was built, and had nothing to make").
    fn new(dir: &'a Path, kinds: &[Kind]) -> Result<Stage<'a>> {
        write_marker(dir, "staging")?;
        for k in kinds {
            fs::create_dir_all(dir.join(k.folder())).map_err(|e| Error::io(dir, "create", e))?;
        }
        Ok(Stage {
            dir,
            written: AtomicUsize::new(0),
            typeset: AtomicUsize::new(0),
            inputs: Mutex::new(BTreeMap::new()),
        })
    }

    /// With --only, the folders of OUT not rebuilt are carried over unchanged.
    fn keep_others(&self, out: &Path, kinds: &[Kind]) -> Result<()> {
        if !out.is_dir() {
            return Ok(());
        }
        let rebuilt: BTreeSet<&str> = kinds.iter().map(|k| k.folder()).collect();
        for entry in fs::read_dir(out).map_err(|e| Error::io(out, "read", e))? {
            let entry = entry.map_err(|e| Error::io(out, "read", e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == MANIFEST || name == MARKER || rebuilt.contains(name.as_str()) {
                continue;
            }
            copy_tree(&entry.path(), &self.dir.join(&name))?;
        }
        Ok(())
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        fs::write(&path, bytes).map_err(|e| Error::io(&path, "write", e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Writes the plans' files and renders their documents, each read by the
    /// disclosure guard first when the partnership receives it.
    fn make(
        &self,
        ws: &Workspace,
        engine: &Engine,
        plans: Vec<Plan>,
        reuse: &Reuse,
        progress: Option<&Progress>,
    ) -> Result<Warnings> {
        let published = Published::new(ws);
        for plan in &plans {
            for (rel, bytes) in &plan.files {
                published.check(rel, bytes, None)?;
                self.write(rel, bytes)?;
            }
        }
        let mut jobs: Vec<_> = plans.into_iter().flat_map(|p| p.jobs).collect();
        for job in &mut jobs {
            job.published = crate::pack::for_cpp(&job.output);
        }
        // A document whose inputs have not changed keeps the bytes it has.
        let mut inputs = self.inputs.lock().expect("inputs");
        let mut changed = Vec::with_capacity(jobs.len());
        for job in jobs {
            let hash = reuse.inputs(&job);
            match reuse.bytes(&job.output, &hash) {
                Some(bytes) => self.write(&job.output, &bytes)?,
                None => changed.push(job.clone()),
            }
            inputs.insert(job.output, hash);
        }
        drop(inputs);
        let jobs = changed;
        let done = AtomicUsize::new(0);
        let total = jobs.len();
        engine.render_all(&jobs, |job, r| {
            if let Some(Progress(tell)) = progress {
                tell(done.fetch_add(1, Ordering::Relaxed) + 1, total, &job.output);
            }
            published.warn(r.warnings.into_iter().map(|w| (job.output.clone(), w)));
            let pdf = match &job.fields {
                Some(fields) => crate::form::add_fields(&r.pdf, fields).map_err(|e| {
                    Error::template(format!("could not make the form {}", job.output))
                        .with_source(crate::render::Detail(e))
                })?,
                None => r.pdf,
            };
            // Read as it is written: the form's tooltips and values included.
            published.check(&job.output, &pdf, r.pages.as_ref())?;
            self.typeset.fetch_add(1, Ordering::Relaxed);
            self.write(&job.output, &pdf)
        })?;
        let mut warnings = published.warnings.into_inner().expect("warnings");
        warnings.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(warnings)
    }

    /// The packs, made from what the stage holds now (so they are remade with
    /// every build), and the manifest, from the bytes read for them (each file
    /// read once).
    fn finish(&self, ws: &Workspace) -> Result<Manifest> {
        let outputs: Vec<(String, PathBuf)> = files_below(self.dir)?
            .into_iter()
            .filter(|(rel, _)| !rel.starts_with("pack/"))
            .collect();
        let mut files: Vec<ManifestEntry> = Vec::with_capacity(outputs.len() + 2);
        crate::pack::write_packs(self.dir, &outputs, &ws.root, |rel, bytes| {
            files.push(manifest_entry(rel, bytes))
        })?;
        for rel in [crate::pack::CPP, crate::pack::ARCHIVE] {
            let (size, sha256) = sha256_file(&self.dir.join(rel))?;
            files.push(ManifestEntry {
                marked: crate::pack::marked(rel),
                path: rel.to_string(),
                size,
                sha256,
                inputs: None,
            });
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let inputs = self.inputs.lock().expect("inputs");
        for f in &mut files {
            f.inputs = inputs.get(&f.path).cloned();
        }
        let manifest = Manifest {
            reference: ws.inspection.reference.clone(),
            generator: format!("scrutiny {}", env!("CARGO_PKG_VERSION")),
            files,
        };
        let json = serde_json::to_vec_pretty(&manifest).expect("serialisable manifest");
        let path = self.dir.join(MANIFEST);
        fs::write(&path, json).map_err(|e| Error::io(&path, "write", e))?;
        Ok(manifest)
    }
}

/// Everything the partnership receives is published: the guard reads it all
/// before it is written (a template or the data can print what the findings
/// do not). Collects the build's warnings too.
struct Published {
    guard: crate::guard::Guard,
    warnings: Mutex<Warnings>,
}

impl Published {
    fn new(ws: &Workspace) -> Published {
        let i = &ws.inspection;
        let people = [i.lead.name.as_str(), i.depute.name.as_str()]
            .into_iter()
            .chain(i.team.iter().map(|t| t.name.as_str()))
            .chain(i.addressees.iter().map(|a| a.name.as_str()));
        Published {
            guard: ws.guard.clone().with_contacts(&ws.contacts, people),
            warnings: Mutex::new(Vec::new()),
        }
    }

    fn warn(&self, more: impl IntoIterator<Item = (String, crate::error::Problem)>) {
        self.warnings.lock().expect("warnings").extend(more);
    }

    /// Refuses `rel` when the partnership receives it and it would identify a child.
    fn check(&self, rel: &str, bytes: &[u8], pages: Option<&crate::guard::published::PageText>) -> Result<()> {
        if !crate::pack::for_cpp(rel) {
            return Ok(());
        }
        let kind = Kind::of_output(rel).map(|k| k.doc());
        let reading = crate::guard::published::read(rel, bytes, pages);
        let mut problems = crate::error::Problems::default();
        // The report and the action plan are the writers' words; the rest are
        // letters and briefings made from the folder's people and dates.
        let prose = kind.is_some_and(|d| d.prose);
        self.guard.check_output(rel, &reading, !prose, &mut problems);
        if kind.is_some_and(|d| d.names_contacts_warned.contains(&rel)) {
            let named = self.guard.contact_warnings(rel, &reading);
            self.warn(named.into_iter().map(|p| (rel.to_string(), p)));
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{rel} would identify a child or link outside the web; nothing was written"),
        )
        .with_problems(problems.into_vec()))
    }
}
