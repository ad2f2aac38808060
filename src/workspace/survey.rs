//! The staff survey of named persons: its questions (built in, or the
//! folder's `templates/staff-survey-questions.txt`) and its results
//! (`findings/survey.csv`), each checked with every problem located. Plain
//! functions with unit tests; the documents only print what these give.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::base::error::{did_you_mean, Problem, Problems};
use crate::model::Position;
use crate::rules::methodology::Methodology;
use crate::workspace::csv_file::{each_record, Positioned};

/// The questions' template: one question a line, `#` starts a comment line.
pub const QUESTIONS_TEMPLATE: &str = "staff-survey-questions.txt";
/// The survey's results, written by the team from the survey tool's export.
pub const RESULTS_FILE: &str = "findings/survey.csv";
/// The answers, in the order the invitation lists them and the CSV's columns.
pub const ANSWERS: [(&str, &str); 5] = [
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
    ("dont_know", "Don't know"),
];
/// More questions than a short survey of busy staff should have.
pub const MAX_QUESTIONS: usize = 30;
/// The longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 300;
/// The largest questions file read.
const MAX_QUESTIONS_BYTES: u64 = 64 << 10;

/// The survey's questions, from the folder's own template when it has one.
pub fn load_questions(root: &Path, problems: &mut Problems) -> Vec<String> {
    let rel = Path::new(crate::model::folder::TEMPLATES).join(QUESTIONS_TEMPLATE);
    let name = crate::base::text::slashed(&rel);
    if !root.join(&rel).exists() {
        let bundled = crate::base::assets::BUNDLED
            .get_file(QUESTIONS_TEMPLATE)
            .and_then(|f| f.contents_utf8())
            .expect("the built-in survey questions are bundled");
        return parse_questions(&name, bundled, problems);
    }
    let text = crate::base::files::read_inside(root, &rel, MAX_QUESTIONS_BYTES)
        .map_err(|why| Box::new(Problem::new(&name, why)))
        .and_then(|bytes| crate::workspace::encoding::decode(&name, bytes));
    match text {
        Ok(text) => parse_questions(&name, &text, problems),
        Err(p) => {
            problems.push(p.help(
                "the file holds the survey's questions, one a line: `scrutiny templates` writes the built-in ones",
            ));
            Vec::new()
        }
    }
}

/// One question a line; blank lines and lines starting with `#` are skipped.
pub fn parse_questions(file: &str, text: &str, problems: &mut Problems) -> Vec<String> {
    let mut questions: Vec<String> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let q = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if q.is_empty() || q.starts_with('#') {
            continue;
        }
        let at = |message: String, help: &str| Problem::new(file, message).at(i + 1, 1).help(help);
        if q.chars().count() > MAX_QUESTION_CHARS {
            problems.push(at(
                format!(
                    "the question is {} characters long; at most {MAX_QUESTION_CHARS} are allowed",
                    q.chars().count()
                ),
                "a survey question reads best as one short sentence: split it in two",
            ));
            continue;
        }
        if let Some(first) = seen.insert(key(&q), i + 1) {
            problems.push(at(
                format!("the question is asked twice (first on line {first})"),
                "remove one of them",
            ));
            continue;
        }
        questions.push(q);
    }
    if questions.is_empty() {
        problems.push(
            Problem::new(file, "the survey has no questions")
                .line(1)
                .help("write one question a line; lines starting with # are notes and are skipped"),
        );
    } else if questions.len() > MAX_QUESTIONS {
        problems.push(
            Problem::new(
                file,
                format!(
                    "the survey has {} questions; at most {MAX_QUESTIONS} are allowed",
                    questions.len()
                ),
            )
            .line(1)
            .help("a short survey gets more answers: keep the questions that matter most"),
        );
    }
    questions
}

/// A question as compared: case, spacing and typographic quotes do not count,
/// as a survey tool's export may change them.
fn key(q: &str) -> String {
    q.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"")
        .to_lowercase()
}

/// The answers to one question of the survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    /// The question in the survey's words.
    pub question: String,
    /// How many chose each answer, in the order of [`ANSWERS`].
    pub counts: [usize; 5],
}

