//! `scrutiny sample`: draw the sample, keep it, replace a child who left the
//! population, or draw it again.

use std::path::{Path, PathBuf};

use scrutiny::build::{build, BuildOptions};
use scrutiny::docs::Kind;
use scrutiny::workspace::{frozen, Workspace};
use scrutiny::{Error, ErrorKind, Result};

/// What `scrutiny sample` is asked to do besides drawing.
pub(crate) struct Asked {
    pub keep: bool,
    pub replace: Option<String>,
    pub redraw: bool,
}

pub(super) fn run(dir: &Path, out: Option<PathBuf>, asked: Asked) -> Result<()> {
    if asked.redraw {
        frozen::forget(dir)?;
    }
    if let Some(case_ref) = &asked.replace {
        replace(dir, case_ref)?;
    }
    let mut only = vec![Kind(&scrutiny::docs::sample::DOC)];
    if asked.redraw || asked.replace.is_some() {
        only.push(Kind(&scrutiny::docs::requests::DOC));
    }
    let report = build(
        dir,
        &BuildOptions {
            out,
            only,
            bounds: Some(super::bounds()?),
            ..Default::default()
        },
    )?;
    super::build::print_report(&report);
    if asked.redraw {
        let wrong: Vec<&str> = report
            .reissued
            .iter()
            .filter(|r| r.document.starts_with("requests/"))
            .map(|r| r.document.as_str())
            .collect();
        super::say(format!(
            "the new draw makes {} sent wrong{}{}",
            scrutiny::base::text::count(wrong.len(), "request letter", "request letters"),
            if wrong.is_empty() { "" } else { ": " },
            wrong.join(", ")
        ));
    }
    if (asked.keep || asked.redraw) && !dir.join(scrutiny::model::folder::SAMPLE).exists() {
        keep(dir)?;
    }
    Ok(())
}

/// Keeps the sample as drawn in the folder's sample.csv.
pub(super) fn keep(dir: &Path) -> Result<()> {
    let ws = Workspace::load(dir)?;
    frozen::keep(dir, &ws.sample, &ws.population)?;
    super::say(format!(
        "kept the sample of {} in {}: it is read from there from now on, and children added to \
         population.csv later are not sampled",
        scrutiny::base::text::count(ws.sample.children.len(), "child", "children"),
        dir.join(scrutiny::model::folder::SAMPLE).display()
    ));
    Ok(())
}

fn replace(dir: &Path, case_ref: &str) -> Result<()> {
    let mut problems = scrutiny::base::error::Problems::default();
    let kept = frozen::read(dir, &mut problems);
    let kept = problems.finish(kept)?.ok_or_else(|| {
        Error::new(
            ErrorKind::Refused,
            "--replace: the sample is not kept yet (it is drawn afresh at each build); \
             `scrutiny sample --keep` keeps it",
        )
    })?;
    let ws = Workspace::load(dir)?;
    let new = frozen::replace(dir, &kept, &ws.population, ws.inspection.sampling.seed, case_ref)?;
    super::say(format!(
        "{case_ref} is replaced by {new}, of the same category, in sample.csv (its `replaces` column says so): \
         the request letters to their holders change; send them with `scrutiny issue --only requests`"
    ));
    Ok(())
}
