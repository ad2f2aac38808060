//! The programme's timeline: every inspection's key dates side by side, as
//! a table for the terminal, JSON for scripts and iCalendar files.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::base::text::slug;
use crate::rules::schedule::{DatedStep, Span, Step};

use super::{Member, Programme};

/// The key dates of each inspection, in the order they come.
pub const KEY_STEPS: [Step; 8] = [
    Step::Notification,
    Step::Briefings,
    Step::PhaseTwo,
    Step::PhaseThree,
    Step::Core,
    Step::ReportForComment,
    Step::Publication,
    Step::ActionPlanDue,
];

/// One inspection's line of the timeline.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Row {
    /// Its folder, as `programme.toml` names it.
    pub folder: String,
    pub reference: String,
    pub area: String,
    /// `draft`, `final`, or `none` without findings.
    pub report: &'static str,
    /// Each key date by its schedule key: a date, or `{"start","end"}`.
    #[serde(serialize_with = "dates_as_schedule")]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub dates: BTreeMap<&'static str, Span>,
}

/// The key dates as `scrutiny schedule --json` writes them: a day as a
/// date, a run of days as `{"start","end"}`, in the timeline's order.
fn dates_as_schedule<S: serde::Serializer>(dates: &BTreeMap<&'static str, Span>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(KEY_STEPS.len()))?;
    for step in KEY_STEPS {
        let Some(span) = dates.get(step.key()) else { continue };
        match step.shape() {
            crate::rules::schedule::Shape::Day => map.serialize_entry(step.key(), &span.start)?,
            crate::rules::schedule::Shape::Span => map.serialize_entry(step.key(), span)?,
        }
    }
    map.end()
}

/// Each inspection's row, in the programme's order by commencement.
pub fn rows(p: &Programme) -> Vec<Row> {
    let mut rows: Vec<Row> = p.members.iter().map(row).collect();
    rows.sort_by_key(|r| r.dates.get(Step::PhaseTwo.key()).map(|s| s.start));
    rows
}

fn row(m: &Member) -> Row {
    Row {
        folder: m.folder.clone(),
        reference: m.ws.inspection.reference.clone(),
        area: m.ws.inspection.area.clone(),
        report: report_status(m),
        dates: KEY_STEPS.iter().map(|s| (s.key(), m.ws.schedule.span(*s))).collect(),
    }
}

/// `draft`, `final`, or `none` for an inspection without findings yet.
pub fn report_status(m: &Member) -> &'static str {
    match m.ws.report.as_ref().map(|r| r.findings.status) {
        Some(crate::model::findings::Status::Final) => "final",
        Some(crate::model::findings::Status::Draft) => "draft",
        None => "none",
    }
}

/// The table printed on the terminal: one line per inspection and date.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        out.push_str(&format!(
            "{} {} ({}; report: {})\n",
            r.reference, r.area, r.folder, r.report
        ));
        for step in KEY_STEPS {
            let when = r.dates[step.key()].short();
            out.push_str(&format!("  {:<34}  {:<20}  {}\n", when, step.key(), step.label()));
        }
        out.push('\n');
    }
    out
}

/// The key dates of an inspection as dated steps.
fn key_steps(m: &Member, steps: &[Step]) -> Vec<DatedStep> {
    steps
        .iter()
        .map(|&step| {
            let Span { start, end } = m.ws.schedule.span(step);
            DatedStep {
                step,
                label: step.label(),
                start,
                end,
            }
        })
        .collect()
}

/// The stamp of every event: the programme's earliest notice, so the same
/// programme gives the same bytes.
fn stamp(p: &Programme) -> NaiveDate {
    p.members
        .iter()
        .map(|m| m.ws.schedule.day(Step::Notification))
        .min()
        .unwrap_or_default()
}

/// The whole programme's calendar: every inspection's key dates.
pub fn programme_ics(p: &Programme) -> String {
    let steps: Vec<(String, String, Vec<DatedStep>)> = p
        .members
        .iter()
        .map(|m| {
            let i = &m.ws.inspection;
            (i.reference.clone(), i.area.clone(), key_steps(m, &KEY_STEPS))
        })
        .collect();
    let refs: Vec<(&str, &str, &[DatedStep])> = steps
        .iter()
        .map(|(r, a, s)| (r.as_str(), a.as_str(), s.as_slice()))
        .collect();
    crate::formats::ics::many(p.name(), &refs, stamp(p))
}

/// Each inspector's calendar of their own on-site days, by the file name
/// `<slug of inspector>.ics`, with their name as first written.
pub fn inspector_ics(p: &Programme) -> Vec<(String, String)> {
    let mut by: Vec<(String, Vec<&Member>)> = Vec::new();
    for m in &p.members {
        for (name, _) in m.ws.inspection.inspectors() {
            match by.iter_mut().find(|(n, _)| super::clashes::same_person(n, name)) {
                Some((_, ms)) => ms.push(m),
                None => by.push((name.to_string(), vec![m])),
            }
        }
    }
    let mut out: Vec<(String, String)> = by
        .into_iter()
        .map(|(name, ms)| {
            let steps: Vec<(String, String, Vec<DatedStep>)> = ms
                .iter()
                .map(|m| {
                    let i = &m.ws.inspection;
                    (i.reference.clone(), i.area.clone(), key_steps(m, &Step::ON_SITE))
                })
                .collect();
            let refs: Vec<(&str, &str, &[DatedStep])> = steps
                .iter()
                .map(|(r, a, s)| (r.as_str(), a.as_str(), s.as_slice()))
                .collect();
            let text = crate::formats::ics::many(&format!("{name}: on-site days"), &refs, stamp(p));
            (format!("{}.ics", slug(&name)), text)
        })
        .collect();
    out.sort();
    out
}
