//! `action-plan/`: the joint action plan form the CPP fills in, made from the
//! report's recommendations, and the plan as received. The form's fields and
//! the workbook are the round trip's (`returns::action_plan`), which reads
//! them back; this module says when they are made and with what.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;

use super::{base_context, job, Plan};
use crate::base::error::Result;
use crate::model::action_plan::{Action, ActionPlan, Part};
use crate::model::findings::Recommendation;
use crate::returns::action_plan::{FORM, WORKBOOK};
use crate::rules::schedule::Step;
use crate::workspace::Workspace;

use super::{Audience, Document, Needs, TemplateDoc};

pub const DOC: Document = Document {
    audience,
    needs: Needs::Recommendations,
    ..Document::letters(
        "action-plan",
        "the joint action plan form and workbook, and the plan as received (needs findings/ with recommendations)",
        &[
            TemplateDoc {
                template: "action-plan.typ",
                makes: "action-plan/action-plan.pdf, the fillable form, when the folder has findings/",
                schema: super::context::schema_of::<ActionPlanForm>,
                dates: &[Step::ActionPlanDue],
            },
            TemplateDoc {
                template: "received.typ",
                makes: "action-plan/received.pdf, once action-plan.toml is imported",
                schema: super::context::schema_of::<Received>,
                dates: &[Step::ActionPlanDue],
            },
            TemplateDoc {
                template: "reply.typ",
                makes: "action-plan/reply.pdf, the reply to the partnership's chair, once action-plan.toml is imported",
                schema: super::context::schema_of::<super::letters::Reply>,
                dates: &[Step::ActionPlanDue],
            },
        ],
        plan,
    )
};

/// The form and the workbook go to the partnership; the plan as received is
/// the team's record of it.
fn audience(file: &str) -> Audience {
    match file {
        "received.pdf" => Audience::Team,
        _ => Audience::Partnership,
    }
}

pub const RECEIVED: &str = "action-plan/received.pdf";
pub const REPLY: &str = "action-plan/reply.pdf";

/// `received.typ`: the returned plan, for the scrutiny bodies.
#[derive(Serialize, JsonSchema)]
pub struct Received<'a> {
    /// When the plan was received.
    pub received: chrono::NaiveDate,
    /// Whether it came on or before `schedule.action_plan_due`.
    pub on_time: bool,
    /// Working days after the due date, up to and including the day received.
    pub days_late: usize,
    /// The plan as imported: `cpp_contact`, `submitted_on`, `source`, and the
    /// chair's sign-off, `signed_off_by` (empty without one) and `signed_off_on`.
    pub plan: &'a ActionPlan,
    /// Each recommendation with its `actions`.
    pub answers: Vec<Answer<'a>>,
    /// The ids of recommendations still without an answer.
    pub unanswered: Vec<&'a str>,
}

/// A recommendation and the actions that answer it.
#[derive(Serialize, JsonSchema)]
pub struct Answer<'a> {
    /// The recommendation.
    pub recommendation: &'a Recommendation,
    /// The actions for it, in the plan's order.
    pub actions: Vec<&'a Action>,
}

/// `action-plan.typ`: the recommendations to answer.
#[derive(Serialize, JsonSchema)]
pub struct ActionPlanForm<'a> {
    /// The recommendations, each with `id`, `text` and `qi` (its indicators).
    pub recommendations: &'a [Recommendation],
    /// Each part's label by its key, as the fields' tooltips say it:
    /// `labels.lead` is "Lead officer (name, role, agency)".
    pub labels: std::collections::BTreeMap<&'static str, &'static str>,
    /// The RAG statuses, each `name` with its `meaning` (the workbook defines them the same way).
    pub rag: Vec<RagWords>,
    /// How many actions the form has room for on each recommendation: the
    /// fields of the first are `R1_action`, ..., of the second `R1_2_action`, ...
    pub actions_each: u32,
}

/// A RAG status and what it means.
#[derive(Serialize, JsonSchema)]
pub struct RagWords {
    pub name: &'static str,
    pub meaning: &'static str,
}

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let mut plan = Plan::default();
    let Some(report) = &ws.report else {
        return Ok(plan);
    };
    let recs = &report.findings.recommendations;
    let ctx = ActionPlanForm {
        recommendations: recs,
        labels: Part::ALL.iter().map(|p| (p.key(), p.label())).collect(),
        rag: crate::model::action_plan::Rag::ALL
            .iter()
            .map(|r| RagWords {
                name: r.name(),
                meaning: r.meaning(),
            })
            .collect(),
        actions_each: crate::returns::action_plan::ACTIONS_EACH,
    };
    let mut j = job(
        "action-plan.typ",
        FORM.into(),
        &base_context(ws),
        &ctx,
        ws.schedule.day(Step::ReportForComment),
    );
    j.fields = Some(Arc::new(crate::returns::action_plan::form_fields(recs)));
    plan.jobs.push(j);
    let about = crate::returns::action_plan::About {
        cpp: &ws.inspection.cpp,
        reference: &ws.inspection.reference,
        due: ws.schedule.day(Step::ActionPlanDue),
        made: ws.schedule.day(Step::ReportForComment),
    };
    let xlsx = crate::returns::action_plan::workbook(recs, &about).map_err(|e| {
        crate::base::error::Error::template(format!("could not make {WORKBOOK}"))
            .with_source(crate::render::Detail(e.to_string()))
    })?;
    plan.files.push((WORKBOOK.into(), xlsx));
    if let Some(returned) = &ws.action_plan {
        returned_plan(ws, recs, returned, &mut plan);
    }
    Ok(plan)
}

/// The plan as received (the team's copy) and the lead's reply to the chair.
fn returned_plan(
    ws: &Workspace,
    recs: &[Recommendation],
    returned: &crate::model::action_plan::ActionPlan,
    plan: &mut Plan,
) {
    let due = ws.schedule.day(Step::ActionPlanDue);
    let days_late = if returned.received > due {
        ws.calendar
            .working_days(due + chrono::Days::new(1), returned.received)
            .len()
    } else {
        0
    };
    let answers: Vec<Answer> = recs
        .iter()
        .map(|r| Answer {
            recommendation: r,
            actions: returned.actions.iter().filter(|a| a.recommendation == r.id).collect(),
        })
        .collect();
    let unanswered: Vec<&str> = answers
        .iter()
        .filter(|a| a.actions.is_empty())
        .map(|a| a.recommendation.id.as_str())
        .collect();
    if let Some(chair) = super::letters::chair(&ws.inspection.addressees) {
        let reply = super::letters::Reply {
            addressee: chair,
            salutation: super::letters::salutation(chair),
            received: returned.received,
            date: ws.calendar.next(returned.received),
            on_time: returned.received <= due,
            days_late,
            answered: recs.len() - unanswered.len(),
            unanswered: unanswered.clone(),
            support: returned.support.as_ref(),
            support_bodies: super::letters::bodies_in_prose(returned.support.as_ref().map_or(&[][..], |s| &s.bodies)),
        };
        let mut j = job("reply.typ", REPLY.into(), &base_context(ws), &reply, reply.date);
        j.facts.recipient = Some(chair.into());
        plan.jobs.push(j);
    }
    let ctx = Received {
        received: returned.received,
        on_time: returned.received <= due,
        days_late,
        plan: returned,
        unanswered,
        answers,
    };
    plan.jobs.push(job(
        "received.typ",
        RECEIVED.into(),
        &base_context(ws),
        &ctx,
        returned.received,
    ));
}
