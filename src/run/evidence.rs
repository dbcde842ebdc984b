//! The evidence pass: keyword-in-context examples for the top distinctive terms and
//! concepts, read from the documents again (from their files in a directory run)
//! after the report is built.
//!
//! The pass keeps, for each term or concept and group, a pool of candidate matches as
//! positions (file, document, byte spans, sentence hash), never as copied text; it
//! picks the examples from the pools (see [`pick`](super::evidence_pick)) and only
//! then reads the winners' documents once more to quote their sentences as written
//! ([`quote`]).

use super::evidence_pick::{pick, quote, Cand, Key};
use super::evidence_skip::{hash_of, Prefilter};
use crate::aggregate::docstore::DocStore;
use crate::aggregate::{FirstFiles, GroupAgg};
use crate::analysis::{Analyzer, Scratch};
use crate::config::{
    EVIDENCE_CONCEPTS, EVIDENCE_EXTRA_FILES, EVIDENCE_POOL, EVIDENCE_SKIP_DOCS, EVIDENCE_TERMS,
};
use crate::corpus::jsonl::{self, RecordPos, Records};
use crate::corpus::spool::Spool;
use crate::corpus::{Corpus, Document};
use crate::dedupe::Screen;
use crate::lang::Lang;
use crate::report::{EvidenceKind, EvidenceRecord, Report};
use crate::sentiment::{SentenceScratch, SentimentModel};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Where the evidence pass reads the documents again: the files of a directory run
/// (a `.jsonl` file is one file of many documents), or the documents given in memory.
/// "File" `i` is the `i`-th of either.
pub(super) enum Reread {
    /// The corpus of a directory run.
    Corpus(Corpus),
    /// Documents given in memory, in their order.
    Documents(Vec<Document>),
    /// JSON lines spooled from a stream; "file" `k` is the `k`-th batch of
    /// [`JSONL_CHUNK`](super::JSONL_CHUNK) records, starting at `chunks[k]`.
    Spooled {
        /// The spooled bytes.
        spool: Spool,
        /// Where each batch starts.
        chunks: Vec<RecordPos>,
        /// The record limit the analysis pass read with.
        max_record: u64,
        /// The stream's name (`-`), as in document ids.
        name: String,
    },
}

impl Reread {
    /// Number of files.
    fn len(&self) -> usize {
        match self {
            Reread::Corpus(c) => c.files().len(),
            Reread::Documents(d) => d.len(),
            Reread::Spooled { chunks, .. } => chunks.len(),
        }
    }

    /// Hands each document of file `i` to `each` with its index in the file (none
    /// when it cannot be read again; a large JSON Lines file is read a block of lines
    /// at a time, so its documents are never all in memory).
    pub(super) fn each_doc(&self, i: usize, mut each: impl FnMut(usize, Document)) {
        let docs = match self {
            Reread::Corpus(c) => {
                if let Some(e) = c.files().get(i) {
                    let mut d = 0usize;
                    let _ = c.load_each(e, |l| {
                        for doc in l.docs {
                            each(d, doc);
                            d += 1;
                        }
                    });
                }
                return;
            }
            Reread::Documents(d) => d.get(i).cloned().into_iter().collect(),
            Reread::Spooled {
                spool,
                chunks,
                max_record,
                name,
            } => chunks
                .get(i)
                .map(|&at| spooled_batch(spool, at, *max_record, name))
                .unwrap_or_default(),
        };
        for (d, doc) in docs.into_iter().enumerate() {
            each(d, doc);
        }
    }
}

