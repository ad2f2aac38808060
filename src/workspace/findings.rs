//! Loading `findings/`, the report writers' folder: `findings.toml`, the
//! Markdown prose and `records-reading.csv`, every problem at once with its
//! file, line and column; and the disclosure guard over all of it.

use crate::model::folder;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::csv_file::{read_csv, Positioned};
use super::toml_source::{Seg, TomlSource};
use crate::base::error::{Error, Problem, Problems, Result};
use crate::formats::markdown::{self, Converted, Layout};
use crate::guard::Guard;
use crate::model::findings::{Findings, Status};
use crate::model::{schema_of, Position};
use crate::rules::figures::Figures;
use crate::rules::methodology::{house_count, Place};

pub const FINDINGS_FILE: &str = "findings/findings.toml";
pub const READING_FILE: &str = "findings/records-reading.csv";
/// The writers' own words for the report for children and young people.
pub const YOUNG_PEOPLE_FILE: &str = "findings/young-people.md";

/// The report writers' content, checked.
#[derive(Debug, Clone)]
pub struct Report {
    pub findings: Findings,
    /// `context.md`.
    pub context: Converted,
    /// `question-1.md` to `question-3.md`.
    pub questions: [Converted; 3],
    /// `conclusion.md`, if there is one.
    pub conclusion: Option<Converted>,
    /// `young-people.md`, the writers' own words for the report for children
    /// and young people, if there is one (its `##` headings are sections).
    pub young_people: Option<Converted>,
    /// `good-practice/*.md` in file-name order, each titled by its first heading.
    pub good_practice: Vec<Converted>,
    /// `record/<qi>.md` by indicator.
    pub record: BTreeMap<String, Converted>,
    /// `records-reading.csv`.
    pub readings: Vec<Reading>,
    /// `survey.csv`: the answers to each question of the staff survey, in
    /// the survey's order; none without the file.
    pub survey: Vec<crate::workspace::survey::Answers>,
    /// What is worth a second look but does not stop a build.
    pub warnings: Vec<Problem>,
    /// The figures the prose may cite as `[[name]]`, with their values.
    pub figures: Figures,
}

/// One rating of the records reading.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub case_ref: String,
    pub measure: String,
    /// 1-6 on the six-point scale, or `n/a`.
    pub rating: String,
    #[serde(skip)]
    pub at: Position,
}

impl Positioned for Reading {
    fn set_position(&mut self, at: Position) {
        self.at = at;
    }
}

impl Reading {
    /// The rating's point on the scale, or `None` for `n/a`.
    pub fn points(&self) -> Option<u8> {
        self.rating.parse().ok()
    }
}

/// The largest Markdown, TOML or CSV file of the findings read.
pub const MAX_TEXT_FILE: u64 = 2 << 20;

const READING_COLUMNS: (&[&str], &[&str]) = (&["case_ref", "measure", "rating"], &[]);

/// What the staff survey's results are checked against.
#[derive(Clone, Copy)]
pub struct SurveyInput<'a> {
    /// Whether inspection.toml has `[survey]` (or cannot be read).
    pub set_up: bool,
    /// Whether inspection.toml has `[survey]`: its results are then expected.
    pub expected: bool,
    /// How many named persons were invited, if inspection.toml says.
    pub invited: Option<u32>,
    /// The survey's questions.
    pub questions: &'a [String],
}

