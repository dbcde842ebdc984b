//! Document-level (cluster-robust) test of a term's or concept's rate between
//! two groups.
//!
//! ```
//! use duibi::stats::{cluster_test, ClusterSums};
//! // (term count, tokens) per document of each group.
//! let a = [(3, 1000), (0, 800), (5, 1200), (2, 900), (4, 1100), (1, 700)];
//! let b = [(1, 1000), (0, 900), (0, 1300), (1, 800), (2, 1000), (0, 600)];
//! let (mut sa, mut sb) = (ClusterSums::default(), ClusterSums::default());
//! for &(c, n) in &a { sa.add_unit(c, n); }
//! for &(c, n) in &b { sb.add_unit(c, n); }
//! let t = cluster_test(&sa, &sb, 0.05).expect("two units per group");
//! assert!(t.log_ratio > 1.0); // about 3.3 times as frequent in A …
//! assert!(t.p > 0.01);        // … but six documents a side show little.
//! assert!(t.conservative >= 0.0 && t.conservative <= t.log_ratio);
//! ```
//!
//! Token-level tests (G², χ², the Clopper–Pearson interval behind
//! [`log_ratio_conservative`](super::log_ratio_conservative)) treat every
//! token as an independent draw. Words cluster in documents (a name fills one
//! article, a topic one outlet), so those tests call chance clustering
//! significant: split one group into two random halves and hundreds of terms
//! come out "distinctive" (issue 18; Lijffijt et al. 2016). This file tests
//! at the level of the resampling unit (a document, or a source) instead.
//!
//! # The estimator
//!
//! In a group of `K` units, unit `i` has `c_i` occurrences of the term among
//! `n_i` tokens (of the term's language). The rate is the ratio estimator
//! `r = Σc / Σn`, and its cluster-robust (sandwich, delta-method) variance is
//!
//! `Var(r) = K/(K−1) · Σ (c_i − r·n_i)² / (Σn)²`,
//!
//! where `Σ (c_i − r·n_i)² = Σc² − 2rΣcn + r²Σn²` comes from six sums that
//! merge exactly ([`ClusterSums`]). On the log scale `Var(ln r) = Var(r)/r²
//! = K/(K−1) · Σ(c_i − r·n_i)² / (Σc)²`. The two groups are independent, so
//! the log rate ratio `ln(r_a/r_b)` has variance `Var(ln r_a) + Var(ln r_b)`,
//! and `z` is the ratio over its square root.
//!
//! No distribution of counts is assumed: over-dispersion (a term bunched in a
//! few documents) shows up in the residuals and widens the interval, which is
//! what keeps random halves of one group from differing.

use super::special::{student_t_isf, student_t_sf};

/// Sums over the units of one group that do not depend on the term: the
/// number of units `K`, `Σn` and `Σn²`. The same for every term of a group
/// (with `n` counted in the term's language), so a caller testing a whole
/// vocabulary keeps them once per group and language.
///
/// Integers, so [`merge`](UnitTotals::merge) is exact in any order and
/// grouping. Additions saturate instead of overflowing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitTotals {
    /// Number of units `K` (units with no tokens count too).
    pub units: u64,
    /// `Σn`, tokens over the units.
    pub tokens: u64,
    /// `Σn²`.
    pub tokens_sq: u128,
}

impl UnitTotals {
    /// Adds one unit of `tokens` tokens.
    #[inline]
    pub fn add_unit(&mut self, tokens: u64) {
        self.units = self.units.saturating_add(1);
        self.tokens = self.tokens.saturating_add(tokens);
        self.tokens_sq = self.tokens_sq.saturating_add(sq(tokens));
    }

    /// Adds the units summed in `other`.
    pub fn merge(&mut self, other: &Self) {
        self.units = self.units.saturating_add(other.units);
        self.tokens = self.tokens.saturating_add(other.tokens);
        self.tokens_sq = self.tokens_sq.saturating_add(other.tokens_sq);
    }
}

/// Sums over the units of one group that depend on the term: `Σc`, `Σc²`,
/// `Σc·n` and the number of units where the term occurs. Units without the
/// term add nothing, so only the units where it occurs need visiting.
///
/// Integers, so [`merge`](TermSums::merge) is exact in any order and grouping.
/// Additions saturate instead of overflowing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermSums {
    /// `Σc`, occurrences of the term.
    pub count: u64,
    /// `Σc²`.
    pub count_sq: u128,
    /// `Σc·n`.
    pub count_tokens: u128,
    /// Units with `c > 0`.
    pub units_with: u64,
}

impl TermSums {
    /// Adds one unit where the term occurs `count` times among `tokens`
    /// tokens (a `count` of 0 changes nothing).
    #[inline]
    pub fn add_unit(&mut self, count: u64, tokens: u64) {
        if count == 0 {
            return;
        }
        self.count = self.count.saturating_add(count);
        self.count_sq = self.count_sq.saturating_add(sq(count));
        self.count_tokens = self
            .count_tokens
            .saturating_add(u128::from(count) * u128::from(tokens));
        self.units_with = self.units_with.saturating_add(1);
    }

    /// Adds the units summed in `other`.
    pub fn merge(&mut self, other: &Self) {
        self.count = self.count.saturating_add(other.count);
        self.count_sq = self.count_sq.saturating_add(other.count_sq);
        self.count_tokens = self.count_tokens.saturating_add(other.count_tokens);
        self.units_with = self.units_with.saturating_add(other.units_with);
    }
}

/// Everything the test needs about one term in one group: the
/// [`UnitTotals`] of the group and the term's [`TermSums`]. Plain data that
/// merges exactly ([`merge`](ClusterSums::merge)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusterSums {
    /// `K`, `Σn`, `Σn²`.
    pub units: UnitTotals,
    /// `Σc`, `Σc²`, `Σc·n`, units with the term.
    pub term: TermSums,
}

impl ClusterSums {
    /// Adds one unit with `count` occurrences among `tokens` tokens.
    #[inline]
    pub fn add_unit(&mut self, count: u64, tokens: u64) {
        self.units.add_unit(tokens);
        self.term.add_unit(count, tokens);
    }

    /// Adds the units summed in `other`.
    pub fn merge(&mut self, other: &Self) {
        self.units.merge(&other.units);
        self.term.merge(&other.term);
    }

