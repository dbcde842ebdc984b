//! Byte-class scans of the text layer 32 bytes at a time.
//!
//! The sentence splitter, NFKC normalization (and the raw-offset map built like it)
//! and the emoticon scan each walk a text to the next byte of some class (a byte that
//! may end a sentence, a character that NFKC may change, an emoticon's anchor); most
//! bytes are of no such class. Where the CPU runs AVX2 (detected at run time) these scans classify 32
//! bytes at once by two 16-entry table lookups ([`ByteSet`]); elsewhere the callers
//! keep their byte-by-byte (or SSE2) loops, and the tests pin the vector scans to the
//! byte tests.

/// A set of byte values as two 16-entry tables, one indexed by a byte's low nibble and
/// one by its high nibble: byte `x` is in the set when `LO[x & 15] & HI[x >> 4] != 0`.
///
/// Each distinct set of low nibbles that a high nibble takes (e.g. "all 16" for every
/// ASCII row) gets a bit of its own, so the test is exact for any set whose rows take
/// at most eight distinct low-nibble patterns ([`ByteSet::new`] checks that at compile
/// time).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ByteSet {
    lo: [u8; 16],
    hi: [u8; 16],
}

impl ByteSet {
    /// The set of the bytes `x` with `members[x]`.
    ///
    /// # Panics
    /// When the rows take more than eight distinct low-nibble patterns (at compile
    /// time: the sets are constants).
    pub(crate) const fn new(members: &[bool; 256]) -> ByteSet {
        let mut lo = [0u8; 16];
        let mut hi = [0u8; 16];
        // The low-nibble pattern of each row, and the patterns given a bit so far.
        let mut patterns = [0u16; 8];
        let mut used = 0usize;
        let mut h = 0usize;
        while h < 16 {
            let mut pat = 0u16;
            let mut l = 0usize;
            while l < 16 {
                if members[h << 4 | l] {
                    pat |= 1 << l;
                }
                l += 1;
            }
            if pat != 0 {
                let mut slot = 0usize;
                while slot < used && patterns[slot] != pat {
                    slot += 1;
                }
                if slot == used {
                    assert!(used < 8, "more than eight row patterns");
                    patterns[slot] = pat;
                    used += 1;
                }
                hi[h] = 1 << slot;
                let mut l = 0usize;
                while l < 16 {
                    if pat & (1 << l) != 0 {
                        lo[l] |= 1 << slot;
                    }
                    l += 1;
                }
            }
            h += 1;
        }
        ByteSet { lo, hi }
    }

    /// Whether byte `x` is in the set (the scalar form of the vector test).
    #[inline(always)]
    pub(crate) fn contains(&self, x: u8) -> bool {
        self.lo[usize::from(x & 15)] & self.hi[usize::from(x >> 4)] != 0
    }
}

/// Whether this CPU runs the 256-bit scans of this module (AVX2 on x86-64; detected
/// once, the answer cached by the standard library).
#[inline(always)]
pub(crate) fn wide() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The first byte of `b` at or after `from` that is in `set`, or `b.len()`, 32 bytes
/// at a time ([`first_in_bytes`] is the definition).
///
/// # Safety
/// The CPU must run AVX2 ([`wide`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn first_in_avx2(b: &[u8], from: usize, set: &ByteSet) -> usize {
    first_avx2(b, from, set, false)
}

/// The first byte of `b` at or after `from` that is in `set` or is an `E4` followed by
/// a byte below `B8`, or `b.len()`, 32 bytes at a time ([`first_off_ideographs_bytes`]
/// is the definition). With `from` on a character boundary and `set` holding every
/// lead byte but `E4`–`E9` (continuation bytes are in no such set), this is the first
/// character that is not a CJK Unified Ideograph of U+4E00–U+9FFF
/// ([`super::lang::common_ideograph`]) nor a byte outside `set`.
///
/// # Safety
/// The CPU must run AVX2 ([`wide`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn first_off_ideographs_avx2(b: &[u8], from: usize, set: &ByteSet) -> usize {
    first_avx2(b, from, set, true)
}

