//! Chinese script variants: telling Traditional from Simplified text, and converting
//! Traditional characters to Simplified without moving any byte offset (OpenCC's
//! character tables, via `hanconv`).
//!
//! ```
//! use duibi::text::{HanVariantCounts, ZhScript};
//! assert_eq!(HanVariantCounts::of("監管礦場").script(), ZhScript::Hant);
//! let mut s = String::from("監管礦場");
//! duibi::text::to_simplified_in_place(&mut s);
//! assert_eq!(s, "监管矿场");
//! ```

use super::script::{script_of, Script};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Chinese script variant of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ZhScript {
    /// Simplified characters (mainland, Singapore).
    #[serde(rename = "zh-Hans")]
    Hans,
    /// Traditional characters (Hong Kong, Taiwan, Macau).
    #[serde(rename = "zh-Hant")]
    Hant,
}

impl ZhScript {
    /// BCP 47 tag: `zh-Hans` or `zh-Hant`.
    pub fn tag(self) -> &'static str {
        match self {
            ZhScript::Hans => "zh-Hans",
            ZhScript::Hant => "zh-Hant",
        }
    }
}

/// Counts of characters distinctive of each Chinese script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HanVariantCounts {
    /// Characters that exist only in Traditional script (they change under T→S).
    pub traditional: usize,
    /// Characters that exist only in Simplified script.
    pub simplified: usize,
}

impl HanVariantCounts {
    /// Counts the characters of `text` that mark it as Traditional or Simplified.
    pub fn of(text: &str) -> Self {
        let mut c = HanVariantCounts::default();
        for ch in text.chars() {
            // Only Han characters are in the table (script_of(ch) == Han).
            if (ch as u32) < 0x3000 {
                continue;
            }
            let f = flags_of(ch);
            if f & VARIANT_SIMPLIFIED != 0 {
                c.simplified += 1;
            } else if f & VARIANT_TRADITIONAL != 0 {
                c.traditional += 1;
            }
        }
        c
    }

    /// Adds counts from another text.
    pub fn add(&mut self, other: HanVariantCounts) {
        self.traditional += other.traditional;
        self.simplified += other.simplified;
    }

    /// The script these counts point to: Traditional when Traditional-only characters
    /// outnumber Simplified-only ones, Simplified otherwise (texts written with shared
    /// characters only read the same in both).
    pub fn script(self) -> ZhScript {
        if self.traditional > self.simplified {
            ZhScript::Hant
        } else {
            ZhScript::Hans
        }
    }
}

/// How a character converts Traditional → Simplified (OpenCC `TSCharacters`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TradMapping {
    /// A Traditional-only character (`後` → `后`).
    Only(char),
    /// A character also written in Simplified text, whose usual Simplified form in
    /// Traditional text is another one (`乾` → `干` but `乾隆`; `於` → `于`).
    Ambiguous(char),
}

/// OpenCC's Traditional → Simplified character table (via `hanconv`), restricted to
/// conversions that keep the UTF-8 length, so byte offsets survive conversion.
/// Characters whose first candidate is themselves (`瞭`, `藉`, `覆` …) are left alone,
/// as OpenCC does.
fn traditional_table() -> &'static rustc_hash::FxHashMap<char, TradMapping> {
    static TABLE: OnceLock<rustc_hash::FxHashMap<char, TradMapping>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = rustc_hash::FxHashMap::default();
        for line in hanconv::RawDictionary::TSCharacters.lines() {
            let mut it = line.split_whitespace();
            let Some(key) = it.next() else { continue };
            let mut kc = key.chars();
            let (Some(k), None) = (kc.next(), kc.next()) else {
                continue;
            };
            let cands: Vec<char> = it
                .filter_map(|v| {
                    let mut vc = v.chars();
                    match (vc.next(), vc.next()) {
                        (Some(c), None) => Some(c),
                        _ => None,
                    }
                })
                .collect();
            if cands.first() == Some(&k) {
                continue;
            }
            let Some(&to) = cands.iter().find(|c| c.len_utf8() == k.len_utf8()) else {
                continue;
            };
            let m = if cands.contains(&k) {
                TradMapping::Ambiguous(to)
            } else {
                TradMapping::Only(to)
            };
            map.insert(k, m);
        }
        map
    })
}

