//! `sample/`: the statistically valid sample (`sample.csv`) and the plain-English
//! rationale that explains how it was drawn.

use super::context::{CategoryShare, Rationale, SampleNumbers};
use super::{base_context, job, Plan};
use crate::base::error::Result;
use crate::base::text::{decimal, thousands};
use crate::model::Category;
use crate::rules::schedule::Step;
use crate::workspace::Workspace;

use super::{Audience, Document, TemplateDoc};

pub const DOC: Document = Document {
    audience,
    needs: super::Needs::Population,
    ..Document::letters(
        "sample",
        "the sample of children (marked) and the rationale for it",
        &[TemplateDoc {
            template: "rationale.typ",
            makes: "sample/rationale.pdf",
            schema: super::context::schema_of::<Rationale>,
            dates: &[Step::SampleDrawn, Step::PhaseThree],
        }],
        plan,
    )
};

/// The list of sampled children holds personal data; the rationale holds
/// only counts, for the team.
fn audience(file: &str) -> Audience {
    match file {
        "rationale.pdf" => Audience::Team,
        _ => Audience::Marked,
    }
}

/// "19 times out of 20" for 0.95; "99 times out of 100" for 0.99.
pub fn odds_in_words(confidence: f64) -> String {
    for out_of in [10u32, 20, 100, 1000] {
        let k = confidence * out_of as f64;
        if (k - k.round()).abs() < 1e-9 {
            return format!("{} times out of {out_of}", k.round() as u64);
        }
    }
    format!("in {:.1}% of samples", confidence * 100.0)
}

pub fn plan(ws: &Workspace) -> Result<Plan> {
    let sample = &ws.sample;
    let size = &sample.size;
    let drawn: usize = sample.allocation.iter().map(|a| a.size).sum();
    let base = base_context(ws);
    let ctx = Rationale {
        categories: sample
            .allocation
            .iter()
            .map(|a| CategoryShare {
                key: a.category.as_str(),
                description: a.category.description(),
                population: thousands(a.population),
                quota: format!("{:.2}", a.quota),
                proportional: a.proportional,
                size: a.size,
                raised: a.size > a.proportional,
            })
            .collect(),
        numbers: SampleNumbers {
            confidence_percent: decimal(size.confidence * 100.0),
            margin_points: decimal(size.margin * 100.0),
            confidence: decimal(size.confidence),
            margin: decimal(size.margin),
            z: format!("{:.4}", size.z),
            n0: format!("{:.2}", size.n0),
            population: thousands(size.population),
            n: thousands(size.n),
            drawn: thousands(drawn),
            min_per_category: ws.inspection.sampling.min_per_category,
            seed: sample.seed.to_string(),
            odds: odds_in_words(size.confidence),
            categories: Category::ALL.len(),
        },
    };
    let mut plan = Plan::default();
    plan.files.push(("sample/sample.csv".into(), sample.to_csv()));
    reading_workbooks(ws, &mut plan)?;
    plan.jobs.push(job(
        "rationale.typ",
        "sample/rationale.pdf".into(),
        &base,
        &ctx,
        ws.schedule.day(Step::SampleDrawn),
    ));
    Ok(plan)
}

/// A records-reading workbook for each reader, once findings.toml names
/// the measures the records are rated on.
fn reading_workbooks(ws: &Workspace, plan: &mut Plan) -> Result<()> {
    use crate::returns::records::{allocation, workbook, workbook_name, About};
    let Some(report) = ws.report.as_ref().filter(|r| !r.findings.measures.is_empty()) else {
        return Ok(());
    };
    let mut holders: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for r in &ws.requests {
        let held = holders.entry(r.case_ref.as_str()).or_default();
        if !held.contains(&r.holder.as_str()) {
            held.push(r.holder.as_str());
        }
    }
    let three = ws.schedule.span(Step::PhaseThree);
    let about = About {
        area: &ws.inspection.area,
        reference: &ws.inspection.reference,
        marking: &ws.inspection.marking,
        measures: report
            .findings
            .measures
            .iter()
            .map(|m| (m.key.as_str(), m.title.as_str()))
            .collect(),
        phase_three: (three.start, three.end),
        made: ws.schedule.day(Step::SampleDrawn),
    };
    for a in allocation(ws) {
        let name = workbook_name(a.reader);
        let bytes = workbook(&a, &holders, &about).map_err(|e| {
            crate::base::error::Error::template(format!("could not make {name}"))
                .with_source(crate::render::Detail(e.to_string()))
        })?;
        plan.files.push((name, bytes));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odds_read_as_times_out_of() {
        assert_eq!(odds_in_words(0.95), "19 times out of 20");
        assert_eq!(odds_in_words(0.99), "99 times out of 100");
        assert_eq!(odds_in_words(0.9), "9 times out of 10");
    }
}