    /// The rate `r = Σc / Σn`; `None` when there are no tokens.
    pub fn rate(&self) -> Option<f64> {
        (self.units.tokens > 0).then(|| self.term.count as f64 / self.units.tokens as f64)
    }

    /// The sum of squared residuals `Σ (c_i − r·n_i)²` at the rate
    /// `r = (Σc + extra) / Σn`, from the sums alone; `None` when there are no
    /// tokens. `extra` is the continuity adjustment of [`cluster_test`] (0 for
    /// the plain rate).
    ///
    /// Multiplied by `(Σn)²` this is `(Σn)²Σc² − 2·C·ΣnΣcn + C²Σn²` with
    /// `C = Σc + extra`: computed exactly in integers when it fits (always
    /// for `extra = 0` and realistic corpora; `extra = 0.5` is done in halves),
    /// else in floating point and clamped at 0.
    fn residual_ss(&self, extra: Adjust) -> Option<f64> {
        let n = self.units.tokens;
        if n == 0 {
            return None;
        }
        // In halves of a count: with C2 = 2C,
        // 4n²·S = 4n²Σc² − 4·C2·n·Σcn + C2²·Σn², all integers.
        let c2 = i128::from(self.term.count) * 2 + i128::from(extra == Adjust::AddHalf);
        let sums = (
            self.term.count_sq,
            self.term.count_tokens,
            self.units.tokens_sq,
        );
        let exact = exact_halves(n, c2, sums).or_else(|| checked_halves(n, c2, sums));
        let nf = n as f64;
        Some(match exact {
            Some(v) => v.max(0) as f64 / (4.0 * nf * nf),
            None => {
                let r = c2 as f64 / 2.0 / nf;
                let s = self.term.count_sq as f64 - 2.0 * r * self.term.count_tokens as f64
                    + r * r * self.units.tokens_sq as f64;
                s.max(0.0)
            }
        })
    }

    /// The cluster-robust variance of the rate,
    /// `K/(K−1) · Σ(c_i − r·n_i)² / (Σn)²`, with no adjustment or floor;
    /// `None` when `K < 2` or there are no tokens.
    pub fn rate_variance(&self) -> Option<f64> {
        let k = self.units.units;
        if k < 2 {
            return None;
        }
        let n = self.units.tokens as f64;
        let s = self.residual_ss(Adjust::Plain)?;
        Some(k as f64 / (k - 1) as f64 * s / (n * n))
    }
}

impl ClusterSums {
    /// Degrees of freedom of the group's sandwich variance: the units that hold the
    /// term, less one (`min(K, units with the term) − 1`, at least 1). Units without
    /// the term add nearly constant residuals, so precision grows with these.
    fn variance_df(&self) -> f64 {
        self.units
            .units
            .min(self.term.units_with)
            .saturating_sub(1)
            .max(1) as f64
    }
}

/// Whether half a count is added to `Σc` (the continuity adjustment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Adjust {
    Plain,
    AddHalf,
}

/// `x²` without overflow.
#[inline]
fn sq(x: u64) -> u128 {
    u128::from(x) * u128::from(x)
}

/// `4n²·Σc² − 4·C2·n·Σcn + C2²·Σn²` of [`ClusterSums::residual_ss`] (`sums` are
/// `Σc²`, `Σcn`, `Σn²`), in checked integer arithmetic; `None` on overflow.
fn checked_halves(n: u64, c2: i128, sums: (u128, u128, u128)) -> Option<i128> {
    let n = i128::from(n);
    let sum_c2 = i128::try_from(sums.0).ok()?;
    let sum_cn = i128::try_from(sums.1).ok()?;
    let sum_n2 = i128::try_from(sums.2).ok()?;
    let t1 = n.checked_mul(n)?.checked_mul(sum_c2)?.checked_mul(4)?;
    let t2 = c2.checked_mul(n)?.checked_mul(sum_cn)?.checked_mul(4)?;
    let t3 = c2.checked_mul(c2)?.checked_mul(sum_n2)?;
    t1.checked_sub(t2)?.checked_add(t3)
}

/// [`checked_halves`] when the bit lengths of the factors show that no product, nor
/// the sum, can overflow: then the plain products are the checked ones' values,
/// without a check each. `None` when they might overflow (the checked computation
/// decides then).
#[inline]
fn exact_halves(n: u64, c2: i128, sums: (u128, u128, u128)) -> Option<i128> {
    let bits = |x: u128| 128 - x.leading_zeros();
    let (bn, bc) = (bits(u128::from(n)), bits(c2.unsigned_abs()));
    // Each product below 2¹²⁶ (4 adds 2 bits), so `t1 − t2 + t3` stays within ±2¹²⁷.
    let fits = c2 >= 0
        && 2 * bn + bits(sums.0) + 2 <= 126
        && bc + bn + bits(sums.1) + 2 <= 126
        && 2 * bc + bits(sums.2) <= 126;
    if !fits {
        return None;
    }
    let (n, sum_c2, sum_cn, sum_n2) = (n as i128, sums.0 as i128, sums.1 as i128, sums.2 as i128);
    let t1 = n.wrapping_mul(n).wrapping_mul(sum_c2).wrapping_mul(4);
    let t2 = c2.wrapping_mul(n).wrapping_mul(sum_cn).wrapping_mul(4);
    let t3 = c2.wrapping_mul(c2).wrapping_mul(sum_n2);
    Some(t1.wrapping_sub(t2).wrapping_add(t3))
}

/// Result of [`cluster_test`]: the difference of a term's rate between groups
/// A and B, with its uncertainty at the level of the units. All fields finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterTest {
    /// `ln(r_a / r_b)`, the log rate ratio (natural log), with the continuity
    /// adjustment when the term is absent from one group.
    pub log_rate_ratio: f64,
    /// Its standard error `√(Var(ln r_a) + Var(ln r_b))`, each variance the
    /// cluster-robust one, floored (see [`cluster_test`]).
    pub se: f64,
    /// `log_rate_ratio / se`; positive when the term is more frequent in A.
    pub z: f64,
    /// Degrees of freedom of the Student t reference (Welch–Satterthwaite);
    /// `None` when the normal distribution is used.
    pub df: Option<f64>,
    /// Two-sided p-value of `z`.
    pub p: f64,
    /// The Log Ratio `log₂(r_a / r_b)` (= `log_rate_ratio / ln 2`); the same
    /// value as [`log_ratio`](super::log_ratio) on the group totals.
    pub log_ratio: f64,
    /// Lower end of the `1 − alpha` interval of the Log Ratio (log₂).
    pub lo: f64,
    /// Upper end of that interval.
    pub hi: f64,
    /// The conservative Log Ratio: the end of the interval nearer 0, or 0 when
    /// the interval contains 0.
    pub conservative: f64,
}

