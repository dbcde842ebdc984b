//! Tokenization: jieba-rs for Chinese runs, Unicode word bounds for the rest.
//!
//! Input is NFKC-normalized text split into script runs by [`crate::lang`]. Each token
//! keeps its byte span in that text and a *term*: the form counted in frequency tables.
//!
//! * Chinese runs are converted to Simplified characters (a one-to-one, byte-preserving
//!   mapping) and cut with one shared [`jieba_rs::Jieba`]; the term is the Simplified
//!   word, so `監管` and `监管` count as one term, while the span still points at the
//!   Traditional surface form in the text.
//! * Other runs are cut at Unicode word bounds (UAX #29), so `DeFi`, `USDT`, `3,000` and
//!   `don't` stay whole; `C++` and `C#` are glued back together. Latin terms are
//!   lowercased.
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

use crate::lang::{self, Lang, LangDetector, Run, Script};
use compact_str::CompactString;
use rustc_hash::FxHashSet;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

pub mod words;

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

/// One token: a byte span of the analysed text and its term in the [`TokenBuf`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the surface form in the normalized text.
    pub start: u32,
    /// Byte offset one past the surface form.
    pub end: u32,
    term_start: u32,
    term_end: u32,
    /// Language of the run the token came from.
    pub lang: Lang,
    /// True when the term is on the stopword list of its language.
    pub stop: bool,
    /// True when the surface form has no letters (numbers such as `3,000` or `2021`).
    pub numeric: bool,
    /// True when the surface form has letters and none of them lowercase (`BTC`,
    /// `SEC's`); set for tokens of non-Chinese runs only (always false in Chinese runs).
    pub(crate) caps: bool,
}

/// Tokens of one text, with their terms stored in one shared buffer.
#[derive(Debug, Default, Clone)]
pub struct TokenBuf {
    terms: String,
    tokens: Vec<Token>,
}

impl TokenBuf {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes all tokens, keeping the allocations for reuse.
    pub fn clear(&mut self) {
        self.terms.clear();
        self.tokens.clear();
    }

    /// The tokens in text order.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Sets the stopword flag of every token to `stop(index)`.
    pub(crate) fn set_stop(&mut self, stop: impl Fn(usize) -> bool) {
        for (k, t) in self.tokens.iter_mut().enumerate() {
            t.stop = stop(k);
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The term (normalized form) of a token of this buffer.
    #[inline]
    pub fn term(&self, t: &Token) -> &str {
        &self.terms[t.term_start as usize..t.term_end as usize]
    }

    /// Tokens with their terms.
    pub fn iter(&self) -> impl Iterator<Item = (&Token, &str)> + '_ {
        self.tokens.iter().map(move |t| (t, self.term(t)))
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        term: &str,
        lang: Lang,
        stop: bool,
        numeric: bool,
    ) {
        let ts = self.terms.len();
        self.terms.push_str(term);
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            term_start: ts as u32,
            term_end: self.terms.len() as u32,
            lang,
            stop,
            numeric,
            caps: false,
        });
    }

    /// Pushes a token whose term is `surface` lowercased; `caps` is computed when
    /// `with_caps` (see [`Token::caps`]).
    fn push_lower(
        &mut self,
        start: usize,
        end: usize,
        surface: &str,
        lang: Lang,
        numeric: bool,
        with_caps: bool,
    ) {
        let ts = self.terms.len();
        let mut caps = false;
        if surface.bytes().any(|b| b.is_ascii_uppercase()) || !surface.is_ascii() {
            // (ASCII without capitals: a letter is lowercase, so never all caps.)
            caps = with_caps && all_caps(surface);
            for c in surface.chars() {
                if c.is_ascii() {
                    self.terms.push(c.to_ascii_lowercase());
                } else {
                    self.terms.extend(c.to_lowercase());
                }
            }
        } else {
            self.terms.push_str(surface);
        }
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            term_start: ts as u32,
            term_end: self.terms.len() as u32,
            lang,
            stop: false,
            numeric,
            caps,
        });
    }
}

/// True when `surface` has letters and none of them is lowercase (VADER's ALL-CAPS
/// test).
pub(crate) fn all_caps(surface: &str) -> bool {
    if surface.is_ascii() {
        let b = surface.as_bytes();
        return b.iter().any(u8::is_ascii_alphabetic) && !b.iter().any(u8::is_ascii_lowercase);
    }
    surface.chars().any(char::is_alphabetic) && !surface.chars().any(char::is_lowercase)
}

