//! The evidence pass: keyword-in-context examples for the top distinctive terms and
//! concepts, read from the documents again (from their files in a directory run)
//! after the report is built.

use crate::aggregate::docstore::DocStore;
use crate::aggregate::{FirstFiles, GroupAgg};
use crate::analysis::{Analyzer, Scratch};
use crate::config::{EVIDENCE_CONCEPTS, EVIDENCE_TERMS};
use crate::corpus::{Corpus, Document};
use crate::dedupe::Screen;
use crate::lang::Lang;
use crate::report::{self, EvidenceKind, EvidenceRecord, Report};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Where the evidence pass reads the documents again: the files of a directory run,
/// or the documents given in memory. "File" `i` is the `i`-th of either.
pub(super) enum Reread {
    /// The corpus of a directory run.
    Corpus(Corpus),
    /// Documents given in memory, in their order.
    Documents(Vec<Document>),
}

impl Reread {
    /// Number of files.
    fn len(&self) -> usize {
        match self {
            Reread::Corpus(c) => c.files().len(),
            Reread::Documents(d) => d.len(),
        }
    }

    /// The documents of file `i` (none when it cannot be read again).
    fn docs(&self, i: usize) -> Vec<Document> {
        match self {
            Reread::Corpus(c) => c
                .files()
                .get(i)
                .and_then(|e| c.load(e).ok())
                .map(|l| l.docs)
                .unwrap_or_default(),
            Reread::Documents(d) => d.get(i).cloned().into_iter().collect(),
        }
    }
}

/// What the evidence pass looks for, and what it has found.
struct EvidenceTargets {
    /// lang → term → favoured group.
    terms: FxHashMap<Lang, FxHashMap<String, String>>,
    /// concept id → groups of interest.
    concepts: FxHashMap<String, Vec<String>>,
    /// (kind, key, group) → (examples wanted, examples found so far). A target wants
    /// min(n, documents of the group that contain it), so the pass can stop early.
    found: BTreeMap<(EvidenceKind, String, String), (usize, Vec<EvidenceRecord>)>,
    open: usize,
}

impl EvidenceTargets {
    fn new(report: &Report, n: usize) -> Self {
        let mut t = EvidenceTargets {
            terms: FxHashMap::default(),
            concepts: FxHashMap::default(),
            found: BTreeMap::new(),
            open: 0,
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
                t.found.insert(
                    (EvidenceKind::Term, k.term.clone(), k.favours.clone()),
                    (n.min(docs as usize), Vec::new()),
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
                        t.found.insert(
                            (EvidenceKind::Concept, cc.concept.clone(), g.clone()),
                            (n.min(docs as usize), Vec::new()),
                        );
                    }
                }
                t.concepts.insert(cc.concept.clone(), gs);
            }
        }
        t.open = t.found.values().filter(|(want, _)| *want > 0).count();
        t
    }

    fn is_done(&self) -> bool {
        self.open == 0
    }

    /// Targets of `group` still short of examples.
    fn open_in(&self, group: &str) -> usize {
        self.found
            .iter()
            .filter(|((_, _, g), (want, v))| g == group && v.len() < *want)
            .count()
    }

    fn wants_term(&self, lang: Lang, term: &str, group: &str) -> bool {
        self.terms
            .get(&lang)
            .and_then(|m| m.get(term))
            .is_some_and(|g| g == group)
    }

    fn wants_concept(&self, id: &str, group: &str) -> bool {
        self.concepts
            .get(id)
            .is_some_and(|gs| gs.iter().any(|g| g == group))
    }

    fn offer(&mut self, r: EvidenceRecord) {
        let key = (r.kind, r.key.clone(), r.group.clone());
        if let Some((want, v)) = self.found.get_mut(&key) {
            // One example per document: more variety for the reader.
            if v.len() < *want && !v.iter().any(|x| x.doc_id == r.doc_id) {
                v.push(r);
                if v.len() == *want {
                    self.open -= 1;
                }
            }
        }
    }

    fn into_records(self) -> Vec<EvidenceRecord> {
        self.found.into_values().flat_map(|(_, v)| v).collect()
    }
}

