//! Corpus: finding the files under a directory, their group and metadata, and their text.
//!
//! A document's group comes, in this order, from
//! 1. a manifest at the corpus root (`manifest.csv` or `manifest.jsonl`: `path`, `group`,
//!    and optional `source`, `date`, `title`, `url`, `lang`),
//! 2. YAML front matter of a `.md` file (`group:`, `source:`, `date:` …) or the fields of
//!    a `.jsonl` record,
//! 3. its first-level subdirectory (`DIR/domestic/…`, `DIR/overseas/…`).
//!
//! Other metadata fields are filled in the same order (manifest first). Supported
//! formats: `.txt`, `.md`/`.markdown`, `.html`/`.htm`, `.jsonl`. Every file found is
//! either loaded or reported as skipped with a reason; nothing is dropped silently.
//!
//! ```no_run
//! use duibi::corpus::{Corpus, CorpusOptions};
//! let corpus = Corpus::discover("corpora/mining-2021", &CorpusOptions::default()).unwrap();
//! for entry in corpus.files() {
//!     match corpus.load(entry) {
//!         Ok(loaded) => println!("{}: {} document(s)", entry.rel, loaded.docs.len()),
//!         Err(skip) => println!("{}: skipped: {}", entry.rel, skip),
//!     }
//! }
//! ```

// Bad input must never panic here: no unwrap/expect outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod blocks;
pub mod date;
pub mod decode;
pub mod format;
pub mod html;
mod html_cost;
pub mod jsonl;
pub mod manifest;
pub mod metadata;
pub mod open;
mod source;
pub mod spool;
mod walk;

pub(crate) use source::SourceKind;
pub use source::{Origin, Progress, Source};

use format::Fields;
use manifest::{normalize_manifest_path, parse_manifest_csv, parse_manifest_jsonl};
#[doc(inline)]
pub use manifest::{parse_manifest_text, ManifestRow};
use open::{is_loop, FileId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Errors that make a corpus unusable as a whole (exit code 2 at the CLI).
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The corpus path does not exist.
    #[error("{0}: no such directory")]
    Missing(String),
    /// The corpus path is not a directory.
    #[error("{0}: not a directory")]
    NotADirectory(String),
    /// The directory cannot be listed.
    #[error("{path}: cannot read directory: {reason}")]
    Unreadable {
        /// Path.
        path: String,
        /// Reason.
        reason: String,
    },
    /// The manifest is unusable (e.g. lacks a required column).
    #[error("{path}: {reason}")]
    Manifest {
        /// Manifest path.
        path: String,
        /// Reason, with line number where one applies.
        reason: String,
    },
}

/// Options for discovery and loading.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// Follow symbolic links (default off: links are reported as skipped).
    pub follow_links: bool,
    /// Files larger than this many bytes are skipped with a reason.
    pub max_file_size: u64,
    /// Files that are never read nor listed: the run's own outputs when they lie inside
    /// the corpus (their temporary files `.duibi-*.tmp` are always left out too).
    pub exclude: Vec<PathBuf>,
    /// A JSON Lines file larger than twice this many bytes is read this many bytes of
    /// whole lines at a time ([`Corpus::load_each`]), so its documents are never all in
    /// memory at once; 0 reads every file whole. The report is the same either way.
    pub jsonl_block: usize,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            follow_links: false,
            max_file_size: crate::config::MAX_FILE_SIZE,
            exclude: Vec::new(),
            jsonl_block: crate::config::JSONL_BLOCK_BYTES,
        }
    }
}

/// Supported document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text.
    Txt,
    /// Markdown, with optional YAML front matter.
    Md,
    /// HTML.
    Html,
    /// JSON Lines, one document per line.
    Jsonl,
}

