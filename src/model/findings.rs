//! The report writers' findings, as `findings/findings.toml` holds them, and the
//! fixed words of the report: the three questions and the six-point scale.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::base::named::Named;

/// The six-point scale, from 1 to 6: each point's word and what it means.
pub const SCALE: [(&str, &str); 6] = [
    ("unsatisfactory", "major weaknesses – urgent remedial action required"),
    ("weak", "important weaknesses – priority action required"),
    ("adequate", "strengths just outweigh weaknesses"),
    ("good", "important strengths, with some areas for improvement"),
    ("very good", "major strengths"),
    ("excellent", "outstanding or sector leading"),
];

/// The three questions every report answers, in the methodology's words.
pub const QUESTIONS: [&str; 3] = [
    "How well are the lives of children, young people and their families improving?",
    "How well do we work together to improve the lives of children and families?",
    "How well do we lead and improve the quality of our work and achieve better outcomes for children and families?",
];

/// The three questions in plain words, for the report for children and
/// young people.
pub const QUESTIONS_PLAIN: [&str; 3] = [
    "Are lives getting better for children, young people and families?",
    "Do services work well together?",
    "Do leaders lead well and make things better?",
];

/// The quality indicators of the framework in plain words, for the report
/// for children and young people; an indicator not listed keeps its title.
pub const INDICATORS_PLAIN: [(&str, &str); 16] = [
    ("1.1", "Children's lives getting better"),
    ("2.1", "The difference made for children and young people"),
    ("2.2", "The difference made for families"),
    ("5.1", "Help given early, before problems grow"),
    ("5.2", "Spotting risks and needs, and acting on them"),
    ("5.3", "Plans for each child or young person"),
    ("5.4", "Listening to children, young people and families"),
    ("6.1", "Plans for services"),
    ("6.2", "Asking people what they think of services"),
    ("6.3", "Making services better"),
    ("6.4", "Choosing who runs services"),
    ("8.1", "Working with others"),
    ("9.1", "Clear aims for the future"),
    ("9.2", "Leading the way"),
    ("9.3", "Leading staff and working with others"),
    ("9.4", "Leading change to make things better"),
];

/// An indicator in plain words: the framework's, or its own title.
pub fn indicator_plain<'a>(qi: &str, title: &'a str) -> &'a str {
    INDICATORS_PLAIN
        .iter()
        .find(|(q, _)| *q == qi.trim())
        .map_or(title, |(_, words)| words)
}

/// The glossary every report carries: (term, meaning). A report's own
/// `[[terms]]` are added, and replace one of these of the same name.
pub const GLOSSARY: [(&str, &str); 17] = [
    ("Child protection register", "The list kept by each council of children judged to be at risk of significant harm, who have a child protection plan."),
    ("Child's plan", "A single plan of the support a child needs, agreed with the child and family and shared by the professionals involved."),
    ("Children and young people", "In this report, children and young people from birth to 18, and young people up to 21 or older who are entitled to support after leaving care."),
    ("Children's Reporter and children's hearing", "The Children's Reporter decides whether a child should be referred to a children's hearing, a panel of trained volunteers who decide what compulsory measures of supervision a child needs."),
    ("Community planning partnership (CPP)", "The council, NHS board, police, the Children's Reporter and other partners, planning services for the area together."),
    ("Corporate parenting", "The duty the council and its partners share to act for the children they look after as a good parent would."),
    ("GIRFEC", "Getting it right for every child: the national approach to improving outcomes for children and young people."),
    ("Kinship care", "Care of a child by relatives or friends of the family, when the child cannot live with their parents."),
    ("Lead Professional", "The person who co-ordinates the support for a child who needs help from more than one agency."),
    ("Looked after", "A child in the care of the local authority, living at home or away from home."),
    ("Named Person", "A person in health or education who is a first point of contact for a child and family."),
    ("Partners", "The organisations in the community planning partnership that provide or plan services for children and families: the council, the NHS board, the police, the Children's Reporter and the voluntary sector."),
    ("Position statement", "A short account by the partnership of how well a service area is doing, its evidence and its plans, asked for before the inspection."),
    ("Quality indicator", "A statement of what good looks like, used to evaluate one aspect of services."),
    ("Records reading", "Inspectors reading the records of a sample of children to see the difference services make."),
    ("Throughcare and aftercare", "Support for young people preparing to leave care (throughcare) and after they have left it (aftercare)."),
    ("Young inspectors", "Young people with experience of services, trained to take part in the inspection alongside the inspectors."),
];

/// A draft for comment, or the final report for publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Final,
}

impl Named for Status {
    const ALL: &'static [Status] = &[Status::Draft, Status::Final];

    fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Final => "final",
        }
    }
}
crate::deserialize_named!(Status);

/// An evaluation on the six-point scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub enum Grade {
    #[serde(rename = "unsatisfactory")]
    Unsatisfactory,
    #[serde(rename = "weak")]
    Weak,
    #[serde(rename = "adequate")]
    Adequate,
    #[serde(rename = "good")]
    Good,
    #[serde(rename = "very good")]
    VeryGood,
    #[serde(rename = "excellent")]
    Excellent,
}

