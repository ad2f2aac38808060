//! The records-access rules: which record holders are asked for which child.
//!
//! A child in need of protection: health, education, social work and police.
//! Every other child: the Lead Professional, else the Named Person.

use serde::Serialize;

use crate::model::{Agency, Category, Child, Contact, HolderRole};

/// Why a holder is asked for a child's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    ChildProtection,
    LeadProfessional,
    NamedPerson,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::ChildProtection => "child_protection",
            Rule::LeadProfessional => "lead_professional",
            Rule::NamedPerson => "named_person",
        }
    }
}

/// One request: one child's core records from one holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub case_ref: String,
    pub category: Category,
    pub rule: Rule,
    pub agency: Agency,
    pub holder: String,
}

/// A sampled child whose required holder is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub case_ref: String,
    pub line: usize,
    /// The role whose population.csv column is empty.
    pub role: HolderRole,
}

/// The requests the rules give for one child, or every missing holder.
pub fn requests_for(child: &Child, contact: impl Fn(&str) -> Option<Agency>) -> Result<Vec<Request>, Vec<Missing>> {
    let request = |rule, agency, holder: &str| Request {
        case_ref: child.case_ref.clone(),
        category: child.category,
        rule,
        agency,
        holder: holder.to_string(),
    };
    let missing = |role| Missing {
        case_ref: child.case_ref.clone(),
        line: child.at.line,
        role,
    };
    if child.protection {
        let mut out = Vec::new();
        let mut gaps = Vec::new();
        for role in HolderRole::PROTECTION {
            let agency = role.agency().expect("the protection roles are agencies");
            match child.holder(role) {
                Some(h) => out.push(request(Rule::ChildProtection, agency, h)),
                None => gaps.push(missing(role)),
            }
        }
        return if gaps.is_empty() { Ok(out) } else { Err(gaps) };
    }
    let (rule, holder) = match (
        child.holder(HolderRole::LeadProfessional),
        child.holder(HolderRole::NamedPerson),
    ) {
        (Some(lp), _) => (Rule::LeadProfessional, lp),
        (None, Some(np)) => (Rule::NamedPerson, np),
        (None, None) => return Err(vec![missing(HolderRole::NamedPerson)]),
    };
    let agency = contact(holder).unwrap_or(Agency::Other);
    Ok(vec![request(rule, agency, holder)])
}

/// The requests for every child, sorted by holder then case reference, or
/// every child whose required holder is missing (nothing is dropped).
pub fn requests<'a>(
    children: impl IntoIterator<Item = &'a Child>,
    contacts: &[Contact],
) -> Result<Vec<Request>, Vec<Missing>> {
    let by_id: std::collections::HashMap<&str, Agency> = contacts.iter().map(|c| (c.id.as_str(), c.agency)).collect();
    let agency = |id: &str| by_id.get(id).copied();
    let mut out = Vec::new();
    let mut gaps = Vec::new();
    for child in children {
        match requests_for(child, agency) {
            Ok(r) => out.extend(r),
            Err(m) => gaps.extend(m),
        }
    }
    if !gaps.is_empty() {
        return Err(gaps);
    }
    out.sort_by(|a, b| (&a.holder, &a.case_ref, a.agency).cmp(&(&b.holder, &b.case_ref, b.agency)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(protection: bool, holders: [&str; 6]) -> Child {
        let h = |s: &str| {
            if s.is_empty() {
                None
            } else {
                Some(s.to_string())
            }
        };
        Child {
            case_ref: "C1".into(),
            category: Category::Cpr,
            protection,
            lead_professional: h(holders[0]),
            named_person: h(holders[1]),
            health: h(holders[2]),
            education: h(holders[3]),
            social_work: h(holders[4]),
            police: h(holders[5]),
            name: None,
            date_of_birth: None,
            at: Default::default(),
        }
    }

    fn holders(r: &[Request]) -> Vec<(&str, Rule, Agency)> {
        r.iter().map(|r| (r.holder.as_str(), r.rule, r.agency)).collect()
    }

    #[test]
    fn protection_asks_all_four_agencies_only() {
        let c = child(true, ["lp", "np", "h", "e", "s", "p"]);
        let r = requests_for(&c, |_| Some(Agency::SocialWork)).unwrap();
        assert_eq!(
            holders(&r),
            [
                ("h", Rule::ChildProtection, Agency::Health),
                ("e", Rule::ChildProtection, Agency::Education),
                ("s", Rule::ChildProtection, Agency::SocialWork),
                ("p", Rule::ChildProtection, Agency::Police)
            ]
        );
    }

    #[test]
    fn lead_professional_wins_over_named_person() {
        let c = child(false, ["lp", "np", "h", "e", "s", "p"]);
        let r = requests_for(&c, |_| Some(Agency::SocialWork)).unwrap();
        assert_eq!(holders(&r), [("lp", Rule::LeadProfessional, Agency::SocialWork)]);
        let c = child(false, ["", "np", "h", "", "", ""]);
        let r = requests_for(&c, |_| Some(Agency::Education)).unwrap();
        assert_eq!(holders(&r), [("np", Rule::NamedPerson, Agency::Education)]);
    }

    #[test]
    fn missing_holders_are_all_named() {
        let c = child(true, ["", "", "h", "", "s", ""]);
        let gaps = requests_for(&c, |_| None).unwrap_err();
        let roles: Vec<HolderRole> = gaps.iter().map(|m| m.role).collect();
        assert_eq!(roles, [HolderRole::Education, HolderRole::Police]);
        let c = child(false, ["", "", "h", "e", "s", "p"]);
        assert_eq!(requests_for(&c, |_| None).unwrap_err()[0].role, HolderRole::NamedPerson);
    }
}