/// `char::is_alphabetic` with a shortcut for CJK Unified Ideographs (all alphabetic).
#[inline]
fn is_alphabetic(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF) || c.is_alphabetic()
}

/// `char::is_alphanumeric` with a shortcut for CJK Unified Ideographs.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF) || c.is_alphanumeric()
}

/// Stopword lists per language, loaded from the data files shipped with duibi.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    zh: FxHashSet<CompactString>,
    en: FxHashSet<CompactString>,
}

const ZH_STOPWORDS: &str = include_str!("../../data/stopwords/zh.txt");
const EN_STOPWORDS: &str = include_str!("../../data/stopwords/en.txt");

fn parse_list(text: &str) -> FxHashSet<CompactString> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(CompactString::from)
        .collect()
}

impl Stopwords {
    /// The shipped lists (`data/stopwords/{zh,en}.txt`).
    pub fn shipped() -> Self {
        Stopwords {
            zh: parse_list(ZH_STOPWORDS),
            en: parse_list(EN_STOPWORDS),
        }
    }

    /// No stopwords at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// True when `term` (already normalized) is a stopword of `lang`.
    #[inline]
    pub fn contains(&self, lang: Lang, term: &str) -> bool {
        match lang {
            Lang::Zh => self.zh.contains(term),
            Lang::En => self.en.contains(term),
            _ => false,
        }
    }
}

/// Builder for [`Tokenizer`].
#[derive(Debug, Clone)]
pub struct TokenizerBuilder {
    hmm: bool,
    user_dicts: Vec<std::path::PathBuf>,
    extra_words: Vec<String>,
    stopwords: bool,
    domain_dict: bool,
    detector: LangDetector,
}

/// Domain words shipped with duibi (`data/dict/domain.txt`).
const DOMAIN_DICT: &str = include_str!("../../data/dict/domain.txt");

impl TokenizerBuilder {
    /// Add the shipped domain words (比特币, 算力, 矿机, 碳中和 …) to jieba (default: on).
    pub fn domain_dict(mut self, on: bool) -> Self {
        self.domain_dict = on;
        self
    }

    /// Use jieba's HMM to join unknown words (default: off; on the PKU test set jieba-rs
    /// scores word F1 0.836 without HMM and 0.818 with it).
    pub fn hmm(mut self, on: bool) -> Self {
        self.hmm = on;
        self
    }

