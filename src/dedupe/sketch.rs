//! Near-duplicate signatures: a bottom-k MinHash sketch of a document's character
//! shingles, and the similarity estimate of two sketches.
//!
//! A shingle is [`SHINGLE_CHARS`] consecutive letters or digits of the text,
//! lowercased, with spaces and punctuation skipped, so the same article set in other
//! lines, spacing or punctuation has the same shingles, in Chinese and in English
//! alike. The sketch keeps the [`SKETCH_SIZE`] smallest distinct 32-bit hashes of
//! them; the share of the union's smallest `k` values that both sketches hold
//! estimates the Jaccard similarity of the two shingle sets (Broder 1997). Hashes are
//! fixed functions of the text: no seed, so every partition and machine agrees.

use super::fold::Classes;
use super::passage::mix;
use crate::config::{SHINGLE_CHARS, SKETCH_SIZE};

/// The sketch of `text`: at most [`SKETCH_SIZE`] hash values, sorted and distinct.
/// No allocation per character: the characters wait in a fixed block to be hashed.
///
/// ```
/// use duibi::dedupe::sketch::{similarity, sketch};
/// let a = sketch("The crackdown pushed miners to Texas, where power is cheap and plentiful.");
/// let b = sketch("THE CRACKDOWN pushed miners to Texas — where power is cheap and plentiful!");
/// assert_eq!(a, b);
/// assert_eq!(similarity(&a, &b), 1.0);
/// ```
pub fn sketch(text: &str) -> Vec<u32> {
    let (mut s, mut at) = Shingles::new();
    let k = Classes::get();
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                s.push(&mut at, c.to_ascii_lowercase());
            }
        } else if k.is_alnum(c) {
            k.lower(c, |l| s.push(&mut at, l));
        }
    }
    s.finish(at)
}

/// Polynomial rolling hash of the window (exact modulo 2^64), so each character
/// costs O(1) whatever the shingle length; `mix` spreads it.
const BASE: u64 = 0x0000_0100_0000_01b3;
/// `BASE` to the power of the window length: what the character leaving the window
/// weighs.
const DROP: u64 = {
    let mut p = 1u64;
    let mut i = 0;
    while i < SHINGLE_CHARS {
        p = p.wrapping_mul(BASE);
        i += 1;
    }
    p
};

/// Characters [`Shingles`] holds before it hashes them: the windows are hashed a
/// block at a time, in a loop that does nothing else (the pass that feeds it stores
/// one value a character), with bounded memory whatever the text's length.
const BLOCK: usize = 256;
const _: () = assert!(BLOCK.is_power_of_two() && BLOCK > SHINGLE_CHARS);

/// The state of [`sketch`]: the characters not yet hashed after the last
/// [`SHINGLE_CHARS`] hashed, and what hashing the windows before left; how many
/// characters it holds is a [`Fill`] kept apart.
pub(super) struct Shingles {
    /// `c + 1` of characters: `codes[..SHINGLE_CHARS]` the last ones hashed (0 for
    /// places before the first character, which add nothing to the hash, so the hash
    /// of a window not yet full is that of its characters alone), then
    /// `codes[SHINGLE_CHARS..n]` those pushed since, `n` the [`Fill`].
    codes: [u32; BLOCK],
    /// Apart from the characters (only a slice of them goes out of line to be
    /// hashed, not the whole state).
    hashes: Hashes,
}

/// How many places of a [`Shingles`]' block are filled. The loop that feeds the
/// block keeps it as a local of its own, which the compiler holds in a register;
/// as a field of the block (whose address the hashing takes) it was loaded and
/// stored again at every character.
pub(super) struct Fill(usize);

/// The hash of the last window and the smallest hash values so far.
struct Hashes {
    /// Characters hashed so far (up to [`SHINGLE_CHARS`]: only whether the first
    /// window is full matters).
    hashed: usize,
    /// The polynomial hash of the last window rolled (the path without
    /// [`Hashes::direct`]).
    h: u64,
    /// The smallest values so far.
    out: Kept,
    /// The largest value kept once [`SKETCH_SIZE`] are (values at or above it cannot
    /// enter); above every `u32` before.
    bar: u64,
    /// Room for the polynomial hashes of a block's windows (here, not on the stack of
    /// each call, so that it is not zeroed again for every block).
    rolled: [u64; BLOCK],
    /// Whether the windows are hashed with 512-bit vectors ([`windows_avx512`]),
    /// each from its own characters, instead of rolled ([`widest_vectors`]; a field
    /// so that a test can take either path).
    direct: bool,
}

/// The smallest distinct values so far: the first `n` places of `vals`, sorted, the
/// places after them `u32::MAX` (so the array is sorted and a value entered takes
/// its place the same way whether [`SKETCH_SIZE`] values are kept or fewer: no
/// search of a shorter list, no call to move memory).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kept {
    vals: [u32; SKETCH_SIZE],
    n: usize,
}

