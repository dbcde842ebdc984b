//! Storage summaries of documents: the numbers of a [`DocRecord`] and a
//! [`DocConceptRecord`] that the comparison's statistics read, without the rest, so a
//! run can keep these in memory and leave the full records in its document store.

use crate::report::{DocConceptRecord, DocRecord};
use compact_str::CompactString;
use std::sync::Arc;

/// What the comparison reads of one document: the numbers of its [`DocRecord`] that
/// statistics use, without the rest (paths, encodings, per-language maps), so a run
/// can keep these in memory and leave the full records elsewhere.
#[derive(Debug, Clone)]
pub(crate) struct DocStats {
    /// Document id.
    pub id: CompactString,
    /// Group (shared between the documents of a group).
    pub group: Arc<str>,
    /// Source, when the document names one.
    pub source: Option<CompactString>,
    /// Normalized date.
    pub date_iso: Option<CompactString>,
    /// Main language (most tokens): the language the document counts toward in the
    /// per-language sentiment rows.
    pub lang: crate::lang::Lang,
    pub tokens: u64,
    pub sentences: u64,
    pub sentiment: f64,
    /// `sentiment_label`: 1 `pos`, -1 `neg`, 0 otherwise.
    pub label: i8,
    pub hit_sum: f64,
    pub hit_sentences: u64,
    pub sentences_positive: u64,
    pub sentences_negative: u64,
}

impl DocStats {
    /// The statistics of `d`, with its group as `group`.
    pub fn of(d: &DocRecord, group: Arc<str>) -> Self {
        DocStats {
            id: CompactString::from(d.meta.id.as_str()),
            group,
            source: d.meta.fields.source.as_deref().map(CompactString::from),
            date_iso: d.meta.date_iso.as_deref().map(CompactString::from),
            lang: d.lang,
            tokens: d.tokens,
            sentences: d.sentences,
            sentiment: d.sentiment,
            label: match d.sentiment_label.as_str() {
                "pos" => 1,
                "neg" => -1,
                _ => 0,
            },
            hit_sum: d.sentiment_hit_sum,
            hit_sentences: d.hit_sentences,
            sentences_positive: d.sentences_positive,
            sentences_negative: d.sentences_negative,
        }
    }
}

/// One [`DocConceptRecord`] with its document as an index into the documents.
#[derive(Debug, Clone)]
pub(crate) struct ConceptStats {
    /// Index of the document in the documents given with it (`u32::MAX`: none).
    pub doc: u32,
    /// Group of the document.
    pub group: Arc<str>,
    pub concept_index: u32,
    pub mentions: u64,
    pub mentions_zh: u64,
    pub mentions_en: u64,
    pub sentences: u64,
    pub sentiment_sum: f64,
}

impl ConceptStats {
    /// The statistics of `c`, of document `doc`.
    pub fn of(c: &DocConceptRecord, doc: u32, group: Arc<str>) -> Self {
        ConceptStats {
            doc,
            group,
            concept_index: c.concept_index,
            mentions: c.mentions,
            mentions_zh: c.mentions_zh,
            mentions_en: c.mentions_en,
            sentences: c.sentences,
            sentiment_sum: c.sentiment_sum,
        }
    }

    /// The report record of these statistics ([`ConceptStats::of`] reversed), for
    /// document `doc_id` and concept id `concept`.
    pub fn to_record(&self, doc_id: String, concept: String) -> DocConceptRecord {
        DocConceptRecord {
            doc_id,
            group: self.group.to_string(),
            concept,
            concept_index: self.concept_index,
            mentions: self.mentions,
            mentions_zh: self.mentions_zh,
            mentions_en: self.mentions_en,
            sentences: self.sentences,
            sentiment_sum: self.sentiment_sum,
        }
    }
}

/// Documents as the comparison reads them, any number of times: each with its concept
/// rows, in id order (documents sharing an id one after another).
pub(crate) trait DocStream: Sync {
    /// Calls `f` with each document and its concept rows, in id order, then once
    /// with `None` and the concept rows that name no document.
    fn each(&self, f: &mut dyn FnMut(Option<&DocStats>, &[ConceptStats])) -> std::io::Result<()>;
    /// Whether some document names a source.
    fn by_source(&self) -> bool;
    /// The groups of the documents and rows (shared names), sorted.
    fn groups(&self) -> Vec<Arc<str>>;
}

/// Documents in memory as a [`DocStream`]: stably sorted by id, each with the rows
/// that name it (a row naming an id goes to the first document with it).
pub(crate) struct MemDocs {
    docs: Vec<(DocStats, Vec<ConceptStats>)>,
    orphans: Vec<ConceptStats>,
    groups: Vec<Arc<str>>,
}

impl MemDocs {
    /// The documents `docs` with the rows `concepts`, whose `doc` indexes `docs`
    /// (`u32::MAX` or out of range: no document).
    pub fn new(docs: Vec<DocStats>, concepts: Vec<ConceptStats>) -> Self {
        let mut rows: Vec<Vec<ConceptStats>> = vec![Vec::new(); docs.len()];
        let mut orphans = Vec::new();
        for c in concepts {
            match rows.get_mut(c.doc as usize) {
                Some(v) => v.push(c),
                None => orphans.push(c),
            }
        }
        let mut docs: Vec<(DocStats, Vec<ConceptStats>)> = docs.into_iter().zip(rows).collect();
        docs.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        let mut groups: Vec<Arc<str>> = Vec::new();
        let names = docs
            .iter()
            .map(|d| &d.0.group)
            .chain(orphans.iter().map(|c| &c.group));
        for g in names {
            if !groups.iter().any(|n| **n == **g) {
                groups.push(g.clone());
            }
        }
        groups.sort();
        MemDocs {
            docs,
            orphans,
            groups,
        }
    }
}

impl DocStream for MemDocs {
    fn each(&self, f: &mut dyn FnMut(Option<&DocStats>, &[ConceptStats])) -> std::io::Result<()> {
        for (d, rows) in &self.docs {
            f(Some(d), rows);
        }
        f(None, &self.orphans);
        Ok(())
    }

    fn by_source(&self) -> bool {
        self.docs.iter().any(|d| d.0.source.is_some())
    }

    fn groups(&self) -> Vec<Arc<str>> {
        self.groups.clone()
    }
}
