//! Pure-math statistics for comparing two corpora.
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
//! * **Keyness** of a term in a 2×2 frequency comparison (count `a` of the term
//!   in corpus A of `n_a` tokens against count `b` in corpus B of `n_b`
//!   tokens): [`log_likelihood_g2`], [`chi2_sf_1df`], [`log_ratio`],
//!   [`log_ratio_conservative`], [`monroe_log_odds_z`] / [`monroe_prior`], and
//!   the bundle [`keyness`] → [`Keyness`]. Multiple testing over a vocabulary:
//!   [`benjamini_hochberg`].
//! * **Special functions** backing them: [`erfc`], [`normal_sf`],
//!   [`ln_gamma`], [`regularized_incomplete_beta`], [`beta_ppf`].
//! * **Uncertainty**: a portable PRNG ([`Rng`], xoshiro256\*\* seeded through
//!   SplitMix64), cluster bootstrap of ratio-of-sums means
//!   ([`bootstrap_mean_ci`], [`bootstrap_diff_ci`]) and a permutation test
//!   ([`permutation_p_value`]).
//! * **Descriptives**: [`mean`], [`median`], [`percentile_sorted`],
//!   [`histogram`].
//!
//! # Conventions for invalid input
//!
//! Nothing here panics on bad numbers. Functions returning `f64` return `NaN`
//! when the inputs are outside their domain (negative counts, a count larger
//! than its corpus, a corpus of zero tokens, a probability outside `[0, 1]`,
//! …); each function documents its exact rules.

use std::f64::consts::{LN_2, PI};

// ---------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------

/// `1/sqrt(pi)`.
const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_3;

/// Cody's rational approximation of `exp(y²)·erfc(y)` for `y > 0.46875`
/// (W. J. Cody, "Rational Chebyshev approximations for the error function",
/// Math. Comp. 23 (1969) 631–637; coefficients as in his CALERF routine).
#[allow(clippy::excessive_precision)] // Cody's published 18-digit coefficients
fn erfc_scaled_tail(y: f64) -> f64 {
    const C: [f64; 9] = [
        5.641_884_969_886_700_89e-1,
        8.883_149_794_388_375_94,
        6.611_919_063_714_162_95e1,
        2.986_351_381_974_001_31e2,
        8.819_522_212_417_690_90e2,
        1.712_047_612_634_070_58e3,
        2.051_078_377_826_071_47e3,
        1.230_339_354_797_997_25e3,
        2.153_115_354_744_038_46e-8,
    ];
    const D: [f64; 8] = [
        1.574_492_611_070_983_47e1,
        1.176_939_508_913_124_99e2,
        5.371_811_018_620_098_58e2,
        1.621_389_574_566_690_19e3,
        3.290_799_235_733_459_63e3,
        4.362_619_090_143_247_16e3,
        3.439_367_674_143_721_64e3,
        1.230_339_354_803_749_42e3,
    ];
    const P: [f64; 6] = [
        3.053_266_349_612_323_44e-1,
        3.603_448_999_498_044_39e-1,
        1.257_817_261_112_292_46e-1,
        1.608_378_514_874_227_66e-2,
        6.587_491_615_298_378_03e-4,
        1.631_538_713_730_209_78e-2,
    ];
    const Q: [f64; 5] = [
        2.568_520_192_289_822_42,
        1.872_952_849_923_460_47,
        5.279_051_029_514_284_12e-1,
        6.051_834_131_244_131_91e-2,
        2.335_204_976_268_691_85e-3,
    ];
    if y <= 4.0 {
        let mut num = C[8] * y;
        let mut den = y;
        for i in 0..7 {
            num = (num + C[i]) * y;
            den = (den + D[i]) * y;
        }
        (num + C[7]) / (den + D[7])
    } else {
        let z = 1.0 / (y * y);
        let mut num = P[5] * z;
        let mut den = z;
        for i in 0..4 {
            num = (num + P[i]) * z;
            den = (den + Q[i]) * z;
        }
        let r = z * (num + P[4]) / (den + Q[4]);
        (FRAC_1_SQRT_PI - r) / y
    }
}

/// Cody's rational approximation of `erf(y)` for `|y| <= 0.46875`.
#[allow(clippy::excessive_precision)] // Cody's published 18-digit coefficients
fn erf_small(y: f64) -> f64 {
    const A: [f64; 5] = [
        3.161_123_743_870_565_60,
        1.138_641_541_510_501_56e2,
        3.774_852_376_853_020_21e2,
        3.209_377_589_138_469_47e3,
        1.857_777_061_846_031_53e-1,
    ];
    const B: [f64; 4] = [
        2.360_129_095_234_412_09e1,
        2.440_246_379_344_441_73e2,
        1.282_616_526_077_372_28e3,
        2.844_236_833_439_170_62e3,
    ];
    let z = y * y;
    let mut num = A[4] * z;
    let mut den = z;
    for i in 0..3 {
        num = (num + A[i]) * z;
        den = (den + B[i]) * z;
    }
    y * (num + A[3]) / (den + B[3])
}

/// Complementary error function `erfc(x) = 2/sqrt(pi) · ∫ₓ^∞ exp(−t²) dt`.
///
/// Implementation: W. J. Cody's rational Chebyshev approximations (1969),
/// three intervals `|x| ≤ 0.46875`, `≤ 4`, `> 4`; for the tails
/// `exp(−x²)` is evaluated as `exp(−s²)·exp(−(x−s)(x+s))` with `s` = `x`
/// truncated to 1/16 so that the rounding of `x²` does not leak into the
/// result. Relative accuracy is about `1e-15` until the result underflows
/// (`x > 26.55` gives `0`). `erfc(−x) = 2 − erfc(x)`; `NaN` → `NaN`.
///
/// ```
/// use duibi::stats::erfc;
/// assert!((erfc(0.0) - 1.0).abs() < 1e-16);
/// assert!((erfc(2.0) / 4.677_734_981_047_266e-3 - 1.0).abs() < 1e-13);
/// ```
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let y = x.abs();
    let r = if y <= 0.468_75 {
        1.0 - erf_small(y)
    } else if y >= 26.6 {
        0.0
    } else {
        let s = (y * 16.0).trunc() / 16.0;
        let del = (y - s) * (y + s);
        erfc_scaled_tail(y) * (-s * s).exp() * (-del).exp()
    };
    if x < 0.0 {
        2.0 - r
    } else {
        r
    }
}

/// Upper tail of the standard normal distribution, `P(Z > z) = erfc(z/√2)/2`.
///
/// A two-sided p-value for a z-score is `2·normal_sf(|z|)`.
///
/// ```
/// use duibi::stats::normal_sf;
/// assert!((normal_sf(1.959_963_984_540_054) - 0.025).abs() < 1e-15);
/// ```
pub fn normal_sf(z: f64) -> f64 {
    0.5 * erfc(z * std::f64::consts::FRAC_1_SQRT_2)
}

/// p-value of a chi-square statistic with one degree of freedom:
/// `P(χ²₁ > x) = erfc(sqrt(x/2))`.
///
/// For `sqrt(x/2) > 0.46875` the factor `exp(−x/2)` is taken directly from
/// `x` (exact halving) instead of squaring the rounded square root, so the
/// relative accuracy stays near `1e-14` even for p ≈ 1e-300 (x ≈ 1380).
/// Returns `1` for `x <= 0`, `0` for `x = +∞` or once the p-value
/// underflows, `NaN` for `NaN`.
///
/// ```
/// use duibi::stats::chi2_sf_1df;
/// // The familiar 5 % and 0.1 % critical values.
/// assert!((chi2_sf_1df(3.841_458_820_694_124) - 0.05).abs() < 1e-15);
/// assert!((chi2_sf_1df(10.828) - 9.997_657_195_830_924e-4).abs() < 1e-17);
/// ```
pub fn chi2_sf_1df(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    let half = 0.5 * x;
    let y = half.sqrt();
    if y <= 0.468_75 {
        1.0 - erf_small(y)
    } else if y >= 26.6 {
        0.0
    } else {
        erfc_scaled_tail(y) * (-half).exp()
    }
}

