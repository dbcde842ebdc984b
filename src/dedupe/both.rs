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

/// What a byte is to the run of plain ASCII that follows a letter or digit
/// ([`keys_and_sketch`]'s inner loop): [`PLAIN`] for a character other than white
/// space (`OTHER` or a letter or digit), [`GAP`] for white space other than the line
/// feed, and [`RUN_ALNUM`] for a letter or digit; no bit for the line feed and the
/// bytes of non-ASCII characters, which end the run.
static RUN: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0u8;
    while b < 128 {
        t[b as usize] = match BYTES[b as usize] {
            OTHER => PLAIN,
            SPACE => GAP,
            BREAK => 0,
            _ => PLAIN | RUN_ALNUM,
        };
        b += 1;
    }
    t
};
/// [`RUN`]: a character of one byte that is no white space.
const PLAIN: u8 = 1;
/// [`RUN`]: white space other than the line feed (one bit above [`PLAIN`], so that
/// `class >> 1 & PLAIN` tests it).
const GAP: u8 = 2;
/// [`RUN`]: a letter or digit.
const RUN_ALNUM: u8 = 4;

/// What the line key hashes for each byte of a run: the lowercase of a letter or
/// digit, a space for any white space (one space stands for each gap), the byte
/// itself otherwise.
static LOW: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0u8;
    while b < 128 {
        t[b as usize] = match BYTES[b as usize] {
            OTHER | BREAK => b,
            SPACE => b' ',
            l => l,
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
            // The rest of a run of ASCII characters other than the line feed, each
            // gap of one white-space character between two of them hashed as the
            // space it stands for (the line key's pending space, taken at once: a
            // character that is no white space follows it in the line). One loop
            // without a branch on what each character is (words, single spaces and
            // punctuation alike), so that the end of every word is no mispredicted
            // exit: the line key takes each byte ([`LOW`]), the sketch each letter
            // and digit (`push_code_if`). The run ends before a gap of two or more,
            // a gap before the end of the text, a line feed or a non-ASCII character.
            let mut r = b.get(i).map_or(0, |&c| RUN[usize::from(c)]);
            loop {
                let next = b.get(i + 1).map_or(0, |&c| RUN[usize::from(c)]);
                if (r | (r >> 1 & next)) & PLAIN == 0 {
                    break;
                }
                let v = u32::from(b.get(i).map_or(0, |&c| LOW[usize::from(c)]));
                line.push_next(v);
                sh.push_code_if(&mut at, v, r & RUN_ALNUM != 0);
                i += 1;
                r = next;
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
                    // The rest of a run of characters of three bytes that lowercase
                    // to themselves and are no white space (Chinese letters and
                    // punctuation, mostly): the line key takes each, the sketch
                    // each letter and digit, with no branch on which it is.
                    while let Some(&[b0 @ 0xE0..=0xEF, b1, b2]) = b.get(i..i + 3) {
                        let c = three(b0, b1, b2);
                        let bits = k.bmp(c);
                        if bits & (WHITE | LOWER_SAME) != LOWER_SAME {
                            break;
                        }
                        line.push_next(u32::from(c));
                        sh.push_code_if(&mut at, u32::from(c), bits & ALNUM != 0);
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

    /// Asserts that the one pass gives what the two give on `text`.
    fn agrees(text: &str) {
        assert_eq!(keys_and_sketch(text), both(text), "{text:?}");
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
    fn runs_end_where_the_line_key_would_not_hash_a_gap() {
        // The inner runs (ASCII after a letter or digit; three-byte characters after
        // a Chinese letter) against every way they can end or go on: gaps of one and
        // two white-space characters, a gap before a line feed, before a non-ASCII
        // character and at the end of the text, punctuation inside and after words,
        // Chinese punctuation and the ideographic space inside a Chinese run.
        let texts = [
            "word",
            "word ",
            "word  ",
            "a b",
            "a  b",
            "a\tb",
            "a \tb",
            "a \nb",
            "a\r\nb c\r\n",
            "a \u{3000}b",
            "a \u{A0}b",
            "a ’b",
            "don’t stop, it's (fine) -- 2021.",
            "e.g. x-y z/w \"q\"  r ",
            "Hello, World!  Two spaces.\tTab. End ",
            "比特币，挖矿。矿工\u{3000}外流 算力、\n",
            "矿工，2021年。 ",
            "矿工“把”矿机—运往A海外",
        ];
        // Each also repeated into a long text, so the runs cross the sketch's blocks.
        let long = |t: &str| format!("{t}{t}").repeat(40);
        texts.iter().for_each(|t| {
            agrees(t);
            agrees(&long(t));
        });
        // Lines whose gaps differ share the line key's one key; a trailing gap
        // changes nothing.
        let (a, _) = keys_and_sketch("one two\none  two\none two \n");
        agrees("one two\none  two\none two \n");
        assert_eq!(a.len(), 1);
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
        texts.into_iter().for_each(agrees);
        let long: String = (0..300)
            .map(|i| format!("Sentence {i} about hash rate 算力 {}.\n", i * 7))
            .collect();
        let (keys, sk) = keys_and_sketch(&long);
        assert_eq!((keys.len(), sk.len()), (300, crate::config::SKETCH_SIZE));
        assert_eq!((keys, sk), both(&long));
    }
}
