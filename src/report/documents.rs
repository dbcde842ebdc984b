//! Per-document records: one [`DocRecord`] per document, one [`DocConceptRecord`] per
//! concept mentioned in a document, and the keyword-in-context [`EvidenceRecord`]s.

use crate::corpus::DocMeta;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One analysed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocRecord {
    /// Metadata (flattened into the record).
    #[serde(flatten)]
    pub meta: DocMeta,
    /// Main language (most tokens).
    pub lang: Lang,
    /// `zh-Hans` or `zh-Hant` when the document has Chinese text.
    pub zh_script: Option<String>,
    /// Share of tokens per language.
    pub lang_shares: BTreeMap<Lang, f64>,
    /// Characters of normalized text.
    pub chars: u64,
    /// Word tokens (stopwords included).
    pub tokens: u64,
    /// Tokens counted in term tables (stopwords excluded unless kept).
    pub content_tokens: u64,
    /// Word tokens per language.
    pub tokens_by_lang: BTreeMap<Lang, u64>,
    /// Sentences.
    pub sentences: u64,
    /// Document sentiment score in −1..1 (compound of the summed sentence scores).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentiment: f64,
    /// `pos`, `neg` or `neu`.
    pub sentiment_label: String,
    /// Mean score of the sentences with a lexicon match (0 when none).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentiment_sentence_mean: f64,
    /// Sum of the scores of sentences with a lexicon match.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentiment_hit_sum: f64,
    /// Sentences with a lexicon match.
    pub hit_sentences: u64,
    /// Positive sentences.
    pub sentences_positive: u64,
    /// Negative sentences.
    pub sentences_negative: u64,
    /// Neutral sentences.
    pub sentences_neutral: u64,
    /// Share of word tokens inside a lexicon match.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub lexicon_token_coverage: f64,
    /// Share of sentences with a lexicon match.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub lexicon_sentence_coverage: f64,
    /// Concept mentions (all concepts).
    pub concept_mentions: u64,
    /// Word tokens of this document's set-aside passages (not counted anywhere else;
    /// since 2.1.0).
    #[serde(default)]
    pub tokens_set_aside: u64,
    /// Ids of the documents set aside as near-duplicates of this one (since 2.1.0).
    #[serde(default)]
    pub duplicates: Vec<String>,
}

/// Mentions of one concept in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocConceptRecord {
    /// Document id.
    pub doc_id: String,
    /// Group of the document.
    pub group: String,
    /// Concept id.
    pub concept: String,
    /// Index of the concept in the glossary used (not stable across glossaries).
    #[serde(skip)]
    pub concept_index: u32,
    /// Mentions.
    pub mentions: u64,
    /// Mentions in Chinese text.
    pub mentions_zh: u64,
    /// Mentions in English text.
    pub mentions_en: u64,
    /// Sentences mentioning the concept.
    pub sentences: u64,
    /// Sum of the sentiment scores of those sentences.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentiment_sum: f64,
}

/// A keyword-in-context example backing a distinctive term or a concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EvidenceRecord {
    /// `term` or `concept`.
    pub kind: EvidenceKind,
    /// The term, or the concept id.
    pub key: String,
    /// Language of the match.
    pub lang: Lang,
    /// Group of the document.
    pub group: String,
    /// Document id.
    pub doc_id: String,
    /// The sentence as written in the document's text (its original characters, not
    /// the normalized form duibi analyses).
    pub sentence: String,
    /// Start of the match in the sentence, in characters (Unicode scalar values): the
    /// unit of every offset duibi prints (`tokenize`, `detect` and `score` too).
    pub match_start: u64,
    /// End of the match in the sentence, in characters.
    pub match_end: u64,
    /// Sentiment score of the sentence.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub sentence_sentiment: f64,
}

/// What an evidence record backs: a distinctive term or a concept.
// Ordered as the names (`concept` before `term`), as evidence was when kinds were strings.
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
pub enum EvidenceKind {
    /// A concept of the glossary (the key is its id).
    Concept,
    /// A distinctive term (the key is the term).
    Term,
}

impl EvidenceKind {
    /// The name in the report (`concept`, `term`).
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Concept => "concept",
            EvidenceKind::Term => "term",
        }
    }
}

impl std::fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_kind_serializes_and_orders_as_its_name() {
        for k in [EvidenceKind::Concept, EvidenceKind::Term] {
            let json = serde_json::to_string(&k).unwrap_or_default();
            assert_eq!(json, format!("\"{k}\""));
            assert_eq!(serde_json::from_str::<EvidenceKind>(&json).ok(), Some(k));
        }
        // Evidence is kept in (kind, key, group) order, as it was with string kinds.
        assert!(EvidenceKind::Concept < EvidenceKind::Term);
        assert!(EvidenceKind::Concept.as_str() < EvidenceKind::Term.as_str());
    }
}
