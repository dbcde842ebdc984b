//! UAX #29 word bounds with an ASCII fast path.
//!
//! [`word_bounds`] yields exactly the segments of
//! [`unicode_segmentation::UnicodeSegmentation::split_word_bound_indices`], but cuts
//! ASCII text with a small table-driven rule set instead of the general Unicode
//! machinery (English prose is mostly ASCII; the general path looks up the
//! Word_Break property of every character by binary search).
//!
//! The text is first cut at positions where UAX #29 always breaks, whatever the
//! context: before a space that follows an ASCII character other than a space, and
//! after a space that is followed by an ASCII character other than a space. (No rule
//! joins a space to a following ASCII letter, digit or punctuation mark, and only
//! WB3d, space × space, joins anything to a following space. Both sides of such a
//! cut are ASCII, so WB4, which lets Extend/Format/ZWJ characters hide the character
//! before them, never applies across it.) The pieces between cuts are segmented on
//! their own: ASCII pieces by the rules below, other pieces by `unicode-segmentation`.
//!
//! ASCII Word_Break classes: CR, LF, Newline (VT, FF), WSegSpace (space), ALetter
//! (A–Z, a–z), Numeric (0–9), MidNumLet (`.`), Single_Quote (`'`), MidLetter (`:`),
//! MidNum (`,` `;`), ExtendNumLet (`_`), Double_Quote (`"`), Other (the rest, tab
//! included). Rules used: WB3, WB3a, WB3b, WB3d, WB5–WB13b, WB999 (the others need
//! non-ASCII characters).
//!
//! ```
//! use duibi::tokenize::words::word_bounds;
//! let s = "Don't sell 3,000.5 BTC: e.g. C++ now";
//! let v: Vec<&str> = word_bounds(s).map(|(_, w)| w).collect();
//! assert_eq!(
//!     v,
//!     ["Don't", " ", "sell", " ", "3,000.5", " ", "BTC", ":", " ", "e.g", ".", " ", "C", "+", "+", " ", "now"]
//! );
//! ```

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

#[derive(Clone, Copy, PartialEq, Eq)]
enum C {
    Cr,
    Lf,
    Newline,
    Space,
    Letter,
    Numeric,
    MidNumLet,
    SingleQuote,
    MidLetter,
    MidNum,
    ExtendNumLet,
    Other,
}

const fn class(b: u8) -> C {
    match b {
        b'\r' => C::Cr,
        b'\n' => C::Lf,
        0x0B | 0x0C => C::Newline,
        b' ' => C::Space,
        b'A'..=b'Z' | b'a'..=b'z' => C::Letter,
        b'0'..=b'9' => C::Numeric,
        b'.' => C::MidNumLet,
        b'\'' => C::SingleQuote,
        b':' => C::MidLetter,
        b',' | b';' => C::MidNum,
        b'_' => C::ExtendNumLet,
        _ => C::Other,
    }
}

static CLASS: [C; 128] = {
    let mut t = [C::Other; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = class(i as u8);
        i += 1;
    }
    t
};

#[inline]
fn cls(b: u8) -> C {
    CLASS[(b & 0x7f) as usize]
}

#[inline]
fn mid_letter_q(c: C) -> bool {
    matches!(c, C::MidLetter | C::MidNumLet | C::SingleQuote)
}

#[inline]
fn mid_num_q(c: C) -> bool {
    matches!(c, C::MidNum | C::MidNumLet | C::SingleQuote)
}

/// Is there a word boundary between `s[j - 1]` and `s[j]` (ASCII `s`, `0 < j < len`)?
#[inline]
fn ascii_break(s: &[u8], j: usize) -> bool {
    let a = cls(s[j - 1]);
    let b = cls(s[j]);
    let before = if j >= 2 { Some(cls(s[j - 2])) } else { None };
    let after = s.get(j + 1).map(|&x| cls(x));
    match (a, b) {
        (C::Cr, C::Lf) => false,
        (C::Cr | C::Lf | C::Newline, _) | (_, C::Cr | C::Lf | C::Newline) => true,
        (C::Space, C::Space) => false,
        (C::Letter, C::Letter)
        | (C::Numeric, C::Numeric)
        | (C::Letter, C::Numeric)
        | (C::Numeric, C::Letter) => false,
        (C::Letter, m) if mid_letter_q(m) && after == Some(C::Letter) => false,
        (m, C::Letter) if mid_letter_q(m) && before == Some(C::Letter) => false,
        (C::Numeric, m) if mid_num_q(m) && after == Some(C::Numeric) => false,
        (m, C::Numeric) if mid_num_q(m) && before == Some(C::Numeric) => false,
        (C::Letter | C::Numeric | C::ExtendNumLet, C::ExtendNumLet) => false,
        (C::ExtendNumLet, C::Letter | C::Numeric) => false,
        _ => true,
    }
}

/// End of the piece starting at `pos`: the next position where UAX #29 breaks
/// whatever the context (see the module docs), or the end of `s`; and whether the
/// piece is all ASCII.
#[inline]
fn piece_end(s: &[u8], pos: usize) -> (usize, bool) {
    let mut ascii = s[pos].is_ascii();
    let mut j = pos + 1;
    while j < s.len() {
        let (p, c) = (s[j - 1], s[j]);
        if (c == b' ' && p.is_ascii() && p != b' ') || (p == b' ' && c.is_ascii() && c != b' ') {
            return (j, ascii);
        }
        ascii &= c.is_ascii();
        j += 1;
    }
    (s.len(), ascii)
}

