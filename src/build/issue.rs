//! What was sent, and which sent documents a change makes wrong.
//!
//! `scrutiny issue` records each document sent in `issued/<date>.json`: its
//! path, recipient, SHA-256, a hash of what it says, and the facts it states
//! (the dates, the recipient's name and address, the children listed), as
//! the module of `docs/` that planned it set them on its job
//! ([`crate::model::facts`]). A later build compares every document with the
//! last issue that holds it; one that now says something else is listed in
//! `out/reissue.csv`, and its new version says which letter it replaces and
//! what changed, in words made from the facts (a child is counted, never
//! named).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, ErrorKind, Problem, Problems, Result};
use crate::base::text::date_words_long;
use crate::docs::context::Replaces;
pub use crate::model::facts::{Dates, Facts, Recipient};
use crate::model::folder;

/// The list of issued documents that now differ, in OUT.
pub const REISSUE_CSV: &str = "reissue.csv";

pub use crate::model::issued::{Accepted, Days, Issue, Issued};

/// `what_changed` of a sent document the inspection no longer calls for.
pub const WITHDRAWN: &str = "The inspection no longer calls for this document: tell its recipient it is withdrawn.";

/// `what_changed` of a document of the draft report once the report is final:
/// nothing to tell, the final report replaces it when it is sent.
pub const SUPERSEDED: &str =
    "Superseded by the final report: nothing to send until the final report and its letters are issued.";

/// A document that goes with the draft report only: the letters sending it
/// and the form for comments on it.
pub fn of_the_draft(path: &str) -> bool {
    path.starts_with("report/letters/draft-") || path.starts_with("report/factual-accuracy.")
}

/// Whether the final report (or a letter publishing it) was sent after `draft_sent`.
pub fn final_sent_after<T>(sent: &BTreeMap<String, (NaiveDate, T)>, draft_sent: NaiveDate) -> bool {
    sent.iter().any(|(path, (date, _))| {
        *date > draft_sent && (path == "report/public-report.pdf" || path.starts_with("report/letters/publication-"))
    })
}

/// A sent document that now differs: a row of `reissue.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reissue {
    pub document: String,
    pub recipient: String,
    pub issued: NaiveDate,
    pub what_changed: String,
}

/// Every issue of the folder, oldest first. A file that does not read is an
/// error naming it (a lead's record of what was sent is never ignored).
pub fn load(root: &Path) -> Result<Vec<Issue>> {
    let dir = root.join(folder::ISSUED);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut problems = Problems::default();
    let mut issues = Vec::new();
    for path in paths {
        let shown = format!(
            "{}/{}",
            folder::ISSUED,
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let text = match crate::base::files::read_regular(&path, crate::base::files::MAX_RETURNED) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::new(&shown, format!("could not be read: {e}")));
                continue;
            }
        };
        match serde_json::from_slice::<Issue>(&text) {
            Ok(issue) => issues.push(issue),
            Err(e) => problems.push(
                Problem::new(&shown, format!("is not a record of an issue: {e}"))
                    .at(e.line(), e.column())
                    .help("scrutiny writes these files with `scrutiny issue`; put back the file as it wrote it"),
            ),
        }
    }
    problems.finish(())?;
    issues.sort_by_key(|i| i.issued);
    Ok(issues)
}

/// The last issue of each document: its date and what was sent.
pub fn latest(issues: &[Issue]) -> BTreeMap<&str, (NaiveDate, &Issued)> {
    let mut by_path = BTreeMap::new();
    for issue in issues {
        for d in &issue.documents {
            by_path.insert(d.path.as_str(), (issue.issued, d));
        }
    }
    by_path
}

/// What each changed document says now that was accepted as needing no new
/// version since it was last sent: its path and [`Issued::content`].
pub fn accepted(issues: &[Issue]) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for issue in issues {
        for d in &issue.documents {
            map.remove(&d.path);
        }
        for a in &issue.accepted {
            map.insert(a.path.clone(), a.content.clone());
        }
    }
    map
}

