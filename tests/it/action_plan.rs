//! The joint action plan: a fillable PDF checked and filled by pypdf and
//! pikepdf (independent software), imported back, and typeset as received.

use std::process::Command;

use crate::common::{fold, Folder};

const FORM: &str = "out/action-plan/action-plan.pdf";

/// Runs a Python script with `args`; pypdf and pikepdf must be installed
/// (`.ci/run` installs them): a test that needs them fails without them.
fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is needed for the form tests (`.ci/run` installs it with pypdf and pikepdf)");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("No module named"),
        "the form tests need pypdf and pikepdf: pip install pypdf pikepdf\n{err}"
    );
    assert!(out.status.success(), "python failed:\n{err}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const LIST: &str = r#"
import sys, json, pikepdf
from pypdf import PdfReader
r = PdfReader(sys.argv[1])
fields = []
for page in r.pages:
    for a in page.get("/Annots", []):
        a = a.get_object()
        if a.get("/Subtype") == "/Widget":
            fields.append({"name": a["/T"], "kind": a["/FT"], "tooltip": a.get("/TU"),
                           "options": [str(o) for o in a.get("/Opt", [])], "flags": int(a.get("/Ff", 0))})
pdf = pikepdf.open(sys.argv[1])
nums = pdf.Root.StructTreeRoot.ParentTree.Nums
parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
forms = 0
for p in pdf.pages:
    assert p.get("/Tabs") == "/S" or not p.get("/Annots")
    for a in p.get("/Annots", []):
        if a.get("/Subtype") == "/Widget":
            se = parents[int(a.StructParent)]
            assert se.S == "/Form", se.S
            assert len([k for k in (se.K if isinstance(se.K, pikepdf.Array) else [se.K])]) == 1
            assert "/N" in a.AP
            forms += 1
font = pdf.Root.AcroForm.DR.Font.OpenSans
assert "/FontFile2" in font.FontDescriptor
print(json.dumps({"fields": fields, "forms": forms}))
"#;

const FILL: &str = r#"
import sys, json
from pypdf import PdfReader, PdfWriter
w = PdfWriter(clone_from=PdfReader(sys.argv[1]))
w.update_page_form_field_values(None, json.loads(sys.argv[3]), auto_regenerate=False)
w.write(sys.argv[2])
"#;

fn fill(f: &Folder, values: &serde_json::Value) -> String {
    let filled = f.path("returned.pdf");
    python(
        FILL,
        &[
            &f.path(FORM).to_string_lossy(),
            &filled.to_string_lossy(),
            &values.to_string(),
        ],
    );
    filled.to_string_lossy().into_owned()
}

fn complete() -> serde_json::Value {
    let mut v = serde_json::json!({
        "cpp_contact": "Jo Bell, Children's Services Planning Officer",
        "submitted_on": "19/06/2013",
    });
    for id in ["R1", "R2", "R3"] {
        let m = v.as_object_mut().unwrap();
        m.insert(
            format!("{id}_action"),
            format!("Seirbheisean do chloinn: ‘{id}’ — #plan $x$ {{{{ area }}}}").into(),
        );
        m.insert(
            format!("{id}_lead"),
            "Head of Children's Services, Glenaird Council".into(),
        );
        m.insert(format!("{id}_partners"), "NHS Glenaird; Police Scotland".into());
        m.insert(format!("{id}_start"), "01/07/2013".into());
        m.insert(format!("{id}_target"), "2014-03-31".into());
        m.insert(format!("{id}_measure"), "80% of plans audited as good or better".into());
        m.insert(format!("{id}_rag"), "Amber".into());
    }
    v
}

#[test]
fn the_form_has_every_field_in_order_each_named_and_tagged() {
    let f = Folder::example();
    f.build();
    let listed: serde_json::Value = serde_json::from_str(&python(LIST, &[&f.path(FORM).to_string_lossy()])).unwrap();
    let fields = listed["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|x| x["name"].as_str().unwrap()).collect();
    let mut expected = vec!["cpp_contact".to_string(), "submitted_on".to_string()];
    for id in ["R1", "R2", "R3"] {
        for part in [
            "action", "lead", "partners", "start", "target", "measure", "progress", "rag",
        ] {
            expected.push(format!("{id}_{part}"));
        }
    }
    assert_eq!(names, expected);
    assert_eq!(listed["forms"], fields.len());
    for x in fields {
        let name = x["name"].as_str().unwrap();
        assert!(!x["tooltip"].as_str().unwrap_or("").is_empty(), "{name} has no tooltip");
        if name.ends_with("_rag") {
            assert_eq!(x["kind"], "/Ch");
            assert_eq!(x["options"], serde_json::json!(["Red", "Amber", "Green"]));
        } else {
            assert_eq!(x["kind"], "/Tx", "{name}");
        }
        let multiline = x["flags"].as_i64().unwrap() & 4096 != 0;
        assert_eq!(
            multiline,
            ["_action", "_measure", "_progress"].iter().any(|s| name.ends_with(s)),
            "{name}"
        );
    }
    // The recommendations word for word and the due date.
    let text = fold(&f.pdf_text(FORM));
    let findings = f.read("findings/findings.toml");
    let first: toml::Value = toml::from_str(&findings).unwrap();
    let r1 = first["recommendations"][0]["text"].as_str().unwrap();
    assert!(text.contains(&fold(r1)), "{text}");
    assert!(text.contains("Wednesday 15 May 2013"), "{text}");
    assert_ne!(crate::common::qpdf_check(&f.path(FORM)), Some(false), "qpdf --check");
}

#[test]
fn a_plan_filled_by_pypdf_imports_exactly_and_is_typeset_as_received() {
    let f = Folder::example();
    f.build();
    let returned = fill(&f, &complete());
    let out = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-06-20"])
        .ok()
        .stdout();
    assert!(out.contains("action-plan.toml"), "{out}");
    let plan: toml::Value = toml::from_str(&f.read("action-plan.toml")).unwrap();
    let expected = complete();
    assert_eq!(plan["cpp_contact"].as_str(), expected["cpp_contact"].as_str());
    assert_eq!(plan["received"].to_string(), "2013-06-20");
    assert_eq!(plan["submitted_on"].to_string(), "2013-06-19");
    let actions = plan["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 3);
    assert_eq!(actions[1]["recommendation"].as_str(), Some("R2"));
    assert_eq!(
        actions[1]["action"].as_str(),
        expected["R2_action"].as_str(),
        "non-ASCII text reads back exactly"
    );
    assert_eq!(actions[1]["target"].to_string(), "2014-03-31");
    assert_eq!(actions[1]["start"].to_string(), "2013-07-01");
    assert_eq!(actions[1]["rag"].as_str(), Some("Amber"));

    // Typeset for the scrutiny bodies: 20 June is 25 working days after 15 May
    // 2013 (Monday 27 May a bank holiday), and the text prints literally.
    f.run(&["build", "{}", "--only", "action-plan"]).ok();
    let text = fold(&f.pdf_text("out/action-plan/received.pdf"));
    assert!(text.contains("Received 25 working days late"), "{text}");
    assert!(text.contains(expected["R3_action"].as_str().unwrap()), "{text}");
    assert!(text.contains("Every recommendation has at least one action"), "{text}");

    // On time, and never over an existing plan without --replace.
    let err = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-05-15"])
        .fails_with(2)
        .stderr();
    assert!(err.contains("--replace"), "{err}");
    f.run(&[
        "action-plan",
        "import",
        &returned,
        "{}",
        "--received",
        "2013-05-15",
        "--replace",
    ])
    .ok();
    f.run(&["build", "{}", "--only", "action-plan"]).ok();
    assert!(fold(&f.pdf_text("out/action-plan/received.pdf")).contains("Received on time"));
}

#[test]
fn every_problem_in_a_returned_plan_is_listed_by_field_and_nothing_is_written() {
    let f = Folder::example();
    f.build();
    let mut values = complete();
    let m = values.as_object_mut().unwrap();
    m.insert("R1_action".into(), "".into());
    m.insert("R2_start".into(), "31/13/2013".into());
    m.insert("R3_start".into(), "01/06/2014".into());
    m.insert("R3_rag".into(), "".into());
    m.insert("R2_target".into(), "".into());
    let returned = fill(&f, &values);
    let err = f
        .run(&["action-plan", "import", &returned, "{}"])
        .fails_with(1)
        .stderr();
    for expected in [
        "field R1_action: recommendation R1 has no action",
        "field R2_start: `31/13/2013` is not a date",
        "field R2_target: recommendation R2 has no target date",
        "field R3_start: recommendation R3 starts (2014-06-01) after its target date (2014-03-31)",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    assert!(!f.path("action-plan.toml").exists(), "nothing written");

    // A field of a recommendation the inspection does not have.
    let values: std::collections::BTreeMap<String, String> = [("R9_action".to_string(), "x".to_string())].into();
    let err = scrutiny::import::check(
        "plan.pdf",
        &values,
        &[],
        chrono::NaiveDate::from_ymd_opt(2013, 6, 1).unwrap(),
    )
    .unwrap_err();
    assert!(
        err.problems()[0]
            .to_string()
            .contains("field R9_action: unknown reference `R9`"),
        "{:?}",
        err.problems()
    );
}