impl Kept {
    /// None kept.
    fn new() -> Self {
        Kept {
            vals: [u32::MAX; SKETCH_SIZE],
            n: 0,
        }
    }

    /// The values kept.
    fn values(&self) -> &[u32] {
        self.vals.get(..self.n).unwrap_or_default()
    }

    /// The bar: the largest value kept once [`SKETCH_SIZE`] are, else above every
    /// `u32`.
    #[inline(always)]
    fn bar(&self) -> u64 {
        if self.n == SKETCH_SIZE {
            u64::from(self.vals[SKETCH_SIZE - 1])
        } else {
            u64::MAX
        }
    }

    /// Enters `u32::MAX`, which the places after the values hold already (entered
    /// only while fewer than [`SKETCH_SIZE`] are kept: it is never below a bar):
    /// kept unless it is (as the largest value, the last one).
    #[cold]
    fn enter_max(&mut self) -> u64 {
        if self.n < SKETCH_SIZE && self.values().last() != Some(&u32::MAX) {
            self.n += 1;
        }
        self.bar()
    }
}

/// Puts `v` (below the bar) into the sorted, distinct values kept (unless there
/// already), keeps the [`SKETCH_SIZE`] smallest and returns the new bar.
#[inline(never)]
fn enter(out: &mut Kept, v: u32) -> u64 {
    if v == u32::MAX {
        return out.enter_max();
    }
    // Its place by halving a range of fixed, power-of-two length, without branches
    // (the last place holds a value above `v`: the bar or `u32::MAX`). The mask
    // changes no index (all are below SKETCH_SIZE) but spares the bounds checks.
    const MASK: usize = SKETCH_SIZE - 1;
    let full = &mut out.vals;
    let mut at = 0;
    let mut step = SKETCH_SIZE / 2;
    while step > 0 {
        if full[(at + step - 1) & MASK] < v {
            at += step;
        }
        step /= 2;
    }
    if full[at & MASK] != v {
        full.copy_within(at..MASK, at + 1);
        full[at & MASK] = v;
        out.n = (out.n + 1).min(SKETCH_SIZE);
    }
    out.bar()
}

const _: () = assert!(SKETCH_SIZE.is_power_of_two());

impl Shingles {
    /// No character yet, and its fill.
    pub(super) fn new() -> (Self, Fill) {
        let s = Shingles {
            codes: [0; BLOCK],
            hashes: Hashes {
                hashed: 0,
                h: 0,
                out: Kept::new(),
                bar: u64::MAX,
                rolled: [0; BLOCK],
                direct: widest_vectors(),
            },
        };
        (s, Fill(SHINGLE_CHARS))
    }

    /// The sketch of the characters pushed (`at` the fill [`new`](Self::new) gave,
    /// as the pushes left it).
    pub(super) fn finish(mut self, at: Fill) -> Vec<u32> {
        if let Some(codes) = self.codes.get_mut(..at.0) {
            self.hashes.hash(codes);
        }
        self.hashes.out.values().to_vec()
    }

    /// Adds one (lowercased letter or digit) character.
    #[inline(always)]
    pub(super) fn push(&mut self, at: &mut Fill, l: char) {
        self.push_code(at, u32::from(l));
    }

    /// [`push`](Self::push) of the character with code `l`.
    #[inline(always)]
    pub(super) fn push_code(&mut self, at: &mut Fill, l: u32) {
        // The fill is below BLOCK here (a full block is hashed at once), so the
        // mask changes nothing but spares a bounds check.
        self.codes[at.0 & (BLOCK - 1)] = l + 1;
        at.0 += 1;
        if at.0 == BLOCK {
            self.hashes.hash(&mut self.codes);
            at.0 = SHINGLE_CHARS;
        }
    }

    /// [`push_code`](Self::push_code) of `l` when `alnum`, else nothing, without a
    /// branch on `alnum`: the code is written at the next place either way, and the
    /// place is taken only for a letter or digit (a code written and not taken is
    /// overwritten by the next, or lies past the fill, which nothing reads).
    #[inline(always)]
    pub(super) fn push_code_if(&mut self, at: &mut Fill, l: u32, alnum: bool) {
        // The fill is below BLOCK here, as in `push_code`.
        self.codes[at.0 & (BLOCK - 1)] = l + 1;
        at.0 += usize::from(alnum);
        if at.0 == BLOCK {
            self.hashes.hash(&mut self.codes);
            at.0 = SHINGLE_CHARS;
        }
    }
}