/// Tests whether a term's (or concept's) rate differs between groups A and B
/// at the level of the units summed in `a` and `b` (documents, or sources),
/// with a two-sided interval at level `1 − alpha`.
///
/// **What decides** (`z`, `df`, `p`): the difference of the rates `r_a − r_b`
/// over `√(Var(r_a) + Var(r_b))`, each the cluster-robust variance at the
/// group's own rate, floored at the token-level (Poisson) variance of the
/// difference at the pooled rate; Student t with the Welch–Satterthwaite
/// degrees of freedom below (when the floor is used, the smaller `d` of the
/// groups that have the term). On the linear
/// scale a term absent from one group needs no adjusted count. The Log Ratio,
/// its interval and the conservative bound come from the log scale as follows,
/// and the bound is 0 whenever `p ≥ alpha`.
///
/// The variance of each group's log rate is the cluster-robust one of the
/// module docs, with these rules for the edges:
///
/// * **Zero counts.** When the term is absent from exactly one group, `0.5`
///   is added to *both* counts (Hardie's rule, as in
///   [`log_ratio`](super::log_ratio), so the effect size is the same number),
///   and the residuals are taken at the adjusted rate.
/// * **Variance floor.** Each group's `Var(ln r)` is at least `1/(Σc)` (with
///   the adjusted count), the variance of the log of a Poisson count: what a
///   token-level test assumes. Clustering only adds to it; where the sandwich
///   estimate falls below it, the estimate rests on few residuals (a term in a
///   handful of units, or absent: its sandwich variance would be about
///   `1/K`, however few occurrences the other group has) and is not trusted.
///   The floor makes the test conservative for evenly spread (under-dispersed)
///   words, which have large counts and so tiny floors anyway.
/// * **Reference distribution.** Student's t with Welch–Satterthwaite degrees
///   of freedom, `df = (V_a + V_b)² / (V_a²/d_a + V_b²/d_b)`, where a group's
///   `d = min(K, units with the term) − 1` (at least 1) when its sandwich
///   variance is used and `∞` when the floor is (a known variance). The
///   sandwich estimate is a sum of squared residuals over units, and units
///   without the term add nearly constant terms, so its precision grows with
///   the units that hold the term, not with all units: with few of them a
///   normal reference would reject too often (the cluster-robust z is
///   anti-conservative with few clusters), while `min(K_a, K_b) − 1` alone
///   would ignore how rare the term is. With many units the t is the normal.
///
/// Calibration, measured on gamma–Poisson counts (documents of 100–2000
/// tokens, the same population for both groups, 2000 pairs a cell): at 40 to
/// 400 units a group the share of `p < 0.05` is 0.03–0.07 from rare to common
/// terms, approaching 0.05 as units grow (on the mix of the unit test, token-
/// level G² rejects 0.44 of the pairs, this test 0.067); with 10 units a group and strongly skewed counts it reaches
/// 0.07–0.09 for common terms (the normal reference would give 0.12), and rare
/// terms are conservative.
///
/// Returns `None` when either group has fewer than 2 units or no tokens, when
/// the term occurs in neither group (nothing to compare), or when `alpha` is
/// not in `(0, 1)`. Never panics.
pub fn cluster_test(a: &ClusterSums, b: &ClusterSums, alpha: f64) -> Option<ClusterTest> {
    test(a, b, alpha, Interval::Always, 0.0)
}

/// [`cluster_test`] for screening many terms: the same `z`, `df`, `p`, `log_ratio`
/// and `conservative`, but the interval, which costs a Student t quantile, is
/// computed only when `p < alpha`; otherwise `lo` and `hi` are both the Log Ratio
/// (and `conservative` is 0, as [`cluster_test`] gives it then too).
///
/// ```
/// use duibi::stats::{cluster_screen, cluster_test, ClusterSums};
/// let (mut a, mut b) = (ClusterSums::default(), ClusterSums::default());
/// for i in 0..20 { a.add_unit(5 + i % 3, 1000); b.add_unit(1 + i % 2, 1000); }
/// let (s, t) = (cluster_screen(&a, &b, 0.05).unwrap(), cluster_test(&a, &b, 0.05).unwrap());
/// assert!(t.p < 0.05 && t.conservative > 0.0);
/// assert_eq!((s.p, s.z, s.conservative, s.lo), (t.p, t.z, t.conservative, t.lo));
/// // Not significant: the screen skips the interval, the conservative ratio is 0 in both.
/// let (mut c, mut d) = (ClusterSums::default(), ClusterSums::default());
/// for i in 0..20 { c.add_unit(i % 3, 1000); d.add_unit((i + 1) % 3, 1000); }
/// let (s, t) = (cluster_screen(&c, &d, 0.05).unwrap(), cluster_test(&c, &d, 0.05).unwrap());
/// assert!(t.p >= 0.05 && (s.p, s.conservative) == (t.p, 0.0) && s.lo == s.log_ratio);
/// ```
pub fn cluster_screen(a: &ClusterSums, b: &ClusterSums, alpha: f64) -> Option<ClusterTest> {
    test(a, b, alpha, Interval::WhenSignificant, 0.0)
}

