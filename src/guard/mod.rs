//! The disclosure guard: published documents never carry a child's case
//! reference or full name, however written and wherever it comes from.
//!
//! It works by provenance. Every free-text input that can reach a published
//! document (the findings, `inspection.toml`'s own texts, `contacts.csv`,
//! `scoping.toml`, the reply's support, the survey's questions, `issued/`
//! records, the folder's own templates) is read at its own file, line and
//! column against every child ([`sources`]), with no exemption: a name that a
//! contact shares is still a child's name in free text. A person's name is
//! allowed only in a field that holds that person (a contact's `name`, an
//! addressee's `salutation`). Then every published output is read again as
//! other software reads it ([`published`]), where a name is allowed only as a
//! person the document's own data prints from their fields.
//!
//! Matching does not care how a name is written ([`mod@fold`]): in either order,
//! with any spacing or punctuation between its parts or its letters, in any
//! case, with look-alike letters and digits of any script.

pub mod fold;
mod person;
pub mod published;
pub mod sources;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::base::error::{Problem, Problems};
use crate::base::text::cut;
use crate::model::Contact;
use fold::{fold, fold_located, fold_pieces, Folded};

/// What the guard looks for, built once from `population.csv`.
#[derive(Debug, Clone)]
pub struct Guard {
    finder: Option<AhoCorasick>,
    /// For each pattern: what it is.
    kinds: Vec<Identifier>,
    /// The contacts' names: a warning, not an error, in the public report.
    contacts: Option<AhoCorasick>,
    /// The names of the people letters go to, list or are signed by
    /// (contacts, addressees, the team; never who an `issued/` record names), folded: a
    /// document may print one of them where its own data holds that person.
    people: BTreeSet<String>,
    /// The same names, to find in a field that holds a person.
    persons: Option<AhoCorasick>,
}

/// What a pattern of the guard finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Identifier {
    Reference,
    /// A full name; `solid`: it may be found written as one word
    /// ("eilidhsinclair"), which only a long name can be without
    /// matching ordinary words; `splits`: where in the pattern each of its
    /// words after the first begins (bit `k` for byte `k`), which no
    /// sentence's end may fall on ("on Skye. Young people"); `written`:
    /// the first name and the last in the order given, between which a
    /// middle name may stand ("Hamish J. Docherty", never "Docherty J. Hamish").
    Name {
        solid: bool,
        splits: u64,
        written: bool,
    },
}

impl Identifier {
    /// One pattern for two children: a reference over a name, and a name
    /// solid and split only where it is for both.
    fn merge(self, other: Identifier) -> Identifier {
        match (self, other) {
            (
                Identifier::Name { solid, splits, written },
                Identifier::Name {
                    solid: other_solid,
                    splits: other_splits,
                    written: other_written,
                },
            ) => Identifier::Name {
                solid: solid || other_solid,
                splits: splits & other_splits,
                written: written || other_written,
            },
            _ => Identifier::Reference,
        }
    }
}

/// The version of what the guard finds: a published document kept from an
/// earlier build was checked by the rules of its day, so a change to them
/// (raise this number) has every published document typeset and read again.
pub const RULES: u32 = 4;

/// The shortest name that is looked for written as one word.
const SOLID_NAME: usize = 7;

/// The longest word looked for between a child's first and last names
/// (a middle name or initial: "Hamish John Docherty").
const MIDDLE_NAME: usize = 12;

/// Words that are never a middle name: "Skye and Young" is two names.
const NOT_MIDDLE: &[&str] = &[
    "and", "or", "of", "the", "to", "in", "on", "at", "by", "for", "with", "from", "a", "an", "is", "was", "nor",
    "but", "as", "vs", "v",
];

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

/// Matches of `finder` in folded text that stand as whole words: (start,
/// end, pattern). A possessive ends a name too ("Kerr's" folds to "kerrs").
fn whole(finder: &AhoCorasick, folded: &Folded) -> Vec<(usize, usize, usize)> {
    let bytes = folded.text.as_bytes();
    let ends = |end: usize| folded.boundary(end) || (bytes[end] == b's' && folded.boundary(end + 1));
    finder
        .find_overlapping_iter(&folded.text)
        .filter(|m| folded.boundary(m.start()) && ends(m.end()))
        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
        .collect()
}

