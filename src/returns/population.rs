//! The population list as a workbook for the operational managers
//! (`out/briefing/population-list.xlsx`: a Children sheet with drop-downs, a
//! Holders sheet and an About sheet), and `scrutiny population import`, which
//! reads it back into `population.csv` and new `contacts.csv` rows. Every
//! problem is located by sheet and cell; nothing is written unless all is well.

use crate::model::folder;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign, FormatBorder, Formula,
    Worksheet, XlsxError,
};

use crate::base::error::{did_you_mean, Error, ErrorKind, Problem, Problems, Result};
use crate::base::named::Named;
use crate::base::text::{cut, date_words};
use crate::formats::xlsx::{excel_date, read_table};
use crate::model::action_plan::{parse_date, Cell};
use crate::model::{Agency, Category, Contact, HolderRole};
use crate::workspace::csv_file::{CONTACT_COLUMNS, POPULATION_COLUMNS};
use crate::workspace::is_valid_id;

/// Where `scrutiny build` puts the workbook, relative to `out/`.
pub const OUTPUT: &str = "briefing/population-list.xlsx";
pub const CHILDREN: &str = "Children";
pub const HOLDERS: &str = "Holders";
pub const ABOUT: &str = "About";

/// The most children the list may hold: a council area has a few thousand.
pub const MAX_CHILDREN: u32 = 50_000;
/// The most record holders: one per school, surgery and team is a few hundred.
pub const MAX_HOLDERS: u32 = 5_000;

/// A column of a sheet: its heading, the CSV column it becomes, its width.
struct Col {
    heading: &'static str,
    key: &'static str,
    width: f64,
}

const fn col(heading: &'static str, key: &'static str, width: f64) -> Col {
    Col { heading, key, width }
}

/// The Children sheet, in `population.csv`'s order.
const CHILD_COLUMNS: [Col; 11] = [
    col("Case reference", "case_ref", 16.0),
    col("Group", "category", 34.0),
    col("In need of protection", "protection", 12.0),
    col("Lead Professional", "lead_professional", 16.0),
    col("Named Person", "named_person", 16.0),
    col("Health", "health", 14.0),
    col("Education", "education", 14.0),
    col("Social work", "social_work", 14.0),
    col("Police", "police", 14.0),
    col("Name (optional)", "name", 24.0),
    col("Date of birth (optional)", "date_of_birth", 14.0),
];

/// The Holders sheet, in `contacts.csv`'s order.
const HOLDER_COLUMNS: [Col; 8] = [
    col("Reference", "id", 16.0),
    col("Name", "name", 24.0),
    col("Role", "role", 24.0),
    col("Agency", "agency", 18.0),
    col("Organisation", "organisation", 28.0),
    col("Address", "address", 36.0),
    col("Email", "email", 28.0),
    col("Greeting (optional)", "salutation", 22.0),
];

/// The column of the Children sheet holding a holder role.
fn role_column(role: HolderRole) -> usize {
    CHILD_COLUMNS
        .iter()
        .position(|c| c.key == role.column())
        .expect("every role has a column")
}

fn headings(cols: &[Col]) -> Vec<&'static str> {
    cols.iter().map(|c| c.heading).collect()
}

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

