//! What each template sees, as types. A template's variables are the fields of
//! [`Common`] plus those of its document's own context; `scrutiny templates`
//! writes `REFERENCE.md` from these types (their doc comments are the meanings),
//! so renaming a field here is the one way to change a template's API.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

pub use crate::model::schema_of;
use crate::model::{Addressee, Agency, CareService, Contact, Inspection};
use crate::rules::access::Rule;
use crate::rules::schedule::{DatedStep, Schedule, Step};
use crate::workspace::Workspace;

/// The variables of every template.
#[derive(Serialize, JsonSchema)]
pub struct Common<'a> {
    /// The settings of inspection.toml, under the names written there.
    pub inspection: &'a Inspection,
    /// The methodology's numbers and words: `methodology.notice_weeks` (12),
    /// `methodology.small_words` ("fewer than five") and the rest.
    pub methodology: &'a crate::rules::methodology::Methodology,
    /// The sample's confidence as a percentage, as every document prints it: "95", "97.5".
    pub confidence_percent: String,
    /// The sample's margin of error in percentage points, as the sample size
    /// was computed with: "10".
    pub margin_points: String,
    /// How precise a measure rated on every record of the sample is, in
    /// percentage points either way (the Wilson interval at 95% of a finding
    /// in half the records, as every percentage is printed): "10".
    pub precision_points: String,
    /// Every date of the inspection by its key, exactly as `scrutiny schedule --json` gives them.
    pub schedule: &'a Schedule,
    /// Every dated step in date order, each with its key, label, start and end.
    pub steps: Vec<DatedStep>,
    /// Each step's label by its key: `labels.core` is the core phase's label.
    pub labels: BTreeMap<&'static str, &'static str>,
    /// Working days the team is on site (scoping phases two and three and the core phase).
    pub on_site_days: usize,
    /// Working days of the core and proportionate phase.
    pub core_days: usize,
    /// The position statements asked for, with due dates resolved.
    pub position_statements: Vec<StatementDue<'a>>,
    /// Whether neither the lead nor the depute is linked to the area (the
    /// methodology's independence rule; a folder breaking it does not build).
    pub independent: bool,
    /// How many of the team read records in scoping phase three.
    pub readers: usize,
    /// When the document replaces one already sent (see `scrutiny issue`): its
    /// `sentence` ("This letter replaces our letter of 10 December 2012.") and
    /// the `changes`, one sentence each; none otherwise.
    pub replaces: Option<Replaces>,
}

impl<'a> Common<'a> {
    pub fn new(ws: &'a Workspace) -> Common<'a> {
        Common {
            inspection: &ws.inspection,
            methodology: &ws.methodology,
            confidence_percent: crate::base::text::decimal(ws.inspection.sampling.confidence * 100.0),
            margin_points: crate::base::text::decimal(ws.inspection.sampling.margin * 100.0),
            precision_points: crate::rules::figures::precision_points(ws.sample.children.len())
                .map(|p| p.to_string())
                .unwrap_or_default(),
            schedule: &ws.schedule,
            steps: ws.schedule.steps(),
            labels: Step::ALL.iter().map(|s| (s.key(), s.label())).collect(),
            on_site_days: ws.schedule.on_site_days(&ws.calendar).len(),
            core_days: {
                let core = ws.schedule.span(Step::Core);
                ws.calendar.working_days(core.start, core.end).len()
            },
            position_statements: ws
                .inspection
                .position_statements
                .iter()
                .map(|ps| StatementDue {
                    topic: &ps.topic,
                    due: ws.due(ps),
                    recipient: ws.contact(&ps.recipient),
                })
                .collect(),
            independent: crate::rules::team::linked_leaders(&ws.inspection).is_empty(),
            readers: crate::rules::team::readers(&ws.inspection),
            replaces: None,
        }
    }
}

/// A position statement asked for.
#[derive(Serialize, JsonSchema, Clone)]
pub struct StatementDue<'a> {
    /// The service area: "Post-adoption support".
    pub topic: &'a str,
    /// When it is due: its own date, else the schedule's `position_statements_due`.
    pub due: NaiveDate,
    /// The contact asked for it (from contacts.csv).
    pub recipient: Option<&'a Contact>,
}

