//! The report: one JSON document with tidy arrays of records, its schema and its
//! atomic writer.
//!
//! Every table is an array of flat records, so a notebook loads it with
//! `pandas.DataFrame(report["terms"])`. Floats are rounded to a fixed number of decimals
//! ([`round()`], [`round_sig`]) and every array is sorted by a total order: the same input
//! and settings give the same bytes whatever the thread count.
//!
//! ```
//! use duibi::lang::Lang;
//! use duibi::report::{round, EvidenceKind, EvidenceRecord};
//!
//! let e = EvidenceRecord {
//!     kind: EvidenceKind::Term,
//!     key: "crackdown".into(),
//!     lang: Lang::En,
//!     group: "overseas".into(),
//!     doc_id: "overseas/a.md".into(),
//!     sentence: "The crackdown pushed miners abroad.".into(),
//!     match_start: 4,
//!     match_end: 13,
//!     sentence_sentiment: round(-0.12345, 4),
//! };
//! let row = serde_json::to_value(&e)?;
//! assert_eq!(row["kind"], "term");
//! assert_eq!(row["sentence_sentiment"], -0.1235);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! The record types are grouped by what they describe: the run and the corpus
//! ([`Settings`], [`CorpusSummary`], [`TermRecord`], [`Checks`]), documents
//! ([`DocRecord`], [`DocConceptRecord`], [`EvidenceRecord`]), groups
//! ([`ConceptGroupRecord`], [`SentimentGroupRecord`], [`CoverageRecord`], [`TimeRecord`],
//! [`ConceptTimeRecord`]) and the [`Comparison`] of two groups. [`crate::compare`]
//! fills the group tables and the comparison; this module depends on no later stage.

mod claims;
mod comparison;
mod corpus;
mod documents;
mod groups;
mod nan;
mod output;
mod round;
mod schema;
mod set_aside;
mod tables;

pub use claims::{interval_informative, language_mix_distance, Verdict};
pub use comparison::{
    CompareOptions, Comparison, ConceptCompareRecord, KeynessRecord, ResamplingUnit,
    SentimentDiffRecord, SentimentMeasure,
};
pub use corpus::{
    Checks, CorpusSummary, GroupSummary, LangSummary, Settings, TermRecord, ToolInfo,
};
pub use documents::{DocConceptRecord, DocRecord, EvidenceKind, EvidenceRecord};
pub use groups::{
    ConceptGroupRecord, ConceptTimeRecord, CoverageRecord, SentimentGroupRecord,
    SentimentLangRecord, TimeRecord,
};
pub use output::Output;
pub use round::{percent, round, round_opt, round_sig};
pub use schema::json_schema;
pub use set_aside::{DuplicateRecord, SetAside, SetAsidePassage, SetAsideSettings, SetAsideTokens};
pub use tables::{Table, TableFile, TableFormat, Tables};

use crate::corpus::{Skipped, Warning};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Version of the report format (semver: a major bump removes or renames a field or
/// changes its meaning; a minor bump adds fields; a patch bump fixes values only).
pub const SCHEMA_VERSION: &str = "2.2.0";

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// Report format version (see [`SCHEMA_VERSION`]).
    pub schema_version: String,
    /// Tool name and version.
    pub tool: ToolInfo,
    /// Settings used.
    pub settings: Settings,
    /// Corpus summary.
    pub corpus: CorpusSummary,
    /// Top terms per group and language, as one tidy table.
    pub terms: Vec<TermRecord>,
    /// One record per document, sorted by id.
    pub documents: Vec<DocRecord>,
    /// Concepts used by each group (one record per concept × group).
    pub concepts: Vec<ConceptGroupRecord>,
    /// Concept mentions per document.
    pub doc_concepts: Vec<DocConceptRecord>,
    /// Sentiment per group.
    pub sentiment: Vec<SentimentGroupRecord>,
    /// Lexicon coverage per group and language.
    pub coverage: Vec<CoverageRecord>,
    /// Sentiment per group and main language of the documents.
    #[serde(default)]
    pub sentiment_by_lang: Vec<SentimentLangRecord>,
    /// Documents, tokens and sentiment per period and group (dated documents only).
    pub time: Vec<TimeRecord>,
    /// Mentions of the most frequent concepts per period and group.
    pub concept_time: Vec<ConceptTimeRecord>,
    /// Comparison of two groups (absent with fewer than two groups).
    pub comparison: Option<Comparison>,
    /// Keyword-in-context examples for top distinctive terms and concepts.
    pub evidence: Vec<EvidenceRecord>,
    /// Comparability checks.
    pub checks: Checks,
    /// Files not analysed, with reasons.
    pub skipped: Vec<Skipped>,
    /// Non-fatal problems (malformed lines, unparsable dates …).
    pub warnings: Vec<Warning>,
    /// Repeated passages and near-duplicate documents set aside before counting
    /// (since 2.1.0).
    #[serde(default)]
    pub set_aside: SetAside,
    /// The per-document tables written as side files, when they were (since 2.1.0):
    /// `documents` and `doc_concepts` are then empty. Absent in an all-in-one report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<Tables>,
}

impl Report {
    /// The report as pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut v = Vec::new();
        // Writing plain data to a Vec cannot fail (no maps with non-string keys: Lang
        // keys serialize as strings).
        let _ = self.write_json(&mut v);
        v
    }

    /// Streams [`Report::to_json`] to `w` (buffer it), without building the whole
    /// text in memory first.
    pub fn write_json(&self, mut w: impl Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut w, self)?;
        w.write_all(b"\n")
    }
}
