//! The disclosure guard, tried as writers type and as an attacker would: every
//! disguise of a sampled child's name or case reference is refused at its file
//! and line, or published harmlessly; nothing is written.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

use crate::common::{pdf_text, Folder};
use crate::disguise::{disguise, png_saying, toml_string, Place, Rng};

/// A child of the worked example's sample: (case reference, name).
fn sampled(f: &Folder) -> (String, String) {
    let ws = scrutiny::workspace::Workspace::load(&f.dir).unwrap();
    let c = &ws.sample.children[0];
    (c.case_ref.clone(), c.name.clone().expect("the example has names"))
}

/// The example with its first sampled child renamed `name`.
fn renamed(name: &str) -> (Folder, String) {
    let f = Folder::example();
    let (case_ref, old) = sampled(&f);
    let f = f.edit("population.csv", |t| {
        t.replacen(&format!(",{old},"), &format!(",{name},"), 1)
    });
    (f, case_ref)
}

/// Adds a paragraph to question 1; its line number.
fn add_paragraph(f: &Folder, text: &str) -> usize {
    let rel = "findings/question-1.md";
    let old = f.read(rel);
    fs::write(f.path(rel), format!("{old}\n{text}\n")).unwrap();
    old.lines().count() + 2
}

/// Asserts that `build` refuses at `place` and names what it found, and that
/// `check` says the same.
fn refused(f: &Folder, place: &str, what: &str) -> String {
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains(place) && err.contains(what),
        "expected {place} and {what} in:\n{err}"
    );
    assert!(!f.path("out").exists(), "nothing written");
    let check = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        check.contains(place) && check.contains(what),
        "check says otherwise:\n{check}"
    );
    err
}

#[test]
fn names_typed_as_word_types_them_or_hidden_in_invisible_characters_are_refused() {
    for (name, typed) in [
        ("Gemma O'Neill", "Gemma O\u{2019}Neill"),
        ("Gemma O'Neill", "Gem\u{00AD}ma O'Neill"),
        ("Gemma O'Neill", "Gem\u{200B}ma O'Neill"),
        ("Gemma O'Neill", "Gemma O'Ne\u{2060}ill"),
        ("Zoë Campbell", "Zoe\u{0308} Campbell"),
        ("Zoë Campbell", "Zoe Campbell"),
        ("Gemma O'Neill", "Gemm\u{0430} O'Neill"),
        ("Eilidh Sinclair", "Eil*id*h Sinclair"),
        ("Eilidh Sinclair", "Eilidh\nSinclair"),
        ("Eilidh Sinclair", "E&#105;lidh Sinclair"),
    ] {
        let (f, _) = renamed(name);
        let line = add_paragraph(&f, &format!("We met {typed} at home."));
        refused(&f, &format!("findings/question-1.md:{line}:8"), "a child's name");
    }
}

#[test]
fn case_references_with_emphasis_invisible_characters_or_no_hyphen_are_refused() {
    let f = Folder::example();
    let (case_ref, _) = sampled(&f);
    let (prefix, digits) = case_ref.split_once('-').unwrap();
    for typed in [
        format!("{prefix}-{}**{}**{}", &digits[..1], &digits[1..3], &digits[3..]),
        format!("{prefix}\u{200B}-{digits}"),
        format!("{prefix}{digits}"),
        format!("{prefix}\u{2011}{digits}"),
    ] {
        let f = Folder::example();
        let line = add_paragraph(&f, &format!("See {typed}."));
        refused(&f, &format!("findings/question-1.md:{line}:5"), "case reference");
    }
}

#[test]
fn an_identifier_in_a_percent_encoded_link_or_a_toml_escape_is_refused() {
    let (f, _) = renamed("Eilidh Sinclair");
    let line = add_paragraph(&f, "See [the page](https://example.org/?who=Eilidh%20Sinclair).");
    refused(&f, &format!("findings/question-1.md:{line}:"), "a child's name");

    let (f, _) = renamed("Eilidh Sinclair");
    let f = f.edit("findings/findings.toml", |t| {
        format!("{t}\n[[strengths]]\ntext = \"Work with \\u0045ilidh Sinclair.\"\n")
    });
    let line = f.read("findings/findings.toml").lines().count();
    refused(&f, &format!("findings/findings.toml:{line}:"), "a child's name");
}

#[test]
fn links_other_than_web_and_mail_are_refused_at_their_line() {
    for link in [
        "javascript:alert(1)",
        "data:text/html,hi",
        "vbscript:msgbox",
        "java%0ascript:x",
        "file:///etc/passwd",
    ] {
        let f = Folder::example();
        let line = add_paragraph(&f, &format!("Read [this]({link})."));
        let err = f.run(&["check", "{}"]).fails_with(1).stderr();
        assert!(
            err.contains(&format!("findings/question-1.md:{line}:6")) && err.contains("not a web or e-mail address"),
            "{link}: {err}"
        );
    }
}

