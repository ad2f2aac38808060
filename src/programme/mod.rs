//! The programme: many inspection folders side by side (`programme.toml`),
//! their key dates as one timeline, the clashes between them, and the
//! programme's documents (the timeline, the review of published inspections).
//!
//! Each inspection is loaded and checked exactly as `scrutiny check` does;
//! this module only reads what they hold together.

pub mod build;
pub mod clashes;
pub mod review;
pub mod timeline;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::error::{Error, ErrorKind, Problem, Result};
use crate::base::text::count;
use crate::rules::schedule::Step;
use crate::workspace::Workspace;

pub use crate::workspace::programme::Programme as Settings;

/// One inspection of the programme: its folder (as `programme.toml` names
/// it) and the folder loaded and checked.
#[derive(Debug)]
pub struct Member {
    pub folder: String,
    pub ws: Workspace,
}

/// A programme folder loaded: its settings and every inspection.
#[derive(Debug)]
pub struct Programme {
    pub root: PathBuf,
    pub settings: Settings,
    pub members: Vec<Member>,
}

impl Programme {
    /// The programme's name.
    pub fn name(&self) -> &str {
        &self.settings.file.name
    }

    /// Every clash of the programme, with the limits its file sets.
    pub fn clashes(&self) -> Vec<clashes::Clash> {
        let s = &self.settings;
        clashes::all(
            &self.visits(),
            &clashes::Limits {
                away: &s.file.away,
                away_lines: &s.away_lines,
                spacing_days: s.file.spacing_days.map(|d| (d, s.spacing_line)),
                quarter_days: s.file.quarter_days.map(|d| (d, s.quarter_line)),
            },
        )
    }

    /// Each inspection as the clash rules see it.
    pub fn visits(&self) -> Vec<clashes::Visit> {
        self.members.iter().map(Member::visit).collect()
    }
}

impl Member {
    /// What the clash rules need of the inspection: its people, its on-site
    /// days, its notice and publication.
    pub fn visit(&self) -> clashes::Visit {
        let i = &self.ws.inspection;
        let people = i.inspectors().map(|(n, l)| (n.to_string(), l.to_vec())).collect();
        clashes::Visit {
            folder: self.folder.clone(),
            reference: i.reference.clone(),
            area: i.area.clone(),
            notification: self.ws.schedule.day(Step::Notification),
            publication: self.ws.schedule.day(Step::Publication),
            on_site: self.ws.schedule.on_site_days(&self.ws.calendar),
            people,
        }
    }
}

/// Loads `root/programme.toml` and every inspection it names, each checked
/// as `scrutiny check` checks it (on every core). A folder's problems are
/// given at its own files, named with the folder: `eastmoor/inspection.toml:12:1`.
pub fn load(root: &Path) -> Result<Programme> {
    let settings = crate::workspace::programme::read(root)?;
    let loaded: Vec<(String, Result<Workspace>)> = settings
        .folders
        .par_iter()
        .map(|f| (f.clone(), Workspace::load(&root.join(f))))
        .collect();
    let mut members = Vec::with_capacity(loaded.len());
    let mut failed = Vec::new();
    let mut problems = Vec::new();
    for (folder, result) in loaded {
        match result {
            Ok(ws) => members.push(Member { folder, ws }),
            Err(e) => {
                problems.extend(e.problems().iter().map(|p| within(&folder, p)));
                if e.problems().is_empty() {
                    problems.push(Problem::new(&folder, e.to_string()));
                }
                failed.push(folder);
            }
        }
    }
    if !failed.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{} of the programme {} problems ({}); each is listed at its own file",
                count(failed.len(), "inspection", "inspections"),
                if failed.len() == 1 { "has" } else { "have" },
                failed.join(", ")
            ),
        )
        .with_problems(problems));
    }
    Ok(Programme {
        root: root.to_path_buf(),
        settings,
        members,
    })
}

/// A folder's problem named with the folder: its file is then found from the programme's.
fn within(folder: &str, p: &Problem) -> Problem {
    let mut p = p.clone();
    if !Path::new(&p.file).is_absolute() {
        p.file = format!("{folder}/{}", p.file);
    }
    p
}
