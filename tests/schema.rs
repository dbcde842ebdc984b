//! The report's JSON Schema: the committed copy matches the code, and reports validate.

use duibi::corpus::{CorpusOptions, Source};
use duibi::run::Pipeline;

const COMMITTED: &str = include_str!("../schema/report.schema.json");

#[test]
fn committed_schema_matches_the_code() {
    assert!(
        COMMITTED == duibi::report::json_schema(),
        "schema/report.schema.json is out of date: run `cargo run --release -- schema > schema/report.schema.json` \
         (and bump SCHEMA_VERSION in src/report/mod.rs as its rules say)"
    );
}

#[test]
fn sample_report_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let p = Pipeline::builder().bootstrap_reps(300).build().unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/mining-2021");
    let report = p
        .analyze(Source::dir(dir, CorpusOptions::default()))
        .and_then(|r| r.into_report())
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&report.to_json()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A report that breaks the schema is caught.
    let mut broken = value.clone();
    broken["corpus"]["documents"] = serde_json::json!("many");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn schema_version_is_semver() {
    let v: Vec<u64> = duibi::report::SCHEMA_VERSION
        .split('.')
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(v.len(), 3);
}
