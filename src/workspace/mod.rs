//! Loading an inspection folder into a checked model: load → validate.
//!
//! Every problem in all three files is gathered before anything fails, each with
//! its file, line and column, what is wrong and how to fix it.

mod blank;
pub mod csv_file;
pub mod details;
pub mod encoding;
pub mod files;
pub mod findings;
pub mod frozen;
pub mod population;
pub mod programme;
pub mod received;
pub mod scoping;
pub mod survey;
mod toml_source;

use crate::model::folder;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::base::error::{did_you_mean, Error, Problem, Problems, Result};
use crate::base::text::date_words;
use crate::guard::Guard;
use crate::model::{Contact, HolderRole, Inspection, PositionStatement};
use crate::rules::access::{self, Missing, Request};
use crate::rules::calendar::Calendar;
use crate::rules::sampling::Sample;
use crate::rules::schedule::{Schedule, ScheduleError, Step};
use csv_file::{read_csv, CONTACT_COLUMNS};
use population::Population;
use toml_source::{Seg, TomlSource};

use crate::rules::methodology::MAX_CARE_SERVICES;

/// The inspection's schedule from `inspection.toml` alone, to check a date
/// given on the command line before anything is built; none when the file
/// has problems (the build then lists them with every other).
pub fn schedule_of(root: &Path) -> Option<Schedule> {
    let mut problems = Problems::default();
    let text = read_text(root, folder::INSPECTION, "the inspection", &mut problems).ok()??;
    let schema = crate::model::schema_of::<Inspection>();
    let inspection = TomlSource::parse(folder::INSPECTION, &text, &schema, &mut problems)?
        .deserialize::<Inspection>(&mut problems)?;
    Schedule::compute(&inspection, &Schedule::calendar_for(&inspection)).ok()
}

/// A loaded, checked inspection folder.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub inspection: Inspection,
    pub contacts: Vec<Contact>,
    /// What is kept of `population.csv`: categories and case references, not the rows.
    pub population: Population,
    pub calendar: Calendar,
    pub schedule: Schedule,
    /// What was sent: every record in `issued/`, oldest first.
    pub issues: Vec<crate::model::issued::Issue>,
    /// What came back and when (`received.toml`).
    pub received: crate::model::received::Received,
    /// The statistically valid sample, drawn once from the settings' seed.
    pub sample: Sample,
    /// Every records request the access rules give for the sample, sorted by
    /// holder then case reference.
    pub requests: Vec<Request>,
    /// The disclosure guard: every child's case reference, and name when there are findings.
    pub guard: Guard,
    /// The report writers' `findings/`, when the folder has one.
    pub report: Option<findings::Report>,
    /// The scoping tool (`scoping.toml`), when the team keeps one.
    pub scoping: Option<crate::model::scoping::Scoping>,
    /// The CPP's returned plan (`action-plan.toml`), once imported.
    pub action_plan: Option<crate::model::action_plan::ActionPlan>,
    /// The partners' comments on the draft (`comments.toml`), once imported.
    pub comments: Option<crate::model::comments::Comments>,
    /// The staff survey's questions (built in, or the folder's own template);
    /// none when there is no `[survey]` and no results.
    pub survey_questions: Vec<String>,
    /// The methodology's numbers the documents state (the methodology's own
    /// unless a test sets others).
    pub methodology: crate::rules::methodology::Methodology,
    /// What is worth a second look but stops nothing (`check` and `build` show them).
    pub warnings: Vec<Problem>,
}

impl Workspace {
    /// Loads and checks the folder, returning every problem at once: its
    /// three files, then the sample drawn and the guard made from the
    /// children, then the free-text files read by the guard, then the
    /// writers' and the partnership's files.
    pub fn load(root: &Path) -> Result<Workspace> {
        check_folder(root)?;
        let mut problems = Problems::default();
        let basics = Basics::read(root, &mut problems)?;
        let Basics {
            src,
            todo,
            inspection,
            contacts,
            contacts_text,
            mut population,
            population_path,
        } = basics;
        let (Some(mut inspection), Some(src)) = (inspection, src) else {
            return Err(without_inspection(
                root,
                todo,
                &contacts,
                contacts_text.as_deref(),
                &mut population,
                problems,
            ));
        };
        let calendar = Schedule::calendar_for(&inspection);
        let issued = issued_records(root, &mut problems);
        let issues = read_issues(&issued, &mut problems);
        let fixed = crate::rules::history::fixed(&issues);
        let schedule = plan_schedule(&inspection, &src, &calendar, &fixed, &mut problems);
        let kept = frozen::read(root, &mut problems);
        let received = received::load(root, &mut problems);
        let mut sample_warnings = Vec::new();
        let (sample, requests, guard) = draw_and_guard(
            &inspection,
            (&mut population, &population_path),
            &contacts,
            (kept.as_ref(), &mut sample_warnings),
            &mut problems,
        )?;
        guard_sources(root, &guard, &src, contacts_text.as_deref(), &issued, &mut problems)?;
        let writers = Writers::read(
            root,
            Some(&inspection),
            &population,
            sample.as_ref(),
            requests.as_deref(),
            &guard,
            &mut problems,
        )?;
        if let (Some(s), Some(sample)) = (&schedule, &sample) {
            problems.extend(check_capacity(&inspection, s, &calendar, sample.children.len(), &src));
        }
        let (schedule, sample, requests) = match problems.finish((schedule, sample, requests))? {
            (Some(schedule), Some(sample), Some(requests)) => (schedule, sample, requests),
            _ => unreachable!("no problems means a schedule and a sample"),
        };
        default_marking(&mut inspection, &schedule);
        let mut warnings = late_care_services(&inspection, &schedule, &src);
        warnings.extend(sample_warnings);
        warnings.extend(police_before_it_began(&inspection, &schedule, &src));
        warnings.extend(writers.warnings());
        warnings.extend(comment_days(&schedule, &calendar, &src));
        Ok(Workspace {
            root: root.to_path_buf(),
            inspection,
            contacts,
            population,
            guard,
            calendar,
            schedule,
            issues,
            received,
            sample,
            requests,
            report: writers.report,
            action_plan: writers.action_plan,
            scoping: writers.scoping,
            comments: writers.comments,
            survey_questions: writers.survey_questions,
            methodology: Default::default(),
            warnings,
        })
    }

    /// When a position statement is due: its own `due`, else the schedule's date.
    pub fn due(&self, ps: &PositionStatement) -> chrono::NaiveDate {
        ps.due.unwrap_or(self.schedule.day(Step::PositionStatementsDue))
    }

    /// The names of the inspection's own people the letters concern: the
    /// lead, the depute, the team and the addressees (for the disclosure guard).
    pub fn people(&self) -> impl Iterator<Item = &str> {
        people_of(&self.inspection)
    }

    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }
}

