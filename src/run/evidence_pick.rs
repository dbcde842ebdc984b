//! Evidence, second half: picking the examples from the candidates the evidence pass
//! pooled, and quoting the winners' sentences as written.
//!
//! Picking goes round by round: in each round every term or concept still short of
//! examples takes one candidate, preferring a document it has not used yet, then a
//! sentence no other key has shown, then a sentence found in fewer of its documents
//! (a footer repeated in many comes last), then the source it has used least, then the
//! document used least by all examples, then the earliest in file order; a key never
//! shows the same sentence (same text) twice. So examples spread over documents and
//! sources, a document reaches a second example of the same key only when no other
//! document has one, and a sentence is shown under two keys only when one has no
//! other.

use super::evidence::{Pool, Reread};
use crate::corpus::Document;
use crate::dedupe::Screen;
use crate::lang::Lang;
use crate::report::{self, EvidenceKind, EvidenceRecord};
use crate::text::offsets::RawOffsets;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// What an example backs: (kind, term or concept id, group).
pub(super) type Key = (EvidenceKind, String, String);

/// A candidate example, as positions: nothing of its text is kept.
#[derive(Debug, Clone)]
pub(super) struct Cand {
    /// File (see [`Reread`]).
    pub(super) file: usize,
    /// Document of the file.
    pub(super) doc: usize,
    /// Document id.
    pub(super) doc_id: String,
    /// Hash of the document's source (its id when it has none).
    pub(super) source: u64,
    /// Hash of the sentence's normalized text.
    pub(super) sent: u64,
    /// Language of the match.
    pub(super) lang: Lang,
    /// Byte span of the sentence in the normalized text.
    pub(super) sentence: (usize, usize),
    /// Byte span of the match in the normalized text.
    pub(super) span: (usize, usize),
    /// Sentiment score of the sentence.
    pub(super) score: f64,
}

/// Picks the examples of every pool (see the module documentation); returns them by
/// key, each key's examples in file order.
pub(super) fn pick(pools: BTreeMap<Key, Pool>) -> Vec<(Key, Cand)> {
    let rounds = pools.values().map(|p| p.want).max().unwrap_or(0);
    let mut shown: FxHashSet<u64> = FxHashSet::default();
    let mut doc_uses: FxHashMap<(usize, usize), u32> = FxHashMap::default();
    // Per pool: indices picked, and uses per source.
    let mut state: Vec<(Vec<usize>, FxHashMap<u64, u32>)> =
        pools.iter().map(|_| Default::default()).collect();
    // Per pool: documents whose candidates include each sentence (boilerplate such as
    // a footer repeats across documents; it is shown last).
    let copies: Vec<FxHashMap<u64, u32>> = pools
        .values()
        .map(|p| {
            let mut m: FxHashMap<u64, u32> = FxHashMap::default();
            for c in &p.cands {
                *m.entry(c.sent).or_default() += 1;
            }
            m
        })
        .collect();
    for _ in 0..rounds {
        for (((_, p), (picked, sources)), copies) in pools.iter().zip(state.iter_mut()).zip(&copies)
        {
            if picked.len() >= p.want {
                continue;
            }
            let best = p
                .cands
                .iter()
                .enumerate()
                .filter(|(i, c)| {
                    !picked.contains(i) && !picked.iter().any(|&k| p.cands[k].sent == c.sent)
                })
                .min_by_key(|(i, c)| {
                    let doc = (c.file, c.doc);
                    (
                        picked
                            .iter()
                            .any(|&k| (p.cands[k].file, p.cands[k].doc) == doc),
                        shown.contains(&c.sent),
                        copies.get(&c.sent).copied().unwrap_or(0),
                        sources.get(&c.source).copied().unwrap_or(0),
                        doc_uses.get(&doc).copied().unwrap_or(0),
                        *i,
                    )
                });
            if let Some((i, c)) = best {
                picked.push(i);
                shown.insert(c.sent);
                *sources.entry(c.source).or_default() += 1;
                *doc_uses.entry((c.file, c.doc)).or_default() += 1;
            }
        }
    }
    let mut out = Vec::new();
    for ((key, p), (mut picked, _)) in pools.into_iter().zip(state) {
        picked.sort_unstable_by_key(|&i| {
            let c = &p.cands[i];
            (c.file, c.doc, c.sentence.0)
        });
        for i in picked {
            if let Some(c) = p.cands.get(i) {
                out.push((key.clone(), c.clone()));
            }
        }
    }
    out
}

