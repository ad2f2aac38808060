//! The factual-accuracy round trip: the form (`factual-accuracy.pdf`) and the
//! workbook (`factual-accuracy.xlsx`) in which each partner comments on the
//! draft report, and `scrutiny comments import`, which reads either into
//! `comments.toml` under the returning organisation.
//!
//! In the order of every round trip (see [`crate::returns`]): the
//! [`Detail`]s of who returns it and the [`CommentPart`]s of each comment
//! (each a field of the form and a column of the workbook); out:
//! [`form_fields`] and [`workbook`]; read: [`from_form`] and
//! [`from_workbook`]; check: [`check`]; write: [`Import`], which adds to
//! `comments.toml` and replaces an organisation's earlier return only with
//! `--replace`.

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::{Cell, Column, Fault, Fields, Located, Reading, RoundTrip, Row, Writes};
use crate::base::error::{Error, ErrorKind, Result};
use crate::base::named::Named;
use crate::base::text::{cut, date_words};
use crate::formats::form::{FieldKind, FieldSpec};
use crate::formats::xlsx::{cell_name, read_sheet};
use crate::model::comments::{Comment, Comments, Draft, Return};
use crate::workspace::Workspace;

// Fields and columns.

/// Where `scrutiny build` puts the form and the workbook, relative to `out/`.
pub const FORM: &str = "report/factual-accuracy.pdf";
pub const WORKBOOK: &str = "report/factual-accuracy.xlsx";
/// The form's comment boxes, and the workbook's open rows.
pub const MAX_COMMENTS: usize = 30;
/// The workbook's sheets.
pub const SHEET: &str = "Comments";
pub const DETAILS: &str = "Your details";
const ABOUT: &str = "About";

/// Who returns the comments: a field of the form, a column of the details sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Organisation,
    Contact,
}

impl Column for Detail {
    const ALL: &'static [Detail] = &[Detail::Organisation, Detail::Contact];

    fn heading(self) -> &'static str {
        match self {
            Detail::Organisation => "Organisation",
            Detail::Contact => "Contact",
        }
    }
}

impl Detail {
    /// The field's name.
    fn key(self) -> &'static str {
        match self {
            Detail::Organisation => "organisation",
            Detail::Contact => "contact",
        }
    }

    fn tooltip(self) -> &'static str {
        match self {
            Detail::Organisation => "Your organisation",
            Detail::Contact => "Contact for these comments: name, role and email",
        }
    }
}

/// A part of a comment: a field of each comment box (`c<N>_<key>`), a column
/// of the comments sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentPart {
    Document,
    Page,
    Paragraph,
    Comment,
    Change,
}

impl Column for CommentPart {
    const ALL: &'static [CommentPart] = &[
        CommentPart::Document,
        CommentPart::Page,
        CommentPart::Paragraph,
        CommentPart::Comment,
        CommentPart::Change,
    ];

    fn heading(self) -> &'static str {
        self.spec().0
    }
}

impl CommentPart {
    /// Its heading, its field's suffix and its column's width in characters.
    fn spec(self) -> (&'static str, &'static str, f64) {
        match self {
            CommentPart::Document => ("Document", "document", 20.0),
            CommentPart::Page => ("Page", "page", 8.0),
            CommentPart::Paragraph => ("Paragraph", "paragraph", 10.0),
            CommentPart::Comment => ("Comment", "comment", 60.0),
            CommentPart::Change => ("Suggested change", "change", 50.0),
        }
    }

    /// The name of its field in comment box `n`: `c3_page`.
    fn field(self, n: usize) -> String {
        format!("c{n}_{}", self.spec().1)
    }

    fn width(self) -> f64 {
        self.spec().2
    }
}

// Out: the form's fields and the workbook.

/// Every field of the form, in reading order: who returns it, then each
/// comment box's parts.
pub fn form_fields() -> Vec<FieldSpec> {
    let text = |multiline, max_len| FieldKind::Text { multiline, max_len };
    let mut out: Vec<FieldSpec> = Detail::ALL
        .iter()
        .map(|d| FieldSpec {
            name: d.key().into(),
            tooltip: d.tooltip().into(),
            kind: text(false, None),
        })
        .collect();
    for n in 1..=MAX_COMMENTS {
        for &part in CommentPart::ALL {
            let kind = match part {
                CommentPart::Document => FieldKind::Choice(Draft::ALL.iter().map(|d| d.words().to_string()).collect()),
                CommentPart::Page | CommentPart::Paragraph => text(false, Some(12)),
                CommentPart::Comment | CommentPart::Change => text(true, None),
            };
            out.push(FieldSpec {
                name: part.field(n),
                tooltip: format!("Comment {n}: {}", part.heading()),
                kind,
            });
        }
    }
    out
}

