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
//! use duibi::corpus::Source;
//! use duibi::run::Pipeline;
//! let p = Pipeline::builder().evidence(0).build().unwrap();
//! let lines = "{\"id\":\"a\",\"group\":\"domestic\",\"text\":\"挖矿被清退。\"}\n\
//!              {\"id\":\"b\",\"group\":\"overseas\",\"text\":\"Miners moved to Texas.\"}\n";
//! let part = |s: &'static str| p.analyze_partial(Source::json_lines(s.as_bytes(), "-")).unwrap();
//! let whole = part(lines);
//! let (l1, l2) = lines.split_at(lines.find('\n').unwrap() + 1);
//! let merged = p.report_from_partials(vec![part(l2), part(l1)]).unwrap();
//! assert_eq!(merged.to_json(), p.report_from_partials(vec![whole]).unwrap().to_json());
//! ```

use super::docstore::DocStore;
use super::set_aside::SetAsideAgg;
use super::{Coverage, GroupAgg, RunAgg, TermStat, TermTable, Totals};
use crate::corpus::{Skipped, Warning};
use crate::lang::Lang;
use crate::report::{DocConceptRecord, DocRecord, Settings, ToolInfo};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the partial format.
pub const PARTIAL_VERSION: u32 = 3;

/// One term of a partial: `(term, count, doc_freq, Σc², Σc·n)`, as [`TermStat`] holds them.
pub type PartialTerm = (String, u64, u64, u64, u64);

/// Integer aggregate of one group in a partial.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartialGroup {
    /// Totals.
    pub totals: Totals,
    /// Lexicon coverage per language.
    pub coverage: BTreeMap<Lang, Coverage>,
    /// Terms per language: `[term, count, doc_freq, Σc², Σc·n]` (the last two for the
    /// document-level test, see [`TermStat`]), sorted by term.
    pub terms: BTreeMap<Lang, Vec<PartialTerm>>,
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
                            .map(|(t, s)| (t, s.count, s.doc_freq, s.count_sq, s.count_tokens))
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
                            .map(|(t, count, doc_freq, count_sq, count_tokens)| {
                                (
                                    t,
                                    TermStat {
                                        count,
                                        doc_freq,
                                        count_sq,
                                        count_tokens,
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
    /// What was set aside: the screen (the same in every partial of a run), passage
    /// texts and tokens removed.
    #[serde(default)]
    pub set_aside: SetAsideAgg,
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
        self.set_aside.merge(other.set_aside);
    }
}

/// Why a partial cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartialError {
    /// Written in another version of the partial format.
    #[error("format version {found} (this duibi reads {expected})")]
    Version {
        /// The partial's version.
        found: u32,
        /// The version this library reads ([`PARTIAL_VERSION`]).
        expected: u32,
    },
    /// Made with other settings than the merging pipeline's.
    #[error("made with different settings than this merge (segmentation, stopwords, lexicons or glossary differ)")]
    Settings,
    /// A concept row names a concept the merging pipeline's glossary lacks.
    #[error("concept {concept:?} is not in this glossary")]
    UnknownConcept {
        /// The concept id.
        concept: String,
    },
    /// Made from another scan of the corpus than the first partial (a map step that
    /// scanned only its own shard, or scans of different corpora).
    #[error("set aside other passages or duplicates than the first partial (run the analysis of every shard with the same merged scan)")]
    Screen,
    /// A concept row names a document the partial does not list.
    #[error("concept row for document {doc_id:?}, which it does not list")]
    UnlistedDocument {
        /// The document id.
        doc_id: String,
    },
}

impl Partial {
    /// Checks that this partial can be merged by a pipeline whose reports record
    /// `settings`: same format version, same settings.
    pub fn check(&self, settings: &Settings) -> Result<(), PartialError> {
        if self.partial_version != PARTIAL_VERSION {
            return Err(PartialError::Version {
                found: self.partial_version,
                expected: PARTIAL_VERSION,
            });
        }
        if self.settings != *settings {
            return Err(PartialError::Settings);
        }
        Ok(())
    }
}

/// Where a partial's corpus came from, besides its aggregate.
pub(crate) struct PartialHead {
    /// Corpus root (`-` for standard input).
    pub root: String,
    /// Files (or input lines) found.
    pub files_discovered: u64,
    /// Manifest files read.
    pub metadata_files: Vec<String>,
}

impl RunAgg {
    /// The partial of this aggregate, in report order. `name` gives a concept's id
    /// from its index.
    pub(crate) fn into_partial(
        mut self,
        settings: Settings,
        head: PartialHead,
        name: &dyn Fn(u32) -> String,
    ) -> std::io::Result<Partial> {
        self.sort();
        self.store.finish()?;
        let documents = self.store.records().collect::<Result<Vec<_>, _>>()?;
        let doc_concepts = self
            .store
            .concept_records(name)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Partial {
            partial_version: PARTIAL_VERSION,
            tool: Default::default(),
            settings,
            root: head.root,
            files_discovered: head.files_discovered,
            files_analyzed: self.files_analyzed,
            metadata_files: head.metadata_files,
            groups: self
                .groups
                .iter()
                .map(|(g, a)| (g.clone(), PartialGroup::from_agg(a)))
                .collect(),
            documents,
            doc_concepts,
            skipped: self.skipped,
            warnings: self.warnings,
            set_aside: self.set_aside,
        })
    }

    /// The aggregate of a partial (already [checked](Partial::check)), and where its
    /// corpus came from. `index_of` gives a concept's index from its id.
    pub(crate) fn from_partial(
        p: Partial,
        index_of: impl Fn(&str) -> Option<u32>,
    ) -> Result<(RunAgg, PartialHead), PartialError> {
        let head = PartialHead {
            root: p.root,
            files_discovered: p.files_discovered,
            metadata_files: p.metadata_files,
        };
        let mut agg = RunAgg {
            groups: p
                .groups
                .into_iter()
                .map(|(g, pg)| (g, pg.into_agg()))
                .collect(),
            store: DocStore::default(),
            skipped: p.skipped,
            warnings: p.warnings,
            files_analyzed: p.files_analyzed,
            set_aside: p.set_aside,
        };
        // Concept rows by document (the first document with the id).
        let mut by_doc: FxHashMap<&str, Vec<DocConceptRecord>> = p
            .documents
            .iter()
            .map(|d| (d.meta.id.as_str(), Vec::new()))
            .collect();
        for mut c in p.doc_concepts {
            c.concept_index = index_of(&c.concept).ok_or_else(|| PartialError::UnknownConcept {
                concept: c.concept.clone(),
            })?;
            let Some(v) = by_doc.get_mut(c.doc_id.as_str()) else {
                return Err(PartialError::UnlistedDocument { doc_id: c.doc_id });
            };
            v.push(c);
        }
        let mut concepts: Vec<Vec<DocConceptRecord>> = p
            .documents
            .iter()
            .map(|d| {
                by_doc
                    .get_mut(d.meta.id.as_str())
                    .map(std::mem::take)
                    .unwrap_or_default()
            })
            .collect();
        drop(by_doc);
        for (d, cs) in p.documents.into_iter().zip(concepts.iter_mut()) {
            agg.store.push(d, std::mem::take(cs), u32::MAX);
        }
        Ok((agg, head))
    }
}
