//! The statistically valid sample and the records-request letters, on unseen
//! synthetic folders.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{fold, pdf_pages, Folder};
use chrono::NaiveDate;
use scrutiny::starter::synth::SynthOptions;

fn read_csv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The sample size by the workspace format's formula, computed independently.
fn expected_sizes(population: &[BTreeMap<String, String>], z: f64, e: f64, min: usize) -> BTreeMap<String, usize> {
    let cats = [
        "cpr",
        "looked_after_home",
        "looked_after_accommodated",
        "aftercare",
        "voluntary_measures",
    ];
    let big_n = population.len() as f64;
    let n0 = z * z * 0.25 / (e * e);
    let n = (n0 * big_n / (n0 + big_n - 1.0)).ceil() as usize;
    let sizes: Vec<usize> = cats
        .iter()
        .map(|c| population.iter().filter(|r| r["category"] == *c).count())
        .collect();
    let quotas: Vec<f64> = sizes.iter().map(|s| n as f64 * *s as f64 / big_n).collect();
    let mut alloc: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let mut rest: Vec<usize> = (0..5).collect();
    rest.sort_by(|&a, &b| {
        (quotas[b] - quotas[b].floor())
            .total_cmp(&(quotas[a] - quotas[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in rest.iter().take(n - alloc.iter().sum::<usize>()) {
        alloc[i] += 1;
    }
    cats.iter()
        .zip(alloc.iter().zip(&sizes))
        .map(|(c, (a, s))| (c.to_string(), (*a).max(min.min(*s))))
        .collect()
}

fn counts(sample: &[BTreeMap<String, String>]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in sample {
        *m.entry(r["category"].clone()).or_insert(0) += 1;
    }
    m.retain(|_, v| *v > 0);
    m
}

#[test]
fn sample_sizes_follow_the_formula_on_unseen_folders() {
    for (children, seed, confidence, margin, z) in [
        (600, 7, 0.95, 0.10, 1.959963984540054),
        (2500, 99, 0.90, 0.05, 1.6448536269514722),
        (1500, 3, 0.99, 0.08, 2.5758293035489004),
    ] {
        let f = Folder::synth(SynthOptions {
            children,
            seed,
            confidence,
            margin,
            ..SynthOptions::default()
        });
        f.run(&["sample", "{}"]).ok();
        let population = read_csv(&f.read("population.csv"));
        let sample = read_csv(&f.read("out/sample/sample.csv"));
        let mut expected = expected_sizes(&population, z, margin, 5);
        expected.retain(|_, v| *v > 0);
        assert_eq!(
            counts(&sample),
            expected,
            "{children} children at {confidence}/{margin}"
        );
        // Every sampled child is in the population, once, with its category and protection.
        let by_ref: BTreeMap<&str, &BTreeMap<String, String>> =
            population.iter().map(|r| (r["case_ref"].as_str(), r)).collect();
        let refs: BTreeSet<&str> = sample.iter().map(|r| r["case_ref"].as_str()).collect();
        assert_eq!(refs.len(), sample.len(), "no child drawn twice");
        for r in &sample {
            let p = by_ref[r["case_ref"].as_str()];
            assert_eq!((&p["category"], &p["protection"]), (&r["category"], &r["protection"]));
        }
        assert!(f.path("out/sample/rationale.pdf").is_file());
    }
}

#[test]
fn the_draw_is_the_same_on_a_rerun_and_after_shuffling_rows() {
    let f = Folder::synth(SynthOptions {
        children: 800,
        seed: 42,
        ..SynthOptions::default()
    });
    f.run(&["sample", "{}"]).ok();
    let first = f.read("out/sample/sample.csv");
    f.run(&["sample", "{}"]).ok();
    assert_eq!(first, f.read("out/sample/sample.csv"));
    // Reverse and interleave the rows: same children, different order.
    let f = f.edit("population.csv", |t| {
        let mut lines: Vec<&str> = t.lines().collect();
        let header = lines.remove(0);
        lines.reverse();
        let (a, b) = lines.split_at(lines.len() / 2);
        let mixed: Vec<&str> = b.iter().chain(a.iter()).copied().collect();
        format!("{header}\n{}\n", mixed.join("\n"))
    });
    f.run(&["sample", "{}"]).ok();
    assert_eq!(
        first,
        f.read("out/sample/sample.csv"),
        "row order must not change the draw"
    );
    // A different seed gives a different draw.
    let f = f.edit("inspection.toml", |t| t.replace("seed = 42", "seed = 43"));
    f.run(&["sample", "{}"]).ok();
    assert_ne!(first, f.read("out/sample/sample.csv"));
}

#[test]
fn every_sampled_child_gets_exactly_the_requests_the_rules_give() {
    let commencement = NaiveDate::from_ymd_opt(2024, 2, 6).unwrap();
    let f = Folder::synth(SynthOptions {
        children: 1200,
        seed: 11,
        commencement,
        ..SynthOptions::default()
    });
    f.run(&["build", "{}", "--only", "requests"]).ok();
    let population = read_csv(&f.read("population.csv"));
    let by_ref: BTreeMap<&str, &BTreeMap<String, String>> =
        population.iter().map(|r| (r["case_ref"].as_str(), r)).collect();
    let contacts = read_csv(&f.read("contacts.csv"));
    let agency: BTreeMap<&str, &str> = contacts
        .iter()
        .map(|c| (c["id"].as_str(), c["agency"].as_str()))
        .collect();
    let sample = read_csv(&f.read("out/sample/sample.csv"));
    let register_text = f.read("out/requests/register.csv");
    assert!(register_text.starts_with("case_ref,category,rule,agency,holder,window_start,window_end,letter\n"));
    let register = read_csv(&register_text);

    // Phase three starts Fri 9 Feb 2024 (phase two is Tue 6 - Thu 8); 18 months back is 9 Aug 2022.
    let mut expected: Vec<(String, String, String, String, String)> = Vec::new();
    for s in &sample {
        let c = by_ref[s["case_ref"].as_str()];
        if c["protection"] == "yes" {
            for col in ["health", "education", "social_work", "police"] {
                if c[col].is_empty() {
                    // Only a child under school age on the inspection date
                    // (born from 1 March 2019: school in August 2024) has no
                    // education holder, and is then not asked of education.
                    assert_eq!(col, "education", "{}", c["case_ref"]);
                    assert!(c["date_of_birth"].as_str() >= "2019-03-01", "{c:?}");
                    continue;
                }
                expected.push((
                    c["case_ref"].clone(),
                    "child_protection".into(),
                    col.into(),
                    c[col].clone(),
                    c["category"].clone(),
                ));
            }
        } else if !c["lead_professional"].is_empty() {
            let h = &c["lead_professional"];
            expected.push((
                c["case_ref"].clone(),
                "lead_professional".into(),
                agency[h.as_str()].into(),
                h.clone(),
                c["category"].clone(),
            ));
        } else {
            let h = &c["named_person"];
            expected.push((
                c["case_ref"].clone(),
                "named_person".into(),
                agency[h.as_str()].into(),
                h.clone(),
                c["category"].clone(),
            ));
        }
    }
    let mut got: Vec<(String, String, String, String, String)> = register
        .iter()
        .map(|r| {
            (
                r["case_ref"].clone(),
                r["rule"].clone(),
                r["agency"].clone(),
                r["holder"].clone(),
                r["category"].clone(),
            )
        })
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    // The synthetic folder has protected children under school age: none is
    // asked of a Pupil Records Officer.
    let babies: Vec<&str> = sample
        .iter()
        .map(|s| by_ref[s["case_ref"].as_str()])
        .filter(|c| c["protection"] == "yes" && c["date_of_birth"].as_str() >= "2019-03-01")
        .map(|c| c["case_ref"].as_str())
        .collect();
    assert!(!babies.is_empty());
    for r in &register {
        assert!(
            !(babies.contains(&r["case_ref"].as_str()) && r["agency"] == "education"),
            "{r:?}"
        );
    }

    // Sorted by holder, then case reference; the window and letter are right.
    let keys: Vec<(&str, &str)> = register
        .iter()
        .map(|r| (r["holder"].as_str(), r["case_ref"].as_str()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for r in &register {
        assert_eq!(
            (r["window_start"].as_str(), r["window_end"].as_str()),
            ("2022-08-09", "2024-02-09")
        );
        assert_eq!(r["letter"], format!("requests/{}.pdf", r["holder"]));
    }

    // One letter per holder, listing each of its children with name and reason, dates in words,
    // and the protective marking at the top and bottom of every page.
    let holders: BTreeSet<&str> = register.iter().map(|r| r["holder"].as_str()).collect();
    let letters: BTreeSet<String> = std::fs::read_dir(f.path("out/requests"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    assert_eq!(letters, holders.iter().map(|h| format!("{h}.pdf")).collect());
    for holder in holders.iter().take(12) {
        let pages = pdf_pages(&std::fs::read(f.path(&format!("out/requests/{holder}.pdf"))).unwrap());
        for (i, page) in pages.iter().enumerate() {
            assert!(
                page.matches("OFFICIAL-SENSITIVE").count() >= 2,
                "{holder} page {} lacks the marking top and bottom",
                i + 1
            );
        }
        let text = fold(&pages.concat());
        for r in register.iter().filter(|r| r["holder"] == *holder) {
            assert!(text.contains(&r["case_ref"]), "{holder} lacks {}", r["case_ref"]);
            assert!(
                text.contains(&fold(&by_ref[r["case_ref"].as_str()]["name"])),
                "{holder} lacks the name of {}",
                r["case_ref"]
            );
        }
        for needle in [
            "9 August 2022",
            "9 February 2024",
            "Friday 9 February 2024",
            "Code of Practice",
            "destroyed within one year of the end of records",
            "by 14 February 2025 at the latest",
            "electronic",
        ] {
            assert!(
                text.split_whitespace().collect::<Vec<_>>().join(" ").contains(needle),
                "{holder} lacks {needle:?}: {text}"
            );
        }
        // The letter greets the holder as contacts.csv's salutation says, else by name.
        let c = contacts.iter().find(|c| c["id"] == *holder).unwrap();
        let greeting = match c.get("salutation").map(String::as_str) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => format!("Dear {}", c["name"]),
        };
        assert!(text.contains(&fold(&greeting)), "{holder}: {greeting}: {text}");
    }
}

#[test]
fn a_holder_with_many_children_gets_a_multi_page_letter_with_repeated_headers() {
    // One police office holds the records of every child in need of protection.
    let f = Folder::synth(SynthOptions {
        children: 3000,
        seed: 5,
        margin: 0.05,
        ..SynthOptions::default()
    })
    .edit("population.csv", |t| {
        t.lines()
            .map(|l| {
                let mut cols: Vec<&str> = l.split(',').collect();
                if cols[8].starts_with("police-") {
                    cols[8] = "police-01";
                }
                cols.join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    f.run(&["build", "{}", "--only", "requests"]).ok();
    let register = read_csv(&f.read("out/requests/register.csv"));
    let mut per_holder: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &register {
        *per_holder.entry(&r["holder"]).or_default() += 1;
    }
    let (busiest, n) = per_holder.iter().max_by_key(|(_, n)| **n).unwrap();
    assert!(*n > 40, "the busiest holder has only {n} children");
    let pages = pdf_pages(&std::fs::read(f.path(&format!("out/requests/{busiest}.pdf"))).unwrap());
    assert!(
        pages.len() >= 3,
        "{busiest} with {n} children has {} pages",
        pages.len()
    );
    let with_header = pages.iter().filter(|p| p.contains("Case reference")).count();
    assert!(with_header >= 2, "the table header repeats on continuation pages");
    assert!(pages
        .last()
        .unwrap()
        .contains(&format!("Page {} of {}", pages.len(), pages.len())));
}

#[test]
fn names_print_literally_in_letters_whatever_they_hold() {
    let f = Folder::synth(SynthOptions {
        children: 300,
        seed: 9,
        ..SynthOptions::default()
    });
    f.run(&["sample", "{}"]).ok();
    let first = read_csv(&f.read("out/sample/sample.csv")).remove(0);
    let weird =
        "#set page(width: 1cm) *Bold* $x$ {{ inspection.area }} {% if true %}x{% endif %} [link](x) <lbl> @ref \\ Zoë";
    let case = first["case_ref"].clone();
    let f = f.edit("population.csv", |t| {
        t.lines()
            .map(|l| {
                if l.starts_with(&format!("{case},")) {
                    let mut cols: Vec<String> = l.split(',').map(String::from).collect();
                    cols[9] = format!("\"{weird}\"");
                    cols.join(",")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    f.run(&["build", "{}", "--only", "requests"]).ok();
    let register = read_csv(&f.read("out/requests/register.csv"));
    let holder = &register.iter().find(|r| r["case_ref"] == case).unwrap()["holder"];
    let text = fold(&pdf_pages(&std::fs::read(f.path(&format!("out/requests/{holder}.pdf"))).unwrap()).concat());
    assert!(text.contains(weird), "{text}");
}

#[test]
fn published_documents_carry_no_child_identifiers() {
    let f = Folder::example();
    f.build();
    let population = read_csv(&f.read("population.csv"));
    for doc in [
        "out/sample/rationale.pdf",
        "out/notice/glenaird-council-chief-executive.pdf",
    ] {
        let text = f.pdf_text(doc);
        for c in population.iter().take(200) {
            assert!(!text.contains(&c["case_ref"]), "{doc} names {}", c["case_ref"]);
            assert!(!text.contains(&c["name"]), "{doc} names {}", c["name"]);
        }
        assert!(
            !text.contains("OFFICIAL-SENSITIVE") && !text.contains("PROTECT - PERSONAL"),
            "{doc} holds no personal data"
        );
    }
    let text = fold(&f.pdf_text("out/sample/rationale.pdf"));
    for needle in [
        "1,000 children",
        "95% confident",
        "±10 percentage points",
        "19 times out of 20",
        "20130304",
        "96.04",
        "we will read 88 records",
    ] {
        assert!(text.contains(needle), "rationale lacks {needle:?}: {text}");
    }
}