/// [`cluster_screen`] for a whole vocabulary at one `alpha`, skipping the Student t
/// tail where it cannot fall below `alpha`.
///
/// A term whose statistic `|t|` is below the normal distribution's two-sided
/// critical value (times `1 − 10⁻²`, far beyond rounding) has `p ≥ alpha` under
/// Student's t with any degrees of freedom, whose tails are heavier than the
/// normal's. For such a term [`ClusterSieve::test`] reports `p = 1` instead of
/// computing it (an incomplete beta function); every other field, and `p` wherever
/// it can be below `alpha`, is [`cluster_screen`]'s. This changes nothing that
/// Benjamini–Hochberg adjustment at `alpha` decides: the terms with `p < alpha` keep
/// their ranks and the others' adjusted values stay at or above `alpha`, so the
/// same terms come out below `alpha`, with the same adjusted values.
///
/// ```
/// use duibi::stats::{cluster_screen, ClusterSieve, ClusterSums};
/// let sieve = ClusterSieve::new(0.05);
/// let (mut a, mut b) = (ClusterSums::default(), ClusterSums::default());
/// for i in 0..20 { a.add_unit(5 + i % 3, 1000); b.add_unit(1 + i % 2, 1000); }
/// assert_eq!(sieve.test(&a, &b), cluster_screen(&a, &b, 0.05)); // significant
/// let (mut c, mut d) = (ClusterSums::default(), ClusterSums::default());
/// for i in 0..20 { c.add_unit(i % 3, 1000); d.add_unit((i + 1) % 3, 1000); }
/// let (s, t) = (sieve.test(&c, &d).unwrap(), cluster_screen(&c, &d, 0.05).unwrap());
/// assert!(t.p >= 0.05 && s.p == 1.0 && (s.z, s.log_ratio) == (t.z, t.log_ratio));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterSieve {
    alpha: f64,
    /// `|t|` below which `p ≥ alpha` for sure.
    below: f64,
}

impl ClusterSieve {
    /// The sieve at level `alpha` (one normal quantile, computed here once).
    pub fn new(alpha: f64) -> Self {
        let z = super::special::normal_isf(alpha / 2.0);
        ClusterSieve {
            alpha,
            below: if z.is_finite() && z > 0.0 {
                z * (1.0 - 1e-2)
            } else {
                0.0
            },
        }
    }

    /// [`cluster_screen`] at the sieve's `alpha`, with `p = 1` where `|t|` shows
    /// `p ≥ alpha` (see [`ClusterSieve`]).
    pub fn test(&self, a: &ClusterSums, b: &ClusterSums) -> Option<ClusterTest> {
        test(a, b, self.alpha, Interval::WhenSignificant, self.below)
    }

    /// [`ClusterSieve::test`] of a term that can be significant: `None` where `|t|`
    /// shows `p ≥ alpha` (where [`ClusterSieve::test`] gives `p = 1`), as where the
    /// test cannot be made. For such a term only `t` is computed, and first from the
    /// counts and token totals alone (at the floor of its variance, a bound on `|t|`):
    /// neither the log scale (two logarithms, two more sums of squared residuals) nor
    /// the p-value. Otherwise the same as [`ClusterSieve::test`].
    ///
    /// ```
    /// use duibi::stats::{ClusterSieve, ClusterSums};
    /// let sieve = ClusterSieve::new(0.05);
    /// let (mut a, mut b) = (ClusterSums::default(), ClusterSums::default());
    /// for i in 0..20 { a.add_unit(5 + i % 3, 1000); b.add_unit(1 + i % 2, 1000); }
    /// assert_eq!(sieve.candidate(&a, &b), sieve.test(&a, &b)); // significant
    /// let (mut c, mut d) = (ClusterSums::default(), ClusterSums::default());
    /// for i in 0..20 { c.add_unit(i % 3, 1000); d.add_unit((i + 1) % 3, 1000); }
    /// assert_eq!(sieve.test(&c, &d).map(|t| t.p), Some(1.0));
    /// assert_eq!(sieve.candidate(&c, &d), None);
    /// ```
    pub fn candidate(&self, a: &ClusterSums, b: &ClusterSums) -> Option<ClusterTest> {
        // Most terms of a vocabulary show it before their sums of squares are read.
        if floored_t(a, b).is_some_and(|t| t < self.below) {
            return None;
        }
        test_with(
            a,
            b,
            self.alpha,
            Interval::WhenSignificant,
            self.below,
            Sieved::Dropped,
        )
    }
}

/// When [`test()`] computes the interval.
#[derive(Clone, Copy, PartialEq)]
enum Interval {
    Always,
    WhenSignificant,
}

/// The two-sided p of `t` under Student's t with `df` (∞: the normal), or 1 when
/// `|t| < below` (then `p ≥ alpha`: see [`ClusterSieve`]; `below = 0` never skips).
fn two_sided_p(t: f64, df: f64, below: f64) -> f64 {
    if t.abs() < below {
        return 1.0;
    }
    (2.0 * student_t_sf(t.abs(), df)).min(1.0)
}

/// What [`test_with`] gives a test whose `|t| < below` ([`ClusterSieve`]).
#[derive(Clone, Copy, PartialEq)]
enum Sieved {
    /// The test with `p = 1`.
    PIsOne,
    /// No test.
    Dropped,
}

/// The test; `p` is 1 without computing it where `|t| < below` ([`ClusterSieve`]).
fn test(
    a: &ClusterSums,
    b: &ClusterSums,
    alpha: f64,
    interval: Interval,
    below: f64,
) -> Option<ClusterTest> {
    test_with(a, b, alpha, interval, below, Sieved::PIsOne)
}

