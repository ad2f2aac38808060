//! The correspondence around the report and the plan: the letters sending
//! the draft for comment and telling of publication (in `report/letters/`),
//! and the reply to the joint action plan (in `action-plan/`). Each is
//! dated from the schedule, or from the day the plan arrived.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use super::{job, Base, Plan};
use crate::model::findings::Status;
use crate::model::Addressee;
use crate::rules::schedule::Step;
use crate::workspace::Workspace;

/// `draft-letter.typ` and `publication-letter.typ`: one letter per addressee.
#[derive(Serialize, JsonSchema)]
pub struct ReportLetter<'a> {
    /// The chief officer or CPP chair this letter goes to.
    pub addressee: &'a Addressee,
    /// Every other addressee, who receives the same letter.
    pub others: Vec<&'a Addressee>,
    /// The greeting: the addressee's `salutation`, else "Dear" and their name.
    pub salutation: String,
    /// How many recommendations the report makes.
    pub recommendations: usize,
    /// How many organisations returned comments on the draft (`comments.toml`).
    pub commented: usize,
}

/// `out/report/letters/<draft|publication>-<slug>.pdf`.
pub fn file_name(status: Status, a: &Addressee) -> String {
    let kind = match status {
        Status::Draft => "draft",
        Status::Final => "publication",
    };
    format!("report/letters/{kind}-{}.pdf", a.slug())
}

/// The greeting a letter to `a` opens with.
pub fn salutation(a: &Addressee) -> String {
    a.salutation.clone().unwrap_or_else(|| format!("Dear {}", a.name))
}

/// The addressees as a letter dated `date` names them: a police division
/// by its legacy force (`former`) before Police Scotland began.
pub fn as_on(all: &[Addressee], date: chrono::NaiveDate) -> Vec<Addressee> {
    all.iter()
        .map(|a| match &a.former {
            Some(former) if date < crate::rules::methodology::police_scotland_from() => Addressee {
                organisation: former.clone(),
                ..a.clone()
            },
            _ => a.clone(),
        })
        .collect()
}

/// Every addressee but the `n`th: those who receive the same letter.
pub fn others(all: &[Addressee], n: usize) -> Vec<&Addressee> {
    all.iter()
        .enumerate()
        .filter(|(m, _)| *m != n)
        .map(|(_, o)| o)
        .collect()
}

/// The letters that go with the report as it stands: the draft's for
/// comment, or the final's on publication.
pub fn report_letters(ws: &Workspace, status: Status, recommendations: usize, base: &Base, plan: &mut Plan) {
    let (template, date) = match status {
        Status::Draft => ("draft-letter.typ", ws.schedule.day(Step::ReportForComment)),
        Status::Final => ("publication-letter.typ", ws.schedule.day(Step::Publication)),
    };
    let all = &as_on(&ws.inspection.addressees, date);
    for (n, (a, named)) in ws.inspection.addressees.iter().zip(all).enumerate() {
        let own = ReportLetter {
            addressee: named,
            others: others(all, n),
            salutation: salutation(a),
            recommendations,
            commented: ws.comments.as_ref().map_or(0, |c| c.returns.len()),
        };
        let mut j = job(template, file_name(status, a), base, &own, date);
        j.facts.recipient = Some(named.into());
        plan.jobs.push(j);
    }
}

/// `reply.typ`: the reply to the partnership's joint action plan.
#[derive(Serialize, JsonSchema)]
pub struct Reply<'a> {
    /// The CPP's chair: the addressee whose role names a chair, else the first.
    pub addressee: &'a Addressee,
    pub salutation: String,
    /// The day the plan arrived.
    pub received: NaiveDate,
    /// The letter's date: the working day after the plan arrived.
    pub date: NaiveDate,
    /// Whether it arrived by `schedule.action_plan_due`.
    pub on_time: bool,
    /// Working days after the due date, up to and including the day received.
    pub days_late: usize,
    /// Recommendations the plan answers, and those it does not (their ids).
    pub answered: usize,
    pub unanswered: Vec<&'a str>,
    /// The support agreed (`[support]` of action-plan.toml): `bodies` and `text`.
    pub support: Option<&'a crate::model::action_plan::Support>,
    /// The bodies giving it, as a sentence opens with them: "The Care
    /// Inspectorate and Education Scotland"; empty when none is named.
    pub support_bodies: String,
}

/// Bodies as a sentence opens with them: "The Care Inspectorate and Education Scotland".
pub fn bodies_in_prose(bodies: &[crate::model::Body]) -> String {
    let names: Vec<&str> = bodies.iter().map(|b| b.in_prose()).collect();
    let joined = match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    };
    let mut chars = joined.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The addressee a reply to the partnership goes to: its chair.
pub fn chair(addressees: &[Addressee]) -> Option<&Addressee> {
    addressees
        .iter()
        .find(|a| {
            a.role
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "chair")
        })
        .or(addressees.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(role: &str) -> Addressee {
        Addressee {
            role: role.into(),
            name: "N".into(),
            organisation: "O".into(),
            address: vec![],
            salutation: None,
            former: None,
        }
    }

    #[test]
    fn the_reply_goes_to_the_chair_else_the_first_addressee() {
        let list = [a("Chief Executive"), a("Chair, Community Planning Partnership")];
        assert_eq!(chair(&list).unwrap().role, "Chair, Community Planning Partnership");
        let list = [a("Chief Executive"), a("Chairperson's office manager")];
        assert_eq!(
            chair(&list).unwrap().role,
            "Chief Executive",
            "a word, not a part of one"
        );
        assert!(chair(&[]).is_none());
    }

    #[test]
    fn bodies_read_as_a_sentence_names_them() {
        use crate::model::Body;
        assert_eq!(
            bodies_in_prose(&[Body::CareInspectorate, Body::EducationScotland]),
            "The Care Inspectorate and Education Scotland"
        );
        assert_eq!(
            bodies_in_prose(&[
                Body::EducationScotland,
                Body::Hmics,
                Body::HealthcareImprovementScotland
            ]),
            "Education Scotland, HM Inspectorate of Constabulary in Scotland and Healthcare Improvement Scotland"
        );
        assert_eq!(bodies_in_prose(&[]), "");
    }
}
