//! A document's passage keys and its sketch in one pass over its text.
//!
//! [`passage::keys`](super::passage::keys) and [`sketch::sketch`](super::sketch::sketch)
//! each decode every character of a text and classify it; the scan pass needs both,
//! so this pass decodes and classifies each character once (one table lookup for
//! each, a byte table for ASCII) and feeds both. The results are those
//! of the two functions, by construction (the same per-line and per-shingle state) and
//! by test.
//!
//! ```
//! use duibi::corpus::Document;
//! use duibi::dedupe::ScanDoc;
//! let s = ScanDoc::of(&Document::in_memory("a", "g", "Line one.\nLine two.\n"));
//! assert_eq!(s.passages.len(), 2);
//! ```

use super::fold::{Classes, ALNUM, LOWER_SAME, SPACE as WHITE};
use super::passage::LineKey;
use super::sketch::Shingles;

/// What a byte is to the pass: for an ASCII letter or digit its lowercase (every one
/// above [`HIGH`]), else one of the kinds below.
const OTHER: u8 = 0;
/// White space other than the line feed ([`char::is_whitespace`] on ASCII).
const SPACE: u8 = 1;
/// The line feed.
const BREAK: u8 = 2;
/// A byte of a non-ASCII character.
const HIGH: u8 = 3;

