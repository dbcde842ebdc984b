//! Map/reduce: partial aggregates of any sharding merge into the single-run report,
//! byte for byte, in any order.

use duibi::aggregate::partial::{Partial, PartialError};
use duibi::corpus::Source;
use duibi::run::{Pipeline, PipelineError};
use std::process::Command;

/// Sample-corpus documents as JSON lines (ids, groups, sources, dates), built with
/// duibi itself so every encoding is decoded the same way.
fn sample_lines(p: &Pipeline) -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/mining-2021");
    let corpus = duibi::corpus::Corpus::discover(dir, &Default::default()).unwrap();
    let mut lines = Vec::new();
    for f in corpus.files() {
        for d in corpus.load(f).unwrap().docs {
            lines.push(
                serde_json::json!({
                    "id": d.meta.id, "group": d.meta.group, "text": d.text,
                    "source": d.meta.fields.source, "date": d.meta.fields.date,
                    "title": d.meta.fields.title,
                })
                .to_string(),
            );
        }
    }
    let _ = p;
    lines
}

/// The partial aggregate of JSON lines `lines` (input name `-`).
fn jsonl_partial(p: &Pipeline, lines: &str) -> Partial {
    p.analyze_partial(Source::json_lines(lines.as_bytes(), "-"))
        .unwrap()
}

struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn random_shardings_merge_to_the_single_run_report() {
    let p = Pipeline::builder()
        .evidence(0)
        .bootstrap_reps(300)
        .build()
        .unwrap();
    let lines = sample_lines(&p);
    let all = lines.join("\n");
    let single = p
        .report_from_partials(vec![jsonl_partial(&p, &all)])
        .unwrap()
        .to_json();
    let mut rng = Lcg(2021);
    for trial in 0..5 {
        let k = 2 + trial % 4;
        let mut shards: Vec<Vec<&str>> = vec![Vec::new(); k];
        for l in &lines {
            shards[rng.below(k)].push(l);
        }
        let mut parts: Vec<Partial> = shards
            .iter()
            .map(|s| jsonl_partial(&p, &s.join("\n")))
            .collect();
        // Round trip through the serialized form, as between machines.
        parts = parts
            .iter()
            .map(|x| serde_json::from_slice(&x.to_json_line()).unwrap())
            .collect();
        // Any order.
        for i in (1..parts.len()).rev() {
            parts.swap(i, rng.below(i + 1));
        }
        let merged = p.report_from_partials(parts).unwrap().to_json();
        assert!(
            merged == single,
            "trial {trial}: merged report differs from the single run"
        );
    }
}

#[test]
fn merging_is_associative() {
    let p = Pipeline::builder()
        .evidence(0)
        .bootstrap_reps(300)
        .build()
        .unwrap();
    let lines = sample_lines(&p);
    let thirds: Vec<String> = (0..3)
        .map(|i| {
            lines
                .iter()
                .skip(i)
                .step_by(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let part = |s: &str| jsonl_partial(&p, s);
    let (a, b, c) = (part(&thirds[0]), part(&thirds[1]), part(&thirds[2]));
    let mut ab = a.clone();
    ab.merge(b.clone());
    let mut bc = b;
    bc.merge(c.clone());
    let left = p.report_from_partials(vec![ab, c]).unwrap().to_json();
    let right = p.report_from_partials(vec![a, bc]).unwrap().to_json();
    assert!(left == right);
}

#[test]
fn merge_rejects_duplicates_and_other_settings() {
    let p = Pipeline::builder()
        .evidence(0)
        .bootstrap_reps(300)
        .build()
        .unwrap();
    let line = r#"{"id":"x","group":"domestic","text":"挖矿被清退"}"#;
    let a = jsonl_partial(&p, line);
    let e = p
        .report_from_partials(vec![a.clone(), a.clone()])
        .unwrap_err();
    assert!(e.to_string().contains("occurs twice"), "{e}");
    assert!(
        matches!(&e, PipelineError::DuplicateId { id } if id == "x"),
        "{e:?}"
    );
    let other = Pipeline::builder().hmm(true).build().unwrap();
    let e = other.report_from_partials(vec![a.clone()]).unwrap_err();
    assert!(e.to_string().contains("different settings"), "{e}");
    assert!(matches!(
        e,
        PipelineError::Partial {
            index: 1,
            problem: PartialError::Settings
        }
    ));
    let mut newer = a;
    newer.partial_version += 1;
    let e = p.report_from_partials(vec![newer]).unwrap_err();
    assert!(matches!(
        e,
        PipelineError::Partial {
            index: 1,
            problem: PartialError::Version { .. }
        }
    ));
}

#[test]
fn cli_partial_and_merge_round_trip() {
    let bin = env!("CARGO_BIN_EXE_duibi");
    let tmp = tempfile::tempdir().unwrap();
    let p = Pipeline::builder().build().unwrap();
    let lines = sample_lines(&p);
    let run = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut child = Command::new(bin)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let single = run(
        // A merge has no texts to quote, so the single run is asked for no evidence.
        &[
            "analyze",
            "--stdin-jsonl",
            "--evidence",
            "0",
            "-o",
            "-",
            "--quiet",
        ],
        &lines.join("\n"),
    );
    let mut files = Vec::new();
    for (i, chunk) in lines.chunks(10).enumerate() {
        let out = run(
            &[
                "analyze",
                "--stdin-jsonl",
                "--partial",
                "--evidence",
                "0",
                "-o",
                "-",
            ],
            &chunk.join("\n"),
        );
        assert_eq!(
            out.iter().filter(|&&b| b == b'\n').count(),
            1,
            "a partial is one line"
        );
        let f = tmp.path().join(format!("part{i}.json"));
        std::fs::write(&f, out).unwrap();
        files.push(f.display().to_string());
    }
    let mut args = vec!["merge", "--evidence", "0", "-o", "-", "--quiet"];
    args.extend(files.iter().rev().map(String::as_str));
    let merged = run(&args, "");
    assert!(merged == single, "merge output differs from the single run");
}

#[test]
fn partials_do_not_depend_on_the_thread_count() {
    // Threads take files from a shared counter, so which documents a thread holds varies
    // from run to run; the partial must list them in report order all the same.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/mining-2021");
    let part = |threads: usize| {
        let p = Pipeline::builder()
            .threads(threads)
            .evidence(0)
            .bootstrap_reps(50)
            .build()
            .unwrap();
        p.analyze_partial(Source::dir(dir, Default::default()))
            .unwrap()
            .to_json_line()
    };
    let one = part(1);
    for _ in 0..3 {
        assert!(
            part(2) == one,
            "a 2-thread partial differs from the 1-thread one"
        );
    }
    let ids: Vec<String> = serde_json::from_slice::<Partial>(&one)
        .unwrap()
        .documents
        .iter()
        .map(|d| d.meta.id.clone())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}
