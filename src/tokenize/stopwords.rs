//! Stopword lists per language (`data/stopwords/{zh,en}.txt`). Stopwords are flagged
//! on tokens, never removed, so that sentiment rules still see negators.
//!
//! ```
//! use duibi::{lang::Lang, tokenize::Stopwords};
//! let s = Stopwords::shipped();
//! assert!(s.contains(Lang::Zh, "的") && s.contains(Lang::En, "the"));
//! assert!(!Stopwords::none().contains(Lang::En, "the"));
//! ```

use crate::lang::Lang;
use compact_str::CompactString;
use rustc_hash::FxHashSet;

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
