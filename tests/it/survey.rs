//! The staff survey of named persons: the invitation dated by the schedule and
//! sent through the co-ordinator, the questions as a template the folder may
//! replace, and the results checked and published under the small-number rule.

use crate::common::{fold, poppler_text, without_table, words, Folder};

/// A PDF's text as poppler lays it out, each line's runs of spaces folded:
/// a table's row reads as one line, its cells in order.
fn layout_rows(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-nopgbrk"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: run `bash tests/setup.sh`");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(fold)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_invitation_is_dated_by_the_schedule_and_sent_through_the_coordinator() {
    let f = Folder::example();
    f.build();
    let s = f.schedule();
    let text = fold(&poppler_text(&f.path("out/briefing/staff-survey.pdf")));
    let opens = words(s["survey_opens"].as_str().unwrap());
    let closes = words(s["survey_due"].as_str().unwrap());
    assert!(
        text.contains(&format!("Date {opens}")),
        "dated the day it opens: {text}"
    );
    assert!(text.contains(&format!("to Monday {closes}")), "{text}");
    assert!(text.contains("https://survey.example.org/ji-2013-07"), "{text}");
    assert!(
        text.contains("Sent on our behalf by Jo Bell, Children's Services Planning Officer"),
        "{text}"
    );
    // The built-in statements, numbered, and the answers offered.
    assert!(
        text.contains("1. I understand what is expected of me as a named person."),
        "{text}"
    );
    assert!(
        text.contains("11. I am confident that children at risk of harm"),
        "{text}"
    );
    assert!(
        text.contains("Strongly agree, Agree, Disagree, Strongly disagree or Don't know"),
        "{text}"
    );
    assert!(text.contains("The survey has 11 statements"), "{text}");
    // It goes to the partnership.
    assert!(crate::common::zip_names(&f.path("out/pack/cpp.zip")).contains(&"briefing/staff-survey.pdf".to_string()));

    // Without a co-ordinator the partnership sends it; without [survey], there is none.
    let g = Folder::example().edit("inspection.toml", |t| without_table(&t, "coordinator"));
    g.build();
    let text = fold(&poppler_text(&g.path("out/briefing/staff-survey.pdf")));
    assert!(
        text.contains("Sent on our behalf by the Glenaird Community Planning Partnership"),
        "{text}"
    );
    assert!(!text.contains("Jo Bell"));
    let h = without_survey_figures(Folder::example().edit("inspection.toml", |t| without_table(&t, "survey")));
    std::fs::remove_file(h.path("findings/survey.csv")).unwrap();
    h.build();
    assert!(!h.path("out/briefing/staff-survey.pdf").exists());
    assert!(!fold(&h.pdf_text("out/report/public-report.pdf")).contains("Staff survey."));
}

#[test]
fn the_folder_may_ask_its_own_questions_and_the_results_must_use_its_words() {
    let f = Folder::example().write(
        "templates/staff-survey-questions.txt",
        "# Our own two statements\nI know my caseload's children well.\n\nI get the information I need from health visitors.\n",
    );
    // The example's results answer the built-in statements: each row is refused by line.
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("findings/survey.csv:2:1: record 1: \"I understand what is expected of me as a named person.\" is not a question of the survey"),
        "{err}"
    );
    assert!(
        err.contains("templates/staff-survey-questions.txt"),
        "says where the questions are: {err}"
    );
    // The prose cites statements the folder's own survey does not have.
    let f = without_survey_figures(f);
    let f = f.write(
        "findings/survey.csv",
        "question,strongly_agree,agree,disagree,strongly_disagree,dont_know\n\
         I know my caseload’s children   well.,10,20,5,1,4\n\
         I get the information I need from health visitors.,2,1,0,0,0\n",
    );
    f.build();
    let invite = fold(&poppler_text(&f.path("out/briefing/staff-survey.pdf")));
    assert!(invite.contains("The survey has two statements"), "{invite}");
    assert!(
        invite.contains("2. I get the information I need from health visitors."),
        "{invite}"
    );
    assert!(!invite.contains("named person role"));
    // The record gives each statement's returns and agreement, under the small-number rule.
    let record = layout_rows(&f.path("out/report/record-of-findings.pdf"));
    assert!(
        fold(&record).contains("We invited a sample of 300 named persons across services to answer our online survey")
            && fold(&record).contains("40 named persons answered, a response rate of 13%."),
        "{record}"
    );
    assert!(
        record.contains("I know my caseload's children well. 40 75%"),
        "{record}"
    );
    assert!(
        record.contains("I get the information I need from health fewer than five not given"),
        "{record}"
    );
    let report = fold(&f.pdf_text("out/report/public-report.pdf"));
    assert!(
        report.contains("Before the inspection, 40 named persons answered our online survey of staff"),
        "{report}"
    );
    assert!(report.contains("each of its two statements"), "{report}");
}

