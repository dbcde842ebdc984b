//! Writing a run's report: [`LazyReport`] streams the document records from the run's
//! temporary files into the JSON (or into JSON lines) instead of holding them all.

use super::pretty::{reindent, string_end};
use super::{Pipeline, PipelineError};
use crate::aggregate::docstore::{DocStore, Loc};
use crate::docstats::ConceptStats;
use crate::report::{self, Report, Table, TableFile, TableFormat};
use compact_str::CompactString;
use rayon::prelude::*;

/// A finished report whose `documents` and `doc_concepts` are still in the run's
/// temporary files: [`LazyReport::write_json`] streams them into the JSON one record at
/// a time, so writing a report does not hold every document record in memory. The JSON
/// is byte-identical to [`Report::to_json`] of [`LazyReport::into_report`].
pub struct LazyReport {
    /// The report with `documents` and `doc_concepts` empty.
    pub(super) report: Report,
    pub(super) store: DocStore,
    pub(super) pipeline: Pipeline,
}

impl std::fmt::Debug for LazyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyReport")
            .field("documents", &self.store.len())
            .field("doc_concepts", &self.store.rows())
            .finish_non_exhaustive()
    }
}

impl LazyReport {
    /// Everything but `documents` and `doc_concepts` (empty here).
    pub fn head(&self) -> &Report {
        &self.report
    }

