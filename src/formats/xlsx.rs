//! The action plan as a workbook, for CPPs who would rather use a spreadsheet:
//! written with rust_xlsxwriter, read back with calamine.

use std::io::Cursor;

use std::collections::BTreeMap;

use calamine::{DataRef, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use crate::model::action_plan::{required_words, Part, Rag};
use crate::model::action_plan::{Cell, Entry, Fault, Returned};
use crate::model::findings::Recommendation;

pub const SHEET: &str = "Action plan";
pub const ABOUT: &str = "About";

/// A column of the plan sheet: the inspection's three, then a part of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Reference,
    Indicators,
    Recommendation,
    Part(Part),
}

impl Column {
    /// Every column in order: the inspection's, then each part of an answer.
    pub fn all() -> Vec<Column> {
        [Column::Reference, Column::Indicators, Column::Recommendation]
            .into_iter()
            .chain(Part::ALL.map(Column::Part))
            .collect()
    }

    pub fn heading(self) -> &'static str {
        match self {
            Column::Reference => "Reference",
            Column::Indicators => "Quality indicators",
            Column::Recommendation => "Recommendation",
            Column::Part(p) => p.heading(),
        }
    }

    /// Its width in characters: narrow for references, dates and statuses,
    /// wide for text.
    fn width(self) -> f64 {
        match self {
            Column::Reference | Column::Indicators => 13.0,
            Column::Part(p) if p.is_date() || p == Part::Rag => 13.0,
            Column::Recommendation | Column::Part(Part::Action | Part::Measure | Part::Progress) => 40.0,
            Column::Part(_) => 24.0,
        }
    }
}

/// Rows left open under the recommendations for further actions.
const SPARE_ROWS: u32 = 40;

/// What the About sheet says, besides the instructions.
pub struct About<'a> {
    pub cpp: &'a str,
    pub reference: &'a str,
    pub due: NaiveDate,
    pub made: NaiveDate,
}

/// A new workbook titled `title`, created on `made`: a fixed date, so that the
/// same inputs give the same bytes.
pub fn titled(title: String, made: NaiveDate) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&excel_date(made)?),
    );
    Ok(wb)
}

pub fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// The workbook: one row per recommendation (reference, indicators and text
/// locked), spare rows for further actions, date cells, a RAG drop-down.
pub fn write(recommendations: &[Recommendation], about: &About) -> Result<Vec<u8>, XlsxError> {
    let mut wb = titled(format!("Joint action plan: {}", about.cpp), about.made)?;
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

    let sheet = wb.add_worksheet();
    sheet.set_name(SHEET)?;
    let columns = Column::all();
    for (c, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, column.heading(), &heading)?;
        sheet.set_column_width(c as u16, column.width())?;
    }
    let last = recommendations.len() as u32 + SPARE_ROWS;
    for row in 1..=last {
        let rec = recommendations.get(row as usize - 1);
        for (c, column) in columns.iter().enumerate() {
            let c = c as u16;
            let text = |r: &Recommendation| match column {
                Column::Reference => Some(r.id.clone()),
                Column::Indicators => Some(r.qi.join(", ")),
                Column::Recommendation => Some(r.text.clone()),
                Column::Part(_) => None,
            };
            match (rec.and_then(text), column) {
                (Some(text), _) => {
                    sheet.write_string_with_format(row, c, text, &locked)?;
                }
                (None, Column::Part(p)) if p.is_date() => {
                    sheet.write_blank(row, c, &date)?;
                }
                _ => {
                    sheet.write_blank(row, c, &open)?;
                }
            }
        }
    }
    let rag = DataValidation::new()
        .allow_list_strings(&Rag::ALL.map(Rag::name))?
        .set_input_title("RAG status")?
        .set_input_message("Red, Amber or Green")?
        .set_error_title("RAG status")?
        .set_error_message("Choose Red, Amber or Green")?;
    sheet.add_data_validation(1, 10, last, 10, &rag)?;
    let dates = DataValidation::new()
        .allow_date(rust_xlsxwriter::DataValidationRule::GreaterThan(excel_date(
            NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date"),
        )?))
        .set_error_title("A date")?
        .set_error_message("Write a date, e.g. 31/03/2014")?;
    sheet.add_data_validation(1, 6, last, 7, &dates)?;
    sheet.set_freeze_panes(1, 1)?;
    sheet.protect();

    about_sheet(wb.add_worksheet(), about)?;
    wb.save_to_buffer()
}

