//! Permutation tests one at a time ([`Run`]) and many at once
//! ([`permutation_p_values`]): the draws of up to four tests stepped together, each
//! test's stream, shuffle and sums exactly those of
//! [`permutation_p_value_sequential`](super::permutation_p_value_sequential).

#[cfg(target_arch = "x86_64")]
use super::jump::Jump;
use super::resample::{ratio_of_sums, Rng};
#[cfg(target_arch = "x86_64")]
use super::resample::{set_states4, states4, xoshiro4};

/// The middle product of Lemire's multiply of four 64-bit draws `$x` by four counts
/// `$n` below 2³² (in vector lanes): `x_hi · n + (x_lo · n >> 32)`, whose top 32 bits
/// are those of `x · n >> 64` (the draw below `n`) and whose low 32 bits are the top
/// ones of the product's low 64 bits (zero whenever Lemire's rejection may apply).
#[cfg(target_arch = "x86_64")]
macro_rules! lemire4 {
    ($x:expr, $n:expr) => {{
        let (x, n) = ($x, $n);
        let low = _mm256_mul_epu32(x, n);
        let high = _mm256_mul_epu32(_mm256_srli_epi64::<32>(x), n);
        _mm256_add_epi64(high, _mm256_srli_epi64::<32>(low))
    }};
}

/// One two-sided permutation test: the arguments of
/// [`permutation_p_value_sequential`](super::permutation_p_value_sequential).
#[derive(Debug, Clone, Copy)]
pub struct PermutationTest<'a> {
    /// Units `(sum, weight)` of group A.
    pub a: &'a [(f64, f64)],
    /// Units of group B.
    pub b: &'a [(f64, f64)],
    /// Permutations at most.
    pub reps: usize,
    /// Stop after this many permutations at least as extreme as the observed
    /// difference (0: never).
    pub stop_after: usize,
    /// Seed of the test's stream ([`Rng::new`]).
    pub seed: u64,
}

/// The p-value of every test, in order: `permutation_p_value_sequential(t.a, t.b,
/// t.reps, t.stop_after, t.seed)` of each `t`, bit for bit.
///
/// Each test is its own sequential stream (one xoshiro step, Lemire's bounded draw
/// and one swap a unit drawn, at about 26 instructions); where the CPU has AVX2 the
/// streams of up to four tests are stepped together on 256-bit vectors
/// (`lanes_avx2`), and each test's shuffle and sums are still its own, in its order.
///
/// ```
/// use duibi::stats::{permutation_p_value_sequential, permutation_p_values, PermutationTest};
/// let a: Vec<(f64, f64)> = (0..30).map(|i| ((i % 5) as f64, 1.0)).collect();
/// let b: Vec<(f64, f64)> = (0..20).map(|i| (1.0 + (i % 4) as f64, 1.0)).collect();
/// let tests: Vec<PermutationTest> = (0..6)
///     .map(|seed| PermutationTest { a: &a, b: &b, reps: 999, stop_after: 50, seed })
///     .collect();
/// let ps = permutation_p_values(&tests);
/// for (t, p) in tests.iter().zip(&ps) {
///     assert_eq!(*p, permutation_p_value_sequential(&a, &b, 999, 50, t.seed));
/// }
/// ```
pub fn permutation_p_values(tests: &[PermutationTest]) -> Vec<f64> {
    let mut out = vec![f64::NAN; tests.len()];
    let mut runs = Vec::new();
    for (i, t) in tests.iter().enumerate() {
        match Run::start(t) {
            Ok(run) => runs.push((i, run)),
            Err(p) => out[i] = p,
        }
    }
    #[cfg(target_arch = "x86_64")]
    if runs.len() >= MIN_BUSY && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU runs AVX2 (checked just above).
        runs = unsafe { lanes_avx2::<32>(runs, &mut out) };
    }
    for (i, run) in runs {
        out[i] = run.finish();
    }
    out
}

/// The fewest tests the lanes of [`lanes_avx2`] run: with two, a step of the four
/// lanes (about 59 instructions) costs more than two draws one at a time (about 26
/// each).
const MIN_BUSY: usize = 3;