/// Loads `root/findings/`, or gives `None` when the folder is not there (the
/// report is then not made). `sampled` holds the case references of the sample
/// (`None` when it could not be drawn: its own problems say why);
/// `guard` holds the identifiers of every child.
pub fn load(
    root: &Path,
    sampled: Option<&HashSet<&str>>,
    guard: &Guard,
    mut figures: Figures,
    survey: SurveyInput,
    problems: &mut Problems,
) -> Result<Option<Report>> {
    let Some(files) = Some(root.join(folder::FINDINGS)).filter(|d| d.is_dir()) else {
        return Ok(None);
    };
    let files = read_folder(&files, problems)?;
    guard_data(&files, guard, problems);
    let guarded = std::cell::RefCell::new(HashSet::new());
    let findings = parse_findings(&files, problems);
    let readings: Vec<Reading> = read_readings(&files, problems);
    let mut warnings = slips(&files, findings.as_ref());
    let findings_ref = findings.as_ref();
    let answers = survey_answers(&files, &survey, findings_ref, &mut figures, &mut warnings, problems);
    if let Some((f, _)) = &findings {
        cite(f, &readings, &mut figures);
    }
    let md = |name: &str, level_of_h2: u8, titled: bool, required: bool, problems: &mut Problems| match files.get(name)
    {
        Some(text) => {
            // The guard reads the text as cited, where the converter's places are.
            let cited = figures.substitute(name, text, problems);
            let c = markdown::convert(name, &cited, Layout { level_of_h2, titled }, root, problems);
            guard.check_source(name, &cited, &crate::guard::Read::Prose(&c.reader), &[], problems);
            guard_pictures(guard, name, &cited, &c.pictures, problems);
            guarded.borrow_mut().insert(name.to_string());
            Some(c)
        }
        None => {
            if required {
                problems.push(Problem::new(name, "the file is missing").help(format!(
                    "write it as Markdown; the worked example has a {name} to follow"
                )));
            }
            None
        }
    };
    let context = md("findings/context.md", 3, false, true, problems);
    let questions = [1, 2, 3].map(|n| md(&format!("findings/question-{n}.md"), 3, false, true, problems));
    let conclusion = md("findings/conclusion.md", 3, false, false, problems);
    let young_people = md(YOUNG_PEOPLE_FILE, 2, false, false, problems);
    let good_practice: Vec<Converted> = in_folder(&files, "good-practice")
        .iter()
        .filter_map(|n| md(n, 3, true, true, problems))
        .collect();
    let mut record = BTreeMap::new();
    for name in &in_folder(&files, "record") {
        if let Some(text) = files.get(name) {
            warnings.extend(repeated_headings(name, text));
        }
        let qi = name.trim_start_matches("findings/record/").trim_end_matches(".md");
        // Under the indicator's own heading (level 3): its sections are level 4.
        if let Some(c) = md(name, 4, false, true, problems) {
            record.insert(qi.to_string(), c);
        }
    }
    guard_unused(&files, &guarded.borrow(), guard, problems);
    let Some((findings, src)) = findings else {
        return Ok(None);
    };
    check(&findings, &src, &record, &readings, sampled, problems);
    warnings.extend(young_people_warnings(&files, findings.status));
    let (Some(context), [Some(q1), Some(q2), Some(q3)]) = (context, questions) else {
        return Ok(None);
    };
    Ok(Some(Report {
        findings,
        context,
        questions: [q1, q2, q3],
        conclusion,
        young_people,
        good_practice,
        record,
        readings,
        survey: answers,
        warnings,
        figures,
    }))
}

/// `records-reading.csv`, when the writers have it.
fn read_readings(files: &BTreeMap<String, String>, problems: &mut Problems) -> Vec<Reading> {
    files
        .get(READING_FILE)
        .map(|t| read_csv(READING_FILE, t, READING_COLUMNS, problems))
        .unwrap_or_default()
}

/// The Markdown files of a folder of `findings/` ("good-practice"), by name.
fn in_folder(files: &BTreeMap<String, String>, dir: &str) -> Vec<String> {
    let dir = format!("findings/{dir}/");
    files
        .keys()
        .filter(|n| n.starts_with(&dir) && n.ends_with(".md"))
        .cloned()
        .collect()
}

