//! Every document speaks of what is still to come in the future tense and of
//! what is done in the past, relative to its own date.

use std::path::Path;

use chrono::NaiveDate;

use crate::common::{poppler_text, Folder};
use scrutiny::starter::synth::SynthOptions;

/// Dates written in words ("4 March 2013", with or without the weekday).
fn dates_in(sentence: &str) -> Vec<NaiveDate> {
    let words: Vec<&str> = sentence
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(3)
        .filter_map(|w| {
            let year = w[2].trim_end_matches(['.', ':', ';']);
            NaiveDate::parse_from_str(&format!("{} {} {year}", w[0], w[1]), "%d %B %Y").ok()
        })
        .collect()
}

/// The PDF's own date, as its metadata gives it (the document's date).
fn own_date(path: &Path) -> NaiveDate {
    let doc = lopdf::Document::load(path).unwrap();
    let info = doc.trailer.get(b"Info").and_then(|i| doc.dereference(i)).unwrap().1;
    let created = info.as_dict().unwrap().get(b"CreationDate").unwrap();
    let text = lopdf::decode_text_string(created).unwrap();
    NaiveDate::parse_from_str(&text[2..10], "%Y%m%d").unwrap()
}

const FUTURE: [&str; 2] = [" will ", " shall "];
const PAST: [&str; 6] = [
    " was held",
    " were held",
    " took place",
    " was carried out",
    " we read the records of",
    " visited ",
];

/// Each sentence that speaks of dates all on one side of the document's date
/// in the wrong tense.
fn wrong_tenses(path: &Path) -> Vec<String> {
    let own = own_date(path);
    let text = poppler_text(path).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut wrong = Vec::new();
    for sentence in text.split(". ") {
        let s = format!(" {} ", sentence.to_lowercase());
        let dates = dates_in(sentence);
        if dates.is_empty() {
            continue;
        }
        if dates.iter().all(|d| *d < own) && FUTURE.iter().any(|m| s.contains(m)) {
            wrong.push(format!("{own}: to come, but before: {sentence}"));
        }
        if dates.iter().all(|d| *d > own) && PAST.iter().any(|m| s.contains(m)) {
            wrong.push(format!("{own}: done, but after: {sentence}"));
        }
    }
    wrong
}

#[test]
fn no_document_speaks_of_the_past_as_to_come_or_of_the_future_as_done() {
    let later = SynthOptions {
        commencement: NaiveDate::from_ymd_opt(2019, 11, 26).unwrap(),
        ..SynthOptions::default()
    };
    let (mut wrong, mut dated) = (Vec::new(), 0);
    // The example as drafted and as published (the letters of publication), and a later inspection.
    let published = Folder::example().edit("findings/findings.toml", |t| {
        t.replacen("status = \"draft\"", "status = \"final\"", 1)
    });
    for f in [Folder::example(), published, Folder::synth(later)] {
        f.build();
        for e in walkdir::WalkDir::new(f.path("out")).into_iter().flatten() {
            if e.path().extension().is_some_and(|x| x == "pdf") {
                let text = poppler_text(e.path());
                dated += text.split(". ").filter(|s| !dates_in(s).is_empty()).count();
                wrong.extend(
                    wrong_tenses(e.path())
                        .into_iter()
                        .map(|w| format!("{}: {w}", e.path().display())),
                );
            }
        }
    }
    assert!(dated > 500, "only {dated} sentences with dates were read");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_template_that_speaks_of_the_notice_as_to_come_is_caught() {
    // The staff leaflet goes out with the briefings, after the notice.
    let own = include_str!("../../templates/information-staff.typ");
    let f = Folder::example().write(
        "templates/information-staff.typ",
        &format!("{own}\nThe notice will be sent on {{{{ schedule.notification|date }}}}.\n"),
    );
    f.run(&["build", "{}", "--only", "briefing"]).ok();
    let wrong = wrong_tenses(&f.path("out/briefing/information-staff.pdf"));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(
        wrong[0].contains("to come, but before: The notice will be sent on 10 December 2012"),
        "{wrong:?}"
    );
}

#[test]
fn the_tense_check_finds_what_it_looks_for() {
    assert_eq!(
        dates_in("On Monday 4 March 2013, and 7 March 2013."),
        [
            NaiveDate::from_ymd_opt(2013, 3, 4).unwrap(),
            NaiveDate::from_ymd_opt(2013, 3, 7).unwrap()
        ]
    );
}
