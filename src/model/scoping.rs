//! The scoping tool, as `scoping.toml` holds it: each area the team looks at,
//! classed phase by phase, with the evidence, the rationale and the targeted
//! scrutiny proposed for the core (proportionate) phase.

use schemars::JsonSchema;
use serde::Serialize;

use crate::base::named::Named;

/// What the team concluded of an area at a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    NoSignificantConcerns,
    Uncertainty,
    Concern,
}

impl Named for Class {
    const ALL: &'static [Class] = &[Class::NoSignificantConcerns, Class::Uncertainty, Class::Concern];

    fn as_str(self) -> &'static str {
        match self {
            Class::NoSignificantConcerns => "no_significant_concerns",
            Class::Uncertainty => "uncertainty",
            Class::Concern => "concern",
        }
    }
}
crate::deserialize_named!(Class);

impl Class {
    /// The printed words.
    pub fn words(self) -> &'static str {
        match self {
            Class::NoSignificantConcerns => "No significant concerns",
            Class::Uncertainty => "Uncertainty",
            Class::Concern => "Concern",
        }
    }

    /// Whether the core phase must look further at the area.
    pub fn needs_scrutiny(self) -> bool {
        self != Class::NoSignificantConcerns
    }
}

/// What informed the team's view of an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Intelligence,
    Data,
    Documents,
    Plans,
    CareServices,
    SelfEvaluation,
    PositionStatements,
    Leadership,
    YoungInspectors,
    Survey,
    Records,
}

impl Named for Evidence {
    const ALL: &'static [Evidence] = &[
        Evidence::Intelligence,
        Evidence::Data,
        Evidence::Documents,
        Evidence::Plans,
        Evidence::CareServices,
        Evidence::SelfEvaluation,
        Evidence::PositionStatements,
        Evidence::Leadership,
        Evidence::YoungInspectors,
        Evidence::Survey,
        Evidence::Records,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Evidence::Intelligence => "intelligence",
            Evidence::Data => "data",
            Evidence::Documents => "documents",
            Evidence::Plans => "plans",
            Evidence::CareServices => "care_services",
            Evidence::SelfEvaluation => "self_evaluation",
            Evidence::PositionStatements => "position_statements",
            Evidence::Leadership => "leadership",
            Evidence::YoungInspectors => "young_inspectors",
            Evidence::Survey => "survey",
            Evidence::Records => "records",
        }
    }
}
crate::deserialize_named!(Evidence);

impl Evidence {
    /// The scoping phase that brings this evidence, as the methodology
    /// (section 4) sets them out: the tool of an earlier phase does not list it.
    pub fn phase(self) -> usize {
        match self {
            Evidence::Intelligence
            | Evidence::Data
            | Evidence::Documents
            | Evidence::Plans
            | Evidence::CareServices => 1,
            Evidence::SelfEvaluation
            | Evidence::PositionStatements
            | Evidence::Leadership
            | Evidence::YoungInspectors
            | Evidence::Survey => 2,
            Evidence::Records => 3,
        }
    }

    /// A few words, for the tool's table: "Care service inspections".
    pub fn short(self) -> &'static str {
        match self {
            Evidence::Intelligence => "Intelligence from the scrutiny bodies",
            Evidence::Data => "Core data",
            Evidence::Documents => "Planning documents",
            Evidence::Plans => "Plans and progress reports",
            Evidence::CareServices => "Care service inspections",
            Evidence::SelfEvaluation => "Self-evaluation",
            Evidence::PositionStatements => "Position statements",
            Evidence::Leadership => "Leadership activity",
            Evidence::YoungInspectors => "Young inspectors",
            Evidence::Survey => "Survey of named persons",
            Evidence::Records => "Records reading",
        }
    }

    /// The evidence in the methodology's words (section 4).
    pub fn words(self) -> &'static str {
        match self {
            Evidence::Intelligence => "intelligence, information and evidence from the scrutiny bodies",
            Evidence::Data => "the core set of economic, demographic and statistical data",
            Evidence::Documents => "documents on community planning, integrated children's services planning and the child protection committee",
            Evidence::Plans => "the integrated children's services plan, progress reports, and service and improvement plans",
            Evidence::CareServices => "the findings of the care service inspections",
            Evidence::SelfEvaluation => "the partnership's self-evaluation material and its evidence",
            Evidence::PositionStatements => "the position statements",
            Evidence::Leadership => "activity on leadership",
            Evidence::YoungInspectors => "the young inspectors' evidence",
            Evidence::Survey => "the survey of named persons",
            Evidence::Records => "the reading of children's records",
        }
    }
}

/// Targeted scrutiny for the core phase, as the methodology lists it (section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Interviews,
    TeamFocusGroups,
    ThemeFocusGroups,
    Observations,
    YoungPeopleFocusGroups,
    SiteVisits,
    BestPractice,
}

