//! The inspection's timeline on working days, exactly as the workspace format
//! specifies it: a date for each [`Step`], computed by plain functions of the
//! settings and a [`Calendar`].

use std::collections::BTreeMap;

use chrono::{Days, Months, NaiveDate};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::base::text::date_short;
use crate::model::Inspection;
use crate::rules::calendar::Calendar;
pub use crate::rules::step::{Shape, Step};

/// A run of working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Span {
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
}

impl Span {
    /// A single day, as a run of one.
    pub fn day(date: NaiveDate) -> Span {
        Span { start: date, end: date }
    }

    /// As tables print it: "Mon 4 Mar 2013", or "Mon 4 Mar 2013 to Wed 6 Mar 2013".
    pub fn short(&self) -> String {
        if self.start == self.end {
            date_short(self.start)
        } else {
            format!("{} to {}", date_short(self.start), date_short(self.end))
        }
    }
}

/// Every dated step of the inspection: its first and last day by [`Step`]
/// (a day has start = end). Serialises to exactly the keys of
/// `scrutiny schedule --json`, in [`Step::KEY_ORDER`]: a day as a date, a
/// run of days as `{"start", "end"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    spans: [Span; Step::COUNT],
    /// Where each date not the rules' came from.
    origins: [Option<Origin>; Step::COUNT],
}

/// Where a step's date comes from when it is not the rule's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Set by hand in `inspection.toml` (`[schedule]`, or `notification`).
    Set,
    /// Fixed by what was sent: a document issued on this day bore it, or it
    /// had passed by then.
    Sent(NaiveDate),
}

/// The dates that are not the rules' to move: what was sent fixes the date
/// it bore (see [`crate::rules::history`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fixed {
    steps: BTreeMap<Step, (Span, NaiveDate)>,
}

impl Fixed {
    /// `step` keeps `span`, as sent on `on` (a later call for a step wins).
    pub fn sent(&mut self, step: Step, span: Span, on: NaiveDate) {
        self.steps.insert(step, (span, on));
    }

    /// The dates fixed for `step` and the day they were sent.
    pub fn get(&self, step: Step) -> Option<(Span, NaiveDate)> {
        self.steps.get(&step).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// What can make a schedule impossible; the loader turns these into located problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    CommencementNotWorkingDay(NaiveDate),
    /// The notice is too short; `sent` when the notice went out that day.
    NoticeTooShort {
        given: NaiveDate,
        latest: NaiveDate,
        sent: Option<NaiveDate>,
    },
    CoreDays(u32),
    PhaseThreeStart {
        given: NaiveDate,
        earliest: NaiveDate,
    },
    CoreStart {
        given: NaiveDate,
        earliest: NaiveDate,
    },
    Months(u32),
    /// A day set by hand in `[schedule]` that is not a working day.
    NotWorkingDay {
        step: Step,
        date: NaiveDate,
    },
    /// Two steps out of the methodology's order, one of them set by hand or sent.
    Order(Order),
}

/// Two steps out of order: `later` should come after `earlier`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub earlier: (Step, NaiveDate, Option<Origin>),
    pub later: (Step, NaiveDate, Option<Origin>),
    /// Why the one follows the other, in words.
    pub why: &'static str,
}

/// The methodology's order of the steps a lead may set or that may be sent:
/// the first ends before the second starts.
const ORDER: &[(Step, Step, &str)] = &[
    (Step::Notification, Step::Briefings, "the briefings follow the notice"),
    (
        Step::Briefings,
        Step::PopulationListDue,
        "the population list is asked for at the briefings",
    ),
    (
        Step::PopulationListDue,
        Step::SampleDrawn,
        "the sample is drawn from the population list",
    ),
    (
        Step::SampleDrawn,
        Step::RequestsConfirmBy,
        "record holders confirm the records the sample asks them for",
    ),
    (
        Step::SampleDrawn,
        Step::PhaseThree,
        "scoping phase three reads the records the sample asks for",
    ),
    (Step::SurveyOpens, Step::SurveyDue, "the survey opens before it closes"),
    (
        Step::SurveyDue,
        Step::PhaseTwo,
        "the survey's results inform scoping phase two",
    ),
    (
        Step::PositionStatementsDue,
        Step::PhaseTwo,
        "the position statements inform scoping phase two",
    ),
    (
        Step::SelfEvaluationDue,
        Step::PhaseTwo,
        "the self-evaluation informs scoping phase two",
    ),
    (
        Step::Core,
        Step::ReportForComment,
        "the report is written after the core phase",
    ),
    (
        Step::ReportForComment,
        Step::CommentsDue,
        "comments are made on the draft report",
    ),
    (Step::CommentsDue, Step::Publication, "comments come before publication"),
    (
        Step::CommentsDue,
        Step::CommentsDecided,
        "the team decides on the comments once they are in",
    ),
    (
        Step::CommentsDecided,
        Step::Publication,
        "the decisions on comments are sent by publication",
    ),
    (
        Step::ReportForComment,
        Step::ActionPlanDue,
        "the action plan answers the report",
    ),
];

