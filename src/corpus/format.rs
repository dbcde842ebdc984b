//! Text extraction per file format: plain text, Markdown (with YAML front matter),
//! HTML (visible text only) and JSON Lines (one document per line).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

/// Metadata fields a document may carry (manifest, front matter or JSONL record).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fields {
    /// Group label (e.g. `domestic`, `overseas`).
    pub group: Option<String>,
    /// Outlet or author.
    pub source: Option<String>,
    /// Publication date as written.
    pub date: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Declared language (a code such as `zh` or `en`).
    pub lang: Option<String>,
}

impl Fields {
    /// Fills every field that is `None` here from `other`.
    pub fn fill_from(&mut self, other: &Fields) {
        macro_rules! fill {
            ($($f:ident),*) => {$(
                if self.$f.is_none() { self.$f = other.$f.clone(); }
            )*};
        }
        fill!(group, source, date, title, url, lang);
    }

    /// Sets the field named `key` (case-insensitive; `outlet`/`author` map to source,
    /// `published` to date, `link` to url, `language` to lang). False for unknown keys.
    pub fn set(&mut self, key: &str, value: String) -> bool {
        let value = value.trim().to_string();
        if value.is_empty() {
            return true;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "group" => self.group = Some(value),
            "source" | "outlet" | "author" => {
                if self.source.is_none() || key == "source" {
                    self.source = Some(value)
                }
            }
            "date" | "published" => self.date = Some(value),
            "title" => self.title = Some(value),
            "url" | "link" => self.url = Some(value),
            "lang" | "language" => self.lang = Some(value),
            _ => return false,
        }
        true
    }
}

/// Splits YAML front matter (`---` … `---` at the very start) off a Markdown text.
///
/// Returns the fields found, the body, and a warning when the block is malformed
/// (the block is still removed from the body; scalar fields are kept).
pub fn front_matter(text: &str) -> (Fields, &str, Option<String>) {
    let mut fields = Fields::default();
    let t = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let Some(rest) = t.strip_prefix("---") else {
        return (fields, text, None);
    };
    let Some(rest) = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
    else {
        return (fields, text, None);
    };
    // Find the closing fence on its own line.
    let mut pos = 0usize;
    let mut close: Option<(usize, usize)> = None;
    for line in rest.split_inclusive('\n') {
        let l = line.trim_end_matches(['\r', '\n']);
        if l == "---" || l == "..." {
            close = Some((pos, pos + line.len()));
            break;
        }
        pos += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        return (
            fields,
            text,
            Some("front matter: opening '---' without a closing '---' (kept as text)".into()),
        );
    };
    let yaml = &rest[..yaml_end];
    let body = &rest[body_start..];
    let mut warning = None;
    match yaml_rust2::YamlLoader::load_from_str(yaml) {
        Ok(docs) => {
            if let Some(yaml_rust2::Yaml::Hash(h)) = docs.first() {
                for (k, v) in h {
                    let (Some(k), Some(v)) = (k.as_str(), scalar(v)) else {
                        continue;
                    };
                    fields.set(k, v);
                }
            } else if !docs.is_empty() {
                warning = Some("front matter: not a key/value mapping (ignored)".into());
            }
        }
        Err(e) => {
            // Line numbers in the file: the YAML starts on line 2.
            let line = e.marker().line() + 1;
            warning = Some(format!(
                "front matter: malformed YAML at line {line}: {} (ignored)",
                e.info()
            ));
            // Salvage simple `key: value` lines.
            for l in yaml.lines() {
                if let Some((k, v)) = l.split_once(':') {
                    fields.set(k, v.trim().trim_matches(['"', '\'']).to_string());
                }
            }
        }
    }
    (fields, body, warning)
}

fn scalar(v: &yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Real(r) => Some(r.clone()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Plain text of a Markdown body: link text kept, images, code (blocks and inline) and
/// raw HTML dropped; block ends become line breaks.
///
/// ```
/// let t = duibi::corpus::format::markdown_text(
///     "# 标题\n\nSee [the notice](https://example.org) ![chart](c.png)\n\n```\ncode\n```\n");
/// assert_eq!(t.trim(), "标题\n\nSee the notice");
/// ```
pub fn markdown_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut skip_depth = 0usize; // inside image or code block
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    for ev in Parser::new_ext(body, opts) {
        match ev {
            Event::Start(Tag::Image { .. }) | Event::Start(Tag::CodeBlock(_)) => skip_depth += 1,
            Event::End(TagEnd::Image) | Event::End(TagEnd::CodeBlock) => {
                skip_depth = skip_depth.saturating_sub(1);
                if skip_depth == 0 {
                    ensure_break(&mut out);
                }
            }
            Event::Text(t) if skip_depth == 0 => out.push_str(&t),
            Event::SoftBreak if skip_depth == 0 => out.push('\n'),
            Event::HardBreak if skip_depth == 0 => out.push('\n'),
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::BlockQuote(_))
            | Event::End(TagEnd::TableRow)
            | Event::End(TagEnd::TableHead)
                if skip_depth == 0 =>
            {
                out.push_str("\n\n");
            }
            Event::End(TagEnd::TableCell) if skip_depth == 0 => out.push(' '),
            _ => {}
        }
    }
    out
}

