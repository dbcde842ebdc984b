//! Every flag of the `duibi` binary, defined once (the clap structs).
//!
//! Flags whose default belongs to the library are `Option`s: [`super::build`] calls the
//! builder's setter only when the flag is given, so the library's builders hold every
//! default and the help text merely names it. Caps on options that cost memory or time
//! (`--bootstrap`, `--threads`, `--top`, `--evidence`, `--max-file-size`) are checked
//! here by the value parsers, before any work, with clap's one-line error (exit 2).

use clap::{Args, Parser, Subcommand};
use duibi::corpus::date::Period;
use duibi::lang::Lang;
use std::path::PathBuf;

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
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Analyse a corpus directory and write one JSON report.
    ///
    /// Groups come from manifest.csv/manifest.jsonl at the root, front matter of .md
    /// files, or the first-level subdirectory (DIR/domestic/..., DIR/overseas/...).
    /// Every file appears in the report, as analysed or skipped with a reason.
    Analyze(AnalyzeArgs),
    /// Print the tokens of each input line as one JSON line (text from arguments or stdin).
    ///
    /// The tokenizer is the one `analyze` uses with the same flags (glossary words,
    /// user dictionaries, HMM setting), so both cut a text the same way.
    Tokenize(TokenizeArgs),
    /// Print the language and script runs of each input line as one JSON line.
    Detect(DetectArgs),
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
    /// Scan documents for repeated passages and near-duplicates (the first pass of a
    /// sharded run): one line of JSON per shard. Give the scans of all shards to each
    /// shard's `analyze --partial --scan …` so every shard sets aside the same.
    Scan(ScanArgs),
}

/// `duibi render`.
#[derive(Args, Debug)]
pub struct RenderArgs {
    /// A report written by `duibi analyze`.
    pub report: PathBuf,
    /// Output HTML file (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
}

/// `duibi eval …`.
#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Score a labelled file and print Pearson r (continuous labels), accuracy and
    /// macro-F1, so a lexicon can be validated on your own data.
    ///
    /// Formats: `vader` (id<TAB>rating<TAB>text, rating −4..4) and `csv` (label,text with
    /// a header; 1/0 labels).
    Sentiment(EvalSentimentArgs),
    /// Score both sides of parallel Chinese–English text and print how far the two
    /// languages agree: same polarity (±0.05 neutral band), Pearson r, bias
    /// (mean zh − mean en) and the share of opposite signs (and accuracy per side
    /// when the file has a `label` column).
    ///
    /// Format: TSV with a header naming the columns `zh` and `en` (optional `label`:
    /// pos/neg/neu or a number).
    Crosslingual(EvalCrosslingualArgs),
}

/// Where the sentiment lexicons come from (score, eval sentiment, analyze, merge).
#[derive(Args, Debug, Clone)]
pub struct LexiconArgs {
    /// Sentiment lexicon TSV (`term<TAB>score[<TAB>lang]`) extending the shipped ones; may repeat.
    #[arg(long = "lexicon", value_name = "FILE")]
    pub lexicon: Vec<PathBuf>,
    /// Use only the lexicons and word lists given (--lexicon, --positive-words,
    /// --negative-words), not the shipped lexicons.
    #[arg(long)]
    pub replace_lexicon: bool,
    /// Plain list of positive words (one a line, any encoding, e.g. NTUSD or HowNet); may repeat.
    #[arg(long = "positive-words", value_name = "FILE")]
    pub positive_words: Vec<PathBuf>,
    /// Plain list of negative words; may repeat.
    #[arg(long = "negative-words", value_name = "FILE")]
    pub negative_words: Vec<PathBuf>,
    /// Language of the --positive-words/--negative-words lists.
    #[arg(long, default_value = "zh", value_parser = parse_lang)]
    pub word_list_lang: Lang,
    /// Score each language on its own lexicon's scale: do not map Chinese sentence
    /// scores onto the English scale (the map is on by default; see README "Comparing
    /// across languages").
    #[arg(long)]
    pub no_scale_map: bool,
}

