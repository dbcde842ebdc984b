//! What the analysis pass sets aside, decided from a whole corpus's [`Scan`]:
//! near-duplicate documents first, then boilerplate passages among the documents
//! that remain.
//!
//! **Duplicates.** Documents are taken in a fixed order, earliest date first (undated
//! last), then smallest id. A document whose sketch is full and whose similarity to
//! an earlier *kept* document of its group is at least the threshold is a duplicate
//! of the first such document in that order; otherwise it is kept. The order depends
//! on the documents only, so partitions and threads agree. A text in both groups
//! stays in both: each side did publish it.
//!
//! **Boilerplate.** Each kept document belongs to a unit: its group and source, or its
//! group's documents without a source. A passage is set aside when, in some unit or
//! in some whole group, it is in at least `min_documents` documents and in at least
//! `min_share` of that unit's or group's documents: a footer of one author among
//! many, or a blurb a site adds to every outlet's articles. It is then blanked
//! wherever it occurs. Duplicates are left out of the counts, so the lines of an
//! article reprinted five times are not taken for a footer.

use super::decide::ScreenBuilder;
use super::scan::Scan;
use crate::config;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What to set aside, and the thresholds (defaults in [`crate::config`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenOptions {
    /// Set boilerplate passages aside.
    pub passages: bool,
    /// Set near-duplicate documents aside.
    pub duplicates: bool,
    /// [`config::BOILERPLATE_MIN_DOCS`].
    pub min_documents: u64,
    /// [`config::BOILERPLATE_MIN_SHARE`].
    pub min_share: f64,
    /// [`config::DUPLICATE_SIMILARITY`].
    pub similarity: f64,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            passages: true,
            duplicates: true,
            min_documents: config::BOILERPLATE_MIN_DOCS,
            min_share: config::BOILERPLATE_MIN_SHARE,
            similarity: config::DUPLICATE_SIMILARITY,
        }
    }
}

/// A set-aside passage and where it occurs (among the kept documents).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageStat {
    /// Passage key ([`super::passage::key`]).
    pub passage: u64,
    /// Documents that contain it.
    pub documents: u64,
    /// Documents that contain it, per group.
    pub by_group: BTreeMap<String, u64>,
}

/// A document set aside as a near-duplicate of another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duplicate {
    /// The duplicate's id.
    pub id: String,
    /// Its group.
    pub group: String,
    /// The id of the kept document it duplicates.
    pub duplicate_of: String,
    /// Estimated similarity of the two (0..1).
    pub similarity: f64,
}

/// The decisions of a screen, as data: equal for every partition of a run, so partial
/// aggregates carry it and a merge checks they agree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScreenSummary {
    /// Set-aside passages, sorted by key.
    pub passages: Vec<PassageStat>,
    /// Near-duplicates, sorted by id.
    pub duplicates: Vec<Duplicate>,
}

impl ScreenSummary {
    /// Nothing set aside.
    pub fn is_empty(&self) -> bool {
        self.passages.is_empty() && self.duplicates.is_empty()
    }
}

/// The screen of a run: its [`ScreenSummary`] with lookup tables.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    summary: ScreenSummary,
    keys: FxHashSet<u64>,
    /// Duplicate id → index in `summary.duplicates`.
    dups: FxHashMap<String, usize>,
    /// Kept id → ids of its duplicates, sorted.
    copies: FxHashMap<String, Vec<String>>,
}

impl Screen {
    /// A screen that sets nothing aside.
    pub fn none() -> Self {
        Screen::default()
    }

