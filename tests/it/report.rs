//! The public report and the record of inspection findings, from findings/.

use crate::common::{fold, pdf_facts, pdf_pages, poppler_text, struct_alts, words, Folder};

const PUBLIC: &str = "out/report/public-report.pdf";
const RECORD: &str = "out/report/record-of-findings.pdf";

const QUESTIONS: [&str; 3] = [
    "How well are the lives of children, young people and their families improving?",
    "How well do we work together to improve the lives of children and families?",
    "How well do we lead and improve the quality of our work and achieve better outcomes for children and families?",
];

fn date(s: &serde_json::Value, key: &str) -> String {
    words(s[key].as_str().unwrap())
}

#[test]
fn the_worked_example_makes_both_documents_around_the_three_questions() {
    let f = Folder::example();
    f.build();
    let findings: toml::Value = toml::from_str(&f.read("findings/findings.toml")).unwrap();
    // The worked example's prose gives the looked-after count from the population list.
    let population = f.read("population.csv");
    let count = |c: &str| population.lines().filter(|l| l.split(',').nth(1) == Some(c)).count();
    let (home, away) = (count("looked_after_home"), count("looked_after_accommodated"));
    let public = fold(&f.pdf_text(PUBLIC));
    let said = format!(
        "lists {} children as looked after, {away} of them away from home",
        home + away
    );
    assert!(public.contains(&said), "the public report should say `{said}`");
    for doc in [PUBLIC, RECORD] {
        let text = fold(&f.pdf_text(doc));
        for q in QUESTIONS {
            assert!(text.contains(q), "{doc} lacks the question {q}");
        }
        for e in findings["evaluations"].as_array().unwrap() {
            let title = e["title"].as_str().unwrap();
            assert!(text.contains(title), "{doc} lacks {title}");
        }
        // Every page of a draft says so.
        for (n, page) in pdf_pages(&std::fs::read(f.path(doc)).unwrap()).iter().enumerate() {
            assert!(
                page.to_uppercase().contains("DRAFT FOR COMMENT"),
                "{doc} page {}",
                n + 1
            );
        }
        let facts = pdf_facts(&std::fs::read(f.path(doc)).unwrap());
        assert_eq!(facts.lang.as_deref(), Some("en-GB"));
        assert!(facts.marked && facts.struct_tree);
        // Bookmarks for every section: the PDF's outline lists the questions.
        let doc_pdf = lopdf::Document::load_mem(&std::fs::read(f.path(doc)).unwrap()).unwrap();
        let outline: Vec<String> = doc_pdf
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.has(b"Parent") && d.has(b"Title") && d.has(b"Dest"))
            .filter_map(|d| lopdf::decode_text_string(d.get(b"Title").ok()?).ok())
            .collect();
        for q in QUESTIONS {
            assert!(
                outline.iter().any(|t| t == q),
                "{doc}: no bookmark for {q} in {outline:?}"
            );
        }
        let title = facts.title.unwrap();
        assert!(
            title.starts_with("Draft for comment: Services for children and young people in Glenaird"),
            "{title}"
        );
    }
    let public = fold(&f.pdf_text(PUBLIC));
    for r in findings["recommendations"].as_array().unwrap() {
        assert!(public.contains(&fold(r["text"].as_str().unwrap())), "{r}");
    }
    for e in findings["evaluations"].as_array().unwrap() {
        let word = e["evaluation"].as_str().unwrap();
        let word = word[..1].to_uppercase() + &word[1..];
        assert!(
            public.contains(&format!("{} {word}", e["title"].as_str().unwrap())),
            "{e}"
        );
    }
    // The cover of a draft gives its issue date and the date comments are due.
    let s = f.schedule();
    assert!(
        public.contains(&format!("issued {}", date(&s, "report_for_comment"))),
        "{public}"
    );
    assert!(public.contains(&format!("Comments by {}", date(&s, "comments_due"))));
    assert!(public.contains(&date(&s, "action_plan_due")));
    // The chart has alt text naming every indicator, and its data is in a table too.
    let alts = struct_alts(&std::fs::read(f.path(PUBLIC)).unwrap(), "Figure");
    assert!(
        alts.iter()
            .any(|a| a.contains("5.3 Planning for individual children and young people, adequate (3)")),
        "{alts:?}"
    );
}

