//! The clashes between the inspections of a programme: plain functions on
//! what each inspection's folder says of its people and dates.
//!
//! Errors: an inspector on site in two inspections on the same days; a lead
//! or depute linked to the area (in another folder of the programme: a
//! folder's own is `check`'s error); an inspector on site on a day away.
//! Warnings, when `programme.toml` sets the limits: two notices or two
//! publications closer than `spacing_days`; an inspector's on-site days in a
//! quarter above `quarter_days`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::base::text::{count, date_short};
use crate::model::inspection::linked;
use crate::model::programme::Away;
use crate::rules::calendar::Calendar;

/// What the rules need of one inspection.
#[derive(Debug, Clone)]
pub struct Visit {
    /// Its folder, as `programme.toml` names it.
    pub folder: String,
    pub reference: String,
    pub area: String,
    pub notification: NaiveDate,
    pub publication: NaiveDate,
    /// Its on-site working days (scoping phases two and three, the core phase).
    pub on_site: Vec<NaiveDate>,
    /// Everyone in its team with their links: the lead first, the depute second.
    pub people: Vec<(String, Vec<String>)>,
}

impl Visit {
    /// "Glenaird (JI-2013-07)".
    pub fn named(&self) -> String {
        format!("{} ({})", self.area, self.reference)
    }

    /// Whether `name` is in its team.
    fn has(&self, name: &str) -> bool {
        self.people.iter().any(|(n, _)| same_person(n, name))
    }
}

/// An error (exit 1) or a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One clash, naming its people, inspections (by folder) and days.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Clash {
    pub severity: Severity,
    /// `on_site`, `linked_leader`, `away`, `spacing` or `quarter_days`.
    pub kind: &'static str,
    /// The inspectors concerned, as the folders name them.
    pub people: Vec<String>,
    /// The inspections concerned, by folder.
    pub inspections: Vec<String>,
    /// The days concerned.
    pub dates: Vec<NaiveDate>,
    /// What is wrong, in words, naming the people, areas and dates.
    pub message: String,
    /// Where in `programme.toml` the rule broken is set, when it is.
    #[serde(skip)]
    pub line: Option<usize>,
}

/// The limits `programme.toml` sets, with their lines.
#[derive(Debug, Clone, Default)]
pub struct Limits<'a> {
    pub away: &'a [Away],
    pub away_lines: &'a [usize],
    pub spacing_days: Option<(u32, usize)>,
    pub quarter_days: Option<(u32, usize)>,
}

/// Every clash of the programme, errors first, each kind in the order of the inspections.
pub fn all(visits: &[Visit], limits: &Limits) -> Vec<Clash> {
    let mut out = on_site(visits);
    out.extend(linked_leaders(visits));
    out.extend(away(visits, limits.away, limits.away_lines));
    if let Some((days, line)) = limits.spacing_days {
        out.extend(spacing(visits, days, line));
    }
    if let Some((days, line)) = limits.quarter_days {
        out.extend(quarter_days(visits, days, line));
    }
    out.sort_by_key(|c| c.severity);
    out
}