/// [`OTHER`], [`SPACE`], [`BREAK`], [`HIGH`] or the lowercase, of every byte.
static BYTES: [u8; 256] = {
    let mut t = [HIGH; 256];
    let mut b = 0u8;
    while b < 128 {
        t[b as usize] = if b.is_ascii_alphanumeric() {
            b.to_ascii_lowercase()
        } else if b == b'\n' {
            BREAK
        } else if matches!(b, b'\t' | 0x0B | 0x0C | b'\r' | b' ') {
            SPACE
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// The code of the character of three bytes `b0 b1 b2` (of valid UTF-8).
#[inline(always)]
fn three(b0: u8, b1: u8, b2: u8) -> u16 {
    u16::from(b0 & 0x0F) << 12 | u16::from(b1 & 0x3F) << 6 | u16::from(b2 & 0x3F)
}

/// `(passage::keys(text), sketch::sketch(text))`.
///
/// A walk over the bytes: an ASCII character is one table lookup; a character of two
/// or three bytes (the rest of the Basic Multilingual Plane, all of Chinese) is
/// decoded here and classified by one lookup in [`Classes`]; a character whose
/// lowercase is another, or one of four bytes, takes the general path.
pub(super) fn keys_and_sketch(text: &str) -> (Vec<u64>, Vec<u32>) {
    let k = Classes::get();
    let b = text.as_bytes();
    let mut keys = Vec::new();
    let mut line = LineKey::new();
    let (mut sh, mut at) = Shingles::new();
    let mut i = 0;
    while let Some(&b0) = b.get(i) {
        let t = BYTES[usize::from(b0)];
        if t > HIGH {
            line.push_code(u32::from(t), true);
            sh.push_code(&mut at, u32::from(t));
            i += 1;
            // The rest of a run of ASCII letters and digits.
            while let Some(&t) = b.get(i).map(|&b1| &BYTES[usize::from(b1)]) {
                if t <= HIGH {
                    break;
                }
                line.push_next(u32::from(t));
                sh.push_code(&mut at, u32::from(t));
                i += 1;
            }
            continue;
        }
        if t < HIGH {
            if t == OTHER {
                line.push_code(u32::from(b0), false);
            } else if t == SPACE {
                line.space();
            } else {
                keys.extend(std::mem::replace(&mut line, LineKey::new()).finish());
            }
            i += 1;
            continue;
        }
        // A character of two or three bytes: `text` is UTF-8, so `b0` leads it and
        // its continuation bytes follow (a code below 0x1_0000 either way).
        let code = if b0 < 0xE0 {
            b.get(i + 1)
                .map(|&b1| (u16::from(b0 & 0x1F) << 6 | u16::from(b1 & 0x3F), 2))
        } else if b0 < 0xF0 {
            match b.get(i + 1..i + 3) {
                Some(&[b1, b2]) => Some((three(b0, b1, b2), 3)),
                _ => None,
            }
        } else {
            None
        };
        if let Some((c, len)) = code {
            let bits = k.bmp(c);
            if bits & WHITE != 0 {
                line.space();
                i += len;
                continue;
            }
            if bits & LOWER_SAME != 0 {
                let alnum = bits & ALNUM != 0;
                line.push_code(u32::from(c), alnum);
                i += len;
                if alnum {
                    sh.push_code(&mut at, u32::from(c));
                    // The rest of a run of letters and digits of three bytes that
                    // lowercase to themselves (Chinese, mostly).
                    while let Some(&[b0 @ 0xE0..=0xEF, b1, b2]) = b.get(i..i + 3) {
                        let c = three(b0, b1, b2);
                        if k.bmp(c) & (WHITE | LOWER_SAME | ALNUM) != LOWER_SAME | ALNUM {
                            break;
                        }
                        line.push_next(u32::from(c));
                        sh.push_code(&mut at, u32::from(c));
                        i += 3;
                    }
                }
                continue;
            }
        }
        // The general path: a character of four bytes, or one whose lowercase is
        // another.
        let Some(c) = text.get(i..).and_then(|s| s.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        let (space, alnum, lower_same) = k.class(c);
        if space {
            line.space();
        } else if lower_same {
            line.push(c, alnum);
            if alnum {
                sh.push(&mut at, c);
            }
        } else {
            for l in c.to_lowercase() {
                line.push(l, k.is_alnum(l));
                if alnum {
                    sh.push(&mut at, l);
                }
            }
        }
    }
    keys.extend(line.finish());
    keys.sort_unstable();
    keys.dedup();
    (keys, sh.finish(at))
}

#[cfg(test)]
mod tests {
    use super::super::{passage, sketch};
    use super::*;

    fn both(text: &str) -> (Vec<u64>, Vec<u32>) {
        (passage::keys(text), sketch::sketch(text))
    }

    #[test]
    fn equals_the_two_passes_on_every_bmp_char() {
        // Every character of the Basic Multilingual Plane, and a few above it, between
        // letters, spaces and line breaks, so each one meets the line keys and the
        // shingles in every role.
        let chars: Vec<char> = (0..0x1_0000u32)
            .filter_map(char::from_u32)
            .chain(['\u{10400}', '😀', '\u{20000}', '\u{1D7CE}'])
            .collect();
        for (i, chunk) in chars.chunks(97).enumerate() {
            let mut t = String::new();
            for (j, &c) in chunk.iter().enumerate() {
                t.push(c);
                match (i + j) % 11 {
                    0 => t.push('\n'),
                    3 => t.push(' '),
                    5 => t.push_str("\r\n  "),
                    7 => t.push('a'),
                    _ => {}
                }
            }
            assert_eq!(keys_and_sketch(&t), both(&t), "chunk {i}");
        }
    }

    proptest::proptest! {
        // Runs of ASCII and of Chinese letters broken by every kind of character the
        // walk tells apart: white space of one and three bytes, line breaks,
        // punctuation of one to three bytes, letters that lowercase to others (of
        // two bytes, one to two characters), full-width forms and characters of
        // four bytes; long enough to fill several blocks of the sketch.
        #[test]
        fn equals_the_two_passes_on_mixed_text(
            t in "([a-zA-Z0-9]{1,12}|[比特币矿场关停算力]{1,12}|[ \t\r\n\u{0B}\u{0C}\u{3000}\u{A0}\u{2028}\u{85}]|[.,!?，。、—“”·]|[ÀÉİΣǅ]|[ＡＢ１２]|[😀\u{10400}\u{20000}]){0,400}"
        ) {
            proptest::prop_assert_eq!(keys_and_sketch(&t), both(&t));
        }

        #[test]
        fn equals_the_two_passes_on_any_text(t in "\\PC{0,300}") {
            proptest::prop_assert_eq!(keys_and_sketch(&t), both(&t));
        }
    }

    #[test]
    fn equals_the_two_passes_on_documents() {
        let texts = [
            "",
            "\n\n",
            "one line without a break",
            "  Copyright  2021 Example \n---\n\nSign up\u{3000}for our NEWSLETTER.\n",
            "矿工把矿机运往海外，电价低廉。\n监管趋严，算力外流。\n本文转载自 Example Wire\n",
            "ÀÉÎ İstanbul ΣΑΣ\u{000B}ǅ ＡＢＣ\t１２３\n\u{0085}x\u{2028}y\n",
            "Reprinted from Example Wire.\nThe crackdown pushed miners to Texas.\n",
        ];
        for t in texts {
            assert_eq!(keys_and_sketch(t), both(t), "{t:?}");
        }
        let long: String = (0..300)
            .map(|i| format!("Sentence {i} about hash rate 算力 {}.\n", i * 7))
            .collect();
        let (keys, sk) = keys_and_sketch(&long);
        assert_eq!((keys.len(), sk.len()), (300, crate::config::SKETCH_SIZE));
        assert_eq!((keys, sk), both(&long));
    }
}
