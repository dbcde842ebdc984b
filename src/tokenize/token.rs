//! Tokens and the per-document token buffer: every term of a text in one reused
//! string, so that tokenizing allocates nothing per token.
//!
//! ```
//! let tok = duibi::tokenize::Tokenizer::builder().build().unwrap();
//! let (text, buf) = tok.tokenize("BTC rose 3,000 points");
//! let t = &buf.tokens()[2];
//! assert_eq!((&text[t.start as usize..t.end as usize], buf.term(t), t.numeric), ("3,000", "3,000", true));
//! ```

use super::TokenKind;
use crate::lang::{HanVariantCounts, Lang};

/// One token: a byte span of the analysed text and its term in the [`TokenBuf`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the surface form in the normalized text.
    pub start: u32,
    /// Byte offset one past the surface form.
    pub end: u32,
    pub(super) term_start: u32,
    pub(super) term_end: u32,
    /// Language of the run the token came from.
    pub lang: Lang,
    /// True when the term is on the stopword list of its language.
    pub stop: bool,
    /// True when the surface form has no letters (numbers such as `3,000` or `2021`).
    pub numeric: bool,
    /// What the token is: a word, or a special token (number, date, URL, …).
    pub kind: TokenKind,
    /// True when the surface form has letters and none of them lowercase (`BTC`,
    /// `SEC's`); set for tokens of non-Chinese runs only (always false in Chinese runs).
    pub(crate) caps: bool,
}

