//! The population list's round trip: the workbook for the operational
//! managers (`out/briefing/population-list.xlsx`: a Children sheet with
//! drop-downs, a Holders sheet and an About sheet), and
//! `scrutiny population import`, which reads it back into `population.csv`
//! and new rows of `contacts.csv`. A workbook alone: there is no form.
//!
//! In the order of every round trip (see [`crate::returns`]): the columns of
//! the two sheets, [`ChildColumn`] and [`HolderColumn`] (each a column of
//! `population.csv` or `contacts.csv`); out: [`workbook`]; read:
//! [`from_workbook`]; check: [`check`], the holders first, since the
//! children name them; write: [`Import`], which writes `population.csv` (only
//! with `--replace` over one) and `contacts.csv` with the new holders after
//! its own rows, once the build's own loader has read both as they will be.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign, FormatBorder, Formula,
    Worksheet, XlsxError,
};

use super::{Cell, Column, Fault, Fields, Located, Reading, RoundTrip, Row, Writes};
use crate::base::error::{did_you_mean, Error, ErrorKind, Problems, Result};
use crate::base::named::Named;
use crate::base::text::{cut, date_words};
use crate::formats::xlsx::{excel_date, read_sheet};
use crate::model::action_plan::parse_date;
use crate::model::folder;
use crate::model::{Agency, Category, Contact, HolderRole};
use crate::workspace::csv_file::CONTACT_COLUMNS;
use crate::workspace::is_valid_id;

// Columns.

/// Where `scrutiny build` puts the workbook, relative to `out/`.
pub const WORKBOOK: &str = "briefing/population-list.xlsx";
/// The workbook's sheets.
pub const CHILDREN: &str = "Children";
pub const HOLDERS: &str = "Holders";
pub const ABOUT: &str = "About";

/// The most children the list may hold: a council area has a few thousand.
pub const MAX_CHILDREN: u32 = 50_000;
/// The most record holders: one per school, surgery and team is a few hundred.
pub const MAX_HOLDERS: u32 = 5_000;

/// A column of the Children sheet, in `population.csv`'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildColumn {
    CaseRef,
    Group,
    Protection,
    LeadProfessional,
    NamedPerson,
    Health,
    Education,
    SocialWork,
    Police,
    Name,
    DateOfBirth,
}

impl Column for ChildColumn {
    const ALL: &'static [ChildColumn] = &[
        ChildColumn::CaseRef,
        ChildColumn::Group,
        ChildColumn::Protection,
        ChildColumn::LeadProfessional,
        ChildColumn::NamedPerson,
        ChildColumn::Health,
        ChildColumn::Education,
        ChildColumn::SocialWork,
        ChildColumn::Police,
        ChildColumn::Name,
        ChildColumn::DateOfBirth,
    ];

    fn heading(self) -> &'static str {
        self.spec().0
    }
}

impl ChildColumn {
    /// Its heading, its column of `population.csv` and its width in characters.
    fn spec(self) -> (&'static str, &'static str, f64) {
        match self {
            ChildColumn::CaseRef => ("Case reference", "case_ref", 16.0),
            ChildColumn::Group => ("Group", "category", 34.0),
            ChildColumn::Protection => ("In need of protection", "protection", 12.0),
            ChildColumn::LeadProfessional => ("Lead Professional", "lead_professional", 16.0),
            ChildColumn::NamedPerson => ("Named Person", "named_person", 16.0),
            ChildColumn::Health => ("Health", "health", 14.0),
            ChildColumn::Education => ("Education", "education", 14.0),
            ChildColumn::SocialWork => ("Social work", "social_work", 14.0),
            ChildColumn::Police => ("Police", "police", 14.0),
            ChildColumn::Name => ("Name (optional)", "name", 24.0),
            ChildColumn::DateOfBirth => ("Date of birth (optional)", "date_of_birth", 14.0),
        }
    }

    fn key(self) -> &'static str {
        self.spec().1
    }

    fn width(self) -> f64 {
        self.spec().2
    }

    /// Whether `population.csv` may leave it out (when no child has it).
    fn optional(self) -> bool {
        matches!(self, ChildColumn::Name | ChildColumn::DateOfBirth)
    }

    /// The column holding the child's record holder in `role`.
    fn holder(role: HolderRole) -> ChildColumn {
        match role {
            HolderRole::LeadProfessional => ChildColumn::LeadProfessional,
            HolderRole::NamedPerson => ChildColumn::NamedPerson,
            HolderRole::Health => ChildColumn::Health,
            HolderRole::Education => ChildColumn::Education,
            HolderRole::SocialWork => ChildColumn::SocialWork,
            HolderRole::Police => ChildColumn::Police,
        }
    }
}

/// A column of the Holders sheet, in `contacts.csv`'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderColumn {
    Reference,
    Name,
    Role,
    Agency,
    Organisation,
    Address,
    Email,
    Greeting,
}

impl Column for HolderColumn {
    const ALL: &'static [HolderColumn] = &[
        HolderColumn::Reference,
        HolderColumn::Name,
        HolderColumn::Role,
        HolderColumn::Agency,
        HolderColumn::Organisation,
        HolderColumn::Address,
        HolderColumn::Email,
        HolderColumn::Greeting,
    ];

    fn heading(self) -> &'static str {
        self.spec().0
    }
}

