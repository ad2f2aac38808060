//! What the partnership sends back: the round trips. Each sends a form or a
//! workbook out with a document, and reads the filled copy back into the
//! inspection folder: the action plan ([`action_plan`], into
//! `action-plan.toml`), the comments on the draft report ([`comments`], into
//! `comments.toml`) and the population list ([`population`], into
//! `population.csv` and new rows of `contacts.csv`).
//!
//! # One shape
//!
//! Each round trip is one module here, with the same parts in the same order:
//!
//! 1. **Fields and columns**: the form's fields and each sheet's columns as
//!    enums (a sheet's implement [`Column`]), never as numbers, with the names
//!    of the files it sends out (`FORM`, `WORKBOOK`).
//! 2. **Out**: `form_fields`, the fields the build adds to the form its
//!    document kind typesets, and `workbook`, the workbook's bytes.
//! 3. **Read**: `from_form` and `from_workbook`, the return as read
//!    (`Returned`), each value a [`Cell`] that knows its field or cell.
//! 4. **Check**: `check`, the return as the folder's files will hold it, or
//!    every problem at once, each located by field name or by sheet and cell.
//! 5. **Write**: `Import`, which implements [`RoundTrip`]: what it refuses
//!    before reading the file, and the files a checked return makes.
//!
//! [`import`] drives every `scrutiny ... import` the same way: the round
//! trip's refusals, then [`read`] (the kind of file from its bytes, not its
//! name, within [`MAX_RETURNED`] and the limits of [`xlsx`](crate::formats::xlsx)
//! and [`form`](crate::formats::form)), then its check, then its files written
//! through [`write_all_replacing`](crate::base::files::write_all_replacing):
//! each whole, keeping its permissions, and none unless all is well.
//!
//! # Where the form and workbook sent out are made
//!
//! Here, in the round trip's module, not in the document kind's (`docs/`): the
//! columns and fields the workbook and form are written from are the ones the
//! return is read by, so a column added to the workbook is read back by the
//! same change, and the whole contract of one return reads in one file. The
//! document kind (`docs::action_plan`, `docs::report`, `docs::briefing`)
//! decides when they are made, with which template and dates, and calls
//! `form_fields` and `workbook` here.
//!
//! # Adding a round trip
//!
//! A module here with the five parts and its `impl RoundTrip`; a file in
//! `cmd/` that makes its `Import` and calls [`import`]; its document kind
//! calling its `workbook` (and `form_fields`, for a form).

pub mod action_plan;
pub mod comments;
pub mod population;
pub mod records;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::base::error::{Error, Problem, Problems, Result};
pub use crate::base::files::MAX_RETURNED;
pub use crate::formats::xlsx::{Cell, Column, Fault, Row};

/// A form's fields as read: each value by the field's name.
pub type Fields = BTreeMap<String, String>;

/// One round trip's return: how it is read, checked and written. [`import`]
/// calls its parts in order; see the module's documentation for the shape.
pub trait RoundTrip {
    /// The return in the heading of its problems: "the returned action plan".
    const RETURNED: &'static str;
    /// What the file should be, for the messages that refuse another.
    const READING: Reading;
    /// The form's fields as a return, for a round trip sent out as a form
    /// too; `None` when it is a workbook alone, so that a PDF is refused as
    /// not being one.
    const FORM: Option<fn(&Fields) -> Self::Returned>;

    /// The return as read: every value with its field or cell.
    type Returned;
    /// The return checked: what the folder's files will hold.
    type Checked;
    /// What the import did, for the command to say.
    type Done;

    /// A returned workbook, or why it cannot be read.
    fn from_workbook(bytes: &[u8]) -> std::result::Result<Self::Returned, String>;

    /// Refuses before the file is read: a folder with nothing to answer, or a
    /// file the return would replace without `replace`. May read what the
    /// check needs from the folder.
    fn ready(&mut self, replace: bool) -> Result<()>;

    /// The return checked, or every problem with it; `file` names it in them.
    fn check(&self, file: &str, returned: &Self::Returned) -> Result<Self::Checked>;

    /// The files the checked return makes, refusing to replace what only
    /// `replace` may; nothing is written yet.
    fn write(&self, checked: Self::Checked, replace: bool) -> Result<Writes<Self::Done>>;
}

/// What a round trip's file should be, in the messages that refuse another.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// What it holds, in "a Word document, not the action plan's form":
    /// "the action plan".
    pub what: &'static str,
    /// Which file to import, said under any message about its contents.
    pub help: &'static str,
    /// What to check when the file itself cannot be read (too big, a folder).
    pub unreadable: &'static str,
}

/// The files a checked return makes (each path with its new bytes, written
/// in this order), and what to tell the user once they are written.
pub struct Writes<D> {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub done: D,
}

/// Imports `file` by the round trip `trip`: its refusals, the file read and
/// checked, then its files written, each whole and none unless all is well.
pub fn import<R: RoundTrip>(mut trip: R, file: &Path, replace: bool) -> Result<R::Done> {
    trip.ready(replace)?;
    let name = file.display().to_string();
    let returned = read::<R>(file)
        .map_err(|(message, help)| Error::invalid_in(R::RETURNED, vec![Problem::new(&name, message).help(help)]))?;
    let checked = trip.check(&name, &returned)?;
    let Writes { files, done } = trip.write(checked, replace)?;
    crate::base::files::write_all_replacing(&files)?;
    Ok(done)
}