/// The pairs of [`ORDER`] that may fall on the same day: decisions on late
/// comments may go out on the day of publication (`check` warns of it).
const SAME_DAY: &[(Step, Step)] = &[(Step::CommentsDecided, Step::Publication)];

// The methodology's periods, in the units the schedule counts in.
use crate::rules::methodology as m;
const NOTICE_DAYS: u64 = m::NOTICE_WEEKS * 7;
const BRIEFING_DAYS: u64 = m::BRIEFING_WEEKS * 7;
const REPORT_DAYS: u64 = m::COMMENT_WEEKS * 7;
const PUBLICATION_DAYS: u64 = m::PUBLICATION_WEEKS * 7;
const ACTION_PLAN_DAYS: u64 = m::ACTION_PLAN_WEEKS * 7;
use m::{
    COMMENTS_BEFORE_PUBLICATION_WORKING_DAYS, CONFIRM_WORKING_DAYS, DISCUSSION_ONE_WORKING_DAYS, MAX_CORE_DAYS,
    PHASE_THREE_DAYS, PHASE_TWO_DAYS, POPULATION_LIST_WORKING_DAYS, POSITION_STATEMENT_WORKING_DAYS,
    SURVEY_OPEN_WORKING_DAYS, SURVEY_WORKING_DAYS,
};

/// The three on-site phases, from which every other date follows.
struct OnSite {
    phase_two: Span,
    phase_three: Span,
    core: Span,
}

impl Schedule {
    /// The calendar an inspection's dates are counted on.
    pub fn calendar_for(inspection: &Inspection) -> Calendar {
        Calendar::around(inspection.commencement, inspection.schedule.holidays.iter().copied())
    }

    /// Computes the timeline, or every reason it cannot be computed.
    pub fn compute(inspection: &Inspection, cal: &Calendar) -> Result<Schedule, Vec<ScheduleError>> {
        Schedule::compute_with(inspection, cal, &Fixed::default())
    }

    /// Computes the timeline around what was sent (`fixed`) and the days set
    /// by hand, or every reason it cannot be computed: a day set by hand
    /// wins over one sent, which wins over the rule's.
    pub fn compute_with(
        inspection: &Inspection,
        cal: &Calendar,
        fixed: &Fixed,
    ) -> Result<Schedule, Vec<ScheduleError>> {
        let mut errors = Vec::new();
        let given = Given::new(inspection, fixed, cal, &mut errors);
        let s = &inspection.schedule;
        let commencement = inspection.commencement;
        if !cal.is_working_day(commencement) {
            errors.push(ScheduleError::CommencementNotWorkingDay(commencement));
        }
        let latest_notice = commencement - Days::new(NOTICE_DAYS);
        let notification = match given.day(Step::Notification) {
            Some(given_day) if given_day > latest_notice => {
                let sent = match given.origin(Step::Notification) {
                    Some(Origin::Sent(on)) => Some(on),
                    _ => None,
                };
                errors.push(ScheduleError::NoticeTooShort {
                    given: given_day,
                    latest: latest_notice,
                    sent,
                });
                given_day
            }
            Some(given_day) => given_day,
            None => cal.on_or_before(latest_notice),
        };
        let core_days = s.core_days.unwrap_or(MAX_CORE_DAYS);
        if !(1..=MAX_CORE_DAYS).contains(&core_days) {
            errors.push(ScheduleError::CoreDays(core_days));
        }
        if inspection.records.months == 0 {
            errors.push(ScheduleError::Months(0));
        }

        let two_start = given.day(Step::PhaseTwo).unwrap_or(commencement);
        let phase_two = Span {
            start: two_start,
            end: cal.span_end(two_start, PHASE_TWO_DAYS),
        };
        let earliest_three = cal.next(phase_two.end);
        let three_start = phase_start(
            s.phase_three_start.or(given.sent_day(Step::PhaseThree)),
            earliest_three,
            cal,
            &mut errors,
            |given, earliest| ScheduleError::PhaseThreeStart { given, earliest },
        );
        let phase_three = Span {
            start: three_start,
            end: cal.span_end(three_start, PHASE_THREE_DAYS),
        };
        let earliest_core = cal.next(phase_three.end);
        let core_start = phase_start(
            s.core_start.or(given.sent_day(Step::Core)),
            earliest_core,
            cal,
            &mut errors,
            |given, earliest| ScheduleError::CoreStart { given, earliest },
        );
        let core = Span {
            start: core_start,
            end: cal.span_end(core_start, core_days.min(MAX_CORE_DAYS)),
        };
        let on_site = OnSite {
            phase_two,
            phase_three,
            core,
        };
        // Every reason at once: what is out of order is said with what is impossible.
        let schedule = Schedule::around(inspection, cal, notification, &on_site, &given);
        errors.extend(schedule.out_of_order());
        if errors.is_empty() {
            Ok(schedule)
        } else {
            Err(errors)
        }
    }

