//! `position-statements/`: one request per `[[position_statements]]` entry.

use super::context::{Common, PositionRequest};
use super::{job, Plan};
use crate::base::error::Result;
use crate::model::PositionStatement;
use crate::rules::schedule::Step;
use crate::workspace::Workspace;

use super::{Document, TemplateDoc};

pub const DOC: Document = Document::letters(
    "position-statements",
    "one position statement request per topic",
    &[TemplateDoc {
        template: "position-statement.typ",
        makes: "position-statements/<topic>.pdf, one per position statement",
        schema: super::context::schema_of::<PositionRequest>,
        // With the statement's own due date (a fact of each letter).
        dates: &[Step::PhaseTwo],
    }],
    plan,
);

/// `position-statements/<slug of topic>.pdf`
pub fn file_name(ps: &PositionStatement) -> String {
    format!("position-statements/{}.pdf", ps.slug())
}

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let mut plan = Plan::default();
    let common = Common::new(ws);
    let base = super::Base::new(&common);
    for (ps, statement) in ws
        .inspection
        .position_statements
        .iter()
        .zip(&common.position_statements)
    {
        let date = ws.schedule.position_statement_sent(&ws.calendar, statement.due);
        let ctx = PositionRequest {
            statement: statement.clone(),
            letter_date: date,
        };
        let mut j = job("position-statement.typ", file_name(ps), &base, &ctx, date);
        j.facts.recipient = statement.recipient.map(Into::into);
        j.facts
            .date("statement_due", "Position statement due", statement.due, statement.due);
        plan.jobs.push(j);
    }
    Ok(plan)
}
