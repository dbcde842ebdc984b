//! Keyness of a term in a 2×2 frequency comparison (count `a` of the term in
//! corpus A of `n_a` tokens against count `b` in corpus B of `n_b` tokens):
//! G² ([`log_likelihood_g2`]), Hardie's Log Ratio ([`log_ratio`]), Evert's
//! conservative Log Ratio ([`log_ratio_conservative`]), Monroe et al.'s
//! weighted log-odds ([`monroe_log_odds_z`], [`monroe_prior`]), the bundle
//! [`keyness`] → [`Keyness`], and Benjamini–Hochberg adjustment over a
//! vocabulary ([`benjamini_hochberg`]).
//!
//! These are token-level measures: they treat every token as an independent
//! draw. For a test at the level of documents or sources see
//! [`cluster_test`](super::cluster_test).

use std::f64::consts::LN_2;

use super::special::{beta_ppf_logit, chi2_sf_1df};

/// Valid 2×2 input: finite, non-negative counts, positive corpus sizes, and
/// counts not exceeding their corpus.
fn valid_2x2(a: f64, b: f64, n_a: f64, n_b: f64) -> bool {
    [a, b, n_a, n_b].iter().all(|v| v.is_finite())
        && a >= 0.0
        && b >= 0.0
        && n_a > 0.0
        && n_b > 0.0
        && a <= n_a
        && b <= n_b
}

/// `o · ln(o/e)` given `ln(o/e)`, with the convention `0 · ln 0 = 0`.
fn xlogratio(o: f64, ln_ratio: f64) -> f64 {
    if o == 0.0 {
        0.0
    } else {
        o * ln_ratio
    }
}

/// Log-likelihood keyness statistic G² (Dunning 1993; Rayson & Garside 2000)
/// for a term occurring `a` times in corpus A (`n_a` tokens) and `b` times in
/// corpus B (`n_b` tokens).
///
/// This is the **full 4-cell** contingency-table G², the statistic that is
/// actually χ²₁-distributed under H₀ (the 2-cell "Rayson" shortcut that drops
/// the "other tokens" row is an approximation to it). With
/// `N = n_a + n_b`, observed cells
///
/// ```text
///            corpus A      corpus B
/// term       O11 = a       O12 = b         R1 = a + b
/// other      O21 = n_a−a   O22 = n_b−b     R2 = N − a − b
///            C1 = n_a      C2 = n_b        N
/// ```
///
/// and expected cells `Eij = Ri·Cj / N`,
///
/// `G² = 2 Σᵢⱼ Oij · ln(Oij / Eij)`, with `0 · ln 0 = 0`.
///
/// The "other" cells are computed as
/// `ln(O21/E21) = ln1p(−a/n_a) − ln1p(−(a+b)/N)` to avoid cancellation.
/// G² is unsigned; the direction comes from [`log_ratio`].
/// Counts may be fractional. Returns `NaN` unless `0 <= a <= n_a`,
/// `0 <= b <= n_b`, `n_a, n_b > 0`, all finite. `a = b = 0` gives `0`.
///
/// ```
/// use duibi::stats::{chi2_sf_1df, log_likelihood_g2};
/// // 10 vs 2 occurrences in two 1000-token corpora.
/// let g2 = log_likelihood_g2(10.0, 2.0, 1000.0, 1000.0);
/// assert!((g2 - 5.854_256_566_489_61).abs() < 1e-12);
/// assert!(chi2_sf_1df(g2) < 0.05);
/// ```
pub fn log_likelihood_g2(a: f64, b: f64, n_a: f64, n_b: f64) -> f64 {
    if !valid_2x2(a, b, n_a, n_b) {
        return f64::NAN;
    }
    let n = n_a + n_b;
    let r1 = a + b;
    if r1 == 0.0 {
        return 0.0;
    }
    let t11 = xlogratio(a, (a * n / (n_a * r1)).ln());
    let t12 = xlogratio(b, (b * n / (n_b * r1)).ln());
    let ln_r2_frac = (-r1 / n).ln_1p(); // ln(R2/N)
    let t21 = xlogratio(n_a - a, (-a / n_a).ln_1p() - ln_r2_frac);
    let t22 = xlogratio(n_b - b, (-b / n_b).ln_1p() - ln_r2_frac);
    (2.0 * (t11 + t12 + t21 + t22)).max(0.0)
}

