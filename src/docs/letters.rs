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
    /// The organisations the team has written to with its decision on each
    /// of their comments (`decisions-<slug>.pdf`), in the order received.
    pub decisions: Vec<&'a str>,
    /// How the comments on the draft come back: the sentence the
    /// factual-accuracy form and workbook print too.
    pub comments_route: String,
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
            decisions: ws.comments.as_ref().map(decided).unwrap_or_default(),
            comments_route: crate::model::inspection::comments_route(
                &ws.inspection.lead,
                ws.inspection.coordinator.as_ref(),
            ),
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

/// Who a letter goes to, as its address block prints them, with the e-mail
/// address a message ready to send goes to (none when the folder has none).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Correspondent {
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub address: Vec<String>,
    pub email: Option<String>,
    /// The greeting: their `salutation`, else "Dear" and their name.
    pub salutation: String,
}

impl From<&Correspondent> for crate::model::facts::Recipient {
    fn from(c: &Correspondent) -> Self {
        crate::model::facts::Recipient {
            name: c.name.clone(),
            role: c.role.clone(),
            organisation: c.organisation.clone(),
            address: c.address.clone(),
        }
    }
}

/// `decisions-letter.typ`: what the team decided on each comment of one organisation.
#[derive(Serialize, JsonSchema)]
pub struct DecisionsLetter<'a> {
    /// The organisation's contact for its comments.
    pub to: Correspondent,
    /// The organisation that returned the comments.
    pub organisation: &'a str,
    /// When its comments were received (the latest, when it returned more than once).
    pub received: NaiveDate,
    /// Each of its comments with the decision and the response, in the order written.
    pub comments: Vec<DecidedComment<'a>>,
    /// Decisions counted: accepted, changed in part, not accepted.
    pub counts: Vec<(&'static str, usize)>,
    /// The decisions in a phrase: "accepted one, changed one in part and did not accept two".
    pub summary: String,
}

/// The decisions counted, in a phrase that leaves out those none had.
pub fn summary(accepted: usize, changed: usize, not_accepted: usize) -> String {
    use crate::rules::methodology::house_count;
    let parts: Vec<String> = [
        (accepted, "accepted {}"),
        (changed, "changed the text in part for {}"),
        (not_accepted, "did not accept {}"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, words)| words.replace("{}", &house_count(n)))
    .collect();
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// One comment as the decisions letter gives it.
#[derive(Serialize, JsonSchema)]
pub struct DecidedComment<'a> {
    pub number: usize,
    /// "Public report", "Record of findings".
    pub document: &'static str,
    pub page: &'a str,
    pub paragraph: &'a str,
    /// The comment, shortened to a few lines.
    pub comment: String,
    /// "Accepted", "Changed in part", "Not accepted".
    pub decision: &'static str,
    /// What the decision means for the text, in plain words.
    pub meaning: &'static str,
    pub response: &'a str,
}

/// The longest a comment is quoted in the decisions letter, in characters.
pub const COMMENT_SHORT: usize = 240;

/// `text` within [`COMMENT_SHORT`] characters, cut at a word with "...".
pub fn shortened(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= COMMENT_SHORT {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > COMMENT_SHORT - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('\u{2026}');
    out
}

/// What a decision means for the report's text, in plain words.
pub fn meaning(d: crate::model::comments::Decision) -> &'static str {
    use crate::model::comments::Decision;
    match d {
        Decision::Accepted => "We have corrected the text as you asked.",
        Decision::Changed => "We have changed the text, but not as you suggested.",
        Decision::NotAccepted => "The text stands as it was.",
    }
}

/// `out/report/letters/decisions-<slug of organisation>.pdf`.
pub fn decisions_file(organisation: &str) -> String {
    format!("report/letters/decisions-{}.pdf", crate::base::text::slug(organisation))
}

/// The organisations whose every comment has a decision, each once, in the
/// order their comments came: those the team writes to with its decisions.
pub fn decided(comments: &crate::model::comments::Comments) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for r in &comments.returns {
        let same = |o: &&crate::model::comments::Return| same_organisation(&o.organisation, &r.organisation);
        let all: Vec<_> = comments.returns.iter().filter(same).collect();
        let done = all.iter().all(|o| o.comments.iter().all(|c| c.decision.is_some()));
        let has = all.iter().any(|o| !o.comments.is_empty());
        if done && has && !out.iter().any(|o| same_organisation(o, &r.organisation)) {
            out.push(&r.organisation);
        }
    }
    out
}

