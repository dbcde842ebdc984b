//! Analysis of one document: tokens per language, term counts, sentiment, concept
//! mentions, into its report record.

use super::vocab::{Entry as VocabEntry, TermSink, Vocab, NOT_EXACT};
use super::Analyzer;
use crate::concepts::ConceptHit;
use crate::corpus::{DocMeta, Document};
use crate::lang::{self, Lang, Run};
use crate::report::{self, DocConceptRecord, DocRecord};
use crate::sentiment::{DocSentiment, Scan, TermRef, TokenRefs};
use crate::tokenize::{KindCounts, KindTally, TokenBuf, TokenKind};
use std::collections::BTreeMap;

/// Reusable per-thread buffers, and the thread's vocabulary (term ids with their
/// lexicon and concept facts, looked up once per distinct term; it grows with the
/// vocabulary of the documents analysed with this scratch, not with their number).
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) buf: TokenBuf,
    conv: String,
    pub(crate) hits: Vec<ConceptHit>,
    pub(crate) vocab: Vocab,
    /// Vocabulary entry of each token of the current document.
    tok_entries: Vec<VocabEntry>,
    /// Ids counted in the current document, with the index of their first token.
    touched: Vec<(u32, u32)>,
    /// Vocabulary hash of each token of the current document.
    hashes: Vec<u64>,
    /// The vocabulary id [`Vocab::prefetch_entry`] found for each token of the
    /// current document (`u32::MAX`: none), confirmed by its lookup.
    hints: Vec<u32>,
    /// Han variant tallies of the current document's runs, one a run.
    tallies: Vec<crate::text::han::VariantTally>,
}

/// Analysis of one document: its record, term counts, concepts and sentiment.
#[derive(Debug, Clone)]
pub struct DocAnalysis {
    /// The report record.
    pub record: DocRecord,
    /// Term counts (language, term, count), sorted.
    pub terms: Vec<(Lang, String, u32)>,
    /// Word tokens and their characters, per language.
    pub tokens_by_lang: BTreeMap<Lang, (u64, u64)>,
    /// Concept mentions.
    pub concepts: Vec<DocConceptRecord>,
    /// Lexicon coverage per language.
    pub coverage: BTreeMap<Lang, crate::aggregate::Coverage>,
    /// Special tokens by kind (URLs, e-mail addresses, …, numbers, dates).
    pub special: KindCounts,
}

/// Tokens whose vocabulary records [`ask_ahead`] asks for at once.
const PREFETCH_BLOCK: usize = crate::config::VOCAB_PREFETCH_BLOCK;

/// The sentiment facts of a document's tokens, from their vocabulary entries (by
/// token index).
struct EntryRefs<'a>(&'a [VocabEntry]);

impl TokenRefs for EntryRefs<'_> {
    #[inline]
    fn term_ref(&self, k: usize) -> TermRef {
        self.0[k].senti
    }
    #[inline]
    fn scan(&self, k: usize) -> Scan {
        self.0[k].scan
    }
}

/// Asks for the vocabulary records (facts, key and document count in one line) of
/// the [`PREFETCH_BLOCK`] tokens from token `from` on (of hashes `hashes`), without
/// waiting for them ([`Vocab::prefetch_entry`]), and notes the id found for each in
/// `hints` (as long as `hashes`), for its lookup to confirm. Called a block ahead of
/// their lookups: a block's requests go out together, in a loop of their own, and
/// arrive while the lookups of the block before are made.
#[inline]
fn ask_ahead(vocab: &Vocab, (hashes, hints): (&[u64], &mut [u32]), from: usize) {
    let (Some(block), Some(hints)) = (hashes.get(from..), hints.get_mut(from..)) else {
        return;
    };
    for (&h, hint) in block.iter().zip(hints).take(PREFETCH_BLOCK) {
        *hint = u32::MAX;
        vocab.prefetch_entry(h, |id| *hint = id);
    }
}

impl Analyzer {
    /// Analyses one in-memory text (id and group `text`).
    pub fn analyze_text(&self, text: &str) -> DocRecord {
        let doc = Document::in_memory("text", "text", text);
        self.analyze_document(doc, &mut Scratch::default()).record
    }