/// A picture placed in question 1.
fn with_picture(f: Folder, file: &str, bytes: &[u8]) -> (Folder, usize) {
    fs::create_dir_all(f.path("findings/images")).unwrap();
    fs::write(f.path(&format!("findings/images/{file}")), bytes).unwrap();
    let line = add_paragraph(&f, &format!("![A drawing of the family centre](images/{file})"));
    (f, line)
}

#[test]
fn a_childs_name_in_a_pictures_metadata_or_an_svgs_text_is_refused() {
    let (f, _) = renamed("Eilidh Sinclair");
    let (f, line) = with_picture(f, "photo.png", &png_saying("Eilidh Sinclair at the centre"));
    refused(
        &f,
        &format!("findings/question-1.md:{line}:1"),
        "in the picture findings/images/photo.png",
    );

    let (f, case_ref) = renamed("Eilidh Sinclair");
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>x</title><text x="1" y="5">{case_ref}</text></svg>"#
    );
    let (f, line) = with_picture(f, "chart.svg", svg.as_bytes());
    refused(&f, &format!("findings/question-1.md:{line}:1"), "case reference");
}

#[test]
fn pictures_are_published_without_their_metadata() {
    let (f, line) = with_picture(
        Folder::example(),
        "photo.png",
        &png_saying("Taken by camera XJ-9 in Glenaird"),
    );
    let _ = line;
    f.build();
    let html = f.read("out/report/public-report.html");
    let start = html.find("data:image/png;base64,").expect("the picture is embedded") + 22;
    let end = start + html[start..].find('"').unwrap();
    use base64::Engine as _;
    let png = base64::engine::general_purpose::STANDARD
        .decode(&html[start..end])
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert!(
        !String::from_utf8_lossy(&png).contains("camera XJ-9"),
        "metadata stripped"
    );
    let pdf = fs::read(f.path("out/report/public-report.pdf")).unwrap();
    assert!(!String::from_utf8_lossy(&pdf).contains("camera XJ-9"));
}

