//! The scoring engine: one code path for every language, driven by [`LangResources`].
//! A document is scored sentence by sentence: the sentence's units
//! ([`SentimentModel::build_units`]), the rules over them
//! ([`SentimentModel::score_units`]), then emphasis and normalization; the document
//! score is the normalization of the summed raw sums of the distinct sentences with a
//! lexicon match, capped at [`crate::config::DOC_SCORE_SENTENCES`] sentences' worth of
//! their mean (so it does not grow with the length of the text, nor with repetition).

use super::emoticon::{emoticon_sentences, emoticon_spans};
use super::index::{TermRef, TokenRefs};
use super::lexicon::LangResources;
use super::units::{Sentence, Unit};
use super::{DocSentiment, Label, LangCoverage, SentenceSentiment, SentimentModel};
use crate::lang::Lang;
use crate::tokenize::TokenBuf;

/// [`lang_index`] of each language, indexed by `Lang as u8`: one load instead of
/// the compares of a `match` (pinned against the `match` in tests), and as long as
/// a byte has values (no bounds check).
const LANG_INDEX: [u8; 256] = {
    let mut t = [2u8; 256];
    t[Lang::Zh as usize] = 0;
    t[Lang::En as usize] = 1;
    t
};

/// The resources' index of a language: 0 Chinese, 1 English, 2 any other.
#[inline]
pub(super) fn lang_index(l: Lang) -> u8 {
    LANG_INDEX[usize::from(l as u8)]
}

/// The word tokens (not numeric) of `toks` per language (`lang_index`), counted one
/// by one (what [`SentimentModel::scan_tokens`] counts as it passes over them).
fn lang_counts(toks: &[crate::tokenize::Token]) -> [usize; 3] {
    let mut lc = [0usize; 3];
    for t in toks.iter().filter(|t| !t.numeric) {
        lc[lang_index(t.lang) as usize] += 1;
    }
    lc
}

/// The `!` and `?` bytes of `b`: (exclamation marks, question marks). Counted in
/// blocks of at most 255 bytes into byte-wide counters, which the compiler turns
/// into vector compares (the byte-by-byte count of a `filter` kept 64-bit counters;
/// pinned against it in tests).
#[inline]
fn count_marks(b: &[u8]) -> (usize, usize) {
    let (mut excl, mut qm) = (0usize, 0usize);
    for blk in b.chunks(255) {
        let (mut e, mut q) = (0u8, 0u8);
        for &x in blk {
            e += u8::from(x == b'!');
            q += u8::from(x == b'?');
        }
        excl += usize::from(e);
        qm += usize::from(q);
    }
    (excl, qm)
}

#[inline]
fn normalize(x: f32, alpha: f32) -> f32 {
    if x == 0.0 {
        0.0
    } else {
        (x / (x * x + alpha).sqrt()).clamp(-1.0, 1.0)
    }
}

/// A sentence's text as the key of the set of distinct sentences of a document:
/// equal when the texts are equal, hashed by their length and at most 16 bytes at
/// each end (not every byte of a long sentence; pinned against the set of the texts
/// in tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SentenceKey<'a>(&'a str);

impl std::hash::Hash for SentenceKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        let b = self.0.as_bytes();
        h.write_usize(b.len());
        h.write(&b[..b.len().min(16)]);
        h.write(&b[b.len().saturating_sub(16)..]);
    }
}

/// Reusable buffers of sentence scoring (see [`SentimentModel::sentence_score`]).
#[derive(Debug, Default)]
pub(crate) struct SentenceScratch {
    /// The sentence's rule units.
    units: Vec<Unit>,
    /// Joined terms of a run of tokens that may be a multi-token key.
    joined: String,
    /// The sentence's emoticons: (start, end, valence).
    emo_spans: Vec<(u32, u32, f32)>,
    /// The [`TermRef`]s of the sentence's tokens ([`SentimentModel::sentence_score`]).
    refs: Vec<TermRef>,
    /// The tokens the units are built of, and their clauses
    /// ([`SentimentModel::scan_tokens`]).
    picks: Vec<(u32, u32)>,
    /// Build units and run the rules for every sentence and token, also those the
    /// skip of sentences whose units have no valence and the shortcut of
    /// [`super::index::TermRef::plain`] leave out (to pin them in tests).
    always_rules: bool,
}

impl SentimentModel {
    #[inline]
    pub(super) fn res(&self, idx: u8) -> Option<&LangResources> {
        match idx {
            0 => Some(&self.zh),
            1 => Some(&self.en),
            _ => None,
        }
    }

    /// Scores a document. `text` is the normalized text the spans of `tokens` refer to
    /// (as returned by [`crate::tokenize::Tokenizer::tokenize`]).
    ///
    /// Each sentence ([`crate::sentence::split`]) is scored with the rules of its
    /// tokens' language; see [`DocSentiment`] for what the document score is.
    pub fn score_document(&self, text: &str, tokens: &TokenBuf) -> DocSentiment {
        // Each token's facts looked up once (the scoring reads them more than once).
        let refs: Vec<TermRef> = tokens
            .iter()
            .map(|(t, term)| self.lookup(t.lang, term))
            .collect();
        self.score_with(text, tokens, |k| refs.get(k).copied().unwrap_or_default())
    }

    /// Whether the Latin words of a document mix ALL-CAPS and other words: VADER's
    /// condition for ALL-CAPS emphasis, taken over the whole document (`caps` is the
    /// tokenizer's `all_caps` of the surface form).
    pub(crate) fn caps_differ(tokens: &TokenBuf) -> bool {
        // (Up to the first word of each kind.)
        let (mut caps_words, mut other_words) = (false, false);
        for t in tokens.tokens() {
            if t.lang.is_latin() && !t.numeric {
                if t.caps {
                    caps_words = true;
                } else {
                    other_words = true;
                }
                if caps_words && other_words {
                    return true;
                }
            }
        }
        false
    }

    /// The score of one sentence of a document, `text[span.0..span.1]` as
    /// [`crate::sentence::split`] gives it, with the rules of its tokens' language:
    /// the `score` of its [`SentenceSentiment`] in [`SentimentModel::score_document`],
    /// without scoring the other sentences. `cap_diff` is
    /// [`SentimentModel::caps_differ`] of the document.
    pub(crate) fn sentence_score(
        &self,
        text: &str,
        tokens: &TokenBuf,
        span: (usize, usize),
        cap_diff: bool,
        scr: &mut SentenceScratch,
    ) -> f32 {
        let toks = tokens.tokens();
        let first = toks.partition_point(|t| (t.start as usize) < span.0);
        let n = toks[first..]
            .iter()
            .take_while(|t| (t.end as usize) <= span.1)
            .count();
        // The sentence's tokens' facts, looked up once (the scoring reads them more
        // than once).
        let mut cache = std::mem::take(&mut scr.refs);
        cache.clear();
        cache.extend(
            toks[first..first + n]
                .iter()
                .map(|t| self.lookup(t.lang, tokens.term(t))),
        );
        let refs = |k: usize| {
            k.checked_sub(first)
                .and_then(|i| cache.get(i))
                .copied()
                .unwrap_or_default()
        };
        let (s, _, _) = self.score_sentence(text, tokens, first, span, true, &refs, cap_diff, scr);
        scr.refs = cache;
        s.score
    }