/// `notice.typ`: one letter per addressee.
#[derive(Serialize, JsonSchema)]
pub struct Notice<'a> {
    /// The chief officer or CPP chair this letter goes to.
    pub addressee: &'a Addressee,
    /// Every other addressee, who receives the same notice.
    pub others: Vec<&'a Addressee>,
    /// The greeting: the addressee's `salutation`, else "Dear" and their name.
    pub salutation: String,
}

/// The briefings and information leaflets (five templates, one context).
#[derive(Serialize, JsonSchema)]
pub struct Briefing<'a> {
    /// The care services inspected before the inspection, oldest inspection first.
    pub care_services: Vec<&'a CareService>,
    /// The five sampling categories, each with its `key` and the methodology's `description`.
    pub categories: Vec<CategoryWords>,
    /// What to do with a child in two groups (the workbook's About sheet says the same).
    pub two_groups: &'static str,
    /// Which case reference to give for a child (the workbook's About sheet says the same).
    pub case_reference: &'static str,
    /// The timeline graphic's data, in days from the Monday of the notice's week.
    pub timeline: Timeline,
}

/// A sampling category.
#[derive(Serialize, JsonSchema)]
pub struct CategoryWords {
    /// Its key in population.csv: "cpr".
    pub key: &'static str,
    /// The methodology's words for it.
    pub description: &'static str,
}

/// The timeline graphic: weeks along the bottom, one row per step.
#[derive(Serialize, JsonSchema)]
pub struct Timeline {
    /// Days from the first Monday to the end of the action plan's week.
    pub days: i64,
    /// Each week: its `offset` in days, `label` ("3 Dec") and `number` (from 1).
    pub weeks: Vec<Week>,
    /// Each step but the records window, in date order.
    pub rows: Vec<TimelineRow>,
    /// The on-site working days, in days from the first Monday.
    pub on_site: Vec<i64>,
    /// How many on-site working days there are.
    pub on_site_count: usize,
}

/// A week of the timeline.
#[derive(Serialize, JsonSchema)]
pub struct Week {
    /// Days from the first Monday.
    pub offset: i64,
    /// Its Monday: "3 Dec".
    pub label: String,
    /// Its number, from 1.
    pub number: i64,
}

/// A step drawn on the timeline.
#[derive(Serialize, JsonSchema)]
pub struct TimelineRow {
    /// The step's key in `schedule`.
    pub key: &'static str,
    /// The step's label.
    pub label: &'static str,
    /// Its first day, in days from the first Monday.
    pub start: i64,
    /// The day after its last day, in days from the first Monday.
    pub end: i64,
    /// "bar" for a run of days, "milestone" for a single date.
    pub kind: &'static str,
    /// Whether the team is on site.
    pub on_site: bool,
    /// Its dates in words: "4 March 2013 to 6 March 2013".
    pub words: String,
}

/// `position-statement.typ`: one request per position statement.
#[derive(Serialize, JsonSchema)]
pub struct PositionRequest<'a> {
    /// The statement asked for in this letter.
    pub statement: StatementDue<'a>,
    /// The letter's date: with the briefings, or with the notice when that leaves under two weeks to write the statement.
    pub letter_date: NaiveDate,
}

/// `request.typ`: one records-request letter per record holder.
#[derive(Serialize, JsonSchema)]
pub struct RecordsRequest<'a> {
    /// The record holder the letter goes to (from contacts.csv).
    pub holder: &'a Contact,
    /// The letter's greeting: the holder's `salutation` in contacts.csv
    /// ("Dear Health Records Manager" when the holder is a post), else
    /// "Dear" and the name.
    pub salutation: String,
    /// The day by which the records obtained are returned or securely
    /// destroyed: one year after the last day of records reading.
    pub records_returned_by: NaiveDate,
    /// The sampled children whose records this holder is asked for, by case reference.
    pub children: Vec<RequestedChild<'a>>,
    /// Whether population.csv gives names or dates of birth (the letter then prints them).
    pub has_names: bool,
}