impl HolderColumn {
    /// Its heading, its column of `contacts.csv` and its width in characters.
    fn spec(self) -> (&'static str, &'static str, f64) {
        match self {
            HolderColumn::Reference => ("Reference", "id", 16.0),
            HolderColumn::Name => ("Name", "name", 24.0),
            HolderColumn::Role => ("Role", "role", 24.0),
            HolderColumn::Agency => ("Agency", "agency", 18.0),
            HolderColumn::Organisation => ("Organisation", "organisation", 28.0),
            HolderColumn::Address => ("Address", "address", 36.0),
            HolderColumn::Email => ("Email", "email", 28.0),
            HolderColumn::Greeting => ("Greeting (optional)", "salutation", 22.0),
        }
    }

    fn key(self) -> &'static str {
        self.spec().1
    }

    fn width(self) -> f64 {
        self.spec().2
    }

    fn from_key(key: &str) -> Option<HolderColumn> {
        HolderColumn::ALL.iter().copied().find(|c| c.key() == key)
    }

    /// Whether every holder needs it (a required column of `contacts.csv`).
    fn required(self) -> bool {
        CONTACT_COLUMNS.0.contains(&self.key())
    }
}

/// A known contact as the Holders sheet shows it: its address one line per line.
fn holder_values(c: &Contact) -> Row<HolderColumn, String> {
    Row::from_fn(|column| match column {
        HolderColumn::Reference => c.id.clone(),
        HolderColumn::Name => c.name.clone(),
        HolderColumn::Role => c.role.clone(),
        HolderColumn::Agency => c.agency.words().to_string(),
        HolderColumn::Organisation => c.organisation.clone(),
        HolderColumn::Address => c.address.join("\n"),
        HolderColumn::Email => c.email.clone().unwrap_or_default(),
        HolderColumn::Greeting => c.salutation.clone(),
    })
}

// Out: the workbook.

/// What the About sheet says, besides the instructions.
pub struct About<'a> {
    pub area: &'a str,
    pub reference: &'a str,
    /// When the list is due (`schedule.population_list_due`).
    pub due: NaiveDate,
    /// The workbook's date (the briefings'), so the same inputs give the same bytes.
    pub made: NaiveDate,
    /// The protective marking the filled list carries.
    pub marking: &'a str,
    /// The Inspection Lead, to whom it goes.
    pub lead: &'a str,
}

/// The formats of the workbook's cells.
struct Formats {
    heading: Format,
    /// Text cells, so that a reference such as 00123 keeps its zeros.
    text: Format,
    date: Format,
}

/// The workbook: an empty Children sheet with drop-downs for the group, for
/// protection and for the holders; the Holders sheet with the holders already
/// known (locked) and room for more; the About sheet.
pub fn workbook(contacts: &[Contact], about: &About) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = crate::formats::xlsx::titled(format!("Population list: {}", about.area), about.made)?;
    let formats = Formats {
        heading: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border_bottom(FormatBorder::Thin),
        text: Format::new().set_num_format("@").set_unlocked(),
        date: Format::new().set_num_format("dd/mm/yyyy").set_unlocked(),
    };
    children_sheet(wb.add_worksheet(), &formats)?;
    holders_sheet(wb.add_worksheet(), contacts, &formats)?;
    about_sheet(wb.add_worksheet(), about, contacts.len())?;
    wb.save_to_buffer()
}

/// The Children sheet, empty, each column's cells formatted and checked.
fn children_sheet(children: &mut Worksheet, formats: &Formats) -> std::result::Result<(), XlsxError> {
    children.set_name(CHILDREN)?;
    header(children, ChildColumn::ALL, |c| c.width(), &formats.heading)?;
    for &column in ChildColumn::ALL {
        let format = if column == ChildColumn::DateOfBirth {
            &formats.date
        } else {
            &formats.text
        };
        children.set_column_format(column.col(), format)?;
    }
    let last = MAX_CHILDREN - 1;
    let groups: Vec<&str> = Category::ALL.iter().map(|c| c.short()).collect();
    let group = DataValidation::new()
        .allow_list_strings(&groups)?
        .set_input_title("Group")?
        .set_input_message("Choose the child's group from the list")?
        .set_error_title("Group")?
        .set_error_message("Choose one of the five groups from the list")?;
    validate(children, ChildColumn::Group, ChildColumn::Group, last, &group)?;
    let protection = DataValidation::new()
        .allow_list_strings(&["Yes", "No"])?
        .set_input_title("In need of protection")?
        .set_input_message("Yes if the child is currently in need of protection, otherwise No")?
        .set_error_title("In need of protection")?
        .set_error_message("Choose Yes or No")?;
    validate(
        children,
        ChildColumn::Protection,
        ChildColumn::Protection,
        last,
        &protection,
    )?;
    let holders = DataValidation::new()
        .allow_list_formula(Formula::new(format!("={HOLDERS}!$A$2:$A${MAX_HOLDERS}")))
        .set_input_title("Record holder")?
        .set_input_message("The holder's reference from the Holders sheet")?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title("Record holder")?
        .set_error_message("This reference is not on the Holders sheet yet: add the holder there too")?;
    let (first_role, last_role) = (
        ChildColumn::holder(HolderRole::LeadProfessional),
        ChildColumn::holder(HolderRole::Police),
    );
    validate(children, first_role, last_role, last, &holders)?;
    let dob = DataValidation::new()
        .allow_date(DataValidationRule::GreaterThan(excel_date(
            NaiveDate::from_ymd_opt(1980, 1, 1).expect("a date"),
        )?))
        .set_error_title("Date of birth")?
        .set_error_message("Write a date, e.g. 31/03/2005")?;
    validate(children, ChildColumn::DateOfBirth, ChildColumn::DateOfBirth, last, &dob)?;
    children.set_freeze_panes(1, 1)?;
    Ok(())
}