/// A permutation test under way: the pooled units as the shuffle has left them, the
/// stream, the permutations judged so far, and the one being drawn.
pub(super) struct Run {
    /// Both groups' units, A's first, shuffled in place.
    pool: Vec<(f64, f64)>,
    /// Units drawn a permutation (those of the smaller group).
    k: usize,
    /// Whether the drawn units stand for A (A is the smaller group, or as large).
    draws_a: bool,
    /// `(Σ sum, Σ weight)` of the pool.
    total: (f64, f64),
    /// `|observed difference| · (1 − 1e-12)`: a permutation this far apart counts.
    threshold: f64,
    /// Extreme permutations at which the test stops (`u64::MAX`: never).
    stop: u64,
    reps: usize,
    /// Extreme permutations so far.
    count: u64,
    /// Permutations judged so far.
    judged: usize,
    rng: Rng,
    /// Units drawn so far of the permutation under way, and their sums in the order
    /// drawn.
    at: usize,
    part: (f64, f64),
}

impl Run {
    /// The test ready to draw, or its p-value when no permutation needs drawing (NaN
    /// for an empty group or one of zero weight; 1 for a zero difference or no
    /// permutations).
    pub(super) fn start(t: &PermutationTest) -> Result<Run, f64> {
        let observed = ratio_of_sums(t.a) - ratio_of_sums(t.b);
        if observed.is_nan() {
            return Err(f64::NAN);
        }
        let threshold = observed.abs() * (1.0 - 1e-12);
        if threshold == 0.0 {
            // Every permutation is at least as extreme as a zero difference: the count
            // would be `reps`, and the p-value 1.
            return Err(1.0);
        }
        if t.reps == 0 {
            return Err(1.0);
        }
        let pool: Vec<(f64, f64)> = t.a.iter().chain(t.b).copied().collect();
        let n_a = t.a.len();
        // Only the smaller group is drawn (a partial Fisher–Yates shuffle gives a
        // uniform random subset of its size); the other group's sums are the rest of
        // the totals.
        let k = n_a.min(pool.len() - n_a);
        let total = pool
            .iter()
            .fold((0.0, 0.0), |acc, u| (acc.0 + u.0, acc.1 + u.1));
        Ok(Run {
            k,
            draws_a: k == n_a,
            total,
            threshold,
            // With no stop, a count no permutation run can reach.
            stop: if t.stop_after == 0 {
                u64::MAX
            } else {
                t.stop_after as u64
            },
            reps: t.reps,
            count: 0,
            judged: 0,
            rng: Rng::new(t.seed),
            at: 0,
            part: (0.0, 0.0),
            pool,
        })
    }

    /// Judges the permutation whose drawn units sum to `(s, w)`; the p-value when the
    /// test ends with it (the `stop`-th extreme permutation, or the last).
    #[inline]
    fn judge(&mut self, (s, w): (f64, f64)) -> Option<f64> {
        self.judged += 1;
        let (rs, rw) = (self.total.0 - s, self.total.1 - w);
        let (mean_k, mean_rest) = (s / w, rs / rw);
        let d = if self.draws_a {
            mean_k - mean_rest
        } else {
            mean_rest - mean_k
        };
        if d.is_nan() || d.abs() >= self.threshold {
            self.count += 1;
            if self.count == self.stop {
                return Some(self.stop as f64 / self.judged as f64);
            }
        }
        (self.judged == self.reps).then(|| (self.count as f64 + 1.0) / (self.reps as f64 + 1.0))
    }

    /// The rest of the test: its p-value. One permutation at a time, or, for long
    /// tests where the CPU has AVX2, a chunk of permutations at a time whose draws are
    /// taken on four lanes ([`Split`]).
    pub(super) fn finish(mut self) -> f64 {
        #[cfg(target_arch = "x86_64")]
        let mut split = Split::worth(&self);
        loop {
            #[cfg(target_arch = "x86_64")]
            if let Some(sp) = split.as_mut() {
                if self.at == 0 && self.reps - self.judged >= LANES * sp.per_lane {
                    // SAFETY: `Split::worth` found AVX2.
                    if let Some(p) = unsafe { sp.chunk_avx2::<32>(&mut self) } {
                        return p;
                    }
                    continue;
                }
            }
            if let Some(p) = self.one() {
                return p;
            }
        }
    }