#[test]
fn a_final_report_gives_the_publication_date_and_no_draft_marks() {
    let f = Folder::example().edit("findings/findings.toml", |t| {
        t.replace("status = \"draft\"", "status = \"final\"")
    });
    f.run(&["build", "{}", "--only", "report"]).ok();
    let s = f.schedule();
    for doc in [PUBLIC, RECORD] {
        let text = f.pdf_text(doc);
        // No draft marks: the only "draft" left is the draft record the plan's date counts from.
        let marks = fold(&text.to_uppercase()).replace("THE DRAFT RECORD OF INSPECTION FINDINGS OF", "");
        assert!(!marks.contains("DRAFT"), "{doc}");
        assert!(
            fold(&text).contains(&format!("Published {}", date(&s, "publication"))),
            "{doc}"
        );
        let title = pdf_facts(&std::fs::read(f.path(doc)).unwrap()).title.unwrap();
        assert!(title.starts_with("Services for children"), "{title}");
    }
}

/// The Wilson score interval, written out here from the formula.
fn wilson(k: f64, n: f64) -> (f64, f64) {
    let z: f64 = 1.959963984540054;
    let p = k / n;
    let d = 1.0 + z * z / n;
    let c = (p + z * z / (2.0 * n)) / d;
    let h = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / d;
    (100.0 * (c - h), 100.0 * (c + h))
}

#[test]
fn records_reading_figures_follow_the_formula_and_small_numbers_are_words() {
    let f = Folder::example();
    // Recount from the CSV: ratings of 4-6 are good or better, n/a is not rated.
    let csv = f.read("findings/records-reading.csv");
    let (mut n, mut k) = (0.0, 0.0);
    for line in csv.lines().skip(1).filter(|l| l.contains(",plan,")) {
        if let Ok(r) = line.rsplit(',').next().unwrap().parse::<u8>() {
            n += 1.0;
            if r >= 4 {
                k += 1.0;
            }
        }
    }
    f.run(&["build", "{}", "--only", "report"]).ok();
    let text = fold(&crate::common::poppler_text(&f.path(RECORD)));
    let (lo, hi) = wilson(k, n);
    // The table's row: records rated, good or better, per cent, interval.
    let expected = format!("{n} {k} {:.0}% {lo:.0} to {hi:.0}%", 100.0 * k / n);
    assert!(text.contains(&expected), "expected: {expected}\n{text}");

    // Three ratings only: counts in words, no percentage.
    let f = three_wellbeing_ratings(f);
    f.run(&["build", "{}", "--only", "report"]).ok();
    let text = fold(&crate::common::poppler_text(&f.path(RECORD)));
    assert!(
        text.contains("fewer than five fewer than five not given not given"),
        "{text}"
    );
}

#[test]
fn a_childs_name_or_case_reference_in_the_findings_stops_the_build() {
    let f = Folder::example();
    f.build();
    let before = f.read("out/manifest.json");
    // A sampled child's name and another child's case reference, in two files.
    let population = f.read("population.csv");
    let header: Vec<&str> = population.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = population.lines().nth(7).unwrap().split(',').collect();
    let name = row[header.iter().position(|h| *h == "name").unwrap()].to_string();
    let case_ref = row[0].to_string();
    let f = f
        .edit("findings/question-2.md", |t| {
            format!("{t}\nWe met {} at home.\n", name.to_uppercase())
        })
        .edit("findings/record/5.2.md", |t| format!("{t}\nSee {case_ref}.\n"));
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    let q2_lines = f.read("findings/question-2.md").lines().count();
    assert!(err.contains(&format!("findings/question-2.md:{q2_lines}:8")), "{err}");
    assert!(
        err.contains("findings/record/5.2.md:") && err.contains("case reference"),
        "{err}"
    );
    assert_eq!(f.read("out/manifest.json"), before, "nothing written");
}

