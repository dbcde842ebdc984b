//! Passages: the lines of a document's text, each keyed by a hash of its normalized
//! form, and the document text with set-aside passages blanked.
//!
//! A passage is a line (a paragraph in Markdown, a block in HTML, a line of plain
//! text): footers, signatures, referral and donation lines, copyright and newsletter
//! blurbs and navigation are written as lines of their own. Its key hashes the line
//! with surrounding white space trimmed, inner white space collapsed to one space and
//! letters lowercased; a line without a letter or digit (a rule, an empty line) is no
//! passage, as it holds no token.

use super::fold::Classes;
use crate::config::PASSAGE_SAMPLE_CHARS;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One step of FNV-1a over a character.
#[inline]
pub(crate) fn fnv(h: u64, c: char) -> u64 {
    (h ^ c as u64).wrapping_mul(FNV_PRIME)
}

/// The FNV-1a start value.
pub(crate) const FNV_START: u64 = FNV_OFFSET;

/// The splitmix64 finalizer: spreads FNV's bits over the whole word.
#[inline]
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The key of a line, `None` when it has no letter or digit. Stable across runs,
/// threads and machines (no random seed).
///
/// ```
/// use duibi::dedupe::passage::key;
/// assert_eq!(key("  Copyright  2021 Example "), key("copyright 2021 example"));
/// assert_ne!(key("Copyright 2021"), key("Copyright 2022"));
/// assert_eq!(key("---"), None);
/// ```
pub fn key(line: &str) -> Option<u64> {
    let mut lk = LineKey::new();
    let k = Classes::get();
    for c in line.chars() {
        if k.is_space(c) {
            lk.space();
            continue;
        }
        if c.is_ascii() {
            lk.push(c.to_ascii_lowercase(), c.is_ascii_alphanumeric());
        } else {
            k.lower(c, |l| lk.push(l, k.is_alnum(l)));
        }
    }
    lk.finish()
}

/// The state of [`key`] over one line, fed character by character (so a pass over a
/// whole text can key its lines as it goes).
#[derive(Clone, Copy)]
pub(super) struct LineKey {
    h: u64,
    alnum: bool,
    space: bool,
    started: bool,
}

impl LineKey {
    /// The state at the start of a line.
    #[inline]
    pub(super) fn new() -> Self {
        LineKey {
            h: FNV_START,
            alnum: false,
            space: false,
            started: false,
        }
    }

    /// A white-space character.
    #[inline(always)]
    pub(super) fn space(&mut self) {
        self.space = self.started;
    }

    /// One lowercased character (of a character that is no white space), and whether
    /// it is a letter or digit.
    #[inline(always)]
    pub(super) fn push(&mut self, l: char, alnum: bool) {
        self.push_code(u32::from(l), alnum);
    }

    /// [`push`](Self::push) of the character with code `l` (a scan that decoded the
    /// code itself need not make a `char` of it).
    #[inline(always)]
    pub(super) fn push_code(&mut self, l: u32, alnum: bool) {
        if self.space {
            self.h = fnv(self.h, ' ');
            self.space = false;
        }
        self.started = true;
        self.alnum |= alnum;
        self.h = (self.h ^ u64::from(l)).wrapping_mul(FNV_PRIME);
    }

    /// [`push_code`](Self::push_code) of a letter or digit right after another
    /// (no white space between, the line started and holding a letter or digit).
    #[inline(always)]
    pub(super) fn push_next(&mut self, l: u32) {
        debug_assert!(self.started && self.alnum && !self.space);
        self.h = (self.h ^ u64::from(l)).wrapping_mul(FNV_PRIME);
    }

    /// The line's key, `None` when it has no letter or digit.
    #[inline]
    pub(super) fn finish(self) -> Option<u64> {
        self.alnum.then(|| mix(self.h))
    }
}

/// The passages of `text`: each line with a key, with that key.
pub fn passages(text: &str) -> impl Iterator<Item = (u64, &str)> + '_ {
    text.split('\n').filter_map(|l| key(l).map(|k| (k, l)))
}

/// The sorted, distinct passage keys of `text`.
pub fn keys(text: &str) -> Vec<u64> {
    let mut v: Vec<u64> = passages(text).map(|(k, _)| k).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// How a line is quoted in the report: trimmed, at most
/// [`PASSAGE_SAMPLE_CHARS`] characters. A slice of the line, so comparing candidates
/// costs no allocation.
pub fn sample(line: &str) -> &str {
    let t = line.trim();
    match t.char_indices().nth(PASSAGE_SAMPLE_CHARS) {
        Some((i, _)) => &t[..i],
        None => t,
    }
}

/// A document text with its set-aside passages blanked.
#[derive(Debug, Clone, PartialEq)]
pub struct Stripped<'t> {
    /// The text with every set-aside line replaced by an empty line (the line breaks
    /// stay, so no sentence runs into the next paragraph).
    pub kept: String,
    /// The set-aside lines, one a line (to count their tokens).
    pub removed: String,
    /// The key and the line of each set-aside line, in text order.
    pub lines: Vec<(u64, &'t str)>,
}

/// `text` with the lines whose key `set_aside` accepts blanked; `None` when there is
/// none (the text is used as it is).
///
/// ```
/// use duibi::dedupe::passage::{key, strip};
/// let footer = key("Sign up for our newsletter.").unwrap();
/// let s = strip("Miners left.\nSign up for our newsletter.\n", |k| k == footer).unwrap();
/// assert_eq!(s.kept, "Miners left.\n\n");
/// assert_eq!(s.removed, "Sign up for our newsletter.\n");
/// assert!(strip("Miners left.", |k| k == footer).is_none());
/// ```
pub fn strip(text: &str, set_aside: impl Fn(u64) -> bool) -> Option<Stripped<'_>> {
    let lines: Vec<(u64, &str)> = passages(text).filter(|(k, _)| set_aside(*k)).collect();
    if lines.is_empty() {
        return None;
    }
    let mut kept = String::with_capacity(text.len());
    let mut removed = String::new();
    for (i, l) in text.split('\n').enumerate() {
        if i > 0 {
            kept.push('\n');
        }
        if key(l).is_some_and(&set_aside) {
            removed.push_str(l.trim());
            removed.push('\n');
        } else {
            kept.push_str(l);
        }
    }
    Some(Stripped {
        kept,
        removed,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_spacing_not_content() {
        assert_eq!(key("作者：老矿工。\r"), key(" 作者：老矿工。"));
        assert_eq!(key("A  b\tC"), key("a b c"));
        assert_ne!(key("a b c"), key("abc"));
        assert_eq!(key("  \t "), None);
        assert_eq!(key("© —"), None);
    }

    #[test]
    fn keys_are_sorted_and_distinct() {
        let k = keys("b\na\nb\n\n---\n");
        assert_eq!(k.len(), 2);
        assert!(k[0] < k[1]);
    }

    #[test]
    fn strip_keeps_line_structure() {
        let f = key("footer").unwrap();
        let s = strip("a\r\nfooter\r\nb", |k| k == f).unwrap();
        assert_eq!(s.kept, "a\r\n\nb");
        assert_eq!(s.lines, vec![(f, "footer\r")]);
    }

    #[test]
    fn sample_is_capped() {
        let long = "字".repeat(PASSAGE_SAMPLE_CHARS + 5);
        assert_eq!(sample(&long).chars().count(), PASSAGE_SAMPLE_CHARS);
        assert_eq!(sample("  x  "), "x");
    }
}