/// Maps one character to its Simplified form (itself when it has none), following
/// OpenCC's character table: `後` → `后`, `於` → `于`; characters such as `呵` or `黏`
/// that are proper Simplified characters stay as they are.
///
/// The result always has the same UTF-8 length as `ch`, so byte offsets are preserved;
/// see [`to_simplified_in_place`], which also looks at the context for characters that
/// are written in both scripts.
#[inline]
pub fn to_simplified_char(ch: char) -> char {
    match traditional_table().get(&ch) {
        Some(TradMapping::Only(c)) | Some(TradMapping::Ambiguous(c)) => *c,
        None => ch,
    }
}

/// Converts Traditional characters in `s` to Simplified in place, keeping every byte
/// offset (each converted character has the same UTF-8 length as the original).
///
/// Characters that exist only in Traditional script are always converted. Characters
/// also used in Simplified text (`乾` of `乾隆`, `於` as a surname) are converted only
/// when `s` also holds a Traditional-only character, so `乾淨` becomes `干净` while
/// Simplified `乾隆` stays. Simplified text is returned unchanged.
///
/// ```
/// let mut s = String::from("監管礦場比特幣");
/// duibi::text::to_simplified_in_place(&mut s);
/// assert_eq!(s, "监管矿场比特币");
/// let mut s = String::from("乾隆年间呱呱坠地");
/// duibi::text::to_simplified_in_place(&mut s);
/// assert_eq!(s, "乾隆年间呱呱坠地");
/// let mut s = String::from("位於台北的乾淨礦場");
/// duibi::text::to_simplified_in_place(&mut s);
/// assert_eq!(s, "位于台北的干净矿场");
/// ```
pub fn to_simplified_in_place(s: &mut String) {
    to_simplified_counted(s);
}

/// [`to_simplified_in_place`], returning the [`HanVariantCounts::of`] the text as it
/// was: the one pass over its characters that decides whether to convert also counts
/// them.
///
/// ```
/// use duibi::text::{han::to_simplified_counted, HanVariantCounts};
/// let mut s = String::from("監管礦場");
/// assert_eq!(to_simplified_counted(&mut s), HanVariantCounts::of("監管礦場"));
/// assert_eq!(s, "监管矿场");
/// ```
pub fn to_simplified_counted(s: &mut String) -> HanVariantCounts {
    let (c, convert) = variant_scan(s);
    if convert {
        convert_in_place(s);
    }
    c
}

/// [`HanVariantCounts::of`] `s`, and whether [`to_simplified_in_place`] would change
/// it (it has a character converted whatever the context): the one pass over its
/// characters that decides whether to convert also counts them.
///
/// Each character is decoded from its bytes, its flags read from the dense array
/// (64 KB, the whole Basic Multilingual Plane) and counted without a branch (the two
/// variant bits exclude each other): no `char` iterator, no bounds check. A three-byte
/// character (U+0800–U+FFFF: Han, CJK punctuation, typographic marks) is nearly
/// every character of a Chinese run.
///
/// ```
/// use duibi::text::{han::variant_scan, HanVariantCounts};
/// assert_eq!(variant_scan("監管礦場"), (HanVariantCounts::of("監管礦場"), true));
/// assert_eq!(variant_scan("监管矿场"), (HanVariantCounts::of("监管矿场"), false));
/// ```
pub fn variant_scan(s: &str) -> (HanVariantCounts, bool) {
    let mut tally = VariantTally::default();
    if s.is_ascii() {
        return tally.result();
    }
    // The array once, not through its lazy initialization at every character.
    let dense = dense_flags();
    // `s` is UTF-8: a lead byte is followed by its continuation bytes, and a
    // character's code point is its bytes' payload bits.
    let mut rest = s.as_bytes();
    loop {
        match *rest {
            // U+0800–U+FFFF (nearly all of a Chinese run).
            [l @ 0xE0..=0xEF, m, t, ref tail @ ..] => {
                tally.add3(dense, l, m, t);
                rest = tail;
            }
            [l @ 0..=0x7F, ref tail @ ..] => {
                tally.add_flags(dense[usize::from(l)]);
                rest = tail;
            }
            // U+0080–U+07FF: `110xxxxx 10yyyyyy`, below U+3000 (not counted).
            [l @ 0xC0..=0xDF, m, ref tail @ ..] => {
                let u = (usize::from(l & 0x1F) << 6) | usize::from(m & 0x3F);
                tally.add_flags(dense[u]);
                rest = tail;
            }
            // U+10000 and up: `11110www 10xxxxxx 10yyyyyy 10zzzzzz`, in the tables.
            [l @ 0xF0..=0xF7, m, t, v, ref tail @ ..] => {
                let u = (u32::from(l & 0x07) << 18)
                    | (u32::from(m & 0x3F) << 12)
                    | (u32::from(t & 0x3F) << 6)
                    | u32::from(v & 0x3F);
                tally.add_flags(char::from_u32(u).map_or(0, counted_flags));
                rest = tail;
            }
            _ => break, // the end (or, impossible in UTF-8, a stray byte)
        }
    }
    tally.result()
}

