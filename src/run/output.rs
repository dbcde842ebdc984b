//! Writing a run's report: [`LazyReport`] streams the document records from the run's
//! temporary files into the JSON (or into JSON lines) instead of holding them all.

use super::pretty::{reindent, string_end};
use super::{Pipeline, PipelineError};
use crate::aggregate::docstore::DocStore;
use crate::compare;
use crate::corpus::{Skipped, Warning};
use crate::report::{
    self, Checks, CorpusSummary, EvidenceRecord, Report, Settings, Table, TableFile, TableFormat,
    TermRecord,
};
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
        let name = self.concept_name();
        // Formatting the documents is most of the writing: it goes to the pool unless
        // one thread was asked for.
        let pool = if self.pipeline.inner.settings.threads == 1 {
            None
        } else {
            self.pipeline.pool().ok()
        };
        let r = &self.report;
        let view = ReportView {
            schema_version: &r.schema_version,
            tool: &r.tool,
            settings: &r.settings,
            corpus: &r.corpus,
            terms: &r.terms,
            documents: StoredDocs {
                store: &self.store,
                pool: pool.as_ref(),
                empty: r.tables.is_some(),
            },
            concepts: &r.concepts,
            doc_concepts: StoredConcepts(&self.store, &name, r.tables.is_some()),
            sentiment: &r.sentiment,
            coverage: &r.coverage,
            sentiment_by_lang: &r.sentiment_by_lang,
            time: &r.time,
            concept_time: &r.concept_time,
            comparison: &r.comparison,
            evidence: &r.evidence,
            checks: &r.checks,
            skipped: &r.skipped,
            warnings: &r.warnings,
            set_aside: &r.set_aside,
            tables: &r.tables,
        };
        serde_json::to_writer_pretty(&mut w, &view)?;
        w.write_all(b"\n")
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

/// [`Report`]'s fields in its order, with the per-document arrays read from the store
/// while serializing. A test checks it against [`Report::to_json`].
#[derive(serde::Serialize)]
struct ReportView<'a> {
    schema_version: &'a String,
    tool: &'a report::ToolInfo,
    settings: &'a Settings,
    corpus: &'a CorpusSummary,
    terms: &'a Vec<TermRecord>,
    documents: StoredDocs<'a>,
    concepts: &'a Vec<compare::ConceptGroupRecord>,
    doc_concepts: StoredConcepts<'a>,
    sentiment: &'a Vec<compare::SentimentGroupRecord>,
    coverage: &'a Vec<compare::CoverageRecord>,
    sentiment_by_lang: &'a Vec<report::SentimentLangRecord>,
    time: &'a Vec<compare::TimeRecord>,
    concept_time: &'a Vec<compare::ConceptTimeRecord>,
    comparison: &'a Option<compare::Comparison>,
    evidence: &'a Vec<EvidenceRecord>,
    checks: &'a Checks,
    skipped: &'a Vec<Skipped>,
    warnings: &'a Vec<Warning>,
    set_aside: &'a report::SetAside,
    #[serde(skip_serializing_if = "Option::is_none")]
    tables: &'a Option<report::Tables>,
}

/// The stored documents as the report's `documents` array. With a pool, the records
/// are parsed and formatted on it, a chunk at a time, and written in order as
/// pre-formatted JSON: the same bytes [`serde_json::to_writer_pretty`] gives for the
/// whole report, since a record there sits two levels deep (four spaces) and JSON
/// strings hold no raw newlines.
struct StoredDocs<'a> {
    store: &'a DocStore,
    pool: Option<&'a rayon::ThreadPool>,
    /// The table went to a side file: an empty array.
    empty: bool,
}

/// Record bytes from the spill as a pretty-printed array element of the report: the
/// record's compact JSON re-indented ([`reindent`]), the same bytes as parsing the
/// record and printing it pretty (a test checks it), with no parse.
fn pretty_element(raw: &[u8]) -> Result<Box<serde_json::value::RawValue>, String> {
    let rec = record_json(raw).ok_or("a stored document record is not its JSON")?;
    let mut out = Vec::new();
    // A record of the `documents` array sits two levels deep in the report.
    reindent(rec, 2, &mut out).ok_or("a stored document record is not balanced JSON")?;
    let text = String::from_utf8(out).map_err(|e| e.to_string())?;
    serde_json::value::RawValue::from_string(text).map_err(|e| e.to_string())
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

impl serde::Serialize for StoredDocs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        if self.empty {
            return s.collect_seq(std::iter::empty::<()>());
        }
        let mut seq = s.serialize_seq(Some(self.store.len()))?;
        let Some(pool) = self.pool else {
            let mut docs = self.store.docs().map_err(S::Error::custom)?;
            let mut raw = Vec::new();
            while let Some(d) = docs.next_doc().map_err(S::Error::custom)? {
                self.store.raw(&d.loc, &mut raw).map_err(S::Error::custom)?;
                seq.serialize_element(&pretty_element(&raw).map_err(S::Error::custom)?)?;
            }
            return seq.end();
        };
        const CHUNK: usize = 1024;
        let mut docs = self.store.docs().map_err(S::Error::custom)?;
        let mut raw: Vec<Vec<u8>> = Vec::new();
        loop {
            let mut k = 0;
            while k < CHUNK {
                let Some(d) = docs.next_doc().map_err(S::Error::custom)? else {
                    break;
                };
                if raw.len() <= k {
                    raw.push(Vec::new());
                }
                self.store
                    .raw(&d.loc, &mut raw[k])
                    .map_err(S::Error::custom)?;
                k += 1;
            }
            if k == 0 {
                break;
            }
            let done: Vec<_> =
                pool.install(|| raw[..k].par_iter().map(|b| pretty_element(b)).collect());
            for d in done {
                seq.serialize_element(&d.map_err(S::Error::custom)?)?;
            }
        }
        seq.end()
    }
}

/// The stored document × concept records (none when `.2`: written to a side file).
struct StoredConcepts<'a>(&'a DocStore, &'a (dyn Fn(u32) -> String + 'a), bool);

impl serde::Serialize for StoredConcepts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.2 {
            return s.collect_seq(std::iter::empty::<()>());
        }
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(None)?;
        for c in self.0.concept_records(self.1) {
            seq.serialize_element(&c.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
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
            assert_eq!(el.get(), expected.replace('\n', "\n    "));
        }
        for bad in [&b"[null,1]"[..], b"{}", b"[\"g\"{}]", b"[\"g,{}]", b"[]"] {
            assert_eq!(record_json(bad), None, "{bad:?}");
        }
    }
}
