//! One module per document kind. Each turns the checked workspace into render
//! jobs (and any plain files) for its output folder.

pub mod briefing;
pub mod notice;
pub mod position;
pub mod requests;
pub mod sample;

use std::fmt;

use serde_json::{json, Value};

use crate::error::Result;
use crate::render::Job;
use crate::workspace::Workspace;

/// An output folder of `out/`, and the `--only` name for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Notice,
    Briefing,
    PositionStatements,
    Sample,
    Requests,
}

impl Kind {
    /// Every kind this release makes, in build order.
    pub const ALL: &'static [Kind] = &[
        Kind::Notice,
        Kind::Briefing,
        Kind::PositionStatements,
        Kind::Sample,
        Kind::Requests,
    ];

    pub fn folder(self) -> &'static str {
        match self {
            Kind::Notice => "notice",
            Kind::Briefing => "briefing",
            Kind::PositionStatements => "position-statements",
            Kind::Sample => "sample",
            Kind::Requests => "requests",
        }
    }

    pub fn from_folder(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.folder() == s)
    }

    /// Kinds that must be rebuilt with this one.
    pub fn with_dependencies(self) -> Vec<Kind> {
        match self {
            // The letters depend on the draw, so the sample is rebuilt with them.
            Kind::Requests => vec![Kind::Sample, Kind::Requests],
            other => vec![other],
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.folder())
    }
}

/// What one kind contributes to a build.
#[derive(Default)]
pub struct Plan {
    pub jobs: Vec<Job>,
    /// Non-PDF files (CSV registers and the like): path relative to `out/`, bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Plans the documents of `kind`.
pub fn plan(kind: Kind, ws: &Workspace) -> Result<Plan> {
    match kind {
        Kind::Notice => notice::plan(ws),
        Kind::Briefing => briefing::plan(ws),
        Kind::PositionStatements => position::plan(ws),
        Kind::Sample => sample::plan(ws),
        Kind::Requests => requests::plan(ws),
    }
}

/// What every template sees: the inspection's settings and schedule. Built once
/// per plan and shared by its jobs (a cheap reference-counted value), so that a
/// build of thousands of letters holds one copy.
pub fn base_context(ws: &Workspace) -> minijinja::Value {
    let i = &ws.inspection;
    let mut m = serde_json::Map::new();
    m.insert(
        "inspection".into(),
        serde_json::to_value(i).expect("serialisable settings"),
    );
    m.insert(
        "schedule".into(),
        serde_json::to_value(&ws.schedule).expect("serialisable schedule"),
    );
    // Every dated step with its one label, in date order, and the labels by key,
    // so that a template prints a step as `scrutiny schedule` names it.
    m.insert("steps".into(), json!(ws.schedule.steps()));
    m.insert(
        "labels".into(),
        json!(crate::schedule::STEPS
            .iter()
            .map(|(k, l)| (k.to_string(), json!(l)))
            .collect::<serde_json::Map<_, _>>()),
    );
    m.insert(
        "on_site_days".into(),
        json!(ws.schedule.on_site_days(&ws.calendar).len()),
    );
    m.insert(
        "core_days".into(),
        json!(ws
            .calendar
            .working_days(ws.schedule.core.start, ws.schedule.core.end)
            .len()),
    );
    m.insert("position_statements".into(), position_statements(ws));
    minijinja::Value::from_serialize(Value::Object(m))
}

/// Position statements with their due dates resolved (their own, else the schedule's).
pub fn position_statements(ws: &Workspace) -> Value {
    Value::Array(
        ws.inspection
            .position_statements
            .iter()
            .map(|ps| {
                let recipient = ws.contact(&ps.recipient);
                json!({
                    "topic": ps.topic,
                    "due": ws.due(ps),
                    "recipient": recipient,
                })
            })
            .collect(),
    )
}

/// A job whose template sees `base` with this job's own values on top.
pub fn job(
    template: &'static str,
    output: String,
    base: &minijinja::Value,
    own: serde_json::Map<String, Value>,
    date: chrono::NaiveDate,
) -> Job {
    Job {
        template,
        output,
        context: minijinja::value::merge_maps([base.clone(), minijinja::Value::from_serialize(Value::Object(own))]),
        date,
    }
}