/// The writers' words for children and young people, measured as the
/// program's own are; a final report without them is worth a warning.
fn young_people_warnings(files: &BTreeMap<String, String>, status: Status) -> Vec<Problem> {
    match files.get(YOUNG_PEOPLE_FILE) {
        Some(text) => crate::formats::readable::check(YOUNG_PEOPLE_FILE, text),
        None if status == Status::Final => vec![Problem::new(
            YOUNG_PEOPLE_FILE,
            "the final report has no words of the writers' own for children and young people",
        )
        .help("the report for children and young people is made from the data alone; write findings/young-people.md in short, plain sentences (the worked example has one)")],
        None => Vec::new(),
    }
}

/// The writers' slips in every Markdown file (see [`crate::formats::slips`]),
/// and an evaluation titled otherwise than in the framework.
fn slips(files: &BTreeMap<String, String>, findings: Option<&(Findings, TomlSource)>) -> Vec<Problem> {
    let mut out: Vec<Problem> = files
        .iter()
        .filter(|(n, _)| n.ends_with(".md"))
        .flat_map(|(n, t)| crate::formats::slips::check(n, t))
        .collect();
    if let Some((f, src)) = findings {
        out.extend(evaluation_titles(f, src));
    }
    out
}

/// Markdown that no document uses is still checked as it was typed.
fn guard_unused(files: &BTreeMap<String, String>, guarded: &HashSet<String>, guard: &Guard, problems: &mut Problems) {
    for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".md")) {
        if !guarded.contains(name) {
            guard.check_source(name, text, &crate::guard::Read::Typed, &[], problems);
        }
    }
}

/// The staff survey's results, checked, with their figure for the prose.
fn survey_answers(
    files: &BTreeMap<String, String>,
    survey: &SurveyInput,
    findings: Option<&(Findings, TomlSource)>,
    figures: &mut Figures,
    warnings: &mut Vec<Problem>,
    problems: &mut Problems,
) -> Vec<crate::workspace::survey::Answers> {
    use crate::workspace::survey::{load_results, returns, RESULTS_FILE};
    if let Some((f, src)) = findings {
        survey_expected(f, src, files, survey, warnings, problems);
    }
    let methodology = crate::rules::methodology::Methodology::default();
    match files.get(RESULTS_FILE) {
        Some(_) if !survey.set_up => {
            problems.push(
                Problem::new(RESULTS_FILE, "the folder has the staff survey's results, but inspection.toml has no [survey]")
                    .line(1)
                    .help("add [survey] with the `url` named persons answered it at, so that the invitation and the report agree"),
            );
            Vec::new()
        }
        Some(text) => {
            let (answers, missing) = load_results(text, survey.questions, problems);
            warnings.extend(missing);
            if let Some(invited) = survey.invited.filter(|&n| (n as usize) < returns(&answers)) {
                problems.push(
                    Problem::new(
                        RESULTS_FILE,
                        format!(
                            "{} named persons answered a question, but inspection.toml's [survey] says {invited} were invited",
                            returns(&answers)
                        ),
                    )
                    .line(1)
                    .help("correct `invited` in [survey], or the counts here"),
                );
            }
            figures.insert("survey.returns", methodology.count(returns(&answers), Place::Sentence));
            // Each statement's share who agree, and who do not (disagree or
            // don't know), by its place in the survey: survey.11.agree.
            for (n, a) in answers.iter().enumerate() {
                let withheld = format!("not reported ({} answers)", methodology.small_words);
                let (agree, not) = a.percent_agree(&methodology).map_or((withheld.clone(), withheld), |p| {
                    (format!("{p:.0}%"), format!("{:.0}%", 100.0 - p))
                });
                figures.insert(format!("survey.{}.agree", n + 1), agree);
                figures.insert(format!("survey.{}.not_agree", n + 1), not);
            }
            answers
        }
        None => Vec::new(),
    }
}

