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
pub const SCHEMA_VERSION: &str = "1.0.0";

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
    pub token_share: f64,
    /// Documents whose main language this is.
    pub documents: u64,
    /// Distinct terms counted.
    pub vocabulary: u64,
    /// Mean characters per token (a segmentation comparability check).
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
    pub per_10k: f64,
    /// Documents containing the term.
    pub doc_freq: u64,
}

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
    pub sentiment: f64,
    /// `pos`, `neg` or `neu`.
    pub sentiment_label: String,
    /// Mean score of the sentences with a lexicon match (0 when none).
    pub sentiment_sentence_mean: f64,
    /// Sum of the scores of sentences with a lexicon match.
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
    pub lexicon_token_coverage: f64,
    /// Share of sentences with a lexicon match.
    pub lexicon_sentence_coverage: f64,
    /// Concept mentions (all concepts).
    pub concept_mentions: u64,
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
    pub sentiment_sum: f64,
}

/// A keyword-in-context example backing a distinctive term or a concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EvidenceRecord {
    /// `term` or `concept`.
    pub kind: String,
    /// The term, or the concept id.
    pub key: String,
    /// Language of the match.
    pub lang: Lang,
    /// Group of the document.
    pub group: String,
    /// Document id.
    pub doc_id: String,
    /// The sentence (normalized text).
    pub sentence: String,
    /// Start of the match in the sentence, in characters (Unicode scalar values).
    pub match_start: u64,
    /// End of the match in the sentence, in characters.
    pub match_end: u64,
    /// Sentiment score of the sentence.
    pub sentence_sentiment: f64,
}

/// Segmentation and lexicon settings that bear on comparability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Checks {
    /// Segmenter and settings.
    pub segmenter: String,
    /// Warnings: small groups, low lexicon coverage, different language mixes.
    pub warnings: Vec<String>,
}

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
    pub concepts: Vec<crate::compare::ConceptGroupRecord>,
    /// Concept mentions per document.
    pub doc_concepts: Vec<DocConceptRecord>,
    /// Sentiment per group.
    pub sentiment: Vec<crate::compare::SentimentGroupRecord>,
    /// Lexicon coverage per group and language.
    pub coverage: Vec<crate::compare::CoverageRecord>,
    /// Documents, tokens and sentiment per period and group (dated documents only).
    pub time: Vec<crate::compare::TimeRecord>,
    /// Mentions of the most frequent concepts per period and group.
    pub concept_time: Vec<crate::compare::ConceptTimeRecord>,
    /// Comparison of two groups (absent with fewer than two groups).
    pub comparison: Option<crate::compare::Comparison>,
    /// Keyword-in-context examples for top distinctive terms and concepts.
    pub evidence: Vec<EvidenceRecord>,
    /// Comparability checks.
    pub checks: Checks,
    /// Files not analysed, with reasons.
    pub skipped: Vec<Skipped>,
    /// Non-fatal problems (malformed lines, unparsable dates …).
    pub warnings: Vec<Warning>,
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

/// Rounds to `d` significant digits (for p-values, which can be tiny).
pub fn round_sig(x: f64, d: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let mag = x.abs().log10().floor() as i32;
    let p = 10f64.powi(d - 1 - mag);
    if !p.is_finite() || p == 0.0 {
        return x;
    }
    let r = (x * p).round() / p;
    if r.is_finite() {
        r
    } else {
        x
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
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Temporary files are created 0600; a report is an ordinary file.
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(Output::File {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// Writes the output through `write` (buffered) and moves the file into place;
    /// on error the temporary file is removed and nothing appears at the path.
    pub fn commit_with(
        self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match self {
            Output::Stdout => {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                write(&mut out)?;
                out.flush()
            }
            Output::File { path, mut tmp } => {
                {
                    let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut tmp);
                    write(&mut out)?;
                    out.flush()?;
                }
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }

    /// Writes `bytes` and moves the file into place.
    pub fn commit(self, bytes: &[u8]) -> std::io::Result<()> {
        self.commit_with(|w| w.write_all(bytes))
    }
}

/// The JSON Schema of [`Report`] (draft 2020-12), pretty-printed with a trailing newline.
/// The committed copy is `schema/report.schema.json`; a test fails when they drift.
///
/// ```
/// let s = duibi::report::json_schema();
/// assert!(s.contains("\"schema_version\""));
/// ```
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Report);
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    allow_null_numbers(&mut value);
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Statistics that cannot be computed (an interval with fewer than two units, a rate
/// without tokens) are NaN, which JSON writes as `null`: every number in the schema
/// admits `null`.
fn allow_null_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("type") == Some(&serde_json::Value::String("number".into())) {
                m.insert("type".into(), serde_json::json!(["number", "null"]));
            }
            for x in m.values_mut() {
                allow_null_numbers(x);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(allow_null_numbers),
        _ => {}
    }
}
