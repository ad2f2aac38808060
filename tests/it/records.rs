//! The records-reading round trip: a workbook for each reader (marked, never
//! packed for the partnership), filled by openpyxl (one saved again by
//! LibreOffice), imported into the same records-reading.csv as the
//! hand-made one; a bad workbook refused by sheet and cell.

use std::collections::BTreeSet;

use crate::common::{libreoffice_resave, python, zip_names, Folder};

/// Fills a reader's workbook with the ratings `{case_ref: {measure: rating}}`
/// for each child it lists, as a reader picks them from the drop-downs.
const FILL: &str = r#"
import sys, json, openpyxl
src, dst, ratings = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wb = openpyxl.load_workbook(src)
ws = wb["Records"]
heads = [c.value for c in ws[1]]
for row in ws.iter_rows(min_row=2):
    given = ratings.get(row[0].value, {})
    for i, h in enumerate(heads):
        if h in given:
            v = given[h]
            row[i].value = int(v) if v.isdigit() else v
wb.save(dst)
"#;

/// The example with three of its team reading records, and no ratings yet.
fn three_readers() -> Folder {
    Folder::example().edit("inspection.toml", |t| {
        t.replace("per_reader_day = 3", "per_reader_day = 6")
            .replace(
                "name = \"Karen Dunlop\"",
                "name = \"Karen Dunlop\"\nreads_records = false",
            )
            .replace(
                "name = \"Graeme Lindsay\"",
                "name = \"Graeme Lindsay\"\nreads_records = false",
            )
            .replace("reads_records = true", "reads_records = false")
    })
}

/// The hand-made ratings of the example, by child and measure.
fn hand_made(f: &Folder) -> serde_json::Value {
    let mut by_child = serde_json::Map::new();
    for line in f.read("findings/records-reading.csv").lines().skip(1) {
        let v: Vec<&str> = line.split(',').collect();
        let child = by_child.entry(v[0]).or_insert_with(|| serde_json::json!({}));
        child[v[1]] = v[2].into();
    }
    by_child.into()
}

fn rows(csv: &str) -> BTreeSet<String> {
    csv.lines().skip(1).map(String::from).collect()
}

const READERS: [&str; 3] = ["ruth-cole", "dr-anwar-siddiqui", "fiona-macrae"];