    /// Working days partners have to comment on the draft (after the day it
    /// is sent, up to and including the day comments are due), and working
    /// days the team has to decide on them before publication.
    pub fn comment_days(&self, cal: &Calendar) -> (usize, usize) {
        let sent = self.day(Step::ReportForComment);
        let due = self.day(Step::CommentsDue);
        let published = self.day(Step::Publication);
        let partners = cal.working_days(cal.next(sent), due).len();
        let team = if cal.next(due) < published {
            cal.working_days(cal.next(due), cal.previous(published)).len()
        } else {
            0
        };
        (partners, team)
    }

    /// Every other date, from the notice and the three on-site phases: each
    /// step's rule, once, unless its date is given.
    fn around(
        inspection: &Inspection,
        cal: &Calendar,
        notification: NaiveDate,
        on_site: &OnSite,
        given: &Given,
    ) -> Schedule {
        let commencement = inspection.commencement;
        let OnSite {
            phase_two,
            phase_three,
            core,
        } = *on_site;
        let or = |step: Step, computed: NaiveDate| given.day(step).unwrap_or(computed);
        let report_for_comment = or(
            Step::ReportForComment,
            cal.on_or_before(core.end + Days::new(REPORT_DAYS)),
        );
        let briefings = or(
            Step::Briefings,
            cal.on_or_after(notification + Days::new(BRIEFING_DAYS)),
        );
        let position_statements_due = or(
            Step::PositionStatementsDue,
            cal.working_days_before(commencement, POSITION_STATEMENT_WORKING_DAYS),
        );
        let publication = or(
            Step::Publication,
            cal.on_or_after(report_for_comment + Days::new(PUBLICATION_DAYS)),
        );
        let comments_due = or(
            Step::CommentsDue,
            cal.working_days_before(publication, COMMENTS_BEFORE_PUBLICATION_WORKING_DAYS),
        );
        let population_list_due = or(
            Step::PopulationListDue,
            cal.working_days_after(briefings, POPULATION_LIST_WORKING_DAYS),
        );
        // The sample can be drawn only once the list it is drawn from has come.
        let sample_drawn = or(Step::SampleDrawn, cal.next(population_list_due));
        let survey_due = or(
            Step::SurveyDue,
            cal.working_days_before(commencement, SURVEY_WORKING_DAYS),
        );
        let day = Span::day;
        let computed = Schedule::of(|step| match step {
            Step::Notification => day(notification),
            Step::Briefings => day(briefings),
            Step::CareInspectionsBy => day(cal.previous(commencement)),
            Step::PositionStatementsDue => day(position_statements_due),
            Step::PhaseTwo => phase_two,
            Step::PhaseThree => phase_three,
            Step::Core => core,
            Step::Conclusion => day(core.end),
            Step::ReportForComment => day(report_for_comment),
            Step::Publication => day(publication),
            Step::ActionPlanDue => day(cal.on_or_before(report_for_comment + Days::new(ACTION_PLAN_DAYS))),
            Step::RecordsWindow => records_window(inspection, phase_three.start),
            Step::ScopingPhaseOne => Span {
                start: briefings,
                end: cal.previous(commencement),
            },
            Step::PopulationListDue => day(population_list_due),
            Step::SurveyDue => day(survey_due),
            // Never sooner than a week after the letters asking for the records are sent.
            Step::RequestsConfirmBy => day(cal
                .working_days_after(sample_drawn, CONFIRM_WORKING_DAYS)
                .max(position_statements_due)),
            Step::CommentsDue => day(comments_due),
            // A date given for it wins below, as for every single day.
            Step::CommentsDecided => day(cal.next(comments_due)),
            Step::SampleDrawn => day(sample_drawn),
            Step::SelfEvaluationDue => day(position_statements_due),
            Step::SurveyOpens => day(cal.working_days_before(survey_due, SURVEY_OPEN_WORKING_DAYS)),
            Step::DiscussionOne => day(cal.working_days_before(commencement, DISCUSSION_ONE_WORKING_DAYS)),
            Step::DiscussionTwo => day(phase_two.end),
            Step::DiscussionThree => day(phase_three.end),
        });
        // The days given that no rule above reads.
        let mut schedule = Schedule::of(|step| match (step.shape(), given.day(step)) {
            (Shape::Day, Some(d)) => day(d),
            _ => computed.span(step),
        });
        schedule.origins = Step::ALL.map(|step| given.origin(step));
        schedule
    }

