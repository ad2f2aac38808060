//! A build killed at any moment leaves OUT exactly as it was or exactly as the
//! new build makes it, and the next build leaves nothing behind; two builds of
//! one folder do not race.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Folder;

/// OUT agrees with its manifest: every listed file there with its hash, nothing else.
/// Returns the manifest's `reference`.
fn consistent(f: &Folder) -> String {
    let manifest: serde_json::Value = serde_json::from_str(&f.read("out/manifest.json")).expect("a manifest");
    let mut listed = std::collections::BTreeSet::new();
    for e in manifest["files"].as_array().unwrap() {
        let path = e["path"].as_str().unwrap();
        let bytes = std::fs::read(f.path(&format!("out/{path}"))).unwrap_or_else(|_| panic!("{path} is missing"));
        use sha2::Digest;
        let sha: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            sha,
            e["sha256"].as_str().unwrap(),
            "{path} is not the file the manifest lists"
        );
        listed.insert(path.to_string());
    }
    for e in walkdir::WalkDir::new(f.path("out"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let rel = e
            .path()
            .strip_prefix(f.path("out"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // A build killed just after its swap leaves its marker (no document);
        // the next build removes it (checked at the end of the test below).
        assert!(
            rel == "manifest.json" || rel == ".scrutiny-folder" || listed.contains(&rel),
            "{rel} is not in the manifest"
        );
    }
    manifest["reference"].as_str().unwrap().to_string()
}

fn leftovers(f: &Folder) -> Vec<String> {
    std::fs::read_dir(&f.dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".scrutiny-build-") || n.starts_with(".out.old-"))
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_tree_or_the_new() {
    let f = Folder::example();
    let start = Instant::now();
    f.build();
    let full = start.elapsed();
    // `written`: the reference in inspection.toml; `current`: the one of the tree in OUT.
    let mut written = "JI-2013-07".to_string();
    let mut current = consistent(&f);
    for i in 0..20u32 {
        // Each build makes a different tree: the reference is on every document.
        let next = format!("JI-KILL-{i}");
        let toml = std::fs::read_to_string(f.path("inspection.toml"))
            .unwrap()
            .replace(&written, &next);
        std::fs::write(f.path("inspection.toml"), toml).unwrap();
        written = next.clone();
        let mut child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
            .args(["build", &f.dir.to_string_lossy()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Moments spread over the whole run, from the start to just past the end.
        std::thread::sleep(full.mul_f64(f64::from(i) / 18.0));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = consistent(&f);
        assert!(
            now == current || now == next,
            "OUT is from {now}, neither {current} nor {next}"
        );
        current = now;
    }
    // The next build clears what the killed ones left.
    f.build();
    assert_eq!(consistent(&f), written);
    assert_eq!(leftovers(&f), Vec::<String>::new());
    assert!(
        !f.path("out/.scrutiny-folder").exists(),
        "a killed build's marker is left in OUT"
    );
}

#[test]
fn a_second_build_of_the_same_folder_is_refused_while_the_first_runs() {
    let f = Folder::example();
    let mut first = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["build", &f.dir.to_string_lossy()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first holds the lock (its staging folder appears).
    let start = Instant::now();
    while leftovers(&f).is_empty() && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = f.run(&["build", "{}"]);
    assert_eq!(second.code(), 2, "{}", second.stderr());
    assert!(
        second.stderr().contains("another scrutiny build"),
        "{}",
        second.stderr()
    );
    assert!(first.wait().unwrap().success());
}
