use std::path::Path;

use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub(super) fn run(dir: &Path, json: bool) -> Result<()> {
    let ws = Workspace::load(dir)?;
    if json {
        super::say_json(&serde_json::to_string_pretty(&ws.schedule).expect("serialisable schedule"));
    } else {
        super::say(format!(
            "{} {}: {} working days on site\n",
            ws.inspection.reference,
            ws.inspection.area,
            ws.schedule.on_site_days(&ws.calendar).len()
        ));
        super::say(ws.schedule.to_table().trim_end());
    }
    Ok(())
}