    /// Adds a jieba user dictionary (`word [freq [tag]]` per line).
    pub fn user_dict(mut self, path: impl AsRef<Path>) -> Self {
        self.user_dicts.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds single domain words to jieba's dictionary (e.g. glossary forms).
    pub fn words<I: IntoIterator<Item = S>, S: Into<String>>(mut self, words: I) -> Self {
        self.extra_words.extend(words.into_iter().map(Into::into));
        self
    }

    /// Flag stopwords from the shipped lists (default: on).
    pub fn stopwords(mut self, on: bool) -> Self {
        self.stopwords = on;
        self
    }

    /// The language detector used to cut script runs.
    pub fn detector(mut self, d: LangDetector) -> Self {
        self.detector = d;
        self
    }

    /// Loads the dictionary and lists. Do this once and share the result.
    pub fn build(self) -> Result<Tokenizer, TokenizeError> {
        let prepared = self.prepare()?;
        prepared.finish(jieba_rs::Jieba::new())
    }

    /// Everything that does not need jieba's dictionary: reads and checks the user
    /// dictionaries, normalizes the extra words, parses the stopword lists. Finish with
    /// [`Prepared::finish_on`] (what [`TokenizerBuilder::build`] does, in two steps, so
    /// that the dictionary can load meanwhile).
    pub(crate) fn prepare(self) -> Result<Prepared, TokenizeError> {
        let mut user_dicts = Vec::with_capacity(self.user_dicts.len());
        for p in &self.user_dicts {
            user_dicts.push((p.display().to_string(), read_user_dict(p)?));
        }
        let shipped = DOMAIN_DICT
            .lines()
            .map(str::trim)
            .filter(|l| self.domain_dict && !l.is_empty() && !l.starts_with('#'));
        let words = shipped
            .chain(self.extra_words.iter().map(String::as_str))
            .filter_map(|w| {
                let mut w = lang::normalize(w);
                lang::to_simplified_in_place(&mut w);
                (!w.is_empty() && w.chars().all(|c| lang::script_of(c) == Some(Script::Han)))
                    .then_some(w)
            })
            .collect();
        Ok(Prepared {
            user_dicts,
            words,
            hmm: self.hmm,
            stopwords: if self.stopwords {
                Stopwords::shipped()
            } else {
                Stopwords::none()
            },
            detector: self.detector,
        })
    }
}

/// Reads a user dictionary, checking it line by line so that a bad line is reported
/// with its number; returns it as jieba's `word [freq [tag]]` lines with the words in
/// Simplified characters.
fn read_user_dict(p: &Path) -> Result<String, TokenizeError> {
    let err = |reason: String| TokenizeError::UserDict {
        path: p.display().to_string(),
        reason,
    };
    let f = std::fs::File::open(p).map_err(|e| err(e.to_string()))?;
    let mut r = std::io::BufReader::new(f);
    let mut text = String::new();
    let mut line = String::new();
    let mut n = 0usize;
    loop {
        line.clear();
        let read = r.read_line(&mut line).map_err(|e| err(e.to_string()))?;
        if read == 0 {
            break;
        }
        n += 1;
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        if let Some(freq) = parts.next() {
            if freq.parse::<usize>().is_err() {
                return Err(err(format!("line {n}: frequency {freq:?} is not a number")));
            }
        }
        let mut w = word.to_owned();
        lang::to_simplified_in_place(&mut w);
        text.push_str(&w);
        for rest in line.split_whitespace().skip(1) {
            text.push(' ');
            text.push_str(rest);
        }
        text.push('\n');
    }
    Ok(text)
}

/// A tokenizer's resources other than jieba's default dictionary, ready to be added to
/// it in the order [`TokenizerBuilder::build`] always used: user dictionaries, then the
/// shipped domain words, then the extra words.
pub(crate) struct Prepared {
    /// (path, checked text) of each user dictionary.
    user_dicts: Vec<(String, String)>,
    /// Normalized, Simplified, all-Han words to add unless jieba has them.
    words: Vec<String>,
    hmm: bool,
    stopwords: Stopwords,
    detector: LangDetector,
}

impl Prepared {
    /// The terms [`Tokenizer::terms_of`] will give for `phrase` once the dictionary is
    /// loaded, when they do not depend on it (the phrase has no Chinese run); `None`
    /// when they do. `dictless` is from [`Prepared::dictless`].
    pub(crate) fn terms_without_dict(
        &self,
        dictless: &Tokenizer,
        phrase: &str,
    ) -> Option<Vec<(String, Lang)>> {
        let text = lang::normalize(phrase);
        if self.detector.runs(&text).iter().any(|r| r.lang == Lang::Zh) {
            return None;
        }
        Some(dictless.terms_of(phrase))
    }

    /// This tokenizer with an empty jieba dictionary: right for text without Chinese
    /// runs only (see [`Prepared::terms_without_dict`]).
    pub(crate) fn dictless(&self) -> Tokenizer {
        Tokenizer {
            inner: Arc::new(Inner {
                jieba: jieba_rs::Jieba::empty(),
                hmm: self.hmm,
                stopwords: self.stopwords.clone(),
                detector: self.detector.clone(),
            }),
        }
    }

    /// Adds the resources to jieba's default dictionary from [`BaseDict::load`]. The
    /// result equals that of [`TokenizerBuilder::build`].
    pub(crate) fn finish_on(self, base: BaseDict) -> Result<Tokenizer, TokenizeError> {
        self.finish(base.0)
    }

