//! Text printed to a terminal: control characters escaped, one function for every
//! print site (skip messages, warnings, errors, `--summary`, `duibi summarize`), so a
//! file or group name cannot move the cursor, recolour text, set the window title or
//! clear the screen.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `s` with every control character (C0 but `\n` when `keep_newlines`, DEL, C1)
/// written as a visible escape: `\r`, `\t`, `\n`, or `\u{1b}` style.
pub fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && !(keep_newlines && c == '\n');
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !bad(c) {
            out.push(c);
            continue;
        }
        match c {
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// One line for the terminal: every control character escaped, newlines included.
pub fn line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// A multi-line text for the terminal: control characters escaped, newlines kept.
pub fn text(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(line("监管 report ok"), Cow::Borrowed(_)));
        assert!(matches!(text("a\nb\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_characters_escaped() {
        assert_eq!(line("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(line("x\ry\tz\n"), "x\\ry\\tz\\n");
        assert_eq!(line("\u{7f}\u{9b}"), "\\u{7f}\\u{9b}");
        assert_eq!(text("a\u{7}\nb\n"), "a\\u{7}\nb\n");
    }
}
