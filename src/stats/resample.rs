//! Resampling of units (documents or sources): a portable PRNG ([`Rng`],
//! xoshiro256\*\* seeded through SplitMix64), ratio-of-sums means
//! ([`ratio_of_sums`], [`rate_unit`]), their cluster bootstrap percentile
//! intervals ([`bootstrap_mean_ci`], [`bootstrap_diff_ci`] → [`Interval`]) and
//! a permutation test ([`permutation_p_value`]). The Poisson bootstrap that
//! the comparison uses for every group statistic is in
//! [`poisson`](super::poisson).
//!
//! Everything here uses only `+ - * /` and integer arithmetic, so the same
//! inputs and seed give the same bits on every platform.

use super::descriptive::percentile_pair;
#[cfg(doc)]
use super::descriptive::percentile_sorted;
use super::permute::{PermutationTest, Run};

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
    pub(super) s: [u64; 4],
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
        self.below_nonzero(n)
    }

    /// [`Rng::below`] for `n ≥ 1` (the same draws; no test for 0).
    #[inline(always)]
    pub(super) fn below_nonzero(&mut self, n: u64) -> u64 {
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

/// One xoshiro256\*\* step of four streams on 256-bit vectors (`$s0`…`$s3` the
/// state words, a stream a lane): the four outputs of [`Rng::next_u64`], the
/// multiplications by 5 and 9 as shifts and adds. For code compiled for AVX2 with
/// `std::arch::x86_64::*` in scope.
#[cfg(target_arch = "x86_64")]
macro_rules! xoshiro4 {
    ($s0:ident, $s1:ident, $s2:ident, $s3:ident) => {{
        let x5 = _mm256_add_epi64(_mm256_slli_epi64::<2>($s1), $s1);
        let r = _mm256_or_si256(_mm256_slli_epi64::<7>(x5), _mm256_srli_epi64::<57>(x5));
        let v = _mm256_add_epi64(_mm256_slli_epi64::<3>(r), r);
        let t = _mm256_slli_epi64::<17>($s1);
        $s2 = _mm256_xor_si256($s2, $s0);
        $s3 = _mm256_xor_si256($s3, $s1);
        $s1 = _mm256_xor_si256($s1, $s2);
        $s0 = _mm256_xor_si256($s0, $s3);
        $s2 = _mm256_xor_si256($s2, t);
        $s3 = _mm256_or_si256(_mm256_slli_epi64::<45>($s3), _mm256_srli_epi64::<19>($s3));
        v
    }};
}
#[cfg(target_arch = "x86_64")]
pub(super) use xoshiro4;

/// Fills `outs[l]` with 32-bit uniforms from `rngs[l]` exactly as
/// [`fill_bits`](super::poisson) does one stream at a time (two a 64-bit draw, low
/// half first; the last of an odd run from the low half of one more draw), the four
/// streams stepped together on 256-bit vectors (the multiplications by 5 and 9 as
/// shifts and adds), and leaves each stream where that leaves it. The runs have one
/// length (the shortest of `outs`).
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn fill_bits4_avx2(rngs: [&mut Rng; 4], outs: [&mut [u32]; 4]) {
    use std::arch::x86_64::{
        __m256i, _mm256_add_epi64, _mm256_loadu_si256, _mm256_or_si256, _mm256_permute2x128_si256,
        _mm256_slli_epi64, _mm256_srli_epi64, _mm256_storeu_si256, _mm256_unpackhi_epi64,
        _mm256_unpacklo_epi64, _mm256_xor_si256,
    };
    let len = outs.iter().map(|o| o.len()).min().unwrap_or(0);
    let [mut s0, mut s1, mut s2, mut s3] = states4([&*rngs[0], &*rngs[1], &*rngs[2], &*rngs[3]]);
    // One step of each stream (`Rng::next_u64`), its values to `x`.
    macro_rules! step {
        ($x:ident) => {
            let v = xoshiro4!(s0, s1, s2, s3);
            let mut $x = [0u64; 4];
            // SAFETY: `$x` is 32 writable bytes; the store needs no alignment.
            unsafe { _mm256_storeu_si256($x.as_mut_ptr().cast::<__m256i>(), v) };
        };
    }
    let [o0, o1, o2, o3] = outs;
    // Four steps at a time: the four vectors of draws (one a step, a stream a lane)
    // transposed to a vector per stream (its four draws, eight 32-bit uniforms low half
    // first, as the little-endian bytes of the draws), stored whole.
    let fours = len / 8;
    for q in 0..fours {
        step!(x0);
        step!(x1);
        step!(x2);
        step!(x3);
        let load = |x: &[u64; 4]| {
            // SAFETY: `x` is 32 readable bytes; the load needs no alignment.
            unsafe { _mm256_loadu_si256(x.as_ptr().cast::<__m256i>()) }
        };
        let (v0, v1, v2, v3) = (load(&x0), load(&x1), load(&x2), load(&x3));
        let a = _mm256_unpacklo_epi64(v0, v1);
        let b = _mm256_unpackhi_epi64(v0, v1);
        let c = _mm256_unpacklo_epi64(v2, v3);
        let d = _mm256_unpackhi_epi64(v2, v3);
        let lanes = [
            _mm256_permute2x128_si256::<0x20>(a, c),
            _mm256_permute2x128_si256::<0x20>(b, d),
            _mm256_permute2x128_si256::<0x31>(a, c),
            _mm256_permute2x128_si256::<0x31>(b, d),
        ];
        for (o, v) in [&mut *o0, &mut *o1, &mut *o2, &mut *o3]
            .into_iter()
            .zip(lanes)
        {
            if let Some(p) = o.get_mut(8 * q..8 * q + 8) {
                // SAFETY: `p` is eight writable `u32`s (32 bytes); the store needs no
                // alignment.
                unsafe { _mm256_storeu_si256(p.as_mut_ptr().cast::<__m256i>(), v) };
            }
        }
    }
    for t in 4 * fours..len / 2 {
        step!(x);
        for (o, x) in [&mut *o0, &mut *o1, &mut *o2, &mut *o3].into_iter().zip(x) {
            if let Some(p) = o.get_mut(2 * t..2 * t + 2) {
                p[0] = x as u32;
                p[1] = (x >> 32) as u32;
            }
        }
    }
    if len % 2 == 1 {
        step!(x);
        for (o, x) in [o0, o1, o2, o3].into_iter().zip(x) {
            if let Some(last) = o.get_mut(len - 1) {
                *last = x as u32;
            }
        }
    }
    set_states4([s0, s1, s2, s3], rngs);
}

/// The state words of four streams as vectors: word `w` of `rngs[l]` in lane `l` of
/// the `w`-th.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn states4(rngs: [&Rng; 4]) -> [std::arch::x86_64::__m256i; 4] {
    use std::arch::x86_64::_mm256_set_epi64x;
    let word = |w: usize| {
        _mm256_set_epi64x(
            rngs[3].s[w] as i64,
            rngs[2].s[w] as i64,
            rngs[1].s[w] as i64,
            rngs[0].s[w] as i64,
        )
    };
    [word(0), word(1), word(2), word(3)]
}

