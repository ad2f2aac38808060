//! The team rules and the scoping tool: each rule with its message, the
//! tool's PDFs dated for their discussions with the classes read back by
//! poppler, and the proportionate phase listing exactly the areas in doubt.

use crate::common::{fold, poppler_text, words, Folder};

#[test]
fn a_lead_or_depute_linked_to_the_area_is_refused_by_name() {
    let f = Folder::example().edit("inspection.toml", |t| {
        t.replacen("links = []", "links = [\"glenaird \"]", 1)
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("Morag Petrie, the Inspection Lead, is linked to Glenaird"),
        "{err}"
    );
    assert!(err.contains("inspection.toml:"), "located in the file: {err}");
    // A team member may be linked: the example's Ruth Cole is, and it builds.
    let ok = Folder::example();
    assert!(ok.read("inspection.toml").contains("links = [\"Glenaird\"]"));
    ok.run(&["check", "{}"]).ok();
    // The briefing states the independence the data shows, and the readers it counts.
    ok.build();
    let brief = fold(&ok.pdf_text("out/briefing/chief-officers.pdf"));
    assert!(
        brief.contains("Neither the Inspection Lead nor the Depute Lead has"),
        "{brief}"
    );
    assert!(brief.contains("Six members of the team will read records"), "{brief}");
    assert!(brief.contains("Ruth Cole") && brief.contains("Neil Forsyth"));
}

#[test]
fn a_sample_too_big_for_the_team_says_how_many_readers_it_needs() {
    // Two readers leave: four read 88 children at 3 a day over 5 days, who need 6.
    let f = Folder::example().edit("inspection.toml", |t| {
        t.replace(
            "role = \"Associate Inspector\"\n\n[[team]]\nname = \"Karen Dunlop\"",
            "role = \"Associate Inspector\"\nreads_records = false\n\n[[team]]\nname = \"Karen Dunlop\"",
        )
        .replace("reads_records = true", "reads_records = false")
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("the sample of 88 children needs 6 readers at 3 a day over 5 days; the team has 4"),
        "{err}"
    );
    assert!(err.contains("add 2 readers"), "{err}");
    // Without per_reader_day, check only says what the sample needs.
    let g = Folder::example().edit("inspection.toml", |t| {
        t.lines()
            .filter(|l| !l.starts_with("per_reader_day"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let out = g.run(&["check", "{}"]).ok().stdout();
    assert!(
        out.contains("needs 6 readers at 3 a day over 5 days; the team has 6"),
        "{out}"
    );
}

#[test]
fn the_scoping_tools_rules_name_the_area_and_key() {
    let f = Folder::example().edit("scoping.toml", |t| {
        t.replacen(
            "phase_two = \"uncertainty\"\nphase_three = \"no_significant_concerns\"",
            "phase_three = \"no_significant_concerns\"",
            1,
        )
        .replacen("activities = [\"team_focus_groups\", \"observations\"]", "", 1)
        .replacen(
            "phase_one = \"no_significant_concerns\"",
            "phase_one = \"no_significant_concern\"",
            1,
        )
    });
    let err = f.run(&["check", "{}"]).fails_with(1).stderr();
    assert!(err.contains("scoping.toml:"), "{err}");
    assert!(err.contains("did you mean `no_significant_concerns`"), "{err}");
    let g = Folder::example().edit("scoping.toml", |t| {
        t.replacen(
            "phase_two = \"uncertainty\"\nphase_three = \"no_significant_concerns\"",
            "phase_three = \"no_significant_concerns\"",
            1,
        )
        .replacen("activities = [\"team_focus_groups\", \"observations\"]", "", 1)
        .replace("evidence =", "evidnce =")
    });
    let err = g.run(&["check", "{}"]).fails_with(1).stderr();
    for needle in [
        "area 1 (1.1 Improvements in the wellbeing of children and young people) has phase_three but no phase_two",
        "area 4 (5.2 Assessing and responding to risks and needs) is still classed concern but has no activities for the core phase",
        "unknown key `evidnce`",
    ] {
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
}

#[test]
fn the_scoping_tool_is_dated_for_each_discussion_and_the_plan_follows_from_it() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "scoping"]).ok();
    let s = f.schedule();
    let scoping: toml::Value = toml::from_str(&f.read("scoping.toml")).unwrap();
    let areas = scoping["areas"].as_array().unwrap();
    for (n, key) in [(1, "discussion_one"), (2, "discussion_two"), (3, "discussion_three")] {
        let path = f.path(&format!("out/scoping/scoping-tool-{n}.pdf"));
        let text = fold(&poppler_text(&path));
        let date = words(s[key].as_str().unwrap());
        assert!(
            text.contains("Professional discussion on") && text.contains(&date),
            "tool {n} is dated {date}:\n{text}"
        );
        // The phases shown: up to this one.
        for (p, label) in [
            (1, "Scoping phase one"),
            (2, "Scoping phase two"),
            (3, "Scoping phase three"),
        ] {
            assert_eq!(text.contains(label), p <= n, "tool {n}, {label}");
        }
        // The classes at this phase, counted as the file gives them.
        let phase = ["phase_one", "phase_two", "phase_three"][n - 1];
        let concerns = areas.iter().filter(|a| a[phase].as_str() == Some("concern")).count();
        match concerns {
            0 => assert!(!text.contains("of concern"), "tool {n} names no concern:\n{text}"),
            1 => assert!(text.contains("and one area of concern."), "tool {n}:\n{text}"),
            k => panic!("the example has {k} concerns at one phase"),
        }
        assert_eq!(
            text.contains("Targeted scrutiny proposed"),
            n == 3,
            "only the latest tool proposes"
        );
        // Evidence is listed from the phase that brings it: records from phase three,
        // the survey from phase two.
        assert_eq!(text.contains("Records reading"), n == 3, "tool {n}: records");
        assert_eq!(text.contains("Survey of named persons"), n >= 2, "tool {n}: survey");
    }
    // The proportionate phase: exactly the areas whose latest class is not "no significant concerns".
    let plan = fold(&poppler_text(&f.path("out/scoping/proportionate-phase.pdf")));
    let (targeted, standard) = plan.split_once("Areas needing the core activities only").unwrap();
    for a in areas {
        let title = a["title"].as_str().unwrap();
        let doubt = a["phase_three"].as_str() != Some("no_significant_concerns");
        assert_eq!(targeted.contains(title), doubt, "{title} targeted");
        assert_eq!(standard.contains(title), !doubt, "{title} standard");
    }
    assert!(
        targeted.contains("observations of groups or key processes")
            || targeted.contains("Observations of groups or key processes")
    );
    let core = words(s["core"]["start"].as_str().unwrap());
    assert!(plan.contains(&core), "{plan}");
    // A folder without scoping.toml makes no scoping folder, and check says why.
    let g = Folder::example();
    std::fs::remove_file(g.path("scoping.toml")).unwrap();
    let out = g.run(&["check", "{}"]).ok().stdout();
    assert!(out.contains("scoping (needs scoping.toml)"), "{out}");
}

#[test]
fn each_phase_of_the_tool_gives_its_own_rationale_and_carries_a_class_it_does_not_set() {
    let f = Folder::example();
    f.run(&["build", "{}", "--only", "scoping"]).ok();
    let tool = |n: usize| fold(&poppler_text(&f.path(&format!("out/scoping/scoping-tool-{n}.pdf"))));
    let scoping: toml::Value = toml::from_str(&f.read("scoping.toml")).unwrap();
    let area = &scoping["areas"][0];
    let words_of = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = |n: usize| words_of(&tool(n));
    // Tool n shows phase n's rationale and none of a later phase's: the tool
    // for the first discussion says nothing of the records reading.
    for (n, key) in [(1, "rationale"), (2, "rationale_two"), (3, "rationale_three")] {
        let own = area[key].as_str().unwrap().replace('\'', "’");
        let own = own.split_whitespace().take(5).collect::<Vec<_>>().join(" ");
        for m in 1..=3 {
            let shown = flat(m).contains(&own);
            assert_eq!(shown, m == n, "tool {m} and the {key} of area 1.1");
        }
    }
    assert!(!flat(1).contains("records reading found"), "{}", flat(1));
    assert!(flat(1).contains("Uncertainty"));
    // A phase without a class of its own carries the class before it, never "Not classed".
    let g = Folder::example().edit("scoping.toml", |t| {
        t.replacen("phase_three = \"uncertainty\"\nrationale", "rationale", 1)
    });
    g.run(&["build", "{}", "--only", "scoping"]).ok();
    let three = words_of(&fold(&poppler_text(&g.path("out/scoping/scoping-tool-3.pdf"))));
    assert!(three.contains("Uncertainty, no change since phase two"), "{three}");
    assert!(!three.contains("Not classed"), "{three}");
    // A later phase repeating an earlier rationale word for word is a warning.
    let h = Folder::example().edit("scoping.toml", |t| {
        let first = t.lines().find(|l| l.starts_with("rationale = ")).unwrap().to_owned();
        let again = first.replacen("rationale = ", "rationale_two = ", 1);
        let two = t
            .lines()
            .find(|l| l.starts_with("rationale_two = "))
            .unwrap()
            .to_owned();
        t.replacen(&two, &again, 1)
    });
    let out = h.run(&["check", "{}"]).ok();
    let said = out.stdout() + &out.stderr();
    assert!(
        said.contains("area 1 (1.1 Improvements in the wellbeing of children and young people): rationale_two repeats rationale word for word"),
        "{said}"
    );
    let clean = f.run(&["check", "{}"]).ok();
    assert!(!(clean.stdout() + &clean.stderr()).contains("word for word"));
}

#[test]
fn an_indicator_titled_otherwise_than_in_the_framework_is_a_warning_at_its_line() {
    // The worked example names every indicator as the 2012 framework does.
    let f = Folder::example();
    let clean = f.run(&["check", "{}"]).ok();
    assert!(
        !(clean.stdout() + &clean.stderr()).contains("2012 framework"),
        "{}",
        clean.stderr()
    );
    // The titles the example once had: 5.2 in the singular, 6.1 made up of the
    // framework's heading, 9.1 under another name, in findings.toml and scoping.toml.
    let g = Folder::example()
        .edit("findings/findings.toml", |t| {
            t.replacen(
                "\"Assessing and responding to risks and needs\"",
                "\"Assessing and responding to risk and need\"",
                1,
            )
            .replacen("\"Vision, values and aims\"", "\"Leadership and direction\"", 1)
        })
        .edit("scoping.toml", |t| {
            t.replacen(
                "\"Policies, procedures and legal measures\"",
                "\"Policies, service development and planning\"",
                1,
            )
        });
    let line_of = |file: &str, needle: &str| g.read(file).lines().position(|l| l.contains(needle)).unwrap() + 1;
    let out = g.run(&["check", "{}"]).ok();
    let said = out.stdout() + &out.stderr();
    for (file, needle, qi, framework) in [
        (
            "findings/findings.toml",
            "risk and need\"",
            "5.2",
            "Assessing and responding to risks and needs",
        ),
        (
            "findings/findings.toml",
            "\"Leadership and direction\"",
            "9.1",
            "Vision, values and aims",
        ),
        (
            "scoping.toml",
            "service development",
            "6.1",
            "Policies, procedures and legal measures",
        ),
    ] {
        let at = format!("{file}:{}:", line_of(file, needle));
        let line = said
            .lines()
            .find(|l| l.contains(&at))
            .unwrap_or_else(|| panic!("no warning at {at}: {said}"));
        assert!(line.starts_with("warning:"), "{line}");
        assert!(
            line.contains(&format!("{qi} is \"{framework}\" in the 2012 framework")),
            "{line}"
        );
    }
}
