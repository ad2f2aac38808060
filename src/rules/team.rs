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

/// The names of the team who read records, in the order of `inspection.toml`:
/// the lead and depute (when they say so), then the team.
pub fn reader_names(i: &Inspection) -> Vec<&str> {
    [&i.lead, &i.depute]
        .into_iter()
        .filter(|p| p.reads_records)
        .map(|p| p.name.as_str())
        .chain(i.team.iter().filter(|m| m.reads_records).map(|m| m.name.as_str()))
        .collect()
}

/// The sample shared among `readers` in its order: each reader's run of
/// children (as places in the sample), as even as can be, the first readers
/// taking one more where it does not divide. Within `per_reader_day` a day
/// whenever the team has the readers (the capacity check says when not).
pub fn allocate(children: usize, readers: usize) -> Vec<std::ops::Range<usize>> {
    if readers == 0 {
        return Vec::new();
    }
    let (each, extra) = (children / readers, children % readers);
    let mut start = 0;
    (0..readers)
        .map(|r| {
            let n = each + usize::from(r < extra);
            let run = start..start + n;
            start += n;
            run
        })
        .collect()
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
    fn the_sample_is_shared_evenly_in_its_order() {
        assert_eq!(allocate(10, 3), vec![0..4, 4..7, 7..10]);
        assert_eq!(allocate(2, 3), vec![0..1, 1..2, 2..2]);
        assert!(allocate(5, 0).is_empty());
    }

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
