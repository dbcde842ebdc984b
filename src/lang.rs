//! Language identification: normalization, Unicode script runs, and per-run language.
//!
//! duibi never asks a statistical detector about the whole of a mixed text. It first
//! splits the (NFKC-normalized) text into *script runs* — maximal stretches of Han, kana,
//! Hangul, Latin or other letters, with digits, spaces and punctuation staying in the
//! run they follow — and decides each run on its own:
//!
//! * Han runs are Chinese, or Japanese when the run or its neighbours carry kana;
//! * kana runs are Japanese, Hangul runs Korean;
//! * Latin runs go to `whatlang`, restricted to the Latin-script languages the
//!   detector was configured with (with only English configured, the default, they are
//!   English without asking: an unrestricted detector calls most short English words
//!   French or Latin).
//!
//! ```
//! use duibi::lang::{LangDetector, Lang};
//! let det = LangDetector::default();
//! let runs = det.runs("比特币矿工 Elon Musk 表示");
//! let langs: Vec<Lang> = runs.iter().map(|r| r.lang).collect();
//! assert_eq!(langs, vec![Lang::Zh, Lang::En, Lang::Zh]);
//! ```

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// A language duibi can assign to a run of text.
///
/// Serialized as its ISO 639-1 code (`"zh"`, `"en"` …); `und` means undetermined
/// (digits or symbols only, or a script duibi does not analyse).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese (Simplified or Traditional script).
    Zh,
    /// English.
    En,
    /// Japanese.
    Ja,
    /// Korean.
    Ko,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Any other language or an undetermined run.
    Und,
}

impl Lang {
    /// All languages, in their stable report order.
    pub const ALL: [Lang; 8] = [
        Lang::Zh,
        Lang::En,
        Lang::Ja,
        Lang::Ko,
        Lang::De,
        Lang::Fr,
        Lang::Es,
        Lang::Und,
    ];

    /// ISO 639-1 code (`und` for [`Lang::Und`]).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::Ko => "ko",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Und => "und",
        }
    }

    /// Parses an ISO 639-1 or 639-3 code, or a tag such as `zh-Hant` (case-insensitive).
    pub fn from_code(code: &str) -> Option<Lang> {
        let c = code.trim().to_ascii_lowercase();
        let base = c.split(['-', '_']).next().unwrap_or("");
        Some(match base {
            "zh" | "zho" | "cmn" | "chi" => Lang::Zh,
            "en" | "eng" => Lang::En,
            "ja" | "jpn" => Lang::Ja,
            "ko" | "kor" => Lang::Ko,
            "de" | "deu" | "ger" => Lang::De,
            "fr" | "fra" | "fre" => Lang::Fr,
            "es" | "spa" => Lang::Es,
            "und" => Lang::Und,
            _ => return None,
        })
    }

    fn to_whatlang(self) -> Option<whatlang::Lang> {
        Some(match self {
            Lang::En => whatlang::Lang::Eng,
            Lang::De => whatlang::Lang::Deu,
            Lang::Fr => whatlang::Lang::Fra,
            Lang::Es => whatlang::Lang::Spa,
            _ => return None,
        })
    }

    fn from_whatlang(l: whatlang::Lang) -> Lang {
        match l {
            whatlang::Lang::Eng => Lang::En,
            whatlang::Lang::Deu => Lang::De,
            whatlang::Lang::Fra => Lang::Fr,
            whatlang::Lang::Spa => Lang::Es,
            whatlang::Lang::Cmn => Lang::Zh,
            whatlang::Lang::Jpn => Lang::Ja,
            whatlang::Lang::Kor => Lang::Ko,
            _ => Lang::Und,
        }
    }

    /// True for languages written in Latin script.
    pub fn is_latin(self) -> bool {
        matches!(self, Lang::En | Lang::De | Lang::Fr | Lang::Es)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Script class of a character, as used to cut script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// CJK ideographs.
    Han,
    /// Hiragana and katakana.
    Kana,
    /// Korean Hangul.
    Hangul,
    /// Latin letters.
    Latin,
    /// Letters of any other script (Cyrillic, Arabic, …).
    Other,
}

/// Classifies a character; `None` for characters that do not start a run
/// (digits, spaces, punctuation, symbols, marks).
#[inline]
pub fn script_of(c: char) -> Option<Script> {
    let u = c as u32;
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            Some(Script::Latin)
        } else {
            None
        };
    }
    match u {
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF | 0x3007 => {
            Some(Script::Han)
        }
        0x3040..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Some(Script::Kana),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF => {
            Some(Script::Hangul)
        }
        0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => {
            if c.is_alphabetic() {
                Some(Script::Latin)
            } else {
                None
            }
        }
        _ => {
            if c.is_alphabetic() {
                Some(Script::Other)
            } else {
                None
            }
        }
    }
}

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

