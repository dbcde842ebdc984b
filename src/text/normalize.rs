//! Text normalization: the NFKC form duibi analyses (full-width `ＡＢＣ１２３％` become ASCII,
//! `…` becomes `...`), with a fast path for the common characters of Chinese and
//! English text.
//!
//! ```
//! assert_eq!(duibi::text::normalize("ＮＦＴ市场１００％"), "NFT市场100%");
//! ```

use super::simd::{self, ByteSet};
use unicode_normalization::UnicodeNormalization;

/// Returns `text` in NFKC form: full-width `ＡＢＣ１２３％` become ASCII, compatibility
/// ideographs become their unified forms, ligatures are split.
///
/// ```
/// assert_eq!(duibi::text::normalize("ＮＦＴ市场１００％"), "NFT市场100%");
/// ```
pub fn normalize(text: &str) -> String {
    // Fast path: ASCII is NFKC already.
    if text.is_ascii() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    if normalize_common(text, &mut out) {
        return out;
    }
    // Fast path: most text (CJK ideographs, common punctuation) is NFKC already; the
    // quick check is a table lookup per char, far cheaper than decompose + recompose.
    if unicode_normalization::is_nfkc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        return text.to_owned();
    }
    out.clear();
    out.extend(text.nfkc());
    out
}

/// NFKC of a character from the common set of Chinese and English text, or `None`.
/// Every character of the set is a starter that composes with nothing (ASCII, CJK
/// Unified Ideographs, CJK and typographic punctuation) and its NFKC form is made of
/// such characters, so a text made only of them is normalized character by character.
#[inline]
pub(super) fn nfkc_common(c: char) -> Option<Result<char, &'static str>> {
    let u = c as u32;
    match u {
        0..=0x7F
        | 0x4E00..=0x9FFF
        | 0x3001..=0x3002
        | 0x3008..=0x3011
        | 0x2018..=0x2019
        | 0x201C..=0x201D
        | 0x2014
        | 0xB7 => Some(Ok(c)),
        // Full-width ASCII variants → ASCII.
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).map(Ok),
        0x3000 => Some(Ok(' ')),
        0x2026 => Some(Err("...")),
        _ => None,
    }
}

/// Writes the NFKC form of `text` into `out`; false (with `out` partly written) only
/// when `text` is not what a `&str` guarantees.
///
/// A character of the common set of [`nfkc_common`] is normalized on its own; so is
/// any other character that is kept as it is: canonical combining class 0 and NFKC
/// quick check Yes (`é`, `ß`, `€`, Cyrillic and Greek letters …). Such a character
/// is in NFKC form, and since it neither has a compatibility mapping nor can combine
/// with the character before it (those are quick check No and Maybe), normalization
/// never looks across the place before it ([`boundary_before`]).
///
/// Any other character (a combining mark, a Hangul jamo, a compatibility character
/// such as `℃`, `⑴` or a no-break space) is normalized with its neighbours by the
/// general algorithm: the stretch from the character before it (which it may combine
/// with) to the next place with a boundary before it. Normalization never looks
/// across those two places, so the NFKC of the text is that of the parts between
/// them put together, and a text with a few such characters does not pay for the
/// general algorithm over all of it.
fn normalize_common(text: &str, out: &mut String) -> bool {
    let b = text.as_bytes();
    let mut verbatim = 0usize; // start of the pending unchanged stretch
    let mut i = 0usize;
    while i < b.len() {
        // ASCII and CJK Unified Ideographs of U+4E00–U+9FFF (in the common set,
        // unchanged), passed over by their bytes without decoding them.
        i = plain_end(b, i);
        if i >= b.len() {
            break;
        }
        let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
            return false;
        };
        let n = c.len_utf8();
        match nfkc_common(c) {
            Some(Ok(m)) if m == c => {}
            Some(Ok(m)) => {
                out.push_str(&text[verbatim..i]);
                out.push(m);
                verbatim = i + n;
            }
            Some(Err(s)) => {
                out.push_str(&text[verbatim..i]);
                out.push_str(s);
                verbatim = i + n;
            }
            None => {
                if !kept(c) {
                    let Some(end) = general_stretch(text, i, n, &mut verbatim, out) else {
                        return false;
                    };
                    i = end;
                    continue;
                }
            }
        }
        i += n;
    }
    out.push_str(&text[verbatim..]);
    true
}

