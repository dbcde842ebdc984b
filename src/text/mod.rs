//! Text: the stage between a decoded document and its tokens.
//!
//! | job | module |
//! |---|---|
//! | NFKC normalization (with a fast path for common Chinese and English text) | [`normalize`](mod@normalize) |
//! | script class of a character | [`script`] |
//! | letters and digits of the Basic Multilingual Plane, by table | [`classes`] |
//! | Traditional / Simplified Chinese: detection and byte-preserving conversion | [`han`] |
//! | script runs and the language of each run | [`lang`] |
//! | sentence boundaries | [`sentence`] |
//! | offsets of the normalized text in the text as written | [`offsets`] |
//!
//! Every offset duibi reports refers to the normalized text.
//!
//! ```
//! use duibi::text::{self, Lang, LangDetector};
//! let raw = "比特幣礦工Ｅｌｏｎ Ｍｕｓｋ表示！ Prices fell.";
//! let norm = text::normalize(raw);
//! let langs: Vec<Lang> = LangDetector::default().runs(&norm).iter().map(|r| r.lang).collect();
//! assert_eq!(langs, vec![Lang::Zh, Lang::En, Lang::Zh, Lang::En]);
//! let sentences: Vec<&str> = text::split_sentences(&norm).iter().map(|&(a, b)| &norm[a..b]).collect();
//! assert_eq!(sentences, vec!["比特幣礦工Elon Musk表示!", "Prices fell."]);
//! ```

pub mod classes;
pub mod han;
pub mod lang;
pub mod normalize;
pub mod offsets;
pub mod script;
pub mod sentence;
pub(crate) mod simd;

pub use han::{to_simplified_char, to_simplified_in_place, HanVariantCounts, ZhScript};
pub use lang::{Lang, LangDetector, LangDetectorBuilder, Run};
pub use normalize::normalize;
pub use script::{script_of, Script};
pub use sentence::split as split_sentences;

/// Bit `k` set: byte `k` of the 16-byte block passes `test`. The byte-by-byte
/// reference (and fallback off x86-64) of the block scans' SSE2 masks, such as the
/// sentence splitter's stop bytes and the emoticon scan's anchors.
#[inline(always)]
pub(crate) fn mask16(blk: &[u8; 16], test: impl Fn(u8) -> bool) -> u32 {
    blk.iter()
        .enumerate()
        .fold(0u32, |m, (k, &x)| m | (u32::from(test(x)) << k))
}