    /// Normalizes `raw`, cuts it into script runs and tokenizes it into `scratch.buf`
    /// (stopwords flagged when `flag_stop`); returns the normalized text (all spans
    /// refer to it) and the runs.
    pub(crate) fn tokenize_into(
        &self,
        raw: &str,
        scratch: &mut Scratch,
        flag_stop: bool,
    ) -> (String, Vec<Run>) {
        self.tokenize_normalized_into(lang::normalize(raw), scratch, flag_stop)
    }

    /// [`Self::tokenize_into`] of a text already normalized (`lang::normalize`'s
    /// output, which it leaves as it is): the same tokens, without normalizing again.
    pub(crate) fn tokenize_normalized_into(
        &self,
        text: String,
        scratch: &mut Scratch,
        flag_stop: bool,
    ) -> (String, Vec<Run>) {
        let tok = &self.models.tokenizer;
        let runs = tok.detector().runs_tallied(&text, &mut scratch.tallies);
        scratch.buf.clear();
        tok.tokenize_runs_with(
            &text,
            &runs,
            Some(&scratch.tallies),
            &mut scratch.buf,
            &mut scratch.conv,
            flag_stop,
        );
        (text, runs)
    }

    /// Analyses one document with reusable buffers.
    pub fn analyze_document(&self, doc: Document, scratch: &mut Scratch) -> DocAnalysis {
        let mut terms: Vec<(Lang, String, u32)> = Vec::new();
        let mut a = self.analyze_with(doc, scratch, |_, l, t: &str, c, _, _| {
            terms.push((l, t.to_owned(), c))
        });
        terms.sort_unstable();
        a.terms = terms;
        a
    }

    /// [`Analyzer::analyze_document`] without an owned copy of each term: the term counts
    /// go to `sink` (vocabulary id, language, term, count, word tokens of the term's
    /// language, vocabulary size), in no particular order (term tables are
    /// order-independent); the returned `terms` is empty.
    pub(crate) fn analyze_with(
        &self,
        doc: Document,
        scratch: &mut Scratch,
        mut sink: impl TermSink,
    ) -> DocAnalysis {
        let inner = self;
        // Stopword flags come from the vocabulary (one lookup per token for all facts).
        let (text, _) = self.tokenize_into(&doc.text, scratch, false);
        let Scratch {
            buf,
            hits,
            vocab,
            tok_entries,
            touched,
            hashes,
            hints,
            ..
        } = scratch;
        // Hash every token first, asking for its slot's cache line; then, a block of
        // tokens ahead of their lookups, for their records ([`ask_ahead`]):
        // the vocabulary is mostly in no cache, and the requests are on their way
        // while the loop works, where a load would wait.
        hashes.clear();
        hashes.extend(buf.tokens().iter().map(|t| {
            let h = Vocab::hash_of(t.lang, buf.term_bytes(t));
            vocab.prefetch_slot(h);
            h
        }));
        hints.clear();
        hints.resize(hashes.len(), u32::MAX);
        ask_ahead(vocab, (hashes, hints), 0);

        // (tokens, chars) per language, indexed by `Lang as usize`.
        let mut by_lang = [(0u64, 0u64, false); Lang::ALL.len()];
        let mut content = 0u64;
        let bytes = text.as_bytes();
        tok_entries.clear();
        touched.clear();
        // Tokens by kind, one array slot a kind (no branch per token).
        let mut tally: KindTally = [0; TokenKind::COUNT];
        let keep_special = inner.keep_special;
        for (k, (t, &h)) in buf.tokens().iter().zip(hashes.iter()).enumerate() {
            if k % PREFETCH_BLOCK == 0 {
                ask_ahead(vocab, (hashes, hints), k + PREFETCH_BLOCK);
            }
            // (The term's bytes: its string, with its checks of character
            // boundaries, only for a new term.)
            let term = buf.term_bytes(t);
            let hint = hints.get(k).copied().unwrap_or(u32::MAX);
            let entry = vocab.entry_hinted(hint, h, t.lang, term, || buf.term(t), &inner.models);
            tally[t.kind as usize] += 1;
            // URLs, addresses, handles … are no word of the run's language.
            if !t.kind.is_web() || keep_special {
                let e = &mut by_lang[t.lang as usize];
                e.2 = true;
                e.0 += 1;
                // The surface's characters: the term's (known once per term) when the
                // term is as long as the surface and the vocabulary says that then
                // suffices ([`VocabEntry::chars_of`]), else the bytes that are not
                // UTF-8 continuation bytes.
                let (s, en) = (t.start as usize, t.end as usize);
                e.1 += if entry.chars != NOT_EXACT && term.len() == en - s {
                    u64::from(entry.chars)
                } else {
                    crate::text::chars_in(bytes, s, en)
                };
            }
            tok_entries.push(entry);
            let id = entry.id;
            if (entry.stop && !inner.keep_stopwords) || (t.kind.is_special() && !keep_special) {
                continue;
            }
            content += 1;
            // (The count is in the record the lookup has just read.)
            if vocab.count(id) {
                touched.push((id, k as u32));
                sink.prefetch(id);
            }
        }
        let special = KindCounts::of_tally(&tally);
        let tokens_by_lang: BTreeMap<Lang, (u64, u64)> = Lang::ALL
            .iter()
            .filter(|l| by_lang[**l as usize].2)
            .map(|l| {
                let (n, c, _) = by_lang[*l as usize];
                (*l, (n, c))
            })
            .collect();
        let per_lang: BTreeMap<Lang, u64> =
            tokens_by_lang.iter().map(|(l, (n, _))| (*l, *n)).collect();
        let total: u64 = per_lang.values().sum();
        let main = per_lang
            .iter()
            .filter(|(l, _)| **l != Lang::Und)
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(l, _)| *l)
            .unwrap_or(Lang::Und);
        let zh_script = if per_lang.contains_key(&Lang::Zh) {
            // (Counted over the Chinese runs while they were tokenized.)
            Some(buf.han_counts().script().tag().to_string())
        } else {
            None
        };
        let lang_shares = per_lang
            .iter()
            .map(|(l, n)| (*l, report::round(*n as f64 / total.max(1) as f64, 4)))
            .collect();
        buf.set_stop(|k| tok_entries[k].stop);
        let buf = &*buf;
        let toks = buf.tokens();
        for &(id, k) in touched.iter() {
            let c = vocab.take_count(id);
            let t = &toks[k as usize];
            sink.add(
                id,
                t.lang,
                || buf.term(t),
                c,
                by_lang[t.lang as usize].0,
                vocab.len(),
            );
        }

