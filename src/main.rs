//! `duibi` command line: a thin layer over the library.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use duibi::corpus::date::Period;
use duibi::corpus::CorpusOptions;
use duibi::lang::{self, Lang, LangDetector};
use duibi::report::Output;
use duibi::run::{ErrorKind, LazyReport, Pipeline, PipelineError};
use duibi::sentiment::Polarity;
use duibi::tokenize::Tokenizer;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// duibi (对比): measure how domestic and overseas commentary on a story differ,
/// across Chinese and English.
///
/// Point `duibi analyze` at a directory of documents grouped as domestic/overseas
/// (by subdirectory, a manifest.csv, or Markdown front matter) and get one JSON report
/// with term tables per group and language, and a record per document.
///
/// Exit codes: 0 success; 1 the run failed; 2 unusable arguments or input.
#[derive(Parser, Debug)]
#[command(name = "duibi", version, about, long_about = None, after_help = "Examples:\n  duibi analyze corpora/mining-2021 -o report.json\n  echo '比特币矿场关停 as miners head to Texas' | duibi tokenize\n  duibi detect 'ＮＦＴ市场' 'the hash rate exodus'")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse a corpus directory and write one JSON report.
    ///
    /// Groups come from manifest.csv/manifest.jsonl at the root, front matter of .md
    /// files, or the first-level subdirectory (DIR/domestic/..., DIR/overseas/...).
    /// Every file appears in the report, as analysed or skipped with a reason.
    Analyze(AnalyzeArgs),
    /// Print the tokens of each input line as one JSON line (text from arguments or stdin).
    Tokenize(TextArgs),
    /// Print the language and script runs of each input line as one JSON line.
    Detect(TextArgs),
    /// Score the sentiment of each input line (arguments, a file, or stdin): one JSON
    /// line each with language, document score, sentence scores and the matched terms.
    Score(ScoreArgs),
    /// Evaluate against labelled data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Print a human-readable summary of a saved report.
    Summarize(SummarizeArgs),
    /// Render a saved report as a self-contained HTML page.
    Render(RenderArgs),
    /// Print the JSON Schema of the report (also in schema/report.schema.json).
    Schema,
    /// Merge partial aggregates (from `analyze --partial`) into one report.
    ///
    /// Merging is exact: the report equals that of one run over all the documents
    /// (evidence aside). Give the same settings as the partials were made with.
    Merge(MergeArgs),
}

#[derive(Args, Debug)]
struct RenderArgs {
    /// A report written by `duibi analyze`.
    report: PathBuf,
    /// Output HTML file (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    html: PathBuf,
}

#[derive(Subcommand, Debug)]
enum EvalCommand {
    /// Score a labelled file and print Pearson r (continuous labels), accuracy and
    /// macro-F1, so a lexicon can be validated on your own data.
    ///
    /// Formats: `vader` (id<TAB>rating<TAB>text, rating −4..4) and `csv` (label,text with
    /// a header; 1/0 labels).
    Sentiment(EvalSentimentArgs),
}

#[derive(Args, Debug, Clone)]
struct LexiconArgs {
    /// Sentiment lexicon TSV (`term<TAB>score[<TAB>lang]`) extending the shipped ones; may repeat.
    #[arg(long = "lexicon", value_name = "FILE")]
    lexicon: Vec<PathBuf>,
    /// Use only the --lexicon files, not the shipped lexicons.
    #[arg(long)]
    replace_lexicon: bool,
    /// Plain list of positive words (one a line, any encoding, e.g. NTUSD or HowNet); may repeat.
    #[arg(long = "positive-words", value_name = "FILE")]
    positive_words: Vec<PathBuf>,
    /// Plain list of negative words; may repeat.
    #[arg(long = "negative-words", value_name = "FILE")]
    negative_words: Vec<PathBuf>,
    /// Language of the --positive-words/--negative-words lists.
    #[arg(long, default_value = "zh", value_parser = parse_lang)]
    word_list_lang: Lang,
}

#[derive(Args, Debug)]
struct ScoreArgs {
    /// Texts to score; without them, lines of --input or of standard input.
    texts: Vec<String>,
    /// Read one text per line from this file.
    #[arg(short, long, value_name = "FILE")]
    input: Option<PathBuf>,
    #[command(flatten)]
    lex: LexiconArgs,
    #[command(flatten)]
    seg: SegmentArgs,
}