impl Hashes {
    /// Hashes the window ending at each character of `codes` after the first
    /// [`SHINGLE_CHARS`] (those pushed since the last call, after the last ones
    /// hashed before), and moves the last [`SHINGLE_CHARS`] to the front for the
    /// windows to come.
    ///
    /// The polynomial hashes of the windows are rolled first, into a block of their
    /// own (one multiply-add chain); then their values ([`mix`]) are taken and
    /// compared with the bar four at a time with 256-bit vectors where the CPU has
    /// them ([`bottom_avx2`]), else one at a time ([`bottom`]): the same values,
    /// entered in the same order.
    ///
    /// Where the CPU has 512-bit vectors with 64-bit products, each window's hash is
    /// instead taken from its own characters, eight windows at a time, and its value
    /// compared with the bar in the same vector ([`windows_avx512`]): the same hashes
    /// (the polynomial is exact modulo 2^64), with no chain of products from one
    /// window to the next.
    #[inline(never)]
    fn hash(&mut self, codes: &mut [u32]) {
        if codes.len() < SHINGLE_CHARS {
            return;
        }
        // While the first window is not full, its hashes are not values.
        let warm = (SHINGLE_CHARS - 1).saturating_sub(self.hashed);
        if self.direct {
            #[cfg(target_arch = "x86_64")]
            {
                let first = SHINGLE_CHARS + warm;
                // SAFETY: `direct` is set only where the CPU runs AVX-512F, DQ and BW.
                self.bar = unsafe { windows_avx512(codes, first, self.bar, &mut self.out) };
                // (`h` is the rolling path's alone: `direct` does not change.)
                self.end_block(codes);
                return;
            }
        }
        let mut h = self.h;
        let mut j = SHINGLE_CHARS;
        while j < codes.len() && j < SHINGLE_CHARS + warm {
            h = h
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(codes[j]))
                .wrapping_sub(u64::from(codes[j - SHINGLE_CHARS]).wrapping_mul(DROP));
            j += 1;
        }
        // Each window: the character leaving it is SHINGLE_CHARS before the one
        // entering.
        let entering = codes.get(j..).unwrap_or_default();
        let mut n = 0;
        for ((&leaving, &x), slot) in codes[j - SHINGLE_CHARS..]
            .iter()
            .zip(entering)
            .zip(self.rolled.iter_mut())
        {
            h = h
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(x))
                .wrapping_sub(u64::from(leaving).wrapping_mul(DROP));
            *slot = h;
            n += 1;
        }
        let rolled = &self.rolled[..n];
        #[cfg(target_arch = "x86_64")]
        let bar = if wide_vectors() {
            // SAFETY: the CPU runs AVX2 (checked just above).
            unsafe { bottom_avx2(rolled, self.bar, &mut self.out) }
        } else {
            bottom(rolled, self.bar, &mut self.out)
        };
        #[cfg(not(target_arch = "x86_64"))]
        let bar = bottom(rolled, self.bar, &mut self.out);
        self.bar = bar;
        self.h = h;
        self.end_block(codes);
    }

    /// Counts the characters of a block hashed, and moves its last [`SHINGLE_CHARS`]
    /// to the front for the windows to come.
    #[inline(always)]
    fn end_block(&mut self, codes: &mut [u32]) {
        self.hashed = self.hashed.saturating_add(codes.len() - SHINGLE_CHARS);
        codes.copy_within(codes.len() - SHINGLE_CHARS.., 0);
    }
}

/// `BASE` to the powers `0..SHINGLE_CHARS`: what each character of a window weighs,
/// the newest 1.
const POWERS: [u64; SHINGLE_CHARS] = {
    let mut p = [1u64; SHINGLE_CHARS];
    let mut i = 1;
    while i < SHINGLE_CHARS {
        p[i] = p[i - 1].wrapping_mul(BASE);
        i += 1;
    }
    p
};

/// The polynomial hash of the window of `codes` ending at `j` (at least
/// `SHINGLE_CHARS - 1`), from its characters: what rolling gives.
#[inline(always)]
fn window(codes: &[u32], j: usize) -> u64 {
    codes[j + 1 - SHINGLE_CHARS..=j].iter().fold(0u64, |h, &c| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(c))
    })
}

