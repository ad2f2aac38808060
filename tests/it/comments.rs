//! The factual-accuracy round trip: the form and workbook checked by
//! independent software, filled by pypdf, PyMuPDF and openpyxl (saved again by
//! LibreOffice), imported to the same comments.toml; and the comments log.

use crate::common::{fold, libreoffice_resave, python, words, Folder};

const FORM: &str = "out/report/factual-accuracy.pdf";
const XLSX: &str = "out/report/factual-accuracy.xlsx";

/// A folder whose draft has not yet had comments.
fn fresh() -> Folder {
    let f = Folder::example();
    std::fs::remove_file(f.path("comments.toml")).unwrap();
    f.build();
    f
}

fn comments() -> serde_json::Value {
    serde_json::json!({
        "organisation": "Police Scotland, Glenaird Division",
        "contact": "Chief Superintendent Lorna Craig",
        "c1_document": "Public report",
        "c1_page": "12",
        "c1_paragraph": "2",
        "c1_comment": "The screening hub opened in 2011, not 2012 — see ‘#hub’ {{ area }} $x$.",
        "c1_change": "Say 2011.",
        "c2_document": "Record of findings",
        "c2_page": "8",
        "c2_comment": "Inter-agency referral discussions include the Reporter.",
    })
}

const PYMUPDF_FILL: &str = r#"
import sys, json, pymupdf
doc = pymupdf.open(sys.argv[1])
values = json.loads(sys.argv[3])
for page in doc:
    for w in page.widgets():
        if w.field_name in values:
            w.field_value = values[w.field_name]
            w.update()
doc.save(sys.argv[2])
"#;

const XLSX_FILL: &str = r#"
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for sheet, cells in json.loads(sys.argv[3]).items():
    for cell, value in cells.items():
        wb[sheet][cell] = value
wb.save(sys.argv[2])
"#;

fn import(f: &Folder, file: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["comments", "import", file, "{}", "--received", "2013-04-12"];
    args.extend(extra);
    f.run(&args)
}