/// The flags of every character below [`DENSE_END`] ([`dense_flags`]).
pub(crate) type DenseFlags = [u8; DENSE_END as usize];

/// [`variant_scan`] of a text taken a character at a time, for a caller that walks
/// its characters anyway (the script runs of
/// [`LangDetector::runs_tallied`](super::lang::LangDetector::runs_tallied), which
/// then need no pass of their own).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VariantTally {
    /// Simplified-only characters in the low 32 bits, Traditional-only ones in the
    /// high 32 ([`VARIANT_COUNTS`]): one addition a character. (A count is at most
    /// a third of the text's bytes, and a text is less than 4 GiB long: token
    /// offsets are `u32`.)
    counts: u64,
    /// The flags of every character ORed.
    any: u8,
}

/// What a character with the variant bits `f & 3` adds to [`VariantTally::counts`].
const VARIANT_COUNTS: [u64; 4] = [0, 1, 1 << 32, 1 | 1 << 32];

impl VariantTally {
    /// Adds a character with flags `f` (of [`counted_flags`]: no variant bit below
    /// U+3000, so only Han characters count, as in [`HanVariantCounts::of`]), without
    /// a branch.
    #[inline(always)]
    fn add_flags(&mut self, f: u8) {
        self.any |= f;
        self.counts += VARIANT_COUNTS[usize::from(f & 3)];
    }

    /// Adds the three-byte character (U+0800–U+FFFF) of UTF-8 bytes `l`, `m`, `t`:
    /// `1110xxxx 10yyyyyy 10zzzzzz` is `xxxxyyyyyyzzzzzz`, the sum of the bytes at
    /// their places less the sum of their marker bits.
    #[inline(always)]
    pub(crate) fn add3(&mut self, dense: &DenseFlags, l: u8, m: u8, t: u8) {
        let u = ((usize::from(l) << 12) + (usize::from(m) << 6) + usize::from(t))
            .wrapping_sub(0xE2080)
            & 0xFFFF;
        self.add_flags(dense[u]);
    }

    /// Adds the character `ch`.
    #[inline]
    pub(crate) fn add_char(&mut self, dense: &DenseFlags, ch: char) {
        self.add_flags(flags_in(dense, ch));
    }

    /// What [`variant_scan`] says of the characters added.
    pub(crate) fn result(self) -> (HanVariantCounts, bool) {
        let counts = HanVariantCounts {
            simplified: (self.counts & 0xffff_ffff) as usize,
            traditional: (self.counts >> 32) as usize,
        };
        (counts, self.any & MAPS_ONLY != 0)
    }
}

/// Every character of `s` that has a Traditional→Simplified mapping replaced by it
/// (byte-preserving): the conversion [`to_simplified_counted`] applies once
/// [`variant_scan`] found a character converted whatever the context.
pub(crate) fn convert_in_place(s: &mut String) {
    let table = traditional_table();
    let out: String = s
        .chars()
        .map(|ch| match table.get(&ch) {
            Some(TradMapping::Only(c)) | Some(TradMapping::Ambiguous(c)) => *c,
            None => ch,
        })
        .collect();
    debug_assert_eq!(out.len(), s.len());
    *s = out;
}

/// [`flags_of`]: a Simplified-only character ([`han_variants`]).
const VARIANT_SIMPLIFIED: u8 = 1;
/// [`flags_of`]: a Traditional-only character ([`han_variants`]).
const VARIANT_TRADITIONAL: u8 = 2;
/// [`flags_of`]: converted whatever the context ([`TradMapping::Only`]).
const MAPS_ONLY: u8 = 4;
/// Characters below this have their [`flags_of`] in one array (64 KB: the Basic
/// Multilingual Plane, with the CJK punctuation and the Unified Ideographs most text
/// is written in; indexed by a 16-bit code point with no bounds check), the others
/// are looked up in the two hash tables.
const DENSE_END: u32 = 0x1_0000;