/// Benjamini–Hochberg (1995) false-discovery-rate adjusted p-values
/// ("q-values" in the loose sense), as R's `p.adjust(p, "BH")`.
///
/// With the `m` non-NaN p-values sorted ascending, `p₍₁₎ ≤ … ≤ p₍ₘ₎`,
///
/// `q₍ᵢ₎ = min( 1, min_{j ≥ i} m · p₍ⱼ₎ / j )`.
///
/// The output is in the **same order as the input**, monotone in the
/// p-values and capped at 1. Ties are sorted stably (by original index) and
/// necessarily receive identical adjusted values. **NaN** entries are ignored
/// (they do not count towards `m`) and come back as NaN, like R with `NA`.
/// Values are not otherwise validated. Empty input → empty output.
///
/// ```
/// use duibi::stats::benjamini_hochberg;
/// let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.5]);
/// // sorted: 0.01·4/1 = 0.04, 0.03·4/2 = 0.06, 0.04·4/3 = 0.0533 → 0.0533 (cummin), 0.5
/// assert!((q[0] - 0.04).abs() < 1e-15);
/// assert!((q[1] - 0.04 * 4.0 / 3.0).abs() < 1e-15);
/// assert!((q[2] - 0.04 * 4.0 / 3.0).abs() < 1e-15);
/// assert!((q[3] - 0.5).abs() < 1e-15);
/// ```
pub fn benjamini_hochberg(pvals: &[f64]) -> Vec<f64> {
    let mut out = vec![f64::NAN; pvals.len()];
    let mut m = 0usize;
    // Only the p-values below 1 are sorted. Those at or above 1 sort after them (ranks
    // `j ≤ m`), and each gives `m · p / j ≥ 1`, so the running minimum, which starts
    // at 1, is still exactly 1 when the walk from the top reaches the first p below 1:
    // they are adjusted to 1 and the rest as if all were sorted. (Most p-values of the
    // keyness tests are 1: the terms the sieve lets through untested.)
    let mut below: Vec<(i64, usize)> = Vec::new();
    for (i, &p) in pvals.iter().enumerate() {
        if p.is_nan() {
            continue;
        }
        m += 1;
        if p >= 1.0 {
            out[i] = 1.0;
        } else {
            below.push((total_order_key(p), i));
        }
    }
    // The keys and indices are distinct: the order of `total_cmp`, ties by index.
    below.sort_unstable();
    let m = m as f64;
    let mut running = 1.0_f64;
    for (rank, &(_, i)) in below.iter().enumerate().rev() {
        let v = pvals[i] * m / (rank as f64 + 1.0);
        running = running.min(v);
        out[i] = running;
    }
    out
}

/// An integer in the order of [`f64::total_cmp`] (its own transformation of the bits).
fn total_order_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// Hardie's (2014) **Log Ratio**: the binary log of the ratio of relative
/// frequencies, `LR = log₂( (a/n_a) / (b/n_b) )`. `+1` means twice as
/// frequent in A, `−1` twice as frequent in B.
///
/// **Zero smoothing:** if exactly one of `a`, `b` is zero, `0.5` is added to
/// *both* counts (corpus sizes unchanged), so the value stays finite:
/// `LR = log₂( ((a+0.5)/n_a) / ((b+0.5)/n_b) )`. If both are zero the term
/// carries no information and the result is `0`.
/// Returns `NaN` on invalid input (see [`log_likelihood_g2`]).
///
/// ```
/// use duibi::stats::log_ratio;
/// assert!((log_ratio(20.0, 10.0, 1000.0, 1000.0) - 1.0).abs() < 1e-15);
/// // b = 0 → log2((5.5/1000)/(0.5/1000)) = log2(11)
/// assert!((log_ratio(5.0, 0.0, 1000.0, 1000.0) - 11f64.log2()).abs() < 1e-15);
/// ```
pub fn log_ratio(a: f64, b: f64, n_a: f64, n_b: f64) -> f64 {
    if !valid_2x2(a, b, n_a, n_b) {
        return f64::NAN;
    }
    let (a, b) = match (a == 0.0, b == 0.0) {
        (true, true) => return 0.0,
        (false, false) => (a, b),
        _ => (a + 0.5, b + 0.5),
    };
    ((a / n_a) / (b / n_b)).log2()
}