/// The About sheet: who the plan is for, when it is due, how to fill it in.
fn about_sheet(info: &mut rust_xlsxwriter::Worksheet, about: &About) -> Result<(), XlsxError> {
    info.set_name(ABOUT)?;
    let lines: [(&str, String); 6] = [
        ("Community planning partnership", about.cpp.to_string()),
        ("Inspection reference", about.reference.to_string()),
        ("Please return by", crate::base::text::date_words(about.due)),
        ("How to fill it in", format!(
            "On the '{SHEET}' sheet, each recommendation has a row: fill in the action, the lead officer (name, role, agency), the partners involved, the start and target dates, the measure of success, progress so far and a RAG status (Red, Amber or Green). The first three columns are the inspection's and cannot be changed."
        )),
        ("More than one action", "For a further action on a recommendation, use a spare row below and write the recommendation's reference (e.g. R1) in its first column.".to_string()),
        ("Returning it", format!("Save the workbook as .xlsx and send it to the Inspection Lead. Every recommendation needs {}.", required_words())),
    ];
    write_about(info, &lines)
}

/// An About sheet's lines, a heading and its text to a row, each row tall
/// enough for its text (spreadsheet programs do not all work that out).
pub fn write_about(info: &mut rust_xlsxwriter::Worksheet, lines: &[(&str, String)]) -> Result<(), XlsxError> {
    const WIDTH: f64 = 100.0;
    info.set_column_width(0, 30.0)?;
    info.set_column_width(1, WIDTH)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let bold = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    for (r, (k, v)) in lines.iter().enumerate() {
        let r = r as u32;
        info.write_string_with_format(r, 0, *k, &bold)?;
        info.write_string_with_format(r, 1, v, &wrap)?;
        // A line holds a little less than the column's width in characters.
        let lines: usize = v
            .split('\n')
            .map(|p| (p.chars().count() as f64 / (WIDTH * 0.9)).ceil().max(1.0) as usize)
            .sum();
        info.set_row_height(r, 15.0 * lines as f64 + 4.0)?;
    }
    Ok(())
}

/// The most rows a returned plan sheet may have: a plan has tens.
pub const MAX_ROWS: u32 = 5_000;
/// The longest value a cell may hold.
pub const MAX_CELL: usize = 10_000;
/// The most a returned workbook may unpack to; the plan scrutiny writes
/// unpacks to well under 1 MiB.
const MAX_UNPACKED: u64 = 64 << 20;

/// The plan sheet of a returned workbook: one entry per row with a reference
/// or any answer.
pub fn read(bytes: &[u8]) -> Result<Returned, String> {
    let mut wb = open(bytes, "a returned plan")?;
    let no_sheet =
        || format!("the workbook has no sheet named \"{SHEET}\": is it the action-plan.xlsx made by scrutiny?");
    let columns = Column::all();
    let headings: Vec<&str> = columns.iter().map(|c| c.heading()).collect();
    let table = read_table(
        &mut wb,
        SHEET,
        &headings,
        MAX_ROWS,
        "a plan has one row per action",
        no_sheet,
    )?;
    let entries = table
        .rows
        .into_iter()
        .filter_map(|(_, values)| entry_of(values, &columns))
        .collect();
    Ok(Returned {
        entries,
        faults: table.faults,
        ..Default::default()
    })
}

/// A workbook read from `bytes`, once its parts are known to unpack to no more
/// than a returned file may.
pub fn open<'a>(bytes: &'a [u8], what: &str) -> Result<Xlsx<Cursor<&'a [u8]>>, String> {
    unpacked_size(bytes, what)?;
    Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a workbook this program can read: {e}"))
}

/// The rows below the header of one sheet, in order, each with one cell per
/// heading (an empty cell named by its place too), and the faults of cells
/// that hold errors or unsaved formulas.
pub struct Table {
    pub rows: Vec<(u32, Vec<Cell>)>,
    pub faults: Vec<Fault>,
}

/// Reads `sheet`, whose first row must be `headings`. The sheet is streamed
/// cell by cell, so a workbook that claims a million rows or a cell in its
/// last column costs nothing; past `max_rows` rows it is refused (`per_row`
/// says what a row is, for the message).
pub fn read_table(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    headings: &[&str],
    max_rows: u32,
    per_row: &str,
    no_sheet: impl Fn() -> String,
) -> Result<Table, String> {
    let mut cells = wb.worksheet_cells_reader(sheet).map_err(|_| no_sheet())?;
    // The rows as read: cells by column, relative to the header's first column.
    let mut rows: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
    let mut faults = Vec::new();
    let mut header: Option<(u32, u32)> = None;
    while let Some(c) = cells
        .next_cell_with_formula_metadata()
        .map_err(|e| format!("the sheet \"{sheet}\" could not be read: {e}"))?
    {
        let (row, col) = c.pos;
        if row >= max_rows {
            return Err(format!(
                "the sheet \"{sheet}\" has more than {max_rows} rows: {per_row}"
            ));
        }
        let (top, left) = *header.get_or_insert((row, col));
        if col < left || col - left >= headings.len() as u32 {
            continue;
        }
        let place = cell_name(sheet, row, col);
        let value = cell_value(&c.value, c.formula.is_some(), row > top, &place, &mut faults);
        if value.chars().count() > MAX_CELL {
            return Err(format!(
                "{place} holds {} characters, more than the {MAX_CELL} a cell may",
                value.chars().count()
            ));
        }
        let row_cells = rows.entry(row).or_insert_with(|| vec![Cell::default(); headings.len()]);
        row_cells[(col - left) as usize] = Cell::new(value, place);
    }
    let Some((top, left)) = header else {
        return Err(format!("the sheet \"{sheet}\" is empty"));
    };
    let found: Vec<&str> = rows
        .get(&top)
        .map(|r| r.iter().map(|c| c.value.as_str()).collect())
        .unwrap_or_default();
    if found != headings {
        return Err(format!(
            "the first row of the sheet \"{sheet}\" should name the columns {}",
            headings.join(", ")
        ));
    }
    let rows = rows
        .into_iter()
        .filter(|(r, _)| *r > top)
        .map(|(row, mut values)| {
            for (c, cell) in values.iter_mut().enumerate() {
                if cell.place.is_empty() {
                    cell.place = cell_name(sheet, row, left + c as u32);
                }
            }
            (row, values)
        })
        .collect();
    Ok(Table { rows, faults })
}

