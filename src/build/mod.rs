//! The build pipeline: load → validate → plan → render → write.
//!
//! Everything is written to a temporary folder beside OUT, which replaces OUT only
//! when the whole build has succeeded: a failed build leaves OUT as it was.

pub mod issue;
pub mod out;
pub mod pack;
pub mod reuse;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::base::error::{Error, ErrorKind, Problem, Result};
use crate::build::issue::{Issued, Reissue};
use crate::build::out::{
    check_out_folder, link_or_copy, lock_out, manifest_entry, parent_of, recover, refuse_out, staging_prefix,
    swap_into_place, write_marker, Verified, MARKER,
};
pub use crate::build::out::{Manifest, ManifestEntry, MANIFEST};
use crate::build::reuse::Reuse;
use crate::docs::context::Replaces;
use crate::docs::{Kind, Plan};
use crate::render::{Engine, Job};
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
    /// Give back, for `scrutiny issue`, what each document says
    /// ([`BuildReport::documents`]).
    pub record: bool,
    /// Remake only the web pages (`.html`) of the kinds built (and the packs):
    /// every other document and `reissue.csv` stay as OUT holds them, to be
    /// made by the next build. `watch` shows a report writer the new web page
    /// at once this way, then builds the rest.
    pub preview: bool,
    /// The day a replacement of a document sent is dated (the day it is
    /// sent); default today.
    pub date: Option<chrono::NaiveDate>,
    /// Typeset the folder's own templates, if it has any, in a child process
    /// within these limits (see [`crate::render::bounded`]); `None` typesets them here.
    pub bounds: Option<crate::render::bounded::Bounds>,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub out: PathBuf,
    pub kinds: Vec<Kind>,
    pub written: usize,
    /// How many documents were typeset.
    pub typeset: usize,
    /// How many documents were unchanged and kept as OUT held them.
    pub unchanged: usize,
    pub manifest: Manifest,
    /// Typst's warnings: the document and the warning.
    pub warnings: Vec<(String, crate::base::error::Problem)>,
    /// The issued documents that now differ from what was sent (`reissue.csv`).
    pub reissued: Vec<Reissue>,
    /// With [`BuildOptions::record`], each document made, as `scrutiny issue` records it.
    pub documents: Vec<Issued>,
    /// The kinds asked for that could not be made yet, each with what it
    /// waits for ("the population list in population.csv, due ...").
    pub waiting: Vec<(Kind, String)>,
    /// The schedule the documents were made with.
    pub schedule: crate::rules::schedule::Schedule,
}

/// The kinds a build makes: all, or the requested ones with their dependencies.
pub fn selected_kinds(only: &[Kind]) -> Vec<Kind> {
    if only.is_empty() {
        return Kind::all().collect();
    }
    let set: BTreeSet<Kind> = only.iter().flat_map(|k| k.with_dependencies()).collect();
    Kind::all().filter(|k| set.contains(k)).collect()
}

/// Builds the documents of the inspection folder `dir`. Once OUT is locked,
/// its files are checked against its manifest while the folder loads.
pub fn build(dir: &Path, opts: &BuildOptions) -> Result<BuildReport> {
    // Nothing is made (not even OUT's lock) for a folder that is not an inspection's.
    crate::workspace::check_folder(dir)?;
    let out = out_of(dir, opts);
    let lock = take_out(dir, &out)?;
    let (loaded, verified) = std::thread::scope(|s| {
        let check = s.spawn(|| check_out_folder(dir, &out));
        let loaded = Workspace::load(dir).and_then(|ws| Ok((Engine::new(Some(dir))?.bounded(opts.bounds.clone()), ws)));
        (loaded, check.join().expect("the check of OUT does not panic"))
    });
    // The folder's own problems come first: they are the ones to fix.
    let (engine, ws) = loaded?;
    build_checked(&ws, &engine, opts, out, lock, verified?)
}

/// Builds with an already loaded workspace and engine (benchmarks reuse them).
pub fn build_with(ws: &Workspace, engine: &Engine, opts: &BuildOptions) -> Result<BuildReport> {
    let out = out_of(&ws.root, opts);
    let lock = take_out(&ws.root, &out)?;
    let verified = check_out_folder(&ws.root, &out)?;
    build_checked(ws, engine, opts, out, lock, verified)
}

fn out_of(root: &Path, opts: &BuildOptions) -> PathBuf {
    opts.out.clone().unwrap_or_else(|| root.join("out"))
}

