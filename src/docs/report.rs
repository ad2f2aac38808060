//! `report/`: the public report and the record of inspection findings, made
//! from the report writers' `findings/` when the folder has one.

use super::context::{
    Evaluated, Evidence, MeasureResult, Prose, Question, Report, SampleCount, ScalePoint, SurveyResults, SurveyRow,
};
use super::{base_context, job, Plan};
use crate::base::error::Result;
use crate::base::named::Named;
use crate::model::findings::{Grade, Status, Term, GLOSSARY, QUESTIONS};
use crate::rules::figures;
use crate::rules::methodology::{house_count, Place};
use crate::rules::schedule::Step;
use crate::workspace::findings::Report as Findings;
use crate::workspace::Workspace;

use super::publication::YOUNG_PEOPLE_DATES;
use super::{Document, Needs, TemplateDoc};

const fn report(template: &'static str, makes: &'static str, dates: &'static [Step]) -> TemplateDoc {
    TemplateDoc {
        template,
        makes,
        schema: super::context::schema_of::<Report>,
        dates,
    }
}

/// The dates the public report prints (with `report-words.jinja`, which
/// both its PDF and its web page include, and the media briefing too): how the inspection was done,
/// the survey's days, the comments and the action plan; and its own date,
/// for comment or published, which [`plan`] adds.
pub(super) const PUBLIC_REPORT_DATES: &[Step] = &[
    Step::Notification,
    Step::Briefings,
    Step::ScopingPhaseOne,
    Step::SurveyOpens,
    Step::SurveyDue,
    Step::PhaseTwo,
    Step::PhaseThree,
    Step::Core,
    Step::ReportForComment,
    Step::CommentsDue,
    Step::ActionPlanDue,
];

pub const DOC: Document = Document {
    audience,
    names_contacts_warned: &[
        PUBLIC_REPORT,
        super::publication::YOUNG_PEOPLE,
        super::publication::YOUNG_PEOPLE_HTML,
        super::publication::MEDIA_BRIEFING,
    ],
    needs: Needs::Findings,
    pictures: &[
        "public-report.typ",
        "record-of-findings.typ",
        "public-report.html",
        "young-people.typ",
        "young-people.html",
    ],
    ..Document::letters(
        "report",
        "the public report (PDF and web page) and the record of inspection findings (needs findings/)",
        &[
            report(
                "public-report.typ",
                "report/public-report.pdf, when the folder has findings/",
                PUBLIC_REPORT_DATES,
            ),
            report(
                "public-report.html",
                "report/public-report.html, the web page, when the folder has findings/",
                PUBLIC_REPORT_DATES,
            ),
            report(
                "record-of-findings.typ",
                "report/record-of-findings.pdf, when the folder has findings/",
                &[
                    Step::RecordsWindow,
                    Step::SurveyOpens,
                    Step::SurveyDue,
                    Step::PhaseTwo,
                    Step::Core,
                    Step::CommentsDue,
                ],
            ),
            TemplateDoc {
                template: "young-people.typ",
                makes: "report/young-people.pdf, what we found for children and young people (large type, short sentences), when the folder has findings/",
                schema: super::context::schema_of::<super::context::YoungPeople>,
                dates: YOUNG_PEOPLE_DATES,
            },
            TemplateDoc {
                template: "young-people.html",
                makes: "report/young-people.html, the same as a web page, when the folder has findings/",
                schema: super::context::schema_of::<super::context::YoungPeople>,
                dates: YOUNG_PEOPLE_DATES,
            },
            TemplateDoc {
                template: "media-briefing.typ",
                makes: "report/media-briefing.pdf, the press office's briefing, embargoed until publication (the team's: not in cpp.zip), when the folder has findings/",
                schema: super::context::schema_of::<super::context::MediaBriefing>,
                dates: PUBLIC_REPORT_DATES,
            },
            TemplateDoc {
                template: "draft-letter.typ",
                makes: "report/letters/draft-<organisation>-<role>.pdf, one per addressee, sending the draft for comment (status = \"draft\")",
                schema: super::context::schema_of::<super::letters::ReportLetter>,
                dates: &[
                    Step::PhaseTwo,
                    Step::Core,
                    Step::ReportForComment,
                    Step::CommentsDue,
                    Step::CommentsDecided,
                    Step::Publication,
                    Step::ActionPlanDue,
                ],
            },
            TemplateDoc {
                template: "factual-accuracy.typ",
                makes: "report/factual-accuracy.pdf, the fillable form for comments on the draft (status = \"draft\"), with factual-accuracy.xlsx",
                schema: super::context::schema_of::<FactualAccuracy>,
                dates: &[Step::CommentsDue],
            },
            TemplateDoc {
                template: "comments-log.typ",
                makes: "report/comments-log.pdf, every comment on the draft with the team's decision, once comments.toml is imported",
                schema: super::context::schema_of::<CommentsLog>,
                dates: &[Step::CommentsDue],
            },
            TemplateDoc {
                template: "publication-letter.typ",
                makes: "report/letters/publication-<organisation>-<role>.pdf, one per addressee, on the day the report is published (status = \"final\")",
                schema: super::context::schema_of::<super::letters::ReportLetter>,
                dates: &[Step::ReportForComment, Step::Publication, Step::ActionPlanDue, Step::CommentsDecided],
            },
            TemplateDoc {
                template: "decisions-letter.typ",
                makes: "report/letters/decisions-<organisation>.pdf, to each organisation whose comments all have a decision in comments.toml: what the team decided on each",
                schema: super::context::schema_of::<super::letters::DecisionsLetter>,
                dates: &[Step::CommentsDecided, Step::Publication],
            },
        ],
        plan,
    )
};

