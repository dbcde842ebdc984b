//! Tokenization: jieba's dictionary and cut for Chinese runs, Unicode word bounds for
//! the rest.
//!
//! Input is NFKC-normalized text split into script runs by [`crate::lang`]. Each token
//! keeps its byte span in that text and a *term*: the form counted in frequency tables.
//!
//! * Chinese runs are converted to Simplified characters (a one-to-one, byte-preserving
//!   mapping) and cut as jieba cuts them: without its HMM (the default) by duibi's own
//!   segmenter over jieba's dictionary (`segment`, the tokens of
//!   `jieba_rs::Jieba::cut(s, false)`), with it by one shared [`jieba_rs::Jieba`]; the
//!   term is the Simplified word, so `監管` and `监管` count as one term, while the
//!   span still points at the Traditional surface form in the text.
//! * Other runs are cut at Unicode word bounds (UAX #29), so `DeFi`, `USDT`, `3,000` and
//!   `don't` stay whole; `C++` and `C#` are glued back together. Latin terms are
//!   lowercased.
//! * URLs, e-mail addresses, @handles, #hashtags, hashes and wallet addresses become
//!   single tokens of their own [`TokenKind`] ([`special`]); so do numbers with their
//!   units and dates (`2021年1月2日`, `1.5亿`, `20%`, `2021-01-02`). English
//!   possessives fold (`bitcoin’s` → `bitcoin`).
//! * Whitespace and punctuation tokens are dropped. Stopwords are *flagged*, not
//!   removed, so that sentiment rules still see negators such as `不` or `not`.
//!
//! Terms are written into one buffer per document ([`TokenBuf`]) that is reused from
//! document to document: no allocation per token.
//!
//! ```
//! use duibi::tokenize::Tokenizer;
//! let tok = Tokenizer::builder().build().unwrap();
//! let (text, buf) = tok.tokenize("比特幣礦場遷往Texas，DeFi和NFT持續升溫");
//! let terms: Vec<&str> = buf.iter().map(|(_, term)| term).collect();
//! assert!(terms.contains(&"比特币"));
//! assert!(terms.contains(&"texas"));
//! assert!(terms.contains(&"defi"));
//! let first = &buf.tokens()[0];
//! assert_eq!(&text[first.start as usize..first.end as usize], "比特幣");
//! ```
//!
//! | job | module |
//! |---|---|
//! | tokens and the per-document buffer | [`token`] |
//! | options and building | [`builder`] |
//! | user dictionaries, jieba's dictionary | [`dict`] |
//! | stopword lists | [`stopwords`] |
//! | Chinese runs (jieba) | [`chinese`] |
//! | jieba's cut without its HMM, faster | `segment` |
//! | token kinds and their counts | [`kind`] |
//! | finding special tokens | [`special`] |
//! | other runs (word bounds) | [`word_runs`], [`words`] |

use crate::lang::{self, Lang, LangDetector, Run};
use crate::text::han::VariantTally;
use std::sync::Arc;

pub mod builder;
pub mod chinese;
pub mod dict;
pub mod kind;
mod segment;
pub mod special;
pub mod stopwords;
pub mod token;
pub mod word_runs;
pub mod words;

pub use builder::TokenizerBuilder;
pub(crate) use dict::{BaseDict, Prepared};
pub(crate) use kind::KindTally;
pub use kind::{KindCounts, TokenKind};
pub use stopwords::Stopwords;
pub(crate) use token::all_caps;
pub use token::{Token, TokenBuf};

/// Errors raised while building a [`Tokenizer`].
#[derive(Debug, thiserror::Error)]
pub enum TokenizeError {
    /// The user dictionary could not be read or parsed.
    #[error("user dictionary {path}: {reason}")]
    UserDict {
        /// Path of the dictionary file.
        path: String,
        /// Why it failed.
        reason: String,
    },
}

/// What cuts the Simplified text of a Chinese run.
#[derive(Debug)]
enum Cutter {
    /// jieba itself: with its HMM (and, empty, for the tokenizer without a dictionary).
    Jieba(Box<jieba_rs::Jieba>),
    /// jieba's cut without the HMM, by [`segment::Segmenter`].
    Own(segment::Segmenter),
}

#[derive(Debug)]
struct Inner {
    cutter: Cutter,
    hmm: bool,
    stopwords: Stopwords,
    detector: LangDetector,
}

/// Cuts normalized text into tokens. Cheap to clone (the dictionary is shared).
#[derive(Debug, Clone)]
pub struct Tokenizer {
    inner: Arc<Inner>,
}

impl Tokenizer {
    /// Whether jieba's HMM is on.
    pub fn hmm(&self) -> bool {
        self.inner.hmm
    }

