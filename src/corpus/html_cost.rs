//! The cost of parsing a page, bounded before parsing: a linear pre-scan that
//! approximates what the tree builder will hold and refuses pages past the caps (see
//! [`crate::corpus::html`]).
//!
//! ```
//! use duibi::corpus::html::{check_cost, HtmlTooComplex};
//! assert_eq!(check_cost("<p>ok</p>"), Ok(()));
//! assert_eq!(check_cost(&"<div>".repeat(600)), Err(HtmlTooComplex::Depth));
//! ```

/// Most elements open at once (Chromium's HTML parser caps the tree depth at 512).
pub const MAX_DEPTH: usize = 512;
/// Most formatting elements (`<b>`, `<a>`, `<font>` …) left open at once.
pub const MAX_FORMATTING: usize = 512;
/// Most attributes on one tag (and on the `<html>` and `<body>` elements, whose
/// attributes accumulate over repeated tags).
pub const MAX_ATTRIBUTES: usize = 256;

/// Why a page is refused before parsing: the parser's work on it would not be bounded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlTooComplex {
    /// More than [`MAX_DEPTH`] elements open at once.
    #[error("HTML nested deeper than {MAX_DEPTH} elements: not parsed")]
    Depth,
    /// More than [`MAX_FORMATTING`] formatting elements left open.
    #[error("HTML with more than {MAX_FORMATTING} unclosed formatting elements: not parsed")]
    Formatting,
    /// Misnested formatting elements the parser would rebuild again and again, past
    /// [`reconstruct_budget`].
    #[error("HTML whose misnested formatting elements would be rebuilt more than once per 8 bytes: not parsed")]
    Rebuilt,
    /// More than [`MAX_ATTRIBUTES`] attributes on one element.
    #[error("HTML element with more than {MAX_ATTRIBUTES} attributes: not parsed")]
    Attributes,
}

/// Formatting elements: kept in the tree builder's list of active formatting elements.
const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements that never have content (no end tag, never on the stack).
fn is_void(name: &str) -> bool {
    [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
        "param", "source", "track", "wbr", "basefont", "bgsound", "frame",
    ]
    .iter()
    .any(|v| name.eq_ignore_ascii_case(v))
}

/// Elements whose content the tokenizer reads as text up to their end tag (in HTML
/// content; `noscript` is left out on purpose: scanning it as markup counts more).
fn is_raw(name: &str) -> bool {
    [
        "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
    ]
    .iter()
    .any(|v| name.eq_ignore_ascii_case(v))
}

/// Start tags that close an open `<p>` (an approximation of "close a p element").
fn closes_p(name: &str) -> bool {
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "dd",
        "dt",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "ul",
    ]
    .iter()
    .any(|v| name.eq_ignore_ascii_case(v))
}

/// For a start tag, the elements it closes when one of them is on top of the stack
/// (implied end tags of list items, definitions, table parts and options).
fn implied_closes(name: &str) -> &'static [&'static str] {
    match name.to_ascii_lowercase().as_str() {
        "li" => &["li"],
        "dd" | "dt" => &["dd", "dt"],
        "tr" => &["tr", "td", "th"],
        "td" | "th" => &["td", "th"],
        "option" => &["option"],
        "optgroup" => &["option", "optgroup"],
        "tbody" | "thead" | "tfoot" => &["tbody", "thead", "tfoot", "tr", "td", "th"],
        _ => &[],
    }
}

/// How many of the topmost open elements an implied end tag looks at: enough for
/// ordinary pages, and a constant, so the scan stays linear.
const IMPLIED_REACH: usize = 8;