#[derive(Args, Debug)]
struct EvalSentimentArgs {
    /// Labelled data file.
    #[arg(long, value_name = "FILE")]
    data: PathBuf,
    /// `vader` or `csv`.
    #[arg(long, default_value = "vader")]
    format: duibi::sentiment::eval::Format,
    #[command(flatten)]
    lex: LexiconArgs,
    #[command(flatten)]
    seg: SegmentArgs,
}

#[derive(Args, Debug)]
struct SegmentArgs {
    /// Use jieba's HMM for unknown Chinese words (off by default: better word F1 on PKU).
    #[arg(long)]
    hmm: bool,
    /// Add a jieba user dictionary (`word [freq [tag]]` per line); may repeat.
    #[arg(long = "user-dict", value_name = "FILE")]
    user_dict: Vec<PathBuf>,
    /// Languages runs may be assigned, comma-separated (Latin runs choose among the
    /// Latin-script ones: add fr,de,es for European-language corpora).
    #[arg(long, value_delimiter = ',', default_value = "zh,en,ja,ko", value_parser = parse_lang)]
    langs: Vec<Lang>,
}

/// Settings shared by `analyze` and `merge`: everything that changes the numbers.
#[derive(Args, Debug)]
struct ModelArgs {
    /// Number of terms per group and language in the report.
    #[arg(long, default_value_t = 100, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..))]
    top: u32,
    /// Keep stopwords in term tables.
    #[arg(long)]
    keep_stopwords: bool,
    /// Worker threads (default: one per core). Never changes the report.
    #[arg(short = 'j', long, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..1025))]
    threads: Option<u32>,
    /// The two groups to compare, e.g. `domestic,overseas` (default: the two largest).
    #[arg(long, value_delimiter = ',', num_args = 1, value_name = "A,B")]
    compare: Vec<String>,
    /// Minimum number of documents (both groups) a term must appear in to be tested.
    #[arg(long, default_value_t = 2)]
    min_doc_freq: u64,
    /// Seed of the bootstrap and permutation resampling.
    #[arg(long, default_value_t = 20210521)]
    seed: u64,
    /// Bootstrap and permutation replicates.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(100..=1_000_000))]
    bootstrap: u32,
    /// Time series granularity.
    #[arg(long, default_value = "month", value_parser = ["week", "month"])]
    period: String,
    /// Keyword-in-context examples per distinctive term and concept (0: none; needs
    /// the corpus directory, so none with --stdin-jsonl or merge).
    #[arg(long, default_value_t = 3)]
    evidence: u32,
    /// Concept glossary (TSV or TOML) added to the shipped one; may repeat.
    #[arg(long = "concepts", value_name = "FILE")]
    concepts: Vec<PathBuf>,
    /// Use only the --concepts glossaries, not the shipped one.
    #[arg(long)]
    replace_concepts: bool,
    #[command(flatten)]
    lex: LexiconArgs,
    #[command(flatten)]
    seg: SegmentArgs,
}

/// Where the report goes and how the run talks.
#[derive(Args, Debug)]
struct OutputArgs {
    /// Output file for the JSON report (`-` for standard output). Written atomically.
    #[arg(short, long, default_value = "-", value_name = "FILE")]
    output: PathBuf,
    /// Also write a self-contained HTML report (inline CSS and SVG, no scripts).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Print a human-readable summary of the comparison to stderr.
    #[arg(long)]
    summary: bool,
    /// No progress bar, no per-file messages.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args, Debug)]
struct AnalyzeArgs {
    /// Corpus directory (not with --stdin-jsonl).
    #[arg(required_unless_present = "stdin_jsonl")]
    dir: Option<PathBuf>,
    /// Read documents as JSON lines from standard input instead of a directory:
    /// `{"id": …, "group": …, "text": …, "source": …, "date": …, "title": …}`.
    #[arg(long, conflicts_with = "dir")]
    stdin_jsonl: bool,
    /// Write a partial aggregate (one line of JSON) instead of the report; combine
    /// partials with `duibi merge`.
    #[arg(long, conflicts_with_all = ["html", "summary"])]
    partial: bool,
    /// Also write one JSON line per document (the `documents` records) to FILE.
    #[arg(long, value_name = "FILE")]
    documents_jsonl: Option<PathBuf>,
    /// Follow symbolic links (by default they are listed as skipped).
    #[arg(long)]
    follow_links: bool,
    /// Skip files larger than this many bytes (with a reason in the report).
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES", allow_negative_numbers = true)]
    max_file_size: u64,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args, Debug)]
