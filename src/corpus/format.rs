//! Text extraction per file format: plain text, Markdown (with YAML or TOML front matter),
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
        self.set_str(key, &value)
    }

    /// [`Fields::set`] from a borrowed value, copied only when it is kept (trimmed).
    ///
    /// ```
    /// use duibi::corpus::format::Fields;
    /// let mut f = Fields::default();
    /// assert!(f.set_str(" Outlet ", "  Harbour Review "));
    /// assert!(!f.set_str("text", "not metadata"));
    /// assert_eq!(f.source.as_deref(), Some("Harbour Review"));
    /// ```
    pub fn set_str(&mut self, key: &str, value: &str) -> bool {
        let value = value.trim();
        if value.is_empty() {
            return true;
        }
        let key = key.trim();
        let key: std::borrow::Cow<str> = if key.bytes().any(|b| b.is_ascii_uppercase()) {
            key.to_ascii_lowercase().into()
        } else {
            key.into()
        };
        if let Some(rank) = super::metadata::date_key_rank(&key) {
            let better = self.date.is_none() || self.date_rank.map_or(true, |r| rank < r);
            if better && super::metadata::takes_date(rank, value) {
                self.date = Some(value.to_string());
                self.date_rank = Some(rank);
            }
            return true;
        }
        let slot = match &*key {
            "group" => &mut self.group,
            "source" | "outlet" | "author" => {
                if self.source.is_some() && key != "source" {
                    return true;
                }
                &mut self.source
            }
            "title" => &mut self.title,
            "url" | "link" => &mut self.url,
            "lang" | "language" => &mut self.lang,
            _ => return false,
        };
        *slot = Some(value.to_string());
        true
    }
}

/// Splits front matter off a Markdown text: YAML between `---` lines (Jekyll, Hugo,
/// most static-site generators) or TOML between `+++` lines (Hugo's and Zola's
/// default), at the very start of the text.
///
/// Returns the fields found, the body, and a warning when the block is malformed
/// (the block is still removed from the body; scalar fields are kept, and simple
/// `key: value` or `key = value` lines of a block that does not parse are salvaged).
///
/// ```
/// use duibi::corpus::format::front_matter;
/// let (f, body, warning) =
///     front_matter("+++\ntitle = \"矿场停机\"\ndate = 2021-06-10\nauthor = \"能源评论\"\n+++\n正文。\n");
/// assert_eq!(f.title.as_deref(), Some("矿场停机"));
/// assert_eq!(f.date.as_deref(), Some("2021-06-10"));
/// assert_eq!(f.source.as_deref(), Some("能源评论"));
/// assert_eq!((body, warning), ("正文。\n", None));
/// ```
pub fn front_matter(text: &str) -> (Fields, &str, Option<String>) {
    let mut fields = Fields::default();
    let t = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let (kind, fence) = if t.starts_with("---") {
        (Matter::Yaml, "---")
    } else if t.starts_with("+++") {
        (Matter::Toml, "+++")
    } else {
        return (fields, text, None);
    };
    let rest = &t[fence.len()..];
    let Some(rest) = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
    else {
        return (fields, text, None);
    };
    // Find the closing fence on its own line (YAML may also end a document with `...`).
    let mut pos = 0usize;
    let mut close: Option<(usize, usize)> = None;
    for line in rest.split_inclusive('\n') {
        let l = line.trim_end_matches(['\r', '\n']);
        if l == fence || (kind == Matter::Yaml && l == "...") {
            close = Some((pos, pos + line.len()));
            break;
        }
        pos += line.len();
    }
    let Some((block_end, body_start)) = close else {
        return (
            fields,
            text,
            Some(format!(
                "front matter: opening '{fence}' without a closing '{fence}' (kept as text)"
            )),
        );
    };
    let block = &rest[..block_end];
    let body = &rest[body_start..];
    let warning = match kind {
        Matter::Yaml => yaml_fields(block, &mut fields),
        Matter::Toml => toml_fields(block, &mut fields),
    };
    if fields.date.is_some() {
        fields.date_from = Some(super::metadata::DateFrom::FrontMatter);
    }
    (fields, body, warning)
}

/// The language of a front matter block, told by its fence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Matter {
    /// `---`
    Yaml,
    /// `+++`
    Toml,
}

