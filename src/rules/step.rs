//! The inspection's dated steps, each named once. [`Step`] is the one list:
//! each step's key (as in `scrutiny schedule --json` and the templates'
//! `schedule`), its one label (`scrutiny schedule`, the timeline, the
//! checklists, the letters and `REFERENCE.md` all print it), whether it is a
//! day or a run of days, and what it is. The schedule's dates, its JSON, the
//! templates' `steps` and `labels` and the facts a document states all come
//! from here.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};

/// A dated step of the inspection, in the order of the timeline: where two
/// steps start on the same day, the one first here is listed first everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Notification,
    Briefings,
    RecordsWindow,
    ScopingPhaseOne,
    PopulationListDue,
    SampleDrawn,
    SurveyOpens,
    SurveyDue,
    PositionStatementsDue,
    SelfEvaluationDue,
    RequestsConfirmBy,
    DiscussionOne,
    CareInspectionsBy,
    PhaseTwo,
    DiscussionTwo,
    PhaseThree,
    DiscussionThree,
    Core,
    Conclusion,
    ReportForComment,
    CommentsDue,
    CommentsDecided,
    Publication,
    ActionPlanDue,
}

/// Whether a step is one day or a run of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A single date: `"2013-02-05"`.
    Day,
    /// A first and a last day: `{"start": ..., "end": ...}`.
    Span,
}

/// What the one list says of a step.
struct About {
    step: Step,
    key: &'static str,
    /// Within 38 characters, so that it fits the timeline graphic.
    label: &'static str,
    shape: Shape,
    /// What it is, where the label leaves it unsaid (for `REFERENCE.md`).
    note: Option<&'static str>,
}

const fn about(step: Step, key: &'static str, label: &'static str, shape: Shape) -> About {
    About {
        step,
        key,
        label,
        shape,
        note: None,
    }
}

const fn noted(step: Step, key: &'static str, label: &'static str, shape: Shape, note: &'static str) -> About {
    About {
        note: Some(note),
        ..about(step, key, label, shape)
    }
}

use Shape::{Day, Span};

/// Every step, in the order of [`Step`] (checked as the program is compiled).
const STEPS: [About; Step::COUNT] = [
    about(
        Step::Notification,
        "notification",
        "Notice of inspection (12 weeks)",
        Day,
    ),
    about(Step::Briefings, "briefings", "Briefings", Day),
    about(
        Step::RecordsWindow,
        "records_window",
        "Period of the records requested",
        Span,
    ),
    noted(
        Step::ScopingPhaseOne,
        "scoping_phase_one",
        "Scoping phase one",
        Span,
        "Off site, from the briefings to the last working day before commencement.",
    ),
    noted(
        Step::PopulationListDue,
        "population_list_due",
        "Population list due",
        Day,
        "The population list and the record holders' contacts.",
    ),
    noted(
        Step::SampleDrawn,
        "sample_drawn",
        "Sample drawn and records requested",
        Day,
        "The sample is drawn from the population list: the rationale and the records-request letters bear this date.",
    ),
    noted(
        Step::SurveyOpens,
        "survey_opens",
        "Named persons' survey opens",
        Day,
        "The staff survey of named persons opens (the invitation's date).",
    ),
    noted(
        Step::SurveyDue,
        "survey_due",
        "Named persons' survey closes",
        Day,
        "The staff survey of named persons.",
    ),
    about(
        Step::PositionStatementsDue,
        "position_statements_due",
        "Position statements due",
        Day,
    ),
    noted(
        Step::SelfEvaluationDue,
        "self_evaluation_due",
        "Self-evaluation material due",
        Day,
        "The partnership's self-evaluation material, for scoping phase two.",
    ),
    noted(
        Step::RequestsConfirmBy,
        "requests_confirm_by",
        "Holders confirm records ready",
        Day,
        "Record holders confirm that the requested records will be ready.",
    ),
    noted(
        Step::DiscussionOne,
        "discussion_one",
        "First professional discussion (scope)",
        Day,
        "The professional discussion sharing the scope (scoping tool, phase one).",
    ),
    about(
        Step::CareInspectionsBy,
        "care_inspections_by",
        "Care service inspections completed",
        Day,
    ),
    about(Step::PhaseTwo, "phase_two", "Scoping phase two", Span),
    noted(
        Step::DiscussionTwo,
        "discussion_two",
        "Second professional discussion",
        Day,
        "The professional discussion at the end of scoping phase two.",
    ),
    about(
        Step::PhaseThree,
        "phase_three",
        "Scoping phase three (records reading)",
        Span,
    ),
    noted(
        Step::DiscussionThree,
        "discussion_three",
        "Third professional discussion",
        Day,
        "The professional discussion at the end of scoping phase three.",
    ),
    about(Step::Core, "core", "Core phase", Span),
    about(Step::Conclusion, "conclusion", "Inspection concludes", Day),
    about(
        Step::ReportForComment,
        "report_for_comment",
        "Report issued for comment",
        Day,
    ),
    noted(
        Step::CommentsDue,
        "comments_due",
        "Comments on the report due",
        Day,
        "Comments on the draft report and record of findings.",
    ),
    noted(
        Step::CommentsDecided,
        "comments_decided",
        "Decisions on comments sent",
        Day,
        "The team tells each organisation that commented what it decided on each comment.",
    ),
    about(Step::Publication, "publication", "Report published", Day),
    about(Step::ActionPlanDue, "action_plan_due", "Joint action plan due", Day),
];

