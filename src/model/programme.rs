//! `programme.toml`: many inspection folders side by side, the inspectors'
//! own dates away, and the limits the programme sets on them.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::inspection::toml_date;

/// The programme file's name in its folder.
pub const PROGRAMME: &str = "programme.toml";

/// `programme.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFile {
    /// The programme's name, printed on its documents.
    pub name: String,
    /// The inspection folders, relative to the programme's; left out, every
    /// sub-folder holding an `inspection.toml`.
    #[serde(default)]
    pub inspections: Option<Vec<String>>,
    /// The most on-site days an inspector may have in a calendar quarter.
    #[serde(default)]
    pub quarter_days: Option<u32>,
    /// The fewest working days between two notices, or two publications.
    #[serde(default)]
    pub spacing_days: Option<u32>,
    /// Inspectors' own dates away.
    #[serde(default)]
    pub away: Vec<Away>,
}

/// An inspector away from one day to another (both included).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Away {
    /// The inspector, as the inspection folders name them.
    pub name: String,
    #[serde(deserialize_with = "toml_date")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "toml_date")]
    pub to: NaiveDate,
}
