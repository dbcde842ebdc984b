//! The comparison of two groups: its options, distinctive terms, concepts compared and
//! sentiment differences.

use crate::corpus::date::Period;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Options of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompareOptions {
    /// The two groups (A, B); `None` picks the two largest by documents.
    pub pair: Option<(String, String)>,
    /// Minimum documents (both groups together) for a term to be tested.
    pub min_doc_freq: u64,
    /// Significance level after Benjamini–Hochberg adjustment.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub alpha: f64,
    /// Distinctive terms kept per language and direction.
    pub top: usize,
    /// Bootstrap and permutation replicates.
    pub reps: usize,
    /// A permutation test stops after this many permutations at least as extreme as
    /// the observed difference, with p = this / permutations drawn (Besag–Clifford);
    /// 0: every test draws all `reps` (reports before schema 2.2 did).
    #[serde(default)]
    pub permutation_stop: usize,
    /// Seed of all resampling.
    pub seed: u64,
    /// Confidence level of intervals.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub level: f64,
    /// Time series granularity.
    pub period: Period,
    /// Concepts followed in the time series (most mentioned).
    pub time_concepts: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        use crate::config;
        CompareOptions {
            pair: None,
            min_doc_freq: config::MIN_DOC_FREQ,
            alpha: config::ALPHA,
            top: config::KEYNESS_TOP,
            reps: config::BOOTSTRAP_REPS,
            permutation_stop: config::PERMUTATION_STOP,
            seed: config::SEED,
            level: config::LEVEL,
            period: config::PERIOD,
            time_concepts: config::TIME_CONCEPTS,
        }
    }
}

/// A distinctive term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KeynessRecord {
    /// Language.
    pub lang: Lang,
    /// Term.
    pub term: String,
    /// The group it is more frequent in.
    pub favours: String,
    /// Rank within language and direction (1 = largest effect).
    pub rank: u32,
    /// Count in A.
    pub count_a: u64,
    /// Count in B.
    pub count_b: u64,
    /// Per 10k tokens (same language) in A.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k_a: f64,
    /// Per 10k tokens in B.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k_b: f64,
    /// Documents in A.
    pub doc_freq_a: u64,
    /// Documents in B.
    pub doc_freq_b: u64,
    /// Log-likelihood G² (token-level: every token an independent draw; kept for
    /// comparison with other tools, it does not decide significance).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub g2: f64,
    /// p-value of G² (χ², 1 df), token-level.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub g2_p: f64,
    /// t statistic of the document-level test of the rate ratio (cluster-robust
    /// variance over documents, Welch–Satterthwaite degrees of freedom).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub t: f64,
    /// Two-sided p-value of the document-level test.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub p: f64,
    /// Benjamini–Hochberg adjusted `p` (over all terms tested in the language); the
    /// term is listed because this is below the comparison's `alpha`.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub p_adj: f64,
    /// Log Ratio (binary log of the ratio of relative frequencies, A over B).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub log_ratio: f64,
    /// Conservative Log Ratio: the bound of the document-level `1 − alpha` interval
    /// of the Log Ratio nearer 0.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub lrc: f64,
    /// Monroe et al. weighted log-odds z-score (A over B).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub log_odds_z: f64,
}

/// A concept compared between the two groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConceptCompareRecord {
    /// Concept id.
    pub concept: String,
    /// English label.
    pub label_en: String,
    /// Chinese label.
    pub label_zh: String,
    /// Mentions in A.
    pub mentions_a: u64,
    /// Mentions in B.
    pub mentions_b: u64,
    /// Per 10k tokens in A.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k_a: f64,
    /// Per 10k tokens in B.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k_b: f64,
    /// Log-likelihood G² of the rates (token-level, for reference; it does not decide).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub g2: f64,
    /// p-value of G², token-level.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub g2_p: f64,
    /// t statistic of the unit-level test of the rate ratio (cluster-robust variance
    /// over the resampling units, Welch–Satterthwaite degrees of freedom).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub t: f64,
    /// Two-sided p-value of the unit-level test.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub p: f64,
    /// Benjamini–Hochberg adjusted `p` over the concepts compared.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub p_adj: f64,
    /// Log Ratio of the rates (A over B).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub log_ratio: f64,
    /// Conservative Log Ratio: the bound of the unit-level `1 − alpha` interval
    /// nearer 0.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub lrc: f64,
    /// Rate difference A − B per 10k, bootstrap interval lower bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub rate_diff_lo: f64,
    /// Upper bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub rate_diff_hi: f64,
    /// Sentiment difference A − B of sentences mentioning the concept.
    pub sentiment_diff: Option<f64>,
    /// Interval lower bound.
    pub sentiment_diff_lo: Option<f64>,
    /// Upper bound.
    pub sentiment_diff_hi: Option<f64>,
    /// Permutation p-value of the sentiment difference.
    pub sentiment_p: Option<f64>,
    /// `sentiment_p` Benjamini–Hochberg adjusted over the concepts whose tone was
    /// compared.
    pub sentiment_p_adj: Option<f64>,
    /// Sentences mentioning the concept in A (the support of its tone).
    pub sentences_a: u64,
    /// Sentences mentioning it in B.
    pub sentences_b: u64,
    /// Resampling units (sources or documents) with such sentences in A.
    pub sentence_units_a: u64,
    /// Units with such sentences in B.
    pub sentence_units_b: u64,
    /// Resampling units of A in this comparison (the support of every interval and
    /// test of the row; 0 in reports before 2.1.0).
    #[serde(default)]
    pub units_a: u64,
    /// Resampling units of B in this comparison.
    #[serde(default)]
    pub units_b: u64,
    /// Units of A that mention the concept (the support of its rate).
    #[serde(default)]
    pub mention_units_a: u64,
    /// Units of B that mention it.
    #[serde(default)]
    pub mention_units_b: u64,
}