/// The folder's three files, read and checked as far as each goes alone.
struct Basics {
    src: Option<TomlSource>,
    /// What a folder not filled in yet needs first (see [`blank`]).
    todo: Vec<Problem>,
    inspection: Option<Inspection>,
    contacts: Vec<Contact>,
    contacts_text: Option<String>,
    population: Population,
    population_path: PathBuf,
}

impl Basics {
    fn read(root: &Path, problems: &mut Problems) -> Result<Basics> {
        let (toml_text, contacts_text, population_path) = read_inputs(root, problems)?;
        let has_population = population_path.is_some();
        let population_path = population_path.unwrap_or_else(|| root.join(folder::POPULATION));
        let src = toml_text.and_then(|t| {
            TomlSource::parse(
                folder::INSPECTION,
                &t,
                &crate::model::schema_of::<Inspection>(),
                problems,
            )
        });
        let todo = src.as_ref().map(blank::to_do).unwrap_or_default();
        let inspection = match &src {
            Some(s) if todo.is_empty() => s.deserialize::<Inspection>(problems),
            _ => None,
        };
        let contacts = load_contacts(contacts_text.as_deref(), problems);
        // Ids of rows that failed to parse count too, so that one bad contact row
        // does not also flag every child who names it.
        let raw_ids = csv_file::raw_column(contacts_text.as_deref().unwrap_or_default(), "id");
        let ids: HashSet<&str> = contacts
            .iter()
            .map(|c| c.id.as_str())
            .chain(raw_ids.iter().map(String::as_str))
            .collect();
        // Without contacts.csv every holder would be "unknown": its own problem says so.
        // Every child's name is kept for the disclosure guard: it reads the
        // folder's texts from the first notice on.
        let known = contacts_text.is_some().then_some(&ids);
        let population = if has_population {
            population::read(&population_path, known, true, problems)?
        } else {
            Population::default()
        };
        if let (Some(i), Some(s)) = (&inspection, &src) {
            check_inspection(i, s, known, problems);
        }
        Ok(Basics {
            src,
            todo,
            inspection,
            contacts,
            contacts_text,
            population,
            population_path,
        })
    }
}

/// A folder that sets no marking has the one of the day its records are
/// requested.
fn default_marking(inspection: &mut Inspection, schedule: &Schedule) {
    if inspection.marking.trim().is_empty() {
        inspection.marking = crate::rules::methodology::marking_on(schedule.day(Step::SampleDrawn)).into();
    }
}

/// Without a readable inspection.toml the other files are still read (a
/// slip there hides none of their problems), or a new folder's short to-do
/// list is given.
fn without_inspection(
    root: &Path,
    todo: Vec<Problem>,
    contacts: &[Contact],
    contacts_text: Option<&str>,
    population: &mut Population,
    mut problems: Problems,
) -> Error {
    if !todo.is_empty() {
        return Error::to_do(todo, problems.into_vec());
    }
    let names = population.take_names();
    let guard = population
        .guard(names.as_ref())
        .with_people(contacts, std::iter::empty());
    if let Some(text) = contacts_text {
        crate::guard::sources::csv(&guard, folder::CONTACTS, text, CONTACT_PERSON_COLUMNS, &mut problems);
    }
    if let Err(e) = Writers::read(root, None, population, None, None, &guard, &mut problems) {
        return e;
    }
    Error::invalid(problems.into_vec())
}

/// The sample and its requests, drawn while the guard is made from every
/// child (both take a while); the guard knows the inspection's people.
fn draw_and_guard(
    inspection: &Inspection,
    (population, population_path): (&mut Population, &Path),
    contacts: &[Contact],
    (kept, warnings): (Option<&frozen::Frozen>, &mut Vec<Problem>),
    problems: &mut Problems,
) -> Result<(Option<Sample>, Option<Vec<Request>>, Guard)> {
    let names = population.take_names();
    let population = &*population;
    let (drawn, guard) = std::thread::scope(|s| {
        // The people are the folder's own (contacts, addressees, the team):
        // an `issued/` record can be edited by hand, so who it names is
        // never taken for a person.
        let guard = s.spawn(|| {
            population
                .guard(names.as_ref())
                .with_people(contacts, people_of(inspection))
        });
        let drawn = draw(
            inspection,
            (population, population_path),
            contacts,
            (kept, warnings),
            problems,
        );
        (drawn, guard.join().expect("the guard is made without panicking"))
    });
    let (sample, requests) = drawn?;
    Ok((sample, requests, guard))
}

/// What the report writers, the team and the partnership wrote: the
/// findings (checked against the sample), the scoping tool, the returned
/// plan and comments, and the survey's questions.
struct Writers {
    report: Option<findings::Report>,
    action_plan: Option<crate::model::action_plan::ActionPlan>,
    scoping: Option<crate::model::scoping::Scoping>,
    /// The scoping tool's warnings, located in scoping.toml.
    scoping_warnings: Vec<Problem>,
    /// The returned plan's warnings (no sign-off), located in action-plan.toml.
    action_plan_warnings: Vec<Problem>,
    comments: Option<crate::model::comments::Comments>,
    survey_questions: Vec<String>,
}

impl Writers {
    /// The writers' own warnings: the report's, comments still without a
    /// decision, a phase's rationale repeating an earlier one.
    fn warnings(&self) -> Vec<Problem> {
        let mut out: Vec<Problem> = self.report.iter().flat_map(|r| r.warnings.iter().cloned()).collect();
        out.extend(open_comments(self.report.as_ref(), self.comments.as_ref()));
        out.extend(self.scoping_warnings.iter().cloned());
        out.extend(self.action_plan_warnings.iter().cloned());
        out.extend(self.scoping.iter().flat_map(scoping::repeated_rationales));
        out
    }
}

impl Writers {
    fn read(
        root: &Path,
        inspection: Option<&Inspection>,
        population: &Population,
        sample: Option<&Sample>,
        requests: Option<&[Request]>,
        guard: &Guard,
        problems: &mut Problems,
    ) -> Result<Writers> {
        let sampled: Option<HashSet<&str>> = sample.map(|s| s.children.iter().map(|c| c.case_ref.as_str()).collect());
        let figures = base_figures(inspection, population, sample, requests);
        // The questions are read only when a survey is run or has results.
        // Without a readable inspection.toml the survey is taken as set up:
        // its results are then checked without a problem of their own.
        let set_up = inspection.is_none_or(|i| i.survey.is_some());
        let survey_questions = if set_up || root.join(survey::RESULTS_FILE).exists() {
            survey::load_questions(root, problems)
        } else {
            Vec::new()
        };
        let run = inspection.and_then(|i| i.survey.as_ref());
        let input = findings::SurveyInput {
            set_up,
            expected: run.is_some(),
            invited: run.and_then(|s| s.invited),
            questions: &survey_questions,
        };
        let report = findings::load(root, sampled.as_ref(), guard, figures, input, problems)?;
        let (mut scoping_warnings, mut action_plan_warnings) = (Vec::new(), Vec::new());
        Ok(Writers {
            action_plan: load_action_plan(root, report.as_ref(), guard, problems, &mut action_plan_warnings)?,
            scoping: scoping::load(root, guard, problems, &mut scoping_warnings)?,
            scoping_warnings,
            action_plan_warnings,
            comments: load_comments(root, guard, problems),
            report,
            survey_questions,
        })
    }
}