#[test]
fn three_readers_workbooks_import_into_the_same_record_of_findings_as_the_hand_made_file() {
    let f = three_readers();
    f.build();
    let before = f.read("findings/records-reading.csv");
    let record = f.pdf_text("out/report/record-of-findings.pdf");
    let ratings = hand_made(&f).to_string();
    // A workbook per reader, marked, never in the partnership's pack.
    let made: Vec<String> = std::fs::read_dir(f.path("out/sample/reading"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(made.len(), 3, "{made:?}");
    let manifest = f.read("out/manifest.json");
    assert!(
        manifest.contains(r#""path": "sample/reading/ruth-cole.xlsx""#)
            || manifest.contains("sample/reading/ruth-cole.xlsx")
    );
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    for e in m["files"].as_array().unwrap() {
        if e["path"].as_str().unwrap().starts_with("sample/reading/") {
            assert_eq!(e["marked"], true, "{e}");
        }
    }
    assert!(!zip_names(&f.path("out/pack/cpp.zip"))
        .iter()
        .any(|n| n.contains("reading")));
    // Each reader has an even share of the sample in its order.
    let listed = python(
        r#"
import sys, openpyxl
for p in sys.argv[1:]:
    ws = openpyxl.load_workbook(p)["Records"]
    print(ws.max_row - 1, ws.data_validations.dataValidation[0].formula1)
"#,
        &READERS
            .map(|r| {
                f.path(&format!("out/sample/reading/{r}.xlsx"))
                    .to_string_lossy()
                    .into_owned()
            })
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        listed,
        "30 \"1,2,3,4,5,6,n/a\"\n29 \"1,2,3,4,5,6,n/a\"\n29 \"1,2,3,4,5,6,n/a\"\n"
    );
    // Filled by openpyxl; one saved again by LibreOffice.
    std::fs::remove_file(f.path("findings/records-reading.csv")).unwrap();
    let mut returned = Vec::new();
    for r in READERS {
        let filled = f.path(&format!("{r}.xlsx")).to_string_lossy().into_owned();
        python(
            FILL,
            &[
                &f.path(&format!("out/sample/reading/{r}.xlsx")).to_string_lossy(),
                &filled,
                &ratings,
            ],
        );
        returned.push(filled);
    }
    returned[2] = libreoffice_resave(&f, &returned[2]);
    let mut args = vec!["records", "import"];
    args.extend(returned.iter().map(String::as_str));
    args.push("{}");
    let said = f.run(&args).ok().stdout();
    assert!(said.contains("88 children read from 3 workbooks"), "{said}");
    assert_eq!(rows(&f.read("findings/records-reading.csv")), rows(&before));
    f.build();
    assert_eq!(f.pdf_text("out/report/record-of-findings.pdf"), record);
    // Again, without --replace, is refused: each child is already rated.
    let err = f.run(&args).fails_with(1).stderr();
    assert!(err.contains("is already rated") && err.contains("--replace"), "{err}");
    args.insert(2, "--replace");
    f.run(&args).ok();
}

#[test]
fn a_bad_workbook_is_refused_by_sheet_and_cell_with_nothing_written() {
    let f = three_readers();
    f.build();
    let before = f.read("findings/records-reading.csv");
    std::fs::remove_file(f.path("findings/records-reading.csv")).unwrap();
    std::fs::write(f.path("findings/records-reading.csv"), "case_ref,measure,rating\n").unwrap();
    let ruth = f
        .path("out/sample/reading/ruth-cole.xlsx")
        .to_string_lossy()
        .into_owned();
    let anwar = f
        .path("out/sample/reading/dr-anwar-siddiqui.xlsx")
        .to_string_lossy()
        .into_owned();
    // Ruth's first child rated 7; her second child's case reference changed to
    // one of Anwar's; Anwar rates that child too.
    let edit = r#"
import sys, openpyxl
src, dst, other = sys.argv[1], sys.argv[2], sys.argv[3]
theirs = openpyxl.load_workbook(other)["Records"]["A2"].value
wb = openpyxl.load_workbook(src)
ws = wb["Records"]
ws.protection.sheet = False
for c in ws[2][4:7]: c.value = 7
ws["A3"].value = theirs
for c in ws[3][4:7]: c.value = "n/a"
wb.save(dst)
wb = openpyxl.load_workbook(other)
for c in wb["Records"][2][4:7]: c.value = 4
wb.save(dst.replace(".xlsx", "-other.xlsx"))
"#;
    let bad = f.path("bad.xlsx").to_string_lossy().into_owned();
    python(edit, &[&ruth, &bad, &anwar]);
    let other = f.path("bad-other.xlsx").to_string_lossy().into_owned();
    let err = f.run(&["records", "import", &bad, &other, "{}"]).fails_with(1).stderr();
    for said in [
        "sheet Records, cell E2: `7` is not a rating",
        "sheet Records, cell A3:",
        "is not allocated to Ruth Cole",
    ] {
        assert!(err.contains(said), "{said} in:\n{err}");
    }
    assert_eq!(
        f.read("findings/records-reading.csv"),
        "case_ref,measure,rating\n",
        "nothing written"
    );
    // The same child in two workbooks.
    let twice = f.path("twice.xlsx").to_string_lossy().into_owned();
    python(FILL, &[&anwar, &twice, &hand_made_of(&before)]);
    let err = f
        .run(&["records", "import", &twice, &other, "{}"])
        .fails_with(1)
        .stderr();
    assert!(
        err.contains("is rated twice") || err.contains("is read in two workbooks"),
        "{err}"
    );
    assert_eq!(
        f.read("findings/records-reading.csv"),
        "case_ref,measure,rating\n",
        "nothing written"
    );
}

fn hand_made_of(csv: &str) -> String {
    let mut by_child = serde_json::Map::new();
    for line in csv.lines().skip(1) {
        let v: Vec<&str> = line.split(',').collect();
        let child = by_child.entry(v[0]).or_insert_with(|| serde_json::json!({}));
        child[v[1]] = v[2].into();
    }
    serde_json::Value::from(by_child).to_string()
}

#[test]
fn a_final_report_with_too_few_records_read_names_the_numbers() {
    let f = Folder::example()
        .edit("findings/findings.toml", |t| {
            t.replacen("status = \"draft\"", "status = \"final\"", 1)
        })
        .edit("findings/records-reading.csv", |t| {
            t.lines().take(10).collect::<Vec<_>>().join("\n") + "\n"
        });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains(
            "the records of 3 of the sample's 88 children are read, and findings.toml gives no reason for the other 85"
        ),
        "{err}"
    );
    let g = f.edit("findings/findings.toml", |t| {
        format!("records_not_read = \"Records of 85 children were not ready.\"\n{t}")
    });
    g.run(&["check", "{}"]).ok();
    let h = Folder::example()
        .edit("findings/findings.toml", |t| {
            t.replacen("status = \"draft\"", "status = \"final\"", 1)
        })
        .write("findings/records-reading.csv", "case_ref,measure,rating\n");
    let err = h.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("no records are read: the sample has 88 children"), "{err}");
}
