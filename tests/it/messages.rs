//! What users read when something is wrong, as snapshots of the command's
//! standard error: a changed message is reviewed as a diff
//! (`tests/it/snapshots/it__messages__*.snap`). Temporary paths are replaced
//! by `[DIR]`.

use std::fs;

use crate::common::Folder;

/// The stderr of `args` on `f`, with the folder's path made stable.
fn stderr(f: &Folder, args: &[&str], code: i32) -> String {
    let err = f.run(args).fails_with(code).stderr();
    err.replace(&*f.dir.to_string_lossy(), "[DIR]")
}

#[test]
fn a_folder_with_many_mistakes() {
    let f = Folder::fixture("broken-many");
    insta::assert_snapshot!("check-broken-many", stderr(&f, &["check", "{}"], 1));
}

#[test]
fn a_folder_whose_files_do_not_parse() {
    let f = Folder::fixture("broken-syntax");
    insta::assert_snapshot!("check-broken-syntax", stderr(&f, &["check", "{}"], 1));
}

#[test]
fn findings_that_name_a_child() {
    let f = Folder::example();
    let child = f
        .read("population.csv")
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').nth(9).map(String::from))
        .unwrap();
    let md = f.read("findings/question-1.md") + &format!("\nWe met {child} and her foster carers.\n");
    fs::write(f.path("findings/question-1.md"), md).unwrap();
    insta::assert_snapshot!("check-child-named", stderr(&f, &["check", "{}"], 1));
}

#[test]
fn returned_plans_that_cannot_be_read() {
    let f = Folder::example();
    fs::remove_file(f.path("action-plan.toml")).unwrap();
    f.build();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    let word = zip.finish().unwrap().into_inner();
    fs::write(f.path("plan.xlsx"), word).unwrap();
    let plan = f.path("plan.xlsx").to_string_lossy().into_owned();
    insta::assert_snapshot!(
        "import-word-as-xlsx",
        stderr(&f, &["action-plan", "import", &plan, "{}"], 1)
    );
    // The form as made, returned unfilled.
    let form = f.path("out/action-plan/action-plan.pdf").to_string_lossy().into_owned();
    insta::assert_snapshot!(
        "import-unfilled-form",
        stderr(&f, &["action-plan", "import", &form, "{}"], 1)
    );
}
