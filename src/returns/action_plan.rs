//! `scrutiny action-plan import`: the CPP's returned action plan, read from the
//! filled form (PDF) or the workbook (XLSX), checked, and written as
//! `action-plan.toml`. Every problem is reported at once, located by field name
//! or by sheet and cell; nothing is written unless all is well.

use crate::model::folder;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::base::error::{Error, ErrorKind, Problem, Problems, Result};
use crate::base::text::cut;
use crate::base::text::date_words;
use crate::model::action_plan::{parse_date, required_words, Action, ActionPlan, Cell, Entry, Part, Rag, Returned};
use crate::model::findings::Recommendation;
use crate::workspace::Workspace;

/// Reads `file` (the filled action-plan PDF or workbook) for the inspection
/// `ws` and writes `action-plan.toml` in its folder, or refuses with every problem.
pub fn import(ws: &Workspace, file: &Path, received: NaiveDate, replace: bool) -> Result<PathBuf> {
    let target = ws.root.join(folder::ACTION_PLAN);
    if target.exists() && !replace {
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "{} already exists; add --replace to overwrite it with this plan",
                target.display()
            ),
        ));
    }
    let Some(report) = &ws.report else {
        return Err(Error::new(
            ErrorKind::Refused,
            "the inspection folder has no findings/, so it has no recommendations to answer".to_string(),
        ));
    };
    let name = file.display().to_string();
    let returned = read_returned(file).map_err(|(message, help)| {
        Error::invalid_in(
            "the returned action plan",
            vec![Problem::new(&name, message).help(help)],
        )
    })?;
    let span = DateSpan::of(&ws.schedule);
    let mut plan = check(&name, &returned, &report.findings.recommendations, received, span)?;
    // A plan returned again keeps the support the team recorded for the first.
    plan.support = ws.action_plan.as_ref().and_then(|p| p.support.clone());
    // Whole or not at all, keeping the permissions of the plan it replaces.
    crate::workspace::write_replacing(&target, plan.to_toml())?;
    Ok(target)
}

pub use crate::base::files::MAX_RETURNED;

const RETURN_HELP: &str =
    "import the action-plan.pdf or action-plan.xlsx made by `scrutiny build`, filled in and saved";

/// What a file is, from its first bytes rather than its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pdf,
    Workbook,
    Word,
    OtherZip,
    OldOffice,
    Unknown,
}

pub(crate) fn kind_of(bytes: &[u8]) -> Kind {
    // A PDF may have a few bytes of junk before its header.
    if bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Kind::Pdf;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::OldOffice;
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Kind::Unknown;
    }
    let Ok(zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Kind::Unknown;
    };
    let has = |prefix: &str| zip.file_names().flatten().any(|n| n.starts_with(prefix));
    if has("xl/") {
        Kind::Workbook
    } else if has("word/") {
        Kind::Word
    } else {
        Kind::OtherZip
    }
}

/// The returned plan in `file`, read by what it is, or what is wrong and how
/// to put it right.
pub fn read_returned(file: &Path) -> std::result::Result<Returned, (String, String)> {
    read_return(
        file,
        "the action plan",
        RETURN_HELP,
        |bytes| crate::formats::form::read_fields(bytes).map(|v| from_form(&v)),
        crate::formats::xlsx::read,
    )
}

/// The name of an imported file as its record keeps it: "action-plan.pdf".
pub(crate) fn source_name(file: &str) -> String {
    Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned())
}

/// A returned form or workbook in `file` (`what` it should be, e.g. "the
/// action plan"), read by what its bytes are rather than its name.
pub(crate) fn read_return<T>(
    file: &Path,
    what: &str,
    help: &str,
    pdf: impl FnOnce(&[u8]) -> std::result::Result<T, String>,
    xlsx: impl FnOnce(&[u8]) -> std::result::Result<T, String>,
) -> std::result::Result<T, (String, String)> {
    let bytes = crate::base::files::read_regular(file, MAX_RETURNED).map_err(|e| {
        let help = "a filled form is well under 1 MiB: check that this is the file the partnership sent";
        (e, help.to_string())
    })?;
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let named = !ext.is_empty();
    let wrong = |kind: &str, help: &str| {
        let message = if named {
            format!("this file is named .{ext} but is {kind}")
        } else {
            format!("this file is {kind}")
        };
        Err((message, help.to_string()))
    };
    match kind_of(&bytes) {
        Kind::Pdf => pdf(&bytes).map_err(|e| (e, help.to_string())),
        Kind::Workbook => xlsx(&bytes).map_err(|e| (e, help.to_string())),
        Kind::Word => wrong(
            &format!("a Word document, not {what}'s form or workbook"),
            &format!("ask the partnership for {what} in the form (PDF) or the workbook (XLSX) it was sent: a Word document cannot be read"),
        ),
        Kind::OldOffice => wrong(
            "an old-style Office file (.xls or .doc), not an .xlsx workbook",
            "open it in the spreadsheet program and save it as an Excel Workbook (.xlsx)",
        ),
        Kind::OtherZip => wrong("a zip archive that is not a workbook", help),
        Kind::Unknown => wrong("neither a PDF nor an XLSX workbook", help),
    }
}

