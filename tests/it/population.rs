//! The population list workbook: made by the build, filled in by openpyxl
//! and saved again by LibreOffice (independent software), imported back into
//! population.csv and contacts.csv; and a badly filled list refused with every
//! problem by sheet and cell, writing nothing.

use crate::common::{libreoffice_resave, python, Folder};

const XLSX: &str = "out/briefing/population-list.xlsx";

/// The groups as the drop-down offers them: what a manager chooses.
fn group_words(category: &str) -> &'static str {
    match category {
        "cpr" => "Child protection register (last year)",
        "looked_after_home" => "Looked after at home",
        "looked_after_accommodated" => "Looked after and accommodated",
        "aftercare" => "Throughcare and aftercare",
        "voluntary_measures" => "Voluntary measures of supervision",
        other => panic!("unknown category {other}"),
    }
}

const CHECK: &str = r#"
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames}
for name in wb.sheetnames:
    ws = wb[name]
    out[name] = {
        "header": [c.value for c in ws[1]],
        "rows": ws.max_row,
        "protected": ws.protection.sheet,
        "validations": [(dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation],
        "first": [c.value for c in ws[2]] if ws.max_row > 1 else [],
    }
out["about"] = [[c.value for c in row] for row in wb["About"].iter_rows()]
out["case_ref_format"] = wb["Children"].column_dimensions["A"].number_format
print(json.dumps(out, default=str))
"#;

/// Fills the Children sheet from row 2 with `children` (lists of cell values;
/// "date:YYYY-MM-DD" is a date) and appends `holders` to the Holders sheet.
const FILL: &str = r#"
import sys, json, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
data = json.loads(open(sys.argv[3]).read())
def value(v):
    if isinstance(v, str) and v.startswith("date:"):
        return datetime.datetime.strptime(v[5:], "%Y-%m-%d")
    return v
ws = wb["Children"]
for r, row in enumerate(data["children"], start=2):
    for c, v in enumerate(row, start=1):
        if v is not None and v != "":
            ws.cell(r, c).value = value(v)
hs = wb["Holders"]
start = hs.max_row + 1
for r, row in enumerate(data["holders"], start=start):
    for c, v in enumerate(row, start=1):
        hs.cell(r, c).value = v
for cell, v in data.get("cells", {}).items():
    sheet, ref = cell.split("!")
    wb[sheet][ref] = value(v)
wb.save(sys.argv[2])
"#;

fn fill(f: &Folder, name: &str, data: &serde_json::Value) -> String {
    let json = f.path("fill.json");
    std::fs::write(&json, data.to_string()).unwrap();
    let out = f.path(name);
    python(
        FILL,
        &[
            &f.path(XLSX).to_string_lossy(),
            &out.to_string_lossy(),
            &json.to_string_lossy(),
        ],
    );
    out.to_string_lossy().into_owned()
}

/// The example's population as rows of the Children sheet.
fn children_of(population_csv: &str) -> Vec<serde_json::Value> {
    let mut rdr = csv::Reader::from_reader(population_csv.as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let mut row: Vec<serde_json::Value> = r.iter().map(|v| v.into()).collect();
            row[1] = group_words(&r[1]).into();
            row[2] = if &r[2] == "yes" { "Yes" } else { "No" }.into();
            if let Some(dob) = r.get(10).filter(|d| !d.is_empty()) {
                row[10] = format!("date:{dob}").into();
            }
            serde_json::Value::Array(row)
        })
        .collect()
}