/// Where each of `persons` stands as whole words in the printed text, as
/// the places in the text of its first and last letters. A capital inside a
/// run starts a name here too, as it does a child's: a table's cells can be
/// read run together ("Inspection LeadMorag Petrie").
fn printed_at(persons: &AhoCorasick, folded: &Folded) -> Vec<(usize, usize)> {
    let starts = |at: usize| folded.boundary(at) || folded.starts[at] == fold::CAPITAL;
    persons
        .find_overlapping_iter(&folded.text)
        .filter(|m| starts(m.start()) && (m.end() == folded.text.len() || starts(m.end())))
        .map(|m| (folded.origins[m.start()], folded.origins[m.end() - 1]))
        .collect()
}

/// Whether every letter of the hit `start..end` in `folded` stands in one of
/// the people's printed names (`spans`, in the printed text): a name read
/// across two of them, or across a name and the e-mail beside it ("Morag
/// Petrie morag.petrie@..." reads "Petrie Morag"), is theirs. A name with
/// any letter outside them ("Ann Eilidh Sinclair", where Ann Eilidh is the
/// person) is still found.
fn covered(spans: &[(usize, usize)], folded: &Folded, start: usize, end: usize) -> bool {
    folded.origins[start..end]
        .iter()
        .all(|&at| spans.iter().any(|&(first, last)| first <= at && at <= last))
}

const HELP: &str = "published documents never identify a child: describe the child instead \
                    (e.g. \"a young person in foster care\") and build again";

/// What of a source the guard reads.
#[derive(Debug, Clone, Copy)]
pub enum Read<'a> {
    /// The text as typed.
    Typed,
    /// The text as typed, and as a reader reads it once decoded (Markdown's
    /// text without its marks), each piece with its offset in the text; the
    /// pieces read on from one another.
    Prose(&'a [(String, usize)]),
    /// Only the values written in the text (a TOML file's strings with their
    /// escapes decoded, a CSV file's fields), each apart.
    Fields(&'a [Field]),
}

/// One value of a file, as a reader reads it.
#[derive(Debug, Clone)]
pub struct Field {
    /// The value, decoded.
    pub text: String,
    /// Where it starts in the file.
    pub at: usize,
    /// What it is, for messages: "key areas.rationale", "column role".
    pub key: String,
}

/// One identifier found: where its first and last characters start in the
/// original text, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub last: usize,
    pub kind: &'static str,
}

/// What a published output must not say, as the error that stops the
/// build before anything is written; nothing when all is well. `what` says
/// what the output would do: "would identify a child".
pub fn refuse(output: &str, what: &str, problems: Problems) -> crate::base::error::Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(crate::base::error::Error::new(
        crate::base::error::ErrorKind::InvalidInput,
        format!("{output} {what}; nothing was written"),
    )
    .with_problems(problems.into_vec()))
}

/// The fewest letters and digits a case reference may have.
pub const MIN_REFERENCE: usize = 3;

/// Whether a case reference is too short to be told from other text.
pub fn reference_too_short(case_ref: &str) -> bool {
    let n = fold_located(case_ref).text.chars().count();
    n > 0 && n < MIN_REFERENCE
}

