//! Writing a run's report: [`LazyReport`] streams the document records from the run's
//! temporary files into the JSON (or into JSON lines) instead of holding them all.

use super::{Pipeline, PipelineError};
use crate::aggregate::docstore::DocStore;
use crate::compare;
use crate::corpus::{Skipped, Warning};
use crate::report::{self, Checks, CorpusSummary, EvidenceRecord, Report, Settings, TermRecord};
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
            .field("doc_concepts", &self.store.concepts.len())
            .finish_non_exhaustive()
    }
}

impl LazyReport {
    /// Everything but `documents` and `doc_concepts` (empty here).
    pub fn head(&self) -> &Report {
        &self.report
    }

    fn concept_name(&self) -> impl Fn(u32) -> String + '_ {
        |c| self.pipeline.inner.analyzer.concepts().id(c).to_string()
    }

    /// The whole report, with every document and document × concept record in memory.
    pub fn into_report(self) -> Result<Report, PipelineError> {
        let name = self.concept_name();
        let documents = self
            .store
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(PipelineError::TempFile)?;
        let doc_concepts = self.store.concept_records(&name).collect();
        drop(name);
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
            },
            concepts: &r.concepts,
            doc_concepts: StoredConcepts(&self.store, &name),
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
        };
        serde_json::to_writer_pretty(&mut w, &view)?;
        w.write_all(b"\n")
    }

    /// Writes one JSON line per document record (the `documents` array as JSON Lines).
    pub fn write_documents_jsonl(&self, mut w: impl std::io::Write) -> std::io::Result<()> {
        for d in self.store.records() {
            serde_json::to_writer(&mut w, &d?)?;
            w.write_all(b"\n")?;
        }
        Ok(())
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
}

/// The stored documents as the report's `documents` array. With a pool, the records
/// are parsed and formatted on it, a chunk at a time, and written in order as
/// pre-formatted JSON: the same bytes [`serde_json::to_writer_pretty`] gives for the
/// whole report, since a record there sits two levels deep (four spaces) and JSON
/// strings hold no raw newlines.
struct StoredDocs<'a> {
    store: &'a DocStore,
    pool: Option<&'a rayon::ThreadPool>,
}

/// Record bytes from the spill as a pretty-printed array element of the report.
fn pretty_element(raw: &[u8]) -> Result<Box<serde_json::value::RawValue>, String> {
    let rec = DocStore::parse(raw).map_err(|e| e.to_string())?;
    let flat = serde_json::to_vec_pretty(&rec).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(flat.len() + flat.len() / 8);
    for &b in &flat {
        out.push(b);
        if b == b'\n' {
            out.extend_from_slice(b"    ");
        }
    }
    let text = String::from_utf8(out).map_err(|e| e.to_string())?;
    serde_json::value::RawValue::from_string(text).map_err(|e| e.to_string())
}

impl serde::Serialize for StoredDocs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.store.len()))?;
        let Some(pool) = self.pool else {
            for d in self.store.records() {
                seq.serialize_element(&d.map_err(S::Error::custom)?)?;
            }
            return seq.end();
        };
        const CHUNK: usize = 1024;
        let n = self.store.len();
        let mut raw: Vec<Vec<u8>> = Vec::new();
        for start in (0..n).step_by(CHUNK) {
            let end = (start + CHUNK).min(n);
            raw.resize_with(end - start, Vec::new);
            for (k, b) in raw.iter_mut().enumerate() {
                self.store.raw(start + k, b).map_err(S::Error::custom)?;
            }
            let done: Vec<_> = pool.install(|| raw.par_iter().map(|b| pretty_element(b)).collect());
            for d in done {
                seq.serialize_element(&d.map_err(S::Error::custom)?)?;
            }
        }
        seq.end()
    }
}

struct StoredConcepts<'a>(&'a DocStore, &'a (dyn Fn(u32) -> String + 'a));

impl serde::Serialize for StoredConcepts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.concept_records(self.1))
    }
}