#[test]
fn raw_html_is_refused_at_its_line_and_every_findings_problem_is_listed() {
    let f = Folder::example()
        .edit("findings/question-1.md", |t| {
            format!("{t}\n<div class=\"x\">boxed</div>\n")
        })
        .edit("findings/findings.toml", |t| {
            t.replacen("question = 1", "question = 4", 1)
                .replacen("id = \"R2\"", "id = \"R1\"", 1)
                .replace("qi = [\"5.3\"]", "qi = [\"7.7\"]")
        })
        .edit("findings/records-reading.csv", |t| {
            format!("{t}NOT-SAMPLED,assessment,4\n")
        });
    std::fs::remove_file(f.path("findings/record/9.1.md")).unwrap();
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    let lines = f.read("findings/question-1.md").lines().count();
    for expected in [
        format!("findings/question-1.md:{lines}:1: raw HTML"),
        "question = 4 is not one of the three questions".to_string(),
        "the recommendation id `R1` is used twice".to_string(),
        "names indicator 7.7, which is not evaluated".to_string(),
        "findings/record/9.1.md: the file is missing".to_string(),
        "`NOT-SAMPLED` is not a child of the sample".to_string(),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in\n{err}");
    }
    let f = f.edit("findings/findings.toml", |t| {
        t.replacen("evaluation = \"good\"", "evaluation = \"satisfactory\"", 1)
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("findings/findings.toml:") && err.contains("satisfactory"),
        "{err}"
    );
}

#[test]
fn writers_text_prints_literally() {
    // Typst, Jinja and template syntax in a writer's prose (Markdown's own syntax aside).
    let hostile =
        "Costs #let x = 1 and $a^2$ = b, {{ inspection.area }} {% if x %} @ref // not a comment #set page(fill: red)";
    let f = Folder::example().edit("findings/question-3.md", |t| format!("{t}\n{hostile}\n"));
    f.run(&["build", "{}", "--only", "report"]).ok();
    let text = fold(&f.pdf_text(PUBLIC));
    assert!(text.contains(hostile), "{text}");
}

#[test]
fn a_folder_without_findings_builds_everything_else_and_says_so_for_the_report() {
    let f = Folder::example();
    std::fs::remove_dir_all(f.path("findings")).unwrap();
    // Nor a returned plan, which answers the findings' recommendations.
    std::fs::remove_file(f.path("action-plan.toml")).unwrap();
    let out = f.build().stdout();
    let built = out.lines().find(|l| l.starts_with("built ")).unwrap();
    assert!(!built.contains("report"), "{out}");
    assert!(out.contains("not made yet: report (waiting for findings/)"), "{out}");
    let err = f.run(&["build", "{}", "--only", "report"]).fails_with(2).stderr();
    assert!(err.contains("no findings/ folder"), "{err}");
}

#[test]
fn a_contacts_name_in_the_public_report_is_a_warning() {
    let f = Folder::example();
    // A contact who is not also the name of a child (synthetic names repeat).
    let population = f.read("population.csv").to_lowercase();
    let name = f
        .read("contacts.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .find(|n| !population.contains(&n.to_lowercase()))
        .unwrap();
    let f = Folder::example().edit("findings/question-1.md", |t| {
        format!("{t}\n{name} told us about adoption.\n")
    });
    let run = f.run(&["build", "{}", "--only", "report"]).ok();
    assert!(
        run.stderr().contains("warning: report/public-report.pdf: page")
            && run.stderr().contains("a contact's name is printed"),
        "{}",
        run.stderr()
    );
}

// A writer's paragraph through Markdown, Typst and a compiled PDF: Typst's and
// the templates' syntax prints as written (Markdown's own syntax aside).
const MD_PROBE: &str = r#"#set document(title: "Probe")
#set text(font: "Open Sans", lang: "en", region: "GB", hyphenate: false)
#set page(width: 8000pt, height: auto, margin: 20pt)
BEGIN {{ body|safe }} END
"#;

fn prose() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let pieces = prop::sample::select(vec![
        "#",
        "$",
        "@",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "\"",
        "'",
        "=",
        "//",
        "~",
        "...",
        "--",
        "---",
        "#let x = 1",
        "#set page(fill: red)",
        "$x^2$",
        "@ref",
        "a",
        "Zoë",
        "Ó Briain",
        "Ελλάδα",
        "9",
        " ",
        "%",
        ";",
        ":",
        "!",
        "?",
        "(",
        ")",
        "{",
        "}",
        "^",
        "/",
    ]);
    prop::collection::vec(pieces, 1..12).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    #[test]
    fn any_prose_prints_literally(value in prose()) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
        std::fs::write(tmp.path().join("templates/probe.typ"), MD_PROBE).unwrap();
        let engine = scrutiny::render::Engine::new(Some(tmp.path())).unwrap();
        let mut problems = scrutiny::base::error::Problems::default();
        let layout = scrutiny::formats::markdown::Layout { level_of_h2: 3, titled: false };
        let md = format!("Text {value}\n");
        let converted = scrutiny::formats::markdown::convert("findings/q.md", &md, layout, tmp.path(), &mut problems);
        proptest::prop_assert!(problems.is_empty());
        let job = scrutiny::render::Job {
            template: "probe.typ",
            output: "probe.pdf".into(),
            context: minijinja::context! { body => converted.typst },
            date: chrono::NaiveDate::from_ymd_opt(2013, 3, 4).unwrap(),
            published: false,
            fields: None,
            digest: None,
            facts: Default::default(),
        };
        let pdf = engine.render(&job).expect("renders").pdf;
        let text = fold(&crate::common::pdf_text(&pdf));
        let start = text.find("BEGIN").unwrap() + 5;
        let end = text.rfind("END").unwrap();
        proptest::prop_assert_eq!(fold(&text[start..end]), fold(&format!("Text {value}")), "{:?}", value);
    }
}