/// Sets `fields` from a YAML front matter block; the warning when it is not a
/// key/value mapping or does not parse.
fn yaml_fields(yaml: &str, fields: &mut Fields) -> Option<String> {
    match yaml_pairs(yaml) {
        Ok(YamlTop::Mapping(pairs)) => {
            for (k, v) in pairs {
                fields.set(&k, v);
            }
            None
        }
        Ok(YamlTop::Empty) => None,
        Ok(YamlTop::Other) => Some("front matter: not a key/value mapping (ignored)".into()),
        Err(e) => {
            // Line numbers in the file: the YAML starts on line 2 (markers are 1-based).
            let line = e.marker().line() + 1;
            salvage(yaml, ':', fields);
            Some(format!(
                "front matter: malformed YAML at line {line}: {} (ignored)",
                e.info()
            ))
        }
    }
}

/// Sets `fields` from a TOML front matter block: the top-level keys whose values are
/// strings, numbers, booleans or dates (as TOML writes them: `2021-06-10`,
/// `2021-06-10T08:00:00+08:00`); arrays and tables (`tags`, `[taxonomies]`) are
/// skipped. The warning when the block does not parse.
fn toml_fields(block: &str, fields: &mut Fields) -> Option<String> {
    // Bounded: the parser nests a call per level of brackets, and a block is at most
    // a file; a block nested deeper than any front matter is not parsed.
    let depth = block
        .bytes()
        .scan(0usize, |d, b| {
            match b {
                b'[' | b'{' => *d += 1,
                b']' | b'}' => *d = d.saturating_sub(1),
                _ => {}
            }
            Some(*d)
        })
        .max()
        .unwrap_or(0);
    if depth > TOML_MAX_DEPTH {
        salvage(block, '=', fields);
        return Some(format!(
            "front matter: TOML nested deeper than {TOML_MAX_DEPTH} levels (ignored)"
        ));
    }
    match block.parse::<toml::Table>() {
        Ok(table) => {
            for (k, v) in &table {
                let value = match v {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Float(x) => x.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    toml::Value::Datetime(d) => d.to_string(),
                    toml::Value::Array(_) | toml::Value::Table(_) => continue,
                };
                fields.set(k, value);
            }
            None
        }
        Err(e) => {
            // The block starts on line 2 of the file.
            let line = e.span().map_or(1, |s| {
                block[..s.start.min(block.len())].matches('\n').count() + 1
            }) + 1;
            salvage(block, '=', fields);
            let msg = e.message().trim().replace('\n', " ");
            Some(format!(
                "front matter: malformed TOML at line {line}: {msg} (ignored)"
            ))
        }
    }
}

/// Brackets a TOML front matter block may nest (far more than any site generator
/// writes).
const TOML_MAX_DEPTH: usize = 64;

/// Salvages the simple `key<sep> value` lines of a block that did not parse (quotes
/// around the value removed).
fn salvage(block: &str, sep: char, fields: &mut Fields) {
    for l in block.lines() {
        if let Some((k, v)) = l.split_once(sep) {
            fields.set(k, v.trim().trim_matches(['"', '\'']).to_string());
        }
    }
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
///
/// Reads the line once into its top-level string and number values, each borrowed
/// from the line unless it has escapes (nested values are checked and dropped), and
/// copies only the text, the id and the metadata kept. Keys are taken as a
/// `serde_json::Value` map takes them (in key order, the last of a repeated key
/// winning), so the same lines are accepted with the same errors and fields.
///
/// ```
/// use duibi::corpus::format::parse_jsonl_line;
/// let (text, id, f) = parse_jsonl_line(
///     r#"{"text":"a\nb","id":7,"author":"A","outlet":"O","title":"x","title":"y"}"#)
///     .unwrap().unwrap();
/// assert_eq!((text.as_str(), id.as_deref()), ("a\nb", Some("7")));
/// assert_eq!((f.source.as_deref(), f.title.as_deref()), (Some("A"), Some("y")));
/// assert_eq!(parse_jsonl_line("[1]").unwrap_err(), "not a JSON object");
/// ```
pub fn parse_jsonl_line(line: &str) -> Result<Option<(String, Option<String>, Fields)>, String> {
    let pairs = match serde_json::from_str(line) {
        Ok(Top::Object(pairs)) => pairs,
        Ok(Top::Other) => return Err("not a JSON object".into()),
        // serde_json's raw-value key first: the line is read as a `Value`, as before.
        Err(e) if e.to_string().starts_with(RAW_VALUE_TOKEN) => {
            match serde_json::from_str(line).map_err(|e| e.to_string())? {
                Value::Object(map) => map
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::String(s) => Scalar::Str(s.into()),
                            Value::Number(n) => Scalar::Num(n),
                            _ => Scalar::Other,
                        };
                        (Cow::Owned(k), v)
                    })
                    .collect(),
                _ => return Err("not a JSON object".into()),
            }
        }
        Err(e) => return Err(e.to_string()),
    };
    let value = |key: &str| {
        pairs
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .map(|i| &pairs[i].1)
    };
    let text = ["text", "content", "body"]
        .iter()
        .find_map(|k| match value(k) {
            Some(Scalar::Str(s)) => Some(s),
            _ => None,
        });
    let Some(text) = text else { return Ok(None) };
    let text = text.to_string();
    let mut fields = Fields::default();
    for (k, v) in &pairs {
        match v {
            Scalar::Str(s) => fields.set_str(k, s),
            Scalar::Num(n) => fields.set_str(k, &n.to_string()),
            Scalar::Other => continue,
        };
    }
    let id = value("id").and_then(|v| match v {
        Scalar::Str(s) => Some(s.to_string()),
        Scalar::Num(n) => Some(n.to_string()),
        Scalar::Other => None,
    });
    Ok(Some((text, id, fields)))
}

