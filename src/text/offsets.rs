//! Offsets of the normalized text mapped back to the text as written: evidence quotes
//! a sentence with its original characters (full-width `，`, `Ｂｉｔｃｏｉｎ`, `…`), while
//! duibi finds it in [`normalize`](super::normalize())d text.
//!
//! ```
//! use duibi::text::{normalize, offsets::RawOffsets};
//! let raw = "矿工说：ＢＴＣ涨了！";
//! let norm = normalize(raw);
//! let (a, b) = (norm.find("BTC").unwrap(), norm.find("BTC").unwrap() + 3);
//! let map = RawOffsets::new(raw).unwrap();
//! assert_eq!(&raw[map.start(a)..map.end(b)], "ＢＴＣ");
//! ```
//!
//! The raw text is cut into segments that each start at a character NFKC never combines
//! with what precedes it (a starter whose NFKC quick check is Yes, or whose
//! decomposition starts with such a character); normalization never looks across one, so the normalized text is the
//! concatenation of the normalized segments. Only segments that normalization changes
//! are kept, so text that is normalized already costs no table at all.

use super::normalize::{nfkc_common, plain_end};
use unicode_normalization::{
    char::canonical_combining_class, is_nfkc_quick, IsNormalized, UnicodeNormalization,
};

/// A segment normalization changes: its byte range in the normalized text and in the
/// raw text.
#[derive(Debug, Clone, Copy)]
struct Changed {
    norm: (usize, usize),
    raw: (usize, usize),
}

/// The map from byte offsets of `normalize(raw)` to byte offsets of `raw`.
#[derive(Debug, Clone)]
pub struct RawOffsets {
    changed: Vec<Changed>,
    raw_len: usize,
}

/// True when normalization never looks across the start of `c`: `c` is a starter
/// that composes with nothing before it, and so is the first character of its
/// decomposition (full-width `Ｂ` starts a segment; the half-width voiced mark `ﾞ`,
/// which becomes a combining mark, does not).
///
/// The common characters of Chinese and English text (ASCII, the ideographs, CJK and
/// typographic punctuation, full-width forms: [`nfkc_common`]) all do, and are answered
/// without the normalization tables.
#[inline]
fn starts_segment(c: char) -> bool {
    c.is_ascii() || nfkc_common(c).is_some() || starts_segment_general(c)
}

/// [`starts_segment`] by the normalization tables.
fn starts_segment_general(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let starter = |c: char| canonical_combining_class(c) == 0;
    match is_nfkc_quick(std::iter::once(c)) {
        IsNormalized::Yes => starter(c),
        IsNormalized::Maybe => false,
        IsNormalized::No => {
            starter(c)
                && std::iter::once(c).nfkd().next().is_some_and(|d| {
                    starter(d) && is_nfkc_quick(std::iter::once(d)) == IsNormalized::Yes
                })
        }
    }
}

/// True when normalization leaves `c` as it is (and [`starts_segment`]).
#[inline]
fn is_stable(c: char) -> bool {
    match nfkc_common(c) {
        Some(Ok(m)) => m == c,
        Some(Err(_)) => false,
        None => is_stable_general(c),
    }
}

