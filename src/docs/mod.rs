//! One module per document kind. Each turns the checked workspace into render
//! jobs (and any plain files) for its output folder.

pub mod action_plan;
pub mod briefing;
pub mod context;
pub mod notice;
pub mod position;
pub mod report;
pub mod requests;
pub mod sample;

use std::fmt;

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
    Report,
    ActionPlan,
}

impl Kind {
    /// Every kind this release makes, in build order.
    pub const ALL: &'static [Kind] = &[
        Kind::Notice,
        Kind::Briefing,
        Kind::PositionStatements,
        Kind::Sample,
        Kind::Requests,
        Kind::Report,
        Kind::ActionPlan,
    ];

    pub fn folder(self) -> &'static str {
        match self {
            Kind::Notice => "notice",
            Kind::Briefing => "briefing",
            Kind::PositionStatements => "position-statements",
            Kind::Sample => "sample",
            Kind::Requests => "requests",
            Kind::Report => "report",
            Kind::ActionPlan => "action-plan",
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
        Kind::Report => report::plan(ws),
        Kind::ActionPlan => action_plan::plan(ws),
    }
}

/// The [`context::Common`] variables as one template value, built once per plan
/// and shared by its jobs (a cheap reference-counted value), so that a build of
/// thousands of letters holds one copy.
pub fn base_context(ws: &Workspace) -> minijinja::Value {
    minijinja::Value::from_serialize(context::Common::new(ws))
}

/// A job whose template sees `base` with this job's own typed context on top.
pub fn job(
    template: &'static str,
    output: String,
    base: &minijinja::Value,
    own: &impl serde::Serialize,
    date: chrono::NaiveDate,
) -> Job {
    Job {
        template,
        output,
        context: minijinja::value::merge_maps([base.clone(), minijinja::Value::from_serialize(own)]),
        date,
        published: false,
        fields: None,
    }
}
