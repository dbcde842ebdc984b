//! Text: the stage between a decoded document and its tokens.
//!
//! | job | module |
//! |---|---|
//! | NFKC normalization (with a fast path for common Chinese and English text) | [`normalize`](mod@normalize) |
//! | script class of a character | [`script`] |
//! | letters and digits of the Basic Multilingual Plane, by table | [`classes`] |
//! | Traditional / Simplified Chinese: detection and byte-preserving conversion | [`han`] |
//! | script runs and the language of each run | [`lang`] |
//! | sentence boundaries | [`sentence`] |
//! | offsets of the normalized text in the text as written | [`offsets`] |
//!
//! Every offset duibi reports refers to the normalized text.
//!
//! ```
//! use duibi::text::{self, Lang, LangDetector};
//! let raw = "比特幣礦工Ｅｌｏｎ Ｍｕｓｋ表示！ Prices fell.";
//! let norm = text::normalize(raw);
//! let langs: Vec<Lang> = LangDetector::default().runs(&norm).iter().map(|r| r.lang).collect();
//! assert_eq!(langs, vec![Lang::Zh, Lang::En, Lang::Zh, Lang::En]);
//! let sentences: Vec<&str> = text::split_sentences(&norm).iter().map(|&(a, b)| &norm[a..b]).collect();
//! assert_eq!(sentences, vec!["比特幣礦工Elon Musk表示!", "Prices fell."]);
//! ```

pub mod classes;
pub mod han;
pub mod lang;
pub mod normalize;
pub mod offsets;
pub mod script;
pub mod sentence;

pub use han::{to_simplified_char, to_simplified_in_place, HanVariantCounts, ZhScript};
pub use lang::{Lang, LangDetector, LangDetectorBuilder, Run};
pub use normalize::normalize;
pub use script::{script_of, Script};
pub use sentence::split as split_sentences;

/// Bit `k` set: byte `k` of the 16-byte block passes `test`. The byte-by-byte
/// reference (and fallback off x86-64) of the block scans' SSE2 masks, such as the
/// sentence splitter's stop bytes and the emoticon scan's anchors.
#[inline(always)]
pub(crate) fn mask16(blk: &[u8; 16], test: impl Fn(u8) -> bool) -> u32 {
    blk.iter()
        .enumerate()
        .fold(0u32, |m, (k, &x)| m | (u32::from(test(x)) << k))
}

/// The largest character boundary of `s` at or before byte `i` (`i <= s.len()`).
#[inline]
pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
