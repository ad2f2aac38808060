use std::path::{Path, PathBuf};

use scrutiny::build::{build, BuildOptions};
use scrutiny::docs::Kind;
use scrutiny::Result;

pub(super) fn run(dir: &Path, out: Option<PathBuf>) -> Result<()> {
    let report = build(
        dir,
        &BuildOptions {
            out,
            only: vec![Kind(&scrutiny::docs::sample::DOC)],
            bounds: Some(super::bounds()?),
            ..Default::default()
        },
    )?;
    super::build::print_report(&report);
    Ok(())
}