/// A JSON Lines record as [`parse_jsonl_line`] reads it.
enum Top<'a> {
    /// An object: its keys with their values, sorted by key, one per key (the last).
    Object(Vec<(Cow<'a, str>, Scalar<'a>)>),
    /// Not an object.
    Other,
}

/// A top-level value of a record: a string, a number, or anything else (unused).
enum Scalar<'a> {
    Str(Cow<'a, str>),
    Num(serde_json::Number),
    Other,
}

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Reads a value other than an object's top-level one as a `Value` would (and
/// drops it), so its errors are a `Value`'s.
fn skip_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<(), A::Error> {
    Value::deserialize(SeqAccessDeserializer::new(seq)).map(drop)
}

fn skip_map<'de, A: MapAccess<'de>>(map: A) -> Result<(), A::Error> {
    Value::deserialize(MapAccessDeserializer::new(map)).map(drop)
}

/// Implements the visitor methods of a value that is not a string, a number or a
/// collection as `$other`.
macro_rules! visit_others {
    ($other:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            skip_seq(seq).map(|()| $other)
        }
    };
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// An object key, borrowed from the line when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor).map(Key)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Scalar::Other, Scalar::Num))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| Scalar::Other)
    }
    visit_others!(Scalar::Other);
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut pairs: Vec<(Cow<'de, str>, Scalar<'de>)> = Vec::with_capacity(8);
        while let Some(Key(k)) = map.next_key()? {
            if pairs.is_empty() && k == RAW_VALUE_TOKEN {
                // A `Value` reads such a map as another value: left to it.
                return Err(serde::de::Error::custom(RAW_VALUE_TOKEN));
            }
            pairs.push((k, map.next_value()?));
        }
        // A `Value` map's order and its choice among repeated keys (the last).
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.reverse();
        pairs.dedup_by(|a, b| a.0 == b.0);
        pairs.reverse();
        Ok(Top::Object(pairs))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Top::Other)
    }
    visit_others!(Top::Other);
}

/// The first key serde_json's `Value` reads as an embedded raw value (feature
/// `raw_value`).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

