//! The Poisson bootstrap ([`Resamples`]): replicate weights that depend only
//! on the seed and the unit, summed per replicate over many columns at once,
//! and percentile intervals from the replicates ([`interval_from_replicates`]).

#[cfg(target_arch = "x86_64")]
use super::resample::fill_bits4_avx2;
use super::resample::{percentile_interval, valid_level, Interval, Rng};

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

/// [`fill_bits`] for four streams at once (`out` holds four runs of `out.len() / 4`,
/// one a stream): the same uniforms, and the same streams left behind, as
/// [`fill_bits`] on each, the four stepped together on vectors when `wide`.
#[inline(always)]
fn fill_bits4(streams: &mut [(usize, Rng)], out: &mut [u32], wide: bool) {
    let len = out.len() / 4;
    #[cfg(target_arch = "x86_64")]
    if wide {
        if let [(_, a), (_, b), (_, c), (_, d)] = streams {
            let (o0, rest) = out.split_at_mut(len);
            let (o1, rest) = rest.split_at_mut(len);
            let (o2, o3) = rest.split_at_mut(len);
            // SAFETY: `wide` only when `wide_vectors` found AVX2 on this CPU.
            unsafe { fill_bits4_avx2([a, b, c, d], [o0, o1, o2, &mut o3[..len]]) };
            return;
        }
    }
    let _ = wide;
    for (k, (_, rng)) in streams.iter_mut().enumerate() {
        fill_bits(rng, &mut out[k * len..(k + 1) * len]);
    }
}

/// [`poisson1`] as a `u32`, written for vectors: every CDF point compared, no early
/// exit.
#[inline(always)]
fn poisson1_count(u: u32) -> u32 {
    let mut k = 0;
    for &c in &POISSON1_CDF_U32[..POISSON1_CDF_U32.len() - 1] {
        k += u32::from(u >= c);
    }
    k
}

/// [`poisson1_count`] of every `bits[r]` into `out[r]`; on 256-bit vectors when `wide`
/// ([`poisson1_counts_avx2`]).
#[inline(always)]
fn poisson1_counts(bits: &[u32], out: &mut [u32], wide: bool) {
    #[cfg(target_arch = "x86_64")]
    if wide {
        // SAFETY: `wide` only when `wide_vectors` found AVX2 on this CPU.
        unsafe { poisson1_counts_avx2(bits, out) };
        return;
    }
    let _ = wide;
    for (w, &u) in out.iter_mut().zip(bits) {
        *w = poisson1_count(u);
    }
}

/// How many CDF points [`poisson1_counts_avx2`] compares every draw with; the rest
/// only for the eight draws of a vector where one is at or above the next point
/// (`P(X ≥ 7) ≈ 8·10⁻⁵` a draw).
const POISSON1_COMMON: usize = 6;

/// [`poisson1_counts`] on 256-bit vectors, eight draws at a time: `u ≥ c` as the signed
/// comparison `(u ⊕ 2³¹) > (c − 1) ⊕ 2³¹` (one instruction; AVX2 has no unsigned
/// one), with the CDF points held in registers, and only the first
/// [`POISSON1_COMMON`] points compared unless a draw of the eight reaches the next one.
/// The same counts as [`poisson1_count`].
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn poisson1_counts_avx2(bits: &[u32], out: &mut [u32]) {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpgt_epi32, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi32,
        _mm256_setzero_si256, _mm256_storeu_si256, _mm256_sub_epi32, _mm256_xor_si256,
    };
    const POINTS: usize = POISSON1_CDF_U32.len() - 1;
    let flip = _mm256_set1_epi32(i32::MIN);
    // Every point is at least 1, so `c − 1` does not wrap.
    let point = |j: usize| _mm256_set1_epi32(((POISSON1_CDF_U32[j] - 1) ^ (1 << 31)) as i32);
    let common: [__m256i; POISSON1_COMMON] = std::array::from_fn(point);
    let next = point(POISSON1_COMMON);
    let n = bits.len().min(out.len());
    let (bits8, bits_rest) = bits[..n].split_at(n - n % 8);
    let (out8, out_rest) = out[..n].split_at_mut(n - n % 8);
    for (b, o) in bits8.chunks_exact(8).zip(out8.chunks_exact_mut(8)) {
        // SAFETY: `b` and `o` are eight `u32`s (32 bytes); the loads and stores need
        // no alignment.
        let u = unsafe { _mm256_loadu_si256(b.as_ptr().cast::<__m256i>()) };
        let v = _mm256_xor_si256(u, flip);
        let mut k = _mm256_setzero_si256();
        for c in &common {
            // `cmpgt` is −1 where true: subtracting it counts.
            k = _mm256_sub_epi32(k, _mm256_cmpgt_epi32(v, *c));
        }
        if _mm256_movemask_epi8(_mm256_cmpgt_epi32(v, next)) != 0 {
            for j in POISSON1_COMMON..POINTS {
                k = _mm256_sub_epi32(k, _mm256_cmpgt_epi32(v, point(j)));
            }
        }
        // SAFETY: as above.
        unsafe { _mm256_storeu_si256(o.as_mut_ptr().cast::<__m256i>(), k) };
    }
    for (w, &u) in out_rest.iter_mut().zip(bits_rest) {
        *w = poisson1_count(u);
    }
}

