//! Building the report from a run's aggregate: checks (documents present, ids unique,
//! compared groups present), the comparison, and the corpus and term tables.

use super::{Pipeline, PipelineError};
use crate::aggregate::RunAgg;
use crate::compare;
use crate::report::{self, Checks, CorpusSummary, GroupSummary, LangSummary, Report, TermRecord};
use std::collections::BTreeMap;

impl Pipeline {
    /// Checks a merged aggregate (documents present, ids unique, compared groups
    /// present) and builds its report.
    pub(super) fn checked_report(
        &self,
        root: String,
        discovered: u64,
        mut metadata: Vec<String>,
        acc: &mut RunAgg,
    ) -> Result<Report, PipelineError> {
        metadata.sort();
        metadata.dedup();
        acc.store.finish().map_err(PipelineError::TempFile)?;
        if acc.store.is_empty() {
            return Err(PipelineError::NoDocuments {
                path: root,
                skipped: acc.skipped.len(),
            });
        }
        if let Some(id) = acc.store.duplicate() {
            return Err(PipelineError::DuplicateId { id: id.to_string() });
        }
        if let Some((a, b)) = &self.inner.settings.compare.pair {
            for g in [a, b] {
                if !acc.groups.contains_key(g) {
                    return Err(PipelineError::UnknownGroup {
                        group: g.clone(),
                        groups: acc.groups.keys().cloned().collect(),
                    });
                }
            }
        }
        self.build_report(root, discovered, metadata, acc)
            .map_err(PipelineError::TempFile)
    }

    /// Builds the report without its documents and document × concept rows (they stay
    /// in `acc.store`, sorted); takes the skipped files and warnings out of `acc` and
    /// leaves its group aggregates (the evidence pass reads them).
    fn build_report(
        &self,
        root: String,
        discovered: u64,
        metadata_files: Vec<String>,
        acc: &mut RunAgg,
    ) -> std::io::Result<Report> {
        acc.sort();
        // Each group's top terms beside the comparison (on the pool the run installs).
        let top = self.inner.settings.top;
        let (analysis, mut tops) = rayon::join(
            || {
                compare::analyze_stats(
                    &acc.groups,
                    &acc.store,
                    self.inner.analyzer.concepts().infos(),
                    &self.inner.settings.compare,
                )
            },
            || {
                let mut tops = BTreeMap::new();
                for (name, g) in &acc.groups {
                    for lang in g.totals.tokens.keys() {
                        tops.insert((name.as_str(), *lang), g.terms.top(*lang, top));
                    }
                }
                tops
            },
        );
        let analysis = analysis?;
        let mut groups = Vec::new();
        let mut languages = Vec::new();
        let mut terms = Vec::new();
        for (name, g) in &acc.groups {
            let t = &g.totals;
            let all = t.all_tokens();
            groups.push(GroupSummary {
                group: name.clone(),
                documents: t.documents,
                tokens: all,
                bytes: t.bytes,
                chars: t.chars,
                special: t.special,
            });
            for (lang, n) in &t.tokens {
                let chars = t.token_chars.get(lang).copied().unwrap_or(0);
                languages.push(LangSummary {
                    group: name.clone(),
                    lang: *lang,
                    tokens: *n,
                    token_share: report::round(*n as f64 / all.max(1) as f64, 4),
                    documents: t.documents_by_lang.get(lang).copied().unwrap_or(0),
                    vocabulary: g.terms.vocabulary(*lang) as u64,
                    chars_per_token: report::round(chars as f64 / (*n).max(1) as f64, 3),
                });
                let top_terms = tops.remove(&(name.as_str(), *lang)).unwrap_or_default();
                for (rank, (term, s)) in top_terms.into_iter().enumerate() {
                    terms.push(TermRecord {
                        group: name.clone(),
                        lang: *lang,
                        rank: rank as u32 + 1,
                        term: term.to_string(),
                        count: s.count,
                        per_10k: report::round(s.count as f64 * 10_000.0 / (*n).max(1) as f64, 3),
                        doc_freq: s.doc_freq,
                    });
                }
            }
        }
        let files_skipped = acc.skipped.len() as u64;
        Ok(Report {
            schema_version: report::SCHEMA_VERSION.into(),
            tool: Default::default(),
            settings: self.settings(),
            corpus: CorpusSummary {
                root,
                files_discovered: discovered,
                files_analyzed: acc.files_analyzed,
                files_skipped,
                metadata_files,
                documents: acc.store.len() as u64,
                tokens: groups.iter().map(|g| g.tokens).sum(),
                groups,
                languages,
            },
            terms,
            // Filled from the store by `LazyReport`.
            documents: Vec::new(),
            concepts: analysis.concepts,
            doc_concepts: Vec::new(),
            sentiment: analysis.sentiment,
            coverage: analysis.coverage,
            sentiment_by_lang: analysis.sentiment_by_lang,
            time: analysis.time,
            concept_time: analysis.concept_time,
            comparison: analysis.comparison,
            evidence: Vec::new(),
            checks: Checks {
                segmenter: format!(
                    "jieba-rs 0.11, HMM {}, shipped domain words + glossary words; NFKC; Traditional mapped to Simplified",
                    if self.inner.settings.hmm { "on" } else { "off" }
                ),
                warnings: analysis.warnings,
            },
            skipped: std::mem::take(&mut acc.skipped),
            warnings: std::mem::take(&mut acc.warnings),
            set_aside: acc.set_aside.to_report(),
            tables: None,
        })
    }
}
