//! Text extraction per file format: plain text, Markdown (with YAML front matter),
//! HTML (visible text only) and JSON Lines (one document per line).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

/// Metadata fields a document may carry (manifest, front matter or JSONL record).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Fields {
    /// Group label (e.g. `domestic`, `overseas`). Not serialized: a document record
    /// carries the resolved group in its own `group` field (serializing both wrote the
    /// key twice, and JSON readers kept the second, `null`).
    #[serde(skip_serializing)]
    pub group: Option<String>,
    /// Outlet or author.
    pub source: Option<String>,
    /// Publication date as written.
    pub date: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Declared language (a code such as `zh` or `en`), serialized as `lang_declared`:
    /// `lang` in a document record is the detected main language.
    #[serde(rename = "lang_declared")]
    pub lang: Option<String>,
    /// Rank in [`DATE_KEYS`](super::metadata::DATE_KEYS) of the key the date was read
    /// from (`None`: set directly, or from the path). Not serialized.
    #[serde(skip)]
    #[schemars(skip)]
    pub date_rank: Option<u8>,
    /// Where the date came from when not from the metadata (front matter, path); not
    /// serialized (a document record says it in its own `date_from`).
    #[serde(skip)]
    #[schemars(skip)]
    pub date_from: Option<super::metadata::DateFrom>,
}

impl Fields {
    /// Longest metadata value kept, in bytes: longer values are cut (on a character
    /// boundary) by [`Fields::cap_values`] when a corpus is read.
    pub const MAX_VALUE_BYTES: usize = 4096;

