//! Nothing a user put in the folder is lost; no input or closed pipe makes the
//! program panic; every error names its fix; every date meant as a working day is one.

use std::collections::BTreeSet;
use std::fs;
use std::process::{Command, Stdio};

use chrono::{Datelike, NaiveDate, Weekday};
use scrutiny::starter::synth::SynthOptions;

use crate::common::{fold, Folder};

fn staging_leftovers(f: &Folder) -> Vec<String> {
    let mut found = Vec::new();
    for dir in [f.dir.clone(), f.path("out")] {
        if let Ok(entries) = fs::read_dir(&dir) {
            for e in entries {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                if name.starts_with(".scrutiny") || name.starts_with(".out") {
                    found.push(name);
                }
            }
        }
    }
    found
}

#[test]
fn files_a_user_put_in_out_survive_every_build_which_names_them() {
    let f = Folder::example();
    f.build();
    let manifest = f.read("out/manifest.json");
    fs::write(f.path("out/notice/signed-copy.pdf"), "signed").unwrap();
    fs::write(f.path("out/my-notes.txt"), "notes").unwrap();

    for args in [
        vec!["build", "{}"],
        vec!["build", "{}", "--only", "notice"],
        vec!["build", "{}", "--only", "requests"],
        vec!["sample", "{}"],
    ] {
        let err = f.run(&args).fails_with(2).stderr();
        assert!(
            err.contains("out/notice/signed-copy.pdf: not made by scrutiny"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("out/my-notes.txt: not made by scrutiny"),
            "{args:?}: {err}"
        );
        assert!(err.contains("nothing was deleted"), "{err}");
        assert!(err.contains("help: move it out of this folder"), "{err}");
        assert_eq!(f.read("out/notice/signed-copy.pdf"), "signed");
        assert_eq!(f.read("out/my-notes.txt"), "notes");
        assert_eq!(f.read("out/manifest.json"), manifest, "OUT unchanged");
        assert!(staging_leftovers(&f).is_empty(), "{:?}", staging_leftovers(&f));
    }

    // A generated letter that someone has changed is theirs now, too.
    fs::remove_file(f.path("out/notice/signed-copy.pdf")).unwrap();
    fs::remove_file(f.path("out/my-notes.txt")).unwrap();
    let letter = "out/notice/glenaird-council-chief-executive.pdf";
    let mut bytes = fs::read(f.path(letter)).unwrap();
    bytes.extend_from_slice(b"% signed\n");
    fs::write(f.path(letter), &bytes).unwrap();
    let err = f.run(&["build", "{}", "--only", "briefing"]).fails_with(2).stderr();
    assert!(
        err.contains("glenaird-council-chief-executive.pdf: changed since scrutiny made it"),
        "{err}"
    );
    assert_eq!(fs::read(f.path(letter)).unwrap(), bytes);

    // Moved out, the build goes ahead.
    fs::remove_file(f.path(letter)).unwrap();
    f.build();
    assert!(f.path(letter).is_file());
}

#[test]
fn an_out_folder_without_a_manifest_is_refused_with_its_files_named() {
    let f = Folder::example();
    let other = f.dir.parent().unwrap().join("my-documents");
    fs::create_dir_all(other.join("drafts")).unwrap();
    fs::write(other.join("drafts/thesis.docx"), "precious").unwrap();
    let err = f
        .run(&["build", "{}", "--out", &other.to_string_lossy()])
        .fails_with(2)
        .stderr();
    assert!(
        err.contains("no manifest.json, so it is not an earlier scrutiny output"),
        "{err}"
    );
    assert!(err.contains("drafts/thesis.docx: not made by scrutiny"), "{err}");
    assert_eq!(
        fs::read_to_string(other.join("drafts/thesis.docx")).unwrap(),
        "precious"
    );
}

/// Runs the binary with its standard output (or error) closed before it writes.
fn with_closed(stream: &str, args: &[&str]) -> i32 {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scrutiny"));
    cmd.args(args).stdin(Stdio::null());
    match stream {
        "stdout" => cmd.stdout(Stdio::piped()).stderr(Stdio::null()),
        _ => cmd.stderr(Stdio::piped()).stdout(Stdio::null()),
    };
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().unwrap().code().unwrap_or(-1)
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    let f = Folder::example();
    let dir = f.dir.to_string_lossy().into_owned();
    assert_eq!(with_closed("stdout", &["schedule", &dir]), 0);
    assert_eq!(with_closed("stdout", &["schedule", &dir, "--json"]), 0);
    assert_eq!(with_closed("stdout", &["check", &dir]), 0);
    assert_eq!(with_closed("stdout", &["build", &dir, "--only", "notice"]), 0);
    assert_eq!(with_closed("stdout", &["--help"]), 0);
    let broken = Folder::fixture("broken-many");
    assert_eq!(with_closed("stderr", &["check", &broken.dir.to_string_lossy()]), 1);
    assert_eq!(with_closed("stderr", &["build", "/no/such/folder"]), 2);
}

#[test]
fn dates_written_another_way_get_the_form_to_write() {
    let f = Folder::example().set("commencement", "04/03/2013");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("inspection.toml:"), "{err}");
    assert!(
        err.contains("help: write dates as YYYY-MM-DD without quotes: 2013-03-04"),
        "{err}"
    );
    let f = f.set("commencement", "\"2013-03-04\"");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("\"2013-03-04\" is in quotes, so it is text, not a date"),
        "{err}"
    );
    assert!(
        err.contains("help: write dates as YYYY-MM-DD without quotes: 2013-03-04"),
        "{err}"
    );
}

