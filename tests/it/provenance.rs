//! The guard by provenance, tried as an attacker would: a child's name or case
//! reference is refused where it is written, in every free-text file of the
//! folder, from the first notice, however it is disguised; a person's name
//! that a child shares is allowed only where a document prints that person
//! from their own fields; templates cannot read the children or attach files.

use std::fs;

use proptest::prelude::*;

use crate::common::Folder;
use crate::disguise::{disguise_any, surname_first, toml_string, turned, Rng};

/// A sampled child of the folder: (case reference, name).
fn sampled(f: &Folder) -> (String, String) {
    let ws = scrutiny::workspace::Workspace::load(&f.dir).unwrap();
    let c = &ws.sample.children[0];
    (c.case_ref.clone(), c.name.clone().expect("the example has names"))
}

/// `check` and `build` both refuse, naming `place` and `what`, and the
/// build leaves OUT as it was.
fn refused(f: &Folder, place: &str, what: &str) -> String {
    let before = fs::read(f.path("out/pack/cpp.zip")).ok();
    let check = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        check.contains(place) && check.contains(what),
        "expected {place} and {what} in:\n{check}"
    );
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(err.contains(place), "build says otherwise:\n{err}");
    assert_eq!(fs::read(f.path("out/pack/cpp.zip")).ok(), before, "OUT unchanged");
    check
}

/// The line (from 1) of the first line of `file` that contains `text`.
fn line_of(f: &Folder, file: &str, text: &str) -> usize {
    f.read(file)
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text} not in {file}"))
        + 1
}

#[test]
fn before_there_are_findings_every_source_is_read() {
    let clean = Folder::before_the_report();
    clean.build();
    let (case_ref, name) = sampled(&clean);
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "scoping.toml",
            "rationale = \"The core data",
            format!("rationale = \"{name} and the data"),
        ),
        (
            "inspection.toml",
            "topic = \"Post-adoption support\"",
            format!("topic = \"Post-adoption support ({case_ref})\""),
        ),
        (
            "inspection.toml",
            "name = \"Westfield Children's House\"",
            format!("name = \"{name}'s house\""),
        ),
        (
            "contacts.csv",
            ",Health Visitor,",
            format!(",\"Health Visitor for {}\",", surname_first(&name)),
        ),
    ];
    for (file, from, to) in cases {
        let f = Folder::before_the_report();
        f.build();
        let line = line_of(&f, file, from);
        let f = f.edit(file, |t| t.replacen(from, &to, 1));
        refused(&f, &format!("{file}:{line}:"), "a child's");
    }
    // The folder's own templates: the survey's questions and a letter.
    let questions = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/staff-survey-questions.txt"
    ))
    .unwrap();
    let f = Folder::before_the_report();
    f.build();
    let f = f.write(
        "templates/staff-survey-questions.txt",
        &format!("{questions}How well did you support {name}?\n"),
    );
    refused(
        &f,
        "templates/staff-survey-questions.txt:",
        "a child's name is written here",
    );
    let notice = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/notice.typ")).unwrap();
    let f = Folder::before_the_report();
    f.build();
    let f = f.write("templates/notice.typ", &format!("{notice}\nP.S. {case_ref}\n"));
    refused(&f, "templates/notice.typ:", "a child's case reference is written here");
}

#[test]
fn a_name_written_surname_first_is_refused_in_the_findings_and_the_support() {
    let f = Folder::example();
    let (_, name) = sampled(&f);
    let reversed = surname_first(&name);
    let old = f.read("findings/question-1.md");
    let line = old.lines().count() + 2;
    let f = f.write(
        "findings/question-1.md",
        &format!("{old}\nWe met {reversed} at home.\n"),
    );
    refused(&f, &format!("findings/question-1.md:{line}:8"), "a child's name");

    let f = Folder::example();
    let line = line_of(&f, "action-plan.toml", "text = \"Their link");
    let f = f.edit("action-plan.toml", |t| {
        t.replace("text = \"Their link", &format!("text = \"With {reversed}. Their link"))
    });
    let err = refused(&f, &format!("action-plan.toml:{line}:"), "a child's name");
    assert!(err.contains("support.text"), "names the key: {err}");
}

