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
//!
//! // The same question at the level of documents: (count, tokens) per document.
//! use duibi::stats::{cluster_test, ClusterSums};
//! let (mut a, mut b) = (ClusterSums::default(), ClusterSums::default());
//! for (c, n) in [(9, 1000), (0, 1000), (0, 1000), (0, 1000)] { a.add_unit(c, n); }
//! for (c, n) in [(1, 1000), (0, 1000), (1, 1000), (0, 1000)] { b.add_unit(c, n); }
//! let t = cluster_test(&a, &b, 0.05).expect("two documents a group");
//! // 9 vs 2 is "significant" token by token, not when all 9 sit in one document.
//! assert!(t.log_ratio > 2.0 && t.p > 0.05 && t.conservative == 0.0);
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
//!   the bundle [`keyness()`] → [`Keyness`]. Multiple testing over a vocabulary:
//!   [`benjamini_hochberg`].
//! * `cluster` — the same comparison **at the level of documents or sources**:
//!   per-group sums that merge exactly ([`ClusterSums`] = [`UnitTotals`] +
//!   [`TermSums`]) and a cluster-robust test of the log rate ratio with a
//!   conservative Log Ratio bound ([`cluster_test`] → [`ClusterTest`]); it
//!   holds under the null where the token-level tests do not.
//! * `special` — **special functions** backing them: [`erfc`], [`normal_sf`],
//!   [`chi2_sf_1df`], [`ln_gamma`], [`regularized_incomplete_beta`],
//!   [`beta_ppf`], and the quantiles [`normal_isf`], [`student_t_sf`] /
//!   [`student_t_isf`].
//! * `resample` — **uncertainty**: a portable PRNG ([`Rng`], xoshiro256\*\*
//!   seeded through SplitMix64), cluster bootstrap of ratio-of-sums means
//!   ([`bootstrap_mean_ci`], [`bootstrap_diff_ci`]) and a permutation test
//!   ([`permutation_p_value`]; [`permutation_p_value_sequential`] stops early
//!   far from significance).
//! * `permute` — many permutation tests at once ([`permutation_p_values`]:
//!   the same p-values, up to four tests' streams stepped together).
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

mod cluster;
mod descriptive;
mod jump;
mod keyness;
mod permute;
mod poisson;
mod resample;
mod special;

pub use cluster::{
    cluster_screen, cluster_test, ClusterSieve, ClusterSums, ClusterTest, TermSums, UnitTotals,
};
pub use descriptive::{histogram, mean, median, percentile_sorted, Histogram};
pub use keyness::{
    benjamini_hochberg, keyness, log_likelihood_g2, log_ratio, log_ratio_conservative,
    monroe_log_odds_z, monroe_prior, Keyness, KeynessOptions,
};
pub use permute::{permutation_p_values, PermutationTest};
pub use poisson::{interval_from_replicates, interval_of_replicates, Resamples};
pub use resample::{
    bootstrap_diff_ci, bootstrap_mean_ci, permutation_p_value, permutation_p_value_sequential,
    rate_unit, ratio_of_sums, Interval, Rng,
};
pub use special::{
    beta_ppf, chi2_sf_1df, erfc, ln_gamma, normal_isf, normal_sf, regularized_incomplete_beta,
    student_t_isf, student_t_sf,
};