    /// The schedule with each step's dates as `dates` gives them.
    fn of(dates: impl Fn(Step) -> Span) -> Schedule {
        Schedule {
            spans: Step::ALL.map(dates),
            origins: [None; Step::COUNT],
        }
    }

    /// Where a step's date came from, when it is not the rule's.
    pub fn origin(&self, step: Step) -> Option<Origin> {
        self.origins[step as usize]
    }

    /// The steps out of the methodology's order where one of the two was
    /// set by hand or sent (the rules' own dates are in order by construction).
    fn out_of_order(&self) -> Vec<ScheduleError> {
        ORDER
            .iter()
            .filter(|(a, b, _)| self.origin(*a).is_some() || self.origin(*b).is_some())
            .filter(|(a, b, _)| {
                let (end, start) = (self.span(*a).end, self.span(*b).start);
                end > start || (end == start && !SAME_DAY.contains(&(*a, *b)))
            })
            .map(|&(a, b, why)| {
                ScheduleError::Order(Order {
                    earlier: (a, self.span(a).end, self.origin(a)),
                    later: (b, self.span(b).start, self.origin(b)),
                    why,
                })
            })
            .collect()
    }

    /// The first and last day of a step (a day has start = end).
    pub fn span(&self, step: Step) -> Span {
        self.spans[step as usize]
    }

    /// The date of a step that is one day.
    pub fn day(&self, step: Step) -> NaiveDate {
        debug_assert_eq!(step.shape(), Shape::Day, "{} is a run of days", step.key());
        self.spans[step as usize].start
    }

    /// When the request for a position statement due on `due` is sent: with the
    /// briefings, unless that leaves under two weeks to write it; then with the notice.
    pub fn position_statement_sent(&self, cal: &Calendar, due: NaiveDate) -> NaiveDate {
        let briefings = self.day(Step::Briefings);
        if cal.working_days(briefings, due).len() > 10 {
            briefings
        } else {
            self.day(Step::Notification)
        }
    }

    /// The dates a date given on the command line (`issue --date`, an
    /// import's `--received`) may be: from a year before the notice to five
    /// years after publication. A date outside is a slip of the keyboard.
    pub fn plausible(&self) -> (NaiveDate, NaiveDate) {
        (
            self.day(Step::Notification) - Months::new(12),
            self.day(Step::Publication) + Months::new(12 * 5),
        )
    }

    /// `date`, given on the command line as `argument`, when it is
    /// [plausible](Self::plausible); else a command-line error naming the
    /// argument, the date and the dates it may be.
    pub fn date_argument(&self, argument: &str, date: NaiveDate) -> crate::base::error::Result<NaiveDate> {
        let (earliest, latest) = self.plausible();
        if (earliest..=latest).contains(&date) {
            return Ok(date);
        }
        Err(crate::base::error::Error::new(
            crate::base::error::ErrorKind::Refused,
            format!(
                "{argument} {date} is outside this inspection's years: give a date from {} \
                 (a year before the notice) to {} (five years after publication)",
                crate::base::text::date_words(earliest),
                crate::base::text::date_words(latest)
            ),
        ))
    }

    /// The 13 (or fewer, with a shorter core phase) on-site days.
    pub fn on_site_days(&self, cal: &Calendar) -> Vec<NaiveDate> {
        Step::ON_SITE
            .iter()
            .map(|&step| self.span(step))
            .flat_map(|s| cal.working_days(s.start, s.end))
            .collect()
    }

    /// Every step in date order (a step starting on the same day as another
    /// keeps the order of [`Step`]), each with its key and its one label.
    pub fn steps(&self) -> Vec<DatedStep> {
        let mut steps: Vec<DatedStep> = Step::ALL
            .iter()
            .map(|&step| {
                let Span { start, end } = self.span(step);
                DatedStep {
                    step,
                    label: step.label(),
                    start,
                    end,
                }
            })
            .collect();
        steps.sort_by_key(|s| s.start);
        steps
    }