/// Evert's **conservative Log Ratio** (LRC, as in CQPweb): the end of a
/// confidence interval for the Log Ratio that is nearer to zero, or `0` if
/// the interval contains zero.
///
/// Conditional on `a + b`, `a ~ Binomial(a + b, π)` with
/// `π = n_a·r_a / (n_a·r_a + n_b·r_b)` (`r` = true relative frequencies), and
/// `log₂(r_a/r_b) = log₂( π/(1−π) · n_b/n_a )`. The exact
/// **Clopper–Pearson** two-sided interval at level `1 − alpha` for `π` is
///
/// * `π_lo = BetaPPF(alpha/2; a, b + 1)` (`0` if `a = 0`),
/// * `π_hi = BetaPPF(1 − alpha/2; a + 1, b)` (`1` if `b = 0`),
///
/// which map to `LR_lo`, `LR_hi` by the formula above (`±∞` at `0`/`1`).
/// Result: `LR_lo` if `LR_lo > 0`, `LR_hi` if `LR_hi < 0`, else `0`. So a
/// term seen only in A gets the finite lower bound, and `a = b = 0` gives
/// `0`. No zero smoothing is needed.
///
/// `alpha` is the two-sided error rate of *one* interval (conventional
/// `0.05`). CQPweb-style Bonferroni correction for a vocabulary of `m`
/// tested terms is obtained by passing `alpha / m`. Returns `NaN` on invalid
/// counts or if `alpha ∉ (0, 1)`.
///
/// ```
/// use duibi::stats::{log_ratio, log_ratio_conservative};
/// let lr = log_ratio(10.0, 20.0, 1000.0, 1000.0); // −1
/// let lrc = log_ratio_conservative(10.0, 20.0, 1000.0, 1000.0, 0.05);
/// assert!(lrc <= 0.0 && lrc > lr); // shrunk toward 0 (here the CI covers 0)
/// let strong = log_ratio_conservative(100.0, 10.0, 1000.0, 1000.0, 0.05);
/// assert!(strong > 2.0 && strong < log_ratio(100.0, 10.0, 1000.0, 1000.0));
/// ```
pub fn log_ratio_conservative(a: f64, b: f64, n_a: f64, n_b: f64, alpha: f64) -> f64 {
    if !(valid_2x2(a, b, n_a, n_b) && alpha > 0.0 && alpha < 1.0) {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return 0.0;
    }
    let offset = (n_b / n_a).ln();
    // logit of the lower bound of π.
    let t_lo = if a == 0.0 {
        f64::NEG_INFINITY
    } else {
        beta_ppf_logit(alpha / 2.0, a, b + 1.0)
    };
    // logit of the upper bound: 1 − π_hi = BetaPPF(alpha/2; b, a + 1).
    let t_hi = if b == 0.0 {
        f64::INFINITY
    } else {
        -beta_ppf_logit(alpha / 2.0, b, a + 1.0)
    };
    let lr_lo = (t_lo + offset) / LN_2;
    let lr_hi = (t_hi + offset) / LN_2;
    if lr_lo > 0.0 {
        lr_lo
    } else if lr_hi < 0.0 {
        lr_hi
    } else {
        0.0
    }
}

/// Informative Dirichlet prior pseudo-count for one term:
/// `α_w = α₀ · pooled_count / pooled_total`, i.e. `α₀` pseudo-tokens spread
/// over the vocabulary in proportion to the pooled (A ∪ B) frequencies.
///
/// With the default `α₀ = pooled_total` (see [`KeynessOptions`]) this is
/// simply `α_w = y_a + y_b`. Returns `NaN` if `pooled_total <= 0` or any
/// input is negative / not finite.
///
/// ```
/// use duibi::stats::monroe_prior;
/// assert_eq!(monroe_prior(30.0, 10_000.0, 500.0), 1.5);
/// ```
pub fn monroe_prior(pooled_count: f64, pooled_total: f64, alpha_0: f64) -> f64 {
    let ok = [pooled_count, pooled_total, alpha_0]
        .iter()
        .all(|v| v.is_finite() && *v >= 0.0)
        && pooled_total > 0.0;
    if !ok {
        return f64::NAN;
    }
    alpha_0 * pooled_count / pooled_total
}

