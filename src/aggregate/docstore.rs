//! Per-document records of a run, with memory that does not grow with the corpus.
//!
//! The report lists every document and every document × concept row, and the
//! comparison reads a few numbers of each. A [`DocStore`] writes each full
//! [`DocRecord`] to an anonymous temporary file (the spill) and passes the numbers
//! ([`StoredDoc`]: [`DocStats`], the document's [`ConceptStats`] rows and where its
//! record is) through an external sort by id ([`crate::extsort`], at most
//! [`config::DOC_SORT_BYTES`] of them in memory per store). [`DocStore::finish`] merges
//! the sorted runs into one temporary file in report order (documents by id, a
//! document's concept rows by concept index), noting the first repeated id, whether
//! any document names a source and the groups; everything after that (the
//! comparison, the tables, the report's arrays, the evidence pass) streams that file
//! ([`DocStore::docs`]). So a run holds a bounded amount per store, whatever the
//! number of documents.

use crate::compare::{ConceptStats, DocStats};
use crate::config;
use crate::extsort::{ExtSort, Spill as SortItem};
use crate::report::{DocConceptRecord, DocRecord};
use codec::{blank, get_doc, put_doc, At};
use compact_str::CompactString;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

mod codec;

/// Where a document's full record is in the spill files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Loc {
    /// Ordinal of the document's file in a directory run (`u32::MAX` otherwise).
    pub file: u32,
    /// Spill file (an id unique in the process, so merged stores need no renumbering;
    /// `u32::MAX`: not written).
    part: u32,
    /// Byte offset and length of the record.
    offset: u64,
    len: u32,
}

/// Spill file ids handed out in this process.
static NEXT_SPILL: AtomicU32 = AtomicU32::new(0);

/// One spill file: JSON records `[fields_group, record]`, one after another.
#[derive(Debug)]
struct Spill {
    id: u32,
    out: BufWriter<File>,
    written: u64,
}

/// What the store keeps of one document: the numbers the comparison reads, its
/// concept rows (their `doc` is not used) and where its full record is.
#[derive(Debug, Clone)]
pub(crate) struct StoredDoc {
    /// The document's statistics.
    pub stats: DocStats,
    /// Its concept rows, by concept index (stable).
    pub concepts: Vec<ConceptStats>,
    /// Where its record is.
    pub loc: Loc,
}

impl StoredDoc {
    fn key(&self) -> (&str, u32, u32, u64) {
        let l = &self.loc;
        (self.stats.id.as_str(), l.file, l.part, l.offset)
    }
}

impl PartialEq for StoredDoc {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}
impl Eq for StoredDoc {}
impl PartialOrd for StoredDoc {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for StoredDoc {
    /// By id, then where the record is (so the order is total and deterministic).
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.key().cmp(&o.key())
    }
}

impl SortItem for StoredDoc {
    fn put(&self, w: &mut impl Write) -> io::Result<()> {
        put_doc(self, w)
    }

    fn get(r: &mut impl Read) -> io::Result<Option<Self>> {
        let mut d = blank();
        let mut scratch = Vec::new();
        Ok(get_doc(r, &mut d, &mut scratch, &mut |g| Arc::from(g))?.then_some(d))
    }

    fn bytes(&self) -> usize {
        let heap = |s: &str| if s.len() > 24 { s.len() } else { 0 };
        let s = &self.stats;
        std::mem::size_of::<Self>()
            + self.concepts.capacity() * std::mem::size_of::<ConceptStats>()
            + heap(&s.id)
            + s.source.as_deref().map_or(0, heap)
            + s.date_iso.as_deref().map_or(0, heap)
    }
}

/// The documents in report order, in one temporary file ([`DocStore::finish`]).
#[derive(Debug)]
struct Sorted {
    file: File,
    /// The smallest id two documents share.
    duplicate: Option<CompactString>,
    /// Whether some document names a source.
    by_source: bool,
    /// The group names, sorted, shared by the documents read back.
    groups: Vec<Arc<str>>,
}

/// The documents of a run: full records in spill files, statistics through an
/// external sort into id order.
#[derive(Debug)]
pub(crate) struct DocStore {
    sort: ExtSort<StoredDoc>,
    spills: Vec<Spill>,
    /// After [`DocStore::finish`]: the documents in report order.
    sorted: Option<Sorted>,
    docs: u64,
    rows: u64,
    /// The first error writing the spill (reported when the run ends).
    error: Option<io::Error>,
    buf: Vec<u8>,
}

impl Default for DocStore {
    fn default() -> Self {
        DocStore::with_budget(config::DOC_SORT_BYTES)
    }
}

