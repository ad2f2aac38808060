//! The programme: many inspection folders side by side (`fixtures/programme`:
//! three folders made from the worked example), their key dates as one
//! timeline, the clashes a programme manager must see, named with the people,
//! areas and dates, and the programme's documents read by other software.

use std::collections::BTreeMap;
use std::fs;

use crate::common::{pdf_facts, pdf_text, poppler_text, python_with_icalendar, qpdf_check, Folder};

const FOLDERS: [&str; 3] = ["glenaird", "eastmoor", "kinloch"];

fn programme() -> Folder {
    Folder::fixture("programme")
}

/// The fixture with one inspector (Ruth Cole) on site in Glenaird and
/// Eastmoor in overlapping weeks, and one (Peter Moffat) on site in Kinloch
/// on days away: the others of Eastmoor's team are people of its own.
fn planted() -> Folder {
    let f = programme().set_in("eastmoor/inspection.toml", "commencement", "2013-03-11");
    let f = f.edit("eastmoor/inspection.toml", |t| {
        t.replace("name = \"Morag Petrie\"", "name = \"Helen Ross\"")
            .replace("name = \"Dr Anwar Siddiqui\"", "name = \"Dr Omar Khan\"")
            .replace("name = \"Karen Dunlop\"", "name = \"Lesley Watt\"")
            .replace("name = \"Neil Forsyth\"", "name = \"Euan Bain\"")
    });
    f.edit("programme.toml", |t| {
        t + "\n[[away]]\nname = \"Peter Moffat\"\nfrom = 2013-09-16\nto = 2013-09-20\n"
    })
}

