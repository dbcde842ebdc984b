//! Per-stage benchmarks of the analysis pipeline, so that a regression points at its
//! stage: decode, normalize + script runs, segmentation, sentiment, concept matching,
//! aggregation, comparison (the whole `analyze` of a directory) and JSON writing.
//!
//! Inputs come from `corpora/mining-2021` (shipped in the repository), so the benches run
//! without the external benchmark corpus. Run with `cargo bench --bench stages`; CI only
//! checks that they build (`cargo bench --no-run`). The `statistics` group times the
//! resampling statistics alone on synthetic data of the benchmark corpus's shape
//! (`cargo bench --bench stages -- statistics`).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use duibi::aggregate::TermTable;
use duibi::corpus::{Corpus, CorpusOptions, Source};
use duibi::lang::{self, Lang};
use duibi::run::Pipeline;
use duibi::tokenize::TokenBuf;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/mining-2021")
}

/// Raw bytes of every file of the sample corpus.
fn raw_files() -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(corpus_dir())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("read sample corpus"))
        .collect()
}

/// Document texts of the sample corpus, as the pipeline loads them.
fn texts() -> Vec<String> {
    let corpus = Corpus::discover(corpus_dir(), &CorpusOptions::default()).expect("corpus");
    let mut out = Vec::new();
    for f in corpus.files() {
        if let Ok(loaded) = corpus.load(f) {
            out.extend(loaded.docs.into_iter().map(|d| d.text));
        }
    }
    assert!(!out.is_empty(), "no documents in the sample corpus");
    out
}

fn bytes_of(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

fn stages(c: &mut Criterion) {
    let pipeline = Pipeline::builder().evidence(0).build().expect("pipeline");
    let tok = pipeline.tokenizer();
    let det = tok.detector();
    let raw = raw_files();
    let texts = texts();
    let norm: Vec<String> = texts.iter().map(|t| lang::normalize(t)).collect();
    let runs: Vec<Vec<lang::Run>> = norm.iter().map(|t| det.runs(t)).collect();
    let bufs: Vec<TokenBuf> = norm
        .iter()
        .zip(&runs)
        .map(|(t, r)| {
            let mut b = TokenBuf::new();
            let mut s = String::new();
            tok.tokenize_runs(t, r, &mut b, &mut s);
            b
        })
        .collect();
    let text_bytes = bytes_of(&texts);

    let mut g = c.benchmark_group("stages");
    g.sample_size(20);

    g.throughput(Throughput::Bytes(raw.iter().map(|r| r.len() as u64).sum()));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for r in &raw {
                let _ = black_box(duibi::corpus::decode::decode(black_box(r)));
            }
        })
    });

    g.throughput(Throughput::Bytes(text_bytes));
    g.bench_function("normalize_runs", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for t in &texts {
                let s = lang::normalize(black_box(t));
                n += det.runs(&s).len();
            }
            n
        })
    });

    g.bench_function("segment", |b| {
        let mut buf = TokenBuf::new();
        let mut scratch = String::new();
        b.iter(|| {
            let mut n = 0usize;
            for (t, r) in norm.iter().zip(&runs) {
                buf.clear();
                tok.tokenize_runs(t, r, &mut buf, &mut scratch);
                n += buf.len();
            }
            n
        })
    });

    g.bench_function("sentiment", |b| {
        let model = pipeline.sentiment();
        b.iter(|| {
            let mut s = 0f32;
            for (t, buf) in norm.iter().zip(&bufs) {
                s += model.score_document(t, buf).score;
            }
            s
        })
    });

    g.bench_function("concepts", |b| {
        let m = pipeline.concepts();
        let mut hits = Vec::new();
        b.iter(|| {
            hits.clear();
            for buf in &bufs {
                m.find(buf, &mut hits);
            }
            hits.len()
        })
    });

    g.bench_function("aggregate", |b| {
        // Per-document term counts, added to one table per half, then merged.
        let docs: Vec<Vec<(Lang, String, u32)>> = bufs
            .iter()
            .map(|buf| {
                let mut m: std::collections::BTreeMap<(Lang, &str), u32> = Default::default();
                for (t, term) in buf.iter().filter(|(t, _)| !t.stop) {
                    *m.entry((t.lang, term)).or_default() += 1;
                }
                m.into_iter()
                    .map(|((l, t), c)| (l, t.to_owned(), c))
                    .collect()
            })
            .collect();
        b.iter(|| {
            let mut a = TermTable::default();
            let mut z = TermTable::default();
            for (i, d) in docs.iter().enumerate() {
                let t = if i % 2 == 0 { &mut a } else { &mut z };
                for (l, term, c) in d {
                    t.add_term(*l, term, *c);
                }
            }
            a.merge(z);
            a.vocabulary(Lang::Zh) + a.vocabulary(Lang::En)
        })
    });
    g.finish();

    // Whole runs on the sample corpus: the comparison statistics (bootstrap,
    // permutation, keyness) dominate at this size; and writing the report.
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    let run = || {
        pipeline
            .analyze(Source::dir(corpus_dir(), CorpusOptions::default()))
            .and_then(|r| r.into_report())
            .expect("analyze")
    };
    g.bench_function("analyze_dir_mining2021", |b| {
        b.iter(|| run().documents.len())
    });
    let report = run();
    let json_len = report.to_json().len() as u64;
    g.throughput(Throughput::Bytes(json_len));
    g.bench_function("to_json", |b| b.iter(|| black_box(report.to_json()).len()));
    g.finish();

    let mut g = c.benchmark_group("startup");
    g.sample_size(10);
    g.bench_function("pipeline_build", |b| {
        b.iter(|| Pipeline::builder().build().expect("pipeline"))
    });
    g.finish();
}

