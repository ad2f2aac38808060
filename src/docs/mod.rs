//! One module per document kind. Each turns the checked workspace into render
//! jobs (and any plain files) for its output folder.

pub mod action_plan;
pub mod briefing;
pub mod context;
pub mod letters;
pub mod notice;
pub mod position;
pub mod report;
pub mod requests;
pub mod sample;
pub mod scoping;

use std::fmt;

use schemars::Schema;

use crate::base::error::Result;
use crate::render::Job;
use crate::workspace::Workspace;

/// Every document kind, in build order. Adding a document is a module in
/// `docs/` with its [`Document`], its template(s), and one line here.
pub const REGISTRY: &[&Document] = &[
    &notice::DOC,
    &briefing::DOC,
    &position::DOC,
    &scoping::DOC,
    &sample::DOC,
    &requests::DOC,
    &report::DOC,
    &action_plan::DOC,
];

/// Who an output is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The partnership receives it (in `cpp.zip`), so it is published: the
    /// disclosure guard reads it before it is written.
    Partnership,
    /// It holds personal data: it carries the protective marking, is never in
    /// `cpp.zip` and is never served by `watch`.
    Marked,
    /// The inspection team's own copy (in the archive only).
    Team,
}

/// What a document kind needs from the inspection folder besides its
/// required files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// A `findings/` folder.
    Findings,
    /// A `findings/` folder with at least one recommendation.
    Recommendations,
    /// A `scoping.toml` with at least one area classed.
    Scoping,
}

impl Needs {
    /// What the folder lacks, in words: "findings/ with recommendations".
    pub fn words(self) -> &'static str {
        match self {
            Needs::Nothing => "nothing more",
            Needs::Findings => "findings/",
            Needs::Recommendations => "findings/ with recommendations",
            Needs::Scoping => "scoping.toml",
        }
    }
}

/// A template and what it sees, for `REFERENCE.md`.
pub struct TemplateDoc {
    pub template: &'static str,
    /// What the template makes.
    pub makes: &'static str,
    /// The JSON schema of its own context (beyond [`context::Common`]).
    pub schema: fn() -> Schema,
}

/// A document kind: everything the build, the packs, `watch`, `--only` and the
/// manifest need to know of it.
pub struct Document {
    /// Its folder in `out/`, and its name for `--only`.
    pub folder: &'static str,
    /// What it makes, for `--help`.
    pub summary: &'static str,
    /// Its templates.
    pub templates: &'static [TemplateDoc],
    /// Who each of its outputs is for, by file name in its folder.
    pub audience: fn(&str) -> Audience,
    /// Outputs (relative to `out/`) in which a named contact is worth a
    /// warning: the published text where a person is least expected.
    pub names_contacts_warned: &'static [&'static str],
    pub needs: Needs,
    /// Folders rebuilt with it (`--only requests` redraws the sample).
    pub with: &'static [&'static str],
    /// Its templates that print the findings' Markdown, and so its pictures
    /// (`findings/images/`): a changed picture typesets these again.
    pub pictures: &'static [&'static str],
    /// Turns the checked folder into render jobs and plain files.
    pub plan: fn(&Workspace) -> Result<Plan>,
}

impl Document {
    /// A document the partnership receives, made from the inspection folder
    /// alone; the descriptors of other kinds change what differs.
    pub const fn letters(
        folder: &'static str,
        summary: &'static str,
        templates: &'static [TemplateDoc],
        plan: fn(&Workspace) -> Result<Plan>,
    ) -> Document {
        Document {
            folder,
            summary,
            templates,
            audience: partnership,
            names_contacts_warned: &[],
            needs: Needs::Nothing,
            with: &[],
            pictures: &[],
            plan,
        }
    }

    /// Whether the folder has what the kind needs.
    pub fn can_make(&self, ws: &Workspace) -> bool {
        match self.needs {
            Needs::Nothing => true,
            Needs::Findings => ws.report.is_some(),
            Needs::Scoping => ws.scoping.as_ref().is_some_and(|s| s.phases_done() > 0),
            Needs::Recommendations => ws
                .report
                .as_ref()
                .is_some_and(|r| !r.findings.recommendations.is_empty()),
        }
    }

    /// Whether a change to `rel` (slashed, relative to the inspection
    /// folder) needs this kind made again alone (the folder's table says).
    pub fn reads(&self, rel: &str) -> bool {
        crate::model::folder::entry(rel).is_some_and(|e| e.rebuilds.contains(&self.folder))
    }
}