#[test]
fn text_turned_around_is_refused_where_it_is_written_and_where_it_is_printed() {
    let f = Folder::example();
    let (_, name) = sampled(&f);
    let old = f.read("findings/question-2.md");
    let line = old.lines().count() + 2;
    let f = f.write(
        "findings/question-2.md",
        &format!("{old}\nWe met {} at home.\n", turned(&name)),
    );
    refused(&f, &format!("findings/question-2.md:{line}:8"), "turns text around");

    let f = Folder::before_the_report();
    let line = line_of(&f, "inspection.toml", "topic = \"Throughcare");
    let f = f.edit("inspection.toml", |t| {
        t.replacen(
            "topic = \"Throughcare",
            &format!("topic = \"{} Throughcare", turned("Eilidh")),
            1,
        )
    });
    refused(&f, &format!("inspection.toml:{line}:"), "turns text around");

    // A template that makes one, the name typed backwards after it: what
    // is drawn is the name, and it is refused as printed.
    let notice = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/notice.typ")).unwrap();
    let f = Folder::before_the_report();
    let f = f.edit("population.csv", |t| {
        t.replacen(&format!(",{name},"), ",Eilidh Sinclair,", 1)
    });
    let f = f.write(
        "templates/notice.typ",
        &format!("{notice}\n#str.from-unicode(0x202E)rialcniS hdiliE\n"),
    );
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("notice/") && err.contains("a child's name is printed"),
        "{err}"
    );
    assert!(!f.path("out").exists(), "nothing written");
    // In the document's title, the character itself is refused.
    let f = Folder::before_the_report().write(
        "templates/notice.typ",
        &format!("{notice}\n#set document(title: str.from-unicode(0x202E) + \"evitceffe\")\n"),
    );
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(err.contains("notice/") && err.contains("turns text around"), "{err}");
}

#[test]
fn letters_and_digits_drawn_alike_and_letters_apart_are_refused() {
    let f = Folder::example();
    let (case_ref, name) = sampled(&f);
    let alike_ref = case_ref.replace('0', "O").replace('1', "l");
    let arabic: String = case_ref
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x0660 + d).unwrap()))
        .collect();
    let (first, last) = name.rsplit_once(' ').unwrap();
    let spaced: String = first.chars().map(String::from).collect::<Vec<_>>().join("-");
    let letter_spaced: String = name.chars().map(String::from).collect::<Vec<_>>().join(" ");
    let capital_i = name.replace('l', "I");
    let one = name.replace('i', "1");
    for typed in [
        alike_ref,
        case_ref.replace('1', "I"),
        arabic,
        format!("{spaced} {last}"),
        format!("## {letter_spaced}"),
        capital_i,
        one,
        format!("{first}{last}"),
    ] {
        let f = Folder::example();
        let old = f.read("findings/question-3.md");
        let f = f.write("findings/question-3.md", &format!("{old}\n{typed}\n"));
        let err = f.run(&["check", "{}"]).fails_with(1).stderr();
        assert!(
            err.contains("findings/question-3.md:") && (err.contains("a child's") || err.contains("mixes")),
            "{typed:?}: {err}"
        );
    }
}

#[test]
fn an_svgs_words_are_read_in_the_order_they_are_drawn() {
    let f = Folder::example();
    let (_, name) = sampled(&f);
    let (first, last) = name.rsplit_once(' ').unwrap();
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text x="120" y="15">{last}</text><text x="5" y="15">{first}</text></svg>"#
    );
    let old = f.read("findings/question-1.md");
    let f = f.write("findings/images/names.svg", &svg).write(
        "findings/question-1.md",
        &format!("{old}\n![A drawing](images/names.svg)\n"),
    );
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("findings/question-1.md:") && err.contains("names.svg"),
        "{err}"
    );
}