    /// The rest of the permutation under way (or a whole one), judged.
    fn one(&mut self) -> Option<f64> {
        let (s, w) = draw_rest(&mut self.pool, self.at, self.k, self.part, &mut self.rng);
        (self.at, self.part) = (0, (0.0, 0.0));
        self.judge((s, w))
    }
}

/// Lanes of the 256-bit vectors: four streams of 64 bits.
const LANES: usize = 4;

/// Draws a lane takes a chunk of [`Split`] (a chunk's units are drawn `k` at a time,
/// so a lane's share is the whole permutations nearest this from above).
const SPLIT_DRAWS: usize = 1 << 14;

/// The fewest units a permutation draws for [`Split`] to be used.
const SPLIT_MIN_K: usize = 64;

/// One long test's draws taken four streams at a time: a chunk of `4 × per_lane`
/// permutations is split in four runs of the stream, lane `q` starting `q · d` steps
/// ahead (`d = per_lane · k`, reached by a [`Jump`]), its draws (Lemire's, with the
/// counts of units left the permutations' positions give) stored; then the
/// permutations are shuffled and summed one after another from the stored draws,
/// as [`draw_rest`] would from the stream.
#[cfg(target_arch = "x86_64")]
struct Split {
    jump: Jump,
    per_lane: usize,
    draws: Vec<u32>,
}

#[cfg(target_arch = "x86_64")]
impl Split {
    /// A split for `run`, when it is long enough to pay and the CPU runs AVX2.
    fn worth(run: &Run) -> Option<Split> {
        let per_lane = SPLIT_DRAWS.div_ceil(run.k.max(1));
        let long = run.k >= SPLIT_MIN_K
            && run.pool.len() <= u32::MAX as usize
            && run.reps - run.judged >= 2 * LANES * per_lane;
        (long && std::arch::is_x86_feature_detected!("avx2")).then(|| Split {
            jump: Jump::new((per_lane * run.k) as u64),
            per_lane,
            draws: vec![0; LANES * per_lane * run.k],
        })
    }

    /// The next `4 × per_lane` permutations of `run` (at a permutation's start),
    /// judged: the p-value if the test ends among them. A chunk whose draws might
    /// need Lemire's rejection (a middle product with 32 low zero bits: about once
    /// in 2³² draws) is drawn again one permutation at a time, from where it began.
    ///
    /// `LOW` is 32 (the tests take more, to draw chunks again often: see
    /// [`draws4_avx2`]).
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    unsafe fn chunk_avx2<const LOW: i32>(&mut self, run: &mut Run) -> Option<f64> {
        let d = self.per_lane * run.k;
        let r0 = run.rng.clone();
        let r1 = self.jump.apply(&r0);
        let r2 = self.jump.apply(&r1);
        let r3 = self.jump.apply(&r2);
        let mut rngs = [r0, r1, r2, r3];
        let n = run.pool.len() as u64;
        if draws4_avx2::<LOW>(&mut rngs, n, run.k, &mut self.draws[..LANES * d]) {
            for _ in 0..LANES * self.per_lane {
                if let Some(p) = run.one() {
                    return Some(p);
                }
            }
            return None;
        }
        let [_, _, _, last] = rngs;
        run.rng = last;
        for q in 0..LANES {
            for perm in 0..self.per_lane {
                let sums = shuffle_from(&mut run.pool, run.k, &self.draws, q, perm * run.k);
                if let Some(p) = run.judge(sums) {
                    return Some(p);
                }
            }
        }
        None
    }
}

/// One permutation of `k` units from stored draws (lane `q`'s, from its step `t0`:
/// `draws[4 t + q]`), as [`draw_rest`] from the stream: the same swaps, the sums in
/// the same order.
#[cfg(target_arch = "x86_64")]
#[inline]
fn shuffle_from(
    pool: &mut [(f64, f64)],
    k: usize,
    draws: &[u32],
    q: usize,
    t0: usize,
) -> (f64, f64) {
    let (mut s, mut w) = (0.0, 0.0);
    let k = k.min(pool.len());
    let mine = draws.get(LANES * t0..LANES * (t0 + k)).unwrap_or_default();
    let mut at = pool.as_mut_ptr();
    for four in mine.chunks_exact(LANES) {
        let r = four[q] as usize;
        // SAFETY: the draw at the `i`-th place of a permutation is Lemire's for
        // `n − i` units (`draws4_avx2`), so below it: `at + r` is a unit of `pool`,
        // as in `draw_rest`; `at` steps to at most `k ≤ n`.
        let drawn = unsafe { swap_in(&mut at, r) };
        s += drawn.0;
        w += drawn.1;
    }
    (s, w)
}

