//! The inspection's settings, as `inspection.toml` holds them (serde structs).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// The scrutiny bodies that take part in a joint inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
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

impl crate::base::named::Named for Body {
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

impl Body {
    /// The body as a sentence names it: "the Care Inspectorate", "Education Scotland".
    pub fn in_prose(self) -> &'static str {
        match self {
            Body::CareInspectorate => "the Care Inspectorate",
            Body::EducationScotland => "Education Scotland",
            Body::HealthcareImprovementScotland => "Healthcare Improvement Scotland",
            Body::Hmics => "HM Inspectorate of Constabulary in Scotland",
        }
    }
}

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

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// The inspection's reference, printed on every document: "JI-2013-07".
    pub reference: String,
    /// The council area: "Glenaird".
    pub area: String,
    /// The community planning partnership.
    pub cpp: String,
    /// The inspection date: the first day on site.
    #[serde(deserialize_with = "toml_date")]
    pub commencement: NaiveDate,
    /// The notice date as written in inspection.toml, if given (the schedule's `notification` is the one to print).
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub notification: Option<NaiveDate>,
    /// The protective marking of documents holding personal data. Left out,
    /// it follows the date of the records requests: "PROTECT - PERSONAL"
    /// before 2 April 2014, "OFFICIAL-SENSITIVE" from then.
    #[serde(default)]
    pub marking: String,
    /// The Inspection Lead, who signs the letters.
    pub lead: Person,
    /// The Depute Lead.
    pub depute: Person,
    /// The other inspectors.
    #[serde(default)]
    pub team: Vec<TeamMember>,
    /// The CPP's inspection co-ordinator, once named.
    #[serde(default)]
    pub coordinator: Option<Coordinator>,
    /// The staff survey of named persons, when there is one.
    #[serde(default)]
    pub survey: Option<Survey>,
    /// Chief officers and the CPP chair: each gets the notice.
    #[serde(default)]
    pub addressees: Vec<Addressee>,
    /// How the sample is drawn.
    #[serde(default)]
    pub sampling: Sampling,
    /// The records window.
    #[serde(default)]
    pub records: Records,
    /// Local holidays and moved phases, as written (the dates themselves are in `schedule`).
    #[serde(default)]
    pub schedule: ScheduleSettings,
    /// The position statements asked for, as written (with due dates resolved: the top-level `position_statements`).
    #[serde(default)]
    pub position_statements: Vec<PositionStatement>,
    /// Registered care services inspected before the inspection date.
    #[serde(default)]
    pub care_services: Vec<CareService>,
}

impl Inspection {
    /// The inspectors: the lead, the depute, then the team, each with their links.
    pub fn inspectors(&self) -> impl Iterator<Item = (&str, &[String])> {
        [
            (&self.lead.name, &self.lead.links),
            (&self.depute.name, &self.depute.links),
        ]
        .into_iter()
        .chain(self.team.iter().map(|t| (&t.name, &t.links)))
        .map(|(n, l)| (n.as_str(), l.as_slice()))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Their name.
    pub name: String,
    /// Email address, if given.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number, if given.
    #[serde(default)]
    pub phone: Option<String>,
    /// Areas where they are (or recently were) a link or lead inspector
    /// supporting and challenging services.
    #[serde(default)]
    pub links: Vec<String>,
    /// Whether they join the records reading (the lead and depute do not unless this says so).
    #[serde(default)]
    pub reads_records: bool,
}

impl Person {
    /// Whether `area` is among their links (any letter case).
    pub fn linked_to(&self, area: &str) -> bool {
        linked(&self.links, area)
    }
}

/// Whether `links` names `area` (any letter case, spaces around ignored).
pub fn linked(links: &[String], area: &str) -> bool {
    links
        .iter()
        .any(|l| l.trim().to_lowercase() == area.trim().to_lowercase())
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    /// Their name.
    pub name: String,
    /// The scrutiny body the inspector comes from.
    pub body: Body,
    /// Their role in the team: "Inspector".
    #[serde(default = "default_role")]
    pub role: String,
    /// Areas where they are (or recently were) a link or lead inspector: a
    /// link inspector may join the team, not lead it.
    #[serde(default)]
    pub links: Vec<String>,
    /// Whether they join the records reading.
    #[serde(default = "yes")]
    pub reads_records: bool,
}

fn yes() -> bool {
    true
}

impl TeamMember {
    /// Whether `area` is among their links (any letter case).
    pub fn linked_to(&self, area: &str) -> bool {
        linked(&self.links, area)
    }
}

/// The CPP's inspection co-ordinator.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coordinator {
    /// Their name.
    pub name: String,
    /// Their post.
    pub role: String,
    /// Email address, if given.
    #[serde(default)]
    pub email: Option<String>,
}