/// Whether this CPU runs 512-bit vector code with 64-bit products
/// ([`windows_avx512`]): AVX-512F, DQ and BW (64-bit mask moves) on x86-64.
#[inline(always)]
fn widest_vectors() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512bw")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Enters the values of the windows of `codes` ending at `first..` (each at least
/// `SHINGLE_CHARS`), in order, into `out`, as [`bottom`] does with their rolled
/// hashes; returns the new bar. Eight windows a step, in 512-bit vectors: the hash
/// of each is the sum of its characters times [`POWERS`] (64-bit products), its
/// value ([`value`]) taken in the same vector and compared with the bar; only the
/// windows whose values are below it are entered, one by one in their order, each
/// checked again against the bar as it stands (a value at or above the bar before
/// the eight are entered is at or above it after). The last windows (fewer than
/// eight) are hashed one by one ([`window`]).
///
/// The vector code is written as assembly: the AVX-512 intrinsics need a newer Rust
/// than the crate's minimum (1.80).
///
/// # Safety
/// The CPU must run AVX-512F, DQ and BW.
#[cfg(target_arch = "x86_64")]
unsafe fn windows_avx512(codes: &[u32], first: usize, mut bar: u64, out: &mut Kept) -> u64 {
    // The assembly adds six characters a window.
    const _: () = assert!(SHINGLE_CHARS == 6);
    let mix = [MIX1, MIX2];
    let mut lanes = [0u64; 8];
    let mut j = first.max(SHINGLE_CHARS);
    while let Some(newest) = codes.get(j..j + 8) {
        // Values are below 2^32, so a bar above that lets all in.
        let limit = bar.min(1 << 32);
        let below: u32;
        // SAFETY: the CPU runs AVX-512F, DQ and BW (the caller's promise). The loads
        // read the eight codes `i` places before each window's newest, `i <
        // SHINGLE_CHARS <= j`, so `j - i .. j - i + 8` lies within `codes` (`j + 8`
        // is within it); six powers and two multipliers; the store writes the
        // eight values to `lanes` (64 bytes). The registers it writes (zmm0, zmm1,
        // k1, and the upper halves of all vector registers through `vzeroupper`) are
        // among those a C call may change, which `clobber_abi("C")` declares (the
        // vector registers up to zmm31 and the mask registers included, whatever the
        // target features the code around is built with).
        unsafe {
            std::arch::asm!(
                "vpmovzxdq zmm0, ymmword ptr [{p}]",
                "vpmovzxdq zmm1, ymmword ptr [{p} - 4]",
                "vpmullq zmm1, zmm1, qword ptr [{w} + 8]{{1to8}}",
                "vpaddq zmm0, zmm0, zmm1",
                "vpmovzxdq zmm1, ymmword ptr [{p} - 8]",
                "vpmullq zmm1, zmm1, qword ptr [{w} + 16]{{1to8}}",
                "vpaddq zmm0, zmm0, zmm1",
                "vpmovzxdq zmm1, ymmword ptr [{p} - 12]",
                "vpmullq zmm1, zmm1, qword ptr [{w} + 24]{{1to8}}",
                "vpaddq zmm0, zmm0, zmm1",
                "vpmovzxdq zmm1, ymmword ptr [{p} - 16]",
                "vpmullq zmm1, zmm1, qword ptr [{w} + 32]{{1to8}}",
                "vpaddq zmm0, zmm0, zmm1",
                "vpmovzxdq zmm1, ymmword ptr [{p} - 20]",
                "vpmullq zmm1, zmm1, qword ptr [{w} + 40]{{1to8}}",
                "vpaddq zmm0, zmm0, zmm1",
                // `value`: `mix` up to the top 32 bits of its last step.
                "vpsrlq zmm1, zmm0, 30",
                "vpxorq zmm0, zmm0, zmm1",
                "vpmullq zmm0, zmm0, qword ptr [{m}]{{1to8}}",
                "vpsrlq zmm1, zmm0, 27",
                "vpxorq zmm0, zmm0, zmm1",
                "vpmullq zmm0, zmm0, qword ptr [{m} + 8]{{1to8}}",
                "vpsrlq zmm1, zmm0, 32",
                "vpsrlq zmm0, zmm0, 63",
                "vpxorq zmm0, zmm0, zmm1",
                // The lanes below the limit (unsigned), and the values.
                "vpbroadcastq zmm1, {lim}",
                "vpcmpuq k1, zmm0, zmm1, 1",
                "kmovb eax, k1",
                "vmovdqu64 zmmword ptr [{o}], zmm0",
                "vzeroupper",
                p = in(reg) newest.as_ptr(),
                w = in(reg) POWERS.as_ptr(),
                m = in(reg) mix.as_ptr(),
                lim = in(reg) limit,
                o = in(reg) lanes.as_mut_ptr(),
                out("eax") below,
                clobber_abi("C"),
                options(nostack),
            );
        }
        if below != 0 {
            for (k, &v) in lanes.iter().enumerate() {
                if below & (1 << k) != 0 && v < bar {
                    // SAFETY: AVX-512F and BW, as above.
                    bar = unsafe { enter_avx512(out, v as u32) };
                }
            }
        }
        j += 8;
    }
    for j in j..codes.len() {
        let v = value(window(codes, j));
        if u64::from(v) < bar {
            // SAFETY: AVX-512F and BW, as above.
            bar = unsafe { enter_avx512(out, v) };
        }
    }
    bar
}

