//! Briefing packs, information leaflets and position statement requests, on an
//! unseen synthetic folder.

use crate::common::{fold, pdf_facts, qpdf_check, struct_alts, words, Folder};
use chrono::NaiveDate;
use scrutiny::starter::synth::SynthOptions;

fn unseen() -> Folder {
    // Commencement Tue 6 Feb 2024; a local holiday in phase three.
    Folder::synth(SynthOptions {
        children: 700,
        seed: 77,
        commencement: NaiveDate::from_ymd_opt(2024, 2, 6).unwrap(),
        area: "Strathbrae".into(),
        ..SynthOptions::default()
    })
    .edit("inspection.toml", |t| {
        t.replace("holidays = []", "holidays = [2024-02-12]")
    })
}

fn date(v: &serde_json::Value, ptr: &str) -> String {
    words(
        v.pointer(ptr)
            .and_then(|d| d.as_str())
            .unwrap_or_else(|| panic!("{ptr}")),
    )
}

#[test]
fn every_briefing_document_exists_carries_the_dates_and_is_accessible() {
    let f = unseen();
    f.run(&["build", "{}", "--only", "briefing", "--only", "position-statements"])
        .ok();
    let s = f.schedule();
    let docs = [
        "briefing/chief-officers.pdf",
        "briefing/operational-managers.pdf",
        "briefing/information-staff.pdf",
        "briefing/information-parents-carers.pdf",
        "briefing/information-children-young-people.pdf",
        "position-statements/post-adoption-support.pdf",
        "position-statements/throughcare-and-aftercare.pdf",
        "position-statements/early-help-for-families-with-young-children.pdf",
    ];
    for doc in docs {
        let path = f.path(&format!("out/{doc}"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{doc}: {e}"));
        let facts = pdf_facts(&bytes);
        assert_eq!(facts.lang.as_deref(), Some("en-GB"), "{doc}");
        assert!(facts.marked && facts.struct_tree, "{doc} is tagged");
        assert!(
            facts.title.as_deref().unwrap_or("").contains("Strathbrae"),
            "{doc} has a real title"
        );
        assert!(qpdf_check(&path), "qpdf --check failed on {doc}");
        // Every document carries the on-site dates in words.
        let text = fold(&f.pdf_text(&format!("out/{doc}")));
        assert!(
            text.contains(&date(&s, "/phase_two/start")),
            "{doc} lacks the start date"
        );
    }

    let chief = fold(&f.pdf_text("out/briefing/chief-officers.pdf"));
    for ptr in [
        "/notification",
        "/briefings",
        "/care_inspections_by",
        "/phase_two/start",
        "/phase_two/end",
        "/phase_three/start",
        "/phase_three/end",
        "/core/start",
        "/core/end",
        "/report_for_comment",
        "/publication",
        "/action_plan_due",
    ] {
        assert!(chief.contains(&date(&s, ptr)), "chief officers' briefing lacks {ptr}");
    }
    for q in [
        "How well are the lives of children, young people and their families improving?",
        "How well do we work together to improve the lives of children and families?",
        "How well do we lead and improve the quality of our work and achieve better outcomes for children and families?",
    ] {
        assert!(chief.contains(q), "the three questions in their exact words: {q}");
    }
    for member in [
        "Morag Petrie",
        "Ruth Cole",
        "Education Scotland",
        "Graeme Lindsay",
        "HMICS",
    ] {
        assert!(chief.contains(member), "the team: {member}");
    }
    // Care services: name, number, kind and date.
    for needle in [
        "Westfield Children's House",
        "CS2004071234",
        "Care home service for children and young people",
    ] {
        assert!(chief.contains(needle), "care services: {needle}");
    }
    assert!(
        chief.contains(&words("2023-11-16")),
        "the first care service's inspection date"
    );

    let ops = fold(&f.pdf_text("out/briefing/operational-managers.pdf"));
    // Managers get words, not the program's file format.
    for format in [
        "case_ref",
        "lead_professional",
        "date_of_birth",
        "population.csv",
        "contacts.csv",
        "looked_after_home",
    ] {
        assert!(
            !ops.contains(format),
            "operational managers' briefing speaks the file format: {format:?}"
        );
    }
    for needle in [
        "Case reference",
        "Name and date of birth",
        "record holders",
        "95% confident",
        "±10 percentage points",
        "in need of protection",
        "Lead Professional",
        "Named Person",
        "last 18 months",
        "electronic recording systems",
        "Code of Practice",
        "staff survey",
        "13 days",
        "Post-adoption support",
    ] {
        assert!(ops.contains(needle), "operational managers' briefing lacks {needle:?}");
    }
    for leaflet in [
        "information-staff",
        "information-parents-carers",
        "information-children-young-people",
    ] {
        let text = fold(&f.pdf_text(&format!("out/briefing/{leaflet}.pdf")));
        assert!(text.contains(&date(&s, "/core/end")), "{leaflet}: last on-site day");
        assert!(text.contains(&date(&s, "/publication")), "{leaflet}: publication");
        assert!(
            text.to_lowercase().contains("young inspectors"),
            "{leaflet}: young inspectors"
        );
        assert!(text.contains("Morag Petrie"), "{leaflet}: who to contact");
    }
}

#[test]
fn the_timeline_graphic_has_alternative_text() {
    let f = unseen();
    f.run(&["build", "{}", "--only", "briefing"]).ok();
    let s = f.schedule();
    let alts = struct_alts(
        &std::fs::read(f.path("out/briefing/chief-officers.pdf")).unwrap(),
        "Figure",
    );
    assert_eq!(alts.len(), 1, "{alts:?}");
    assert!(alts[0].starts_with("Timeline of the inspection"), "{}", alts[0]);
    assert!(
        alts[0].contains(&date(&s, "/notification")) && alts[0].contains("13 on-site days"),
        "{}",
        alts[0]
    );
}

#[test]
fn position_statement_due_dates_follow_the_rule() {
    let f = unseen();
    f.run(&["build", "{}", "--only", "position-statements"]).ok();
    let s = f.schedule();
    let default_due = date(&s, "/position_statements_due");
    // Two statements take the schedule's date; one has its own (commencement less 21 days).
    for (doc, due) in [
        ("post-adoption-support", default_due.clone()),
        ("throughcare-and-aftercare", default_due.clone()),
        ("early-help-for-families-with-young-children", words("2024-01-16")),
    ] {
        let text = fold(&f.pdf_text(&format!("out/position-statements/{doc}.pdf")));
        assert!(text.contains(&format!("by {due}")), "{doc} should be due {due}: {text}");
        for needle in [
            "How good are we now?",
            "How do we know?",
            "What do we plan to do next?",
            "four pages",
            "scoping phase two",
        ] {
            assert!(text.contains(needle), "{doc} lacks {needle:?}");
        }
    }
    assert_ne!(default_due, words("2024-01-16"));
}

#[test]
fn names_in_briefings_print_literally() {
    let weird = "Dr *Ann* #Smith_{x} $y$ // {{ area }} ='s";
    let topic = "Kinship care & \"family\" support #1";
    let f = unseen()
        .edit("inspection.toml", |t| {
            t.replacen(
                "name = \"Ruth Cole\"",
                &format!("name = \"{}\"", weird.replace('"', "\\\"")),
                1,
            )
        })
        .edit("inspection.toml", |t| {
            t.replacen(
                "topic = \"Throughcare and aftercare\"",
                &format!("topic = \"{}\"", topic.replace('"', "\\\"")),
                1,
            )
        });
    f.run(&["build", "{}", "--only", "briefing", "--only", "position-statements"])
        .ok();
    assert!(fold(&f.pdf_text("out/briefing/chief-officers.pdf")).contains(weird));
    let text = fold(&f.pdf_text("out/position-statements/kinship-care-family-support-1.pdf"));
    assert!(text.contains(topic), "{text}");
}
