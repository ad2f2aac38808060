//! Hostile and broken files, and folders that are not scrutiny's: never a
//! crash, a hang or a runaway, and nothing scrutiny did not make is touched.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Folder;

/// Every file below `dir` with its bytes, to compare before and after.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().display().to_string(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn folders_named_like_scrutinys_own_survive_builds_and_kills() {
    let f = Folder::example();
    // A user's notes in folders that look like a killed build's.
    for name in [
        ".scrutiny-build-out-mine",
        ".out.old-june-backup",
        ".scrutiny-build-out-abc123",
    ] {
        fs::create_dir_all(f.path(name)).unwrap();
        fs::write(f.path(&format!("{name}/notes.txt")), "my notes").unwrap();
    }
    // And one that even has a marker, but not one scrutiny wrote for it.
    fs::write(
        f.path(".scrutiny-build-out-abc123/.scrutiny-folder"),
        "scrutiny staging\npid 1\ntoken zzz\n",
    )
    .unwrap();
    let mine = snapshot(&f.dir.join(".scrutiny-build-out-mine"));
    f.build();
    for i in 0..4u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
            .args(["build", &f.dir.to_string_lossy()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(60 * u64::from(i)));
        let _ = child.kill();
        let _ = child.wait();
    }
    f.build();
    for name in [
        ".scrutiny-build-out-mine",
        ".out.old-june-backup",
        ".scrutiny-build-out-abc123",
    ] {
        assert_eq!(
            fs::read_to_string(f.path(&format!("{name}/notes.txt"))).unwrap(),
            "my notes",
            "{name}"
        );
    }
    assert_eq!(snapshot(&f.dir.join(".scrutiny-build-out-mine")), mine);
    // OUT was never replaced by the user's folder.
    assert!(f.path("out/manifest.json").exists());
    // And scrutiny's own leftovers are gone: only the user's three remain.
    let ours: Vec<String> = fs::read_dir(&f.dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".scrutiny-build-") || n.starts_with(".out.old-"))
        .collect();
    assert_eq!(ours.len(), 3, "{ours:?}");
}

#[test]
fn an_out_that_is_a_file_the_working_folder_or_holds_the_inspection_is_refused() {
    let f = Folder::example();
    fs::write(f.path("out"), "a file of mine called out").unwrap();
    let before = snapshot(&f.dir);
    let err = f.run(&["build", "{}"]).fails_with(2).stderr();
    assert!(
        err.contains("is a file") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(snapshot(&f.dir), before, "nothing changed");

    let f = Folder::example();
    let before = snapshot(&f.dir);
    let run = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["build", &f.dir.to_string_lossy(), "--out", "."])
        .current_dir(f.dir.parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(snapshot(&f.dir), before, "nothing changed");
    assert_eq!(
        fs::read_dir(f.dir.parent().unwrap()).unwrap().count(),
        1,
        "nothing beside it either"
    );

    let f = Folder::example();
    let parent = f.dir.parent().unwrap().to_string_lossy().into_owned();
    let err = f.run(&["build", "{}", "--out", &parent]).fails_with(2).stderr();
    assert!(err.contains("holds it"), "{err}");
    let err = f.run(&["build", "{}", "--out", "{}"]).fails_with(2).stderr();
    assert!(err.contains("holds it"), "{err}");
}

#[test]
fn a_huge_markdown_file_is_refused_by_its_size_in_moments() {
    let f = Folder::example();
    let para = "A long paragraph about early help. ".repeat(100_000); // 3.5 MB
    fs::write(f.path("findings/question-2.md"), format!("## Early help\n\n{para}\n")).unwrap();
    let start = Instant::now();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("findings/question-2.md") && err.contains("2 MiB"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_picture_claiming_ten_billion_pixels_is_refused_from_its_header() {
    let f = Folder::example();
    let mut png = crate::disguise::png_saying("x");
    png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    fs::create_dir_all(f.path("findings/images")).unwrap();
    fs::write(f.path("findings/images/big.png"), png).unwrap();
    let md = f.read("findings/question-1.md") + "\n![A big picture](images/big.png)\n";
    fs::write(f.path("findings/question-1.md"), md).unwrap();
    let start = Instant::now();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("big.png") && err.contains("megapixels"), "{err}");
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(err.contains("megapixels"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(10));
}