/// [`test()`], giving what `sieved` says where `|t| < below`.
fn test_with(
    a: &ClusterSums,
    b: &ClusterSums,
    alpha: f64,
    interval: Interval,
    below: f64,
    sieved: Sieved,
) -> Option<ClusterTest> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return None;
    }
    let (ca, cb) = (a.term.count, b.term.count);
    if ca == 0 && cb == 0 {
        return None;
    }
    // What decides comes from the linear scale (below) when it can be computed; the
    // log scale's own p is the fall-back.
    let linear = linear_test(a, b, below);
    if sieved == Sieved::Dropped && linear.is_some_and(|(t, _, _)| t.abs() < below) {
        return None;
    }
    let extra = if ca == 0 || cb == 0 {
        Adjust::AddHalf
    } else {
        Adjust::Plain
    };
    let ga = group_log_rate(a, extra)?;
    let gb = group_log_rate(b, extra)?;
    let log_rate_ratio = ga.log_rate - gb.log_rate;
    let var = ga.var + gb.var;
    let se = var.sqrt();
    let z = log_rate_ratio / se;
    let denom = ga.var * ga.var / ga.df + gb.var * gb.var / gb.df;
    let df = (denom > 0.0)
        .then(|| var * var / denom)
        .filter(|d| d.is_finite());
    let t_df = df.unwrap_or(f64::INFINITY);
    let p = match linear {
        Some((_, _, p)) => p,
        None => two_sided_p(z, t_df, below),
    };
    let half_width = if interval == Interval::Always || p < alpha {
        student_t_isf(alpha / 2.0, t_df) * se
    } else {
        0.0
    };
    let ln2 = std::f64::consts::LN_2;
    let (lo, hi) = (
        (log_rate_ratio - half_width) / ln2,
        (log_rate_ratio + half_width) / ln2,
    );
    let conservative = if lo > 0.0 {
        lo
    } else if hi < 0.0 {
        hi
    } else {
        0.0
    };
    let out = ClusterTest {
        log_rate_ratio,
        se,
        z,
        df,
        p,
        log_ratio: log_rate_ratio / ln2,
        lo,
        hi,
        conservative,
    };
    // The p-value (what decides) comes from the difference of the rates on the
    // linear scale, each group's variance the sandwich one at its own rate, with
    // no continuity adjustment and no floor: a term absent from one group has a
    // zero variance there, and its evidence is the spread of its counts in the
    // other group's units. (On the log scale, the zero side needs an adjusted
    // count whose Poisson floor, 1/0.5, would hide a phrase planted in a third of
    // one group's documents.) Reference: Student t, Welch–Satterthwaite degrees
    // of freedom from each group's units with the term, as for the log scale.
    let mut out = out;
    if let Some((t, df, p)) = linear {
        out.z = t;
        out.df = df;
        out.p = p;
    }
    // The conservative Log Ratio claims no more than the test: 0 unless p < alpha.
    if out.p >= alpha {
        out.conservative = 0.0;
    }
    let finite = [out.se, out.z, out.p, out.log_ratio, out.lo, out.hi]
        .iter()
        .all(|v| v.is_finite());
    finite.then_some(out)
}

/// The Welch test of `r_a − r_b` with cluster-robust variances: (t, df, p);
/// `None` when a variance is missing (`K < 2`, no tokens) or both are 0.
/// `p` is 1 without computing it where `|t| < below` ([`ClusterSieve`]).
fn linear_test(a: &ClusterSums, b: &ClusterSums, below: f64) -> Option<(f64, Option<f64>, f64)> {
    let (ra, rb) = (a.rate()?, b.rate()?);
    let (va, vb) = (a.rate_variance()?, b.rate_variance()?);
    let floor = poisson_floor(a, b);
    let sandwich = va + vb;
    // NaN sums count as floored.
    let floored = sandwich.partial_cmp(&floor) != Some(std::cmp::Ordering::Greater);
    let var = if floored { floor } else { sandwich };
    if var.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let t = (ra - rb) / var.sqrt();
    let d = ClusterSums::variance_df;
    let denom = va * va / d(a) + vb * vb / d(b);
    let df = if floored {
        // The floor is a variance, not an estimate with degrees of freedom, but the
        // evidence is still only as broad as the units that hold the term: the
        // smaller of the groups' `d` among those with the term (two documents are
        // two documents, however regular their counts).
        [a, b]
            .iter()
            .filter(|g| g.term.count > 0)
            .map(|g| d(g))
            .reduce(f64::min)
    } else {
        (denom > 0.0)
            .then(|| var * var / denom)
            .filter(|x| x.is_finite())
    };
    let p = two_sided_p(t, df.unwrap_or(f64::INFINITY), below);
    Some((t, df, p))
}

/// The floor of [`linear_test`]'s variance: the variance a token-level (Poisson) test
/// gives the difference at the pooled rate. Clustering only adds to it; below it the
/// sandwich rests on too few residuals (a term once in every document has residuals
/// near 0).
fn poisson_floor(a: &ClusterSums, b: &ClusterSums) -> f64 {
    let (na, nb) = (a.units.tokens as f64, b.units.tokens as f64);
    let pooled = (a.term.count + b.term.count) as f64 / (na + nb);
    pooled * (1.0 / na + 1.0 / nb)
}

/// `|t|` of [`linear_test`] at its floor variance, from the counts and token totals
/// alone (no sums of squares): at least [`linear_test`]'s `|t|` (bit for bit: its
/// variance is never below the floor, and a correctly rounded square root and division
/// keep that order). `None` where [`linear_test`] gives none.
fn floored_t(a: &ClusterSums, b: &ClusterSums) -> Option<f64> {
    if a.units.units < 2 || b.units.units < 2 {
        return None;
    }
    let (ra, rb) = (a.rate()?, b.rate()?);
    let floor = poisson_floor(a, b);
    (floor > 0.0).then(|| ((ra - rb) / floor.sqrt()).abs())
}

/// One group's log rate, its (floored) variance and the degrees of freedom of
/// that variance (`∞` when the floor is used).
struct GroupLogRate {
    log_rate: f64,
    var: f64,
    df: f64,
}

