//! The report's figures: records-reading results with Wilson score intervals,
//! and the figures the writers' prose may cite, each under the small-number
//! rule as [`Methodology::count`] applies it. Plain functions with unit tests.

use std::collections::BTreeMap;

use crate::base::error::{did_you_mean, Problem, Problems};
use crate::rules::methodology::{Methodology, Place, GOOD_OR_BETTER, INTERVAL_CONFIDENCE};

/// The figures findings prose may cite as `[[name]]`, by name, each as the
/// documents print it: the prose then never disagrees with the data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Each figure's value, by name.
    pub values: BTreeMap<String, String>,
    /// Set when the folder's other problems left some figures uncomputed: a
    /// name not found is then not reported (the problems that stopped it are).
    pub incomplete: bool,
}

impl Figures {
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), value.into());
    }

    /// The measures' figures: records rated, good or better, the percentage
    /// and its interval (none below the small number of records).
    pub fn add_measure(&mut self, key: &str, r: &Result, m: &Methodology) {
        self.insert(format!("measure.{key}.rated"), m.count(r.n, Place::Sentence));
        self.insert(format!("measure.{key}.good"), m.count(r.good, Place::Sentence));
        let withheld = format!("not reported ({} records)", m.small_words);
        let percent = r.percent.map_or(withheld.clone(), |p| format!("{p:.0}%"));
        let interval = r.interval.map_or(withheld, |(lo, hi)| format!("{lo:.0}% to {hi:.0}%"));
        self.insert(format!("measure.{key}.percent"), percent);
        self.insert(format!("measure.{key}.interval"), interval);
    }

    /// `text` with each `[[name]]` replaced by its figure; `\[[` stays as the
    /// Markdown for a literal `[[`. An unknown name is a problem at its line
    /// and column, with the nearest name.
    pub fn substitute(&self, file: &str, text: &str, problems: &mut Problems) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = 0;
        let mut from = 0;
        while let Some(found) = text[from..].find("[[") {
            let start = from + found;
            from = start + 2;
            if text[..start].ends_with('\\') {
                continue;
            }
            let Some(len) = text[start + 2..].find("]]") else { break };
            let name = &text[start + 2..start + 2 + len];
            if name.is_empty() || name.len() > 80 || name.contains(['\n', '[']) {
                continue;
            }
            let end = start + 2 + len + 2;
            out.push_str(&text[rest..start]);
            match self.values.get(name.trim()) {
                Some(value) => out.push_str(value),
                None if self.incomplete => out.push_str(&text[start..end]),
                None => {
                    let (line, column) = crate::base::text::line_col(text, start);
                    let mut p = Problem::new(file, format!("`[[{name}]]` is not a figure")).at(line, column);
                    p = match did_you_mean(name.trim(), self.values.keys().map(String::as_str)) {
                        Some(near) => p.help(format!("did you mean `[[{near}]]`? (write `\\[[` for two brackets that are not a figure)")),
                        None => p.help("templates/REFERENCE.md lists every figure; write `\\[[` for two brackets that are not a figure"),
                    };
                    problems.push(p);
                    out.push_str(&text[start..end]);
                }
            }
            rest = end;
            from = end;
        }
        out.push_str(&text[rest..]);
        out
    }
}

/// The Wilson score interval of a proportion of `k` in `n` at normal quantile
/// `z` (1.96 for 95%), as fractions. `None` when `n` is 0.
pub fn wilson(k: usize, n: usize, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// How precise a measure rated on every one of `n` records is at best: the
/// half-width, in percentage points rounded to whole points, of the Wilson
/// interval of a finding seen in half of them (the widest case), at the
/// confidence every interval is printed with. The rationale states it and the
/// record of findings repeats it, so neither can contradict the intervals printed.
pub fn precision_points(n: usize) -> Option<u32> {
    let (lo, hi) = wilson(n / 2, n, crate::rules::sampling::z_for(INTERVAL_CONFIDENCE))?;
    Some((100.0 * (hi - lo) / 2.0).round() as u32)
}

/// What the records reading found for one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Result {
    /// Records rated (ratings of `n/a` are not counted).
    pub n: usize,
    /// Records rated good or better (4, 5 or 6).
    pub good: usize,
    /// The percentage good or better, when `n` is not a small number.
    pub percent: Option<f64>,
    /// Its Wilson score interval in percent, when `n` is not a small number.
    pub interval: Option<(f64, f64)>,
}