/// Monroe, Colaresi & Quinn (2008) weighted log-odds ratio with an
/// informative Dirichlet prior ("Fightin' Words"), returning
/// `(δ, σ², z)`:
///
/// * `δ = ln( (y_a+α_w) / (n_a+α₀−y_a−α_w) ) − ln( (y_b+α_w) / (n_b+α₀−y_b−α_w) )`
/// * `σ² ≈ 1/(y_a+α_w) + 1/(y_b+α_w)`
/// * `z = δ / σ`
///
/// `α_w` is the term's prior pseudo-count (see [`monroe_prior`]) and `α₀`
/// the total prior size. Positive `z` favours A. Note that the prior shrinks
/// `δ` towards 0, so `δ` is a ranking score rather than a plain effect size;
/// use [`log_ratio`] for that.
///
/// Returns `(NaN, NaN, NaN)` if counts are invalid (as in
/// [`log_likelihood_g2`]), `α_w` or `α₀` is negative/non-finite, or a
/// smoothed count is zero (term absent from both corpora and `α_w = 0`).
///
/// ```
/// use duibi::stats::{monroe_log_odds_z, monroe_prior};
/// let (ya, yb, na, nb) = (30.0, 10.0, 10_000.0, 10_000.0);
/// let alpha_0 = na + nb; // default: prior = pooled counts
/// let aw = monroe_prior(ya + yb, na + nb, alpha_0); // = 40
/// let (delta, var, z) = monroe_log_odds_z(ya, yb, na, nb, aw, alpha_0);
/// let expect = (70.0f64 / 29_930.0).ln() - (50.0f64 / 29_950.0).ln();
/// assert!((delta - expect).abs() < 1e-14);
/// assert!((var - (1.0 / 70.0 + 1.0 / 50.0)).abs() < 1e-15);
/// assert!((z - delta / var.sqrt()).abs() < 1e-15);
/// ```
pub fn monroe_log_odds_z(
    y_a: f64,
    y_b: f64,
    n_a: f64,
    n_b: f64,
    alpha_w: f64,
    alpha_0: f64,
) -> (f64, f64, f64) {
    const BAD: (f64, f64, f64) = (f64::NAN, f64::NAN, f64::NAN);
    let priors_ok = alpha_w.is_finite() && alpha_w >= 0.0 && alpha_0.is_finite() && alpha_0 >= 0.0;
    if !(valid_2x2(y_a, y_b, n_a, n_b) && priors_ok) {
        return BAD;
    }
    let sa = y_a + alpha_w;
    let sb = y_b + alpha_w;
    let ra = n_a + alpha_0 - sa;
    let rb = n_b + alpha_0 - sb;
    if !(sa > 0.0 && sb > 0.0 && ra > 0.0 && rb > 0.0) {
        return BAD;
    }
    let delta = (sa / ra).ln() - (sb / rb).ln();
    let var = 1.0 / sa + 1.0 / sb;
    (delta, var, delta / var.sqrt())
}

/// Options for [`keyness`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeynessOptions {
    /// Two-sided error rate of the Clopper–Pearson interval behind
    /// [`log_ratio_conservative`]. Default `0.05`. Pass `0.05 / m` for a
    /// Bonferroni correction over `m` terms.
    pub lrc_alpha: f64,
    /// Total prior size `α₀` for [`monroe_log_odds_z`]. `None` (default)
    /// means `α₀ = n_a + n_b`, i.e. the prior pseudo-counts are the pooled
    /// counts themselves (`α_w = a + b`), the "background corpus = both
    /// corpora" prior commonly used with Monroe et al.'s method.
    ///
    /// Why this default: it is scale-free (no magic constant; it behaves
    /// the same for a 10⁴- or 10⁷-token comparison) and it keeps `z`
    /// informative for terms absent from one side, whereas a small fixed
    /// `α₀` (e.g. 500) gives such terms a tiny `α_w`, so `σ² ≈ 1/α_w`
    /// explodes and one-sided terms get `|z| < 1` however often they occur.
    /// The price is shrinkage of `δ` (roughly halved), which does not
    /// affect the ranking use of `z`.
    pub monroe_alpha_0: Option<f64>,
}