/// The documents of the batch of records starting at `at` in `spool`, read with the
/// same limits (and so the same records and line numbers) as the analysis pass.
fn spooled_batch(spool: &Spool, at: RecordPos, max_record: u64, name: &str) -> Vec<Document> {
    use std::io::{Seek, SeekFrom};
    let Ok(mut reader) = spool.reader() else {
        return Vec::new();
    };
    if reader.seek(SeekFrom::Start(at.offset)).is_err() {
        return Vec::new();
    }
    // An unreadable spool ends the batch where it fails, with the lines read before.
    let mut lines = Vec::with_capacity(super::JSONL_CHUNK);
    let _ = Records::resume(reader, max_record, at).fill(&mut lines, super::JSONL_CHUNK, |_, _| {});
    let mut docs = Vec::new();
    for (no, line) in lines {
        if let Ok(loaded) = jsonl::document(name, no, &line) {
            docs.extend(loaded.docs);
        }
    }
    docs
}

/// The candidates of one term or concept in one group.
pub(super) struct Pool {
    /// Examples wanted: min(n, documents of the group that contain it).
    pub(super) want: usize,
    /// Documents whose candidates it holds.
    pub(super) docs: usize,
    /// Documents of the group that contain it.
    pub(super) exist: usize,
    /// Candidates, in file and document order (at most `want` per document).
    pub(super) cands: Vec<Cand>,
}

impl Pool {
    /// Documents it may hold.
    fn cap(&self) -> usize {
        self.want.saturating_mul(EVIDENCE_POOL)
    }

    /// Documents it will hold once full.
    fn goal(&self) -> usize {
        self.cap().min(self.exist)
    }
}

/// What the evidence pass looks for, and the candidates found.
struct EvidenceTargets {
    /// lang → term → favoured group.
    terms: FxHashMap<Lang, FxHashMap<String, String>>,
    /// concept id → groups of interest.
    concepts: FxHashMap<String, Vec<String>>,
    pools: BTreeMap<Key, Pool>,
    /// Pools with candidates from fewer than `want` documents.
    short: usize,
    /// Pools with room for more documents (of those that may exist).
    open: usize,
}

impl EvidenceTargets {
    fn new(report: &Report, n: usize) -> Self {
        let mut t = EvidenceTargets {
            terms: FxHashMap::default(),
            concepts: FxHashMap::default(),
            pools: BTreeMap::new(),
            short: 0,
            open: 0,
        };
        let pool = |want: usize, exist: usize| Pool {
            want,
            docs: 0,
            exist,
            cands: Vec::new(),
        };
        if let Some(c) = &report.comparison {
            for k in c.keyness.iter().filter(|k| k.rank <= EVIDENCE_TERMS) {
                t.terms
                    .entry(k.lang)
                    .or_default()
                    .insert(k.term.clone(), k.favours.clone());
                let docs = if k.favours == c.group_a {
                    k.doc_freq_a
                } else {
                    k.doc_freq_b
                };
                t.pools.insert(
                    (EvidenceKind::Term, k.term.clone(), k.favours.clone()),
                    pool(n.min(docs as usize), docs as usize),
                );
            }
            for cc in c.concepts.iter().take(EVIDENCE_CONCEPTS) {
                let mut gs = Vec::new();
                for (g, m) in [(&c.group_a, cc.mentions_a), (&c.group_b, cc.mentions_b)] {
                    if m > 0 {
                        gs.push(g.clone());
                        let docs = report
                            .concepts
                            .iter()
                            .find(|x| x.concept == cc.concept && &x.group == g)
                            .map_or(n as u64, |x| x.documents);
                        t.pools.insert(
                            (EvidenceKind::Concept, cc.concept.clone(), g.clone()),
                            pool(n.min(docs as usize), docs as usize),
                        );
                    }
                }
                t.concepts.insert(cc.concept.clone(), gs);
            }
        }
        t.short = t.pools.values().filter(|p| p.want > 0).count();
        t.open = t.short;
        t
    }

    /// Whether every pool is full (or holds every document the target can have).
    fn is_full(&self) -> bool {
        self.open == 0
    }

    fn is_done(&self) -> bool {
        self.short == 0
    }