#[test]
fn a_name_a_contact_shares_is_theirs_only_in_their_own_fields() {
    // A child renamed as the contact who receives a position statement request.
    let f = Folder::before_the_report();
    let id = f
        .read("inspection.toml")
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("recipient = \"")
                .and_then(|r| r.split('"').next())
                .map(String::from)
        })
        .expect("the example asks for position statements");
    let recipient = f
        .read("contacts.csv")
        .lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .and_then(|l| l.split(',').nth(1))
        .expect("the recipient is a contact")
        .to_string();
    let (_, child) = sampled(&f);
    let f = f.edit("population.csv", |t| {
        t.replacen(&format!(",{child},"), &format!(",{recipient},"), 1)
    });
    // The letter prints the contact from the contact's fields: it builds.
    f.build();
    let letters: Vec<String> = fs::read_dir(f.path("out/position-statements"))
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    assert!(
        letters
            .iter()
            .any(|l| crate::common::pdf_text(&fs::read(l).unwrap()).contains(&recipient)),
        "a letter names {recipient}"
    );
    // The same name as free text is the child's, whoever else has it.
    let line = line_of(&f, "scoping.toml", "rationale = \"The core data");
    let f = f.edit("scoping.toml", |t| {
        t.replacen(
            "rationale = \"The core data",
            &format!("rationale = \"{recipient}: the data"),
            1,
        )
    });
    refused(&f, &format!("scoping.toml:{line}:"), "a child's name");
}

#[test]
fn a_persons_field_holds_a_childs_name_only_as_that_persons_own_name() {
    // A contact shares the child's name: that person may be named in their
    // own fields, but a field cannot carry the child beside someone else.
    let (_, child) = sampled(&Folder::before_the_report());
    let sharing = "hv-004,Jamie O'Neill,";
    let base =
        || Folder::before_the_report().edit("contacts.csv", |t| t.replacen(sharing, &format!("hv-004,{child},"), 1));
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "contacts.csv",
            "hv-003,Jamie Campbell,",
            format!("hv-003,\"Jamie Campbell, guardian of {child}\","),
        ),
        (
            "contacts.csv",
            "hv-003,Jamie Campbell,",
            format!("hv-003,Jo Bell ({child}),"),
        ),
        (
            "inspection.toml",
            "name = \"Jo Bell\"",
            format!("name = \"Jo Bell ({child})\""),
        ),
        (
            "inspection.toml",
            "salutation = \"Dear Ms Reid\"",
            format!("salutation = \"Dear Ms Reid, for {child}\""),
        ),
    ];
    for (file, from, to) in cases {
        let line = line_of(&base(), file, from);
        let f = base().edit(file, |t| t.replacen(from, &to, 1));
        refused(&f, &format!("{file}:{line}:"), "a child's name");
    }
    // As the person's own name, after a title and with post-nominals, it is theirs.
    let f = base().edit("contacts.csv", |t| {
        t.replacen(
            "hv-003,Jamie Campbell,",
            &format!("hv-003,\"Dr {child}-Smith, MBE\","),
            1,
        )
    });
    f.run(&["check", "{}"]).ok();
}

#[test]
fn a_hand_edited_record_of_what_was_sent_is_read_too() {
    let f = Folder::before_the_report();
    let (_, name) = sampled(&f);
    f.run(&["issue", "{}", "--date", "2012-12-07", "--only", "notice"]).ok();
    let record = "issued/2012-12-07.json";
    let text = f.read(record);
    let label = "\"label\": \"";
    assert!(text.contains(label), "{text}");
    let line = line_of(&f, record, label);
    let f = f.edit(record, |t| t.replacen(label, &format!("{label}{name}: "), 1));
    refused(&f, &format!("{record}:{line}:"), "a child's name");
}

