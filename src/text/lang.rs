//! Language identification: Unicode script runs of normalized text, and a language per run.
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

use super::han::VariantTally;
use serde::{Deserialize, Serialize};

// Old paths (`duibi::lang::normalize` …), kept for one release: these items now live in
// their own modules of `crate::text` and are re-exported from there.
#[doc(hidden)]
pub use super::han::{to_simplified_char, to_simplified_in_place, HanVariantCounts, ZhScript};
#[doc(hidden)]
pub use super::normalize::normalize;
#[doc(hidden)]
pub use super::script::{script_of, Script};

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
            langs: crate::config::LANGUAGES.to_vec(),
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
    /// (a kana share of at least [`JA_KANA_PERCENT`](crate::config::JA_KANA_PERCENT) of
    /// the CJK letters in the whole text); a run holding kana is Japanese when its own
    /// share reaches that too, Chinese otherwise (one stray kana letter in a Chinese
    /// paragraph does not make it Japanese).
    pub fn runs(&self, text: &str) -> Vec<Run> {
        self.runs_tallied(text, &mut Vec::new())
    }

    /// [`LangDetector::runs`], and in `tallies` (cleared first) the
    /// [`variant_scan`](super::han::variant_scan) of each run's text, counted in the
    /// same pass over the characters: a Chinese run is then converted to Simplified
    /// characters without a pass of its own to decide it.
    pub(crate) fn runs_tallied(&self, text: &str, tallies: &mut Vec<VariantTally>) -> Vec<Run> {
        tallies.clear();
        let dense = super::han::dense_flags();
        // The characters of the current run so far (those of `cur`).
        let mut tally = VariantTally::default();
        let mut runs: Vec<Run> = Vec::new();
        let mut kana = 0usize;
        let mut han = 0usize;
        let mut cur: Option<(usize, Option<Script>, bool)> = None; // start, script, has_kana
        let b = text.as_bytes();
        let mut next = 0usize; // byte offset of the next character
        while next < b.len() {
            let i = next;
            if let Some((_, Some(Script::Han), _)) = cur {
                // Inside a Han run, an ideograph of U+4E00–U+9FFF only continues it.
                let mut k = i;
                while let Some(&[l, m, t, ..]) = b.get(k..) {
                    if !common_ideograph(l, m) {
                        break;
                    }
                    tally.add3(dense, l, m, t);
                    han += 1;
                    k += 3;
                }
                if k > i {
                    next = k;
                    continue;
                }
            }
            if b[i] < 0x80 {
                if let Some((_, Some(Script::Latin), _)) = cur {
                    // Inside a Latin run, ASCII changes nothing: letters continue the
                    // run, the rest stays in it (and no ASCII character has flags).
                    next = super::ascii_end(b, next + 1);
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
                tally.add_char(dense, ch);
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
                    tallies.push(std::mem::take(&mut tally));
                    cur = Some((i, Some(cls), s == Script::Kana));
                }
            }
            tally.add_char(dense, ch);
        }
        if let Some((st, sc, k)) = cur {
            tallies.push(tally);
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
        // (The digits and separators it moves are ASCII: no run's tally changes.)
        numbers_to_han(text, &mut runs);
        let japanese = |kana: usize, han: usize| {
            kana > 0 && kana * 100 >= crate::config::JA_KANA_PERCENT * (kana + han)
        };
        let japanese_context = japanese(kana, han);
        for r in &mut runs {
            r.lang = match r.script {
                // A stray kana letter in a Chinese run (a typo, a quoted name) does not
                // make it Japanese: the run's own kana share must reach the threshold
                // too, unless the whole text is Japanese.
                Some(Script::Kana) => {
                    if japanese_context || japanese_run(&text[r.start..r.end], japanese) {
                        Lang::Ja
                    } else {
                        Lang::Zh
                    }
                }
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

/// Moves a number written right before Han characters (`BTC 5万`, `…org, 2021年`) from
/// the end of the run before into the Han run, where it belongs with its unit: digits
/// and punctuation otherwise stay in the run they follow.
/// Whether a character whose first two UTF-8 bytes are `l`, `m` is a CJK Unified
/// Ideograph of U+4E00–U+9FFF (three bytes: lead `E4` with a second byte from `B8`,
/// or lead `E5`–`E9`), the characters nearly all Chinese text is written in.
#[inline]
pub(crate) fn common_ideograph(l: u8, m: u8) -> bool {
    matches!(l, 0xE5..=0xE9) || (l == 0xE4 && m >= 0xB8)
}

pub(crate) fn numbers_to_han(text: &str, runs: &mut [Run]) {
    let b = text.as_bytes();
    for k in 1..runs.len() {
        if !matches!(runs[k].script, Some(Script::Han | Script::Kana)) {
            continue;
        }
        let (start, end) = (runs[k - 1].start, runs[k - 1].end);
        let mut split = end;
        while split > start {
            let c = b[split - 1];
            let inner_sep = matches!(c, b'.' | b',')
                && split < end
                && b[split].is_ascii_digit()
                && split - 1 > start
                && b[split - 2].is_ascii_digit();
            if c.is_ascii_digit() || inner_sep {
                split -= 1;
            } else {
                break;
            }
        }
        if split > start && split < end && b[split].is_ascii_digit() {
            runs[k - 1].end = split;
            runs[k].start = split;
        }
    }
}

/// Whether the kana share of a Han-and-kana run makes it Japanese.
fn japanese_run(run: &str, japanese: impl Fn(usize, usize) -> bool) -> bool {
    let (mut kana, mut han) = (0, 0);
    for c in run.chars() {
        match script_of(c) {
            Some(Script::Kana) => kana += 1,
            Some(Script::Han) => han += 1,
            _ => {}
        }
    }
    japanese(kana, han)
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

    /// The tallies counted with the runs are the variant scans of the runs' texts,
    /// one a run: the Chinese runs are converted and counted from them.
    fn check_tallies(d: &LangDetector, t: &str) {
        let mut tallies = vec![VariantTally::default(); 3];
        let runs = d.runs_tallied(t, &mut tallies);
        assert_eq!(runs, d.runs(t), "{t:?}");
        let got: Vec<_> = tallies.iter().map(|x| x.result()).collect();
        let want: Vec<_> = runs
            .iter()
            .map(|r| super::super::han::variant_scan(&t[r.start..r.end]))
            .collect();
        assert_eq!(got, want, "{t:?}");
    }

    #[test]
    fn run_tallies_are_the_scans_of_the_runs() {
        let d = LangDetector::default();
        for t in [
            "",
            "監管機構 Texas 监管机构，礦場 and 矿场 2021年 後來 BTC 5萬 乾淨",
            "於是 ひらがな 漢字カタカナ 한국어 Ελληνικά café \u{fa11}\u{2f00}\u{20000}\u{2a6d6}",
            "12,3.4 後 ab 5.6 礦 。「監」 x",
        ] {
            check_tallies(&d, t);
        }
    }

    proptest::proptest! {
        #[test]
        fn run_tallies_on_random_text(
            t in "[a Z1.,，。「監管礦場後於乾淨矿场监管ひカ한é\u{301}\u{fa11}\u{2f00}\u{3000}\u{3400}\u{20000}\u{2a6d6}]{0,40}"
        ) {
            check_tallies(&LangDetector::default(), &t);
        }
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

    /// `runs` as it was written before the ASCII fast path (then the shared pass that
    /// moves numbers into the Han run after them).
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
        let mut rs: Vec<Run> = runs
            .iter()
            .map(|&(start, end, script)| Run {
                start,
                end,
                script,
                lang: Lang::Und,
            })
            .collect();
        numbers_to_han(text, &mut rs);
        rs.iter().map(|r| (r.start, r.end, r.script)).collect()
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

    #[test]
    fn common_ideographs_are_three_byte_han() {
        for c in (0..=0xFFFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            if b.len() >= 2 && common_ideograph(b[0], b[1]) {
                assert_eq!((b.len(), script_of(c)), (3, Some(Script::Han)), "{c:?}");
            }
        }
    }

    #[test]
    fn han_fast_path_keeps_the_japanese_decision() {
        // Han counted in bulk inside runs still weighs against the kana.
        let d = LangDetector::default();
        let zh = format!("{}カ", "字".repeat(40));
        assert!(d.runs(&zh).iter().all(|r| r.lang == Lang::Zh));
        assert!(d.runs("字カカ").iter().all(|r| r.lang == Lang::Ja));
    }

    proptest::proptest! {
        #[test]
        fn runs_match_reference_at_ideograph_edges(
            t in "[ a字カ\u{3007}\u{4000}\u{4dbf}\u{4dc0}\u{4dff}\u{4e00}\u{9fff}\u{a000}\u{f900}]{0,40}"
        ) {
            check_runs(&t);
        }

        #[test]
        fn runs_match_reference_on_random_text(t in "[ a-zA-Z0-9.,é字カ한Ж\u{301}\u{3000}]{0,40}") {
            check_runs(&t);
        }

        #[test]
        fn runs_match_reference_on_any_text(t in "\\PC{0,40}") {
            check_runs(&t);
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