    /// The language detector.
    pub fn detector(&self) -> &LangDetector {
        &self.inner.detector
    }

    /// Normalizes `raw`, cuts it into runs and tokens; returns the normalized text (all
    /// spans refer to it) and the tokens. Convenience for one-off texts; batch code
    /// should reuse buffers with [`Tokenizer::tokenize_runs`].
    pub fn tokenize(&self, raw: &str) -> (String, TokenBuf) {
        let text = lang::normalize(raw);
        let mut tallies = Vec::new();
        let runs = self.inner.detector.runs_tallied(&text, &mut tallies);
        let mut buf = TokenBuf::new();
        let mut scratch = String::new();
        self.tokenize_runs_with(&text, &runs, Some(&tallies), &mut buf, &mut scratch, true);
        (text, buf)
    }

    /// Appends the tokens of normalized `text`, already cut into `runs`, to `buf`.
    /// `scratch` is a reusable buffer for Traditional→Simplified conversion.
    pub fn tokenize_runs(
        &self,
        text: &str,
        runs: &[Run],
        buf: &mut TokenBuf,
        scratch: &mut String,
    ) {
        self.tokenize_runs_with(text, runs, None, buf, scratch, true);
    }

    /// [`Tokenizer::tokenize_runs`]; with `flag_stop` false the stopword flags are left
    /// unset, for a caller that sets them itself ([`TokenBuf::set_stop`]) from a cache.
    /// `tallies`, when given, are those [`LangDetector::runs_tallied`] counted with
    /// `runs` (one a run): a Chinese run's own pass to count its characters is then
    /// saved.
    pub(crate) fn tokenize_runs_with(
        &self,
        text: &str,
        runs: &[Run],
        tallies: Option<&[VariantTally]>,
        buf: &mut TokenBuf,
        scratch: &mut String,
        flag_stop: bool,
    ) {
        for (k, r) in runs.iter().enumerate() {
            let s = &text[r.start..r.end];
            match r.lang {
                Lang::Zh => {
                    let tally = tallies.and_then(|t| t.get(k)).copied();
                    self.cut_chinese(s, r.start, tally, buf, scratch, flag_stop)
                }
                lang => self.cut_words(s, r.start, lang, buf, flag_stop),
            }
        }
    }
    /// True when `term` is a stopword of `lang` for this tokenizer.
    pub fn is_stopword(&self, lang: Lang, term: &str) -> bool {
        self.inner.stopwords.contains(lang, term)
    }

    /// Sets the stopword flag of the last token pushed to `buf` from its term.
    #[inline]
    fn flag_last_stop(&self, buf: &mut TokenBuf, lang: Lang) {
        if let Some(t) = buf.tokens.last_mut() {
            let term = &buf.terms[t.term_start as usize..t.term_end as usize];
            t.stop = self.inner.stopwords.contains(lang, term);
        }
    }

