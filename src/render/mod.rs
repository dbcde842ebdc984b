//! Views of a finished [`Report`](crate::report::Report): a compact terminal
//! [`summary`] and a self-contained [`html`] page. Both read only the report, so a
//! saved `report.json` renders the same as a fresh one.
//!
//! ```
//! use duibi::report::Report;
//!
//! // The smallest report: one group, no comparison.
//! let json = r#"{
//!   "schema_version": "1.0.0",
//!   "tool": {"name": "duibi", "version": "0"},
//!   "settings": {"segmenter": "jieba", "hmm": false, "keep_stopwords": false, "top": 10,
//!     "languages": ["zh", "en"], "user_dicts": [], "normalization": "NFKC",
//!     "traditional_chinese": "mapped", "rate_denominator": "tokens", "lexicons": [],
//!     "glossaries": [], "concepts": 0, "evidence": 0},
//!   "corpus": {"root": "-", "files_discovered": 0, "files_analyzed": 0, "files_skipped": 0,
//!     "metadata_files": [], "documents": 0, "tokens": 0, "groups": [], "languages": []},
//!   "terms": [], "documents": [], "concepts": [], "doc_concepts": [], "sentiment": [],
//!   "coverage": [], "time": [], "concept_time": [], "comparison": null, "evidence": [],
//!   "checks": {"segmenter": "jieba", "warnings": []}, "skipped": [], "warnings": []
//! }"#;
//! let report: Report = serde_json::from_str(json)?;
//! assert!(duibi::render::summary::summary(&report).contains("one group only"));
//! let page = duibi::render::html::render(&report);
//! assert!(page.starts_with("<!DOCTYPE html>") && !page.contains("<script"));
//! # Ok::<(), serde_json::Error>(())
//! ```

pub mod html;
pub mod summary;
