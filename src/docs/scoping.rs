//! `scoping/`: the scoping tool as it stands at each professional discussion,
//! and the plan of the core (proportionate) phase that follows from it.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use super::{job, Base, Document, Needs, Plan, TemplateDoc};
use crate::base::error::Result;
use crate::model::scoping::{Area, Class, Scoping};
use crate::rules::schedule::{Span, Step};
use crate::workspace::Workspace;

pub const DOC: Document = Document {
    needs: Needs::Scoping,
    ..Document::letters(
        "scoping",
        "the scoping tool for each professional discussion, and the plan of the proportionate phase (needs scoping.toml)",
        &[
            TemplateDoc {
                template: "scoping-tool.typ",
                makes: "scoping/scoping-tool-1.pdf, -2.pdf, -3.pdf, one for each phase an area has reached",
                schema: super::context::schema_of::<Tool>,
                // With the phases it shows and its discussion, which [`plan`] adds.
                dates: &[Step::Core],
            },
            TemplateDoc {
                template: "proportionate-phase.typ",
                makes: "scoping/proportionate-phase.pdf, the targeted scrutiny of the core phase",
                schema: super::context::schema_of::<Proportionate>,
                // With the discussion it follows, which [`plan`] adds.
                dates: &[Step::Core],
            },
        ],
        plan,
    )
};

/// A class as printed: its key (for colour) and its words.
#[derive(Serialize, JsonSchema, Clone)]
pub struct ClassWords {
    /// `no_significant_concerns`, `uncertainty` or `concern`.
    pub key: &'static str,
    /// "No significant concerns", "Uncertainty", "Concern".
    pub words: &'static str,
    /// Where the area was not classed again at this phase, the phase its
    /// class is carried from, in words: "phase two" (printed "Concern, no
    /// change since phase two"); none for a class of the phase's own.
    pub since: Option<String>,
}

impl From<Class> for ClassWords {
    fn from(c: Class) -> Self {
        ClassWords {
            key: crate::base::named::Named::as_str(c),
            words: c.words(),
            since: None,
        }
    }
}

/// The class shown at `phase`, carried from an earlier phase where the area has none of its own.
fn class_words(area: &Area, phase: usize) -> Option<ClassWords> {
    area.class_at(phase).map(|(c, from)| ClassWords {
        since: from.map(|p| format!("phase {}", crate::rules::methodology::number_words(p))),
        ..c.into()
    })
}

/// An area of the tool, as far as a phase.
#[derive(Serialize, JsonSchema)]
pub struct AreaRow<'a> {
    pub qi: &'a str,
    pub title: &'a str,
    /// The class at each phase shown, in order: a phase without a class of
    /// its own shows the class carried from the one before.
    pub classes: Vec<Option<ClassWords>>,
    /// The latest class shown.
    pub latest: Option<ClassWords>,
    /// The evidence considered by the phase shown, in a few words each ("Care service inspections").
    pub evidence: Vec<&'static str>,
    /// The rationale of the phase shown (`rationale`, `rationale_two`,
    /// `rationale_three`), or the latest earlier one where it has none.
    pub rationale: &'a str,
    /// The targeted scrutiny proposed, in the seed's words.
    pub activities: Vec<&'static str>,
}

fn row(area: &Area, phases: usize) -> AreaRow<'_> {
    AreaRow {
        qi: &area.qi,
        title: &area.title,
        classes: (1..=phases).map(|p| class_words(area, p)).collect(),
        latest: area.latest(phases).map(ClassWords::from),
        // What the team had by this phase: the records reading is not evidence at phase one.
        evidence: area
            .evidence
            .iter()
            .filter(|e| e.phase() <= phases)
            .map(|e| e.short())
            .collect(),
        rationale: area.rationale_at(phases),
        activities: area.activities.iter().map(|a| a.words()).collect(),
    }
}