impl Format {
    /// Format for a file extension (case-insensitive), if supported.
    pub fn from_path(p: &Path) -> Option<Format> {
        const BY_EXTENSION: [(&str, Format); 9] = [
            ("txt", Format::Txt),
            ("text", Format::Txt),
            ("md", Format::Md),
            ("markdown", Format::Md),
            ("html", Format::Html),
            ("htm", Format::Html),
            ("xhtml", Format::Html),
            ("jsonl", Format::Jsonl),
            ("ndjson", Format::Jsonl),
        ];
        // Compared without lowercasing into a new string (one allocation a file).
        let ext = p.extension()?.to_str()?;
        BY_EXTENSION
            .iter()
            .find(|(e, _)| ext.eq_ignore_ascii_case(e))
            .map(|&(_, f)| f)
    }
}

/// A file found under the corpus root that will be loaded.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Path relative to the root, `/`-separated (bytes of non-UTF-8 names as `\xNN`).
    pub rel: String,
    /// Full path.
    pub path: PathBuf,
    /// Format by extension.
    pub format: Format,
    /// Size in bytes.
    pub size: u64,
    /// Device and inode at discovery: a file found there later is not read.
    pub file_id: FileId,
}

/// A file that was not analysed, with why.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Skipped {
    /// Path relative to the corpus root (or the input name).
    pub path: String,
    /// One-line reason.
    pub reason: String,
}

/// A problem that did not stop a file from being analysed.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Warning {
    /// Path relative to the corpus root.
    pub path: String,
    /// One-line message (with a line number where one applies).
    pub message: String,
}

/// Metadata of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocMeta {
    /// Unique id: the relative path, plus `#L<line>` for JSON Lines records.
    pub id: String,
    /// Relative path of the file holding the document.
    pub path: String,
    /// Group label.
    pub group: String,
    /// Where the group label came from: `manifest`, `front_matter`, `record`, `directory`.
    pub group_from: String,
    /// Metadata fields.
    #[serde(flatten)]
    pub fields: Fields,
    /// Date normalized to `YYYY-MM-DD` when it could be parsed.
    pub date_iso: Option<String>,
    /// Where `date_iso` came from (`metadata`, `front_matter`, `file_name`,
    /// `directory`; the order is in [`metadata`]); null without a date.
    pub date_from: Option<metadata::DateFrom>,
    /// Detected encoding.
    pub encoding: String,
    /// File format.
    pub format: Format,
    /// Bytes of the document in its file (whole file, or the JSONL line).
    pub bytes: u64,
    /// Malformed byte sequences replaced with U+FFFD while decoding.
    pub replaced_chars: usize,
}

/// A document ready for analysis: metadata and extracted (not yet normalized) text.
#[derive(Debug, Clone)]
pub struct Document {
    /// Metadata.
    pub meta: DocMeta,
    /// Visible text.
    pub text: String,
}

/// The documents of one file, and warnings raised while reading it.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Documents (several for JSON Lines).
    pub docs: Vec<Document>,
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Default)]
struct ManifestEntry {
    fields: Fields,
}

/// A discovered corpus: the files to load, the files skipped, and the manifest.
#[derive(Debug, Clone)]
pub struct Corpus {
    root: PathBuf,
    files: Vec<FileEntry>,
    skipped: Vec<Skipped>,
    warnings: Vec<Warning>,
    manifest: BTreeMap<String, ManifestEntry>,
    metadata_files: Vec<String>,
    /// Identity of each of `metadata_files`, in the same order.
    metadata_ids: Vec<FileId>,
    opts: CorpusOptions,
}

const MANIFEST_NAMES: [&str; 2] = ["manifest.csv", "manifest.jsonl"];

