//! The inspection's settings, as `inspection.toml` holds them (serde structs).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// The scrutiny bodies that take part in a joint inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Body {
    #[serde(rename = "Care Inspectorate")]
    CareInspectorate,
    #[serde(rename = "Education Scotland")]
    EducationScotland,
    #[serde(rename = "Healthcare Improvement Scotland")]
    HealthcareImprovementScotland,
    #[serde(rename = "HMICS")]
    Hmics,
}

impl crate::named::Named for Body {
    const ALL: &'static [Body] = &[
        Body::CareInspectorate,
        Body::EducationScotland,
        Body::HealthcareImprovementScotland,
        Body::Hmics,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Body::CareInspectorate => "Care Inspectorate",
            Body::EducationScotland => "Education Scotland",
            Body::HealthcareImprovementScotland => "Healthcare Improvement Scotland",
            Body::Hmics => "HMICS",
        }
    }
}
crate::deserialize_named!(Body);

/// A date written as a TOML date (`2013-03-04`, no quotes, no time).
pub(crate) fn toml_date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let dt = toml::value::Datetime::deserialize(d)?;
    date_of(&dt).map_err(serde::de::Error::custom)
}

pub(crate) fn toml_date_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    toml_date(d).map(Some)
}

pub(crate) fn toml_dates<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
    let dts = Vec::<toml::value::Datetime>::deserialize(d)?;
    dts.iter()
        .map(|dt| date_of(dt).map_err(serde::de::Error::custom))
        .collect()
}

fn date_of(dt: &toml::value::Datetime) -> Result<NaiveDate, String> {
    match (&dt.date, &dt.time) {
        (Some(date), None) => NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
            .ok_or_else(|| format!("{dt} is not a date on the calendar")),
        _ => Err(format!("expected a date like 2013-03-04 without a time, found {dt}")),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    pub reference: String,
    pub area: String,
    pub cpp: String,
    #[serde(deserialize_with = "toml_date")]
    pub commencement: NaiveDate,
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub notification: Option<NaiveDate>,
    #[serde(default = "default_marking")]
    pub marking: String,
    pub lead: Person,
    pub depute: Person,
    #[serde(default)]
    pub team: Vec<TeamMember>,
    #[serde(default)]
    pub addressees: Vec<Addressee>,
    #[serde(default)]
    pub sampling: Sampling,
    #[serde(default)]
    pub records: Records,
    #[serde(default)]
    pub schedule: ScheduleSettings,
    #[serde(default)]
    pub position_statements: Vec<PositionStatement>,
    #[serde(default)]
    pub care_services: Vec<CareService>,
}

fn default_marking() -> String {
    "OFFICIAL-SENSITIVE".into()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub name: String,
    pub body: Body,
    #[serde(default = "default_role")]
    pub role: String,
}

fn default_role() -> String {
    "Inspector".into()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addressee {
    pub role: String,
    pub name: String,
    pub organisation: String,
    #[serde(default)]
    pub address: Vec<String>,
    #[serde(default)]
    pub salutation: Option<String>,
}

impl Addressee {
    /// The notice's file stem: the organisation and role, e.g. `glenaird-council-chief-executive`.
    pub fn slug(&self) -> String {
        crate::text::slug(&format!("{} {}", self.organisation, self.role))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sampling {
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    #[serde(default = "default_margin")]
    pub margin: f64,
    #[serde(default = "default_min")]
    pub min_per_category: u32,
    #[serde(default)]
    pub seed: u64,
}

fn default_confidence() -> f64 {
    0.95
}
fn default_margin() -> f64 {
    0.10
}
fn default_min() -> u32 {
    5
}

impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            confidence: default_confidence(),
            margin: default_margin(),
            min_per_category: default_min(),
            seed: 0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Records {
    #[serde(default = "default_months")]
    pub months: u32,
}

fn default_months() -> u32 {
    18
}

impl Default for Records {
    fn default() -> Self {
        Records {
            months: default_months(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    #[serde(default, deserialize_with = "toml_dates")]
    pub holidays: Vec<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub phase_three_start: Option<NaiveDate>,
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub core_start: Option<NaiveDate>,
    #[serde(default)]
    pub core_days: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionStatement {
    pub topic: String,
    pub recipient: String,
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub due: Option<NaiveDate>,
}

impl PositionStatement {
    /// The request's file stem: the topic, e.g. `post-adoption-support`.
    pub fn slug(&self) -> String {
        crate::text::slug(&self.topic)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareService {
    pub name: String,
    pub number: String,
    pub kind: String,
    #[serde(deserialize_with = "toml_date")]
    pub inspected: NaiveDate,
}