/// The names of the inspection's own people: the lead, the depute, the
/// team, the co-ordinator and the addressees.
fn people_of(i: &Inspection) -> impl Iterator<Item = &str> {
    i.inspectors()
        .map(|(name, _)| name)
        .chain(i.coordinator.iter().map(|c| c.name.as_str()))
        .chain(i.addressees.iter().map(|a| a.name.as_str()))
}

/// The fields of `inspection.toml` that hold a person, who may be named there.
const PERSON_KEYS: &[&str] = &[
    "lead.name",
    "lead.email",
    "depute.name",
    "depute.email",
    "team.name",
    "coordinator.name",
    "coordinator.email",
    "addressees.name",
    "addressees.salutation",
    "addressees.email",
];

/// The columns of `contacts.csv` that hold the contact.
const CONTACT_PERSON_COLUMNS: &[&str] = &["name", "salutation", "email"];

/// Every record in `issued/`: its name for messages and its text.
fn issued_records(root: &Path, problems: &mut Problems) -> Vec<(String, String)> {
    let dir = root.join(folder::ISSUED);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let name = format!(
            "{}/{}",
            folder::ISSUED,
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        match crate::base::files::read_regular(&path, crate::base::files::MAX_RETURNED) {
            Ok(bytes) => match encoding::decode(&name, bytes) {
                Ok(text) => out.push((name, text)),
                Err(p) => problems.push(*p),
            },
            Err(e) => problems.push(Problem::new(&name, format!("could not be read: {e}"))),
        }
    }
    out
}

/// The records of what was sent, oldest first; one that does not read is a
/// problem naming it (a lead's record of what was sent is never ignored).
fn read_issues(records: &[(String, String)], problems: &mut Problems) -> Vec<crate::model::issued::Issue> {
    let mut issues = Vec::new();
    for (name, text) in records {
        match serde_json::from_str::<crate::model::issued::Issue>(text) {
            Ok(issue) => issues.push(issue),
            Err(e) => problems.push(
                Problem::new(name, format!("is not a record of an issue: {e}"))
                    .at(e.line(), e.column())
                    .help("scrutiny writes these files with `scrutiny issue`; put back the file as it wrote it"),
            ),
        }
    }
    issues.sort_by_key(|i| i.issued);
    issues
}

