//! The disclosure guard: published documents never carry a child's case
//! reference or full name. It reads what the writers wrote and the text of the
//! typeset documents, in any letter case, as whole words.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::error::{Problem, Problems};
use crate::model::Contact;

/// What the guard looks for, built once from `population.csv`.
#[derive(Debug, Clone)]
pub struct Guard {
    finder: Option<AhoCorasick>,
    /// For each pattern: whether it is a name (else a case reference).
    names: Vec<bool>,
    /// The contacts' names: a warning, not an error, in the public report.
    contacts: Option<AhoCorasick>,
}

fn finder(patterns: impl IntoIterator<Item = String>) -> Option<AhoCorasick> {
    let mut patterns = patterns.into_iter().peekable();
    patterns.peek().is_some().then(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            // Hundreds of thousands of children: the plain automaton is the
            // smallest, and is never copied into a faster one (which for a
            // moment holds both); findings are short, so speed hardly matters.
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(patterns)
            .expect("plain string patterns build")
    })
}

/// Whole-word matches of `finder` in `text` (already in lower case): (start, end, pattern).
fn whole_words(finder: &AhoCorasick, lower: &str) -> Vec<(usize, usize, usize)> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    finder
        .find_overlapping_iter(lower)
        .filter(|m| !word(lower[..m.start()].chars().next_back()) && !word(lower[m.end()..].chars().next()))
        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
        .collect()
}

const HELP: &str = "published documents never identify a child: describe the child instead \
                    (e.g. \"a young person in foster care\") and build again";

impl Guard {
    /// From each child's case reference and name (if known).
    pub fn new<'a>(children: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Guard {
        let mut patterns: Vec<(String, bool)> = Vec::new();
        for (case_ref, name) in children {
            let case_ref = Some(case_ref.trim().to_lowercase()).filter(|r| !r.is_empty());
            patterns.extend(case_ref.map(|r| (r, false)));
            patterns.extend(full_name(name.unwrap_or("")).map(|n| (n, true)));
        }
        // Two children may share a name: one pattern, one problem per place.
        // (Sorted rather than hashed, so that 200,000 children's identifiers are not held twice.)
        patterns.sort_unstable();
        patterns.dedup_by(|a, b| a.0 == b.0);
        let names = patterns.iter().map(|(_, name)| *name).collect();
        let finder = finder(patterns.into_iter().map(|(p, _)| p));
        Guard {
            finder,
            names,
            contacts: None,
        }
    }

    /// Also watches for these contacts' names (a warning in published documents).
    pub fn with_contacts(mut self, contacts: &[Contact]) -> Guard {
        self.contacts = finder(contacts.iter().filter_map(|c| full_name(&c.name)));
        self
    }

    /// Every child identifier in `line`: (column, what it is, the text found).
    fn find(&self, line: &str) -> Vec<(usize, &'static str, String)> {
        let Some(finder) = &self.finder else {
            return Vec::new();
        };
        let lower = line.to_lowercase();
        whole_words(finder, &lower)
            .into_iter()
            .map(|(start, end, pattern)| {
                let column = lower[..start].chars().count() + 1;
                let kind = if self.names[pattern] { "name" } else { "case reference" };
                (column, kind, lower[start..end].to_string())
            })
            .collect()
    }

    /// Problems for each identifier in a file the writers wrote, at its line.
    pub fn check_text(&self, file: &str, text: &str, problems: &mut Problems) {
        for (n, line) in text.lines().enumerate() {
            for (column, kind, found) in self.find(line) {
                problems.push(
                    Problem::new(file, format!("a child's {kind} is written here (\"{found}\")"))
                        .at(n + 1, column)
                        .help(HELP),
                );
            }
        }
    }

    /// Problems for each identifier in the text of a typeset document, by page,
    /// and warnings for each contact's name.
    pub fn check_document(&self, output: &str, pages: &[String], problems: &mut Problems) -> Vec<Problem> {
        let mut warnings = Vec::new();
        for (n, page) in pages.iter().enumerate() {
            // Runs of text are joined, so that a name set across two runs is found.
            let text = page.split_whitespace().collect::<Vec<_>>().join(" ");
            for (_, kind, found) in self.find(&text) {
                problems.push(
                    Problem::new(output, format!("a child's {kind} is printed (\"{found}\")"))
                        .place(format!("page {}", n + 1))
                        .help("a template prints it: check the templates in your folder's templates/"),
                );
            }
            if let Some(contacts) = &self.contacts {
                let lower = text.to_lowercase();
                for (start, end, _) in whole_words(contacts, &lower) {
                    warnings.push(
                        Problem::new(
                            output,
                            format!("a contact's name is printed (\"{}\")", &lower[start..end]),
                        )
                        .place(format!("page {}", n + 1))
                        .help("a published report names services and roles rather than staff: check the findings"),
                    );
                }
            }
        }
        warnings
    }
}

/// A full name in lower case with single spaces; one word alone would match
/// ordinary words ("Skye"), so it is not a full name.
fn full_name(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    (words.len() >= 2).then(|| words.join(" ").to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references_and_full_names_as_whole_words_in_any_case() {
        let g = Guard::new([("GL-1943", Some("Gemma O'Neill")), ("GL-2", Some("Skye"))]);
        let mut p = Problems::default();
        g.check_text(
            "findings/q.md",
            "Fine.\nWe met gemma o'neill and read gl-1943.\nGL-19431 is another.\nSkye\n",
            &mut p,
        );
        let p = p.into_vec();
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!((p[0].line, p[0].column), (Some(2), Some(8)));
        assert!(p[0].message.contains("name"));
        assert!(p[1].message.contains("case reference"));
    }
}
