//! `duibi analyze` and `duibi merge`: run the pipeline, write the report and its views.

use super::build;
use super::exit::{self, Fail, Outcome};
use super::flags::{AnalyzeArgs, MergeArgs, OutputArgs, ScanArgs};
use super::output::{self, Outputs};
use super::term;
use anyhow::Context;
use duibi::corpus::Source;
use duibi::dedupe::Scan;
use duibi::run::LazyReport;
use std::io::IsTerminal;
use std::path::Path;

/// `duibi analyze`.
pub fn analyze(a: AnalyzeArgs) -> Outcome {
    // Fail on unusable input before any work.
    if let Some(dir) = &a.dir {
        if !dir.exists() {
            return Err(exit::usage(format!("{}: no such directory", dir.display())));
        }
        if !dir.is_dir() {
            return Err(exit::usage(format!("{}: not a directory", dir.display())));
        }
    }
    // Made first, so that the corpus check below sees where its files would be.
    let tables_format = build::table_format(a.tables_format);
    let tables = build::table_paths(a.tables.as_deref(), tables_format);
    if let Some(dir) = &a.tables {
        let others = [
            Some(a.out.output.as_path()),
            a.out.html.as_deref(),
            a.documents_jsonl.as_deref(),
        ];
        output::prepare_tables_dir(dir, &others, &tables)?;
    }
    let inside_root = match &a.dir {
        Some(dir) => {
            let outs = [
                Some(a.out.output.as_path()),
                a.out.html.as_deref(),
                a.documents_jsonl.as_deref(),
            ];
            let outs: Vec<&Path> = outs
                .into_iter()
                .flatten()
                .chain(tables.iter().map(|p| p.as_path()))
                .collect();
            output::check_against_corpus(dir, &outs)?
        }
        None => Vec::new(),
    };
    let outs = output::open_all(&a.out)?;
    if !a.out.quiet {
        for w in &inside_root {
            eprintln!("duibi: warning: {}", term::line(w));
        }
    }
    let docs_out = a.documents_jsonl.as_deref();
    let scan = read_scans(&a.scan)?;
    let settings = build::pipeline_builder(&a.model)?;
    let opts = build::corpus_options(&a);
    let bar = if !a.out.quiet && std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} files  {elapsed}  {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Some(pb)
    } else {
        None
    };
    let progress = |name: &str| {
        if let Some(pb) = &bar {
            pb.inc(1);
            pb.set_message(term::line(name).into_owned());
        }
    };
    let source = match &a.dir {
        Some(dir) => Source::dir(dir, opts.clone()),
        None => Source::json_lines(std::io::BufReader::new(std::io::stdin().lock()), "-")
            .max_record_bytes(opts.max_file_size),
    }
    .progress(&progress);
    let report = match (scan, a.partial) {
        // The usual run: the resources load while the scan pass's screen is decided.
        (None, false) => settings.analyze(source),
        (scan, partial) => {
            let pipeline = settings.build().map_err(exit::unusable)?;
            if partial {
                let part = match scan {
                    Some(s) => pipeline.analyze_partial_with_scan(source, s),
                    None => pipeline.analyze_partial(source),
                }
                .map_err(exit::pipeline)?;
                return commit_partial(&part, &a.out, outs, &bar);
            }
            match scan {
                Some(s) => pipeline.analyze_with_scan(source, s),
                None => pipeline.analyze(source),
            }
        }
    }
    .map_err(exit::pipeline)?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let tables = a.tables.as_deref().map(|d| (d, tables_format));
    // The process ends next: freeing the dictionary and the lexicons block by block
    // would only delay the exit (a few ms, which counts at start-up scale).
    std::mem::forget(report.pipeline().clone());
    finish(report, &a.out, outs, docs_out, tables)
}

fn commit_partial(
    part: &duibi::partial::Partial,
    o: &OutputArgs,
    outs: Outputs,
    bar: &Option<indicatif::ProgressBar>,
) -> Outcome {
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    outs.json
        .commit(&part.to_json_line())
        .with_context(|| format!("{}: cannot write partial", o.output.display()))?;
    Ok(())
}

/// `duibi merge`.
pub fn merge(a: MergeArgs) -> Outcome {
    if let Some(dir) = &a.tables {
        let others = [Some(a.out.output.as_path()), a.out.html.as_deref()];
        let paths = build::table_paths(Some(dir), build::table_format(a.tables_format));
        output::prepare_tables_dir(dir, &others, &paths)?;
    }
    let outs = output::open_all(&a.out)?;
    let pipeline = build::pipeline(&a.model)?;
    let mut parts = Vec::new();
    for p in &a.parts {
        let text = std::fs::read_to_string(p)
            .map_err(|e| exit::usage(format!("{}: cannot read: {e}", p.display())))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let part: duibi::partial::Partial = serde_json::from_str(line).map_err(|e| {
                exit::usage(format!(
                    "{}: line {}: not a duibi partial: {e}",
                    p.display(),
                    i + 1
                ))
            })?;
            parts.push(part);
        }
    }
    let report = pipeline
        .report_from_partials_lazy(parts)
        .map_err(exit::pipeline)?;
    let tables = (a.tables.as_deref()).map(|d| (d, build::table_format(a.tables_format)));
    finish(report, &a.out, outs, None, tables)
}

