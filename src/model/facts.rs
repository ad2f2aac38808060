//! What a document states, as data: the dates it prints, the person it is
//! addressed to and the children it lists. The module of `docs/` that plans a
//! document sets them on its job; `scrutiny issue` records them in
//! `issued/<date>.json` (these field names are that file's: records written
//! by earlier versions load), and a later build compares them with what the
//! document states now, to say in words what changed (see `build::issue`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Addressee, Contact, Person};

/// What a document states, for saying in words what changed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Each date it states, by the schedule's key (or a key of its own, such
    /// as a position statement's `statement_due`).
    #[serde(default)]
    pub dates: BTreeMap<String, Dates>,
    /// The person it is addressed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<Recipient>,
    /// The children it lists, by case reference (the record stays in the
    /// inspection folder, with population.csv).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<String>>,
    /// The sender's details a letter prints, by the label it prints them
    /// under ("Contact", "Telephone", "E-mail"): a change is said in words.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub contact: BTreeMap<String, String>,
}

impl Facts {
    /// States a date, or a run of days from `start` to `end`, under `key`,
    /// with the label that names it in words.
    pub fn date(&mut self, key: &str, label: &str, start: NaiveDate, end: NaiveDate) {
        let dates = Dates {
            label: label.to_string(),
            start,
            end,
        };
        self.dates.insert(key.to_string(), dates);
    }

    /// States the details of the person a letter is from, under the labels
    /// its letterhead and signature print them.
    pub fn sender(&mut self, from: &Person) {
        let details = [
            ("Contact", Some(&from.name)),
            ("Telephone", from.phone.as_ref()),
            ("E-mail", from.email.as_ref()),
        ];
        for (label, value) in details {
            if let Some(v) = value {
                self.contact.insert(label.to_string(), v.clone());
            }
        }
    }
}

/// A date's first and last day (a single date has start = end) and its label.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A recipient as the letter's address block prints them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub address: Vec<String>,
}

impl Recipient {
    /// Who they are, in words: "Jane Smith, Chief Executive, Glenaird Council".
    pub fn words(&self) -> String {
        [self.name.as_str(), self.role.as_str(), self.organisation.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl From<&Addressee> for Recipient {
    fn from(a: &Addressee) -> Recipient {
        Recipient {
            name: a.name.clone(),
            role: a.role.clone(),
            organisation: a.organisation.clone(),
            address: a.address.clone(),
        }
    }
}

impl From<&Contact> for Recipient {
    fn from(c: &Contact) -> Recipient {
        Recipient {
            name: c.name.clone(),
            role: c.role.clone(),
            organisation: c.organisation.clone(),
            address: c.address.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_written_before_reads_as_it_was() {
        // The facts of a request, as `scrutiny issue` has written them from the first.
        let json = r#"{
          "dates": {
            "sample_drawn": {"label": "Sample drawn and records requested", "start": "2013-02-05", "end": "2013-02-05"}
          },
          "recipient": {"name": "Eilidh Sinclair", "role": "Team Manager", "organisation": "Glenaird Council",
                        "address": ["1 High Street", "Glenaird"]},
          "children": ["GL-200056"]
        }"#;
        let facts: Facts = serde_json::from_str(json).unwrap();
        assert_eq!(facts.dates["sample_drawn"].start.to_string(), "2013-02-05");
        assert_eq!(
            facts.recipient.as_ref().unwrap().words(),
            "Eilidh Sinclair, Team Manager, Glenaird Council"
        );
        let back: serde_json::Value = serde_json::to_value(&facts).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(json).unwrap());
        // A document that names no one and lists no child says nothing of them.
        let none = serde_json::to_string(&Facts::default()).unwrap();
        assert_eq!(none, r#"{"dates":{}}"#);
    }
}
