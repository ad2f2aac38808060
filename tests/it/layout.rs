//! The pages as a reader turns them: a letter's signature never stands alone
//! on its last page, a table row never splits across pages, and a short list
//! or table stays whole. Read back page by page with poppler's `pdftotext`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::Folder;

/// Each page's text as poppler reads it, pages apart.
fn pages(path: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: run `bash tests/setup.sh`");
    assert!(out.status.success(), "pdftotext could not read {}", path.display());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn pdfs(dir: &Path, found: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            pdfs(&p, found);
        } else if p.extension().is_some_and(|x| x == "pdf") {
            found.push(p);
        }
    }
}

/// The page of `pages` on which `words` first appears.
fn page_of(pages: &[String], words: &str) -> usize {
    pages
        .iter()
        .position(|p| p.contains(words))
        .unwrap_or_else(|| panic!("{words:?} is on no page"))
}

/// The worked example as published: every letter, the report and the record.
fn published() -> Folder {
    let f = Folder::example().edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    f.build().ok();
    f
}

#[test]
fn no_letter_ends_with_its_signature_alone_on_a_page() {
    for f in [Folder::example(), published()] {
        f.build().ok();
        let mut found = Vec::new();
        pdfs(&f.path("out"), &mut found);
        let mut letters = 0;
        for pdf in &found {
            let pages = pages(pdf);
            let last = pages.last().unwrap();
            if !last.contains("Yours sincerely") {
                continue;
            }
            letters += 1;
            let before = &last[..last.find("Yours sincerely").unwrap()];
            assert!(
                !before.trim().is_empty(),
                "{} ends with its signature alone on page {}",
                pdf.display(),
                pages.len()
            );
        }
        assert!(letters > 50, "only {letters} letters were read");
    }
}

#[test]
fn a_table_row_and_a_short_list_stay_on_one_page() {
    let f = published();
    let report = pages(&f.path("out/report/public-report.pdf"));
    // The glossary's rows: each term on the page of the end of its meaning.
    for (term, end) in [
        ("Partners", "voluntary sector"),
        ("Named Person", "family."),
        ("Young inspectors", "inspectors."),
    ] {
        let at = report
            .iter()
            .position(|p| p.lines().any(|l| l.trim() == term))
            .unwrap_or_else(|| panic!("{term} is not in the glossary"));
        let line = format!("\n{term}\n");
        let rest = &report[at][report[at].find(&line).unwrap()..];
        let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(rest.contains(end), "the row for {term} is split across pages:\n{rest}");
    }
    // A letter's list of enclosures, and the list of others it was sent to.
    let letter = pages(&f.path("out/report/letters/publication-glenaird-council-chief-executive.pdf"));
    let cc = page_of(&letter, "This letter has also been sent to");
    assert_eq!(page_of(&letter, "Principal Reporter, Scottish Children"), cc);
    assert_eq!(page_of(&letter, "Yours sincerely"), cc);
    let g = Folder::example();
    g.build().ok();
    let draft = pages(&g.path("out/report/letters/draft-glenaird-council-chief-executive.pdf"));
    let enclosures = page_of(&draft, "Enclosures");
    assert_eq!(
        page_of(&draft, "The joint action plan form (action-plan.pdf"),
        enclosures
    );
    assert_eq!(page_of(&draft, "Yours sincerely"), enclosures);
}

/// How many structure elements of `tag` a PDF has.
fn tagged(bytes: &[u8], tag: &str) -> usize {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(tag.as_bytes()))
        .count()
}

#[test]
fn every_table_in_every_pdf_has_header_cells() {
    let f = published();
    let mut found = Vec::new();
    pdfs(&f.path("out"), &mut found);
    let received = f.path("out/action-plan/received.pdf");
    assert!(found.contains(&received), "received.pdf is made");
    for pdf in &found {
        let bytes = std::fs::read(pdf).unwrap();
        let (cells, headers) = (tagged(&bytes, "TD"), tagged(&bytes, "TH"));
        assert!(
            cells == 0 || headers > 0,
            "{}: {cells} data cells and no header cell",
            pdf.display()
        );
    }
}
