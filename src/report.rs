//! The report: one JSON document with tidy arrays of records, and its atomic writer.
//!
//! Every table is an array of flat records, so a notebook loads it with
//! `pandas.DataFrame(report["terms"])`. Floats are rounded to a fixed number of decimals
//! and every array is sorted by a total order: the same input and settings give the same
//! bytes whatever the thread count.

use crate::corpus::{DocMeta, Skipped, Warning};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Version of the report format (semver: a major bump removes or renames a field or
/// changes its meaning; a minor bump adds fields; a patch bump fixes values only).
pub const SCHEMA_VERSION: &str = "0.1.0";

/// Name and version of the tool that wrote a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Segmenter used for Chinese.
    pub segmenter: String,
    /// Whether jieba's HMM was on.
    pub hmm: bool,
    /// Whether stopwords were kept in term tables.
    pub keep_stopwords: bool,
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
}

/// Size of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// Size of one language within one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LangSummary {
    /// Group label.
    pub group: String,
    /// Language.
    pub lang: Lang,
    /// Word tokens in this language.
    pub tokens: u64,
    /// Share of the group's tokens.
    pub token_share: f64,
    /// Documents whose main language this is.
    pub documents: u64,
    /// Distinct terms counted.
    pub vocabulary: u64,
    /// Mean characters per token (a segmentation comparability check).
    pub chars_per_token: f64,
}

/// Corpus summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub per_10k: f64,
    /// Documents containing the term.
    pub doc_freq: u64,
}

/// One analysed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Files not analysed, with reasons.
    pub skipped: Vec<Skipped>,
    /// Non-fatal problems (malformed lines, unparsable dates …).
    pub warnings: Vec<Warning>,
}

impl Report {
    /// The report as pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing plain data to a Vec cannot fail (no maps with non-string keys:
        // Lang keys serialize as strings).
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

/// Rounds to `d` decimals (for stable, readable floats).
pub fn round(x: f64, d: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let p = 10f64.powi(d);
    (x * p).round() / p
}

/// An output destination opened before the work starts, so an unwritable path fails
/// early; the content goes to a temporary file in the same directory and is renamed
/// into place on [`Output::commit`], so an interrupted run never leaves a half-written
/// report at the path.
pub enum Output {
    /// Standard output.
    Stdout,
    /// A file, written atomically.
    File {
        /// Final path.
        path: std::path::PathBuf,
        /// Temporary file beside it.
        tmp: tempfile::NamedTempFile,
    },
}

impl Output {
    /// Opens `path` (`-` for standard output).
    pub fn open(path: &Path) -> std::io::Result<Output> {
        if path.as_os_str() == "-" {
            return Ok(Output::Stdout);
        }
        if path.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "is a directory",
            ));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".duibi-")
            .suffix(".tmp")
            .tempfile_in(&dir)?;
        Ok(Output::File {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// Writes `bytes` and moves the file into place.
    pub fn commit(self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Output::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes)?;
                out.flush()
            }
            Output::File { path, mut tmp } => {
                tmp.write_all(bytes)?;
                tmp.flush()?;
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}
