//! HTML: visible text of a page, and a linear pre-scan that bounds the parser's work.
//!
//! The tree-building parser (html5ever through `scraper`) does work that grows with
//! the depth of open elements and the list of open formatting elements for every tag,
//! and checks each attribute of a tag against the earlier ones: 100k nested `<div>`,
//! 20k unclosed `<b id=N>` or 100k attributes on one element take tens of seconds in a
//! few megabytes. [`check_cost`] scans the page once, in linear time and without
//! allocating per tag, approximating what the tree builder will hold (open elements,
//! with the common implied end tags; unclosed formatting elements; attributes per
//! element). Pages past [`MAX_DEPTH`], [`MAX_FORMATTING`] or the rebuild budget are
//! read with the tokenizer alone ([`html_text_streaming`]); pages past
//! [`MAX_ATTRIBUTES`] are refused. The approximation errs towards counting more, never less:
//! within the caps the parser's work per tag is bounded by a constant. Pages under the
//! caps are parsed exactly as before, so the visible text of ordinary pages does not
//! change. The depth cap is the one Chromium's HTML parser applies (512).
//!
//! ```
//! use duibi::corpus::html::{html_text_bounded, MAX_DEPTH};
//! let (text, title) = html_text_bounded("<title>T</title><p>A &amp; B</p>").unwrap();
//! assert_eq!((text.trim(), title.as_deref()), ("A & B", Some("T")));
//! // Past the caps: the tokenizer alone, no tree.
//! let deep = format!("{}deep</div>", "<div>".repeat(MAX_DEPTH + 1));
//! assert_eq!(html_text_bounded(&deep).unwrap().0.trim(), "deep");
//! ```

#[doc(inline)]
pub use super::html_cost::{
    check_cost, reconstruct_budget, HtmlTooComplex, MAX_ATTRIBUTES, MAX_DEPTH, MAX_FORMATTING,
};

/// Visible text and title of a page with the parser's work bounded: pages within the
/// caps of [`check_cost`] go through the tree builder ([`html_text`]); pages nested
/// too deep or with too many open or rebuilt formatting elements through the
/// tokenizer alone ([`html_text_streaming`], no tree, linear). `Err` only for an
/// element with too many attributes (the tokenizer checks each against the others).
pub fn html_text_bounded(html: &str) -> Result<(String, Option<String>), HtmlTooComplex> {
    match check_cost(html) {
        Ok(()) => Ok(html_text(html)),
        Err(HtmlTooComplex::Attributes) => Err(HtmlTooComplex::Attributes),
        Err(_) => Ok(html_text_streaming(html)),
    }
}

/// Visible text and title of a page from the tokenizer alone: no tree, so time and
/// memory stay linear however deep or misnested the markup. Text inside `script`,
/// `style`, `template`, `head` and the other hidden elements is dropped; block
/// elements end with a line break. Less faithful than [`html_text`] on tables and
/// misnested markup (no implied elements, no foster parenting).
///
/// ```
/// let (t, title) = duibi::corpus::html::html_text_streaming(
///     "<title>T</title><div><p>A &amp; B<script>x()</script></div><p>C");
/// assert_eq!((t.trim(), title.as_deref()), ("A & B\n\nC", Some("T")));
/// ```
pub fn html_text_streaming(html: &str) -> (String, Option<String>) {
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
    let sink = TextSink::default();
    sink.out.borrow_mut().reserve(html.len() / 2);
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tok.feed(&input);
    tok.end();
    let title = tok.sink.title.take().map(|t| t.trim().to_string());
    (tok.sink.out.take(), title.filter(|t| !t.is_empty()))
}

/// Collects visible text from tokens.
#[derive(Default)]
struct TextSink {
    out: std::cell::RefCell<String>,
    title: std::cell::RefCell<Option<String>>,
    /// The hidden or raw-text element whose content is being dropped (or the title).
    inside: std::cell::RefCell<Option<String>>,
}

const HIDDEN: [&str; 9] = [
    "script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object",
];