    /// Whether a pool of `group` can still take documents.
    fn open_in(&self, group: &str) -> bool {
        self.pools
            .iter()
            .any(|((_, _, g), p)| g == group && p.docs < p.cap())
    }

    /// Examples a document may give the pool of (kind, key, group): 0 when it is full
    /// or not wanted.
    fn room(&self, kind: EvidenceKind, key: &str, group: &str) -> usize {
        self.pools
            .get(&(kind, key.to_string(), group.to_string()))
            .filter(|p| p.docs < p.cap())
            .map_or(0, |p| p.want)
    }

    fn wants_concept(&self, id: &str, group: &str) -> bool {
        self.concepts
            .get(id)
            .is_some_and(|gs| gs.iter().any(|g| g == group))
    }

    fn wants_term(&self, lang: Lang, term: &str, group: &str) -> bool {
        self.terms
            .get(&lang)
            .and_then(|m| m.get(term))
            .is_some_and(|g| g == group)
    }

    /// Adds the candidates one document gave (all of one document, in order).
    fn offer(&mut self, key: Key, c: Cand) {
        let Some(p) = self.pools.get_mut(&key) else {
            return;
        };
        let same_doc = p
            .cands
            .last()
            .is_some_and(|l| (l.file, l.doc) == (c.file, c.doc));
        if same_doc {
            p.cands.push(c);
        } else if p.docs < p.cap() {
            p.cands.push(c);
            p.docs += 1;
            if p.docs == p.want {
                self.short -= 1;
            }
            if p.docs == p.goal() {
                self.open -= 1;
            }
        }
    }
}

/// Second pass: keyword-in-context examples for the top distinctive terms and
/// concepts. The main pass recorded, for every term, the first [`FirstFiles::CAP`]
/// files containing it, and the report lists the documents that mention each
/// concept; this pass reads all those candidate files first, in order, then the
/// other files while some target's pool has room, and at most
/// [`EVIDENCE_EXTRA_FILES`] of them once every target has candidates from as many
/// documents as it wants examples. The examples are then picked from the candidates (spread over
/// documents and sources, no sentence twice) and quoted from the text as written.
/// The result does not depend on the thread count.
pub(super) fn evidence(
    an: &Analyzer,
    n: usize,
    texts: &Reread,
    screen: &Screen,
    report: &Report,
    groups: &BTreeMap<String, GroupAgg>,
    store: &DocStore,
) -> Vec<EvidenceRecord> {
    let mut targets = EvidenceTargets::new(report, n);
    if targets.is_done() {
        return Vec::new();
    }
    let mut candidates: Vec<u32> = Vec::new();
    for (lang, terms) in &targets.terms {
        for (term, group) in terms {
            if let Some(s) = groups.get(group).and_then(|g| g.terms.get(*lang, term)) {
                candidates.extend(s.first_files.files());
            }
        }
    }
    let mut wanted: Vec<(u32, &str)> = Vec::new();
    let mut wanted_ids: Vec<(String, String)> = Vec::new();
    for (concept, gs) in &targets.concepts {
        let Some(ci) = an.concepts().index_of(concept) else {
            continue;
        };
        wanted.extend(gs.iter().map(|g| (ci, g.as_str())));
        wanted_ids.extend(gs.iter().map(|g| (concept.clone(), g.clone())));
    }
    let (files, held) = concept_files(store, &wanted);
    for files in files {
        candidates.extend(files.files());
    }
    let terms = targets
        .terms
        .values()
        .flat_map(|m| m.iter().map(|(t, g)| (t.as_str(), g.as_str())));
    let pre = Prefilter::new(terms, wanted_ids, held);
    candidates.sort_unstable();
    candidates.dedup();
    let files = texts.len();
    let first: Vec<usize> = candidates
        .iter()
        .map(|&i| i as usize)
        .filter(|&i| i < files)
        .collect();
    evidence_in(an, texts, screen, &pre, &first, &mut targets, false);
    if !targets.is_full() {
        let rest: Vec<usize> = (0..files)
            .filter(|i| candidates.binary_search(&(*i as u32)).is_err())
            .collect();
        evidence_in(an, texts, screen, &pre, &rest, &mut targets, true);
    }
    let picked = pick(targets.pools);
    quote(texts, screen, picked)
}

