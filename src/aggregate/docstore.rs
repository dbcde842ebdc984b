//! Per-document records of a run, kept small in memory.
//!
//! The report lists every document and every document × concept row, but the
//! statistics need only a few numbers of each. A [`DocStore`] keeps those numbers
//! ([`DocStats`], [`ConceptStats`]: ids, a shared group name, counts and scores) in
//! memory and writes each full [`DocRecord`] to an anonymous temporary file (the
//! spill), from which the records are read back one at a time, in report order, when
//! the report is written. So the memory a run holds per document is a few hundred
//! bytes, whatever the record's paths, titles and per-language maps.

use crate::compare::{ConceptStats, DocStats};
use crate::report::{DocConceptRecord, DocRecord};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

/// Where a document's full record is in the spill files.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Loc {
    /// Ordinal of the document's file in a directory run (`u32::MAX` otherwise).
    pub file: u32,
    /// Spill file.
    part: u32,
    /// Byte offset and length of the record.
    offset: u64,
    len: u32,
}

/// One spill file: JSON records `[fields_group, record]`, one after another.
#[derive(Debug)]
struct Spill {
    out: BufWriter<std::fs::File>,
    written: u64,
}

/// The documents of a run: statistics in memory, full records in spill files.
#[derive(Debug, Default)]
pub(crate) struct DocStore {
    /// Statistics of each document, in insertion (or, after [`DocStore::sort`], id)
    /// order.
    pub stats: Vec<DocStats>,
    /// Where each document's record is (parallel to `stats`).
    pub locs: Vec<Loc>,
    /// Concept rows; `doc` indexes `stats`.
    pub concepts: Vec<ConceptStats>,
    spills: Vec<Spill>,
    /// Group names handed out, so the documents of a group share one.
    names: Vec<Arc<str>>,
    /// The first error writing the spill (reported when the run ends).
    error: Option<std::io::Error>,
    buf: Vec<u8>,
}

impl DocStore {
    fn name(&mut self, g: &str) -> Arc<str> {
        if let Some(n) = self.names.iter().find(|n| ***n == *g) {
            return n.clone();
        }
        let n: Arc<str> = Arc::from(g);
        self.names.push(n.clone());
        n
    }

    /// Adds a document, the concept rows of it (their `doc_id` and `group` are not
    /// read: they are the record's), and the ordinal of its file.
    pub fn push(
        &mut self,
        rec: DocRecord,
        concepts: impl IntoIterator<Item = DocConceptRecord>,
        file: u32,
    ) {
        let group = self.name(&rec.meta.group);
        let doc = self.stats.len() as u32;
        for c in concepts {
            self.concepts.push(ConceptStats::of(&c, doc, group.clone()));
        }
        self.stats.push(DocStats::of(&rec, group));
        let loc = match self.write(&rec) {
            Ok((part, offset, len)) => Loc {
                file,
                part,
                offset,
                len,
            },
            Err(e) => {
                self.error.get_or_insert(e);
                Loc {
                    file,
                    part: u32::MAX,
                    offset: 0,
                    len: 0,
                }
            }
        };
        self.locs.push(loc);
    }

