//! The records-reading round trip: a workbook for each team member who reads
//! records (`out/sample/reading/<reader>.xlsx`), listing the sampled children
//! allocated to that reader with a drop-down for each measure, and
//! `scrutiny records import`, which reads any number of returned workbooks
//! into `findings/records-reading.csv`.
//!
//! In the order of every round trip (see [`crate::returns`]): the columns
//! ([`Given`], then one per `[[measures]]` key, and the [`ReaderColumn`] of
//! the reader's sheet); out: [`allocation`] and [`workbook`]; read:
//! [`from_workbook`]; check: [`check`] (each workbook), then [`import`]
//! across them (a child read in two); write: [`Import`], which merges into
//! `findings/records-reading.csv`, replacing a child's earlier ratings only
//! with `--replace`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::{Cell, Column, Fault, Located, Reading, RoundTrip, Writes};
use crate::base::error::{Error, ErrorKind, Problem, Result};
use crate::base::text::slug;
use crate::formats::xlsx::{read_headed, read_sheet};
use crate::model::people::Child;
use crate::workspace::Workspace;

// Fields and columns.

/// Where `scrutiny build` puts the workbooks, relative to `out/`.
pub const FOLDER: &str = "sample/reading";
/// The workbook's sheets.
pub const SHEET: &str = "Records";
pub const READER_SHEET: &str = "Reader";
const ABOUT: &str = "About";
/// What a record that does not bear on a measure is rated.
pub const NOT_APPLICABLE: &str = "n/a";
/// The file the ratings are merged into, in the inspection folder.
pub const CSV: &str = "findings/records-reading.csv";
const RETURNED: &str = "the returned records-reading workbooks";

/// The columns the inspection fills in for each child, before the measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    CaseRef,
    Category,
    Protection,
    Holders,
}

impl Column for Given {
    const ALL: &'static [Given] = &[Given::CaseRef, Given::Category, Given::Protection, Given::Holders];

    fn heading(self) -> &'static str {
        match self {
            Given::CaseRef => "Case reference",
            Given::Category => "Category",
            Given::Protection => "In need of protection",
            Given::Holders => "Records requested from",
        }
    }
}

/// The reader's sheet: who was allocated these children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderColumn {
    Reader,
}

impl Column for ReaderColumn {
    const ALL: &'static [ReaderColumn] = &[ReaderColumn::Reader];

    fn heading(self) -> &'static str {
        "Reader"
    }
}

/// The ratings a drop-down offers: the six-point scale and `n/a`.
pub const RATINGS: [&str; 7] = ["1", "2", "3", "4", "5", "6", NOT_APPLICABLE];

// Out.

/// One reader's share of the sample.
pub struct Allocated<'a> {
    pub reader: &'a str,
    pub children: Vec<&'a Child>,
}

/// The sample shared among the readers, in its order.
pub fn allocation(ws: &Workspace) -> Vec<Allocated<'_>> {
    let readers = crate::rules::team::reader_names(&ws.inspection);
    let runs = crate::rules::team::allocate(ws.sample.children.len(), readers.len());
    readers
        .into_iter()
        .zip(runs)
        .map(|(reader, run)| Allocated {
            reader,
            children: ws.sample.children[run].iter().collect(),
        })
        .collect()
}

/// `sample/reading/<slug of reader>.xlsx`.
pub fn workbook_name(reader: &str) -> String {
    format!("{FOLDER}/{}.xlsx", slug(reader))
}

/// What the About sheet says, and the workbook's date.
pub struct About<'a> {
    pub area: &'a str,
    pub reference: &'a str,
    pub marking: &'a str,
    /// Each measure: key and what it measured.
    pub measures: Vec<(&'a str, &'a str)>,
    /// Scoping phase three, when the records are read.
    pub phase_three: (NaiveDate, NaiveDate),
    pub made: NaiveDate,
}