/// The Holders sheet: the holders already known, locked, and open rows below.
fn holders_sheet(sheet: &mut Worksheet, contacts: &[Contact], formats: &Formats) -> std::result::Result<(), XlsxError> {
    sheet.set_name(HOLDERS)?;
    header(sheet, HolderColumn::ALL, |c| c.width(), &formats.heading)?;
    for &column in HolderColumn::ALL {
        sheet.set_column_format(column.col(), &formats.text)?;
    }
    let known = Format::new()
        .set_num_format("@")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    for (r, contact) in contacts.iter().enumerate() {
        for (column, value) in holder_values(contact).iter() {
            sheet.write_string_with_format(r as u32 + 1, column.col(), value, &known)?;
        }
    }
    let agencies: Vec<&str> = Agency::ALL.iter().map(|a| a.words()).collect();
    let agency = DataValidation::new()
        .allow_list_strings(&agencies)?
        .set_error_title("Agency")?
        .set_error_message("Choose the agency from the list")?;
    validate(
        sheet,
        HolderColumn::Agency,
        HolderColumn::Agency,
        MAX_HOLDERS - 1,
        &agency,
    )?;
    sheet.set_freeze_panes(1, 1)?;
    // The holders already known are the team's: new ones go below them.
    sheet.protect();
    Ok(())
}

/// A sheet's first row: each column's heading, and its width.
fn header<C: Column>(
    sheet: &mut Worksheet,
    columns: &[C],
    width: impl Fn(C) -> f64,
    format: &Format,
) -> std::result::Result<(), XlsxError> {
    for &column in columns {
        sheet.write_string_with_format(0, column.col(), column.heading(), format)?;
        sheet.set_column_width(column.col(), width(column))?;
    }
    sheet.set_row_height(0, 30)?;
    Ok(())
}

/// Checks the cells from column `first` to column `last_column` below the
/// header, down to row `last`, with `rule`.
fn validate<C: Column>(
    sheet: &mut Worksheet,
    first: C,
    last_column: C,
    last: u32,
    rule: &DataValidation,
) -> std::result::Result<(), XlsxError> {
    sheet.add_data_validation(1, first.col(), last, last_column.col(), rule)?;
    Ok(())
}

/// The About sheet: whose list it is, when it is due, how to fill it in;
/// `known` is the number of holders the Holders sheet starts with.
fn about_sheet(info: &mut Worksheet, about: &About, known: usize) -> std::result::Result<(), XlsxError> {
    info.set_name(ABOUT)?;
    let groups = Category::ALL
        .iter()
        .map(|c| format!("{}: {}.", c.short(), c.description()))
        .collect::<Vec<_>>()
        .join("\n");
    let known = match known {
        0 => "The sheet starts empty.".to_string(),
        1 => "The first row is a holder we already have.".to_string(),
        n => format!(
            "The first {} rows are holders we already have.",
            crate::rules::methodology::house_count(n)
        ),
    };
    let lines: Vec<(&str, String)> = vec![
        (
            "What this is",
            format!(
                "The population list for the joint inspection of services for children in {}: every child in \
                the five groups below, and the people who hold their records.",
                about.area
            ),
        ),
        ("Inspection reference", about.reference.to_string()),
        ("Please return by", date_words(about.due)),
        ("The five groups", format!("{groups}\n{}", Category::TWO_GROUPS)),
        (
            "The Children sheet",
            format!(
                "One row for every child in the five groups, each child once. Case reference: {} Group and In need of protection: choose from the drop-down \
                lists. Lead Professional, Named Person, Health, Education, Social work, Police: the \
                reference (from the {HOLDERS} sheet) of the person or office holding the child's records in \
                that role. Name and date of birth are optional: we use them only in the restricted letters \
                asking for records, never in anything we publish.",
                Category::CASE_REFERENCE
            ),
        ),
        (
            "Who holds the records",
            "For a child in need of protection, give the holders in health, education, social work and the \
            police. For any other child, give the Lead Professional or, where there is none, the Named \
            Person."
                .to_string(),
        ),
        (
            "The Holders sheet",
            format!(
                "One row for each person or office that holds children's records. {known} Add new holders \
                below them: a short reference of your choosing (letters, digits, - and _ only, e.g. \
                hv-north), their name, role, agency, organisation, postal address (one line per line), \
                e-mail address and, if you wish, how our letter should begin (e.g. Dear Mr Paterson).",
            ),
        ),
        (
            "Returning it",
            format!(
                "Once filled in, this workbook holds personal data: mark it {} and send it to {} by the \
                secure route agreed. Save it as an Excel workbook (.xlsx).",
                about.marking, about.lead
            ),
        ),
    ];
    crate::formats::xlsx::write_about(info, &lines)
}

// Read.

/// The two sheets of a returned list: the rows with anything in them.
#[derive(Debug, Default)]
pub struct Returned {
    pub children: Vec<Row<ChildColumn>>,
    pub holders: Vec<Row<HolderColumn>>,
    pub faults: Vec<Fault>,
}

