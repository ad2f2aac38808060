use std::path::Path;

use scrutiny::workspace::Workspace;
use scrutiny::{Error, ErrorKind, Result};

/// `--received DATE`, or today.
pub fn received_date(received: Option<&str>) -> Result<chrono::NaiveDate> {
    Ok(match received {
        None => scrutiny::import::today(),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            Error::new(
                ErrorKind::Refused,
                format!("--received {s} is not a date: write it as YYYY-MM-DD, e.g. --received 2013-06-20"),
            )
        })?,
    })
}

pub fn import(file: &Path, dir: &Path, received: Option<&str>, replace: bool) -> Result<()> {
    let received = received_date(received)?;
    let ws = Workspace::load(dir)?;
    let written = scrutiny::import::import(&ws, file, received, replace)?;
    super::say(format!("wrote {}", written.display()));
    super::say("`scrutiny build` now makes out/action-plan/received.pdf, the plan as received");
    Ok(())
}