#[test]
fn a_recipient_written_into_a_record_of_what_was_sent_is_no_person() {
    // The record says a letter went to a child, by name: no such person is
    // known to the folder, so the name is the child's, in both places.
    let f = Folder::before_the_report();
    let (_, name) = sampled(&f);
    f.run(&["issue", "{}", "--date", "2012-12-07", "--only", "notice"]).ok();
    let record = "issued/2012-12-07.json";
    let text = f.read(record);
    let addressee = "Councillor Hugh Drummond";
    assert!(text.contains(&format!("\"name\": \"{addressee}\"")), "{text}");
    let line = line_of(&f, record, &format!("\"recipient\": \"{addressee}"));
    let f = f.edit(record, |t| t.replace(addressee, &name));
    let check = refused(&f, &format!("{record}:{line}:"), "a child's name");
    assert!(
        check.contains("in key recipient") && check.contains("in key name"),
        "{check}"
    );
}

#[test]
fn templates_cannot_read_the_folders_data_nor_attach_files() {
    let report = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/public-report.typ")).unwrap();
    for (extra, said) in [
        ("#pdf.attach(\"/population.csv\")", "cannot be read by a template"),
        ("#read(\"/contacts.csv\")", "cannot be read by a template"),
        ("#read(\"/issued/x.json\")", "cannot be read by a template"),
        (
            "#pdf.attach(\"notes.txt\", bytes(\"x\"), description: \"Notes\")",
            "carries a file inside it",
        ),
    ] {
        let f = Folder::example().write("templates/public-report.typ", &format!("{report}\n{extra}\n"));
        let err = f.run(&["build", "{}"]).fails_with(1).stderr();
        assert!(err.contains(said), "{extra}: {err}");
        assert!(!f.path("out").exists(), "nothing written");
    }
}

#[test]
fn a_picture_that_leads_to_the_folders_data_cannot_be_read() {
    // findings/images/pop.png is a link to population.csv: by its name a
    // picture of the findings, in truth the children.
    let report = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/public-report.typ")).unwrap();
    let f = Folder::example().write(
        "templates/public-report.typ",
        &format!("{report}\n#read(\"/findings/images/pop.png\")\n"),
    );
    fs::create_dir_all(f.path("findings/images")).unwrap();
    std::os::unix::fs::symlink("../../population.csv", f.path("findings/images/pop.png")).unwrap();
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(err.contains("pop.png"), "{err}");
    assert!(!f.path("out").exists(), "nothing written");
}

/// Where a disguised identifier is planted, and the file that says so.
const SOURCES: &[&str] = &[
    "findings/question-1.md",
    "findings/findings.toml",
    "scoping.toml",
    "inspection.toml",
    "contacts.csv",
    "action-plan.toml",
    "templates/staff-survey-questions.txt",
    "templates/notice.typ",
];

/// Plants `shown` in `source` of the example.
fn plant(f: Folder, source: &str, shown: &str, rng: &mut Rng) -> Folder {
    let mut said = |s: &str| toml_string(s, rng);
    match source {
        "findings/question-1.md" => f.edit(source, |t| format!("{t}\nWe read about {shown} in May.\n")),
        "findings/findings.toml" => {
            let text = said(&format!("Support for {shown} was good."));
            f.edit(source, |t| format!("{t}\n[[strengths]]\ntext = {text}\n"))
        }
        "scoping.toml" => {
            let text = said(&format!("We met {shown}."));
            f.edit(source, |t| {
                replace_line(&t, "rationale = \"The core data", &format!("rationale = {text}"))
            })
        }
        "inspection.toml" => {
            let text = said(&format!("Care of {shown}"));
            f.edit(source, |t| {
                t.replacen("topic = \"Post-adoption support\"", &format!("topic = {text}"), 1)
            })
        }
        "contacts.csv" => {
            let field = format!("\"Visitor for {}\"", shown.replace('"', "\"\""));
            f.edit(source, |t| t.replacen(",Health Visitor,", &format!(",{field},"), 1))
        }
        "action-plan.toml" => {
            let text = said(&format!("With {shown}'s family."));
            f.edit(source, |t| {
                replace_line(&t, "text = \"Their link", &format!("text = {text}"))
            })
        }
        "templates/staff-survey-questions.txt" => {
            let questions = fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/staff-survey-questions.txt"
            ))
            .unwrap();
            f.write(source, &format!("{questions}How is {}?\n", shown.replace('\n', " ")))
        }
        _ => {
            let notice = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/notice.typ")).unwrap();
            f.write(source, &format!("{notice}\n{shown}\n"))
        }
    }
}

