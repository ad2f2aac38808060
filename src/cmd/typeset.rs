//! `scrutiny __typeset DIR` (hidden): the child process that typesets a
//! folder's own templates within limits, for a build (`scrutiny::render::bounded`).

use std::path::Path;

use scrutiny::Result;

pub(super) fn run(dir: &Path) -> Result<()> {
    scrutiny::render::bounded::serve(dir, std::io::stdin(), std::io::stdout())
}
