//! Synthetic inspection folders: the worked example, unseen folders for tests,
//! and large populations for benchmarks. Every name and reference is invented.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use chrono::{Days, NaiveDate};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct SynthOptions {
    pub children: usize,
    pub seed: u64,
    pub commencement: NaiveDate,
    pub area: String,
    pub confidence: f64,
    pub margin: f64,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            children: 1000,
            seed: 20130304,
            commencement: NaiveDate::from_ymd_opt(2013, 3, 4).expect("date"),
            area: "Glenaird".into(),
            confidence: 0.95,
            margin: 0.10,
        }
    }
}

const FIRST: &[&str] = &[
    "Aila", "Ben", "Cara", "Dougie", "Eilidh", "Fraser", "Gemma", "Hamish", "Isla", "Jamie", "Kirsty", "Lewis",
    "Morven", "Niall", "Orla", "Rory", "Skye", "Tam", "Una", "Zoë", "Seán", "Mhairi", "Ewan", "Catriona", "Aonghas",
    "Ellie",
];
/// "Dear Ms Baird" for the letters; empty (the default greeting, "Dear " and the
/// full name) where the first name does not suggest a title.
fn salutation(name: &str) -> String {
    const MS: &[&str] = &[
        "Aila", "Cara", "Eilidh", "Gemma", "Isla", "Kirsty", "Morven", "Orla", "Skye", "Una", "Zoë", "Mhairi",
        "Catriona", "Ellie",
    ];
    const MR: &[&str] = &[
        "Ben", "Dougie", "Fraser", "Hamish", "Lewis", "Niall", "Rory", "Tam", "Seán", "Ewan", "Aonghas",
    ];
    let (first, last) = name.split_once(' ').unwrap_or(("", name));
    let title = if MS.contains(&first) {
        "Ms"
    } else if MR.contains(&first) {
        "Mr"
    } else {
        return String::new();
    };
    format!("Dear {title} {last}")
}

const LAST: &[&str] = &[
    "Baird",
    "Campbell",
    "Docherty",
    "Ferguson",
    "Grant",
    "Henderson",
    "Kerr",
    "MacLeod",
    "McAllister",
    "Munro",
    "O'Neill",
    "Paterson",
    "Ross",
    "Sinclair",
    "Stewart",
    "Thomson",
    "Wallace",
    "Young",
    "MacDonald",
    "Ó Briain",
];

struct Rng(ChaCha8Rng);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, xs: &'a [String]) -> &'a str {
        &xs[self.below(xs.len())]
    }
}