/// Lane `q` of `rngs` stepped `draws.len() / 4` times: each step's draw below the
/// count of units left at its place in a permutation of `k` of `n` units (`n − i` at
/// place `i = step mod k`; Lemire's multiply, the top 64 bits of the product) to
/// `draws[4 · step + q]`. Whether some draw might need Lemire's rejection (its middle
/// product has 32 low zero bits; with `LOW` above 32, its low `64 − LOW` bits), in
/// which case the draws may not be those of the stream.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn draws4_avx2<const LOW: i32>(
    rngs: &mut [Rng; LANES],
    n: u64,
    k: usize,
    draws: &mut [u32],
) -> bool {
    use std::arch::x86_64::*;
    let [mut s0, mut s1, mut s2, mut s3] = states4([&rngs[0], &rngs[1], &rngs[2], &rngs[3]]);
    let all = _mm256_set1_epi64x(n as i64);
    let one = _mm256_set1_epi64x(1);
    let zero = _mm256_setzero_si256();
    let low_halves = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    let mut maybe = zero;
    let mut left = all;
    let mut i = 0;
    for four in draws.chunks_exact_mut(LANES) {
        let x = xoshiro4!(s0, s1, s2, s3);
        let mid = lemire4!(x, left);
        maybe = _mm256_or_si256(
            maybe,
            _mm256_cmpeq_epi64(_mm256_slli_epi64::<LOW>(mid), zero),
        );
        let r = _mm256_permutevar8x32_epi32(_mm256_srli_epi64::<32>(mid), low_halves);
        // SAFETY: `four` is four writable `u32`s (16 bytes); the store needs no
        // alignment.
        _mm_storeu_si128(
            four.as_mut_ptr().cast::<__m128i>(),
            _mm256_castsi256_si128(r),
        );
        i += 1;
        left = _mm256_sub_epi64(left, one);
        if i == k {
            i = 0;
            left = all;
        }
    }
    let [r0, r1, r2, r3] = rngs;
    set_states4([s0, s1, s2, s3], [r0, r1, r2, r3]);
    _mm256_testz_si256(maybe, maybe) == 0
}

/// Units `from..k` of one permutation: a partial Fisher–Yates shuffle that moves
/// uniformly drawn units to the front of `pool` (for `i` in `from..k`, the unit at
/// `i + r`, `r` uniform in `0..n − i`, swaps places with the unit at `i`), their sums
/// `(Σ sum, Σ weight)` added to `part` in the order drawn. `pool` is left as the
/// shuffle leaves it: the next permutation starts from there. Needs `from ≤ k ≤
/// pool.len()`.
///
/// The loop walks a pointer and a count of the units left instead of indexing the
/// slice: each draw costs about 25 instructions instead of 33 (no bounds checks, no
/// index arithmetic), with the same draws, swaps and additions.
#[inline]
pub(super) fn draw_rest(
    pool: &mut [(f64, f64)],
    from: usize,
    k: usize,
    part: (f64, f64),
    rng: &mut Rng,
) -> (f64, f64) {
    let (mut s, mut w) = part;
    let k = k.min(pool.len());
    let from = from.min(k);
    let mut left = (pool.len() - from) as u64;
    // SAFETY: `from ≤ pool.len()`: at most one past the end.
    let mut at = unsafe { pool.as_mut_ptr().add(from) };
    for _ in from..k {
        // `left = n − i ≥ 1` units are not drawn yet, from `at` (= `&pool[i]`) on.
        let r = rng.below_nonzero(left) as usize;
        // SAFETY: `at` points at unit `i < k ≤ n` of `pool`, and `r < left = n − i`
        // (Lemire's draw is below its bound), so `at + r` is a unit of `pool` too;
        // `at` steps to unit `i + 1 ≤ n`, at most one past the end, never read there.
        let drawn = unsafe { swap_in(&mut at, r) };
        left -= 1;
        s += drawn.0;
        w += drawn.1;
    }
    (s, w)
}

