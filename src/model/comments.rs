//! `comments.toml`: the partners' comments on the draft report and record,
//! as `scrutiny comments import` writes them, with the team's decision and
//! response on each.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::inspection::toml_date;
use crate::base::named::Named;

/// Which draft a comment is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Draft {
    PublicReport,
    RecordOfFindings,
}

impl Named for Draft {
    const ALL: &'static [Draft] = &[Draft::PublicReport, Draft::RecordOfFindings];

    fn as_str(self) -> &'static str {
        match self {
            Draft::PublicReport => "public_report",
            Draft::RecordOfFindings => "record_of_findings",
        }
    }
}
crate::deserialize_named!(Draft);

impl Draft {
    /// The printed words, as the form's drop-down and the workbook offer them.
    pub fn words(self) -> &'static str {
        match self {
            Draft::PublicReport => "Public report",
            Draft::RecordOfFindings => "Record of findings",
        }
    }

    /// The draft named by its printed words, in any letter case.
    pub fn from_words(s: &str) -> Option<Draft> {
        Draft::ALL
            .iter()
            .copied()
            .find(|d| d.words().eq_ignore_ascii_case(s.trim()))
    }
}

/// What the team decided on a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The text is corrected as the comment asks.
    Accepted,
    /// The text is changed, but not as the comment asks.
    Changed,
    /// The text stands.
    NotAccepted,
}

impl Named for Decision {
    const ALL: &'static [Decision] = &[Decision::Accepted, Decision::Changed, Decision::NotAccepted];

    fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Changed => "changed",
            Decision::NotAccepted => "not_accepted",
        }
    }
}
crate::deserialize_named!(Decision);

impl Decision {
    pub fn words(self) -> &'static str {
        match self {
            Decision::Accepted => "Accepted",
            Decision::Changed => "Changed in part",
            Decision::NotAccepted => "Not accepted",
        }
    }
}

/// An empty decision is none yet: import writes `decision = ""` for the team to fill.
fn decision<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decision>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Ok(None);
    }
    crate::base::named::parse(&s)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// `comments.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comments {
    /// One per returning organisation, in the order received.
    #[serde(default)]
    pub returns: Vec<Return>,
}

/// One organisation's returned form or workbook.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Return {
    /// The organisation that returned it: "Glenaird Council".
    pub organisation: String,
    /// Its contact for the comments.
    #[serde(default)]
    pub contact: String,
    /// When it was received.
    #[serde(deserialize_with = "toml_date")]
    #[schemars(with = "String")]
    pub received: NaiveDate,
    /// The file imported.
    #[serde(default)]
    pub source: String,
    /// Its comments, in the order written.
    #[serde(default)]
    pub comments: Vec<Comment>,
}

/// One comment on a draft.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    /// `public_report` or `record_of_findings`.
    pub document: Draft,
    /// The page, as the partner wrote it.
    #[serde(default)]
    pub page: String,
    /// The paragraph, as the partner wrote it.
    #[serde(default)]
    pub paragraph: String,
    /// What the partner says is wrong.
    pub comment: String,
    /// The change the partner suggests.
    #[serde(default)]
    pub change: String,
    /// The team's decision: `accepted`, `changed`, `not_accepted`, or "" while open.
    #[serde(default, deserialize_with = "decision")]
    #[schemars(with = "String")]
    pub decision: Option<Decision>,
    /// The team's response, in a sentence or two.
    #[serde(default)]
    pub response: String,
}

impl Comments {
    /// As `comments.toml` text, with dates as TOML dates.
    pub fn to_toml(&self) -> String {
        use toml_edit::{value, ArrayOfTables, DocumentMut, Table};
        let mut doc = DocumentMut::new();
        let mut returns = ArrayOfTables::new();
        for r in &self.returns {
            let mut t = Table::new();
            t["organisation"] = value(&r.organisation);
            t["contact"] = value(&r.contact);
            let dt: toml_edit::Datetime = r.received.to_string().parse().expect("an ISO date is a TOML date");
            t["received"] = value(dt);
            t["source"] = value(&r.source);
            let mut comments = ArrayOfTables::new();
            for c in &r.comments {
                let mut ct = Table::new();
                ct["document"] = value(c.document.as_str());
                ct["page"] = value(&c.page);
                ct["paragraph"] = value(&c.paragraph);
                ct["comment"] = value(&c.comment);
                ct["change"] = value(&c.change);
                ct["decision"] = value(c.decision.map_or("", |d| d.as_str()));
                ct["response"] = value(&c.response);
                comments.push(ct);
            }
            t["comments"] = toml_edit::Item::ArrayOfTables(comments);
            returns.push(t);
        }
        doc["returns"] = toml_edit::Item::ArrayOfTables(returns);
        doc.to_string()
    }

    /// Comments the team has not yet decided on.
    pub fn open(&self) -> usize {
        self.returns
            .iter()
            .flat_map(|r| &r.comments)
            .filter(|c| c.decision.is_none())
            .count()
    }
}
