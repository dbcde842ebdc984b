//! Per-group tables: concept use, sentiment, lexicon coverage and the time series, one
//! record per group (× concept, language or period).

use super::ResamplingUnit;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// A concept's use in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConceptGroupRecord {
    /// Concept id.
    pub concept: String,
    /// English label.
    pub label_en: String,
    /// Chinese label.
    pub label_zh: String,
    /// Category.
    pub category: String,
    /// Group.
    pub group: String,
    /// Mentions (all languages).
    pub mentions: u64,
    /// Mentions in Chinese text.
    pub mentions_zh: u64,
    /// Mentions in English text.
    pub mentions_en: u64,
    /// Mentions per 10k tokens (all languages).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k: f64,
    /// 95% bootstrap interval of `per_10k`, lower bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k_lo: f64,
    /// Upper bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k_hi: f64,
    /// Chinese mentions per 10k Chinese tokens (null without Chinese text).
    pub per_10k_zh: Option<f64>,
    /// English mentions per 10k English tokens.
    pub per_10k_en: Option<f64>,
    /// Documents mentioning the concept.
    pub documents: u64,
    /// Share of the group's documents mentioning it.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_share: f64,
    /// Sentences mentioning it.
    pub sentences: u64,
    /// Mean sentiment of those sentences.
    pub sentiment: Option<f64>,
    /// 95% bootstrap interval, lower bound.
    pub sentiment_lo: Option<f64>,
    /// Upper bound.
    pub sentiment_hi: Option<f64>,
    /// Resampling units of the group (the support of the rate's interval; 0 in
    /// reports before 2.1.0).
    #[serde(default)]
    pub units: u64,
    /// Units with sentences mentioning the concept (the support of the sentiment's
    /// interval).
    #[serde(default)]
    pub sentence_units: u64,
}

/// Sentiment of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SentimentGroupRecord {
    /// Group.
    pub group: String,
    /// Documents.
    pub documents: u64,
    /// Resampling units (documents or sources).
    pub units: u64,
    /// What the intervals resample: sources, or documents when the group names fewer
    /// than [`MIN_RESAMPLING_UNITS`](crate::config::MIN_RESAMPLING_UNITS) sources
    /// (absent in reports before 2.1.0).
    #[serde(default)]
    pub resampling_unit: Option<ResamplingUnit>,
    /// Mean score of sentences with a lexicon match (−1..1).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_mean: f64,
    /// 95% interval, lower bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_mean_lo: f64,
    /// Upper bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_mean_hi: f64,
    /// Mean document score.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_mean: f64,
    /// 95% interval, lower bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_mean_lo: f64,
    /// Upper bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_mean_hi: f64,
    /// Median document score.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_median: f64,
    /// Share of documents labelled positive.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub share_positive_docs: f64,
    /// Share labelled negative.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub share_negative_docs: f64,
    /// Share of sentences labelled positive.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub share_positive_sentences: f64,
    /// Share labelled negative.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub share_negative_sentences: f64,
    /// Share of word tokens inside a lexicon match.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub token_coverage: f64,
    /// Share of sentences with a lexicon match.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_coverage: f64,
    /// Document score histogram: counts in 10 bins of width 0.2 over −1..1.
    pub doc_score_hist: Vec<u64>,
}

/// Sentiment of the documents of one group written mainly in one language: the
/// like-with-like rows the language warning points to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SentimentLangRecord {
    /// Group.
    pub group: String,
    /// Language (the documents' main language).
    pub lang: Lang,
    /// Documents.
    pub documents: u64,
    /// Resampling units of these documents.
    pub units: u64,
    /// What the intervals resample.
    pub resampling_unit: ResamplingUnit,
    /// Sentences with a lexicon match (the support of `sentence_mean`).
    pub sentences: u64,
    /// Mean score of those sentences (−1..1).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_mean: f64,
    /// 95% interval, lower bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_mean_lo: f64,
    /// Upper bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_mean_hi: f64,
    /// Mean document score.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_mean: f64,
    /// 95% interval, lower bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_mean_lo: f64,
    /// Upper bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_mean_hi: f64,
    /// Share of the group's word tokens in the language inside a lexicon match (all
    /// documents, by token language).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub token_coverage: f64,
    /// Share of the group's sentences in the language with a lexicon match.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_coverage: f64,
}

/// Lexicon coverage of one language in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CoverageRecord {
    /// Group.
    pub group: String,
    /// Language.
    pub lang: Lang,
    /// Word tokens.
    pub tokens: u64,
    /// Tokens inside a lexicon match.
    pub hit_tokens: u64,
    /// Share.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub token_coverage: f64,
    /// Sentences.
    pub sentences: u64,
    /// Sentences with a match.
    pub hit_sentences: u64,
    /// Share.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_coverage: f64,
}

/// One period of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimeRecord {
    /// `YYYY-MM` or `YYYY-Www`.
    pub period: String,
    /// Group.
    pub group: String,
    /// Documents dated in the period.
    pub documents: u64,
    /// Tokens.
    pub tokens: u64,
    /// Mean score of sentences with a lexicon match.
    pub sentence_mean: Option<f64>,
    /// Mean document score.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub doc_mean: f64,
}

/// One concept in one period of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConceptTimeRecord {
    /// Period.
    pub period: String,
    /// Group.
    pub group: String,
    /// Concept id.
    pub concept: String,
    /// Mentions.
    pub mentions: u64,
    /// Per 10k tokens of the period's documents.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k: f64,
}
