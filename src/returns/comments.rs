//! The factual-accuracy round trip: the form and workbook the partners fill
//! in with their comments on the draft, and `scrutiny comments import`, which
//! reads either into `comments.toml` under the returning organisation,
//! locating every problem by field or cell and writing nothing unless all is
//! well. The same machinery and limits as the action plan's import.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, XlsxError};

use crate::base::error::{Error, ErrorKind, Problem, Problems, Result};
use crate::base::named::Named;
use crate::formats::form::{FieldKind, FieldSpec};
use crate::model::action_plan::{Cell, Fault};
use crate::model::comments::{Comment, Comments, Draft, Return};
use crate::workspace::Workspace;

pub const FORM: &str = "report/factual-accuracy.pdf";
pub const WORKBOOK: &str = "report/factual-accuracy.xlsx";
/// The form's comment boxes, and the workbook's open rows.
pub const MAX_COMMENTS: usize = 30;
/// The workbook's sheets.
pub const SHEET: &str = "Comments";
pub const DETAILS: &str = "Your details";
const ABOUT: &str = "About";

/// The parts of a comment: the field suffix (`c<N>_<key>`) and the heading.
pub const PARTS: [(&str, &str); 5] = [
    ("document", "Document"),
    ("page", "Page"),
    ("paragraph", "Paragraph"),
    ("comment", "Comment"),
    ("change", "Suggested change"),
];
const DETAIL_HEADINGS: [&str; 2] = ["Organisation", "Contact"];

const RETURN_HELP: &str =
    "import the factual-accuracy.pdf or factual-accuracy.xlsx made by `scrutiny build`, filled in and saved";

/// Every field of the form, in reading order.
pub fn fields() -> Vec<FieldSpec> {
    let text = |multiline, max_len| FieldKind::Text { multiline, max_len };
    let mut out = vec![
        FieldSpec {
            name: "organisation".into(),
            tooltip: "Your organisation".into(),
            kind: text(false, None),
        },
        FieldSpec {
            name: "contact".into(),
            tooltip: "Contact for these comments: name, role and email".into(),
            kind: text(false, None),
        },
    ];
    for n in 1..=MAX_COMMENTS {
        for (key, heading) in PARTS {
            let kind = match key {
                "document" => FieldKind::Choice(Draft::ALL.iter().map(|d| d.words().to_string()).collect()),
                "page" | "paragraph" => text(false, Some(12)),
                _ => text(true, None),
            };
            out.push(FieldSpec {
                name: format!("c{n}_{key}"),
                tooltip: format!("Comment {n}: {heading}"),
                kind,
            });
        }
    }
    out
}

/// A return as read: its details and one row of cells per comment written.
#[derive(Debug, Default)]
pub struct Returned {
    pub organisation: Cell,
    pub contact: Cell,
    pub rows: Vec<[Cell; 5]>,
    pub faults: Vec<Fault>,
}

/// The form's fields as a return: the comment boxes with anything in them.
pub fn from_form(values: &BTreeMap<String, String>) -> Returned {
    let field = |name: &str| Cell::new(values.get(name).cloned().unwrap_or_default(), format!("field {name}"));
    let rows = (1..=MAX_COMMENTS)
        .map(|n| PARTS.map(|(key, _)| field(&format!("c{n}_{key}"))))
        .filter(|row| row.iter().any(|c| !c.value.is_empty()))
        .collect();
    Returned {
        organisation: field("organisation"),
        contact: field("contact"),
        rows,
        faults: Vec::new(),
    }
}

