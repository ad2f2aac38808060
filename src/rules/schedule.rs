//! The inspection's timeline on working days, exactly as the workspace format
//! specifies it. Plain functions of the settings and a [`Calendar`].

use chrono::{Days, Months, NaiveDate};
use schemars::JsonSchema;
use serde::Serialize;

use crate::base::text::date_short;
use crate::model::Inspection;
use crate::rules::calendar::Calendar;

/// A run of working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Span {
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
}

/// Every dated step of the inspection. Serialises to exactly the keys of
/// `scrutiny schedule --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Schedule {
    pub notification: NaiveDate,
    pub briefings: NaiveDate,
    pub care_inspections_by: NaiveDate,
    pub position_statements_due: NaiveDate,
    pub phase_two: Span,
    pub phase_three: Span,
    pub core: Span,
    pub conclusion: NaiveDate,
    pub report_for_comment: NaiveDate,
    pub publication: NaiveDate,
    pub action_plan_due: NaiveDate,
    pub records_window: Span,
    /// Off site, from the briefings to the last working day before commencement.
    pub scoping_phase_one: Span,
    /// The population list and the record holders' contacts.
    pub population_list_due: NaiveDate,
    /// The staff survey of named persons.
    pub survey_due: NaiveDate,
    /// Record holders confirm that the requested records will be ready.
    pub requests_confirm_by: NaiveDate,
    /// Comments on the draft report and record of findings.
    pub comments_due: NaiveDate,
    /// The sample is drawn from the population list: the rationale and the
    /// records-request letters bear this date.
    pub sample_drawn: NaiveDate,
    /// The partnership's self-evaluation material, for scoping phase two.
    pub self_evaluation_due: NaiveDate,
    /// The staff survey of named persons opens (the invitation's date).
    pub survey_opens: NaiveDate,
    /// The professional discussion sharing the scope (scoping tool, phase one).
    pub discussion_one: NaiveDate,
    /// The professional discussion at the end of scoping phase two.
    pub discussion_two: NaiveDate,
    /// The professional discussion at the end of scoping phase three.
    pub discussion_three: NaiveDate,
}

/// What can make a schedule impossible; the loader turns these into located problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    CommencementNotWorkingDay(NaiveDate),
    NoticeTooShort { given: NaiveDate, latest: NaiveDate },
    CoreDays(u32),
    PhaseThreeStart { given: NaiveDate, earliest: NaiveDate },
    CoreStart { given: NaiveDate, earliest: NaiveDate },
    Months(u32),
}

// The methodology's periods, in the units the schedule counts in.
use crate::rules::methodology as m;
const NOTICE_DAYS: u64 = m::NOTICE_WEEKS * 7;
const BRIEFING_DAYS: u64 = m::BRIEFING_WEEKS * 7;
const REPORT_DAYS: u64 = m::COMMENT_WEEKS * 7;
const PUBLICATION_DAYS: u64 = m::PUBLICATION_WEEKS * 7;
const ACTION_PLAN_DAYS: u64 = m::ACTION_PLAN_WEEKS * 7;
use m::{
    CONFIRM_WORKING_DAYS, DISCUSSION_ONE_WORKING_DAYS, MAX_CORE_DAYS, PHASE_THREE_DAYS, PHASE_TWO_DAYS,
    POPULATION_LIST_WORKING_DAYS, POSITION_STATEMENT_WORKING_DAYS, SURVEY_OPEN_WORKING_DAYS, SURVEY_WORKING_DAYS,
};

impl Schedule {
    /// The calendar an inspection's dates are counted on.
    pub fn calendar_for(inspection: &Inspection) -> Calendar {
        Calendar::around(inspection.commencement, inspection.schedule.holidays.iter().copied())
    }