impl DocStore {
    /// A store whose sort holds about `budget` bytes of statistics in memory.
    pub fn with_budget(budget: usize) -> Self {
        DocStore {
            sort: ExtSort::new(budget),
            spills: Vec::new(),
            sorted: None,
            docs: 0,
            rows: 0,
            error: None,
            buf: Vec::new(),
        }
    }

    /// Adds a document, the concept rows of it (their `doc_id` and `group` are not
    /// read: they are the record's), and the ordinal of its file.
    pub fn push(
        &mut self,
        rec: DocRecord,
        concepts: impl IntoIterator<Item = DocConceptRecord>,
        file: u32,
    ) {
        let group: Arc<str> = Arc::from(rec.meta.group.as_str());
        let mut rows: Vec<ConceptStats> = concepts
            .into_iter()
            .map(|c| ConceptStats::of(&c, u32::MAX, group.clone()))
            .collect();
        rows.sort_by_key(|c| c.concept_index);
        let stats = DocStats::of(&rec, group);
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
        self.docs += 1;
        self.rows += rows.len() as u64;
        let d = StoredDoc {
            stats,
            concepts: rows,
            loc,
        };
        if let Err(e) = self.sort.push(d) {
            self.error.get_or_insert(e);
        }
    }

    fn write(&mut self, rec: &DocRecord) -> io::Result<(u32, u64, u32)> {
        if self.error.is_some() {
            return Err(io::Error::other("an earlier write failed"));
        }
        if self.spills.is_empty() {
            self.spills.push(Spill {
                id: NEXT_SPILL.fetch_add(1, Ordering::Relaxed),
                out: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
                written: 0,
            });
        }
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, &(&rec.meta.fields.group, rec))?;
        let s = self
            .spills
            .last_mut()
            .ok_or_else(|| io::Error::other("no spill file"))?;
        s.out.write_all(&self.buf)?;
        let offset = s.written;
        s.written += self.buf.len() as u64;
        let len = u32::try_from(self.buf.len())
            .map_err(|_| io::Error::other("document record over 4 GiB"))?;
        Ok((s.id, offset, len))
    }

    /// Adds `o`'s documents (the order is decided by [`DocStore::finish`]).
    pub fn merge(&mut self, mut o: DocStore) {
        if self.error.is_none() {
            self.error = o.error.take();
        }
        self.docs += o.docs;
        self.rows += o.rows;
        self.spills.append(&mut o.spills);
        if let Err(e) = self.sort.merge(o.sort) {
            self.error.get_or_insert(e);
        }
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs as usize
    }

    /// Whether there is no document.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// Number of document × concept rows.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes the spill files and sorts the documents into report order (once; later
    /// calls do nothing); fails with the first write error of the run.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        for s in &mut self.spills {
            s.out.flush()?;
        }
        if self.sorted.is_some() {
            return Ok(());
        }
        let budget = config::DOC_SORT_BYTES;
        let sort = std::mem::replace(&mut self.sort, ExtSort::new(budget));
        let mut out = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        let mut prev: Option<CompactString> = None;
        let (mut duplicate, mut by_source) = (None, false);
        let mut groups: Vec<Arc<str>> = Vec::new();
        for d in sort.finish()? {
            let d = d?;
            put_doc(&d, &mut out)?;
            by_source |= d.stats.source.is_some();
            if !groups.iter().any(|g| **g == *d.stats.group) {
                groups.push(d.stats.group.clone());
            }
            if duplicate.is_none() && prev.as_ref() == Some(&d.stats.id) {
                duplicate = Some(d.stats.id.clone());
            }
            prev = Some(d.stats.id);
        }
        groups.sort();
        let file = out.into_inner().map_err(|e| e.into_error())?;
        self.sorted = Some(Sorted {
            file,
            duplicate,
            by_source,
            groups,
        });
        Ok(())
    }

    /// [`DocStore::finish`] now, its failure kept for the next call to return: the
    /// documents sorted while another thread still has work, not when they are read.
    pub fn finish_early(&mut self) {
        if let Err(e) = self.finish() {
            self.error = Some(e);
        }
    }

    fn sorted(&self) -> io::Result<&Sorted> {
        self.sorted
            .as_ref()
            .ok_or_else(|| io::Error::other("the documents were not sorted"))
    }

    /// The smallest id two documents share (after [`DocStore::finish`]).
    pub fn duplicate(&self) -> Option<&str> {
        self.sorted.as_ref()?.duplicate.as_deref()
    }

    /// Whether some document names a source (after [`DocStore::finish`]).
    pub fn by_source(&self) -> bool {
        self.sorted.as_ref().is_some_and(|s| s.by_source)
    }

    /// The groups of the documents, sorted (after [`DocStore::finish`]).
    pub fn groups(&self) -> &[Arc<str>] {
        self.sorted.as_ref().map_or(&[], |s| s.groups.as_slice())
    }

    /// The documents in report order, read back from the sorted file (an error when
    /// [`DocStore::finish`] has not run).
    pub fn docs(&self) -> io::Result<DocReader<'_>> {
        let s = self.sorted()?;
        Ok(DocReader {
            r: BufReader::with_capacity(1 << 16, At { f: &s.file, pos: 0 }),
            groups: &s.groups,
            scratch: Vec::new(),
            doc: blank(),
        })
    }

    /// The spilled bytes of the record at `loc`, into `buf` (see [`DocStore::parse`]).
    pub fn raw(&self, loc: &Loc, buf: &mut Vec<u8>) -> io::Result<()> {
        let spill = self
            .spills
            .iter()
            .find(|s| s.id == loc.part)
            .ok_or_else(|| io::Error::other("document record was not written"))?;
        buf.resize(loc.len as usize, 0);
        let mut at = At {
            f: spill.out.get_ref(),
            pos: loc.offset,
        };
        at.read_exact(buf)
    }

    /// A record from the bytes [`DocStore::raw`] read.
    pub fn parse(buf: &[u8]) -> io::Result<DocRecord> {
        let (group, mut rec): (Option<String>, DocRecord) = serde_json::from_slice(buf)?;
        rec.meta.fields.group = group;
        Ok(rec)
    }

    /// The full records, in report order.
    pub fn records(&self) -> impl Iterator<Item = io::Result<DocRecord>> + '_ {
        let mut buf = Vec::new();
        let mut docs = self.docs();
        let mut failed = false;
        std::iter::from_fn(move || {
            if failed {
                return None;
            }
            let r = match &mut docs {
                Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
                Ok(docs) => match docs.next_doc() {
                    Ok(None) => return None,
                    Ok(Some(d)) => {
                        let loc = d.loc;
                        self.raw(&loc, &mut buf).and_then(|()| Self::parse(&buf))
                    }
                    Err(e) => Err(e),
                },
            };
            failed = r.is_err();
            Some(r)
        })
    }

    /// The concept rows as report records, in report order; `concept` names a concept
    /// index.
    pub fn concept_records<'a>(
        &'a self,
        concept: &'a (dyn Fn(u32) -> String + 'a),
    ) -> impl Iterator<Item = io::Result<DocConceptRecord>> + 'a {
        let mut docs = self.docs();
        let mut pending: std::vec::IntoIter<DocConceptRecord> = Vec::new().into_iter();
        let mut failed = false;
        std::iter::from_fn(move || loop {
            if failed {
                return None;
            }
            if let Some(c) = pending.next() {
                return Some(Ok(c));
            }
            let next = match &mut docs {
                Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
                Ok(docs) => docs.next_doc().map(|d| {
                    d.map(|d| {
                        d.concepts
                            .iter()
                            .map(|c| c.to_record(d.stats.id.to_string(), concept(c.concept_index)))
                            .collect::<Vec<_>>()
                    })
                }),
            };
            match next {
                Ok(None) => return None,
                Ok(Some(v)) => pending = v.into_iter(),
                Err(e) => {
                    failed = true;
                    return Some(Err(e));
                }
            }
        })
    }
}