/// One reader's workbook: the reader's sheet, the children with a drop-down
/// per measure, and the About sheet. `holders` gives the contacts asked for
/// each child's records.
pub fn workbook(
    a: &Allocated,
    holders: &HashMap<&str, Vec<&str>>,
    about: &About,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let title = format!("Records reading, {}: {} ({})", about.area, a.reader, about.marking);
    let mut wb = crate::formats::xlsx::titled(title, about.made)?;
    let sheet = wb.add_worksheet();
    sheet.set_name(SHEET)?;
    records_sheet(sheet, a, holders, about)?;
    let reader = wb.add_worksheet();
    reader.set_name(READER_SHEET)?;
    let bold = Format::new().set_bold();
    reader.write_string_with_format(0, 0, ReaderColumn::Reader.heading(), &bold)?;
    reader.write_string(1, 0, a.reader)?;
    reader.set_column_width(0, 40.0)?;
    reader.protect();
    about_sheet(wb.add_worksheet(), a, about)?;
    wb.save_to_buffer()
}

fn records_sheet(
    sheet: &mut Worksheet,
    a: &Allocated,
    holders: &HashMap<&str, Vec<&str>>,
    about: &About,
) -> std::result::Result<(), XlsxError> {
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    let locked = Format::new().set_align(FormatAlign::Top);
    let open = Format::new().set_align(FormatAlign::Top).set_unlocked();
    sheet.set_header(format!("&C{}", about.marking.replace('&', "&&")));
    for &c in Given::ALL {
        sheet.write_string_with_format(0, c.col(), c.heading(), &heading)?;
        sheet.set_column_width(c.col(), if c == Given::Holders { 36.0 } else { 18.0 })?;
    }
    let first = Given::ALL.len() as u16;
    for (m, (key, _)) in about.measures.iter().enumerate() {
        sheet.write_string_with_format(0, first + m as u16, *key, &heading)?;
        sheet.set_column_width(first + m as u16, 16.0)?;
    }
    for (r, child) in a.children.iter().enumerate() {
        let row = r as u32 + 1;
        let held = holders
            .get(child.case_ref.as_str())
            .map(|h| h.join(", "))
            .unwrap_or_default();
        for (c, text) in [
            (Given::CaseRef, child.case_ref.as_str()),
            (Given::Category, child.category.description()),
            (Given::Protection, if child.protection { "yes" } else { "no" }),
            (Given::Holders, held.as_str()),
        ] {
            sheet.write_string_with_format(row, c.col(), text, &locked)?;
        }
        for m in 0..about.measures.len() {
            sheet.write_blank(row, first + m as u16, &open)?;
        }
    }
    let last = a.children.len().max(1) as u32;
    if !about.measures.is_empty() {
        let rating = DataValidation::new()
            .allow_list_strings(&RATINGS)?
            .set_input_title("Rating")?
            .set_input_message("6 excellent ... 1 unsatisfactory, or n/a")?
            .set_error_title("Rating")?
            .set_error_message("Choose 1 to 6 on the six-point scale, or n/a")?;
        let end = first + about.measures.len() as u16 - 1;
        sheet.add_data_validation(1, first, last, end, &rating)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    sheet.protect();
    Ok(())
}

fn about_sheet(info: &mut Worksheet, a: &Allocated, about: &About) -> std::result::Result<(), XlsxError> {
    use crate::base::text::date_words;
    info.set_name(ABOUT)?;
    let measures = about
        .measures
        .iter()
        .map(|(k, t)| format!("{k}: {t}"))
        .collect::<Vec<_>>()
        .join("\n");
    let lines = [
        (
            "Marking",
            format!("{}: this workbook holds personal data", about.marking),
        ),
        ("Inspection", format!("{} {}", about.reference, about.area)),
        ("Reader", a.reader.to_string()),
        ("Children", a.children.len().to_string()),
        (
            "When",
            format!(
                "Scoping phase three (records reading), {} to {}",
                date_words(about.phase_three.0),
                date_words(about.phase_three.1)
            ),
        ),
        ("Measures", measures),
        (
            "How to fill it in",
            format!(
                "On the sheet {SHEET}, one row per child allocated to you. For each measure, choose a rating \
                 from the drop-down: 6 excellent, 5 very good, 4 good, 3 adequate, 2 weak, 1 unsatisfactory, \
                 or n/a where the record does not bear on it. Leave the whole row empty for a child whose \
                 records you have not read. Do not change the case references or the headings, nor the \
                 sheet {READER_SHEET}. Save the workbook and give it to the inspection lead, who imports it \
                 with `scrutiny records import`."
            ),
        ),
    ];
    crate::formats::xlsx::write_about(info, &lines)?;
    Ok(())
}

// Read.

/// A returned workbook as read: the reader named in it, the records sheet's
/// headings (with their cells) and rows.
pub struct Returned {
    pub reader: Option<Cell>,
    pub headings: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub faults: Vec<Fault>,
}

pub fn from_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
    let mut wb = crate::formats::xlsx::open(bytes, "a records-reading workbook")?;
    let no_sheet = |name: &'static str| {
        move || format!("the workbook has no sheet \"{name}\": it is not a records-reading workbook made by scrutiny")
    };
    let per_row = "a reader has a few children";
    let reader = read_sheet::<ReaderColumn>(&mut wb, READER_SHEET, 10, per_row, no_sheet(READER_SHEET))?;
    let headed = read_headed(&mut wb, SHEET, crate::formats::xlsx::MAX_ROWS, per_row, no_sheet(SHEET))?;
    let headings = headed
        .headings
        .iter()
        .enumerate()
        .map(|(c, h)| Cell::new(h.clone(), crate::formats::xlsx::cell_name(SHEET, 0, c as u32)))
        .collect();
    let mut faults = reader.faults;
    faults.extend(headed.faults);
    Ok(Returned {
        reader: reader
            .rows
            .into_iter()
            .find(|r| !r.is_blank())
            .map(|r| r[ReaderColumn::Reader].clone()),
        headings,
        rows: headed.rows,
        faults,
    })
}