/// `text` with its first line starting `start` replaced by `line`.
fn replace_line(text: &str, start: &str, line: &str) -> String {
    let mut done = false;
    let mut out: Vec<&str> = Vec::new();
    for l in text.lines() {
        if !done && l.starts_with(start) {
            done = true;
            out.push(line);
        } else {
            out.push(l);
        }
    }
    assert!(done, "{start} not found");
    out.join("\n") + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every disguise, in every free-text source, is refused at that source
    /// (so nothing is built, and nothing reaches cpp.zip).
    #[test]
    fn any_disguise_in_any_source_is_refused_where_it_is_written(
        seed in any::<u64>(), child in 0usize..40, use_name in any::<bool>(), source in 0usize..SOURCES.len()
    ) {
        let mut rng = Rng::new(seed);
        let f = Folder::example();
        let ws = scrutiny::workspace::Workspace::load(&f.dir).unwrap();
        let c = &ws.sample.children[child];
        let id = if use_name { c.name.clone().unwrap() } else { c.case_ref.clone() };
        let source = SOURCES[source];
        let shown = disguise_any(&id, &mut rng, source.ends_with(".md"));
        let f = plant(f, source, &shown, &mut rng);
        match scrutiny::workspace::Workspace::load(&f.dir) {
            Ok(_) => prop_assert!(false, "{id} written {shown:?} in {source} was not refused"),
            Err(e) => prop_assert!(
                e.problems().iter().any(|p| p.file == source),
                "{id} written {shown:?} in {source}: refused elsewhere: {:?}", e.problems()
            ),
        }
    }
}

#[test]
fn a_file_named_after_a_child_is_refused_by_its_name() {
    let f = Folder::example();
    let (_, name) = sampled(&f);
    let file = format!("findings/good-practice/{}.md", name.to_lowercase().replace(' ', "-"));
    let f = f.write(&file, "## Family support\n\nA good example.\n");
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains(&file) && err.contains("in the file's name"), "{err}");
}

#[test]
fn pictures_and_pages_that_draw_text_turned_around_are_refused() {
    let f = Folder::example();
    let (_, name) = sampled(&f);
    let (first, last) = name.rsplit_once(' ').unwrap();
    // Each letter placed by its own x, listed in another order.
    let chars: Vec<char> = format!("{first} {last}").chars().collect();
    let letters: String = chars
        .iter()
        .enumerate()
        .rev()
        .map(|(i, c)| format!("<tspan x=\"{}\">{c}</tspan>", i * 8))
        .collect();
    let scrambled = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text y="15">{letters}</text></svg>"#
    );
    let backwards: String = name.chars().rev().collect();
    let turned = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text x="5" y="15" direction="rtl" unicode-bidi="bidi-override">{backwards}</text></svg>"#
    );
    for (svg, said) in [(scrambled, "a child's name"), (turned, "turned around")] {
        let f = Folder::example();
        let old = f.read("findings/question-1.md");
        let f = f.write("findings/images/p.svg", &svg).write(
            "findings/question-1.md",
            &format!("{old}\n![A drawing](images/p.svg)\n"),
        );
        let err = f.run(&["check", "{}"]).fails_with(1).stderr();
        assert!(err.contains("findings/question-1.md:") && err.contains(said), "{err}");
    }
    // A web page that turns text around without a character.
    let page = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/public-report.html"))
        .unwrap()
        .replace("<h1>", "<p><bdo dir=\"rtl\">sevitceffe</bdo></p><h1>");
    let f = Folder::example().write("templates/public-report.html", &page);
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("report/public-report.html") && err.contains("turns text around"),
        "{err}"
    );
}

