//! Runs other than Chinese: cut at Unicode word bounds ([`super::words`]), programming
//! names (`C++`, `C#`) glued back together, terms lowercased, ALL-CAPS flagged.
//!
//! ```
//! let tok = duibi::tokenize::Tokenizer::builder().build().unwrap();
//! let terms: Vec<String> = tok.terms_of("DeFi and C++ rose 3,000").into_iter().map(|(t, _)| t).collect();
//! assert_eq!(terms, ["defi", "and", "c++", "rose", "3,000"]);
//! ```

use super::{special, words, TokenBuf, TokenKind, Tokenizer};
use crate::lang::Lang;
use crate::text::classes;

impl Tokenizer {
    pub(super) fn cut_words(
        &self,
        s: &str,
        base: usize,
        lang: Lang,
        buf: &mut TokenBuf,
        flag_stop: bool,
    ) {
        // The run, once: an ASCII word's term is a range of this copy (lowercased in
        // place), not a copy of its own.
        let off = buf.push_text(s);
        // From segment start to segment start: the commonest stretches (a word of
        // letters and digits, spaces, punctuation) at once, the rest piece by piece.
        let b = s.as_bytes();
        let mut pos = 0;
        while pos < b.len() {
            if let Some(end) = self.cut_plain(s, pos, (base, off), lang, buf, flag_stop) {
                pos = end;
                continue;
            }
            let (end, _) = words::piece_end(b, pos);
            self.cut_piece(s, pos..end, (base, off), lang, buf, flag_stop);
            pos = end;
        }
    }

    /// The segments of run `s` that start at byte `pos`, where a word segment starts,
    /// when they are of the commonest kinds: their tokens pushed, and the end, where
    /// the next segment starts; `None` (nothing pushed) for any other, which
    /// [`Tokenizer::cut_piece`] cuts. Exactly the tokens `cut_piece` would cut:
    ///
    /// * a run of ASCII letters and digits that is a whole segment
    ///   ([`words::run_ends`]), neither opening a special token nor a short word a
    ///   `+` or `#` could be glued to: one token, its bytes' classes read in the
    ///   same pass that finds its end;
    /// * a stretch of ASCII bytes other than letters, digits, `_`, `@` and `#`, and
    ///   of the marks `‘’“”—`, followed by an ASCII byte or the end: no letter or
    ///   digit, so no token and no special one. UAX #29 breaks after it: no rule
    ///   joins such a character to a following ASCII one (those that join something
    ///   to a letter or digit need a letter, a digit or `_` before it: WB5–WB13b).
    ///
    /// UAX #29 never looks back across a place where it breaks (the rules that look
    /// two characters back, WB7 and WB11, would have joined at that place too), so a
    /// run cut from a segment start on is cut as it is within the whole run.
    #[inline]
    fn cut_plain(
        &self,
        s: &str,
        pos: usize,
        (base, off): (usize, usize),
        lang: Lang,
        buf: &mut TokenBuf,
        flag_stop: bool,
    ) -> Option<usize> {
        let b = s.as_bytes();
        let first = BYTE_BITS[usize::from(*b.get(pos)?)];
        if first & (ALPHA | DIGIT) == 0 {
            let mut j = pos;
            while let Some(&c) = b.get(j) {
                if c < 0x80 {
                    if BYTE_BITS[usize::from(c)] & (ALPHA | DIGIT) != 0
                        || matches!(c, b'_' | b'@' | b'#')
                    {
                        break;
                    }
                    j += 1;
                } else if words::opens_with_quote(&b[j..]) {
                    j += 3;
                } else {
                    return None;
                }
            }
            return (j > pos).then_some(j);
        }
        let (j, or) = alnum_run(b, pos);
        if !words::run_ends(b, j) {
            return None;
        }
        // A short word of letters may take a `+` or `#` ([`Tokenizer::cut_word`]).
        // (The rare byte first: the branch on a word's length was mispredicted.)
        if matches!(b.get(j), Some(b'+' | b'#')) && or & DIGIT == 0 && j - pos <= 2 {
            return None;
        }
        let w = s.get(pos..j)?;
        if special::plain_word_may_open(w.len(), b.get(j).copied())
            && special::at_with(s, pos, w, false).is_some()
        {
            return None;
        }
        // (No possessive to fold: the word has no apostrophe.)
        buf.push_ascii_range(
            base + pos,
            base + j,
            (off + pos, off + j),
            lang,
            or & ALPHA == 0,
            or & UPPER != 0,
            or & LOWER != 0,
        );
        if flag_stop {
            self.flag_last_stop(buf, lang);
        }
        Some(j)
    }

