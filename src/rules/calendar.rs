//! Working days in Scotland: Monday to Friday, less Scottish bank holidays
//! (computed by rule for any year, plus a table of one-off changes) and any
//! local holidays the inspection adds.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A bank holiday: its date and the name GOV.UK gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

/// One-off changes proclaimed for a single year. `moved` replaces the holiday
/// that the rule would give with another date; `added` is an extra holiday.
enum OneOff {
    Moved {
        name: &'static str,
        from: (i32, u32, u32),
        to: (u32, u32),
    },
    Added {
        name: &'static str,
        on: (i32, u32, u32),
    },
}

const ONE_OFFS: &[OneOff] = &[
    OneOff::Added {
        name: "Royal wedding",
        on: (2011, 4, 29),
    },
    OneOff::Moved {
        name: "Spring bank holiday",
        from: (2012, 5, 28),
        to: (6, 4),
    },
    OneOff::Added {
        name: "Queen's Diamond Jubilee",
        on: (2012, 6, 5),
    },
    OneOff::Moved {
        name: "Early May bank holiday (VE day)",
        from: (2020, 5, 4),
        to: (5, 8),
    },
    OneOff::Moved {
        name: "Spring bank holiday",
        from: (2022, 5, 30),
        to: (6, 2),
    },
    OneOff::Added {
        name: "Platinum Jubilee bank holiday",
        on: (2022, 6, 3),
    },
    OneOff::Added {
        name: "Bank Holiday for the State Funeral of Queen Elizabeth II",
        on: (2022, 9, 19),
    },
    OneOff::Added {
        name: "Bank holiday for the coronation of King Charles III",
        on: (2023, 5, 8),
    },
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" rule).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

fn nth_monday(year: i32, month: u32, n: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, n as u8).expect("a month has a first Monday")
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let mut d = ymd(year, month + 1, 1) - Days::new(1);
    while d.weekday() != Weekday::Mon {
        d = d - Days::new(1);
    }
    d
}

/// Scottish bank holidays of one year, in date order.
pub fn scottish_bank_holidays(year: i32) -> Vec<Holiday> {
    // Fixed-date holidays may fall at a weekend and then move to a substitute day.
    let mut fixed: Vec<(NaiveDate, &str)> = vec![(ymd(year, 1, 1), "New Year's Day"), (ymd(year, 1, 2), "2nd January")];
    // St Andrew's Day became a bank holiday by the St Andrew's Day Bank Holiday (Scotland) Act 2007.
    if year >= 2007 {
        fixed.push((ymd(year, 11, 30), "St Andrew's Day"));
    }
    fixed.push((ymd(year, 12, 25), "Christmas Day"));
    fixed.push((ymd(year, 12, 26), "Boxing Day"));

    let mut movable: Vec<(NaiveDate, String)> = vec![
        (easter_sunday(year) - Days::new(2), "Good Friday".into()),
        (nth_monday(year, 5, 1), "Early May bank holiday".into()),
        (last_monday(year, 5), "Spring bank holiday".into()),
        (nth_monday(year, 8, 1), "Summer bank holiday".into()),
    ];
    for one_off in ONE_OFFS {
        match *one_off {
            OneOff::Moved {
                name,
                from: (y, m, d),
                to: (tm, td),
            } if y == year => {
                let from = ymd(y, m, d);
                for entry in movable.iter_mut().filter(|(date, _)| *date == from) {
                    *entry = (ymd(y, tm, td), name.to_string());
                }
            }
            OneOff::Added { name, on: (y, m, d) } if y == year => {
                movable.push((ymd(y, m, d), name.to_string()));
            }
            _ => {}
        }
    }

    let mut taken: BTreeSet<NaiveDate> = movable.iter().map(|(d, _)| *d).collect();
    let mut out: Vec<Holiday> = movable.into_iter().map(|(date, name)| Holiday { date, name }).collect();
    // Weekday holidays keep their day; weekend ones then move, in date order, to the
    // next weekday that is not already a holiday (1 Jan on a Sunday, 2 Jan a Monday:
    // New Year's Day moves to Tuesday 3 January).
    for (date, name) in fixed.iter().filter(|(d, _)| !is_weekend(*d)) {
        taken.insert(*date);
        out.push(Holiday {
            date: *date,
            name: name.to_string(),
        });
    }
    for (date, name) in fixed.iter().filter(|(d, _)| is_weekend(*d)) {
        let mut sub = *date;
        while is_weekend(sub) || taken.contains(&sub) {
            sub = sub + Days::new(1);
        }
        taken.insert(sub);
        out.push(Holiday {
            date: sub,
            name: format!("{name} (substitute day)"),
        });
    }
    out.sort_by_key(|h| h.date);
    out
}