/// The concept glossary (its Chinese forms are also words of the tokenizer).
#[derive(Args, Debug, Clone)]
pub struct GlossaryArgs {
    /// Concept glossary (TSV or TOML) added to the shipped one; may repeat.
    #[arg(long = "concepts", value_name = "FILE")]
    pub concepts: Vec<PathBuf>,
    /// Use only the --concepts glossaries, not the shipped one.
    #[arg(long)]
    pub replace_concepts: bool,
}

/// Segmentation and language settings shared by every command that reads text.
#[derive(Args, Debug, Clone)]
pub struct SegmentArgs {
    /// Use jieba's HMM for unknown Chinese words (off by default: better word F1 on PKU).
    #[arg(long)]
    pub hmm: bool,
    /// Add a jieba user dictionary (`word [freq [tag]]` per line); may repeat.
    #[arg(long = "user-dict", value_name = "FILE")]
    pub user_dict: Vec<PathBuf>,
    /// Languages runs may be assigned, comma-separated (default zh,en,ja,ko; Latin runs
    /// choose among the Latin-script ones: add fr,de,es for European-language corpora).
    #[arg(long, value_delimiter = ',', value_parser = parse_lang)]
    pub langs: Option<Vec<Lang>>,
}

/// `duibi score`.
#[derive(Args, Debug)]
pub struct ScoreArgs {
    /// Texts to score; without them, lines of --input or of standard input.
    pub texts: Vec<String>,
    /// Read one text per line from this file.
    #[arg(short, long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub lex: LexiconArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    #[command(flatten)]
    pub seg: SegmentArgs,
}

/// `duibi eval sentiment`.
#[derive(Args, Debug)]
pub struct EvalSentimentArgs {
    /// Labelled data file.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// `vader` or `csv`.
    #[arg(long, default_value = "vader")]
    pub format: duibi::sentiment::eval::Format,
    /// Also print each item's predicted score (`item<TAB>line<TAB>gold<TAB>score`).
    #[arg(long)]
    pub items: bool,
    #[command(flatten)]
    pub lex: LexiconArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    #[command(flatten)]
    pub seg: SegmentArgs,
}

/// `duibi eval crosslingual`.
#[derive(Args, Debug)]
pub struct EvalCrosslingualArgs {
    /// Parallel TSV file (header with `zh` and `en`, optional `label`).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Also print each pair's two scores (`pair<TAB>n<TAB>zh score<TAB>en score`).
    #[arg(long)]
    pub items: bool,
    #[command(flatten)]
    pub lex: LexiconArgs,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    #[command(flatten)]
    pub seg: SegmentArgs,
}

/// Settings shared by `analyze` and `merge`: everything that changes the numbers.
#[derive(Args, Debug)]
pub struct ModelArgs {
    /// Number of terms per group and language in the report (default 100, at most 10000).
    #[arg(long, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..=MAX_TOP))]
    pub top: Option<u32>,
    /// Keep stopwords in term tables.
    #[arg(long)]
    pub keep_stopwords: bool,
    /// Keep special tokens (URLs, e-mail addresses, @handles, #hashtags, hashes and
    /// wallet addresses, numbers, dates) in term tables and keyness; by default they are
    /// left out and counted per group in the corpus summary.
    #[arg(long)]
    pub keep_special_tokens: bool,
    /// Worker threads (default: one per core; at most 4 per core, or 16). Never changes
    /// the report.
    #[arg(short = 'j', long, allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: Option<u32>,
    /// The two groups to compare, e.g. `domestic,overseas` (default: the two largest).
    #[arg(long, value_delimiter = ',', num_args = 1, value_name = "A,B")]
    pub compare: Vec<String>,
    /// Minimum number of documents (both groups) a term must appear in to be tested
    /// (default 2).
    #[arg(long)]
    pub min_doc_freq: Option<u64>,
    /// Seed of the bootstrap and permutation resampling (default 20210521).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Bootstrap and permutation replicates (default 2000, 100 to 20000).
    #[arg(long, value_parser = clap::value_parser!(u32).range(100..=MAX_BOOTSTRAP))]
    pub bootstrap: Option<u32>,
    /// A permutation test stops once this many permutations are at least as extreme
    /// as the observed difference, with p = this ÷ permutations drawn (Besag–Clifford;
    /// default 100, so every p-value below about 0.05 is the full run's); 0: draw all
    /// replicates.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=MAX_BOOTSTRAP))]
    pub permutation_stop: Option<u32>,
    /// Time series granularity: `week` or `month` (default month).
    #[arg(long, value_parser = parse_period)]
    pub period: Option<Period>,
    /// Keyword-in-context examples per distinctive term and concept (default 3, at most
    /// 100; 0: none; needs the corpus directory, so none with --stdin-jsonl or merge).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=MAX_EVIDENCE))]
    pub evidence: Option<u32>,
    /// Keep passages repeated across many documents of one source or group (footers,
    /// signatures, referral, donation and copyright lines); by default they are set
    /// aside before counting and listed in the report's `set_aside`.
    #[arg(long)]
    pub keep_boilerplate: bool,
    /// Analyse near-duplicate documents (reprints, syndicated copies) too; by default
    /// only the earliest copy is analysed and the others are listed in
    /// `set_aside.duplicates`.
    #[arg(long)]
    pub keep_duplicates: bool,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    #[command(flatten)]
    pub lex: LexiconArgs,
    #[command(flatten)]
    pub seg: SegmentArgs,
}