/// Replicates per block of [`Resamples::sum_replicates_many`]: the blocks of all
/// columns (`bytes` a replicate of all of them: 8 a column summed in `f64`, 4 in `u32`,
/// 2 in `u16`) take about 512 KiB (half of a typical L2 cache), rounded up to a
/// multiple of 32 (the width of the vector loops over a column's block, so that none
/// ends on a scalar tail; and even, so that each block starts on a 64-bit draw); at
/// least 64 replicates. (On the benchmark corpus's
/// shape, blocks of 256 KiB to 1 MiB take about 15% less time than no blocks; the
/// differences between those sizes are within the noise. Every column's part of a
/// block costs some instructions besides its sums: fewer, longer blocks cost fewer.)
fn replicate_block(bytes: usize, reps: usize) -> usize {
    const BUDGET: usize = 512 * 1024;
    let per_column = BUDGET / bytes.max(1);
    let block = ((per_column + 31) & !31).max(64);
    if block >= reps {
        reps
    } else {
        block
    }
}

/// The largest Poisson(1) weight [`poisson1`] draws.
const POISSON1_MAX: u32 = 12;

/// How a column's replicate sums are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SumKind {
    /// In `f64`.
    Float,
    /// Exactly, in `u32` ([`sum_kind`]).
    Whole32,
    /// Exactly, in `u16`: sixteen replicates a 256-bit instruction instead of eight.
    Whole16,
}

/// How a column's sums can be taken: in integers when every kept value is a positive
/// whole number and `POISSON1_MAX · Σ x` is within `u32` (in `u16` when within `u16`).
/// Then every product `w · x` and every partial sum of the `f64` path is a whole number
/// within that type, exact in an `f64`, so the exact integer sum converted to `f64` is
/// the same bits as the `f64` sum, in any order.
fn sum_kind(n: usize, col: &[(usize, f64)]) -> SumKind {
    let mut total = 0.0f64;
    for &(i, x) in col {
        if i >= n || x == 0.0 {
            continue;
        }
        if !(x > 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)) {
            return SumKind::Float;
        }
        total += x;
    }
    let most = total * f64::from(POISSON1_MAX);
    if most <= f64::from(u16::MAX) {
        SumKind::Whole16
    } else if most <= f64::from(u32::MAX) {
        SumKind::Whole32
    } else {
        SumKind::Float
    }
}

/// The entries of many columns grouped by unit (a counting sort), one set per
/// [`SumKind`]: the entries of unit `i` are `col[starts[i]..starts[i + 1]]` with
/// values `x[…]`, by column, then in their order in the column. Entries with a unit out
/// of range or a zero value are dropped. Whole-number columns ([`sum_kind`]) have their
/// values as integers and are summed in integers.
struct ByUnit {
    float: Entries<f64>,
    whole32: Entries<u32>,
    whole16: Entries<u16>,
    /// Bytes of the sums of one replicate of every column.
    bytes: usize,
}

/// [`ByUnit`]'s entries of the columns of one [`SumKind`].
struct Entries<T> {
    starts: Vec<usize>,
    col: Vec<u32>,
    x: Vec<T>,
}

