//! Sentiment evaluation against the labelled sets in `../shared/eval/sentiment`
//! (development data that is not part of the repository). Skips with a message when the
//! folder is absent. The thresholds are regression guards set slightly below the figures
//! measured when they were written (see DATA-LICENSES.md and the README for the figures).
//!
//! Run with `cargo test --release --test eval_sentiment -- --nocapture` to see the figures.

use duibi::sentiment::eval::{self, Format};
use duibi::sentiment::SentimentModel;
use duibi::tokenize::Tokenizer;

mod common;

struct Case {
    file: &'static str,
    format: Format,
    min_r: Option<f64>,
    min_f1: f64,
}

#[test]
fn sentiment_eval_sets() {
    let Some(base) = common::eval_data("sentiment") else {
        return;
    };
    let model = SentimentModel::builder()
        .build()
        .expect("shipped lexicons load");
    let tok = Tokenizer::builder().build().expect("tokenizer builds");
    // Measured (issue #3 pass: concessive clauses, irrealis damping, excess construction,
    // weak negation, rhetorical questions, negative weighting, Chinese character back-off,
    // VADER's never-so / kind-of / without-doubt rules, hyphenated and lengthened words,
    // un-/-less, review vocabulary, AFINN fallback ×0.5):
    // tweets r 0.874 / F1 0.947; movie 0.493 / 0.655; amazon 0.622 / 0.662;
    // ChnSentiCorp F1 0.804; waimai F1 0.808.
    // Issue 15 (document score = normalized mean raw sum of the sentences with a lexicon
    // hit, so it does not grow with length; `like` only as a verb; zh-parallel
    // corrections): tweets r 0.856 / F1 0.944 (VADER's ratings of multi-sentence tweets
    // follow the summed compound, and "looks like" tweets were rated mildly positive);
    // movie 0.505 / 0.660; amazon 0.622 / 0.661; ChnSentiCorp 0.801; waimai 0.806.
    // Issue 15, session 3 (the summed compound up to config::DOC_SCORE_SENTENCES = 2
    // sentences with a match, then the mean times 2; `like` also a verb before `to` or at
    // a sentence end, elsewhere ×config::NON_VERB_WEIGHT): tweets r 0.872 / F1 0.945;
    // movie 0.503 / 0.659; amazon 0.621 / 0.662; ChnSentiCorp 0.801; waimai 0.806.
    // With the news senses, `neutral` words and zh-parallel refitted (--min-abs-new 0.9):
    // tweets 0.872 / 0.945; movie 0.504 / 0.659; amazon 0.622 / 0.662; ChnSentiCorp
    // 0.802; waimai 0.807.
    // Round 3 (news-senses.tsv, topic nouns ×0.25, weak single hits ×0.1; `special`,
    // `no`, `free`, `play` left scored: zeroing them cost tweets/amazon F1):
    // tweets 0.871 / 0.944; movie 0.508 / 0.661; amazon 0.621 / 0.661; ChnSentiCorp
    // 0.802; waimai 0.807.
    // Round 4 (compound back-off, zh-parallel-fit.tsv, 希望 not irrealis, scale map
    // 1.000 / 1.029; English unchanged): ChnSentiCorp 0.802; waimai 0.805.
    // The floors are the targets, except tweets F1: target 0.947, measured 0.945
    // (0.946 with `like` counted everywhere, so 0.001 of the gap is not the `like` rule).
    // Session 10 (D: faces, `wish` not irrealis, `nope` no negator, ruining, can't wait,
    // coolest, lovin, booyah, sigh; English neg-raising frame): tweets r 0.874 / F1
    // 0.9471, the target, now the floor; movie 0.510 / 0.662; amazon 0.623 / 0.662;
    // ChnSentiCorp 0.801; waimai 0.805.
    let cases = [
        Case {
            file: "en/tweets_GroundTruth.txt",
            format: Format::Vader,
            min_r: Some(0.87),
            min_f1: 0.947,
        },
        Case {
            file: "en/movieReviewSnippets_GroundTruth.txt",
            format: Format::Vader,
            min_r: Some(0.49),
            min_f1: 0.65,
        },
        Case {
            file: "en/amazonReviewSnippets_GroundTruth.txt",
            format: Format::Vader,
            min_r: Some(0.62),
            min_f1: 0.66,
        },
        Case {
            file: "zh/ChnSentiCorp_htl_all.csv",
            format: Format::Csv,
            min_r: None,
            min_f1: 0.80,
        },
        Case {
            file: "zh/waimai_10k.csv",
            format: Format::Csv,
            min_r: None,
            min_f1: 0.80,
        },
    ];
    for c in cases {
        let path = base.join(c.file);
        if !path.is_file() {
            eprintln!("skipping {}: not found", path.display());
            continue;
        }
        let m = eval::evaluate_file(&model, &tok, &path, c.format).expect("evaluation file parses");
        eprintln!(
            "{:45} n={:6} r={:?} accuracy={:.3} macro-F1={:.3} coverage={:.3}",
            c.file, m.n, m.pearson, m.accuracy, m.macro_f1, m.coverage
        );
        if let (Some(min), Some(r)) = (c.min_r, m.pearson) {
            assert!(r >= min, "{}: Pearson r {r:.3} below {min}", c.file);
        }
        assert!(
            m.macro_f1 >= c.min_f1,
            "{}: macro-F1 {:.3} below {}",
            c.file,
            m.macro_f1,
            c.min_f1
        );
    }
}