/// The comments log is the team's record, the media briefing the press
/// office's; all else goes to the partnership.
fn audience(file: &str) -> super::Audience {
    match file {
        "comments-log.pdf" => super::Audience::Team,
        "media-briefing.pdf" => super::Audience::Press,
        _ => super::Audience::Partnership,
    }
}

pub const COMMENTS_LOG: &str = "report/comments-log.pdf";

/// `factual-accuracy.typ`: the form for comments on the draft.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct FactualAccuracy {
    /// How many comment boxes it has.
    pub boxes: usize,
    /// The drafts a comment may be on, as the drop-down offers them.
    pub documents: Vec<&'static str>,
    /// How the comments come back: the sentence the draft letter and the
    /// workbook print too.
    pub comments_route: String,
}

/// `comments-log.typ`: every comment with the team's decision.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct CommentsLog<'a> {
    /// The log's date: the latest return received.
    pub date: chrono::NaiveDate,
    /// Comments without a decision, first.
    pub open: Vec<LoggedComment<'a>>,
    /// Comments decided, by organisation in the order received.
    pub decided: Vec<LoggedComment<'a>>,
    /// Each organisation that returned comments, with `received` and `contact`.
    pub returns: Vec<&'a crate::model::comments::Return>,
    /// Decisions counted: accepted, changed in part, not accepted.
    pub counts: Vec<(&'static str, usize)>,
}

/// A comment as logged.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct LoggedComment<'a> {
    /// "Glenaird Council, comment 2".
    pub number: usize,
    pub organisation: &'a str,
    /// "Public report", "Record of findings".
    pub document: &'static str,
    pub page: &'a str,
    pub paragraph: &'a str,
    pub comment: &'a str,
    pub change: &'a str,
    /// The decision's words ("Accepted", "Changed in part", "Not accepted"), none while open.
    pub decision: Option<&'static str>,
    pub response: &'a str,
}

