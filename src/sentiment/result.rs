//! What scoring gives: per-term hits, per-sentence and per-document sentiment, and
//! lexicon coverage per language.
//!
//! ```
//! use duibi::sentiment::SentimentModel;
//! use duibi::tokenize::Tokenizer;
//! let d = SentimentModel::builder().build().unwrap().score_text(&Tokenizer::builder().build().unwrap(), "Great news. 很糟糕。");
//! assert_eq!((d.positive, d.negative, d.sentences.len()), (1, 1, 2));
//! assert!(d.token_coverage() > 0.0 && d.sentence_coverage() == 1.0);
//! ```

use super::Label;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

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

    pub(super) fn add(&mut self, o: &LangCoverage) {
        self.tokens += o.tokens;
        self.hit_tokens += o.hit_tokens;
        self.sentences += o.sentences;
        self.hit_sentences += o.hit_sentences;
    }
}

pub(super) fn ratio(a: u64, b: u64) -> f64 {
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
    /// Document score in −1..1: `m / sqrt(m² + 15)` with `m = d × min(1, 2 / n)`, where
    /// `d` sums the raw sums of the `n` distinct sentences (each text counted once) with
    /// at least one lexicon match (0 when none; 2 is
    /// [`crate::config::DOC_SCORE_SENTENCES`]): the summed compound of a short text, no
    /// growth beyond two matching sentences, and a text repeated any number of times
    /// scores as the text once. Without repeated sentences its sign is that of `raw`.
    pub score: f32,
    /// The sum of the sentences' raw sums (VADER's compound score of the whole text is
    /// its normalization).
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
}