/// A survey run (`[survey]`) without its results: a warning while the
/// report is a draft, an error once it is final. More answers than people
/// invited is a slip in one of the two.
fn survey_expected(
    f: &Findings,
    src: &TomlSource,
    files: &BTreeMap<String, String>,
    survey: &SurveyInput,
    warnings: &mut Vec<Problem>,
    problems: &mut Problems,
) {
    use crate::workspace::survey::RESULTS_FILE;
    if survey.expected && !files.contains_key(RESULTS_FILE) {
        let p = src
            .locate(&[Seg::Key("status")])
            .message(format!(
                "inspection.toml has [survey], but {RESULTS_FILE} holds no results: the record cannot say what \
                 named persons told us"
            ))
            .help(format!(
                "write the survey's counts to {RESULTS_FILE} (question,strongly_agree,agree,disagree,\
                 strongly_disagree,dont_know), or remove [survey] if no survey was run"
            ));
        match f.status {
            Status::Final => problems.push(p),
            _ => warnings.push(p),
        }
    }
}

/// The figures of `findings.toml` for the prose to cite: what the team met
/// and saw, and the records reading's results.
fn cite(findings: &Findings, readings: &[Reading], figures: &mut Figures) {
    let methodology = crate::rules::methodology::Methodology::default();
    for (key, n, people) in findings.evidence.counts() {
        let value = if people {
            methodology.count(n as usize, Place::Sentence)
        } else {
            house_count(n as usize)
        };
        figures.insert(format!("evidence.{key}"), value);
    }
    for m in &findings.measures {
        let ratings = readings.iter().filter(|r| r.measure == m.key).map(Reading::points);
        figures.add_measure(
            &m.key,
            &crate::rules::figures::result(ratings, &methodology),
            &methodology,
        );
    }
}

/// A heading that a record file gives twice: the record would show two
/// sections of one name (a paste, or a section begun again by mistake).
pub fn repeated_headings(name: &str, text: &str) -> Vec<Problem> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some((range.start, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((start, h)) = heading.take() else { continue };
                let line = text[..start].matches('\n').count() + 1;
                let key = h.trim().to_lowercase();
                match seen.get(&key) {
                    Some(first) => warnings.push(
                        Problem::new(
                            name,
                            format!("the heading \"{}\" is here again (first on line {first})", h.trim()),
                        )
                        .line(line)
                        .help("merge the two sections, or give this one its own heading"),
                    ),
                    None => {
                        seen.insert(key, line);
                    }
                }
            }
            _ => {}
        }
    }
    warnings
}

/// Every text file of `dir` (Markdown, TOML, CSV), by its name relative to the
/// inspection folder; one over the size limit is a problem, judged by its size
/// before it is read.
fn read_folder(dir: &Path, problems: &mut Problems) -> Result<BTreeMap<String, String>> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let below = crate::base::files::files_below(dir).map_err(|(path, e)| Error::io(&path, "read", e))?;
    for (rel, path) in below {
        let name = format!("{}/{rel}", folder::FINDINGS);
        let is_text = name.ends_with(".md") || name.ends_with(".toml") || name.ends_with(".csv");
        // A link to a file inside the folder is read (the folder was scanned for others).
        if !path.is_file() || !is_text {
            continue;
        }
        // Sizes from metadata, before anything is read.
        let size = path.metadata().map(|m| m.len()).unwrap_or(0);
        if size > MAX_TEXT_FILE {
            problems.push(
                Problem::new(
                    &name,
                    format!(
                        "the file is {:.1} MiB, more than the {} MiB a findings file may be",
                        size as f64 / (1 << 20) as f64,
                        MAX_TEXT_FILE >> 20
                    ),
                )
                .line(1)
                .help("a chapter of a report is far shorter: split it, or check that the right file is here"),
            );
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => match crate::workspace::encoding::decode(&name, bytes) {
                Ok(text) => {
                    files.insert(name, text);
                }
                Err(p) => problems.push(*p),
            },
            Err(e) => return Err(Error::io(&path, "read", e)),
        }
    }
    Ok(files)
}

