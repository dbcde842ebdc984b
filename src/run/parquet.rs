//! A per-document table as a Parquet file, streamed a row group at a time.
//!
//! The records are flat JSON objects but for a few nested ones (`lang_shares`,
//! `tokens_by_lang`): nested objects become dotted columns (`lang_shares.zh`), as
//! `pandas.json_normalize` names them, and arrays (`duplicates`) a JSON text column. A
//! first pass over the records fixes the columns (in order of first appearance) and
//! their types (integers, floats, booleans, text; a column mixing them is text), the
//! second writes them: the table is read twice from the run's temporary files and never
//! held whole.
//!
//! ```
//! let rows = vec![
//!     serde_json::json!({"id": "a", "tokens": 3, "lang_shares": {"zh": 1.0}}),
//!     serde_json::json!({"id": "b", "tokens": 5, "lang_shares": {"en": 0.5}}),
//! ];
//! let mut file = Vec::new();
//! let n = duibi::run::write_parquet(|| rows.iter().cloned().map(Ok), &mut file)?;
//! assert_eq!(n, 2);
//! assert_eq!(&file[..4], b"PAR1");
//! # Ok::<(), std::io::Error>(())
//! ```

use crate::config;
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::io::{self, Write};
use std::sync::Arc;

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Only nulls so far.
    Null,
    Bool,
    Int,
    Float,
    Text,
}

impl Kind {
    fn of(v: &Value) -> Kind {
        match v {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(n) if n.is_i64() => Kind::Int,
            Value::Number(_) => Kind::Float,
            _ => Kind::Text,
        }
    }

    fn join(self, other: Kind) -> Kind {
        match (self, other) {
            (Kind::Null, k) | (k, Kind::Null) => k,
            (a, b) if a == b => a,
            (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
            _ => Kind::Text,
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Kind::Bool => DataType::Boolean,
            Kind::Int => DataType::Int64,
            Kind::Float => DataType::Float64,
            Kind::Null | Kind::Text => DataType::Utf8,
        }
    }
}

/// The columns of a record: nested objects flattened to dotted names.
fn flatten(prefix: &str, v: Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&name, v, out);
            }
        }
        v => out.push((prefix.to_string(), v)),
    }
}

/// The column builder of one column.
enum Col {
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
}

impl Col {
    fn new(kind: Kind) -> Col {
        match kind {
            Kind::Bool => Col::Bool(BooleanBuilder::new()),
            Kind::Int => Col::Int(Int64Builder::new()),
            Kind::Float => Col::Float(Float64Builder::new()),
            Kind::Null | Kind::Text => Col::Text(StringBuilder::new()),
        }
    }

    fn push(&mut self, v: Option<&Value>) {
        let v = v.filter(|v| !v.is_null());
        match self {
            Col::Bool(b) => b.append_option(v.and_then(Value::as_bool)),
            Col::Int(b) => b.append_option(v.and_then(Value::as_i64)),
            Col::Float(b) => b.append_option(v.and_then(Value::as_f64)),
            Col::Text(b) => match v {
                None => b.append_null(),
                Some(Value::String(s)) => b.append_value(s),
                Some(other) => b.append_value(other.to_string()),
            },
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Col::Bool(b) => Arc::new(b.finish()),
            Col::Int(b) => Arc::new(b.finish()),
            Col::Float(b) => Arc::new(b.finish()),
            Col::Text(b) => Arc::new(b.finish()),
        }
    }
}

fn parquet_error(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e)
}