// Check.

/// One child's ratings as read: its case reference (with its cell) and a
/// rating for each measure, in the order of `[[measures]]`.
pub struct Read {
    pub case_ref: Cell,
    pub ratings: Vec<(String, String)>,
}

/// One workbook checked: its reader and the children they read.
pub struct Checked {
    pub reader: String,
    pub read: Vec<Read>,
}

/// The workbook checked against the sample, the allocation and the scale:
/// every problem by sheet and cell.
pub fn check(ws: &Workspace, file: &str, returned: &Returned) -> Result<Checked> {
    let mut found = Located::new(file, &returned.faults);
    let measures: Vec<&str> = measures(ws);
    let allocation = allocation(ws);
    let reader = returned.reader.as_ref().map(|c| c.value.clone()).unwrap_or_default();
    let mine = reader_of(&mut found, &allocation, returned.reader.as_ref());
    let given = crate::formats::xlsx::headings::<Given>();
    let heads: Vec<&str> = returned.headings.iter().map(|c| c.value.as_str()).collect();
    let expected: Vec<&str> = given.iter().copied().chain(measures.iter().copied()).collect();
    if heads != expected {
        found.whole(
            format!("the first row of the sheet {SHEET} should name the columns {}", expected.join(", ")),
            "the measures are those of findings/findings.toml: make the workbooks again with `scrutiny build` if they changed",
        );
        return found.finish(
            RETURNED,
            Checked {
                reader,
                read: Vec::new(),
            },
        );
    }
    let sampled = sample_order(ws);
    let first = given.len();
    let mut read = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for row in &returned.rows {
        let ratings = &row[first..];
        if ratings.iter().all(|c| c.value.is_empty()) {
            continue;
        }
        let case = &row[Given::CaseRef.index()];
        if !sampled.contains_key(case.value.as_str()) {
            found.at(
                case,
                format!("`{}` is not a child of the sample", crate::base::text::cut(&case.value)),
                "rate only the children listed in the workbook as it was sent",
            );
            continue;
        }
        if let Some(a) = mine.filter(|a| !a.children.iter().any(|c| c.case_ref == case.value)) {
            found.at(
                case,
                format!("{} is not allocated to {}", case.value, a.reader),
                "rate only the children listed in your own workbook",
            );
            continue;
        }
        if let Some(before) = seen.insert(case.value.clone(), case.place.clone()) {
            found.at(
                case,
                format!("{} is rated twice (first at {before})", case.value),
                "keep one row per child",
            );
            continue;
        }
        let out = rate_row(&mut found, case, &measures, ratings);
        read.push(Read {
            case_ref: case.clone(),
            ratings: out,
        });
    }
    found.finish(RETURNED, Checked { reader, read })
}