/// The streams `rngs` set to the state of [`states4`]'s vectors `words`.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn set_states4(words: [std::arch::x86_64::__m256i; 4], rngs: [&mut Rng; 4]) {
    use std::arch::x86_64::{__m256i, _mm256_storeu_si256};
    let mut lanes = [[0u64; 4]; 4];
    for (w, v) in lanes.iter_mut().zip(words) {
        // SAFETY: 32 writable bytes; the store needs no alignment.
        unsafe { _mm256_storeu_si256(w.as_mut_ptr().cast::<__m256i>(), v) };
    }
    for (lane, r) in rngs.into_iter().enumerate() {
        for (w, v) in r.s.iter_mut().enumerate() {
            *v = lanes[w][lane];
        }
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

/// Percentile interval from replicate values: drops NaN replicates, and takes the
/// type-7 percentiles of the rest sorted ([`percentile_sorted`]) at `(1−level)/2` and
/// `(1+level)/2` ([`percentile_pair`]: the same bits without sorting).
pub(super) fn percentile_interval(reps: &[f64], level: f64) -> (f64, f64) {
    let tail = (1.0 - level) / 2.0;
    percentile_pair(reps, tail, 1.0 - tail)
}

/// Whether `level` is a usable confidence level, strictly between 0 and 1.
pub(super) fn valid_level(level: f64) -> bool {
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
    let (lo, hi) = percentile_interval(&draws, level);
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
    let (lo, hi) = percentile_interval(&draws, level);
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
    permutation_p_value_sequential(units_a, units_b, reps, 0, seed)
}

/// [`permutation_p_value`] that stops once `stop_after` permutations have been at
/// least as extreme as the observed difference (Besag & Clifford 1991, "Sequential
/// Monte Carlo p-values"); `stop_after == 0` runs all `reps`. The report's tests use
/// it with [`crate::config::PERMUTATION_STOP`].
///
/// When the `stop_after`-th extreme permutation is the `l`-th drawn (`l ≤ reps`), the
/// p-value is `stop_after / l`; otherwise every permutation is drawn and the p-value
/// is [`permutation_p_value`]'s `(count + 1) / (reps + 1)`, from the same draws. Both
/// are valid p-values (the chance of a p-value at or below any `α` is at most `α`
/// under the null). A test that stops has `count ≥ stop_after` extreme permutations
/// among the first `l`, so it stops only where the full run's p-value would be at
/// least `(stop_after + 1) / (reps + 1)`: every p-value below that is exactly the full
/// run's, bit for bit, and the work saved is on the tests far from significance
/// (a test at p ≈ 0.5 stops after about `2 × stop_after` permutations).
///
/// ```
/// use duibi::stats::{permutation_p_value, permutation_p_value_sequential};
/// // Two groups from one distribution: the test stops early, well above 0.05.
/// let a: Vec<(f64, f64)> = (0..30).map(|i| ((i % 5) as f64, 1.0)).collect();
/// let b: Vec<(f64, f64)> = (0..30).map(|i| (((i + 2) % 5) as f64, 1.0)).collect();
/// let p = permutation_p_value_sequential(&a, &b, 2000, 100, 7);
/// assert!(p > 0.2);
/// // A clear difference never reaches 100 extreme permutations: the full run's p.
/// let c: Vec<(f64, f64)> = (0..30).map(|i| (5.0 + (i % 5) as f64, 1.0)).collect();
/// assert_eq!(
///     permutation_p_value_sequential(&a, &c, 2000, 100, 7),
///     permutation_p_value(&a, &c, 2000, 7),
/// );
/// ```
pub fn permutation_p_value_sequential(
    units_a: &[(f64, f64)],
    units_b: &[(f64, f64)],
    reps: usize,
    stop_after: usize,
    seed: u64,
) -> f64 {
    let test = PermutationTest {
        a: units_a,
        b: units_b,
        reps,
        stop_after,
        seed,
    };
    Run::start(&test).map_or_else(|p| p, Run::finish)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::permute::draw_rest;
    use super::*;
    use crate::stats::mean;

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

    /// [`permutation_p_value`] as first written (slice indexing, a swap per draw): the
    /// definition the pointer walk of [`draw_rest`] must reproduce bit for bit.
    fn permutation_reference(a: &[(f64, f64)], b: &[(f64, f64)], reps: usize, seed: u64) -> f64 {
        let observed = ratio_of_sums(a) - ratio_of_sums(b);
        if observed.is_nan() {
            return f64::NAN;
        }
        let threshold = observed.abs() * (1.0 - 1e-12);
        if threshold == 0.0 {
            return 1.0;
        }
        let mut pool: Vec<(f64, f64)> = a.iter().chain(b).copied().collect();
        let (n_a, n) = (a.len(), pool.len());
        let k = n_a.min(n - n_a);
        let (ts, tw) = pool.iter().fold((0.0, 0.0), |x, u| (x.0 + u.0, x.1 + u.1));
        let mut rng = Rng::new(seed);
        let mut count = 0u64;
        for _ in 0..reps {
            let (mut s, mut w) = (0.0, 0.0);
            for i in 0..k {
                let r = i + rng.below((n - i) as u64) as usize;
                pool.swap(i, r);
                s += pool[i].0;
                w += pool[i].1;
            }
            let (mk, mr) = (s / w, (ts - s) / (tw - w));
            let d = if k == n_a { mk - mr } else { mr - mk };
            if d.is_nan() || d.abs() >= threshold {
                count += 1;
            }
        }
        (count as f64 + 1.0) / (reps as f64 + 1.0)
    }

    /// Group sizes and a shift of A's mean for permutation tests: both sides
    /// smaller, equal sizes, one unit against many.
    pub(in crate::stats) const SIZES: [(usize, usize, f64); 7] = [
        (1, 2, 0.5),
        (2, 1, 0.0),
        (3, 3, 0.1),
        (7, 40, 0.3),
        (40, 7, -0.2),
        (25, 26, 0.05),
        (120, 90, 0.02),
    ];

    #[test]
    fn permutation_walk_gives_the_bits_of_the_reference() {
        let mut g = Rng::new(31);
        // Both sides smaller, equal sizes, one unit against many, zero weights (NaN
        // means count as extreme), and enough permutations for the pool's state to
        // carry from one to the next.
        for (na, nb, mu) in SIZES.into_iter().chain([
            // Long enough for the draws to be taken on four lanes (`permute::Split`).
            (700, 650, 0.01),
        ]) {
            let a = synthetic_units(&mut g, na, mu);
            let mut b = synthetic_units(&mut g, nb, 0.0);
            if nb > 1 {
                b[0].1 = 0.0;
            }
            for (reps, seed) in [(0, 1), (1, 2), (199, 3), (999, na as u64), (1999, 4)] {
                let got = permutation_p_value(&a, &b, reps, seed);
                let want = permutation_reference(&a, &b, reps, seed);
                assert_eq!(got.to_bits(), want.to_bits(), "{na} {nb} {reps}");
            }
        }
        // Where the shuffle is all there is to it: the sum of the drawn units changes
        // with which units are drawn, and the pool is left shuffled.
        let mut pool: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, 1.0)).collect();
        let mut rng = Rng::new(5);
        let mut reference = pool.clone();
        let mut rr = Rng::new(5);
        for _ in 0..50 {
            let (s, w) = draw_rest(&mut pool, 0, 4, (0.0, 0.0), &mut rng);
            let (mut s2, mut w2) = (0.0, 0.0);
            for i in 0..4 {
                let r = i + rr.below((10 - i) as u64) as usize;
                reference.swap(i, r);
                s2 += reference[i].0;
                w2 += reference[i].1;
            }
            assert_eq!((s.to_bits(), w.to_bits()), (s2.to_bits(), w2.to_bits()));
            assert_eq!(pool, reference);
        }
        // Every unit can be drawn, k up to the whole pool.
        let mut all: Vec<(f64, f64)> = (0..6).map(|i| (i as f64, 1.0)).collect();
        assert_eq!(
            draw_rest(&mut all, 0, 6, (0.0, 0.0), &mut Rng::new(9)),
            (15.0, 6.0)
        );
        assert_eq!(
            draw_rest(&mut all, 0, 0, (0.0, 0.0), &mut Rng::new(9)),
            (0.0, 0.0)
        );
    }

    #[test]
    fn sequential_test_is_the_full_run_below_its_stop_and_stops_above() {
        let mut g = Rng::new(41);
        let (reps, stop) = (999, 20);
        let bar = (stop as f64 + 1.0) / (reps as f64 + 1.0);
        let (mut exact, mut stopped) = (0, 0);
        for (i, mu) in [0.0, 0.02, 0.05, 0.1, 0.2, 0.4, 1.0]
            .iter()
            .cycle()
            .take(70)
            .enumerate()
        {
            let a = synthetic_units(&mut g, 12 + i % 9, *mu);
            let b = synthetic_units(&mut g, 15, 0.0);
            let seed = i as u64;
            let full = permutation_p_value(&a, &b, reps, seed);
            let seq = permutation_p_value_sequential(&a, &b, reps, stop, seed);
            // No stop is the full run, whatever the p-value.
            let none = permutation_p_value_sequential(&a, &b, reps, 0, seed);
            assert_eq!(none.to_bits(), full.to_bits());
            if full < bar {
                // Fewer extreme permutations than the stop in the whole run: same draws,
                // same p-value, bit for bit.
                assert_eq!(seq.to_bits(), full.to_bits(), "case {i}");
                exact += 1;
            } else if seq.to_bits() != full.to_bits() {
                // Stopped at the stop-th extreme permutation, the l-th drawn: p = stop / l.
                let l = (stop as f64 / seq).round();
                assert!(l >= stop as f64 && l <= reps as f64, "case {i}: l = {l}");
                assert_eq!(seq, stop as f64 / l, "case {i}");
                stopped += 1;
            }
        }
        assert!(
            exact >= 10 && stopped >= 10,
            "{exact} exact, {stopped} stopped"
        );
        // Degenerate inputs as the full test.
        assert!(permutation_p_value_sequential(&[], &[(1.0, 1.0)], 10, 5, 1).is_nan());
        let z = [(0.0, 1.0), (0.0, 2.0)];
        assert_eq!(permutation_p_value_sequential(&z, &z, 99, 5, 1), 1.0);
    }

    #[test]
    fn sequential_test_is_calibrated_under_the_null_and_stops_early() {
        // Same distribution on both sides: p-values about uniform, ~5% below 0.05, and
        // a test near p = 0.5 draws about 2 × stop permutations, not all of them.
        let mut g = Rng::new(8);
        let (reps, stop) = (999, 10);
        let mut ps = Vec::new();
        let mut drawn = 0.0;
        for k in 0..300 {
            let a = synthetic_units(&mut g, 15, 0.2);
            let b = synthetic_units(&mut g, 18, 0.2);
            let p = permutation_p_value_sequential(&a, &b, reps, stop, k);
            let l = (stop as f64 / p).round();
            drawn += if p >= (stop as f64 + 1.0) / (reps as f64 + 1.0) && l <= reps as f64 {
                l
            } else {
                reps as f64
            };
            ps.push(p);
        }
        let m = mean(&ps);
        let small = ps.iter().filter(|&&p| p <= 0.05).count();
        assert!((0.4..=0.6).contains(&m), "mean p {m}");
        assert!(small <= 27, "{small} of 300 at or below 0.05");
        assert!(
            drawn / 300.0 < 0.25 * reps as f64,
            "mean permutations {}",
            drawn / 300.0
        );
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
}
