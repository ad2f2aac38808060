//! The report's figures: records-reading results with Wilson score intervals,
//! and the small-number rule. Plain functions with unit tests.

use crate::methodology::{GOOD_OR_BETTER, INTERVAL_CONFIDENCE};

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
    let (lo, hi) = wilson(n / 2, n, crate::sampling::z_for(INTERVAL_CONFIDENCE))?;
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
/// percentage when fewer than `small` records were rated.
pub fn result(ratings: impl IntoIterator<Item = Option<u8>>, small: usize) -> Result {
    let rated: Vec<u8> = ratings.into_iter().flatten().collect();
    let n = rated.len();
    let good = rated.iter().filter(|r| **r >= GOOD_OR_BETTER).count();
    let shown = n >= small;
    Result {
        n,
        good,
        percent: shown.then(|| 100.0 * good as f64 / n as f64),
        interval: if shown {
            wilson(good, n, crate::sampling::z_for(INTERVAL_CONFIDENCE)).map(|(lo, hi)| (100.0 * lo, 100.0 * hi))
        } else {
            None
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let r = result([Some(6), Some(4), Some(3), None, Some(5), Some(1), Some(4)], 5);
        assert_eq!((r.n, r.good), (6, 4));
        assert!((r.percent.unwrap() - 66.666).abs() < 0.01);
        let r = result([Some(6), Some(4), None], 5);
        assert_eq!((r.n, r.good, r.percent, r.interval), (2, 2, None, None));
    }
}
