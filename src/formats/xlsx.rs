//! Workbooks, written with rust_xlsxwriter and read back with calamine: the
//! generic layer under every round trip's workbook (`returns/`). A sheet's
//! columns are an enum implementing [`Column`], so that a sheet is written
//! from the same list of columns it is read back by, and code names a column
//! (`row[Child::Group]`) instead of counting to it (`row[1]`). Every value
//! read is a [`Cell`] that knows its place ("sheet Children, cell B5"), so
//! that a problem with it can say where it is.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

use calamine::{DataRef, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// A value read from a returned form or workbook, with where it was read
/// ("field R1_lead", "sheet Action plan, cell E2").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub value: String,
    pub place: String,
}

impl Cell {
    /// A value as read, without the spaces around it.
    pub fn new(value: impl Into<String>, place: impl Into<String>) -> Cell {
        Cell {
            value: value.into().trim().to_string(),
            place: place.into(),
        }
    }
}

/// A cell whose value cannot be used (an error value, a formula never
/// calculated): where, what, and how to fix it. Reading goes on past it, so
/// that the check can report it with every other problem.
#[derive(Debug, Clone)]
pub struct Fault {
    pub place: String,
    pub message: String,
    pub help: &'static str,
}

/// A column of a sheet that scrutiny writes and reads back, in the sheet's
/// order from column A.
pub trait Column: Copy + PartialEq + 'static {
    /// Every column, in the sheet's order.
    const ALL: &'static [Self];

    /// Its heading in the sheet's first row, which a returned sheet must keep.
    fn heading(self) -> &'static str;

    /// Its place counted from column A (0).
    fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|c| *c == self)
            .expect("every column is in ALL")
    }

    /// Its place as rust_xlsxwriter counts columns.
    fn col(self) -> u16 {
        self.index() as u16
    }
}

/// The headings of the columns `C`, in order.
pub fn headings<C: Column>() -> Vec<&'static str> {
    C::ALL.iter().map(|c| c.heading()).collect()
}

/// One row of a sheet: a value (a [`Cell`] as read, or the text to write) for
/// each column, reached by the column's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<C, T = Cell> {
    values: Vec<T>,
    columns: PhantomData<C>,
}

impl<C: Column, T> Row<C, T> {
    /// A row whose value in each column is `f` of it.
    pub fn from_fn(f: impl FnMut(C) -> T) -> Self {
        Row {
            values: C::ALL.iter().copied().map(f).collect(),
            columns: PhantomData,
        }
    }

    /// Each column with its value, in the sheet's order.
    pub fn iter(&self) -> impl Iterator<Item = (C, &T)> {
        C::ALL.iter().copied().zip(&self.values)
    }

    /// The values in the sheet's order, as a record of the CSV file the
    /// columns are the columns of.
    pub fn values(&self) -> &[T] {
        &self.values
    }

    /// Each value made into another, column by column.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Row<C, U> {
        Row {
            values: self.values.into_iter().map(f).collect(),
            columns: PhantomData,
        }
    }
}

impl<C: Column> Row<C> {
    /// Whether nothing is written in the row.
    pub fn is_blank(&self) -> bool {
        self.values.iter().all(|c| c.value.is_empty())
    }
}

impl<C: Column, T> Index<C> for Row<C, T> {
    type Output = T;

    fn index(&self, column: C) -> &T {
        &self.values[column.index()]
    }
}

impl<C: Column, T> IndexMut<C> for Row<C, T> {
    fn index_mut(&mut self, column: C) -> &mut T {
        &mut self.values[column.index()]
    }
}

/// The rows of one sheet below its header, in order (a row with nothing
/// written in it included), and the faults of its cells.
pub struct Sheet<C> {
    pub rows: Vec<Row<C>>,
    pub faults: Vec<Fault>,
}

/// Reads `sheet`, whose first row must be the headings of `C`. The sheet is
/// streamed cell by cell, so a workbook that claims a million rows or a cell
/// in its last column costs nothing; past `max_rows` rows it is refused
/// (`per_row` says what a row is, for the message), as is a cell of more than
/// [`MAX_CELL`] characters. A cell holding an error or a formula with no
/// value saved reads as empty, and is one of the sheet's faults.
pub fn read_sheet<C: Column>(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    max_rows: u32,
    per_row: &str,
    no_sheet: impl Fn() -> String,
) -> Result<Sheet<C>, String> {
    let table = read_table(wb, sheet, &headings::<C>(), max_rows, per_row, no_sheet)?;
    let rows = table
        .rows
        .into_iter()
        .map(|(_, values)| Row {
            values,
            columns: PhantomData,
        })
        .collect();
    Ok(Sheet {
        rows,
        faults: table.faults,
    })
}