    /// Computes the timeline, or every reason it cannot be computed.
    pub fn compute(inspection: &Inspection, cal: &Calendar) -> Result<Schedule, Vec<ScheduleError>> {
        let mut errors = Vec::new();
        let s = &inspection.schedule;
        let commencement = inspection.commencement;
        if !cal.is_working_day(commencement) {
            errors.push(ScheduleError::CommencementNotWorkingDay(commencement));
        }
        let latest_notice = commencement - Days::new(NOTICE_DAYS);
        let notification = match inspection.notification {
            Some(given) if given > latest_notice => {
                errors.push(ScheduleError::NoticeTooShort {
                    given,
                    latest: latest_notice,
                });
                given
            }
            Some(given) => given,
            None => cal.on_or_before(latest_notice),
        };
        let core_days = s.core_days.unwrap_or(MAX_CORE_DAYS);
        if !(1..=MAX_CORE_DAYS).contains(&core_days) {
            errors.push(ScheduleError::CoreDays(core_days));
        }
        if inspection.records.months == 0 {
            errors.push(ScheduleError::Months(0));
        }

        let phase_two = Span {
            start: commencement,
            end: cal.span_end(commencement, PHASE_TWO_DAYS),
        };
        let earliest_three = cal.next(phase_two.end);
        let three_start = phase_start(
            s.phase_three_start,
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
        let core_start = phase_start(s.core_start, earliest_core, cal, &mut errors, |given, earliest| {
            ScheduleError::CoreStart { given, earliest }
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        let core = Span {
            start: core_start,
            end: cal.span_end(core_start, core_days),
        };
        Ok(Schedule::around(
            inspection,
            cal,
            notification,
            phase_two,
            phase_three,
            core,
        ))
    }

    /// Every other date, from the notice and the three on-site phases.
    fn around(
        inspection: &Inspection,
        cal: &Calendar,
        notification: NaiveDate,
        phase_two: Span,
        phase_three: Span,
        core: Span,
    ) -> Schedule {
        let commencement = inspection.commencement;
        let conclusion = core.end;
        let report_for_comment = cal.on_or_before(conclusion + Days::new(REPORT_DAYS));
        let window_end = phase_three.start;
        // chrono clamps to the month's last day (31 August minus 6 months is 28 or 29 February).
        let window_start = window_end
            .checked_sub_months(Months::new(inspection.records.months))
            .unwrap_or(NaiveDate::MIN);
        let briefings = cal.on_or_after(notification + Days::new(BRIEFING_DAYS));
        let position_statements_due = cal.working_days_before(commencement, POSITION_STATEMENT_WORKING_DAYS);
        let publication = cal.on_or_after(report_for_comment + Days::new(PUBLICATION_DAYS));
        let population_list_due = cal.working_days_after(briefings, POPULATION_LIST_WORKING_DAYS);
        // The sample can be drawn only once the list it is drawn from has come.
        let sample_drawn = cal.next(population_list_due);
        let survey_due = cal.working_days_before(commencement, SURVEY_WORKING_DAYS);
        Schedule {
            notification,
            briefings,
            care_inspections_by: cal.previous(commencement),
            position_statements_due,
            phase_two,
            phase_three,
            core,
            conclusion,
            report_for_comment,
            publication,
            action_plan_due: cal.on_or_before(report_for_comment + Days::new(ACTION_PLAN_DAYS)),
            records_window: Span {
                start: window_start,
                end: window_end,
            },
            scoping_phase_one: Span {
                start: briefings,
                end: cal.previous(commencement),
            },
            population_list_due,
            survey_due,
            // Never sooner than a week after the letters asking for the records are sent.
            requests_confirm_by: cal
                .working_days_after(sample_drawn, CONFIRM_WORKING_DAYS)
                .max(position_statements_due),
            comments_due: cal.previous(publication),
            sample_drawn,
            self_evaluation_due: position_statements_due,
            survey_opens: cal.working_days_before(survey_due, SURVEY_OPEN_WORKING_DAYS),
            discussion_one: cal.working_days_before(commencement, DISCUSSION_ONE_WORKING_DAYS),
            discussion_two: phase_two.end,
            discussion_three: phase_three.end,
        }
    }

    /// When the request for a position statement due on `due` is sent: with the
    /// briefings, unless that leaves under two weeks to write it; then with the notice.
    pub fn position_statement_sent(&self, cal: &Calendar, due: NaiveDate) -> NaiveDate {
        if cal.working_days(self.briefings, due).len() > 10 {
            self.briefings
        } else {
            self.notification
        }
    }

    /// The dates a date given on the command line (`issue --date`, an
    /// import's `--received`) may be: from a year before the notice to five
    /// years after publication. A date outside is a slip of the keyboard.
    pub fn plausible(&self) -> (NaiveDate, NaiveDate) {
        (
            self.notification - Months::new(12),
            self.publication + Months::new(12 * 5),
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
        [self.phase_two, self.phase_three, self.core]
            .iter()
            .flat_map(|s| cal.working_days(s.start, s.end))
            .collect()
    }

    /// Every step in date order (a step starting on the same day as another
    /// keeps the order of [`STEPS`]), each with its key and its one label.
    pub fn steps(&self) -> Vec<Step> {
        let mut steps: Vec<Step> = STEPS
            .iter()
            .map(|&(key, label)| {
                let (start, end) = self.dates_of(key).expect("every step key is a schedule field");
                Step { key, label, start, end }
            })
            .collect();
        steps.sort_by_key(|s| s.start);
        steps
    }

    /// The first and last day of a step, by its key.
    pub fn dates_of(&self, key: &str) -> Option<(NaiveDate, NaiveDate)> {
        let one = |d: NaiveDate| Some((d, d));
        let span = |s: Span| Some((s.start, s.end));
        match key {
            "notification" => one(self.notification),
            "briefings" => one(self.briefings),
            "scoping_phase_one" => span(self.scoping_phase_one),
            "population_list_due" => one(self.population_list_due),
            "records_window" => span(self.records_window),
            "survey_due" => one(self.survey_due),
            "position_statements_due" => one(self.position_statements_due),
            "requests_confirm_by" => one(self.requests_confirm_by),
            "care_inspections_by" => one(self.care_inspections_by),
            "phase_two" => span(self.phase_two),
            "phase_three" => span(self.phase_three),
            "core" => span(self.core),
            "conclusion" => one(self.conclusion),
            "report_for_comment" => one(self.report_for_comment),
            "comments_due" => one(self.comments_due),
            "publication" => one(self.publication),
            "action_plan_due" => one(self.action_plan_due),
            "sample_drawn" => one(self.sample_drawn),
            "self_evaluation_due" => one(self.self_evaluation_due),
            "survey_opens" => one(self.survey_opens),
            "discussion_one" => one(self.discussion_one),
            "discussion_two" => one(self.discussion_two),
            "discussion_three" => one(self.discussion_three),
            _ => None,
        }
    }

    /// The human table of `scrutiny schedule`.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        for step in self.steps() {
            let when = if step.start == step.end {
                date_short(step.start)
            } else {
                format!("{} to {}", date_short(step.start), date_short(step.end))
            };
            out.push_str(&format!("{:<34}  {:<24}  {}\n", when, step.key, step.label));
        }
        out
    }
}

/// Every dated step: its key (as in `scrutiny schedule --json`) and the one
/// label that `scrutiny schedule`, the timeline, checklists and letters use.
/// Labels stay within 34 characters so that they fit the timeline graphic.
pub const STEPS: [(&str, &str); 23] = [
    ("notification", "Notice of inspection (12 weeks)"),
    ("briefings", "Briefings"),
    ("records_window", "Period of the records requested"),
    ("scoping_phase_one", "Scoping phase one"),
    ("population_list_due", "Population list due"),
    ("sample_drawn", "Sample drawn and records requested"),
    ("survey_opens", "Named persons' survey opens"),
    ("survey_due", "Named persons' survey closes"),
    ("position_statements_due", "Position statements due"),
    ("self_evaluation_due", "Self-evaluation material due"),
    ("requests_confirm_by", "Holders confirm records ready"),
    ("discussion_one", "First professional discussion (scope)"),
    ("care_inspections_by", "Care service inspections completed"),
    ("phase_two", "Scoping phase two"),
    ("discussion_two", "Second professional discussion"),
    ("phase_three", "Scoping phase three (records reading)"),
    ("discussion_three", "Third professional discussion"),
    ("core", "Core phase"),
    ("conclusion", "Inspection concludes"),
    ("report_for_comment", "Report issued for comment"),
    ("comments_due", "Comments on the report due"),
    ("publication", "Report published"),
    ("action_plan_due", "Joint action plan due"),
];

/// One dated step of the timeline.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Step {
    /// The step's key in `schedule`: "core".
    pub key: &'static str,
    /// The step's one label, as `scrutiny schedule` prints it.
    pub label: &'static str,
    /// Its first day (a single date has start = end).
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
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
        assert_eq!(s.notification, ymd(2012, 12, 10));
        assert_eq!(s.briefings, ymd(2013, 1, 21));
        assert_eq!(s.care_inspections_by, ymd(2013, 3, 1));
        assert_eq!(s.position_statements_due, ymd(2013, 2, 18));
        assert_eq!(
            s.phase_two,
            Span {
                start: ymd(2013, 3, 4),
                end: ymd(2013, 3, 6)
            }
        );
        assert_eq!(
            s.phase_three,
            Span {
                start: ymd(2013, 3, 7),
                end: ymd(2013, 3, 13)
            }
        );
        assert_eq!(
            s.core,
            Span {
                start: ymd(2013, 3, 14),
                end: ymd(2013, 3, 20)
            }
        );
        assert_eq!(s.conclusion, ymd(2013, 3, 20));
        // 3 April; the local Easter Monday holiday does not touch it.
        assert_eq!(s.report_for_comment, ymd(2013, 4, 3));
        assert_eq!(s.publication, ymd(2013, 4, 17));
        assert_eq!(s.action_plan_due, ymd(2013, 5, 15));
        assert_eq!(
            s.records_window,
            Span {
                start: ymd(2011, 9, 7),
                end: ymd(2013, 3, 7)
            }
        );
        assert_eq!(s.on_site_days(&cal).len(), 13);
        // Phase one ends on Friday 1 March, not on Sunday 3 March.
        assert_eq!(
            s.scoping_phase_one,
            Span {
                start: ymd(2013, 1, 21),
                end: ymd(2013, 3, 1)
            }
        );
        // 10 working days after Mon 21 Jan.
        assert_eq!(s.population_list_due, ymd(2013, 2, 4));
        // 15 working days before Mon 4 Mar.
        assert_eq!(s.survey_due, ymd(2013, 2, 11));
        // The sample is drawn the working day after the list comes (Tue 5 Feb);
        // holders confirm by the later of five working days on and the statements.
        assert_eq!(s.sample_drawn, ymd(2013, 2, 5));
        assert_eq!(s.requests_confirm_by, ymd(2013, 2, 18));
        assert_eq!(s.self_evaluation_due, s.position_statements_due);
        // Ten working days before the survey closes; five before commencement.
        assert_eq!(s.survey_opens, ymd(2013, 1, 28));
        assert_eq!(s.discussion_one, ymd(2013, 2, 25));
        assert_eq!(
            (s.discussion_two, s.discussion_three),
            (s.phase_two.end, s.phase_three.end)
        );
        // The last working day before publication (Wed 17 Apr).
        assert_eq!(s.comments_due, ymd(2013, 4, 16));
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
        assert_eq!(s.scoping_phase_one.end, ymd(2016, 12, 30));
        assert_eq!(s.care_inspections_by, ymd(2016, 12, 30));
        // 15 working days back from Wed 4 Jan over Christmas (Mon 26, Tue 27 Dec) and New Year.
        assert_eq!(s.survey_due, ymd(2016, 12, 8));
        assert_eq!(s.position_statements_due, ymd(2016, 12, 15));
        // Ten working days after the briefings (Wed 23 Nov) skip St Andrew's Day
        // (Wed 30 Nov): the list is due Thu 8 Dec, the sample drawn Fri 9 Dec,
        // and holders confirm five working days later, after the statements.
        assert_eq!(s.population_list_due, ymd(2016, 12, 8));
        assert_eq!(s.sample_drawn, ymd(2016, 12, 9));
        assert_eq!(s.requests_confirm_by, ymd(2016, 12, 16));
        for step in s.steps() {
            assert!(
                cal.is_working_day(step.end) || step.key == "records_window",
                "{}",
                step.key
            );
        }
    }

