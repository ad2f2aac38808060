//! `briefing/`: the chief officers' and operational managers' briefings and the
//! information leaflets for staff, parents and carers, and children and young people.

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{json, Value};

use super::{base_context, job, Plan};
use crate::error::Result;
use crate::model::Category;
use crate::schedule::Schedule;
use crate::text::{date_words, decimal};
use crate::workspace::Workspace;

/// The documents of this folder: (template, output, title).
const DOCUMENTS: [(&str, &str, &str); 5] = [
    (
        "briefing-chief-officers.typ",
        "briefing/chief-officers.pdf",
        "Briefing for chief officers and the community planning partnership",
    ),
    (
        "briefing-operational-managers.typ",
        "briefing/operational-managers.pdf",
        "Briefing for operational managers",
    ),
    (
        "information-staff.typ",
        "briefing/information-staff.pdf",
        "Information for staff",
    ),
    (
        "information-parents-carers.typ",
        "briefing/information-parents-carers.pdf",
        "Information for parents and carers",
    ),
    (
        "information-children-young-people.typ",
        "briefing/information-children-young-people.pdf",
        "Information for children and young people",
    ),
];

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let mut plan = Plan::default();
    let base = minijinja::value::merge_maps([
        base_context(ws),
        minijinja::Value::from_serialize(serde_json::Value::Object(shared_context(ws))),
    ]);
    for (template, output, title) in DOCUMENTS {
        let mut ctx = serde_json::Map::new();
        ctx.insert("title".into(), json!(format!("{title}: {}", ws.inspection.area)));
        ctx.insert("heading".into(), json!(title));
        plan.jobs
            .push(job(template, output.into(), &base, ctx, ws.schedule.briefings));
    }
    Ok(plan)
}

fn shared_context(ws: &Workspace) -> serde_json::Map<String, Value> {
    let s = &ws.schedule;
    let cal = &ws.calendar;
    let mut m = serde_json::Map::new();
    let mut services = ws.inspection.care_services.clone();
    services.sort_by(|a, b| (a.inspected, &a.name).cmp(&(b.inspected, &b.name)));
    m.insert("care_services".into(), json!(services));
    m.insert(
        "categories".into(),
        json!(Category::ALL
            .iter()
            .map(|c| json!({"key": c.as_str(), "description": c.description()}))
            .collect::<Vec<_>>()),
    );
    m.insert("timeline".into(), timeline(s, &s.on_site_days(cal)));
    // The dated checklist for operational managers: what the area supplies, and by when.
    let mut checklist: Vec<(NaiveDate, String)> = vec![
        (s.briefings, "Name an inspection co-ordinator and send their contact details to the Inspection Lead.".into()),
        (
            s.population_list_due,
            "Send the population list (population.csv) and the record holders' contacts (contacts.csv), described below.".into(),
        ),
        (s.survey_due, "Make sure named persons have completed the staff survey.".into()),
        (s.requests_confirm_by, "Record holders confirm to the Inspection Lead that the records we ask for will be ready.".into()),
        (s.scoping_phase_one.end, "Book rooms for the team and arrange access to electronic recording systems.".into()),
        (s.phase_three.start, "Have the requested records available for records reading.".into()),
        (s.core.start, "Arrange the interviews, focus groups and visits we ask for in the core phase.".into()),
    ];
    for ps in &ws.inspection.position_statements {
        checklist.push((ws.due(ps), format!("Send the position statement on {}.", ps.topic)));
    }
    // Stable: tasks due the same day keep the order above.
    checklist.sort_by_key(|(d, _)| *d);
    m.insert(
        "checklist".into(),
        json!(checklist
            .iter()
            .map(|(d, t)| json!({"by": d, "task": t}))
            .collect::<Vec<_>>()),
    );
    m.insert(
        "confidence_percent".into(),
        json!(decimal(ws.inspection.sampling.confidence * 100.0)),
    );
    m.insert(
        "margin_points".into(),
        json!(decimal(ws.inspection.sampling.margin * 100.0)),
    );
    m
}

/// The timeline graphic's data: weeks from the Monday of the notification week to
/// the week of the action plan, and each step as a bar or a milestone, in days
/// from the start. The template draws it; this keeps date arithmetic in Rust.
pub fn timeline(s: &Schedule, on_site: &[NaiveDate]) -> Value {
    let start = s.notification - Days::new(s.notification.weekday().num_days_from_monday() as u64);
    let end_week = s.action_plan_due + Days::new(7 - s.action_plan_due.weekday().num_days_from_monday() as u64);
    let day = |d: NaiveDate| (d - start).num_days();
    let total = day(end_week);
    let weeks: Vec<Value> = (0..total / 7)
        .map(|w| {
            let monday = start + Days::new(7 * w as u64);
            json!({"offset": 7 * w, "label": monday.format("%-d %b").to_string(), "number": w + 1})
        })
        .collect();
    // Every step but the records window, which reaches back months before the notice.
    let rows: Vec<Value> = s
        .steps()
        .iter()
        .filter(|step| step.key != "records_window")
        .map(|step| {
            let (words, kind) = if step.start == step.end {
                (date_words(step.start), "milestone")
            } else {
                (format!("{} to {}", date_words(step.start), date_words(step.end)), "bar")
            };
            let on_site = ["phase_two", "phase_three", "core"].contains(&step.key);
            json!({"key": step.key, "label": step.label, "start": day(step.start), "end": day(step.end) + 1,
                   "kind": kind, "on_site": on_site, "words": words})
        })
        .collect();
    json!({
        "days": total,
        "weeks": weeks,
        "rows": rows,
        "on_site": on_site.iter().map(|d| day(*d)).collect::<Vec<_>>(),
        "on_site_count": on_site.len(),
    })
}
