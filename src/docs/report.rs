//! `report/`: the public report and the record of inspection findings, made
//! from the report writers' `findings/` when the folder has one.

use super::context::{Evaluated, Evidence, MeasureResult, Prose, Question, Report, SampleCount, ScalePoint, SurveyResults, SurveyRow};
use super::{base_context, job, Plan};
use crate::error::Result;
use crate::figures;
use crate::model::findings::{Grade, Status, Term, GLOSSARY, QUESTIONS};
use crate::named::Named;
use crate::workspace::findings::Report as Findings;
use crate::workspace::Workspace;

use super::{Document, Needs, TemplateDoc};

const fn report(template: &'static str, makes: &'static str) -> TemplateDoc {
    TemplateDoc {
        template,
        makes,
        schema: super::context::schema_of::<Report>,
    }
}

pub const DOC: Document = Document {
    prose: true,
    names_contacts_warned: &[PUBLIC_REPORT],
    needs: Needs::Findings,
    inputs: &["findings/"],
    ..Document::letters(
        "report",
        "the public report (PDF and web page) and the record of inspection findings (needs findings/)",
        &[
            report(
                "public-report.typ",
                "report/public-report.pdf, when the folder has findings/",
            ),
            report(
                "public-report.html",
                "report/public-report.html, the web page, when the folder has findings/",
            ),
            report(
                "record-of-findings.typ",
                "report/record-of-findings.pdf, when the folder has findings/",
            ),
        ],
        plan,
    )
};

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
        plan.jobs.push(job(template, output.into(), &base, &own, ctx.issued));
    }
    Ok(plan)
}

/// "5.10" after "5.9": indicator numbers compared number by number.
fn qi_order(qi: &str) -> Vec<u32> {
    qi.split('.').map(|p| p.trim().parse().unwrap_or(u32::MAX)).collect()
}

fn context<'a>(ws: &'a Workspace, r: &'a Findings) -> Report<'a> {
    let f = &r.findings;
    let draft = f.status == Status::Draft;
    let issued = if draft {
        ws.schedule.report_for_comment
    } else {
        ws.schedule.publication
    };
    let mut evaluations: Vec<Evaluated> = f
        .evaluations
        .iter()
        .map(|e| Evaluated {
            qi: &e.qi,
            title: &e.title,
            question: e.question,
            evaluation: e.evaluation.word(),
            points: e.evaluation.points(),
            record: r.record.get(&e.qi).map_or("", |c| c.typst.as_str()),
            measures: f
                .measures
                .iter()
                .filter(|m| m.qi == e.qi)
                .map(|m| measure_result(ws, r, m))
                .collect(),
        })
        .collect();
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
                drawn: ws.methodology.count_words(a.size),
            })
            .collect(),
        sample_total: ws.methodology.count_words(drawn),
        population_total: ws.methodology.count_words(ws.population.len()),
        survey: survey_results(ws, r),
        evidence: evidence_words(ws, f),
    }
}

/// The staff survey's results as published, when the folder has them.
fn survey_results(ws: &Workspace, r: &Findings) -> Option<SurveyResults> {
    use crate::survey;
    if r.survey.is_empty() {
        return None;
    }
    let m = &ws.methodology;
    let n = survey::returns(&r.survey);
    let returns = figures::Figures::children(n, m);
    Some(SurveyResults {
        returns: format!("{returns} named {}", if n == 1 { "person" } else { "persons" }),
        opens: ws.schedule.survey_opens,
        closes: ws.schedule.survey_due,
        questions: r
            .survey
            .iter()
            .map(|a| SurveyRow {
                question: a.question.clone(),
                answered: m.count_words(a.returns()),
                agree: a.percent_agree(m).map(|p| format!("{p:.0}")),
            })
            .collect(),
    })
}

/// `[evidence]` in words, in the order the report states it: the people met
/// ("96 children and young people") and what the team did ("held 18 focus groups").
fn evidence_words(ws: &Workspace, f: &crate::model::findings::Findings) -> Evidence {
    let mut out = Evidence::default();
    for (key, n, people) in f.evidence.counts() {
        let n = n as usize;
        let count = if people {
            figures::Figures::children(n, &ws.methodology)
        } else {
            figures::Figures::count(n)
        };
        let one = n == 1;
        let words = match key {
            "children_young_people" => format!("{count} {}", if one { "child or young person" } else { "children and young people" }),
            "parents_carers" => format!("{count} {}", if one { "parent or carer" } else { "parents and carers" }),
            "staff" => format!("{count} {}", if one { "member of staff" } else { "staff" }),
            "focus_groups" => format!("held {count} focus {}", if one { "group" } else { "groups" }),
            "observations" => format!("observed {count} {}", if one { "meeting" } else { "meetings" }),
            _ => format!("made {count} {}", if one { "visit to a service" } else { "visits to services" }),
        };
        if people {
            out.met.push(words);
        } else {
            out.did.push(words);
        }
    }
    out
}
/// What the records reading found for one measure, with counts as published.
fn measure_result<'a>(ws: &Workspace, r: &Findings, m: &'a crate::model::findings::Measure) -> MeasureResult<'a> {
    let readings = r.readings.iter().filter(|x| x.measure == m.key).map(|x| x.points());
    let result = figures::result(readings, ws.methodology.small_number);
    let count_words = |n| ws.methodology.count_words(n);
    MeasureResult {
        key: &m.key,
        title: &m.title,
        rated: count_words(result.n),
        good: count_words(result.good),
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