/// For each (concept index, group) of `wanted`, the files (their ordinals in this
/// run's file list) of the group's documents mentioning the concept, the first
/// [`FirstFiles::CAP`] of them; and by the hash of every document's id, the mask of
/// the pairs of `wanted` its document holds (bit `k` for the `k`-th), for the
/// [`Prefilter`]. Read in one pass over the store: none if it cannot be read (the
/// pass then reads files in order), and no masks unless it is read whole, holds at
/// most [`EVIDENCE_SKIP_DOCS`] documents and there are at most 64 pairs.
fn concept_files(
    store: &DocStore,
    wanted: &[(u32, &str)],
) -> (Vec<FirstFiles>, Option<FxHashMap<u64, u64>>) {
    let mut out = vec![FirstFiles::default(); wanted.len()];
    if wanted.is_empty() {
        // No concept pool: the masks would never be read.
        return (out, None);
    }
    let Ok(mut docs) = store.docs() else {
        return (out, None);
    };
    let mut held = (wanted.len() <= 64).then(FxHashMap::default);
    loop {
        let d = match docs.next_doc() {
            Ok(Some(d)) => d,
            Ok(None) => break,
            Err(_) => {
                held = None;
                break;
            }
        };
        let mut mask = 0u64;
        for (k, (ci, g)) in wanted.iter().enumerate() {
            if *d.stats.group == **g && d.concepts.iter().any(|c| c.concept_index == *ci) {
                out[k].insert(d.loc.file);
                mask |= 1u64.checked_shl(k as u32).unwrap_or(0);
            }
        }
        if let Some(h) = &mut held {
            *h.entry(hash_of(d.stats.id.as_str())).or_default() |= mask;
            if h.len() > EVIDENCE_SKIP_DOCS {
                held = None;
            }
        }
    }
    (out, held)
}

/// Offers the candidates found in `files` (in their order, a chunk at a time; with
/// `stop`, stopping once no pool is short of documents), in the documents and text the
/// analysis pass counted: duplicates skipped, set-aside passages blanked; a document
/// the [`Prefilter`] finds can give no candidate is not tokenized.
fn evidence_in(
    an: &Analyzer,
    texts: &Reread,
    screen: &Screen,
    pre: &Prefilter,
    files: &[usize],
    targets: &mut EvidenceTargets,
    stop: bool,
) {
    // Files read since every pool had as many documents as it wants examples.
    let mut extra = 0usize;
    for chunk in files.chunks(64) {
        if stop && (targets.is_full() || extra >= EVIDENCE_EXTRA_FILES) {
            break;
        }
        if targets.is_done() {
            extra += chunk.len();
        }
        let t: &EvidenceTargets = targets;
        let open = pre.open(|kind, key, group| t.room(kind, key, group));
        let found: Vec<Vec<(Key, Cand)>> = chunk
            .par_iter()
            .map_init(Scratch::default, |scratch, &file| {
                let mut out = Vec::new();
                texts.each_doc(file, |d, mut doc| {
                    if screen.duplicate_of(&doc.meta.id).is_some() {
                        return;
                    }
                    if !t.open_in(&doc.meta.group) {
                        return;
                    }
                    if let Some(s) = screen.strip(&doc.text) {
                        doc.text = s.kept;
                    }
                    // Normalized once, for the prefilter and the tokenizer.
                    doc.text = crate::text::normalize(&doc.text);
                    if pre.may_give(&open, &doc.meta.group, &doc.meta.id, &doc.text) {
                        find_evidence(an, (file, d), &doc, t, scratch, &mut out);
                    }
                });
                out
            })
            .collect();
        for recs in found {
            for (key, c) in recs {
                targets.offer(key, c);
            }
        }
    }
}