/// The scans of [`first_in_avx2`] (`e4: false`) and [`first_off_ideographs_avx2`]
/// (`e4: true`): whole vectors while they fit (with `e4`, one byte more: the byte
/// after each `E4` is read), the rest byte by byte.
///
/// # Safety
/// The CPU must run AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn first_avx2(b: &[u8], from: usize, set: &ByteSet, e4: bool) -> usize {
    use std::arch::x86_64::*;
    let n = b.len();
    // SAFETY (both loads): each table holds 16 bytes, read unaligned.
    let lo = _mm256_broadcastsi128_si256(_mm_loadu_si128(set.lo.as_ptr().cast()));
    let hi = _mm256_broadcastsi128_si256(_mm_loadu_si128(set.hi.as_ptr().cast()));
    let nibble = _mm256_set1_epi8(0x0F);
    let zero = _mm256_setzero_si256();
    let (lead, floor) = (
        _mm256_set1_epi8(0xE4u8 as i8),
        _mm256_set1_epi8(0xB8u8 as i8),
    );
    let extra = usize::from(e4);
    let mut at = from;
    while at + 32 + extra <= n {
        // SAFETY: `at + 32 + extra <= b.len()`: both loads read inside `b`.
        let v = _mm256_loadu_si256(b.as_ptr().add(at).cast());
        let l = _mm256_shuffle_epi8(lo, _mm256_and_si256(v, nibble));
        let h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16::<4>(v), nibble));
        let mut out = _mm256_cmpeq_epi8(_mm256_and_si256(l, h), zero); // not in the set
        if e4 {
            let next = _mm256_loadu_si256(b.as_ptr().add(at + 1).cast());
            // An `E4` whose next byte is below `B8` (`max(next, B8) != next`).
            let low = _mm256_andnot_si256(
                _mm256_cmpeq_epi8(_mm256_max_epu8(next, floor), next),
                _mm256_cmpeq_epi8(v, lead),
            );
            out = _mm256_andnot_si256(low, out);
        }
        let m = !(_mm256_movemask_epi8(out) as u32);
        if m != 0 {
            return at + m.trailing_zeros() as usize;
        }
        at += 32;
    }
    if e4 {
        first_off_ideographs_bytes(b, at, set)
    } else {
        first_in_bytes(b, at, set)
    }
}

/// Calls `f` with the offset of each byte of `b` that is in `set`, in order, 32 bytes
/// at a time (the last ones byte by byte).
///
/// # Safety
/// The CPU must run AVX2 ([`wide`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn each_in_avx2(b: &[u8], set: &ByteSet, mut f: impl FnMut(usize)) {
    use std::arch::x86_64::*;
    let n = b.len();
    // SAFETY (both loads): each table holds 16 bytes, read unaligned.
    let lo = _mm256_broadcastsi128_si256(_mm_loadu_si128(set.lo.as_ptr().cast()));
    let hi = _mm256_broadcastsi128_si256(_mm_loadu_si128(set.hi.as_ptr().cast()));
    let nibble = _mm256_set1_epi8(0x0F);
    let zero = _mm256_setzero_si256();
    let mut at = 0;
    while at + 32 <= n {
        // SAFETY: `at + 32 <= b.len()`: the load reads inside `b`.
        let v = _mm256_loadu_si256(b.as_ptr().add(at).cast());
        let l = _mm256_shuffle_epi8(lo, _mm256_and_si256(v, nibble));
        let h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16::<4>(v), nibble));
        let mut m = !(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(l, h), zero)) as u32);
        while m != 0 {
            f(at + m.trailing_zeros() as usize);
            m &= m - 1;
        }
        at += 32;
    }
    for (k, &x) in b.iter().enumerate().skip(at) {
        if set.contains(x) {
            f(k);
        }
    }
}