    /// The screen of a corpus's scan (see the module documentation), decided with
    /// bounded memory ([`ScreenBuilder`]; fails only when a temporary file cannot be
    /// written).
    ///
    /// ```
    /// use duibi::corpus::Document;
    /// use duibi::dedupe::{Scan, ScanDoc, Screen, ScreenOptions};
    /// let article: String = ["Miners moved their rigs to Texas after the ban.", "Power there is cheap",
    ///     "and the grid takes new loads.", "Kazakhstan drew others, until its own blackouts came.",
    ///     "Hash rate returned within a year, analysts at three pools said.",
    ///     "Farms in Sichuan had run on summer hydropower; in winter they moved north.",
    ///     "The ban closed both seasons at once, and the machines went abroad by sea.",
    ///     "Buyers in Texas paid for freight, customs and new transformers."].join(" ");
    /// let docs: Vec<ScanDoc> = (0..6)
    ///     .map(|i| if i == 0 { article.clone() } else { format!("Note {i}.") })
    ///     .map(|t| format!("{t}\nCopyright 2021 Example Media."))
    ///     .chain([format!("Reprinted from Wire.\n{article}")])
    ///     .enumerate()
    ///     .map(|(i, t)| ScanDoc::of(&Document::in_memory(format!("d{i}"), "g", t)))
    ///     .collect();
    /// let s = Screen::from_scan(&Scan::of_docs(docs), &ScreenOptions::default()).unwrap();
    /// assert_eq!(s.duplicate_of("d6"), Some("d0"));
    /// assert_eq!(s.summary().passages.len(), 1); // the copyright line, in 6 of 6
    /// ```
    pub fn from_scan(scan: &Scan, o: &ScreenOptions) -> std::io::Result<Self> {
        let mut b = ScreenBuilder::new();
        for d in &scan.documents {
            b.add(d.clone())?;
        }
        b.finish(o)
    }

    /// The screen of decisions already taken (from a partial aggregate).
    pub fn from_summary(summary: ScreenSummary) -> Self {
        let keys = summary.passages.iter().map(|p| p.passage).collect();
        let dups = summary
            .duplicates
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let mut copies: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for d in &summary.duplicates {
            copies
                .entry(d.duplicate_of.clone())
                .or_default()
                .push(d.id.clone());
        }
        Screen {
            summary,
            keys,
            dups,
            copies,
        }
    }

    /// The decisions.
    pub fn summary(&self) -> &ScreenSummary {
        &self.summary
    }

    /// Whether the passage with this key is set aside.
    pub fn is_set_aside(&self, key: u64) -> bool {
        self.keys.contains(&key)
    }

    /// The document a set-aside duplicate duplicates.
    pub fn duplicate_of(&self, id: &str) -> Option<&str> {
        self.dups
            .get(id)
            .and_then(|&i| self.summary.duplicates.get(i))
            .map(|d| d.duplicate_of.as_str())
    }

    /// The ids of the documents set aside as duplicates of `id` (sorted).
    pub fn copies_of(&self, id: &str) -> &[String] {
        self.copies.get(id).map_or(&[], |v| v.as_slice())
    }

