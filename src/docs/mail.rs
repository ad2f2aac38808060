//! `mail/`: letters ready to send. For every letter whose addressee has an
//! e-mail address in the folder, a message (`mail/<path with / as ->.eml`,
//! RFC 5322) from the lead to the addressee, with a short plain-text body
//! and the letter's PDF attached, marked `X-Unsent: 1` so that a mail client
//! opens it as a draft; and `mail/mail.csv` listing them for a mail merge.
//! A marked letter's message carries the marking first in its subject and
//! is marked like the letter.
//!
//! The messages are made once the letters are typeset (by the build, from
//! the PDFs it holds), so this kind plans nothing itself.

use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};
use mail_builder::MessageBuilder;

use super::{Audience, Document, Kind, Needs, Plan};
use crate::base::error::Result;
use crate::model::facts::Recipient;
use crate::workspace::Workspace;

pub const FOLDER: &str = "mail";
pub const CSV: &str = "mail/mail.csv";

pub const DOC: Document = Document {
    folder: FOLDER,
    summary: "each letter to an addressee with an e-mail address as a message ready to send (.eml), with mail.csv",
    templates: &[],
    audience,
    names_contacts_warned: &[],
    needs: Needs::Nothing,
    with: &[],
    pictures: &[],
    plan,
};

/// Nothing is planned: the build makes the messages from the letters.
fn plan(_: &Workspace) -> Result<Plan> {
    Ok(Plan::default())
}

/// A message is marked when the letter it carries is; the rest are the team's.
fn audience(file: &str) -> Audience {
    match letter_of(file).and_then(|rel| super::audience(&rel)) {
        Some(Audience::Marked) => Audience::Marked,
        _ => Audience::Team,
    }
}

/// The letter (relative to `out/`) a message's file name carries:
/// `report-letters-draft-x.eml` is `report/letters/draft-x.pdf`.
fn letter_of(file: &str) -> Option<String> {
    let stem = file.strip_suffix(".eml")?;
    let kind = Kind::all()
        .filter(|k| k.folder() != FOLDER)
        .find(|k| stem.starts_with(&format!("{}-", k.folder())))?;
    let rest = &stem[kind.folder().len() + 1..];
    let rest = rest
        .strip_prefix("letters-")
        .map_or_else(|| rest.to_string(), |r| format!("letters/{r}"));
    Some(format!("{}/{rest}.pdf", kind.folder()))
}

/// `mail/<path with / as ->.eml` for the letter at `rel`.
pub fn message_name(rel: &str) -> String {
    format!("{FOLDER}/{}.eml", rel.trim_end_matches(".pdf").replace('/', "-"))
}

/// What a letter is, in a subject line, from where it is.
pub fn title_of(rel: &str) -> &'static str {
    const TITLES: &[(&str, &str)] = &[
        ("notice/", "Notice of joint inspection"),
        ("requests/", "Request for records"),
        ("position-statements/", "Request for a position statement"),
        ("report/letters/draft-", "Draft report for comment"),
        ("report/letters/publication-", "Publication of the report"),
        ("report/letters/decisions-", "Decisions on your comments"),
        ("action-plan/reply", "Reply to the joint action plan"),
    ];
    TITLES
        .iter()
        .find(|(prefix, _)| rel.starts_with(prefix))
        .map_or("Letter", |(_, t)| t)
}

/// The e-mail address the folder gives for a letter's addressee: an
/// addressee, the co-ordinator or a contact of that name (and organisation).
pub fn email_of(ws: &Workspace, r: &Recipient) -> Option<String> {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let given = |e: &Option<String>| e.as_ref().map(|e| e.trim().to_string()).filter(|e| e.contains('@'));
    ws.inspection
        .addressees
        .iter()
        .find(|a| same(&a.name, &r.name) && same(&a.organisation, &r.organisation))
        .and_then(|a| given(&a.email))
        .or_else(|| {
            ws.inspection
                .coordinator
                .as_ref()
                .filter(|c| same(&c.name, &r.name))
                .and_then(|c| given(&c.email))
        })
        .or_else(|| {
            ws.contacts
                .iter()
                .find(|c| same(&c.name, &r.name) && same(&c.organisation, &r.organisation) && same(&c.role, &r.role))
                .and_then(|c| given(&c.email))
        })
}

/// One message to make: the letter, its addressee and their address.
struct Letter {
    rel: String,
    to: Recipient,
    email: String,
    date: chrono::NaiveDate,
}

