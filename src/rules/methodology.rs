//! The methodology's numbers and words, written once. The schedule, the
//! checks, the figures and the documents read them here; templates see them as
//! `methodology` (listed in `REFERENCE.md`), so no template types a number the
//! methodology sets. The small-number rule is here too, decided by one
//! function ([`Methodology::is_small`]) and worded one way
//! ([`Methodology::small_words`], "fewer than five"): every count of children,
//! records or people answering that a document prints goes through
//! [`Methodology::count`].

use schemars::JsonSchema;
use serde::Serialize;

/// The day Scotland's eight police forces became Police Scotland (the Police
/// and Fire Reform (Scotland) Act 2012): a letter dated before it names an
/// addressee's legacy force (`former` in `[[addressees]]`).
pub fn police_scotland_from() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2013, 4, 1).expect("a date")
}

/// The protective marking of a document holding personal data, dated `date`,
/// when the folder sets none: "PROTECT - PERSONAL" under the Government
/// Protective Marking Scheme, "OFFICIAL-SENSITIVE" once the Government
/// Security Classifications began on 2 April 2014.
pub fn marking_on(date: chrono::NaiveDate) -> &'static str {
    if date < chrono::NaiveDate::from_ymd_opt(2014, 4, 2).expect("a date") {
        "PROTECT - PERSONAL"
    } else {
        "OFFICIAL-SENSITIVE"
    }
}

/// Weeks of written notice before the inspection starts.
pub const NOTICE_WEEKS: u64 = 12;
/// Weeks from the notice to the briefings.
pub const BRIEFING_WEEKS: u64 = 6;
/// Days on site in scoping phase two.
pub const PHASE_TWO_DAYS: u32 = 3;
/// Days on site in scoping phase three (reading records).
pub const PHASE_THREE_DAYS: u32 = 5;
/// The most days on site in the core phase.
pub const MAX_CORE_DAYS: u32 = 5;
/// The most regulated care services inspected before the inspection.
pub const MAX_CARE_SERVICES: usize = 30;
/// Working days before commencement that position statements are due.
pub const POSITION_STATEMENT_WORKING_DAYS: u32 = 10;
/// Working days after the briefings that the population list is due.
pub const POPULATION_LIST_WORKING_DAYS: u32 = 10;
/// Working days before commencement that named persons complete the survey.
pub const SURVEY_WORKING_DAYS: u32 = 15;
/// Working days after the sample is drawn that record holders confirm the
/// records will be ready (at the earliest).
pub const CONFIRM_WORKING_DAYS: u32 = 5;
/// Working days the staff survey of named persons is open.
pub const SURVEY_OPEN_WORKING_DAYS: u32 = 10;
/// Working days before commencement of the first professional discussion.
pub const DISCUSSION_ONE_WORKING_DAYS: u32 = 5;
/// Weeks from the end of the core phase to the report for comment.
pub const COMMENT_WEEKS: u64 = 2;
/// Weeks from the report for comment to publication.
pub const PUBLICATION_WEEKS: u64 = 2;
/// Comments on the draft are due this many working days before publication,
/// leaving the team time to weigh them.
pub const COMMENTS_BEFORE_PUBLICATION_WORKING_DAYS: u32 = 3;
/// The fewest working days partners should have to comment on the draft.
pub const MIN_COMMENT_WORKING_DAYS: usize = 5;
/// The fewest working days the team should have to decide on the comments.
pub const MIN_DECIDE_WORKING_DAYS: usize = 2;
/// Months after records reading that records obtained are returned or
/// securely destroyed at the latest (context: SSI 2011/183, regulation 9).
pub const RECORDS_KEPT_MONTHS: u32 = 12;
/// Weeks from the report for comment to the joint action plan.
pub const ACTION_PLAN_WEEKS: u64 = 6;
/// Counts of children below this are printed in words, never as a number.
pub const SMALL_NUMBER: usize = 5;
/// The confidence of the intervals printed with records-reading results.
pub const INTERVAL_CONFIDENCE: f64 = 0.95;
/// The lowest point of the six-point scale that counts as good or better.
pub const GOOD_OR_BETTER: u8 = 4;
/// The six-point scale, from 1 to 6: each point's word and what it means
/// (a fact of the domain, kept with the evaluations).
pub use crate::model::findings::SCALE;