/// Scans `html` once and refuses it when the tree builder would hold more open
/// elements, active formatting elements or attributes per element than the caps, or
/// would rebuild more formatting elements than the budget ([`reconstruct_budget`]).
///
/// Linear in the input; memory is the stack of open element names (borrowed from the
/// input, at most [`MAX_DEPTH`] of them) and the unclosed formatting tags.
pub fn check_cost(html: &str) -> Result<(), HtmlTooComplex> {
    let b = html.as_bytes();
    let mut scan = Scan::default();
    let budget = reconstruct_budget(html.len());
    let (mut html_attrs, mut body_attrs) = (0usize, 0usize);
    let mut i = 0usize;
    loop {
        let Some(off) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) else {
            if i < b.len() {
                scan.reconstruct(budget)?;
            }
            break;
        };
        if off > 0 {
            scan.reconstruct(budget)?;
        }
        i += off + 1;
        match b.get(i) {
            Some(b'!') => {
                if b.get(i + 1..i + 3) == Some(b"--") {
                    i = comment_end(b, i + 3);
                } else {
                    i = skip_past(b, i, b'>');
                }
            }
            Some(b'?') => i = skip_past(b, i, b'>'),
            Some(b'/') => match b.get(i + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let tag = read_tag(html, i + 1);
                    i = tag.end;
                    if tag.attributes > MAX_ATTRIBUTES {
                        return Err(HtmlTooComplex::Attributes);
                    }
                    scan.end_tag(tag.name);
                }
                _ => i = skip_past(b, i, b'>'),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let tag = read_tag(html, i);
                let source = html.get(i..tag.end).unwrap_or("");
                i = tag.end;
                let name = tag.name;
                if tag.attributes > MAX_ATTRIBUTES {
                    return Err(HtmlTooComplex::Attributes);
                }
                if name.eq_ignore_ascii_case("html") {
                    html_attrs += tag.attributes;
                } else if name.eq_ignore_ascii_case("body") {
                    body_attrs += tag.attributes;
                }
                if html_attrs > MAX_ATTRIBUTES || body_attrs > MAX_ATTRIBUTES {
                    return Err(HtmlTooComplex::Attributes);
                }
                // Block start tags do not rebuild (the parser closes a `<p>` there);
                // text and every other start tag do.
                if !closes_p(name) {
                    scan.reconstruct(budget)?;
                }
                if is_void(name) {
                    continue;
                }
                if let Some(pos) = close_implied(&scan.stack, name) {
                    scan.truncate(pos);
                }
                scan.push(name)?;
                if let Some(k) = formatting_index(name) {
                    scan.open_formatting(k, source)?;
                }
                if scan.foreign == 0 && !tag.self_closing {
                    if name.eq_ignore_ascii_case("plaintext") {
                        break;
                    }
                    if is_raw(name) {
                        i = raw_text_end(b, i, name.as_bytes());
                        scan.truncate(scan.stack.len() - 1);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// How many formatting elements the tree builder may rebuild ("reconstruct the active
/// formatting elements") for a page of `len` bytes: one per 8 bytes, plus a little.
/// Misnested markup such as `<p><b id=1>x</p>` repeated with ever new attributes
/// makes every later paragraph rebuild all of them, a tree quadratic in the input.
pub fn reconstruct_budget(len: usize) -> usize {
    len / 8 + 4096
}

/// What the pre-scan tracks of the tree builder's state.
#[derive(Default)]
struct Scan<'a> {
    /// Open elements (names borrowed from the input).
    stack: Vec<&'a str>,
    /// Formatting elements among `stack`.
    formatting_in_stack: usize,
    /// Open svg/math elements among `stack`: inside them no element is raw text.
    foreign: usize,
    /// Unclosed formatting tags per element name, most recent last, as written.
    unclosed: [Vec<&'a str>; FORMATTING.len()],
    /// Active formatting elements: unclosed formatting tags, counting at most three
    /// that are written the same (the parser's "Noah's Ark" clause).
    active: usize,
    /// Formatting elements rebuilt so far.
    rebuilt: usize,
}

impl<'a> Scan<'a> {
    fn push(&mut self, name: &'a str) -> Result<(), HtmlTooComplex> {
        if is_foreign_root(name) {
            self.foreign += 1;
        }
        if formatting_index(name).is_some() {
            self.formatting_in_stack += 1;
        }
        self.stack.push(name);
        if self.stack.len() > MAX_DEPTH {
            return Err(HtmlTooComplex::Depth);
        }
        Ok(())
    }

    fn truncate(&mut self, pos: usize) {
        for n in self.stack.get(pos..).unwrap_or(&[]) {
            if is_foreign_root(n) {
                self.foreign = self.foreign.saturating_sub(1);
            }
            if formatting_index(n).is_some() {
                self.formatting_in_stack = self.formatting_in_stack.saturating_sub(1);
            }
        }
        self.stack.truncate(pos);
    }

    fn open_formatting(&mut self, k: usize, source: &'a str) -> Result<(), HtmlTooComplex> {
        let same = self.unclosed[k]
            .iter()
            .rev()
            .filter(|s| **s == source)
            .take(3)
            .count();
        self.unclosed[k].push(source);
        if same < 3 {
            self.active += 1;
            if self.active > MAX_FORMATTING {
                return Err(HtmlTooComplex::Formatting);
            }
        }
        Ok(())
    }

    fn end_tag(&mut self, name: &str) {
        if let Some(k) = formatting_index(name) {
            if let Some(source) = self.unclosed[k].pop() {
                let same = self.unclosed[k]
                    .iter()
                    .rev()
                    .filter(|s| **s == source)
                    .take(3)
                    .count();
                if same < 3 {
                    self.active = self.active.saturating_sub(1);
                }
            }
        }
        if let Some(pos) = self
            .stack
            .iter()
            .rposition(|n| n.eq_ignore_ascii_case(name))
        {
            self.truncate(pos);
        }
    }

    /// Active formatting elements that are no longer open are opened again (as the
    /// parser does before text and most start tags): counted against `budget`.
    fn reconstruct(&mut self, budget: usize) -> Result<(), HtmlTooComplex> {
        let missing = self.active.saturating_sub(self.formatting_in_stack);
        if missing == 0 {
            return Ok(());
        }
        self.rebuilt += missing;
        if self.rebuilt > budget {
            return Err(HtmlTooComplex::Rebuilt);
        }
        for _ in 0..missing {
            self.push("b")?;
        }
        Ok(())
    }
}

fn formatting_index(name: &str) -> Option<usize> {
    FORMATTING.iter().position(|f| name.eq_ignore_ascii_case(f))
}

fn is_foreign_root(name: &str) -> bool {
    name.eq_ignore_ascii_case("svg") || name.eq_ignore_ascii_case("math")
}

/// The position the stack is cut to by the end tags a start tag `name` implies,
/// looking only at the top [`IMPLIED_REACH`] entries of the stack.
fn close_implied(stack: &[&str], name: &str) -> Option<usize> {
    let mut cut = None;
    if closes_p(name) {
        cut = close_within(
            stack,
            &["p"],
            &[
                "html", "table", "td", "th", "caption", "marquee", "object", "applet", "template",
                "button", "svg", "math",
            ],
        );
    }
    let closes = implied_closes(name);
    if !closes.is_empty() {
        let end = cut.unwrap_or(stack.len());
        if let Some(pos) = close_within(
            &stack[..end],
            closes,
            &[
                "ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr", "select", "html",
                "template", "svg", "math",
            ],
        ) {
            cut = Some(pos);
        }
    }
    cut
}

/// Walks down from the top of the stack (at most [`IMPLIED_REACH`] entries, stopping
/// at a `boundary` that is not itself closed): the position of the lowest element of
/// `closes` seen.
fn close_within(stack: &[&str], closes: &[&str], boundary: &[&str]) -> Option<usize> {
    let is = |set: &[&str], n: &str| set.iter().any(|c| n.eq_ignore_ascii_case(c));
    let mut lowest = None;
    for (pos, n) in stack.iter().enumerate().rev().take(IMPLIED_REACH) {
        if is(closes, n) {
            lowest = Some(pos);
        } else if is(boundary, n) {
            break;
        }
    }
    lowest
}

/// A tag as the scan sees it.
struct Tag<'a> {
    name: &'a str,
    attributes: usize,
    self_closing: bool,
    /// Byte just past the tag's `>` (or the end of the input).
    end: usize,
}

/// Reads a tag whose name starts at `start`: its name, how many attributes it has
/// (names as the tokenizer splits them, values quoted or not) and where it ends.
fn read_tag(html: &str, start: usize) -> Tag<'_> {
    let b = html.as_bytes();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0C);
    let mut i = start;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    // Tag names end at an ASCII byte, so `i` is a char boundary.
    let name = html.get(start..i).unwrap_or("");
    let mut attributes = 0usize;
    let mut self_closing = false;
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        match b.get(i) {
            None => break,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(_) => {}
        }
        self_closing = false;
        // Attribute name (a leading '=' belongs to the name).
        attributes += 1;
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => i = skip_past(b, i + 1, q),
            _ => {
                while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
    Tag {
        name,
        attributes,
        self_closing,
        end: i,
    }
}

/// Index just past the next `c` at or after `from` (the end of the input if none).
fn skip_past(b: &[u8], from: usize, c: u8) -> usize {
    match b.get(from..).and_then(|r| r.iter().position(|&x| x == c)) {
        Some(p) => from + p + 1,
        None => b.len(),
    }
}

/// Index just past the end of a comment whose text starts at `from` (after `<!--`):
/// `>` or `->` right away, else `-->` or `--!>`.
fn comment_end(b: &[u8], from: usize) -> usize {
    match b.get(from) {
        Some(b'>') => return from + 1,
        Some(b'-') if b.get(from + 1) == Some(&b'>') => return from + 2,
        _ => {}
    }
    let mut i = from;
    while let Some(p) = b
        .get(i..)
        .and_then(|r| r.windows(2).position(|w| w == b"--"))
    {
        let at = i + p + 2;
        match b.get(at) {
            Some(b'>') => return at + 1,
            Some(b'!') if b.get(at + 1) == Some(&b'>') => return at + 2,
            _ => i = i + p + 1,
        }
    }
    b.len()
}

/// Index of the `<` of the end tag `</name` (any case, followed by a space, `/` or `>`)
/// at or after `from`, or the end of the input: the end of a raw-text element.
fn raw_text_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = b
        .get(i..)
        .and_then(|r| r.windows(2).position(|w| w == b"</"))
    {
        let at = i + p;
        let n = at + 2;
        let after = b.get(n + name.len());
        if b.get(n..n + name.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
            && matches!(
                after,
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0C | b'/' | b'>')
            )
        {
            return at;
        }
        i = at + 2;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_refuse_hostile_pages_quickly() {
        let t = std::time::Instant::now();
        let deep = "<div>".repeat(100_000);
        assert_eq!(check_cost(&deep), Err(HtmlTooComplex::Depth));
        let bold: String = (0..20_000).map(|i| format!("<b id={i}>x")).collect();
        assert!(check_cost(&bold).is_err());
        let para_bold: String = (0..20_000).map(|i| format!("<p><b id={i}>x</p>")).collect();
        assert!(check_cost(&para_bold).is_err());
        // Under the formatting cap, but rebuilt in every paragraph.
        let open: String = (0..500).map(|i| format!("<p><b id={i}>x</p>")).collect();
        let rebuilt = format!("{open}{}", "<p>x</p>".repeat(10_000));
        assert_eq!(check_cost(&rebuilt), Err(HtmlTooComplex::Rebuilt));
        // The same tag left open again and again is kept at most three times.
        let same = "<p><font color=red>x</p>".repeat(10_000);
        assert_eq!(check_cost(&same), Ok(()));
        let attrs: String = (0..100_000).map(|i| format!(" a{i}")).collect();
        assert_eq!(
            check_cost(&format!("<p{attrs}>x</p>")),
            Err(HtmlTooComplex::Attributes)
        );
        let end_attrs = format!("<p>x</p{attrs}>");
        assert_eq!(check_cost(&end_attrs), Err(HtmlTooComplex::Attributes));
        let html_attrs: String = (0..300).map(|i| format!("<html a{i}>")).collect();
        assert_eq!(check_cost(&html_attrs), Err(HtmlTooComplex::Attributes));
        assert!(t.elapsed() < std::time::Duration::from_secs(2));
    }
    #[test]
    fn raw_text_is_not_raw_inside_svg() {
        // In foreign content <style> is an ordinary element: what follows is markup.
        let page = format!(
            "<svg><style>{}</style></svg>",
            "<b id=1>".repeat(MAX_FORMATTING + 1)
        );
        assert!(check_cost(&page).is_err());
        let page = format!("<style>{}</style>", "<b id=1>".repeat(MAX_FORMATTING + 1));
        assert_eq!(check_cost(&page), Ok(()));
    }
}