/// The guard reads everything the writers wrote before anything else (the
/// records reading is data keyed by case reference, never printed as such).
/// Markdown is read again as a reader reads it when it is converted.
fn guard_data(files: &BTreeMap<String, String>, guard: &Guard, problems: &mut Problems) {
    for (name, text) in files
        .iter()
        .filter(|(n, _)| n.as_str() != READING_FILE && !n.ends_with(".md"))
    {
        if name.ends_with(".toml") {
            crate::guard::sources::toml(guard, name, text, &[], problems);
        } else {
            crate::guard::sources::plain(guard, name, text, problems);
        }
    }
}

/// A warning for each evaluation whose title is not the framework's.
fn evaluation_titles(f: &Findings, src: &TomlSource) -> Vec<Problem> {
    let at = |i| [Seg::Key("evaluations"), Seg::Index(i)];
    f.evaluations
        .iter()
        .enumerate()
        .filter_map(|(i, e)| framework_title(src, &at(i), &e.qi, &e.title))
        .collect()
}

/// A warning at the `title` of the table at `path` when it is not the 2012
/// framework's title of indicator `qi`, saying the framework's.
pub(super) fn framework_title(src: &TomlSource, path: &[Seg], qi: &str, title: &str) -> Option<Problem> {
    let framework = crate::rules::methodology::title_differs(qi, title)?;
    let mut at = path.to_vec();
    at.push(Seg::Key("title"));
    Some(src.locate(&at).message(format!(
        "{qi} is \"{framework}\" in the 2012 framework (How well are we improving the lives of children and \
         young people?), not \"{}\"",
        crate::base::text::cut(title)
    )).help(format!("write title = \"{framework}\", so the documents name the indicator as the partnership's self-evaluation does")))
}

/// `findings.toml`, parsed and read, with its source for locating problems.
fn parse_findings(files: &BTreeMap<String, String>, problems: &mut Problems) -> Option<(Findings, TomlSource)> {
    match files.get(FINDINGS_FILE) {
        Some(text) => TomlSource::parse(FINDINGS_FILE, text, &schema_of::<Findings>(), problems)
            .and_then(|src| Some((src.deserialize::<Findings>(problems)?, src))),
        None => {
            problems.push(
                Problem::new(
                    FINDINGS_FILE,
                    "the file is missing: it holds the evaluations and recommendations",
                )
                .help("copy findings/findings.toml from the worked example made by `scrutiny init NEW-FOLDER`"),
            );
            None
        }
    }
}

/// A child's identifier in a picture's metadata or an SVG's text: a problem at
/// the line that places the picture.
fn guard_pictures(guard: &Guard, name: &str, text: &str, pictures: &[markdown::PictureUse], problems: &mut Problems) {
    for p in pictures {
        let mut found = Problems::default();
        for t in &p.texts {
            guard.check_file(&p.file, t, &mut found);
        }
        let (line, column) = crate::base::text::line_col(text, p.at);
        for f in found.into_vec() {
            let message = f
                .message
                .replace("is written here", &format!("is in the picture {}", p.file));
            problems.push(
                Problem::new(name, format!("{message}, in its metadata or text"))
                    .at(line, column)
                    .help("remove it from the picture (its description, title or text) or use another picture, then build again"),
            );
        }
    }
}

/// The rules of `findings.toml` and `records-reading.csv` that serde cannot check.
fn check(
    f: &Findings,
    src: &TomlSource,
    record: &BTreeMap<String, Converted>,
    readings: &[Reading],
    sampled: Option<&HashSet<&str>>,
    problems: &mut Problems,
) {
    let evaluated = check_evaluations(f, src, record, problems);
    check_recommendations(f, src, &evaluated, problems);
    let measures = check_measures(f, src, &evaluated, problems);
    for qi in record.keys() {
        if !evaluated.contains_key(qi.as_str()) {
            problems.push(
                Problem::new(
                    format!("findings/record/{qi}.md"),
                    format!("{qi} is not an evaluated indicator"),
                )
                .line(1)
                .help(format!(
                    "name the file after an [[evaluations]] qi in findings.toml; {}",
                    evaluated_list(&evaluated)
                )),
            );
        }
    }
    check_readings(readings, sampled, &measures, problems);
    if let (Status::Final, Some(sampled)) = (f.status, sampled) {
        check_all_read(f, src, readings, sampled.len(), problems);
    }
}