struct MergeArgs {
    /// Partial aggregates written by `duibi analyze --partial` (one per file; a file
    /// may hold several, one per line).
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args, Debug)]
struct SummarizeArgs {
    /// A report written by `duibi analyze`.
    report: PathBuf,
}

#[derive(Args, Debug)]
struct TextArgs {
    /// Texts to process; one line of standard input each when none is given.
    texts: Vec<String>,
    #[command(flatten)]
    seg: SegmentArgs,
}

/// Transparent huge pages for large blocks (Linux).
///
/// Most of start-up is jieba-rs building its dictionary: some 350 000 inserts at random
/// places of a 16 MiB hash table, so with 4 KiB pages nearly every insert misses the
/// TLB, and the table alone costs about 4 000 page faults. Linux usually gives huge
/// pages only where asked (`transparent_hugepage` in `madvise` mode), so this is the
/// system allocator plus `madvise(MADV_HUGEPAGE)` on the 2 MiB-aligned part of every
/// block of at least 8 MiB: the dictionary builds in about a sixth less time. Where
/// huge pages are off or `madvise` fails, nothing changes; results never do.
#[cfg(target_os = "linux")]
mod huge_pages {
    use std::alloc::{GlobalAlloc, Layout, System};

    /// The global allocator of the `duibi` binary (the library never sets one).
    pub struct HugePageAlloc;

    const HUGE: usize = 2 << 20;
    /// Smaller blocks keep ordinary pages: a partly used huge page costs memory.
    const MIN: usize = 8 << 20;

    /// Asks for huge pages for the aligned 2 MiB pages inside the block at `p`.
    fn advise(p: *mut u8, size: usize) {
        if p.is_null() || size < MIN {
            return;
        }
        let start = (p as usize).next_multiple_of(HUGE);
        let end = (p as usize).saturating_add(size) & !(HUGE - 1);
        if end > start {
            // SAFETY: [start, end) lies inside the block just allocated, which nothing
            // else uses yet or which its owner is growing; MADV_HUGEPAGE changes only how
            // the kernel backs those pages, never their contents. The result is ignored:
            // failing (huge pages off, old kernel) leaves the ordinary pages.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }

    // SAFETY: every call is passed on to `System` unchanged; `advise` only adds a hint
    // about pages of the block returned.
    unsafe impl GlobalAlloc for HugePageAlloc {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = System.alloc(layout);
            advise(p, layout.size());
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = System.alloc_zeroed(layout);
            advise(p, layout.size());
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            System.dealloc(ptr, layout)
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = System.realloc(ptr, layout, new_size);
            advise(p, new_size);
            p
        }
    }
}

/// Fixes glibc's mmap threshold at 1 MiB. By default glibc raises the threshold each
/// time a large block is freed, so later large blocks (term tables, bootstrap columns)
/// come from the heap and their memory stays with the process after they are freed;
/// with a fixed threshold they are mapped and unmapped. Peak RSS on the benchmark
/// corpus at 2 threads went from 110–120 MB (varying run to run) to 102 MB, with the
/// same CPU time, in alternating runs. Elsewhere (musl, other systems) it does nothing.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a glibc tunable; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOC: huge_pages::HugePageAlloc = huge_pages::HugePageAlloc;

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s)
        .ok_or_else(|| format!("unknown language {s:?} (known: zh, en, ja, ko, de, fr, es)"))
}

/// An error with the exit code it maps to.
struct Fail(u8, anyhow::Error);

impl From<anyhow::Error> for Fail {
    fn from(e: anyhow::Error) -> Self {
        Fail(1, e)
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Analyze(a) => analyze(a),
        Command::Tokenize(t) => tokenize(t).map_err(Fail::from),
        Command::Detect(t) => detect(t).map_err(Fail::from),
        Command::Score(a) => score(a),
        Command::Eval(EvalCommand::Sentiment(a)) => eval_sentiment(a),
        Command::Summarize(a) => summarize(a),
        Command::Render(a) => render(a),
        Command::Merge(a) => merge(a),
        Command::Schema => {
            print!("{}", duibi::report::json_schema());
            Ok(())
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(code, e)) => {
            // One line: the chain of causes joined.
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("duibi: error: {}", msg.join(": "));
            ExitCode::from(code)
        }
    }
}