/// Writes `issued/<date>.json`, adding to the issue of that day if there is one
/// (a document issued twice that day keeps the later record).
pub fn record(
    root: &Path,
    issued: NaiveDate,
    documents: Vec<Issued>,
    schedule: &crate::rules::schedule::Schedule,
) -> Result<PathBuf> {
    write_record(root, issued, schedule, |issue| {
        replace_by_path(&mut issue.documents, documents, |d| &d.path);
    })
}

/// `list` with `new` in place of the entries of the same paths, by path.
fn replace_by_path<T>(list: &mut Vec<T>, new: Vec<T>, path: impl Fn(&T) -> &String) {
    let paths: BTreeSet<String> = new.iter().map(|d| path(d).clone()).collect();
    list.retain(|d| !paths.contains(path(d)));
    list.extend(new);
    list.sort_by(|a, b| path(a).cmp(path(b)));
}

/// Records in `issued/<date>.json` that each of `documents`, changed since
/// it was sent, needs no new version as it now stands.
pub fn accept(
    root: &Path,
    issued: NaiveDate,
    documents: Vec<Issued>,
    schedule: &crate::rules::schedule::Schedule,
) -> Result<PathBuf> {
    write_record(root, issued, schedule, |issue| {
        let accepted = documents.into_iter().map(|d| Accepted {
            path: d.path,
            content: d.content,
            facts: d.facts,
        });
        replace_by_path(&mut issue.accepted, accepted.collect(), |d| &d.path);
    })
}

/// Reads `issued/<date>.json` (or starts it), changes it and writes it whole.
fn write_record(
    root: &Path,
    issued: NaiveDate,
    schedule: &crate::rules::schedule::Schedule,
    change: impl FnOnce(&mut Issue),
) -> Result<PathBuf> {
    let dir = root.join(folder::ISSUED);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create", e))?;
    let path = dir.join(format!("{issued}.json"));
    let mut issue = match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice::<Issue>(&bytes).map_err(|e| {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "{} is not a record of an issue ({e}); nothing was recorded",
                    path.display()
                ),
            )
        })?,
        Err(_) => Issue {
            issued,
            generator: String::new(),
            documents: Vec::new(),
            schedule: BTreeMap::new(),
            accepted: Vec::new(),
        },
    };
    issue.schedule = crate::rules::history::record_of(schedule);
    issue.generator = format!("scrutiny {}", env!("CARGO_PKG_VERSION"));
    change(&mut issue);
    let json = serde_json::to_vec_pretty(&issue).expect("serialisable issue");
    // Written whole beside it, then renamed: a record is never half written.
    let tmp = dir.join(format!(".{issued}.json.tmp"));
    std::fs::write(&tmp, json).map_err(|e| Error::io(&tmp, "write", e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, "write", e))?;
    Ok(path)
}

/// Copies each recorded document from OUT into `issued/<date>/<its path>`:
/// the bytes whose SHA-256 the record holds (a file of OUT that no longer
/// has them is an error, and nothing is copied). Gives how many were copied.
pub fn keep_copies(root: &Path, out: &Path, issued: NaiveDate, documents: &[Issued]) -> Result<usize> {
    let dir = root.join(folder::ISSUED).join(issued.to_string());
    let mut files = Vec::with_capacity(documents.len());
    for d in documents {
        let from = out.join(&d.path);
        let bytes = std::fs::read(&from).map_err(|e| Error::io(&from, "read", e))?;
        if crate::build::out::sha256_hex(&bytes) != d.sha256 {
            return Err(Error::new(
                ErrorKind::Refused,
                format!(
                    "{} changed while it was being recorded; run `scrutiny issue` again",
                    from.display()
                ),
            ));
        }
        let to = dir.join(&d.path);
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        files.push((to, bytes));
    }
    crate::base::files::write_all_replacing(&files)?;
    Ok(files.len())
}

/// Who a document went to, in words: "Jane Smith, Chief Executive, Glenaird
/// Council", or `everyone` when it names no one.
pub fn recipient_words(facts: &Facts, everyone: &str) -> String {
    facts
        .recipient
        .as_ref()
        .map_or_else(|| everyone.to_string(), Recipient::words)
}