/// A child in a records request.
#[derive(Serialize, JsonSchema)]
pub struct RequestedChild<'a> {
    /// The child's case reference.
    pub case_ref: &'a str,
    /// The child's name, if population.csv gives it.
    pub name: Option<&'a str>,
    /// The child's date of birth, if population.csv gives it.
    pub date_of_birth: Option<NaiveDate>,
    /// Why this holder is asked: `child_protection`, `lead_professional` or `named_person`.
    pub rule: Rule,
    /// For child protection, the agencies whose records this holder holds: `health`, `education`, `social_work`, `police`.
    pub agencies: Vec<Agency>,
}

/// `rationale.typ`: how the sample was drawn.
#[derive(Serialize, JsonSchema)]
pub struct Rationale {
    /// Each category's share of the sample.
    pub categories: Vec<CategoryShare>,
    /// The sample's figures, formatted for print.
    pub numbers: SampleNumbers,
}

/// One category's share of the sample.
#[derive(Serialize, JsonSchema)]
pub struct CategoryShare {
    /// Its key in population.csv.
    pub key: &'static str,
    /// The methodology's words for it.
    pub description: &'static str,
    /// Children in the category: "1,204".
    pub population: String,
    /// Its exact proportional share: "12.34".
    pub quota: String,
    /// Its share after rounding.
    pub proportional: usize,
    /// The number drawn, after raising small categories to the minimum.
    pub size: usize,
    /// Whether the minimum raised it above its proportional share.
    pub raised: bool,
}

/// The sample's figures, formatted for print.
#[derive(Serialize, JsonSchema)]
pub struct SampleNumbers {
    /// Confidence as a percentage: "95".
    pub confidence_percent: String,
    /// Margin of error in percentage points: "10".
    pub margin_points: String,
    /// Confidence as a fraction: "0.95".
    pub confidence: String,
    /// Margin as a fraction: "0.1".
    pub margin: String,
    /// The normal quantile: "1.9600".
    pub z: String,
    /// The size for an unlimited population: "96.04".
    pub n0: String,
    /// Children in the population: "1,204".
    pub population: String,
    /// The sample size the formula gives.
    pub n: String,
    /// Children drawn (n, plus any raised to the minimum).
    pub drawn: String,
    /// The fewest drawn from each category.
    pub min_per_category: u32,
    /// The draw's seed.
    pub seed: String,
    /// The confidence in words: "19 times out of 20".
    pub odds: String,
    /// How many categories there are.
    pub categories: usize,
}

/// `public-report.typ` and `record-of-findings.typ`: the report writers' findings.
#[derive(Serialize, JsonSchema)]
pub struct Report<'a> {
    /// Whether this is the draft for comment (`status = "draft"`).
    pub draft: bool,
    /// The date on the cover: `report_for_comment` for a draft, else `publication`.
    pub issued: NaiveDate,
    /// The month and year on the cover: "April 2013".
    pub month_year: String,
    /// `context.md` as Typst (print it with `|safe`).
    pub context: &'a str,
    /// `context.md` as HTML, for `public-report.html` (print it with `|safe`).
    pub context_html: &'a str,
    /// The three questions, each with its words, prose and evaluations.
    pub questions: Vec<Question<'a>>,
    /// `conclusion.md` as Typst, if there is one (print it with `|safe`).
    pub conclusion: Option<&'a str>,
    /// `conclusion.md` as HTML, if there is one (print it with `|safe`).
    pub conclusion_html: Option<&'a str>,
    /// Particular strengths.
    pub strengths: Vec<&'a str>,
    /// Areas for improvement.
    pub improvements: Vec<&'a str>,
    /// The recommendations, in the order written.
    pub recommendations: Vec<&'a crate::model::findings::Recommendation>,
    /// Examples of good practice, each with a `title` and `body` (Typst; print it with `|safe`).
    pub good_practice: Vec<Prose<'a>>,
    /// Every evaluated indicator, by question then indicator.
    pub evaluations: Vec<Evaluated<'a>>,
    /// The six-point scale, from 6 to 1.
    pub scale: Vec<ScalePoint>,
    /// The glossary: the built-in terms and the writers' own, in alphabetical order.
    pub terms: Vec<crate::model::findings::Term>,
    /// The sample by category, with counts as published ("fewer than five" for 1 to 4).
    pub sample: Vec<SampleCount>,
    /// Children in the sample, as published.
    pub sample_total: String,
    /// Children in the population list, as published.
    pub population_total: String,
    /// The staff survey's results (`findings/survey.csv`), when there are any.
    pub survey: Option<SurveyResults>,
    /// Whom the team met and what it did (`[evidence]`), with counts as published.
    pub evidence: Evidence,
}