/// The workbook: an empty Children sheet with drop-downs for the group, for
/// protection and for the holders; the Holders sheet with the holders already
/// known (locked) and room for more; the About sheet.
pub fn write(contacts: &[Contact], about: &About) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = crate::formats::xlsx::titled(format!("Population list: {}", about.area), about.made)?;
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border_bottom(FormatBorder::Thin);
    // Text cells, so that a reference such as 00123 keeps its zeros.
    let text = Format::new().set_num_format("@").set_unlocked();
    let date = Format::new().set_num_format("dd/mm/yyyy").set_unlocked();

    let children = wb.add_worksheet();
    children.set_name(CHILDREN)?;
    header(children, &CHILD_COLUMNS, &heading)?;
    for (c, column) in CHILD_COLUMNS.iter().enumerate() {
        let format = if column.key == "date_of_birth" { &date } else { &text };
        children.set_column_format(c as u16, format)?;
    }
    let last = MAX_CHILDREN - 1;
    let groups: Vec<&str> = Category::ALL.iter().map(|c| c.short()).collect();
    let group = DataValidation::new()
        .allow_list_strings(&groups)?
        .set_input_title("Group")?
        .set_input_message("Choose the child's group from the list")?
        .set_error_title("Group")?
        .set_error_message("Choose one of the five groups from the list")?;
    children.add_data_validation(1, 1, last, 1, &group)?;
    let protection = DataValidation::new()
        .allow_list_strings(&["Yes", "No"])?
        .set_input_title("In need of protection")?
        .set_input_message("Yes if the child is currently in need of protection, otherwise No")?
        .set_error_title("In need of protection")?
        .set_error_message("Choose Yes or No")?;
    children.add_data_validation(1, 2, last, 2, &protection)?;
    let holders = DataValidation::new()
        .allow_list_formula(Formula::new(format!("={HOLDERS}!$A$2:$A${MAX_HOLDERS}")))
        .set_input_title("Record holder")?
        .set_input_message("The holder's reference from the Holders sheet")?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title("Record holder")?
        .set_error_message("This reference is not on the Holders sheet yet: add the holder there too")?;
    let (first_role, last_role) = (
        role_column(HolderRole::LeadProfessional),
        role_column(HolderRole::Police),
    );
    children.add_data_validation(1, first_role as u16, last, last_role as u16, &holders)?;
    let dob = DataValidation::new()
        .allow_date(DataValidationRule::GreaterThan(excel_date(
            NaiveDate::from_ymd_opt(1980, 1, 1).expect("a date"),
        )?))
        .set_error_title("Date of birth")?
        .set_error_message("Write a date, e.g. 31/03/2005")?;
    let dob_column = (CHILD_COLUMNS.len() - 1) as u16;
    children.add_data_validation(1, dob_column, last, dob_column, &dob)?;
    children.set_freeze_panes(1, 1)?;

    let sheet = wb.add_worksheet();
    sheet.set_name(HOLDERS)?;
    header(sheet, &HOLDER_COLUMNS, &heading)?;
    for c in 0..HOLDER_COLUMNS.len() {
        sheet.set_column_format(c as u16, &text)?;
    }
    let known = Format::new()
        .set_num_format("@")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    for (r, contact) in contacts.iter().enumerate() {
        for (c, value) in holder_values(contact).iter().enumerate() {
            sheet.write_string_with_format(r as u32 + 1, c as u16, value, &known)?;
        }
    }
    let agencies: Vec<&str> = Agency::ALL.iter().map(|a| a.words()).collect();
    let agency = DataValidation::new()
        .allow_list_strings(&agencies)?
        .set_error_title("Agency")?
        .set_error_message("Choose the agency from the list")?;
    sheet.add_data_validation(1, 3, MAX_HOLDERS - 1, 3, &agency)?;
    sheet.set_freeze_panes(1, 1)?;
    // The holders already known are the team's: new ones go below them.
    sheet.protect();

    about_sheet(wb.add_worksheet(), about, contacts.len())?;
    wb.save_to_buffer()
}

fn header(sheet: &mut Worksheet, cols: &[Col], format: &Format) -> std::result::Result<(), XlsxError> {
    for (c, column) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, column.heading, format)?;
        sheet.set_column_width(c as u16, column.width)?;
    }
    sheet.set_row_height(0, 30)?;
    Ok(())
}

/// A contact as the Holders sheet shows it: its address one line per line.
fn holder_values(c: &Contact) -> [String; 8] {
    [
        c.id.clone(),
        c.name.clone(),
        c.role.clone(),
        c.agency.words().to_string(),
        c.organisation.clone(),
        c.address.join("\n"),
        c.email.clone().unwrap_or_default(),
        c.salutation.clone(),
    ]
}

