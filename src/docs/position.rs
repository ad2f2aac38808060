//! `position-statements/`: one request per `[[position_statements]]` entry.

use serde_json::json;

use super::{base_context, job, position_statements, Plan};
use crate::error::Result;
use crate::model::PositionStatement;
use crate::workspace::Workspace;

/// `position-statements/<slug of topic>.pdf`
pub fn file_name(ps: &PositionStatement) -> String {
    format!("position-statements/{}.pdf", ps.slug())
}

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let mut plan = Plan::default();
    let base = base_context(ws);
    let statements = position_statements(ws);
    for (ps, resolved) in ws
        .inspection
        .position_statements
        .iter()
        .zip(statements.as_array().into_iter().flatten())
    {
        let date = ws.schedule.position_statement_sent(&ws.calendar, ws.due(ps));
        let mut ctx = serde_json::Map::new();
        ctx.insert("statement".into(), resolved.clone());
        ctx.insert("letter_date".into(), json!(date));
        ctx.insert(
            "title".into(),
            json!(format!(
                "Request for a position statement, {}: {}",
                ws.inspection.area, ps.topic
            )),
        );
        ctx.insert(
            "subject".into(),
            json!(format!(
                "Joint inspection of services for children and young people in {}: position statement on {}",
                ws.inspection.area, ps.topic
            )),
        );
        plan.jobs
            .push(job("position-statement.typ", file_name(ps), &base, ctx, date));
    }
    Ok(plan)
}