/// What [`han_variants`] and [`traditional_table`] say about a character, as bits:
/// one array index per character instead of two hash lookups where the array
/// reaches (the tables are the truth; the array is built from them once).
#[inline]
fn flags_of(ch: char) -> u8 {
    flags_in(dense_flags(), ch)
}

/// [`flags_of`] with the array ([`dense_flags`]) at hand.
#[inline]
fn flags_in(dense: &DenseFlags, ch: char) -> u8 {
    let c = ch as u32;
    if c < DENSE_END {
        dense.get(c as usize).copied().unwrap_or(0)
    } else {
        counted_flags(ch)
    }
}

/// [`table_flags`] without the variant bits below U+3000: only Han characters are
/// counted as Simplified or Traditional ([`HanVariantCounts::of`]), and with the
/// bits so, [`VariantTally`] counts every character without asking where it lies.
fn counted_flags(ch: char) -> u8 {
    let f = table_flags(ch);
    if (ch as u32) < 0x3000 {
        f & !(VARIANT_SIMPLIFIED | VARIANT_TRADITIONAL)
    } else {
        f
    }
}

/// [`flags_of`] from the hash tables.
fn table_flags(ch: char) -> u8 {
    let v = match han_variants().get(&ch) {
        Some(HanVariant::Simplified) => VARIANT_SIMPLIFIED,
        Some(HanVariant::Traditional) => VARIANT_TRADITIONAL,
        None => 0,
    };
    match traditional_table().get(&ch) {
        Some(TradMapping::Only(_)) => v | MAPS_ONLY,
        _ => v,
    }
}

/// The flags of every character of the Basic Multilingual Plane, built from the
/// tables once.
pub(crate) fn dense_flags() -> &'static DenseFlags {
    static FLAGS: OnceLock<Box<[u8; DENSE_END as usize]>> = OnceLock::new();
    FLAGS.get_or_init(|| {
        let mut f = Box::new([0u8; DENSE_END as usize]);
        let keys = han_variants().keys().chain(traditional_table().keys());
        for &ch in keys {
            if let Some(slot) = f.get_mut(ch as usize) {
                *slot = counted_flags(ch);
            }
        }
        f
    })
}

#[derive(Clone, Copy)]
enum HanVariant {
    Simplified,
    Traditional,
}

/// Han characters distinctive of one script, in one table (one lookup per character):
/// simplified-only characters win over Traditional-only ones, as in the original
/// two-set test.
fn han_variants() -> &'static rustc_hash::FxHashMap<char, HanVariant> {
    static MAP: OnceLock<rustc_hash::FxHashMap<char, HanVariant>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for (&ch, t) in traditional_table() {
            if matches!(t, TradMapping::Only(_)) && script_of(ch) == Some(Script::Han) {
                m.insert(ch, HanVariant::Traditional);
            }
        }
        for &ch in simplified_only() {
            if script_of(ch) == Some(Script::Han) {
                m.insert(ch, HanVariant::Simplified);
            }
        }
        m
    })
}