// The list is in the order of the enum: a step's place in it is its number.
const _: () = {
    let mut i = 0;
    while i < Step::COUNT {
        assert!(STEPS[i].step as usize == i, "STEPS is in the order of Step");
        i += 1;
    }
};

impl Step {
    /// How many steps there are.
    pub const COUNT: usize = 24;

    /// Every step, in the order of the timeline.
    pub const ALL: [Step; Step::COUNT] = {
        let mut all = [Step::Notification; Step::COUNT];
        let mut i = 0;
        while i < Step::COUNT {
            all[i] = STEPS[i].step;
            i += 1;
        }
        all
    };

    /// The order of the keys of `scrutiny schedule --json` (and of the
    /// workspace format's table of them), as the first versions wrote them:
    /// scripts read it, and what a document says is hashed with it.
    pub const KEY_ORDER: [Step; Step::COUNT] = [
        Step::Notification,
        Step::Briefings,
        Step::CareInspectionsBy,
        Step::PositionStatementsDue,
        Step::PhaseTwo,
        Step::PhaseThree,
        Step::Core,
        Step::Conclusion,
        Step::ReportForComment,
        Step::Publication,
        Step::ActionPlanDue,
        Step::RecordsWindow,
        Step::ScopingPhaseOne,
        Step::PopulationListDue,
        Step::SurveyDue,
        Step::RequestsConfirmBy,
        Step::CommentsDue,
        Step::SampleDrawn,
        Step::SelfEvaluationDue,
        Step::SurveyOpens,
        Step::DiscussionOne,
        Step::DiscussionTwo,
        Step::DiscussionThree,
        Step::CommentsDecided,
    ];

    /// The three on-site phases.
    pub const ON_SITE: [Step; 3] = [Step::PhaseTwo, Step::PhaseThree, Step::Core];

    /// Every step but the records window, which reaches back months before
    /// the notice: the steps the briefing's timeline draws and the notice lists.
    pub const TIMELINE: [Step; Step::COUNT - 1] = {
        let mut out = [Step::Notification; Step::COUNT - 1];
        let (mut i, mut n) = (0, 0);
        while i < Step::COUNT {
            if !matches!(STEPS[i].step, Step::RecordsWindow) {
                out[n] = STEPS[i].step;
                n += 1;
            }
            i += 1;
        }
        out
    };

    fn about(self) -> &'static About {
        &STEPS[self as usize]
    }

    /// Its key: "core".
    pub fn key(self) -> &'static str {
        self.about().key
    }

    /// Its one label: "Core phase".
    pub fn label(self) -> &'static str {
        self.about().label
    }

    /// A day or a run of days.
    pub fn shape(self) -> Shape {
        self.about().shape
    }

    /// What it is, where its label leaves it unsaid.
    pub fn note(self) -> Option<&'static str> {
        self.about().note
    }

    /// The step of a key.
    pub fn from_key(key: &str) -> Option<Step> {
        STEPS.iter().find(|a| a.key == key).map(|a| a.step)
    }
}

/// A step is written as its key.
impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// A step in a template's data is its key, a text.
impl JsonSchema for Step {
    fn schema_name() -> Cow<'static, str> {
        "Step".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_one_key_and_one_label() {
        let keys: std::collections::BTreeSet<&str> = Step::ALL.iter().map(|s| s.key()).collect();
        let labels: std::collections::BTreeSet<&str> = Step::ALL.iter().map(|s| s.label()).collect();
        assert_eq!((keys.len(), labels.len()), (Step::COUNT, Step::COUNT));
        assert!(Step::ALL.iter().all(|s| Step::from_key(s.key()) == Some(*s)));
        assert_eq!(Step::from_key("core_days"), None);
        assert!(Step::ALL.iter().all(|s| s.label().chars().count() <= 38));
        // The JSON's order holds every step once.
        let mut order = Step::KEY_ORDER.to_vec();
        order.sort();
        assert_eq!(order, Step::ALL);
    }

    #[test]
    fn the_labels_are_the_methodologys_words() {
        // The one label with a number states the methodology's.
        let weeks = format!("({} weeks)", crate::rules::methodology::NOTICE_WEEKS);
        assert!(Step::Notification.label().ends_with(&weeks));
        assert_eq!(Step::SurveyDue.label(), "Named persons' survey closes");
        // The seed's phase names.
        for (step, name) in [
            (Step::ScopingPhaseOne, "Scoping phase one"),
            (Step::PhaseTwo, "Scoping phase two"),
            (Step::PhaseThree, "Scoping phase three (records reading)"),
            (Step::Core, "Core phase"),
        ] {
            assert_eq!(step.label(), name);
        }
        let spans: Vec<Step> = Step::ALL.into_iter().filter(|s| s.shape() == Shape::Span).collect();
        assert_eq!(
            spans,
            [
                Step::RecordsWindow,
                Step::ScopingPhaseOne,
                Step::PhaseTwo,
                Step::PhaseThree,
                Step::Core
            ]
        );
    }
}