/// Every letter of every kind with an addressee who has an e-mail address.
fn letters(ws: &Workspace) -> Result<Vec<Letter>> {
    let mut out = Vec::new();
    for kind in Kind::all().filter(|k| k.folder() != FOLDER) {
        for job in super::plan(kind, ws)?.jobs {
            let Some(to) = job.facts.recipient.clone() else {
                continue;
            };
            if let Some(email) = email_of(ws, &to) {
                out.push(Letter {
                    rel: job.output,
                    to,
                    email,
                    date: job.date,
                });
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// The messages and `mail.csv`, each letter's PDF read by `read` (relative
/// to `out/`); a letter not made is left out.
pub fn messages(ws: &Workspace, read: impl Fn(&str) -> Option<Vec<u8>>) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["document", "to", "subject", "attachment"])
        .expect("in memory");
    let Some(from) = ws.inspection.lead.email.as_deref().filter(|e| e.contains('@')) else {
        files.push((CSV.to_string(), csv.into_inner().expect("in memory")));
        return Ok(files);
    };
    for letter in letters(ws)? {
        let Some(pdf) = read(&letter.rel) else { continue };
        let name = message_name(&letter.rel);
        let subject = subject(ws, &letter.rel);
        let eml = message(ws, from, &letter, &subject, &pdf);
        csv.write_record([
            letter.rel.as_str(),
            letter.email.as_str(),
            subject.as_str(),
            letter.rel.rsplit('/').next().unwrap_or_default(),
        ])
        .expect("in memory");
        files.push((name, eml));
    }
    files.push((CSV.to_string(), csv.into_inner().expect("in memory")));
    Ok(files)
}

/// "<marking>: <title>: <reference> <area>", the marking only on a marked letter.
fn subject(ws: &Workspace, rel: &str) -> String {
    let i = &ws.inspection;
    let plain = format!("{}: {} {}", title_of(rel), i.reference, i.area);
    if super::holds_personal_data(rel) {
        format!("{}: {plain}", i.marking)
    } else {
        plain
    }
}

/// The message itself: headers, the body, the PDF attached. The same letter
/// gives the same bytes (its date, its message id and its boundary come from it).
fn message(ws: &Workspace, from: &str, letter: &Letter, subject: &str, pdf: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let i = &ws.inspection;
    let digest: String = Sha256::digest(pdf)
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect();
    let file = letter.rel.rsplit('/').next().unwrap_or("letter.pdf").to_string();
    let marked = super::holds_personal_data(&letter.rel);
    let mut body = format!(
        "Dear {},\r\n\r\nPlease find attached our letter, {}, about the joint inspection of services for \
         children and young people in {} (our reference {}).\r\n",
        letter.to.name,
        title_of(&letter.rel).to_lowercase(),
        i.area,
        i.reference
    );
    if marked {
        body.push_str(&format!(
            "\r\nThis message and the letter carry the protective marking {}: they hold personal data. \
             Please keep them only where such information may be kept, and do not forward them.\r\n",
            i.marking
        ));
    }
    body.push_str(&format!(
        "\r\nYours sincerely\r\n\r\n{}\r\nInspection Lead\r\n",
        i.lead.name
    ));
    if let Some(phone) = &i.lead.phone {
        body.push_str(&format!("{phone}\r\n"));
    }
    let parts = vec![
        MimePart::new(ContentType::new("text/plain").attribute("charset", "utf-8"), body),
        MimePart::new(
            ContentType::new("application/pdf"),
            BodyPart::Binary(pdf.to_vec().into()),
        )
        .attachment(file.clone()),
    ];
    let mixed = MimePart::new(
        ContentType::new("multipart/mixed").attribute("boundary", format!("scrutiny_{digest}")),
        BodyPart::Multipart(parts),
    );
    let when = letter.date.and_hms_opt(9, 0, 0).map_or(0, |t| t.and_utc().timestamp());
    MessageBuilder::new()
        .from((i.lead.name.as_str(), from))
        .to((letter.to.name.as_str(), letter.email.as_str()))
        .subject(subject)
        .date(when)
        .message_id(format!(
            "{digest}.{}@{}",
            crate::base::text::slug(&file),
            crate::base::text::slug(&i.reference)
        ))
        .header("X-Unsent", Raw::new("1"))
        .body(mixed)
        .write_to_vec()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_named_after_its_letter_and_back() {
        assert_eq!(message_name("requests/edu-rec-01.pdf"), "mail/requests-edu-rec-01.eml");
        assert_eq!(
            message_name("report/letters/decisions-nhs-glenaird.pdf"),
            "mail/report-letters-decisions-nhs-glenaird.eml"
        );
        assert_eq!(
            letter_of("requests-edu-rec-01.eml").as_deref(),
            Some("requests/edu-rec-01.pdf")
        );
        assert_eq!(
            letter_of("report-letters-decisions-nhs-glenaird.eml").as_deref(),
            Some("report/letters/decisions-nhs-glenaird.pdf")
        );
        assert_eq!(
            letter_of("position-statements-post-adoption-support.eml").as_deref(),
            Some("position-statements/post-adoption-support.pdf")
        );
        assert_eq!(audience("requests-edu-rec-01.eml"), Audience::Marked);
        assert_eq!(audience("notice-x.eml"), Audience::Team);
        assert_eq!(audience("mail.csv"), Audience::Team);
        assert_eq!(title_of("report/letters/draft-x.pdf"), "Draft report for comment");
    }
}
