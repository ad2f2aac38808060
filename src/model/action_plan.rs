//! The joint action plan: the parts of each answer (a field of the form, a
//! column of the workbook, a key of `action-plan.toml`), and the returned
//! plan as `action-plan.toml` holds it. Reading a return is `returns::action_plan`'s.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::inspection::{toml_date, toml_date_opt};

/// A RAG status: how an action is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    pub const ALL: [Rag; 3] = [Rag::Red, Rag::Amber, Rag::Green];

    pub fn name(self) -> &'static str {
        match self {
            Rag::Red => "Red",
            Rag::Amber => "Amber",
            Rag::Green => "Green",
        }
    }

    /// What the status means, as the form and the workbook define it.
    pub fn meaning(self) -> &'static str {
        match self {
            Rag::Red => "not started, or off track: the target date will be missed without further action.",
            Rag::Amber => "under way, with some risk to the target date or to the measure of success.",
            Rag::Green => "on track to meet the measure of success by the target date, or done.",
        }
    }

    /// A status as written, in any case; `None` for anything else.
    pub fn parse(s: &str) -> Option<Rag> {
        Rag::ALL.into_iter().find(|r| r.name().eq_ignore_ascii_case(s.trim()))
    }
}

/// An empty string, or no key at all, is no status.
fn rag_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Rag>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Ok(None);
    }
    Rag::parse(&s)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a RAG status: choose Red, Amber or Green")))
}

/// A part of each recommendation's answer: a field of the form, a column of
/// the workbook, a key of `action-plan.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Action,
    Lead,
    Partners,
    Start,
    Target,
    Measure,
    Progress,
    Rag,
}

impl Part {
    /// In the order of the form and the workbook.
    pub const ALL: [Part; 8] = [
        Part::Action,
        Part::Lead,
        Part::Partners,
        Part::Start,
        Part::Target,
        Part::Measure,
        Part::Progress,
        Part::Rag,
    ];

    /// Its key: the field's suffix (`R1_lead`) and the key in `action-plan.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Part::Action => "action",
            Part::Lead => "lead",
            Part::Partners => "partners",
            Part::Start => "start",
            Part::Target => "target",
            Part::Measure => "measure",
            Part::Progress => "progress",
            Part::Rag => "rag",
        }
    }

    /// Its label on the form, which screen readers announce.
    pub fn label(self) -> &'static str {
        match self {
            Part::Action => "Action",
            Part::Lead => "Lead officer (name, role, agency)",
            Part::Partners => "Partners involved",
            Part::Start => "Start date (DD/MM/YYYY)",
            Part::Target => "Target date (DD/MM/YYYY)",
            Part::Measure => "Measure of success",
            Part::Progress => "Progress update",
            Part::Rag => "RAG status (Red, Amber or Green)",
        }
    }

    /// Its column heading in the workbook.
    pub fn heading(self) -> &'static str {
        match self {
            Part::Progress => "Progress",
            Part::Lead => "Lead officer",
            Part::Partners => "Partners",
            Part::Start => "Start date",
            Part::Target => "Target date",
            Part::Rag => "RAG status",
            other => other.label(),
        }
    }

    /// Its name in a message: "lead officer".
    pub fn words(self) -> &'static str {
        match self {
            Part::Lead => "lead officer",
            Part::Target => "target date",
            Part::Start => "start date",
            Part::Measure => "measure of success",
            Part::Rag => "RAG status",
            Part::Partners => "partners",
            Part::Progress => "progress",
            Part::Action => "action",
        }
    }

    /// Every answer must have it.
    pub fn required(self) -> bool {
        matches!(self, Part::Action | Part::Lead | Part::Target)
    }

    pub fn is_date(self) -> bool {
        matches!(self, Part::Start | Part::Target)
    }

    pub fn from_key(key: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// The required parts in words, for messages: "an action, a lead officer and a target date".
pub fn required_words() -> String {
    let parts: Vec<String> = Part::ALL
        .iter()
        .filter(|p| p.required())
        .map(|p| {
            let w = p.words();
            let article = if w.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("{article} {w}")
        })
        .collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.join(""),
    }
}

/// Reads a date as a CPP writes it: `DD/MM/YYYY` or `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()
        // Four-digit years only: "31/3/14" is not the year 14.
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
}

