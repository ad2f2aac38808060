//! The records-access rules: which record holders are asked for which child.
//!
//! A child in need of protection: health, education, social work and police
//! (education only from school age, unless population.csv names an education
//! holder for the child: a nursery's records).
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

/// Whether a child born on `born` is under school age on `on`. In Scotland a
/// child starts primary school in the August after turning four and a half:
/// those born from 1 March of one year to the end of February of the next
/// start together, in the August of the year they turn five (or, born in
/// January or February, the August before).
pub fn under_school_age(born: chrono::NaiveDate, on: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    let starts = if born.month() >= 3 {
        born.year() + 5
    } else {
        born.year() + 4
    };
    chrono::NaiveDate::from_ymd_opt(starts, 8, 1).is_some_and(|first| on < first)
}

/// The requests the rules give for one child, or every missing holder. A
/// child in need of protection who is under school age on `on` (by the date of
/// birth population.csv gives) needs no education holder: one named is asked.
pub fn requests_for(
    child: &Child,
    on: chrono::NaiveDate,
    contact: impl Fn(&str) -> Option<Agency>,
) -> Result<Vec<Request>, Vec<Missing>> {
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
            let not_at_school =
                role == HolderRole::Education && child.date_of_birth.is_some_and(|born| under_school_age(born, on));
            match child.holder(role) {
                Some(h) => out.push(request(Rule::ChildProtection, agency, h)),
                None if not_at_school => {}
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
    on: chrono::NaiveDate,
    contacts: &[Contact],
) -> Result<Vec<Request>, Vec<Missing>> {
    let by_id: std::collections::HashMap<&str, Agency> = contacts.iter().map(|c| (c.id.as_str(), c.agency)).collect();
    let agency = |id: &str| by_id.get(id).copied();
    let mut out = Vec::new();
    let mut gaps = Vec::new();
    for child in children {
        match requests_for(child, on, agency) {
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

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn school_age_begins_in_the_august_after_four_and_a_half() {
        let on = day(2013, 3, 4);
        // Born in July 2012: a baby, years from school.
        assert!(under_school_age(day(2012, 7, 14), on));
        // Born March 2008: starts in August 2013, not yet at school.
        assert!(under_school_age(day(2008, 3, 1), on));
        // Born February 2008 (and March 2007): started in August 2012.
        assert!(!under_school_age(day(2008, 2, 29), on));
        assert!(!under_school_age(day(2007, 3, 1), on));
        assert!(!under_school_age(day(2008, 3, 1), day(2013, 8, 1)));
    }

    #[test]
    fn a_child_under_school_age_is_asked_of_education_only_when_a_holder_is_named() {
        let mut baby = child(true, ["lp", "np", "h", "", "s", "p"]);
        baby.date_of_birth = Some(day(2012, 7, 14));
        let r = requests_for(&baby, day(2013, 3, 4), |_| None).unwrap();
        assert!(r.iter().all(|r| r.agency != Agency::Education), "{r:?}");
        assert_eq!(r.len(), 3);
        // A nursery's records, named in population.csv, are asked for.
        baby.education = Some("nursery".into());
        let r = requests_for(&baby, day(2013, 3, 4), |_| None).unwrap();
        assert!(r.iter().any(|r| r.holder == "nursery" && r.agency == Agency::Education));
        // At school, a missing education holder is still an error.
        let mut pupil = child(true, ["lp", "np", "h", "", "s", "p"]);
        pupil.date_of_birth = Some(day(2005, 7, 14));
        let gaps = requests_for(&pupil, day(2013, 3, 4), |_| None).unwrap_err();
        assert_eq!(gaps[0].role, HolderRole::Education);
    }

    fn holders(r: &[Request]) -> Vec<(&str, Rule, Agency)> {
        r.iter().map(|r| (r.holder.as_str(), r.rule, r.agency)).collect()
    }

    #[test]
    fn protection_asks_all_four_agencies_only() {
        let c = child(true, ["lp", "np", "h", "e", "s", "p"]);
        let r = requests_for(&c, day(2013, 3, 4), |_| Some(Agency::SocialWork)).unwrap();
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
        let r = requests_for(&c, day(2013, 3, 4), |_| Some(Agency::SocialWork)).unwrap();
        assert_eq!(holders(&r), [("lp", Rule::LeadProfessional, Agency::SocialWork)]);
        let c = child(false, ["", "np", "h", "", "", ""]);
        let r = requests_for(&c, day(2013, 3, 4), |_| Some(Agency::Education)).unwrap();
        assert_eq!(holders(&r), [("np", Rule::NamedPerson, Agency::Education)]);
    }

    #[test]
    fn missing_holders_are_all_named() {
        let c = child(true, ["", "", "h", "", "s", ""]);
        let gaps = requests_for(&c, day(2013, 3, 4), |_| None).unwrap_err();
        let roles: Vec<HolderRole> = gaps.iter().map(|m| m.role).collect();
        assert_eq!(roles, [HolderRole::Education, HolderRole::Police]);
        let c = child(false, ["", "", "h", "e", "s", "p"]);
        assert_eq!(
            requests_for(&c, day(2013, 3, 4), |_| None).unwrap_err()[0].role,
            HolderRole::NamedPerson
        );
    }
}
