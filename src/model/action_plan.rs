//! The joint action plan: the fields of the form the CPP fills in, and the
//! returned plan as `action-plan.toml` holds it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::inspection::{toml_date, toml_date_opt};

pub const RAG: [&str; 3] = ["Red", "Amber", "Green"];

/// The parts of each recommendation's answer: (field suffix, what it is, kind).
pub const PARTS: [(&str, &str); 8] = [
    ("action", "Action"),
    ("lead", "Lead officer (name, role, agency)"),
    ("partners", "Partners involved"),
    ("start", "Start date (DD/MM/YYYY)"),
    ("target", "Target date (DD/MM/YYYY)"),
    ("measure", "Measure of success"),
    ("progress", "Progress update"),
    ("rag", "RAG status (Red, Amber or Green)"),
];

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
    /// One per action, in order.
    #[serde(default)]
    pub actions: Vec<Action>,
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
    #[serde(default)]
    pub rag: String,
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
            t["rag"] = value(&a.rag);
            actions.push(t);
        }
        doc["actions"] = toml_edit::Item::ArrayOfTables(actions);
        doc.to_string()
    }
}

/// A value read from a returned plan, with where it was read ("field R1_lead",
/// "sheet Action plan, cell E2").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub value: String,
    pub place: String,
}

impl Cell {
    pub fn new(value: impl Into<String>, place: impl Into<String>) -> Cell {
        Cell {
            value: value.into().trim().to_string(),
            place: place.into(),
        }
    }
}

/// One answer: a recommendation's reference and the parts of the action
/// (`action`, `lead`, ... as in [`PARTS`]).
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub recommendation: Cell,
    pub parts: BTreeMap<&'static str, Cell>,
}

impl Entry {
    pub fn part(&self, name: &str) -> Cell {
        self.parts.get(name).cloned().unwrap_or_default()
    }
}

/// A returned plan as read, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct Returned {
    pub cpp_contact: Cell,
    pub submitted_on: Cell,
    pub entries: Vec<Entry>,
    /// Cells that hold no usable value (an error value, a formula never
    /// calculated), each reported by `import::check`.
    pub faults: Vec<Fault>,
}

/// A cell whose value cannot be used: where, what, and how to fix it.
#[derive(Debug, Clone)]
pub struct Fault {
    pub place: String,
    pub message: String,
    pub help: &'static str,
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
