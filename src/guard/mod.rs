//! The disclosure guard: published documents never carry a child's case
//! reference or full name. It reads what the writers wrote (as typed, and as a
//! reader reads it once Markdown and TOML are decoded) and every string of
//! each published output, all in one normal form ([`fold`]), as whole words.

pub mod fold;
pub mod published;

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::error::{Problem, Problems};
use crate::model::Contact;
use crate::text::cut;
use fold::{fold, fold_located, fold_pieces, join_runs, Folded};

/// What the guard looks for, built once from `population.csv`.
#[derive(Debug, Clone)]
pub struct Guard {
    finder: Option<AhoCorasick>,
    /// For each pattern: whether it is a name (else a case reference).
    names: Vec<bool>,
    /// The contacts' names: a warning, not an error, in the public report.
    contacts: Option<AhoCorasick>,
    /// The full names of the people letters go to, list or are signed by
    /// (contacts, addressees, the team), folded: in a letter or briefing, a
    /// child who shares such a name is not what it prints.
    people: std::collections::BTreeSet<String>,
}

/// The version of what the guard finds: a published document kept from an
/// earlier build was checked by the rules of its day, so a change to them
/// (raise this number) has every published document typeset and read again.
pub const RULES: u32 = 2;

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

/// Whole-word matches of `finder` in folded text: (start, end, pattern).
/// Folded text is letters, digits and single spaces, so a word ends at a space.
fn whole_words(finder: &AhoCorasick, folded: &str) -> Vec<(usize, usize, usize)> {
    let bytes = folded.as_bytes();
    let boundary = |at: usize| at == bytes.len() || bytes[at] == b' ';
    // A possessive ends the name too: "Kerr's" and "Kerrs'" fold to "kerrs",
    // as apostrophes join the letters either side.
    let ends_word = |end: usize| boundary(end) || (bytes[end] == b's' && boundary(end + 1));
    finder
        .find_overlapping_iter(folded)
        .filter(|m| (m.start() == 0 || bytes[m.start() - 1] == b' ') && ends_word(m.end()))
        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
        .collect()
}

const HELP: &str = "published documents never identify a child: describe the child instead \
                    (e.g. \"a young person in foster care\") and build again";

/// One identifier found: where its first and last characters start in the
/// original text, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub last: usize,
    pub kind: &'static str,
}

impl Guard {
    /// From each child's case reference and name (if known).
    pub fn new<'a>(children: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Guard {
        let mut patterns: Vec<(String, bool)> = Vec::new();
        for (case_ref, name) in children {
            // In the joined form: "GL-200056" is also found written "GL200056".
            let case_ref = joined(case_ref);
            if !case_ref.is_empty() {
                patterns.push((case_ref, false));
            }
            let name = name.unwrap_or("");
            patterns.extend(full_name(name).map(|_| (joined(name), true)));
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
            people: Default::default(),
        }
    }

    /// Also watches for these contacts' names (a warning in the public report),
    /// and knows the names of the people the letters concern (`people`, with
    /// the contacts): see [`Guard::check_output`].
    pub fn with_contacts<'a>(mut self, contacts: &'a [Contact], people: impl IntoIterator<Item = &'a str>) -> Guard {
        self.contacts = finder(contacts.iter().filter_map(|c| full_name(&c.name)));
        self.people = contacts
            .iter()
            .map(|c| c.name.as_str())
            .chain(people)
            .filter_map(full_name)
            .collect();
        self
    }

    /// Every child identifier in folded text, placed in the original: looked
    /// for in the text as folded and with letters and digits joined ([`join_runs`]).
    pub fn hits(&self, folded: &Folded) -> Vec<Hit> {
        let Some(finder) = &self.finder else {
            return Vec::new();
        };
        let joined = join_runs(folded);
        let mut hits: Vec<Hit> = [folded, &joined]
            .into_iter()
            .flat_map(|f| {
                whole_words(finder, &f.text)
                    .into_iter()
                    .map(|(start, end, pattern)| Hit {
                        start: f.origins[start],
                        last: f.origins[end - 1],
                        kind: if self.names[pattern] { "name" } else { "case reference" },
                    })
            })
            .collect();
        hits.sort_by_key(|h| (h.start, h.last));
        hits.dedup();
        hits
    }

    /// Problems for each identifier in a file the writers wrote, at its line:
    /// in the text as typed, and in `pieces`, the text as it is read once
    /// decoded (Markdown's text without its marks, TOML's strings without their
    /// escapes), each piece with its offset in `text`.
    pub fn check_file(&self, file: &str, text: &str, pieces: &[(String, usize)], problems: &mut Problems) {
        let mut found: BTreeMap<usize, Hit> = BTreeMap::new();
        for hit in self.hits(&fold_located(text)) {
            found.entry(hit.start).or_insert(hit);
        }
        if !pieces.is_empty() {
            let read = fold_pieces(pieces.iter().map(|(t, at)| (t.as_str(), *at)));
            for hit in self.hits(&read) {
                found.entry(hit.start).or_insert(hit);
            }
        }
        for hit in found.into_values() {
            let (line, column) = crate::text::line_col(text, floor(text, hit.start));
            problems.push(
                Problem::new(
                    file,
                    format!("a child's {} is written here (\"{}\")", hit.kind, quote(text, &hit)),
                )
                .at(line, column)
                .help(HELP),
            );
        }
    }

    /// Problems for each identifier in what a published output holds.
    /// Each identifier is named once, where it is first found. With
    /// `addresses_people` (a letter or briefing made from the folder's data,
    /// not the writers' prose), a child's name that is also the name of a
    /// contact, addressee or inspector is taken to be that person's.
    pub fn check_output(
        &self,
        output: &str,
        reading: &published::Reading,
        addresses_people: bool,
        problems: &mut Problems,
    ) {
        let mut seen = std::collections::BTreeSet::new();
        for (i, (_, text)) in reading.texts.iter().enumerate() {
            let folded = fold_located(text);
            for hit in self.hits(&folded) {
                let found = fold(&quote(text, &hit));
                if addresses_people && hit.kind == "name" && self.people.contains(&found) {
                    continue;
                }
                if !seen.insert(found) {
                    continue;
                }
                problems.push(
                    Problem::new(
                        output,
                        format!("a child's {} is printed (\"{}\")", hit.kind, quote(text, &hit)),
                    )
                    .place(reading.place(i, hit.start))
                    .help(
                        "the findings do not say it, so a template or the data prints it: \
                             check the templates in your folder's templates/",
                    ),
                );
            }
        }
        for (place, link) in &reading.bad_links {
            problems.push(
                Problem::new(
                    output,
                    format!("a link that is not a web or e-mail address: \"{}\"", cut(link)),
                )
                .place(place.clone())
                .help("links in published documents start with https://, http:// or mailto:"),
            );
        }
    }

    /// Warnings for each contact's name in a published output.
    pub fn contact_warnings(&self, output: &str, reading: &published::Reading) -> Vec<Problem> {
        let Some(contacts) = &self.contacts else {
            return Vec::new();
        };
        let mut warnings = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, (_, text)) in reading.texts.iter().enumerate() {
            let folded = fold_located(text);
            for (start, end, _) in whole_words(contacts, &folded.text) {
                if !seen.insert(folded.text[start..end].to_string()) {
                    continue;
                }
                let hit = Hit {
                    start: folded.origins[start],
                    last: folded.origins[end - 1],
                    kind: "",
                };
                warnings.push(
                    Problem::new(
                        output,
                        format!("a contact's name is printed (\"{}\")", quote(text, &hit)),
                    )
                    .place(reading.place(i, hit.start))
                    .help("a published report names services and roles rather than staff: check the findings"),
                );
            }
        }
        warnings
    }
}

