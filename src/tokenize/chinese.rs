//! Chinese runs: converted to Simplified characters (byte-preserving) and cut with
//! the shared jieba; the term is the Simplified word, the span the surface form.
//!
//! ```
//! let tok = duibi::tokenize::Tokenizer::builder().build().unwrap();
//! let (text, buf) = tok.tokenize("監管礦場");
//! let t = &buf.tokens()[0];
//! assert_eq!((&text[t.start as usize..t.end as usize], buf.term(t)), ("監管", "监管"));
//! ```

use super::{special, Cutter, TokenBuf, Tokenizer};
use crate::lang::Lang;
use crate::text::classes;
use crate::text::han::VariantTally;

/// `char::is_alphabetic` with a shortcut for CJK Unified Ideographs (all alphabetic).
#[inline]
fn is_alphabetic(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF) || classes::is_alphabetic(c)
}

/// `char::is_alphanumeric` with a shortcut for CJK Unified Ideographs.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF) || classes::is_alphanumeric(c)
}

/// Whether jieba's word `w` is kept as a token (`None`: it has no letter or digit) and,
/// if so, whether it is numeric (no letter). A word opening with a CJK Unified
/// Ideograph, nearly every one, is a kept non-numeric word without decoding it.
#[inline]
fn word_class(w: &str) -> Option<bool> {
    if let [l, m, ..] = *w.as_bytes() {
        if crate::lang::common_ideograph(l, m) {
            return Some(false);
        }
    }
    let first = w.chars().next()?;
    if !is_alphanumeric(first) && !w.chars().any(is_alphanumeric) {
        return None;
    }
    Some(!w.chars().any(is_alphabetic))
}

/// The index of the first ASCII digit of `b`, as `b.iter().position(u8::is_ascii_digit)`
/// but eight bytes at a time: a Han run is long and seldom has a digit, and the
/// byte-at-a-time search was a sizeable part of cutting it.
///
/// Per 8-byte word `x` (little-endian, so byte `i` is bits `8i..8i+8`): `y = x ^ 0x30…`
/// has a byte below 10 exactly where `x` has an ASCII digit; `(y - 0x0a…) & !y & 0x80…`
/// flags bytes below 10. A borrow only carries upwards, from a byte that was below
/// 10, so the lowest flag is exact (bytes above it may be flagged falsely, and are not
/// looked at).
#[inline]
fn first_ascii_digit(b: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let Ok(w) = <[u8; 8]>::try_from(w) else {
            break; // (chunks_exact: every chunk has 8 bytes)
        };
        let y = u64::from_le_bytes(w) ^ (LO * 0x30);
        let m = y.wrapping_sub(LO * 10) & !y & HI;
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    b.get(at..)?
        .iter()
        .position(u8::is_ascii_digit)
        .map(|p| at + p)
}

/// Whether `b` has an ASCII byte, read with at most two fixed-size loads when it is
/// at most 16 bytes long (its first and last 4 or 8 bytes, overlapping; of 1–3 bytes
/// the first, middle and last byte, which are all of them): nearly every word jieba
/// cuts from a Han run is Han characters only, and then has no capital to lowercase,
/// which this tells without a pass over its bytes.
#[inline]
fn has_ascii(b: &[u8]) -> bool {
    use crate::text::{le32, le64};
    const HI: u64 = 0x8080_8080_8080_8080;
    // Four bytes read with their upper half set, as if non-ASCII.
    let le32 = |b: &[u8], at: usize| le32(b, at) | 0xffff_ffff_0000_0000;
    let n = b.len();
    let w = match n {
        0 => return false,
        1..=3 => u64::from(b[0] & b[n / 2] & b[n - 1]) | !0xff,
        4..=8 => le32(b, 0) & le32(b, n - 4),
        9..=16 => le64(b, 0) & le64(b, n - 8),
        _ => return b.iter().any(u8::is_ascii),
    };
    !w & HI != 0
}

impl Tokenizer {
    /// Cuts the Chinese run `s` (at byte `base` of the text), whose
    /// [`variant_scan`](crate::text::han::variant_scan) is `tally` when its runs were
    /// cut with [`LangDetector::runs_tallied`](crate::lang::LangDetector::runs_tallied).
    pub(super) fn cut_chinese(
        &self,
        s: &str,
        base: usize,
        tally: Option<VariantTally>,
        buf: &mut TokenBuf,
        scratch: &mut String,
        flag_stop: bool,
    ) {
        let (counts, convert) = match tally {
            Some(t) => t.result(),
            None => crate::text::han::variant_scan(s),
        };
        buf.han.add(counts);
        // The run made Simplified: a converted copy in `scratch` only when a character
        // converts (rare), else the run itself, which is Simplified already.
        let scratch: &str = if convert {
            scratch.clear();
            scratch.push_str(s);
            crate::text::han::convert_in_place(scratch);
            scratch
        } else {
            s
        };
        // The Simplified run, once: the terms of its words and numbers are ranges of
        // this copy (their bytes in `scratch` plus `off`), not a copy each.
        let off = buf.push_text(scratch);
        // Numbers with their units and dates are cut before jieba sees them (jieba
        // splits `3,000` at the comma and `2021年1月2日` into digits and 年/月/日).
        let bytes = scratch.as_bytes();
        let mut from = 0;
        let mut pos = 0;
        while let Some(d) = first_ascii_digit(&bytes[pos..]) {
            let d = pos + d;
            let (end, kind) = special::zh_number(scratch, d);
            self.cut_jieba(&scratch[from..d], base + from, off + from, buf, flag_stop);
            buf.push_range(
                base + d,
                base + end,
                off + d,
                off + end,
                Lang::Zh,
                false,
                true,
            );
            buf.set_last_kind(kind);
            from = end;
            pos = end;
        }
        self.cut_jieba(&scratch[from..], base + from, off + from, buf, flag_stop);
    }