    /// The tokens of the bytes `piece` of run `s` (copied to byte `off` of `buf`'s
    /// terms; the run is at byte `base` of the text), segment by segment: `piece`
    /// starts where a word segment starts and ends where a special token never
    /// reaches across (a piece end of [`words::piece_end`], or the end of `s`).
    #[allow(clippy::too_many_arguments)]
    fn cut_piece(
        &self,
        s: &str,
        piece: std::ops::Range<usize>,
        (base, off): (usize, usize),
        lang: Lang,
        buf: &mut TokenBuf,
        flag_stop: bool,
    ) {
        let piece_end = piece.end;
        // Word bounds restart after a special token that ends inside a segment.
        let mut from = piece.start;
        'restart: loop {
            let mut it = words::word_bounds(&s[from..piece_end]).peekable();
            while let Some((i, w)) = it.next() {
                if let [c] = *w.as_bytes() {
                    if nothing_from(c) {
                        continue; // a space or a mark alone: no token, no special one
                    }
                }
                let i = from + i;
                // The word's byte classes, once: whether it can be a domain (a `.`),
                // and, for a word, its letters, digits and case.
                let bits = ascii_bits(w.as_bytes());
                let dot = bits.map_or(true, |(or, _)| or & DOT != 0);
                if let Some((end, kind)) = special::at_with(s, i, w, dot) {
                    let numeric = matches!(kind, TokenKind::Number | TokenKind::Date);
                    buf.push_lower(base + i, base + end, &s[i..end], lang, numeric, false);
                    buf.set_last_kind(kind);
                    while let Some(&(j, nx)) = it.peek() {
                        let j = from + j;
                        if j >= end {
                            break;
                        }
                        if j + nx.len() > end {
                            from = end;
                            continue 'restart;
                        }
                        it.next();
                    }
                    continue;
                }
                let word = (i, w, bits);
                self.cut_word(s, word, (&mut it, from), (base, off), lang, buf, flag_stop);
            }
            break;
        }
    }

    /// One word segment `w` at byte `i` of run `s`, with its [`ascii_bits`] (a
    /// C++-style suffix taken from
    /// `it`, which yields offsets from `from`); the run is at byte `base` of the text
    /// and its copy at byte `off` of `buf`'s terms.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn cut_word<'a>(
        &self,
        s: &str,
        (i, w, bits): (usize, &str, Option<(u8, u8)>),
        (it, from): (&mut std::iter::Peekable<words::WordBounds<'a>>, usize),
        (base, off): (usize, usize),
        lang: Lang,
        buf: &mut TokenBuf,
        flag_stop: bool,
    ) {
        // (has a letter or digit, has a letter, all letters and at most 2 chars), and
        // for an ASCII word its case bits, so that lowercasing it scans it no more.
        let (alnum, alpha, short_word) = if let Some(or_and) = bits {
            let (or, and) = or_and;
            (
                or & (ALPHA | DIGIT) != 0,
                or & ALPHA != 0,
                and & ALPHA != 0 && w.len() <= 2,
            )
        } else {
            (
                w.chars().any(classes::is_alphanumeric),
                w.chars().any(classes::is_alphabetic),
                w.chars().all(classes::is_alphabetic) && w.chars().count() <= 2,
            )
        };
        if !alnum {
            return;
        }
        let mut end = i + w.len();
        // Glue programming-language style suffixes: C++, C#, F#.
        if short_word {
            while let Some(&(j, nx)) = it.peek() {
                if from + j == end && (nx == "+" || nx == "#") {
                    end = from + j + nx.len();
                    it.next();
                } else {
                    break;
                }
            }
        }
        let surface = &s[i..end];
        // (The glued `+` and `#` are not letters.)
        let numeric = !alpha;
        match bits {
            // (The glued `+` and `#` are neither capitals nor lowercase letters.)
            Some((or, _)) => buf.push_ascii_range(
                base + i,
                base + end,
                (off + i, off + end),
                lang,
                numeric,
                or & UPPER != 0,
                or & LOWER != 0,
            ),
            None => buf.push_lower(base + i, base + end, surface, lang, numeric, true),
        }
        if alpha && lang == Lang::En {
            buf.fold_last(possessive(surface));
        }
        if flag_stop {
            self.flag_last_stop(buf, lang);
        }
    }
}