/// `[evidence]` as phrases, each with its count as published.
#[derive(Serialize, JsonSchema, Default)]
pub struct Evidence {
    /// The people met: "96 children and young people", "41 parents and carers".
    pub met: Vec<String>,
    /// What the team did: "held 18 focus groups", "observed nine meetings",
    /// "made six visits to services".
    pub did: Vec<String>,
}

/// The staff survey's results as published.
#[derive(Serialize, JsonSchema)]
pub struct SurveyResults {
    /// Those who answered, as published with their noun: "47 named persons",
    /// "fewer than five named persons".
    pub returns: String,
    /// How many were invited, in words ("250"), when inspection.toml says.
    pub invited: Option<String>,
    /// The share of those invited who answered ("38%"), when it is known.
    pub response_rate: Option<String>,
    /// The days it was open.
    pub opens: chrono::NaiveDate,
    pub closes: chrono::NaiveDate,
    /// Each question in the survey's order.
    pub questions: Vec<SurveyRow>,
}

/// One question of the survey, as published.
#[derive(Serialize, JsonSchema)]
pub struct SurveyRow {
    pub question: String,
    /// How many answered it, under the small-number rule: "42", "fewer than five".
    pub answered: String,
    /// The percentage who agree or strongly agree, without the sign ("73"),
    /// none where fewer than the small number answered.
    pub agree: Option<String>,
}

/// One of the three questions.
#[derive(Serialize, JsonSchema)]
pub struct Question<'a> {
    /// 1, 2 or 3.
    pub number: usize,
    /// The question in the methodology's words.
    pub words: &'static str,
    /// `question-N.md` as Typst (print it with `|safe`).
    pub prose: &'a str,
    /// `question-N.md` as HTML (print it with `|safe`).
    pub prose_html: &'a str,
    /// The indicators evaluated under this question.
    pub evaluations: Vec<Evaluated<'a>>,
}

/// An evaluated quality indicator.
#[derive(Serialize, JsonSchema, Clone)]
pub struct Evaluated<'a> {
    /// Its number: "5.2".
    pub qi: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its number and title for the chart, in at most two lines broken
    /// between words (never a word cut).
    pub chart_label: Vec<String>,
    /// The question it belongs to.
    pub question: u8,
    /// The evaluation as printed: "Very good".
    pub evaluation: String,
    /// Its point on the six-point scale, 6 to 1.
    pub points: u8,
    /// `record/<qi>.md` as Typst (the record of findings; print it with `|safe`).
    pub record: &'a str,
    /// What the records reading found on the measures of this indicator.
    pub measures: Vec<MeasureResult<'a>>,
}

/// A file of prose with its title.
#[derive(Serialize, JsonSchema)]
pub struct Prose<'a> {
    /// Its first heading.
    pub title: &'a str,
    /// The rest, as Typst (print it with `|safe`).
    pub body: &'a str,
    /// The rest, as HTML (print it with `|safe`).
    pub body_html: &'a str,
}

/// A point of the six-point scale.
#[derive(Serialize, JsonSchema)]
pub struct ScalePoint {
    /// 6 to 1.
    pub points: u8,
    /// "Very good".
    pub word: String,
    /// What it means: "major strengths".
    pub meaning: &'static str,
}

/// A category's share of the sample, as published.
#[derive(Serialize, JsonSchema)]
pub struct SampleCount {
    /// The methodology's words for the category.
    pub description: &'static str,
    /// Children drawn: a number, or "fewer than five".
    pub drawn: String,
}