/// A final report rests on the records read: none read, or fewer than the
/// sample without a reason, is an error naming the numbers.
fn check_all_read(f: &Findings, src: &TomlSource, readings: &[Reading], sampled: usize, problems: &mut Problems) {
    let read = readings
        .iter()
        .map(|r| r.case_ref.as_str())
        .collect::<HashSet<_>>()
        .len();
    let reason = f.records_not_read.as_deref().is_some_and(|r| !r.trim().is_empty());
    let at_status = || src.locate(&[Seg::Key("status")]);
    if read == 0 {
        problems.push(
            at_status()
                .message(format!(
                    "the report is final, but no records are read: the sample has {sampled} children and \
                     findings/records-reading.csv rates none"
                ))
                .help(
                    "import the readers' workbooks with `scrutiny records import` (out/sample/reading/), or \
                     keep status = \"draft\"",
                ),
        );
    } else if read < sampled && !reason {
        problems.push(
            at_status()
                .message(format!(
                    "the report is final, but the records of {read} of the sample's {sampled} children are read, \
                     and findings.toml gives no reason for the other {}",
                    sampled - read
                ))
                .help(
                    "import the remaining readers' workbooks, or say why in findings.toml: records_not_read = \
                     \"...\"",
                ),
        );
    }
}

/// A problem at `path` of findings.toml.
fn at(src: &TomlSource, path: &[Seg], message: String, help: &str) -> Problem {
    src.locate(path).message(message).help(help)
}

/// "the evaluated indicators are: 1.1, 2.1, ..."
fn evaluated_list(evaluated: &HashMap<&str, usize>) -> String {
    let mut v: Vec<&str> = evaluated.keys().copied().collect();
    v.sort();
    format!("the evaluated indicators are: {}", v.join(", "))
}

/// Each evaluation: one of the three questions, once per indicator, with its
/// record file. Gives the evaluated indicators with their place.
fn check_evaluations<'f>(
    f: &'f Findings,
    src: &TomlSource,
    record: &BTreeMap<String, Converted>,
    problems: &mut Problems,
) -> HashMap<&'f str, usize> {
    let mut evaluated: HashMap<&str, usize> = HashMap::new();
    for (i, e) in f.evaluations.iter().enumerate() {
        if !(1..=3).contains(&e.question) {
            problems.push(at(
                src,
                &[Seg::Key("evaluations"), Seg::Index(i), Seg::Key("question")],
                format!("question = {} is not one of the three questions", e.question),
                "write 1, 2 or 3: the question whose section the indicator belongs to",
            ));
        }
        if evaluated.insert(&e.qi, i).is_some() {
            problems.push(at(
                src,
                &[Seg::Key("evaluations"), Seg::Index(i), Seg::Key("qi")],
                format!("the indicator {} is evaluated twice", e.qi),
                "keep one [[evaluations]] entry per quality indicator",
            ));
        }
        if !record.contains_key(&e.qi) {
            problems.push(
                Problem::new(format!("findings/record/{}.md", e.qi), "the file is missing")
                    .help(format!("write the evidence for indicator {} ({}) in it", e.qi, e.title)),
            );
        }
    }
    evaluated
}

