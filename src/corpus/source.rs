//! Where documents come from: the one [`Document`] constructor, and a [`Source`] of
//! documents (a corpus directory, JSON lines, or documents in memory) for
//! [`Pipeline::analyze`](crate::run::Pipeline::analyze).
//!
//! ```
//! use duibi::corpus::{Document, Source};
//! let doc = Document::in_memory("a", "overseas", "Miners moved to Texas.");
//! assert_eq!((doc.meta.id.as_str(), doc.meta.group.as_str()), ("a", "overseas"));
//! let _source = Source::documents(vec![doc]);
//! ```

use super::format::Fields;
use super::metadata::DateFrom;
use super::{date, CorpusOptions, DocMeta, Document, Format};
use std::io::BufRead;
use std::path::PathBuf;

/// Where a document's text came from: the metadata that is neither its group nor its
/// fields.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Unique id.
    pub id: String,
    /// Relative path of the file holding the document (empty for in-memory text).
    pub path: String,
    /// Detected encoding.
    pub encoding: String,
    /// Format.
    pub format: Format,
    /// Bytes of the document in its file (whole file, or the JSON Lines line).
    pub bytes: u64,
    /// Malformed byte sequences replaced with U+FFFD while decoding.
    pub replaced_chars: usize,
}

impl Document {
    /// Builds a document: every path that makes documents (directory files, JSON
    /// lines, in-memory text) comes here, so the date is normalized the same way for
    /// all. `group_from` says where the group came from (`manifest`, `front_matter`,
    /// `record`, `directory`, `argument`); a date that cannot be parsed is kept as text
    /// (see [`Document::date_warning`]).
    pub fn new(
        origin: Origin,
        group: String,
        group_from: &str,
        fields: Fields,
        text: String,
    ) -> Self {
        let (date_iso, date_from) = dated(&fields);
        Document {
            meta: DocMeta {
                id: origin.id,
                path: origin.path,
                group,
                group_from: group_from.to_string(),
                date_iso,
                date_from,
                fields,
                encoding: origin.encoding,
                format: origin.format,
                bytes: origin.bytes,
                replaced_chars: origin.replaced_chars,
            },
            text,
        }
    }

    /// A document given in memory (UTF-8 plain text, no file), its group given by
    /// the caller (`group_from` is `argument`).
    pub fn in_memory(
        id: impl Into<String>,
        group: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        let text = text.into();
        let origin = Origin {
            id: id.into(),
            path: String::new(),
            encoding: "UTF-8".into(),
            format: Format::Txt,
            bytes: text.len() as u64,
            replaced_chars: 0,
        };
        Document::new(origin, group.into(), "argument", Fields::default(), text)
    }

    /// The document with metadata `fields` (source, date, title, …; their `group` is
    /// not read: the document keeps its own).
    ///
    /// ```
    /// use duibi::corpus::{format::Fields, Document};
    /// let fields = Fields { date: Some("2021-05-21".into()), ..Fields::default() };
    /// let doc = Document::in_memory("a", "domestic", "挖矿被清退。").with_fields(fields);
    /// assert_eq!(doc.meta.date_iso.as_deref(), Some("2021-05-21"));
    /// ```
    pub fn with_fields(mut self, fields: Fields) -> Self {
        (self.meta.date_iso, self.meta.date_from) = dated(&fields);
        self.meta.fields = fields;
        self
    }

    /// The warning to raise when the document's date cannot be parsed (the date is
    /// kept as text, with no `date_iso`); `None` when it has no date or it parsed.
    ///
    /// ```
    /// use duibi::corpus::{format::Fields, Document};
    /// let fields = Fields { date: Some("soon".into()), ..Fields::default() };
    /// let doc = Document::in_memory("a", "g", "text").with_fields(fields);
    /// assert_eq!(doc.date_warning().as_deref(), Some("unparsable date \"soon\" (kept as text)"));
    /// ```
    pub fn date_warning(&self) -> Option<String> {
        match (&self.meta.fields.date, &self.meta.date_iso) {
            (Some(d), None) => Some(format!("unparsable date {d:?} (kept as text)")),
            _ => None,
        }
    }
}