pub const PUBLIC_REPORT: &str = "report/public-report.pdf";
pub const RECORD_OF_FINDINGS: &str = "report/record-of-findings.pdf";
pub const PUBLIC_REPORT_HTML: &str = "report/public-report.html";

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let mut plan = Plan::default();
    let Some(report) = &ws.report else {
        return Ok(plan);
    };
    let ctx = context(ws, report);
    let own = minijinja::Value::from_serialize(&ctx);
    let base = base_context(ws);
    for (template, output) in [
        ("public-report.typ", PUBLIC_REPORT),
        ("record-of-findings.typ", RECORD_OF_FINDINGS),
        ("public-report.html", PUBLIC_REPORT_HTML),
    ] {
        let mut j = job(template, output.into(), &base, &own, ctx.issued);
        // Its own date: issued for comment, or published.
        let issued = match report.findings.status {
            Status::Draft => Step::ReportForComment,
            Status::Final => Step::Publication,
        };
        super::state(&mut j.facts, &ws.schedule, &[issued]);
        plan.jobs.push(j);
    }
    super::publication::plan(ws, report, &ctx, &base, &mut plan);
    let f = &report.findings;
    super::letters::report_letters(ws, f.status, f.recommendations.len(), &base, &mut plan);
    super::letters::decisions_letters(ws, &base, &mut plan);
    if f.status == Status::Draft {
        factual_accuracy(ws, &base, &mut plan)?;
    }
    if let Some(c) = ws.comments.as_ref().filter(|c| !c.returns.is_empty()) {
        let log = comments_log(c);
        plan.jobs
            .push(job("comments-log.typ", COMMENTS_LOG.into(), &base, &log, log.date));
    }
    Ok(plan)
}

/// The form and the workbook for comments on the draft, dated with it.
fn factual_accuracy(ws: &Workspace, base: &super::Base, plan: &mut Plan) -> Result<()> {
    use crate::model::comments::Draft;
    use crate::returns::comments::{form_fields, workbook, About, FORM, MAX_COMMENTS, WORKBOOK};
    let route = crate::model::inspection::comments_route(&ws.inspection.lead, ws.inspection.coordinator.as_ref());
    let own = FactualAccuracy {
        boxes: MAX_COMMENTS,
        documents: Draft::ALL.iter().map(|d| d.words()).collect(),
        comments_route: route.clone(),
    };
    let mut j = job(
        "factual-accuracy.typ",
        FORM.into(),
        base,
        &own,
        ws.schedule.day(Step::ReportForComment),
    );
    j.fields = Some(std::sync::Arc::new(form_fields()));
    plan.jobs.push(j);
    let about = About {
        area: &ws.inspection.area,
        reference: &ws.inspection.reference,
        due: ws.schedule.day(Step::CommentsDue),
        made: ws.schedule.day(Step::ReportForComment),
        route: &route,
    };
    let xlsx = workbook(&about).map_err(|e| {
        crate::base::error::Error::template(format!("could not make {WORKBOOK}"))
            .with_source(crate::render::Detail(e.to_string()))
    })?;
    plan.files.push((WORKBOOK.into(), xlsx));
    Ok(())
}

/// Every comment, open ones first, each numbered within its organisation's return.
fn comments_log(c: &crate::model::comments::Comments) -> CommentsLog<'_> {
    use crate::model::comments::Decision;
    let (mut open, mut decided) = (Vec::new(), Vec::new());
    for r in &c.returns {
        for (i, x) in r.comments.iter().enumerate() {
            let logged = LoggedComment {
                number: i + 1,
                organisation: &r.organisation,
                document: x.document.words(),
                page: &x.page,
                paragraph: &x.paragraph,
                comment: &x.comment,
                change: &x.change,
                decision: x.decision.map(Decision::words),
                response: &x.response,
            };
            if x.decision.is_some() {
                decided.push(logged);
            } else {
                open.push(logged);
            }
        }
    }
    let all: Vec<Option<Decision>> = c.returns.iter().flat_map(|r| &r.comments).map(|x| x.decision).collect();
    CommentsLog {
        date: c
            .returns
            .iter()
            .map(|r| r.received)
            .max()
            .expect("a log is made of returns"),
        open,
        decided,
        returns: c.returns.iter().collect(),
        counts: Decision::ALL
            .iter()
            .map(|d| (d.words(), all.iter().filter(|x| **x == Some(*d)).count()))
            .collect(),
    }
}