#[test]
fn the_packs_are_reproducible_and_the_partnerships_holds_no_personal_data() {
    let f = Folder::example();
    f.build();
    let cpp = std::fs::read(f.path("out/pack/cpp.zip")).unwrap();
    let archive = std::fs::read(f.path("out/pack/archive.zip")).unwrap();
    // Read back by Python's zipfile, not by the program that wrote them.
    let list = |zip: &str| {
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
                zip,
            ])
            .output()
            .expect("python3 reads the packs");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let names = list(&f.path("out/pack/cpp.zip").to_string_lossy());
    assert!(
        names.contains("report/public-report.pdf")
            && names.contains("notice/")
            && names.contains("action-plan/action-plan.xlsx")
    );
    let manifest: serde_json::Value = serde_json::from_str(&f.read("out/manifest.json")).unwrap();
    for entry in manifest["files"].as_array().unwrap() {
        let path = entry["path"].as_str().unwrap();
        if entry["marked"] == true {
            assert!(
                !names.lines().any(|n| n == path),
                "{path} holds personal data but is in cpp.zip"
            );
        }
    }
    assert!(manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["path"] == "requests/register.csv" && e["marked"] == true));
    let names = list(&f.path("out/pack/archive.zip").to_string_lossy());
    assert!(names.contains("out/requests/register.csv") && names.contains("inspection/findings/findings.toml"));
    // Every file of the inspection's own that it holds, by the folder's table
    // (sample.csv and received.toml come later in an inspection).
    for own in scrutiny::model::folder::FILES
        .iter()
        .filter(|e| !e.name.ends_with('/') && f.path(e.name).exists())
    {
        assert!(
            names.contains(&format!("inspection/{}", own.name)),
            "{} archived: {names}",
            own.name
        );
    }
    // The same inputs, the same bytes.
    f.build();
    assert_eq!(std::fs::read(f.path("out/pack/cpp.zip")).unwrap(), cpp);
    assert_eq!(std::fs::read(f.path("out/pack/archive.zip")).unwrap(), archive);
}

