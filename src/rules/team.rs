//! The team rules of the methodology: who may lead the inspection, and whether
//! the team can read the sample's records in scoping phase three.

use crate::model::Inspection;

/// Children one reader reads in a day when `records.per_reader_day` is not set.
pub const DEFAULT_PER_READER_DAY: u32 = 3;

/// The lead or depute whose links include the inspected area: (the role's
/// `inspection.toml` table, its words, the person's name).
pub fn linked_leaders(i: &Inspection) -> Vec<(&'static str, &'static str, &str)> {
    [
        ("lead", "Inspection Lead", &i.lead),
        ("depute", "Depute Lead", &i.depute),
    ]
    .into_iter()
    .filter(|(_, _, p)| p.linked_to(&i.area))
    .map(|(key, words, p)| (key, words, p.name.as_str()))
    .collect()
}

/// How many of the team read records: members unless they say not, the lead
/// and depute only when they say so.
pub fn readers(i: &Inspection) -> usize {
    [&i.lead, &i.depute].iter().filter(|p| p.reads_records).count() + i.team.iter().filter(|m| m.reads_records).count()
}

/// The records reading as the team can do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub children: usize,
    pub per_day: u32,
    /// The working days of scoping phase three.
    pub days: usize,
    pub readers: usize,
}

impl Capacity {
    pub fn of(i: &Inspection, children: usize, days: usize) -> Capacity {
        Capacity {
            children,
            per_day: i.records.per_reader_day.unwrap_or(DEFAULT_PER_READER_DAY),
            days,
            readers: readers(i),
        }
    }

    /// The readers the sample needs.
    pub fn needed(&self) -> usize {
        let per_reader = self.per_day as usize * self.days;
        match per_reader {
            0 => self.children,
            n => self.children.div_ceil(n),
        }
    }

    pub fn enough(&self) -> bool {
        self.readers >= self.needed()
    }

    /// "the sample of 88 children needs 6 readers at 3 a day over 5 days; the team has 4".
    pub fn words(&self) -> String {
        use crate::base::text::count;
        format!(
            "the sample of {} needs {} at {} a day over {}; the team has {}",
            count(self.children, "child", "children"),
            count(self.needed(), "reader", "readers"),
            self.per_day,
            count(self.days, "day", "days"),
            self.readers
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readers_needed_round_up() {
        let c = Capacity {
            children: 88,
            per_day: 3,
            days: 5,
            readers: 4,
        };
        assert_eq!(c.needed(), 6);
        assert!(!c.enough());
        assert_eq!(
            c.words(),
            "the sample of 88 children needs 6 readers at 3 a day over 5 days; the team has 4"
        );
        assert!(Capacity { readers: 6, ..c }.enough());
        assert_eq!(Capacity { children: 90, ..c }.needed(), 6);
        assert_eq!(Capacity { children: 91, ..c }.needed(), 7);
    }
}
