//! `PipelineBuilder::analyze`: the resources load while the scan pass's screen is
//! decided, and the run gives what building first and then analysing gives, with the
//! errors in the same order.

use duibi::corpus::{CorpusOptions, Document, Source};
use duibi::run::{Pipeline, PipelineBuilder, PipelineError};
use std::path::Path;

fn sample() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/mining-2021"))
}

fn settings(threads: usize) -> PipelineBuilder {
    Pipeline::builder().bootstrap_reps(100).threads(threads)
}

fn bytes(r: duibi::run::LazyReport) -> Vec<u8> {
    let mut out = Vec::new();
    r.write_json(&mut out).unwrap();
    out
}

/// A footer on every document of a group and a reprint: the screen sets both aside.
fn screened_docs() -> Vec<Document> {
    let mut docs = Vec::new();
    for i in 0..8 {
        let text = format!(
            "第{i}篇：监管趋严，矿工把矿机运往海外，电价与政策各不相同。\n本文仅代表作者观点，转载请注明出处。"
        );
        docs.push(Document::in_memory(format!("d{i}"), "domestic", text));
        let text = format!(
            "Report {i}: miners moved {i} rigs to Texas as the ban took hold.\nSubscribe to our newsletter for more."
        );
        docs.push(Document::in_memory(format!("o{i}"), "overseas", text));
    }
    docs.push(Document::in_memory(
        "o-reprint",
        "overseas",
        "Report 3: miners moved 3 rigs to Texas as the ban took hold.\nSubscribe to our newsletter for more.",
    ));
    docs
}

#[test]
fn analyze_from_the_builder_equals_build_then_analyze() {
    for threads in [1, 2] {
        let built = settings(threads).build().unwrap();
        let dir = || Source::dir(sample(), CorpusOptions::default());
        let a = bytes(settings(threads).analyze(dir()).unwrap());
        let b = bytes(built.analyze(dir()).unwrap());
        assert!(a == b, "directory, {threads} thread(s)");

        let docs = screened_docs();
        let a = settings(threads)
            .analyze(Source::documents(docs.clone()))
            .unwrap();
        assert!(
            !a.head().set_aside.duplicates.is_empty(),
            "the reprint is set aside"
        );
        let a = bytes(a);
        let b = bytes(built.analyze(Source::documents(docs)).unwrap());
        assert!(a == b, "documents, {threads} thread(s)");

        let lines: String = screened_docs()
            .iter()
            .map(|d| {
                format!(
                    "{}\n",
                    serde_json::json!({"id": d.meta.id, "group": d.meta.group, "text": d.text})
                )
            })
            .collect();
        let a = bytes(
            settings(threads)
                .analyze(Source::json_lines(lines.as_bytes(), "-"))
                .unwrap(),
        );
        let b = bytes(
            built
                .analyze(Source::json_lines(lines.as_bytes(), "-"))
                .unwrap(),
        );
        assert!(a == b, "JSON lines, {threads} thread(s)");
    }
}

#[test]
fn a_resource_error_comes_before_an_error_of_the_source() {
    let missing = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/no-such-corpus"));
    for threads in [1, 2] {
        // Both fail: the lexicon is reported, as when the pipeline is built first.
        let e = settings(threads)
            .lexicon("/no/such/lexicon.tsv")
            .analyze(Source::dir(missing, CorpusOptions::default()))
            .unwrap_err();
        assert!(matches!(e, PipelineError::Sentiment(_)), "{e:?}");
        // The lexicon fails while the scan pass succeeds.
        let e = settings(threads)
            .lexicon("/no/such/lexicon.tsv")
            .analyze(Source::documents(screened_docs()))
            .unwrap_err();
        assert!(matches!(e, PipelineError::Sentiment(_)), "{e:?}");
        // Only the source fails.
        let e = settings(threads)
            .analyze(Source::dir(missing, CorpusOptions::default()))
            .unwrap_err();
        assert!(matches!(e, PipelineError::Corpus(_)), "{e:?}");
    }
}
