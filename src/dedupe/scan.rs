//! The first pass over a corpus: per document, its passage keys and its sketch.
//!
//! A [`Scan`] is plain data. Merging concatenates the documents and sorts them by id,
//! so scans of any partition of a corpus (threads, processes, machines) merge to the
//! same scan in any order; every decision ([`super::Screen`]) is taken after the merge.

use crate::corpus::Document;
use serde::{Deserialize, Serialize};

/// Version of the scan format.
pub const SCAN_VERSION: u32 = 3;

/// What the first pass keeps of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanDoc {
    /// Document id.
    pub id: String,
    /// Group.
    pub group: String,
    /// Source (outlet or author), when the document names one.
    pub source: Option<String>,
    /// Date as `YYYY-MM-DD`, when it parsed.
    pub date: Option<String>,
    /// Sorted, distinct passage keys ([`passage::key`](super::passage::key), or
    /// [`passage::label`](super::passage::label) for a labelled line at the head or
    /// tail); none for a document of one
    /// passage, whose line is its content, not boilerplate around it (identical short
    /// documents are left to the duplicate rule).
    pub passages: Vec<u64>,
    /// Bottom-k sketch ([`sketch::sketch`](super::sketch::sketch)).
    pub sketch: Vec<u32>,
}

impl ScanDoc {
    /// Scans one document.
    ///
    /// ```
    /// use duibi::corpus::Document;
    /// use duibi::dedupe::ScanDoc;
    /// let s = ScanDoc::of(&Document::in_memory("a", "g", "Line one.\nLine two.\n---\n"));
    /// assert_eq!((s.id.as_str(), s.passages.len()), ("a", 2));
    /// // A one-line document is all content.
    /// assert!(ScanDoc::of(&Document::in_memory("b", "g", "Line one.")).passages.is_empty());
    /// ```
    pub fn of(doc: &Document) -> Self {
        let (mut passages, sketch) = super::both::keys_and_sketch(&doc.text);
        if passages.len() < 2 {
            passages.clear();
        } else {
            let labels = super::passage::edge_labels(&doc.text);
            if !labels.is_empty() {
                passages = super::passage::labelled_keys(&doc.text, &labels);
            }
        }
        ScanDoc {
            id: doc.meta.id.clone(),
            group: doc.meta.group.clone(),
            source: doc.meta.fields.source.clone(),
            date: doc.meta.date_iso.clone(),
            passages,
            sketch,
        }
    }
}

/// The scan of a corpus or of a part of one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    /// Format version ([`SCAN_VERSION`]).
    pub scan_version: u32,
    /// Documents, sorted by id.
    pub documents: Vec<ScanDoc>,
}

impl Default for Scan {
    fn default() -> Self {
        Scan {
            scan_version: SCAN_VERSION,
            documents: Vec::new(),
        }
    }
}

/// The order of a scan's documents: by id, then every other field.
fn order(a: &ScanDoc, b: &ScanDoc) -> std::cmp::Ordering {
    (&a.id, &a.group, &a.source, &a.date, &a.passages, &a.sketch).cmp(&(
        &b.id,
        &b.group,
        &b.source,
        &b.date,
        &b.passages,
        &b.sketch,
    ))
}

/// Why a scan cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// Written in another version of the scan format.
    #[error("scan format version {found} (this duibi reads {expected})")]
    Version {
        /// The scan's version.
        found: u32,
        /// The version this library reads ([`SCAN_VERSION`]).
        expected: u32,
    },
}

impl Scan {
    /// The scan of these documents (in any order): sorted by id, ties in a total
    /// order, so any order of the same documents gives the same scan.
    pub fn of_docs(mut documents: Vec<ScanDoc>) -> Self {
        documents.sort_by(order);
        Scan {
            scan_version: SCAN_VERSION,
            documents,
        }
    }

    /// Merges another scan (associative and commutative: the documents end sorted
    /// by id, ties in a total order).
    ///
    /// ```
    /// use duibi::corpus::Document;
    /// use duibi::dedupe::{Scan, ScanDoc};
    /// let s = |id: &str| Scan::of_docs(vec![ScanDoc::of(&Document::in_memory(id, "g", "x"))]);
    /// let mut ab = s("a");
    /// ab.merge(s("b"));
    /// let mut ba = s("b");
    /// ba.merge(s("a"));
    /// assert_eq!(ab, ba);
    /// ```
    pub fn merge(&mut self, other: Scan) {
        self.documents.extend(other.documents);
        self.documents.sort_by(order);
    }

    /// Checks the format version.
    pub fn check(&self) -> Result<(), ScanError> {
        if self.scan_version == SCAN_VERSION {
            Ok(())
        } else {
            Err(ScanError::Version {
                found: self.scan_version,
                expected: SCAN_VERSION,
            })
        }
    }

    /// Compact one-line JSON (one scan per line, as an engine's pipe step expects).
    pub fn to_json_line(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}