/// The result of ratings on the six-point scale (`None` for `n/a`); no
/// percentage when the records rated are a small number.
pub fn result(ratings: impl IntoIterator<Item = Option<u8>>, m: &Methodology) -> Result {
    let rated: Vec<u8> = ratings.into_iter().flatten().collect();
    let n = rated.len();
    let good = rated.iter().filter(|r| **r >= GOOD_OR_BETTER).count();
    let shown = !m.is_small(n);
    Result {
        n,
        good,
        percent: shown.then(|| 100.0 * good as f64 / n as f64),
        interval: if shown {
            wilson(good, n, crate::rules::sampling::z_for(INTERVAL_CONFIDENCE)).map(|(lo, hi)| (100.0 * lo, 100.0 * hi))
        } else {
            None
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_in_prose_follow_the_house_style_and_the_small_number_rule() {
        let m = Methodology::default();
        let mut f = Figures::default();
        f.insert("population.total", m.count(1000, Place::Sentence));
        f.insert("sample.cpr", m.count(3, Place::Sentence));
        f.insert("care_services", crate::rules::methodology::house_count(4));
        f.add_measure("plan", &result([Some(5), Some(4), Some(2)], &m), &m);
        let mut problems = Problems::default();
        let text = "Of [[population.total]] children, [[ sample.cpr ]] on the register; \\[[not]] a figure; \
                    [[care_services]] services; [[measure.plan.percent]].";
        assert_eq!(
            f.substitute("q.md", text, &mut problems),
            "Of 1,000 children, fewer than five on the register; \\[[not]] a figure; four services; \
             not reported (fewer than five records)."
        );
        assert!(problems.is_empty());
        f.substitute("q.md", "A line.\nThe [[populaton.total]].", &mut problems);
        let p = &problems.into_vec()[0];
        assert_eq!((p.file.as_str(), p.line, p.column), ("q.md", Some(2), Some(5)));
        assert!(p.to_string().contains("did you mean `[[population.total]]`"), "{p}");
    }

    #[test]
    fn the_precision_stated_is_the_intervals_own() {
        // 88 records: a finding in 44 of them has the interval 39.8% to 60.2%.
        assert_eq!(precision_points(88), Some(10));
        let (lo, hi) = wilson(44, 88, 1.959964).unwrap();
        assert!((100.0 * (hi - lo) / 2.0).round() as u32 == 10, "{lo} {hi}");
        // Fewer records rated, a wider interval: 80 of them give ±11.
        assert_eq!(precision_points(80), Some(11));
        assert_eq!(precision_points(0), None);
    }

    #[test]
    fn wilson_matches_the_published_formula() {
        // 8 of 10 at 95%: 0.4902 to 0.9433 (Newcombe 1998, method 3).
        let (lo, hi) = wilson(8, 10, 1.959964).unwrap();
        assert!((lo - 0.4902).abs() < 1e-4 && (hi - 0.9433).abs() < 1e-4, "{lo} {hi}");
        let (lo, hi) = wilson(0, 10, 1.959964).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 1e-4, "{hi}");
        assert_eq!(wilson(0, 0, 1.96), None);
    }

    #[test]
    fn results_count_good_or_better_and_hide_small_percentages() {
        let m = Methodology::default();
        let r = result([Some(6), Some(4), Some(3), None, Some(5), Some(1), Some(4)], &m);
        assert_eq!((r.n, r.good), (6, 4));
        assert!((r.percent.unwrap() - 66.666).abs() < 0.01);
        let r = result([Some(6), Some(4), None], &m);
        assert_eq!((r.n, r.good, r.percent, r.interval), (2, 2, None, None));
    }
}