/// Whether an output (path relative to `out/`) holds personal data, as its
/// document kind says.
pub fn holds_personal_data(rel: &str) -> bool {
    audience(rel) == Some(Audience::Marked)
}

/// Whether the partnership receives this output: it is published, and the
/// disclosure guard reads it.
pub fn for_cpp(rel: &str) -> bool {
    audience(rel) == Some(Audience::Partnership)
}

/// The same audience for every output of a kind.
pub fn partnership(_: &str) -> Audience {
    Audience::Partnership
}

pub fn marked(_: &str) -> Audience {
    Audience::Marked
}

/// A document kind, compared by its folder.
#[derive(Clone, Copy)]
pub struct Kind(pub &'static Document);

impl Kind {
    /// Every kind, in build order.
    pub fn all() -> impl Iterator<Item = Kind> {
        REGISTRY.iter().map(|d| Kind(d))
    }

    pub fn folder(self) -> &'static str {
        self.0.folder
    }

    pub fn doc(self) -> &'static Document {
        self.0
    }

    pub fn from_folder(s: &str) -> Option<Kind> {
        Kind::all().find(|k| k.folder() == s)
    }

    /// Kinds that must be rebuilt with this one.
    pub fn with_dependencies(self) -> Vec<Kind> {
        let mut out: Vec<Kind> = self.0.with.iter().filter_map(|f| Kind::from_folder(f)).collect();
        out.push(self);
        out
    }

    /// The kind an output (relative to `out/`) belongs to.
    pub fn of_output(rel: &str) -> Option<Kind> {
        let (folder, _) = rel.split_once('/')?;
        Kind::from_folder(folder)
    }
}

/// Who an output (relative to `out/`) is for; `None` for what no kind makes
/// (the packs, the manifest).
pub fn audience(rel: &str) -> Option<Audience> {
    let kind = Kind::of_output(rel)?;
    let file = &rel[kind.folder().len() + 1..];
    Some((kind.0.audience)(file))
}

impl PartialEq for Kind {
    fn eq(&self, other: &Self) -> bool {
        self.folder() == other.folder()
    }
}

impl Eq for Kind {}

impl std::hash::Hash for Kind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.folder().hash(state);
    }
}

impl PartialOrd for Kind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.folder().cmp(other.folder())
    }
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kind({})", self.folder())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.folder())
    }
}

/// Every template of every kind, in build order.
pub fn templates() -> impl Iterator<Item = &'static TemplateDoc> {
    REGISTRY.iter().flat_map(|d| d.templates.iter())
}

/// What one kind contributes to a build.
#[derive(Default)]
pub struct Plan {
    pub jobs: Vec<Job>,
    /// Non-PDF files (CSV registers and the like): path relative to `out/`, bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Plans the documents of `kind`.
pub fn plan(kind: Kind, ws: &Workspace) -> Result<Plan> {
    (kind.0.plan)(ws)
}

/// The [`context::Common`] variables as one template value, built once per plan
/// and shared by its jobs (a cheap reference-counted value), so that a build of
/// thousands of letters holds one copy.
pub fn base_context(ws: &Workspace) -> Base {
    Base::new(&context::Common::new(ws))
}

/// What every job of a plan sees beneath its own context, with its digest
/// (computed once: it is the larger part of every letter's context).
pub struct Base {
    value: minijinja::Value,
    digest: [u8; 32],
}

impl Base {
    pub fn new(data: &impl serde::Serialize) -> Base {
        use sha2::{Digest, Sha256};
        Base {
            value: minijinja::Value::from_serialize(data),
            digest: Sha256::digest(serde_json::to_vec(data).unwrap_or_default()).into(),
        }
    }
}

/// A job whose template sees `base` with this job's own typed context on top.
pub fn job(
    template: &'static str,
    output: String,
    base: &Base,
    own: &impl serde::Serialize,
    date: chrono::NaiveDate,
) -> Job {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(base.digest)
        .chain_update(serde_json::to_vec(own).unwrap_or_default())
        .finalize()
        .into();
    Job {
        template,
        output,
        context: minijinja::value::merge_maps([base.value.clone(), minijinja::Value::from_serialize(own)]),
        date,
        published: false,
        fields: None,
        digest: Some(digest),
    }
}
