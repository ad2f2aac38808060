//! The review of the programme's published inspections: for each quality
//! indicator, the areas evaluated at each point of the six-point scale and
//! the share good or better with its Wilson interval; the people met, the
//! records read and the survey's returns added up; the recommendations by
//! indicator. Inspections still in draft are counted apart. Counts of
//! children and people follow the small-number rule; no child and no person
//! is named.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::base::named::Named;
use crate::model::findings::{Grade, Status};
use crate::rules::figures::result;
use crate::rules::methodology::{Methodology, Place};
use crate::workspace::findings::Report;

use super::{Member, Programme};

/// The review's data, as its templates (`programme-review.typ`,
/// `programme-review.html`) see it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Review {
    /// The programme's name.
    pub programme: String,
    /// The inspections published (`status = "final"`), in the programme's order.
    pub published: Vec<Area>,
    /// The inspections whose report is still a draft: counted apart.
    pub drafts: Vec<Area>,
    /// The inspections with no findings yet: not counted.
    pub without_findings: Vec<Area>,
    /// The points of the six-point scale, from the top: "Excellent" ... "Unsatisfactory".
    pub scale: Vec<String>,
    /// The published inspections' evaluations, by indicator.
    pub indicators: Vec<Indicator>,
    /// The drafts' evaluations, by indicator, counted apart.
    pub draft_indicators: Vec<Indicator>,
    /// The published inspections' evidence, records read and survey returns, added up.
    pub totals: Vec<Total>,
    /// The published inspections' recommendations by the indicator they follow from.
    pub recommendations: Vec<Theme>,
}

/// An inspection as the review names it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Area {
    /// The council area: "Glenaird".
    pub area: String,
    /// The inspection's reference: "JI-2013-07".
    pub reference: String,
    /// Its folder, as `programme.toml` names it.
    pub folder: String,
}

/// One quality indicator across the inspections counted.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Indicator {
    /// "5.2".
    pub qi: String,
    /// Its title, as the first inspection evaluating it gives it.
    pub title: String,
    /// The areas evaluated at each point of the scale, from excellent to unsatisfactory.
    pub counts: Vec<usize>,
    /// The areas that evaluated it.
    pub areas: usize,
    /// Those evaluated good or better.
    pub good: usize,
    /// The share good or better ("75%"); none for fewer than five areas.
    pub percent: Option<String>,
    /// Its Wilson score 95% interval ("41% to 93%"); none for fewer than five areas.
    pub interval: Option<String>,
}

/// A total of the published inspections.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Total {
    /// `children_young_people`, `parents_carers`, `staff`, `focus_groups`,
    /// `observations`, `site_visits`, `records_read` or `survey_returns`.
    pub key: String,
    /// What it counts: "Children and young people met".
    pub label: String,
    /// As printed: "1,204", or "fewer than five" for a small count of people.
    pub value: String,
    /// The inspections that gave it.
    pub inspections: usize,
}

/// The recommendations that follow from one indicator.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Theme {
    pub qi: String,
    pub title: String,
    pub items: Vec<Recommended>,
}

/// One recommendation, with the area it was made to.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Recommended {
    pub area: String,
    pub id: String,
    pub text: String,
}

/// The review of the programme as it stands.
pub fn review(p: &Programme) -> Review {
    let m = Methodology::default();
    let with = |s: Status| -> Vec<(&Member, &Report)> {
        p.members
            .iter()
            .filter_map(|mb| mb.ws.report.as_ref().map(|r| (mb, r)))
            .filter(|(_, r)| r.findings.status == s)
            .collect()
    };
    let (published, drafts) = (with(Status::Final), with(Status::Draft));
    let area = |mb: &Member| Area {
        area: mb.ws.inspection.area.clone(),
        reference: mb.ws.inspection.reference.clone(),
        folder: mb.folder.clone(),
    };
    Review {
        programme: p.name().to_string(),
        published: published.iter().map(|(mb, _)| area(mb)).collect(),
        drafts: drafts.iter().map(|(mb, _)| area(mb)).collect(),
        without_findings: p.members.iter().filter(|mb| mb.ws.report.is_none()).map(area).collect(),
        scale: Grade::ALL.iter().map(|g| g.word()).collect(),
        indicators: indicators(&published, &m),
        draft_indicators: indicators(&drafts, &m),
        totals: totals(&published, &m),
        recommendations: themes(&published),
    }
}