/// A returned workbook: the details sheet's first row and every comment row.
pub fn read_workbook(bytes: &[u8]) -> std::result::Result<Returned, String> {
    use crate::formats::xlsx::{open, read_table};
    let mut wb = open(bytes, "a returned form")?;
    let no_sheet = |name: &'static str| {
        move || format!("the workbook has no sheet named \"{name}\": is it the factual-accuracy.xlsx made by scrutiny?")
    };
    let details = read_table(
        &mut wb,
        DETAILS,
        &DETAIL_HEADINGS,
        20,
        "it has one row",
        no_sheet(DETAILS),
    )?;
    let headings = PARTS.map(|(_, h)| h);
    let table = read_table(
        &mut wb,
        SHEET,
        &headings,
        crate::formats::xlsx::MAX_ROWS,
        "a return has one row per comment",
        no_sheet(SHEET),
    )?;
    // read_table names every cell of a row it reads; a row never written is named here.
    let first = details
        .rows
        .into_iter()
        .next()
        .map(|(_, cells)| cells)
        .unwrap_or_default();
    let cell = |i: usize| {
        first
            .get(i)
            .cloned()
            .unwrap_or_else(|| Cell::new("", crate::formats::xlsx::cell_name(DETAILS, 1, i as u32)))
    };
    let mut faults = details.faults;
    faults.extend(table.faults);
    Ok(Returned {
        organisation: cell(0),
        contact: cell(1),
        rows: table
            .rows
            .into_iter()
            .filter(|(_, cells)| cells.iter().any(|c| !c.value.is_empty()))
            .filter_map(|(_, cells)| cells.try_into().ok())
            .collect(),
        faults,
    })
}

/// The comments of a return, or every problem with them.
pub fn check(file: &str, returned: &Returned, received: NaiveDate) -> Result<Return> {
    let mut problems = Problems::default();
    let at = |c: &Cell, message: String, help: &str| Problem::new(file, message).place(c.place.clone()).help(help);
    for f in &returned.faults {
        problems.push(Problem::new(file, &f.message).place(f.place.clone()).help(f.help));
    }
    if returned.organisation.value.is_empty() {
        problems.push(at(
            &returned.organisation,
            "the organisation is not given".into(),
            "write the organisation returning these comments, e.g. Glenaird Council: its comments are kept under that name",
        ));
    }
    if returned.rows.is_empty() {
        problems.push(Problem::new(file, "the return has no comments").help(
            "write each comment in a box of the form or a row of the workbook; a partner with none need not return it",
        ));
    }
    let mut comments = Vec::new();
    for row in &returned.rows {
        let [document, page, paragraph, comment, change] = row;
        let draft = Draft::from_words(&document.value).or_else(|| crate::base::named::parse(&document.value).ok());
        if draft.is_none() {
            let message = if document.value.is_empty() {
                "the comment does not say which document it is on".to_string()
            } else {
                format!("`{}` is not one of the drafts", crate::base::text::cut(&document.value))
            };
            problems.push(at(document, message, "choose Public report or Record of findings"));
        }
        if comment.value.is_empty() {
            problems.push(at(
                comment,
                "the comment is empty".into(),
                "say what is inaccurate, or clear the other boxes of this comment",
            ));
        }
        if let Some(document) = draft {
            comments.push(Comment {
                document,
                page: page.value.clone(),
                paragraph: paragraph.value.clone(),
                comment: comment.value.clone(),
                change: change.value.clone(),
                decision: None,
                response: String::new(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid_in("the returned comments", problems.into_vec()));
    }
    let source = crate::returns::action_plan::source_name(file);
    Ok(Return {
        organisation: returned.organisation.value.clone(),
        contact: returned.contact.value.clone(),
        received,
        source,
        comments,
    })
}

/// The return in `file`, read by what it is (a form or a workbook), or what
/// is wrong and how to put it right.
pub fn read_returned(file: &Path) -> std::result::Result<Returned, (String, String)> {
    crate::returns::action_plan::read_return(
        file,
        "the comments",
        RETURN_HELP,
        |bytes| crate::formats::form::read_fields(bytes).map(|v| from_form(&v)),
        read_workbook,
    )
}

/// What an import did.
pub struct Imported {
    pub path: PathBuf,
    pub organisation: String,
    pub comments: usize,
    /// Whether it replaced that organisation's earlier return.
    pub replaced: bool,
}

/// Reads `file` (a filled form or workbook) and adds its comments to the
/// folder's `comments.toml` under the returning organisation; a second return
/// from one organisation needs `replace`, which replaces that organisation's
/// comments only.
pub fn import(ws: &Workspace, file: &Path, received: NaiveDate, replace: bool) -> Result<Imported> {
    if ws.report.is_none() {
        return Err(Error::new(
            ErrorKind::Refused,
            "the inspection folder has no findings/, so there is no draft to comment on",
        ));
    }
    let name = file.display().to_string();
    let returned = read_returned(file).map_err(|(message, help)| {
        Error::invalid_in("the returned comments", vec![Problem::new(&name, message).help(help)])
    })?;
    let new = check(&name, &returned, received)?;
    let mut all: Comments = ws.comments.clone().unwrap_or_default();
    let same = |r: &Return| r.organisation.trim().eq_ignore_ascii_case(new.organisation.trim());
    let existing = all.returns.iter().position(same);
    if let (Some(i), false) = (existing, replace) {
        let r = &all.returns[i];
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "{} has already returned comments ({} imported on {}); add --replace to replace that organisation's comments with these",
                r.organisation,
                r.source,
                crate::base::text::date_words(r.received)
            ),
        ));
    }
    let (organisation, count) = (new.organisation.clone(), new.comments.len());
    match existing {
        Some(i) => all.returns[i] = new,
        None => all.returns.push(new),
    }
    let path = ws.root.join(crate::model::folder::COMMENTS);
    crate::workspace::write_replacing(&path, all.to_toml())?;
    Ok(Imported {
        path,
        organisation,
        comments: count,
        replaced: existing.is_some(),
    })
}