fn same_organisation(a: &str, b: &str) -> bool {
    crate::base::text::slug(a) == crate::base::text::slug(b)
}

/// The contact of an organisation's comments as a letter addresses them: the
/// return's `contact` ("Jo Bell, Children's Services Planning Officer"),
/// found among the addressees, the co-ordinator and `contacts.csv` by name
/// for the address and e-mail; else at the address of an addressee of the
/// same organisation.
pub fn contact_of(ws: &Workspace, r: &crate::model::comments::Return) -> Correspondent {
    let (name, role) = match r.contact.split_once(',') {
        Some((n, role)) => (n.trim().to_string(), role.trim().to_string()),
        None => (r.contact.trim().to_string(), String::new()),
    };
    let same_name = |n: &str| n.trim().eq_ignore_ascii_case(&name);
    let of_org = ws
        .inspection
        .addressees
        .iter()
        .find(|a| same_organisation(&a.organisation, &r.organisation));
    let address = of_org.map(|a| a.address.clone()).unwrap_or_default();
    let mut to = Correspondent {
        salutation: format!("Dear {name}"),
        name: name.clone(),
        role,
        organisation: r.organisation.clone(),
        address,
        email: None,
    };
    if let Some(a) = ws.inspection.addressees.iter().find(|a| same_name(&a.name)) {
        to.role = a.role.clone();
        to.address = a.address.clone();
        to.salutation = salutation(a);
        to.email = a.email.clone();
    } else if let Some(c) = ws.inspection.coordinator.as_ref().filter(|c| same_name(&c.name)) {
        to.role = c.role.clone();
        to.email = c.email.clone();
    } else if let Some(c) = ws.contacts.iter().find(|c| same_name(&c.name)) {
        to.role = c.role.clone();
        to.address = c.address.clone();
        to.salutation = c.salutation.clone();
        to.email = c.email.clone();
    }
    if to.name.is_empty() {
        to.name = format!("The inspection contact, {}", r.organisation);
        to.salutation = "Dear colleague".into();
    }
    to
}

/// One decisions letter to each organisation whose comments all have a decision.
pub fn decisions_letters(ws: &Workspace, base: &Base, plan: &mut Plan) {
    use crate::base::named::Named;
    use crate::model::comments::Decision;
    let Some(c) = ws.comments.as_ref() else { return };
    for organisation in decided(c) {
        let returns: Vec<_> = c
            .returns
            .iter()
            .filter(|r| same_organisation(&r.organisation, organisation))
            .collect();
        let all: Vec<_> = returns.iter().flat_map(|r| &r.comments).collect();
        let comments = all
            .iter()
            .enumerate()
            .filter_map(|(i, x)| {
                let d = x.decision?;
                Some(DecidedComment {
                    number: i + 1,
                    document: x.document.words(),
                    page: &x.page,
                    paragraph: &x.paragraph,
                    comment: shortened(&x.comment),
                    decision: d.words(),
                    meaning: meaning(d),
                    response: &x.response,
                })
            })
            .collect();
        let last = returns
            .iter()
            .max_by_key(|r| r.received)
            .expect("an organisation with comments");
        let count = |d: Decision| all.iter().filter(|x| x.decision == Some(d)).count();
        let own = DecisionsLetter {
            summary: summary(
                count(Decision::Accepted),
                count(Decision::Changed),
                count(Decision::NotAccepted),
            ),
            to: contact_of(ws, last),
            organisation,
            received: last.received,
            comments,
            counts: Decision::ALL.iter().map(|d| (d.words(), count(*d))).collect(),
        };
        let date = ws.schedule.day(Step::CommentsDecided);
        let mut j = job("decisions-letter.typ", decisions_file(organisation), base, &own, date);
        j.facts.recipient = Some((&own.to).into());
        plan.jobs.push(j);
    }
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
            email: None,
        }
    }

    #[test]
    fn decisions_are_summed_up_and_long_comments_shortened() {
        assert_eq!(summary(1, 0, 1), "accepted one and did not accept one");
        assert_eq!(
            summary(2, 1, 3),
            "accepted two, changed the text in part for one and did not accept three"
        );
        assert_eq!(summary(0, 1, 0), "changed the text in part for one");
        let long = "word ".repeat(100);
        let short = shortened(&long);
        assert!(
            short.chars().count() <= COMMENT_SHORT && short.ends_with("word\u{2026}"),
            "{short}"
        );
        assert_eq!(shortened("  a\n b "), "a b");
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
