//! The action plan's round trip: the form (`action-plan.pdf`) and the
//! workbook (`action-plan.xlsx`) in which the CPP answers each of the
//! report's recommendations, and `scrutiny action-plan import`, which reads
//! either back into `action-plan.toml`.
//!
//! In the order of every round trip (see [`crate::returns`]): the form's
//! [`Detail`] fields and the sheet's [`PlanColumn`]s, each answer's parts
//! being the model's [`Part`]; out: [`form_fields`] and [`workbook`]; read:
//! [`from_form`] and [`from_workbook`]; check: [`check`], every date within
//! the inspection's [`DateSpan`]; write: [`Import`], one file, replaced only
//! with `--replace`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::{Cell, Column, Fault, Fields, Located, Reading, RoundTrip, Row, Writes};
use crate::base::error::{Error, ErrorKind, Problem, Result};
use crate::base::text::{cut, date_words};
use crate::formats::form::{FieldKind, FieldSpec};
use crate::formats::xlsx::{excel_date, read_sheet};
use crate::model::action_plan::{parse_date, required_words, Action, ActionPlan, Part, Rag};
use crate::model::findings::Recommendation;
use crate::workspace::Workspace;

// Fields and columns.

/// Where `scrutiny build` puts the form and the workbook, relative to `out/`.
pub const FORM: &str = "action-plan/action-plan.pdf";
pub const WORKBOOK: &str = "action-plan/action-plan.xlsx";
/// The workbook's sheets.
pub const SHEET: &str = "Action plan";
pub const ABOUT: &str = "About";
/// The sheet of the plan's own cells: the CPP's contact, the date sent and
/// the chair's sign-off.
pub const DETAILS: &str = "Your details";

/// The plan's own fields, about the plan itself rather than an answer: the
/// contact and the date sent above the answers on the form, the chair's
/// sign-off below them; a column each of the workbook's "Your details" sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    CppContact,
    SubmittedOn,
    /// The chair of the CPP who signed off the plan: name.
    SignedOffBy,
    /// The date the chair signed off the plan.
    SignedOffOn,
}

impl Column for Detail {
    const ALL: &'static [Detail] = &Detail::ALL;

    fn heading(self) -> &'static str {
        self.tooltip()
    }
}

impl Detail {
    pub const ALL: [Detail; 4] = [
        Detail::CppContact,
        Detail::SubmittedOn,
        Detail::SignedOffBy,
        Detail::SignedOffOn,
    ];

    /// The columns of a workbook sent out before the sheet asked for the
    /// chair's sign-off: it still reads back.
    const BEFORE_SIGN_OFF: usize = 2;

    /// The field's name, and the key in `action-plan.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Detail::CppContact => "cpp_contact",
            Detail::SubmittedOn => "submitted_on",
            Detail::SignedOffBy => "signed_off_by",
            Detail::SignedOffOn => "signed_off_on",
        }
    }

    fn tooltip(self) -> &'static str {
        match self {
            Detail::CppContact => "Contact for this plan: name and role",
            Detail::SubmittedOn => "Date submitted (DD/MM/YYYY)",
            Detail::SignedOffBy => "Signed off by the chair of the CPP: name",
            Detail::SignedOffOn => "Date the chair signed off the plan (DD/MM/YYYY)",
        }
    }

    fn is_date(self) -> bool {
        matches!(self, Detail::SubmittedOn | Detail::SignedOffOn)
    }
}

/// How many actions the form has room for on each recommendation: the first
/// set of boxes, then further ones, each used only when filled in. (The
/// workbook has spare rows instead.)
pub const ACTIONS_EACH: u32 = 3;

/// The name of the field for `part` of the `n`th action (from 1) answering
/// recommendation `id`: `R1_lead` for the first (the names forms returned
/// before there were more keep), `R1_2_lead` for the second.
fn part_field(id: &str, n: u32, part: Part) -> String {
    if n <= 1 {
        format!("{id}_{}", part.key())
    } else {
        format!("{id}_{n}_{}", part.key())
    }
}

