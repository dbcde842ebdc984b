//! Token kinds: words, and the special tokens real web text is full of (URLs, e-mail
//! addresses, @handles, #hashtags, hashes and wallet addresses, numbers, dates), with
//! their counts per document and group.
//!
//! Special tokens are found by [`super::special`] while a run is cut; analysis keeps
//! them out of term tables and keyness unless asked to keep them
//! ([`crate::config::KEEP_SPECIAL_TOKENS`]), and counts them ([`KindCounts`]).
//!
//! ```
//! use duibi::tokenize::{TokenKind, Tokenizer};
//! let tok = Tokenizer::builder().build().unwrap();
//! let (_, buf) = tok.tokenize("See https://example.org/a?ref=1 or @miner #bitcoin, 20%");
//! let kinds: Vec<TokenKind> = buf.tokens().iter().map(|t| t.kind).collect();
//! use TokenKind::*;
//! assert_eq!(kinds, [Word, Url, Word, Handle, Hashtag, Number]);
//! ```

use serde::{Deserialize, Serialize};

/// What a token is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A word of its language.
    #[default]
    Word,
    /// A number, percentage or amount (`3,000`, `20%`, `1.5亿`).
    Number,
    /// A date (`2021年1月2日`, `2021-01-02`).
    Date,
    /// A URL or a bare domain (`https://…`, `www.…`, `example.com`).
    Url,
    /// An e-mail address.
    Email,
    /// An `@handle`.
    Handle,
    /// A `#hashtag`.
    Hashtag,
    /// A hash or wallet address (long hex, `0x…`, base58 or bech32 strings).
    Hash,
}

impl TokenKind {
    /// Number of kinds: `kind as usize` is below it.
    pub(crate) const COUNT: usize = 8;

    /// Every kind, in the order of their `as usize` values.
    #[cfg(test)]
    pub(crate) const ALL: [TokenKind; TokenKind::COUNT] = [
        TokenKind::Word,
        TokenKind::Number,
        TokenKind::Date,
        TokenKind::Url,
        TokenKind::Email,
        TokenKind::Handle,
        TokenKind::Hashtag,
        TokenKind::Hash,
    ];

    /// [`TokenKind::Number`] for a numeric token (no letters), else a word.
    #[inline]
    pub(crate) fn of_numeric(numeric: bool) -> Self {
        if numeric {
            TokenKind::Number
        } else {
            TokenKind::Word
        }
    }

    /// True for every kind but [`TokenKind::Word`].
    #[inline]
    pub fn is_special(self) -> bool {
        self != TokenKind::Word
    }

    /// True for the kinds that are not words of any language (URLs, e-mail
    /// addresses, handles, hashtags, hashes): they are not counted as tokens of the
    /// run's language unless special tokens are kept.
    #[inline]
    pub fn is_web(self) -> bool {
        matches!(
            self,
            TokenKind::Url
                | TokenKind::Email
                | TokenKind::Handle
                | TokenKind::Hashtag
                | TokenKind::Hash
        )
    }
}

/// Tokens by kind, indexed by `kind as usize` (see [`KindCounts::of_tally`]).
pub(crate) type KindTally = [u64; TokenKind::COUNT];

/// Special tokens counted per document or group (integers: they merge like every
/// other aggregate).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(default)]
pub struct KindCounts {
    /// URLs and bare domains.
    pub urls: u64,
    /// E-mail addresses.
    pub emails: u64,
    /// @handles.
    pub handles: u64,
    /// #hashtags.
    pub hashtags: u64,
    /// Hashes and wallet addresses.
    pub hashes: u64,
    /// Numbers, percentages and amounts.
    pub numbers: u64,
    /// Dates.
    pub dates: u64,
}

impl KindCounts {
    /// Counts one token of `kind` (words are not counted).
    #[inline]
    pub fn add(&mut self, kind: TokenKind) {
        let slot = match kind {
            TokenKind::Word => return,
            TokenKind::Number => &mut self.numbers,
            TokenKind::Date => &mut self.dates,
            TokenKind::Url => &mut self.urls,
            TokenKind::Email => &mut self.emails,
            TokenKind::Handle => &mut self.handles,
            TokenKind::Hashtag => &mut self.hashtags,
            TokenKind::Hash => &mut self.hashes,
        };
        *slot += 1;
    }

    /// The counts of a tally of tokens by kind, indexed by `kind as usize`
    /// ([`KindTally`]; words are not counted): a caller counting every token of a
    /// document adds one to an array slot per token, with no branch on the kind.
    pub(crate) fn of_tally(t: &KindTally) -> Self {
        let n = |k: TokenKind| t[k as usize];
        KindCounts {
            urls: n(TokenKind::Url),
            emails: n(TokenKind::Email),
            handles: n(TokenKind::Handle),
            hashtags: n(TokenKind::Hashtag),
            hashes: n(TokenKind::Hash),
            numbers: n(TokenKind::Number),
            dates: n(TokenKind::Date),
        }
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, o: &KindCounts) {
        self.urls += o.urls;
        self.emails += o.emails;
        self.handles += o.handles;
        self.hashtags += o.hashtags;
        self.hashes += o.hashes;
        self.numbers += o.numbers;
        self.dates += o.dates;
    }

    /// URLs, e-mail addresses, handles, hashtags and hashes together.
    pub fn web(&self) -> u64 {
        self.urls + self.emails + self.handles + self.hashtags + self.hashes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tally by kind gives the counts of adding its tokens one by one.
    #[test]
    fn tally_gives_the_counts_of_adding() {
        for (i, &k) in TokenKind::ALL.iter().enumerate() {
            assert_eq!(k as usize, i);
            let mut tally: KindTally = [0; TokenKind::COUNT];
            let mut want = KindCounts::default();
            // Every kind once, and `k` i + 1 more times.
            for &j in TokenKind::ALL
                .iter()
                .chain(std::iter::repeat(&k).take(i + 1))
            {
                tally[j as usize] += 1;
                want.add(j);
            }
            assert_eq!(KindCounts::of_tally(&tally), want, "{k:?}");
        }
    }

    #[test]
    fn counts_merge() {
        let mut a = KindCounts::default();
        for k in [
            TokenKind::Url,
            TokenKind::Url,
            TokenKind::Hash,
            TokenKind::Word,
        ] {
            a.add(k);
        }
        let mut b = KindCounts::default();
        b.add(TokenKind::Date);
        b.merge(&a);
        assert_eq!((b.urls, b.hashes, b.dates, b.web()), (2, 1, 1, 3));
    }
}
