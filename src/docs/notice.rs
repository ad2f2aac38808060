//! The 12-week notice: one letter per `[[addressees]]` entry, dated the
//! notification date and signed by the Inspection Lead.

use super::context::Notice;
use super::{base_context, job, Plan};
use crate::base::error::Result;
use crate::model::Addressee;
use crate::rules::schedule::Step;
use crate::workspace::Workspace;

use super::{Document, TemplateDoc};

pub const DOC: Document = Document::letters(
    "notice",
    "the 12-week notice, one letter per addressee",
    &[TemplateDoc {
        template: "notice.typ",
        makes: "notice/<organisation>-<role>.pdf, one per addressee",
        schema: super::context::schema_of::<Notice>,
        // Its key dates are every step after it; the records window is the
        // requests' to explain.
        dates: &Step::TIMELINE,
    }],
    plan,
);

/// `notice/<slug of organisation and role>.pdf`
pub fn file_name(a: &Addressee) -> String {
    format!("notice/{}.pdf", a.slug())
}

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let date = ws.schedule.day(Step::Notification);
    let all = &super::letters::as_on(&ws.inspection.addressees, date);
    let base = base_context(ws);
    let mut plan = Plan::default();
    for (n, (a, named)) in ws.inspection.addressees.iter().zip(all).enumerate() {
        let ctx = Notice {
            addressee: named,
            others: super::letters::others(all, n),
            salutation: super::letters::salutation(a),
        };
        let mut j = job("notice.typ", file_name(a), &base, &ctx, date);
        j.facts.recipient = Some(named.into());
        plan.jobs.push(j);
    }
    Ok(plan)
}
