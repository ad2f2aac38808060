//! Synthetic inspection folders: the worked example, unseen folders for tests,
//! and large populations for benchmarks. Every name and reference is invented.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use chrono::{Days, NaiveDate};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::base::error::{Error, Result};

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
    let (contacts, holders) = contacts_csv(o, &mut rng);
    let pop = population_csv(o, &mut rng, &holders);
    for (name, text) in [
        ("contacts.csv", contacts),
        ("population.csv", pop),
        ("inspection.toml", inspection_toml(o)),
    ] {
        let path = dir.join(name);
        fs::write(&path, text).map_err(|e| Error::io(&path, "write", e))?;
    }
    Ok(())
}

/// A group of record holders: how many per thousand children, and how each
/// is written (from its number).
struct Group {
    per_thousand: usize,
    id: fn(usize) -> String,
    role: fn(usize) -> &'static str,
    agency: &'static str,
    organisation: fn(&str) -> String,
    street: fn(usize) -> String,
}

/// Health visitors, teachers, social workers, and the health, education and
/// police record holders, in the order they are drawn.
const GROUPS: [Group; 6] = [
    Group {
        per_thousand: 18,
        id: |n| format!("hv-{n:03}"),
        role: |_| "Health Visitor",
        agency: "health",
        organisation: |area| format!("NHS {area}"),
        street: |n| format!("{n} Clinic Road"),
    },
    Group {
        per_thousand: 30,
        id: |n| format!("school-{n:03}"),
        role: |n| if n % 3 == 0 { "Guidance Teacher" } else { "Head Teacher" },
        agency: "education",
        organisation: |area| format!("{area} Council Education Services"),
        street: |n| format!("{n} School Lane"),
    },
    Group {
        per_thousand: 36,
        id: |n| format!("sw-{n:03}"),
        role: |_| "Social Worker",
        agency: "social_work",
        organisation: |area| format!("{area} Council Social Work Services"),
        street: |n| format!("{n} Kirk Street"),
    },
    Group {
        per_thousand: 12,
        id: |n| format!("nhs-rec-{n:02}"),
        role: |_| "Health Records Manager",
        agency: "health",
        organisation: |area| format!("NHS {area}"),
        street: |n| format!("Records Office {n}, Royal Infirmary"),
    },
    Group {
        per_thousand: 10,
        id: |n| format!("edu-rec-{n:02}"),
        role: |_| "Pupil Records Officer",
        agency: "education",
        organisation: |area| format!("{area} Council Education Services"),
        street: |n| format!("{n} Academy Street"),
    },
    Group {
        per_thousand: 6,
        id: |n| format!("police-{n:02}"),
        role: |_| "Detective Inspector (Public Protection Unit)",
        agency: "police",
        organisation: |_| "Police Scotland".to_string(),
        street: |n| format!("{n} Divisional HQ"),
    },
];

/// The ids of each group of holders, in the order of [`GROUPS`].
struct Holders {
    hv: Vec<String>,
    teachers: Vec<String>,
    sw: Vec<String>,
    health: Vec<String>,
    education: Vec<String>,
    police: Vec<String>,
}

/// `contacts.csv`: named persons, lead professionals and the agencies' record
/// holders, with the ids of each group.
fn contacts_csv(o: &SynthOptions, rng: &mut Rng) -> (String, Holders) {
    let area = &o.area;
    let slug = crate::base::text::slug(area);
    let town = area.as_str();
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
    let mut groups: [Vec<String>; 6] = Default::default();
    // The records are requested about four weeks before the inspection date:
    // before Police Scotland began, from the legacy force.
    let legacy = o.commencement - Days::new(28) < crate::rules::methodology::police_scotland_from();
    for (g, ids) in GROUPS.iter().zip(groups.iter_mut()) {
        let organisation = match (g.agency, legacy) {
            ("police", true) => "Strathclyde Police".to_string(),
            _ => (g.organisation)(area),
        };
        for n in 1..=g.per_thousand * scale {
            let p = person(rng);
            add(ids, (g.id)(n), p, (g.role)(n), g.agency, &organisation, (g.street)(n));
        }
    }
    let mut other = Vec::new();
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
        let p = person(rng);
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
    let [hv, teachers, sw, health, education, police] = groups;
    let holders = Holders {
        hv,
        teachers,
        sw,
        health,
        education,
        police,
    };
    (contacts, holders)
}

/// `population.csv`: the children, spread over the five categories.
fn population_csv(o: &SynthOptions, rng: &mut Rng, h: &Holders) -> String {
    let slug = crate::base::text::slug(&o.area);
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
            rng.pick(&h.hv).to_string()
        } else {
            rng.pick(&h.teachers).to_string()
        };
        let lp = if protection || rng.chance(60) {
            rng.pick(&h.sw).to_string()
        } else {
            String::new()
        };
        let (h, e, s, p) = if protection {
            (
                rng.pick(&h.health).to_string(),
                Some(rng.pick(&h.education))
                    .filter(|_| !crate::rules::access::under_school_age(dob, o.commencement))
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                rng.pick(&h.sw).to_string(),
                rng.pick(&h.police).to_string(),
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
    pop
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

/// The worked example's `inspection.toml`, its dates counted back from the
/// commencement (the text is `assets/synth-inspection.toml`).
fn inspection_toml(o: &SynthOptions) -> String {
    const TEXT: &str = include_str!("../../assets/synth-inspection.toml");
    let c = o.commencement;
    let before = |days: u64| (c - Days::new(days)).to_string();
    let values = [
        ("year", chrono::Datelike::year(&c).to_string()),
        ("area", o.area.clone()),
        ("c", c.to_string()),
        ("notice_weeks", crate::rules::methodology::NOTICE_WEEKS.to_string()),
        ("notif", before(crate::rules::methodology::NOTICE_WEEKS * 7)),
        ("confidence", o.confidence.to_string()),
        ("margin", o.margin.to_string()),
        ("seed", o.seed.to_string()),
        ("due", before(21)),
        // After the notice and before scoping phase one begins (with the
        // briefings, six weeks after it), whose off-site review they feed.
        ("i1", before(82)),
        ("i2", before(75)),
        ("i3", before(54)),
        ("i4", before(47)),
    ];
    values.iter().fold(TEXT.to_string(), |text, (key, value)| {
        text.replace(&format!("{{{key}}}"), value)
    })
}
