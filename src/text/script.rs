//! Script classes of characters, the unit script runs are cut by.
//!
//! ```
//! use duibi::text::{script_of, Script};
//! assert_eq!(script_of('矿'), Some(Script::Han));
//! assert_eq!(script_of('b'), Some(Script::Latin));
//! assert_eq!(script_of('3'), None);
//! assert_eq!(script_of('・'), None); // a name separator in Chinese too
//! ```

use serde::{Deserialize, Serialize};

/// Script class of a character, as used to cut script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// CJK ideographs.
    Han,
    /// Hiragana and katakana.
    Kana,
    /// Korean Hangul.
    Hangul,
    /// Latin letters.
    Latin,
    /// Letters of any other script (Cyrillic, Arabic, …).
    Other,
}

/// Classifies a character; `None` for characters that do not start a run
/// (digits, spaces, punctuation, symbols, marks).
#[inline]
pub fn script_of(c: char) -> Option<Script> {
    let u = c as u32;
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            Some(Script::Latin)
        } else {
            None
        };
    }
    match u {
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF | 0x3007 => {
            Some(Script::Han)
        }
        // The katakana middle dot ・ (and the double hyphen ゠) are punctuation that
        // Chinese text uses too (伯克希尔・哈撒韦): they start no run.
        0x30A0 | 0x30FB => None,
        0x3040..=0x309F | 0x30A1..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Some(Script::Kana),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF => {
            Some(Script::Hangul)
        }
        0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => {
            if super::classes::is_alphabetic(c) {
                Some(Script::Latin)
            } else {
                None
            }
        }
        _ => {
            if super::classes::is_alphabetic(c) {
                Some(Script::Other)
            } else {
                None
            }
        }
    }
}
