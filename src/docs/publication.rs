//! Publication day, beside the report: the report for children and young
//! people (`young-people.pdf` and `.html`) and the press office's media
//! briefing (`media-briefing.pdf`), both following the report's `status`.
//!
//! The young people's version is written here, sentence by sentence, from the
//! data, so that every sentence the program writes is measured
//! (`rules::readability`): none over 20 words, the whole at a reading age of
//! about twelve. The writers' own words (`findings/young-people.md`) are
//! measured where they are written, as warnings.

use chrono::NaiveDate;

use super::context::{MediaBriefing, PlainItem, PlainSection, Report, YoungPeople};
use super::{job, Base, Plan};
use crate::base::text::{and_list, capitalised, date_words};
use crate::model::findings::{indicator_plain, Status, QUESTIONS, QUESTIONS_PLAIN};
use crate::model::scoping::Evidence as ScopingEvidence;
use crate::rules::methodology::{house_count, Place};
use crate::rules::schedule::Step;
use crate::workspace::findings::Report as Findings;
use crate::workspace::Workspace;

pub const YOUNG_PEOPLE: &str = "report/young-people.pdf";
pub const YOUNG_PEOPLE_HTML: &str = "report/young-people.html";
pub const MEDIA_BRIEFING: &str = "report/media-briefing.pdf";

/// The dates the young people's version prints besides its own: the days on
/// site and when the action plan is due.
pub const YOUNG_PEOPLE_DATES: &[Step] = &[Step::PhaseTwo, Step::Core, Step::ActionPlanDue];

/// Adds the young people's version and the media briefing to the report's plan.
pub fn plan(ws: &Workspace, r: &Findings, report: &Report, base: &Base, plan: &mut Plan) {
    let issued_step = match r.findings.status {
        Status::Draft => Step::ReportForComment,
        Status::Final => Step::Publication,
    };
    let young = young_people(ws, r, report.issued);
    let own = minijinja::Value::from_serialize(&young);
    for (template, output) in [
        ("young-people.typ", YOUNG_PEOPLE),
        ("young-people.html", YOUNG_PEOPLE_HTML),
    ] {
        let mut j = job(template, output.into(), base, &own, young.issued);
        super::state(&mut j.facts, &ws.schedule, &[issued_step]);
        plan.jobs.push(j);
    }
    let media = MediaBriefing {
        report,
        embargo: ws.schedule.day(Step::Publication),
        recommendations_count: house_count(r.findings.recommendations.len()),
        on_site: (ws.schedule.span(Step::PhaseTwo).start, ws.schedule.span(Step::Core).end),
    };
    let mut j = job("media-briefing.typ", MEDIA_BRIEFING.into(), base, &media, report.issued);
    // Embargoed until publication, whatever its own date.
    super::state(&mut j.facts, &ws.schedule, &[issued_step, Step::Publication]);
    plan.jobs.push(j);
}

/// A section of paragraphs.
fn section(heading: &str, paragraphs: Vec<String>) -> PlainSection {
    PlainSection {
        heading: heading.into(),
        paragraphs,
        items: Vec::new(),
    }
}

/// What we found, for a reader of about twelve, from the data.
pub fn young_people<'a>(ws: &Workspace, r: &'a Findings, issued: NaiveDate) -> YoungPeople<'a> {
    let f = &r.findings;
    let area = &ws.inspection.area;
    let draft = f.status == Status::Draft;
    let status = if draft {
        format!("This is a draft. We sent it for comment on {}.", date_words(issued))
    } else {
        format!("Published on {}.", date_words(issued))
    };
    let who = section(
        "Who are we?",
        vec![
            "We are inspectors. We check how well people help children, young people and families.".into(),
            format!(
                "We looked at services in {area} from {} to {}.",
                date_words(ws.schedule.span(Step::PhaseTwo).start),
                date_words(ws.schedule.span(Step::Core).end)
            ),
        ],
    );
    let found = section(
        "What did we find?",
        vec![format!(
            "We asked {} questions. Here is what we found. We give a grade on a scale of six, from excellent to unsatisfactory.",
            house_count(QUESTIONS.len())
        )],
    );
    YoungPeople {
        draft,
        issued,
        title: format!("What we found in {area}"),
        status,
        before: vec![who, section("What did we do?", what_we_did(ws, f))],
        own: r.young_people.as_ref().map(|c| c.typst.as_str()),
        own_html: r.young_people.as_ref().map(|c| c.html.as_str()),
        found,
        questions: answers(f),
        after: vec![
            section("What happens next?", next_steps(ws, f)),
            section("Who can I talk to?", whom_to_talk_to(ws)),
        ],
    }
}

