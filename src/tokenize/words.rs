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
//! their own: ASCII pieces by the rules below, pieces of ASCII and the typographic
//! quotes and dash of English text (`‘’“”—`, whose classes are MidNumLet and Other) by
//! the same rules a character at a time, other pieces by `unicode-segmentation`.
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
    class_break(a, b, before, after)
}

/// Is there a word boundary between characters of classes `a` and `b`, with `before`
/// the class of the character before `a` and `after` that of the one after `b` (`None`
/// at the ends of the piece)?
#[inline]
fn class_break(a: C, b: C, before: Option<C>, after: Option<C>) -> bool {
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

/// Word_Break class of the typographic marks of English text that are not ASCII,
/// from the 3 bytes of their UTF-8 form: `‘` U+2018 and `’` U+2019 (MidNumLet), `“`
/// U+201C, `”` U+201D and `—` U+2014 (Other). `None` for any other character.
#[inline]
fn quote_class(b: &[u8]) -> Option<C> {
    match b {
        [0xE2, 0x80, 0x98 | 0x99, ..] => Some(C::MidNumLet),
        [0xE2, 0x80, 0x9C | 0x9D | 0x94, ..] => Some(C::Other),
        _ => None,
    }
}

/// Whether `b` opens with one of the typographic marks of [`quote_class`] (3 bytes),
/// none of them a letter or digit.
#[inline]
pub(super) fn opens_with_quote(b: &[u8]) -> bool {
    quote_class(b).is_some()
}

/// Is `piece` made only of ASCII and [`quote_class`] characters? Such a piece is cut
/// by the ASCII rules with each quote as one character of its class: no rule that
/// needs other characters (WB4's Extend/Format/ZWJ, WB3c, WB7a–c, WB13, WB15–16)
/// can apply.
#[inline]
fn quotes_only(piece: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&b) = piece.get(i) {
        if b.is_ascii() {
            i += 1;
        } else if quote_class(&piece[i..]).is_some() {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

/// Class and UTF-8 length of the character at byte `j` of a [`quotes_only`] piece.
#[inline]
fn q_char(piece: &[u8], j: usize) -> (C, usize) {
    match piece.get(j) {
        Some(&b) if b.is_ascii() => (cls(b), 1),
        _ => (
            quote_class(piece.get(j..).unwrap_or(&[])).unwrap_or(C::Other),
            3,
        ),
    }
}

/// Start of the character that ends at byte `j` of a [`quotes_only`] piece.
#[inline]
fn q_prev(piece: &[u8], j: usize) -> usize {
    if piece[j - 1].is_ascii() {
        j - 1
    } else {
        j.saturating_sub(3)
    }
}

/// [`ascii_break`] for a [`quotes_only`] piece `s`: is there a word boundary at byte `j`
/// (a character boundary, `0 < j < len`)?
#[inline]
fn quote_break(s: &[u8], j: usize) -> bool {
    let p = q_prev(s, j);
    let (a, _) = q_char(s, p);
    let (b, blen) = q_char(s, j);
    let before = (p > 0).then(|| q_char(s, q_prev(s, p)).0);
    let after = (j + blen < s.len()).then(|| q_char(s, j + blen).0);
    class_break(a, b, before, after)
}

/// End of the piece starting at `pos`: the next position where UAX #29 breaks
/// whatever the context (see the module docs), or the end of `s`; and whether the
/// piece is all ASCII.
///
/// (A piece that is not all ASCII may still be made of ASCII and [`quote_class`]
/// characters only: see [`quotes_only`].)
#[inline]
pub(super) fn piece_end(s: &[u8], pos: usize) -> (usize, bool) {
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

/// The end of the segment at byte `pos` (where a piece starts) when it is of the
/// commonest kinds: a run of spaces followed by another ASCII byte or the end of `s`,
/// or a run of ASCII letters and digits followed by
/// * a space or the end of `s`;
/// * an ASCII byte of class Other (`)`, `!`, `"`, `-`, `@` …), CR, LF or Newline, or
///   one of the typographic marks `“`, `”`, `—` (class Other too);
/// * a `.`, `'`, `:`, `,` or `;` (the Mid classes) that is followed by the end of `s`
///   or by an ASCII byte other than a letter or digit (the word of prose before its
///   comma or full stop).
///
/// Inside the run no rule breaks (WB5, WB8–WB10; WB3d), and at its end UAX #29
/// breaks: before a space (see the module docs), before a character of class Other
/// or a newline (WB999, WB3a–b; no rule joins them to a letter or digit), before a
/// Mid character that is not followed by a letter or digit (WB6 and WB12, the only
/// rules that could join it, need one after it). The segmentation after the run does
/// not depend on the run either: the rules that look back past the character before
/// a break (WB7, WB11: a letter or digit, a Mid character, then a letter or digit)
/// would need that character to be Mid and the one at the break a letter or digit,
/// which the conditions above rule out, and so do the regional-indicator rules
/// (WB15–16: the run has none). So the run is one segment, the next piece starts
/// after it, and the piece's rules need not be walked. `None` for anything else
/// (`_` joins, `.` between letters or digits may join, other characters may be
/// Extend or Format).
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
    run_ends(s, j).then_some(j)
}

/// Whether a run of ASCII letters and digits that starts a segment and ends at byte
/// `j` of `s` is that whole segment: `j` is the end of `s`, or the byte there is one
/// of those [`whole_run`] lists (UAX #29 breaks before it whatever follows).
///
/// An ASCII byte is decided by two table reads ([`RUN_END`], [`NEXT_NON_WORD`]) and
/// no branch on its value: the byte after a word is a space, a comma or a full stop
/// in turn, and a branch on it was mispredicted often (pinned against
/// [`run_ends_by_match`] in tests).
#[inline]
pub(super) fn run_ends(s: &[u8], j: usize) -> bool {
    let Some(&b) = s.get(j) else {
        return true;
    };
    if b >= 0x80 {
        // `“` U+201C, `”` U+201D, `—` U+2014: class Other.
        return quote_class(&s[j..]) == Some(C::Other);
    }
    // (Past the end of `s` as before a space: nothing follows to join.)
    let n = s.get(j + 1).copied().unwrap_or(b' ');
    RUN_END[usize::from(b)] & (ENDS | NEXT_NON_WORD[usize::from(n)]) != 0
}

/// [`RUN_END`]: the run ends before this ASCII byte whatever follows it.
const ENDS: u8 = 1;
/// [`RUN_END`]: the run ends before this ASCII byte (a Mid character, `.`, `'`,
/// `:`, `,` or `;`) when the byte after it is ASCII and no letter or digit
/// ([`NEXT_NON_WORD`]).
const ENDS_BEFORE_NON_WORD: u8 = 2;

/// [`run_ends`] of each ASCII byte after a run: [`ENDS`], [`ENDS_BEFORE_NON_WORD`],
/// or 0 for `_` (which joins) and for the bytes from `0x80` (decided apart).
static RUN_END: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x80 {
        t[i] = match i as u8 {
            b'_' => 0,
            b'.' | b'\'' | b':' | b',' | b';' => ENDS_BEFORE_NON_WORD,
            _ => ENDS,
        };
        i += 1;
    }
    t
};

/// [`ENDS_BEFORE_NON_WORD`] for the ASCII bytes that are no letter or digit, 0 for
/// the others.
static NEXT_NON_WORD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x80 {
        if !(i as u8).is_ascii_alphanumeric() {
            t[i] = ENDS_BEFORE_NON_WORD;
        }
        i += 1;
    }
    t
};

/// [`run_ends`] as it was written before its tables.
#[cfg(test)]
fn run_ends_by_match(s: &[u8], j: usize) -> bool {
    let Some(&b) = s.get(j) else {
        return true;
    };
    match b {
        b'_' => false,
        b'.' | b'\'' | b':' | b',' | b';' => s
            .get(j + 1)
            .map_or(true, |&n| n.is_ascii() && !n.is_ascii_alphanumeric()),
        0..=0x7F => true,
        _ => quote_class(&s[j..]) == Some(C::Other),
    }
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
        quotes: false,
        general: None,
    }
}