fn simplified_only() -> &'static HashSet<char> {
    static SET: OnceLock<HashSet<char>> = OnceLock::new();
    SET.get_or_init(|| {
        // OpenCC's STCharacters (via hanconv): simplified → traditional candidates.
        // A simplified character is "simplified-only" when none of its traditional
        // forms is itself.
        let mut set = HashSet::new();
        for line in hanconv::RawDictionary::STCharacters.lines() {
            let mut it = line.split_whitespace();
            let Some(s) = it.next() else { continue };
            let mut sc = s.chars();
            let (Some(c), None) = (sc.next(), sc.next()) else {
                continue;
            };
            if it.all(|t| t != s) {
                set.insert(c);
            }
        }
        set
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn counted_conversion_counts_the_text_as_it_was(
            t in "[a1 ，“監管礦場比特幣后後於乾淨呱黏矿场监管干净\u{2fff}\u{3000}\u{3400}\u{9fff}\u{a000}\u{20000}]{0,30}"
        ) {
            let mut s = t.clone();
            proptest::prop_assert_eq!(to_simplified_counted(&mut s), HanVariantCounts::of(&t));
            let want: String = t.chars().map(to_simplified_char).collect();
            if t.chars().any(|c| flags_of(c) & MAPS_ONLY != 0) {
                proptest::prop_assert_eq!(s, want);
            } else {
                proptest::prop_assert_eq!(s, t);
            }
        }
    }

    /// [`variant_scan`] by definition: the counts of [`HanVariantCounts::of`] and
    /// whether a character converts whatever the context, from the hash tables a
    /// `char` at a time.
    fn scan_by_definition(t: &str) -> (HanVariantCounts, bool) {
        let convert = t.chars().any(|c| table_flags(c) & MAPS_ONLY != 0);
        (HanVariantCounts::of(t), convert)
    }

    #[test]
    fn variant_scan_equals_the_char_by_char_scan_for_every_character() {
        // Every character of the Basic Multilingual Plane (one to three UTF-8 bytes;
        // the dense array's whole range) and of the supplementary CJK blocks (four
        // bytes), alone, between ASCII and an ideograph, and before a Traditional one
        // and a digit.
        let mut seen = (0usize, 0usize, 0usize);
        let chars = (0..0x1_1000u32)
            .chain(0x2_0000..0x2_0400)
            .chain(0x2_F800..0x2_FA20)
            .filter_map(char::from_u32);
        for c in chars {
            for t in [c.to_string(), format!("a{c}字"), format!("{c}監1")] {
                let got = variant_scan(&t);
                assert_eq!(got, scan_by_definition(&t), "{t:?} (U+{:04X})", c as u32);
            }
            let (n, convert) = variant_scan(&c.to_string());
            seen.0 += n.simplified;
            seen.1 += n.traditional;
            seen.2 += usize::from(convert);
        }
        // Each kind occurs (the comparison is not vacuous).
        assert!(seen.0 > 100 && seen.1 > 100 && seen.2 > 100, "{seen:?}");
    }

    proptest::proptest! {
        #[test]
        fn variant_scan_equals_the_char_by_char_scan(
            t in "[a1 é，“—監管礦場比特幣后後於乾淨矿场监管干净\u{2fff}\u{3000}\u{3400}\u{9fff}\u{a000}\u{f900}\u{ffff}\u{20000}\u{20bb7}\u{2f800}]{0,40}"
        ) {
            proptest::prop_assert_eq!(variant_scan(&t), scan_by_definition(&t));
        }
    }

    #[test]
    fn traditional_vs_simplified() {
        assert_eq!(
            HanVariantCounts::of("監管機構整頓虛擬貨幣挖礦").script(),
            ZhScript::Hant
        );
        assert_eq!(
            HanVariantCounts::of("监管机构整顿虚拟货币挖矿").script(),
            ZhScript::Hans
        );
        let mut s = String::from("監管機構整頓虛擬貨幣挖礦");
        to_simplified_in_place(&mut s);
        assert_eq!(s, "监管机构整顿虚拟货币挖矿");
        // Proper Simplified characters are neither converted nor counted as Traditional
        // (fast2s folded 呱→哌, 呵→嗬, 黏→粘, 阪→坂, which broke jieba on such words).
        for t in ["呱呱坠地", "呵气成冰", "黏土", "大阪", "捍卫", "乾隆"] {
            let mut s = String::from(t);
            to_simplified_in_place(&mut s);
            assert_eq!(s, t);
            assert_eq!(HanVariantCounts::of(t).traditional, 0, "{t}");
        }
    }

    #[test]
    fn dense_flags_agree_with_the_tables() {
        // Every character below the array's end, and past it, reads the same bits
        // from the array as from the hash tables.
        let dense = dense_flags();
        assert_eq!(dense.len(), DENSE_END as usize);
        let mut seen = [0usize; 3];
        for c in (0..DENSE_END + 0x2000).filter_map(char::from_u32) {
            let f = flags_of(c);
            assert_eq!(f, counted_flags(c), "{c:?}");
            for (bit, n) in [VARIANT_SIMPLIFIED, VARIANT_TRADITIONAL, MAPS_ONLY]
                .into_iter()
                .zip(&mut seen)
            {
                *n += usize::from(f & bit != 0);
            }
        }
        // All three kinds occur (the test is not vacuous).
        assert!(seen.iter().all(|&n| n > 100), "{seen:?}");
        assert_eq!(flags_of('監') & MAPS_ONLY, MAPS_ONLY);
        assert_eq!(flags_of('监'), VARIANT_SIMPLIFIED);
        assert_eq!(flags_of('a'), 0);
    }
}