/// Writes `inspection.toml`, `contacts.csv` and `population.csv` into `dir`.
pub fn generate(dir: &Path, o: &SynthOptions) -> Result<()> {
    let mut rng = Rng(ChaCha8Rng::seed_from_u64(o.seed));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create", e))?;
    let area = &o.area;
    let slug = crate::text::slug(area);
    let town = area.as_str();

    // Contacts: named persons, lead professionals and the agencies' record holders.
    let mut contacts = String::from("id,name,role,agency,organisation,address,email,salutation\n");
    let mut add =
        |ids: &mut Vec<String>, id: String, name: String, role: &str, agency: &str, org: &str, street: String| {
            let email = format!("{}@{}.example.org", id, slug);
            let _ = writeln!(
                contacts,
                "{id},{name},{role},{agency},{org},\"{street};{town};GA{} {}AA\",{email},{}",
                1 + ids.len() % 9,
                1 + ids.len() % 7,
                salutation(&name)
            );
            ids.push(id);
        };
    let scale = (o.children / 1000).max(1);
    let person = |rng: &mut Rng| format!("{} {}", FIRST[rng.below(FIRST.len())], LAST[rng.below(LAST.len())]);
    let (mut hv, mut teachers, mut sw, mut health, mut education, mut police, mut other) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for n in 1..=18 * scale {
        let p = person(&mut rng);
        add(
            &mut hv,
            format!("hv-{n:03}"),
            p,
            "Health Visitor",
            "health",
            &format!("NHS {area}"),
            format!("{n} Clinic Road"),
        );
    }
    for n in 1..=30 * scale {
        let p = person(&mut rng);
        let role = if n % 3 == 0 { "Guidance Teacher" } else { "Head Teacher" };
        add(
            &mut teachers,
            format!("school-{n:03}"),
            p,
            role,
            "education",
            &format!("{area} Council Education Services"),
            format!("{n} School Lane"),
        );
    }
    for n in 1..=36 * scale {
        let p = person(&mut rng);
        add(
            &mut sw,
            format!("sw-{n:03}"),
            p,
            "Social Worker",
            "social_work",
            &format!("{area} Council Social Work Services"),
            format!("{n} Kirk Street"),
        );
    }
    for n in 1..=12 * scale {
        let p = person(&mut rng);
        add(
            &mut health,
            format!("nhs-rec-{n:02}"),
            p,
            "Health Records Manager",
            "health",
            &format!("NHS {area}"),
            format!("Records Office {n}, Royal Infirmary"),
        );
    }
    for n in 1..=10 * scale {
        let p = person(&mut rng);
        add(
            &mut education,
            format!("edu-rec-{n:02}"),
            p,
            "Pupil Records Officer",
            "education",
            &format!("{area} Council Education Services"),
            format!("{n} Academy Street"),
        );
    }
    for n in 1..=6 * scale {
        let p = person(&mut rng);
        add(
            &mut police,
            format!("police-{n:02}"),
            p,
            "Detective Inspector (Public Protection Unit)",
            "police",
            "Police Scotland",
            format!("{n} Divisional HQ"),
        );
    }
    for (n, role) in [
        "Locality Reporter",
        "Adoption Team Leader",
        "Throughcare Manager",
        "Child Protection Lead Officer",
        "Early Years Manager",
    ]
    .iter()
    .enumerate()
    {
        let p = person(&mut rng);
        let agency = if n == 0 {
            "reporter"
        } else if n == 4 {
            "education"
        } else {
            "social_work"
        };
        add(
            &mut other,
            format!("lead-{}", n + 1),
            p,
            role,
            agency,
            &format!("{area} Council"),
            format!("{} Council Buildings", n + 1),
        );
    }
    let contacts_path = dir.join("contacts.csv");
    fs::write(&contacts_path, contacts).map_err(|e| Error::io(&contacts_path, "write", e))?;

    // Children, spread over the five categories.
    let categories = [
        ("cpr", 18, 45),
        ("looked_after_home", 22, 10),
        ("looked_after_accommodated", 26, 8),
        ("aftercare", 15, 2),
        ("voluntary_measures", 19, 12),
    ];
    let mut pop = String::from(
        "case_ref,category,protection,lead_professional,named_person,health,education,social_work,police,name,date_of_birth\n",
    );
    for n in 0..o.children {
        let mut roll = rng.below(100);
        let (cat, _, protect) = categories
            .iter()
            .find(|(_, share, _)| {
                if roll < *share {
                    true
                } else {
                    roll -= share;
                    false
                }
            })
            .copied()
            .unwrap_or(categories[0]);
        let protection = rng.chance(protect);
        let age_days = if cat == "aftercare" {
            16 * 365 + rng.below(5 * 365)
        } else {
            200 + rng.below(16 * 365)
        };
        let dob = o.commencement - Days::new(age_days as u64);
        let np = if age_days < 5 * 365 {
            rng.pick(&hv).to_string()
        } else {
            rng.pick(&teachers).to_string()
        };
        let lp = if protection || rng.chance(60) {
            rng.pick(&sw).to_string()
        } else {
            String::new()
        };
        let (h, e, s, p) = if protection {
            (
                rng.pick(&health).to_string(),
                rng.pick(&education).to_string(),
                rng.pick(&sw).to_string(),
                rng.pick(&police).to_string(),
            )
        } else {
            Default::default()
        };
        let name = format!("{} {}", FIRST[rng.below(FIRST.len())], LAST[rng.below(LAST.len())]);
        let _ = writeln!(
            pop,
            "{}-{},{cat},{},{lp},{np},{h},{e},{s},{p},{name},{dob}",
            slug.chars().take(2).collect::<String>().to_uppercase(),
            case_number(n, o.children),
            if protection { "yes" } else { "no" }
        );
    }
    let pop_path = dir.join("population.csv");
    fs::write(&pop_path, pop).map_err(|e| Error::io(&pop_path, "write", e))?;

    let toml_path = dir.join("inspection.toml");
    fs::write(&toml_path, inspection_toml(o)).map_err(|e| Error::io(&toml_path, "write", e))?;
    Ok(())
}

/// The `n`th child's case number: five digits up to 90,000 children, seven
/// beyond (7919 is prime, so the numbers never repeat within the range).
fn case_number(n: usize, children: usize) -> String {
    if children <= 90_000 {
        format!("{:05}", 10_000 + (n * 7919) % 90_000)
    } else {
        format!("{:07}", 1_000_000 + (n * 7919) % 9_000_000)
    }
}