fn ensure_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Visible text of an HTML page (no script, style, template or head content), with the
/// `<title>` returned separately. Block elements become line breaks.
///
/// ```
/// let (text, title) = duibi::corpus::format::html_text(
///     "<html><head><title>T</title><style>p{}</style></head><body><p>A &amp; B</p><script>x()</script><p>C</p></body></html>");
/// assert_eq!(text.trim(), "A & B\n\nC");
/// assert_eq!(title.as_deref(), Some("T"));
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

/// One parsed JSON Lines record.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonlRecord {
    /// 1-based line number in the file.
    pub line: usize,
    /// The `text` field (or `content`/`body`).
    pub text: String,
    /// Optional `id` field.
    pub id: Option<String>,
    /// Metadata fields of the record.
    pub fields: Fields,
}

/// Parses JSON Lines: one object per line with `text` (or `content`/`body`) and optional
/// metadata. Blank lines are ignored; malformed lines are reported with their line
/// number and the rest of the file is kept.
///
/// ```
/// let (recs, warns) = duibi::corpus::format::parse_jsonl(
///     "{\"text\":\"矿场关停\",\"group\":\"domestic\"}\nnot json\n{\"text\":\"miners move\"}\n");
/// assert_eq!(recs.len(), 2);
/// assert_eq!(recs[0].fields.group.as_deref(), Some("domestic"));
/// assert!(warns[0].starts_with("line 2:"));
/// ```
pub fn parse_jsonl(text: &str) -> (Vec<JsonlRecord>, Vec<String>) {
    let mut recs = Vec::new();
    let mut warns = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let l = line.trim().trim_start_matches('\u{FEFF}');
        if l.is_empty() {
            continue;
        }
        match parse_jsonl_line(l) {
            Ok(Some((text, id, fields))) => recs.push(JsonlRecord {
                line: n,
                text,
                id,
                fields,
            }),
            Ok(None) => warns.push(format!("line {n}: no \"text\" field (skipped)")),
            Err(e) => warns.push(format!("line {n}: malformed JSON: {e} (skipped)")),
        }
    }
    (recs, warns)
}

/// Parses one JSON Lines record; `Ok(None)` when it has no text field.
pub fn parse_jsonl_line(line: &str) -> Result<Option<(String, Option<String>, Fields)>, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let Value::Object(map) = v else {
        return Err("not a JSON object".into());
    };
    let text = ["text", "content", "body"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))
        .map(str::to_owned);
    let Some(text) = text else { return Ok(None) };
    let mut fields = Fields::default();
    for (k, v) in &map {
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        fields.set(k, s);
    }
    let id = map.get("id").and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    Ok(Some((text, id, fields)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fields() {
        let (f, body, w) = front_matter(
            "---\ngroup: overseas\nsource: \"Harbour Review\"\ndate: 2021-06-21\n---\n# Hi\n",
        );
        assert_eq!(f.group.as_deref(), Some("overseas"));
        assert_eq!(f.source.as_deref(), Some("Harbour Review"));
        assert_eq!(f.date.as_deref(), Some("2021-06-21"));
        assert_eq!(body, "# Hi\n");
        assert!(w.is_none());
    }

    #[test]
    fn malformed_front_matter_warns_and_keeps_body() {
        let (f, body, w) = front_matter("---\ngroup: domestic\ntitle: [unclosed\n---\nbody text\n");
        assert_eq!(body, "body text\n");
        assert!(w.unwrap().contains("malformed YAML"));
        assert_eq!(f.group.as_deref(), Some("domestic"));
    }

    #[test]
    fn markdown_drops_code_and_html() {
        let t =
            markdown_text("Text with `code` and <b>html</b> and **bold**.\n\n    indented code\n");
        assert!(t.contains("Text with"));
        assert!(t.contains("bold"));
        assert!(!t.contains("indented"));
        assert!(!t.contains("<b>"));
    }

    #[test]
    fn html_skips_scripts_and_decodes_entities() {
        let (t, _) = html_text("<body><p>矿场&nbsp;关停</p><script>alert(1)</script><style>.a{}</style><p>Fin</p></body>");
        assert!(t.contains("矿场\u{a0}关停"));
        assert!(!t.contains("alert"));
        assert!(!t.contains(".a{}"));
    }
}