/// [`enter`] with 512-bit vectors, whether [`SKETCH_SIZE`] values are kept or fewer
/// (the places after them hold `u32::MAX`, which `v` is not: that value takes
/// [`Kept::enter_max`]): the values equal to `v` are looked for in all of them at
/// once; if none is, each
/// vector of the new values takes, lane by lane, the value kept there when it is
/// below `v` (the values are sorted), else the larger of `v` and the value one place
/// before (`v` at its place, the value before after it): no search and no call to
/// move memory. Assembly, as [`windows_avx512`].
///
/// # Safety
/// The CPU must run AVX-512F and BW.
#[cfg(target_arch = "x86_64")]
unsafe fn enter_avx512(out: &mut Kept, v: u32) -> u64 {
    // The assembly holds the sketch in four vectors of sixteen.
    const _: () = assert!(SKETCH_SIZE == 64);
    if v == u32::MAX {
        return out.enter_max();
    }
    let full = &mut out.vals;
    let entered: u8;
    // SAFETY: the CPU runs AVX-512F and BW (the caller's promise); the loads and stores
    // are the 256 bytes of `full`, all loaded before any is stored. The registers it
    // writes (zmm0 to zmm5, k1, k2, the upper halves through `vzeroupper`) are
    // declared by `clobber_abi("C")`, as in [`windows_avx512`]; `al` is its output.
    unsafe {
        std::arch::asm!(
            "vpbroadcastd zmm4, {v:e}",
            "vmovdqu32 zmm0, zmmword ptr [{f}]",
            "vmovdqu32 zmm1, zmmword ptr [{f} + 64]",
            "vmovdqu32 zmm2, zmmword ptr [{f} + 128]",
            "vmovdqu32 zmm3, zmmword ptr [{f} + 192]",
            "vpcmpeqd k1, zmm0, zmm4",
            "vpcmpeqd k2, zmm1, zmm4",
            "korw k1, k1, k2",
            "vpcmpeqd k2, zmm2, zmm4",
            "korw k1, k1, k2",
            "vpcmpeqd k2, zmm3, zmm4",
            "korw k1, k1, k2",
            "kortestw k1, k1",
            // Whether `v` is entered (no value equals it).
            "setz al",
            "jnz 2f",
            // Each vector: the one before's last lane shifted in (`v` before the
            // first), the larger of that and `v`, and the lanes below `v` kept.
            "valignd zmm5, zmm0, zmm4, 15",
            "vpmaxud zmm5, zmm5, zmm4",
            "vpcmpud k1, zmm0, zmm4, 1",
            "vpblendmd zmm5 {{k1}}, zmm5, zmm0",
            "vmovdqu32 zmmword ptr [{f}], zmm5",
            "valignd zmm5, zmm1, zmm0, 15",
            "vpmaxud zmm5, zmm5, zmm4",
            "vpcmpud k1, zmm1, zmm4, 1",
            "vpblendmd zmm5 {{k1}}, zmm5, zmm1",
            "vmovdqu32 zmmword ptr [{f} + 64], zmm5",
            "valignd zmm5, zmm2, zmm1, 15",
            "vpmaxud zmm5, zmm5, zmm4",
            "vpcmpud k1, zmm2, zmm4, 1",
            "vpblendmd zmm5 {{k1}}, zmm5, zmm2",
            "vmovdqu32 zmmword ptr [{f} + 128], zmm5",
            "valignd zmm5, zmm3, zmm2, 15",
            "vpmaxud zmm5, zmm5, zmm4",
            "vpcmpud k1, zmm3, zmm4, 1",
            "vpblendmd zmm5 {{k1}}, zmm5, zmm3",
            "vmovdqu32 zmmword ptr [{f} + 192], zmm5",
            "2:",
            "vzeroupper",
            v = in(reg) v,
            f = in(reg) full.as_mut_ptr(),
            out("al") entered,
            clobber_abi("C"),
            options(nostack),
        );
    }
    out.n = (out.n + usize::from(entered)).min(SKETCH_SIZE);
    out.bar()
}

/// The two multipliers of [`mix`], for the vector code that takes [`value`] itself.
const MIX1: u64 = 0xbf58_476d_1ce4_e5b9;
/// The second multiplier of [`mix`].
const MIX2: u64 = 0x94d0_49bb_1331_11eb;

/// The value of a window's polynomial hash `h`.
#[inline(always)]
fn value(h: u64) -> u32 {
    (mix(h) >> 32) as u32
}

/// Enters the values of the windows with polynomial hashes `rolled`, in order, into
/// `out` (the values kept, with `bar` above the largest once [`SKETCH_SIZE`] are);
/// returns the new bar.
fn bottom(rolled: &[u64], mut bar: u64, out: &mut Kept) -> u64 {
    for &h in rolled {
        let v = value(h);
        // At or above `bar` (the largest value kept, once SKETCH_SIZE are) nothing
        // enters.
        if u64::from(v) < bar {
            bar = enter(out, v);
        }
    }
    bar
}

/// Whether this CPU runs 256-bit vector code ([`bottom_avx2`]): AVX2 on x86-64
/// (detected once; the answer is cached by the standard library).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn wide_vectors() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