/// The quality indicators of the Care Inspectorate's 2012 framework "How well
/// are we improving the lives of children and young people?" that joint
/// inspections evaluate, by number, in the framework's own words: the one
/// list the checks compare a folder's titles with.
pub const QUALITY_INDICATORS: [(&str, &str); 22] = [
    ("1.1", "Improvements in the wellbeing of children and young people"),
    ("2.1", "Impact on children and young people"),
    ("2.2", "Impact on families"),
    ("3.1", "Impact on staff"),
    ("4.1", "Impact on the community"),
    ("5.1", "Providing help and support at an early stage"),
    ("5.2", "Assessing and responding to risks and needs"),
    ("5.3", "Planning for individual children and young people"),
    ("5.4", "Involving individual children, young people and families"),
    ("6.1", "Policies, procedures and legal measures"),
    ("6.2", "Planning and improving services"),
    (
        "6.3",
        "Participation of children, young people, families and other stakeholders",
    ),
    ("6.4", "Performance management and quality assurance"),
    ("7.1", "Recruitment, deployment and joint working"),
    ("7.2", "Staff training, development and joint working"),
    ("8.1", "Management of resources"),
    ("8.2", "Commissioning arrangements"),
    ("9.1", "Vision, values and aims"),
    ("9.2", "Leadership of strategy and direction"),
    ("9.3", "Leadership of people and partnerships"),
    ("9.4", "Leadership of improvement and change"),
    ("10.1", "Capacity for improvement"),
];

/// The framework's title of indicator `qi`, when the framework has it.
pub fn framework_title(qi: &str) -> Option<&'static str> {
    QUALITY_INDICATORS
        .iter()
        .find(|(n, _)| *n == qi.trim())
        .map(|(_, t)| *t)
}

/// The framework's title when `title` is not it (letter case, spaces,
/// apostrophes, hyphens and "&" for "and" aside); `None` when it is, or when the framework has no
/// indicator `qi` (another check names that).
pub fn title_differs(qi: &str, title: &str) -> Option<&'static str> {
    // Spelling the framework's editions vary in ("well-being", "wellbeing";
    // "and" or "&") is no difference of title.
    let fold = |s: &str| -> String {
        s.replace('&', " and ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(['\u{2019}', '-', '\u{2010}', '\u{2011}'], "")
            .replace('\'', "")
            .to_lowercase()
    };
    framework_title(qi).filter(|t| fold(t) != fold(title))
}

/// The methodology's numbers as the documents state them. One value serves a
/// whole build; [`Methodology::default`] is the methodology itself, and a test
/// may build with another small-number threshold.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Methodology {
    /// Weeks of written notice before the inspection starts: 12.
    pub notice_weeks: u64,
    /// Weeks from the notice to the briefings: 6.
    pub briefing_weeks: u64,
    /// Days on site in scoping phase two: 3.
    pub phase_two_days: u32,
    /// Days on site in scoping phase three: 5.
    pub phase_three_days: u32,
    /// The most days on site in the core phase: 5.
    pub max_core_days: u32,
    /// The most regulated care services inspected beforehand: 30.
    pub max_care_services: usize,
    /// Weeks from the end of the core phase to the report for comment: 2.
    pub comment_weeks: u64,
    /// Weeks from the report for comment to publication: 2.
    pub publication_weeks: u64,
    /// Weeks from the report for comment to the action plan: 6.
    pub action_plan_weeks: u64,
    /// Counts below this are printed in words: 5.
    pub small_number: usize,
    /// How such a count is printed: "fewer than five".
    pub small_words: String,
    /// The intervals' confidence in per cent: 95.
    pub interval_percent: u32,
    /// The lowest point of the six-point scale that is good or better: 4.
    pub good_or_better: u8,
    /// The six-point scale's words, from 1 ("unsatisfactory") to 6 ("excellent").
    pub scale: Vec<&'static str>,
}

