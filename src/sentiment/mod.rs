//! Lexicon-and-rules sentiment for Chinese and English.
//!
//! One engine scores every language; what differs per language is a
//! [`LangResources`] value: a valence lexicon (term → score on VADER's −4..+4 scale),
//! negators, degree words, contrast words and a few rule parameters ([`LangParams`]).
//!
//! Rules (applied per sentence, see [`crate::sentence::split`]):
//!
//! * **Lexicon lookup** on the tokenizer's terms (Simplified Chinese, lowercase Latin),
//!   longest multi-token entry first (`can't stand`, `性价比高`); Chinese tokens the
//!   segmenter glued to a negator or degree word (`不满意`, `太差`) are split again.
//! * **English fallbacks** for words VADER lacks: AFINN-en-165 (score ×0.5, see
//!   [`AFINN_EN_SCALE`]), then an inflection fallback that looks the word up again without
//!   a regular suffix (`-s`, `-es`, `-ies`, `-ed`, `-ied`, `-ing`, `-ly`, `-ily`, `-ably`,
//!   `-ness`, `-iness`, `-ier`, `-iest`; doubled consonants undone) at ×0.9
//!   ([`LangParams::morphology`]), then morphological negation (`un-X`, `X-less`: the
//!   stem's valence negated). `-er`/`-est` are not stripped (`banner`, `player`).
//!   Lengthened words (`gooood`, `sooo`) are looked up with the repeated letters collapsed
//!   and get +0.293 emphasis (Brody & Diakopoulos 2011). Hyphenated entries (`well-made`)
//!   match across the tokenizer's split at `-`.
//! * **Chinese character back-off**: an unknown word of 2–4 Han characters whose
//!   sentiment morphemes (棒, 烂, 吵 …; `morpheme` entries) agree in sign gets their mean
//!   valence ×0.5 ([`LangParams::morpheme_weight`]; after Ku, Liang & Chen 2006), unless
//!   it holds a negating character (不, 无, 难 …).
//! * **Negation**: a negator (不, 没有, 毫无; not, never, words in `n't`) multiplies
//!   the sentiment words within the next 3 tokens by −0.74 (VADER's factor), never
//!   past a clause end (`,` `;` `:` `、` …). In Chinese it applies to the first
//!   sentiment word only. A negator that has a valence of its own (`no`) counts it only
//!   when it negated nothing, so nothing is counted twice. English `least` negates
//!   (VADER's rule) except in `at least` / `very least`; `never so/this` intensifies
//!   (×1.25) instead of negating, and `without doubt` is a booster (VADER's rules).
//!   Weak negators (不太, 不够, 谈不上) and, in Chinese, a negator over a booster
//!   (不是很好) deny the degree rather than the quality: ×−0.3 without the booster
//!   ([`LangParams::weak_negation_factor`]).
//! * **Degree words** scale the sentiment word after them (up to 3 tokens, weights 1,
//!   0.95, 0.9): in English additively as VADER does (±0.293; phrases such as `kind of`
//!   and `sort of` too), in Chinese as a multiplier (非常 ×1.5, 有点 ×0.7).
//! * **Excess**: an excess marker before a neutral property adjective (太小, 偏咸,
//!   有点贵, 过于复杂; too long, overly complicated) makes it negative (`excess` and
//!   `property` entries); 有点 counts because it is used mostly with unwelcome qualities.
//! * **Contrast**: in a sentence with 但是/不过/然而 or but/however, sentiment before the
//!   first contrast word is weighted ×0.5 and after it ×1.5. Without one, the clause of a
//!   concessive subordinator (虽然, 尽管; although, though) is the minor one: ×0.5 inside
//!   it, ×1.5 elsewhere in the sentence.
//! * **Irrealis**: sentiment after a modal, conditional or wish marker (would, could, if;
//!   如果, 本以为, 希望) in the same clause is weighted ×0.5
//!   ([`LangParams::irrealis_weight`]; SO-CAL's irrealis blocking, Taboada et al. 2011,
//!   uses 0).
//! * **Rhetorical questions**: in a sentence ending as a question (`?`, 吗, 呢), sentiment
//!   after 难道/岂 is reversed (难道不好吗 = it is good).
//! * **Negative weighting**: negative contributions are multiplied by 1.2
//!   ([`LangParams::negative_weight`]; SO-CAL uses 1.5).
//! * **Emphasis**: each `!` (NFKC turns `！` into `!`; up to 4) adds 0.292 to the
//!   sentence's magnitude; English also has VADER's `??` rule and ALL-CAPS words (+0.733
//!   when the text mixes case).
//! * A sentence's raw sum `x` is normalized as `x / sqrt(x² + 15)`.
//!
//! The **document score** ([`DocSentiment::score`]) is the same normalization applied to
//! the sum of the sentences' raw sums: VADER's compound score of the whole text, which
//! is what VADER's published figures measure. It saturates towards ±1 on long texts;
//! [`DocSentiment::sentence_mean`] (mean score of the sentences with at least one
//! lexicon hit) is the length-independent alternative for long articles.
//!
//! ```
//! use duibi::sentiment::SentimentModel;
//! use duibi::tokenize::Tokenizer;
//! let model = SentimentModel::builder().build().unwrap();
//! let tok = Tokenizer::builder().build().unwrap();
//! let good = model.score_text(&tok, "服务非常好，下次还来！");
//! let bad = model.score_text(&tok, "服务不好，很失望。");
//! assert!(good.score > 0.3 && bad.score < -0.3);
//! let en = model.score_text(&tok, "The crackdown was not good for miners.");
//! assert!(en.score < 0.0);
//! ```

