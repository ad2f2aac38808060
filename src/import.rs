//! `scrutiny action-plan import`: the CPP's returned action plan, read from the
//! filled form, checked, and written as `action-plan.toml`. Every problem is
//! reported at once, located by field name; nothing is written unless all is well.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::{Error, ErrorKind, Problem, Problems, Result};
use crate::model::action_plan::{fields, parse_date, Action, ActionPlan, RAG};
use crate::workspace::Workspace;

pub const ACTION_PLAN_FILE: &str = "action-plan.toml";

/// Reads `file` (the filled action-plan PDF) for the inspection `ws` and writes
/// `action-plan.toml` in its folder, or refuses with every problem.
pub fn import(ws: &Workspace, file: &Path, received: NaiveDate, replace: bool) -> Result<PathBuf> {
    let target = ws.root.join(ACTION_PLAN_FILE);
    if target.exists() && !replace {
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "{} already exists; add --replace to overwrite it with this plan",
                target.display()
            ),
        ));
    }
    let Some(report) = &ws.report else {
        return Err(Error::new(
            ErrorKind::Refused,
            "the inspection folder has no findings/, so it has no recommendations to answer".to_string(),
        ));
    };
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, "read", e))?;
    let values = crate::form::read_fields(&bytes).map_err(|e| {
        let help = "import the action-plan.pdf made by `scrutiny build`, filled in and saved";
        Error::invalid_in("the returned action plan", vec![Problem::new(&name, e).help(help)])
    })?;
    let plan = check(&name, &values, &report.findings.recommendations, received)?;
    std::fs::write(&target, plan.to_toml()).map_err(|e| Error::io(&target, "write", e))?;
    Ok(target)
}

/// The plan in the form's values, or every problem with it.
pub fn check(
    file: &str,
    values: &BTreeMap<String, String>,
    recommendations: &[crate::model::findings::Recommendation],
    received: NaiveDate,
) -> Result<ActionPlan> {
    let mut problems = Problems::default();
    let at = |field: &str, message: String, help: &str| {
        Problem::new(file, message).place(format!("field {field}")).help(help)
    };
    let known: Vec<String> = fields(recommendations).into_iter().map(|f| f.name).collect();
    for name in values.keys() {
        if !known.contains(name) {
            let reference = name.split('_').next().unwrap_or(name);
            problems.push(at(
                name,
                format!("unknown reference `{reference}`: the inspection has no such recommendation"),
                "import the form made for this inspection by `scrutiny build`",
            ));
        }
    }
    let value = |name: &str| values.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    let date = |name: &str, problems: &mut Problems| -> Option<NaiveDate> {
        let v = value(name);
        if v.is_empty() {
            return None;
        }
        let d = parse_date(&v);
        if d.is_none() {
            problems.push(at(
                name,
                format!("`{v}` is not a date"),
                "write the date as DD/MM/YYYY, e.g. 31/03/2014",
            ));
        }
        d
    };
    let submitted_on = date("submitted_on", &mut problems);
    let mut actions = Vec::new();
    for r in recommendations {
        let f = |part: &str| format!("{}_{part}", r.id);
        for part in ["action", "lead", "target"] {
            if value(&f(part)).is_empty() {
                let what = match part {
                    "action" => "action",
                    "lead" => "lead officer",
                    _ => "target date",
                };
                problems.push(at(
                    &f(part),
                    format!("recommendation {} has no {what}", r.id),
                    "every recommendation needs an action, a lead officer and a target date",
                ));
            }
        }
        let start = date(&f("start"), &mut problems);
        let target = date(&f("target"), &mut problems);
        if let (Some(s), Some(t)) = (start, target) {
            if s > t {
                problems.push(at(
                    &f("start"),
                    format!("recommendation {} starts ({s}) after its target date ({t})", r.id),
                    "check the two dates: the start date must be on or before the target date",
                ));
            }
        }
        let rag = value(&f("rag"));
        let rag = match RAG.iter().find(|w| w.eq_ignore_ascii_case(&rag)) {
            Some(w) => w.to_string(),
            None if rag.is_empty() => String::new(),
            None => {
                problems.push(at(
                    &f("rag"),
                    format!("`{rag}` is not a RAG status"),
                    "choose Red, Amber or Green",
                ));
                rag
            }
        };
        if let Some(target) = target {
            actions.push(Action {
                recommendation: r.id.clone(),
                action: value(&f("action")),
                lead: value(&f("lead")),
                partners: value(&f("partners")),
                start,
                target,
                measure: value(&f("measure")),
                progress: value(&f("progress")),
                rag,
            });
        }
    }
    let source = Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    if !problems.is_empty() {
        return Err(Error::invalid_in("the returned action plan", problems.into_vec()));
    }
    Ok(ActionPlan {
        received,
        source,
        cpp_contact: value("cpp_contact"),
        submitted_on,
        actions,
    })
}

/// Today, in UTC: the default date a plan was received.
pub fn today() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date") + chrono::Days::new(secs / 86_400)
}
