//! The inspection as it happens: what was sent fixes the dates it bore, `issue`
//! records what was sent by its day and keeps a copy, and a draft replaced by
//! the final report is superseded, not withdrawn.

use std::fs;

use crate::common::{zip_names, Folder};

/// Adds `line` at the top of `[schedule]` in inspection.toml.
fn in_schedule(f: Folder, line: &str) -> Folder {
    f.edit("inspection.toml", |t| {
        t.replacen("[schedule]", &format!("[schedule]\n{line}"), 1)
    })
}

/// The paths a record of an issue lists.
fn recorded(f: &Folder, date: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&f.read(&format!("issued/{date}.json"))).unwrap();
    json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn issue_on_the_notices_day_records_the_notices_alone_and_keeps_what_was_sent() {
    let f = Folder::example();
    let said = f.run(&["issue", "{}", "--date", "2012-12-10"]).ok().stdout();
    let paths = recorded(&f, "2012-12-10");
    assert!(
        !paths.is_empty() && paths.iter().all(|p| p.starts_with("notice/")),
        "{paths:?}"
    );
    assert!(
        said.contains(&format!(
            "recorded {} documents issued on 10 December 2012",
            paths.len()
        )),
        "{said}"
    );
    assert!(
        said.contains("left out ") && said.contains(" dated after 10 December 2012"),
        "{said}"
    );
    // The bytes sent are kept, and the archive holds them.
    for p in &paths {
        let kept = fs::read(f.path(&format!("issued/2012-12-10/{p}"))).unwrap();
        assert_eq!(kept, fs::read(f.path(&format!("out/{p}"))).unwrap(), "{p}");
    }
    f.build();
    let names = zip_names(&f.path("out/pack/archive.zip"));
    assert!(
        names.contains(&format!("inspection/issued/2012-12-10/{}", paths[0])),
        "{names:?}"
    );
}

#[test]
fn a_sent_notice_keeps_its_date_and_commencement_moves_only_what_is_to_come() {
    let f = Folder::example();
    f.run(&["issue", "{}", "--date", "2012-12-10"]).ok();
    let before = f.schedule();
    let f = f.set("commencement", "2013-03-11");
    let after = f.schedule();
    // The notice went on 10 December; the briefings are counted from it.
    assert_eq!(after["notification"], "2012-12-10");
    assert_eq!(after["briefings"], before["briefings"]);
    assert_eq!(after["phase_two"]["start"], "2013-03-11");
    assert_ne!(after["position_statements_due"], before["position_statements_due"]);
    // The notices state the new commencement, and nothing else sent is listed.
    f.build();
    let csv = f.read("out/reissue.csv");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.starts_with("notice/")),
        "{csv}"
    );
    assert!(csv.contains("Scoping phase two: now Monday 11 March 2013"), "{csv}");
    assert!(!csv.contains("Notice of inspection (12 weeks): now"), "{csv}");
}

#[test]
fn a_commencement_that_leaves_a_sent_notice_short_says_what_was_sent_and_the_way_out() {
    let f = Folder::example();
    f.run(&["issue", "{}", "--date", "2012-12-10", "--only", "notice"]).ok();
    let f = f.set("commencement", "2013-02-25");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("inspection.toml:8:"), "{err}");
    assert!(
        err.contains("the notice was sent on 10 December 2012 (issued/2012-12-10.json)"),
        "{err}"
    );
    assert!(err.contains("begin on or after 4 March 2013"), "{err}");
}

#[test]
fn a_sample_drawn_after_the_phase_that_reads_it_is_said_in_words() {
    let f = Folder::example();
    f.run(&["issue", "{}", "--date", "2013-02-05", "--only", "requests"])
        .ok();
    let f = f.set("commencement", "2013-01-28");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains(
            "Sample drawn and records requested is 5 February 2013 (sent on 5 February 2013, issued/2013-02-05.json): \
             scoping phase three reads the records the sample asks for"
        ),
        "{err}"
    );
    assert!(
        err.contains("set `phase_three` in [schedule]") || err.contains("move `commencement` back"),
        "{err}"
    );
}