    /// The pipeline that made the report (it reads the concepts' names from it).
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    fn concept_name(&self) -> impl Fn(u32) -> String + '_ {
        |c| self.pipeline.inner.analyzer.concepts().id(c).to_string()
    }

    /// The whole report, with every document and document × concept record in memory
    /// (also after [`LazyReport::write_tables`], whose `tables` field it keeps).
    pub fn into_report(self) -> Result<Report, PipelineError> {
        let name = self.concept_name();
        let documents = self
            .store
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(PipelineError::TempFile)?;
        let doc_concepts = self
            .store
            .concept_records(&name)
            .collect::<Result<Vec<_>, _>>()
            .map_err(PipelineError::TempFile);
        drop(name);
        let doc_concepts = doc_concepts?;
        let mut report = self.report;
        report.documents = documents;
        report.doc_concepts = doc_concepts;
        Ok(report)
    }

    /// Writes the report as [`Report::write_json`] does (buffer `w`).
    pub fn write_json(&self, mut w: impl std::io::Write) -> std::io::Result<()> {
        // Formatting the documents is most of the writing: it goes to the pool unless
        // one thread was asked for.
        let pool = if self.pipeline.inner.settings.threads == 1 {
            None
        } else {
            self.pipeline.pool().ok()
        };
        let r = &self.report;
        let w = &mut w;
        // `Report`'s fields in its order, each written as `serde_json`'s pretty printer
        // writes it one level deep; the documents are written from the store as they are
        // kept (compact JSON re-indented, no parse). A test checks the bytes against
        // `Report::to_json`.
        w.write_all(b"{")?;
        member(w, true, "schema_version", &r.schema_version)?;
        member(w, false, "tool", &r.tool)?;
        member(w, false, "settings", &r.settings)?;
        member(w, false, "corpus", &r.corpus)?;
        member(w, false, "terms", &r.terms)?;
        key(w, false, "documents")?;
        let docs = StoredDocs {
            store: &self.store,
            pool: pool.as_ref(),
            empty: r.tables.is_some(),
        };
        docs.write(w)?;
        member(w, false, "concepts", &r.concepts)?;
        key(w, false, "doc_concepts")?;
        let concepts = self.pipeline.inner.analyzer.concepts();
        let concept = |c: u32| concepts.id(c);
        write_doc_concepts(w, &self.store, &concept, r.tables.is_some(), pool.as_ref())?;
        member(w, false, "sentiment", &r.sentiment)?;
        member(w, false, "coverage", &r.coverage)?;
        member(w, false, "sentiment_by_lang", &r.sentiment_by_lang)?;
        member(w, false, "time", &r.time)?;
        member(w, false, "concept_time", &r.concept_time)?;
        member(w, false, "comparison", &r.comparison)?;
        member(w, false, "evidence", &r.evidence)?;
        member(w, false, "checks", &r.checks)?;
        member(w, false, "skipped", &r.skipped)?;
        member(w, false, "warnings", &r.warnings)?;
        member(w, false, "set_aside", &r.set_aside)?;
        if let Some(tables) = &r.tables {
            member(w, false, "tables", tables)?;
        }
        w.write_all(b"\n}\n")
    }

    /// Writes one JSON line per document record (the `documents` array as JSON Lines).
    pub fn write_documents_jsonl(&self, w: impl std::io::Write) -> std::io::Result<()> {
        self.write_table(Table::Documents, w).map(drop)
    }

    /// The records of `table` as JSON values, read from the run's temporary files.
    fn table_values<'a>(
        &'a self,
        table: Table,
        name: &'a (dyn Fn(u32) -> String + 'a),
    ) -> Box<dyn Iterator<Item = std::io::Result<serde_json::Value>> + 'a> {
        match table {
            Table::Documents => {
                Box::new(self.store.records().map(|d| {
                    d.and_then(|d| serde_json::to_value(d).map_err(std::io::Error::other))
                }))
            }
            Table::DocConcepts => {
                Box::new(self.store.concept_records(name).map(|c| {
                    c.and_then(|c| serde_json::to_value(c).map_err(std::io::Error::other))
                }))
            }
        }
    }

    /// Writes `table` in `format` to `w` (buffer it), streamed from the run's temporary
    /// files; gives the number of records written.
    pub fn write_table_as(
        &self,
        table: Table,
        format: TableFormat,
        w: impl std::io::Write,
    ) -> std::io::Result<u64> {
        match format {
            TableFormat::Jsonl => self.write_table(table, w),
            TableFormat::Parquet => {
                let name = self.concept_name();
                super::write_parquet(|| self.table_values(table, &name), w)
            }
        }
    }

    /// Writes `table` as JSON lines to `w` (buffer it), one record at a time from the
    /// run's temporary files; gives the number of records written.
    pub fn write_table(&self, table: Table, mut w: impl std::io::Write) -> std::io::Result<u64> {
        let mut rows = 0u64;
        match table {
            Table::Documents => {
                for d in self.store.records() {
                    serde_json::to_writer(&mut w, &d?)?;
                    w.write_all(b"\n")?;
                    rows += 1;
                }
            }
            Table::DocConcepts => {
                let name = self.concept_name();
                for c in self.store.concept_records(&name) {
                    serde_json::to_writer(&mut w, &c?)?;
                    w.write_all(b"\n")?;
                    rows += 1;
                }
            }
        }
        Ok(rows)
    }

    /// Writes the per-document tables ([`Table::ALL`]) as side files in `dir` (which
    /// must exist), one `<table>.jsonl` each ([`crate::config::TABLE_FORMAT`]), every file through a temporary file
    /// renamed into place ([`report::Output`]). From then on the report names the files
    /// in its `tables` field and [`LazyReport::write_json`] writes `documents` and
    /// `doc_concepts` as empty arrays: the report's size no longer grows with the
    /// number of documents. `dir` is recorded as given.
    ///
    /// ```
    /// use duibi::corpus::{CorpusOptions, Source};
    /// use duibi::run::Pipeline;
    ///
    /// let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/mining-2021");
    /// let out = tempfile::tempdir()?;
    /// let p = Pipeline::builder().bootstrap_reps(50).build()?;
    /// let mut lazy = p.analyze(Source::dir(corpus, CorpusOptions::default()))?;
    /// let n = lazy.head().corpus.documents;
    /// lazy.write_tables(out.path())?;
    /// let tables = lazy.head().tables.clone().expect("named after writing");
    /// assert_eq!(tables.files[0].path, "documents.jsonl");
    /// assert_eq!(tables.files[0].rows, n);
    /// let lines = std::fs::read_to_string(out.path().join("documents.jsonl"))?;
    /// assert_eq!(lines.lines().count() as u64, n);
    /// let mut json = Vec::new();
    /// lazy.write_json(&mut json)?;
    /// let report: serde_json::Value = serde_json::from_slice(&json)?;
    /// assert_eq!(report["documents"], serde_json::json!([]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_tables(&mut self, dir: &std::path::Path) -> std::io::Result<&report::Tables> {
        self.write_tables_as(dir, crate::config::TABLE_FORMAT)
    }

    /// [`LazyReport::write_tables`] in `format` (`<table>.jsonl` or `<table>.parquet`).
    pub fn write_tables_as(
        &mut self,
        dir: &std::path::Path,
        format: TableFormat,
    ) -> std::io::Result<&report::Tables> {
        let mut files = Vec::with_capacity(Table::ALL.len());
        for table in Table::ALL {
            let path = table.file_name(format);
            let out = report::Output::open(&dir.join(&path))?;
            let mut rows = 0;
            out.commit_with(|w| {
                rows = self.write_table_as(table, format, w)?;
                Ok(())
            })?;
            files.push(TableFile {
                table,
                path,
                format,
                rows,
            });
        }
        let tables = self.report.tables.insert(report::Tables {
            dir: dir.to_string_lossy().into_owned(),
            files,
        });
        Ok(tables)
    }
}