#[test]
fn a_missing_file_joins_the_list_of_problems() {
    let f = Folder::example().set("confidence", "1.5");
    fs::remove_file(f.path("contacts.csv")).unwrap();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("contacts.csv: the file is missing"), "{err}");
    assert!(
        err.contains("`scrutiny init NEW-FOLDER` makes a complete example"),
        "{err}"
    );
    // The other problems are still listed, and no child is blamed for the missing file.
    assert!(err.contains("confidence 1.5 is out of range"), "{err}");
    assert!(!err.contains("is not in contacts.csv\n"), "{err}");
}

#[test]
fn words_from_a_closed_set_are_read_in_any_case_or_get_a_suggestion() {
    let f = Folder::example();
    let text = f.read("population.csv");
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Every child of the first ten in capitals or mixed case is read as written
    // in lower case; the first looked-after child after them is hyphenated.
    for line in &mut lines[1..=10] {
        let (case_ref, rest) = line.split_once(',').unwrap();
        let (category, rest) = rest.split_once(',').unwrap();
        let upper = if case_ref.ends_with(['1', '3', '5', '7', '9']) {
            category.to_uppercase()
        } else {
            category.replacen('l', "L", 1)
        };
        *line = format!("{case_ref},{upper},{rest}");
    }
    let n = 11 + lines[11..].iter().position(|l| l.contains(",looked_after_")).unwrap();
    lines[n] = lines[n].replacen(",looked_after_", ",looked-after-", 1);
    let f = f.write("population.csv", &(lines.join("\n") + "\n"));
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains(&format!(
            "population.csv:{}:2: record {n}, column category: unknown value `looked-after-",
            n + 1
        )),
        "{err}"
    );
    assert!(err.contains("help: did you mean `looked_after_"), "{err}");
    assert_eq!(err.matches("population.csv").count(), 1, "capitals are read: {err}");
    // Put right, the folder checks with the capitals left in.
    let f = f.edit("population.csv", |t| {
        t.replace(",looked-after-home,", ",looked_after_home,")
            .replace(",looked-after-accommodated,", ",looked_after_accommodated,")
    });
    f.run(&["check", "{}"]).ok();
}