/// The end of the segment at byte `pos` (where a piece starts) when it is a whole
/// piece of the commonest kinds: a run of ASCII letters and digits followed by a space
/// or the end of `s`, or a run of spaces followed by another ASCII byte or the end.
/// Inside the run no rule breaks (WB5, WB8–WB10; WB3d), and where it ends UAX #29
/// always breaks (see the module docs), so the run is one segment and the piece's
/// rules need not be walked. `None` for anything else.
#[inline]
fn whole_run(s: &[u8], pos: usize) -> Option<usize> {
    let first = *s.get(pos)?;
    let mut j = pos + 1;
    if first == b' ' {
        while s.get(j) == Some(&b' ') {
            j += 1;
        }
        return s.get(j).map_or(true, u8::is_ascii).then_some(j);
    }
    if !first.is_ascii_alphanumeric() {
        return None;
    }
    while s.get(j).is_some_and(u8::is_ascii_alphanumeric) {
        j += 1;
    }
    s.get(j).map_or(true, |&b| b == b' ').then_some(j)
}

/// ASCII letters and digits: no rule breaks between two of them (WB5, WB8–WB10).
#[inline]
fn alnum(b: u8) -> bool {
    matches!(cls(b), C::Letter | C::Numeric)
}

/// Word-bound segments of `s` with their byte offsets: the same sequence as
/// `s.split_word_bound_indices()`.
pub fn word_bounds(s: &str) -> WordBounds<'_> {
    WordBounds {
        s,
        pos: 0,
        piece_end: 0,
        general: None,
    }
}

/// Iterator returned by [`word_bounds`].
pub struct WordBounds<'a> {
    s: &'a str,
    /// Next byte to segment (ASCII pieces) or the start of the general piece.
    pos: usize,
    piece_end: usize,
    /// The current non-ASCII piece, segmented by `unicode-segmentation`.
    general: Option<UWordBoundIndices<'a>>,
}

impl<'a> Iterator for WordBounds<'a> {
    type Item = (usize, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'a str)> {
        // The commonest segments, a whole run of letters and digits or of spaces at the
        // start of a piece, here; the rest in `next_general`.
        if self.general.is_none() && self.pos >= self.piece_end {
            if let Some(end) = whole_run(self.s.as_bytes(), self.pos) {
                let start = self.pos;
                self.pos = end;
                self.piece_end = end;
                return self.s.get(start..end).map(|w| (start, w));
            }
        }
        self.next_general()
    }
}

impl<'a> WordBounds<'a> {
    /// [`Iterator::next`] by every rule.
    #[inline(never)]
    fn next_general(&mut self) -> Option<(usize, &'a str)> {
        loop {
            if let Some(g) = &mut self.general {
                if let Some((i, w)) = g.next() {
                    return Some((self.pos + i, w));
                }
                self.general = None;
                self.pos = self.piece_end;
            }
            let bytes = self.s.as_bytes();
            if self.pos >= bytes.len() {
                return None;
            }
            if self.pos >= self.piece_end {
                if let Some(end) = whole_run(bytes, self.pos) {
                    let start = self.pos;
                    self.pos = end;
                    self.piece_end = end;
                    return Some((start, &self.s[start..end]));
                }
                let (end, ascii) = piece_end(bytes, self.pos);
                self.piece_end = end;
                if !ascii {
                    self.general =
                        Some(self.s[self.pos..self.piece_end].split_word_bound_indices());
                    continue;
                }
            }
            // ASCII piece: one segment from `pos`.
            let piece = &bytes[..self.piece_end];
            let start = self.pos;
            let mut j = start + 1;
            loop {
                // Letters and digits run on (the usual word), then the general rules.
                if alnum(piece[j - 1]) {
                    while j < self.piece_end && alnum(piece[j]) {
                        j += 1;
                    }
                }
                if j >= self.piece_end || ascii_break(&piece[start..], j - start) {
                    break;
                }
                j += 1;
            }
            self.pos = j;
            return Some((start, &self.s[start..j]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(s: &str) -> Vec<(usize, &str)> {
        s.split_word_bound_indices().collect()
    }

    #[test]
    fn matches_unicode_segmentation_on_tricky_strings() {
        for s in [
            "",
            " ",
            "a",
            "can't won't o'clock",
            "3.14 3,000 1;2 1:2 a:b a.b.c a..b .5 5. 'a' a' 'a",
            "foo_bar _x x_ 1_2 __",
            "\r\n\n\r\r \t\u{b}\u{c}x",
            "e.g. U.S.A. C++ C# F# x86_64 v1.2.3",
            "don\u{2019}t caf\u{e9} na\u{ef}ve \u{301}a a\u{301}b",
            " \u{200d} ",
            "a \u{301}b",
            "DeFi和NFT USDT,BTC;ETH",
            "👍🏽 🇺🇸🇬🇧 x",
            "\"quoted\" (paren) [x]",
            "a\u{a0}b a\u{2009}b",
        ] {
            assert_eq!(word_bounds(s).collect::<Vec<_>>(), reference(s), "{s:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn ascii_heavy_strings_match(s in "[ a-zA-Z0-9.,;:'_\"\r\n\t\u{b}+#()-]{0,40}") {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference(&s));
        }

        #[test]
        fn mixed_strings_match(s in "[ aZ09.,;:'_\r\n\t\u{301}\u{200d}\u{2019}\u{e9}\u{a0}字カ한🚀\u{1f3fd}]{0,30}") {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference(&s));
        }

        #[test]
        fn word_and_space_runs_match(s in "[ aZ09\n.'_\u{301}\u{a0}\u{200d}字]{0,30}") {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference(&s));
        }

        #[test]
        fn any_string_matches(s in "\\PC{0,30}") {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference(&s));
        }
    }
}
