use std::path::Path;

use scrutiny::returns::{self, action_plan};
use scrutiny::workspace::Workspace;
use scrutiny::{Error, ErrorKind, Result};

/// `--received DATE`, or today: a date given is written as a date (checked
/// before the folder is read) and within the inspection's years (once it is).
pub(super) fn received_date(received: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    received
        .map(|s| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                Error::new(
                    ErrorKind::Refused,
                    format!("--received {s} is not a date: write it as YYYY-MM-DD, e.g. --received 2013-06-20"),
                )
            })
        })
        .transpose()
}

/// The date the return arrived: `--received`, within the inspection's years, or today.
pub(super) fn received_on(ws: &Workspace, received: Option<chrono::NaiveDate>) -> Result<chrono::NaiveDate> {
    match received {
        Some(date) => ws.schedule.date_argument("--received", date),
        None => Ok(returns::today()),
    }
}

pub(super) fn import(file: &Path, dir: &Path, received: Option<&str>, replace: bool) -> Result<()> {
    let received = received_date(received)?;
    let ws = Workspace::load(dir)?;
    let received = received_on(&ws, received)?;
    let done = returns::import(action_plan::Import { ws: &ws, received }, file, replace)?;
    for w in &done.warnings {
        super::complain(format!("warning: {}", w.to_string().replace('\n', "\n  ")));
    }
    super::say(format!("wrote {}", done.path.display()));
    super::say("`scrutiny build` now makes out/action-plan/received.pdf, the plan as received");
    Ok(())
}