/// The dates a plan may hold: from the notice to five years after
/// publication. A date outside is most often a day and a month swapped.
#[derive(Debug, Clone, Copy)]
pub struct DateSpan {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

impl DateSpan {
    pub fn of(schedule: &crate::rules::schedule::Schedule) -> DateSpan {
        use crate::rules::schedule::Step;
        DateSpan {
            earliest: schedule.day(Step::Notification),
            latest: schedule.day(Step::Publication) + chrono::Months::new(12 * 5),
        }
    }
}

/// The form's fields as a returned plan: one entry per recommendation named in
/// the fields' names.
pub fn from_form(values: &BTreeMap<String, String>) -> Returned {
    let field = |name: &str| Cell::new(values.get(name).cloned().unwrap_or_default(), format!("field {name}"));
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for name in values.keys() {
        let Some((id, part)) = name.rsplit_once('_') else {
            continue;
        };
        let Some(part) = Part::from_key(part) else {
            continue;
        };
        let e = entries.entry(id.to_string()).or_default();
        e.recommendation = Cell::new(id, format!("field {name}"));
        e.parts.insert(part, field(name));
    }
    Returned {
        cpp_contact: field("cpp_contact"),
        submitted_on: field("submitted_on"),
        entries: entries.into_values().collect(),
        faults: Vec::new(),
    }
}

/// The plan in a returned file, or every problem with it.
pub fn check(
    file: &str,
    returned: &Returned,
    recommendations: &[Recommendation],
    received: NaiveDate,
    span: DateSpan,
) -> Result<ActionPlan> {
    let checker = Checker {
        file,
        span,
        problems: Default::default(),
    };
    for f in &returned.faults {
        checker.push(Problem::new(file, &f.message).place(f.place.clone()).help(f.help));
    }
    let known: Vec<&str> = recommendations.iter().map(|r| r.id.as_str()).collect();
    let submitted_on = checker.date(&returned.submitted_on);
    let actions: Vec<Action> = returned
        .entries
        .iter()
        .filter_map(|e| checker.action(e, &known))
        .collect();
    // A recommendation with no entry at all (a workbook whose row was deleted).
    for r in recommendations {
        if !returned.entries.iter().any(|e| e.recommendation.value == r.id) {
            checker.push(
                Problem::new(file, format!("recommendation {} has no answer", r.id))
                    .help(format!("every recommendation needs {}", required_words())),
            );
        }
    }
    let problems = checker.problems.into_inner();
    if !problems.is_empty() {
        return Err(Error::invalid_in("the returned action plan", problems.into_vec()));
    }
    let source = source_name(file);
    Ok(ActionPlan {
        received,
        source,
        cpp_contact: returned.cpp_contact.value.clone(),
        submitted_on,
        actions,
        support: None,
    })
}

/// Checks the cells of a returned plan, gathering every problem.
struct Checker<'a> {
    file: &'a str,
    span: DateSpan,
    problems: std::cell::RefCell<Problems>,
}

impl Checker<'_> {
    fn push(&self, p: Problem) {
        self.problems.borrow_mut().push(p);
    }

    fn at(&self, cell: &Cell, message: String, help: &str) {
        self.push(Problem::new(self.file, message).place(cell.place.clone()).help(help));
    }

    /// A date cell's date: none when empty, a problem when it is not a date
    /// or falls outside the inspection's span.
    fn date(&self, cell: &Cell) -> Option<NaiveDate> {
        if cell.value.is_empty() {
            return None;
        }
        let Some(d) = parse_date(&cell.value) else {
            self.at(
                cell,
                format!("`{}` is not a date", cut(&cell.value)),
                "write the date as DD/MM/YYYY, e.g. 31/03/2014",
            );
            return None;
        };
        let span = self.span;
        if d < span.earliest || d > span.latest {
            self.at(
                cell,
                format!(
                    "{} is outside the inspection's span ({} to {}): is the day and the month swapped?",
                    date_words(d),
                    date_words(span.earliest),
                    date_words(span.latest)
                ),
                "check the spreadsheet's date setting: one set to United States dates reads 01/12/2013 as 12 January. Set its language or region to English (United Kingdom), or type the date as 1 December 2013, and save again",
            );
            return None;
        }
        Some(d)
    }

    /// One answer as an action, when it can be one; its problems otherwise.
    fn action(&self, e: &Entry, known: &[&str]) -> Option<Action> {
        let id = e.recommendation.value.as_str();
        if !known.contains(&id) {
            self.at(
                &e.recommendation,
                format!(
                    "unknown reference `{}`: the inspection has no such recommendation",
                    cut(id)
                ),
                &format!("the references are: {}", known.join(", ")),
            );
            return None;
        }
        for part in Part::ALL.into_iter().filter(|p| p.required()) {
            let mut cell = e.part(part);
            if cell.value.is_empty() {
                if cell.place.is_empty() {
                    cell.place = e.recommendation.place.clone();
                }
                self.at(
                    &cell,
                    format!("recommendation {id} has no {}", part.words()),
                    &format!("every recommendation needs {}", required_words()),
                );
            }
        }
        let start = self.date(&e.part(Part::Start));
        let target = self.date(&e.part(Part::Target));
        if let (Some(s), Some(t)) = (start, target) {
            if s > t {
                self.at(
                    &e.part(Part::Start),
                    format!("recommendation {id} starts ({s}) after its target date ({t})"),
                    "check the two dates: the start date must be on or before the target date",
                );
            }
        }
        let rag_cell = e.part(Part::Rag);
        let rag = Rag::parse(&rag_cell.value);
        if rag.is_none() && !rag_cell.value.is_empty() {
            self.at(
                &rag_cell,
                format!("`{}` is not a RAG status", cut(&rag_cell.value)),
                "choose Red, Amber or Green",
            );
        }
        Some(Action {
            recommendation: id.to_string(),
            action: e.part(Part::Action).value,
            lead: e.part(Part::Lead).value,
            partners: e.part(Part::Partners).value,
            start,
            target: target?,
            measure: e.part(Part::Measure).value,
            progress: e.part(Part::Progress).value,
            rag,
        })
    }
}

/// Today, in UTC: the default date a plan was received.
pub fn today() -> NaiveDate {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
}