/// "5.10" after "5.9": indicator numbers compared number by number.
pub(super) fn qi_order(qi: &str) -> Vec<u32> {
    qi.split('.').map(|p| p.trim().parse().unwrap_or(u32::MAX)).collect()
}

/// One evaluation as the templates see it, with its records-reading results.
fn evaluated<'a>(ws: &'a Workspace, r: &'a Findings, e: &'a crate::model::findings::Evaluation) -> Evaluated<'a> {
    Evaluated {
        qi: &e.qi,
        title: &e.title,
        chart_label: crate::base::text::wrap_words(&format!("{} {}", e.qi, e.title), 38, 2),
        question: e.question,
        evaluation: e.evaluation.word(),
        points: e.evaluation.points(),
        record: r.record.get(&e.qi).map_or("", |c| c.typst.as_str()),
        measures: r
            .findings
            .measures
            .iter()
            .filter(|m| m.qi == e.qi)
            .map(|m| measure_result(ws, r, m))
            .collect(),
    }
}

pub(super) fn context<'a>(ws: &'a Workspace, r: &'a Findings) -> Report<'a> {
    let f = &r.findings;
    let draft = f.status == Status::Draft;
    let issued = ws.schedule.day(if draft {
        Step::ReportForComment
    } else {
        Step::Publication
    });
    let mut evaluations: Vec<Evaluated> = f.evaluations.iter().map(|e| evaluated(ws, r, e)).collect();
    evaluations.sort_by_key(|e| (e.question, qi_order(e.qi)));
    let questions = QUESTIONS
        .iter()
        .enumerate()
        .map(|(i, words)| Question {
            number: i + 1,
            words,
            prose: &r.questions[i].typst,
            prose_html: &r.questions[i].html,
            evaluations: evaluations
                .iter()
                .filter(|e| e.question as usize == i + 1)
                .cloned()
                .collect(),
        })
        .collect();
    let drawn: usize = ws.sample.allocation.iter().map(|a| a.size).sum();
    Report {
        draft,
        issued,
        month_year: issued.format("%B %Y").to_string(),
        context: &r.context.typst,
        context_html: &r.context.html,
        questions,
        conclusion: r.conclusion.as_ref().map(|c| c.typst.as_str()),
        conclusion_html: r.conclusion.as_ref().map(|c| c.html.as_str()),
        strengths: f.strengths.iter().map(|s| s.text.as_str()).collect(),
        improvements: f.improvements.iter().map(|s| s.text.as_str()).collect(),
        recommendations: f.recommendations.iter().collect(),
        good_practice: r
            .good_practice
            .iter()
            .map(|g| Prose {
                title: g.title.as_deref().unwrap_or("Good practice"),
                body: &g.typst,
                body_html: &g.html,
            })
            .collect(),
        evaluations,
        scale: scale(),
        terms: glossary(&f.terms),
        sample: ws
            .sample
            .allocation
            .iter()
            .map(|a| SampleCount {
                description: a.category.description(),
                drawn: ws.methodology.count(a.size, Place::Cell),
            })
            .collect(),
        sample_total: ws.methodology.count(drawn, Place::Sentence),
        population_total: ws.methodology.count(ws.population.len(), Place::Sentence),
        survey: survey_results(ws, r),
        evidence: evidence_words(ws, f),
    }
}

