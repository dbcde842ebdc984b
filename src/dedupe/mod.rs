//! Repeated text and reprints: a first pass over the corpus ([`Scan`]) whose result
//! merges like the other aggregates, and the decisions taken from it ([`Screen`]):
//! which documents are near-duplicates of others, and which passages (footers,
//! signatures, referral and donation lines, copyright and newsletter blurbs,
//! "reprinted from" lines, navigation) are repeated across so many documents of one
//! source or group that they are set aside before terms, concepts and sentiment are
//! counted.
//!
//! ```
//! use duibi::corpus::Document;
//! use duibi::dedupe::{Scan, ScanDoc, Screen, ScreenOptions};
//! let docs: Vec<ScanDoc> = (0..5)
//!     .map(|i| Document::in_memory(format!("d{i}"), "g", format!("Post {i}.\n感谢阅读，欢迎关注。")))
//!     .map(|d| ScanDoc::of(&d))
//!     .collect();
//! let screen = Screen::from_scan(&Scan::of_docs(docs), &ScreenOptions::default()).unwrap();
//! let s = screen.strip("Post 9.\n感谢阅读，欢迎关注。").unwrap();
//! assert_eq!(s.kept, "Post 9.\n");
//! ```
//!
//! | file | holds |
//! |---|---|
//! | [`passage`] | passages (lines), their keys, labels, blanking them |
//! | [`dateline`] | the wire-service opening of a news paragraph |
//! | [`sketch`] | bottom-k MinHash sketches and their similarity |
//! | `scan` | [`Scan`], [`ScanDoc`]: the first pass's data |
//! | `screen` | [`Screen`]: duplicates and boilerplate, decided from a scan |
//! | `decide` | [`ScreenBuilder`]: those decisions with bounded memory |
//! | `pairs` | near-duplicate candidates and the greedy pass, for `decide` |
//! | `crate::extsort` | the external merge sort they use (shared with the document store) |

mod both;
pub mod dateline;
mod decide;
mod fold;
mod pairs;
pub mod passage;
mod scan;
mod screen;
pub mod sketch;

pub use decide::ScreenBuilder;
pub use scan::{Scan, ScanDoc, ScanError, SCAN_VERSION};
pub use screen::{Duplicate, PassageStat, Screen, ScreenOptions, ScreenSummary};

/// Builds the scan's character table now (it is otherwise built on first use, by the
/// first document scanned), so that start-up can build it on a thread that waits
/// for nothing else meanwhile.
pub(crate) fn warm_tables() {
    fold::Classes::get();
}