    #[test]
    fn comments_are_due_the_working_day_before_publication() {
        // Commencement Mon 9 Apr 2018 (after Easter): report for comment and publication in May.
        let i = inspection("commencement = 2018-04-09");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        assert_eq!(s.publication, cal.on_or_after(s.report_for_comment + Days::new(14)));
        assert_eq!(s.comments_due, cal.previous(s.publication));
        assert!(cal.is_working_day(s.comments_due));
        assert!(s.comments_due < s.publication);
        // Every label is defined once and every key has one.
        assert_eq!(s.steps().len(), STEPS.len());
        assert!(STEPS.iter().all(|(_, l)| l.chars().count() <= 38));
        // The one label with a number states the methodology's.
        let weeks = format!("({} weeks)", crate::rules::methodology::NOTICE_WEEKS);
        assert!(STEPS.iter().any(|(k, l)| *k == "notification" && l.ends_with(&weeks)));
        assert!(STEPS.contains(&("survey_due", "Named persons' survey closes")));
        // The seed's phase names.
        for (key, name) in [
            ("scoping_phase_one", "Scoping phase one"),
            ("phase_two", "Scoping phase two"),
            ("phase_three", "Scoping phase three (records reading)"),
            ("core", "Core phase"),
        ] {
            assert!(STEPS.contains(&(key, name)), "{key}");
        }
    }