/// What the records reading found on one measure.
#[derive(Serialize, JsonSchema, Clone)]
pub struct MeasureResult<'a> {
    /// Its key in records-reading.csv.
    pub key: &'a str,
    /// What it measured.
    pub title: &'a str,
    /// Records rated, as published ("fewer than five" for 1 to 4).
    pub rated: String,
    /// Records rated good or better (4 to 6), as published.
    pub good: String,
    /// The percentage good or better, rounded ("75"), or none for fewer than five records.
    pub percent: Option<String>,
    /// The Wilson score 95% interval of that percentage, rounded ("58 to 87"), or none.
    pub interval: Option<String>,
}

/// What the new version of a reissued document says at its head.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Replaces {
    /// "This letter replaces our letter of 10 December 2012."
    pub sentence: String,
    /// What the reader must act on, first of what changed: "The inspection now
    /// begins on Monday 11 March 2013, not Monday 4 March 2013." (at most one
    /// sentence, so that the note before the salutation stays short).
    pub changes: Vec<String>,
    /// The other changes, one sentence each, printed after the signature:
    /// "Core phase: now ..., not ...".
    pub others: Vec<String>,
    /// How many other changes there are, in words to open a sentence:
    /// "Eighteen" (a sentence never opens with a figure).
    pub others_count: String,
    /// The day the new version is dated, in words: the day it is sent.
    pub date: String,
    /// The people the sentences name as they were (the earlier recipient),
    /// so that the disclosure guard knows them as people.
    pub people: Vec<String>,
}

/// The key under which a job's context holds [`Replaces`].
#[derive(Serialize)]
pub struct ReplacesContext<'a> {
    pub replaces: &'a Replaces,
}

/// `young-people.typ` and `young-people.html`: what we found, for a reader of
/// about twelve. Every sentence but the writers' own is the program's, each
/// of at most 20 words (see `rules::readability`).
#[derive(Serialize, JsonSchema)]
pub struct YoungPeople<'a> {
    /// Whether this is the draft for comment (`status = "draft"`).
    pub draft: bool,
    /// Its date: `report_for_comment` for a draft, else `publication`.
    pub issued: NaiveDate,
    /// "What we found in Glenaird".
    pub title: String,
    /// Under the title: "Published on 15 April 2013." or the draft's words.
    pub status: String,
    /// The sections before the writers' own words: who we are, what we did.
    pub before: Vec<PlainSection>,
    /// `young-people.md` as Typst, if there is one (print it with `|safe`).
    pub own: Option<&'a str>,
    /// `young-people.md` as HTML, if there is one (print it with `|safe`).
    pub own_html: Option<&'a str>,
    /// What we found: a sentence or two, then each question with its answers.
    pub found: PlainSection,
    /// The three questions in plain words, each with its evaluations.
    pub questions: Vec<PlainSection>,
    /// The sections after: what happens next, who to talk to.
    pub after: Vec<PlainSection>,
}

/// A section of plain sentences.
#[derive(Serialize, JsonSchema, Clone, Default)]
pub struct PlainSection {
    /// Its heading: "Who are we?".
    pub heading: String,
    /// Its paragraphs, each a sentence or two.
    pub paragraphs: Vec<String>,
    /// A list after the paragraphs, each item with a bold `label`.
    pub items: Vec<PlainItem>,
}

/// A list item: "Help given early, before problems grow." and "Very good: lots of strengths.".
#[derive(Serialize, JsonSchema, Clone)]
pub struct PlainItem {
    pub label: String,
    pub text: String,
}

/// `media-briefing.typ`: the press office's briefing: the report's own
/// variables (those of `public-report.typ`) and these.
#[derive(Serialize, JsonSchema)]
pub struct MediaBriefing<'a> {
    #[serde(flatten)]
    pub report: &'a Report<'a>,
    /// The day it may be published or broadcast: `publication`.
    pub embargo: NaiveDate,
    /// The recommendations made, in words: "three".
    pub recommendations_count: String,
    /// The first and last days on site.
    pub on_site: (NaiveDate, NaiveDate),
}
