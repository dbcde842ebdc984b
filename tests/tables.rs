//! `--tables DIR` (issue 16 item 1): the per-document tables as JSON lines side files,
//! named by the report, record for record the arrays of the all-in-one report.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/mining-2021");

fn duibi() -> Command {
    let mut c = Command::cargo_bin("duibi").unwrap();
    c.timeout(std::time::Duration::from_secs(300));
    c
}

/// Runs `duibi analyze` with `args`; returns (exit code, stderr).
fn analyze(args: &[&str]) -> (i32, String) {
    let out = duibi().arg("analyze").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn lines(p: &Path) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn tables_hold_the_arrays_of_the_all_in_one_report() {
    let t = tempfile::tempdir().unwrap();
    let (all, split, dir) = (
        t.path().join("all.json"),
        t.path().join("split.json"),
        t.path().join("tables"),
    );
    assert_eq!(analyze(&[SAMPLE, "-o", s(&all), "--quiet"]).0, 0);
    let (code, err) = analyze(&[SAMPLE, "-o", s(&split), "--quiet", "--tables", s(&dir)]);
    assert_eq!(code, 0, "{err}");
    let all = json(&all);
    let mut split = json(&split);
    let schema: Value = serde_json::from_str(include_str!("../schema/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(
        validator.is_valid(&split),
        "a report with tables breaks the schema"
    );
    let mut bad = split.clone();
    bad["tables"]["files"][0]["format"] = "csv".into();
    assert!(
        !validator.is_valid(&bad),
        "the schema does not describe tables"
    );
    assert!(
        all.get("tables").is_none(),
        "no tables field without --tables"
    );
    let tables = split["tables"].clone();
    assert_eq!(tables["dir"], s(&dir));
    let files = tables["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for (f, name) in files.iter().zip(["documents", "doc_concepts"]) {
        assert_eq!(f["table"], name);
        assert_eq!(f["format"], "jsonl");
        assert_eq!(f["path"], format!("{name}.jsonl"));
        let rows = lines(&dir.join(f["path"].as_str().unwrap()));
        let expected = all[name].as_array().unwrap();
        assert!(!expected.is_empty());
        assert_eq!(f["rows"], expected.len() as u64);
        assert_eq!(
            &rows, expected,
            "{name}: the side file differs from the array"
        );
        assert_eq!(
            split[name],
            serde_json::json!([]),
            "{name} left in the report"
        );
    }
    // Everything else is the all-in-one report.
    let obj = split.as_object_mut().unwrap();
    obj.remove("tables");
    obj.insert("documents".into(), all["documents"].clone());
    obj.insert("doc_concepts".into(), all["doc_concepts"].clone());
    assert_eq!(split, all);
}

#[test]
fn tables_and_report_do_not_depend_on_the_thread_count() {
    let t = tempfile::tempdir().unwrap();
    let mut work = Vec::new();
    for j in ["1", "2"] {
        let w = t.path().join(format!("j{j}"));
        std::fs::create_dir_all(&w).unwrap();
        // Relative paths, so both reports record the same directory.
        let out = duibi()
            .current_dir(&w)
            .args(["analyze", SAMPLE, "-o", "r.json", "-j", j, "--quiet"])
            .args(["--tables", "tables"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        work.push(w);
    }
    let read = |p: &Path| std::fs::read(p).unwrap();
    for f in [
        "r.json",
        "tables/documents.jsonl",
        "tables/doc_concepts.jsonl",
    ] {
        assert_eq!(
            read(&work[0].join(f)),
            read(&work[1].join(f)),
            "{f} differs with -j"
        );
    }
    assert_eq!(json(&work[0].join("r.json"))["tables"]["dir"], "tables");
}

#[test]
fn library_report_without_tables_is_the_all_in_one_report() {
    use duibi::corpus::{CorpusOptions, Source};
    let p = duibi::run::Pipeline::builder().build().unwrap();
    let lazy = p
        .analyze(Source::dir(SAMPLE, CorpusOptions::default()))
        .unwrap();
    let mut streamed = Vec::new();
    lazy.write_json(&mut streamed).unwrap();
    let full = lazy.into_report().unwrap();
    assert!(full.tables.is_none());
    assert_eq!(streamed, full.to_json());
    let text = String::from_utf8(streamed).unwrap();
    assert!(
        !text.contains("\"tables\""),
        "no tables key in an all-in-one report"
    );
}

#[test]
fn tables_follow_the_output_rules_inside_the_corpus() {
    let t = tempfile::tempdir().unwrap();
    let corpus = t.path().join("corpus");
    for (g, text) in [
        ("domestic", "监管部门要求清退虚拟货币挖矿项目，关停矿场。"),
        (
            "overseas",
            "Miners are heading to Texas as the hash rate leaves China.",
        ),
    ] {
        std::fs::create_dir_all(corpus.join(g)).unwrap();
        std::fs::write(corpus.join(g).join("a.txt"), text).unwrap();
    }
    // Inside the corpus root: written with a warning, never read as documents.
    let dir = corpus.join("overseas").join("tables");
    let report = t.path().join("r.json");
    let (code, err) = analyze(&[s(&corpus), "-o", s(&report), "--tables", s(&dir)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("inside the corpus directory"), "{err}");
    assert_eq!(json(&report)["corpus"]["documents"], 2);
    let before = std::fs::read(dir.join("documents.jsonl")).unwrap();
    assert_eq!(lines(&dir.join("documents.jsonl")).len(), 2);
    // As with -o: JSON lines files are a corpus format, so once there they are files of
    // the corpus, and a run that would overwrite them is refused before any work.
    let (code, err) = analyze(&[s(&corpus), "-o", s(&report), "--tables", s(&dir)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a file of the corpus"), "{err}");
    assert_eq!(std::fs::read(dir.join("documents.jsonl")).unwrap(), before);
}

#[test]
fn tables_refused_where_they_cannot_go() {
    let t = tempfile::tempdir().unwrap();
    let report = t.path().join("r.json");
    // A file where the directory should be.
    let file = t.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let (code, err) = analyze(&[SAMPLE, "-o", s(&report), "--tables", s(&file)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a directory"), "{err}");
    // Another output given as one of the table files.
    let dir = t.path().join("tables");
    let clash = dir.join("documents.jsonl");
    let (code, err) = analyze(&[SAMPLE, "-o", s(&clash), "--tables", s(&dir)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tables directory"), "{err}");
    // Not with --partial.
    let (code, _) = analyze(&[SAMPLE, "--partial", "-o", s(&report), "--tables", s(&dir)]);
    assert_eq!(code, 2);
    assert!(!report.exists());
}

#[test]
fn merge_writes_the_tables_of_the_merged_report() {
    let t = tempfile::tempdir().unwrap();
    let part = t.path().join("part.json");
    let (code, err) = analyze(&[SAMPLE, "--partial", "-o", s(&part), "--quiet"]);
    assert_eq!(code, 0, "{err}");
    let (all, split, dir) = (
        t.path().join("all.json"),
        t.path().join("split.json"),
        t.path().join("tables"),
    );
    let merge = |args: &[&str]| {
        let out = duibi().arg("merge").arg(&part).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    merge(&["-o", s(&all), "--quiet"]);
    merge(&["-o", s(&split), "--quiet", "--tables", s(&dir)]);
    let (all, split) = (json(&all), json(&split));
    for name in ["documents", "doc_concepts"] {
        assert_eq!(split[name], serde_json::json!([]));
        let rows = lines(&dir.join(format!("{name}.jsonl")));
        assert!(!rows.is_empty());
        assert_eq!(&rows, all[name].as_array().unwrap(), "{name}");
    }
    assert_eq!(
        split["tables"]["files"][1]["rows"],
        all["doc_concepts"].as_array().unwrap().len()
    );
}

/// The record batches of a Parquet file.
fn parquet_batches(p: &Path) -> Vec<arrow_array::RecordBatch> {
    let f = std::fs::File::open(p).unwrap();
    parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f)
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

/// Column `name` of the batches, each value as JSON (strings quoted, nulls `null`).
fn parquet_column(batches: &[arrow_array::RecordBatch], name: &str) -> Vec<Value> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use arrow_array::Array;
    use arrow_schema::DataType;
    let mut out = Vec::new();
    for b in batches {
        let col = b
            .column_by_name(name)
            .unwrap_or_else(|| panic!("no column {name}"));
        for i in 0..col.len() {
            out.push(if col.is_null(i) {
                Value::Null
            } else {
                match col.data_type() {
                    DataType::Int64 => col.as_primitive::<Int64Type>().value(i).into(),
                    DataType::Float64 => col.as_primitive::<Float64Type>().value(i).into(),
                    DataType::Boolean => col.as_boolean().value(i).into(),
                    _ => col.as_string::<i32>().value(i).into(),
                }
            });
        }
    }
    out
}

#[test]
fn parquet_tables_hold_the_records_and_do_not_depend_on_the_thread_count() {
    let t = tempfile::tempdir().unwrap();
    let all = t.path().join("all.json");
    assert_eq!(analyze(&[SAMPLE, "-o", s(&all), "--quiet"]).0, 0);
    let all = json(&all);
    let mut dirs = Vec::new();
    for j in ["1", "2"] {
        let (report, dir) = (
            t.path().join(format!("r{j}.json")),
            t.path().join(format!("t{j}")),
        );
        let (code, err) = analyze(&[
            SAMPLE,
            "-o",
            s(&report),
            "-j",
            j,
            "--quiet",
            "--tables",
            s(&dir),
            "--tables-format",
            "parquet",
        ]);
        assert_eq!(code, 0, "{err}");
        let r = json(&report);
        assert_eq!(r["documents"], serde_json::json!([]));
        assert_eq!(r["tables"]["files"][0]["path"], "documents.parquet");
        assert_eq!(r["tables"]["files"][1]["format"], "parquet");
        dirs.push(dir);
    }
    for f in ["documents.parquet", "doc_concepts.parquet"] {
        let read = |d: &Path| std::fs::read(d.join(f)).unwrap();
        assert_eq!(read(&dirs[0]), read(&dirs[1]), "{f} differs with -j");
    }
    // Column by column, the records of the all-in-one report.
    let docs = parquet_batches(&dirs[0].join("documents.parquet"));
    let expected = all["documents"].as_array().unwrap();
    for name in ["id", "group", "tokens", "sentiment", "lang"] {
        let want: Vec<Value> = expected.iter().map(|d| d[name].clone()).collect();
        assert_eq!(parquet_column(&docs, name), want, "documents.{name}");
    }
    // Nested objects are dotted columns.
    let zh: Vec<Value> = expected
        .iter()
        .map(|d| d["lang_shares"].get("zh").cloned().unwrap_or(Value::Null))
        .collect();
    assert_eq!(parquet_column(&docs, "lang_shares.zh"), zh);
    let dc = parquet_batches(&dirs[0].join("doc_concepts.parquet"));
    let expected = all["doc_concepts"].as_array().unwrap();
    for name in ["doc_id", "concept", "mentions", "sentiment_sum"] {
        let want: Vec<Value> = expected.iter().map(|d| d[name].clone()).collect();
        assert_eq!(parquet_column(&dc, name), want, "doc_concepts.{name}");
    }
}