fn records(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn the_population_workbook_has_its_sheets_and_drop_downs() {
    let f = Folder::example();
    f.build();
    let out: serde_json::Value = serde_json::from_str(&python(CHECK, &[&f.path(XLSX).to_string_lossy()])).unwrap();
    assert_eq!(out["sheets"], serde_json::json!(["Children", "Holders", "About"]));
    let children = &out["Children"];
    assert_eq!(children["header"][0], "Case reference");
    assert_eq!(children["header"][1], "Group");
    assert_eq!(children["rows"], 1, "the Children sheet starts empty");
    let validations = children["validations"].to_string();
    assert!(validations.contains("Looked after and accommodated"), "{validations}");
    assert!(validations.contains("\\\"Yes,No\\\""), "{validations}");
    assert!(validations.contains("Holders!$A$2"), "{validations}");
    assert_eq!(
        out["case_ref_format"], "@",
        "case references are text, so 00123 keeps its zeros"
    );
    // The holders already known, locked, with the agency in words.
    let contacts = records(&f.read("contacts.csv"));
    let holders = &out["Holders"];
    assert_eq!(holders["rows"], contacts.len() + 1);
    assert_eq!(holders["protected"], true);
    assert_eq!(holders["first"][0], contacts[0][0].as_str());
    assert_eq!(holders["first"][3], "Health");
    // The About sheet says by when, computed from the schedule.
    let schedule: serde_json::Value =
        serde_json::from_str(&f.run(&["schedule", "{}", "--json"]).ok().stdout()).unwrap();
    let due = crate::common::words(schedule["population_list_due"].as_str().unwrap());
    let about = out["about"].to_string();
    assert!(
        about.contains(&due),
        "the About sheet gives the due date {due}: {about}"
    );
    assert!(about.contains("PROTECT - PERSONAL"), "{about}");
    // The managers' briefing speaks of the workbook, not of the CSV.
    let briefing = f.pdf_text("out/briefing/operational-managers.pdf");
    assert!(briefing.contains("population-list.xlsx"), "{briefing}");
    assert!(!briefing.contains("population.csv") && !briefing.contains("looked_after_home"));
}

#[test]
fn a_filled_population_list_becomes_the_folders_files() {
    let f = Folder::example();
    f.build();
    let population = f.read("population.csv");
    let contacts_before = f.read("contacts.csv");
    // Every child of the example, one more looked after at home whose Named
    // Person is a new holder, and that holder with a three-line address.
    let mut children = children_of(&population);
    children.push(serde_json::json!([
        "007123",
        "looked after AT home",
        "no",
        "",
        "hv-new",
        "",
        "",
        "",
        "",
        "Ruairidh Mac an t-Saoir, jr",
        "date:2009-02-28"
    ]));
    let holders = serde_json::json!([[
        "hv-new",
        "Isla Grant",
        "Health Visitor",
        "Health",
        "NHS Glenaird",
        "4 Clinic Road\nGlenaird\nGA4 4AA",
        "hv-new@glenaird.example.org",
        ""
    ]]);
    let data = serde_json::json!({"children": children, "holders": holders});
    let filled = fill(&f, "returned.xlsx", &data);

    // Without --replace an existing population.csv is kept.
    let refused = f.run(&["population", "import", &filled, "{}"]).fails_with(2);
    assert!(refused.stderr().contains("--replace"), "{}", refused.stderr());
    assert_eq!(f.read("population.csv"), population);

    let run = f.run(&["population", "import", &filled, "{}", "--replace"]).ok();
    assert!(run.stdout().contains("1,001 children"), "{}", run.stdout());
    assert!(run.stdout().contains("added 1 record holder"), "{}", run.stdout());
    let before = records(&population);
    let after = records(&f.read("population.csv"));
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(&after[..before.len()], &before[..], "every child reads back as it was");
    assert_eq!(
        after[before.len()],
        [
            "007123",
            "looked_after_home",
            "no",
            "",
            "hv-new",
            "",
            "",
            "",
            "",
            "Ruairidh Mac an t-Saoir, jr",
            "2009-02-28"
        ]
    );
    let contacts = f.read("contacts.csv");
    assert!(
        contacts.starts_with(&contacts_before),
        "the holders already known are kept as they were"
    );
    let added = &records(&contacts)[records(&contacts_before).len()..];
    assert_eq!(
        added,
        [[
            "hv-new",
            "Isla Grant",
            "Health Visitor",
            "health",
            "NHS Glenaird",
            "4 Clinic Road; Glenaird; GA4 4AA",
            "hv-new@glenaird.example.org",
            ""
        ]]
    );
    // The list comes before the sample is drawn, so before any findings.
    std::fs::remove_dir_all(f.path("findings")).unwrap();
    // Nor a returned plan, which answers the findings' recommendations.
    std::fs::remove_file(f.path("action-plan.toml")).unwrap();
    f.run(&["check", "{}"]).ok();

    // Saved again by LibreOffice, the same list gives the same files.
    let resaved = libreoffice_resave(&f, &filled);
    let imported = f.read("population.csv");
    std::fs::write(f.path("contacts.csv"), &contacts_before).unwrap();
    f.run(&["population", "import", &resaved, "{}", "--replace"]).ok();
    assert_eq!(f.read("population.csv"), imported, "LibreOffice's copy reads the same");
    assert_eq!(f.read("contacts.csv"), contacts);
}

/// A file's permission bits and group.
fn mode_and_group(path: &std::path::Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).unwrap();
    (m.mode() & 0o7777, m.gid())
}

