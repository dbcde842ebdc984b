//! The entry points of the previous release, one per source × output. Each is a thin
//! wrapper over [`Pipeline::analyze`] or [`Pipeline::analyze_partial`].

use super::{LazyReport, Pipeline, PipelineError};
use crate::aggregate::partial::Partial;
use crate::corpus::{CorpusOptions, Source};
use crate::report::Report;
use std::path::Path;

impl Pipeline {
    /// Analyses every document under `dir` and builds the report; `progress` is
    /// called once per file processed (from worker threads).
    ///
    /// Old entry point, kept for one release; use
    /// `analyze(Source::dir(..))?.into_report()`.
    pub fn analyze_dir(
        &self,
        dir: impl AsRef<Path>,
        opts: &CorpusOptions,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<Report, PipelineError> {
        self.analyze_dir_lazy(dir, opts, progress)?.into_report()
    }

    /// [`Pipeline::analyze_dir`] with the documents left in temporary files until the
    /// report is written.
    ///
    /// Old entry point, kept for one release; use `analyze(Source::dir(..))`.
    pub fn analyze_dir_lazy(
        &self,
        dir: impl AsRef<Path>,
        opts: &CorpusOptions,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<LazyReport, PipelineError> {
        let source = Source::dir(dir.as_ref(), opts.clone()).progress(progress);
        self.analyze(source)
    }

    /// Analyses every document under `dir` into a partial aggregate.
    ///
    /// Old entry point, kept for one release; use `analyze_partial(Source::dir(..))`.
    pub fn analyze_dir_partial(
        &self,
        dir: impl AsRef<Path>,
        opts: &CorpusOptions,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<Partial, PipelineError> {
        let source = Source::dir(dir.as_ref(), opts.clone()).progress(progress);
        self.analyze_partial(source)
    }

    /// Analyses documents given as JSON lines read from `input` into a partial
    /// aggregate (see [`Source::json_lines`]).
    ///
    /// Old entry point, kept for one release; use
    /// `analyze_partial(Source::json_lines(..))`.
    pub fn analyze_jsonl(
        &self,
        input: impl std::io::BufRead,
        name: &str,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<Partial, PipelineError> {
        self.analyze_partial(Source::json_lines(input, name).progress(progress))
    }
}
