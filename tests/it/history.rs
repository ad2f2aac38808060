//! The inspection as it happens: what was sent fixes the dates it bore, `issue`
//! records what was sent by its day and keeps a copy, and a draft replaced by
//! the final report is superseded, not withdrawn.

use std::fs;

use crate::common::{python_with_icalendar, zip_names, Folder};

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
    let line = f
        .read("inspection.toml")
        .lines()
        .position(|l| l.starts_with("survey_opens = 2013-02-09"))
        .expect("the line set")
        + 1;
    assert!(err.contains(&format!("inspection.toml:{line}:")), "{err}");
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

#[test]
fn a_changed_telephone_number_is_said_in_words_not_as_a_change_of_wording() {
    let f = Folder::example();
    f.run(&["issue", "{}", "--date", "2012-12-10"]).ok();
    let f = f.edit("inspection.toml", |t| t.replacen("0345 600 9527", "01234 567890", 1));
    f.run(&["build", "{}", "--date", "2012-12-17"]).ok();
    let csv = f.read("out/reissue.csv");
    assert!(
        csv.contains("Telephone: now 01234 567890, not 0345 600 9527.") && !csv.contains("wording"),
        "{csv}"
    );
    let text = crate::common::poppler_text(&f.path("out/notice/glenaird-council-chief-executive.pdf"));
    let note: String = text
        .split("Dear ")
        .next()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        note.contains(
            "This letter replaces our letter of 10 December 2012. Telephone: now 01234 567890, not 0345 600 9527."
        ),
        "{note}"
    );
}

/// `population.csv` with the row of `case_ref` copied as a new child `new`.
fn add_child(f: Folder, like: &str, new: &str) -> Folder {
    f.edit("population.csv", |t| {
        let row = t
            .lines()
            .find(|l| l.starts_with(&format!("{like},")))
            .unwrap()
            .to_string();
        format!("{t}{}\n", row.replacen(like, new, 1))
    })
}

#[test]
fn a_child_added_after_the_requests_were_sent_changes_no_sampled_child_and_no_letter() {
    let f = Folder::before_the_report();
    let said = f
        .run(&["issue", "{}", "--date", "2013-02-05", "--only", "requests"])
        .ok()
        .stdout();
    assert!(said.contains("kept the sample of"), "{said}");
    let kept = f.read("sample.csv");
    assert!(kept.starts_with("case_ref,category,protection,replaces\n"), "{kept}");
    let register = f.read("out/requests/register.csv");
    let first = kept.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    let f = add_child(f, &first, "GL-99999");
    let out = f.build();
    assert!(
        out.stderr()
            .contains("1 child was added after the sample was drawn, not sampled: GL-99999"),
        "{}",
        out.stderr()
    );
    assert_eq!(f.read("out/requests/register.csv"), register);
    assert_eq!(f.read("sample.csv"), kept);
    assert!(!f.path("out/reissue.csv").exists());
}