#[test]
fn a_picture_with_alt_text_becomes_a_tagged_figure_and_an_embedded_image() {
    use base64::Engine as _;
    let png = base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
        .unwrap();
    let f = Folder::example();
    std::fs::create_dir_all(f.path("findings/images")).unwrap();
    std::fs::write(f.path("findings/images/referrals.png"), png).unwrap();
    let alt = "Referrals to the Reporter fell each year from 2010 to 2012";
    let f = f.edit("findings/question-2.md", |t| {
        format!("{t}\n![{alt}](images/referrals.png)\n")
    });
    f.run(&["build", "{}", "--only", "report"]).ok();
    let alts = struct_alts(&std::fs::read(f.path(PUBLIC)).unwrap(), "Figure");
    assert!(alts.iter().any(|a| a == alt), "{alts:?}");
    let html = f.read("out/report/public-report.html");
    assert!(html.contains(&format!("alt=\"{alt}\"")) && html.contains("src=\"data:image/png;base64,"));
}

#[test]
fn the_small_number_threshold_is_one_value_that_every_document_follows() {
    use scrutiny::build::{build_with, BuildOptions};
    use scrutiny::rules::methodology::Methodology;
    let f = Folder::example();
    f.build();
    let record = |f: &Folder| {
        fold(&crate::common::poppler_text(
            &f.path("out/report/record-of-findings.pdf"),
        ))
    };
    let five = record(&f);
    assert!(five.contains("fewer than five"), "{five}");
    // The same folder with counts under ten withheld, set once through the library.
    let g = Folder::example();
    let mut ws = scrutiny::workspace::Workspace::load(&g.dir).unwrap();
    ws.methodology = Methodology::with_small_number(10);
    let engine = scrutiny::render::Engine::new(Some(&g.dir)).unwrap();
    build_with(&ws, &engine, &BuildOptions::default()).unwrap();
    let ten = record(&g);
    assert!(
        ten.contains("fewer than ten") && !ten.contains("fewer than five"),
        "{ten}"
    );
    assert!(ten.contains("for any count from one to nine"), "{ten}");
    // A measure rated by 5 to 9 records has its count and percentage under five's rule, not ten's.
    // Each table's first row follows its header: "... 95% interval 80 40 50% 39 to 61%".
    let rated = |text: &str| -> Vec<usize> {
        text.split("95% interval ")
            .skip(1)
            .filter_map(|s| s.split(' ').next()?.parse().ok())
            .collect()
    };
    assert!(!rated(&five).is_empty(), "the record's tables are read");
    assert!(rated(&ten).iter().all(|n| *n >= 10), "{:?}", rated(&ten));
    let public = fold(&g.pdf_text("out/report/public-report.pdf"));
    assert!(
        !public.contains("fewer than five"),
        "the public report follows the same value"
    );
}

#[test]
fn the_samples_confidence_reads_the_same_in_every_document() {
    // A bigger sample needs more readers than the example's team has; four a day each fits.
    let f = Folder::example().set("confidence", "0.975").set("per_reader_day", "4");
    f.build();
    for doc in [
        "report/record-of-findings.pdf",
        "briefing/operational-managers.pdf",
        "sample/rationale.pdf",
    ] {
        let text = fold(&f.pdf_text(&format!("out/{doc}")));
        assert!(text.contains("97.5% confident"), "{doc}: {text}");
        assert!(!text.contains("98% confident"), "{doc}");
    }
}

