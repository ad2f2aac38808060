//! The letters around the report and the plan: what the notice asks for, the
//! draft and publication letters to every addressee, and the reply to the
//! plan, each dated from the schedule and read back with poppler.

use crate::common::{fold, poppler_text, without_table, words, zip_names, Folder};

fn date(s: &serde_json::Value, key: &str) -> String {
    words(s[key].as_str().unwrap())
}

fn text(f: &Folder, rel: &str) -> String {
    fold(&poppler_text(&f.path(rel)))
}

#[test]
fn the_notice_asks_for_the_self_evaluation_and_names_the_coordinator_or_asks_for_one() {
    let f = Folder::example();
    f.build();
    let s = f.schedule();
    let notice = text(&f, "out/notice/glenaird-council-chief-executive.pdf");
    assert!(
        notice.contains(&format!(
            "Please send the partnership’s existing self-evaluation material, with the evidence that supports it, to Morag Petrie by {}",
            date(&s, "self_evaluation_due")
        )),
        "{notice}"
    );
    assert!(notice.contains("Jo Bell, Children's Services Planning Officer (jo.bell@glenaird.example.org) is the partnership’s inspection co-ordinator"), "{notice}");
    assert!(!notice.contains("Please name an inspection co-ordinator"));
    for doc in [
        "out/briefing/chief-officers.pdf",
        "out/briefing/operational-managers.pdf",
        "out/requests/edu-rec-01.pdf",
    ] {
        assert!(
            text(&f, doc).contains("Jo Bell, Children's Services Planning Officer"),
            "{doc}"
        );
    }
    let g = Folder::example().edit("inspection.toml", |t| without_table(&t, "coordinator"));
    g.build();
    let notice = text(&g, "out/notice/glenaird-council-chief-executive.pdf");
    assert!(
        notice.contains("Please name an inspection co-ordinator for the partnership"),
        "{notice}"
    );
    let managers = text(&g, "out/briefing/operational-managers.pdf");
    assert!(
        managers.contains("Name an inspection co-ordinator and send their contact details"),
        "{managers}"
    );
    assert!(!text(&g, "out/requests/edu-rec-01.pdf").contains("co-ordinator"));
}