/// The first byte of `b` at or after `from` that is in `set`, or `b.len()`, byte by
/// byte.
#[inline]
pub(crate) fn first_in_bytes(b: &[u8], from: usize, set: &ByteSet) -> usize {
    let rest = b.get(from..).unwrap_or_default();
    rest.iter()
        .position(|&x| set.contains(x))
        .map_or(b.len(), |k| from + k)
}

/// The first byte of `b` at or after `from` that is in `set` or is an `E4` followed by
/// a byte below `B8` (or by nothing), or `b.len()`, byte by byte.
#[inline]
pub(crate) fn first_off_ideographs_bytes(b: &[u8], from: usize, set: &ByteSet) -> usize {
    let mut k = from;
    while let Some(&x) = b.get(k) {
        if set.contains(x) || (x == 0xE4 && b.get(k + 1).map_or(true, |&m| m < 0xB8)) {
            return k;
        }
        k += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn members(test: &[(u8, u8)]) -> [bool; 256] {
        let mut t = [false; 256];
        let mut r = 0;
        while r < test.len() {
            let mut x = test[r].0 as usize;
            while x <= test[r].1 as usize {
                t[x] = true;
                x += 1;
            }
            r += 1;
        }
        t
    }

    /// Sets of every kind the callers use: ASCII rows whole, scattered ASCII bytes,
    /// lead-byte ranges, all of them at once.
    fn sets() -> Vec<([bool; 256], ByteSet)> {
        [
            members(&[(0, 0x7F), (0xC0, 0xE3), (0xEA, 0xFF)]),
            members(&[(0xC0, 0xE3), (0xEA, 0xFF)]),
            members(&[
                (b'\n', b'\n'),
                (b'.', b'.'),
                (b'?', b'?'),
                (0xC0, 0xC2),
                (0xF0, 0xFF),
            ]),
            members(&[(b'!', b'/'), (b':', b'@'), (b'[', b'`'), (b'{', b'~')]),
            members(&[]),
        ]
        .into_iter()
        .map(|m| (m, ByteSet::new(&m)))
        .collect()
    }

    #[test]
    fn byte_sets_are_exact() {
        for (m, s) in sets() {
            for x in 0..=255u8 {
                assert_eq!(s.contains(x), m[usize::from(x)], "{x:#x}");
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vector_scans_equal_the_byte_scans() {
        if !wide() {
            return;
        }
        // Every byte value at every place of 70-byte buffers of each filler (the
        // vector loop, its last whole vector and the bytes after it), from every
        // start; `E4` before every byte value, at the end too.
        for (_, s) in sets() {
            for fill in [b'a', 0xE5, 0x80, 0xB8, 0xE4, b'.', 0] {
                for at in 0..70 {
                    for x in 0..=255u8 {
                        let mut b = vec![fill; 70];
                        b[at] = x;
                        for from in [0, 1, 5, 31, 32, 33, at, 69, 70] {
                            // SAFETY: the CPU runs AVX2 (`wide` above).
                            let (v, w) = unsafe {
                                (
                                    first_in_avx2(&b, from, &s),
                                    first_off_ideographs_avx2(&b, from, &s),
                                )
                            };
                            assert_eq!(v, first_in_bytes(&b, from, &s), "{b:x?} {from}");
                            assert_eq!(
                                w,
                                first_off_ideographs_bytes(&b, from, &s),
                                "{b:x?} {from}"
                            );
                        }
                        let mut each = Vec::new();
                        // SAFETY: the CPU runs AVX2 (`wide` above).
                        unsafe { each_in_avx2(&b, &s, |k| each.push(k)) };
                        let want: Vec<usize> = (0..b.len()).filter(|&k| s.contains(b[k])).collect();
                        assert_eq!(each, want, "{b:x?}");
                    }
                }
            }
        }
    }
}
