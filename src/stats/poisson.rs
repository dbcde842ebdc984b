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

/// Replicates a block of [`Resamples::sum_replicates_many`]: a chunk of units' weights
/// are drawn for a block at a time (each unit's stream resumed from one block to the
/// next). Even, so that each block starts on a 64-bit draw; a multiple of [`RUN`].
const BLOCK: usize = 64;

/// Replicates whose sums [`add_run`] holds in vector registers (eight of 256 bits for
/// `f64`) while a column's entries of a chunk are added to them.
const RUN: usize = 32;

/// Units a chunk of [`Resamples::sum_replicates_many`]: their weights of a block
/// (`CHUNK × BLOCK` of them as `u32`, `f64` and `u16`, 28 KiB) stay in the first-level
/// cache while every column's entries of the chunk are added.
const CHUNK: usize = 32;

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

/// The entries of many columns arranged for [`Block`]: the units that have an entry
/// in some column (the active units, numbered in unit order) in chunks of [`CHUNK`],
/// and per [`SumKind`] each chunk's entries by column, in unit order within a column
/// (entries of one unit in their order in the column). Entries with a unit out of range
/// or a zero value are dropped. Whole-number columns ([`sum_kind`]) have their values
/// as integers and are summed in integers.
struct ByUnit {
    /// The active units, ascending.
    active: Vec<usize>,
    float: Entries<f64>,
    whole32: Entries<u32>,
    whole16: Entries<u16>,
}

/// [`ByUnit`]'s entries of the columns of one [`SumKind`]: chunk `ch`'s runs are
/// `runs[chunks[ch]..chunks[ch + 1]]`, a run `(column, entries)` giving the range of
/// its entries in `unit` (the active unit's place in its chunk) and `x`.
struct Entries<T> {
    chunks: Vec<usize>,
    runs: Vec<(usize, std::ops::Range<usize>)>,
    unit: Vec<u32>,
    x: Vec<T>,
}

impl<T: Copy> Entries<T> {
    /// The entries of the columns of kind `kind` (`kinds` gives each column's), their
    /// values converted by `value`; `place[i]` is unit `i`'s active number.
    fn of(
        place: &[usize],
        n_chunks: usize,
        columns: &[&[(usize, f64)]],
        kinds: &[SumKind],
        kind: SumKind,
        value: impl Fn(f64) -> T,
    ) -> Self {
        let n = place.len();
        // Each column's entries (active unit, value) in unit order (a stable sort: the
        // entries of one unit in their order in the column), columns in order; then
        // bucketed by chunk, stably (a counting sort): the order of the sums.
        let mut all: Vec<(u32, u32, T)> = Vec::new();
        let mut counts = vec![0usize; n_chunks + 1];
        for (c, col) in columns.iter().enumerate() {
            if kinds[c] != kind {
                continue;
            }
            let from = all.len();
            for &(i, x) in col.iter() {
                if i < n && x != 0.0 {
                    all.push((place[i] as u32, c as u32, value(x)));
                    counts[place[i] / CHUNK + 1] += 1;
                }
            }
            let mine = &mut all[from..];
            if !mine.windows(2).all(|w| w[0].0 <= w[1].0) {
                mine.sort_by_key(|e| e.0);
            }
        }
        for ch in 1..counts.len() {
            counts[ch] += counts[ch - 1];
        }
        let mut sorted: Vec<(u32, u32, T)> = Vec::with_capacity(all.len());
        // Every place is written once below (the counts are exact).
        sorted.resize(all.len(), (0, 0, value(1.0)));
        for &e in &all {
            let ch = e.0 as usize / CHUNK;
            sorted[counts[ch]] = e;
            counts[ch] += 1;
        }
        drop(all);
        let mut chunks = vec![0usize; n_chunks + 1];
        let mut runs: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        let (mut unit, mut x) = (
            Vec::with_capacity(sorted.len()),
            Vec::with_capacity(sorted.len()),
        );
        let mut last: Option<(usize, u32)> = None;
        for (e, &(a, c, v)) in sorted.iter().enumerate() {
            let ch = a as usize / CHUNK;
            if last != Some((ch, c)) {
                runs.push((c as usize, e..e));
                chunks[ch + 1] = runs.len();
                last = Some((ch, c));
            }
            if let Some(r) = runs.last_mut() {
                r.1.end = e + 1;
            }
            unit.push(a % CHUNK as u32);
            x.push(v);
        }
        for ch in 1..chunks.len() {
            chunks[ch] = chunks[ch].max(chunks[ch - 1]);
        }
        Entries {
            chunks,
            runs,
            unit,
            x,
        }
    }