/// Whether a word segment of the one byte `c` (ASCII: a one-byte segment is one
/// character) can give no token: it is no letter or digit, so not a word
/// ([`Tokenizer::cut_word`]), and opens no special token ([`special::at_with`] reads `@`
/// and `#` only, besides letters and digits). Such segments, the spaces between
/// words and most punctuation, are about half of an English run's segments, and are
/// passed over without either test.
#[inline]
fn nothing_from(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || c == b'@' || c == b'#')
}

/// [`ascii_bits`]: an ASCII letter.
const ALPHA: u8 = 1;
/// [`ascii_bits`]: an ASCII digit.
const DIGIT: u8 = 2;
/// [`ascii_bits`]: an ASCII capital letter.
const UPPER: u8 = 4;
/// [`ascii_bits`]: an ASCII lowercase letter.
const LOWER: u8 = 8;
/// [`ascii_bits`]: not ASCII.
const HIGH: u8 = 16;
/// [`ascii_bits`]: a full stop.
const DOT: u8 = 32;

/// The class bits of every byte.
static BYTE_BITS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b >= 0x80 {
            HIGH
        } else if b.is_ascii_uppercase() {
            ALPHA | UPPER
        } else if b.is_ascii_lowercase() {
            ALPHA | LOWER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if b == b'.' {
            DOT
        } else {
            0
        };
        i += 1;
    }
    t
};

/// The end of the run of ASCII letters and digits from byte `pos` of `b`, and the
/// [`BYTE_BITS`] of its bytes ORed together (of [`ALPHA`], [`DIGIT`], [`UPPER`] and
/// [`LOWER`]; a run of letters only has no [`DIGIT`]). Eight bytes at a time
/// ([`alnum_classes`]): a word of up to seven bytes ends inside the first eight, so
/// the loop's exit, which a byte-by-byte loop mispredicts at most words' ends, is
/// taken at the same place for most words. The bytes after the last eight are taken
/// one by one. Pinned against [`alnum_run_bytewise`] in tests.
#[inline]
fn alnum_run(b: &[u8], pos: usize) -> (usize, u8) {
    let mut j = pos;
    // The high bits of the run's bytes of each class, from every block.
    let (mut letters, mut digits, mut lower, mut upper) = (0u64, 0u64, 0u64, 0u64);
    while let Some(w) = b.get(j..j + 8) {
        let Ok(w) = <[u8; 8]>::try_from(w) else {
            break; // (a slice of eight bytes)
        };
        let (l, d, lo) = alnum_classes(u64::from_le_bytes(w));
        let stop = !(l | d) & HIGH_BITS;
        // The bytes before the first stop (all eight if there is none).
        let keep = stop.wrapping_sub(1) & !stop & HIGH_BITS;
        letters |= l & keep;
        digits |= d & keep;
        lower |= lo & keep;
        upper |= l & !lo & keep;
        if stop != 0 {
            j += (stop.trailing_zeros() / 8) as usize;
            return (j, class_bits(letters, digits, upper, lower));
        }
        j += 8;
    }
    let mut or = class_bits(letters, digits, upper, lower);
    while let Some(&c) = b.get(j) {
        let f = BYTE_BITS[usize::from(c)];
        if f & (ALPHA | DIGIT) == 0 {
            break;
        }
        or |= f;
        j += 1;
    }
    (j, or)
}

/// [`alnum_run`] a byte at a time, as it was written before.
#[cfg(test)]
fn alnum_run_bytewise(b: &[u8], pos: usize) -> (usize, u8) {
    let mut or = 0u8;
    let mut j = pos;
    while let Some(&c) = b.get(j) {
        let f = BYTE_BITS[usize::from(c)];
        if f & (ALPHA | DIGIT) == 0 {
            break;
        }
        or |= f;
        j += 1;
    }
    (j, or)
}

/// Bit 7 of every byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Byte `x` in every byte of a `u64`.
const fn splat(x: u8) -> u64 {
    x as u64 * 0x0101_0101_0101_0101
}