/// [`is_stable`] by the normalization tables.
fn is_stable_general(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

impl RawOffsets {
    /// Builds the map of `raw` in one pass; `None` when the segments do not add up to
    /// [`normalize`](super::normalize())`(raw)` (never seen; callers then quote the
    /// normalized text).
    pub fn new(raw: &str) -> Option<Self> {
        let mut changed = Vec::new();
        let mut norm_pos = 0usize;
        let mut seg = String::new();
        let b = raw.as_bytes();
        let mut start = 0usize;
        while start < b.len() {
            // A stretch of ASCII and CJK Unified Ideographs of U+4E00–U+9FFF, passed
            // over by their bytes ([`plain_end`]): each of its characters but the last
            // is followed by one of them, which starts a segment, so it is a segment
            // of its own, and stable; the last one too when the text ends there (else
            // it goes the general way, as a combining mark may follow it).
            let e = plain_end(b, start);
            let last = if e == b.len() {
                e
            } else {
                // (The start of the stretch's last character.)
                let mut k = e.saturating_sub(1);
                while k > start && b[k] & 0xC0 == 0x80 {
                    k -= 1;
                }
                k
            };
            if last > start {
                norm_pos += last - start;
                start = last;
                continue;
            }
            let Some(c) = raw.get(start..).and_then(|r| r.chars().next()) else {
                break;
            };
            // A segment: this character and the unstable ones after it (a combining
            // mark composes with the letter before it).
            let mut end = start + c.len_utf8();
            while let Some(d) = raw.get(end..).and_then(|r| r.chars().next()) {
                if starts_segment(d) {
                    break;
                }
                end += d.len_utf8();
            }
            if end == start + c.len_utf8() && is_stable(c) {
                norm_pos += end - start;
                start = end;
                continue;
            }
            seg.clear();
            seg.extend(raw[start..end].nfkc());
            if seg != raw[start..end] {
                changed.push(Changed {
                    norm: (norm_pos, norm_pos + seg.len()),
                    raw: (start, end),
                });
            }
            norm_pos += seg.len();
            start = end;
        }
        (norm_pos == super::normalize(raw).len()).then_some(RawOffsets {
            changed,
            raw_len: raw.len(),
        })
    }

    /// The raw offset of normalized offset `o` taken as the start of a span (an offset
    /// inside a changed segment goes to the segment's start).
    pub fn start(&self, o: usize) -> usize {
        self.map(o, false)
    }

    /// The raw offset of normalized offset `o` taken as the end of a span (an offset
    /// inside a changed segment goes to the segment's end).
    pub fn end(&self, o: usize) -> usize {
        self.map(o, true)
    }

    fn map(&self, o: usize, end: bool) -> usize {
        let k = self.changed.partition_point(|c| c.norm.0 <= o);
        let r = match k.checked_sub(1).and_then(|k| self.changed.get(k)) {
            None => o,
            Some(c) if o == c.norm.0 => c.raw.0,
            Some(c) if o < c.norm.1 => {
                if end {
                    c.raw.1
                } else {
                    c.raw.0
                }
            }
            Some(c) => c.raw.1 + (o - c.norm.1),
        };
        r.min(self.raw_len)
    }
}

/// Byte offsets to character offsets (Unicode scalar values) of one text, for offsets
/// asked in increasing order (each step counts only the characters since the last):
/// duibi prints every offset (evidence, `tokenize`, `score`) in characters.
///
/// ```
/// let mut c = duibi::text::offsets::CharCounter::new("比特币 rose");
/// assert_eq!((c.at(9), c.at(10), c.at(14)), (3, 4, 8));
/// ```
#[derive(Debug, Clone)]
pub struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    /// A counter at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The character offset of byte offset `b` (rounded down to a character boundary;
    /// an offset before the last one asked counts again from the start).
    pub fn at(&mut self, b: usize) -> usize {
        let b = super::floor_char_boundary(self.text, b.min(self.text.len()));
        if b < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..b].chars().count();
        self.byte = b;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    #[test]
    fn common_set_shortcuts_agree_with_the_tables() {
        for c in (0..=0xFFFFu32).filter_map(char::from_u32) {
            assert_eq!(starts_segment(c), starts_segment_general(c), "{c:?}");
            assert_eq!(is_stable(c), is_stable_general(c), "{c:?}");
        }
    }

    /// (normalized span, raw span) of a changed segment.
    type Spans = ((usize, usize), (usize, usize));

    /// The segments as [`RawOffsets::new`] found them before its ASCII shortcut, char
    /// by char: (normalized span, raw span) of each changed one, and the normalized
    /// length.
    fn reference(raw: &str) -> (Vec<Spans>, usize) {
        let mut changed = Vec::new();
        let mut norm_pos = 0usize;
        let mut it = raw.char_indices().peekable();
        while let Some((start, c)) = it.next() {
            let mut end = start + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if starts_segment(d) {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
            if end == start + c.len_utf8() && is_stable(c) {
                norm_pos += end - start;
                continue;
            }
            let seg: String = raw[start..end].nfkc().collect();
            if seg != raw[start..end] {
                changed.push(((norm_pos, norm_pos + seg.len()), (start, end)));
            }
            norm_pos += seg.len();
        }
        (changed, norm_pos)
    }

    fn check(raw: &str) {
        let norm = normalize(raw);
        let m = RawOffsets::new(raw).unwrap_or_else(|| panic!("{raw:?}"));
        let (want, len) = reference(raw);
        let got: Vec<_> = m.changed.iter().map(|c| (c.norm, c.raw)).collect();
        assert_eq!((got, norm.len()), (want, len), "{raw:?}");
        assert_eq!(m.start(0), 0);
        assert_eq!(m.end(norm.len()), raw.len(), "{raw:?}");
        let mut last = 0;
        for (i, _) in norm.char_indices() {
            let s = m.start(i);
            assert!(s >= last && raw.is_char_boundary(s), "{raw:?} {i} {s}");
            last = s;
            // The raw text from there normalizes to (at least) the rest of the text.
            assert!(normalize(&raw[s..]).ends_with(&norm[i..]), "{raw:?} {i}");
        }
    }

    #[test]
    fn full_width_and_ellipsis_map_back() {
        let raw = "他说：“ＢＴＣ涨了……”，Ｂｉｔｃｏｉｎ ﬁne café";
        check(raw);
        let norm = normalize(raw);
        let m = RawOffsets::new(raw).unwrap();
        let a = norm.find("Bitcoin").unwrap();
        assert_eq!(&raw[m.start(a)..m.end(a + 7)], "Ｂｉｔｃｏｉｎ");
        let a = norm.find("fine").unwrap();
        assert_eq!(&raw[m.start(a)..m.end(a + 4)], "ﬁne");
        let a = norm.find("涨了").unwrap();
        assert_eq!(&raw[m.start(a)..m.end(a + 6)], "涨了");
    }

    #[test]
    fn combining_marks_and_plain_text() {
        for raw in [
            "cafe\u{301} ok",
            "e\u{301}\u{301}x",
            "plain ascii",
            "中文。",
            "\u{301}a",
            "ｱｲｳ ｶﾞ",
            "ＡＢ\u{301}Ｃ",
            "한국어 가",
            "long ascii stretch before a mark: e\u{301}, and ＡＢ after it",
            "ends in a full stretch of ascii text",
            "x",
            "比特币矿工挖矿比特币矿工挖矿比特币矿工挖矿\u{301}比特币矿工挖矿比特币矿工挖矿",
            "中文\u{3099}",
            "中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文",
        ] {
            check(raw);
        }
        assert!(RawOffsets::new("plain text 中文")
            .unwrap()
            .changed
            .is_empty());
    }

    proptest::proptest! {
        #[test]
        fn maps_any_text(raw in "[a-zé\u{301}\u{308}ＡＢ１，。…ﬁｶﾞ중가好 ]{0,30}") {
            check(&raw);
        }

        #[test]
        fn maps_mostly_ascii_text(raw in "[a-z .\u{301}\u{308}Ａ中]{0,40}") {
            check(&raw);
        }

        #[test]
        fn maps_mostly_chinese_text(
            raw in "[a 好中字丂龥\u{4dff}\u{a000}\u{301}\u{308}\u{3099}Ａ，。“]{0,70}"
        ) {
            // Stretches of ideographs across the 32-byte vectors, ended by marks that
            // combine with them, by ideographs outside U+4E00–U+9FFF, by full-width
            // forms and by the end.
            check(&raw);
        }
    }
}