impl<T: Copy + Default> Entries<T> {
    /// The entries of the columns of kind `kind` (`kinds` gives each column's), their
    /// values converted by `value`.
    fn of(
        n: usize,
        columns: &[&[(usize, f64)]],
        kinds: &[SumKind],
        kind: SumKind,
        value: impl Fn(f64) -> T,
    ) -> Self {
        let keep = |&&(i, x): &&(usize, f64)| i < n && x != 0.0;
        let mine = || {
            columns
                .iter()
                .zip(kinds)
                .enumerate()
                .filter(move |(_, (_, &k))| k == kind)
                .map(|(c, (col, _))| (c, *col))
        };
        let mut starts = vec![0usize; n + 1];
        for (_, col) in mine() {
            for &(i, _) in col.iter().filter(keep) {
                starts[i + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let (mut col, mut x) = (vec![0u32; starts[n]], vec![T::default(); starts[n]]);
        for (c, entries) in mine() {
            for &(i, v) in entries.iter().filter(keep) {
                let k = next[i];
                next[i] += 1;
                col[k] = c as u32;
                x[k] = value(v);
            }
        }
        Entries { starts, col, x }
    }

    /// The range of unit `i`'s entries.
    #[inline(always)]
    fn of_unit(&self, i: usize) -> std::ops::Range<usize> {
        self.starts[i]..self.starts[i + 1]
    }
}

impl ByUnit {
    fn new(n: usize, columns: &[&[(usize, f64)]]) -> Self {
        let kinds: Vec<SumKind> = columns.iter().map(|c| sum_kind(n, c)).collect();
        let bytes = kinds
            .iter()
            .map(|k| match k {
                SumKind::Float => std::mem::size_of::<f64>(),
                SumKind::Whole32 => std::mem::size_of::<u32>(),
                SumKind::Whole16 => std::mem::size_of::<u16>(),
            })
            .sum();
        // Whole and within the type (`sum_kind`): the conversions are exact.
        ByUnit {
            bytes,
            float: Entries::of(n, columns, &kinds, SumKind::Float, |v| v),
            whole32: Entries::of(n, columns, &kinds, SumKind::Whole32, |v| v as u32),
            whole16: Entries::of(n, columns, &kinds, SumKind::Whole16, |v| v as u16),
        }
    }

    /// Whether unit `i` has an entry in any column.
    fn has(&self, i: usize) -> bool {
        !(self.float.of_unit(i).is_empty()
            && self.whole32.of_unit(i).is_empty()
            && self.whole16.of_unit(i).is_empty())
    }

    /// Whether no column has an entry.
    fn is_empty(&self) -> bool {
        self.float.col.is_empty() && self.whole32.col.is_empty() && self.whole16.col.is_empty()
    }
}

/// Whether this CPU runs 256-bit vector code ([`Block::run_avx2`]): AVX2 on x86-64.
fn wide_vectors() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Replicates a step of [`add_products`] (blocks are multiples of it but the last).
const PRODUCT_RUN: usize = 32;

/// `o[r] += w[r] · x` for every `r` (a multiply, then an add: never fused), in runs of
/// [`PRODUCT_RUN`] whose length the compiler knows, so that a column's part of a block
/// costs its vector instructions and little more: no test of whether `o` and `w`
/// overlap (they are distinct borrows), no scalar tail but in a last block.
#[inline(always)]
fn add_products<T>(o: &mut [T], w: &[T], x: T)
where
    T: Copy + std::ops::Mul<Output = T> + std::ops::AddAssign,
{
    let mut runs = o.chunks_exact_mut(PRODUCT_RUN);
    let mut weights = w.chunks_exact(PRODUCT_RUN);
    for (o, w) in (&mut runs).zip(&mut weights) {
        // Runs of `PRODUCT_RUN` (`chunks_exact`): the conversions cannot fail. The run
        // is read whole, then written whole, which lets the compiler keep it in vector
        // registers.
        if let (Ok(o), Ok(w)) = (
            <&mut [T; PRODUCT_RUN]>::try_from(o),
            <&[T; PRODUCT_RUN]>::try_from(w),
        ) {
            let (mut sums, w) = (*o, *w);
            for (s, &m) in sums.iter_mut().zip(&w) {
                *s += m * x;
            }
            *o = sums;
        }
    }
    for (o, &m) in runs.into_remainder().iter_mut().zip(weights.remainder()) {
        *o += m * x;
    }
}

/// One block of replicates `r0..r0 + w.len()` of [`Resamples::sum_replicates_many`].
struct Block<'a> {
    by_unit: &'a ByUnit,
    bits: &'a mut [u32],
    w: &'a mut [f64],
    /// The same weights as `w`, as integers (for the whole-number columns).
    wi: &'a mut [u32],
    /// The same weights as `u16` (for the columns summed in `u16`).
    ws: &'a mut [u16],
    out: &'a mut [Vec<f64>],
    /// The sums of the columns summed in `u32`, by column (empty for the others).
    iout: &'a mut [Vec<u32>],
    /// The sums of the columns summed in `u16`, by column (empty for the others).
    sout: &'a mut [Vec<u16>],
    r0: usize,
    /// Whether the CPU has 256-bit vectors ([`wide_vectors`]) and they are to be used.
    wide: bool,
}

impl Block<'_> {
    /// Draws each unit's weights of the block and adds `weight · x` of its entries to
    /// their columns. Every replicate is its own sum, added to in the same order
    /// whatever the vector width (a multiply, then an add: never fused), so the sums
    /// are the same bits in [`Block::run_avx2`]. Whole-number columns are summed in
    /// `u32` or `u16` (exact; see [`sum_kind`]).
    ///
    /// The streams of four units at a time are stepped together on vectors where the
    /// CPU has them ([`fill_bits4`]): each unit's weights are the draws of its own
    /// stream, as one at a time.
    #[inline(always)]
    fn run(&mut self, streams: &mut [(usize, Rng)]) {
        let len = self.w.len();
        let mut fours = streams.chunks_exact_mut(4);
        for four in &mut fours {
            fill_bits4(four, &mut self.bits[..4 * len], self.wide);
            for (lane, (i, _)) in four.iter().enumerate() {
                self.unit(*i, lane);
            }
        }
        for (i, rng) in fours.into_remainder() {
            fill_bits(rng, &mut self.bits[..len]);
            self.unit(*i, 0);
        }
    }

    /// Unit `i`'s part of [`Block::run`], its uniforms in lane `lane` of the bits.
    #[inline(always)]
    fn unit(&mut self, i: usize, lane: usize) {
        let len = self.w.len();
        let r0 = self.r0;
        let b = self.by_unit;
        let bits = &self.bits[lane * len..(lane + 1) * len];
        let (range, irange) = (b.float.of_unit(i), b.whole32.of_unit(i));
        let srange = b.whole16.of_unit(i);
        // The weights by counting CDF points (no table look-up per draw, so the
        // loop runs on vectors), then as `f64` and `u16` where columns need them.
        poisson1_counts(bits, self.wi, self.wide);
        if !range.is_empty() {
            for (w, &m) in self.w.iter_mut().zip(self.wi.iter()) {
                *w = f64::from(m);
            }
        }
        if !srange.is_empty() {
            for (w, &m) in self.ws.iter_mut().zip(self.wi.iter()) {
                // At most `POISSON1_MAX`.
                *w = m as u16;
            }
        }
        let e = &b.float;
        for (&c, &x) in e.col[range.clone()].iter().zip(&e.x[range]) {
            add_products(&mut self.out[c as usize][r0..r0 + len], self.w, x);
        }
        let e = &b.whole32;
        for (&c, &x) in e.col[irange.clone()].iter().zip(&e.x[irange]) {
            add_products(&mut self.iout[c as usize][r0..r0 + len], self.wi, x);
        }
        let e = &b.whole16;
        for (&c, &x) in e.col[srange.clone()].iter().zip(&e.x[srange]) {
            add_products(&mut self.sout[c as usize][r0..r0 + len], self.ws, x);
        }
    }

    /// [`Block::run`] compiled for AVX2 (four replicates an instruction instead of
    /// two; eight for the columns summed in `u32`, sixteen in `u16`).
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_avx2(&mut self, streams: &mut [(usize, Rng)]) {
        self.run(streams)
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
    /// at most 12 bytes per non-zero entry and 64 bytes per unit.
    pub fn sum_replicates_many(&self, columns: &[&[(usize, f64)]]) -> Vec<Vec<f64>> {
        self.sum_replicates_many_with(columns, wide_vectors())
    }

    /// [`Resamples::sum_replicates_many`], on 256-bit vectors when `wide` and the CPU
    /// has them ([`wide_vectors`]).
    fn sum_replicates_many_with(&self, columns: &[&[(usize, f64)]], wide: bool) -> Vec<Vec<f64>> {
        let mut out = vec![vec![0.0; self.reps]; columns.len()];
        let by_unit = ByUnit::new(self.n, columns);
        if by_unit.is_empty() || self.reps == 0 {
            return out;
        }
        // The whole-number columns' integer sums (the others stay empty).
        let sums_of = |e: &[u32]| {
            let mut mine = vec![false; columns.len()];
            for &c in e {
                mine[c as usize] = true;
            }
            mine
        };
        let mut iout: Vec<Vec<u32>> = sums_of(&by_unit.whole32.col)
            .into_iter()
            .map(|mine| if mine { vec![0; self.reps] } else { Vec::new() })
            .collect();
        let mut sout: Vec<Vec<u16>> = sums_of(&by_unit.whole16.col)
            .into_iter()
            .map(|mine| if mine { vec![0; self.reps] } else { Vec::new() })
            .collect();
        let block = replicate_block(by_unit.bytes, self.reps);
        // One stream per unit with entries, resumed block after block.
        let mut streams: Vec<(usize, Rng)> = (0..self.n)
            .filter(|&i| by_unit.has(i))
            .map(|i| (i, self.stream(i)))
            .collect();
        // Four units' uniforms at a time.
        let mut bits = vec![0u32; 4 * block];
        let mut w = vec![0.0f64; block];
        let mut wi = vec![0u32; block];
        let mut ws = vec![0u16; block];
        let mut r0 = 0;
        let wide = wide && wide_vectors();
        while r0 < self.reps {
            let len = block.min(self.reps - r0);
            let mut b = Block {
                by_unit: &by_unit,
                bits: &mut bits[..4 * len],
                w: &mut w[..len],
                wi: &mut wi[..len],
                ws: &mut ws[..len],
                out: &mut out,
                iout: &mut iout,
                sout: &mut sout,
                r0,
                wide,
            };
            if wide {
                // SAFETY: `wide_vectors` found AVX2 on this CPU.
                #[cfg(target_arch = "x86_64")]
                unsafe {
                    b.run_avx2(&mut streams)
                };
            } else {
                b.run(&mut streams);
            }
            r0 += len;
        }
        for ((o, i), s) in out.iter_mut().zip(&iout).zip(&sout) {
            if !i.is_empty() {
                for (o, &s) in o.iter_mut().zip(i) {
                    *o = f64::from(s);
                }
            }
            if !s.is_empty() {
                for (o, &s) in o.iter_mut().zip(s) {
                    *o = f64::from(s);
                }
            }
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
    interval_of_replicates(estimate, &reps, level)
}

/// [`interval_from_replicates`] of borrowed replicates (nothing is copied).
///
/// ```
/// use duibi::stats::{interval_from_replicates, interval_of_replicates};
/// let reps: Vec<f64> = (0..2000).map(|i| ((i * 7919) % 2000) as f64 / 100.0).collect();
/// let iv = interval_of_replicates(10.0, &reps, 0.95);
/// assert_eq!(iv, interval_from_replicates(10.0, reps.clone(), 0.95));
/// // numpy.percentile(reps, [2.5, 97.5]): 0.49975, 19.49025
/// assert!((iv.lo - 0.49975).abs() < 1e-12 && (iv.hi - 19.49025).abs() < 1e-12);
/// ```
pub fn interval_of_replicates(estimate: f64, reps: &[f64], level: f64) -> Interval {
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
mod tests {
    use super::*;

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
        // The vector count gives the inverse CDF on both sides of every CDF point, at
        // the ends and at random draws.
        let mut probes: Vec<u32> = vec![0, 1, u32::MAX - 1, u32::MAX];
        for &c in &POISSON1_CDF_U32 {
            probes.extend([c.wrapping_sub(1), c, c.wrapping_add(1)]);
        }
        let mut rng = Rng::new(3);
        probes.extend((0..100_000).map(|_| rng.next_u64() as u32));
        for &u in &probes {
            assert_eq!(poisson1_count(u), u32::from(poisson1(u)), "u {u}");
        }
        // Many at a time, on vectors where this CPU has them: every probe at every
        // place of an eight (so a rare large draw shares its vector with common ones),
        // and runs not a multiple of eight.
        for wide in [false, wide_vectors()] {
            for shift in 0..9 {
                let bits: Vec<u32> = std::iter::repeat_n(7u32, shift)
                    .chain(probes.iter().copied())
                    .collect();
                let mut got = vec![99u32; bits.len()];
                poisson1_counts(&bits, &mut got, wide);
                for (&u, &k) in bits.iter().zip(&got) {
                    assert_eq!(k, u32::from(poisson1(u)), "u {u} wide {wide} shift {shift}");
                }
            }
        }
    }

    #[test]
    fn four_streams_at_once_give_each_streams_uniforms() {
        // Every run length around the four-step transposes (0..40 uniforms a stream),
        // twice in a row so that where the first call leaves the streams matters.
        for len in 0..40 {
            for wide in [false, wide_vectors()] {
                let mut streams: Vec<(usize, Rng)> =
                    (0..4).map(|i| (i, Rng::new(100 + i as u64))).collect();
                let mut alone: Vec<Rng> = (0..4).map(|i| Rng::new(100 + i as u64)).collect();
                for round in 0..2 {
                    let mut out = vec![0u32; 4 * len];
                    fill_bits4(&mut streams, &mut out, wide);
                    for (k, rng) in alone.iter_mut().enumerate() {
                        let mut one = vec![0u32; len];
                        fill_bits(rng, &mut one);
                        assert_eq!(
                            &out[k * len..(k + 1) * len],
                            &one[..],
                            "len {len} wide {wide} stream {k} round {round}"
                        );
                        assert_eq!(&streams[k].1, &*rng, "state after len {len}");
                    }
                }
            }
        }
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
        // Whole-number columns (summed in integers): counts with zeros and repeated
        // units, one at the largest total that `u32` sums allow, one at the largest that
        // `u16` sums allow and one just past it (summed in `u32`); and columns just past
        // what they allow (too large a total, a negative count), summed in `f64`.
        let f: Vec<(usize, f64)> = (0..50).map(|i| (i, (i % 5) as f64)).collect();
        let g: Vec<(usize, f64)> = vec![(4, 357_913_941.0)];
        let h: Vec<(usize, f64)> = vec![(4, 357_913_941.0), (5, 1.0)];
        let neg: Vec<(usize, f64)> = vec![(3, -2.0), (6, 3.0), (6, 1.0)];
        let ones: Vec<(usize, f64)> = vec![(7, 1.0), (7, 1.0), (49, 2.0), (70, 1.0)];
        let short: Vec<(usize, f64)> = (0..50)
            .map(|i| (i, 100.0 + (i == 9) as u8 as f64 * 461.0))
            .collect();
        let past: Vec<(usize, f64)> = vec![(0, 5_000.0), (9, 400.0), (49, 62.0)];
        use super::{sum_kind, SumKind};
        assert!([&g, &past]
            .iter()
            .all(|c| sum_kind(50, c) == SumKind::Whole32));
        assert!([&f, &ones, &short]
            .iter()
            .all(|c| sum_kind(50, c) == SumKind::Whole16));
        assert!([&a, &h, &neg]
            .iter()
            .all(|c| sum_kind(50, c) == SumKind::Float));
        let mut cols: Vec<&[(usize, f64)]> =
            vec![&a, &b, &c, &d, &e, &f, &g, &h, &neg, &ones, &short, &past];
        let many: Vec<Vec<(usize, f64)>> = (0..3000)
            .map(|k| vec![(k % 50, 0.5 + k as f64), ((k * 7) % 50, -0.125)])
            .collect();
        cols.extend(many.iter().map(Vec::as_slice));
        for reps in [1, 2, 101, 1001] {
            let rs = Resamples::new(50, reps, 7);
            assert!(super::replicate_block(cols.len() * 2, reps) < reps || reps <= 64);
            let got = rs.sum_replicates_many(&cols);
            assert_eq!(bits(&got), reference(&rs, &cols), "reps {reps}");
            assert!(got[3].iter().all(|&x| x == 0.0));
            // The plain path, and the 256-bit one where this CPU has it, give the same
            // bits.
            for wide in [false, super::wide_vectors()] {
                let got = rs.sum_replicates_many_with(&cols, wide);
                assert_eq!(bits(&got), reference(&rs, &cols), "reps {reps} wide {wide}");
            }
        }
        let rs = Resamples::new(50, 101, 7);
        let rev: Vec<(usize, f64)> = c.iter().rev().copied().collect();
        let r = rs.sum_replicates(&rev);
        assert_eq!(r, rs.sum_replicates(&c));
    }
}