/// Second pass: keyword-in-context examples for the top distinctive terms and
/// concepts. The examples of a target are its first documents in sorted file order
/// (one per document). The main pass recorded, for every term, the first
/// [`FirstFiles::CAP`] files containing it, and the report lists the documents
/// that mention each concept, so this pass reads only those candidate files, in
/// order; only a target still short after them (more examples asked than
/// [`FirstFiles::CAP`], or a match outside any sentence) sends it on through the
/// remaining files. The result does not depend on the thread count.
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
    for (concept, gs) in &targets.concepts {
        let Some(ci) = an.concepts().index_of(concept) else {
            continue;
        };
        for g in gs {
            let mut files = FirstFiles::default();
            for c in store
                .concepts
                .iter()
                .filter(|c| c.concept_index == ci && *c.group == **g)
            {
                // The file of the document (its ordinal in this run's file list).
                if let Some(l) = store.locs.get(c.doc as usize) {
                    files.insert(l.file);
                }
            }
            candidates.extend(files.files());
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let files = texts.len();
    let first: Vec<usize> = candidates
        .iter()
        .map(|&i| i as usize)
        .filter(|&i| i < files)
        .collect();
    evidence_in(an, texts, screen, &first, &mut targets);
    if !targets.is_done() {
        let rest: Vec<usize> = (0..files)
            .filter(|i| candidates.binary_search(&(*i as u32)).is_err())
            .collect();
        evidence_in(an, texts, screen, &rest, &mut targets);
    }
    targets.into_records()
}

/// Offers the examples found in `files` (in their order, a chunk at a time, stopping
/// once every target is filled), in the documents and text the analysis pass counted:
/// duplicates skipped, set-aside passages blanked.
fn evidence_in(
    an: &Analyzer,
    texts: &Reread,
    screen: &Screen,
    files: &[usize],
    targets: &mut EvidenceTargets,
) {
    for chunk in files.chunks(64) {
        if targets.is_done() {
            break;
        }
        let t: &EvidenceTargets = targets;
        let found: Vec<Vec<EvidenceRecord>> = chunk
            .par_iter()
            .map_init(Scratch::default, |scratch, &file| {
                let mut out = Vec::new();
                for mut doc in texts.docs(file) {
                    if screen.duplicate_of(&doc.meta.id).is_some() {
                        continue;
                    }
                    if let Some(s) = screen.strip(&doc.text) {
                        doc.text = s.kept;
                    }
                    if t.open_in(&doc.meta.group) > 0 {
                        find_evidence(an, doc, t, scratch, &mut out);
                    }
                }
                out
            })
            .collect();
        for recs in found {
            for r in recs {
                targets.offer(r);
            }
        }
    }
}

fn find_evidence(
    an: &Analyzer,
    doc: Document,
    targets: &EvidenceTargets,
    scratch: &mut Scratch,
    out: &mut Vec<EvidenceRecord>,
) {
    let (text, _) = an.tokenize_into(&doc.text, scratch, true);
    let group = &doc.meta.group;
    // (kind, key, lang, start, end)
    let mut matches: Vec<(EvidenceKind, String, Lang, usize, usize)> = Vec::new();
    for (t, term) in scratch.buf.iter() {
        if targets.wants_term(t.lang, term, group) {
            matches.push((
                EvidenceKind::Term,
                term.to_string(),
                t.lang,
                t.start as usize,
                t.end as usize,
            ));
        }
    }
    scratch.hits.clear();
    an.concepts().find(&scratch.buf, &mut scratch.hits);
    let toks = scratch.buf.tokens();
    for h in &scratch.hits {
        let id = an.concepts().id(h.concept);
        if !targets.wants_concept(id, group) {
            continue;
        }
        let (Some(f), Some(l)) = (toks.get(h.first as usize), toks.get(h.last as usize)) else {
            continue;
        };
        matches.push((
            EvidenceKind::Concept,
            id.to_string(),
            f.lang,
            f.start as usize,
            l.end as usize,
        ));
    }
    if matches.is_empty() {
        return;
    }
    let senti = an.sentiment().score_document(&text, &scratch.buf);
    for (kind, key, lang, start, end) in matches {
        let si = senti.sentences.partition_point(|s| s.end <= start);
        let (ss, se, score) = match senti.sentences.get(si) {
            Some(s) if s.start <= start && end <= s.end => (s.start, s.end, s.score as f64),
            _ => continue,
        };
        out.push(EvidenceRecord {
            kind,
            key,
            lang,
            group: group.clone(),
            doc_id: doc.meta.id.clone(),
            sentence: text[ss..se].to_string(),
            match_start: text[ss..start].chars().count() as u64,
            match_end: text[ss..end].chars().count() as u64,
            sentence_sentiment: report::round(score, 4),
        });
    }
}