impl Corpus {
    /// Walks `root` recursively (in sorted order), reads the manifest if there is one,
    /// and sorts every file into "to load" or "skipped".
    pub fn discover(root: impl AsRef<Path>, opts: &CorpusOptions) -> Result<Corpus, CorpusError> {
        let root = root.as_ref();
        let shown = root.display().to_string();
        let md = std::fs::metadata(root).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => CorpusError::Missing(shown.clone()),
            _ => CorpusError::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
            },
        })?;
        if !md.is_dir() {
            return Err(CorpusError::NotADirectory(shown));
        }
        std::fs::read_dir(root).map_err(|e| CorpusError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut c = Corpus {
            root: root.to_path_buf(),
            files: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            manifest: BTreeMap::new(),
            metadata_files: Vec::new(),
            metadata_ids: Vec::new(),
            opts: opts.clone(),
        };
        let excluded: Vec<PathBuf> = opts
            .exclude
            .iter()
            .filter_map(|p| {
                // The output may not exist yet: canonicalize its directory.
                let name = p.file_name()?;
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                Some(std::fs::canonicalize(dir).ok()?.join(name))
            })
            .collect();
        // The last directory canonicalized for `own_output` (files come directory by
        // directory, so one directory is resolved once, not once per file).
        let mut canonical_dir = CanonicalDir::default();
        for step in walk::walk(root, opts.follow_links) {
            let mut ent = match step {
                walk::Step::Entry(ent) => ent,
                walk::Step::Error { rel, reason } => {
                    c.skipped.push(Skipped { path: rel, reason });
                    continue;
                }
            };
            let rel = std::mem::take(&mut ent.rel);
            let path = ent.path.as_path();
            let ft = ent.file_type;
            match own_output(path, &excluded, &mut canonical_dir) {
                OwnOutput::No => {}
                OwnOutput::Yes => continue,
                OwnOutput::OtherTemporary => {
                    c.skipped.push(Skipped {
                        path: rel,
                        reason: "temporary file of a duibi run (.duibi-*.tmp): not read".into(),
                    });
                    continue;
                }
            }
            if ft.is_symlink() {
                // Only reached when not following links.
                let reason = match std::fs::metadata(path) {
                    Err(e) if is_loop(&e) => "symbolic link loop".to_string(),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        "broken symbolic link".to_string()
                    }
                    Err(e) => format!("cannot resolve symbolic link: {e}"),
                    Ok(_) => match std::fs::canonicalize(path) {
                        Ok(t) if !t.starts_with(&canonical_root) => {
                            "symbolic link pointing outside the corpus root (use --follow-links to follow)".into()
                        }
                        _ => "symbolic link (use --follow-links to follow)".into(),
                    },
                };
                c.skipped.push(Skipped { path: rel, reason });
                continue;
            }
            if !ft.is_file() {
                c.skipped.push(Skipped {
                    path: rel,
                    reason: "not a regular file (FIFO, socket or device): never opened".into(),
                });
                continue;
            }
            if ent.depth == 1 && MANIFEST_NAMES.iter().any(|m| rel == *m) {
                let md = ent.metadata().map_err(|e| CorpusError::Manifest {
                    path: rel.clone(),
                    reason: format!("cannot read metadata: {e}"),
                })?;
                c.metadata_files.push(rel);
                c.metadata_ids.push(FileId::of(&md));
                continue;
            }
            let Some(format) = Format::from_path(path) else {
                let ext = path
                    .extension()
                    .map(|e| format!(".{}", e.to_string_lossy()))
                    .unwrap_or_else(|| "no extension".into());
                c.skipped.push(Skipped {
                    path: rel,
                    reason: format!(
                        "unsupported file type ({ext}); supported: .txt .md .html .htm .jsonl"
                    ),
                });
                continue;
            };
            let (size, file_id) = match ent.metadata() {
                Ok(m) => (m.len(), FileId::of(&m)),
                Err(e) => {
                    c.skipped.push(Skipped {
                        path: rel,
                        reason: format!("cannot read metadata: {e}"),
                    });
                    continue;
                }
            };
            if size > opts.max_file_size {
                c.skipped.push(Skipped {
                    path: rel,
                    reason: format!(
                        "file too large ({size} bytes > --max-file-size {} bytes)",
                        opts.max_file_size
                    ),
                });
                continue;
            }
            c.files.push(FileEntry {
                rel,
                path: ent.path,
                format,
                size,
                file_id,
            });
        }
        c.read_manifests()?;
        Ok(c)
    }

    /// The files to load, in sorted order.
    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// Files skipped during discovery.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Warnings raised during discovery (manifest problems).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Manifest files found at the root (metadata, not documents).
    pub fn metadata_files(&self) -> &[String] {
        &self.metadata_files
    }

    /// The corpus root as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn read_manifests(&mut self) -> Result<(), CorpusError> {
        if self.metadata_files.is_empty() {
            return Ok(());
        }
        let known: std::collections::HashSet<String> =
            self.files.iter().map(|f| f.rel.clone()).collect();
        for (name, id) in self
            .metadata_files
            .clone()
            .into_iter()
            .zip(self.metadata_ids.clone())
        {
            let path = self.root.join(&name);
            let bytes =
                open::read_checked(&path, id, self.opts.follow_links, self.opts.max_file_size)
                    .map_err(|reason| CorpusError::Manifest {
                        path: name.clone(),
                        reason: format!("cannot read: {reason}"),
                    })?;
            let text = decode::decode(&bytes)
                .map_err(|e| CorpusError::Manifest {
                    path: name.clone(),
                    reason: e.to_string(),
                })?
                .text;
            let rows: Vec<(usize, String, Fields)> = if name.ends_with(".csv") {
                parse_manifest_csv(&name, &text)?
            } else {
                let (recs, warns) = parse_manifest_jsonl(&text);
                for w in warns {
                    self.warnings.push(Warning {
                        path: name.clone(),
                        message: w,
                    });
                }
                recs
            };
            for (line, p, mut fields) in rows {
                for field in fields.cap_values() {
                    self.warnings.push(Warning {
                        path: name.clone(),
                        message: format!("line {line}: {}", too_long(field)),
                    });
                }
                let Some(norm) = normalize_manifest_path(&p) else {
                    self.warnings.push(Warning {
                        path: name.clone(),
                        message: format!(
                            "line {line}: path {p:?} escapes the corpus root (rejected)"
                        ),
                    });
                    continue;
                };
                if !known.contains(&norm) {
                    self.warnings.push(Warning {
                        path: name.clone(),
                        message: format!("line {line}: path {p:?} is not a document file in the corpus (ignored)"),
                    });
                    continue;
                }
                if self.manifest.contains_key(&norm) {
                    self.warnings.push(Warning {
                        path: name.clone(),
                        message: format!("line {line}: duplicate path {p:?} (first entry kept)"),
                    });
                    continue;
                }
                if fields.group.is_none() {
                    self.warnings.push(Warning {
                        path: name.clone(),
                        message: format!("line {line}: path {p:?} has an empty group"),
                    });
                }
                self.manifest.insert(norm, ManifestEntry { fields });
            }
        }
        Ok(())
    }

    /// Reads, decodes and extracts the documents of one discovered file:
    /// [`Corpus::load_bytes`] of [`Corpus::read`].
    ///
    /// `Err` carries the one-line reason the file is skipped.
    pub fn load(&self, entry: &FileEntry) -> Result<Loaded, String> {
        self.load_bytes(entry, self.read(entry)?)
    }

    /// The bytes of one discovered file, read safely ([`open::read_checked`]) within
    /// the size limit. `Err` carries the one-line reason the file is skipped.
    pub fn read(&self, entry: &FileEntry) -> Result<Vec<u8>, String> {
        open::read_checked(
            &entry.path,
            entry.file_id,
            self.opts.follow_links,
            self.opts.max_file_size,
        )
    }

    /// Decodes and extracts the documents of one discovered file from its bytes (as
    /// [`Corpus::read`] gives them; the run's scan pass keeps them for its analysis
    /// pass). `Err` carries the one-line reason the file is skipped.
    pub fn load_bytes(&self, entry: &FileEntry, bytes: Vec<u8>) -> Result<Loaded, String> {
        let file_bytes = bytes.len() as u64;
        let mut dec = decode::decode_owned(bytes).map_err(|e| e.to_string())?;
        let (encoding, replaced) = (std::mem::take(&mut dec.encoding), dec.replaced);
        let manifest = self.manifest.get(&entry.rel).map(|m| &m.fields);
        let dir_group = first_dir(&entry.rel);
        let mut out = Loaded::default();
        let origin = |id: String, bytes: u64| Origin {
            id,
            path: entry.rel.clone(),
            encoding: encoding.clone(),
            format: entry.format,
            bytes,
            replaced_chars: replaced,
        };
        match entry.format {
            Format::Jsonl => {
                let (recs, warns) = format::parse_jsonl(&dec.text);
                let mut tally = JsonlTally::default();
                self.jsonl_docs(entry, recs, warns, &origin, &mut tally, &mut out);
                tally.verdict()?;
            }
            fmt => {
                let mut fields = manifest.cloned().unwrap_or_default();
                let mut from = if manifest.and_then(|m| m.group.as_ref()).is_some() {
                    "manifest"
                } else {
                    ""
                };
                let text = match fmt {
                    Format::Md => {
                        let (fm, body, warn) = format::front_matter(&dec.text);
                        if let Some(w) = warn {
                            out.warnings.push(Warning {
                                path: entry.rel.clone(),
                                message: w,
                            });
                        }
                        if from.is_empty() && fm.group.is_some() {
                            from = "front_matter";
                        }
                        fields.fill_from(&fm);
                        if fields.title.is_none() {
                            fields.title = metadata::markdown_title(body);
                        }
                        format::markdown_text(body)
                    }
                    Format::Html => {
                        let (t, title) =
                            html::html_text_bounded(&dec.text).map_err(|e| e.to_string())?;
                        if fields.title.is_none() {
                            fields.title = title;
                        }
                        t
                    }
                    _ => std::mem::take(&mut dec.text),
                };
                metadata::path_date_fallback(&mut fields, &entry.rel);
                if text.trim().is_empty() {
                    return Err("empty or whitespace-only file".into());
                }
                for field in fields.cap_values() {
                    out.warnings.push(Warning {
                        path: entry.rel.clone(),
                        message: too_long(field),
                    });
                }
                let group = match (&fields.group, &dir_group) {
                    (Some(g), _) => g.clone(),
                    (None, Some(d)) => {
                        from = "directory";
                        d.clone()
                    }
                    (None, None) => {
                        return Err("no group: not in the manifest, no front matter group, not under a group subdirectory".into())
                    }
                };
                let id = entry.rel.clone();
                let doc = Document::new(origin(id, file_bytes), group, from, fields, text);
                if let Some(w) = doc.date_warning() {
                    out.warnings.push(Warning {
                        path: entry.rel.clone(),
                        message: w,
                    });
                }
                out.docs.push(doc);
            }
        }
        Ok(out)
    }

    /// The documents of JSON Lines records `recs` of `entry` (and the warnings `warns`
    /// their parse gave) into `out`, counted in `tally`: the manifest entry of the
    /// file fills what a record leaves out, the group comes from the record, the
    /// manifest or the directory, and a record without text or group is a warning.
    fn jsonl_docs(
        &self,
        entry: &FileEntry,
        recs: Vec<format::JsonlRecord>,
        warns: Vec<String>,
        origin: &dyn Fn(String, u64) -> Origin,
        tally: &mut JsonlTally,
        out: &mut Loaded,
    ) {
        let manifest = self.manifest.get(&entry.rel).map(|m| &m.fields);
        let dir_group = first_dir(&entry.rel);
        tally.records += recs.len();
        tally.malformed += warns.len();
        out.warnings.extend(warns.into_iter().map(|m| Warning {
            path: entry.rel.clone(),
            message: m,
        }));
        for r in recs {
            if r.text.trim().is_empty() {
                // As an empty file is skipped, so is an empty record.
                out.warnings.push(Warning {
                    path: entry.rel.clone(),
                    message: format!("line {}: empty text (skipped)", r.line),
                });
                continue;
            }
            let mut fields = r.fields.clone();
            let mut from = "record";
            if let Some(m) = manifest {
                // The manifest entry of a JSONL file applies to its records,
                // but a record's own group wins.
                fields.fill_from(m);
                if r.fields.group.is_none() {
                    from = "manifest";
                }
            }
            for field in fields.cap_values() {
                out.warnings.push(Warning {
                    path: entry.rel.clone(),
                    message: format!("line {}: {}", r.line, too_long(field)),
                });
            }
            let (group, from) = match (&fields.group, &dir_group) {
                (Some(g), _) => (g.clone(), from),
                (None, Some(d)) => (d.clone(), "directory"),
                (None, None) => {
                    out.warnings.push(Warning {
                        path: entry.rel.clone(),
                        message: format!(
                            "line {}: no group (record, manifest and directory give none; skipped)",
                            r.line
                        ),
                    });
                    continue;
                }
            };
            let id = format!("{}#L{}", entry.rel, r.line);
            let bytes = r.text.len() as u64;
            let doc = Document::new(origin(id, bytes), group, from, fields, r.text);
            if let Some(w) = doc.date_warning() {
                out.warnings.push(Warning {
                    path: entry.rel.clone(),
                    message: format!("line {}: {w}", r.line),
                });
            }
            tally.docs += 1;
            out.docs.push(doc);
        }
    }
}

