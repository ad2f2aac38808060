//! The document registry is the one place a document kind is described: each
//! kind, walked from the registry, builds from the worked example on its own,
//! is listed in the manifest with its marking, and is in the partnership's
//! zip exactly when its descriptor says the partnership receives it.

use scrutiny::docs::{self, Audience, Kind};

use crate::common::{zip_names, Folder};

#[test]
fn every_kind_in_the_registry_builds_is_listed_and_is_packed_as_it_says() {
    // The worked example has a returned plan, so every kind has something to make.
    let f = Folder::example();
    assert!(f.path("action-plan.toml").exists());
    f.build();
    let manifest: serde_json::Value = serde_json::from_str(&f.read("out/manifest.json")).unwrap();
    let files = manifest["files"].as_array().unwrap();
    let cpp = zip_names(&f.path("out/pack/cpp.zip"));
    let g = Folder::example().edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    g.build();
    let final_manifest: serde_json::Value = serde_json::from_str(&g.read("out/manifest.json")).unwrap();
    let all_files: Vec<&serde_json::Value> = files
        .iter()
        .chain(final_manifest["files"].as_array().unwrap())
        .collect();
    let mut seen_audiences = Vec::new();
    for kind in Kind::all() {
        let doc = kind.doc();
        // Each kind builds alone with --only.
        f.run(&["build", "{}", "--only", doc.folder]).ok();
        let outputs: Vec<&serde_json::Value> = files
            .iter()
            .filter(|e| e["path"].as_str().unwrap().starts_with(&format!("{}/", doc.folder)))
            .collect();
        assert!(!outputs.is_empty(), "{} made nothing", doc.folder);
        for e in outputs {
            let path = e["path"].as_str().unwrap();
            let audience = docs::audience(path).unwrap();
            seen_audiences.push(audience);
            assert_eq!(e["marked"] == true, audience == Audience::Marked, "{path}: marking");
            assert_eq!(
                cpp.iter().any(|n| n == path),
                audience == Audience::Partnership,
                "{path}: in cpp.zip exactly when the partnership receives it"
            );
            // A marked PDF carries the protective marking on its pages.
            if audience == Audience::Marked && path.ends_with(".pdf") {
                let text = f.pdf_text(&format!("out/{path}"));
                assert!(text.contains("PROTECT - PERSONAL"), "{path} carries the marking");
            }
        }
        // Each of its templates made what its descriptor says it makes (the
        // letters of publication from the report once final).
        for t in doc.templates {
            let makes = t.makes.split([',', ' ']).next().unwrap();
            let made = match makes.split_once('<') {
                Some((prefix, _)) => all_files
                    .iter()
                    .any(|e| e["path"].as_str().unwrap().starts_with(prefix)),
                None => all_files.iter().any(|e| e["path"] == makes),
            };
            assert!(made, "{} made no {makes} from {}", doc.folder, t.template);
        }
    }
    for a in [Audience::Partnership, Audience::Marked, Audience::Team] {
        assert!(seen_audiences.contains(&a), "the worked example has a {a:?} output");
    }
}

/// Each job says what its document states, as the module that planned it
/// knows it: a letter to a person names that person as its address block
/// prints them, a records request lists its children, and every document
/// states the dates its template declares, as the schedule has them.
#[test]
fn every_planned_document_states_its_recipient_its_children_and_its_dates() {
    let f = Folder::example();
    let ws = scrutiny::workspace::Workspace::load(&f.path("")).unwrap();
    let mut addressed = 0;
    for kind in Kind::all() {
        for job in docs::plan(kind, &ws).unwrap().jobs {
            let facts = &job.facts;
            for step in docs::dates_printed(job.template) {
                let stated = &facts.dates[step.key()];
                let span = ws.schedule.span(*step);
                assert_eq!((stated.start, stated.end), (span.start, span.end), "{}", job.output);
                assert_eq!(stated.label, step.label(), "{}", job.output);
            }
            let context: serde_json::Value = serde_json::to_value(&job.context).unwrap();
            // The person the address block prints: the addressee, the holder,
            // or the contact asked for a position statement.
            let to = ["addressee", "holder", "to"]
                .iter()
                .map(|k| &context[k])
                .chain([&context["statement"]["recipient"]])
                .find(|v| v.is_object());
            match (to, &facts.recipient) {
                (Some(to), Some(r)) => {
                    addressed += 1;
                    assert_eq!(to["name"], r.name.as_str(), "{}", job.output);
                    assert_eq!(to["role"], r.role.as_str(), "{}", job.output);
                    assert_eq!(to["organisation"], r.organisation.as_str(), "{}", job.output);
                    assert_eq!(to["address"], serde_json::json!(r.address), "{}", job.output);
                }
                (None, None) => {}
                (to, r) => panic!("{}: addressed to {to:?}, states {r:?}", job.output),
            }
            let children: Option<Vec<&str>> = context["children"]
                .as_array()
                .map(|list| list.iter().map(|c| c["case_ref"].as_str().unwrap()).collect());
            assert_eq!(
                children,
                facts.children.as_ref().map(|c| c.iter().map(String::as_str).collect()),
                "{}",
                job.output
            );
        }
    }
    assert!(addressed > 50, "the letters name their readers: {addressed}");
}