    /// Cuts a short phrase (a glossary entry, a lexicon term) into its terms, the same way
    /// running text is cut.
    pub fn terms_of(&self, phrase: &str) -> Vec<(String, Lang)> {
        let (_, buf) = self.tokenize(phrase);
        buf.iter().map(|(t, s)| (s.to_owned(), t.lang)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(tok: &Tokenizer, s: &str) -> Vec<String> {
        let (_, b) = tok.tokenize(s);
        b.iter().map(|(_, t)| t.to_owned()).collect()
    }

    #[test]
    fn mixed_tokens_kept_whole() {
        let tok = Tokenizer::builder().build().unwrap();
        let t = terms(
            &tok,
            "DeFi, NFT and USDT rose 3,000 points; C++ and C# too.",
        );
        for want in ["defi", "nft", "usdt", "3,000", "c++", "c#"] {
            assert!(t.iter().any(|x| x == want), "{want} missing in {t:?}");
        }
        assert!(!t.iter().any(|x| x == "," || x == ";" || x == "."));
    }

    #[test]
    fn traditional_maps_to_simplified_terms_with_original_spans() {
        let tok = Tokenizer::builder().build().unwrap();
        let (text, buf) = tok.tokenize("監管機構整頓挖礦");
        let (_, hans) = tok.tokenize("监管机构整顿挖矿");
        let a: Vec<&str> = buf.iter().map(|(_, t)| t).collect();
        let b: Vec<&str> = hans.iter().map(|(_, t)| t).collect();
        assert_eq!(a, b);
        assert_eq!(
            &text[buf.tokens()[0].start as usize..buf.tokens()[0].end as usize],
            "監管"
        );
    }

    #[test]
    fn punctuation_dropped_stopwords_flagged() {
        let tok = Tokenizer::builder().build().unwrap();
        let (_, buf) = tok.tokenize("矿场的电费，非常高！");
        let t: Vec<(&str, bool)> = buf.iter().map(|(t, s)| (s, t.stop)).collect();
        assert!(t.contains(&("的", true)));
        assert!(t.contains(&("矿场", false)));
        assert!(!t.iter().any(|(s, _)| *s == "，" || *s == "！"));
    }

    #[test]
    fn spans_are_char_boundaries_and_ordered() {
        let tok = Tokenizer::builder().build().unwrap();
        let (text, buf) = tok.tokenize("２０２１年，BTC跌了３０％ — über naïve café 🚀 done");
        let mut last = 0;
        for t in buf.tokens() {
            assert!(text.is_char_boundary(t.start as usize));
            assert!(text.is_char_boundary(t.end as usize));
            assert!(t.start as usize >= last);
            last = t.end as usize;
        }
    }

    #[test]
    fn han_counts_are_those_of_the_chinese_runs() {
        let tok = Tokenizer::builder().build().unwrap();
        let raw = "監管機構 Texas 监管机构，礦場 and 矿场";
        let (text, buf) = tok.tokenize(raw);
        let mut want = lang::HanVariantCounts::default();
        for r in tok
            .detector()
            .runs(&text)
            .iter()
            .filter(|r| r.lang == Lang::Zh)
        {
            want.add(lang::HanVariantCounts::of(&text[r.start..r.end]));
        }
        assert!(want.traditional > 0 && want.simplified > 0);
        assert_eq!(buf.han_counts(), want);
        let mut buf = buf;
        buf.clear();
        assert_eq!(buf.han_counts(), lang::HanVariantCounts::default());
    }

    /// A token's term from its surface by definition: Simplified characters in a
    /// Chinese run, every character lowercased, an English possessive dropped (the
    /// terms are now ranges of one copy of each run, lowercased in place, so this
    /// checks the ranges and the in-place lowercasing against a fresh copy).
    fn term_by_definition(text: &str, t: &Token) -> Vec<String> {
        let mut s = text[t.start as usize..t.end as usize].to_string();
        if t.lang == Lang::Zh {
            crate::text::han::to_simplified_counted(&mut s);
        }
        let lower: String = s.chars().flat_map(char::to_lowercase).collect();
        let mut out = vec![lower.clone()];
        for p in ["'s", "'S", "\u{2019}s", "\u{2019}S"] {
            if let Some(stem) = lower.strip_suffix(&p.to_lowercase()) {
                out.push(stem.to_string());
            }
        }
        out
    }

    /// The tokens of `raw` whose term is not [`term_by_definition`], described.
    fn wrong_terms(tok: &Tokenizer, raw: &str) -> Vec<String> {
        let (text, buf) = tok.tokenize(raw);
        buf.iter()
            .filter_map(|(t, term)| {
                let want = term_by_definition(&text, t);
                (!want.iter().any(|w| w == term)).then(|| {
                    let surface = &text[t.start as usize..t.end as usize];
                    format!("{raw:?}: term {term:?} of {surface:?}, want one of {want:?}")
                })
            })
            .collect()
    }

    #[test]
    fn terms_are_their_surfaces_simplified_and_lowercased() {
        let tok = Tokenizer::builder().build().unwrap();
        let wrong = [
            "監管機構2021年1月2日整頓BTC挖礦，DeFi和NFT持續升溫3,000點",
            "Bitcoin's PRICE rose; the SEC\u{2019}s C++ and C# rules. Café ÜBER naïve",
            "See https://Example.com/A?b=C and @Handle #HashTag 0xABCDEF12 20% 2021-01-02",
            "比特幣礦場遷往Texas，USDT的市值ABC公司iPhone的價格",
            "It's Miners' RIGS' Bob's. 礦工's",
        ]
        .iter()
        .flat_map(|raw| wrong_terms(&tok, raw))
        .collect::<Vec<_>>();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    proptest::proptest! {
        #[test]
        fn random_terms_are_their_surfaces(raw in "[aBZ19 ,.'’s+#礦场比特币監管é́İ@:/-]{0,40}") {
            static TOK: std::sync::OnceLock<Tokenizer> = std::sync::OnceLock::new();
            let tok = TOK.get_or_init(|| Tokenizer::builder().build().unwrap());
            let wrong = wrong_terms(tok, &raw);
            proptest::prop_assert!(wrong.is_empty(), "{:#?}", wrong);
        }
    }

    #[test]
    fn extra_words_join_domain_terms() {
        let tok = Tokenizer::builder().words(["算力外流"]).build().unwrap();
        assert!(terms(&tok, "算力外流加速").contains(&"算力外流".to_string()));
    }
}