/// The resampling statistics on synthetic data of the benchmark corpus's shape (one
/// group of 4 000 document units, 2 000 replicates, 5 columns over every unit and 3
/// columns for each of 175 concepts, concepts mentioned in from ~40% to ~1% of the
/// documents; two groups of 3 700 and 4 000 units for the permutation test).
fn statistics(c: &mut Criterion) {
    use duibi::stats::{permutation_p_value, Resamples, Rng};
    let (n, reps) = (4_000, 2_000);
    let mut rng = Rng::new(5);
    let full: Vec<Vec<(usize, f64)>> = (0..5)
        .map(|_| (0..n).map(|i| (i, rng.next_f64() + 0.5)).collect())
        .collect();
    let mut columns = full.clone();
    for concept in 0..175 {
        let share = 0.4 / (1.0 + concept as f64 / 5.0);
        let units: Vec<usize> = (0..n).filter(|_| rng.next_f64() < share).collect();
        for _ in 0..3 {
            columns.push(units.iter().map(|&i| (i, rng.next_f64())).collect());
        }
    }
    let cols: Vec<&[(usize, f64)]> = columns.iter().map(Vec::as_slice).collect();
    let entries: usize = cols.iter().map(|c| c.len()).sum();
    let rs = Resamples::new(n, reps, 9);
    let mut g = c.benchmark_group("statistics");
    g.sample_size(10);
    g.throughput(Throughput::Elements((entries * reps) as u64));
    g.bench_function("sum_replicates_many", |b| {
        b.iter(|| black_box(rs.sum_replicates_many(&cols)).len())
    });
    let units = |k: usize, rng: &mut Rng| -> Vec<(f64, f64)> {
        (0..k)
            .map(|_| (rng.next_f64() * 4.0 - 2.0, 1.0 + rng.below(20) as f64))
            .collect()
    };
    let (a, b) = (units(3_700, &mut rng), units(4_000, &mut rng));
    g.throughput(Throughput::Elements((3_700 * reps) as u64));
    g.bench_function("permutation_p_value", |bch| {
        bch.iter(|| permutation_p_value(black_box(&a), black_box(&b), reps, 3))
    });
    g.finish();
}

criterion_group!(benches, stages, statistics);
criterion_main!(benches);
