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
    let mut put = |key: &str, start, end| {
        if let Some(step) = Step::from_key(key) {
            dates.insert(step, Span { start, end });
        }
    };
    // An issue that holds no schedule: the dates its documents state.
    if issue.schedule.is_empty() {
        for doc in &issue.documents {
            for (key, d) in &doc.facts.dates {
                put(key, d.start, d.end);
            }
        }
    }
    for (key, d) in &issue.schedule {
        put(key, d.start, d.end);
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

/// Where a step stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// A phase or event that has ended.
    Done,
    /// A document the team sends, sent.
    Sent,
    /// Within the coming week (or today, or under way).
    Due,
    /// Its day has passed and it has not been sent, or has not come back.
    Overdue,
    /// Later than the coming week.
    Awaited,
    /// What the partnership sends, come back.
    Received,
}

/// A step's state on a day: `scrutiny status --json` gives a list of these.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StepState {
    pub key: Step,
    pub label: &'static str,
    /// Its (first) day.
    pub date: chrono::NaiveDate,
    pub state: State,
    /// Working days late, when overdue.
    pub late_days: Option<usize>,
    /// The day it came back, when received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received: Option<chrono::NaiveDate>,
}

/// How far ahead a step is "due" rather than "awaited": the coming week.
const WEEK: u64 = 7;

/// Every step's state on `on`, in the order of the timeline: what the team
/// sends is sent once what was sent fixes it; what comes back is received
/// once `received` says so; the rest is done once it has ended.
pub fn status(
    schedule: &Schedule,
    cal: &crate::rules::calendar::Calendar,
    received: &crate::model::received::Received,
    on: chrono::NaiveDate,
) -> Vec<StepState> {
    let soon = on + chrono::Days::new(WEEK);
    schedule
        .steps()
        .into_iter()
        .map(|s| {
            let back = crate::model::received::Received::key_for_step(s.step.key()).map(|k| received.last(k));
            let late = || cal.working_days(cal.next(s.end), on).len();
            let (state, late_days) = match back {
                Some(Some(_)) => (State::Received, None),
                _ if OWN.contains(&s.step)
                    && matches!(schedule.origin(s.step), Some(crate::rules::schedule::Origin::Sent(_))) =>
                {
                    (State::Sent, None)
                }
                _ if s.end < on && (back.is_some() || OWN.contains(&s.step)) => (State::Overdue, Some(late())),
                _ if s.end < on => (State::Done, None),
                _ if s.start <= soon => (State::Due, None),
                _ => (State::Awaited, None),
            };
            StepState {
                key: s.step,
                label: s.label,
                date: s.start,
                state,
                late_days,
                received: back.flatten(),
            }
        })
        .collect()
}