fn build_pipeline(m: &ModelArgs) -> Result<Pipeline, Fail> {
    let mut b = Pipeline::builder()
        .hmm(m.seg.hmm)
        .keep_stopwords(m.keep_stopwords)
        .top(m.top as usize)
        .languages(&m.seg.langs)
        .threads(m.threads.unwrap_or(0) as usize)
        .min_doc_freq(m.min_doc_freq)
        .seed(m.seed)
        .bootstrap_reps(m.bootstrap as usize)
        .period(if m.period == "week" {
            Period::Week
        } else {
            Period::Month
        })
        .evidence(m.evidence as usize)
        .replace_glossary(m.replace_concepts)
        .replace_lexicons(m.lex.replace_lexicon);
    match m.compare.as_slice() {
        [] => {}
        [x, y] if x != y => b = b.compare_groups(x.clone(), y.clone()),
        _ => {
            return Err(fail2(
                "--compare: give two different group names, e.g. --compare domestic,overseas"
                    .into(),
            ))
        }
    }
    for d in &m.seg.user_dict {
        b = b.user_dict(d);
    }
    for g in &m.concepts {
        b = b.glossary(g);
    }
    for l in &m.lex.lexicon {
        b = b.lexicon(l);
    }
    for w in &m.lex.positive_words {
        b = b.word_list(w, Polarity::Positive, m.lex.word_list_lang);
    }
    for w in &m.lex.negative_words {
        b = b.word_list(w, Polarity::Negative, m.lex.word_list_lang);
    }
    b.build().map_err(|e| Fail(2, e.into()))
}

/// Opens an output before any work, with a one-line error naming the path.
fn open_output(p: &std::path::Path) -> Result<Output, Fail> {
    Output::open(p).map_err(|e| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        let reason = match parent {
            Some(d) if !d.is_dir() => format!("directory {} does not exist", d.display()),
            _ => match e.kind() {
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            },
        };
        fail2(format!("{}: cannot write output: {reason}", p.display()))
    })
}

fn pipeline_fail(e: PipelineError) -> Fail {
    let code = match e.kind() {
        ErrorKind::Run => 1,
        ErrorKind::Input => 2,
    };
    let e = match e {
        PipelineError::UnknownGroup { .. } => anyhow::Error::new(e).context("--compare"),
        PipelineError::NoDocuments { path, skipped } => anyhow::anyhow!(
            "{path}: no readable documents ({skipped} file(s) skipped; rerun without --quiet to see why)"
        ),
        e => e.into(),
    };
    Fail(code, e)
}

/// Opened outputs of a run: JSON, HTML, documents JSONL.
struct Outputs {
    json: Output,
    html: Option<Output>,
}

fn open_outputs(o: &OutputArgs) -> Result<Outputs, Fail> {
    let json = open_output(&o.output)?;
    let html = match &o.html {
        Some(p) if p == &o.output && p.as_os_str() != "-" => {
            return Err(fail2(format!(
                "{}: given as both the JSON and the HTML output",
                p.display()
            )));
        }
        Some(p) => Some(open_output(p)?),
        None => None,
    };
    Ok(Outputs { json, html })
}

/// Writes the outputs of a report. The JSON (and the documents' JSON lines) stream the
/// document records from the run's temporary files; only the HTML report, which lists
/// the documents, needs them all in memory.
fn finish(
    lazy: LazyReport,
    o: &OutputArgs,
    outs: Outputs,
    docs_out: Option<&std::path::Path>,
) -> Result<(), Fail> {
    let report = lazy.head();
    if !o.quiet {
        for s in &report.skipped {
            eprintln!("duibi: skipped {}: {}", s.path, s.reason);
        }
        for w in &report.warnings {
            eprintln!("duibi: warning: {}: {}", w.path, w.message);
        }
    }
    if let Some(p) = docs_out {
        open_output(p)?
            .commit_with(|w| lazy.write_documents_jsonl(w))
            .with_context(|| format!("{}: cannot write documents", p.display()))?;
    }
    outs.json
        .commit_with(|w| lazy.write_json(w))
        .with_context(|| format!("{}: cannot write report", o.output.display()))?;
    let full;
    let report = match (outs.html, &o.html) {
        (Some(h), Some(p)) => {
            full = lazy.into_report().map_err(pipeline_fail)?;
            h.commit(duibi::html::render(&full).as_bytes())
                .with_context(|| format!("{}: cannot write HTML report", p.display()))?;
            &full
        }
        _ => lazy.head(),
    };
    if o.summary {
        eprint!("{}", duibi::summary::summary(report));
    }
    if !o.quiet && o.output.as_os_str() != "-" {
        eprintln!(
            "duibi: {} documents in {} groups, {} tokens; {} file(s) skipped; report: {}",
            report.corpus.documents,
            report.corpus.groups.len(),
            report.corpus.tokens,
            report.corpus.files_skipped,
            o.output.display()
        );
    }
    Ok(())
}