/// One person by two spellings: letter case and spacing aside.
pub fn same_person(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

/// "on Mon 11 Mar 2013" or "on 3 working days, Mon 11 Mar 2013 to Wed 13 Mar 2013".
pub fn days_words(days: &[NaiveDate]) -> String {
    match days {
        [] => String::new(),
        [d] => format!("on {}", date_short(*d)),
        [first, .., last] => format!(
            "on {}, {} to {}",
            count(days.len(), "working day", "working days"),
            date_short(*first),
            date_short(*last)
        ),
    }
}

/// An inspector in the teams of two inspections whose on-site days meet.
pub fn on_site(visits: &[Visit]) -> Vec<Clash> {
    let mut out = Vec::new();
    for (i, a) in visits.iter().enumerate() {
        for b in &visits[i + 1..] {
            let days: Vec<NaiveDate> = a.on_site.iter().filter(|d| b.on_site.contains(d)).copied().collect();
            if days.is_empty() {
                continue;
            }
            for (name, _) in a.people.iter().filter(|(n, _)| b.has(n)) {
                out.push(Clash {
                    severity: Severity::Error,
                    kind: "on_site",
                    people: vec![name.clone()],
                    inspections: vec![a.folder.clone(), b.folder.clone()],
                    message: format!(
                        "{name} is on site in {} and in {} {}",
                        a.named(),
                        b.named(),
                        days_words(&days)
                    ),
                    dates: days.clone(),
                    line: None,
                });
            }
        }
    }
    out
}

/// A lead or depute whose links, as another folder of the programme gives
/// them, include the area inspected.
pub fn linked_leaders(visits: &[Visit]) -> Vec<Clash> {
    let mut out = Vec::new();
    for v in visits {
        for (role, (name, _)) in ["Inspection Lead", "Depute Lead"].iter().zip(&v.people) {
            for w in visits.iter().filter(|w| w.folder != v.folder) {
                let linked_there = w
                    .people
                    .iter()
                    .any(|(n, links)| same_person(n, name) && linked(links, &v.area));
                if linked_there {
                    out.push(Clash {
                        severity: Severity::Error,
                        kind: "linked_leader",
                        people: vec![name.clone()],
                        inspections: vec![v.folder.clone(), w.folder.clone()],
                        dates: Vec::new(),
                        message: format!(
                            "{name} is the {role} of {}, but {}/inspection.toml gives {} among their links: \
                             the lead and depute may have no link to the area inspected",
                            v.named(),
                            w.folder,
                            v.area
                        ),
                        line: None,
                    });
                }
            }
        }
    }
    out
}

/// An inspector on site on one of their dates away.
pub fn away(visits: &[Visit], away: &[Away], lines: &[usize]) -> Vec<Clash> {
    let mut out = Vec::new();
    for (k, a) in away.iter().enumerate() {
        for v in visits.iter().filter(|v| v.has(&a.name)) {
            let days: Vec<NaiveDate> = v
                .on_site
                .iter()
                .filter(|d| a.from <= **d && **d <= a.to)
                .copied()
                .collect();
            if days.is_empty() {
                continue;
            }
            out.push(Clash {
                severity: Severity::Error,
                kind: "away",
                people: vec![a.name.clone()],
                inspections: vec![v.folder.clone()],
                message: format!(
                    "{} is away from {} to {} but on site in {} {}",
                    a.name,
                    date_short(a.from),
                    date_short(a.to),
                    v.named(),
                    days_words(&days)
                ),
                dates: days,
                line: lines.get(k).copied(),
            });
        }
    }
    out
}

/// Two notices, or two publications, fewer than `spacing` working days apart
/// (Scottish bank holidays aside).
pub fn spacing(visits: &[Visit], spacing: u32, line: usize) -> Vec<Clash> {
    let Some(years) = years(visits) else { return Vec::new() };
    let cal = Calendar::new(Vec::new(), years);
    let mut out = Vec::new();
    for (what, day) in [
        ("notices", (|v: &Visit| v.notification) as fn(&Visit) -> NaiveDate),
        ("publications", |v: &Visit| v.publication),
    ] {
        for (i, a) in visits.iter().enumerate() {
            for b in &visits[i + 1..] {
                let (x, y) = (day(a).min(day(b)), day(a).max(day(b)));
                let apart = cal.working_days(x.succ_opt().unwrap_or(x), y).len();
                if apart >= spacing as usize {
                    continue;
                }
                let when = if x == y {
                    format!("both on {}", date_short(x))
                } else {
                    format!(
                        "{} apart ({} and {})",
                        count(apart, "working day", "working days"),
                        date_short(x),
                        date_short(y)
                    )
                };
                out.push(Clash {
                    severity: Severity::Warning,
                    kind: "spacing",
                    people: Vec::new(),
                    inspections: vec![a.folder.clone(), b.folder.clone()],
                    dates: if x == y { vec![x] } else { vec![x, y] },
                    message: format!(
                        "the {what} of {} and {} are {when}; the programme asks for {} between them",
                        a.named(),
                        b.named(),
                        count(spacing as usize, "working day", "working days")
                    ),
                    line: Some(line),
                });
            }
        }
    }
    out
}

/// An inspector on site more than `limit` days in a calendar quarter.
pub fn quarter_days(visits: &[Visit], limit: u32, line: usize) -> Vec<Clash> {
    // Each person (as first written) by quarter: their days and inspections.
    type Quarter = (i32, u32);
    let mut by: BTreeMap<(String, Quarter), (BTreeSet<NaiveDate>, Vec<String>)> = BTreeMap::new();
    let mut names: Vec<String> = Vec::new();
    for v in visits {
        for (name, _) in &v.people {
            let who = match names.iter().find(|n| same_person(n, name)) {
                Some(n) => n.clone(),
                None => {
                    names.push(name.clone());
                    name.clone()
                }
            };
            for d in &v.on_site {
                let entry = by.entry((who.clone(), (d.year(), d.month0() / 3))).or_default();
                entry.0.insert(*d);
                if !entry.1.contains(&v.folder) {
                    entry.1.push(v.folder.clone());
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((name, (year, q)), (days, folders)) in by {
        if days.len() <= limit as usize {
            continue;
        }
        let months = [
            "January to March",
            "April to June",
            "July to September",
            "October to December",
        ][q as usize];
        let areas: Vec<String> = folders
            .iter()
            .filter_map(|f| visits.iter().find(|v| &v.folder == f).map(Visit::named))
            .collect();
        out.push(Clash {
            severity: Severity::Warning,
            kind: "quarter_days",
            people: vec![name.clone()],
            inspections: folders,
            dates: days.iter().copied().collect(),
            message: format!(
                "{name} is on site {} in {months} {year} ({}), more than the programme's {}",
                count(days.len(), "working day", "working days"),
                areas.join(", "),
                limit
            ),
            line: Some(line),
        });
    }
    out
}

/// The years the programme's dates fall in, with one either side.
fn years(visits: &[Visit]) -> Option<std::ops::RangeInclusive<i32>> {
    let first = visits.iter().map(|v| v.notification.min(v.publication)).min()?;
    let last = visits.iter().map(|v| v.notification.max(v.publication)).max()?;
    Some(first.year() - 1..=last.year() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn visit(folder: &str, area: &str, start: &str, people: &[(&str, &[&str])]) -> Visit {
        let cal = Calendar::new(Vec::new(), 2012..=2014);
        let start = d(start);
        Visit {
            folder: folder.into(),
            reference: format!("JI-{folder}"),
            area: area.into(),
            notification: start - chrono::Days::new(84),
            publication: start + chrono::Days::new(42),
            on_site: cal.working_days(start, cal.span_end(start, 13)),
            people: people
                .iter()
                .map(|(n, l)| (n.to_string(), l.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }

    #[test]
    fn an_inspector_on_site_twice_is_named_with_both_areas_and_the_days() {
        let a = visit(
            "glenaird",
            "Glenaird",
            "2013-03-04",
            &[("Morag Petrie", &[]), ("Iain Baxter", &[]), ("Ruth Cole", &[])],
        );
        let b = visit(
            "eastmoor",
            "Eastmoor",
            "2013-03-18",
            &[("Ann Lee", &[]), ("Bo Dey", &[]), ("ruth  cole", &[])],
        );
        let c = visit(
            "westfield",
            "Westfield",
            "2013-06-03",
            &[("Ruth Cole", &[]), ("Ann Lee", &[]), ("Cy Fox", &[])],
        );
        let found = on_site(&[a, b, c]);
        assert_eq!(found.len(), 1, "{found:?}");
        let m = &found[0].message;
        assert!(
            m.starts_with("Ruth Cole is on site in Glenaird (JI-glenaird) and in Eastmoor (JI-eastmoor)"),
            "{m}"
        );
        assert!(m.contains("Mon 18 Mar 2013"), "{m}");
        assert_eq!(found[0].dates.first(), Some(&d("2013-03-18")));
    }

    #[test]
    fn a_day_away_on_site_is_an_error_and_one_off_site_is_not() {
        let a = visit(
            "glenaird",
            "Glenaird",
            "2013-03-04",
            &[("Morag Petrie", &[]), ("Iain Baxter", &[])],
        );
        let away_list = [
            Away {
                name: "Iain Baxter".into(),
                from: d("2013-03-06"),
                to: d("2013-03-07"),
            },
            Away {
                name: "Morag Petrie".into(),
                from: d("2013-02-01"),
                to: d("2013-02-08"),
            },
        ];
        let found = away(&[a], &away_list, &[7, 12]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(7));
        assert!(
            found[0]
                .message
                .contains("Iain Baxter is away from Wed 6 Mar 2013 to Thu 7 Mar 2013"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].dates, vec![d("2013-03-06"), d("2013-03-07")]);
    }

    #[test]
    fn a_link_written_in_another_folder_stops_a_lead() {
        let a = visit(
            "glenaird",
            "Glenaird",
            "2013-03-04",
            &[("Morag Petrie", &[]), ("Iain Baxter", &["Eastmoor"])],
        );
        let b = visit(
            "eastmoor",
            "Eastmoor",
            "2013-09-02",
            &[("Iain Baxter", &[]), ("Ann Lee", &[])],
        );
        let found = linked_leaders(&[a, b]);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .starts_with("Iain Baxter is the Inspection Lead of Eastmoor"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn spacing_and_quarters_warn_only_past_their_limits() {
        let a = visit("a", "A", "2013-03-04", &[("X", &[]), ("Y", &[])]);
        let b = visit("b", "B", "2013-03-06", &[("X", &[]), ("Z", &[])]);
        let found = spacing(&[a.clone(), b.clone()], 5, 3);
        assert_eq!(found.len(), 2, "notices and publications: {found:?}");
        assert!(
            found[0].message.contains("2 working days apart"),
            "{}",
            found[0].message
        );
        assert!(spacing(&[a.clone(), b.clone()], 2, 3).is_empty());
        // X is on site 15 distinct days in January to March 2013.
        let q = quarter_days(&[a.clone(), b.clone()], 14, 4);
        assert_eq!(q.len(), 1, "{q:?}");
        assert!(
            q[0].message
                .starts_with("X is on site 15 working days in January to March 2013"),
            "{}",
            q[0].message
        );
        assert!(quarter_days(&[a, b], 15, 4).is_empty());
    }
}