/// Writes the records `rows()` gives (JSON objects; called twice, for the same records)
/// to `w` as one Parquet file; gives the number of records. Row groups hold
/// [`config::PARQUET_ROW_GROUP`] records, written to `w` as each is done.
pub fn write_parquet<I>(rows: impl Fn() -> I, mut w: impl Write) -> io::Result<u64>
where
    I: Iterator<Item = io::Result<Value>>,
{
    // First pass: the columns and their types.
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    let mut columns: Vec<(String, Kind)> = Vec::new();
    let mut flat = Vec::new();
    for row in rows() {
        flat.clear();
        flatten("", row?, &mut flat);
        for (name, v) in flat.drain(..) {
            let kind = Kind::of(&v);
            match index.get(&name) {
                Some(&i) => columns[i].1 = columns[i].1.join(kind),
                None => {
                    index.insert(name.clone(), columns.len());
                    columns.push((name, kind));
                }
            }
        }
    }
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|(name, kind)| Field::new(name, kind.data_type(), true))
            .collect::<Vec<_>>(),
    ));
    let props = WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_max_row_group_row_count(Some(config::PARQUET_ROW_GROUP))
        .build();
    // The writer writes to a buffer drained into `w` after each row group, so the file
    // is never held whole (the writer counts offsets itself).
    let mut writer =
        ArrowWriter::try_new(Vec::new(), schema.clone(), Some(props)).map_err(parquet_error)?;
    let mut cols: Vec<Col> = columns.iter().map(|(_, k)| Col::new(*k)).collect();
    let mut values: Vec<Option<Value>> = vec![None; columns.len()];
    let mut pending = 0usize;
    let mut n = 0u64;
    let mut flush = |cols: &mut Vec<Col>, writer: &mut ArrowWriter<Vec<u8>>| -> io::Result<()> {
        let arrays: Vec<ArrayRef> = cols.iter_mut().map(Col::finish).collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(io::Error::other)?;
        writer.write(&batch).map_err(parquet_error)?;
        writer.flush().map_err(parquet_error)?;
        w.write_all(&std::mem::take(writer.inner_mut()))
    };
    for row in rows() {
        flat.clear();
        flatten("", row?, &mut flat);
        for (name, v) in flat.drain(..) {
            // A column the first pass did not see means the records changed between
            // the passes.
            let i = index
                .get(&name)
                .ok_or_else(|| io::Error::other(format!("column {name} not in the first pass")))?;
            values[*i] = Some(v);
        }
        for (col, v) in cols.iter_mut().zip(values.iter_mut()) {
            col.push(v.take().as_ref());
        }
        pending += 1;
        n += 1;
        if pending == config::PARQUET_ROW_GROUP {
            flush(&mut cols, &mut writer)?;
            pending = 0;
        }
    }
    if pending > 0 {
        flush(&mut cols, &mut writer)?;
    }
    let rest = writer.into_inner().map_err(parquet_error)?;
    w.write_all(&rest)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use serde_json::json;

    fn read(bytes: Vec<u8>) -> Vec<RecordBatch> {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&bytes).unwrap();
        ParquetRecordBatchReaderBuilder::try_new(f)
            .unwrap()
            .build()
            .unwrap()
            .map(|b| b.unwrap())
            .collect()
    }

    #[test]
    fn columns_take_the_type_of_all_their_values() {
        let rows = [
            json!({"a": 1, "b": 1, "c": "x", "d": {"e": true}, "f": ["p"]}),
            json!({"a": 2, "b": 1.5, "c": 3, "g": null}),
        ];
        let mut out = Vec::new();
        let n = write_parquet(|| rows.iter().cloned().map(Ok), &mut out).unwrap();
        assert_eq!(n, 2);
        let batches = read(out);
        let schema = batches[0].schema();
        let types: Vec<(String, DataType)> = schema
            .fields()
            .iter()
            .map(|f| (f.name().clone(), f.data_type().clone()))
            .collect();
        let want = [
            ("a", DataType::Int64),
            ("b", DataType::Float64),
            ("c", DataType::Utf8),
            ("d.e", DataType::Boolean),
            ("f", DataType::Utf8),
            ("g", DataType::Utf8),
        ];
        let want: Vec<(String, DataType)> = want
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect();
        assert_eq!(types, want);
        let c = batches[0].column_by_name("c").unwrap().as_string::<i32>();
        assert_eq!((c.value(0), c.value(1)), ("x", "3"));
        let f = batches[0].column_by_name("f").unwrap().as_string::<i32>();
        assert_eq!(f.value(0), r#"["p"]"#);
        assert!(f.is_null(1));
    }

    #[test]
    fn row_groups_split_a_long_table_and_an_empty_one_is_a_file() {
        let n = config::PARQUET_ROW_GROUP + 5;
        let mut out = Vec::new();
        let rows = || (0..n).map(|i| Ok(json!({ "i": i })));
        assert_eq!(write_parquet(rows, &mut out).unwrap(), n as u64);
        let batches = read(out);
        let total: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(total, n);
        let mut empty = Vec::new();
        let none = || std::iter::empty::<io::Result<Value>>();
        assert_eq!(write_parquet(none, &mut empty).unwrap(), 0);
        assert_eq!(&empty[..4], b"PAR1");
        assert_eq!(&empty[empty.len() - 4..], b"PAR1");
    }
}