fn analyze(a: AnalyzeArgs) -> Result<(), Fail> {
    // Fail on unusable input before any work.
    if let Some(dir) = &a.dir {
        if !dir.exists() {
            return Err(fail2(format!("{}: no such directory", dir.display())));
        }
        if !dir.is_dir() {
            return Err(fail2(format!("{}: not a directory", dir.display())));
        }
    }
    let outs = open_outputs(&a.out)?;
    let docs_out = a.documents_jsonl.as_deref();
    let pipeline = build_pipeline(&a.model)?;
    let mut opts = CorpusOptions {
        follow_links: a.follow_links,
        max_file_size: a.max_file_size,
        ..CorpusOptions::default()
    };
    // Never read our own outputs as documents.
    opts.exclude = [
        Some(&a.out.output),
        a.out.html.as_ref(),
        a.documents_jsonl.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter(|p| p.as_os_str() != "-")
    .cloned()
    .collect();
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
            pb.set_message(name.to_string());
        }
    };
    let stdin_partial = || {
        let stdin = std::io::stdin().lock();
        pipeline
            .analyze_jsonl(std::io::BufReader::new(stdin), "-", &progress)
            .map_err(pipeline_fail)
    };
    let report = match (&a.dir, a.partial) {
        (None, true) => {
            let part = stdin_partial()?;
            return commit_partial(&part, &a.out, outs, &bar);
        }
        (Some(dir), true) => {
            let part = pipeline
                .analyze_dir_partial(dir, &opts, &progress)
                .map_err(pipeline_fail)?;
            return commit_partial(&part, &a.out, outs, &bar);
        }
        (None, false) => {
            let part = stdin_partial()?;
            pipeline
                .report_from_partials_lazy(vec![part])
                .map_err(pipeline_fail)?
        }
        (Some(dir), false) => pipeline
            .analyze_dir_lazy(dir, &opts, &progress)
            .map_err(pipeline_fail)?,
    };
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    finish(report, &a.out, outs, docs_out)?;
    // The process ends next: freeing the dictionary and the lexicons block by block
    // would only delay the exit (a few ms, which counts at start-up scale).
    std::mem::forget(pipeline);
    Ok(())
}

fn commit_partial(
    part: &duibi::partial::Partial,
    o: &OutputArgs,
    outs: Outputs,
    bar: &Option<indicatif::ProgressBar>,
) -> Result<(), Fail> {
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    outs.json
        .commit(&part.to_json_line())
        .with_context(|| format!("{}: cannot write partial", o.output.display()))?;
    Ok(())
}