/// The About sheet: whose list it is, when it is due, how to fill it in.
fn about_sheet(info: &mut Worksheet, about: &About, known: usize) -> std::result::Result<(), XlsxError> {
    info.set_name(ABOUT)?;
    let groups = Category::ALL
        .iter()
        .map(|c| format!("{}: {}.", c.short(), c.description()))
        .collect::<Vec<_>>()
        .join("\n");
    let lines: Vec<(&str, String)> = vec![
        ("What this is", format!("The population list for the joint inspection of services for children in {}: every child in the five groups below, and the people who hold their records.", about.area)),
        ("Inspection reference", about.reference.to_string()),
        ("Please return by", date_words(about.due)),
        ("The five groups", groups),
        ("The Children sheet", format!(
            "One row for every child in the five groups, each child once. Case reference: the child's reference on your systems. Group and In need of protection: choose from the drop-down lists. Lead Professional, Named Person, Health, Education, Social work, Police: the reference (from the {HOLDERS} sheet) of the person or office holding the child's records in that role. Name and date of birth are optional: we use them only in the restricted letters asking for records, never in anything we publish."
        )),
        ("Who holds the records", "For a child in need of protection, give the holders in health, education, social work and the police. For any other child, give the Lead Professional or, where there is none, the Named Person.".to_string()),
        ("The Holders sheet", format!(
            "One row for each person or office that holds children's records. {} Add new holders below them: a short reference of your choosing (letters, digits, - and _ only, e.g. hv-north), their name, role, agency, organisation, postal address (one line per line), e-mail address and, if you wish, how our letter should begin (e.g. Dear Mr Paterson).",
            match known {
                0 => "The sheet starts empty.".to_string(),
                1 => "The first row is a holder we already have.".to_string(),
                n => format!("The first {} rows are holders we already have.", crate::rules::methodology::number_words(n)),
            }
        )),
        ("Returning it", format!(
            "Once filled in, this workbook holds personal data: mark it {} and send it to {} by the secure route agreed. Save it as an Excel workbook (.xlsx).",
            about.marking, about.lead
        )),
    ];
    crate::formats::xlsx::write_about(info, &lines)
}

/// The two sheets of a returned list: the rows with anything in them.
#[derive(Debug, Default)]
pub struct Returned {
    pub children: Vec<Vec<Cell>>,
    pub holders: Vec<Vec<Cell>>,
    pub faults: Vec<crate::model::action_plan::Fault>,
}

/// Reads a returned list, or says why it cannot be read.
pub fn read(bytes: &[u8]) -> std::result::Result<Returned, String> {
    let mut wb = crate::formats::xlsx::open(bytes, "a returned population list")?;
    let no_sheet = |name: &str| {
        format!("the workbook has no sheet named \"{name}\": is it the population-list.xlsx made by scrutiny?")
    };
    let children = read_table(
        &mut wb,
        CHILDREN,
        &headings(&CHILD_COLUMNS),
        MAX_CHILDREN,
        "a row is a child",
        || no_sheet(CHILDREN),
    )?;
    let holders = read_table(
        &mut wb,
        HOLDERS,
        &headings(&HOLDER_COLUMNS),
        MAX_HOLDERS,
        "a row is a record holder",
        || no_sheet(HOLDERS),
    )?;
    let filled = |rows: Vec<(u32, Vec<Cell>)>| {
        rows.into_iter()
            .map(|(_, cells)| cells)
            .filter(|cells| cells.iter().any(|c| !c.value.is_empty()))
            .collect()
    };
    Ok(Returned {
        children: filled(children.rows),
        holders: filled(holders.rows),
        faults: children.faults.into_iter().chain(holders.faults).collect(),
    })
}

/// A returned list, checked: the records of `population.csv` and the new
/// rows of `contacts.csv`, each in its file's column order.
#[derive(Debug, Default)]
pub struct Checked {
    /// One per child: the required columns, then name and date of birth when any child has them.
    pub children: Vec<Vec<String>>,
    pub with_names: bool,
    /// One per new holder: every column of `contacts.csv`.
    pub holders: Vec<Vec<String>>,
}

