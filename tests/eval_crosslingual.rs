//! Cross-lingual consistency on the parallel sets of `../shared/eval/crosslingual`
//! (development data that is not part of the repository; skipped with a message when
//! absent), and the `eval crosslingual` command on a small file of its own.
//!
//! The floors (same polarity, Pearson r) and ceilings (|bias|, opposite signs) sit a
//! little beyond the figures measured when they were written (README "Comparing across
//! languages"). Run `cargo test --release --test eval_crosslingual -- --nocapture` to
//! see the figures.

use assert_cmd::Command;
use duibi::sentiment::crosslingual;
use duibi::sentiment::SentimentModel;
use duibi::tokenize::Tokenizer;
use std::path::PathBuf;

struct Case {
    file: &'static str,
    min_same: f64,
    min_r: f64,
    max_abs_bias: f64,
    max_opposite: f64,
}

mod common;

fn data_dir() -> Option<PathBuf> {
    common::eval_data("crosslingual")
}

#[test]
fn crosslingual_eval_sets() {
    let Some(base) = data_dir() else {
        return;
    };
    let model = SentimentModel::builder()
        .build()
        .expect("shipped lexicons load");
    let tok = Tokenizer::builder().build().expect("tokenizer builds");
    // Measured (issue 15: zh-parallel corrections from Tatoeba, compounds, commentary
    // senses, `like` only as a verb, length-independent document score, scale map fitted
    // on Tatoeba): same / r / bias / opposite
    // wmt21-zh-en 0.647 / 0.650 / −0.038 / 10.4%;  wmt21-en-zh 0.633 / 0.591 / −0.042 / 12.8%
    // wmt23-zh-en 0.628 / 0.611 / −0.067 / 10.8%;  wmt23-en-zh 0.662 / 0.685 / −0.014 / 6.8%
    // tatoeba     0.736 / 0.656 / −0.002 / 2.1%
    // Session 3 (document score capped at two sentences, `like` weight, news senses,
    // `neutral` words, zh-parallel --min-abs-new 0.9, scale map 0.980 / 1.019):
    // wmt21-zh-en 0.672 / 0.679 / −0.017 / 9.4%;  wmt21-en-zh 0.636 / 0.597 / −0.024 / 12.4%
    // wmt23-zh-en 0.639 / 0.625 / −0.051 / 10.4%;  wmt23-en-zh 0.659 / 0.690 / −0.011 / 6.9%
    // tatoeba     0.739 / 0.660 / −0.001 / 2.1%
    // Round 3 (news-senses.tsv: function senses removed, topic nouns ×0.25 in both
    // languages; a weak single hit ×0.1; scale map 0.974 / 1.011):
    // wmt21-zh-en 0.689 / 0.705 / −0.031 / 7.0%;  wmt21-en-zh 0.636 / 0.615 / −0.022 / 8.9%
    // wmt23-zh-en 0.644 / 0.618 / −0.052 / 9.1%;  wmt23-en-zh 0.662 / 0.680 / −0.011 / 6.3%
    // tatoeba     0.779 / 0.652 / −0.001 / 1.6%
    // (the topic damping costs bias on wmt21-zh-en, −0.017 → −0.031, and r on the WMT23
    // and Tatoeba sets by up to 0.010: the guards follow the measured figures.)
    // Round 4 (compound back-off, zh-parallel-fit.tsv from a ridge fit on Tatoeba, 希望
    // not irrealis, scale map 1.000 / 1.029):
    // wmt21-zh-en 0.704 / 0.719 / −0.016 / 7.2%;  wmt21-en-zh 0.644 / 0.629 / −0.017 / 8.6%
    // wmt23-zh-en 0.656 / 0.638 / −0.046 / 9.4%;  wmt23-en-zh 0.676 / 0.699 / −0.005 / 6.5%
    // tatoeba     0.812 / 0.715 / +0.001 / 1.7%
    // (opposite rises by 0.1–0.3 points on four files: more Chinese words scored also
    // means more that disagree; its ceilings stay where they were.)
    let cases = [
        Case {
            file: "wmt21-zh-en.tsv",
            min_same: 0.698,
            min_r: 0.713,
            max_abs_bias: 0.022,
            max_opposite: 0.075,
        },
        Case {
            file: "wmt21-en-zh.tsv",
            min_same: 0.638,
            min_r: 0.622,
            max_abs_bias: 0.023,
            max_opposite: 0.091,
        },
        Case {
            file: "wmt23-zh-en.tsv",
            min_same: 0.65,
            min_r: 0.631,
            max_abs_bias: 0.05,
            max_opposite: 0.097,
        },
        Case {
            file: "wmt23-en-zh.tsv",
            min_same: 0.669,
            min_r: 0.692,
            max_abs_bias: 0.011,
            max_opposite: 0.068,
        },
        Case {
            file: "tatoeba-cmn-en.tsv",
            min_same: 0.805,
            min_r: 0.708,
            max_abs_bias: 0.01,
            max_opposite: 0.02,
        },
    ];
    for c in cases {
        let path = base.join(c.file);
        if !path.is_file() {
            eprintln!("skipping {}: not found", path.display());
            continue;
        }
        let pairs = crosslingual::read_pairs(&path).expect("parallel file parses");
        let m = crosslingual::evaluate(&model, &tok, &pairs).metrics;
        eprintln!(
            "{:20} pairs={:6} same={:.3} r={:.3} bias={:+.3} opposite={:.3}",
            c.file, m.pairs, m.same_polarity, m.pearson_r, m.bias, m.opposite
        );
        assert!(
            m.same_polarity >= c.min_same,
            "{}: same polarity {:.3}",
            c.file,
            m.same_polarity
        );
        assert!(m.pearson_r >= c.min_r, "{}: r {:.3}", c.file, m.pearson_r);
        assert!(
            m.bias.abs() <= c.max_abs_bias,
            "{}: bias {:.3}",
            c.file,
            m.bias
        );
        assert!(
            m.opposite <= c.max_opposite,
            "{}: opposite {:.3}",
            c.file,
            m.opposite
        );
    }
}