/// What the records of a JSON Lines file gave, block by block.
#[derive(Debug, Default)]
struct JsonlTally {
    /// Records with a text field.
    records: usize,
    /// Lines that were no record (malformed, or without a text field).
    malformed: usize,
    /// Documents.
    docs: usize,
}

impl JsonlTally {
    /// `Err` with the reason the file is skipped when it gave no document.
    fn verdict(&self) -> Result<(), String> {
        if self.docs > 0 {
            Ok(())
        } else if self.records > 0 {
            Err("no JSON Lines record has text and a group".into())
        } else if self.malformed > 0 {
            Err(format!(
                "no usable JSON Lines records ({} malformed)",
                self.malformed
            ))
        } else {
            Err("empty file (no JSON Lines records)".into())
        }
    }
}

/// Whether a discovered file is one of the run's own outputs.
enum OwnOutput {
    /// An ordinary file.
    No,
    /// An output of this run, or a temporary file beside one (written while the run
    /// goes): left out without a word.
    Yes,
    /// A `.duibi-*.tmp` file elsewhere (another run's, or left behind): listed.
    OtherTemporary,
}

fn own_output(path: &Path, excluded: &[PathBuf], memo: &mut CanonicalDir) -> OwnOutput {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = name.starts_with(".duibi-") && name.ends_with(".tmp");
    if excluded.is_empty() {
        return if temporary {
            OwnOutput::OtherTemporary
        } else {
            OwnOutput::No
        };
    }
    let Some(file) = path.file_name() else {
        return OwnOutput::No;
    };
    // An output of this run has this file's name: most files are told apart by it,
    // without resolving their directory or building a path.
    if !temporary && !excluded.iter().any(|e| e.file_name() == Some(file)) {
        return OwnOutput::No;
    }
    let Some(dir) = path.parent().and_then(|d| memo.of(d)) else {
        return OwnOutput::No;
    };
    if temporary {
        // The run's outputs are written through temporary files in their directory.
        return if excluded.iter().any(|e| e.parent() == Some(dir.as_path())) {
            OwnOutput::Yes
        } else {
            OwnOutput::OtherTemporary
        };
    }
    if excluded.contains(&dir.join(file)) {
        OwnOutput::Yes
    } else {
        OwnOutput::No
    }
}