impl Named for Grade {
    /// From the top of the scale, as the methodology lists it.
    const ALL: &'static [Grade] = &[
        Grade::Excellent,
        Grade::VeryGood,
        Grade::Good,
        Grade::Adequate,
        Grade::Weak,
        Grade::Unsatisfactory,
    ];

    fn as_str(self) -> &'static str {
        SCALE[self as usize].0
    }
}
crate::deserialize_named!(Grade);

impl Grade {
    /// Its point on the scale: 6 for excellent ... 1 for unsatisfactory.
    pub fn points(self) -> u8 {
        self as u8 + 1
    }

    /// The grade of a point on the scale.
    pub fn of_points(points: u8) -> Option<Grade> {
        Grade::ALL.iter().copied().find(|g| g.points() == points)
    }

    /// "Very good": as printed.
    pub fn word(self) -> String {
        let s = self.as_str();
        s[..1].to_uppercase() + &s[1..]
    }

    /// What each point means, for the scale's appendix.
    pub fn meaning(self) -> &'static str {
        SCALE[self as usize].1
    }

    /// The evaluation with its meaning in plain words, for a reader of about
    /// twelve: "very good: lots of strengths".
    pub fn plain(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent: one of the best",
            Grade::VeryGood => "very good: lots of strengths",
            Grade::Good => "good: strong, with some things to do better",
            Grade::Adequate => "adequate: a bit more good than bad",
            Grade::Weak => "weak: big things must get better",
            Grade::Unsatisfactory => "unsatisfactory: big problems to fix right away",
        }
    }
}

/// `findings/findings.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Findings {
    /// `draft` (issued for comment) or `final` (for publication).
    pub status: Status,
    /// One per quality indicator evaluated.
    #[serde(default)]
    pub evaluations: Vec<Evaluation>,
    /// Particular strengths, in the Conclusion.
    #[serde(default)]
    pub strengths: Vec<Statement>,
    /// Areas for improvement, in the Conclusion.
    #[serde(default)]
    pub improvements: Vec<Statement>,
    /// What the CPP answers in the action plan.
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    /// What each records-reading rating measured.
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// Additions to the built-in glossary.
    #[serde(default)]
    pub terms: Vec<Term>,
    /// Whom and what the team met and saw, as counts.
    #[serde(default)]
    pub evidence: Evidence,
    /// Why fewer children's records were read than were sampled, when so
    /// (a final report needs it then).
    #[serde(default)]
    pub records_not_read: Option<String>,
}

/// `[evidence]`: whom and what the team met and saw. Every count is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub children_young_people: Option<u32>,
    pub parents_carers: Option<u32>,
    pub staff: Option<u32>,
    pub focus_groups: Option<u32>,
    pub observations: Option<u32>,
    pub site_visits: Option<u32>,
}

impl Evidence {
    /// Each count given, with its key, in the order the report states them,
    /// and whether it counts people (the small-number rule then applies).
    pub fn counts(&self) -> Vec<(&'static str, u32, bool)> {
        [
            ("children_young_people", self.children_young_people, true),
            ("parents_carers", self.parents_carers, true),
            ("staff", self.staff, true),
            ("focus_groups", self.focus_groups, false),
            ("observations", self.observations, false),
            ("site_visits", self.site_visits, false),
        ]
        .into_iter()
        .filter_map(|(k, n, people)| n.map(|n| (k, n, people)))
        .collect()
    }
}

/// A quality indicator and its evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// The indicator's number: "5.2".
    pub qi: String,
    /// The indicator's title.
    pub title: String,
    /// The question (1, 2 or 3) whose section it belongs to.
    pub question: u8,
    /// The evaluation on the six-point scale.
    pub evaluation: Grade,
}

/// A strength or an area for improvement.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The sentence as printed.
    pub text: String,
}

/// A recommendation to the CPP.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    /// Its reference: "R1".
    pub id: String,
    /// The recommendation, word for word.
    pub text: String,
    /// The evaluated indicators it follows from.
    #[serde(default)]
    pub qi: Vec<String>,
}

/// A measure of the records reading.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Its key in records-reading.csv.
    pub key: String,
    /// What it measured.
    pub title: String,
    /// The evaluated indicator it informs.
    pub qi: String,
}

/// A term of the glossary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The term: "GIRFEC".
    pub term: String,
    /// What it means.
    pub meaning: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_is_the_methodologys_as_written_and_read() {
        for g in Grade::ALL {
            let word = SCALE[g.points() as usize - 1].0;
            assert_eq!(
                serde_json::to_value(g).unwrap(),
                word,
                "{g:?} is written as the methodology's word"
            );
            assert_eq!(g.as_str(), word);
        }
    }

    #[test]
    fn the_scale_runs_from_six_to_one() {
        assert_eq!(Grade::Excellent.points(), 6);
        assert_eq!(Grade::Adequate.points(), 3);
        assert_eq!(Grade::Unsatisfactory.points(), 1);
        assert_eq!(Grade::of_points(5), Some(Grade::VeryGood));
        assert_eq!(Grade::VeryGood.word(), "Very good");
        assert_eq!(crate::base::named::parse::<Grade>("Very Good"), Ok(Grade::VeryGood));
        assert!(crate::base::named::parse::<Grade>("satisfactory").is_err());
    }
}