/// Natural log of the gamma function, `ln Γ(x)`, for `x > 0`.
///
/// Lanczos approximation (g = 7, 9 coefficients; absolute error ≲ 1e-15
/// for moderate `x`, relative ≲ 1e-15 for large `x`), with the reflection
/// `ln Γ(x) = ln(π / sin(πx)) − ln Γ(1 − x)` for `x < 0.5`.
/// Returns `NaN` for `x <= 0` or `NaN`, `+∞` for `+∞`.
///
/// ```
/// use duibi::stats::ln_gamma;
/// assert!((ln_gamma(10.0) - 362_880f64.ln()).abs() < 1e-13); // Γ(10) = 9!
/// ```
#[allow(clippy::excessive_precision)] // Lanczos coefficients as published
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEF: [f64; 9] = [
        0.999_999_999_999_809_93,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_13,
        -176.615_029_162_140_59,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_571_6e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    if x < 0.5 {
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let xm = x - 1.0;
    let mut s = COEF[0];
    for (i, c) in COEF.iter().enumerate().skip(1) {
        s += c / (xm + i as f64);
    }
    let t = xm + G + 0.5;
    0.5 * (2.0 * PI).ln() + (xm + 0.5) * t.ln() - t + s.ln()
}

/// Stirling-series remainder `δ(z) = ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π]`
/// for `z >= 10` (six terms, truncation error < 1e-16 at z = 10).
fn stirling_delta(z: f64) -> f64 {
    let r = 1.0 / z;
    let r2 = r * r;
    r * (1.0 / 12.0
        - r2 * (1.0 / 360.0
            - r2 * (1.0 / 1260.0
                - r2 * (1.0 / 1680.0 - r2 * (1.0 / 1188.0 - r2 * (691.0 / 360_360.0))))))
}

/// `a·ln x + b·ln y − ln B(a, b)` with `y = 1 − x` supplied separately (so
/// neither loses precision near 0 or 1). For large `a`/`b` the Stirling form
/// is used to avoid cancelling huge `ln Γ` values.
fn ln_beta_power_terms(x: f64, y: f64, a: f64, b: f64) -> f64 {
    const BIG: f64 = 10.0;
    const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;
    // ln x and ln y, each from whichever of x, y is small (exact input).
    let lx = if x < 0.5 { x.ln() } else { (-y).ln_1p() };
    let ly = if y < 0.5 { y.ln() } else { (-x).ln_1p() };
    if a >= BIG && b >= BIG {
        let c = a + b;
        // a·ln(x / (a/c)) and b·ln(y / (b/c)), without cancellation.
        let ta = if x < 0.5 {
            a * (x * c / a).ln()
        } else {
            a * (lx + (b / a).ln_1p())
        };
        let tb = if y < 0.5 {
            b * (y * c / b).ln()
        } else {
            b * (ly + (a / b).ln_1p())
        };
        ta + tb + 0.5 * (a * b / c).ln() - HALF_LN_2PI + stirling_delta(c)
            - stirling_delta(a)
            - stirling_delta(b)
    } else if a >= BIG || b >= BIG {
        // One large, one small: ln Γ(big + small) − ln Γ(big) via Stirling.
        let (big, small) = if a >= b { (a, b) } else { (b, a) };
        let ratio = (big - 0.5) * (small / big).ln_1p() + small * (big + small).ln() - small
            + stirling_delta(big + small)
            - stirling_delta(big);
        a * lx + b * ly + ratio - ln_gamma(small)
    } else {
        a * lx + b * ly + ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b)
    }
}

/// Continued fraction for the incomplete beta function (modified Lentz).
fn beta_cf(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let max_iter = 1000 + (20.0 * a.max(b).sqrt()).min(1e7) as usize;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=max_iter {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= EPS {
            break;
        }
    }
    h
}

/// `I_x(a, b)` with `y = 1 − x` passed explicitly.
fn inc_beta_xy(x: f64, y: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    let front = ln_beta_power_terms(x, y, a, b).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(x, a, b) / a
    } else {
        1.0 - front * beta_cf(y, b, a) / b
    }
}

/// Regularized incomplete beta function
/// `I_x(a, b) = B(x; a, b) / B(a, b) = (1/B(a,b)) ∫₀ˣ t^(a−1) (1−t)^(b−1) dt`,
/// i.e. the CDF of a Beta(a, b) variable at `x`.
///
/// Evaluated with the classical continued fraction (modified Lentz
/// algorithm), using the symmetry `I_x(a,b) = 1 − I_{1−x}(b,a)` when
/// `x > (a+1)/(a+b+2)` so the fraction always converges quickly
/// (O(√max(a,b)) terms). The prefactor `xᵃ(1−x)ᵇ/B(a,b)` uses a Stirling
/// form for large shape parameters, giving ~1e-13 relative accuracy for
/// shapes up to ~1e6 (limited by the conditioning of the function itself).
///
/// Returns `NaN` if `a <= 0`, `b <= 0`, or `x` is outside `[0, 1]` or `NaN`.
///
/// ```
/// use duibi::stats::regularized_incomplete_beta;
/// // I_x(1, b) = 1 − (1 − x)^b
/// let v = regularized_incomplete_beta(0.1, 1.0, 3.0);
/// assert!((v - (1.0 - 0.9f64.powi(3))).abs() < 1e-15);
/// ```
pub fn regularized_incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&x)) || a.is_infinite() || b.is_infinite() {
        return f64::NAN;
    }
    inc_beta_xy(x, 1.0 - x, a, b)
}

/// Logistic function `1/(1+e^(−t))`.
fn expit(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

/// Solve `I_x(a,b) = p` for `t = logit(x) = ln(x/(1−x))`.
///
/// Safeguarded Newton iteration on `t` (where `dI/dt = xᵃ(1−x)ᵇ/B(a,b)`,
/// numerically benign) inside a bracket that is bisected whenever the Newton
/// step leaves it. Working in `t` keeps both `x` and `1 − x` at full relative
/// precision. Caller guarantees `0 < p < 1`, `a, b > 0` finite.
fn beta_ppf_logit(p: f64, a: f64, b: f64) -> f64 {
    let mut lo = -745.0_f64;
    let mut hi = 745.0_f64;
    // Start at the logit of the mean, clamped into the bracket.
    let mut t = (a / b).ln().clamp(lo, hi);
    for _ in 0..400 {
        let x = expit(t);
        let y = expit(-t);
        let f = inc_beta_xy(x, y, a, b) - p;
        if f == 0.0 {
            return t;
        }
        if f < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let deriv = ln_beta_power_terms(x, y, a, b).exp();
        let mut next = t - f / deriv;
        if !(next > lo && next < hi && next.is_finite()) {
            next = 0.5 * (lo + hi);
        }
        let tol = 4.0 * f64::EPSILON * t.abs().max(1.0);
        if (next - t).abs() <= tol || (hi - lo) <= tol {
            return next;
        }
        t = next;
    }
    t
}

/// Quantile (inverse CDF) of the Beta(a, b) distribution: the `x` with
/// `I_x(a, b) = p`.
///
/// Safeguarded Newton iteration in logit space on
/// [`regularized_incomplete_beta`]; converges to ~1e-15 relative in `x`
/// (and in `1 − x`). Returns `0` for `p = 0`, `1` for `p = 1`, and `NaN` if
/// `p ∉ [0, 1]`, `a <= 0`, `b <= 0` or any input is not finite.
///
/// ```
/// use duibi::stats::beta_ppf;
/// // Beta(1, 1) is uniform.
/// assert!((beta_ppf(0.3, 1.0, 1.0) - 0.3).abs() < 1e-15);
/// // scipy.stats.beta.ppf(0.025, 10, 21) = 0.17287422152603915
/// assert!((beta_ppf(0.025, 10.0, 21.0) - 0.172_874_221_526_039_15).abs() < 1e-14);
/// ```
pub fn beta_ppf(p: f64, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&p)) || a.is_infinite() || b.is_infinite() {
        return f64::NAN;
    }
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return 1.0;
    }
    expit(beta_ppf_logit(p, a, b))
}

// ---------------------------------------------------------------------------
// Keyness
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/// Small deterministic PRNG: **xoshiro256\*\*** (Blackman & Vigna 2018) with
/// its 256-bit state filled from a `u64` seed by **SplitMix64**.
///
/// Pure integer arithmetic, so the stream is identical on every platform and
/// Rust version. Not cryptographic.
///
/// ```
/// use duibi::stats::Rng;
/// let mut r1 = Rng::new(42);
/// let mut r2 = Rng::new(42);
/// assert_eq!(r1.next_u64(), r2.next_u64());
/// let k = r1.below(6); // fair die roll in 0..6
/// assert!(k < 6);
/// let u = r1.next_f64();
/// assert!((0.0..1.0).contains(&u));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seed the generator. State words are successive SplitMix64 outputs
    /// (`state += 0x9E3779B97F4A7C15`, then the standard mix), so any seed,
    /// including 0, is fine.
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let mut next = || {
            sm = sm.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = sm;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let s = [next(), next(), next(), next()];
        Self { s }
    }

    /// Next 64 random bits (xoshiro256\*\*:
    /// `rotl(s₁·5, 7)·9`, then the xor-shift state update).
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform integer in `0..n`, exactly unbiased (Lemire 2019,
    /// "Fast random integer generation in an interval": multiply-shift with
    /// rejection of the `2⁶⁴ mod n` low products). `n = 0` returns `0`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        let mut low = m as u64;
        if low < n {
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
                low = m as u64;
            }
        }
        (m >> 64) as u64
    }

    /// Uniform `f64` in `[0, 1)` with 53 random bits: `(x >> 11) · 2⁻⁵³`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform index in `0..n` as `usize` (`n = 0` returns 0).
    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }
}