/// The unit `r` places after `*at` swapped with the unit at `*at`, and `*at` stepped to
/// the next: the drawn unit (kept in a register for the sums).
///
/// # Safety
/// `*at` and `*at + r` must be units of one slice.
#[inline(always)]
#[allow(clippy::manual_swap)] // written out: the drawn unit stays in a register
unsafe fn swap_in(at: &mut *mut (f64, f64), r: usize) -> (f64, f64) {
    let there = at.add(r);
    let drawn = *there;
    *there = **at;
    **at = drawn;
    *at = at.add(1);
    drawn
}

/// Runs the tests of `runs` four at a time, each in a lane of 256-bit vectors, and
/// writes their p-values to `out` (by the index each run carries). A lane whose test
/// ends takes the next; once fewer than [`MIN_BUSY`] lanes have a test, the rest (the tests
/// still under way, mid-permutation, and any too large for the lanes) are returned
/// to be finished one at a time.
///
/// A step draws one unit in every lane: the four streams' xoshiro steps on vectors
/// (multiplications by 5 and 9 as shifts and adds), Lemire's product of each draw
/// with its lane's count of units left from 32-bit products (the counts are below
/// 2³²), and each lane's swap and sums in scalar code. Lemire's rejection can only
/// happen when the low 32 bits of the middle product are zero (about once in 2³²
/// draws): such a step redraws those lanes exactly as [`Rng::below`] does. `LOW` is
/// 32: a step is drawn again in scalar code when the low `64 − LOW` bits of a middle
/// product are zero (the tests take more, to go that way often).
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn lanes_avx2<const LOW: i32>(
    runs: Vec<(usize, Run)>,
    out: &mut [f64],
) -> Vec<(usize, Run)> {
    use std::arch::x86_64::*;
    // Counts of units left must fit the 32-bit products.
    let (mut queue, mut rest): (Vec<_>, Vec<_>) = runs
        .into_iter()
        .partition(|(_, r)| r.pool.len() <= u32::MAX as usize);
    queue.reverse();
    // A lane without a test draws from one unit of its own (`left` 1, so `r` is 0,
    // and `at` never moves): its stream, swap and sums are never read.
    let mut idle = [[0.0f64; 2]; LANES];
    // The lanes in memory, between runs of the loop: xoshiro's state words (word,
    // lane), the units left, where a permutation ends (`left` at its end; never for an
    // idle lane), what `left` falls by a step, where each lane draws, the sums, and
    // how far `at` moves a step.
    let mut st = [[0u64; LANES]; 4];
    for (l, r) in [Rng::new(1), Rng::new(2), Rng::new(3), Rng::new(4)]
        .iter()
        .enumerate()
    {
        for (word, v) in st.iter_mut().zip(r.s) {
            word[l] = v;
        }
    }
    let mut left = [1u64; LANES];
    let mut end = [u64::MAX; LANES];
    let mut dec = [0u64; LANES];
    let mut at: [*mut f64; LANES] = [std::ptr::null_mut(); LANES];
    for (a, u) in at.iter_mut().zip(idle.iter_mut()) {
        *a = u.as_mut_ptr();
    }
    let mut sums = [[0.0f64; 2]; LANES];
    let mut step = [0usize; LANES];
    let mut lanes: [Option<(usize, Run)>; LANES] = [None, None, None, None];
    let mut busy = 0;

    // Puts a run in lane `l` (idle), where it left off.
    macro_rules! load {
        ($l:expr, $run:expr) => {{
            let (i, mut run): (usize, Run) = $run;
            let l = $l;
            for w in 0..4 {
                st[w][l] = run.rng.s[w];
            }
            let n = run.pool.len();
            left[l] = (n - run.at) as u64;
            end[l] = (n - run.k) as u64;
            dec[l] = 1;
            at[l] = run.pool.as_mut_ptr().add(run.at).cast::<f64>();
            sums[l] = [run.part.0, run.part.1];
            step[l] = 2;
            lanes[l] = Some((i, run));
            busy += 1;
        }};
    }
    // Takes lane `l`'s run out (as it stands, mid-permutation) and leaves it idle.
    macro_rules! unload {
        ($l:expr) => {{
            let l = $l;
            lanes[l].take().map(|(i, mut run)| {
                for w in 0..4 {
                    run.rng.s[w] = st[w][l];
                }
                let base = run.pool.as_mut_ptr().cast::<f64>();
                run.at = (at[l].offset_from(base) / 2) as usize;
                run.part = (sums[l][0], sums[l][1]);
                left[l] = 1;
                end[l] = u64::MAX;
                dec[l] = 0;
                at[l] = idle[l].as_mut_ptr();
                step[l] = 0;
                busy -= 1;
                (i, run)
            })
        }};
    }
    for l in 0..LANES {
        if let Some(run) = queue.pop() {
            load!(l, run);
        }
    }

    let ld = |a: &[u64; LANES]| _mm256_loadu_si256(a.as_ptr().cast::<__m256i>());
    let sto = |a: &mut [u64; LANES], v: __m256i| {
        _mm256_storeu_si256(a.as_mut_ptr().cast::<__m256i>(), v);
    };
    let zero = _mm256_setzero_si256();
    while busy >= MIN_BUSY {
        let (mut s0, mut s1, mut s2, mut s3) = (ld(&st[0]), ld(&st[1]), ld(&st[2]), ld(&st[3]));
        let (mut vleft, vend, vdec) = (ld(&left), ld(&end), ld(&dec));
        let (mut a0, mut a1, mut a2, mut a3) = (at[0], at[1], at[2], at[3]);
        let (step0, step1, step2, step3) = (step[0], step[1], step[2], step[3]);
        let mut m0 = _mm_loadu_pd(sums[0].as_ptr());
        let mut m1 = _mm_loadu_pd(sums[1].as_ptr());
        let mut m2 = _mm_loadu_pd(sums[2].as_ptr());
        let mut m3 = _mm_loadu_pd(sums[3].as_ptr());
        // Steps until some lane ends a permutation (or must redraw).
        let mut redraw = None;
        loop {
            let x = xoshiro4!(s0, s1, s2, s3);
            let mid = lemire4!(x, vleft);
            let r = _mm256_srli_epi64::<32>(mid);
            let maybe = _mm256_cmpeq_epi64(_mm256_slli_epi64::<LOW>(mid), zero);
            if _mm256_testz_si256(maybe, maybe) == 0 {
                let mut xs = [0u64; LANES];
                sto(&mut xs, x);
                redraw = Some(xs);
                // The step's swaps are left to the exact draws below; the streams
                // have stepped.
                sto(&mut st[0], s0);
                sto(&mut st[1], s1);
                sto(&mut st[2], s2);
                sto(&mut st[3], s3);
                break;
            }
            let mut off = [0u64; LANES];
            sto(&mut off, _mm256_slli_epi64::<4>(r));
            // Each lane's swap and sums (`draw_rest`'s loop body).
            macro_rules! lane {
                ($a:ident, $m:ident, $step:ident, $l:expr) => {
                    let there = $a.cast::<u8>().add(off[$l] as usize).cast::<f64>();
                    let drawn = _mm_loadu_pd(there);
                    _mm_storeu_pd(there, _mm_loadu_pd($a));
                    _mm_storeu_pd($a, drawn);
                    $m = _mm_add_pd($m, drawn);
                    $a = $a.add($step);
                };
            }
            lane!(a0, m0, step0, 0);
            lane!(a1, m1, step1, 1);
            lane!(a2, m2, step2, 2);
            lane!(a3, m3, step3, 3);
            vleft = _mm256_sub_epi64(vleft, vdec);
            let ended = _mm256_cmpeq_epi64(vleft, vend);
            if _mm256_testz_si256(ended, ended) == 0 {
                sto(&mut st[0], s0);
                sto(&mut st[1], s1);
                sto(&mut st[2], s2);
                sto(&mut st[3], s3);
                break;
            }
        }
        sto(&mut left, vleft);
        at = [a0, a1, a2, a3];
        _mm_storeu_pd(sums[0].as_mut_ptr(), m0);
        _mm_storeu_pd(sums[1].as_mut_ptr(), m1);
        _mm_storeu_pd(sums[2].as_mut_ptr(), m2);
        _mm_storeu_pd(sums[3].as_mut_ptr(), m3);
        if let Some(xs) = redraw {
            // This step's draws, exactly (`Rng::below_nonzero`): a lane whose low
            // product falls below its count may draw again from its own stream.
            // Then the step's swaps and sums, one lane at a time.
            for l in 0..LANES {
                let n = left[l];
                let mut m = u128::from(xs[l]) * u128::from(n);
                if lanes[l].is_some() && (m as u64) < n {
                    let mut rng = Rng {
                        s: [st[0][l], st[1][l], st[2][l], st[3][l]],
                    };
                    let threshold = n.wrapping_neg() % n;
                    while (m as u64) < threshold {
                        m = u128::from(rng.next_u64()) * u128::from(n);
                    }
                    for (word, v) in st.iter_mut().zip(rng.s) {
                        word[l] = v;
                    }
                }
                let r = (m >> 64) as usize;
                let a = at[l];
                let there = a.add(2 * r);
                let drawn = [*there, *there.add(1)];
                *there = *a;
                *there.add(1) = *a.add(1);
                *a = drawn[0];
                *a.add(1) = drawn[1];
                sums[l][0] += drawn[0];
                sums[l][1] += drawn[1];
                at[l] = a.add(step[l]);
                left[l] -= dec[l];
            }
        }
        // Lanes at the end of a permutation: judge it; go on, or take the next test.
        for l in 0..LANES {
            if left[l] != end[l] {
                continue;
            }
            let Some((i, run)) = lanes[l].as_mut() else {
                continue;
            };
            let i = *i;
            match run.judge((sums[l][0], sums[l][1])) {
                None => {
                    left[l] = run.pool.len() as u64;
                    at[l] = run.pool.as_mut_ptr().cast::<f64>();
                    sums[l] = [0.0, 0.0];
                }
                Some(p) => {
                    out[i] = p;
                    lanes[l] = None;
                    busy -= 1;
                    left[l] = 1;
                    end[l] = u64::MAX;
                    dec[l] = 0;
                    at[l] = idle[l].as_mut_ptr();
                    step[l] = 0;
                    sums[l] = [0.0, 0.0];
                    if let Some(next) = queue.pop() {
                        load!(l, next);
                    }
                }
            }
        }
    }
    for l in 0..LANES {
        rest.extend(unload!(l));
    }
    queue.reverse();
    rest.extend(queue);
    rest
}