/// The reader's share of the sample, when the workbook names one of the readers.
fn reader_of<'a, 'b>(
    found: &mut Located,
    allocation: &'b [Allocated<'a>],
    reader: Option<&Cell>,
) -> Option<&'b Allocated<'a>> {
    let name = reader.map_or("", |c| c.value.trim());
    let mine = allocation.iter().find(|a| a.reader.eq_ignore_ascii_case(name));
    match (reader, mine) {
        (_, Some(_)) => {}
        (Some(cell), None) => found.at(
            cell,
            format!(
                "`{}` is not one of the team who read records",
                crate::base::text::cut(&cell.value)
            ),
            "keep the reader's name as the workbook was sent; each reader has a workbook of their own",
        ),
        (None, None) => found.whole(
            format!("the sheet {READER_SHEET} names no reader"),
            "import the workbook as `scrutiny build` made it, with the reader's name in it",
        ),
    }
    mine
}

/// One child's ratings, each on the scale, none left empty beside the others.
fn rate_row(found: &mut Located, case: &Cell, measures: &[&str], ratings: &[Cell]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (m, cell) in measures.iter().zip(ratings) {
        let value = cell.value.to_lowercase();
        if value.is_empty() {
            found.at(
                cell,
                format!("no rating of `{m}` for {}, whose other measures are rated", case.value),
                "choose a rating from 1 to 6, or n/a where the record does not bear on it",
            );
        } else if !RATINGS.contains(&value.as_str()) {
            found.at(
                cell,
                format!("`{}` is not a rating", crate::base::text::cut(&cell.value)),
                "choose 1 to 6 on the six-point scale (6 excellent ... 1 unsatisfactory), or n/a",
            );
        } else {
            out.push((m.to_string(), value));
        }
    }
    out
}

/// The `[[measures]]` keys of findings.toml, in order.
fn measures(ws: &Workspace) -> Vec<&str> {
    ws.report
        .as_ref()
        .map(|r| r.findings.measures.iter().map(|m| m.key.as_str()).collect())
        .unwrap_or_default()
}

// Write.

/// The import of returned workbooks into `findings/records-reading.csv`.
pub struct Import<'a> {
    pub ws: &'a Workspace,
}

/// What the import did.
pub struct Imported {
    pub path: PathBuf,
    pub workbooks: usize,
    pub children: usize,
    /// Children of the sample read, in the file as written.
    pub read: usize,
    pub sampled: usize,
}