// ---------------------------------------------------------------------------
// Bootstrap / permutation
// ---------------------------------------------------------------------------

/// A point estimate with a percentile confidence interval.
///
/// `lo`/`hi` are NaN when no interval can be formed (see the function docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Point estimate on the original (not resampled) data.
    pub estimate: f64,
    /// Lower percentile bound.
    pub lo: f64,
    /// Upper percentile bound.
    pub hi: f64,
}

impl Interval {
    /// All fields NaN (no data).
    pub const NAN: Interval = Interval {
        estimate: f64::NAN,
        lo: f64::NAN,
        hi: f64::NAN,
    };
}

/// Ratio-of-sums mean `Σ sumᵢ / Σ weightᵢ` of `(sum, weight)` units;
/// NaN if there are no units or the total weight is 0.
///
/// This is the estimator behind the bootstrap functions. For sentence
/// scores grouped by document, a unit is `(Σ scores in doc, #sentences)`; for
/// concept **rates per 10 000 tokens** a unit is one document,
/// `(mentions, tokens / 10_000)` — see [`rate_unit`].
///
/// ```
/// use duibi::stats::ratio_of_sums;
/// assert_eq!(ratio_of_sums(&[(3.0, 1.0), (5.0, 3.0)]), 2.0);
/// ```
pub fn ratio_of_sums(units: &[(f64, f64)]) -> f64 {
    let (s, w) = units
        .iter()
        .fold((0.0, 0.0), |(s, w), &(us, uw)| (s + us, w + uw));
    if units.is_empty() || w == 0.0 {
        f64::NAN
    } else {
        s / w
    }
}

/// Unit for a concept **rate per 10 000 tokens**: `(mentions, tokens/10 000)`.
/// Feeding such units to [`ratio_of_sums`] / [`bootstrap_mean_ci`] gives the
/// pooled rate `10 000 · Σ mentions / Σ tokens` with documents as the
/// resampling clusters.
///
/// ```
/// use duibi::stats::{rate_unit, ratio_of_sums};
/// let docs = [rate_unit(3.0, 5_000.0), rate_unit(1.0, 15_000.0)];
/// assert_eq!(ratio_of_sums(&docs), 2.0); // 4 mentions in 20k tokens
/// ```
pub fn rate_unit(mentions: f64, tokens: f64) -> (f64, f64) {
    (mentions, tokens / 10_000.0)
}

/// Sum one bootstrap resample of `units` (drawn with replacement).
fn resample_ratio(units: &[(f64, f64)], rng: &mut Rng) -> f64 {
    let mut s = 0.0;
    let mut w = 0.0;
    for _ in 0..units.len() {
        let (us, uw) = units[rng.index(units.len())];
        s += us;
        w += uw;
    }
    if w == 0.0 {
        f64::NAN
    } else {
        s / w
    }
}

/// Percentile interval from replicate values: drops NaN replicates, sorts,
/// and takes type-7 percentiles at `(1−level)/2` and `(1+level)/2`.
fn percentile_interval(mut reps: Vec<f64>, level: f64) -> (f64, f64) {
    reps.retain(|v| !v.is_nan());
    if reps.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let tail = (1.0 - level) / 2.0;
    (
        percentile_selected(&mut reps, tail),
        percentile_selected(&mut reps, 1.0 - tail),
    )
}

/// [`percentile_sorted`] of `values` sorted by [`f64::total_cmp`], found by selection
/// instead of a full sort (`values` is reordered). The two order statistics it reads
/// are the same values as in the sorted slice, so the result is the same bits.
fn percentile_selected(values: &mut [f64], q: f64) -> f64 {
    let Some((i, frac)) = percentile_position(values.len(), q) else {
        return f64::NAN;
    };
    let (_, &mut x, rest) = values.select_nth_unstable_by(i, f64::total_cmp);
    interpolate(x, rest.iter().copied().min_by(f64::total_cmp), frac)
}

