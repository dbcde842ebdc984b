//! Partial aggregates for map/reduce: `duibi analyze --partial` writes one, `duibi merge`
//! combines any number of them into the report.
//!
//! A partial holds only integers (term counts, totals, coverage) and per-document
//! summaries. Merging adds the integers and concatenates the summaries, which is
//! associative and commutative; every float of the report is computed after the merge
//! from the summaries sorted by document id. So the merged report of any sharding of a
//! corpus is byte-identical to the report of one run over the whole corpus.
//!
//! ```
//! use duibi::pipeline::Pipeline;
//! let p = Pipeline::builder().evidence(0).build().unwrap();
//! let lines = "{\"id\":\"a\",\"group\":\"domestic\",\"text\":\"挖矿被清退。\"}\n\
//!              {\"id\":\"b\",\"group\":\"overseas\",\"text\":\"Miners moved to Texas.\"}\n";
//! let whole = p.analyze_jsonl(lines.as_bytes(), "-", &|_| {}).unwrap();
//! let (l1, l2) = lines.split_at(lines.find('\n').unwrap() + 1);
//! let a = p.analyze_jsonl(l1.as_bytes(), "-", &|_| {}).unwrap();
//! let b = p.analyze_jsonl(l2.as_bytes(), "-", &|_| {}).unwrap();
//! let merged = p.report_from_partials(vec![b, a]).unwrap();
//! assert_eq!(merged.to_json(), p.report_from_partials(vec![whole]).unwrap().to_json());
//! ```

use crate::aggregate::{Coverage, GroupAgg, TermStat, TermTable, Totals};
use crate::corpus::{Skipped, Warning};
use crate::lang::Lang;
use crate::report::{DocConceptRecord, DocRecord, Settings, ToolInfo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the partial format.
pub const PARTIAL_VERSION: u32 = 1;

/// Integer aggregate of one group in a partial.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartialGroup {
    /// Totals.
    pub totals: Totals,
    /// Lexicon coverage per language.
    pub coverage: BTreeMap<Lang, Coverage>,
    /// Terms per language: `[term, count, doc_freq]`, sorted by term.
    pub terms: BTreeMap<Lang, Vec<(String, u64, u64)>>,
}

impl PartialGroup {
    /// From a group aggregate.
    pub fn from_agg(g: &GroupAgg) -> Self {
        PartialGroup {
            totals: g.totals.clone(),
            coverage: g.coverage.clone(),
            terms: g
                .terms
                .to_sorted()
                .into_iter()
                .map(|(l, m)| {
                    (
                        l,
                        m.into_iter()
                            .map(|(t, s)| (t, s.count, s.doc_freq))
                            .collect(),
                    )
                })
                .collect(),
        }
    }

    /// Back to a group aggregate.
    pub fn into_agg(self) -> GroupAgg {
        let terms = TermTable::from_sorted(
            self.terms
                .into_iter()
                .map(|(l, v)| {
                    (
                        l,
                        v.into_iter()
                            .map(|(t, count, doc_freq)| {
                                (
                                    t,
                                    TermStat {
                                        count,
                                        doc_freq,
                                        ..Default::default()
                                    },
                                )
                            })
                            .collect(),
                    )
                })
                .collect(),
        );
        GroupAgg {
            totals: self.totals,
            terms,
            coverage: self.coverage,
        }
    }
}

/// A partial aggregate: everything the report needs, before the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Format version ([`PARTIAL_VERSION`]).
    pub partial_version: u32,
    /// Tool that wrote it.
    pub tool: ToolInfo,
    /// Settings used; partials merge only when their settings are equal.
    pub settings: Settings,
    /// Corpus root (`-` for standard input).
    pub root: String,
    /// Files (or input lines) found.
    pub files_discovered: u64,
    /// Files (or lines) analysed.
    pub files_analyzed: u64,
    /// Manifest files read.
    pub metadata_files: Vec<String>,
    /// Group aggregates.
    pub groups: BTreeMap<String, PartialGroup>,
    /// Document records.
    pub documents: Vec<DocRecord>,
    /// Concept mentions per document.
    pub doc_concepts: Vec<DocConceptRecord>,
    /// Skipped files or lines.
    pub skipped: Vec<Skipped>,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

impl Partial {
    /// Compact one-line JSON (one partial per line, as an engine's pipe step expects).
    pub fn to_json_line(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec(self).unwrap_or_default();
        v.push(b'\n');
        v
    }

    /// Merges `other` into `self` (settings must have been checked equal).
    pub fn merge(&mut self, other: Partial) {
        for (g, pg) in other.groups {
            match self.groups.remove(&g) {
                None => {
                    self.groups.insert(g, pg);
                }
                Some(mine) => {
                    let mut a = mine.into_agg();
                    a.merge(pg.into_agg());
                    self.groups.insert(g, PartialGroup::from_agg(&a));
                }
            }
        }
        if self.root != other.root {
            let mut roots: Vec<&str> = self.root.split(',').chain(other.root.split(',')).collect();
            roots.sort_unstable();
            roots.dedup();
            self.root = roots.join(",");
        }
        self.files_discovered += other.files_discovered;
        self.files_analyzed += other.files_analyzed;
        self.metadata_files.extend(other.metadata_files);
        self.metadata_files.sort();
        self.metadata_files.dedup();
        self.documents.extend(other.documents);
        self.doc_concepts.extend(other.doc_concepts);
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
    }
}