/// Lead bytes of the characters that are neither ASCII nor CJK Unified Ideographs of
/// U+4E00–U+9FFF (whose lead bytes are `E4`, with a second byte from `B8`, to `E9`).
static OTHER_LEADS: ByteSet = ByteSet::new(&{
    let mut t = [false; 256];
    let mut x = 0;
    while x < 256 {
        t[x] = matches!(x, 0xC0..=0xE3 | 0xEA..=0xFF);
        x += 1;
    }
    t
});

/// The first character at or after byte `i` of `b` (a character boundary) that is
/// neither ASCII nor a CJK Unified Ideograph of U+4E00–U+9FFF
/// ([`super::lang::common_ideograph`]), or `b.len()`: NFKC leaves those characters
/// as they are and never looks across the places before them. 32 bytes at a time
/// where the CPU runs AVX2, else [`plain_end_scalar`].
#[inline]
pub(super) fn plain_end(b: &[u8], i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    if simd::wide() {
        // SAFETY: the CPU runs AVX2 (checked just above).
        return unsafe { simd::first_off_ideographs_avx2(b, i, &OTHER_LEADS) };
    }
    plain_end_scalar(b, i)
}

/// [`plain_end`] a character at a time (ASCII eight bytes at a time).
#[inline]
fn plain_end_scalar(b: &[u8], mut i: usize) -> usize {
    while let Some(&x) = b.get(i) {
        if x < 0x80 {
            i = super::ascii_end(b, i + 1);
        } else if b
            .get(i + 1)
            .is_some_and(|&m| super::lang::common_ideograph(x, m))
        {
            i += 3;
        } else {
            break;
        }
    }
    i
}

/// Whether `c`, outside the common set, is kept as it is by NFKC and combines with
/// nothing before it: canonical combining class 0 and NFKC quick check Yes.
#[inline]
fn kept(c: char) -> bool {
    unicode_normalization::char::canonical_combining_class(c) == 0
        && unicode_normalization::is_nfkc_quick(std::iter::once(c))
            == unicode_normalization::IsNormalized::Yes
}

/// Whether NFKC never looks across the place before `c`: `c` is ASCII, of the common
/// set of [`nfkc_common`] (starters that compose with nothing), or [`kept`].
#[inline]
fn boundary_before(c: char) -> bool {
    c.is_ascii() || nfkc_common(c).is_some() || kept(c)
}

