//! The 12-week notice: one letter per `[[addressees]]` entry, dated the
//! notification date and signed by the Inspection Lead.

use serde_json::json;

use super::{base_context, job, Plan};
use crate::error::Result;
use crate::model::Addressee;
use crate::workspace::Workspace;

/// `notice/<slug of organisation and role>.pdf`
pub fn file_name(a: &Addressee) -> String {
    format!("notice/{}.pdf", a.slug())
}

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let i = &ws.inspection;
    let base = base_context(ws);
    let mut plan = Plan::default();
    for (n, a) in i.addressees.iter().enumerate() {
        let mut ctx = serde_json::Map::new();
        let others: Vec<&Addressee> = i
            .addressees
            .iter()
            .enumerate()
            .filter(|(m, _)| *m != n)
            .map(|(_, o)| o)
            .collect();
        let salutation = a.salutation.clone().unwrap_or_else(|| format!("Dear {}", a.name));
        ctx.insert("addressee".into(), json!(a));
        ctx.insert("others".into(), json!(others));
        ctx.insert("salutation".into(), json!(salutation));
        ctx.insert(
            "subject".into(),
            json!(format!(
                "Joint inspection of services for children and young people in {}: notice of inspection",
                i.area
            )),
        );
        ctx.insert(
            "title".into(),
            json!(format!(
                "Notice of joint inspection, {}: {}, {}",
                i.area, a.role, a.organisation
            )),
        );
        plan.jobs
            .push(job("notice.typ", file_name(a), &base, ctx, ws.schedule.notification));
    }
    Ok(plan)
}
