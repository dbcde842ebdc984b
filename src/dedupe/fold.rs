//! Character classes for passage keys and shingles, one table lookup per character.
//!
//! [`passage::key`](super::passage::key) and [`sketch::sketch`](super::sketch::sketch)
//! ask of every character whether it is white space, whether it is a letter or digit
//! and what its lowercase is. The standard library answers the last two for non-ASCII
//! characters with a search of its Unicode tables each time; Chinese text is nearly
//! all non-ASCII, so that search was a sizeable share of the scan. This table answers
//! all three for every character of the Basic Multilingual Plane at once (one byte a
//! character, built once on first use from the same standard-library functions, so
//! the answers are the same by construction); characters above it, and the few whose
//! lowercase is another character, take the general path.
//!
//! ```
//! use duibi::dedupe::passage::key;
//! // The table and the general path agree: full-width letters fold like any other.
//! assert_eq!(key("ＡＢＣ 比特币"), key("ａｂｃ 比特币"));
//! ```

use std::sync::OnceLock;

/// A letter or digit ([`char::is_alphanumeric`]).
pub(super) const ALNUM: u8 = 1;
/// Lowercases to itself alone ([`char::to_lowercase`] yields just the character).
pub(super) const LOWER_SAME: u8 = 2;
/// White space ([`char::is_whitespace`]).
pub(super) const SPACE: u8 = 4;

/// Characters the table covers: the Basic Multilingual Plane.
const COVERED: usize = 0x1_0000;

/// Blocks of the Basic Multilingual Plane whose every character has the same class
/// bits, filled without asking the general path of each (most of the table, and
/// most of the time building it took): the ideographs of CJK Extension A and of the
/// Unified block, Yi syllables and Hangul syllables are letters that lowercase to
/// themselves; the Private Use Area is neither letter nor space. Pinned against the
/// general path on every character by the tests, so a Unicode version that changed
/// one of them would fail there.
const UNIFORM: [(u32, u32, u8); 5] = [
    (0x3400, 0x4DBF, ALNUM | LOWER_SAME),
    (0x4E00, 0x9FFF, ALNUM | LOWER_SAME),
    (0xA000, 0xA48C, ALNUM | LOWER_SAME),
    (0xAC00, 0xD7A3, ALNUM | LOWER_SAME),
    (0xE000, 0xF8FF, LOWER_SAME),
];

/// The class bits of every character of the Basic Multilingual Plane (surrogates,
/// which are no `char`, have none).
fn table() -> &'static [u8; COVERED] {
    static TABLE: OnceLock<Box<[u8; COVERED]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([0u8; COVERED]);
        let general = |t: &mut [u8; COVERED], codes: std::ops::Range<u32>| {
            for i in codes {
                if let (Some(c), Some(slot)) = (char::from_u32(i), t.get_mut(i as usize)) {
                    *slot = classify(c);
                }
            }
        };
        let mut next = 0;
        for (lo, hi, bits) in UNIFORM {
            general(&mut t, next..lo);
            if let Some(run) = t.get_mut(lo as usize..=hi as usize) {
                run.fill(bits);
            }
            next = hi + 1;
        }
        general(&mut t, next..COVERED as u32);
        t
    })
}

/// The class bits of `c` by the general path.
fn classify(c: char) -> u8 {
    let mut bits = 0;
    if c.is_alphanumeric() {
        bits |= ALNUM;
    }
    let mut lower = c.to_lowercase();
    if lower.next() == Some(c) && lower.next().is_none() {
        bits |= LOWER_SAME;
    }
    if c.is_whitespace() {
        bits |= SPACE;
    }
    bits
}