/// Writes the outputs of a report. The JSON (and the documents' JSON lines, and the
/// tables of `--tables`) stream the document records from the run's temporary files; only the HTML report, which lists
/// the documents, needs them all in memory.
fn finish(
    mut lazy: LazyReport,
    o: &OutputArgs,
    outs: Outputs,
    docs_out: Option<&Path>,
    tables: Option<(&Path, duibi::report::TableFormat)>,
) -> Result<(), Fail> {
    let report = lazy.head();
    if !o.quiet {
        for s in &report.skipped {
            let line = format!("{}: {}", s.path, s.reason);
            eprintln!("duibi: skipped {}", term::line(&line));
        }
        for w in &report.warnings {
            let line = format!("{}: {}", w.path, w.message);
            eprintln!("duibi: warning: {}", term::line(&line));
        }
    }
    if let Some(p) = docs_out {
        output::open(p)?
            .commit_with(|w| lazy.write_documents_jsonl(w))
            .with_context(|| format!("{}: cannot write documents", p.display()))?;
    }
    if let Some((dir, format)) = tables {
        lazy.write_tables_as(dir, format)
            .with_context(|| format!("{}: cannot write tables", dir.display()))?;
    }
    outs.json
        .commit_with(|w| lazy.write_json(w))
        .with_context(|| format!("{}: cannot write report", o.output.display()))?;
    let full;
    let report = match (outs.html, &o.html) {
        (Some(h), Some(p)) => {
            full = lazy.into_report().map_err(exit::pipeline)?;
            h.commit(duibi::html::render(&full).as_bytes())
                .with_context(|| format!("{}: cannot write HTML report", p.display()))?;
            &full
        }
        _ => lazy.head(),
    };
    if o.summary {
        eprint!("{}", term::text(&duibi::summary::summary(report)));
    }
    if !o.quiet && o.output.as_os_str() != "-" {
        eprintln!(
            "duibi: {} documents in {} groups, {} tokens; {} file(s) skipped; report: {}",
            report.corpus.documents,
            report.corpus.groups.len(),
            report.corpus.tokens,
            report.corpus.files_skipped,
            term::line(&o.output.display().to_string())
        );
    }
    Ok(())
}

/// `duibi scan`: the first pass only, one line of JSON.
pub fn scan(a: ScanArgs) -> Outcome {
    if let Some(dir) = &a.dir {
        if !dir.is_dir() {
            return Err(exit::usage(format!("{}: no such directory", dir.display())));
        }
    }
    let out = output::open(&a.output)?;
    let threads = a.threads.map_or(duibi::config::THREADS, |n| n as usize);
    let source = match &a.dir {
        Some(dir) => Source::dir(dir, build::scan_corpus_options(&a)),
        None => Source::json_lines(std::io::BufReader::new(std::io::stdin().lock()), "-"),
    };
    let scan = duibi::run::scan(source, threads).map_err(exit::pipeline)?;
    out.commit(&scan.to_json_line())
        .with_context(|| format!("{}: cannot write scan", a.output.display()))?;
    Ok(())
}

/// The scans named by `--scan`, merged (`None` when none is given).
fn read_scans(files: &[std::path::PathBuf]) -> Result<Option<Scan>, Fail> {
    if files.is_empty() {
        return Ok(None);
    }
    let mut docs = Vec::new();
    for p in files {
        let cannot = |e: std::io::Error| exit::usage(format!("{}: cannot read: {e}", p.display()));
        let file = std::fs::File::open(p).map_err(cannot)?;
        // Scans of large corpora are large: one line (one shard's scan) at a time.
        for (i, line) in std::io::BufRead::lines(std::io::BufReader::new(file)).enumerate() {
            let line = line.map_err(cannot)?;
            if line.trim().is_empty() {
                continue;
            }
            let bad = |e: String| exit::usage(format!("{}: line {}: {e}", p.display(), i + 1));
            let s: Scan =
                serde_json::from_str(&line).map_err(|e| bad(format!("not a duibi scan: {e}")))?;
            s.check().map_err(|e| bad(e.to_string()))?;
            docs.extend(s.documents);
        }
    }
    Ok(Some(Scan::of_docs(docs)))
}
