//! The people of an inspection: the children in the five sampling categories
//! and the contacts who hold their records or receive letters.

use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::base::named::Named;

/// The agency a record holder works for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Agency {
    Health,
    Education,
    SocialWork,
    Police,
    Reporter,
    Other,
}

impl Named for Agency {
    const ALL: &'static [Agency] = &[
        Agency::Health,
        Agency::Education,
        Agency::SocialWork,
        Agency::Police,
        Agency::Reporter,
        Agency::Other,
    ];

    fn as_str(self) -> &'static str {
        Agency::as_str(self)
    }
}
crate::deserialize_named!(Agency);
crate::deserialize_named!(Category);

impl Named for Category {
    const ALL: &'static [Category] = &Category::ALL;

    fn as_str(self) -> &'static str {
        Category::as_str(self)
    }
}

impl Agency {
    pub fn as_str(self) -> &'static str {
        match self {
            Agency::Health => "health",
            Agency::Education => "education",
            Agency::SocialWork => "social_work",
            Agency::Police => "police",
            Agency::Reporter => "reporter",
            Agency::Other => "other",
        }
    }
}

impl Agency {
    /// Plain words: "Social work", "Children's Reporter".
    pub fn words(self) -> &'static str {
        match self {
            Agency::Health => "Health",
            Agency::Education => "Education",
            Agency::SocialWork => "Social work",
            Agency::Police => "Police",
            Agency::Reporter => "Children's Reporter",
            Agency::Other => "Other",
        }
    }
}

impl fmt::Display for Agency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The five sampling categories of the methodology, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Cpr,
    LookedAfterHome,
    LookedAfterAccommodated,
    Aftercare,
    VoluntaryMeasures,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Cpr,
        Category::LookedAfterHome,
        Category::LookedAfterAccommodated,
        Category::Aftercare,
        Category::VoluntaryMeasures,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Cpr => "cpr",
            Category::LookedAfterHome => "looked_after_home",
            Category::LookedAfterAccommodated => "looked_after_accommodated",
            Category::Aftercare => "aftercare",
            Category::VoluntaryMeasures => "voluntary_measures",
        }
    }

    /// A few words for a drop-down: "Looked after at home".
    pub fn short(self) -> &'static str {
        match self {
            Category::Cpr => "Child protection register (last year)",
            Category::LookedAfterHome => "Looked after at home",
            Category::LookedAfterAccommodated => "Looked after and accommodated",
            Category::Aftercare => "Throughcare and aftercare",
            Category::VoluntaryMeasures => "Voluntary measures of supervision",
        }
    }

    /// What to do with a child who belongs to two groups, as the population
    /// list's workbook and the managers' briefing say it: listed once, in the
    /// first that applies, so no child is twice as likely to be sampled.
    pub const TWO_GROUPS: &'static str = "A child who belongs to two groups (on the child protection register \
        and looked after at home, say) is listed once, in the first group that applies, in the order the five \
        groups are listed here: a child listed twice would be twice as likely to be chosen.";

    /// Which reference to give for a child, as the workbook and the briefing
    /// say it.
    pub const CASE_REFERENCE: &'static str = "For the case reference, give the child's reference on the social \
        work system where the child has one, else on the system of the agency that lists the child; use the \
        same reference whenever you write to us about the child, and never the child's name.";

    /// The methodology's own words for the category.
    pub fn description(self) -> &'static str {
        match self {
            Category::Cpr => "Children on or off the child protection register in the last year",
            Category::LookedAfterHome => "Children looked after at home",
            Category::LookedAfterAccommodated => "Children looked after and accommodated",
            Category::Aftercare => "Young people entitled to throughcare and aftercare services",
            Category::VoluntaryMeasures => {
                "Children referred to the local authority for voluntary measures of supervision by the Children's Reporter"
            }
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The contact's id in contacts.csv: "sw-team-north".
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their post.
    pub role: String,
    /// The agency they work for: `health`, `education`, `social_work`, `police`, `reporter` or `other`.
    pub agency: Agency,
    /// Their organisation.
    pub organisation: String,
    /// Postal address, one line per item.
    #[serde(deserialize_with = "address_lines")]
    pub address: Vec<String>,
    /// Email address, if given.
    #[serde(default)]
    pub email: Option<String>,
    /// The greeting of letters to this contact, e.g. "Dear Mr Paterson"; the
    /// loader fills in "Dear " and the name where the column is empty or absent.
    #[serde(default)]
    pub salutation: String,
    /// Where the contact is in `contacts.csv`, for error messages.
    #[serde(skip)]
    pub at: Position,
}