mod engine;
pub(crate) use engine::TermRef;
pub mod eval;
pub mod lexicon;

pub use lexicon::{decode_any, read_any_encoding, LangParams, LangResources};

use crate::lang::Lang;
use crate::tokenize::Tokenizer;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const VADER: &str = include_str!("../../data/lexicons/vader_lexicon.txt");
const AFINN_EN: &str = include_str!("../../data/lexicons/AFINN-en-165.txt");
const EN_DOMAIN: &str = include_str!("../../data/lexicons/en-domain.tsv");
const EN_MODIFIERS: &str = include_str!("../../data/lexicons/en-modifiers.tsv");
const ZH_PROJECTED: &str = include_str!("../../data/lexicons/zh-cedict-projected.tsv");
const ZH_AFINN: &str = include_str!("../../data/lexicons/zh-afinn-clean.tsv");
const ZH_CORE: &str = include_str!("../../data/lexicons/zh-core.tsv");
const ZH_MODIFIERS: &str = include_str!("../../data/lexicons/zh-modifiers.tsv");

/// Errors raised while building a [`SentimentModel`] or reading evaluation data.
#[derive(Debug, thiserror::Error)]
pub enum SentimentError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A line of a file could not be parsed.
    #[error("{path}:{line}: {reason}")]
    Parse {
        /// The file (or shipped resource name).
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// How a user lexicon combines with the lexicon already loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The file's entries replace the whole valence lexicon of each language it holds
    /// (negators, degree and contrast words stay).
    Replace,
    /// The file's entries are added; where a term exists, the file's score wins.
    Extend,
}

/// Polarity of a plain word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// Positive words, scored +[`WORD_LIST_SCORE`].
    Positive,
    /// Negative words, scored −[`WORD_LIST_SCORE`].
    Negative,
}

/// Factor from AFINN's −5..+5 scale to the valence of an English fallback entry (AFINN's
/// integer ratings of words VADER lacks are coarse; at 0.5 a ±4 AFINN word counts like a
/// ±2 VADER word).
pub const AFINN_EN_SCALE: f32 = 0.5;

/// Valence magnitude given to the entries of plain word lists (a typical VADER entry).
pub const WORD_LIST_SCORE: f32 = 2.0;

/// Sentence or document label: compound score ≥ 0.05 positive, ≤ −0.05 negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// Positive.
    Pos,
    /// Negative.
    Neg,
    /// Neutral (or no sentiment found).
    Neu,
}

/// One lexicon match in a sentence, with the rules that changed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermHit {
    /// Byte offset of the matched surface text.
    pub start: u32,
    /// Byte offset one past it.
    pub end: u32,
    /// Language whose lexicon matched.
    pub lang: Lang,
    /// Lexicon valence (−4..+4).
    pub valence: f32,
    /// Contribution to the sentence sum after all rules.
    pub score: f32,
    /// Number of negators applied.
    pub negated: u8,
    /// Degree change: added amount (English) or multiplier − 1 (Chinese); 0 for none.
    pub degree: f32,
    /// ALL-CAPS emphasis applied.
    pub caps: bool,
    /// Contrast weight (1 without a contrast word; 0.5 before it, 1.5 after it).
    pub contrast_weight: f32,
}