/// `serde_json`'s pretty printer ([`serde_json::ser::PrettyFormatter`], two spaces an
/// indent) for a value that sits `level` levels deep: the same bytes
/// [`serde_json::to_writer_pretty`] writes for it there. (`PrettyFormatter` always
/// starts at the top level.)
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn at(level: usize) -> Self {
        Nested {
            level,
            has_value: false,
        }
    }

    /// A new line indented to the current level.
    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// Opens an array or object with `bracket`, one level deeper.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Closes an array or object with `bracket` on its own line when it held a value.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The start of a member of the report's top-level object, up to its value: `key` is a
/// field name (no character to escape).
fn key<W: std::io::Write>(w: &mut W, first: bool, key: &str) -> std::io::Result<()> {
    w.write_all(if first { b"\n  \"" } else { b",\n  \"" })?;
    w.write_all(key.as_bytes())?;
    w.write_all(b"\": ")
}

/// A member of the report's top-level object, its value pretty printed one level deep.
fn member<W: std::io::Write, T: serde::Serialize + ?Sized>(
    w: &mut W,
    first: bool,
    name: &str,
    value: &T,
) -> std::io::Result<()> {
    key(w, first, name)?;
    let mut ser = serde_json::Serializer::with_formatter(&mut *w, Nested::at(1));
    value.serialize(&mut ser).map_err(std::io::Error::from)
}

/// The stored documents as the report's `documents` array ([`StoredDocs::write`]).
/// With a pool, the records are re-indented on it, a chunk at a time, and written in
/// order: the same bytes [`serde_json::to_writer_pretty`] gives for the whole report,
/// since a record there sits two levels deep (four spaces) and JSON strings hold no raw
/// newlines.
struct StoredDocs<'a> {
    store: &'a DocStore,
    pool: Option<&'a rayon::ThreadPool>,
    /// The table went to a side file: an empty array.
    empty: bool,
}

/// Record bytes from the spill as a pretty-printed array element of the report: the
/// record's compact JSON re-indented ([`reindent`]), the same bytes as parsing the
/// record and printing it pretty (a test checks it), with no parse.
fn pretty_element(raw: &[u8]) -> Result<Vec<u8>, String> {
    let rec = record_json(raw).ok_or("a stored document record is not its JSON")?;
    let mut out = Vec::new();
    // A record of the `documents` array sits two levels deep in the report.
    reindent(rec, 2, &mut out).ok_or("a stored document record is not balanced JSON")?;
    // The bytes go to the report as they are: they must be text.
    std::str::from_utf8(&out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The record's JSON in the spilled `[group, record]` (see [`DocStore::raw`]): what
/// follows the group (`null` or a string without a quote of its own unescaped) up to
/// the closing bracket.
fn record_json(raw: &[u8]) -> Option<&[u8]> {
    let inner = raw.strip_prefix(b"[")?.strip_suffix(b"]")?;
    let rest = match inner.strip_prefix(b"null,") {
        Some(rest) => rest,
        None => {
            let s = inner.strip_prefix(b"\"")?;
            s.get(string_end(s, 0)?..)?.strip_prefix(b",")?
        }
    };
    rest.starts_with(b"{").then_some(rest)
}

impl StoredDocs<'_> {
    /// Writes the `documents` array as `serde_json`'s pretty printer writes it one level
    /// deep (each record on a new line four spaces in, `[]` when there are none).
    fn write<W: std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        let mut first = true;
        let mut element = |w: &mut W, text: &[u8]| -> std::io::Result<()> {
            w.write_all(if first { b"[\n    " } else { b",\n    " })?;
            first = false;
            w.write_all(text)
        };
        if !self.empty {
            let mut docs = self.store.docs()?;
            match self.pool {
                None => {
                    let mut raw = Vec::new();
                    while let Some(d) = docs.next_doc()? {
                        self.store.raw(&d.loc, &mut raw)?;
                        element(w, &pretty_element(&raw).map_err(std::io::Error::other)?)?;
                    }
                }
                Some(pool) => pipelined(
                    pool,
                    |locs: &mut Vec<Loc>| {
                        while locs.len() < OUTPUT_CHUNK {
                            let Some(d) = docs.next_doc()? else {
                                break;
                            };
                            locs.push(d.loc);
                        }
                        Ok(())
                    },
                    |raw, loc| {
                        self.store.raw(loc, raw)?;
                        pretty_element(raw).map_err(std::io::Error::other)
                    },
                    |text| element(w, text),
                )?,
            }
        }
        w.write_all(if first { b"[]" } else { b"\n  ]" })
    }
}