    fn finish(self, mut jieba: jieba_rs::Jieba) -> Result<Tokenizer, TokenizeError> {
        for (path, text) in &self.user_dicts {
            jieba
                .load_dict(&mut text.as_bytes())
                .map_err(|e| TokenizeError::UserDict {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
        }
        for w in &self.words {
            if !jieba.has_word(w) {
                jieba.add_word(w, None, None);
            }
        }
        Ok(Tokenizer {
            inner: Arc::new(Inner {
                jieba,
                hmm: self.hmm,
                stopwords: self.stopwords,
                detector: self.detector,
            }),
        })
    }
}

/// jieba's default dictionary, loaded (the larger part of start-up: about 150 ms) apart
/// from the rest of a tokenizer, so that the rest can be prepared on another thread
/// meanwhile.
pub(crate) struct BaseDict(jieba_rs::Jieba);

impl BaseDict {
    /// Loads jieba's default dictionary.
    pub(crate) fn load() -> Self {
        BaseDict(jieba_rs::Jieba::new())
    }
}

#[derive(Debug)]
struct Inner {
    jieba: jieba_rs::Jieba,
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
    /// A builder with the defaults: no HMM, shipped stopword lists, zh/en/ja/ko.
    pub fn builder() -> TokenizerBuilder {
        TokenizerBuilder {
            hmm: false,
            user_dicts: Vec::new(),
            extra_words: Vec::new(),
            stopwords: true,
            domain_dict: true,
            detector: LangDetector::default(),
        }
    }

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
        let runs = self.inner.detector.runs(&text);
        let mut buf = TokenBuf::new();
        let mut scratch = String::new();
        self.tokenize_runs(&text, &runs, &mut buf, &mut scratch);
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
        self.tokenize_runs_with(text, runs, buf, scratch, true);
    }

    /// [`Tokenizer::tokenize_runs`]; with `flag_stop` false the stopword flags are left
    /// unset, for a caller that sets them itself ([`TokenBuf::set_stop`]) from a cache.
    pub(crate) fn tokenize_runs_with(
        &self,
        text: &str,
        runs: &[Run],
        buf: &mut TokenBuf,
        scratch: &mut String,
        flag_stop: bool,
    ) {
        for r in runs {
            let s = &text[r.start..r.end];
            match r.lang {
                Lang::Zh => self.cut_chinese(s, r.start, buf, scratch, flag_stop),
                lang => self.cut_words(s, r.start, lang, buf, flag_stop),
            }
        }
    }

    fn cut_chinese(
        &self,
        s: &str,
        base: usize,
        buf: &mut TokenBuf,
        scratch: &mut String,
        flag_stop: bool,
    ) {
        scratch.clear();
        scratch.push_str(s);
        lang::to_simplified_in_place(scratch);
        let words = self.inner.jieba.cut(scratch, self.inner.hmm);
        for tk in words {
            let (w, st, en) = (tk.word, tk.byte_start, tk.byte_end);
            let Some(first) = w.chars().next() else {
                continue;
            };
            if !is_alphanumeric(first) && !w.chars().any(is_alphanumeric) {
                continue; // whitespace, punctuation, symbols
            }
            let numeric = !w.chars().any(is_alphabetic);
            if w.bytes().any(|b| b.is_ascii_uppercase()) {
                // Latin letters glued to digits inside a Han run (rare: Latin normally
                // opens its own run).
                buf.push_lower(base + st, base + en, w, Lang::Zh, numeric, false);
                if let Some(t) = buf.tokens.last_mut().filter(|_| flag_stop) {
                    let term = &buf.terms[t.term_start as usize..t.term_end as usize];
                    t.stop = self.inner.stopwords.contains(Lang::Zh, term);
                }
            } else {
                let stop = flag_stop && self.inner.stopwords.contains(Lang::Zh, w);
                buf.push(base + st, base + en, w, Lang::Zh, stop, numeric);
            }
        }
    }

    fn cut_words(&self, s: &str, base: usize, lang: Lang, buf: &mut TokenBuf, flag_stop: bool) {
        let mut it = words::word_bounds(s).peekable();
        while let Some((i, w)) = it.next() {
            // (has a letter or digit, has a letter, all letters and at most 2 chars)
            let (alnum, alpha, short_word) = if w.is_ascii() {
                // One pass over the bytes; ASCII letters are the alphabetic chars.
                let (mut letters, mut digits) = (0usize, 0usize);
                for &b in w.as_bytes() {
                    letters += usize::from(b.is_ascii_alphabetic());
                    digits += usize::from(b.is_ascii_digit());
                }
                (
                    letters + digits > 0,
                    letters > 0,
                    letters == w.len() && w.len() <= 2,
                )
            } else {
                (
                    w.chars().any(char::is_alphanumeric),
                    w.chars().any(char::is_alphabetic),
                    w.chars().all(|c| c.is_alphabetic()) && w.chars().count() <= 2,
                )
            };
            if !alnum {
                continue;
            }
            let mut end = i + w.len();
            // Glue programming-language style suffixes: C++, C#, F#.
            if short_word {
                while let Some(&(j, nx)) = it.peek() {
                    if j == end && (nx == "+" || nx == "#") {
                        end = j + nx.len();
                        it.next();
                    } else {
                        break;
                    }
                }
            }
            let surface = &s[i..end];
            // (The glued `+` and `#` are not letters.)
            let numeric = !alpha;
            buf.push_lower(base + i, base + end, surface, lang, numeric, true);
            if let Some(t) = buf.tokens.last_mut().filter(|_| flag_stop) {
                let term = &buf.terms[t.term_start as usize..t.term_end as usize];
                t.stop = self.inner.stopwords.contains(lang, term);
            }
        }
    }

    /// True when `term` is a stopword of `lang` for this tokenizer.
    pub fn is_stopword(&self, lang: Lang, term: &str) -> bool {
        self.inner.stopwords.contains(lang, term)
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
    fn extra_words_join_domain_terms() {
        let tok = Tokenizer::builder().words(["算力外流"]).build().unwrap();
        assert!(terms(&tok, "算力外流加速").contains(&"算力外流".to_string()));
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use proptest::prelude::*;

    fn tok() -> &'static Tokenizer {
        static T: std::sync::OnceLock<Tokenizer> = std::sync::OnceLock::new();
        T.get_or_init(|| Tokenizer::builder().build().expect("tokenizer builds"))
    }

    fn check(s: &str) {
        let (text, buf) = tok().tokenize(s);
        for t in buf.tokens() {
            let surface = &text[t.start as usize..t.end as usize];
            let want = t.lang != Lang::Zh && all_caps(surface);
            assert_eq!(t.caps, want, "{surface:?} in {s:?}");
        }
    }

    #[test]
    fn caps_flag_is_all_caps_of_the_surface() {
        for s in [
            "BTC SEC's U.S. DeFi NFT3 3,000 ÉTÉ été Été ΑΒΓ αβγ ǅ ǄX C++ I",
            "比特幣BTC挖矿ETF Ｆｕｌｌ ＦＵＬＬ",
        ] {
            check(s);
        }
    }

    /// The word cutter as it was written before its ASCII fast path: (start, end,
    /// term, numeric) of each token of a non-Chinese run.
    fn reference_words(s: &str) -> Vec<(usize, usize, String, bool)> {
        let mut out = Vec::new();
        let mut it = words::word_bounds(s).peekable();
        while let Some((i, w)) = it.next() {
            if !w.chars().any(char::is_alphanumeric) {
                continue;
            }
            let mut end = i + w.len();
            if w.chars().all(|c| c.is_alphabetic()) && w.chars().count() <= 2 {
                while let Some(&(j, nx)) = it.peek() {
                    if j == end && (nx == "+" || nx == "#") {
                        end = j + nx.len();
                        it.next();
                    } else {
                        break;
                    }
                }
            }
            let surface = &s[i..end];
            let numeric = !surface.chars().any(char::is_alphabetic);
            // Char by char, as `push_lower` does (no final-sigma rule).
            let term: String = surface.chars().flat_map(char::to_lowercase).collect();
            out.push((i, end, term, numeric));
        }
        out
    }

    fn check_words(s: &str) {
        let mut buf = TokenBuf::new();
        tok().cut_words(s, 0, Lang::En, &mut buf, false);
        let got: Vec<(usize, usize, String, bool)> = buf
            .iter()
            .map(|(t, term)| (t.start as usize, t.end as usize, term.to_owned(), t.numeric))
            .collect();
        assert_eq!(got, reference_words(s), "{s:?}");
    }

    #[test]
    fn word_cutter_matches_reference() {
        for s in [
            "C++ C# F# c+ ab+ abc+ a1+ é+ éé# 3,000 x86_64 Don't BTC's naïve Straße ΣΑΣ",
            "   ",
            "",
            "++ ## a",
            "ǅ+ Ⅳ ½ ²",
        ] {
            check_words(s);
        }
    }

    proptest! {
        #[test]
        fn caps_flag_on_random_text(s in "[ aZ09.'ÉéΣσǅ字+#-]{0,30}") {
            check(&s);
        }

        #[test]
        fn word_cutter_on_random_text(s in "[ aZ09.,'_+#éÉΣǅⅣ½\u{301}-]{0,30}") {
            check_words(&s);
        }

        #[test]
        fn word_cutter_on_any_text(s in "\\PC{0,30}") {
            check_words(&s);
        }
    }
}
