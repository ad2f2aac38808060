//! `scrutiny status`: what is due, overdue and awaited on a day, and what went out.

use std::path::Path;

use scrutiny::base::text::{count, date_short, date_words};
use scrutiny::rules::history::State;
use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub(super) fn run(dir: &Path, date: Option<&str>, json: bool) -> Result<()> {
    let ws = Workspace::load(dir)?;
    let on = match date {
        Some(d) => super::date_argument(dir, "--date", d)?,
        None => chrono::Local::now().date_naive(),
    };
    let states = scrutiny::rules::history::status(&ws.schedule, &ws.calendar, &ws.received, on);
    if json {
        super::say_json(&serde_json::to_string_pretty(&states).expect("serialisable status"));
        return Ok(());
    }
    super::say(format!(
        "{} {} on {}\n",
        ws.inspection.reference,
        ws.inspection.area,
        date_words(on)
    ));
    for s in &states {
        let state = match (s.state, s.late_days, s.received) {
            (State::Overdue, Some(n), _) => format!("overdue, {} late", count(n, "working day", "working days")),
            (State::Received, _, Some(d)) => format!("received {}", date_short(d)),
            (state, _, _) => serde_json::to_value(state)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
        };
        super::say(format!("{:<18}  {:<32}  {}", date_short(s.date), state, s.label));
    }
    if !ws.issues.is_empty() {
        super::say("\nWhat went out:");
        for issue in ws.issues.iter().filter(|i| !i.documents.is_empty()) {
            let mut folders: std::collections::BTreeMap<&str, usize> = Default::default();
            for d in &issue.documents {
                *folders.entry(d.path.split('/').next().unwrap_or_default()).or_default() += 1;
            }
            let what: Vec<String> = folders.iter().map(|(f, n)| format!("{f} ({n})")).collect();
            super::say(format!("  {}: {}", date_words(issue.issued), what.join(", ")));
        }
    }
    Ok(())
}