/// The staff survey of named persons.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// Where named persons answer it.
    pub url: String,
    /// How many named persons were invited: the sample of staff the
    /// partnership sent the invitation to. The record then gives the
    /// response rate.
    #[serde(default)]
    pub invited: Option<u32>,
}

fn default_role() -> String {
    "Inspector".into()
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Addressee {
    /// Their post: "Chief Executive".
    pub role: String,
    /// Their name.
    pub name: String,
    /// Their organisation.
    pub organisation: String,
    /// Postal address, one line per item.
    #[serde(default)]
    pub address: Vec<String>,
    /// The greeting of the letter, if given ("Dear Ms Reid").
    #[serde(default)]
    pub salutation: Option<String>,
    /// The organisation's name in letters dated before 1 April 2013, for a
    /// police division whose legacy force then became Police Scotland:
    /// "Strathclyde Police, Glenaird Division".
    #[serde(default)]
    pub former: Option<String>,
    /// Their e-mail address, if given: letters to them are then also made
    /// ready to send (`out/mail/`).
    #[serde(default)]
    pub email: Option<String>,
}

impl Addressee {
    /// The notice's file stem: the organisation and role, e.g. `glenaird-council-chief-executive`.
    pub fn slug(&self) -> String {
        crate::base::text::slug(&format!("{} {}", self.organisation, self.role))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sampling {
    /// How sure the sample's findings are, as a fraction: 0.95.
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// The margin of error, as a fraction: 0.10.
    #[serde(default = "default_margin")]
    pub margin: f64,
    /// The fewest children drawn from each category (or all of them, if fewer).
    #[serde(default = "default_min")]
    pub min_per_category: u32,
    /// The number the random draw starts from.
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

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Records {
    /// How many months of records are read.
    #[serde(default = "default_months")]
    pub months: u32,
    /// Children whose records one reader reads in a day, if set.
    #[serde(default)]
    pub per_reader_day: Option<u32>,
}

fn default_months() -> u32 {
    18
}

impl Default for Records {
    fn default() -> Self {
        Records {
            months: default_months(),
            per_reader_day: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Local holidays on top of the Scottish bank holidays.
    #[serde(default, deserialize_with = "toml_dates")]
    pub holidays: Vec<NaiveDate>,
    /// Scoping phase three's first day, if moved.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub phase_three_start: Option<NaiveDate>,
    /// The core phase's first day, if moved.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub core_start: Option<NaiveDate>,
    /// The core phase's length in working days, if set.
    #[serde(default)]
    pub core_days: Option<u32>,
    /// The briefings, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub briefings: Option<NaiveDate>,
    /// The population list's due date, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub population_list_due: Option<NaiveDate>,
    /// The day the sample is drawn and its records requested, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub sample_drawn: Option<NaiveDate>,
    /// The day the named persons' survey opens, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub survey_opens: Option<NaiveDate>,
    /// The day the named persons' survey closes, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub survey_due: Option<NaiveDate>,
    /// The position statements' due date, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub position_statements_due: Option<NaiveDate>,
    /// The self-evaluation's due date, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub self_evaluation_due: Option<NaiveDate>,
    /// The day record holders confirm the records requested, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub requests_confirm_by: Option<NaiveDate>,
    /// The first professional discussion, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub discussion_one: Option<NaiveDate>,
    /// The day care inspections are finished by, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub care_inspections_by: Option<NaiveDate>,
    /// The second professional discussion, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub discussion_two: Option<NaiveDate>,
    /// The third professional discussion, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub discussion_three: Option<NaiveDate>,
    /// The day the inspection concludes, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<NaiveDate>,
    /// The day the draft report is sent for comment, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub report_for_comment: Option<NaiveDate>,
    /// The day comments on the draft are due, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub comments_due: Option<NaiveDate>,
    /// The day the decisions on comments are sent, if set by hand (default: the working day after comments are due).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub comments_decided: Option<NaiveDate>,
    /// The day of publication, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub publication: Option<NaiveDate>,
    /// The day the joint action plan is due, if set by hand (checked against the rules and the other dates).
    #[serde(default, deserialize_with = "toml_date_opt", skip_serializing_if = "Option::is_none")]
    pub action_plan_due: Option<NaiveDate>,
}

impl ScheduleSettings {
    /// The days set by hand, by the schedule's key (`phase_three_start` and
    /// `core_start` are the phases' first days, under their phases' keys).
    pub fn days_set(&self) -> Vec<(&'static str, NaiveDate)> {
        let all = [
            ("briefings", self.briefings),
            ("population_list_due", self.population_list_due),
            ("sample_drawn", self.sample_drawn),
            ("survey_opens", self.survey_opens),
            ("survey_due", self.survey_due),
            ("position_statements_due", self.position_statements_due),
            ("self_evaluation_due", self.self_evaluation_due),
            ("requests_confirm_by", self.requests_confirm_by),
            ("discussion_one", self.discussion_one),
            ("care_inspections_by", self.care_inspections_by),
            ("discussion_two", self.discussion_two),
            ("discussion_three", self.discussion_three),
            ("conclusion", self.conclusion),
            ("report_for_comment", self.report_for_comment),
            ("comments_due", self.comments_due),
            ("comments_decided", self.comments_decided),
            ("publication", self.publication),
            ("action_plan_due", self.action_plan_due),
        ];
        all.into_iter().filter_map(|(k, d)| d.map(|d| (k, d))).collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionStatement {
    /// The service area: "Post-adoption support".
    pub topic: String,
    /// The contacts.csv id of the person asked.
    pub recipient: String,
    /// Its own due date, if given.
    #[serde(default, deserialize_with = "toml_date_opt")]
    pub due: Option<NaiveDate>,
}

impl PositionStatement {
    /// The request's file stem: the topic, e.g. `post-adoption-support`.
    pub fn slug(&self) -> String {
        crate::base::text::slug(&self.topic)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CareService {
    /// The service's name.
    pub name: String,
    /// The Care Inspectorate registration number.
    pub number: String,
    /// The kind of service.
    pub kind: String,
    /// When it was last inspected.
    #[serde(deserialize_with = "toml_date")]
    pub inspected: NaiveDate,
}

/// How the partnership's comments on the draft come back, in the one sentence
/// the draft letter, the factual-accuracy form and its workbook all print:
/// together, through the inspection co-ordinator when there is one, to the
/// Inspection Lead by name and e-mail.
pub fn comments_route(lead: &Person, coordinator: Option<&Coordinator>) -> String {
    let email = |e: &Option<String>| e.as_deref().map(|e| format!(", at {e}")).unwrap_or_default();
    let to = format!("{}, Inspection Lead{}", lead.name, email(&lead.email));
    match coordinator {
        Some(c) => format!(
            "Please send the partnership's comments together, through its inspection co-ordinator, {} ({}{}), to {to}.",
            c.name,
            c.role,
            c.email.as_deref().map(|e| format!(", {e}")).unwrap_or_default()
        ),
        None => format!("Please send the partnership's comments together to {to}."),
    }
}

#[cfg(test)]
mod route_tests {
    use super::*;

    #[test]
    fn comments_go_through_the_coordinator_to_the_lead_by_name_and_email() {
        let lead = Person {
            name: "Morag Petrie".into(),
            email: Some("morag.petrie@example.org".into()),
            phone: None,
            links: Vec::new(),
            reads_records: false,
        };
        let c = Coordinator {
            name: "Jo Bell".into(),
            role: "Planning Officer".into(),
            email: Some("jo.bell@example.org".into()),
        };
        assert_eq!(
            comments_route(&lead, Some(&c)),
            "Please send the partnership's comments together, through its inspection co-ordinator, Jo Bell \
             (Planning Officer, jo.bell@example.org), to Morag Petrie, Inspection Lead, at morag.petrie@example.org."
        );
        assert_eq!(
            comments_route(&lead, None),
            "Please send the partnership's comments together to Morag Petrie, Inspection Lead, at morag.petrie@example.org."
        );
    }
}
