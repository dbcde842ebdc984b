//! A worker's vocabulary: every distinct (language, term) a worker thread meets gets a
//! small integer id, and what the later stages need to know about the term — its
//! sentiment-lexicon entry ([`SentimentModel::lookup`], lengthened-word fallback
//! included) and its node in the concept trie ([`ConceptMatcher::start_node`]) — is
//! looked up once per term instead of once per token.
//!
//! With ids, a document's term counts and a group's term table are plain arrays
//! ([`DenseTerms`]); they are turned back into string-keyed
//! [`TermTable`](crate::aggregate::TermTable)s once, when the worker's aggregate is
//! merged. Ids are local to one worker and never leave it, so the report does not
//! depend on which worker met a term first.

use crate::aggregate::{FirstFiles, TermStat, TermTable};
use crate::concepts::{ConceptMatcher, StartNode};
use crate::lang::Lang;
use crate::sentiment::{SentimentModel, TermRef};
use crate::tokenize::Tokenizer;
use compact_str::CompactString;
use rustc_hash::FxHashMap;

/// What is known about one term of a [`Vocab`]: its id and facts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// Term id (dense, from 0, in the order the terms were met).
    pub id: u32,
    /// Sentiment-lexicon entry.
    pub senti: TermRef,
    /// Concept trie node reached by the term from the root.
    pub concept: StartNode,
    /// On the stopword list of its language.
    pub stop: bool,
}

/// Term ids of one worker, one map per language. The facts live beside the id in the
/// map, so the one lookup per token brings them along.
#[derive(Debug, Default)]
pub(crate) struct Vocab {
    maps: [FxHashMap<CompactString, Entry>; Lang::ALL.len()],
    len: u32,
}

impl Vocab {
    /// The entry of `term` in `lang`, adding it (and looking its facts up) when new.
    /// The same models must be passed every time.
    #[inline]
    pub(crate) fn entry(
        &mut self,
        lang: Lang,
        term: &str,
        tokenizer: &Tokenizer,
        senti: &SentimentModel,
        matcher: &ConceptMatcher,
    ) -> Entry {
        let map = &mut self.maps[lang as usize];
        if let Some(&e) = map.get(term) {
            return e;
        }
        let e = Entry {
            id: self.len,
            senti: senti.lookup(lang, term),
            concept: matcher.start_node(term),
            stop: tokenizer.is_stopword(lang, term),
        };
        self.len += 1;
        map.insert(CompactString::from(term), e);
        e
    }

    /// Distinct terms so far.
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// Adds the terms of `other` (a vocabulary built with the same models) that this
    /// one lacks, and returns, for every id of `other`, the id of the same term here.
    /// The facts of an added term are copied, not looked up again.
    pub(crate) fn absorb(&mut self, other: &Vocab) -> Vec<u32> {
        let mut ids = vec![u32::MAX; other.len()];
        let len = &mut self.len;
        for (mine, theirs) in self.maps.iter_mut().zip(&other.maps) {
            for (t, e) in theirs {
                let id = match mine.get(t) {
                    Some(m) => m.id,
                    None => {
                        let id = *len;
                        *len += 1;
                        mine.insert(t.clone(), Entry { id, ..*e });
                        id
                    }
                };
                if let Some(slot) = ids.get_mut(e.id as usize) {
                    *slot = id;
                }
            }
        }
        ids
    }

    /// Every (language, term, id).
    fn terms(&self) -> impl Iterator<Item = (Lang, &str, u32)> + '_ {
        Lang::ALL
            .iter()
            .zip(&self.maps)
            .flat_map(|(l, m)| m.iter().map(move |(t, e)| (*l, t.as_str(), e.id)))
    }
}

/// A worker's statistics of one term in one group: a [`TermStat`] in 24 bytes instead
/// of 32 (a worker's document frequency fits 32 bits), as there is one per group for
/// every id of the worker's vocabulary.
#[derive(Debug, Clone, Copy, Default)]
struct DenseStat {
    count: u64,
    doc_freq: u32,
    first_files: FirstFiles,
    /// Σc² and Σc·n over documents, as in [`TermStat`].
    count_sq: u64,
    count_tokens: u64,
}

/// A group's term statistics indexed by [`Vocab`] id.
#[derive(Debug, Default)]
pub(crate) struct DenseTerms(Vec<DenseStat>);