/// The disclosure guard reads each free-text file of the folder where it is
/// written (the findings, the scoping tool and the returned plan are read
/// where they are loaded): a child named there is a problem at its line,
/// before any document is made.
fn guard_sources(
    root: &Path,
    guard: &Guard,
    inspection: &TomlSource,
    contacts: Option<&str>,
    issued: &[(String, String)],
    problems: &mut Problems,
) -> Result<()> {
    crate::guard::sources::toml(guard, folder::INSPECTION, inspection.text(), PERSON_KEYS, problems);
    if let Some(text) = contacts {
        crate::guard::sources::csv(guard, folder::CONTACTS, text, CONTACT_PERSON_COLUMNS, problems);
    }
    for (name, text) in issued {
        crate::guard::sources::issued(guard, name, text, problems);
    }
    file_names(root, guard, problems);
    let dir = root.join(folder::TEMPLATES);
    if dir.is_dir() {
        let below = crate::base::files::files_below(&dir).map_err(|(path, e)| Error::io(&path, "read", e))?;
        for (rel, path) in below {
            let name = format!("{}/{rel}", folder::TEMPLATES);
            // The folder's own notes on its templates are not printed.
            if rel == "REFERENCE.md" || !path.is_file() {
                continue;
            }
            let Ok(bytes) = crate::base::files::read_regular(&path, crate::formats::picture::MAX_BYTES) else {
                continue;
            };
            match String::from_utf8(bytes) {
                Ok(text) => crate::guard::sources::plain(guard, &name, &text, problems),
                Err(e) => {
                    if let Ok(picture) = crate::formats::picture::clean(e.as_bytes()) {
                        for t in &picture.texts {
                            guard.check_file(&name, t, problems);
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The names of the writers' and the templates' files: a good-practice
/// page or a picture named after a child is refused by its name.
fn file_names(root: &Path, guard: &Guard, problems: &mut Problems) {
    for dir in [crate::model::folder::FINDINGS, folder::TEMPLATES] {
        let Ok(below) = crate::base::files::files_below(&root.join(dir)) else {
            continue;
        };
        for (rel, _) in below {
            let name = format!("{dir}/{rel}");
            let mut found = Problems::default();
            guard.check_file(&name, &rel, &mut found);
            for p in found.into_vec() {
                let message = p.message.replace("is written here", "is in the file's name");
                problems.push(Problem::new(&name, message).help("rename the file, then build again"));
            }
        }
    }
}

/// `comments.toml`, when the folder has it; its problems are added to
/// `problems`. Its free text reaches the partnership in the decisions
/// letters, so the guard reads it where it is written.
fn load_comments(root: &Path, guard: &Guard, problems: &mut Problems) -> Option<crate::model::comments::Comments> {
    use crate::model::comments::Comments;
    let path = root.join(folder::COMMENTS);
    if !path.exists() {
        return None;
    }
    let text = match crate::base::files::read_regular(&path, crate::base::files::MAX_RETURNED) {
        Ok(bytes) => match encoding::decode(folder::COMMENTS, bytes) {
            Ok(text) => text,
            Err(p) => {
                problems.push(*p);
                return None;
            }
        },
        Err(e) => {
            problems
                .push(Problem::new(folder::COMMENTS, e).help(
                    "comments.toml is written by `scrutiny comments import`: import the returned comments again",
                ));
            return None;
        }
    };
    crate::guard::sources::toml(guard, folder::COMMENTS, &text, &["returns.contact"], problems);
    let src = TomlSource::parse(
        folder::COMMENTS,
        &text,
        &crate::model::schema_of::<Comments>(),
        problems,
    )?;
    src.deserialize::<Comments>(problems)
}

/// A final report with comments the team has not decided on.
fn open_comments(
    report: Option<&findings::Report>,
    comments: Option<&crate::model::comments::Comments>,
) -> Option<Problem> {
    let (report, comments) = (report?, comments?);
    let open = comments.open();
    (report.findings.status == crate::model::findings::Status::Final && open > 0).then(|| {
        Problem::new(
            folder::COMMENTS,
            format!(
                "the report is final, but {} {} on the draft {} no decision",
                crate::rules::methodology::house_count(open),
                if open == 1 { "comment" } else { "comments" },
                if open == 1 { "has" } else { "have" }
            ),
        )
        .help("write each comment's decision (accepted, changed or not_accepted) and response; out/report/comments-log.pdf lists the open ones first")
    })
}

/// One of the three files is not there.
fn missing_file(root: &Path, name: &str, what: &str) -> Problem {
    Problem::new(name, format!("the file is missing: it holds {what}")).help(format!(
        "create {name} in {}; `scrutiny init NEW-FOLDER` makes a complete example to copy from",
        root.display()
    ))
}

/// Refuses a folder that is not there, is no inspection folder yet (saying
/// how to start one), or has links out of it or special files: nothing is
/// read until there are none.
pub(crate) fn check_folder(root: &Path) -> Result<()> {
    if !root.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder");
        return Err(Error::io(root, "open the inspection folder", e));
    }
    // A folder with none of the three files is not an inspection yet: say how to start.
    let files = [folder::INSPECTION, folder::CONTACTS, folder::POPULATION];
    if files.iter().all(|f| !root.join(f).exists()) {
        return Err(Error::invalid(vec![Problem::new(
            root.display().to_string(),
            format!(
                "this folder is not an inspection folder: it has no {}",
                files.join(", ")
            ),
        )
        .help(
            "to start a real inspection, run `scrutiny new FOLDER` and then `scrutiny check FOLDER`, which \
             says what to fill in first; `scrutiny init my-inspection` makes a complete worked example to look at",
        )]));
    }
    let links = files::scan(root);
    if !links.is_empty() {
        return Err(Error::invalid(links));
    }
    Ok(())
}

/// The texts of `inspection.toml` and `contacts.csv`, and the path of
/// `population.csv` (read later as a stream), each missing one a problem.
fn read_inputs(root: &Path, problems: &mut Problems) -> Result<(Option<String>, Option<String>, Option<PathBuf>)> {
    let toml = read_text(
        root,
        folder::INSPECTION,
        "the inspection's area, dates, people and settings",
        problems,
    )?;
    let what = "the people and offices that receive letters and hold records";
    let contacts = read_text(root, folder::CONTACTS, what, problems)?;
    let population = root.join(folder::POPULATION);
    if !population.is_file() {
        let what = "every child in the five sampling categories";
        problems.push(missing_file(root, folder::POPULATION, what));
        return Ok((toml, contacts, None));
    }
    Ok((toml, contacts, Some(population)))
}

/// The text of `name`, a file of the folder described by `what`; a missing or
/// undecodable file is one more problem in the list, not a stop.
fn read_text(root: &Path, name: &str, what: &str, problems: &mut Problems) -> Result<Option<String>> {
    let path = root.join(name);
    match std::fs::read(&path) {
        Ok(bytes) => match crate::workspace::encoding::decode(name, bytes) {
            Ok(text) => Ok(Some(text)),
            Err(p) => {
                problems.push(*p);
                Ok(None)
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.push(missing_file(root, name, what));
            Ok(None)
        }
        Err(e) => Err(Error::io(&path, "read", e)),
    }
}

/// `contacts.csv` alone, checked, and its text: none when the folder has
/// no such file yet; its problems when it has any.
pub fn read_contacts(root: &Path) -> Result<(Option<String>, Vec<Contact>)> {
    let path = root.join(folder::CONTACTS);
    if !path.exists() {
        return Ok((None, Vec::new()));
    }
    let mut problems = Problems::default();
    let what = "the people and offices that receive letters and hold records";
    let text = read_text(root, folder::CONTACTS, what, &mut problems)?;
    let contacts = load_contacts(text.as_deref(), &mut problems);
    if !problems.is_empty() {
        return Err(Error::invalid(problems.into_vec()));
    }
    Ok((text, contacts))
}

/// `contacts.csv`, checked; every contact has a salutation.
fn load_contacts(text: Option<&str>, problems: &mut Problems) -> Vec<Contact> {
    let mut contacts: Vec<Contact> = text
        .map(|t| read_csv(folder::CONTACTS, t, CONTACT_COLUMNS, problems))
        .unwrap_or_default();
    for c in &mut contacts {
        if c.salutation.is_empty() {
            c.salutation = format!("Dear {}", c.name);
        }
    }
    check_contacts(&contacts, problems);
    if let Some(text) = text {
        check_contact_emails(&contacts, text, problems);
    }
    contacts
}

/// Each contact's e-mail address, at its line and column.
fn check_contact_emails(contacts: &[Contact], text: &str, problems: &mut Problems) {
    let lines: Vec<&str> = text.lines().collect();
    for c in contacts {
        let Some((message, help)) = c.email.as_deref().filter(|e| !e.is_empty()).and_then(details::email) else {
            continue;
        };
        let line = c.at.line;
        let email = c.email.as_deref().unwrap_or_default();
        let column = lines
            .get(line.saturating_sub(1))
            .and_then(|l| l.rfind(email).map(|b| l[..b].chars().count() + 1))
            .unwrap_or(1);
        problems.push(
            Problem::new(folder::CONTACTS, message)
                .at(line, column)
                .place(format!("record {}, column email", c.at.record))
                .help(help),
        );
    }
}

/// The schedule, or its problems; its dates checked against the folder's own.
fn plan_schedule(
    inspection: &Inspection,
    src: &TomlSource,
    calendar: &Calendar,
    fixed: &crate::rules::schedule::Fixed,
    problems: &mut Problems,
) -> Option<Schedule> {
    match Schedule::compute_with(inspection, calendar, fixed) {
        Ok(s) => {
            check_dates_against_schedule(inspection, &s, src, problems);
            Some(s)
        }
        Err(errors) => {
            for e in errors {
                problems.push(schedule_problem(&e, src, calendar));
            }
            None
        }
    }
}

/// The sample, drawn once, here, so that a sampled child without the holder
/// the access rules need is listed with every other problem; and the records
/// requests the access rules give for it. A sample from a population with rows
/// missing would be another sample: it is drawn only once every row has been read.
fn draw(
    inspection: &Inspection,
    (population, population_path): (&Population, &Path),
    contacts: &[Contact],
    (kept, warnings): (Option<&frozen::Frozen>, &mut Vec<Problem>),
    problems: &mut Problems,
) -> Result<(Option<Sample>, Option<Vec<Request>>)> {
    let sample = if let (Some(kept), true) = (kept, population.is_complete()) {
        // Kept: read as it was drawn, never drawn again.
        Some(kept.sample(population, population_path, &inspection.sampling, warnings)?)
    } else if sampling_settings_valid(inspection) && population.is_complete() {
        Some(Sample::draw(population, &inspection.sampling, |drawn| {
            let records: Vec<u32> = drawn.iter().map(|&i| population.record(i)).collect();
            population::read_records(population_path, &records)
        })?)
    } else {
        None
    };
    let requests = sample.as_ref().map(|sample| {
        access::requests(sample.children.iter(), inspection.commencement, contacts).unwrap_or_else(|missing| {
            for m in &missing {
                problems.push(missing_holder_problem(m));
            }
            Vec::new()
        })
    });
    Ok((sample, requests))
}

/// `action-plan.toml`, when it has been imported: its recommendations must be
/// the report's; a plan without the chair's sign-off is a warning.
fn load_action_plan(
    root: &Path,
    report: Option<&findings::Report>,
    guard: &Guard,
    problems: &mut Problems,
    warnings: &mut Vec<Problem>,
) -> Result<Option<crate::model::action_plan::ActionPlan>> {
    use crate::model::action_plan::ActionPlan;
    const FILE: &str = crate::model::folder::ACTION_PLAN;
    let path = root.join(FILE);
    if !path.exists() {
        return Ok(None);
    }
    let text =
        match crate::base::files::read_regular(&path, crate::base::files::MAX_RETURNED) {
            Ok(bytes) => match crate::workspace::encoding::decode(FILE, bytes) {
                Ok(text) => text,
                Err(p) => {
                    problems.push(*p);
                    return Ok(None);
                }
            },
            Err(e) => {
                problems.push(Problem::new(FILE, e).help(
                    "action-plan.toml is written by `scrutiny action-plan import`: import the returned plan again",
                ));
                return Ok(None);
            }
        };
    let Some(src) = TomlSource::parse(FILE, &text, &crate::model::schema_of::<ActionPlan>(), problems) else {
        return Ok(None);
    };
    let Some(plan) = src.deserialize::<ActionPlan>(problems) else {
        return Ok(None);
    };
    // The team's words of support are published in the reply; the rest is the partnership's.
    crate::guard::sources::toml_part(guard, FILE, &text, |key| key.starts_with("support."), problems);
    check_sign_off(&src, &plan, problems, warnings);
    let ids: HashSet<&str> = report
        .map(|r| r.findings.recommendations.iter().map(|r| r.id.as_str()).collect())
        .unwrap_or_default();
    // Findings that could not be read have problems of their own: the
    // plan's recommendations are checked against them once they can be.
    let unread = report.is_none() && root.join(crate::model::folder::FINDINGS).is_dir();
    for (i, a) in plan.actions.iter().enumerate() {
        for (part, text) in a.texts() {
            if text.chars().count() > crate::formats::form::MAX_FIELD {
                problems.push(
                    src.locate(&[Seg::Key("actions"), Seg::Index(i), Seg::Key(part)])
                        .message(format!(
                            "holds {} characters, more than the {} an answer may",
                            text.chars().count(),
                            crate::formats::form::MAX_FIELD
                        ))
                        .help("shorten the answer, or import the returned plan again"),
                );
            }
        }
        if !unread && !ids.contains(a.recommendation.as_str()) {
            problems.push(
                src.locate(&[Seg::Key("actions"), Seg::Index(i), Seg::Key("recommendation")])
                    .message(format!("`{}` is not a recommendation of the report", a.recommendation))
                    .help("the recommendations are the [[recommendations]] ids of findings/findings.toml"),
            );
        }
    }
    Ok(Some(plan))
}

/// The chair's sign-off of a returned plan: missing, a warning at its key (a
/// plan imported before the form asked for it has none); dated after the plan
/// was received, an error.
fn check_sign_off(
    src: &TomlSource,
    plan: &crate::model::action_plan::ActionPlan,
    problems: &mut Problems,
    warnings: &mut Vec<Problem>,
) {
    const BY: &str = "signed_off_by";
    const ON: &str = "signed_off_on";
    let at = |key: &str| match src.item(&[key]) {
        Some(_) => src.locate(&[Seg::Key(key)]).place(format!("key {key}")),
        None => Problem::new(src.file(), "").place(format!("key {key}")),
    };
    let help = format!(
        "the chair of the CPP signs off the plan: `{BY}` is the chair's name and `{ON}` the date (e.g. {ON} = \
        2013-05-10); import the plan again once signed off, or write them here"
    );
    let missing = match (plan.signed_off_by.trim().is_empty(), plan.signed_off_on.is_none()) {
        (true, true) => Some((
            BY,
            format!("the plan came without the sign-off of the CPP's chair: no `{BY}` and no `{ON}`"),
        )),
        (true, false) => Some((
            BY,
            format!("the plan gives the date of the chair's sign-off but not the chair's name (`{BY}`)"),
        )),
        (false, true) => Some((
            ON,
            format!("the plan names the chair who signed it off but not the date (`{ON}`)"),
        )),
        (false, false) => None,
    };
    if let Some((key, message)) = missing {
        warnings.push(at(key).message(message).help(help));
    }
    if let Some(d) = plan.signed_off_on.filter(|d| *d > plan.received) {
        problems.push(
            at(ON)
                .message(format!(
                    "the plan was signed off on {}, after it was received ({})",
                    crate::base::text::date_words(d),
                    crate::base::text::date_words(plan.received)
                ))
                .help("check the date the chair signed off the plan, and `received`"),
        );
    }
}

fn sampling_settings_valid(i: &Inspection) -> bool {
    let s = &i.sampling;
    s.confidence > 0.0 && s.confidence < 1.0 && s.margin > 0.0 && s.margin < 1.0
}

/// A sampled child without the holder the access rules need.
fn missing_holder_problem(m: &Missing) -> Problem {
    let what = if m.role == HolderRole::NamedPerson {
        "has neither a lead professional nor a named person".to_string()
    } else {
        format!("is in need of protection but has no {} holder", m.role.words())
    };
    Problem::new(folder::POPULATION, format!("the sampled child `{}` {what}", m.case_ref))
        .line(m.line)
        .place(format!("column {}", m.role.column()))
        .help("fill in the holder's contacts.csv id: the records cannot be requested without it")
}

/// Holder ids become file names, so they are kept to a safe alphabet.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

const ID_HELP: &str = "use only letters, digits, `-` and `_` (it names the letter's file)";

fn check_contacts(contacts: &[Contact], problems: &mut Problems) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for c in contacts {
        let line = c.at.line;
        let place = format!("record {}, column id", c.at.record);
        if !is_valid_id(&c.id) {
            problems.push(
                Problem::new(
                    folder::CONTACTS,
                    format!(
                        "the id `{}` has characters other than letters, digits, `-` and `_`",
                        c.id
                    ),
                )
                .at(line, 1)
                .place(place.clone())
                .help(ID_HELP),
            );
        }
        if let Some(first) = seen.insert(&c.id, line) {
            problems.push(
                Problem::new(
                    folder::CONTACTS,
                    format!("the id `{}` is used twice (first on line {first})", c.id),
                )
                .at(line, 1)
                .place(place)
                .help("give every contact its own id"),
            );
        }
    }
}

/// `ids` is `None` when contacts.csv is missing (a problem of its own).
fn check_inspection(i: &Inspection, src: &TomlSource, ids: Option<&HashSet<&str>>, problems: &mut Problems) {
    let at = |path: &[Seg]| src.locate(path);
    for (key, value) in [("reference", &i.reference), ("area", &i.area), ("cpp", &i.cpp)] {
        if value.trim().is_empty() {
            problems.push(
                at(&[Seg::Key(key)])
                    .message(format!("`{key}` is empty"))
                    .help("it is printed on every document"),
            );
        }
    }
    if i.addressees.is_empty() {
        problems.push(
            Problem::new(
                folder::INSPECTION,
                "there are no [[addressees]]: the 12-week notice would go to nobody",
            )
            .line(1)
            .help("add an [[addressees]] table for each chief officer and the CPP chair"),
        );
    }
    // Two letters must not share a file name.
    let mut notices: HashMap<String, usize> = HashMap::new();
    for (n, a) in i.addressees.iter().enumerate() {
        if let Some(first) = notices.insert(a.slug(), n) {
            problems.push(
                at(&[Seg::Key("addressees"), Seg::Index(n)])
                    .message(format!(
                        "addressees {} and {} have the same organisation and role (`{}`), so their notices would have the same file name",
                        first + 1,
                        n + 1,
                        a.slug()
                    ))
                    .help("make the role or organisation distinct, e.g. \"Chief Executive (interim)\""),
            );
        }
    }
    let mut topics: HashMap<String, usize> = HashMap::new();
    for (n, ps) in i.position_statements.iter().enumerate() {
        if let Some(first) = topics.insert(ps.slug(), n) {
            problems.push(
                at(&[Seg::Key("position_statements"), Seg::Index(n), Seg::Key("topic")])
                    .message(format!(
                        "position statements {} and {} have the same topic (`{}`)",
                        first + 1,
                        n + 1,
                        ps.topic
                    ))
                    .help("ask for each topic once, or word the topics differently"),
            );
        }
    }
    for (n, ps) in i.position_statements.iter().enumerate() {
        let Some(ids) = ids else { break };
        if !ids.contains(ps.recipient.as_str()) {
            let help = match did_you_mean(&ps.recipient, ids.iter().copied()) {
                Some(k) => format!("did you mean `{k}`?"),
                None => "name the id of a row in contacts.csv".to_string(),
            };
            problems.push(
                at(&[Seg::Key("position_statements"), Seg::Index(n), Seg::Key("recipient")])
                    .message(format!(
                        "the position statement recipient `{}` is not in contacts.csv",
                        ps.recipient
                    ))
                    .help(help),
            );
        }
    }
    check_sampling(i, src, problems);
    check_care_services(i, src, problems);
    check_details(i, src, problems);
    for (key, words, name) in crate::rules::team::linked_leaders(i) {
        problems.push(
            at(&[Seg::Key(key), Seg::Key("links")])
                .message(format!(
                    "{name}, the {words}, is linked to {}: the inspection lead and depute lead roles will not be carried out by an inspector who has or has recently had a role in supporting and challenging services within the CPP area",
                    i.area
                ))
                .help("choose a lead or depute with no link to the area; a link inspector may join the team as an [[team]] member"),
        );
    }
}

/// The e-mail addresses, telephone numbers and the survey's link.
fn check_details(i: &Inspection, src: &TomlSource, problems: &mut Problems) {
    let mut check = |path: &[Seg], wrong: Option<(String, String)>| {
        if let Some((message, help)) = wrong {
            problems.push(src.locate(path).message(message).help(help));
        }
    };
    for (key, person) in [("lead", &i.lead), ("depute", &i.depute)] {
        check(
            &[Seg::Key(key), Seg::Key("email")],
            person.email.as_deref().and_then(details::email),
        );
        check(
            &[Seg::Key(key), Seg::Key("phone")],
            person.phone.as_deref().and_then(details::phone),
        );
    }
    if let Some(c) = &i.coordinator {
        check(
            &[Seg::Key("coordinator"), Seg::Key("email")],
            c.email.as_deref().and_then(details::email),
        );
    }
    if let Some(s) = &i.survey {
        check(&[Seg::Key("survey"), Seg::Key("url")], details::link(&s.url));
    }
}

/// Whether the team can read the sample in scoping phase three, when
/// `records.per_reader_day` says how fast a reader reads.
fn check_capacity(i: &Inspection, s: &Schedule, cal: &Calendar, children: usize, src: &TomlSource) -> Option<Problem> {
    i.records.per_reader_day?;
    let three = s.span(Step::PhaseThree);
    let days = cal.working_days(three.start, three.end).len();
    let c = crate::rules::team::Capacity::of(i, children, days);
    (!c.enough()).then(|| {
        src.locate(&[Seg::Key("records"), Seg::Key("per_reader_day")])
            .message(c.words())
            .help(format!(
                "add {} to the team with `reads_records = true` (each [[team]] member reads unless `reads_records = false`), or draw a smaller sample",
                crate::base::text::count(c.needed() - c.readers, "reader", "readers")
            ))
    })
}

/// The sample's confidence and margin are fractions.
fn check_sampling(i: &Inspection, src: &TomlSource, problems: &mut Problems) {
    let at = |path: &[Seg]| src.locate(path);
    let s = &i.sampling;
    if !(s.confidence > 0.0 && s.confidence < 1.0) {
        problems.push(
            at(&[Seg::Key("sampling"), Seg::Key("confidence")])
                .message(format!("confidence {} is out of range", s.confidence))
                .help("write it as a fraction between 0 and 1, e.g. 0.95 for 95%"),
        );
    }
    if !(s.margin > 0.0 && s.margin < 1.0) {
        problems.push(
            at(&[Seg::Key("sampling"), Seg::Key("margin")])
                .message(format!("margin {} is out of range", s.margin))
                .help("write it as a fraction between 0 and 1, e.g. 0.10 for ±10 percentage points"),
        );
    }
}

/// No more care services than the methodology allows, each inspected before commencement.
fn check_care_services(i: &Inspection, src: &TomlSource, problems: &mut Problems) {
    let at = |path: &[Seg]| src.locate(path);
    if i.care_services.len() > MAX_CARE_SERVICES {
        problems.push(
            at(&[Seg::Key("care_services"), Seg::Index(MAX_CARE_SERVICES)])
                .message(format!(
                    "{} care services are listed; the methodology allows at most {MAX_CARE_SERVICES}",
                    i.care_services.len()
                ))
                .help(format!(
                    "keep the {MAX_CARE_SERVICES} most relevant services and remove the rest"
                )),
        );
    }
    for (n, cs) in i.care_services.iter().enumerate() {
        if cs.inspected >= i.commencement {
            problems.push(
                at(&[Seg::Key("care_services"), Seg::Index(n), Seg::Key("inspected")])
                    .message(format!(
                        "the care service `{}` is inspected on {}, which is not before commencement ({})",
                        cs.name,
                        date_words(cs.inspected),
                        date_words(i.commencement)
                    ))
                    .help("care service inspections must be completed before the inspection date"),
            );
        }
    }
}

/// The figures of the folder's data that findings prose may cite (the
/// records reading adds its own): see [`crate::rules::figures::Figures`].
fn base_figures(
    i: Option<&Inspection>,
    population: &Population,
    sample: Option<&crate::rules::sampling::Sample>,
    requests: Option<&[Request]>,
) -> crate::rules::figures::Figures {
    use crate::model::Category;
    use crate::rules::figures::Figures;
    use crate::rules::methodology::{house_count, Methodology, Place};
    let m = Methodology::default();
    let children = |n| m.count(n, Place::Sentence);
    let incomplete = i.is_none() || sample.is_none() || requests.is_none() || !population.is_complete();
    let mut f = Figures {
        incomplete,
        ..Figures::default()
    };
    let in_population = |c: Category| population.count(c);
    f.insert("population.total", children(population.len()));
    for c in Category::ALL {
        f.insert(format!("population.{}", c.as_str()), children(in_population(c)));
    }
    let looked_after = in_population(Category::LookedAfterHome) + in_population(Category::LookedAfterAccommodated);
    f.insert("population.looked_after", children(looked_after));
    if let Some(s) = sample {
        f.insert("sample.total", children(s.children.len()));
        for c in Category::ALL {
            let n = s.children.iter().filter(|x| x.category == c).count();
            f.insert(format!("sample.{}", c.as_str()), children(n));
        }
        let protected = s.children.iter().filter(|x| x.protection).count();
        f.insert("sample.protection", children(protected));
    }
    if let Some(r) = requests {
        let holders: HashSet<&str> = r.iter().map(|x| x.holder.as_str()).collect();
        f.insert("requests.letters", house_count(holders.len()));
        f.insert("requests.record_sets", house_count(r.len()));
    }
    if let Some(i) = i {
        f.insert("care_services", house_count(i.care_services.len()));
        f.insert("position_statements", house_count(i.position_statements.len()));
    }
    f
}

/// A care service inspected once scoping phase one has begun: its findings
/// come too late for the phase they are meant to inform.
fn late_care_services(i: &Inspection, s: &Schedule, src: &TomlSource) -> Vec<Problem> {
    let begun = s.span(Step::ScopingPhaseOne).start;
    i.care_services
        .iter()
        .enumerate()
        .filter(|(_, cs)| cs.inspected >= begun && cs.inspected < i.commencement)
        .map(|(n, cs)| {
            src.locate(&[Seg::Key("care_services"), Seg::Index(n), Seg::Key("inspected")])
                .message(format!(
                    "the care service `{}` is inspected on {}, after scoping phase one began ({}): its findings \
                     reach the team late for that phase, which reviews them off site",
                    cs.name,
                    date_words(cs.inspected),
                    date_words(begun)
                ))
                .help("if the date is right, plan to review its findings in scoping phase two instead")
        })
        .collect()
}

/// An addressee named "Police Scotland" in a notice dated before Police
/// Scotland began, with no `former` name for the letters of that time.
fn police_before_it_began(i: &Inspection, s: &Schedule, src: &TomlSource) -> Vec<Problem> {
    let began = crate::rules::methodology::police_scotland_from();
    let notice = s.day(Step::Notification);
    if notice >= began {
        return Vec::new();
    }
    i.addressees
        .iter()
        .enumerate()
        .filter(|(_, a)| a.former.is_none() && a.organisation.contains("Police Scotland"))
        .map(|(n, a)| {
            src.locate(&[Seg::Key("addressees"), Seg::Index(n), Seg::Key("organisation")])
                .message(format!(
                    "the notice of {} names `{}`, but Police Scotland began on {}",
                    date_words(notice),
                    a.organisation,
                    date_words(began)
                ))
                .help("give the legacy force's name for the letters before then, e.g. former = \"Strathclyde Police, Glenaird Division\"")
        })
        .collect()
}

fn check_dates_against_schedule(i: &Inspection, s: &Schedule, src: &TomlSource, problems: &mut Problems) {
    for (n, ps) in i.position_statements.iter().enumerate() {
        if let Some(due) = ps.due {
            if due >= s.span(Step::PhaseTwo).start {
                problems.push(
                    src.locate(&[Seg::Key("position_statements"), Seg::Index(n), Seg::Key("due")])
                        .message(format!(
                            "the position statement on `{}` is due {}, not before scoping phase two starts ({})",
                            ps.topic,
                            date_words(due),
                            date_words(s.span(Step::PhaseTwo).start)
                        ))
                        .help("position statements inform scoping phase two: make them due before commencement"),
                );
            }
        }
    }
}

/// The commencement a latest notice date was counted back from.
fn src_commencement(latest: chrono::NaiveDate) -> chrono::NaiveDate {
    latest + chrono::Days::new(crate::rules::methodology::NOTICE_WEEKS * 7)
}

/// Two steps out of order, one of them set by hand or sent: located at the
/// key set by hand, else at `commencement`, which moved what was not sent.
fn order_problem(o: &crate::rules::schedule::Order, src: &TomlSource) -> Problem {
    use crate::rules::schedule::Origin;
    let ((a, a_date, a_origin), (b, b_date, b_origin)) = (o.earlier, o.later);
    let whence = |origin: Option<Origin>| match origin {
        Some(Origin::Sent(on)) => format!(" (sent on {}, issued/{on}.json)", date_words(on)),
        Some(Origin::Set) => " (set in [schedule])".to_string(),
        None => String::new(),
    };
    let at: Vec<Seg> = match (a_origin, b_origin) {
        (Some(Origin::Set), _) if a == Step::Notification => vec![Seg::Key("notification")],
        (Some(Origin::Set), _) => vec![Seg::Key("schedule"), Seg::Key(a.key())],
        (_, Some(Origin::Set)) => vec![Seg::Key("schedule"), Seg::Key(b.key())],
        _ => vec![Seg::Key("commencement")],
    };
    let sent = [(a, a_origin), (b, b_origin)]
        .into_iter()
        .find(|(_, o)| matches!(o, Some(Origin::Sent(_))))
        .map(|(s, _)| s);
    let help = match sent {
        Some(fixed) => {
            let other = if fixed == a { b } else { a };
            format!(
                "move `commencement` back, set `{}` in [schedule] to a day that keeps the order, or \
                 send again with a new date: set `{}` in [schedule] and issue it",
                other.key(),
                fixed.key()
            )
        }
        None => format!(
            "{} must end before {} begins: change the date set by hand, or remove it",
            a.key(),
            b.key()
        ),
    };
    src.locate(&at)
        .message(format!(
            "{} is now {}{}, but {} is {}{}: {}",
            b.label(),
            date_words(b_date),
            whence(b_origin),
            a.label(),
            date_words(a_date),
            whence(a_origin),
            o.why
        ))
        .help(help)
}

/// A notice shorter than the methodology's: one sent (`sent`) is fixed, so
/// commencement is what can move; one set by hand can move itself.
fn notice_problem(
    given: chrono::NaiveDate,
    latest: chrono::NaiveDate,
    sent: Option<chrono::NaiveDate>,
    src: &TomlSource,
) -> Problem {
    match sent {
        Some(on) => src
            .locate(&[Seg::Key("commencement")])
            .message(format!(
                "the notice was sent on {} (issued/{on}.json): commencement {} gives it less than {} weeks",
                date_words(given),
                crate::base::text::date_words(src_commencement(latest)),
                crate::rules::methodology::NOTICE_WEEKS
            ))
            .help(format!(
                "begin on or after {}, or send a new notice: set `notification` to the day it goes and issue it",
                date_words(given + chrono::Days::new(crate::rules::methodology::NOTICE_WEEKS * 7))
            )),
        None => src
            .locate(&[Seg::Key("notification")])
            .message(format!(
                "notification {given} gives less than {} weeks' notice of commencement",
                crate::rules::methodology::NOTICE_WEEKS
            ))
            .help(format!(
                "notify on or before {latest}, or remove `notification` to have it computed"
            )),
    }
}

fn schedule_problem(e: &ScheduleError, src: &TomlSource, cal: &Calendar) -> Problem {
    match e {
        ScheduleError::CommencementNotWorkingDay(d) => {
            let why = if cal.is_bank_holiday(*d) {
                "a Scottish bank holiday"
            } else if cal.is_local_holiday(*d) {
                "one of schedule.holidays"
            } else {
                "at a weekend"
            };
            src.locate(&[Seg::Key("commencement")])
                .message(format!(
                    "commencement {} ({}) is {why}, not a working day",
                    d,
                    d.format("%A")
                ))
                .help(format!(
                    "the first on-site day must be a working day; the next one is {}",
                    cal.on_or_after(*d)
                ))
        }
        ScheduleError::NoticeTooShort { given, latest, sent } => notice_problem(*given, *latest, *sent, src),
        ScheduleError::NotWorkingDay { step, date } => src
            .locate(&[Seg::Key("schedule"), Seg::Key(step.key())])
            .message(format!(
                "{} {date} ({}) is not a working day",
                step.key(),
                date.format("%A")
            ))
            .help(format!(
                "set it to a working day, such as {}, or remove it to have it computed",
                cal.on_or_after(*date)
            )),
        ScheduleError::Order(o) => order_problem(o, src),
        ScheduleError::CoreDays(n) => src
            .locate(&[Seg::Key("schedule"), Seg::Key("core_days")])
            .message(format!(
                "core_days = {n}, but the core phase takes 1 to {} days",
                crate::rules::methodology::MAX_CORE_DAYS
            ))
            .help(format!(
                "the methodology allows no more than {} days",
                crate::rules::methodology::MAX_CORE_DAYS
            )),
        ScheduleError::PhaseThreeStart { given, earliest } => src
            .locate(&[Seg::Key("schedule"), Seg::Key("phase_three_start")])
            .message(format!(
                "phase_three_start {given} is not a working day after scoping phase two"
            ))
            .help(format!("use {earliest} or a later working day, or remove the key")),
        ScheduleError::CoreStart { given, earliest } => src
            .locate(&[Seg::Key("schedule"), Seg::Key("core_start")])
            .message(format!(
                "core_start {given} is not a working day after scoping phase three"
            ))
            .help(format!("use {earliest} or a later working day, or remove the key")),
        ScheduleError::Months(n) => src
            .locate(&[Seg::Key("records"), Seg::Key("months")])
            .message(format!("records.months = {n}: the records window would be empty"))
            .help("the methodology asks for the last 18 months"),
    }
}

/// Partners with fewer than five working days to comment on the draft, or
/// the team with fewer than two to decide on the comments before publication.
fn comment_days(s: &Schedule, cal: &Calendar, src: &TomlSource) -> Vec<Problem> {
    use crate::rules::methodology::{house_count, MIN_COMMENT_WORKING_DAYS, MIN_DECIDE_WORKING_DAYS};
    let (partners, team) = s.comment_days(cal);
    let day = |step: Step| date_words(s.day(step));
    let mut out = Vec::new();
    let at = || src.locate(&[Seg::Key("schedule")]);
    if partners < MIN_COMMENT_WORKING_DAYS {
        let due = cal.working_days_after(s.day(Step::ReportForComment), MIN_COMMENT_WORKING_DAYS as u32);
        out.push(
            at().message(format!(
                "partners have {} working {} to comment on the draft (sent {}, comments due {}): \
                 fewer than {}",
                house_count(partners),
                if partners == 1 { "day" } else { "days" },
                day(Step::ReportForComment),
                day(Step::CommentsDue),
                house_count(MIN_COMMENT_WORKING_DAYS)
            ))
            .help(format!(
                "set `comments_due` in [schedule] to {due} or later, and `publication` to {} or later",
                cal.working_days_after(due, MIN_DECIDE_WORKING_DAYS as u32 + 1)
            )),
        );
    }
    if team < MIN_DECIDE_WORKING_DAYS {
        out.push(
            at().message(format!(
                "the team has {} working {} to decide on the comments before publication (comments due {}, \
                 published {}): fewer than {}",
                house_count(team),
                if team == 1 { "day" } else { "days" },
                day(Step::CommentsDue),
                day(Step::Publication),
                house_count(MIN_DECIDE_WORKING_DAYS)
            ))
            .help(format!(
                "set `publication` in [schedule] to {} or later, or `comments_due` earlier",
                cal.working_days_after(s.day(Step::CommentsDue), MIN_DECIDE_WORKING_DAYS as u32 + 1)
            )),
        );
    }
    out
}
