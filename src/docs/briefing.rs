//! `briefing/`: the chief officers' and operational managers' briefings and the
//! information leaflets for staff, parents and carers, and children and young people.

use chrono::{Datelike, Days, NaiveDate};

use super::context::{Briefing, CategoryWords, Timeline, TimelineRow, Week};
use super::{base_context, job, Plan};
use crate::base::error::Result;
use crate::base::text::date_words;
use crate::model::Category;
use crate::rules::schedule::{Schedule, Step};
use crate::workspace::Workspace;

use super::{Document, TemplateDoc};

const fn briefing(template: &'static str, makes: &'static str, dates: &'static [Step]) -> TemplateDoc {
    TemplateDoc {
        template,
        makes,
        schema: super::context::schema_of::<Briefing>,
        dates,
    }
}

/// What the information for staff, parents and carers, and children and
/// young people dates: when the team comes, and when the report is out.
const INFORMATION_DATES: &[Step] = &[Step::PhaseTwo, Step::Core, Step::Publication];

pub const DOC: Document = Document::letters(
    "briefing",
    "the briefings for chief officers and operational managers, the population list workbook for managers to fill in, and the information for staff, parents and carers, and children and young people",
    &[
        // The timeline and its table of every date.
        briefing(
            "briefing-chief-officers.typ",
            "briefing/chief-officers.pdf",
            &Step::TIMELINE,
        ),
        // The phases and the checklist of what the area supplies by when.
        briefing(
            "briefing-operational-managers.typ",
            "briefing/operational-managers.pdf",
            &[
                Step::Briefings,
                Step::RecordsWindow,
                Step::ScopingPhaseOne,
                Step::PopulationListDue,
                Step::SurveyDue,
                Step::SelfEvaluationDue,
                Step::RequestsConfirmBy,
                Step::PhaseTwo,
                Step::DiscussionTwo,
                Step::PhaseThree,
                Step::DiscussionThree,
                Step::Core,
            ],
        ),
        briefing(
            "information-staff.typ",
            "briefing/information-staff.pdf",
            INFORMATION_DATES,
        ),
        briefing(
            "information-parents-carers.typ",
            "briefing/information-parents-carers.pdf",
            INFORMATION_DATES,
        ),
        briefing(
            "information-children-young-people.typ",
            "briefing/information-children-young-people.pdf",
            INFORMATION_DATES,
        ),
        TemplateDoc {
            template: "staff-survey.typ",
            makes: "briefing/staff-survey.pdf, the invitation to named persons to answer the staff survey (with [survey])",
            schema: super::context::schema_of::<StaffSurvey>,
            // Its `opens` and `closes` are the survey's steps.
            dates: &[Step::SurveyOpens, Step::SurveyDue, Step::PhaseTwo, Step::Publication],
        },
    ],
    plan,
);