/// Items formatted per parallel step of [`pipelined`].
const OUTPUT_CHUNK: usize = 1024;

/// Items read by `read` (which appends up to [`OUTPUT_CHUNK`] to an empty vector, none
/// after the last) and each formatted by `format` (given a scratch buffer of its
/// thread), written by `write` in the order they were read: a chunk is formatted on
/// the pool while the next one is read, so the one reader's work overlaps the
/// formatting.
fn pipelined<T: Send + Sync>(
    pool: &rayon::ThreadPool,
    mut read: impl FnMut(&mut Vec<T>) -> std::io::Result<()> + Send,
    format: impl Fn(&mut Vec<u8>, &T) -> std::io::Result<Vec<u8>> + Sync,
    mut write: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut items = Vec::with_capacity(OUTPUT_CHUNK);
    let mut next = Vec::with_capacity(OUTPUT_CHUNK);
    read(&mut items)?;
    while !items.is_empty() {
        next.clear();
        let (done, more) = pool.install(|| {
            rayon::join(
                || {
                    items
                        .par_iter()
                        .map_init(Vec::new, |scratch, t| format(scratch, t))
                        .collect::<Vec<_>>()
                },
                || read(&mut next),
            )
        });
        more?;
        for text in done {
            write(&text?)?;
        }
        std::mem::swap(&mut items, &mut next);
    }
    Ok(())
}

/// The stored document × concept rows as the report's `doc_concepts` array (`[]` when
/// `empty`: the table went to a side file), written directly from the rows as
/// `serde_json`'s pretty printer writes their [`report::DocConceptRecord`]s one level
/// deep: the fields in the record's order, each scalar as `serde_json` writes it
/// ([`concept_element`]), with no record built (no `String` per row for the document
/// id, the group and the concept id) and no pass through the serializer per field.
/// `concept` names a concept index.
fn write_doc_concepts<'c, W: std::io::Write>(
    w: &mut W,
    store: &DocStore,
    concept: &(dyn Fn(u32) -> &'c str + Sync),
    empty: bool,
    pool: Option<&rayon::ThreadPool>,
) -> std::io::Result<()> {
    let mut first = true;
    if !empty {
        let mut docs = store.docs()?;
        match pool {
            None => {
                let mut buf = Vec::with_capacity(1 << 16);
                while let Some(d) = docs.next_doc()? {
                    concept_rows(&mut buf, &d.stats.id, &d.concepts, concept)?;
                    if buf.len() >= 1 << 15 {
                        first = write_rows(w, &buf, first)?;
                        buf.clear();
                    }
                }
                first = write_rows(w, &buf, first)?;
            }
            Some(pool) => pipelined(
                pool,
                |rows: &mut Vec<(CompactString, Vec<ConceptStats>)>| {
                    let mut read = 0;
                    while read < OUTPUT_CHUNK {
                        let Some(d) = docs.next_doc()? else {
                            break;
                        };
                        read += 1;
                        if !d.concepts.is_empty() {
                            rows.push((d.stats.id.clone(), d.concepts.clone()));
                        }
                    }
                    // At least one item until the last document.
                    if rows.is_empty() && read > 0 {
                        rows.push(Default::default());
                    }
                    Ok(())
                },
                |_, (id, rows)| {
                    let mut out = Vec::new();
                    concept_rows(&mut out, id, rows, concept)?;
                    Ok(out)
                },
                |text| {
                    first = write_rows(w, text, first)?;
                    Ok(())
                },
            )?,
        }
    }
    w.write_all(if first { b"[]" } else { b"\n  ]" })
}

