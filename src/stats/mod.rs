//! Pure-math statistics for comparing two corpora.
//!
//! ```
//! use duibi::stats::{benjamini_hochberg, keyness, KeynessOptions};
//! // A term seen 120 times in 1M tokens of group A and 80 times in 2.5M of B.
//! let k = keyness(120.0, 80.0, 1_000_000.0, 2_500_000.0, KeynessOptions::default());
//! // 3.75 times as frequent in A: Log Ratio log2(3.75).
//! assert!((k.log_ratio - 3.75f64.log2()).abs() < 1e-12);
//! assert!(k.lrc > 0.0 && k.lrc < k.log_ratio);
//! // Over a vocabulary, adjust the p-values for multiple testing.
//! let q = benjamini_hochberg(&[k.p, 0.2, 0.9]);
//! assert!(q[0] < 0.05);
//! ```
//!
//! This module is self-contained (no other `crate::` items, no dependencies)
//! and deterministic: the same inputs (and seed) give bit-for-bit identical
//! results on every platform for everything that uses only `+ - * /`
//! (bootstrap, permutation tests, percentiles, histograms). Functions that call
//! `ln`/`exp` are accurate to roughly `1e-13` relative, which is far below any
//! statistically meaningful difference.
//!
//! # Contents
//!
//! Every item is re-exported here, so `duibi::stats::X` is the path to use;
//! the files are:
//!
//! * `keyness` — **keyness** of a term in a 2×2 frequency comparison (count
//!   `a` of the term in corpus A of `n_a` tokens against count `b` in corpus B
//!   of `n_b` tokens): [`log_likelihood_g2`], [`chi2_sf_1df`], [`log_ratio`],
//!   [`log_ratio_conservative`], [`monroe_log_odds_z`] / [`monroe_prior`], and
//!   the bundle [`keyness`] → [`Keyness`]. Multiple testing over a vocabulary:
//!   [`benjamini_hochberg`].
//! * `special` — **special functions** backing them: [`erfc`], [`normal_sf`],
//!   [`chi2_sf_1df`], [`ln_gamma`], [`regularized_incomplete_beta`],
//!   [`beta_ppf`].
//! * `resample` — **uncertainty**: a portable PRNG ([`Rng`], xoshiro256\*\*
//!   seeded through SplitMix64), cluster bootstrap of ratio-of-sums means
//!   ([`bootstrap_mean_ci`], [`bootstrap_diff_ci`]) and a permutation test
//!   ([`permutation_p_value`]).
//! * `poisson` — the **Poisson bootstrap** shared by every statistic of a
//!   group ([`Resamples`], [`interval_from_replicates`]).
//! * `descriptive` — **descriptives**: [`mean`], [`median`],
//!   [`percentile_sorted`], [`histogram`].
//!
//! # Conventions for invalid input
//!
//! Nothing here panics on bad numbers. Functions returning `f64` return `NaN`
//! when the inputs are outside their domain (negative counts, a count larger
//! than its corpus, a corpus of zero tokens, a probability outside `[0, 1]`,
//! …); each function documents its exact rules.

/// Asserts that `$got` is within relative tolerance `$tol` of `$want` (absolute
/// when `$want` is 0). For the unit tests of the files below.
#[cfg(test)]
macro_rules! assert_rel {
    ($got:expr, $want:expr, $tol:expr) => {{
        let (g, w, tol): (f64, f64, f64) = ($got, $want, $tol);
        let close = if w == 0.0 {
            g.abs() <= tol
        } else {
            ((g - w) / w).abs() <= tol
        };
        assert!(
            close,
            "got {g:e}, want {w:e}, rel err {:e}",
            ((g - w) / w).abs()
        );
    }};
}

mod descriptive;
mod keyness;
mod poisson;
mod resample;
mod special;

pub use descriptive::{histogram, mean, median, percentile_sorted, Histogram};
pub use keyness::{
    benjamini_hochberg, keyness, log_likelihood_g2, log_ratio, log_ratio_conservative,
    monroe_log_odds_z, monroe_prior, Keyness, KeynessOptions,
};
pub use poisson::{interval_from_replicates, Resamples};
pub use resample::{
    bootstrap_diff_ci, bootstrap_mean_ci, permutation_p_value, rate_unit, ratio_of_sums, Interval,
    Rng,
};
pub use special::{beta_ppf, chi2_sf_1df, erfc, ln_gamma, normal_sf, regularized_incomplete_beta};