#[test]
fn an_svg_that_refers_outside_itself_is_refused() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="../../population.csv"/></svg>"#;
    let (f, line) = with_picture(Folder::example(), "chart.svg", svg.as_bytes());
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains(&format!("findings/question-1.md:{line}:1")) && err.contains("outside itself"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_folder_and_loops_are_refused_by_check_and_build() {
    use std::os::unix::fs::symlink;
    // A template that is /etc/passwd.
    let f = Folder::example();
    fs::create_dir_all(f.path("templates")).unwrap();
    symlink("/etc/passwd", f.path("templates/public-report.typ")).unwrap();
    refused(&f, "templates/public-report.typ", "outside the inspection folder");

    // A picture that is population.csv, through a link.
    let f = Folder::example();
    fs::create_dir_all(f.path("findings/images")).unwrap();
    let outside = f.dir.parent().unwrap().join("elsewhere.png");
    fs::copy(f.path("population.csv"), &outside).unwrap();
    symlink(&outside, f.path("findings/images/family.png")).unwrap();
    add_paragraph(&f, "![A family](images/family.png)");
    refused(&f, "findings/images/family.png", "outside the inspection folder");

    // A loop: refused at once, not walked for minutes.
    let f = Folder::example();
    fs::create_dir_all(f.path("templates/a")).unwrap();
    symlink(f.path("templates"), f.path("templates/a/loop")).unwrap();
    let start = std::time::Instant::now();
    refused(&f, "templates/a/loop", "link to a folder");
    assert!(start.elapsed().as_secs() < 20);
}

#[cfg(unix)]
#[test]
fn scrutiny_templates_never_writes_through_a_link() {
    let f = Folder::example();
    fs::create_dir_all(f.path("templates")).unwrap();
    let victim = f.dir.parent().unwrap().join("victim.txt");
    std::os::unix::fs::symlink(&victim, f.path("templates/notice.typ")).unwrap();
    let err = f.run(&["templates", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("notice.typ") && err.contains("never writes through a link"),
        "{err}"
    );
    assert!(!victim.exists(), "nothing written outside the folder");
    assert!(!f.path("templates/house.typ").exists(), "nothing written at all");
}

/// A template override of the record of findings with `extra` added at its end.
fn record_template_with(f: Folder, extra: &str) -> Folder {
    let template =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/record-of-findings.typ")).unwrap();
    f.write("templates/record-of-findings.typ", &format!("{template}\n{extra}\n"))
}

#[test]
fn a_template_that_spells_a_name_is_stopped_where_it_is_written() {
    for extra in [
        "Eil*idh* Sinclair",
        "E-i-l-i-d-h Sinclair",
        "#strong[Eilidh] Sinclair",
        "#set document(title: \"Sinclair, Eilidh\")",
        "#(\"Eil\" + \"idh\") #(\"Sin\" + \"clair\")",
    ] {
        let (f, _) = renamed("Eilidh Sinclair");
        let f = record_template_with(f, extra);
        let err = f.run(&["build", "{}"]).fails_with(1).stderr();
        assert!(
            err.contains("templates/record-of-findings.typ:") && err.contains("a child's name is written here"),
            "{extra}: {err}"
        );
        assert!(!f.path("out").exists(), "nothing written");
    }
}

/// The first letter of "Eilidh", made by the template: no text of the
/// template spells the name, so only the published output shows it.
const E: &str = "#str.from-unicode(69)";

#[test]
fn a_template_that_prints_a_name_split_by_style_or_a_page_break_is_stopped() {
    for extra in [
        "XXilidh Sinclair",
        "XXil#emph[id]h Sinclair",
        "XXilidh #pagebreak() Sinclair",
        "#text(size: 1pt)[XXilidh] #text(fill: white)[Sinclair]",
        "#set document(title: YY + \"ilidh Sinclair\")",
        "#link(\"https://example.org/\" + YY + \"ilidh%20Sinclair\")[a site]",
        "#image(\"/findings/images/x.svg\", alt: YY + \"ilidh Sinclair\")",
    ] {
        // In markup the template's letter is a call; in code, an expression.
        let extra = &extra.replace("XX", E).replace("YY", &E[1..]);
        let (f, _) = renamed("Eilidh Sinclair");
        fs::create_dir_all(f.path("findings/images")).unwrap();
        fs::write(
            f.path("findings/images/x.svg"),
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>"#,
        )
        .unwrap();
        let f = record_template_with(f, extra);
        let err = f.run(&["build", "{}"]).fails_with(1).stderr();
        assert!(
            err.contains("report/record-of-findings.pdf") && err.contains("a child's name is printed"),
            "{extra}: {err}"
        );
        assert!(!f.path("out").exists(), "nothing written");
    }
}

#[test]
fn a_template_link_to_a_script_is_stopped() {
    let f = record_template_with(Folder::example(), "#link(\"javascript:alert(1)\")[click]");
    let err = f.run(&["build", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("report/record-of-findings.pdf") && err.contains("not a web or e-mail address"),
        "{err}"
    );
}

#[test]
fn the_example_publishes_with_no_child_in_any_published_file() {
    let f = Folder::example();
    let (case_ref, name) = sampled(&f);
    f.build();
    let text = pdf_text(&fs::read(f.path("out/report/public-report.pdf")).unwrap());
    assert!(text.contains("How we conducted the inspection"));
    for rel in [
        "report/public-report.pdf",
        "report/record-of-findings.pdf",
        "report/public-report.html",
    ] {
        let bytes = fs::read(f.path("out").join(rel)).unwrap();
        let reading = scrutiny::guard::published::read(rel, &bytes, None);
        for (_, t) in &reading.texts {
            let t = scrutiny::guard::fold::fold(t);
            assert!(!t.contains(&scrutiny::guard::fold::fold(&name)), "{rel}");
            assert!(!t.contains(&scrutiny::guard::fold::fold(&case_ref)), "{rel}");
        }
    }
}

/// Puts `id`, disguised, at `place` in the example's findings.
fn plant(f: &Folder, id: &str, place: Place, rng: &mut Rng) {
    match place {
        Place::Markdown => {
            add_paragraph(f, &format!("We read about {} in May.", disguise(id, rng, true)));
        }
        Place::Toml => {
            let text = toml_string(&format!("Support for {} was good.", disguise(id, rng, false)), rng);
            let toml = f.read("findings/findings.toml");
            fs::write(
                f.path("findings/findings.toml"),
                format!("{toml}\n[[strengths]]\ntext = {text}\n"),
            )
            .unwrap();
        }
        Place::Picture => {
            fs::create_dir_all(f.path("findings/images")).unwrap();
            fs::write(f.path("findings/images/p.png"), png_saying(&disguise(id, rng, false))).unwrap();
            add_paragraph(f, "![A drawing made at the centre](images/p.png)");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// A sampled child's name or reference, disguised at random and placed at
    /// random in the Markdown, the TOML or a picture's metadata: the build refuses.
    #[test]
    fn any_disguise_anywhere_is_refused(seed in any::<u64>(), child in 0usize..20, use_name in any::<bool>()) {
        let f = Folder::example();
        let ws = scrutiny::workspace::Workspace::load(&f.dir).unwrap();
        let c = &ws.sample.children[child % ws.sample.children.len()];
        let id = if use_name { c.name.clone().unwrap() } else { c.case_ref.clone() };
        let mut rng = Rng::new(seed);
        let place = rng.place();
        plant(&f, &id, place, &mut rng);
        let Err(err) = scrutiny::build::build(&f.dir, &Default::default()) else {
            return Err(TestCaseError::fail(format!("{id:?} at {place:?}: the build did not refuse")));
        };
        let found = err.problems().iter().any(|p| p.message.contains("a child's"));
        prop_assert!(found, "{id:?} at {place:?} was not found: {err} {:?}", err.problems());
        prop_assert!(!f.path("out").exists());
    }
}