/// Sentiment of one sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceSentiment {
    /// Byte offset of the sentence in the normalized text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// Language whose rules scored it (majority of its tokens).
    pub lang: Lang,
    /// Sum of the term scores plus emphasis, before normalization.
    pub raw: f32,
    /// `raw / sqrt(raw² + 15)`, in −1..1.
    pub score: f32,
    /// Label of `score`.
    pub label: Label,
    /// Lexicon matches, in text order.
    pub terms: Vec<TermHit>,
}

/// Lexicon coverage counts of one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LangCoverage {
    /// The language.
    pub lang: Lang,
    /// Word tokens (numbers excluded).
    pub tokens: u64,
    /// Word tokens inside a lexicon match.
    pub hit_tokens: u64,
    /// Sentences (by their majority language).
    pub sentences: u64,
    /// Sentences with at least one lexicon match.
    pub hit_sentences: u64,
}

impl Default for LangCoverage {
    fn default() -> Self {
        LangCoverage {
            lang: Lang::Und,
            tokens: 0,
            hit_tokens: 0,
            sentences: 0,
            hit_sentences: 0,
        }
    }
}

impl LangCoverage {
    /// Share of word tokens that hit the lexicon (0 when there are none).
    pub fn token_share(&self) -> f64 {
        ratio(self.hit_tokens, self.tokens)
    }

    /// Share of sentences with at least one lexicon match.
    pub fn sentence_share(&self) -> f64 {
        ratio(self.hit_sentences, self.sentences)
    }