#[test]
fn the_draft_goes_to_every_addressee_with_the_dates_for_comments_and_the_plan() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "report"]).ok();
    let s = f.schedule();
    let letters: Vec<String> = std::fs::read_dir(f.path("out/report/letters"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let drafts = letters.iter().filter(|l| l.starts_with("draft-")).count();
    assert_eq!(drafts, 5, "one per addressee: {letters:?}");
    assert!(letters
        .iter()
        .all(|l| l.starts_with("draft-") || l.starts_with("decisions-")));
    let letter = text(&f, "out/report/letters/draft-glenaird-council-chief-executive.pdf");
    assert!(
        letter.contains(&format!("Date {}", date(&s, "report_for_comment"))),
        "{letter}"
    );
    assert!(
        letter.contains("Jordan Reid Chief Executive Glenaird Council"),
        "{letter}"
    );
    assert!(letter.contains("Dear Ms Reid"), "{letter}");
    assert!(
        letter.contains(&format!("send us any comments by Friday {}", date(&s, "comments_due"))),
        "{letter}"
    );
    assert!(
        letter.contains(&format!("by Wednesday {}", date(&s, "action_plan_due"))),
        "{letter}"
    );
    assert!(letter.contains("The report makes three recommendations"), "{letter}");
    assert!(
        letter.contains("Yours sincerely Morag Petrie Inspection Lead"),
        "{letter}"
    );
    assert!(
        !letter.contains("OFFICIAL-SENSITIVE") && !letter.contains("PROTECT"),
        "no personal data, no marking"
    );
    let chair = text(
        &f,
        "out/report/letters/draft-glenaird-community-planning-partnership-chair.pdf",
    );
    assert!(chair.contains("Dear Councillor Drummond"), "{chair}");
    f.build();
    let cpp = zip_names(&f.path("out/pack/cpp.zip"));
    for l in &letters {
        assert!(cpp.contains(&format!("report/letters/{l}")), "{l} in cpp.zip");
    }
}

#[test]
fn the_final_report_brings_letters_of_publication_instead() {
    let f = Folder::example().edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    f.build();
    let s = f.schedule();
    assert!(!f
        .path("out/report/letters/draft-glenaird-council-chief-executive.pdf")
        .exists());
    assert!(
        !f.path("out/report/factual-accuracy.pdf").exists(),
        "comments are asked of a draft only"
    );
    let letter = text(&f, "out/report/letters/publication-nhs-glenaird-chief-executive.pdf");
    let publication = date(&s, "publication");
    assert!(letter.contains(&format!("Date {publication}")), "{letter}");
    assert!(
        letter.contains(&format!("is published today, Wednesday {publication}")),
        "{letter}"
    );
    assert!(
        letter.contains(&format!("by Wednesday {}", date(&s, "action_plan_due"))),
        "{letter}"
    );
    assert!(letter.contains("Dear Dr Muir"), "{letter}");
}

#[test]
fn each_organisation_that_commented_is_told_the_decision_on_each_of_its_comments() {
    let f = Folder::example().edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    f.build();
    let s = f.schedule();
    let decided = date(&s, "comments_decided");
    let council = text(&f, "out/report/letters/decisions-glenaird-council.pdf");
    let nhs = text(&f, "out/report/letters/decisions-nhs-glenaird.pdf");
    // To each organisation's contact, dated the day the decisions are sent.
    assert!(council.contains(&format!("Date {decided}")), "{council}");
    assert!(
        council.contains("Jo Bell Children's Services Planning Officer Glenaird Council Council Buildings"),
        "the co-ordinator, at the council's address: {council}"
    );
    assert!(
        nhs.contains("Dear Dr Muir") && nhs.contains("Board Headquarters"),
        "{nhs}"
    );
    // Only its own comments, each with the decision and the response.
    assert!(
        council.contains("Of your two comments, we accepted one and did not accept one."),
        "{council}"
    );
    assert!(
        council.contains("Comment 1: Public report, page 9, paragraph 3"),
        "{council}"
    );
    assert!(
        council.contains("Not accepted. The text stands as it was."),
        "{council}"
    );
    assert!(council.contains("Corrected to 74%"), "{council}");
    assert!(!council.contains("Waiting times"), "not another's comment: {council}");
    assert!(nhs.contains("Waiting times") && !nhs.contains("2,460"), "{nhs}");
    assert!(nhs.contains("Our decision: Changed in part."), "{nhs}");
    assert!(
        nhs.contains(&format!("published on {}", date(&s, "publication"))),
        "{nhs}"
    );
    // The publication letter refers to them; both are in the partnership's pack.
    let publication = text(
        &f,
        "out/report/letters/publication-glenaird-council-chief-executive.pdf",
    );
    assert!(
        publication.contains(&format!(
            "On {decided} we wrote to Glenaird Council and NHS Glenaird, giving our decision on each comment"
        )),
        "{publication}"
    );
    let cpp = zip_names(&f.path("out/pack/cpp.zip"));
    for l in ["decisions-glenaird-council.pdf", "decisions-nhs-glenaird.pdf"] {
        assert!(cpp.contains(&format!("report/letters/{l}")), "{l} in cpp.zip");
    }
    // An organisation with a comment still open gets no letter yet.
    let g = Folder::example().edit("comments.toml", |t| {
        t.replacen("decision = \"changed\"", "decision = \"\"", 1)
    });
    g.run(&["build", "{}", "--only", "report"]).ok();
    assert!(g.path("out/report/letters/decisions-glenaird-council.pdf").exists());
    assert!(!g.path("out/report/letters/decisions-nhs-glenaird.pdf").exists());
}

#[test]
fn a_childs_name_in_a_comment_is_refused_where_it_is_written() {
    let f = Folder::example();
    let ws = scrutiny::workspace::Workspace::load(&f.dir).unwrap();
    let name = ws.sample.children[0].name.clone().expect("the example has names");
    let f = f.edit("comments.toml", |t| {
        t.replacen(
            "Give the exact number.",
            &format!("Give the exact number, as for {name}."),
            1,
        )
    });
    let line = f.read("comments.toml").lines().position(|l| l.contains(&name)).unwrap() + 1;
    for command in ["check", "build"] {
        let err = f.run(&[command, "{}"]).fails_with(1).stderr();
        assert!(
            err.contains(&format!("comments.toml:{line}:")) && err.contains("a child's name"),
            "{command}: {err}"
        );
    }
    assert!(!f.path("out").exists(), "nothing written");
}

#[test]
fn check_warns_when_partners_or_the_team_have_too_few_days_for_the_comments() {
    // The draft goes out on Christmas Eve 2019: comments due on the last day of the year.
    let f = Folder::example().set("commencement", "2019-11-25");
    let said = f.run(&["check", "{}"]).ok().stderr();
    assert!(
        said.contains("partners have three working days to comment on the draft (sent 24 December 2019, comments due 31 December 2019): fewer than five"),
        "{said}"
    );
    assert!(
        said.contains(
            "set `comments_due` in [schedule] to 2020-01-06 or later, and `publication` to 2020-01-09 or later"
        ),
        "{said}"
    );
    let g = Folder::example()
        .set("commencement", "2019-11-25")
        .edit("inspection.toml", |t| {
            t.replacen(
                "[schedule]",
                "[schedule]\npublication = 2020-01-14\ncomments_due = 2020-01-13",
                1,
            )
        });
    let said = g.run(&["check", "{}"]).ok().stderr();
    assert!(!said.contains("partners have"), "{said}");
    assert!(
        said.contains("the team has no working days to decide on the comments before publication"),
        "{said}"
    );
}

#[test]
fn the_reply_to_the_plan_goes_to_the_chair_and_says_if_it_was_late_and_what_support_is_agreed() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "action-plan"]).ok();
    let reply = text(&f, "out/action-plan/reply.pdf");
    assert!(
        reply.contains("Councillor Hugh Drummond Chair Glenaird Community Planning Partnership"),
        "{reply}"
    );
    assert!(reply.contains("Dear Councillor Drummond"), "{reply}");
    assert!(
        reply.contains("The Care Inspectorate, Education Scotland, Healthcare Improvement Scotland and HM Inspectorate of Constabulary in Scotland have considered the plan together"),
        "{reply}"
    );
    assert!(
        reply.contains("which we received on Tuesday 14 May 2013. It arrived by the date we asked for, 15 May 2013."),
        "{reply}"
    );
    assert!(
        reply.contains("The Care Inspectorate and Education Scotland will support the partnership"),
        "{reply}"
    );
    assert!(
        reply.contains("Date 15 May 2013"),
        "the working day after it arrived: {reply}"
    );
    // With support agreed, the link inspectors' part is said once, in it.
    assert_eq!(reply.matches("ink inspectors").count(), 1, "{reply}");
    // Three working days late (Thursday, Friday, Monday), and no support agreed yet.
    let g = Folder::example().edit("action-plan.toml", |t| {
        let t = t.replace("received = 2013-05-14", "received = 2013-05-20");
        t[..t.find("\n[support]").unwrap()].to_string()
    });
    g.build();
    let reply = text(&g, "out/action-plan/reply.pdf");
    assert!(
        reply.contains("It arrived three working days after the date we asked for, 15 May 2013."),
        "{reply}"
    );
    assert!(reply.contains("will write to you separately"), "{reply}");
    assert!(zip_names(&g.path("out/pack/cpp.zip")).contains(&"action-plan/reply.pdf".to_string()));
    // A body that is not one of the four is refused by name.
    let h = Folder::example().edit("action-plan.toml", |t| {
        t.replace("\"Education Scotland\"]", "\"Educaton Scotland\"]")
    });
    let err = h.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("action-plan.toml") && err.contains("did you mean `Education Scotland`?"),
        "{err}"
    );
}

