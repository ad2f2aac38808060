//! One module per document kind. Each turns the checked workspace into render
//! jobs (and any plain files) for its output folder, and says on each job what
//! its document states (its facts: the dates it prints, as its template
//! declares them, the person it is addressed to, the children it lists), for
//! `scrutiny issue` to record and a reissue to compare.

pub mod action_plan;
pub mod briefing;
pub mod context;
pub mod letters;
pub mod mail;
pub mod notice;
pub mod position;
pub mod publication;
pub mod report;
pub mod requests;
pub mod sample;
pub mod scoping;

use std::fmt;

use schemars::Schema;

use crate::base::error::Result;
use crate::model::facts::Facts;
use crate::render::Job;
use crate::rules::schedule::{Schedule, Step};
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
    &mail::DOC,
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
    /// The team's, for the press: not in `cpp.zip`, but made public on
    /// publication day, so the disclosure guard reads it as it reads what
    /// the partnership receives, and `scrutiny issue` records it.
    Press,
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
    /// Children in `population.csv`: the population list returned.
    Population,
}

impl Needs {
    /// What the folder lacks, in words: "findings/ with recommendations".
    pub fn words(self) -> &'static str {
        match self {
            Needs::Nothing => "nothing more",
            Needs::Findings => "findings/",
            Needs::Recommendations => "findings/ with recommendations",
            Needs::Scoping => "scoping.toml",
            Needs::Population => "the population list in population.csv",
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
    /// The schedule's steps whose dates every document of it prints (in
    /// `schedule`, `steps`, its own context or a template it includes; a
    /// document that prints more, such as the scoping tool's later phases,
    /// adds them with [`state`]). A reissue says which of them moved.
    pub dates: &'static [Step],
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
            Needs::Population => !ws.population.is_empty(),
            Needs::Recommendations => ws
                .report
                .as_ref()
                .is_some_and(|r| !r.findings.recommendations.is_empty()),
        }
    }

    /// What the folder still waits for before this kind can be made, in
    /// words ("the population list in population.csv, due Wednesday 13
    /// February 2013"); none when it can be made.
    pub fn waits_for(&self, ws: &Workspace) -> Option<String> {
        if self.can_make(ws) {
            return None;
        }
        Some(match self.needs {
            Needs::Population => format!(
                "{}, due {}",
                self.needs.words(),
                crate::base::text::date_words_long(ws.schedule.day(Step::PopulationListDue))
            ),
            needs => needs.words().to_string(),
        })
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

/// Whether the disclosure guard reads this output before it is written:
/// everything the partnership receives, and what goes to the press.
pub fn read_by_guard(rel: &str) -> bool {
    matches!(audience(rel), Some(Audience::Partnership | Audience::Press))
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

/// The steps whose dates every document of `template` prints, as its kind
/// declares them (a folder's own template is taken to print what the
/// built-in one of its name does).
pub fn dates_printed(template: &str) -> &'static [Step] {
    templates().find(|t| t.template == template).map_or(&[], |t| t.dates)
}

/// Adds to `facts` the dates of `steps` as `schedule` has them.
pub fn state(facts: &mut Facts, schedule: &Schedule, steps: &[Step]) {
    for &step in steps {
        let span = schedule.span(step);
        facts.date(step.key(), step.label(), span.start, span.end);
    }
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
/// (computed once: it is the larger part of every letter's context), and the
/// schedule its documents' dates are stated from.
pub struct Base {
    value: minijinja::Value,
    digest: [u8; 32],
    schedule: Schedule,
    /// Who every letter is from.
    lead: crate::model::Person,
}

impl Base {
    pub fn new(common: &context::Common) -> Base {
        use sha2::{Digest, Sha256};
        Base {
            value: minijinja::Value::from_serialize(common),
            digest: Sha256::digest(serde_json::to_vec(common).unwrap_or_default()).into(),
            schedule: common.schedule.clone(),
            lead: common.inspection.lead.clone(),
        }
    }
}

/// Whether the document at `path` (under `out/`) is a letter: it has a
/// recipient, a date and the lead's details in its letterhead.
pub fn is_letter(path: &str) -> bool {
    ["notice/", "requests/", "position-statements/", "report/letters/"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// A job whose template sees `base` with this job's own typed context on top,
/// stating the dates its template prints ([`TemplateDoc::dates`]); its
/// recipient and children are the planning module's to add.
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
    let mut facts = Facts::default();
    state(&mut facts, &base.schedule, dates_printed(template));
    if is_letter(&output) {
        facts.sender(&base.lead);
    }
    Job {
        template,
        output,
        context: minijinja::value::merge_maps([base.value.clone(), minijinja::Value::from_serialize(own)]),
        date,
        published: false,
        fields: None,
        digest: Some(digest),
        facts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bundled template's text with the templates it includes.
    fn text_with_includes(template: &str) -> String {
        let text = crate::base::assets::template(template).unwrap_or_else(|| panic!("{template} is bundled"));
        let mut all = text.to_string();
        for part in text.split("{% include \"").skip(1) {
            let name = &part[..part.find('"').expect("a closing quote")];
            all.push_str(crate::base::assets::template(name).expect("an included template is bundled"));
        }
        all
    }

    /// The steps a template names as `schedule.<key>`, whole keys only
    /// (`schedule.core_days` is not `schedule.core`).
    fn named_steps(text: &str) -> Vec<Step> {
        Step::ALL
            .into_iter()
            .filter(|step| {
                let name = format!("schedule.{}", step.key());
                text.match_indices(&name).any(|(i, _)| {
                    let next = text[i + name.len()..].chars().next();
                    !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            })
            .collect()
    }

    #[test]
    fn every_date_a_template_prints_from_the_schedule_is_declared() {
        for t in templates() {
            let text = text_with_includes(t.template);
            for step in named_steps(&text) {
                assert!(
                    t.dates.contains(&step),
                    "{} prints `schedule.{}`: add Step::{step:?} to its `dates`",
                    t.template,
                    step.key()
                );
            }
            // A template that walks the steps states each one it lists.
            if text.contains(" in steps ") || text.contains("timeline.rows") {
                assert!(Step::TIMELINE.iter().all(|s| t.dates.contains(s)), "{}", t.template);
            }
        }
        assert!(named_steps("{{ schedule.core_days }}").is_empty());
        assert_eq!(named_steps("{{ schedule.core.start }}"), [Step::Core]);
    }

    #[test]
    fn a_template_belongs_to_one_kind_and_its_jobs_state_its_dates() {
        let mut names: Vec<&str> = templates().map(|t| t.template).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "each template is declared once");
        assert_eq!(dates_printed("rationale.typ"), [Step::SampleDrawn, Step::PhaseThree]);
        assert!(dates_printed("no-such.typ").is_empty());
    }
}
