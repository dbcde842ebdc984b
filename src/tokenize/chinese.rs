//! Chinese runs: converted to Simplified characters (byte-preserving) and cut with
//! the shared jieba; the term is the Simplified word, the span the surface form.
//!
//! ```
//! let tok = duibi::tokenize::Tokenizer::builder().build().unwrap();
//! let (text, buf) = tok.tokenize("監管礦場");
//! let t = &buf.tokens()[0];
//! assert_eq!((&text[t.start as usize..t.end as usize], buf.term(t)), ("監管", "监管"));
//! ```

use super::{special, TokenBuf, Tokenizer};
use crate::lang::Lang;
use crate::text::classes;

/// `char::is_alphabetic` with a shortcut for CJK Unified Ideographs (all alphabetic).
#[inline]
fn is_alphabetic(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF) || classes::is_alphabetic(c)
}

/// `char::is_alphanumeric` with a shortcut for CJK Unified Ideographs.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF) || classes::is_alphanumeric(c)
}

/// Whether jieba's word `w` is kept as a token (`None`: it has no letter or digit) and,
/// if so, whether it is numeric (no letter). A word opening with a CJK Unified
/// Ideograph, nearly every one, is a kept non-numeric word without decoding it.
#[inline]
fn word_class(w: &str) -> Option<bool> {
    if let [l, m, ..] = *w.as_bytes() {
        if crate::lang::common_ideograph(l, m) {
            return Some(false);
        }
    }
    let first = w.chars().next()?;
    if !is_alphanumeric(first) && !w.chars().any(is_alphanumeric) {
        return None;
    }
    Some(!w.chars().any(is_alphabetic))
}

impl Tokenizer {
    pub(super) fn cut_chinese(
        &self,
        s: &str,
        base: usize,
        buf: &mut TokenBuf,
        scratch: &mut String,
        flag_stop: bool,
    ) {
        scratch.clear();
        scratch.push_str(s);
        let counts = crate::text::han::to_simplified_counted(scratch);
        buf.han.add(counts);
        // Numbers with their units and dates are cut before jieba sees them (jieba
        // splits `3,000` at the comma and `2021年1月2日` into digits and 年/月/日).
        let bytes = scratch.as_bytes();
        let mut from = 0;
        let mut pos = 0;
        while let Some(d) = bytes[pos..].iter().position(u8::is_ascii_digit) {
            let d = pos + d;
            let (end, kind) = special::zh_number(scratch, d);
            self.cut_jieba(&scratch[from..d], base + from, buf, flag_stop);
            buf.push(
                base + d,
                base + end,
                &scratch[d..end],
                Lang::Zh,
                false,
                true,
            );
            buf.set_last_kind(kind);
            from = end;
            pos = end;
        }
        self.cut_jieba(&scratch[from..], base + from, buf, flag_stop);
    }

    /// Cuts Simplified text `s` (at byte `base` of the analysed text) with jieba.
    fn cut_jieba(&self, s: &str, base: usize, buf: &mut TokenBuf, flag_stop: bool) {
        if s.is_empty() {
            return;
        }
        for tk in self.inner.jieba.cut(s, self.inner.hmm) {
            let (w, st, en) = (tk.word, tk.byte_start, tk.byte_end);
            let Some(numeric) = word_class(w) else {
                continue; // whitespace, punctuation, symbols
            };
            if w.bytes().any(|b| b.is_ascii_uppercase()) {
                // Latin letters inside a Han run (rare: Latin normally opens its own
                // run).
                buf.push_lower(base + st, base + en, w, Lang::Zh, numeric, false);
                if flag_stop {
                    self.flag_last_stop(buf, Lang::Zh);
                }
            } else {
                let stop = flag_stop && self.inner.stopwords.contains(Lang::Zh, w);
                buf.push(base + st, base + en, w, Lang::Zh, stop, numeric);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classification as written before [`word_class`].
    fn reference(w: &str) -> Option<bool> {
        let first = w.chars().next()?;
        if !is_alphanumeric(first) && !w.chars().any(is_alphanumeric) {
            return None;
        }
        Some(!w.chars().any(is_alphabetic))
    }

    #[test]
    fn word_class_equals_the_decoding_test() {
        // Every character of the Basic Multilingual Plane alone and before a digit, a
        // comma and an ideograph (the shortcut answers for the whole word from its
        // first two bytes).
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            for w in [
                c.to_string(),
                format!("{c}1"),
                format!("{c},"),
                format!("{c}字"),
            ] {
                assert_eq!(word_class(&w), reference(&w), "{w:?}");
            }
        }
        assert_eq!(word_class(""), None);
        assert_eq!(word_class("比特币"), Some(false));
        assert_eq!(word_class("３"), Some(true));
    }
}