/// Where quantile `q` of `n` sorted values lies (numpy's linear method): the index of
/// the value below it and the fraction of the way to the next; `None` for no values
/// or a NaN `q`.
fn percentile_position(n: usize, q: f64) -> Option<(usize, f64)> {
    if n == 0 || q.is_nan() {
        return None;
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let i = h.floor() as usize;
    Some((i, h - i as f64))
}

/// `x` moved `frac` of the way to `next` (just `x` when there is no next or no way).
fn interpolate(x: f64, next: Option<f64>, frac: f64) -> f64 {
    match next {
        Some(next) if frac > 0.0 => x + frac * (next - x),
        _ => x,
    }
}

fn valid_level(level: f64) -> bool {
    level > 0.0 && level < 1.0
}

/// Cluster (unit-level) bootstrap percentile interval for a ratio-of-sums
/// mean.
///
/// Each unit is `(sum, weight)` — e.g. a document with the sum of its
/// sentence scores and its sentence count, or a source with its document
/// scores and document count; for rates per 10k tokens use [`rate_unit`].
/// `estimate = Σ sum / Σ weight` on the data. Each of the `reps` replicates
/// draws `units.len()` units with replacement (stream from
/// [`Rng::new`]`(seed)`) and recomputes the ratio. The interval is the
/// **percentile interval**: type-7 percentiles ([`percentile_sorted`]) of
/// the replicates at `(1−level)/2` and `(1+level)/2` (e.g. 2.5 % / 97.5 %
/// for `level = 0.95`).
///
/// Degenerate cases (never panics):
/// * no units or total weight 0 → all fields NaN;
/// * a single unit, `reps == 0`, or `level ∉ (0,1)` → `estimate` as usual,
///   `lo`/`hi` NaN (one unit carries no information about variability);
/// * replicates whose resampled weight is 0 are discarded before taking
///   percentiles (if all are, `lo`/`hi` are NaN).
///
/// Bit-for-bit deterministic for the same inputs and seed.
///
/// ```
/// use duibi::stats::bootstrap_mean_ci;
/// let units: Vec<(f64, f64)> = (0..40).map(|i| ((i % 7) as f64, 1.0)).collect();
/// let ci = bootstrap_mean_ci(&units, 1000, 7, 0.95);
/// assert!(ci.lo < ci.estimate && ci.estimate < ci.hi);
/// assert_eq!(ci, bootstrap_mean_ci(&units, 1000, 7, 0.95)); // reproducible
/// ```
pub fn bootstrap_mean_ci(units: &[(f64, f64)], reps: usize, seed: u64, level: f64) -> Interval {
    let estimate = ratio_of_sums(units);
    if estimate.is_nan() {
        return Interval::NAN;
    }
    if units.len() < 2 || reps == 0 || !valid_level(level) {
        return Interval {
            estimate,
            lo: f64::NAN,
            hi: f64::NAN,
        };
    }
    let mut rng = Rng::new(seed);
    let draws: Vec<f64> = (0..reps).map(|_| resample_ratio(units, &mut rng)).collect();
    let (lo, hi) = percentile_interval(draws, level);
    Interval { estimate, lo, hi }
}

/// Cluster bootstrap percentile interval for the difference of two
/// ratio-of-sums means, `mean(A) − mean(B)`.
///
/// Each replicate resamples A's units and then B's units independently
/// (with replacement, same sizes, one shared stream from
/// [`Rng::new`]`(seed)`), and records the difference of the two ratios.
/// Percentile interval and degenerate-case rules as in
/// [`bootstrap_mean_ci`]: if either group has no units / zero weight all
/// fields are NaN; if either has fewer than 2 units (or `reps == 0`, or
/// `level ∉ (0,1)`) only `estimate` is set.
///
/// ```
/// use duibi::stats::bootstrap_diff_ci;
/// let a: Vec<(f64, f64)> = (0..30).map(|i| (5.0 + (i % 3) as f64, 1.0)).collect();
/// let b: Vec<(f64, f64)> = (0..30).map(|i| ((i % 3) as f64, 1.0)).collect();
/// let ci = bootstrap_diff_ci(&a, &b, 500, 1, 0.95);
/// assert!((ci.estimate - 5.0).abs() < 1e-12 && ci.lo > 4.0 && ci.hi < 6.0);
/// ```
pub fn bootstrap_diff_ci(
    units_a: &[(f64, f64)],
    units_b: &[(f64, f64)],
    reps: usize,
    seed: u64,
    level: f64,
) -> Interval {
    let estimate = ratio_of_sums(units_a) - ratio_of_sums(units_b);
    if estimate.is_nan() {
        return Interval::NAN;
    }
    if units_a.len() < 2 || units_b.len() < 2 || reps == 0 || !valid_level(level) {
        return Interval {
            estimate,
            lo: f64::NAN,
            hi: f64::NAN,
        };
    }
    let mut rng = Rng::new(seed);
    let draws: Vec<f64> = (0..reps)
        .map(|_| {
            let ma = resample_ratio(units_a, &mut rng);
            let mb = resample_ratio(units_b, &mut rng);
            ma - mb
        })
        .collect();
    let (lo, hi) = percentile_interval(draws, level);
    Interval { estimate, lo, hi }
}

/// Two-sided permutation test for a difference of ratio-of-sums means.
///
/// Statistic `d = mean(A) − mean(B)` (means as in [`ratio_of_sums`]). The
/// units of both groups are pooled; each of the `reps` permutations draws a
/// uniformly random subset the size of the smaller group (partial Fisher–Yates,
/// stream from [`Rng::new`]`(seed)`), assigns it to that group and the rest to the
/// other, and
/// counts permutations with `|d*| ≥ |d_obs|` (with a `1e-12` relative
/// tolerance so exact ties from floating-point rounding count as extreme).
/// Returns `(count + 1) / (reps + 1)`, which is never 0 and is a valid
/// p-value (Phipson & Smyth 2010). A permutation in which a group ends up
/// with zero total weight counts as extreme (conservative).
///
/// Returns NaN if either group is empty or has zero total weight;
/// `reps == 0` gives `1`. Deterministic for the same inputs and seed.
///
/// ```
/// use duibi::stats::permutation_p_value;
/// let a: Vec<(f64, f64)> = (0..20).map(|i| (10.0 + (i % 4) as f64, 1.0)).collect();
/// let b: Vec<(f64, f64)> = (0..20).map(|i| ((i % 4) as f64, 1.0)).collect();
/// let p = permutation_p_value(&a, &b, 999, 3);
/// assert!((p - 0.001).abs() < 1e-12); // nothing as extreme: 1/(999+1)
/// ```
pub fn permutation_p_value(
    units_a: &[(f64, f64)],
    units_b: &[(f64, f64)],
    reps: usize,
    seed: u64,
) -> f64 {
    let observed = ratio_of_sums(units_a) - ratio_of_sums(units_b);
    if observed.is_nan() {
        return f64::NAN;
    }
    let threshold = observed.abs() * (1.0 - 1e-12);
    if threshold == 0.0 {
        // Every permutation is at least as extreme as a zero difference: the count
        // would be `reps`, and the p-value 1.
        return 1.0;
    }
    let mut pool: Vec<(f64, f64)> = units_a.iter().chain(units_b).copied().collect();
    let n_a = units_a.len();
    let n = pool.len();
    // Only the smaller group is drawn (a partial Fisher–Yates shuffle gives a uniform
    // random subset of its size); the other group's sums are the rest of the totals.
    let k = n_a.min(n - n_a);
    let (total_s, total_w) = pool
        .iter()
        .fold((0.0, 0.0), |acc, u| (acc.0 + u.0, acc.1 + u.1));
    let mut rng = Rng::new(seed);
    let mut count: u64 = 0;
    for _ in 0..reps {
        let (mut s, mut w) = (0.0, 0.0);
        for i in 0..k {
            let j = i + rng.index(n - i);
            // pool.swap(i, j), then the unit now at i added (without reading it back).
            let here = pool[i];
            let drawn = std::mem::replace(&mut pool[j], here);
            pool[i] = drawn;
            s += drawn.0;
            w += drawn.1;
        }
        let (rs, rw) = (total_s - s, total_w - w);
        let (mean_k, mean_rest) = (s / w, rs / rw);
        let d = if k == n_a {
            mean_k - mean_rest
        } else {
            mean_rest - mean_k
        };
        if d.is_nan() || d.abs() >= threshold {
            count += 1;
        }
    }
    (count as f64 + 1.0) / (reps as f64 + 1.0)
}

// ---------------------------------------------------------------------------
// Descriptives
// ---------------------------------------------------------------------------

/// Arithmetic mean `Σxᵢ / n` (left-to-right summation); NaN if empty.
///
/// ```
/// use duibi::stats::mean;
/// assert_eq!(mean(&[1.0, 2.0, 6.0]), 3.0);
/// assert!(mean(&[]).is_nan());
/// ```
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// Median; sorts `values` in place (ascending, `f64::total_cmp`). Even
/// length → mean of the two middle values (= type-7 percentile at 0.5).
/// NaN if empty or if any value is NaN.
///
/// ```
/// use duibi::stats::median;
/// let mut v = [5.0, 1.0, 4.0, 2.0];
/// assert_eq!(median(&mut v), 3.0);
/// assert_eq!(v, [1.0, 2.0, 4.0, 5.0]);
/// ```
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    percentile_sorted(values, 0.5)
}

/// Percentile of **already sorted** (ascending) data, Hyndman & Fan
/// **type 7** (the default of R and NumPy): with `n` values and
/// `h = (n − 1)·q`, `Q(q) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`
/// (0-based). `q` is clamped to `[0, 1]`; NaN if empty or `q` is NaN.
///
/// ```
/// use duibi::stats::percentile_sorted;
/// let x = [1.0, 2.0, 3.0, 4.0];
/// assert_eq!(percentile_sorted(&x, 0.25), 1.75); // numpy.percentile(x, 25)
/// assert_eq!(percentile_sorted(&x, 1.0), 4.0);
/// ```
pub fn percentile_sorted(sorted: &[f64], q: f64) -> f64 {
    let Some((i, frac)) = percentile_position(sorted.len(), q) else {
        return f64::NAN;
    };
    interpolate(sorted[i], sorted.get(i + 1).copied(), frac)
}

/// Fixed-width histogram (see [`histogram`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Lower edge of the first bin.
    pub lo: f64,
    /// Upper edge of the last bin.
    pub hi: f64,
    /// Counts per bin; bin `k` covers `[lo + k·w, lo + (k+1)·w)` with
    /// `w = (hi − lo)/bins`, the last bin also includes `hi`.
    pub counts: Vec<u64>,
    /// Values `< lo`.
    pub below: u64,
    /// Values `> hi`.
    pub above: u64,
    /// NaN values.
    pub nan: u64,
}

/// Histogram of `values` with `bins` equal-width bins on `[lo, hi]`.
///
/// Bin index `⌊(v − lo)/(hi − lo) · bins⌋`, with `v = hi` (and rounding
/// overshoot) put in the last bin; out-of-range values and NaNs are tallied
/// separately, not dropped silently. If `bins == 0`, `lo`/`hi` are not
/// finite, or `lo >= hi`, `counts` is empty and every value is ignored
/// (all tallies 0).
///
/// ```
/// use duibi::stats::histogram;
/// let h = histogram(&[0.0, 0.1, 0.5, 1.0, 2.0, f64::NAN], 0.0, 1.0, 2);
/// assert_eq!(h.counts, vec![2, 2]);
/// assert_eq!((h.below, h.above, h.nan), (0, 1, 1));
/// ```
pub fn histogram(values: &[f64], lo: f64, hi: f64, bins: usize) -> Histogram {
    let mut h = Histogram {
        lo,
        hi,
        counts: Vec::new(),
        below: 0,
        above: 0,
        nan: 0,
    };
    if bins == 0 || !lo.is_finite() || !hi.is_finite() || lo >= hi {
        return h;
    }
    h.counts = vec![0; bins];
    let width = hi - lo;
    for &v in values {
        if v.is_nan() {
            h.nan += 1;
        } else if v < lo {
            h.below += 1;
        } else if v > hi {
            h.above += 1;
        } else {
            let k = (((v - lo) / width) * bins as f64).floor() as usize;
            h.counts[k.min(bins - 1)] += 1;
        }
    }
    h
}

#[cfg(test)]
#[allow(clippy::excessive_precision)] // reference values quoted with all digits
mod tests {
    use super::*;

