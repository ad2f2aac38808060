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
    // The worked example, with a returned action plan for `received.typ`.
    let f = crate::common::Folder::example().write(
        "action-plan.toml",
        "received = 2013-05-14\nsource = \"returned.pdf\"\ncpp_contact = \"Jo Bell\"\n\n[[actions]]\n\
         recommendation = \"R1\"\naction = \"One template for plans\"\nlead = \"Head of Service\"\n\
         target = 2014-03-31\nrag = \"Green\"\n",
    );
    let ws = Workspace::load(&f.dir).unwrap();
    let engine = Engine::new(None).unwrap();
    let mut first = BTreeMap::new();
    for kind in Kind::all() {
        for job in docs::plan(kind, &ws).unwrap().jobs {
            first.entry(job.template).or_insert(job);
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
