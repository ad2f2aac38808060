//! `scrutiny issue` and reissue: what was sent is recorded, and a later build
//! lists each sent document that now says something else, saying what changed.

use std::collections::BTreeSet;
use std::fs;

use crate::common::Folder;

/// The rows of OUT/reissue.csv: (document, what_changed); none when the file is absent.
fn reissued(f: &Folder) -> Vec<(String, String)> {
    let Ok(text) = fs::read(f.path("out/reissue.csv")) else {
        return Vec::new();
    };
    let mut r = csv::Reader::from_reader(text.as_slice());
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["document", "recipient", "issued", "what_changed"]
    );
    r.records()
        .map(|row| {
            let row = row.unwrap();
            assert_eq!(&row[2], "2012-12-10", "{row:?}");
            (row[0].to_string(), row[3].to_string())
        })
        .collect()
}

/// The PDFs in these folders of OUT, as paths relative to OUT.
fn pdfs(f: &Folder, folders: &[&str]) -> BTreeSet<String> {
    folders
        .iter()
        .flat_map(|d| fs::read_dir(f.path(&format!("out/{d}"))).unwrap().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| p.strip_prefix(f.path("out")).unwrap().to_string_lossy().into_owned())
        .collect()
}

const LETTERS: [&str; 4] = ["notice", "briefing", "requests", "position-statements"];

#[test]
fn moving_commencement_lists_every_letter_whose_dates_moved_with_both_dates() {
    let f = Folder::example();
    f.build();
    let mut args = vec!["issue", "{}", "--date", "2012-12-10"];
    for k in LETTERS {
        args.extend(["--only", k]);
    }
    let said = f.run(&args).ok().stdout();
    let sent = pdfs(&f, &LETTERS);
    assert!(
        said.contains(&format!("recorded {} documents issued on 10 December 2012", sent.len())),
        "{said}"
    );
    assert!(f.path("issued/2012-12-10.json").is_file());
    // Nothing has changed yet: nothing to reissue.
    assert!(reissued(&f).is_empty());

    let f = f.set("commencement", "2013-03-11");
    let out = f.build().stdout();
    let rows = reissued(&f);
    let listed: BTreeSet<String> = rows.iter().map(|r| r.0.clone()).collect();
    // Every letter sent states a date that moved; the report, never sent, is not listed.
    assert_eq!(listed, sent);
    for (document, what) in &rows {
        assert!(what.contains(": now ") && what.contains(", not "), "{document}: {what}");
    }
    let notice = &rows.iter().find(|r| r.0.starts_with("notice/")).unwrap().1;
    assert!(
        notice.contains("Scoping phase two: now Monday 11 March 2013 to Wednesday 13 March 2013, not Monday 4 March 2013 to Wednesday 6 March 2013."),
        "{notice}"
    );
    assert!(
        out.contains(&format!("{} documents issued on 10 December 2012 differ", sent.len())),
        "{out}"
    );
    let text = f.pdf_text(&format!(
        "out/{}",
        listed.iter().find(|p| p.starts_with("notice/")).unwrap()
    ));
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("This letter replaces our letter of 10 December 2012."),
        "{text}"
    );
    assert!(text.contains("not Monday 4 March 2013"), "{text}");

    // Once the new letters are sent (and recorded), they no longer differ.
    let mut args = vec!["issue", "{}", "--date", "2012-12-17"];
    for k in LETTERS {
        args.extend(["--only", k]);
    }
    f.run(&args).ok();
    f.build();
    assert!(!f.path("out/reissue.csv").exists());
    let text = f.pdf_text("out/notice/glenaird-council-chief-executive.pdf");
    assert!(!text.contains("replaces our letter"), "{text}");
}

/// A holder's line of contacts.csv, as cells.
fn contact(f: &Folder, id: &str) -> (String, Vec<String>) {
    let text = f.read("contacts.csv");
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .unwrap()
        .to_string();
    let cells = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    (line, cells)
}

fn write_contact(f: &Folder, line: &str, cells: &[String]) {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(cells).unwrap();
    let new = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let text = f.read("contacts.csv").replace(line, new.trim_end());
    fs::write(f.path("contacts.csv"), text).unwrap();
}

#[test]
fn what_no_letter_states_lists_nothing_and_a_new_address_lists_that_letter_alone() {
    let f = Folder::example();
    f.run(&["issue", "{}", "--date", "2012-12-10", "--only", "requests"])
        .ok();
    let holder = pdfs(&f, &["requests"]).into_iter().next().unwrap();
    let id = holder
        .trim_start_matches("requests/")
        .trim_end_matches(".pdf")
        .to_string();

    // An e-mail address the letter does not print: nothing sent is now wrong.
    let (line, mut cells) = contact(&f, &id);
    let email = cells.iter().position(|c| c.contains('@')).unwrap();
    cells[email] = "records.team@example.org".into();
    write_contact(&f, &line, &cells);
    let out = f.build().stdout();
    assert!(reissued(&f).is_empty(), "{out}");
    assert!(!out.contains("differ"), "{out}");

    // A new address: that letter alone, saying so.
    let (line, mut cells) = contact(&f, &id);
    cells[5] = "9 New Road;Glenaird;GA9 9ZZ".into();
    write_contact(&f, &line, &cells);
    f.build();
    let rows = reissued(&f);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, holder);
    assert!(
        rows[0]
            .1
            .starts_with("The address is now 9 New Road, Glenaird, GA9 9ZZ, not "),
        "{rows:?}"
    );
}

#[test]
fn a_child_moved_between_holders_is_counted_never_named() {
    let f = Folder::example();
    f.build();
    f.run(&["issue", "{}", "--date", "2012-12-10", "--only", "requests"])
        .ok();
    // A sampled child whose records a lead professional with other children holds.
    let register = f.read("out/requests/register.csv");
    let rows: Vec<Vec<String>> = register
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let count = |h: &str| rows.iter().filter(|r| r[4] == h).count();
    let child = rows
        .iter()
        .find(|r| r[2] == "lead_professional" && count(&r[4]) >= 2)
        .expect("a lead professional with two children in the sample");
    let (case_ref, from) = (child[0].clone(), child[4].clone());
    let to = rows
        .iter()
        .find(|r| r[2] == "lead_professional" && r[4] != from)
        .map(|r| r[4].clone())
        .unwrap();
    let population = f.read("population.csv");
    let line = population
        .lines()
        .find(|l| l.starts_with(&format!("{case_ref},")))
        .unwrap();
    let moved = line.replacen(&format!(",{from},"), &format!(",{to},"), 1);
    fs::write(f.path("population.csv"), population.replace(line, &moved)).unwrap();

    let out = f.build().stdout();
    let rows = reissued(&f);
    let said: std::collections::BTreeMap<String, String> = rows.into_iter().collect();
    assert_eq!(
        said[&format!("requests/{from}.pdf")],
        "The letter now lists one child fewer."
    );
    assert_eq!(
        said[&format!("requests/{to}.pdf")],
        "The letter now lists one more child."
    );
    assert!(!out.contains(&case_ref), "the summary names no child: {out}");
    let csv = f.read("out/reissue.csv");
    assert!(!csv.contains(&case_ref), "reissue.csv names no child: {csv}");
}

#[test]
fn a_record_of_an_issue_that_does_not_read_is_an_error_naming_it() {
    let f = Folder::example().write(
        "issued/2012-12-10.json",
        "{\"issued\": \"2012-12-10\",\n \"documents\": [}\n",
    );
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(err.contains("issued/2012-12-10.json:2:"), "{err}");
    assert!(err.contains("scrutiny issue"), "{err}");
}