/// The canonical form of the directory last asked for (`std::fs::canonicalize`
/// resolves every component of a path, a system call each).
#[derive(Default)]
struct CanonicalDir(Option<(PathBuf, Option<PathBuf>)>);

impl CanonicalDir {
    /// `std::fs::canonicalize(dir).ok()`, resolved again only when `dir` differs from
    /// the last one asked for.
    fn of(&mut self, dir: &Path) -> Option<PathBuf> {
        match &self.0 {
            Some((d, c)) if d == dir => c.clone(),
            _ => {
                let c = std::fs::canonicalize(dir).ok();
                self.0 = Some((dir.to_path_buf(), c.clone()));
                c
            }
        }
    }
}

/// The warning for a metadata value cut to [`Fields::MAX_VALUE_BYTES`].
fn too_long(field: &str) -> String {
    format!(
        "{field} longer than {} bytes (truncated)",
        Fields::MAX_VALUE_BYTES
    )
}

/// Path relative to root, `/`-separated. Bytes of a name that are not UTF-8 are
/// written as `\xNN` and a backslash as `\\`, so two names never give the same text
/// (as they would with U+FFFD, or with a literal `\xNN` in a valid name).
fn rel_of(root: &Path, p: &Path) -> String {
    let r = p.strip_prefix(root).unwrap_or(p);
    let parts: Vec<String> = r.components().map(|c| name_text(c.as_os_str())).collect();
    parts.join("/")
}