/// The eight bytes of `b` at `at`, little-endian; 0 past the end (callers read inside
/// `b`: the vocabulary's hash and the tokenizer's ASCII test read short words with
/// two overlapping loads).
#[inline(always)]
pub(crate) fn le64(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The four bytes of `b` at `at`, little-endian, zero-extended; 0 past the end.
#[inline(always)]
pub(crate) fn le32(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
}

/// The first index at or after `i` whose byte is not ASCII, or `b.len()`: the scans
/// over a text's bytes pass a stretch of ASCII eight bytes at a time (a byte is
/// non-ASCII exactly when its top bit is set, so a word with no bit of `0x80…` set is
/// eight ASCII bytes; the lowest set bit names the first non-ASCII byte).
#[inline]
pub(crate) fn ascii_end(b: &[u8], mut i: usize) -> usize {
    const HI: u64 = 0x8080_8080_8080_8080;
    while let Some(w) = b.get(i..i + 8) {
        let Ok(w) = <[u8; 8]>::try_from(w) else {
            break; // (a slice of eight bytes)
        };
        let m = u64::from_le_bytes(w) & HI;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&x) = b.get(i) {
        if x >= 0x80 {
            return i;
        }
        i += 1;
    }
    i.min(b.len())
}

/// The characters of bytes `start..end` of `b` (`start <= end <= b.len()`): its bytes
/// that are not UTF-8 continuation bytes (`10xxxxxx`), as
/// `b[start..end].iter().filter(|&&x| (x as i8) >= -0x40).count()` but eight bytes
/// at a time. Analysis counts the characters of every token, and a token is a few
/// bytes: a short one is read with one eight-byte load masked to its length when the
/// buffer goes on that far.
///
/// Per word `x`, `x & !(x << 1)` has bit 7 of a byte set exactly when the byte's bit 7
/// is set and its bit 6 clear (the shift moves each byte's bit 6 to its bit 7 and its
/// bit 7 into the next byte's bit 0, which the mask drops); those bits shifted down
/// to bit 0 are summed by one multiply into the top byte.
#[inline]
pub(crate) fn chars_in(b: &[u8], start: usize, end: usize) -> u64 {
    const HI: u64 = 0x8080_8080_8080_8080;
    const LO: u64 = 0x0101_0101_0101_0101;
    #[inline(always)]
    fn continuation(x: u64) -> u64 {
        (((x & !(x << 1) & HI) >> 7).wrapping_mul(LO)) >> 56
    }
    let mut cont = 0u64;
    let mut i = start;
    while i + 8 <= end {
        cont += continuation(le64(b, i));
        i += 8;
    }
    let rest = end.saturating_sub(i);
    if rest > 0 {
        if i + 8 <= b.len() {
            cont += continuation(le64(b, i) & ((1u64 << (8 * rest)) - 1));
        } else {
            let tail = b.get(i..end).unwrap_or_default();
            cont += tail.iter().filter(|&&x| (x as i8) < -0x40).count() as u64;
        }
    }
    (end.saturating_sub(start) as u64).saturating_sub(cont)
}

/// The largest character boundary of `s` at or before byte `i` (`i <= s.len()`).
#[inline]
pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::{ascii_end, chars_in};

    #[test]
    fn chars_in_counts_the_non_continuation_bytes_of_any_span() {
        // Every span of texts mixing 1- to 4-byte characters, and every span over
        // every byte value at every place of a 20-byte buffer (continuation bytes
        // 0x80–0xBF and their neighbours 0x7F, 0xC0).
        let texts = [
            "",
            "a",
            "plain ascii text longer than sixteen bytes",
            "比特币矿工 Texas é ü 𝔸𝔹 — 監管 12,000",
            "é́İ𝄞x矿",
        ];
        let want = |b: &[u8], s: usize, e: usize| {
            b[s..e].iter().filter(|&&x| (x as i8) >= -0x40).count() as u64
        };
        for t in texts {
            let b = t.as_bytes();
            for s in 0..=b.len() {
                for e in s..=b.len() {
                    assert_eq!(chars_in(b, s, e), want(b, s, e), "{t:?} {s}..{e}");
                }
            }
        }
        for at in 0..20 {
            for v in 0..=255u8 {
                let mut b = vec![0x80u8; 20];
                b[at] = v;
                b[(at + 7) % 20] = b'x';
                for s in 0..=20 {
                    for e in s..=20 {
                        assert_eq!(chars_in(&b, s, e), want(&b, s, e), "{b:?} {s}..{e}");
                    }
                }
            }
        }
    }

    /// The byte-at-a-time definition.
    fn reference(b: &[u8], i: usize) -> usize {
        (i..b.len())
            .find(|&k| b[k] >= 0x80)
            .unwrap_or(b.len().max(i))
    }

    #[test]
    fn ascii_end_finds_the_first_non_ascii_byte_from_any_start() {
        let texts = [
            "",
            "a",
            "plain ascii text longer than sixteen bytes",
            "abc矿工def",
            "exactly8",
            "exactly8é",
            "1234567é90123456789é",
            "é",
            "ascii then Ａ full width and more ascii after it, then 矿",
        ];
        for t in texts {
            let b = t.as_bytes();
            for i in 0..=b.len() {
                assert_eq!(ascii_end(b, i), reference(b, i), "{t:?} from {i}");
            }
        }
        // Every position of the first non-ASCII byte in a 24-byte block.
        for at in 0..24 {
            let mut b = vec![b'x'; 24];
            b[at] = 0xC3;
            for i in 0..=at {
                assert_eq!(ascii_end(&b, i), at, "non-ASCII at {at}, from {i}");
            }
        }
    }
}
