//! Data + template → Typst source, as snapshots: a change to a built-in template
//! or to what the model hands it shows up here as a reviewable diff. Every
//! document template is covered, with the first document it makes from the
//! worked example.

use std::collections::BTreeMap;

use scrutiny::docs::{self, Kind};
use scrutiny::render::Engine;
use scrutiny::workspace::Workspace;

#[test]
fn every_templates_typst_source() {
    // The worked example (its report a draft), then the same with the report
    // final, for the letters of publication.
    let f = crate::common::Folder::example();
    let g = crate::common::Folder::example().edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    let engine = Engine::new(None).unwrap();
    let mut first = BTreeMap::new();
    for folder in [&f, &g] {
        let ws = Workspace::load(&folder.dir).unwrap();
        for kind in Kind::all() {
            for job in docs::plan(kind, &ws).unwrap().jobs {
                first.entry(job.template).or_insert(job);
            }
        }
    }
    for t in docs::templates() {
        let job = first
            .get(t.template)
            .unwrap_or_else(|| panic!("the worked example makes nothing from {}", t.template));
        let name = t.template.trim_end_matches(".typ");
        insta::assert_snapshot!(name, engine.source(job).unwrap(), &job.output);
    }
    assert_eq!(
        first.len(),
        docs::templates().count(),
        "a template is missing from its document's descriptor"
    );
}
