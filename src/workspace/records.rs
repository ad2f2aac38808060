//! `contacts.csv` and `population.csv`: the people who hold records and the
//! children they hold them for.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{did_you_mean, Problem, Problems};
use crate::named::{self, Named};

/// The agency a record holder works for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

    /// Plain words for letters: "social work".
    pub fn words(self) -> &'static str {
        match self {
            Agency::SocialWork => "social work",
            Agency::Reporter => "Children's Reporter",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for Agency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The five sampling categories of the methodology, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub role: String,
    pub agency: Agency,
    pub organisation: String,
    #[serde(deserialize_with = "address_lines")]
    pub address: Vec<String>,
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

/// The six holder columns, in file order.
pub const HOLDER_COLUMNS: [&str; 6] = [
    "lead_professional",
    "named_person",
    "health",
    "education",
    "social_work",
    "police",
];

impl Child {
    /// The holder id in one of [`HOLDER_COLUMNS`].
    pub fn holder(&self, column: &str) -> Option<&str> {
        let v = match column {
            "lead_professional" => &self.lead_professional,
            "named_person" => &self.named_person,
            "health" => &self.health,
            "education" => &self.education,
            "social_work" => &self.social_work,
            "police" => &self.police,
            _ => return None,
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

pub const CONTACT_COLUMNS: (&[&str], &[&str]) = (
    &["id", "name", "role", "agency", "organisation", "address"],
    &["email", "salutation"],
);

pub const POPULATION_COLUMNS: (&[&str], &[&str]) = (
    &[
        "case_ref",
        "category",
        "protection",
        "lead_professional",
        "named_person",
        "health",
        "education",
        "social_work",
        "police",
    ],
    &["name", "date_of_birth"],
);

/// Where a record is in its CSV file: the line it starts on and its number
/// (the header is not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub record: usize,
}

/// A record type that remembers its position, for later error messages.
pub trait Positioned {
    fn set_position(&mut self, at: Position);
}

impl Positioned for Contact {
    fn set_position(&mut self, at: Position) {
        self.at = at;
    }
}

impl Positioned for Child {
    fn set_position(&mut self, at: Position) {
        self.at = at;
    }
}

/// Reads every record of a CSV file into `T`, reporting every bad header and every
/// bad record (one problem per record) instead of stopping at the first.
pub fn read_csv<T: serde::de::DeserializeOwned + Positioned>(
    file: &str,
    text: &str,
    (required, optional): (&[&str], &[&str]),
    problems: &mut Problems,
) -> Vec<T> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(csv_problem(file, &e, None));
            return Vec::new();
        }
    };
    let mut header_ok = true;
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    for (i, h) in headers.iter().enumerate() {
        if !known.contains(&h) {
            header_ok = false;
            let mut p = Problem::new(file, format!("unknown column `{h}`"))
                .at(1, i + 1)
                .place("header");
            p = match did_you_mean(h, known.iter().copied()) {
                Some(k) => p.help(format!("did you mean `{k}`?")),
                None => p.help(format!("the columns are: {}", known.join(", "))),
            };
            problems.push(p);
        }
        if headers.iter().take(i).any(|e| e == h) {
            header_ok = false;
            problems.push(
                Problem::new(file, format!("column `{h}` appears twice"))
                    .at(1, i + 1)
                    .place("header")
                    .help("keep one of them"),
            );
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == *r) {
            header_ok = false;
            problems.push(
                Problem::new(file, format!("the required column `{r}` is missing"))
                    .line(1)
                    .place("header")
                    .help(format!(
                        "the first line must name these columns: {}",
                        required.join(",")
                    )),
            );
        }
    }
    if !header_ok {
        return Vec::new();
    }

    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let record = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_problem(file, &e, Some(record)));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(record + 1);
        match rec.deserialize::<T>(Some(&headers)) {
            Ok(mut value) => {
                value.set_position(Position { line, record });
                out.push(value);
            }
            Err(e) => {
                let mut p = Problem::new(file, String::new()).line(line);
                let mut place = format!("record {record}");
                if let csv::ErrorKind::Deserialize { err, .. } = e.kind() {
                    // serde does not always say which field failed (enum values, for
                    // one); the value it quotes then finds the column.
                    let message = err.kind().to_string();
                    let quoted = message.split('`').nth(1);
                    let field = err
                        .field()
                        .map(|f| f as usize)
                        .or_else(|| quoted.and_then(|q| rec.iter().position(|v| v == q)));
                    if let Some(field) = field {
                        let col = field;
                        p.column = Some(col + 1);
                        if let Some(name) = headers.get(col) {
                            place = format!("record {record}, column {name}");
                        }
                    }
                    let message = plain_serde_message(&message);
                    match message.split_once(named::HELP) {
                        Some((m, help)) => {
                            p.message = m.to_string();
                            p.help = Some(help.to_string());
                        }
                        None => p.message = message,
                    }
                } else {
                    p.message = e.to_string();
                }
                problems.push(p.place(place));
            }
        }
    }
    out
}

/// The header row's column names.
pub fn header(text: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    rdr.headers()
        .map(|h| h.iter().map(String::from).collect())
        .unwrap_or_default()
}

/// Every value of one column, read leniently (rows of the wrong length included).
pub fn raw_column(text: &str, column: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let Some(i) = rdr.headers().ok().and_then(|h| h.iter().position(|c| c == column)) else {
        return Vec::new();
    };
    rdr.records()
        .flatten()
        .filter_map(|r| r.get(i).map(String::from))
        .collect()
}

fn csv_problem(file: &str, e: &csv::Error, record: Option<usize>) -> Problem {
    let mut p = Problem::new(file, e.to_string());
    if let Some(pos) = e.position() {
        p = p.line(pos.line() as usize);
    }
    if let csv::ErrorKind::UnequalLengths { expected_len, len, .. } = e.kind() {
        p.message = format!("this record has {len} fields but the header has {expected_len}");
        p.help = Some("quote a field that holds a comma, e.g. \"1 High Street, Glenaird\"".into());
    }
    if let Some(r) = record {
        p = p.place(format!("record {r}"));
    }
    p
}

/// serde's messages name Rust things; say it in the file's terms.
fn plain_serde_message(m: &str) -> String {
    m.replace("unknown variant", "unknown value")
        .replace("premature end of input", "incomplete date (use YYYY-MM-DD)")
        .replace("input contains invalid characters", "not a date (use YYYY-MM-DD)")
        .replace("input is out of range", "not a date on the calendar")
}
