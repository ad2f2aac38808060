//! Incremental builds: only documents whose inputs changed are typeset again,
//! and the result is byte for byte what a full build makes.

use std::fs;

use crate::common::Folder;

/// How many documents the build says it typeset.
fn typeset(stdout: &str) -> usize {
    let (before, _) = stdout
        .split_once(" typeset")
        .expect("the summary says how many were typeset");
    before.rsplit(' ').next().unwrap().replace(',', "").parse().unwrap()
}

/// Every file below `dir` with its bytes.
fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_series_of_edits_rebuilds_only_what_changed_and_matches_a_full_build() {
    let f = Folder::example();
    let first = f.build().stdout();
    assert!(typeset(&first) > 80, "{first}");
    // Nothing changed: nothing typeset.
    assert_eq!(typeset(&f.build().stdout()), 0);

    // One holder's e-mail: that holder's letter, and what the partnership
    // receives (its guard is asked again), not the other letters.
    let contacts = f.read("contacts.csv");
    let line = contacts.lines().find(|l| l.starts_with("sw-001,")).unwrap().to_string();
    let mut cells: Vec<String> = line.split(',').map(String::from).collect();
    let email = cells.iter().position(|c| c.contains('@')).unwrap();
    cells[email] = "duty.social.work@example.org".into();
    fs::write(f.path("contacts.csv"), contacts.replace(&line, &cells.join(","))).unwrap();
    let n = typeset(&f.build().stdout());
    assert!((1..30).contains(&n), "a contact's e-mail typeset {n} documents");

    // A paragraph of the findings: the report's documents.
    let md = f.read("findings/question-1.md") + "\nOne more sentence about early help.\n";
    fs::write(f.path("findings/question-1.md"), md).unwrap();
    let n = typeset(&f.build().stdout());
    assert!((1..10).contains(&n), "a paragraph typeset {n} documents");

    // A picture's bytes are an input too, though its name is unchanged.
    fs::create_dir_all(f.path("findings/images")).unwrap();
    fs::write(f.path("findings/images/chart.png"), crate::disguise::png_saying("one")).unwrap();
    let md = f.read("findings/question-2.md") + "\n![Referrals by month](images/chart.png)\n";
    fs::write(f.path("findings/question-2.md"), md).unwrap();
    f.build();
    fs::write(f.path("findings/images/chart.png"), crate::disguise::png_saying("two")).unwrap();
    let n = typeset(&f.build().stdout());
    assert!((1..10).contains(&n), "a changed picture typeset {n} documents");

    let full = f.dir.parent().unwrap().join("full");
    f.run(&["build", "{}", "--full", "--out", &full.to_string_lossy()]).ok();
    assert_eq!(
        tree(&f.path("out")),
        tree(&full),
        "the incremental OUT is the full build's"
    );

    // A file in OUT changed by hand is typeset again, never trusted.
    let letter = f.path("out/notice/glenaird-council-chief-executive.pdf");
    let mut bytes = fs::read(&letter).unwrap();
    bytes.extend_from_slice(b"%");
    fs::write(&letter, bytes).unwrap();
    let err = f.run(&["build", "{}"]).fails_with(2).stderr();
    assert!(err.contains("glenaird-council-chief-executive.pdf"), "{err}");
}