impl Default for Methodology {
    fn default() -> Self {
        Methodology::with_small_number(SMALL_NUMBER)
    }
}

impl Methodology {
    /// The methodology with counts below `small` printed in words.
    pub fn with_small_number(small: usize) -> Self {
        Methodology {
            notice_weeks: NOTICE_WEEKS,
            briefing_weeks: BRIEFING_WEEKS,
            phase_two_days: PHASE_TWO_DAYS,
            phase_three_days: PHASE_THREE_DAYS,
            max_core_days: MAX_CORE_DAYS,
            max_care_services: MAX_CARE_SERVICES,
            comment_weeks: COMMENT_WEEKS,
            publication_weeks: PUBLICATION_WEEKS,
            action_plan_weeks: ACTION_PLAN_WEEKS,
            small_number: small,
            small_words: format!("fewer than {}", number_words(small)),
            interval_percent: (INTERVAL_CONFIDENCE * 100.0).round() as u32,
            good_or_better: GOOD_OR_BETTER,
            scale: SCALE.iter().map(|(word, _)| *word).collect(),
        }
    }

    /// The small-number rule, decided here alone: fewer than `small_number`
    /// (five) children, records or people answering are too few to print as
    /// a number (a child could be singled out), or to give a percentage of.
    pub fn is_small(&self, n: usize) -> bool {
        n < self.small_number
    }

    /// A count of children, records or people answering as a document prints
    /// it: one to four as [`small_words`](Methodology::small_words) ("fewer
    /// than five"); otherwise, in a sentence, in the house style ("no",
    /// "seven", "1,204": see [`house_count`]), and in a table's cell in digits
    /// ("0", "7", "1,204").
    pub fn count(&self, n: usize, place: Place) -> String {
        if n > 0 && self.is_small(n) {
            return self.small_words.clone();
        }
        match place {
            Place::Sentence => house_count(n),
            Place::Cell => crate::base::text::thousands(n),
        }
    }
}

/// Where a document prints a count, which sets how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In a sentence: "We read the records of 88 children", "seven named persons".
    Sentence,
    /// In a table's cell, as a figure among figures.
    Cell,
}

/// A count in the house style for prose, where no small-number rule applies
/// (care services, letters, focus groups): "no" for none, one to nine in
/// words, then digits with a thousands separator.
pub fn house_count(n: usize) -> String {
    match n {
        0 => "no".into(),
        1..=9 => number_words(n),
        _ => crate::base::text::thousands(n),
    }
}

/// A count that opens a sentence, where the house style never prints a
/// figure: every number in words, as British English says it ("no" for none,
/// "eighteen", "forty-one", "one hundred and four", "one thousand two hundred
/// and four"); the caller capitalises it. Past 999,999 the words grow long
/// and a sentence is better turned round: there it gives the figure.
pub fn spelt(n: usize) -> String {
    match n {
        0 => "no".into(),
        1..=999_999 => spelt_nonzero(n),
        _ => crate::base::text::thousands(n),
    }
}

/// `n` (1 to 999,999) in words.
fn spelt_nonzero(n: usize) -> String {
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    match n {
        0..=20 => number_words(n),
        21..=99 => match n % 10 {
            0 => TENS[n / 10].to_string(),
            unit => format!("{}-{}", TENS[n / 10], number_words(unit)),
        },
        100..=999 => match n % 100 {
            0 => format!("{} hundred", number_words(n / 100)),
            rest => format!("{} hundred and {}", number_words(n / 100), spelt_nonzero(rest)),
        },
        _ => {
            let (thousands, rest) = (n / 1000, n % 1000);
            let head = format!("{} thousand", spelt_nonzero(thousands));
            match rest {
                0 => head,
                // "one thousand and four", as for hundreds.
                1..=99 => format!("{head} and {}", spelt_nonzero(rest)),
                _ => format!("{head} {}", spelt_nonzero(rest)),
            }
        }
    }
}

