//! Counts in running text are written in the house style (issue 35): one to
//! nine in words ("three service areas"), 10 and above in figures, and no
//! sentence opens with a figure ("Twelve children ...", never "12 children
//! ..."). Tables, references ("R1", "QI 2.1"), dates, percentages, page
//! numbers and statistics keep their figures.
//!
//! Every document of the worked example is read as a reader gets it: each PDF
//! through poppler's `pdftotext`, each web page as text.

use std::fs;
use std::path::Path;

use crate::common::{poppler_text, Folder};

/// The text of every PDF and web page under `out`, by its path in `out`, the
/// words of each separated by single spaces; a paragraph break (a blank line
/// in poppler's text, a block element of a web page) is kept as " ¶ ".
fn documents(out: &Path) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        let path = e.path();
        let rel = path.strip_prefix(out).unwrap().to_string_lossy().into_owned();
        let text = match path.extension().and_then(|x| x.to_str()) {
            Some("pdf") => poppler_text(path),
            Some("html") => {
                let html = fs::read_to_string(path).unwrap();
                let mut html = html.as_str();
                // The style sheet and the head are not read.
                if let Some(i) = html.find("<body") {
                    html = &html[i..];
                }
                let blocks = [
                    "</p>",
                    "</li>",
                    "</h1>",
                    "</h2>",
                    "</h3>",
                    "</td>",
                    "</th>",
                    "</figcaption>",
                    "</desc>",
                ];
                let mut h = html.to_string();
                for b in blocks {
                    h = h.replace(b, &format!("{b}\n\n"));
                }
                scrutiny::base::text::html_text(&h).replace("&nbsp;", " ")
            }
            _ => continue,
        };
        docs.push((rel, flatten(&text)));
    }
    docs
}

/// Words separated by single spaces, a blank line as " ¶ ".
fn flatten(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ¶ ")
}

/// A word that names more than one: "areas", "children".
fn plural(word: &str) -> bool {
    let word = word.trim_end_matches([',', '.', ';', ':', ')']);
    let lower = word.chars().all(|c| c.is_ascii_lowercase());
    lower
        && (word.len() > 3 && word.ends_with('s') && !word.ends_with("ss")
            || ["children", "people", "staff"].contains(&word))
}

/// A lone figure 1 to 9 standing as a count before a plural word, or before
/// one word and a plural ("5 records", "3 service areas"), with the words
/// around it: the house style writes it in words.
fn figures_as_counts(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let mut found = Vec::new();
    for (i, figure) in words.iter().enumerate() {
        if figure.len() != 1 || !figure.chars().all(|c| ('1'..='9').contains(&c)) {
            continue;
        }
        let next = |k: usize| words.get(i + k).copied().unwrap_or("");
        let lower = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase());
        let counts = plural(next(1)) || lower(next(1)) && plural(next(2));
        if counts {
            found.push(words[i.saturating_sub(4)..(i + 4).min(words.len())].join(" "));
        }
    }
    found
}

/// A sentence opening with a figure followed by a word in lower case ("18
/// other changes are listed", "5 children were"): the house style writes the
/// number in words there, or the sentence is turned round. A sentence opens
/// after ".", "!" or "?", and a paragraph after its break.
fn figures_opening_sentences(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let mut found = Vec::new();
    for i in 1..words.len().saturating_sub(1) {
        let (before, figure, next) = (words[i - 1], words[i], words[i + 1]);
        let opens = before == "¶" || before.ends_with(['.', '!', '?']);
        let is_figure = figure.chars().next().is_some_and(|c| c.is_ascii_digit())
            && figure.chars().all(|c| c.is_ascii_digit() || c == ',');
        // "39 to 61%" is a range (a table's cell), not a count.
        let word_follows = next.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && next != "to";
        if opens && is_figure && word_follows {
            found.push(words[i.saturating_sub(3)..(i + 5).min(words.len())].join(" "));
        }
    }
    found
}

/// Everything the house style finds in one folder's OUT, one line each.
fn slips(out: &Path) -> Vec<String> {
    let mut all = Vec::new();
    let docs = documents(out);
    let pages = docs.iter().filter(|d| d.0.ends_with(".html")).count();
    assert!(docs.len() > pages && pages > 0, "PDFs and web pages are read: {docs:?}");
    for (doc, text) in docs {
        for s in figures_as_counts(&text) {
            all.push(format!("{doc}: a count in figures: …{s}…"));
        }
        for s in figures_opening_sentences(&text) {
            all.push(format!("{doc}: a sentence opens with a figure: …{s}…"));
        }
    }
    all
}

#[test]
fn the_checks_find_what_they_look_for() {
    let text =
        flatten("We asked for statements on 3 service areas.\n\n18 other changes are listed. We read 5 records.");
    let counts = figures_as_counts(&text);
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert!(
        counts[0].contains("on 3 service areas.") && counts[1].contains("read 5 records."),
        "{counts:?}"
    );
    let openings = figures_opening_sentences(&text);
    assert!(
        openings.len() == 1 && openings[0].contains("¶ 18 other changes"),
        "{openings:?}"
    );
    // Not counts: references, a date, a scale, a statistic, numbers in words.
    let text =
        flatten("See R3 and QI 5.2 on 4 March 2013. Rated 4 to 6. Three service areas, 12 weeks and 1,000 children.");
    assert!(figures_as_counts(&text).is_empty(), "{:?}", figures_as_counts(&text));
    assert!(figures_opening_sentences(&text).is_empty());
}

#[test]
fn every_document_writes_its_counts_in_words() {
    // The draft, with a reissued notice (its other changes counted), then the
    // final report with its publication letters and the young people's version.
    let f = Folder::example();
    f.build();
    let mut all = slips(&f.path("out"));
    f.run(&["issue", "{}", "--date", "2012-12-10", "--only", "notice"]).ok();
    let f = f.set("commencement", "2013-03-11");
    f.build();
    all.extend(slips(&f.path("out")).into_iter().filter(|s| s.starts_with("notice/")));
    let f = f.set_in("findings/findings.toml", "status", "\"final\"");
    f.build();
    all.extend(slips(&f.path("out")));
    // Smaller numbers than the example's where a template prints them: a
    // records window of six months, and a survey that does not say how many
    // were invited (its sentence then opens with those who answered).
    let f = Folder::example()
        .set("months", "6")
        .edit("inspection.toml", |t| t.replace("invited = 300", ""));
    f.build();
    all.extend(slips(&f.path("out")));
    all.sort();
    all.dedup();
    assert!(
        all.is_empty(),
        "{} slips of the house style:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn the_programme_s_documents_write_their_counts_in_words() {
    let f = Folder::fixture("programme");
    f.run(&["programme", "build", "{}", "--date", "2013-05-20"]).ok();
    let all = slips(&f.path("out"));
    assert!(
        all.is_empty(),
        "{} slips of the house style:\n{}",
        all.len(),
        all.join("\n")
    );
}