/// The normalized date of `fields` and where it came from (the metadata unless the
/// fields say otherwise).
fn dated(fields: &Fields) -> (Option<String>, Option<DateFrom>) {
    let iso = fields.date.as_deref().and_then(date::normalize);
    let from = iso
        .as_ref()
        .map(|_| fields.date_from.unwrap_or(DateFrom::Metadata));
    (iso, from)
}

/// Called once per file, input chunk or document processed (from worker threads),
/// with its name.
pub type Progress<'a> = &'a (dyn Fn(&str) + Sync);

fn no_progress(_: &str) {}

/// What a run reads.
pub(crate) enum SourceKind<'a> {
    /// Every document under a directory.
    Dir {
        /// The corpus root.
        root: PathBuf,
        /// Discovery and loading options.
        options: CorpusOptions,
    },
    /// JSON lines (`{"text": …, "group": …, "id": …}`), streamed.
    JsonLines {
        /// The lines.
        input: Box<dyn BufRead + 'a>,
        /// Name of the input (`-` for standard input).
        name: String,
        /// Longest record, in bytes (longer ones are skipped).
        max_record: u64,
    },
    /// Documents already in memory.
    Documents(Vec<Document>),
}

/// The documents of a run: a corpus directory, JSON lines, or documents in memory.
pub struct Source<'a> {
    pub(crate) kind: SourceKind<'a>,
    pub(crate) progress: Progress<'a>,
}

impl std::fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            SourceKind::Dir { root, .. } => f.debug_tuple("Source::Dir").field(root).finish(),
            SourceKind::JsonLines { name, .. } => {
                f.debug_tuple("Source::JsonLines").field(name).finish()
            }
            SourceKind::Documents(d) => f.debug_tuple("Source::Documents").field(&d.len()).finish(),
        }
    }
}

impl<'a> Source<'a> {
    fn of(kind: SourceKind<'a>) -> Self {
        Source {
            kind,
            progress: &no_progress,
        }
    }

    /// Every document under the directory `root` (see [`crate::corpus`] for groups,
    /// formats and metadata).
    pub fn dir(root: impl Into<PathBuf>, options: CorpusOptions) -> Self {
        Source::of(SourceKind::Dir {
            root: root.into(),
            options,
        })
    }

    /// Documents given as JSON lines (`{"text": …, "group": …, "id": …, "source": …,
    /// "date": …, "title": …}`) read from `input`, streamed in chunks; `name` names the
    /// input in ids, skipped lines and warnings (`-` for standard input).
    ///
    /// A line without `id` gets `<name>#L<line>`: give ids when shards are merged, so
    /// they stay unique. Lines that are not JSON objects with a `text` and a `group`,
    /// and records past the limits of [`crate::corpus::jsonl`] (size, id length, empty
    /// text), are listed as skipped as `<stdin>:LINE` (or `NAME:LINE`) with the reason,
    /// and the run goes on.
    pub fn json_lines(input: impl BufRead + 'a, name: impl Into<String>) -> Self {
        Source::of(SourceKind::JsonLines {
            input: Box::new(input),
            name: name.into(),
            max_record: crate::config::MAX_FILE_SIZE,
        })
    }

    /// Longest JSON-lines record read, in bytes (default
    /// [`MAX_FILE_SIZE`](crate::config::MAX_FILE_SIZE), the limit of a corpus file):
    /// a longer record is listed as skipped, never held in memory. No effect on other
    /// sources.
    pub fn max_record_bytes(mut self, n: u64) -> Self {
        if let SourceKind::JsonLines { max_record, .. } = &mut self.kind {
            *max_record = n;
        }
        self
    }

    /// Documents already in memory (see [`Document::in_memory`]); their ids must be
    /// unique. The report's corpus root is `memory`; keyword-in-context evidence is
    /// taken from the documents in their order, as from a directory's files.
    pub fn documents(docs: Vec<Document>) -> Self {
        Source::of(SourceKind::Documents(docs))
    }

    /// Calls `progress` once per file, chunk of JSON lines or document processed.
    pub fn progress(mut self, progress: Progress<'a>) -> Self {
        self.progress = progress;
        self
    }
}