    /// Cuts Simplified text `s` (at byte `base` of the analysed text, and a copy of it
    /// at byte `at` of `buf`'s terms) with jieba.
    fn cut_jieba(&self, s: &str, base: usize, at: usize, buf: &mut TokenBuf, flag_stop: bool) {
        if s.is_empty() {
            return;
        }
        let take = |buf: &mut TokenBuf, st: usize, en: usize| {
            let w = &s[st..en];
            let Some(numeric) = word_class(w) else {
                return; // whitespace, punctuation, symbols
            };
            if has_ascii(w.as_bytes()) && w.bytes().any(|b| b.is_ascii_uppercase()) {
                // Latin letters inside a Han run (rare: Latin normally opens its own
                // run).
                buf.push_lower(base + st, base + en, w, Lang::Zh, numeric, false);
                if flag_stop {
                    self.flag_last_stop(buf, Lang::Zh);
                }
            } else {
                let stop = flag_stop && self.inner.stopwords.contains(Lang::Zh, w);
                buf.push_range(
                    base + st,
                    base + en,
                    at + st,
                    at + en,
                    Lang::Zh,
                    stop,
                    numeric,
                );
            }
        };
        match &self.inner.cutter {
            Cutter::Own(seg) => {
                let mut scratch = std::mem::take(&mut buf.seg);
                seg.cut(s, &mut scratch, |st, en| take(buf, st, en));
                buf.seg = scratch;
            }
            Cutter::Jieba(jieba) => {
                for tk in jieba.cut(s, self.inner.hmm) {
                    take(buf, tk.byte_start, tk.byte_end);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn has_ascii_is_any_ascii_byte(t in "[aZ1 ，比特币礦é\u{10000}]{0,24}") {
            proptest::prop_assert_eq!(has_ascii(t.as_bytes()), t.bytes().any(|b| b.is_ascii()));
        }
    }

    #[test]
    fn has_ascii_finds_an_ascii_byte_at_every_place() {
        for n in 1..=40usize {
            let mut b = vec![0xE4u8; n];
            assert!(!has_ascii(&b), "{n} bytes, none ASCII");
            for at in 0..n {
                b[at] = b'A';
                assert!(has_ascii(&b), "{n} bytes, ASCII at {at}");
                b[at] = 0xE4;
            }
        }
        assert!(!has_ascii(b""));
    }

    /// The classification as written before [`word_class`].
    fn reference(w: &str) -> Option<bool> {
        let first = w.chars().next()?;
        if !is_alphanumeric(first) && !w.chars().any(is_alphanumeric) {
            return None;
        }
        Some(!w.chars().any(is_alphabetic))
    }

    #[test]
    fn first_ascii_digit_equals_the_bytewise_search() {
        // Every byte value at every place of texts of 0 to 20 bytes over a background
        // of each kind (Han text, ASCII letters, bytes 0x30 ^ 0x80 and 0x3a just past
        // the digits), and digits after digits (the words' borrows).
        let backgrounds: [&[u8]; 4] = [
            "比特币挖矿监管比特币挖矿".as_bytes(),
            b"abcdefghijklmnopqrstuvwxyz",
            &[0xb0; 24],
            &[0x3a; 24],
        ];
        for bg in backgrounds {
            for n in 0..=20.min(bg.len()) {
                let base = &bg[..n];
                assert_eq!(
                    first_ascii_digit(base),
                    base.iter().position(u8::is_ascii_digit)
                );
                for at in 0..n {
                    for v in 0..=255u8 {
                        let mut b = base.to_vec();
                        b[at] = v;
                        let want = b.iter().position(u8::is_ascii_digit);
                        assert_eq!(first_ascii_digit(&b), want, "{b:?}");
                        if at + 1 < n {
                            b[at + 1] = b'7';
                            let want = b.iter().position(u8::is_ascii_digit);
                            assert_eq!(first_ascii_digit(&b), want, "{b:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn word_class_equals_the_decoding_test() {
        // Every character of the Basic Multilingual Plane alone and before a digit, a
        // comma and an ideograph (the shortcut answers for the whole word from its
        // first two bytes).
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            for w in [
                c.to_string(),
                format!("{c}1"),
                format!("{c},"),
                format!("{c}字"),
            ] {
                assert_eq!(word_class(&w), reference(&w), "{w:?}");
            }
        }
        assert_eq!(word_class(""), None);
        assert_eq!(word_class("比特币"), Some(false));
        assert_eq!(word_class("３"), Some(true));
    }
}