/// The recommendation, the action's number and the part a field's name is
/// of, when it is an answer's. A recommendation's id holds no `_`, so
/// `R1_2_lead` can only be the second action's.
fn parse_part_field(name: &str) -> Option<(&str, u32, Part)> {
    let (rest, part) = name.rsplit_once('_')?;
    let part = Part::from_key(part)?;
    match rest.split_once('_') {
        None => Some((rest, 1, part)),
        Some((id, n)) if !n.starts_with('0') => Some((id, n.parse().ok().filter(|n| *n >= 2)?, part)),
        Some(_) => None,
    }
}

/// A column of the plan sheet: the inspection's three, then a part of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanColumn {
    Reference,
    Indicators,
    Recommendation,
    Part(Part),
}

impl Column for PlanColumn {
    /// The inspection's, then each part of an answer in [`Part::ALL`]'s order.
    const ALL: &'static [PlanColumn] = &[
        PlanColumn::Reference,
        PlanColumn::Indicators,
        PlanColumn::Recommendation,
        PlanColumn::Part(Part::Action),
        PlanColumn::Part(Part::Lead),
        PlanColumn::Part(Part::Partners),
        PlanColumn::Part(Part::Start),
        PlanColumn::Part(Part::Target),
        PlanColumn::Part(Part::Measure),
        PlanColumn::Part(Part::Progress),
        PlanColumn::Part(Part::Rag),
    ];

    fn heading(self) -> &'static str {
        match self {
            PlanColumn::Reference => "Reference",
            PlanColumn::Indicators => "Quality indicators",
            PlanColumn::Recommendation => "Recommendation",
            PlanColumn::Part(p) => p.heading(),
        }
    }
}

impl PlanColumn {
    /// Its width in characters: narrow for references, dates and statuses,
    /// wide for text.
    fn width(self) -> f64 {
        match self {
            PlanColumn::Reference | PlanColumn::Indicators => 13.0,
            PlanColumn::Part(p) if p.is_date() || p == Part::Rag => 13.0,
            PlanColumn::Recommendation | PlanColumn::Part(Part::Action | Part::Measure | Part::Progress) => 40.0,
            PlanColumn::Part(_) => 24.0,
        }
    }

    /// What the inspection writes in it for `r`; `None` for the CPP's columns.
    fn given(self, r: &Recommendation) -> Option<String> {
        match self {
            PlanColumn::Reference => Some(r.id.clone()),
            PlanColumn::Indicators => Some(r.qi.join(", ")),
            PlanColumn::Recommendation => Some(r.text.clone()),
            PlanColumn::Part(_) => None,
        }
    }
}

/// Rows left open under the recommendations for further actions.
const SPARE_ROWS: u32 = 40;

// Out: the form's fields and the workbook.

/// Every field of the form, in reading order: the contact and the date
/// sent, then each part of each action answering each recommendation (room
/// for [`ACTIONS_EACH`] on each), then the chair's sign-off.
pub fn form_fields(recommendations: &[Recommendation]) -> Vec<FieldSpec> {
    let text = |multiline, max_len| FieldKind::Text { multiline, max_len };
    let detail = |d: Detail| FieldSpec {
        name: d.key().into(),
        tooltip: d.tooltip().into(),
        kind: text(false, d.is_date().then_some(10)),
    };
    let mut out: Vec<FieldSpec> = vec![detail(Detail::CppContact), detail(Detail::SubmittedOn)];
    for r in recommendations {
        for n in 1..=ACTIONS_EACH {
            for part in Part::ALL {
                let kind = match part {
                    Part::Rag => FieldKind::Choice(Rag::ALL.iter().map(|r| r.name().to_string()).collect()),
                    Part::Start | Part::Target => text(false, Some(10)),
                    Part::Action | Part::Measure | Part::Progress => text(true, None),
                    Part::Lead | Part::Partners => text(false, None),
                };
                let tooltip = if n == 1 {
                    format!("Recommendation {}: {}", r.id, part.label())
                } else {
                    format!("Recommendation {}, action {n} (if any): {}", r.id, part.label())
                };
                out.push(FieldSpec {
                    name: part_field(&r.id, n, part),
                    tooltip,
                    kind,
                });
            }
        }
    }
    out.extend([detail(Detail::SignedOffBy), detail(Detail::SignedOffOn)]);
    out
}

/// What the About sheet says, besides the instructions.
pub struct About<'a> {
    pub cpp: &'a str,
    pub reference: &'a str,
    pub due: NaiveDate,
    pub made: NaiveDate,
}