/// Each recommendation: a plain id, used once, naming evaluated indicators.
fn check_recommendations(f: &Findings, src: &TomlSource, evaluated: &HashMap<&str, usize>, problems: &mut Problems) {
    let mut ids = HashSet::new();
    for (i, r) in f.recommendations.iter().enumerate() {
        if r.id.is_empty() || !r.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            problems.push(at(
                src,
                &[Seg::Key("recommendations"), Seg::Index(i), Seg::Key("id")],
                format!("the id `{}` must be letters, digits and `-` only", r.id),
                "e.g. id = \"R1\": it names the recommendation's fields in the action plan",
            ));
        }
        if !ids.insert(r.id.as_str()) {
            problems.push(at(
                src,
                &[Seg::Key("recommendations"), Seg::Index(i), Seg::Key("id")],
                format!("the recommendation id `{}` is used twice", r.id),
                "give every recommendation its own id",
            ));
        }
        for (j, qi) in r.qi.iter().enumerate() {
            if !evaluated.contains_key(qi.as_str()) {
                problems.push(at(
                    src,
                    &[
                        Seg::Key("recommendations"),
                        Seg::Index(i),
                        Seg::Key("qi"),
                        Seg::Index(j),
                    ],
                    format!("recommendation {} names indicator {qi}, which is not evaluated", r.id),
                    &evaluated_list(evaluated),
                ));
            }
        }
    }
}

/// Each measure: its own key, of an evaluated indicator. Gives the keys.
fn check_measures<'f>(
    f: &'f Findings,
    src: &TomlSource,
    evaluated: &HashMap<&str, usize>,
    problems: &mut Problems,
) -> HashSet<&'f str> {
    let mut measures = HashSet::new();
    for (i, m) in f.measures.iter().enumerate() {
        if !measures.insert(m.key.as_str()) {
            problems.push(at(
                src,
                &[Seg::Key("measures"), Seg::Index(i), Seg::Key("key")],
                format!("the measure `{}` is defined twice", m.key),
                "give every measure its own key",
            ));
        }
        if !evaluated.contains_key(m.qi.as_str()) {
            problems.push(at(
                src,
                &[Seg::Key("measures"), Seg::Index(i), Seg::Key("qi")],
                format!(
                    "the measure `{}` names indicator {}, which is not evaluated",
                    m.key, m.qi
                ),
                &evaluated_list(evaluated),
            ));
        }
    }
    measures
}

/// Each rating: a sampled child, a known measure, a point of the scale, once.
fn check_readings(
    readings: &[Reading],
    sampled: Option<&HashSet<&str>>,
    measures: &HashSet<&str>,
    problems: &mut Problems,
) {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for r in readings {
        let p = |col: usize, message: String, help: &str| {
            Problem::new(READING_FILE, message)
                .at(r.at.line, col)
                .place(format!("record {}", r.at.record))
                .help(help)
        };
        if sampled.is_some_and(|s| !s.contains(r.case_ref.as_str())) {
            problems.push(p(
                1,
                format!("`{}` is not a child of the sample", r.case_ref),
                "only the records of sampled children are read: check the case reference against out/sample/sample.csv",
            ));
        }
        if !measures.contains(r.measure.as_str()) {
            let mut known: Vec<&str> = measures.iter().copied().collect();
            known.sort();
            problems.push(p(
                2,
                format!("unknown measure `{}`", r.measure),
                &format!("the measures of findings.toml are: {}", known.join(", ")),
            ));
        }
        let rating_ok = r.rating == "n/a" || matches!(r.points(), Some(1..=6));
        if !rating_ok {
            problems.push(p(
                3,
                format!("the rating `{}` is not on the six-point scale", r.rating),
                "write 6 (excellent), 5, 4, 3, 2 or 1 (unsatisfactory), or n/a",
            ));
        }
        if let Some(first) = seen.insert((&r.case_ref, &r.measure), r.at.line) {
            problems.push(p(
                1,
                format!(
                    "`{}` is rated on `{}` twice (first on line {first})",
                    r.case_ref, r.measure
                ),
                "keep one rating per child and measure",
            ));
        }
    }
}