impl Default for KeynessOptions {
    fn default() -> Self {
        Self {
            lrc_alpha: 0.05,
            monroe_alpha_0: None,
        }
    }
}

/// All keyness measures for one term (see [`keyness`]). Plain data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keyness {
    /// Count in corpus A.
    pub a: f64,
    /// Count in corpus B.
    pub b: f64,
    /// Log-likelihood G² (4-cell), [`log_likelihood_g2`]. Unsigned.
    pub g2: f64,
    /// `P(χ²₁ > g2)`, [`chi2_sf_1df`]; not corrected for multiple testing
    /// (apply [`benjamini_hochberg`] across terms).
    pub p: f64,
    /// Hardie's Log Ratio (0.5 zero smoothing), [`log_ratio`]. Sign = direction.
    pub log_ratio: f64,
    /// Conservative Log Ratio, [`log_ratio_conservative`].
    pub lrc: f64,
    /// Monroe et al. weighted log-odds δ.
    pub log_odds: f64,
    /// Its approximate variance σ².
    pub log_odds_var: f64,
    /// `δ/σ`, [`monroe_log_odds_z`].
    pub log_odds_z: f64,
}

/// Compute every keyness measure for a term with count `a` in corpus A
/// (`n_a` tokens) and `b` in corpus B (`n_b` tokens).
///
/// The Monroe prior uses the pooled frequency of this term:
/// `α_w = α₀·(a+b)/(n_a+n_b)` with `α₀` from `opts` (default `n_a + n_b`).
/// Invalid input yields NaN fields (never panics).
///
/// ```
/// use duibi::stats::{keyness, KeynessOptions};
/// let k = keyness(120.0, 80.0, 1_000_000.0, 2_500_000.0, KeynessOptions::default());
/// assert!(k.log_ratio > 0.0 && k.lrc > 0.0 && k.lrc < k.log_ratio);
/// assert!(k.p < 1e-15 && k.log_odds_z > 3.0);
/// ```
pub fn keyness(a: f64, b: f64, n_a: f64, n_b: f64, opts: KeynessOptions) -> Keyness {
    let g2 = log_likelihood_g2(a, b, n_a, n_b);
    let alpha_0 = opts.monroe_alpha_0.unwrap_or(n_a + n_b);
    let alpha_w = monroe_prior(a + b, n_a + n_b, alpha_0);
    let (log_odds, log_odds_var, log_odds_z) = monroe_log_odds_z(a, b, n_a, n_b, alpha_w, alpha_0);
    Keyness {
        a,
        b,
        g2,
        p: chi2_sf_1df(g2),
        log_ratio: log_ratio(a, b, n_a, n_b),
        lrc: log_ratio_conservative(a, b, n_a, n_b, opts.lrc_alpha),
        log_odds,
        log_odds_var,
        log_odds_z,
    }
}