/// Reads a returned list, or says why it cannot be read.
pub fn from_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
    let mut wb = crate::formats::xlsx::open(bytes, "a returned population list")?;
    let no_sheet = |name: &str| {
        format!("the workbook has no sheet named \"{name}\": is it the population-list.xlsx made by scrutiny?")
    };
    let children = read_sheet::<ChildColumn>(&mut wb, CHILDREN, MAX_CHILDREN, "a row is a child", || {
        no_sheet(CHILDREN)
    })?;
    let holders = read_sheet::<HolderColumn>(&mut wb, HOLDERS, MAX_HOLDERS, "a row is a record holder", || {
        no_sheet(HOLDERS)
    })?;
    Ok(Returned {
        children: children.rows.into_iter().filter(|r| !r.is_blank()).collect(),
        holders: holders.rows.into_iter().filter(|r| !r.is_blank()).collect(),
        faults: children.faults.into_iter().chain(holders.faults).collect(),
    })
}

// Check.

/// A returned list, checked: the records of `population.csv` and the new
/// rows of `contacts.csv`, each in its file's column order.
#[derive(Debug, Default)]
pub struct Checked {
    /// One per child, every column; the name and date of birth are written
    /// only when any child has them.
    pub children: Vec<Row<ChildColumn, String>>,
    pub with_names: bool,
    /// One per new holder: every column of `contacts.csv`.
    pub holders: Vec<Row<HolderColumn, String>>,
}

impl Checked {
    /// How many children are in each group, in the methodology's order.
    pub fn counts(&self) -> Vec<(Category, usize)> {
        Category::ALL
            .iter()
            .map(|c| {
                let n = self.children.iter().filter(|r| r[ChildColumn::Group] == c.as_str());
                (*c, n.count())
            })
            .collect()
    }
}

