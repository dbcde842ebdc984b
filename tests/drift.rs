//! The CLI commands agree with `analyze` (issue 13, drift fixes): `tokenize` cuts a
//! text as `analyze` does, and `score`, `eval sentiment` and `analyze` score a sentence
//! the same under every lexicon option.

use assert_cmd::Command;
use std::path::Path;

fn duibi() -> Command {
    let mut c = Command::cargo_bin("duibi").unwrap();
    c.timeout(std::time::Duration::from_secs(300));
    c
}

/// Runs duibi, asserts success, returns stdout.
fn stdout(args: &[&str]) -> String {
    let out = duibi().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A corpus with `text` as the only document of group `a` (and an English one in `b`).
fn one_doc_corpus(root: &Path, text: &str) {
    write(&root.join("a/doc.txt"), text);
    write(&root.join("b/other.txt"), "Miners are heading to Texas.");
}

/// The report of `analyze` on `root` with `extra` flags.
fn analyze(root: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "analyze",
        root.to_str().unwrap(),
        "--quiet",
        "--evidence",
        "0",
        "--bootstrap",
        "100",
    ];
    args.extend(extra);
    serde_json::from_str(&stdout(&args)).unwrap()
}

/// Non-stopword terms of `text` as `duibi tokenize` cuts it, sorted.
fn tokenize_terms(text: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["tokenize", text];
    args.extend(extra);
    let line: serde_json::Value = serde_json::from_str(stdout(&args).trim()).unwrap();
    let mut terms: Vec<String> = line["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["stop"] == false)
        .map(|t| t["term"].as_str().unwrap().to_string())
        .collect();
    terms.sort();
    terms
}

/// Terms of group `a`, language zh, in the report, one entry per occurrence, sorted.
fn report_terms(report: &serde_json::Value) -> Vec<String> {
    let mut terms = Vec::new();
    for t in report["terms"].as_array().unwrap() {
        if t["group"] == "a" && t["lang"] == "zh" {
            for _ in 0..t["count"].as_u64().unwrap() {
                terms.push(t["term"].as_str().unwrap().to_string());
            }
        }
    }
    terms.sort();
    terms
}

#[test]
fn tokenize_cuts_like_analyze() {
    let text = "矿机托管业务受到监管部门打击，比特币矿工前往得克萨斯州";
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("c");
    one_doc_corpus(&root, text);
    let dict = t.path().join("user.dict");
    write(&dict, "业务受到 100000\n");
    let dict = dict.to_str().unwrap();
    for extra in [vec![], vec!["--user-dict", dict], vec!["--hmm"]] {
        let cut = tokenize_terms(text, &extra);
        assert_eq!(cut, report_terms(&analyze(&root, &extra)), "{extra:?}");
        if extra.is_empty() {
            // The glossary word stays whole in both.
            assert!(cut.contains(&"矿机托管".to_string()), "{cut:?}");
        } else if extra[0] == "--user-dict" {
            assert!(cut.contains(&"业务受到".to_string()), "{cut:?}");
        }
    }
}

/// A sentence's score from `score`, `eval sentiment --items` and `analyze` (document
/// sentiment, rounded to 6 decimals in the report); asserts score and analyze agree.
fn three_scores(dir: &Path, sentence: &str, extra: &[&str]) -> (f64, f64, f64) {
    let mut args = vec!["score", sentence];
    args.extend(extra);
    let s: serde_json::Value = serde_json::from_str(stdout(&args).trim()).unwrap();
    let score = s["score"].as_f64().unwrap();

    let root = dir.join("corpus");
    one_doc_corpus(&root, sentence);
    let report = analyze(&root, extra);
    let doc = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["group"] == "a")
        .unwrap();
    let analyzed = doc["sentiment"].as_f64().unwrap();
    assert!(
        (score - analyzed).abs() < 1e-6,
        "{extra:?}: score {score} vs analyze {analyzed}"
    );

    let data = dir.join("data.tsv");
    write(&data, &format!("1\t2.0\t{sentence}\n"));
    let mut args = vec![
        "eval",
        "sentiment",
        "--items",
        "--data",
        data.to_str().unwrap(),
    ];
    args.extend(extra);
    let out = stdout(&args);
    let item = out
        .lines()
        .find(|l| l.starts_with("item\t"))
        .unwrap_or_else(|| panic!("no item line: {out}"));
    let eval: f64 = item.rsplit('\t').next().unwrap().parse().unwrap();

    (score, eval, analyzed)
}

#[test]
fn score_eval_and_analyze_agree_under_every_lexicon_option() {
    let sentence = "比特币价格大涨，投资者非常高兴，但矿工很担心。";
    let t = tempfile::tempdir().unwrap();
    let lex = t.path().join("lex.tsv");
    write(&lex, "担心\t-3.5\tzh\n大涨\t0.5\tzh\n");
    let pos = t.path().join("pos.txt");
    write(&pos, "比特币\n投资者\n");
    let neg = t.path().join("neg.txt");
    write(&neg, "矿工\n价格\n");
    let (lex, pos, neg) = (
        lex.to_str().unwrap(),
        pos.to_str().unwrap(),
        neg.to_str().unwrap(),
    );
    let mut seen = Vec::new();
    for base in [
        vec![],
        vec!["--lexicon", lex],
        vec!["--positive-words", pos, "--negative-words", neg],
    ] {
        for replace in [false, true] {
            let mut extra = base.clone();
            if replace {
                extra.push("--replace-lexicon");
            }
            let (score, eval, _) = three_scores(t.path(), sentence, &extra);
            assert_eq!(score, eval, "{extra:?}: score vs eval sentiment");
            seen.push((extra, score));
        }
    }
    // The options matter: replacing the shipped lexicons with the user's changes the score.
    assert_ne!(seen[2].1, seen[3].1, "{seen:?}");
    assert_ne!(seen[4].1, seen[5].1, "{seen:?}");
    // --replace-lexicon with nothing to replace them keeps the shipped lexicons.
    assert_eq!(seen[0].1, seen[1].1, "{seen:?}");
}
