//! `scrutiny received`: records in received.toml what came back and when.

use std::path::Path;

use scrutiny::Result;

pub(super) fn run(dir: &Path, key: &str, from: Option<&str>, date: Option<&str>) -> Result<()> {
    let on = match date {
        Some(d) => super::date_argument(dir, "--date", d)?,
        None => chrono::Local::now().date_naive(),
    };
    scrutiny::workspace::received::record(dir, key, from, on)?;
    super::say(format!(
        "recorded {key}{} received on {} in {}",
        from.map(|f| format!(" from {f}")).unwrap_or_default(),
        scrutiny::base::text::date_words(on),
        dir.join(scrutiny::model::folder::RECEIVED).display()
    ));
    Ok(())
}
