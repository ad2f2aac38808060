//! `requests/`: one records-request letter per record holder, and the register
//! of every (child, holder) request, from the sample and the access rules.

use std::collections::BTreeMap;

use super::context::{RecordsRequest, RequestedChild};
use super::{base_context, job, Plan};
use crate::base::error::Result;
use crate::rules::access::{self, Request};
use crate::rules::schedule::Step;
use crate::workspace::Workspace;

use super::{marked, Document, TemplateDoc};

pub const DOC: Document = Document {
    audience: marked,
    needs: super::Needs::Population,
    // The letters depend on the draw, so the sample is rebuilt with them.
    with: &["sample"],
    ..Document::letters(
        "requests",
        "one records-request letter per record holder, and the register (marked; brings the sample with it)",
        &[TemplateDoc {
            template: "request.typ",
            makes: "requests/<holder id>.pdf, one per record holder (marked)",
            schema: super::context::schema_of::<RecordsRequest>,
            dates: &[
                Step::RecordsWindow,
                Step::SampleDrawn,
                Step::RequestsConfirmBy,
                Step::PhaseThree,
            ],
        }],
        plan,
    )
};

/// The letter of a holder, relative to `out/`.
pub fn letter_path(holder: &str) -> String {
    format!("requests/{holder}.pdf")
}

/// `register.csv`: case_ref,category,rule,agency,holder,window_start,window_end,letter.
pub fn register_csv(ws: &Workspace, requests: &[Request]) -> Vec<u8> {
    let w = ws.schedule.span(Step::RecordsWindow);
    let (start, end) = (w.start.to_string(), w.end.to_string());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "case_ref",
        "category",
        "rule",
        "agency",
        "holder",
        "window_start",
        "window_end",
        "letter",
    ])
    .expect("in memory");
    for r in requests {
        out.write_record([
            r.case_ref.as_str(),
            r.category.as_str(),
            r.rule.as_str(),
            r.agency.as_str(),
            r.holder.as_str(),
            &start,
            &end,
            &letter_path(&r.holder),
        ])
        .expect("in memory");
    }
    out.into_inner().expect("in memory")
}

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let requests = &ws.requests;
    let base = base_context(ws);
    let mut plan = Plan::default();
    plan.files
        .push(("requests/register.csv".into(), register_csv(ws, requests)));

    // Group by holder, then by child (one holder may hold two of a child's records).
    let mut by_holder: BTreeMap<&str, BTreeMap<&str, Vec<&Request>>> = BTreeMap::new();
    for r in requests {
        by_holder
            .entry(&r.holder)
            .or_default()
            .entry(&r.case_ref)
            .or_default()
            .push(r);
    }
    let children: BTreeMap<&str, &crate::model::Child> =
        ws.sample.children.iter().map(|c| (c.case_ref.as_str(), c)).collect();
    let has_names = ws.population.has_names();
    // A working day, as every date a letter names.
    let records_returned_by = ws.calendar.on_or_before(
        ws.schedule.span(Step::PhaseThree).end + chrono::Months::new(crate::rules::methodology::RECORDS_KEPT_MONTHS),
    );
    for (holder, kids) in by_holder {
        let contact = ws.contact(holder).expect("holders are checked against contacts.csv");
        let ctx = RecordsRequest {
            holder: contact,
            salutation: contact.salutation.clone(),
            records_returned_by,
            children: kids
                .iter()
                .map(|(case_ref, reqs)| {
                    let child = children[case_ref];
                    let rule = reqs[0].rule;
                    RequestedChild {
                        case_ref,
                        name: child.name.as_deref(),
                        date_of_birth: child.date_of_birth,
                        rule,
                        agencies: match rule {
                            access::Rule::ChildProtection => reqs.iter().map(|r| r.agency).collect(),
                            _ => Vec::new(),
                        },
                    }
                })
                .collect(),
            has_names,
        };
        let mut j = job(
            "request.typ",
            letter_path(holder),
            &base,
            &ctx,
            ws.schedule.day(Step::SampleDrawn),
        );
        j.facts.recipient = Some(contact.into());
        j.facts.children = Some(ctx.children.iter().map(|c| c.case_ref.to_string()).collect());
        plan.jobs.push(j);
    }
    Ok(plan)
}