#[test]
fn files_rewritten_by_an_import_keep_their_permissions_and_group() {
    use std::os::unix::fs::PermissionsExt;
    let f = Folder::example();
    f.build();
    let mut children = children_of(&f.read("population.csv"));
    children.push(serde_json::json!([
        "007124",
        "Looked after at home",
        "No",
        "",
        "hv-new"
    ]));
    let holders = serde_json::json!([[
        "hv-new",
        "Isla Grant",
        "Health Visitor",
        "Health",
        "NHS Glenaird",
        "4 Clinic Road, Glenaird",
        "hv-new@glenaird.example.org",
        ""
    ]]);
    let filled = fill(
        &f,
        "returned.xlsx",
        &serde_json::json!({"children": children, "holders": holders}),
    );
    let (contacts, population) = (f.path("contacts.csv"), f.path("population.csv"));
    let known = f.read("contacts.csv");
    std::fs::set_permissions(&contacts, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::set_permissions(&population, std::fs::Permissions::from_mode(0o664)).unwrap();
    // Another group, where the user may give one (root may; others keep their own).
    let group = 100;
    let grouped = std::os::unix::fs::chown(&contacts, None, Some(group)).is_ok();
    let before = (mode_and_group(&contacts), mode_and_group(&population));
    f.run(&["population", "import", &filled, "{}", "--replace"]).ok();
    assert!(f.read("contacts.csv").contains("hv-new"), "contacts.csv was rewritten");
    assert_eq!((mode_and_group(&contacts), mode_and_group(&population)), before);
    assert_eq!(before.0 .0, 0o640);
    assert_eq!(before.1 .0, 0o664);
    if grouped {
        assert_eq!(before.0 .1, group);
    }

    // A new file has the permissions any program gives one: the user's umask applied.
    let umask = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
        .unwrap();
    std::fs::remove_file(&population).unwrap();
    std::fs::write(&contacts, known).unwrap();
    f.run(&["population", "import", &filled, "{}"]).ok();
    assert_eq!(mode_and_group(&population).0, 0o666 & !umask);
}

#[test]
fn a_badly_filled_list_is_refused_with_every_problem_by_cell() {
    let f = Folder::example();
    f.build();
    let population = f.read("population.csv");
    let contacts = f.read("contacts.csv");
    let known = records(&contacts);
    let data = serde_json::json!({
        "children": [
            ["A1", "Looked after", "No", "sw-025", "", "", "", "", "", "", ""],
            ["A2", "Looked after at home", "maybe", "sw-025", "", "", "", "", "", "", ""],
            ["A1", "Looked after at home", "No", "sw-025", "", "", "", "", "", "", ""],
            ["A4", "Looked after at home", "No", "sw-25x", "", "", "", "", "", "", ""],
            ["A5", "Child protection register (last year)", "Yes", "", "", "hv-001", "", "sw-025", "", "", ""],
            ["A6", "Looked after at home", "No", "", "", "", "", "", "", "", "31/02/2005"],
            ["", "Looked after at home", "No", "sw-025", "", "", "", "", "", "", ""],
        ],
        "holders": [["hv-bad", "Ann Lee", "Health Visitor", "NHS", "NHS Glenaird", "", "", ""]],
        "cells": {"Holders!G2": "changed@example.org"},
    });
    let filled = fill(&f, "bad.xlsx", &data);
    let err = f
        .run(&["population", "import", &filled, "{}", "--replace"])
        .fails_with(1)
        .stderr();
    let expect = [
        (
            "sheet Children, cell B2",
            "`Looked after` is not one of the five groups",
        ),
        ("sheet Children, cell C3", "`maybe` is not Yes or No"),
        (
            "sheet Children, cell A4",
            "the case reference `A1` is used twice (first at sheet Children, cell A2)",
        ),
        (
            "sheet Children, cell D5",
            "the holder `sw-25x` is not on the Holders sheet",
        ),
        (
            "sheet Children, cell I6",
            "child `A5` is in need of protection but has no police holder",
        ),
        ("sheet Children, cell G6", "has no education holder"),
        (
            "sheet Children, cell D7",
            "child `A6` has neither a Lead Professional nor a Named Person",
        ),
        ("sheet Children, cell K7", "`31/02/2005` is not a date"),
        ("sheet Children, cell A8", "the case reference is empty"),
        ("sheet Holders, cell D", "`NHS` is not an agency"),
        ("sheet Holders, cell F", "the holder `hv-bad` has no address"),
        (
            "sheet Holders, cell G2",
            &format!("the holder `{}` is already known", known[0][0]),
        ),
    ];
    for (place, message) in expect {
        let found = err.split("\nerror").any(|p| p.contains(place) && p.contains(message));
        assert!(found, "expected `{message}` at {place}:\n{err}");
    }
    assert!(err.contains("did you mean `sw-025`?"), "{err}");
    assert_eq!(f.read("population.csv"), population, "nothing is written");
    assert_eq!(f.read("contacts.csv"), contacts, "nothing is written");
}

#[test]
fn files_that_are_not_the_list_are_refused_plainly() {
    let f = Folder::example();
    f.build();
    let pdf = f.path("out/notice/glenaird-council-chief-executive.pdf");
    let err = f
        .run(&["population", "import", &pdf.to_string_lossy(), "{}", "--replace"])
        .fails_with(1)
        .stderr();
    assert!(err.contains("not an .xlsx workbook"), "{err}");
    // The action plan's workbook is a workbook, but not this one.
    let other = f.path("other.xlsx");
    python(
        "import sys, openpyxl\nwb = openpyxl.Workbook(); wb.active.title = 'Sheet1'; wb.save(sys.argv[1])",
        &[&other.to_string_lossy()],
    );
    let err = f
        .run(&["population", "import", &other.to_string_lossy(), "{}", "--replace"])
        .fails_with(1)
        .stderr();
    assert!(err.contains("no sheet named \"Children\""), "{err}");
    // A list claiming more rows than any council has is refused before it is read whole.
    let data = serde_json::json!({"children": [], "holders": [], "cells": {"Children!A60001": "X"}});
    let huge = fill(&f, "huge.xlsx", &data);
    let err = f
        .run(&["population", "import", &huge, "{}", "--replace"])
        .fails_with(1)
        .stderr();
    assert!(err.contains("more than 50000 rows"), "{err}");
}

#[test]
fn an_import_checks_the_list_first_and_keeps_the_folders_own_contacts_byte_for_byte() {
    // The lead's own contacts, written by hand: quotes, no e-mail column, CRLF.
    let own = "id,name,role,agency,organisation,address\r\n\
               sw-001,\"Reid, Jordan\",Team Manager,social_work,\"Glenaird Council\",\"1 High Street;Glenaird\"\r\n\
               hv-001,Ann Lee,Health Visitor,health,NHS Glenaird,2 Clinic Road;Glenaird\r\n";
    let f = crate::firstday::filled(crate::firstday::new_folder()).write("contacts.csv", own);
    f.build();
    let header_only = f.read("population.csv");

    // A list with a mistake is refused for the mistake, not for --replace.
    let bad =
        serde_json::json!({"children": [["GL-A1", "Looked after", "No", "sw-001", "", "", "", "", ""]], "holders": []});
    let bad = fill(&f, "bad.xlsx", &bad);
    let err = f.run(&["population", "import", &bad, "{}"]).fails_with(1).stderr();
    assert!(err.contains("sheet Children, cell B2"), "{err}");
    assert!(!err.contains("--replace"), "{err}");
    assert_eq!(f.read("population.csv"), header_only);

    // A good one goes into the waiting population.csv without --replace; the
    // new holder's e-mail adds the column to the first line only.
    let good = serde_json::json!({
        "children": [
            ["GL-A1", "Looked after at home", "No", "sw-001", "", "", "", "", ""],
            ["GL-A2", "Looked after at home", "No", "", "hv-new", "", "", "", ""],
        ],
        "holders": [["hv-new", "Isla Grant", "Health Visitor", "Health", "NHS Glenaird", "4 Clinic Road", "isla.grant@glenaird.example.org", ""]],
    });
    let good = fill(&f, "good.xlsx", &good);
    f.run(&["population", "import", &good, "{}"]).ok();
    let contacts = std::fs::read(f.path("contacts.csv")).unwrap();
    let header = b"id,name,role,agency,organisation,address,email\r\n";
    assert!(contacts.starts_with(header), "{}", String::from_utf8_lossy(&contacts));
    let rows = &own.as_bytes()[own.find("\r\n").unwrap() + 2..];
    assert_eq!(
        &contacts[header.len()..header.len() + rows.len()],
        rows,
        "the folder's own rows, byte for byte"
    );
    assert!(String::from_utf8_lossy(&contacts).ends_with("isla.grant@glenaird.example.org\n"));
    f.run(&["check", "{}"]).ok();

    // Now the folder has children: a second list needs --replace, said after it is checked.
    let again = serde_json::json!({"children": [["GL-A1", "Looked after at home", "No", "sw-001", "", "", "", "", ""]], "holders": []});
    let again = fill(&f, "again.xlsx", &again);
    let err = f.run(&["population", "import", &again, "{}"]).fails_with(2).stderr();
    assert!(err.contains("the list is good") && err.contains("--replace"), "{err}");
}