/// [`bottom`] with the values of eight windows taken at once (two vectors of four)
/// and compared with the bar: a window whose value is at or above the bar before the
/// eight are entered is at or above it after (the bar only falls), so only those of
/// the eight whose values are below it then are entered, one by one in their order,
/// each checked again against the bar as it stands: the same values entered in the same order as [`bottom`].
///
/// # Safety
/// The CPU must run AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn bottom_avx2(rolled: &[u64], mut bar: u64, out: &mut Kept) -> u64 {
    use std::arch::x86_64::*;
    // `a * c` modulo 2^64 on four lanes, from 32-bit products: `c` as its low and
    // high halves (each in the low half of every lane).
    macro_rules! mul {
        ($a:expr, $lo:expr, $hi:expr) => {{
            let a = $a;
            let cross = _mm256_add_epi64(
                _mm256_mul_epu32(_mm256_srli_epi64::<32>(a), $lo),
                _mm256_mul_epu32(a, $hi),
            );
            _mm256_add_epi64(_mm256_mul_epu32(a, $lo), _mm256_slli_epi64::<32>(cross))
        }};
    }
    let c1lo = _mm256_set1_epi64x((MIX1 & 0xFFFF_FFFF) as i64);
    let c1hi = _mm256_set1_epi64x((MIX1 >> 32) as i64);
    let c2lo = _mm256_set1_epi64x((MIX2 & 0xFFFF_FFFF) as i64);
    let c2hi = _mm256_set1_epi64x((MIX2 >> 32) as i64);
    // The values ([`value`]) of four polynomial hashes: `mix` up to the top 32 bits
    // of its last step, which are those of the product xored with its top bit.
    macro_rules! value4 {
        ($z:expr) => {{
            let z = $z;
            let z = _mm256_xor_si256(z, _mm256_srli_epi64::<30>(z));
            let z = mul!(z, c1lo, c1hi);
            let z = _mm256_xor_si256(z, _mm256_srli_epi64::<27>(z));
            let z = mul!(z, c2lo, c2hi);
            _mm256_xor_si256(_mm256_srli_epi64::<32>(z), _mm256_srli_epi64::<63>(z))
        }};
    }
    // Values are below 2^32, so a bar above that lets all in; as signed 64-bit
    // numbers both sides are then non-negative and the signed compare is exact.
    macro_rules! limit_of {
        ($bar:expr) => {
            _mm256_set1_epi64x($bar.min(1 << 32) as i64)
        };
    }
    let mut limit = limit_of!(bar);
    // Eight windows a step: two vectors of four, one test of both.
    let mut eights = rolled.chunks_exact(8);
    for q in &mut eights {
        // SAFETY: `q` holds eight u64 (64 bytes); the loads are unaligned.
        let lo = _mm256_loadu_si256(q.as_ptr().cast());
        let hi = _mm256_loadu_si256(q.as_ptr().add(4).cast());
        let (vlo, vhi) = (value4!(lo), value4!(hi));
        let blo = _mm256_cmpgt_epi64(limit, vlo);
        let bhi = _mm256_cmpgt_epi64(limit, vhi);
        if _mm256_testz_si256(_mm256_or_si256(blo, bhi), _mm256_or_si256(blo, bhi)) != 0 {
            continue;
        }
        let mut lanes = [0u64; 8];
        _mm256_storeu_si256(lanes.as_mut_ptr().cast(), vlo);
        _mm256_storeu_si256(lanes.as_mut_ptr().add(4).cast(), vhi);
        let below = _mm256_movemask_pd(_mm256_castsi256_pd(blo))
            | _mm256_movemask_pd(_mm256_castsi256_pd(bhi)) << 4;
        for (i, &v) in lanes.iter().enumerate() {
            if below & (1 << i) != 0 && v < bar {
                bar = enter(out, v as u32);
            }
        }
        limit = limit_of!(bar);
    }
    bottom(eights.remainder(), bar, out)
}

/// Whether a sketch is full (the document has at least [`SKETCH_SIZE`] distinct
/// shingles, about 70 letters): shorter texts are never called duplicates, so two
/// one-line reviews that happen to agree stay two documents.
pub fn is_full(s: &[u32]) -> bool {
    s.len() >= SKETCH_SIZE
}

