//! The joint action plan: a fillable PDF checked and filled by pypdf and
//! pikepdf (independent software), imported back, and typeset as received.

use std::process::Command;

use crate::common::{fold, python, Folder};

const FORM: &str = "out/action-plan/action-plan.pdf";

pub const LIST: &str = r#"
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

pub const FILL: &str = r#"
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

/// The worked example before the partnership returned its plan.
fn not_yet_returned() -> Folder {
    let f = Folder::example();
    std::fs::remove_file(f.path("action-plan.toml")).unwrap();
    f
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
        // Room for three actions: the first set keeps the names of forms
        // returned before there were more.
        for set in ["", "_2", "_3"] {
            for part in [
                "action", "lead", "partners", "start", "target", "measure", "progress", "rag",
            ] {
                expected.push(format!("{id}{set}_{part}"));
            }
        }
    }
    expected.extend(["signed_off_by".to_string(), "signed_off_on".to_string()]);
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
    assert!(crate::common::qpdf_check(&f.path(FORM)), "qpdf --check");
}

#[test]
fn a_plan_filled_by_pypdf_imports_exactly_and_is_typeset_as_received() {
    let f = not_yet_returned();
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

    // The filled form shows its values: poppler draws the page differently.
    let page = |pdf: &str| {
        let out = Command::new("pdftoppm")
            .args(["-png", "-r", "40", "-f", "2", "-l", "2", pdf])
            .output()
            .expect("pdftoppm (poppler-utils) is needed: run `bash tests/setup.sh`");
        assert!(out.status.success());
        out.stdout
    };
    assert_ne!(
        page(&f.path(FORM).to_string_lossy()),
        page(&returned),
        "the filled values are drawn"
    );

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
    let f = not_yet_returned();
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
    let err = scrutiny::returns::action_plan::check(
        "plan.pdf",
        &scrutiny::returns::action_plan::from_form(&values),
        &[],
        chrono::NaiveDate::from_ymd_opt(2013, 6, 1).unwrap(),
        scrutiny::returns::action_plan::DateSpan {
            earliest: chrono::NaiveDate::from_ymd_opt(2013, 1, 1).unwrap(),
            latest: chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
        },
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

#[test]
fn terminal_escapes_in_a_returned_plan_are_shown_escaped() {
    let f = not_yet_returned();
    f.build();
    let mut values = complete();
    let m = values.as_object_mut().unwrap();
    // Red text, a cursor move, a screen clear, C1's CSI, and a right-to-left override.
    m.insert(
        "R2_start".into(),
        "\u{1b}[31m31/13/2013\u{1b}[0m\u{1b}[2J\u{9b}1A".into(),
    );
    m.insert("R3_target".into(), "\u{202e}3102/31/13".into());
    let filled = fill(&f, &values);
    // The returned file's own name holds an escape too.
    let named = f.path("plan\u{1b}[5m.pdf");
    std::fs::rename(&filled, &named).unwrap();
    let run = f.run(&["action-plan", "import", &named.to_string_lossy(), "{}"]);
    let err = run.fails_with(1).stderr();
    for raw in ['\u{1b}', '\u{9b}', '\u{202e}'] {
        assert!(!err.contains(raw), "{raw:?} printed as it is:\n{err:?}");
    }
    for shown in [
        "field R2_start: `\\u{1b}[31m31/13/2013\\u{1b}[0m\\u{1b}[2J\\u{9b}1A` is not a date",
        "\\u{202e}3102/31/13",
        "plan\\u{1b}[5m.pdf",
    ] {
        assert!(err.contains(shown), "missing {shown:?} in\n{err}");
    }
    assert!(!f.path("action-plan.toml").exists(), "nothing written");
}

const XLSX: &str = "out/action-plan/action-plan.xlsx";

const XLSX_CHECK: &str = r#"
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Action plan"]
out = {
  "sheets": wb.sheetnames,
  "header": [c.value for c in ws[1]],
  "rows": [[c.value for c in row[:3]] for row in ws.iter_rows(min_row=2, max_row=4)],
  "protected": ws.protection.sheet,
  "locked": [ws.cell(2, c).protection.locked for c in range(1, 12)],
  "spare_locked": ws.cell(10, 1).protection.locked,
  "date_format": ws.cell(2, 7).number_format,
  "validations": [(dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation],
  "about": [[c.value for c in row] for row in wb["About"].iter_rows()],
  "landscape": ws.page_setup.orientation,
  "fit_width": [ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage],
  "title_rows": ws.print_title_rows,
  "details": [c.value for c in wb["Your details"][1]],
  "details_locked": [wb["Your details"].cell(2, c).protection.locked for c in (1, 2, 3, 4)],
  "details_dates": [wb["Your details"].cell(2, c).number_format for c in (2, 4)],
}
print(json.dumps(out, default=str))
"#;

const XLSX_FILL: &str = r#"
import sys, json, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Action plan"]
for cell, value in json.loads(sys.argv[3]).items():
    if isinstance(value, str) and value.startswith("date:"):
        value = datetime.datetime.strptime(value[5:], "%Y-%m-%d")
    if "!" in cell:
        sheet, cell = cell.split("!")
        wb[sheet][cell] = value
    else:
        ws[cell] = value
wb.save(sys.argv[2])
"#;

fn fill_xlsx(f: &Folder, cells: &serde_json::Value) -> String {
    let filled = f.path("returned.xlsx");
    python(
        XLSX_FILL,
        &[
            &f.path(XLSX).to_string_lossy(),
            &filled.to_string_lossy(),
            &cells.to_string(),
        ],
    );
    filled.to_string_lossy().into_owned()
}

fn row(r: u32, action: &str) -> serde_json::Value {
    serde_json::json!({
        format!("D{r}"): action,
        format!("E{r}"): "Head of Children's Services, Glenaird Council",
        format!("F{r}"): "NHS Glenaird",
        format!("G{r}"): "date:2013-07-01",
        format!("H{r}"): "date:2014-03-31",
        format!("I{r}"): "Audit of plans",
        format!("K{r}"): "Green",
    })
}

fn merged(parts: &[serde_json::Value]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for p in parts {
        m.extend(p.as_object().unwrap().clone());
    }
    serde_json::Value::Object(m)
}

#[test]
fn the_workbook_is_as_the_contract_says_and_reads_back_with_further_rows() {
    let f = not_yet_returned();
    f.build();
    let seen: serde_json::Value =
        serde_json::from_str(&python(XLSX_CHECK, &[&f.path(XLSX).to_string_lossy()])).unwrap();
    // The About sheet first; the plan's own cells on a sheet of their own.
    assert_eq!(
        seen["sheets"],
        serde_json::json!(["About", "Your details", "Action plan"])
    );
    // Printed landscape, fitted to the width, the headings on every page.
    assert_eq!(seen["landscape"], "landscape");
    // One page wide (1, the default, is left unwritten), as many down as it needs.
    assert!(
        matches!(seen["fit_width"][0].as_i64(), None | Some(1)),
        "{}",
        seen["fit_width"]
    );
    assert_eq!(seen["fit_width"][1], 0, "{}", seen["fit_width"]);
    assert_eq!(seen["fit_width"][2], true);
    assert_eq!(
        seen["title_rows"].as_str().map(|t| t.replace('$', "")),
        Some("1:1".into())
    );
    assert_eq!(
        seen["details"],
        serde_json::json!([
            "Contact for this plan: name and role",
            "Date submitted (DD/MM/YYYY)",
            "Signed off by the chair of the CPP: name",
            "Date the chair signed off the plan (DD/MM/YYYY)"
        ])
    );
    assert_eq!(seen["details_locked"], serde_json::json!([false, false, false, false]));
    assert_eq!(seen["details_dates"], serde_json::json!(["dd/mm/yyyy", "dd/mm/yyyy"]));
    let about = seen["about"].to_string();
    for status in ["Red: not started, or off track", "Amber: under way", "Green: on track"] {
        assert!(about.contains(status), "{about}");
    }
    assert_eq!(
        seen["header"],
        serde_json::json!([
            "Reference",
            "Quality indicators",
            "Recommendation",
            "Action",
            "Lead officer",
            "Partners",
            "Start date",
            "Target date",
            "Measure of success",
            "Progress",
            "RAG status"
        ])
    );
    assert_eq!(seen["rows"][0][0], "R1");
    assert_eq!(seen["rows"][0][1], "5.3");
    assert_eq!(seen["protected"], true);
    let locked: Vec<bool> = serde_json::from_value(seen["locked"].clone()).unwrap();
    assert_eq!(&locked[..3], &[true, true, true]);
    assert!(locked[3..].iter().all(|l| !l), "{locked:?}");
    assert_eq!(seen["spare_locked"], false, "a further row can be written");
    assert_eq!(seen["date_format"], "dd/mm/yyyy");
    let validations = seen["validations"].to_string();
    assert!(
        validations.contains("list") && validations.contains("Red,Amber,Green"),
        "{validations}"
    );
    assert!(seen["about"]
        .to_string()
        .contains("Glenaird Community Planning Partnership"));

    // Filled with openpyxl: an answer per recommendation and a further action for R1.
    let cells = merged(&[
        row(2, "A single template for children's plans — ‘Gàidhlig’ too"),
        row(3, "Chronologies audited quarterly"),
        row(4, "A joint self-evaluation programme"),
        serde_json::json!({"A10": "R1"}),
        row(10, "Training on plans for every team"),
        serde_json::json!({"Your details!A2": "Jo Bell, Planning Officer", "Your details!B2": "date:2013-05-09"}),
    ]);
    let returned = fill_xlsx(&f, &cells);
    f.run(&["action-plan", "import", &returned, "{}", "--received", "2013-05-10"])
        .ok();
    let plan: toml::Value = toml::from_str(&f.read("action-plan.toml")).unwrap();
    let actions = plan["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 4);
    assert_eq!(
        actions[0]["action"].as_str(),
        Some("A single template for children's plans — ‘Gàidhlig’ too")
    );
    assert_eq!(actions[3]["recommendation"].as_str(), Some("R1"));
    assert_eq!(actions[3]["target"].to_string(), "2014-03-31");
    assert_eq!(actions[3]["start"].to_string(), "2013-07-01");
    assert_eq!(plan["source"].as_str(), Some("returned.xlsx"));
    // The contact and the date sent come back from the details sheet.
    assert_eq!(plan["cpp_contact"].as_str(), Some("Jo Bell, Planning Officer"));
    assert_eq!(plan["submitted_on"].to_string(), "2013-05-09");

    // Problems are located by sheet and cell.
    let mut bad = merged(&[
        row(2, "x"),
        row(3, "y"),
        row(4, "z"),
        serde_json::json!({"A11": "R9", "D11": "?"}),
    ]);
    bad.as_object_mut().unwrap().insert("H3".into(), "".into());
    bad.as_object_mut().unwrap().insert("K4".into(), "Purple".into());
    let returned = fill_xlsx(&f, &bad);
    let err = f
        .run(&["action-plan", "import", &returned, "{}", "--replace"])
        .fails_with(1)
        .stderr();
    for expected in [
        "sheet Action plan, cell A11: unknown reference `R9`",
        "sheet Action plan, cell H3: recommendation R2 has no target date",
        "sheet Action plan, cell K4: `Purple` is not a RAG status",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
}

#[test]
fn a_column_of_dates_typed_the_american_way_is_refused_by_cell_not_swapped() {
    let f = not_yet_returned();
    f.build();
    // Typed as 04/03/2013 (month first) in a spreadsheet set to British dates:
    // three became dates of the wrong month without a trace, one (25 March)
    // could not and stayed text. The import used to keep 3 April silently.
    let mut cells = merged(&[row(2, "x"), row(3, "y"), row(4, "z")]);
    let m = cells.as_object_mut().unwrap();
    m.insert("G2".into(), "date:2013-04-03".into());
    m.insert("G3".into(), "03/25/2013".into());
    m.insert("G4".into(), "date:2013-05-20".into());
    let returned = fill_xlsx(&f, &cells);
    let err = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-05-10"])
        .fails_with(1)
        .stderr();
    for expected in [
        "sheet Action plan, cell G2: 3 April 2013 may have its day and month swapped",
        "sheet Action plan, cell G3: `03/25/2013` is a date typed in the other order",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    // 20 May cannot be read two ways: it is not named.
    assert!(!err.contains("cell G4"), "{err}");
    assert!(!f.path("action-plan.toml").exists(), "nothing written");
}

/// A PDF's text as poppler reads it, its spaces folded.
fn poppler_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: run `bash tests/setup.sh`");
    assert!(out.status.success(), "pdftotext could not read {}", path.display());
    fold(&String::from_utf8_lossy(&out.stdout))
}

const RECEIVED: &str = "out/action-plan/received.pdf";

/// The chair of the worked example's partnership, one of its addressees.
const CHAIR: &str = "Councillor Hugh Drummond";

#[test]
fn a_form_with_two_actions_on_a_recommendation_and_the_chairs_sign_off_imports_both_and_prints_them() {
    let f = not_yet_returned();
    f.build();
    let mut values = complete();
    let m = values.as_object_mut().unwrap();
    m.insert(
        "R1_2_action".into(),
        "Train every team to use the single template".into(),
    );
    m.insert(
        "R1_2_lead".into(),
        "Learning and Development Manager, NHS Glenaird".into(),
    );
    m.insert("R1_2_target".into(), "30/09/2013".into());
    m.insert("R1_2_rag".into(), "Green".into());
    m.insert("signed_off_by".into(), CHAIR.into());
    m.insert("signed_off_on".into(), "10/05/2013".into());
    let returned = fill(&f, &values);
    let run = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-05-14"])
        .ok();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    let plan: toml::Value = toml::from_str(&f.read("action-plan.toml")).unwrap();
    assert_eq!(plan["signed_off_by"].as_str(), Some(CHAIR));
    assert_eq!(plan["signed_off_on"].to_string(), "2013-05-10");
    let actions = plan["actions"].as_array().unwrap();
    let of = |id: &str| -> Vec<&toml::Value> {
        actions
            .iter()
            .filter(|a| a["recommendation"].as_str() == Some(id))
            .collect()
    };
    assert_eq!(actions.len(), 4, "the third set of boxes, left empty, is no action");
    let r1 = of("R1");
    assert_eq!(r1.len(), 2);
    assert_eq!(r1[0]["action"].as_str(), values["R1_action"].as_str());
    assert_eq!(
        r1[1]["action"].as_str(),
        Some("Train every team to use the single template")
    );
    assert_eq!(
        r1[1]["lead"].as_str(),
        Some("Learning and Development Manager, NHS Glenaird")
    );
    assert_eq!(r1[1]["target"].to_string(), "2013-09-30");
    assert_eq!(r1[1]["rag"].as_str(), Some("Green"));
    assert!(r1[1].get("start").is_none(), "no start date given");
    assert_eq!((of("R2").len(), of("R3").len()), (1, 1));

    f.run(&["build", "{}", "--only", "action-plan"]).ok();
    let text = poppler_text(&f.path(RECEIVED));
    for expected in [
        "Action 1 of 2",
        "Action 2 of 2",
        "Train every team to use the single template",
        "Learning and Development Manager, NHS Glenaird",
        "30 September 2013",
        &format!("{CHAIR}, on 10 May 2013"),
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("Not signed off"), "{text}");
}

#[test]
fn a_workbook_with_the_chairs_sign_off_imports_it_and_it_prints() {
    let f = not_yet_returned();
    f.build();
    let cells = merged(&[
        row(2, "A single template for children's plans"),
        row(3, "Chronologies audited quarterly"),
        row(4, "A joint self-evaluation programme"),
        serde_json::json!({
            "Your details!A2": "Jo Bell, Planning Officer",
            "Your details!B2": "date:2013-05-13",
            "Your details!C2": CHAIR,
            "Your details!D2": "date:2013-05-10",
        }),
    ]);
    let returned = fill_xlsx(&f, &cells);
    let run = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-05-14"])
        .ok();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    let plan: toml::Value = toml::from_str(&f.read("action-plan.toml")).unwrap();
    assert_eq!(plan["signed_off_by"].as_str(), Some(CHAIR));
    assert_eq!(plan["signed_off_on"].to_string(), "2013-05-10");
    assert_eq!(plan["submitted_on"].to_string(), "2013-05-13");
    f.run(&["build", "{}", "--only", "action-plan"]).ok();
    let text = poppler_text(&f.path(RECEIVED));
    assert!(text.contains(&format!("{CHAIR}, on 10 May 2013")), "{text}");
    // `check` finds nothing to warn of.
    let check = f.run(&["check", "{}"]).ok();
    assert!(!check.stderr().contains("signed_off"), "{}", check.stderr());
}

#[test]
fn a_plan_without_the_chairs_sign_off_imports_with_a_warning_naming_the_field() {
    let f = not_yet_returned();
    f.build();
    // The form: the two fields left empty, as in a form sent out before it asked.
    let returned = fill(&f, &complete());
    let run = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-06-20"])
        .ok();
    let err = run.stderr();
    assert!(
        err.contains("warning: ")
            && err.contains("field signed_off_by: the plan came without the sign-off of the CPP's chair"),
        "{err}"
    );
    assert!(
        err.contains("field signed_off_on"),
        "the date's field is named too:\n{err}"
    );
    let plan: toml::Value = toml::from_str(&f.read("action-plan.toml")).unwrap();
    assert!(
        plan.get("signed_off_by").is_none() && plan.get("signed_off_on").is_none(),
        "{plan}"
    );

    // `check` warns at the key, and the plan as received says so plainly.
    let check = f.run(&["check", "{}"]).ok();
    assert!(
        check
            .stderr()
            .contains("warning: action-plan.toml: key signed_off_by: the plan came without the sign-off"),
        "{}",
        check.stderr()
    );
    f.run(&["build", "{}", "--only", "action-plan"]).ok();
    let text = poppler_text(&f.path(RECEIVED));
    assert!(
        text.contains("Not signed off: the plan came without the sign-off of the partnership"),
        "{text}"
    );

    // A name without a date: the warning names the date's cell.
    let cells = merged(&[
        row(2, "x"),
        row(3, "y"),
        row(4, "z"),
        serde_json::json!({"Your details!C2": CHAIR}),
    ]);
    let returned = fill_xlsx(&f, &cells);
    let err = f
        .run(&[
            "action-plan",
            "import",
            &returned,
            "{}",
            "--received",
            "2013-05-14",
            "--replace",
        ])
        .ok()
        .stderr();
    assert!(
        err.contains("warning: ")
            && err.contains("sheet Your details, cell D2: the plan names Councillor Hugh Drummond"),
        "{err}"
    );

    // A workbook sent out before its details sheet asked for the sign-off
    // (two columns) still imports, with the warning.
    let cells = merged(&[
        row(2, "x"),
        row(3, "y"),
        row(4, "z"),
        serde_json::json!({"Your details!C1": null, "Your details!D1": null}),
    ]);
    let returned = fill_xlsx(&f, &cells);
    let err = f
        .run(&[
            "action-plan",
            "import",
            &returned,
            "{}",
            "--received",
            "2013-05-14",
            "--replace",
        ])
        .ok()
        .stderr();
    assert!(
        err.contains("sheet Your details, cell C2: the plan came without the sign-off"),
        "{err}"
    );
}

#[test]
fn a_sign_off_dated_after_the_plan_was_received_or_not_a_date_is_refused_at_its_field() {
    let f = not_yet_returned();
    f.build();
    let mut values = complete();
    let m = values.as_object_mut().unwrap();
    m.insert("signed_off_by".into(), CHAIR.into());
    m.insert("signed_off_on".into(), "20/05/2013".into());
    let returned = fill(&f, &values);
    let err = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-05-14"])
        .fails_with(1)
        .stderr();
    assert!(
        err.contains(
            "field signed_off_on: the plan was signed off on 20 May 2013, after it was received (14 May 2013)"
        ),
        "{err}"
    );
    assert!(!f.path("action-plan.toml").exists(), "nothing written");

    // Not a date, in the form and in the workbook.
    values["signed_off_on"] = "last Friday".into();
    let returned = fill(&f, &values);
    let err = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-05-14"])
        .fails_with(1)
        .stderr();
    assert!(
        err.contains("field signed_off_on: `last Friday` is not a date"),
        "{err}"
    );
    let cells = merged(&[
        row(2, "x"),
        row(3, "y"),
        row(4, "z"),
        serde_json::json!({"Your details!C2": CHAIR, "Your details!D2": "date:2013-05-20"}),
    ]);
    let returned = fill_xlsx(&f, &cells);
    let err = f
        .run(&["action-plan", "import", &returned, "{}", "--received", "2013-05-14"])
        .fails_with(1)
        .stderr();
    assert!(
        err.contains("sheet Your details, cell D2: the plan was signed off on 20 May 2013, after it was received"),
        "{err}"
    );
    assert!(!f.path("action-plan.toml").exists(), "nothing written");

    // Written so by hand in action-plan.toml, `check` refuses it at its line.
    let f = Folder::example().edit("action-plan.toml", |t| {
        t.replace("signed_off_on = 2013-05-10", "signed_off_on = 2013-05-20")
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("action-plan.toml:8:")
            && err.contains("signed off on 20 May 2013, after it was received (14 May 2013)"),
        "{err}"
    );
}