/// The example with its first children renamed `names`, and their case references.
fn named(names: &[&str]) -> (Folder, Vec<String>) {
    let f = Folder::example();
    let text = f.read("population.csv");
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|h| *h == "name").unwrap();
    let mut refs = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        if (1..=names.len()).contains(&i) {
            refs.push(cells[0].to_string());
            cells[column] = names[i - 1];
        }
        lines.push(cells.join(","));
    }
    (f.write("population.csv", &(lines.join("\n") + "\n")), refs)
}

#[test]
fn sentences_signs_and_other_alphabets_that_name_no_child_build() {
    // Children named as an island and a word of a sentence are not found
    // across the sentence's end; a Greek beta, a micro sign, a word in
    // Russian and the marks word processors write for direction are no disguise.
    let (f, _) = named(&["Skye Young", "Lewis Grant"]);
    let old = f.read("findings/question-1.md");
    let f = f.write(
        "findings/question-1.md",
        &format!(
            "{old}\nWe met families on Skye. Young people there said so. On Lewis. Grant aid helps. \
             Some take \u{3B2}-blockers, 5\u{3BC}g a day; leaflets are in Polish/\u{420}\u{443}\u{441}\u{441}\u{43A}\u{438}\u{439}. \
             \u{200E}Noted\u{200F}.\n"
        ),
    );
    f.build();
    let report = f.pdf_text("out/report/public-report.pdf");
    let report = report.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(report.contains("Skye. Young"), "the report prints it");
}

#[test]
fn middle_names_footnote_marks_signs_and_names_run_together_are_refused() {
    let children = ["Hamish Docherty", "Ben Baird"];
    let (_, refs) = named(&children);
    let shown = [
        "Hamish J. Docherty".to_string(),
        "Hamish John Docherty".to_string(),
        "Hamish Docherty\u{B9}".to_string(),
        "Hamish Docherty2".to_string(),
        format!("{}\u{BD}", refs[0]),
        "H@mish D0cherty".to_string(),
        "H4mish Doch3rty".to_string(),
        "Hami$h Docher+y".to_string(),
        "hamishdocherty".to_string(),
        "benbaird".to_string(),
    ];
    for shown in shown {
        let (f, _) = named(&children);
        let f = f.edit("findings/question-1.md", |t| format!("{t}\nWe met {shown} at home.\n"));
        let err = f.run(&["check", "{}"]).fails_with(1).stderr();
        assert!(
            err.contains("findings/question-1.md:") && err.contains("a child's"),
            "{shown}: {err}"
        );
    }
    // Not across a sentence's end.
    let (f, _) = named(&children);
    let f = f.edit("findings/question-1.md", |t| {
        format!("{t}\nWe asked for Hamish. John Docherty answered.\n")
    });
    f.run(&["check", "{}"]).ok();
}

#[test]
fn a_name_is_read_as_the_page_shows_it_and_hidden_text_is_refused() {
    let f = Folder::example();
    let (_, name) = sampled(&f);
    let (first, last) = name.split_once(' ').unwrap();
    let cut = first.char_indices().nth(2).unwrap().0;
    let (head, tail) = first.split_at(cut);
    let report = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/public-report.typ")).unwrap();
    for (extra, said) in [
        // White letters inside the name: the page shows the name.
        (
            format!("{head}#text(fill: white)[qz]{tail} {last}"),
            "a child's name is printed",
        ),
        // Its halves drawn right first, then left.
        (
            format!("#box(width: 12cm)[#place(dx: 4cm)[{tail} {last}]#place(dx: 0cm)[{head}]]"),
            "a child's name is printed",
        ),
        // Words too small to read.
        (
            "#text(size: 1pt)[a note]".to_string(),
            "text no reader can see is printed",
        ),
    ] {
        let f = Folder::example().write("templates/public-report.typ", &format!("{report}\n{extra}\n"));
        let err = f.run(&["build", "{}"]).fails_with(1).stderr();
        assert!(
            err.contains("report/public-report.pdf") && err.contains(said),
            "{extra}: {err}"
        );
        assert!(!f.path("out").exists(), "nothing written");
    }
}