    /// The runs of chunk `ch`.
    #[inline(always)]
    fn of_chunk(&self, ch: usize) -> &[(usize, std::ops::Range<usize>)] {
        &self.runs[self.chunks[ch]..self.chunks[ch + 1]]
    }
}

impl ByUnit {
    fn new(n: usize, columns: &[&[(usize, f64)]]) -> Self {
        let kinds: Vec<SumKind> = columns.iter().map(|c| sum_kind(n, c)).collect();
        let mut has = vec![false; n];
        for col in columns {
            for &(i, x) in col.iter() {
                if i < n && x != 0.0 {
                    has[i] = true;
                }
            }
        }
        let active: Vec<usize> = (0..n).filter(|&i| has[i]).collect();
        let mut place = vec![0usize; n];
        for (a, &i) in active.iter().enumerate() {
            place[i] = a;
        }
        let n_chunks = active.len().div_ceil(CHUNK);
        // Whole and within the type (`sum_kind`): the conversions are exact.
        ByUnit {
            float: Entries::of(&place, n_chunks, columns, &kinds, SumKind::Float, |v| v),
            whole32: Entries::of(&place, n_chunks, columns, &kinds, SumKind::Whole32, |v| {
                v as u32
            }),
            whole16: Entries::of(&place, n_chunks, columns, &kinds, SumKind::Whole16, |v| {
                v as u16
            }),
            active,
        }
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

/// `o[r] += w[u][r] · x` for every entry `(u, x)` of one column's run, in order, and
/// every `r` of a block (a multiply, then an add: never fused). The sums of [`RUN`]
/// replicates at a time are read once, held in registers while the run's entries are
/// added, and written once.
#[inline(always)]
fn add_run<T>(o: &mut [T], w: &[[T; BLOCK]], unit: &[u32], x: &[T])
where
    T: Copy + std::ops::Mul<Output = T> + std::ops::AddAssign,
{
    for (h, o) in o[..BLOCK].chunks_exact_mut(RUN).enumerate() {
        let Ok(o) = <&mut [T; RUN]>::try_from(o) else {
            return;
        };
        let mut sums = *o;
        for (&u, &x) in unit.iter().zip(x) {
            if let Some(w) = w
                .get(u as usize)
                .and_then(|w| w.get(h * RUN..(h + 1) * RUN))
            {
                for (s, &m) in sums.iter_mut().zip(w) {
                    *s += m * x;
                }
            }
        }
        *o = sums;
    }
}

/// Chunk `ch`'s runs of `e` added to their sums in `out` (block `r0`), weights `w`.
#[inline(always)]
fn add_chunk<T>(e: &Entries<T>, ch: usize, out: &mut [Vec<T>], w: &[[T; BLOCK]], r0: usize)
where
    T: Copy + std::ops::Mul<Output = T> + std::ops::AddAssign,
{
    for (c, r) in e.of_chunk(ch) {
        add_run(&mut out[*c][r0..], w, &e.unit[r.clone()], &e.x[r.clone()]);
    }
}

/// The first `n` units' weights `wi` converted by `to` into `w`.
#[inline(always)]
fn convert<T>(
    wi: &[[u32; BLOCK]; CHUNK],
    w: &mut [[T; BLOCK]; CHUNK],
    n: usize,
    to: impl Fn(u32) -> T,
) {
    let m = n * BLOCK;
    for (w, &m) in w.as_flattened_mut()[..m]
        .iter_mut()
        .zip(&wi.as_flattened()[..m])
    {
        *w = to(m);
    }
}

/// The weights of a chunk of units in one block, and where the block's sums go.
struct Block<'a> {
    by_unit: &'a ByUnit,
    /// Four units' uniforms.
    bits: &'a mut [u32; 4 * BLOCK],
    /// The weights of the chunk's units (by place in the chunk).
    wi: &'a mut [[u32; BLOCK]; CHUNK],
    /// The same weights as `f64` (for the columns summed in `f64`).
    w: &'a mut [[f64; BLOCK]; CHUNK],
    /// The same weights as `u16` (for the columns summed in `u16`).
    ws: &'a mut [[u16; BLOCK]; CHUNK],
    out: &'a mut [Vec<f64>],
    /// The sums of the columns summed in `u32`, by column (empty for the others).
    iout: &'a mut [Vec<u32>],
    /// The sums of the columns summed in `u16`, by column (empty for the others).
    sout: &'a mut [Vec<u16>],
    /// The block's first replicate.
    r0: usize,
    /// Whether the CPU has 256-bit vectors ([`wide_vectors`]) and they are to be used.
    wide: bool,
}

impl Block<'_> {
    /// Draws the weights of the block for every active unit, a chunk at a time, and adds
    /// `weight · x` of the chunk's entries to their columns, column by column, each
    /// column's entries in unit order. Every replicate is its own sum, added to in the
    /// same order whatever the vector width, so the sums are the same bits in
    /// [`Block::run_avx2`]. Whole-number columns are summed in `u32` or `u16` (exact;
    /// see [`sum_kind`]).
    ///
    /// The streams of four units at a time are stepped together on vectors where the
    /// CPU has them ([`fill_bits4`]): each unit's weights are the draws of its own
    /// stream, as one at a time.
    #[inline(always)]
    fn run(&mut self, streams: &mut [(usize, Rng)]) {
        for (ch, units) in streams.chunks_mut(CHUNK).enumerate() {
            let mut fours = units.chunks_exact_mut(4);
            let mut at = 0;
            for four in &mut fours {
                fill_bits4(four, &mut self.bits[..], self.wide);
                for lane in 0..4 {
                    let bits = &self.bits[lane * BLOCK..(lane + 1) * BLOCK];
                    poisson1_counts(bits, &mut self.wi[at + lane], self.wide);
                }
                at += 4;
            }
            for (_, rng) in fours.into_remainder() {
                fill_bits(rng, &mut self.bits[..BLOCK]);
                poisson1_counts(&self.bits[..BLOCK], &mut self.wi[at], self.wide);
                at += 1;
            }
            self.sums(ch, at);
        }
    }