impl Guard {
    /// From each child's case reference and name (if known).
    pub fn new<'a>(children: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Guard {
        let mut patterns: Vec<(String, Identifier)> = Vec::new();
        for (case_ref, name) in children {
            let case_ref = fold_located(case_ref).text;
            // A shorter one is refused where it is written (population.csv):
            // it could not be told from a page number or a heading's.
            if case_ref.chars().count() >= MIN_REFERENCE {
                patterns.push((case_ref, Identifier::Reference));
            }
            patterns.extend(name_patterns(name.unwrap_or("")));
        }
        // Two children may share a name: one pattern, one problem per place.
        // (Sorted rather than hashed, so that 200,000 children's identifiers are not held twice.)
        patterns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        patterns.dedup_by(|a, b| {
            let same = a.0 == b.0;
            if same {
                b.1 = b.1.merge(a.1);
            }
            same
        });
        let kinds = patterns.iter().map(|(_, k)| *k).collect();
        Guard {
            finder: finder(patterns.into_iter().map(|(p, _)| p)),
            kinds,
            contacts: None,
            people: BTreeSet::new(),
            persons: None,
        }
    }

    /// Also knows the people of the inspection (contacts, addressees, the
    /// team): a document may print one of them where its
    /// data holds that person, and a contact's name in the public report is
    /// worth a warning.
    pub fn with_people<'a>(mut self, contacts: &'a [Contact], people: impl IntoIterator<Item = &'a str>) -> Guard {
        self.contacts = finder(
            contacts
                .iter()
                .filter_map(|c| full_name(&c.name))
                .map(|n| n.replace(' ', "")),
        );
        // A "name" that holds a child's other than as the person's own
        // ("Jo Bell (Hamish Docherty)") is no one's: it excuses nothing.
        let people: BTreeSet<String> = contacts
            .iter()
            .map(|c| c.name.as_str())
            .chain(people)
            .filter(|name| self.is_a_name(name))
            .filter_map(full_name)
            .collect();
        self.people = people;
        self.persons = finder(self.people.iter().map(|p| p.replace(' ', "")));
        self
    }

    /// Whether `name` holds no child's identifier, or a child's name only
    /// where the person's own name stands (see [`person`]).
    fn is_a_name(&self, name: &str) -> bool {
        let folded = fold_located(name);
        self.hits(&folded)
            .iter()
            .all(|hit| hit.kind == "name" && stands_in(name, 0, hit, name.len()))
    }

    /// Those of `names` (the folder's people) whose own name holds a child's,
    /// as a holder "Zoë Ní Bhriain-Łukasz" holds the child "Zoë Ní Bhriain":
    /// the one way the guard takes a child's name for someone else's is as
    /// such a person, printed where a document's data holds them (`check`
    /// lists them, so the lead knows why the name passes there).
    pub fn sharing_a_name<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        let mut shared: Vec<&str> = names
            .into_iter()
            .filter(|n| self.hits(&fold_located(n)).iter().any(|h| h.kind == "name") && self.is_a_name(n))
            .collect();
        shared.sort_unstable();
        shared.dedup();
        shared
    }

    /// Whether there is anyone to look for.
    pub fn is_empty(&self) -> bool {
        self.finder.is_none()
    }

    /// Every child identifier in folded text, by its place in the folded text.
    fn matches(&self, folded: &Folded) -> Vec<(usize, usize, Identifier)> {
        let Some(finder) = &self.finder else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize, Identifier)> = whole(finder, folded)
            .into_iter()
            .map(|(s, e, p)| (s, e, self.kinds[p]))
            .filter(|&(s, e, kind)| match kind {
                // A short name written as one word could be an ordinary word;
                // a name's words are never split by a sentence's end.
                Identifier::Name { solid, splits, .. } => {
                    (solid || folded.broken(s, e))
                        && !(1..e - s).any(|k| k < 64 && splits >> k & 1 == 1 && folded.stops[s + k])
                }
                Identifier::Reference => true,
            })
            .collect();
        found.extend(self.with_middle_names(finder, folded));
        found.retain(|&(s, e, kind)| matches!(kind, Identifier::Reference) || !folded.has_number_word(s, e));
        found
    }

    /// Names written with a middle name or initial between the first and
    /// the last ("Hamish J. Docherty", "Hamish John Docherty"), not across
    /// a sentence's end.
    fn with_middle_names(&self, finder: &AhoCorasick, folded: &Folded) -> Vec<(usize, usize, Identifier)> {
        let words = folded.word_spans();
        let mut found = Vec::new();
        for w in words.windows(3) {
            let [(s1, e1), (s2, e2), (s3, e3)] = [w[0], w[1], w[2]];
            let middle = &folded.text[s2..e2];
            if e2 - s2 > MIDDLE_NAME || NOT_MIDDLE.contains(&middle) || folded.stops[s2] || folded.stops[s3] {
                continue;
            }
            let last = &folded.text[s3..e3];
            // The last name, or it in the possessive.
            for last in [Some(last), last.strip_suffix('s')].into_iter().flatten() {
                let joined = format!("{}{last}", &folded.text[s1..e1]);
                let split = e1 - s1;
                let kind = finder
                    .find_overlapping_iter(&joined)
                    .filter(|m| m.start() == 0 && m.end() == joined.len())
                    .map(|m| self.kinds[m.pattern().as_usize()])
                    .find(|k| {
                        matches!(k, Identifier::Name { splits, written: true, .. } if split >= 64 || splits >> split & 1 == 1)
                    });
                if let Some(kind) = kind {
                    found.push((s1, s3 + last.len(), kind));
                    break;
                }
            }
        }
        found
    }

    /// Every child identifier in folded text, placed in the original.
    pub fn hits(&self, folded: &Folded) -> Vec<Hit> {
        let mut hits: Vec<Hit> = self
            .matches(folded)
            .into_iter()
            .map(|(s, e, kind)| hit(folded, s, e, kind))
            .collect();
        // Longest first where they start together; one inside another is one identifier.
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.last)));
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            if !kept.iter().any(|k| k.start <= h.start && h.last <= k.last) {
                kept.push(h);
            }
        }
        kept
    }

    /// The identifiers in what `read` gives of `text`, by where each starts,
    /// each with the key of the field it is in (for a file's fields). A name
    /// inside one of `allowed` (a field holding a person) is that person's
    /// only where it stands as a known person's name (see [`person`]).
    fn found<'r>(
        &self,
        text: &str,
        read: &Read<'r>,
        allowed: &[Range<usize>],
    ) -> BTreeMap<usize, (Hit, Option<&'r str>)> {
        let mut found = BTreeMap::new();
        for reading in readings(text, read) {
            let folded = &reading.folded;
            // In a field that holds a person, only that person's name is theirs.
            let persons = match (&self.persons, reading.field) {
                (Some(f), Some(_)) if !allowed.is_empty() => whole(f, folded),
                _ => Vec::new(),
            };
            for hit in self.hits(folded) {
                let a_person = hit.kind == "name"
                    && reading.field.is_some_and(|(value, at)| {
                        allowed.iter().any(|r| {
                            r.contains(&hit.start)
                                && r.contains(&hit.last)
                                && persons.iter().any(|&(s, e, _)| {
                                    folded.origins[s] <= hit.start && hit.last <= folded.origins[e - 1]
                                })
                                && stands_in(value, at, &hit, r.end)
                        })
                    });
                if !a_person {
                    found.entry(hit.start).or_insert((hit, reading.key));
                }
            }
        }
        found
    }

    /// Problems for each identifier in a text that is not published as
    /// written, such as a picture's metadata (see [`Guard::check_source`]).
    pub fn check_file(&self, file: &str, text: &str, problems: &mut Problems) {
        for (hit, _) in self.found(text, &Read::Typed, &[]).into_values() {
            problems.push(self.written(file, text, &hit, None));
        }
    }

    /// Problems for a free-text source at its own place: each child's
    /// identifier in what `read` gives of `text` (a name allowed only inside
    /// `allowed`, the fields that hold a person), each character that turns
    /// text around, and each word that mixes scripts.
    pub fn check_source(&self, file: &str, text: &str, read: &Read, allowed: &[Range<usize>], problems: &mut Problems) {
        for (hit, key) in self.found(text, read, allowed).into_values() {
            problems.push(self.written(file, text, &hit, key));
        }
        sources::hygiene(file, text, read, problems);
    }

    fn written(&self, file: &str, text: &str, hit: &Hit, key: Option<&str>) -> Problem {
        let (line, column) = crate::base::text::line_col(text, floor(text, hit.start));
        let shown = match key {
            Some(key) => format!(", in {key}"),
            None => String::new(),
        };
        Problem::new(
            file,
            format!(
                "a child's {} is written here (\"{}\"){shown}",
                hit.kind,
                quote(text, hit)
            ),
        )
        .at(line, column)
        .help(HELP)
    }

    /// The people of the inspection that a document's data holds as a whole
    /// value (an addressee's `name`, a holder's): the names it may print.
    pub fn printed_people(&self, context: &minijinja::Value) -> Vec<String> {
        let mut found = BTreeSet::new();
        if !self.people.is_empty() {
            people_in(context, &self.people, &mut found, 0);
        }
        found.into_iter().collect()
    }

    /// Every person the inspection knows: for a file made from the folder's
    /// fields alone (a workbook listing the holders).
    pub fn everyone(&self) -> Vec<String> {
        self.people.iter().cloned().collect()
    }

    /// Problems for each identifier in what a published output holds, and
    /// for any character that turns its text around. Each identifier is named
    /// once, where it is first found. A child's name inside the name of one
    /// of `people` (folded, as [`Guard::printed_people`] gives them) is that
    /// person's.
    pub fn check_output(&self, output: &str, reading: &published::Reading, people: &[String], problems: &mut Problems) {
        let persons = finder(people.iter().map(|p| p.replace(' ', "")).filter(|p| !p.is_empty()));
        let mut seen = BTreeSet::new();
        for (i, (_, text)) in reading.texts.iter().enumerate() {
            let mut folds = vec![fold_located(text)];
            if fold::has_letter_signs(text) {
                folds.push(fold::fold_signs_as_letters([(text.as_str(), 0)]));
            }
            // Where the people's names stand, in the text as printed: read in
            // the plain folding, and held against every folding's hits.
            let spans = persons.as_ref().map(|f| printed_at(f, &folds[0])).unwrap_or_default();
            for folded in &folds {
                self.printed(output, reading, i, folded, &spans, &mut seen, problems);
            }
            if let Some((at, c)) = text.char_indices().find(|&(_, c)| fold::bidi_control(c)) {
                problems.push(
                    Problem::new(
                        output,
                        format!("a character that turns text around (U+{:04X}) is printed", c as u32),
                    )
                    .place(reading.place(i, at))
                    .help("it makes text show other than it reads: take it out of the template that prints it"),
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
        for what in &reading.turned {
            problems.push(
                Problem::new(output, format!("{what} turns text around"))
                    .help("it makes text show other than it reads: take it out of the template that prints it"),
            );
        }
        for what in &reading.unseen {
            problems.push(
                Problem::new(output, what.clone()).help(
                    "a published document says only what its readers see: take the hidden text out of the template",
                ),
            );
        }
        for what in &reading.attachments {
            problems.push(
                Problem::new(output, format!("the document carries a file inside it ({what})"))
                    .help("a published document is its pages alone: take the attachment out of the template"),
            );
        }
    }

    /// Problems for each child identifier in the folded `i`th text of a
    /// published output, but a name whose every letter stands in one of the
    /// people's printed names (`spans`, see [`printed_at`]), each named once.
    #[allow(clippy::too_many_arguments)]
    fn printed(
        &self,
        output: &str,
        reading: &published::Reading,
        i: usize,
        folded: &Folded,
        spans: &[(usize, usize)],
        seen: &mut BTreeSet<String>,
        problems: &mut Problems,
    ) {
        let text = &reading.texts[i].1;
        for (s, e, kind) in self.matches(folded) {
            let a_person = matches!(kind, Identifier::Name { .. }) && covered(spans, folded, s, e);
            let hit = hit(folded, s, e, kind);
            if a_person || !seen.insert(folded.text[s..e].to_string()) {
                continue;
            }
            problems.push(
                Problem::new(
                    output,
                    format!("a child's {} is printed (\"{}\")", hit.kind, quote(text, &hit)),
                )
                .place(reading.place(i, hit.start))
                .help(
                    "the folder's own files were checked and do not say it, so a template prints it: \
                     check the templates in your folder's templates/",
                ),
            );
        }
    }

    /// Warnings for each contact's name in a published output.
    pub fn contact_warnings(&self, output: &str, reading: &published::Reading) -> Vec<Problem> {
        let Some(contacts) = &self.contacts else {
            return Vec::new();
        };
        let mut warnings = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, (_, text)) in reading.texts.iter().enumerate() {
            let folded = fold_located(text);
            for (start, end, _) in whole(contacts, &folded) {
                if !folded.broken(start, end) || !seen.insert(folded.text[start..end].to_string()) {
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

/// One way of reading a source: its folded text, the key of the field it
/// is (for messages), and the field's value and where it starts (for a
/// field read forwards, where a person's name may stand).
struct Reading<'r> {
    folded: Folded,
    key: Option<&'r str>,
    field: Option<(&'r str, usize)>,
}

/// The ways `read` reads `text`: as typed, decoded, each field apart, each
/// once more with signs read as letters where it has any ("H@mish"), and
/// text behind a right-to-left override backwards, as it shows.
fn readings<'r>(text: &str, read: &Read<'r>) -> Vec<Reading<'r>> {
    let both = |pieces: &[(&str, usize)]| {
        let mut out = vec![fold_pieces(pieces.iter().copied())];
        if pieces.iter().any(|(t, _)| fold::has_letter_signs(t)) {
            out.push(fold::fold_signs_as_letters(pieces.iter().copied()));
        }
        out
    };
    let plain = |folded| Reading {
        folded,
        key: None,
        field: None,
    };
    let mut out: Vec<Reading<'r>> = match read {
        Read::Typed => both(&[(text, 0)]).into_iter().map(plain).collect(),
        Read::Prose(events) => {
            let pieces: Vec<(&str, usize)> = events.iter().map(|(t, at)| (t.as_str(), *at)).collect();
            both(&[(text, 0)]).into_iter().chain(both(&pieces)).map(plain).collect()
        }
        Read::Fields(fields) => fields
            .iter()
            .flat_map(|f| {
                both(&[(f.text.as_str(), f.at)]).into_iter().map(|folded| Reading {
                    folded,
                    key: Some(f.key.as_str()),
                    field: Some((f.text.as_str(), f.at)),
                })
            })
            .collect(),
    };
    match read {
        Read::Fields(fields) => out.extend(
            fields
                .iter()
                .filter(|f| f.text.chars().any(fold::bidi_control))
                .map(|f| Reading {
                    folded: backwards(&f.text, f.at),
                    key: Some(f.key.as_str()),
                    field: None,
                }),
        ),
        _ if text.chars().any(fold::bidi_control) => out.push(plain(backwards(text, 0))),
        _ => {}
    }
    out
}

/// Whether `hit` stands as a person's name in a field's `value` (starting
/// at `at` in its file), read up to `end` in the file.
fn stands_in(value: &str, at: usize, hit: &Hit, end: usize) -> bool {
    let (Some(start), Some(last)) = (hit.start.checked_sub(at), hit.last.checked_sub(at)) else {
        return false;
    };
    let last_end = value
        .get(last..)
        .and_then(|r| r.chars().next())
        .map_or(last + 1, |c| last + c.len_utf8());
    person::stands_as_name(value, start, last_end, end.saturating_sub(at))
}

/// `text` read backwards, as a right-to-left override shows it, each
/// character placed where it is written (from `at`).
fn backwards(text: &str, at: usize) -> Folded {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    fold_pieces(chars.iter().rev().map(|&(i, c)| (&text[i..i + c.len_utf8()], at + i)))
}

fn hit(folded: &Folded, start: usize, end: usize, kind: Identifier) -> Hit {
    // Text read backwards has its origins backwards too.
    let (a, b) = (folded.origins[start], folded.origins[end - 1]);
    Hit {
        start: a.min(b),
        last: a.max(b),
        kind: match kind {
            Identifier::Reference => "case reference",
            Identifier::Name { .. } => "name",
        },
    }
}

/// The patterns a child's full name is found by: its words in each turn
/// ("Eilidh Sinclair" and "Sinclair, Eilidh"), and for a longer name its
/// first and last words alone; none for a single word ("Skye"), which would
/// match ordinary words.
fn name_patterns(name: &str) -> Vec<(String, Identifier)> {
    let words = fold_located(name).words();
    if words.len() < 2 {
        return Vec::new();
    }
    let n = words.len();
    let mut orders: Vec<String> = (0..n)
        .map(|turn| words[turn..].iter().chain(&words[..turn]).map(String::as_str).collect())
        .collect();
    if n > 2 {
        orders.push(format!("{}{}", words[0], words[n - 1]));
        orders.push(format!("{}{}", words[n - 1], words[0]));
    }
    let lens: Vec<usize> = words.iter().map(String::len).collect();
    let mut out: Vec<(String, Identifier)> = Vec::with_capacity(orders.len());
    for (i, p) in orders.into_iter().enumerate() {
        // Where each word after the first begins in this order.
        let order: Vec<usize> = if i < n {
            (i..n).chain(0..i).collect()
        } else if i == n {
            vec![0, n - 1]
        } else {
            vec![n - 1, 0]
        };
        let mut splits = 0u64;
        let mut at = 0;
        for w in &order[..order.len() - 1] {
            at += lens[*w];
            if at < 64 {
                splits |= 1 << at;
            }
        }
        let solid = p.len() >= SOLID_NAME;
        let written = if n == 2 { i == 0 } else { i == n };
        out.push((p, Identifier::Name { solid, splits, written }));
    }
    out
}

/// The folded names in `value` that are people's (short strings only: a
/// name is never a paragraph).
fn people_in(value: &minijinja::Value, people: &BTreeSet<String>, found: &mut BTreeSet<String>, depth: usize) {
    use minijinja::value::ValueKind;
    if depth > 64 {
        return;
    }
    match value.kind() {
        ValueKind::String => {
            let s = value.as_str().unwrap_or_default();
            if s.len() <= 200 {
                let folded = fold(s);
                if people.contains(&folded) {
                    found.insert(folded);
                }
            }
        }
        ValueKind::Seq | ValueKind::Iterable => {
            for item in value.try_iter().into_iter().flatten() {
                people_in(&item, people, found, depth + 1);
            }
        }
        ValueKind::Map => {
            for key in value.try_iter().into_iter().flatten() {
                if let Ok(item) = value.get_item(&key) {
                    people_in(&item, people, found, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The original text of a hit, at most [`cut`]'s length, on one line.
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

/// A full name in the compared form, words apart; one word alone would
/// match ordinary words ("Skye"), so it is not a full name.
fn full_name(name: &str) -> Option<String> {
    let folded = fold(name);
    (folded.split(' ').count() >= 2).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(g: &Guard, text: &str) -> Vec<Problem> {
        let mut p = Problems::default();
        g.check_source("findings/q.md", text, &Read::Typed, &[], &mut p);
        // What the guard finds of children (a look-alike letter is a problem of its own too).
        p.into_vec()
            .into_iter()
            .filter(|p| p.message.contains("a child's"))
            .collect()
    }

    #[test]
    fn a_number_beside_a_name_is_no_word_of_it() {
        // "203" folds like "zoe": an id beside a holder's surname is not the
        // child "Zoë Thomson" written surname first.
        let g = Guard::new([("GL-20056", Some("Zoë Thomson")), ("GL-20057", Some("Zoë MacLeod"))]);
        for text in ["Thomson\n203", "hv-203\nSeán MacLeod", "203 Thomson"] {
            assert!(g.hits(&fold_located(text)).is_empty(), "{text}");
        }
        for text in ["Thomson, Z0ë", "Z03 Thomson", "Zoë Thomson", "Z-0-ë T-h-o-m-s-0-n"] {
            assert_eq!(g.hits(&fold_located(text)).len(), 1, "{text}");
        }
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
        // The people whose own name holds the child's, for `check` to name.
        let shared = g.sharing_a_name([
            "Eilidh Kerr-Łukasz",
            "Dr Eilidh Kerr",
            "Jo Bell (Eilidh Kerr)",
            "Jo Bell",
            "Eilidh Kerr-Łukasz",
        ]);
        assert_eq!(shared, ["Dr Eilidh Kerr", "Eilidh Kerr-Łukasz"]);
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
        g.check_source("findings/q.md", text, &Read::Prose(&pieces), &[], &mut p);
        let p = p.into_vec();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].column, Some(8));
    }

    #[test]
    fn a_name_is_found_in_either_order_and_however_it_is_spaced_or_drawn() {
        let g = Guard::new([
            ("GL-20056", Some("Eilidh Sinclair")),
            ("GL-19431", Some("Tam Ross")),
            ("GL-5", Some("Ian Roy")),
        ]);
        for text in [
            "Sinclair, Eilidh was seen.",
            "SINCLAIR Eilidh",
            "E-i-l-i-d-h Sinclair",
            "E i l i d h  S i n c l a i r",
            "EiIidh SincIair",
            "Ei1idh Sinclair",
            "Eilidh\u{2009}Sinclair",
            "EilidhSinclair",
            "eilidhsinclair",
            "TamRoss",
            "Tamross",
            "Ross, Tam",
            "GL-2OO56",
            "GL-l943l",
            "GL-I943I",
            "GL 20056",
            "gl20056",
            "GL-\u{0662}\u{0660}\u{0660}\u{0665}\u{0666}",
        ] {
            assert_eq!(problems(&g, text).len(), 1, "{text:?}");
        }
        // Ordinary words, a longer number, a short name run together, a
        // name inside a longer word: none is a child.
        for text in [
            "Ianroy",
            "GL-200561",
            "Sinclairs Eilidhs",
            "xEilidh Sinclair",
            "Rossie Tam",
        ] {
            assert!(problems(&g, text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn a_name_is_not_found_across_a_sentences_end() {
        let g = Guard::new([("GL-1", Some("Skye Young")), ("GL-2", Some("Lewis Grant"))]);
        for text in [
            "We met families on Skye. Young people said so.",
            "the Isle of Lewis. Grant aid is spent",
            "Skye? Young ones; Lewis! Grant",
            "Lewis: Grant",
            "Skye.\nYoung",
        ] {
            assert!(problems(&g, text).is_empty(), "{text:?}");
        }
        for text in [
            "Skye Young",
            "Young, Skye",
            "Skye.Young",
            "S.k.y.e Young",
            "Lewis J. Grant",
        ] {
            assert_eq!(problems(&g, text).len(), 1, "{text:?}");
        }
    }

    #[test]
    fn middle_names_glued_marks_signs_and_names_run_together_are_found() {
        let g = Guard::new([
            ("GL-95601", Some("Hamish Docherty")),
            ("GL-7", Some("Ben Baird")),
            ("GL-8", Some("Tam Young")),
        ]);
        for text in [
            "We met Hamish J. Docherty today.",
            "Hamish John Docherty",
            "Hamish John Docherty's mother",
            "Docherty, Hamish J.",
            "Hamish Docherty\u{00B9} said",
            "Hamish Docherty2",
            "Hamish Docherty\u{2082}",
            "GL-95601\u{00BD}",
            "GL-95601\u{2074}",
            "H@mish D0cherty",
            "H4mish Doch3rty",
            "Hami$h Docher+y",
            "Hamish+Docherty",
            "hamishdocherty",
            "benbaird",
            "BEN\u{20AC}BAIRD",
        ] {
            assert_eq!(problems(&g, text).len(), 1, "{text:?}");
        }
        for text in [
            "Hamish and Docherty",
            "Hamish went. John Docherty came.",
            "Hamish. John Docherty",
            "Docherty J. Hamish",
            "services for young children Tam leads",
            "GL-956012",
            "benbairdx",
        ] {
            assert!(problems(&g, text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn a_longer_name_is_found_by_its_first_and_last_words() {
        let g = Guard::new([("GL-1", Some("Zoë Ní Bhriain"))]);
        for text in ["Zoe Ni Bhriain", "Ní Bhriain, Zoë", "Zoë Bhriain", "Bhriain, Zoe"] {
            assert_eq!(problems(&g, text).len(), 1, "{text:?}");
        }
    }

    #[test]
    fn a_name_holding_a_child_beside_someone_else_is_no_ones() {
        let g = Guard::new([("GL-1", Some("Hamish Docherty"))]).with_people(
            &[],
            [
                "Jo Bell (Hamish Docherty)",
                "Jordan Reid, guardian of Hamish Docherty",
                "Dr Hamish Docherty-Smith MBE",
                "Ann Lee",
            ],
        );
        assert_eq!(
            g.everyone(),
            vec![fold("Ann Lee"), fold("Dr Hamish Docherty-Smith MBE")]
        );
        // Printed, the one not known is the child's.
        let reading = published::Reading {
            texts: vec![("its text".into(), "To Jo Bell (Hamish Docherty)".to_string())],
            ..published::Reading::default()
        };
        let mut p = Problems::default();
        g.check_output("notice/x.pdf", &reading, &g.everyone(), &mut p);
        assert_eq!(p.into_vec().len(), 1);
    }

    #[test]
    fn a_person_printed_from_their_fields_is_that_person() {
        use crate::guard::published::Reading;
        let g = Guard::new([("GL-20056", Some("Eilidh Sinclair")), ("GL-3", Some("Zoë Ní Bhriain"))]);
        let reading = |text: &str| Reading {
            texts: vec![("its text".into(), text.to_string())],
            ..Reading::default()
        };
        let output = |text: &str, people: &[&str]| {
            let people: Vec<String> = people.iter().map(|p| fold(p)).collect();
            let mut p = Problems::default();
            g.check_output("notice/x.pdf", &reading(text), &people, &mut p);
            p.into_vec()
        };
        assert!(output("Dear Eilidh Sinclair,", &["Eilidh Sinclair"]).is_empty());
        assert!(output("To Zoë Ní Bhriain-Łukasz", &["Zoë Ní Bhriain-Łukasz"]).is_empty());
        // A name and the e-mail beside it read the name backwards across the two.
        assert!(output("Eilidh Sinclair eilidh.sinclair@example.org", &["Eilidh Sinclair"]).is_empty());
        // A word beyond the person's name makes the child's name again: refused.
        assert_eq!(output("Eilidh Sinclair Eilidh", &["Eilidh Sinclair"]).len(), 1);
        assert_eq!(output("To Ann Eilidh Sinclair", &["Ann Eilidh"]).len(), 1);
        // Table cells read run together: the person starts at a capital.
        assert!(output(
            "Inspection LeadEilidh Sinclair\neilidh.sinclair@example.org",
            &["Eilidh Sinclair"]
        )
        .is_empty());
        // The same name where the document holds no such person, or beside the person.
        assert_eq!(output("Dear Eilidh Sinclair,", &[]).len(), 1);
        assert_eq!(
            output("To Ms Ross. About Sinclair, Eilidh.", &["Eilidh Sinclair"]).len(),
            1
        );
        assert_eq!(output("To Ann Lee. About GL-20056.", &["Eilidh Sinclair"]).len(), 1);
        // Text turned around is refused wherever it comes from.
        let turned = output("To \u{202E}rialcniS hdiliE", &["Eilidh Sinclair"]);
        assert!(
            turned.iter().any(|p| p.message.contains("turns text around")),
            "{turned:?}"
        );
    }
}
