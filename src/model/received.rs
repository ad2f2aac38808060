//! What came back from the partnership and when: `received.toml`, written by
//! `scrutiny received` or by hand. Each key is a date, or a table of dates by
//! sender (a contacts.csv id, or any name):
//!
//! ```toml
//! population_list = 2013-02-04
//! [position_statements]
//! lead-2 = 2013-02-15
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// The keys of `received.toml`: what comes back, each with the step of the
/// schedule it is due on.
pub const KEYS: [(&str, &str); 7] = [
    ("population_list", "population_list_due"),
    ("position_statements", "position_statements_due"),
    ("self_evaluation", "self_evaluation_due"),
    ("requests_confirmed", "requests_confirm_by"),
    ("survey_closed", "survey_due"),
    ("comments", "comments_due"),
    ("action_plan", "action_plan_due"),
];

/// What came back: by key, each date received (with its sender, if given).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Received {
    pub by_key: BTreeMap<String, Vec<(Option<String>, NaiveDate)>>,
}

impl Received {
    /// The key of `received.toml` whose due date is the step `step_key`.
    pub fn key_for_step(step_key: &str) -> Option<&'static str> {
        KEYS.iter().find(|(_, s)| *s == step_key).map(|(k, _)| *k)
    }

    /// The last day anything came back under `key`.
    pub fn last(&self, key: &str) -> Option<NaiveDate> {
        self.by_key.get(key).and_then(|v| v.iter().map(|(_, d)| *d).max())
    }
}