/// The staff survey's results as published, when the folder has them.
fn survey_results(ws: &Workspace, r: &Findings) -> Option<SurveyResults> {
    use crate::workspace::survey;
    if r.survey.is_empty() {
        return None;
    }
    let m = &ws.methodology;
    let n = survey::returns(&r.survey);
    let returns = m.count(n, Place::Sentence);
    let invited = ws.inspection.survey.as_ref().and_then(|s| s.invited).filter(|&i| i > 0);
    Some(SurveyResults {
        returns: format!("{returns} named {}", if n == 1 { "person" } else { "persons" }),
        invited: invited.map(|i| m.count(i as usize, Place::Sentence)),
        // A rate of a few people would point at them: the small-number rule holds.
        response_rate: invited
            .filter(|_| !m.is_small(n))
            .map(|i| format!("{:.0}%", 100.0 * n as f64 / f64::from(i))),
        opens: ws.schedule.day(Step::SurveyOpens),
        closes: ws.schedule.day(Step::SurveyDue),
        questions: r
            .survey
            .iter()
            .map(|a| SurveyRow {
                question: a.question.clone(),
                answered: m.count(a.returns(), Place::Cell),
                agree: a.percent_agree(m).map(|p| format!("{p:.0}")),
            })
            .collect(),
    })
}

/// `[evidence]` in words, in the order the report states it: the people met
/// ("96 children and young people") and what the team did ("held 18 focus groups").
fn evidence_words(ws: &Workspace, f: &crate::model::findings::Findings) -> Evidence {
    let mut out = Evidence::default();
    for (_, words, people) in evidence_phrases(ws, f) {
        if people {
            out.met.push(words);
        } else {
            out.did.push(words);
        }
    }
    out
}

/// Each count of `[evidence]` as a phrase, by its key, with whether it
/// counts people (under the small-number rule) or what the team did.
pub(super) fn evidence_phrases(
    ws: &Workspace,
    f: &crate::model::findings::Findings,
) -> Vec<(&'static str, String, bool)> {
    let mut out = Vec::new();
    for (key, n, people) in f.evidence.counts() {
        let n = n as usize;
        let count = if people {
            ws.methodology.count(n, Place::Sentence)
        } else {
            house_count(n)
        };
        // "fewer than five" counts are plural.
        let one = count == "one";
        let words = match key {
            "children_young_people" => format!(
                "{count} {}",
                if one {
                    "child or young person"
                } else {
                    "children and young people"
                }
            ),
            "parents_carers" => format!("{count} {}", if one { "parent or carer" } else { "parents and carers" }),
            "staff" => format!("{count} {}", if one { "member of staff" } else { "staff" }),
            "focus_groups" => format!("held {count} focus {}", if one { "group" } else { "groups" }),
            "observations" => format!("observed {count} {}", if one { "meeting" } else { "meetings" }),
            _ => format!(
                "made {count} {}",
                if one {
                    "visit to a service"
                } else {
                    "visits to services"
                }
            ),
        };
        out.push((key, words, people));
    }
    out
}
/// What the records reading found for one measure, with counts as published.
fn measure_result<'a>(ws: &Workspace, r: &Findings, m: &'a crate::model::findings::Measure) -> MeasureResult<'a> {
    let readings = r.readings.iter().filter(|x| x.measure == m.key).map(|x| x.points());
    let result = figures::result(readings, &ws.methodology);
    let cell = |n| ws.methodology.count(n, Place::Cell);
    MeasureResult {
        key: &m.key,
        title: &m.title,
        rated: cell(result.n),
        good: cell(result.good),
        percent: result.percent.map(|p| format!("{p:.0}")),
        interval: result.interval.map(|(lo, hi)| format!("{lo:.0} to {hi:.0}")),
    }
}

/// The six-point scale: each point, its word and what it means.
fn scale() -> Vec<ScalePoint> {
    Grade::ALL
        .iter()
        .map(|g| ScalePoint {
            points: g.points(),
            word: g.word(),
            meaning: g.meaning(),
        })
        .collect()
}

/// The built-in glossary with the writers' terms added (theirs win), by term.
fn glossary(own: &[Term]) -> Vec<Term> {
    let mut terms: std::collections::BTreeMap<String, Term> = GLOSSARY
        .iter()
        .map(|(t, m)| {
            (
                t.to_lowercase(),
                Term {
                    term: t.to_string(),
                    meaning: m.to_string(),
                },
            )
        })
        .collect();
    for t in own {
        terms.insert(t.term.to_lowercase(), t.clone());
    }
    terms.into_values().collect()
}