/// Character classes, with the table fetched once per text.
#[derive(Clone, Copy)]
pub(crate) struct Classes(&'static [u8; COVERED]);

impl Classes {
    /// The classes (the table is built on first use).
    pub(crate) fn get() -> Self {
        Classes(table())
    }

    /// The class bits of `c`, `None` above the Basic Multilingual Plane.
    #[inline]
    fn bits(self, c: char) -> Option<u8> {
        self.0.get(c as usize).copied()
    }

    /// The class bits ([`ALNUM`], [`LOWER_SAME`], [`SPACE`]) of the character of the
    /// Basic Multilingual Plane with code `c` (no bits for a surrogate code): one
    /// table lookup, no bounds check.
    #[inline(always)]
    pub(super) fn bmp(self, c: u16) -> u8 {
        self.0[usize::from(c)]
    }

    /// What one table lookup tells of a non-ASCII `c`: `(is_whitespace,
    /// is_alphanumeric, lowercases to itself alone)`, by the general path above the
    /// table.
    #[inline]
    pub(crate) fn class(self, c: char) -> (bool, bool, bool) {
        let b = match self.bits(c) {
            Some(b) => b,
            None => classify(c),
        };
        (b & SPACE != 0, b & ALNUM != 0, b & LOWER_SAME != 0)
    }

    /// [`char::is_whitespace`].
    #[inline]
    pub(crate) fn is_space(self, c: char) -> bool {
        match self.bits(c) {
            Some(b) => b & SPACE != 0,
            None => c.is_whitespace(),
        }
    }

    /// [`char::is_alphanumeric`].
    #[inline]
    pub(crate) fn is_alnum(self, c: char) -> bool {
        match self.bits(c) {
            Some(b) => b & ALNUM != 0,
            None => c.is_alphanumeric(),
        }
    }

    /// Calls `f` with each character of `c`'s lowercase ([`char::to_lowercase`]).
    #[inline]
    pub(crate) fn lower(self, c: char, mut f: impl FnMut(char)) {
        if c.is_ascii() {
            f(c.to_ascii_lowercase());
        } else if self.bits(c).is_some_and(|b| b & LOWER_SAME != 0) {
            f(c);
        } else {
            c.to_lowercase().for_each(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_equals_the_general_path_on_every_bmp_char() {
        let k = Classes::get();
        for c in (0..COVERED as u32).filter_map(char::from_u32) {
            assert_eq!(k.is_space(c), c.is_whitespace(), "{c:?}");
            assert_eq!(k.is_alnum(c), c.is_alphanumeric(), "{c:?}");
            let mut got = Vec::new();
            k.lower(c, |l| got.push(l));
            assert_eq!(got, c.to_lowercase().collect::<Vec<_>>(), "{c:?}");
        }
    }

    #[test]
    fn class_equals_the_general_path() {
        let k = Classes::get();
        let above = ['\u{10400}', '😀', '\u{20000}', '\u{1D7CE}', '\u{E0020}'];
        for c in (0..COVERED as u32).filter_map(char::from_u32).chain(above) {
            let mut lower = c.to_lowercase();
            let same = lower.next() == Some(c) && lower.next().is_none();
            let want = (c.is_whitespace(), c.is_alphanumeric(), same);
            assert_eq!(k.class(c), want, "{c:?}");
        }
    }

    #[test]
    fn chars_above_the_table_take_the_general_path() {
        let k = Classes::get();
        for c in ['\u{10400}', '😀', '\u{20000}', '\u{1D7CE}'] {
            assert_eq!(k.is_alnum(c), c.is_alphanumeric());
            let mut got = Vec::new();
            k.lower(c, |l| got.push(l));
            assert_eq!(got, c.to_lowercase().collect::<Vec<_>>());
        }
        // Deseret capital long I lowercases to another character.
        let mut got = Vec::new();
        k.lower('\u{10400}', |l| got.push(l));
        assert_eq!(got, vec!['\u{10428}']);
    }

    #[test]
    fn some_classes_are_as_expected() {
        let k = Classes::get();
        assert!(k.is_alnum('比') && k.is_alnum('〇') && !k.is_alnum('，'));
        assert!(k.is_space('\u{3000}') && !k.is_space('字'));
        let mut got = Vec::new();
        k.lower('İ', |l| got.push(l));
        assert_eq!(got, vec!['i', '\u{307}']);
    }
}
