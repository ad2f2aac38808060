use std::path::Path;

use scrutiny::returns::{self, comments};
use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub(super) fn import(file: &Path, dir: &Path, received: Option<&str>, replace: bool) -> Result<()> {
    let received = super::action_plan::received_date(received)?;
    let ws = Workspace::load(dir)?;
    let received = super::action_plan::received_on(&ws, received)?;
    let done = returns::import(comments::Import { ws: &ws, received }, file, replace)?;
    super::say(format!(
        "{} {}: {} from {}",
        if done.replaced { "replaced in" } else { "added to" },
        done.path.display(),
        scrutiny::base::text::count(done.comments, "comment", "comments"),
        done.organisation
    ));
    super::say("write the team's decision and response on each; `scrutiny build` makes out/report/comments-log.pdf");
    Ok(())
}