    /// Chunk `ch`'s entries (its first `n` units' weights drawn) added to their sums.
    #[inline(always)]
    fn sums(&mut self, ch: usize, n: usize) {
        let (r0, b) = (self.r0, self.by_unit);
        if !b.float.of_chunk(ch).is_empty() {
            // At most `POISSON1_MAX`: converted as signed (one vector instruction).
            convert(self.wi, self.w, n, |m| f64::from(m as i32));
        }
        add_chunk(&b.float, ch, self.out, self.w, r0);
        add_chunk(&b.whole32, ch, self.iout, self.wi, r0);
        if !b.whole16.of_chunk(ch).is_empty() {
            // At most `POISSON1_MAX`.
            convert(self.wi, self.ws, n, |m| m as u16);
        }
        add_chunk(&b.whole16, ch, self.sout, self.ws, r0);
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
    /// work. The work is done in blocks of `BLOCK` replicates: a chunk of units'
    /// weights of the block are drawn (each unit's stream resumed from one block to the
    /// next, so the weights are drawn once) and stay in the first-level cache while
    /// each column adds the chunk's entries to its block of sums, held in registers.
    /// Besides the output this holds about 32 bytes per non-zero entry and 48 bytes per
    /// unit.
    pub fn sum_replicates_many(&self, columns: &[&[(usize, f64)]]) -> Vec<Vec<f64>> {
        self.sum_replicates_many_with(columns, wide_vectors())
    }

    /// [`Resamples::sum_replicates_many`], on 256-bit vectors when `wide` and the CPU
    /// has them ([`wide_vectors`]).
    fn sum_replicates_many_with(&self, columns: &[&[(usize, f64)]], wide: bool) -> Vec<Vec<f64>> {
        let by_unit = ByUnit::new(self.n, columns);
        if by_unit.active.is_empty() || self.reps == 0 {
            return vec![vec![0.0; self.reps]; columns.len()];
        }
        // Whole blocks: the sums past `reps` (of weights drawn past the last that
        // counts, from streams not read again) are cut off at the end.
        let padded = self.reps.div_ceil(BLOCK) * BLOCK;
        // The sums of each kind's columns (the others' stay empty).
        fn sums_of<T: Copy + Default>(e: &Entries<T>, columns: usize, len: usize) -> Vec<Vec<T>> {
            let mut out = vec![Vec::new(); columns];
            for (c, _) in &e.runs {
                if out[*c].is_empty() {
                    out[*c] = vec![T::default(); len];
                }
            }
            out
        }
        let mut out = sums_of(&by_unit.float, columns.len(), padded);
        let mut iout = sums_of(&by_unit.whole32, columns.len(), padded);
        let mut sout = sums_of(&by_unit.whole16, columns.len(), padded);
        // One stream per active unit, resumed block after block.
        let mut streams: Vec<(usize, Rng)> = by_unit
            .active
            .iter()
            .map(|&i| (i, self.stream(i)))
            .collect();
        let mut bits = [0u32; 4 * BLOCK];
        let mut wi = Box::new([[0u32; BLOCK]; CHUNK]);
        let mut w = Box::new([[0.0f64; BLOCK]; CHUNK]);
        let mut ws = Box::new([[0u16; BLOCK]; CHUNK]);
        let wide = wide && wide_vectors();
        for r0 in (0..padded).step_by(BLOCK) {
            let mut b = Block {
                by_unit: &by_unit,
                bits: &mut bits,
                wi: &mut wi,
                w: &mut w,
                ws: &mut ws,
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
        }
        let whole = |i: &[u32], s: &[u16]| -> Vec<f64> {
            if !i.is_empty() {
                i[..self.reps].iter().map(|&v| f64::from(v)).collect()
            } else if !s.is_empty() {
                s[..self.reps].iter().map(|&v| f64::from(v)).collect()
            } else {
                vec![0.0; self.reps]
            }
        };
        out.into_iter()
            .zip(&iout)
            .zip(&sout)
            .map(|((mut o, i), s)| {
                if o.is_empty() {
                    whole(i, s)
                } else {
                    o.truncate(self.reps);
                    o
                }
            })
            .collect()
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
        // Many chunks of units: columns over 1,000 units, every third unit without an
        // entry in any column (no stream), one column unsorted.
        let wide_a: Vec<(usize, f64)> = (0..1000)
            .filter(|i| i % 3 != 2)
            .map(|i| (i, (i as f64 * 0.173).sin()))
            .collect();
        let wide_b: Vec<(usize, f64)> = (0..1000)
            .rev()
            .filter(|i| i % 3 == 0 && i % 7 != 0)
            .map(|i| (i, (1 + i % 4) as f64))
            .collect();
        let wide_c: Vec<(usize, f64)> = (0..1000)
            .filter(|i| i % 3 == 1)
            .map(|i| (i, 1.0 + (i == 700) as u8 as f64 * 99_999.0))
            .collect();
        for (n, reps) in [
            (50, 1),
            (50, 2),
            (50, 101),
            (50, 1001),
            (1000, 97),
            (1000, 64),
        ] {
            let mut cols = cols.clone();
            if n > 50 {
                cols.extend([wide_a.as_slice(), &wide_b, &wide_c]);
            }
            let rs = Resamples::new(n, reps, 7);
            let got = rs.sum_replicates_many(&cols);
            assert_eq!(bits(&got), reference(&rs, &cols), "n {n} reps {reps}");
            assert!(got[3].iter().all(|&x| x == 0.0));
            assert!(got.iter().all(|c| c.len() == reps));
            // The plain path, and the 256-bit one where this CPU has it, give the same
            // bits.
            for wide in [false, super::wide_vectors()] {
                let got = rs.sum_replicates_many_with(&cols, wide);
                assert_eq!(
                    bits(&got),
                    reference(&rs, &cols),
                    "n {n} reps {reps} wide {wide}"
                );
            }
        }
        let rs = Resamples::new(50, 101, 7);
        let rev: Vec<(usize, f64)> = c.iter().rev().copied().collect();
        let r = rs.sum_replicates(&rev);
        assert_eq!(r, rs.sum_replicates(&c));
    }
}