/// What the workbook's About sheet says, besides the instructions.
pub struct About<'a> {
    pub area: &'a str,
    pub reference: &'a str,
    pub due: NaiveDate,
    pub made: NaiveDate,
    /// How the comments come back (the draft letter and the form say the same).
    pub route: &'a str,
}

/// The workbook: a details sheet, a comments sheet with a drop-down for the
/// document, and an About sheet.
pub fn workbook(about: &About) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = crate::formats::xlsx::titled(format!("Comments on factual accuracy: {}", about.area), about.made)?;
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    // Text cells: a page number typed as 7 stays the text "7".
    let open = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_num_format("@")
        .set_unlocked();

    let details = wb.add_worksheet();
    details.set_name(DETAILS)?;
    for &d in Detail::ALL {
        details.write_string_with_format(0, d.col(), d.heading(), &heading)?;
        details.write_blank(1, d.col(), &open)?;
        details.set_column_width(d.col(), 50.0)?;
    }
    details.protect();

    comments_sheet(wb.add_worksheet(), &heading, &open)?;
    about_sheet(wb.add_worksheet(), about)?;
    wb.save_to_buffer()
}

/// The comments sheet: four open rows for each comment box of the form,
/// the document chosen from a drop-down.
fn comments_sheet(sheet: &mut Worksheet, heading: &Format, open: &Format) -> std::result::Result<(), XlsxError> {
    sheet.set_name(SHEET)?;
    for &part in CommentPart::ALL {
        sheet.write_string_with_format(0, part.col(), part.heading(), heading)?;
        sheet.set_column_width(part.col(), part.width())?;
    }
    let last = MAX_COMMENTS as u32 * 4;
    for row in 1..=last {
        for &part in CommentPart::ALL {
            sheet.write_blank(row, part.col(), open)?;
        }
    }
    let words: Vec<&str> = Draft::ALL.iter().map(|d| d.words()).collect();
    let choice = DataValidation::new()
        .allow_list_strings(&words)?
        .set_input_title("Document")?
        .set_input_message("Public report or Record of findings")?
        .set_error_title("Document")?
        .set_error_message("Choose Public report or Record of findings")?;
    let document = CommentPart::Document.col();
    sheet.add_data_validation(1, document, last, document, &choice)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.protect();
    Ok(())
}

/// The About sheet: whose draft it is, when comments are due, how to fill it in.
fn about_sheet(info: &mut Worksheet, about: &About) -> std::result::Result<(), XlsxError> {
    info.set_name(ABOUT)?;
    let lines: [(&str, String); 5] = [
        (
            "Inspection",
            format!(
                "Joint inspection of services for children and young people in {}",
                about.area
            ),
        ),
        ("Inspection reference", about.reference.to_string()),
        ("Please return by", date_words(about.due)),
        (
            "How to fill it in",
            format!(
                "On the '{DETAILS}' sheet, write your organisation and a contact. On the '{SHEET}' sheet, \
                one row for each comment: choose the document (Public report or Record of findings), give \
                the page and paragraph, say what is inaccurate, and suggest the change."
            ),
        ),
        (
            "Returning it",
            format!(
                "Save the workbook as .xlsx. {} The team will consider every comment and tell you what it \
                decided.",
                about.route
            ),
        ),
    ];
    crate::formats::xlsx::write_about(info, &lines)
}

// Read.

/// A return as read: its details and one row of cells per comment written.
#[derive(Debug, Default)]
pub struct Returned {
    pub organisation: Cell,
    pub contact: Cell,
    pub rows: Vec<Row<CommentPart>>,
    pub faults: Vec<Fault>,
}

/// The form's fields as a return: the comment boxes with anything in them.
pub fn from_form(values: &Fields) -> Returned {
    let field = |name: &str| Cell::new(values.get(name).cloned().unwrap_or_default(), format!("field {name}"));
    let rows = (1..=MAX_COMMENTS)
        .map(|n| Row::from_fn(|part: CommentPart| field(&part.field(n))))
        .filter(|row| !row.is_blank())
        .collect();
    Returned {
        organisation: field(Detail::Organisation.key()),
        contact: field(Detail::Contact.key()),
        rows,
        faults: Vec::new(),
    }
}

