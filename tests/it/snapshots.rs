//! Data + template → Typst source, as snapshots: a change to a built-in template
//! or to what the model hands it shows up here as a reviewable diff.

use std::path::Path;

use scrutiny::docs::{self, Kind};
use scrutiny::render::Engine;
use scrutiny::workspace::Workspace;

fn source(kind: Kind, output: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    let ws = Workspace::load(&dir).unwrap();
    let engine = Engine::new(None).unwrap();
    let plan = docs::plan(kind, &ws).unwrap();
    let job = plan
        .jobs
        .iter()
        .find(|j| j.output == output)
        .unwrap_or_else(|| panic!("no job {output}"));
    engine.source(job).unwrap()
}

#[test]
fn notice_source() {
    insta::assert_snapshot!(source(Kind::Notice, "notice/glenaird-council-chief-executive.pdf"));
}

#[test]
fn position_statement_source() {
    insta::assert_snapshot!(source(
        Kind::PositionStatements,
        "position-statements/post-adoption-support.pdf"
    ));
}

#[test]
fn rationale_source() {
    insta::assert_snapshot!(source(Kind::Sample, "sample/rationale.pdf"));
}
