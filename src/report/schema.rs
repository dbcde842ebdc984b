//! The JSON Schema of the report, generated from the record types.

use super::Report;

/// The JSON Schema of [`Report`] (draft 2020-12), pretty-printed with a trailing newline.
/// The committed copy is `schema/report.schema.json`; a test fails when they drift.
///
/// ```
/// let s = duibi::report::json_schema();
/// assert!(s.contains("\"schema_version\""));
/// ```
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Report);
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    allow_null_numbers(&mut value);
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Statistics that cannot be computed (an interval with fewer than two units, a rate
/// without tokens) are NaN, which JSON writes as `null`: every number in the schema
/// admits `null`.
fn allow_null_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("type") == Some(&serde_json::Value::String("number".into())) {
                m.insert("type".into(), serde_json::json!(["number", "null"]));
            }
            for x in m.values_mut() {
                allow_null_numbers(x);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(allow_null_numbers),
        _ => {}
    }
}