/// Compares words as a person means them: case, spacing and curly
/// apostrophes aside.
fn same_words(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.to_lowercase()
            .replace(['\u{2019}', '\u{2018}'], "'")
            .replace('_', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

fn category_of(s: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| {
        [c.short(), c.as_str(), c.description()]
            .iter()
            .any(|w| same_words(w, s))
    })
}

fn agency_of(s: &str) -> Option<Agency> {
    Agency::ALL.iter().copied().find(|a| {
        [a.words(), a.as_str()].iter().any(|w| same_words(w, s))
            || (*a == Agency::Reporter && same_words(s, "reporter"))
    })
}

fn yes_no(s: &str) -> Option<bool> {
    match s.to_lowercase().as_str() {
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" => Some(false),
        _ => None,
    }
}

/// An address as `contacts.csv` holds it: its lines joined by `; `.
fn address_of(s: &str) -> String {
    s.split(['\n', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

const RETURNED: &str = "the returned population list";

/// Checks a returned list against the holders already in `contacts.csv`,
/// gathering every problem; `today` bounds the dates of birth, and a child
/// under school age on `inspection_date` needs no education holder.
pub fn check(
    file: &str,
    list: &Returned,
    existing: &[Contact],
    today: NaiveDate,
    inspection_date: NaiveDate,
) -> Result<Checked> {
    let mut problems = Located::new(file, &list.faults);
    if list.children.is_empty() {
        problems.whole(
            format!("the sheet \"{CHILDREN}\" lists no children"),
            "fill in a row for every child in the five groups, and save the workbook before importing it",
        );
    }
    // The holders first: the children name them.
    let mut holders = Holders::new(existing);
    for row in &list.holders {
        holders.check(row, &mut problems);
    }
    // Dates of birth typed in one order and read in the other, by row.
    let births: Vec<&str> = list
        .children
        .iter()
        .map(|row| row[ChildColumn::DateOfBirth].value.as_str())
        .collect();
    let doubts: HashMap<usize, crate::formats::xlsx::DateDoubt> =
        crate::formats::xlsx::date_doubts(&births).into_iter().collect();
    let mut children = Children {
        holders: &holders,
        today,
        inspection_date,
        seen: HashMap::new(),
        with_names: false,
    };
    let records: Vec<_> = list
        .children
        .iter()
        .enumerate()
        .map(|(i, row)| children.check(row, doubts.get(&i).copied(), &mut problems))
        .collect();
    let with_names = children.with_names;
    let checked = Checked {
        children: records,
        with_names,
        holders: holders.new_rows,
    };
    problems.finish(RETURNED, checked)
}

/// The record holders a list may name: those already in `contacts.csv`, and
/// the new ones of its Holders sheet as they are checked.
struct Holders<'a> {
    known: HashMap<&'a str, &'a Contact>,
    /// Each new holder's reference and where it was first given.
    new: HashMap<String, String>,
    /// The new holders' rows of `contacts.csv`.
    new_rows: Vec<Row<HolderColumn, String>>,
}

impl<'a> Holders<'a> {
    fn new(existing: &'a [Contact]) -> Self {
        Holders {
            known: existing.iter().map(|c| (c.id.as_str(), c)).collect(),
            new: HashMap::new(),
            new_rows: Vec::new(),
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.known.contains_key(id) || self.new.contains_key(id)
    }

    /// Every reference, for "did you mean".
    fn ids(&self) -> Vec<&str> {
        self.known
            .keys()
            .copied()
            .chain(self.new.keys().map(String::as_str))
            .collect()
    }

    /// One row of the Holders sheet: a holder already known must be as it
    /// is; a new one must be complete, its reference its own.
    fn check(&mut self, row: &Row<HolderColumn>, problems: &mut Located) {
        let id = &row[HolderColumn::Reference];
        if id.value.is_empty() {
            problems.at(
                id,
                "this holder has no reference",
                "give each holder a short reference (letters, digits, - and _), and use it on the Children sheet",
            );
        } else if !is_valid_id(&id.value) {
            problems.at(
                id,
                format!(
                    "the reference `{}` has characters other than letters, digits, `-` and `_`",
                    cut(&id.value)
                ),
                "use only letters, digits, - and _ (it names the letter's file), e.g. hv-north",
            );
        } else if let Some(contact) = self.known.get(id.value.as_str()) {
            known_holder_kept(row, contact, problems);
        } else if let Some(first) = self.new.get(&id.value) {
            problems.at(
                id,
                format!("the reference `{}` is used twice (first at {first})", id.value),
                "give every holder a reference of its own",
            );
        } else {
            self.new.insert(id.value.clone(), id.place.clone());
            self.new_rows.push(new_holder(row, problems));
        }
    }
}

/// A problem at the first cell of a known holder's row that no longer says
/// what the sheet was written with.
fn known_holder_kept(row: &Row<HolderColumn>, contact: &Contact, problems: &mut Located) {
    let shown = holder_values(contact);
    let changed = row
        .iter()
        .skip(1)
        .find(|(column, cell)| !same_holder_value(*column, &cell.value, &shown[*column]));
    if let Some((column, cell)) = changed {
        problems.at(
            cell,
            format!(
                "the holder `{}` is already known, with {} `{}`",
                row[HolderColumn::Reference].value,
                column.heading().to_lowercase(),
                cut(&shown[column])
            ),
            "put the row back as it was and ask the Inspection Lead to correct it; or give the holder a new reference",
        );
    }
}

/// Whether a known holder's cell still says what the sheet was written with
/// (a spreadsheet may have turned its line breaks around).
fn same_holder_value(column: HolderColumn, returned: &str, shown: &str) -> bool {
    match column {
        HolderColumn::Address => address_of(returned) == address_of(shown),
        HolderColumn::Agency => agency_of(returned) == agency_of(shown),
        _ => returned.trim() == shown.trim(),
    }
}

/// A new holder's row of `contacts.csv`, each required column filled and the
/// agency one of the agencies.
fn new_holder(row: &Row<HolderColumn>, problems: &mut Located) -> Row<HolderColumn, String> {
    let id = &row[HolderColumn::Reference].value;
    let mut values = Row::from_fn(|_| String::new());
    for (column, cell) in row.iter() {
        if column.required() && cell.value.is_empty() {
            problems.at(
                cell,
                format!("the holder `{id}` has no {}", column.heading().to_lowercase()),
                "every holder needs a name, role, agency, organisation and address",
            );
        }
        values[column] = match column {
            HolderColumn::Agency if !cell.value.is_empty() => match agency_of(&cell.value) {
                Some(a) => a.as_str().to_string(),
                None => {
                    let words: Vec<&str> = Agency::ALL.iter().map(|a| a.words()).collect();
                    problems.at(
                        cell,
                        format!("`{}` is not an agency", cut(&cell.value)),
                        format!("choose one of: {}", words.join(", ")),
                    );
                    String::new()
                }
            },
            HolderColumn::Address => address_of(&cell.value),
            _ => cell.value.clone(),
        };
    }
    values
}

/// Checks the rows of the Children sheet, one by one.
struct Children<'a> {
    holders: &'a Holders<'a>,
    today: NaiveDate,
    /// The inspection's commencement: school age is judged on it.
    inspection_date: NaiveDate,
    /// Each case reference met, and where it was first met.
    seen: HashMap<String, String>,
    /// Whether any child has a name or a date of birth.
    with_names: bool,
}

impl Children<'_> {
    /// One child's record of `population.csv`, its problems gathered.
    fn check(
        &mut self,
        row: &Row<ChildColumn>,
        doubt: Option<crate::formats::xlsx::DateDoubt>,
        problems: &mut Located,
    ) -> Row<ChildColumn, String> {
        let reference = &row[ChildColumn::CaseRef];
        let who = if reference.value.is_empty() {
            "this child".to_string()
        } else {
            format!("child `{}`", cut(&reference.value))
        };
        self.reference(reference, problems);
        let category = group(&row[ChildColumn::Group], &who, problems);
        let protection = protection(&row[ChildColumn::Protection], &who, problems);
        self.named_holders(row, problems);
        let dob = match doubt {
            Some(doubt) => {
                let cell = &row[ChildColumn::DateOfBirth];
                let (message, help) = doubt.words(&cell.value);
                problems.at(cell, message, help);
                String::new()
            }
            None => date_of_birth(&row[ChildColumn::DateOfBirth], self.today, problems),
        };
        let under_school_age = NaiveDate::parse_from_str(&dob, "%Y-%m-%d")
            .is_ok_and(|born| crate::rules::access::under_school_age(born, self.inspection_date));
        required_holders(row, &who, protection, under_school_age, problems);
        self.with_names |= !row[ChildColumn::Name].value.is_empty() || !dob.is_empty();
        let mut record = row.clone().map(|c| c.value);
        record[ChildColumn::Group] = category.map_or_else(String::new, |c| c.as_str().to_string());
        record[ChildColumn::Protection] =
            protection.map_or_else(String::new, |p| if p { "yes" } else { "no" }.to_string());
        record[ChildColumn::DateOfBirth] = dob;
        record
    }

    /// Each child once, by its case reference.
    fn reference(&mut self, reference: &Cell, problems: &mut Located) {
        if reference.value.is_empty() {
            problems.at(
                reference,
                "the case reference is empty",
                "every child needs the reference it has on your systems",
            );
        } else if let Some(first) = self.seen.get(&reference.value) {
            problems.at(
                reference,
                format!(
                    "the case reference `{}` is used twice (first at {first})",
                    cut(&reference.value)
                ),
                "each child must appear once; merge the two rows",
            );
        } else {
            self.seen.insert(reference.value.clone(), reference.place.clone());
        }
    }

    /// A problem for each holder the child's row names that neither
    /// `contacts.csv` nor the Holders sheet has.
    fn named_holders(&self, row: &Row<ChildColumn>, problems: &mut Located) {
        for role in HolderRole::ALL {
            let cell = &row[ChildColumn::holder(role)];
            if cell.value.is_empty() || self.holders.contains(&cell.value) {
                continue;
            }
            let help = match did_you_mean(&cell.value, self.holders.ids()) {
                Some(k) => format!(
                    "did you mean `{k}`? Otherwise add `{}` to the {HOLDERS} sheet",
                    cell.value
                ),
                None => format!(
                    "add a row for `{}` to the {HOLDERS} sheet, or correct the reference",
                    cut(&cell.value)
                ),
            };
            problems.at(
                cell,
                format!("the holder `{}` is not on the {HOLDERS} sheet", cut(&cell.value)),
                help,
            );
        }
    }
}

/// The child's group, as the drop-down or `population.csv` words it.
fn group(cell: &Cell, who: &str, problems: &mut Located) -> Option<Category> {
    let category = category_of(&cell.value);
    if category.is_none() {
        let message = if cell.value.is_empty() {
            format!("{who} has no group")
        } else {
            format!("`{}` is not one of the five groups", cut(&cell.value))
        };
        let groups: Vec<&str> = Category::ALL.iter().map(|c| c.short()).collect();
        problems.at(cell, message, format!("choose from the list: {}", groups.join("; ")));
    }
    category
}

/// Whether the child is in need of protection: Yes or No.
fn protection(cell: &Cell, who: &str, problems: &mut Located) -> Option<bool> {
    let protection = yes_no(&cell.value);
    if protection.is_none() {
        let message = if cell.value.is_empty() {
            format!("{who} has no answer to \"in need of protection\"")
        } else {
            format!("`{}` is not Yes or No", cut(&cell.value))
        };
        problems.at(
            cell,
            message,
            "choose Yes if the child is currently in need of protection, otherwise No",
        );
    }
    protection
}

/// The holders the inspection will ask for the child's records: the four
/// agencies for a child in need of protection, else the Lead Professional or
/// the Named Person.
fn required_holders(
    row: &Row<ChildColumn>,
    who: &str,
    protection: Option<bool>,
    under_school_age: bool,
    problems: &mut Located,
) {
    match protection {
        Some(true) => {
            for role in HolderRole::PROTECTION {
                let cell = &row[ChildColumn::holder(role)];
                // A child under school age has no school records to ask for.
                let not_at_school = role == HolderRole::Education && under_school_age;
                if cell.value.is_empty() && !not_at_school {
                    problems.at(
                        cell,
                        format!("{who} is in need of protection but has no {} holder", role.words()),
                        "for a child in need of protection we ask health, education, social work and the \
                        police for records: give the holder in each",
                    );
                }
            }
        }
        Some(false) => {
            let (lp, np) = (&row[ChildColumn::LeadProfessional], &row[ChildColumn::NamedPerson]);
            if lp.value.is_empty() && np.value.is_empty() {
                problems.at(
                    lp,
                    format!("{who} has neither a Lead Professional nor a Named Person"),
                    "we ask the Lead Professional for the child's records, or the Named Person where there \
                    is none: give one of them",
                );
            }
        }
        None => {}
    }
}

/// The date of birth as `population.csv` holds it (YYYY-MM-DD), or empty:
/// none given, or a problem.
fn date_of_birth(cell: &Cell, today: NaiveDate, problems: &mut Located) -> String {
    match cell.value.as_str() {
        "" => String::new(),
        v => match parse_date(v) {
            Some(d) if d > today => {
                problems.at(
                    cell,
                    format!("the date of birth {} is after today", date_words(d)),
                    "check the date: is the day and the month swapped?",
                );
                String::new()
            }
            Some(d) => d.to_string(),
            None => {
                problems.at(
                    cell,
                    format!("`{}` is not a date", cut(v)),
                    "write the date as DD/MM/YYYY, e.g. 31/03/2005",
                );
                String::new()
            }
        },
    }
}

// Write.

/// `scrutiny population import`: a returned list written into the folder
/// `dir` as its `population.csv` and new rows of its `contacts.csv`; `today`
/// bounds the dates of birth.
pub struct Import<'a> {
    dir: &'a Path,
    today: NaiveDate,
    /// `contacts.csv` as it is (its text, none when the folder has none yet)
    /// and its contacts, read once the folder is known to be ready.
    contacts: (Option<String>, Vec<Contact>),
    /// The inspection's commencement, when inspection.toml gives it.
    inspection_date: Option<NaiveDate>,
}

impl<'a> Import<'a> {
    pub fn new(dir: &'a Path, today: NaiveDate) -> Self {
        Import {
            dir,
            today,
            contacts: (None, Vec::new()),
            inspection_date: None,
        }
    }
}

/// What an import wrote.
#[derive(Debug)]
pub struct Imported {
    pub population: PathBuf,
    pub counts: Vec<(Category, usize)>,
    pub contacts: PathBuf,
    pub new_holders: usize,
}

impl RoundTrip for Import<'_> {
    const RETURNED: &'static str = RETURNED;
    const READING: Reading = Reading {
        what: "the population list",
        help: "import the population-list.xlsx made by `scrutiny build` (in out/briefing/), filled in and saved",
        unreadable: "check that this is the population list the partnership sent",
    };
    const FORM: Option<fn(&Fields) -> Returned> = None;

    type Returned = Returned;
    type Checked = Checked;
    type Done = Imported;

    fn from_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
        from_workbook(bytes)
    }

    /// Refuses a folder that is not an inspection's; then reads
    /// `contacts.csv`, whose holders the list may name. A `population.csv`
    /// that lists children already is refused without `replace` once the
    /// list has been checked (see [`Import::write`]).
    fn ready(&mut self, _replace: bool) -> Result<()> {
        crate::workspace::check_folder(self.dir)?;
        self.contacts = crate::workspace::read_contacts(self.dir)?;
        self.inspection_date =
            crate::workspace::schedule_of(self.dir).map(|s| s.span(crate::rules::schedule::Step::PhaseTwo).start);
        Ok(())
    }

    fn check(&self, file: &str, list: &Returned) -> Result<Checked> {
        check(
            file,
            list,
            &self.contacts.1,
            self.today,
            self.inspection_date.unwrap_or(self.today),
        )
    }

    /// The new files, made and read by the build's own loader before either
    /// is written: `contacts.csv` (when there are new holders), then
    /// `population.csv`.
    fn write(&self, checked: Checked, replace: bool) -> Result<Writes<Imported>> {
        refuse_children_there(self.dir, replace)?;
        let contacts_text = self.contacts.0.as_deref();
        let population_text = population_csv(&checked)?;
        let contacts_new = (!checked.holders.is_empty())
            .then(|| contacts_with(contacts_text, &checked.holders))
            .transpose()?;
        verify(self.dir, &population_text, contacts_new.as_deref().or(contacts_text))?;
        let (population, contacts) = (self.dir.join(folder::POPULATION), self.dir.join(folder::CONTACTS));
        let mut files = Vec::new();
        if let Some(text) = contacts_new {
            files.push((contacts.clone(), text.into_bytes()));
        }
        files.push((population.clone(), population_text.into_bytes()));
        Ok(Writes {
            files,
            done: Imported {
                population,
                counts: checked.counts(),
                contacts,
                new_holders: checked.holders.len(),
            },
        })
    }
}