/// Working days: weekdays that are neither Scottish bank holidays nor local holidays.
#[derive(Debug, Clone)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    local: BTreeSet<NaiveDate>,
    years: std::ops::RangeInclusive<i32>,
}

impl Calendar {
    /// A calendar covering `years` (dates outside it are still answered, by
    /// computing the holidays of that year on the fly).
    pub fn new(local: impl IntoIterator<Item = NaiveDate>, years: std::ops::RangeInclusive<i32>) -> Self {
        let holidays = years.clone().flat_map(scottish_bank_holidays).map(|h| h.date).collect();
        Calendar {
            holidays,
            local: local.into_iter().collect(),
            years,
        }
    }

    /// A calendar for the years around `date`, enough for any inspection timeline.
    pub fn around(date: NaiveDate, local: impl IntoIterator<Item = NaiveDate>) -> Self {
        Calendar::new(local, date.year() - 2..=date.year() + 2)
    }

    pub fn is_bank_holiday(&self, d: NaiveDate) -> bool {
        if self.years.contains(&d.year()) {
            self.holidays.contains(&d)
        } else {
            scottish_bank_holidays(d.year()).iter().any(|h| h.date == d)
        }
    }

    pub fn is_local_holiday(&self, d: NaiveDate) -> bool {
        self.local.contains(&d)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !is_weekend(d) && !self.is_bank_holiday(d) && !self.is_local_holiday(d)
    }

    /// The latest working day on or before `d`.
    pub fn on_or_before(&self, mut d: NaiveDate) -> NaiveDate {
        while !self.is_working_day(d) {
            d = d - Days::new(1);
        }
        d
    }

    /// The earliest working day on or after `d`.
    pub fn on_or_after(&self, mut d: NaiveDate) -> NaiveDate {
        while !self.is_working_day(d) {
            d = d + Days::new(1);
        }
        d
    }

    /// The first working day strictly after `d`.
    pub fn next(&self, d: NaiveDate) -> NaiveDate {
        self.on_or_after(d + Days::new(1))
    }

    /// The last working day strictly before `d`.
    pub fn previous(&self, d: NaiveDate) -> NaiveDate {
        self.on_or_before(d - Days::new(1))
    }

    /// The working day `n` working days before `d` (n = 1 is the previous working day).
    pub fn working_days_before(&self, mut d: NaiveDate, n: u32) -> NaiveDate {
        for _ in 0..n {
            d = self.previous(d);
        }
        d
    }

    /// The working day `n` working days after `d` (n = 1 is the next working day).
    pub fn working_days_after(&self, mut d: NaiveDate, n: u32) -> NaiveDate {
        for _ in 0..n {
            d = self.next(d);
        }
        d
    }

    /// The last of `n` consecutive working days starting on `start` (itself a working day).
    pub fn span_end(&self, start: NaiveDate, n: u32) -> NaiveDate {
        self.working_days_after(start, n.saturating_sub(1))
    }