    /// Cuts every value longer than [`Fields::MAX_VALUE_BYTES`] on a character boundary
    /// and returns the names of the fields cut.
    ///
    /// ```
    /// use duibi::corpus::format::Fields;
    /// let mut f = Fields { title: Some("标".repeat(2000)), ..Default::default() };
    /// assert_eq!(f.cap_values(), ["title"]);
    /// assert_eq!(f.title.as_deref(), Some("标".repeat(1365).as_str()));
    /// ```
    pub fn cap_values(&mut self) -> Vec<&'static str> {
        let mut cut = Vec::new();
        for (name, value) in [
            ("group", &mut self.group),
            ("source", &mut self.source),
            ("date", &mut self.date),
            ("title", &mut self.title),
            ("url", &mut self.url),
            ("lang", &mut self.lang),
        ] {
            if let Some(v) = value {
                if v.len() > Self::MAX_VALUE_BYTES {
                    v.truncate(crate::text::floor_char_boundary(v, Self::MAX_VALUE_BYTES));
                    cut.push(name);
                }
            }
        }
        cut
    }

    /// Fills every field that is `None` here from `other`.
    pub fn fill_from(&mut self, other: &Fields) {
        macro_rules! fill {
            ($($f:ident),*) => {$(
                if self.$f.is_none() { self.$f = other.$f.clone(); }
            )*};
        }
        fill!(group, source, title, url, lang);
        if self.date.is_none() {
            self.date = other.date.clone();
            self.date_rank = other.date_rank;
            self.date_from = other.date_from;
        }
    }

    /// Sets the field named `key` (case-insensitive; `outlet`/`author` map to source,
    /// `link` to url, `language` to lang). The date keys of
    /// [`DATE_KEYS`](super::metadata::DATE_KEYS) (`date`, `published_at`, `pubDate`,
    /// `published`, …, `updated`) map to date, the best-ranked key winning whatever
    /// their order; keys other than `date` count only when their value parses as a
    /// date (`published: true` is a flag). False for unknown keys.
    ///
    /// ```
    /// use duibi::corpus::format::Fields;
    /// let mut f = Fields::default();
    /// f.set("updated", "2021-03-01".into());
    /// f.set("published", "true".into());
    /// f.set("pubDate", "Mon, 2021-01-04".into()); // does not parse: not taken
    /// f.set("published_at", "2021-01-02".into());
    /// assert_eq!(f.date.as_deref(), Some("2021-01-02"));
    /// ```
    pub fn set(&mut self, key: &str, value: String) -> bool {
        let value = value.trim().to_string();
        if value.is_empty() {
            return true;
        }
        let key = key.trim().to_ascii_lowercase();
        if let Some(rank) = super::metadata::date_key_rank(&key) {
            let better = self.date.is_none() || self.date_rank.map_or(true, |r| rank < r);
            if better && super::metadata::takes_date(rank, &value) {
                self.date = Some(value);
                self.date_rank = Some(rank);
            }
            return true;
        }
        match key.as_str() {
            "group" => self.group = Some(value),
            "source" | "outlet" | "author" => {
                if self.source.is_none() || key == "source" {
                    self.source = Some(value)
                }
            }
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
    match yaml_pairs(yaml) {
        Ok(YamlTop::Mapping(pairs)) => {
            for (k, v) in pairs {
                fields.set(&k, v);
            }
            if fields.date.is_some() {
                fields.date_from = Some(super::metadata::DateFrom::FrontMatter);
            }
        }
        Ok(YamlTop::Empty) => {}
        Ok(YamlTop::Other) => {
            warning = Some("front matter: not a key/value mapping (ignored)".into());
        }
        Err(e) => {
            // Line numbers in the file: the YAML starts on line 2 (markers are 1-based).
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
            if fields.date.is_some() {
                fields.date_from = Some(super::metadata::DateFrom::FrontMatter);
            }
        }
    }
    (fields, body, warning)
}

/// What the first YAML document of a front matter block holds.
enum YamlTop {
    /// No document (empty block).
    Empty,
    /// A mapping: its scalar key/scalar value pairs, in order.
    Mapping(Vec<(String, String)>),
    /// A scalar or a sequence at the top.
    Other,
}

/// Reads the top-level scalar pairs of the first YAML document with the event parser.
///
/// Event-based on purpose: the tree loader of `yaml-rust2` copies the node of an anchor
/// at every alias, so a few hundred bytes of nested aliases ("billion laughs") would
/// expand to gigabytes. Here aliases are never expanded and nested collections are
/// skipped, so time and memory stay linear in the input.
fn yaml_pairs(yaml: &str) -> Result<YamlTop, yaml_rust2::ScanError> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(yaml);
    let mut top: Option<YamlTop> = None;
    let mut pairs = Vec::new();
    // Nesting depth of collections (0 = outside the root node).
    let mut depth = 0usize;
    let mut documents = 0usize;
    // In the root mapping, nodes alternate key, value. `key` is the pending key:
    // None while a key is expected, Some(None) after a key that is not a scalar.
    let mut key: Option<Option<String>> = None;
    loop {
        let (ev, _) = parser.next_token()?;
        // The node completed at depth 1 of a root mapping by this event, if any:
        // Some(Some(text)) for a scalar, Some(None) for an alias or a collection.
        let mut node: Option<Option<String>> = None;
        match ev {
            Event::StreamEnd => break,
            Event::DocumentStart => documents += 1,
            Event::DocumentEnd | Event::StreamStart | Event::Nothing => {}
            // Only the first document counts; later ones are still checked for errors.
            _ if documents > 1 => {}
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 0 && top.is_none() {
                    top = Some(if matches!(ev, Event::MappingStart(..)) {
                        YamlTop::Mapping(Vec::new())
                    } else {
                        YamlTop::Other
                    });
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    node = Some(None);
                }
            }
            Event::Scalar(v, style, _, tag) => {
                if depth == 0 && top.is_none() {
                    top = Some(YamlTop::Other);
                } else if depth == 1 {
                    node = Some(if key.is_none() {
                        Some(v)
                    } else {
                        scalar_text(v, style, tag)
                    });
                }
            }
            Event::Alias(_) => {
                // Never expanded: an alias as key or value drops the pair.
                if depth == 1 {
                    node = Some(None);
                }
            }
        }
        if !matches!(top, Some(YamlTop::Mapping(_))) {
            continue;
        }
        if let Some(n) = node {
            match key.take() {
                None => key = Some(n),
                Some(k) => {
                    if let (Some(k), Some(v)) = (k, n) {
                        pairs.push((k, v));
                    }
                }
            }
        }
    }
    Ok(match top {
        None => YamlTop::Empty,
        Some(YamlTop::Mapping(_)) => YamlTop::Mapping(pairs),
        Some(other) => other,
    })
}