/// The original text of a hit, at most [`QUOTE`] characters, on one line.
fn quote(text: &str, hit: &Hit) -> String {
    let start = floor(text, hit.start);
    let last = floor(text, hit.last.max(start));
    let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
    let shown: String = text[start..end]
        .chars()
        .map(|c| if c.is_control() || fold::ignorable(c) { ' ' } else { c })
        .collect();
    cut(shown.split_whitespace().collect::<Vec<_>>().join(" ").as_str())
}

/// The start of the character at or before byte `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The compared form with letters and digits joined, as patterns are held.
fn joined(text: &str) -> String {
    join_runs(&fold_located(text)).text
}

/// A full name in the compared form; one word alone would match ordinary
/// words ("Skye"), so it is not a full name.
fn full_name(name: &str) -> Option<String> {
    let folded = fold(name);
    (folded.split(' ').count() >= 2).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(g: &Guard, text: &str) -> Vec<Problem> {
        let mut p = Problems::default();
        g.check_file("findings/q.md", text, &[], &mut p);
        p.into_vec()
    }

    #[test]
    fn finds_references_and_full_names_as_whole_words_in_any_case() {
        let g = Guard::new([("GL-1943", Some("Gemma O'Neill")), ("GL-2", Some("Skye"))]);
        let p = problems(
            &g,
            "Fine.\nWe met gemma o'neill and read gl-1943.\nGL-19431 is another.\nSkye\n",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!((p[0].line, p[0].column), (Some(2), Some(8)));
        assert!(
            p[0].message.contains("name is written here (\"gemma o'neill\")"),
            "{}",
            p[0].message
        );
        assert!(p[1].message.contains("case reference"));
    }

    #[test]
    fn a_name_in_the_possessive_is_found() {
        let g = Guard::new([("GL-7", Some("Eilidh Kerr"))]);
        for text in [
            "We met Eilidh Kerr's family.",
            "Eilidh Kerr\u{2019}s plan",
            "the Eilidh Kerrs' flat",
        ] {
            assert_eq!(problems(&g, text).len(), 1, "{text}");
        }
        // A longer word is another word.
        assert!(problems(&g, "Eilidh Kerrson came.").is_empty());
    }

    #[test]
    fn disguised_identifiers_are_found_where_they_were_typed() {
        let g = Guard::new([("GL-200056", Some("Gemma O'Neill"))]);
        for (text, column) in [
            ("Met Gemma O\u{2019}Neill.", 5),
            ("Met Gem\u{00AD}ma O'Neill.", 5),
            ("Met G\u{0435}mma O'Neill.", 5),
            ("Read GL\u{200B}-200056.", 6),
            ("Read GL200056.", 6),
            ("Read GL-2**000**56.", 6),
        ] {
            let p = problems(&g, text);
            assert_eq!(p.len(), 1, "{text:?}: {p:?}");
            assert_eq!(p[0].column, Some(column), "{text:?}");
        }
        // Across a line: found at the line where it starts.
        let p = problems(&g, "We met Gemma\nO'Neill.");
        assert_eq!((p[0].line, p[0].column), (Some(1), Some(8)));
    }

    #[test]
    fn decoded_pieces_are_found_at_their_place() {
        let g = Guard::new([("GL-200056", Some("Eilidh Sinclair"))]);
        let text = "We met Eil*id*h Sinclair.";
        let pieces = vec![
            ("We met Eil".to_string(), 0),
            ("id".to_string(), 11),
            ("h Sinclair.".to_string(), 14),
        ];
        let mut p = Problems::default();
        g.check_file("findings/q.md", text, &pieces, &mut p);
        let p = p.into_vec();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].column, Some(8));
    }
}