    #[test]
    fn holidays_push_phases_and_reports() {
        // Commencement Tue 26 Nov 2019: St Andrew's Day substitute Mon 2 Dec falls in phase three.
        let i = inspection("commencement = 2019-11-26");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        assert_eq!(s.phase_two.end, ymd(2019, 11, 28));
        assert_eq!(
            s.phase_three,
            Span {
                start: ymd(2019, 11, 29),
                end: ymd(2019, 12, 6)
            }
        );
        assert_eq!(
            s.core,
            Span {
                start: ymd(2019, 12, 9),
                end: ymd(2019, 12, 13)
            }
        );
        // 13 Dec + 14 = Fri 27 Dec, a working day (Christmas and Boxing Day are Wed and Thu).
        assert_eq!(s.report_for_comment, ymd(2019, 12, 27));
        // 27 Dec + 14 = Fri 10 Jan 2020.
        assert_eq!(s.publication, ymd(2020, 1, 10));
        // 27 Dec + 42 = Fri 7 Feb 2020.
        assert_eq!(s.action_plan_due, ymd(2020, 2, 7));
        // 26 Nov 2019 - 84 days = Tue 3 Sep 2019.
        assert_eq!(s.notification, ymd(2019, 9, 3));
    }

    #[test]
    fn records_window_clamps_to_month_end() {
        let i = inspection("commencement = 2021-08-25\n[records]\nmonths = 6");
        let cal = Schedule::calendar_for(&i);
        let s = Schedule::compute(&i, &cal).unwrap();
        assert_eq!(s.phase_three.start, ymd(2021, 8, 30));
        // 30 August less 6 months: 28 February (2021 is not a leap year).
        assert_eq!(s.records_window.start, ymd(2021, 2, 28));
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