/// A returned workbook: the details sheet's first row and every comment row.
pub fn from_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
    let mut wb = crate::formats::xlsx::open(bytes, "a returned form")?;
    let no_sheet = |name: &'static str| {
        move || format!("the workbook has no sheet named \"{name}\": is it the factual-accuracy.xlsx made by scrutiny?")
    };
    let details = read_sheet::<Detail>(&mut wb, DETAILS, 20, "it has one row", no_sheet(DETAILS))?;
    let comments = read_sheet::<CommentPart>(
        &mut wb,
        SHEET,
        crate::formats::xlsx::MAX_ROWS,
        "a return has one row per comment",
        no_sheet(SHEET),
    )?;
    // read_sheet names every cell of a row it reads; a row never written is named here.
    let first = details
        .rows
        .into_iter()
        .next()
        .unwrap_or_else(|| Row::from_fn(|d: Detail| Cell::new("", cell_name(DETAILS, 1, d.index() as u32))));
    let mut faults = details.faults;
    faults.extend(comments.faults);
    Ok(Returned {
        organisation: first[Detail::Organisation].clone(),
        contact: first[Detail::Contact].clone(),
        rows: comments.rows.into_iter().filter(|row| !row.is_blank()).collect(),
        faults,
    })
}

// Check.

const RETURNED: &str = "the returned comments";

/// The comments of a return, or every problem with them.
pub fn check(file: &str, returned: &Returned, received: NaiveDate) -> Result<Return> {
    let mut problems = Located::new(file, &returned.faults);
    if returned.organisation.value.is_empty() {
        problems.at(
            &returned.organisation,
            "the organisation is not given",
            "write the organisation returning these comments, e.g. Glenaird Council: its comments are kept \
            under that name",
        );
    }
    if returned.rows.is_empty() {
        problems.whole(
            "the return has no comments",
            "write each comment in a box of the form or a row of the workbook; a partner with none need not return it",
        );
    }
    let comments = returned
        .rows
        .iter()
        .filter_map(|row| comment(row, &mut problems))
        .collect();
    let new = Return {
        organisation: returned.organisation.value.clone(),
        contact: returned.contact.value.clone(),
        received,
        source: super::source_name(file),
        comments,
    };
    problems.finish(RETURNED, new)
}

/// One row as a comment, when it names its document; its problems otherwise.
fn comment(row: &Row<CommentPart>, problems: &mut Located) -> Option<Comment> {
    let document = &row[CommentPart::Document];
    let draft = Draft::from_words(&document.value).or_else(|| crate::base::named::parse(&document.value).ok());
    if draft.is_none() {
        let message = if document.value.is_empty() {
            "the comment does not say which document it is on".to_string()
        } else {
            format!("`{}` is not one of the drafts", cut(&document.value))
        };
        problems.at(document, message, "choose Public report or Record of findings");
    }
    let comment = &row[CommentPart::Comment];
    if comment.value.is_empty() {
        problems.at(
            comment,
            "the comment is empty",
            "say what is inaccurate, or clear the other boxes of this comment",
        );
    }
    Some(Comment {
        document: draft?,
        page: row[CommentPart::Page].value.clone(),
        paragraph: row[CommentPart::Paragraph].value.clone(),
        comment: comment.value.clone(),
        change: row[CommentPart::Change].value.clone(),
        decision: None,
        response: String::new(),
    })
}

// Write.

/// `scrutiny comments import`: a partner's return for the inspection `ws`,
/// received on `received`, added to its `comments.toml`.
pub struct Import<'a> {
    pub ws: &'a Workspace,
    pub received: NaiveDate,
}

/// What an import did.
pub struct Imported {
    pub path: PathBuf,
    pub organisation: String,
    pub comments: usize,
    /// Whether it replaced that organisation's earlier return.
    pub replaced: bool,
}