impl DenseStat {
    /// Adds `o`, as [`TermStat::add`] does.
    fn add(&mut self, o: &DenseStat) {
        self.count += o.count;
        self.doc_freq += o.doc_freq;
        self.first_files.merge(&o.first_files);
        self.count_sq = self.count_sq.saturating_add(o.count_sq);
        self.count_tokens = self.count_tokens.saturating_add(o.count_tokens);
    }
}

impl DenseTerms {
    /// Makes index `i` valid, growing by a quarter at a time (not doubling: there is
    /// an array per group the size of the vocabulary, and its slack is memory).
    #[inline]
    fn grow_to(&mut self, i: usize, vocab_len: usize) {
        if i >= self.0.len() {
            let want = vocab_len.max(i + 1);
            if want > self.0.capacity() {
                let grown = (self.0.capacity() + self.0.capacity() / 4).max(want);
                self.0.reserve_exact(grown - self.0.len());
            }
            self.0.resize(want, DenseStat::default());
        }
    }

    /// Adds `count` occurrences of term `id` in one document of file `file` with
    /// `doc_tokens` word tokens of the term's language.
    #[inline]
    pub(crate) fn add(
        &mut self,
        id: u32,
        count: u32,
        doc_tokens: u64,
        file: u32,
        vocab_len: usize,
    ) {
        let i = id as usize;
        self.grow_to(i, vocab_len);
        let s = &mut self.0[i];
        let c = u64::from(count);
        s.count += c;
        s.doc_freq += 1;
        s.first_files.insert(file);
        s.count_sq = s.count_sq.saturating_add(c.saturating_mul(c));
        s.count_tokens = s.count_tokens.saturating_add(c.saturating_mul(doc_tokens));
    }

    /// Adds `other`, whose ids are those of a vocabulary absorbed into this one's
    /// ([`Vocab::absorb`] gave `ids`), leaving arrays sized at most `vocab_len`.
    pub(crate) fn absorb(&mut self, other: DenseTerms, ids: &[u32], vocab_len: usize) {
        for (s, &i) in other.0.iter().zip(ids) {
            if s.doc_freq == 0 || i == u32::MAX {
                continue;
            }
            let i = i as usize;
            self.grow_to(i, vocab_len);
            self.0[i].add(s);
        }
    }