impl html5ever::tokenizer::TokenSink for TextSink {
    type Handle = ();

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        _line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::states::RawKind;
        use html5ever::tokenizer::{TagKind, Token, TokenSinkResult};
        let mut inside = self.inside.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if let Some(open) = inside.as_deref() {
                    if tag.kind == TagKind::EndTag && open == name {
                        *inside = None;
                    }
                    return TokenSinkResult::Continue;
                }
                if tag.kind == TagKind::EndTag {
                    if is_block(name) {
                        self.out.borrow_mut().push_str("\n\n");
                    }
                    return TokenSinkResult::Continue;
                }
                if name == "br" {
                    self.out.borrow_mut().push('\n');
                }
                let raw = match name {
                    "title" | "textarea" => Some(RawKind::Rcdata),
                    "script" => Some(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        Some(RawKind::Rawtext)
                    }
                    _ => None,
                };
                if tag.self_closing && raw.is_none() {
                    return TokenSinkResult::Continue;
                }
                if name == "title" {
                    if self.title.borrow().is_none() {
                        *self.title.borrow_mut() = Some(String::new());
                    }
                    *inside = Some("title".into());
                } else if HIDDEN.contains(&name) {
                    *inside = Some(name.to_string());
                }
                match raw {
                    Some(kind) => TokenSinkResult::RawData(kind),
                    None if name == "plaintext" => TokenSinkResult::Plaintext,
                    None => TokenSinkResult::Continue,
                }
            }
            Token::CharacterTokens(t) => {
                match inside.as_deref() {
                    None => self.out.borrow_mut().push_str(&t),
                    Some("title") => {
                        if let Some(title) = self.title.borrow_mut().as_mut() {
                            title.push_str(&t);
                        }
                    }
                    Some(_) => {}
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Visible text of an HTML page (no script, style, template or head content), with the
/// `<title>` (else the first `<h1>`) returned separately. Block elements become line
/// breaks.
///
/// The parser's work is not bounded here: for files from outside, use
/// [`html_text_bounded`].
///
/// ```
/// let (text, title) = duibi::corpus::html::html_text(
///     "<html><head><title>T</title><style>p{}</style></head><body><p>A &amp; B</p><script>x()</script><p>C</p></body></html>");
/// assert_eq!(text.trim(), "A & B\n\nC");
/// assert_eq!(title.as_deref(), Some("T"));
/// let (_, title) = duibi::corpus::html::html_text("<body><h1> Mining  <b>moves</b></h1><p>x</p>");
/// assert_eq!(title.as_deref(), Some("Mining moves"));
/// ```
pub fn html_text(html: &str) -> (String, Option<String>) {
    use scraper::{Html, Node};
    let doc = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    let mut title = None;
    // Iterative walk to survive deep nesting.
    let mut stack = vec![(doc.tree.root(), false)];
    while let Some((node, closing)) = stack.pop() {
        if closing {
            if let Node::Element(e) = node.value() {
                if is_block(e.name()) {
                    out.push_str("\n\n");
                }
            }
            continue;
        }
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if name == "title" && title.is_none() {
                    let t: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect();
                    let t = t.trim().to_string();
                    if !t.is_empty() {
                        title = Some(t);
                    }
                    continue;
                }
                if matches!(
                    name,
                    "script"
                        | "style"
                        | "noscript"
                        | "template"
                        | "head"
                        | "svg"
                        | "math"
                        | "iframe"
                        | "object"
                ) {
                    continue;
                }
                if name == "br" {
                    out.push('\n');
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                for c in children.into_iter().rev() {
                    stack.push((c, false));
                }
            }
            _ => {
                let children: Vec<_> = node.children().collect();
                for c in children.into_iter().rev() {
                    stack.push((c, false));
                }
            }
        }
    }
    if title.is_none() {
        // <title> inside <head> was skipped with the head: look for it directly.
        if let Ok(sel) = scraper::Selector::parse("title") {
            if let Some(t) = doc.select(&sel).next() {
                let t: String = t.text().collect();
                let t = t.trim().to_string();
                if !t.is_empty() {
                    title = Some(t);
                }
            }
        }
    }
    if title.is_none() {
        // No <title>: the first <h1> names the page (see `corpus::metadata`).
        if let Ok(sel) = scraper::Selector::parse("h1") {
            title = doc.select(&sel).find_map(|h| {
                let t = h.text().flat_map(str::split_whitespace);
                let t = t.collect::<Vec<_>>().join(" ");
                (!t.is_empty()).then_some(t)
            });
        }
    }
    (out, title)
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "figure"
            | "figcaption"
            | "dt"
            | "dd"
            | "body"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_skips_scripts_and_decodes_entities() {
        let (t, _) = html_text("<body><p>矿场&nbsp;关停</p><script>alert(1)</script><style>.a{}</style><p>Fin</p></body>");
        assert!(t.contains("矿场\u{a0}关停"));
        assert!(!t.contains("alert"));
        assert!(!t.contains(".a{}"));
    }

    #[test]
    fn ordinary_pages_pass() {
        let mut page = String::from("<!DOCTYPE html><html><head><title>T</title><script>if (a<b) { x('<div>'.repeat(9999)) }</script></head><body>");
        for i in 0..5000 {
            // Sloppy but ordinary: unclosed paragraphs and list items, comments, entities.
            page.push_str(&format!("<p>para {i} &amp; <a href=\"/x?a=1&b=2\">link</a><!-- <div><div> --><ul><li>a<li>b</ul>"));
        }
        page.push_str("<table><tr><td>1<td>2<tr><td>3</table><svg><style><b></style></svg>");
        assert_eq!(check_cost(&page), Ok(()));
        let (text, title) = html_text_bounded(&page).unwrap();
        assert_eq!(title.as_deref(), Some("T"));
        assert!(text.contains("para 4999 & link"));
        // Raw text and comments hide markup from the count; nested depth counts.
        let hidden = format!(
            "<script>{}</script><!--{}-->",
            "<div>".repeat(2000),
            "<div>".repeat(2000)
        );
        assert_eq!(check_cost(&hidden), Ok(()));
        let nested = format!(
            "{}x{}",
            "<div>".repeat(MAX_DEPTH),
            "</div>".repeat(MAX_DEPTH)
        );
        assert_eq!(check_cost(&nested), Ok(()));
        assert_eq!(
            check_cost(&format!("<span>{nested}")),
            Err(HtmlTooComplex::Depth)
        );
    }
}
