//! Untrusted data stays data; templates see only the bundled assets and the
//! inspection folder; template errors name the template, line and text.

use crate::common::{fold, pdf_text, Folder};
use chrono::NaiveDate;
use proptest::prelude::*;
use scrutiny::render::{Engine, Job};

// A page wide enough that no value wraps: extracted text then has no line
// breaks but the value's own.
const PROBE: &str = r#"#set document(title: "Probe")
#set text(font: "Open Sans", lang: "en", region: "GB", hyphenate: false)
#set page(width: 8000pt, height: auto, margin: 20pt)
BEGIN {{ value }} END

CODE #{{ value|typ }} EDOC
"#;

fn probe_engine() -> (tempfile::TempDir, Engine) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(tmp.path().join("templates/probe.typ"), PROBE).unwrap();
    let engine = Engine::new(Some(tmp.path())).unwrap();
    (tmp, engine)
}

fn probe_job(value: &str) -> Job {
    Job {
        template: "probe.typ",
        output: "probe.pdf".into(),
        context: minijinja::context! { value => value },
        date: NaiveDate::from_ymd_opt(2013, 3, 4).unwrap(),
        published: false,
        fields: None,
        digest: None,
        facts: Default::default(),
    }
}

/// Characters that mean something to Typst or minijinja, line starts that make
/// headings and lists, and letters beyond ASCII.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "#",
        "$",
        "*",
        "_",
        "@",
        "<",
        ">",
        "[",
        "]",
        "\\",
        "`",
        "```",
        "//",
        "/*",
        "*/",
        "=",
        "==",
        "- ",
        "+ ",
        "1. ",
        "/ ",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "\"",
        "'",
        "~",
        "...",
        "--",
        "---",
        "-?",
        "\n",
        "\n= ",
        "\n- ",
        "\n+ ",
        "\n1. ",
        "#let x = 1",
        "#read(\"/etc/passwd\")",
        "$x^2$",
        "<label>",
        "@ref",
        "http://x.org",
        "\\u{41}",
        "a",
        "Zoë",
        "Ó Briain",
        "Ελλάδα",
        "Москва",
        "ß",
        "9",
        " ",
        "&",
        "%",
        "|",
        ";",
        ":",
        "!",
        "?",
    ]);
    prop::collection::vec(pieces, 1..12).prop_map(|v| v.concat())
}

/// The text a reader gets back for a value: what we put in, with the line
/// breaks and runs of spaces that typesetting folds.
fn expected(value: &str) -> String {
    fold(value)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let s = text.find(start).map(|i| i + start.len()).expect("start marker");
    let e = text[s..].find(end).map(|i| s + i).expect("end marker");
    &text[s..e]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_value_prints_literally(value in hostile()) {
        let (_tmp, engine) = probe_engine();
        let pdf = engine.render(&probe_job(&value)).expect("renders").pdf;
        let text = fold(&pdf_text(&pdf));
        prop_assert_eq!(fold(between(&text, "BEGIN", "END")), expected(&value), "markup: {:?}", value);
        prop_assert_eq!(fold(between(&text, "CODE", "EDOC")), expected(&value), "code: {:?}", value);
    }
}

#[test]
fn names_with_markup_print_literally_in_letters() {
    // (A name no child has: a child's name followed by other words is
    // refused in a person's field.)
    let name = "Zoë *O'Rourke* #{1+1} $x$ {{ area }} // not a comment";
    let f = Folder::example().edit("inspection.toml", |t| {
        t.replacen("name = \"Jordan Reid\"", &format!("name = \"{name}\""), 1)
    });
    f.run(&["build", "{}", "--only", "notice"]).ok();
    let text = fold(&f.pdf_text("out/notice/nhs-glenaird-chief-executive.pdf"));
    assert!(text.contains(name), "{text}");
}

#[test]
fn templates_cannot_read_host_files_or_packages() {
    let f = Folder::example().write("templates/notice.typ", "#read(\"/etc/passwd\")\n");
    let err = f.run(&["build", "{}", "--only", "notice"]).fails_with(1).stderr();
    assert!(err.contains("cannot be read by a template"), "{err}");
    assert!(!err.contains("root:"), "{err}");

    let f = Folder::example().write("templates/notice.typ", "#import \"@preview/cetz:0.3.0\": *\n");
    let err = f.run(&["build", "{}", "--only", "notice"]).fails_with(1).stderr();
    assert!(err.contains("not available"), "{err}");
}

#[test]
fn a_typst_error_in_a_users_template_names_its_file_line_and_text() {
    let f = Folder::example().write(
        "templates/notice.typ",
        "#import \"house.typ\": *\nDear {{ salutation }},\n\n#undefined-function(\"x\")\n",
    );
    let err = f.run(&["build", "{}", "--only", "notice"]).fails_with(1).stderr();
    assert!(err.contains("templates/notice.typ:4:"), "{err}");
    assert!(err.contains("undefined-function"), "{err}");
    assert!(err.contains("unknown variable"), "{err}");
    // The folder's own template name is in the message, not the built-in one.
    assert!(
        err.contains(&f.dir.join("templates/notice.typ").display().to_string()),
        "{err}"
    );
}