/// The key of the first on-site phase, which begins the inspection.
const PHASE_TWO: &str = "phase_two";

/// What changed between what was sent and what the document says now, one
/// sentence each, the new commencement first; empty when no fact changed (the wording did).
pub fn changes(was: &Facts, now: &Facts) -> Vec<String> {
    // Dates in the order they fall.
    let mut moved: Vec<(&Dates, &Dates)> = now
        .dates
        .iter()
        .filter_map(|(key, new)| was.dates.get(key).map(|old| (old, new)))
        .filter(|(old, new)| (old.start, old.end) != (new.start, new.end))
        .collect();
    moved.sort_by_key(|(_, new)| (new.start, new.end));
    // What every reader acts on first: the day the inspection begins.
    let begins = |d: &Dates| date_words_long(d.start);
    let mut said: Vec<String> = match (was.dates.get(PHASE_TWO), now.dates.get(PHASE_TWO)) {
        (Some(old), Some(new)) if old.start != new.start => vec![format!(
            "The inspection now begins on {}, not {}.",
            begins(new),
            begins(old)
        )],
        _ => Vec::new(),
    };
    said.extend(
        moved
            .into_iter()
            .map(|(old, new)| format!("{}: now {}, not {}.", new.label, span(new), span(old))),
    );
    if let (Some(old), Some(new)) = (&was.recipient, &now.recipient) {
        if old.words() != new.words() {
            said.push(format!(
                "The letter is now addressed to {}, not {}.",
                new.words(),
                old.words()
            ));
        }
        if old.address != new.address {
            said.push(format!(
                "The address is now {}, not {}.",
                new.address.join(", "),
                old.address.join(", ")
            ));
        }
    }
    // A sender's detail changed: said when both versions state it (records
    // written before the details were kept say only that the wording changed).
    for (label, new) in &now.contact {
        if let Some(old) = was.contact.get(label).filter(|old| *old != new) {
            said.push(format!("{label}: now {new}, not {old}."));
        }
    }
    if let (Some(old), Some(new)) = (&was.children, &now.children) {
        let old: BTreeSet<&String> = old.iter().collect();
        let new: BTreeSet<&String> = new.iter().collect();
        let added = new.difference(&old).count();
        let removed = old.difference(&new).count();
        if let Some(s) = children_words(added, removed) {
            said.push(s);
        }
    }
    said
}

/// "The letter now lists one more child." — counted, never named.
fn children_words(added: usize, removed: usize) -> Option<String> {
    let n = |k: usize| crate::rules::methodology::house_count(k);
    let children = |k: usize| if k == 1 { "child" } else { "children" };
    match (added, removed) {
        (0, 0) => None,
        (a, 0) => Some(format!("The letter now lists {} more {}.", n(a), children(a))),
        (0, r) => Some(format!("The letter now lists {} {} fewer.", n(r), children(r))),
        (a, r) => Some(format!(
            "The letter now lists {} {} it did not list before, and no longer lists {} {} it listed.",
            n(a),
            children(a),
            n(r),
            children(r)
        )),
    }
}

/// "Monday 11 March 2013", or "Monday 11 March 2013 to Friday 22 March 2013".
fn span(d: &Dates) -> String {
    if d.start == d.end {
        date_words_long(d.start)
    } else {
        format!("{} to {}", date_words_long(d.start), date_words_long(d.end))
    }
}

/// The sentence that heads a reissued document (a letter replaces our letter,
/// anything else the document we sent), dated `dated`, the day it is sent:
/// the first change (what the reader must act on) goes with it, the others
/// after the signature.
pub fn replaces(path: &str, issued: NaiveDate, changes: Vec<String>, dated: NaiveDate) -> Replaces {
    let letter = crate::docs::is_letter(path);
    let on = crate::base::text::date_words(issued);
    let sentence = if letter {
        format!("This letter replaces our letter of {on}.")
    } else {
        format!("This document replaces the version we sent on {on}.")
    };
    let mut changes = if changes.is_empty() {
        vec!["Its wording has changed.".to_string()]
    } else {
        changes
    };
    let others = changes.split_off(1);
    Replaces {
        sentence,
        changes,
        others_count: crate::base::text::capitalised(&crate::rules::methodology::spelt(others.len())),
        others,
        date: crate::base::text::date_words(dated),
        people: Vec::new(),
    }
}

