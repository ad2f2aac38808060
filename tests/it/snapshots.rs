//! Data + template → Typst source, as snapshots: a change to a built-in template
//! or to what the model hands it shows up here as a reviewable diff. Every
//! document template is covered, with the first document it makes from the
//! worked example.

use std::collections::BTreeMap;
use std::path::Path;

use scrutiny::docs::context::TEMPLATES;
use scrutiny::docs::{self, Kind};
use scrutiny::render::Engine;
use scrutiny::workspace::Workspace;

#[test]
fn every_templates_typst_source() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    let ws = Workspace::load(&dir).unwrap();
    let engine = Engine::new(None).unwrap();
    let mut first = BTreeMap::new();
    for kind in Kind::ALL {
        for job in docs::plan(*kind, &ws).unwrap().jobs {
            first.entry(job.template).or_insert(job);
        }
    }
    for t in TEMPLATES {
        let job = first
            .get(t.template)
            .unwrap_or_else(|| panic!("the worked example makes nothing from {}", t.template));
        let name = t.template.trim_end_matches(".typ");
        insta::assert_snapshot!(name, engine.source(job).unwrap(), &job.output);
    }
    assert_eq!(
        first.len(),
        TEMPLATES.len(),
        "a template is missing from context::TEMPLATES"
    );
}