/// Whom the team met and what it did, from `[evidence]`, the scoping tool and the sample.
fn what_we_did(ws: &Workspace, f: &crate::model::findings::Findings) -> Vec<String> {
    let phrases = super::report::evidence_phrases(ws, f);
    let phrase = |key: &str| phrases.iter().find(|p| p.0 == key).map(|p| p.1.clone());
    let mut did = Vec::new();
    did.push(match phrase("children_young_people") {
        Some(met) => format!("We met {met}."),
        None => "We met children and young people.".into(),
    });
    if young_inspectors(ws) {
        did.push("Young inspectors helped us. They are young people who have used services like these.".into());
    }
    let others: Vec<String> = ["parents_carers", "staff"].iter().filter_map(|k| phrase(k)).collect();
    if !others.is_empty() {
        did.push(format!("We also met {}.", and_list(&others)));
    }
    let done: Vec<String> = phrases.iter().filter(|p| !p.2).map(|p| p.1.clone()).collect();
    if !done.is_empty() {
        did.push(format!("We {}.", and_list(&done)));
    }
    let read = ws.sample.children.len();
    if read > 0 {
        did.push(format!(
            "We read the files of {} children and young people.",
            ws.methodology.count(read, Place::Sentence)
        ));
    }
    did.push("We do not name any child in this report.".into());
    did
}

/// Each question in plain words, with each of its indicators and evaluation.
fn answers(f: &crate::model::findings::Findings) -> Vec<PlainSection> {
    QUESTIONS_PLAIN
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut evaluated: Vec<_> = f.evaluations.iter().filter(|e| e.question as usize == i + 1).collect();
            evaluated.sort_by_key(|e| super::report::qi_order(&e.qi));
            let intro = match evaluated.len() {
                0 => "We did not give a grade for this question.".to_string(),
                1 => "We looked at one thing.".to_string(),
                n => format!("We looked at {} things.", house_count(n)),
            };
            PlainSection {
                heading: q.to_string(),
                paragraphs: vec![intro],
                items: evaluated
                    .iter()
                    .map(|e| PlainItem {
                        label: format!("{}.", indicator_plain(&e.qi, &e.title)),
                        text: format!("{}.", capitalised(e.evaluation.plain())),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The recommendations counted, and the action plan's due date.
fn next_steps(ws: &Workspace, f: &crate::model::findings::Findings) -> Vec<String> {
    let area = &ws.inspection.area;
    vec![
        match f.recommendations.len() {
            0 => format!("We did not ask the leaders of services in {area} to change anything."),
            1 => format!("We asked the leaders of services in {area} to make one thing better."),
            n => format!(
                "We asked the leaders of services in {area} to make {} things better.",
                house_count(n)
            ),
        },
        format!(
            "They must send us a plan by {}. It will say what they will do, and by when.",
            date_words(ws.schedule.span(Step::ActionPlanDue).start)
        ),
        "We will keep checking how they are doing.".into(),
    ]
}

/// The Inspection Lead, and an adult the reader trusts.
fn whom_to_talk_to(ws: &Workspace) -> Vec<String> {
    let lead = &ws.inspection.lead;
    let mut talk = vec![
        "You can talk to an adult you trust about this report.".to_string(),
        format!("You can also contact {}, who led the inspection.", lead.name),
    ];
    if let Some(phone) = lead.phone.as_deref().filter(|p| !p.is_empty()) {
        talk.push(format!("Phone {phone}."));
    }
    if let Some(email) = lead.email.as_deref().filter(|p| !p.is_empty()) {
        talk.push(format!("Email {email}."));
    }
    talk.push("If you feel unsafe, tell an adult you trust straight away.".into());
    talk
}

/// Whether young inspectors took part: the scoping tool says their evidence
/// informed an area.
fn young_inspectors(ws: &Workspace) -> bool {
    ws.scoping.as_ref().is_some_and(|s| {
        s.areas
            .iter()
            .any(|a| a.evidence.contains(&ScopingEvidence::YoungInspectors))
    })
}

/// Every sentence the program writes for the young people's version.
pub fn sentences(y: &YoungPeople) -> Vec<String> {
    let mut out = vec![y.title.clone(), y.status.clone()];
    let all = y.before.iter().chain([&y.found]).chain(&y.questions).chain(&y.after);
    for s in all {
        out.push(s.heading.clone());
        out.extend(s.paragraphs.iter().cloned());
        for i in &s.items {
            out.push(i.label.clone());
            out.push(i.text.clone());
        }
    }
    out
}
