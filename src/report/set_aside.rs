//! What a run set aside before counting: repeated passages (boilerplate), the tokens
//! they held per group, and near-duplicate documents with the document each
//! duplicates.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything set aside (all arrays empty when nothing was, or when the switches keep
/// it: see [`Settings::set_aside`](super::Settings)).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SetAside {
    /// Passages set aside as boilerplate, most widespread first.
    pub passages: Vec<SetAsidePassage>,
    /// Tokens of set-aside passages removed per group.
    pub tokens: Vec<SetAsideTokens>,
    /// Documents set aside as near-duplicates, sorted by id.
    pub duplicates: Vec<DuplicateRecord>,
}

/// A passage (a line) set aside as boilerplate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SetAsidePassage {
    /// Key of the passage (16 hex digits of the hash of its normalized text).
    pub passage: String,
    /// The passage as written (trimmed, at most 300 characters; of its spellings the
    /// first in code-point order); for credit lines set aside by their label
    /// (责任编辑：…, `Source: …`), the label through its separator (`（责任编辑：`);
    /// for the datelines that open news paragraphs (`新华社北京6月3日电（记者 张伟）`,
    /// `BEIJING, June 3 (Reuters) -`), which all share one key, one of the datelines.
    pub text: String,
    /// Analysed documents that contained it.
    pub documents: u64,
    /// Analysed documents that contained it, per group.
    pub documents_by_group: BTreeMap<String, u64>,
}

/// Tokens removed from one group with its set-aside passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SetAsideTokens {
    /// Group.
    pub group: String,
    /// Documents of the group that had a passage set aside.
    pub documents: u64,
    /// Word tokens of the set-aside passages (not counted in `corpus`, terms,
    /// concepts or sentiment).
    pub tokens: u64,
}

/// A document set aside as a near-duplicate (reprint, syndicated copy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DuplicateRecord {
    /// Id of the document set aside.
    pub doc_id: String,
    /// Its group.
    pub group: String,
    /// Id of the analysed document it duplicates (the earliest dated, then the
    /// smallest id, of the copies).
    pub duplicate_of: String,
    /// Estimated Jaccard similarity of the two documents' character shingles.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub similarity: f64,
}

/// What a run sets aside and the thresholds it used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SetAsideSettings {
    /// Whether repeated passages were set aside (off with `keep_boilerplate`).
    pub passages: bool,
    /// Whether near-duplicate documents were set aside (off with `keep_duplicates`).
    pub duplicates: bool,
    /// A passage is set aside when it is in at least this many documents of one source
    /// (or of one group's documents without a source) …
    pub passage_min_documents: u64,
    /// … and in at least this share of them.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub passage_min_share: f64,
    /// Documents at least this similar to an earlier one are its duplicates.
    #[serde(deserialize_with = "super::nan::f64_or_nan")]
    pub duplicate_similarity: f64,
}