/// The workbook: one row per recommendation (reference, indicators and text
/// locked), spare rows for further actions, date cells, a RAG drop-down.
pub fn workbook(recommendations: &[Recommendation], about: &About) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = crate::formats::xlsx::titled(format!("Joint action plan: {}", about.cpp), about.made)?;
    // The About sheet first: it is what a reader opening the workbook sees.
    about_sheet(wb.add_worksheet(), about)?;
    details_sheet(wb.add_worksheet())?;
    let sheet = wb.add_worksheet();
    sheet.set_name(SHEET)?;
    plan_sheet(sheet, recommendations)?;
    wb.save_to_buffer()
}

/// The plan's own cells: the CPP's contact for it, the date it is sent, and
/// who signed it off for the CPP and when.
fn details_sheet(details: &mut Worksheet) -> std::result::Result<(), XlsxError> {
    details.set_name(DETAILS)?;
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    let open = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_unlocked();
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Top)
        .set_unlocked();
    for &d in &Detail::ALL {
        details.write_string_with_format(0, d.col(), d.heading(), &heading)?;
        details.write_blank(1, d.col(), if d.is_date() { &date } else { &open })?;
        details.set_column_width(d.col(), 50.0)?;
    }
    details.protect();
    Ok(())
}

/// The plan sheet: a row for each recommendation and the spare rows, the
/// inspection's columns locked, the CPP's open.
fn plan_sheet(sheet: &mut Worksheet, recommendations: &[Recommendation]) -> std::result::Result<(), XlsxError> {
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    let locked = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let open = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_unlocked();
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Top)
        .set_unlocked();
    for &column in PlanColumn::ALL {
        sheet.write_string_with_format(0, column.col(), column.heading(), &heading)?;
        sheet.set_column_width(column.col(), column.width())?;
    }
    let last = recommendations.len() as u32 + SPARE_ROWS;
    for row in 1..=last {
        let rec = recommendations.get(row as usize - 1);
        for &column in PlanColumn::ALL {
            match (rec.and_then(|r| column.given(r)), column) {
                (Some(text), _) => sheet.write_string_with_format(row, column.col(), text, &locked)?,
                (None, PlanColumn::Part(p)) if p.is_date() => sheet.write_blank(row, column.col(), &date)?,
                _ => sheet.write_blank(row, column.col(), &open)?,
            };
        }
    }
    validations(sheet, last)?;
    sheet.set_freeze_panes(1, 1)?;
    // Printed: landscape, the columns fitted to the page's width, the
    // headings repeated on every page.
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    sheet.protect();
    Ok(())
}

/// The RAG drop-down and the date cells' check, down to row `last`.
fn validations(sheet: &mut Worksheet, last: u32) -> std::result::Result<(), XlsxError> {
    let rag = DataValidation::new()
        .allow_list_strings(&Rag::ALL.map(Rag::name))?
        .set_input_title("RAG status")?
        .set_input_message(Rag::ALL.map(|r| format!("{}: {}", r.name(), r.meaning())).join(" "))?
        .set_error_title("RAG status")?
        .set_error_message("Choose Red, Amber or Green")?;
    let rag_column = PlanColumn::Part(Part::Rag).col();
    sheet.add_data_validation(1, rag_column, last, rag_column, &rag)?;
    let dates = DataValidation::new()
        .allow_date(DataValidationRule::GreaterThan(excel_date(
            NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date"),
        )?))
        .set_error_title("A date")?
        .set_error_message("Write a date, e.g. 31/03/2014")?;
    let (start, target) = (
        PlanColumn::Part(Part::Start).col(),
        PlanColumn::Part(Part::Target).col(),
    );
    sheet.add_data_validation(1, start, last, target, &dates)?;
    Ok(())
}