#[test]
fn the_timeline_gives_every_inspections_key_dates_as_its_own_schedule_has_them() {
    let f = programme();
    let run = f.run(&["programme", "{}"]).ok();
    assert_eq!(run.stderr(), "", "nothing is flagged in the fixture");
    let out = run.stdout();
    for (reference, area) in [
        ("JI-2013-07", "Glenaird"),
        ("JI-2013-09", "Eastmoor"),
        ("JI-2013-11", "Kinloch"),
    ] {
        assert!(out.contains(&format!("{reference} {area}")), "{out}");
    }
    assert!(out.contains("Mon 13 May 2013 to Wed 15 May 2013  phase_two"), "{out}");

    let json: serde_json::Value = serde_json::from_str(&f.run(&["programme", "{}", "--json"]).ok().stdout()).unwrap();
    assert_eq!(json["name"], "Joint inspections of services for children 2013-14");
    assert_eq!(json["clashes"], serde_json::json!([]));
    let rows = json["inspections"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for row in rows {
        let folder = row["folder"].as_str().unwrap();
        let own: serde_json::Value = serde_json::from_str(
            &f.run(&["schedule", &f.path(folder).to_string_lossy(), "--json"])
                .ok()
                .stdout(),
        )
        .unwrap();
        for key in [
            "notification",
            "briefings",
            "phase_two",
            "phase_three",
            "core",
            "report_for_comment",
            "publication",
            "action_plan_due",
        ] {
            assert_eq!(row["dates"][key], own[key], "{folder} {key}");
        }
    }
    assert_eq!(rows[2]["report"], "draft");
}

#[test]
fn a_planted_overlap_and_a_day_away_are_named_with_people_areas_and_dates_and_nothing_else() {
    let f = planted();
    let run = f.run(&["programme", "{}"]).fails_with(1);
    let err = run.stderr();
    assert!(err.contains("the programme has 2 clashes"), "{err}");
    assert!(
        err.contains(
            "Ruth Cole is on site in Glenaird (JI-2013-07) and in Eastmoor (JI-2013-09) on 8 working days, \
             Mon 11 Mar 2013 to Wed 20 Mar 2013"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "programme.toml:15: Peter Moffat is away from Mon 16 Sep 2013 to Fri 20 Sep 2013 but on site in \
             Kinloch (JI-2013-11) on 5 working days, Mon 16 Sep 2013 to Fri 20 Sep 2013"
        ),
        "{err}"
    );
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(
        err.matches(" is on site in ").count() + err.matches(" is away from ").count(),
        2,
        "{err}"
    );
    // The timeline is still printed: it is what the manager resolves them with.
    assert!(run.stdout().contains("JI-2013-09 Eastmoor"));

    let json: serde_json::Value =
        serde_json::from_str(&f.run(&["programme", "{}", "--json"]).fails_with(1).stdout()).unwrap();
    let clashes = json["clashes"].as_array().unwrap();
    assert_eq!(clashes.len(), 2, "{clashes:#?}");
    assert_eq!(clashes[0]["kind"], "on_site");
    assert_eq!(clashes[0]["people"], serde_json::json!(["Ruth Cole"]));
    assert_eq!(clashes[0]["inspections"], serde_json::json!(["glenaird", "eastmoor"]));
    assert_eq!(clashes[0]["dates"][0], "2013-03-11");
    assert_eq!(clashes[1]["kind"], "away");
    assert_eq!(clashes[1]["people"], serde_json::json!(["Peter Moffat"]));
}

#[test]
fn spacing_quarters_and_a_link_in_another_folder_are_flagged_where_the_programme_asks() {
    // Notices 46 working days apart, against a spacing of 60: a warning.
    let f = programme().set_in("programme.toml", "spacing_days", "60");
    let f = f.set_in("programme.toml", "quarter_days", "12");
    let run = f.run(&["programme", "{}"]).ok();
    let err = run.stderr();
    assert!(
        err.contains(
            "warning: programme.toml:8: the notices of Glenaird (JI-2013-07) and Eastmoor (JI-2013-09) are \
             46 working days apart (Mon 10 Dec 2012 and Mon 18 Feb 2013); the programme asks for 60 working days between them"
        ),
        "{err}"
    );
    assert!(
        err.contains("warning: programme.toml:7: Ruth Cole is on site 13 working days in January to March 2013"),
        "{err}"
    );
    // A lead whose links another folder gives: an error naming both.
    let f = programme()
        .edit("eastmoor/inspection.toml", |t| {
            t.replacen("name = \"Alison Grant\"", "name = \"Peter Moffat\"", 1)
        })
        .edit("kinloch/inspection.toml", |t| {
            t.replace(
                "name = \"Peter Moffat\"\n",
                "name = \"Peter Moffat\"\nlinks = [\"eastmoor\"]\n",
            )
        });
    let err = f.run(&["programme", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains(
            "Peter Moffat is the Inspection Lead of Eastmoor (JI-2013-09), but kinloch/inspection.toml gives \
             Eastmoor among their links"
        ),
        "{err}"
    );
}

#[test]
fn a_folders_problem_is_named_with_the_folder_its_file_and_line() {
    let f = programme().edit("eastmoor/inspection.toml", |t| {
        t.replacen("area = ", "colour = \"red\"\narea = ", 1)
    });
    let err = f.run(&["programme", "{}"]).fails_with(1).stderr();
    assert!(
        err.contains("1 inspection of the programme has problems (eastmoor)"),
        "{err}"
    );
    assert!(
        err.contains("eastmoor/inspection.toml:6:1: unknown key `colour`"),
        "{err}"
    );
    let f = programme().edit("programme.toml", |t| {
        t.replace(
            "inspections = [\"glenaird\", \"eastmoor\", \"kinloch\"]",
            "inspections = [\"glenaird\", \"westmoor\"]\nspaceing = 3",
        )
    });
    let err = f.run(&["programme", "{}"]).fails_with(1).stderr();
    assert!(err.contains("programme.toml:7:1: unknown key `spaceing`"), "{err}");
    assert!(err.contains("programme.toml:6: \"westmoor\" is not a folder"), "{err}");
    // Without `inspections`, every sub-folder holding an inspection.toml.
    let f = programme().edit("programme.toml", |t| {
        t.replace("inspections = [\"glenaird\", \"eastmoor\", \"kinloch\"]\n", "")
    });
    let json: serde_json::Value = serde_json::from_str(&f.run(&["programme", "{}", "--json"]).ok().stdout()).unwrap();
    assert_eq!(json["inspections"].as_array().unwrap().len(), 3);
}

/// Each event of a calendar as Python's icalendar reads it: UID -> [start, end (exclusive), summary].
fn events(path: &std::path::Path) -> BTreeMap<String, (String, String, String)> {
    let out = python_with_icalendar(
        r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for e in cal.walk('VEVENT'):
    out.append([str(e['UID']), e.decoded('DTSTART').isoformat(), e.decoded('DTEND').isoformat(), str(e['SUMMARY'])])
print(json.dumps(out))
"#,
        &[&path.to_string_lossy()],
    );
    let list: Vec<(String, String, String, String)> = serde_json::from_str(&out).unwrap();
    let mut map = BTreeMap::new();
    for (uid, s, e, summary) in list {
        assert!(map.insert(uid.clone(), (s, e, summary)).is_none(), "{uid} twice");
    }
    map
}

#[test]
fn the_calendars_parse_and_each_inspector_has_their_own_on_site_days() {
    let f = programme();
    let ics = f.run(&["programme", "{}", "--ics"]).ok().stdout();
    fs::write(f.path("programme-stdout.ics"), &ics).unwrap();
    let all = events(&f.path("programme-stdout.ics"));
    assert_eq!(all.len(), 3 * 8, "eight key dates of three inspections");
    assert_eq!(
        all["core@JI-2013-09"],
        (
            "2013-05-23".into(),
            "2013-05-31".into(),
            "Core phase (JI-2013-09 Eastmoor)".into()
        )
    );
    f.run(&["programme", "build", "{}", "--date", "2013-05-20"]).ok();
    assert_eq!(fs::read_to_string(f.path("out/programme.ics")).unwrap(), ics);
    // Alison Grant leads Eastmoor and Kinloch: their three on-site phases each, nothing else.
    let alison = events(&f.path("out/calendars/alison-grant.ics"));
    let uids: Vec<&str> = alison.keys().map(String::as_str).collect();
    assert_eq!(
        uids,
        [
            "core@JI-2013-09",
            "core@JI-2013-11",
            "phase_three@JI-2013-09",
            "phase_three@JI-2013-11",
            "phase_two@JI-2013-09",
            "phase_two@JI-2013-11"
        ]
    );
    assert_eq!(alison["phase_two@JI-2013-11"].0, "2013-09-09");
    let ruth = events(&f.path("out/calendars/ruth-cole.ics"));
    assert_eq!(ruth.len(), 9, "Ruth Cole is in all three teams");
    let said = f
        .run(&["programme", "{}", "--ics", "--inspector", "Alison Grant"])
        .ok()
        .stdout();
    assert_eq!(
        said,
        fs::read_to_string(f.path("out/calendars/alison-grant.ics")).unwrap()
    );
}

/// The counts a reader computes from the folders' own files: for each
/// indicator, the areas at each evaluation, of the final (published) folders.
fn counts_from_findings(f: &Folder, status: &str) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for folder in FOLDERS {
        let findings: toml::Value = toml::from_str(&f.read(&format!("{folder}/findings/findings.toml"))).unwrap();
        if findings["status"].as_str() != Some(status) {
            continue;
        }
        for e in findings["evaluations"].as_array().unwrap() {
            *out.entry(e["qi"].as_str().unwrap().to_string())
                .or_default()
                .entry(e["evaluation"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    out
}

/// The review page's table of `caption` as read from the HTML: QI -> its cells.
fn table_rows(html: &str, caption: &str) -> BTreeMap<String, Vec<String>> {
    let start = html.find(caption).unwrap_or_else(|| panic!("no table {caption}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let mut rows = BTreeMap::new();
    for row in table.split("<tr>").skip(2) {
        let cells: Vec<String> = row
            .split(['<', '>'])
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, t)| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        rows.insert(cells[0].clone(), cells[1..].to_vec());
    }
    rows
}

#[test]
fn the_reviews_counts_and_totals_are_those_of_the_folders_own_files() {
    let f = programme();
    f.run(&["programme", "build", "{}", "--date", "2013-05-20"]).ok();
    let html = f.read("out/review.html");
    let scale = ["excellent", "very good", "good", "adequate", "weak", "unsatisfactory"];
    for (status, caption) in [
        ("final", "Published inspections: areas at each point of the scale"),
        ("draft", "Inspections in draft: areas at each point of the scale"),
    ] {
        let expected = counts_from_findings(&f, status);
        let rows = table_rows(&html, caption);
        assert_eq!(rows.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
        for (qi, by_grade) in &expected {
            let cells = &rows[qi];
            for (k, grade) in scale.iter().enumerate() {
                assert_eq!(
                    cells[1 + k],
                    by_grade.get(*grade).copied().unwrap_or(0).to_string(),
                    "{qi} {grade}"
                );
            }
            let areas: usize = by_grade.values().sum();
            assert_eq!(cells[7], areas.to_string(), "{qi}");
            let good: usize = ["excellent", "very good", "good"]
                .iter()
                .filter_map(|g| by_grade.get(*g))
                .sum();
            assert_eq!(cells[8], good.to_string(), "{qi}");
            // Two areas: a share of fewer than five is not given.
            assert_eq!(cells[9], "not reported (fewer than five areas)");
        }
    }
    assert!(
        html.contains("One inspection is still in draft (Kinloch)"),
        "drafts are counted apart and said so"
    );

    // The totals: [evidence], the records read and the survey's returns of the published folders.
    let mut expected: BTreeMap<&str, usize> = BTreeMap::new();
    for folder in ["glenaird", "eastmoor"] {
        let findings: toml::Value = toml::from_str(&f.read(&format!("{folder}/findings/findings.toml"))).unwrap();
        for (k, v) in findings["evidence"].as_table().unwrap() {
            let label = match k.as_str() {
                "children_young_people" => "Children and young people met",
                "parents_carers" => "Parents and carers met",
                "staff" => "Staff met",
                "focus_groups" => "Focus groups",
                "observations" => "Observations of practice",
                "site_visits" => "Site visits",
                other => panic!("{other}"),
            };
            *expected.entry(label).or_default() += v.as_integer().unwrap() as usize;
        }
        let read: std::collections::BTreeSet<String> = f
            .read(&format!("{folder}/findings/records-reading.csv"))
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect();
        *expected.entry("Children's records read").or_default() += read.len();
        let most = f
            .read(&format!("{folder}/findings/survey.csv"))
            .lines()
            .skip(1)
            .map(|l| {
                l.rsplitn(6, ',')
                    .take(5)
                    .map(|n| n.parse::<usize>().unwrap())
                    .sum::<usize>()
            })
            .max()
            .unwrap();
        *expected.entry("Staff survey returns").or_default() += most;
    }
    let start = html
        .find("The evidence of the published inspections, added up")
        .unwrap();
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    for (label, n) in expected {
        let label = label.replace('\'', "&#x27;");
        let row = format!(
            "<th scope=\"row\">{label}</th><td class=\"num\">{}</td>",
            scrutiny::base::text::thousands(n)
        );
        let row_apos = row.replace("&#x27;", "&#39;");
        assert!(table.contains(&row) || table.contains(&row_apos), "{row} in {table}");
    }
    // No child, no person: neither the case references nor the team.
    let text = poppler_text(&f.path("out/review.pdf"));
    for needle in ["GL-", "Morag Petrie", "Ruth Cole", "Jo Bell"] {
        assert!(!html.contains(needle) && !text.contains(needle), "{needle}");
    }
}

#[test]
fn the_documents_are_tagged_pdfs_the_timeline_landscape_with_today_marked() {
    let f = planted();
    let run = f.run(&["programme", "build", "{}", "--date", "2013-03-12"]).ok();
    assert!(
        run.stderr().contains("clash: "),
        "the build says the clashes too: {}",
        run.stderr()
    );
    for name in ["timeline.pdf", "review.pdf"] {
        let path = f.path(&format!("out/{name}"));
        assert!(qpdf_check(&path), "{name}");
        let facts = pdf_facts(&fs::read(&path).unwrap());
        assert_eq!(facts.lang.as_deref(), Some("en-GB"), "{name}");
        assert!(facts.marked && facts.struct_tree, "{name} is tagged");
        assert!(facts
            .title
            .unwrap()
            .contains("Joint inspections of services for children 2013-14"));
    }
    let pdfinfo = std::process::Command::new("pdfinfo")
        .arg(f.path("out/timeline.pdf"))
        .output()
        .expect("pdfinfo (poppler-utils) is needed: run `bash tests/setup.sh`");
    let info = String::from_utf8_lossy(&pdfinfo.stdout);
    assert!(info.contains("841.89 x 595.276 pts (A4)"), "landscape: {info}");
    let text = pdf_text(&fs::read(f.path("out/timeline.pdf")).unwrap());
    assert!(text.contains("Today: Tuesday 12 March 2013"), "{text}");
    assert!(
        text.contains("Ruth Cole is on site in Glenaird"),
        "the clashes are listed: {text}"
    );
}

#[test]
fn a_build_again_keeps_what_did_not_change_and_the_same_inputs_give_the_same_bytes() {
    let f = programme();
    let first = f
        .run(&["programme", "build", "{}", "--date", "2013-05-20"])
        .ok()
        .stdout();
    assert!(first.contains("(3 typeset, 0 unchanged)"), "{first}");
    let bytes = |f: &Folder| {
        [
            "timeline.pdf",
            "review.pdf",
            "review.html",
            "programme.ics",
            "manifest.json",
        ]
        .map(|n| fs::read(f.path(&format!("out/{n}"))).unwrap())
    };
    let before = bytes(&f);
    let again = f
        .run(&["programme", "build", "{}", "--date", "2013-05-20"])
        .ok()
        .stdout();
    assert!(again.contains("(0 typeset, 3 unchanged)"), "{again}");
    assert_eq!(bytes(&f), before);
    let full = f
        .run(&["programme", "build", "{}", "--date", "2013-05-20", "--full"])
        .ok()
        .stdout();
    assert!(full.contains("(3 typeset, 0 unchanged)"), "{full}");
    assert_eq!(bytes(&f), before, "byte for byte a full build's");
    // A draft's evaluation changes the review only.
    let f = f.edit("kinloch/findings/findings.toml", |t| {
        t.replacen("evaluation = \"good\"", "evaluation = \"weak\"", 1)
    });
    let said = f
        .run(&["programme", "build", "{}", "--date", "2013-05-20"])
        .ok()
        .stdout();
    assert!(said.contains("(2 typeset, 1 unchanged)"), "{said}");
    assert_eq!(fs::read(f.path("out/timeline.pdf")).unwrap(), before[0]);
    // Another day moves today's mark: the timeline only.
    let said = f
        .run(&["programme", "build", "{}", "--date", "2013-05-21"])
        .ok()
        .stdout();
    assert!(said.contains("(1 typeset, 2 unchanged)"), "{said}");
}

#[test]
fn a_browser_finds_no_accessibility_violations_in_the_review() {
    let f = programme();
    f.run(&["programme", "build", "{}", "--date", "2013-05-20"]).ok();
    let violations = crate::common::axe(&f.path("out/review.html"));
    assert_eq!(violations, serde_json::json!([]), "{violations:#}");
}