#[test]
fn control_characters_in_a_file_are_shown_escaped_in_every_message() {
    // A TOML string may hold any character written as an escape; a CSV cell holds it as it is.
    let f = Folder::example().edit("inspection.toml", |t| {
        t.replacen(
            "body = \"HMICS\"",
            "body = \"HMICS\\u001b[2J\\u001b[31m\\u202eSMCIH\"",
            1,
        )
    });
    let f = f.edit("population.csv", |t| {
        t.replacen(",looked_after_", ",looked\u{1b}[1m_after_", 1)
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "a control character printed as it is:\n{err:?}"
    );
    assert!(err.contains("HMICS\\u{1b}[2J\\u{1b}[31m\\u{202e}SMCIH"), "{err}");
    assert!(err.contains("looked\\u{1b}[1m_after_"), "{err}");
}

#[test]
fn a_date_on_the_command_line_outside_the_inspections_years_is_refused() {
    let f = Folder::example();
    let files = |f: &Folder| -> Vec<String> {
        walkdir::WalkDir::new(&f.dir)
            .into_iter()
            .flatten()
            .map(|e| e.path().display().to_string())
            .collect()
    };
    let before = files(&f);
    // The notice is dated 10 December 2012 and the report published on 17 April 2013.
    let range = ["from 10 December 2011", "to 17 April 2018"];
    let err = f.run(&["issue", "{}", "--date", "+99999-01-01"]).fails_with(2).stderr();
    assert!(err.contains("--date +99999-01-01"), "{err}");
    for words in range {
        assert!(err.contains(words), "{err}");
    }
    assert_eq!(files(&f), before, "nothing built or recorded");
    let err = f.run(&["issue", "{}", "--date", "2011-12-09"]).fails_with(2).stderr();
    assert!(err.contains("--date 2011-12-09"), "{err}");
    for import in ["comments", "action-plan"] {
        let err = f
            .run(&[import, "import", "returned.pdf", "{}", "--received", "2031-06-20"])
            .fails_with(2)
            .stderr();
        assert!(err.contains("--received 2031-06-20") && err.contains(range[1]), "{err}");
    }
    assert_eq!(files(&f), before, "nothing imported");
    // The years' own ends are dates like any other.
    let run = f.run(&["comments", "import", "returned.pdf", "{}", "--received", "2018-04-17"]);
    let err = run.stderr();
    assert!(
        run.code() != 0 && err.contains("returned.pdf") && !err.contains("--received"),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_variable_and_stop_cascades() {
    let f = Folder::example().write(
        "templates/notice.typ",
        "#import \"house.typ\": *\nHello {{ inspection.aera }}\n",
    );
    let err = f.run(&["build", "{}", "--only", "notice"]).fails_with(1).stderr();
    assert!(err.contains("notice.typ:2:10"), "{err}");
    assert!(err.contains("`inspection` has no `aera`"), "{err}");
    assert!(err.contains("did you mean `area`?"), "{err}");

    let f = f.write(
        "templates/notice.typ",
        "#import \"house.typ\": *\n#table(columns: 2,\n{% for a in inspection.addressees %}[{{ a.name }}], [x],\n{% endfor %}\n",
    );
    let err = f.run(&["build", "{}", "--only", "notice"]).fails_with(1).stderr();
    assert!(err.lines().count() < 60, "{} lines:\n{err}", err.lines().count());
    assert!(err.contains("notice.typ:2"), "{err}");
    assert!(!f.path("out").exists(), "a failed build writes nothing");
}

#[test]
fn letters_to_contacts_use_their_salutation() {
    let f = Folder::example();
    f.build();
    // The worked example gives most contacts a salutation; the position
    // statement and records-request letters use it.
    let contacts = f.read("contacts.csv");
    let header: Vec<&str> = contacts.lines().next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"salutation"));
    let out = fs::read_dir(f.path("out/requests")).unwrap();
    let mut greeted = 0;
    for e in out {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pdf") {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            let row = contacts.lines().find(|l| l.starts_with(&format!("{id},"))).unwrap();
            // The contact's own greeting (contacts.csv `salutation`, the
            // data contract's "letter's greeting"), else "Dear" and the name.
            let salutation = row.rsplit(',').next().unwrap();
            let name = row.split(',').nth(1).unwrap();
            let expected = if salutation.is_empty() {
                format!("Dear {name}")
            } else {
                salutation.to_string()
            };
            let text = fold(&crate::common::pdf_text(&fs::read(&p).unwrap()));
            assert!(text.contains(&expected), "{id}: {expected}");
            greeted += 1;
        }
    }
    assert!(greeted > 10);
    // Without the column, the greeting is "Dear " and the name.
    let f = Folder::example().edit("contacts.csv", |t| {
        t.lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    f.run(&["build", "{}", "--only", "position-statements"]).ok();
    let any = fs::read_dir(f.path("out/position-statements"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let text = fold(&crate::common::pdf_text(&fs::read(any.path()).unwrap()));
    assert!(
        text.contains("Dear ") && !text.contains("Dear Ms ") && !text.contains("Dear Mr "),
        "{text}"
    );
}

/// Every date printed in `text`, as "4 March 2013" or "Mon 4 Mar 2013".
fn dates_in(text: &str) -> Vec<NaiveDate> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .collect();
    words
        .windows(3)
        .filter_map(|w| {
            let year = w[2].get(..4).filter(|y| y.chars().all(|c| c.is_ascii_digit()))?;
            let text = format!("{} {} {year}", w[0], w[1]);
            NaiveDate::parse_from_str(&text, "%d %B %Y")
                .or_else(|_| NaiveDate::parse_from_str(&text, "%d %b %Y"))
                .ok()
        })
        .collect()
}

/// GOV.UK's Scottish bank holidays (2019-2027): an oracle independent of the calendar.
fn govuk_holidays() -> BTreeSet<NaiveDate> {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("data/scotland-bank-holidays-2019-2027.json")).unwrap();
    let events = v
        .get("scotland")
        .and_then(|s| s.get("events"))
        .or_else(|| v.get("events"))
        .and_then(|e| e.as_array())
        .expect("events");
    events
        .iter()
        .map(|e| NaiveDate::parse_from_str(e["date"].as_str().unwrap(), "%Y-%m-%d").unwrap())
        .collect()
}

#[test]
fn every_date_meant_as_a_working_day_is_one() {
    let holidays = govuk_holidays();
    // Commencements next to bank holidays and weekends: after St Andrew's Day
    // substitutes (2019, 2025), after New Year on a Sunday (2023), after the 2022
    // jubilee, and in Easter week (2024).
    for (y, m, d) in [(2019, 12, 3), (2025, 12, 2), (2023, 1, 4), (2022, 6, 6), (2024, 4, 2)] {
        let commencement = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let f = Folder::synth(SynthOptions {
            children: 300,
            commencement,
            ..SynthOptions::default()
        });
        f.build();
        let schedule: serde_json::Value =
            serde_json::from_str(&f.run(&["schedule", "{}", "--json"]).ok().stdout()).unwrap();
        // Dates that are not meant as working days: the start of the records
        // window (calendar months back), dates of birth, and dates the user wrote.
        let mut free: BTreeSet<NaiveDate> = BTreeSet::new();
        free.insert(
            NaiveDate::parse_from_str(schedule["records_window"]["start"].as_str().unwrap(), "%Y-%m-%d").unwrap(),
        );
        for file in ["population.csv", "inspection.toml"] {
            for w in f.read(file).split(|c: char| !(c.is_ascii_digit() || c == '-')) {
                if let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d") {
                    free.insert(d);
                }
            }
        }
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(f.path("out")) {
            let entry = entry.unwrap().into_path();
            if entry.extension().is_none_or(|x| x != "pdf") {
                continue;
            }
            let text = fold(&crate::common::pdf_text(&fs::read(&entry).unwrap()));
            for date in dates_in(&text) {
                if free.contains(&date) {
                    continue;
                }
                let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
                assert!(
                    !weekend && !holidays.contains(&date),
                    "{}: {} is printed, which is {}",
                    entry.display(),
                    date,
                    if weekend { "at a weekend" } else { "a bank holiday" }
                );
                checked += 1;
            }
        }
        assert!(checked > 200, "only {checked} dates found for {commencement}");
    }
}
