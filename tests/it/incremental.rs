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

    // One holder's e-mail: that holder's letter alone (the disclosure guard
    // does not read e-mail addresses, so what the partnership receives stays).
    let holder = fs::read_dir(f.path("out/requests"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".pdf").map(String::from))
        .min()
        .unwrap();
    let inodes = || -> Vec<(String, u64)> {
        use std::os::unix::fs::MetadataExt;
        let mut v: Vec<(String, u64)> = fs::read_dir(f.path("out/requests"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().ino(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = inodes();
    let contacts = f.read("contacts.csv");
    let line = contacts
        .lines()
        .find(|l| l.starts_with(&format!("{holder},")))
        .unwrap()
        .to_string();
    let mut cells: Vec<String> = line.split(',').map(String::from).collect();
    let email = cells.iter().position(|c| c.contains('@')).unwrap();
    cells[email] = "duty.records@example.org".into();
    fs::write(f.path("contacts.csv"), contacts.replace(&line, &cells.join(","))).unwrap();
    assert_eq!(
        typeset(&f.build().stdout()),
        1,
        "a contact's e-mail typesets the holder's letter alone"
    );
    // A kept letter is the same file as before; the one typeset is a new one.
    let made: Vec<String> = before
        .iter()
        .zip(inodes())
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0.clone())
        .collect();
    assert_eq!(made, [format!("{holder}.pdf")]);

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

    // The team's response to a partner's comment: the comments log and the
    // decisions letter to that partner alone.
    let comments = f
        .read("comments.toml")
        .replace("Corrected to 74%", "Corrected to 74 per cent");
    fs::write(f.path("comments.toml"), comments).unwrap();
    let out = f.build().stdout();
    assert_eq!(
        typeset(&out),
        2,
        "a response typeset more than the log and the letter: {out}"
    );

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

#[test]
fn a_preview_remakes_the_web_page_alone_and_the_next_build_the_rest() {
    use scrutiny::build::{build, BuildOptions};
    let f = Folder::example();
    f.build();
    let before = tree(&f.path("out"));
    let md = f.read("findings/question-1.md") + "\nA sentence seen first on the web page.\n";
    fs::write(f.path("findings/question-1.md"), md).unwrap();

    let preview = BuildOptions {
        preview: true,
        ..BuildOptions::default()
    };
    let report = build(&f.dir, &preview).unwrap();
    assert_eq!(report.typeset, 1, "only the web page is typeset");
    let now = tree(&f.path("out"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&before), names(&now), "the same files");
    let changed: Vec<&str> = before
        .iter()
        .zip(&now)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0.as_str())
        .collect();
    // The packs always hold what OUT holds.
    assert_eq!(
        changed,
        [
            "manifest.json",
            "pack/archive.zip",
            "pack/cpp.zip",
            "report/public-report.html"
        ]
    );
    assert!(f
        .read("out/report/public-report.html")
        .contains("A sentence seen first on the web page."));

    // The next build makes the rest: the same bytes as a full build.
    let n = typeset(&f.build().stdout());
    assert!((2..10).contains(&n), "the report's PDFs are typeset: {n}");
    let full = f.dir.parent().unwrap().join("full");
    f.run(&["build", "{}", "--full", "--out", &full.to_string_lossy()]).ok();
    let differ: Vec<String> = tree(&f.path("out"))
        .into_iter()
        .zip(tree(&full))
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0)
        .collect();
    assert!(differ.is_empty(), "differ from a full build: {differ:?}");
}
