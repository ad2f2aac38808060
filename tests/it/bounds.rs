//! A folder's own templates that loop, recurse or allocate without end: the
//! build stops by itself within the limits (exit 1, the template named,
//! nothing left behind), under the memory cap of every hostile run here.
//! And a folder's own templates that behave are typeset as the built-in ones.

use std::time::Duration;

use crate::common::{snapshot, Folder};

/// The notice the documents of these tests come from.
const NOTICE: &str = "out/notice/glenaird-council-chief-executive.pdf";

/// The built-in notice.
fn notice() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/notice.typ")).unwrap()
}

/// The built-in notice with `tail` after it, as the folder's own template.
fn notice_ending(f: Folder, tail: &str) -> Folder {
    f.write("templates/notice.typ", &format!("{}{tail}\n", notice()))
}

/// `templates/notice.typ:LINE:`, LINE the first of a tail after the built-in notice.
fn at_tail() -> String {
    format!("templates/notice.typ:{}:", notice().lines().count() + 1)
}

/// Builds the worked example with its own notice ending in `tail` (after a
/// first build without it when `built`): the build must end by itself with
/// exit 1 within 20 s under the 300 MiB cap, its largest process under 300 MiB,
/// naming the template and `names`, and leave the folder (OUT included) as it was.
fn stops(tail: &str, built: bool, names: &[&str]) -> String {
    let f = Folder::example();
    if built {
        f.build();
    }
    let f = notice_ending(f, tail);
    let before = snapshot(&f.dir);
    let run = f.capped(&["build", "{}", "--quiet"], Duration::from_secs(30));
    let err = run.stderr;
    assert!(!run.late, "the build was still running after 30 s:\n{err}");
    assert_eq!(run.code, Some(1), "{err}");
    assert!(run.took < Duration::from_secs(20), "it took {:?}:\n{err}", run.took);
    assert!(run.peak_mib < 300, "its peak was {} MiB:\n{err}", run.peak_mib);
    assert!(!err.contains("panicked"), "a panic:\n{err}");
    for name in ["templates/notice.typ"].iter().chain(names) {
        assert!(err.contains(name), "the message names {name:?}:\n{err}");
    }
    assert!(
        snapshot(&f.dir) == before,
        "the folder and its OUT are as they were:\n{err}"
    );
    assert_eq!(f.path("out").exists(), built, "OUT is there only when it was");
    err
}

/// A build that runs out of the memory a document may use says so, naming a notice.
const MEMORY: [&str; 3] = ["MiB of memory a document may use", "notice/", "nothing was written"];

#[test]
fn a_typst_range_of_a_trillion_stops_at_the_memory_limit() {
    stops("#{ let a = range(int(1e12)); a.len() }", true, &MEMORY);
}

#[test]
fn a_huge_typst_array_stops_at_the_memory_limit() {
    stops(
        "#{ let a = (); for i in range(100000000) { a.push(i) }; a.len() }",
        true,
        &MEMORY,
    );
}

#[test]
fn a_typst_string_doubled_sixty_times_stops_at_the_memory_limit() {
    stops("#{ let s = \"x\"; for i in range(60) { s += s }; s }", true, &MEMORY);
}

#[test]
fn a_jinja_string_doubled_sixty_times_stops_at_the_memory_limit() {
    stops(
        "{% set ns = namespace(s=\"x\") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        false,
        &MEMORY,
    );
}

#[test]
fn a_hundred_thousand_page_breaks_stop_at_the_memory_limit() {
    stops(&"#pagebreak()\n".repeat(100_000), true, &MEMORY);
}

#[test]
fn thirty_thousand_nested_boxes_are_refused_at_their_line() {
    let tail = format!("{}x{}", "#box[".repeat(30_000), "]".repeat(30_000));
    // Typst's own limit, at its line (the line after the notice's last).
    stops(&tail, true, &[&at_tail(), "maximum parsing depth exceeded"]);
}