    fn rel_close(got: f64, want: f64, tol: f64) -> bool {
        if want == 0.0 {
            got.abs() <= tol
        } else {
            ((got - want) / want).abs() <= tol
        }
    }

    macro_rules! assert_rel {
        ($got:expr, $want:expr, $tol:expr) => {{
            let (g, w): (f64, f64) = ($got, $want);
            assert!(
                rel_close(g, w, $tol),
                "got {g:e}, want {w:e}, rel err {:e}",
                ((g - w) / w).abs()
            );
        }};
    }

    // ---- special functions ------------------------------------------------

    #[test]
    fn erfc_matches_mpmath() {
        // mpmath.erfc at 40 digits.
        let cases = [
            (-1.5, 1.966_105_146_475_310_727_1),
            (0.1, 0.887_537_083_981_715_101_6),
            (0.468_75, 0.507_386_526_782_062_008_41),
            (0.5, 0.479_500_122_186_953_462_32),
            (2.0, 4.677_734_981_047_265_837_9e-3),
            (4.0, 1.541_725_790_028_001_885_2e-8),
            (5.5, 7.357_847_917_974_398_063_1e-15),
            (10.0, 2.088_487_583_762_544_757e-45),
            (26.0, 5.663_192_408_856_142_846_5e-296),
        ];
        for (x, want) in cases {
            assert_rel!(erfc(x), want, 1e-14);
        }
        assert_eq!(erfc(0.0), 1.0);
        assert_eq!(erfc(30.0), 0.0);
        assert_eq!(erfc(-30.0), 2.0);
        assert!(erfc(f64::NAN).is_nan());
    }

    #[test]
    fn chi2_sf_matches_mpmath() {
        // mpmath.erfc(sqrt(x/2)) at 40 digits (scipy.stats.chi2.sf agrees to
        // ~1e-14 but is itself less precise far in the tail).
        let cases = [
            (0.5, 0.479_500_122_186_953_462_32),
            (1.0, 0.317_310_507_862_914_102_83),
            (3.841_458_820_694_124, 0.050_000_000_000_000_057_435),
            (6.63, 0.010_027_526_446_317_954_293),
            (10.828, 9.997_657_195_830_923_649_2e-4),
            (100.0, 1.523_970_604_832_105_213_2e-23),
            (1000.0, 1.795_832_784_800_726_194_6e-219),
            (1380.0, 4.661_158_455_673_912_881_3e-302),
        ];
        for (x, want) in cases {
            assert_rel!(chi2_sf_1df(x), want, 1e-13);
        }
        assert_eq!(chi2_sf_1df(0.0), 1.0);
        assert_eq!(chi2_sf_1df(-1.0), 1.0);
        assert_eq!(chi2_sf_1df(f64::INFINITY), 0.0);
        assert!(chi2_sf_1df(f64::NAN).is_nan());
    }

    #[test]
    fn ln_gamma_matches_mpmath() {
        // mpmath.loggamma at 40 digits.
        let cases = [
            (0.1, 2.252_712_651_734_205_902),
            (0.5, 0.572_364_942_924_700_087_07),
            (1.5, -0.120_782_237_635_245_222_35),
            (3.7, 1.428_072_326_665_388_129_2),
            (10.0, 12.801_827_480_081_469_611),
            (123.456, 469.605_547_129_929_483_5),
            (1e6, 12_815_504.569_147_611_66),
        ];
        for (x, want) in cases {
            assert_rel!(ln_gamma(x), want, 1e-14);
        }
        assert!(ln_gamma(1.0).abs() < 1e-15);
        assert!(ln_gamma(2.0).abs() < 1e-15);
        assert!(ln_gamma(0.0).is_nan());
        assert!(ln_gamma(-1.5).is_nan());
    }

    #[test]
    fn incomplete_beta_matches_reference() {
        // mpmath.betainc(a, b, 0, x, regularized=True) at 40 digits, except
        // the (1e5, 1e5+300) case: scipy.special.betainc (mpmath too slow).
        let cases = [
            (0.3, 2.0, 5.0, 0.579_825, 1e-14), // = 1 - 0.7^6 - 6·0.3·0.7^5 exactly
            (0.9, 0.5, 0.5, 0.795_167_235_300_866_571_91, 1e-14),
            (0.001, 1.0, 1000.0, 0.632_304_575_229_035_963_04, 1e-14),
            (0.5, 200.0, 210.0, 0.689_485_213_427_416_145_23, 1e-13),
            (0.499, 1e5, 1e5 + 300.0, 0.411_076_074_750_738_5, 1e-10),
            (3e-6, 3.5, 1e6, 0.460_252_576_232_049_949, 1e-13),
        ];
        for (x, a, b, want, tol) in cases {
            assert_rel!(regularized_incomplete_beta(x, a, b), want, tol);
        }
        assert_eq!(regularized_incomplete_beta(0.0, 2.0, 3.0), 0.0);
        assert_eq!(regularized_incomplete_beta(1.0, 2.0, 3.0), 1.0);
        assert!(regularized_incomplete_beta(1.5, 2.0, 3.0).is_nan());
        assert!(regularized_incomplete_beta(0.5, 0.0, 3.0).is_nan());
    }

    #[test]
    fn beta_ppf_matches_scipy() {
        // scipy.stats.beta.ppf(q, a, b), scipy 1.17.1.
        let cases = [
            (0.025, 1.0, 11.0, 0.002_298_972_213_814_267),
            (0.975, 11.0, 1.0, 0.997_701_027_786_185_7),
            (0.025, 10.0, 21.0, 0.172_874_221_526_039_15),
            (0.975, 11.0, 20.0, 0.528_120_044_789_880_6),
            (0.025, 1.0, 1e8, 2.531_780_798_108_491_839_8e-10), /* = 1-0.975^(1e-8), mpmath */
            (0.5, 2.5, 3.5, 0.406_844_940_893_193_73),
            (1e-6, 50.0, 60.0, 0.245_163_482_042_725_37),
            (0.025, 5000.0, 3001.0, 0.614_284_886_038_095_6),
        ];
        for (q, a, b, want) in cases {
            assert_rel!(beta_ppf(q, a, b), want, 1e-12);
        }
        // Closed form: Beta(1, n) quantile is 1 - (1-q)^(1/n).
        let q: f64 = 0.025;
        assert_rel!(beta_ppf(q, 1.0, 7.0), -((-q).ln_1p() / 7.0).exp_m1(), 1e-14);
        assert_eq!(beta_ppf(0.0, 2.0, 2.0), 0.0);
        assert_eq!(beta_ppf(1.0, 2.0, 2.0), 1.0);
        assert!(beta_ppf(-0.1, 2.0, 2.0).is_nan());
        assert!(beta_ppf(0.5, -1.0, 2.0).is_nan());
    }

    // ---- keyness ------------------------------------------------------------

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

    // ---- PRNG ---------------------------------------------------------------

    #[test]
    fn rng_reference_stream() {
        // Reference: straightforward Python implementation of SplitMix64
        // seeding + xoshiro256** (masking to 64 bits), seed = 0 and 12345.
        let mut r = Rng::new(0);
        let got: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(got, REF_SEED0);
        let mut r = Rng::new(12345);
        let got: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(got, REF_SEED12345);
    }

    const REF_SEED0: [u64; 3] = [
        11_091_344_671_253_066_420,
        13_793_997_310_169_335_082,
        1_900_383_378_846_508_768,
    ];
    const REF_SEED12345: [u64; 3] = [
        13_720_838_825_685_603_483,
        2_398_916_695_208_396_998,
        17_770_384_849_984_869_256,
    ];

