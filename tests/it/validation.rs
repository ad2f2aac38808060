//! `check` lists every problem at once, each located, and writes nothing.

use crate::common::Folder;

// What `check` says of a folder with many mistakes, and of one whose files do
// not parse, is a snapshot in `messages.rs`: a changed message is a diff.

#[test]
fn a_folder_with_mistakes_gets_nothing_written_by_check_or_build() {
    let f = Folder::fixture("broken-many");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.starts_with("error: the inspection folder has 15 problems"), "{err}");
    assert!(!f.path("out").exists(), "check must write nothing");
    // build reports the same and writes nothing either.
    assert_eq!(f.run(&["build", "{}"]).fails_with(1).stderr(), err);
    assert!(!f.path("out").exists(), "a failed build must write nothing");
}

#[test]
fn a_missing_folder_is_an_io_error_and_a_missing_file_a_problem() {
    let f = Folder::example();
    let err = f.run(&["check", "{}/nowhere"]).fails_with(2).stderr();
    assert!(err.contains("nowhere"), "{err}");
    std::fs::remove_file(f.path("contacts.csv")).unwrap();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("contacts.csv: the file is missing"), "{err}");
}

#[test]
fn unknown_columns_and_missing_columns_are_named() {
    let f = Folder::example().edit("population.csv", |t| {
        t.replacen(
            "case_ref,category,protection,lead_professional",
            "case_ref,categroy,protection,lead_professional",
            1,
        )
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("population.csv:1:2: header: unknown column `categroy`"),
        "{err}"
    );
    assert!(err.contains("did you mean `category`?"), "{err}");
    assert!(err.contains("the required column `category` is missing"), "{err}");
}

#[test]
fn a_sampled_child_without_a_holder_is_refused_by_case_reference() {
    // Every child in need of protection loses its police holder: the build must
    // refuse, naming each sampled one, and write nothing.
    let f = Folder::example().edit("population.csv", |t| {
        t.lines()
            .map(|l| {
                let mut cols: Vec<&str> = l.split(',').collect();
                if cols[2] == "yes" {
                    cols[8] = "";
                }
                cols.join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let err = f.run(&["build", "{}", "--only", "requests"]).fails_with(1).stderr();
    assert!(
        err.contains("is in need of protection but has no police holder"),
        "{err}"
    );
    let named = err.matches("has no police holder").count();
    assert!(named > 1, "every such child is named, not just the first:\n{err}");
    assert!(!f.path("out").exists());
}

#[test]
fn two_letters_with_one_file_name_are_refused() {
    let f = Folder::example()
        .edit("inspection.toml", |t| {
            t.replace("organisation = \"NHS Glenaird\"", "organisation = \"Glenaird Council\"")
        })
        .edit("inspection.toml", |t| {
            t.replace(
                "topic = \"Throughcare and aftercare\"",
                "topic = \"Post-adoption Support!\"",
            )
        });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("addressees 1 and 2 have the same organisation and role (`glenaird-council-chief-executive`)"),
        "{err}"
    );
    assert!(err.contains("position statements 1 and 2 have the same topic"), "{err}");
}

#[test]
fn columns_in_another_order_are_located_by_their_header() {
    // police first: a bad police holder is reported in column 1.
    let f = Folder::example().edit("population.csv", |t| {
        t.lines()
            .enumerate()
            .map(|(i, l)| {
                let mut cols: Vec<String> = l.split(',').map(String::from).collect();
                let police = cols.remove(8);
                let police = if i == 3 { "pc-nobody".to_string() } else { police };
                cols.insert(0, police);
                cols.join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("population.csv:4:1: record 3, column police: the holder `pc-nobody` is not in contacts.csv"),
        "{err}"
    );
}

#[test]
fn a_sampled_child_without_its_holder_is_listed_with_every_other_problem() {
    // No child has a lead professional or a named person, and a key is misspelt.
    let f = Folder::example()
        .edit("population.csv", |t| {
            let mut out = Vec::new();
            for (n, line) in t.lines().enumerate() {
                if n == 0 {
                    out.push(line.to_string());
                    continue;
                }
                let mut cells: Vec<&str> = line.split(',').collect();
                cells[3] = "";
                cells[4] = "";
                out.push(cells.join(","));
            }
            out.join("\n") + "\n"
        })
        .edit("inspection.toml", |t| {
            t.replacen("cpp =", "colour = \"blue\"\ncpp =", 1)
        });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("unknown key `colour`"), "{err}");
    assert!(
        err.contains("has neither a lead professional nor a named person"),
        "{err}"
    );
    assert!(err.contains("column named_person"), "{err}");
    // Children who are not in the sample are not blamed.
    let blamed = err.matches("the sampled child").count();
    assert!(blamed > 20 && blamed < 88, "{blamed}\n{err}");
    assert!(!f.path("out").exists(), "check writes nothing");
}

#[test]
fn an_empty_folder_says_how_to_start() {
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["check", &tmp.path().to_string_lossy()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not an inspection folder"), "{err}");
    assert!(err.contains("scrutiny init my-inspection"), "{err}");
}

#[test]
fn every_command_shows_an_example_in_its_help() {
    for command in ["init", "templates", "check", "schedule", "sample", "build"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_scrutiny"))
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains(&format!("scrutiny {command} my-inspection")),
            "{command}: {help}"
        );
    }
}

#[test]
fn a_csv_saved_in_another_encoding_names_its_line_and_how_to_save_it() {
    let f = Folder::example();
    let mut bytes = std::fs::read(f.path("contacts.csv")).unwrap();
    // A name in Windows-1252 ("Dùn") on line 4, as Excel saves by default.
    let line4 = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(2).unwrap().0 + 1;
    bytes.splice(
        line4..line4,
        b"zz-1,D\xF9n Baird,Officer,other,Org,1 Road,,\n".iter().copied(),
    );
    std::fs::write(f.path("contacts.csv"), bytes).unwrap();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("contacts.csv:4:7: the file is not UTF-8"), "{err}");
    assert!(err.contains("CSV UTF-8"), "{err}");
    // A byte-order mark and Windows line endings are fine.
    let f = Folder::example();
    let text = f.read("contacts.csv").replace('\n', "\r\n");
    std::fs::write(
        f.path("contacts.csv"),
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    )
    .unwrap();
    f.run(&["check", "{}"]).ok();
}

#[test]
fn population_csv_is_read_as_a_stream_with_the_same_checks() {
    // Not UTF-8 on line 3: one problem at its line and column, with the fix.
    let f = Folder::example();
    let text = f.read("population.csv");
    let mut lines: Vec<&str> = text.lines().collect();
    let bad = format!("{},D\u{FFFD}", lines[2]);
    lines[2] = &bad;
    let bytes = lines.join("\n").replace('\u{FFFD}', "\u{1}").into_bytes();
    let bytes: Vec<u8> = bytes.into_iter().map(|b| if b == 1 { 0xF9 } else { b }).collect();
    std::fs::write(f.path("population.csv"), bytes).unwrap();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    let column = lines[2].chars().count();
    assert!(
        err.contains(&format!("population.csv:3:{column}: the file is not UTF-8")),
        "{err}"
    );
    assert!(err.contains("CSV UTF-8"), "{err}");

    // A byte-order mark and Windows line endings change nothing.
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "sample"]).ok();
    let sample = f.read("out/sample/sample.csv");
    let text = f.read("population.csv").replace('\n', "\r\n");
    std::fs::write(
        f.path("population.csv"),
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    )
    .unwrap();
    f.run(&["build", "{}", "--only", "sample"]).ok();
    assert_eq!(f.read("out/sample/sample.csv"), sample);

    // A case reference used three times: each later use names the first line.
    let f = Folder::example();
    let text = f.read("population.csv");
    let first = text.lines().nth(1).unwrap().to_string();
    std::fs::write(f.path("population.csv"), format!("{text}{first}\n{first}\n")).unwrap();
    let n = text.lines().count();
    let case_ref = first.split(',').next().unwrap();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    for line in [n + 1, n + 2] {
        let expected = format!(
            "population.csv:{line}:1: record {}, column case_ref: the case reference `{case_ref}` is used twice (first on line 2)",
            line - 1
        );
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
}

#[test]
fn a_mistake_on_every_row_shows_the_first_hundred_and_counts_the_rest() {
    let f = Folder::example().edit("population.csv", |t| {
        t.lines()
            .enumerate()
            .map(|(i, l)| match i {
                0 => l.to_string(),
                _ => l.replacen(",no,", ",maybe,", 1).replacen(",yes,", ",maybe,", 1),
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let rows = f.read("population.csv").lines().count() - 1;
    assert!(rows > 150, "the example has {rows} children");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.starts_with(&format!(
            "error: the inspection folder has {} problems",
            scrutiny::base::text::thousands(rows)
        )),
        "{err}"
    );
    assert_eq!(err.matches("is neither `yes` nor `no`").count(), 100, "{err}");
    let rest = scrutiny::base::text::thousands(rows - 100);
    assert!(
        err.contains(&format!(
            "note: {rest} more problems are not shown ({rest} in population.csv)"
        )),
        "{err}"
    );
}

#[test]
fn late_care_service_inspections_and_repeated_record_headings_are_warnings() {
    // Scoping phase one begins with the briefings, Mon 21 January 2013.
    let f = Folder::example()
        .edit("inspection.toml", |t| {
            t.replacen("inspected = 2013-01-16", "inspected = 2013-01-23", 1)
        })
        .edit("findings/record/5.2.md", |t| {
            format!("{t}\n## Chronologies\n\nMore on chronologies.\n")
        });
    let run = f.run(&["check", "{}"]).ok();
    let err = run.stderr();
    let line = f
        .read("inspection.toml")
        .lines()
        .position(|l| l == "inspected = 2013-01-23")
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("warning: inspection.toml:{line}:13: the care service `Glenaird Adoption Service` is inspected on 23 January 2013, after scoping phase one began (21 January 2013)")),
        "{err}"
    );
    let heading = f.read("findings/record/5.2.md").lines().count() - 2;
    assert!(
        err.contains(&format!(
            "warning: findings/record/5.2.md:{heading}: the heading \"Chronologies\" is here again (first on line "
        )),
        "{err}"
    );
    // Warnings stop nothing, and a build shows them too.
    assert!(run.stdout().starts_with("ok: "));
    let built = f.build().stderr();
    assert!(built.contains("the heading \"Chronologies\" is here again"), "{built}");
    // The worked example has neither.
    assert!(!Folder::example()
        .run(&["check", "{}"])
        .ok()
        .stderr()
        .contains("warning"));
}

#[test]
fn a_case_reference_too_short_to_tell_from_a_number_is_refused_at_its_line() {
    // "9" would be found in every "9.1" of the record: refused where it is
    // written, not taken for a child in a findings file's name.
    let f = Folder::example().edit("population.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        let cols: Vec<&str> = lines[1].split(',').collect();
        let mut cols: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
        cols[0] = "9".into();
        lines[1] = cols.join(",");
        lines.join("\n")
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("population.csv:2:1") && err.contains("the case reference `9` has fewer than 3 letters or digits"),
        "{err}"
    );
    assert!(
        !err.contains("9.1.md"),
        "a findings file is not taken for a child's:\n{err}"
    );
}