/// Iterator returned by [`word_bounds`].
pub struct WordBounds<'a> {
    s: &'a str,
    /// Next byte to segment (ASCII pieces) or the start of the general piece.
    pos: usize,
    piece_end: usize,
    /// The current piece is not all ASCII but [`quotes_only`].
    quotes: bool,
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
                self.quotes = !ascii && quotes_only(&bytes[self.pos..end]);
                if !ascii && !self.quotes {
                    self.general =
                        Some(self.s[self.pos..self.piece_end].split_word_bound_indices());
                    continue;
                }
            }
            let piece = &bytes[..self.piece_end];
            let start = self.pos;
            if self.quotes {
                // ASCII and quotes: one segment from `pos`, a character at a time.
                let seg = &piece[start..];
                let mut j = q_char(seg, 0).1;
                loop {
                    // Letters and digits run on (no rule breaks between two of
                    // them, whatever their context), then the rules a character at a
                    // time.
                    if seg[j - 1].is_ascii_alphanumeric() {
                        while seg.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                            j += 1;
                        }
                    }
                    if j >= seg.len() || quote_break(seg, j) {
                        break;
                    }
                    j += q_char(seg, j).1;
                }
                self.pos = start + j;
                return Some((start, &self.s[start..self.pos]));
            }
            // ASCII piece: one segment from `pos`.
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
            "\u{201c}We won\u{2019}t\u{2014}can\u{2019}t\u{2014}stop.\u{201d} \u{2018}3\u{2019}5\u{2019}",
            "rock \u{2019}n\u{2019} roll \u{2019}90s a\u{2018}b 1\u{2019}000 x\u{2019}\u{2019}y \u{201c}\u{201d}",
            "\u{2014}\u{2014} \u{2014}a\u{2014}1\u{2014} \u{2019} \u{2019}\r\n\u{2019}",
        ] {
            assert_eq!(word_bounds(s).collect::<Vec<_>>(), reference(s), "{s:?}");
        }
    }

    /// The fast path takes a word before its comma, full stop, bracket or closing
    /// quote whole (each of these must agree with `unicode-segmentation`, which the
    /// tests around check), and leaves the joining cases to the rules.
    /// The tables of `run_ends` against its match: every pair of bytes after a run,
    /// a byte alone at the end, and the typographic marks.
    #[test]
    fn run_ends_is_its_match() {
        use super::{run_ends, run_ends_by_match};
        let mut ends = [0usize; 2];
        for b in 0..=u8::MAX {
            let alone = [b'a', b];
            assert_eq!(run_ends(&alone, 1), run_ends_by_match(&alone, 1), "{b}");
            for n in 0..=u8::MAX {
                let s = [b'a', b, n];
                let got = run_ends(&s, 1);
                assert_eq!(got, run_ends_by_match(&s, 1), "{b} {n}");
                ends[usize::from(got)] += 1;
            }
        }
        for q in [
            "\u{201C}", "\u{201D}", "\u{2014}", "\u{2018}", "\u{2019}", "é",
        ] {
            let s = format!("ab{q}c");
            assert_eq!(
                run_ends(s.as_bytes(), 2),
                run_ends_by_match(s.as_bytes(), 2),
                "{q}"
            );
        }
        assert!(run_ends(b"ab", 2));
        assert!(ends[0] > 1000 && ends[1] > 1000, "{ends:?}");
    }

    #[test]
    fn whole_run_takes_words_before_punctuation() {
        for (s, want) in [
            ("word, x", Some(4)),
            ("word.", Some(4)),
            ("word. x", Some(4)),
            ("word.. x", Some(4)),
            ("word) x", Some(4)),
            ("word!?", Some(4)),
            ("x86\r\nx", Some(3)),
            ("word\u{201d} x", Some(4)),
            ("word\u{2014}x", Some(4)),
            ("user@example.com", Some(4)),
            ("a.b", None),
            ("1,2", None),
            ("a'b", None),
            ("a:b", None),
            ("a_b", None),
            ("a.\u{e9}", None),
            ("a.\u{301}", None),
            ("a\u{2019}s", None),
            ("a\u{301}", None),
            ("a\u{a0}b", None),
        ] {
            assert_eq!(whole_run(s.as_bytes(), 0), want, "{s:?}");
            assert_eq!(word_bounds(s).collect::<Vec<_>>(), reference(s), "{s:?}");
        }
    }

    #[test]
    fn english_quotes_take_the_quote_path() {
        assert!(quotes_only(
            "\u{201c}won\u{2019}t\u{2014}\u{2018}a.\u{201d}".as_bytes()
        ));
        assert!(quotes_only(b"plain"));
        for other in ["\u{2013}", "\u{e9}", "\u{301}", "\u{a0}", "\u{2024}", "字"] {
            assert!(!quotes_only(format!("a{other}b").as_bytes()), "{other:?}");
        }
        // One segment for the word with its apostrophe, as UAX #29 says (WB6, WB7).
        let v: Vec<&str> = word_bounds("\u{201c}Don\u{2019}t\u{201d}")
            .map(|(_, w)| w)
            .collect();
        assert_eq!(v, ["\u{201c}", "Don\u{2019}t", "\u{201d}"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn ascii_heavy_strings_match(s in "[ a-zA-Z0-9.,;:'_\"\r\n\t\u{b}+#()-]{0,40}") {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference(&s));
        }

        #[test]
        fn words_before_punctuation_match(s in "([a-z0-9]{1,4}[.,;:'_\")!\r\n -]{0,2}(\u{201c}|\u{201d}|\u{2014}|\u{2019}|\u{301}|\u{e9})?){0,8}") {
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
        fn quote_strings_match(s in "[ aZ09.,;:'_\"\r\n\u{b}+\u{2018}\u{2019}\u{201c}\u{201d}\u{2014}\u{2013}\u{301}\u{a0}字]{0,30}") {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference(&s));
        }

        #[test]
        fn any_string_matches(s in "\\PC{0,30}") {
            prop_assert_eq!(word_bounds(&s).collect::<Vec<_>>(), reference(&s));
        }
    }
}
