//! Text normalization: the NFKC form duibi analyses (full-width `ＡＢＣ１２３％` become ASCII,
//! `…` becomes `...`), with a fast path for the common characters of Chinese and
//! English text.
//!
//! ```
//! assert_eq!(duibi::text::normalize("ＮＦＴ市场１００％"), "NFT市场100%");
//! ```

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

/// Writes the NFKC form of `text` into `out` when every character is in the common
/// set of [`nfkc_common`] or is a starter that NFKC keeps as it is; false (with `out`
/// partly written) otherwise.
///
/// A character outside the common set is kept when its canonical combining class is 0
/// and its NFKC quick check is Yes (`é`, `ß`, `€`, Cyrillic and Greek letters …).
/// Such a character is in NFKC form, and since it neither has a compatibility mapping
/// nor can combine with the character before it (those are quick check No and Maybe),
/// normalization never looks across it. Every character then normalizes on its own, as
/// in the common set; anything else (combining marks, Hangul jamo, compatibility
/// characters) sends the caller to the general path.
fn normalize_common(text: &str, out: &mut String) -> bool {
    let b = text.as_bytes();
    let mut verbatim = 0usize; // start of the pending unchanged stretch
    let mut i = 0usize;
    while i < b.len() {
        if b[i] < 0x80 {
            // ASCII: NFKC already, starters that compose with nothing.
            i = super::ascii_end(b, i + 1);
            continue;
        }
        // CJK Unified Ideographs of U+4E00–U+9FFF (in the common set, unchanged),
        // passed over by their bytes without decoding them.
        if b.get(i + 1)
            .is_some_and(|&m| super::lang::common_ideograph(b[i], m))
        {
            i += 3;
            continue;
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
                if unicode_normalization::char::canonical_combining_class(c) != 0
                    || unicode_normalization::is_nfkc_quick(std::iter::once(c))
                        != unicode_normalization::IsNormalized::Yes
                {
                    return false;
                }
            }
        }
        i += n;
    }
    out.push_str(&text[verbatim..]);
    true
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

    #[test]
    fn normalize_keeps_latin_letters_and_defers_marks() {
        for t in [
            "Ça va, naïve café — “quoted” ’s €5 ½ ﬁne",
            "e\u{301} Ａ\u{301} 가\u{11a8} \u{1100}\u{1161} \u{212b} \u{2126} \u{212a}",
            "ＮＦＴ市场 é１００％…",
        ] {
            assert_eq!(normalize(t), t.nfkc().collect::<String>(), "{t:?}");
        }
    }
}