/// The About sheet: who the plan is for, when it is due, how to fill it in.
fn about_sheet(info: &mut Worksheet, about: &About) -> std::result::Result<(), XlsxError> {
    info.set_name(ABOUT)?;
    let lines: [(&str, String); 8] = [
        ("Community planning partnership", about.cpp.to_string()),
        ("Inspection reference", about.reference.to_string()),
        ("Please return by", date_words(about.due)),
        (
            "How to fill it in",
            format!(
                "On the '{SHEET}' sheet, each recommendation has a row: fill in the action, the lead officer \
                (name, role, agency), the partners involved, the start and target dates, the measure of \
                success, progress so far and a RAG status (Red, Amber or Green). The first three columns \
                are the inspection's and cannot be changed."
            ),
        ),
        (
            "RAG status",
            Rag::ALL
                .iter()
                .map(|r| format!("{}: {}", r.name(), r.meaning()))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "Your details",
            format!(
                "On the '{DETAILS}' sheet, write the contact for this plan (name and role) and the date you send \
                it, and the name of the chair of the community planning partnership who signed off the plan and \
                the date the chair signed it off."
            ),
        ),
        (
            "More than one action",
            "For a further action on a recommendation, use a spare row below and write the recommendation's \
            reference (e.g. R1) in its first column."
                .to_string(),
        ),
        (
            "Returning it",
            format!(
                "Save the workbook as .xlsx and send it to the Inspection Lead. Every recommendation needs {}.",
                required_words()
            ),
        ),
    ];
    crate::formats::xlsx::write_about(info, &lines)
}

// Read.

/// One answer: a recommendation's reference and the parts of the action.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub recommendation: Cell,
    /// Which of the form's sets of boxes for the recommendation it is, from
    /// the second on (`R1_2_action`); `None` for the first set and for a
    /// workbook's row.
    pub further: Option<u32>,
    pub parts: BTreeMap<Part, Cell>,
}

impl Entry {
    /// The part's value, empty (and placed nowhere) where the return has none.
    pub fn part(&self, part: Part) -> Cell {
        self.parts.get(&part).cloned().unwrap_or_default()
    }

    /// The answer in a message: "recommendation R1", "recommendation R1's action 2".
    fn words(&self) -> String {
        match self.further {
            Some(n) => format!("recommendation {}'s action {n}", self.recommendation.value),
            None => format!("recommendation {}", self.recommendation.value),
        }
    }
}

/// A returned plan as read, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct Returned {
    pub cpp_contact: Cell,
    pub submitted_on: Cell,
    /// The chair of the CPP who signed off the plan, and when: empty in a
    /// form or workbook sent out before they were asked for.
    pub signed_off_by: Cell,
    pub signed_off_on: Cell,
    pub entries: Vec<Entry>,
    /// Whether it came as a workbook, whose date cells the spreadsheet may
    /// have converted (a form's fields are text as typed).
    pub workbook: bool,
    /// Cells that hold no usable value (an error value, a formula never
    /// calculated), each reported by the check.
    pub faults: Vec<Fault>,
}

/// The form's fields as a returned plan: one entry per recommendation named
/// in the fields' names (its first set of boxes, even left empty), and one
/// per further set of boxes with anything written in it.
pub fn from_form(values: &Fields) -> Returned {
    let field = |name: &str| Cell::new(values.get(name).cloned().unwrap_or_default(), format!("field {name}"));
    let mut entries: BTreeMap<(String, u32), Entry> = BTreeMap::new();
    for name in values.keys() {
        let Some((id, n, part)) = parse_part_field(name) else {
            continue;
        };
        let e = entries.entry((id.to_string(), n)).or_default();
        e.recommendation = Cell::new(id, format!("field {name}"));
        e.further = (n > 1).then_some(n);
        e.parts.insert(part, field(name));
    }
    // A further action left entirely empty is no action.
    entries.retain(|_, e| e.further.is_none() || e.parts.values().any(|c| !c.value.is_empty()));
    Returned {
        cpp_contact: field(Detail::CppContact.key()),
        submitted_on: field(Detail::SubmittedOn.key()),
        signed_off_by: field(Detail::SignedOffBy.key()),
        signed_off_on: field(Detail::SignedOffOn.key()),
        entries: entries.into_values().collect(),
        workbook: false,
        faults: Vec::new(),
    }
}