/// A number in words, as English style writes small numbers: "five", "twelve";
/// 21 and above as digits.
pub fn number_words(n: usize) -> String {
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    WORDS
        .get(n)
        .map_or_else(|| crate::base::text::thousands(n), |w| w.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_other_than_the_framework_s_is_told_the_framework_s() {
        assert_eq!(
            title_differs("5.2", "Assessing and responding to risks and needs"),
            None
        );
        assert_eq!(
            title_differs("5.2", "assessing and  responding to Risks and needs"),
            None
        );
        assert_eq!(
            title_differs("5.2", "Assessing and responding to risk and need"),
            Some("Assessing and responding to risks and needs")
        );
        assert_eq!(
            title_differs("6.1", "Policies, service development and planning"),
            Some("Policies, procedures and legal measures")
        );
        assert_eq!(
            title_differs("9.1", "Leadership and direction"),
            Some("Vision, values and aims")
        );
        assert_eq!(title_differs("12.7", "Anything"), None);
        // The editions' spellings are one title.
        assert_eq!(
            title_differs("1.1", "Improvements in the well-being of children & young people"),
            None
        );
        let mut numbers: Vec<&str> = QUALITY_INDICATORS.iter().map(|(n, _)| *n).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), QUALITY_INDICATORS.len(), "each indicator once");
    }

    use super::*;

    #[test]
    fn small_counts_are_words_at_any_threshold() {
        let m = Methodology::default();
        let cell = |n| m.count(n, Place::Cell);
        assert_eq!(cell(0), "0");
        assert_eq!(cell(1), "fewer than five");
        assert_eq!(cell(4), "fewer than five");
        assert_eq!(cell(5), "5");
        assert_eq!(cell(1200), "1,200");
        let sentence = |n| m.count(n, Place::Sentence);
        assert_eq!(sentence(0), "no");
        assert_eq!(sentence(4), "fewer than five");
        assert_eq!(sentence(5), "five");
        assert_eq!(sentence(10), "10");
        assert_eq!(sentence(1000), "1,000");
        let ten = Methodology::with_small_number(10);
        assert_eq!(ten.count(9, Place::Cell), "fewer than ten");
        assert_eq!(ten.count(9, Place::Sentence), "fewer than ten");
        assert_eq!(ten.count(10, Place::Cell), "10");
        assert_eq!(m.interval_percent, 95);
        // Percentages follow the same rule: none of fewer than five, nor of none.
        assert!(m.is_small(0) && m.is_small(4) && !m.is_small(5));
    }

    #[test]
    fn counts_outside_the_rule_are_in_the_house_style() {
        assert_eq!(house_count(0), "no");
        assert_eq!(house_count(4), "four");
        assert_eq!(house_count(9), "nine");
        assert_eq!(house_count(12), "12");
        assert_eq!(house_count(1204), "1,204");
    }

    #[test]
    fn a_count_opening_a_sentence_is_spelt_out() {
        assert_eq!(spelt(0), "no");
        assert_eq!(spelt(1), "one");
        assert_eq!(spelt(12), "twelve");
        assert_eq!(spelt(20), "twenty");
        assert_eq!(spelt(21), "twenty-one");
        assert_eq!(spelt(40), "forty");
        assert_eq!(spelt(99), "ninety-nine");
        assert_eq!(spelt(100), "one hundred");
        assert_eq!(spelt(104), "one hundred and four");
        assert_eq!(spelt(341), "three hundred and forty-one");
        assert_eq!(spelt(1000), "one thousand");
        assert_eq!(spelt(1004), "one thousand and four");
        assert_eq!(spelt(1204), "one thousand two hundred and four");
        assert_eq!(spelt(20_000), "twenty thousand");
        assert_eq!(
            spelt(999_999),
            "nine hundred and ninety-nine thousand nine hundred and ninety-nine"
        );
        // Past that, the figure: such a sentence is turned round instead.
        assert_eq!(spelt(1_000_000), "1,000,000");
        assert!((1..2000).all(|n| !spelt(n).contains(char::is_numeric)));
    }
}