/// A phase shown in the tool.
#[derive(Serialize, JsonSchema)]
pub struct PhaseColumn {
    /// 1, 2 or 3.
    pub number: usize,
    /// Its label, as the schedule names it: "Scoping phase two".
    pub label: &'static str,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// How many areas are in each class at the latest phase shown.
#[derive(Serialize, JsonSchema)]
pub struct ClassCount {
    pub class: ClassWords,
    pub areas: usize,
}

/// `scoping-tool.typ`: the tool as it stands at one professional discussion.
#[derive(Serialize, JsonSchema)]
pub struct Tool<'a> {
    /// 1, 2 or 3: the phase just done.
    pub phase: usize,
    /// Whether this is the latest phase done (the tool then proposes targeted scrutiny).
    pub latest: bool,
    /// The discussion's date: the document's date.
    pub discussion: NaiveDate,
    /// The phases shown, one to `phase`.
    pub phases: Vec<PhaseColumn>,
    /// Every area, in the file's order.
    pub areas: Vec<AreaRow<'a>>,
    /// Areas per class at `phase`.
    pub counts: Vec<ClassCount>,
}

/// `proportionate-phase.typ`: the core phase's targeted scrutiny.
#[derive(Serialize, JsonSchema)]
pub struct Proportionate<'a> {
    /// The core phase's dates.
    pub core: Span,
    /// Working days of the core phase.
    pub days: usize,
    /// The latest phase of the tool this follows from.
    pub phase: usize,
    /// That phase's professional discussion: the document's date.
    pub discussion: NaiveDate,
    /// Areas still uncertain or of concern, with their activities.
    pub targeted: Vec<AreaRow<'a>>,
    /// Areas with no significant concerns: the standard activities only.
    pub standard: Vec<AreaRow<'a>>,
    /// Every activity of the methodology's core phase, in its words.
    pub all_activities: Vec<&'static str>,
}

/// The scoping phases, and the professional discussion at the end of each.
const PHASES: [Step; 3] = [Step::ScopingPhaseOne, Step::PhaseTwo, Step::PhaseThree];
const DISCUSSIONS: [Step; 3] = [Step::DiscussionOne, Step::DiscussionTwo, Step::DiscussionThree];

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let mut plan = Plan::default();
    let Some(scoping) = &ws.scoping else {
        return Ok(plan);
    };
    let s = &ws.schedule;
    let base = Base::new(&super::context::Common::new(ws));
    let done = scoping.phases_done();
    let discussions = DISCUSSIONS.map(|d| s.day(d));
    for phase in 1..=done {
        let tool = tool(ws, scoping, phase, phase == done, discussions[phase - 1]);
        let mut j = job(
            "scoping-tool.typ",
            format!("scoping/scoping-tool-{phase}.pdf"),
            &base,
            &tool,
            tool.discussion,
        );
        // The phases as far as this one, and its discussion.
        super::state(&mut j.facts, s, &PHASES[..phase]);
        super::state(&mut j.facts, s, &[DISCUSSIONS[phase - 1]]);
        plan.jobs.push(j);
    }
    if done > 0 {
        let (targeted, standard) = scoping
            .areas
            .iter()
            .map(|a| row(a, done))
            .partition(|r| r.latest.as_ref().is_some_and(|c| c.key != "no_significant_concerns"));
        let core = s.span(Step::Core);
        let own = Proportionate {
            core,
            days: ws.calendar.working_days(core.start, core.end).len(),
            phase: done,
            discussion: discussions[done - 1],
            targeted,
            standard,
            all_activities: <crate::model::scoping::Activity as crate::base::named::Named>::ALL
                .iter()
                .map(|a| a.words())
                .collect(),
        };
        let mut j = job(
            "proportionate-phase.typ",
            "scoping/proportionate-phase.pdf".into(),
            &base,
            &own,
            discussions[done - 1],
        );
        super::state(&mut j.facts, s, &[DISCUSSIONS[done - 1]]);
        plan.jobs.push(j);
    }
    Ok(plan)
}

fn tool<'a>(ws: &Workspace, scoping: &'a Scoping, phase: usize, latest: bool, discussion: NaiveDate) -> Tool<'a> {
    let phases = (1..=phase)
        .map(|n| {
            let step = PHASES[n - 1];
            let Span { start, end } = ws.schedule.span(step);
            PhaseColumn {
                number: n,
                label: step.label(),
                start,
                end,
            }
        })
        .collect();
    let areas: Vec<AreaRow> = scoping.areas.iter().map(|a| row(a, phase)).collect();
    let counts = <Class as crate::base::named::Named>::ALL
        .iter()
        .map(|c| ClassCount {
            class: (*c).into(),
            areas: scoping.areas.iter().filter(|a| a.latest(phase) == Some(*c)).count(),
        })
        .collect();
    Tool {
        phase,
        latest,
        discussion,
        phases,
        areas,
        counts,
    }
}