fn merge(a: MergeArgs) -> Result<(), Fail> {
    let outs = open_outputs(&a.out)?;
    let pipeline = build_pipeline(&a.model)?;
    let mut parts = Vec::new();
    for p in &a.parts {
        let text = std::fs::read_to_string(p)
            .map_err(|e| fail2(format!("{}: cannot read: {e}", p.display())))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let part: duibi::partial::Partial = serde_json::from_str(line).map_err(|e| {
                fail2(format!(
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
        .map_err(pipeline_fail)?;
    finish(report, &a.out, outs, None)
}

fn inputs(texts: Vec<String>) -> Box<dyn Iterator<Item = std::io::Result<String>>> {
    if texts.is_empty() {
        // Lossy: invalid UTF-8 becomes U+FFFD instead of stopping the stream.
        Box::new(std::io::stdin().lock().split(b'\n').map(|l| {
            l.map(|mut b| {
                if b.last() == Some(&b'\r') {
                    b.pop();
                }
                String::from_utf8_lossy(&b).into_owned()
            })
        }))
    } else {
        Box::new(texts.into_iter().map(Ok))
    }
}

fn tokenizer(seg: &SegmentArgs) -> Result<Tokenizer> {
    let mut b = Tokenizer::builder()
        .hmm(seg.hmm)
        .detector(LangDetector::builder().languages(&seg.langs).build());
    for d in &seg.user_dict {
        b = b.user_dict(d);
    }
    Ok(b.build()?)
}

fn tokenize(t: TextArgs) -> Result<()> {
    let tok = tokenizer(&t.seg)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in inputs(t.texts) {
        let line = line.context("reading standard input")?;
        let (text, buf) = tok.tokenize(&line);
        let tokens: Vec<serde_json::Value> = buf
            .iter()
            .map(|(t, term)| {
                serde_json::json!({
                    "term": term,
                    "surface": &text[t.start as usize..t.end as usize],
                    "lang": t.lang,
                    "start": t.start,
                    "end": t.end,
                    "stop": t.stop,
                })
            })
            .collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({ "text": text, "tokens": tokens }),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn detect(t: TextArgs) -> Result<()> {
    let det = LangDetector::builder().languages(&t.seg.langs).build();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in inputs(t.texts) {
        let line = line.context("reading standard input")?;
        let text = lang::normalize(&line);
        let runs = det.runs(&text);
        let main = det.detect(&text);
        let script = runs
            .iter()
            .any(|r| r.lang == Lang::Zh)
            .then(|| lang::HanVariantCounts::of(&text).script().tag());
        let segs: Vec<serde_json::Value> = runs
            .iter()
            .map(|r| {
                serde_json::json!({
                    "text": &text[r.start..r.end],
                    "lang": r.lang,
                    "script": r.script,
                    "start": r.start,
                    "end": r.end,
                })
            })
            .collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({ "text": text, "lang": main, "zh_script": script, "segments": segs }),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn sentiment_model(lex: &LexiconArgs) -> Result<duibi::sentiment::SentimentModel, Fail> {
    use duibi::sentiment::{Mode, Polarity, SentimentModel};
    let mut b = SentimentModel::builder().shipped(!lex.replace_lexicon);
    for f in &lex.lexicon {
        b = b.lexicon_file(f, Mode::Extend);
    }
    for f in &lex.positive_words {
        b = b.word_list(f, Polarity::Positive, lex.word_list_lang);
    }
    for f in &lex.negative_words {
        b = b.word_list(f, Polarity::Negative, lex.word_list_lang);
    }
    b.build().map_err(|e| Fail(2, e.into()))
}

fn score(a: ScoreArgs) -> Result<(), Fail> {
    let tok = tokenizer(&a.seg).map_err(|e| Fail(2, e))?;
    let model = sentiment_model(&a.lex)?;
    let lines: Box<dyn Iterator<Item = std::io::Result<String>>> = match &a.input {
        Some(p) => {
            let f = std::fs::File::open(p)
                .map_err(|e| Fail(2, anyhow::anyhow!("{}: cannot open: {e}", p.display())))?;
            Box::new(std::io::BufReader::new(f).lines())
        }
        None => inputs(a.texts),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in lines {
        let line = line.context("reading input")?;
        let ex = model.explain_text(&tok, &line);
        serde_json::to_writer(&mut out, &ex).context("writing output")?;
        out.write_all(b"\n").context("writing output")?;
    }
    out.flush().context("writing output")?;
    Ok(())
}

fn eval_sentiment(a: EvalSentimentArgs) -> Result<(), Fail> {
    let tok = tokenizer(&a.seg).map_err(|e| Fail(2, e))?;
    let model = sentiment_model(&a.lex)?;
    let m = duibi::sentiment::eval::evaluate_file(&model, &tok, &a.data, a.format)
        .map_err(|e| Fail(2, e.into()))?;
    println!("file\t{}", a.data.display());
    println!("items\t{}", m.n);
    println!("binary_items\t{}", m.n_binary);
    if let Some(r) = m.pearson {
        println!("pearson_r\t{r:.3}");
    }
    println!("accuracy\t{:.3}", m.accuracy);
    println!("macro_f1\t{:.3}", m.macro_f1);
    println!("coverage\t{:.3}", m.coverage);
    Ok(())
}

fn fail2(msg: String) -> Fail {
    Fail(2, anyhow::anyhow!(msg))
}

fn load_report(p: &std::path::Path) -> Result<duibi::report::Report, Fail> {
    let bytes =
        std::fs::read(p).map_err(|e| fail2(format!("{}: cannot read: {e}", p.display())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| fail2(format!("{}: not a duibi report: {e}", p.display())))
}

fn summarize(a: SummarizeArgs) -> Result<(), Fail> {
    let report = load_report(&a.report)?;
    print!("{}", duibi::summary::summary(&report));
    Ok(())
}

fn render(a: RenderArgs) -> Result<(), Fail> {
    let out = Output::open(&a.html)
        .map_err(|e| fail2(format!("{}: cannot write output: {e}", a.html.display())))?;
    let report = load_report(&a.report)?;
    out.commit(duibi::html::render(&report).as_bytes())
        .with_context(|| format!("{}: cannot write HTML report", a.html.display()))?;
    Ok(())
}