/// The indicators' order: by the numbers of their code ("1.1" before "10.1").
fn qi_key(qi: &str) -> Vec<u32> {
    qi.split('.').map(|n| n.trim().parse().unwrap_or(u32::MAX)).collect()
}

/// Each indicator evaluated by any of `reports`, with its counts on the scale.
pub fn indicators(reports: &[(&Member, &Report)], m: &Methodology) -> Vec<Indicator> {
    let mut by: BTreeMap<Vec<u32>, (String, String, Vec<u8>)> = BTreeMap::new();
    for (_, r) in reports {
        for e in &r.findings.evaluations {
            by.entry(qi_key(&e.qi))
                .or_insert_with(|| (e.qi.clone(), e.title.clone(), Vec::new()))
                .2
                .push(e.evaluation.points());
        }
    }
    by.into_values()
        .map(|(qi, title, points)| {
            let r = result(points.iter().map(|p| Some(*p)), m);
            Indicator {
                qi,
                title,
                counts: Grade::ALL
                    .iter()
                    .map(|g| points.iter().filter(|p| **p == g.points()).count())
                    .collect(),
                areas: r.n,
                good: r.good,
                percent: r.percent.map(|p| format!("{p:.0}%")),
                interval: r.interval.map(|(lo, hi)| format!("{lo:.0}% to {hi:.0}%")),
            }
        })
        .collect()
}

/// The evidence, the records read and the survey's returns, added up.
fn totals(reports: &[(&Member, &Report)], m: &Methodology) -> Vec<Total> {
    // key -> (label, people?, sum, inspections)
    let mut sums: Vec<(&str, &str, bool, usize, usize)> = vec![
        ("children_young_people", "Children and young people met", true, 0, 0),
        ("parents_carers", "Parents and carers met", true, 0, 0),
        ("staff", "Staff met", true, 0, 0),
        ("focus_groups", "Focus groups", false, 0, 0),
        ("observations", "Observations of practice", false, 0, 0),
        ("site_visits", "Site visits", false, 0, 0),
        ("records_read", "Children's records read", true, 0, 0),
        ("survey_returns", "Staff survey returns", true, 0, 0),
    ];
    let mut add = |key: &str, n: usize| {
        if let Some(s) = sums.iter_mut().find(|s| s.0 == key) {
            s.3 += n;
            s.4 += 1;
        }
    };
    for (_, r) in reports {
        for (key, n, _) in r.findings.evidence.counts() {
            add(key, n as usize);
        }
        if !r.readings.is_empty() {
            let read: std::collections::BTreeSet<&str> = r.readings.iter().map(|x| x.case_ref.as_str()).collect();
            add("records_read", read.len());
        }
        if !r.survey.is_empty() {
            add("survey_returns", crate::workspace::survey::returns(&r.survey));
        }
    }
    sums.into_iter()
        .filter(|s| s.4 > 0)
        .map(|(key, label, people, n, inspections)| Total {
            key: key.into(),
            label: label.into(),
            value: if people {
                m.count(n, Place::Cell)
            } else {
                crate::base::text::thousands(n)
            },
            inspections,
        })
        .collect()
}

/// The recommendations under each indicator they follow from.
fn themes(reports: &[(&Member, &Report)]) -> Vec<Theme> {
    let mut by: BTreeMap<Vec<u32>, Theme> = BTreeMap::new();
    for (mb, r) in reports {
        for rec in &r.findings.recommendations {
            for qi in &rec.qi {
                let title = r
                    .findings
                    .evaluations
                    .iter()
                    .find(|e| &e.qi == qi)
                    .map(|e| e.title.clone())
                    .unwrap_or_default();
                let theme = by.entry(qi_key(qi)).or_insert_with(|| Theme {
                    qi: qi.clone(),
                    title,
                    items: Vec::new(),
                });
                theme.items.push(Recommended {
                    area: mb.ws.inspection.area.clone(),
                    id: rec.id.clone(),
                    text: rec.text.clone(),
                });
            }
        }
    }
    by.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicators_sort_by_their_numbers() {
        let mut qis = vec!["10.1", "2.1", "1.1", "9.4"];
        qis.sort_by_key(|q| qi_key(q));
        assert_eq!(qis, ["1.1", "2.1", "9.4", "10.1"]);
    }
}
