//! What was sent: the record `scrutiny issue` writes in `issued/<date>.json`
//! (these field names are that file's: records written by earlier versions
//! load). The workspace reads them before the schedule is computed, since
//! what was sent fixes the dates it bore ([`crate::rules::history`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::facts::Facts;

/// One issue: the documents sent on one day.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    pub issued: NaiveDate,
    /// The program that made the documents: "scrutiny 0.1.0".
    pub generator: String,
    pub documents: Vec<Issued>,
    /// Every step's dates as they were when these documents were sent, by key
    /// (records written before this was kept have none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schedule: BTreeMap<String, Days>,
    /// Documents that changed after they were sent and need no new version
    /// (`scrutiny issue --accept`): the path and what it says now.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<Accepted>,
}

/// A document as it was sent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Issued {
    /// Its path relative to OUT: "notice/glenaird-council-chief-executive.pdf".
    pub path: String,
    /// Who it went to, in words.
    pub recipient: String,
    /// The SHA-256 of the file sent.
    pub sha256: String,
    /// A hash of what makes what it says (its templates, its data, its date).
    pub content: String,
    pub facts: Facts,
    /// The date the document bears (records written before this was kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// A changed document recorded as needing no new version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    pub path: String,
    /// The hash of what it says now ([`Issued::content`]).
    pub content: String,
    /// What it states now.
    pub facts: Facts,
}

/// A step's first and last day (a day has start = end).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Days {
    pub start: NaiveDate,
    pub end: NaiveDate,
}