    #[test]
    fn rng_below_and_f64_ranges() {
        let mut r = Rng::new(99);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            let k = r.below(6);
            counts[k as usize] += 1;
        }
        // Each face expected 10 000, sd ≈ 91; allow ±5 sd.
        assert!(
            counts.iter().all(|&c| (9_545..=10_455).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(r.below(0), 0);
        assert_eq!(r.below(1), 0);
        let big = u64::MAX - 1;
        assert!(r.below(big) < big);
        let mut s = 0.0;
        for _ in 0..10_000 {
            let u = r.next_f64();
            assert!((0.0..1.0).contains(&u));
            s += u;
        }
        assert!((s / 10_000.0 - 0.5).abs() < 0.02);
    }

    // ---- bootstrap / permutation -------------------------------------------

    fn synthetic_units(rng: &mut Rng, n: usize, mu: f64) -> Vec<(f64, f64)> {
        // Each unit: w in 1..=5 "sentences", each with score mu + U(-1, 1);
        // the ratio-of-sums mean has expectation mu.
        (0..n)
            .map(|_| {
                let w = 1 + rng.below(5);
                let s: f64 = (0..w).map(|_| mu + 2.0 * rng.next_f64() - 1.0).sum();
                (s, w as f64)
            })
            .collect()
    }

    #[test]
    fn bootstrap_reproducible_and_seed_sensitive() {
        let mut g = Rng::new(1);
        let units = synthetic_units(&mut g, 25, 0.3);
        let a = bootstrap_mean_ci(&units, 500, 42, 0.95);
        let b = bootstrap_mean_ci(&units, 500, 42, 0.95);
        assert_eq!(a.lo.to_bits(), b.lo.to_bits());
        assert_eq!(a.hi.to_bits(), b.hi.to_bits());
        let c = bootstrap_mean_ci(&units, 500, 43, 0.95);
        assert!(a.lo != c.lo || a.hi != c.hi);
        assert!(a.lo < a.estimate && a.estimate < a.hi);
        let d1 = bootstrap_diff_ci(&units, &units[..10], 300, 9, 0.9);
        let d2 = bootstrap_diff_ci(&units, &units[..10], 300, 9, 0.9);
        assert_eq!(d1, d2);
    }

    #[test]
    fn bootstrap_coverage_synthetic() {
        // 200 datasets of 30 units with true mean 0.3; 95 % percentile
        // intervals should cover ~95 % (binomial sd ≈ 1.5 %; the percentile
        // bootstrap is slightly anti-conservative at n = 30).
        let mut g = Rng::new(2024);
        let mut covered = 0;
        for k in 0..200 {
            let units = synthetic_units(&mut g, 30, 0.3);
            let ci = bootstrap_mean_ci(&units, 400, k, 0.95);
            if ci.lo <= 0.3 && 0.3 <= ci.hi {
                covered += 1;
            }
        }
        assert!((180..=198).contains(&covered), "covered {covered}/200");
    }

    #[test]
    fn bootstrap_degenerate_inputs() {
        let ci = bootstrap_mean_ci(&[], 100, 1, 0.95);
        assert!(ci.estimate.is_nan() && ci.lo.is_nan() && ci.hi.is_nan());
        let ci = bootstrap_mean_ci(&[(3.0, 2.0)], 100, 1, 0.95);
        assert_eq!(ci.estimate, 1.5);
        assert!(ci.lo.is_nan() && ci.hi.is_nan());
        let ci = bootstrap_mean_ci(&[(0.0, 0.0), (0.0, 0.0)], 100, 1, 0.95);
        assert!(ci.estimate.is_nan());
        // Some zero-weight units: replicates with zero weight are dropped.
        let ci = bootstrap_mean_ci(&[(0.0, 0.0), (2.0, 1.0)], 100, 1, 0.95);
        assert_eq!((ci.estimate, ci.lo, ci.hi), (2.0, 2.0, 2.0));
        let ci = bootstrap_mean_ci(&[(1.0, 1.0), (2.0, 1.0)], 0, 1, 0.95);
        assert!(ci.lo.is_nan());
        let ci = bootstrap_mean_ci(&[(1.0, 1.0), (2.0, 1.0)], 10, 1, 1.5);
        assert!(ci.lo.is_nan());
        let d = bootstrap_diff_ci(&[], &[(1.0, 1.0)], 10, 1, 0.95);
        assert!(d.estimate.is_nan());
        let d = bootstrap_diff_ci(&[(1.0, 1.0)], &[(1.0, 1.0), (3.0, 1.0)], 10, 1, 0.95);
        assert_eq!(d.estimate, -1.0);
        assert!(d.lo.is_nan());
        assert!(permutation_p_value(&[], &[(1.0, 1.0)], 10, 1).is_nan());
        assert!(permutation_p_value(&[(1.0, 0.0)], &[(1.0, 1.0)], 10, 1).is_nan());
        assert_eq!(permutation_p_value(&[(1.0, 1.0)], &[(2.0, 1.0)], 0, 1), 1.0);
    }

    #[test]
    fn permutation_detects_difference_and_is_calibrated_under_null() {
        let mut g = Rng::new(77);
        let a = synthetic_units(&mut g, 20, 1.0);
        let b = synthetic_units(&mut g, 20, 0.0);
        let p = permutation_p_value(&a, &b, 999, 5);
        assert!(p <= 0.002, "p = {p}");
        assert_eq!(p, permutation_p_value(&a, &b, 999, 5));

        // Null: same distribution. Mean p ≈ 0.5, ~5 % below 0.05.
        let mut ps = Vec::new();
        for k in 0..100 {
            let a = synthetic_units(&mut g, 15, 0.2);
            let b = synthetic_units(&mut g, 15, 0.2);
            ps.push(permutation_p_value(&a, &b, 199, k));
        }
        let m = mean(&ps);
        let small = ps.iter().filter(|&&p| p < 0.05).count();
        assert!((0.38..=0.62).contains(&m), "mean p {m}");
        assert!(small <= 12, "{small} of 100 below 0.05");

        // A zero observed difference: every permutation counts, p = 1.
        let a = [(0.0, 1.0), (0.0, 2.0), (0.0, 1.0)];
        let b = [(0.0, 3.0), (0.0, 1.0)];
        assert_eq!(permutation_p_value(&a, &b, 999, 5), 1.0);
        assert_eq!(permutation_p_value(&a, &b, 0, 5), 1.0);
        let same = synthetic_units(&mut g, 10, 0.3);
        assert_eq!(permutation_p_value(&same, &same, 499, 5), 1.0);
    }

    #[test]
    fn rate_units_give_per_10k_rates() {
        // 3 docs: 2 mentions/4000 tok, 0/1000, 5/5000 → 7/10000 tok = 7 per 10k.
        let units = [
            rate_unit(2.0, 4000.0),
            rate_unit(0.0, 1000.0),
            rate_unit(5.0, 5000.0),
        ];
        assert_rel!(ratio_of_sums(&units), 7.0, 1e-15);
    }

    // ---- descriptives ------------------------------------------------------

    #[test]
    fn descriptives() {
        assert_eq!(mean(&[2.0, 4.0]), 3.0);
        let mut v = [3.0, 1.0, 2.0];
        assert_eq!(median(&mut v), 2.0);
        assert!(median(&mut []).is_nan());
        assert!(median(&mut [1.0, f64::NAN]).is_nan());
        // numpy.percentile([1, 2, 3, 4, 10], [0, 10, 50, 90, 100])
        // = [1.0, 1.4, 3.0, 7.6, 10.0] (type 7, numpy's default "linear")
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        let want = [(0.0, 1.0), (0.1, 1.4), (0.5, 3.0), (0.9, 7.6), (1.0, 10.0)];
        for (q, w) in want {
            assert!((percentile_sorted(&x, q) - w).abs() < 1e-12);
        }
        assert_eq!(percentile_sorted(&[5.0], 0.3), 5.0);
        assert!(percentile_sorted(&[], 0.3).is_nan());

        // Selection gives the bits of the sorted percentile, ties, zeros of both
        // signs and infinities included.
        let mut rng = Rng::new(11);
        for n in [1usize, 2, 3, 10, 999, 2000] {
            let v: Vec<f64> = (0..n)
                .map(|k| match rng.below(9) {
                    0 => -0.0,
                    1 => 0.0,
                    2 => f64::INFINITY,
                    3 => (k % 5) as f64,
                    _ => rng.next_f64() * 2.0 - 1.0,
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.0, 0.025, 0.1, 0.5, 0.9, 0.975, 1.0, 1.5, f64::NAN] {
                let mut w = v.clone();
                let (a, b) = (
                    percentile_selected(&mut w, q),
                    percentile_sorted(&sorted, q),
                );
                assert_eq!(a.to_bits(), b.to_bits(), "n {n} q {q}");
            }
        }
        assert!(percentile_selected(&mut [], 0.5).is_nan());

        let h = histogram(&[-1.0, 0.0, 0.25, 0.5, 0.75, 1.0, 3.0], 0.0, 1.0, 4);
        assert_eq!(h.counts, vec![1, 1, 1, 2]);
        assert_eq!((h.below, h.above, h.nan), (1, 1, 0));
        let h = histogram(&[1.0], 1.0, 1.0, 4);
        assert!(h.counts.is_empty());
        let h = histogram(&[1.0], 0.0, 1.0, 0);
        assert!(h.counts.is_empty());
    }

    #[test]
    fn poisson_weights_have_mean_and_variance_one_and_are_reproducible() {
        let rs = Resamples::new(400, 500, 7);
        let (mut sum, mut sq, mut n) = (0.0, 0.0, 0.0);
        let mut w = Vec::new();
        for i in 0..400 {
            rs.weights(i, &mut w);
            assert_eq!(w.len(), 500);
            for &x in &w {
                sum += x as f64;
                sq += (x as f64) * (x as f64);
                n += 1.0;
            }
        }
        let mean = sum / n;
        let var = sq / n - mean * mean;
        assert!((mean - 1.0).abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "variance {var}");
        // Same seed, same weights; a unit's weights do not depend on n.
        let mut a = Vec::new();
        let mut b = Vec::new();
        Resamples::new(400, 500, 7).weights(17, &mut a);
        Resamples::new(20, 500, 7).weights(17, &mut b);
        rs.weights(17, &mut w);
        assert_eq!(a, w);
        Resamples::new(400, 500, 7).weights(18, &mut b);
        assert_ne!(a, b);
        // Inverse CDF: P(0) = e^-1.
        assert_eq!(poisson1(0), 0);
        assert_eq!(poisson1(POISSON1_CDF_U32[0] - 1), 0);
        assert_eq!(poisson1(POISSON1_CDF_U32[0]), 1);
        assert_eq!(poisson1(u32::MAX), 12);
        // The table gives the count of CDF points at every bucket edge, on both sides
        // of every CDF point, and at random draws.
        let shift = 32 - POISSON1_TOP_BITS;
        let mut probes: Vec<u32> = (0..1u32 << POISSON1_TOP_BITS)
            .flat_map(|b| [b << shift, (b << shift) | ((1 << shift) - 1)])
            .collect();
        for &c in &POISSON1_CDF_U32 {
            probes.extend([c.wrapping_sub(1), c, c.wrapping_add(1)]);
        }
        let mut rng = Rng::new(3);
        probes.extend((0..100_000).map(|_| rng.next_u64() as u32));
        for u in probes {
            assert_eq!(poisson1_fast(u), poisson1(u), "u {u}");
        }
        let split = POISSON1_TOP
            .iter()
            .filter(|&&k| k == POISSON1_SPLIT)
            .count();
        assert!((1..=12).contains(&split), "{split} split buckets");
    }

    #[test]
    fn sum_replicates_weights_each_unit() {
        let rs = Resamples::new(3, 64, 1);
        let s = rs.sum_replicates(&[(0, 2.0), (2, -1.0), (9, 5.0)]);
        let (mut w0, mut w2) = (Vec::new(), Vec::new());
        rs.weights(0, &mut w0);
        rs.weights(2, &mut w2);
        for r in 0..64 {
            assert_eq!(s[r], 2.0 * w0[r] as f64 - w2[r] as f64);
        }
        let many = rs.sum_replicates_many(&[&[(0, 2.0), (2, -1.0), (9, 5.0)], &[], &[(1, 1.0)]]);
        assert_eq!(many[0], s);
        assert_eq!(many[1], vec![0.0; 64]);
        // Columns share units' weights without mixing their values.
        let mut w1 = Vec::new();
        rs.weights(1, &mut w1);
        assert_eq!(many[2], w1.iter().map(|&m| m as f64).collect::<Vec<_>>());
    }
}

/// Bootstrap replicates of `n` units, shared by every statistic of a group (sentence
/// means, concept rates, concept sentiment …): the **Poisson bootstrap**.
///
/// In replicate `r`, unit `i` gets weight `w(i, r) ~ Poisson(1)`, drawn independently
/// from a stream seeded by `(seed, i)`. This is the large-sample equivalent of drawing
/// `n` units with replacement (whose multiplicities are Multinomial(n; 1/n, …), i.e.
/// nearly independent Poisson(1) for large `n`), and it is what makes resampling
/// scale (Hanley & MacGibbon 2006; Chamandy et al. 2012, "Estimating uncertainty for
/// massive data streams"): a unit's weights depend only on the seed and the unit, so
/// nothing of size `n × reps` is stored. Memory is O(reps) per statistic, whatever
/// the corpus size; a statistic costs O(reps × its non-zero units). Statistics here are
/// ratios of weighted sums (means, rates), which do not need the replicate's total
/// weight to equal `n`. With very few units the Poisson bootstrap gives slightly wider
/// intervals than the multinomial one (conservative).
///
/// ```
/// use duibi::stats::Resamples;
/// let rs = Resamples::new(3, 500, 42);
/// let sums = rs.sum_replicates(&[(0, 1.0), (1, 2.0), (2, 3.0)]);
/// let weights = rs.sum_replicates(&[(0, 1.0), (1, 1.0), (2, 1.0)]);
/// let means: Vec<f64> = sums.iter().zip(&weights).map(|(s, w)| s / w).collect();
/// let iv = duibi::stats::interval_from_replicates(2.0, means, 0.95);
/// assert!(iv.lo >= 1.0 && iv.hi <= 3.0 && iv.lo < iv.hi);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resamples {
    n: usize,
    reps: usize,
    seed: u64,
}

/// `⌊P(X ≤ k) · 2³²⌋` for `X ~ Poisson(1)`, `k = 0..=12` (the last is 2³² − 1).
const POISSON1_CDF_U32: [u32; 13] = [
    1_580_030_168,
    3_160_060_337,
    3_950_075_421,
    4_213_413_783,
    4_279_248_373,
    4_292_415_291,
    4_294_609_777,
    4_294_923_276,
    4_294_962_463,
    4_294_966_817,
    4_294_967_252,
    4_294_967_292,
    4_294_967_295,
];

/// A Poisson(1) draw from 32 uniform bits (inverse CDF; capped at 12, which has
/// probability below 1e-9).
#[inline]
fn poisson1(u: u32) -> u8 {
    // The number of CDF points at or below `u` (the table is ascending): a branch-free
    // count instead of a search whose exit point the CPU cannot predict.
    POISSON1_CDF_U32[..POISSON1_CDF_U32.len() - 1]
        .iter()
        .map(|&c| u8::from(u >= c))
        .sum()
}

/// Fills `out` with 32-bit uniforms from `rng`, two per 64 random bits (low half, then
/// high half), continuing the stream where the last call left it when `out` has an
/// even length.
#[inline]
fn fill_bits(rng: &mut Rng, out: &mut [u32]) {
    let mut pairs = out.chunks_exact_mut(2);
    for pair in &mut pairs {
        let x = rng.next_u64();
        pair[0] = x as u32;
        pair[1] = (x >> 32) as u32;
    }
    if let [last] = pairs.into_remainder() {
        *last = rng.next_u64() as u32;
    }
}

/// Replicates per block of [`Resamples::sum_replicates_many`]: the blocks of all
/// `columns` take about 256 KiB (a quarter of a typical L2 cache); even, so that each
/// block starts on a 64-bit draw; at least 64 replicates. (On the benchmark corpus's
/// shape, blocks of 256 KiB to 1 MiB take about 15% less time than no blocks; the
/// differences between those sizes are within the noise.)
fn replicate_block(columns: usize, reps: usize) -> usize {
    const BUDGET: usize = 256 * 1024;
    let per_column = BUDGET / (columns.max(1) * std::mem::size_of::<f64>());
    let block = (per_column & !1).max(64);
    if block >= reps {
        reps
    } else {
        block
    }
}

/// The entries of many columns grouped by unit (a counting sort): the entries of unit
/// `i` are `col[starts[i]..starts[i + 1]]` with values `x[…]`, by column, then in their
/// order in the column. Entries with a unit out of range or a zero value are dropped.
struct ByUnit {
    starts: Vec<usize>,
    col: Vec<u32>,
    x: Vec<f64>,
}

impl ByUnit {
    fn new(n: usize, columns: &[&[(usize, f64)]]) -> Self {
        let keep = |&&(i, x): &&(usize, f64)| i < n && x != 0.0;
        let mut starts = vec![0usize; n + 1];
        for col in columns {
            for &(i, _) in col.iter().filter(keep) {
                starts[i + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let total = starts[n];
        let mut next = starts.clone();
        let (mut col, mut x) = (vec![0u32; total], vec![0.0; total]);
        for (c, entries) in columns.iter().enumerate() {
            for &(i, v) in entries.iter().filter(keep) {
                let k = next[i];
                next[i] += 1;
                col[k] = c as u32;
                x[k] = v;
            }
        }
        ByUnit { starts, col, x }
    }
}

/// Bits of a uniform draw that index [`POISSON1_TOP`].
const POISSON1_TOP_BITS: u32 = 12;
/// Marks a [`POISSON1_TOP`] bucket that contains a CDF point.
const POISSON1_SPLIT: u8 = u8::MAX;

/// [`poisson1`] of every draw in each of the `2¹²` buckets of the top 12 bits, or
/// [`POISSON1_SPLIT`] for the (at most 12) buckets where it is not the same for all.
static POISSON1_TOP: [u8; 1 << POISSON1_TOP_BITS] = {
    let mut t = [0u8; 1 << POISSON1_TOP_BITS];
    let shift = 32 - POISSON1_TOP_BITS;
    let mut b = 0;
    while b < t.len() {
        let lo = (b as u32) << shift;
        let hi = lo | ((1u32 << shift) - 1);
        // The number of CDF points at or below `lo`, and whether one is in (lo, hi].
        let mut k = 0;
        let mut split = false;
        let mut c = 0;
        while c < POISSON1_CDF_U32.len() - 1 {
            let p = POISSON1_CDF_U32[c];
            if p <= lo {
                k += 1;
            } else if p <= hi {
                split = true;
            }
            c += 1;
        }
        t[b] = if split { POISSON1_SPLIT } else { k };
        b += 1;
    }
    t
};

/// [`poisson1`] by table: one look-up by the top bits, the count of CDF points only in
/// the buckets that hold one (about 0.3% of draws). The same value for every `u`.
#[inline]
fn poisson1_fast(u: u32) -> u8 {
    match POISSON1_TOP[(u >> (32 - POISSON1_TOP_BITS)) as usize] {
        POISSON1_SPLIT => poisson1(u),
        k => k,
    }
}

impl Resamples {
    /// Replicate weights for `n` units, `reps` replicates, from `seed`.
    pub fn new(n: usize, reps: usize, seed: u64) -> Self {
        Resamples { n, reps, seed }
    }

    /// Number of units.
    pub fn units(&self) -> usize {
        self.n
    }

    /// Number of replicates.
    pub fn reps(&self) -> usize {
        self.reps
    }

    /// The random stream of unit `i`'s weights.
    fn stream(&self, i: usize) -> Rng {
        Rng::new(self.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// The weights of unit `i` in replicates `0..reps`, written to `out` (resized).
    pub fn weights(&self, i: usize, out: &mut Vec<u8>) {
        out.clear();
        out.resize(self.reps, 0);
        let mut bits = vec![0u32; self.reps];
        fill_bits(&mut self.stream(i), &mut bits);
        for (w, &u) in out.iter_mut().zip(&bits) {
            *w = poisson1(u);
        }
    }

    /// [`Resamples::sum_replicates`] for many columns at once: each unit's weights are
    /// drawn once and applied to every column that lists it. Returns one replicate
    /// vector per column, in order.
    ///
    /// Every column's replicate `r` is the sum of `w(i, r) · x` over its entries in
    /// unit order (entries of one unit in their order in the column), whatever the
    /// order of the column, so the sums are the same bits for any arrangement of the
    /// work. The work is done in blocks of replicates small enough for the blocks of
    /// every column to stay in the CPU cache; each unit's stream is resumed from one
    /// block to the next, so the weights are drawn once. Besides the output this holds
    /// 12 bytes per non-zero entry and 40 bytes per unit.
    pub fn sum_replicates_many(&self, columns: &[&[(usize, f64)]]) -> Vec<Vec<f64>> {
        let mut out = vec![vec![0.0; self.reps]; columns.len()];
        let by_unit = ByUnit::new(self.n, columns);
        if by_unit.col.is_empty() || self.reps == 0 {
            return out;
        }
        let block = replicate_block(columns.len(), self.reps);
        // One stream per unit with entries, resumed block after block.
        let mut streams: Vec<(usize, Rng)> = (0..self.n)
            .filter(|&i| by_unit.starts[i] < by_unit.starts[i + 1])
            .map(|i| (i, self.stream(i)))
            .collect();
        let mut bits = vec![0u32; block];
        let mut w = vec![0.0f64; block];
        let mut r0 = 0;
        while r0 < self.reps {
            let len = block.min(self.reps - r0);
            let (bits, w) = (&mut bits[..len], &mut w[..len]);
            for (i, rng) in &mut streams {
                fill_bits(rng, bits);
                for (w, &u) in w.iter_mut().zip(bits.iter()) {
                    *w = f64::from(poisson1_fast(u));
                }
                let range = by_unit.starts[*i]..by_unit.starts[*i + 1];
                for (&c, &x) in by_unit.col[range.clone()].iter().zip(&by_unit.x[range]) {
                    let o = &mut out[c as usize][r0..r0 + len];
                    for (o, &m) in o.iter_mut().zip(w.iter()) {
                        *o += m * x;
                    }
                }
            }
            r0 += len;
        }
        out
    }

    /// Per replicate, `Σ w(i, r) · x_i` over the given `(unit, x)` pairs (units not
    /// listed contribute 0).
    pub fn sum_replicates(&self, values: &[(usize, f64)]) -> Vec<f64> {
        self.sum_replicates_many(&[values])
            .pop()
            .unwrap_or_else(|| vec![0.0; self.reps])
    }
}

/// Percentile interval (type 7) from replicate values around a point `estimate`;
/// NaN replicates are dropped.
pub fn interval_from_replicates(estimate: f64, reps: Vec<f64>, level: f64) -> Interval {
    if estimate.is_nan() {
        return Interval::NAN;
    }
    let (lo, hi) = if valid_level(level) {
        percentile_interval(reps, level)
    } else {
        (f64::NAN, f64::NAN)
    };
    Interval { estimate, lo, hi }
}

#[cfg(test)]
mod sum_tests {
    use super::Resamples;

    /// The definition: per column, its entries in unit order (stable), each adding
    /// `w(i, r) · x` to replicate `r`, with the weights drawn afresh for each entry.
    fn reference(rs: &Resamples, columns: &[&[(usize, f64)]]) -> Vec<Vec<u64>> {
        let mut w = Vec::new();
        columns
            .iter()
            .map(|col| {
                let mut col = col.to_vec();
                col.sort_by_key(|e| e.0);
                let mut out = vec![0.0f64; rs.reps()];
                for &(i, x) in &col {
                    if i >= rs.units() || x == 0.0 {
                        continue;
                    }
                    rs.weights(i, &mut w);
                    for (o, &m) in out.iter_mut().zip(&w) {
                        *o += m as f64 * x;
                    }
                }
                out.iter().map(|x| x.to_bits()).collect()
            })
            .collect()
    }

    fn bits(v: &[Vec<f64>]) -> Vec<Vec<u64>> {
        v.iter()
            .map(|c| c.iter().map(|x| x.to_bits()).collect())
            .collect()
    }

    #[test]
    fn blocked_sums_give_the_bits_of_the_definition() {
        // Sorted and unsorted columns with gaps, repeated units, zeros and a unit out of
        // range; enough columns for several replicate blocks, an odd number of
        // replicates (the last block ends on half a draw).
        let a: Vec<(usize, f64)> = (0..50).map(|i| (i, i as f64 * 0.37 - 3.1)).collect();
        let b: Vec<(usize, f64)> = vec![(2, 1.5), (2, -0.25), (9, 0.0), (17, 4.0), (60, 9.0)];
        let c: Vec<(usize, f64)> = (0..50)
            .step_by(7)
            .map(|i| (i, 1.0 / (i + 1) as f64))
            .collect();
        let d: Vec<(usize, f64)> = Vec::new();
        let e: Vec<(usize, f64)> = vec![(30, 0.1), (3, 0.7), (30, -0.3), (1, 2.5), (3, 1e-3)];
        let mut cols: Vec<&[(usize, f64)]> = vec![&a, &b, &c, &d, &e];
        let many: Vec<Vec<(usize, f64)>> = (0..3000)
            .map(|k| vec![(k % 50, 0.5 + k as f64), ((k * 7) % 50, -0.125)])
            .collect();
        cols.extend(many.iter().map(Vec::as_slice));
        for reps in [1, 2, 101, 1001] {
            let rs = Resamples::new(50, reps, 7);
            assert!(super::replicate_block(cols.len(), reps) < reps || reps <= 64);
            let got = rs.sum_replicates_many(&cols);
            assert_eq!(bits(&got), reference(&rs, &cols), "reps {reps}");
            assert!(got[3].iter().all(|&x| x == 0.0));
        }
        let rs = Resamples::new(50, 101, 7);
        let rev: Vec<(usize, f64)> = c.iter().rev().copied().collect();
        let r = rs.sum_replicates(&rev);
        assert_eq!(r, rs.sum_replicates(&c));
    }
}