/// The return in `file`, read by what its bytes are rather than its name, or
/// what is wrong with the file and how to put it right.
pub fn read<R: RoundTrip>(file: &Path) -> std::result::Result<R::Returned, (String, String)> {
    let reading = R::READING;
    let bytes =
        crate::base::files::read_regular(file, MAX_RETURNED).map_err(|e| (e, reading.unreadable.to_string()))?;
    let help = |e: String| (e, reading.help.to_string());
    match (kind_of(&bytes), R::FORM) {
        (Kind::Pdf, Some(from_form)) => crate::formats::form::read_fields(&bytes)
            .map(|v| from_form(&v))
            .map_err(help),
        (Kind::Workbook, _) => R::from_workbook(&bytes).map_err(help),
        (kind, Some(_)) => Err(not_a_form_or_workbook(file, kind, &reading)),
        (kind, None) => Err(not_a_workbook(kind, &reading)),
    }
}

/// What a file is, from its first bytes rather than its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    Workbook,
    Word,
    OtherZip,
    OldOffice,
    Unknown,
}

fn kind_of(bytes: &[u8]) -> Kind {
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

const OLD_OFFICE: &str = "an old-style Office file (.xls or .doc), not an .xlsx workbook";
const SAVE_AS_XLSX: &str = "open it in the spreadsheet program and save it as an Excel Workbook (.xlsx)";

/// Why a file that is neither form nor workbook is refused by a round trip
/// that takes either, naming what it is when its name says otherwise.
fn not_a_form_or_workbook(file: &Path, kind: Kind, reading: &Reading) -> (String, String) {
    let what = reading.what;
    let (is, help) = match kind {
        Kind::Word => (
            format!("a Word document, not {what}'s form or workbook"),
            format!(
                "ask the partnership for {what} in the form (PDF) or the workbook (XLSX) it was sent: a Word \
                document cannot be read"
            ),
        ),
        Kind::OldOffice => (OLD_OFFICE.to_string(), SAVE_AS_XLSX.to_string()),
        Kind::OtherZip => ("a zip archive that is not a workbook".into(), reading.help.into()),
        Kind::Pdf | Kind::Workbook | Kind::Unknown => {
            ("neither a PDF nor an XLSX workbook".into(), reading.help.into())
        }
    };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let message = if ext.is_empty() {
        format!("this file is {is}")
    } else {
        format!("this file is named .{ext} but is {is}")
    };
    (message, help)
}

/// Why a file is refused by a round trip that takes a workbook alone.
fn not_a_workbook(kind: Kind, reading: &Reading) -> (String, String) {
    match kind {
        Kind::OldOffice => (format!("this file is {OLD_OFFICE}"), SAVE_AS_XLSX.to_string()),
        _ => ("this file is not an .xlsx workbook".into(), reading.help.to_string()),
    }
}

/// The problems of one returned file, gathered so that all are reported at
/// once, each at the field or cell it concerns.
pub(crate) struct Located<'a> {
    file: &'a str,
    problems: Problems,
}

impl<'a> Located<'a> {
    /// The problems of `file`, starting with the faults its reading found.
    pub(crate) fn new(file: &'a str, faults: &[Fault]) -> Self {
        let mut problems = Problems::default();
        for f in faults {
            problems.push(Problem::new(file, &f.message).place(f.place.clone()).help(f.help));
        }
        Located { file, problems }
    }

    /// A problem with the value of `cell`, placed at its field or cell.
    pub(crate) fn at(&mut self, cell: &Cell, message: impl Into<String>, help: impl Into<String>) {
        let p = Problem::new(self.file, message).place(cell.place.clone()).help(help);
        self.problems.push(p);
    }

    /// A problem of the return as a whole, with no one place.
    pub(crate) fn whole(&mut self, message: impl Into<String>, help: impl Into<String>) {
        self.problems.push(Problem::new(self.file, message).help(help));
    }

    /// `value` when nothing was found, else every problem under `returned`
    /// ("the returned action plan").
    pub(crate) fn finish<T>(self, returned: &str, value: T) -> Result<T> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(Error::invalid_in(returned, self.problems.into_vec()))
        }
    }
}

/// The name of an imported file as its record keeps it: "action-plan.pdf".
pub(crate) fn source_name(file: &str) -> String {
    Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Today, in UTC: the default date a return was received.
pub fn today() -> NaiveDate {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_bytes() {
        assert_eq!(kind_of(b"junk%PDF-1.7"), Kind::Pdf);
        assert_eq!(
            kind_of(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Kind::OldOffice
        );
        assert_eq!(kind_of(b"PK\x03\x04 not a zip"), Kind::Unknown);
        assert_eq!(kind_of(b"hello"), Kind::Unknown);
    }

    #[test]
    fn a_file_named_otherwise_is_named_as_what_it_is() {
        let reading = Reading {
            what: "the plan",
            help: "import the plan",
            unreadable: "check it",
        };
        let (m, _) = not_a_form_or_workbook(Path::new("plan.PDF"), Kind::OldOffice, &reading);
        assert_eq!(m, format!("this file is named .pdf but is {OLD_OFFICE}"));
        let (m, h) = not_a_form_or_workbook(Path::new("plan"), Kind::Word, &reading);
        assert_eq!(m, "this file is a Word document, not the plan's form or workbook");
        assert!(h.contains("the plan in the form (PDF)"), "{h}");
        assert_eq!(
            not_a_workbook(Kind::Pdf, &reading).0,
            "this file is not an .xlsx workbook"
        );
    }
}