/// One build of an OUT at a time (the lock lives as long as the file); then
/// what killed builds left behind is cleared.
fn take_out(root: &Path, out: &Path) -> Result<Option<fs::File>> {
    refuse_out(root, out)?;
    let lock = lock_out(out)?;
    recover(out)?;
    Ok(lock)
}

/// Plan, stage, guard and render, pack, then swap the staging folder into
/// OUT, whose files are `verified`.
fn build_checked(
    ws: &Workspace,
    engine: &Engine,
    opts: &BuildOptions,
    out: PathBuf,
    _lock: Option<fs::File>,
    verified: Verified,
) -> Result<BuildReport> {
    let kinds = kinds_to_build(ws, &opts.only)?;
    let waiting: Vec<(Kind, String)> = selected_kinds(&opts.only)
        .into_iter()
        .filter_map(|k| k.doc().waits_for(ws).map(|w| (k, w)))
        .collect();
    let plans = kinds
        .iter()
        .map(|k| crate::docs::plan(*k, ws))
        .collect::<Result<Vec<Plan>>>()?;

    let reuse = Reuse::new(ws, engine, &out, &verified, opts.full);

    // The staging folder is marked as scrutiny's at once: a build killed
    // before the marker would leave a folder no later build may remove.
    let parent = parent_of(&out);
    let tmp = crate::build::out::Staging::new(
        tempfile::Builder::new()
            .prefix(&staging_prefix(&out))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, "create a temporary folder in", e))?,
    );
    let stage = Stage::new(tmp.path(), &kinds)?;
    if !opts.only.is_empty() {
        stage.keep_others(&out, &verified, &kinds)?;
    }
    let dated = opts.date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut compare = Compare::new(ws, engine, &reuse, opts.record, !opts.preview, dated)?;
    let warnings = stage.make(ws, engine, plans, &reuse, &mut compare, opts)?;
    let reissued = if !opts.preview {
        compare.finish(&stage, &out, &kinds, &verified)?
    } else {
        stage.keep_as_is(&out, &verified, crate::build::issue::REISSUE_CSV)?;
        Vec::new()
    };
    if kinds.iter().any(|k| k.folder() == crate::docs::mail::FOLDER) {
        stage.mail(ws)?;
    }
    let manifest = stage.finish(ws, &reuse)?;
    let written = manifest.files.len();
    let typeset = stage.typeset.into_inner();
    let unchanged = stage.unchanged.into_inner();
    let sha: BTreeMap<&str, &str> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    let mut documents = compare.documents;
    for d in &mut documents {
        d.sha256 = sha.get(d.path.as_str()).map(|s| s.to_string()).unwrap_or_default();
    }

    swap_into_place(tmp, &out)?;
    // The marker said the folder was scrutiny's while it was made; OUT's
    // manifest says what it holds now.
    let _ = fs::remove_file(out.join(MARKER));
    Ok(BuildReport {
        out,
        kinds,
        written,
        typeset,
        unchanged,
        manifest,
        warnings,
        reissued,
        documents,
        waiting,
        schedule: ws.schedule.clone(),
    })
}