/// A sheet whose columns are not all known before it is read (the records
/// reading's, a column per measure): its headings as the first row has
/// them, then its rows as [`read_sheet`] reads them, a cell per heading.
pub struct Headed {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub faults: Vec<Fault>,
}

/// The most columns a sheet read by [`read_headed`] may have.
pub const MAX_HEADED_COLUMNS: usize = 64;

/// Reads `sheet` whatever its headings, within [`MAX_HEADED_COLUMNS`] and
/// the limits of [`read_sheet`].
pub fn read_headed(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    max_rows: u32,
    per_row: &str,
    no_sheet: impl Fn() -> String,
) -> Result<Headed, String> {
    let table = read_table(wb, sheet, &[], max_rows, per_row, no_sheet)?;
    let top: Vec<String> = table.header.iter().map(|c| c.value.clone()).collect();
    let width = top.iter().rposition(|h| !h.is_empty()).map_or(0, |i| i + 1);
    Ok(Headed {
        headings: top[..width].to_vec(),
        rows: table
            .rows
            .into_iter()
            .map(|(_, mut r)| {
                r.truncate(width);
                r
            })
            .collect(),
        faults: table.faults,
    })
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

/// The most rows a returned sheet may have unless its round trip says
/// otherwise: a plan has tens.
pub const MAX_ROWS: u32 = 5_000;
/// The longest value a cell may hold.
pub const MAX_CELL: usize = 10_000;
/// The most a returned workbook may unpack to; the plan scrutiny writes
/// unpacks to well under 1 MiB.
const MAX_UNPACKED: u64 = 64 << 20;

/// A workbook read from `bytes`, once its parts are known to unpack to no more
/// than a returned file may.
pub fn open<'a>(bytes: &'a [u8], what: &str) -> Result<Xlsx<Cursor<&'a [u8]>>, String> {
    unpacked_size(bytes, what)?;
    Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a workbook this program can read: {e}"))
}

/// The rows below the header of one sheet, in order, each with one cell per
/// heading (an empty cell named by its place too), and the faults of cells
/// that hold errors or unsaved formulas.
struct Table {
    header: Vec<Cell>,
    rows: Vec<(u32, Vec<Cell>)>,
    faults: Vec<Fault>,
}

/// The rows of `sheet` below its header `headings`, each numbered and with
/// a cell per heading (an empty one named by its place too): see [`read_sheet`].
/// No headings: any, up to [`MAX_HEADED_COLUMNS`].
fn read_table(
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
    let any = headings.is_empty();
    let width = if any { MAX_HEADED_COLUMNS } else { headings.len() };
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
        if col < left || col - left >= width as u32 {
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
        let row_cells = rows.entry(row).or_insert_with(|| vec![Cell::default(); width]);
        row_cells[(col - left) as usize] = Cell::new(value, place);
    }
    let Some((top, left)) = header else {
        return Err(format!("the sheet \"{sheet}\" is empty"));
    };
    let found: Vec<&str> = rows
        .get(&top)
        .map(|r| r.iter().map(|c| c.value.as_str()).collect())
        .unwrap_or_default();
    if !any && found != headings {
        return Err(format!(
            "the first row of the sheet \"{sheet}\" should name the columns {}",
            headings.join(", ")
        ));
    }
    let header = rows.get(&top).cloned().unwrap_or_default();
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
    Ok(Table { header, rows, faults })
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
                "open the workbook in a spreadsheet program so that it calculates, then save it again (or \
                type the answer in place of the formula)",
            ));
            String::new()
        }
        v => text(v),
    }
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

/// Why a date of a returned column cannot be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateDoubt {
    /// Typed as text that the spreadsheet could not take for a date, with a
    /// part over 12 ("03/25/2013", "25/03/2013"): typed in the other order
    /// from the spreadsheet's own date setting.
    TypedOtherOrder,
    /// A date the spreadsheet converted whose day and month could be either
    /// way round (4 March or 3 April), beside such text: it may be swapped.
    MaybeSwapped,
}