impl Checked {
    /// How many children are in each group, in the methodology's order.
    pub fn counts(&self) -> Vec<(Category, usize)> {
        Category::ALL
            .iter()
            .map(|c| (*c, self.children.iter().filter(|r| r[1] == c.as_str()).count()))
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

/// Checks a returned list against the holders already in `contacts.csv`,
/// gathering every problem; `today` bounds the dates of birth.
pub fn check(file: &str, list: &Returned, existing: &[Contact], today: NaiveDate) -> Result<Checked> {
    let mut problems = Problems::default();
    let at = |problems: &mut Problems, cell: &Cell, message: String, help: String| {
        problems.push(Problem::new(file, message).place(cell.place.clone()).help(help));
    };
    for f in &list.faults {
        problems.push(Problem::new(file, &f.message).place(f.place.clone()).help(f.help));
    }
    if list.children.is_empty() {
        problems.push(
            Problem::new(file, format!("the sheet \"{CHILDREN}\" lists no children"))
                .help("fill in a row for every child in the five groups, and save the workbook before importing it"),
        );
    }

    // The holders: those already known must be as they are; new ones complete.
    let known: HashMap<&str, &Contact> = existing.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut new_ids: HashMap<String, String> = HashMap::new();
    let mut holders = Vec::new();
    for row in &list.holders {
        let id = &row[0];
        if id.value.is_empty() {
            at(
                &mut problems,
                id,
                "this holder has no reference".into(),
                "give each holder a short reference (letters, digits, - and _), and use it on the Children sheet"
                    .into(),
            );
            continue;
        }
        if !is_valid_id(&id.value) {
            at(
                &mut problems,
                id,
                format!(
                    "the reference `{}` has characters other than letters, digits, `-` and `_`",
                    cut(&id.value)
                ),
                "use only letters, digits, - and _ (it names the letter's file), e.g. hv-north".into(),
            );
            continue;
        }
        if let Some(contact) = known.get(id.value.as_str()) {
            let shown = holder_values(contact);
            if let Some((c, cell)) = row
                .iter()
                .enumerate()
                .skip(1)
                .find(|(c, cell)| !same_holder_value(*c, &cell.value, &shown[*c]))
            {
                at(&mut problems, cell, format!("the holder `{}` is already known, with {} `{}`", id.value, HOLDER_COLUMNS[c].heading.to_lowercase(), cut(&shown[c])), "put the row back as it was and ask the Inspection Lead to correct it; or give the holder a new reference".into());
            }
            continue;
        }
        if let Some(first) = new_ids.get(&id.value) {
            at(
                &mut problems,
                id,
                format!("the reference `{}` is used twice (first at {first})", id.value),
                "give every holder a reference of its own".into(),
            );
            continue;
        }
        new_ids.insert(id.value.clone(), id.place.clone());
        let mut values = Vec::with_capacity(HOLDER_COLUMNS.len());
        for (c, cell) in row.iter().enumerate() {
            let column = &HOLDER_COLUMNS[c];
            let required = CONTACT_COLUMNS.0.contains(&column.key);
            if required && cell.value.is_empty() {
                at(
                    &mut problems,
                    cell,
                    format!("the holder `{}` has no {}", id.value, column.heading.to_lowercase()),
                    "every holder needs a name, role, agency, organisation and address".into(),
                );
            }
            let value = match column.key {
                "agency" if !cell.value.is_empty() => match agency_of(&cell.value) {
                    Some(a) => a.as_str().to_string(),
                    None => {
                        let words: Vec<&str> = Agency::ALL.iter().map(|a| a.words()).collect();
                        at(
                            &mut problems,
                            cell,
                            format!("`{}` is not an agency", cut(&cell.value)),
                            format!("choose one of: {}", words.join(", ")),
                        );
                        String::new()
                    }
                },
                "address" => address_of(&cell.value),
                _ => cell.value.clone(),
            };
            values.push(value);
        }
        holders.push(values);
    }
    let is_holder = |id: &str| known.contains_key(id) || new_ids.contains_key(id);
    let all_ids: Vec<&str> = known
        .keys()
        .copied()
        .chain(new_ids.keys().map(String::as_str))
        .collect();

    // The children.
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut children = Vec::with_capacity(list.children.len());
    let mut with_names = false;
    for row in &list.children {
        let reference = &row[0];
        let who = if reference.value.is_empty() {
            "this child".to_string()
        } else {
            format!("child `{}`", cut(&reference.value))
        };
        if reference.value.is_empty() {
            at(
                &mut problems,
                reference,
                "the case reference is empty".into(),
                "every child needs the reference it has on your systems".into(),
            );
        } else if let Some(first) = seen.insert(&reference.value, &reference.place) {
            at(
                &mut problems,
                reference,
                format!(
                    "the case reference `{}` is used twice (first at {first})",
                    cut(&reference.value)
                ),
                "each child must appear once; merge the two rows".into(),
            );
        }
        let group = &row[1];
        let category = category_of(&group.value);
        if category.is_none() {
            let message = if group.value.is_empty() {
                format!("{who} has no group")
            } else {
                format!("`{}` is not one of the five groups", cut(&group.value))
            };
            let groups: Vec<&str> = Category::ALL.iter().map(|c| c.short()).collect();
            at(
                &mut problems,
                group,
                message,
                format!("choose from the list: {}", groups.join("; ")),
            );
        }
        let protection_cell = &row[2];
        let protection = yes_no(&protection_cell.value);
        if protection.is_none() {
            let message = if protection_cell.value.is_empty() {
                format!("{who} has no answer to \"in need of protection\"")
            } else {
                format!("`{}` is not Yes or No", cut(&protection_cell.value))
            };
            at(
                &mut problems,
                protection_cell,
                message,
                "choose Yes if the child is currently in need of protection, otherwise No".into(),
            );
        }
        for role in HolderRole::ALL {
            let cell = &row[role_column(role)];
            if cell.value.is_empty() || is_holder(&cell.value) {
                continue;
            }
            let help = match did_you_mean(&cell.value, all_ids.iter().copied()) {
                Some(k) => format!(
                    "did you mean `{k}`? Otherwise add `{}` to the {HOLDERS} sheet",
                    cell.value
                ),
                None => format!(
                    "add a row for `{}` to the {HOLDERS} sheet, or correct the reference",
                    cut(&cell.value)
                ),
            };
            at(
                &mut problems,
                cell,
                format!("the holder `{}` is not on the {HOLDERS} sheet", cut(&cell.value)),
                help,
            );
        }
        // The records the inspection will ask for need their holders.
        match protection {
            Some(true) => {
                for role in HolderRole::PROTECTION {
                    let cell = &row[role_column(role)];
                    if cell.value.is_empty() {
                        at(&mut problems, cell, format!("{who} is in need of protection but has no {} holder", role.words()), "for a child in need of protection we ask health, education, social work and the police for records: give the holder in each".into());
                    }
                }
            }
            Some(false) => {
                let (lp, np) = (
                    &row[role_column(HolderRole::LeadProfessional)],
                    &row[role_column(HolderRole::NamedPerson)],
                );
                if lp.value.is_empty() && np.value.is_empty() {
                    at(&mut problems, lp, format!("{who} has neither a Lead Professional nor a Named Person"), "we ask the Lead Professional for the child's records, or the Named Person where there is none: give one of them".into());
                }
            }
            None => {}
        }
        let dob_cell = &row[10];
        let dob = match dob_cell.value.as_str() {
            "" => String::new(),
            v => match parse_date(v) {
                Some(d) if d > today => {
                    at(
                        &mut problems,
                        dob_cell,
                        format!("the date of birth {} is after today", date_words(d)),
                        "check the date: is the day and the month swapped?".into(),
                    );
                    String::new()
                }
                Some(d) => d.to_string(),
                None => {
                    at(
                        &mut problems,
                        dob_cell,
                        format!("`{}` is not a date", cut(v)),
                        "write the date as DD/MM/YYYY, e.g. 31/03/2005".into(),
                    );
                    String::new()
                }
            },
        };
        with_names |= !row[9].value.is_empty() || !dob.is_empty();
        let mut record: Vec<String> = row[..9].iter().map(|c| c.value.clone()).collect();
        record[1] = category.map_or_else(String::new, |c| c.as_str().to_string());
        record[2] = protection.map_or_else(String::new, |p| if p { "yes" } else { "no" }.to_string());
        record.push(row[9].value.clone());
        record.push(dob);
        children.push(record);
    }
    if !problems.is_empty() {
        return Err(Error::invalid_in("the returned population list", problems.into_vec()));
    }
    if !with_names {
        for r in &mut children {
            r.truncate(POPULATION_COLUMNS.0.len());
        }
    }
    Ok(Checked {
        children,
        with_names,
        holders,
    })
}

/// An address as `contacts.csv` holds it: its lines joined by `; `.
fn address_of(s: &str) -> String {
    s.split(['\n', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether a known holder's cell still says what the sheet was written with
/// (a spreadsheet may have turned its line breaks around).
fn same_holder_value(column: usize, returned: &str, shown: &str) -> bool {
    match HOLDER_COLUMNS[column].key {
        "address" => address_of(returned) == address_of(shown),
        "agency" => agency_of(returned) == agency_of(shown),
        _ => returned.trim() == shown.trim(),
    }
}

/// What `import` wrote.
#[derive(Debug)]
pub struct Imported {
    pub population: PathBuf,
    pub counts: Vec<(Category, usize)>,
    pub contacts: PathBuf,
    pub new_holders: usize,
}

/// Reads the returned list `file` into `dir`'s `population.csv` (refused when
/// there is one already, unless `replace`) and appends its new holders to
/// `contacts.csv`, or refuses with every problem.
pub fn import(dir: &Path, file: &Path, replace: bool, today: NaiveDate) -> Result<Imported> {
    crate::workspace::check_folder(dir)?;
    let population = dir.join(folder::POPULATION);
    if population.exists() && !replace {
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "{} already exists; add --replace to overwrite it with this list",
                population.display()
            ),
        ));
    }
    let contacts_path = dir.join(folder::CONTACTS);
    let (contacts_text, existing) = crate::workspace::read_contacts(dir)?;
    let name = file.display().to_string();
    let list = returned(file).map_err(|(message, help)| {
        Error::invalid_in(
            "the returned population list",
            vec![Problem::new(&name, message).help(help)],
        )
    })?;
    let checked = check(&name, &list, &existing, today)?;

    // The new files are made beside the old and checked by the loader itself
    // before either replaces anything.
    let population_text = csv_text(&population_header(checked.with_names), &checked.children)?;
    let contacts_new = (!checked.holders.is_empty())
        .then(|| contacts_with(contacts_text.as_deref(), &checked.holders))
        .transpose()?;
    verify(
        dir,
        &population_text,
        contacts_new.as_deref().or(contacts_text.as_deref()),
    )?;
    if let Some(text) = &contacts_new {
        crate::workspace::write_replacing(&contacts_path, text)?;
    }
    crate::workspace::write_replacing(&population, &population_text)?;
    Ok(Imported {
        population,
        counts: checked.counts(),
        contacts: contacts_path,
        new_holders: checked.holders.len(),
    })
}

const LIST_HELP: &str =
    "import the population-list.xlsx made by `scrutiny build` (in out/briefing/), filled in and saved";

/// The returned workbook's sheets, or what is wrong with the file and how to put it right.
fn returned(file: &Path) -> std::result::Result<Returned, (String, String)> {
    let bytes = crate::base::files::read_regular(file, crate::base::files::MAX_RETURNED).map_err(|e| {
        (
            e,
            "check that this is the population list the partnership sent".to_string(),
        )
    })?;
    match crate::returns::action_plan::kind_of(&bytes) {
        crate::returns::action_plan::Kind::Workbook => read(&bytes).map_err(|e| (e, LIST_HELP.to_string())),
        crate::returns::action_plan::Kind::OldOffice => Err((
            "this file is an old-style Office file (.xls or .doc), not an .xlsx workbook".into(),
            "open it in the spreadsheet program and save it as an Excel Workbook (.xlsx)".into(),
        )),
        _ => Err(("this file is not an .xlsx workbook".into(), LIST_HELP.to_string())),
    }
}

fn population_header(with_names: bool) -> Vec<&'static str> {
    let (required, optional) = POPULATION_COLUMNS;
    let mut h = required.to_vec();
    if with_names {
        h.extend_from_slice(optional);
    }
    h
}

fn csv_text(header: &[&str], records: &[Vec<String>]) -> Result<String> {
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
fn contacts_with(existing: Option<&str>, new: &[Vec<String>]) -> Result<String> {
    let all: Vec<&str> = HOLDER_COLUMNS.iter().map(|c| c.key).collect();
    let Some(text) = existing else {
        return csv_text(&all, new);
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
        let c = all.iter().position(|k| *k == key).expect("a column");
        new.iter().any(|r| !r[c].is_empty())
    };
    let added: Vec<&str> = CONTACT_COLUMNS
        .1
        .iter()
        .copied()
        .filter(|k| !header.iter().any(|h| h == k) && needed(k))
        .collect();
    let row_of = |header: &[String], r: &Vec<String>| -> Vec<String> {
        header
            .iter()
            .map(|h| {
                all.iter()
                    .position(|k| k == h)
                    .map_or_else(String::new, |c| r[c].clone())
            })
            .collect()
    };
    if added.is_empty() {
        // Appended after the file's own text, which is kept byte for byte.
        let records: Vec<Vec<String>> = new.iter().map(|r| row_of(&header, r)).collect();
        let rows = csv_text(&[], &records)?;
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&rows);
        return Ok(out);
    }
    let old: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.map(|r| r.iter().map(String::from).collect()))
        .collect::<std::result::Result<_, _>>()
        .map_err(bad)?;
    let width = header.len();
    header.extend(added.iter().map(|s| s.to_string()));
    let mut records: Vec<Vec<String>> = old
        .into_iter()
        .map(|mut r| {
            r.resize(width, String::new());
            r.resize(header.len(), String::new());
            r
        })
        .collect();
    records.extend(new.iter().map(|r| row_of(&header, r)));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_text(&header, &records)
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
            vec![
                "edu-1".into(),
                "Bo, Ray".into(),
                "Head".into(),
                "education".into(),
                "School".into(),
                "2 Road; Town".into(),
                email.into(),
                String::new(),
            ]
        };
        let appended = contacts_with(Some(old), &[row("")]).unwrap();
        assert!(appended.starts_with(old), "{appended}");
        assert!(
            appended.ends_with("edu-1,\"Bo, Ray\",Head,education,School,2 Road; Town\n"),
            "{appended}"
        );
        let widened = contacts_with(Some(old), &[row("b@x.org")]).unwrap();
        assert!(
            widened.starts_with("id,name,role,agency,organisation,address,email\n"),
            "{widened}"
        );
        assert!(
            widened.contains("hv,Ann Lee,Health visitor,health,NHS,1 Road,\n"),
            "{widened}"
        );
        assert!(widened.ends_with(",b@x.org\n"), "{widened}");
    }

    #[test]
    fn addresses_become_lines() {
        assert_eq!(
            address_of("1 High St\n Glenaird \n\nGL1 1AA"),
            "1 High St; Glenaird; GL1 1AA"
        );
    }
}
