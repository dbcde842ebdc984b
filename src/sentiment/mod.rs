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
//!   如果, 本以为, 但愿) in the same clause is weighted ×0.5
//!   ([`LangParams::irrealis_weight`]; SO-CAL's irrealis blocking, Taboada et al. 2011,
//!   uses 0).
//! * **Rhetorical questions**: in a sentence ending as a question (`?`, 吗, 呢), sentiment
//!   after 难道/岂 is reversed (难道不好吗 = it is good).
//! * **News senses** (`data/lexicons/news-senses.tsv`, both languages alike): words
//!   whose common sense in news is a function or a description (`number`, `shared`,
//!   专业, 舰艇) carry no valence and are not re-scored by the fallbacks; topic and
//!   event nouns (`emergency`, `poverty`, 疫情, 隔离) count ×[`crate::config::TOPIC_WEIGHT`]
//!   (off with [`SentimentModelBuilder::news_senses`]).
//! * **Weak single hit**: a sentence whose only hit contributes less than
//!   [`crate::config::WEAK_HIT`] counts it ×[`crate::config::WEAK_HIT_WEIGHT`] (inside
//!   the neutral band, sign kept), in every language.
//! * **Negative weighting**: negative contributions are multiplied by 1.2
//!   ([`LangParams::negative_weight`]; SO-CAL uses 1.5).
//! * **Emphasis**: each `!` (NFKC turns `！` into `!`; up to 4) adds 0.292 to the
//!   sentence's magnitude; English also has VADER's `??` rule and ALL-CAPS words (+0.733
//!   when the text mixes case).
//! * **One scale**: a sentence's raw sum is mapped onto the English scale by its
//!   language's factor for its sign ([`ScaleMap`], fitted on parallel text; off with
//!   [`SentimentModelBuilder::scale_map`]`(ScaleMap::identity())`).
//! * A sentence's raw sum `x` is normalized as `x / sqrt(x² + 15)`.
//!
//! The **document score** ([`DocSentiment::score`]) is the same normalization applied to
//! the summed raw sums of the sentences with at least one lexicon hit when there are at
//! most [`crate::config::DOC_SCORE_SENTENCES`] (2) of them, and to their mean raw sum
//! times 2 beyond that: it does not grow with the length of a text (VADER's compound of the whole text, the normalization of
//! the summed raw sums, saturates towards ±1 on long articles), and its sign is the
//! sign of that sum, so a short text's label is VADER's. [`DocSentiment::sentence_mean`]
//! is the mean of the sentences' normalized scores.
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

pub mod agg;
pub mod crosslingual;
mod emoticon;
mod engine;
pub mod eval;
pub mod explain;
mod index;
pub mod label;
pub mod lexicon;
pub mod model;
mod morphology;
pub mod result;
mod rules;
pub mod scale;
mod units;

pub use agg::{AggSummary, SentimentAgg, HIST_BINS};
pub(crate) use engine::SentenceScratch;
pub use explain::{Explanation, SentenceExplanation, TermExplanation};
pub(crate) use index::{Scan, TermRef, TokenRefs};
pub use label::{Label, ParseLabelError};
pub use lexicon::{decode_any, read_any_encoding, LangParams, LangResources};
pub use model::{SentimentModel, SentimentModelBuilder};
pub use result::{DocSentiment, LangCoverage, SentenceSentiment, TermHit};
pub use scale::ScaleMap;

use serde::{Deserialize, Serialize};

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
    /// The file's entries are added; where a term exists, the file's score wins; a
    /// score of 0 removes the term (a neutral word is no lexicon hit).
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

#[cfg(test)]
mod consistency_tests;
#[cfg(test)]
mod coverage_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod news_tests;
#[cfg(test)]
mod scope_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod xling_tests;
#[cfg(test)]
mod zh_sense_tests;