#[test]
fn twenty_thousand_boxes_nested_by_a_loop_run_out_of_stack_naming_the_document() {
    let err = stops(
        "#{ let c = [x]; for i in range(20000) { c = box(c) }; c }",
        true,
        &["nested too deeply and ran out of stack", "notice/"],
    );
    // The worker whose stack overflowed says which document it was making.
    assert!(!err.contains(" or notice/"), "one document named:\n{err}");
}

#[test]
fn a_typst_function_calling_itself_for_ever_is_refused_at_its_line() {
    stops(
        "#let f(n) = f(n + 1)\n#f(0)",
        false,
        &[&at_tail(), "maximum function call depth exceeded"],
    );
}

#[test]
fn a_jinja_loop_within_a_loop_stops_at_the_step_limit_at_its_line() {
    let err = stops(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        true,
        &[&at_tail(), "steps"],
    );
    assert!(
        err.contains("{% for j in range(100000) %}"),
        "the line is shown:\n{err}"
    );
}

#[test]
fn a_typst_loop_within_a_loop_stops_at_the_time_limit() {
    stops(
        "#{ let n = 0; for i in range(100000) { for j in range(100000) { n += 1 } }; n }",
        true,
        &["took longer than the 10 seconds a document may take", "notice/"],
    );
}

#[test]
fn a_reworded_notice_builds_under_the_memory_cap_and_says_its_own_words() {
    let f = Folder::example().write(
        "templates/notice.typ",
        &notice().replace("I am writing on behalf of", "We write on behalf of"),
    );
    let run = f.capped(&["build", "{}", "--quiet"], Duration::from_secs(60));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.peak_mib < 300, "its peak was {} MiB", run.peak_mib);
    let text = crate::common::fold(&f.pdf_text(NOTICE));
    assert!(text.contains("We write on behalf of"), "{text}");
    assert!(!text.contains("I am writing"), "{text}");
}

#[test]
fn documents_typeset_apart_are_the_same_bytes_as_those_typeset_in_the_build() {
    let plain = Folder::example();
    plain.build();
    // A template of the folder's own that prints the same: every document is
    // then typeset by the bounded process.
    let own = notice_ending(Folder::example(), "{# the folder's own notice #}");
    own.build();
    let sums = |f: &Folder| -> Vec<(String, String)> {
        let manifest: serde_json::Value = serde_json::from_str(&f.read("out/manifest.json")).unwrap();
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["path"].as_str().unwrap().to_string(),
                    e["sha256"].as_str().unwrap().to_string(),
                )
            })
            // The inspection's archive holds the folder itself, templates and all.
            .filter(|(path, _)| path != "pack/archive.zip")
            .collect()
    };
    let (a, b) = (sums(&plain), sums(&own));
    assert!(a.len() > 80, "{a:?}");
    assert_eq!(a, b);
}

#[test]
fn watch_typesets_a_folders_own_templates_within_the_limits_too() {
    use crate::html::{get, wait_for, Stopped};
    let f = Folder::example().write(
        "templates/notice.typ",
        &notice().replace("I am writing on behalf of", "We write on behalf of"),
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["watch", &f.dir.to_string_lossy(), "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _watch = Stopped(child);
    let version = || get(port, "/version").1.trim().parse::<u64>().unwrap_or(0);
    wait_for("the first build", || version() >= 1);
    assert!(get(port, "/").1.contains("No problems"));
    assert!(crate::common::fold(&f.pdf_text(NOTICE)).contains("We write on behalf of"));

    // A runaway notice: the problem is shown, the last good documents stay.
    let good = snapshot(&f.path("out"));
    let v = version();
    let f = notice_ending(f, "#{ let s = \"x\"; for i in range(60) { s += s }; s }");
    wait_for("the failed rebuild", || version() > v);
    let (_, page) = get(port, "/");
    assert!(
        page.contains("templates/notice.typ") && page.contains("MiB of memory a document may use"),
        "{page}"
    );
    assert!(snapshot(&f.path("out")) == good, "the last good documents stay");
}