impl RoundTrip for Import<'_> {
    const RETURNED: &'static str = RETURNED;
    const READING: Reading = Reading {
        what: "the records reading",
        help: "import the workbooks out/sample/reading/<reader>.xlsx made by `scrutiny build`, filled in and saved",
        unreadable: "a reader's workbook is well under 1 MiB: check that this is the file the reader returned",
    };
    const FORM: Option<fn(&super::Fields) -> Returned> = None;

    type Returned = Returned;
    type Checked = Vec<Checked>;
    type Done = Imported;

    fn from_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
        from_workbook(bytes)
    }

    fn ready(&mut self, _replace: bool) -> Result<()> {
        if measures(self.ws).is_empty() {
            return Err(Error::new(
                ErrorKind::Refused,
                "findings/findings.toml has no [[measures]], so there is nothing to rate: add the measures, then \
                 `scrutiny build` makes the readers' workbooks",
            ));
        }
        Ok(())
    }

    fn check(&self, file: &str, returned: &Returned) -> Result<Vec<Checked>> {
        check(self.ws, file, returned).map(|c| vec![c])
    }

    /// The ratings merged into `findings/records-reading.csv`: a child
    /// already there is replaced only with `replace`.
    fn write(&self, checked: Vec<Checked>, replace: bool) -> Result<Writes<Imported>> {
        let mut rows: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for r in self.ws.report.iter().flat_map(|r| &r.readings) {
            rows.entry(r.case_ref.clone())
                .or_default()
                .push((r.measure.clone(), r.rating.clone()));
        }
        let mut problems = Vec::new();
        let mut children = 0;
        for c in &checked {
            for read in &c.read {
                if rows.contains_key(&read.case_ref.value) && !replace {
                    problems.push(
                        Problem::new(
                            CSV,
                            format!("{} is already rated ({})", read.case_ref.value, read.case_ref.place),
                        )
                        .help("add --replace to replace that child's ratings with the workbook's"),
                    );
                }
                rows.insert(read.case_ref.value.clone(), read.ratings.clone());
                children += 1;
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid_in(RETURNED, problems));
        }
        let path = self.ws.root.join(CSV);
        Ok(Writes {
            files: vec![(path.clone(), to_csv(self.ws, &rows))],
            done: Imported {
                path,
                workbooks: checked.len(),
                children,
                read: rows.len(),
                sampled: self.ws.sample.children.len(),
            },
        })
    }
}

/// Each sampled child's place in the sample, by case reference.
fn sample_order(ws: &Workspace) -> HashMap<&str, usize> {
    ws.sample
        .children
        .iter()
        .enumerate()
        .map(|(i, c)| (c.case_ref.as_str(), i))
        .collect()
}

/// The ratings as `records-reading.csv`, children in the sample's order
/// (any other after them), measures as rated.
fn to_csv(ws: &Workspace, rows: &BTreeMap<String, Vec<(String, String)>>) -> Vec<u8> {
    let order = sample_order(ws);
    let mut children: Vec<&String> = rows.keys().collect();
    children.sort_by_key(|c| (order.get(c.as_str()).copied().unwrap_or(usize::MAX), c.to_string()));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["case_ref", "measure", "rating"]).expect("in memory");
    for c in children {
        for (m, r) in &rows[c] {
            w.write_record([c.as_str(), m, r]).expect("in memory");
        }
    }
    w.into_inner().expect("in memory")
}

/// Imports every returned workbook in `files` at once: each read and
/// checked, then across them (a child read in two), then the merged file
/// written; nothing unless all is well.
pub fn import(ws: &Workspace, files: &[&Path], replace: bool) -> Result<Imported> {
    let mut trip = Import { ws };
    trip.ready(replace)?;
    let mut problems = Vec::new();
    let mut checked: Vec<Checked> = Vec::new();
    for file in files {
        let name = file.display().to_string();
        match super::read::<Import>(file) {
            Err((message, help)) => problems.push(Problem::new(&name, message).help(help)),
            Ok(returned) => match check(ws, &name, &returned) {
                Ok(c) => checked.push(c),
                Err(e) => problems.extend(e.problems().iter().cloned()),
            },
        }
    }
    let mut first: HashMap<&str, (&str, &str)> = HashMap::new();
    for (c, file) in checked.iter().zip(files) {
        for read in &c.read {
            let at = (read.case_ref.place.as_str(), c.reader.as_str());
            if let Some((place, reader)) = first.insert(read.case_ref.value.as_str(), at) {
                problems.push(
                    Problem::new(
                        file.display().to_string(),
                        format!(
                            "{} is read in two workbooks: {reader}'s ({place}) and {}'s",
                            read.case_ref.value, c.reader
                        ),
                    )
                    .place(read.case_ref.place.clone())
                    .help("keep the child's ratings in one workbook only"),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid_in(RETURNED, problems));
    }
    let Writes { files, done } = trip.write(checked, replace)?;
    crate::base::files::write_all_replacing(&files)?;
    Ok(done)
}