/// Where the report goes and how the run talks.
#[derive(Args, Debug)]
pub struct OutputArgs {
    /// Output file for the JSON report (`-` for standard output). Regular files are
    /// written atomically; pipes and devices directly.
    #[arg(short, long, default_value = "-", value_name = "FILE")]
    pub output: PathBuf,
    /// Also write a self-contained HTML report (inline CSS and SVG, no scripts).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Print a human-readable summary of the comparison to stderr.
    #[arg(long)]
    pub summary: bool,
    /// No progress bar, no per-file messages.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `duibi analyze`.
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Corpus directory (not with --stdin-jsonl).
    #[arg(required_unless_present = "stdin_jsonl")]
    pub dir: Option<PathBuf>,
    /// Read documents as JSON lines from standard input instead of a directory:
    /// `{"id": …, "group": …, "text": …, "source": …, "date": …, "title": …}`.
    #[arg(long, conflicts_with = "dir")]
    pub stdin_jsonl: bool,
    /// Write a partial aggregate (one line of JSON) instead of the report; combine
    /// partials with `duibi merge`.
    #[arg(long, conflicts_with_all = ["html", "summary"])]
    pub partial: bool,
    /// Also write one JSON line per document (the `documents` records) to FILE.
    #[arg(long, value_name = "FILE")]
    pub documents_jsonl: Option<PathBuf>,
    /// Write the per-document tables (`documents`, `doc_concepts`) as JSON lines files
    /// in DIR (created if missing) instead of inside the report, which then names them
    /// in its `tables` field: for large corpora.
    #[arg(long, value_name = "DIR", conflicts_with = "partial")]
    pub tables: Option<PathBuf>,
    /// Format of the --tables files: `jsonl` or `parquet` (default jsonl).
    #[arg(long, value_name = "FORMAT", requires = "tables")]
    pub tables_format: Option<duibi::report::TableFormat>,
    /// Follow symbolic links (by default they are listed as skipped).
    #[arg(long)]
    pub follow_links: bool,
    /// Skip files larger than this many bytes, with a reason in the report (default
    /// 64 MiB, at most 1 GiB).
    #[arg(long, value_name = "BYTES", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u64).range(0..=MAX_FILE_SIZE))]
    pub max_file_size: Option<u64>,
    /// Decide what to set aside from these scans (written by `duibi scan`: the scans of
    /// every shard of the corpus) instead of scanning the input first. A file may hold
    /// several scans, one per line.
    #[arg(long = "scan", value_name = "FILE")]
    pub scan: Vec<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// `duibi scan`.
#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Corpus directory (not with --stdin-jsonl).
    #[arg(required_unless_present = "stdin_jsonl")]
    pub dir: Option<PathBuf>,
    /// Read documents as JSON lines from standard input instead of a directory.
    #[arg(long, conflicts_with = "dir")]
    pub stdin_jsonl: bool,
    /// Follow symbolic links (by default they are skipped).
    #[arg(long)]
    pub follow_links: bool,
    /// Skip files larger than this many bytes (default 64 MiB, at most 1 GiB).
    #[arg(long, value_name = "BYTES", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u64).range(0..=MAX_FILE_SIZE))]
    pub max_file_size: Option<u64>,
    /// Worker threads (default: one per core). Never changes the scan.
    #[arg(short = 'j', long, allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: Option<u32>,
    /// Where to write the scan (one line of JSON; `-` for standard output).
    #[arg(short, long, default_value = "-", value_name = "FILE")]
    pub output: PathBuf,
}