impl RoundTrip for Import<'_> {
    const RETURNED: &'static str = RETURNED;
    const READING: Reading = Reading {
        what: "the comments",
        help: "import the factual-accuracy.pdf or factual-accuracy.xlsx made by `scrutiny build`, filled in and saved",
        unreadable: "a filled form is well under 1 MiB: check that this is the file the partnership sent",
    };
    const FORM: Option<fn(&Fields) -> Returned> = Some(from_form);

    type Returned = Returned;
    type Checked = Return;
    type Done = Imported;

    fn from_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
        from_workbook(bytes)
    }

    fn ready(&mut self, _replace: bool) -> Result<()> {
        if self.ws.report.is_none() {
            return Err(Error::new(
                ErrorKind::Refused,
                "the inspection folder has no findings/, so there is no draft to comment on",
            ));
        }
        Ok(())
    }

    fn check(&self, file: &str, returned: &Returned) -> Result<Return> {
        check(file, returned, self.received)
    }

    /// `comments.toml` with the new return after the others; a second return
    /// from one organisation needs `replace`, and replaces that
    /// organisation's comments only.
    fn write(&self, new: Return, replace: bool) -> Result<Writes<Imported>> {
        let mut all: Comments = self.ws.comments.clone().unwrap_or_default();
        let same = |r: &Return| r.organisation.trim().eq_ignore_ascii_case(new.organisation.trim());
        let existing = all.returns.iter().position(same);
        if let (Some(i), false) = (existing, replace) {
            let r = &all.returns[i];
            return Err(Error::new(
                ErrorKind::Refused,
                format!(
                    "{} has already returned comments ({} imported on {}); add --replace to replace that \
                    organisation's comments with these",
                    r.organisation,
                    r.source,
                    date_words(r.received)
                ),
            ));
        }
        let (organisation, count) = (new.organisation.clone(), new.comments.len());
        match existing {
            Some(i) => all.returns[i] = new,
            None => all.returns.push(new),
        }
        let path = self.ws.root.join(crate::model::folder::COMMENTS);
        Ok(Writes {
            files: vec![(path.clone(), all.to_toml().into_bytes())],
            done: Imported {
                path,
                organisation,
                comments: count,
                replaced: existing.is_some(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2013, 4, 12).unwrap()
    }

    #[test]
    fn the_form_has_two_fields_then_five_for_each_comment() {
        let f = form_fields();
        assert_eq!(f.len(), 2 + 5 * MAX_COMMENTS);
        assert_eq!(f[2].name, "c1_document");
        assert!(matches!(f[2].kind, FieldKind::Choice(ref o) if o == &["Public report", "Record of findings"]));
        assert_eq!(f.last().unwrap().name, "c30_change");
    }

    #[test]
    fn a_filled_form_reads_as_its_comments_in_order() {
        let mut v = BTreeMap::new();
        v.insert("organisation".to_string(), "Glenaird Council".to_string());
        v.insert("c2_document".into(), "Record of findings".into());
        v.insert("c2_comment".into(), "The date is wrong.".into());
        v.insert("c1_document".into(), "Public report".into());
        v.insert("c1_page".into(), "7".into());
        v.insert("c1_comment".into(), "The figure is 84%.".into());
        let r = check("f.pdf", &from_form(&v), day()).unwrap();
        assert_eq!(r.organisation, "Glenaird Council");
        assert_eq!(r.comments.len(), 2);
        assert_eq!(r.comments[0].document, Draft::PublicReport);
        assert_eq!(r.comments[0].page, "7");
        assert_eq!(r.comments[1].document, Draft::RecordOfFindings);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let mut v = BTreeMap::new();
        v.insert("c3_document".to_string(), "Annex".to_string());
        v.insert("c4_page".into(), "2".into());
        let e = check("f.pdf", &from_form(&v), day()).unwrap_err();
        let p: Vec<String> = e
            .problems()
            .iter()
            .map(|p| format!("{}: {}", p.place.clone().unwrap_or_default(), p.message))
            .collect();
        assert!(
            p.iter()
                .any(|s| s == "field organisation: the organisation is not given"),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|s| s == "field c3_document: `Annex` is not one of the drafts"),
            "{p:?}"
        );
        assert!(p.iter().any(|s| s == "field c3_comment: the comment is empty"), "{p:?}");
        assert!(
            p.iter()
                .any(|s| s == "field c4_document: the comment does not say which document it is on"),
            "{p:?}"
        );
    }

    #[test]
    fn the_workbook_reads_back() {
        let about = About {
            area: "Glenaird",
            reference: "JI-1",
            due: day(),
            made: day(),
            route: "Please send them to the Inspection Lead.",
        };
        let bytes = workbook(&about).unwrap();
        assert_eq!(bytes, workbook(&about).unwrap(), "same bytes");
        let r = from_workbook(&bytes).unwrap();
        assert!(r.rows.is_empty());
        assert_eq!(r.organisation.place, "sheet Your details, cell A2");
    }
}