impl Answers {
    /// Everyone who answered the question, "don't know" included.
    pub fn returns(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Those who agree or strongly agree.
    pub fn agree(&self) -> usize {
        self.counts[0] + self.counts[1]
    }

    /// The percentage who agree, none below the small number of returns.
    pub fn percent_agree(&self, m: &Methodology) -> Option<f64> {
        let n = self.returns();
        (!m.is_small(n)).then(|| 100.0 * self.agree() as f64 / n as f64)
    }
}

/// The survey's returns: the most answers any question had (a person may
/// skip a question, never answer one twice).
pub fn returns(answers: &[Answers]) -> usize {
    answers.iter().map(Answers::returns).max().unwrap_or(0)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    question: String,
    strongly_agree: String,
    agree: String,
    disagree: String,
    strongly_disagree: String,
    dont_know: String,
    #[serde(skip)]
    at: Position,
}

impl Positioned for Row {
    fn set_position(&mut self, at: Position) {
        self.at = at;
    }
}

/// A row's five counts, when each reads as a count; else each that does not
/// is told to `problem` (its column, the message, the help).
fn counts(row: &Row, mut problem: impl FnMut(&str, String, String)) -> Option<[usize; 5]> {
    let values = [
        &row.strongly_agree,
        &row.agree,
        &row.disagree,
        &row.strongly_disagree,
        &row.dont_know,
    ];
    let mut counts = [0usize; 5];
    let mut ok = true;
    for (i, (value, (name, _))) in values.iter().zip(ANSWERS).enumerate() {
        match value.parse::<usize>() {
            Ok(n) => counts[i] = n,
            Err(_) => {
                ok = false;
                let (message, help) = if value.is_empty() {
                    (format!("`{name}` is empty"), "write 0 where nobody chose this answer")
                } else if value.parse::<i64>().is_ok_and(|n| n < 0) {
                    (
                        format!("`{name}` is {value}: a count cannot be negative"),
                        "write how many staff chose this answer, 0 or more",
                    )
                } else {
                    (
                        format!("`{name}` is `{value}`, not a count"),
                        "write how many staff chose this answer as a whole number, like 12",
                    )
                };
                problem(name, message, help.to_string());
            }
        }
    }
    ok.then_some(counts)
}

/// `findings/survey.csv` checked against the survey's questions: the answers
/// in the survey's order, and warnings for questions it has no row for.
pub fn load_results(text: &str, questions: &[String], problems: &mut Problems) -> (Vec<Answers>, Vec<Problem>) {
    let columns: Vec<&str> = std::iter::once("question").chain(ANSWERS.iter().map(|a| a.0)).collect();
    let keys: Vec<String> = questions.iter().map(|q| key(q)).collect();
    // Each question's first row: its line, and its counts when they read.
    let mut found: HashMap<usize, (usize, Option<[usize; 5]>)> = HashMap::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    each_record(
        RESULTS_FILE,
        text.as_bytes(),
        (&columns, &[]),
        problems,
        |n: &[String], row: Row| {
            if names.is_empty() {
                names = n.to_vec();
            }
            rows.push(row);
        },
    );
    for row in rows {
        let col = |name: &str| names.iter().position(|n| n == name).map_or(1, |i| i + 1);
        let at = |name: &str, message: String, help: String| {
            Problem::new(RESULTS_FILE, message)
                .at(row.at.line, col(name))
                .place(format!("record {}", row.at.record))
                .help(help)
        };
        let counts = counts(&row, |name, message, help| problems.push(at(name, message, help)));
        let Some(index) = keys.iter().position(|k| *k == key(&row.question)) else {
            let help = match did_you_mean(&row.question, questions.iter().map(String::as_str)) {
                Some(q) => format!("did you mean \"{q}\"? The question must read as the survey asked it"),
                None => format!(
                    "the survey's questions are in {}/{QUESTIONS_TEMPLATE} (built in unless the folder has its own); copy the question's words from there",
                    crate::model::folder::TEMPLATES
                ),
            };
            problems.push(at(
                "question",
                format!("\"{}\" is not a question of the survey", row.question),
                help,
            ));
            continue;
        };
        if let Some((first, _)) = found.get(&index) {
            problems.push(at(
                "question",
                format!("the question has a second row (first on line {first})"),
                "keep one row per question, with the counts of every return".into(),
            ));
            continue;
        }
        found.insert(index, (row.at.line, counts));
    }
    let mut answers = Vec::new();
    let mut warnings = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        match found.get(&i) {
            Some((_, Some(counts))) => answers.push(Answers {
                question: q.clone(),
                counts: *counts,
            }),
            // Its counts are problems of their own.
            Some((_, None)) => {}
            None => warnings.push(
                Problem::new(RESULTS_FILE, format!("no row for the survey's question \"{q}\""))
                    .help("add its counts, or the record of findings leaves it out"),
            ),
        }
    }
    (answers, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<String> {
        vec![
            "I know who the lead professional is.".into(),
            "I feel supported.".into(),
        ]
    }

    #[test]
    fn questions_skip_notes_and_blank_lines_and_refuse_repeats() {
        let mut p = Problems::default();
        let q = parse_questions("q.txt", "# notes\n\nOne?\n  Two   words?\none?\n", &mut p);
        assert_eq!(q, vec!["One?", "Two words?"]);
        let p = p.into_vec();
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("asked twice (first on line 3)"), "{p:?}");
        assert_eq!(p[0].line, Some(5));
    }