#[test]
fn every_step_may_be_set_by_hand_and_is_checked_like_the_others() {
    let f = in_schedule(Folder::example(), "survey_opens = 2013-02-04");
    let s = f.schedule();
    assert_eq!(s["survey_opens"], "2013-02-04");
    assert_eq!(s["survey_due"], "2013-02-11");

    // A Saturday.
    let f = in_schedule(Folder::example(), "survey_opens = 2013-02-09");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("inspection.toml:113:"), "{err}");
    assert!(
        err.contains("survey_opens 2013-02-09 (Saturday) is not a working day"),
        "{err}"
    );

    // After the survey closes.
    let f = in_schedule(Folder::example(), "survey_opens = 2013-02-12");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("the survey opens before it closes"), "{err}");

    // A key misspelt is named with the one meant.
    let f = in_schedule(Folder::example(), "survey_open = 2013-02-04");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("survey_opens"), "{err}");
}

#[test]
fn a_draft_replaced_by_the_final_report_is_superseded_then_leaves_the_list() {
    let f = Folder::example();
    f.run(&["issue", "{}", "--date", "2013-04-03", "--only", "report"]).ok();
    let drafts: Vec<String> = recorded(&f, "2013-04-03")
        .into_iter()
        .filter(|p| p.starts_with("report/letters/draft-"))
        .collect();
    assert!(!drafts.is_empty());
    let f = f.edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    f.build();
    let csv = f.read("out/reissue.csv");
    for d in &drafts {
        let row = csv
            .lines()
            .find(|l| l.starts_with(d.as_str()))
            .unwrap_or_else(|| panic!("{csv}"));
        assert!(row.contains("Superseded by the final report"), "{row}");
    }
    assert!(!csv.contains("withdrawn"), "{csv}");
    // Once the final report is sent, the drafts are no longer listed.
    f.run(&["issue", "{}", "--date", "2013-04-17", "--only", "report"]).ok();
    f.build();
    let csv = fs::read_to_string(f.path("out/reissue.csv")).unwrap_or_default();
    assert!(!csv.contains("report/letters/draft-"), "{csv}");
}

#[test]
fn a_replacement_is_dated_the_day_it_is_sent_and_leads_with_the_new_commencement() {
    let f = Folder::example();
    f.run(&["issue", "{}", "--date", "2012-12-10"]).ok();
    let f = f.set("commencement", "2013-03-11");
    f.run(&["build", "{}", "--date", "2012-12-17"]).ok();
    let notice = "notice/glenaird-council-chief-executive.pdf";
    let text = crate::common::poppler_text(&f.path(&format!("out/{notice}")));
    let first = text.split('\u{c}').next().unwrap();
    assert!(first.contains("17 December 2012"), "{first}");
    assert!(
        !first.contains("10 December 2012\n"),
        "the letter keeps no old date: {first}"
    );
    // At most five lines from the note to the salutation, on page 1.
    let lines: Vec<&str> = first.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let from = lines
        .iter()
        .position(|l| l.contains("This letter replaces our letter of 10 December 2012."))
        .unwrap_or_else(|| panic!("{first}"));
    let dear = lines
        .iter()
        .position(|l| l.starts_with("Dear "))
        .unwrap_or_else(|| panic!("{first}"));
    assert!(dear > from && dear - from <= 5, "{lines:?}");
    let note = lines[from..dear].join(" ");
    assert!(
        note.contains("The inspection now begins on Monday 11 March 2013, not Monday 4 March 2013."),
        "{note}"
    );
    // The rest follows the signature.
    let last = text.rsplit("Yours sincerely").next().unwrap();
    assert!(
        last.contains("Other changes") && last.contains("Core phase: now Thursday 21 March 2013"),
        "{last}"
    );

    // A lead may decide a change needs no new letter.
    let said = f
        .run(&["issue", "{}", "--date", "2012-12-17", "--accept", notice])
        .ok()
        .stdout();
    assert!(
        said.contains("1 document as it stands now needs no new version"),
        "{said}"
    );
    f.build();
    let csv = f.read("out/reissue.csv");
    assert!(!csv.contains(notice) && csv.contains("notice/"), "{csv}");
    let err = f
        .run(&["issue", "{}", "--accept", "report/public-report.pdf"])
        .fails_with(2)
        .stderr();
    assert!(err.contains("not a sent document that differs"), "{err}");
}