/// A `population.csv` that lists children already is replaced only with
/// `--replace`; one holding its first line alone (as `scrutiny new` makes
/// it) is waiting for this list.
fn refuse_children_there(dir: &Path, replace: bool) -> Result<()> {
    let path = dir.join(folder::POPULATION);
    if replace || !path.exists() {
        return Ok(());
    }
    let bytes = crate::base::files::read_regular(&path, crate::base::files::MAX_RETURNED)
        .map_err(|e| Error::new(ErrorKind::Io, format!("could not read {}: {e}", path.display())))?;
    let rows = bytes
        .split(|b| *b == b'\n')
        .skip(1)
        .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .count();
    if rows == 0 {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Refused,
        format!(
            "the list is good, but {} already lists {}; add --replace to replace it with this list \
             (nothing was written)",
            path.display(),
            crate::base::text::count(rows, "row of children", "rows of children")
        ),
    ))
}

/// `population.csv`: the required columns, and the name and date of birth
/// when any child has them.
fn population_csv(checked: &Checked) -> Result<String> {
    let columns: Vec<ChildColumn> = ChildColumn::ALL
        .iter()
        .copied()
        .filter(|c| checked.with_names || !c.optional())
        .collect();
    let header: Vec<&str> = columns.iter().map(|c| c.key()).collect();
    let records = checked.children.iter().map(|r| columns.iter().map(|c| &r[*c]));
    csv_text(&header, records)
}

