//! What the report says about the run: tool, settings, corpus size per group and
//! language, frequent terms, and the comparability checks.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Name and version of the tool that wrote a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ToolInfo {
    /// `duibi`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The settings a report was made with (everything that changes its numbers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Settings {
    /// Segmenter used for Chinese.
    pub segmenter: String,
    /// Whether jieba's HMM was on.
    pub hmm: bool,
    /// Whether stopwords were kept in term tables.
    pub keep_stopwords: bool,
    /// Whether special tokens (URLs, e-mail addresses, handles, hashtags, hashes,
    /// numbers, dates) were kept in term tables and keyness (absent before 2.1.0).
    #[serde(default)]
    pub keep_special_tokens: bool,
    /// Terms per group and language in `terms`.
    pub top: usize,
    /// Languages runs could be assigned.
    pub languages: Vec<Lang>,
    /// File names of user dictionaries added to jieba.
    pub user_dicts: Vec<String>,
    /// Normalization applied before everything else.
    pub normalization: String,
    /// How Traditional Chinese is handled.
    pub traditional_chinese: String,
    /// What `per_10k` is relative to.
    pub rate_denominator: String,
    /// Sentiment lexicons.
    pub lexicons: Vec<String>,
    /// Concept glossaries.
    pub glossaries: Vec<String>,
    /// Concepts in the glossary.
    pub concepts: u64,
    /// Keyword-in-context examples per term or concept.
    pub evidence: u64,
    /// What is set aside before counting, and the thresholds (since 2.1.0).
    #[serde(default)]
    pub set_aside: super::SetAsideSettings,
    /// The map that puts Chinese and English sentence scores on one scale (`none` when
    /// off), see `sentiment::ScaleMap`.
    #[serde(default = "no_scale")]
    pub sentiment_scale: String,
}

fn no_scale() -> String {
    "none".into()
}

/// Size of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GroupSummary {
    /// Group label.
    pub group: String,
    /// Documents.
    pub documents: u64,
    /// Word tokens (all languages, stopwords included).
    pub tokens: u64,
    /// Bytes of the documents in their files.
    pub bytes: u64,
    /// Characters of normalized text.
    pub chars: u64,
    /// Special tokens by kind: `urls`, `emails`, `handles`, `hashtags`, `hashes`
    /// (not counted in `tokens` unless special tokens are kept), `numbers`, `dates`
    /// (absent before 2.1.0).
    #[serde(flatten, default)]
    pub special: crate::tokenize::KindCounts,
}

/// Size of one language within one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LangSummary {
    /// Group label.
    pub group: String,
    /// Language.
    pub lang: Lang,
    /// Word tokens in this language.
    pub tokens: u64,
    /// Share of the group's tokens.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub token_share: f64,
    /// Documents whose main language this is.
    pub documents: u64,
    /// Distinct terms counted.
    pub vocabulary: u64,
    /// Mean characters per token (a segmentation comparability check).
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub chars_per_token: f64,
}

/// Corpus summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CorpusSummary {
    /// Corpus root as given on the command line (or `-` for standard input).
    pub root: String,
    /// Files found (documents, skipped files and manifests).
    pub files_discovered: u64,
    /// Files that yielded at least one document.
    pub files_analyzed: u64,
    /// Files skipped (see `skipped`).
    pub files_skipped: u64,
    /// Manifest files read as metadata.
    pub metadata_files: Vec<String>,
    /// Documents analysed.
    pub documents: u64,
    /// Word tokens.
    pub tokens: u64,
    /// Per group.
    pub groups: Vec<GroupSummary>,
    /// Per group and language.
    pub languages: Vec<LangSummary>,
}

/// One row of a term table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TermRecord {
    /// Group label.
    pub group: String,
    /// Language of the term.
    pub lang: Lang,
    /// Rank within group and language (1 = most frequent).
    pub rank: u32,
    /// The term (Chinese in Simplified form, Latin lowercased).
    pub term: String,
    /// Occurrences.
    pub count: u64,
    /// Occurrences per 10,000 tokens of the same language in the group.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub per_10k: f64,
    /// Documents containing the term.
    pub doc_freq: u64,
}

/// Segmentation and lexicon settings that bear on comparability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Checks {
    /// Segmenter and settings.
    pub segmenter: String,
    /// Warnings: small groups, low lexicon coverage, different language mixes.
    pub warnings: Vec<String>,
}