/// The plan sheet of a returned workbook: one entry per row with a reference
/// or any answer.
pub fn from_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
    let mut wb = crate::formats::xlsx::open(bytes, "a returned plan")?;
    let no_sheet =
        || format!("the workbook has no sheet named \"{SHEET}\": is it the action-plan.xlsx made by scrutiny?");
    let sheet = read_sheet::<PlanColumn>(
        &mut wb,
        SHEET,
        crate::formats::xlsx::MAX_ROWS,
        "a plan has one row per action",
        no_sheet,
    )?;
    let (details, details_faults) = details_of(&mut wb)?;
    let mut faults = sheet.faults;
    faults.extend(details_faults);
    Ok(Returned {
        cpp_contact: details[Detail::CppContact].clone(),
        submitted_on: details[Detail::SubmittedOn].clone(),
        signed_off_by: details[Detail::SignedOffBy].clone(),
        signed_off_on: details[Detail::SignedOffOn].clone(),
        entries: sheet.rows.into_iter().filter_map(entry_of).collect(),
        workbook: true,
        faults,
    })
}

/// The "Your details" sheet's row, and the faults of its cells. A workbook
/// made before the sheet existed has none, and one made before it asked for
/// the chair's sign-off has only its first two columns: the cells it lacks
/// are then empty (and named where the sheet now has them).
fn details_of(
    wb: &mut calamine::Xlsx<std::io::Cursor<&[u8]>>,
) -> std::result::Result<(Row<Detail>, Vec<Fault>), String> {
    let empty = |d: Detail| Cell::new("", crate::formats::xlsx::cell_name(DETAILS, 1, d.index() as u32));
    let sheet = match crate::formats::xlsx::read_headed(wb, DETAILS, 20, "it has one row", String::new) {
        Ok(sheet) => sheet,
        Err(e) if e.is_empty() => return Ok((Row::from_fn(empty), Vec::new())),
        Err(e) => return Err(e),
    };
    let expected = crate::formats::xlsx::headings::<Detail>();
    let width = sheet.headings.len();
    if sheet.headings[..] != expected[..] && sheet.headings[..] != expected[..Detail::BEFORE_SIGN_OFF] {
        return Err(format!(
            "the first row of the sheet \"{DETAILS}\" should name the columns {}",
            expected.join(", ")
        ));
    }
    let first = sheet.rows.first();
    let row = Row::from_fn(|d: Detail| match first {
        Some(cells) if d.index() < width => cells[d.index()].clone(),
        _ => empty(d),
    });
    Ok((row, sheet.faults))
}

/// One row as an answer: `None` for a row with neither a reference nor any answer.
fn entry_of(row: Row<PlanColumn>) -> Option<Entry> {
    let mut entry = Entry {
        recommendation: row[PlanColumn::Reference].clone(),
        further: None,
        parts: Part::ALL.map(|p| (p, row[PlanColumn::Part(p)].clone())).into(),
    };
    let answered = entry.parts.values().any(|c| !c.value.is_empty());
    if entry.recommendation.value.is_empty() {
        if !answered {
            return None;
        }
        entry.recommendation.value = "(no reference)".into();
    }
    Some(entry)
}

// Check.

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

const RETURNED: &str = "the returned action plan";

/// The plan in a returned file, or every problem with it.
pub fn check(
    file: &str,
    returned: &Returned,
    recommendations: &[Recommendation],
    received: NaiveDate,
    span: DateSpan,
) -> Result<ActionPlan> {
    // A workbook's column of dates typed in one order and read in the other
    // (a form's dates are all text, as typed: none was converted).
    let mut doubts = std::collections::HashMap::new();
    let converted = if returned.workbook {
        &[Part::Start, Part::Target][..]
    } else {
        &[]
    };
    for &part in converted {
        let cells: Vec<Cell> = returned.entries.iter().map(|e| e.part(part)).collect();
        let values: Vec<&str> = cells.iter().map(|c| c.value.as_str()).collect();
        for (i, doubt) in crate::formats::xlsx::date_doubts(&values) {
            doubts.insert(cells[i].place.clone(), doubt);
        }
    }
    let mut checker = Checker {
        problems: Located::new(file, &returned.faults),
        span,
        doubts,
    };
    let known: Vec<&str> = recommendations.iter().map(|r| r.id.as_str()).collect();
    let submitted_on = checker.date(&returned.submitted_on);
    let signed_off_on = checker.signed_off(&returned.signed_off_on, received);
    let actions: Vec<Action> = returned
        .entries
        .iter()
        .filter_map(|e| checker.action(e, &known))
        .collect();
    // A recommendation with no entry at all (a workbook whose row was deleted).
    for r in recommendations {
        if !returned.entries.iter().any(|e| e.recommendation.value == r.id) {
            checker.problems.whole(
                format!("recommendation {} has no answer", r.id),
                format!("every recommendation needs {}", required_words()),
            );
        }
    }
    let plan = ActionPlan {
        received,
        source: super::source_name(file),
        cpp_contact: returned.cpp_contact.value.clone(),
        submitted_on,
        signed_off_by: returned.signed_off_by.value.clone(),
        signed_off_on,
        actions,
        support: None,
    };
    checker.problems.finish(RETURNED, plan)
}