/// `duibi merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Partial aggregates written by `duibi analyze --partial` (one per file; a file
    /// may hold several, one per line).
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Write the per-document tables as JSON lines files in DIR instead of inside the
    /// report (as `analyze --tables`).
    #[arg(long, value_name = "DIR")]
    pub tables: Option<PathBuf>,
    /// Format of the --tables files: `jsonl` or `parquet` (default jsonl).
    #[arg(long, value_name = "FORMAT", requires = "tables")]
    pub tables_format: Option<duibi::report::TableFormat>,
    #[command(flatten)]
    pub out: OutputArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// `duibi summarize`.
#[derive(Args, Debug)]
pub struct SummarizeArgs {
    /// A report written by `duibi analyze`.
    pub report: PathBuf,
}

/// `duibi detect`.
#[derive(Args, Debug)]
pub struct DetectArgs {
    /// Texts to process; one line of standard input each when none is given.
    pub texts: Vec<String>,
    #[command(flatten)]
    pub seg: SegmentArgs,
}

/// `duibi tokenize`.
#[derive(Args, Debug)]
pub struct TokenizeArgs {
    /// Texts to process; one line of standard input each when none is given.
    pub texts: Vec<String>,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    #[command(flatten)]
    pub seg: SegmentArgs,
}

/// Most terms per group and language (`--top`): the report grows with it.
pub const MAX_TOP: i64 = 10_000;
/// Most replicates (`--bootstrap`): memory and time grow with them.
pub const MAX_BOOTSTRAP: i64 = 20_000;
/// Most examples per term and concept (`--evidence`).
pub const MAX_EVIDENCE: i64 = 100;
/// Largest `--max-file-size` (1 GiB): a file is held in memory several times over.
pub const MAX_FILE_SIZE: u64 = 1 << 30;
/// Most worker threads per core (`--threads`)…
pub const THREADS_PER_CORE: u32 = 4;
/// …but at least this many on any machine (tests and scripts written for larger ones).
pub const MIN_THREAD_CAP: u32 = 16;

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s)
        .ok_or_else(|| format!("unknown language {s:?} (known: zh, en, ja, ko, de, fr, es)"))
}

fn parse_period(s: &str) -> Result<Period, String> {
    match s {
        "week" => Ok(Period::Week),
        "month" => Ok(Period::Month),
        _ => Err(format!("{s:?}: give week or month")),
    }
}

/// The most worker threads `--threads` accepts on this machine.
pub fn max_threads() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    cores.saturating_mul(THREADS_PER_CORE).max(MIN_THREAD_CAP)
}

/// Worker threads: 1 to [`max_threads`].
fn parse_threads(s: &str) -> Result<u32, String> {
    let n: u32 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number of threads"))?;
    let max = max_threads();
    if n == 0 {
        Err("give at least 1 thread (or leave --threads out for one per core)".into())
    } else if n > max {
        Err(format!(
            "at most {max} threads on this machine ({THREADS_PER_CORE} per core, at least {MIN_THREAD_CAP})"
        ))
    } else {
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn threads_capped_at_a_multiple_of_the_cores() {
        assert!(parse_threads("0").is_err());
        assert!(parse_threads("-1").is_err());
        assert_eq!(parse_threads("1"), Ok(1));
        let max = max_threads();
        assert!(max >= MIN_THREAD_CAP);
        assert_eq!(parse_threads(&max.to_string()), Ok(max));
        assert!(parse_threads(&(max + 1).to_string()).is_err());
    }

    #[test]
    fn period_names() {
        assert_eq!(parse_period("week"), Ok(Period::Week));
        assert_eq!(parse_period("month"), Ok(Period::Month));
        assert!(parse_period("year").is_err());
    }
}
