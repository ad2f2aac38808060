//! What was sent is fact: the dates an issued document bore, and those that
//! had passed when it was sent, are not the rules' to move again.

use std::collections::BTreeMap;

use crate::model::issued::{Days, Issue};
use crate::rules::schedule::{Fixed, Schedule, Span, Step};

/// The steps a document bears as its own date: the notice's, the
/// briefings', the requests', the survey's, the draft report's and the
/// publication's.
pub const OWN: [Step; 6] = [
    Step::Notification,
    Step::Briefings,
    Step::SampleDrawn,
    Step::SurveyOpens,
    Step::ReportForComment,
    Step::Publication,
];

/// The dates fixed by `issues` (in any order): each step an issued document
/// bore as its own date, and each step that had begun by the day of an
/// issue, keeps the dates it had then. The period of the records asked for
/// follows the phase that reads them, and is never fixed alone.
pub fn fixed(issues: &[Issue]) -> Fixed {
    let mut issues: Vec<&Issue> = issues.iter().collect();
    issues.sort_by_key(|i| i.issued);
    let mut fixed = Fixed::default();
    // A record of acceptances alone sent nothing.
    for issue in issues.into_iter().filter(|i| !i.documents.is_empty()) {
        let dates = dates_then(issue);
        for (&step, &span) in &dates {
            if step != Step::RecordsWindow && span.start <= issue.issued {
                fixed.sent(step, span, issue.issued);
            }
        }
        for date in issue.documents.iter().filter_map(|d| d.date) {
            for step in OWN {
                if let Some(&span) = dates.get(&step).filter(|s| s.start == date) {
                    fixed.sent(step, span, issue.issued);
                }
            }
        }
    }
    fixed
}

/// Each step's dates when `issue` was sent: as it recorded them, or (a
/// record from before they were kept) as its documents stated them.
fn dates_then(issue: &Issue) -> BTreeMap<Step, Span> {
    let mut dates = BTreeMap::new();
    if issue.schedule.is_empty() {
        for doc in &issue.documents {
            for (key, d) in &doc.facts.dates {
                if let Some(step) = Step::from_key(key) {
                    dates.insert(
                        step,
                        Span {
                            start: d.start,
                            end: d.end,
                        },
                    );
                }
            }
        }
    }
    for (key, d) in &issue.schedule {
        if let Some(step) = Step::from_key(key) {
            dates.insert(
                step,
                Span {
                    start: d.start,
                    end: d.end,
                },
            );
        }
    }
    dates
}

/// Every step's dates, as an issue records them.
pub fn record_of(schedule: &Schedule) -> BTreeMap<String, Days> {
    Step::ALL
        .iter()
        .map(|&step| {
            let Span { start, end } = schedule.span(step);
            (step.key().to_string(), Days { start, end })
        })
        .collect()
}