#[test]
fn bad_results_are_located_by_line_and_column() {
    let f = Folder::example().edit("findings/survey.csv", |t| {
        t.replace(
            "I feel supported by my manager in my work as a named person.,39,58,15,5,6",
            "I feel supported by my manager in my work as a named persons.,39,-58,15,,6",
        )
        .replace(
            "I keep a chronology of significant events for the children who need one.,22,45,33,8,15",
            "I keep a chronology of significant events for the children who need one.,22,45,33,8,lots",
        )
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("findings/survey.csv:11:3: record 10: `agree` is -58: a count cannot be negative"),
        "{err}"
    );
    assert!(
        err.contains("findings/survey.csv:11:5: record 10: `strongly_disagree` is empty"),
        "{err}"
    );
    assert!(
        err.contains("findings/survey.csv:8:6: record 7: `dont_know` is `lots`, not a count"),
        "{err}"
    );
    assert!(
        err.contains("did you mean \"I feel supported by my manager in my work as a named person.\"?"),
        "{err}"
    );
    // Results without a survey set up in inspection.toml are refused too.
    let g = Folder::example().edit("inspection.toml", |t| without_table(&t, "survey"));
    let err = g.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains(
            "findings/survey.csv:1: the folder has the staff survey's results, but inspection.toml has no [survey]"
        ),
        "{err}"
    );
}

#[test]
fn the_public_report_cites_the_returns_as_a_figure() {
    let f = Folder::example().edit("findings/context.md", |t| {
        format!("{t}\nOur survey had [[survey.returns]] returns, and we met [[evidence.staff]] staff in [[evidence.focus_groups]] focus groups.\n")
    });
    f.build();
    let report = fold(&f.pdf_text("out/report/public-report.pdf"));
    assert!(
        report.contains("Our survey had 123 returns, and we met 320 staff in 18 focus groups."),
        "{report}"
    );
    assert!(
        report.contains(
            "During the inspection we met 96 children and young people, 41 parents and carers and 320 staff."
        ),
        "{report}"
    );
    assert!(
        report.contains("We held 18 focus groups, observed nine meetings and made six visits to services."),
        "{report}"
    );
    // A question answered by three people is "fewer than five", in every document.
    let g = Folder::example()
        .edit("findings/survey.csv", |t| {
            t.lines()
                .map(|l| {
                    if l.starts_with("question") {
                        l.to_string()
                    } else {
                        let q = l.rsplitn(6, ',').last().unwrap();
                        format!("{q},1,1,1,0,0")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .edit("findings/context.md", |t| {
            format!("{t}\nThe survey had [[survey.returns]] returns.\n")
        });
    g.build();
    let report = fold(&g.pdf_text("out/report/public-report.pdf"));
    assert!(report.contains("The survey had fewer than five returns."), "{report}");
    assert!(
        report.contains("Before the inspection, fewer than five named persons answered"),
        "{report}"
    );
    let record = layout_rows(&g.path("out/report/record-of-findings.pdf"));
    assert!(
        fold(&record).contains("fewer than five named persons answered.") && !record.contains("response rate"),
        "no rate of a few people: {record}"
    );
    assert_eq!(
        record.matches("fewer than five not given").count(),
        11,
        "no percentage of three: {record}"
    );
}

#[test]
fn a_sample_of_staff_is_invited_and_the_record_says_how_many_and_the_response_rate() {
    let f = Folder::example();
    f.build();
    let invite = fold(&poppler_text(&f.path("out/briefing/staff-survey.pdf")));
    assert!(
        invite
            .contains("You are one of a sample of 300 staff across services, chosen because you act as a named person"),
        "{invite}"
    );
    assert!(invite.contains("do not pass the link on"), "{invite}");
    assert!(!invite.contains("If you have not been asked"), "{invite}");
    // The example's busiest statement had 123 answers: 41% of the 300 invited.
    let record = fold(&layout_rows(&f.path("out/report/record-of-findings.pdf")));
    assert!(
        record.contains("We invited a sample of 300 named persons")
            && record.contains("123 named persons answered, a response rate of 41%."),
        "{record}"
    );
    // More answers than people invited is a slip.
    let g = Folder::example().edit("inspection.toml", |t| t.replacen("invited = 300", "invited = 100", 1));
    let err = g.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("findings/survey.csv:1: 123 named persons answered a question, but inspection.toml's [survey] says 100 were invited"),
        "{err}"
    );
}

#[test]
fn a_survey_without_its_results_is_a_warning_in_a_draft_and_an_error_in_the_final_report() {
    let f = without_survey_figures(Folder::example());
    std::fs::remove_file(f.path("findings/survey.csv")).unwrap();
    let said = f.run(&["check", "{}"]).ok().stderr();
    assert!(
        said.contains("warning: findings/findings.toml:")
            && said.contains("inspection.toml has [survey], but findings/survey.csv holds no results"),
        "{said}"
    );
    let f = f.edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("inspection.toml has [survey], but findings/survey.csv holds no results"),
        "{err}"
    );
}

/// The worked example with its prose citing no figure of the survey: each
/// `[[survey...]]` written as "the" (a folder without the built-in survey).
fn without_survey_figures(f: Folder) -> Folder {
    let mut f = f;
    for file in [
        "findings/conclusion.md",
        "findings/question-2.md",
        "findings/record/1.1.md",
        "findings/record/5.1.md",
        "findings/record/9.1.md",
    ] {
        f = f.edit(file, |t| {
            let mut out = String::new();
            let mut rest = t.as_str();
            while let Some(i) = rest.find("[[survey.") {
                out.push_str(&rest[..i]);
                let end = rest[i..].find("]]").map_or(rest.len(), |e| i + e + 2);
                out.push_str("the");
                rest = &rest[end..];
            }
            out.push_str(rest);
            out
        });
    }
    f
}