fn csv_text<R>(header: &[&str], records: impl IntoIterator<Item = R>) -> Result<String>
where
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::new(ErrorKind::Refused, format!("could not write the CSV: {e}"));
    if !header.is_empty() {
        w.write_record(header).map_err(fail)?;
    }
    for r in records {
        w.write_record(r).map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::new(ErrorKind::Refused, e.to_string()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings"))
}

/// `contacts.csv` with the new holders' rows after its own. Its rows are kept
/// as they are; the two optional columns are added when a new holder needs one.
fn contacts_with(existing: Option<&str>, new: &[Row<HolderColumn, String>]) -> Result<String> {
    let Some(text) = existing else {
        let header: Vec<&str> = HolderColumn::ALL.iter().map(|c| c.key()).collect();
        return csv_text(&header, new.iter().map(Row::values));
    };
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let bad = |e: csv::Error| Error::new(ErrorKind::Refused, format!("could not read {}: {e}", folder::CONTACTS));
    let mut header: Vec<String> = rdr
        .headers()
        .map_err(bad)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let needed = |key: &str| {
        let column = HolderColumn::from_key(key).expect("a column");
        new.iter().any(|r| !r[column].is_empty())
    };
    let added: Vec<&str> = CONTACT_COLUMNS
        .1
        .iter()
        .copied()
        .filter(|k| !header.iter().any(|h| h == k) && needed(k))
        .collect();
    // The file's own rows are kept byte for byte: an optional column a new
    // holder needs is added to the first line only (a row may leave off
    // the optional columns at its end).
    let mut out = text.to_string();
    if !added.is_empty() {
        let end = text.find(['\r', '\n']).unwrap_or(text.len());
        out.insert_str(end, &format!(",{}", added.join(",")));
        header.extend(added.iter().map(|s| s.to_string()));
    }
    let rows = csv_text(&[], new.iter().map(|r| row_under(&header, r)))?;
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&rows);
    Ok(out)
}