#[cfg(test)]
#[allow(clippy::excessive_precision)] // reference values quoted with all digits
mod tests {
    /// [`benjamini_hochberg`] as first written: every p-value sorted by index.
    fn bh_reference(pvals: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..pvals.len()).filter(|&i| !pvals[i].is_nan()).collect();
        idx.sort_by(|&i, &j| pvals[i].total_cmp(&pvals[j]).then(i.cmp(&j)));
        let m = idx.len() as f64;
        let mut out = vec![f64::NAN; pvals.len()];
        let mut running = 1.0_f64;
        for (rank, &i) in idx.iter().enumerate().rev() {
            let v = pvals[i] * m / (rank as f64 + 1.0);
            running = running.min(v);
            out[i] = running;
        }
        out
    }

    #[test]
    fn bh_sorting_only_below_one_gives_the_bits_of_sorting_all() {
        let mut rng = crate::stats::Rng::new(11);
        let specials = [
            1.0,
            1.0,
            f64::NAN,
            0.0,
            -0.0,
            1.5,
            f64::INFINITY,
            0.999_999_999_999_999_9,
            f64::MIN_POSITIVE,
            -0.25,
        ];
        for n in [0, 1, 2, 3, 10, 100, 1000] {
            for ones in [0.0, 0.5, 0.95] {
                let p: Vec<f64> = (0..n)
                    .map(|i| {
                        let u = rng.next_f64();
                        if i % 17 == 3 {
                            specials[(i / 17) % specials.len()]
                        } else if u < ones {
                            1.0
                        } else if u < ones + 0.02 {
                            // Ties below 1.
                            0.03
                        } else {
                            rng.next_f64().powi(3)
                        }
                    })
                    .collect();
                let got: Vec<u64> = benjamini_hochberg(&p).iter().map(|x| x.to_bits()).collect();
                let want: Vec<u64> = bh_reference(&p).iter().map(|x| x.to_bits()).collect();
                assert_eq!(got, want, "n {n} ones {ones}");
            }
        }
        // The total order of the keys, signed zeros and infinities included.
        let xs = [
            f64::NEG_INFINITY,
            -1.0,
            -0.0,
            0.0,
            1e-300,
            0.5,
            1.0,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(total_order_key(w[0]) < total_order_key(w[1]), "{w:?}");
        }
    }

    use super::*;
    use crate::stats::Rng;

    #[test]
    fn g2_matches_mpmath_contingency() {
        // 4-cell G² = 2 Σ O ln(O N / (R C)) and its p = erfc(sqrt(G²/2)),
        // evaluated with mpmath at 40 digits. (scipy.stats.chi2_contingency
        // with lambda_="log-likelihood", correction=False agrees to ~1e-12
        // relative, e.g. 63.916689340935 for the second case.)
        let cases = [
            (
                (10.0, 2.0, 1e3, 1e3),
                5.854_256_566_489_611_380_1,
                0.015_539_420_784_095_676_853,
            ),
            (
                (50.0, 10.0, 1e5, 2e5),
                63.916_689_340_979_872_151,
                1.297_934_427_418_958_325_3e-15,
            ),
            (
                (0.0, 7.0, 5e3, 8e3),
                6.799_466_300_704_099_172_9,
                9.118_512_572_298_161_712_4e-3,
            ),
            (
                (3.0, 3.0, 1e3, 3e3),
                1.729_097_945_357_293_928_4,
                0.188_526_139_266_685_306_25,
            ),
            (
                (120.0, 80.0, 1e6, 2.5e6),
                85.299_535_308_799_613_415,
                2.564_234_993_647_259_943_2e-20,
            ),
            (
                (5.0, 0.0, 10.0, 10.0),
                8.630_462_173_553_427_823_2,
                3.305_876_912_189_949_429_5e-3,
            ),
        ];
        for ((a, b, na, nb), g2, p) in cases {
            let got = log_likelihood_g2(a, b, na, nb);
            assert_rel!(got, g2, 1e-13);
            assert_rel!(chi2_sf_1df(got), p, 1e-12);
        }
    }

    #[test]
    fn g2_by_hand_and_edges() {
        // By hand: a = b = 10, equal corpora → E = O everywhere → G² = 0.
        assert!(log_likelihood_g2(10.0, 10.0, 500.0, 500.0).abs() < 1e-12);
        // By hand: a = 4, b = 0, n_a = n_b = 4 (term is the whole of A):
        // cells [[4,0],[0,4]], E = 2 everywhere → G² = 2·(4 ln2 + 4 ln2) = 16 ln 2.
        assert_rel!(log_likelihood_g2(4.0, 0.0, 4.0, 4.0), 16.0 * LN_2, 1e-15);
        assert_eq!(log_likelihood_g2(0.0, 0.0, 10.0, 10.0), 0.0);
        // Symmetric in swapping the corpora.
        assert_rel!(
            log_likelihood_g2(7.0, 3.0, 900.0, 1200.0),
            log_likelihood_g2(3.0, 7.0, 1200.0, 900.0),
            1e-14
        );
        assert!(log_likelihood_g2(11.0, 0.0, 10.0, 10.0).is_nan());
        assert!(log_likelihood_g2(1.0, 0.0, 0.0, 10.0).is_nan());
        assert!(log_likelihood_g2(-1.0, 0.0, 10.0, 10.0).is_nan());
        assert!(log_likelihood_g2(f64::NAN, 0.0, 10.0, 10.0).is_nan());
    }

    #[test]
    fn bh_matches_r_p_adjust() {
        // R: p.adjust(c(0.01,0.04,0.03,0.005,0.5,0.04), "BH")
        // worked by hand: sorted 0.005,0.01,0.03,0.04,0.04,0.5 (m = 6)
        // m·p/i = 0.03, 0.03, 0.06, 0.06, 0.048, 0.5 → cummin from the top:
        // 0.03, 0.03, 0.048, 0.048, 0.048, 0.5.
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, 0.5, 0.04]);
        let want = [0.03, 0.048, 0.048, 0.03, 0.5, 0.048];
        for (g, w) in q.iter().zip(want) {
            assert_rel!(*g, w, 1e-14);
        }
        // Capped at 1, NaN passed through and not counted in m.
        let q = benjamini_hochberg(&[0.9, f64::NAN, 0.8]);
        assert_eq!(q[0], 0.9);
        assert!(q[1].is_nan());
        assert_eq!(q[2], 0.9);
        let q = benjamini_hochberg(&[0.6, 0.7, 0.9, 0.95]);
        assert!(q.iter().all(|&v| v <= 1.0));
        assert!(benjamini_hochberg(&[]).is_empty());
    }

    #[test]
    fn bh_is_monotone_in_p() {
        let mut rng = Rng::new(5);
        let p: Vec<f64> = (0..200).map(|_| rng.next_f64().powi(3)).collect();
        let q = benjamini_hochberg(&p);
        for i in 0..p.len() {
            assert!(q[i] >= p[i] && q[i] <= 1.0);
            for j in 0..p.len() {
                if p[i] <= p[j] {
                    assert!(q[i] <= q[j]);
                }
            }
        }
    }

    #[test]
    fn log_ratio_values_and_zeros() {
        // By hand: (30/1000)/(10/2000) = 6.
        assert_rel!(log_ratio(30.0, 10.0, 1000.0, 2000.0), 6f64.log2(), 1e-15);
        // a = 0: (0.5/1000)/(8.5/1000) = 1/17.
        assert_rel!(log_ratio(0.0, 8.0, 1000.0, 1000.0), -(17f64.log2()), 1e-15);
        // b = 0, unequal sizes: (3.5/100)/(0.5/400) = 28.
        assert_rel!(log_ratio(3.0, 0.0, 100.0, 400.0), 28f64.log2(), 1e-15);
        assert_eq!(log_ratio(0.0, 0.0, 100.0, 400.0), 0.0);
        assert!(log_ratio(1.0, 1.0, 0.0, 1.0).is_nan());
    }

    #[test]
    fn lrc_matches_scipy_clopper_pearson() {
        // Reference from scipy:
        //   lo = beta.ppf(0.025, a, b+1); hi = beta.ppf(0.975, a+1, b)
        //   LR = log2(p/(1-p) * n_b/n_a)
        // a=10, b=20, n=1000/1000: lo=0.17287422152603915,
        //   hi=0.5281200447898806 → interval contains 0 → LRC = 0.
        assert_eq!(
            log_ratio_conservative(10.0, 20.0, 1000.0, 1000.0, 0.05),
            0.0
        );
        // a=100, b=10, n_a=1000, n_b=2000:
        //   lo = beta.ppf(0.025, 100, 11) = 0.8391651177609855 (scipy; mpmath
        //   findroot on betainc agrees to 30 digits)
        //   LRC = log2(lo/(1-lo)*2) = 3.38337437404807748 (mpmath)
        assert_rel!(
            log_ratio_conservative(100.0, 10.0, 1000.0, 2000.0, 0.05),
            3.383_374_374_048_077_5,
            1e-12
        );
        // Mirror image: a=10, b=100, n_a=2000, n_b=1000 → −3.38337437...
        assert_rel!(
            log_ratio_conservative(10.0, 100.0, 2000.0, 1000.0, 0.05),
            -3.383_374_374_048_077_5,
            1e-12
        );
        // b = 0, a = 5: π_lo = beta.ppf(0.025, 5, 1) = 0.025^(1/5) = 0.478
        // → LR_lo = −0.126 < 0 < LR_hi = +∞: interval covers 0 → LRC = 0.
        assert_eq!(log_ratio_conservative(5.0, 0.0, 100.0, 100.0, 0.05), 0.0);
        // b = 0, a = 10: π_lo = 0.025^(1/10) (closed form of the Beta(10, 1)
        // quantile) = 0.6915 → LRC = log2(π_lo/(1−π_lo)) ≈ 1.164.
        let lo: f64 = 0.025f64.powf(0.1);
        let want = (lo / (1.0 - lo)).log2();
        assert_rel!(
            log_ratio_conservative(10.0, 0.0, 100.0, 100.0, 0.05),
            want,
            1e-13
        );
        // a = 0: upper bound = 1 - 0.025^(1/b) → negative finite LRC.
        let hi = 1.0 - 0.025f64.powf(0.1);
        let want = (hi / (1.0 - hi)).log2();
        assert_rel!(
            log_ratio_conservative(0.0, 10.0, 100.0, 100.0, 0.05),
            want,
            1e-13
        );
        assert_eq!(log_ratio_conservative(0.0, 0.0, 100.0, 100.0, 0.05), 0.0);
        // Stricter alpha is more conservative.
        let l05 = log_ratio_conservative(100.0, 10.0, 1000.0, 2000.0, 0.05);
        let l001 = log_ratio_conservative(100.0, 10.0, 1000.0, 2000.0, 0.001);
        assert!(l001 > 0.0 && l001 < l05);
        assert!(log_ratio_conservative(1.0, 1.0, 10.0, 10.0, 0.0).is_nan());
        assert!(log_ratio_conservative(1.0, 1.0, 10.0, 10.0, 1.0).is_nan());
    }

    #[test]
    fn lrc_large_counts() {
        // scipy: lo = beta.ppf(0.025, 5000, 3001) = 0.6142848860380956
        // → LRC = log2(lo/(1-lo) * 1e6/1e6)
        let lo = 0.614_284_886_038_095_6_f64;
        let want = (lo / (1.0 - lo)).log2();
        assert_rel!(
            log_ratio_conservative(5000.0, 3000.0, 1e6, 1e6, 0.05),
            want,
            1e-11
        );
    }

    #[test]
    fn monroe_by_hand_and_zero_counts() {
        // By hand with alpha_0 = 500, pooled 12/20000 → alpha_w = 0.3:
        // δ = ln(10.3/(10000+500-10.3)) - ln(2.3/(10000+500-2.3))
        let aw = monroe_prior(12.0, 20_000.0, 500.0);
        assert_rel!(aw, 0.3, 1e-15);
        let (d, v, z) = monroe_log_odds_z(10.0, 2.0, 10_000.0, 10_000.0, aw, 500.0);
        let want_d = (10.3f64 / 10_489.7).ln() - (2.3f64 / 10_497.7).ln();
        let want_v = 1.0 / 10.3 + 1.0 / 2.3;
        assert_rel!(d, want_d, 1e-14);
        assert_rel!(v, want_v, 1e-15);
        assert_rel!(z, want_d / want_v.sqrt(), 1e-14);
        // Zero in one corpus stays finite.
        let (d, _, z) = monroe_log_odds_z(0.0, 9.0, 1000.0, 1000.0, 9.0, 2000.0);
        assert!(d.is_finite() && z < 0.0);
        // Nothing anywhere and no prior mass → NaN, no panic.
        let (d, _, _) = monroe_log_odds_z(0.0, 0.0, 1000.0, 1000.0, 0.0, 0.0);
        assert!(d.is_nan());
        assert!(monroe_prior(1.0, 0.0, 10.0).is_nan());
    }

    #[test]
    fn keyness_bundle_consistent() {
        let k = keyness(50.0, 10.0, 1e5, 2e5, KeynessOptions::default());
        assert_rel!(k.g2, 63.916_689_340_935_484, 1e-11);
        assert_rel!(k.p, chi2_sf_1df(k.g2), 0.0);
        assert_rel!(k.log_ratio, 10f64.log2(), 1e-15);
        assert!(k.lrc > 0.0 && k.lrc < k.log_ratio);
        // Default prior: alpha_0 = 3e5, alpha_w = 60.
        let (d, v, z) = monroe_log_odds_z(50.0, 10.0, 1e5, 2e5, 60.0, 3e5);
        assert_eq!((k.log_odds, k.log_odds_var, k.log_odds_z), (d, v, z));
        assert!(z > 0.0);
        let bad = keyness(5.0, 1.0, 0.0, 10.0, KeynessOptions::default());
        assert!(bad.g2.is_nan() && bad.lrc.is_nan() && bad.log_odds_z.is_nan());
    }
}