/// [`normalize_common`] at the character at byte `i` (`n` bytes) that neither is in
/// the common set nor is [`kept`]: writes to `out` the pending unchanged stretch
/// before the character before it, then the general NFKC of the text from that
/// character to the next place with a [`boundary_before`] it, and returns that place
/// (the new start of the pending stretch, in `verbatim`). The character before was
/// either in the pending stretch or written mapped (`verbatim` is then `i`), and is
/// taken back out of `out`. `None` when `i` is not a character boundary.
fn general_stretch(
    text: &str,
    i: usize,
    n: usize,
    verbatim: &mut usize,
    out: &mut String,
) -> Option<usize> {
    // The character before `i` has a boundary before it (every character passed over
    // has), and may combine with the one at `i`.
    let p = if i == 0 {
        0
    } else {
        super::floor_char_boundary(text, i - 1)
    };
    if *verbatim > p {
        // Written mapped (`verbatim` is just past it): take its form back out.
        let prev = text.get(p..)?.chars().next()?;
        let len = match nfkc_common(prev) {
            Some(Ok(m)) => m.len_utf8(),
            Some(Err(s)) => s.len(),
            None => 0,
        };
        out.truncate(out.len().saturating_sub(len));
    } else {
        out.push_str(text.get(*verbatim..p)?);
    }
    let mut end = i + n;
    while let Some(c) = text.get(end..).and_then(|r| r.chars().next()) {
        if boundary_before(c) {
            break;
        }
        end += c.len_utf8();
    }
    out.extend(text.get(p..end)?.nfkc());
    *verbatim = end;
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn common_set_matches_nfkc() {
        let ranges = [
            (0u32, 0x7F),
            (0x4E00, 0x9FFF),
            (0x3000, 0x3011),
            (0x2014, 0x2026),
            (0xB7, 0xB7),
            (0xFF01, 0xFF5E),
        ];
        for (a, b) in ranges {
            for u in a..=b {
                let Some(c) = char::from_u32(u) else { continue };
                let Some(m) = nfkc_common(c) else { continue };
                let want: String = c.to_string().nfkc().collect();
                let got = match m {
                    Ok(m) => m.to_string(),
                    Err(s) => s.to_string(),
                };
                assert_eq!(got, want, "U+{u:04X}");
            }
        }
        let t = "監管，礦工“把”礦機運往Ｔｅｘａｓ……　(2021)。";
        assert_eq!(normalize(t), t.nfkc().collect::<String>());
    }

    #[test]
    fn ideographs_passed_over_by_bytes_normalize_as_nfkc() {
        // Each character around U+4E00–U+9FFF (the byte shortcut's edges included),
        // alone, between ASCII and before a combining mark, a compatibility character
        // and full-width letters: NFKC, as the general path gives it.
        for c in (0x4D00..0xA100u32).filter_map(char::from_u32) {
            for t in [
                c.to_string(),
                format!("a{c}b"),
                format!("{c}\u{301}"),
                format!("{c}\u{3099}字"),
                format!("{c}\u{2126}"),
                format!("Ａ{c}１"),
            ] {
                assert_eq!(normalize(&t), t.nfkc().collect::<String>(), "{t:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn normalize_equals_nfkc(t in "[ aZ09.,'éÉßçÇﬁ€£²½ǅ字監Ａａ１！，。、“”’…—·\u{3000}\u{301}\u{308}\u{327}\u{1100}\u{1161}\u{11a8}가ｶﾞ㍿Ⅳ\u{a0}\u{2009}ÅΩ]{0,30}") {
            proptest::prop_assert_eq!(normalize(&t), t.nfkc().collect::<String>());
        }

        #[test]
        fn normalize_equals_nfkc_on_any_text(t in "\\PC{0,30}") {
            proptest::prop_assert_eq!(normalize(&t), t.nfkc().collect::<String>());
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_end_equals_the_character_loop(
            t in "[ aZ09.,\n字監丂丟䷀一龥ꀀé€“”，。、Ａ\u{3000}\u{301}\u{4dff}\u{4e00}\u{9fff}\u{a000}\u{1f600}]{0,80}"
        ) {
            // From every character: runs across the 32-byte vectors, every kind of
            // lead byte around `E4`–`E9` (`丂` is E4 B8 82, `䷀` E4 B7 80).
            let b = t.as_bytes();
            for (i, _) in t.char_indices() {
                proptest::prop_assert_eq!(plain_end(b, i), plain_end_scalar(b, i), "{:?} at {}", &t, i);
            }
        }
    }

    #[test]
    fn normalize_keeps_latin_letters_and_defers_marks() {
        for t in [
            "Ça va, naïve café — “quoted” ’s €5 ½ ﬁne",
            "e\u{301} Ａ\u{301} 가\u{11a8} \u{1100}\u{1161} \u{212b} \u{2126} \u{212a}",
            "ＮＦＴ市场 é１００％…",
            // Compatibility characters and marks amid common text, normalized by the
            // general algorithm over their stretch only: after a mapped character
            // (`Ａ`, `…`), after ASCII, at the start and the end, several in a row.
            "\u{2103}比特币\u{a0}价格\u{2474}上涨Ａ\u{a0}Ｂ…\u{301}x\u{301}\u{302}ｶﾞ\u{1100}\u{1161}\u{11a8}",
            "Ａ\u{301}\u{2103}\u{2103}\u{a0}\u{a0}\u{3000}\u{308}监管\u{2492}",
        ] {
            assert_eq!(normalize(t), t.nfkc().collect::<String>(), "{t:?}");
        }
    }
}