/// The candidates of one document (file `at.0`, document `at.1` of it): for each
/// target with room, its first matches in distinct sentences (at most the examples
/// the target wants), as positions. `doc.text` is normalized (`crate::text::normalize`).
fn find_evidence(
    an: &Analyzer,
    at: (usize, usize),
    doc: &Document,
    targets: &EvidenceTargets,
    scratch: &mut Scratch,
    out: &mut Vec<(Key, Cand)>,
) {
    // `evidence_in` normalized the text for the prefilter.
    let (text, _) = an.tokenize_normalized_into(doc.text.clone(), scratch, true);
    let group = &doc.meta.group;
    scratch.hits.clear();
    an.concepts().find(&scratch.buf, &mut scratch.hits);
    let concept_wanted = |id: &str| targets.wants_concept(id, group);
    let any = scratch
        .buf
        .iter()
        .any(|(t, term)| targets.wants_term(t.lang, term, group))
        || scratch
            .hits
            .iter()
            .any(|h| concept_wanted(an.concepts().id(h.concept)));
    if !any {
        return;
    }
    // Sentences, and the scores of those a candidate falls in (each scored once, when
    // first needed: most sentences of a document hold no candidate).
    let sentences = crate::sentence::split(&text);
    let cap_diff = SentimentModel::caps_differ(&scratch.buf);
    let mut scores: Vec<Option<f32>> = vec![None; sentences.len()];
    let mut sentence_scratch = SentenceScratch::default();
    let source = hash_of(doc.meta.fields.source.as_deref().unwrap_or(&doc.meta.id));
    // Per target: (room left, sentence hashes taken); no text is copied.
    let mut taken: FxHashMap<(EvidenceKind, u64), (usize, Vec<u64>)> = FxHashMap::default();
    let mut consider = |kind: EvidenceKind, key: &str, lang: Lang, start: usize, end: usize| {
        let (room, sents) = taken
            .entry((kind, hash_of(key)))
            .or_insert_with(|| (targets.room(kind, key, group), Vec::new()));
        if *room == 0 {
            return;
        }
        let si = sentences.partition_point(|&(_, e)| e <= start);
        let Some(&(s_start, s_end)) = sentences.get(si).filter(|&&(a, b)| a <= start && end <= b)
        else {
            return;
        };
        let sent = hash_of(text.get(s_start..s_end).unwrap_or(""));
        if sents.contains(&sent) {
            return;
        }
        sents.push(sent);
        *room -= 1;
        out.push((
            (kind, key.to_string(), group.clone()),
            Cand {
                file: at.0,
                doc: at.1,
                doc_id: doc.meta.id.clone(),
                source,
                sent,
                lang,
                sentence: (s_start, s_end),
                span: (start, end),
                score: f64::from(*scores[si].get_or_insert_with(|| {
                    an.sentiment().sentence_score(
                        &text,
                        &scratch.buf,
                        (s_start, s_end),
                        cap_diff,
                        &mut sentence_scratch,
                    )
                })),
            },
        ));
    };
    for (t, term) in scratch.buf.iter() {
        if targets.wants_term(t.lang, term, group) {
            consider(
                EvidenceKind::Term,
                term,
                t.lang,
                t.start as usize,
                t.end as usize,
            );
        }
    }
    let toks = scratch.buf.tokens();
    for h in &scratch.hits {
        let id = an.concepts().id(h.concept);
        if !concept_wanted(id) {
            continue;
        }
        if let (Some(f), Some(l)) = (toks.get(h.first as usize), toks.get(h.last as usize)) {
            consider(
                EvidenceKind::Concept,
                id,
                f.lang,
                f.start as usize,
                l.end as usize,
            );
        }
    }
}