/// Every change a replacement states, first the one to act on.
pub fn all_changes(r: &Replaces) -> String {
    r.changes.iter().chain(&r.others).cloned().collect::<Vec<_>>().join(" ")
}

/// `reissue.csv`: document,recipient,issued,what_changed.
pub fn csv(rows: &[Reissue]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).expect("a row in memory");
    }
    w.into_inner().expect("a table in memory")
}

/// The rows of an earlier `reissue.csv` (kept for the kinds a build with
/// `--only` does not make).
pub fn read_csv(bytes: &[u8]) -> Vec<Reissue> {
    csv::Reader::from_reader(bytes).deserialize().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dated(key: &str, label: &str, start: &str, end: &str) -> Facts {
        let mut f = Facts::default();
        f.dates.insert(
            key.into(),
            Dates {
                label: label.into(),
                start: d(start),
                end: d(end),
            },
        );
        f
    }

    #[test]
    fn a_moved_date_is_said_with_both_dates_in_words() {
        let was = dated("core", "Core phase", "2013-03-04", "2013-03-08");
        let now = dated("core", "Core phase", "2013-03-11", "2013-03-15");
        assert_eq!(
            changes(&was, &now),
            ["Core phase: now Monday 11 March 2013 to Friday 15 March 2013, \
              not Monday 4 March 2013 to Friday 8 March 2013."]
        );
        assert!(changes(&was, &was).is_empty());
    }

    #[test]
    fn a_new_commencement_leads_and_the_rest_follow_the_signature() {
        let mut was = dated("phase_two", "Scoping phase two", "2013-03-04", "2013-03-06");
        let mut now = dated("phase_two", "Scoping phase two", "2013-03-11", "2013-03-13");
        was.date("core", "Core phase", d("2013-03-14"), d("2013-03-20"));
        now.date("core", "Core phase", d("2013-03-21"), d("2013-03-27"));
        let said = changes(&was, &now);
        assert_eq!(
            said[0],
            "The inspection now begins on Monday 11 March 2013, not Monday 4 March 2013."
        );
        let r = replaces("notice/a.pdf", d("2012-12-10"), said, d("2012-12-17"));
        assert_eq!(r.sentence, "This letter replaces our letter of 10 December 2012.");
        assert_eq!(r.date, "17 December 2012");
        assert_eq!(r.changes.len(), 1);
        assert_eq!(r.others.len(), 2);
        assert_eq!(r.others_count, "Two");
        assert!(all_changes(&r).contains("Core phase: now Thursday 21 March 2013"));
    }

    #[test]
    fn children_are_counted_never_named() {
        let list = |refs: &[&str]| Facts {
            children: Some(refs.iter().map(|s| s.to_string()).collect()),
            ..Facts::default()
        };
        let said = changes(&list(&["GL-1", "GL-2"]), &list(&["GL-1", "GL-2", "GL-3"]));
        assert_eq!(said, ["The letter now lists one more child."]);
        let said = changes(&list(&["GL-1", "GL-2"]), &list(&["GL-3"]));
        assert_eq!(
            said,
            ["The letter now lists one child it did not list before, and no longer lists two children it listed."]
        );
        assert!(!said.concat().contains("GL-"));
    }

    #[test]
    fn a_new_address_and_a_new_addressee_are_said() {
        let person = |name: &str, line: &str| Facts {
            recipient: Some(Recipient {
                name: name.into(),
                role: "Chief Executive".into(),
                organisation: "Glenaird Council".into(),
                address: vec![line.into()],
            }),
            ..Facts::default()
        };
        let said = changes(&person("Ann Bell", "1 High St"), &person("Tom Reid", "2 High St"));
        assert_eq!(
            said,
            [
                "The letter is now addressed to Tom Reid, Chief Executive, Glenaird Council, \
                 not Ann Bell, Chief Executive, Glenaird Council.",
                "The address is now 2 High St, not 1 High St."
            ]
        );
    }
}