/// What is worth a second look in a plan that imports: the chair's sign-off
/// missing, at its field or cell. Not an error: a plan sent out before the
/// form and the workbook asked for it has none.
pub fn sign_off_warnings(file: &str, returned: &Returned) -> Vec<Problem> {
    let (by, on) = (&returned.signed_off_by, &returned.signed_off_on);
    let at = |cell: &Cell, message: String| {
        Problem::new(file, message).place(cell.place.clone()).help(format!(
            "ask the partnership for the name of the chair of the CPP who signed off the plan ({}) and the \
                date the chair signed it off ({}), then import the plan again with --replace",
            by.place, on.place
        ))
    };
    match (by.value.is_empty(), on.value.is_empty()) {
        (true, true) => vec![at(
            by,
            "the plan came without the sign-off of the CPP's chair: neither the chair's name nor the date is given"
                .into(),
        )],
        (true, false) => vec![at(
            by,
            "the plan gives the date of the chair's sign-off but not the chair's name".into(),
        )],
        (false, true) => vec![at(
            on,
            format!("the plan names {} as signing it off but gives no date", cut(&by.value)),
        )],
        (false, false) => Vec::new(),
    }
}

/// Checks the cells of a returned plan, gathering every problem.
struct Checker<'a> {
    problems: Located<'a>,
    span: DateSpan,
    /// The date cells, by place, of a column typed in one order and read in
    /// the other: each refused.
    doubts: std::collections::HashMap<String, crate::formats::xlsx::DateDoubt>,
}

impl Checker<'_> {
    /// A date cell's date: none when empty, a problem when it is not a date
    /// or falls outside the inspection's span.
    fn date(&mut self, cell: &Cell) -> Option<NaiveDate> {
        if cell.value.is_empty() {
            return None;
        }
        if let Some(doubt) = self.doubts.get(&cell.place).filter(|_| !cell.place.is_empty()) {
            let (message, help) = doubt.words(&cell.value);
            self.problems.at(cell, message, help);
            return None;
        }
        let Some(d) = parse_date(&cell.value) else {
            self.problems.at(
                cell,
                format!("`{}` is not a date", cut(&cell.value)),
                "write the date as DD/MM/YYYY, e.g. 31/03/2014",
            );
            return None;
        };
        let span = self.span;
        if d < span.earliest || d > span.latest {
            self.problems.at(
                cell,
                format!(
                    "{} is outside the inspection's span ({} to {}): is the day and the month swapped?",
                    date_words(d),
                    date_words(span.earliest),
                    date_words(span.latest)
                ),
                "check the spreadsheet's date setting: one set to United States dates reads 01/12/2013 as 12 \
                January. Set its language or region to English (United Kingdom), or type the date as 1 \
                December 2013, and save again",
            );
            return None;
        }
        Some(d)
    }

    /// The date the chair signed off the plan: a date as [`Checker::date`]
    /// reads it, and no later than the day the plan was received.
    fn signed_off(&mut self, cell: &Cell, received: NaiveDate) -> Option<NaiveDate> {
        let d = self.date(cell)?;
        if d > received {
            self.problems.at(
                cell,
                format!(
                    "the plan was signed off on {}, after it was received ({})",
                    date_words(d),
                    date_words(received)
                ),
                "check the date the chair signed off the plan, and the date received (--received)",
            );
            return None;
        }
        Some(d)
    }

    /// One answer as an action, when it can be one; its problems otherwise.
    fn action(&mut self, e: &Entry, known: &[&str]) -> Option<Action> {
        let id = e.recommendation.value.as_str();
        if !known.contains(&id) {
            self.problems.at(
                &e.recommendation,
                format!(
                    "unknown reference `{}`: the inspection has no such recommendation",
                    cut(id)
                ),
                format!("the references are: {}", known.join(", ")),
            );
            return None;
        }
        self.required_parts(e);
        let start = self.date(&e.part(Part::Start));
        let target = self.date(&e.part(Part::Target));
        if let (Some(s), Some(t)) = (start, target) {
            if s > t {
                self.problems.at(
                    &e.part(Part::Start),
                    format!("{} starts ({s}) after its target date ({t})", e.words()),
                    "check the two dates: the start date must be on or before the target date",
                );
            }
        }
        let rag = self.rag(&e.part(Part::Rag));
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

    /// A problem for each part every answer needs and `e` leaves empty;
    /// placed at the recommendation's reference when the return has no place
    /// for the part at all.
    fn required_parts(&mut self, e: &Entry) {
        for part in Part::ALL.into_iter().filter(|p| p.required()) {
            let mut cell = e.part(part);
            if cell.value.is_empty() {
                if cell.place.is_empty() {
                    cell.place = e.recommendation.place.clone();
                }
                self.problems.at(
                    &cell,
                    format!("{} has no {}", e.words(), part.words()),
                    match e.further {
                        None => format!("every recommendation needs {}", required_words()),
                        Some(_) => format!(
                            "a further action needs {} too; leave all its boxes empty if there is none",
                            required_words()
                        ),
                    },
                );
            }
        }
    }

    /// A RAG status: none when empty, a problem when it is not one.
    fn rag(&mut self, cell: &Cell) -> Option<Rag> {
        let rag = Rag::parse(&cell.value);
        if rag.is_none() && !cell.value.is_empty() {
            self.problems.at(
                cell,
                format!("`{}` is not a RAG status", cut(&cell.value)),
                "choose Red, Amber or Green",
            );
        }
        rag
    }
}