/// comments.toml without the line naming the file imported.
fn without_source(f: &Folder) -> String {
    f.read("comments.toml")
        .lines()
        .filter(|l| !l.starts_with("source"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_form_has_the_contracts_fields_tagged_with_tooltips() {
    let f = fresh();
    let listed: serde_json::Value =
        serde_json::from_str(&python(crate::action_plan::LIST, &[&f.path(FORM).to_string_lossy()])).unwrap();
    let fields = listed["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2 + 5 * 30);
    assert_eq!(&names[..4], ["organisation", "contact", "c1_document", "c1_page"]);
    assert!(names.contains(&"c30_change"));
    let doc = &fields[2];
    assert_eq!(doc["kind"], "/Ch");
    assert_eq!(
        doc["options"],
        serde_json::json!(["Public report", "Record of findings"])
    );
    assert_eq!(doc["tooltip"], "Comment 1: Document");
    assert_eq!(
        listed["forms"], 152,
        "every field is a Form element of the structure tree"
    );
    assert!(crate::common::qpdf_check(&f.path(FORM)));
    let text = fold(&f.pdf_text(FORM));
    let s: serde_json::Value = serde_json::from_str(&f.run(&["schedule", "{}", "--json"]).ok().stdout()).unwrap();
    assert!(
        text.contains(&format!("by Friday {}", words(s["comments_due"].as_str().unwrap()))),
        "{text}"
    );
}

#[test]
fn forms_filled_by_pypdf_and_pymupdf_and_a_workbook_saved_by_libreoffice_import_alike() {
    // pypdf
    let a = fresh();
    let filled = a.path("returned.pdf").to_string_lossy().into_owned();
    python(
        crate::action_plan::FILL,
        &[&a.path(FORM).to_string_lossy(), &filled, &comments().to_string()],
    );
    let out = import(&a, &filled, &[]).ok().stdout();
    assert!(
        out.contains("2 comments from Police Scotland, Glenaird Division"),
        "{out}"
    );
    // PyMuPDF
    let b = fresh();
    let filled = b.path("returned.pdf").to_string_lossy().into_owned();
    python(
        PYMUPDF_FILL,
        &[&b.path(FORM).to_string_lossy(), &filled, &comments().to_string()],
    );
    import(&b, &filled, &[]).ok();
    // openpyxl, then LibreOffice
    let c = fresh();
    let v = comments();
    let cells = serde_json::json!({
        "Your details": {"A2": v["organisation"], "B2": v["contact"]},
        "Comments": {
            "A2": v["c1_document"], "B2": 12, "C2": v["c1_paragraph"], "D2": v["c1_comment"], "E2": v["c1_change"],
            "A3": v["c2_document"], "B3": v["c2_page"], "D3": v["c2_comment"],
        },
    });
    let filled = c.path("filled.xlsx").to_string_lossy().into_owned();
    python(
        XLSX_FILL,
        &[&c.path(XLSX).to_string_lossy(), &filled, &cells.to_string()],
    );
    let resaved = libreoffice_resave(&c, &filled);
    import(&c, &resaved, &[]).ok();

    assert_eq!(without_source(&a), without_source(&b), "pypdf and PyMuPDF");
    assert_eq!(without_source(&a), without_source(&c), "a form and a workbook");
    let toml = a.read("comments.toml");
    assert!(
        toml.contains("organisation = \"Police Scotland, Glenaird Division\""),
        "{toml}"
    );
    assert!(toml.contains("document = \"record_of_findings\""), "{toml}");
    assert!(
        toml.contains("page = \"12\""),
        "a number typed in a cell reads as the page: {toml}"
    );
    assert!(toml.contains("decision = \"\""), "open for the team: {toml}");
    assert!(c.read("comments.toml").contains("source = \"filled.xlsx\""));
    // The log lists them as open, and prints what was written literally.
    a.build();
    let log = fold(&a.pdf_text("out/report/comments-log.pdf"));
    assert!(log.contains("Two are still open"), "{log}");
    assert!(log.contains("see ‘#hub’ {{ area }} $x$."), "{log}");
    assert!(log.contains("Open: no decision yet"), "{log}");
}

#[test]
fn a_second_return_needs_replace_and_replaces_that_organisation_only() {
    let f = Folder::example();
    f.build();
    let filled = f.path("returned.pdf").to_string_lossy().into_owned();
    let mut v = comments();
    v["organisation"] = "glenaird council".into();
    python(
        crate::action_plan::FILL,
        &[&f.path(FORM).to_string_lossy(), &filled, &v.to_string()],
    );
    let before = f.read("comments.toml");
    let err = import(&f, &filled, &[]).fails_with(2).stderr();
    assert!(
        err.contains("Glenaird Council has already returned comments (factual-accuracy.pdf imported on 12 April 2013); add --replace"),
        "{err}"
    );
    assert_eq!(f.read("comments.toml"), before, "nothing written");
    import(&f, &filled, &["--replace"]).ok();
    let after = f.read("comments.toml");
    assert!(after.contains("The screening hub opened in 2011"), "{after}");
    assert!(
        !after.contains("2,460 concerns"),
        "the council's old comments went: {after}"
    );
    assert!(
        after.contains("organisation = \"NHS Glenaird\""),
        "the others stay: {after}"
    );
    assert!(after.contains("have fallen in each of the last three years"), "{after}");
}

#[test]
fn a_bad_return_is_refused_with_every_problem_by_field_or_cell() {
    let f = fresh();
    let filled = f.path("returned.pdf").to_string_lossy().into_owned();
    let v = serde_json::json!({
        "c1_page": "4",
        "c1_comment": "Wrong date.",
        "c2_document": "Record of findings",
    });
    python(
        crate::action_plan::FILL,
        &[&f.path(FORM).to_string_lossy(), &filled, &v.to_string()],
    );
    let err = import(&f, &filled, &[]).fails_with(1).stderr();
    assert!(
        err.contains("field organisation: the organisation is not given"),
        "{err}"
    );
    assert!(
        err.contains("field c1_document: the comment does not say which document it is on"),
        "{err}"
    );
    assert!(err.contains("field c2_comment: the comment is empty"), "{err}");
    assert!(!f.path("comments.toml").exists(), "nothing written");

    let cells = serde_json::json!({
        "Your details": {"A2": "NHS Glenaird"},
        "Comments": {"A2": "Annex B", "D2": "The figure is wrong."},
    });
    let xlsx = f.path("filled.xlsx").to_string_lossy().into_owned();
    python(XLSX_FILL, &[&f.path(XLSX).to_string_lossy(), &xlsx, &cells.to_string()]);
    let err = import(&f, &xlsx, &[]).fails_with(1).stderr();
    assert!(
        err.contains("sheet Comments, cell A2: `Annex B` is not one of the drafts"),
        "{err}"
    );
    // A Word document is named for what it is.
    let word = f.path("comments.docx");
    std::fs::write(&word, b"not a zip").unwrap();
    let err = import(&f, &word.to_string_lossy(), &[]).fails_with(1).stderr();
    assert!(
        err.contains("this file is named .docx but is neither a PDF nor an XLSX workbook"),
        "{err}"
    );
    // A device is never read, nor waited on.
    let err = import(&f, "/dev/zero", &[]).fails_with(1).stderr();
    assert!(err.contains("/dev/zero") && err.contains("not a regular file"), "{err}");
}

#[test]
fn the_log_puts_open_comments_first_and_a_final_report_with_one_is_a_warning() {
    let f = Folder::example().edit("comments.toml", |t| {
        t.replacen("decision = \"changed\"", "decision = \"\"", 1)
    });
    f.build();
    let said = f.run(&["check", "{}"]).ok().stdout();
    assert!(
        said.contains("comments on the draft: 3 comments from 2 organisations; 1 without a decision yet"),
        "{said}"
    );
    let log = fold(&f.pdf_text("out/report/comments-log.pdf"));
    let open = log.find("Open comments").expect("an open section");
    let decided = log.find("Decided comments").expect("a decided section");
    assert!(open < decided, "open first: {log}");
    assert!(
        log[open..decided].contains("NHS Glenaird, comment 1: Public report, page 11, paragraph 1"),
        "{log}"
    );
    assert!(log.contains("One is still open"), "{log}");
    assert!(
        log.contains("Accepted: 1; Changed in part: 0; Not accepted: 1"),
        "{log}"
    );
    // The log is the team's: it is not in what the partnership receives.
    let listed = crate::common::zip_names(&f.path("out/pack/cpp.zip"));
    assert!(!listed.iter().any(|n| n.ends_with("comments-log.pdf")), "{listed:?}");
    assert!(listed.iter().any(|n| n == "report/factual-accuracy.pdf"), "{listed:?}");

    let g = f.edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    let out = g.run(&["check", "{}"]).ok();
    let said = out.stdout() + &out.stderr();
    assert!(
        said.contains("comments.toml: the report is final, but one comment on the draft has no decision"),
        "{said}"
    );
    let built = g.build();
    assert!((built.stdout() + &built.stderr()).contains("has no decision"));
}