/// The ASCII letters, the ASCII digits and the ASCII lowercase letters among the
/// eight bytes of `x`: bit 7 of each such byte set, every other bit clear. Bytes of
/// `0x80` and above are none of them. Each test adds a constant to the byte's low
/// seven bits, which never carries into the next byte (at most `0x7F + 0x50`), and
/// reads bit 7 of the sum: `y + (0x80 - lo)` has it when `y >= lo`.
#[inline(always)]
fn alnum_classes(x: u64) -> (u64, u64, u64) {
    let ascii = !x & HIGH_BITS;
    let y = x & !HIGH_BITS;
    // Bit 5 set folds capitals onto lowercase letters (and no other byte onto one).
    let folded = y | splat(0x20);
    let letter = (folded + splat(0x80 - b'a')) & !(folded + splat(0x80 - b'z' - 1)) & ascii;
    let digit = (y + splat(0x80 - b'0')) & !(y + splat(0x80 - b'9' - 1)) & ascii;
    // A lowercase letter has bit 5 set, a capital has not: bit 5 moved to bit 7.
    let lower = letter & (y << 2);
    (letter, digit, lower)
}

/// [`BYTE_BITS`] classes of a run from its [`alnum_classes`] bits, ORed over blocks.
#[inline(always)]
fn class_bits(letters: u64, digits: u64, upper: u64, lower: u64) -> u8 {
    (u8::from(letters != 0) * ALPHA)
        | (u8::from(digits != 0) * DIGIT)
        | (u8::from(upper != 0) * UPPER)
        | (u8::from(lower != 0) * LOWER)
}

/// The class bits of the bytes of `w` ORed together and ANDed together, one table
/// read a byte; `None` when `w` is not ASCII.
#[inline]
fn ascii_bits(w: &[u8]) -> Option<(u8, u8)> {
    let (mut or, mut and) = (0u8, u8::MAX);
    for &b in w {
        let f = BYTE_BITS[usize::from(b)];
        or |= f;
        and &= f;
    }
    (or & HIGH == 0).then_some((or, and))
}

