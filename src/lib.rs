//! duibi (对比): measure how two bodies of commentary on the same story differ —
//! domestic vs overseas, across Chinese and English.
//!
//! Data flows one way, one module per stage:
//!
//! | stage | module |
//! |---|---|
//! | files, groups, metadata, decoding, text extraction | [`corpus`] |
//! | repeated passages and near-duplicate documents, set aside | [`dedupe`] |
//! | normalization, script runs, language per run, sentences | [`text`] |
//! | tokens (jieba-rs for Chinese, UAX #29 otherwise), stopwords | [`tokenize`] |
//! | bilingual concept glossary and matching | [`concepts`] |
//! | per-document analysis | [`analysis`] |
//! | the run: sources, thread pool, evidence, report writing | [`run`] |
//! | mergeable group aggregates, partials | [`aggregate`] |
//! | keyness and uncertainty statistics | [`stats`] |
//! | comparison of two groups | [`compare`] |
//! | the JSON report | [`report`] |
//! | terminal summary and HTML page | [`render`] |
//!
//! ```
//! let p = duibi::run::Pipeline::builder().build().unwrap();
//! let rec = p.analyze_text("海外媒体欢迎算力外流，the hash rate exodus is bullish.");
//! assert!(rec.tokens > 5);
//! ```
#![warn(missing_docs)]

pub mod aggregate;
pub mod analysis;
pub mod compare;
pub mod concepts;
pub mod config;
pub mod corpus;
pub mod dedupe;
mod docstats;
pub(crate) mod extsort;
pub(crate) mod hint;
/// Old path of [`aggregate::partial`], kept for one release.
pub use aggregate::partial;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod run;
pub mod sentiment;
pub mod stats;
pub mod text;
pub mod tokenize;

/// Old paths of the views (now in [`render`]), kept for one release.
#[doc(hidden)]
pub use render::{html, summary};
/// Old paths (`duibi::lang`, `duibi::sentence`), kept for one release: now in [`text`].
#[doc(hidden)]
pub use text::{lang, sentence};
