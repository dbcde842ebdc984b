//! A document's passage keys and its sketch in one pass over its text.
//!
//! [`passage::keys`](super::passage::keys) and [`sketch::sketch`](super::sketch::sketch)
//! each decode every character of a text and classify it; the scan pass needs both,
//! so this pass decodes and classifies each character once (one table lookup for a
//! non-ASCII character, none for an ASCII one) and feeds both. The results are those
//! of the two functions, by construction (the same per-line and per-shingle state) and
//! by test.
//!
//! ```
//! use duibi::corpus::Document;
//! use duibi::dedupe::ScanDoc;
//! let s = ScanDoc::of(&Document::in_memory("a", "g", "Line one.\nLine two.\n"));
//! assert_eq!(s.passages.len(), 2);
//! ```

use super::fold::Classes;
use super::passage::LineKey;
use super::sketch::Shingles;

/// What an ASCII byte is to the pass: its lowercase when a letter or digit (every one
/// above [`BREAK`]), else one of the kinds below.
const OTHER: u8 = 0;
/// White space other than the line feed ([`char::is_whitespace`] on ASCII).
const SPACE: u8 = 1;
/// The line feed.
const BREAK: u8 = 2;

/// [`OTHER`], [`SPACE`], [`BREAK`] or the lowercase, of every ASCII byte.
static ASCII: [u8; 128] = {
    let mut t = [OTHER; 128];
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

/// `(passage::keys(text), sketch::sketch(text))`.
pub(super) fn keys_and_sketch(text: &str) -> (Vec<u64>, Vec<u32>) {
    let k = Classes::get();
    let mut keys = Vec::new();
    let mut line = LineKey::new();
    let mut sh = Shingles::new();
    for c in text.chars() {
        if let Some(&t) = ASCII.get(c as usize) {
            if t > BREAK {
                let l = t as char;
                line.push(l, true);
                sh.push(l);
            } else if t == OTHER {
                line.push(c, false);
            } else if t == SPACE {
                line.space();
            } else {
                keys.extend(std::mem::replace(&mut line, LineKey::new()).finish());
            }
            continue;
        }
        let (space, alnum, lower_same) = k.class(c);
        if space {
            line.space();
        } else if lower_same {
            line.push(c, alnum);
            if alnum {
                sh.push(c);
            }
        } else {
            for l in c.to_lowercase() {
                line.push(l, k.is_alnum(l));
                if alnum {
                    sh.push(l);
                }
            }
        }
    }
    keys.extend(line.finish());
    keys.sort_unstable();
    keys.dedup();
    (keys, sh.finish())
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