/// The records of the picked examples: each winner's document is read once more and
/// its sentence quoted as written (the normalized spans mapped back to the text as
/// written, see [`RawOffsets`]), with the match in characters of that sentence.
pub(super) fn quote(
    texts: &Reread,
    screen: &Screen,
    picked: Vec<(Key, Cand)>,
) -> Vec<EvidenceRecord> {
    let mut by_file: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, (_, c)) in picked.iter().enumerate() {
        by_file.entry(c.file).or_default().push(i);
    }
    let files: Vec<(usize, Vec<usize>)> = by_file.into_iter().collect();
    let quoted: Vec<Vec<(usize, EvidenceRecord)>> = files
        .par_iter()
        .map(|(file, idx)| {
            // Only the documents quoted from are kept.
            let wanted: FxHashSet<usize> = idx.iter().map(|&i| picked[i].1.doc).collect();
            let mut docs: FxHashMap<usize, Document> = FxHashMap::default();
            texts.each_doc(*file, |d, doc| {
                if wanted.contains(&d) {
                    docs.insert(d, doc);
                }
            });
            let mut maps: FxHashMap<usize, Option<RawOffsets>> = FxHashMap::default();
            let mut out = Vec::new();
            for &i in idx {
                let ((kind, key, group), c) = &picked[i];
                let Some(doc) = docs.get_mut(&c.doc).filter(|d| d.meta.id == c.doc_id) else {
                    continue;
                };
                let map = maps.entry(c.doc).or_insert_with(|| {
                    // The text the analysis pass counted: set-aside passages blanked,
                    // as the candidates' offsets were taken on it (once a quoted
                    // document, the others are never stripped).
                    if let Some(s) = screen.strip(&doc.text) {
                        doc.text = s.kept;
                    }
                    RawOffsets::new(&doc.text)
                });
                if let Some(r) = record(&doc.text, map.as_ref(), c) {
                    out.push((
                        i,
                        EvidenceRecord {
                            kind: *kind,
                            key: key.clone(),
                            lang: c.lang,
                            group: group.clone(),
                            doc_id: c.doc_id.clone(),
                            sentence: r.0,
                            match_start: r.1,
                            match_end: r.2,
                            sentence_sentiment: report::round(c.score, 4),
                        },
                    ));
                }
            }
            out
        })
        .collect();
    let mut all: Vec<(usize, EvidenceRecord)> = quoted.into_iter().flatten().collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// The sentence of `c` as written in `raw`, with the match's start and end in
/// characters of it; from the normalized text when the offsets cannot be mapped.
fn record(raw: &str, map: Option<&RawOffsets>, c: &Cand) -> Option<(String, u64, u64)> {
    let quote = |text: &str, s: (usize, usize), m: (usize, usize)| {
        let (ms, me) = (m.0.clamp(s.0, s.1), m.1.clamp(s.0, s.1));
        let sentence = text.get(s.0..s.1)?;
        let a = text.get(s.0..ms)?.chars().count() as u64;
        let b = a + text.get(ms..me.max(ms))?.chars().count() as u64;
        Some((sentence.to_string(), a, b))
    };
    match map {
        Some(m) => quote(
            raw,
            (m.start(c.sentence.0), m.end(c.sentence.1)),
            (m.start(c.span.0), m.end(c.span.1)),
        ),
        None => quote(&crate::text::normalize(raw), c.sentence, c.span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(file: usize, source: u64, sent: u64) -> Cand {
        Cand {
            file,
            doc: 0,
            doc_id: format!("d{file}"),
            source,
            sent,
            lang: Lang::En,
            sentence: (0, 10),
            span: (0, 3),
            score: 0.0,
        }
    }

    fn pool(want: usize, cands: Vec<Cand>) -> Pool {
        Pool {
            want,
            docs: cands.len(),
            exist: cands.len(),
            cands,
        }
    }

    fn key(k: &str) -> Key {
        (EvidenceKind::Term, k.to_string(), "g".to_string())
    }

    #[test]
    fn picks_spread_over_documents_sources_and_sentences() {
        // Files 0-2 share source 1 and hold a footer sentence (7) for both keys; files
        // 3-5 have sources of their own and sentences of their own.
        let mut pools = BTreeMap::new();
        let footer = |f| cand(f, 1, 7);
        pools.insert(
            key("a"),
            pool(
                2,
                vec![
                    footer(0),
                    footer(1),
                    footer(2),
                    cand(3, 3, 30),
                    cand(4, 4, 40),
                ],
            ),
        );
        pools.insert(
            key("b"),
            pool(
                3,
                vec![footer(0), footer(1), cand(4, 4, 41), cand(5, 5, 50)],
            ),
        );
        let got = pick(pools);
        let of = |k: &str| -> Vec<(usize, u64)> {
            got.iter()
                .filter(|(key, _)| key.1 == k)
                .map(|(_, c)| (c.file, c.sent))
                .collect()
        };
        // Key a: sentences of one document each before the footer (in three).
        assert_eq!(of("a"), vec![(3, 30), (4, 40)]);
        // Key b: the footer only to make up the count.
        assert_eq!(of("b"), vec![(0, 7), (4, 41), (5, 50)]);
    }

    #[test]
    fn a_key_never_shows_a_sentence_twice() {
        let mut pools = BTreeMap::new();
        pools.insert(
            key("a"),
            pool(3, vec![cand(0, 0, 7), cand(1, 1, 7), cand(2, 2, 7)]),
        );
        let got = pick(pools);
        assert_eq!(got.len(), 1);
    }
}
