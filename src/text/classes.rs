//! Letter and digit classes of characters, one bit lookup per character.
//!
//! The tokenizers and the script-run finder ask of many non-ASCII characters (CJK
//! punctuation between jieba's words, accented Latin, symbols) whether they are
//! alphabetic or alphanumeric. The standard library answers that with a search of
//! its Unicode tables each time; these two bit sets answer it for every character of
//! the Basic Multilingual Plane (8 KB each, built once on first use from the same
//! standard-library functions, so the answers are the same by construction).
//! Characters above the plane take the general path.
//!
//! ```
//! use duibi::text::classes::{is_alphabetic, is_alphanumeric};
//! assert!(is_alphabetic('é') && is_alphabetic('矿') && !is_alphabetic('3'));
//! assert!(is_alphanumeric('3') && !is_alphanumeric('。') && !is_alphanumeric('“'));
//! ```

use std::sync::OnceLock;

/// Characters the sets cover: the Basic Multilingual Plane.
const COVERED: usize = 0x1_0000;
/// 64-bit words of one set.
const WORDS: usize = COVERED / 64;

/// Blocks whose every code point is a letter: CJK Unified Ideographs and Extension A,
/// Hangul syllables (checked against the standard library by the tests).
const LETTER_BLOCKS: [std::ops::RangeInclusive<u32>; 3] =
    [0x3400..=0x4DBF, 0x4E00..=0x9FFF, 0xAC00..=0xD7A3];

/// The two sets: alphabetic characters, then alphanumeric ones.
struct Sets {
    alpha: [u64; WORDS],
    alnum: [u64; WORDS],
}

fn sets() -> &'static Sets {
    static SETS: OnceLock<Box<Sets>> = OnceLock::new();
    SETS.get_or_init(|| {
        let mut s = Box::new(Sets {
            alpha: [0; WORDS],
            alnum: [0; WORDS],
        });
        for c in (0..COVERED as u32).filter_map(char::from_u32) {
            let (w, bit) = (c as usize / 64, 1u64 << (c as u32 % 64));
            // (Blocks of letters only are not asked one by one: start-up time.)
            let alpha = LETTER_BLOCKS.iter().any(|b| b.contains(&(c as u32))) || c.is_alphabetic();
            if alpha {
                s.alpha[w] |= bit;
            }
            if alpha || c.is_numeric() {
                s.alnum[w] |= bit;
            }
        }
        s
    })
}

/// Whether `c`'s bit is set in `set` (`c` in the plane).
#[inline]
fn bit(set: &[u64; WORDS], c: char) -> bool {
    let u = c as usize;
    set.get(u / 64).is_some_and(|w| w >> (u % 64) & 1 == 1)
}

/// [`char::is_alphabetic`], by table for the Basic Multilingual Plane.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    if (c as usize) < COVERED {
        bit(&sets().alpha, c)
    } else {
        c.is_alphabetic()
    }
}

/// [`char::is_alphanumeric`], by table for the Basic Multilingual Plane.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if (c as usize) < COVERED {
        bit(&sets().alnum, c)
    } else {
        c.is_alphanumeric()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_blocks_are_letters() {
        for u in LETTER_BLOCKS.iter().flat_map(|b| b.clone()) {
            assert!(char::from_u32(u).is_some_and(char::is_alphabetic), "{u:x}");
        }
    }

    #[test]
    fn sets_agree_with_the_standard_library_on_every_char() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}
