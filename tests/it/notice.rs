//! The foundation end to end: init → check → schedule → build the notices.

use crate::common::{fold, pdf_facts, qpdf_check, Folder};
use std::fs;

#[test]
fn init_makes_a_folder_that_checks_ok() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-inspection");
    let bin = env!("CARGO_BIN_EXE_scrutiny");
    let out = std::process::Command::new(bin).arg("init").arg(&dir).output().unwrap();
    assert!(out.status.success());
    for f in ["inspection.toml", "contacts.csv", "population.csv"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let check = std::process::Command::new(bin).arg("check").arg(&dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(stdout.starts_with("ok: JI-2013-07 Glenaird:"), "{stdout}");
    assert!(stdout.contains("Mon 4 Mar 2013"), "{stdout}");
    assert!(stdout.contains("sample of 88 children"), "{stdout}");
    // A second init into the same folder refuses rather than overwrite the user's work.
    let again = std::process::Command::new(bin).arg("init").arg(&dir).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn schedule_json_has_exactly_the_contract_keys() {
    let f = Folder::example();
    let run = f.run(&["schedule", "{}", "--json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    let mut expected = vec![
        "notification",
        "briefings",
        "care_inspections_by",
        "position_statements_due",
        "phase_two",
        "phase_three",
        "core",
        "conclusion",
        "report_for_comment",
        "publication",
        "action_plan_due",
        "records_window",
        "scoping_phase_one",
        "population_list_due",
        "survey_due",
        "requests_confirm_by",
        "comments_due",
        "sample_drawn",
        "self_evaluation_due",
        "survey_opens",
        "discussion_one",
        "discussion_two",
        "discussion_three",
        "comments_decided",
    ];
    let mut keys_sorted = keys.clone();
    keys_sorted.sort();
    expected.sort();
    assert_eq!(keys_sorted, expected);
    for span in [
        "phase_two",
        "phase_three",
        "core",
        "records_window",
        "scoping_phase_one",
    ] {
        let mut k: Vec<&String> = v[span].as_object().unwrap().keys().collect();
        k.sort();
        assert_eq!(k, ["end", "start"], "{span}");
    }
    assert_eq!(v["notification"], "2012-12-10");
    // The contract's rules for the keys added with the report (worked example).
    assert_eq!(v["scoping_phase_one"]["start"], "2013-01-21");
    assert_eq!(v["scoping_phase_one"]["end"], "2013-03-01");
    assert_eq!(v["population_list_due"], "2013-02-04");
    assert_eq!(v["survey_due"], "2013-02-11");
    assert_eq!(v["requests_confirm_by"], "2013-02-18");
    assert_eq!(v["comments_due"], "2013-04-12");
    assert_eq!(v["comments_decided"], "2013-04-15");
    // The human table has weekdays.
    let table = f.run(&["schedule", "{}"]).ok().stdout();
    assert!(table.contains("Mon 4 Mar 2013 to Wed 6 Mar 2013"), "{table}");
    assert!(table.contains("13 working days on site"), "{table}");
}

/// 2022: the spring holiday moved to Thursday 2 June and the Platinum Jubilee on Friday 3 June
/// fall inside scoping phase two.
#[test]
fn schedule_around_the_2022_jubilee() {
    let f = Folder::example().set("commencement", "2022-05-31");
    let v: serde_json::Value = serde_json::from_str(&f.run(&["schedule", "{}", "--json"]).ok().stdout()).unwrap();
    let expect = [
        ("/notification", "2022-03-08"),
        ("/briefings", "2022-04-19"),
        ("/care_inspections_by", "2022-05-30"),
        ("/position_statements_due", "2022-05-17"),
        ("/phase_two/start", "2022-05-31"),
        ("/phase_two/end", "2022-06-06"),
        ("/phase_three/start", "2022-06-07"),
        ("/phase_three/end", "2022-06-13"),
        ("/core/start", "2022-06-14"),
        ("/core/end", "2022-06-20"),
        ("/conclusion", "2022-06-20"),
        ("/report_for_comment", "2022-07-04"),
        ("/publication", "2022-07-18"),
        ("/action_plan_due", "2022-08-15"),
        ("/records_window/start", "2020-12-07"),
        ("/records_window/end", "2022-06-07"),
    ];
    for (ptr, date) in expect {
        assert_eq!(v.pointer(ptr).and_then(|d| d.as_str()), Some(date), "{ptr}");
    }
}

/// St Andrew's Day on a Sunday (2025, so Monday 1 December) and a local holiday.
#[test]
fn schedule_with_st_andrews_substitute_and_a_local_holiday() {
    let f = Folder::example()
        .set("commencement", "2025-11-27")
        .edit("inspection.toml", |t| {
            t.replace("holidays = []", "holidays = [2025-12-05]")
        })
        .edit("inspection.toml", |t| t.replace("due = 2013-02-11", "due = 2025-11-06"))
        .edit("inspection.toml", |t| {
            t.replace("inspected = 2013-", "inspected = 2025-")
        });
    let v: serde_json::Value = serde_json::from_str(&f.run(&["schedule", "{}", "--json"]).ok().stdout()).unwrap();
    let expect = [
        ("/notification", "2025-09-04"),
        ("/briefings", "2025-10-16"),
        ("/care_inspections_by", "2025-11-26"),
        ("/position_statements_due", "2025-11-13"),
        ("/phase_two/end", "2025-12-02"),
        ("/phase_three/start", "2025-12-03"),
        ("/phase_three/end", "2025-12-10"),
        ("/core/start", "2025-12-11"),
        ("/core/end", "2025-12-17"),
        ("/report_for_comment", "2025-12-31"),
        ("/publication", "2026-01-14"),
        ("/action_plan_due", "2026-02-11"),
        ("/records_window/start", "2024-06-03"),
    ];
    for (ptr, date) in expect {
        assert_eq!(v.pointer(ptr).and_then(|d| d.as_str()), Some(date), "{ptr}");
    }
}

#[test]
fn notices_name_the_dates_in_words_and_are_accessible() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "notice"]).ok();
    let notices: Vec<String> = fs::read_dir(f.path("out/notice"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut sorted = notices.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "glenaird-community-planning-partnership-chair.pdf",
            "glenaird-council-chief-executive.pdf",
            "nhs-glenaird-chief-executive.pdf",
            "police-scotland-glenaird-division-divisional-commander.pdf",
            "scottish-childrens-reporter-administration-principal-reporter.pdf"
        ]
    );
    let rel = "out/notice/glenaird-council-chief-executive.pdf";
    let text = fold(&f.pdf_text(rel));
    for needle in [
        "Dear Ms Reid",
        "10 December 2012",             // dated the notification date
        "Monday 4 March 2013",          // commencement
        "21 January 2013",              // briefings
        "4 March 2013 to 6 March 2013", // scoping phase two
        "7 March 2013 to 13 March 2013",
        "14 March 2013 to 20 March 2013",
        "1 March 2013",  // care service inspections completed by
        "3 April 2013",  // report for comment
        "17 April 2013", // publication
        "15 May 2013",   // action plan
        "13 days on site",
        "up to 30",
        "section 115 of the Public Services Reform (Scotland) Act 2010",
        "inspection co-ordinator",
        "Morag Petrie",
        "morag.petrie@careinspectorate.example.org",
        "Iain Baxter",
        "How well do we work together to improve the lives of children and families?",
        "Page 1 of",
    ] {
        assert!(text.contains(needle), "notice lacks {needle:?}:\n{text}");
    }
    assert!(
        !text.contains("OFFICIAL-SENSITIVE") && !text.contains("PROTECT - PERSONAL"),
        "the notice holds no personal data"
    );
    let bytes = fs::read(f.path(rel)).unwrap();
    let facts = pdf_facts(&bytes);
    assert_eq!(facts.lang.as_deref(), Some("en-GB"));
    assert!(facts.marked && facts.struct_tree, "tagged PDF");
    assert!(facts
        .title
        .unwrap_or_default()
        .starts_with("Notice of joint inspection, Glenaird"));
    assert!(
        String::from_utf8_lossy(&bytes).contains("pdfuaid:part"),
        "PDF/UA-1 identification"
    );
    assert!(qpdf_check(&f.path(rel)), "qpdf --check failed");
}