// Write.

/// `scrutiny action-plan import`: the returned plan for the inspection `ws`,
/// received on `received`, written as its `action-plan.toml`.
pub struct Import<'a> {
    pub ws: &'a Workspace,
    pub received: NaiveDate,
}

impl Import<'_> {
    fn target(&self) -> PathBuf {
        self.ws.root.join(crate::model::folder::ACTION_PLAN)
    }

    /// The recommendations the plan answers: none without `findings/`.
    fn recommendations(&self) -> Result<&[Recommendation]> {
        let Some(report) = &self.ws.report else {
            return Err(Error::new(
                ErrorKind::Refused,
                "the inspection folder has no findings/, so it has no recommendations to answer".to_string(),
            ));
        };
        Ok(&report.findings.recommendations)
    }
}

impl RoundTrip for Import<'_> {
    const RETURNED: &'static str = RETURNED;
    const READING: Reading = Reading {
        what: "the action plan",
        help: "import the action-plan.pdf or action-plan.xlsx made by `scrutiny build`, filled in and saved",
        unreadable: "a filled form is well under 1 MiB: check that this is the file the partnership sent",
    };
    const FORM: Option<fn(&Fields) -> Returned> = Some(from_form);

    type Returned = Returned;
    /// The plan, and its warnings.
    type Checked = (ActionPlan, Vec<Problem>);
    type Done = Imported;

    fn from_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
        from_workbook(bytes)
    }

    fn ready(&mut self, replace: bool) -> Result<()> {
        let target = self.target();
        if target.exists() && !replace {
            return Err(Error::new(
                ErrorKind::Refused,
                format!(
                    "{} already exists; add --replace to overwrite it with this plan",
                    target.display()
                ),
            ));
        }
        self.recommendations().map(|_| ())
    }

    fn check(&self, file: &str, returned: &Returned) -> Result<(ActionPlan, Vec<Problem>)> {
        let span = DateSpan::of(&self.ws.schedule);
        let plan = check(file, returned, self.recommendations()?, self.received, span)?;
        Ok((plan, sign_off_warnings(file, returned)))
    }

    fn write(&self, (mut plan, warnings): (ActionPlan, Vec<Problem>), _replace: bool) -> Result<Writes<Imported>> {
        // A plan returned again keeps the support the team recorded for the first.
        plan.support = self.ws.action_plan.as_ref().and_then(|p| p.support.clone());
        let target = self.target();
        Ok(Writes {
            files: vec![(target.clone(), plan.to_toml().into_bytes())],
            done: Imported { path: target, warnings },
        })
    }
}