/// A file name as text, with bytes that are not UTF-8 escaped as `\xNN` and the
/// escape character itself as `\\` (so the escaping is one-to-one).
fn name_text(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return escape_backslash(s);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(&escape_backslash(chunk.valid()));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

fn escape_backslash(s: &str) -> String {
    s.replace('\\', "\\\\")
}

fn first_dir(rel: &str) -> Option<String> {
    let mut it = rel.split('/');
    let first = it.next()?;
    it.next()?; // must be a directory, not the file itself
    Some(first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Discovery's lists for a corpus of nested groups, an empty group, links in and
    /// out of the root and files it does not read: files in walk order (each
    /// directory's entries by name, so `a/…` before `a-x/…`), and every skip with its
    /// reason in the same order.
    #[cfg(unix)]
    #[test]
    fn discovery_lists_files_and_skips_in_walk_order() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("c");
        for rel in [
            "overseas/2021/b.md",
            "overseas/a.txt",
            "domestic/x/deep/y/d.html",
            "domestic/z.txt",
            "domestic-extra/e.jsonl",
            "domestic/notes.pdf",
            "manifest.csv",
        ] {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "text").unwrap();
        }
        std::fs::write(root.join("manifest.csv"), "path,group\n").unwrap();
        std::fs::write(t.path().join("secret.txt"), "secret").unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        symlink("../../secret.txt", root.join("domestic/out.txt")).unwrap();
        symlink("../domestic/z.txt", root.join("overseas/in.txt")).unwrap();
        symlink("gone.txt", root.join("overseas/broken.txt")).unwrap();
        std::fs::write(root.join("domestic/big.txt"), "x".repeat(100)).unwrap();
        let opts = CorpusOptions {
            max_file_size: 50,
            ..CorpusOptions::default()
        };
        let c = Corpus::discover(&root, &opts).unwrap();
        let files: Vec<(&str, u64)> = c.files().iter().map(|f| (f.rel.as_str(), f.size)).collect();
        assert_eq!(
            files,
            [
                ("domestic/x/deep/y/d.html", 4),
                ("domestic/z.txt", 4),
                ("domestic-extra/e.jsonl", 4),
                ("overseas/2021/b.md", 4),
                ("overseas/a.txt", 4),
            ]
        );
        for f in c.files() {
            let md = std::fs::symlink_metadata(&f.path).unwrap();
            assert_eq!(f.file_id, FileId::of(&md), "{}", f.rel);
        }
        let skipped: Vec<(&str, &str)> = c
            .skipped()
            .iter()
            .map(|s| (s.path.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                (
                    "domestic/big.txt",
                    "file too large (100 bytes > --max-file-size 50 bytes)"
                ),
                (
                    "domestic/notes.pdf",
                    "unsupported file type (.pdf); supported: .txt .md .html .htm .jsonl"
                ),
                (
                    "domestic/out.txt",
                    "symbolic link pointing outside the corpus root (use --follow-links to follow)"
                ),
                ("overseas/broken.txt", "broken symbolic link"),
                (
                    "overseas/in.txt",
                    "symbolic link (use --follow-links to follow)"
                ),
            ]
        );
        assert_eq!(c.metadata_files(), ["manifest.csv"]);
    }

    #[test]
    fn own_outputs_are_found_directory_by_directory() {
        // The directory memo must follow the walk: the output in `b/` is the run's own,
        // the temporary file in `c/` is another run's, whatever was resolved before.
        let root = std::env::temp_dir().join(format!("duibi-own-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for d in ["a", "b", "c"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
            std::fs::write(root.join(d).join("doc.txt"), "text").unwrap();
        }
        std::fs::write(root.join("b/out.json"), "{}").unwrap();
        std::fs::write(root.join("b/.duibi-1.tmp"), "").unwrap();
        std::fs::write(root.join("c/.duibi-2.tmp"), "").unwrap();
        let opts = CorpusOptions {
            exclude: vec![root.join("a/../b/out.json")],
            ..CorpusOptions::default()
        };
        let c = Corpus::discover(&root, &opts).unwrap();
        let files: Vec<&str> = c.files().iter().map(|f| f.rel.as_str()).collect();
        let skipped: Vec<&str> = c.skipped.iter().map(|s| s.path.as_str()).collect();
        let mut memo = CanonicalDir::default();
        let dirs = [
            root.join("a"),
            root.join("a"),
            root.join("b/../c"),
            root.join("a"),
        ];
        let resolved: Vec<_> = dirs.iter().map(|d| memo.of(d)).collect();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(files, ["a/doc.txt", "b/doc.txt", "c/doc.txt"]);
        assert_eq!(skipped, ["c/.duibi-2.tmp"]);
        let canonical = |p: &str| {
            std::fs::canonicalize(root.parent().unwrap())
                .unwrap()
                .join(root.file_name().unwrap())
                .join(p)
        };
        assert_eq!(
            resolved,
            [
                Some(canonical("a")),
                Some(canonical("a")),
                Some(canonical("c")),
                Some(canonical("a"))
            ]
        );
    }

    #[test]
    fn doc_meta_serializes_each_key_once() {
        let mut fields = Fields::default();
        fields.set("group", "domestic".into());
        fields.set("lang", "zh".into());
        fields.set("source", "S".into());
        let meta = DocMeta {
            id: "a".into(),
            path: "a".into(),
            group: "domestic".into(),
            group_from: "manifest".into(),
            fields,
            date_iso: None,
            date_from: None,
            encoding: "UTF-8".into(),
            format: Format::Txt,
            bytes: 1,
            replaced_chars: 0,
        };
        let json = serde_json::to_string(&meta).unwrap();
        for key in ["\"group\":", "\"lang_declared\":", "\"source\":", "\"id\":"] {
            assert_eq!(json.matches(key).count(), 1, "{key} in {json}");
        }
        assert!(!json.contains("\"lang\":"), "{json}");
    }

    #[test]
    fn non_utf8_names_are_escaped_not_replaced() {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let a = name_text(std::ffi::OsStr::from_bytes(b"x\xff.txt"));
            let b = name_text(std::ffi::OsStr::from_bytes(b"x\xfe.txt"));
            assert_eq!(a, "x\\xFF.txt");
            assert_ne!(a, b);
            // A valid name spelling the escape is escaped in turn: no collision.
            let literal = name_text(std::ffi::OsStr::new("x\\xFF.txt"));
            assert_eq!(literal, "x\\\\xFF.txt");
            assert_ne!(a, literal);
        }
    }

    #[test]
    fn formats_by_extension_ignore_ascii_case_only() {
        let f = |p: &str| Format::from_path(Path::new(p));
        assert_eq!(f("a/b.TXT"), Some(Format::Txt));
        assert_eq!(f("b.Text"), Some(Format::Txt));
        assert_eq!(f("b.mD"), Some(Format::Md));
        assert_eq!(f("b.MARKDOWN"), Some(Format::Md));
        assert_eq!(f("b.HtM"), Some(Format::Html));
        assert_eq!(f("b.xhtml"), Some(Format::Html));
        assert_eq!(f("b.html"), Some(Format::Html));
        assert_eq!(f("b.NDJSON"), Some(Format::Jsonl));
        assert_eq!(f("b.jsonl"), Some(Format::Jsonl));
        for none in [
            "b.json",
            "b.txt.gz",
            ".txt",
            "txt",
            "b.",
            "b.tx",
            "b.txtx",
            "b.ＴＸＴ",
        ] {
            assert_eq!(f(none), None, "{none}");
        }
    }

    #[test]
    fn first_dir_group() {
        assert_eq!(first_dir("domestic/a.txt").as_deref(), Some("domestic"));
        assert_eq!(first_dir("a.txt"), None);
    }
}