/// The kinds this build makes: those asked for (all by default) that the
/// folder has what they need for. Asking for one it cannot make is refused.
fn kinds_to_build(ws: &Workspace, only: &[Kind]) -> Result<Vec<Kind>> {
    if let Some(k) = only.iter().find(|k| !k.doc().can_make(ws)) {
        if k.doc().needs == crate::docs::Needs::Population {
            return Err(Error::new(
                ErrorKind::Refused,
                format!(
                    "there is nothing to build for {k} yet: it waits for {}",
                    k.doc().waits_for(ws).unwrap_or_default()
                ),
            )
            .with_problems(vec![Problem::new(
                crate::model::folder::POPULATION,
                "the file lists no children yet",
            )
            .help("when the operational managers return the population list, read it in with `scrutiny population import FILE`")]));
        }
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

/// The staging folder a build writes into, and the manifest entry of each
/// file it holds (a typeset document's with its inputs).
struct Stage<'a> {
    dir: &'a Path,
    typeset: AtomicUsize,
    unchanged: AtomicUsize,
    files: Mutex<BTreeMap<String, ManifestEntry>>,
}

/// Typst's warnings: the document and the warning.
type Warnings = Vec<(String, crate::base::error::Problem)>;

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
            typeset: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            files: Mutex::new(BTreeMap::new()),
        })
    }

    /// With --only, the folders of OUT not rebuilt are carried over unchanged
    /// (the packs are made again from what the stage then holds).
    fn keep_others(&self, out: &Path, verified: &Verified, kinds: &[Kind]) -> Result<()> {
        let rebuilt: BTreeSet<&str> = kinds.iter().map(|k| k.folder()).chain(["pack"]).collect();
        for (rel, entry) in verified {
            let first = rel.split('/').next().unwrap_or_default();
            if rel == MANIFEST || rel == crate::build::issue::REISSUE_CSV || rebuilt.contains(first) {
                continue;
            }
            self.keep(&out.join(rel), entry)?;
        }
        Ok(())
    }

    /// Writes a file made by this build; `inputs` for a typeset document.
    fn write(&self, rel: &str, bytes: &[u8], inputs: Option<String>) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        // A kept file is a hard link to OUT's: it is replaced, never written through.
        let _ = fs::remove_file(&path);
        fs::write(&path, bytes).map_err(|e| Error::io(&path, "write", e))?;
        let entry = ManifestEntry {
            inputs,
            ..manifest_entry(rel, bytes)
        };
        self.files.lock().expect("files").insert(rel.to_string(), entry);
        Ok(())
    }

    /// The letters ready to send, made from the letters the stage holds now.
    fn mail(&self, ws: &Workspace) -> Result<()> {
        let messages = crate::docs::mail::messages(ws, |rel| fs::read(self.dir.join(rel)).ok())?;
        for (rel, bytes) in messages {
            self.write(&rel, &bytes, None)?;
        }
        Ok(())
    }

    /// Keeps `rel` as OUT holds it, when OUT holds it.
    fn keep_as_is(&self, out: &Path, verified: &Verified, rel: &str) -> Result<()> {
        match verified.get(rel) {
            Some(entry) => self.keep(&out.join(rel), entry),
            None => Ok(()),
        }
    }

    /// Keeps a file of the current OUT, checked against its manifest entry.
    fn keep(&self, from: &Path, entry: &ManifestEntry) -> Result<()> {
        link_or_copy(from, &self.dir.join(&entry.path))?;
        self.files
            .lock()
            .expect("files")
            .insert(entry.path.clone(), entry.clone());
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
        compare: &mut Compare,
        opts: &BuildOptions,
    ) -> Result<Warnings> {
        let (preview, progress) = (opts.preview, opts.progress.as_ref());
        let published = Published::new(ws);
        for plan in &plans {
            for (rel, bytes) in &plan.files {
                published.check(rel, bytes, None, None)?;
                self.write(rel, bytes, None)?;
            }
        }
        let mut jobs: Vec<_> = plans.into_iter().flat_map(|p| p.jobs).collect();
        for job in &mut jobs {
            job.published = crate::docs::read_by_guard(&job.output);
        }
        // A document whose inputs have not changed keeps the file it has.
        let mut changed = Vec::with_capacity(jobs.len());
        for job in jobs {
            if preview && !job.output.ends_with(".html") {
                if let Some(entry) = reuse.current(&job.output) {
                    self.keep(&out_path(reuse, &job.output), entry)?;
                    self.unchanged.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
            }
            let job = compare.job(job)?;
            let hash = reuse.inputs(&job);
            match reuse.kept(&job.output, &hash) {
                Some((from, entry)) => {
                    self.keep(&from, entry)?;
                    self.unchanged.fetch_add(1, Ordering::Relaxed);
                }
                None => changed.push((job, hash)),
            }
        }
        let (jobs, hashes): (Vec<Job>, Vec<String>) = changed.into_iter().unzip();
        let hashes: BTreeMap<&str, &String> = jobs.iter().map(|j| j.output.as_str()).zip(&hashes).collect();
        let done = AtomicUsize::new(0);
        let total = jobs.len();
        engine.render_all(&jobs, |job, r| {
            if let Some(Progress(tell)) = progress {
                tell(done.fetch_add(1, Ordering::Relaxed) + 1, total, &job.output);
            }
            published.warn(r.warnings.into_iter().map(|w| (job.output.clone(), w)));
            let pdf = with_fields(job, r.pdf)?;
            // Read as it is written: the form's tooltips and values included.
            published.check(&job.output, &pdf, r.pages.as_ref(), Some(job))?;
            self.typeset.fetch_add(1, Ordering::Relaxed);
            self.write(
                &job.output,
                &pdf,
                hashes.get(job.output.as_str()).map(|h| h.to_string()),
            )
        })?;
        let mut warnings = published.warnings.into_inner().expect("warnings");
        // The folder's own warnings, with Typst's.
        warnings.extend(ws.warnings.iter().map(|w| (w.file.clone(), w.clone())));
        warnings.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(warnings)
    }

    /// The packs, made from what the stage holds now (kept when that is what
    /// the current OUT's were made from), and the manifest, from the entries of
    /// the files written and kept: nothing is read again.
    /// (Even a preview remakes the packs: a pack in OUT always holds the
    /// files the manifest lists, which the next build relies on.)
    fn finish(&self, ws: &Workspace, reuse: &Reuse) -> Result<Manifest> {
        let mut files: Vec<ManifestEntry> = self.files.lock().expect("files").values().cloned().collect();
        let outputs: Vec<crate::build::pack::Output> = files
            .iter()
            .map(|e| crate::build::pack::Output {
                rel: e.path.clone(),
                path: self.dir.join(&e.path),
                sha256: e.sha256.clone(),
            })
            .collect();
        files.extend(crate::build::pack::write_packs(
            self.dir,
            &outputs,
            &ws.root,
            reuse.previous().as_ref(),
        )?);
        files.sort_by(|a, b| a.path.cmp(&b.path));
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

/// Where the current OUT holds `rel`.
fn out_path(reuse: &Reuse, rel: &str) -> PathBuf {
    reuse.out().join(rel)
}

/// A form's fields added to its typeset pages.
fn with_fields(job: &Job, pdf: Vec<u8>) -> Result<Vec<u8>> {
    match &job.fields {
        Some(fields) => crate::formats::form::add_fields(&pdf, fields).map_err(|e| {
            Error::template(format!("could not make the form {}", job.output)).with_source(crate::render::Detail(e))
        }),
        None => Ok(pdf),
    }
}

/// Each document compared with what was last sent of it (see [`crate::build::issue`]).
struct Compare<'a> {
    ws: &'a Workspace,
    engine: &'a Engine,
    reuse: &'a Reuse<'a>,
    /// The last issue of each document sent: its date and record.
    sent: BTreeMap<String, (chrono::NaiveDate, Issued)>,
    record: bool,
    made: BTreeSet<String>,
    rows: Vec<Reissue>,
    documents: Vec<Issued>,
    /// The day a replacement is dated.
    dated: chrono::NaiveDate,
    /// The hash of what each changed document says now, recorded as needing
    /// no new version since it was last sent (`scrutiny issue --accept`).
    accepted: BTreeMap<String, String>,
}

impl<'a> Compare<'a> {
    /// Compares with what was sent when `compare`, else only records.
    fn new(
        ws: &'a Workspace,
        engine: &'a Engine,
        reuse: &'a Reuse<'a>,
        record: bool,
        compare: bool,
        dated: chrono::NaiveDate,
    ) -> Result<Compare<'a>> {
        let none = Vec::new();
        let issues = if compare { &ws.issues } else { &none };
        Ok(Compare {
            ws,
            engine,
            reuse,
            sent: crate::build::issue::latest(issues)
                .into_iter()
                .map(|(path, (date, issued))| (path.to_string(), (date, issued.clone())))
                .collect(),
            record,
            made: BTreeSet::new(),
            rows: Vec::new(),
            documents: Vec::new(),
            dated,
            accepted: crate::build::issue::accepted(issues),
        })
    }

    /// The job as it is to be made: a document that now says something
    /// other than what was sent says which letter it replaces and what changed.
    fn job(&mut self, job: Job) -> Result<Job> {
        self.made.insert(job.output.clone());
        let sent = self.sent.get(&job.output).cloned();
        if !self.record && sent.is_none() {
            return Ok(job);
        }
        let content = self.reuse.content(&job);
        let unchanged = sent.as_ref().is_some_and(|(_, was)| was.content == content)
            || self.accepted.get(&job.output) == Some(&content);
        if !self.record && unchanged {
            // What it says is what was sent: its facts are not needed.
            return Ok(job);
        }
        let replaced = match sent.filter(|_| !unchanged) {
            Some((date, was)) => self.replaces(&job, date, &was)?,
            None => None,
        };
        let job = match replaced {
            Some(replaces) => {
                let mut job = job.with(&crate::docs::context::ReplacesContext { replaces: &replaces });
                job.date = self.dated;
                job
            }
            None => job,
        };
        if self.record && crate::docs::audience(&job.output).is_some_and(|a| a != crate::docs::Audience::Team) {
            self.documents.push(Issued {
                path: job.output.clone(),
                recipient: crate::build::issue::recipient_words(&job.facts, &format!("the {}", self.ws.inspection.cpp)),
                sha256: String::new(),
                content,
                facts: job.facts.clone(),
                date: Some(job.date),
            });
        }
        Ok(job)
    }

    /// What a document sent on `date` as `was`, which now says something
    /// else, says at its head (and its row of `reissue.csv`); none when only
    /// what makes it changed, not its bytes.
    fn replaces(&mut self, job: &Job, date: chrono::NaiveDate, was: &Issued) -> Result<Option<Replaces>> {
        let said = crate::build::issue::changes(&was.facts, &job.facts);
        if said.is_empty() {
            // Nothing it states has changed: it differs only if its bytes do.
            let pdf = with_fields(job, self.engine.render(job)?.pdf)?;
            if crate::build::out::sha256_hex(&pdf) == was.sha256 {
                return Ok(None);
            }
        }
        let mut replaces = crate::build::issue::replaces(&job.output, date, said, self.dated);
        replaces
            .people
            .extend(was.facts.recipient.iter().map(|p| p.name.clone()));
        self.rows.push(Reissue {
            document: job.output.clone(),
            recipient: was.recipient.clone(),
            issued: date,
            what_changed: crate::build::issue::all_changes(&replaces),
        });
        Ok(Some(replaces))
    }

    /// The documents sent that this build no longer makes, then `reissue.csv`
    /// (with, after `--only`, the rows of the kinds not made this time).
    fn finish(&mut self, stage: &Stage, out: &Path, kinds: &[Kind], verified: &Verified) -> Result<Vec<Reissue>> {
        let final_report = self
            .ws
            .report
            .as_ref()
            .is_some_and(|r| r.findings.status == crate::model::findings::Status::Final);
        for (path, (date, was)) in &self.sent {
            let built = Kind::of_output(path).is_some_and(|k| kinds.contains(&k));
            if !built || self.made.contains(path) {
                continue;
            }
            let what_changed = if final_report && crate::build::issue::of_the_draft(path) {
                if crate::build::issue::final_sent_after(&self.sent, *date) {
                    continue;
                }
                crate::build::issue::SUPERSEDED
            } else {
                crate::build::issue::WITHDRAWN
            };
            self.rows.push(Reissue {
                document: path.clone(),
                recipient: was.recipient.clone(),
                issued: *date,
                what_changed: what_changed.into(),
            });
        }
        let mut rows = self.rows.clone();
        if verified.contains_key(crate::build::issue::REISSUE_CSV) {
            if let Ok(bytes) = fs::read(out.join(crate::build::issue::REISSUE_CSV)) {
                let others = crate::build::issue::read_csv(&bytes)
                    .into_iter()
                    .filter(|r| !Kind::of_output(&r.document).is_some_and(|k| kinds.contains(&k)));
                rows.extend(others);
            }
        }
        rows.sort_by(|a, b| a.document.cmp(&b.document));
        if !rows.is_empty() {
            stage.write(crate::build::issue::REISSUE_CSV, &crate::build::issue::csv(&rows), None)?;
        }
        Ok(rows)
    }
}