/// `action-plan.toml`: the returned plan.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPlan {
    /// When the plan was received.
    #[serde(deserialize_with = "toml_date")]
    pub received: NaiveDate,
    /// The file imported.
    pub source: String,
    /// The CPP's contact for the plan.
    #[serde(default)]
    pub cpp_contact: String,
    /// When the CPP says it submitted the plan.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub submitted_on: Option<NaiveDate>,
    /// The chair of the CPP who signed off the plan, by name; empty when the
    /// plan came without the chair's sign-off (a plan returned before the
    /// form asked for it has none).
    #[serde(default)]
    pub signed_off_by: String,
    /// When the chair of the CPP signed off the plan: on or before `received`.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub signed_off_on: Option<NaiveDate>,
    /// One per action, in order.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// The support for improvement the scrutiny bodies agreed, written by the
    /// team once decided (the reply to the plan states it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<Support>,
}

/// `[support]` of action-plan.toml.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Support {
    /// The scrutiny bodies giving it: "Education Scotland".
    #[serde(default)]
    pub bodies: Vec<crate::model::Body>,
    /// What they will do, in a sentence or two.
    pub text: String,
}

/// One action answering a recommendation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The recommendation's id: "R1".
    pub recommendation: String,
    /// What the partners will do.
    pub action: String,
    /// The lead officer: name, role, agency.
    pub lead: String,
    /// The partners involved.
    #[serde(default)]
    pub partners: String,
    /// When it starts.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub start: Option<NaiveDate>,
    /// When it should be done.
    #[serde(deserialize_with = "toml_date")]
    pub target: NaiveDate,
    /// How success will be measured.
    #[serde(default)]
    pub measure: String,
    /// Progress so far.
    #[serde(default)]
    pub progress: String,
    /// Red, Amber or Green, if given.
    #[serde(default, deserialize_with = "rag_opt")]
    pub rag: Option<Rag>,
}

impl Action {
    /// The written answers, by their key in `action-plan.toml`.
    pub fn texts(&self) -> [(&'static str, &str); 5] {
        [
            ("action", &self.action),
            ("lead", &self.lead),
            ("partners", &self.partners),
            ("measure", &self.measure),
            ("progress", &self.progress),
        ]
    }
}

impl ActionPlan {
    /// As `action-plan.toml` text, with dates as TOML dates.
    pub fn to_toml(&self) -> String {
        use toml_edit::{value, ArrayOfTables, DocumentMut, Table};
        let date = |d: NaiveDate| {
            let dt: toml_edit::Datetime = d.to_string().parse().expect("an ISO date is a TOML date");
            value(dt)
        };
        let mut doc = DocumentMut::new();
        doc["received"] = date(self.received);
        doc["source"] = value(&self.source);
        doc["cpp_contact"] = value(&self.cpp_contact);
        if let Some(d) = self.submitted_on {
            doc["submitted_on"] = date(d);
        }
        if !self.signed_off_by.is_empty() {
            doc["signed_off_by"] = value(&self.signed_off_by);
        }
        if let Some(d) = self.signed_off_on {
            doc["signed_off_on"] = date(d);
        }
        let mut actions = ArrayOfTables::new();
        for a in &self.actions {
            let mut t = Table::new();
            t["recommendation"] = value(&a.recommendation);
            t["action"] = value(&a.action);
            t["lead"] = value(&a.lead);
            t["partners"] = value(&a.partners);
            if let Some(d) = a.start {
                t["start"] = date(d);
            }
            t["target"] = date(a.target);
            t["measure"] = value(&a.measure);
            t["progress"] = value(&a.progress);
            if let Some(r) = a.rag {
                t["rag"] = value(r.name());
            }
            actions.push(t);
        }
        doc["actions"] = toml_edit::Item::ArrayOfTables(actions);
        if let Some(support) = &self.support {
            let mut t = Table::new();
            let mut bodies = toml_edit::Array::new();
            bodies.extend(support.bodies.iter().map(|b| crate::base::named::Named::as_str(*b)));
            t["bodies"] = value(bodies);
            t["text"] = value(&support.text);
            doc["support"] = toml_edit::Item::Table(t);
        }
        doc.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_both_ways_and_nothing_else() {
        let d = NaiveDate::from_ymd_opt(2014, 3, 31);
        assert_eq!(parse_date("31/03/2014"), d);
        assert_eq!(parse_date(" 2014-03-31 "), d);
        assert_eq!(parse_date("2014-31-03"), None);
        assert_eq!(parse_date("31 March 2014"), None);
        assert_eq!(parse_date("31/3/14"), None);
    }
}