/// Bytes of an English possessive ending (`'s`, `’s`) to drop from a word's term.
#[inline]
fn possessive(surface: &str) -> usize {
    let b = surface.as_bytes();
    if b.len() < 3 || (b[b.len() - 1] | 0x20) != b's' {
        return 0;
    }
    if b[b.len() - 2] == b'\'' {
        2
    } else if b.len() > 4 && b[..b.len() - 1].ends_with("\u{2019}".as_bytes()) {
        4
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::super::{all_caps, special, words, TokenBuf, TokenKind, Tokenizer};
    use crate::lang::Lang;
    use proptest::prelude::*;

    fn tok() -> &'static Tokenizer {
        static T: std::sync::OnceLock<Tokenizer> = std::sync::OnceLock::new();
        T.get_or_init(|| Tokenizer::builder().build().expect("tokenizer builds"))
    }

    /// The byte classes against the standard library's, byte by byte and over words.
    #[test]
    fn ascii_bits_are_the_classes_of_the_bytes() {
        use super::{ascii_bits, ALPHA, DIGIT, DOT, LOWER, UPPER};
        for b in 0..=u8::MAX {
            let got = ascii_bits(&[b]);
            if !b.is_ascii() {
                assert_eq!(got, None, "{b}");
                continue;
            }
            let bit = |on: bool, bit: u8| if on { bit } else { 0 };
            let want = bit(b.is_ascii_alphabetic(), ALPHA)
                | bit(b.is_ascii_digit(), DIGIT)
                | bit(b.is_ascii_uppercase(), UPPER)
                | bit(b.is_ascii_lowercase(), LOWER)
                | bit(b == b'.', DOT);
            assert_eq!(got, Some((want, want)), "{b}");
        }
        assert_eq!(ascii_bits(b"Ab1"), Some((ALPHA | DIGIT | UPPER | LOWER, 0)));
        assert_eq!(ascii_bits(b"ab"), Some((ALPHA | LOWER, ALPHA | LOWER)));
        assert_eq!(ascii_bits("aé".as_bytes()), None);
        assert_eq!(ascii_bits(b""), Some((0, u8::MAX)));
        assert_eq!(ascii_bits(b"a.b"), Some((ALPHA | LOWER | DOT, 0)));
    }

    /// The eight-byte run scan against the byte loop: every byte value at every
    /// place of a run of every length up to 20 (so in the first block, a later one
    /// and the byte-by-byte tail), after letters, digits and both cases.
    #[test]
    fn alnum_run_is_the_byte_loop() {
        use super::{alnum_run, alnum_run_bytewise};
        let words: [&[u8]; 6] = [b"a", b"Z", b"7", b"aB3", b"xyz", b"0Q9z"];
        let mut runs = 0;
        for len in 0..20 {
            for w in words {
                let mut s: Vec<u8> = w.iter().copied().cycle().take(len + 1).collect();
                s.extend_from_slice(b"q1");
                for at in 1..s.len() {
                    for x in 0..=u8::MAX {
                        let mut t = s.clone();
                        t[at] = x;
                        for pos in [0, at.min(1)] {
                            assert_eq!(
                                alnum_run(&t, pos),
                                alnum_run_bytewise(&t, pos),
                                "{t:?} from {pos}"
                            );
                            runs += 1;
                        }
                    }
                }
            }
        }
        assert!(runs > 100_000, "{runs}");
    }

    fn check(s: &str) {
        let (text, buf) = tok().tokenize(s);
        for t in buf.tokens() {
            let surface = &text[t.start as usize..t.end as usize];
            let want = t.lang != Lang::Zh && !t.kind.is_web() && all_caps(surface);
            assert_eq!(t.caps, want, "{surface:?} in {s:?}");
        }
    }

    #[test]
    fn caps_flag_is_all_caps_of_the_surface() {
        for s in [
            "BTC SEC's U.S. DeFi NFT3 3,000 ÉTÉ été Été ΑΒΓ αβγ ǅ ǄX C++ I",
            "比特幣BTC挖矿ETF Ｆｕｌｌ ＦＵＬＬ",
        ] {
            check(s);
        }
    }

    /// The word cutter as it was written before its ASCII fast path, with the special
    /// tokens and possessives of [`special`] added: (start, end, term, numeric) of each
    /// token of an English run.
    fn reference_words(s: &str) -> Vec<(usize, usize, String, bool)> {
        let lower = |x: &str| -> String { x.chars().flat_map(char::to_lowercase).collect() };
        let mut out = Vec::new();
        let mut from = 0;
        'restart: loop {
            let mut it = words::word_bounds(&s[from..]).peekable();
            while let Some((i, w)) = it.next() {
                let i = from + i;
                if let Some((e, kind)) = special::at(s, i, w) {
                    let numeric = matches!(kind, TokenKind::Number | TokenKind::Date);
                    out.push((i, e, lower(&s[i..e]), numeric));
                    while let Some(&(j, nx)) = it.peek() {
                        if from + j >= e {
                            break;
                        }
                        if from + j + nx.len() > e {
                            from = e;
                            continue 'restart;
                        }
                        it.next();
                    }
                    continue;
                }
                if !w.chars().any(char::is_alphanumeric) {
                    continue;
                }
                let mut end = i + w.len();
                if w.chars().all(|c| c.is_alphabetic()) && w.chars().count() <= 2 {
                    while let Some(&(j, nx)) = it.peek() {
                        if from + j == end && (nx == "+" || nx == "#") {
                            end = from + j + nx.len();
                            it.next();
                        } else {
                            break;
                        }
                    }
                }
                let surface = &s[i..end];
                let numeric = !surface.chars().any(char::is_alphabetic);
                // Char by char, as `push_lower` does (no final-sigma rule).
                let mut term = lower(surface);
                if !numeric {
                    for suffix in ["'s", "'S", "\u{2019}s", "\u{2019}S"] {
                        if surface.len() > suffix.len() && surface.ends_with(suffix) {
                            term.truncate(term.len() - suffix.len());
                        }
                    }
                }
                out.push((i, end, term, numeric));
            }
            break;
        }
        out
    }

    fn check_words(s: &str) {
        let mut buf = TokenBuf::new();
        tok().cut_words(s, 0, Lang::En, &mut buf, false);
        let got: Vec<(usize, usize, String, bool)> = buf
            .iter()
            .map(|(t, term)| (t.start as usize, t.end as usize, term.to_owned(), t.numeric))
            .collect();
        assert_eq!(got, reference_words(s), "{s:?}");
    }

    #[test]
    fn one_byte_segments_passed_over_give_nothing() {
        // Every ASCII byte alone and in the places a special token or a glued suffix
        // reads it from (after a word, before letters and digits, between two
        // digits, after a short word), cut as the reference cuts it.
        let mut skipped = 0;
        for c in (0..0x80u8).map(char::from) {
            skipped += usize::from(super::nothing_from(c as u8));
            for s in [
                format!("{c}"),
                format!("a{c}b"),
                format!("{c}who and {c}tag"),
                format!("1{c}2 2021{c}01{c}02 x {c}"),
                format!("C{c}{c} ab{c} a.b{c}c.com"),
            ] {
                check_words(&s);
            }
        }
        assert!(skipped > 40, "{skipped}");
    }

    #[test]
    fn bare_domains_are_urls() {
        let (_, buf) = tok().tokenize("see example.com and www.example.org now");
        let urls: Vec<&str> = buf
            .iter()
            .filter(|(t, _)| t.kind == TokenKind::Url)
            .map(|(_, term)| term)
            .collect();
        assert_eq!(urls, ["example.com", "www.example.org"]);
    }

    #[test]
    fn word_cutter_matches_reference() {
        for s in [
            "C++ C# F# c+ ab+ abc+ a1+ é+ éé# 3,000 x86_64 Don't BTC's naïve Straße ΣΑΣ",
            "bitcoin\u{2019}s SEC's 's x's #tag @who a.b@c.com https://x.org/a?b=1). 20% 2021-01-02",
            "   ",
            "",
            "++ ## a",
            "ǅ+ Ⅳ ½ ²",
            // Bare domains and `www.` addresses need the full stop the byte classes
            // record (`DOT`): without it they would be cut as words.
            "see example.com, www.example.org and Example.COM. e.g. U.S. bitcoin.org's x.io",
        ] {
            check_words(s);
        }
    }

    /// Every token field of an English run cut by `cut`.
    fn cut_with(cut: impl Fn(&mut TokenBuf)) -> Vec<(super::super::Token, String)> {
        let mut buf = TokenBuf::new();
        cut(&mut buf);
        buf.iter().map(|(t, term)| (*t, term.to_owned())).collect()
    }

    /// The run cut from segment start to segment start ([`Tokenizer::cut_words`]: the
    /// commonest stretches at once) gives the tokens of the run cut as one piece,
    /// segment by segment, as before that fast path.
    fn check_plain(s: &str) {
        for flag_stop in [false, true] {
            let got = cut_with(|b| tok().cut_words(s, 3, Lang::En, b, flag_stop));
            let want = cut_with(|b| {
                let off = b.push_text(s);
                tok().cut_piece(s, 0..s.len(), (3, off), Lang::En, b, flag_stop)
            });
            assert_eq!(got, want, "{s:?}");
        }
    }

    #[test]
    fn plain_stretches_cut_as_whole_pieces() {
        for s in [
            "The man, the “Old One”, said: don\u{2019}t go\u{2014}now! (Really?) e.g. U.S. 3,000",
            "a._b a_b _a a:b a;b. a.\u{301}b x\r\n\ny \t\u{b}z ‘Tis dogs\u{2019} c++ C# ab+ abc#",
            "mail a.b@c.com @who #tag https://x.org/a. www.x.org 20% 2021-01-02 0xABCDEF0123456789ab",
            "the \u{301}a \u{201c}\u{301}b é.b 1.5 1,2 x1 1x 9_ \u{2018}\u{2019}\u{2014} .. '' ",
        ] {
            check_plain(s);
        }
    }

    proptest! {
        #[test]
        fn plain_stretches_on_random_text(
            s in "[ aZ09.,:;'_+#@%/\\-\r\n\t()\u{2018}\u{2019}\u{201c}\u{201d}\u{2014}\u{301}\u{200d}é]{0,40}"
        ) {
            check_plain(&s);
        }

        #[test]
        fn caps_flag_on_random_text(s in "[ aZ09.'ÉéΣσǅ字+#-]{0,30}") {
            check(&s);
        }

        #[test]
        fn word_cutter_on_random_text(s in "[ aZ09.,'_+#@:/éÉΣǅⅣ½\u{301}-]{0,30}") {
            check_words(&s);
        }

        #[test]
        fn word_cutter_on_any_text(s in "\\PC{0,30}") {
            check_words(&s);
        }
    }
}