/// Returns `text` in NFKC form: full-width `ＡＢＣ１２３％` become ASCII, compatibility
/// ideographs become their unified forms, ligatures are split.
///
/// ```
/// assert_eq!(duibi::lang::normalize("ＮＦＴ市场１００％"), "NFT市场100%");
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
fn nfkc_common(c: char) -> Option<Result<char, &'static str>> {
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
            i += 1; // ASCII: NFKC already, a starter that composes with nothing
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
        let variants = han_variants();
        let mut c = HanVariantCounts::default();
        for ch in text.chars() {
            // Only Han characters are in the table (script_of(ch) == Han).
            if (ch as u32) < 0x3000 {
                continue;
            }
            match variants.get(&ch) {
                Some(HanVariant::Simplified) => c.simplified += 1,
                Some(HanVariant::Traditional) => c.traditional += 1,
                None => {}
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
/// duibi::lang::to_simplified_in_place(&mut s);
/// assert_eq!(s, "监管矿场比特币");
/// let mut s = String::from("乾隆年间呱呱坠地");
/// duibi::lang::to_simplified_in_place(&mut s);
/// assert_eq!(s, "乾隆年间呱呱坠地");
/// let mut s = String::from("位於台北的乾淨礦場");
/// duibi::lang::to_simplified_in_place(&mut s);
/// assert_eq!(s, "位于台北的干净矿场");
/// ```
pub fn to_simplified_in_place(s: &mut String) {
    if s.is_ascii() {
        return;
    }
    let table = traditional_table();
    if !s
        .chars()
        .any(|ch| matches!(table.get(&ch), Some(TradMapping::Only(_))))
    {
        return; // Simplified (or shared-character) text: nothing to convert.
    }
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

/// A maximal stretch of one script, with its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// Byte offset of the run's start in the analysed text.
    pub start: usize,
    /// Byte offset one past the run's end.
    pub end: usize,
    /// Script class that opened the run (`None`: digits/punctuation only).
    pub script: Option<Script>,
    /// Language assigned to the run.
    pub lang: Lang,
}

/// Configurable language detector; build once and share.
///
/// ```
/// use duibi::lang::{LangDetector, Lang};
/// let det = LangDetector::builder().languages(&[Lang::Zh, Lang::En, Lang::Fr]).build();
/// assert_eq!(det.detect("Le minage de bitcoin est interdit en Chine depuis juin."), Lang::Fr);
/// ```
#[derive(Debug, Clone)]
pub struct LangDetector {
    latin: Vec<Lang>,
    whatlang: Option<whatlang::Detector>,
}

impl Default for LangDetector {
    fn default() -> Self {
        LangDetector::builder().build()
    }
}

/// Builder for [`LangDetector`].
#[derive(Debug, Clone)]
pub struct LangDetectorBuilder {
    langs: Vec<Lang>,
}

impl LangDetectorBuilder {
    /// Languages a run may be assigned (default: zh, en, ja, ko). Latin runs are decided
    /// among the Latin-script languages in this list.
    pub fn languages(mut self, langs: &[Lang]) -> Self {
        self.langs = langs.to_vec();
        self
    }

    /// Builds the detector.
    pub fn build(self) -> LangDetector {
        let mut latin: Vec<Lang> = self
            .langs
            .iter()
            .copied()
            .filter(|l| l.is_latin())
            .collect();
        latin.sort();
        latin.dedup();
        if latin.is_empty() {
            latin.push(Lang::En);
        }
        let whatlang = if latin.len() > 1 {
            Some(whatlang::Detector::with_allowlist(
                latin.iter().filter_map(|l| l.to_whatlang()).collect(),
            ))
        } else {
            None
        };
        LangDetector { latin, whatlang }
    }
}

impl LangDetector {
    /// Starts a builder with the default languages (zh, en, ja, ko).
    pub fn builder() -> LangDetectorBuilder {
        LangDetectorBuilder {
            langs: vec![Lang::Zh, Lang::En, Lang::Ja, Lang::Ko],
        }
    }

    /// The Latin-script languages this detector chooses among.
    pub fn latin_languages(&self) -> &[Lang] {
        &self.latin
    }

    /// Splits already-normalized `text` into script runs, each with its language.
    ///
    /// Han and kana that touch form one run (Japanese mixes them within words); digits,
    /// spaces and punctuation stay in the run before them (at the very start they join
    /// the first run). Han runs become Japanese when the text around them carries kana
    /// (a kana share of at least 10% of the CJK letters in the whole text).
    pub fn runs(&self, text: &str) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        let mut kana = 0usize;
        let mut han = 0usize;
        let mut cur: Option<(usize, Option<Script>, bool)> = None; // start, script, has_kana
        let b = text.as_bytes();
        let mut next = 0usize; // byte offset of the next character
        while next < b.len() {
            let i = next;
            if b[i] < 0x80 {
                if let Some((_, Some(Script::Latin), _)) = cur {
                    // Inside a Latin run, ASCII changes nothing: letters continue the
                    // run, the rest stays in it.
                    next += 1;
                    while next < b.len() && b[next] < 0x80 {
                        next += 1;
                    }
                    continue;
                }
            }
            let Some(ch) = text.get(i..).and_then(|r| r.chars().next()) else {
                break;
            };
            next = i + ch.len_utf8();
            let s = script_of(ch);
            match s {
                Some(Script::Kana) => kana += 1,
                Some(Script::Han) => han += 1,
                _ => {}
            }
            let Some(s) = s else {
                if cur.is_none() {
                    cur = Some((i, None, false));
                }
                continue;
            };
            // Han and kana share a run.
            let cls = if s == Script::Kana { Script::Han } else { s };
            match cur {
                None => cur = Some((i, Some(cls), s == Script::Kana)),
                Some((st, None, _)) => cur = Some((st, Some(cls), s == Script::Kana)),
                Some((st, Some(c), k)) if c == cls => {
                    cur = Some((st, Some(c), k || s == Script::Kana))
                }
                Some((st, sc, k)) => {
                    runs.push(Run {
                        start: st,
                        end: i,
                        script: sc.map(|x| {
                            if k && x == Script::Han {
                                Script::Kana
                            } else {
                                x
                            }
                        }),
                        lang: Lang::Und,
                    });
                    cur = Some((i, Some(cls), s == Script::Kana));
                }
            }
        }
        if let Some((st, sc, k)) = cur {
            runs.push(Run {
                start: st,
                end: text.len(),
                script: sc.map(|x| {
                    if k && x == Script::Han {
                        Script::Kana
                    } else {
                        x
                    }
                }),
                lang: Lang::Und,
            });
        }
        let japanese_context = kana > 0 && kana * 10 >= (kana + han);
        for r in &mut runs {
            r.lang = match r.script {
                Some(Script::Kana) => Lang::Ja,
                Some(Script::Han) => {
                    if japanese_context {
                        Lang::Ja
                    } else {
                        Lang::Zh
                    }
                }
                Some(Script::Hangul) => Lang::Ko,
                Some(Script::Latin) => self.latin_lang(&text[r.start..r.end]),
                Some(Script::Other) | None => Lang::Und,
            };
        }
        runs
    }

    fn latin_lang(&self, run: &str) -> Lang {
        match &self.whatlang {
            None => self.latin[0],
            Some(d) => {
                // Short runs (a name, a term) carry too little signal: keep the first
                // configured Latin language.
                let words = run.split_whitespace().count();
                if words < 3 {
                    return self.latin[0];
                }
                d.detect_lang(run)
                    .map(Lang::from_whatlang)
                    .unwrap_or(self.latin[0])
            }
        }
    }

    /// Main language of already-normalized `text`: the language holding most letters
    /// (Han characters are weighted ×2.5, roughly a word's worth of Latin letters per
    /// 2.5 Han characters... see the note in `letter_weight`). `Und` for no letters.
    pub fn detect(&self, text: &str) -> Lang {
        let norm = normalize(text);
        let mut w: [f64; 8] = [0.0; 8];
        for r in self.runs(&norm) {
            let idx = Lang::ALL.iter().position(|l| *l == r.lang).unwrap_or(7);
            w[idx] += letter_weight(&norm[r.start..r.end]);
        }
        let mut best = (Lang::Und, 0.0);
        for (i, l) in Lang::ALL.iter().enumerate() {
            if *l != Lang::Und && w[i] > best.1 {
                best = (*l, w[i]);
            }
        }
        best.0
    }
}

/// Weight of a run for the main-language vote: letters, with CJK characters counted
/// as 3 (a CJK character carries about as much as three Latin letters: one English word
/// is ~5 letters, one Chinese word ~1.6 characters).
fn letter_weight(s: &str) -> f64 {
    s.chars()
        .map(|c| match script_of(c) {
            Some(Script::Han) | Some(Script::Kana) | Some(Script::Hangul) => 3.0,
            Some(_) => 1.0,
            None => 0.0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn fullwidth_is_not_korean() {
        let d = LangDetector::default();
        assert_eq!(d.detect("ＮＦＴ市场"), Lang::Zh);
        assert_eq!(
            d.detect("ＤｅＦｉ　ａｎｄ　ＮＦＴ　ｍａｒｋｅｔｓ"),
            Lang::En
        );
        assert_eq!(normalize("ＮＦＴ市场，"), "NFT市场,");
    }

    #[test]
    fn spliced_english_is_its_own_segment() {
        let d = LangDetector::default();
        let t = "马斯克（Elon Musk）在推特上说，特斯拉将暂停接受比特币。";
        let t = normalize(t);
        let runs = d.runs(&t);
        let en: Vec<&str> = runs
            .iter()
            .filter(|r| r.lang == Lang::En)
            .map(|r| t[r.start..r.end].trim_end_matches([')', ' ']))
            .collect();
        assert_eq!(en, vec!["Elon Musk"]);
        assert_eq!(runs.first().map(|r| r.lang), Some(Lang::Zh));
        assert_eq!(runs.last().map(|r| r.lang), Some(Lang::Zh));
    }

    #[test]
    fn runs_cover_text_without_gaps() {
        let d = LangDetector::default();
        let t = "2021年，BTC跌了30%！한국어 テスト done.";
        let runs = d.runs(t);
        assert_eq!(runs[0].start, 0);
        assert_eq!(runs.last().map(|r| r.end), Some(t.len()));
        for w in runs.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
    }

    #[test]
    fn japanese_korean_detected() {
        let d = LangDetector::default();
        assert_eq!(d.detect("東京は日本の首都です。"), Lang::Ja);
        assert_eq!(d.detect("비트코인 채굴이 금지되었다"), Lang::Ko);
        assert_eq!(d.detect("比特币挖矿被全面清退"), Lang::Zh);
        assert_eq!(d.detect("the ban"), Lang::En);
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

    /// `runs` as it was written before the ASCII fast path.
    fn reference_runs(text: &str) -> Vec<(usize, usize, Option<Script>)> {
        let mut runs = Vec::new();
        let mut cur: Option<(usize, Option<Script>, bool)> = None;
        for (i, ch) in text.char_indices() {
            let Some(s) = script_of(ch) else {
                if cur.is_none() {
                    cur = Some((i, None, false));
                }
                continue;
            };
            let cls = if s == Script::Kana { Script::Han } else { s };
            match cur {
                None => cur = Some((i, Some(cls), s == Script::Kana)),
                Some((st, None, _)) => cur = Some((st, Some(cls), s == Script::Kana)),
                Some((st, Some(c), k)) if c == cls => {
                    cur = Some((st, Some(c), k || s == Script::Kana))
                }
                Some((st, sc, k)) => {
                    let sc = sc.map(|x| {
                        if k && x == Script::Han {
                            Script::Kana
                        } else {
                            x
                        }
                    });
                    runs.push((st, i, sc));
                    cur = Some((i, Some(cls), s == Script::Kana));
                }
            }
        }
        if let Some((st, sc, k)) = cur {
            let sc = sc.map(|x| {
                if k && x == Script::Han {
                    Script::Kana
                } else {
                    x
                }
            });
            runs.push((st, text.len(), sc));
        }
        runs
    }

    fn check_runs(t: &str) {
        let got: Vec<(usize, usize, Option<Script>)> = LangDetector::default()
            .runs(t)
            .iter()
            .map(|r| (r.start, r.end, r.script))
            .collect();
        assert_eq!(got, reference_runs(t), "{t:?}");
    }

    #[test]
    fn runs_fast_path_matches_reference() {
        for t in [
            "",
            "abc",
            "12, 34",
            " 比特币 Elon Musk 表示, 2021年 BTC…",
            "Ça va? Über naïve café, Привет мир 3.5%",
            "東京は Tokyo です。한국어 abc 한국어",
            "(注) see: 矿场",
        ] {
            check_runs(t);
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_match_reference_on_random_text(t in "[ a-zA-Z0-9.,é字カ한Ж\u{301}\u{3000}]{0,40}") {
            check_runs(&t);
        }

        #[test]
        fn runs_match_reference_on_any_text(t in "\\PC{0,40}") {
            check_runs(&t);
        }

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

    #[test]
    fn latin_restricted_when_several_configured() {
        let d = LangDetector::builder()
            .languages(&[Lang::En, Lang::De, Lang::Zh])
            .build();
        assert_eq!(
            d.detect(
                "Die Regierung hat den Bergbau von Bitcoin verboten und die Farmen geschlossen."
            ),
            Lang::De
        );
        assert_eq!(d.detect("mining"), Lang::En);
    }
}