/// Every PDF of the worked example, drafted and published, as pikepdf reads it:
/// tagged, PDF/UA-identified, `en-GB`, titled with the area; and sound to qpdf.
#[test]
fn every_pdf_of_both_stages_is_tagged_titled_and_sound() {
    const CHECK: &str = r#"
import sys, json, pikepdf
bad = []
for p in sys.argv[1:]:
    pdf = pikepdf.open(p)
    title = str(pdf.docinfo.get("/Title", ""))
    lang = str(pdf.Root.get("/Lang", ""))
    ua = "/Metadata" in pdf.Root and b"pdfuaid" in pdf.Root.Metadata.read_bytes()
    if "Glenaird" not in title or lang != "en-GB" or not ua or "/StructTreeRoot" not in pdf.Root:
        bad.append([p, title, lang, ua])
print(json.dumps(bad))
"#;
    let published = Folder::example().edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    for f in [Folder::example(), published] {
        f.build();
        let pdfs: Vec<String> = walkdir::WalkDir::new(f.path("out"))
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            .map(|e| e.path().to_string_lossy().into_owned())
            .collect();
        assert!(pdfs.len() > 100, "{}", pdfs.len());
        let args: Vec<&str> = pdfs.iter().map(String::as_str).collect();
        let bad = crate::common::python(CHECK, &args);
        assert_eq!(bad.trim(), "[]");
        for p in &pdfs {
            assert!(crate::common::qpdf_check(std::path::Path::new(p)), "qpdf --check: {p}");
        }
    }
}