    /// Moves the statistics into `table`, keyed by the terms of `vocab`.
    pub(crate) fn drain_into(&mut self, vocab: &Vocab, table: &mut TermTable) {
        for (lang, term, id) in vocab.terms() {
            if let Some(s) = self.0.get(id as usize).filter(|s| s.doc_freq > 0) {
                let s = TermStat {
                    count: s.count,
                    doc_freq: u64::from(s.doc_freq),
                    count_sq: s.count_sq,
                    count_tokens: s.count_tokens,
                    first_files: s.first_files,
                };
                table.add_stat(lang, term, &s);
            }
        }
        self.0 = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> (Tokenizer, SentimentModel, ConceptMatcher) {
        let senti = SentimentModel::builder().build().unwrap();
        let tok = Tokenizer::builder().build().unwrap();
        let m = ConceptMatcher::new(&crate::concepts::Glossary::shipped(), &tok);
        (tok, senti, m)
    }

    #[test]
    fn ids_are_per_language_and_facts_match_direct_lookups() {
        let (tok, senti, m) = parts();
        let mut v = Vocab::default();
        let a = v.entry(Lang::En, "good", &tok, &senti, &m);
        let b = v.entry(Lang::En, "bitcoin", &tok, &senti, &m);
        assert_eq!(v.entry(Lang::En, "good", &tok, &senti, &m).id, a.id);
        let c = v.entry(Lang::Zh, "good", &tok, &senti, &m);
        assert_ne!(a.id, c.id);
        assert_ne!(a.id, b.id);
        assert_eq!(v.len(), 3);
        for (l, t, e) in [
            (Lang::En, "good", a),
            (Lang::En, "bitcoin", b),
            (Lang::Zh, "good", c),
        ] {
            assert_eq!(e.senti, senti.lookup(l, t));
            assert_eq!(e.concept, m.start_node(t));
            assert_eq!(e.stop, tok.is_stopword(l, t));
        }
        assert!(!v
            .entry(Lang::En, "blockchain", &tok, &senti, &m)
            .senti
            .is_known());
        assert!(v.entry(Lang::En, "the", &tok, &senti, &m).stop);
        assert!(v.entry(Lang::Zh, "的", &tok, &senti, &m).stop);
        assert!(a.senti.is_known());
        assert_ne!(b.concept, StartNode::NONE);
        // A lengthened word resolves through its collapsed form.
        let g = v.entry(Lang::En, "goooood", &tok, &senti, &m);
        assert!(g.senti.is_known());
    }

    #[test]
    fn absorbed_vocabularies_give_the_table_of_one_vocabulary() {
        let (tok, senti, m) = parts();
        // Two workers meet overlapping terms in different orders.
        let a_docs: &[(Lang, &str, u32)] = &[
            (Lang::En, "mining", 2),
            (Lang::Zh, "矿场", 1),
            (Lang::En, "ban", 1),
        ];
        let b_docs: &[(Lang, &str, u32)] = &[
            (Lang::Zh, "比特币", 4),
            (Lang::En, "ban", 3),
            (Lang::En, "mining", 1),
        ];
        let (mut va, mut vb, mut one) = (Vocab::default(), Vocab::default(), Vocab::default());
        let (mut da, mut db, mut d1) = (
            DenseTerms::default(),
            DenseTerms::default(),
            DenseTerms::default(),
        );
        for (file, &(l, t, c)) in a_docs.iter().enumerate() {
            let id = va.entry(l, t, &tok, &senti, &m).id;
            da.add(id, c, 7, file as u32, va.len());
            let id = one.entry(l, t, &tok, &senti, &m).id;
            d1.add(id, c, 7, file as u32, one.len());
        }
        for (file, &(l, t, c)) in b_docs.iter().enumerate() {
            let file = file as u32 + 10;
            let id = vb.entry(l, t, &tok, &senti, &m).id;
            db.add(id, c, 7, file, vb.len());
            let id = one.entry(l, t, &tok, &senti, &m).id;
            d1.add(id, c, 7, file, one.len());
        }
        let ids = va.absorb(&vb);
        assert_eq!(va.len(), one.len());
        assert!(ids.iter().all(|&i| (i as usize) < va.len()));
        // Facts travel with the term.
        let e = va.entry(Lang::Zh, "比特币", &tok, &senti, &m);
        assert_eq!(e.concept, m.start_node("比特币"));
        da.absorb(db, &ids, va.len());
        let (mut merged, mut direct) = (TermTable::default(), TermTable::default());
        da.drain_into(&va, &mut merged);
        d1.drain_into(&one, &mut direct);
        assert_eq!(merged, direct);
        let s = merged.get(Lang::En, "ban").unwrap();
        assert_eq!((s.count, s.doc_freq), (4, 2));
        assert_eq!(s.first_files.files().collect::<Vec<_>>(), vec![2, 11]);
    }

    #[test]
    fn dense_stats_stay_small() {
        // One per group for every id of a worker's vocabulary: count, document
        // frequency and first files (24 bytes), and the two sums of the
        // document-level test.
        assert_eq!(std::mem::size_of::<DenseStat>(), 40);
    }

    #[test]
    fn entries_stay_small() {
        // A vocabulary bucket (24-byte key + entry) should fit one cache line.
        assert!(
            std::mem::size_of::<Entry>() <= 32,
            "{}",
            std::mem::size_of::<Entry>()
        );
    }

    #[test]
    fn dense_terms_drain_to_the_same_table_as_string_counting() {
        let (tok, senti, m) = parts();
        let mut v = Vocab::default();
        let mut dense = DenseTerms::default();
        let mut direct = TermTable::default();
        let docs: [&[(Lang, &str, u32)]; 3] = [
            &[(Lang::En, "mining", 2), (Lang::Zh, "矿场", 1)],
            &[(Lang::Zh, "矿场", 3), (Lang::En, "ban", 1)],
            &[(Lang::En, "mining", 1)],
        ];
        for (file, doc) in docs.iter().enumerate() {
            for &(l, t, c) in doc.iter() {
                let id = v.entry(l, t, &tok, &senti, &m).id;
                // The document's tokens of the term's language.
                let n: u64 = doc
                    .iter()
                    .filter(|x| x.0 == l)
                    .map(|x| u64::from(x.2))
                    .sum();
                dense.add(id, c, n, file as u32, v.len());
                direct.add_term_in(l, t, c, n, file as u32);
            }
        }
        let mut table = TermTable::default();
        dense.drain_into(&v, &mut table);
        assert_eq!(table, direct);
        let s = table.get(Lang::Zh, "矿场").unwrap();
        assert_eq!((s.count, s.doc_freq), (4, 2));
        // Σc² = 1 + 9; Σc·n = 1·1 + 3·3.
        assert_eq!((s.count_sq, s.count_tokens), (10, 10));
        assert_eq!(s.first_files.files().collect::<Vec<_>>(), vec![0, 1]);
    }
}