/// What an import did: `action-plan.toml` written, and what is worth a
/// second look in the plan (the chair's sign-off missing).
pub struct Imported {
    pub path: PathBuf,
    pub warnings: Vec<Problem>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::xlsx::headings;

    fn recommendation() -> Recommendation {
        Recommendation {
            id: "R1".into(),
            text: "Improve plans".into(),
            qi: vec!["5.3".into()],
        }
    }

    #[test]
    fn every_recommendation_has_eight_fields_an_action_between_the_plans_own() {
        let f = form_fields(&[recommendation()]);
        assert_eq!(f.len(), 2 + 8 * ACTIONS_EACH as usize + 2);
        assert_eq!(f[2].name, "R1_action");
        assert!(matches!(f[9].kind, FieldKind::Choice(ref o) if o.len() == 3));
        assert_eq!(f[10].name, "R1_2_action");
        assert_eq!(f[18].name, "R1_3_action");
        let last: Vec<&str> = f[f.len() - 2..].iter().map(|s| s.name.as_str()).collect();
        assert_eq!(last, ["signed_off_by", "signed_off_on"]);
        for s in &f {
            assert_eq!(
                parse_part_field(&s.name).is_some(),
                s.name.starts_with('R'),
                "{}",
                s.name
            );
        }
    }

    #[test]
    fn a_further_action_left_empty_is_none_and_one_partly_filled_is_checked() {
        let mut values: Fields = form_fields(&[recommendation()])
            .into_iter()
            .map(|s| (s.name, String::new()))
            .collect();
        for (k, v) in [("R1_action", "a"), ("R1_lead", "b"), ("R1_target", "31/03/2014")] {
            values.insert(k.into(), v.into());
        }
        values.insert("R1_3_lead".into(), "c".into());
        let returned = from_form(&values);
        assert_eq!(returned.entries.len(), 2, "the second action is empty");
        assert_eq!(returned.entries[1].further, Some(3));
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let span = DateSpan {
            earliest: d(2013, 1, 1),
            latest: d(2019, 1, 1),
        };
        let err = check("plan.pdf", &returned, &[recommendation()], d(2013, 6, 1), span).unwrap_err();
        let said: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said[0].contains("field R1_3_action: recommendation R1's action 3 has no action"),
            "{said:?}"
        );
        assert!(
            said[1].contains("field R1_3_target: recommendation R1's action 3 has no target date"),
            "{said:?}"
        );
    }

    #[test]
    fn the_sheet_has_the_inspections_columns_then_each_part() {
        let parts: Vec<PlanColumn> = Part::ALL.map(PlanColumn::Part).into();
        assert_eq!(&PlanColumn::ALL[3..], &parts[..]);
        assert_eq!(
            headings::<PlanColumn>()[..3],
            ["Reference", "Quality indicators", "Recommendation"]
        );
        assert_eq!(parse_part_field("R1_target"), Some(("R1", 1, Part::Target)));
        assert_eq!(parse_part_field("R1_2_target"), Some(("R1", 2, Part::Target)));
        assert_eq!(parse_part_field("R-1a_12_rag"), Some(("R-1a", 12, Part::Rag)));
        for not in [
            "cpp_contact",
            "signed_off_by",
            "R1_1_target",
            "R1_02_target",
            "R1_x_target",
            "R1_2_3_target",
        ] {
            assert_eq!(parse_part_field(not), None, "{not}");
        }
    }

    #[test]
    fn a_written_workbook_reads_back() {
        let r = recommendation();
        let d = NaiveDate::from_ymd_opt(2013, 5, 15).unwrap();
        let about = About {
            cpp: "Glenaird CPP",
            reference: "JI-1",
            due: d,
            made: d,
        };
        let bytes = workbook(std::slice::from_ref(&r), &about).unwrap();
        assert_eq!(bytes, workbook(std::slice::from_ref(&r), &about).unwrap(), "same bytes");
        let back = from_workbook(&bytes).unwrap();
        assert_eq!(back.entries.len(), 1);
        assert_eq!(back.entries[0].recommendation.value, "R1");
        assert_eq!(back.entries[0].recommendation.place, "sheet Action plan, cell A2");
    }
}