impl<'de> Deserialize<'de> for Top<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TopVisitor)
    }
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
    fn toml_front_matter_shapes() {
        // Scalars of every kind become fields; arrays and tables are skipped.
        let (f, body, w) = front_matter(
            "+++\r\ntags = [\"a\"]\nsource = 'S'\ndate = 2021-06-21\nweight = 3\n\
             [extra]\ntitle = \"nested, not the title\"\n+++\r\nb\n",
        );
        assert_eq!(f.source.as_deref(), Some("S"));
        assert_eq!(f.date.as_deref(), Some("2021-06-21"));
        assert_eq!(f.title, None);
        assert_eq!((body, w), ("b\n", None));
        // Unclosed: kept as text, with a warning naming the fence.
        let text = "+++\ntitle = \"x\"\nbody\n";
        let (f, body, w) = front_matter(text);
        assert_eq!((f.title, body), (None, text));
        assert!(w.unwrap().contains("opening '+++' without a closing '+++'"));
        // `+++` not alone on the first line is not a fence.
        let (_, body, w) = front_matter("+++ not a fence\nb\n");
        assert_eq!((body, w), ("+++ not a fence\nb\n", None));
        // YAML's `...` does not close a TOML block.
        let (_, _, w) = front_matter("+++\n...\nb\n");
        assert!(w.unwrap().contains("without a closing"));
        // Malformed: the line in the file, simple lines salvaged.
        let (f, body, w) = front_matter("+++\nsource = \"S\"\n\ntitle = [unclosed\n+++\nb\n");
        assert_eq!((f.source.as_deref(), body), (Some("S"), "b\n"));
        let w = w.unwrap();
        assert!(
            w.starts_with("front matter: malformed TOML at line 4:"),
            "{w}"
        );
    }

    #[test]
    fn deep_toml_front_matter_is_not_parsed() {
        // Nesting that would take the parser a call per level is refused up front,
        // quickly, and the simple lines are still read.
        let deep = format!(
            "+++\nsource = \"S\"\nx = {}{}\n+++\nb\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let t = std::time::Instant::now();
        let (f, body, w) = front_matter(&deep);
        assert!(t.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!((f.source.as_deref(), body), (Some("S"), "b\n"));
        assert!(w.unwrap().contains("nested deeper than"));
        // At the limit it parses.
        let ok = format!(
            "+++\nsource = \"S\"\nx = {}{}\n+++\nb\n",
            "[".repeat(64),
            "]".repeat(64)
        );
        assert_eq!(front_matter(&ok).2, None);
    }

    /// The reading of a record before it was typed: a `serde_json::Value` map.
    fn value_reading(line: &str) -> Result<Option<(String, Option<String>, Fields)>, String> {
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

    #[test]
    fn jsonl_records_read_as_a_value_map_reads_them() {
        let lines = [
            r#"{"text":"矿场关停","group":"domestic","source":"S","date":"2021-06-21"}"#,
            r#"{"group":"g","text":"a\"b\u00e9","title":"t\n","id":"x\\y"}"#,
            // Repeated keys (the last wins), key order, case, keys with escapes.
            r#"{"title":"first","text":"t","title":"second","Title":"third"}"#,
            r#"{"outlet":"O","author":"A","text":"t"}"#,
            r#"{"text":"t","Author":"A","author":"a","outlet":"o"}"#,
            r#"{"text":"t","pub\u0044ate":"2021-01-04","date":"","published":"true"}"#,
            r#"{"text":"t","published":"2021-01-02","updated":"2021-03-01","Date":"soon"}"#,
            // Numbers as values and ids; non-string text falls through to content.
            r#"{"text":5,"content":"c","id":12,"date":20210101,"group":-3,"url":1.5e3}"#,
            r#"{"text":"t","id":1e400}"#,
            r#"{"text":"t","id":true,"title":null,"group":["a",{"b":1}],"lang":{"x":[]}}"#,
            r#"{"body":"b","text":null}"#,
            r#"{"group":"g"}"#,
            r#"{}"#,
            // Not objects, malformed, trailing data, deep nesting.
            "[1, 2]",
            "[1, 2",
            "\"text\"",
            "3",
            "null",
            "true",
            r#"{"text":"t"} x"#,
            r#"{"text":"t","#,
            r#"{"text":"t","a":[1e400]}"#,
            r#"{"text":"t","a":{"b":1e400}}"#,
            r#"{"text":"bad \x"}"#,
            r#"{"text":"t", "title": "   "}"#,
            r#"{"$serde_json::private::RawValue":"{\"text\":\"r\",\"group\":\"g\"}"}"#,
            r#"{"$serde_json::private::RawValue":5}"#,
            r#"{"text":"t","$serde_json::private::RawValue":"x"}"#,
        ];
        let deep = format!(
            "{{\"text\":\"t\",\"a\":{}{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        for line in lines.iter().copied().chain([deep.as_str()]) {
            assert_eq!(parse_jsonl_line(line), value_reading(line), "{line}");
        }
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
