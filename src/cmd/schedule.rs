use std::path::Path;

use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub(super) fn run(dir: &Path, json: bool, ics: bool) -> Result<()> {
    let ws = Workspace::load(dir)?;
    if ics {
        let stamp = ws.schedule.day(scrutiny::rules::schedule::Step::Notification);
        let text = scrutiny::formats::ics::calendar(
            &ws.inspection.reference,
            &ws.inspection.area,
            &ws.schedule.steps(),
            stamp,
        );
        use std::io::Write;
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    } else if json {
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