/// Tokens of one text, with their terms stored in one shared buffer.
#[derive(Debug, Default, Clone)]
pub struct TokenBuf {
    pub(super) terms: String,
    pub(super) tokens: Vec<Token>,
    /// Traditional/Simplified characters of the Chinese runs cut into this buffer.
    pub(super) han: HanVariantCounts,
    /// The segmenter's buffers.
    pub(super) seg: super::segment::Scratch,
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
        self.han = HanVariantCounts::default();
    }

    /// [`HanVariantCounts::of`] the Chinese runs tokenized into this buffer since it
    /// was cleared (counted while they were converted to Simplified).
    pub fn han_counts(&self) -> HanVariantCounts {
        self.han
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

    /// The bytes of the term of a token of this buffer: [`TokenBuf::term`] without
    /// its checks of character boundaries, for a caller that only hashes and compares
    /// them.
    #[inline]
    pub(crate) fn term_bytes(&self, t: &Token) -> &[u8] {
        self.terms
            .as_bytes()
            .get(t.term_start as usize..t.term_end as usize)
            .unwrap_or_default()
    }

    /// Tokens with their terms.
    pub fn iter(&self) -> impl Iterator<Item = (&Token, &str)> + '_ {
        self.tokens.iter().map(move |t| (t, self.term(t)))
    }

    /// Appends `text` to the term buffer without a token, and returns where it
    /// starts: the terms of the tokens cut from it are then ranges of it
    /// ([`TokenBuf::push_range`]), one copy per run instead of one per token.
    #[inline]
    pub(super) fn push_text(&mut self, text: &str) -> usize {
        let at = self.terms.len();
        self.terms.push_str(text);
        at
    }

    /// Pushes the token of bytes `start..end` whose term is the bytes `ts..te` of the
    /// term buffer, written before by [`TokenBuf::push_text`] (on character
    /// boundaries).
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_range(
        &mut self,
        start: usize,
        end: usize,
        ts: usize,
        te: usize,
        lang: Lang,
        stop: bool,
        numeric: bool,
    ) {
        debug_assert!(te <= self.terms.len() && self.terms.is_char_boundary(ts));
        debug_assert!(self.terms.is_char_boundary(te));
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            term_start: ts as u32,
            term_end: te as u32,
            lang,
            stop,
            numeric,
            kind: TokenKind::of_numeric(numeric),
            caps: false,
        });
    }

    /// Pushes the token of bytes `start..end` whose term is `terms[ts..]` (just
    /// written), with no flags set.
    #[inline]
    fn push_token(
        &mut self,
        start: usize,
        end: usize,
        ts: usize,
        lang: Lang,
        numeric: bool,
    ) -> &mut Token {
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            term_start: ts as u32,
            term_end: self.terms.len() as u32,
            lang,
            stop: false,
            numeric,
            kind: TokenKind::of_numeric(numeric),
            caps: false,
        });
        self.tokens.last_mut().expect("just pushed")
    }

    /// Pushes a token whose term is `surface` lowercased; `caps` is computed when
    /// `with_caps` (see [`Token::caps`]).
    #[inline]
    pub(super) fn push_lower(
        &mut self,
        start: usize,
        end: usize,
        surface: &str,
        lang: Lang,
        numeric: bool,
        with_caps: bool,
    ) {
        // One pass over the bytes: whether the surface is ASCII, and has a capital.
        let (mut high, mut upper) = (0u8, false);
        for &b in surface.as_bytes() {
            high |= b;
            upper |= b.is_ascii_uppercase();
        }
        if high < 0x80 {
            // All caps is a capital and no lowercase letter; read only when it counts.
            let lower = !(upper && with_caps) || surface.bytes().any(|b| b.is_ascii_lowercase());
            self.push_ascii_lower(start, end, surface, lang, numeric, upper, lower);
            return;
        }
        let ts = self.terms.len();
        let caps = with_caps && all_caps(surface);
        for c in surface.chars() {
            if c.is_ascii() {
                self.terms.push(c.to_ascii_lowercase());
            } else {
                self.terms.extend(c.to_lowercase());
            }
        }
        self.push_token(start, end, ts, lang, numeric).caps = caps;
    }

    /// [`TokenBuf::push_lower`] with caps of an ASCII `surface` whose case its caller
    /// has read already: whether it has a capital (`upper`) and a lowercase letter
    /// (`lower`). Without a capital the term is the surface as it is; with one and no
    /// lowercase letter it is all caps.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_ascii_lower(
        &mut self,
        start: usize,
        end: usize,
        surface: &str,
        lang: Lang,
        numeric: bool,
        upper: bool,
        lower: bool,
    ) {
        let ts = self.terms.len();
        self.terms.push_str(surface);
        if upper {
            if let Some(term) = self.terms.get_mut(ts..) {
                term.make_ascii_lowercase();
            }
        }
        self.push_token(start, end, ts, lang, numeric).caps = upper && !lower;
    }

    /// [`TokenBuf::push_ascii_lower`] of a surface already in the term buffer, as its
    /// bytes `ts..te` (written by [`TokenBuf::push_text`], and this token's alone):
    /// lowercased in place, not copied.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_ascii_range(
        &mut self,
        start: usize,
        end: usize,
        (ts, te): (usize, usize),
        lang: Lang,
        numeric: bool,
        upper: bool,
        lower: bool,
    ) {
        if upper {
            if let Some(term) = self.terms.get_mut(ts..te) {
                term.make_ascii_lowercase();
            }
        }
        self.push_range(start, end, ts, te, lang, false, numeric);
        if let Some(t) = self.tokens.last_mut() {
            t.caps = upper && !lower;
        }
    }

    /// Marks the last token pushed as a special token of `kind`.
    #[inline]
    pub(super) fn set_last_kind(&mut self, kind: TokenKind) {
        if let Some(t) = self.tokens.last_mut() {
            t.kind = kind;
        }
    }

    /// Drops the last `n` bytes of the last token's term (an English possessive `'s`),
    /// and from the term buffer too when the term is its end.
    #[inline]
    pub(super) fn fold_last(&mut self, n: usize) {
        if let Some(t) = self.tokens.last_mut() {
            let len = (t.term_end - t.term_start) as usize;
            if n < len {
                let at_end = t.term_end as usize == self.terms.len();
                t.term_end -= n as u32;
                if at_end {
                    self.terms.truncate(t.term_end as usize);
                }
            }
        }
    }
}

/// True when `surface` has letters and none of them is lowercase (VADER's ALL-CAPS
/// test).
pub(crate) fn all_caps(surface: &str) -> bool {
    if surface.is_ascii() {
        let b = surface.as_bytes();
        return b.iter().any(u8::is_ascii_alphabetic) && !b.iter().any(u8::is_ascii_lowercase);
    }
    surface.chars().any(crate::text::classes::is_alphabetic)
        && !surface.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::super::Tokenizer;

    /// The bytes the vocabulary hashes and compares are those of each token's term,
    /// in every kind of run (ASCII words lowercased in place, Chinese words made
    /// Simplified, possessives dropped, special tokens, lowercasing that changes
    /// byte counts).
    #[test]
    fn term_bytes_are_the_bytes_of_the_term() {
        let tok = Tokenizer::builder().build().expect("tokenizer builds");
        let text = "Bitcoin's SEC\u{2019}s rigs 監管機構2021年1月2日整頓BTC挖礦 \
                    \u{130}stanbul \u{23a}\u{23a}'s https://Example.com/A 3,000 C++";
        let (_, buf) = tok.tokenize(text);
        assert!(buf.len() > 10);
        for t in buf.tokens() {
            assert_eq!(
                buf.term_bytes(t),
                buf.term(t).as_bytes(),
                "{:?}",
                buf.term(t)
            );
        }
    }
}