#[test]
fn eval_crosslingual_command_prints_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("pairs.tsv");
    std::fs::write(
        &f,
        "zh\ten\tlabel\n这是好消息。\tThis is good news.\tpos\n这并不是一个好消息。\tThis is not good news.\tneg\n服务很糟糕。\tThe service was terrible.\tneg\n",
    )
    .unwrap();
    let out = Command::cargo_bin("duibi")
        .unwrap()
        .args(["eval", "crosslingual", "--items", "--data"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    for want in [
        "pairs\t3\n",
        "same_polarity\t1.000\n",
        "opposite\t0.000\n",
        "labelled\t3\n",
        "accuracy_zh\t1.000\n",
        "accuracy_en\t1.000\n",
    ] {
        assert!(s.contains(want), "{want:?} missing in\n{s}");
    }
    assert_eq!(s.lines().filter(|l| l.starts_with("pair\t")).count(), 3);
    // A file without the columns is refused with its name and line (exit 2).
    std::fs::write(&f, "chinese\tenglish\n好\tgood\n").unwrap();
    let bad = Command::cargo_bin("duibi")
        .unwrap()
        .args(["eval", "crosslingual", "--data"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("pairs.tsv:1"));
}

#[test]
fn scale_map_is_named_in_settings_and_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| -> serde_json::Value {
        let out = dir.path().join("r.json");
        let mut c = Command::cargo_bin("duibi").unwrap();
        c.args([
            "analyze",
            "corpora/mining-2021",
            "--quiet",
            "--evidence",
            "0",
            "-o",
        ])
        .arg(&out)
        .args(extra);
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap()
    };
    let on = run(&[]);
    let off = run(&["--no-scale-map"]);
    let name = |r: &serde_json::Value| {
        r["settings"]["sentiment_scale"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(name(&on).contains("Tatoeba"), "{}", name(&on));
    assert_eq!(name(&off), "none");
}