#[test]
fn a_sampled_child_who_leaves_is_named_by_reference_and_replaced_from_the_same_category() {
    let f = Folder::before_the_report();
    f.run(&["sample", "{}", "--keep"]).ok();
    let kept = f.read("sample.csv");
    let row: Vec<String> = kept.lines().nth(1).unwrap().split(',').map(String::from).collect();
    let (gone, category) = (row[0].clone(), row[1].clone());
    let name_column = f.read("population.csv");
    let line = name_column
        .lines()
        .find(|l| l.starts_with(&format!("{gone},")))
        .unwrap()
        .to_string();
    let f = f.edit("population.csv", |t| t.replace(&format!("{line}\n"), ""));
    let err = f.build().stderr();
    assert!(
        err.contains(&format!(
            "sample.csv:2:1: the sampled child {gone} is no longer in population.csv"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("scrutiny sample --replace {gone}")), "{err}");
    let name = line.split(',').nth(9).unwrap();
    assert!(!err.contains(name), "a child is never named: {err}");

    let said = f.run(&["sample", "{}", "--replace", &gone]).ok().stdout();
    let now = f.read("sample.csv");
    let new: Vec<&str> = now.lines().nth(1).unwrap().split(',').collect();
    assert_eq!((new[1], new[3]), (category.as_str(), gone.as_str()), "{now}");
    assert!(said.contains(&format!("{gone} is replaced by {}", new[0])), "{said}");
    // Seeded: the same replacement every time.
    let f = f.write("sample.csv", &kept);
    f.run(&["sample", "{}", "--replace", &gone]).ok();
    assert_eq!(f.read("sample.csv"), now);
    assert!(!f.build().stderr().contains("no longer in population.csv"));
}

#[test]
fn a_redraw_says_which_request_letters_sent_it_makes_wrong() {
    let f = Folder::before_the_report();
    f.run(&["issue", "{}", "--date", "2013-02-05", "--only", "requests"])
        .ok();
    let kept = f.read("sample.csv");
    let first = kept.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    let f = add_child(f, &first, "GL-99999");
    let said = f.run(&["sample", "{}", "--redraw"]).ok().stdout();
    assert!(said.contains("the new draw makes "), "{said}");
    assert!(said.contains("request letters sent wrong: requests/"), "{said}");
    assert!(f.read("sample-drawn-from.csv").contains("GL-99999"));
}

#[test]
fn the_schedules_calendar_has_one_all_day_event_per_step_on_the_schedules_dates() {
    let f = Folder::example();
    let ics = f.run(&["schedule", "{}", "--ics"]).ok().stdout();
    let path = f.path("schedule.ics");
    fs::write(&path, &ics).unwrap();
    let events = python_with_icalendar(
        r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = {}
for e in cal.walk('VEVENT'):
    out[str(e['UID'])] = [e.decoded('DTSTART').isoformat(), e.decoded('DTEND').isoformat(), str(e['SUMMARY'])]
print(json.dumps(out))
"#,
        &[path.to_str().unwrap()],
    );
    let events: serde_json::Value = serde_json::from_str(&events).unwrap();
    let schedule = f.schedule();
    let steps = schedule.as_object().unwrap();
    assert_eq!(events.as_object().unwrap().len(), steps.len());
    let next = |d: &str| (chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap() + chrono::Days::new(1)).to_string();
    for (key, when) in steps {
        let (start, end) = match when {
            serde_json::Value::String(d) => (d.clone(), d.clone()),
            span => (
                span["start"].as_str().unwrap().to_string(),
                span["end"].as_str().unwrap().to_string(),
            ),
        };
        let e = &events[format!("{key}@JI-2013-07")];
        assert_eq!(e[0], start.as_str(), "{key}");
        // All-day: the end is the day after the last.
        assert_eq!(e[1], next(&end).as_str(), "{key}");
    }
    assert!(ics.contains("\r\n") && ics.starts_with("BEGIN:VCALENDAR\r\n"));
    // The same schedule gives the same file: a re-import updates, never duplicates.
    assert_eq!(f.run(&["schedule", "{}", "--ics"]).ok().stdout(), ics);
}

/// `scrutiny status --json` on `date`: each step's key and (state, late_days).
fn status(f: &Folder, date: &str) -> std::collections::BTreeMap<String, (String, Option<u64>)> {
    let json: serde_json::Value =
        serde_json::from_str(&f.run(&["status", "{}", "--date", date, "--json"]).ok().stdout()).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_string(),
                (s["state"].as_str().unwrap().to_string(), s["late_days"].as_u64()),
            )
        })
        .collect()
}

#[test]
fn status_says_what_went_out_what_is_due_overdue_awaited_and_received() {
    let f = Folder::before_the_report();
    f.run(&["issue", "{}", "--date", "2012-12-10"]).ok();
    // Wednesday 6 February 2013: the list was due on Monday 4 February.
    let s = status(&f, "2013-02-06");
    assert_eq!(s.len(), 24);
    assert_eq!(s["notification"].0, "sent");
    assert_eq!(s["population_list_due"], ("overdue".to_string(), Some(2)));
    assert_eq!(s["survey_due"].0, "due");
    assert_eq!(s["publication"].0, "awaited");
    assert_eq!(s["records_window"].0, "due");

    let said = f
        .run(&["received", "population_list", "{}", "--date", "2013-02-05"])
        .ok()
        .stdout();
    assert!(
        said.contains("recorded population_list received on 5 February 2013"),
        "{said}"
    );
    f.run(&[
        "received",
        "position_statements",
        "{}",
        "--from",
        "lead-2",
        "--date",
        "2013-02-15",
    ])
    .ok();
    let text = f.read("received.toml");
    assert!(
        text.contains("population_list = 2013-02-05") && text.contains("[position_statements]\nlead-2 = 2013-02-15"),
        "{text}"
    );
    let s = status(&f, "2013-02-06");
    assert_eq!(s["population_list_due"].0, "received");
    let table = f.run(&["status", "{}", "--date", "2013-02-06"]).ok().stdout();
    assert!(
        table.contains("What went out:") && table.contains("10 December 2012: notice (5)"),
        "{table}"
    );

    // A key misspelt, by hand, is located with the one meant.
    let f = f.write("received.toml", "population_lists = 2013-02-05\n");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("received.toml:1:1") && err.contains("population_list"),
        "{err}"
    );
}