impl Named for Activity {
    const ALL: &'static [Activity] = &[
        Activity::Interviews,
        Activity::TeamFocusGroups,
        Activity::ThemeFocusGroups,
        Activity::Observations,
        Activity::YoungPeopleFocusGroups,
        Activity::SiteVisits,
        Activity::BestPractice,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Activity::Interviews => "interviews",
            Activity::TeamFocusGroups => "team_focus_groups",
            Activity::ThemeFocusGroups => "theme_focus_groups",
            Activity::Observations => "observations",
            Activity::YoungPeopleFocusGroups => "young_people_focus_groups",
            Activity::SiteVisits => "site_visits",
            Activity::BestPractice => "best_practice",
        }
    }
}
crate::deserialize_named!(Activity);

impl Activity {
    /// The seed's own words for the activity.
    pub fn words(self) -> &'static str {
        match self {
            Activity::Interviews => "a proportionate selection of interviews with children, young people, parents and carers",
            Activity::TeamFocusGroups => "a proportionate number of interviews of multi-agency focus groups of staff in 'teams around the child'",
            Activity::ThemeFocusGroups => "multi-agency or single-agency focus groups of staff around selected themes such as early intervention and corporate parenting",
            Activity::Observations => "observations of groups or key processes",
            Activity::YoungPeopleFocusGroups => "focus groups of young people around particular themes or issues",
            Activity::SiteVisits => "site visits",
            Activity::BestPractice => "activity to validate best practice which can be promoted nationally",
        }
    }
}

/// `scoping.toml`.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scoping {
    /// The areas the team looks at.
    #[serde(default)]
    pub areas: Vec<Area>,
}

/// One area of the scoping tool.
#[derive(Debug, Clone, Serialize, serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// The quality indicator the area concerns: "5.2".
    pub qi: String,
    /// The area: "Assessing and responding to risks and needs".
    pub title: String,
    /// What informed the team's view.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The class after scoping phase one.
    pub phase_one: Option<Class>,
    /// The class after scoping phase two, once it is done.
    #[serde(default)]
    pub phase_two: Option<Class>,
    /// The class after scoping phase three, once it is done.
    #[serde(default)]
    pub phase_three: Option<Class>,
    /// Why the team classes the area so after scoping phase one, in the
    /// tense of that phase's professional discussion.
    #[serde(default)]
    pub rationale: String,
    /// Why, after scoping phase two (its discussion's own words); phase
    /// one's rationale is carried where there is none.
    #[serde(default)]
    pub rationale_two: Option<String>,
    /// Why, after scoping phase three (the records reading); the latest
    /// earlier rationale is carried where there is none.
    #[serde(default)]
    pub rationale_three: Option<String>,
    /// The targeted scrutiny proposed for the core phase.
    #[serde(default)]
    pub activities: Vec<Activity>,
}

impl Area {
    /// The classes of phases one to three (`None` where not yet done).
    pub fn classes(&self) -> [Option<Class>; 3] {
        [self.phase_one, self.phase_two, self.phase_three]
    }

    /// The class at the latest phase up to `phase` (1 to 3).
    pub fn latest(&self, phase: usize) -> Option<Class> {
        self.classes()[..phase].iter().rev().find_map(|c| *c)
    }

    /// The rationales of phases one to three (`None` where the phase has none of its own).
    pub fn rationales(&self) -> [Option<&str>; 3] {
        [
            Some(self.rationale.as_str()),
            self.rationale_two.as_deref(),
            self.rationale_three.as_deref(),
        ]
        .map(|r| r.filter(|r| !r.trim().is_empty()))
    }

    /// The rationale at `phase` (1 to 3): its own, else the latest earlier one.
    pub fn rationale_at(&self, phase: usize) -> &str {
        self.rationales()[..phase].iter().rev().find_map(|r| *r).unwrap_or("")
    }

    /// The class shown at `phase` (1 to 3): its own, or the class carried
    /// from the latest earlier phase with that phase's number (2 for "no
    /// change since phase two"); `None` before the area's first class.
    pub fn class_at(&self, phase: usize) -> Option<(Class, Option<usize>)> {
        let classes = self.classes();
        match classes[phase - 1] {
            Some(c) => Some((c, None)),
            None => (1..phase).rev().find_map(|p| classes[p - 1].map(|c| (c, Some(p)))),
        }
    }
}

impl Scoping {
    /// The latest phase any area has reached (0 when none has).
    pub fn phases_done(&self) -> usize {
        self.areas
            .iter()
            .map(|a| a.classes().iter().rposition(Option::is_some).map_or(0, |i| i + 1))
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_class_is_the_last_phase_done() {
        let a: Area = toml::from_str(
            "qi = \"5.2\"\ntitle = \"t\"\nphase_one = \"uncertainty\"\nphase_two = \"no_significant_concerns\"",
        )
        .unwrap();
        assert_eq!(a.latest(1), Some(Class::Uncertainty));
        assert_eq!(a.latest(3), Some(Class::NoSignificantConcerns));
        let s = Scoping { areas: vec![a] };
        assert_eq!(s.phases_done(), 2);
    }
}