    /// The human table of `scrutiny schedule`.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        for step in self.steps() {
            let when = Span {
                start: step.start,
                end: step.end,
            }
            .short();
            out.push_str(&format!("{:<34}  {:<24}  {}\n", when, step.step.key(), step.label));
        }
        out
    }
}

/// `scrutiny schedule --json` and the templates' `schedule`: each step by its
/// key, in [`Step::KEY_ORDER`].
impl Serialize for Schedule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(Step::COUNT))?;
        for step in Step::KEY_ORDER {
            match step.shape() {
                Shape::Day => map.serialize_entry(step.key(), &self.day(step))?,
                Shape::Span => map.serialize_entry(step.key(), &self.span(step))?,
            }
        }
        map.end()
    }
}

/// The templates' `schedule`, for `REFERENCE.md`: each step a date or a run
/// of days, described by its note.
impl JsonSchema for Schedule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Schedule".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut properties = serde_json::Map::new();
        for step in Step::KEY_ORDER {
            let mut schema = match step.shape() {
                Shape::Day => generator.subschema_for::<NaiveDate>(),
                Shape::Span => generator.subschema_for::<Span>(),
            };
            if let Some(note) = step.note() {
                schema.insert("description".into(), note.into());
            }
            properties.insert(step.key().into(), schema.into());
        }
        let required: Vec<&str> = Step::KEY_ORDER.iter().map(|s| s.key()).collect();
        json_schema!({
            "description": "Every dated step of the inspection, by its key.",
            "type": "object",
            "properties": properties,
            "required": required,
        })
    }
}

/// One dated step of the timeline.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DatedStep {
    /// The step's key in `schedule`: "core".
    #[serde(rename = "key")]
    pub step: Step,
    /// The step's one label, as `scrutiny schedule` prints it.
    pub label: &'static str,
    /// Its first day (a single date has start = end).
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
}

/// The days not the rules' to compute: set by hand, else sent.
struct Given {
    days: BTreeMap<Step, (NaiveDate, Origin)>,
}

impl Given {
    /// The days set in `inspection.toml` (a weekend or holiday is an error)
    /// over those `fixed` by what was sent (a run of days by its first day).
    fn new(inspection: &Inspection, fixed: &Fixed, cal: &Calendar, errors: &mut Vec<ScheduleError>) -> Given {
        let mut days = BTreeMap::new();
        for (&step, &(span, on)) in &fixed.steps {
            days.insert(step, (span.start, Origin::Sent(on)));
        }
        for (key, date) in inspection.schedule.days_set() {
            let step = Step::from_key(key).expect("every key of [schedule] is a step's");
            if !cal.is_working_day(date) {
                errors.push(ScheduleError::NotWorkingDay { step, date });
            }
            days.insert(step, (date, Origin::Set));
        }
        if let Some(n) = inspection.notification {
            days.insert(Step::Notification, (n, Origin::Set));
        }
        let s = &inspection.schedule;
        for (step, set) in [(Step::PhaseThree, s.phase_three_start), (Step::Core, s.core_start)] {
            if let Some(d) = set {
                days.insert(step, (d, Origin::Set));
            }
        }
        Given { days }
    }

    /// The day given for `step` (a run of days: its first).
    fn day(&self, step: Step) -> Option<NaiveDate> {
        self.days.get(&step).map(|d| d.0)
    }

    /// The day sent for `step`, when it was not set by hand.
    fn sent_day(&self, step: Step) -> Option<NaiveDate> {
        match self.days.get(&step) {
            Some((d, Origin::Sent(_))) => Some(*d),
            _ => None,
        }
    }

    fn origin(&self, step: Step) -> Option<Origin> {
        self.days.get(&step).map(|d| d.1)
    }
}

/// A phase's first day: as given, when it is a working day no earlier than
/// `earliest` (else an error made by `error`), or `earliest`.
fn phase_start(
    given: Option<NaiveDate>,
    earliest: NaiveDate,
    cal: &Calendar,
    errors: &mut Vec<ScheduleError>,
    error: impl Fn(NaiveDate, NaiveDate) -> ScheduleError,
) -> NaiveDate {
    match given {
        Some(given) if given < earliest || !cal.is_working_day(given) => {
            errors.push(error(given, earliest));
            given
        }
        Some(given) => given,
        None => earliest,
    }
}