    #[test]
    fn an_empty_questions_file_is_a_problem() {
        let mut p = Problems::default();
        assert!(parse_questions("q.txt", "# only a note\n", &mut p).is_empty());
        assert!(p.into_vec()[0].message.contains("no questions"));
    }

    #[test]
    fn the_built_in_questions_are_about_ten_and_read_cleanly() {
        let text = crate::base::assets::BUNDLED
            .get_file(QUESTIONS_TEMPLATE)
            .and_then(|f| f.contents_utf8())
            .unwrap();
        let mut p = Problems::default();
        let q = parse_questions("q", text, &mut p);
        assert!(p.is_empty());
        assert!((8..=12).contains(&q.len()), "{}", q.len());
    }

    #[test]
    fn results_follow_the_surveys_order_whatever_the_spelling() {
        let csv = "question,strongly_agree,agree,disagree,strongly_disagree,dont_know\n\
                   I FEEL  supported.,1,2,3,4,0\n\
                   I know who the lead professional is.,5,6,1,0,2\n";
        let mut p = Problems::default();
        let (a, w) = load_results(csv, &questions(), &mut p);
        assert!(p.is_empty() && w.is_empty());
        assert_eq!(a[0].question, "I know who the lead professional is.");
        assert_eq!((a[0].returns(), a[0].agree()), (14, 11));
        assert_eq!(returns(&a), 14);
        let m = Methodology::default();
        assert_eq!(a[1].percent_agree(&m).map(|p| p.round()), Some(30.0));
    }

    #[test]
    fn bad_counts_and_unknown_questions_are_located() {
        let csv = "question,strongly_agree,agree,disagree,strongly_disagree,dont_know\n\
                   I feel supportd.,1,-2,x,,0\n";
        let mut p = Problems::default();
        let (a, w) = load_results(csv, &questions(), &mut p);
        assert!(a.is_empty());
        assert_eq!(w.len(), 2);
        let p = p.into_vec();
        let got: Vec<(usize, String)> = p.iter().map(|p| (p.column.unwrap(), p.message.clone())).collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[0].0 == 3 && got[0].1.contains("cannot be negative"), "{got:?}");
        assert!(got[1].0 == 4 && got[1].1.contains("not a count"), "{got:?}");
        assert!(got[2].0 == 5 && got[2].1.contains("is empty"), "{got:?}");
        assert!(got[3].0 == 1 && got[3].1.contains("not a question"), "{got:?}");
        assert!(p[3]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean \"I feel supported.\""));
    }

    #[test]
    fn a_question_given_twice_is_a_problem_even_when_its_first_counts_are_bad() {
        let csv = "question,strongly_agree,agree,disagree,strongly_disagree,dont_know\n\
                   I feel supported.,1,x,0,0,0\n\
                   I feel supported.,1,2,0,0,0\n";
        let mut p = Problems::default();
        let (a, w) = load_results(csv, &questions(), &mut p);
        let p = p.into_vec();
        assert!(a.is_empty() && w.len() == 1, "{a:?} {w:?}");
        assert!(
            p.iter().any(|p| p.message.contains("second row (first on line 2)")),
            "{p:?}"
        );
    }

    #[test]
    fn a_percentage_needs_five_returns() {
        let m = Methodology::default();
        let a = Answers {
            question: "q".into(),
            counts: [1, 1, 1, 1, 0],
        };
        assert_eq!(a.percent_agree(&m), None);
    }
}