    fn add(&mut self, o: &LangCoverage) {
        self.tokens += o.tokens;
        self.hit_tokens += o.hit_tokens;
        self.sentences += o.sentences;
        self.hit_sentences += o.hit_sentences;
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Sentiment of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocSentiment {
    /// Main language (most word tokens).
    pub lang: Lang,
    /// Document score in −1..1: `x / sqrt(x² + 15)` of the sum `x` of the sentences'
    /// raw sums (VADER's compound score of the whole text).
    pub score: f32,
    /// The sum `x` itself.
    pub raw: f32,
    /// Mean score of the sentences with at least one lexicon match (0 when none):
    /// a length-independent alternative to `score` for long texts.
    pub sentence_mean: f32,
    /// Label of `score`.
    pub label: Label,
    /// Number of positive sentences.
    pub positive: u32,
    /// Number of negative sentences.
    pub negative: u32,
    /// Number of neutral sentences.
    pub neutral: u32,
    /// Per-sentence results.
    pub sentences: Vec<SentenceSentiment>,
    /// Coverage per language present (zh, en, then other languages as `und`).
    pub coverage: Vec<LangCoverage>,
}

impl DocSentiment {
    /// Share of word tokens (all languages) that hit the lexicon.
    pub fn token_coverage(&self) -> f64 {
        ratio(
            self.coverage.iter().map(|c| c.hit_tokens).sum(),
            self.coverage.iter().map(|c| c.tokens).sum(),
        )
    }

    /// Share of sentences with at least one lexicon match.
    pub fn sentence_coverage(&self) -> f64 {
        ratio(
            self.coverage.iter().map(|c| c.hit_sentences).sum(),
            self.coverage.iter().map(|c| c.sentences).sum(),
        )
    }

    /// A self-contained, serializable explanation (sentence texts and matched terms);
    /// `text` is the normalized text this result was computed on.
    pub fn explain(&self, text: &str) -> Explanation {
        Explanation {
            lang: self.lang,
            score: self.score,
            label: self.label,
            sentence_mean: self.sentence_mean,
            positive: self.positive,
            negative: self.negative,
            neutral: self.neutral,
            token_coverage: self.token_coverage(),
            sentence_coverage: self.sentence_coverage(),
            sentences: self
                .sentences
                .iter()
                .map(|s| SentenceExplanation {
                    text: text.get(s.start..s.end).unwrap_or("").to_owned(),
                    start: s.start,
                    end: s.end,
                    score: s.score,
                    label: s.label,
                    terms: s
                        .terms
                        .iter()
                        .map(|h| {
                            let surface = text.get(h.start as usize..h.end as usize).unwrap_or("");
                            TermExplanation {
                                text: surface.to_owned(),
                                term: lexicon::normalize_term(surface),
                                valence: h.valence,
                                score: h.score,
                                negated: h.negated,
                                degree: h.degree,
                                caps: h.caps,
                                contrast_weight: h.contrast_weight,
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Explanation of a document score, for `duibi score` (one JSON object per input).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Main language.
    pub lang: Lang,
    /// Document score (see [`DocSentiment::score`]).
    pub score: f32,
    /// Document label.
    pub label: Label,
    /// Mean score of sentences with lexicon matches.
    pub sentence_mean: f32,
    /// Positive sentences.
    pub positive: u32,
    /// Negative sentences.
    pub negative: u32,
    /// Neutral sentences.
    pub neutral: u32,
    /// Share of word tokens that hit the lexicon.
    pub token_coverage: f64,
    /// Share of sentences with a lexicon match.
    pub sentence_coverage: f64,
    /// Sentences.
    pub sentences: Vec<SentenceExplanation>,
}

/// One sentence of an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceExplanation {
    /// Sentence text.
    pub text: String,
    /// Byte offset in the normalized text.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// Sentence score.
    pub score: f32,
    /// Sentence label.
    pub label: Label,
    /// Matched terms.
    pub terms: Vec<TermExplanation>,
}

/// One matched term of an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermExplanation {
    /// Surface text as written.
    pub text: String,
    /// Lexicon form (Simplified, lowercase).
    pub term: String,
    /// Lexicon valence.
    pub valence: f32,
    /// Contribution after the rules.
    pub score: f32,
    /// Negators applied.
    pub negated: u8,
    /// Degree change (see [`TermHit::degree`]).
    pub degree: f32,
    /// ALL-CAPS emphasis applied.
    pub caps: bool,
    /// Contrast weight.
    pub contrast_weight: f32,
}

/// Number of bins of the document-score histogram in [`SentimentAgg`] (width 0.1 on −1..1).
pub const HIST_BINS: usize = 20;

/// Mergeable sentiment aggregate of a group of documents: plain counts and sums, so
/// partial aggregates (per thread, per file) merge associatively.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SentimentAgg {
    /// Documents.
    pub docs: u64,
    /// Documents labelled positive / negative / neutral.
    pub pos_docs: u64,
    /// See `pos_docs`.
    pub neg_docs: u64,
    /// See `pos_docs`.
    pub neu_docs: u64,
    /// Sum of document scores.
    pub score_sum: f64,
    /// Sum of squared document scores.
    pub score_sq_sum: f64,
    /// Histogram of document scores: bin `i` holds −1 + 0.1·i ≤ s < −0.9 + 0.1·i (1.0 in the last bin).
    pub hist: [u64; HIST_BINS],
    /// Sentences.
    pub sentences: u64,
    /// Sentences labelled positive / negative / neutral.
    pub pos_sentences: u64,
    /// See `pos_sentences`.
    pub neg_sentences: u64,
    /// See `pos_sentences`.
    pub neu_sentences: u64,
    /// Coverage sums per language, in [`Lang::ALL`] order.
    pub coverage: Vec<LangCoverage>,
}

/// Summary statistics of a [`SentimentAgg`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggSummary {
    /// Documents.
    pub docs: u64,
    /// Mean document score.
    pub mean: f64,
    /// Standard deviation of document scores.
    pub std: f64,
    /// Median document score, interpolated within its histogram bin (±0.05).
    pub median: f64,
    /// Share of positive documents.
    pub share_pos: f64,
    /// Share of negative documents.
    pub share_neg: f64,
    /// Share of neutral documents.
    pub share_neu: f64,
    /// Share of positive sentences.
    pub sentence_share_pos: f64,
    /// Share of negative sentences.
    pub sentence_share_neg: f64,
    /// Share of word tokens that hit the lexicon (all languages).
    pub token_coverage: f64,
    /// Share of sentences with a lexicon match (all languages).
    pub sentence_coverage: f64,
    /// Coverage per language.
    pub coverage: Vec<LangCoverage>,
    /// The histogram.
    pub hist: [u64; HIST_BINS],
}

impl SentimentAgg {
    /// An empty aggregate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one document.
    pub fn add(&mut self, d: &DocSentiment) {
        self.docs += 1;
        match d.label {
            Label::Pos => self.pos_docs += 1,
            Label::Neg => self.neg_docs += 1,
            Label::Neu => self.neu_docs += 1,
        }
        let s = f64::from(d.score.clamp(-1.0, 1.0));
        self.score_sum += s;
        self.score_sq_sum += s * s;
        self.hist[hist_bin(s)] += 1;
        self.sentences += d.sentences.len() as u64;
        self.pos_sentences += u64::from(d.positive);
        self.neg_sentences += u64::from(d.negative);
        self.neu_sentences += u64::from(d.neutral);
        for c in &d.coverage {
            self.add_coverage(c);
        }
    }

    fn add_coverage(&mut self, c: &LangCoverage) {
        if let Some(m) = self.coverage.iter_mut().find(|m| m.lang == c.lang) {
            m.add(c);
        } else {
            self.coverage.push(c.clone());
            let order = |l: Lang| Lang::ALL.iter().position(|x| *x == l).unwrap_or(usize::MAX);
            self.coverage.sort_by_key(|m| order(m.lang));
        }
    }

    /// Merges another aggregate into this one (associative and commutative).
    pub fn merge(&mut self, o: &SentimentAgg) {
        self.docs += o.docs;
        self.pos_docs += o.pos_docs;
        self.neg_docs += o.neg_docs;
        self.neu_docs += o.neu_docs;
        self.score_sum += o.score_sum;
        self.score_sq_sum += o.score_sq_sum;
        for (a, b) in self.hist.iter_mut().zip(o.hist.iter()) {
            *a += b;
        }
        self.sentences += o.sentences;
        self.pos_sentences += o.pos_sentences;
        self.neg_sentences += o.neg_sentences;
        self.neu_sentences += o.neu_sentences;
        for c in &o.coverage {
            self.add_coverage(c);
        }
    }

    /// Mean, spread, histogram median, label shares and coverage.
    pub fn summary(&self) -> AggSummary {
        let n = self.docs as f64;
        let mean = if self.docs == 0 {
            0.0
        } else {
            self.score_sum / n
        };
        let var = if self.docs == 0 {
            0.0
        } else {
            (self.score_sq_sum / n - mean * mean).max(0.0)
        };
        AggSummary {
            docs: self.docs,
            mean,
            std: var.sqrt(),
            median: self.median(),
            share_pos: ratio(self.pos_docs, self.docs),
            share_neg: ratio(self.neg_docs, self.docs),
            share_neu: ratio(self.neu_docs, self.docs),
            sentence_share_pos: ratio(self.pos_sentences, self.sentences),
            sentence_share_neg: ratio(self.neg_sentences, self.sentences),
            token_coverage: ratio(
                self.coverage.iter().map(|c| c.hit_tokens).sum(),
                self.coverage.iter().map(|c| c.tokens).sum(),
            ),
            sentence_coverage: ratio(
                self.coverage.iter().map(|c| c.hit_sentences).sum(),
                self.coverage.iter().map(|c| c.sentences).sum(),
            ),
            coverage: self.coverage.clone(),
            hist: self.hist,
        }
    }

    /// Median document score from the histogram (linear within the median's bin).
    pub fn median(&self) -> f64 {
        if self.docs == 0 {
            return 0.0;
        }
        let half = self.docs as f64 / 2.0;
        let mut cum = 0f64;
        for (i, &c) in self.hist.iter().enumerate() {
            let next = cum + c as f64;
            if next >= half && c > 0 {
                let lo = -1.0 + 0.1 * i as f64;
                return lo + 0.1 * ((half - cum) / c as f64);
            }
            cum = next;
        }
        0.0
    }
}

fn hist_bin(s: f64) -> usize {
    (((s + 1.0) * 10.0).floor().max(0.0) as usize).min(HIST_BINS - 1)
}

enum Source {
    Tsv(PathBuf, Mode),
    WordList(PathBuf, Polarity, Lang),
}

/// Builder for [`SentimentModel`].
pub struct SentimentModelBuilder {
    shipped: bool,
    en_afinn: bool,
    zh_afinn: bool,
    sources: Vec<Source>,
    zh_params: LangParams,
    en_params: LangParams,
}

impl SentimentModelBuilder {
    /// Start from the shipped lexicons (default: on). Off: empty valence lexicons (the
    /// shipped negators, degree and contrast words stay), for users who bring their own.
    pub fn shipped(mut self, on: bool) -> Self {
        self.shipped = on;
        self
    }

    /// Fill the gaps of the English lexicon with AFINN-en-165 (default: on): words VADER
    /// and `en-domain.tsv` lack get AFINN's score ×[`AFINN_EN_SCALE`].
    pub fn en_afinn(mut self, on: bool) -> Self {
        self.en_afinn = on;
        self
    }

    /// Also load the cleaned AFINN-zh-165 translation under the other Chinese lexicons
    /// (default: off; it lowered the scores on both Chinese evaluation sets).
    pub fn zh_afinn(mut self, on: bool) -> Self {
        self.zh_afinn = on;
        self
    }

    /// Adds a valence file: `term<TAB>score[<TAB>lang]` per line (UTF-8 or any encoding
    /// [`decode_any`] detects; `#` comments). `lang` is `zh` or `en`; when absent it is
    /// inferred from the script (Han → zh). Traditional terms are mapped to Simplified.
    pub fn lexicon_file(mut self, path: impl AsRef<Path>, mode: Mode) -> Self {
        self.sources
            .push(Source::Tsv(path.as_ref().to_path_buf(), mode));
        self
    }

    /// Adds a plain word list (one word a line, any encoding, as NTUSD or HowNet ship
    /// them; legacy encodings are guessed, which needs more than a handful of words —
    /// prefer UTF-8 for tiny lists); entries score ±[`WORD_LIST_SCORE`] and extend the lexicon of `lang`.
    pub fn word_list(mut self, path: impl AsRef<Path>, polarity: Polarity, lang: Lang) -> Self {
        self.sources.push(Source::WordList(
            path.as_ref().to_path_buf(),
            polarity,
            lang,
        ));
        self
    }

    /// Overrides the rule parameters of a language (`zh` or `en`; others are ignored).
    pub fn params(mut self, lang: Lang, params: LangParams) -> Self {
        match lang {
            Lang::Zh => self.zh_params = params,
            Lang::En => self.en_params = params,
            _ => {}
        }
        self
    }

    /// Loads everything. Do this once and share the model (it is `Send + Sync`).
    pub fn build(self) -> Result<SentimentModel, SentimentError> {
        let mut zh = LangResources::new(self.zh_params);
        let mut en = LangResources::new(self.en_params);
        lexicon::load_modifiers(&mut zh, ZH_MODIFIERS, "data/lexicons/zh-modifiers.tsv")?;
        lexicon::load_modifiers(&mut en, EN_MODIFIERS, "data/lexicons/en-modifiers.tsv")?;
        if self.shipped {
            let mut files: Vec<(&str, &str)> = vec![("data/lexicons/vader_lexicon.txt", VADER)];
            files.push(("data/lexicons/en-domain.tsv", EN_DOMAIN));
            if self.zh_afinn {
                files.push(("data/lexicons/zh-afinn-clean.tsv", ZH_AFINN));
            }
            files.push(("data/lexicons/zh-cedict-projected.tsv", ZH_PROJECTED));
            files.push(("data/lexicons/zh-core.tsv", ZH_CORE));
            for (name, text) in files {
                let entries = lexicon::parse_tsv(text, name)?;
                insert_entries(&mut zh, &mut en, entries, Mode::Extend);
            }
            if self.en_afinn {
                let name = "data/lexicons/AFINN-en-165.txt";
                for e in lexicon::parse_tsv(AFINN_EN, name)? {
                    if e.lang == Lang::En
                        && lexicon::is_wordlike(&e.term)
                        && !en.valence.contains_key(e.term.as_str())
                    {
                        en.valence
                            .insert(e.term.into_boxed_str(), e.score * AFINN_EN_SCALE);
                    }
                }
            }
        }
        for src in &self.sources {
            match src {
                Source::Tsv(path, mode) => {
                    let text = read_any_encoding(path)?;
                    let entries = lexicon::parse_tsv(&text, &path.display().to_string())?;
                    insert_entries(&mut zh, &mut en, entries, *mode);
                }
                Source::WordList(path, pol, lang) => {
                    let text = read_any_encoding(path)?;
                    let score = match pol {
                        Polarity::Positive => WORD_LIST_SCORE,
                        Polarity::Negative => -WORD_LIST_SCORE,
                    };
                    let entries: Vec<lexicon::TsvEntry> = text
                        .lines()
                        .map(|l| l.trim_start_matches('\u{feff}').trim())
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(|l| lexicon::TsvEntry {
                            term: lexicon::normalize_term(l),
                            score,
                            lang: *lang,
                        })
                        .filter(|e| !e.term.is_empty())
                        .collect();
                    insert_entries(&mut zh, &mut en, entries, Mode::Extend);
                }
            }
        }
        // Modifiers carry no valence of their own in the rules (a degree word is not an
        // opinion); keep them out of the valence maps so they are not double counted.
        for r in [&mut zh, &mut en] {
            let LangResources {
                valence,
                intensifiers,
                contrast,
                concessive,
                irrealis,
                rhetorical,
                ..
            } = r;
            valence.retain(|k, _| {
                !intensifiers.contains_key(k)
                    && !contrast.contains(k)
                    && !concessive.contains(k)
                    && !irrealis.contains(k)
                    && !rhetorical.contains(k)
            });
            r.finish();
        }
        let idx = [engine::TermIndex::new(&zh), engine::TermIndex::new(&en)];
        let emo_filter = engine::EmoFilter::new(en.emoticons.keys().map(|k| &**k));
        Ok(SentimentModel {
            zh,
            en,
            idx,
            emo_filter,
        })
    }
}

fn insert_entries(
    zh: &mut LangResources,
    en: &mut LangResources,
    entries: Vec<lexicon::TsvEntry>,
    mode: Mode,
) {
    if mode == Mode::Replace {
        if entries.iter().any(|e| e.lang == Lang::Zh) {
            zh.valence.clear();
            zh.emoticons.clear();
        }
        if entries.iter().any(|e| e.lang != Lang::Zh) {
            en.valence.clear();
            en.emoticons.clear();
        }
    }
    for e in entries {
        let r = if e.lang == Lang::Zh {
            &mut *zh
        } else {
            &mut *en
        };
        if lexicon::is_wordlike(&e.term) {
            r.valence.insert(e.term.into_boxed_str(), e.score);
        } else {
            r.emoticons.insert(e.term.into_boxed_str(), e.score);
        }
    }
}

/// A built sentiment model: per-language resources, shared read-only.
///
/// ```
/// use duibi::sentiment::{Label, SentimentModel};
/// use duibi::tokenize::Tokenizer;
/// let model = SentimentModel::builder().build().unwrap();
/// let tok = Tokenizer::builder().build().unwrap();
/// let (text, buf) = tok.tokenize("监管打压矿场，币价暴跌。但长期看，这是利好！");
/// let doc = model.score_document(&text, &buf);
/// assert_eq!(doc.sentences.len(), 2);
/// assert_eq!(doc.sentences[0].label, Label::Neg);
/// assert_eq!(doc.sentences[1].label, Label::Pos);
/// let json = serde_json::to_string(&doc.explain(&text)).unwrap();
/// assert!(json.contains("\"term\":\"利好\""));
/// ```
#[derive(Debug, Clone)]
pub struct SentimentModel {
    zh: LangResources,
    en: LangResources,
    /// One-lookup index over the word lists of zh and en (see `engine::TermIndex`).
    idx: [engine::TermIndex; 2],
    /// First and last bytes of the English emoticons (see `engine::EmoFilter`).
    emo_filter: engine::EmoFilter,
}

impl SentimentModel {
    /// A builder with the shipped lexicons.
    pub fn builder() -> SentimentModelBuilder {
        SentimentModelBuilder {
            shipped: true,
            en_afinn: true,
            zh_afinn: false,
            sources: Vec::new(),
            zh_params: LangParams::chinese(),
            en_params: LangParams::english(),
        }
    }

    /// The resources of a language (`zh` or `en`).
    pub fn resources(&self, lang: Lang) -> Option<&LangResources> {
        match lang {
            Lang::Zh => Some(&self.zh),
            Lang::En => Some(&self.en),
            _ => None,
        }
    }

    /// Normalizes and tokenizes `raw`, then scores it. Spans in the result refer to
    /// the normalized text (`crate::lang::normalize(raw)`).
    pub fn score_text(&self, tokenizer: &Tokenizer, raw: &str) -> DocSentiment {
        let (text, buf) = tokenizer.tokenize(raw);
        self.score_document(&text, &buf)
    }

    /// [`SentimentModel::score_text`] with its [`Explanation`].
    pub fn explain_text(&self, tokenizer: &Tokenizer, raw: &str) -> Explanation {
        let (text, buf) = tokenizer.tokenize(raw);
        self.score_document(&text, &buf).explain(&text)
    }
}

#[cfg(test)]
mod tests;