/// The team's own words reach the partnership in the reply: a child named
/// there, in the possessive and with a typographic apostrophe, stops the build.
#[test]
fn a_child_named_in_the_support_agreed_never_reaches_the_reply() {
    let f = Folder::example();
    f.build();
    let before = std::fs::read(f.path("out/pack/cpp.zip")).unwrap();
    let child = f
        .read("population.csv")
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').nth(9).map(String::from))
        .unwrap();
    let f = f.edit("action-plan.toml", |t| {
        t.replace(
            "text = \"Their link",
            &format!("text = \"With {child}\u{2019}s family. Their link"),
        )
    });
    // Refused where the team wrote it, before anything is made.
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("action-plan.toml:")
            && err.contains("a child's name is written here")
            && err.contains("support.text"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(f.path("out/pack/cpp.zip")).unwrap(),
        before,
        "nothing written"
    );
}

#[test]
fn the_notice_asks_for_existing_self_evaluation_in_no_prescribed_form_for_phase_two() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "notice"]).ok();
    let s = f.schedule();
    let notice = text(&f, "out/notice/glenaird-council-chief-executive.pdf");
    assert!(notice.contains("It is not required in any prescribed form"), "{notice}");
    assert!(!notice.contains("against the three questions above"), "{notice}");
    assert!(!notice.contains("reviews it in scoping phase one"), "{notice}");
    let start = words(s["phase_two"]["start"].as_str().unwrap());
    assert!(
        notice.contains(&format!("The team reviews it in scoping phase two, from {start}")),
        "{notice}"
    );
}

#[test]
fn the_plan_is_due_six_weeks_after_the_draft_record_in_every_letter_and_the_report() {
    let f = Folder::example();
    f.build().ok();
    let s = f.schedule();
    let (due, draft) = (date(&s, "action_plan_due"), date(&s, "report_for_comment"));
    let report = text(&f, "out/report/public-report.pdf");
    assert!(
        report.contains(&format!(
            "The Care Inspectorate asks the Glenaird Community Planning Partnership to prepare a joint action plan setting out how partners will make the improvements below, by {due}: six weeks after the draft record of inspection findings of {draft}."
        )),
        "{report}"
    );
    let g = Folder::example().edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    g.build().ok();
    let report = text(&g, "out/report/public-report.pdf");
    assert!(
        report.contains("The Care Inspectorate has asked the Glenaird"),
        "{report}"
    );
    assert!(!report.contains("will ask"), "{report}");
    let letter = text(
        &g,
        "out/report/letters/publication-glenaird-council-chief-executive.pdf",
    );
    assert!(
        letter.contains(&format!(
            "six weeks after the draft record of inspection findings of {draft}"
        )),
        "{letter}"
    );
    assert!(!letter.contains("after receiving the record"), "{letter}");
    assert!(letter.contains(&due), "{letter}");
}

