//! `received.toml`: read (every problem located) and written one date at a
//! time, keeping what a lead wrote there by hand.

use std::path::Path;

use chrono::NaiveDate;

use crate::base::error::{did_you_mean, Error, ErrorKind, Problem, Problems, Result};
use crate::model::folder;
use crate::model::received::{Received, KEYS};

/// The line of the first line of `text` that starts with `key`.
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('[');
            l.starts_with(key)
        })
        .map_or(1, |i| i + 1)
}

fn date_of(v: &toml::Value) -> Option<NaiveDate> {
    let dt = v.as_datetime()?;
    match (&dt.date, &dt.time) {
        (Some(d), None) => NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32),
        _ => None,
    }
}

/// What came back, from `received.toml` when the folder has it.
pub fn load(root: &Path, problems: &mut Problems) -> Received {
    let mut received = Received::default();
    let path = root.join(folder::RECEIVED);
    if !path.exists() {
        return received;
    }
    let text = match crate::base::files::read_regular(&path, crate::base::files::MAX_RETURNED) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            problems.push(Problem::new(folder::RECEIVED, format!("could not be read: {e}")));
            return received;
        }
    };
    let table: toml::Table = match toml::from_str(&text) {
        Ok(t) => t,
        Err(e) => {
            let (line, col) = e.span().map_or((1, 1), |s| crate::base::text::line_col(&text, s.start));
            problems.push(
                Problem::new(
                    folder::RECEIVED,
                    format!("this is not valid TOML: {}", e.message().trim()),
                )
                .at(line, col)
                .help("each line is `key = YYYY-MM-DD`, e.g. population_list = 2013-02-04"),
            );
            return received;
        }
    };
    let keys: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    for (key, value) in &table {
        let line = line_of(&text, key);
        if !keys.contains(&key.as_str()) {
            problems.push(
                Problem::new(folder::RECEIVED, format!("`{key}` is not something that comes back"))
                    .at(line, 1)
                    .help(did_you_mean(key, keys.iter().copied()).map_or_else(
                        || format!("the keys are {}", keys.join(", ")),
                        |k| format!("did you mean `{k}`?"),
                    )),
            );
            continue;
        }
        let dates = match value {
            toml::Value::Table(by) => by
                .iter()
                .map(|(from, v)| (Some(from.clone()), date_of(v)))
                .collect::<Vec<_>>(),
            v => vec![(None, date_of(v))],
        };
        for (from, date) in dates {
            match date {
                Some(d) => received.by_key.entry(key.clone()).or_default().push((from, d)),
                None => problems.push(
                    Problem::new(folder::RECEIVED, format!("`{key}` is not a date"))
                        .at(line_of(&text, from.as_deref().unwrap_or(key)), 1)
                        .help("write the day it came as YYYY-MM-DD, e.g. 2013-02-04, without quotes"),
                ),
            }
        }
    }
    received
}

/// Records in `received.toml` that `key` came back on `date` (from `from`,
/// when given), keeping everything else the file says.
pub fn record(root: &Path, key: &str, from: Option<&str>, date: NaiveDate) -> Result<()> {
    let keys: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    if !keys.contains(&key) {
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "`{key}` is not something that comes back: {}",
                did_you_mean(key, keys.iter().copied()).map_or_else(
                    || format!("choose from {}", keys.join(", ")),
                    |k| format!("did you mean `{k}`?")
                )
            ),
        ));
    }
    let path = root.join(folder::RECEIVED);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let text = with_date(&text, key, from, date);
    if let Err(e) = toml::from_str::<toml::Table>(&text) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{} could not take the date ({}): edit it by hand; nothing was recorded",
                path.display(),
                e.message().trim()
            ),
        ));
    }
    crate::base::files::write_all_replacing(&[(path, text.into_bytes())])
}

/// `text` with `key` (or `from` in the table `[key]`) set to `date`, every
/// other line as it was.
fn with_date(text: &str, key: &str, from: Option<&str>, date: NaiveDate) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let is_key = |l: &str, k: &str| {
        let l = l.trim_start();
        l.strip_prefix(k).is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let header = |l: &str| l.trim_start().starts_with('[');
    match from {
        None => match lines.iter().position(|l| is_key(l, key)) {
            Some(i) => lines[i] = format!("{key} = {date}"),
            None => {
                // A key of its own goes before the first table.
                let at = lines.iter().position(|l| header(l)).unwrap_or(lines.len());
                lines.insert(at, format!("{key} = {date}"));
            }
        },
        Some(from) => {
            let table = format!("[{key}]");
            match lines.iter().position(|l| l.trim() == table) {
                Some(h) => {
                    let end = (h + 1..lines.len()).find(|&i| header(&lines[i])).unwrap_or(lines.len());
                    match (h + 1..end).find(|&i| is_key(&lines[i], from)) {
                        Some(i) => lines[i] = format!("{from} = {date}"),
                        None => lines.insert(h + 1, format!("{from} = {date}")),
                    }
                }
                None => {
                    lines.push(String::new());
                    lines.push(table);
                    lines.push(format!("{from} = {date}"));
                }
            }
        }
    }
    lines.join("\n") + "\n"
}