    /// Scores the sentence `span` of `text` whose tokens are those of `tokens` from
    /// `first` on that end within it: the sentence, its word tokens per language
    /// (`lang_index`), and the index after its last token. Leaves the sentence's units
    /// and emoticons in `scr`. `may_emo`: whether the sentence may hold an emoticon
    /// ([`emoticon_sentences`]); if not, it is not scanned for them.
    #[allow(clippy::too_many_arguments)]
    fn score_sentence(
        &self,
        text: &str,
        tokens: &TokenBuf,
        first: usize,
        span: (usize, usize),
        may_emo: bool,
        refs: &impl TokenRefs,
        cap_diff: bool,
        scr: &mut SentenceScratch,
    ) -> (SentenceSentiment, [usize; 3], usize) {
        let (s_start, s_end) = span;
        let all = tokens.tokens();
        let stext = &text[s_start..s_end];
        // The sentence's tokens (those from `first` on that end within it), those
        // the units are built of, and the word tokens per language, in one pass.
        let rest = all.get(first..).unwrap_or_default();
        // (The shortcut a constant of each copy of the loop: no test of it per token.)
        let (n, mut lc) = if scr.always_rules {
            self.scan_tokens::<false>(text, tokens, rest, first, s_end, refs, &mut scr.picks)
        } else {
            self.scan_tokens::<true>(text, tokens, rest, first, s_end, refs, &mut scr.picks)
        };
        let stoks = &rest[..n];
        let last = first + n;
        if scr.always_rules {
            // (Counted apart, to pin the count of the pass in tests.)
            lc = lang_counts(stoks);
        }
        // Emoticons (English resources only hold them), where the document's scan
        // for them finds some may be.
        scr.emo_spans.clear();
        if may_emo && !self.en.emoticons.is_empty() {
            emoticon_spans(
                &self.en.emoticons,
                &self.emo_filter,
                stext,
                s_start,
                &mut scr.emo_spans,
            );
        }
        let sent = Sentence {
            text,
            tokens,
            first,
            stoks,
            stext,
            emo_spans: &scr.emo_spans,
        };
        self.build_units(
            sent,
            refs,
            &scr.picks,
            &mut scr.units,
            &mut scr.joined,
            !scr.always_rules,
        );
        // Sentence language: majority of its word tokens.
        let slang_idx = if lc[0] == 0 && lc[1] == 0 && lc[2] == 0 {
            if stext
                .chars()
                .any(|c| crate::lang::script_of(c) == Some(crate::lang::Script::Han))
            {
                0
            } else {
                1
            }
        } else if lc[0] >= lc[1] && lc[0] >= lc[2] {
            0
        } else if lc[1] >= lc[2] {
            1
        } else {
            2
        };
        // The rules score the units with a valence and the emoticons only: without
        // either (a sentence with no token that can carry a valence, `may_score`, or
        // whose tokens that can got none in their context) they find no hit, and
        // are not run.
        let hits = if scr.always_rules
            || !scr.emo_spans.is_empty()
            || scr.units.iter().any(|u| u.has_valence)
        {
            self.score_units(sent, &mut scr.units, cap_diff)
        } else {
            Vec::new()
        };
        let sres = self.res(slang_idx).unwrap_or(&self.en);
        let sp = &sres.params;
        let mut raw: f32 = hits.iter().map(|h| h.score).sum();
        if raw != 0.0 {
            let (excl, qm) = count_marks(stext.as_bytes());
            let excl = excl.min(sp.max_exclamations as usize);
            let mut amp = excl as f32 * sp.exclamation_step;
            if sp.question_emphasis && qm > 1 {
                amp += if qm <= 3 { qm as f32 * 0.18 } else { 0.96 };
            }
            raw += raw.signum() * amp;
        }
        let raw = self.scale.apply_idx(slang_idx, raw);
        let score = normalize(raw, sp.alpha);
        let sentence = SentenceSentiment {
            start: s_start,
            end: s_end,
            lang: [Lang::Zh, Lang::En, Lang::Und][slang_idx as usize],
            raw,
            score,
            label: Label::of(score),
            terms: hits,
        };
        (sentence, lc, last)
    }

    /// [`SentimentModel::score_document`] with the facts of token `k` from `refs`
    /// (its [`TermRef`] must equal [`SentimentModel::lookup`] of the token's language
    /// and term, and its [`super::Scan`] that of the `TermRef`; a worker's vocabulary
    /// caches them).
    pub(crate) fn score_with(
        &self,
        text: &str,
        tokens: &TokenBuf,
        refs: impl TokenRefs,
    ) -> DocSentiment {
        self.score_doc(text, tokens, refs, SentenceScratch::default())
    }

    /// [`SentimentModel::score_with`] with the sentence scratch `scr`.
    fn score_doc(
        &self,
        text: &str,
        tokens: &TokenBuf,
        refs: impl TokenRefs,
        mut scr: SentenceScratch,
    ) -> DocSentiment {
        let toks = tokens.tokens();
        let sentences = crate::sentence::split(text);
        let cap_diff = Self::caps_differ(tokens);
        // The sentences that may hold an emoticon, in one scan of the document.
        let mut maybe = Vec::new();
        emoticon_sentences(
            &self.en.emoticons,
            &self.emo_filter,
            text,
            &sentences,
            &mut maybe,
        );
        let mut cov = [
            LangCoverage::default(),
            LangCoverage::default(),
            LangCoverage::default(),
        ];
        for (i, l) in [Lang::Zh, Lang::En, Lang::Und].into_iter().enumerate() {
            cov[i].lang = l;
        }
        let mut out_sents = Vec::with_capacity(sentences.len());
        let mut ti = 0usize;
        let mut total_raw = 0f32;
        let mut doc_lang_counts = [0usize; 3];

        for (si, &(s_start, s_end)) in sentences.iter().enumerate() {
            // Tokens of this sentence.
            while ti < toks.len() && (toks[ti].start as usize) < s_start {
                ti += 1;
            }
            let (sentence, lc, last) = self.score_sentence(
                text,
                tokens,
                ti,
                (s_start, s_end),
                maybe.get(si).copied().unwrap_or(true),
                &refs,
                cap_diff,
                &mut scr,
            );
            ti = last;
            for k in 0..3 {
                doc_lang_counts[k] += lc[k];
                // (The sentence's word tokens of each language.)
                cov[k].tokens += lc[k] as u64;
            }
            total_raw += sentence.raw;
            let slang_idx = lang_index(sentence.lang) as usize;
            // Coverage.
            let mut sent_hit = [false; 3];
            for u in &scr.units {
                if u.has_valence {
                    let li = u.lang_idx as usize;
                    cov[li].hit_tokens += (u.tok_end - u.tok_start) as u64;
                    sent_hit[li] = true;
                }
            }
            if !scr.emo_spans.is_empty() {
                sent_hit[1] = true;
            }
            cov[slang_idx].sentences += 1;
            if sent_hit.iter().any(|&b| b) {
                cov[slang_idx].hit_sentences += 1;
            }
            out_sents.push(sentence);
        }
        let main_idx = if doc_lang_counts.iter().all(|&c| c == 0) {
            if text
                .chars()
                .any(|c| crate::lang::script_of(c) == Some(crate::lang::Script::Han))
            {
                0
            } else {
                1
            }
        } else if doc_lang_counts[0] >= doc_lang_counts[1]
            && doc_lang_counts[0] >= doc_lang_counts[2]
        {
            0
        } else if doc_lang_counts[1] >= doc_lang_counts[2] {
            1
        } else {
            2
        };
        let alpha = self.res(main_idx).unwrap_or(&self.en).params.alpha;
        let (mut hit_n, mut hit_sum) = (0usize, 0f32);
        // The document score counts each distinct matching sentence once (a sentence
        // repeated word for word, as a refrain or a pasted line, adds nothing new).
        let (mut distinct_n, mut distinct_raw) = (0usize, 0f32);
        // (Sized for every matching sentence at once: no growth while it fills.)
        let matching = out_sents.iter().filter(|s| !s.terms.is_empty()).count();
        let mut seen: rustc_hash::FxHashSet<SentenceKey<'_>> =
            rustc_hash::FxHashSet::with_capacity_and_hasher(matching, Default::default());
        for s in out_sents.iter().filter(|s| !s.terms.is_empty()) {
            hit_n += 1;
            hit_sum += s.score;
            if seen.insert(SentenceKey(
                text.get(s.start..s.end).unwrap_or_default().trim(),
            )) {
                distinct_n += 1;
                distinct_raw += s.raw;
            }
        }
        // The summed raw score of a text of up to DOC_SCORE_SENTENCES distinct sentences
        // with a lexicon match (VADER's compound of a tweet), and beyond that their mean
        // raw sum times DOC_SCORE_SENTENCES: a longer text does not score higher, a
        // repeated text scores as the text once, and the sign is that of the sum.
        let full = crate::config::DOC_SCORE_SENTENCES;
        let score = if distinct_n == 0 {
            0.0
        } else {
            normalize(distinct_raw * (full / distinct_n as f32).min(1.0), alpha)
        };
        let sentence_mean = if hit_n == 0 {
            0.0
        } else {
            hit_sum / hit_n as f32
        };
        let coverage: Vec<LangCoverage> = cov
            .into_iter()
            .filter(|c| c.tokens > 0 || c.sentences > 0)
            .collect();
        DocSentiment {
            lang: [Lang::Zh, Lang::En, Lang::Und][main_idx as usize],
            score,
            raw: total_raw,
            sentence_mean,
            label: Label::of(score),
            positive: out_sents.iter().filter(|s| s.label == Label::Pos).count() as u32,
            negative: out_sents.iter().filter(|s| s.label == Label::Neg).count() as u32,
            neutral: out_sents.iter().filter(|s| s.label == Label::Neu).count() as u32,
            sentences: out_sents,
            coverage,
        }
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::super::emoticon::{emoticon_sentences, emoticon_spans, EmoFilter};
    use super::super::index::present;
    use super::super::index::TermIndex;
    use super::super::morphology::{morph_lookup, neg_affix_lookup};
    use super::super::units::{longest_key, may_score, phrase_match};
    use super::*;
    use proptest::prelude::*;

    /// The emoticon scan as it was written before [`emoticon_spans`].
    fn reference_spans(
        emoticons: &rustc_hash::FxHashMap<Box<str>, f32>,
        stext: &str,
        s_start: usize,
    ) -> Vec<(u32, u32, f32)> {
        let mut out = Vec::new();
        let mut off = 0usize;
        for chunk in stext.split(|c: char| c.is_whitespace()) {
            let cs = off;
            off += chunk.len() + 1;
            if chunk.is_empty() || chunk.len() > 12 || chunk.chars().all(char::is_alphanumeric) {
                continue;
            }
            let v = emoticons.get(chunk).copied().or_else(|| {
                if !chunk.is_ascii() {
                    return None;
                }
                emoticons.get(chunk.to_ascii_lowercase().as_str()).copied()
            });
            if let Some(v) = v {
                let a = (s_start + cs) as u32;
                out.push((a, a + chunk.len() as u32, v));
            }
        }
        out
    }

    fn model() -> &'static SentimentModel {
        static M: std::sync::OnceLock<SentimentModel> = std::sync::OnceLock::new();
        M.get_or_init(|| SentimentModel::builder().build().expect("model builds"))
    }