    /// `text` with the set-aside passages blanked (`None`: nothing to blank).
    pub fn strip<'t>(&self, text: &'t str) -> Option<super::passage::Stripped<'t>> {
        if self.keys.is_empty() {
            return None;
        }
        super::passage::strip(text, |k| self.keys.contains(&k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::dedupe::ScanDoc;

    fn doc(id: &str, group: &str, source: Option<&str>, text: &str) -> ScanDoc {
        let mut d = ScanDoc::of(&Document::in_memory(id, group, text));
        d.source = source.map(str::to_owned);
        d
    }

    fn body(i: usize) -> String {
        format!(
            "Post {i}: the hash rate of pool {} moved abroad after the ban, writers say.",
            i * 13
        )
    }

    #[test]
    fn a_line_in_two_documents_is_never_set_aside() {
        let docs: Vec<ScanDoc> = (0..2)
            .map(|i| {
                doc(
                    &format!("d{i}"),
                    "g",
                    None,
                    &format!("{}\nShared line.", body(i)),
                )
            })
            .collect();
        let s = Screen::from_scan(&Scan::of_docs(docs), &ScreenOptions::default()).unwrap();
        assert!(s.summary().passages.is_empty());
    }

    #[test]
    fn a_footer_of_one_source_is_set_aside_within_a_large_group() {
        // 5 posts of one author among 100 documents of the group: 5 of 5 in its unit.
        let mut docs: Vec<ScanDoc> = (0..5)
            .map(|i| {
                doc(
                    &format!("a{i}"),
                    "g",
                    Some("author"),
                    &format!("{}\nFooter line.", body(i)),
                )
            })
            .collect();
        docs.extend((5..100).map(|i| doc(&format!("b{i}"), "g", None, &body(i))));
        let s = Screen::from_scan(&Scan::of_docs(docs), &ScreenOptions::default()).unwrap();
        assert_eq!(s.summary().passages.len(), 1);
        assert_eq!(s.summary().passages[0].documents, 5);
        assert!(s.is_set_aside(super::super::passage::key("footer line.").unwrap()));
    }

    #[test]
    fn a_footer_across_many_sources_is_set_aside_by_its_group() {
        // One document per source: no source has 5, the group has 12 of 12.
        let docs: Vec<ScanDoc> = (0..12)
            .map(|i| {
                let src = format!("outlet {i}");
                doc(
                    &format!("d{i:02}"),
                    "g",
                    Some(&src),
                    &format!("{}\nThanks for reading.", body(i)),
                )
            })
            .collect();
        let s = Screen::from_scan(&Scan::of_docs(docs), &ScreenOptions::default()).unwrap();
        assert_eq!(s.summary().passages.len(), 1);
    }

    #[test]
    fn one_line_documents_are_content_not_boilerplate() {
        let docs: Vec<ScanDoc> = (0..6)
            .map(|i| {
                doc(
                    &format!("d{i}"),
                    "g",
                    None,
                    "Miners welcome the move to Texas.",
                )
            })
            .collect();
        let s = Screen::from_scan(&Scan::of_docs(docs), &ScreenOptions::default()).unwrap();
        assert!(s.summary().is_empty());
    }

    #[test]
    fn a_line_in_few_documents_of_a_large_unit_stays() {
        // In 8 of 100 documents: above the count, below the share.
        let docs: Vec<ScanDoc> = (0..100)
            .map(|i| {
                let extra = if i < 8 { "\n“Yes, sir.”" } else { "" };
                doc(
                    &format!("d{i:03}"),
                    "g",
                    None,
                    &format!("{}{extra}", body(i)),
                )
            })
            .collect();
        let s = Screen::from_scan(&Scan::of_docs(docs), &ScreenOptions::default()).unwrap();
        assert!(s.summary().passages.is_empty());
    }

    #[test]
    fn the_earliest_copy_is_kept_and_copies_do_not_count_as_boilerplate() {
        let text = (0..10).map(body).collect::<Vec<_>>().join("\n");
        let mut docs: Vec<ScanDoc> = (0..6)
            .map(|i| {
                doc(
                    &format!("r{i}"),
                    "g",
                    None,
                    &format!("Reprinted from Wire {i}.\n{text}"),
                )
            })
            .collect();
        docs[3].date = Some("2021-01-01".into());
        let s = Screen::from_scan(&Scan::of_docs(docs.clone()), &ScreenOptions::default()).unwrap();
        assert_eq!(s.summary().duplicates.len(), 5);
        assert_eq!(s.duplicate_of("r0"), Some("r3"));
        assert_eq!(s.copies_of("r3").len(), 5);
        assert!(s.summary().passages.is_empty());
        // Counted with the copies, every line of the article would look like a footer.
        let off = ScreenOptions {
            duplicates: false,
            ..ScreenOptions::default()
        };
        let s = Screen::from_scan(&Scan::of_docs(docs), &off).unwrap();
        assert!(s.summary().duplicates.is_empty());
        assert_eq!(s.summary().passages.len(), 10);
    }
}