/// Difference between the groups on one sentiment measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SentimentDiffRecord {
    /// `sentence_mean` or `doc_mean`.
    pub measure: SentimentMeasure,
    /// A's estimate.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub a: f64,
    /// B's estimate.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub b: f64,
    /// A − B.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub diff: f64,
    /// Bootstrap interval, lower bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub diff_lo: f64,
    /// Upper bound.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub diff_hi: f64,
    /// Two-sided permutation p-value.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub p_permutation: f64,
    /// `p_permutation` Benjamini–Hochberg adjusted over its family: the two measures
    /// of the whole text, or every language × measure of the per-language rows
    /// (absent in reports before 2.1.0).
    #[serde(default)]
    pub p_adj: Option<f64>,
    /// The language compared (`null`: all text of the groups; else the documents
    /// whose main language it is).
    #[serde(default)]
    pub lang: Option<Lang>,
    /// What the interval and the permutation resample (both the same units: `source`
    /// when either side is resampled by source).
    #[serde(default)]
    pub resampling_unit: Option<ResamplingUnit>,
    /// Resampling units of A behind the estimate (for `sentence_mean`, units with a
    /// sentence that has a lexicon match; 0 in reports before 2.1.0).
    #[serde(default)]
    pub units_a: u64,
    /// Units of B.
    #[serde(default)]
    pub units_b: u64,
    /// Support of A's estimate: sentences with a lexicon match (`sentence_mean`) or
    /// documents (`doc_mean`).
    #[serde(default)]
    pub support_a: u64,
    /// Support of B's estimate.
    #[serde(default)]
    pub support_b: u64,
}

/// The comparison of groups A and B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Comparison {
    /// Group A.
    pub group_a: String,
    /// Group B.
    pub group_b: String,
    /// `source` or `document`: what bootstrap and permutation resample for the
    /// concepts and the sentiment of the whole text: `source` when either group is
    /// resampled by source (each group by its own unit, see
    /// [`SentimentGroupRecord::resampling_unit`](crate::report::SentimentGroupRecord);
    /// a group naming fewer than
    /// [`MIN_RESAMPLING_UNITS`](crate::config::MIN_RESAMPLING_UNITS) sources is
    /// resampled by documents).
    pub resampling_unit: ResamplingUnit,
    /// Options used.
    pub options: CompareOptions,
    /// Distinctive terms.
    pub keyness: Vec<KeynessRecord>,
    /// Terms tested per language (after the document-frequency filter).
    pub terms_tested: BTreeMap<Lang, u64>,
    /// Terms significant per language (document-level test, BH-adjusted p below
    /// `alpha`): all of them, while `keyness` lists at most `top` a side.
    pub terms_significant: BTreeMap<Lang, u64>,
    /// Concepts compared between A and B.
    pub concepts: Vec<ConceptCompareRecord>,
    /// Sentiment differences.
    pub sentiment: Vec<SentimentDiffRecord>,
    /// Sentiment differences per language, like with like (A's documents in a
    /// language against B's), for every language both groups have documents in.
    #[serde(default)]
    pub sentiment_by_lang: Vec<SentimentDiffRecord>,
}

/// A sentiment measure compared between the groups.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SentimentMeasure {
    /// Mean score of the sentences with a lexicon match.
    SentenceMean,
    /// Mean document score.
    DocMean,
}

impl SentimentMeasure {
    /// Both measures, in report order.
    pub const ALL: [SentimentMeasure; 2] =
        [SentimentMeasure::SentenceMean, SentimentMeasure::DocMean];

    /// The name in the report (`sentence_mean`, `doc_mean`).
    pub fn as_str(self) -> &'static str {
        match self {
            SentimentMeasure::SentenceMean => "sentence_mean",
            SentimentMeasure::DocMean => "doc_mean",
        }
    }
}

impl std::fmt::Display for SentimentMeasure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What bootstrap and permutation resample: whole sources when documents name their
/// source, else documents.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ResamplingUnit {
    /// Sources (outlets): all documents of a source are drawn together.
    Source,
    /// Documents.
    Document,
}

impl ResamplingUnit {
    /// The name in the report (`source`, `document`).
    pub fn as_str(self) -> &'static str {
        match self {
            ResamplingUnit::Source => "source",
            ResamplingUnit::Document => "document",
        }
    }
}

impl std::fmt::Display for ResamplingUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_serialize_as_their_report_names() {
        for m in SentimentMeasure::ALL {
            let json = serde_json::to_string(&m).unwrap_or_default();
            assert_eq!(json, format!("\"{m}\""));
            assert_eq!(
                serde_json::from_str::<SentimentMeasure>(&json).ok(),
                Some(m)
            );
        }
        for u in [ResamplingUnit::Source, ResamplingUnit::Document] {
            let json = serde_json::to_string(&u).unwrap_or_default();
            assert_eq!(json, format!("\"{u}\""));
            assert_eq!(serde_json::from_str::<ResamplingUnit>(&json).ok(), Some(u));
        }
        assert!(serde_json::from_str::<SentimentMeasure>("\"median\"").is_err());
    }
}