/// A cell's value as text; an error value, or a formula with no value saved
/// below the header, is a fault of its own and reads as empty.
fn cell_value(value: &DataRef, formula: bool, below_header: bool, place: &str, faults: &mut Vec<Fault>) -> String {
    let fault = |message: String, help: &'static str| Fault {
        place: place.to_string(),
        message,
        help,
    };
    match value {
        DataRef::Error(e) => {
            faults.push(fault(
                format!("the cell shows the error {e}"),
                "correct the formula or type the answer in the cell, and save again",
            ));
            String::new()
        }
        DataRef::Empty if formula && below_header => {
            faults.push(fault(
                "the cell holds a formula with no value saved".into(),
                "open the workbook in a spreadsheet program so that it calculates, then save it again (or type the answer in place of the formula)",
            ));
            String::new()
        }
        v => text(v),
    }
}

/// One row as an answer: `None` for a row with neither a reference nor any answer.
fn entry_of(values: Vec<Cell>, columns: &[Column]) -> Option<Entry> {
    let mut entry = Entry {
        recommendation: values[0].clone(),
        parts: Default::default(),
    };
    for (cell, column) in values.into_iter().zip(columns) {
        if let Column::Part(part) = column {
            entry.parts.insert(*part, cell);
        }
    }
    let answered = entry.parts.values().any(|c| !c.value.is_empty());
    if entry.recommendation.value.is_empty() {
        if !answered {
            return None;
        }
        entry.recommendation.value = "(no reference)".into();
    }
    Some(entry)
}

/// "sheet Children, cell B5".
pub fn cell_name(sheet: &str, row: u32, col: u32) -> String {
    format!("sheet {sheet}, cell {}{}", column_letters(col), row + 1)
}

/// Refuses a workbook whose parts would unpack to more than [`MAX_UNPACKED`]
/// (as their headers state), before any is unpacked.
fn unpacked_size(bytes: &[u8], what: &str) -> Result<(), String> {
    let unreadable = |e: zip::result::ZipError| format!("not a workbook this program can read: {e}");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i).map_err(unreadable)?.size());
    }
    if total > MAX_UNPACKED {
        return Err(format!(
            "the workbook unpacks to {}, more than the {} MiB {what} may",
            crate::base::files::mib(total),
            MAX_UNPACKED >> 20
        ));
    }
    Ok(())
}

/// A cell's value as text; dates as YYYY-MM-DD, and a date number too large
/// to be a date as the number (which the check then names).
pub fn text(d: &DataRef) -> String {
    match d {
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => {
            let serial = dt.as_f64();
            let date = chrono::TimeDelta::try_days(serial.floor() as i64)
                .filter(|_| serial.abs() < 1e7)
                .and_then(|days| NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(days));
            date.map_or_else(|| serial.to_string(), |d| d.to_string())
        }
        DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
        _ => String::new(),
    }
}

/// "A" for 0, "K" for 10, "AA" for 26.
fn column_letters(mut col: u32) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (col % 26) as u8) as char);
        if col < 26 {
            return s;
        }
        col = col / 26 - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(10), "K");
        assert_eq!(column_letters(26), "AA");
    }

    #[test]
    fn a_written_workbook_reads_back() {
        let r = Recommendation {
            id: "R1".into(),
            text: "Improve plans".into(),
            qi: vec!["5.3".into()],
        };
        let d = NaiveDate::from_ymd_opt(2013, 5, 15).unwrap();
        let about = About {
            cpp: "Glenaird CPP",
            reference: "JI-1",
            due: d,
            made: d,
        };
        let bytes = write(std::slice::from_ref(&r), &about).unwrap();
        assert_eq!(bytes, write(std::slice::from_ref(&r), &about).unwrap(), "same bytes");
        let back = read(&bytes).unwrap();
        assert_eq!(back.entries.len(), 1);
        assert_eq!(back.entries[0].recommendation.value, "R1");
        assert_eq!(back.entries[0].recommendation.place, "sheet Action plan, cell A2");
    }
}