/// The records requested: `records.months` back from the first day of
/// scoping phase three (chrono clamps to the month's last day: 31 August
/// minus 6 months is 28 or 29 February).
fn records_window(inspection: &Inspection, phase_three_start: NaiveDate) -> Span {
    Span {
        start: phase_three_start
            .checked_sub_months(Months::new(inspection.records.months))
            .unwrap_or(NaiveDate::MIN),
        end: phase_three_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn inspection(toml_text: &str) -> Inspection {
        let base = r#"
reference = "T"
area = "A"
cpp = "C"
lead = { name = "L" }
depute = { name = "D" }
"#;
        toml::from_str(&format!("{base}\n{toml_text}")).unwrap()
    }

    #[test]
    fn glenaird_2013_schedule() {
        let i = inspection("commencement = 2013-03-04\n[schedule]\nholidays = [2013-04-01]");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        // 4 March 2013 less 84 days is Monday 10 December 2012.
        assert_eq!(s.day(Step::Notification), ymd(2012, 12, 10));
        assert_eq!(s.day(Step::Briefings), ymd(2013, 1, 21));
        assert_eq!(s.day(Step::CareInspectionsBy), ymd(2013, 3, 1));
        assert_eq!(s.day(Step::PositionStatementsDue), ymd(2013, 2, 18));
        assert_eq!(
            s.span(Step::PhaseTwo),
            Span {
                start: ymd(2013, 3, 4),
                end: ymd(2013, 3, 6)
            }
        );
        assert_eq!(
            s.span(Step::PhaseThree),
            Span {
                start: ymd(2013, 3, 7),
                end: ymd(2013, 3, 13)
            }
        );
        assert_eq!(
            s.span(Step::Core),
            Span {
                start: ymd(2013, 3, 14),
                end: ymd(2013, 3, 20)
            }
        );
        assert_eq!(s.day(Step::Conclusion), ymd(2013, 3, 20));
        // 3 April; the local Easter Monday holiday does not touch it.
        assert_eq!(s.day(Step::ReportForComment), ymd(2013, 4, 3));
        assert_eq!(s.day(Step::Publication), ymd(2013, 4, 17));
        assert_eq!(s.day(Step::ActionPlanDue), ymd(2013, 5, 15));
        assert_eq!(
            s.span(Step::RecordsWindow),
            Span {
                start: ymd(2011, 9, 7),
                end: ymd(2013, 3, 7)
            }
        );
        assert_eq!(s.on_site_days(&cal).len(), 13);
        // Phase one ends on Friday 1 March, not on Sunday 3 March.
        assert_eq!(
            s.span(Step::ScopingPhaseOne),
            Span {
                start: ymd(2013, 1, 21),
                end: ymd(2013, 3, 1)
            }
        );
        // 10 working days after Mon 21 Jan.
        assert_eq!(s.day(Step::PopulationListDue), ymd(2013, 2, 4));
        // 15 working days before Mon 4 Mar.
        assert_eq!(s.day(Step::SurveyDue), ymd(2013, 2, 11));
        // The sample is drawn the working day after the list comes (Tue 5 Feb);
        // holders confirm by the later of five working days on and the statements.
        assert_eq!(s.day(Step::SampleDrawn), ymd(2013, 2, 5));
        assert_eq!(s.day(Step::RequestsConfirmBy), ymd(2013, 2, 18));
        assert_eq!(s.day(Step::SelfEvaluationDue), s.day(Step::PositionStatementsDue));
        // Ten working days before the survey closes; five before commencement.
        assert_eq!(s.day(Step::SurveyOpens), ymd(2013, 1, 28));
        assert_eq!(s.day(Step::DiscussionOne), ymd(2013, 2, 25));
        assert_eq!(
            (s.day(Step::DiscussionTwo), s.day(Step::DiscussionThree)),
            (s.span(Step::PhaseTwo).end, s.span(Step::PhaseThree).end)
        );
        // Three working days before publication (Wed 17 Apr); the decisions the next working day.
        assert_eq!(s.day(Step::CommentsDue), ymd(2013, 4, 12));
        assert_eq!(s.day(Step::CommentsDecided), ymd(2013, 4, 15));
        // Partners have seven working days to comment; the team two to decide.
        assert_eq!(s.comment_days(&cal), (7, 2));
    }

    #[test]
    fn the_json_has_every_key_in_its_first_order() {
        // `scrutiny schedule --json` of the worked example, as the first versions printed it.
        let i = inspection("commencement = 2013-03-04");
        let s = Schedule::compute(&i, &Schedule::calendar_for(&i)).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"notification":"2012-12-10","briefings":"2013-01-21","care_inspections_by":"2013-03-01","#.to_owned()
                + r#""position_statements_due":"2013-02-18","phase_two":{"start":"2013-03-04","end":"2013-03-06"},"#
                + r#""phase_three":{"start":"2013-03-07","end":"2013-03-13"},"#
                + r#""core":{"start":"2013-03-14","end":"2013-03-20"},"conclusion":"2013-03-20","#
                + r#""report_for_comment":"2013-04-03","publication":"2013-04-17","action_plan_due":"2013-05-15","#
                + r#""records_window":{"start":"2011-09-07","end":"2013-03-07"},"#
                + r#""scoping_phase_one":{"start":"2013-01-21","end":"2013-03-01"},"#
                + r#""population_list_due":"2013-02-04","survey_due":"2013-02-11","requests_confirm_by":"2013-02-18","#
                + r#""comments_due":"2013-04-12","sample_drawn":"2013-02-05","self_evaluation_due":"2013-02-18","#
                + r#""survey_opens":"2013-01-28","discussion_one":"2013-02-25","discussion_two":"2013-03-06","#
                + r#""discussion_three":"2013-03-13","comments_decided":"2013-04-15"}"#
        );
    }

    #[test]
    fn a_date_on_the_command_line_is_within_the_inspections_years() {
        let i = inspection("commencement = 2013-03-04");
        let s = Schedule::compute(&i, &Schedule::calendar_for(&i)).unwrap();
        assert_eq!(s.plausible(), (ymd(2011, 12, 10), ymd(2018, 4, 17)));
        assert!(s.date_argument("--date", ymd(2012, 12, 10)).is_ok());
        assert!(s.date_argument("--date", ymd(2018, 4, 17)).is_ok());
        let far = NaiveDate::from_ymd_opt(99999, 1, 1).unwrap();
        let e = s.date_argument("--date", far).unwrap_err();
        assert_eq!(e.kind(), crate::base::error::ErrorKind::Refused);
        assert!(
            e.to_string().contains("--date +99999-01-01")
                && e.to_string().contains("10 December 2011")
                && e.to_string().contains("17 April 2018"),
            "{e}"
        );
        assert!(s.date_argument("--received", ymd(2011, 12, 9)).is_err());
    }

    #[test]
    fn new_steps_skip_holidays_and_weekends() {
        // 1 January 2017 is a Sunday: the holidays are Mon 2 and Tue 3 January, so
        // the first working day of the year is Wed 4 January.
        let i = inspection("commencement = 2017-01-04");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        // 2 and 3 January 2017 are the substitute holidays; Sat 31 Dec and Sun 1 Jan are a weekend.
        assert_eq!(s.span(Step::ScopingPhaseOne).end, ymd(2016, 12, 30));
        assert_eq!(s.day(Step::CareInspectionsBy), ymd(2016, 12, 30));
        // 15 working days back from Wed 4 Jan over Christmas (Mon 26, Tue 27 Dec) and New Year.
        assert_eq!(s.day(Step::SurveyDue), ymd(2016, 12, 8));
        assert_eq!(s.day(Step::PositionStatementsDue), ymd(2016, 12, 15));
        // Ten working days after the briefings (Wed 23 Nov) skip St Andrew's Day
        // (Wed 30 Nov): the list is due Thu 8 Dec, the sample drawn Fri 9 Dec,
        // and holders confirm five working days later, after the statements.
        assert_eq!(s.day(Step::PopulationListDue), ymd(2016, 12, 8));
        assert_eq!(s.day(Step::SampleDrawn), ymd(2016, 12, 9));
        assert_eq!(s.day(Step::RequestsConfirmBy), ymd(2016, 12, 16));
        for step in s.steps() {
            assert!(
                cal.is_working_day(step.end) || step.step == Step::RecordsWindow,
                "{}",
                step.step.key()
            );
        }
    }

    #[test]
    fn comments_are_due_three_working_days_before_publication() {
        // Commencement Mon 9 Apr 2018 (after Easter): report for comment and publication in May.
        let i = inspection("commencement = 2018-04-09");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        assert_eq!(
            s.day(Step::Publication),
            cal.on_or_after(s.day(Step::ReportForComment) + Days::new(14))
        );
        assert_eq!(
            s.day(Step::CommentsDue),
            cal.working_days_before(s.day(Step::Publication), 3)
        );
        assert_eq!(s.day(Step::CommentsDecided), cal.next(s.day(Step::CommentsDue)));
        assert!(cal.is_working_day(s.day(Step::CommentsDue)));
        assert!(s.day(Step::CommentsDue) < s.day(Step::Publication));
        // Every step has its dates, each day a single date.
        assert_eq!(s.steps().len(), Step::COUNT);
        for step in Step::ALL {
            let span = s.span(step);
            assert!(span.start <= span.end, "{}", step.key());
            if step.shape() == Shape::Day {
                assert_eq!(span.start, span.end, "{}", step.key());
            }
        }
    }

    #[test]
    fn publication_and_comments_may_be_set_and_are_checked() {
        // The draft goes out on Christmas Eve: two weeks on is 7 January.
        let i = inspection("commencement = 2019-11-25");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        assert_eq!(s.day(Step::ReportForComment), ymd(2019, 12, 24));
        assert_eq!(s.day(Step::Publication), ymd(2020, 1, 7));
        // Over Christmas and New Year, partners get few working days.
        let (partners, team) = s.comment_days(&cal);
        assert!(partners < 5 && team == 2, "{partners} {team}");
        let i =
            inspection("commencement = 2019-11-25\n[schedule]\npublication = 2020-01-21\ncomments_due = 2020-01-14");
        let s = Schedule::compute(&i, &cal).unwrap();
        assert_eq!(s.day(Step::Publication), ymd(2020, 1, 21));
        assert_eq!(s.day(Step::CommentsDue), ymd(2020, 1, 14));
        assert_eq!(s.day(Step::CommentsDecided), ymd(2020, 1, 15));
        assert_eq!(s.comment_days(&cal), (11, 4));
        // A weekend, or comments due after publication, is refused.
        let i = inspection("commencement = 2019-11-25\n[schedule]\ncomments_decided = 2020-01-04");
        let errs = Schedule::compute(&i, &cal).unwrap_err();
        assert!(
            matches!(
                errs[..],
                [ScheduleError::NotWorkingDay {
                    step: Step::CommentsDecided,
                    ..
                }]
            ),
            "{errs:?}"
        );
        let i = inspection("commencement = 2019-11-25\n[schedule]\ncomments_due = 2020-01-08");
        let errs = Schedule::compute(&i, &cal).unwrap_err();
        assert!(
            matches!(
                errs[..],
                [ScheduleError::Order(Order {
                    earlier: (Step::CommentsDue, _, Some(Origin::Set)),
                    later: (Step::Publication, _, None),
                    ..
                })]
            ),
            "{errs:?}"
        );
    }

    #[test]
    fn holidays_push_phases_and_reports() {
        // Commencement Tue 26 Nov 2019: St Andrew's Day substitute Mon 2 Dec falls in phase three.
        let i = inspection("commencement = 2019-11-26");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        assert_eq!(s.span(Step::PhaseTwo).end, ymd(2019, 11, 28));
        assert_eq!(
            s.span(Step::PhaseThree),
            Span {
                start: ymd(2019, 11, 29),
                end: ymd(2019, 12, 6)
            }
        );
        assert_eq!(
            s.span(Step::Core),
            Span {
                start: ymd(2019, 12, 9),
                end: ymd(2019, 12, 13)
            }
        );
        // 13 Dec + 14 = Fri 27 Dec, a working day (Christmas and Boxing Day are Wed and Thu).
        assert_eq!(s.day(Step::ReportForComment), ymd(2019, 12, 27));
        // 27 Dec + 14 = Fri 10 Jan 2020.
        assert_eq!(s.day(Step::Publication), ymd(2020, 1, 10));
        // 27 Dec + 42 = Fri 7 Feb 2020.
        assert_eq!(s.day(Step::ActionPlanDue), ymd(2020, 2, 7));
        // 26 Nov 2019 - 84 days = Tue 3 Sep 2019.
        assert_eq!(s.day(Step::Notification), ymd(2019, 9, 3));
    }

    #[test]
    fn records_window_clamps_to_month_end() {
        let i = inspection("commencement = 2021-08-25\n[records]\nmonths = 6");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        assert_eq!(s.span(Step::PhaseThree).start, ymd(2021, 8, 30));
        // 30 August less 6 months: 28 February (2021 is not a leap year).
        assert_eq!(s.span(Step::RecordsWindow).start, ymd(2021, 2, 28));
    }

    #[test]
    fn impossible_schedules_say_why() {
        let i = inspection("commencement = 2013-03-02\nnotification = 2013-01-01\n[schedule]\ncore_days = 7");
        let cal = Schedule::calendar_for(&i);
        let errs = Schedule::compute(&i, &cal).unwrap_err();
        assert!(errs.contains(&ScheduleError::CommencementNotWorkingDay(ymd(2013, 3, 2))));
        assert!(errs.iter().any(|e| matches!(e, ScheduleError::NoticeTooShort { .. })));
        assert!(errs.contains(&ScheduleError::CoreDays(7)));
    }
}