#[test]
fn a_web_page_is_read_as_it_is_seen_and_may_not_write_text_from_its_style() {
    let f = Folder::example();
    let (_, name) = sampled(&f);
    let (first, last) = name.split_once(' ').unwrap();
    let cut = first.char_indices().nth(2).unwrap().0;
    let (head, tail) = first.split_at(cut);
    let code = head.chars().next().unwrap() as u32;
    let head_rest = &head[head.chars().next().unwrap().len_utf8()..];
    let page = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/public-report.html")).unwrap();
    for (extra, said) in [
        (
            format!("<p>{head}<span hidden>qz</span>{tail} {last}</p>"),
            "a child's name is printed",
        ),
        (
            format!("<p>{head}<b style=\"font-size:0\">qz</b>{tail} {last}</p>"),
            "a child's name is printed",
        ),
        (
            format!("<p>&#{code}{head_rest}{tail} {last}</p>"),
            "a child's name is printed",
        ),
        (
            "<style>h1::after { content: \"x\" }</style>".to_string(),
            "a style sheet writes text of its own",
        ),
    ] {
        let f = Folder::example().write(
            "templates/public-report.html",
            &page.replacen("<h1>", &format!("{extra}<h1>"), 1),
        );
        let err = f.run(&["build", "{}"]).fails_with(1).stderr();
        assert!(
            err.contains("report/public-report.html") && err.contains(said),
            "{extra}: {err}"
        );
    }
}

#[test]
fn a_holder_whose_name_holds_a_childs_builds_and_check_says_how_the_guard_tells_them_apart() {
    // The holder "Zoë Ní Bhriain-Łukasz" and the child "Zoë Ní Bhriain".
    let f = Folder::example();
    let (_, child) = sampled(&f);
    let f = f
        .edit("population.csv", |t| {
            t.replacen(&format!(",{child},"), ",Zoë Ní Bhriain,", 1)
        })
        .edit("contacts.csv", |t| {
            t.replacen("hv-001,Seán Baird,", "hv-001,Zoë Ní Bhriain-Łukasz,", 1)
                .replacen("Dear Mr Baird", "Dear Ms Ní Bhriain-Łukasz", 1)
        });
    // The population list's workbook prints every holder in a holder's column: it builds.
    f.build();
    assert!(f.path("out/briefing/population-list.xlsx").exists());
    let said = f.run(&["check", "{}"]).ok().stdout();
    // The example's names are drawn from a few Scottish ones: many adults share a child's.
    assert!(
        said.contains("people's names hold a child's name too (")
            && said.contains(" more); a document may print each only as that person, where it names them")
            && said.contains("There is no other way to tell the guard a name is not a child's"),
        "{said}"
    );
    // The child's name, or the holder's, written in the findings is the child's.
    let conclusion = f.read("findings/conclusion.md");
    let mut f = f;
    for name in ["Zoë Ní Bhriain", "Zoë Ní Bhriain-Łukasz"] {
        f = f.write("findings/conclusion.md", &format!("{name} helped us.\n\n{conclusion}"));
        refused(&f, "findings/conclusion.md:1:", "a child's name");
    }
}

#[test]
fn a_child_named_like_the_lead_is_refused_in_the_findings_but_not_in_the_leads_own_contact_details() {
    // The lead, Morag Petrie, is printed in every notice's contacts beside her e-mail
    // ("Morag Petrie morag.petrie@..."), which reads "Petrie morag" across the two.
    let f = Folder::example();
    let (_, child) = sampled(&f);
    let f = f.edit("population.csv", |t| {
        t.replacen(&format!(",{child},"), ",Morag Petrie,", 1)
    });
    f.run(&["issue", "{}", "--date", "2012-12-10"]).ok();
    assert!(f.path("issued/2012-12-10.json").exists());
    let conclusion = f.read("findings/conclusion.md");
    let f = f.write(
        "findings/conclusion.md",
        &format!("Morag Petrie helped us.\n\n{conclusion}"),
    );
    refused(&f, "findings/conclusion.md:1:", "a child's name");
}