/// [`GroupLogRate`] of `g` with the continuity adjustment `extra`; `None` when
/// `K < 2` or there are no tokens.
fn group_log_rate(g: &ClusterSums, extra: Adjust) -> Option<GroupLogRate> {
    let k = g.units.units;
    if k < 2 || g.units.tokens == 0 {
        return None;
    }
    let count = g.term.count as f64 + if extra == Adjust::AddHalf { 0.5 } else { 0.0 };
    if count <= 0.0 {
        return None;
    }
    let s = g.residual_ss(extra)?;
    let sandwich = k as f64 / (k - 1) as f64 * s / (count * count);
    let floor = 1.0 / count;
    let (var, df) = if sandwich > floor {
        (sandwich, g.variance_df())
    } else {
        (floor, f64::INFINITY)
    };
    Some(GroupLogRate {
        log_rate: (count / g.units.tokens as f64).ln(),
        var,
        df,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{chi2_sf_1df, log_likelihood_g2, log_ratio, Rng};

    /// Standard normal draw (Box–Muller).
    fn normal(rng: &mut Rng) -> f64 {
        let u = 1.0 - rng.next_f64(); // (0, 1]
        let v = rng.next_f64();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    /// Gamma(shape, scale 1/shape) draw, mean 1 and variance 1/shape
    /// (Marsaglia & Tsang 2000, boosted for shape < 1).
    fn gamma_mean1(rng: &mut Rng, shape: f64) -> f64 {
        let (k, boost) = if shape < 1.0 {
            (shape + 1.0, (1.0 - rng.next_f64()).powf(1.0 / shape))
        } else {
            (shape, 1.0)
        };
        let d = k - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = normal(rng);
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = 1.0 - rng.next_f64();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v * boost / shape;
            }
        }
    }

    /// Poisson draw by inversion (means up to a few hundred).
    fn poisson(rng: &mut Rng, mean: f64) -> u64 {
        let u = rng.next_f64();
        let (mut k, mut p) = (0u64, (-mean).exp());
        let mut cdf = p;
        while u > cdf && k < 10_000 {
            k += 1;
            p *= mean / k as f64;
            cdf += p;
        }
        k
    }

    /// `docs` documents of 100..2000 tokens; the term's rate in document `i`
    /// is `rate · G_i · boost(i)` with `G_i ~ Gamma(mean 1, variance 1/shape)`:
    /// gamma–Poisson (negative binomial) counts, clustered by document.
    fn group(
        rng: &mut Rng,
        docs: usize,
        rate: f64,
        shape: f64,
        boost: impl Fn(usize) -> f64,
    ) -> Vec<(u64, u64)> {
        (0..docs)
            .map(|i| {
                let n = 100 + rng.below(1901);
                let lambda = n as f64 * rate * gamma_mean1(rng, shape) * boost(i);
                (poisson(rng, lambda), n)
            })
            .collect()
    }

    fn sums(units: &[(u64, u64)]) -> ClusterSums {
        let mut s = ClusterSums::default();
        for &(c, n) in units {
            s.add_unit(c, n);
        }
        s
    }

    /// Token-level G² p-value on the group totals.
    fn g2_p(a: &ClusterSums, b: &ClusterSums) -> f64 {
        let g2 = log_likelihood_g2(
            a.term.count as f64,
            b.term.count as f64,
            a.units.tokens as f64,
            b.units.tokens as f64,
        );
        chi2_sf_1df(g2)
    }

    #[test]
    fn the_screen_decides_exactly_as_the_full_test() {
        let mut rng = Rng::new(7);
        let mut significant = 0;
        for case in 0..400 {
            let docs = 2 + case % 40;
            let boost = if case % 3 == 0 { 3.0 } else { 1.0 };
            let a = sums(&group(&mut rng, docs, 0.002 * boost, 0.5, |_| 1.0));
            let b = sums(&group(&mut rng, docs + 3, 0.002, 0.5, |_| 1.0));
            let (s, t) = (cluster_screen(&a, &b, 0.05), cluster_test(&a, &b, 0.05));
            assert_eq!(s.is_some(), t.is_some(), "case {case}");
            let (Some(s), Some(t)) = (s, t) else { continue };
            assert_eq!(
                (s.p, s.z, s.df, s.log_ratio, s.conservative),
                (t.p, t.z, t.df, t.log_ratio, t.conservative),
                "case {case}"
            );
            if t.p < 0.05 {
                significant += 1;
                assert_eq!((s.lo, s.hi), (t.lo, t.hi), "case {case}");
            }
        }
        assert!(significant > 20, "{significant} significant cases");
    }

    /// The unchecked products give the checked ones' value wherever the bit lengths let
    /// them run, up to the largest factors they allow, and leave the rest to the checks.
    #[test]
    fn unchecked_residual_sums_agree_with_checked_ones() {
        let mut rng = Rng::new(3);
        let mut fast = 0;
        for case in 0..20_000 {
            // Factors of random bit lengths, some at the edge of what fits.
            let mut draw = |max_bits: u32| -> u128 {
                let b = rng.below(u64::from(max_bits) + 1) as u32;
                let x = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
                if b == 0 {
                    0
                } else if case % 3 == 0 {
                    u128::MAX >> (128 - b)
                } else {
                    x >> (128 - b)
                }
            };
            let n = draw(44) as u64;
            let c2 = (draw(45) >> 1) as i128;
            let sums = (draw(100), draw(110), draw(120));
            let checked = checked_halves(n, c2, sums);
            if let Some(v) = exact_halves(n, c2, sums) {
                assert_eq!(Some(v), checked, "n {n} c2 {c2} sums {sums:?}");
                fast += 1;
            }
        }
        assert!(fast > 2_000, "{fast}");
        // Realistic sums always take the fast path.
        assert!(exact_halves(40_000_000, 2_000_001, (1 << 40, 1 << 50, 1 << 60)).is_some());
    }

    /// The sieve gives the screen's test wherever p can be below alpha, and p = 1
    /// only where the screen's p is at least alpha (a case near the cut-off included);
    /// Benjamini–Hochberg over the sieved p-values keeps the same terms below alpha
    /// with the same adjusted values.
    #[test]
    fn the_sieve_skips_only_p_values_at_or_above_alpha() {
        for alpha in [0.05, 0.01, 0.3] {
            let sieve = ClusterSieve::new(alpha);
            let mut rng = Rng::new(11);
            let (mut plain, mut sieved) = (Vec::new(), Vec::new());
            let (mut skipped, mut near, mut floored) = (0, 0, 0);
            for case in 0..600 {
                let docs = 2 + case % 60;
                let boost = [1.0, 1.5, 3.0, 6.0][case % 4];
                let a = sums(&group(&mut rng, docs, 0.002 * boost, 2.0, |_| 1.0));
                let b = sums(&group(&mut rng, docs + 3, 0.002, 2.0, |_| 1.0));
                let (v, s) = (sieve.test(&a, &b), cluster_screen(&a, &b, alpha));
                assert_eq!(v.is_some(), s.is_some(), "case {case}");
                // A candidate is the sieve's test, and every test with p < alpha is one.
                let c = sieve.candidate(&a, &b);
                if s.is_some_and(|s| s.p < alpha) {
                    assert_eq!(c, v, "case {case}: a candidate");
                } else {
                    assert!(c.is_none() || c == v, "case {case}");
                }
                // The t at the floor variance bounds the test's t from above.
                if let (Some(f), Some((t, _, _))) = (floored_t(&a, &b), linear_test(&a, &b, 0.0)) {
                    assert!(t.abs() <= f, "case {case}: {t} {f}");
                    floored += usize::from(f < sieve.below);
                }
                let (Some(v), Some(s)) = (v, s) else { continue };
                let same = (v.z, v.df, v.log_ratio, v.conservative, v.lo, v.hi);
                assert_eq!(same, (s.z, s.df, s.log_ratio, s.conservative, s.lo, s.hi));
                if v.p != s.p {
                    assert!(v.p == 1.0 && s.p >= alpha, "case {case}: {} {}", v.p, s.p);
                    skipped += 1;
                } else if s.p >= alpha && s.p < 1.5 * alpha {
                    near += 1;
                }
                plain.push(s.p);
                sieved.push(v.p);
            }
            assert!(
                skipped > 100 && near > 0 && floored > 50,
                "alpha {alpha}: {skipped} skipped ({floored} at the floor), {near} near"
            );
            let (bp, bs) = (
                crate::stats::benjamini_hochberg(&plain),
                crate::stats::benjamini_hochberg(&sieved),
            );
            let below = |q: &[f64]| -> Vec<(usize, u64)> {
                (q.iter().enumerate())
                    .filter(|(_, &x)| x < alpha)
                    .map(|(i, x)| (i, x.to_bits()))
                    .collect()
            };
            assert!(below(&bp).len() > 10, "alpha {alpha}: {}", below(&bp).len());
            assert_eq!(below(&bp), below(&bs), "alpha {alpha}");
        }
        // An alpha that is no level sieves nothing (and tests nothing).
        assert_eq!(ClusterSieve::new(1.5).below, 0.0);
    }

    #[test]
    fn merge_is_exact_for_any_split() {
        let mut rng = Rng::new(1);
        let units = group(&mut rng, 300, 0.01, 0.5, |_| 1.0);
        let whole = sums(&units);
        for seed in 0..20 {
            let mut r = Rng::new(seed);
            // Random cut points, chunks merged in a random order.
            let mut cuts: Vec<usize> = (0..r.below(10)).map(|_| r.below(301) as usize).collect();
            cuts.extend([0, units.len()]);
            cuts.sort_unstable();
            let mut chunks: Vec<ClusterSums> =
                cuts.windows(2).map(|w| sums(&units[w[0]..w[1]])).collect();
            while chunks.len() > 1 {
                let i = r.below(chunks.len() as u64) as usize;
                let c = chunks.swap_remove(i);
                let j = r.below(chunks.len() as u64) as usize;
                chunks[j].merge(&c);
            }
            assert_eq!(chunks.first().copied().unwrap_or_default(), whole);
        }
        // The sparse way: unit totals once, term sums over the units with the term.
        let mut totals = UnitTotals::default();
        let mut term = TermSums::default();
        for &(c, n) in &units {
            totals.add_unit(n);
            if c > 0 {
                term.add_unit(c, n);
            }
        }
        assert_eq!(
            ClusterSums {
                units: totals,
                term
            },
            whole
        );
        assert_eq!(whole.units.units, 300);
        assert_eq!(
            whole.term.units_with,
            units.iter().filter(|u| u.0 > 0).count() as u64
        );
    }

    #[test]
    fn agrees_with_a_direct_per_unit_computation() {
        let mut rng = Rng::new(2);
        let a = group(&mut rng, 37, 0.01, 1.0, |_| 1.0);
        let b = group(&mut rng, 52, 0.006, 1.0, |_| 1.0);
        // Direct: r = Σc/Σn, S = Σ(c − r·n)², Var(r) = K/(K−1)·S/(Σn)², Var(ln r) = Var(r)/r².
        let direct = |u: &[(u64, u64)]| {
            let k = u.len() as f64;
            let c: f64 = u.iter().map(|x| x.0 as f64).sum();
            let n: f64 = u.iter().map(|x| x.1 as f64).sum();
            let r = c / n;
            let s: f64 = u
                .iter()
                .map(|x| (x.0 as f64 - r * x.1 as f64).powi(2))
                .sum();
            let var_r = k / (k - 1.0) * s / (n * n);
            let df = (u.iter().filter(|x| x.0 > 0).count() as f64 - 1.0).max(1.0);
            (r, var_r, var_r / (r * r), df)
        };
        let (sa, sb) = (sums(&a), sums(&b));
        let (ra, var_ra, vla, dfa) = direct(&a);
        let (rb, var_rb, vlb, dfb) = direct(&b);
        assert_rel!(sa.rate().unwrap_or(f64::NAN), ra, 1e-15);
        assert_rel!(sa.rate_variance().unwrap_or(f64::NAN), var_ra, 1e-12);
        assert_rel!(sb.rate_variance().unwrap_or(f64::NAN), var_rb, 1e-12);
        // Clustered enough that the sandwich is above the Poisson floor.
        assert!(vla > 1.0 / sa.term.count as f64 && vlb > 1.0 / sb.term.count as f64);
        let t = cluster_test(&sa, &sb, 0.05).expect("valid groups");
        let lrr = (ra / rb).ln();
        let se = (vla + vlb).sqrt();
        let df = (vla + vlb).powi(2) / (vla * vla / dfa + vlb * vlb / dfb);
        assert_rel!(t.log_rate_ratio, lrr, 1e-13);
        assert_rel!(t.se, se, 1e-12);
        // t, df and p: the difference of the rates on the linear scale.
        let vl = var_ra + var_rb;
        let tl = (ra - rb) / vl.sqrt();
        let dfl = vl.powi(2) / (var_ra * var_ra / dfa + var_rb * var_rb / dfb);
        assert_rel!(t.z, tl, 1e-12);
        assert_rel!(t.df.unwrap_or(f64::NAN), dfl, 1e-12);
        assert_rel!(t.p, 2.0 * student_t_sf(tl.abs(), dfl), 1e-11);
        let half = student_t_isf(0.025, df) * se / std::f64::consts::LN_2;
        assert_rel!(t.lo, lrr / std::f64::consts::LN_2 - half, 1e-12);
        assert_rel!(t.hi, lrr / std::f64::consts::LN_2 + half, 1e-12);
        let log2 = log_ratio(
            sa.term.count as f64,
            sb.term.count as f64,
            sa.units.tokens as f64,
            sb.units.tokens as f64,
        );
        assert_rel!(t.log_ratio, log2, 1e-13);
    }

    #[test]
    fn random_halves_of_one_population_are_rarely_different() {
        // A/A: both groups from the same gamma–Poisson population (strongly
        // over-dispersed, variance of the document rate 2× its mean²), documents of
        // varying length, rare to common terms, 40 to 100 documents a group.
        let mut rng = Rng::new(2026);
        let (mut cluster, mut g2, mut tested) = (0u32, 0u32, 0u32);
        for k in 0..600 {
            let rate = [0.0005, 0.002, 0.01][k % 3];
            let docs = [40, 100][(k / 3) % 2];
            let a = sums(&group(&mut rng, docs, rate, 0.5, |_| 1.0));
            let b = sums(&group(&mut rng, docs, rate, 0.5, |_| 1.0));
            let Some(t) = cluster_test(&a, &b, 0.05) else {
                continue;
            };
            tested += 1;
            cluster += u32::from(t.p < 0.05);
            g2 += u32::from(g2_p(&a, &b) < 0.05);
            // The conservative bound (log scale, floored variance) is never less
            // conservative than the test: it excludes 0 only where p < alpha.
            if t.conservative != 0.0 {
                assert!(t.p < 0.05, "{t:?}");
            }
        }
        let share = f64::from(cluster) / f64::from(tested);
        let share_g2 = f64::from(g2) / f64::from(tested);
        assert!(tested >= 590, "{tested} tested");
        assert!(
            (0.02..=0.08).contains(&share),
            "cluster test rejects {share}"
        );
        // Token-level G² on the same data calls chance clustering significant.
        assert!(
            share_g2 > 0.3 && share_g2 > 4.0 * share,
            "G² rejects {share_g2}"
        );
    }

    #[test]
    fn finds_a_doubling_in_half_the_documents() {
        // 100 documents a group from one population; in A, the rate is doubled in
        // 50 of them (A's rate 1.5× B's).
        let mut rng = Rng::new(18);
        let mut found = 0;
        for k in 0..50 {
            let a = sums(&group(&mut rng, 100, 0.005, 2.0, |i| {
                if i < 50 {
                    2.0
                } else {
                    1.0
                }
            }));
            let b = sums(&group(&mut rng, 100, 0.005, 2.0, |_| 1.0));
            let t = cluster_test(&a, &b, 0.05).expect("valid groups");
            if k == 0 {
                assert!(t.p < 0.05 && t.conservative > 0.0, "{t:?}");
            }
            found += u32::from(t.p < 0.05 && t.log_ratio > 0.0);
        }
        assert!(found >= 40, "found in {found} of 50");
    }

    #[test]
    fn edges_give_none_or_finite_values() {
        let a = sums(&[(3, 100), (1, 200), (0, 50)]);
        let b = sums(&[(0, 100), (0, 300)]);
        // Absent from B: Hardie's +0.5, a finite test, B's variance at its floor.
        let t = cluster_test(&a, &b, 0.05).expect("one group has the term");
        assert_rel!(t.log_ratio, log_ratio(4.0, 0.0, 350.0, 400.0), 1e-14);
        assert!(t.se >= 2f64.sqrt() && t.p > 0.05 && t.conservative == 0.0);
        let t = cluster_test(&b, &a, 0.05).expect("one group has the term");
        assert!(t.z < 0.0 && t.log_ratio < 0.0);
        // Nothing to compare, too few units, no tokens, a bad alpha.
        assert_eq!(cluster_test(&b, &b, 0.05), None);
        assert_eq!(cluster_test(&a, &sums(&[(2, 100)]), 0.05), None);
        assert_eq!(cluster_test(&a, &sums(&[(0, 0), (0, 0)]), 0.05), None);
        assert_eq!(cluster_test(&a, &ClusterSums::default(), 0.05), None);
        for alpha in [0.0, 1.0, f64::NAN] {
            assert_eq!(cluster_test(&a, &a, alpha), None);
        }
        assert_eq!(ClusterSums::default().rate(), None);
        assert_eq!(sums(&[(1, 10)]).rate_variance(), None);
        // Identical groups: no difference, p = 1.
        let t = cluster_test(&a, &a, 0.05).expect("valid");
        assert_eq!(
            (t.log_ratio, t.z, t.p, t.conservative),
            (0.0, 0.0, 1.0, 0.0)
        );
        // Counts proportional to length: residuals exactly 0, variance at the floor.
        let p = sums(&[(1, 100), (2, 200), (3, 300)]);
        assert_eq!(p.rate_variance(), Some(0.0));
        let t = cluster_test(&p, &a, 0.05).expect("valid");
        assert!(t.se.is_finite() && t.se > 0.0);
        // Sums too large for the exact path: the floating-point one, still finite.
        let huge = ClusterSums {
            units: UnitTotals {
                units: 10,
                tokens: u64::MAX / 2,
                tokens_sq: u128::MAX / 4,
            },
            term: TermSums {
                count: u64::MAX / 8,
                count_sq: u128::MAX / 16,
                count_tokens: u128::MAX / 8,
                units_with: 10,
            },
        };
        assert!(huge
            .rate_variance()
            .is_some_and(|v| v.is_finite() && v >= 0.0));
        if let Some(t) = cluster_test(&huge, &a, 0.05) {
            assert!(t.p.is_finite() && t.conservative.is_finite());
        }
        let mut sat = huge;
        sat.merge(&huge);
        sat.merge(&huge);
        assert_eq!(sat.units.tokens, u64::MAX);
    }

    #[test]
    fn exact_and_floating_residuals_agree() {
        let mut rng = Rng::new(3);
        let s = sums(&group(&mut rng, 80, 0.01, 1.0, |_| 1.0));
        for extra in [Adjust::Plain, Adjust::AddHalf] {
            let exact = s.residual_ss(extra).unwrap_or(f64::NAN);
            let c = s.term.count as f64 + if extra == Adjust::AddHalf { 0.5 } else { 0.0 };
            let r = c / s.units.tokens as f64;
            let float = s.term.count_sq as f64 - 2.0 * r * s.term.count_tokens as f64
                + r * r * s.units.tokens_sq as f64;
            assert_rel!(exact, float, 1e-9);
        }
    }
}
