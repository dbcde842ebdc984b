//! Raw flag values turned into library builders, in one place (ripgrep's `hiargs.rs`).
//!
//! Every command that reads text builds its tokenizer and sentiment model through
//! [`resources`], the same [`PipelineBuilder`] wiring `analyze` uses, so `tokenize`,
//! `score`, `eval sentiment` and `analyze` cut and score a text the same way under the
//! same flags. Defaults are never restated here: a setter is called only when its flag
//! was given, and the builders hold the defaults.

use super::exit::{self, Fail};
use super::flags::{AnalyzeArgs, GlossaryArgs, LexiconArgs, ModelArgs, ScanArgs, SegmentArgs};
use duibi::corpus::CorpusOptions;
use duibi::lang::LangDetector;
use duibi::run::{Pipeline, PipelineBuilder};
use duibi::sentiment::Polarity;

/// Segmentation settings: HMM, user dictionaries, languages.
fn segmentation(mut b: PipelineBuilder, seg: &SegmentArgs) -> PipelineBuilder {
    b = b.hmm(seg.hmm);
    if let Some(langs) = &seg.langs {
        b = b.languages(langs);
    }
    for d in &seg.user_dict {
        b = b.user_dict(d);
    }
    b
}

/// The concept glossaries (their Chinese forms are words of the tokenizer too).
fn glossaries(mut b: PipelineBuilder, g: &GlossaryArgs) -> PipelineBuilder {
    b = b.replace_glossary(g.replace_concepts);
    for f in &g.concepts {
        b = b.glossary(f);
    }
    b
}

/// The sentiment lexicons: the one place the lexicon flags reach the library.
/// `--replace-lexicon` means the user's lexicons and word lists replace the shipped
/// lexicons, whichever flag supplied them (with none given, the shipped ones stay).
fn lexicons(mut b: PipelineBuilder, lex: &LexiconArgs) -> PipelineBuilder {
    b = b.replace_lexicons(lex.replace_lexicon);
    if lex.no_scale_map {
        b = b.scale_map(false);
    }
    for l in &lex.lexicon {
        b = b.lexicon(l);
    }
    for w in &lex.positive_words {
        b = b.word_list(w, Polarity::Positive, lex.word_list_lang);
    }
    for w in &lex.negative_words {
        b = b.word_list(w, Polarity::Negative, lex.word_list_lang);
    }
    b
}

/// The builder of everything that reads text: tokenizer (with the glossary words),
/// sentiment model and concept matcher.
fn text_builder(seg: &SegmentArgs, g: &GlossaryArgs, lex: Option<&LexiconArgs>) -> PipelineBuilder {
    let b = glossaries(segmentation(Pipeline::builder(), seg), g);
    match lex {
        Some(lex) => lexicons(b, lex),
        None => b,
    }
}

/// The tokenizer and sentiment model of `tokenize`, `score` and `eval sentiment`:
/// built as `analyze` builds them (`lex`: `None` for the shipped lexicons).
pub fn resources(
    seg: &SegmentArgs,
    g: &GlossaryArgs,
    lex: Option<&LexiconArgs>,
) -> Result<Pipeline, Fail> {
    text_builder(seg, g, lex).build().map_err(exit::unusable)
}

/// The language detector of `detect`.
pub fn detector(seg: &SegmentArgs) -> LangDetector {
    let mut b = LangDetector::builder();
    if let Some(langs) = &seg.langs {
        b = b.languages(langs);
    }
    b.build()
}

/// The pipeline of `analyze` and `merge`.
pub fn pipeline(m: &ModelArgs) -> Result<Pipeline, Fail> {
    pipeline_builder(m)?.build().map_err(exit::unusable)
}

/// The settings of `analyze` and `merge`, turned into the builder of their pipeline.
pub fn pipeline_builder(m: &ModelArgs) -> Result<PipelineBuilder, Fail> {
    let mut b = text_builder(&m.seg, &m.glossary, Some(&m.lex)).keep_stopwords(m.keep_stopwords);
    if m.keep_special_tokens {
        b = b.keep_special_tokens(true);
    }
    if let Some(n) = m.top {
        b = b.top(n as usize);
    }
    if let Some(n) = m.threads {
        b = b.threads(n as usize);
    }
    if let Some(n) = m.min_doc_freq {
        b = b.min_doc_freq(n);
    }
    if let Some(s) = m.seed {
        b = b.seed(s);
    }
    if let Some(n) = m.bootstrap {
        b = b.bootstrap_reps(n as usize);
    }
    if let Some(n) = m.permutation_stop {
        b = b.permutation_stop(n as usize);
    }
    if let Some(p) = m.period {
        b = b.period(p);
    }
    if let Some(n) = m.evidence {
        b = b.evidence(n as usize);
    }
    b = b
        .keep_boilerplate(m.keep_boilerplate)
        .keep_duplicates(m.keep_duplicates);
    match m.compare.as_slice() {
        [] => {}
        [x, y] if x != y => b = b.compare_groups(x.clone(), y.clone()),
        _ => {
            return Err(exit::usage(
                "--compare: give two different group names, e.g. --compare domestic,overseas"
                    .into(),
            ))
        }
    }
    Ok(b)
}

/// How `analyze` discovers and reads the corpus; the run's own outputs are never read
/// as documents.
pub fn corpus_options(a: &AnalyzeArgs) -> CorpusOptions {
    let mut opts = CorpusOptions {
        follow_links: a.follow_links,
        ..CorpusOptions::default()
    };
    if let Some(n) = a.max_file_size {
        opts.max_file_size = n;
    }
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
    opts.exclude.extend(table_paths(
        a.tables.as_deref(),
        table_format(a.tables_format),
    ));
    opts
}

/// How `scan` discovers and reads the corpus (as `analyze` does; its output is never
/// read as a document).
pub fn scan_corpus_options(a: &ScanArgs) -> CorpusOptions {
    let mut opts = CorpusOptions {
        follow_links: a.follow_links,
        ..CorpusOptions::default()
    };
    if let Some(n) = a.max_file_size {
        opts.max_file_size = n;
    }
    if a.output.as_os_str() != "-" {
        opts.exclude = vec![a.output.clone()];
    }
    opts
}

/// The format of the `--tables` files.
pub fn table_format(f: Option<duibi::report::TableFormat>) -> duibi::report::TableFormat {
    f.unwrap_or(duibi::config::TABLE_FORMAT)
}

/// The files `--tables DIR` writes (none without the flag).
pub fn table_paths(
    dir: Option<&std::path::Path>,
    format: duibi::report::TableFormat,
) -> Vec<std::path::PathBuf> {
    let Some(dir) = dir else {
        return Vec::new();
    };
    duibi::report::Table::ALL
        .iter()
        .map(|t| dir.join(t.file_name(format)))
        .collect()
}