    /// Every working day from `start` to `end` inclusive.
    pub fn working_days(&self, start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
        start
            .iter_days()
            .take_while(|d| *d <= end)
            .filter(|d| self.is_working_day(*d))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(year: i32) -> Vec<String> {
        scottish_bank_holidays(year)
            .iter()
            .map(|h| h.date.format("%m-%d").to_string())
            .collect()
    }

    #[test]
    fn easter_is_right_for_known_years() {
        assert_eq!(easter_sunday(2012), ymd(2012, 4, 8));
        assert_eq!(easter_sunday(2013), ymd(2013, 3, 31));
        assert_eq!(easter_sunday(2019), ymd(2019, 4, 21));
        assert_eq!(easter_sunday(2024), ymd(2024, 3, 31));
        assert_eq!(easter_sunday(2030), ymd(2030, 4, 21));
    }

    /// Published Scottish calendars for years outside the GOV.UK file (2019-2027 is
    /// checked against that file in `tests/calendar.rs`).
    #[test]
    fn matches_published_calendars_2012_to_2018_and_2028_to_2030() {
        let published: &[(i32, &[&str])] = &[
            // 2012: 1 Jan a Sunday; spring holiday moved to 4 June; Diamond Jubilee 5 June.
            (
                2012,
                &[
                    "01-02", "01-03", "04-06", "05-07", "06-04", "06-05", "08-06", "11-30", "12-25", "12-26",
                ],
            ),
            // 2013: St Andrew's Day on a Saturday, so Monday 2 December.
            (
                2013,
                &[
                    "01-01", "01-02", "03-29", "05-06", "05-27", "08-05", "12-02", "12-25", "12-26",
                ],
            ),
            (
                2014,
                &[
                    "01-01", "01-02", "04-18", "05-05", "05-26", "08-04", "12-01", "12-25", "12-26",
                ],
            ),
            (
                2015,
                &[
                    "01-01", "01-02", "04-03", "05-04", "05-25", "08-03", "11-30", "12-25", "12-28",
                ],
            ),
            (
                2016,
                &[
                    "01-01", "01-04", "03-25", "05-02", "05-30", "08-01", "11-30", "12-26", "12-27",
                ],
            ),
            (
                2017,
                &[
                    "01-02", "01-03", "04-14", "05-01", "05-29", "08-07", "11-30", "12-25", "12-26",
                ],
            ),
            (
                2018,
                &[
                    "01-01", "01-02", "03-30", "05-07", "05-28", "08-06", "11-30", "12-25", "12-26",
                ],
            ),
            (
                2028,
                &[
                    "01-03", "01-04", "04-14", "05-01", "05-29", "08-07", "11-30", "12-25", "12-26",
                ],
            ),
            (
                2029,
                &[
                    "01-01", "01-02", "03-30", "05-07", "05-28", "08-06", "11-30", "12-25", "12-26",
                ],
            ),
            (
                2030,
                &[
                    "01-01", "01-02", "04-19", "05-06", "05-27", "08-05", "12-02", "12-25", "12-26",
                ],
            ),
        ];
        for (year, expected) in published {
            assert_eq!(dates(*year), *expected, "Scottish bank holidays in {year}");
        }
    }

    #[test]
    fn one_off_changes_are_applied() {
        assert!(dates(2020).contains(&"05-08".to_string()));
        assert!(!dates(2020).contains(&"05-04".to_string()));
        let y2022 = dates(2022);
        for d in ["06-02", "06-03", "09-19"] {
            assert!(y2022.contains(&d.to_string()), "2022 lacks {d}");
        }
        assert!(!y2022.contains(&"05-30".to_string()));
        assert!(dates(2023).contains(&"05-08".to_string()));
    }

    #[test]
    fn working_day_arithmetic() {
        let cal = Calendar::new([ymd(2013, 4, 1)], 2012..=2014);
        // Good Friday 2013 and the local Easter Monday are not working days.
        assert!(!cal.is_working_day(ymd(2013, 3, 29)));
        assert!(!cal.is_working_day(ymd(2013, 4, 1)));
        assert_eq!(cal.next(ymd(2013, 3, 28)), ymd(2013, 4, 2));
        assert_eq!(cal.previous(ymd(2013, 4, 2)), ymd(2013, 3, 28));
        assert_eq!(cal.span_end(ymd(2013, 3, 27), 3), ymd(2013, 4, 2));
        assert_eq!(cal.working_days_before(ymd(2013, 3, 4), 10), ymd(2013, 2, 18));
        assert_eq!(cal.working_days_after(ymd(2013, 3, 27), 2), ymd(2013, 4, 2));
        assert_eq!(cal.on_or_before(ymd(2013, 3, 31)), ymd(2013, 3, 28));
        assert_eq!(cal.on_or_after(ymd(2013, 3, 30)), ymd(2013, 4, 2));
    }
}