fn address_lines<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let s = String::deserialize(d)?;
    Ok(s.split(';')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub case_ref: String,
    pub category: Category,
    #[serde(deserialize_with = "yes_no")]
    pub protection: bool,
    #[serde(default)]
    pub lead_professional: Option<String>,
    #[serde(default)]
    pub named_person: Option<String>,
    #[serde(default)]
    pub health: Option<String>,
    #[serde(default)]
    pub education: Option<String>,
    #[serde(default)]
    pub social_work: Option<String>,
    #[serde(default)]
    pub police: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub date_of_birth: Option<NaiveDate>,
    /// Where the child is in `population.csv`, for error messages.
    #[serde(skip)]
    pub at: Position,
}

/// The six roles in which a contact may hold a child's records: the columns
/// of `population.csv` that name a holder, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolderRole {
    LeadProfessional,
    NamedPerson,
    Health,
    Education,
    SocialWork,
    Police,
}

impl HolderRole {
    pub const ALL: [HolderRole; 6] = [
        HolderRole::LeadProfessional,
        HolderRole::NamedPerson,
        HolderRole::Health,
        HolderRole::Education,
        HolderRole::SocialWork,
        HolderRole::Police,
    ];

    /// The four agencies asked for the records of a child in need of protection.
    pub const PROTECTION: [HolderRole; 4] = [
        HolderRole::Health,
        HolderRole::Education,
        HolderRole::SocialWork,
        HolderRole::Police,
    ];

    /// The column of `population.csv`.
    pub fn column(self) -> &'static str {
        match self {
            HolderRole::LeadProfessional => "lead_professional",
            HolderRole::NamedPerson => "named_person",
            HolderRole::Health => "health",
            HolderRole::Education => "education",
            HolderRole::SocialWork => "social_work",
            HolderRole::Police => "police",
        }
    }

    /// Plain words: "lead professional", "social work".
    pub fn words(self) -> &'static str {
        match self {
            HolderRole::LeadProfessional => "lead professional",
            HolderRole::NamedPerson => "named person",
            HolderRole::Health => "health",
            HolderRole::Education => "education",
            HolderRole::SocialWork => "social work",
            HolderRole::Police => "police",
        }
    }

    /// The agency a role belongs to, where the role names one.
    pub fn agency(self) -> Option<Agency> {
        match self {
            HolderRole::Health => Some(Agency::Health),
            HolderRole::Education => Some(Agency::Education),
            HolderRole::SocialWork => Some(Agency::SocialWork),
            HolderRole::Police => Some(Agency::Police),
            HolderRole::LeadProfessional | HolderRole::NamedPerson => None,
        }
    }
}

impl Child {
    /// The contact id of the child's holder in `role`, if any.
    pub fn holder(&self, role: HolderRole) -> Option<&str> {
        let v = match role {
            HolderRole::LeadProfessional => &self.lead_professional,
            HolderRole::NamedPerson => &self.named_person,
            HolderRole::Health => &self.health,
            HolderRole::Education => &self.education,
            HolderRole::SocialWork => &self.social_work,
            HolderRole::Police => &self.police,
        };
        v.as_deref()
    }
}

fn yes_no<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let s = String::deserialize(d)?;
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(serde::de::Error::custom(format!("`{s}` is neither `yes` nor `no`"))),
    }
}

/// Where a record is in its CSV file: the line it starts on and its number
/// (the header is not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub record: usize,
}