    fn emoticons() -> &'static rustc_hash::FxHashMap<Box<str>, f32> {
        static E: std::sync::OnceLock<rustc_hash::FxHashMap<Box<str>, f32>> =
            std::sync::OnceLock::new();
        E.get_or_init(|| {
            let mut m = model().en.emoticons.clone();
            // Non-ASCII and letter-bounded keys too, to exercise the filter.
            m.insert("é:".into(), 1.5);
            m.insert("x-d".into(), 0.5);
            // Keys of 12 bytes (found) and 13 (longer than any chunk looked up).
            m.insert("(-_-)(-_-)ab".into(), 0.25);
            m.insert("(-_-)(-_-)abc".into(), 0.75);
            m
        })
    }

    fn check(m: &rustc_hash::FxHashMap<Box<str>, f32>, f: &EmoFilter, s: &str) {
        let mut got = Vec::new();
        emoticon_spans(m, f, s, 7, &mut got);
        assert_eq!(got, reference_spans(m, s, 7), "{s:?}");
    }

    #[test]
    fn shipped_emoticons_are_anchored() {
        // The shipped keys all hold ASCII punctuation: the anchored scan is the one
        // that runs, and the engine skips its punctuation pre-scan. A key without
        // (whitespace aside) turns it off; keys with whitespace never match.
        assert!(model().emo_filter.anchored());
        assert!(EmoFilter::new([":)", "( '}{' )", "ab", "ok 1"]).anchored());
        assert!(!EmoFilter::new([":)", "♥"]).anchored());
        assert!(!EmoFilter::new(["x→"]).anchored());
        // Where the scan jumps to: every chunk it must try holds an anchor.
        let with = ["x-d", "é:", "</3", "^_^", "\\o/", "$_$"];
        for k in with {
            let f = EmoFilter::new([k]);
            assert!(f.anchored(), "{k}");
            let mut got = Vec::new();
            let m: rustc_hash::FxHashMap<Box<str>, f32> = [(k.into(), 1.0)].into_iter().collect();
            let s = format!("a {k} b {} c", k.to_uppercase());
            emoticon_spans(&m, &f, &s, 0, &mut got);
            assert_eq!(got, reference_spans(&m, &s, 0), "{k}");
            assert!(!got.is_empty(), "{k}");
        }
    }

    #[test]
    fn emoticon_scan_matches_reference() {
        let m = emoticons();
        let f = EmoFilter::new(m.keys().map(|k| &**k));
        for s in [
            "",
            " ",
            ":) great :( bad",
            "X-D X-d x-D é: É: :D :d",
            "a\u{a0}:)\u{3000}:(\u{85}:P\u{2028};)",
            "trailing :)  ",
            "\t:)\n\r:(\u{b}:P\u{c}",
            "(: <3 </3 :-) ;-) =) 8)",
            // Ideographs glued to emoticons and around ideographic spaces.
            "比特币:) 涨了 :( 跌了\u{3000}:P 好:D\u{3000}坏 ;)矿场",
            // Anchors in and past the 16-byte blocks, chunks of 12 and 13 bytes.
            "abcdefghijklmnop :) abcdefghijklmnopqrstuvwxyz :( x.",
            "abcdefghij:) abcdefghi:) abcdefghijk:) :)abcdefghijk :)abcdefghij",
            "\u{2028}\u{2028} abcdefghijklmnopqrstuvwxyz\u{85}\u{85}\u{85} :D ;) <3",
            "................ :) ,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,, :( !!!!!!!!!!!!!!!!!! :P",
            "(-_-)(-_-)ab (-_-)(-_-)abc (-_-)(-_-)AB\u{85}(-_-)(-_-)ABC :)",
            // Prose: words before `.` and `,`, contractions, Chinese around commas,
            // URLs; chunks that hold bytes of no key, next to ones that match.
            "The crackdown, however, was TERRIBLE. Miners :) don't stop; U.S. e.g. x.",
            "矿场，监管:(。好:D，坏 比特币,:P 涨了,跌了 :-Þ :Þ Þ: é:,é: \u{3000}é:",
            "see http://x.com/a?b=c&d=:) or (x):) <3,<3 :),:( xD XD x-D, X-d.",
        ] {
            check(m, &f, s);
        }
        // The 12-byte key is found (lowercased too), the 13-byte one never.
        let mut got = Vec::new();
        emoticon_spans(
            m,
            &f,
            "(-_-)(-_-)ab (-_-)(-_-)abc (-_-)(-_-)AB",
            0,
            &mut got,
        );
        assert_eq!(got, vec![(0, 12, 0.25), (27, 39, 0.25)]);
    }

    /// Checks [`emoticon_sentences`] of `text` against [`emoticon_spans`] of each of
    /// its sentences: with an anchored filter a sentence is flagged exactly when it
    /// holds an emoticon, without one whenever it does. The flagged sentences, and
    /// the sentences.
    fn check_sentences(
        m: &rustc_hash::FxHashMap<Box<str>, f32>,
        f: &EmoFilter,
        text: &str,
    ) -> (usize, usize) {
        let sentences = crate::sentence::split(text);
        let mut flags = vec![true; 3];
        emoticon_sentences(m, f, text, &sentences, &mut flags);
        assert_eq!(flags.len(), sentences.len(), "{text:?}");
        for (&(a, b), &flag) in sentences.iter().zip(&flags) {
            let mut got = Vec::new();
            emoticon_spans(m, f, &text[a..b], a, &mut got);
            if f.anchored() {
                assert_eq!(flag, !got.is_empty(), "{:?} in {text:?}", &text[a..b]);
            } else {
                assert!(flag || got.is_empty(), "{:?} in {text:?}", &text[a..b]);
            }
        }
        (flags.iter().filter(|&&x| x).count(), flags.len())
    }

    #[test]
    fn emoticons_next_to_any_whitespace_are_found() {
        // The anchor test passes over the neighbours of an anchor that end or start
        // a non-ASCII whitespace character (and only there does it look no
        // further): an emoticon between any two of them is found, as by the
        // reference scan; one glued to an ideograph is not.
        let m = emoticons();
        let f = EmoFilter::new(m.keys().map(|k| &**k));
        let ws: Vec<char> = ('\u{80}'..=char::MAX)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(ws.len(), 19);
        for &a in &ws {
            for &z in &ws {
                let s = format!("x{a}:){z}y{a}:D{z}比特币:({a}<3");
                let mut got = Vec::new();
                emoticon_spans(m, &f, &s, 2, &mut got);
                assert_eq!(got, reference_spans(m, &s, 2), "{s:?}");
                assert_eq!(got.len(), 3, "{s:?}");
            }
        }
    }

    #[test]
    fn caps_differ_stops_at_the_first_word_of_each_kind() {
        // As the count of every Latin word of the document had it.
        let tok = super::super::fixtures::tok();
        let counted = |buf: &crate::tokenize::TokenBuf| {
            let latin = |caps: bool| {
                buf.tokens()
                    .iter()
                    .filter(|t| t.lang.is_latin() && !t.numeric && t.caps == caps)
                    .count()
            };
            latin(true) > 0 && latin(false) > 0
        };
        let mut differ = 0;
        for raw in [
            "GREAT news, really",
            "great NEWS",
            "GREAT NEWS 100",
            "great news 100 OK",
            "比特币 GREAT 涨了",
            "比特币 great 涨了 BAD",
            "",
            "100 200",
        ] {
            let (_, buf) = tok.tokenize(raw);
            let want = counted(&buf);
            assert_eq!(SentimentModel::caps_differ(&buf), want, "{raw:?}");
            differ += usize::from(want);
        }
        assert!(differ >= 3, "{differ}");
    }

    #[test]
    fn emoticon_sentences_are_the_sentences_with_emoticons() {
        // One scan of the document flags the sentences whose own scan finds an
        // emoticon: emoticons at sentence ends and starts (where the sentence's
        // bounds, not the text's bytes, are a chunk's neighbours), glued to `。`,
        // after multi-byte whitespace, and anchors that are no emoticon.
        let m = emoticons();
        let f = EmoFilter::new(m.keys().map(|k| &**k));
        let text = "Great day :) really. Bad day. :( \n\nno emoticon here, said: so. \
                    好:)。:(比特币。跌了！:P 涨了\u{3000}:D。Ok o.o fine. x-d! \
                    e.g. U.S. (really) d: x.";
        let (flagged, n) = check_sentences(m, &f, text);
        assert!(flagged >= 4 && n - flagged >= 4, "{flagged} of {n}");
        // Keys without an anchor: no pre-scan, the sentences with punctuation.
        let mut m2 = m.clone();
        m2.insert("x→".into(), 2.0);
        let f2 = EmoFilter::new(m2.keys().map(|k| &**k));
        assert!(!f2.anchored());
        check_sentences(&m2, &f2, text);
        check_sentences(&m2, &f2, "a x→ b. c d. :) e");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn emoticon_sentences_on_random_text(
            s in "([a-zA-Z]{1,6}|[ \u{a0}\u{3000}\n]|:\\)|;-\\(|<3|:D|x-d|é:|o\\.o|比特币|[.,!?。:;()'\\-]){0,50}"
        ) {
            let m = emoticons();
            let f = EmoFilter::new(m.keys().map(|k| &**k));
            check_sentences(m, &f, &s);
        }

        #[test]
        fn emoticon_scan_matches_reference_on_random_text(
            s in "[ :;()=<3/DPpXx8\\-'a.,!?\u{a0}\u{85}\u{2028}\u{3000}\u{e9}\u{c9}\t\n]{0,40}"
        ) {
            let m = emoticons();
            let f = EmoFilter::new(m.keys().map(|k| &**k));
            let mut got = Vec::new();
            emoticon_spans(m, &f, &s, 3, &mut got);
            prop_assert_eq!(got, reference_spans(m, &s, 3));
        }

        #[test]
        fn sentence_skip_on_random_documents(
            picks in proptest::collection::vec((0usize..1 << 20, 0usize..64), 0..16)
        ) {
            let raw = skip_doc(&picks);
            let (fast, full) = fast_and_full(&raw);
            prop_assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{:?}", raw);
        }

        #[test]
        fn emoticon_scan_matches_reference_on_long_text(
            s in "([a-zA-Z0-9]{1,9}|[ \u{a0}\u{85}\u{3000}\u{2028}\n]|:\\)|;-\\(|<3|:D|XD|x-d|X-D|é:|É:|比特币|[.,!?'\\-]|[a-z]{13,20}[:;]){0,60}"
        ) {
            // Sentences longer than the 16-byte blocks of the anchor search, with
            // emoticons glued to words, multi-byte separators and chunks over 12 bytes.
            let m = emoticons();
            let f = EmoFilter::new(m.keys().map(|k| &**k));
            prop_assert!(f.anchored());
            let mut got = Vec::new();
            emoticon_spans(m, &f, &s, 5, &mut got);
            prop_assert_eq!(got, reference_spans(m, &s, 5));
        }

        #[test]
        fn emoticon_scan_without_anchors_matches_reference(
            s in "([a-z]{1,5}|[ \u{a0}\u{3000}]|x→|♥♥|:\\)|<3|[.,]){0,30}"
        ) {
            // A key with no ASCII punctuation (`x→`): not anchored, every chunk is
            // scanned, and that key is found too.
            let mut m = emoticons().clone();
            m.insert("x→".into(), 2.0);
            m.insert("♥♥".into(), 3.0);
            let f = EmoFilter::new(m.keys().map(|k| &**k));
            prop_assert!(!f.anchored());
            let mut got = Vec::new();
            emoticon_spans(&m, &f, &s, 5, &mut got);
            prop_assert_eq!(got, reference_spans(&m, &s, 5));
        }

        #[test]
        fn emoticon_scan_any_text(s in "\\PC{0,40}") {
            let m = emoticons();
            let f = EmoFilter::new(m.keys().map(|k| &**k));
            let mut got = Vec::new();
            emoticon_spans(m, &f, &s, 0, &mut got);
            prop_assert_eq!(got, reference_spans(m, &s, 0));
        }
    }

    #[test]
    fn cached_fallback_equals_direct_rules() {
        let model = model();
        let r = &model.en;
        let idx = &model.idx[1];
        for term in [
            "happily",
            "unhappy",
            "charmless",
            "stopped",
            "loved",
            "lovely",
            "likely",
            "goodness",
            "good",
            "the",
            "unlike",
            "painless",
            "hopelessness",
            "bitcoin",
        ] {
            let want = if idx.valence(term).is_some() {
                None
            } else if let Some(v) = morph_lookup(idx, term) {
                Some(v * r.params.morphology)
            } else {
                neg_affix_lookup(idx, term)
                    .map(|v| v * r.params.negation_factor * r.params.morphology)
            };
            let got = present(model.lookup(Lang::En, term).fallback);
            assert_eq!(got.map(f32::to_bits), want.map(f32::to_bits), "{term}");
        }
        // Chinese has no morphology: no fallback.
        assert!(model.lookup(Lang::Zh, "好好").fallback.is_nan());
    }

    #[test]
    fn spelling_flags_equal_the_direct_tests() {
        // What `lookup` keeps of a term's spelling is what `build_units` tested per
        // token before: an English `…n't` negator, and `least` where tokens join with
        // a space.
        let model = model();
        let (mut nt, mut least) = (0, 0);
        for (lang, r) in [(Lang::En, &model.en), (Lang::Zh, &model.zh)] {
            for term in [
                "don't", "isn't", "wasn’t", "can't", "won’t", "ain't", "it't", "don'", "least",
                "at", "leasts", "not", "never", "without", "不", "好", "'t", "n't",
            ] {
                let info = model.lookup(lang, term).info;
                let want_nt = (term.ends_with("'t") || term.ends_with("’t")) && r.is_negator(term);
                let want_least = term == "least" && r.params.phrase_join == " ";
                assert_eq!(info.nt_negator(), want_nt, "{term}");
                assert_eq!(info.least(), want_least, "{term}");
                nt += usize::from(want_nt);
                least += usize::from(want_least);
            }
        }
        assert!(nt >= 5 && least == 1, "{nt} {least}");
    }

    /// The phrase search as it was written before [`longest_key`]: every length,
    /// longest first.
    fn reference_longest(
        idx: &super::super::index::TermIndex,
        joined: &str,
        ends: &[usize],
        max_chars: usize,
    ) -> Option<usize> {
        (2..=ends.len()).rev().find(|&len| {
            let key = &joined[..ends[len - 1]];
            key.chars().count() <= max_chars && idx.get(key).is_some_and(phrase_match)
        })
    }

    #[test]
    fn phrase_search_from_the_shortest_finds_the_longest_key() {
        // Every key a phrase can match, cut into tokens at its join points (Chinese:
        // single characters, and pairs), followed by the first piece of the next key,
        // at most `max_phrase_tokens` tokens: the search that stops early finds what
        // the exhaustive one finds.
        let model = model();
        let (mut runs, mut found) = (0usize, 0usize);
        for (res, idx) in [(&model.zh, &model.idx[0]), (&model.en, &model.idx[1])] {
            let join = res.params.phrase_join;
            let mut keys: Vec<&str> = res
                .valence
                .keys()
                .chain(res.intensifiers.keys())
                .map(|k| &**k)
                .chain(res.negators.iter().map(|k| &**k))
                .chain(res.concessive.iter().map(|k| &**k))
                .chain(res.irrealis.iter().map(|k| &**k))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            let cuts = |k: &str, step: usize| -> Vec<usize> {
                let mut c: Vec<usize> = if join.is_empty() {
                    k.char_indices()
                        .map(|(i, _)| i)
                        .skip(1)
                        .step_by(step)
                        .collect()
                } else {
                    k.match_indices(|c: char| join.starts_with(c) || c == '-')
                        .map(|(i, _)| i)
                        .filter(|&i| i > 0)
                        .collect()
                };
                c.push(k.len());
                c
            };
            for (n, k) in keys.iter().enumerate() {
                let next = keys[(n + 1) % keys.len()];
                for step in [1, 2] {
                    let mut ends = cuts(k, step);
                    if ends.len() < 2 && step == 2 {
                        continue;
                    }
                    let mut joined = k.to_string();
                    // The next key's first token: a character, or a word.
                    let piece: String = if join.is_empty() {
                        next.chars().take(1).collect()
                    } else {
                        next.split([' ', '-']).next().unwrap_or("").to_string()
                    };
                    if !piece.is_empty() {
                        joined.push_str(if join.is_empty() { "" } else { " " });
                        joined.push_str(&piece);
                        ends.push(joined.len());
                    }
                    ends.truncate(res.params.max_phrase_tokens);
                    let got = longest_key(idx, &joined, &ends, res.max_key_chars).map(|g| g.0);
                    let want = reference_longest(idx, &joined, &ends, res.max_key_chars);
                    assert_eq!(got, want, "{joined:?} {ends:?}");
                    runs += 1;
                    found += usize::from(got.is_some());
                }
            }
        }
        // Many runs, and many of them match a multi-token key (not vacuous).
        assert!(runs > 10_000 && found > 1_000, "{runs} {found}");
    }

    #[test]
    fn one_sentence_scores_as_in_the_whole_document() {
        // The evidence pass scores only the sentences its examples fall in: each
        // sentence's score alone equals its score in the document, whatever the
        // document-wide conditions (ALL-CAPS mixing), languages and emoticons.
        let model = model();
        let tok = super::super::fixtures::tok();
        let mut scr = SentenceScratch::default();
        let mut scored = 0usize;
        for raw in [
            "The crackdown is TERRIBLE. But miners were happy :) Not bad at all!!",
            "THE CRACKDOWN IS TERRIBLE. MINERS ARE HAPPY.",
            "这并不是一个好消息。矿工们很失望，但海外媒体一片叫好！Bitcoin rallied?? It did not work.",
            "kind of good. sort of a let-down; well-made though",
            "",
            "。。。",
        ] {
            let (text, buf) = tok.tokenize(raw);
            let doc = model.score_document(&text, &buf);
            let caps = SentimentModel::caps_differ(&buf);
            for s in &doc.sentences {
                let alone = model.sentence_score(&text, &buf, (s.start, s.end), caps, &mut scr);
                assert_eq!(alone.to_bits(), s.score.to_bits(), "{raw:?} {:?}", &text[s.start..s.end]);
                scored += usize::from(s.score != 0.0);
            }
        }
        assert!(scored >= 6, "{scored}");
        // The document-wide condition matters: "TERRIBLE" among lowercase words is
        // emphasized, so scoring it without that condition differs.
        let (text, buf) = tok.tokenize("The crackdown is TERRIBLE. Fine.");
        let s = &model.score_document(&text, &buf).sentences[0];
        let plain = model.sentence_score(&text, &buf, (s.start, s.end), false, &mut scr);
        assert!(plain > s.score, "{plain} {}", s.score);
    }

    /// Words of every list of both languages (a sample of the long lists), emoticons,
    /// plain words, numbers and separators: the material of the skip test documents.
    fn skip_pool() -> &'static (Vec<String>, Vec<&'static str>) {
        static P: std::sync::OnceLock<(Vec<String>, Vec<&'static str>)> =
            std::sync::OnceLock::new();
        P.get_or_init(|| {
            let m = model();
            let mut words: Vec<String> = Vec::new();
            for r in [&m.zh, &m.en] {
                let lists: Vec<Vec<&str>> = vec![
                    r.valence.keys().map(|k| &**k).collect(),
                    r.intensifiers.keys().map(|k| &**k).collect(),
                    r.excess.keys().map(|k| &**k).collect(),
                    r.emoticons.keys().map(|k| &**k).collect(),
                    [
                        &r.negators,
                        &r.contrast,
                        &r.weak_negators,
                        &r.concessive,
                        &r.irrealis,
                        &r.property,
                        &r.rhetorical,
                        &r.verb_senses,
                        &r.subjects,
                        &r.neutral,
                    ]
                    .into_iter()
                    .flat_map(|l| l.iter().map(|k| &**k))
                    .collect(),
                ];
                for mut l in lists {
                    l.sort_unstable();
                    let step = (l.len() / 60).max(1);
                    words.extend(l.into_iter().step_by(step).map(str::to_owned));
                }
            }
            for w in [
                "矿场",
                "比特币",
                "监管",
                "太空",
                "不满意",
                "不太好",
                "太小",
                "好好",
                "the",
                "bitcoin",
                "miners",
                "TERRIBLE",
                "GREAT",
                "gooood",
                "unhappy",
                "hopelessness",
                "well-made",
                "kind of",
                "never so",
                "at least",
                "3,000",
                "2021年5月",
                "C++",
                "https://x.com/a",
                ":)",
                ":(",
                "<3",
                "happily",
                "charmless",
                "loved",
                "painless",
                "stopped",
                "好看",
                "棒极",
                "isn't",
                "wasn’t",
                "least",
                "at least",
                "very least",
                "don't",
                "like",
                "I like",
                "too long",
                "烂透",
                "吵死",
            ] {
                words.push(w.to_owned());
            }
            let seps = vec![
                " ", " ", " ", "", "", "，", "。", ". ", "! ", "? ", "?? ", "!!", "；", "\n\n",
                " - ", ", ", "：", "吗？",
            ];
            (words, seps)
        })
    }

    /// A document of `picks` (word index, separator index) from [`skip_pool`].
    fn skip_doc(picks: &[(usize, usize)]) -> String {
        let (words, seps) = skip_pool();
        let mut s = String::new();
        for &(w, p) in picks {
            s.push_str(&words[w % words.len()]);
            s.push_str(seps[p % seps.len()]);
        }
        s
    }

    /// Scores `raw` with the skip and with every sentence through the rules.
    fn fast_and_full(raw: &str) -> (DocSentiment, DocSentiment) {
        let (text, buf) = super::super::fixtures::tok().tokenize(raw);
        fast_and_full_of(&text, &buf)
    }

    /// [`fast_and_full`] of an already tokenized text.
    fn fast_and_full_of(
        text: &str,
        buf: &crate::tokenize::TokenBuf,
    ) -> (DocSentiment, DocSentiment) {
        let model = model();
        let fast = model.score_document(text, buf);
        let toks = buf.tokens();
        let refs = |k: usize| {
            toks.get(k)
                .map_or(TermRef::default(), |t| model.lookup(t.lang, buf.term(t)))
        };
        let scr = SentenceScratch {
            always_rules: true,
            ..Default::default()
        };
        (fast, model.score_doc(text, buf, refs, scr))
    }

    /// A xorshift stream from `seed`: each call gives a number below its argument.
    fn xorshift(mut x: u64) -> impl FnMut(usize) -> usize {
        move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        }
    }

    #[test]
    fn sparse_units_equal_the_dense_ones() {
        // The fast path gives units only to tokens with some fact; the rules that
        // look at neighbours (`never so`, excess after its marker, contrast and
        // concessive positions, negation windows, neg-raising) score as over one unit
        // per token, where plain words, numbers and emoticons stand in between.
        let model = model();
        let tok = super::super::fixtures::tok();
        let mut sparse = 0usize;
        for raw in [
            "It was never this good. It was never so good. Never this bad!",
            "I have never seen this good a film. never 3 good",
            "The queue was too long. The queue was too very long. too 3 long",
            "It is not the good one. Not 100 good. It is not good at all.",
            "I don't think the market is good. I don't think that this is good at all.",
            "Prices rose, but the outlook is bad. Although it was cheap, it was bad.",
            "Miners were happy :) but not :( really. at least it works; the very least.",
            "No new cases were reported. No. Oh no!",
            "这个 太 小 了。不 是 很 好。虽然 便宜，但是 很 差。难道 这 不 好 吗？",
            "kind of good. sort of a let-down; well-made though",
        ] {
            let (fast, full) = fast_and_full(raw);
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{raw:?}");
            // The fast path leaves the plain tokens out (it is the one measured).
            let (text, buf) = tok.tokenize(raw);
            let toks = buf.tokens();
            let mut scr = SentenceScratch::default();
            let refs = |k: usize| {
                toks.get(k)
                    .map_or(TermRef::default(), |t| model.lookup(t.lang, buf.term(t)))
            };
            let s = &fast.sentences[0];
            let first = toks.partition_point(|t| (t.start as usize) < s.start);
            let n = toks[first..]
                .iter()
                .take_while(|t| t.end as usize <= s.end)
                .count();
            let (_, _, last) = model.score_sentence(
                &text,
                &buf,
                first,
                (s.start, s.end),
                true,
                &refs,
                false,
                &mut scr,
            );
            assert_eq!(last, first + n);
            sparse += usize::from(scr.units.len() < n);
        }
        assert!(sparse >= 8, "{sparse}");
        // `never this good` intensifies: the sparse units hold no unit for `this`.
        let (text, buf) = tok.tokenize("never this good");
        let hit = &model.score_document(&text, &buf).sentences[0].terms[0];
        assert_eq!(hit.negated, 0);
    }

    #[test]
    fn key_openers_without_a_key_score_as_through_the_rules() {
        // Terms with no fact but the opening of a longer key (and maybe a fallback:
        // the character back-off, a suffix rule), in both languages, among plain and
        // stop words and the pieces of keys: where the phrase search finds no key,
        // the fast path gives such a token its fallback's unit, or none, and the
        // document scores as with every token through the rules.
        let model = model();
        let tok = super::super::fixtures::tok();
        // Per language, openers with a fallback, then openers without one.
        let mut openers: Vec<Vec<&str>> = Vec::new();
        for (li, lang) in [Lang::Zh, Lang::En].into_iter().enumerate() {
            for with_fallback in [true, false] {
                let mut ts: Vec<&str> = model.idx[li]
                    .terms()
                    .filter(|t| {
                        let r = model.lookup(lang, t);
                        r.bare()
                            && r.info.phrase_start()
                            && present(r.fallback).is_some() == with_fallback
                    })
                    .collect();
                ts.sort_unstable();
                let step = (ts.len() / 300).max(1);
                ts = ts.into_iter().step_by(step).collect();
                assert!(!ts.is_empty(), "{li} {with_fallback}");
                openers.push(ts);
            }
        }
        let others = [
            "的",
            "了",
            "是",
            "我们",
            "矿场",
            "比特币",
            "很",
            "好",
            "不",
            "the",
            "of",
            "a",
            "is",
            "bitcoin",
            "good",
            "not",
            "very",
            "3",
        ];
        let seps = [" ", "", "，", "。", ", ", ". ", "-"];
        let mut next = xorshift(0x6a09_e667_f3bc_c909u64);
        // Fast-path tokens seen: (with a fallback that gives a valence, without).
        let (mut with_value, mut without) = (0usize, 0usize);
        for _ in 0..1500 {
            let mut raw = String::new();
            for _ in 0..1 + next(10) {
                let w = match next(1 + openers.len()) {
                    0 => others[next(others.len())],
                    k => {
                        let l = &openers[k - 1];
                        l[next(l.len())]
                    }
                };
                raw.push_str(w);
                raw.push_str(seps[next(seps.len())]);
            }
            let (fast, full) = fast_and_full(&raw);
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{raw:?}");
            let (_, buf) = tok.tokenize(&raw);
            for t in buf.tokens() {
                let r = model.lookup(t.lang, buf.term(t));
                if t.numeric || !(r.bare() && r.info.phrase_start()) {
                    continue;
                }
                let hit = fast
                    .sentences
                    .iter()
                    .flat_map(|s| &s.terms)
                    .any(|h| h.start <= t.start && t.end <= h.end);
                if present(r.fallback).is_some() && hit {
                    with_value += 1;
                } else if present(r.fallback).is_none() {
                    without += 1;
                }
            }
        }
        // Both kinds occur often (the test is not vacuous).
        assert!(with_value > 300 && without > 300, "{with_value} {without}");
    }

    #[test]
    fn stop_word_key_openers_get_no_back_off() {
        // The shipped data has no Chinese key opener with a back-off that is also a
        // stopword, so the stopword branch of the fast path for key openers is pinned
        // here by marking every token a stopword: the fast path must then give such
        // a token no back-off unit, as the rules do.
        let model = model();
        let tok = super::super::fixtures::tok();
        let mut ts: Vec<&str> = model.idx[0]
            .terms()
            .filter(|t| {
                let r = model.lookup(Lang::Zh, t);
                r.bare() && r.info.phrase_start() && present(r.fallback).is_some()
            })
            .collect();
        ts.sort_unstable();
        let step = (ts.len() / 200).max(1);
        let raw: String = ts.iter().step_by(step).map(|t| format!("{t}，")).collect();
        let (text, mut buf) = tok.tokenize(&raw);
        let scored = |buf: &crate::tokenize::TokenBuf| fast_and_full_of(&text, buf);
        // Not stopwords: the back-off scores some of them (the test is not vacuous).
        let (open, _) = scored(&buf);
        let hits = |d: &DocSentiment| d.sentences.iter().map(|s| s.terms.len()).sum::<usize>();
        assert!(hits(&open) > 20, "{}", hits(&open));
        buf.set_stop(|_| true);
        let (fast, full) = scored(&buf);
        assert_eq!(format!("{fast:?}"), format!("{full:?}"));
        assert!(hits(&fast) < hits(&open), "{} {}", hits(&fast), hits(&open));
    }

    #[test]
    fn sentence_skip_equals_full_path() {
        // Documents of lexicon words, modifiers, emoticons and plain words: the
        // sentences `may_score` skips score (and count) as through the rules.
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        let (mut skipped, mut hit) = (0usize, 0usize);
        for _ in 0..4000 {
            let len = 1 + next(12);
            let picks: Vec<(usize, usize)> = (0..len).map(|_| (next(1 << 20), next(64))).collect();
            let raw = skip_doc(&picks);
            let (fast, full) = fast_and_full(&raw);
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{raw:?}");
            let (text, buf) = super::super::fixtures::tok().tokenize(&raw);
            let toks = buf.tokens();
            for s in &fast.sentences {
                let n = toks
                    .iter()
                    .filter(|t| t.start as usize >= s.start && t.end as usize <= s.end)
                    .filter(|t| may_score(&model().lookup(t.lang, buf.term(t))))
                    .count();
                skipped += usize::from(n == 0 && !text[s.start..s.end].contains(':'));
                hit += usize::from(!s.terms.is_empty());
            }
        }
        // Both kinds of sentences occur often (the test is not vacuous).
        assert!(skipped > 1000 && hit > 1000, "{skipped} {hit}");
    }

    #[test]
    fn cached_decomposition_equals_direct_rules() {
        // What `lookup` keeps per Chinese term (does `decompose` split it, and the
        // character back-off) is what the rules computed per token before.
        use super::super::morphology::morpheme_lookup;
        use super::super::units::decompose;
        let model = model();
        let (r, idx) = (&model.zh, &model.idx[0]);
        let (mut split, mut backoff) = (0, 0);
        for term in [
            "不满意",
            "不太好",
            "太小",
            "偏咸",
            "很好",
            "好看",
            "棒极",
            "烂透",
            "矿场",
            "比特币",
            "不",
            "好",
            "吵死",
            "不是很好",
            "监管",
            "太",
            "太太",
        ] {
            let got = model.lookup(Lang::Zh, term);
            if got.info.valence().is_some() {
                assert!(got.fallback.is_nan(), "{term}");
                continue;
            }
            let d = decompose(idx, term).is_some();
            assert_eq!(got.info.decomposes(), d, "{term}");
            let m = morpheme_lookup(r, term);
            assert_eq!(
                present(got.fallback).map(f32::to_bits),
                m.map(f32::to_bits),
                "{term}"
            );
            split += usize::from(d);
            backoff += usize::from(m.is_some());
        }
        // Both kinds occur (the test is not vacuous).
        assert!(split >= 2 && backoff >= 1, "{split} {backoff}");
        // English terms never carry the flag.
        assert!(!model.lookup(Lang::En, "unhappy").info.decomposes());
    }

    #[test]
    fn lang_index_table_equals_the_match() {
        for l in Lang::ALL {
            let want = match l {
                Lang::Zh => 0,
                Lang::En => 1,
                _ => 2,
            };
            assert_eq!(lang_index(l), want, "{l:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn mark_counts_equal_the_byte_filter(
            s in "([!?]{1,3}|[a-z ]{1,40}|[?!.]{0,300}|好！？|‼⁉){0,30}"
        ) {
            // Texts of every length around the 255-byte blocks, with up to
            // hundreds of marks (more than a byte counter holds over the whole text).
            let b = s.as_bytes();
            let want = (
                b.iter().filter(|&&x| x == b'!').count(),
                b.iter().filter(|&&x| x == b'?').count(),
            );
            prop_assert_eq!(count_marks(b), want);
        }
    }

    #[test]
    fn mark_counts_past_a_byte_counter() {
        // 255-byte blocks of nothing but marks: a counter per block never wraps.
        for n in [0, 1, 254, 255, 256, 510, 511, 1000] {
            let t = "!".repeat(n) + &"?".repeat(n / 2);
            assert_eq!(count_marks(t.as_bytes()), (n, n / 2), "{n}");
        }
    }

    /// Compares the phrase search that joins as it goes with the run joined up front
    /// and searched by `longest_key`, from every token of `raw` that opens a key, in
    /// every language's index; returns (searches, matches, searches that the pair
    /// filter ends before any lookup).
    fn check_phrase_runs(
        model: &SentimentModel,
        idx: &[TermIndex; 2],
        raw: &str,
    ) -> (usize, usize, usize) {
        use super::super::units::PhraseRun;
        let (text, buf) = super::super::fixtures::tok().tokenize(raw);
        let toks = buf.tokens();
        let (mut n, mut found, mut passed_over) = (0, 0, 0);
        let (mut a, mut b, mut ends) = (String::new(), String::new(), Vec::new());
        for i in 0..toks.len() {
            let li = lang_index(toks[i].lang);
            let (Some(r), Some(ix)) = (model.res(li), idx.get(li as usize)) else {
                continue;
            };
            let Some(info) = ix.get(buf.term(&toks[i])) else {
                continue;
            };
            if !info.phrase_start() || toks[i].numeric {
                continue;
            }
            let maxp = r.params.max_phrase_tokens.min(toks.len() - i);
            let run = PhraseRun {
                text: &text,
                tokens: &buf,
                stoks: &toks[i..i + maxp],
                join: r.params.phrase_join,
                limit: info.phrase_max_bytes as usize,
            };
            let got = run.longest(ix, &mut a, r.max_key_chars);
            run.build(&mut b, &mut ends);
            let want = longest_key(ix, &b, &ends, r.max_key_chars);
            assert_eq!(
                got.map(|(l, e)| (l, *e)),
                want.map(|(l, e)| (l, *e)),
                "{raw:?} at {:?}",
                buf.term(&toks[i])
            );
            n += 1;
            found += usize::from(got.is_some());
            passed_over += usize::from(
                toks.get(i + 1)
                    .is_some_and(|t| !ix.may_join(buf.term(&toks[i]), buf.term(t))),
            );
        }
        (n, found, passed_over)
    }

    /// Multi-token keys of both languages (a sample), cut into the text with plain
    /// words and every kind of gap between tokens.
    fn phrase_doc(next: &mut impl FnMut(usize) -> usize, keys: &[&str]) -> String {
        let gaps = [" ", "", "-", "  ", ", ", "\n", "。", " - "];
        let plain = [
            "the", "bitcoin", "矿场", "好", "不", "3", "kind", "of", "very", "没有",
        ];
        let mut s = String::new();
        for _ in 0..1 + next(10) {
            if next(3) == 0 {
                s.push_str(plain[next(plain.len())]);
            } else {
                let k = keys[next(keys.len())];
                // The key, or its words with another gap between them.
                if next(2) == 0 {
                    s.push_str(k);
                } else {
                    let g = gaps[next(gaps.len())];
                    s.push_str(&k.split(' ').collect::<Vec<_>>().join(g));
                }
            }
            s.push_str(gaps[next(gaps.len())]);
        }
        s
    }

    #[test]
    fn phrase_search_joining_as_it_goes_equals_the_joined_run() {
        // Documents of multi-token keys (valence, degree, negator, concessive and
        // irrealis phrases), their pieces and plain words: from every token that
        // opens a key, the search finds what the search of the whole run finds, with
        // the shipped index (no entry longer than the longest valence key: no
        // character count) and with one that has a longer entry (the bound applies).
        let model = model();
        let mut keys: Vec<&str> = Vec::new();
        for r in [&model.zh, &model.en] {
            let mut ks: Vec<&str> = r
                .valence
                .keys()
                .chain(r.intensifiers.keys())
                .map(|k| &**k)
                .chain(r.negators.iter().map(|k| &**k))
                .chain(r.concessive.iter().map(|k| &**k))
                .chain(r.irrealis.iter().map(|k| &**k))
                .filter(|k| k.contains(' ') || k.contains('-') || k.chars().count() >= 3)
                .collect();
            ks.sort_unstable();
            let step = (ks.len() / 400).max(1);
            keys.extend(ks.into_iter().step_by(step));
        }
        // An English degree phrase longer than every valence key.
        let mut en = model.en.clone();
        let long = format!("so {} indeed", "x".repeat(en.max_key_chars));
        en.intensifiers.insert(long.clone().into_boxed_str(), 1.5);
        let long_idx = [model.idx[0].clone(), TermIndex::new(&en)];
        assert!(!model.idx[0].long_keys() && !model.idx[1].long_keys());
        assert!(long_idx[1].long_keys());
        keys.push(&long);
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
        // The long key is cut at the bound: found by neither search.
        let raw = format!("It was {long}, {}.", long.replace(' ', "  "));
        assert_eq!(check_phrase_runs(model, &long_idx, &raw).0, 2, "{raw}");
        assert_eq!(check_phrase_runs(model, &long_idx, &raw).1, 0, "{raw}");
        let (mut n, mut found, mut passed_over) = ((0, 0), (0, 0), (0, 0));
        for _ in 0..3000 {
            let raw = phrase_doc(&mut next, &keys);
            let a = check_phrase_runs(model, &model.idx, &raw);
            let b = check_phrase_runs(model, &long_idx, &raw);
            n = (n.0 + a.0, n.1 + b.0);
            found = (found.0 + a.1, found.1 + b.1);
            passed_over = (passed_over.0 + a.2, passed_over.1 + b.2);
        }
        // Many searches, many of them finding a key, and many ended by the next
        // token's first character (the test is not vacuous).
        assert!(n.0 > 4000 && found.0 > 1000, "{n:?} {found:?}");
        assert!(n.1 > 4000 && found.1 > 1000, "{n:?} {found:?}");
        assert!(
            passed_over.0 > 1000 && passed_over.1 > 1000,
            "{passed_over:?}"
        );
    }

    #[test]
    fn pair_filter_passes_every_pair_that_joins_into_an_entry() {
        // A phrase search's first lookup, the first two terms joined, finds an entry
        // only when the pair filter lets the two terms through: every term that opens
        // a key, before every rest of an entry it starts (joined as tokens of the
        // language join: by nothing, or by the join string or a hyphen) and a sample
        // of other terms and characters of the index.
        let model = model();
        for (li, r) in [&model.zh, &model.en].into_iter().enumerate() {
            let idx = &model.idx[li];
            let join = r.params.phrase_join;
            let joins: &[&str] = if join.is_empty() { &[""] } else { &[join, "-"] };
            let mut keys: Vec<&str> = idx.terms().collect();
            keys.sort_unstable();
            let mut others: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            for k in &keys {
                others.extend(k.chars().map(String::from));
            }
            let (mut found, mut others_tried, mut others_passed) = (0usize, 0usize, 0usize);
            let firsts = keys
                .iter()
                .filter(|k| idx.get(k).is_some_and(|e| e.phrase_start()));
            for first in firsts.step_by(3) {
                // The rests of the entries the term starts, and a sample of the others.
                let rests: Vec<String> = keys
                    .iter()
                    .filter_map(|k| k.strip_prefix(first))
                    .flat_map(|rest| joins.iter().filter_map(move |j| rest.strip_prefix(j)))
                    .filter(|rest| !rest.is_empty())
                    .map(String::from)
                    .collect();
                for (n, second) in rests.iter().chain(others.iter().step_by(97)).enumerate() {
                    let open = idx.may_join(first, second);
                    let mut hit = false;
                    for j in joins {
                        hit |= idx.get(&format!("{first}{j}{second}")).is_some();
                    }
                    assert!(open || !hit, "{first:?} {second:?}");
                    found += usize::from(hit);
                    if n >= rests.len() && !hit {
                        others_tried += 1;
                        others_passed += usize::from(open);
                    }
                }
            }
            // Entries are found, and most pairs that are none are turned down.
            assert!(found > 100, "{li}: {found}");
            assert!(
                others_passed * 4 < others_tried,
                "{li}: {others_passed} of {others_tried}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn sentence_keys_dedupe_as_the_texts_do(
            texts in proptest::collection::vec(
                "(ab|好|x{0,40}|[ab]{0,3})(ab|好|x{0,40}|[ab]{0,3})(ab|好|[ab]{0,3})",
                0..40,
            )
        ) {
            // Texts that share long prefixes and suffixes and differ in the middle:
            // each is new in the set of keys exactly when it is new among the texts.
            let mut keys: rustc_hash::FxHashSet<SentenceKey<'_>> = Default::default();
            let mut plain: rustc_hash::FxHashSet<&str> = Default::default();
            for t in &texts {
                prop_assert_eq!(keys.insert(SentenceKey(t)), plain.insert(t.as_str()));
            }
        }
    }

    #[test]
    fn unit_clauses_count_the_gaps_before_each_unit() {
        // Every token through the rules (each in a unit, multi-token entries in
        // one): a unit's clause counts the clause ends in the gaps before the units
        // up to it, as the pass over the units counted them, and not those inside a
        // multi-token entry (`kind\nof`: a line break joins the entry's tokens and
        // ends a clause). The scan's count of every gap is taken back for those.
        let model = model();
        let tok = super::super::fixtures::tok();
        let mut keys: Vec<&str> = model
            .en
            .valence
            .keys()
            .chain(model.en.intensifiers.keys())
            .map(|k| &**k)
            .filter(|k| k.contains(' ') && k.is_ascii())
            .collect();
        keys.sort_unstable();
        let step = (keys.len() / 200).max(1);
        let keys: Vec<&str> = keys.into_iter().step_by(step).collect();
        assert!(keys.len() > 20, "{}", keys.len());
        let others = ["good", "bad", "the", "miners", "not", "very", "3", "but"];
        let seps = [" ", " ", "\n", ", ", "; ", " (", ") ", " - "];
        let mut next = xorshift(0x5be0_cd19_137e_2179u64);
        let (mut inside, mut units_seen) = (0usize, 0usize);
        for _ in 0..1500 {
            let mut raw = String::new();
            for _ in 0..1 + next(8) {
                if next(2) == 0 {
                    // A key with its spaces as line breaks or spaces.
                    for (j, w) in keys[next(keys.len())].split(' ').enumerate() {
                        if j > 0 {
                            raw.push(if next(2) == 0 { '\n' } else { ' ' });
                        }
                        raw.push_str(w);
                    }
                } else {
                    raw.push_str(others[next(others.len())]);
                }
                raw.push_str(seps[next(seps.len())]);
            }
            let (text, buf) = tok.tokenize(&raw);
            let toks = buf.tokens();
            let refs = |k: usize| {
                toks.get(k)
                    .map_or(TermRef::default(), |t| model.lookup(t.lang, buf.term(t)))
            };
            let mut scr = SentenceScratch {
                always_rules: true,
                ..Default::default()
            };
            let mut first = 0usize;
            for (a, b) in crate::sentence::split(&text) {
                while toks.get(first).is_some_and(|t| (t.start as usize) < a) {
                    first += 1;
                }
                let (_, _, last) =
                    model.score_sentence(&text, &buf, first, (a, b), true, &refs, false, &mut scr);
                let stoks = &toks[first..last];
                let mut clause = 0u32;
                for u in &scr.units {
                    let i = u.tok_start - first;
                    if i > 0 && super::super::units::clause_gap(&text, &stoks[i - 1], &stoks[i]) {
                        clause += 1;
                    }
                    assert_eq!(u.clause, clause, "{raw:?} {u:?}");
                    units_seen += 1;
                    inside += (i + 1..u.tok_end - first)
                        .filter(|&k| {
                            super::super::units::clause_gap(&text, &stoks[k - 1], &stoks[k])
                        })
                        .count();
                }
                first = last;
            }
        }
        // Entries over a clause end occur often (the test is not vacuous).
        assert!(inside > 200 && units_seen > 5000, "{inside} {units_seen}");
    }

    #[test]
    fn modifier_starts_only_skip_terms_that_decompose_into_nothing() {
        // `decompose` with the filter of the modifiers' first characters finds what
        // it finds without (every bit set), for the index's terms, modifiers glued
        // to lexicon words one and two deep, and terms of other characters.
        use super::super::units::decompose;
        let model = model();
        let idx = &model.idx[0];
        let mut open = idx.clone();
        open.open_modifier_starts();
        let mut terms: Vec<String> = idx.terms().map(str::to_string).collect();
        terms.sort_unstable();
        let mods: Vec<String> = terms
            .iter()
            .filter(|t| idx.get(t).is_some_and(|e| e.neg() || e.degree().is_some()))
            .cloned()
            .collect();
        let words: Vec<String> = terms
            .iter()
            .filter(|t| idx.valence(t).is_some())
            .step_by(7)
            .cloned()
            .collect();
        let mut next = xorshift(0x1f83_d9ab_fb41_bd6bu64);
        for _ in 0..20000 {
            let w = &words[next(words.len())];
            let m1 = &mods[next(mods.len())];
            let m2 = &mods[next(mods.len())];
            let t = &terms[next(terms.len())];
            terms.push(match next(4) {
                0 => format!("{m1}{w}"),
                1 => format!("{m1}{m2}{w}"),
                2 => format!("{t}{w}"),
                _ => format!("矿{m1}{w}"),
            });
        }
        let (mut found, mut filtered) = (0usize, 0usize);
        for t in &terms {
            let got = decompose(idx, t);
            let want = decompose(&open, t);
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "{t}");
            found += usize::from(got.is_some());
            filtered += usize::from(!idx.may_start_with_modifier(t));
        }
        // Both kinds occur often (the test is not vacuous).
        assert!(found > 5000 && filtered > 5000, "{found} {filtered}");
    }
}