/// A new holder's values under `header`, the columns of the file it joins;
/// empty under a column that is not a holder's.
fn row_under(header: &[String], r: &Row<HolderColumn, String>) -> Vec<String> {
    header
        .iter()
        .map(|h| HolderColumn::from_key(h).map_or_else(String::new, |c| r[c].clone()))
        .collect()
}

/// Reads the files about to be written as the build will, so that nothing is
/// written that the build would refuse.
fn verify(dir: &Path, population: &str, contacts: Option<&str>) -> Result<()> {
    let scratch = tempfile::Builder::new()
        .prefix(".scrutiny-import-")
        .tempdir_in(dir)
        .map_err(|e| Error::io(dir, "make a scratch folder in", e))?;
    let path = scratch.path().join(folder::POPULATION);
    std::fs::write(&path, population).map_err(|e| Error::io(&path, "write", e))?;
    let mut problems = Problems::default();
    let contacts: Vec<Contact> = contacts
        .map(|t| crate::workspace::csv_file::read_csv(folder::CONTACTS, t, CONTACT_COLUMNS, &mut problems))
        .unwrap_or_default();
    let ids: HashSet<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
    crate::workspace::population::read(&path, Some(&ids), false, &mut problems)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_in(
            "the files the import would write",
            problems.into_vec(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::csv_file::POPULATION_COLUMNS;

    #[test]
    fn the_sheets_columns_are_the_csv_files_columns() {
        let keys: Vec<&str> = ChildColumn::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys, [POPULATION_COLUMNS.0, POPULATION_COLUMNS.1].concat());
        let optional: Vec<&str> = ChildColumn::ALL
            .iter()
            .filter(|c| c.optional())
            .map(|c| c.key())
            .collect();
        assert_eq!(optional, POPULATION_COLUMNS.1);
        let keys: Vec<&str> = HolderColumn::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys, [CONTACT_COLUMNS.0, CONTACT_COLUMNS.1].concat());
        for role in HolderRole::ALL {
            assert_eq!(ChildColumn::holder(role).key(), role.column());
        }
    }

    #[test]
    fn words_read_as_people_write_them() {
        assert_eq!(category_of("looked after AT home"), Some(Category::LookedAfterHome));
        assert_eq!(category_of("cpr"), Some(Category::Cpr));
        assert_eq!(
            category_of("looked_after_accommodated"),
            Some(Category::LookedAfterAccommodated)
        );
        assert_eq!(category_of("Looked after"), None);
        assert_eq!(agency_of("Children\u{2019}s Reporter"), Some(Agency::Reporter));
        assert_eq!(agency_of("social_work"), Some(Agency::SocialWork));
        assert_eq!(agency_of("NHS"), None);
        assert_eq!(yes_no("YES"), Some(true));
        assert_eq!(yes_no("maybe"), None);
    }

    #[test]
    fn new_holders_keep_the_old_file_and_add_columns_only_when_needed() {
        let old = "id,name,role,agency,organisation,address\r\nhv,Ann Lee,Health visitor,health,NHS,1 Road\r\n";
        let row = |email: &str| {
            let values = [
                "edu-1",
                "Bo, Ray",
                "Head",
                "education",
                "School",
                "2 Road; Town",
                email,
                "",
            ];
            Row::from_fn(|c: HolderColumn| values[c.index()].to_string())
        };
        let appended = contacts_with(Some(old), &[row("")]).unwrap();
        assert!(appended.starts_with(old), "{appended}");
        assert!(
            appended.ends_with("edu-1,\"Bo, Ray\",Head,education,School,2 Road; Town\n"),
            "{appended}"
        );
        let widened = contacts_with(Some(old), &[row("b@x.org")]).unwrap();
        assert!(
            widened.starts_with(
                "id,name,role,agency,organisation,address,email\r\nhv,Ann Lee,Health visitor,health,NHS,1 Road\r\n"
            ),
            "{widened}"
        );
        assert!(widened.ends_with(",b@x.org\n"), "{widened}");
    }

    #[test]
    fn a_reference_used_three_times_names_its_first_row_each_time() {
        let cell = |value: &str, row: u32| Cell::new(value, crate::formats::xlsx::cell_name(CHILDREN, row, 0));
        let child = |row: u32| {
            Row::from_fn(|c: ChildColumn| match c {
                ChildColumn::CaseRef => cell("A1", row),
                ChildColumn::Group => cell("cpr", row),
                ChildColumn::Protection => cell("No", row),
                _ => cell("", row),
            })
        };
        let list = Returned {
            children: (1..=3).map(child).collect(),
            ..Default::default()
        };
        let day = NaiveDate::from_ymd_opt(2013, 1, 1).unwrap();
        let e = check("list.xlsx", &list, &[], day, day).unwrap_err();
        let firsts: Vec<&str> = e
            .problems()
            .iter()
            .map(|p| p.message.as_str())
            .filter(|m| m.contains("used twice"))
            .collect();
        assert_eq!(
            firsts,
            ["the case reference `A1` is used twice (first at sheet Children, cell A2)"; 2]
        );
    }

    #[test]
    fn addresses_become_lines() {
        assert_eq!(
            address_of("1 High St\n Glenaird \n\nGL1 1AA"),
            "1 High St; Glenaird; GL1 1AA"
        );
    }
}