#[test]
fn builds_are_byte_identical_and_the_manifest_is_true() {
    let f = Folder::example();
    f.build();
    let first = f.read("out/manifest.json");
    f.build();
    assert_eq!(first, f.read("out/manifest.json"), "same inputs, same bytes");
    let m: serde_json::Value = serde_json::from_str(&first).unwrap();
    let files = m["files"].as_array().unwrap();
    assert!(files.len() >= 4);
    use sha2::Digest;
    for e in files {
        let bytes = fs::read(f.path(&format!("out/{}", e["path"].as_str().unwrap()))).unwrap();
        assert_eq!(e["size"].as_u64().unwrap(), bytes.len() as u64);
        assert_eq!(
            e["sha256"].as_str().unwrap(),
            format!("{:x}", sha2::Sha256::digest(&bytes))
        );
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let f = Folder::example();
    f.build();
    let before = f.read("out/manifest.json");
    // Break the folder: the build must fail and change nothing.
    let f = f.set("commencement", "2013-03-02");
    let run = f.run(&["build", "{}"]).fails_with(1);
    assert!(run.stderr().contains("inspection.toml:"), "{}", run.stderr());
    assert_eq!(before, f.read("out/manifest.json"));
    let leftovers: Vec<_> = fs::read_dir(&f.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind: {leftovers:?}");
}

#[test]
fn only_rebuilds_the_named_folder() {
    let f = Folder::example();
    f.build();
    let sample_before = f.read("out/sample/sample.csv");
    let briefing_before = fs::read(f.path("out/briefing/chief-officers.pdf")).unwrap();
    fs::remove_file(f.path("out/notice/glenaird-council-chief-executive.pdf")).unwrap();
    f.run(&["build", "{}", "--only", "notice"]).ok();
    assert!(f.path("out/notice/glenaird-council-chief-executive.pdf").is_file());
    assert_eq!(f.read("out/sample/sample.csv"), sample_before);
    assert_eq!(
        fs::read(f.path("out/briefing/chief-officers.pdf")).unwrap(),
        briefing_before
    );
    let m = f.read("out/manifest.json");
    assert!(m.contains("sample/sample.csv") && m.contains("notice/"), "{m}");
    // An unknown folder name is refused with the list of valid ones.
    let run = f.run(&["build", "{}", "--only", "notices"]).fails_with(2);
    assert!(run.stderr().contains("choose from notice"), "{}", run.stderr());
}

#[test]
fn a_build_never_replaces_the_inspection_folder_or_someone_elses_files() {
    let f = Folder::example();
    let err = f.run(&["build", "{}", "--out", "{}"]).fails_with(2).stderr();
    assert!(err.contains("is the inspection folder or holds it"), "{err}");
    assert!(f.path("inspection.toml").is_file() && f.path("population.csv").is_file());

    let other = f.dir.parent().unwrap().join("my-documents");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("thesis.docx"), "precious").unwrap();
    let err = f
        .run(&["build", "{}", "--out", &other.to_string_lossy()])
        .fails_with(2)
        .stderr();
    assert!(err.contains("is not an earlier scrutiny output"), "{err}");
    assert_eq!(fs::read_to_string(other.join("thesis.docx")).unwrap(), "precious");

    // An empty folder, or an earlier output, is fine.
    let fresh = f.dir.parent().unwrap().join("fresh");
    fs::create_dir_all(&fresh).unwrap();
    f.run(&["build", "{}", "--out", &fresh.to_string_lossy(), "--only", "notice"])
        .ok();
    f.run(&["build", "{}", "--out", &fresh.to_string_lossy(), "--only", "notice"])
        .ok();
    assert!(fresh.join("manifest.json").is_file());
}

#[test]
fn the_notice_prints_every_step_as_the_schedule_labels_and_dates_it() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "notice"]).ok();
    let json: serde_json::Value = serde_json::from_str(&f.run(&["schedule", "{}", "--json"]).ok().stdout()).unwrap();
    let table = f.run(&["schedule", "{}"]).ok().stdout();
    let text = fold(&f.pdf_text("out/notice/glenaird-council-chief-executive.pdf"));
    let mut seen = 0;
    for line in table.lines().filter(|l| l.contains("  ")) {
        // "Mon 21 Jan 2013                    briefings                Briefings"
        let cells: Vec<&str> = line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
        let [_, key, label] = cells[..] else { continue };
        if key == "notification" || key == "records_window" {
            continue;
        }
        if key == "position_statements_due" {
            // Each statement on its own date instead, in date order: the
            // example wants early help a week before the other two.
            for (topic, due) in [
                ("Post-adoption support", "18 February 2013"),
                ("Throughcare and aftercare", "18 February 2013"),
                ("Early help for families with young children", "11 February 2013"),
            ] {
                // A wrapped cell comes out of the PDF with a space before its neighbour.
                let squeezed = text.replace(' ', "");
                let row = format!("Position statement due: {topic}{due}").replace(' ', "");
                assert!(squeezed.contains(&row), "{topic}\n{text}");
            }
            let early = text.find("Position statement due: Early help").unwrap();
            assert!(early < text.find("Position statement due: Post-adoption").unwrap());
            assert!(
                early < text.find("Self-evaluation material due").unwrap(),
                "in date order"
            );
            assert!(!text.contains("Position statements due"), "{text}");
            seen += 1;
            continue;
        }
        let when = match &json[key] {
            serde_json::Value::String(d) => common_words(d),
            span => format!(
                "{} to {}",
                common_words(span["start"].as_str().unwrap()),
                common_words(span["end"].as_str().unwrap())
            ),
        };
        // Table cells come out of the PDF side by side, with no space between.
        assert!(
            text.contains(&format!("{label}{when}")),
            "{key}: {label} {when}\n{text}"
        );
        seen += 1;
    }
    assert_eq!(seen, 22, "{table}");
}

fn common_words(iso: &str) -> String {
    crate::common::words(iso)
}