#[cfg(test)]
mod tests {
    use super::super::resample::permutation_p_value_sequential;
    use super::super::resample::tests::SIZES;
    use super::*;

    /// A test's units of A and of B, permutations, stop and seed.
    type Case = (Vec<(f64, f64)>, Vec<(f64, f64)>, usize, usize, u64);

    /// `n` units `(sum, weight)`: weights 1 to 5 (0 for every 17th, whose
    /// permutations can have a zero weight), sums around `mu` a weight.
    fn units(rng: &mut Rng, n: usize, mu: f64) -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let w = if i % 17 == 16 { 0 } else { 1 + rng.below(5) };
                let s: f64 = (0..w).map(|_| mu + 2.0 * rng.next_f64() - 1.0).sum();
                (s, w as f64)
            })
            .collect()
    }

    /// Tests of every kind the batch meets: groups of one unit to hundreds, either
    /// one the smaller, far from and near significance, stopping and not, no
    /// permutations, a zero difference and an empty group.
    fn cases(seed: u64) -> Vec<Case> {
        let mut g = Rng::new(seed);
        let mut out = Vec::new();
        for (i, (na, nb, mu)) in SIZES
            .into_iter()
            .chain([(300, 310, 0.4), (15, 18, 0.0), (60, 5, 1.0)])
            .enumerate()
        {
            let a = units(&mut g, na, mu);
            let b = units(&mut g, nb, 0.0);
            let (reps, stop) = [(999, 20), (199, 0), (999, 100), (1, 1), (0, 5)][i % 5];
            out.push((a, b, reps, stop, seed ^ i as u64));
        }
        let z = vec![(0.0, 1.0), (0.0, 2.0)];
        out.push((z.clone(), z, 99, 5, 1));
        out.push((Vec::new(), vec![(1.0, 1.0)], 99, 5, 2));
        out
    }

    fn one_at_a_time(c: &[Case]) -> Vec<u64> {
        c.iter()
            .map(|(a, b, reps, stop, seed)| {
                permutation_p_value_sequential(a, b, *reps, *stop, *seed).to_bits()
            })
            .collect()
    }

    fn tests_of(c: &[Case]) -> Vec<PermutationTest<'_>> {
        c.iter()
            .map(|(a, b, reps, stop_after, seed)| PermutationTest {
                a,
                b,
                reps: *reps,
                stop_after: *stop_after,
                seed: *seed,
            })
            .collect()
    }

    #[test]
    fn the_batch_gives_the_bits_of_each_test_alone() {
        for seed in 0..4 {
            let c = cases(seed);
            let want = one_at_a_time(&c);
            let tests = tests_of(&c);
            // Every batch size, so lanes run idle, change tests and hand the last
            // ones over mid-permutation.
            for n in 0..=tests.len() {
                let got: Vec<u64> = permutation_p_values(&tests[..n])
                    .iter()
                    .map(|p| p.to_bits())
                    .collect();
                assert_eq!(got, want[..n], "seed {seed}, {n} tests");
            }
        }
    }

    /// The rest of `run` one permutation at a time, from the stream ([`draw_rest`]).
    fn one_by_one(mut run: Run) -> u64 {
        loop {
            if let Some(p) = run.one() {
                return p.to_bits();
            }
        }
    }

    /// Long tests (a permutation of 70 units and more), every kind of stop.
    fn long_cases() -> Vec<Case> {
        let mut g = Rng::new(99);
        let mut out = Vec::new();
        for (i, (na, nb, mu, reps, stop)) in [
            (100, 70, 0.3, 2000, 0),
            (300, 130, 0.2, 1500, 0),
            (250, 260, 0.0, 2000, 100),
            (200, 210, 0.04, 2000, 100),
            (400, 500, 0.1, 1999, 5),
        ]
        .into_iter()
        .enumerate()
        {
            let a = units(&mut g, na, mu);
            let b = units(&mut g, nb, 0.0);
            out.push((a, b, reps, stop, 7 + i as u64));
        }
        out
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn long_tests_drawn_in_four_runs_of_the_stream_give_its_bits() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let c = long_cases();
        for t in tests_of(&c) {
            let (Ok(run), Ok(again)) = (Run::start(&t), Run::start(&t)) else {
                panic!("a test to draw");
            };
            assert!(Split::worth(&run).is_some(), "{} units", run.k);
            assert_eq!(run.finish().to_bits(), one_by_one(again), "seed {}", t.seed);
        }
        // Chunks drawn again from their start (`LOW` 60: one step in 16 might
        // need a redraw, so every chunk is), and chunks begun mid-test.
        for t in tests_of(&c) {
            let (Ok(mut run), Ok(again)) = (Run::start(&t), Run::start(&t)) else {
                panic!("a test to draw");
            };
            let want = one_by_one(again);
            let _ = run.one();
            let mut sp = Split::worth(&run).expect("long");
            let got = loop {
                // SAFETY: AVX2 checked above.
                if let Some(p) = unsafe { sp.chunk_avx2::<60>(&mut run) } {
                    break p;
                }
                if run.reps - run.judged < LANES * sp.per_lane {
                    break run.finish();
                }
            };
            assert_eq!(got.to_bits(), want, "seed {}", t.seed);
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn steps_drawn_again_one_lane_at_a_time_give_the_same_bits() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        // With `LOW` 60 a step whose middle products have four low zero bits (one in
        // 16) goes the exact scalar way.
        for seed in 0..3 {
            let c = cases(seed + 10);
            let want = one_at_a_time(&c);
            let runs: Vec<(usize, Run)> = tests_of(&c)
                .iter()
                .enumerate()
                .filter_map(|(i, t)| Run::start(t).ok().map(|r| (i, r)))
                .collect();
            let mut out: Vec<f64> = c
                .iter()
                .map(|(a, b, reps, stop, seed)| {
                    let t = PermutationTest {
                        a,
                        b,
                        reps: *reps,
                        stop_after: *stop,
                        seed: *seed,
                    };
                    Run::start(&t).err().unwrap_or(f64::NAN)
                })
                .collect();
            // SAFETY: AVX2 checked above.
            let rest = unsafe { lanes_avx2::<60>(runs, &mut out) };
            assert!(rest.len() < MIN_BUSY);
            for (i, run) in rest {
                out[i] = run.finish();
            }
            let got: Vec<u64> = out.iter().map(|p| p.to_bits()).collect();
            assert_eq!(got, want, "seed {seed}");
        }
    }
}
