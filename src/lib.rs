//! duibi (对比): measure how two bodies of commentary on the same story differ —
//! domestic vs overseas, across Chinese and English.
//!
//! Data flows one way, one module per stage:
//!
//! | stage | module |
//! |---|---|
//! | files, groups, metadata, decoding, text extraction | [`corpus`] |
//! | normalization, script runs, language per run, sentences | [`text`] |
//! | tokens (jieba-rs for Chinese, UAX #29 otherwise), stopwords | [`tokenize`] |
//! | bilingual concept glossary and matching | [`concepts`] |
//! | per-document analysis and orchestration | [`pipeline`] |
//! | mergeable group aggregates | [`aggregate`] |
//! | keyness and uncertainty statistics | [`stats`] |
//! | the JSON report | [`report`] |
//!
//! ```
//! let p = duibi::pipeline::Pipeline::builder().build().unwrap();
//! let rec = p.analyze_text("海外媒体欢迎算力外流，the hash rate exodus is bullish.");
//! assert!(rec.tokens > 5);
//! ```
#![warn(missing_docs)]

pub mod aggregate;
pub mod compare;
pub mod concepts;
pub mod corpus;
mod docstore;
pub mod html;
pub mod partial;
pub mod pipeline;
pub mod report;
pub mod sentiment;
pub mod stats;
pub mod summary;
pub mod text;
pub mod tokenize;
mod vocab;

/// Old paths (`duibi::lang`, `duibi::sentence`), kept for one release: now in [`text`].
#[doc(hidden)]
pub use text::{lang, sentence};