        // Sentiment per sentence, then concepts and the sentences that mention them
        // (each token's lexicon entry and concept start from the vocabulary).
        let tok_entries = &*tok_entries;
        let senti: DocSentiment =
            inner
                .models
                .sentiment
                .score_with(&text, buf, EntryRefs(tok_entries));
        hits.clear();
        inner
            .models
            .matcher
            .find_with(buf, hits, |k| tok_entries[k].concept);
        let concepts = self.doc_concepts(&doc.meta, buf, &senti, hits);
        let mut coverage: BTreeMap<Lang, crate::aggregate::Coverage> = BTreeMap::new();
        for c in &senti.coverage {
            if c.tokens == 0 && c.sentences == 0 {
                continue;
            }
            coverage
                .entry(c.lang)
                .or_default()
                .add(&crate::aggregate::Coverage {
                    tokens: c.tokens,
                    hit_tokens: c.hit_tokens,
                    sentences: c.sentences,
                    hit_sentences: c.hit_sentences,
                });
        }
        let hit: Vec<&crate::sentiment::SentenceSentiment> = senti
            .sentences
            .iter()
            .filter(|s| !s.terms.is_empty())
            .collect();
        let hit_sum: f64 = hit.iter().map(|s| s.score as f64).sum();
        let r6 = |x: f64| report::round(x, 6);
        DocAnalysis {
            record: DocRecord {
                meta: doc.meta,
                lang: main,
                zh_script,
                lang_shares,
                chars: text.chars().count() as u64,
                tokens: total,
                content_tokens: content,
                tokens_by_lang: per_lang,
                sentences: senti.sentences.len() as u64,
                sentiment: r6(senti.score as f64),
                sentiment_label: crate::sentiment::Label::of(senti.score).as_str().into(),
                sentiment_sentence_mean: r6(senti.sentence_mean as f64),
                sentiment_hit_sum: r6(hit_sum),
                hit_sentences: hit.len() as u64,
                sentences_positive: senti.positive as u64,
                sentences_negative: senti.negative as u64,
                sentences_neutral: senti.neutral as u64,
                lexicon_token_coverage: r6(senti.token_coverage()),
                lexicon_sentence_coverage: r6(senti.sentence_coverage()),
                concept_mentions: hits.len() as u64,
                tokens_set_aside: 0,
                duplicates: Vec::new(),
            },
            terms: Vec::new(),
            tokens_by_lang,
            concepts,
            coverage,
            special,
        }
    }

    fn doc_concepts(
        &self,
        meta: &DocMeta,
        buf: &TokenBuf,
        senti: &DocSentiment,
        hits: &[ConceptHit],
    ) -> Vec<DocConceptRecord> {
        // concept → (mentions, zh, en, sentences seen)
        let mut by: BTreeMap<u32, (u64, u64, u64, Vec<usize>)> = BTreeMap::new();
        let toks = buf.tokens();
        for h in hits {
            let Some(t) = toks.get(h.first as usize) else {
                continue;
            };
            let e = by.entry(h.concept).or_default();
            e.0 += 1;
            match t.lang {
                Lang::Zh => e.1 += 1,
                Lang::En => e.2 += 1,
                _ => {}
            }
            let pos = t.start as usize;
            let si = senti.sentences.partition_point(|s| s.end <= pos);
            if si < senti.sentences.len()
                && senti.sentences[si].start <= pos
                && e.3.last() != Some(&si)
            {
                e.3.push(si);
            }
        }
        by.into_iter()
            .map(|(c, (m, z, en, sents))| DocConceptRecord {
                doc_id: meta.id.clone(),
                group: meta.group.clone(),
                concept: self.models.matcher.id(c).to_string(),
                concept_index: c,
                mentions: m,
                mentions_zh: z,
                mentions_en: en,
                sentences: sents.len() as u64,
                sentiment_sum: report::round(
                    sents.iter().map(|&i| senti.sentences[i].score as f64).sum(),
                    6,
                ),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Pipeline;

    fn pipeline() -> &'static Pipeline {
        static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
        P.get_or_init(|| Pipeline::builder().build().expect("pipeline builds"))
    }

    /// The characters per language of a document's record, by definition: those of
    /// the surfaces of its tokens (URLs, addresses … left out).
    fn chars_by_definition(an: &Analyzer, raw: &str) -> BTreeMap<Lang, u64> {
        let (text, buf) = an.tokenizer().tokenize(raw);
        let mut want: BTreeMap<Lang, u64> = BTreeMap::new();
        for t in buf.tokens() {
            if !t.kind.is_web() || an.keeps_special_tokens() {
                *want.entry(t.lang).or_default() +=
                    text[t.start as usize..t.end as usize].chars().count() as u64;
            }
        }
        want
    }

    fn chars_counted(an: &Analyzer, raw: &str) -> BTreeMap<Lang, u64> {
        let doc = Document::in_memory("d", "g", raw);
        let a = an.analyze_document(doc, &mut Scratch::default());
        a.tokens_by_lang
            .iter()
            .map(|(l, (_, c))| (*l, *c))
            .collect()
    }

    /// The characters of a token taken from its term (once per term) are those of
    /// its surface: possessives dropped (`Bitcoin's`, `SEC’s`), lowercasing that
    /// changes byte counts (`İ`, `ẞ`, `Ⱥ`), Traditional characters, special tokens.
    #[test]
    fn token_chars_are_those_of_the_surfaces() {
        let an = pipeline().analyzer();
        // One scratch for all texts too, so that terms are met again.
        let mut scratch = Scratch::default();
        let texts = [
            "Bitcoin's miners' SEC\u{2019}s rigs; bitcoin BITCOIN's",
            "\u{130}\u{1e9e} \u{23a}\u{23a}'s \u{23a}\u{23a}\u{2019}s \u{130}stanbul's na\u{ef}ve caf\u{e9} \u{130}\u{130}",
            "監管機構2021年1月2日整頓BTC挖礦，礦場 监管 3,000點 1.5亿 20%",
            "See https://Example.com/A?b=C and @Handle #HashTag 0xABCDEF12 2021-01-02",
            "比特幣礦場遷往Texas，USDT的市值\u{130}\u{1e9e}公司iPhone的價格",
        ];
        for raw in texts {
            assert_eq!(
                chars_counted(an, raw),
                chars_by_definition(an, raw),
                "{raw:?}"
            );
            let doc = Document::in_memory("d", "g", raw);
            let a = an.analyze_document(doc, &mut scratch);
            let got: BTreeMap<Lang, u64> = a
                .tokens_by_lang
                .iter()
                .map(|(l, (_, c))| (*l, *c))
                .collect();
            assert_eq!(
                got,
                chars_by_definition(an, raw),
                "{raw:?} (terms met before)"
            );
        }
    }

    /// A document many prefetch blocks long, analysed twice with one scratch (the
    /// second time every term is known, its id out of text order), counts every term
    /// as its tokens do: the lookups ahead of the loop change nothing.
    #[test]
    fn long_documents_count_every_token_of_every_term() {
        let an = pipeline().analyzer();
        let words: Vec<String> = (0..301u32)
            .map(|i| format!("w{}x", (i * 7919) % 1000))
            .collect();
        let mut raw: String = (0..3000usize)
            .map(|k| words[(k * k + 3 * k) % words.len()].as_str())
            .collect::<Vec<_>>()
            .join(" ");
        raw.push_str(" 比特幣礦場遷往Texas，監管機構整頓挖礦 the of 3,000");
        let (_, buf) = an.tokenizer().tokenize(&raw);
        let mut want: BTreeMap<(Lang, String), u32> = BTreeMap::new();
        for t in buf.tokens() {
            if !t.stop && !t.kind.is_special() {
                *want.entry((t.lang, buf.term(t).to_owned())).or_default() += 1;
            }
        }
        assert!(want.len() > 2 * PREFETCH_BLOCK);
        let mut scratch = Scratch::default();
        for round in 0..2 {
            let doc = Document::in_memory("d", "g", &raw);
            let a = an.analyze_document(doc, &mut scratch);
            let got: BTreeMap<(Lang, String), u32> = a
                .terms
                .iter()
                .map(|(l, t, c)| ((*l, t.clone()), *c))
                .collect();
            assert_eq!(got, want, "round {round}");
        }
    }

    /// A document's sentiment from its tokens' vocabulary entries (each term's
    /// [`TermRef`] and [`Scan`] kept once) is the model's own, as for a text scored
    /// alone: for terms met the first time and again, for a phrase opened by a term
    /// with no fact of its own (`cashing in`: [`Scan::Opener`]), negators, degree words
    /// and Chinese back-offs.
    #[test]
    fn sentiment_from_the_vocabulary_is_the_models() {
        let an = pipeline().analyzer();
        let model = an.sentiment();
        assert_eq!(model.lookup(Lang::En, "cashing").scan(), Scan::Opener);
        assert_eq!(model.lookup(Lang::En, "the").scan(), Scan::Plain);
        assert_eq!(model.lookup(Lang::En, "good").scan(), Scan::Pick);
        let texts = [
            "They are cashing in.",
            "The miners are not very happy, but the outlook is good!",
            "监管机构整顿挖矿，矿工们非常不满意。前景很好。",
            "比特幣礦場遷往Texas，they are cashing in; 市场很糟糕 :)",
        ];
        let mut scratch = Scratch::default();
        for round in 0..2 {
            for raw in texts {
                let (text, buf) = an.tokenizer().tokenize(raw);
                let want = model.score_document(&text, &buf);
                assert!(want.score != 0.0, "{raw:?} scores");
                let doc = Document::in_memory("d", "g", raw);
                let a = an.analyze_document(doc, &mut scratch);
                let r = &a.record;
                assert_eq!(
                    r.sentiment,
                    report::round(want.score as f64, 6),
                    "{raw:?} round {round}"
                );
                assert_eq!(
                    r.lexicon_token_coverage,
                    report::round(want.token_coverage(), 6),
                    "{raw:?} round {round}"
                );
                let hits = want.sentences.iter().filter(|s| !s.terms.is_empty());
                assert_eq!(r.hit_sentences, hits.count() as u64, "{raw:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_token_chars_are_those_of_the_surfaces(
            raw in "[aBZ19 ,.'\u{2019}s+#礦场比特币監管é\u{301}\u{130}\u{1e9e}\u{23a}K@:/-]{0,40}"
        ) {
            let an = pipeline().analyzer();
            proptest::prop_assert_eq!(chars_counted(an, &raw), chars_by_definition(an, &raw));
        }
    }
}