/// The text of a scalar value as the tree loader would type it (`~` and `null` are
/// no value; plain integers, floats and booleans keep their written or canonical form).
fn scalar_text(
    v: String,
    style: yaml_rust2::scanner::TScalarStyle,
    tag: Option<yaml_rust2::parser::Tag>,
) -> Option<String> {
    use yaml_rust2::scanner::TScalarStyle;
    if style != TScalarStyle::Plain || tag.is_some() {
        return Some(v);
    }
    scalar(&yaml_rust2::Yaml::from_str(&v))
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

#[doc(inline)]
pub use super::html::html_text;

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
    let (recs, warns, _) = parse_jsonl_from(text, 1);
    (recs, warns)
}

/// [`parse_jsonl`] of a block of a file's lines whose first line is line `first` of
/// the file; also gives the number of lines of the block (blank ones included), so
/// the next block starts at `first` plus that. Blocks that end after a `\n` number
/// their lines as the whole text would.
///
/// ```
/// use duibi::corpus::format::parse_jsonl_from;
/// let (recs, warns, lines) = parse_jsonl_from("{\"text\": \"a\"}\n\nnot json\n", 10);
/// assert_eq!((recs[0].line, lines), (10, 3));
/// assert!(warns[0].starts_with("line 12: malformed JSON"));
/// ```
pub fn parse_jsonl_from(text: &str, first: usize) -> (Vec<JsonlRecord>, Vec<String>, usize) {
    let mut recs = Vec::new();
    let mut warns = Vec::new();
    let mut count = 0;
    for (i, line) in lines(text).enumerate() {
        count = i + 1;
        let n = first + i;
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
    (recs, warns, count)
}

/// Lines of a text ending in `\n`, `\r\n` or a lone `\r` (old Mac files, and mixed
/// endings in files edited on several systems), without their terminators. Unlike
/// [`str::lines`], a lone `\r` ends a line, so line numbers match what editors show.
///
/// ```
/// let l: Vec<&str> = duibi::corpus::format::lines("a\r\nb\rc\nd").collect();
/// assert_eq!(l, ["a", "b", "c", "d"]);
/// ```
pub fn lines(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.find(['\n', '\r']) {
            Some(i) => {
                let skip = if r[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&r[i + skip..]).filter(|s| !s.is_empty());
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
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
    fn front_matter_aliases_are_not_expanded() {
        // "Billion laughs": the tree loader would build 10^9 nodes here.
        let mut y = String::from("---\ngroup: domestic\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            y.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        y.push_str("source: *a9\ntitle: Laughs\n---\nbody\n");
        let t = std::time::Instant::now();
        let (f, body, w) = front_matter(&y);
        assert!(t.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(f.group.as_deref(), Some("domestic"));
        assert_eq!(f.title.as_deref(), Some("Laughs"));
        assert_eq!(f.source, None);
        assert_eq!(body, "body\n");
        assert!(w.is_none());
    }

    #[test]
    fn front_matter_shapes() {
        // Nested values and non-scalar keys are skipped; pairs after them are kept.
        let (f, _, w) = front_matter(
            "---\ntags: [a, b]\nmeta: {x: 1}\n? [k]\n: v\nsource: S\ndate: 2021-06-21\nlang: ~\n---\nb\n",
        );
        assert_eq!(f.source.as_deref(), Some("S"));
        assert_eq!(f.date.as_deref(), Some("2021-06-21"));
        assert_eq!(f.lang, None);
        assert!(w.is_none());
        let (_, _, w) = front_matter("---\n- a\n- b\n---\nb\n");
        assert!(w.unwrap().contains("not a key/value mapping"));
        let (f, body, w) = front_matter("---\n---\nb\n");
        assert_eq!((f, body, w), (Fields::default(), "b\n", None));
        let (_, _, w) = front_matter("---\ntitle: [unclosed\n---\nb\n");
        assert!(w.unwrap().contains("malformed YAML at line"));
    }

    #[test]
    fn jsonl_line_endings() {
        let (recs, warns) =
            parse_jsonl("{\"text\":\"a\"}\r{\"text\":\"b\"}\r\nbad\n{\"text\":\"c\"}");
        let lines: Vec<usize> = recs.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 4]);
        assert!(warns[0].starts_with("line 3:"));
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
}