/// The dates of one returned column that cannot be trusted, by index. A
/// column that mixes dates the spreadsheet converted (read as YYYY-MM-DD)
/// with text like "03/25/2013" was typed in one order and read in the other:
/// the text is one sign, and each converted date whose day and month are both
/// 12 or under may have been swapped without a trace. A column without such
/// text has no doubt.
pub fn date_doubts(values: &[&str]) -> Vec<(usize, DateDoubt)> {
    let converted = |v: &str| -> Option<(u32, u32)> {
        let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .filter(|_| v.len() == 10)?;
        Some((d.day(), d.month()))
    };
    let typed_over_12 = |v: &str| -> bool {
        let parts: Vec<&str> = v.split('/').collect();
        let n = |s: &str| s.parse::<u32>().ok().filter(|_| !s.is_empty() && s.len() <= 2);
        match parts.as_slice() {
            [a, b, y] if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) => {
                matches!((n(a), n(b)), (Some(a), Some(b)) if a >= 1 && b >= 1 && (a > 12) != (b > 12) && a <= 31 && b <= 31)
            }
            _ => false,
        }
    };
    let text: Vec<usize> = (0..values.len()).filter(|&i| typed_over_12(values[i].trim())).collect();
    let ambiguous: Vec<usize> = (0..values.len())
        .filter(|&i| converted(values[i].trim()).is_some_and(|(d, m)| d <= 12 && m <= 12 && d != m))
        .collect();
    let any_converted = values.iter().any(|v| converted(v.trim()).is_some());
    if text.is_empty() || !any_converted {
        return Vec::new();
    }
    let mut out: Vec<(usize, DateDoubt)> = text.into_iter().map(|i| (i, DateDoubt::TypedOtherOrder)).collect();
    out.extend(ambiguous.into_iter().map(|i| (i, DateDoubt::MaybeSwapped)));
    out.sort_by_key(|(i, _)| *i);
    out
}

impl DateDoubt {
    /// The problem's message and help for the cell holding `value`.
    pub fn words(self, value: &str) -> (String, &'static str) {
        match self {
            DateDoubt::TypedOtherOrder => (
                format!(
                    "`{}` is a date typed in the other order from the spreadsheet's date setting: the \
                     spreadsheet kept it as text, and read the column's other dates its own way",
                    crate::base::text::cut(value)
                ),
                "set the spreadsheet's language or region to English (United Kingdom), type each date of \
                 the column again as DD/MM/YYYY (or as 25 March 2013), and save again",
            ),
            DateDoubt::MaybeSwapped => (
                format!(
                    "{} may have its day and month swapped: the column also holds a date typed in the \
                     other order (as text), so the spreadsheet may have read this one the wrong way round",
                    NaiveDate::parse_from_str(value, "%Y-%m-%d")
                        .map_or_else(|_| crate::base::text::cut(value), crate::base::text::date_words)
                ),
                "set the spreadsheet's language or region to English (United Kingdom), type each date of \
                 the column again as DD/MM/YYYY (or as 4 March 2013), and save again",
            ),
        }
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
    fn a_column_mixing_converted_dates_and_typed_text_over_12_is_doubted() {
        // A United States setting: 03/04/2013 became 4 March... or 3 April;
        // 03/25/2013 stayed text.
        let col = ["2013-04-03", "03/25/2013", "2013-05-20", "2013-06-06", ""];
        assert_eq!(
            date_doubts(&col),
            [(0, DateDoubt::MaybeSwapped), (1, DateDoubt::TypedOtherOrder)]
        );
        // The British order typed into an American spreadsheet, the same.
        assert_eq!(
            date_doubts(&["2013-04-03", "25/03/2013"]),
            [(0, DateDoubt::MaybeSwapped), (1, DateDoubt::TypedOtherOrder)]
        );
        // Dates alone, or text alone, are no sign.
        assert!(date_doubts(&["2013-04-03", "2013-05-20"]).is_empty());
        assert!(date_doubts(&["25/03/2013", "04/03/2013"]).is_empty());
        assert!(date_doubts(&["2013-04-03", "04/03/2013"]).is_empty());
    }

    #[test]
    fn columns_are_lettered() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(10), "K");
        assert_eq!(column_letters(26), "AA");
    }
}