/// The documents of this folder: (template, output).
const DOCUMENTS: [(&str, &str); 5] = [
    ("briefing-chief-officers.typ", "briefing/chief-officers.pdf"),
    ("briefing-operational-managers.typ", "briefing/operational-managers.pdf"),
    ("information-staff.typ", "briefing/information-staff.pdf"),
    (
        "information-parents-carers.typ",
        "briefing/information-parents-carers.pdf",
    ),
    (
        "information-children-young-people.typ",
        "briefing/information-children-young-people.pdf",
    ),
];

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let mut plan = Plan::default();
    let s = &ws.schedule;
    let mut care_services: Vec<_> = ws.inspection.care_services.iter().collect();
    care_services.sort_by(|a, b| (a.inspected, &a.name).cmp(&(b.inspected, &b.name)));
    let ctx = Briefing {
        care_services,
        categories: Category::ALL
            .iter()
            .map(|c| CategoryWords {
                key: c.as_str(),
                description: c.description(),
            })
            .collect(),
        two_groups: Category::TWO_GROUPS,
        case_reference: Category::CASE_REFERENCE,
        timeline: timeline(s, &s.on_site_days(&ws.calendar)),
    };
    // The five documents share one context value.
    let own = minijinja::Value::from_serialize(&ctx);
    let base = base_context(ws);
    for (template, output) in DOCUMENTS {
        plan.jobs
            .push(job(template, output.into(), &base, &own, s.day(Step::Briefings)));
    }
    let about = crate::returns::population::About {
        area: &ws.inspection.area,
        reference: &ws.inspection.reference,
        due: s.day(Step::PopulationListDue),
        made: s.day(Step::Briefings),
        marking: &ws.inspection.marking,
        lead: &ws.inspection.lead.name,
    };
    let xlsx = crate::returns::population::workbook(&ws.contacts, &about).map_err(|e| {
        crate::base::error::Error::template(format!("could not make {}", crate::returns::population::WORKBOOK))
            .with_source(crate::render::Detail(e.to_string()))
    })?;
    plan.files.push((crate::returns::population::WORKBOOK.into(), xlsx));
    if let Some(survey) = &ws.inspection.survey {
        let own = StaffSurvey {
            url: &survey.url,
            invited: survey
                .invited
                .map(|n| crate::rules::methodology::house_count(n as usize)),
            opens: s.day(Step::SurveyOpens),
            closes: s.day(Step::SurveyDue),
            questions: &ws.survey_questions,
            answers: crate::workspace::survey::ANSWERS.iter().map(|a| a.1).collect(),
        };
        plan.jobs.push(job(
            "staff-survey.typ",
            SURVEY_OUTPUT.into(),
            &base,
            &own,
            s.day(Step::SurveyOpens),
        ));
    }
    Ok(plan)
}

/// The invitation to the staff survey.
pub const SURVEY_OUTPUT: &str = "briefing/staff-survey.pdf";

/// `staff-survey.typ`: the invitation to named persons (`inspection.coordinator`
/// sends it, when the partnership has named one).
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct StaffSurvey<'a> {
    /// Where named persons answer it.
    pub url: &'a str,
    /// How many named persons are invited, in words, when inspection.toml says.
    pub invited: Option<String>,
    /// The day it opens: the invitation's date (`schedule.survey_opens`).
    pub opens: NaiveDate,
    /// The last day to answer (`schedule.survey_due`).
    pub closes: NaiveDate,
    /// The questions, in order (`templates/staff-survey-questions.txt`).
    pub questions: &'a [String],
    /// The answers each question offers: "Strongly agree" ... "Don't know".
    pub answers: Vec<&'static str>,
}

/// The timeline graphic's data: weeks from the Monday of the notification week to
/// the week of the action plan, and each step as a bar or a milestone, in days
/// from the start. The template draws it; this keeps date arithmetic in Rust.
pub fn timeline(s: &Schedule, on_site: &[NaiveDate]) -> Timeline {
    let (notice, last) = (s.day(Step::Notification), s.day(Step::ActionPlanDue));
    let start = notice - Days::new(notice.weekday().num_days_from_monday() as u64);
    let end_week = last + Days::new(7 - last.weekday().num_days_from_monday() as u64);
    let day = |d: NaiveDate| (d - start).num_days();
    let total = day(end_week);
    Timeline {
        days: total,
        weeks: (0..total / 7)
            .map(|w| Week {
                offset: 7 * w,
                label: (start + Days::new(7 * w as u64)).format("%-d %b").to_string(),
                number: w + 1,
            })
            .collect(),
        // Every step but the records window, which reaches back months before the notice.
        rows: s
            .steps()
            .into_iter()
            .filter(|step| Step::TIMELINE.contains(&step.step))
            .map(|step| {
                let (words, kind) = if step.start == step.end {
                    (date_words(step.start), "milestone")
                } else {
                    (format!("{} to {}", date_words(step.start), date_words(step.end)), "bar")
                };
                TimelineRow {
                    key: step.step.key(),
                    label: step.label,
                    start: day(step.start),
                    end: day(step.end) + 1,
                    kind,
                    on_site: Step::ON_SITE.contains(&step.step),
                    words,
                }
            })
            .collect(),
        on_site: on_site.iter().map(|d| day(*d)).collect(),
        on_site_count: on_site.len(),
    }
}