/// Estimated Jaccard similarity of the shingle sets behind two sketches (0 when both
/// are empty): of the [`SKETCH_SIZE`] smallest values of their union, the share both
/// hold.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut n, mut both) = (0usize, 0usize, 0usize, 0usize);
    while n < SKETCH_SIZE {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                both += 1;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), Some(_)) | (None, Some(_)) => j += 1,
            (Some(_), None) => i += 1,
            (None, None) => break,
        }
        n += 1;
    }
    if n == 0 {
        0.0
    } else {
        both as f64 / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> String {
        (0..40)
            .map(|i| {
                format!(
                    "Sentence {i} about hash rate number {} moving abroad. ",
                    i * 7
                )
            })
            .collect()
    }

    #[test]
    fn a_reprint_with_a_line_added_is_similar() {
        let a = sketch(&article());
        let b = sketch(&format!("Reprinted from Example Wire.\n{}", article()));
        assert!(is_full(&a));
        assert!(similarity(&a, &b) >= 0.9, "{}", similarity(&a, &b));
    }

    #[test]
    fn different_texts_are_not() {
        let a = sketch(&article());
        let b = sketch(&"矿工把矿机运往海外，电价低廉。监管趋严，算力外流。".repeat(10));
        assert!(similarity(&a, &b) < 0.1);
    }

    /// The sketch by its definition: every window of SHINGLE_CHARS folded letters and
    /// digits hashed on its own, the SKETCH_SIZE smallest distinct values.
    fn by_definition(text: &str) -> Vec<u32> {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let mut all: Vec<u32> = chars
            .windows(SHINGLE_CHARS)
            .map(|w| {
                let h = w.iter().fold(0u64, |h, &c| {
                    h.wrapping_mul(BASE).wrapping_add(c as u64 + 1)
                });
                (mix(h) >> 32) as u32
            })
            .collect();
        all.sort_unstable();
        all.dedup();
        all.truncate(SKETCH_SIZE);
        all
    }

    #[test]
    fn the_rolling_sketch_equals_the_definition() {
        let texts = [
            String::new(),
            "abcde".into(),
            "abcdef".into(),
            "İstanbul ＡＢＣ１２３ 矿工把矿机运往海外".into(),
            article(),
            "比特币挖矿".repeat(40),
            (0..500).map(|i| format!("w{i} ")).collect(),
        ];
        for t in &texts {
            assert_eq!(sketch(t), by_definition(t), "{t:?}");
        }
    }

    /// [`sketch`] with the windows hashed from their characters (`direct`, where the
    /// CPU can) or rolled.
    fn sketch_by(text: &str, direct: bool) -> Vec<u32> {
        let (mut s, mut at) = Shingles::new();
        s.hashes.direct = direct && widest_vectors();
        for l in text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
        {
            s.push(&mut at, l);
        }
        s.finish(at)
    }

    #[test]
    fn block_boundaries_do_not_change_the_sketch() {
        // Every count of letters around one and two blocks, so the first window, a
        // window and the last ones each fall across a block's end once; the windows
        // hashed from their characters and rolled.
        for n in (0..20)
            .chain(BLOCK - 20..BLOCK + 20)
            .chain(2 * BLOCK - 20..2 * BLOCK + 20)
        {
            let t: String = (0..n)
                .map(|i| char::from(b'a' + ((i * 7 + i / 26) % 26) as u8))
                .collect();
            let want = by_definition(&t);
            assert_eq!(sketch(&t), want, "{n}");
            assert_eq!(sketch_by(&t, true), want, "{n}");
            assert_eq!(sketch_by(&t, false), want, "{n}");
        }
    }

    #[test]
    fn windows_from_their_characters_equal_the_rolled_ones() {
        // Long texts (many blocks, full sketches whose bar falls), with codes of every
        // size up to the largest character.
        let texts = [
            article().repeat(20),
            "比特币挖矿算力外流".repeat(300),
            (0..3000)
                .map(|i| char::from_u32(0x10_FFFF - i * 97).unwrap_or('x'))
                .filter(|c| c.is_alphanumeric())
                .collect::<String>(),
        ];
        for t in &texts {
            let want = by_definition(t);
            assert_eq!(sketch_by(t, true), want);
            assert_eq!(sketch_by(t, false), want);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_sketch_equals_the_definition(
            t in "([a-z]{1,9}|[ab]{1,30}|[A-Z0-9]|[比特币矿场关停]{1,9}|[ ,.\n]|[İΣ😀]){0,700}"
        ) {
            let want = by_definition(&t);
            proptest::prop_assert_eq!(sketch(&t), want.clone());
            proptest::prop_assert_eq!(sketch_by(&t, true), want.clone());
            proptest::prop_assert_eq!(sketch_by(&t, false), want);
        }
    }

    /// Polynomial hashes of windows, some of whose values fall below any bar.
    fn rolled(n: usize, seed: u64) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                x
            })
            .collect()
    }

    #[test]
    fn bottom_keeps_the_smallest_distinct_values() {
        for n in [0usize, 1, 5, 63, 64, 65, 250] {
            let r = rolled(n, n as u64);
            let mut out = Kept::new();
            let bar = bottom(&r, u64::MAX, &mut out);
            let mut want: Vec<u32> = r.iter().map(|&h| value(h)).collect();
            want.sort_unstable();
            want.dedup();
            want.truncate(SKETCH_SIZE);
            assert_eq!(out.values(), want, "{n}");
            let full = want.len() == SKETCH_SIZE;
            assert_eq!(
                bar,
                if full {
                    u64::from(want[SKETCH_SIZE - 1])
                } else {
                    u64::MAX
                }
            );
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_vector_bottom_equals_the_scalar_one() {
        if !wide_vectors() {
            return;
        }
        // Every length around the four-lane step, from empty and from full sketches,
        // with repeated values (a lane equal to one kept, and to another lane).
        for n in 0..40usize {
            for seed in 0..6u64 {
                let mut r = rolled(n, seed);
                if n > 5 {
                    r[3] = r[1];
                    r[n - 1] = r[0];
                }
                let start = rolled(300, seed + 100);
                let mut a = Kept::new();
                let mut b = Kept::new();
                let bar_a = bottom(&start, u64::MAX, &mut a);
                let bar_b = bottom(&start, u64::MAX, &mut b);
                for (from_a, from_b) in [(u64::MAX, u64::MAX), (bar_a, bar_b)] {
                    let (mut x, mut y) = (Kept::new(), Kept::new());
                    if from_a != u64::MAX {
                        x.clone_from(&a);
                        y.clone_from(&b);
                    }
                    let bx = bottom(&r, from_a, &mut x);
                    // SAFETY: AVX2 checked above.
                    let by = unsafe { bottom_avx2(&r, from_b, &mut y) };
                    assert_eq!((bx, &x), (by, &y), "{n} {seed}");
                }
            }
        }
        // Values spread over the whole range, so the bar test sees high values too.
        let r = rolled(1000, 7);
        let (mut x, mut y) = (Kept::new(), Kept::new());
        let bx = bottom(&r, u64::MAX, &mut x);
        // SAFETY: AVX2 checked above.
        let by = unsafe { bottom_avx2(&r, u64::MAX, &mut y) };
        assert_eq!((bx, x), (by, y));
    }

    /// The values `v` (sorted, distinct) kept.
    fn kept(v: &[u32]) -> Kept {
        let mut k = Kept::new();
        k.vals[..v.len()].copy_from_slice(v);
        k.n = v.len();
        k
    }

    #[test]
    fn the_largest_value_is_kept_once_like_any_other() {
        // `u32::MAX` is also what the places after the values hold: entered into no
        // values, after others, again, and before others; with the vector enter too.
        let mut k = Kept::new();
        let mut want: Vec<u32> = Vec::new();
        let mut steps = vec![u32::MAX, 7, u32::MAX, 3, u32::MAX - 1, u32::MAX, 7];
        steps.extend((0..70).map(|i| 1000 - i * 9));
        let mut vector = Kept::new();
        for v in steps {
            if u64::from(v) >= k.bar() {
                continue;
            }
            let bar = enter(&mut k, v);
            want.push(v);
            want.sort_unstable();
            want.dedup();
            want.truncate(SKETCH_SIZE);
            assert_eq!(k.values(), want, "{v}");
            assert_eq!(bar, k.bar());
            #[cfg(target_arch = "x86_64")]
            if widest_vectors() {
                // SAFETY: AVX-512 checked just above.
                let vbar = unsafe { enter_avx512(&mut vector, v) };
                assert_eq!((vbar, &vector), (bar, &k), "{v}");
            }
        }
        assert_eq!(k.n, SKETCH_SIZE);
        assert!(!k.values().contains(&u32::MAX));
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_vector_enter_equals_the_scalar_one() {
        if !widest_vectors() {
            return;
        }
        // Full sketches of spread values; each value entered: absent at every place
        // (before the first, between any two, just below the last), present at
        // every place, and at or above the last; a sketch not yet full too.
        let full: Vec<u32> = {
            let mut v: Vec<u32> = rolled(SKETCH_SIZE * 3, 11)
                .iter()
                .map(|&h| value(h) | 1)
                .collect();
            v.sort_unstable();
            v.dedup();
            v.truncate(SKETCH_SIZE);
            v
        };
        assert_eq!(full.len(), SKETCH_SIZE);
        let mut tries: Vec<u32> = vec![0, 1, u32::MAX];
        for (i, &x) in full.iter().enumerate() {
            tries.extend([x, x - 1, x.wrapping_add(1)]);
            if i > 0 {
                tries.push(full[i - 1] / 2 + x / 2);
            }
        }
        for start in [full.clone(), full[..SKETCH_SIZE / 2].to_vec()] {
            for &v in &tries {
                // (Entered only below the bar, which a full sketch's last value is.)
                if start.len() == SKETCH_SIZE && v >= start[SKETCH_SIZE - 1] {
                    continue;
                }
                let (mut a, mut b) = (kept(&start), kept(&start));
                let ba = enter(&mut a, v);
                // SAFETY: AVX-512 checked above.
                let bb = unsafe { enter_avx512(&mut b, v) };
                assert_eq!((ba, &a), (bb, &b), "{v}");
            }
        }
    }

    #[test]
    fn sketches_are_sorted_distinct_and_bounded() {
        let s = sketch(&article());
        assert_eq!(s.len(), SKETCH_SIZE);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert!(!is_full(&sketch("short text")));
        assert_eq!(similarity(&[], &[]), 0.0);
    }
}