#[test]
fn a_template_tag_error_names_its_line() {
    let f = Folder::example().write("templates/notice.typ", "Line one\n{{ no_such_value }}\n");
    let err = f.run(&["build", "{}", "--only", "notice"]).fails_with(1).stderr();
    assert!(err.contains("notice.typ"), "{err}");
    assert!(err.contains("notice.typ:2"), "{err}");
    assert!(err.contains("undefined"), "{err}");
}

#[test]
fn a_workspace_house_style_restyles_every_letter() {
    let house = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/house.typ"))
        .unwrap()
        .replace(
            "#let programme = \"Joint inspection of services for children and young people\"",
            "#let programme = \"Restyled by the inspectorate\"",
        );
    let f = Folder::example().write("templates/house.typ", &house);
    f.run(&["build", "{}", "--only", "notice"]).ok();
    let text = fold(&f.pdf_text("out/notice/glenaird-council-chief-executive.pdf"));
    assert!(text.to_uppercase().contains("RESTYLED BY THE INSPECTORATE"), "{text}");
}

#[test]
fn the_built_in_templates_typeset_without_warnings_and_a_users_warnings_are_shown() {
    let f = Folder::example();
    let run = f.build();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    // A workspace template asking for a font that is not bundled is told so.
    let f = f.write(
        "templates/notice.typ",
        "#set document(title: \"T\")\n#set text(font: \"Comic Sans MS\", lang: \"en\", region: \"GB\")\nHello\n",
    );
    let run = f.run(&["build", "{}", "--only", "notice"]).ok();
    assert!(run.stderr().contains("warning: notice/"), "{}", run.stderr());
    assert!(
        run.stderr().contains("unknown font family: comic sans ms"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_typst_error_after_a_loop_is_shown_at_the_templates_own_line() {
    // The loop writes one line per other addressee (four), so the filled-in source
    // has the error on line 8 while the template has it on line 7.
    let f = Folder::example().write(
        "templates/notice.typ",
        "#import \"house.typ\": *\nDear {{ salutation }},\n{% for o in others %}\n- {{ o.name }}\n{% endfor %}\n\nText #undefined-function(\"x\") more\n",
    );
    let err = f.run(&["build", "{}", "--only", "notice"]).fails_with(1).stderr();
    assert!(err.contains("templates/notice.typ:7:7"), "{err}");
    assert!(err.contains("7 │ Text #undefined-function(\"x\") more"), "{err}");
    // The marker sits under the name Typst does not know.
    assert!(err.contains("\n     │       ^^^^^^^^^^^^^^^^^^\n"), "{err}");
}

#[test]
fn the_built_in_templates_can_be_copied_out_and_edited() {
    let f = Folder::example().write("templates/notice.typ", "#set document(title: \"Mine\")\nMine\n");
    let out = f.run(&["templates", "{}"]).ok().stdout();
    assert!(out.contains("kept") && out.contains("notice.typ"), "{out}");
    assert_eq!(
        f.read("templates/notice.typ"),
        "#set document(title: \"Mine\")\nMine\n",
        "never overwritten"
    );
    // The copies are the built-in templates: building with them gives the same letters.
    let f = f.edit("templates/notice.typ", |_| {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/notice.typ")).unwrap()
    });
    // Every document but the archive, which also holds the folder's own templates.
    let documents = |f: &Folder| {
        let m: serde_json::Value = serde_json::from_str(&f.read("out/manifest.json")).unwrap();
        let mut files = m["files"].as_array().unwrap().clone();
        files.retain(|e| e["path"] != "pack/archive.zip");
        // The bytes, not what made them (the copies are inputs of their own).
        for e in &mut files {
            e.as_object_mut().unwrap().remove("inputs");
        }
        files
    };
    f.build();
    let with_copies = documents(&f);
    for entry in std::fs::read_dir(f.path("templates")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    f.build();
    assert_eq!(with_copies, documents(&f));
}

#[test]
fn the_reference_names_every_template_and_its_variables_with_examples() {
    let f = Folder::example();
    f.run(&["templates", "{}"]).ok();
    let reference = f.read("templates/REFERENCE.md");
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            reference.contains(&format!("### {name}")),
            "{name} is not in REFERENCE.md"
        );
    }
    // Variables with their meaning and the worked example's value.
    assert!(
        reference.contains("| `inspection.area` | text | The council area"),
        "{reference}"
    );
    assert!(reference.contains("| `schedule.survey_due` | date | Named persons' survey closes."));
    assert!(reference.contains("| `holder.salutation` | text |"));
    assert!(
        reference.contains("`Dear Mr Paterson`"),
        "an example from the worked example"
    );
    // Filters, with what they give in the worked example.
    assert!(reference.contains("| `day` |") && reference.contains("`Thursday 14 March 2013`"));
    // The house style's named settings.
    assert!(reference.contains("| `brand` | The main colour"));
    // A second run rewrites the reference (it describes this version) but keeps templates.
    let f = f.write("templates/REFERENCE.md", "old");
    f.run(&["templates", "{}"]).ok();
    assert_ne!(f.read("templates/REFERENCE.md"), "old");
}