impl crate::docstats::DocStream for DocStore {
    fn each(&self, f: &mut dyn FnMut(Option<&DocStats>, &[ConceptStats])) -> io::Result<()> {
        let mut r = self.docs()?;
        while let Some(d) = r.next_doc()? {
            f(Some(&d.stats), &d.concepts);
        }
        f(None, &[]);
        Ok(())
    }

    fn by_source(&self) -> bool {
        DocStore::by_source(self)
    }

    fn groups(&self) -> Vec<Arc<str>> {
        DocStore::groups(self).to_vec()
    }
}

/// Reads the sorted documents back one at a time into one reused [`StoredDoc`].
pub(crate) struct DocReader<'a> {
    r: BufReader<At<'a>>,
    groups: &'a [Arc<str>],
    scratch: Vec<u8>,
    doc: StoredDoc,
}

impl DocReader<'_> {
    /// The next document (`None` after the last).
    pub fn next_doc(&mut self) -> io::Result<Option<&StoredDoc>> {
        let groups = self.groups;
        let mut shared = |g: &str| match groups.iter().find(|n| ***n == *g) {
            Some(n) => n.clone(),
            None => Arc::from(g),
        };
        let more = get_doc(&mut self.r, &mut self.doc, &mut self.scratch, &mut shared)?;
        Ok(more.then_some(&self.doc))
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

    fn ids(s: &DocStore) -> Vec<String> {
        let mut r = s.docs().unwrap();
        let mut out = Vec::new();
        while let Some(d) = r.next_doc().unwrap() {
            out.push(d.stats.id.to_string());
        }
        out
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
        assert_eq!(ids(&a), ["a", "b", "c"]);
        let mut r = a.docs().unwrap();
        let mut files = Vec::new();
        while let Some(d) = r.next_doc().unwrap() {
            files.push(d.loc.file);
        }
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
        let rows: Vec<DocConceptRecord> =
            a.concept_records(&name).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            rows,
            vec![
                concept("b", "domestic", 1),
                concept("b", "domestic", 5),
                concept("c", "domestic", 2)
            ]
        );
        assert_eq!((a.by_source(), a.duplicate()), (false, None));
        // Documents of a group read back share its name.
        let mut r = a.docs().unwrap();
        r.next_doc().unwrap();
        let g1 = r.next_doc().unwrap().unwrap().stats.group.clone();
        let g2 = r.next_doc().unwrap().unwrap().stats.group.clone();
        assert!(Arc::ptr_eq(&g1, &g2));
    }

    /// Spilled runs (a budget of a few documents) give the order, the duplicate and the
    /// records one in-memory sort gives, and the store's memory is that budget, not the
    /// corpus: after thousands of documents it holds no more than a run's worth.
    #[test]
    fn a_tiny_budget_sorts_as_memory_does_and_holds_only_the_budget() {
        let ids_in: Vec<String> = (0..3000u32)
            .map(|i| format!("d{:05}", (i * 7919) % 2999))
            .collect();
        let budget = 4 * std::mem::size_of::<StoredDoc>();
        let mut parts: Vec<DocStore> = (0..3).map(|_| DocStore::with_budget(budget)).collect();
        for (i, id) in ids_in.iter().enumerate() {
            let s = &mut parts[i % 3];
            s.push(
                rec(id, ["a", "b"][i % 2], i as f64 / 3000.0),
                [concept(id, "a", 3)],
                i as u32,
            );
            assert!(s.sort.buffered() <= 4, "the store holds its budget");
        }
        let mut store = parts.remove(0);
        for p in parts {
            store.merge(p);
        }
        assert!(store.sort.buffered() <= 8);
        store.finish().unwrap();
        let mut want = ids_in.clone();
        want.sort();
        assert_eq!(ids(&store), want);
        // Ids 0..2999 once, and (3000 − 2999) one id twice: the smallest repeated one.
        assert_eq!(store.duplicate(), Some("d00000"));
        let back: Vec<DocRecord> = store.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(back.len(), 3000);
        assert!(back.windows(2).all(|w| w[0].meta.id <= w[1].meta.id));
        assert_eq!(store.rows(), 3000);
    }

    /// With the default budget a store writes its first run well before it holds
    /// 50,000 documents (a thread's share of 100,000 at two threads), so a run of
    /// 100,000 documents already holds no more than one of 1,000,000: their peaks differ
    /// by no per-document buffer.
    #[test]
    fn the_default_budget_spills_before_a_threads_share_of_100k_documents() {
        let mut store = DocStore::default();
        let mut n = 0u32;
        while store.sort.runs() == 0 && n < 50_000 {
            let id = format!("d{n:07}");
            store.push(rec(&id, "a", 0.5), [concept(&id, "a", 3)], n);
            n += 1;
        }
        assert!(store.sort.runs() > 0, "no run after {n} documents");
        assert!(n > 2_000, "a few thousand documents stay in memory ({n})");
    }

    /// Sorting early gives the same store as sorting when the report needs it, and a
    /// failure met early (here, a write error of the run) is still the report's error.
    #[test]
    fn an_early_sort_keeps_the_documents_and_the_failure() {
        let mut a = DocStore::default();
        a.push(rec("b", "domestic", 0.5), [concept("b", "domestic", 1)], 1);
        a.push(rec("a", "overseas", -0.5), Vec::new(), 0);
        a.finish_early();
        a.finish().unwrap();
        assert_eq!(ids(&a), ["a", "b"]);
        let mut failed = DocStore::default();
        failed.push(rec("a", "domestic", 0.0), Vec::new(), 0);
        failed.error = Some(io::Error::other("disk full"));
        failed.finish_early();
        let e = failed.finish().expect_err("the write error is kept");
        assert_eq!(e.to_string(), "disk full");
    }
}
