//! `duibi` command line: a thin layer over the library.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use duibi::corpus::date::Period;
use duibi::corpus::CorpusOptions;
use duibi::lang::{self, Lang, LangDetector};
use duibi::pipeline::{Pipeline, PipelineError};
use duibi::report::Output;
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

#[derive(Args, Debug)]
struct AnalyzeArgs {
    /// Corpus directory.
    dir: PathBuf,
    /// Output file for the JSON report (`-` for standard output). Written atomically.
    #[arg(short, long, default_value = "-", value_name = "FILE")]
    output: PathBuf,
    /// Number of terms per group and language in the report.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    top: u32,
    /// Keep stopwords in term tables.
    #[arg(long)]
    keep_stopwords: bool,
    /// Worker threads (default: one per core). Never changes the report.
    #[arg(short = 'j', long, value_parser = clap::value_parser!(u32).range(1..1025))]
    threads: Option<u32>,
    /// Follow symbolic links (by default they are listed as skipped).
    #[arg(long)]
    follow_links: bool,
    /// Skip files larger than this many bytes (with a reason in the report).
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    max_file_size: u64,
    /// No progress bar, no per-file messages.
    #[arg(short, long)]
    quiet: bool,
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
    /// Keyword-in-context examples per distinctive term and concept (0: none).
    #[arg(long, default_value_t = 3)]
    evidence: u32,
    /// Concept glossary (TSV or TOML) added to the shipped one; may repeat.
    #[arg(long = "concepts", value_name = "FILE")]
    concepts: Vec<PathBuf>,
    /// Use only the --concepts glossaries, not the shipped one.
    #[arg(long)]
    replace_concepts: bool,
    /// Print a human-readable summary of the comparison to stderr.
    #[arg(long)]
    summary: bool,
    /// Also write a self-contained HTML report (inline CSS and SVG, no scripts).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    #[command(flatten)]
    lex: LexiconArgs,
    #[command(flatten)]
    seg: SegmentArgs,
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
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Analyze(a) => analyze(a),
        Command::Tokenize(t) => tokenize(t).map_err(Fail::from),
        Command::Detect(t) => detect(t).map_err(Fail::from),
        Command::Score(a) => score(a),
        Command::Eval(EvalCommand::Sentiment(a)) => eval_sentiment(a),
        Command::Summarize(a) => summarize(a),
        Command::Render(a) => render(a),
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

fn analyze(a: AnalyzeArgs) -> Result<(), Fail> {
    // Fail on unusable input before any work.
    if !a.dir.exists() {
        return Err(Fail(
            2,
            anyhow::anyhow!("{}: no such directory", a.dir.display()),
        ));
    }
    if !a.dir.is_dir() {
        return Err(Fail(
            2,
            anyhow::anyhow!("{}: not a directory", a.dir.display()),
        ));
    }
    let out = Output::open(&a.output).map_err(|e| {
        Fail(
            2,
            anyhow::anyhow!("{}: cannot write output: {e}", a.output.display()),
        )
    })?;
    let html_out = match &a.html {
        Some(p) if p == &a.output && p.as_os_str() != "-" => {
            return Err(fail2(format!(
                "{}: given as both the JSON and the HTML output",
                p.display()
            )));
        }
        Some(p) => Some(
            Output::open(p)
                .map_err(|e| fail2(format!("{}: cannot write output: {e}", p.display())))?,
        ),
        None => None,
    };
    let mut b = Pipeline::builder()
        .hmm(a.seg.hmm)
        .keep_stopwords(a.keep_stopwords)
        .top(a.top as usize)
        .languages(&a.seg.langs)
        .threads(a.threads.unwrap_or(0) as usize)
        .min_doc_freq(a.min_doc_freq)
        .seed(a.seed)
        .bootstrap_reps(a.bootstrap as usize)
        .period(if a.period == "week" {
            Period::Week
        } else {
            Period::Month
        })
        .evidence(a.evidence as usize)
        .replace_glossary(a.replace_concepts)
        .replace_lexicons(a.lex.replace_lexicon);
    match a.compare.as_slice() {
        [] => {}
        [x, y] if x != y => b = b.compare_groups(x.clone(), y.clone()),
        _ => {
            return Err(Fail(
                2,
                anyhow::anyhow!(
                    "--compare: give two different group names, e.g. --compare domestic,overseas"
                ),
            ))
        }
    }
    for d in &a.seg.user_dict {
        b = b.user_dict(d);
    }
    for g in &a.concepts {
        b = b.glossary(g);
    }
    for l in &a.lex.lexicon {
        b = b.lexicon(l);
    }
    for w in &a.lex.positive_words {
        b = b.word_list(w, Polarity::Positive, a.lex.word_list_lang);
    }
    for w in &a.lex.negative_words {
        b = b.word_list(w, Polarity::Negative, a.lex.word_list_lang);
    }
    let pipeline = b.build().map_err(|e| Fail(2, e.into()))?;
    let opts = CorpusOptions {
        follow_links: a.follow_links,
        max_file_size: a.max_file_size,
    };
    let bar = if !a.quiet && std::io::stderr().is_terminal() {
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
    let report = pipeline
        .analyze_dir(&a.dir, &opts, &progress)
        .map_err(|e| match e {
            PipelineError::Corpus(_) | PipelineError::NoDocuments { .. } => Fail(2, e.into()),
            other => Fail(1, other.into()),
        })?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    for s in &report.skipped {
        if !a.quiet {
            eprintln!("duibi: skipped {}: {}", s.path, s.reason);
        }
    }
    for w in &report.warnings {
        if !a.quiet {
            eprintln!("duibi: warning: {}: {}", w.path, w.message);
        }
    }
    out.commit(&report.to_json())
        .with_context(|| format!("{}: cannot write report", a.output.display()))?;
    if let (Some(h), Some(p)) = (html_out, &a.html) {
        h.commit(duibi::html::render(&report).as_bytes())
            .with_context(|| format!("{}: cannot write HTML report", p.display()))?;
    }
    if a.summary {
        eprint!("{}", duibi::summary::summary(&report));
    }
    if !a.quiet && a.output.as_os_str() != "-" {
        eprintln!(
            "duibi: {} documents in {} groups, {} tokens; {} file(s) skipped; report: {}",
            report.corpus.documents,
            report.corpus.groups.len(),
            report.corpus.tokens,
            report.corpus.files_skipped,
            a.output.display()
        );
    }
    Ok(())
}

fn inputs(texts: Vec<String>) -> Box<dyn Iterator<Item = std::io::Result<String>>> {
    if texts.is_empty() {
        Box::new(std::io::stdin().lock().lines())
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