fn inspection_toml(o: &SynthOptions) -> String {
    let area = &o.area;
    let c = o.commencement;
    let year = chrono::Datelike::year(&c);
    let inspected = |days: u64| c - Days::new(days);
    format!(
        r#"# The inspection: area, dates, people and settings.
# Dates are written without quotes as YYYY-MM-DD. Every document is made from this
# file, contacts.csv and population.csv; run `scrutiny check` after each edit.

reference = "JI-{year}-07"                # printed on every document
area = "{area}"                           # the council area
cpp = "{area} Community Planning Partnership"
commencement = {c}                # the inspection date: the first on-site day
# notification = {notif}             # optional: the date of the 12-week notice
marking = "OFFICIAL-SENSITIVE"            # printed on documents that hold personal data

[lead]                                    # the Inspection Lead, who signs the letters
name = "Morag Petrie"
email = "morag.petrie@careinspectorate.example.org"
phone = "0345 600 9527"

[depute]
name = "Iain Baxter"
email = "iain.baxter@careinspectorate.example.org"
phone = "0345 600 9528"

[[team]]                                  # body: Care Inspectorate | Education Scotland |
name = "Ruth Cole"                        #       Healthcare Improvement Scotland | HMICS
body = "Education Scotland"
role = "HM Inspector"

[[team]]
name = "Dr Anwar Siddiqui"
body = "Healthcare Improvement Scotland"
role = "Inspector"

[[team]]
name = "Graeme Lindsay"
body = "HMICS"
role = "Lead Inspector"

[[team]]
name = "Fiona Macrae"
body = "Care Inspectorate"
role = "Associate Inspector"

[[addressees]]                            # each receives the 12-week notice
role = "Chief Executive"
name = "Jordan Reid"
organisation = "{area} Council"
address = ["Council Buildings", "1 High Street", "{area}", "GA1 1AA"]
salutation = "Dear Ms Reid"

[[addressees]]
role = "Chief Executive"
name = "Dr Alasdair Muir"
organisation = "NHS {area}"
address = ["Board Headquarters", "Infirmary Road", "{area}", "GA2 4NH"]
salutation = "Dear Dr Muir"

[[addressees]]
role = "Divisional Commander"
name = "Chief Superintendent Lorna Craig"
organisation = "Police Scotland, {area} Division"
address = ["Divisional Headquarters", "5 Station Road", "{area}", "GA3 2PS"]
salutation = "Dear Chief Superintendent Craig"

[[addressees]]
role = "Chair"
name = "Councillor Hugh Drummond"
organisation = "{area} Community Planning Partnership"
address = ["Council Buildings", "1 High Street", "{area}", "GA1 1AA"]
salutation = "Dear Councillor Drummond"

[[addressees]]
role = "Principal Reporter"
name = "Elspeth Galbraith"
organisation = "Scottish Children's Reporter Administration"
address = ["Reporter's Office", "12 Bridge Street", "{area}", "GA4 1RP"]
salutation = "Dear Ms Galbraith"

[sampling]
confidence = {confidence}                       # 0 < confidence < 1
margin = {margin}                           # 0 < margin < 1: ±10 percentage points
min_per_category = 5
seed = {seed}                         # the draw is reproducible from this number

[records]
months = 18                               # how far back the records requested go

[schedule]                                # every key is optional
holidays = []                             # local holidays on top of Scottish bank holidays
# phase_three_start = 2013-03-11          # default: the working day after scoping phase two
# core_start = 2013-03-18                 # default: the working day after phase three
# core_days = 5                           # 1 to 5

[[position_statements]]
topic = "Post-adoption support"
recipient = "lead-2"                      # an id from contacts.csv

[[position_statements]]
topic = "Throughcare and aftercare"
recipient = "lead-3"

[[position_statements]]
topic = "Early help for families with young children"
recipient = "lead-5"
due = {due}                       # this one is wanted earlier than the rest

[[care_services]]                         # at most 30, each inspected before commencement
name = "Westfield Children's House"
number = "CS2004071234"
kind = "Care home service for children and young people"
inspected = {i1}

[[care_services]]
name = "{area} Fostering Service"
number = "CS2004082211"
kind = "Fostering service"
inspected = {i2}

[[care_services]]
name = "Braeside Residential School"
number = "CS2003015566"
kind = "School care accommodation service"
inspected = {i3}

[[care_services]]
name = "{area} Adoption Service"
number = "CS2004082212"
kind = "Adoption service"
inspected = {i4}
"#,
        notif = c - Days::new(84),
        confidence = o.confidence,
        margin = o.margin,
        seed = o.seed,
        due = c - Days::new(21),
        i1 = inspected(40),
        i2 = inspected(33),
        i3 = inspected(26),
        i4 = inspected(19),
    )
}