#[test]
fn letters_name_the_police_force_and_the_marking_of_their_date() {
    let f = Folder::example();
    f.build().ok();
    // The notice of December 2012: the legacy force, to the division and in every copy list.
    let police = text(
        &f,
        "out/notice/police-scotland-glenaird-division-divisional-commander.pdf",
    );
    assert!(police.contains("Strathclyde Police, Glenaird Division"), "{police}");
    assert!(!police.contains("Police Scotland"), "{police}");
    let council = text(&f, "out/notice/glenaird-council-chief-executive.pdf");
    assert!(
        council.contains("Divisional Commander, Strathclyde Police, Glenaird Division"),
        "{council}"
    );
    // The draft of April 2013: Police Scotland.
    let draft = text(&f, "out/report/letters/draft-glenaird-council-chief-executive.pdf");
    assert!(
        draft.contains("Divisional Commander, Police Scotland, Glenaird Division"),
        "{draft}"
    );
    assert!(!draft.contains("Strathclyde"), "{draft}");
    // The records requests of February 2013: the force the data names, marked as then.
    let request = text(&f, "out/requests/police-01.pdf");
    assert!(request.contains("Strathclyde Police"), "{request}");
    assert!(request.contains("PROTECT - PERSONAL"), "{request}");
    assert!(!request.contains("OFFICIAL"), "{request}");
    // An inspection of 2019: Police Scotland and OFFICIAL-SENSITIVE.
    let later = Folder::synth(scrutiny::starter::synth::SynthOptions {
        commencement: chrono::NaiveDate::from_ymd_opt(2019, 11, 26).unwrap(),
        ..Default::default()
    });
    later.build().ok();
    let police = text(
        &later,
        "out/notice/police-scotland-glenaird-division-divisional-commander.pdf",
    );
    assert!(police.contains("Police Scotland, Glenaird Division"), "{police}");
    assert!(!police.contains("Strathclyde"), "{police}");
    let request = text(&later, "out/requests/police-01.pdf");
    assert!(request.contains("OFFICIAL-SENSITIVE"), "{request}");
    assert!(request.contains("Police Scotland"), "{request}");
    // Police Scotland named in a notice before it began, with no former name, is a warning.
    let unnamed = Folder::example().edit("inspection.toml", |t| {
        t.lines()
            .filter(|l| !l.starts_with("former = "))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let out = unnamed.run(&["check", "{}"]).ok();
    let said = out.stdout() + &out.stderr();
    assert!(
        said.contains("the notice of 10 December 2012 names `Police Scotland, Glenaird Division`, but Police Scotland began on 1 April 2013"),
        "{said}"
    );
    // A folder that sets its marking keeps it.
    let set = Folder::example().edit("inspection.toml", |t| {
        t.replacen("# marking = \"OFFICIAL-SENSITIVE\"", "marking = \"RESTRICTED\"", 1)
    });
    set.run(&["build", "{}", "--only", "requests"]).ok();
    assert!(text(&set, "out/requests/police-01.pdf").contains("RESTRICTED"));
}

#[test]
fn comments_go_back_the_same_way_in_the_letter_the_form_and_the_workbook() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "report"]).ok();
    let route = "Please send the partnership's comments together, through its inspection co-ordinator, Jo Bell \
                 (Children's Services Planning Officer, jo.bell@glenaird.example.org), to Morag Petrie, Inspection \
                 Lead, at morag.petrie@careinspectorate.example.org.";
    let flat = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    let letter = text(
        &f,
        "out/report/letters/draft-glenaird-community-planning-partnership-chair.pdf",
    );
    let form = flat(&poppler_text(&f.path("out/report/factual-accuracy.pdf")));
    let about = crate::common::python(
        "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nprint(' '.join(str(c.value) for row in wb['About'].iter_rows() for c in row))",
        &[&f.path("out/report/factual-accuracy.xlsx").to_string_lossy()],
    );
    for (what, said) in [("letter", flat(&letter)), ("form", form), ("workbook", flat(&about))] {
        assert!(said.contains(&flat(route)), "the {what} says otherwise:\n{said}");
    }
}