/// The rows of one document as elements of the `doc_concepts` array, each after
/// `",\n    "` (the first element of the array is opened by [`write_rows`]).
fn concept_rows<'c>(
    out: &mut Vec<u8>,
    doc_id: &str,
    rows: &[ConceptStats],
    concept: &(dyn Fn(u32) -> &'c str + Sync),
) -> std::io::Result<()> {
    for c in rows {
        out.extend_from_slice(b",\n    ");
        concept_element(out, doc_id, c, concept(c.concept_index))?;
    }
    Ok(())
}

/// Writes rows of [`concept_rows`]; the array's first element (`first`: none written
/// yet) opens it with `[` instead of its comma. Whether none is written yet after.
fn write_rows(w: &mut impl std::io::Write, rows: &[u8], first: bool) -> std::io::Result<bool> {
    match rows.split_first() {
        Some((_, rest)) if first => {
            w.write_all(b"[")?;
            w.write_all(rest)?;
            Ok(false)
        }
        _ => {
            w.write_all(rows)?;
            Ok(first)
        }
    }
}

/// Row `c` of document `doc_id` (concept id `concept`) as an element of the report's
/// `doc_concepts` array, two levels deep: the bytes `serde_json`'s pretty printer writes
/// for the row's [`report::DocConceptRecord`] there (strings and numbers written by
/// `serde_json` itself, so escapes, `f64` digits and `null` for a non-finite value are
/// its own).
fn concept_element(
    out: &mut Vec<u8>,
    doc_id: &str,
    c: &crate::docstats::ConceptStats,
    concept: &str,
) -> std::io::Result<()> {
    const FIELD: &[u8] = b",\n      \"";
    out.extend_from_slice(b"{\n      \"doc_id\": ");
    serde_json::to_writer(&mut *out, doc_id)?;
    out.extend_from_slice(FIELD);
    out.extend_from_slice(b"group\": ");
    serde_json::to_writer(&mut *out, &*c.group)?;
    out.extend_from_slice(FIELD);
    out.extend_from_slice(b"concept\": ");
    serde_json::to_writer(&mut *out, concept)?;
    for (name, n) in [
        (&b"mentions\": "[..], c.mentions),
        (b"mentions_zh\": ", c.mentions_zh),
        (b"mentions_en\": ", c.mentions_en),
        (b"sentences\": ", c.sentences),
    ] {
        out.extend_from_slice(FIELD);
        out.extend_from_slice(name);
        serde_json::to_writer(&mut *out, &n)?;
    }
    out.extend_from_slice(FIELD);
    out.extend_from_slice(b"sentiment_sum\": ");
    serde_json::to_writer(&mut *out, &c.sentiment_sum)?;
    out.extend_from_slice(b"\n    }");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_found_after_any_group() {
        let rec = serde_json::json!({"id": "a\"],[", "n": [1, {}], "s": "x"});
        for group in [None, Some("g"), Some("a \"quoted\", [group]\\"), Some("")] {
            let raw = serde_json::to_vec(&(group, &rec)).unwrap();
            assert_eq!(
                record_json(&raw),
                Some(serde_json::to_vec(&rec).unwrap().as_slice()),
                "{group:?}"
            );
            let el = pretty_element(&raw).unwrap();
            let expected = serde_json::to_string_pretty(&rec).unwrap();
            assert_eq!(
                std::str::from_utf8(&el).unwrap(),
                expected.replace('\n', "\n    ")
            );
        }
        assert!(
            pretty_element(b"[null,{\"a\":\"\xff\"}]").is_err(),
            "not text"
        );
        for bad in [&b"[null,1]"[..], b"{}", b"[\"g\"{}]", b"[\"g,{}]", b"[]"] {
            assert_eq!(record_json(bad), None, "{bad:?}");
        }
    }

    /// With a pool the records are read, formatted and written a chunk at a time: more
    /// documents than a chunk, whole chunks of them without a concept row (a chunk that
    /// gives no row is not the end), in the order and bytes of the report in memory.
    #[test]
    fn chunked_writing_keeps_the_order_and_every_row() {
        use crate::corpus::{Document, Source};
        let n = 2 * OUTPUT_CHUNK + 300;
        let docs: Vec<Document> = (0..n)
            .map(|i| {
                // Ids in report order; rows in the first and the last chunk only.
                let text = if i == 3 || i + 5 >= n {
                    format!("Bitcoin miners moved to Texas, note {i}.")
                } else {
                    format!("Plain words, nothing else, note {i}.")
                };
                let group = if i % 3 == 0 { "overseas" } else { "domestic" };
                Document::in_memory(format!("d{i:05}"), group, text)
            })
            .collect();
        let p = Pipeline::builder()
            .threads(2)
            .bootstrap_reps(20)
            .evidence(0)
            .keep_duplicates(true)
            .keep_boilerplate(true)
            .build()
            .unwrap();
        let lazy = p.analyze(Source::documents(docs)).unwrap();
        let mut streamed = Vec::new();
        lazy.write_json(&mut streamed).unwrap();
        let report = lazy.into_report().unwrap();
        assert_eq!(report.documents.len(), n);
        assert_eq!(report.doc_concepts.len(), 18);
        let whole = report.to_json();
        assert!(
            streamed == whole,
            "{} bytes, {}",
            streamed.len(),
            whole.len()
        );
    }

    /// A document × concept row written by [`concept_element`] is the bytes of its
    /// record in the `doc_concepts` array as [`member`] (serde) writes it: escapes,
    /// non-ASCII text, `f64` digits (−0, tiny, huge, non-finite as `null`) and integers
    /// up to `u64::MAX`.
    #[test]
    fn concept_rows_are_written_as_their_records_serialize() {
        use crate::docstats::ConceptStats;
        use std::sync::Arc;
        let rows: Vec<(&str, ConceptStats, &str)> = [
            ("d/1.txt", "domestic", "china", 1, 0.2778),
            (
                "a \"quoted\"\\ id\n\t\u{1}",
                "海外 \"g\"",
                "state_media",
                0,
                -0.856728,
            ),
            ("中文/文档.txt", "g", "c\u{7f}\u{2028}", u64::MAX, -0.0),
            ("x", "g", "k", 7, 1e300),
            ("y", "g", "k", 12, 5e-324),
            ("z", "g", "k", 3, f64::NAN),
            ("w", "g", "k", 3, f64::NEG_INFINITY),
            ("v", "g", "k", 3, 123456789.0),
        ]
        .into_iter()
        .map(|(id, g, concept, n, sum)| {
            let c = ConceptStats {
                doc: 0,
                group: Arc::from(g),
                concept_index: 0,
                mentions: n,
                mentions_zh: n / 3,
                mentions_en: n.wrapping_add(1),
                sentences: n / 2,
                sentiment_sum: sum,
            };
            (id, c, concept)
        })
        .collect();
        let records: Vec<report::DocConceptRecord> = rows
            .iter()
            .map(|(id, c, concept)| c.to_record(id.to_string(), concept.to_string()))
            .collect();
        let mut expected = Vec::new();
        member(&mut expected, true, "doc_concepts", &records).unwrap();
        let mut got = Vec::new();
        key(&mut got, true, "doc_concepts").unwrap();
        got.extend_from_slice(b"[");
        for (i, (id, c, concept)) in rows.iter().enumerate() {
            got.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
            concept_element(&mut got, id, c, concept).unwrap();
        }
        got.extend_from_slice(b"\n  ]");
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    /// `v` written as a member of an object by [`member`] and by `serde_json`'s own
    /// pretty printer, for every shape of nesting, empty arrays and objects included.
    #[test]
    fn members_are_written_as_serde_json_writes_them() {
        let values = [
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!(null),
            serde_json::json!("a \"string\"\n"),
            serde_json::json!([1, [], {}, [[]], [{}], {"a": []}, {"b": {}}]),
            serde_json::json!({"x": {"y": [1.5, -0.0, 1e300, true]}, "z": [{"k": null}]}),
            serde_json::json!([[[[1]]], {"deep": {"deeper": {"deepest": [2, 3]}}}]),
        ];
        for v in &values {
            let whole = serde_json::json!({"a": 1, "k": v});
            let expected = serde_json::to_string_pretty(&whole).unwrap();
            let mut out = b"{".to_vec();
            member(&mut out, true, "a", &1).unwrap();
            member(&mut out, false, "k", v).unwrap();
            out.extend_from_slice(b"\n}");
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{v}");
        }
    }
}