/// The folder with only the first three of its wellbeing ratings.
fn three_wellbeing_ratings(f: Folder) -> Folder {
    let csv = f.read("findings/records-reading.csv");
    let kept: Vec<String> = csv
        .lines()
        .skip(1)
        .filter(|l| l.contains(",wellbeing,"))
        .take(3)
        .map(String::from)
        .collect();
    f.edit("findings/records-reading.csv", |t| {
        t.lines()
            .filter(|l| !l.contains(",wellbeing,") || kept.contains(&l.to_string()))
            .map(|l| format!("{l}\n"))
            .collect()
    })
}

#[test]
fn figures_in_prose_print_the_data_as_the_documents_do() {
    // Three wellbeing ratings only: its figures fall under the small-number rule.
    let f = three_wellbeing_ratings(Folder::example()).edit("findings/question-3.md", |t| {
        format!(
            "{t}\nFigures: [[population.total]] children; [[population.looked_after]] looked after; \
                 [[care_services]] care services; wellbeing rated in [[measure.wellbeing.rated]] records, \
                 [[measure.wellbeing.percent]]; two brackets \\[[kept]].\n"
        )
    });
    f.run(&["build", "{}", "--only", "report"]).ok();
    // Counted here from population.csv, not by the library.
    let population = f.read("population.csv");
    let looked_after = population
        .lines()
        .filter(|l| l.contains(",looked_after_home,") || l.contains(",looked_after_accommodated,"))
        .count();
    let text = fold(&f.pdf_text(PUBLIC));
    let expected = format!(
        "Figures: 1,000 children; {looked_after} looked after; four care services; wellbeing rated in fewer than five \
         records, not reported (fewer than five records); two brackets [[kept]]."
    );
    assert!(text.contains(&expected), "expected {expected}\n{text}");
    let html = fold(&scrutiny::base::text::html_text(
        &f.read("out/report/public-report.html"),
    ));
    assert!(html.contains(&expected), "the web page says the same");

    // An unknown name: located, with the nearest right one.
    let f = f.edit("findings/question-3.md", |t| {
        format!("{t}\nWe read [[sample.totl]] records.\n")
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    let line = f.read("findings/question-3.md").lines().count();
    assert!(
        err.contains(&format!(
            "findings/question-3.md:{line}:9: `[[sample.totl]]` is not a figure"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `[[sample.total]]`"), "{err}");
}

#[test]
fn the_worked_examples_prose_agrees_with_its_data_and_cites_its_figures() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "report", "--only", "scoping"]).ok();
    let flat = |p: &str| {
        fold(&poppler_text(&f.path(p)))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let report = flat("out/report/public-report.pdf");
    let record = flat("out/report/record-of-findings.pdf");
    let tool = flat("out/scoping/scoping-tool-3.pdf");
    // The conclusion says how many named persons were not confident (33 of
    // 123 answered the last statement otherwise than agree), never that every
    // child at risk is protected quickly.
    assert!(
        !report.contains("Children at risk of harm are identified and protected quickly"),
        "{report}"
    );
    assert!(
        report.contains("27% of the named persons who answered our survey were not confident"),
        "{report}"
    );
    // Plans for children on the register are no better than plans overall.
    assert!(!record.contains(
        "plans of good quality for young people leaving care, for children on the child protection register"
    ));
    assert!(
        report.contains("We found a child's plan in 80 of the 88 records we read"),
        "{report}"
    );
    assert!(
        report.contains("46% of the named persons who answered our survey agreed that plans"),
        "{report}"
    );
    // Families who found help a struggle: impact on families is good, not very good.
    assert!(record.contains("getting help was a struggle"));
    assert!(!record.contains("2.2 Impact on families Very good"), "{record}");
    // The scoping tool and the report give one share of chronologies.
    for text in [&report, &record, &tool] {
        assert!(text.contains("around a third"));
        assert!(!text.contains("half the chronologies") && !text.contains("half of the chronologies"));
    }
}