/// Everything the partnership receives is published: the guard reads it all
/// before it is written (the folder's own files were read where they were
/// written; this is the second line, for what a template prints). Collects
/// the build's warnings too.
struct Published {
    guard: crate::guard::Guard,
    warnings: Mutex<Warnings>,
}

impl Published {
    fn new(ws: &Workspace) -> Published {
        Published {
            guard: ws.guard.clone(),
            warnings: Mutex::new(Vec::new()),
        }
    }

    fn warn(&self, more: impl IntoIterator<Item = (String, crate::base::error::Problem)>) {
        self.warnings.lock().expect("warnings").extend(more);
    }

    /// Refuses `rel` when the partnership receives it and it would identify a
    /// child; a name is allowed only as a person the `job`'s data holds (no
    /// job: a file made from the folder's fields alone, which may name anyone
    /// the inspection knows).
    fn check(
        &self,
        rel: &str,
        bytes: &[u8],
        pages: Option<&crate::guard::published::PageText>,
        job: Option<&Job>,
    ) -> Result<()> {
        if !crate::docs::read_by_guard(rel) {
            return Ok(());
        }
        let people = job.map(|j| self.guard.printed_people(&j.context));
        let kind = Kind::of_output(rel).map(|k| k.doc());
        let reading = crate::guard::published::read(rel, bytes, pages);
        let mut problems = crate::base::error::Problems::default();
        let people = people.unwrap_or_else(|| self.guard.everyone());
        self.guard.check_output(rel, &reading, &people, &mut problems);
        if kind.is_some_and(|d| d.names_contacts_warned.contains(&rel)) {
            let named = self.guard.contact_warnings(rel, &reading);
            self.warn(named.into_iter().map(|p| (rel.to_string(), p)));
        }
        crate::guard::refuse(
            rel,
            "would identify a child, link outside the web or carry a file",
            problems,
        )
    }
}