/// What the workbook's About sheet says, besides the instructions.
pub struct About<'a> {
    pub area: &'a str,
    pub reference: &'a str,
    pub due: NaiveDate,
    pub made: NaiveDate,
}

/// The workbook: a details sheet, a comments sheet with a drop-down for the
/// document, and an About sheet.
pub fn write_workbook(about: &About) -> std::result::Result<Vec<u8>, XlsxError> {
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
    for (c, h) in DETAIL_HEADINGS.iter().enumerate() {
        details.write_string_with_format(0, c as u16, *h, &heading)?;
        details.write_blank(1, c as u16, &open)?;
        details.set_column_width(c as u16, 50.0)?;
    }
    details.protect();

    let sheet = wb.add_worksheet();
    sheet.set_name(SHEET)?;
    let widths = [20.0, 8.0, 10.0, 60.0, 50.0];
    for (c, ((_, h), w)) in PARTS.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &heading)?;
        sheet.set_column_width(c as u16, w)?;
    }
    let last = MAX_COMMENTS as u32 * 4;
    for row in 1..=last {
        for c in 0..PARTS.len() {
            sheet.write_blank(row, c as u16, &open)?;
        }
    }
    let words: Vec<&str> = Draft::ALL.iter().map(|d| d.words()).collect();
    let choice = DataValidation::new()
        .allow_list_strings(&words)?
        .set_input_title("Document")?
        .set_input_message("Public report or Record of findings")?
        .set_error_title("Document")?
        .set_error_message("Choose Public report or Record of findings")?;
    sheet.add_data_validation(1, 0, last, 0, &choice)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.protect();

    let info = wb.add_worksheet();
    info.set_name(ABOUT)?;
    let lines: [(&str, String); 5] = [
        ("Inspection", format!("Joint inspection of services for children and young people in {}", about.area)),
        ("Inspection reference", about.reference.to_string()),
        ("Please return by", crate::base::text::date_words(about.due)),
        ("How to fill it in", format!(
            "On the '{DETAILS}' sheet, write your organisation and a contact. On the '{SHEET}' sheet, one row for each comment: choose the document (Public report or Record of findings), give the page and paragraph, say what is inaccurate, and suggest the change."
        )),
        ("Returning it", "Save the workbook as .xlsx and send it to the Inspection Lead. The team will consider every comment and tell you what it decided.".to_string()),
    ];
    crate::formats::xlsx::write_about(info, &lines)?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2013, 4, 12).unwrap()
    }

    #[test]
    fn the_form_has_two_fields_then_five_for_each_comment() {
        let f = fields();
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
        };
        let bytes = write_workbook(&about).unwrap();
        assert_eq!(bytes, write_workbook(&about).unwrap(), "same bytes");
        let r = read_workbook(&bytes).unwrap();
        assert!(r.rows.is_empty());
        assert_eq!(r.organisation.place, "sheet Your details, cell A2");
    }
}