    fn write(&mut self, rec: &DocRecord) -> std::io::Result<(u32, u64, u32)> {
        if self.error.is_some() {
            return Err(std::io::Error::other("an earlier write failed"));
        }
        if self.spills.is_empty() {
            self.spills.push(Spill {
                out: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
                written: 0,
            });
        }
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, &(&rec.meta.fields.group, rec))?;
        let part = self.spills.len() - 1;
        let s = &mut self.spills[part];
        s.out.write_all(&self.buf)?;
        let offset = s.written;
        s.written += self.buf.len() as u64;
        let len = u32::try_from(self.buf.len())
            .map_err(|_| std::io::Error::other("document record over 4 GiB"))?;
        Ok((part as u32, offset, len))
    }

    /// Appends `o` (its documents after this store's).
    pub fn merge(&mut self, mut o: DocStore) {
        let docs = self.stats.len() as u32;
        let parts = self.spills.len() as u32;
        if self.error.is_none() {
            self.error = o.error.take();
        }
        // One shared name per group across the merged stores.
        for n in &mut o.names {
            if let Some(m) = self.names.iter().find(|m| **m == *n) {
                *n = m.clone();
            }
        }
        let shared = |g: &mut Arc<str>| {
            if let Some(m) = o.names.iter().find(|m| **m == *g) {
                *g = m.clone();
            }
        };
        o.stats.iter_mut().for_each(|d| shared(&mut d.group));
        o.concepts.iter_mut().for_each(|c| shared(&mut c.group));
        // Exact reservations: these arrays hold one entry per document (or concept row)
        // of the run, and doubling would leave up to half of them unused.
        self.stats.reserve_exact(o.stats.len());
        self.locs.reserve_exact(o.locs.len());
        self.concepts.reserve_exact(o.concepts.len());
        self.stats.append(&mut o.stats);
        self.locs.extend(o.locs.into_iter().map(|mut l| {
            if l.part != u32::MAX {
                l.part += parts;
            }
            l
        }));
        self.concepts.extend(o.concepts.into_iter().map(|mut c| {
            c.doc += docs;
            c
        }));
        self.spills.append(&mut o.spills);
        for n in o.names {
            if !self.names.contains(&n) {
                self.names.push(n);
            }
        }
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.stats.len()
    }

    /// Whether there is no document.
    pub fn is_empty(&self) -> bool {
        self.stats.is_empty()
    }

    /// Flushes the spill files; fails with the first write error of the run.
    pub fn finish(&mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        for s in &mut self.spills {
            s.out.flush()?;
        }
        Ok(())
    }

    /// Sorts the documents by id (stable) and the concept rows by document, then
    /// concept index (stable): the order of the report.
    pub fn sort(&mut self) {
        let mut order: Vec<u32> = (0..self.stats.len() as u32).collect();
        order.sort_by(|&a, &b| self.stats[a as usize].id.cmp(&self.stats[b as usize].id));
        let mut new_of = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of[old as usize] = new as u32;
        }
        let mut stats: Vec<Option<DocStats>> = std::mem::take(&mut self.stats)
            .into_iter()
            .map(Some)
            .collect();
        self.stats = order
            .iter()
            .filter_map(|&o| stats[o as usize].take())
            .collect();
        self.locs = order.iter().map(|&o| self.locs[o as usize]).collect();
        for c in &mut self.concepts {
            if let Some(&n) = new_of.get(c.doc as usize) {
                c.doc = n;
            }
        }
        // The rows were pushed one at a time (capacity doubling); they stay to the end.
        self.concepts.shrink_to_fit();
        self.concepts.sort_by(|a, b| {
            a.doc
                .cmp(&b.doc)
                .then(a.concept_index.cmp(&b.concept_index))
        });
    }

    /// The full record of document `i`.
    pub fn record(&self, i: usize, buf: &mut Vec<u8>) -> std::io::Result<DocRecord> {
        self.raw(i, buf)?;
        Self::parse(buf)
    }

    /// The spilled bytes of document `i`'s record, into `buf` (see [`DocStore::parse`]).
    pub fn raw(&self, i: usize, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let loc = self
            .locs
            .get(i)
            .ok_or_else(|| std::io::Error::other("no such document"))?;
        let spill = self
            .spills
            .get(loc.part as usize)
            .ok_or_else(|| std::io::Error::other("document record was not written"))?;
        let mut f = spill.out.get_ref();
        f.seek(SeekFrom::Start(loc.offset))?;
        buf.resize(loc.len as usize, 0);
        f.read_exact(buf)
    }

    /// A record from the bytes [`DocStore::raw`] read.
    pub fn parse(buf: &[u8]) -> std::io::Result<DocRecord> {
        let (group, mut rec): (Option<String>, DocRecord) = serde_json::from_slice(buf)?;
        rec.meta.fields.group = group;
        Ok(rec)
    }

    /// The full records, in the store's order.
    pub fn records(&self) -> impl Iterator<Item = std::io::Result<DocRecord>> + '_ {
        let mut buf = Vec::new();
        (0..self.len()).map(move |i| self.record(i, &mut buf))
    }

    /// The concept rows as report records, in the store's order; `concept` names a
    /// concept index.
    pub fn concept_records<'a>(
        &'a self,
        concept: &'a (dyn Fn(u32) -> String + 'a),
    ) -> impl Iterator<Item = DocConceptRecord> + 'a {
        self.concepts.iter().map(move |c| {
            let doc_id = self
                .stats
                .get(c.doc as usize)
                .map(|d| d.id.to_string())
                .unwrap_or_default();
            c.to_record(doc_id, concept(c.concept_index))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{DocMeta, Format};
    use crate::lang::Lang;

    fn rec(id: &str, group: &str, sentiment: f64) -> DocRecord {
        let fields = crate::corpus::format::Fields {
            group: Some(group.to_string()),
            title: Some(format!("title of {id} \"quoted\" 标题")),
            ..Default::default()
        };
        DocRecord {
            meta: DocMeta {
                id: id.into(),
                path: format!("{group}/{id}"),
                group: group.into(),
                group_from: "front_matter".into(),
                fields,
                date_iso: Some("2021-06-01".into()),
                date_from: None,
                encoding: "UTF-8".into(),
                format: Format::Md,
                bytes: 123,
                replaced_chars: 0,
            },
            lang: Lang::Zh,
            zh_script: Some("zh-Hans".into()),
            lang_shares: [(Lang::Zh, 0.75), (Lang::En, 0.25)].into_iter().collect(),
            chars: 40,
            tokens: 20,
            content_tokens: 12,
            tokens_by_lang: [(Lang::Zh, 15), (Lang::En, 5)].into_iter().collect(),
            sentences: 3,
            sentiment,
            sentiment_label: "pos".into(),
            sentiment_sentence_mean: 0.1 + sentiment / 3.0,
            sentiment_hit_sum: 0.123456,
            hit_sentences: 2,
            sentences_positive: 2,
            sentences_negative: 0,
            sentences_neutral: 1,
            lexicon_token_coverage: 0.05,
            lexicon_sentence_coverage: 2.0 / 3.0,
            concept_mentions: 1,
            tokens_set_aside: 0,
            duplicates: Vec::new(),
        }
    }

    fn concept(doc: &str, group: &str, ci: u32) -> DocConceptRecord {
        DocConceptRecord {
            doc_id: doc.into(),
            group: group.into(),
            concept: format!("c{ci}"),
            concept_index: ci,
            mentions: ci as u64 + 1,
            mentions_zh: 1,
            mentions_en: ci as u64,
            sentences: 1,
            sentiment_sum: 0.1 * ci as f64,
        }
    }

    #[test]
    fn records_come_back_exactly_and_in_id_order_after_merge_and_sort() {
        let mut a = DocStore::default();
        a.push(rec("c", "domestic", 0.3), [concept("c", "domestic", 2)], 2);
        a.push(rec("a", "overseas", -0.7), Vec::new(), 0);
        let mut b = DocStore::default();
        b.push(
            rec("b", "domestic", 1.0 / 3.0),
            [concept("b", "domestic", 5), concept("b", "domestic", 1)],
            1,
        );
        a.merge(b);
        a.finish().unwrap();
        a.sort();
        let ids: Vec<&str> = a.stats.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let files: Vec<u32> = a.locs.iter().map(|l| l.file).collect();
        assert_eq!(files, [0, 1, 2]);
        let back: Vec<DocRecord> = a.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(
            back,
            vec![
                rec("a", "overseas", -0.7),
                rec("b", "domestic", 1.0 / 3.0),
                rec("c", "domestic", 0.3)
            ]
        );
        let name = |c: u32| format!("c{c}");
        let rows: Vec<DocConceptRecord> = a.concept_records(&name).collect();
        assert_eq!(
            rows,
            vec![
                concept("b", "domestic", 1),
                concept("b", "domestic", 5),
                concept("c", "domestic", 2)
            ]
        );
        // Documents of a group share its name, also across merged stores.
        assert!(Arc::ptr_eq(&a.stats[1].group, &a.stats[2].group));
    }
}
